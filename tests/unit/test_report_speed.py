"""The column-wise explainer of the score sheets says exactly what the one-unit-at-a-time words say.

engine.reports.Explainer makes an input's words for all units at once (kaohe
report on 100,000 members); engine.words.input_words is the reference.
"""

from __future__ import annotations

import typing as t
from pathlib import Path

import numpy as np
import pytest

from engine.context import Context
from engine.words import input_words, input_words_column
from tests.helpers import scheme_from, shipped_outcomes, shipped_schemes


@pytest.mark.parametrize("path", shipped_schemes(), ids=lambda p: p.stem)
def test_column_words_are_the_unit_words(path: Path) -> None:
    results = shipped_outcomes(path).results
    scheme, data = results.scheme, results.data
    compared = 0
    numbers = [n for n, spec in scheme.inputs.items() if spec.type not in ("boolean", "category") and n in data.columns]
    for name in scheme.inputs:
        column = data.columns.get(name)
        if column is None:
            continue
        made = input_words_column(scheme, name, np.asarray(column))
        if made is None:
            continue
        assert made == [input_words(scheme, name, column[i]) for i in range(len(column))], name
        compared += 1
    assert compared == len(numbers)


SCHEME = """
kaohe: 1
id: t
version: 1
title: 测试
inputs:
  spot: {title: 抽查满意度, type: number, range: [0, 100], per: month}
  rate: {title: 知晓率, type: percentage, range: [0, 100]}
dimensions:
  month: {title: 月份, values: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]}
items:
  - {id: a, title: 甲, max: 1, formula: "1"}
"""


def test_random_columns_with_gaps() -> None:
    # Means that land on x.xx5 and rows with missing months: the half-up rounding of each
    # row's mean must match the one-row reference bit for bit.
    scheme = scheme_from(SCHEME)
    rng = np.random.default_rng(7)
    spot = rng.integers(0, 41, size=(5000, 12)) / 4.0
    spot[rng.random(spot.shape) < 0.05] = np.nan
    spot[:3] = np.nan  # a unit with no values at all: "无"
    rate = rng.integers(0, 1001, size=5000) / 10.0
    rate[::97] = np.nan
    for name, column in (("spot", spot), ("rate", rate)):
        made = input_words_column(scheme, name, column)
        assert made == [input_words(scheme, name, column[i]) for i in range(len(column))]
    assert made[0].zh == ""
    assert input_words_column(scheme, "spot", spot)[0].zh == "抽查满意度 无"


@pytest.mark.parametrize("path", shipped_schemes(), ids=lambda p: p.stem)
def test_unit_columns_are_the_unit_facts(path: Path) -> None:
    # engine.reports.UnitColumns against each fact worked out for one unit, as the reports did before.
    from engine.numbers import format_score
    from engine.reports import _unit

    outcomes = shipped_outcomes(path)
    scheme = outcomes.results.scheme
    results = outcomes.results
    units = results.data.units
    for i in range(len(units)):
        u = _unit(outcomes, i, Context())
        assert u["id"] == str(units.ids[i]) and u["name"] == str(units.names[i]) and u["group"] == str(units.groups[i])
        assert u["total"] == (format_score(float(results.total[i]), scheme.precision) if not results.manual[i] else "直接评定")
        assert u["grade"] == (outcomes.primary_label(i) or "")
        assert u["grades"] == [(g.title, outcomes.grade_label(g, i) or "—") for g in scheme.grades]
        assert u["rank"] == (int(outcomes.rank[i]) or None) and u["group_rank"] == (int(outcomes.group_rank[i]) or None)
        assert u["labels"] == outcomes.labels(i)
        assert u["vetoes"] == [v.title for v in scheme.vetoes if results.vetoes[v.id][i]]
        published = {p.ranking.tiers[p.tier[i]].label for p in outcomes.placements if p.tier[i] >= 0 and p.ranking.published}
        published |= {a.title for a in scheme.actions if a.published and outcomes.actions[a.id][i]}
        assert set(u["public"]) == published and set(u["public"]) <= set(u["labels"])


def _concatenated(explainer: t.Any, node: t.Any, lang: str, joiner: str) -> list[str]:
    """Each unit's text from :meth:`Explainer.pieces` (every unit's, then the units picked in
    reverse order, put back in order): what a score sheet's row prints, piece after piece."""
    n = len(explainer.results.total)
    whole = explainer.pieces(node, lang, joiner)
    texts = ["".join(p if isinstance(p, str) else p[i] for p in whole) for i in range(n)]
    backwards = np.arange(n)[::-1].copy()
    picked = explainer.pieces(node, lang, joiner, backwards)
    assert ["".join(p if isinstance(p, str) else p[k] for p in picked) for k in range(n)][::-1] == texts
    return texts


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("path", shipped_schemes(), ids=lambda p: p.stem)
def test_column_explanations_are_the_unit_explanations(path: Path, lang: str) -> None:
    # Explainer.lines (a rule's explain_column) and Explainer.joined (a rule's explain_texts)
    # against each unit's explain, the reference, for every item of every shipped scheme.
    from engine.explaining import Explainer, explain_item_with
    from engine.model import Item

    results = shipped_outcomes(path).results
    joiner = "; " if lang == "en" else "；"
    for node in results.scheme.nodes():
        if not isinstance(node, Item):
            continue
        one = [explain_item_with(Explainer(results), node, i, lang) for i in range(len(results.total))]
        assert Explainer(results).lines(node, lang) == one, node.id
        assert Explainer(results).joined(node, lang, joiner) == [joiner.join(lines) for lines in one], node.id
        assert _concatenated(Explainer(results), node, lang, joiner) == [joiner.join(lines) for lines in one], node.id


def test_column_explanations_of_levels_and_formulas_with_gaps() -> None:
    # Counted levels (2 次), a level by condition, several levels at once, and formulas over an
    # input with missing months and over a parameter-like input (its words beside the other's).
    from engine.explaining import Explainer, explain_item_with
    from engine.model import Item
    from tests.helpers import outcomes_of

    text = """
inputs:
  deeds: {title: 好人好事, type: number, range: [0, 100]}
  award: {title: 表彰, type: boolean}
  rate: {title: 知晓率, type: percentage, range: [0, 100], per: month, missing: skip}
  w: {title: 权重, type: number, range: [0, 10]}
  kind: {title: 类别, type: category, values: [甲, 乙], per: month, missing: skip}
dimensions:
  month: {title: 月份, values: [1, 2]}
items:
  - {id: a, title: 知晓, max: 10, formula: "max(rate) / 10 * w / w"}
  - {id: b, title: 知晓二, max: 100, formula: "max(rate)"}
  - {id: c, title: 类别分, max: 5, formula: "max(rate) / 100 + count(kind == '甲')"}
adjustments:
  - id: plus
    title: 加分
    max: 20
    levels:
      pick: sum
      levels:
        - {title: 好人好事, points: 5, count: deeds}
        - {title: 表彰, points: 2, when: award}
"""
    rate = np.array([[90.0, 80.0], [np.nan, 70.0], [55.5, np.nan], [100.0, 100.0], [20.0, 30.0]])
    columns = {"deeds": np.array([0.0, 2.0, 0.0, 1.0, 3.0]), "award": np.array([True, False, False, True, False]),
               "rate": rate, "w": np.array([1.0, 2, 3, 4, 5]),
               "kind": np.array([["甲", "乙"], ["", ""], ["乙", ""], ["", ""], ["甲", "甲"]], dtype=object)}
    outcomes = outcomes_of(text, columns, details=True)
    results = outcomes.results
    for lang, joiner in (("zh", "；"), ("en", "; ")):
        for node in results.scheme.nodes():
            if isinstance(node, Item):
                one = [explain_item_with(Explainer(results), node, i, lang) for i in range(5)]
                assert Explainer(results).lines(node, lang) == one, node.id
                assert Explainer(results).joined(node, lang, joiner) == [joiner.join(lines) for lines in one], node.id
                assert _concatenated(Explainer(results), node, lang, joiner) == [joiner.join(lines) for lines in one], node.id
    # Unit 1 has no 类别 at all: its words leave the input out (the unit-by-unit branch);
    # its score is max(70) / 100 + count() of the two months compared = 0.7 + 2 = 2.7.
    c = next(node for node in results.scheme.nodes() if node.id == "c")
    assert Explainer(results).joined(c, "zh", "；")[1] == "知晓率 1 个，平均 70%；计算得 2.7"
