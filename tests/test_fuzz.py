"""Property-based fuzzing (issue 12, item 7): whatever the scheme, expression or
data, the library either works or raises the engine's own user error.

Three generators, each starting from shipped material:

- **scheme structures** — a shipped scheme's YAML tree with a few random edits
  (a value replaced by a hostile one, a key dropped, a list entry repeated),
  dumped back to YAML;
- **expressions** — random expressions from the language's grammar (the
  scheme's own names, numbers up to beyond float range, every operator the
  parser knows, every function of ``engine.expressions.FUNCTIONS`` and some it
  lacks, ``x if c else y``), put at a formula, a veto's ``when``, a grade's
  ``of``, a tiers ``value`` or a ranking's ``among``;
- **CSV data** — random cells, rows and encodings in the shipped data files.

Each goes through the stages the command line runs (engine/cli.py ``_prepare``
and ``_score``): ``load_scheme_text`` → ``compile_scheme`` → ``read_dataset`` →
``evaluate`` → ``decide`` → ``to_json``/``to_csv``/``to_markdown``. A
:class:`engine.errors.KaoheError` is an accepted answer; any other exception is
a crash and fails the test (hypothesis then shrinks it to a minimal example).

``make test`` runs a bounded, derandomised pass (profile ``ci``, about a
minute in all); ``make fuzz`` runs the ``long`` profile
(``KAOHE_FUZZ_PROFILE=long``, tens of thousands of examples, 30+ minutes), its
failures kept in ``.pytest_cache/hypothesis`` and replayed first next time.
"""

from __future__ import annotations

import copy
import csv
import io
import os
import typing as t
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st
from hypothesis.database import DirectoryBasedExampleDatabase

from engine.context import Context
from engine.compiler import compile_scheme
from engine.data import read_dataset
from engine.errors import KaoheError
from engine.evaluate import evaluate
from engine.expressions import FUNCTIONS
from engine.grade import decide
from engine.loader import load_scheme_text
from engine.render import to_csv, to_json, to_markdown

ROOT = Path(__file__).resolve().parent.parent
SCHEMES = ROOT / "schemes"

_COMMON = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                                    HealthCheck.function_scoped_fixture, HealthCheck.filter_too_much])
#: make test: deterministic, bounded (about 20 s per test on a small machine).
settings.register_profile("ci", max_examples=int(os.environ.get("KAOHE_FUZZ_EXAMPLES", "300")), derandomize=True,
                          database=None, print_blob=True, **_COMMON)
#: make fuzz: long and random; failures are saved and replayed.
settings.register_profile("long", max_examples=int(os.environ.get("KAOHE_FUZZ_EXAMPLES", "15000")), print_blob=True,
                          database=DirectoryBasedExampleDatabase(str(ROOT / ".pytest_cache" / "hypothesis")), **_COMMON)
settings.load_profile(os.environ.get("KAOHE_FUZZ_PROFILE", "ci"))

pytestmark = pytest.mark.fuzz

#: Shipped schemes whose sample data are small enough to score on every example.
FUZZED = ("weisheng-ting", "chae-kaohe", "zhengjiaochu", "chuangxian-zhengyou-chouchai", "guihua-ju", "ganbu-ceping",
          "lianshu-lianping-liankao", "ruanruo-huansan", "dangfeng-lianzheng", "chuangxian-zhengyou-factory")


def scheme_file(name: str) -> Path:
    folder = SCHEMES / name
    own = folder / f"{name}.yaml"
    return own if own.is_file() else sorted(folder.glob("*.yaml"))[0]


def score(scheme: t.Any, dataset: t.Any) -> t.Any:
    """evaluate + decide as engine/cli.py ``_score`` runs them without a period (history rules see none)."""
    import dataclasses

    from engine import history

    if scheme.history:
        dataset = dataclasses.replace(dataset, columns={**dataset.columns, **history.no_earlier(scheme, len(dataset.units))})
    return decide(evaluate(scheme, dataset, details=True))


def pipeline(text: str, name: str, data: t.Sequence[Path]) -> None:
    """The command line's stages on a scheme's text; only the engine's own errors may come out."""
    try:
        raw = load_scheme_text(text, name)
        scheme, _ = compile_scheme(raw)
        outcomes = score(scheme, read_dataset(scheme, list(data)))
        to_json(outcomes)
        to_csv(outcomes)
        to_markdown(outcomes, Context(lang="en"))
    except KaoheError:
        pass


# ---------------------------------------------------------------------------
# Hostile values


HUGE_INTS = st.sampled_from([10**400, -(10**400), 2**1024, 2**63, -(2**63) - 1, 10**20, 9**99])
FLOATS = st.floats(allow_nan=True, allow_infinity=True) | st.sampled_from([1e308, -1e308, 5e-324, 0.1, -0.0])
TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30) | st.sampled_from(
    ["", " ", "\x07", "\x00", "甲\x07单位", "=1+1", "@SUM(A1)", "\ufeff", "9,5", "2024-02-30", "不封顶", "mean(vote)", "a" * 500])
SCALARS = st.none() | st.booleans() | st.integers(-1000, 1000) | HUGE_INTS | FLOATS | TEXT
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4), max_leaves=12)


# ---------------------------------------------------------------------------
# 1. Scheme structures


def _paths(node: t.Any, path: tuple[t.Any, ...] = ()) -> t.Iterator[tuple[t.Any, ...]]:
    yield path
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, path + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _paths(value, path + (index,))


EXPRESSIONS_ANY = st.deferred(lambda: EXPRESSIONS)

TREES = {name: yaml.safe_load(scheme_file(name).read_text(encoding="utf-8")) for name in FUZZED}
PATHS = {name: [p for p in _paths(tree) if p] for name, tree in TREES.items()}


@st.composite
def mutated_schemes(draw: st.DrawFn) -> tuple[str, str]:
    name = draw(st.sampled_from(FUZZED))
    tree = copy.deepcopy(TREES[name])
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(PATHS[name]))
        parent: t.Any = tree
        try:
            for part in path[:-1]:
                parent = parent[part]
            last = path[-1]
            parent[last]  # noqa: B018 — still there after earlier edits?
        except (KeyError, IndexError, TypeError):
            continue
        action = draw(st.sampled_from(["tweak", "tweak", "tweak", "replace", "delete", "repeat", "swap-type"]))
        if action == "tweak":
            # A value of the same kind, so that more mutants get past validation to the later stages.
            value = parent[last]
            if isinstance(value, bool):
                parent[last] = not value
            elif isinstance(value, (int, float)):
                parent[last] = draw(st.integers(-1000, 1000) | HUGE_INTS | FLOATS)
            elif isinstance(value, str):
                parent[last] = draw(TEXT | EXPRESSIONS_ANY)
            elif isinstance(value, list) and value:
                del value[draw(st.integers(0, len(value) - 1))]
            elif isinstance(value, dict) and value:
                del value[draw(st.sampled_from(sorted(value, key=str)))]
        elif action == "replace":
            parent[last] = draw(VALUES)
        elif action == "delete":
            del parent[last]
        elif action == "repeat" and isinstance(parent, list):
            parent.insert(last, copy.deepcopy(parent[last]))
        elif action == "swap-type":
            value = parent[last]
            parent[last] = [value] if not isinstance(value, list) else {"x": value}
    text = yaml.safe_dump(tree, allow_unicode=True, sort_keys=False)
    return name, text


@given(mutated_schemes())
def test_fuzz_scheme_structures(case: tuple[str, str]) -> None:
    name, text = case
    note(text)
    pipeline(text, f"{name}.yaml", [SCHEMES / name / "data"])


# ---------------------------------------------------------------------------
# 2. Expressions


BASE = "weisheng-ting"
#: weisheng-ting's names by kind; plus a parameter, and names it does not declare.
NUMBERS = ["mean(vote)", "sum(vote)", "count(vote)", "p", "total"]
PER_RATER = ["vote"]
CONDITIONS = ["major_case", "medical_accident", "safety_accident", "unplanned_birth"]
UNKNOWN = ["votes", "x", "__import__", "True", "None"]
BINARY = ["+", "-", "*", "/", "//", "%", "**", "and", "or", "<", "<=", ">", ">=", "==", "!=", "&", "|", "^", "<<", ">>", "@"]
UNARY = ["-", "+", "not ", "~"]
CALLS = sorted(set(FUNCTIONS) - {"not_"}) + ["len", "pow", "int", "eval"]

NUMBER_LITERALS = st.one_of(
    st.integers(-100, 100).map(str), HUGE_INTS.map(str), st.sampled_from(["9**9**9", "10**400", "1e400", "1e-400", "0.1", ".5", "1_000"]),
    st.floats(allow_nan=False, allow_infinity=False).map(repr))
ATOMS = st.one_of(st.sampled_from(NUMBERS + PER_RATER + CONDITIONS), NUMBER_LITERALS,
                  st.sampled_from(["True", "False", "'a'", '"优秀"', "''"] + UNKNOWN))


def _compound(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.tuples(inner, st.sampled_from(BINARY), inner).map(lambda x: f"{x[0]} {x[1]} {x[2]}"),
        st.tuples(st.sampled_from(UNARY), inner).map(lambda x: f"{x[0]}{x[1]}"),
        inner.map(lambda x: f"({x})"),
        st.tuples(st.sampled_from(CALLS), st.lists(inner, min_size=0, max_size=4)).map(lambda x: f"{x[0]}({', '.join(x[1])})"),
        st.tuples(inner, inner, inner).map(lambda x: f"{x[0]} if {x[1]} else {x[2]}"),
        st.tuples(inner, st.integers(2, 400)).map(lambda x: " + ".join([x[0]] * x[1])),
        st.tuples(st.sampled_from(["-", "not "]), st.integers(2, 400), inner).map(lambda x: x[0] * x[1] + x[2]),
    )


EXPRESSIONS = st.recursive(ATOMS, _compound, max_leaves=10)
SITES = ("formula", "when", "of", "tiers", "among")


def _extended_tree() -> dict[str, t.Any]:
    from tests.corpus.generate import ws_extended

    return ws_extended()


EXTENDED = _extended_tree()
DATA = SCHEMES / BASE / "data"
_DATASET: list[t.Any] = []


def _dataset() -> t.Any:
    """weisheng-ting's sample data, read once: formulas do not change what is read (engine/cli.py caches it alike)."""
    if not _DATASET:
        scheme, _ = compile_scheme(load_scheme_text(yaml.safe_dump(EXTENDED, allow_unicode=True), "weisheng-ting.yaml"))
        _DATASET.append(read_dataset(scheme, [DATA]))
    return _DATASET[0]


def _with_expression(site: str, expression: str) -> str:
    tree = copy.deepcopy(EXTENDED)
    if site == "formula":
        tree["items"][0]["formula"] = expression
    elif site == "when":
        tree["vetoes"][0]["when"] = expression
    elif site == "of":
        tree["grades"][0]["of"] = expression
    elif site == "tiers":
        tree["items"][1]["tiers"]["value"] = expression
    else:
        tree["rankings"][0]["among"] = expression
    return yaml.safe_dump(tree, allow_unicode=True, sort_keys=False, width=100_000)


@given(st.sampled_from(SITES), EXPRESSIONS)
def test_fuzz_expressions(site: str, expression: str) -> None:
    note(f"{site}: {expression}")
    text = _with_expression(site, expression)
    try:
        scheme, _ = compile_scheme(load_scheme_text(text, "weisheng-ting.yaml"))
        outcomes = score(scheme, _dataset())
        to_json(outcomes)
        to_markdown(outcomes)
    except KaoheError:
        pass


# ---------------------------------------------------------------------------
# 3. CSV data


def _read_csv(path: Path) -> tuple[list[list[str]], str]:
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    return [row for row in csv.reader(io.StringIO(text))], encoding


CSV_SCHEMES = ("weisheng-ting", "chae-kaohe", "zhengjiaochu", "chuangxian-zhengyou-chouchai", "ganbu-ceping", "chuangxian-zhengyou-factory")
TABLES = {name: {p.name: _read_csv(p) for p in sorted((SCHEMES / name / "data").glob("*.csv"))} for name in CSV_SCHEMES}
CELLS = st.one_of(
    TEXT, st.integers(-1000, 1000).map(str), HUGE_INTS.map(str), FLOATS.map(repr),
    st.sampled_from(["", " ", "是", "否", "是的", "95%", "0.95", "1,200", "9,5", "9，5", "9_5", "１２", "--5", "1e400", "NaN", "inf",
                     "=1+1", "合计", "填表人：王五", "W1", "T01", "\n", '"', "a\r\nb", "\x00", "\x07", "名" * 1000]))


@st.composite
def mutated_data(draw: st.DrawFn) -> tuple[str, dict[str, bytes]]:
    name = draw(st.sampled_from(CSV_SCHEMES))
    files: dict[str, bytes] = {}
    changed = draw(st.sampled_from(sorted(TABLES[name])))
    for file, (rows, encoding) in TABLES[name].items():
        rows = [list(row) for row in rows]
        if file == changed:
            for _ in range(draw(st.integers(1, 4))):
                action = draw(st.sampled_from(["cell", "cell", "cell", "row-copy", "row-delete", "column-delete", "header"]))
                if not rows:
                    break
                r = draw(st.integers(0, len(rows) - 1))
                if action == "cell" and rows[r]:
                    rows[r][draw(st.integers(0, len(rows[r]) - 1))] = draw(CELLS)
                elif action == "row-copy":
                    rows.insert(r, list(rows[r]))
                elif action == "row-delete":
                    del rows[r]
                elif action == "column-delete" and rows[r]:
                    column = draw(st.integers(0, len(rows[0]) - 1)) if rows[0] else 0
                    rows = [row[:column] + row[column + 1:] for row in rows]
                elif action == "header" and rows[0]:
                    rows[0][draw(st.integers(0, len(rows[0]) - 1))] = draw(CELLS)
            encoding = draw(st.sampled_from([encoding, "utf-8", "utf-8-sig", "gbk", "utf-16", "big5", "latin-1"]))
        out = io.StringIO()
        csv.writer(out, lineterminator=draw(st.sampled_from(["\r\n", "\n"])) if file == changed else "\n").writerows(rows)
        files[file] = out.getvalue().encode(encoding, "replace")
    return name, files


@given(mutated_data())
def test_fuzz_csv_data(tmp_path_factory: pytest.TempPathFactory, case: tuple[str, dict[str, bytes]]) -> None:
    name, files = case
    folder = tmp_path_factory.mktemp("fuzz-data")
    for file, content in files.items():
        (folder / file).write_bytes(content)
    note(repr(files))
    try:
        scheme, _ = compile_scheme(load_scheme_text(scheme_file(name).read_text(encoding="utf-8"), str(scheme_file(name))))
        outcomes = score(scheme, read_dataset(scheme, [folder]))
        to_json(outcomes)
        to_csv(outcomes)
        to_markdown(outcomes)
    except KaoheError:
        pass


def test_the_fuzzed_starting_points_run() -> None:
    """Unmutated, every starting point passes the pipeline (or a crash below would be the mutation's)."""
    for name in FUZZED:
        raw = load_scheme_text(scheme_file(name).read_text(encoding="utf-8"), name)
        scheme, _ = compile_scheme(raw)
        score(scheme, read_dataset(scheme, [SCHEMES / name / "data"]))
