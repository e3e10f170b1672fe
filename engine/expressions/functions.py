"""The numpy implementations of the expression functions, and the table one evaluation run uses.

Aggregates (``sum``, ``mean``, ``count``, ``trimmed_mean``, the ``*_if``
forms …) reduce each unit's row of a per-dimension column (n, k) to one value,
skipping absent values (NaN); ``min``/``max`` with several arguments, ``clamp``,
``where`` and the rounding functions work unit by unit. The cross-unit
functions come from engine.aggregates.
"""

from __future__ import annotations

import typing as t

import numpy as np
import numpy.typing as npt

from engine import aggregates, numbers
from engine.expressions.operators import align

#: Any column the functions take or give (numbers, yes/no, text; (n,) or (n, k)).
_Array = npt.NDArray[t.Any]


def _rows_sum(x: _Array) -> tuple[_Array, _Array]:
    """Sum and count of present values per row, fast when nothing is absent."""
    width = x.shape[1]
    total = x.sum(axis=1)
    count = np.full(x.shape[0], float(width))
    gaps = np.isnan(total)
    if gaps.any():
        part = x[gaps]
        present = ~np.isnan(part)
        total[gaps] = np.where(present, part, 0.0).sum(axis=1)
        count[gaps] = present.sum(axis=1)
    return total, count


def _agg_sum(x: _Array) -> _Array:
    return _rows_sum(x)[0]


def _agg_mean(x: _Array) -> _Array:
    total, count = _rows_sum(x)
    with np.errstate(all="ignore"):
        result: _Array = total / count  # count 0 → NaN, reported as "no values"
    return result


def _agg_count(x: _Array, rows: _Array | None = None) -> _Array:
    if rows is not None:
        existing: _Array = np.broadcast_to(rows, x.shape).sum(axis=1).astype(np.float64)
        return existing
    if x.dtype.kind == "U":
        present: _Array = (x != "").sum(axis=1).astype(np.float64)
        return present
    if x.dtype == np.bool_:
        return np.full(x.shape[0], float(x.shape[1]))
    return _rows_sum(x)[1]


def _agg_extreme(x: _Array, pick: t.Callable[..., _Array], fill: float) -> _Array:
    result = pick(x, axis=1)
    gaps = np.isnan(result)
    if gaps.any():
        part = x[gaps]
        filled = np.where(np.isnan(part), fill, part)
        values = pick(filled, axis=1)
        values[np.isnan(part).all(axis=1)] = np.nan
        result[gaps] = values
    out: _Array = result
    return out


def _trimmed_mean(x: _Array, k: int = 1) -> _Array:
    ordered = np.sort(x, axis=1)  # NaN (absent) sorts last
    count = (~np.isnan(x)).sum(axis=1)
    position = np.arange(x.shape[1])[None, :]
    keep = (position >= k) & (position < (count - k)[:, None])
    total = np.where(keep, ordered, 0.0).sum(axis=1)
    with np.errstate(all="ignore"):
        result: _Array = total / (count - 2 * k)
    result[count - 2 * k <= 0] = np.nan
    return result


def _same_for_all(x: _Array, cond: _Array) -> bool:
    """A condition on the dimension alone (month <= 3) is a single row."""
    return isinstance(cond, np.ndarray) and cond.ndim == 2 and cond.shape[0] == 1 and x.shape[0] != 1


def _pick_columns(x: _Array, cond: _Array) -> _Array:
    """The columns ``cond`` selects: a view when they are contiguous."""
    columns = np.flatnonzero(cond[0])
    if columns.size and columns[-1] - columns[0] + 1 == columns.size:
        return x[:, columns[0]:columns[-1] + 1]
    return x[:, columns]


def _sum_if(x: _Array, cond: _Array) -> _Array:
    """Sum of the present values where ``cond`` holds, per row.

    Fast path: one masked pass and a row sum; only rows whose selection holds
    an absent (NaN) value are summed again, skipping it.
    """
    if _same_for_all(x, cond):
        return _rows_sum(_pick_columns(x, cond))[0]
    selected = np.where(cond, x, 0.0)
    total: _Array = selected.sum(axis=1)
    gaps = np.isnan(total)
    if gaps.any():
        part = selected[gaps]
        total[gaps] = np.where(np.isnan(part), 0.0, part).sum(axis=1)
    return total


def _mean_if(x: _Array, cond: _Array) -> _Array:
    if _same_for_all(x, cond):
        return _agg_mean(_pick_columns(x, cond))
    chosen = np.broadcast_to(cond, np.broadcast_shapes(np.shape(x), np.shape(cond)))
    count = (chosen & ~np.isnan(x)).sum(axis=1)
    with np.errstate(all="ignore"):
        result: _Array = _sum_if(x, cond) / count
    return result


def _trimmed_mean_if(x: _Array, cond: _Array, k: int = 1) -> _Array:
    """trimmed_mean over the records where ``cond`` holds (the others count as absent)."""
    chosen = np.broadcast_to(cond, np.broadcast_shapes(np.shape(x), np.shape(cond)))
    return _trimmed_mean(np.where(chosen, x, np.nan), k)


def _extreme(pick_columns: t.Callable[..., t.Any], pick_rows: t.Callable[..., _Array], fill: float) -> t.Callable[..., t.Any]:
    def apply(*args: t.Any) -> t.Any:
        if len(args) == 1:
            return _agg_extreme(np.asarray(args[0], dtype=np.float64), pick_rows, fill)
        out = args[0]
        for arg in args[1:]:
            a, b = align(out, arg)
            out = pick_columns(a, b)
        return out

    return apply


def _round(x: t.Any, digits: int = 0) -> t.Any:
    values = np.asarray(x, dtype=np.float64)
    if values.ndim == 0:
        # round(2.5): a constant; round_half_up works in place on arrays.
        return numbers.round_half_up(values.reshape(1), digits)[0]
    return numbers.round_half_up(values, digits)


def _where(cond: t.Any, yes: t.Any, no: t.Any) -> t.Any:
    # Any of the three may be per unit (n,) and another per dimension (n, k) — the condition
    # may also be a plain constant ("x if True else y"): every per-unit column becomes (n, 1).
    parts = (cond, yes, no)
    if any(isinstance(v, np.ndarray) and v.ndim == 2 for v in parts):
        cond, yes, no = (v[:, None] if isinstance(v, np.ndarray) and v.ndim == 1 else v for v in parts)
    return np.where(cond, yes, no)


#: The numpy implementation of each function of the language (engine.expressions.language.FUNCTIONS).
IMPLEMENTATIONS: dict[str, t.Callable[..., object]] = {
    "sum": _agg_sum,
    "mean": _agg_mean,
    "avg": _agg_mean,
    "count": _agg_count,
    "trimmed_mean": _trimmed_mean,
    "any": lambda b: np.asarray(b).any(axis=1),
    "all": lambda b: np.asarray(b).all(axis=1),
    "count_if": lambda b: np.asarray(b).sum(axis=1).astype(np.float64),
    "sum_if": _sum_if,
    "mean_if": _mean_if,
    "trimmed_mean_if": _trimmed_mean_if,
    "min": _extreme(np.minimum, np.min, np.inf),
    "max": _extreme(np.maximum, np.max, -np.inf),
    "clamp": lambda x, lo, hi: np.clip(x, lo, hi),
    "where": _where,
    "abs": np.abs,
    "round": _round,
    "floor": np.floor,
    "ceil": np.ceil,
    "not_": np.logical_not,
    **aggregates.IMPLEMENTATIONS,
}


def _no_zero_dim(function: t.Callable[..., object]) -> t.Callable[..., t.Any]:
    """A function whose result on plain values is a plain value: numpy gives a
    0-d array for where(True, 1, 2), which neither indexes nor broadcasts like
    a column (IndexError in a veto, a wrong shape next to a per-month column)."""

    def apply(*args: t.Any) -> t.Any:
        # A Python int numpy cannot hold as int64 (-9223372036854775809) would raise
        # OverflowError inside where() and the like; every number is a float64 in a column.
        args = tuple(float(a) if type(a) is int and not -2**63 <= a < 2**63 else a for a in args)
        result = function(*args)
        if isinstance(result, np.ndarray) and result.ndim == 0:
            return result[()]
        return result

    return apply


def function_table(names: t.Mapping[str, object]) -> dict[str, t.Callable[..., object]]:
    """The functions of one evaluation run over ``names``: plain values in, plain
    values out, and the row sums of input columns remembered — sum(v) / count(v)
    reads the same input twice (never of temporaries, whose ids may be reused)."""
    functions = {name: _no_zero_dim(function) for name, function in IMPLEMENTATIONS.items()}
    inputs = {id(v) for v in names.values() if isinstance(v, np.ndarray) and v.ndim == 2}
    cache: dict[int, tuple[_Array, _Array]] = {}

    def rows_sum(x: _Array) -> tuple[_Array, _Array]:
        if id(x) not in inputs:
            return _rows_sum(x)
        if id(x) not in cache:
            cache[id(x)] = _rows_sum(x)
        return cache[id(x)]

    def mean(x: _Array) -> _Array:
        total, count = rows_sum(x)
        with np.errstate(all="ignore"):
            result: _Array = total / count
        return result

    functions["sum"] = lambda x: rows_sum(x)[0]
    functions["mean"] = functions["avg"] = mean
    functions["count"] = lambda x, rows=None: rows_sum(x)[1] if x.dtype.kind == "f" else _agg_count(x, rows)
    return functions
