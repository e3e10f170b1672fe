"""One data table's rows → unit numbers and positions, checked; its input columns → the collector.

Per table: each row's id (or name) is matched to a unit (unknown ids and
合计 lines reported or skipped), each row's period placed among a closed
dimension's values (or the sheet's month), duplicate rows refused (within
the table, and for raters across tables), then every input column parsed
(engine.data.parsing) and handed to the collector, a column at a time.
"""

from __future__ import annotations

import typing as t

import numpy as np
import numpy.typing as npt
import polars as pl

from engine.data.cells import codes, dimension_label, is_monthly, normalised, remap, texts, to_label
from engine.data.collector import Collector
from engine.data.dataset import RaterLabels
from engine.data.duplicates import AcrossTables, duplicates_within
from engine.data.layout import Layout
from engine.data.matching import UnitMatcher
from engine.data.parsing import CellParser
from engine.data.periods import later_rows
from engine.data.report import Report
from engine.data.summary import skip_row
from engine.messages import Text
from engine.model import Dimension, Scheme
from engine.tables import Table, normalise

#: Tables of at least this many rows let go of each column once read (below, the bookkeeping costs more than it frees).
RELEASE_ROWS = 50_000


class TableReader:
    """Reads the input columns of data tables into a collector."""

    def __init__(self, scheme: Scheme, report: Report, matcher: UnitMatcher, parser: CellParser, collector: Collector,
                 names_are_ids: bool) -> None:
        self.scheme = scheme
        self.report = report
        self.matcher = matcher
        self.parser = parser
        self.collector = collector
        #: The unit list itself was a list of names: names are the ids.
        self.names_are_ids = names_are_ids
        self.across = AcrossTables(report)
        #: Raters' labels per table, when the scheme has ballots (see Dataset.rater_labels).
        self.rater_labels: dict[int, RaterLabels] = {}

    def read(self, layout: Layout) -> None:
        """Read one table's input columns, a column at a time."""
        table = layout.table
        collector = self.collector
        dim_col = next((c for c, f in layout.fields.items() if f == f"dim:{layout.dim}"), None)
        input_cols = [(c, f) for c, f in layout.fields.items() if f in self.scheme.inputs]
        if not input_cols:
            return
        # A header-only table still provides its columns (e.g. nobody had a record).
        collector.store.seen_inputs.update(f for _, f in input_cols)
        dimension = self.scheme.dimensions.get(layout.dim) if layout.dim else None
        closed = dimension is not None and dimension.values is not None
        unit, run_keys, lengths = self._units(layout)

        def key_at(i: int) -> str:
            cell = table.cell(i, layout.id_col)
            return normalise(cell) if cell is not None else ""

        kept = unit >= 0
        rejected: set[int] = set()
        pending: RaterLabels | None = None
        self._report_unmatched(layout, kept, key_at)
        if layout.by_name and self.matcher.ambiguous_names:
            ambiguous = np.repeat(run_keys.is_in(list(self.matcher.ambiguous_names)).to_numpy(), lengths)
            for i in np.flatnonzero(kept & ambiguous):
                self.report.error("data_ambiguous_name", table.at(int(table.rows[i]), table.header[layout.id_col]), name=key_at(int(i)))
                kept[i] = False
        position: npt.NDArray[np.int64] = np.zeros(len(table), dtype=np.int64)
        if closed:
            assert dimension is not None
            position = self._positions(layout, dimension, dim_col, unit, kept, rejected)
        if dimension is None or closed:
            width = len(dimension.values) if dimension is not None and dimension.values is not None else 1
            cells = unit * width + position
            if kept.all():
                # The same flat cell index is what the collector scatters by: computed once per table.
                collector.flat = (unit, position, width, cells)
            duplicates_within(self.report, table, kept, cells, layout.id_col if dim_col is None else dim_col,
                              lambda i: (key_at(i), t.cast(tuple[str, ...], dimension.values)[int(position[i])] if dimension is not None else ""),
                              dimension.title if dimension is not None else Text("单位", "unit"))
        elif dim_col is not None:
            assert dimension is not None
            pending = self._raters(table, dimension, dim_col, unit, kept, key_at, input_cols)
        if len(table) >= RELEASE_ROWS:
            # Ids, periods, names and notes have been read and checked: only input columns are still needed.
            wanted = {col for col, _ in input_cols}
            for col in range(table.frame.width):
                if col not in wanted:
                    table.release_column(col)
        source = collector.store.source(table)
        if pending is not None:
            self.rater_labels[source] = pending
        self._put_columns(table, input_cols, unit, position, kept, rejected, source)

    def _units(self, layout: Layout) -> tuple[npt.NDArray[np.int64], pl.Series, npt.NDArray[np.int64]]:
        """Each row's unit number (-1: unknown), and the runs of equal keys (keys, lengths)."""
        table = layout.table
        by_name = layout.by_name and not self.names_are_ids
        # Rows come grouped by unit (12 months, 10 raters each): ids are normalised and looked
        # up once per run of equal cells, then repeated — a tenth of the work on a million members.
        raw_key = table.column(layout.id_col) if layout.id_col < table.frame.width else pl.Series([None] * len(table), dtype=pl.String)
        if raw_key.dtype != pl.String:
            raw_key = texts(table, layout.id_col)
        runs = raw_key.rle()
        if len(runs) * 2 < len(raw_key):
            lengths = runs.struct.field("len").to_numpy()
            run_keys = normalised(runs.struct.field("value"))
            unit = np.repeat(self.matcher.numbers(run_keys, by_name), lengths)
        else:  # rows not grouped by unit
            lengths = np.ones(len(raw_key), dtype=np.int64)
            run_keys = normalised(raw_key)
            unit = self.matcher.numbers(run_keys, by_name)
        return unit, run_keys, lengths

    def _report_unmatched(self, layout: Layout, kept: npt.NDArray[np.bool_], key_at: t.Callable[[int], str]) -> None:
        """Rows whose id matches no unit: 合计 lines skipped, blank ids and unknown ids reported."""
        table = layout.table
        problems = self.report.problems
        before = len(problems)
        for i in np.flatnonzero(~kept):
            ident = key_at(int(i))
            if skip_row(self.report, table, int(i), layout.id_col, ident):
                continue
            where = table.at(int(table.rows[i]), table.header[layout.id_col])
            if not ident:
                self.report.error("data_empty_id", where)
            else:
                self.matcher.unknown(where, ident, layout.by_name)
        zeros = [p for p in problems[before:] if p.code == "data_unknown_unit_zeros"]
        if len(zeros) > 5:
            # A whole id column typed as numbers: one message for the column, not one per row.
            problems[before:] = [p for p in problems[before:] if p.code != "data_unknown_unit_zeros"]
            first = dict(zeros[0].args)
            self.report.error("data_unknown_unit_zeros_many", zeros[0].location, count=len(zeros), id=first["id"], listed=first["listed"])

    def _positions(self, layout: Layout, dimension: Dimension, dim_col: int | None, unit: npt.NDArray[np.int64],
                   kept: npt.NDArray[np.bool_], rejected: set[int]) -> npt.NDArray[np.int64]:
        """Each row's position among a closed dimension's values; rows with a bad period reported and dropped."""
        table = layout.table
        assert dimension.values is not None
        position: npt.NDArray[np.int64] = np.zeros(len(table), dtype=np.int64)
        if layout.sheet_position is not None:
            position[:] = layout.sheet_position
            return position
        assert dim_col is not None
        labels = table.column(dim_col)
        if labels.dtype != pl.String:
            labels = texts(table, dim_col)
        # Twelve distinct months among a million rows: each is read once, then looked up.
        label_codes, distinct = codes(labels)
        del labels
        monthly = is_monthly(dimension)
        # A run to date knows the later values too (engine.to_date): their rows are left out, with a note.
        known = dimension.values + dimension.later
        mapped = [dimension_label(to_label(v if v != "" else None), known, monthly) for v in distinct] + [""]
        lookup = np.array([known.index(m) if m in known else -1 for m in mapped], dtype=np.int64)
        position = lookup[label_codes]
        if dimension.later:
            later_rows(self.report, table.at(None, table.header[dim_col]), dimension, position[kept])
            kept &= position < len(dimension.values)
        bad = kept & (position < 0)
        for i in np.flatnonzero(bad):
            code = int(label_codes[i])
            self.report.error("data_bad_dim_value", table.at(int(table.rows[i]), table.header[dim_col]), dim=dimension.title,
                              found=mapped[code] if code < len(mapped) else "", values=", ".join(dimension.values))
            rejected.add(int(unit[i]))
        kept &= ~bad
        return position

    def _raters(self, table: Table, dimension: Dimension, dim_col: int, unit: npt.NDArray[np.int64], kept: npt.NDArray[np.bool_],
                key_at: t.Callable[[int], str], input_cols: list[tuple[int, str]]) -> RaterLabels | None:
        """An open dimension with its column (测评人): the same rater twice for a unit is an error.

        Returns the raters' labels of the rows when the scheme has ballots.
        """
        raw_labels = table.column(dim_col) if table.frame.schema[f"c{dim_col}"] == pl.String else texts(table, dim_col)
        # Raters' labels normalised once per distinct label (" 票01" and "票01" are one rater).
        raw_codes, distinct = codes(raw_labels)
        del raw_labels
        names = [normalise(v) for v in distinct]
        folded = {name: k for k, name in enumerate(dict.fromkeys(names))}
        lookup = np.array([folded[name] for name in names] + [-1], dtype=np.int64)
        label_codes = lookup[raw_codes]
        labelled = label_codes >= 0
        if "" in folded:
            labelled &= label_codes != folded[""]
        pending: RaterLabels | None = None
        if self.scheme.ballots:
            # A ballot is one rater's rows across units (engine.ballots): keep who gave each row.
            pending = (table.rows.astype(np.int32), np.where(labelled, label_codes, -1), tuple(folded))
        rater_cells = unit * (len(folded) + 1) + label_codes
        duplicates_within(self.report, table, kept & labelled, rater_cells, dim_col,
                          lambda i: (key_at(i), normalise(table.cell(i, dim_col) or "")), dimension.title)
        if any(self.collector.store.providers.get(field, 0) > 1 for _, field in input_cols):
            # Another table gives this input too (a copy of 大会测评.csv beside it): the same
            # rater for the same unit in two tables is as much a duplicate as within one.
            self.across.check(table, kept & labelled, unit, np.array(names + [""], dtype=object)[raw_codes],
                              dim_col, key_at, dimension)
        return pending

    def _put_columns(self, table: Table, input_cols: list[tuple[int, str]], unit: npt.NDArray[np.int64],
                     position: npt.NDArray[np.int64], kept: npt.NDArray[np.bool_], rejected: set[int], source: int) -> None:
        """Each input column of the kept rows parsed and put, its memory let go once read."""
        collector = self.collector
        everyone = bool(kept.all())
        pick = np.flatnonzero(kept) if not everyone else None
        rows = table.rows if pick is None else table.rows[pick]
        unit_index = unit if everyone else unit[pick]
        position_index = position if everyone else position[pick]
        mask = pl.Series(kept)
        for col, ident_input in input_cols:
            collector.store.explained.setdefault(ident_input, set()).update(rejected)
            spec = self.scheme.inputs[ident_input]
            if col >= table.frame.width:
                raw = pl.Series([None] * len(rows), dtype=pl.String)
            else:
                raw = table.column(col) if everyone else table.column(col).filter(mask)
            merged = remap(table.merged.get(col), pick)
            percent = remap(table.percent.get(col), pick)
            values, valid, blank = self.parser.parse_column(spec, raw, table, col, rows, merged, percent)
            del raw
            collector.put(spec, unit_index, position_index, values, valid, blank, rows, source, table.at(None, table.header[col]))
            del values, valid, blank
            if len(table) >= RELEASE_ROWS:
                table.release_column(col)  # read: its memory goes back before the next column's
