"""Keep each period's outcomes in SQLite and turn earlier periods into columns.

``record`` stores one run's outcomes — per unit: total, rank, eligibility,
grades, rank-based labels, actions and vetoes — under (scheme id, period)
in one transaction, so a period is never half of two runs; a period
already stored is replaced only when asked (``--replace``), and of two
concurrent writers of one period exactly one wins. ``lookup`` answers a scheme's ``history`` entries
("上一年度排名较后") for the units of the current data, as per-unit
columns that rules read like inputs.

"The previous period" is the calendar predecessor when periods are years,
half-years, quarters or months (``2023`` → ``2022``, ``2024-03`` →
``2024-02``, ``2024-Q1`` → ``2023-Q4``, ``2024-H1`` → ``2023-H2``): a
period missing from the store is "no record" (with a warning), never the
one before it, so "two years running" does not leap over a gap. Periods
written otherwise are ordered as text and ``back: n`` is the n-th recorded
one before.
"""

from __future__ import annotations

import contextlib
import datetime
import json
import os
import re
import sqlite3
import time
import typing as t
from pathlib import Path

import numpy as np
import numpy.typing as npt

from engine.aggregates import Column
from engine.errors import Location, Problem, UsageError
from engine.grade import Outcomes
from engine.model import History, Scheme, period_name, sought_name
from engine.yamltypes import Yaml, mapping, mappings, sequence

#: Default history file, in the folder the command runs in.
DEFAULT_FILE = "kaohe-history.sqlite"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    scheme TEXT NOT NULL, period TEXT NOT NULL, version TEXT NOT NULL, recorded_at TEXT NOT NULL,
    PRIMARY KEY (scheme, period)
);
CREATE TABLE IF NOT EXISTS outcomes (
    scheme TEXT NOT NULL, period TEXT NOT NULL, unit TEXT NOT NULL, name TEXT NOT NULL,
    total REAL, rank INTEGER, eligible INTEGER NOT NULL, detail TEXT NOT NULL,
    PRIMARY KEY (scheme, period, unit)
);
"""


@contextlib.contextmanager
def _connect(path: Path, autocommit: bool = False) -> t.Iterator[sqlite3.Connection]:
    """An open store with its tables; ``autocommit`` leaves transactions to the caller (BEGIN …)."""
    try:
        connection = sqlite3.connect(path, timeout=BUSY_SECONDS, isolation_level=None if autocommit else "DEFERRED")
    except sqlite3.Error as err:
        raise UsageError([Problem.at("history_unreadable", Location(str(path)), reason=str(err))]) from None
    try:
        connection.executescript(_SCHEMA)
        yield connection
    except sqlite3.OperationalError as err:
        if "locked" in str(err) or "busy" in str(err):
            raise UsageError([Problem.at("history_busy", Location(str(path)), file=str(path))]) from None
        raise UsageError([Problem.at("history_unreadable", Location(str(path)), reason=str(err))]) from None
    except sqlite3.DatabaseError as err:
        raise UsageError([Problem.at("history_unreadable", Location(str(path)), reason=str(err))]) from None
    finally:
        connection.close()


#: How long a writer waits for another one to finish before giving up ("busy").
BUSY_SECONDS = 30.0

#: Test-only: seconds to sleep between the steps of :func:`record`'s transaction, so a
#: fault test can kill the process inside it (tests/test_history_faults.py).
PAUSE_VARIABLE = "KAOHE_TEST_RECORD_PAUSE"


def _pause() -> None:
    seconds = os.environ.get(PAUSE_VARIABLE)
    if seconds:
        time.sleep(float(seconds))


def recorded_at(path: Path, scheme: str, period: str) -> str | None:
    """When ``period`` of ``scheme`` was recorded in the store at ``path`` (None: not recorded)."""
    if not path.exists():
        return None
    with _connect(path) as connection:
        row = connection.execute("SELECT recorded_at FROM runs WHERE scheme = ? AND period = ?", (scheme, period)).fetchone()
    return None if row is None else str(row[0])


def check_store(path: Path, scheme: str, period: str, replace: bool) -> None:
    """Refuse, before a ``--record`` run does any work, what :func:`record` would refuse after it.

    The store must be in an existing folder and readable, and must not hold
    ``period`` of ``scheme`` already unless ``replace``. :func:`record` asks
    again inside its transaction, which is what decides between two
    concurrent runs.
    """
    if not path.parent.is_dir():
        raise UsageError([Problem.at("history_unreadable", Location(str(path)), reason=f"no folder {path.parent}")])
    stamp = recorded_at(path, scheme, period)
    if stamp is not None and not replace:
        raise UsageError([_exists(path, scheme, period, stamp)])


def _exists(path: Path, scheme: str, period: str, stamp: str) -> Problem:
    return Problem.at("history_period_exists", Location(str(path)), file=str(path), scheme=scheme, period=period, recorded=stamp)


def record(path: Path, outcomes: Outcomes, period: str, replace: bool = False) -> int:
    """Store ``outcomes`` as ``period`` of their scheme; returns the units stored.

    One ``BEGIN IMMEDIATE`` transaction: it takes the store's write lock
    before reading, so of two runs recording one period the second waits,
    then finds the first one's period and is refused (unless ``replace``).
    The ``runs`` primary key backs this up: a plain INSERT of an existing
    period fails instead of overwriting it. A run killed inside the
    transaction leaves the store as it was (SQLite's journal rolls it back).

    Raises:
        UsageError: the period is recorded already and ``replace`` is false;
            the store is unreadable or stays locked by another writer.
    """
    results = outcomes.results
    scheme = results.scheme
    units = results.data.units
    rows = []
    for i in range(len(units)):
        total = float(results.total[i])
        detail = {
            "grades": {g.id: outcomes.grade_label(g, i) for g in scheme.grades},
            "rankings": {p.ranking.id: p.labels[i] for p in outcomes.placements},
            "actions": [a.id for a in scheme.actions if outcomes.actions[a.id][i]],
            "vetoes": [v.id for v in scheme.vetoes if results.vetoes[v.id][i]],
        }
        rows.append((
            scheme.id, period, str(units.ids[i]), str(units.names[i]),
            None if np.isnan(total) else total, int(outcomes.rank[i]) or None, int(bool(outcomes.eligible[i])),
            json.dumps(detail, ensure_ascii=False),
        ))
    stamp = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")
    with _connect(path, autocommit=True) as connection:
        connection.execute("BEGIN IMMEDIATE")
        try:
            _pause()
            found = connection.execute("SELECT recorded_at FROM runs WHERE scheme = ? AND period = ?", (scheme.id, period)).fetchone()
            if found is not None and not replace:
                raise UsageError([_exists(path, scheme.id, period, str(found[0]))])
            connection.execute("DELETE FROM outcomes WHERE scheme = ? AND period = ?", (scheme.id, period))
            connection.execute("DELETE FROM runs WHERE scheme = ? AND period = ?", (scheme.id, period))
            _pause()
            connection.execute("INSERT INTO runs VALUES (?, ?, ?, ?)", (scheme.id, period, scheme.version, stamp))
            half = len(rows) // 2
            connection.executemany("INSERT INTO outcomes VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows[:half])
            _pause()
            connection.executemany("INSERT INTO outcomes VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows[half:])
            _pause()
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise
    return len(rows)


def no_earlier(scheme: Scheme, n: int) -> dict[str, Column]:
    """The scheme's ``history`` columns when there is no earlier period: "no" for every unit."""
    return {entry.id: _empty(entry, n) for entry in scheme.history}


def lookup(path: Path, scheme: Scheme, period: str, unit_ids: npt.NDArray[np.str_]) -> tuple[dict[str, Column], list[Problem]]:
    """Columns for the scheme's ``history`` entries, aligned with ``unit_ids``.

    A unit absent from the earlier period (or no earlier period at all) gets
    "no": False, "" or NaN; the latter case is reported as a warning.
    """
    columns: dict[str, Column] = {}
    warnings: list[Problem] = []
    if not scheme.history:
        return columns, warnings
    n = unit_ids.shape[0]
    index = {str(u): i for i, u in enumerate(unit_ids)}
    for entry in scheme.history:
        source = entry.scheme or scheme.id
        column = _empty(entry, n)
        rows: list[tuple[str, float | None, int | None, str]] = []
        found = False
        wanted: str | None = None
        gaps: list[Problem] = []
        if path.exists():
            with _connect(path) as connection:
                # back 0 is this very period (only for another scheme's results).
                periods = [row[0] for row in connection.execute(
                    "SELECT period FROM runs WHERE scheme = ? AND period <= ? ORDER BY period DESC", (source, period))]
                earlier = [p for p in periods if p < period]
                sought = predecessor(period, entry.back)
                if entry.back == 0:
                    wanted = period if period in periods else None
                elif sought is not None:
                    # A calendar period: the one before it, or no record (not an older one).
                    wanted = sought if sought in earlier else None
                    if wanted is None and earlier:
                        gaps.append(Problem.at("history_period_gap", Location(str(path)), "warning", file=str(path), scheme=source,
                                               period=period, back=entry.back, sought=sought, name=entry.id, latest=earlier[0]))
                else:
                    wanted = earlier[entry.back - 1] if entry.back <= len(earlier) else None
                if wanted is not None:
                    found = True
                    rows = list(connection.execute(
                        "SELECT unit, total, rank, detail FROM outcomes WHERE scheme = ? AND period = ?", (source, wanted)))
        if gaps:
            warnings.extend(gaps)
        elif not found:
            warnings.append(Problem.at("history_no_earlier", Location(str(path)), "warning", file=str(path),
                                       scheme=source, period=period, back=entry.back, name=entry.id))
        for unit, total, rank, text in rows:
            i = index.get(unit)
            if i is not None:
                column[i] = _value(entry, total, rank, json.loads(text))
        columns[entry.id] = column
        # Which recorded period answered, for explain ("上一年度排名较后 = 是（2023 期）").
        columns[period_name(entry.id)] = np.full(n, wanted or "", dtype=f"<U{max(1, len(wanted or ''))}")
        # The calendar period looked for in vain, for explain ("2022 期无记录" rather than just "no record").
        missing = sought if gaps and sought is not None else ""
        columns[sought_name(entry.id)] = np.full(n, missing, dtype=f"<U{max(1, len(missing))}")
    return columns, warnings



#: Calendar periods: a year, a half-year, a quarter or a month.
_YEAR = re.compile(r"(\d{4})")
_PART = re.compile(r"(\d{4})-([HQhq])([1-4])")
_MONTH = re.compile(r"(\d{4})-(\d{2})")


def predecessor(period: str, back: int) -> str | None:
    """The calendar period ``back`` periods before ``period``, written the same way;
    None when ``period`` is not a year, half-year, quarter or month.

    >>> predecessor("2023", 1), predecessor("2024-03", 1), predecessor("2024-01", 2)
    ('2022', '2024-02', '2023-11')
    >>> predecessor("2024-Q1", 1), predecessor("2024-H1", 1), predecessor("第一期", 1)
    ('2023-Q4', '2023-H2', None)
    """
    if back <= 0:
        return period
    year = _YEAR.fullmatch(period)
    if year:
        value = int(year.group(1)) - back
        return f"{value:04d}" if value >= 1 else None
    month = _MONTH.fullmatch(period)
    if month and 1 <= int(month.group(2)) <= 12:
        index = int(month.group(1)) * 12 + int(month.group(2)) - 1 - back
        return f"{index // 12:04d}-{index % 12 + 1:02d}" if index >= 12 else None
    part = _PART.fullmatch(period)
    if part:
        size = 2 if part.group(2) in "Hh" else 4
        number = int(part.group(3))
        if number > size:
            return None
        index = int(part.group(1)) * size + number - 1 - back
        return f"{index // size:04d}-{part.group(2)}{index % size + 1}" if index >= size else None
    return None


def from_documents(documents: t.Sequence[t.Mapping[str, Yaml]], scheme: Scheme, unit_ids: npt.NDArray[np.str_],
                   columns: dict[str, Column]) -> dict[str, Column]:
    """Fill same-period references to other schemes from their ``kaohe run --format json``
    documents (JSON: a subset of what :data:`Yaml` holds) instead of the history file;
    returns the updated columns."""
    by_scheme = {mapping(doc["scheme"])["id"]: doc for doc in documents}
    index = {str(u): i for i, u in enumerate(unit_ids)}
    out = dict(columns)
    for entry in scheme.history:
        if entry.scheme is None or entry.back != 0 or entry.scheme not in by_scheme:
            continue
        column = _empty(entry, unit_ids.shape[0])
        for unit in mappings(by_scheme[entry.scheme]["units"]):
            i = index.get(str(unit["id"]))
            if i is None:
                continue
            detail = {
                "grades": {k: mapping(v).get("label") for k, v in mapping(unit.get("grades", {})).items()},
                "rankings": {k: mapping(v).get("label") for k, v in mapping(unit.get("rankings", {})).items()},
                "actions": [mapping(a)["id"] for a in sequence(unit.get("actions", []))],
                "vetoes": [mapping(v)["id"] for v in sequence(unit.get("vetoes", []))],
            }
            column[i] = _other(entry, unit.get("total"), unit.get("rank"), detail)
        out[entry.id] = column
    return out


def _empty(entry: History, n: int) -> Column:
    if entry.kind in ("total", "rank", "number"):
        return np.full(n, np.nan)
    if entry.kind in ("grade", "text"):
        return np.full(n, "", dtype="<U32")
    return np.zeros(n, dtype=bool)


def _value(entry: History, total: float | None, rank: int | None, detail: dict[str, t.Any]) -> t.Any:
    if entry.scheme is not None:
        return _other(entry, total, rank, detail)
    if entry.kind == "total":
        return np.nan if total is None else total
    if entry.kind == "rank":
        return np.nan if rank is None else rank
    if entry.kind == "grade":
        return detail["grades"].get(entry.of) or ""
    if entry.kind == "ranking":
        return detail["rankings"].get(entry.of) is not None
    if entry.kind == "action":
        return entry.of in detail["actions"]
    return entry.of in detail["vetoes"]


def _other(entry: History, total: Yaml, rank: Yaml, detail: dict[str, t.Any]) -> t.Any:
    """Another scheme's recorded value by name, as the declared type."""
    name = entry.of
    if entry.kind == "number":
        value = total if name == "total" else rank if name == "rank" else None
        return np.nan if value is None else value
    label = detail["grades"].get(name) or detail["rankings"].get(name)
    if entry.kind == "text":
        return label or ""
    return bool(label) or name in detail["actions"] or name in detail["vetoes"]
