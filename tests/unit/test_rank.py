"""Rank-based outcomes: counts, shares, groups, eligibility and the tie policy."""

from __future__ import annotations

from tests.helpers import outcomes_of

ONE_ITEM = """
inputs:
  x: {title: 得分, type: number}
  bad: {title: 违纪, type: boolean}
items:
  - {id: a, title: 甲, max: 100, formula: x}
vetoes:
  - {id: discipline, title: 违法违纪, when: bad}
"""


def labels(text: str, scores: list[float], groups: list[str] | None = None, bad: list[bool] | None = None) -> list:
    out = outcomes_of(ONE_ITEM + text, {"x": scores, "bad": bad or [False] * len(scores)}, groups=groups)
    return out.placements[0].labels.tolist()


def test_awards_by_count_2_4_4() -> None:
    # 规划局: 一等奖 2, 二等奖 4, 三等奖 4 — twelve units, totals 100 down to 89.
    scores = [100.0 - k for k in range(12)]
    got = labels("""
rankings:
  - id: award
    title: 绩效考核奖
    tiers:
      - {label: 一等奖, count: 2}
      - {label: 二等奖, count: 4}
      - {label: 三等奖, count: 4}
""", scores)
    assert got == ["一等奖"] * 2 + ["二等奖"] * 4 + ["三等奖"] * 4 + [None] * 2


def test_thirds_with_rest() -> None:
    # 好/中/差 by ranking: 7 units → floor(7/3) = 2 好, 2 中, the other 3 差.
    got = labels("""
rankings:
  - id: tier
    title: 综合排序
    tiers:
      - {label: 好, share: "1/3"}
      - {label: 中, share: "1/3"}
      - {label: 差, rest: true}
""", [90.0, 80.0, 70.0, 60.0, 50.0, 40.0, 30.0])
    assert got == ["好", "好", "中", "中", "差", "差", "差"]


def test_top_40_percent_half_up_and_a_vetoed_unit_keeps_its_score() -> None:
    # 8 units, u0 (the best) is disqualified: pool of 7 → 40 % × 7 = 2.8 → half up 3 优秀.
    out = outcomes_of(ONE_ITEM + """
rankings:
  - id: excellent
    title: 优秀提名
    rounding: half_up
    tiers: [{label: 优秀, share: 0.4}]
""", {"x": [99.0, 95.0, 90.0, 85.0, 80.0, 75.0, 70.0, 65.0], "bad": [True] + [False] * 7})
    assert out.placements[0].labels.tolist() == [None, "优秀", "优秀", "优秀", None, None, None, None]
    assert out.results.total[0] == 99.0 and out.rank[0] == 1  # the score and rank stand
    assert not out.eligible[0]


def test_per_group_share_of_all_members_none_below_minimum() -> None:
    # 季度之星 shape: ≤ 5 % of the branch's members, half up, none under 10 members.
    # Branch A: 10 members → 0.5 → 1 star. Branch B: 9 members → no selection at all.
    a = [90.0 - k for k in range(10)]
    b = [95.0 - k for k in range(9)]
    got = labels("""
rankings:
  - id: star
    title: 季度之星
    per_group: true
    min_group: 10
    share_of: all
    rounding: half_up
    tiers: [{label: 季度之星, share: 0.05}]
""", a + b, groups=["A"] * 10 + ["B"] * 9)
    assert got == ["季度之星"] + [None] * 18


def test_ties_at_the_edge_exclude_or_include() -> None:
    # Two seats; u1 and u2 tie for the second one.
    text = """
rankings:
  - id: top
    title: 先进
    ties: {ties}
    tiers: [{{label: 先进, count: 2}}]
"""
    scores = [95.0, 90.0, 90.0, 80.0]
    assert labels(text.format(ties="exclude"), scores) == ["先进", None, None, None]
    assert labels(text.format(ties="include"), scores) == ["先进", "先进", "先进", None]


def test_tie_break_decides_before_the_tie_policy() -> None:
    out = outcomes_of("""
inputs:
  x: {title: 得分, type: number}
  y: {title: 满意度, type: number}
items:
  - {id: a, title: 甲, max: 100, formula: x}
rankings:
  - id: top
    title: 先进
    tie_break: [y]
    tiers: [{label: 先进, count: 2}]
""", {"x": [95.0, 90.0, 90.0], "y": [0.0, 70.0, 80.0]})
    assert out.placements[0].labels.tolist() == ["先进", None, "先进"]
    assert out.placements[0].position.tolist() == [1, 3, 2]


def test_among_restricts_the_pool_and_share_is_of_the_pool() -> None:
    # 年度之星: ≤ 10 % of the 10-star members. 20 units, 12 of them ≥ 95 → 1 seat.
    scores = [99.0 - k * 0.25 for k in range(12)] + [80.0] * 8
    out = outcomes_of("""
inputs:
  x: {title: 得分, type: number}
items:
  - {id: a, title: 甲, max: 100, formula: x}
grades:
  - id: stars
    title: 星级
    bands: [{ge: 95, value: 10}, {lt: 95, value: 8}]
rankings:
  - id: annual
    title: 年度之星
    among: stars == 10
    tiers: [{label: 年度之星, share: 0.1}]
""", {"x": scores})
    placement = out.placements[0]
    assert placement.labels.tolist() == ["年度之星"] + [None] * 19
    assert int(placement.pool.sum()) == 12 and int(placement.quotas[0, 0]) == 1
