"""Rows of open-dimension inputs (测评人, 奖惩记录) → ``(n, k)`` arrays, k = the most rows any unit has.

Each table's rows for an input are kept as a run (unit of each row, values,
which are filled, spreadsheet rows, table), and laid out per set of tables:
every data row is one position of its unit, in data order. The inputs of one
table share their unit runs, so the layout is computed once per set of
tables, not per input.
"""

from __future__ import annotations

import typing as t

import numpy as np
import numpy.typing as npt

from engine.data.dataset import Column
from engine.data.store import Store, absent, empty
from engine.model import Input

#: One table's rows for an open-dimension input: (unit of each row, values, which are filled, spreadsheet rows, table).
Run: t.TypeAlias = tuple[npt.NDArray[np.int64], Column, npt.NDArray[np.bool_], npt.NDArray[np.int32], int]
#: An input's finished arrays: (values, origin rows, origin tables), each (n, k).
Padded: t.TypeAlias = tuple[Column, npt.NDArray[np.int32], npt.NDArray[np.int32]]
#: Where each data row goes (an (n, k) mask for rows grouped in unit order, else a flat
#: index), the width k, and the origin rows and tables.
_Placing = tuple[npt.NDArray[np.bool_] | npt.NDArray[np.int64], int, npt.NDArray[np.int32], npt.NDArray[np.int32]]


class OpenRows:
    """The runs of every open-dimension input, padded when their last table is read."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.n = store.n
        self.runs: dict[str, list[Run]] = {}
        #: Open-dimension inputs given by one table only: padded as soon as read (see :meth:`add`).
        self.padded: dict[str, Padded] = {}
        #: Layouts per set of unit runs, keyed by the ids of the runs' unit arrays, which
        #: are kept with the entry (an id is unique only while alive).
        self.layouts: dict[tuple[int, ...], _Placing] = {}
        self.layout_units: dict[tuple[int, ...], tuple[npt.NDArray[np.int64], ...]] = {}
        #: Rows per unit, per set of unit runs (see :meth:`unit_counts`).
        self.counts: dict[tuple[int, ...], npt.NDArray[np.int64]] = {}
        #: Whether an open-dimension layout is rows in unit order, the same count each.
        self.in_order: dict[tuple[int, ...], bool] = {}

    def add(self, spec: Input, run: Run) -> None:
        """One table's rows for ``spec``."""
        self.runs.setdefault(spec.id, []).append(run)
        if self.store.providers.get(spec.id, 0) <= 1:
            # The only table with this input: padded now, so that the table's columns (and this
            # copy of its values) are let go table by table instead of all held until the end.
            self.padded[spec.id] = self.pad(spec)
            del self.runs[spec.id]

    def widths(self, scheme_inputs: t.Mapping[str, Input]) -> dict[str, int]:
        """Per open dimension: the most rows any unit has over its inputs."""
        widths: dict[str, int] = {}
        for ident, (column, _, _) in self.padded.items():
            dim = t.cast(str, scheme_inputs[ident].per)
            widths[dim] = max(widths.get(dim, 0), column.shape[1])
        for ident, runs in self.runs.items():
            dim = t.cast(str, scheme_inputs[ident].per)
            counts = self.unit_counts(runs) if runs else np.zeros(1, np.int64)
            widths[dim] = max(widths.get(dim, 0), int(counts.max()) if len(counts) else 0)
        return widths

    def take(self, spec: Input) -> Padded:
        """An input's padded arrays, let go here (memory at a million members); width 0 when no table gave it."""
        if spec.id in self.padded:
            out = self.padded.pop(spec.id)
        elif spec.id in self.runs:
            out = self.pad(spec)
        else:
            out = empty(spec, self.n, 0), np.full((self.n, 0), -1, np.int32), np.zeros((self.n, 0), np.int32)
        self.runs.pop(spec.id, None)
        return out

    def _key(self, runs: list[Run]) -> tuple[int, ...]:
        """The cache key of a set of runs: their unit arrays' ids, kept alive while cached."""
        key = tuple(id(r[0]) for r in runs)
        if key in self.layout_units and any(a is not r[0] for a, r in zip(self.layout_units[key], runs)):
            raise AssertionError("unit arrays cached under a reused id")  # cannot happen while they are kept
        self.layout_units[key] = tuple(r[0] for r in runs)
        return key

    def unit_counts(self, runs: list[Run]) -> npt.NDArray[np.int64]:
        """Rows per unit over ``runs`` (a set of tables), counted once per set: its inputs share it."""
        key = self._key(runs)
        if key not in self.counts:
            counts = np.zeros(self.n, dtype=np.int64)
            for run in runs:
                counts += np.bincount(run[0], minlength=self.n)
            self.counts[key] = counts
        return self.counts[key]

    def _place(self, runs: list[Run], key: tuple[int, ...]) -> None:
        """Where each row of ``runs`` goes, and its origin rows and tables (cached under ``key``).

        Rows grouped by unit in unit order (the usual export) are laid out by a
        small (n, k) mask filled row by row — no sort and no index arrays as
        long as the data; only rows in another order are sorted.
        """
        counts = self.unit_counts(runs)
        count = int(counts.sum())
        width = int(counts.max()) if count else 0
        units = runs[0][0] if len(runs) == 1 else np.concatenate([r[0] for r in runs])
        grouped = bool(count < 2 or (units[1:] >= units[:-1]).all())
        if len(runs) == 1:
            source_rows = runs[0][3]
        else:
            source_rows = np.concatenate([r[3] for r in runs])
        row = np.full((self.n, width), -1, dtype=np.int32)
        table = np.zeros((self.n, width), dtype=np.int32)
        layout: npt.NDArray[np.bool_] | npt.NDArray[np.int64]
        if grouped:
            # Row-major boolean assignment fills each unit's first count[u] positions in data order.
            layout = np.arange(width) < counts[:, None]
            in_order = bool(layout.all())
            row[layout] = source_rows
            if len(runs) == 1:
                table[layout] = runs[0][4]
            else:
                table[layout] = np.concatenate([np.full(len(r[0]), r[4], dtype=np.int32) for r in runs])
        else:
            order = np.argsort(units, kind="stable")
            ordered = units[order]
            starts = np.r_[True, ordered[1:] != ordered[:-1]]
            run_start = np.maximum.accumulate(np.where(starts, np.arange(count), 0))
            position = np.empty(count, dtype=np.int64)
            position[order] = np.arange(count) - run_start
            layout = units * width + position
            in_order = False
            row.ravel()[layout] = source_rows
            table.ravel()[layout] = np.concatenate([np.full(len(r[0]), r[4], dtype=np.int32) for r in runs])
        self.layouts[key] = (layout, width, self.store.share(row), self.store.share(table))
        self.in_order[key] = in_order

    def pad(self, spec: Input) -> Padded:
        """Open-dimension runs → (n, k) arrays; every data row is one position."""
        runs = self.runs[spec.id]
        key = self._key(runs)
        if key not in self.layouts:
            self._place(runs, key)
        layout, width, row, table = self.layouts[key]
        parts = [r[1] if r[2].all() else np.where(r[2], r[1], absent(spec)) for r in runs]
        values = parts[0] if len(parts) == 1 else np.concatenate(parts)
        if width and len(values) == self.n * width and self.in_order.get(key, False):
            return values.reshape(self.n, width), row, table
        column = empty(spec, self.n, width)
        if layout.dtype == bool:
            column[layout] = values
        else:
            column.ravel()[layout] = values
        return column, row, table
