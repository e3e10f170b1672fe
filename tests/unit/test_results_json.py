"""Outcomes → the JSON document of ``kaohe run --format json`` (engine.results_json):
the whole document of a two-unit scheme, worked out by hand; the fast text writer
says exactly what ``json.dumps`` of the document says."""

from __future__ import annotations

import json

from engine.context import Context
from engine.results_json import to_document, to_json
from tests.helpers import outcomes_of

BODY = """
inputs:
  a: {title: 甲项, type: number, range: [0, 100]}
  b: {title: 乙项, type: number, range: [0, 100]}
  accident: {title: 重大事故, type: boolean}
items:
  - {id: work, title: 工作, max: 50, formula: a / 2}
  - {id: study, title: 学习, max: 50, formula: b / 2}
vetoes:
  - {id: bad, title: 重大事故, when: accident, effect: force_grade, grade: 1}
grades:
  - id: stars
    title: 星级
    primary: true
    bands:
      - {ge: 80, value: 3, label: 三星}
      - {ge: 60, lt: 80, value: 2, label: 二星}
      - {lt: 60, value: 1, label: 一星}
"""

# u0: a 50, b 90 → work 50 / 2 = 25, study 90 / 2 = 45, total 70 → 二星, but the accident
#     forces the primary grade to value 1 (一星); it stays eligible and ranked (force_grade is no disqualify).
# u1: a 85, b 75 → work 42.5, study 37.5, total 80 → 三星 (ge 80).
# Rank by total: u1 (80) 1st, u0 (70) 2nd; the listing is in rank order, so u1 comes first.
COLUMNS = {"a": [50.0, 85.0], "b": [90.0, 75.0], "accident": [True, False]}


def _unit(ident: str, total: float, rank: int, stars: tuple[int, str], work: float, study: float, vetoed: bool) -> dict[str, object]:
    return {
        "id": ident, "name": ident, "type": None, "group": None,  # no types, no groups: null
        "total": total, "grade": stars[1], "rank": rank, "group_rank": rank,  # everyone in the one (empty) group
        "eligible": True, "manual": False,
        "vetoes": [{"id": "bad", "title": "重大事故", "effect": "force_grade"}] if vetoed else [],
        "labels": [], "actions": [], "corrections": [], "rankings": {},
        "grades": {"stars": {"title": "星级", "value": stars[0], "label": stars[1]}},
        "parts": {},  # no explicit parts
        "items": {"work": {"title": "工作", "score": work, "max": 50},
                  "study": {"title": "学习", "score": study, "max": 50}},
    }


EXPECTED = {
    # the version is text (as a scheme writes "2025"), HEADER's 1 read as "1"; precision defaults to 2
    "scheme": {"id": "t", "version": "1", "title": "测试", "precision": 2},
    "units": [
        _unit("u1", 80, 1, (3, "三星"), 42.5, 37.5, vetoed=False),
        _unit("u0", 70, 2, (1, "一星"), 25, 45, vetoed=True),
    ],
    "warnings": [],
}


def test_the_document_of_two_units() -> None:
    outcomes = outcomes_of(BODY, COLUMNS)
    assert to_document(outcomes) == EXPECTED
    # whole numbers are integers in the document (80, not 80.0), others stay floats
    assert [type(u["total"]) for u in to_document(outcomes)["units"]] == [int, int]


def test_to_json_is_json_dumps_of_the_document() -> None:
    outcomes = outcomes_of(BODY, COLUMNS)
    text = to_json(outcomes)
    assert text == json.dumps(EXPECTED, ensure_ascii=False, indent=2) + "\n"
    assert '"total": 80,' in text and '"title": "工作"' in text  # ints as ints, Chinese unescaped


def test_an_unscored_item_has_no_score_and_no_max() -> None:
    body = "units:\n  types: {甲: {title: 甲}, 乙: {title: 乙}}\n" + BODY.replace(
        "{id: study, title: 学习, max: 50, formula: b / 2}", "{id: study, title: 学习, max: 50, formula: b / 2, applies_to: [甲]}")
    outcomes = outcomes_of(body, COLUMNS, types=["甲", "乙"])
    units = {u["id"]: u for u in to_document(outcomes)["units"]}
    # u1 is of type 乙: study does not apply, so null score and null max; total 42.5 → 一星 (lt 60)
    assert units["u1"]["items"]["study"] == {"title": "学习", "score": None, "max": None}
    assert units["u1"]["total"] == 42.5 and units["u1"]["type"] == "乙" and units["u1"]["grade"] == "一星"
    # u0 (甲): 25 + 45 = 70, first now
    assert units["u0"]["items"]["study"] == {"title": "学习", "score": 45, "max": 50}
    assert [u["id"] for u in to_document(outcomes)["units"]] == ["u0", "u1"]
    assert json.loads(to_json(outcomes)) == to_document(outcomes)


def test_warnings_are_rendered_in_the_context_s_language() -> None:
    # a second grade with a gap between 60 and 80: u0's total 70 falls in it, u1's 80 does not
    gap = BODY + """\
  - id: level
    title: 格次
    bands:
      - {ge: 80, value: 优}
      - {lt: 60, value: 差}
"""
    outcomes = outcomes_of(gap, COLUMNS)
    [zh] = to_document(outcomes)["warnings"]
    [en] = to_document(outcomes, Context(lang="en"))["warnings"]
    assert "评定 level: 1 个单位的值落在档次空档中（如 u0），按 0 分/无评定处理" in zh and zh.startswith("test.yaml:")
    assert "warning: grade level: 1 unit(s) fall in a gap between bands (e.g. u0); scored 0 / no grade" in en
    assert json.loads(to_json(outcomes, Context(lang="en")))["warnings"] == [en]
