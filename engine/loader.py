"""Read a scheme's YAML text into a RawScheme: plain data plus the line and
column of every node.

PyYAML's composer gives us the node tree with marks; we build the Python
values ourselves so that each YAML path (``("items", 0, "formula")``) keeps
its position and duplicate keys are rejected (PyYAML would silently keep the
last one, losing a rule without a word).

No input makes this module raise anything but :class:`SchemeError` or run
for long: the text is screened first (size, control characters, and — from
parser events, before anything is built — nesting depth and the number of
values with aliases expanded), and while building, every tag and every
scalar's value is checked (unknown tags, impossible dates, lone surrogates).
The limits are documented in docs/limits.md.
"""

from __future__ import annotations

import dataclasses
import re
import stat
import typing as t
from pathlib import Path

import yaml

from engine.errors import Location, Problem, SchemeError
from engine.messages import Text
from engine.yamltypes import Yaml, YamlMap

YamlPath = tuple[t.Union[str, int], ...]

# ---------------------------------------------------------------------------
# Limits (documented in docs/limits.md). A scheme is a few dozen KB written by
# hand; anything far beyond these is a wrong file or a hostile one, and is
# refused before the slow pure-Python parser and the checks see it.

#: Largest scheme file, in bytes (checked before the file is read).
MAX_SCHEME_BYTES = 1_048_576
#: Most YAML values (keys, values, list entries; an alias counts as what it
#: expands to) in one file: about 10,000 items.
MAX_YAML_NODES = 100_000
#: Deepest nesting of mappings and lists (an alias counts at its expanded depth).
MAX_YAML_DEPTH = 64


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
    #: The parsed YAML (a mapping of dicts, lists, scalars).
    data: YamlMap
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

    def get(self, path: YamlPath) -> Yaml:
        """The value at ``path`` (``None`` when absent)."""
        node: Yaml = self.data
        for part in path:
            if isinstance(node, dict) and isinstance(part, str) and part in node:
                node = node[part]
            elif isinstance(node, (list, str)) and isinstance(part, int) and -len(node) <= part < len(node):
                node = node[part]  # (a path into text gives its character, as indexing always did)
            else:
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
        status = Path(file).stat()
        if not stat.S_ISREG(status.st_mode):
            # A FIFO would block the read forever, /dev/zero never ends: only a regular file is a scheme.
            raise SchemeError([Problem.at("file_unreadable", Location(name), reason=Text("不是普通文件（管道、设备等）", "not a regular file (a pipe, a device …)"))])
        size = status.st_size
        if size > MAX_SCHEME_BYTES:
            raise SchemeError([Problem.at("scheme_too_large", Location(name), size=f"{size:,}", limit=f"{MAX_SCHEME_BYTES:,}")])
        content = Path(file).read_bytes()
    except FileNotFoundError:
        raise SchemeError([Problem.at("file_not_found", Location(name))]) from None
    except OSError as err:
        raise SchemeError([Problem.at("file_unreadable", Location(name), reason=str(err))]) from None
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise SchemeError([_not_utf8(content, err, name)]) from None
    return load_scheme_text(text, name)


def _not_utf8(content: bytes, err: UnicodeDecodeError, name: str) -> Problem:
    """A byte that is not UTF-8 → "save as UTF-8", at its line (and the
    encoding it probably is: files saved by Chinese Windows tools are GBK)."""
    line = content.count(b"\n", 0, err.start) + 1
    column = len(content[content.rfind(b"\n", 0, err.start) + 1:err.start].decode("utf-8", "replace")) + 1
    guess = Text("", "")
    for encoding, label in (("utf-16", "UTF-16"), ("gb18030", "GBK/GB18030")):
        if encoding == "utf-16" and not content.startswith((b"\xff\xfe", b"\xfe\xff")):
            continue
        try:
            content.decode(encoding)
        except UnicodeDecodeError:
            continue
        guess = Text(f"（看起来是 {label} 编码）", f" (it looks like {label})")
        break
    return Problem.at("file_not_utf8", Location(name, line, column, "$"), line=line,
                      byte=f"0x{content[err.start]:02X}", guess=guess)


def load_scheme_text(text: str, name: str) -> RawScheme:
    """Parse YAML ``text`` (named ``name`` in messages) into a :class:`RawScheme`.

    Before parsing, the text is screened so that no input makes PyYAML raise
    or run for long: control characters, too many bytes, too deep a nesting
    and too many values (aliases counted expanded) are located problems.
    """
    if len(text) > MAX_SCHEME_BYTES:  # characters ≤ bytes: text not read from a file
        raise SchemeError([Problem.at("scheme_too_large", Location(name), size=f"{len(text):,}", limit=f"{MAX_SCHEME_BYTES:,}")])
    data, builder = _build_yaml(text, name)
    if not isinstance(data, dict):
        found = "空文件" if data is None else type(data).__name__
        raise SchemeError([Problem.at("not_a_mapping", Location(name, 1, 1, "$"), found=found)])
    return RawScheme(name, data, builder.positions, builder.key_positions, builder.origins)


def load_value_text(text: str, name: str) -> Yaml:
    """One YAML value (a ``--set`` value), screened and checked like a scheme.

    Raises:
        SchemeError: as :func:`load_scheme_text` (``yaml_syntax`` when it is
            not YAML at all), located in ``name``.
    """
    if len(text) > MAX_SCHEME_BYTES:
        raise SchemeError([Problem.at("scheme_too_large", Location(name), size=f"{len(text):,}", limit=f"{MAX_SCHEME_BYTES:,}")])
    return _build_yaml(text, name)[0]


def _build_yaml(text: str, name: str) -> tuple[Yaml, _Builder]:
    """Screen, compose and build ``text``; every problem raised as a SchemeError."""
    controls = _control_characters(text, name)
    if controls:
        raise SchemeError(controls)
    shape = _shape_problem(text, name)
    if shape is not None:
        raise SchemeError([shape])
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
    return data, builder


# ---------------------------------------------------------------------------
# Screening before PyYAML

#: What YAML forbids in a file (YAML 1.1 §5.1, as PyYAML's reader checks it):
#: C0 controls but tab and line breaks, DEL, C1 controls but NEL, U+FFFE/U+FFFF.
_NOT_PRINTABLE = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
#: What a scheme's strings may not hold, whether typed or written as an escape
#: ("\a", "\x07", "\ud800"): the same, plus lone surrogates, which no file can
#: be written with (run/report would fail on output).
_BAD_IN_STRING = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")

_CONTROL_NAMES = {
    0x00: ("空字符", "NUL"), 0x07: ("响铃符", "BEL"), 0x08: ("退格符", "backspace"), 0x0B: ("垂直制表符", "vertical tab"),
    0x0C: ("换页符", "form feed"), 0x1B: ("转义符", "ESC"), 0x7F: ("删除符", "DEL"), 0xFFFE: ("非字符", "non-character"),
    0xFFFF: ("非字符", "non-character"),
}


def _char_problem(char: str, location: Location) -> Problem:
    code = ord(char)
    if 0xD800 <= code <= 0xDFFF:
        return Problem.at("yaml_surrogate", location, char=f"U+{code:04X}", hex=f"{code:04x}")
    zh, en = _CONTROL_NAMES.get(code, ("控制字符", "control character"))
    return Problem.at("yaml_control_char", location, char=f"U+{code:04X}", name=Text(zh, en))


#: At most this many control characters are listed (a binary file has thousands).
_MAX_LISTED = 10


def _control_characters(text: str, name: str) -> list[Problem]:
    """Each forbidden character in ``text`` → a problem at its line and column
    (one per line, the first few lines), instead of PyYAML's ReaderError."""
    problems: list[Problem] = []
    line, line_start, position = 1, 0, 0
    while len(problems) < _MAX_LISTED:
        match = _NOT_PRINTABLE.search(text, position)
        if match is None:
            break
        start = match.start()
        # Counted from the previous hit, and the rest of its line skipped: linear even in a binary file.
        line += text.count("\n", line_start, start)
        line_start = text.rfind("\n", 0, start) + 1
        problems.append(_char_problem(match.group(), Location(name, line, start - line_start + 1, "$")))
        end_of_line = text.find("\n", start)
        if end_of_line < 0:
            break
        position = end_of_line
    return problems


def _event_loader(text: str) -> t.Any:
    """A loader for the event pre-pass: libyaml's when PyYAML has it (fast)."""
    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text)


def _shape_problem(text: str, name: str) -> Problem | None:
    """Count values and nesting from parser events, aliases expanded, without
    building anything: too deep, too many values (billion laughs: 10 aliases
    of 10 aliases … cost nothing to parse but explode when built) or a
    self-referencing alias → a problem at the event that crosses the limit.

    Syntax errors are left to the composer, which words them; if libyaml
    refuses what PyYAML accepts, the pass is repeated with PyYAML's parser.
    """
    try:
        return _shape_pass(_event_loader(text), name)
    except yaml.YAMLError:
        pass
    try:
        return _shape_pass(yaml.SafeLoader(text), name)
    except yaml.YAMLError:
        return None


def _shape_pass(loader: t.Any, name: str) -> Problem | None:
    # Per open collection: [anchor, expanded size, deepest child collection depth].
    stack: list[list[t.Any]] = []
    # Per anchor: (expanded size, collection depth), or None while it is still open.
    anchors: dict[str, tuple[int, int] | None] = {}
    total = 0
    try:
        while loader.check_event():
            event = loader.get_event()
            mark = event.start_mark
            where = Location(name, mark.line + 1, mark.column + 1, "$")
            if isinstance(event, yaml.CollectionStartEvent):
                if len(stack) >= MAX_YAML_DEPTH:
                    return Problem.at("yaml_too_deep", where, limit=MAX_YAML_DEPTH)
                if event.anchor is not None:
                    anchors[event.anchor] = None
                stack.append([event.anchor, 1, 0])
                total += 1
            elif isinstance(event, yaml.CollectionEndEvent):
                anchor, size, below = stack.pop()
                if anchor is not None:
                    anchors[anchor] = (size, below + 1)
                if stack:
                    stack[-1][1] += size
                    stack[-1][2] = max(stack[-1][2], below + 1)
                continue
            elif isinstance(event, yaml.ScalarEvent):
                if event.anchor is not None:
                    anchors[event.anchor] = (1, 0)
                if stack:
                    stack[-1][1] += 1
                total += 1
            elif isinstance(event, yaml.AliasEvent):
                if event.anchor not in anchors:
                    return None  # undefined: the composer says so
                known = anchors[event.anchor]
                if known is None:
                    return Problem.at("yaml_recursive_alias", where, alias=event.anchor)
                size, depth = known
                if len(stack) + depth > MAX_YAML_DEPTH:
                    return Problem.at("yaml_too_deep", where, limit=MAX_YAML_DEPTH)
                if stack:
                    stack[-1][1] += size
                    stack[-1][2] = max(stack[-1][2], depth)
                total += size
            else:
                continue
            if total > MAX_YAML_NODES:
                return Problem.at("yaml_too_many_nodes", where, limit=f"{MAX_YAML_NODES:,}")
    finally:
        loader.dispose()
    return None


#: YAML's own tag prefix (``!!int`` is ``tag:yaml.org,2002:int``).
_TAG = "tag:yaml.org,2002:"
#: Tags a scheme's values may carry: the ones plain YAML resolves to by
#: itself. Anything else (``!!python/name:…``, ``!foo``, ``!!binary``,
#: ``!!set``) is refused by name — PyYAML would raise, or build a value the
#: engine does not expect, or (on a mapping or list) silently drop the tag.
_SCALAR_TAGS = {_TAG + name for name in ("str", "int", "float", "bool", "null", "timestamp")}
_KIND_OF_TAG = {
    "int": Text("整数", "integer"), "float": Text("数字", "number"), "bool": Text("是/否值（true/false）", "boolean (true/false)"),
    "timestamp": Text("日期", "date"), "null": Text("空值", "null"),
}


def _shown_tag(tag: str) -> str:
    """``tag:yaml.org,2002:python/name:os.system`` → ``!!python/name:os.system`` (as written)."""
    return "!!" + tag[len(_TAG):] if tag.startswith(_TAG) else tag


class _Failed:
    """A value that could not be built (its problem is recorded)."""


_FAILED = _Failed()


class _Builder:
    """Walks a composed YAML node tree, recording positions as it builds values.

    Every node's tag and every scalar's value are checked here, so a bad one is
    a located problem rather than a constructor's exception.
    """

    def __init__(self, name: str, loader: yaml.SafeLoader) -> None:
        self.name = name
        self.loader = loader
        self.positions: dict[YamlPath, Mark] = {}
        self.key_positions: dict[YamlPath, Mark] = {}
        self.problems: list[Problem] = []
        self.origins: Origins = {}

    def mark(self, node: yaml.Node) -> Mark:
        return Mark(node.start_mark.line + 1, node.start_mark.column + 1, self.name)

    def where(self, node: yaml.Node, path: YamlPath) -> Location:
        return Location(self.name, node.start_mark.line + 1, node.start_mark.column + 1, _p(path))

    def tag_refused(self, node: yaml.Node, path: YamlPath) -> bool:
        """Record a problem when ``node`` carries a tag schemes do not use."""
        if isinstance(node, yaml.MappingNode):
            allowed = node.tag == _TAG + "map"
        elif isinstance(node, yaml.SequenceNode):
            allowed = node.tag == _TAG + "seq"
        else:
            allowed = node.tag in _SCALAR_TAGS
        if not allowed:
            self.problems.append(Problem.at("yaml_tag", self.where(node, path), tag=_shown_tag(node.tag)))
        return not allowed

    def scalar(self, node: yaml.Node, path: YamlPath) -> Yaml | _Failed:
        """The value of a scalar node, or ``_FAILED`` with a problem recorded."""
        if self.tag_refused(node, path):
            return _FAILED
        try:
            value: Yaml = self.loader.construct_object(node, deep=True)  # a scalar: only the plain tags get here
        except Exception:  # noqa: BLE001 — a constructor failing on the user's text: int('abc'), 2024-02-30 …
            tag: str = node.tag
            implicit = self.loader.resolve(yaml.ScalarNode, node.value, (True, False))  # type: ignore[no-untyped-call]
            if implicit == _TAG + "timestamp":
                self.problems.append(Problem.at("yaml_bad_date", self.where(node, path), value=node.value))
            else:
                kind = _KIND_OF_TAG.get(tag[len(_TAG):], Text(_shown_tag(tag), _shown_tag(tag)))
                self.problems.append(Problem.at("yaml_bad_value", self.where(node, path), value=node.value, kind=kind, tag=_shown_tag(tag)))
            return _FAILED
        if isinstance(value, str) and (bad := _BAD_IN_STRING.search(value)):
            # Typed in a file these are refused before parsing; here they came from an escape ("\a", "\ud800").
            self.problems.append(_char_problem(bad.group(), self.where(node, path)))
            return _FAILED
        return value

    def build(self, node: yaml.Node, path: YamlPath) -> Yaml:
        self.positions[path] = Mark(node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and self.tag_refused(node, path):
            return None
        if isinstance(node, yaml.MappingNode):
            # Keys written in this mapping, as opposed to ones brought in by a merge key (<<: *anchor):
            # a written key may override a merged one (YAML's rule), but not another written key.
            written = {id(k) for k, _ in node.value if k.tag != "tag:yaml.org,2002:merge"}
            try:
                self.loader.flatten_mapping(node)  # resolves YAML merge keys (<<)
            except yaml.MarkedYAMLError as err:
                # "<<: 1": a merge key must name a mapping.
                mark = err.problem_mark or node.start_mark
                self.problems.append(Problem.at("yaml_syntax", Location(self.name, mark.line + 1, mark.column + 1, _p(path)),
                                                reason=" ".join(x for x in (err.context, err.problem) if x)))
                return {}
            out: YamlMap = {}
            merged: set[str] = set()
            children: dict[t.Union[str, int], tuple[Mark, Mark | None]] = {}
            self.origins[id(out)] = (self.mark(node), children)
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    found = Text("列表", " a list") if isinstance(key_node, yaml.SequenceNode) else Text("键值对", " a mapping")
                    self.problems.append(Problem.at("yaml_complex_key", self.where(key_node, path), found=found))
                    continue
                constructed = self.scalar(key_node, path)
                if constructed is _FAILED:
                    continue
                key = str(constructed)
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
        value = self.scalar(node, path)
        return None if isinstance(value, _Failed) else value


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
