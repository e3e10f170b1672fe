"""Generate the bad-input corpus of issue 12: malformed schemes, expressions, data
files and command lines, each a :class:`Case` that writes its files into a folder.

Nothing here is committed as data: every case is built from the shipped schemes
(``schemes/*/``) and their sample data at test time, deterministically (no
randomness, no clock), into a temporary folder. ``python -m tests.corpus.generate
[FOLDER]`` lists the cases, or writes them all under FOLDER to look at.

A case says what a user would type (``argv``, run in the case's folder), the exit
code expected (1 for a user error, 2 for a malformed command line; 0 where the
right answer is to go on — then perhaps with one warning), and what the message
must name: regular expressions matched against stderr, e.g. the scheme file with
its line (``weisheng-ting.yaml:12:``), the data file with its row, or the option.
The test (tests/test_corpus.py) also checks that no traceback is printed, that
nothing under the folder is created or changed unless the case allows it, and
that the case ends within the time bound.
"""

from __future__ import annotations

import dataclasses
import io
import os
import re
import shutil
import sys
import typing as t
import zipfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
SCHEMES = ROOT / "schemes"

Build = t.Callable[[Path], list[str]]


@dataclasses.dataclass(frozen=True)
class Case:
    #: Readable and unique: ``category/what/where``.
    id: str
    #: One of :data:`CATEGORIES`.
    category: str
    #: Writes the case's files into the folder it is given and returns the command line.
    build: Build = dataclasses.field(repr=False)
    #: Acceptable exit codes (the first is the one issue 12 asks for).
    exit: tuple[int, ...] = (1,)
    #: Regular expressions stderr must match when the exit code is not 0.
    names: tuple[str, ...] = ()
    #: ``worker`` (in-process in the corpus worker) or ``pipe``/``closed``/``full``
    #: (a real ``python -m engine`` subprocess, stdout a pipe, closed or /dev/full).
    mode: str = "worker"
    #: Glob patterns (relative to the folder) that may be created or changed when the exit code is 0.
    outputs: tuple[str, ...] = ()
    #: Regular expression of a warning that must be printed exactly once when the exit code is 0.
    warn: str | None = None
    #: Command lines run (in the worker, each expected to succeed) before the folder is snapshot.
    pre: tuple[tuple[str, ...], ...] = ()
    #: Further checks on the folder after a run that exited 0: returns a list of complaints.
    check: t.Callable[[Path], list[str]] | None = dataclasses.field(default=None, repr=False)
    #: A reason the case cannot run here (e.g. a read-only folder when running as root).
    skip: str | None = None


CATEGORIES = ("loader", "numbers", "expressions", "cli", "stdout", "extends", "overwrite", "partial", "history", "data")


# ---------------------------------------------------------------------------
# Shipped material


def shipped_text(name: str, file: str | None = None) -> str:
    return (SCHEMES / name / (file or f"{name}.yaml")).read_text(encoding="utf-8")


def shipped_tree(name: str, file: str | None = None) -> dict[str, t.Any]:
    tree: dict[str, t.Any] = yaml.safe_load(shipped_text(name, file))
    return tree


def copy_data(name: str, folder: Path) -> Path:
    target = folder / "data"
    shutil.copytree(SCHEMES / name / "data", target)
    return target


def dump(tree: t.Any) -> str:
    return yaml.safe_dump(tree, allow_unicode=True, sort_keys=False, width=10_000)


def line_of(text: str, needle: str) -> int:
    """1-based line of the first occurrence of ``needle`` in ``text``."""
    index = text.index(needle)
    return text.count("\n", 0, index) + 1


def at_some_line(file: str) -> str:
    """A message naming ``file`` with a line (or row) number."""
    return rf"{re.escape(file)}(\[[^\]]*\])?:\d+"


def at_line(file: str, line: int | None = None) -> str:
    """A message naming ``file`` (and ``line``): ``weisheng-ting.yaml:12:`` or ``data/名单.csv:3``."""
    name = re.escape(file)
    if line is None:
        return name
    return rf"{name}(\[[^\]]*\])?:{line}\b"


#: The scheme most cases start from: vetoes, booleans, votes per rater, a ranking, GBK sample data.
WS = "weisheng-ting"
WS_FILE = "weisheng-ting.yaml"
WS_UNITS = "厅直单位.csv"  # GBK, as Excel on a Chinese Windows saves it
WS_VOTES = "大会测评.csv"  # UTF-8 with a BOM
FACTORY = "chuangxian-zhengyou-factory"
JFZ = "jifenzhi"
WLMQ = "chuangxian-zhengyou-wulumuqi"


def ws_extended() -> dict[str, t.Any]:
    """weisheng-ting plus what its shipped form lacks: a parameter, an item with
    tiers, a grade (of an expression) — so every expression site exists."""
    tree = shipped_tree(WS)
    tree["params"] = {"p": {"title": "参数", "value": 1}}
    tree["items"].append({"id": "tiered", "title": "分档", "max": 10,
                          "tiers": {"value": "mean(vote)", "bands": [{"ge": 90, "points": 10}, {"lt": 90, "points": 5}]}})
    tree["grades"] = [{"id": "level", "title": "等次", "of": "total",
                       "bands": [{"ge": 90, "value": "优秀"}, {"lt": 90, "value": "一般"}]}]
    return tree


Content = t.Union[str, bytes, t.Callable[[], t.Union[str, bytes]]]


def scheme_case(text: Content, *, data: str | None = WS, file: str = WS_FILE,
                command: t.Callable[[str], list[str]] | None = None, extra: dict[str, str | bytes] | None = None) -> Build:
    """A build writing ``text`` as the scheme (and the sample data of ``data``)."""

    def build(folder: Path) -> list[str]:
        target = folder / file
        content = text() if callable(text) else text
        target.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8", "surrogatepass"))
        if data:
            copy_data(data, folder)
        for name, content in (extra or {}).items():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
        return command(file) if command else ["validate", file]

    return build


def run_json(file: str) -> list[str]:
    return ["run", file, "--data", "data", "--format", "json"]


def run_md(file: str) -> list[str]:
    return ["run", file, "--data", "data"]


# ---------------------------------------------------------------------------
# Scheme loader


CONTROL = {"nul": "\x00", "soh": "\x01", "bel": "\x07", "bs": "\x08", "vt": "\x0b", "ff": "\x0c", "so": "\x0e",
           "esc": "\x1b", "us": "\x1f", "del": "\x7f", "c1-80": "\x80", "c1-9f": "\x9f"}


def loader_cases() -> t.Iterator[Case]:
    text = shipped_text(WS)
    title_line = line_of(text, "title: 厅直单位年度工作考核")
    comment_line = line_of(text, "#   - 一票否决")
    key_line = line_of(text, "    title: 测评分")
    # Control characters, raw in the file: in a value, in a comment, in a key.
    for label, char in CONTROL.items():
        places = {
            "value": (text.replace("title: 厅直单位年度工作考核", f"title: 厅直单位{char}年度工作考核", 1), title_line),
            "comment": (text.replace("#   - 一票否决", f"#   - 一票{char}否决", 1), comment_line),
            "key": (text.replace("    title: 测评分", f"    ti{char}tle: 测评分", 1), key_line),
        }
        for place, (changed, line) in places.items():
            yield Case(f"loader/control-char/{label}-in-{place}", "loader", scheme_case(changed), names=(at_line(WS_FILE, line),))
    # The same in a scheme that `run` reads (not only validate).
    yield Case("loader/control-char/bel-run", "loader",
               scheme_case(text.replace("title: 厅直单位年度工作考核", "title: 厅直\x07单位", 1), command=run_md),
               names=(at_line(WS_FILE, title_line),))

    # Tags: unsafe (python/*), unknown (!foo), standard but of the wrong kind (binary, set, omap …).
    tags = {
        "python-name": "!!python/name:os.system",
        "python-apply": "!!python/object/apply:os.system ['true']",
        "python-object": "!!python/object:builtins.dict {}",
        "python-tuple": "!!python/tuple [1, 2]",
        "unknown-scalar": "!foo bar",
        "unknown-mapping": "!foo {a: 1}",
        "unknown-sequence": "!foo [1]",
        "verbatim": "!<tag:example.com,2000:x> y",
        "binary": "!!binary aGVsbG8=",
        "set": "!!set {a: null}",
        "omap": "!!omap [{a: 1}]",
        "pairs": "!!pairs [{a: 1}]",
    }
    named = {"python-name": "python/name", "python-apply": "python/object/apply", "python-object": "python/object",
             "python-tuple": "python/tuple", "unknown-scalar": "!foo", "unknown-mapping": "!foo", "unknown-sequence": "!foo",
             "verbatim": "example.com"}
    for label, tag in tags.items():
        places = {
            "title": ("title: 厅直单位年度工作考核", f"title: {tag}"),
            "max": ("    max: 100\n    formula: mean(vote)", f"    max: {tag}\n    formula: mean(vote)"),
            "when": ("when: major_case}", f"when: {tag} }}"),  # the space: a tag may end a flow mapping's value
        }
        for place, (old, new) in places.items():
            changed = text.replace(old, new, 1)
            line = line_of(changed, new.splitlines()[0])
            must = (at_line(WS_FILE, line),) + ((re.escape(named[label]),) if label in named else ())
            yield Case(f"loader/tag/{label}-at-{place}", "loader", scheme_case(changed), names=must)

    # Impossible dates (YAML timestamps that datetime refuses), and a real date where text is expected.
    version_line = line_of(text, 'version: "20xx"')
    for label, date in {"feb-30": "2024-02-30", "feb-29-non-leap": "2023-02-29", "month-13": "2024-13-01",
                        "month-0": "2024-00-10", "apr-31": "2024-04-31", "datetime-feb-30": "2024-02-30T10:00:00",
                        "datetime-hour-25": "2024-02-01 25:00:00"}.items():
        yield Case(f"loader/date/version-{label}", "loader", scheme_case(text.replace('version: "20xx"', f"version: {date}", 1)),
                   names=(at_line(WS_FILE, version_line),))
    for place, (old, new) in {"title": ("title: 厅直单位年度工作考核", "title: 2024-02-30"),
                              "max": ("    max: 100\n    formula: mean(vote)", "    max: 2024-02-30\n    formula: mean(vote)"),
                              "range": ("range: [0, 100]", "range: [0, 2024-02-30]")}.items():
        changed = text.replace(old, new, 1)
        yield Case(f"loader/date/{place}-feb-30", "loader", scheme_case(changed),
                   names=(at_line(WS_FILE, line_of(changed, new.splitlines()[0])),))
    # A valid date where a version string is expected must not break the JSON or the reports.
    dated = text.replace('version: "20xx"', "version: 2024-01-01", 1)
    yield Case("loader/date/version-valid-date-run-json", "loader", scheme_case(dated, command=run_json), exit=(1, 0),
               names=(at_line(WS_FILE, version_line),))
    yield Case("loader/date/version-valid-date-report", "loader",
               scheme_case(dated, command=lambda f: ["report", f, "--data", "data", "--out", "out"]), exit=(1, 0),
               names=(at_line(WS_FILE, version_line),), outputs=("out", "out/*"))

    # Tagged non-numbers.
    values = {"int-abc": "!!int abc", "int-1.5": "!!int 1.5", "int-empty": "!!int ''", "int-0b2": "!!int 0b2",
              "float-abc": "!!float abc", "float-empty": "!!float ''", "float-1e": "!!float 1e",
              "bool-maybe": "!!bool maybe", "bool-empty": "!!bool ''", "timestamp-abc": "!!timestamp abc",
              "binary-bad": '!!binary "!!!"'}
    extended = dump(ws_extended())
    for label, value in values.items():
        places = {
            "max": (text, "    max: 100\n    formula: mean(vote)", f"    max: {value}\n    formula: mean(vote)"),
            "range": (text, "range: [0, 100]", f"range: [0, {value}]"),
            "param": (extended, "value: 1\n", f"value: {value}\n"),
        }
        for place, (base, old, new) in places.items():
            changed = base.replace(old, new, 1)
            yield Case(f"loader/tagged-non-number/{label}-at-{place}", "loader", scheme_case(changed),
                       names=(at_line(WS_FILE, line_of(changed, new.splitlines()[0])),))

    # Deep nesting.
    note_line = line_of(text, "    note: 全体厅领导")
    for depth in (500, 1000, 5000, 50_000):
        nested = "[" * depth + "1" + "]" * depth
        yield Case(f"loader/deep-nesting/flow-list-{depth}", "loader",
                   scheme_case(text.replace("    note: 全体厅领导、各处室处长、厅直单位党政主要负责人。", f"    note: {nested}", 1)),
                   names=(at_line(WS_FILE, note_line),))
    for depth in (1000, 5000):
        nested = "{a: " * depth + "1" + "}" * depth
        yield Case(f"loader/deep-nesting/flow-map-{depth}", "loader", scheme_case(text + f"x: {nested}\n"),
                   names=(at_line(WS_FILE, text.count("\n") + 1),))
    for depth in (600, 3000):
        block = "x:\n" + "".join(" " * i + "a:\n" for i in range(1, depth)) + " " * depth + "a: 1\n"
        # The line where the limit is crossed, or (3000 levels of indentation are 4.5 MB) the file for its size.
        yield Case(f"loader/deep-nesting/block-map-{depth}", "loader", scheme_case(text + block),
                   names=(at_some_line(WS_FILE) if depth < 1000 else at_line(WS_FILE),))
    yield Case("loader/deep-nesting/block-seq-2000", "loader", scheme_case(text + "x: " + "- " * 2000 + "1\n"),
               names=(at_line(WS_FILE, text.count("\n") + 1),))

    # Billion laughs: each level ten aliases of the one below.
    for levels in (5, 6, 7, 9):
        lines = ["laugh0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
        for level in range(1, levels + 1):
            lines.append(f"laugh{level}: &l{level} [" + ", ".join([f"*l{level - 1}"] * 10) + "]")
        bomb = "\n".join(lines) + "\n"
        yield Case(f"loader/alias-expansion/{levels}-levels-of-10", "loader", scheme_case(text + bomb),
                   names=(at_some_line(WS_FILE),))  # the line where the budget ran out
        # The anchors first (as unknown top-level keys), then used where the scheme reads a value.
        yield Case(f"loader/alias-expansion/{levels}-levels-in-note-run", "loader",
                   scheme_case(bomb + text.replace("    note: 全体厅领导、各处室处长、厅直单位党政主要负责人。", f"    note: *l{levels}", 1),
                               command=run_md), names=(at_some_line(WS_FILE),))
    merge = "base: &b {" + ", ".join(f"k{i}: {i}" for i in range(10)) + "}\n"
    for level in range(1, 7):
        merge += f"m{level}: &b{level} [" + ", ".join([f"*b{level - 1}" if level > 1 else "*b"] * 10) + "]\n"
    yield Case("loader/alias-expansion/mappings-6-levels", "loader", scheme_case(text + merge),
               names=(at_some_line(WS_FILE),))

    # Oversized schemes.
    def many_items(count: int) -> str:
        rows = "".join(f"  - {{id: i{n}, title: 项目{n}, max: 1, formula: mean(vote)}}\n" for n in range(count))
        return text.replace("items:\n", "items:\n" + rows, 1)

    # A size limit is about the whole file: the file named is enough.
    yield Case("loader/oversized/700k-items-50MB", "loader", scheme_case(lambda: many_items(700_000)), names=(at_line(WS_FILE),))
    yield Case("loader/oversized/60MB-comment", "loader", scheme_case(lambda: text + ("# " + "长" * 1000 + "\n") * 20_000),
               names=(at_line(WS_FILE),))
    yield Case("loader/oversized/20k-items", "loader", scheme_case(lambda: many_items(20_000)), exit=(1, 0),
               names=(at_line(WS_FILE),))
    yield Case("loader/oversized/1M-element-flow-list", "loader", scheme_case(lambda: text + "x: [" + "1, " * 1_000_000 + "1]\n"),
               names=(at_line(WS_FILE),))
    yield Case("loader/oversized/200k-values-under-the-size-limit", "loader",
               scheme_case(lambda: text + "x: [" + "1," * 200_000 + "1]\n"), names=(at_some_line(WS_FILE),))

    # Lone surrogates written as escapes: they validate as text, then break every writer.
    item_line = line_of(text, "    title: 大会测评")
    surrogates = {
        "scheme-title-validate": ('title: 厅直单位年度工作考核', 'title: "厅直\\ud800单位"', "validate"),
        "scheme-title-run": ('title: 厅直单位年度工作考核', 'title: "厅直\\ud800单位"', "run"),
        "scheme-title-report": ('title: 厅直单位年度工作考核', 'title: "厅直\\udfff单位"', "report"),
        "item-title-run-json": ("    title: 大会测评", '    title: "大会\\ud800测评"', "json"),
        "item-title-run-csv": ("    title: 大会测评", '    title: "大会\\udc80测评"', "csv"),
        "item-title-xlsx": ("    title: 大会测评", '    title: "大会\\ud800测评"', "xlsx"),
        "veto-title-report": ("title: 发生重大医疗事故, when", 'title: "发生\\ud83d医疗事故", when', "report"),
        "key": ("    title: 测评分", '    "ti\\ud800tle": 测评分', "validate"),
        "formula": ("formula: mean(vote)", 'formula: "mean(vote\\ud800)"', "validate"),
        "high-and-low-swapped": ('title: 厅直单位年度工作考核', 'title: "\\udc00\\ud800"', "run"),
    }
    commands = {"validate": lambda f: ["validate", f], "run": run_md, "json": run_json,
                "csv": lambda f: ["run", f, "--data", "data", "--format", "csv"],
                "xlsx": lambda f: ["run", f, "--data", "data", "--format", "xlsx", "--out", "r.xlsx"],
                "report": lambda f: ["report", f, "--data", "data", "--out", "out"]}
    for label, (old, new, command) in surrogates.items():
        changed = text.replace(old, new, 1)
        yield Case(f"loader/lone-surrogate/{label}", "loader", scheme_case(changed, command=commands[command]),
                   names=(at_line(WS_FILE, line_of(changed, new)),))
    del item_line, key_line

    # Not UTF-8.
    encodings = {"gbk": "gbk", "gb18030": "gb18030", "big5": "big5", "utf-16-bom": "utf-16", "utf-16-le-no-bom": "utf-16-le",
                 "utf-32": "utf-32", "latin-1": "latin-1"}
    latin = text.replace("厅直单位年度工作考核", "café", 1).encode("utf-8").decode("utf-8")
    for label, encoding in encodings.items():
        source = latin if encoding == "latin-1" else text
        raw = source.encode(encoding, "replace")
        accepted = (1, 0) if encoding.startswith("utf-16") or encoding == "utf-32" else (1,)
        yield Case(f"loader/encoding/{label}", "loader", scheme_case(raw), exit=accepted,
                   names=(at_line(WS_FILE), "UTF-8"))
    raw = text.encode("utf-8")
    yield Case("loader/encoding/invalid-byte-in-comment", "loader", scheme_case(raw.replace("一票否决".encode(), b"\xff\xfe", 1)),
               names=(at_line(WS_FILE), "UTF-8"))
    yield Case("loader/encoding/truncated-multibyte-at-end", "loader", scheme_case(raw + "测".encode()[:2]),
               names=(at_line(WS_FILE), "UTF-8"))
    yield Case("loader/encoding/gbk-run", "loader", scheme_case(text.encode("gbk"), command=run_md), names=(at_line(WS_FILE), "UTF-8"))

    # Files that are not schemes at all.
    misc: dict[str, tuple[bytes, tuple[str, ...]]] = {
        "empty-file": (b"", (at_line(WS_FILE),)),
        "only-comments": (b"# nothing\n# here\n", (at_line(WS_FILE),)),
        "top-level-list": (b"- a\n- b\n", (at_line(WS_FILE, 1),)),
        "top-level-scalar": (b"hello\n", (at_line(WS_FILE, 1),)),
        "random-binary": (bytes(range(256)) * 4, (at_line(WS_FILE),)),
        "undefined-alias": (raw + b"x: *nowhere\n", (at_line(WS_FILE, text.count("\n") + 1),)),
        "recursive-anchor": (raw + b"x: &r [*r]\n", (at_line(WS_FILE, text.count("\n") + 1),)),
        "tab-indent": (raw.replace(b"    title: \xe6\xb5\x8b\xe8\xaf\x84\xe5\x88\x86", b"\ttitle: x", 1), (at_line(WS_FILE),)),
        "unterminated-quote": (raw + b'x: "abc\n', (at_line(WS_FILE),)),
        "xlsx-as-scheme": (b"PK\x03\x04" + b"\x00" * 100, (at_line(WS_FILE),)),
    }
    for label, (content, must) in misc.items():
        yield Case(f"loader/not-a-scheme/{label}", "loader", scheme_case(content), names=must)
    yield Case("loader/not-a-scheme/missing-file", "loader", lambda folder: ["validate", "nope.yaml"], names=(at_line("nope.yaml"),))
    yield Case("loader/not-a-scheme/empty-folder", "loader", lambda folder: (folder / "empty").mkdir() or ["run", "empty", "--data", "."],
               names=("empty",))

    def fifo_scheme(folder: Path) -> list[str]:
        os.mkfifo(folder / "fifo.yaml")
        return ["validate", "fifo.yaml"]

    def devzero_scheme(folder: Path) -> list[str]:
        (folder / "zero.yaml").symlink_to("/dev/zero")
        return ["validate", "zero.yaml"]

    def folder_scheme(folder: Path) -> list[str]:
        (folder / "dir.yaml").mkdir()
        return ["run", "dir.yaml", "--data", "."]

    yield Case("loader/not-a-scheme/fifo", "loader", fifo_scheme, names=(at_line("fifo.yaml"),))
    yield Case("loader/not-a-scheme/symlink-to-dev-zero", "loader", devzero_scheme, names=(at_line("zero.yaml"),))
    yield Case("loader/not-a-scheme/folder-named-yaml", "loader", folder_scheme, names=(at_line("dir.yaml"),))


# ---------------------------------------------------------------------------
# Numbers (literals in the scheme and on the command line)


HUGE = {"10e400": "1" + "0" * 400, "2e1024": str(2**1024), "minus-10e400": "-1" + "0" * 400}


def number_cases() -> t.Iterator[Case]:
    for label, digits in HUGE.items():
        places: dict[str, t.Callable[[dict[str, t.Any]], None]] = {
            "max": lambda tree: tree["items"][0].__setitem__("max", "@"),
            "range": lambda tree: tree["inputs"]["vote"].__setitem__("range", [0, "@"]),
            "param": lambda tree: tree["params"]["p"].__setitem__("value", "@"),
            "grade-band": lambda tree: tree["grades"][0]["bands"][0].__setitem__("ge", "@"),
            "tier-band": lambda tree: tree["items"][1]["tiers"]["bands"][0].__setitem__("ge", "@"),
            "tier-points": lambda tree: tree["items"][1]["tiers"]["bands"][0].__setitem__("points", "@"),
            "ranking-count": lambda tree: tree["rankings"][0]["tiers"][0].__setitem__("count", "@"),
            "precision": lambda tree: tree.__setitem__("precision", "@"),
            "rescale-full": lambda tree: tree.__setitem__("rescale", {"full": "@"}),
            "deadline-days": lambda tree: tree.__setitem__("reports", {"deadline_days": "@"}),
        }
        for place, edit in places.items():
            tree = ws_extended()
            edit(tree)
            text = dump(tree).replace("'@'", digits)
            line = line_of(text, digits)
            command = run_json if place in ("ranking-count", "precision", "tier-points") else (lambda f: ["validate", f])
            if place == "deadline-days":
                command = lambda f: ["report", f, "--data", "data", "--out", "out"]  # noqa: E731
            yield Case(f"numbers/huge-literal/{label}-at-{place}", "numbers", scheme_case(text, command=command),
                       names=(at_line(WS_FILE, line),))
    # Found by tests/test_fuzz.py: a ranking share so small its exact fraction overflows (OverflowError in rank.py).
    for label, share in {"1e-290": "1.0e-290", "5e-324": "5.0e-324", "1e-20": "1.0e-20"}.items():
        tree = ws_extended()
        tree["rankings"][0]["tiers"] = [{"label": "先进单位", "share": "@"}]
        text = dump(tree).replace("'@'", share)
        yield Case(f"numbers/tiny-share/ranking-share-{label}", "numbers", scheme_case(text, command=run_json), exit=(0, 1),
                   names=(at_line(WS_FILE, line_of(text, share)),))
    # Infinite and not-a-number floats written in YAML.
    for label, value in {"inf": ".inf", "minus-inf": "-.inf", "nan": ".nan", "1e400": "1.0e+400"}.items():
        for place in ("max", "range", "param"):
            tree = ws_extended()
            {"max": lambda: tree["items"][0].__setitem__("max", "@"), "range": lambda: tree["inputs"]["vote"].__setitem__("range", [0, "@"]),
             "param": lambda: tree["params"]["p"].__setitem__("value", "@")}[place]()
            text = dump(tree).replace("'@'", value)
            line = line_of(text, value)
            # Infinity means "no bound" for a max or a range (the engine's own hint says so); nowhere else.
            codes = (0, 1) if place in ("max", "range") and label in ("inf", "1e400") else (1,)
            yield Case(f"numbers/not-finite/{label}-at-{place}", "numbers", scheme_case(text, command=run_json), exit=codes,
                       names=("|".join(at_line(WS_FILE, n) for n in (line - 2, line - 1, line)),))
    # --set with values a number cannot hold, or YAML that is not a value.
    sets = {
        "huge-int-max": ("assembly.max=" + HUGE["10e400"], (1,)),
        "huge-int-param": ("params.p.value=" + HUGE["2e1024"], (1,)),
        "inf-max": ("assembly.max=.inf", (0, 1)),
        "nan-param": ("params.p.value=.nan", (1,)),
        "impossible-date": ("params.p.value=2024-02-30", (1,)),
        "impossible-date-x": ("x=2024-02-30", (1,)),
        "date-max": ("assembly.max=2024-01-01", (1,)),
        "python-tag": ("assembly.max=!!python/name:os.system", (1,)),
        "unknown-tag": ("assembly.max=!foo 1", (1,)),
        "tagged-non-number": ("assembly.max=!!int abc", (1,)),
        "deep-nesting": ("assembly.max=" + "[" * 5000 + "]" * 5000, (1,)),
        "alias": ("assembly.max=*a", (1,)),
        "control-char": ("assembly.title=a\x07b", (1, 0)),
        "lone-surrogate": ('assembly.title="\\ud800"', (1,)),
        "empty-path": ("=5", (1,)),
        "dot-path": (".=5", (1,)),
        "index-only": ("[0]=5", (1,)),
        "no-equals": ("assembly.max", (1,)),
        "index-out-of-range": ("items[99].max=1", (1,)),
        "huge-index": ("items[" + "9" * 400 + "].max=1", (1,)),
        "into-a-scalar": ("assembly.max.x=1", (1,)),
        "item-becomes-number": ("assembly=5", (1,)),
        "items-becomes-mapping": ("items={}", (1,)),
    }
    for label, (assignment, codes) in sets.items():
        yield Case(f"numbers/set/{label}", "numbers",
                   scheme_case(dump(ws_extended()), command=lambda f, a=assignment: ["diff", f, "--data", "data", "--set", a]),
                   exit=codes, names=("--set",))


# ---------------------------------------------------------------------------
# Expressions


def _formula(formula: str, *, site: str = "item", command: t.Callable[[str], list[str]] = run_json) -> Build:
    tree = ws_extended()
    if site == "item":
        tree["items"][0]["formula"] = formula
    elif site == "veto":
        tree["vetoes"][0]["when"] = formula
    elif site == "grade":
        tree["grades"][0]["of"] = formula
    elif site == "tiers":
        tree["items"][1]["tiers"]["value"] = formula
    elif site == "action":
        tree["actions"] = [{"id": "act", "title": "措施", "when": formula}]
    elif site == "among":
        tree["rankings"][0]["among"] = formula
    return scheme_case(dump(tree), command=command)


def expression_cases() -> t.Iterator[Case]:
    located = (rf"{re.escape(WS_FILE)}:\d+:\d+",)
    bad = {
        "power-tower-9-9-9": "9**9**9",
        "power-10-400": "10**400",
        "power-2-1024": "2**1024",
        "float-power-10-400": "10.0**400",
        "mean-power-tower": "mean(vote)**9**9",
        "huge-literal": "mean(vote) + " + "1" + "0" * 400,
        "huge-literal-times-zero": "1" + "0" * 400 + " * 0 + mean(vote)",
        "float-literal-1e400": "mean(vote) + 1e400",
        "round-400": "round(mean(vote), 400)",
        "round-minus-400": "round(mean(vote), -400)",
        "round-10-20": "round(mean(vote), 10**20)",
        "round-huge-literal": "round(mean(vote), " + "9" * 30 + ")",
        "trimmed-mean-10-20": "trimmed_mean(vote, 10**20)",
        "trimmed-mean-huge-literal": "trimmed_mean(vote, " + "9" * 30 + ")",
        "trimmed-mean-minus-1": "trimmed_mean(vote, -1)",
        "invert": "~mean(vote)",
        "invert-constant": "mean(vote) + ~1",
        "sum-300-terms": " + ".join(["mean(vote)"] * 300),
        "sum-2000-terms": " + ".join(["mean(vote)"] * 2000),
        "product-500-factors": " * ".join(["1"] * 500) + " * mean(vote)",
        "unary-minus-300": "-" * 300 + "mean(vote)",
        "unary-minus-3000": "-" * 3000 + "mean(vote)",
        "parentheses-300": "(" * 300 + "mean(vote)" + ")" * 300,
        "parentheses-3000": "(" * 3000 + "mean(vote)" + ")" * 3000,
        "nested-calls-300": "abs(" * 300 + "mean(vote)" + ")" * 300,
        "nested-where-300": "where(major_case, " * 300 + "mean(vote)" + ", 0)" * 300,
        "max-300-args": "max(" + ", ".join(["mean(vote)"] * 300) + ")",
        "shift": "mean(vote) << 2",
        "xor": "mean(vote) ^ 2",
        "matmul": "mean(vote) @ 2",
        "string-times-huge": "'a' * 10**9",
        "long-string": "mean(vote) + len('" + "a" * 100_000 + "')",
        "lambda": "(lambda: 1)()",
        "attribute": "vote.__class__",
        "dunder-name": "__import__('os')",
        "walrus": "(x := 1)",
        "many-statements": "mean(vote); 50",
        "null-byte": "mean(vote)\x00",
        "lone-surrogate": "mean(vote) + \ud800",
        # Found by tests/test_fuzz.py: integers just outside int64.
        "int64-min-minus-1": "-9223372036854775809",  # (a number: a score or a located error, never a crash)
        "int64-max-plus-1": "9223372036854775808",
        "int64-overflow-plus-mean": "mean(vote) + 9223372036854775808",
    }
    for label, formula in bad.items():
        codes = (1, 0) if label.startswith("int64") else (1,)
        yield Case(f"expressions/formula/{label}", "expressions", _formula(formula), exit=codes, names=located)
    # Valid but numerically hostile: no traceback whatever the answer (division by zero is a located error or NaN).
    hostile = {"divide-by-zero": "mean(vote) / 0", "modulo-zero": "mean(vote) % 0", "floor-divide-zero": "mean(vote) // 0",
               "zero-to-minus-1": "0 ** -1 + mean(vote)", "negative-root": "(-8) ** 0.5 + mean(vote)",
               "overflow-to-inf": "mean(vote) * 1e308 * 10", "trimmed-mean-more-than-raters": "trimmed_mean(vote, 100)",
               "power-0-5-of-negative-mean": "(mean(vote) - 1000) ** 0.5"}
    for label, formula in hostile.items():
        yield Case(f"expressions/hostile/{label}", "expressions", _formula(formula), exit=(1, 0), names=located)
    # Constant expressions where a column is expected: they must become a full column (exit 0).
    constants = {
        "veto/where-true": ("veto", "where(True, True, False)"),
        "veto/if-else": ("veto", "True if True else False"),
        "veto/round-compare": ("veto", "round(1) > 0"),
        "veto/true": ("veto", "True"),
        "veto/not-false": ("veto", "not False"),
        "veto/comparison": ("veto", "1 > 0"),
        "veto/where-of-where": ("veto", "where(True, where(False, True, False), True)"),
        "grade/where": ("grade", "where(True, 95, 10)"),
        "grade/round": ("grade", "round(95.5)"),
        "grade/if-else": ("grade", "95 if True else 1"),
        "grade/number": ("grade", "100"),
        "tiers/where": ("tiers", "where(True, 95, 0)"),
        "tiers/round": ("tiers", "round(95)"),
        "tiers/if-else": ("tiers", "95 if True else 0"),
        "item/where": ("item", "where(True, 95, 0)"),
        "item/round": ("item", "round(95.4)"),
        "action/where": ("action", "where(True, True, False)"),
        "action/if-else": ("action", "False if True else True"),
        "among/where": ("among", "where(True, True, False)"),
        "among/round": ("among", "round(1) == 1"),
    }
    for label, (site, formula) in constants.items():
        yield Case(f"expressions/constant/{label}", "expressions", _formula(formula, site=site), exit=(0,))
        if site in ("veto", "grade"):
            yield Case(f"expressions/constant/{label}-report", "expressions",
                       _formula(formula, site=site, command=lambda f: ["report", f, "--data", "data", "--out", "out"]),
                       exit=(0,), outputs=("out", "out/*"))
    # Checked sites other than formulas.
    for site in ("veto", "grade", "tiers", "action", "among"):
        for label, formula in {"invert": "~major_case" if site in ("veto", "action", "among") else "~mean(vote)",
                               "power-tower": "9**9**9 > 1" if site in ("veto", "action", "among") else "9**9**9",
                               "sum-2000": " + ".join(["mean(vote)"] * 2000) + (" > 0" if site in ("veto", "action", "among") else ""),
                               "not-3000": "not " * 3000 + "major_case" if site in ("veto", "action", "among") else "-" * 3000 + "mean(vote)"}.items():
            yield Case(f"expressions/{site}/{label}", "expressions", _formula(formula, site=site), names=located)


# ---------------------------------------------------------------------------
# Command-line values


def _ws(command: t.Callable[[str], list[str]], name: str = WS) -> Build:
    return scheme_case(shipped_text(name), data=name, file=f"{name}.yaml", command=command)


def cli_cases() -> t.Iterator[Case]:
    report = lambda extra: (lambda f: ["report", f, "--data", "data", "--out", "out", *extra])  # noqa: E731
    for scheme in (WS, FACTORY):
        for label, date in {"9999-12-31": "9999-12-31", "0001-01-01": "0001-01-01", "feb-30": "2024-02-30", "month-13": "2024-13-01",
                            "text": "明天", "year-99999": "99999-01-01", "empty": ""}.items():
            # A date that cannot be read, or runs past 9999 once the 公示 days are added: a bad option value, exit 2.
            codes = (2, 0) if label in ("0001-01-01", "empty") else (2,)
            yield Case(f"cli/report-date/{scheme}-{label}", "cli", _ws(report(["--date", date]), scheme), exit=codes,
                       names=("--date",), outputs=("out", "out/*") if codes != (2,) else ())
    sweeps = {"nan-start": "assembly.max=NaN:1:0.1", "snan-start": "assembly.max=sNaN:1:1", "nan-step": "assembly.max=1:2:NaN",
              "inf-stop": "assembly.max=1:Infinity:1", "minus-inf-start": "assembly.max=-Infinity:1:1",
              "1e400-no-advance": "assembly.max=1e400:1e400:1", "1e30-no-advance": "assembly.max=1e30:1e30:1e-10",
              "zero-step": "assembly.max=1:2:0", "negative-step": "assembly.max=1:2:-1", "tiny-step": "assembly.max=1:2:1e-400",
              "too-many-points": "assembly.max=1:1000000:1", "text": "assembly.max=a:b:c", "two-parts": "assembly.max=1:2",
              "four-parts": "assembly.max=1:2:3:4", "bad-path": "nope.max=1:2:1", "no-path": "=1:2:1",
              "huge-exponent": "assembly.max=1e999999999:1e999999999:1"}
    for label, sweep in sweeps.items():
        yield Case(f"cli/sweep/{label}", "cli", _ws(lambda f, s=sweep: ["diff", f, "--data", "data", "--sweep", s]),
                   names=("--sweep",) if label not in ("bad-path", "no-path") else ("nope|--sweep|--set",))
    # `new` into places it cannot write, or with names it cannot use.
    root = os.geteuid() == 0 if hasattr(os, "geteuid") else False

    def readonly(folder: Path) -> list[str]:
        (folder / "ro").mkdir()
        (folder / "ro").chmod(0o555)
        return ["new", "abc", "--dir", "ro"]

    yield Case("cli/new/dir-read-only", "cli", readonly, names=("ro",),
               skip="a read-only folder is writable by root" if root else None)

    def under_file(folder: Path) -> list[str]:
        (folder / "plain.txt").write_text("x")
        return ["new", "abc", "--dir", "plain.txt/sub"]

    yield Case("cli/new/dir-under-a-file", "cli", under_file, names=("plain.txt",))

    def dir_is_file(folder: Path) -> list[str]:
        (folder / "plain.txt").write_text("x")
        return ["new", "abc", "--dir", "plain.txt"]

    yield Case("cli/new/dir-is-a-file", "cli", dir_is_file, names=("plain.txt",))
    yield Case("cli/new/dir-dev-full", "cli", lambda folder: ["new", "abc", "--dir", "/dev/full"], names=("/dev/full",))

    def exists(folder: Path) -> list[str]:
        (folder / "schemes" / "abc").mkdir(parents=True)
        (folder / "schemes" / "abc" / "abc.yaml").write_text("mine: keep\n")
        return ["new", "abc"]

    yield Case("cli/new/already-exists", "cli", exists, names=("abc",))
    for label, name in {"empty-name": "", "dot-dot": "..", "slash": "a/b", "control-char": "a\x07b", "absolute": "/tmp/kaohe-corpus-x",
                        "dash": "-", "very-long": "名" * 300}.items():
        yield Case(f"cli/new/name-{label}", "cli", lambda folder, n=name: ["new", n, "--dir", "s"], exit=(1, 2), names=("new|名|name",))
    yield Case("cli/new/from-missing", "cli", lambda folder: ["new", "abc", "--from", "nope", "--dir", "s"], names=("nope",))
    yield Case("cli/new/from-broken-scheme", "cli",
               scheme_case(b"kaohe: 1\nid: [\n", data=None, file="bad.yaml", command=lambda f: ["new", "abc", "--from", f, "--dir", "s"]),
               names=(at_line("bad.yaml"),))
    yield Case("cli/new/bad-id", "cli", lambda folder: ["new", "abc", "--id", "Bad Id!", "--dir", "s"], exit=(1, 2), names=("--id|Bad Id",))
    # template values.
    for label, units in {"negative": "-1", "zero": "0", "huge": "1000000000000", "text": "many"}.items():
        codes = (2,) if label == "text" else ((1, 0) if label == "zero" else (1,))
        yield Case(f"cli/template/units-{label}", "cli", _ws(lambda f, u=units: ["template", f, "--out", "t.xlsx", "--units", u]),
                   exit=codes, names=("--units",), outputs=("t.xlsx",))
    yield Case("cli/template/out-dev-full", "cli", _ws(lambda f: ["template", f, "--out", "/dev/full/t.xlsx"]), names=("/dev/full",))
    # Other options and values.
    yield Case("cli/explain/unknown-unit", "cli", _ws(lambda f: ["explain", f, "--data", "data", "--unit", "W99"]), names=("--unit",))
    yield Case("cli/explain/control-char-unit", "cli", _ws(lambda f: ["explain", f, "--data", "data", "--unit", "W\x071"]), names=("--unit",))
    yield Case("cli/results/not-json", "cli",
               scheme_case(shipped_text(WS), extra={"r.json": "{not json"},
                           command=lambda f: ["run", f, "--data", "data", "--results", "r.json"]), names=("r.json",))
    yield Case("cli/results/deep-json", "cli",
               scheme_case(shipped_text(WS), extra={"r.json": "[" * 100_000 + "]" * 100_000},
                           command=lambda f: ["run", f, "--data", "data", "--results", "r.json"]), names=("r.json",))
    yield Case("cli/results/huge-number-json", "cli",
               scheme_case(shipped_text(WS), extra={"r.json": '{"scheme": {"id": 1' + "0" * 5000 + '}, "units": []}'},
                           command=lambda f: ["run", f, "--data", "data", "--results", "r.json"]), exit=(1, 0), names=("r.json",))
    yield Case("cli/usage/unknown-option", "cli", _ws(lambda f: ["run", f, "--data", "data", "--fromat", "json"]), exit=(2,), names=("--fromat",))
    yield Case("cli/usage/period-control-char", "cli", _ws(lambda f: ["run", f, "--data", "data", "--period", "2024\x07", "--record"]),
               exit=(1, 0), names=("--period",), outputs=("kaohe-history.sqlite*",))


def stdout_cases() -> t.Iterator[Case]:
    """The process's own stdout closed (``>&-``) or full (/dev/full): a quiet exit 1."""
    commands = {
        "run-md": lambda f: ["run", f, "--data", "data"],
        "run-json": lambda f: ["run", f, "--data", "data", "--format", "json"],
        "validate": lambda f: ["validate", f],
        "show": lambda f: ["show", f],
        "explain": lambda f: ["explain", f, "--data", "data", "--unit", "W1"],
        "help": lambda f: ["run", "--help"],
    }
    for mode in ("closed", "full"):
        for label, command in commands.items():
            # --help and validate have nothing to lose but their text; the others' output is the product.
            codes = (1, 0) if label == "help" or (label == "validate" and mode == "closed") else (1,)
            yield Case(f"stdout/{mode}/{label}", "stdout", _ws(command), mode=mode, exit=codes)


# ---------------------------------------------------------------------------
# extends: add / remove / override


def extends_cases() -> t.Iterator[Case]:
    parent = shipped_text(WS)
    item = {"id": "extra", "title": "新增", "max": 5, "formula": "mean(vote) / 20"}

    def child(body: str, file: str = "child.yaml", command: t.Callable[[str], list[str]] = run_json,
              parent_bytes: bytes | None = None) -> Build:
        def build(folder: Path) -> list[str]:
            (folder / "s").mkdir()
            (folder / "s" / WS_FILE).write_bytes(parent_bytes if parent_bytes is not None else parent.encode())
            (folder / "s" / file).write_text(f"extends: {WS_FILE}\nid: child\ntitle: 子方案\n" + body, encoding="utf-8")
            copy_data(WS, folder)
            return command(f"s/{file}")
        return build

    flow = yaml.safe_dump(item, allow_unicode=True, default_flow_style=True, width=10_000).strip()
    bodies = {
        "add-after-items-emptied": f"items: {{}}\nadd:\n  - {{to: items, item: {flow}}}\n",
        "add-to-a-list": f"add:\n  - {{to: [items], item: {flow}}}\n",
        "add-to-a-mapping": f"add:\n  - {{to: {{a: 1}}, item: {flow}}}\n",
        "add-to-unknown": f"add:\n  - {{to: nowhere, item: {flow}}}\n",
        "add-to-an-item": f"add:\n  - {{to: assembly, item: {flow}}}\n",
        "add-item-a-number": "add:\n  - {to: items, item: 5}\n",
        "add-item-a-list": "add:\n  - {to: items, item: [1, 2]}\n",
        "add-without-item": "add:\n  - {to: items}\n",
        "add-without-to": f"add:\n  - {{item: {flow}}}\n",
        "add-a-number": "add: 5\n",
        "add-a-mapping": f"add: {{to: items, item: {flow}}}\n",
        "add-entry-a-string": "add: [items]\n",
        "add-duplicate-id": "add:\n  - {to: items, item: {id: assembly, title: 重复, max: 1, formula: '1'}}\n",
        "add-after-unknown": f"add:\n  - {{to: items, after: nope, item: {flow}}}\n",
        "add-after-and-before": f"add:\n  - {{to: items, after: assembly, before: assembly, item: {flow}}}\n",
        "add-after-a-list": f"add:\n  - {{to: items, after: [assembly], item: {flow}}}\n",
        "add-item-without-id": "add:\n  - {to: items, item: {title: 无编号, max: 1, formula: '1'}}\n",
        "add-to-vetoes-an-item-list": "vetoes: 5\nadd:\n  - {to: vetoes, item: {id: v9, title: 否决, when: major_case}}\n",
        "remove-a-mapping-entry": "remove: [{id: assembly}]\n",
        "remove-a-string": "remove: assembly\n",
        "remove-unknown": "remove: [nope]\n",
        "remove-a-number": "remove: [5]\n",
        "remove-nested-list": "remove: [[assembly]]\n",
        "remove-everything": "remove: [assembly, veto_case, veto_medical, veto_safety, veto_birth, advanced]\n",
        "override-a-number": "override: {assembly: 5}\n",
        "override-a-list": "override: [1, 2]\n",
        "override-unknown": "override: {nope: {max: 1}}\n",
        "override-items-scalar": "override: {assembly: {items: 5}}\n",
        "override-id": "override: {assembly: {id: other}}\n",
        "override-null": "override: {assembly: null}\n",
        "override-huge-max": "override: {assembly: {max: " + HUGE["10e400"] + "}}\n",
        "override-string": "override: assembly\n",
        "inputs-a-number": "inputs: 5\n",
        "inputs-a-list": "inputs: [vote]\n",
        "params-a-list": "params: [1]\n",
        "dimensions-null": "dimensions: null\n",
        "input-a-number": "inputs: {vote: 5}\n",
    }
    for label, body in bodies.items():
        codes = (1, 0) if label in ("remove-everything", "add-after-and-before") else (1,)
        # Where the resolved scheme is what is wrong (an item given items, no items left), the parent's line will do.
        where = r"(child|weisheng-ting)\.yaml:\d+" if label in ("add-to-an-item", "remove-everything") else r"child\.yaml:\d+"
        yield Case(f"extends/{label}", "extends", child(body), exit=codes, names=(where,))
    # The extends value itself.
    def bad_extends(value: str, label: str, names: tuple[str, ...] = (r"child\.yaml:1\b",)) -> Case:
        def build(folder: Path) -> list[str]:
            (folder / "s").mkdir()
            (folder / "s" / WS_FILE).write_text(parent, encoding="utf-8")
            (folder / "s" / "child.yaml").write_text(f"extends: {value}\nid: child\n", encoding="utf-8")
            (folder / "s" / "loop.yaml").write_text("extends: child.yaml\nid: loop\n", encoding="utf-8")
            copy_data(WS, folder)
            return run_json("s/child.yaml")
        return Case(f"extends/extends-{label}", "extends", build, names=(r"(child|loop)\.yaml:1\b",) if label == "cycle" else names)

    for label, value in {"number": "5", "empty": "''", "list": f"[{WS_FILE}]", "etc-passwd": "/etc/passwd",
                         "outside": "../../../etc/hosts", "self": "child.yaml", "cycle": "loop.yaml", "missing": "nope.yaml",
                         "folder": ".", "dev-zero": "/dev/zero", "huge-path": "a" * 5000 + ".yaml", "control-char": '"a\\x07.yaml"'}.items():
        yield bad_extends(value, label)
    # A broken parent: the error names the parent's file and line.
    broken = parent.replace("title: 厅直单位年度工作考核", "title: 厅直\x07单位", 1).encode()
    yield Case("extends/parent-control-char", "extends", child("", parent_bytes=broken),
               names=(at_line(WS_FILE, line_of(parent, "title: 厅直单位年度工作考核")),))
    yield Case("extends/parent-gbk", "extends", child("", parent_bytes=parent.encode("gbk")), names=(re.escape(WS_FILE), "UTF-8"))
    yield Case("extends/parent-python-tag", "extends",
               child("", parent_bytes=parent.replace("title: 厅直单位年度工作考核", "title: !!python/name:os.system", 1).encode()),
               names=(at_line(WS_FILE, line_of(parent, "title: 厅直单位年度工作考核")), "python/name"))
    yield Case("extends/show-changes-broken-override", "extends",
               child("override: {assembly: 5}\n", command=lambda f: ["show", f, "--changes"]), names=(rf"child\.yaml:\d+",))


# ---------------------------------------------------------------------------
# Outputs that would overwrite inputs


def overwrite_cases() -> t.Iterator[Case]:
    units = f"data/{WS_UNITS}"
    yield Case("overwrite/run-csv-onto-data-file", "overwrite",
               _ws(lambda f: ["run", f, "--data", "data", "--format", "csv", "--out", units]), names=(re.escape(WS_UNITS),))
    yield Case("overwrite/run-csv-onto-data-file-given-by-name", "overwrite",
               _ws(lambda f: ["run", f, "--data", units, f"data/{WS_VOTES}", "--format", "csv", "--out", units]), names=(re.escape(WS_UNITS),))
    yield Case("overwrite/run-csv-onto-data-file-other-spelling", "overwrite",
               _ws(lambda f: ["run", f, "--data", "data", "--format", "csv", "--out", f"./data/../data/{WS_UNITS}"]), names=(re.escape(WS_UNITS),))

    def via_link(folder: Path) -> list[str]:
        argv = _ws(lambda f: ["run", f, "--data", "data", "--format", "csv", "--out", "link.csv"])(folder)
        (folder / "link.csv").symlink_to(Path("data") / WS_UNITS)
        return argv

    yield Case("overwrite/run-csv-onto-data-file-through-a-symlink", "overwrite", via_link, names=(r"link\.csv|" + re.escape(WS_UNITS),))
    for name, book in ((JFZ, "奖惩.xlsx"), (WLMQ, "考核评分.xlsx")):
        yield Case(f"overwrite/run-xlsx-onto-data-workbook-{name}", "overwrite",
                   _ws(lambda f, b=book: ["run", f, "--data", "data", "--format", "xlsx", "--out", f"data/{b}"], name),
                   names=(re.escape(book),))
        yield Case(f"overwrite/template-onto-data-workbook-{name}", "overwrite",
                   _ws(lambda f, b=book: ["template", f, "--out", f"data/{b}"], name), names=(re.escape(book),))
    # The scheme itself, as an output of its own format.
    for fmt, file in (("json", "s.json"), ("md", "s.md"), ("csv", "s.csv")):
        yield Case(f"overwrite/run-{fmt}-onto-the-scheme", "overwrite",
                   scheme_case(shipped_text(WS), file=file, command=lambda f, m=fmt: ["run", f, "--data", "data", "--format", m, "--out", f]),
                   names=(re.escape(file),))
    yield Case("overwrite/diff-md-onto-the-scheme", "overwrite",
               scheme_case(shipped_text(WS), file="s.md", command=lambda f: ["diff", f, "--data", "data", "--set", "assembly.max=90", "--out", f]),
               names=(r"s\.md",))
    yield Case("overwrite/run-json-onto-its-results-input", "overwrite",
               scheme_case(shipped_text(WS), extra={"r.json": '{"scheme": {"id": "other"}, "units": []}'},
                           command=lambda f: ["run", f, "--data", "data", "--results", "r.json", "--format", "json", "--out", "r.json"]),
               names=(r"r\.json",))
    yield Case("overwrite/run-md-onto-a-test-file", "overwrite",
               scheme_case(shipped_text(WS), extra={"tests/cases.md": "cases: []\n"},
                           command=lambda f: ["run", f, "--data", "data", "--out", "tests/cases.md"]), exit=(1, 0),
               names=(r"cases\.md",), outputs=("tests/cases.md",))
    yield Case("overwrite/history-onto-a-data-file", "overwrite",
               _ws(lambda f: ["run", f, "--data", "data", "--period", "2024", "--record", "--history", units]), names=(re.escape(WS_UNITS),))
    yield Case("overwrite/run-csv-onto-the-history", "overwrite",
               _ws(lambda f: ["run", f, "--data", "data", "--format", "csv", "--out", "h.csv", "--period", "2024", "--record", "--history", "h.csv"]),
               names=(r"h\.csv",))
    def votes_as_results_xlsx(folder: Path) -> list[str]:
        # The votes kept as data/results.xlsx: `report --out data` would write its results.xlsx over them.
        argv = _ws(lambda f: ["report", f, "--data", "data", "--out", "data"])(folder)
        votes = (folder / "data" / WS_VOTES).read_text(encoding="utf-8-sig").splitlines()
        (folder / "data" / "results.xlsx").write_bytes(_xlsx_bytes({"大会测评": [_typed(line.split(",")) for line in votes]}))
        (folder / "data" / WS_VOTES).unlink()
        return argv

    yield Case("overwrite/report-into-the-data-folder-onto-a-data-workbook", "overwrite", votes_as_results_xlsx,
               names=(r"results\.xlsx|--out",))


# ---------------------------------------------------------------------------
# Partial output


def _no_control_chars_in_workbooks(folder: Path) -> list[str]:
    import openpyxl

    complaints = []
    for book in folder.rglob("*.xlsx"):
        if "data" in book.parts:
            continue
        workbook = openpyxl.load_workbook(book, read_only=True)
        for sheet in workbook.worksheets:
            for row in sheet.iter_rows(values_only=True):
                for value in row:
                    if isinstance(value, str) and re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", value):
                        complaints.append(f"{book.name}[{sheet.title}]: control character left in {value!r}")
        workbook.close()
    return complaints


def partial_cases() -> t.Iterator[Case]:
    units_text = (SCHEMES / WS / "data" / WS_UNITS).read_bytes().decode("gbk")
    for label, char in {"bel": "\x07", "esc": "\x1b", "vt": "\x0b", "soh": "\x01", "us": "\x1f", "bs": "\x08"}.items():
        def build(folder: Path, c: str = char, command: str = "report") -> list[str]:
            _ws(lambda f: [])(folder)
            (folder / "data" / WS_UNITS).write_bytes(units_text.replace("省人民医院", f"省人民{c}医院").replace("省中医院", f"省中{c}医院").encode("gbk"))
            if command == "report":
                return ["report", WS_FILE, "--data", "data", "--out", "out"]
            return ["run", WS_FILE, "--data", "data", "--format", "xlsx", "--out", "r.xlsx"]
        yield Case(f"partial/unit-name-{label}/report", "partial", build, exit=(0, 1), names=(re.escape(WS_UNITS),),
                   outputs=("out", "out/*"), warn=r"警告|warning", check=_no_control_chars_in_workbooks)
        yield Case(f"partial/unit-name-{label}/run-xlsx", "partial", lambda folder, b=build: b(folder, command="xlsx"), exit=(0, 1),
                   names=(re.escape(WS_UNITS),), outputs=("r.xlsx",), warn=r"警告|warning", check=_no_control_chars_in_workbooks)
    # Control characters written as YAML escapes in the scheme's own strings.
    text = shipped_text(WS)
    for label, (old, new) in {"scheme-title": ("title: 厅直单位年度工作考核", 'title: "厅直\\a单位"'),
                              "item-title": ("    title: 大会测评", '    title: "大会\\e测评"'),
                              "veto-title": ("title: 发生重大医疗事故, when", 'title: "发生\\x01医疗事故", when'),
                              "ranking-label": ("label: 先进单位", 'label: "先进\\x1f单位"')}.items():
        changed = text.replace(old, new, 1)
        yield Case(f"partial/scheme-escape-{label}/report", "partial",
                   scheme_case(changed, command=lambda f: ["report", f, "--data", "data", "--out", "out"]), exit=(0, 1),
                   names=(at_line(WS_FILE, line_of(changed, new)),), outputs=("out", "out/*"), warn=r"警告|warning",
                   check=_no_control_chars_in_workbooks)
        yield Case(f"partial/scheme-escape-{label}/run-xlsx", "partial",
                   scheme_case(changed, command=lambda f: ["run", f, "--data", "data", "--format", "xlsx", "--out", "r.xlsx"]), exit=(0, 1),
                   names=(at_line(WS_FILE, line_of(changed, new)),), outputs=("r.xlsx",), warn=r"警告|warning",
                   check=_no_control_chars_in_workbooks)

    def not_a_folder(folder: Path) -> list[str]:
        return []

    del not_a_folder
    yield Case("partial/report-out-html-name", "partial", _ws(lambda f: ["report", f, "--data", "data", "--out", "r.html"]),
               exit=(0, 1), names=(r"r\.html",), outputs=("r.html", "r.html/*"))
    for scheme in (WS, FACTORY):
        yield Case(f"partial/report-notices-md-{scheme}", "partial",
                   _ws(lambda f: ["report", f, "--data", "data", "--out", "out", "--kind", "notices", "--format", "md"], scheme),
                   names=("notices",))
    yield Case("partial/report-out-under-a-file", "partial",
               scheme_case(shipped_text(WS), extra={"plain.txt": "x"}, command=lambda f: ["report", f, "--data", "data", "--out", "plain.txt/out"]),
               names=(r"plain\.txt",))
    yield Case("partial/report-out-dev-full", "partial", _ws(lambda f: ["report", f, "--data", "data", "--out", "/dev/full"]),
               names=("/dev/full",))

    def one_exists(folder: Path) -> list[str]:
        argv = _ws(lambda f: ["report", f, "--data", "data", "--out", "out"])(folder)
        (folder / "out").mkdir()
        (folder / "out" / "results.xlsx").mkdir()  # a folder where the last file goes: nothing may be written before
        return argv

    yield Case("partial/report-last-file-blocked", "partial", one_exists, names=(r"results\.xlsx|out",))


# ---------------------------------------------------------------------------
# History


def history_cases() -> t.Iterator[Case]:
    record = ["--period", "2024", "--record", "--history", "h.sqlite"]

    def with_file(command: t.Callable[[str], list[str]], *, blocker: bool = True) -> Build:
        def build(folder: Path) -> list[str]:
            argv = _ws(command)(folder)
            if blocker:
                (folder / "plain.txt").write_text("x")
            return argv
        return build

    yield Case("history/record-then-output-fails-json", "history",
               with_file(lambda f: ["run", f, "--data", "data", "--format", "json", "--out", "plain.txt/r.json", *record]), names=(r"plain\.txt",))
    yield Case("history/record-then-output-fails-csv-folder", "history",
               with_file(lambda f: ["run", f, "--data", "data", "--format", "csv", "--out", "plain.txt/sub/", *record]), names=(r"plain\.txt",))
    yield Case("history/record-then-xlsx-fails", "history",
               with_file(lambda f: ["run", f, "--data", "data", "--format", "xlsx", "--out", "/dev/full/r.xlsx", *record]), names=("/dev/full",))
    yield Case("history/record-report-fails", "history",
               with_file(lambda f: ["report", f, "--data", "data", "--out", "plain.txt/out", *record[:2], "--history", "h.sqlite"]),
               exit=(1, 2), names=(r"plain\.txt|--record",))
    yield Case("history/re-record-a-period", "history", _ws(lambda f: ["run", f, "--data", "data", *record]),
               pre=(("run", WS_FILE, "--data", "data", *record),), names=("2024",))
    yield Case("history/re-record-a-period-as-json", "history", _ws(lambda f: ["run", f, "--data", "data", "--format", "json", *record]),
               pre=(("run", WS_FILE, "--data", "data", *record),), names=("2024",))
    yield Case("history/store-is-a-folder", "history",
               scheme_case(shipped_text(WS), command=lambda f: ["run", f, "--data", "data", "--period", "2024", "--record", "--history", "data"]),
               names=("data",))
    yield Case("history/store-is-not-a-database", "history",
               scheme_case(shipped_text(WS), extra={"h.sqlite": bytes(range(256)) * 16},
                           command=lambda f: ["run", f, "--data", "data", *record]), names=(r"h\.sqlite",))
    yield Case("history/store-truncated-database", "history",
               scheme_case(shipped_text(WS), extra={"h.sqlite": b"SQLite format 3\x00" + b"\x00" * 84},
                           command=lambda f: ["run", f, "--data", "data", *record]), names=(r"h\.sqlite",))
    yield Case("history/store-dev-full", "history",
               _ws(lambda f: ["run", f, "--data", "data", "--period", "2024", "--record", "--history", "/dev/full"]), names=("/dev/full",))
    yield Case("history/store-under-a-file", "history",
               with_file(lambda f: ["run", f, "--data", "data", "--period", "2024", "--record", "--history", "plain.txt/h.sqlite"]),
               names=(r"plain\.txt",))
    yield Case("history/record-without-period", "history", _ws(lambda f: ["run", f, "--data", "data", "--record", "--history", "h.sqlite"]),
               names=("--period",))
    yield Case("history/record-empty-period", "history",
               _ws(lambda f: ["run", f, "--data", "data", "--period", "", "--record", "--history", "h.sqlite"]), names=("--period",))
    yield Case("history/period-lookup-in-broken-store", "history",
               scheme_case(shipped_text(FACTORY), data=FACTORY, file=f"{FACTORY}.yaml", extra={"h.sqlite": b"not a database" * 100},
                           command=lambda f: ["run", f, "--data", "data", "--period", "2024", "--history", "h.sqlite"]), names=(r"h\.sqlite",))


# ---------------------------------------------------------------------------
# Data files


def _xlsx_bytes(rows_by_sheet: dict[str, list[list[t.Any]]], merge: dict[str, list[str]] | None = None) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    first = True
    for title, rows in rows_by_sheet.items():
        sheet = book.active if first else book.create_sheet(title)
        sheet.title = title
        first = False
        for row in rows:
            sheet.append(row)
        for cells in (merge or {}).get(title, []):
            sheet.merge_cells(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _typed(row: list[str]) -> list[t.Any]:
    return [int(cell) if cell.isdigit() else cell for cell in row]


def _units_rows() -> list[list[str]]:
    text = (SCHEMES / WS / "data" / WS_UNITS).read_bytes().decode("gbk")
    return [line.split(",") for line in text.splitlines() if line]


def _zip_bomb() -> bytes:
    """A workbook whose sheet inflates to 2 GiB of spaces from a few MB."""
    good = zipfile.ZipFile(io.BytesIO(_xlsx_bytes({"厅直单位": _units_rows()})))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb:
        for info in good.infolist():
            content = good.read(info.filename)
            if info.filename.endswith("sheet1.xml"):
                # Stream 2 GiB of whitespace through the compressor inside the XML.
                head, tail = content.split(b"<sheetData>", 1)
                with bomb.open(info.filename, "w", force_zip64=True) as target:
                    target.write(head + b"<sheetData>")
                    block = b" " * (1 << 24)
                    for _ in range(128):
                        target.write(block)
                    target.write(tail)
            else:
                bomb.writestr(info.filename, content)
    return out.getvalue()


_BOMB: list[bytes] = []


def zip_bomb() -> bytes:
    if not _BOMB:
        _BOMB.append(_zip_bomb())
    return _BOMB[0]


def data_cases() -> t.Iterator[Case]:
    units_raw = (SCHEMES / WS / "data" / WS_UNITS).read_bytes()
    units_text = units_raw.decode("gbk")
    votes_raw = (SCHEMES / WS / "data" / WS_VOTES).read_bytes()
    votes_text = votes_raw.decode("utf-8-sig")

    def data_case(files: dict[str, bytes | t.Callable[[], bytes] | None], *, command: t.Callable[[str], list[str]] = run_json,
                  special: t.Callable[[Path], None] | None = None) -> Build:
        def build(folder: Path) -> list[str]:
            argv = _ws(command)(folder)
            for name, content in files.items():
                target = folder / "data" / name
                if content is None:
                    target.unlink()
                else:
                    target.write_bytes(content() if callable(content) else content)
            if special:
                special(folder / "data")
            return argv
        return build

    # Encodings of the unit list.
    for label, content in {
        "big5": units_text.encode("big5", "replace"),
        "utf-32": units_text.encode("utf-32"),
        "cp500-ebcdic": units_text.encode("cp500", "replace"),
        "double-encoded-utf8": units_text.encode("utf-8").decode("latin-1").encode("utf-8"),
        "mixed-utf8-gbk": units_text.encode("utf-8")[:60] + units_text[20:].encode("gbk"),
        "random-binary": bytes(range(256)) * 8,
        "nul-bytes": units_raw.replace(b",", b"\x00,", 3),
        "only-a-bom": b"\xef\xbb\xbf",
        "empty-file": b"",
        "utf-16-le-no-bom": units_text.encode("utf-16-le"),
    }.items():
        codes = (0, 1) if label in ("utf-16-le-no-bom", "utf-32") else (1,)
        yield Case(f"data/encoding/units-{label}", "data", data_case({WS_UNITS: content}), exit=codes, names=(re.escape(WS_UNITS),))
    # Workbooks that are not.
    good_book = _xlsx_bytes({"厅直单位": _units_rows()})
    for label, content in {
        "truncated": good_book[: len(good_book) // 2],
        "random-bytes": bytes(range(256)) * 20,
        "csv-named-xlsx": units_raw,
        "empty-zip": b"PK\x05\x06" + b"\x00" * 18,
        "ole-encrypted-header": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504,
        "zero-bytes": b"",
        "sheet-xml-truncated": _xlsx_patched(good_book, b"", b"", truncate=True),
        "sheet-xml-entity-expansion": _xlsx_patched(_xlsx_patched(good_book, "省人民医院".encode(), b"&i;"), b"<worksheet",
                                                    b'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">'
                                                    + b"".join(b'<!ENTITY %s "%s">' % (bytes([98 + i]), (b"&" + bytes([97 + i]) + b";") * 10)
                                                               for i in range(8)) + b"]><worksheet"),
        "workbook-xml-missing": _xlsx_without(good_book, "xl/workbook.xml"),
        "sheet-missing": _xlsx_without(good_book, "xl/worksheets/sheet1.xml"),
    }.items():
        # An entity expanded or not is both fine; a hang or a blow-up is not.
        codes = (1, 0) if label == "sheet-xml-entity-expansion" else (1,)
        yield Case(f"data/workbook/{label}", "data", data_case({WS_UNITS: None, "厅直单位.xlsx": content}), exit=codes,
                   names=(r"厅直单位\.xlsx",))
    yield Case("data/workbook/zip-bomb", "data", data_case({WS_UNITS: None, "厅直单位.xlsx": zip_bomb}), names=(r"厅直单位\.xlsx",))
    # Merged cells: over a boolean value column (an error: a value per row is needed).
    rows = _units_rows()
    yield Case("data/workbook/merged-value-cells", "data",
               data_case({WS_UNITS: None, "厅直单位.xlsx": _xlsx_bytes({"厅直单位": rows}, {"厅直单位": ["C2:C4"]})}),
               names=(at_line("厅直单位.xlsx", 3),))
    yield Case("data/workbook/merged-id-cells", "data",
               data_case({WS_UNITS: None, "厅直单位.xlsx": _xlsx_bytes({"厅直单位": rows}, {"厅直单位": ["A2:A3"]})}),
               names=(at_line("厅直单位.xlsx", 3),))
    huge_cell = [r[:] for r in rows]
    huge_cell[1][1] = "名" * 40_000
    yield Case("data/workbook/oversized-cell", "data", data_case({WS_UNITS: None, "厅直单位.xlsx": _xlsx_bytes({"厅直单位": huge_cell})}),
               exit=(1, 0), names=(at_line("厅直单位.xlsx", 2),))
    control = [r[:] for r in rows]
    control[1][1] = "省人民\x07医院"

    # Files that are not files.
    def fifo(folder: Path) -> None:
        os.mkfifo(folder / "管道.csv")

    def devzero(folder: Path) -> None:
        (folder / "零.csv").symlink_to("/dev/zero")

    def directory(folder: Path) -> None:
        (folder / "old.csv").mkdir()
        (folder / "old.csv" / "x.csv").write_text("编号\nW1\n", encoding="utf-8")

    def loop(folder: Path) -> None:
        (folder / "loop.csv").symlink_to("loop.csv")

    def broken(folder: Path) -> None:
        (folder / "gone.csv").symlink_to("nowhere.csv")

    def unreadable(folder: Path) -> None:
        (folder / "secret.csv").write_bytes(votes_raw)
        (folder / "secret.csv").chmod(0)

    root = hasattr(os, "geteuid") and os.geteuid() == 0
    for label, special, name, skip in (("fifo", fifo, "管道.csv", None), ("symlink-to-dev-zero", devzero, "零.csv", None),
                                       ("folder-named-csv", directory, "old.csv", None), ("symlink-loop", loop, "loop.csv", None),
                                       ("broken-symlink", broken, "gone.csv", None),
                                       ("unreadable", unreadable, "secret.csv", "root reads any file" if root else None)):
        yield Case(f"data/not-a-file/{label}", "data", data_case({}, special=special), names=(re.escape(name),), skip=skip)

    def fifo_named(folder: Path) -> list[str]:
        argv = _ws(lambda f: ["run", f, "--data", "data/管道.csv", f"data/{WS_VOTES}"])(folder)
        os.mkfifo(folder / "data" / "管道.csv")
        return argv

    yield Case("data/not-a-file/fifo-given-by-name", "data", fifo_named, names=(r"管道\.csv",))
    yield Case("data/not-a-file/missing-path", "data", _ws(lambda f: ["run", f, "--data", "data/nope.csv"]), names=(r"nope\.csv",))
    yield Case("data/not-a-file/dev-zero-by-name", "data", _ws(lambda f: ["run", f, "--data", "/dev/zero"]), names=("/dev/zero",))

    # Cells of the votes table (row 3 is W1's second rater: 编号,测评人,测评分).
    vote_lines = votes_text.splitlines(keepends=True)
    def votes_with(cell: str, row: int = 3) -> bytes:
        lines = list(vote_lines)
        parts = lines[row - 1].rstrip("\r\n").split(",")
        parts[2] = cell
        lines[row - 1] = ",".join(parts) + "\n"
        return ("\ufeff" + "".join(lines)).encode("utf-8")

    cells = {
        "1e400": "1e400", "minus-1e400": "-1e400", "huge-integer": "9" * 400, "nan": "NaN", "inf": "inf", "infinity": "Infinity",
        "decimal-comma": "9,5", "fullwidth-comma": "9，5", "underscore": "9_5", "hex": "0x10", "out-of-range": "1e5",
        "percent-in-number": "95%", "double-minus": "--5", "formula-text": "=1+1", "text": "很好", "space-only": " ",
        "blank": "", "oversized": "9" * 200_000, "nul-inside": "9\x005", "control-char": "9\x075", "lone-surrogate-like": "\udcff",
    }
    for label, cell in cells.items():
        if label == "decimal-comma":
            content = votes_with('"9,5"')
        elif label == "lone-surrogate-like":
            content = votes_with("x").replace(b",x\n", b",\xed\xb3\xbf\n")
        else:
            content = votes_with(cell)
        where = re.escape(WS_VOTES) if label == "lone-surrogate-like" else at_line(WS_VOTES, 3)  # an encoding error may name the file only
        yield Case(f"data/cell/vote-{label}", "data", data_case({WS_VOTES: content}), names=(where,))
    # Cells of the unit list.
    unit_lines = units_text.splitlines(keepends=True)
    def units_with(column: int, cell: str, row: int = 3) -> bytes:
        lines = list(unit_lines)
        parts = lines[row - 1].rstrip("\r\n").split(",")
        parts[column] = cell
        lines[row - 1] = ",".join(parts) + "\n"
        return "".join(lines).encode("gbk", "replace")

    unit_cells = {"blank-id": (0, ""), "space-id": (0, " "), "blank-boolean": (2, ""), "yes-in-english": (2, "yes?"),
                  "boolean-number": (2, "2"), "oversized-name": (1, "名" * 200_000), "duplicate-id": (0, "W1")}
    for label, (column, cell) in unit_cells.items():
        yield Case(f"data/cell/units-{label}", "data", data_case({WS_UNITS: units_with(column, cell)}), names=(at_line(WS_UNITS, 3),))
    # Rows and structure.
    structure = {
        "duplicate-vote-row": (WS_VOTES, ("\ufeff" + votes_text + vote_lines[2]).encode("utf-8"), len(vote_lines) + 1),
        "unknown-unit": (WS_VOTES, ("\ufeff" + votes_text + "W99,T01,90\n").encode("utf-8"), len(vote_lines) + 1),
        "extra-column-in-row": (WS_VOTES, votes_with("90,91,92"), 3),
        "short-row": (WS_VOTES, ("\ufeff" + "".join(vote_lines[:2]) + "W1\n" + "".join(vote_lines[3:])).encode("utf-8"), 3),
        "unterminated-quote": (WS_VOTES, ("\ufeff" + "".join(vote_lines[:2]) + 'W1,T02,"93\n' + "".join(vote_lines[3:])).encode("utf-8"), 3),
        "header-only": (WS_VOTES, ("\ufeff" + vote_lines[0]).encode("utf-8"), None),
        "duplicate-header": (WS_VOTES, ("\ufeff编号,测评人,测评分,测评分\n" + "".join(line.rstrip("\n") + ",1\n" for line in vote_lines[1:])).encode("utf-8"), 1),
        "no-id-column": (WS_VOTES, ("\ufeff" + vote_lines[0].replace("编号", "号码") + "".join(vote_lines[1:])).encode("utf-8"), 1),
        "megabyte-line": (WS_VOTES, ("\ufeff" + "".join(vote_lines[:2]) + "W1,T02,93" + "," * 1_000_000 + "\n" + "".join(vote_lines[3:])).encode("utf-8"), 3),
        "bom-in-the-middle": (WS_VOTES, ("\ufeff" + "".join(vote_lines[:2]) + "\ufeffW1,T02,93\n" + "".join(vote_lines[3:])).encode("utf-8"), 3),
        "duplicate-unit-rows": (WS_UNITS, (units_text + unit_lines[1]).encode("gbk"), len(unit_lines) + 1),
        "units-empty": (WS_UNITS, unit_lines[0].encode("gbk"), 1),
    }
    for label, (name, content, row) in structure.items():
        if label == "header-only":
            yield Case("data/rows/header-only", "data", data_case({name: content}), names=("大会测评|vote",))
            continue
        codes = (1, 0) if label in ("extra-column-in-row", "megabyte-line", "bom-in-the-middle") else (1,)
        yield Case(f"data/rows/{label}", "data", data_case({name: content}), exit=codes, names=(at_line(name, row),))
    yield Case("data/rows/votes-table-missing", "data", data_case({WS_VOTES: None}), names=("测评分|vote",))
    yield Case("data/rows/same-table-twice", "data", data_case({"大会测评-副本.csv": votes_raw}), names=(r"大会测评",))
    yield Case("data/rows/table-given-twice-by-name", "data",
               _ws(lambda f: ["run", f, "--data", "data", f"data/{WS_VOTES}", "./data/" + WS_VOTES, "--format", "json"]), exit=(0,))


def _xlsx_patched(book: bytes, old: bytes, new: bytes, truncate: bool = False) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(book))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                if old not in content:
                    # openpyxl with lxml writes non-ASCII text as character references (&#30465;…).
                    old = "".join(c if ord(c) < 128 else f"&#{ord(c)};" for c in old.decode()).encode()
                assert old in content
                content = content[: len(content) // 2] if truncate else content.replace(old, new, 1)
            target.writestr(info.filename, content)
    return out.getvalue()


def _xlsx_without(book: bytes, name: str) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(book))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename != name:
                target.writestr(info.filename, source.read(info.filename))
    return out.getvalue()


# ---------------------------------------------------------------------------


def all_cases() -> list[Case]:
    cases = [*loader_cases(), *number_cases(), *expression_cases(), *cli_cases(), *stdout_cases(), *extends_cases(),
             *overwrite_cases(), *partial_cases(), *history_cases(), *data_cases()]
    ids = [case.id for case in cases]
    duplicates = {i for i in ids if ids.count(i) > 1}
    assert not duplicates, f"duplicate case ids: {sorted(duplicates)}"
    assert all(case.category in CATEGORIES for case in cases)
    return cases


def folder_name(case: Case) -> str:
    """A file-system-safe folder name for a case (its id with / as __)."""
    return re.sub(r"[^\w.-]", "_", case.id.replace("/", "__"))


def main(argv: list[str]) -> int:
    cases = all_cases()
    counts: dict[str, int] = {}
    for case in cases:
        counts[case.category] = counts.get(case.category, 0) + 1
    if argv:
        root = Path(argv[0])
        for case in cases:
            folder = root / folder_name(case)
            folder.mkdir(parents=True, exist_ok=True)
            command = case.build(folder)
            (folder / "COMMAND").write_text(" ".join(repr(a) if " " in a or not a else a for a in ["kaohe", *command]) + "\n",
                                            encoding="utf-8", errors="backslashreplace")
    for case in cases:
        print(f"{case.id}\texit {'/'.join(map(str, case.exit))}")
    print(f"{len(cases)} cases: " + ", ".join(f"{k} {v}" for k, v in counts.items()), file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
