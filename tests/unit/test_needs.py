"""Conditional inputs (engine.needs): an input is required only of the units an
item reading it applies to; other units may leave it blank without a message,
a unit that needs it and lacks it gets the usual located error.

Data goes through the real reader (CSV files), so locations are those of a run.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from engine.context import Context
from engine.data import read_dataset
from engine.errors import DataError
from engine.needs import required_types
from engine.pipeline import score
from tests.helpers import scheme_from

SCHEME = scheme_from("""
kaohe: 1
id: t
version: 1
title: 测试
units:
  types:
    乡镇: {title: 乡镇}
    窗口单位: {title: 窗口服务单位}
dimensions:
  month: {title: 月份, values: [1, 2]}
  rater: {title: 测评人}
inputs:
  economy: {title: 经济发展得分, type: number, range: [0, 100]}
  satisfaction: {title: 群众满意率, type: percentage}
  rating: {title: 服务评价, type: category, values: [好, 一般]}
  monthly: {title: 窗口月评分, type: number, range: [0, 10], per: month}
  vote: {title: 窗口测评分, type: number, range: [0, 10], per: rater}
  late: {title: 迟到次数, type: count}
  flag: {title: 重大事故, type: boolean}
derived:
  - {id: sat_points, title: 满意率折分, value: satisfaction / 10}
items:
  - {id: eco, title: 经济发展, max: 10, applies_to: [乡镇], formula: economy / 10}
  - id: window
    title: 窗口服务
    max: 40
    applies_to: [窗口单位]
    items:
      - {id: sat, title: 满意度, max: 10, formula: sat_points}
      - {id: svc, title: 服务评价, max: 10, scale: {value: rating, points: {好: 10, 一般: 5}}}
      - {id: mon, title: 月评分, max: 10, formula: mean(monthly)}
      - {id: vot, title: 测评, max: 10, formula: mean(vote)}
  - {id: disc, title: 纪律, max: 5, deductions: {clauses: [{title: 迟到, per: 1, count: late}]}}
vetoes:
  - {id: accident, title: 重大事故, when: flag}
""")


def test_which_types_need_each_input() -> None:
    needs = required_types(SCHEME)
    # read by an item of 乡镇 only; through a derived value by the 窗口单位 section; inside that section
    assert needs["economy"] == frozenset({"乡镇"})
    assert needs["satisfaction"] == needs["rating"] == needs["monthly"] == needs["vote"] == frozenset({"窗口单位"})
    # an item for every type, and a veto: every unit
    assert needs["late"] is None and needs["flag"] is None


def _write(folder: Path, units: str, months: str, votes: str) -> list[Path]:
    files = {"名单.csv": units, "月评分.csv": months, "测评.csv": votes}
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return [folder / name for name in files]


UNITS = ("编号,名称,类型,经济发展得分,群众满意率,服务评价,迟到次数,重大事故\n"
         "T1,东镇,乡镇,80,,,1,否\n"
         "W1,政务中心,窗口单位,,95,好,0,否\n")
MONTHS = "编号,月份,窗口月评分\nW1,1,9\nW1,2,8\nT1,1,\n"
VOTES = "编号,测评人,窗口测评分\nW1,R1,10\nW1,R2,9\nT1,R1,\n"


def test_other_types_may_leave_it_blank(tmp_path: Path) -> None:
    # T1 (乡镇) leaves the window inputs blank (even rows with blank cells), W1 the economy score: no message
    data = read_dataset(SCHEME, _write(tmp_path, UNITS, MONTHS, VOTES))
    assert data.warnings == ()
    outcomes = score(SCHEME, data, Context())
    assert outcomes.results.warnings == ()  # no "没有评价" for T1, to whom 服务评价 does not apply
    scores = outcomes.results.scores
    # T1: 80 ÷ 10 = 8, 纪律 5 − 1 = 4 → 12; W1: 9.5 + 10 + (9 + 8) ÷ 2 + (10 + 9) ÷ 2 = 37.5, 纪律 5 → 42.5
    assert scores["eco"][0] == 8 and np.isnan(scores["eco"][1])
    assert np.isnan(scores["window"][0]) and scores["window"][1] == 37.5
    assert outcomes.results.total.tolist() == [12, 42.5]


def _errors(tmp_path: Path, units: str, months: str = MONTHS, votes: str = VOTES) -> list[tuple[str, str, int | None, str]]:
    with pytest.raises(DataError) as caught:
        read_dataset(SCHEME, _write(tmp_path, units, months, votes))
    return [(p.code, Path(p.location.file).name, p.location.line, str(dict(p.args).get("input", ""))) for p in caught.value.problems]


def test_a_unit_that_needs_it_and_lacks_it_gets_the_located_error(tmp_path: Path) -> None:
    units = UNITS.replace("W1,政务中心,窗口单位,,95,好", "W1,政务中心,窗口单位,,,好").replace("T1,东镇,乡镇,80", "T1,东镇,乡镇,")
    months = MONTHS.replace("W1,2,8", "W1,2,")
    votes = VOTES.replace("W1,R2,9", "W1,R2,")
    found = _errors(tmp_path, units, months, votes)
    # row 2 of 名单.csv is T1 (needs economy), row 3 is W1 (needs satisfaction); 月评分 row 3 is W1 month 2; 测评 row 3 is W1/R2
    assert ("data_missing_value", "名单.csv", 2, "economy（经济发展得分）[经济发展得分]") in found
    assert ("data_missing_value", "名单.csv", 3, "satisfaction（群众满意率）[群众满意率]") in found
    assert ("data_missing_value", "月评分.csv", 3, "monthly（窗口月评分）[窗口月评分]") in found
    assert ("data_missing_value", "测评.csv", 3, "vote（窗口测评分）[窗口测评分]") in found
    assert len(found) == 4


def test_what_every_unit_needs_is_still_asked_of_every_unit(tmp_path: Path) -> None:
    # 迟到次数 (an item for all) and 重大事故 (a veto) left blank by the 窗口单位
    units = UNITS.replace("W1,政务中心,窗口单位,,95,好,0,否", "W1,政务中心,窗口单位,,95,好,,")
    found = _errors(tmp_path, units)
    assert found == [("data_missing_value", "名单.csv", 3, "late（迟到次数）[迟到次数]、flag（重大事故）[重大事故]")]


def test_a_column_nobody_needs_may_be_left_out(tmp_path: Path) -> None:
    # only 乡镇 units: the window inputs' columns and tables may be absent altogether
    units = "编号,名称,类型,经济发展得分,迟到次数,重大事故\nT1,东镇,乡镇,80,0,否\n"
    (tmp_path / "名单.csv").write_text(units, encoding="utf-8")
    data = read_dataset(SCHEME, [tmp_path / "名单.csv"])
    assert score(SCHEME, data, Context()).results.total.tolist() == [13]  # 8 + 5
    # but a 窗口单位 in the list needs them: the missing column is named
    (tmp_path / "名单.csv").write_text(units + "W1,政务中心,窗口单位,,0,否\n", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        read_dataset(SCHEME, [tmp_path / "名单.csv"])
    assert {p.code for p in caught.value.problems} == {"data_missing_column"}


def test_the_template_says_which_types_fill_an_input_in(tmp_path: Path) -> None:
    import openpyxl

    from engine.template import write_template

    path = tmp_path / "填报.xlsx"
    write_template(SCHEME, path, units=2)
    notes = {str(cell.value): cell.comment.text for ws in openpyxl.load_workbook(path).worksheets for cell in ws[1] if cell.comment}
    # economy is read only by 乡镇's item; satisfaction only through sat_points by the 窗口单位 section
    assert "只需类型为乡镇的单位填写，其他单位可以空着" in notes["经济发展得分"]
    assert "只需类型为窗口单位的单位填写" in notes["群众满意率"]
    # late (an item for every type) and flag (a veto) are asked of everyone: no such line
    assert "只需" not in notes["迟到次数"] and "只需" not in notes["重大事故"]
    write_template(SCHEME, tmp_path / "en.xlsx", units=2, context=Context(lang="en"))
    english = {str(c.value): c.comment.text for ws in openpyxl.load_workbook(tmp_path / "en.xlsx").worksheets for c in ws[1] if c.comment}
    assert "needed only by units of type 乡镇; others may leave it blank" in english["经济发展得分"]
