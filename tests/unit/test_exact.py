"""Issue 11: exact decisions and no silent traps.

Every golden number is worked by hand in the comment next to it.
"""

from __future__ import annotations

import itertools
from fractions import Fraction

import numpy as np
import pytest

from engine.context import Context
from engine.compiler import compile_scheme
from engine.data import dataset_from_columns
from engine.evaluate import evaluate
from engine.grade import decide
from engine.inherit import load_scheme
from tests.helpers import ROOT
from tests.helpers import outcomes_of as score

# ---------------------------------------------------------------------------
# 1. Comparisons decided like tiers and grade bands


SATISFACTION = """
inputs:
  good: {title: 满意票, type: count}
  fair: {title: 基本满意票, type: count}
  poor: {title: 较满意票, type: count}
  n: {title: 票数, type: count}
derived:
  - {id: sat, title: 满意度, value: (good * 1 + fair * 0.9 + poor * 0.7) / n * 100}
items:
  - {id: a, title: 满意度达标, max: 5, condition: {when: sat >= 90}}
  - {id: b, title: 满意度未超过 90, max: 5, condition: {when: sat <= 90}}
  - {id: c, title: 满意度恰为 90, max: 5, condition: {when: sat == 90 and not (sat != 90)}}
  - {id: d, title: 满意度超过 90, max: 5, condition: {when: sat > 90 or sat < 90}}
  - id: e
    title: 档次
    max: 5
    tiers:
      value: sat
      bands: [{ge: 90, points: 5}, {lt: 90, points: 0}]
"""


def test_ninety_percent_satisfaction_meets_ge_90_like_a_tier() -> None:
    # u0: (2·1 + 1·0.9 + 1·0.7) ÷ 4 × 100 = 3.6 ÷ 4 × 100 = 90 exactly (float: 89.99999999999999)
    # u1: (2·1 + 2·0.9 + 0) ÷ 4 × 100 = 3.8 ÷ 4 × 100 = 95           → above
    # u2: (1·1 + 2·0.9 + 1·0.7) ÷ 4 × 100 = 3.5 ÷ 4 × 100 = 87.5       → below
    # u3: (8·1 + 1·0.9 + 1·0.7) ÷ 10 × 100 = 9.6 ÷ 10 × 100 = 96      → above
    # u4: (0·1 + 10·0.9 + 0·0.7) ÷ 10 × 100 = 9 ÷ 10 × 100 = 90 exactly
    # u5: good = 0, fair = 9, poor = 1, n = 10: (8.1 + 0.7) ÷ 10 × 100 = 88 → below
    out = score(SATISFACTION, {
        "good": [2.0, 2.0, 1.0, 8.0, 0.0, 0.0],
        "fair": [1.0, 2.0, 2.0, 1.0, 10.0, 9.0],
        "poor": [1.0, 0.0, 1.0, 1.0, 0.0, 1.0],
        "n": [4.0, 4.0, 4.0, 10.0, 10.0, 10.0],
    })
    sat = out.results.derived["sat"]
    assert sat[0] != 90.0  # the float really is off: the tolerance is what decides
    s = out.results.scores
    assert s["a"].tolist() == [5, 5, 0, 5, 5, 0]   # sat ≥ 90
    assert s["b"].tolist() == [5, 0, 5, 0, 5, 5]   # sat ≤ 90
    assert s["c"].tolist() == [5, 0, 0, 0, 5, 0]   # sat == 90
    assert s["d"].tolist() == [0, 5, 5, 5, 0, 5]   # sat > 90 or sat < 90
    assert s["e"].tolist() == s["a"].tolist()      # the tier decides the same


def test_comparisons_in_vetoes_rankings_and_actions_use_the_same_rule() -> None:
    # sat as above: u0 90 (float 89.99999999999999), u1 87.5, u2 95.
    out = score(SATISFACTION + """
vetoes:
  - {id: low, title: 满意度低于 90, when: sat < 90}
grades:
  - id: g
    title: 等次
    bands: [{ge: 5, value: 达标}, {lt: 5, value: 未达标}]
rankings:
  - id: best
    title: 满意度达到 90 的第一名
    among: sat >= 90
    tiers: [{label: 第一, count: 1}]
actions:
  - {id: praise, title: 通报表扬, when: sat >= 90}
""", {"good": [2.0, 1.0, 2.0], "fair": [1.0, 2.0, 2.0], "poor": [1.0, 1.0, 0.0], "n": [4.0, 4.0, 4.0]})
    assert out.results.vetoes["low"].tolist() == [False, True, False]
    assert out.actions["praise"].tolist() == [True, False, True]
    # totals: u0 a 5 + b 5 + c 5 + d 0 + e 5 = 20; u2 5 + 0 + 0 + 5 + 5 = 15; both in the pool
    assert out.placements[0].pool.tolist() == [True, False, True]
    assert out.placements[0].tier.tolist() == [0, -1, -1]


@pytest.mark.parametrize(("value", "ge", "gt", "le", "lt", "eq"), [
    # just either side of 85 at the 6th decimal: a real difference, not float noise
    (85.000001, True, True, False, False, False),
    (84.999999, False, False, True, True, False),
    (85.0, True, False, True, False, True),
    # 0.1 + 0.2 = 0.30000000000000004 in floats: it is 0.3
    (0.1 + 0.2, True, False, True, False, True),
])
def test_each_operator_just_either_side_of_a_threshold(value: float, ge: bool, gt: bool, le: bool, lt: bool, eq: bool) -> None:
    threshold = 0.3 if value < 1 else 85
    out = score(f"""
inputs:
  x: {{title: 值, type: number}}
derived:
  - {{id: ge, title: 不低于, type: boolean, value: x >= {threshold}}}
  - {{id: gt, title: 超过, type: boolean, value: x > {threshold}}}
  - {{id: le, title: 不超过, type: boolean, value: x <= {threshold}}}
  - {{id: lt, title: 不足, type: boolean, value: x < {threshold}}}
  - {{id: eq, title: 等于, type: boolean, value: x == {threshold}}}
  - {{id: ne, title: 不等于, type: boolean, value: x != {threshold}}}
items:
  - {{id: a, title: 甲, max: 1, formula: x * 0}}
""", {"x": [value]})
    d = out.results.derived
    assert [bool(d[k][0]) for k in ("ge", "gt", "le", "lt", "eq", "ne")] == [ge, gt, le, lt, eq, not eq]


GANBU = ROOT / "schemes" / "ganbu-ceping" / "ganbu-ceping.yaml"


def _ganbu_units(combos: list[tuple[tuple[int, int], tuple[int, int], tuple[int, int]]]) -> tuple[list[str], dict[str, np.ndarray]]:
    """One 干部 per combo ((不称职, voters) per group); other voters vote 称职."""
    width = max(sum(n for _, n in combo) for combo in combos)
    choice = np.full((len(combos), width), "", dtype="<U4")
    group = np.full((len(combos), width), "", dtype="<U4")
    for row, combo in enumerate(combos):
        column = 0
        for (fails, voters), name in zip(combo, ("上级领导", "班子成员", "干部群众")):
            for k in range(voters):
                choice[row, column] = "不称职" if k < fails else "称职"
                group[row, column] = name
                column += 1
    return [f"u{i}" for i in range(len(combos))], {"choice": choice, "rater_group": group}


def test_ganbu_weighted_fail_share_of_exactly_one_third_is_buchengzhi() -> None:
    # fail share = 30·f1/n1 + 30·f2/n2 + 40·f3/n3 (%), 不称职 when ≥ 100/3.
    # e.g. groups of 1, 3 and 12 voters with 0, 1 and 7 不称职:
    #   30·0/1 + 30·1/3 + 40·7/12 = 0 + 10 + 70/3 = 100/3 exactly (float 33.33333333333333).
    # Every group-size combination up to 9 / 9 / 15 voters whose share is exactly 1/3
    # (found with fractions), plus the same sizes with one 不称职 vote fewer in the
    # largest group (just below 1/3: 称职 here, as nobody votes 基本称职).
    exact, below = [], []
    for n1, n2, n3 in itertools.product(range(1, 10), range(1, 10), range(1, 16)):
        for f1, f2, f3 in itertools.product(range(n1 + 1), range(n2 + 1), range(n3 + 1)):
            share = Fraction(30 * f1, n1) + Fraction(30 * f2, n2) + Fraction(40 * f3, n3)
            if share == Fraction(100, 3) and f3 > 0:
                exact.append(((f1, n1), (f2, n2), (f3, n3)))
                below.append(((f1, n1), (f2, n2), (f3 - 1, n3)))
    assert ((0, 1), (1, 3), (7, 12)) in exact
    assert len(exact) > 100
    scheme, _ = compile_scheme(load_scheme(GANBU))
    ids, columns = _ganbu_units(exact + below)
    data = dataset_from_columns(scheme, ids, columns, names=ids, types=["干部"] * len(ids))
    out = decide(evaluate(scheme, data))
    levels = out.grades["level"].tolist()
    assert levels[: len(exact)] == ["不称职"] * len(exact)
    assert levels[len(exact):] == ["称职"] * len(below)


# ---------------------------------------------------------------------------
# 2. Declared rounding policy

STARS = """
{rounding}
dimensions:
  month: {{title: 月份, values: [1, 2, 3]}}
inputs:
  s: {{title: 月评分, type: number, range: [0, 10], per: month}}
items:
""" + "".join(f"  - {{{{id: i{k}, title: 第{k}项, max: 10, formula: mean(s)}}}}\n" for k in range(10)) + """
grades:
  - id: stars
    title: 星级
    bands: [{{ge: 95, value: 十星}}, {{ge: 90, lt: 95, value: 九星}}, {{lt: 90, value: 八星及以下}}]
rankings:
  - {{id: top, title: 十星之星, among: total >= 95, tiers: [{{label: 之星, count: 1}}]}}
"""


@pytest.mark.parametrize(("rounding", "item", "total", "stars"), [
    # every item: mean(9.5, 9.5, 9.49) = 28.49 ÷ 3 = 9.496666…
    # items (default): each rounds to 9.50, 10 × 9.50 = 95.00 → 十星
    ("", 9.5, 95.0, "十星"),
    ("rounding: items", 9.5, 95.0, "十星"),
    # total: 10 × 9.496666… = 94.96666… → 94.97 → 九星 (the sheet's items show 9.50 each)
    ("rounding: total", 9.5, 94.97, "九星"),
])
def test_rounding_policy_decides_the_949667_case_on_the_printed_total(rounding: str, item: float, total: float, stars: str) -> None:
    out = score(STARS.format(rounding=rounding), {"s": [[9.5, 9.5, 9.49]]})
    assert out.results.scores["i0"].tolist() == [item]
    assert out.results.total.tolist() == [total]
    assert out.grades["stars"].tolist() == [stars]
    # the ranking's among reads the same printed total
    assert out.placements[0].tier.tolist() == ([0] if stars == "十星" else [-1])


WEIGHTED = """
precision: {precision}
{rounding}
inputs:
  a: {{title: 甲部分得分, type: number}}
  b: {{title: 乙部分得分, type: number}}
parts:
  - {{id: pa, title: 甲, weight: 0.4, items: [{{id: ia, title: 甲, max: 100, formula: a}}]}}
  - {{id: pb, title: 乙, weight: 0.6, items: [{{id: ib, title: 乙, max: 100, formula: b}}]}}
grades:
  - id: g
    title: 等次
    bands: [{{ge: 60, value: 合格}}, {{lt: 60, value: 不合格}}]
"""


@pytest.mark.parametrize(("precision", "rounding", "total", "grade"), [
    # 0.4 × 59.99 + 0.6 × 60 = 23.996 + 36 = 59.996
    # at 2 decimals it is printed 60.00 under either policy, and decided on what is printed: 合格
    (2, "rounding: items", 60.0, "合格"),
    (2, "rounding: total", 60.0, "合格"),
    # shown at 3 decimals it is 59.996: 不合格 under either policy
    (3, "rounding: items", 59.996, "不合格"),
    (3, "rounding: total", 59.996, "不合格"),
])
def test_rounding_policy_59996_is_decided_on_the_printed_total(precision: int, rounding: str, total: float, grade: str) -> None:
    out = score(WEIGHTED.format(precision=precision, rounding=rounding), {"a": [59.99], "b": [60.0]})
    assert out.results.total.tolist() == [total]
    assert out.grades["g"].tolist() == [grade]


def test_rounding_total_sums_full_precision_items_and_sections() -> None:
    # Two items of 0.004 each in a section: items policy 0.00 + 0.00 = 0.00;
    # total policy 0.004 + 0.004 = 0.008 → 0.01 (each item still shows 0.00).
    body = """
inputs:
  x: {title: 值, type: number}
items:
  - id: s
    title: 组
    items:
      - {id: a, title: 甲, max: 1, formula: x}
      - {id: b, title: 乙, max: 1, formula: x}
"""
    items = score("rounding: items\n" + body, {"x": [0.004]})
    total = score("rounding: total\n" + body, {"x": [0.004]})
    assert (items.results.scores["a"].tolist(), items.results.scores["s"].tolist(), items.results.total.tolist()) == ([0.0], [0.0], [0.0])
    assert (total.results.scores["a"].tolist(), total.results.scores["s"].tolist(), total.results.total.tolist()) == ([0.0], [0.01], [0.01])


# ---------------------------------------------------------------------------
# 3. Bounds that say what they mean


def test_an_adjustment_is_unbounded_unless_it_declares_bounds() -> None:
    out = score("""
inputs:
  warn: {title: 警告次数, type: count}
  x: {title: 得分, type: number}
items:
  - {id: a, title: 基础, max: 100, formula: x}
adjustments:
  - {id: penalty, title: 警告扣分, formula: -warn}
""", {"warn": [3.0, 0.0], "x": [80.0, 80.0]})
    # u0: −3 (not clamped to 0); total 80 − 3 = 77
    assert out.results.scores["penalty"].tolist() == [-3.0, 0.0]
    assert out.results.total.tolist() == [77.0, 80.0]
    assert out.results.warnings == ()


def test_declared_bounds_clamp_silently_and_implicit_ones_warn() -> None:
    out = score("""
inputs:
  n: {title: 违规次数, type: count}
items:
  # 扣完 20 分为止: 5 per breach, floor −20 declared → no warning
  - {id: floor, title: 扣分, max: 0, min: -20, formula: -5 * n}
  # no min written: [0, 10] is implicit; going below 0 or above 10 warns
  - {id: plain, title: 得分, max: 10, formula: 12 - 5 * n}
adjustments:
  # an adjustment with a declared cap: clamped at 3 without a word
  - {id: bonus, title: 加分, max: 3, formula: n}
""", {"n": [0.0, 2.0, 5.0]})
    # floor: 0, −10, −25 → −20;  plain: 12 → 10, 2, −13 → 0;  bonus: 0, 2, 5 → 3
    assert out.results.scores["floor"].tolist() == [0.0, -10.0, -20.0]
    assert out.results.scores["plain"].tolist() == [10.0, 2.0, 0.0]
    assert out.results.scores["bonus"].tolist() == [0.0, 2.0, 3.0]
    capped = [w for w in out.results.warnings if w.code == "eval_capped"]
    assert len(capped) == 1
    assert "plain" in capped[0].render("zh") and "2 个单位" in capped[0].render("zh")


@pytest.mark.parametrize("uncapped", ["不封顶", ".inf"])
def test_an_uncapped_item_reaches_354_and_its_sheet_says_so(uncapped: str) -> None:
    from engine.reports import Settings, render_kind
    from engine.render import explain
    import datetime

    out = score(f"""
inputs:
  papers: {{title: 发表论文数, type: count}}
items:
  - {{id: base, title: 基础分, max: 100, formula: 0 * papers + 100}}
  - {{id: bonus, title: 论文加分（每篇 3 分，不封顶）, max: {uncapped}, formula: 3 * papers}}
""", {"papers": [118.0]})
    # 3 × 118 = 354; total 100 + 354 = 454
    assert out.results.scores["bonus"].tolist() == [354.0]
    assert out.results.total.tolist() == [454.0]
    assert out.results.warnings == ()
    sheet = render_kind(out, "sheets", Settings(datetime.date(2024, 12, 20)), "md")
    assert "| 论文加分（每篇 3 分，不封顶） | 不封顶 | 354.00 |" in sheet
    assert "inf" not in sheet and "10000" not in sheet
    assert "不封顶" in explain(out, 0) and "uncapped" in explain(out, 0, Context(lang="en"))


def test_min_no_floor_and_rules_that_need_a_finite_max() -> None:
    out = score("""
inputs:
  n: {title: 次数, type: count}
items:
  - {id: a, title: 扣分不设下限, max: 0, min: 不设下限, formula: -7 * n}
""", {"n": [100.0]})
    # −7 × 100 = −700, no floor
    assert out.results.scores["a"].tolist() == [-700.0]
    from engine.compiler import check_scheme
    from engine.loader import load_scheme_text
    from tests.helpers import HEADER

    _, problems = check_scheme(load_scheme_text(HEADER + """
inputs:
  ok: {title: 合格, type: boolean}
items:
  - {id: a, title: 甲, max: 不封顶, condition: {when: ok}}
""", "t.yaml"))
    assert [p.code for p in problems] == ["uncapped_needs_max"]
    assert problems[0].location.line == 10  # HEADER is 6 lines (a blank one first), then 4 of body


# ---------------------------------------------------------------------------
# 4. Category literals checked


def _problems(body: str) -> list:
    from engine.compiler import check_scheme
    from engine.loader import load_scheme_text
    from tests.helpers import HEADER

    return list(check_scheme(load_scheme_text(HEADER + body, "t.yaml"))[1])


def test_a_mistyped_category_literal_is_an_error_with_did_you_mean() -> None:
    problems = _problems("""
units:
  types: {乡镇: {title: 乡镇}, 部门: {title: 部门}}
inputs:
  a2_rating: {title: 评价, type: category, values: [好, 较好, 一般]}
items:
  - {id: a, title: 甲, max: 5, condition: {when: "a2_rating == '较 好'"}}
  - {id: b, title: 乙, max: 5, condition: {when: "unit_type == '乡 镇' or '一股' != a2_rating"}}
""")
    assert [(p.code, p.location.line) for p in problems] == [("expr_unknown_category", 12)] + [("expr_unknown_category", 13)] * 2
    zh, en = problems[0].render("zh"), problems[0].render("en")
    assert "'较 好' 不是 a2_rating 的可选值" in zh and "是否想写 '较好'？" in zh and "好、较好、一般" in zh
    assert "did you mean '较好'?" in en
    line_13 = " ".join(p.render("zh") for p in problems[1:])
    assert "是否想写 '乡镇'？" in line_13 and "是否想写 '一般'？" in line_13


def test_levels_over_a_category_warn_about_values_no_level_names() -> None:
    problems = _problems("""
inputs:
  honour: {title: 表彰, type: category, values: [国家级, 省级, 市级, 无]}
items:
  - {id: a, title: 甲, max: 5, formula: "5"}
adjustments:
  - id: bonus
    title: 表彰加分
    levels:
      levels:
        - {title: 国家级, points: 5, when: "honour == '国家级'"}
        - {title: 省级, points: 3, when: "honour == '省级'"}
""")
    assert [(p.code, p.severity) for p in problems] == [("levels_uncovered", "warning")]
    assert "取值 市级、无 不属于任何一级" in problems[0].render("zh")
    # naming every value (无 at 0 points) silences it
    assert _problems("""
inputs:
  honour: {title: 表彰, type: category, values: [国家级, 无]}
items:
  - {id: a, title: 甲, max: 5, formula: "5"}
adjustments:
  - id: bonus
    title: 表彰加分
    levels:
      levels:
        - {title: 国家级, points: 5, when: "honour == '国家级'"}
        - {title: 无, points: 0, when: "honour == '无'"}
""") == []


# ---------------------------------------------------------------------------
# 5. A formula is one expression


def test_a_multi_line_formula_is_one_expression() -> None:
    out = score("""
inputs:
  a: {title: 甲, type: number}
  b: {title: 乙, type: number}
items:
  - id: block
    title: 块写法
    max: 100
    formula: |
      a * 0.5
      + b * 0.5
  - {id: quoted, title: 引号写法, max: 100, formula: "a * 0.5\\n+ 50"}
""", {"a": [80.0], "b": [60.0]})
    # block: 80 × 0.5 + 60 × 0.5 = 40 + 30 = 70 (not 40, the first line alone)
    # quoted: 80 × 0.5 + 50 = 90
    assert out.results.scores["block"].tolist() == [70.0]
    assert out.results.scores["quoted"].tolist() == [90.0]


def test_more_than_one_statement_is_a_located_error() -> None:
    problems = _problems("""
inputs:
  a: {title: 甲, type: number}
items:
  - {id: a1, title: 甲, max: 100, formula: "a * 0.5; 50"}
""")
    assert [(p.code, p.location.line, p.location.path) for p in problems] == [("expr_many_statements", 10, "$.items[0].formula")]
    assert "含有 2 个语句" in problems[0].render("zh") and "2 statements" in problems[0].render("en")


# ---------------------------------------------------------------------------
# 6. Every number in a scheme is finite


NAN_CASES = [
    # (body lines after "items:", line of the bad number, its YAML path)
    ("inputs:\n  x: {title: 值, type: number, range: [0, .nan]}\nitems:\n  - {id: a, title: 甲, max: 10, formula: x}\n", 8, "$.inputs.x.range[1]"),
    ("inputs:\n  x: {title: 值, type: number}\nitems:\n  - {id: a, title: 甲, max: .nan, formula: x}\n", 10, "$.items[0].max"),
    ("inputs:\n  x: {title: 值, type: number}\nitems:\n  - {id: a, title: 甲, max: 10, tiers: {value: x, bands: [{ge: .nan, points: 10}]}}\n", 10, "$.items[0].tiers.bands[0].ge"),
    ("inputs:\n  x: {title: 值, type: number}\nitems:\n  - {id: a, title: 甲, max: 10, formula: x}\nrescale: {full: .nan}\n", 11, "$.rescale.full"),
    ("inputs:\n  x: {title: 值, type: number}\nitems:\n  - {id: a, title: 甲, max: 10, formula: x}\nrescale: {full: .inf}\n", 11, "$.rescale.full"),
    ("inputs:\n  x: {title: 值, type: number}\nitems:\n  - {id: a, title: 甲, max: 10, formula: x, min: " + "9" * 400 + "}\n", 10, "$.items[0].min"),
]


@pytest.mark.parametrize(("body", "line", "path"), NAN_CASES)
def test_non_finite_numbers_are_located_errors(body: str, line: int, path: str) -> None:
    problems = [p for p in _problems("\n" + body) if p.code == "not_finite"]
    assert [(p.location.line, p.location.path) for p in problems] == [(line, path)]
    assert "不是有限的数" in problems[0].render("zh") and "not a finite number" in problems[0].render("en")


def test_infinities_that_mean_no_bound_are_fine_and_expression_constants_are_checked() -> None:
    assert [p.code for p in _problems("""
inputs:
  x: {title: 值, type: number, range: [-.inf, .inf]}
items:
  - {id: a, title: 甲, max: .inf, min: -.inf, formula: x}
  - {id: b, title: 乙, max: 10, tiers: {value: x, bands: [{ge: 5, points: 10}, {gt: -.inf, lt: 5, points: 0}]}}
""") if p.severity == "error"] == []
    problems = _problems("""
inputs:
  x: {title: 值, type: number}
items:
  - {id: a, title: 甲, max: 10, formula: x * 1e999}
""")
    assert [p.code for p in problems] == ["expr_not_finite"]
    assert "'1e999'" in problems[0].render("zh")


def test_set_with_nan_is_a_located_error(capsys: pytest.CaptureFixture[str]) -> None:
    from engine.cli import main

    scheme = str(ROOT / "schemes" / "jifenzhi" / "jifenzhi.yaml")
    code = main(["diff", scheme, scheme, "--data", str(ROOT / "schemes" / "jifenzhi" / "data"), "--set", "item_10.max=.nan"])
    err = capsys.readouterr().err
    assert code == 1
    assert "(--set item_10.max=.nan):117:10: $.items[9].max: 'NaN' 不是有限的数" in err
    assert "Traceback" not in err


# ---------------------------------------------------------------------------
# 7. Forced grades checked


def test_a_forced_grade_must_be_a_value_of_the_grade() -> None:
    body = """
inputs:
  x: {{title: 值, type: number}}
  bad: {{title: 违纪, type: boolean}}
items:
  - {{id: a, title: 甲, max: 100, formula: x}}
vetoes:
  - {{id: v, title: 违纪, when: bad, effect: force_grade, grade: {forced}}}
grades:
  - id: g
    title: 等次
    bands: [{{ge: 60, value: 合格}}, {{lt: 60, value: 不合格}}]
"""
    problems = _problems(body.format(forced="不合各"))
    assert [(p.code, p.location.line, p.location.path) for p in problems] == [("forced_grade_unknown", 13, "$.vetoes[0].grade")]
    assert "是否想写 '不合格'？" in problems[0].render("zh") and "合格、不合格" in problems[0].render("zh")
    assert _problems(body.format(forced="不合格")) == []


# ---------------------------------------------------------------------------
# 8. Tie defaults that match the purpose


def test_a_bottom_ranking_includes_ties_and_a_top_one_excludes_them() -> None:
    out = score("""
inputs:
  x: {title: 得分, type: number}
items:
  - {id: a, title: 甲, max: 100, formula: x}
rankings:
  - {id: best, title: 第一名, tiers: [{label: 第一, count: 1}]}
  - {id: last, title: 排名较后, order: asc, tiers: [{label: 排名较后, count: 1}]}
""", {"x": [90.0, 90.0, 64.0, 64.0, 80.0]})
    # top: u0 and u1 tie at 90 for one seat → neither (exclude, the quota is never exceeded)
    # bottom: u2 and u3 tie at 64 for one seat → both (include, a penalty is not escaped by a tie)
    assert out.placements[0].tier.tolist() == [-1, -1, -1, -1, -1]
    assert out.placements[1].tier.tolist() == [-1, -1, 0, 0, -1]


def test_ganbu_renormalises_over_groups_with_a_valid_ballot_and_names_a_unit_with_none() -> None:
    from engine.errors import EvaluationError

    scheme, _ = compile_scheme(load_scheme(GANBU))
    # u0: 上级领导 both abstain; 班子成员 优秀 优秀 称职; 干部群众 优秀 称职
    #   excellent = (30 × 2/3 + 40 × 1/2) × 100 ÷ (30 + 40) = (20 + 20) ÷ 70 × 100 = 57.142… → 57.14
    choice = np.array([["弃权", "弃权", "优秀", "优秀", "称职", "优秀", "称职"]])
    group = np.array([["上级领导", "上级领导", "班子成员", "班子成员", "班子成员", "干部群众", "干部群众"]])
    data = dataset_from_columns(scheme, ["u0"], {"choice": choice, "rater_group": group}, names=["甲"], types=["班子"])
    out = decide(evaluate(scheme, data))
    assert out.results.scores["excellent"].tolist() == [57.14]
    assert out.grades["team_level"].tolist() == ["优秀"]
    # u1: every ballot abstains → no group has a valid ballot: an error naming the unit, the item and the values read
    choice = np.array([["弃权", "弃权", "弃权"]])
    group = np.array([["上级领导", "班子成员", "干部群众"]])
    data = dataset_from_columns(scheme, ["u1"], {"choice": choice, "rater_group": group}, names=["乙"], types=["班子"])
    with pytest.raises(EvaluationError) as caught:
        evaluate(scheme, data)
    text = caught.value.problems[0].render("zh")
    assert "项目 excellent（加权优秀票比例） 对单位 u1（乙） 得出非数值" in text
    assert "单位 u1 读取的值: excellent_share = 空" in text and "weight_valid = 0" in text and "choice = [弃权, 弃权, 弃权]" in text


# ---------------------------------------------------------------------------
# 9. Displayed maxima count only the items that apply


def test_displayed_maxima_count_only_applicable_items() -> None:
    import datetime
    import json

    from engine.render import explain, to_json
    from engine.reports import Settings, render_kind

    out = score("""
units:
  types: {老党员: {title: 老党员}, 新申报: {title: 新申报}}
inputs:
  x: {title: 得分, type: number}
parts:
  - id: pa
    title: 基础
    weight: 1
    items:
      - id: sec
        title: 组织建设
        items:
          - {id: a, title: 甲, max: 60, formula: x}
          - {id: b, title: 乙, max: 40, formula: x}
          - {id: c, title: 老党员专项, max: 20, formula: x, applies_to: [老党员]}
""", {"x": [10.0, 10.0]}, types=["老党员", "新申报"])
    # 老党员: 60 + 40 + 20 = 120; 新申报: 60 + 40 = 100 (专项 does not apply)
    document = json.loads(to_json(out))
    maxima = {u["id"]: (u["items"]["sec"]["max"], u["items"]["c"]["max"]) for u in document["units"]}
    assert maxima == {"u0": (120, 20), "u1": (100, None)}
    # explain: the part and the section show 100 for the 新申报 unit
    text = explain(out, 1)
    assert "20.00 / 100" in text and "/ 120" not in text
    assert "30.00 / 120" in explain(out, 0)
    sheet = render_kind(out, "sheets", Settings(datetime.date(2024, 12, 20)), "md")
    assert "| 组织建设 | 120 | 30.00 |" in sheet and "| 组织建设 | 100 | 20.00 |" in sheet


# ---------------------------------------------------------------------------
# 10. Explain puts things where they are


def _kaohe(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    from engine.cli import main

    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_explain_points_at_the_correction_row_and_never_prints_none(capsys: pytest.CaptureFixture[str], tmp_path) -> None:
    jifenzhi = ROOT / "schemes" / "jifenzhi"
    code, out, _ = _kaohe(capsys, "explain", str(jifenzhi / "jifenzhi.yaml"), "--data", str(jifenzhi / "data"), "--unit", "D021")
    assert code == 0
    assert "月份 3 已更正 6 → 7 ← 更正表 " in out and "半年评议更正.csv 第 2 行" in out
    ganbu = ROOT / "schemes" / "ganbu-ceping"
    code, out, _ = _kaohe(capsys, "explain", str(ganbu / "ganbu-ceping.yaml"), "--data", str(ganbu / "data"), "--unit", "T1",
                          "--period", "2024", "--history", str(tmp_path / "h.sqlite"))
    assert code == 0
    assert "领导班子等次: 不适用（只评定 班子）" in out and "None" not in out


def test_explain_lists_history_values_with_their_period(capsys: pytest.CaptureFixture[str], tmp_path) -> None:
    dangfeng = ROOT / "schemes" / "dangfeng-lianzheng"
    common = ["--data", str(dangfeng / "data"), "--history", str(tmp_path / "h.sqlite")]
    assert _kaohe(capsys, "run", str(dangfeng / "dangfeng-lianzheng.yaml"), "--period", "2023", "--record", *common)[0] == 0
    code, out, _ = _kaohe(capsys, "explain", str(dangfeng / "dangfeng-lianzheng.yaml"), "--period", "2024", "--unit", "C10", *common)
    assert code == 0
    # the same data recorded as 2023: C10 was last then too
    assert "bottom_last_year = 是（2023 期）" in out


def test_explain_lists_a_history_value_read_by_an_item(capsys: pytest.CaptureFixture[str], tmp_path) -> None:
    scheme = tmp_path / "s.yaml"
    scheme.write_text("""kaohe: 1
id: hist
version: "1"
title: 往期
inputs:
  x: {title: 得分, type: number}
history:
  - {id: last_total, title: 上期总分, of: total}
items:
  - {id: a, title: 本期, max: 100, formula: x}
  - {id: keep, title: 保持加分, max: 5, condition: {when: last_total >= 90}}
""", encoding="utf-8")
    data = tmp_path / "d.csv"
    data.write_text("编号,名称,得分\nA,甲,95\n", encoding="utf-8")
    common = ["--data", str(data), "--history", str(tmp_path / "h.sqlite")]
    assert _kaohe(capsys, "run", str(scheme), "--period", "2023", "--record", *common)[0] == 0
    code, out, _ = _kaohe(capsys, "explain", str(scheme), "--period", "2024", "--unit", "A", *common)
    assert code == 0, out
    # 2023: 95 + 0 = 95 (no earlier period, so no bonus) → 2024 reads last_total = 95 ≥ 90 → +5
    assert "读取 last_total（上期总分）= 95  ← 往期结果: total，2023 期" in out


def test_explain_shows_an_overridden_rule_at_the_childs_line(capsys: pytest.CaptureFixture[str], tmp_path) -> None:
    import shutil

    wulumuqi = ROOT / "schemes" / "chuangxian-zhengyou-wulumuqi"
    schemes = tmp_path / "schemes"
    shutil.copytree(wulumuqi, schemes / wulumuqi.name)
    (schemes / "county").mkdir()
    child = schemes / "county" / "county.yaml"
    child.write_text("""extends: ../chuangxian-zhengyou-wulumuqi/chuangxian-zhengyou-wulumuqi.yaml
id: county
version: "2013"
title: 某县
override:
  item_12: {formula: "score_12 * 0.5"}
""", encoding="utf-8")
    code, out, err = _kaohe(capsys, "run", str(child), "--data", str(wulumuqi / "data"), "--format", "json")
    assert code == 0, err
    import json

    first = json.loads(out)["units"][0]["id"]
    code, out, _ = _kaohe(capsys, "explain", str(child), "--data", str(wulumuqi / "data"), "--unit", first)
    assert code == 0
    line = next(text for text in out.splitlines() if "score_12 * 0.5" in text)
    assert "county.yaml:6: score_12 * 0.5" in line  # the override, not the parent's item line


# ---------------------------------------------------------------------------
# 11. Messages


def test_the_summary_line_counts_warnings_apart_from_errors(capsys: pytest.CaptureFixture[str], tmp_path) -> None:
    scheme = tmp_path / "s.yaml"
    # 2 errors (unknown names) and 2 warnings (a section total and a band gap)
    scheme.write_text("""kaohe: 1
id: s
version: "1"
title: 测试
inputs:
  x: {title: 值, type: number}
items:
  - id: sec
    title: 组
    max: 20
    items:
      - {id: a, title: 甲, max: 10, formula: y}
      - {id: b, title: 乙, max: 5, formula: z}
      - {id: c, title: 丙, max: 5, tiers: {value: x, bands: [{ge: 90, points: 5}]}}
      - {id: d, title: 丁, max: 5, formula: x}
""", encoding="utf-8")
    code, _, err = _kaohe(capsys, "validate", str(scheme))
    assert code == 1
    assert "2 个错误，2 个警告" in err
    code, _, err = _kaohe(capsys, "run", str(scheme), "--data", str(tmp_path))
    assert code == 1 and "共 2 个错误，2 个警告。" not in err  # run stops at the errors (warnings are not carried)
    assert "共 2 个错误。" in err


def test_every_schema_keyword_has_a_message_of_its_own() -> None:
    from engine.validate import CONVERTED_KEYWORDS, scheme_schema

    used: set[str] = set()

    def walk(node, in_properties: bool = False) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if not in_properties:
                    used.add(key)
                walk(value, key in ("properties", "$defs"))
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(scheme_schema())
    # keywords that only structure the schema or annotate it (no error of their own)
    structural = {"$schema", "$id", "$defs", "$ref", "title", "description", "default", "properties", "items", "propertyNames"}
    assert "maxItems" in used and "anyOf" in used  # the walk sees real keywords
    assert used - structural - CONVERTED_KEYWORDS == set()
    problems = _problems("inputs:\n  x: {title: 值, type: number, range: [0, 100, 5]}\nitems:\n  - {id: a, title: 甲, max: 10, formula: x}\n")
    assert [p.code for p in problems] == ["too_many"]
    assert "最多写 2 项，实际有 3 项" in problems[0].render("zh") and "is too long" not in problems[0].render("en")


def test_every_message_field_is_passed_by_its_callers() -> None:
    import ast as python_ast
    import string

    from engine.messages import MESSAGES

    passed: dict[str, list[set[str]]] = {}
    for path in (ROOT / "engine").rglob("*.py"):
        for node in python_ast.walk(python_ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, python_ast.Call) or not node.args:
                continue
            name = getattr(node.func, "attr", getattr(node.func, "id", None))
            first = node.args[0]
            if name not in ("at", "problem", "fail") or not (isinstance(first, python_ast.Constant) and first.value in MESSAGES):
                continue
            if any(k.arg is None for k in node.keywords):
                continue  # **args: checked where they are built
            given = {k.arg for k in node.keywords if k.arg} | ({"expr"} if name == "fail" else set())
            passed.setdefault(first.value, []).append(given)
    assert len(passed) > 80
    missing = []
    for code, calls in passed.items():
        fields = {f for templates in MESSAGES[code].values() for text in templates for _, f, _, _ in string.Formatter().parse(text) if f}
        fields.discard("suggestion")  # filled from 'suggest'
        missing += [(code, sorted(fields - given)) for given in calls if fields - given]
    assert missing == []


def test_a_ranking_used_in_an_item_says_when_it_is_computed() -> None:
    problems = _problems("""
inputs:
  x: {title: 值, type: number}
items:
  - {id: a, title: 甲, max: 10, formula: x}
  - {id: b, title: 乙, max: 5, condition: {when: top5}}
rankings:
  - {id: top5, title: 前五名, tiers: [{label: 前五, count: 5}]}
""")
    assert [p.code for p in problems] == ["expr_not_yet_known"]
    zh = problems[0].render("zh")
    assert "'top5' 是排名评选，在这里还没有算出" in zh and "可用于后面的排名评选和结果运用" in zh and "inputs:" not in zh


def test_yaml_hints_in_words_for_split_expressions_and_colons() -> None:
    from engine.errors import SchemeError
    from engine.loader import load_scheme_text

    problems = _problems("""
inputs:
  flag: {title: 标志, type: boolean}
items:
  - {id: a, title: 甲, max: 5, formula: where(flag, 5, 0)}
""")
    assert [p.code for p in problems] == ["flow_split_expression"]
    assert 'formula: "where(flag, 5, 0)"' in problems[0].render("zh")
    glued = [p for p in _problems("inputs:{x: 1}\nitems:\n  - {id: a, title: 甲, max: 5, formula: '5'}\n") if p.code == "yaml_colon_space"]
    assert [p.location.line for p in glued] == [6]  # HEADER is 5 lines (a blank one first)
    assert "'inputs:' 的冒号后面缺一个空格" in glued[0].render("zh")
    for text, code, line in [
        ("kaohe: 1\nnote:信息\nid: a\n", "yaml_colon_space", 2),
        ("kaohe: 1\nnote: 信息报送: 及时\n", "yaml_colon_in_value", 2),
    ]:
        with pytest.raises(SchemeError) as caught:
            load_scheme_text(text, "t.yaml")
        problem = caught.value.problems[0]
        assert (problem.code, problem.location.line) == (code, line)
        assert "mapping values" not in problem.render("zh")
    assert 'note: "信息报送: 及时"' in problem.render("zh")


def test_lang_en_reaches_the_hand_graded_total_in_reports() -> None:
    import datetime

    from engine.data import read_dataset
    from engine.reports import KINDS, Settings, render_kind

    jifenzhi = ROOT / "schemes" / "jifenzhi"
    scheme, _ = compile_scheme(load_scheme(jifenzhi / "jifenzhi.yaml"))
    out = decide(evaluate(scheme, read_dataset(scheme, [jifenzhi / "data"])))
    assert out.results.manual.any()  # the sample has members graded by hand
    pages = {kind: render_kind(out, kind, Settings(datetime.date(2024, 12, 20), context=Context(lang="en"))) for kind in KINDS}
    assert any("by hand" in page for page in pages.values())
    assert [kind for kind, page in pages.items() if "直接评定" in page] == []


def test_infinite_band_bounds_match_like_a_missing_bound() -> None:
    out = score("""
inputs:
  x: {title: 值, type: number}
items:
  - id: a
    title: 甲
    max: 2
    tiers: {value: x, bands: [{gt: -.inf, lt: 60, points: 0}, {ge: 60, le: .inf, points: 2}]}
""", {"x": [30.0, 60.0, 1e300]})
    # 30 ∈ (−∞, 60) → 0; 60 ∈ [60, +∞] → 2; 1e300 ∈ [60, +∞] → 2
    assert out.results.scores["a"].tolist() == [0.0, 2.0, 2.0]
    assert [w.code for w in out.results.warnings] == []


def test_the_workbook_header_shows_the_maxima_of_the_units_in_it(tmp_path) -> None:
    import openpyxl

    from engine.reports import write_workbook

    out = score("""
units:
  types: {老党员: {title: 老党员}, 新申报: {title: 新申报}}
inputs:
  x: {title: 得分, type: number}
items:
  - id: sec
    title: 组织建设
    items:
      - {id: a, title: 甲, max: 100, formula: x}
      - {id: c, title: 老党员专项, max: 20, formula: x, applies_to: [老党员]}
  - {id: bonus, title: 加分, max: 不封顶, formula: x}
""", {"x": [10.0, 10.0]}, types=["老党员", "新申报"])
    path = write_workbook(out, tmp_path / "r.xlsx")
    sheet = openpyxl.load_workbook(path)["得分明细"]
    header = [cell.value for cell in sheet[1]]
    # 组织建设: 100 + 20 = 120 for 老党员, 100 for 新申报
    assert header[2:] == ["组织建设（100/120）", "甲（100）", "老党员专项（20）", "加分（不封顶）"]
