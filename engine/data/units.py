"""The unit list table(s) → :class:`Units`, with where each unit was first listed.

A column at a time: blank ids and 合计/签字 lines are screened for the
whole column, and only the rows flagged are looked at one by one. A unit
listed twice in one table is an error; listed again in another table (a
department's sheet repeating the names), its name, type, group and parent
must agree. Unit types not declared by the scheme are refused.
"""

from __future__ import annotations

import dataclasses
import itertools

import numpy as np
import numpy.typing as npt
import polars as pl

from engine.data.cells import texts
from engine.data.dataset import Units
from engine.data.layout import Layout
from engine.data.report import Report
from engine.data.summary import skip_row, summary_mask
from engine.messages import closest
from engine import tree
from engine.model import Scheme
from engine.tables import Table


class FirstSeen:
    """Where each unit was first listed (table, spreadsheet row), by id — kept as two lists, not a million tuples."""

    def __init__(self, index: dict[str, int]) -> None:
        self.index = index
        self.tables: list[Table] = []
        self.rows: list[int] = []

    def __contains__(self, ident: object) -> bool:
        return ident in self.index

    def __getitem__(self, ident: str) -> tuple[Table, int]:
        at = self.index[ident]
        return self.tables[at], self.rows[at]

    def get(self, ident: str) -> tuple[Table, int] | None:
        return self[ident] if ident in self.index else None


@dataclasses.dataclass(frozen=True)
class UnitList:
    """The units read, each id's unit number, and where each was first listed."""

    units: Units
    index: dict[str, int]
    first: FirstSeen


def _place(table: Table, row: int) -> str:
    return f"{table.file}{f'[{table.sheet}]' if table.sheet else ''}:{row}"


def read_units(layouts: list[Layout], scheme: Scheme, report: Report) -> UnitList:
    """The unit list(s) → Units, a column at a time; only odd rows are looked at one by one."""
    ids: list[str] = []
    index: dict[str, int] = {}
    fields: dict[str, list[str]] = {"name": [], "type": [], "group": [], "parent": []}
    first = FirstSeen(index)
    for layout in layouts:
        table = layout.table
        columns = {field: col for col, field in layout.fields.items()}
        if layout.by_name:
            columns["name"] = layout.id_col
        key = texts(table, layout.id_col)
        given = {field: texts(table, col) for field, col in columns.items() if field in fields}
        keep = _kept_rows(report, layout, key, given)
        key_values = key.to_numpy()
        field_values = {field: series.to_numpy() for field, series in given.items()}
        first_in_table = pl.Series(key_values).is_first_distinct().to_numpy()
        _report_repeated(report, layout, key_values, np.flatnonzero(keep & ~first_in_table), first)
        keep &= first_in_table
        picked = np.flatnonzero(keep)
        if not ids:
            # The first (usually only) unit list: taken whole.
            chosen = key_values[picked]
            ids.extend(chosen.tolist())
            for field, values in fields.items():
                values.extend(field_values[field][picked].tolist() if field in field_values else [""] * len(picked))
            chosen_ids = chosen.tolist()
            index.update(zip(chosen_ids, range(len(chosen_ids))))
            first.tables.extend(itertools.repeat(table, len(chosen_ids)))
            first.rows.extend(table.rows[picked].tolist())
        else:
            for j in picked.tolist():
                ident = str(key_values[j])
                row = int(table.rows[j])
                if ident in first:
                    # The same unit listed again in another table (e.g. a department's
                    # sheet that repeats the names for readability): it must agree.
                    where, where_row = first[ident]
                    place = _place(where, where_row)
                    listed = index[ident]
                    for field, values in fields.items():
                        value = str(field_values[field][j]) if field in field_values else ""
                        if value and values[listed] and value != values[listed]:
                            report.error("data_unit_conflict", table.at(row, table.header[columns[field]]), id=ident,
                                         found=value, expected=values[listed], first=place)
                        elif value and not values[listed]:
                            values[listed] = value
                    continue
                first.tables.append(table)
                first.rows.append(row)
                index[ident] = len(ids)
                ids.append(ident)
                for field, values in fields.items():
                    values.append(str(field_values[field][j]) if field in field_values else "")
        if scheme.unit_types and "type" in columns:
            _check_types(report, scheme, table, columns["type"], ids, fields["type"], first)
    def arr(values: list[str]) -> npt.NDArray[np.str_]:
        return np.array(values, dtype=str) if values else np.array([], dtype="<U1")
    units = Units(arr(ids), arr(fields["name"]), arr(fields["type"]), arr(fields["group"]), arr(fields["parent"]))
    report.problems.extend(tree.unit_problems(scheme, units, first.tables, first.rows))  # parents listed, no cycle (engine.tree)
    return UnitList(units, index, first)


def _kept_rows(report: Report, layout: Layout, key: pl.Series, given: dict[str, pl.Series]) -> npt.NDArray[np.bool_]:
    """Rows that list a unit: blank ids are errors, 合计/签字 lines in any text column are skipped (warned)."""
    table = layout.table
    # Rows to look at one by one: blank keys and 合计/签字 lines in any text column.
    odd = (key == "").to_numpy()
    for series in (key, *given.values()):
        odd |= summary_mask(series)
    for col in range(min(3, table.frame.width)):
        if table.frame.schema[f"c{col}"] == pl.String:
            odd |= summary_mask(table.column(col).fill_null(""))
    keep = ~odd
    for i in np.flatnonzero(odd):
        if skip_row(report, table, int(i), layout.id_col, str(key[int(i)])):
            continue
        if not key[int(i)]:
            report.error("data_empty_id", table.at(int(table.rows[i]), table.header[layout.id_col]))
        else:
            keep[i] = True
    return keep


def _report_repeated(report: Report, layout: Layout, key_values: npt.NDArray[np.str_], repeated: npt.NDArray[np.intp],
                     first: FirstSeen) -> None:
    """An id listed twice in one table: an error at each repeat, naming where it was first listed."""
    table = layout.table
    # Where each repeated id first appears, found in Python: numpy compares
    # with a str scalar that has lost its trailing NULs (an id of "\x00").
    first_row: dict[object, int] = {}
    if repeated.size:
        for j, value in enumerate(key_values.tolist()):
            first_row.setdefault(value, j)
    for i in repeated:
        ident = str(key_values[i])
        where, where_row = first[ident] if ident in first else (table, int(table.rows[first_row[key_values[i]]]))
        code = "data_duplicate_name" if layout.by_name else "data_duplicate_unit"
        report.error(code, table.at(int(table.rows[i]), table.header[layout.id_col]), id=ident, first=_place(where, where_row))


def _check_types(report: Report, scheme: Scheme, table: Table, type_col: int, ids: list[str], types_of: list[str],
                 first: FirstSeen) -> None:
    """The units first listed in ``table`` with a type the scheme does not declare (or none): an error each."""
    types = np.array(types_of, dtype=object)
    for bad_type in np.flatnonzero(~np.isin(types, list(scheme.unit_types))).tolist():
        ident = ids[bad_type]
        if first[ident][0] is not table:
            continue
        unit_type = str(types[bad_type])
        place_of = table.at(first[ident][1], table.header[type_col])
        if not unit_type:
            # Type-limited items would silently not apply to this unit.
            report.error("data_blank_type", place_of, id=ident, values=", ".join(scheme.unit_types))
        else:
            report.error("data_bad_category", place_of, input="type", found=unit_type,
                         suggest=closest(unit_type, scheme.unit_types), values=", ".join(scheme.unit_types))
