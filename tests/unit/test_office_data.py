"""Workbooks and CSV files laid out the way offices save them, and inputs that must never be silently wrong.

Every file here is built the way a clerk's Excel/WPS would have it: title
rows, merged section rows, 合计 lines in the 序号 column, one sheet per
month. Each test asserts the values read, or the message with its file,
sheet, row and column.
"""

from __future__ import annotations

import os
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from engine.data import read_dataset
from engine.errors import DataError
from tests.helpers import scheme_from
from tests.unit.test_data import MONTHS, SCHEME, VOTES

# The scheme and tables of test_data.py; the unit list here has its rates as plain numbers (95, not 95%),
# so that tests can write them as fractions.
UNITS = "编号,姓名,党支部,满意率\nA,张三,一支部,95\nB,李四,二支部,80\n"


def files(folder: Path, **texts: str) -> Path:
    defaults = {"名单": UNITS, "月评分": MONTHS, "测评": VOTES}
    defaults.update(texts)
    for name, text in defaults.items():
        if text:
            (folder / f"{name}.csv").write_text(text, encoding="utf-8")
    return folder


def problems(paths: list[Path], scheme=SCHEME) -> list[tuple[str, str, str | None, int | None, object]]:
    with pytest.raises(DataError) as caught:
        read_dataset(scheme, paths)
    return [(p.code, Path(p.location.file).name, p.location.sheet, p.location.line, p.location.column)
            for p in caught.value.problems if p.severity == "error"]


def book(path: Path, sheets: dict[str, list[list[object]]]) -> openpyxl.Workbook:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    workbook.save(path)
    return workbook


# ---------------------------------------------------------------------------
# Layouts


def test_two_row_header_with_a_merged_section_row_and_id_merged_over_both_rows(tmp_path: Path) -> None:
    path = tmp_path / "月评分.xlsx"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "月评分"
    sheet.append(["2024年度党员月评分表"])
    sheet.append(["编号", "月份", "日常表现", None])
    sheet.append([None, None, "月评分", "备注"])
    sheet.append(["A", 1, 9, None])
    sheet.append(["A", 2, 8, None])
    sheet.append(["B", 1, 7, None])
    sheet.append(["B", 2, 10, "补评"])
    sheet.merge_cells("A1:D1")
    sheet.merge_cells("A2:A3")
    sheet.merge_cells("B2:B3")
    sheet.merge_cells("C2:D2")
    workbook.save(path)
    files(tmp_path, 月评分="")
    data = read_dataset(SCHEME, [tmp_path])
    assert data.columns["score"].tolist() == [[9.0, 8.0], [7.0, 10.0]]
    # Row 1 title, rows 2–3 the header: B's month 2 is on spreadsheet row 7.
    assert data.origins_of("score", 1)[1].row == 7


def test_a_total_row_in_the_serial_number_column_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "名单.xlsx"
    book(path, {"名单": [["序号", "编号", "姓名", "党支部", "满意率"], [1, "A", "张三", "一支部", 95], [2, "B", "李四", "二支部", 80],
                          ["合计", None, None, None, 175], ["填表人：王五", None, "审核人：赵六", None, "日期：2024-12-31"]]})
    files(tmp_path, 名单="")
    data = read_dataset(SCHEME, [tmp_path])
    assert data.units.ids.tolist() == ["A", "B"]
    skipped = sorted(p.location.line for p in data.warnings if p.code == "data_summary_row")
    assert skipped == [4, 5]


def test_units_matched_by_name_when_a_sheet_has_no_id_column(tmp_path: Path) -> None:
    rates = "序号,姓名,满意率\n1,李四,80\n2,张三,95\n"
    units = "编号,姓名,党支部\nA,张三,一支部\nB,李四,二支部\n"
    files(tmp_path, 名单=units)
    (tmp_path / "满意率.csv").write_text(rates, encoding="utf-8")
    data = read_dataset(SCHEME, [tmp_path])
    assert data.columns["rate"].tolist() == [95.0, 80.0]
    (tmp_path / "满意率.csv").write_text(rates.replace("2,张三", "2,张山"), encoding="utf-8")
    found = problems([tmp_path])
    assert ("data_unknown_name", "满意率.csv", None, 3, "姓名") in found
    with pytest.raises(DataError) as caught:
        read_dataset(SCHEME, [tmp_path])
    assert "张三" in caught.value.render()  # did you mean


def test_a_unit_list_of_names_without_ids(tmp_path: Path) -> None:
    units = "序号,单位名称,党支部,满意率\n1,张三,一支部,95\n2,李四,二支部,80\n"
    months = "序号,单位名称,月份,月评分\n1,张三,1,9\n2,张三,2,8\n3,李四,1,7\n4,李四,2,10\n"
    votes = "单位名称,测评人,测评分\n张三,1,10\n李四,1,8\n"
    data = read_dataset(SCHEME, [files(tmp_path, 名单=units, 月评分=months, 测评=votes)])
    assert data.units.ids.tolist() == ["张三", "李四"]
    assert data.columns["score"].tolist() == [[9.0, 8.0], [7.0, 10.0]]


def test_one_sheet_per_month_takes_the_month_from_the_sheet_name(tmp_path: Path) -> None:
    book(tmp_path / "月评分.xlsm", {"1月": [["编号", "月评分"], ["A", 9], ["B", 7]],
                                   "二月": [["编号", "月评分"], ["A", 8], ["B", 10]]})
    data = read_dataset(SCHEME, [files(tmp_path, 月评分="")])
    assert data.columns["score"].tolist() == [[9.0, 8.0], [7.0, 10.0]]


def test_every_file_in_a_data_folder_is_read_or_listed_as_skipped(tmp_path: Path) -> None:
    files(tmp_path)
    (tmp_path / "通知.docx").write_bytes(b"PK")
    data = read_dataset(SCHEME, [tmp_path])
    assert [(p.code, Path(p.location.file).name) for p in data.warnings if p.code == "data_skipped_file"] == [
        ("data_skipped_file", "通知.docx")]


def test_a_path_given_twice_is_read_once_and_paths_accumulate(tmp_path: Path) -> None:
    folder = files(tmp_path)
    paths = [folder / "名单.csv", folder / "月评分.csv", folder / "测评.csv"]
    once = read_dataset(SCHEME, paths)
    twice = read_dataset(SCHEME, paths + [folder / "月评分.csv"])
    assert twice.columns["score"].tolist() == once.columns["score"].tolist()


def test_a_stale_dimension_tag_loses_no_rows(tmp_path: Path) -> None:
    plain = tmp_path / "plain.xlsx"
    book(plain, {"名单": [["编号", "姓名", "党支部", "满意率"], ["A", "张三", "一支部", 95], ["B", "李四", "二支部", 80]]})
    stale = tmp_path / "名单.xlsx"
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(stale, "w") as target:
        for name in source.namelist():
            content = source.read(name)
            if name.startswith("xl/worksheets/"):
                content = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:D2"', content)
            target.writestr(name, content)
    plain.unlink()
    data = read_dataset(SCHEME, [files(tmp_path, 名单="")])
    assert data.units.ids.tolist() == ["A", "B"]


# ---------------------------------------------------------------------------
# Never silently wrong

FLAGS = scheme_from("""
kaohe: 1
id: f
version: 1
title: 测试
units: {types: {乡镇: {title: 乡镇党委}, 机关: {title: 机关}}}
inputs:
  done: {title: 是否完成, type: boolean}
  records: {title: 记录数, type: count, missing: zero}
items:
  - {id: a, title: 甲, max: 10, formula: "where(done, 10, 0)"}
  - {id: b, title: 乙, max: 10, formula: "records", applies_to: [乡镇]}
""")


def test_a_blank_boolean_cell_is_a_missing_value_named_by_row_and_column(tmp_path: Path) -> None:
    (tmp_path / "名单.csv").write_text("编号,名称,类型,是否完成,记录数\nA,甲,乡镇,是,1\nB,乙,机关, ,2\n", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        read_dataset(FLAGS, [tmp_path])
    (problem,) = caught.value.problems
    assert (problem.code, problem.location.line) == ("data_missing_value", 3)
    assert "done" in problem.render() and "名单.csv:3" in problem.render()


def test_a_blank_unit_type_is_an_error_where_types_are_declared(tmp_path: Path) -> None:
    (tmp_path / "名单.csv").write_text("编号,名称,类型,是否完成,记录数\nA,甲,乡镇,是,1\nB,乙,,否,2\n", encoding="utf-8")
    assert problems([tmp_path], FLAGS) == [("data_blank_type", "名单.csv", None, 3, "类型")]


def test_a_whole_absent_table_is_an_error_even_for_missing_zero(tmp_path: Path) -> None:
    (tmp_path / "名单.csv").write_text("编号,名称,类型,是否完成\nA,甲,乡镇,是\n", encoding="utf-8")
    assert [p[0] for p in problems([tmp_path], FLAGS)] == ["data_missing_column"]
    optional = scheme_from("""
kaohe: 1
id: f
version: 1
title: 测试
inputs:
  done: {title: 是否完成, type: boolean}
  records: {title: 记录数, type: count, missing: zero, optional: true}
items:
  - {id: a, title: 甲, max: 10, formula: "where(done, 10, 0) + records"}
""")
    data = read_dataset(optional, [tmp_path])
    assert data.columns["records"].tolist() == [0.0]


def test_percentages_typed_as_fractions_are_an_error(tmp_path: Path) -> None:
    found = problems([files(tmp_path, 名单=UNITS.replace(",95\n", ",0.95\n").replace(",80\n", ",0.8\n"))])
    assert found == [("data_percent_fraction", "名单.csv", None, 2, "满意率")]


def test_percent_formatted_cells_are_percentages(tmp_path: Path) -> None:
    path = tmp_path / "名单.xlsx"
    workbook = book(path, {"名单": [["编号", "姓名", "党支部", "满意率"], ["A", "张三", "一支部", 0.95], ["B", "李四", "二支部", 0.8]]})
    for cell in ("D2", "D3"):
        workbook["名单"][cell].number_format = "0%"
    workbook.save(path)
    data = read_dataset(SCHEME, [files(tmp_path, 名单="")])
    assert data.columns["rate"].tolist() == [95.0, 80.0]


@pytest.mark.parametrize("typed", ["9,5", "9，5", "9_5"])
def test_a_decimal_comma_or_underscore_is_an_error_not_95(tmp_path: Path, typed: str) -> None:
    months = MONTHS.replace("A,2,8", f'A,2,"{typed}"')
    assert problems([files(tmp_path, 月评分=months)]) == [("data_decimal_comma", "月评分.csv", None, 3, "月评分")]


def test_a_thousands_grouping_is_read(tmp_path: Path) -> None:
    scheme = scheme_from("""
kaohe: 1
id: g
version: 1
title: 测试
inputs:
  money: {title: 金额, type: number}
items:
  - {id: a, title: 甲, max: 10000, formula: "money"}
""")
    (tmp_path / "名单.csv").write_text('编号,名称,金额\nA,甲,"1,200"\n', encoding="utf-8")
    assert read_dataset(scheme, [tmp_path]).columns["money"].tolist() == [1200.0]


def test_the_same_rater_twice_for_a_unit_is_an_error(tmp_path: Path) -> None:
    votes = VOTES + "A,2,7\n"
    assert problems([files(tmp_path, 测评=votes)]) == [("data_duplicate_row", "测评.csv", None, 5, "测评人")]


def test_similar_group_names_are_warned(tmp_path: Path) -> None:
    units = "编号,姓名,党支部,满意率\n" + "".join(f"A{i},张{i},第一党支部,90\n" for i in range(5)) + "B,李四,第一支部,80\n"
    units += "".join(f"C{i},王{i},第二党支部,90\n" for i in range(5))
    months = "编号,月份,月评分\n" + "".join(f"{u},{m},9\n" for u in [*(f"A{i}" for i in range(5)), "B", *(f"C{i}" for i in range(5))] for m in (1, 2))
    votes = "编号,测评人,测评分\n" + "".join(f"{u},1,9\n" for u in [*(f"A{i}" for i in range(5)), "B", *(f"C{i}" for i in range(5))])
    data = read_dataset(SCHEME, [files(tmp_path, 名单=units, 月评分=months, 测评=votes)])
    similar = [p for p in data.warnings if p.code == "data_similar_groups"]
    assert len(similar) == 1 and "第一支部" in similar[0].render() and "第一党支部" in similar[0].render()
    assert similar[0].location.line == 7  # B's row


def test_a_merged_cell_in_a_value_column_is_an_error_but_carries_a_group(tmp_path: Path) -> None:
    path = tmp_path / "名单.xlsx"
    workbook = book(path, {"名单": [["编号", "姓名", "党支部", "满意率"], ["A", "张三", "一支部", 95], ["B", "李四", None, 80]]})
    workbook["名单"].merge_cells("C2:C3")
    workbook.save(path)
    data = read_dataset(SCHEME, [files(tmp_path, 名单="")])
    assert data.units.groups.tolist() == ["一支部", "一支部"]
    workbook["名单"]["D3"] = None
    workbook["名单"].merge_cells("D2:D3")
    workbook.save(path)
    assert problems([tmp_path]) == [("data_merged_value", "名单.xlsx", "名单", 3, "满意率")]


def test_several_missing_inputs_of_one_row_are_one_message_in_row_order(tmp_path: Path) -> None:
    scheme = scheme_from("""
kaohe: 1
id: m
version: 1
title: 测试
inputs:
  x: {title: 甲项, type: number}
  y: {title: 乙项, type: number}
items:
  - {id: a, title: 甲, max: 10, formula: "x + y"}
""")
    (tmp_path / "名单.csv").write_text("编号,名称,甲项,乙项\nA,甲,,\nB,乙,1,2\nC,丙,,3\n", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        read_dataset(scheme, [tmp_path])
    found = [(p.code, p.location.line) for p in caught.value.problems]
    assert found == [("data_missing_value", 2), ("data_missing_value", 4)]
    assert "x（甲项）[甲项]、y（乙项）[乙项]" in caught.value.problems[0].render()


def test_a_missing_month_row_is_one_message_for_all_its_inputs(tmp_path: Path) -> None:
    scheme = scheme_from("""
kaohe: 1
id: m
version: 1
title: 测试
dimensions:
  month: {title: 月份, values: [1, 2]}
inputs:
  x: {title: 甲项, type: number, per: month}
  y: {title: 乙项, type: number, per: month}
items:
  - {id: a, title: 甲, max: 10, formula: "mean(x) + mean(y)"}
""")
    (tmp_path / "名单.csv").write_text("编号,名称\nA,甲\n", encoding="utf-8")
    (tmp_path / "月.csv").write_text("编号,月份,甲项,乙项\nA,1,1,2\n", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        read_dataset(scheme, [tmp_path])
    (problem,) = caught.value.problems
    assert "月份 2" in problem.render() and "x（甲项）、y（乙项）" in problem.render()


# ---------------------------------------------------------------------------
# Files that cannot be read: one located error each, never a traceback or a hang


def test_big5_is_named_as_an_encoding_problem(tmp_path: Path) -> None:
    files(tmp_path)
    (tmp_path / "名单.csv").write_bytes("編號,姓名,黨支部,滿意率\nA,張三,一支部,95\n".encode("big5"))
    assert problems([tmp_path]) == [("data_encoding_big5", "名单.csv", None, None, None)]


def test_utf16_without_a_bom_is_read(tmp_path: Path) -> None:
    files(tmp_path)
    (tmp_path / "名单.csv").write_bytes(UNITS.replace(",", "\t").encode("utf-16-le"))
    assert read_dataset(SCHEME, [tmp_path]).units.names.tolist() == ["张三", "李四"]


def test_unreadable_workbooks_are_each_one_error(tmp_path: Path) -> None:
    files(tmp_path)
    (tmp_path / "加密.xlsx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    book(tmp_path / "whole.xlsx", {"x": [["编号"]]})
    (tmp_path / "截断.xlsx").write_bytes((tmp_path / "whole.xlsx").read_bytes()[:300])
    (tmp_path / "whole.xlsx").unlink()
    with zipfile.ZipFile(tmp_path / "炸弹.xlsx", "w", zipfile.ZIP_DEFLATED) as bomb:
        bomb.writestr("xl/worksheets/sheet1.xml", b"\0" * (60 * 1024 * 1024))
    found = {(code, name) for code, name, *_ in problems([tmp_path])}
    assert found == {("data_xlsx_encrypted", "加密.xlsx"), ("data_xlsx_damaged", "截断.xlsx"), ("data_xlsx_bomb", "炸弹.xlsx")}


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
def test_fifos_devices_and_folders_named_like_data_are_each_one_error(tmp_path: Path) -> None:
    files(tmp_path)
    os.mkfifo(tmp_path / "管道.csv")
    (tmp_path / "old.csv").mkdir()
    (tmp_path / "zero.csv").symlink_to("/dev/zero")
    found = {(code, name) for code, name, *_ in problems([tmp_path / "管道.csv", tmp_path / "old.csv", tmp_path / "zero.csv", tmp_path])}
    assert found == {("data_not_a_file", "管道.csv"), ("data_not_a_file", "old.csv"), ("data_not_a_file", "zero.csv")}


def test_an_oversized_cell_is_one_error(tmp_path: Path) -> None:
    units = UNITS.replace("编号,姓名,党支部,满意率", "编号,姓名,党支部,满意率,备注").replace("95\n", "95," + "长" * 200_000 + "\n", 1)
    found = problems([files(tmp_path, 名单=units)])
    assert found == [("data_cell_too_long", "名单.csv", None, 2, "备注")]


def test_a_large_file_that_turns_out_gbk_past_its_first_megabyte_is_read(tmp_path: Path) -> None:
    # The encoding is judged on the first megabyte; a GBK byte further on means GBK after all.
    votes = "id,rater,vote,note\n" + "".join(f"A,{i},9,\n" for i in range(1, 200_001)) + "B,1,8,\n"
    files(tmp_path, 测评="")
    (tmp_path / "测评.csv").write_bytes((votes + "B,2,7,补录（王五）\n").encode("gbk"))
    data = read_dataset(SCHEME, [tmp_path])
    assert data.columns["vote"][1][:2].tolist() == [8.0, 7.0]
    assert data.origins_of("vote", 1)[1].row == 200_003


def test_a_file_mixing_utf8_and_gbk_is_an_encoding_error(tmp_path: Path) -> None:
    votes = "编号,测评人,测评分\n" + "".join(f"A,{i},9\n" for i in range(1, 200_001))
    files(tmp_path, 测评="")
    (tmp_path / "测评.csv").write_bytes(votes.encode("utf-8") + "B,2,7\n# 补录（王五）\n".encode("gbk"))
    assert problems([tmp_path]) == [("data_encoding", "测评.csv", None, None, None)]


def _ods(path: Path, sheet: str, rows: list[list[object]]) -> None:
    """A minimal OpenDocument spreadsheet (what WPS/LibreOffice save as .ods)."""
    def cell(value: object) -> str:
        if isinstance(value, (int, float)):
            return f'<table:table-cell office:value-type="float" office:value="{value}"><text:p>{value}</text:p></table:table-cell>'
        return f'<table:table-cell office:value-type="string"><text:p>{value}</text:p></table:table-cell>'
    body = "".join("<table:table-row>" + "".join(cell(v) for v in row) + "</table:table-row>" for row in rows)
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
               'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
               f'<office:body><office:spreadsheet><table:table table:name="{sheet}">{body}</table:table>'
               '</office:spreadsheet></office:body></office:document-content>')
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>')
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", content)
        archive.writestr("META-INF/manifest.xml", manifest)


def test_an_ods_workbook_is_read(tmp_path: Path) -> None:
    _ods(tmp_path / "月评分.ods", "月评分", [["编号", "月份", "月评分"], ["A", 1, 9], ["A", 2, 8], ["B", 1, 7], ["B", 2, 10]])
    data = read_dataset(SCHEME, [files(tmp_path, 月评分="")])
    assert data.columns["score"].tolist() == [[9.0, 8.0], [7.0, 10.0]]
    assert data.origins_of("score", 1)[1] .row == 5


# ---------------------------------------------------------------------------
# Found by a sweep of bad inputs from outside the clone (each was a traceback or a silent change)


def test_a_blank_vote_cell_is_a_missing_value_not_one_rater_fewer(tmp_path: Path) -> None:
    votes = VOTES.replace("A,2,9", "A,2,")
    assert problems([files(tmp_path, 测评=votes)]) == [("data_missing_value", "测评.csv", None, 3, None)]


def test_a_blank_cell_in_a_record_row_is_a_missing_value_not_a_lost_record(tmp_path: Path) -> None:
    scheme = scheme_from("""
kaohe: 1
id: r
version: 1
title: 测试
dimensions:
  record: {title: 奖惩记录}
inputs:
  kind: {title: 奖惩类别, type: category, values: [县级表彰, 本局表彰], per: record, optional: true}
items:
  - {id: a, title: 甲, max: 10, formula: "count_if(kind == '县级表彰') * 2"}
""")
    (tmp_path / "名单.csv").write_text("编号,名称\nA,甲\nB,乙\n", encoding="utf-8")
    (tmp_path / "奖惩.csv").write_text("编号,奖惩类别,文号\nA,县级表彰,1号\nB,,2号\n", encoding="utf-8")
    assert problems([tmp_path], scheme) == [("data_missing_value", "奖惩.csv", None, 3, None)]


def test_a_correction_for_an_input_whose_table_is_missing_is_no_traceback(tmp_path: Path) -> None:
    from tests.helpers import JIFENZHI, JIFENZHI_DATA
    import shutil

    from engine.compiler import compile_scheme
    from engine.inherit import load_scheme

    shutil.copytree(JIFENZHI_DATA, tmp_path / "data")
    (tmp_path / "data" / "月评分.csv").unlink()
    scheme, _ = compile_scheme(load_scheme(JIFENZHI))
    found = problems([tmp_path / "data"], scheme)
    assert found and {code for code, *_ in found} == {"data_missing_column"}


def test_a_header_only_copy_of_a_table_beside_it_changes_nothing(tmp_path: Path) -> None:
    files(tmp_path)
    (tmp_path / "月评分2.csv").write_text(MONTHS.split("\n", 1)[0] + "\n", encoding="utf-8")
    assert read_dataset(SCHEME, [tmp_path]).columns["score"].tolist() == [[9.0, 8.0], [7.0, 10.0]]


def test_a_table_given_twice_is_one_message_per_row_naming_the_first(tmp_path: Path) -> None:
    book(tmp_path / "月评分.xlsx", {"月评分": [["编号", "月份", "月评分"], ["A", 1, 9], ["A", 2, 8], ["B", 1, 7], ["B", 2, 10]],
                                  "旧表": [["编号", "月份", "月评分"], ["A", 1, 9]]})
    with pytest.raises(DataError) as caught:
        read_dataset(SCHEME, [files(tmp_path, 月评分="")])
    (problem,) = caught.value.problems
    assert (problem.code, problem.location.sheet, problem.location.line) == ("data_duplicate_across", "旧表", 2)
    assert "月份 1" in problem.render() and "月评分.xlsx[月评分]:2" in problem.render()


def test_a_month_sheet_not_handed_in_is_one_message(tmp_path: Path) -> None:
    ids = [f"U{i}" for i in range(8)]
    units = "编号,姓名,党支部,满意率\n" + "".join(f"{u},人{u},一支部,90\n" for u in ids)
    votes = "编号,测评人,测评分\n" + "".join(f"{u},1,9\n" for u in ids)
    book(tmp_path / "月评分.xlsx", {"1月": [["编号", "月评分"], *[[u, 9] for u in ids]]})
    with pytest.raises(DataError) as caught:
        read_dataset(SCHEME, [files(tmp_path, 名单=units, 月评分="", 测评=votes)])
    (problem,) = caught.value.problems
    assert problem.code == "data_missing_rows_many" and "8 个单位没有月份 2 的行" in problem.render()


def test_a_date_line_in_any_column_is_skipped(tmp_path: Path) -> None:
    months = MONTHS + ",,日期：2024年12月31日\n"
    data = read_dataset(SCHEME, [files(tmp_path, 月评分=months)])
    assert [p.location.line for p in data.warnings if p.code == "data_summary_row"] == [6]


def test_a_csv_named_xlsx_and_an_empty_file_are_named(tmp_path: Path) -> None:
    files(tmp_path)
    (tmp_path / "改名.xlsx").write_text(UNITS, encoding="utf-8")
    (tmp_path / "空.csv").write_bytes(b"")
    with pytest.raises(DataError) as caught:
        read_dataset(SCHEME, [tmp_path])
    codes = {(p.code, Path(p.location.file).name, p.severity) for p in caught.value.problems}
    assert codes == {("data_xlsx_text", "改名.xlsx", "error"), ("data_empty_file", "空.csv", "warning")}


def test_rows_after_a_quoted_cell_with_a_line_break_keep_their_numbers(tmp_path: Path) -> None:
    units = 'A,张三,一支部,95\n"B",李四,"二\n支部",80\n'
    months = MONTHS.replace("B,2,10", "B,2,十")
    found = problems([files(tmp_path, 名单="编号,姓名,党支部,满意率\n" + units, 月评分='编号,月份,月评分\nA,1,9\nA,2,"8"\n"B",1,"7"\n' + "B,2,十\n")])
    assert found == [("data_not_number", "月评分.csv", None, 5, "月评分")]
    data_units = read_dataset(SCHEME, [files(tmp_path, 名单="编号,姓名,党支部,满意率\n" + units, 月评分=MONTHS)]).units
    assert data_units.groups.tolist() == ["一支部", "二\n支部"]


def test_a_big5_file_with_traditional_headers_is_named(tmp_path: Path) -> None:
    files(tmp_path)
    (tmp_path / "名單.csv").write_bytes("編號,姓名,黨支部\r\nD041,陳國華,第一黨支部\r\n".encode("big5"))
    assert problems([tmp_path]) == [("data_encoding_big5", "名單.csv", None, None, None)]


def test_a_pasted_paragraph_in_a_number_cell_is_not_echoed_whole(tmp_path: Path) -> None:
    months = MONTHS.replace("A,2,8", "A,2," + "很" * 5000)
    with pytest.raises(DataError) as caught:
        read_dataset(SCHEME, [files(tmp_path, 月评分=months)])
    assert len(caught.value.render()) < 500 and "5,000 字" in caught.value.render()


def test_semicolon_separated_and_cr_only_files_are_read(tmp_path: Path) -> None:
    # Excel in a European locale saves CSV with semicolons; old Mac tools end lines with CR only.
    files(tmp_path, 月评分="")
    (tmp_path / "月评分.csv").write_text(MONTHS.replace(",", ";"), encoding="utf-8")
    (tmp_path / "名单.csv").write_bytes(UNITS.replace("\n", "\r").encode("utf-8"))
    data = read_dataset(SCHEME, [tmp_path])
    assert data.columns["score"].tolist() == [[9.0, 8.0], [7.0, 10.0]]
    assert data.units.names.tolist() == ["张三", "李四"] and data.origins_of("rate", 1)[0].row == 3


def test_an_id_column_that_lost_its_zeros_is_one_message(tmp_path: Path) -> None:
    ids = [f"{i:03d}" for i in range(1, 9)]
    units = "编号,姓名,党支部,满意率\n" + "".join(f"{u},人{u},一支部,90\n" for u in ids)
    months = "编号,月份,月评分\n" + "".join(f"{int(u)},{m},9\n" for u in ids for m in (1, 2))
    votes = "编号,测评人,测评分\n" + "".join(f"{u},1,9\n" for u in ids)
    found = problems([files(tmp_path, 名单=units, 月评分=months, 测评=votes)])
    # One message for the column (and, as its rows belong to no unit, one for the rows the units then lack).
    assert sorted(found, key=str) == [("data_missing_rows_many", "月评分.csv", None, None, None),
                                      ("data_unknown_unit_zeros_many", "月评分.csv", None, 2, "编号")]
