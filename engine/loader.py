"""Read a scheme's YAML text into a RawScheme: plain data plus the line and
column of every node.

PyYAML's composer gives us the node tree with marks; we build the Python
values ourselves so that each YAML path (``("items", 0, "formula")``) keeps
its position and duplicate keys are rejected (PyYAML would silently keep the
last one, losing a rule without a word).
"""

from __future__ import annotations

import dataclasses
import re
import typing as t
from pathlib import Path

import yaml

from engine.errors import Location, Problem, SchemeError

YamlPath = tuple[t.Union[str, int], ...]


@dataclasses.dataclass(frozen=True)
class Mark:
    """A 1-based line and column in a scheme file."""

    line: int
    column: int
    #: The file, when it is not the scheme's own (a node inherited through ``extends``).
    file: str | None = None


#: Per container object (by ``id``): its own mark and, per child key or index,
#: the marks of the child's value and key. Kept so that ``extends`` can move
#: nodes between trees without losing where each came from.
Origins = dict[int, tuple[Mark, dict[t.Union[str, int], tuple[Mark, Mark | None]]]]


@dataclasses.dataclass(frozen=True)
class RawScheme:
    """A scheme as read from YAML, before validation."""

    #: Path of the scheme file as the user gave it.
    file: str
    #: The parsed YAML (dicts, lists, scalars).
    data: t.Any
    #: Position of each value, by YAML path.
    positions: t.Mapping[YamlPath, Mark]
    #: Position of each mapping key, by the path of the value it introduces.
    key_positions: t.Mapping[YamlPath, Mark]
    #: Container provenance (see :data:`Origins`); empty for resolved schemes.
    origins: Origins = dataclasses.field(default_factory=dict, compare=False, repr=False)

    def location(self, path: YamlPath, *, key: bool = False) -> Location:
        """Location of the node at ``path`` (its key when ``key``), falling back
        to the nearest enclosing node that has a position."""
        table = self.key_positions if key else self.positions
        probe = path
        while probe not in table and probe:
            probe = probe[:-1]
            table = self.positions
        mark = table.get(probe, Mark(1, 1))
        return Location(mark.file or self.file, mark.line, mark.column, yaml_path(path))

    def get(self, path: YamlPath) -> t.Any:
        """The value at ``path`` (``None`` when absent)."""
        node: t.Any = self.data
        for part in path:
            try:
                node = node[part]
            except (KeyError, IndexError, TypeError):
                return None
        return node


def yaml_path(path: YamlPath) -> str:
    """Render a path the way jsonschema's ``json_path`` does.

    >>> yaml_path(("items", 0, "formula"))
    '$.items[0].formula'
    """
    out = "$"
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


def load_scheme(file: str | Path) -> RawScheme:
    """Read ``file`` into a :class:`RawScheme`, resolving ``extends``.

    Raises:
        SchemeError: the file is missing, unreadable, not YAML, has a
            duplicate key, or is not a mapping at the top; or its ``extends``
            chain is broken (see :mod:`engine.inherit`).
    """
    raw = load_scheme_file(file)
    if "extends" in raw.data:
        from engine.inherit import resolve

        return resolve(raw)
    return raw


def scheme_in_folder(folder: Path) -> Path:
    """The scheme file of a scheme folder: ``NAME/NAME.yaml``, or its only YAML file.

    Raises:
        SchemeError: the folder holds no scheme, or several and none named after it.
    """
    own = folder / f"{folder.name}.yaml"
    if own.is_file():
        return own
    candidates = sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml"))
    if len(candidates) == 1:
        return candidates[0]
    raise SchemeError([Problem.at("scheme_folder", Location(str(folder)), count=len(candidates),
                                  files=", ".join(p.name for p in candidates) or "—")])


def load_scheme_file(file: str | Path) -> RawScheme:
    """Read one file into a :class:`RawScheme` (``extends`` left as written).

    A scheme folder (``schemes/jifenzhi``) stands for its scheme file.
    """
    if Path(file).is_dir():
        file = scheme_in_folder(Path(file))
    name = str(file)
    try:
        text = Path(file).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise SchemeError([Problem.at("file_not_found", Location(name))]) from None
    except (OSError, UnicodeDecodeError) as err:
        raise SchemeError([Problem.at("file_unreadable", Location(name), reason=str(err))]) from None
    return load_scheme_text(text, name)


def load_scheme_text(text: str, name: str) -> RawScheme:
    """Parse YAML ``text`` (named ``name`` in messages) into a :class:`RawScheme`."""
    loader = yaml.SafeLoader(text)
    try:
        root = loader.get_single_node()
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (None, None)
        fullwidth = _fullwidth_punctuation(text, line)
        if fullwidth is not None:
            raise SchemeError([fullwidth.with_file(name)]) from None
        colon = _colon_problem(text, line, err.problem or "")
        if colon is not None:
            raise SchemeError([Problem.at(colon[0], Location(name, colon[1], colon[2], "$"), "error", **colon[3])]) from None
        reason = " ".join(x for x in (err.context, err.problem) if x)
        raise SchemeError(
            [Problem.at("yaml_syntax", Location(name, line, col, "$"), reason=reason)]
        ) from None
    except yaml.YAMLError as err:
        raise SchemeError([Problem.at("yaml_syntax", Location(name), reason=str(err))]) from None
    finally:
        loader.dispose()

    builder = _Builder(name, loader)
    data = builder.build(root, ()) if root is not None else None
    if builder.problems:
        raise SchemeError(builder.problems)
    if not isinstance(data, dict):
        found = "空文件" if data is None else type(data).__name__
        raise SchemeError([Problem.at("not_a_mapping", Location(name, 1, 1, "$"), found=found)])
    return RawScheme(name, data, builder.positions, builder.key_positions, builder.origins)


class _Builder:
    """Walks a composed YAML node tree, recording positions as it builds values."""

    def __init__(self, name: str, loader: yaml.SafeLoader) -> None:
        self.name = name
        self.loader = loader
        self.positions: dict[YamlPath, Mark] = {}
        self.key_positions: dict[YamlPath, Mark] = {}
        self.problems: list[Problem] = []
        self.origins: Origins = {}

    def mark(self, node: yaml.Node) -> Mark:
        return Mark(node.start_mark.line + 1, node.start_mark.column + 1, self.name)

    def build(self, node: yaml.Node, path: YamlPath) -> t.Any:
        self.positions[path] = Mark(node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, yaml.MappingNode):
            # Keys written in this mapping, as opposed to ones brought in by a merge key (<<: *anchor):
            # a written key may override a merged one (YAML's rule), but not another written key.
            written = {id(k) for k, _ in node.value if k.tag != "tag:yaml.org,2002:merge"}
            self.loader.flatten_mapping(node)  # resolves YAML merge keys (<<)
            out: dict[str, t.Any] = {}
            merged: set[str] = set()
            children: dict[t.Union[str, int], tuple[Mark, Mark | None]] = {}
            self.origins[id(out)] = (self.mark(node), children)
            for key_node, value_node in node.value:
                key = str(self.loader.construct_object(key_node, deep=True))
                key_mark = Mark(key_node.start_mark.line + 1, key_node.start_mark.column + 1)
                children.setdefault(key, (self.mark(value_node), self.mark(key_node)))
                if key in out and (key in merged or id(key_node) not in written):
                    if id(key_node) in written:
                        merged.discard(key)
                    else:
                        merged.add(key)
                    children[key] = (self.mark(value_node), self.mark(key_node))
                    self.key_positions[path + (key,)] = key_mark
                    out[key] = self.build(value_node, path + (key,))
                    continue
                if id(key_node) not in written:
                    merged.add(key)
                if key in out:
                    first = self.key_positions[path + (key,)]
                    self.problems.append(
                        Problem.at(
                            "duplicate_key",
                            Location(self.name, key_mark.line, key_mark.column, _p(path + (key,))),
                            key=key,
                            first=first.line,
                        )
                    )
                    continue
                self.key_positions[path + (key,)] = key_mark
                out[key] = self.build(value_node, path + (key,))
            return out
        if isinstance(node, yaml.SequenceNode):
            items = [self.build(child, path + (i,)) for i, child in enumerate(node.value)]
            self.origins[id(items)] = (self.mark(node), {i: (self.mark(child), None) for i, child in enumerate(node.value)})
            return items
        return self.loader.construct_object(node, deep=True)


#: A key followed by a full-width colon, or indentation with a full-width space: typed with a Chinese IME.
_FULLWIDTH_KEY = re.compile(r"^[ \t-]*[\w$\u4e00-\u9fff]+[ \t]*(：)")
_FULLWIDTH_INDENT = re.compile(r"^[ \t]*(\u3000)")


@dataclasses.dataclass(frozen=True)
class _Fullwidth:
    line: int
    column: int
    what: tuple[str, str]
    char: str
    ascii: str

    def with_file(self, name: str) -> Problem:
        from engine.messages import Text

        return Problem.at("yaml_fullwidth", Location(name, self.line, self.column, "$"), line=self.line,
                          what=Text(*self.what), char=self.char, ascii=self.ascii)


def _fullwidth_punctuation(text: str, error_line: int | None) -> _Fullwidth | None:
    """The line where YAML gave up, or just above it, typed with a Chinese IME.

    YAML reports such a line late and vaguely ("could not find expected
    ':'" a line below), so it is named directly.
    """
    lines = text.splitlines()
    last = min(len(lines), error_line or len(lines))
    # Only just above the error: elsewhere a '：' is ordinary text in a value.
    first = max(0, last - 3)
    for number, content in enumerate(lines[first:last], start=first + 1):
        if content.lstrip().startswith("#"):
            continue
        if match := _FULLWIDTH_KEY.match(content):
            return _Fullwidth(number, match.start(1) + 1, ("冒号", "colon"), "：", ":")
        if match := _FULLWIDTH_INDENT.match(content):
            return _Fullwidth(number, match.start(1) + 1, ("空格", "space"), "\u3000", " ")
    return None


#: ``key:value`` / ``key:{…}``: a key whose colon is not followed by a space.
_COLON_NO_SPACE = re.compile(r"^(\s*(?:-\s+)?)([\w\u4e00-\u9fff-]+):(?=[^\s:/])")
#: ``key: text: more``: a plain value holding ": ".
_COLON_IN_VALUE = re.compile(r"^(\s*(?:-\s+)?)([\w\u4e00-\u9fff-]+):\s+([^'\"{\[|>#][^#]*?:\s.*)$")


def _colon_problem(text: str, error_line: int | None, problem: str) -> tuple[str, int, int, dict[str, str]] | None:
    r"""PyYAML's "mapping values are not allowed here" / "could not find expected
    ':'" in words: a missing space after a key's colon, or an unquoted colon in a value.

    >>> _colon_problem("a: 1\nitems:{id: x}\n", 2, "mapping values are not allowed here")[:3]
    ('yaml_colon_space', 2, 6)
    >>> _colon_problem("note: 信息报送: 及时\n", 1, "mapping values are not allowed here")[0]
    'yaml_colon_in_value'
    """
    if error_line is None:
        return None
    lines = text.splitlines()
    for number in (error_line, error_line - 1):
        if not 1 <= number <= len(lines) or lines[number - 1].lstrip().startswith("#"):
            continue
        content = lines[number - 1]
        if match := _COLON_NO_SPACE.match(content):
            return "yaml_colon_space", number, match.end(2) + 1, {"key": match.group(2), "line": str(number)}
        if "mapping values" in problem and (match := _COLON_IN_VALUE.match(content)):
            value = match.group(3).rstrip()
            return "yaml_colon_in_value", number, match.start(3) + 1, {"key": match.group(2), "value": value, "line": str(number)}
    return None


def _p(path: YamlPath) -> str:
    return yaml_path(path)
