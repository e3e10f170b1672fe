"""Score a tree of units bottom-up: Scheme + Dataset → Outcomes, each parent reading its children's results.

A unit's *height* is 0 without children, else one more than its highest
child's. Scoring runs once per height, over all units at once (column-wise,
as every run): after run ``p`` the units of height ≤ ``p`` are final, so the
figures taken from them (engine.tree: ``children.mean(total)`` …) are final
for the units of height ≤ ``p + 1``, which the next run reads. Three levels
(村 → 镇 → 区) are three runs. The last run's figures are computed once more
from its own outcomes: they must be the ones it read — otherwise a child's
result depends on its parent's (a ranking over every level, say), there is no
bottom-up order, and that is a located error at ``tree:``.

Each figure aggregates a child expression by parent with one ``bincount`` (or
``minimum.at``); the children's figures a parent's sheet shows are joined per
parent by polars (one group-by, no loop per unit). Figures are rounded
half-up at the scheme's precision: the number printed is the number used.
The run kept is the last one, its dataset holding the figures and, in hidden
columns (:func:`engine.tree.text_name`), each parent's children in words.
"""

from __future__ import annotations

import dataclasses
import typing as t

import numpy as np
import numpy.typing as npt
import polars as pl

from engine import aggregates
from engine.data import Dataset
from engine.errors import EvaluationError, Problem
from engine.expressions import ColumnEvaluator
from engine.grade import Outcomes, decide
from engine.evaluate import evaluate
from engine.model import Scheme
from engine.numbers import format_number, round_half_up
from engine.tree import SHOWN_CHILDREN, Figure, Tree, parent_index, text_name

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


def heights(parent: IntArray) -> IntArray:
    """Each unit's height (0: no children), one step per level: ``maximum.at`` over the parent column."""
    n = parent.shape[0]
    height = np.zeros(n, dtype=np.int64)
    has = parent >= 0
    child, up = np.flatnonzero(has), parent[has]
    for _ in range(n):
        taller = height.copy()
        np.maximum.at(taller, up, height[child] + 1)
        if np.array_equal(taller, height):
            break
        height = taller
    return height


def score_levels(scheme: Scheme, dataset: Dataset, details: bool = False) -> Outcomes:
    """Every unit scored, graded and ranked, each level reading the results of the level below."""
    tree = scheme.tree
    assert tree is not None
    units = dataset.units
    n = len(units)
    parent = parent_index(units.ids, units.parents)
    top = int(heights(parent).max()) if n else 0
    columns = dict(dataset.columns)
    for figure in tree.figures:
        counted = _counted(figure, parent, units.types)
        has = np.bincount(parent[counted], minlength=n) > 0
        # Before the first run no child is scored: a placeholder only parents hold (the leaves' value is final).
        empty = 0.0 if figure.function in ("count", "sum") else np.nan
        columns[figure.id] = np.where(has, 0.0, empty)
        columns[text_name(figure.id)] = columns[text_name(figure.id, "en")] = np.full(n, "", dtype=object)
    for run in range(top + 1):
        last = run == top
        data = dataclasses.replace(dataset, columns=columns)
        outcomes = decide(evaluate(scheme, data, details=details and last))
        figures = figure_columns(tree, outcomes, parent, words=run == top - 1)
        if last:
            _check_settled(tree, figures, columns, units.ids)
            return outcomes
        columns = {**columns, **figures}
    raise AssertionError("unreachable")  # the loop returns on its last run


def _counted(figure: Figure, parent: IntArray, types: npt.NDArray[np.str_]) -> npt.NDArray[np.bool_]:
    counted = parent >= 0
    if figure.child_types is not None:
        counted &= np.isin(types, sorted(figure.child_types))
    return counted


def _check_settled(tree: Tree, figures: t.Mapping[str, npt.NDArray[np.generic]], used: t.Mapping[str, npt.NDArray[np.generic]],
                   ids: npt.NDArray[np.str_]) -> None:
    for figure in tree.figures:
        now, before = figures[figure.id], used[figure.id]
        moved = ~((now == before) | (np.isnan(now) & np.isnan(before)))
        if moved.any():
            unit = int(np.flatnonzero(moved)[0])
            raise EvaluationError([Problem.at("tree_unsettled", figure.location, figure=figure.id, id=str(ids[unit]),
                                              before=format_number(float(before[unit])), after=format_number(float(now[unit])))])


def child_results(outcomes: Outcomes, wanted: set[str]) -> aggregates.Namespace:
    """Each unit's results by the names a figure's expression reads (engine.tree): inputs, scores,
    ``total``, vetoes, grades, each ranking's tier label, actions, ``rank``, ``group_rank``."""
    results = outcomes.results
    scheme = results.scheme
    names = results.namespace()
    for grade in scheme.grades:
        if grade.id in wanted:
            values = outcomes.grades[grade.id]
            names[grade.id] = (np.array([np.nan if v is None else float(v) for v in values], dtype=np.float64) if grade.numeric
                               else np.where(values == None, "", values).astype(str))  # noqa: E711 (element-wise)
    for placement in outcomes.placements:
        if placement.ranking.id in wanted:
            labels = np.array([tier.label for tier in placement.ranking.tiers] + [""])
            names[placement.ranking.id] = labels[placement.tier]
    names.update(outcomes.actions)
    if "rank" in wanted:
        names["rank"] = np.where(outcomes.rank > 0, outcomes.rank, np.nan).astype(np.float64)
    if "group_rank" in wanted:
        names["group_rank"] = np.where(outcomes.group_rank > 0, outcomes.group_rank, np.nan).astype(np.float64)
    return names


def figure_columns(tree: Tree, outcomes: Outcomes, parent: IntArray, words: bool = False) -> dict[str, npt.NDArray[np.generic]]:
    """Every figure of every unit from its children's results (and, with ``words``, the children in words)."""
    results = outcomes.results
    units = results.data.units
    n = len(units)
    wanted: set[str] = set().union(*(f.of.names for f in tree.figures if f.of is not None))
    names = child_results(outcomes, wanted)
    evaluator = ColumnEvaluator(names)
    precision = results.scheme.precision
    out: dict[str, npt.NDArray[np.generic]] = {}
    for figure in tree.figures:
        counted = _counted(figure, parent, units.types)
        child = np.flatnonzero(counted)
        up = parent[child]
        value = np.ones(n, dtype=bool) if figure.of is None else evaluator.column(figure.of, n)
        value = np.asarray(value)[child]
        out[figure.id] = round_half_up(_aggregate(figure.function, value, up, n), precision)
        if words:
            out[text_name(figure.id)], out[text_name(figure.id, "en")] = _children_words(units.ids, units.names, child, up, value, n, precision)
    return out


def _aggregate(function: str, value: npt.NDArray[np.generic], up: IntArray, n: int) -> FloatArray:
    """One figure per unit from the values of its children (``up``: each child's parent): absent values take no part."""
    if function in ("count", "share"):
        hits: FloatArray = np.bincount(up, weights=value.astype(np.float64), minlength=n).astype(np.float64)
        if function == "count":
            return hits
        with np.errstate(all="ignore"):
            share: FloatArray = hits / np.bincount(up, minlength=n) * 100.0
        return share
    x = value.astype(np.float64)
    present = ~np.isnan(x)
    if function in ("sum", "mean"):
        total: FloatArray = np.bincount(up, weights=np.where(present, x, 0.0), minlength=n).astype(np.float64)
        if function == "sum":
            return total
        with np.errstate(all="ignore"):
            mean: FloatArray = total / np.bincount(up, weights=present.astype(np.float64), minlength=n)
        return mean
    fill = np.inf if function == "min" else -np.inf
    best = np.full(n, fill)
    (np.minimum if function == "min" else np.maximum).at(best, up, np.where(present, x, fill))
    best[best == fill] = np.nan  # no child with a value
    return best


def _children_words(ids: npt.NDArray[np.str_], names: npt.NDArray[np.str_], child: IntArray, up: IntArray,
                    value: npt.NDArray[np.generic], n: int, precision: int) -> tuple[npt.NDArray[np.object_], npt.NDArray[np.object_]]:
    """Per parent, its children and their figures: "V11 陈书记 93.5、V12 杨书记 86" (the first few, then 等 N 个)."""
    if value.dtype == np.bool_:
        shown = np.where(value, "是", "否"), np.where(value, "yes", "no")
    elif value.dtype.kind in "fi":
        distinct, inverse = np.unique(round_half_up(value.astype(np.float64), precision), return_inverse=True)
        texts = np.array(["空" if np.isnan(v) else format_number(v) for v in distinct.tolist()] or [""])
        shown = texts[inverse.reshape(-1)], np.char.replace(texts[inverse.reshape(-1)], "空", "none")
    else:
        shown = value.astype(str), value.astype(str)
    who = np.char.add(np.char.add(ids[child], np.where(names[child] != "", " ", "")), names[child])
    frame = pl.DataFrame({"up": up, "zh": np.char.add(np.char.add(who, " "), shown[0]), "en": np.char.add(np.char.add(who, " "), shown[1])})
    grouped = frame.group_by("up", maintain_order=True).agg(
        pl.col("zh").head(SHOWN_CHILDREN).str.join("、"), pl.col("en").head(SHOWN_CHILDREN).str.join(", "), pl.len().alias("n"))
    more = pl.col("n") > SHOWN_CHILDREN
    zh_all = pl.when(more).then(pl.col("zh") + pl.lit("等 ") + pl.col("n").cast(pl.String) + pl.lit(" 个")).otherwise(pl.col("zh"))
    en_all = pl.when(more).then(pl.col("en") + pl.lit(" … (") + pl.col("n").cast(pl.String) + pl.lit(" in all)")).otherwise(pl.col("en"))
    grouped = grouped.with_columns(zh_all.alias("zh"), en_all.alias("en"))
    zh = np.full(n, "", dtype=object)
    en = np.full(n, "", dtype=object)
    at = grouped["up"].to_numpy()
    zh[at] = grouped["zh"].to_numpy()
    en[at] = grouped["en"].to_numpy()
    # Kept as objects: as fixed-width text every unit would take the longest parent's width (100,000 × 600 characters).
    return zh, en
