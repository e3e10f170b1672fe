"""What-if sweeps: a ``--sweep`` text becomes the variants it names, and the
variants' outcomes become the sweep table of ``kaohe diff``.

A sweep is one or more assignments separated by commas::

    params.base_weight.value=0.6:0.9:0.1,params.vote_weight.value=1-base_weight
    base_weight=0.6:0.9:0.1,vote_weight=1-base_weight        # a param by its name: its value

``PATH=FROM:TO:STEP`` is a range, stepped exactly in decimals; several ranges
move together (the n-th value of each: a line, not a grid), so they must have
as many values. ``PATH=EXPRESSION`` is linked: at each point it is worked out,
in exact decimals, from numbers, ``+ - * /``, brackets and the names of the
paths before it (the path as written, or a param's name for its value).

Each variant is checked for weights that no longer add up to 1: the params
one expression reads together when they added up to 1 in the scheme swept
(``base_weight`` and ``vote_weight`` of ``… * base_weight + … * vote_weight``)
give a warning; parts' weights that do not are the compiler's error
(``weights_sum``), so ``part_a.weight=0.3:0.7:0.1`` needs
``part_b.weight=1-part_a.weight`` beside it. The same check serves ``--set``
(:func:`weight_warnings`).
"""

from __future__ import annotations

import ast
import dataclasses
import math
import re
import typing as t
from decimal import Decimal, InvalidOperation

from engine.context import DEFAULT, Context
from engine.diff import OutcomeDiff, diff_outcomes
from engine.diff_pages import ordered_counts
from engine.errors import Location, Problem, UsageError
from engine.grade import Outcomes
from engine.loader import RawScheme
from engine.messages import closest
from engine.model import Item, Scheme
from engine.overrides import apply_overrides, sweep_values

#: The most values one ``--sweep`` may try: each one scores the whole data set again.
SWEEP_MAX_VALUES = 1001

_RANGE = re.compile(r"^[^=]+=\s*[^:=]+:[^:=]+:[^:=]+$")
_PARAM_PATH = re.compile(r"^(?:params\.)?([a-z][a-z0-9_]*)(?:\.value)?$")

Number = t.Union[int, float]


@dataclasses.dataclass(frozen=True)
class Sweep:
    """A parsed ``--sweep``: the ranges and the linked paths, in the order written."""

    text: str
    #: (path, values) of every range.
    ranges: tuple[tuple[str, tuple[Number, ...]], ...]
    #: (path, expression) of every linked path.
    links: tuple[tuple[str, str], ...]

    @property
    def paths(self) -> tuple[str, ...]:
        return tuple(p for p, _ in self.ranges) + tuple(p for p, _ in self.links)

    def points(self) -> list[tuple[tuple[str, Number], ...]]:
        """The assignments of each point, ranges first, then linked paths worked out from them.

        Raises:
            UsageError: a linked expression names nothing known, divides by 0, or is no arithmetic.
        """
        count = len(self.ranges[0][1])
        out = []
        for index in range(count):
            known: dict[str, Decimal] = {}
            values: list[tuple[str, Number]] = []
            for path, steps in self.ranges:
                _remember(known, path, Decimal(str(steps[index])))
                values.append((path, steps[index]))
            for path, expression in self.links:
                value = _evaluate(expression, known, self.text)
                _remember(known, path, value)
                values.append((path, _number(value)))
            out.append(tuple(values))
        return out


def parse_sweep(text: str) -> Sweep:
    """``--sweep`` text → :class:`Sweep` (each range checked as :func:`check_range` does).

    Raises:
        UsageError: located at ``--sweep``: a part that is not PATH=VALUE, no range
            at all, ranges of different lengths, a path given twice.
    """
    parts = [part.strip() for part in _split(text)]
    ranges: list[tuple[str, tuple[Number, ...]]] = []
    links: list[tuple[str, str]] = []
    for part in parts:
        if "=" not in part or not part.split("=", 1)[0].strip() or not part.split("=", 1)[1].strip():
            raise UsageError([Problem.at("sweep_syntax", Location("--sweep"), found=part or text)])
        if _RANGE.match(part):
            check_range(part)
            path, values = sweep_values(part)
            ranges.append((path, tuple(values)))
        else:
            path, expression = (x.strip() for x in part.split("=", 1))
            links.append((path, expression))
    if not ranges:
        raise UsageError([Problem.at("sweep_no_range", Location("--sweep"), found=text)])
    lengths = {len(values) for _, values in ranges}
    if len(lengths) > 1:
        counts = "、".join(f"{path} {len(values)}" for path, values in ranges)
        raise UsageError([Problem.at("sweep_unequal", Location("--sweep"), found=text, counts=counts)])
    paths = [p for p, _ in ranges] + [p for p, _ in links]
    twice = next((p for p in paths if paths.count(p) > 1), None)
    if twice is not None:
        raise UsageError([Problem.at("sweep_twice", Location("--sweep"), found=text, path=twice)])
    return Sweep(text, tuple(ranges), tuple(links))


def _split(text: str) -> list[str]:
    """Split at commas outside brackets (a linked expression may hold none, but be safe)."""
    out, depth, start = [], 0, 0
    for index, char in enumerate(text):
        depth += {"(": 1, "[": 1, ")": -1, "]": -1}.get(char, 0)
        if char == "," and depth == 0:
            out.append(text[start:index])
            start = index + 1
    out.append(text[start:])
    return out


def _remember(known: dict[str, Decimal], path: str, value: Decimal) -> None:
    known[path] = value
    short = _PARAM_PATH.match(path)
    if short:
        known.setdefault(short.group(1), value)


def _number(value: Decimal) -> Number:
    return int(value) if value == value.to_integral_value() else float(value)


def _evaluate(expression: str, known: dict[str, Decimal], text: str) -> Decimal:
    """``expression`` in exact decimals over the ``known`` names (1 - 0.7 is 0.3, not 0.30000000000000004)."""
    where = Location("--sweep")
    try:
        tree = ast.parse(expression, mode="eval").body
    except SyntaxError:
        raise UsageError([Problem.at("sweep_bad_link", where, found=expression, sweep=text)]) from None

    def value(node: ast.AST) -> Decimal:
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
            return Decimal(str(node.value))
        if isinstance(node, (ast.Name, ast.Attribute, ast.Subscript)):
            name = ast.unparse(node)
            if name not in known:
                raise UsageError([Problem.at("sweep_unknown_name", where, name=name, sweep=text,
                                             known="、".join(known), suggest=closest(name, list(known)))])
            return known[name]
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            inner = value(node.operand)
            return -inner if isinstance(node.op, ast.USub) else inner
        if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub, ast.Mult, ast.Div)):
            left, right = value(node.left), value(node.right)
            if isinstance(node.op, ast.Div):
                if right == 0:
                    raise UsageError([Problem.at("sweep_bad_link", where, found=expression, sweep=text)])
                return left / right
            return left + right if isinstance(node.op, ast.Add) else left - right if isinstance(node.op, ast.Sub) else left * right
        raise UsageError([Problem.at("sweep_bad_link", where, found=expression, sweep=text)])

    try:
        result = value(tree)
    except InvalidOperation:
        raise UsageError([Problem.at("sweep_bad_link", where, found=expression, sweep=text)]) from None
    if not result.is_finite():
        raise UsageError([Problem.at("sweep_bad_link", where, found=expression, sweep=text)])
    return result


def check_range(text: str) -> None:
    """Refuse a ``PATH=FROM:TO:STEP`` that cannot be stepped through.

    Mirrors the stepping of :func:`engine.overrides.sweep_values` (repeated
    decimal addition at the default 28 digits): FROM, TO and STEP must be
    finite numbers that are also finite as floats (``1e400`` is not), STEP
    above 0, FROM not above TO, at most :data:`SWEEP_MAX_VALUES` values, and
    every step must change the value (``1e30:1e30:1`` would not, and loop
    forever). Malformed text is left to ``sweep_values``'s own message.
    """
    if "=" not in text or text.count(":") != 2:
        return
    parts = [part.strip() for part in text.split("=", 1)[1].split(":")]
    try:
        start, stop, step = (Decimal(part) for part in parts)
    except InvalidOperation:
        return
    for part, number in zip(parts, (start, stop, step)):
        if not number.is_finite() or not math.isfinite(float(number)):
            raise UsageError([Problem.at("cli_sweep_not_finite", Location(""), found=text, value=part)])
    if step <= 0:
        raise UsageError([Problem.at("cli_sweep_step", Location(""), found=text, step=parts[2])])
    if stop < start:
        raise UsageError([Problem.at("cli_sweep_order", Location(""), found=text, start=parts[0], stop=parts[1])])
    if (stop - start) / step >= SWEEP_MAX_VALUES:
        raise UsageError([Problem.at("cli_sweep_too_many", Location(""), found=text, cap=SWEEP_MAX_VALUES)])
    current, count = start, 0
    while current <= stop:  # at most SWEEP_MAX_VALUES rounds, as checked above (up to rounding)
        count += 1
        if count > SWEEP_MAX_VALUES:
            raise UsageError([Problem.at("cli_sweep_too_many", Location(""), found=text, cap=SWEEP_MAX_VALUES)])
        following = current + step
        if following == current:
            raise UsageError([Problem.at("cli_sweep_stuck", Location(""), found=text, step=parts[2], value=str(current))])
        current = following


def check_sweep(text: str) -> None:
    """Refuse, before any file is read, a ``--sweep`` whose ranges cannot be stepped through
    or that is not PATH=VALUE parts with a range among them."""
    parse_sweep(text)


# ---------------------------------------------------------------------------
# Weights that no longer add up to 1


def weight_groups(scheme: Scheme) -> list[tuple[str, tuple[str, ...]]]:
    """(where, params) for every item, adjustment or derived value that reads two or more
    params whose values add up to 1: weights meant to stay complementary."""
    groups: list[tuple[str, tuple[str, ...]]] = []
    seen: set[tuple[str, ...]] = set()
    readers: list[tuple[str, frozenset[str]]] = []
    for node in scheme.nodes():
        if isinstance(node, Item):
            readers.append((node.id, frozenset().union(*(e.names for e in node.rule.expressions()))))
    readers.extend((d.id, d.value.names) for d in scheme.derived)
    for where, names in readers:
        params = tuple(sorted(n for n in names if n in scheme.params))
        if len(params) >= 2 and params not in seen and _adds_to_one(scheme, params):
            seen.add(params)
            groups.append((where, params))
    return groups


def _adds_to_one(scheme: Scheme, params: t.Iterable[str]) -> bool:
    return math.isclose(sum(scheme.params[p].value for p in params), 1.0, abs_tol=1e-9)


def weight_warnings(base: Scheme, variant: Scheme, where: str) -> list[Problem]:
    """Warnings for ``variant`` (a ``--set``/``--sweep`` of ``base``): params that added up to 1
    in ``base`` and no longer do. (Part weights that do not add up to 1 are the compiler's
    ``weights_sum`` error: such a variant is refused, located at its ``--set``.)"""
    problems = []
    for reader, params in weight_groups(base):
        if all(p in variant.params for p in params) and not _adds_to_one(variant, params):
            total = sum((Decimal(str(variant.params[p].value)) for p in params), Decimal(0))
            problems.append(Problem.at("sweep_weights_apart", Location(where), "warning", where=reader,
                                       params=" + ".join(params), sum=_show(total),
                                       values="、".join(f"{p} = {_show(Decimal(str(variant.params[p].value)))}" for p in params)))
    return problems


def _show(value: Decimal) -> str:
    return format(value.normalize(), "f")


# ---------------------------------------------------------------------------
# The sweep table


def grade_counts(moved: OutcomeDiff, scheme: Scheme) -> str:
    """"优秀 3、合格 30" — how many units have each grade in the new version, in the
    scheme's grade order (the same on every row of a sweep)."""
    counts: dict[str, int] = {}
    for unit in moved.units:
        counts[unit.new_grade or "—"] = counts.get(unit.new_grade or "—", 0) + 1
    return "、".join(f"{k} {v}" for k, v in ordered_counts(counts, scheme).items())


class SweepPoint(t.TypedDict):
    """One point of a sweep: what was set and how the units' outcomes moved."""

    #: The range's value; the values joined when several paths move.
    value: Number | str
    #: Path → value.
    values: dict[str, Number]
    #: "优秀 3、合格 30" (:func:`grade_counts`).
    grades: str
    grade_changes: int
    spearman: float | None
    #: Weight warnings, in the context's language.
    warnings: list[str]


class SweepTable(t.TypedDict):
    """The ``sweep`` part of the diff document (:func:`run_sweep`)."""

    #: The swept paths, joined.
    path: str
    points: list[SweepPoint]
    #: Whether any point has a warning.
    warned: bool


def run_sweep(sweep: Sweep, raw: RawScheme, base: Scheme, before: Outcomes,
              score: t.Callable[[Scheme], Outcomes], compile_raw: t.Callable[[RawScheme], Scheme],
              notify: t.Callable[[Problem], None], context: Context = DEFAULT) -> SweepTable:
    """Score every point of ``sweep`` (applied to ``raw``, the scheme ``base`` compiled) and
    compare it with ``before``; weight warnings go to ``notify`` and into each point.

    Returns the ``sweep`` part of the diff document: ``path`` (the paths, joined), and per point
    ``value`` (the range's value; the values joined when several paths move), ``values``
    (path → value), ``grades``, ``grade_changes``, ``spearman`` and ``warnings`` (texts in
    the context's language); ``warned`` when any point has a warning.
    """
    points: list[SweepPoint] = []
    said: set[str] = set()
    for assignments in sweep.points():
        variant = compile_raw(apply_overrides(raw, [f"{path}={value}" for path, value in assignments]))
        label = ",".join(f"{path}={value}" for path, value in assignments)
        warnings = weight_warnings(base, variant, f"--sweep {label}")
        for problem in warnings:
            if problem.code not in said:  # once per kind: every point of a one-sided sweep would repeat it
                said.add(problem.code)
                notify(problem)
        moved = diff_outcomes(before, score(variant))
        single = len(assignments) == 1
        points.append({
            "value": assignments[0][1] if single else ", ".join(f"{v:g}" if isinstance(v, float) else str(v) for _, v in assignments),
            "values": {path: value for path, value in assignments},
            "grades": grade_counts(moved, variant),
            "grade_changes": moved.grade_changes,
            "spearman": moved.spearman,
            "warnings": [p.message(context)[0] for p in warnings],
        })
    return {"path": ", ".join(sweep.paths), "points": points, "warned": any(p["warnings"] for p in points)}
