"""Columnar writing: the bulk score formatter writes what the scalar one writes, cell for cell."""

from __future__ import annotations

import numpy as np
import pytest

from engine.numbers import format_score, round_half_up
from engine.render import format_score_column

TRICKY = [
    8.225, 1.005, 2.675, 2.345, -2.345, 0.125, 0.5, 1.5, 2.5, -0.5, -1.5,  # halves, both signs
    0.0, -0.0, -0.001, -0.004, 0.004, 1e-7, -1e-7,  # zero, negative zero, tiny
    0.1 + 0.2, 2 - 3 * 0.2, 1 / 3, 2 / 3, 99.995, 99.994999, 100.0, 85.0,  # float artefacts
    123456789.125, 987654.3215, 4503599627370495.5, 1e12, 1e15, 1e20, -1e20, 9.999999999e11,  # large
    float("nan"),
]


@pytest.mark.parametrize("precision", [0, 1, 2, 3, 4, 6])
def test_bulk_formatting_equals_format_score_on_tricky_values(precision: int) -> None:
    values = np.array(TRICKY)
    expected = ["—" if np.isnan(v) else format_score(v, precision) for v in TRICKY]
    assert format_score_column(values, precision).to_list() == expected


def test_half_up_on_the_shortest_decimal_and_the_sign_of_zero() -> None:
    got = format_score_column(np.array([8.225, -8.225, -0.0, -0.001, 2.5, float("nan")]), 2, missing="").to_list()
    assert got == ["8.23", "-8.23", "-0.00", "-0.00", "2.50", ""]
    assert format_score_column(np.array([0.5, -0.5, 1e20]), 0).to_list() == ["1", "-1", "100000000000000000000"]


@pytest.mark.parametrize("precision", [0, 2, 3])
def test_bulk_formatting_equals_format_score_on_random_columns(precision: int) -> None:
    rng = np.random.default_rng(precision)
    raw = np.concatenate([
        rng.uniform(-200, 200, 4000),  # unrounded
        np.round(rng.uniform(-200, 200, 4000), precision + 1),  # many exact halves
        round_half_up(rng.uniform(0, 100, 4000), precision),  # what the engine hands over
        rng.uniform(-1e12, 1e12, 200),
    ])
    raw[::53] = np.nan
    expected = ["" if np.isnan(v) else format_score(v, precision) for v in raw.tolist()]
    assert format_score_column(raw, precision, missing="").to_list() == expected


def test_values_format_score_cannot_write_still_fail() -> None:
    from decimal import InvalidOperation

    with pytest.raises(InvalidOperation):
        format_score_column(np.array([1.0, float("inf")]), 2)


def test_an_empty_column() -> None:
    assert format_score_column(np.array([], dtype=np.float64), 2).to_list() == []
