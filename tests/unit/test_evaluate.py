"""Every rule kind, parts, applicability, vetoes and grades on small hand-made columns."""

from __future__ import annotations

import numpy as np
import pytest

from engine.errors import EvaluationError
from tests.helpers import outcomes_of as score

def test_condition_all_or_nothing() -> None:
    out = score("""
inputs:
  has_group: {title: 有领导小组, type: boolean}
items:
  - {id: a, title: 领导小组, max: 1, condition: {when: has_group}}
""", {"has_group": [True, False]})
    assert out.results.scores["a"].tolist() == [1.0, 0.0]


def test_deductions_share_one_floor_at_zero() -> None:
    # S3 item 3 shape: 3 points, −0.2 per missing system, −1 without liaison, floor 0.
    out = score("""
inputs:
  missing: {title: 缺少制度数, type: count}
  no_liaison: {title: 无联系制度, type: boolean}
items:
  - id: a
    title: 制度建设
    max: 3
    deductions:
      clauses:
        - {title: 缺少制度, per: 0.2, count: missing}
        - {title: 无联系制度, points: 1, when: no_liaison}
""", {"missing": [3.0, 0.0, 20.0], "no_liaison": [False, True, True]})
    # u0: 3 − 0.2×3 = 2.4 (not 2.4000000000000004); u1: 3 − 1 = 2; u2: 3 − 4 − 1 < 0 → 0 (减完为止)
    assert out.results.scores["a"].tolist() == [2.4, 2.0, 0.0]


def test_deduction_caps_per_clause_and_in_total() -> None:
    out = score("""
inputs:
  n: {title: 次数, type: count}
items:
  - id: a
    title: 甲
    max: 10
    deductions:
      cap: 5
      clauses:
        - {title: 每次 2 分，本条最多 4 分, per: 2, count: n, cap: 4}
        - {title: 每次 1 分, per: 1, count: n}
""", {"n": [1.0, 3.0]})
    # u0: 2 + 1 = 3 → 7; u1: min(6, 4) + 3 = 7 → capped at 5 → 5
    assert out.results.scores["a"].tolist() == [7.0, 5.0]


def test_tiers_first_matching_band_and_fraction() -> None:
    out = score("""
inputs:
  rate: {title: 满意率, type: percentage}
items:
  - id: a
    title: 满意度
    max: 5
    tiers:
      value: rate
      bands:
        - {ge: 90, points: 5}
        - {ge: 80, lt: 90, fraction: 0.4}
        - {lt: 80, points: 0}
""", {"rate": [95.0, 90.0, 89.99, 80.0, 79.0]})
    assert out.results.scores["a"].tolist() == [5.0, 5.0, 2.0, 2.0, 0.0]


def test_tiers_gap_scores_zero_with_a_warning() -> None:
    out = score("""
inputs:
  rate: {title: 知晓率, type: percentage}
items:
  - id: a
    title: 知晓率
    max: 2
    tiers:
      value: rate
      bands:
        - {ge: 90, points: 2}
        - {lt: 80, points: 0}
""", {"rate": [85.0, 95.0]})
    assert out.results.scores["a"].tolist() == [0.0, 2.0]
    assert [w.code for w in out.results.warnings] == ["eval_no_band"]


def test_proportional_scaling() -> None:
    # S4 组织部 10: 30 points in proportion to the economic score (同比例扣减).
    out = score("""
inputs:
  econ: {title: 经济责任制得分, type: number, range: [0, 100]}
items:
  - {id: a, title: 经济责任制, max: 30, proportional: {value: econ, full: 100}}
""", {"econ": [100.0, 87.5]})
    assert out.results.scores["a"].tolist() == [30.0, 26.25]


def test_levels_highest_only_or_summed() -> None:
    out = score("""
inputs:
  national: {title: 国家级, type: count}
  county: {title: 县级, type: count}
items:
  - {id: base, title: 基础, max: 100, formula: "80"}
adjustments:
  - id: highest
    title: 只取最高
    max: 5
    levels:
      levels:
        - {title: 国家级, points: 5, count: national}
        - {title: 县级, points: 2, count: county}
  - id: summed
    title: 累加
    max: 100
    levels:
      pick: sum
      levels:
        - {title: 国家级, points: 5, count: national}
        - {title: 县级, points: 2, count: county}
""", {"national": [1.0, 0.0, 0.0], "county": [2.0, 2.0, 0.0]})
    r = out.results
    assert r.scores["highest"].tolist() == [5.0, 2.0, 0.0]
    assert r.scores["summed"].tolist() == [9.0, 4.0, 0.0]  # 5 + 2×2; 2×2
    assert r.total.tolist() == [94.0, 86.0, 80.0]


def test_weighted_parts_40_60() -> None:
    # S5 shape: part A × 40% + part B × 60%, innovation bonus added after weighting.
    out = score("""
inputs:
  a: {title: 甲, type: number}
  b: {title: 乙, type: number}
  city: {title: 全市推广, type: count}
parts:
  - id: part_a
    title: 党委政府抓党风廉政建设
    weight: 0.4
    items: [{id: ia, title: 甲, max: 100, formula: a}]
  - id: part_b
    title: 纪检监察工作
    weight: 0.6
    items: [{id: ib, title: 乙, max: 100, formula: b}]
adjustments:
  - {id: bonus, title: 创新加分, max: 10, levels: {pick: sum, levels: [{title: 全市推广, points: 2, count: city}]}}
""", {"a": [85.5, 100.0], "b": [90.25, 50.0], "city": [1.0, 0.0]})
    # u0: 85.5×0.4 + 90.25×0.6 = 34.2 + 54.15 = 88.35, + 2 = 90.35
    # u1: 40 + 30 = 70
    assert out.results.parts["part_a"].tolist() == [85.5, 100.0]
    assert out.results.total.tolist() == [90.35, 70.0]


def test_applicability_and_rescaling_to_full_marks() -> None:
    # S3 shape: one item only for townships; each type is rescaled to 100 (折算).
    out = score("""
units:
  types:
    乡镇: {title: 乡镇}
    机关: {title: 机关}
rescale: {full: 100}
inputs:
  x: {title: 甲, type: number}
  y: {title: 乙, type: number}
items:
  - {id: common, title: 通用, max: 90, formula: x}
  - {id: town, title: 党群共建, max: 10, applies_to: [乡镇], formula: y}
""", {"x": [81.0, 81.0], "y": [10.0, 10.0]}, types=["乡镇", "机关"])
    r = out.results
    assert np.isnan(r.scores["town"][1])  # not applicable to 机关
    # 乡镇: 81 + 10 = 91 of 100; 机关: 81 of 90 → 81 × 100 / 90 = 90
    assert r.total.tolist() == [91.0, 90.0]


def test_section_max_caps_its_items() -> None:
    out = score("""
inputs:
  x: {title: 甲, type: number}
items:
  - id: bonus
    title: 加分项（最高 5 分）
    max: 5
    items:
      - {id: b1, title: 一, max: 5, formula: x}
      - {id: b2, title: 二, max: 5, formula: x}
""", {"x": [2.0, 4.0]})
    assert out.results.scores["bonus"].tolist() == [4.0, 5.0]


def test_vetoes_disqualify_or_force_a_grade_and_scores_stand() -> None:
    out = score("""
inputs:
  x: {title: 得分, type: number}
  accident: {title: 重大事故, type: boolean}
  votes_fail: {title: 不合格票比例, type: percentage}
items:
  - {id: a, title: 甲, max: 100, formula: x}
vetoes:
  - {id: major_accident, title: 发生重大安全事故, when: accident}
  - {id: votes, title: 不合格票达 40%, when: votes_fail >= 40, effect: force_grade, grade: 不合格}
grades:
  - id: level
    title: 等次
    bands:
      - {ge: 85, value: 优秀}
      - {ge: 60, lt: 85, value: 合格}
      - {lt: 60, value: 不合格}
""", {"x": [95.0, 95.0, 95.0], "accident": [False, True, False], "votes_fail": [10.0, 10.0, 40.0]})
    assert out.results.total.tolist() == [95.0, 95.0, 95.0]  # the score stands
    assert out.eligible.tolist() == [True, False, True]
    assert out.grades["level"].tolist() == ["优秀", "优秀", "不合格"]
    assert out.rank.tolist() == [1, 1, 1]


def test_division_by_zero_is_an_error_naming_the_unit() -> None:
    with pytest.raises(EvaluationError) as caught:
        score("""
dimensions:
  rater: {title: 测评人}
inputs:
  v: {title: 测评分, type: number, per: rater}
items:
  - {id: a, title: 测评, max: 10, formula: sum(v) / count(v)}
""", {"v": [[8.0, 9.0], [np.nan, np.nan]]})
    message = caught.value.render()
    assert "u1" in message and "test.yaml:" in message and "u0" not in message


class TestRanks:
    def test_ties_share_a_rank_and_the_next_is_skipped(self) -> None:
        out = score("""
inputs:
  x: {title: 得分, type: number}
items:
  - {id: a, title: 甲, max: 100, formula: x}
""", {"x": [90.0, 95.0, 90.004, 80.0]}, groups=["一", "一", "二", "二"])
        # 90.004 rounds to 90.00: a tie with u0 at the scheme's precision.
        assert out.rank.tolist() == [2, 1, 2, 4]
        assert out.group_rank.tolist() == [2, 1, 1, 2]


def test_dimension_labels_and_derived_values() -> None:
    # Quarter-style sums: the month's label is usable in conditions (一季一汇总).
    out = score("""
dimensions:
  month: {title: 月份, values: [1, 2, 3, 4]}
inputs:
  s: {title: 月评分, type: number, per: month}
derived:
  - {id: first_half, title: 前两月合计, value: "sum_if(s, month <= 2)"}
  - {id: odd_mean, title: 单月平均, value: "mean_if(s, month == 1 or month == 3)"}
  - {id: later, title: 后两月合计, value: "sum(where(month > 2, s, 0))"}
items:
  - {id: a, title: 甲, max: 100, formula: first_half + odd_mean + later}
""", {"s": [[1.0, 2.0, 3.0, 4.0], [10.0, 20.0, 30.0, 40.0]]})
    # u0: (1 + 2) + (1 + 3) / 2 + (3 + 4) = 3 + 2 + 7 = 12; u1: 30 + 20 + 70 = 120 → capped at 100
    assert out.results.derived["first_half"].tolist() == [3.0, 30.0]
    assert out.results.derived["odd_mean"].tolist() == [2.0, 20.0]
    assert out.results.scores["a"].tolist() == [12.0, 100.0]
    assert [w.code for w in out.results.warnings] == ["eval_capped"]
