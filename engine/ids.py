"""Find a definition in a scheme's YAML data by its id or name: what ``extends``
(``override``, ``remove``, ``add``) and ``--set`` paths point at.

A definition is either a mapping with ``id: NAME`` anywhere in the document
(an item, section, part, veto, grade, ranking, derived value, action, history
entry …) or an entry ``NAME: {…}`` of one of the named mappings (``inputs``,
``params``, ``dimensions``, ``scales``). ``inputs.NAME`` (a section and a
name) says which one is meant when a name is both.
"""

from __future__ import annotations

import dataclasses
import typing as t

#: Top-level mappings whose entries are definitions named by their key.
NAMED = ("inputs", "params", "dimensions", "scales")


@dataclasses.dataclass(frozen=True)
class Found:
    """Where a definition is: ``container[key]`` is ``value`` (a mapping)."""

    container: t.Any
    key: t.Union[str, int]
    value: dict[str, t.Any]

    @property
    def in_list(self) -> bool:
        return isinstance(self.container, list)


def find_all(data: t.Any, name: str) -> list[Found]:
    """Every definition called ``name``: entries with that id (document order), then named entries."""
    found: list[Found] = []
    section, _, rest = name.partition(".")
    if rest and section in NAMED:
        entries = data.get(section) if isinstance(data, dict) else None
        if isinstance(entries, dict) and isinstance(entries.get(rest), dict):
            return [Found(entries, rest, entries[rest])]
        return []

    def walk(node: t.Any) -> None:
        pairs: t.Iterable[tuple[t.Union[str, int], t.Any]]
        pairs = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        for key, value in pairs:
            if isinstance(value, dict) and value.get("id") == name:
                found.append(Found(node, key, value))
            walk(value)

    walk(data)
    if isinstance(data, dict):
        for section in NAMED:
            entries = data.get(section)
            if isinstance(entries, dict) and isinstance(entries.get(name), dict):
                found.append(Found(entries, name, entries[name]))
    return found


def find(data: t.Any, name: str) -> Found | None:
    """The first definition called ``name`` (see :func:`find_all`), or None."""
    found = find_all(data, name)
    return found[0] if found else None


def all_names(data: t.Any) -> list[str]:
    """Every id and every named entry of ``data``, for "did you mean"."""
    out: list[str] = []

    def walk(node: t.Any) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("id"), str):
                out.append(node["id"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(data)
    if isinstance(data, dict):
        for section in NAMED:
            entries = data.get(section)
            if isinstance(entries, dict):
                out.extend(str(k) for k in entries)
    return out
