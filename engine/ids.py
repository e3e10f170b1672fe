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

from engine.yamltypes import Yaml, YamlList, YamlMap

#: Top-level mappings whose entries are definitions named by their key.
NAMED = ("inputs", "params", "dimensions", "scales")


@dataclasses.dataclass(frozen=True)
class Found:
    """Where a definition is: ``container[key]`` is ``value`` (a mapping)."""

    container: YamlMap | YamlList
    key: t.Union[str, int]
    value: YamlMap

    @property
    def in_list(self) -> bool:
        return isinstance(self.container, list)


def find_all(data: Yaml, name: str) -> list[Found]:
    """Every definition called ``name``: entries with that id (document order), then named entries."""
    found: list[Found] = []
    section, _, rest = name.partition(".")
    if rest and section in NAMED:
        entries = data.get(section) if isinstance(data, dict) else None
        if isinstance(entries, dict) and isinstance(entry := entries.get(rest), dict):
            return [Found(entries, rest, entry)]
        return []

    def walk(node: Yaml) -> None:
        if not isinstance(node, (dict, list)):
            return
        pairs: t.Iterable[tuple[t.Union[str, int], Yaml]] = node.items() if isinstance(node, dict) else enumerate(node)
        for key, value in pairs:
            if isinstance(value, dict) and value.get("id") == name:
                found.append(Found(node, key, value))
            walk(value)

    walk(data)
    if isinstance(data, dict):
        for section in NAMED:
            entries = data.get(section)
            if isinstance(entries, dict) and isinstance(entry := entries.get(name), dict):
                found.append(Found(entries, name, entry))
    return found


def find(data: Yaml, name: str) -> Found | None:
    """The first definition called ``name`` (see :func:`find_all`), or None."""
    found = find_all(data, name)
    return found[0] if found else None


def all_names(data: Yaml) -> list[str]:
    """Every id and every named entry of ``data``, for "did you mean"."""
    out: list[str] = []

    def walk(node: Yaml) -> None:
        # Only what find_all can find: entries inside the scheme (the scheme's own id is not one).
        values = node.values() if isinstance(node, dict) else node if isinstance(node, list) else ()
        for value in values:
            if isinstance(value, dict) and isinstance(ident := value.get("id"), str):
                out.append(ident)
            walk(value)

    walk(data)
    if isinstance(data, dict):
        for section in NAMED:
            entries = data.get(section)
            if isinstance(entries, dict):
                out.extend(str(k) for k in entries)
    return out
