"""Compile expression text into a checked :class:`Expression`: the stages in order.

Text → tree (engine.expressions.parsing) → column operations
(engine.expressions.rewriting) → types and problems
(engine.expressions.checking) → the checker's rewrites → constant parts
evaluated once (engine.expressions.evaluator), so ``10**400`` is a problem
now rather than an infinity in every unit's score → the result's type
compared with what the place it is written needs.
"""

from __future__ import annotations

import ast
import typing as t

import numpy as np

from engine.errors import Location, Problem
from engine.expressions.checking import check
from engine.expressions.parsing import depth, parse, shortened, text_of, too_deep
from engine.expressions.rewriting import apply, column_operations
from engine.expressions.evaluator import FiniteChecker, finite, shown_number
from engine.expressions.language import MAX_EXPRESSION_DEPTH, Expression, ValueType, kind_text
from engine.expressions.operators import is_number
from engine.messages import Text


def compile_expression(
    source: object,
    names: t.Mapping[str, ValueType],
    location: Location,
    *,
    expect: ValueType,
    what: Text | str,
    categories: t.Mapping[str, tuple[str, ...]] | None = None,
) -> tuple[Expression | None, list[Problem]]:
    """Parse, rewrite and type-check one expression.

    Args:
        source: the YAML value (a string, or a plain number/boolean).
        names: declared names and their types.
        location: where the expression is written (for problems).
        expect: the type the result must have (its ``dim`` must be ``None``:
            a score is one value per unit).
        what: what the expression is for, used in messages (``项目 a1 的公式``).
        categories: the declared values of category names (inputs,
            ``unit_type``); a literal compared with one must be among them.

    Returns:
        The compiled expression (or ``None``) and the problems found.
    """
    text = text_of(source)
    parsed, problems = parse(text, location)
    if parsed is None:
        return None, problems
    # Check the rewritten tree: 'and'/'not'/'if-else' are then the column
    # operations that will actually run (&, not_(), where()). (The tree is
    # freshly parsed: rewriting it in place is safe.)
    tree = column_operations(parsed)
    if depth(tree) > MAX_EXPRESSION_DEPTH:
        # 'a and b and …' is flat when written and a chain once rewritten.
        return None, [too_deep(text, location)]
    ast.fix_missing_locations(tree)
    checked = check(tree, text, names, location, categories)
    apply(checked.rewrites, location)
    found = checked.type
    problems = list(checked.problems)
    if found is not None and not problems:
        problems.extend(_constant_problems(tree, text, names, location))
    if found is not None and not problems:
        if found.dim is not None:
            agg_name = _first_name(tree) or "x"
            problems.append(Problem.at("expr_not_aggregated", location, expr=f"'{text}'", dim=found.dim, name=agg_name))
        elif found.kind != expect.kind:
            advice = (Text("写成比较，如 x >= 90。", "write a comparison such as x >= 90.") if expect.kind == "bool"
                      else Text("用 where(条件, 分值, 0) 把条件变成分值。", "turn the condition into points with where(condition, points, 0)."))
            problems.append(Problem.at(
                "expr_result_type", location, what=what, expr=f"'{text}'",
                expected=kind_text(expect.kind), found=found.describe(), advice=advice,
            ))
    if problems:
        return None, problems
    return Expression(text, tree, t.cast(ValueType, found), checked.used, location), []


def _constant_problems(tree: ast.AST, text: str, names: t.Mapping[str, ValueType], location: Location) -> list[Problem]:
    """A part that reads no input and is not a finite number (``10**400``,
    ``9**9**9``, ``2.0**1024``, ``1/0``) is a mistake now rather than an
    infinity in every unit's score later.

    Each largest name-free part is evaluated once, every step checked.
    """
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Constant) and is_number(node.value) and not isinstance(node.value, bool) and not finite(node.value):
            found = ast.get_source_segment(text, node) or ast.unparse(node)
            return [Problem.at("expr_constant_not_finite", location, expr=f"'{shortened(text)}'", found=shortened(found),
                               value=shown_number(node.value))]
        if isinstance(node, (ast.Constant, ast.Name)) or not isinstance(node, ast.expr):
            continue
        if any(isinstance(n, ast.Name) and n.id in names for n in ast.walk(node)):
            stack.extend(ast.iter_child_nodes(node))
            continue
        checker = FiniteChecker()
        with np.errstate(all="ignore"):
            checker.eval(text, previously_parsed=node)
        if checker.bad is not None:
            bad, value = checker.bad
            found = ast.get_source_segment(text, bad) or ast.unparse(bad)
            return [Problem.at("expr_constant_not_finite", location, expr=f"'{shortened(text)}'", found=shortened(found), value=value)]
    return []


def _first_name(tree: ast.AST) -> str | None:
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            return node.id
    return None
