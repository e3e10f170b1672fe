"""What one traced unit's inputs read as: a value (or a period's values), its
title, and where it came from (file, sheet and rows; a correction table; an
earlier period) → :class:`InputRead`, shown in explain under each item."""

from __future__ import annotations

import dataclasses
import typing as t

import numpy as np

from engine.data import Correction, Dataset, Origin
from engine.messages import Text
from engine.model import History, period_name, sought_name
from engine.numbers import format_number


@dataclasses.dataclass(frozen=True)
class InputRead:
    """An input value as read for one unit, with where it came from."""

    input: str
    title: str
    values: tuple[str, ...]
    #: Dimension title when the input has several values (月份, 测评人).
    dim: str | None
    #: Where the values came from: file, sheet and rows.
    origin: Text


def history_read(entry: History, data: Dataset) -> InputRead:
    """An earlier period's value as read for the (one) traced unit, with its period."""
    column = data.columns.get(entry.id)
    periods = data.columns.get(period_name(entry.id))
    period = str(periods[0]) if periods is not None and len(periods) else ""
    source = f"{entry.scheme} 的" if entry.scheme else ""
    source_en = f"{entry.scheme}'s " if entry.scheme else ""
    sought = data.columns.get(sought_name(entry.id))
    missing = str(sought[0]) if sought is not None and len(sought) else ""
    if column is not None and not period and missing:
        # The calendar predecessor has no record: say which period, since an older one exists and is not used.
        return InputRead(entry.id, entry.title, ("无记录",), None,
                         Text(f"往期结果: {source}{entry.of}，{missing} 期无记录（按上一期取，不取更早的记录）",
                              f"earlier result: {source_en}{entry.of}, no record of period {missing} (the period before; older ones are not used)"))
    if column is None or not period:
        return InputRead(entry.id, entry.title, ("无记录",), None,
                         Text(f"往期结果: {source}{entry.of}，没有可用的记录期", f"earlier result: {source_en}{entry.of}, no recorded period"))
    return InputRead(entry.id, entry.title, (show(column[0]),), None,
                     Text(f"往期结果: {source}{entry.of}，{period} 期", f"earlier result: {source_en}{entry.of}, period {period}"))


def show(value: object) -> str:
    if isinstance(value, np.ndarray):
        value = value.reshape(-1)[0] if value.size == 1 else value.tolist()
    if isinstance(value, list):
        return "[" + ", ".join(show(v) for v in value) + "]"
    if isinstance(value, (bool, np.bool_)):
        return "是" if value else "否"
    if isinstance(value, (float, int, np.floating, np.integer)):
        return format_number(float(value))
    return "空" if value is None or value == "" else str(value)  # None: a corrected cell that was empty


def origin_text(origins: list[Origin]) -> Text:
    if not origins:
        return NO_NOTE
    files: dict[tuple[str, str | None], list[int]] = {}
    for origin in origins:
        files.setdefault((origin.file, origin.sheet), []).append(origin.row)
    zh, en = [], []
    for (file, sheet), rows in files.items():
        spans = _spans(sorted(set(rows)))
        place = f"{file}{f'[{sheet}]' if sheet else ''}"
        zh.append(f"{place} 第 {'、'.join(spans)} 行")
        en.append(f"{place} {'row' if len(rows) == 1 or len(set(rows)) == 1 else 'rows'} {', '.join(spans)}")
    return Text("；".join(zh), "; ".join(en))


def _spans(rows: list[int]) -> list[str]:
    """Sorted row numbers as runs: [3, 4, 5, 9] → ["3–5", "9"] (rows 3 and 5 are not "3–5")."""
    spans: list[str] = []
    start = previous = rows[0]
    for row in rows[1:] + [0]:
        if row != previous + 1:
            spans.append(f"{start}" if start == previous else f"{start}–{previous}")
            start = row
        previous = row
    return spans


NO_NOTE = Text("", "")


def corrected_text(corrections: t.Sequence[Correction], dim_title: str) -> Text:
    """Where corrected values came from: the correction table's rows, with the old values."""
    zh, en = [], []
    for c in corrections:
        place = f"{c.origin.file}{f'[{c.origin.sheet}]' if c.origin.sheet else ''}"
        period = f"{dim_title} {c.period} " if c.period else ""
        zh.append(f"{period}已更正 {show(c.old)} → {show(c.new)} ← 更正表 {place} 第 {c.origin.row} 行")
        en.append(f"{period}corrected {show(c.old)} → {show(c.new)} ← correction table {place} row {c.origin.row}")
    return Text("；".join(zh), "; ".join(en))
