"""The library functions the command line calls (issue 13: the CLI only parses,
calls and prints): report kinds and targets, the --out guards, results
documents, scenario discovery and a case's errors pointed back at its YAML —
each called directly, with a Context instead of a language string."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest

from engine.context import Context
from engine.errors import KaoheError, Location, Problem, UsageError
from engine.outputs import Inputs, output_path, refuse_overwriting_inputs, scheme_files
from engine.pipeline import assess_file, load, load_results, unit_index
from engine.report_files import check_report_date, report_kinds, report_target
from engine.scenarios import check_case, has_cases, in_case, load_scenario, scenario_files
from tests.helpers import JIFENZHI, JIFENZHI_DATA, ROOT

CLASSIFICATION = ROOT / "schemes" / "ruanruo-huansan"


def codes(err: pytest.ExceptionInfo[KaoheError]) -> list[str]:
    return [p.code for p in err.value.problems]


def test_a_classification_scheme_writes_neither_sheets_nor_summary_and_says_so() -> None:
    scheme = load(CLASSIFICATION, Context())
    choice = report_kinds("all", "html", scheme)
    assert choice.kinds == ("gongshi", "notices")
    assert choice.note is not None and "不生成评分表和汇总" in choice.note.zh
    with pytest.raises(UsageError) as err:
        report_kinds("sheets", "html", scheme)  # asked for by name: an error, not a note
    assert codes(err) == ["report_nothing"]


def test_markdown_keeps_its_two_kinds_and_notices_need_reports_notices() -> None:
    scheme = load(JIFENZHI, Context())
    assert report_kinds("all", "md", scheme).kinds == ("gongshi", "sheets")
    assert report_kinds("all", "html", scheme).note is None
    for kind, fmt in (("summary", "md"), ("notices", "html")):  # no Markdown summary; jifenzhi sets no reports.notices
        with pytest.raises(UsageError) as err:
            report_kinds(kind, fmt, scheme)
        assert codes(err) == ["report_nothing"]


def test_a_file_name_is_one_report_and_never_the_whole_set(tmp_path: Path) -> None:
    assert report_target(str(tmp_path / "公示.html"), "gongshi", "html") == (tmp_path / "公示.html", True)
    assert report_target(str(tmp_path / "报表"), "all", "html") == (tmp_path / "报表", False)
    # The HTML set is 4 kinds + the workbook = 5 files; the Markdown set is gongshi + sheets = 2.
    for fmt, count in (("html", 5), ("md", 2)):
        with pytest.raises(UsageError) as err:
            report_target(str(tmp_path / "r.html"), "all", fmt)
        assert codes(err) == ["report_out_single"] and dict(err.value.problems[0].args)["count"] == count


def test_a_date_whose_publication_period_passes_the_year_9999_is_refused() -> None:
    scheme = load(JIFENZHI, Context())
    # jifenzhi publishes for 30 days (spot run: "加上公示 30 天"): 9999-12-01 + 29 days is 9999-12-30, still a date.
    check_report_date(datetime.date(9999, 12, 1), "9999-12-01", scheme)
    with pytest.raises(UsageError) as err:
        check_report_date(datetime.date(9999, 12, 30), "9999-12-30", scheme)
    assert codes(err) == ["cli_date_out_of_range"]


def test_outputs_may_not_land_on_the_inputs(tmp_path: Path) -> None:
    scheme = load(JIFENZHI, Context())
    # The scheme's own files: the scheme and its two scenario files.
    assert [p.name for p in scheme_files(scheme)] == ["jifenzhi.yaml", "golden.yaml", "month_to_date.yaml", "quotas.yaml"]
    data = Inputs(data=[str(JIFENZHI_DATA)], history=str(tmp_path / "h.sqlite"))
    for target, code in ((JIFENZHI_DATA / "results.md", "cli_out_in_data"), (tmp_path / "h.sqlite", "cli_out_is_input"),
                         (JIFENZHI.parent / "tests" / "golden.yaml", "cli_out_is_input")):
        with pytest.raises(UsageError) as err:
            refuse_overwriting_inputs([target], str(target), data, scheme)
        assert codes(err) == [code], target
    refuse_overwriting_inputs([tmp_path / "results.md"], str(tmp_path), data, scheme)  # elsewhere: fine
    assert output_path(str(tmp_path / "r.json"), "results.json") == tmp_path / "r.json"
    assert output_path(str(tmp_path), "results.json") == tmp_path / "results.json"


def test_results_documents_are_checked_for_their_shape(tmp_path: Path) -> None:
    good = tmp_path / "good.json"
    good.write_text(json.dumps({"scheme": {"id": "s"}, "units": []}), encoding="utf-8")
    assert load_results(good) == {"scheme": {"id": "s"}, "units": []}
    for name, text, code in (("list.json", "[1]", "results_unreadable"), ("deep.json", "[" * 100_000, "results_unreadable")):
        (tmp_path / name).write_text(text, encoding="utf-8")
        with pytest.raises(UsageError) as err:
            load_results(tmp_path / name)
        assert codes(err) == [code]
    with pytest.raises(UsageError) as err:
        load_results(tmp_path / "missing.json")
    assert codes(err) == ["file_not_found"]


def test_assess_file_refuses_a_record_without_a_period_and_finds_a_unit_by_name() -> None:
    with pytest.raises(UsageError) as err:
        assess_file(JIFENZHI, [str(JIFENZHI_DATA)], Context(), record=True)
    assert codes(err) == ["history_needs_period"]
    outcomes = assess_file(JIFENZHI, [str(JIFENZHI_DATA)], Context())
    # 名单.csv: D001 李春梅 is the first row, so position 0 by id and by name alike.
    assert unit_index(outcomes, "D001") == unit_index(outcomes, "李春梅") == 0
    with pytest.raises(UsageError) as err:
        unit_index(outcomes, "X001")  # one letter from D001, two from any other id
    assert codes(err) == ["cli_unknown_unit"] and dict(err.value.problems[0].args)["suggest"] == "D001"


def test_scenario_files_are_found_beside_a_scheme_and_told_from_schemes(tmp_path: Path) -> None:
    tests = JIFENZHI.parent / "tests"
    assert scenario_files([str(JIFENZHI)]) == [tests / "golden.yaml", tests / "month_to_date.yaml", tests / "quotas.yaml"]
    assert scenario_files([str(tests / "golden.yaml")]) == [tests / "golden.yaml"]
    assert has_cases(tests / "golden.yaml") and not has_cases(JIFENZHI) and not has_cases(tmp_path / "missing.yaml")
    with pytest.raises(UsageError) as err:
        scenario_files([str(tmp_path / "missing")])
    assert codes(err) == ["file_not_found"]


def test_a_data_problem_of_a_case_points_at_the_case_s_row(tmp_path: Path) -> None:
    case_file = tmp_path / "case.yaml"
    case_file.write_text(f"scheme: {JIFENZHI}\ncases:\n  - name: one\n    data:\n      名单:\n"
                         "        - {编号: A, 姓名: 甲}\n        - {编号: B, 姓名: 乙}\n    expect: {}\n", encoding="utf-8")
    scenario = load_scenario(case_file)
    # Row 3 of 名单.csv (row 1 is the header) is data.名单[1], the second row, written on line 7.
    problem = Problem.at("missing_key", Location("/tmp/x/名单.csv", line=3, column="姓名"), key="k")
    moved = in_case(problem, scenario, 0)
    assert moved.location.file == str(case_file) and moved.location.line == 7
    # A table the case does not list is named, not guessed at.
    other = in_case(Problem.at("missing_key", Location("/tmp/x/月评分.csv", line=2), key="k"), scenario, 0)
    assert other.location.file == f"{case_file} data.月评分"


def test_a_case_that_cannot_run_is_a_problem_not_an_exception(tmp_path: Path) -> None:
    case_file = tmp_path / "case.yaml"
    case_file.write_text(f"scheme: {JIFENZHI}\ncases:\n  - name: bad\n    earlier: [{{data: {{}}}}]\n    data: {{}}\n    expect: {{}}\n",
                         encoding="utf-8")
    result = check_case(load_scenario(case_file), 0, Context(lang="en"))
    assert not result.passed and result.failures == ()
    assert [p.code for p in result.problems] == ["scenario_bad_case"]
