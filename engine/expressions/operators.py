"""The operators of expressions, on numpy columns and on plain values alike.

Each operator runs once over whole columns: a per-unit column (n,) is
broadcast against a per-dimension one (n, k); plain numbers (constants,
params) are computed in float64 like the columns; comparisons of numbers are
decided like tier and grade bands (engine.numbers), within float noise.
"""

from __future__ import annotations

import ast
import operator as op
import typing as t

import numpy as np

from engine import numbers


_A = t.TypeVar("_A")
_B = t.TypeVar("_B")


def align(a: _A, b: _B) -> tuple[_A, _B]:
    """Broadcast a per-unit column (n,) against a per-dimension one (n, k): the
    per-unit one becomes (n, 1); anything else is returned as it is."""
    if isinstance(a, np.ndarray) and isinstance(b, np.ndarray) and {a.ndim, b.ndim} == {1, 2}:
        if a.ndim == 1:
            return t.cast(_A, a[:, None]), b
        return a, t.cast(_B, b[:, None])
    return a, b


def _binary(numpy_op: t.Callable[[t.Any, t.Any], t.Any], plain_op: t.Callable[[t.Any, t.Any], t.Any]) -> t.Callable[[t.Any, t.Any], t.Any]:
    """An operator that runs numpy on columns and ``plain_op`` on plain values."""

    def apply(a: t.Any, b: t.Any) -> t.Any:
        if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
            a, b = align(a, b)
            return numpy_op(a, b)
        return plain_op(a, b)

    return apply


def _float64(plain_op: t.Callable[[t.Any, t.Any], t.Any]) -> t.Callable[[t.Any, t.Any], t.Any]:
    """Arithmetic on plain numbers (constants, params) in float64 like the
    columns: Python ints would grow without bound (9**9**9) and overflow when
    made a column (10**400), and Python's float power raises OverflowError
    (2.0**1024) or returns a complex number ((-8) ** 0.5) where numpy gives
    inf or NaN — which the checks on every score then report."""

    def apply(a: t.Any, b: t.Any) -> t.Any:
        return plain_op(np.float64(a), np.float64(b))

    return apply


def is_number(x: object) -> bool:
    """A number or a column of numbers (not text, not yes/no)."""
    if isinstance(x, np.ndarray):
        return x.dtype.kind in "fiu"
    return isinstance(x, (int, float, np.integer, np.floating)) and not isinstance(x, (bool, np.bool_))


def _comparison(
    tolerant: t.Callable[[t.Any, t.Any], t.Any],
    numpy_op: t.Callable[[t.Any, t.Any], t.Any],
    plain_op: t.Callable[[t.Any, t.Any], t.Any],
) -> t.Callable[[t.Any, t.Any], t.Any]:
    """A comparison decided like tier and grade bands (engine.numbers): numbers
    within float noise of each other are equal, so a satisfaction of
    (2·1 + 1·0.9 + 1·0.7) ÷ 4 × 100 meets ``>= 90``. Text and yes/no compare exactly."""

    def apply(a: t.Any, b: t.Any) -> t.Any:
        array = isinstance(a, np.ndarray) or isinstance(b, np.ndarray)
        if array:
            a, b = align(a, b)
        if is_number(a) and is_number(b):
            result = tolerant(np.asarray(a, dtype=np.float64) if isinstance(a, np.ndarray) else float(a), b if isinstance(b, np.ndarray) else float(b))
            return result if array else bool(result)
        return numpy_op(a, b) if array else plain_op(a, b)

    return apply


def _power(a: t.Any, b: t.Any) -> t.Any:
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        a, b = align(a, b)
        return np.power(np.asarray(a, dtype=np.float64), b)
    return np.power(np.float64(a), np.float64(b))


#: The evaluator's operator table (simpleeval's ``operators``): AST operator type → its column function.
OPERATORS: dict[type[ast.AST], t.Callable[..., object]] = {
    ast.Add: _binary(np.add, _float64(op.add)),
    ast.Sub: _binary(np.subtract, _float64(op.sub)),
    ast.Mult: _binary(np.multiply, _float64(op.mul)),
    ast.Div: _binary(np.true_divide, _float64(lambda a, b: a / b if b != 0 else np.float64("nan"))),
    ast.FloorDiv: _binary(np.floor_divide, _float64(lambda a, b: a // b if b != 0 else np.float64("nan"))),
    ast.Mod: _binary(np.mod, _float64(lambda a, b: a % b if b != 0 else np.float64("nan"))),
    ast.Pow: _power,
    ast.Eq: _comparison(numbers.eq, np.equal, op.eq),
    ast.NotEq: _comparison(numbers.ne, np.not_equal, op.ne),
    ast.Gt: _comparison(numbers.gt, np.greater, op.gt),
    ast.Lt: _comparison(numbers.lt, np.less, op.lt),
    ast.GtE: _comparison(numbers.ge, np.greater_equal, op.ge),
    ast.LtE: _comparison(numbers.le, np.less_equal, op.le),
    ast.BitAnd: _binary(np.logical_and, lambda a, b: bool(a) and bool(b)),
    ast.BitOr: _binary(np.logical_or, lambda a, b: bool(a) or bool(b)),
    ast.USub: op.neg,
    ast.UAdd: op.pos,
}
