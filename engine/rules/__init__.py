"""The rule registry: the one list of rule kinds.

Each kind is a module here (``formula``, ``condition``, ``deductions``,
``tiers``, ``proportional``, ``levels``) exposing ``KIND`` — its YAML key and
how its body compiles — and a rule dataclass that evaluates, traces, explains
and describes itself (see :mod:`engine.rules.base`). The compiler picks the
kind by the key an item writes; no stage lists the kinds or tests a rule's type.

Adding a kind: a module with its rule and ``KIND``, its name in
:data:`_BUILTIN`, its body in ``schema/scheme.schema.json`` (where editors
read it) and a section in docs/scheme-language.md. A kind defined elsewhere
(a test's toy rule) is added with :func:`register` and carries its schema.
"""

from __future__ import annotations

import importlib
import typing as t

from engine.rules.base import Compiling, Evaluating, Explaining, Kind, Rule, Tracing

__all__ = ["BuiltinKey", "Compiling", "Evaluating", "Explaining", "Kind", "Rule", "Tracing", "kinds", "kind", "keys", "register", "unregister"]

#: The YAML key of a shipped kind. A kind's key is text (:attr:`Kind.key`): :func:`register`
#: adds kinds defined elsewhere, which no list here can name.
BuiltinKey = t.Literal["formula", "condition", "deductions", "tiers", "proportional", "levels", "scale"]
#: The shipped kinds, in the order the language documents them.
_BUILTIN: tuple[BuiltinKey, ...] = t.get_args(BuiltinKey)

_REGISTRY: dict[str, Kind] = {}


def _load() -> dict[str, Kind]:
    # Imported on first use, not at import time: the kind modules import the
    # expression language, which this package's importers may not need.
    if not _REGISTRY:
        for name in _BUILTIN:
            module = importlib.import_module(f"engine.rules.{name}")
            entry: Kind = module.KIND
            _REGISTRY[entry.key] = entry
    return _REGISTRY


def kinds() -> tuple[Kind, ...]:
    """Every registered kind, the shipped ones first."""
    return tuple(_load().values())


def keys() -> tuple[str, ...]:
    """The YAML keys that select a rule (``formula``, ``tiers`` …)."""
    return tuple(_load())


def kind(key: str) -> Kind:
    """The kind selected by ``key``."""
    return _load()[key]


def register(entry: Kind) -> None:
    """Add a kind (its ``schema`` is then accepted by validation)."""
    registry = _load()
    if entry.key in registry:
        raise ValueError(f"rule kind {entry.key!r} is already registered")
    registry[entry.key] = entry
    _changed()


def unregister(key: str) -> None:
    """Remove a kind added with :func:`register` (the shipped kinds stay)."""
    if key in _BUILTIN:
        raise ValueError(f"rule kind {key!r} is shipped and cannot be removed")
    _load().pop(key, None)
    _changed()


_listeners: list[t.Callable[[], None]] = []


def on_change(listener: t.Callable[[], None]) -> None:
    """Call ``listener`` when the registry changes (validation rebuilds its schema)."""
    _listeners.append(listener)


def _changed() -> None:
    for listener in _listeners:
        listener()
