"""The message catalogue, one module per pipeline area.

A new area (a command, a reader, a report, a language mechanism) adds its own
module here holding ``MESSAGES``; every module of this package is an area
(found by name, so two branches adding areas never touch the same line). A
code may be defined in one area only: engine.messages refuses a duplicate.
"""

from __future__ import annotations

import importlib
import pkgutil
import types


def _areas() -> tuple[types.ModuleType, ...]:
    """Every module of this package, in name order (stable across machines)."""
    names = sorted(info.name for info in pkgutil.iter_modules(__path__))
    return tuple(importlib.import_module(f"{__name__}.{name}") for name in names)


AREAS = _areas()
