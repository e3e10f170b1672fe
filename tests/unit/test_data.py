"""Reading data: encodings, Excel, and every bad-data error with file/row/column."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from engine.data import Origin, read_dataset
from engine.errors import DataError
from tests.helpers import scheme_from

SCHEME = scheme_from("""
kaohe: 1
id: t
version: 1
title: 测试
subject: 党员
units: {group: 党支部}
dimensions:
  month: {title: 月份, values: [1, 2]}
  rater: {title: 测评人}
inputs:
  score: {title: 月评分, type: number, range: [0, 10], per: month}
  vote: {title: 测评分, type: number, range: [0, 10], per: rater}
  rate: {title: 满意率, type: percentage}
items:
  - {id: a, title: 甲, max: 10, formula: "mean(score) * 0.8 + mean(vote) * 0.2"}
  - {id: b, title: 乙, max: 100, formula: rate}
""")

UNITS = "编号,姓名,党支部,满意率\nA,张三,一支部,95%\nB,李四,二支部,80\n"
MONTHS = "编号,月份,月评分\nA,1,9\nA,2,8\nB,1,7\nB,2,10\n"
VOTES = "编号,测评人,测评分\nA,1,10\nA,2,9\nB,1,8\n"


def write(folder: Path, files: dict[str, str], encodings: dict[str, str] | None = None) -> Path:
    for name, text in files.items():
        encoding = (encodings or {}).get(name, "utf-8")
        (folder / name).write_bytes(text.encode(encoding))
    return folder


def read(folder: Path):
    return read_dataset(SCHEME, [folder])


def errors(folder: Path) -> list[tuple[str, str, int | None, str | int | None]]:
    with pytest.raises(DataError) as caught:
        read(folder)
    return [(p.code, Path(p.location.file).name, p.location.line, p.location.column) for p in caught.value.problems]


class TestEncodings:
    @pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16"])
    def test_detected_without_asking(self, tmp_path: Path, encoding: str) -> None:
        files = {"名单.csv": UNITS, "月评分.csv": MONTHS, "测评.csv": VOTES}
        if encoding == "utf-16":
            files = {k: v.replace(",", "\t") for k, v in files.items()}  # Excel's "Unicode text"
        data = read(write(tmp_path, files, {k: encoding for k in files}))
        assert data.units.names.tolist() == ["张三", "李四"]
        assert data.units.groups.tolist() == ["一支部", "二支部"]
        assert data.columns["score"].tolist() == [[9.0, 8.0], [7.0, 10.0]]

    def test_percent_sign_and_plain_percentages(self, tmp_path: Path) -> None:
        data = read(write(tmp_path, {"名单.csv": UNITS, "月评分.csv": MONTHS, "测评.csv": VOTES}))
        assert data.columns["rate"].tolist() == [95.0, 80.0]

    def test_open_dimension_is_padded(self, tmp_path: Path) -> None:
        data = read(write(tmp_path, {"名单.csv": UNITS, "月评分.csv": MONTHS, "测评.csv": VOTES}))
        votes = data.columns["vote"]
        assert votes.shape == (2, 2)
        assert votes[0].tolist() == [10.0, 9.0] and votes[1, 0] == 8.0 and np.isnan(votes[1, 1])


def test_xlsx_with_sheets_and_percent_cells(tmp_path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    units = book.active
    units.title = "名单"
    units.append(["编号", "姓名", "党支部", "满意率"])
    units.append(["A", "张三", "一支部", 0.95])
    units["D2"].number_format = "0%"
    units.append(["B", "李四", "二支部", 80])
    months = book.create_sheet("月评分")
    for row in [["编号", "月份", "月评分"], ["A", 1, 9], ["A", 2, 8], ["B", 1, 7], ["B", 2, 10]]:
        months.append(row)
    votes = book.create_sheet("测评")
    for row in [["编号", "测评分"], ["A", 10], ["B", 8]]:
        votes.append(row)
    book.save(tmp_path / "data.xlsx")
    data = read_dataset(SCHEME, [tmp_path / "data.xlsx"])
    assert data.columns["rate"].tolist() == [95.0, 80.0]
    assert data.origins_of("score", 1)[1] == Origin(str(tmp_path / "data.xlsx"), "月评分", 5)


def test_title_lines_above_the_header_are_skipped_and_rows_keep_their_numbers(tmp_path: Path) -> None:
    titled = "2024年度党员月评分汇总表,,\n填报单位：一支部,填报日期：2024-12-31,\n" + MONTHS
    data = read(write(tmp_path, {"名单.csv": UNITS, "月评分.csv": titled, "测评.csv": VOTES}))
    assert data.columns["score"].tolist() == [[9.0, 8.0], [7.0, 10.0]]
    # Spreadsheet row 6 (two title lines, the header, then A/1, A/2, B/1) holds B's month 1.
    assert data.origins_of("score", 1)[0].row == 6
    bad = titled.replace("B,1,7", "B,1,七")
    found = errors(write(tmp_path, {"月评分.csv": bad}))
    assert found == [("data_not_number", "月评分.csv", 6, "月评分")]


def test_the_header_is_the_row_naming_most_columns_not_the_first_full_row(tmp_path: Path) -> None:
    # A title area of three filled cells (考核单位 / 考核日期 / a date) stands above the real header on row 3.
    titled = "考核单位：某县委组织部,考核日期：,2024-12-01,\n,,,\n" + UNITS
    data = read(write(tmp_path, {"名单.csv": titled, "月评分.csv": MONTHS, "测评.csv": VOTES}))
    assert data.units.ids.tolist() == ["A", "B"]
    bad = titled.replace("A,张三,一支部,95", "A,张三,一支部,九五")
    found = errors(write(tmp_path, {"名单.csv": bad}))
    # Rows: 1 title, 2 empty, 3 header, 4 A.
    assert found == [("data_not_number", "名单.csv", 4, "满意率")]


def test_a_sheet_without_any_known_header_is_reported_at_its_first_row(tmp_path: Path) -> None:
    headless = "姓名1,党支部1,满意率1\n" + UNITS.split("\n", 1)[1]
    found = errors(write(tmp_path, {"名单.csv": headless, "月评分.csv": MONTHS, "测评.csv": VOTES}))
    assert ("data_no_id_column", "名单.csv", 1, None) in found


def _workbook_with_formula(path: Path, cached: str | None) -> Path:
    """名单 + 月评分 where B's month-1 score is the formula =3+4, with or without Excel's cached value."""
    import zipfile

    import openpyxl

    book = openpyxl.Workbook()
    units = book.active
    units.title = "名单"
    for row in [["编号", "姓名", "党支部", "满意率"], ["A", "张三", "一支部", 95], ["B", "李四", "二支部", 80]]:
        units.append(row)
    months = book.create_sheet("月评分")
    for row in [["编号", "月份", "月评分"], ["A", 1, 9], ["A", 2, 8], ["B", 1, "=3+4"], ["B", 2, 10]]:
        months.append(row)
    votes = book.create_sheet("测评")
    for row in [["编号", "测评分"], ["A", 10], ["B", 8]]:
        votes.append(row)
    plain = path.with_suffix(".plain.xlsx")
    book.save(plain)
    # openpyxl writes formulas without a value, as any program does; Excel adds <v>7</v> on saving.
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(path, "w") as target:
        for name in source.namelist():
            content = source.read(name)
            if cached is not None:
                # <v /> from openpyxl's own writer, <v></v> when lxml is installed (python-docx brings it).
                for empty in (b"<v />", b"<v></v>"):
                    content = content.replace(b"<f>3+4</f>" + empty + b"</c>", b"<f>3+4</f><v>" + cached.encode() + b"</v></c>")
            target.writestr(name, content)
    return path


def test_a_formula_is_read_by_its_computed_value(tmp_path: Path) -> None:
    data = read_dataset(SCHEME, [_workbook_with_formula(tmp_path / "data.xlsx", "7")])
    assert data.columns["score"].tolist() == [[9.0, 8.0], [7.0, 10.0]]


def test_a_formula_without_a_computed_value_is_named_not_read_as_empty(tmp_path: Path) -> None:
    path = _workbook_with_formula(tmp_path / "data.xlsx", None)
    with pytest.raises(DataError) as caught:
        read_dataset(SCHEME, [path])
    (problem,) = [p for p in caught.value.problems if p.code == "data_formula_not_computed"]
    assert (problem.location.sheet, problem.location.line, problem.location.column) == ("月评分", 4, "月评分")
    assert "单元格 C4 是公式 '=3+4'" in problem.render()


def test_progress_is_reported_after_each_table(tmp_path: Path) -> None:
    _workbook_with_formula(tmp_path / "data.xlsx", "7")
    calls: list[tuple[str, int, bool]] = []
    read_dataset(SCHEME, [tmp_path / "data.xlsx"], progress=lambda *call: calls.append(call))
    book = str(tmp_path / "data.xlsx")
    # 名单 has 2 data rows, 月评分 4, 测评 2.
    assert [call for call in calls if call[2]] == [(f"{book}[名单]", 2, True), (f"{book}[月评分]", 4, True), (f"{book}[测评]", 2, True)]
    assert [call for call in calls if not call[2]] == [(f"{book}[名单]", 0, False), (f"{book}[月评分]", 0, False), (f"{book}[测评]", 0, False)]


def test_months_may_be_written_as_clerks_write_them(tmp_path: Path) -> None:
    months = "编号,月份,月评分\nA,1月,9\nA,二月,8\nB,2024年1月,7\nB,02月份,10\n"
    data = read(write(tmp_path, {"名单.csv": UNITS, "月评分.csv": months, "测评.csv": VOTES}))
    assert data.columns["score"].tolist() == [[9.0, 8.0], [7.0, 10.0]]


def test_a_month_typed_as_a_date_in_excel_is_that_month(tmp_path: Path) -> None:
    import datetime

    import openpyxl

    book = openpyxl.Workbook()
    months = book.active
    months.title = "月评分"
    for row in [["编号", "月份", "月评分"], ["A", datetime.datetime(2024, 1, 1), 9], ["A", datetime.datetime(2024, 2, 1), 8],
                ["B", "2024/1", 7], ["B", "2024-02", 10]]:
        months.append(row)
    book.save(tmp_path / "月评分.xlsx")
    data = read(write(tmp_path, {"名单.csv": UNITS, "测评.csv": VOTES}))
    assert data.columns["score"].tolist() == [[9.0, 8.0], [7.0, 10.0]]


def test_a_month_that_cannot_be_read_is_one_error_not_a_cascade(tmp_path: Path) -> None:
    # "十三月" is not a month: its row is rejected, and A's month 1 is not then also reported as missing.
    months = "编号,月份,月评分\nA,十三月,9\nA,2,8\nB,1,7\nB,2,10\n"
    found = errors(write(tmp_path, {"名单.csv": UNITS, "月评分.csv": months, "测评.csv": VOTES}))
    assert found == [("data_bad_dim_value", "月评分.csv", 2, "月份")]


class TestBadData:
    def test_non_number_names_file_row_and_column(self, tmp_path: Path) -> None:
        bad = MONTHS.replace("B,1,7", "B,1,七")
        found = errors(write(tmp_path, {"名单.csv": UNITS, "月评分.csv": bad, "测评.csv": VOTES}))
        assert found == [("data_not_number", "月评分.csv", 4, "月评分")]

    def test_out_of_range(self, tmp_path: Path) -> None:
        bad = VOTES.replace("A,2,9", "A,2,90")
        found = errors(write(tmp_path, {"名单.csv": UNITS, "月评分.csv": MONTHS, "测评.csv": bad}))
        assert found == [("data_out_of_range", "测评.csv", 3, "测评分")]

    def test_duplicate_unit_id(self, tmp_path: Path) -> None:
        bad = UNITS + "A,王五,一支部,90\n"
        found = errors(write(tmp_path, {"名单.csv": bad, "月评分.csv": MONTHS, "测评.csv": VOTES}))
        assert found == [("data_duplicate_unit", "名单.csv", 4, "编号")]

    def test_a_unit_repeated_in_another_table_must_agree(self, tmp_path: Path) -> None:
        # A department's sheet may repeat the names for readability; a different name is an error.
        extra = "编号,姓名\nA,张三\nB,李斯\n"
        found = errors(write(tmp_path, {"名单.csv": UNITS, "月评分.csv": MONTHS, "测评.csv": VOTES, "附表.csv": extra}))
        assert found == [("data_unit_conflict", "附表.csv", 3, "姓名")]

    def test_an_id_that_lost_its_leading_zeros_says_why(self, tmp_path: Path) -> None:
        units = UNITS.replace("A,", "001,").replace("B,", "002,")
        months = MONTHS.replace("A,", "001,").replace("B,1,7", "2,1,7").replace("B,", "002,")
        votes = VOTES.replace("A,", "001,").replace("B,", "002,")
        with pytest.raises(DataError) as caught:
            read(write(tmp_path, {"名单.csv": units, "月评分.csv": months, "测评.csv": votes}))
        # (002 then also misses month 1 — a second, separate error.)
        (problem,) = [p for p in caught.value.problems if p.location.line == 4]
        assert (problem.code, problem.location.line) == ("data_unknown_unit_zeros", 4)
        assert problem.render().startswith(f"{tmp_path / '月评分.csv'}:4: [编号]: 编号 '2' 不在名单中，名单中有 '002'")

    def test_totals_and_signature_lines_are_skipped_and_named(self, tmp_path: Path) -> None:
        folder = write(tmp_path, {"名单.csv": UNITS + "合计,,,\n", "月评分.csv": MONTHS + "填表人：王五,,\n", "测评.csv": VOTES})
        data = read(folder)
        assert data.units.ids.tolist() == ["A", "B"]
        skipped = [(p.code, Path(p.location.file).name, p.location.line) for p in data.warnings if p.code == "data_summary_row"]
        assert skipped == [("data_summary_row", "名单.csv", 4), ("data_summary_row", "月评分.csv", 6)]

    def test_unknown_unit_in_a_period_file(self, tmp_path: Path) -> None:
        bad = MONTHS + "C,1,9\n"
        found = errors(write(tmp_path, {"名单.csv": UNITS, "月评分.csv": bad, "测评.csv": VOTES}))
        assert found == [("data_unknown_unit", "月评分.csv", 6, "编号")]

    def test_missing_month_is_an_error_not_a_zero(self, tmp_path: Path) -> None:
        bad = MONTHS.replace("B,2,10\n", "")
        with pytest.raises(DataError) as caught:
            read(write(tmp_path, {"名单.csv": UNITS, "月评分.csv": bad, "测评.csv": VOTES}))
        (problem,) = caught.value.problems
        assert problem.code == "data_missing_value"
        assert "李四" in problem.render() and "月份 2" in problem.render()

    def test_a_unit_without_any_month_is_one_message(self, tmp_path: Path) -> None:
        bad = MONTHS.replace("B,1,7\n", "").replace("B,2,10\n", "")
        with pytest.raises(DataError) as caught:
            read(write(tmp_path, {"名单.csv": UNITS, "月评分.csv": bad, "测评.csv": VOTES}))
        (problem,) = caught.value.problems
        assert "全部 2 个月份都没有" in problem.render()

    def test_an_empty_unit_list_is_an_error(self, tmp_path: Path) -> None:
        found = errors(write(tmp_path, {"名单.csv": "编号,姓名,党支部,满意率\n", "月评分.csv": "编号,月份,月评分\n", "测评.csv": "编号,测评分\n"}))
        assert found == [("data_empty_units", "名单.csv", 1, None)]

    def test_missing_column(self, tmp_path: Path) -> None:
        found = errors(write(tmp_path, {"名单.csv": UNITS, "月评分.csv": MONTHS}))
        assert [f[0] for f in found] == ["data_missing_column"]

    def test_duplicate_month_row(self, tmp_path: Path) -> None:
        bad = MONTHS + "A,1,5\n"
        found = errors(write(tmp_path, {"名单.csv": UNITS, "月评分.csv": bad, "测评.csv": VOTES}))
        # One message for the row (not one per input), pointing at its 月份 cell.
        assert found == [("data_duplicate_row", "月评分.csv", 6, "月份")]

    def test_a_unit_twice_in_a_table_without_periods_names_no_period(self, tmp_path: Path) -> None:
        # 满意率 moved to its own per-unit table, B given twice: the message names the unit and the
        # first row, with no empty "period" (it once read "单位 'B' 的单位 '' 重复").
        units = "编号,姓名,党支部\nA,张三,一支部\nB,李四,二支部\n"
        rates = "编号,满意率\nA,95%\nB,80\nB,70\n"
        with pytest.raises(DataError) as caught:
            read(write(tmp_path, {"名单.csv": units, "满意率.csv": rates, "月评分.csv": MONTHS, "测评.csv": VOTES}))
        (problem,) = caught.value.problems
        assert (problem.code, Path(problem.location.file).name, problem.location.line) == ("data_duplicate_unit_row", "满意率.csv", 4)
        assert "单位 'B' 在这张表中出现了两次（第一次在第 3 行）" in problem.render()
        assert "''" not in problem.render()

    def test_month_outside_the_declared_values(self, tmp_path: Path) -> None:
        bad = MONTHS + "A,13,5\n"
        found = errors(write(tmp_path, {"名单.csv": UNITS, "月评分.csv": bad, "测评.csv": VOTES}))
        assert found == [("data_bad_dim_value", "月评分.csv", 6, "月份")]

    def test_all_problems_are_reported_together(self, tmp_path: Path) -> None:
        bad_months = MONTHS.replace("A,2,8", "A,2,abc")
        bad_votes = VOTES.replace("B,1,8", "B,1,11")
        found = errors(write(tmp_path, {"名单.csv": UNITS, "月评分.csv": bad_months, "测评.csv": bad_votes}))
        assert [f[0] for f in found] == ["data_not_number", "data_out_of_range"]

    def test_unknown_columns_are_a_warning_naming_them(self, tmp_path: Path) -> None:
        # A remark column (备注) is read past silently; a misspelt input header is named.
        files = {"名单.csv": UNITS.replace("满意率\n", "满意率,备注\n"), "月评分.csv": MONTHS, "测评.csv": VOTES,
                 "extra.csv": "编号,月份,月平分\nA,1,9\n"}
        data = read(write(tmp_path, files))
        (warning,) = data.warnings
        assert warning.code == "data_unknown_columns" and "月平分" in warning.render()
        assert "是否想写 '月评分'" in warning.render()


class TestCorrections:
    SCHEME_WITH = scheme_from("""
kaohe: 1
id: t
version: 1
title: 测试
dimensions:
  month: {title: 月份, values: [1, 2]}
inputs:
  score: {title: 月评分, type: number, range: [0, 10], per: month}
corrections: {title: 半年评议重评}
items:
  - {id: a, title: 甲, max: 10, formula: mean(score)}
""")
    UNITS = "编号,姓名\nA,张三\nB,李四\n"

    def read(self, tmp_path: Path, correction: str, scheme=None):
        write(tmp_path, {"名单.csv": self.UNITS, "月评分.csv": MONTHS, "更正.csv": correction})
        return read_dataset(scheme or self.SCHEME_WITH, [tmp_path])

    def test_a_correction_replaces_the_value_and_keeps_both(self, tmp_path: Path) -> None:
        data = self.read(tmp_path, "编号,月份,输入项,原值,更正后,理由\nB,1,月评分,7,8.5,重新评分\n")
        assert data.columns["score"][1].tolist() == [8.5, 10.0]
        (correction,) = data.corrections
        assert (correction.unit, correction.input, correction.period, correction.old, correction.new, correction.reason) == \
            ("B", "score", "1", 7.0, 8.5, "重新评分")
        assert correction.origin.row == 2

    def test_the_old_value_must_match_the_data(self, tmp_path: Path) -> None:
        with pytest.raises(DataError) as caught:
            self.read(tmp_path, "编号,月份,输入项,原值,更正后,理由\nB,1,月评分,6,8.5,重新评分\n")
        (problem,) = caught.value.problems
        assert (problem.code, problem.location.line, problem.location.column) == ("data_corrections_mismatch", 2, "原值")

    def test_a_corrected_value_is_checked_like_data(self, tmp_path: Path) -> None:
        with pytest.raises(DataError) as caught:
            self.read(tmp_path, "编号,月份,输入项,原值,更正后,理由\nB,1,月评分,7,12,重新评分\n")
        assert [p.code for p in caught.value.problems] == ["data_out_of_range"]

    def test_corrections_need_the_scheme_to_allow_them(self, tmp_path: Path) -> None:
        with pytest.raises(DataError) as caught:
            self.read(tmp_path, "编号,月份,输入项,原值,更正后,理由\nB,1,月评分,7,8,x\n", scheme=SCHEME)
        assert "data_corrections_not_allowed" in [p.code for p in caught.value.problems]


def test_full_width_punctuation_in_titles_matches_headers(tmp_path: Path) -> None:
    # Titles such as "人才流失超出比例（占职工%）" use full-width brackets; Excel headers may use
    # either form. Both are folded the same way, so the column is found.
    scheme = scheme_from("""
kaohe: 1
id: t
version: 1
title: 测试
inputs:
  loss: {title: 人才流失超出比例（占职工%）, type: number}
items:
  - {id: a, title: 甲, max: 10, formula: loss}
""")
    write(tmp_path, {"名单.csv": "编号,姓名,人才流失超出比例(占职工%)\nA,张三,1.6\n"})
    data = read_dataset(scheme, [tmp_path])
    assert data.columns["loss"].tolist() == [1.6] and data.warnings == ()


def test_yes_no_votes_are_counted_by_rows_not_by_padding(tmp_path: Path) -> None:
    # Unit A has 3 votes, unit B 1: B's column is padded to 3 positions, but count() must say 1.
    scheme = scheme_from("""
kaohe: 1
id: t
version: 1
title: 测试
dimensions:
  rater: {title: 测评人}
inputs:
  ok: {title: 是否满意, type: boolean, per: rater}
items:
  - {id: a, title: 满意率, max: 100, formula: count_if(ok) / count(ok) * 100}
""")
    write(tmp_path, {"名单.csv": "编号,姓名\nA,甲\nB,乙\n", "票.csv": "编号,是否满意\nA,是\nA,否\nA,是\nB,是\n"})
    from engine.evaluate import evaluate

    results = evaluate(scheme, read_dataset(scheme, [tmp_path]))
    # A: 2 of 3 → 66.67; B: 1 of 1 → 100
    assert results.scores["a"].tolist() == [66.67, 100.0]


@pytest.mark.parametrize(("cell", "code"), [("1e400", "data_number_too_large"), ("-1E400", "data_number_too_large"),
                                            ("inf", "data_not_number"), ("nan", "data_not_number")])
def test_a_number_beyond_any_double_is_named_as_written(tmp_path: Path, cell: str, code: str) -> None:
    # A numeric CSV column is read as numbers at once; 1e400 would be read as infinity there.
    months = MONTHS.replace("B,1,7", f"B,1,{cell}")
    with pytest.raises(DataError) as caught:
        read(write(tmp_path, {"名单.csv": UNITS, "月评分.csv": months, "测评.csv": VOTES}))
    (problem,) = caught.value.problems
    assert (problem.code, Path(problem.location.file).name, problem.location.line, problem.location.column) == (
        code, "月评分.csv", 4, "月评分")
    assert f"'{cell}'" in problem.render()


YES_NO = scheme_from("""
kaohe: 1
id: t
version: 1
title: 测试
inputs:
  ok: {title: 是否达标, type: boolean}
items:
  - {id: a, title: 甲, max: 10, formula: "10 if ok else 0"}
""")


@pytest.mark.parametrize("cell", ["x", "X", "ｘ"])
def test_a_latin_x_in_a_yes_no_cell_is_asked_not_guessed(tmp_path: Path, cell: str) -> None:
    # × means 否, but a typed x is a tick (是) in many sheets: a located error with the hint.
    write(tmp_path, {"名单.csv": f"编号,姓名,是否达标\nA,甲,√\nB,乙,{cell}\nC,丙,×\n"})
    with pytest.raises(DataError) as caught:
        read_dataset(YES_NO, [tmp_path])
    (problem,) = caught.value.problems
    assert (problem.code, problem.location.line, problem.location.column) == ("data_bool_x", 3, "是否达标")
    assert "√/×" in problem.render()


def test_ticks_and_crosses_still_read_as_yes_and_no(tmp_path: Path) -> None:
    write(tmp_path, {"名单.csv": "编号,姓名,是否达标\nA,甲,√\nB,乙,×\nC,丙,是\nD,丁,否\n"})
    assert read_dataset(YES_NO, [tmp_path]).columns["ok"].tolist() == [True, False, True, False]


def test_a_records_table_with_its_header_only_is_noted_once(tmp_path: Path) -> None:
    scheme = scheme_from("""
kaohe: 1
id: t
version: 1
title: 测试
dimensions:
  record: {title: 奖惩记录}
inputs:
  kind: {title: 奖惩类别, type: category, values: [表彰, 处分], per: record}
  points: {title: 分值, type: number, per: record, optional: true}
items:
  - {id: a, title: 甲, max: 5, formula: "count_if(kind == '表彰')"}
""")
    write(tmp_path, {"名单.csv": "编号,姓名\nA,甲\nB,乙\n", "奖惩.csv": "编号,奖惩类别,分值\n"})
    data = read_dataset(scheme, [tmp_path])
    notes = [p for p in data.warnings if p.code == "data_no_entries"]
    assert len(notes) == 1 and Path(notes[0].location.file).name == "奖惩.csv" and "奖惩记录" in notes[0].render()
    assert data.columns["kind"].shape == (2, 1)


def test_a_records_table_with_rows_gets_no_such_note(tmp_path: Path) -> None:
    write(tmp_path, {"名单.csv": UNITS, "月评分.csv": MONTHS, "测评.csv": VOTES})
    assert not [p for p in read(tmp_path).warnings if p.code == "data_no_entries"]


def test_columns_let_go_as_read_give_the_same_dataset_and_messages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Large tables let go of each column once read; here every table counts as large.
    files = {"名单.csv": UNITS, "月评分.csv": MONTHS, "测评.csv": VOTES}
    normal = read(write(tmp_path, files))
    import engine.data.inputs

    monkeypatch.setattr(engine.data.inputs, "RELEASE_ROWS", 1)
    released = read(tmp_path)
    for name, column in normal.columns.items():
        assert np.array_equal(column, released.columns[name], equal_nan=True), name
    assert released.origins_of("vote", 1) == normal.origins_of("vote", 1)
    bad = {**files, "月评分.csv": MONTHS.replace("B,2,10", "B,2,十") + "C,1,9\n", "测评.csv": VOTES + "A,1,7\n"}
    assert sorted(errors(write(tmp_path, bad))) == [
        ("data_duplicate_row", "测评.csv", 5, "测评人"), ("data_not_number", "月评分.csv", 5, "月评分"),
        ("data_unknown_unit", "月评分.csv", 6, "编号")]
