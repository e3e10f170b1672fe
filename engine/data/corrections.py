"""A correction table (编号, [月份], 输入项, 原值, 更正后, 理由) → values changed, both kept for the audit.

Only numeric inputs the scheme allows are corrected; the original value,
when given, must match the data (so a correction cannot silently change
something else); the new value must be in range. Each accepted correction
becomes a :class:`~engine.data.dataset.Correction`.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from engine.data.cells import cell_text, dimension_label, is_monthly, to_label
from engine.data.dataset import Column, Correction, Origin
from engine.data.headers import Headers
from engine.data.matching import UnitMatcher
from engine.data.parsing import INVALID, CellParser
from engine.data.report import Report
from engine.data.summary import is_summary_row
from engine.messages import closest
from engine.model import Scheme
from engine.tables import Table, normalise


class Corrector:
    """Applies correction tables to the finished columns."""

    def __init__(self, scheme: Scheme, headers: Headers, parser: CellParser, matcher: UnitMatcher, report: Report) -> None:
        self.scheme = scheme
        self.headers = headers
        self.parser = parser
        self.matcher = matcher
        self.report = report

    def apply(self, table: Table, columns: dict[str, Column], invalid: dict[str, npt.NDArray[np.bool_]]) -> list[Correction]:
        """Apply one correction table to ``columns`` (in place); the corrections made.

        The original value must match the data (so a correction cannot
        silently change something else); both values are kept for the audit.
        """
        report, scheme = self.report, self.scheme
        allowed = scheme.corrections
        if allowed is None:
            report.error("data_corrections_not_allowed", table.at(table.header_row))
            return []
        header = {h.lower(): i for i, h in enumerate(table.header)}
        def col(names: tuple[str, ...]) -> int | None:
            return next((header[n] for n in names if n in header), None)
        id_col = col(self.headers.id_aliases)
        input_col = col(("输入项", "input", "项目"))
        old_col = col(("原值", "原分", "old"))
        new_col = col(("更正后", "更正值", "corrected", "new"))
        reason_col = col(("理由", "原因", "依据", "reason"))
        if id_col is None or input_col is None or new_col is None:
            report.error("data_corrections_columns", table.at(table.header_row))
            return []
        titles = {spec.title: ident for ident, spec in scheme.inputs.items()}
        index = self.matcher.index
        out: list[Correction] = []
        for i in range(len(table)):
            row = int(table.rows[i])
            cells = [table.cell(i, c) for c in range(len(table.header))]
            ident = cell_text(cells, id_col)
            unit = index.get(ident)
            if unit is None:
                if is_summary_row(ident) or not ident and any(is_summary_row(normalise(c)) for c in cells if c):
                    report.warn("data_summary_row", table.at(row, table.header[id_col]), id=ident or next(c for c in cells if c))
                    continue
                self.matcher.unknown(table.at(row, table.header[id_col]), ident)
                continue
            name = cell_text(cells, input_col)
            name = titles.get(name, name)
            spec = scheme.inputs.get(name)
            if spec is None or spec.type in ("category", "boolean") or (allowed.inputs and name not in allowed.inputs):
                report.error("data_corrections_input", table.at(row, table.header[input_col]), found=name,
                             suggest=closest(name, list(allowed.inputs or scheme.inputs)))
                continue
            cell: tuple[int, ...] = (unit,)
            period = ""
            if spec.per is not None:
                dimension = scheme.dimensions[spec.per]
                dim_col = col((dimension.title.lower(), dimension.id))
                label = to_label(cells[dim_col]) if dim_col is not None and dim_col < len(cells) else ""
                label = dimension_label(label, dimension.values + dimension.later, is_monthly(dimension)) if dimension.values is not None else label
                if label in dimension.later:
                    continue  # a correction of a month after this run to date (engine.to_date)
                if dimension.values is None or label not in dimension.values:
                    report.error("data_bad_dim_value", table.at(row, dimension.title), dim=dimension.title, found=label,
                                 values=", ".join(dimension.values or ()))
                    continue
                cell = (unit, dimension.values.index(label))
                period = label
            where = table.at(row, table.header[new_col])
            new = self.parser.parse_number(spec, cells[new_col] if new_col < len(cells) else None, where)
            if new is INVALID:
                continue
            if new is None or (spec.range is not None and not spec.range[0] <= new <= spec.range[1]):
                low, high = spec.range or (-math.inf, math.inf)
                report.error("data_out_of_range", where, input=spec.label, found="空" if new is None else f"{new:g}", lo=f"{low:g}", hi=f"{high:g}")
                continue
            if name not in columns:
                continue  # no table provides this input: reported already (data_missing_column)
            if name in invalid and bool(invalid[name][cell]):
                continue  # the corrected cell itself is bad: reported already, nothing to compare
            current = float(columns[name][cell])
            if old_col is not None and old_col < len(cells) and cells[old_col] not in (None, ""):
                old = self.parser.parse_number(spec, cells[old_col], table.at(row, table.header[old_col]))
                if old is INVALID:
                    continue
                if old is not None and not (math.isclose(old, current) or (math.isnan(current) and old is None)):
                    report.error("data_corrections_mismatch", table.at(row, table.header[old_col]), found=f"{old:g}",
                                 expected="空" if math.isnan(current) else f"{current:g}", id=ident, input=spec.label)
                    continue
            if not columns[name].flags.writeable:
                columns[name] = columns[name].copy()  # a column read straight from the file is not written in place
            columns[name][cell] = new
            # The reason is kept as written (no width folding of its punctuation).
            reason = str(cells[reason_col]).strip() if reason_col is not None and reason_col < len(cells) and cells[reason_col] is not None else ""
            out.append(Correction(ident, name, period, None if math.isnan(current) else current, new, reason,
                                  Origin(table.file, table.sheet, row)))
        return out
