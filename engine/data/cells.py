"""Cells → texts, numbers and dimension labels, the way clerks type them.

Single cells (a number with a thousands comma, 1月 / 一月 / 2024-03 for a
month, 01 for 1) and whole text columns (NFKC-folded and trimmed, distinct
values coded once). Nothing here reports: callers decide what a cell that
does not convert means.
"""

from __future__ import annotations

import math
import re
import typing as t

import numpy as np
import numpy.typing as npt
import polars as pl

from engine.compiler import value_text
from engine.model import Dimension
from engine.tables import Table, normalise

#: A cell as read: text from a file, or a number/bool already typed by the workbook reader.
Cell: t.TypeAlias = "str | float | bool | None"

_CHINESE_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
#: "1月", "01月份", "一月", "第3季度", "2024年1月", "第十二次": a number with the words clerks put around it.
_ORDINAL = re.compile(r"(?:\d{4}年)?第?(\d{1,2}|[一二三四五六七八九十]{1,3})(?:月份|月|季度|季|次|期|号|日)?")
_MONTHS = tuple(str(month) for month in range(1, 13))
_DATE = re.compile(r"\d{4}[-/.](\d{1,2})(?:[-/.]\d{1,2})?(?: 00:00:00)?")
#: A written decimal number (what float() would read, without inf/nan words or underscores).
DECIMAL_TEXT = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")


def is_monthly(dimension: Dimension) -> bool:
    """A dimension of months (月份 1–12, or some of them): a date cell means its month."""
    return bool(dimension.values) and set(dimension.values or ()) <= set(_MONTHS) and (
        "月" in dimension.title or dimension.id.startswith("month"))


def chinese_number(text: str) -> int | None:
    """一 … 九十九 as a number (十二 = 12, 二十 = 20), None when it is not one.

    >>> chinese_number("十二"), chinese_number("二十一"), chinese_number("十十")
    (12, 21, None)
    """
    if "十" not in text:
        return _CHINESE_DIGITS.get(text) if len(text) == 1 else None
    tens, _, ones = text.partition("十")
    if "十" in ones or (tens and tens not in _CHINESE_DIGITS) or (ones and ones not in _CHINESE_DIGITS):
        return None
    return (_CHINESE_DIGITS[tens] if tens else 1) * 10 + (_CHINESE_DIGITS[ones] if ones else 0)


def dimension_label(label: str, values: tuple[str, ...], monthly: bool = False) -> str:
    """A closed dimension's cell matched to its declared values.

    Numbered values (months 1–12, quarters 1–4) also accept the ways a
    clerk writes them, and a ``monthly`` dimension a date (its month);
    anything else must match exactly.

    >>> [dimension_label(x, _MONTHS, monthly=True) for x in ("1月", "一月", "2024年12月", "第3季度", "十三月", "2024-03-01 00:00:00", "2024/7")]
    ['1', '1', '12', '3', '十三月', '3', '7']
    """
    if label in values or not all(v.isdigit() for v in values):
        return label
    dated = _DATE.fullmatch(label)
    if dated and monthly:
        # A month typed as 2024-01 or 2024/1 (Excel turns it into a date cell: 2024-01-01 00:00:00).
        month = str(int(dated.group(1)))
        return month if month in values else label
    match = _ORDINAL.fullmatch(label)
    if match is None:
        return label
    number = match.group(1)
    value = int(number) if number.isdigit() else chinese_number(number)
    return str(value) if value is not None and str(value) in values else label


def to_label(value: Cell) -> str:
    """A dimension cell as a label: 1, 1.0, "01" and "1" are all "1"."""
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value_text(float(value))
    text = normalise(value)
    parsed = to_number(text, False)
    return value_text(parsed) if parsed is not None else text


def to_number(raw: Cell, percentage: bool) -> float | None:
    """A cell → its number, None when it is not one (a decimal comma, 9_5, a word …)."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, (int, float)):
        value = float(raw)
        return value if math.isfinite(value) else None
    text = normalise(raw).replace(" ", "")
    if "," in text:
        # 1,200 is a thousands grouping; 9,5 is a decimal comma (European), not 95.
        if not re.fullmatch(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?%?", text):
            return None
        text = text.replace(",", "")
    if "_" in text:
        return None  # Python would read 9_5 as 95
    if percentage and text.endswith("%"):
        text = text[:-1].strip()
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def cell_text(cells: t.Sequence[Cell], col: int) -> str:
    """Cell ``col`` of a row as text ("" when beyond the row or blank)."""
    if col >= len(cells) or cells[col] is None:
        return ""
    value = cells[col]
    return value_text(value) if isinstance(value, (int, float)) else normalise(value)


def codes(series: pl.Series) -> tuple[npt.NDArray[np.uint32], list[str]]:
    """A text column → its distinct values and each cell's index into them (len(distinct) for a blank cell).

    The codes stay the Enum's own 32-bit integers: they only index small lookup tables.
    """
    distinct = series.drop_nulls().unique(maintain_order=True)
    physical = series.cast(pl.Enum(distinct)).to_physical()
    if physical.null_count():
        physical = physical.fill_null(len(distinct))
    return t.cast(npt.NDArray[np.uint32], physical.to_numpy()), t.cast(list[str], distinct.to_list())


def normalised(series: pl.Series) -> pl.Series:
    """Texts NFKC-folded and trimmed, "" for blank; NFKC only on the distinct non-ASCII values."""
    series = series.cast(pl.String).str.strip_chars().fill_null("")
    wide = series.str.contains(r"[^\x00-\x7f]")
    if bool(wide.any()):
        distinct = series.filter(wide).unique()
        series = series.replace(distinct, pl.Series([normalise(v) for v in distinct.to_list()], dtype=pl.String))
    return series


def texts(table: Table, col: int) -> pl.Series:
    """A column as normalised texts (NFKC, trimmed), "" for blank cells.

    NFKC is applied to the distinct non-ASCII values only: ASCII text is
    already in normal form, and ids and names repeat across rows.
    """
    if col >= table.frame.width:
        return pl.Series([""] * len(table), dtype=pl.String)
    series = table.column(col)
    if series.dtype != pl.String:
        series = pl.Series([table.cell(i, col) for i in range(len(table))], dtype=pl.String)
    return normalised(series)


def remap(marks: npt.NDArray[np.int64] | None, pick: npt.NDArray[np.int64] | None) -> npt.NDArray[np.int64]:
    """Frame-row indices → positions among the kept rows ``pick`` (sorted; None: every row), dropping rows not kept."""
    if marks is None or not len(marks):
        return np.zeros(0, dtype=np.int64)
    if pick is None:
        return marks
    at = np.searchsorted(pick, marks)
    inside = (at < len(pick)) & (pick[np.minimum(at, len(pick) - 1)] == marks)
    return t.cast(npt.NDArray[np.int64], at[inside].astype(np.int64))
