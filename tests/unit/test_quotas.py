"""Quota options: minimum and maximum seats per group, and a share base counting units meeting `among`."""

from __future__ import annotations

import textwrap

import numpy as np

from engine.context import Context
from engine.compiler import check_scheme
from engine.loader import load_scheme_text
from engine.render import explain_view
from tests.helpers import HEADER, outcomes_of

ONE_ITEM = """
inputs:
  x: {title: 得分, type: number}
items:
  - {id: a, title: 甲, max: 100, formula: x}
"""

QUARTER_STAR = ONE_ITEM + """
rankings:
  - id: star
    title: 季度之星
    per_group: true
    min_group: 10
    share_of: all
    rounding: floor
    tiers: [{label: 季度之星, share: 0.05, min_seats: 1}]
"""


def branch(size: int, top: float) -> list[float]:
    """A branch of ``size`` members with distinct totals top, top − 1, …"""
    return [top - k for k in range(size)]


def test_floor_of_five_percent_with_at_least_one_seat_from_ten_members() -> None:
    # 季度之星 read as "at most 5 %, at least one seat once a branch has 10 members":
    #   A: 9 members  → below min_group 10 → no selection at all
    #   B: 10 members → floor(10 × 5 %) = floor(0.5) = 0 → raised to 1
    #   C: 39 members → floor(39 × 5 %) = floor(1.95) = 1
    #   D: 40 members → floor(40 × 5 %) = 2
    sizes = {"A": 9, "B": 10, "C": 39, "D": 40}
    scores: list[float] = []
    groups: list[str] = []
    for name, size in sizes.items():
        scores += branch(size, 90.0)
        groups += [name] * size
    out = outcomes_of(QUARTER_STAR, {"x": scores}, groups=groups)
    placement = out.placements[0]
    won = {name: int(((placement.tier >= 0) & (np.asarray(groups) == name)).sum()) for name in sizes}
    assert won == {"A": 0, "B": 1, "C": 1, "D": 2}
    first = {name: groups.index(name) for name in sizes}
    assert [int(placement.quotas[first[g], 0]) for g in sizes] == [0, 1, 1, 2]
    # half_up (the earlier reading) would give C round(1.95) = 2: the readings differ at 30–39 members.


def test_max_seats_holds_a_large_group() -> None:
    # 100 members × 5 % = 5 seats, max_seats 3 → the top 3 only.
    text = QUARTER_STAR.replace("min_seats: 1}", "min_seats: 1, max_seats: 3}")
    out = outcomes_of(text, {"x": branch(100, 100.0)}, groups=["A"] * 100)
    assert out.placements[0].labels.tolist() == ["季度之星"] * 3 + [None] * 97


def test_min_seat_still_excludes_a_tie_that_does_not_fit() -> None:
    # 10 members, 1 seat (0.5 → 0 → 1); the two best tie at 90 → ties: exclude gives none the seat.
    scores = [90.0, 90.0] + branch(8, 80.0)
    out = outcomes_of(QUARTER_STAR, {"x": scores}, groups=["A"] * 10)
    assert out.placements[0].labels.tolist() == [None] * 10


ANNUAL_STAR = """
inputs:
  x: {title: 得分, type: number}
  hand: {title: 直接评星, type: number, range: [1, 10], missing: skip}
items:
  - {id: a, title: 甲, max: 100, formula: x}
grades:
  - id: stars
    title: 星级
    bands: [{ge: 95, value: 10}, {lt: 95, value: 8}]
manual: {input: hand, grade: stars}
rankings:
  - id: annual
    title: 年度之星
    among: stars == 10
    share_of: {base}
    tiers: [{label: 年度之星, share: 0.1}]
"""


def annual(base: str) -> tuple[list, int, int]:
    # 9 scored ten-star members (99 … 95) and one member given ten stars by hand, 5 others at 80.
    scores = [99.0, 98.5, 98.0, 97.5, 97.0, 96.5, 96.0, 95.5, 95.0] + [np.nan] + [80.0] * 5
    hand = [np.nan] * 9 + [10.0] + [np.nan] * 5
    out = outcomes_of(ANNUAL_STAR.replace("{base}", base), {"x": scores, "hand": hand})
    placement = out.placements[0]
    return placement.labels.tolist(), int(placement.quotas[0, 0]), int(placement.base[0])


def test_share_of_among_counts_the_member_graded_by_hand() -> None:
    # "不得超过十星级党员总数的 10%": ten-star members = 9 scored + 1 by hand = 10 → floor(10 × 10 %) = 1.
    labels, seats, base = annual("among")
    assert (seats, base) == (1, 10)
    assert labels == ["年度之星"] + [None] * 14   # the hand-graded member counts but cannot be ranked
    # share_of: pool counts only the 9 competing → floor(0.9) = 0, nobody.
    labels, seats, base = annual("pool")
    assert (seats, base) == (0, 9)
    assert labels == [None] * 15


def test_explain_gives_the_seat_arithmetic_in_both_languages() -> None:
    scores = branch(14, 90.0)
    out = outcomes_of(QUARTER_STAR, {"x": scores}, groups=["一支部"] * 14, details=True)
    zh = explain_view(out, 0, Context())["unit"]["rankings"][0]["text"]
    # 14 × 5 % = 0.7 → floor 0 → at least 1.
    assert "名额: 季度之星 1 名（一支部共 14 人 × 5% = 0.7，向下取整 0，不少于 1 名） → 季度之星" in zh
    en = explain_view(out, 0, Context(lang="en"))["unit"]["rankings"][0]["text"]
    assert "seats: 季度之星 1 (一支部: 14 in all × 5% = 0.7, rounded down 0, at least 1) → 季度之星" in en
    small = outcomes_of(QUARTER_STAR, {"x": branch(9, 90.0)}, groups=["二支部"] * 9, details=True)
    assert "分组人数不足 10 人，不评选" in explain_view(small, 0, Context())["unit"]["rankings"][0]["text"]


def problems(body: str) -> list:
    _, found = check_scheme(load_scheme_text(textwrap.dedent(HEADER + ONE_ITEM + body), "q.yaml"))
    return [p for p in found if p.severity == "error"]


def test_seat_bounds_on_a_count_tier_are_located_errors() -> None:
    found = problems("""
rankings:
  - id: award
    title: 一等奖
    tiers: [{label: 一等奖, count: 2, min_seats: 1}]
""")
    assert [p.code for p in found] == ["seats_need_share"]
    assert found[0].location.line == 15 and found[0].location.file == "q.yaml"
    assert "只能用于按比例（share）" in found[0].render("zh")
    assert "bounds the seats of a share tier only" in found[0].render("en")


def test_min_above_max_and_among_base_without_among_are_located_errors() -> None:
    found = problems("""
rankings:
  - id: star
    title: 季度之星
    share_of: among
    tiers: [{label: 季度之星, share: 0.05, min_seats: 3, max_seats: 2}]
""")
    assert sorted(p.code for p in found) == ["seats_min_above_max", "share_of_among_needs_among"]
    lines = {p.code: p.location.line for p in found}
    assert lines == {"share_of_among_needs_among": 15, "seats_min_above_max": 16}
    text = {p.code: p.render("zh") for p in found}
    assert "min_seats: 3 大于至多名额 max_seats: 2" in text["seats_min_above_max"]
    assert "hint: " in text["share_of_among_needs_among"]
