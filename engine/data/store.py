"""The arrays being built per input while tables are read: values, presence, origin rows and tables.

Per-unit inputs are ``(n,)`` arrays and closed-dimension inputs ``(n, k)``;
both are written in place as tables are read (engine.data.collector). Arrays
equal for several inputs (the presence and origin rows of one table's ten
monthly scores) are kept once (:meth:`Store.share`) and copied before any
write.
"""

from __future__ import annotations

import typing as t

import numpy as np
import numpy.typing as npt

from engine.data.dataset import Column
from engine.errors import Location
from engine.model import Input, Scheme
from engine.tables import Table

_Array = t.TypeVar("_Array", bound="npt.NDArray[np.generic]")


def empty(spec: Input, n: int, width: int | None) -> Column:
    """An all-absent column: NaN numbers, False booleans, "" texts (object until finished)."""
    shape: tuple[int, ...] = (n,) if width is None else (n, width)
    if spec.type == "boolean":
        return np.zeros(shape, dtype=bool)
    if spec.type == "category":
        return np.full(shape, "", dtype=object)
    return np.full(shape, np.nan)


def zero(spec: Input) -> bool | str | float:
    """What ``missing: zero`` puts in a blank cell."""
    return False if spec.type == "boolean" else ("" if spec.type == "category" else 0.0)


def absent(spec: Input) -> bool | str | float:
    """What an absent cell holds: False, "" or NaN."""
    return False if spec.type == "boolean" else ("" if spec.type == "category" else np.nan)


def text_dtype(spec: Input) -> str:
    """The fixed-width str dtype a finished category column takes."""
    longest = max((len(v) for v in spec.values or ()), default=16)
    return f"<U{max(longest, 16)}"


class Store:
    """Per input: the column and its presence, invalid, origin-row and origin-table arrays; the tables read."""

    def __init__(self, scheme: Scheme, n: int) -> None:
        self.scheme = scheme
        self.n = n
        self.columns: dict[str, Column] = {}
        self.present: dict[str, npt.NDArray[np.bool_]] = {}
        self.invalid: dict[str, npt.NDArray[np.bool_]] = {}
        self.rows: dict[str, npt.NDArray[np.int32]] = {}
        self.tables: dict[str, npt.NDArray[np.int32]] = {}
        self.sources: list[tuple[str, str | None]] = []
        self.seen_inputs: set[str] = set()
        #: Units whose row for an input was rejected with its own error (a bad month):
        #: the gap it leaves is not reported again as a missing value.
        self.explained: dict[str, set[int]] = {}
        #: First table holding each input (where missing values are reported).
        self.input_files: dict[str, Location] = {}
        #: Spreadsheet row (and table) of blank cells, per input, for missing-value messages.
        self.blank_rows: dict[str, npt.NDArray[np.int32]] = {}
        self.blank_tables: dict[str, npt.NDArray[np.int32]] = {}
        self.blank_columns: dict[str, str] = {}
        #: How many tables provide each input (known before any is read).
        self.providers: dict[str, int] = {}
        #: Arrays kept once for several inputs (see :meth:`share`), and the ids of those shared.
        self.pool: list[npt.NDArray[np.generic]] = []
        self.shared: set[int] = set()

    def source(self, table: Table) -> int:
        """A table read → its number in ``sources``."""
        self.sources.append((table.file, table.sheet))
        return len(self.sources) - 1

    def width(self, spec: Input) -> int | None:
        """None per unit, k for a closed dimension, -1 for an open one."""
        if spec.per is None:
            return None
        values = self.scheme.dimensions[spec.per].values
        return len(values) if values is not None else -1

    def ensure(self, spec: Input) -> None:
        """All-absent arrays for an input not given yet."""
        if spec.id in self.columns:
            return
        width = self.width(spec)
        shape: tuple[int, ...] = (self.n,) if width is None else (self.n, width)
        self.columns[spec.id] = empty(spec, self.n, width)
        self.present[spec.id] = np.zeros(shape, dtype=bool)
        self.invalid[spec.id] = np.zeros(shape, dtype=bool)
        self.rows[spec.id] = np.full(shape, -1, dtype=np.int32)
        self.tables[spec.id] = np.zeros(shape, dtype=np.int32)

    def unshare(self, key: str) -> None:
        """Copies of the input's presence, invalid, row and table arrays that are shared, before writing them."""
        for marks in (self.present, self.invalid):
            if id(marks[key]) in self.shared:
                marks[key] = marks[key].copy()
        for places in (self.rows, self.tables):
            if id(places[key]) in self.shared:
                places[key] = places[key].copy()

    def share_marks(self, key: str) -> None:
        """The input's presence, invalid, row and table arrays kept once (see :meth:`share`)."""
        for marks in (self.present, self.invalid):
            marks[key] = self.share(marks[key])
        for places in (self.rows, self.tables):
            places[key] = self.share(places[key])

    def share(self, array: _Array) -> _Array:
        """The same array already kept for another input, or this one.

        The ten monthly scores of one table have the same origin rows,
        presence and tables: kept once, a million members need gigabytes less.
        Shared arrays are copied before they are written to (see Collector.put).
        """
        for kept in self.pool:
            if kept.shape == array.shape and kept.dtype == array.dtype and np.array_equal(kept, array):
                if kept is not array:
                    self.shared.add(id(kept))
                return t.cast(_Array, kept)
        self.pool.append(array)
        return array
