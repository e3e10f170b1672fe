"""The collector's arrays → the Dataset's columns, labels and origins, every input checked present.

An input no table gave is an error (even a ``missing: zero`` one: a whole
table left out is not "zero for everyone"), unless it is optional, graded by
hand, or needed by no unit. Open-dimension inputs are padded to their
dimension's width; per-unit and closed-dimension columns get their missing
policy (engine.data.missing); category columns become fixed-width text.
"""

from __future__ import annotations

import typing as t

import numpy as np
import numpy.typing as npt

from engine.data.collector import Collector
from engine.data.dataset import Column, Units
from engine.data.store import empty, text_dtype
from engine.errors import Location

#: (columns, dimension labels, origin rows, origin tables).
Finished: t.TypeAlias = tuple[dict[str, Column], dict[str, tuple[str, ...]], dict[str, npt.NDArray[np.int32]], dict[str, npt.NDArray[np.int32]]]


def finish(collector: Collector, units: Units, manual: npt.NDArray[np.bool_], data_location: Location) -> Finished:
    """Every input's finished column, its dimension labels and its origin rows and tables."""
    scheme, store, report = collector.scheme, collector.store, collector.report
    n = collector.n
    widths = collector.open.widths(scheme.inputs)
    labels = {
        ident: dim.values if dim.values is not None else tuple(str(i + 1) for i in range(max(widths.get(ident, 1), 1)))
        for ident, dim in scheme.dimensions.items()
    }
    for ident, declared in scheme.dimensions.items():
        given = [spec for spec in scheme.inputs.values() if spec.per == ident and spec.id in store.seen_inputs]
        if declared.values is None and given and widths.get(ident, 0) == 0:
            # A records table with its header only (奖惩 with nobody rewarded): fine, but said once.
            where = store.input_files.get(given[0].id, data_location)
            report.warn("data_no_entries", where, dim=declared.title)
    columns: dict[str, Column] = {}
    rows: dict[str, npt.NDArray[np.int32]] = {}
    tables: dict[str, npt.NDArray[np.int32]] = {}
    for spec in scheme.inputs.values():
        manual_input = scheme.manual is not None and spec.id == scheme.manual.input
        everyone_manual = bool(len(manual) and manual.all())
        nobody_needs = spec.id in collector.needed and not collector.needed[spec.id].any()
        if spec.id not in store.seen_inputs and not manual_input and not everyone_manual and not spec.optional and not nobody_needs:
            # Even a ``missing: zero`` input: a whole table left out is not "zero for everyone".
            report.error("data_missing_column", data_location, input=spec.label, id=spec.id, title=spec.title)
            continue
        if store.width(spec) == -1:
            width = len(labels[t.cast(str, spec.per)])
            # Padded one input at a time, its runs let go at once (memory at a million members).
            column, row, table = collector.open.take(spec)
            if column.shape[1] < width:  # all open inputs of a dimension share its width
                extra = width - column.shape[1]
                column = np.concatenate([column, empty(spec, n, extra)], axis=1)
                row = np.concatenate([row, np.full((n, extra), -1, np.int32)], axis=1)
                table = np.concatenate([table, np.zeros((n, extra), np.int32)], axis=1)
            row, table = store.share(row), store.share(table)
        else:
            store.ensure(spec)
            column, row, table = store.columns[spec.id], store.rows[spec.id], store.tables[spec.id]
            if not manual_input:
                collector.missing.gather(spec, column, manual)
        if spec.type == "category":
            column = column.astype(text_dtype(spec))
        columns[spec.id], rows[spec.id], tables[spec.id] = column, row, table
    collector.missing.report(units)
    return columns, labels, rows, tables
