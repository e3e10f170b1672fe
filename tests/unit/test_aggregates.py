"""Aggregates and ranks across units (engine.aggregates): mean_over, sum_over,
count_over, min_over, max_over, rank and rank_pct over all units, a group, a
parent or a type, in derived values, items, vetoes and actions.

Every expected number is worked out by hand in the comments.
"""

from __future__ import annotations

import dataclasses
import math
import textwrap

import numpy as np

from engine import aggregates
from engine.compiler import check_scheme
from engine.context import Context
from engine.data import dataset_from_columns
from engine.loader import load_scheme_text
from engine.pipeline import assess
from engine.render import explain
from engine.reports import explain_item
from tests.helpers import HEADER, outcomes_of, scheme_from

BODY = """
units: {group: 乡镇}
inputs:
  rate: {title: 完成率, type: percentage}
  votes: {title: 得票, type: number}
derived:
  - {id: avg_rate, title: 全县平均完成率, value: mean_over(rate)}
  - {id: town_votes, title: 本镇得票合计, value: "sum_over(votes, 'group')"}
items:
  - {id: compare, title: 与平均比较, max: 10, formula: "clamp(5 + (rate - avg_rate) * 0.5, 0, 10)"}
  - {id: top, title: 本镇前两名, max: 5, condition: {when: "rank(rate, 'group') <= 2"}}
  - {id: pct, title: 全县前 40%, max: 3, tiers: {value: rank_pct(rate), bands: [{le: 40, points: 3}, {gt: 40, points: 0}]}}
"""
RATES = [90, 80, 80, 100, 60]
VOTES = [30, 5, 20, 10, 12]
GROUPS = ["东", "东", "东", "西", "西"]


def _outcomes(details: bool = False):  # type: ignore[no-untyped-def]
    return outcomes_of(BODY, {"rate": RATES, "votes": VOTES}, groups=GROUPS, details=details)


def test_means_sums_and_ranks_in_derived_values_and_items() -> None:
    outcomes = _outcomes()
    results = outcomes.results
    # mean rate (90 + 80 + 80 + 100 + 60) ÷ 5 = 82
    assert results.derived["avg_rate"].tolist() == [82] * 5
    # 东: 30 + 5 + 20 = 55; 西: 10 + 12 = 22
    assert results.derived["town_votes"].tolist() == [55, 55, 55, 22, 22]
    # 5 + (rate − 82) × 0.5: 9, 4, 4, 14 → 10, −6 → 0
    assert results.scores["compare"].tolist() == [9, 4, 4, 10, 0]
    # 东 by rate: 90 first, 80 and 80 tied second (1, 2, 2) → all three in the top two; 西: 100, 60 → 1, 2
    assert results.scores["top"].tolist() == [5, 5, 5, 5, 5]
    # all by rate: 100 (1), 90 (2), 80, 80 (3, 3), 60 (5); ÷ 5 × 100 = 40, 60, 60, 20, 100 → ≤ 40 gets 3
    assert results.scores["pct"].tolist() == [3, 0, 0, 3, 0]


def test_rank_order_ties_and_absent_values() -> None:
    x = np.array([90.0, 95.0, 90.0, np.nan, 80.0, 0.1 + 0.2])
    scope = np.zeros(6, dtype=np.int64)
    # highest first: 95 (1), 90 and 90 (2, 2), 80 (4), 0.3 (5); the blank has no rank; 5 ranked
    rank, ranked = aggregates.ranks(x, scope)
    assert rank[[0, 1, 2, 4, 5]].tolist() == [2, 1, 2, 4, 5] and math.isnan(rank[3])
    assert ranked.tolist() == [5] * 6
    # lowest first: 0.3 (1), 80 (2), 90, 90 (3, 3), 95 (5)
    low = aggregates.IMPLEMENTATIONS["rank"](x, scope, "asc")
    assert low[[0, 1, 2, 4, 5]].tolist() == [3, 5, 3, 2, 1]
    # ties follow the comparison rule: 0.1 + 0.2 and 0.3 share a rank
    tied = aggregates.IMPLEMENTATIONS["rank"](np.array([0.1 + 0.2, 0.3, 0.2]), np.zeros(3, dtype=np.int64))
    assert tied.tolist() == [1, 1, 3]


def test_min_max_count_per_scope() -> None:
    x = np.array([3.0, np.nan, 7.0, 1.0, 5.0])
    labels = np.array(["a", "a", "a", "b", "c"])
    assert aggregates.IMPLEMENTATIONS["min_over"](x, labels).tolist() == [3, 3, 3, 1, 5]
    assert aggregates.IMPLEMENTATIONS["max_over"](x, labels).tolist() == [7, 7, 7, 1, 5]
    # a: 3 and 7 have values (the blank does not count); b: 1; c: 1
    assert aggregates.IMPLEMENTATIONS["count_over"](x, labels).tolist() == [2, 2, 2, 1, 1]
    # a condition counts the units where it holds: a has 7 ≥ 5, c has 5
    assert aggregates.IMPLEMENTATIONS["count_over"](x >= 5, labels).tolist() == [1, 1, 1, 0, 1]
    # a scope with no value at all: the mean is absent, not 0
    assert math.isnan(aggregates.IMPLEMENTATIONS["mean_over"](np.array([np.nan, 2.0]), np.array(["a", "b"]))[0])


def test_parent_and_type_scopes() -> None:
    scheme = scheme_from(HEADER + """
units:
  types: {村: {title: 村}, 社区: {title: 社区}}
inputs:
  votes: {title: 得票, type: number}
items:
  - {id: first, title: 本镇第一, max: 2, condition: {when: "rank(votes, 'parent') == 1"}}
  - {id: share, title: 同类型占比, max: 100, formula: "100 * votes / sum_over(votes, 'type')"}
""")
    ids = ["v1", "v2", "v3", "v4"]
    data = dataset_from_columns(scheme, ids, {"votes": np.array([10.0, 30.0, 20.0, 20.0])}, names=ids,
                                types=["村", "村", "社区", "村"])
    data = dataclasses.replace(data, units=dataclasses.replace(data.units, parents=np.array(["东镇", "东镇", "西镇", "西镇"])))
    results = assess(scheme, data, Context()).results
    # 东镇: 30 is first (v2); 西镇: 20 and 20 tie for first (v3, v4)
    assert results.scores["first"].tolist() == [0, 2, 2, 2]
    # 村: 10 + 30 + 20 = 60 → 16.67, 50, 33.33; 社区: 20 alone → 100
    assert results.scores["share"].tolist() == [16.67, 50, 100, 33.33]


def test_vetoes_and_actions_compare_totals() -> None:
    outcomes = outcomes_of("""
units: {group: 支部}
inputs:
  rate: {title: 完成率, type: percentage}
items:
  - {id: a, title: 完成率得分, max: 100, formula: rate}
vetoes:
  - {id: low, title: 低于平均 15 分以上, when: "total < mean_over(total) - 15"}
actions:
  - {id: talk, title: 本支部末位约谈, when: "rank(total, 'group', 'asc') == 1"}
""", {"rate": RATES}, groups=GROUPS)
    # mean total 82: only 60 < 82 − 15 = 67
    assert outcomes.results.vetoes["low"].tolist() == [False, False, False, False, True]
    # lowest of 东 (90, 80, 80): the two 80s tie for last; of 西 (100, 60): 60
    assert outcomes.actions["talk"].tolist() == [False, True, True, False, True]


def test_explain_shows_the_population_figures() -> None:
    outcomes = _outcomes(details=True)
    text = explain(outcomes, 2)
    # unit u2 (rate 80): the average is the population's 82, not its own 80
    assert "读取 avg_rate（全县平均完成率）= 82" in text
    assert "rank(rate, 'group') = 2" in text
    assert "rank_pct(rate) = 60" in text
    scheme = outcomes.results.scheme
    item = {i.id: i for i in scheme.items()}
    assert explain_item(outcomes, item["compare"], 2) == ["全县平均完成率 82；完成率 80%；计算得 4"]
    assert explain_item(outcomes, item["top"], 2) == ["达到要求（完成率在本组各单位中的名次不高于 2）"]
    assert explain_item(outcomes, item["top"], 2, Context(lang="en")) == ["condition met (rank of 完成率 among the units of its group at most 2)"]


def _problems(body: str) -> list[tuple[str, int | None]]:
    _, problems = check_scheme(load_scheme_text(textwrap.dedent(HEADER + body), "s.yaml"))
    return [(p.code, p.location.line) for p in problems if p.severity == "error"]


def test_an_item_reading_the_total_is_a_located_cycle() -> None:
    body = """
inputs:
  rate: {title: 完成率, type: percentage}
items:
  - {id: a, title: 甲, max: 10, formula: rate / 10}
  - {id: b, title: 乙, max: 5, condition: {when: "rank(total) <= 3"}}
derived:
  - {id: d, title: 丁, value: total - 1}
"""
    # lines 1–5 are the header, 6 is blank: item b is on line 11, derived value d on 13
    assert _problems(body) == [("agg_total_cycle", 11), ("agg_total_cycle", 13)]


def test_scope_order_and_argument_mistakes_are_located() -> None:
    def one(formula: str) -> list[tuple[str, int | None]]:
        return _problems(f"""
inputs:
  rate: {{title: 完成率, type: percentage}}
  monthly: {{title: 月评分, type: number, per: month}}
dimensions:
  month: {{title: 月份, values: [1, 2]}}
items:
  - {{id: a, title: 甲, max: 10, formula: "{formula}"}}
""")
    at = 13
    assert one("mean_over(rate, 'grup')") == [("agg_scope", at)]
    assert one("mean_over(rate, group)") == [("agg_scope", at)]          # unquoted: a scope, not a name
    assert one("rank(rate, 'all', 'up')") == [("agg_order", at)]
    assert one("mean_over(5)") == [("agg_constant", at)]
    assert one("rank(rate > 3)") == [("expr_type", at)]
    assert one("mean_over(monthly)") == [("expr_type", at)]              # aggregate the months first
    assert one("rank(mean(monthly), '分组', '从低到高')") == []          # Chinese scope and order words


def test_every_function_agrees_with_a_unit_by_unit_count() -> None:
    # 300 units in 7 scopes, values on a coarse grid (many ties), a tenth absent; each figure recomputed
    # unit by unit in plain Python: the column-wise functions must give the same.
    rng = np.random.default_rng(14)
    x = rng.integers(0, 12, 300).astype(float) / 2
    x[rng.random(300) < 0.1] = np.nan
    labels = np.array([f"s{i}" for i in rng.integers(0, 7, 300)])
    f = aggregates.IMPLEMENTATIONS
    got = {name: f[name](x, labels) for name in ("mean_over", "sum_over", "count_over", "min_over", "max_over", "rank", "rank_pct")}
    low = f["rank"](x, labels, "asc")
    for i in range(300):
        mine = [x[j] for j in range(300) if labels[j] == labels[i] and not math.isnan(x[j])]
        assert got["count_over"][i] == len(mine) and got["sum_over"][i] == sum(mine)
        assert math.isclose(got["mean_over"][i], sum(mine) / len(mine))
        assert got["min_over"][i] == min(mine) and got["max_over"][i] == max(mine)
        if math.isnan(x[i]):
            assert math.isnan(got["rank"][i]) and math.isnan(got["rank_pct"][i]) and math.isnan(low[i])
            continue
        assert got["rank"][i] == 1 + sum(v > x[i] for v in mine)            # competition rank: 1 + how many are higher
        assert low[i] == 1 + sum(v < x[i] for v in mine)
        assert math.isclose(got["rank_pct"][i], got["rank"][i] / len(mine) * 100)
