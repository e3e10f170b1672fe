"""Parsed columns of each table → the store's per-input arrays (engine.data.store).

Per-unit and closed-dimension inputs are scattered straight into their final
arrays (with presence, origin-row and invalid masks), the common cases
without any scatter: a first table that fills every cell in order gives its
parsed column itself. The same cell given again by another table is an error
at the later row. Open-dimension inputs go to engine.data.open_dims.
"""

from __future__ import annotations

import typing as t

import numpy as np
import numpy.typing as npt

from engine.data.dataset import Column
from engine.data.missing import MissingValues
from engine.data.open_dims import OpenRows
from engine.data.report import Report
from engine.data.store import Store, empty, zero
from engine.errors import Location
from engine.messages import Text
from engine.model import Input, Scheme

#: A table's flat cell index: (units, positions, width, units * width + positions).
Flat: t.TypeAlias = tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], int, npt.NDArray[np.int64]]
#: One input's presence, invalid, origin-row and origin-table arrays.
Marks: t.TypeAlias = tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_], npt.NDArray[np.int32], npt.NDArray[np.int32]]


class Collector:
    """Gathers parsed columns per input into the store."""

    def __init__(self, scheme: Scheme, n: int, needed: dict[str, npt.NDArray[np.bool_]] | None, report: Report,
                 unit_ids: npt.NDArray[np.str_], data_location: Location) -> None:
        self.scheme = scheme
        self.n = n
        #: Inputs only some units need (engine.needs): which units. A blank cell elsewhere is no mistake.
        self.needed = needed or {}
        self.report = report
        self.unit_ids = unit_ids
        self.store = Store(scheme, n)
        self.open = OpenRows(self.store)
        self.missing = MissingValues(scheme, self.store, self.needed, report, data_location)
        #: The flat index of the table being put (see :meth:`put`).
        self.flat: Flat | None = None
        #: Presence, invalid, rows and tables built for the table being put (see :meth:`put`).
        self.partial: tuple[npt.NDArray[np.int64], Marks] | None = None
        #: Whether that flat index is 0, 1, 2 … (rows sorted by unit and period).
        self.identity: tuple[npt.NDArray[np.int64], bool] | None = None
        #: Rows already reported as given again in another table.
        self.clashes: set[tuple[str, str | None, int]] = set()

    def put(self, spec: Input, units: npt.NDArray[np.int64], positions: npt.NDArray[np.int64],
            values: Column, valid: npt.NDArray[np.bool_], blank: npt.NDArray[np.bool_],
            rows: npt.NDArray[np.int32], source: int, where: Location) -> None:
        """One table's parsed column for ``spec``: row i gives cell (units[i], positions[i])."""
        store = self.store
        store.input_files.setdefault(spec.id, Location(where.file, None, None, None, where.sheet))
        if store.width(spec) == -1:
            self._put_open(spec, units, values, valid, blank, rows, source, where)
            return
        filled_all = bool(valid.all()) and not bool(blank.any())
        width = store.width(spec) or 1
        if spec.id not in store.columns and filled_all and len(units) == self.n * width and self.covers(units, positions, width):
            # The first table for this input fills every cell (the usual case): the arrays are
            # built straight from the columns, without allocating and scattering into blanks.
            self.fill(spec, values, rows, source, width)
            return
        if spec.id not in store.columns and filled_all:
            self._put_first(spec, units, positions, values, rows, source, width)
            return
        self._scatter(spec, units, positions, values, valid, blank, rows, source, where, width)

    def _put_open(self, spec: Input, units: npt.NDArray[np.int64], values: Column, valid: npt.NDArray[np.bool_],
                  blank: npt.NDArray[np.bool_], rows: npt.NDArray[np.int32], source: int, where: Location) -> None:
        empty_cells = valid & blank
        if empty_cells.any():
            # A rater's or record's row with this cell blank: the input's missing policy decides.
            if spec.missing == "zero":
                values = values.copy()
                values[empty_cells] = zero(spec)
                blank = blank & ~empty_cells
            elif spec.missing == "error":
                self.missing.blank_rows(spec, units, rows, empty_cells, where)
        self.open.add(spec, (units, values, valid & ~blank, rows, source))

    def _put_first(self, spec: Input, units: npt.NDArray[np.int64], positions: npt.NDArray[np.int64], values: Column,
                   rows: npt.NDArray[np.int32], source: int, width: int) -> None:
        """First table for this input, every row's cell filled: presence, rows and tables
        are the same for all inputs of the table — built once, shared."""
        store = self.store
        flat = self.flat_index(units, positions, width)
        shape: tuple[int, ...] = (self.n,) if spec.per is None else (self.n, width)
        if self.partial is None or self.partial[0] is not flat:
            present = np.zeros(shape, dtype=bool)
            present.ravel()[flat] = True
            row = np.full(shape, -1, dtype=np.int32)
            row.ravel()[flat] = rows
            table = np.zeros(shape, dtype=np.int32)
            table.ravel()[flat] = source
            marks: Marks = (store.share(present), store.share(np.zeros(shape, dtype=bool)), store.share(row), store.share(table))
            store.shared.update(id(a) for a in marks)
            self.partial = (flat, marks)
        column = empty(spec, self.n, None if spec.per is None else width)
        column.ravel()[flat] = values
        store.columns[spec.id] = column
        store.present[spec.id], store.invalid[spec.id], store.rows[spec.id], store.tables[spec.id] = self.partial[1]

    def _scatter(self, spec: Input, units: npt.NDArray[np.int64], positions: npt.NDArray[np.int64], values: Column,
                 valid: npt.NDArray[np.bool_], blank: npt.NDArray[np.bool_], rows: npt.NDArray[np.int32], source: int,
                 where: Location, width: int) -> None:
        """The general case: the filled cells written into the input's arrays (copied first when shared)."""
        store = self.store
        store.ensure(spec)
        if not store.columns[spec.id].flags.writeable:
            store.columns[spec.id] = store.columns[spec.id].copy()  # read straight from a file: copied before writing
        store.unshare(spec.id)  # shared with another input: copied before writing
        filled = valid & ~blank
        everything = bool(filled.all())
        # Flat positions into the (n,) or (n, k) arrays: one 1-D index per table, shared by its inputs.
        flat = self.flat_index(units, positions, width)
        present = store.present[spec.id].ravel()
        if present.any():
            clash = filled & present[flat]
            self._report_clashes(spec, clash, flat, units, positions, rows, where)
            if clash.any():
                filled &= ~clash
                everything = False
        pick = flat if everything else flat[filled]
        store.columns[spec.id].ravel()[pick] = values if everything else values[filled]
        present[pick] = True
        store.rows[spec.id].ravel()[pick] = rows if everything else rows[filled]
        store.tables[spec.id].ravel()[pick] = source
        if not valid.all():
            store.invalid[spec.id].ravel()[flat[~valid]] = True
        empty_cells = valid & blank
        if empty_cells.any():
            # Where a blank cell sits, so that a missing value names its row and column.
            if spec.id not in store.blank_rows:
                store.blank_rows[spec.id] = np.full(store.present[spec.id].shape, -1, dtype=np.int32)
                store.blank_tables[spec.id] = np.zeros(store.present[spec.id].shape, dtype=np.int32)
                store.blank_columns[spec.id] = where.column if isinstance(where.column, str) else ""
            spot = flat[empty_cells]
            store.blank_rows[spec.id].ravel()[spot] = rows[empty_cells]
            store.blank_tables[spec.id].ravel()[spot] = source
        store.share_marks(spec.id)

    def _report_clashes(self, spec: Input, clash: npt.NDArray[np.bool_], flat: npt.NDArray[np.int64], units: npt.NDArray[np.int64],
                        positions: npt.NDArray[np.int64], rows: npt.NDArray[np.int32], where: Location) -> None:
        """The same cell given again in another table: an error once per row, naming the first."""
        store = self.store
        for i in np.flatnonzero(clash).tolist():
            if (where.file, where.sheet, int(rows[i])) in self.clashes:
                continue
            self.clashes.add((where.file, where.sheet, int(rows[i])))
            cell = int(flat[i])
            file, sheet = store.sources[int(store.tables[spec.id].ravel()[cell])]
            first = f"{file}{f'[{sheet}]' if sheet else ''}:{int(store.rows[spec.id].ravel()[cell])}"
            dimension = self.scheme.dimensions[spec.per] if spec.per is not None else None
            period = Text(f"{dimension.title} {t.cast(tuple[str, ...], dimension.values)[int(positions[i])]} 的值",
                          f" {dimension.title} {t.cast(tuple[str, ...], dimension.values)[int(positions[i])]}") if dimension is not None else Text("值", "")
            self.report.error("data_duplicate_across", Location(where.file, int(rows[i]), None, None, where.sheet),
                              id=str(self.unit_ids[int(units[i])]), period=period, first=first)

    def flat_index(self, units: npt.NDArray[np.int64], positions: npt.NDArray[np.int64], width: int) -> npt.NDArray[np.int64]:
        """Flat positions into an (n,) or (n, k) array, computed once per table (its inputs share it)."""
        cached = self.flat
        if cached is None or cached[0] is not units or cached[1] is not positions or cached[2] != width:
            # (The arrays themselves are kept, not their ids: a freed array's id may be reused.)
            cached = self.flat = (units, positions, width, units * width + positions)
        return cached[3]

    def covers(self, units: npt.NDArray[np.int64], positions: npt.NDArray[np.int64], width: int) -> bool:
        """Whether the rows put every (unit, position) exactly once (duplicates were refused before)."""
        flat = self.flat_index(units, positions, width)
        if self.identity is not None and self.identity[0] is flat:
            return True
        return len(flat) == self.n * width  # as many distinct cells as there are: all of them

    def fill(self, spec: Input, values: Column, rows: npt.NDArray[np.int32], source: int, width: int) -> None:
        """Columns for an input whose first table gives every cell once."""
        store = self.store
        flat = self.flat[3] if self.flat is not None else np.zeros(0, np.int64)
        shape: tuple[int, ...] = (self.n,) if spec.per is None else (self.n, width)
        if self.identity is None or self.identity[0] is not flat:
            self.identity = (flat, bool(np.array_equal(flat, np.arange(len(flat)))))
        in_order = self.identity[1]
        if in_order:
            # The parsed column itself, no copy (read-only: a correction copies it first).
            column = values.reshape(shape)
            column.flags.writeable = False
            row = np.asarray(rows, dtype=np.int32).reshape(shape)
        else:
            column = np.empty(shape, dtype=values.dtype)
            column.ravel()[flat] = values
            row = np.empty(shape, dtype=np.int32)
            row.ravel()[flat] = rows
        store.columns[spec.id] = column
        store.present[spec.id] = store.share(np.ones(shape, dtype=bool))
        store.invalid[spec.id] = store.share(np.zeros(shape, dtype=bool))
        store.rows[spec.id] = store.share(row)
        store.tables[spec.id] = store.share(np.full(shape, source, dtype=np.int32))
        for kept in (store.present, store.invalid, store.rows, store.tables):
            store.shared.add(id(kept[spec.id]))  # never written in place: copied first

    def manual_mask(self) -> npt.NDArray[np.bool_]:
        """Which units were graded by hand (their manual grade given)."""
        manual = self.scheme.manual
        if manual is None or manual.input not in self.store.present:
            return np.zeros(self.n, dtype=bool)
        return self.store.present[manual.input].copy()
