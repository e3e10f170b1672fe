"""Cells of an input's column → typed values, each bad cell reported with its row.

A column is converted at once (numbers by polars' cast, booleans and
categories once per distinct text); only the cells the bulk conversion cannot
read go through :meth:`CellParser.parse` one at a time, which names the cell.
Then the column's own checks: whole numbers for counts, the declared range,
percentages typed as fractions, values given by a merged cell.
"""

from __future__ import annotations

import enum
import re
import typing as t

import numpy as np
import numpy.typing as npt
import polars as pl

from engine.compiler import value_text
from engine.data.cells import DECIMAL_TEXT, Cell, to_number
from engine.data.dataset import Column
from engine.data.report import Report
from engine.errors import Location
from engine.messages import closest
from engine.model import Input
from engine.tables import Table, normalise

_TRUE = {"是", "1", "true", "yes", "y", "√", "✓", "有", "t"}
_FALSE = {"否", "0", "false", "no", "n", "×", "✗", "无", "f"}
#: A Latin x in a yes/no cell: typed for × (否) by some, as a tick (是) by others — asked, not guessed.
_AMBIGUOUS_BOOL = {"x"}


class Invalid(enum.Enum):
    """A cell that was reported as unreadable (distinct from a blank cell, ``None``)."""

    CELL = "invalid"


INVALID = Invalid.CELL

#: One parsed cell: its value, None when blank, or INVALID (reported).
Parsed: t.TypeAlias = "bool | str | float | None | t.Literal[Invalid.CELL]"


class CellParser:
    """Parses cells for their inputs, reporting each bad one."""

    def __init__(self, report: Report) -> None:
        self.report = report

    def parse(self, spec: Input, raw: Cell, where: Location) -> Parsed:
        """One cell → a typed value, ``None`` when blank, or ``INVALID`` (reported).

        Ranges and whole-number checks are applied to the parsed column.
        """
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            return None
        label = spec.label
        if spec.type == "boolean":
            if isinstance(raw, bool):
                return raw
            text = normalise(raw).lower()
            if isinstance(raw, (int, float)):
                text = value_text(float(raw))
            if text in _TRUE:
                return True
            if text in _FALSE:
                return False
            self.report.error("data_bool_x" if text in _AMBIGUOUS_BOOL else "data_not_bool", where, input=label, found=raw)
            return INVALID
        if spec.type == "category":
            text = value_text(raw) if isinstance(raw, (int, float)) else normalise(raw)
            if spec.values is not None and text not in spec.values:
                self.report.error("data_bad_category", where, input=label, found=text, suggest=closest(text, spec.values), values=", ".join(spec.values))
                return INVALID
            return text
        return self.parse_number(spec, raw, where)

    def parse_number(self, spec: Input, raw: Cell, where: Location) -> float | None | t.Literal[Invalid.CELL]:
        """A cell of a numeric input → its number, ``None`` when blank, or ``INVALID`` (reported)."""
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            return None
        number = to_number(raw, spec.type == "percentage")
        if number is None:
            code = "data_not_count" if spec.type == "count" else "data_not_number"
            text = normalise(raw) if isinstance(raw, str) else ""
            if re.fullmatch(r"[+-]?\d+[,，_]\d+", text.replace(" ", "")) or "_" in text:
                code = "data_decimal_comma"
            elif DECIMAL_TEXT.fullmatch(text.replace(" ", "").rstrip("%")):
                code = "data_number_too_large"  # a numeral beyond the largest double (1e400): not "infinity"
            self.report.error(code, where, input=spec.label, found=raw)
            return INVALID
        return number

    def parse_column(self, spec: Input, raw: pl.Series, table: Table, col: int, rows: npt.NDArray[np.int32],
                     merged: npt.NDArray[np.int64], percent: npt.NDArray[np.int64]) -> tuple[Column, npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
        """A column of cells → typed values, which cells are valid, and which are blank.

        The whole column is converted at once; the cells the conversion
        cannot read (a percent sign, full-width digits, a typo) go through
        :meth:`parse` one at a time, which reports the bad cell with its row.
        """
        header = table.header[col]
        count = len(raw)
        if raw.dtype != pl.String and spec.type not in ("number", "count", "percentage"):
            raw = pl.Series([None if v is None else value_text(float(v)) for v in raw.to_list()], dtype=pl.String)
        if raw.dtype == pl.String:
            blank = (raw.is_null() | (raw.str.len_bytes() == 0)).to_numpy().copy()
        else:
            blank = raw.is_null().to_numpy().copy()
        valid = np.ones(count, dtype=bool)
        if len(merged):
            # A merged cell spanning rows gives one value to several rows: which row had it?
            for i in merged[~blank[merged]]:
                self.report.error("data_merged_value", table.at(int(rows[i]), header), input=spec.label)
            valid[merged] = False
        if spec.type in ("number", "count", "percentage"):
            return self._numbers(spec, raw, table, header, rows, percent, blank, valid)
        return self._distinct(spec, raw, table, header, rows, blank, valid)

    def _numbers(self, spec: Input, raw: pl.Series, table: Table, header: str, rows: npt.NDArray[np.int32],
                 percent: npt.NDArray[np.int64], blank: npt.NDArray[np.bool_],
                 valid: npt.NDArray[np.bool_]) -> tuple[Column, npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
        """A numeric column: plain numbers convert at once; anything else (spaces, 95%, full-width digits, typos) one by one."""
        numbers = raw if raw.dtype == pl.Float64 else raw.cast(pl.Float64, strict=False)
        values = numbers.to_numpy()  # nulls are NaN
        odd = ~blank & ~np.isfinite(values) & valid
        if odd.any() or not valid.all():
            values = values.copy()
        for i in np.flatnonzero(odd):
            cell = raw[int(i)]
            parsed = self.parse(spec, cell if isinstance(cell, str) else repr(cell), table.at(int(rows[i]), header))
            if parsed is None:
                blank[i], odd[i] = True, False  # a cell of spaces
            elif parsed is INVALID:
                valid[i] = False
                values[i] = np.nan
            else:
                values[i] = parsed
        filled = valid & ~blank
        if spec.type == "percentage":
            self.check_fractions(spec, values, filled, odd, percent, table, header, rows)
        if spec.type == "count":
            wrong = filled & ((values < 0) | (values != np.floor(values)))
            for hit in np.flatnonzero(wrong):
                self.report.error("data_not_count", table.at(int(rows[hit]), header), input=spec.label, found=value_text(float(values[hit])))
            valid &= ~wrong
            filled &= ~wrong
        if spec.range is not None:
            low, high = spec.range
            outside = filled & ((values < low) | (values > high))
            for hit in np.flatnonzero(outside):
                self.report.error("data_out_of_range", table.at(int(rows[hit]), header), input=spec.label,
                                  found=f"{values[hit]:g}", lo=f"{low:g}", hi=f"{high:g}")
            valid &= ~outside
        if not valid.all():
            values = values if values.flags.writeable else values.copy()
            values[~valid] = np.nan
        return values, valid, blank

    def _distinct(self, spec: Input, raw: pl.Series, table: Table, header: str, rows: npt.NDArray[np.int32],
                  blank: npt.NDArray[np.bool_], valid: npt.NDArray[np.bool_]) -> tuple[Column, npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
        """Booleans and categories hold few distinct texts: each is parsed once."""
        stripped = raw.str.strip_chars()
        blank |= (stripped == "").fill_null(True).to_numpy()
        distinct = stripped.fill_null("").unique().to_list()
        parsed_distinct: dict[str, Parsed] = {}
        problems = self.report.problems
        for text in distinct:
            if not text:
                parsed_distinct[text] = None
                continue
            problems_before = len(problems)
            parsed_distinct[text] = self.parse(spec, text, table.at(None, header))
            del problems[problems_before:]  # reported below, once per row
        column = stripped.fill_null("").to_list()
        out: list[Parsed] = []
        for i, text in enumerate(column):
            parsed = parsed_distinct[text]
            if parsed is INVALID:
                if valid[i]:
                    self.parse(spec, text, table.at(int(rows[i]), header))
                valid[i] = False
                parsed = None
            out.append(parsed)
        if spec.type == "boolean":
            return np.array([bool(v) if v is not None else False for v in out], dtype=bool), valid, blank
        return np.array([v if v is not None else "" for v in out], dtype=object), valid, blank

    def check_fractions(self, spec: Input, values: npt.NDArray[np.float64], filled: npt.NDArray[np.bool_],
                        typed: npt.NDArray[np.bool_], percent: npt.NDArray[np.int64], table: Table, header: str,
                        rows: npt.NDArray[np.int32]) -> None:
        """Percentages typed as fractions (0.92 for 92%) in a plain cell: one error for the column.

        A cell formatted as % or written with a % sign says what it means; a
        column whose plain values all lie in [0, 1], some strictly between,
        while the scheme expects up to 100 would silently drop every tier.
        """
        if spec.range is None or spec.range[1] < 50:
            return
        plain = filled & ~typed
        if len(percent):
            plain[percent] = False
        if not plain.any():
            return
        shown = values[plain]
        if bool(((shown >= 0) & (shown <= 1)).all()) and bool(((shown > 0) & (shown < 1)).any()):
            first = int(np.flatnonzero(plain & (values > 0) & (values < 1))[0])
            self.report.error("data_percent_fraction", table.at(int(rows[first]), header), input=spec.label,
                              found=value_text(float(values[first])), hint_value=value_text(round(float(values[first]) * 100, 9)))
            filled[plain] = False
