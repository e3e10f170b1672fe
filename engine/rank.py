"""Hand out rank-based labels: quotas by count or share, per group, with a tie policy.

A ranking orders its pool — units that have a total, are not disqualified by
a veto, and meet the ranking's ``among`` condition — by a value (the total by
default, then the tie-breakers) and gives each tier's label to the next
units in line: 一等奖 2 / 二等奖 4 / 三等奖 4, 好 / 中 / 差 in thirds, the top
40 % 优秀, at most 5 % of each branch. Each tier has its own seats: seats a
tier leaves empty (a tie that would not fit) are not passed down, so no
tier ever holds more than its quota.

Quota sizes are exact: a share is a fraction (2/5, 1/3), multiplied by a
whole head count and rounded as the scheme declares (floor by default: "不超
过"). Ties at a quota edge follow the declared policy: ``exclude`` (default)
gives the label only to a tied block that fits entirely, so a quota is never
exceeded; ``include`` gives it to the whole block. Everything is computed
with sorts and cumulative sums over all groups at once — no loop per unit or
per group.
"""

from __future__ import annotations

import dataclasses
import functools
import typing as t

import numpy as np
import numpy.typing as npt

from engine import numbers, quotas
from engine.aggregates import Namespace
from engine.context import Context
from engine.expressions import ColumnEvaluator
from engine.messages import Text
from engine.model import Ranking

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


@dataclasses.dataclass(frozen=True)
class Placement:
    """One ranking's outcome for every unit."""

    ranking: Ranking
    #: Index of the tier each unit received, −1 for none.
    tier: npt.NDArray[np.int8]
    #: Whether the unit was in the pool (eligible and meeting ``among``).
    pool: BoolArray
    #: Competition rank inside the pool (and group), 0 outside it.
    position: IntArray
    #: Size of the unit's pool (its group's pool when per group).
    pool_size: IntArray
    #: Quota of each tier for the unit's group, shape (n, tiers).
    quotas: IntArray
    #: Head count the shares of the unit's group were taken of (``share_of``).
    base: IntArray
    #: Whether the unit's group was open to the ranking (``min_group`` reached).
    open: BoolArray

    @functools.cached_property
    def labels(self) -> npt.NDArray[np.object_]:
        """The tier label each unit received (``None``: none)."""
        names = np.array([tier.label for tier in self.ranking.tiers] + [None], dtype=object)
        return names[self.tier]  # −1 picks the trailing None


def place(ranking: Ranking, names: Namespace, eligible: BoolArray, groups: IntArray) -> Placement:
    """Apply one ranking to all units.

    Args:
        names: the namespace for its expressions (inputs, scores, grades).
        eligible: units that may compete at all (scored, no disqualifying veto).
        groups: each unit's group code 0 … g−1 (used when the ranking is per group).
    """
    n = eligible.shape[0]
    evaluator = ColumnEvaluator(names)
    by = np.asarray(evaluator.column(ranking.by, n), dtype=np.float64)
    pool = eligible & np.isfinite(by)
    among = None
    if ranking.among is not None:
        among = np.asarray(evaluator.column(ranking.among, n), dtype=bool)
        pool &= among
    breaks = [np.asarray(evaluator.column(b, n), dtype=np.float64) for b in ranking.tie_break]

    if ranking.per_group and n:
        codes = groups
    else:
        codes = np.zeros(n, dtype=np.int64)
    group_count = int(codes.max()) + 1 if n else 0
    everyone = np.bincount(codes, minlength=group_count)
    in_pool = np.bincount(codes[pool], minlength=group_count)
    base = quotas.base_counts(ranking.share_of, codes, group_count, pool, among)
    open_group = everyone >= (ranking.min_group or 0)
    seats = np.stack([
        np.where(open_group, quotas.seats(tier.count, tier.share, ranking.rounding, base, tier.min_seats, tier.max_seats), 0)
        for tier in ranking.tiers], axis=1) if ranking.tiers else np.zeros((group_count, 0), dtype=np.int64)

    tier_of = np.full(n, -1, dtype=np.int8)
    position = np.zeros(n, dtype=np.int64)
    members = np.flatnonzero(pool)
    if members.size:
        sign = -1.0 if ranking.descending else 1.0
        keys = [sign * b[members] for b in reversed(breaks)] + [sign * by[members], codes[members]]
        order = np.lexsort(keys)
        sorted_units = members[order]
        group = codes[sorted_units]
        count = sorted_units.size
        index = np.arange(count)
        group_start = np.r_[True, group[1:] != group[:-1]]
        ordered_by = by[sorted_units]
        same = numbers.eq(ordered_by[1:], ordered_by[:-1])  # the comparison rule of bands and expressions
        for extra in breaks:  # tied only when every tie-breaker is equal too
            ordered_extra = extra[sorted_units]
            same &= numbers.eq(ordered_extra[1:], ordered_extra[:-1])
        same_as_previous = np.r_[False, same] & ~group_start
        run_start = ~same_as_previous
        first_in_group = np.maximum.accumulate(np.where(group_start, index, 0))
        first_in_run = np.maximum.accumulate(np.where(run_start, index, 0))
        run_id = np.cumsum(run_start) - 1
        run_last = np.r_[np.flatnonzero(run_start)[1:] - 1, count - 1]
        rank_first = first_in_run - first_in_group + 1          # competition rank
        rank_last = run_last[run_id] - first_in_group + 1        # last place of the tied block
        reach = rank_last if ranking.ties == "exclude" else rank_first
        given = np.full(count, -1, dtype=np.int8)
        in_open_group = open_group[group]
        # Tiers take the next units in line, each within its own seats: the
        # units already placed are always the top of their group, so a place
        # among those left is the rank minus how many went before.
        placed = np.zeros(group_count, dtype=np.int64)
        for k, tier in enumerate(ranking.tiers):
            open_slot = (given < 0) & in_open_group
            if tier.rest:
                hit = open_slot
            else:
                hit = open_slot & (reach - placed[group] <= seats[group, k])
            given[hit] = k
            placed += np.bincount(group[hit], minlength=group_count)
        tier_of[sorted_units] = given
        position[sorted_units] = rank_first
    return Placement(ranking, tier_of, pool, position, in_pool[codes], seats[codes], base[codes], open_group[codes])


def seat_text(placement: Placement, index: int, group: str | None, context: Context) -> str:
    """The seats of unit ``index``'s group, tier by tier, in words for explain:
    a count as it is, a share with its arithmetic (engine.quotas.seat_words).

    第一季度之星 1 名（第一党支部共 14 人 × 5% = 0.7，向下取整 0，不少于 1 名）
    """
    ranking = placement.ranking
    if not placement.open[index]:
        return context.pick(Text(f"分组人数不足 {ranking.min_group} 人，不评选", f"none, the group has fewer than {ranking.min_group} members"))
    parts = []
    for tier, seats in zip(ranking.tiers, placement.quotas[index]):
        if tier.rest:
            parts.append(f"{tier.label} {context.say('其余', 'rest')}")
            continue
        text = context.say(f"{tier.label} {int(seats)} 名", f"{tier.label} {int(seats)}")
        if tier.share is not None:
            how = quotas.seat_words(tier.share, ranking.rounding, int(placement.base[index]), ranking.share_of,
                                    tier.min_seats, tier.max_seats, group if ranking.per_group else None, context)
            text += context.say(f"（{how}）", f" ({how})")
        parts.append(text)
    return context.say("、", ", ").join(parts)
