"""Hostile and malformed schemes: each is one located problem, never a
traceback or a hang (issue 12). Limits are in docs/limits.md."""

from __future__ import annotations

import time
import typing as t
from pathlib import Path

import pytest

from engine.cli import main
from engine.compiler import check_scheme
from engine.errors import SchemeError
from engine.inherit import load_scheme
from engine.loader import MAX_SCHEME_BYTES, MAX_YAML_DEPTH, MAX_YAML_NODES, load_scheme_text

BASE = """\
kaohe: 1
id: t
version: 1
title: 测试
inputs:
  a: {title: 甲, type: number, range: [0, 100]}
  v: {title: 测评, type: number, per: rater}
dimensions:
  rater: {title: 测评人}
items:
  - {id: i1, title: 项目一, max: 10, formula: "a / 10"}
  - {id: i2, title: 项目二, max: 10, formula: "trimmed_mean(v) / 10"}
grades:
  - id: g
    title: 等次
    bands:
      - {ge: 15, value: 优秀}
      - {lt: 15, value: 一般}
"""


def problems_of(text: str) -> list[t.Any]:
    """The problems loading and checking ``text`` gives (none when it is valid)."""
    try:
        raw = load_scheme_text(text, "s.yaml")
    except SchemeError as err:
        return list(err.problems)
    _, problems = check_scheme(raw)
    return [p for p in problems if p.severity == "error"]


def only(text: str) -> t.Any:
    found = problems_of(text)
    assert len(found) == 1, [p.render("en") for p in found]
    return found[0]


def test_the_base_scheme_is_valid() -> None:
    assert problems_of(BASE) == []


# -- loading YAML ---------------------------------------------------------------

@pytest.mark.parametrize("char, name", [("\x07", "BEL"), ("\x00", "NUL"), ("\x0c", "form feed"), ("\x1b", "ESC"), ("\x7f", "DEL")])
def test_a_control_character_is_named_at_its_line_and_column(char: str, name: str) -> None:
    problem = only(BASE.replace("项目一", f"项目{char}一"))
    assert problem.code == "yaml_control_char"
    assert (problem.location.line, problem.location.column) == (11, 23)
    text, _ = problem.message("en")
    assert f"U+{ord(char):04X}" in text and name in text


def test_a_tab_inside_a_value_is_still_allowed() -> None:
    assert problems_of(BASE.replace("title: 测试", "title: \"测\t试\"")) == []


@pytest.mark.parametrize("escape", ["\\a", "\\x07", "\\0"])
def test_a_control_character_written_as_an_escape_is_refused_at_the_string(escape: str) -> None:
    problem = only(BASE.replace("title: 测试", f'title: "测{escape}试"'))
    assert problem.code == "yaml_control_char"
    assert (problem.location.line, problem.location.path) == (4, "$.title")


def test_a_lone_surrogate_is_refused_before_it_reaches_any_output() -> None:
    problem = only(BASE.replace("title: 测试", 'title: "\\ud800"'))
    assert problem.code == "yaml_surrogate"
    assert (problem.location.line, problem.location.column, problem.location.path) == (4, 8, "$.title")
    assert "U+D800" in problem.message("en")[0]


@pytest.mark.parametrize("tagged, tag, path", [
    ("title: !!python/name:os.system", "!!python/name:os.system", "$.title"),
    ("title: !foo bar", "!foo", "$.title"),
    ("title: !!binary aGVsbG8=", "!!binary", "$.title"),
    ("title: !!python/object/apply:os.system [ls]", "!!python/object/apply:os.system", "$.title"),
])
def test_unknown_and_unsafe_tags_are_refused_by_name(tagged: str, tag: str, path: str) -> None:
    problem = only(BASE.replace("title: 测试", tagged))
    assert problem.code == "yaml_tag"
    assert dict(problem.args)["tag"] == tag
    assert (problem.location.line, problem.location.path) == (4, path)


def test_tags_on_mappings_and_lists_are_not_silently_dropped() -> None:
    problem = only(BASE.replace("range: [0, 100]", "range: !bar [0, 100]"))
    assert problem.code == "yaml_tag" and problem.location.path == "$.inputs.a.range"
    problem = only(BASE.replace("dimensions:\n", "dimensions: !!omap\n"))
    assert problem.code == "yaml_tag" and problem.location.path == "$.dimensions"


def test_the_plain_tags_still_work() -> None:
    # !!str is another way to quote; !!int / !!float on good values change nothing.
    assert problems_of(BASE.replace("title: 测试", "title: !!str 测试").replace("max: 10,", "max: !!int 10,")) == []


def test_an_impossible_date_is_a_located_error() -> None:
    problem = only(BASE.replace("version: 1", "version: 2024-02-30"))
    assert problem.code == "yaml_bad_date"
    assert (problem.location.line, problem.location.column, problem.location.path) == (3, 10, "$.version")


@pytest.mark.parametrize("value", ["!!int abc", "!!float abc", "!!bool abc", "!!timestamp abc"])
def test_a_tagged_non_value_is_a_located_error(value: str) -> None:
    problem = only(BASE.replace("max: 10, formula: \"a / 10\"", f"max: {value}, formula: \"a / 10\""))
    assert problem.code == "yaml_bad_value"
    assert problem.location.path == "$.items[0].max" and problem.location.line == 11


def test_a_huge_hex_integer_is_not_finite_rather_than_unprintable() -> None:
    problem = only(BASE.replace("max: 10,", "max: 0x" + "f" * 5000 + ",", 1))
    assert problem.code == "not_finite" and problem.location.path == "$.items[0].max"


def test_a_bad_merge_key_is_a_located_error() -> None:
    problem = only(BASE + "note: {<<: 1}\n")
    assert problem.code == "yaml_syntax" and problem.location.line == 19


def test_a_complex_key_is_refused() -> None:
    problem = only(BASE + "? [a, b]\n: 1\n")
    assert problem.code == "yaml_complex_key" and problem.location.line == 19


def test_nesting_beyond_the_limit_is_refused_before_recursion() -> None:
    deep = BASE + "note: " + "[" * 500 + "]" * 500 + "\n"
    problem = only(deep)
    assert problem.code == "yaml_too_deep" and problem.location.line == 19
    assert problems_of(BASE + "note: " + "[" * (MAX_YAML_DEPTH - 1) + "]" * (MAX_YAML_DEPTH - 1) + "\n")[0].code != "yaml_too_deep"


def test_aliases_count_at_their_expanded_depth() -> None:
    text = "a0: &a0 " + "[" * 40 + "]" * 40 + "\na1: &a1 " + "[" * 30 + "*a0" + "]" * 30 + "\n"
    assert only(text).code == "yaml_too_deep"


def test_billion_laughs_fails_fast() -> None:
    laughs = "a0: &a0 [x]\n" + "".join(
        f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]\n" for i in range(1, 8)
    )
    start = time.perf_counter()
    problem = only(laughs + BASE)
    assert time.perf_counter() - start < 1
    assert problem.code == "yaml_too_many_nodes" and problem.location.line == 6


def test_a_recursive_alias_is_refused() -> None:
    problem = only(BASE + "note: &x [1, *x]\n")
    assert problem.code == "yaml_recursive_alias" and problem.location.line == 19


def test_too_many_values_are_refused_before_building() -> None:
    text = BASE + "note: [" + "0," * MAX_YAML_NODES + "]\n"
    start = time.perf_counter()
    problem = only(text)
    assert time.perf_counter() - start < 2
    assert problem.code == "yaml_too_many_nodes"


def test_a_file_beyond_the_size_limit_is_refused_unread(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    with big.open("w", encoding="utf-8") as handle:
        handle.write(BASE)
        handle.write("#" * MAX_SCHEME_BYTES)
    start = time.perf_counter()
    with pytest.raises(SchemeError) as caught:
        load_scheme(big)
    assert time.perf_counter() - start < 1
    (problem,) = caught.value.problems
    assert problem.code == "scheme_too_large" and problem.location.file == str(big)


def test_a_gbk_file_is_told_to_be_saved_as_utf8(tmp_path: Path) -> None:
    gbk = tmp_path / "gbk.yaml"
    gbk.write_bytes(BASE.encode("gbk"))
    with pytest.raises(SchemeError) as caught:
        load_scheme(gbk)
    (problem,) = caught.value.problems
    assert problem.code == "file_not_utf8"
    assert (problem.location.line, problem.location.column) == (4, 8)
    message, hint = problem.message("en")
    assert "GBK" in message and "UTF-8" in hint


# -- the command line: exit 1, a located message, no traceback ------------------------

CLI_CASES = {
    "bel": BASE.replace("项目一", "项目\x07一"),
    "tag": BASE.replace("title: 测试", "title: !!python/name:os.system"),
    "date": BASE.replace("version: 1", "version: 2024-02-30"),
    "surrogate": BASE.replace("title: 测试", 'title: "\\ud800"'),
    "laughs": "a0: &a0 [x]\n" + "".join(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]\n" for i in range(1, 8)) + BASE,
    "deep": BASE + "note: " + "[" * 500 + "]" * 500 + "\n",
    "int_abc": BASE.replace("max: 10,", "max: !!int abc,", 1),
    "power": BASE.replace('formula: "a / 10"', 'formula: "9**9**9"'),
    "invert": BASE.replace('formula: "a / 10"', 'formula: "~a"'),
    "long_sum": BASE.replace('formula: "a / 10"', 'formula: "' + " + ".join(["a"] * 300) + '"'),
    "round": BASE.replace('formula: "a / 10"', 'formula: "round(a, 400)"'),
}


@pytest.mark.parametrize("case", sorted(CLI_CASES))
@pytest.mark.parametrize("command", ["validate", "run", "report"])
def test_the_cli_says_where_and_exits_1(case: str, command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    scheme = tmp_path / "s.yaml"
    scheme.write_text(CLI_CASES[case], encoding="utf-8", errors="surrogatepass")
    data = tmp_path / "data"
    data.mkdir()
    (data / "名单.csv").write_text("编号,名称,甲\nU1,一,50\n", encoding="utf-8")
    args = [command, str(scheme)] + ([] if command == "validate" else ["--data", str(data)])
    if command == "report":
        args += ["--out", str(tmp_path / "out")]
    assert main(args) == 1
    err = capsys.readouterr().err
    assert f"{scheme}:" in err and "Traceback" not in err
    assert not (tmp_path / "out").exists()


def test_every_refusal_is_a_kaohe_error() -> None:
    for text in CLI_CASES.values():
        assert problems_of(text), text[:80]


# -- numbers and expressions --------------------------------------------------------

def formula(expr: str) -> str:
    return BASE.replace('formula: "a / 10"', f'formula: "{expr}"')


@pytest.mark.parametrize("expr, part", [
    ("9**9**9", "9**9**9"), ("10**400", "10**400"), ("2**1024", "2**1024"), ("2.0**1024", "2.0**1024"),
    ("a + 10**400 * 0", "10**400"), ("(-8) ** 0.5", "(-8) ** 0.5"), ("where(10**400 > 1, a, 0)", "10**400"),
])
def test_a_constant_part_that_is_not_finite_is_a_compile_error(expr: str, part: str) -> None:
    problem = only(formula(expr))
    assert problem.code == "expr_constant_not_finite"
    assert dict(problem.args)["found"] == part
    assert (problem.location.line, problem.location.path) == (11, "$.items[0].formula")


def test_a_huge_power_of_a_param_is_an_evaluation_error_not_an_overflow() -> None:
    from engine.errors import EvaluationError
    from tests.helpers import outcomes_of

    with pytest.raises(EvaluationError) as caught:
        outcomes_of("""
params:
  p: {title: 底数, value: 10}
inputs:
  a: {title: 甲, type: number}
items:
  - {id: i1, title: 项目一, max: 10, formula: "a + p ** 400"}
""", {"a": [1.0, 2.0]})
    assert caught.value.problems[0].location.path == "$.items[0]"


def test_bitwise_invert_is_refused_at_compile_time() -> None:
    problem = only(formula("~a"))
    assert problem.code == "expr_not_allowed" and problem.location.path == "$.items[0].formula"
    assert "'~'" in problem.message("en")[0]


@pytest.mark.parametrize("expr, code", [
    ("round(a, 400)", "expr_int_argument"), ("round(a, 11)", "expr_int_argument"), ("round(a, True)", "expr_type"),
])
def test_round_digits_are_bounded(expr: str, code: str) -> None:
    assert only(formula(expr)).code == code


def test_round_to_the_largest_allowed_digits_still_works() -> None:
    assert problems_of(formula("round(a, 10) / 10")) == []


@pytest.mark.parametrize("k, code", [("100000000000000000000", "expr_int_argument"), ("1001", "expr_int_argument"), ("True", "expr_type")])
def test_trimmed_mean_count_is_bounded(k: str, code: str) -> None:
    problem = only(BASE.replace("trimmed_mean(v)", f"trimmed_mean(v, {k})"))
    assert problem.code == code and problem.location.path == "$.items[1].formula"


@pytest.mark.parametrize("expr", [
    " + ".join(["a"] * 300), "-" * 500 + "a", "where(" + "not " * 500 + "a > 1, 1, 0)", "abs(" * 150 + "a" + ")" * 150,
    "where(" + " and ".join(["a > 1"] * 150) + ", 1, 0)", "a" + "+a" * 1999,
])
def test_deep_expressions_are_refused_instead_of_recursing(expr: str) -> None:
    problem = only(formula(expr))
    assert problem.code == "expr_too_deep" and problem.location.path == "$.items[0].formula"


def test_a_long_expression_is_refused() -> None:
    assert only(formula("a" + " + 1" * 2000)).code == "expr_too_long"


@pytest.mark.parametrize("expr", ['""', '"   "'])
def test_an_empty_expression_says_so(expr: str) -> None:
    problem = only(BASE.replace('formula: "a / 10"', f"formula: {expr}"))
    assert problem.code == "expr_empty" and problem.location.path == "$.items[0].formula"


def test_a_sum_at_the_depth_limit_is_computed_and_explained(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from engine.expressions import MAX_EXPRESSION_DEPTH

    terms = MAX_EXPRESSION_DEPTH - 2  # a chain of n terms is n levels (and one for the division)
    text = formula("(" + " + ".join(["a"] * terms) + f") / {terms * 10}")
    assert problems_of(text) == []
    scheme = tmp_path / "s.yaml"
    scheme.write_text(text, encoding="utf-8")
    data = tmp_path / "data"
    data.mkdir()
    (data / "名单.csv").write_text("编号,名称,甲\nU1,一,50\n", encoding="utf-8")
    (data / "测评人.csv").write_text("编号,测评人,测评\nU1,r1,80\nU1,r2,90\nU1,r3,70\n", encoding="utf-8")
    assert main(["explain", str(scheme), "--data", str(data), "--unit", "U1"]) == 0
    assert "Traceback" not in capsys.readouterr().err


SCORE_BODY = """
inputs:
  a: {title: 甲, type: number}
  v: {title: 月分, type: number, per: month}
dimensions:
  month: {title: 月份}
"""


@pytest.mark.parametrize("body, check", [
    ("items:\n  - {id: i1, title: 一, max: 10, formula: a}\nvetoes:\n  - {id: vv, title: 否决, when: \"where(True, True, False)\"}\n",
     lambda out: out.results.vetoes["vv"].tolist() == [True, True]),
    ("items:\n  - {id: i1, title: 一, max: 10, formula: a}\nvetoes:\n  - {id: vv, title: 否决, when: \"True if 1 > 2 else False\"}\n",
     lambda out: out.results.vetoes["vv"].tolist() == [False, False]),
    ("items:\n  - {id: i1, title: 一, max: 10, formula: \"round(2.5)\"}\n", lambda out: out.results.scores["i1"].tolist() == [3.0, 3.0]),
    ("items:\n  - {id: i1, title: 一, max: 10, formula: \"where(True, 1, 2)\"}\n", lambda out: out.results.scores["i1"].tolist() == [1.0, 1.0]),
    ("items:\n  - {id: i1, title: 一, max: 10, formula: \"sum(v * where(True, 1, 2))\"}\n", lambda out: out.results.scores["i1"].tolist() == [3.0, 7.0]),
    ("items:\n  - id: i1\n    title: 一\n    max: 10\n    tiers:\n      value: \"where(True, 95, 0)\"\n      bands:\n        - {ge: 90, points: 5}\n        - {lt: 90, points: 0}\n",
     lambda out: out.results.scores["i1"].tolist() == [5.0, 5.0]),
    ("items:\n  - {id: i1, title: 一, max: 10, formula: a}\ngrades:\n  - id: g\n    title: 等次\n    of: \"round(where(True, 3.3, 0))\"\n    bands:\n      - {ge: 3, value: 好}\n      - {lt: 3, value: 差}\n",
     lambda out: list(out.grades["g"]) == ["好", "好"]),
])
def test_constant_expressions_anywhere_are_full_columns(body: str, check: t.Callable[[t.Any], bool]) -> None:
    import numpy as np

    from tests.helpers import outcomes_of

    out = outcomes_of(SCORE_BODY + body, {"a": [1.0, 2.0], "v": np.array([[1.0, 2.0], [3.0, 4.0]])})
    assert check(out)


# -- extends: add / remove / override --------------------------------------------------

@pytest.mark.parametrize("changes, code, path", [
    ("items: {}\nadd: [{to: items, item: {id: n1, title: 新, max: 1, formula: a}}]\n", "extends_not_a_list", "$.add[0].to"),
    ("grades: {}\nadd: [{to: grades, item: {id: n1}}]\n", "extends_not_a_list", "$.add[0].to"),
    ("add: [{to: [items], item: {id: n1, title: 新, max: 1, formula: a}}]\n", "wrong_type", "$.add[0].to"),
    ("add: [{to: {a: 1}, item: {id: n1}}]\n", "wrong_type", "$.add[0].to"),
    ("add: [{to: null, item: {id: n1}}]\n", "wrong_type", "$.add[0].to"),
    ("add: [{to: items, after: [i1], item: {id: n1, title: 新, max: 1, formula: a}}]\n", "wrong_type", "$.add[0].after"),
    ("add: [{to: items, before: {id: i1}, item: {id: n1, title: 新, max: 1, formula: a}}]\n", "wrong_type", "$.add[0].before"),
    ("remove: [{id: i1}]\n", "wrong_type", "$.remove[0]"),
    ("remove: [[i1]]\n", "wrong_type", "$.remove[0]"),
    ("remove: [null]\n", "wrong_type", "$.remove[0]"),
    ("override: [i1]\n", "wrong_type", "$.override"),
    ("override: {i1: [max, 3]}\n", "wrong_type", "$.override.i1"),
    ("override: {i1: null}\n", "wrong_type", "$.override.i1"),
    ("override: {1: {max: 3}}\n", "extends_unknown_id", "$.override.1"),
])
def test_malformed_changes_in_a_child_are_located_errors(changes: str, code: str, path: str, tmp_path: Path) -> None:
    (tmp_path / "schemes" / "p").mkdir(parents=True)
    (tmp_path / "schemes" / "c").mkdir()
    (tmp_path / "schemes" / "p" / "p.yaml").write_text(BASE, encoding="utf-8")
    child = tmp_path / "schemes" / "c" / "c.yaml"
    child.write_text("extends: ../p/p.yaml\nid: c\n" + changes, encoding="utf-8")
    with pytest.raises(SchemeError) as caught:
        load_scheme(child)
    (problem,) = caught.value.problems
    assert (problem.code, problem.location.path, problem.location.file) == (code, path, str(child))
    assert problem.location.line is not None and problem.location.line >= 3


def test_an_endless_extends_chain_is_refused(tmp_path: Path) -> None:
    from engine.inherit import MAX_EXTENDS_CHAIN

    folder = tmp_path / "schemes" / "s"
    folder.mkdir(parents=True)
    (folder / "s0.yaml").write_text(BASE, encoding="utf-8")
    for i in range(1, MAX_EXTENDS_CHAIN + 2):
        (folder / f"s{i}.yaml").write_text(f"extends: s{i - 1}.yaml\nid: s{i}\n", encoding="utf-8")
    load_scheme(folder / f"s{MAX_EXTENDS_CHAIN - 1}.yaml")
    with pytest.raises(SchemeError) as caught:
        load_scheme(folder / f"s{MAX_EXTENDS_CHAIN + 1}.yaml")
    assert [p.code for p in caught.value.problems] == ["extends_chain_too_long"]


# -- --set and --sweep values ---------------------------------------------------------

@pytest.mark.parametrize("value, code", [
    ("2024-02-30", "yaml_bad_date"), ("!!python/name:os.system", "yaml_tag"), ('"\\ud800"', "yaml_surrogate"),
    ('"a\\x07"', "yaml_control_char"), ("[" * 100, "yaml_too_deep"),
])
def test_a_bad_set_value_is_a_usage_error_at_its_path(value: str, code: str) -> None:
    from engine.errors import UsageError
    from engine.overrides import parse_assignment

    with pytest.raises(UsageError) as caught:
        parse_assignment(f"i1.max={value}")
    (problem,) = caught.value.problems
    assert (problem.code, problem.location.file, problem.location.path) == (code, "--set", "i1.max")


def test_set_values_are_still_read_as_yaml_or_text() -> None:
    from engine.overrides import parse_assignment

    assert parse_assignment("a.b=0.7") == ("a.b", 0.7)
    assert parse_assignment("a.b=abc") == ("a.b", "abc")
    assert parse_assignment("a.b=[1, 2") == ("a.b", "[1, 2")  # not YAML: the text as typed
    assert parse_assignment("a.b=") == ("a.b", "")


def test_a_set_integer_beyond_float_range_is_located() -> None:
    from engine.overrides import apply_overrides

    raw = apply_overrides(load_scheme_text(BASE, "s.yaml"), ["i1.max=" + "9" * 400])
    scheme, problems = check_scheme(raw)
    assert scheme is None
    assert [(p.code, p.location.path) for p in problems] == [("not_finite", "$.items[0].max")]


@pytest.mark.parametrize("sweep", ["x=1e400:1e400:1", "x=NaN:1:0.1", "x=1:inf:1", "x=0:1:1e-400", "x=1:2:0", "x=0:1e20:1e18"])
def test_a_sweep_that_cannot_advance_is_refused(sweep: str) -> None:
    from engine.errors import UsageError
    from engine.overrides import sweep_values

    start = time.perf_counter()
    with pytest.raises(UsageError) as caught:
        sweep_values(sweep)
    assert time.perf_counter() - start < 1
    assert [p.code for p in caught.value.problems] == ["sweep_syntax"]


def test_the_cli_refuses_a_bad_set_value(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    scheme = tmp_path / "s.yaml"
    scheme.write_text(BASE, encoding="utf-8")
    data = tmp_path / "data"
    data.mkdir()
    (data / "名单.csv").write_text("编号,名称,甲\nU1,一,50\n", encoding="utf-8")
    assert main(["diff", str(scheme), "--data", str(data), "--set", "version=2024-02-30"]) == 1
    err = capsys.readouterr().err
    assert "--set" in err and "version" in err and "Traceback" not in err


def test_lower_case_true_and_false_evaluate_like_yaml_writes_them() -> None:
    from tests.helpers import outcomes_of

    out = outcomes_of("""
inputs:
  a: {title: 甲, type: number}
items:
  - {id: i1, title: 一, max: 10, formula: "where(false, 1, a)"}
vetoes:
  - {id: vv, title: 否决, when: "true and a > 1"}
""", {"a": [1.0, 2.0]})
    assert out.results.scores["i1"].tolist() == [1.0, 2.0]
    assert out.results.vetoes["vv"].tolist() == [False, True]


def test_an_overflowing_deduction_is_reported_without_numpy_warnings(recwarn: pytest.WarningsRecorder) -> None:
    from engine.errors import EvaluationError
    from tests.helpers import outcomes_of

    with pytest.raises(EvaluationError):
        outcomes_of("""
inputs:
  n: {title: 次数, type: count}
items:
  - id: a
    title: 甲
    max: 10
    deductions:
      clauses:
        - {title: 每次, per: 1000, count: "n * 1e308"}
""", {"n": [2.0, 3.0]})
    assert not [w for w in recwarn if issubclass(w.category, RuntimeWarning)]


@pytest.mark.parametrize("extra, path", [
    ("rankings:\n  - {id: r, title: 排名, tiers: [{label: 先进, count: 9223372036854775808}]}\n", "$.rankings[0].tiers[0].count"),
    ("rankings:\n  - {id: r, title: 排名, min_group: 9223372036854775808, tiers: [{label: 先进, count: 1}]}\n", "$.rankings[0].min_group"),
])
def test_huge_ranking_counts_are_out_of_bounds_not_a_c_long_overflow(extra: str, path: str) -> None:
    problem = only(BASE + extra)
    assert (problem.code, problem.location.path) == ("out_of_bounds", path)


def test_a_date_where_text_is_expected_says_to_quote_it() -> None:
    problem = only(BASE.replace("id: t\n", "id: 2024-01-01\n"))
    assert problem.code == "wrong_type" and problem.location.path == "$.id"
    assert "quote" in problem.message("en")[0]


def test_a_binary_file_is_refused_quickly_with_a_few_lines_listed() -> None:
    junk = BASE + "\x01\x02" * 200_000 + "\n" + "\x00\n" * 50
    start = time.perf_counter()
    with pytest.raises(SchemeError) as caught:
        load_scheme_text(junk, "s.yaml")
    assert time.perf_counter() - start < 1
    problems = caught.value.problems
    assert {p.code for p in problems} == {"yaml_control_char"} and 1 < len(problems) <= 10
    assert (problems[0].location.line, problems[0].location.column) == (19, 1)


def test_an_integer_literal_beyond_int64_is_a_number_not_a_crash() -> None:
    # Found by tests/test_fuzz.py: the compile-time finiteness check met a
    # Python int that numpy cannot hold and raised TypeError.
    from engine.compiler import check_scheme
    from engine.loader import load_scheme_text

    for literal, codes in (("-9223372036854775809", []), ("9223372036854775809 * 2", []), ("-(10**400)", ["expr_constant_not_finite"])):
        text = ("kaohe: 1\nid: t\nversion: 1\ntitle: t\ninputs:\n  x: {title: x, type: number, range: [0, 10]}\n"
                f"items:\n  - {{id: a, title: a, max: 10, formula: \"x + {literal}\"}}\n")
        _, problems = check_scheme(load_scheme_text(text, "t.yaml"))
        assert [p.code for p in problems if p.severity == "error"] == codes, literal


def test_what_the_long_fuzz_run_found(tmp_path: Path) -> None:
    # make fuzz, 2026-12-02: three crashes, each now a number or a located error.
    from engine.context import Context
    from engine.errors import DataError
    from engine.numbers import format_score
    from engine.pipeline import assess, load
    from tests.helpers import ROOT, outcomes_of

    # 1. An int64-overflowing literal inside where(): OverflowError in np.where.
    outcomes = outcomes_of("inputs:\n  x: {title: x, type: number, range: [0, 10]}\nitems:\n"
                           "  - {id: a, title: a, max: 10, min: 不设下限, formula: \"(-9223372036854775809 if x > 1 else 0)\"}\n",
                           {"x": [0.0, 5.0]})
    assert outcomes.results.scores["a"].tolist() == [0.0, float(-9223372036854775809)]  # no floor: the float64 of the literal
    # 2. A score of -1e26 printed at 2 decimals: decimal.InvalidOperation (28 digits of context).
    assert format_score(-1e26, 2) == "-100000000000000000000000000.00"  # repr(-1e26) is -1e+26
    assert format_score(1e300, 2).endswith(".00") and len(format_score(1e300, 2)) == 304
    # 3. Two units whose id is a NUL byte: IndexError looking up the first (numpy drops trailing NULs).
    data = tmp_path / "data"
    source = ROOT / "schemes" / "weisheng-ting" / "data"
    data.mkdir()
    for f in source.iterdir():
        (data / f.name).write_bytes(f.read_bytes())
    units = (data / "厅直单位.csv").read_bytes().decode("gbk").splitlines()
    units[1] = "\x00," + units[1].split(",", 1)[1]
    units[2] = "\x00," + units[2].split(",", 1)[1]
    (data / "厅直单位.csv").write_bytes(("\r\n".join(units) + "\r\n").encode("gbk"))
    context = Context()
    with pytest.raises(DataError) as caught:
        assess(load(ROOT / "schemes" / "weisheng-ting" / "weisheng-ting.yaml", context), [data], context)
    assert all(p.location.file.endswith("厅直单位.csv") and p.location.line for p in caught.value.problems)


def test_points_beyond_a_billion_are_refused() -> None:
    # Found by make fuzz: a section with max -1.8e300 summed to -inf and broke the CSV writer.
    text = ("kaohe: 1\nid: t\nversion: 1\ntitle: t\ninputs:\n  x: {title: x, type: number, range: [0, 10]}\n"
            "items:\n  - id: s\n    title: s\n    max: -1.7976931348623156e+300\n    items:\n      - {id: a, title: a, max: 10, formula: x}\n")
    _, problems = check_scheme(load_scheme_text(text, "t.yaml"))
    assert [(p.code, p.location.line) for p in problems if p.severity == "error"] == [("points_too_large", 10)]


def test_a_constant_condition_between_a_unit_and_a_rater_value() -> None:
    # Found by make fuzz (2026-12-02): "(max(mean(vote) if True else vote))" — a constant condition
    # choosing between a per-unit value (8,) and a per-rater one (8, 4) — made np.where raise.
    # The chosen branch is spread over the raters: max over the raters of one unit's mean is that mean.
    from tests.helpers import outcomes_of

    outcomes = outcomes_of("dimensions:\n  rater: {title: 测评人, values: [1, 2]}\n"
                           "inputs:\n  vote: {title: 测评分, type: number, range: [0, 100], per: rater}\n"
                           "items:\n  - {id: a, title: a, max: 100, formula: \"max(mean(vote) if True else vote)\"}\n"
                           "  - {id: b, title: b, max: 100, formula: \"max(mean(vote) if False else vote)\"}\n",
                           {"vote": [[90.0, 70.0], [80.0, 60.0]]})
    assert outcomes.results.scores["a"].tolist() == [80.0, 70.0]  # (90 + 70) / 2, (80 + 60) / 2
    assert outcomes.results.scores["b"].tolist() == [90.0, 80.0]  # the raters' highest
