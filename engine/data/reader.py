"""Tables read from the data files → a Dataset: the steps of engine.data in order.

Correction tables are set aside; every other table gets its layout
(engine.data.layout); the unit list(s) become the units (engine.data.units);
each data table's inputs are read into the collector (engine.data.inputs),
one table in memory at a time; the columns are finished (engine.data.finish)
and the corrections applied (engine.data.corrections). Errors stop the read
at the end of the step that found them, with every problem of that step.
"""

from __future__ import annotations

import typing as t

import numpy as np
import numpy.typing as npt

from engine import needs, to_date
from engine.data.periods import reached
from engine.compiler import value_text
from engine.data.collector import Collector
from engine.data.corrections import Corrector
from engine.data.dataset import Correction, Dataset
from engine.data.finish import finish
from engine.data.groups import check_groups
from engine.data.headers import Headers, is_correction_table
from engine.data.inputs import TableReader
from engine.data.layout import lay_out
from engine.data.matching import UnitMatcher
from engine.data.parsing import CellParser
from engine.data.report import Report
from engine.data.units import read_units
from engine.errors import DataError, Location, sorted_problems
from engine.model import Scheme
from engine.tables import Table

#: (file, rows read so far, whether that file is finished).
Progress = t.Callable[[str, int, bool], None]


def read(scheme: Scheme, headers: Headers, tables: list[Table], report: Report, progress: Progress | None = None) -> Dataset:
    """The tables of every data file → the Dataset.

    Raises:
        DataError: with every problem found, when any is an error.
    """
    data_location = Location(", ".join(sorted({t.file for t in tables})))
    tables = [t for t in tables if t.header]
    correction_tables = [t for t in tables if is_correction_table(t)]
    tables = [t for t in tables if not is_correction_table(t)]
    if scheme.to_date is not None and scheme.to_date.until is None:
        # A run to date without --until covers the months the data reached (engine.to_date);
        # the first layouts only find them, their notes are the second pass's.
        scratch = [layout for layout in (lay_out(table, scheme, headers, Report([])) for table in tables) if layout is not None]
        scheme = to_date.cut(scheme, reached(scheme, scratch) or scheme.to_date.values[-1])
    layouts = [layout for layout in (lay_out(table, scheme, headers, report) for table in tables) if layout is not None]
    unit_layouts = [l for l in layouts if l.dim is None and "name" in l.fields.values() and not l.by_name]
    if not unit_layouts:
        # No table with ids: a list of names (序号 + 单位名称) is the unit list, each name its id.
        unit_layouts = [l for l in layouts if l.dim is None and l.by_name][:1]
    if not unit_layouts and not report.failed():
        report.error("data_no_units", data_location)
    listed = read_units(unit_layouts, scheme, report)
    units = listed.units
    if unit_layouts and not len(units) and not report.failed():
        report.error("data_empty_units", unit_layouts[0].table.at(unit_layouts[0].table.header_row))
    if report.failed():
        raise DataError(report.problems)
    check_groups(units, listed.first, scheme.group_title, data_location, report)
    matcher = UnitMatcher(listed, report)
    parser = CellParser(report)
    collector = Collector(scheme, len(units), needs.needed(scheme, units.types), report, units.ids, data_location)
    for layout in layouts:
        for field in set(layout.fields.values()) & set(scheme.inputs):
            collector.store.providers[field] = collector.store.providers.get(field, 0) + 1
    reader = TableReader(scheme, report, matcher, parser, collector, bool(unit_layouts) and unit_layouts[0].by_name)
    for layout in layouts:
        name = layout.table.file if layout.table.sheet is None else f"{layout.table.file}[{layout.table.sheet}]"
        if progress is not None:
            progress(name, 0, False)
        reader.read(layout)
        if progress is not None:
            progress(name, len(layout.table), True)
        layout.table.release()  # one large table in memory at a time
    manual = collector.manual_mask()
    check_manual(scheme, collector, report)
    columns, labels, rows, sources = finish(collector, units, manual, data_location)
    corrections: list[Correction] = []
    corrector = Corrector(scheme, headers, parser, matcher, report)
    for table in correction_tables:
        corrections.extend(corrector.apply(table, columns, collector.store.invalid))
    if report.failed():
        raise DataError(report.problems)
    presence: dict[str, npt.NDArray[np.bool_]] = {}
    for ident, spec in scheme.inputs.items():
        if spec.per is not None and scheme.dimensions[spec.per].values is None and ident in rows:
            # A row existed where its origin row is known (any input of the dimension will do).
            mask = rows[ident] >= 0
            presence[spec.per] = presence[spec.per] | mask if spec.per in presence else mask
    return Dataset(units, columns, labels, rows, sources, tuple(collector.store.sources), sorted_problems(report.problems),
                   tuple(corrections), presence, reader.rater_labels)


def check_manual(scheme: Scheme, collector: Collector, report: Report) -> None:
    """A hand-given grade must be one of the grade's band values."""
    manual = scheme.manual
    store = collector.store
    if manual is None or manual.input not in store.columns:
        return
    grade = next(g for g in scheme.grades if g.id == manual.grade)
    allowed = [b.result for b in grade.bands]
    given = store.columns[manual.input]
    for unit in np.flatnonzero(store.present[manual.input]):
        value = float(given[unit])
        if value not in allowed:
            file, sheet = store.sources[int(store.tables[manual.input][unit])]
            where = Location(file, int(store.rows[manual.input][unit]), scheme.inputs[manual.input].title, None, sheet)
            report.error("data_manual_value", where, found=value_text(value), grade=grade.title,
                         values=", ".join(value_text(v) for v in allowed))
