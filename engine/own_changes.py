"""A scheme that ``extends`` another, compared with that parent: what
``kaohe show --changes`` lists.

Scheme file → its ``extends`` parent found from the file's own folder → both
resolved and compiled → the descriptive settings and the structural and rule
changes from parent to child (:class:`OwnChanges`). Nothing here prints.
"""

from __future__ import annotations

import dataclasses
import typing as t
from pathlib import Path

from engine.yamltypes import text

if t.TYPE_CHECKING:
    from engine.diff import Change


@dataclasses.dataclass(frozen=True)
class OwnChanges:
    """What a scheme changes of the one it extends."""

    #: The ``extends`` value as the scheme writes it.
    extends: str
    #: (key, parent's value, child's value) of the scheme's own description (id, title, version, units, reports …).
    settings: tuple[tuple[str, str | None, str | None], ...]
    #: Items, rules, weights … added, removed or changed.
    changes: tuple[Change, ...]

    @property
    def count(self) -> int:
        return len(self.settings) + len(self.changes)


def parent_file(file: str | Path, extends: str) -> Path:
    """The file an ``extends`` names, from the scheme file's own folder
    (``SCHEME`` may be the scheme's folder, ``schemes/我县考核``, which the loader resolves to the file)."""
    return (Path(file).resolve().parent / extends).resolve()


def own_changes(scheme: str | Path) -> OwnChanges | None:
    """The changes of the scheme in ``scheme`` (a file or its folder) from the scheme it
    extends; ``None`` when it extends none (a complete scheme).

    Raises:
        KaoheError: either scheme cannot be read or compiled.
    """
    from engine.compiler import compile_scheme
    from engine.diff import diff_schemes
    from engine.inherit import load_scheme, setting_changes
    from engine.loader import load_scheme_file

    raw = load_scheme(scheme)
    own = load_scheme_file(scheme)
    if "extends" not in own.data:
        return None
    extends = text(own.data["extends"])
    parent_raw = load_scheme(parent_file(own.file, extends))
    parent, _ = compile_scheme(parent_raw)
    child, _ = compile_scheme(raw)
    return OwnChanges(str(extends), tuple(setting_changes(parent_raw, raw)), diff_schemes(parent, child))
