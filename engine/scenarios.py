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

from engine import history
from engine.compiler import compile_scheme
from engine.data import read_dataset
from engine.evaluate import evaluate
from engine.grade import decide
from engine.loader import load_scheme


def run_case(scheme_path: Path, case: dict[str, t.Any], base: Path) -> list[str]:
    """Differences between a case's expectations and the engine's outcome ([] when it passes).

    Args:
        scheme_path: the scheme file.
        case: one case (``data``, ``expect``, optional ``period``/``earlier``/``recorded``).
        base: folder that relative scheme paths in ``recorded`` start from.
    """
    scheme, _ = compile_scheme(load_scheme(scheme_path))
    with tempfile.TemporaryDirectory() as folder:
        store = Path(folder) / "history.sqlite"
        # Other schemes' results this scheme reads (e.g. 述职评议 before the annual grade).
        for k, other in enumerate(case.get("recorded", [])):
            other_scheme, _ = compile_scheme(load_scheme((base / other["scheme"]).resolve()))
            period = str(other["period"])
            history.record(store, _run(other_scheme, other["data"], Path(folder) / f"other{k}", store, period), period)
        # Earlier periods are scored and recorded first, as `kaohe run --record` would.
        for earlier in case.get("earlier", []):
            history.record(store, _run(scheme, earlier["data"], Path(folder) / f"p{earlier['period']}", store, str(earlier["period"])), str(earlier["period"]))
        outcomes = _run(scheme, case["data"], Path(folder) / "now", store, str(case.get("period", "9999")))
    results = outcomes.results
    index = results.data.units.index()
    failures: list[str] = []
    for unit, expected in case["expect"].items():
        i = index[str(unit)]
        actual: dict[str, t.Any] = {
            "total": _num(results.total[i]),
            "rank": int(outcomes.rank[i]) or None,
            "group_rank": int(outcomes.group_rank[i]) or None,
            "eligible": bool(outcomes.eligible[i]),
            "manual": bool(results.manual[i]),
            "vetoes": [v.id for v in scheme.vetoes if results.vetoes[v.id][i]],
            "labels": outcomes.labels(i),
        }
        actual["grade"] = outcomes.primary_label(i)
        for key, want in expected.items():
            if key == "items":
                for item, score in want.items():
                    got = _num((results.scores.get(item) if item in results.scores else results.parts[item])[i])
                    if got != score:
                        failures.append(f"{unit}.items.{item}: expected {score}, got {got}")
            elif key == "grades":
                for grade_id, value in want.items():
                    got_value = outcomes.grades[grade_id][i]
                    grade = next(g for g in scheme.grades if g.id == grade_id)
                    if got_value != value and grade.label_of(got_value) != value:
                        failures.append(f"{unit}.grades.{grade_id}: expected {value}, got {got_value}")
            elif actual.get(key) != want:
                failures.append(f"{unit}.{key}: expected {want!r}, got {actual.get(key)!r}")
    return failures


def _run(scheme: t.Any, tables: dict[str, t.Any], folder: Path, store: Path, period: str) -> t.Any:
    folder.mkdir()
    for table, rows in tables.items():
        write_table(folder / f"{table}.csv", rows, scheme)
    dataset = read_dataset(scheme, [folder])
    earlier, _ = history.lookup(store, scheme, period, dataset.units.ids)
    dataset = dataclasses.replace(dataset, columns={**dataset.columns, **earlier})
    return decide(evaluate(scheme, dataset))


def _num(value: float) -> float | None:
    return None if math.isnan(value) else float(value)


def write_table(path: Path, rows: t.Any, scheme: t.Any) -> None:
    header: list[str] = []
    if isinstance(rows, dict):  # {header: [...], rows: [...]}: e.g. a table with no rows
        header = list(rows["header"])
        rows = rows.get("rows", [])
    expanded: list[dict[str, t.Any]] = []
    closed = {d.title: d.values for d in scheme.dimensions.values() if d.values is not None}
    closed.update({d.id: d.values for d in scheme.dimensions.values() if d.values is not None})
    for row in rows:
        repeat = int(row.get("_repeat", 1))
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
