"""Run YAML scenario cases: inline data tables → the real reader → expected outcomes.

A case gives tables (written to CSV files and read by :func:`read_dataset`,
so scenarios exercise the same path as ``kaohe run``), optional earlier
periods and other schemes' results (recorded in a temporary history), and
the expected outcome per unit. :func:`run_case` returns the differences as
readable lines; the pytest plugin in ``conftest.py`` and the authoring
guide's example test both use it. Format: tests/README.md.
"""

from __future__ import annotations

import csv
import dataclasses
import math
import tempfile
import typing as t
from pathlib import Path

import yaml

from engine.compiler import compile_scheme
from engine.context import Context, of
from engine.errors import KaoheError, Location, Problem, SchemeError, UsageError
from engine.inherit import load_scheme
from engine.loader import RawScheme, load_scheme_file, load_scheme_text
from engine.messages import closest
from engine.pipeline import assess
from engine.yamltypes import Yaml, YamlMap, integer, mapping, mappings, sequence, text

if t.TYPE_CHECKING:
    from engine.grade import Outcomes
    from engine.model import Scheme


#: What a case may expect of a unit.
EXPECT_KEYS = ("total", "grade", "grades", "items", "rank", "group_rank", "eligible", "manual", "vetoes", "labels")


@dataclasses.dataclass(frozen=True)
class Scenario:
    """One scenario file: the scheme it tests and its cases, with their positions."""

    file: Path
    scheme: Path
    cases: tuple[YamlMap, ...]
    raw: RawScheme

    def case_location(self, index: int, *rest: str | int) -> Location:
        return self.raw.location(("cases", index) + rest)


@dataclasses.dataclass(frozen=True)
class CaseResult:
    """How one case went: the differences from its expectations, or the problems that stopped it."""

    failures: tuple[str, ...] = ()
    problems: tuple[Problem, ...] = ()

    @property
    def passed(self) -> bool:
        return not self.failures and not self.problems


def scenario_files(paths: t.Sequence[str]) -> list[Path]:
    """Test files named by ``paths``: a test file itself, a scheme file's or
    folder's ``tests/*.yaml``, and for a folder of schemes each one's.

    Raises:
        UsageError: a path that does not exist.
    """
    found: list[Path] = []
    for given in map(Path, paths):
        if given.is_file():
            is_test = given.parent.name in ("tests", "cases") or has_cases(given)
            found += [given] if is_test else sorted(given.parent.glob("tests/*.yaml"))
        elif given.is_dir():
            found += sorted(given.glob("tests/*.yaml")) + sorted(given.glob("*/tests/*.yaml"))
        else:
            raise UsageError([Problem.at("file_not_found", Location(str(given)))])
    return list(dict.fromkeys(found))


def has_cases(path: Path) -> bool:
    """Whether a YAML file is a scenario file (a top-level ``cases:``) rather than a scheme."""
    try:
        return any(line.startswith("cases:") for line in path.read_text(encoding="utf-8-sig").splitlines())
    except (OSError, UnicodeDecodeError):
        return False


def check_case(scenario: Scenario, index: int, context: Context) -> CaseResult:
    """Case ``index`` of ``scenario`` run (:func:`run_case`), its differences in ``context.lang``;
    a wrong scheme or case becomes problems pointed at the test file, never an exception."""
    try:
        return CaseResult(failures=tuple(run_case(scenario.scheme, scenario.cases[index], scenario.file.parent, context)))
    except KaoheError as err:
        # The data written from the case lives in a temporary folder: say which case and table.
        return CaseResult(problems=tuple(in_case(p, scenario, index) for p in err.problems))
    except (KeyError, TypeError, ValueError, AttributeError) as err:
        # A shape the loader does not check (e.g. inside earlier:/recorded:): name the case, not a traceback.
        return CaseResult(problems=(Problem.at("scenario_bad_case", scenario.case_location(index), reason=f"{type(err).__name__}: {err}"),))


def in_case(problem: Problem, scenario: Scenario, index: int) -> Problem:
    """A data problem of a scenario, pointed back at the case's YAML.

    The case's tables were written to CSV files in a temporary folder; row
    ``n`` of ``得分.csv`` is ``data.得分[n-2]`` of the case when the table
    uses no shorthand (``_repeat``, ``"*"``) that changes the row count.
    """
    location = problem.location
    if not location.file.endswith(".csv"):
        return problem
    table = Path(location.file).stem
    data = scenario.cases[index].get("data", {})
    rows = data.get(table) if isinstance(data, dict) else None
    if isinstance(rows, list) and not any(isinstance(row, dict) and ("_repeat" in row or "*" in row.values()) for row in rows) \
            and location.line and 0 <= location.line - 2 < len(rows):
        yaml_location = scenario.case_location(index, "data", table, location.line - 2)
        column = location.column if isinstance(location.column, str) else None
        row = rows[location.line - 2]
        if column and isinstance(row, dict) and column in row:
            yaml_location = scenario.case_location(index, "data", table, location.line - 2, column)
        return dataclasses.replace(problem, location=yaml_location)
    return dataclasses.replace(problem, location=dataclasses.replace(location, file=f"{scenario.file} data.{table}"))


def load_scenario(path: Path) -> Scenario:
    """Read a scenario file, checking its shape (every problem located).

    Raises:
        SchemeError: the file is not YAML, lacks ``scheme``/``cases``, or a
            case lacks ``name``/``data``/``expect`` or expects an unknown key.
    """
    try:
        blank = yaml.safe_load(path.read_text(encoding="utf-8-sig")) is None
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        blank = False  # load_scheme_file names the problem
    if blank:
        # Only comments, as `kaohe new --from` writes it: no cases yet.
        return Scenario(path, path, (), load_scheme_text("{}", str(path)))
    raw = load_scheme_file(path)
    data = raw.data
    problems = [Problem.at("scenario_missing_key", raw.location(()), key=key)
                for key in ("scheme", "cases") if key not in data]
    cases = data.get("cases")
    if "cases" in data and not (isinstance(cases, list) and cases):
        problems.append(Problem.at("scenario_bad_cases", raw.location(("cases",))))
        cases = []
    kept: list[YamlMap] = []
    for index, case in enumerate(cases if isinstance(cases, list) else []):
        if not isinstance(case, dict):
            problems.append(Problem.at("scenario_bad_cases", raw.location(("cases", index))))
            continue
        kept.append(case)
        problems += [Problem.at("scenario_missing_key", raw.location(("cases", index)), key=key)
                     for key in ("name", "data", "expect") if key not in case]
        tables = case.get("data")
        if "data" in case and not (isinstance(tables, dict) and all(_is_table(rows) for rows in tables.values())):
            problems.append(Problem.at("scenario_bad_data", raw.location(("cases", index, "data"))))
        expect = case.get("expect")
        if "expect" in case and not isinstance(expect, dict):
            problems.append(Problem.at("scenario_bad_expect", raw.location(("cases", index, "expect"))))
            continue
        for unit, expected in (expect if isinstance(expect, dict) else {}).items():
            if not isinstance(expected, dict):
                problems.append(Problem.at("scenario_bad_expect", raw.location(("cases", index, "expect", unit))))
                continue
            for key in expected:
                if key not in EXPECT_KEYS:
                    problems.append(Problem.at("scenario_unknown_expect", raw.location(("cases", index, "expect", unit, key), key=True),
                                               key=key, allowed=", ".join(EXPECT_KEYS), suggest=closest(str(key), EXPECT_KEYS)))
    if problems:
        raise SchemeError(problems)
    return Scenario(path, (path.parent / str(data["scheme"])).resolve(), tuple(kept), raw)


def _is_table(rows: Yaml) -> bool:
    """Rows as a list of mappings, or ``{header: [...], rows: [...]}``."""
    if isinstance(rows, dict):
        listed = rows.get("rows") or []
        return "header" in rows and isinstance(listed, list) and all(isinstance(r, dict) for r in listed)
    return isinstance(rows, list) and all(isinstance(r, dict) for r in rows)


#: The language of :func:`run_case`'s difference lines when no context is given.
ENGLISH = of("en")


def run_case(scheme_path: Path, case: YamlMap, base: Path, context: Context = ENGLISH) -> list[str]:
    """Differences between a case's expectations and the engine's outcome ([] when it passes).

    Args:
        scheme_path: the scheme file.
        case: one case (``data``, ``expect``, optional ``period``/``earlier``/``recorded``).
        base: folder that relative scheme paths in ``recorded`` start from.
        context: its language is that of the difference lines (English unless given).

    Raises:
        KaoheError: the scheme or the case's data are wrong (as ``kaohe run`` would say).
    """
    def differs(unit: object, key: str, want: object, got: object) -> str:
        return context.say(f"{unit}.{key}: 期望 {want!r}，实际 {got!r}", f"{unit}.{key}: expected {want!r}, got {got!r}")

    # Here, not at the top: `kaohe validate` asks this module whether a file is a scenario
    # (has_cases) and must not pay for the history store's polars.
    from engine import history

    scheme, _ = compile_scheme(load_scheme(scheme_path))
    with tempfile.TemporaryDirectory() as folder:
        store = Path(folder) / "history.sqlite"
        # Other schemes' results this scheme reads (e.g. 述职评议 before the annual grade).
        for k, other in enumerate(mappings(case.get("recorded", []))):
            other_scheme, _ = compile_scheme(load_scheme((base / text(other["scheme"])).resolve()))
            period = str(other["period"])
            # replace: a case listing one period twice means the later one, as before --replace existed.
            history.record(store, _run(other_scheme, mapping(other["data"]), Path(folder) / f"other{k}", store, period), period, replace=True)
        # Earlier periods are scored and recorded first, as `kaohe run --record` would.
        for earlier in mappings(case.get("earlier", [])):
            history.record(store, _run(scheme, mapping(earlier["data"]), Path(folder) / f"p{earlier['period']}", store, str(earlier["period"])),
                           str(earlier["period"]), replace=True)
        outcomes = _run(scheme, mapping(case["data"]), Path(folder) / "now", store, str(case.get("period", "9999")))
    results = outcomes.results
    index = results.data.units.index()
    failures: list[str] = []
    for unit, expected in mapping(case["expect"]).items():
        if str(unit) not in index:
            failures.append(context.say(f"{unit}: 本例数据中没有这个单位", f"{unit}: not in the case's data"))
            continue
        i = index[str(unit)]
        actual: dict[str, object] = {
            "total": _num(results.total[i]),
            "rank": int(outcomes.rank[i]) or None,
            "group_rank": int(outcomes.group_rank[i]) or None,
            "eligible": bool(outcomes.eligible[i]),
            "manual": bool(results.manual[i]),
            "vetoes": [v.id for v in scheme.vetoes if results.vetoes[v.id][i]],
            "labels": outcomes.labels(i),
        }
        actual["grade"] = outcomes.primary_label(i)
        for key, want in mapping(expected).items():
            if key == "items":
                for item, score in mapping(want).items():
                    column = results.scores.get(item) if item in results.scores else results.parts.get(item)
                    if column is None:
                        known = list(results.scores) + list(results.parts)
                        hint = closest(str(item), known)
                        failures.append(context.say(f"{unit}.items.{item}: 方案中没有这个编号" + (f"（是否想写 '{hint}'？）" if hint else ""),
                                                    f"{unit}.items.{item}: no such item" + (f" (did you mean '{hint}'?)" if hint else "")))
                        continue
                    got = _num(column[i])
                    if got != score:
                        failures.append(differs(unit, f"items.{item}", score, got))
            elif key == "grades":
                for grade_id, value in mapping(want).items():
                    grade = next((g for g in scheme.grades if g.id == grade_id), None)
                    if grade is None:
                        failures.append(context.say(f"{unit}.grades.{grade_id}: 方案中没有这个评定", f"{unit}.grades.{grade_id}: no such grade"))
                        continue
                    got_value = outcomes.grades[grade_id][i]
                    if got_value != value and grade.label_of(got_value) != value:
                        failures.append(differs(unit, f"grades.{grade_id}", value, got_value))
            elif actual.get(key) != want:
                failures.append(differs(unit, key, want, actual.get(key)))
    return failures


def _run(scheme: Scheme, tables: YamlMap, folder: Path, store: Path, period: str) -> Outcomes:
    folder.mkdir()
    for table, rows in tables.items():
        write_table(folder / f"{table}.csv", rows, scheme)
    return assess(scheme, [folder], Context(history=store), period=period)


def _num(value: float) -> float | None:
    return None if math.isnan(value) else float(value)


def write_table(path: Path, rows: Yaml, scheme: Scheme) -> None:
    """A case's table (rows of mappings, or ``{header, rows}``) written as the CSV file the reader takes,
    its shorthands written out: ``_repeat: N`` rows, and ``"*"`` for every value of a closed dimension."""
    header: list[Yaml] = []
    if isinstance(rows, dict):  # {header: [...], rows: [...]}: e.g. a table with no rows
        header = list(sequence(rows["header"]))
        rows = rows.get("rows", [])
    expanded: list[YamlMap] = []
    closed = {d.title: d.values for d in scheme.dimensions.values() if d.values is not None}
    closed.update({d.id: d.values for d in scheme.dimensions.values() if d.values is not None})
    for row in mappings(rows):
        repeat = integer(row.get("_repeat", 1))
        row = {k: v for k, v in row.items() if k != "_repeat"}
        star = next((k for k, v in row.items() if v == "*" and k in closed), None)
        variants = [{**row, star: value} for value in closed[star]] if star else [row]
        expanded.extend(variant for variant in variants for _ in range(repeat))
    for row in expanded:
        header.extend(k for k in row if k not in header)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        writer.writerows({k: ("" if v is None else v) for k, v in row.items()} for row in expanded)
