"""Rows giving the same cell twice → an error each; the first row is kept, the others dropped.

Within one table: the same (unit, month) or (unit, rater) again, found by
sorting codes only when a cheap check shows some code repeats. Across the
tables of one open dimension (a copy of 大会测评.csv beside it): the same
(unit, rater) given by an earlier table (:class:`AcrossTables`).
"""

from __future__ import annotations

import typing as t

import numpy as np
import numpy.typing as npt
import polars as pl

from engine.data.report import Report
from engine.messages import Text
from engine.model import Dimension
from engine.tables import Table


def duplicates_within(report: Report, table: Table, kept: npt.NDArray[np.bool_], codes: npt.NDArray[np.int64], col: int,
                      describe: t.Callable[[int], tuple[str, str]], dim: str | Text) -> None:
    """Rows of one table giving the same (unit, period / rater) again: an error each; the first is kept."""
    everyone = bool(kept.all())
    if len(kept) < 2 or kept.sum() < 2:
        return
    pick: npt.NDArray[np.int64] | None = None if everyone else np.flatnonzero(kept)
    values = codes if pick is None else codes[pick]
    if bool((values[1:] > values[:-1]).all()):
        return  # rows in unit and period order (the usual export): no code repeats
    if values.min() >= 0 and values.max() < 4 * len(values) + 1024:
        # Counting is linear; the sort below only runs when some code repeats.
        if not (np.bincount(values) > 1).any():
            return
    order = np.argsort(values, kind="stable")
    ordered = values[order]
    again = np.r_[False, ordered[1:] == ordered[:-1]]
    if not again.any():
        return
    starts = np.maximum.accumulate(np.where(~again, np.arange(len(ordered)), 0))
    for k in np.flatnonzero(again):
        i, first = (int(order[k]), int(order[starts[k]])) if pick is None else (int(pick[order[k]]), int(pick[order[starts[k]]]))
        ident, period = describe(i)
        # A table without a period dimension repeats the unit itself: there is no period to name.
        report.error("data_duplicate_row" if period else "data_duplicate_unit_row", table.at(int(table.rows[i]), table.header[col]),
                     id=ident, dim=dim, period=period, first=int(table.rows[first]))
        kept[i] = False


class AcrossTables:
    """The (unit, rater) pairs read so far per open dimension given by several tables, and where."""

    def __init__(self, report: Report) -> None:
        self.report = report
        self.seen: dict[str, tuple[pl.Series, list[str]]] = {}

    def check(self, table: Table, kept: npt.NDArray[np.bool_], unit: npt.NDArray[np.int64],
              labels: npt.NDArray[np.object_], col: int, key_at: t.Callable[[int], str], dimension: Dimension) -> None:
        """(unit, rater) pairs given by an earlier table of the same open dimension: an error each, the row dropped."""
        picked = np.flatnonzero(kept)
        keys = pl.Series(unit[picked].astype(np.int64)).cast(pl.String) + "\x1f" + pl.Series(labels[picked].astype(str))
        earlier = self.seen.get(dimension.id)
        if earlier is not None:
            known, places = earlier
            again = keys.is_in(known).to_numpy()
            if again.any():
                first = dict(zip(known.to_list(), places))
                for k in np.flatnonzero(again).tolist():
                    i = int(picked[k])
                    self.report.error("data_duplicate_across", table.at(int(table.rows[i]), table.header[col]), id=key_at(i),
                                      period=Text(f"{dimension.title} {labels[i]} 的值", f" {dimension.title} {labels[i]}"), first=first[keys[k]])
                    kept[i] = False
            keys, picked = keys.filter(~pl.Series(again)), picked[~again]
        place = f"{table.file}{f'[{table.sheet}]' if table.sheet else ''}:"
        rows = [place + str(int(r)) for r in table.rows[picked].tolist()]
        if earlier is not None:
            keys, rows = pl.concat([earlier[0], keys]), earlier[1] + rows
        self.seen[dimension.id] = (keys, rows)
