"""Which units need each input: Scheme → per input, the unit types whose items read it.

An input that only the items of one unit type read (窗口单位's 群众满意率)
need not be filled in by the other types: their blank cells are no mistake
and get no message, while a unit that needs the value and lacks it gets the
usual located error (engine.data). A unit needs an input when an item that
applies to it reads the input — directly, or through the derived values the
item reads. An input read anywhere that is not scoped to unit types (a veto,
a grade, a ranking, an action, an item for every type) is needed by every
unit, and so is an input nothing reads (as before: declared means asked for).

The walk is over the compiled scheme's dataclasses, so an expression held by
any construct — one added later too — counts: only item rules are scoped.
"""

from __future__ import annotations

import dataclasses
import typing as t

import numpy as np
import numpy.typing as npt

from engine.expressions import Expression
from engine.model import Item, Scheme

#: Unit types that need a value; ``None``: every unit.
Scope = t.Optional[frozenset[str]]
NOBODY: Scope = frozenset()


def _union(a: Scope, b: Scope) -> Scope:
    return None if a is None or b is None else a | b


def _within(outer: Scope, inner: frozenset[str] | None) -> Scope:
    """The types of a node inside ``outer`` that declares ``inner`` (applies_to)."""
    if inner is None:
        return outer
    return inner if outer is None else outer & inner


def _expressions(value: object) -> t.Iterator[Expression]:
    """Every expression held anywhere in ``value`` (dataclasses, mappings, sequences)."""
    stack: list[object] = [value]
    while stack:
        here = stack.pop()
        if isinstance(here, Expression):
            yield here
        elif dataclasses.is_dataclass(here) and not isinstance(here, type):
            stack.extend(getattr(here, f.name) for f in dataclasses.fields(here))
        elif isinstance(here, t.Mapping):
            stack.extend(here.values())
        elif isinstance(here, (list, tuple, frozenset, set)):
            stack.extend(here)


def required_types(scheme: Scheme) -> dict[str, Scope]:
    """Per input id: the unit types that need it (``None``: every unit)."""
    need: dict[str, Scope] = {}

    def read(names: t.Iterable[str], scope: Scope) -> None:
        for name in names:
            need[name] = _union(need.get(name, NOBODY), scope)

    for visit in scheme.walk():
        if isinstance(visit.node, Item):
            for expression in visit.node.rule.expressions():
                read(expression.names, visit.applies_to)
    # Everything else reads for every unit; derived values pass on the needs of their readers.
    rest = [getattr(scheme, f.name) for f in dataclasses.fields(scheme) if f.name not in ("parts", "adjustments", "derived", "inputs")]
    for expression in _expressions(rest):
        read(expression.names, None)
    for value in reversed(scheme.derived):  # a derived value reads only the ones before it
        read(value.value.names, need.get(value.id, NOBODY))
    # Read by nothing scoped (or by nothing at all): asked of every unit, as declared.
    return {ident: need.get(ident) or None for ident in scheme.inputs}


def needed(scheme: Scheme, types: npt.NDArray[np.str_]) -> dict[str, npt.NDArray[np.bool_]]:
    """Per input needed by some units only: which units need it (inputs every unit needs are left out)."""
    masks: dict[str, npt.NDArray[np.bool_]] = {}
    for ident, scope in required_types(scheme).items():
        if scope is not None:
            masks[ident] = np.isin(types, sorted(scope))
    return masks
