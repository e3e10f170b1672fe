"""The raw table every reader turns a file into, and the finishing every body goes through.

A :class:`Table` is one sheet: its header texts and its :class:`Body` (the
cells below the header as polars columns, with their spreadsheet rows),
read when first needed. :func:`finish_body` drops empty rows (keeping row
numbers) and refuses oversized cells, whatever the format.
"""

from __future__ import annotations

import dataclasses
import typing as t
import unicodedata

import numpy as np
import numpy.typing as npt
import polars as pl

from engine.errors import Location, Problem

#: Longest cell accepted (Excel's own limit is 32,767 characters).
MAX_CELL_BYTES = 100_000


@dataclasses.dataclass(frozen=True)
class Body:
    """The cells below a header, with their spreadsheet rows and what the reader marked."""

    #: One column per header cell (``c0`` …): String, or Float64 for a column of plain numbers.
    frame: pl.DataFrame
    #: Spreadsheet row number of each frame row.
    rows: npt.NDArray[np.int32]
    #: Per column, the frame rows whose value came from a merged range (not their own cell).
    merged: t.Mapping[int, npt.NDArray[np.int64]] = dataclasses.field(default_factory=dict)
    #: Per column, the frame rows whose cell was formatted as a percentage (XLSX).
    percent: t.Mapping[int, npt.NDArray[np.int64]] = dataclasses.field(default_factory=dict)
    #: Columns let go after they were read (see :meth:`Table.release_column`).
    released: frozenset[int] = frozenset()


@dataclasses.dataclass(frozen=True, eq=False)
class Table:
    """One sheet: its header texts, and its body, read when first needed.

    A CSV's header is found from the first lines alone; the body (possibly
    millions of rows) is read only when a stage asks for it and may be let
    go with :meth:`release`, so that one large table at a time is in memory.
    """

    file: str
    sheet: str | None
    header: tuple[str, ...]
    #: Reads the body (and records problems such as oversized cells).
    loader: t.Callable[[], Body] = dataclasses.field(repr=False, default=lambda: Body(pl.DataFrame(), np.zeros(0, dtype=np.int32)))
    #: Spreadsheet row of the header.
    header_row: int = 1
    #: Section row above the header (merged texts carried right), "" where none.
    sections: tuple[str, ...] = ()
    _cache: dict[str, Body] = dataclasses.field(default_factory=dict, repr=False)

    @property
    def body(self) -> Body:
        if "body" not in self._cache:
            self._cache["body"] = self.loader()
        return self._cache["body"]

    def release(self) -> None:
        """Let go of the body (it is read again if asked for)."""
        self._cache.pop("body", None)

    def release_column(self, col: int) -> None:
        """Let go of one column of a large body once it has been read (memory at a million rows).

        The column is then unreadable until the body is read again: asking
        for it raises rather than reading blanks.
        """
        body = self._cache.get("body")
        name = f"c{col}"
        if body is None or name not in body.frame.columns:
            return
        frame = body.frame.with_columns(pl.repeat(None, body.frame.height, dtype=pl.Null).alias(name))
        self._cache["body"] = dataclasses.replace(body, frame=frame, released=body.released | {col})

    @property
    def frame(self) -> pl.DataFrame:
        return self.body.frame

    @property
    def rows(self) -> npt.NDArray[np.int32]:
        return self.body.rows

    @property
    def merged(self) -> t.Mapping[int, npt.NDArray[np.int64]]:
        return self.body.merged

    @property
    def percent(self) -> t.Mapping[int, npt.NDArray[np.int64]]:
        return self.body.percent

    def at(self, row: int | None = None, column: str | None = None) -> Location:
        return Location(self.file, row, column, None, self.sheet)

    def column(self, col: int) -> pl.Series:
        if col in self.body.released:
            raise LookupError(f"column {col} of {self.file} was released")
        return self.frame.get_column(f"c{col}")

    def cell(self, index: int, col: int) -> str | None:
        """The text of one cell (frame row ``index``), None when blank."""
        if col >= self.frame.width:
            return None
        if col in self.body.released:
            raise LookupError(f"column {col} of {self.file} was released")
        value = self.frame.get_column(f"c{col}")[index]
        if isinstance(value, float):
            return str(int(value)) if value.is_integer() else repr(value)
        return t.cast("str | None", value)

    def __len__(self) -> int:
        return self.frame.height


def normalise(text: object) -> str:
    """Header/label text: full-width forms folded (NFKC), spaces trimmed."""
    return unicodedata.normalize("NFKC", str(text)).strip()


def empty_table(file: str, sheet: str | None = None) -> Table:
    """A sheet or file with no header (and no rows)."""
    return Table(file, sheet, ())


def _blank(name: str, dtype: pl.DataType, exact: bool = True) -> pl.Expr:
    """Null or empty (``exact``: or only spaces); the inexact test allocates no new strings."""
    if dtype == pl.String:
        if not exact:
            return pl.col(name).is_null() | (pl.col(name).str.len_bytes() == 0) | pl.col(name).str.contains(r"^\s")
        return pl.col(name).is_null() | (pl.col(name).str.strip_chars() == "")
    return pl.col(name).is_null()


def finish_body(file: str, sheet: str | None, header: tuple[str, ...],
            frame: pl.DataFrame, rows: npt.NDArray[np.int32], problems: list[Problem],
            merged: t.Mapping[int, npt.NDArray[np.int64]] | None = None,
            percent: t.Mapping[int, npt.NDArray[np.int64]] | None = None) -> Body:
    """Drop empty rows (keeping row numbers) and refuse oversized cells."""
    if frame.width:
        # Only rows whose first cell is blank can be empty rows: check those fully.
        first_name = frame.columns[0]
        maybe = frame.select(_blank(first_name, frame.schema[first_name], exact=False)).to_series().to_numpy()
        keep = np.ones(frame.height, dtype=bool)
        if maybe.any():
            candidates = frame.filter(pl.Series(maybe))
            blank = pl.all_horizontal([_blank(c, frame.schema[c]) for c in frame.columns])
            keep[np.flatnonzero(maybe)] = ~candidates.select(blank).to_series().to_numpy()
        if not keep.all():
            index = np.flatnonzero(keep)
            remap = np.full(len(keep), -1, dtype=np.int64)
            remap[index] = np.arange(len(index))
            frame = frame.filter(pl.Series(keep))
            rows = rows[index]
            def moved(marks: t.Mapping[int, npt.NDArray[np.int64]] | None) -> dict[int, npt.NDArray[np.int64]]:
                out = {}
                for col, at in (marks or {}).items():
                    kept = remap[at]
                    out[col] = kept[kept >= 0]
                return out
            merged, percent = moved(merged), moved(percent)
        for col, name in enumerate(frame.columns):
            if frame.schema[name] != pl.String:
                continue
            lengths = frame.get_column(name).str.len_bytes()
            longest = lengths.max()
            if longest is not None and t.cast(int, longest) > MAX_CELL_BYTES:
                at = int(t.cast(int, lengths.arg_max()))
                column = header[col] if col < len(header) and header[col] else None
                problems.append(Problem.at("data_cell_too_long", Location(file, int(rows[at]), column, None, sheet),
                                           size=int(t.cast(int, longest)), limit=MAX_CELL_BYTES))
    return Body(frame, rows, dict(merged or {}), dict(percent or {}))
