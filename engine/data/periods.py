"""The months so far: how far the data of a to-date dimension reaches, and its later rows left out.

A scheme whose dimension is ``to_date`` (engine.to_date) and that is run
without ``--until`` covers the values the data has rows for: :func:`reached`
is the last value any table of that dimension has a row (or a sheet) for.
A run that stops earlier (``--until 3`` on a whole year's data) leaves out
the rows of later values: :func:`later_rows` says so once per table.
"""

from __future__ import annotations

import typing as t

import numpy as np
import numpy.typing as npt
import polars as pl

from engine.data.cells import dimension_label, is_monthly, texts, to_label
from engine.data.layout import Layout
from engine.data.report import Report
from engine.errors import Location
from engine.model import Dimension, Scheme


def reached(scheme: Scheme, layouts: t.Sequence[Layout]) -> str | None:
    """The last value of the scheme's to-date dimension that the tables have rows for (``None``: none)."""
    spec = scheme.to_date
    if spec is None:
        return None
    dim = scheme.dimensions[spec.dimension]
    values = spec.values
    last = -1
    for layout in layouts:
        if layout.dim != spec.dimension:
            continue
        if layout.sheet_position is not None:
            last = max(last, layout.sheet_position)
            continue
        col = next((c for c, f in layout.fields.items() if f == f"dim:{spec.dimension}"), None)
        if col is None or not len(layout.table):
            continue
        table = layout.table
        labels = table.column(col) if table.frame.schema[f"c{col}"] == pl.String else texts(table, col)
        distinct = t.cast(list[str], labels.drop_nulls().unique().to_list())
        monthly = is_monthly(dim)
        for value in distinct:
            label = dimension_label(to_label(value if value != "" else None), values, monthly)
            if label in values:
                last = max(last, values.index(label))
    return values[last] if last >= 0 else None


def later_rows(report: Report, where: Location, dimension: Dimension, positions: npt.NDArray[np.int64]) -> None:
    """One note for the rows of a table whose position is past the run's values (``--until``)."""
    count = int(np.count_nonzero(positions >= len(t.cast(tuple[str, ...], dimension.values))))
    if not count:
        return
    values = t.cast(tuple[str, ...], dimension.values)
    present = sorted({int(p) for p in np.unique(positions[positions >= len(values)])})
    later = [dimension.later[p - len(values)] for p in present]
    report.warn("data_later_rows", where, count=count, dim=dimension.title, values=_span(later),
                until=values[-1], last=dimension.later[-1])


def _span(values: t.Sequence[str]) -> str:
    """4, 5, 6 … 12 as "4–12" when they run on, else listed."""
    numbers = [int(v) for v in values if v.isdigit()]
    if len(numbers) == len(values) > 2 and numbers == list(range(numbers[0], numbers[0] + len(numbers))):
        return f"{values[0]}–{values[-1]}"
    return ", ".join(values)
