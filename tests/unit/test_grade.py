"""Grading (engine.grade): Results → Outcomes. Explain says what each grade was banded on,
read from the Outcomes (``bases``), not worked out a second time."""

from __future__ import annotations

import math

from engine.unit_explain import explain
from tests.helpers import outcomes_of

BODY = """
inputs:
  points: {title: 得分, type: number, range: [0, 100]}
  accident: {title: 重大事故, type: boolean}
items:
  - {id: work, title: 工作, max: 100, formula: points}
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
  - id: level
    title: 格次
    of: stars
    bands:
      - {ge: 3, value: 优}
      - {lt: 3, value: 良}
"""


def test_each_grade_keeps_the_value_it_banded_on() -> None:
    outcomes = outcomes_of(BODY, {"points": [85.0, 70.0], "accident": [True, False]})
    # u0: total 85 → 三星 (value 3); the veto then forces the primary grade (stars) to 1.
    # level bands on stars as banded, before any veto: 3 → 优 (the veto acts on the primary grade only).
    assert outcomes.bases["stars"].tolist() == [85.0, 70.0]
    assert outcomes.bases["level"].tolist() == [3.0, 2.0]
    assert [outcomes.grade_label(outcomes.results.scheme.grades[0], i) for i in (0, 1)] == ["一星", "二星"]
    assert [outcomes.grade_label(outcomes.results.scheme.grades[1], i) for i in (0, 1)] == ["优", "良"]
    text = explain(outcomes, 0)
    # explain states the basis decide used (3, not the forced 1), so the band and the label agree
    assert "stars = 3 ∈ [3, +∞) → 优" in text, text
    assert "stars = 1" not in text


def test_units_of_another_type_have_no_basis() -> None:
    body = "units:\n  types: {甲: {title: 甲}, 乙: {title: 乙}}\n" + BODY.replace("    primary: true\n", "    primary: true\n    applies_to: [甲]\n", 1).replace(
        "effect: force_grade, grade: 1", "effect: disqualify")
    outcomes = outcomes_of(body, {"points": [85.0, 70.0], "accident": [False, False]}, types=["甲", "乙"])
    assert outcomes.bases["stars"][0] == 85.0 and math.isnan(outcomes.bases["stars"][1])
