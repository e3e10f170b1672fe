"""The data-entry template: validation as deep as the data, a note on every column, read back by kaohe run."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from engine.context import Context
from engine.cli import main
from engine.compiler import compile_scheme
from engine.data import read_dataset
from engine.evaluate import evaluate
from engine.grade import decide
from engine.inherit import load_scheme
from engine.template import INSTRUCTIONS, LAST_ROW, write_template
from tests.helpers import JIFENZHI


@pytest.fixture(scope="module")
def jifenzhi_40(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The 积分制 template for a branch of 40 members, written through the command line."""
    path = tmp_path_factory.mktemp("template") / "填报.xlsx"
    assert main(["template", str(JIFENZHI), "--out", str(path), "--units", "40"]) == 0
    return path


def test_monthly_rows_for_40_members_are_validated_and_text_formatted(jifenzhi_40: Path) -> None:
    book = openpyxl.load_workbook(jifenzhi_40)
    monthly = book["月份"]
    header = [c.value for c in monthly[1]]
    ranges = {str(v.sqref): v for v in monthly.data_validations.dataValidation}
    for column, title in enumerate(header[2:], start=3):
        letter = monthly.cell(row=1, column=column).column_letter
        # Every score column is validated (0–10) to the last row of the sheet, far past row 481.
        rule = ranges[f"{letter}2:{letter}{LAST_ROW}"]
        assert (rule.type, rule.formula1, rule.formula2) == ("decimal", "0", "10"), title
        assert rule.showErrorMessage and "0 – 10" in rule.error
    months = ranges[f"B2:B{LAST_ROW}"]
    assert months.type == "list" and months.formula1 == '"1,2,3,4,5,6,7,8,9,10,11,12"'
    # 40 members × 12 months: the id column is text on each of the 480 rows (and on the column).
    assert monthly["A2"].number_format == monthly["A481"].number_format == "@"
    assert monthly.column_dimensions["A"].number_format == "@"


def test_every_header_cell_explains_its_column(jifenzhi_40: Path) -> None:
    book = openpyxl.load_workbook(jifenzhi_40)
    scheme, _ = compile_scheme(load_scheme(JIFENZHI))
    by_title = {spec.title: spec for spec in scheme.inputs.values()}
    for ws in book.worksheets:
        if ws.title == INSTRUCTIONS:
            continue
        for cell in ws[1]:
            assert cell.comment is not None and cell.comment.text, (ws.title, cell.value)
            spec = by_title.get(str(cell.value))
            if spec is None:
                continue
            note = cell.comment.text
            assert spec.id in note and "类型" in note and "单位" in note and "缺失" in note, note
            if spec.range:
                assert f"{spec.range[0]:g} – {spec.range[1]:g}" in note
            if spec.entered_by:
                assert spec.entered_by in note
            if spec.per:
                assert f"每个{scheme.dimensions[spec.per].title}一行" in note
    assert "1、2、3" in book["月份"]["B1"].comment.text  # the dimension's values
    assert "第一党支部" in book["名单"]["C1"].comment.text  # the group column warns about spelling


def test_the_instructions_say_what_a_row_is_and_how_many_rows(jifenzhi_40: Path) -> None:
    rows = list(openpyxl.load_workbook(jifenzhi_40)[INSTRUCTIONS].iter_rows(values_only=True))
    plan = {r[0]: (r[1], r[2]) for r in rows if r[0] in ("名单", "月份", "测评人")}
    assert plan["名单"] == ("一个单位", 40)
    assert plan["月份"] == ("一个单位的一个月份", 480)
    assert plan["测评人"][0] == "一个单位的一个测评人"


def test_english_notes(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    scheme, _ = compile_scheme(load_scheme(JIFENZHI))
    write_template(scheme, path, units=3, context=Context(lang="en"))
    book = openpyxl.load_workbook(path)
    assert book["月份"]["A1"].value == "编号"  # headers stay what the reader recognises
    assert "range: 0 – 10" in book["月份"]["C1"].comment.text and "missing: required" in book["月份"]["C1"].comment.text


def test_a_filled_40_member_template_is_read_back(jifenzhi_40: Path, tmp_path: Path) -> None:
    """Two members filled in completely (12 months, 10 raters) on the 40-member template."""
    book = openpyxl.load_workbook(jifenzhi_40)
    members = [("D001", "张三", "第一党支部"), ("D002", "李四", "第一党支部")]
    for row, member in enumerate(members, start=2):
        for column, value in enumerate(member, start=1):
            book["名单"].cell(row=row, column=column).value = value
    row = 2
    for k, (unit, _, _) in enumerate(members):
        for month in range(1, 13):
            book["月份"].cell(row=row, column=1).value = unit
            book["月份"].cell(row=row, column=2).value = month
            for column in range(3, 13):
                book["月份"].cell(row=row, column=column).value = 9 - k
            row += 1
    row = 2
    for k, (unit, _, _) in enumerate(members):
        for rater in range(1, 11):
            book["测评人"].cell(row=row, column=1).value = unit
            book["测评人"].cell(row=row, column=2).value = f"票{rater:02d}"
            for column in range(3, 13):
                book["测评人"].cell(row=row, column=column).value = 8
            row += 1
    filled = tmp_path / "filled.xlsx"
    book.save(filled)
    scheme, _ = compile_scheme(load_scheme(JIFENZHI))
    outcomes = decide(evaluate(scheme, read_dataset(scheme, [filled])))
    totals = dict(zip(outcomes.results.data.units.ids.tolist(), outcomes.results.total.tolist()))
    # Each of 10 items: 9 × 0.8 + 8 × 0.2 = 8.8 (D001) and 8 × 0.8 + 8 × 0.2 = 8.0 (D002).
    assert totals == {"D001": 88.0, "D002": 80.0}
