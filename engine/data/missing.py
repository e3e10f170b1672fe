"""Values an input's ``missing: error`` policy requires but the data lacks → one message per row.

Gathered over all inputs first (:meth:`MissingValues.gather`), then reported
(:meth:`MissingValues.report`): a row missing several inputs is one message
naming them all; many units missing the same rows (a month's sheet not handed
in) are one message with examples; past 200, one message says how many more.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from engine.data.dataset import Column, Units
from engine.data.report import Report
from engine.data.store import Store
from engine.errors import Location
from engine.messages import Text
from engine.model import Input, Scheme

#: (location, unit, where: a period, "all:<k>" or "", kind: "blank" cell or no "row").
_Key = tuple[Location, int, str, str]


class MissingValues:
    """Missing values gathered over all inputs: (location, unit, where, kind) → input labels."""

    def __init__(self, scheme: Scheme, store: Store, needed: dict[str, npt.NDArray[np.bool_]], report: Report,
                 data_location: Location) -> None:
        self.scheme = scheme
        self.store = store
        self.needed = needed
        self.sink = report
        self.data_location = data_location
        self.missing: dict[_Key, list[str]] = {}

    def blank_rows(self, spec: Input, units: npt.NDArray[np.int64], rows: npt.NDArray[np.int32],
                   empty: npt.NDArray[np.bool_], where: Location) -> None:
        """An open dimension's rows (a rater's, a record's) with this input's cell blank."""
        header = where.column if isinstance(where.column, str) else ""
        if spec.id in self.needed:
            empty = empty & self.needed[spec.id][units]
        for i in np.flatnonzero(empty).tolist():
            at = Location(where.file, int(rows[i]), None, None, where.sheet)
            self.missing.setdefault((at, int(units[i]), "", "blank"), []).append(
                f"{spec.label}[{header}]" if header else spec.label)

    def gather(self, spec: Input, column: Column, manual: npt.NDArray[np.bool_]) -> None:
        """Apply the input's missing policy to a per-unit or closed-dimension column.

        Missing values under the ``error`` policy are gathered, not reported
        yet: one row missing several inputs is one message (see :meth:`report`).
        """
        store = self.store
        absent = ~store.present[spec.id] & ~store.invalid[spec.id]  # bad cells are reported already
        # Units graded by hand, and units no item reading the input applies to, need no value.
        exempt = manual | ~self.needed[spec.id] if spec.id in self.needed else manual
        if absent.ndim == 2:
            absent &= ~exempt[:, None]
        else:
            absent &= ~exempt
        if not absent.any():
            return
        if spec.missing == "zero":
            column[absent] = False if spec.type == "boolean" else (0.0 if spec.type != "category" else "")
            return
        if spec.missing == "skip":
            return
        table_location = store.input_files.get(spec.id, self.data_location)
        blank_rows = store.blank_rows.get(spec.id)
        blank_tables = store.blank_tables.get(spec.id)
        header = store.blank_columns.get(spec.id, "")
        explained = store.explained.get(spec.id, set())
        dimension = self.scheme.dimensions[spec.per] if spec.per is not None else None
        for unit in np.flatnonzero(absent.any(axis=1) if absent.ndim == 2 else absent).tolist():
            if unit in explained:
                continue
            gaps = np.flatnonzero(absent[unit]).tolist() if absent.ndim == 2 else [-1]
            no_row: list[int] = []
            for gap in gaps:
                cell = (unit,) if gap < 0 else (unit, gap)
                if blank_rows is not None and blank_rows[cell] >= 0:
                    assert blank_tables is not None
                    file, sheet = store.sources[int(blank_tables[cell])]
                    where = Location(file, int(blank_rows[cell]), None, None, sheet)
                    period = "" if dimension is None or dimension.values is None else f"{dimension.title} {dimension.values[gap]}"
                    self.missing.setdefault((where, unit, period, "blank"), []).append(f"{spec.label}[{header}]" if header else spec.label)
                else:
                    no_row.append(gap)
            if no_row:
                place = ""
                if dimension is not None and dimension.values is not None:
                    values = dimension.values
                    place = f"all:{len(values)}" if len(no_row) == len(values) else ", ".join(values[g] for g in no_row)
                self.missing.setdefault((table_location, unit, place, "row"), []).append(spec.label)

    def report(self, units: Units) -> None:
        """One message per row (or per unit without rows) naming every input it lacks, in file/row order."""
        limit = 200
        entries = sorted(self.missing.items(), key=lambda e: (e[0][0].sort_key(), e[0][1]))
        summarised = self._report_alike(entries, units)
        entries = [e for e in entries if not (e[0][3] == "row" and (e[0][0], e[0][2], tuple(e[1])) in summarised)]
        for (location, unit, place, kind), labels in entries[:limit]:
            inputs = "、".join(labels)
            where: Text | str = ""
            if kind == "blank":
                where = Text(f"（该行{('的' + place + ' ') if place else ''}单元格为空）", f" (blank cell{' for ' + place if place else ''})")
            elif place.startswith("all:"):
                dimension = next(self.scheme.dimensions[s.per] for s in self.scheme.inputs.values() if s.label == labels[0] and s.per)
                where = Text(f"（全部 {place[4:]} 个{dimension.title}都没有）", f" (no {dimension.title} at all)")
            elif place:
                dimension = next(self.scheme.dimensions[s.per] for s in self.scheme.inputs.values() if s.label == labels[0] and s.per)
                where = Text(f"（{dimension.title} {place} 没有这一行）", f" ({dimension.title} {place}: no row)")
            self.sink.error("data_missing_value", location, id=str(units.ids[unit]), name=str(units.names[unit]), input=inputs, where=where)
        if len(entries) > limit:
            self.sink.error("data_missing_more", self.data_location, input=entries[limit][1][0], count=len(entries) - limit)

    def _report_alike(self, entries: list[tuple[_Key, list[str]]], units: Units) -> set[tuple[Location, str, tuple[str, ...]]]:
        """Many units missing the same rows (a month's sheet not handed in): one message, not one per unit."""
        alike: dict[tuple[Location, str, tuple[str, ...]], list[int]] = {}
        for (location, unit, place, kind), labels in entries:
            if kind == "row":
                alike.setdefault((location, place, tuple(labels)), []).append(unit)
        summarised = {key for key, units_of in alike.items() if len(units_of) > 5}
        for (location, place, inputs_of), units_of in alike.items():
            if (location, place, inputs_of) not in summarised:
                continue
            dimension = next((self.scheme.dimensions[s.per] for s in self.scheme.inputs.values() if s.label == inputs_of[0] and s.per), None)
            gap: Text | str = "" if not place or dimension is None else (
                Text(f"没有任何{dimension.title}的行", f" have no {dimension.title} rows") if place.startswith("all:")
                else Text(f"没有{dimension.title} {place} 的行", f" have no row for {dimension.title} {place}"))
            self.sink.error("data_missing_rows_many", location, count=len(units_of), where=gap,
                              examples="、".join(str(units.ids[u]) for u in units_of[:3]), input="、".join(inputs_of))
        return summarised
