"""One minimal broken scheme per error: the message, the code and the line number."""

from __future__ import annotations

import pytest

from engine.compiler import check_scheme
from engine.errors import SchemeError
from engine.inherit import load_scheme
from tests.helpers import INVALID, JIFENZHI

# (file, problem code, line, column, fragment of the Chinese text, fragment of the English text)
CASES = [
    ("misspelled_key.yaml", "unknown_key", 11, 5, "是否想写 'formula'", "did you mean 'formula'"),
    ("undeclared_name.yaml", "expr_unknown_name", 11, 14, "'scroe' 未声明", "did you mean 'score'"),
    ("unknown_function.yaml", "expr_unknown_function", 13, 14, "函数 'avrage' 不存在", "does not exist"),
    ("duplicate_key.yaml", "duplicate_key", 12, 5, "第一次在第 10 行", "first on line 10"),
    ("yaml_syntax.yaml", "yaml_syntax", 8, 4, "YAML 语法错误", "YAML syntax error"),
    ("fullwidth_expression.yaml", "expr_fullwidth", 8, 41, "中有中文符号 '（'", "use the ASCII ( instead"),
    ("title_as_name.yaml", "expr_title_not_id", 11, 14, "'月评分' 是输入项的中文名称", "write the input's id in expressions: score"),
    ("number_with_unit.yaml", "number_with_unit", 14, 16, "写 90（百分比按 0–100 写", "write the number only: 90"),
    ("percent_in_expression.yaml", "expr_percent", 8, 49, "'90%' 不能带 %", "write 90"),
    ("fullwidth_colon.yaml", "yaml_fullwidth", 4, 6, "第 4 行用了中文冒号 '：'", "full-width colon"),
    ("text_in_arithmetic.yaml", "expr_type", 11, 14, "实际为文字", "found text"),
    ("not_aggregated.yaml", "expr_not_aggregated", 13, 14, "mean(score)", "aggregate it per unit"),
    ("missing_title.yaml", "missing_key", 1, 1, "缺少必填的键 'title'", "required key 'title'"),
    ("duplicate_id.yaml", "duplicate_id", 12, 9, "编号 'a' 重复", "used twice"),
    ("weights_sum.yaml", "weights_sum", 8, 3, "权重之和为 0.9", "add up to 0.9"),
    ("unknown_unit_type.yaml", "unknown_unit_type", 15, 18, "是否想写 '乡镇'", "undeclared unit type"),
    ("wrong_type.yaml", "wrong_type", 10, 10, "应为数字 或 '不封顶'，实际为 文字 '十分'", "expected a number or '不封顶'"),
    ("many_rules.yaml", "many_rules", 12, 5, "多个计分规则", "several scoring rules"),
    ("no_rule.yaml", "no_rule", 6, 9, "没有计分规则", "no scoring rule"),
    ("unknown_dimension.yaml", "unknown_dimension", 8, 36, "是否想写 'month'", "undeclared dimension"),
    ("condition_not_bool.yaml", "expr_result_type", 12, 13, "应得出是/否", "should give yes/no"),
    ("bad_id.yaml", "bad_pattern", 2, 5, "格式不对", "wrong form"),
    ("expr_syntax.yaml", "expr_syntax", 11, 14, "表达式语法错误", "syntax error"),
]


def _problems(name: str):
    try:
        raw = load_scheme(INVALID / name)
    except SchemeError as err:
        return err.problems
    return check_scheme(raw)[1]


@pytest.mark.parametrize("name, code, line, column, zh, en", CASES, ids=[c[0] for c in CASES])
def test_broken_scheme_is_reported_at_its_line(name: str, code: str, line: int, column: int, zh: str, en: str) -> None:
    problems = [p for p in _problems(name) if p.severity == "error"]
    assert [p.code for p in problems] == [code]
    problem = problems[0]
    assert (problem.location.line, problem.location.column) == (line, column)
    assert problem.location.file.endswith(name)
    assert zh in problem.render("zh")
    assert en in problem.render("en")
    assert "\n  hint: " in problem.render("zh")


def test_every_invalid_fixture_is_in_the_table() -> None:
    on_disk = {p.name for p in INVALID.glob("*.yaml")} - {"band_gap.yaml"}
    assert on_disk == {c[0] for c in CASES}


def test_gaps_and_section_totals_are_warnings_not_errors() -> None:
    scheme, problems = check_scheme(load_scheme(INVALID / "band_gap.yaml"))
    assert scheme is not None
    found = {(p.code, p.location.line) for p in problems}
    # The section declares 15 but its items give 5 + 5 (line 10 is its 'max').
    # The tier bands leave [80, 90) uncovered (line 18 is 'bands:').
    assert found == {("section_total_mismatch", 10), ("band_gap", 18)}
    assert all(p.severity == "warning" for p in problems)
    gap = next(p for p in problems if p.code == "band_gap")
    assert "[80, 90)" in gap.render()


def test_all_errors_are_reported_at_once_in_line_order(tmp_path) -> None:
    text = (INVALID / "misspelled_key.yaml").read_text(encoding="utf-8")
    text = text.replace("title: 拼错的键", "title: 拼错的键\nprecison: 2").replace("type: number}", "type: nmber}")
    path = tmp_path / "many.yaml"
    path.write_text(text, encoding="utf-8")
    problems = check_scheme(load_scheme(path))[1]
    assert [(p.code, p.location.line) for p in problems] == [
        ("unknown_key", 5), ("not_in_enum", 7), ("unknown_key", 12),
    ]


def test_the_bundled_scheme_is_valid_without_warnings() -> None:
    scheme, problems = check_scheme(load_scheme(JIFENZHI))
    assert scheme is not None
    assert problems == ()


def test_overlapping_bands_are_a_warning(tmp_path) -> None:
    path = tmp_path / "overlap.yaml"
    path.write_text(
        "kaohe: 1\nid: t\nversion: 1\ntitle: 重叠\n"
        "inputs:\n  rate: {title: 率, type: percentage}\n"
        "items:\n  - id: a\n    title: 甲\n    max: 5\n    tiers:\n      value: rate\n      bands:\n"
        "        - {ge: 85, points: 5}\n"
        "        - {ge: 80, le: 90, points: 4}\n"
        "        - {lt: 80, points: 0}\n",
        encoding="utf-8",
    )
    scheme, problems = check_scheme(load_scheme(path))
    assert scheme is not None
    # Band 2, [80, 90], overlaps band 1, [85, +∞), between 85 and 90 (line 15 is band 2).
    assert [(p.code, p.location.line, p.severity) for p in problems] == [("band_overlap", 15, "warning")]
    assert "[85, +∞)" in problems[0].render() and "[80, 90]" in problems[0].render()


def test_items_may_be_left_out_only_by_a_classification_scheme() -> None:
    from engine.loader import load_scheme_text

    head = "kaohe: 1\nid: t\nversion: 1\ntitle: 分类\ninputs:\n  kind: {title: 类别, type: category, values: [弱, 无]}\n"
    scheme, problems = check_scheme(load_scheme_text(head + "actions:\n  - {id: help, title: 帮扶, when: \"kind == '弱'\"}\n", "c.yaml"))
    assert scheme is not None and scheme.parts == () and [p for p in problems if p.severity == "error"] == []
    # With neither items nor actions there is nothing to decide: 'items' is still required.
    scheme, problems = check_scheme(load_scheme_text(head, "c.yaml"))
    assert scheme is None and [p.code for p in problems] == ["missing_key"]
