"""Turn Results into Outcomes: grades from bands, veto effects, eligibility and ranks.

Tie policy (documented in docs/scheme-language.md): units are ordered by
their total, rounded at the scheme's precision; equal rounded totals share a
rank and the next rank is skipped (1, 2, 2, 4 — "competition ranking").
Units graded by hand and units with no total are not ranked (rank 0 here,
``null`` in JSON). Ranks are given over all units and within each group.
"""

from __future__ import annotations

import dataclasses
import functools
import typing as t

import numpy as np
import numpy.typing as npt

from engine.aggregates import Namespace
from engine.errors import Problem
from engine.evaluate import BoolArray, Results
from engine.expressions import ColumnEvaluator
from engine.messages import Text
from engine.model import Grade, Scheme
from engine.rank import Placement, place
from engine.numbers import FloatArray

IntArray = npt.NDArray[np.int64]
ObjectArray = npt.NDArray[np.object_]


@dataclasses.dataclass(frozen=True)
class Outcomes:
    """Everything decided about each unit."""

    results: Results
    #: Grade value per unit for each grade id (float for numeric grades, str
    #: otherwise, ``None`` where no band applies).
    grades: t.Mapping[str, ObjectArray]
    #: 1-based rank over all scored units (0 = not ranked).
    rank: IntArray
    #: May compete for awards: scored, and no disqualifying veto.
    eligible: BoolArray
    warnings: tuple[Problem, ...]
    #: Rank-based labels, one placement per ranking of the scheme.
    placements: tuple[Placement, ...] = ()
    #: Which units each action (结果运用) applies to.
    actions: t.Mapping[str, BoolArray] = dataclasses.field(default_factory=dict)
    #: Per grade id, the value each unit was banded on (``of``; NaN for units of other types),
    #: kept so explain says what was banded without working it out again.
    bases: t.Mapping[str, FloatArray] = dataclasses.field(default_factory=dict)

    @functools.cached_property
    def listing(self) -> npt.NDArray[np.intp]:
        """Unit indexes by rank (unranked last), then by id: the order of every listing
        (engine.results_table.unit_order). Sorted once: a report lists 100,000 units in
        several files, and sorting by id costs a tenth of a second each time. Read-only."""
        rank = self.rank
        key = np.where(rank > 0, rank, np.iinfo(np.int64).max)
        order: npt.NDArray[np.intp] = np.lexsort((self.results.data.units.ids, key))
        order.setflags(write=False)
        return order

    @functools.cached_property
    def group_rank(self) -> IntArray:
        """1-based rank within the unit's group (0 = not ranked).

        Worked out when first asked for (reports, JSON), not while scoring:
        on a million units sorting by group costs as much as an item.
        """
        codes = self.results.data.units.group_codes
        if self.rank.size and not codes.any():
            return self.rank.copy()  # one group: the group rank is the rank
        return _group_rank(self.results.total, np.isfinite(self.results.total), codes)

    def grade_label(self, grade: Grade, index: int) -> str | None:
        return grade.label_of(self.grades[grade.id][index])

    def primary_label(self, index: int) -> str | None:
        """The result's grade of unit ``index``: its type's primary grade."""
        scheme = self.results.scheme
        grade = scheme.primary_for(str(self.results.data.units.types[index]))
        return self.grade_label(grade, index) if grade is not None else None

    def labels(self, index: int) -> list[str]:
        """Every rank-based label and action of unit ``index``, in scheme order."""
        ranked = [p.ranking.tiers[p.tier[index]].label for p in self.placements if p.tier[index] >= 0]
        return ranked + [a.title for a in self.results.scheme.actions if self.actions[a.id][index]]


def decide(results: Results) -> Outcomes:
    """Grade, apply vetoes and rank every unit of ``results``."""
    scheme = results.scheme
    n = len(results.data.units)
    names = results.namespace()
    evaluator = ColumnEvaluator(names)
    warnings: list[Problem] = []
    grades: dict[str, ObjectArray] = {}
    bases: dict[str, FloatArray] = {}
    for grade in scheme.grades:
        of = np.asarray(evaluator.column(grade.of, n), dtype=np.float64)
        if grade.applies_to is not None:
            # Units of other types are not graded by it (and not warned about).
            of = np.where(np.isin(results.data.units.types, list(grade.applies_to)), of, np.nan)
        bases[grade.id] = of
        values, numeric, unmatched = _band(grade, of)
        if scheme.manual is not None and scheme.manual.grade == grade.id:
            # A hand-given grade is the grade value itself (e.g. 8 stars), not banded.
            hand = np.asarray(results.data.columns[scheme.manual.input], dtype=np.float64)
            values[results.manual] = hand[results.manual]
            numeric[results.manual] = hand[results.manual]
            unmatched &= ~results.manual
        if unmatched.any():
            hits = np.flatnonzero(unmatched)
            units = ", ".join(str(results.data.units.ids[i]) for i in hits[:5])
            warnings.append(Problem.at(
                "eval_no_band", grade.location, "warning",
                what=Text(f"评定 {grade.id}", f"grade {grade.id}"), count=len(hits), units=units,
            ))
        grades[grade.id] = values
        if grade.numeric:
            names[grade.id] = numeric  # later grades may band on this one (格次 of 星级)

    disqualified = np.zeros(n, dtype=bool)
    #: Grades whose values changed after banding (a veto or a ranking set them).
    changed: set[str] = set()
    primary = scheme.primary_grade
    for veto in scheme.vetoes:
        hit = results.vetoes[veto.id]
        if veto.effect == "disqualify":
            disqualified |= hit
        elif primary is not None and hit.any():
            value = veto.grade if isinstance(veto.grade, str) or veto.grade is None else float(veto.grade)
            for grade in _primaries(scheme):
                # Force the unit's own primary grade (each type may have its own).
                covered = hit if grade.applies_to is None else hit & np.isin(results.data.units.types, list(grade.applies_to))
                if covered.any():
                    forced = grades[grade.id].copy()
                    forced[covered] = value
                    grades[grade.id] = forced
                    changed.add(grade.id)

    scored = np.isfinite(results.total)
    eligible = scored & ~disqualified
    rank = _competition_rank(results.total, scored)
    codes = results.data.units.group_codes
    wanted = _names_used(scheme)
    # Numeric grades are in `names` from banding; text ones (and changed ones) are built here.
    _grade_names(scheme, grades, names, {g.id for g in scheme.grades if g.id in wanted and (not g.numeric or g.id in changed)})
    placed: list[Placement] = []
    for ranking in scheme.rankings:
        placement = place(ranking, names, scored if ranking.with_disqualified else eligible, codes)
        names[ranking.id] = placement.tier >= 0  # later rankings and actions may use it
        placed.append(placement)
    placements = tuple(placed)
    for placement in placements:
        if placement.ranking.grade is not None:
            # A grade decided by rank (S5: "按 40% 左右的比例提名……为优秀等次").
            chosen = placement.tier >= 0
            if chosen.any():
                regraded = grades[placement.ranking.grade].copy()
                regraded[chosen] = placement.labels[chosen]
                grades[placement.ranking.grade] = regraded
    regraded_ids = {p.ranking.grade for p in placements if p.ranking.grade is not None}
    _grade_names(scheme, grades, names, wanted & regraded_ids)  # a ranking may have re-set a grade (优秀 by rank)
    actions: dict[str, BoolArray] = {}
    evaluator = ColumnEvaluator(names)
    for action in scheme.actions:
        actions[action.id] = np.asarray(evaluator.column(action.when, n), dtype=bool)
        names[action.id] = actions[action.id]
        evaluator = ColumnEvaluator(names)
    return Outcomes(results, grades, rank, eligible, tuple(warnings), placements, actions, bases)


def _primaries(scheme: Scheme) -> list[Grade]:
    typed = [g for g in scheme.grades if g.primary]
    return typed or ([scheme.primary_grade] if scheme.primary_grade is not None else [])


def _names_used(scheme: Scheme) -> set[str]:
    """Names read by rankings and actions (only those grades need a text column)."""
    used: set[str] = set()
    for ranking in scheme.rankings:
        for expression in (ranking.by, ranking.among, *ranking.tie_break):
            if expression is not None:
                used |= expression.names
    for action in scheme.actions:
        used |= action.when.names
    return used


def _grade_names(scheme: Scheme, grades: t.Mapping[str, ObjectArray], names: Namespace, wanted: set[str]) -> None:
    """Grades by name for rankings and actions: numbers for numeric grades (set
    while banding), text otherwise — built only for the grades they read, since
    turning a million-row object column into text costs more than scoring it."""
    for grade in scheme.grades:
        if grade.id not in wanted:
            continue
        values = grades[grade.id]
        if grade.numeric and all(v is None or isinstance(v, float) for v in values):
            names[grade.id] = np.array([np.nan if v is None else v for v in values], dtype=np.float64)
        else:
            names[grade.id] = np.where(values == None, "", values).astype(str)  # noqa: E711 (element-wise)


def _band(grade: Grade, of: npt.NDArray[np.float64]) -> tuple[ObjectArray, npt.NDArray[np.float64], BoolArray]:
    n = of.shape[0]
    values = np.full(n, None, dtype=object)
    numeric = np.full(n, np.nan)
    matched = np.zeros(n, dtype=bool)
    for band in grade.bands:
        hit = band.mask(of) & ~matched
        values[hit] = band.result
        if isinstance(band.result, float):
            numeric[hit] = band.result
        matched |= hit
    unmatched = ~matched & np.isfinite(of)
    if grade.otherwise is not None:
        values[unmatched] = grade.otherwise
        if isinstance(grade.otherwise, (int, float)):
            numeric[unmatched] = float(grade.otherwise)
        unmatched = np.zeros(n, dtype=bool)
    return values, numeric, unmatched


def _competition_rank(total: npt.NDArray[np.float64], scored: BoolArray) -> IntArray:
    """Rank = 1 + number of scored units with a strictly higher total."""
    rank = np.zeros(total.shape[0], dtype=np.int64)
    if not scored.any():
        return rank
    ordered = np.sort(-total[scored])  # ascending negatives = descending totals
    rank[scored] = np.searchsorted(ordered, -total[scored], side="left") + 1
    return rank


def _group_rank(total: npt.NDArray[np.float64], scored: BoolArray, codes: IntArray) -> IntArray:
    """Competition rank within each group, without a Python loop over units."""
    n = total.shape[0]
    rank = np.zeros(n, dtype=np.int64)
    index = np.flatnonzero(scored)
    if index.size == 0:
        return rank
    group_code = codes[index]
    values = -total[index]
    order = np.lexsort((values, group_code))
    sorted_groups = group_code[order]
    sorted_values = values[order]
    position = np.arange(order.size)
    group_start = np.r_[True, sorted_groups[1:] != sorted_groups[:-1]]
    run_start = group_start | np.r_[True, sorted_values[1:] != sorted_values[:-1]]
    first_of_group = np.maximum.accumulate(np.where(group_start, position, 0))
    first_of_run = np.maximum.accumulate(np.where(run_start, position, 0))
    rank[index[order]] = first_of_run - first_of_group + 1
    return rank
