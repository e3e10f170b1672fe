"""Served folders → the schemes in them, each with its title, version, parent,
whether it validates and how many warnings it has (the schemes page).

A scheme is a ``.yaml`` file in a served folder or one level below
(``schemes/jifenzhi/jifenzhi.yaml``), not inside a ``tests`` or ``data``
folder and not a scenario file (a top-level ``cases:``).
"""

from __future__ import annotations

import dataclasses
import typing as t
from pathlib import Path

from engine.errors import KaoheError, Problem

if t.TYPE_CHECKING:
    from engine.serve.safety import Served

#: Folders whose YAML files are not schemes.
NOT_SCHEMES = frozenset({"tests", "data"})
#: Beside a scheme, the draft of an edit that did not validate.
DRAFT_SUFFIX = ".draft"


@dataclasses.dataclass(frozen=True)
class Entry:
    """One scheme of the list."""

    root: int
    path: str
    file: Path
    id: str
    title: str
    version: str
    parent: str
    valid: bool
    errors: int
    warnings: int
    draft: bool


def is_scenario(path: Path) -> bool:
    """Whether a YAML file is a scenario test (``cases:`` at the top) rather than a scheme."""
    try:
        return any(line.startswith("cases:") for line in path.read_text(encoding="utf-8-sig").splitlines())
    except (OSError, UnicodeDecodeError):
        return False


def scheme_files(served: Served) -> list[tuple[int, Path]]:
    """Every scheme file of the served folders, by folder then path."""
    found = []
    for number, root in enumerate(served.roots):
        candidates = sorted([*root.glob("*.yaml"), *root.glob("*/*.yaml")])
        for path in candidates:
            inside = path.resolve()
            if root not in inside.parents or any(part in NOT_SCHEMES for part in path.relative_to(root).parts[:-1]):
                continue
            if path.is_file() and not is_scenario(path):
                found.append((number, path))
    return found


_CACHE: dict[tuple[str, int, int], Entry] = {}


def entry(served: Served, root: int, path: Path) -> Entry:
    """The list's line for one scheme file (cached by the file's size and time)."""
    from engine.compiler import check_scheme
    from engine.inherit import load_scheme
    from engine.loader import load_scheme_file

    stat = path.stat()
    key = (str(path), stat.st_mtime_ns, stat.st_size)
    if key in _CACHE:
        # A draft comes and goes without the scheme file changing.
        return dataclasses.replace(_CACHE[key], draft=draft_of(path).exists())
    relative = path.resolve().relative_to(served.roots[root]).as_posix()
    parent = ""
    problems: tuple[Problem, ...]
    try:
        own = load_scheme_file(path)
        parent = str(own.data.get("extends") or "") if isinstance(own.data, dict) else ""
        scheme, problems = check_scheme(load_scheme(path))
    except KaoheError as err:
        scheme, problems = None, err.problems
    errors = sum(p.severity == "error" for p in problems)
    found = Entry(root, relative, path, scheme.id if scheme else path.stem, scheme.title if scheme else path.stem,
                  scheme.version if scheme else "", parent, scheme is not None, errors, len(problems) - errors,
                  draft_of(path).exists())
    _CACHE[key] = found
    return found


def draft_of(path: Path) -> Path:
    """Where the draft of ``path`` is kept: ``方案.yaml.draft`` beside it."""
    return path.with_name(path.name + DRAFT_SUFFIX)


def entries(served: Served) -> list[Entry]:
    """The schemes page: one entry per scheme file."""
    return [entry(served, root, path) for root, path in scheme_files(served)]
