"""engine.compiling.scope: the stages' order, the names visible at each, and the hint for a name used too early."""

from __future__ import annotations

import pytest

from engine.compiler import check_scheme
from engine.compiling.scope import STAGES, Scope, declared_later
from engine.expressions import BOOL, NUMBER, ValueType
from engine.loader import load_scheme_text
from tests.helpers import HEADER

TEXT = ValueType("text")


def test_the_stages_come_in_the_language_s_order() -> None:
    assert STAGES == ("inputs", "params", "dimensions", "history", "figures", "derived",
                      "scores", "vetoes", "grades", "rankings", "actions")


def test_a_stage_sees_the_names_of_the_stages_before_it_only() -> None:
    scope = (Scope().declare("inputs", {"x": NUMBER, "unit_type": TEXT})
             .declare("derived", {"d": BOOL})
             .declare("scores", {"total": NUMBER, "a": NUMBER})
             .declare("vetoes", {"v": BOOL}))
    assert list(scope.visible("inputs")) == []
    assert list(scope.visible("derived")) == ["x", "unit_type"]
    assert list(scope.visible("scores")) == ["x", "unit_type", "d"]  # an item reads inputs and derived values
    assert list(scope.visible("grades")) == ["x", "unit_type", "d", "total", "a", "v"]
    assert scope.visible("vetoes")["total"] == NUMBER and "v" not in scope.visible("vetoes")


def test_visible_is_a_fresh_dict_a_step_may_extend() -> None:
    scope = Scope().declare("inputs", {"x": NUMBER})
    names = scope.visible("derived")
    names["d"] = NUMBER  # a derived value the next one reads
    assert list(scope.visible("derived")) == ["x"]


def test_a_name_declared_again_later_keeps_its_place_and_takes_the_later_type() -> None:
    # As a dict union would: {"x": NUMBER, "y": NUMBER} then {"x": BOOL} → x first, a boolean.
    scope = Scope().declare("inputs", {"x": NUMBER, "y": NUMBER}).declare("derived", {"x": BOOL})
    assert scope.visible("scores") == {"x": BOOL, "y": NUMBER} and list(scope.visible("scores")) == ["x", "y"]
    assert scope.origin("x") == "derived" and scope.origin("y") == "inputs" and scope.origin("z") is None


def test_stages_are_declared_once_each_in_order() -> None:
    scope = Scope().declare("scores", {"total": NUMBER})
    with pytest.raises(ValueError):
        scope.declare("derived", {"d": NUMBER})
    with pytest.raises(ValueError):
        scope.declare("scores", {"a": NUMBER})


def test_a_name_computed_later_is_told_by_its_kind() -> None:
    data = {"derived": [{"id": "d"}], "vetoes": [{"id": "v"}], "grades": [{"id": "g"}],
            "rankings": [{"id": "r"}], "actions": [{"id": "act"}],
            "parts": [{"id": "p", "items": [{"id": "sec", "items": [{"id": "leaf"}]}]}]}
    kinds = {name: hint[0].en for name in ("d", "v", "g", "r", "act", "p", "sec", "leaf")
             if (hint := declared_later(data, name)) is not None}
    assert kinds == {"d": "a derived value", "v": "a veto", "g": "a grade", "r": "a ranking", "act": "an action",
                     "p": "a part", "sec": "a scored item", "leaf": "a scored item"}
    assert declared_later(data, "nowhere") is None


def _problems(body: str) -> list:
    return list(check_scheme(load_scheme_text(HEADER + body, "t.yaml"))[1])


def test_a_veto_used_in_a_derived_value_says_when_vetoes_are_decided() -> None:
    problems = _problems("""
inputs:
  x: {title: 值, type: number}
derived:
  - {id: d, title: 计算, value: "where(late, 0, x)"}
items:
  - {id: a, title: 甲, max: 10, formula: d}
vetoes:
  - {id: late, title: 迟报, when: "x < 0"}
""")
    # The derived value fails, so the item reading it finds no derived value 'd' either.
    assert [(p.code, p.location.path) for p in problems] == [("expr_not_yet_known", "$.derived[0].value"),
                                                            ("expr_not_yet_known", "$.items[0].formula")]
    assert "vetoes are decided after every item" in problems[0].render("en")
    assert "derived values are computed in order" in problems[1].render("en")


def test_a_text_grade_is_visible_to_rankings_but_not_to_later_grades() -> None:
    # Grades read the numeric grades before them; rankings read every grade (text ones as text).
    problems = _problems("""
inputs:
  x: {title: 值, type: number}
items:
  - {id: a, title: 甲, max: 10, formula: x}
grades:
  - {id: level, title: 等次, bands: [{ge: 5, value: 好}, {lt: 5, value: 差}]}
  - {id: again, title: 再评, of: "where(level == '好', 1, 0)", bands: [{ge: 1, value: 1}, {lt: 1, value: 0}]}
rankings:
  - {id: top, title: 前列, among: "level == '好'", tiers: [{label: 前列, count: 1}]}
""")
    assert [(p.code, p.location.path) for p in problems] == [("expr_not_yet_known", "$.grades[1].of")]
