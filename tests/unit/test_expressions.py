"""Expressions: compile-time checks and column-wise evaluation."""

from __future__ import annotations

import numpy as np
import pytest

from engine.errors import Location
from engine.expressions import BOOL, NUMBER, ColumnEvaluator, ValueType, compile_expression

NAMES = {
    "x": NUMBER,
    "y": NUMBER,
    "ok": BOOL,
    "kind": ValueType("text"),
    "monthly": ValueType("number", "month"),
    "votes": ValueType("number", "rater"),
    "flag": ValueType("bool", "rater"),
}
HERE = Location("t.yaml", 3, 5, "$.items[0].formula")


def compiled(source: str, expect: ValueType = NUMBER):
    expression, problems = compile_expression(source, NAMES, HERE, expect=expect, what="test")
    assert problems == [], [p.render("en") for p in problems]
    assert expression is not None
    return expression


def problem_codes(source: str, expect: ValueType = NUMBER) -> list[str]:
    _, problems = compile_expression(source, NAMES, HERE, expect=expect, what="test")
    return [p.code for p in problems]


class TestCompileErrors:
    @pytest.mark.parametrize("source, code", [
        ("z + 1", "expr_unknown_name"),
        ("average(monthly)", "expr_unknown_function"),
        ("kind * 2", "expr_type"),
        ("ok + 1", "expr_type"),
        ("kind > 3", "expr_type"),
        ("monthly * 2", "expr_not_aggregated"),
        ("mean(x)", "expr_type"),
        ("mean(monthly) + mean(votes) + monthly[0]", "expr_not_allowed"),
        ("sum(monthly * votes)", "expr_mixed_dims"),
        ("clamp(x, 1)", "expr_arity"),
        ("x.real", "expr_not_allowed"),
        ("x +", "expr_syntax"),
        ("where(x, 1, 2)", "expr_type"),
        ("__import__('os')", "expr_unknown_function"),
    ])
    def test_rejected_before_any_data_is_read(self, source: str, code: str) -> None:
        assert code in problem_codes(source)

    def test_result_type_is_checked(self) -> None:
        assert problem_codes("x + 1", expect=BOOL) == ["expr_result_type"]
        assert problem_codes("x > 1") == ["expr_result_type"]


def run(source: str, names: dict, n: int, expect: ValueType = NUMBER) -> np.ndarray:
    return ColumnEvaluator(names).column(compiled(source, expect), n)


class TestColumnEvaluation:
    def test_arithmetic_over_whole_columns(self) -> None:
        x = np.array([1.0, 2.0, 3.0])
        assert run("x * 2 + 1", {"x": x}, 3).tolist() == [3.0, 5.0, 7.0]

    def test_large_columns_pass_simpleeval_guards(self) -> None:
        # simpleeval's safe_mult refuses sequences longer than 100k; columns must not be.
        x = np.ones(200_000)
        assert run("x * 2", {"x": x}, 200_000).sum() == 400_000
        assert run("x ** 2", {"x": x}, 200_000).sum() == 200_000

    def test_and_or_not_and_chained_comparisons_work_on_columns(self) -> None:
        x = np.array([1.0, 5.0, 9.0])
        y = np.array([0.0, 1.0, 0.0])
        out = run("(1 < x < 9 and y == 1) or not x < 9", {"x": x, "y": y}, 3, BOOL)
        assert out.tolist() == [False, True, True]

    def test_if_else_becomes_where(self) -> None:
        x = np.array([50.0, 95.0])
        assert run("5 if x >= 90 else 0", {"x": x}, 2).tolist() == [0.0, 5.0]

    def test_constant_expression_fills_a_column(self) -> None:
        assert run("2 - 3 * 0.2", {}, 2).shape == (2,)

    def test_aggregations_skip_absent_values(self) -> None:
        votes = np.array([[10.0, 9.0, np.nan], [8.0, np.nan, np.nan]])
        names = {"votes": votes}
        assert run("sum(votes)", names, 2).tolist() == [19.0, 8.0]
        assert run("count(votes)", names, 2).tolist() == [2.0, 1.0]
        assert run("mean(votes)", names, 2).tolist() == [9.5, 8.0]
        assert run("max(votes)", names, 2).tolist() == [10.0, 8.0]
        assert run("min(votes)", names, 2).tolist() == [9.0, 8.0]

    def test_no_values_gives_nan_not_zero(self) -> None:
        votes = np.array([[np.nan, np.nan]])
        assert np.isnan(run("mean(votes)", {"votes": votes}, 1)[0])

    def test_trimmed_mean_drops_highest_and_lowest(self) -> None:
        # (10 + 9 + 8 + 2 + 7) without 10 and 2 → (9 + 8 + 7) / 3 = 8
        votes = np.array([[10.0, 9.0, 8.0, 2.0, 7.0, np.nan]])
        assert run("trimmed_mean(votes)", {"votes": votes}, 1).tolist() == [8.0]

    def test_conditional_aggregations(self) -> None:
        votes = np.array([[10.0, 6.0, 8.0]])
        flag = np.array([[True, False, True]])
        names = {"votes": votes, "flag": flag}
        assert run("mean_if(votes, flag)", names, 1).tolist() == [9.0]
        assert run("sum_if(votes, not flag)", names, 1).tolist() == [6.0]
        assert run("count_if(flag)", names, 1).tolist() == [2.0]
        assert run("any(flag) and not all(flag)", names, 1, BOOL).tolist() == [True]

    def test_unit_values_broadcast_against_dimension_values(self) -> None:
        monthly = np.array([[1.0, 2.0], [3.0, 4.0]])
        x = np.array([10.0, 100.0])
        assert run("sum(monthly * x)", {"monthly": monthly, "x": x}, 2).tolist() == [30.0, 700.0]

    def test_elementwise_min_max_clamp_round(self) -> None:
        x = np.array([1.0, 7.0, 12.0])
        names = {"x": x, "y": np.array([5.0, 5.0, 5.0])}
        assert run("min(x, y)", names, 3).tolist() == [1.0, 5.0, 5.0]
        assert run("max(x, y, 6)", names, 3).tolist() == [6.0, 7.0, 12.0]
        assert run("clamp(x, 2, 10)", names, 3).tolist() == [2.0, 7.0, 10.0]
        assert run("round(x / 8, 2)", names, 3).tolist() == [0.13, 0.88, 1.5]


class TestStages:
    """Parsing, rewriting and checking are separate stages (engine/expressions/): the checker
    reads the tree only, and what it found is written into the tree afterwards."""

    def test_the_checker_only_reads_the_tree_and_returns_its_rewrites(self) -> None:
        import ast

        from engine.expressions.checking import check
        from engine.expressions.parsing import parse
        from engine.expressions.rewriting import AcrossCall, RowsMask, apply, column_operations

        source = "count(flag) + mean_over(x, 'group') + (1 if ok else 0)"
        parsed, problems = parse(source, HERE)
        assert parsed is not None and problems == []
        tree = column_operations(parsed)
        ast.fix_missing_locations(tree)
        before = ast.dump(tree)
        checked = check(tree, source, NAMES, HERE)
        assert checked.problems == () and checked.type == NUMBER and checked.used == {"flag", "x", "ok"}
        assert ast.dump(tree) == before  # checking left the tree alone
        assert [type(r) for r in checked.rewrites] == [RowsMask, AcrossCall]
        apply(checked.rewrites, HERE)
        assert "where(ok, 1, 0)" in ast.unparse(tree)  # 'a if c else b' became where() before checking
        assert "count(flag, __rows__rater)" in ast.unparse(tree)  # yes/no per rater: count the rows that exist
        assert "mean_over(x, __scope__group)" in ast.unparse(tree)  # the scope literal became its label column
        across = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and getattr(n, "kaohe_across", None)]
        assert len(across) == 1 and across[0].kaohe_across.startswith("t.yaml:3:")  # type: ignore[attr-defined]


class TestEvaluators:
    def test_tracing_records_calls_and_names_inner_first_but_no_synthetic_call(self) -> None:
        from engine.expressions import TracingEvaluator, source_of

        expression = compiled("mean(votes) + x if ok else 0")
        names = {"votes": np.array([[4.0, 6.0]]), "x": np.array([1.0]), "ok": np.array([True])}
        tracer = TracingEvaluator(names)
        # ok → where(ok, mean(votes) + x, 0): mean of 4 and 6 is 5, plus 1 = 6.
        assert tracer.column(expression, 1).tolist() == [6.0]
        # where() was written as 'if … else': a synthetic call, not a step of its own.
        assert [source_of(expression, node) for node, _ in tracer.steps] == ["ok", "votes", "mean(votes)", "x"]
        assert np.asarray(tracer.steps[2][1]).tolist() == [5.0]

    def test_a_cross_unit_call_is_computed_once_per_run_and_kept(self) -> None:
        from engine import aggregates

        expression = compiled("mean_over(x)")
        names: aggregates.Namespace = {"x": np.array([1.0, 2.0, 6.0]), aggregates.ACROSS: {}}
        names.update(aggregates.scope_columns(3, np.zeros(3, dtype=np.int64), np.array(["", "", ""]), np.array(["a", "a", "a"])))
        # (1 + 2 + 6) / 3 = 3 for every unit
        assert ColumnEvaluator(names).column(expression, 3).tolist() == [3.0, 3.0, 3.0]
        store = names[aggregates.ACROSS]
        assert isinstance(store, dict) and len(store) == 1
        # A second run over other values reads the kept figures (as one unit's explain trace does).
        names["x"] = np.array([100.0, 100.0, 100.0])
        assert ColumnEvaluator(names).column(expression, 3).tolist() == [3.0, 3.0, 3.0]

    def test_lower_case_true_and_false_unless_an_input_has_that_id(self) -> None:
        names = {**NAMES, "true": NUMBER}
        expression, problems = compile_expression("false or ok", NAMES, HERE, expect=BOOL, what="test")
        assert problems == [] and expression is not None
        assert ColumnEvaluator({"ok": np.array([False, True])}).column(expression, 2).tolist() == [False, True]
        shadowed, problems = compile_expression("true + 1", names, HERE, expect=NUMBER, what="test")
        assert problems == [] and shadowed is not None
        assert ColumnEvaluator({"true": np.array([2.0])}).column(shadowed, 1).tolist() == [3.0]  # 2 + 1
