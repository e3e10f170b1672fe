"""``items:`` or ``parts:``, and ``adjustments:`` → the scheme's parts and adjustments.

Each node is a section (its ``items``) or an item with exactly one rule,
compiled by its kind (engine.rules) with :class:`RuleCompiling` lent as
:class:`engine.rules.Compiling`: an item's expressions read the names of the
stages before the scores (inputs, params, dimensions, history, figures,
derived values). Checked here: one rule per item, a ``max`` where the rule
needs one, ``min`` not above ``max``, unit types that exist, part weights
adding up to 1; warnings for section and part totals that differ from their
items' and for levels over a category input that leave declared values out.
"""

from __future__ import annotations

import math
import typing as t

from engine.errors import Location, Problem
from engine.expressions import BOOL, NUMBER, Expression, ValueType
from engine.loader import YamlPath
from engine.messages import Text, closest
from engine.model import Band, Item, Node, Part, Section
from engine import rules
from engine.compiling import bands as banding
from engine.compiling.scope import TOTAL
from engine.compiling.state import Compilation, bound
from engine.rules import Rule
from engine.rules.scale import Scale
from engine.yamltypes import YamlMap

if t.TYPE_CHECKING:
    from engine.rules.levels import Level


def scores(c: Compilation, rc: RuleCompiling) -> tuple[tuple[Part, ...], tuple[Item, ...]]:
    """The parts (one unnamed part for plain ``items:``) and the adjustments."""
    data = t.cast(dict[str, t.Any], c.data)
    parts = _parts(c, rc)
    adjustments = tuple(
        node for node in (_node(c, rc, raw, ("adjustments", i), uncapped=True) for i, raw in enumerate(data.get("adjustments", []) or []))
        if isinstance(node, Item)
    )
    _report_levels_coverage(c)
    if any(isinstance(n, dict) and "items" in n for n in data.get("adjustments", []) or []):
        for i, raw_node in enumerate(data.get("adjustments", [])):
            if isinstance(raw_node, dict) and "items" in raw_node:
                c.problem("section_with_rule", ("adjustments", i), id=raw_node.get("id"), found="items")
    return parts, adjustments


def score_names(parts: tuple[Part, ...], adjustments: tuple[Item, ...]) -> dict[str, ValueType]:
    """The names the scores stage declares: ``total``, each named part, every section and item."""
    names = {TOTAL: NUMBER, **{part.id: NUMBER for part in parts if part.explicit}}
    for node in _walk(tuple(c for p in parts for c in p.children) + adjustments):
        names[node.id] = NUMBER
    return names


def applies_to(c: Compilation, spec: YamlMap, path: YamlPath) -> frozenset[str] | None:
    """The unit types an item (or grade) written ``applies_to`` is for; ``None``: every type."""
    types = t.cast("list[str] | None", spec.get("applies_to"))
    if types is None:
        return None
    for i, name in enumerate(types):
        if name not in c.unit_types:
            c.problem("unknown_unit_type", path + ("applies_to", i), name=name, suggest=closest(name, c.unit_types), allowed=", ".join(c.unit_types) or "—")
    return frozenset(types)


def _parts(c: Compilation, rc: RuleCompiling) -> tuple[Part, ...]:
    data = t.cast(dict[str, t.Any], c.data)
    if "parts" in data and "items" in data:
        c.problem("schema_other", ("items",), at_key=True, reason=Text("'items' 与 'parts' 只能写一个", "write either 'items' or 'parts', not both"))
    if "parts" not in data:
        if "items" not in data:
            if not data.get("actions"):
                c.problem("missing_key", (), key="items")
            return ()
        children = _children(c, rc, ("items",), data["items"])
        return (Part("", data["title"], 1.0, _max_of(children), children, c.at(("items",)), False),)
    parts: list[Part] = []
    for i, spec in enumerate(data["parts"]):
        path: YamlPath = ("parts", i)
        c.claim_id(spec["id"], path)
        children = _children(c, rc, path + ("items",), spec["items"])
        total = _max_of(children)
        declared = float(spec.get("max", total))
        if not math.isclose(declared, total, abs_tol=1e-9):
            c.problem("section_total_mismatch", path + ("max",), "warning", id=spec["id"], declared=f"{declared:g}", sum=f"{total:g}")
        parts.append(Part(spec["id"], spec["title"], float(spec["weight"]), declared, children, c.at(path), True))
    weights = sum(p.weight for p in parts)
    if not math.isclose(weights, 1.0, abs_tol=1e-9):
        c.problem("weights_sum", ("parts",), sum=f"{weights:g}")
    return tuple(parts)


def _children(c: Compilation, rc: RuleCompiling, path: YamlPath, specs: list[dict[str, t.Any]]) -> tuple[Node, ...]:
    nodes = (_node(c, rc, spec, path + (i,)) for i, spec in enumerate(specs))
    return tuple(n for n in nodes if n is not None)


def _node(c: Compilation, rc: RuleCompiling, spec: dict[str, t.Any], path: YamlPath, uncapped: bool = False) -> Node | None:
    ident = spec["id"]
    c.claim_id(ident, path)
    applies = applies_to(c, spec, path)
    written = [key for key in rules.keys() if key in spec]
    if "items" in spec:
        if written:
            c.problem("section_with_rule", path + (written[0],), at_key=True, id=ident, found=written[0])
        children = _children(c, rc, path + ("items",), spec["items"])
        _check_section_total(c, spec, path, children)
        total = _max_of(children)
        return Section(ident, spec["title"], bound(spec.get("max", total)), children, applies, c.at(path))
    if not written:
        c.problem("no_rule", path + ("id",), id=ident, kinds=", ".join(rules.keys()))
        return None
    if len(written) > 1:
        c.problem("many_rules", path + (written[1],), at_key=True, id=ident, found=", ".join(written))
        return None
    kind = rules.kind(written[0])
    if "max" not in spec and not (uncapped and kind.allows_no_max):
        c.problem("item_needs_max", path + ("id",), id=ident)
        return None
    # An adjustment is unbounded unless it declares bounds (S5's innovation
    # bonus states no ceiling; "formula: -warn" is a penalty, not 0); an
    # item is floored at 0 (减完为止) unless it declares its 'min'.
    high = bound(spec.get("max", math.inf))
    low = bound(spec.get("min", -math.inf if uncapped else 0.0))
    if low > high:
        c.problem("min_above_max", path + ("min",), min=f"{low:g}", max=f"{high:g}")
    if not math.isfinite(high) and kind.needs_max(spec[kind.key]):
        # These rules read their full marks (points default to max, deductions
        # start from max, fractions and 同比例 scale it): an infinite max is no number.
        c.problem("uncapped_needs_max", path + ("max",), id=ident, kind=kind.key)
        return None
    rule = _rule(rc, kind.key, spec, path + (kind.key,), ident, high)
    if rule is None:
        return None
    here, rule_at = c.at(path), c.at(path + (kind.key,), key=True)
    return Item(ident, spec["title"], high, low, rule, applies, here, kind.key,
                implicit_bounds=not uncapped and "min" not in spec,
                # A rule overridden in a child scheme is written in the child's file.
                rule_location=rule_at if rule_at.file != here.file else None)


def _check_section_total(c: Compilation, spec: dict[str, t.Any], path: YamlPath, children: tuple[Node, ...]) -> None:
    if "max" not in spec:
        return
    declared = bound(spec["max"])
    # The declared total must match all its items, or the items of some unit
    # type (S3: each type has its own 100 points); items that apply to fewer
    # types are expected to leave other types short.
    totals = [_max_of(children)] + [_max_of(children, unit_type) for unit_type in c.unit_types]
    if any(math.isclose(total, declared, abs_tol=1e-9) for total in totals):
        return
    c.problem("section_total_mismatch", path + ("max",), "warning", id=spec["id"], declared=f"{declared:g}", sum=f"{totals[0]:g}")


def _rule(rc: RuleCompiling, kind: str, spec: dict[str, t.Any], path: YamlPath, ident: str, high: float) -> Rule | None:
    """The item's rule, compiled by its kind (engine.rules) with the compilation lent as :class:`rules.Compiling`."""
    return rules.kind(kind).compile(rc, spec[kind], path, Text(f"项目 {ident}", f"item {ident}"), high)


def check_levels_cover(c: Compilation, levels: t.Sequence[Level], path: YamlPath) -> None:
    """Levels written over one category input (rating == '优秀' …) should
    name every declared value: a value left out scores 0 without a word."""
    if not levels or any(level.when is None for level in levels):
        return
    pairs = set().union(*(_category_tests(t.cast(Expression, level.when)) for level in levels))
    inputs = {name for name, _ in pairs}
    if len(inputs) != 1 or (name := next(iter(inputs))) not in c.categories:
        return
    # Bonus and penalty levels over one input are often two items (表彰 / 处分):
    # a value counts as covered when any levels block names it.
    first, covered = c.level_coverage.get(name, (path, set()))
    c.level_coverage[name] = (first, covered | {literal for _, literal in pairs})


def _report_levels_coverage(c: Compilation) -> None:
    for name, (path, covered) in c.level_coverage.items():
        missing = [value for value in c.categories[name] if value not in covered]
        if missing:
            c.problem("levels_uncovered", path + ("levels",), "warning", name=name, missing="、".join(missing))


def _category_tests(expression: Expression) -> set[tuple[str, str]]:
    """The (name, literal) pairs of ``name == 'literal'`` tests in an expression.

    >>> from engine.errors import Location
    >>> from engine.expressions import ValueType, compile_expression
    >>> e, _ = compile_expression("r == '优秀' or '良好' == r", {"r": ValueType("text")}, Location("f", 1, 1, "$"), expect=BOOL, what="")
    >>> sorted(_category_tests(e))
    [('r', '优秀'), ('r', '良好')]
    """
    import ast

    pairs = set()
    for node in ast.walk(expression.tree):
        if isinstance(node, ast.Compare) and len(node.ops) == 1 and isinstance(node.ops[0], ast.Eq):
            for a, b in ((node.left, node.comparators[0]), (node.comparators[0], node.left)):
                if isinstance(a, ast.Name) and isinstance(b, ast.Constant) and isinstance(b.value, str):
                    pairs.add((a.id, b.value))
    return pairs


def _walk(nodes: t.Iterable[Node]) -> t.Iterator[Node]:
    """``nodes`` and, under each section, its children, depth first."""
    for node in nodes:
        yield node
        if isinstance(node, Section):
            yield from _walk(node.children)


def _max_of(nodes: t.Iterable[Node], unit_type: str | None = None) -> float:
    """Full marks of ``nodes`` for ``unit_type`` (all nodes when ``None``)."""
    total = 0.0
    for node in nodes:
        if unit_type is not None and node.applies_to is not None and unit_type not in node.applies_to:
            continue
        if isinstance(node, Section) and unit_type is not None:
            total += min(node.max, _max_of(node.children, unit_type))
        else:
            total += node.max
    return total


class RuleCompiling:
    """The compilation lent to a rule kind (:class:`engine.rules.Compiling`): an
    item's expressions read ``names`` — the names visible at the scores stage
    (inputs, parameters, derived values; not scores, which are computed from them)."""

    def __init__(self, c: Compilation, names: t.Mapping[str, ValueType]) -> None:
        self._c = c
        self._names = names

    def expression(self, path: YamlPath, expect: ValueType, what: Text) -> Expression | None:
        return self._c.expression(path, self._names, expect, what)

    def bands(self, specs: list[YamlMap], path: YamlPath, result_key: str, high: float = 0.0) -> tuple[Band, ...]:
        return banding.bands(self._c, specs, path, result_key, high)

    def check_bands(self, bands: tuple[Band, ...], path: YamlPath, domain: tuple[float, float], gaps: bool = True) -> None:
        banding.check_bands(self._c, bands, path, domain, gaps)

    def domain_of(self, value: Expression | None) -> tuple[float, float]:
        return banding.domain_of(self._c, value)

    def check_levels_cover(self, levels: t.Sequence[Level], path: YamlPath) -> None:
        check_levels_cover(self._c, levels, path)

    def problem(self, code: str, path: YamlPath, severity: t.Literal["error", "warning"] = "error", *,
                at_key: bool = False, **args: object) -> None:
        self._c.problem(code, path, severity, at_key=at_key, **args)

    def report(self, problem: Problem) -> None:
        self._c.problems.append(problem)

    def at(self, path: YamlPath, *, key: bool = False) -> Location:
        return self._c.at(path, key=key)

    def scale(self, name: str, path: YamlPath) -> Scale | None:
        scale = self._c.scales.get(name)
        if scale is None:
            declared = list(self._c.scales)
            self._c.problem("scale_unknown", path, name=name, suggest=closest(name, declared), allowed=", ".join(declared) or "—")
        return scale

    def categories_of(self, value: Expression) -> tuple[str, ...] | None:
        return self._c.categories.get(value.source.strip())
