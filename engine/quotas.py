"""Quota options of a ranking: seats per group and the base a share is taken of.

Turns a ranking tier's ``share`` (× the base head count, rounded) into the
seats of each group, bounded by the tier's ``min_seats`` / ``max_seats``:

    seats = min(max(rounded share × base, min_seats), max_seats)

in every group open to the ranking (at least ``min_group`` members); a group
below ``min_group`` has no seats at all. That is how "不超过支部党员总数的
5%，党员人数少于 10 人的可以不评选" reads when a branch of 10–19 members is
meant to elect one (floor(5 % × 10) = 0, so without a minimum the second
phrase would say nothing): ``rounding: floor``, ``min_seats: 1``,
``min_group: 10``.

The base (``share_of``) is the pool (units competing), all units of the group,
or ``among``: every unit of the group meeting the ranking's ``among``
condition whether it competes or not — a member graded ten stars by hand
counts in "十星级党员总数" though it has no total to be ranked by.

Also here: the compile-time checks of these keys and the words explain uses
for a unit's seats ("第一党支部 14 人 × 5% = 0.7，向下取整 0，不少于 1 名 → 1 名").
"""

from __future__ import annotations

import typing as t
from fractions import Fraction

import numpy as np
import numpy.typing as npt

from engine.loader import YamlPath
from engine.messages import Text
from engine.yamltypes import YamlMap, integer

if t.TYPE_CHECKING:
    from engine.context import Context

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

#: What a share is taken of: the competing units, all units, or those meeting ``among``.
ShareOf = t.Literal["pool", "all", "among"]
#: How share × head count becomes whole seats.
SeatRounding = t.Literal["floor", "half_up", "ceil"]

#: Keys of a tier that bound its seats.
SEAT_KEYS = ("min_seats", "max_seats")


class Problems(t.Protocol):
    """What the checks need of the compiler: a way to record a located problem."""

    def problem(self, code: str, path: YamlPath, severity: t.Literal["error", "warning"] = "error", *,
                at_key: bool = False, **args: object) -> None: ...


def tier_bounds(c: Problems, tier: YamlMap, path: YamlPath) -> tuple[int | None, int | None]:
    """The (min_seats, max_seats) a tier declares, checked; problems go to ``c``.

    Bounds belong to a ``share`` tier: a ``count`` already is the number of
    seats and ``rest`` has none of its own, so a bound there is an error, as
    is a minimum above the maximum.
    """
    # (Validated integers; JSON Schema counts 2.0 as one too, read here as 2.)
    low, high = (None if (v := tier.get(key)) is None else integer(v) for key in SEAT_KEYS)
    if low is None and high is None:
        return None, None
    if "share" not in tier:
        key = "min_seats" if low is not None else "max_seats"
        kind = "count" if "count" in tier else "rest"
        c.problem("seats_need_share", path + (key,), at_key=True, key=key, kind=kind)
        return None, None
    if low is not None and high is not None and low > high:
        c.problem("seats_min_above_max", path + ("min_seats",), low=low, high=high)
        return None, None
    return low, high


def check_base(c: Problems, ranking: YamlMap, path: YamlPath) -> bool:
    """``share_of: among`` counts the units meeting ``among``: it needs one."""
    if ranking.get("share_of") == "among" and "among" not in ranking:
        c.problem("share_of_among_needs_among", path + ("share_of",))
        return False
    return True


def base_counts(share_of: ShareOf, codes: IntArray, group_count: int, pool: BoolArray, among: BoolArray | None) -> IntArray:
    """Head count per group that a share is taken of.

    >>> codes = np.array([0, 0, 0, 1, 1])
    >>> pool = np.array([True, False, True, True, False])
    >>> base_counts("pool", codes, 2, pool, None).tolist(), base_counts("all", codes, 2, pool, None).tolist()
    ([2, 1], [3, 2])
    >>> base_counts("among", codes, 2, pool, np.array([True, True, False, False, True])).tolist()
    [2, 1]
    """
    if share_of == "all":
        return np.bincount(codes, minlength=group_count)
    if share_of == "among" and among is not None:
        return np.bincount(codes[among], minlength=group_count)
    return np.bincount(codes[pool], minlength=group_count)


def seats(count: int | None, share: tuple[int, int] | None, rounding: SeatRounding, base: IntArray,
          low: int | None = None, high: int | None = None) -> IntArray:
    """Seats per group: a fixed count, or share × head count rounded exactly and
    bounded by ``low``/``high``.

    >>> seats(None, (1, 20), "half_up", np.array([9, 10, 14, 30])).tolist()
    [0, 1, 1, 2]
    >>> seats(None, (1, 10), "floor", np.array([9, 10, 19])).tolist()
    [0, 1, 1]

    季度之星, floor with at least one seat: 10 × 5 % = 0.5 → 0 → 1; 39 × 5 % = 1.95 → 1;
    40 × 5 % = 2; a maximum of 2 holds 100 × 5 % = 5 at 2.

    >>> seats(None, (1, 20), "floor", np.array([10, 39, 40, 100]), 1, 2).tolist()
    [1, 1, 2, 2]
    """
    if count is not None:
        return np.full(base.shape, count, dtype=np.int64)
    if share is None:  # "rest": takes whoever is left, no seats of its own
        return np.zeros(base.shape, dtype=np.int64)
    numerator, denominator = share
    product = base.astype(np.int64) * numerator
    if rounding == "floor":
        out = product // denominator
    elif rounding == "ceil":
        out = -((-product) // denominator)
    else:
        out = (2 * product + denominator) // (2 * denominator)  # half up, in integers
    if low is not None:
        out = np.maximum(out, low)
    if high is not None:
        out = np.minimum(out, high)
    return out.astype(np.int64)


_ROUNDING = {
    "floor": Text("向下取整", "rounded down"),
    "half_up": Text("四舍五入", "rounded half up"),
    "ceil": Text("向上取整", "rounded up"),
}
_BASE = {
    "pool": Text("参评", "competing"),
    "all": Text("共", "in all"),
    "among": Text("满足参评条件的全部", "meeting the condition (non-competing included)"),
}


def seat_words(share: tuple[int, int], rounding: SeatRounding, base: int, share_of: ShareOf, low: int | None, high: int | None,
               group: str | None, context: Context) -> str:
    """How one group's seats of a share tier were worked out, in words.

    >>> from engine.context import Context
    >>> seat_words((1, 20), "floor", 14, "all", 1, None, "第一党支部", Context())
    '第一党支部共 14 人 × 5% = 0.7，向下取整 0，不少于 1 名'
    >>> seat_words((1, 10), "floor", 12, "among", None, None, None, Context(lang="en"))
    '12 meeting the condition (non-competing included) × 10% = 1.2, rounded down 1'
    """
    fraction = Fraction(*share)
    exact = _decimal(fraction * base)
    percent = _decimal(fraction * 100)
    rounded = int(seats(None, share, rounding, np.array([base]))[0])
    who = _BASE.get(share_of, _BASE["pool"])
    if context.lang == "en":  # the words and their order differ, not only the language
        text = f"{group + ': ' if group else ''}{base} {who.en} × {percent}% = {exact}, {_ROUNDING[rounding].en} {rounded}"
        if low is not None and rounded < low:
            text += f", at least {low}"
        if high is not None and rounded > high:
            text += f", at most {high}"
        return text
    text = f"{group or ''}{who.zh} {base} 人 × {percent}% = {exact}，{_ROUNDING[rounding].zh} {rounded}"
    if low is not None and rounded < low:
        text += f"，不少于 {low} 名"
    if high is not None and rounded > high:
        text += f"，至多 {high} 名"
    return text


def _decimal(value: Fraction) -> str:
    """An exact fraction as a short decimal (at most 4 places, trailing zeros dropped)."""
    if value.denominator == 1:
        return str(value.numerator)
    text = f"{float(value):.4f}".rstrip("0").rstrip(".")
    return text
