"""Rating scales (``scales:`` + ``scale:``): a rating worth fixed points or a
share of the item's full marks, declared once, checked to cover every rating.

The numbers are worked by hand in the comments.
"""

from __future__ import annotations

import textwrap

from engine.context import Context
from engine.compiler import check_scheme
from engine.loader import load_scheme_text
from engine.reports import explain_item
from tests.helpers import HEADER, outcomes_of

BODY = """
inputs:
  attitude: {title: 工作态度评价, type: category, values: [好, 较好, 一般, 差]}
  quality: {title: 工作质量评价, type: category, values: [好, 较好, 一般, 差]}
  grade_c: {title: 考评等级, type: category, values: [A, B, C]}
scales:
  four_level:
    title: 四级评价
    points: {好: 20, 较好: 15, 一般: 10, 差: 0}
items:
  - {id: att, title: 工作态度, max: 20, scale: {value: attitude, use: four_level}}
  - {id: qua, title: 工作质量, max: 20, scale: {value: quality, use: four_level}}
  - {id: abc, title: 考评, max: 30, scale: {value: grade_c, fraction: {A: 1, B: 0.66, C: 0.33}}}
"""


def test_points_and_fractions_of_a_scale() -> None:
    outcomes = outcomes_of(BODY, {
        "attitude": ["好", "较好", "差"],
        "quality": ["一般", "好", "较好"],
        "grade_c": ["A", "B", "C"],
    })
    scores = outcomes.results.scores
    # u0: 好 20, 一般 10, A 30 × 1 = 30 → 60
    # u1: 较好 15, 好 20, B 30 × 0.66 = 19.8 → 54.8
    # u2: 差 0, 较好 15, C 30 × 0.33 = 9.9 → 24.9
    assert scores["att"].tolist() == [20, 15, 0]
    assert scores["qua"].tolist() == [10, 20, 15]
    assert scores["abc"].tolist() == [30, 19.8, 9.9]
    assert outcomes.results.total.tolist() == [60, 54.8, 24.9]


def test_the_sheet_says_the_rating_and_its_points() -> None:
    outcomes = outcomes_of(BODY, {"attitude": ["较好"], "quality": ["好"], "grade_c": ["B"]}, details=True)
    att = next(i for i in outcomes.results.scheme.items() if i.id == "att")
    abc = next(i for i in outcomes.results.scheme.items() if i.id == "abc")
    assert explain_item(outcomes, att, 0) == ["工作态度评价 较好，得 15 分"]
    assert explain_item(outcomes, abc, 0) == ["考评等级 B，得 19.8 分"]
    assert explain_item(outcomes, att, 0, Context(lang="en")) == ["工作态度评价 较好: 15 points"]


def _problems(body: str) -> list[tuple[str, int | None]]:
    _, problems = check_scheme(load_scheme_text(textwrap.dedent(HEADER + body), "s.yaml"))
    return [(p.code, p.location.line) for p in problems if p.severity == "error"]


def test_a_rating_without_points_is_an_error() -> None:
    # 差 has no points: a unit rated 差 would score 0 without a word.
    body = BODY.replace("points: {好: 20, 较好: 15, 一般: 10, 差: 0}", "points: {好: 20, 较好: 15, 一般: 10}")
    assert [code for code, _ in _problems(body)] == ["scale_uncovered", "scale_uncovered"]
    # ... unless the scale says what any other rating is worth.
    body = body.replace("title: 四级评价", "title: 四级评价\n    otherwise: 0")
    assert _problems(body) == []


def test_points_for_a_value_the_input_cannot_take() -> None:
    body = BODY.replace("fraction: {A: 1, B: 0.66, C: 0.33}", "fraction: {A: 1, B: 0.66, D: 0.33}")
    problems = _problems(body)
    # HEADER is 5 lines: the items are on lines 16 (att), 17 (qua) and 18 (abc).
    assert ("scale_unknown_rating", 18) in problems and ("scale_uncovered", 18) in problems


def test_an_unknown_scale_and_points_above_max() -> None:
    assert ("scale_unknown", 16) in _problems(BODY.replace("use: four_level}}\n  - {id: qua", "use: four_levl}}\n  - {id: qua"))
    assert ("scale_points_above_max", 16) in _problems(BODY.replace("max: 20, scale: {value: attitude", "max: 10, scale: {value: attitude"))
    assert ("out_of_bounds", 18) in _problems(BODY.replace("B: 0.66", "B: 66"))


ZERO = """
inputs:
  late: {title: 迟到次数, type: count, range: [0, 20]}
items:
  - id: discipline
    title: 会议纪律
    max: 5
    deductions:
      clauses:
        - {title: 迟到, per: 1, count: late, zero_at: 2}
"""


def test_a_count_reaching_n_zeroes_the_item() -> None:
    # 迟到一次扣 1 分，两次以上得 0 分 (max 5): 0 → 5, 1 → 5 − 1 = 4, 2 → 0, 3 → 0.
    outcomes = outcomes_of(ZERO, {"late": [0, 1, 2, 3]}, details=True)
    assert outcomes.results.scores["discipline"].tolist() == [5, 4, 0, 0]
    item = next(outcomes.results.scheme.items())
    assert explain_item(outcomes, item, 1) == ["迟到：1 次，每次扣 1 分，扣 1 分"]
    assert explain_item(outcomes, item, 2) == ["迟到：2 次，达到 2 次，本项不得分"]


def test_zero_at_belongs_to_a_counted_clause() -> None:
    body = ZERO.replace("{title: 迟到, per: 1, count: late, zero_at: 2}", "{title: 迟到, points: 1, when: late > 0, zero_at: 2}")
    assert _problems(body) == [("schema_other", 15)]
