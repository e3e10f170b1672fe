"""Turn float64 columns into exact decimal scores (四舍五入) and back into text.

Evaluation runs on float64 numpy columns for speed. Binary floating point
cannot hold most decimals (0.2 is 0.2000000000000000111…), so a raw result
such as ``2 - 3 * 0.2`` comes out as 1.4000000000000001. Every score that
leaves the engine passes through :func:`round_half_up`, which first snaps the
scaled value to 6 decimals (erasing artefacts that are ~1e-13 of the value)
and then rounds half away from zero at the scheme's precision. Dividing the
resulting integer by a power of ten yields the double nearest to the decimal,
i.e. exactly what ``float("1.4")`` gives, so equal decimals compare equal.

Comparisons against thresholds (``≥ 85``) use :data:`EPSILON` so that a value
that is mathematically 85 meets ``≥ 85`` however it was summed.
"""

from __future__ import annotations

import math
import typing as t
from decimal import ROUND_HALF_UP, Context, Decimal

import numpy as np
import numpy.typing as npt

if t.TYPE_CHECKING:
    from engine.context import Lang

FloatArray = npt.NDArray[np.float64]

#: Tolerance for comparing a computed value with a threshold written in YAML.
#: Far below any precision a scheme may declare (at most 6 decimals), far
#: above float64 noise for values of assessment size (< 1e6).
EPSILON = 1e-9

#: Digits kept when snapping away binary artefacts before half-up rounding.
_SNAP_DIGITS = 6


def round_half_up(values: FloatArray, precision: int) -> FloatArray:
    """Round a column half away from zero at ``precision`` decimals.

    Args:
        values: float64 column (NaN passes through unchanged).
        precision: number of decimals, 0 to 6.

    Returns:
        A new float64 column whose entries are the doubles nearest to the
        rounded decimals.

    >>> round_half_up(np.array([2 - 3 * 0.2, 1.005, 2.345, -2.345, 0.125]), 2).tolist()
    [1.4, 1.01, 2.35, -2.35, 0.13]
    """
    scale = 10.0**precision
    # In place after the first allocation: on million-row columns the cost is
    # memory traffic, not arithmetic.
    result: FloatArray = np.multiply(values, scale, dtype=np.float64)
    np.round(result, _SNAP_DIGITS, out=result)
    sign = np.sign(result)
    np.abs(result, out=result)
    result += 0.5
    np.floor(result, out=result)
    result *= sign
    result /= scale
    # -0.0 would print as "-0.00"; a score of nothing is plain zero.
    result += 0.0
    return result


def distinct(values: FloatArray) -> tuple[FloatArray, npt.NDArray[np.intp]]:
    """``np.unique(values, return_inverse=True)`` (the distinct values sorted, NaN last, and
    each value's index among them; the inverse flat) without sorting when it can.

    Report columns are scores and figures at a few decimals: a 100,000-unit column has a
    few hundred values. When every value is a whole number of hundredths, say, or of up to
    millionths (checked: each is the double nearest that many) spanning a small range, the distinct values
    are marked in a table of that range and counted off; otherwise, or with a negative
    zero among them (np.unique keeps one of -0.0 and 0.0), np.unique sorts.

    >>> values, inverse = distinct(np.array([9.41, 8.5, np.nan, 9.41, 10.0]))
    >>> values.tolist()[:3], inverse.tolist()
    ([8.5, 9.41, 10.0], [1, 0, 3, 1, 2])
    """
    flat = np.asarray(values, dtype=np.float64).reshape(-1)
    n = flat.size
    nan = np.isnan(flat)
    present = flat[~nan] if nan.any() else flat
    whole = None
    with np.errstate(invalid="ignore", over="ignore"):
        if present.size and np.isfinite(present).all() and not (np.signbit(present) & (present == 0)).any():
            for digits in range(_SNAP_DIGITS + 1):  # the fewest decimals that hold every value
                scale = 10.0**digits
                scaled = np.rint(present * scale)
                if np.abs(scaled).max() < 2.0**52 and (scaled / scale == present).all():
                    whole = scaled.astype(np.int64)
                    break
    if whole is None or int(whole.max()) - int(whole.min()) + 1 > 4 * n + 1024:
        unique, inverse = np.unique(flat, return_inverse=True)
        return unique, inverse.reshape(-1)
    low = int(whole.min())
    span = int(whole.max()) - low + 1
    slot = np.full(n, span, dtype=np.int64)  # NaN takes the last slot
    slot[~nan] = whole - low
    seen = np.zeros(span + 1, dtype=np.int64)
    seen[slot] = 1
    index = np.cumsum(seen) - 1
    unique = (np.flatnonzero(seen[:span]) + low) / scale
    if seen[span]:
        unique = np.append(unique, np.nan)
    return unique, index[slot].astype(np.intp)


_Made = t.TypeVar("_Made")


def spread(made: t.Sequence[_Made], index: npt.NDArray[np.intp]) -> list[_Made]:
    """``[made[k] for k in index]`` — each distinct value's text given back to every unit
    (:func:`distinct`'s inverse), taken by numpy.

    >>> spread(["a", "b"], np.array([1, 0, 1]))
    ['b', 'a', 'b']
    """
    table = np.empty(len(made), dtype=object)
    for k, value in enumerate(made):
        table[k] = value  # one by one: a tuple (a Text) stays one object
    listed: list[_Made] = table[index].tolist()
    return listed


def number_text(value: int | float) -> str:
    """A number as shown in a message: a long integer by its first digits and
    length, one too long for ``str()`` (Python refuses beyond 4300 digits) by
    its order of magnitude.

    >>> number_text(12), number_text(10**40), number_text(2**20000)
    ('12', '100000000000…（41 位）', '≈10^6020')
    """
    if isinstance(value, bool) or not isinstance(value, int) or value.bit_length() <= 50:
        return str(value)
    sign = "-" if value < 0 else ""
    if value.bit_length() < 14_000:
        digits = str(abs(value))
        return f"{sign}{digits[:12]}…（{len(digits)} 位）"
    return f"{sign}≈10^{int(value.bit_length() * math.log10(2))}"


def round_scalar(value: float, precision: int) -> float:
    """Round one number like :func:`round_half_up` (used by traces and tests).

    >>> round_scalar(0.1 + 0.2, 2)
    0.3
    """
    return float(round_half_up(np.array([value], dtype=np.float64), precision)[0])


_WIDE = Context(prec=800)


def format_score(value: float | None, precision: int) -> str:
    """Render a rounded score with exactly ``precision`` decimals.

    >>> format_score(1.4, 2), format_score(None, 2), format_score(85.0, 0)
    ('1.40', '—', '85')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    quantum = Decimal(1).scaleb(-precision)
    # Enough digits for any finite float at any precision (1e300 quantized to 0.01
    # needs ~300; the default context's 28 raised InvalidOperation).
    return str(Decimal(repr(float(value))).quantize(quantum, rounding=ROUND_HALF_UP, context=_WIDE))


def format_number(value: float) -> str:
    """Render an intermediate value for a human: no artefacts, no trailing zeros.

    >>> format_number(0.1 + 0.2), format_number(8.0), format_number(1 / 3)
    ('0.3', '8', '0.333333')
    """
    if math.isnan(value):
        return "空"
    if math.isinf(value):
        return "∞" if value > 0 else "-∞"
    text = f"{round(value, _SNAP_DIGITS):.{_SNAP_DIGITS}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def format_max(value: float, lang: Lang = "zh") -> str:
    """Render an item's full marks: an uncapped item (``max: 不封顶``) says so.

    >>> format_max(10.0), format_max(float("inf")), format_max(float("inf"), "en")
    ('10', '不封顶', 'uncapped')
    """
    if math.isinf(value) and value > 0:
        return "uncapped" if lang == "en" else "不封顶"
    return format_number(value)


def plain(value: float) -> float | int:
    """A rounded score as a JSON-friendly number: 85.0 becomes 85, 1.4 stays 1.4.

    >>> plain(85.0), plain(1.4)
    (85, 1.4)
    """
    return int(value) if float(value).is_integer() else float(value)


Operand = t.Union[FloatArray, float]


def _slack(threshold: Operand) -> Operand:
    """How far a value may sit from ``threshold`` and still count as equal to it.

    Relative to the threshold (``EPSILON × max(1, |threshold|)``): 1e-9 for
    thresholds up to 1, 1e-7 for 100; none for an infinite bound. A threshold
    column gets a slack per row.

    >>> _slack(0.5), _slack(float("-inf"))
    (1e-09, 0.0)
    """
    if isinstance(threshold, np.ndarray):
        # In place after one allocation: a column against a column runs on every unit.
        slack: FloatArray = np.abs(threshold, dtype=np.float64)
        np.maximum(slack, 1.0, out=slack)
        slack *= EPSILON
        infinite = np.isinf(slack)
        if infinite.any():
            slack[infinite] = 0.0
        return slack
    # An infinite bound (.inf, -.inf) has no float noise: compare it exactly.
    return EPSILON * max(1.0, abs(float(threshold))) if math.isfinite(float(threshold)) else 0.0


# The one comparison rule of the engine: tier and grade bands, and the
# operators <, <=, >, >=, ==, != in every expression (conditions, vetoes,
# derived values, rankings' ``among``, actions) go through these six, so a
# value that is mathematically 90 meets ``≥ 90`` everywhere or nowhere.


def ge(values: Operand, threshold: Operand) -> npt.NDArray[np.bool_]:
    """``values ≥ threshold``, tolerant of float noise.

    >>> bool(ge(np.array([(2 * 1 + 1 * 0.9 + 1 * 0.7) / 4 * 100]), 90.0)[0])
    True
    """
    result: npt.NDArray[np.bool_] = np.greater_equal(values, np.subtract(threshold, _slack(threshold)))
    return result


def gt(values: Operand, threshold: Operand) -> npt.NDArray[np.bool_]:
    """``values > threshold``, tolerant of float noise (``0.1 + 0.2 > 0.3`` is false)."""
    result: npt.NDArray[np.bool_] = np.greater(values, np.add(threshold, _slack(threshold)))
    return result


def le(values: Operand, threshold: Operand) -> npt.NDArray[np.bool_]:
    """``values ≤ threshold``, tolerant of float noise."""
    result: npt.NDArray[np.bool_] = np.less_equal(values, np.add(threshold, _slack(threshold)))
    return result


def lt(values: Operand, threshold: Operand) -> npt.NDArray[np.bool_]:
    """``values < threshold``, tolerant of float noise."""
    result: npt.NDArray[np.bool_] = np.less(values, np.subtract(threshold, _slack(threshold)))
    return result


def eq(values: Operand, threshold: Operand) -> npt.NDArray[np.bool_]:
    """``values == threshold``, tolerant of float noise (``0.1 + 0.2 == 0.3``); NaN equals nothing.

    >>> bool(eq(np.array([0.1 + 0.2]), 0.3)[0]), bool(eq(np.array([np.nan]), np.nan)[0])
    (True, False)
    """
    with np.errstate(invalid="ignore"):
        close = np.less_equal(np.abs(np.subtract(values, threshold)), _slack(threshold))
        # ∞ − ∞ is NaN: equal infinities are still equal.
        result: npt.NDArray[np.bool_] = np.logical_or(close, np.equal(values, threshold))
    return result


def ne(values: Operand, threshold: Operand) -> npt.NDArray[np.bool_]:
    """``values != threshold``: the negation of :func:`eq` (NaN differs from everything)."""
    result: npt.NDArray[np.bool_] = np.logical_not(eq(values, threshold))
    return result
