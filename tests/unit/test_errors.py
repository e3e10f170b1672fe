"""Problems as data (engine.errors): a location renders as file:line:col and YAML path (or
file[sheet]:row and column), a problem adds its message and hint in Chinese or English,
errors carry all their problems in reading order."""

from __future__ import annotations

import pickle

import pytest

from engine.context import Context
from engine.errors import DataError, EvaluationError, KaoheError, Location, Problem, SchemeError, UsageError, sorted_problems
from engine.messages import Text

SCHEME_PLACE = Location("方案.yaml", 3, 5, "$.items[0]")
MISSING_TITLE = Problem.at("missing_key", SCHEME_PLACE, key="title")


def test_a_scheme_location_renders_file_line_column_and_path() -> None:
    assert SCHEME_PLACE.render() == "方案.yaml:3:5: $.items[0]"
    assert Location("方案.yaml", 3).render() == "方案.yaml:3"  # no column, no path
    assert Location("方案.yaml", path="$.title").render() == "方案.yaml: $.title"  # no line: no column either


def test_a_data_location_renders_file_sheet_row_and_column_header() -> None:
    assert Location("名单.xlsx", 7, "得分", sheet="一月").render() == "名单.xlsx[一月]:7: [得分]"
    assert Location("名单.csv", 2, "编号").render() == "名单.csv:2: [编号]"


def test_a_location_without_a_file_is_the_command_line() -> None:
    assert Location("", path="$.params.w").render() == "<命令行>: $.params.w"
    assert Location("", path="$.params.w").render("en") == "<command line>: $.params.w"
    assert Location("").render(Context(lang="en")) == "<command line>"


def test_a_problem_renders_its_message_and_hint_in_chinese_by_default() -> None:
    assert MISSING_TITLE.render() == "方案.yaml:3:5: $.items[0]: 缺少必填的键 'title'\n  hint: 在此处加上 'title:'（见 docs/scheme-language.md）。"
    assert MISSING_TITLE.message() == ("缺少必填的键 'title'", "在此处加上 'title:'（见 docs/scheme-language.md）。")


def test_a_problem_renders_in_english() -> None:
    english = "方案.yaml:3:5: $.items[0]: required key 'title' is missing\n  hint: add 'title:' here (see docs/scheme-language.md)."
    assert MISSING_TITLE.render("en") == english
    assert MISSING_TITLE.render(Context(lang="en")) == english


def test_a_text_argument_is_chosen_by_language_and_a_warning_says_so() -> None:
    problem = Problem.at("data_out_of_range", Location("名单.csv", 4, "得分"), "warning",
                         input=Text("得分", "score"), found="120", lo="0", hi="100")
    assert problem.render() == "名单.csv:4: [得分]: 警告: 输入项 得分: 120 超出范围 [0, 100]\n  hint: 核对原始记录；方案规定的范围是 0 到 100。"
    assert problem.render("en") == ("名单.csv:4: [得分]: warning: input score: 120 is outside [0, 100]\n"
                                    "  hint: check the source record; the scheme allows 0 to 100.")


def test_at_keeps_arguments_sorted_by_name() -> None:
    problem = Problem.at("data_out_of_range", SCHEME_PLACE, lo="0", hi="100", found="120", input="x")
    assert problem.args == (("found", "120"), ("hi", "100"), ("input", "x"), ("lo", "0"))
    assert problem.severity == "error"
    # the same arguments in another order are the same problem
    assert problem == Problem.at("data_out_of_range", SCHEME_PLACE, input="x", found="120", hi="100", lo="0")


def test_problems_are_sorted_by_file_sheet_line_and_column_and_deduplicated() -> None:
    a_line_9 = Problem.at("missing_key", Location("a.yaml", 9, 1), key="x")
    a_line_10 = Problem.at("missing_key", Location("a.yaml", 10, 1), key="x")  # 10 after 9 (numbers, not text)
    a_no_line = Problem.at("missing_key", Location("a.yaml"), key="y")  # no line sorts as line 0: first in a.yaml
    b_col_2 = Problem.at("missing_key", Location("b.csv", 2, "乙"), key="x")
    b_sheet = Problem.at("missing_key", Location("b.csv", 1, "甲", sheet="s"), key="x")  # a sheet after none
    tie_1 = Problem.at("missing_key", Location("c.yaml", 1, 1), key="first")
    tie_2 = Problem.at("missing_key", Location("c.yaml", 1, 1), key="second")  # same place and code: found order kept
    found = [tie_1, b_sheet, a_line_10, tie_2, b_col_2, a_line_9, a_no_line, a_line_9]
    assert sorted_problems(found) == (a_no_line, a_line_9, a_line_10, b_col_2, b_sheet, tie_1, tie_2)


def test_an_error_carries_its_problems_sorted_and_renders_them() -> None:
    later = Problem.at("missing_key", Location("方案.yaml", 8, 3, "$.items[1]"), key="max")
    error = SchemeError([later, MISSING_TITLE])
    assert error.problems == (MISSING_TITLE, later)
    assert error.render() == MISSING_TITLE.render() + "\n" + later.render()
    # its own text (a traceback's last line, a log) is in English
    assert str(error) == MISSING_TITLE.render("en") + "\n" + later.render("en")
    assert error.render(Context(lang="en")) == str(error)


def test_an_error_survives_pickling() -> None:
    error = DataError([MISSING_TITLE])
    again = pickle.loads(pickle.dumps(error))
    assert type(again) is DataError and again.problems == error.problems


@pytest.mark.parametrize("kind", [SchemeError, DataError, EvaluationError, UsageError])
def test_every_error_kind_is_a_kaohe_error(kind: type[KaoheError]) -> None:
    with pytest.raises(KaoheError):
        raise kind([MISSING_TITLE])
