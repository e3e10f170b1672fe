"""Benchmark: the engine scoring the 党员积分制 scheme vs. hand-written numpy.

For N members (in branches of 25) × 12 months × 10 items, plus 10 raters
per member and two reward records, both sides compute the same outcome —
item scores rounded half-up, bonus/penalty where only the highest counts,
totals, stars, 格次, ranks, the four quarters' 季度之星 (≤ 5 % of each branch,
rounded down but at least one seat, ties at the edge left out) and 年度之星 (≤ 10 % of the ten-star
members) — in the same process. Only the scoring step is timed (data are
generated as columns, not read from files). The results are compared before
any time is printed, so a fast wrong answer cannot pass.

    python benchmarks/bench_jifenzhi.py              # 10k, 100k, 1M
    python benchmarks/bench_jifenzhi.py 10000 50000  # chosen sizes
"""

from __future__ import annotations

import gc
import sys
import time
import typing as t
from pathlib import Path

import numpy as np
import numpy.typing as npt

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.jifenzhi_data import ITEMS, MONTHS, columns  # noqa: E402
from engine.compiler import compile_scheme  # noqa: E402
from engine.data import dataset_from_columns  # noqa: E402
from engine.evaluate import evaluate  # noqa: E402
from engine.grade import decide  # noqa: E402
from engine.inherit import load_scheme  # noqa: E402

SCHEME = Path(__file__).resolve().parent.parent / "schemes" / "jifenzhi" / "jifenzhi.yaml"
RATERS = 10

BONUS = {"国家级表彰": 5, "省部级表彰": 4, "地市级表彰": 3, "县级表彰": 2, "本局表彰": 1}
PENALTY = {"区级处分": -5, "市级处分": -4, "县级处分": -3, "本局处分": -2,
           "区级通报批评": -4, "市级通报批评": -3, "县级通报批评": -2, "本局通报批评": -1}
STARS = [(95, 10), (90, 9), (80, 8), (70, 7), (60, 6), (50, 5), (40, 4), (30, 3), (20, 2), (10, 1)]
LEVELS = [(10, "优秀党员"), (8, "合格党员"), (6, "基本合格党员")]


def half_up(x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """四舍五入 at 2 decimals, artefact-safe (the same algorithm the engine documents)."""
    scaled = np.round(x * 100.0, 6)
    result: npt.NDArray[np.float64] = np.sign(scaled) * np.floor(np.abs(scaled) + 0.5) / 100.0
    return result


BRANCH = 25


def _top(value: npt.NDArray[np.float64], pool: npt.NDArray[np.bool_], group: npt.NDArray[np.int64], seats: npt.NDArray[np.int64]) -> npt.NDArray[np.bool_]:
    """Members whose whole tied block fits in their group's seats, best value first."""
    members = np.flatnonzero(pool)
    order = members[np.lexsort((-value[members], group[members]))]
    g, v = group[order], value[order]
    k = np.arange(order.size)
    new_group = np.r_[True, g[1:] != g[:-1]]
    new_block = new_group | np.r_[True, v[1:] != v[:-1]]
    group_first = np.maximum.accumulate(np.where(new_group, k, 0))
    block_last = np.r_[np.flatnonzero(new_block)[1:] - 1, order.size - 1][np.cumsum(new_block) - 1]
    chosen = np.zeros(value.shape[0], dtype=bool)
    chosen[order] = block_last - group_first + 1 <= seats[g]
    return chosen


def baseline(data: dict[str, npt.NDArray[t.Any]], group: npt.NDArray[np.int64]) -> tuple[t.Any, ...]:
    """The scheme written by hand in numpy, for data known to be complete."""
    n = data["score_01"].shape[0]
    base = np.zeros(n)
    for item in range(1, ITEMS + 1):
        monthly = data[f"score_{item:02d}"].sum(axis=1) / MONTHS * 0.8
        votes = data[f"vote_{item:02d}"]
        vote = votes.sum(axis=1) / votes.shape[1] * 0.2
        base += half_up(np.clip(monthly + vote, 0, 10))
    reward = data["reward"]
    bonus = np.zeros(n)
    for label, points in BONUS.items():
        bonus = np.maximum(bonus, np.where((reward == label).any(axis=1), points, 0))
    penalty = np.zeros(n)
    for label, points in PENALTY.items():
        penalty = np.minimum(penalty, np.where((reward == label).any(axis=1), points, 0))
    total = half_up(half_up(base) + bonus + penalty)
    stars = np.zeros(n)
    for threshold, value in reversed(STARS):
        stars[total >= threshold - 1e-9] = value
    level = np.full(n, "不合格党员", dtype=object)
    for threshold, name in reversed(LEVELS):
        level[stars >= threshold] = name
    ordered = np.sort(-total)
    rank = np.searchsorted(ordered, -total, side="left") + 1
    size = np.bincount(group)
    seats = np.where(size >= 10, np.maximum(size // 20, 1), 0)  # 5 %, floor, at least 1; none under 10 members
    quarter_stars = []
    for quarter in range(4):
        months = slice(3 * quarter, 3 * quarter + 3)
        q = sum(data[f"score_{item:02d}"][:, months].sum(axis=1) for item in range(1, ITEMS + 1))
        quarter_stars.append(_top(q, np.ones(n, dtype=bool), group, seats))
    ten = stars == 10
    annual = _top(total, ten, np.zeros(n, dtype=np.int64), np.array([int(ten.sum()) // 10]))
    return total, stars, level, rank, quarter_stars, annual


def engine_run(scheme: t.Any, dataset: t.Any) -> tuple[t.Any, ...]:
    outcomes = decide(evaluate(scheme, dataset))
    labels = {p.ranking.id: p.tier >= 0 for p in outcomes.placements}
    quarter_stars = [labels[f"star_q{k}"] for k in range(1, 5)]
    return (outcomes.results.total, outcomes.grades["stars"], outcomes.grades["level"], outcomes.rank,
            quarter_stars, labels["star_year"])


def best_of(repeats: int, run: t.Callable[[], t.Any]) -> tuple[float, t.Any]:
    best, result = float("inf"), None
    for _ in range(repeats):
        gc.collect()
        start = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - start)
    return best, result


def main(sizes: list[int]) -> None:
    scheme, _ = compile_scheme(load_scheme(SCHEME))
    print(f"党员积分制: N members × {MONTHS} months × {ITEMS} items, {RATERS} raters each; best of repeats")
    print(f"{'N':>10} {'engine s':>10} {'numpy s':>10} {'ratio':>7}")
    for n in sizes:
        engine_time, numpy_time = measure(scheme, n)
        print(f"{n:>10,} {engine_time:>10.3f} {numpy_time:>10.3f} {engine_time / numpy_time:>7.2f}")


def measure(scheme: t.Any, n: int) -> tuple[float, float]:
    """Time both sides on n members, after checking they agree."""
    data = columns(n, RATERS)
    group = np.arange(n, dtype=np.int64) // BRANCH
    names = [f"B{g:06d}" for g in group]
    dataset = dataset_from_columns(scheme, [f"m{i}" for i in range(n)], data, groups=names)
    repeats = 5 if n <= 100_000 else 3
    engine_time, mine = best_of(repeats, lambda: engine_run(scheme, dataset))
    numpy_time, theirs = best_of(repeats, lambda: baseline(data, group))
    total, stars, level, rank, quarters, annual = mine
    b_total, b_stars, b_level, b_rank, b_quarters, b_annual = theirs
    assert np.array_equal(total, b_total), "totals differ from the numpy baseline"
    assert np.array_equal(stars.astype(float), b_stars), "stars differ"
    assert np.array_equal(level, b_level), "格次 differ"
    assert np.array_equal(rank, b_rank), "ranks differ"
    assert all(np.array_equal(a, b) for a, b in zip(quarters, b_quarters)), "季度之星 differ"
    assert np.array_equal(annual, b_annual), "年度之星 differ"
    assert any(q.any() for q in quarters), "no 季度之星 at all: the comparison would be empty"
    return engine_time, numpy_time


def sizes_from(argv: list[str]) -> list[int]:
    """The member counts on the command line (default 10k, 100k, 1M); ``--help`` prints the usage."""
    import argparse

    parser = argparse.ArgumentParser(prog="bench_jifenzhi.py", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sizes", nargs="*", type=int, metavar="N", help="numbers of members (default 10000 100000 1000000)")
    return parser.parse_args(argv).sizes or [10_000, 100_000, 1_000_000]


if __name__ == "__main__":
    main(sizes_from(sys.argv[1:]))
