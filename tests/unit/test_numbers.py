"""Exact numbers: half-up rounding without float artefacts, tolerant thresholds."""

from __future__ import annotations

import numpy as np

from engine.numbers import format_number, format_score, ge, lt, round_half_up, round_scalar


class TestRoundHalfUp:
    def test_artefacts_disappear(self) -> None:
        # 2 − 3 × 0.2 is 1.4000000000000001 in binary floating point.
        assert round_scalar(2 - 3 * 0.2, 2) == 1.4
        assert format_score(round_scalar(2 - 3 * 0.2, 2), 2) == "1.40"
        assert round_scalar(0.1 + 0.2, 2) == 0.3

    def test_half_goes_up_not_to_even(self) -> None:
        # 8.225 is stored as 8.2249999…; Python's round() gives 8.22, 四舍五入 gives 8.23.
        assert round(8.225, 2) == 8.22
        assert round_scalar(8.225, 2) == 8.23
        assert round_scalar(0.125, 2) == 0.13
        assert round_scalar(2.5, 0) == 3.0

    def test_negative_half_goes_away_from_zero(self) -> None:
        assert round_scalar(-2.345, 2) == -2.35
        assert format_score(round_scalar(-0.001, 2), 2) == "0.00"

    def test_nan_passes_through(self) -> None:
        assert np.isnan(round_half_up(np.array([np.nan]), 2)[0])

    def test_sum_that_is_mathematically_85_meets_85(self) -> None:
        total = sum([0.1] * 850)  # added one by one: 84.99999999999945, not 85
        assert total < 85
        assert round_scalar(total, 2) == 85.0
        assert ge(np.array([total]), 85)[0]
        assert not lt(np.array([total]), 85)[0]


def test_format_number_shows_no_artefacts() -> None:
    assert format_number(0.1 + 0.2) == "0.3"
    assert format_number(2 / 3) == "0.666667"
    assert format_number(-0.0) == "0"


def test_distinct_is_numpy_unique() -> None:
    # engine.numbers.distinct (a table of the range when the values are whole hundredths, say)
    # against np.unique(return_inverse=True) on scores, raw figures, NaN, ±0, ±∞ and huge values.
    from engine.numbers import distinct

    rng = np.random.default_rng(3)
    for trial in range(600):
        n = int(rng.integers(0, 300))
        kind = trial % 6
        if kind == 0:
            x = round_half_up(rng.uniform(-20, 120, n), 2)
        elif kind == 1:
            x = rng.uniform(0, 10, n)
        elif kind == 2:
            x = np.round(rng.uniform(0, 1e6, n))
        elif kind == 3:
            x = round_half_up(rng.uniform(0, 10, n), int(rng.integers(0, 7)))
            x[rng.random(n) < 0.2] = np.nan
        elif kind == 4:
            x = rng.choice(np.array([0.0, -0.0, 1.5, np.nan, 1e300, -3.25, np.inf]), n)
        else:
            x = np.full(n, np.nan)
        unique, inverse = np.unique(x, return_inverse=True)
        values, index = distinct(x)
        assert np.array_equal(unique, values, equal_nan=True) and np.signbit(unique).tolist() == np.signbit(values).tolist()
        assert inverse.reshape(-1).tolist() == index.tolist()
    # 9.41, 8.5, NaN, 9.41, 10: sorted 8.5, 9.41, 10, NaN; indexes 1, 0, 3, 1, 2.
    values, index = distinct(np.array([9.41, 8.5, np.nan, 9.41, 10.0]))
    assert values.tolist()[:3] == [8.5, 9.41, 10.0] and index.tolist() == [1, 0, 3, 1, 2]
