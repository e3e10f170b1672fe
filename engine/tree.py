"""Unit trees, declared: ``tree:`` → :class:`Tree`, and a unit list checked against it.

A scheme whose units form a tree (村 → 镇 → 区: each unit's 上级编号 names its
parent) declares under ``tree:`` the *figures* a parent takes from its
children's results — ``children.mean(total)``, ``children.count(total >=
90)`` … Each figure is a per-unit number by its id, read by the parent
level's items like an input. Its argument is an expression over a child's
results: inputs, item/section/part scores, ``total``, vetoes, grades, the
tier label of each ranking (text, ``""`` for none), actions, ``rank`` and
``group_rank``.

This module compiles the declaration (two hooks in engine.compiler: the
figures' names — the scope's "figures" stage — before the items are
compiled, the figures' expressions after the actions), checks a unit list
against it (a hook in engine.data: every parent listed, no cycle, a parent
that needs children has some — each a located error at the unit's row), and words a figure for explain and the
score sheet from the hidden columns :mod:`engine.bottom_up` leaves in the
dataset. The levels are scored bottom-up there.
"""

from __future__ import annotations

import dataclasses
import re
import typing as t

import numpy as np
import numpy.typing as npt

from engine.errors import Location, Problem
from engine.expressions import BOOL, NUMBER, Expression, ValueType, compile_expression
from engine.messages import Text, closest
from engine.yamltypes import YamlMap

if t.TYPE_CHECKING:
    from engine.compiling.scope import Scope
    from engine.context import Lang
    from engine.data import Units
    from engine.model import Action, Grade, Ranking, Scheme

Function = t.Literal["mean", "sum", "min", "max", "count", "share"]

#: Each aggregate in words (after the title of what is aggregated) and what its argument must be.
FUNCTIONS: dict[str, tuple[Text, ValueType]] = {
    "mean": (Text("平均值", "average"), NUMBER),
    "sum": (Text("合计", "total"), NUMBER),
    "min": (Text("最低值", "lowest"), NUMBER),
    "max": (Text("最高值", "highest"), NUMBER),
    "count": (Text("个数", "count"), BOOL),
    "share": (Text("占比（%）", "share (%)"), BOOL),
}
#: Aggregates with no value over no children: a parent that needs one must have children.
NEEDS_CHILDREN = frozenset({"mean", "min", "max", "share"})
#: Default column of the unit list naming each unit's parent.
PARENT_COLUMN = "上级编号"
#: Children listed by name on a sheet before "等 N 个".
SHOWN_CHILDREN = 30

_CALL = re.compile(r"^\s*children\s*\.\s*(\w+)\s*\((.*)\)\s*$", re.S)


@dataclasses.dataclass(frozen=True)
class Figure:
    """A number a parent takes from its children's results (所辖村平均综合得分)."""

    id: str
    title: str
    function: Function
    #: Over one child's results; ``None`` for ``children.count()`` (every child).
    of: Expression | None
    #: Only children of these unit types count; ``None``: every child.
    child_types: frozenset[str] | None
    location: Location
    #: As written (``children.mean(total)``), for diff and explain.
    source: str = ""


@dataclasses.dataclass(frozen=True)
class Tree:
    """The units' parent column and the figures parents take from their children."""

    parent: str
    figures: tuple[Figure, ...]
    location: Location


def text_name(ident: str, lang: Lang = "zh") -> str:
    """Hidden dataset column with each unit's children's figures in words (not writable by authors)."""
    return f"__tree_{lang}__{ident}"


class _Compiling(t.Protocol):
    """What of engine.compiler's compiler the tree's hooks use."""

    data: YamlMap
    unit_types: tuple[str, ...]
    scope: Scope
    categories: dict[str, tuple[str, ...]]
    problems: list[Problem]

    def at(self, path: tuple[str | int, ...], *, key: bool = False) -> Location: ...

    def problem(self, code: str, path: tuple[str | int, ...], severity: t.Literal["error", "warning"] = "error", *,
                at_key: bool = False, **args: t.Any) -> None: ...


def declare(c: _Compiling) -> dict[str, ValueType]:
    """The figures' names, declared before the items that read them are compiled: each a number by its id."""
    visible = c.scope.visible("figures")
    names: dict[str, ValueType] = {}
    for ident in ((t.cast(dict[str, t.Any], c.data).get("tree") or {}).get("figures") or {}):
        if ident in visible or ident in ("total", "rank", "group_rank"):
            c.problem("id_shadows_input", ("tree", "figures", ident), at_key=True, id=ident)
            continue
        names[ident] = NUMBER
    return names


def compile_tree(c: _Compiling, grades: t.Sequence[Grade], rankings: t.Sequence[Ranking],
                 actions: t.Sequence[Action]) -> Tree | None:
    """``tree:`` → :class:`Tree`, once every result a child has is known (after the actions)."""
    spec = t.cast(dict[str, t.Any], c.data).get("tree")
    if not spec:
        return None
    # A child's results, by name: what it read, its scores, and what was decided about it.
    names: dict[str, ValueType] = c.scope.visible("grades")
    names.update({g.id: NUMBER if g.numeric else ValueType("text") for g in grades})
    names.update({r.id: ValueType("text") for r in rankings})
    names.update({a.id: BOOL for a in actions})
    names.update({"rank": NUMBER, "group_rank": NUMBER})
    categories = dict(c.categories)
    categories.update({r.id: tuple(tier.label for tier in r.tiers) for r in rankings})
    categories.update({g.id: tuple(str(b.result) for b in g.bands) for g in grades if not g.numeric})
    figures = []
    for ident, body in (spec.get("figures") or {}).items():
        path: tuple[str | int, ...] = ("tree", "figures", ident)
        figure = _figure(c, ident, body, path, names, categories)
        if figure is not None:
            figures.append(figure)
    return Tree(str(spec.get("parent", PARENT_COLUMN)), tuple(figures), c.at(("tree",), key=True))


def _figure(c: _Compiling, ident: str, body: t.Mapping[str, t.Any], path: tuple[str | int, ...],
            names: t.Mapping[str, ValueType], categories: t.Mapping[str, tuple[str, ...]]) -> Figure | None:
    source = str(body["value"])
    where = c.at(path + ("value",))
    call = _CALL.match(source)
    if call is None or call.group(1) not in FUNCTIONS:
        found = call.group(1) if call is not None else source
        c.problem("tree_bad_figure", path + ("value",), found=found, suggest=closest(found, list(FUNCTIONS)) if call else "",
                  allowed=", ".join(f"children.{name}(…)" for name in FUNCTIONS))
        return None
    function = t.cast(Function, call.group(1))
    argument = call.group(2).strip()
    of: Expression | None = None
    if argument or function != "count":
        expect = FUNCTIONS[function][1]
        of, problems = compile_expression(argument, names, where, expect=expect, categories=categories,
                                          what=Text(f"下级汇总 {ident} 的 children.{function}(…)", f"children.{function}(…) of figure {ident}"))
        c.problems.extend(problems)
        if of is None:
            return None
    types = body.get("child_types")
    child_types: frozenset[str] | None = None
    if types is not None:
        listed = [types] if isinstance(types, str) else list(types)
        for i, name in enumerate(listed):
            if name not in c.unit_types:
                c.problem("tree_unknown_type", path + ("child_types",) + ((i,) if not isinstance(types, str) else ()),
                          found=name, suggest=closest(name, c.unit_types), allowed=", ".join(c.unit_types) or "—")
        child_types = frozenset(listed)
    return Figure(ident, str(body["title"]), function, of, child_types, c.at(path, key=True), source)


# -- the unit list -------------------------------------------------------

def parent_index(ids: npt.NDArray[np.str_], parents: npt.NDArray[np.str_]) -> npt.NDArray[np.int64]:
    """Each unit's parent as a position in ``ids`` (−1: none, or not listed), column-wise."""
    n = ids.shape[0]
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    order = np.argsort(ids, kind="stable")
    at = np.searchsorted(ids[order], parents)
    at = np.minimum(at, n - 1)
    found = (ids[order][at] == parents) & (parents != "")
    return np.where(found, order[at], -1).astype(np.int64)


def cycles(parent: npt.NDArray[np.int64]) -> list[list[int]]:
    """The cycles of the parent relation, each in order from its first unit (rare: looked at one by one)."""
    n = parent.shape[0]
    # After at least n steps up a unit that never reaches a root stands on its cycle.
    up = parent.copy()
    steps = 1
    while steps < n + 1:
        up = np.where(up >= 0, up[np.maximum(up, 0)], -1)
        steps *= 2
    on_cycle = sorted(set(np.unique(up[up >= 0]).tolist()))
    out: list[list[int]] = []
    seen: set[int] = set()
    for start in on_cycle:
        if start in seen:
            continue
        ring = [start]
        here = int(parent[start])
        while here != start:
            ring.append(here)
            here = int(parent[here])
        seen.update(ring)
        out.append(ring)
    return out


def figure_needs(scheme: Scheme) -> dict[str, frozenset[str] | None]:
    """Per figure: the unit types whose items read it (``None``: every unit; read by nothing: no type)."""
    tree = scheme.tree
    if tree is None:
        return {}
    need: dict[str, frozenset[str] | None] = {}

    def read(names: t.Iterable[str], scope: frozenset[str] | None) -> None:
        for name in names:
            known = need.get(name, frozenset())
            need[name] = None if known is None or scope is None else known | scope

    for visit in scheme.walk():
        # A section holds children, an item a rule (engine.model, not imported here: it imports this module).
        if getattr(visit.node, "children", None) is None:
            for expression in getattr(visit.node, "rule").expressions():
                read(expression.names, visit.applies_to)
    # Decisions read for every unit they decide about (a grade only for its types).
    for veto in scheme.vetoes:
        read(veto.when.names, None)
    for grade in scheme.grades:
        read(grade.of.names, grade.applies_to)
    for ranking in scheme.rankings:
        for expression in (ranking.by, ranking.among, *ranking.tie_break):
            if expression is not None:
                read(expression.names, None)
    for action in scheme.actions:
        read(action.when.names, None)
    for value in reversed(scheme.derived):  # a derived value passes on the needs of its readers
        read(value.value.names, need.get(value.id, frozenset()))
    return {f.id: need.get(f.id, frozenset()) for f in tree.figures}


class _Table(t.Protocol):
    def at(self, row: int | None = None, column: str | None = None) -> Location: ...


def parent_columns(scheme: Scheme) -> tuple[str, ...]:
    """The parent column a scheme's tree names, for the reader's vocabulary (none without a tree)."""
    return (scheme.tree.parent,) if scheme.tree is not None else ()


def unit_problems(scheme: Scheme, units: Units, tables: t.Sequence[_Table], rows: t.Sequence[int]) -> list[Problem]:
    """A unit list checked against the scheme's tree: every parent listed, no cycle, and every
    parent whose items need a figure that has no value over no children has children to take it from.

    Unit ``i`` was listed in ``tables[i]`` at spreadsheet row ``rows[i]``: each problem points there.
    """
    tree = scheme.tree
    if tree is None:
        return []
    ids, types, parents = units.ids, units.types, units.parents

    def locate(i: int, column: str | None) -> Location:
        return tables[i].at(rows[i], column)

    problems: list[Problem] = []
    parent = parent_index(ids, parents)
    unknown = np.flatnonzero((parent < 0) & (parents != ""))
    listed = ids.tolist()
    for i in unknown.tolist():
        found = str(parents[i])
        problems.append(Problem.at("tree_unknown_parent", locate(i, tree.parent), id=str(ids[i]), found=found,
                                   suggest=closest(found, listed[:10000])))
    for ring in cycles(parent):
        path = " → ".join(str(ids[i]) for i in ring + ring[:1])
        problems.append(Problem.at("tree_cycle", locate(ring[0], tree.parent), path=path))
    if problems:
        return problems
    need = figure_needs(scheme)
    for figure in tree.figures:
        scope = need.get(figure.id)
        if figure.function not in NEEDS_CHILDREN or scope == frozenset():
            continue
        counted = parent >= 0
        if figure.child_types is not None:
            counted &= np.isin(types, sorted(figure.child_types))
        children = np.bincount(parent[counted], minlength=ids.shape[0])
        needy = children == 0
        if scope is not None:
            needy &= np.isin(types, sorted(scope))
        for i in np.flatnonzero(needy).tolist():
            kinds = "、".join(sorted(figure.child_types)) if figure.child_types else ""
            problems.append(Problem.at("tree_no_children", locate(i, None), id=str(ids[i]), figure=figure.id,
                                       title=figure.title, where=f"{figure.location.file}:{figure.location.line}",
                                       types=f"（{kinds}）" if kinds else "", types_en=f" ({kinds})" if kinds else "", column=tree.parent))
    return problems


# -- words ---------------------------------------------------------------

def figure_of(scheme: Scheme, name: str) -> Figure | None:
    """The figure called ``name``, if the scheme has a tree with one."""
    if scheme.tree is None:
        return None
    return next((f for f in scheme.tree.figures if f.id == name), None)


def told(scheme: Scheme, name: str, columns: t.Mapping[str, npt.NDArray[np.generic]],
         index: int) -> tuple[str, tuple[str, ...], None, Text] | None:
    """A figure as explain reads it for unit ``index``: its title, value, and the children's figures it came from."""
    figure = figure_of(scheme, name)
    if figure is None or name not in columns:
        return None
    from engine.numbers import format_number

    value = float(columns[name][index])
    shown = "空" if np.isnan(value) else format_number(value)
    zh, en = columns.get(text_name(name)), columns.get(text_name(name, "en"))
    listed = Text(str(zh[index]) if zh is not None else "", str(en[index]) if en is not None else "")
    how = FUNCTIONS[figure.function][0]
    return figure.title, (shown,), None, Text(f"下级汇总 {figure.source}（{how.zh}）: {listed.zh or '没有下级单位'}",
                                     f"from the children, {figure.source} ({how.en}): {listed.en or 'no children'}")


def sheet_words(scheme: Scheme, name: str, columns: t.Mapping[str, npt.NDArray[np.generic]]) -> list[Text] | None:
    """A figure on every unit's score sheet: "所辖下级书记综合得分平均值 81.88（V11 陈书记 93.5、…）"."""
    figure = figure_of(scheme, name)
    if figure is None or name not in columns:
        return None
    from engine.numbers import format_number

    values = np.asarray(columns[name], dtype=np.float64)
    distinct, inverse = np.unique(values, return_inverse=True)
    figures = ["" if np.isnan(v) else format_number(float(v)) for v in distinct.tolist()]
    n = values.shape[0]
    zh = columns.get(text_name(name), np.full(n, ""))
    en = columns.get(text_name(name, "en"), np.full(n, ""))
    out = []
    for shown, z, e in zip((figures[i] for i in inverse.reshape(-1).tolist()), zh.tolist(), en.tolist()):
        if not shown:
            out.append(Text("", ""))
        else:
            out.append(Text(f"{figure.title} {shown}（{z}）" if z else f"{figure.title} {shown}",
                            f"{figure.title}: {shown} ({e})" if e else f"{figure.title}: {shown}"))
    return out
