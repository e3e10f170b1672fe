"""Unit trees (engine.tree, engine.bottom_up): figures from children, levels scored bottom-up,
located errors for the unit list, the words on explain and the score sheet, and 100,000 children."""

from __future__ import annotations

import dataclasses
import re
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest

from engine import pipeline, render
from engine.bottom_up import heights, score_levels
from engine.context import Context
from engine.data import dataset_from_columns
from engine.errors import KaoheError
from engine.explaining import explainer
from engine.tree import cycles, parent_index
from tests.helpers import ROOT, shipped_schemes

SCHEME = """\
kaohe: 1
id: t
version: 1
title: 测试
precision: 2
units:
  types: {上: {title: 上级单位}, 中: {title: 中间单位}, 下: {title: 基层单位}}
inputs:
  own: {title: 本级得分, type: number, range: [0, 100]}
tree:
  figures:
    kids_mean: {title: 下级平均分, value: children.mean(total)}
    kids_high: {title: 下级 90 分以上个数, value: "children.count(total >= 90)"}
items:
  - {id: base, title: 本级, max: 100, formula: own, applies_to: [下]}
  - {id: led, title: 带领, max: 200, formula: "0.5 * own + 0.5 * kids_mean + kids_high", applies_to: [上, 中]}
"""


def _write(tmp_path: Path, scheme: str, units: list[str], own: list[str]) -> tuple[Path, Path]:
    (tmp_path / "s.yaml").write_text(textwrap.dedent(scheme), encoding="utf-8")
    data = tmp_path / "data"
    data.mkdir(exist_ok=True)
    (data / "名单.csv").write_text("编号,名称,类型,上级编号\n" + "\n".join(units) + "\n", encoding="utf-8")
    (data / "得分.csv").write_text("编号,本级得分\n" + "\n".join(own) + "\n", encoding="utf-8")
    return tmp_path / "s.yaml", data


def _run(tmp_path: Path, units: list[str], own: list[str], scheme: str = SCHEME, lang: str = "zh") -> pipeline.Outcomes:  # type: ignore[name-defined]
    file, data = _write(tmp_path, scheme, units, own)
    context = Context(lang=lang)  # type: ignore[arg-type]
    compiled = pipeline.load(file, context)
    return pipeline.assess(compiled, [data], context, details=True)


UNITS = ["Q,区,上,", "A,甲镇,中,Q", "B,乙镇,中,Q", "A1,甲一村,下,A", "A2,甲二村,下,A", "B1,乙一村,下,B"]
OWN = ["Q,80", "A,70", "B,60", "A1,95", "A2,80", "B1,90"]


def _totals(outcomes: object) -> dict[str, float]:
    results = outcomes.results  # type: ignore[attr-defined]
    return dict(zip(results.data.units.ids.tolist(), results.total.tolist()))


def test_three_levels_are_scored_bottom_up(tmp_path: Path) -> None:
    totals = _totals(_run(tmp_path, UNITS, OWN))
    # 下: own. A1 95, A2 80, B1 90.
    assert totals["A1"] == 95.0 and totals["A2"] == 80.0 and totals["B1"] == 90.0
    # A: mean(95, 80) = 87.5, one child ≥ 90 → 0.5 × 70 + 0.5 × 87.5 + 1 = 35 + 43.75 + 1 = 79.75
    # B: mean(90) = 90, one child ≥ 90 → 0.5 × 60 + 0.5 × 90 + 1 = 30 + 45 + 1 = 76
    assert totals["A"] == 79.75 and totals["B"] == 76.0
    # Q reads the townships' totals just computed: mean(79.75, 76) = 77.875 → 77.88 (rounded: the printed figure is used),
    # none ≥ 90 → 0.5 × 80 + 0.5 × 77.88 + 0 = 40 + 38.94 = 78.94
    assert totals["Q"] == 78.94


def test_explain_and_the_score_sheet_show_the_children_s_figures(tmp_path: Path) -> None:
    outcomes = _run(tmp_path, UNITS, OWN)
    index = outcomes.results.data.units.ids.tolist().index("A")
    text = render.explain(outcomes, index)
    assert "读取 kids_mean（下级平均分）= 87.5  ← 下级汇总 children.mean(total)（平均值）: A1 甲一村 95、A2 甲二村 80" in text
    assert "读取 kids_high（下级 90 分以上个数）= 1  ← 下级汇总 children.count(total >= 90)（个数）: A1 甲一村 是、A2 甲二村 否" in text
    english = render.explain(outcomes, index, Context(lang="en"))
    assert "from the children, children.mean(total) (average): A1 甲一村 95, A2 甲二村 80" in english
    led = next(i for i in outcomes.results.scheme.items() if i.id == "led")
    lines = explainer(outcomes.results).lines(led, "zh")[index]
    assert any("下级平均分 87.5（A1 甲一村 95、A2 甲二村 80）" in line for line in lines), lines
    top = outcomes.results.data.units.ids.tolist().index("Q")
    assert "下级平均分 77.88（A 甲镇 79.75、B 乙镇 76）" in " ".join(explainer(outcomes.results).lines(led, "zh")[top])


def test_aggregates_child_types_and_decided_results(tmp_path: Path) -> None:
    scheme = SCHEME.replace("""items:""", """rankings:
  - {id: tier, title: 评选, per_group: true, tiers: [{label: 好, count: 1}, {label: 差, rest: true}]}
items:""").replace("""    kids_high: {title: 下级 90 分以上个数, value: "children.count(total >= 90)"}""",
                   """    kids_high: {title: 下级评为好的个数, value: 'children.count(tier == "好")', child_types: [下]}
    kids_min: {title: 最低, value: children.min(base), child_types: 下}
    kids_max: {title: 最高, value: children.max(total)}
    kids_sum: {title: 合计, value: children.sum(total)}
    kids_share: {title: 好的比例, value: 'children.share(tier == "好")'}
    kids_n: {title: 下级个数, value: children.count()}""")
    outcomes = _run(tmp_path, UNITS + ["A3,甲三村,下,A"], OWN + ["A3,70"], scheme)
    columns = outcomes.results.data.columns
    at = {u: i for i, u in enumerate(outcomes.results.data.units.ids.tolist())}
    # Groups are the units' own (none here: one group of all 7), so one 好: A1 (95) ranks first of all.
    a = at["A"]
    assert columns["kids_high"][a] == 1.0 and columns["kids_n"][a] == 3.0
    assert columns["kids_min"][a] == 70.0 and columns["kids_max"][a] == 95.0 and columns["kids_sum"][a] == 245.0
    # share of 好 among A's 3 children: 1 ÷ 3 × 100 = 33.333… → 33.33
    assert columns["kids_share"][a] == 33.33
    q = at["Q"]
    # Q's children are A and B (type 中): kids_min counts 下 children only → none → absent; count() counts both.
    assert np.isnan(columns["kids_min"][q]) and columns["kids_n"][q] == 2.0 and columns["kids_high"][q] == 0.0
    assert columns["kids_n"][at["A1"]] == 0.0


def _problems(tmp_path: Path, units: list[str], own: list[str], scheme: str = SCHEME, lang: str = "zh") -> list[str]:
    with pytest.raises(KaoheError) as caught:
        _run(tmp_path, units, own, scheme)
    return [p.render(lang) for p in caught.value.problems]


def test_an_unknown_parent_is_a_located_error(tmp_path: Path) -> None:
    rows = UNITS[:-1] + ["B1,乙一村,下,BB"]
    zh = _problems(tmp_path, rows, OWN)
    assert len(zh) == 1 and re.search(r"名单\.csv:7: 列 上级编号|名单\.csv.*第 7 行|名单\.csv:7", zh[0]), zh
    assert "单位 B1 的上级 'BB' 不在单位名单中" in zh[0] and "是否想写 'B'" in zh[0]
    en = _problems(tmp_path, rows, OWN, lang="en")
    assert "the parent 'BB' of unit B1 is not in the unit list" in en[0]


def test_a_cycle_is_a_located_error(tmp_path: Path) -> None:
    rows = ["Q,区,上,", "A,甲镇,中,B", "B,乙镇,中,A", "A1,甲一村,下,A", "B1,乙一村,下,B"]
    zh = _problems(tmp_path, rows, ["Q,80", "A,70", "B,60", "A1,95", "B1,90"])
    assert len(zh) == 1 and "单位的上级关系成环: A → B → A" in zh[0] and "名单.csv" in zh[0], zh
    assert ":3" in zh[0] or "第 3 行" in zh[0]


def test_a_parent_with_no_children_when_the_rule_needs_them(tmp_path: Path) -> None:
    # B (中) reads kids_mean, a mean — no value without children.
    rows = UNITS[:-1]
    zh = _problems(tmp_path, rows, OWN[:-1])
    assert len(zh) == 1 and "单位 B 没有下级单位，但它的计分要用下级汇总 kids_mean（下级平均分" in zh[0], zh
    assert "名单.csv" in zh[0] and ("第 4 行" in zh[0] or ":4" in zh[0])
    en = _problems(tmp_path, rows, OWN[:-1], lang="en")
    assert "unit B has no children, but its scoring uses the figure kids_mean" in en[0]


def test_a_count_over_no_children_is_zero_not_an_error(tmp_path: Path) -> None:
    scheme = SCHEME.replace(" + 0.5 * kids_mean", "")
    totals = _totals(_run(tmp_path, UNITS[:-1], OWN[:-1], scheme))
    # B has no children: kids_high = 0 → 0.5 × 60 + 0 = 30
    assert totals["B"] == 30.0


def test_a_child_result_that_depends_on_its_parent_is_an_error(tmp_path: Path) -> None:
    # One 好 over all units: the parent scores 100 once its child is 好, and then takes the 好 itself.
    scheme = """\
    kaohe: 1
    id: t
    version: 1
    title: 测试
    units:
      types: {上: {title: 上级}, 下: {title: 下级}}
    inputs:
      own: {title: 本级得分, type: number, range: [0, 100]}
    tree:
      figures:
        good: {title: 下级评为好的个数, value: 'children.count(tier == "好")'}
    rankings:
      - {id: tier, title: 评选, tiers: [{label: 好, count: 1}, {label: 差, rest: true}]}
    items:
      - {id: base, title: 本级, max: 100, formula: own, applies_to: [下]}
      - {id: led, title: 带领, max: 100, formula: 50 + 50 * good, applies_to: [上]}
    """
    zh = _problems(tmp_path, ["P,上级,上,", "C1,一,下,P", "C2,二,下,P"], ["P,0", "C1,60", "C2,40"], scheme)
    assert len(zh) == 1 and "下级汇总 good 不能逐级自下而上算出" in zh[0] and "s.yaml:11" in zh[0], zh


@pytest.mark.parametrize("value, code", [
    ("children.average(total)", "无法理解的下级汇总 'average'"),
    ("mean_over(total)", "无法理解的下级汇总 'mean_over(total)'"),
    ("children.mean(totl)", "totl"),
    ('children.count(tier == "优")', "优"),
])
def test_a_bad_figure_is_a_located_compile_error(tmp_path: Path, value: str, code: str) -> None:
    scheme = SCHEME.replace("children.mean(total)", value).replace("items:", """rankings:
  - {id: tier, title: 评选, tiers: [{label: 好, count: 1}, {label: 差, rest: true}]}
items:""")
    (tmp_path / "s.yaml").write_text(scheme, encoding="utf-8")
    with pytest.raises(KaoheError) as caught:
        pipeline.load(tmp_path / "s.yaml", Context())
    rendered = [p.render() for p in caught.value.problems]
    assert any(code in text and "s.yaml:12" in text for text in rendered), rendered


def test_an_unknown_child_type_is_a_located_compile_error(tmp_path: Path) -> None:
    scheme = SCHEME.replace("value: children.mean(total)}", "value: children.mean(total), child_types: [村]}")
    (tmp_path / "s.yaml").write_text(scheme, encoding="utf-8")
    with pytest.raises(KaoheError) as caught:
        pipeline.load(tmp_path / "s.yaml", Context())
    rendered = [p.render("en") for p in caught.value.problems]
    assert any("child unit type '村' is not declared" in r and "s.yaml:12" in r for r in rendered), rendered


def test_parent_index_cycles_and_heights_are_column_wise() -> None:
    ids = np.array(["a", "b", "c", "d", "e"])
    parent = parent_index(ids, np.array(["", "a", "b", "zz", "e"]))
    assert parent.tolist() == [-1, 0, 1, -1, 4]
    assert cycles(parent) == [[4]]
    assert cycles(parent_index(ids, np.array(["b", "c", "a", "", "d"]))) == [[0, 1, 2]]
    assert heights(np.array([-1, 0, 1, 0])).tolist() == [2, 1, 0, 0]


def test_one_hundred_thousand_children(tmp_path: Path) -> None:
    """100,000 villages under 1,000 townships under one county: scored in three column-wise runs."""
    scheme = pipeline.load(ROOT / "schemes" / "sanji-liankao" / "sanji-liankao.yaml", Context())
    villages, towns = 100_000, 1_000
    rng = np.random.default_rng(7)
    ids = ["Q"] + [f"T{i}" for i in range(towns)] + [f"V{i}" for i in range(villages)]
    types = ["区"] + ["镇街"] * towns + ["村社区"] * villages
    parents = np.array([""] + ["Q"] * towns + [f"T{i % towns}" for i in range(villages)])
    groups = ["市委"] + ["区委"] * towns + [f"T{i % towns}党委" for i in range(villages)]
    n = len(ids)
    votes = rng.integers(60, 101, size=(n, 3)).astype(np.float64)
    field = rng.integers(60, 101, size=n).astype(np.float64)
    data = dataset_from_columns(scheme, ids, {"report_vote": votes, "field_score": field}, names=ids, types=types, groups=groups)
    data = dataclasses.replace(data, units=dataclasses.replace(data.units, parents=parents))
    started = time.perf_counter()
    outcomes = score_levels(scheme, data)
    elapsed = time.perf_counter() - started
    total = outcomes.results.total
    # Check township 0 and the county by hand, in numpy: village totals → their mean → the township's field item.
    report = np.round(votes.mean(axis=1) + 1e-9, 2)  # each item rounded half-up, then the parts
    village_total = np.round(report[1 + towns:] * 0.5 + field[1 + towns:] * 0.5 + 1e-9, 2)
    mean0 = round(village_total[np.arange(villages) % towns == 0].mean() + 1e-9, 2)
    led0 = round(0.7 * field[1] + 0.3 * mean0 + 1e-9, 2)
    assert total[1] == pytest.approx(round(report[1] * 0.5 + led0 * 0.5 + 1e-9, 2), abs=1e-9)
    assert np.allclose(total[1 + towns:], village_total)
    assert elapsed < 60, f"{elapsed:.1f} s"  # about 2 s on a shared 2-core machine; a loop per unit takes minutes


def test_nothing_scheme_specific_in_the_tree_modules() -> None:
    """The mechanism is general: no shipped scheme's id, unit types, inputs or other ids in its modules."""
    words: set[str] = set()
    for path in shipped_schemes():
        scheme = pipeline.load(path, Context())
        words |= {scheme.id, *scheme.unit_types, *scheme.inputs, *scheme.params, *(n.id for n in scheme.nodes())}
        words |= {x.id for x in (*scheme.derived, *scheme.rankings, *scheme.actions, *scheme.vetoes, *scheme.grades)}
        words |= {f.id for f in scheme.tree.figures} if scheme.tree else set()
    # Ids that are plain English words the code uses in their ordinary sense (a rank tier, a rule's kind …).
    english = {"total", "rank", "bottom", "kind", "level", "model", "score", "tier", "best"}
    words = {w for w in words if len(w) >= 2 and w not in english}
    assert {"sanji-liankao", "subordinates_mean", "镇街", "field_score"} <= words
    for module in ("engine/tree.py", "engine/bottom_up.py", "engine/messages/catalogue/tree.py"):
        text = (ROOT / module).read_text(encoding="utf-8")
        found = sorted(w for w in words if re.search(rf"(?<![A-Za-z0-9_]){re.escape(w)}(?![A-Za-z0-9_])", text))
        assert not found, (module, found)


def test_diff_names_a_changed_figure(tmp_path: Path) -> None:
    from engine.diff import diff_schemes

    (tmp_path / "a.yaml").write_text(SCHEME, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(SCHEME.replace("children.mean(total)}", "children.max(total)}"), encoding="utf-8")
    changes = diff_schemes(pipeline.load(tmp_path / "a.yaml", Context()), pipeline.load(tmp_path / "b.yaml", Context()))
    assert [(c.kind, c.id) for c in changes] == [("figure", "kids_mean")]
    assert "children.max(total)" in str(changes[0].new) and "children.mean(total)" in str(changes[0].old)
