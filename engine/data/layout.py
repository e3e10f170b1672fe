"""A table's header → what each of its columns holds (:class:`Layout`).

The id column (or, without one, the name column: units matched by name),
the unit-list fields, the inputs and their dimension. A table mixing inputs
of different dimensions, or a closed dimension's table without its column
(and no sheet name such as 3月 to stand for it), is refused with its header
row; unknown columns are warned about with the closest input title.
"""

from __future__ import annotations

import dataclasses

from engine.data.cells import dimension_label, is_monthly
from engine.data.headers import ID_ALIASES, NOTE_COLUMNS, Headers
from engine.data.report import Report
from engine.messages import closest
from engine.model import Scheme
from engine.tables import Table, normalise


@dataclasses.dataclass(frozen=True)
class Layout:
    """What each column of a table holds."""

    table: Table
    id_col: int
    fields: dict[int, str]  # column index → "name"/"type"/"group"/"parent"/"dim:<id>"/input id
    dim: str | None
    #: The table has no id column: its units are matched by name.
    by_name: bool = False
    #: Position of a closed dimension taken from the sheet name (one sheet per month).
    sheet_position: int | None = None


def lay_out(table: Table, scheme: Scheme, headers: Headers, report: Report) -> Layout | None:
    """A table → its layout, or None (reported) when its columns cannot be read as data."""
    id_col = None
    fields: dict[int, str] = {}
    unknown: list[str] = []
    seen: dict[str, int] = {}
    for col, header in enumerate(table.header):
        if not header:
            continue
        key = header.lower()
        if id_col is None and (key in ID_ALIASES or header == headers.subject_id):
            id_col = col
            continue
        field = headers.aliases.get(key)
        if field is None:
            if key not in NOTE_COLUMNS:
                unknown.append(header)
            continue
        if field in seen:
            report.error("data_duplicate_column", table.at(table.header_row, header), column=header, first=seen[field] + 1, field=field)
            continue
        seen[field] = col
        fields[col] = field
    by_name = False
    if id_col is None:
        name_col = next((c for c, f in fields.items() if f == "name"), None)
        if name_col is None:
            report.error("data_no_id_column", table.at(table.header_row), aliases=", ".join(headers.id_aliases))
            return None
        # 序号 + 单位名称 and no 编号: the units are matched by name.
        id_col, by_name = name_col, True
        del fields[name_col]
    inputs = [f for f in fields.values() if f in scheme.inputs]
    dims = {scheme.inputs[f].per for f in inputs}
    if len(dims) > 1:
        found = ", ".join(f"{f}→{scheme.inputs[f].per or '单位'}" for f in inputs)
        report.error("data_mixed_dims", table.at(table.header_row), found=found)
        return None
    dim = dims.pop() if dims else None
    if dim is None:
        dim_cols = [f for f in fields.values() if f.startswith("dim:")]
        if dim_cols and not inputs:
            dim = dim_cols[0][4:]
    sheet_position = None
    if dim is not None:
        declared = scheme.dimensions[dim]
        if declared.values is not None and f"dim:{dim}" not in fields.values():
            # One sheet per month (1月 … 12月) or quarter: the sheet name is the period.
            label = dimension_label(normalise(table.sheet or ""), declared.values + declared.later, is_monthly(declared))
            if table.sheet is not None and label in declared.later:
                # A later month's sheet in a run to date (engine.to_date): left out, with a note.
                report.warn("data_later_rows", table.at(table.header_row), count=len(table), dim=declared.title, values=label,
                            until=declared.values[-1], last=declared.later[-1])
                return None
            if table.sheet is not None and label in declared.values:
                sheet_position = declared.values.index(label)
            else:
                report.error("data_missing_dim_column", table.at(table.header_row), dim=declared.title, values=", ".join(declared.values))
                return None
    if unknown:
        candidates = [i.title for i in scheme.inputs.values()] + list(scheme.inputs)
        report.warn("data_unknown_columns", table.at(table.header_row),
                    columns=", ".join(unknown), suggest=closest(unknown[0], candidates))
    return Layout(table, id_col, fields, dim, by_name, sheet_position)
