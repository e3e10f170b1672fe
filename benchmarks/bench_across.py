"""Cost of aggregates across units and of ballot screening at scale.

Scores N members (branches of 30, 10 raters each) with a scheme whose items
use mean_over / rank / rank_pct per branch and per parent, and a ballot rule
over the raters' 10·N cells; prints the time of the scoring alone, of the same
scheme with the cross-unit functions replaced by per-unit ones, and of the
ballot screen. Columns are built in memory (no files; the rater labels are
given as the reader keeps them). Run: ``python benchmarks/bench_across.py [N]``.
"""

from __future__ import annotations

import dataclasses
import sys
import textwrap
import time

import numpy as np

from engine import ballots
from engine.compiler import compile_scheme
from engine.data import dataset_from_columns
from engine.evaluate import evaluate
from engine.loader import load_scheme_text

SCHEME = """
kaohe: 1
id: bench-across
version: "1"
title: bench
units: {group: 支部}
dimensions:
  rater: {title: 测评人}
inputs:
  rate: {title: 完成率, type: percentage}
  vote: {title: 测评分, type: number, range: [0, 100], per: rater}
derived:
  - {id: branch_rate, title: 本支部平均完成率, value: "%(mean)s"}
items:
  - {id: compare, title: 与平均比较, max: 10, formula: "clamp(5 + (rate - branch_rate) * 0.5, 0, 10)"}
  - {id: top, title: 支部前三, max: 5, condition: {when: "%(rank)s <= 3"}}
  - {id: share, title: 全体前 20%%, max: 3, tiers: {value: "%(pct)s", bands: [{le: 20, points: 3}, {gt: 20, points: 0}]}}
  - {id: appraisal, title: 测评, max: 100, formula: "trimmed_mean(vote)"}
"""
ACROSS = {"mean": "mean_over(rate, 'group')", "rank": "rank(mean(vote), 'group')", "pct": "rank_pct(rate)"}
PLAIN = {"mean": "rate * 0.9", "rank": "mean(vote) / 30", "pct": "100 - rate"}
BALLOT = """
ballots:
  - {id: b, title: 测评票, per: rater, per_group: true, invalid: [{title: 90 分以上超过 8 人, when: "count_if(vote >= 90) > 8"}]}
"""


def _scheme(functions: dict[str, str], ballot: bool = False):  # type: ignore[no-untyped-def]
    text = textwrap.dedent(SCHEME % functions) + (textwrap.dedent(BALLOT) if ballot else "")
    scheme, _ = compile_scheme(load_scheme_text(text, "bench.yaml"))
    return scheme


def main(n: int) -> None:
    k = 10
    rng = np.random.default_rng(0)
    ids = [f"m{i}" for i in range(n)]
    groups = [f"b{i // 30}" for i in range(n)]
    columns = {"rate": rng.integers(50, 101, n).astype(float), "vote": rng.integers(50, 101, (n, k)).astype(float)}
    for name, functions in (("per-unit only", PLAIN), ("mean_over / rank / rank_pct", ACROSS)):
        scheme = _scheme(functions)
        data = dataset_from_columns(scheme, ids, columns, names=ids, groups=groups)
        evaluate(scheme, data)  # warm
        start = time.perf_counter()
        evaluate(scheme, data)
        print(f"{n:,} members, {name}: scoring {time.perf_counter() - start:.3f} s")
    scheme = _scheme(ACROSS, ballot=True)
    data = dataset_from_columns(scheme, ids, columns, names=ids, groups=groups)
    rows = (np.arange(n * k).reshape(n, k) + 2).astype(np.int32)
    labels = (np.tile(np.arange(k), n).astype(np.int64), tuple(f"R{j:02d}" for j in range(k)))
    data = dataclasses.replace(data, origin_rows={"vote": rows}, origin_tables={"vote": np.zeros((n, k), np.int32)},
                               sources=(("votes.csv", None),), rater_labels={0: (rows.ravel(), *labels)},
                               presence={"rater": np.ones((n, k), bool)})
    start = time.perf_counter()
    _, invalid = ballots.screen(scheme, data)
    print(f"{n:,} members, ballot screen of {n * k:,} cells: {time.perf_counter() - start:.3f} s ({len(invalid):,} invalid ballots)")


if __name__ == "__main__":
    main(int(sys.argv[1].replace("k", "000")) if len(sys.argv) > 1 else 100_000)
