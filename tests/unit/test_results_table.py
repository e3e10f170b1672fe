"""Outcomes → the ranked table (engine.results_table): CSV and Markdown of a three-unit
scheme worked out by hand, the listing order, score texts, formula guards."""

from __future__ import annotations

import numpy as np
import polars as pl

from engine.context import Context
from engine.grade import Outcomes
from engine.results_table import (format_score_column, guard_formula, guard_formula_column, order_index, to_csv,
                                  to_markdown, unit_order)
from tests.helpers import outcomes_of

BODY = """
inputs:
  a: {title: 甲项, type: number, range: [0, 100]}
  b: {title: 乙项, type: number, range: [0, 100]}
  accident: {title: 重大事故, type: boolean}
items:
  - {id: work, title: 工作, max: 50, formula: a / 2}
  - {id: study, title: 学习, max: 50, formula: b / 2}
vetoes:
  - {id: bad, title: 重大事故, when: accident, effect: force_grade, grade: 1}
grades:
  - id: stars
    title: 星级
    primary: true
    bands:
      - {ge: 80, value: 3, label: 三星}
      - {ge: 60, lt: 80, value: 2, label: 二星}
      - {lt: 60, value: 1, label: 一星}
"""

# u0: 50 / 2 + 90 / 2 = 25 + 45 = 70 → 二星, forced to 一星 by the accident
# u1: 85 / 2 + 75 / 2 = 42.5 + 37.5 = 80 → 三星
# u2: 100 / 2 + 60 / 2 = 50 + 30 = 80 → 三星
# Competition ranking: u1 and u2 tie at 80 → both 1st, u0 3rd. Listing: by rank, then id: u1, u2, u0.
# Groups: 东区 = u0, u2 → u2 1st (80), u0 2nd (70); 西区 = u1 → 1st.
COLUMNS = {"a": [50.0, 85.0, 100.0], "b": [90.0, 75.0, 60.0], "accident": [True, False, False]}
GROUPS = ["东区", "西区", "东区"]


def _outcomes() -> Outcomes:
    return outcomes_of(BODY, COLUMNS, groups=GROUPS)


def test_units_are_listed_by_rank_then_id() -> None:
    outcomes = _outcomes()
    assert outcomes.rank.tolist() == [3, 1, 1]
    assert unit_order(outcomes) == [1, 2, 0]
    assert order_index(outcomes).tolist() == [1, 2, 0]


def test_the_csv_of_three_units() -> None:
    # two decimals (precision 2); empty cells (no awards, no veto) are nothing; rows end in \r\n
    assert to_csv(_outcomes()) == (
        "排名,编号,名称,分组,组内排名,总分,星级,工作[work],学习[study],评选,一票否决\r\n"
        "1,u1,u1,西区,1,80.00,三星,42.50,37.50,,\r\n"
        "1,u2,u2,东区,1,80.00,三星,50.00,30.00,,\r\n"
        "3,u0,u0,东区,2,70.00,一星,25.00,45.00,,重大事故\r\n"
    )
    # English: the fixed headers are English, the scheme's own titles stay as written
    assert to_csv(_outcomes(), Context(lang="en")).split("\r\n")[0] == \
        "rank,id,name,group,group rank,total,星级,工作[work],学习[study],awards,vetoes"


def test_the_markdown_table_of_three_units() -> None:
    assert to_markdown(_outcomes()) == (
        "# 测试（t 1）\n\n"
        "共 3 个单位。\n\n"
        "| 排名 | 编号 | 名称 | 分组 | 组内排名 | 总分 | 星级 | 一票否决 |\n"
        "|---:|---|---|---|---:|---:|---|---|\n"
        "| 1 | u1 | u1 | 西区 | 1 | 80.00 | 三星 |  |\n"
        "| 1 | u2 | u2 | 东区 | 1 | 80.00 | 三星 |  |\n"
        "| 3 | u0 | u0 | 东区 | 2 | 70.00 | 一星 | 重大事故 |\n"
        "\n"
    )
    english = to_markdown(_outcomes(), Context(lang="en"))
    assert "3 units." in english and "| Rank | ID | Name | Group | In group | Total | 星级 | Vetoes |" in english


def test_without_groups_the_group_columns_are_left_out_of_markdown() -> None:
    text = to_markdown(outcomes_of(BODY, COLUMNS))
    assert "| 排名 | 编号 | 名称 | 总分 | 星级 | 一票否决 |" in text
    assert "| 1 | u1 | u1 | 80.00 | 三星 |  |" in text


def test_format_score_column_rounds_the_decimal_half_up() -> None:
    values = [0.125, 2.675, 8.225, -0.0, float("nan"), -1.005, 1e13]
    # from each double's shortest decimal: 0.125 → 0.13; 2.675 → 2.68 (round() would give 2.67);
    # 8.225 → 8.23; -0.0 keeps its sign; NaN → the "missing" text; -1.005 → -1.01 (half away from zero);
    # 1e13 × 100 is past the bulk limit and goes through format_score: 10000000000000.00
    assert format_score_column(values, 2).to_list() == ["0.13", "2.68", "8.23", "-0.00", "—", "-1.01", "10000000000000.00"]
    assert format_score_column([2.5, -2.5, 0.4], 0).to_list() == ["3", "-3", "0"]
    assert format_score_column(np.array([np.nan]), 1, "").to_list() == [""]


def test_formula_cells_are_made_text() -> None:
    assert [guard_formula(s) for s in ("=1+1", "+1", "-1", "@SUM", "\tx", "\rx", "甲", "1-1", "")] == \
        ["'=1+1", "'+1", "'-1", "'@SUM", "'\tx", "'\rx", "甲", "1-1", ""]
    column = pl.Series("c", ["=HYPERLINK()", "东区", None, "-x"], dtype=pl.Utf8)
    assert guard_formula_column(column).to_list() == ["'=HYPERLINK()", "东区", None, "'-x"]
    plain = pl.Series("c", ["东区", "西区"], dtype=pl.Utf8)
    assert guard_formula_column(plain) is plain  # nothing to guard: the same column
