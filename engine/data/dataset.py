"""The Dataset a scheme is scored on: the units and one typed numpy column per input.

What the reader (engine.data.reader) hands on, and what
:func:`dataset_from_columns` builds from arrays without any file.
"""

from __future__ import annotations

import dataclasses
import functools
import typing as t

import numpy as np
import numpy.typing as npt

from engine.errors import Problem
from engine.model import Scheme

#: One input's values: float64 numbers (NaN: absent), bool, or text (object while
#: read, fixed-width str once finished). The dtype depends on the input's type, so
#: the array's scalar type is any numpy scalar (a union would force every consumer to narrow).
Column: t.TypeAlias = npt.NDArray[np.generic]

#: Raters' labels of one table (see Dataset.rater_labels): (rows, codes, labels).
RaterLabels: t.TypeAlias = tuple[npt.NDArray[np.int32], npt.NDArray[np.int64], tuple[str, ...]]


@dataclasses.dataclass(frozen=True)
class Units:
    """The units being assessed, in data order."""

    ids: npt.NDArray[np.str_]
    names: npt.NDArray[np.str_]
    types: npt.NDArray[np.str_]
    groups: npt.NDArray[np.str_]
    parents: npt.NDArray[np.str_]
    #: Each unit's group as a number 0 … g−1 (factorised once, when read).
    group_codes: npt.NDArray[np.int64] = dataclasses.field(default_factory=lambda: np.zeros(0, dtype=np.int64))

    def __post_init__(self) -> None:
        if self.group_codes.shape != self.groups.shape:
            _, codes = np.unique(self.groups, return_inverse=True)
            object.__setattr__(self, "group_codes", codes.astype(np.int64).reshape(self.groups.shape))

    def __len__(self) -> int:
        return int(self.ids.shape[0])

    @functools.cached_property
    def has_groups(self) -> bool:
        """Whether any unit names a group (every report page asks; looked at once)."""
        return bool((self.groups != "").any())

    def index(self) -> dict[str, int]:
        return {str(unit): i for i, unit in enumerate(self.ids)}


@dataclasses.dataclass(frozen=True)
class Origin:
    """Where a data cell came from (for explain)."""

    file: str
    sheet: str | None
    row: int


@dataclasses.dataclass(frozen=True)
class Correction:
    """A data value corrected through the correction table; both values are kept."""

    unit: str
    input: str
    #: Dimension label (月份 3), or "" for a per-unit input.
    period: str
    #: The value the data held (None: the cell was empty); only numeric inputs are corrected.
    old: float | None
    new: float
    reason: str
    origin: Origin


@dataclasses.dataclass(frozen=True)
class Dataset:
    """Typed columns per input, aligned with ``units``.

    A per-unit input is a column of shape ``(n,)``; an input per dimension has
    shape ``(n, k)`` (k = declared values of a closed dimension, or the most
    rows any unit has in an open one, absent entries NaN / False / "").
    """

    units: Units
    columns: t.Mapping[str, Column]
    #: Labels of the k positions of each dimension.
    dim_labels: t.Mapping[str, tuple[str, ...]]
    #: Spreadsheet row of every cell, same shape as its column (-1: no cell);
    #: only filled when read from files.
    origin_rows: t.Mapping[str, npt.NDArray[np.int32]] = dataclasses.field(default_factory=dict)
    #: Index into ``sources`` of every cell, same shape as its column.
    origin_tables: t.Mapping[str, npt.NDArray[np.int32]] = dataclasses.field(default_factory=dict)
    #: (file, sheet) of each table read.
    sources: tuple[tuple[str, str | None], ...] = ()
    #: Non-fatal problems met while reading (ignored columns …).
    warnings: tuple[Problem, ...] = ()
    #: Values corrected after a dispute, old and new (audit trail).
    corrections: tuple[Correction, ...] = ()
    #: For open dimensions: which of the k positions hold a data row, per unit.
    presence: t.Mapping[str, npt.NDArray[np.bool_]] = dataclasses.field(default_factory=dict)
    #: Per table (index into ``sources``) of an open dimension with its column, kept for
    #: ballots (engine.ballots): each data row's spreadsheet row and label (测评人 R07).
    #: ``(rows, codes, labels)``: label ``labels[codes[i]]`` for data row ``i`` (code −1: blank).
    rater_labels: t.Mapping[int, RaterLabels] = dataclasses.field(default_factory=dict)

    def origins_of(self, name: str, unit: int) -> tuple[Origin, ...]:
        """Where the cells of input ``name`` for unit ``unit`` came from, in order."""
        if name not in self.origin_rows:
            return ()
        rows = np.atleast_1d(self.origin_rows[name][unit])
        tables = np.atleast_1d(self.origin_tables[name][unit])
        return tuple(
            Origin(*self.sources[int(table)], int(row)) for row, table in zip(rows, tables) if row >= 0
        )

    def take(self, index: int) -> Dataset:
        """The dataset restricted to one unit (for tracing)."""
        pick = slice(index, index + 1)
        units = Units(*(getattr(self.units, f.name)[pick] for f in dataclasses.fields(Units)))
        columns = {name: column[pick] for name, column in self.columns.items()}
        rows = {name: column[pick] for name, column in self.origin_rows.items()}
        tables = {name: column[pick] for name, column in self.origin_tables.items()}
        unit = str(self.units.ids[index])
        kept = tuple(c for c in self.corrections if c.unit == unit)
        presence = {dim: mask[pick] for dim, mask in self.presence.items()}
        return Dataset(units, columns, self.dim_labels, rows, tables, self.sources, (), kept, presence, self.rater_labels)


def dataset_from_columns(
    scheme: Scheme,
    ids: t.Sequence[str],
    columns: t.Mapping[str, Column],
    *,
    names: t.Sequence[str] | None = None,
    groups: t.Sequence[str] | None = None,
    types: t.Sequence[str] | None = None,
) -> Dataset:
    """Build a Dataset directly from arrays (benchmarks, embedding in other tools).

    The caller is responsible for types and shapes; no file checks apply.
    """
    n = len(ids)
    labels = {}
    for ident, dim in scheme.dimensions.items():
        if dim.values is not None:
            labels[ident] = dim.values
        else:
            width = max((columns[i].shape[1] for i, s in scheme.inputs.items() if s.per == ident and i in columns), default=1)
            labels[ident] = tuple(str(k + 1) for k in range(width))
    def arr(values: t.Sequence[str] | None) -> npt.NDArray[np.str_]:
        return np.asarray(values if values is not None else [""] * n, dtype=str)
    units = Units(np.asarray(ids, dtype=str), arr(names), arr(types), arr(groups), arr(None))
    return Dataset(units, dict(columns), labels)
