"""Compile a structurally valid RawScheme into a frozen Scheme, collecting every
semantic problem on the way.

The entry point: :func:`check_scheme` writes repetition out, validates the
structure and finite numbers, then runs the compile steps of
:mod:`engine.compiling` in the order of the name scope's stages
(:data:`engine.compiling.scope.STAGES`: inputs → params → dimensions →
history → figures → derived → scores → vetoes → grades → rankings → actions),
declaring each stage's names before the next stage reads them.

Checks made (each located at its YAML line): unique ids, one rule per
item, declared names in every expression and the right result types,
unit types and dimensions that exist, part weights adding up to 1, manual
grading that points at real things, finite numbers (infinity only where it
means "no bound"), category literals among the declared values, forced
grades that are values of the grade, rules that need a finite ``max``.
Warnings (the scheme still runs): section totals that differ from the
declared ``max``, tier and grade bands with gaps or overlaps, levels over a
category that leave declared values out.
"""

from __future__ import annotations

import math
import typing as t
from pathlib import Path

from engine.ballots import compile_ballots
from engine.expand import expand_problems
from engine.errors import Problem, SchemeError, sorted_problems
from engine.expressions import BOOL, NUMBER
from engine.loader import RawScheme, YamlPath
from engine.messages import closest
from engine.model import Action, Corrections, ReportOptions, Scheme
from engine.numbers import number_text
from engine.validate import validate_structure
from engine import tree
from engine.compiling import declarations, decisions, items
from engine.compiling.scope import TOTAL, UNIT_TYPE
from engine.compiling.state import UNCAPPED, UNFLOORED, Compilation, bound, value_text
from engine.rules.scale import compile_scales

__all__ = ["MAX_POINTS", "TOTAL", "UNCAPPED", "UNFLOORED", "UNIT_TYPE", "bound", "check_scheme", "compile_scheme",
           "finite_problems", "value_text"]


def check_scheme(raw: RawScheme) -> tuple[Scheme | None, tuple[Problem, ...]]:
    """Validate and compile ``raw``; return the scheme (``None`` on errors) and
    every problem found, errors and warnings, sorted by position."""
    # A scheme read through engine.inherit is written out already (expanding it again changes
    # nothing); one compiled straight from text — the workbench's editor, tests — is written out here.
    raw, repeated = expand_problems(raw)
    if any(p.severity == "error" for p in repeated):
        return None, sorted_problems(repeated)
    structural = validate_structure(raw) + finite_problems(raw)
    if structural:
        return None, sorted_problems(structural)
    compilation = Compilation(raw)
    scheme = _compile(compilation)
    problems = sorted_problems(list(compilation.problems) + repeated)
    if any(p.severity == "error" for p in problems):
        return None, problems
    return scheme, problems


#: Keys whose value may be infinite because infinity means "no bound there":
#: an item's max (+∞, 不封顶) and min (−∞), a cap, band bounds and an input's range.
_UNBOUNDED = {"max": (1,), "cap": (1,), "min": (-1,), "ge": (1, -1), "gt": (1, -1), "le": (1, -1), "lt": (1, -1)}


#: Keys whose numbers are points (an item's bounds, a deduction, a band's or a level's points).
_POINT_KEYS = frozenset({"max", "min", "cap", "points", "per", "start", "otherwise"})
#: The largest points a scheme may write (docs/limits.md).
MAX_POINTS = 1e9


def finite_problems(raw: RawScheme) -> tuple[Problem, ...]:
    """Every number of ``raw`` that is not a finite float: NaN anywhere,
    infinities except where they mean "no bound", integers beyond float range.

    ``max: .nan`` would give every unit 0 and rank 1, ``range: [0, .nan]``
    switch range checks off, ``{ge: .nan}`` make a band never match.
    """
    problems: list[Problem] = []

    def walk(node: t.Any, path: YamlPath) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                walk(value, path + (key,))
        elif isinstance(node, list):
            for index, value in enumerate(node):
                walk(value, path + (index,))
        elif isinstance(node, (int, float)) and not isinstance(node, bool):
            try:
                number = float(node)
            except OverflowError:
                number = math.nan
            key = path[-1] if path and isinstance(path[-1], str) else (path[-2] if len(path) > 1 else "")
            if math.isfinite(number):
                if str(key) in _POINT_KEYS and abs(number) > MAX_POINTS:
                    # Points beyond a billion are no assessment, and sums of them overflow to infinity.
                    problems.append(Problem.at("points_too_large", raw.location(path), found=number_text(node), limit=f"{MAX_POINTS:,.0f}"))
                return
            signs = (1, -1) if key == "range" else _UNBOUNDED.get(str(key), ())
            if math.isinf(number) and isinstance(node, float) and math.copysign(1, number) in signs:
                return
            found = "NaN" if isinstance(node, float) and math.isnan(node) else number_text(node)
            problems.append(Problem.at("not_finite", raw.location(path), found=found))

    walk(raw.data, ())
    return tuple(problems)


def compile_scheme(raw: RawScheme) -> tuple[Scheme, tuple[Problem, ...]]:
    """Like :func:`check_scheme` but raise :class:`SchemeError` on errors.

    Returns:
        The scheme and its warnings.
    """
    scheme, problems = check_scheme(raw)
    if scheme is None:
        raise SchemeError([p for p in problems if p.severity == "error"])
    return scheme, problems


def _compile(c: Compilation) -> Scheme:
    """The scheme's keys compiled in the order of the stages (engine.compiling.scope.STAGES):
    each stage's names are declared to the scope before the next stage reads them."""
    data = t.cast(dict[str, t.Any], c.data)
    units = data.get("units", {})
    c.unit_types = tuple(units.get("types", {}) or {})
    dimensions = declarations.dimensions(c)
    c.inputs = declarations.inputs(c, dimensions)
    c.scope = c.scope.declare("inputs", declarations.input_names(c))
    c.categories = declarations.input_categories(c)
    params = declarations.params(c)
    c.scope = c.scope.declare("params", {ident: NUMBER for ident in params})
    c.scope = c.scope.declare("dimensions", declarations.dimension_names(c, dimensions))
    c.categories.update(declarations.dimension_categories(dimensions))
    history, names = declarations.history(c)
    c.scope = c.scope.declare("history", names)
    # The figures parents take from their children, read by name (engine.tree).
    c.scope = c.scope.declare("figures", tree.declare(c))
    derived, names = declarations.derived(c)
    c.scope = c.scope.declare("derived", names)
    ballots = compile_ballots(c, data.get("ballots") or [], c.inputs, dimensions)
    rule_compiling = items.RuleCompiling(c, c.scope.visible("scores"))
    c.scales = compile_scales(rule_compiling, data.get("scales") or {}, ("scales",))

    parts, adjustments = items.scores(c, rule_compiling)
    c.scope = c.scope.declare("scores", items.score_names(parts, adjustments))
    vetoes = decisions.vetoes(c)
    c.scope = c.scope.declare("vetoes", {veto.id: BOOL for veto in vetoes})
    grades = decisions.grades(c)
    decisions.check_forced_grades(c, vetoes, grades)
    manual = decisions.manual(c, grades)
    c.scope = c.scope.declare("grades", decisions.grade_names(grades))
    rankings = decisions.rankings(c, grades)
    c.scope = c.scope.declare("rankings", {ranking.id: BOOL for ranking in rankings})
    actions = decisions.actions(c)
    c.scope = c.scope.declare("actions", {action.id: BOOL for action in actions})
    rescale = data.get("rescale")
    if rescale and not all(math.isfinite(p.max) for p in parts):
        # 折算 divides by the applicable full marks: an uncapped item has none.
        c.problem("rescale_uncapped", ("rescale",), at_key=True)
    return Scheme(
        id=data["id"],
        version=value_text(data["version"]),
        title=data["title"],
        subject=data.get("subject", ""),
        file=c.raw.file,
        precision=int(data.get("precision", 2)),
        group_title=units.get("group", "分组"),
        unit_types=c.unit_types,
        dimensions=dimensions,
        inputs=c.inputs,
        parts=parts,
        adjustments=adjustments,
        rescale_full=float(rescale["full"]) if rescale else None,
        vetoes=vetoes,
        grades=grades,
        manual=manual,
        derived=derived,
        rankings=rankings,
        history=history,
        actions=actions,
        corrections=_corrections(c),
        params=params,
        reports=_report_options(c, actions),
        rounding=data.get("rounding", "items"),
        ballots=ballots,
        tree=tree.compile_tree(c, grades, rankings, actions),  # after the actions: a child's every result is known
    )


def _report_options(c: Compilation, actions: tuple[Action, ...]) -> ReportOptions:
    """``reports:`` → the report options; ``notices`` must name an action."""
    spec = t.cast(dict[str, t.Any], c.data).get("reports") or {}
    notices = spec.get("notices")
    if notices is not None and notices not in {a.id for a in actions}:
        c.problem("report_notices_unknown", ("reports", "notices"), name=notices, suggest=closest(notices, [a.id for a in actions]),
                  allowed=", ".join(a.id for a in actions) or "—")
    templates = spec.get("templates")
    folder = None
    if templates:
        folder = str((Path(c.raw.file).resolve().parent / templates).resolve()) if c.raw.file else templates
    return ReportOptions(
        issuer=spec.get("issuer", ""), heading=spec.get("heading", ""), seal=spec.get("seal", "（盖章）"),
        gongshi_days=int(spec.get("gongshi_days", 5)), deadline_days=int(spec.get("deadline_days", 30)),
        notices=notices, templates=folder, number=spec.get("number", ""), red_header=spec.get("red_header", ""),
    )


def _corrections(c: Compilation) -> Corrections | None:
    """``corrections:`` → the inputs a correction sheet may change (each a declared input)."""
    spec = t.cast(dict[str, t.Any], c.data).get("corrections")
    if spec is None:
        return None
    names = spec.get("inputs", [])
    for i, name in enumerate(names):
        if name not in c.inputs:
            c.problem("expr_unknown_name", ("corrections", "inputs", i), name=name, expr="corrections.inputs",
                      suggest=closest(name, c.inputs))
    return Corrections(spec.get("title", "更正"), frozenset(names))
