"""Lines under a table that are not units: 合计/平均 rows, signatures, notes and dates.

They are warned about and skipped, never read as a unit. A whole column is
screened at once (:func:`summary_mask`); only the rows it flags are looked at
one by one (:func:`skip_row`).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import polars as pl

from engine.data.report import Report
from engine.tables import Table, normalise

#: Lines under a table that are not units (合计 rows, signatures).
SUMMARY_ROWS = ("合计", "总计", "小计", "平均", "平均分", "均值", "备注", "说明", "注")
FOOTER_WORDS = ("填表人", "填报人", "审核人", "制表人", "负责人签字", "填表日期", "制表日期", "签字", "签章", "盖章")
#: Words that start a note or date line under a table (注：…, 日期：…).
NOTE_PREFIXES = ("注", "说明", "备注", "日期")


def is_summary_row(ident: str) -> bool:
    """Whether an id cell holds 合计/平均 or a signature line rather than a unit id.

    >>> is_summary_row("合 计"), is_summary_row("填表人：张三"), is_summary_row("注：以上为初评"), is_summary_row("D001")
    (True, True, True, False)
    """
    compact = ident.replace(" ", "").replace("\u3000", "")
    return (compact.rstrip("：:") in SUMMARY_ROWS or any(w in compact for w in FOOTER_WORDS)
            or compact.startswith(tuple(f"{w}{c}" for w in NOTE_PREFIXES for c in "：:")))


_SUMMARY_PATTERN = (
    r"^(?:" + "|".join(SUMMARY_ROWS) + r")[：:]?$"
    + r"|" + "|".join(FOOTER_WORDS)
    + r"|^(?:" + "|".join(NOTE_PREFIXES) + r")[：:]"
)


#: Every 合计/签字 word holds one of these characters: cells without any are not looked at further.
_SUMMARY_CHARS = "[" + "".join(sorted({c for w in SUMMARY_ROWS + FOOTER_WORDS + NOTE_PREFIXES for c in w})) + "]"


def summary_mask(series: pl.Series) -> npt.NDArray[np.bool_]:
    """Which cells of a text column hold 合计/平均 or a signature/date line."""
    mask = np.zeros(len(series), dtype=bool)
    maybe = series.str.contains(_SUMMARY_CHARS).fill_null(False).to_numpy()
    if not maybe.any():
        return mask
    at = np.flatnonzero(maybe)
    compact = series.gather(at).str.replace_all(r"[\s\u3000]", "").str.replace_all("：", ":")
    pattern = _SUMMARY_PATTERN.replace("[：:]", ":")
    mask[at] = compact.str.contains(pattern).fill_null(False).to_numpy()
    return mask


def skip_row(report: Report, table: Table, index: int, key_col: int, key: str) -> bool:
    """A row whose key is blank or unknown: a 合计/签字 line (warned, skipped) or not."""
    cells = [table.cell(index, c) for c in range(len(table.header))]
    texts = [c.strip() for c in cells if c is not None and c.strip()]
    # Shown as typed (填表人：王五), matched after folding full-width forms.
    summary = key if key and is_summary_row(key) else next((c for c in texts if is_summary_row(normalise(c))), None)
    if summary is None:
        return False
    column = table.header[key_col] if key_col < len(table.header) else None
    report.warn("data_summary_row", table.at(int(table.rows[index]), column or None), id=summary)
    return True
