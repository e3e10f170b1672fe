"""Plain words on score sheets and notices: the people a document goes to never see code."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from engine.errors import Location
from engine.model import Band
from engine.reports import explain_item
from engine.words import band_words, expression_words
from tests.helpers import scheme_from, shipped_outcomes, shipped_schemes

HERE = Location("t.yaml")


def band(**bounds: float) -> Band:
    return Band(bounds.get("ge"), bounds.get("gt"), bounds.get("le"), bounds.get("lt"), 1.0, None, HERE)


def test_bands_in_words() -> None:
    assert band_words(band(ge=90), percent=True).zh == "90% 及以上"
    assert band_words(band(ge=80, lt=90), percent=True).zh == "80% 至 90%（不含 90%）"
    assert band_words(band(le=5)).zh == "5 及以下"
    assert band_words(band(lt=60)).zh == "低于 60"
    assert band_words(band(gt=0, le=2.5)).zh == "0 至 2.5（不含 0）"
    assert band_words(band(ge=80, lt=90)).en == "80 to 90 (excluding 90)"


SCHEME = """
kaohe: 1
id: t
version: 1
title: 测试
inputs:
  badge_rate: {title: 亮牌率, type: percentage, range: [0, 100]}
  posts: {title: 设立先锋岗, type: boolean}
  spot: {title: 抽查满意度, type: number, range: [0, 100], per: month}
  rating: {title: 评价, type: category, values: [好, 差]}
dimensions:
  month: {title: 月份, values: [1, 2]}
items:
  - {id: a, title: 甲, max: 1, formula: "1"}
"""


@pytest.mark.parametrize("source, zh", [
    ("badge_rate >= 100 and posts", "亮牌率不低于 100%，且设立先锋岗"),
    ("not posts or badge_rate < 80", "设立先锋岗：否，或亮牌率低于 80%"),
    ("sum(spot) / count(spot)", "抽查满意度平均值"),
    ("mean(spot) > 85", "抽查满意度平均值高于 85"),
    ("rating == '好'", "评价为 “好”"),
    ("where(posts, 1, 0) * 3", None),   # no plain reading: the sheet says less, never code
])
def test_expressions_in_words(source: str, zh: str | None) -> None:
    words = expression_words(source, scheme_from(SCHEME))
    assert (words.zh if words else None) == zh


#: What code looks like: a comparison, a function call, an interval, Python's booleans.
CODE = re.compile(r">=|<=|==|!=|\bwhere\(|\bsum\(|\bmean\(|\bcount\(|\bTrue\b|\bFalse\b|\[\d|\d\]|\d\)|\+∞|-∞")


@pytest.mark.parametrize("path", shipped_schemes(), ids=lambda p: p.stem)
def test_no_code_in_what_a_unit_is_told(path: Path) -> None:
    # Every line a score sheet or notice prints for every item of every unit of the sample data.
    outcomes = shipped_outcomes(path)
    scheme = outcomes.results.scheme
    ids = set(scheme.inputs) | set(scheme.params) | {d.id for d in scheme.derived}
    offending = []
    for item in scheme.items():
        for index in range(len(outcomes.results.data.units)):
            for line in explain_item(outcomes, item, index):
                words = set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", line))
                if CODE.search(line) or words & ids:
                    offending.append(f"{item.id}: {line}")
    assert offending == [], "\n".join(sorted(set(offending))[:20])
