"""Expand repetition: a loaded scheme that writes one definition for many becomes
the RawScheme that writes each one out.

A scheme declares named lists once, column by column::

    lists:
      十项:
        n:  ["01", "02", "03"]
        序: [一, 二, 三]

A list entry or a mapping value that is a mapping with ``for_each: 十项`` (or
an inline ``for_each: {n: […], 序: […]}``) stands for one copy per row: in
each copy every ``{n}`` in its keys and strings becomes that row's value (a
string that is exactly ``{n}`` takes the value itself, so ``max: "{m}"``
stays a number); a list entry ``{for_each: 十项, each: score_{n}}`` writes
just that value per row (a list of names). ``score_{n}: {for_each: 十项, title: 第{序}项月评分, …}``
under ``inputs`` declares ``score_01`` … ``score_03``; ``- {for_each: 十项,
id: item_{n}, …}`` under ``items`` writes three items. Every copy keeps the
YAML position of its definition, so a message about ``item_02`` points at
the line where the one definition is written.

In any string, ``sum_each(十项, sum_if(score_{n}, month <= 3))`` becomes
the terms for every row joined by ``+`` (``mean_each`` divides that by the
number of rows, ``max_each``/``min_each`` give ``max(…)``/``min(…)``,
``all_each``/``any_each`` join by ``and``/``or``); the result is
bracketed unless it is the whole string.

This stage runs on each file as it is read (before ``extends`` merges a
child into its parent, so a child can override ``item_02``); the compiler
never sees ``lists`` or ``for_each``. Mistakes are located errors: an
unknown list, lists of unequal length, a placeholder in a key or id that no
list field fills, two copies with one key, a malformed ``*_each(``.
"""

from __future__ import annotations

import re
import typing as t

from engine.errors import Problem, SchemeError
from engine.loader import Mark, Origins, RawScheme, YamlPath
from engine.messages import closest
from engine.yamltypes import Yaml, YamlList, YamlMap

#: The key that makes a mapping a definition repeated over a list.
FOR_EACH = "for_each"
#: With ``for_each`` alone in a list entry: the value written once per row (``{for_each: 十项, each: score_{n}}``).
EACH = "each"
#: The top-level key declaring the named lists.
LISTS = "lists"
#: Most values (keys, values, entries) a file may hold once expanded (docs/limits.md): as many
#: as a file may hold as written, since nested lists multiply.
MAX_VALUES = 100_000
#: Most rows in one list (each row is one copy per use).
MAX_ROWS = 1_000

_PLACEHOLDER = re.compile(r"\{(\w+)\}")
_EACH = re.compile(r"\b(sum|mean|max|min|all|any)_each\(")
_FIELD = re.compile(r"^\w+$")

Scalar = t.Union[str, int, float]
#: One row of a list: field → value.
Row = dict[str, Scalar]


def expand(raw: RawScheme) -> RawScheme:
    """``raw`` with every ``for_each`` and ``*_each(…)`` written out and ``lists`` gone.

    Returns ``raw`` itself when it repeats nothing.

    Raises:
        SchemeError: every located problem of the repetition.
    """
    expanded, problems = expand_problems(raw)
    if problems:
        raise SchemeError(problems)
    return expanded


def expand_problems(raw: RawScheme) -> tuple[RawScheme, list[Problem]]:
    """Like :func:`expand`, returning the problems instead of raising them."""
    if not isinstance(raw.data, dict):
        return raw, []
    if not _repeats(raw.data):
        return raw, _leftovers(raw)
    expander = _Expander(raw)
    data = expander.document()
    if expander.problems:
        return raw, expander.problems
    origins = origins_from_positions(data, expander.positions, expander.key_positions)
    expanded = RawScheme(raw.file, data, expander.positions, expander.key_positions, origins)
    return expanded, _leftovers(expanded)


def _leftovers(raw: RawScheme) -> list[Problem]:
    """A placeholder left in an id or an input's name: written without ``for_each`` (the
    schema lets editors accept ``item_{n}`` in a definition that repeats)."""
    problems: list[Problem] = []

    def walk(node: Yaml, path: YamlPath) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "id" and isinstance(value, str) and _PLACEHOLDER.search(value):
                    problems.append(Problem.at("repeat_outside", raw.location(path + (key,)), name=value))
                walk(value, path + (key,))
        elif isinstance(node, list):
            for index, value in enumerate(node):
                walk(value, path + (index,))

    walk(raw.data, ())
    inputs = raw.data.get("inputs")
    if isinstance(inputs, dict):
        for name in inputs:
            if isinstance(name, str) and _PLACEHOLDER.search(name):
                problems.append(Problem.at("repeat_outside", raw.location(("inputs", name), key=True), name=name))
    return problems


def _repeats(node: Yaml) -> bool:
    """Whether ``node`` declares lists, repeats a definition or writes a ``*_each(``."""
    if isinstance(node, dict):
        return LISTS in node or FOR_EACH in node or any(_repeats(v) for v in node.values())
    if isinstance(node, list):
        return any(_repeats(v) for v in node)
    return isinstance(node, str) and _EACH.search(node) is not None


def origins_from_positions(data: Yaml, positions: t.Mapping[YamlPath, Mark], key_positions: t.Mapping[YamlPath, Mark]) -> Origins:
    """Container provenance (``id(container)`` → marks of it and its children) rebuilt from flat position tables."""
    origins: Origins = {}

    def walk(node: Yaml, path: YamlPath) -> None:
        if isinstance(node, dict):
            origins[id(node)] = (positions.get(path, Mark(1, 1)), {
                k: (positions.get(path + (k,), Mark(1, 1)), key_positions.get(path + (k,))) for k in node
            })
            for k, v in node.items():
                walk(v, path + (k,))
        elif isinstance(node, list):
            origins[id(node)] = (positions.get(path, Mark(1, 1)), {i: (positions.get(path + (i,), Mark(1, 1)), None) for i in range(len(node))})
            for i, v in enumerate(node):
                walk(v, path + (i,))

    walk(data, ())
    return origins


class _Expander:
    """One pass over the document, copying as it goes; positions follow each copy's source."""

    def __init__(self, raw: RawScheme) -> None:
        self.raw = raw
        self.problems: list[Problem] = []
        self.positions: dict[YamlPath, Mark] = {}
        self.key_positions: dict[YamlPath, Mark] = {}
        self.values = 0
        self.lists: dict[str, list[Row]] = {}

    def fail(self, code: str, path: YamlPath, key: bool = False, **args: t.Any) -> None:
        self.problems.append(Problem.at(code, self.raw.location(path, key=key), **args))

    def document(self) -> YamlMap:
        data: YamlMap = self.raw.data
        declared = data.get(LISTS)
        if declared is not None:
            if not isinstance(declared, dict):
                self.fail("repeat_lists_shape", (LISTS,))
            else:
                for name, columns in declared.items():
                    rows = self.rows(columns, (LISTS, name))
                    if rows is not None:
                        self.lists[str(name)] = rows
        self.mark((), ())
        out: YamlMap = {}
        for key, value in data.items():
            if key != LISTS:
                self.entry(out, key, value, (key,), (), {})
        return out

    # -- lists ------------------------------------------------------------
    def rows(self, columns: Yaml, path: YamlPath) -> list[Row] | None:
        """The rows of a list written column by column (``{field: [values…]}``)."""
        if not isinstance(columns, dict) or not columns:
            self.fail("repeat_lists_shape", path)
            return None
        lengths = set()
        table: dict[str, list[Scalar]] = {}
        for field, values in columns.items():
            if not isinstance(field, str) or not _FIELD.match(field):
                self.fail("repeat_field_name", path + (field,), key=True, field=field)
                return None
            if not isinstance(values, list) or not values \
                    or not all(isinstance(v, (str, int, float)) and not isinstance(v, bool) for v in values):
                self.fail("repeat_lists_shape", path + (field,))
                return None
            table[field] = [v for v in values if isinstance(v, (str, int, float))]  # every one is (checked just above)
            lengths.add(len(values))
        if len(lengths) > 1:
            counts = "、".join(f"{field} {len(values)}" for field, values in table.items())
            self.fail("repeat_unequal", path, counts=counts)
            return None
        count = lengths.pop()
        if count > MAX_ROWS:
            self.fail("repeat_too_many", path, limit=MAX_ROWS)
            return None
        return [{field: table[field][i] for field in table} for i in range(count)]

    def rows_of(self, spec: Yaml, path: YamlPath) -> list[Row] | None:
        """The rows a ``for_each`` names (a declared list) or writes inline."""
        if isinstance(spec, str):
            if spec in self.lists:
                return self.lists[spec]
            declared = self.raw.data.get(LISTS)
            if not (isinstance(declared, dict) and spec in declared):  # a broken list was reported already
                self.fail("repeat_unknown_list", path, name=spec, suggest=closest(spec, list(self.lists)))
            return None
        if isinstance(spec, dict):
            return self.rows(spec, path)
        self.fail("repeat_lists_shape", path)
        return None

    # -- copying ----------------------------------------------------------
    def mark(self, new: YamlPath, old: YamlPath) -> None:
        if old in self.raw.positions:
            self.positions[new] = self.raw.positions[old]
        if old in self.raw.key_positions:
            self.key_positions[new] = self.raw.key_positions[old]

    def entry(self, out: YamlMap, key: str, value: Yaml, old: YamlPath, new_parent: YamlPath, row: Row) -> None:
        """``key: value`` of a mapping into ``out``: one entry, or one per row when ``value`` repeats."""
        if isinstance(value, dict) and FOR_EACH in value:
            for each in self.each(value, old, row, key):
                name = self.key(key, each)
                if name in out:
                    self.fail("repeat_key_clash", old, key=True, name=name)
                    continue
                out[name] = self.node(_without(value), old, new_parent + (name,), each)
            return
        name = self.key(key, row) if row else key
        out[name] = self.node(value, old, new_parent + (name,), row)

    def each(self, template: YamlMap, old: YamlPath, row: Row, own_key: str | None = None) -> list[Row]:
        """The rows a template is copied for, each merged over the enclosing row."""
        rows = self.rows_of(template[FOR_EACH], old + (FOR_EACH,))
        if rows is None:
            return []
        if self.values > MAX_VALUES:
            return []
        fields = set(row) | {f for r in rows for f in r}
        before = len(self.problems)
        if own_key is not None:
            self.unknown(own_key, old, fields, key=True)
        self.check_placeholders(template, old, fields, top=True)
        if len(self.problems) > before:
            return []  # the copies would only repeat the mistake (and clash with each other)
        return [{**row, **r} for r in rows]

    def check_placeholders(self, node: Yaml, path: YamlPath, fields: set[str], top: bool = False) -> None:
        """A ``{x}`` left in a key or an id would make every copy the same (or an invalid name).
        A definition repeated inside this one is checked when it is expanded, with its own fields too."""
        if isinstance(node, dict) and FOR_EACH in node and not top:
            return
        if isinstance(node, dict):
            for key, value in node.items():
                if isinstance(value, dict) and FOR_EACH in value:
                    continue  # a repeated mapping entry: its key and body are checked when it is expanded
                if isinstance(key, str):
                    self.unknown(key, path + (key,), fields, key=True)
                if key == "id" and isinstance(value, str):
                    self.unknown(value, path + (key,), fields)
                if key != FOR_EACH:
                    self.check_placeholders(value, path + (key,), fields)
        elif isinstance(node, list):
            for index, value in enumerate(node):
                self.check_placeholders(value, path + (index,), fields)

    def unknown(self, text: str, path: YamlPath, fields: set[str], key: bool = False) -> None:
        for name in _PLACEHOLDER.findall(text):
            if name not in fields:
                self.fail("repeat_unknown_field", path, key=key, field=name, fields="、".join(sorted(fields)),
                          suggest=closest(name, sorted(fields)))

    @staticmethod
    def key(key: str, row: Row) -> str:
        return _substitute(key, row)

    def node(self, value: Yaml, old: YamlPath, new: YamlPath, row: Row) -> Yaml:
        self.values += 1
        if self.values == MAX_VALUES + 1:  # said once, at the definition that went over
            self.fail("repeat_too_many_values", old, limit=f"{MAX_VALUES:,}")
        self.mark(new, old)
        if isinstance(value, dict):
            out: YamlMap = {}
            for key, child in value.items():
                self.entry(out, key, child, old + (key,), new, row)
            return out
        if isinstance(value, list):
            items: YamlList = []
            for index, child in enumerate(value):
                if isinstance(child, dict) and FOR_EACH in child:
                    # {for_each: L, each: score_{n}} writes one plain value per row (a list of names).
                    plain = set(child) == {FOR_EACH, EACH}
                    for each in self.each(child, old + (index,), row):
                        body = child[EACH] if plain else _without(child)
                        items.append(self.node(body, old + (index,) + ((EACH,) if plain else ()), new + (len(items),), each))
                else:
                    items.append(self.node(child, old + (index,), new + (len(items),), row))
            return items
        if isinstance(value, str):
            whole = _PLACEHOLDER.fullmatch(value)
            if whole and whole.group(1) in row:
                return row[whole.group(1)]
            return self.aggregates(_substitute(value, row), old, row)
        return value

    # -- sum_each(LIST, EXPR) and its kin ---------------------------------
    def aggregates(self, text: str, old: YamlPath, row: Row) -> str:
        """``text`` with every ``*_each(LIST, EXPR)`` written out over the list's rows."""
        found = _EACH.search(text)
        if found is None:
            return text
        start, inner = found.start(), found.end()
        end = _closing(text, inner)
        args = _split(text[inner:end]) if end is not None else []
        if end is None or len(args) != 2 or not args[1].strip():
            self.fail("repeat_each_syntax", old, found=text[start:start + 60], function=found.group(1) + "_each")
            return text
        name, body = args[0].strip(), args[1].strip()
        rows = self.rows_of(name, old)
        if rows is None:
            return text
        self.values += len(rows)  # each term is a value written: nested *_each multiply
        if self.values > MAX_VALUES:
            if self.values - len(rows) <= MAX_VALUES:
                self.fail("repeat_too_many_values", old, limit=f"{MAX_VALUES:,}")
            return text
        terms = [self.aggregates(_substitute(body, {**row, **r}), old, {**row, **r}) for r in rows]
        kind = found.group(1)
        if kind in ("max", "min"):
            written = f"{kind}({', '.join(terms)})"
        else:
            joined = {"sum": " + ", "mean": " + ", "all": " and ", "any": " or "}[kind].join(terms)
            whole = text[:start].strip() == "" and text[end + 1:].strip() == ""
            written = f"({joined}) / {len(rows)}" if kind == "mean" else joined
            if not whole:  # "2 * sum_each(…)" must multiply the whole sum
                written = f"({written})"
        return self.aggregates(text[:start] + written + text[end + 1:], old, row)


def _without(template: YamlMap) -> YamlMap:
    return {k: v for k, v in template.items() if k != FOR_EACH}


def _substitute(text: str, row: Row) -> str:
    if not row:
        return text
    return _PLACEHOLDER.sub(lambda m: str(row[m.group(1)]) if m.group(1) in row else m.group(0), text)


def _closing(text: str, start: int) -> int | None:
    """Index of the bracket closing the one opened just before ``start`` (quotes respected)."""
    depth, quote = 1, ""
    for index in range(start, len(text)):
        char = text[index]
        if quote:
            if char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return index
    return None


def _split(text: str) -> list[str]:
    """``text`` split at its first top-level comma (into at most two parts)."""
    depth, quote = 0, ""
    for index, char in enumerate(text):
        if quote:
            if char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
        elif char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        elif char == "," and depth == 0:
            return [text[:index], text[index + 1:]]
    return [text]
