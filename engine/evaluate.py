"""Score every unit: Scheme + Dataset → Results (item, section, part and total
columns, vetoes), optionally with a trace of every step for one unit.

Each rule kind (engine.rules) evaluates itself on whole columns: one call
scores all units, with no per-unit Python loop; this module lends it the
columns, the trace and the warnings (:class:`engine.rules.Evaluating`). Scores are
clamped to the item's [min, max] (减完为止 / 封顶) and rounded half-up at the
scheme's precision. Under the default ``rounding: items`` sums are of the
rounded scores (rounded again), so the parts always add up to the displayed
total; under ``rounding: total`` sums keep full precision and only each
displayed score, the total included, is rounded. Either way every recorded
score — what grades, vetoes and rankings read — is the displayed number.

Invalid ballots (engine.ballots) are removed from the data first. Cross-unit
functions (engine.aggregates) are computed over all units and kept by call in
``Results.across``; the trace of one unit (explain) is given them, and the
invalid ballots, through :class:`Known` instead of recomputing over that unit.
"""

from __future__ import annotations

import ast
import dataclasses
import typing as t

import numpy as np
import numpy.typing as npt

from engine import aggregates, ballots, tree
from engine.ballots import InvalidBallot
from engine.data import Dataset
from engine.errors import EvaluationError, Problem
from engine.expressions import ColumnEvaluator, Expression, TracingEvaluator, rows_name, source_of
from engine.messages import Text
from engine import rules
from engine.model import Item, Node, Scheme, Section
from engine.input_reads import NO_NOTE, InputRead, corrected_text, history_read, origin_text, show
from engine.numbers import FloatArray, format_number, round_half_up

BoolArray = npt.NDArray[np.bool_]

NOT_APPLICABLE = Text("不适用", "not applicable")
BY_HAND = Text("直接评定，不计分", "graded by hand, not scored")


@dataclasses.dataclass(frozen=True)
class Step:
    """One line of a trace: what was computed and its value."""

    #: Chinese and English label (e.g. the sub-expression, "计算结果"/"result").
    label: Text
    value: str


@dataclasses.dataclass(frozen=True)
class ItemTrace:
    """How one item's score came about for one unit."""

    node: Node
    inputs: tuple[InputRead, ...]
    steps: tuple[Step, ...]
    score: float
    #: Why the score is absent or was bounded ("不适用", "减完为止" …); empty if none.
    note: Text


@dataclasses.dataclass(frozen=True)
class Results:
    """Scores of every unit, column-wise."""

    scheme: Scheme
    data: Dataset
    #: Rounded score per node id (items, sections), NaN where not applicable.
    scores: t.Mapping[str, FloatArray]
    #: Rounded score per explicit part id.
    parts: t.Mapping[str, FloatArray]
    #: Weighted sum of the parts, rescaled when declared (before adjustments).
    base: FloatArray
    #: Base plus adjustments, rounded: the unit's total.
    total: FloatArray
    #: Units graded by hand (not scored).
    manual: BoolArray
    #: Which units each veto hits.
    vetoes: t.Mapping[str, BoolArray]
    #: Derived values by id (computed before the items).
    derived: t.Mapping[str, aggregates.Column]
    warnings: tuple[Problem, ...]
    #: Per-item traces (only when evaluated with ``trace=True``).
    traces: tuple[ItemTrace, ...] = ()
    #: Full marks applicable to each unit (Σ weight × applicable max), for 折算.
    applicable_full: FloatArray | None = None
    #: Weighted sum of the parts before 折算 (equals ``base`` without rescaling).
    raw_base: FloatArray | None = None
    #: Per item, the intermediate columns of its rule (``evaluate(..., details=True)``):
    #: "raw", "clause<k>"/"count<k>" (deductions), "value"/"band" (tiers), "when", "level<k>".
    details: t.Mapping[str, t.Mapping[str, aggregates.Column]] = dataclasses.field(default_factory=dict)
    #: Cross-unit figures (mean_over, rank …) computed in this run, by call (engine.aggregates).
    across: t.Mapping[str, aggregates.Column] = dataclasses.field(default_factory=dict)
    #: Ballots left out before scoring (engine.ballots), in rater order.
    invalid_ballots: tuple[InvalidBallot, ...] = ()

    def known_at(self, index: int) -> Known:
        """What the trace of unit ``index`` alone must take from this run: the
        population's cross-unit figures and the invalid ballots the unit was on."""
        on = tuple(dataclasses.replace(b, units=(0,)) for b in self.invalid_ballots if index in b.units)
        return Known(aggregates.at(self.across, index), on)

    def namespace(self) -> aggregates.Namespace:
        """Inputs, dimension labels, derived values and scores by name, for
        veto, grade and ranking expressions."""
        names = input_namespace(self.scheme, self.data)
        names.update(self.derived)
        names.update(self.scores)
        names.update(self.parts)
        names["total"] = self.total
        names.update(self.vetoes)  # a veto's id is true where it hit (for grades and rankings)
        names[aggregates.ACROSS] = dict(self.across)
        return names


@dataclasses.dataclass(frozen=True)
class Known:
    """Figures of a full run that the trace of one unit cannot compute over that unit alone."""

    #: Cross-unit aggregates of the unit, by call (engine.aggregates).
    across: t.Mapping[str, aggregates.Column]
    #: Invalid ballots the unit was on (its data is already screened).
    ballots: tuple[InvalidBallot, ...] = ()


class _NoTrace:
    """The tracer of an evaluation that keeps no trace: every call does nothing."""

    active = False

    def step(self, label: Text | str, value: object) -> None:
        pass

    def mark(self) -> int:
        return 0

    def drop(self, mark: int) -> None:
        pass


_NO_TRACE = _NoTrace()


class _Tracer:
    """Collects steps for one unit (n == 1)."""

    active = True

    def __init__(self, scheme: Scheme, data: Dataset) -> None:
        self.scheme = scheme
        self.data = data
        self.steps: list[Step] = []
        self.inputs: dict[str, InputRead] = {}
        #: Derived values of the traced unit (set by the evaluation).
        self.derived: dict[str, aggregates.Column] = {}

    def step(self, label: Text | str, value: object) -> None:
        if isinstance(label, str):
            label = Text(label, label)
        self.steps.append(Step(label, show(value)))

    def mark(self) -> int:
        return len(self.steps)

    def drop(self, mark: int) -> None:
        del self.steps[mark:]

    def read(self, expression: Expression, evaluator: TracingEvaluator) -> None:
        for node, value in evaluator.steps:
            if isinstance(node, ast.Name):
                self.note_input(node.id)
            elif isinstance(node, ast.Call):
                self.step(source_of(expression, node), value)
        evaluator.steps.clear()

    def note_input(self, name: str) -> None:
        spec = self.scheme.inputs.get(name)
        param = self.scheme.params.get(name)
        if param is not None and name not in self.inputs:
            self.inputs[name] = InputRead(name, param.title, (show(param.value),), None, Text("参数", "parameter"))
            return
        if (figure := tree.told(self.scheme, name, self.data.columns, 0)) is not None and name not in self.inputs:
            self.inputs[name] = InputRead(name, *figure)  # a figure taken from the unit's children (engine.tree)
        entry = next((h for h in self.scheme.history if h.id == name), None)
        if entry is not None and name not in self.inputs:
            self.inputs[name] = history_read(entry, self.data)
            return
        if spec is None or name in self.inputs:
            derived = next((d for d in self.scheme.derived if d.id == name), None)
            if derived is not None and name not in self.inputs:
                value = self.derived[name]
                self.inputs[name] = InputRead(name, derived.title, (show(value),), None,
                                              Text(f"计算值 {derived.value.source}", f"derived: {derived.value.source}"))
            return
        column = self.data.columns[name][0]
        if spec.per is None:
            values: tuple[str, ...] = (show(column),)
        else:
            cells = column.tolist()
            dim = self.scheme.dimensions[spec.per]
            if dim.values is None:  # open dimension: only present entries
                cells = [c for c in cells if c == c and c != ""]
            values = tuple(show(c) for c in cells)
        origins = list(self.data.origins_of(name, 0))
        origin = origin_text(origins)
        unit = str(self.data.units.ids[0]) if len(self.data.units) else ""
        corrected = [c for c in self.data.corrections if c.input == name and c.unit == unit]
        if corrected:
            # The value in use comes from the correction table: point there (the original cell is kept as 原值).
            fixed = corrected_text(corrected, self.scheme.dimensions[spec.per].title if spec.per else "")
            origin = Text(f"{origin.zh}；{fixed.zh}" if origin.zh else fixed.zh, f"{origin.en}; {fixed.en}" if origin.en else fixed.en)
        self.inputs[name] = InputRead(
            name, spec.title, values,
            self.scheme.dimensions[spec.per].title if spec.per else None,
            origin,
        )

    def take(self, node: Node, score: float, note: Text) -> ItemTrace:
        trace = ItemTrace(node, tuple(self.inputs.values()), tuple(self.steps), score, note)
        self.steps, self.inputs = [], {}
        return trace


def input_namespace(scheme: Scheme, data: Dataset) -> aggregates.Namespace:
    """Inputs by name, plus each closed dimension's labels under its id
    (``month`` → a (1, 12) row 1 … 12 that broadcasts against every unit's
    months; a condition on it alone stays one row, which lets ``sum_if``
    pick those months' columns instead of masking every cell)."""
    names: aggregates.Namespace = dict(data.columns)
    names["unit_type"] = data.units.types
    names.update({ident: param.value for ident, param in scheme.params.items()})
    n = len(data.units)
    units = data.units
    names.update(aggregates.scope_columns(n, units.group_codes, units.parents, units.types))
    names[aggregates.ACROSS] = {}
    for entry in scheme.history:
        # Without a history lookup (no earlier period), an earlier outcome is "none".
        if entry.id not in names:
            names[entry.id] = (
                np.full(n, np.nan) if entry.kind in ("total", "rank", "number")
                else np.full(n, "", dtype="<U1") if entry.kind in ("grade", "text") else np.zeros(n, dtype=bool)
            )
    for ident, dim in scheme.dimensions.items():
        width = len(data.dim_labels.get(ident, ()) or (1,))
        names[rows_name(ident)] = data.presence.get(ident, np.ones((1, width), dtype=bool))
        if dim.values is None:
            continue
        try:
            labels: aggregates.Column = np.array([float(v) for v in dim.values])
        except ValueError:
            labels = np.array(dim.values)
        names[ident] = labels[None, :]
    return names


def evaluate(scheme: Scheme, data: Dataset, *, trace: bool = False, details: bool = False,
             known: Known | None = None) -> Results:
    """Score every unit of ``data`` under ``scheme``.

    Args:
        trace: record a step-by-step trace (meant for a one-unit dataset,
            see :meth:`Dataset.take`).
        details: keep every rule's intermediate columns (for score sheets
            and notices that say where each point was lost).
        known: for the trace of one unit of a full run (``Results.known_at``):
            the cross-unit figures and invalid ballots of that run; ``data``
            is then that run's (screened) data.

    Raises:
        EvaluationError: a rule yields no number for some unit (e.g. a
            division by zero), naming the item and the units.
    """
    # Overflow (per: 1e308 × a count) and 0/0 give inf/NaN, which the checks on
    # every score report by item and unit; numpy's RuntimeWarnings would only be noise.
    with np.errstate(all="ignore"):
        invalid: tuple[InvalidBallot, ...] = known.ballots if known is not None else ()
        if scheme.ballots and known is None:
            data, invalid = ballots.screen(scheme, data)
        results = _Evaluation(scheme, data, trace, details, known).run()
        return dataclasses.replace(results, invalid_ballots=invalid) if invalid else results


class _Evaluation:
    def __init__(self, scheme: Scheme, data: Dataset, trace: bool, details: bool = False,
                 known: Known | None = None) -> None:
        self.scheme = scheme
        self.data = data
        self.n = len(data.units)
        self.columns = input_namespace(scheme, data)
        if known is not None:
            self.columns[aggregates.ACROSS] = dict(known.across)
        #: Per ballot input, the invalid ballots of the traced unit (said in its trace).
        self.left_out: dict[str, list[InvalidBallot]] = {}
        for ballot in known.ballots if known is not None and trace else ():
            for ident in (i for i, spec in scheme.inputs.items() if spec.per == ballot.ballot.per):
                self.left_out.setdefault(ident, []).append(ballot)
        self.evaluator = ColumnEvaluator(self.columns)
        self.tracer = _Tracer(scheme, data) if trace else None
        #: What a rule traces into (engine.rules.Tracing): the tracer, or one that keeps nothing.
        self.trace: rules.Tracing = self.tracer if self.tracer is not None else _NO_TRACE
        self.derived: dict[str, aggregates.Column] = {}
        for value in scheme.derived:
            # Each derived value may use the ones before it.
            column = self.evaluator.column(value.value, self.n)
            self.derived[value.id] = column
            self.columns[value.id] = column
            self.evaluator = ColumnEvaluator(self.columns)
        if self.tracer is not None:
            self.tracer.derived = self.derived
        self.traces: list[ItemTrace] = []
        self.errors: list[Problem] = []
        self.warnings: list[Problem] = []
        self.scores: dict[str, FloatArray] = {}
        self.keep = details
        self.details: dict[str, dict[str, aggregates.Column]] = {}
        manual = scheme.manual
        if manual is not None and manual.input in data.columns:
            self.manual: BoolArray = ~np.isnan(data.columns[manual.input].astype(np.float64))
        else:
            self.manual = np.zeros(self.n, dtype=bool)
        self.types = data.units.types
        #: Round every item before summing (the default), or only what is displayed.
        self.each = scheme.rounding == "items"
        #: The units the item being evaluated applies to (engine.rules.Evaluating.active).
        self.active: BoolArray = np.ones(self.n, dtype=bool)

    # -- helpers -------------------------------------------------------------
    def column(self, expression: Expression) -> aggregates.Column:
        if self.tracer is not None:
            evaluator = TracingEvaluator(self.columns)
            value = evaluator.column(expression, self.n)
            self.tracer.read(expression, evaluator)
            for name in expression.names:
                self.tracer.note_input(name)
            for ballot in sorted({id(b): b for name in expression.names for b in self.left_out.get(name, ())}.values(), key=lambda b: b.rater):
                self.tracer.step(ballot.left_out(), f"{ballot.group} {ballot.rater}".strip())
            return value
        return self.evaluator.column(expression, self.n)

    def applicable(self, node: Node, inherited: BoolArray) -> BoolArray:
        if node.applies_to is None:
            return inherited
        return inherited & np.isin(self.types, list(node.applies_to))

    def note(self, item: Item, key: str, column: npt.ArrayLike) -> None:
        """Keep an intermediate column of ``item`` when details were asked for."""
        if self.keep:
            self.details.setdefault(item.id, {})[key] = np.asarray(column)

    def warn(self, problem: Problem) -> None:
        self.warnings.append(problem)

    def dense(self, applicable: BoolArray) -> bool:
        """True when every unit is scored here (no NaN to skip in sums)."""
        return bool(applicable.all()) and not bool(self.manual.any())

    def units_text(self, mask: BoolArray) -> Text:
        hits = np.flatnonzero(mask)
        units = self.data.units
        zh = ", ".join(f"{units.ids[i]}（{units.names[i]}）" for i in hits[:5])
        en = ", ".join(f"{units.ids[i]} ({units.names[i]})" for i in hits[:5])
        if len(hits) > 5:
            zh, en = zh + f" …共 {len(hits)} 个", en + f" … {len(hits)} in all"
        return Text(zh, en)

    def inputs_text(self, item: Item, index: int) -> Text:
        """The values behind ``item`` for unit ``index``: the names its rule reads
        and, through derived values, the inputs those read (for a "no number" error)."""
        derived = {d.id: d for d in self.scheme.derived}
        names: list[str] = []
        pending = sorted(_rule_names(item))
        while pending:
            name = pending.pop(0)
            if name in names:
                continue
            names.append(name)
            if name in derived:
                pending.extend(sorted(derived[name].value.names))
        shown = []
        for name in names:
            value = self.columns.get(name)
            if not isinstance(value, np.ndarray) or value.ndim == 0 or name.startswith("__"):
                if isinstance(value, (int, float)):
                    shown.append(f"{name} = {show(value)}")
                continue
            row = value[index] if value.shape[0] > index else value[0]
            if np.ndim(row) == 0:
                shown.append(f"{name} = {show(row)}")
            else:
                cells = [c for c in np.asarray(row).tolist() if c == c and c != ""]
                shown.append(f"{name} = [{', '.join(show(c) for c in cells[:8])}{', …' if len(cells) > 8 else ''}]")
        unit = f"{self.data.units.ids[index]}"
        return Text(f"单位 {unit} 读取的值: " + "；".join(shown), f"values read for unit {unit}: " + "; ".join(shown))

    # -- the run -------------------------------------------------------------
    def run(self) -> Results:
        scheme = self.scheme
        everyone = np.ones(self.n, dtype=bool)
        part_scores: dict[str, FloatArray] = {}
        base = np.zeros(self.n)
        full = np.zeros(self.n)
        for part in scheme.parts:
            score, part_max = self.children(part.children, everyone)
            shown = round_half_up(score, scheme.precision)
            if part.explicit:
                part_scores[part.id] = shown
            base = base + part.weight * np.nan_to_num(shown if self.each else score)
            full = full + part.weight * part_max
        raw_base = round_half_up(base, scheme.precision)
        if scheme.rescale_full is not None:
            # 折算: a unit with fewer applicable points is scaled to the full scale.
            with np.errstate(all="ignore"):
                base = np.where(full > 0, base * scheme.rescale_full / full, 0.0)
        exact_base = base
        base = round_half_up(base, scheme.precision)
        total = base.copy() if self.each else exact_base.copy()
        for item in scheme.adjustments:
            score = self.item(item, everyone)
            total += score if self.dense(everyone) else np.nan_to_num(score)
        # The total is rounded once more: under rounding "items" a sum of
        # rounded scores (float noise only), under "total" the exact sum.
        total = round_half_up(total, scheme.precision)
        if self.errors:
            raise EvaluationError(self.errors)
        total[self.manual] = np.nan
        base[self.manual] = np.nan
        if not scheme.parts:
            # A classification scheme (no scored items): there is no total to show or rank by.
            total[:] = np.nan
            base[:] = np.nan
        partial = Results(scheme, self.data, self.scores, part_scores, base, total, self.manual, {}, self.derived, (),
                          across=aggregates.across_of(self.columns))
        names = partial.namespace()
        evaluator = ColumnEvaluator(names)
        vetoes: dict[str, BoolArray] = {}
        for veto in scheme.vetoes:
            if self.tracer is not None:
                tracing = TracingEvaluator(names)
                hit = tracing.column(veto.when, self.n).astype(bool)
            else:
                hit = evaluator.column(veto.when, self.n).astype(bool)
            vetoes[veto.id] = hit
        return dataclasses.replace(
            partial, vetoes=vetoes, warnings=tuple(self.warnings), traces=tuple(self.traces),
            applicable_full=full, raw_base=raw_base, details=self.details,
        )

    def children(self, nodes: tuple[Node, ...], applicable: BoolArray) -> tuple[FloatArray, FloatArray]:
        """Sum of the nodes' scores and of their applicable maxima, per unit."""
        total = np.zeros(self.n)
        full = np.zeros(self.n)
        for node in nodes:
            here = self.applicable(node, applicable)
            if isinstance(node, Section):
                score, node_max = self.section(node, here)
            else:
                score = self.item(node, here)
                node_max = np.where(here, node.max, 0.0)
            # Inapplicable and hand-graded units hold NaN; they add nothing.
            total += score if self.dense(here) else np.nan_to_num(score)
            full += node_max
        return total, full

    def section(self, section: Section, applicable: BoolArray) -> tuple[FloatArray, FloatArray]:
        """The section's score to add up (rounded or exact, per the scheme's
        rounding) and its applicable maximum; the rounded score is recorded."""
        exact, full = self.children(section.children, applicable)
        # A declared section max is a ceiling (a section of bonus items "最高 5 分").
        exact = np.minimum(exact, section.max)
        full = np.minimum(full, section.max)
        active = applicable & ~self.manual
        score = np.where(active, round_half_up(exact, self.scheme.precision), np.nan)
        self.scores[section.id] = score
        if self.tracer is not None:
            note = NO_NOTE if applicable[0] else NOT_APPLICABLE
            self.traces.append(ItemTrace(section, (), (), float(score[0]), note))
        return (score if self.each else np.where(active, exact, np.nan)), full

    def item(self, item: Item, applicable: BoolArray) -> FloatArray:
        active = applicable & ~self.manual
        self.active = active
        raw = np.asarray(item.rule.evaluate(self, item), dtype=np.float64)
        self.note(item, "raw", raw)
        everyone = bool(active.all())
        bad = ~np.isfinite(raw)
        if not everyone and bad.any():
            bad &= active
        if bad.any():
            self.errors.append(Problem.at(
                "eval_not_finite", item.location,
                what=Text(f"项目 {item.id}（{item.title}）", f"item {item.id} ({item.title})"),
                units=self.units_text(bad), found=Text("非数值（空或无穷大）", "no number (empty or infinite)"),
                expr=item.rule.source(), inputs=self.inputs_text(item, int(np.flatnonzero(bad)[0])),
            ))
        clamped = np.clip(raw, item.min, item.max)
        if item.implicit_bounds and rules.kind(item.kind).warn_outside and (
                raw.max(initial=-np.inf) > item.max + 1e-9 or raw.min(initial=np.inf) < item.min - 1e-9):
            outside = active & np.isfinite(raw) & (np.abs(clamped - raw) > 1e-9)
            if outside.any():
                self.warnings.append(Problem.at(
                    "eval_capped", item.location, "warning",
                    what=Text(f"项目 {item.id}", f"item {item.id}"), count=int(outside.sum()),
                    min=format_number(item.min), max=format_number(item.max), units=self.units_text(outside),
                ))
        score = round_half_up(clamped, self.scheme.precision)
        exact = clamped
        if not everyone:
            score = np.where(active, score, np.nan)
            exact = np.where(active, clamped, np.nan)
        self.scores[item.id] = score
        if self.tracer is not None:
            note = NO_NOTE
            if self.manual[0]:
                note = BY_HAND
            elif not applicable[0]:
                note = NOT_APPLICABLE
            elif abs(clamped[0] - raw[0]) > 1e-9:
                lo, hi = format_number(item.min), format_number(item.max)
                note = Text(f"按 [{lo}, {hi}] 截取（减完为止/封顶）", f"bounded to [{lo}, {hi}]")
            self.tracer.step(Text("计算结果", "result"), raw)
            self.traces.append(self.tracer.take(item, float(score[0]), note))
        # What the sums add: the rounded score (rounding "items"), or the exact one ("total").
        return score if self.each else exact


def _rule_names(item: Item) -> frozenset[str]:
    """Every name the item's rule reads."""
    return frozenset(name for e in item.rule.expressions() for name in e.names)
