"""Resolve ``extends``: a scheme written as changes to another becomes one RawScheme.

A county scheme says which scheme it starts from and what it changes::

    extends: ../chuangxian-zhengyou-wulumuqi/chuangxian-zhengyou-wulumuqi.yaml
    id: my-county
    title: 某县创先争优活动考核
    override:                 # change things by id (items, sections, parts, vetoes, grades, rankings,
      item_03: {max: 3}       # derived, actions, history) or by name (inputs, params, dimensions, scales)
    remove: [item_13b]        # delete things by id or name
    add:                      # add items (or vetoes, grades …) to a section or a top-level list
      - {to: basic, after: item_02, item: {id: new_item, title: …, max: 1, formula: …}}
    inputs:                   # mappings (inputs, params, dimensions, units) are merged key by key,
      new_input: {title: …, type: number}
      score_12: {missing: zero}   # and an entry the parent has by its keys (null deletes a key)

Any other top-level key replaces the parent's. Every node keeps the file and
line it came from, so an error in an inherited item points into the parent
file and an error in an override into the child. Mistakes are located
errors: an unknown id (with "did you mean"), a cycle, a parent outside the
schemes folder, a missing parent file.
"""

from __future__ import annotations

import typing as t
from pathlib import Path

from engine.errors import Problem, SchemeError
from engine.expand import expand, origins_from_positions
from engine.ids import NAMED, Found, all_names, find_all
from engine.loader import Mark, Origins, RawScheme, YamlPath, load_scheme_file, load_scheme_text
from engine.messages import Text, closest
from engine.validate import describe_value
from engine.yamltypes import Yaml, YamlList, YamlMap

#: What an id is, for messages about one written as a list, a mapping or nothing.
_ID = Text("编号（文字）", "an id (text)")

#: Keys that describe the changes rather than the scheme.
CHANGE_KEYS = ("extends", "override", "remove", "add")
#: Top-level mappings merged entry by entry instead of replaced.
MERGED_MAPPINGS = ("inputs", "params", "dimensions")
#: Longest chain of schemes extending schemes (documented in docs/limits.md).
MAX_EXTENDS_CHAIN = 16
#: Top-level lists an ``add`` may target by name.
LISTS = ("items", "adjustments", "vetoes", "grades", "rankings", "derived", "actions", "history", "parts")


def load_scheme(file: str | Path) -> RawScheme:
    """Read ``file`` into a :class:`RawScheme`, resolving its ``extends`` chain.

    Reading one file is :func:`engine.loader.load_scheme_file`'s; this module
    adds the parents, so the loader never needs to know about inheritance.

    Raises:
        SchemeError: the file is missing, unreadable, not YAML, has a
            duplicate key, or is not a mapping at the top; or its ``extends``
            chain is broken.
    """
    # Repetition is written out per file, before a child's changes meet the parent's ids.
    raw = expand(load_scheme_file(file))
    return resolve(raw) if "extends" in raw.data else raw


def load_scheme_from_text(text: str, file: str) -> RawScheme:
    """What :func:`load_scheme` reads from ``file``, when ``text`` is (or will be) its content —
    a scheme being edited: repetition written out, then its ``extends`` chain from ``file``'s folder.

    Raises:
        SchemeError: as :func:`load_scheme`.
    """
    raw = expand(load_scheme_text(text, file))
    return resolve(raw) if "extends" in raw.data else raw


def resolve(child: RawScheme, chain: tuple[Path, ...] = ()) -> RawScheme:
    """The fully resolved scheme of ``child`` (which has ``extends``).

    Raises:
        SchemeError: with every problem found, each located in the file that
            causes it.
    """
    here = Path(child.file).resolve()
    chain = chain + (here,)
    target = child.data["extends"]
    where = child.location(("extends",))
    if not isinstance(target, str) or not target.strip():
        raise SchemeError([Problem.at("wrong_type", where, expected=Text("文件路径", "a file path"), found=describe_value(target))])
    if len(chain) > MAX_EXTENDS_CHAIN:
        raise SchemeError([Problem.at("extends_chain_too_long", where, limit=MAX_EXTENDS_CHAIN)])
    parent_path = (here.parent / target).resolve()
    root = _schemes_root(here)
    if root not in parent_path.parents:
        raise SchemeError([Problem.at("extends_outside", where, path=target, root=str(root))])
    if parent_path in chain:
        cycle = " → ".join(p.name for p in chain + (parent_path,))
        raise SchemeError([Problem.at("extends_cycle", where, cycle=cycle)])
    try:
        exists, folder = parent_path.exists(), parent_path.is_dir()
    except OSError:  # a name too long for the file system, a loop of links …
        exists, folder = False, False
    if not exists:
        raise SchemeError([Problem.at("extends_missing", where, path=target)])
    if folder:
        # A parent is one scheme file; a folder (extends: .) would be read as its scheme and point nowhere useful.
        raise SchemeError([Problem.at("wrong_type", where, expected=Text("方案文件的路径（.yaml）", "the path of a scheme file (.yaml)"),
                                      found=Text(f"文件夹 {target}", f"the folder {target}"))])
    parent = expand(load_scheme_file(parent_path))
    if "extends" in parent.data:
        parent = resolve(parent, chain)
    return _merge(parent, child)


#: Top-level keys whose change ``show --changes`` lists from the YAML itself (the compiled
#: comparison, engine.diff, covers items, parts, params, inputs, grades …). A child's own id,
#: version and title always differ and head the listing, so they are not counted as changes.
DESCRIPTIVE_KEYS = ("subject", "source", "note", "units", "corrections", "manual", "reports")


def setting_changes(parent: RawScheme, child: RawScheme) -> list[tuple[str, str | None, str | None]]:
    """(key, old, new) for every descriptive top-level key the resolved ``child`` has otherwise
    than its ``parent`` (values written as one-line YAML; None when absent)."""
    import yaml

    def text(value: Yaml) -> str | None:
        if value is None:
            return None
        return str(yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=10_000, sort_keys=False)).strip().removesuffix("...").strip()

    out = []
    for key in DESCRIPTIVE_KEYS:
        before, after = parent.data.get(key), child.data.get(key)
        if before != after:
            out.append((key, text(before), text(after)))
    return out


def _schemes_root(file: Path) -> Path:
    """The folder a scheme may inherit from: the nearest enclosing ``schemes``
    folder (the scheme repository), else the file's own folder's parent."""
    for folder in file.parents:
        if folder.name == "schemes":
            return folder
    return file.parent.parent


class _Merge:
    def __init__(self, parent: RawScheme, child: RawScheme) -> None:
        self.parent = parent
        self.child = child
        self.origins: Origins = {**_origins_of(parent), **child.origins}
        self.problems: list[Problem] = []

    def fail(self, code: str, path: YamlPath, key: bool = False, **args: t.Any) -> None:
        self.problems.append(Problem.at(code, self.child.location(path, key=key), **args))

    def adopt(self, container: Yaml, key: t.Union[str, int], source: Yaml, source_key: t.Union[str, int]) -> None:
        """Record that ``container[key]`` now holds what ``source[source_key]`` held."""
        marks = self.origins.get(id(source), (None, {}))[1].get(source_key)
        if marks is not None and id(container) in self.origins:
            self.origins[id(container)][1][key] = marks


def _origins_of(raw: RawScheme) -> Origins:
    if raw.origins:
        return raw.origins
    # A resolved parent: rebuild container marks from its flat position tables.
    origins = origins_from_positions(raw.data, raw.positions, raw.key_positions)
    # Marks from a resolved parent already carry their file (or the parent's own).
    return {
        key: (_with_file(own, raw.file), {k: (_with_file(v, raw.file), _with_file(kk, raw.file) if kk else None) for k, (v, kk) in children.items()})
        for key, (own, children) in origins.items()
    }


def _with_file(mark: Mark, file: str) -> Mark:
    return mark if mark.file else Mark(mark.line, mark.column, file)


def _merge(parent: RawScheme, child: RawScheme) -> RawScheme:
    merge = _Merge(parent, child)
    data: YamlMap = parent.data  # freshly loaded: safe to change in place
    changes = child.data
    for key, value in changes.items():
        if key in CHANGE_KEYS:
            continue
        if key in MERGED_MAPPINGS and isinstance(value, dict) and isinstance(inherited := data.get(key), dict):
            for name, entry in value.items():
                if isinstance(entry, dict) and isinstance(parent_entry := inherited.get(name), dict):
                    # inputs: {x: {missing: zero}} changes one key of the parent's x, keeping its title and type.
                    _patch(merge, parent_entry, entry)
                else:
                    inherited[name] = entry
                    merge.adopt(inherited, name, value, name)
        elif key == "units" and isinstance(value, dict) and isinstance(units := data.get("units"), dict):
            for name, entry in value.items():
                if name == "types" and isinstance(entry, dict) and isinstance(types := units.get("types"), dict):
                    types.update(entry)
                    for type_name in entry:
                        merge.adopt(types, type_name, entry, type_name)
                else:
                    units[name] = entry
                    merge.adopt(units, name, value, name)
        else:
            data[key] = value
            merge.adopt(data, key, changes, key)
    _apply_overrides(merge, data, changes.get("override"))
    _apply_removals(merge, data, changes.get("remove"))
    _apply_additions(merge, data, changes.get("add"))
    if merge.problems:
        raise SchemeError(merge.problems)
    positions, key_positions = _positions(data, merge.origins, child.file)
    return RawScheme(child.file, data, positions, key_positions)


def _find(node: Yaml, ident: str) -> tuple[Yaml, t.Union[str, int], YamlMap] | None:
    """(container, key, mapping) of the first mapping with ``id: ident`` (a section ``add`` puts items in)."""
    found = [f for f in find_all(node, ident) if f.value.get("id") == ident]
    return (found[0].container, found[0].key, found[0].value) if found else None


def _all_ids(node: Yaml) -> list[str]:
    return all_names(node)


def _one(merge: _Merge, data: YamlMap, ident: str, path: YamlPath, key: bool = False) -> Found | None:
    """The one definition ``ident`` names, or None with a located problem (unknown, or an id that is
    also the name of an input, param …: ``inputs.NAME`` says which)."""
    found = find_all(data, ident)
    if not found:
        merge.fail("extends_unknown_id", path, key=key, id=ident, suggest=closest(ident, _all_ids(data)))
        return None
    sections = [section for f in found for section in NAMED if f.container is data.get(section)]
    if len(found) > 1 and sections:
        merge.fail("extends_ambiguous", path, key=key, id=ident, qualified=f"{sections[0]}.{ident}")
        return None
    return found[0]


def _named(data: YamlMap, hit: Found) -> bool:
    """Whether ``hit`` is an entry of a named mapping (an input, param, dimension or scale)."""
    return any(hit.container is data.get(section) for section in NAMED)


def _patch(merge: _Merge, target: YamlMap, changes: YamlMap) -> None:
    """Change ``target`` key by key (RFC 7386 merge patch, one level): a key set to null is deleted."""
    for key, value in changes.items():
        if value is None:
            target.pop(key, None)
            continue
        target[key] = value
        merge.adopt(target, key, changes, key)


def _apply_overrides(merge: _Merge, data: YamlMap, overrides: Yaml) -> None:
    if overrides is None:
        return
    if not isinstance(overrides, dict):
        merge.fail("wrong_type", ("override",), expected=Text("键值对（编号: {要改的键: 新值}）", "a mapping (id: {key: new value})"), found=describe_value(overrides))
        return
    for ident, changes in overrides.items():
        hit = _one(merge, data, str(ident), ("override", ident), key=True)
        if hit is None:
            continue
        target = hit.value
        if not isinstance(changes, dict):
            merge.fail("wrong_type", ("override", ident), expected=Text("键值对（要改的键: 新值）", "a mapping (key: new value)"), found=describe_value(changes))
            continue
        if "id" in changes and changes["id"] != target.get("id", changes["id"]):
            merge.fail("extends_id_change", ("override", ident, "id"), id=ident)
            continue
        _patch(merge, target, changes)


def _apply_removals(merge: _Merge, data: YamlMap, removals: Yaml) -> None:
    if removals is None:
        return
    if not isinstance(removals, list):
        merge.fail("wrong_type", ("remove",), expected=Text("编号列表", "a list of ids"), found=describe_value(removals))
        return
    for index, ident in enumerate(removals):
        if not _is_id(ident):
            # "remove: [{id: i1}]": an entry is the id itself.
            merge.fail("wrong_type", ("remove", index), expected=_ID, found=describe_value(ident))
            continue
        hit = _one(merge, data, str(ident), ("remove", index))
        if hit is None:
            continue
        if isinstance(hit.container, list):  # hit.in_list
            _remove_at(merge, hit.container, int(hit.key))
        elif _named(data, hit):
            # An input, param, dimension or scale: its entry goes; what still reads it is the compiler's to report.
            del hit.container[str(hit.key)]  # (a named entry's key is its name)
        else:
            merge.fail("extends_unknown_id", ("remove", index), id=ident, suggest=closest(str(ident), _all_ids(data)))


def _is_id(value: Yaml) -> bool:
    """An id as written: text or a number (ids are looked up as text), not a list, mapping, boolean or nothing."""
    return isinstance(value, (str, int, float)) and not isinstance(value, bool)


def _remove_at(merge: _Merge, container: YamlList, position: int) -> None:
    del container[position]
    # Later siblings moved up one place: shift their recorded marks too.
    own, children = merge.origins.get(id(container), (Mark(1, 1), {}))
    merge.origins[id(container)] = (own, {
        (k - 1 if isinstance(k, int) and k > position else k): v for k, v in children.items() if k != position
    })


def _apply_additions(merge: _Merge, data: YamlMap, additions: Yaml) -> None:
    if additions is None:
        return
    if not isinstance(additions, list):
        merge.fail("wrong_type", ("add",), expected=Text("列表（每项写 to 和 item）", "a list (each entry with to and item)"), found=describe_value(additions))
        return
    for index, spec in enumerate(additions):
        path: YamlPath = ("add", index)
        if not isinstance(spec, dict) or "to" not in spec or "item" not in spec:
            merge.fail("extends_add_shape", path)
            continue
        target = spec["to"]
        if not _is_id(target):
            merge.fail("wrong_type", path + ("to",), expected=Text("编号或列表名（文字）", "an id or a list name (text)"), found=describe_value(target))
            continue
        bad_anchor = next((key for key in ("after", "before") if spec.get(key) is not None and not _is_id(spec[key])), None)
        if bad_anchor is not None:
            merge.fail("wrong_type", path + (bad_anchor,), expected=_ID, found=describe_value(spec[bad_anchor]))
            continue
        container: Yaml = None
        if isinstance(target, str) and target in LISTS:
            container = data.setdefault(target, [])
        else:
            found = _find(data, str(target))
            if found is not None:
                container = found[2].setdefault("items", [])
        if container is None:
            merge.fail("extends_unknown_id", path + ("to",), id=target, suggest=closest(str(target), list(LISTS) + _all_ids(data)))
            continue
        if not isinstance(container, list):
            # "items: {}" earlier in this file replaced the parent's list.
            merge.fail("extends_not_a_list", path + ("to",), to=target, found=describe_value(container))
            continue
        if id(container) not in merge.origins:
            merge.origins[id(container)] = (Mark(1, 1), {})
        position = len(container)
        anchor = spec.get("after") or spec.get("before")
        if anchor is not None:
            hit = next((i for i, x in enumerate(container) if isinstance(x, dict) and x.get("id") == anchor), None)
            if hit is None:
                key = "after" if "after" in spec else "before"
                merge.fail("extends_unknown_id", path + (key,), id=anchor,
                           suggest=closest(str(anchor), [ident for x in container if isinstance(x, dict) and isinstance(ident := x.get("id", ""), str)]))
                continue
            position = hit + 1 if "after" in spec else hit
        _insert_at(merge, container, position, spec["item"], spec, "item")


def _insert_at(merge: _Merge, container: YamlList, position: int, value: Yaml, source: Yaml, source_key: str) -> None:
    container.insert(position, value)
    own, children = merge.origins.get(id(container), (Mark(1, 1), {}))
    shifted: dict[t.Union[str, int], tuple[Mark, Mark | None]] = {
        (k + 1 if isinstance(k, int) and k >= position else k): v for k, v in children.items()
    }
    marks = merge.origins.get(id(source), (None, {}))[1].get(source_key)
    if marks is not None:
        shifted[position] = marks
    merge.origins[id(container)] = (own, shifted)


def _positions(data: Yaml, origins: Origins, file: str) -> tuple[dict[YamlPath, Mark], dict[YamlPath, Mark]]:
    """Flat position tables for the merged tree, each mark naming its file."""
    positions: dict[YamlPath, Mark] = {(): Mark(1, 1, file)}
    key_positions: dict[YamlPath, Mark] = {}

    def walk(node: Yaml, path: YamlPath) -> None:
        if not isinstance(node, (dict, list)):
            return
        children = origins.get(id(node), (None, {}))[1]
        keys: t.Iterable[t.Union[str, int]] = node.keys() if isinstance(node, dict) else range(len(node))
        for key in keys:
            marks = children.get(key)
            if marks is not None:
                positions[path + (key,)] = marks[0]
                if marks[1] is not None:
                    key_positions[path + (key,)] = marks[1]
            child = node[key]  # type: ignore[index]
            walk(child, path + (key,))

    walk(data, ())
    return positions, key_positions

