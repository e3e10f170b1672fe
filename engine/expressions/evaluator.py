"""Evaluate a compiled expression over numpy columns: a namespace of columns → a result column.

simpleeval walks the (rewritten) tree with the operator table of
engine.expressions.operators and the function table of
engine.expressions.functions, so each operator and function runs once over
whole columns. Values are float64 columns for numbers (NaN = absent), bool
columns, and ``<U`` string columns for text (``""`` = absent); a per-unit
column has shape ``(n,)``, a column per dimension (months, raters) ``(n, k)``.

simpleeval is extended only through its public API: its ``nodes`` table
(AST node type → handler) is public on every instance, so each evaluator
wraps the handlers it needs in ``__init__`` — it overrides none of
simpleeval's private ``_eval*`` methods.
"""

from __future__ import annotations

import ast
import typing as t

import numpy as np
import simpleeval

from engine import aggregates
from engine.aggregates import Column
from engine.expressions.functions import function_table
from engine.expressions.language import LITERAL_NAMES, Expression
from engine.expressions.operators import OPERATORS, is_number

#: What evaluating an expression, or a part of one, gives.
Value = t.Union[Column, np.generic, float, int, bool, str]

#: A simpleeval node handler (simpleeval is untyped).
_Handler = t.Callable[[t.Any], t.Any]


class ColumnEvaluator(simpleeval.SimpleEval):  # type: ignore[misc]  # simpleeval has no type hints
    """simpleeval over numpy columns; one instance per evaluation run.

    ``names`` is the namespace (engine.aggregates.Namespace): a cross-unit
    call is computed once per run and kept in its :data:`aggregates.ACROSS`
    store, where the trace of one unit finds the population's figures.
    """

    def __init__(self, names: t.Mapping[str, object]) -> None:
        super().__init__(operators=OPERATORS, functions=function_table(names), names=names)
        evaluate_call: _Handler = self.nodes[ast.Call]
        evaluate_name: _Handler = self.nodes[ast.Name]

        def call(node: ast.Call) -> t.Any:
            key = getattr(node, "kaohe_across", None)
            store = self.names.get(aggregates.ACROSS) if key is not None else None
            if store is None:
                return evaluate_call(node)
            if key not in store:
                store[key] = evaluate_call(node)
            return store[key]

        def name(node: ast.Name) -> t.Any:
            try:
                return evaluate_name(node)
            except simpleeval.NameNotDefined:
                # 'true'/'false' written in lower case (as YAML does): the checker
                # accepts them unless an input has that id, which wins above.
                if node.id in LITERAL_NAMES:
                    return LITERAL_NAMES[node.id]
                raise

        self.nodes[ast.Call] = call
        self.nodes[ast.Name] = name

    def column(self, expression: Expression, n: int) -> Column:
        """Evaluate ``expression`` to a column of ``n`` values."""
        with np.errstate(all="ignore"):
            value = self.eval(expression.source, previously_parsed=expression.tree)
        return as_column(value, n)


class TracingEvaluator(ColumnEvaluator):
    """Records the value of every function call and name, for ``explain``."""

    def __init__(self, names: t.Mapping[str, object]) -> None:
        super().__init__(names)
        #: (node, value) of each call and name evaluated, inner ones first.
        self.steps: list[tuple[ast.AST, Value]] = []
        for kind in (ast.Call, ast.Name):
            self.nodes[kind] = self._recording(self.nodes[kind])

    def _recording(self, handler: _Handler) -> _Handler:
        def record(node: ast.AST) -> t.Any:
            value = handler(node)
            if not getattr(node, "kaohe_synthetic", False):
                self.steps.append((node, value))
            return value

        return record


class FiniteChecker(ColumnEvaluator):
    """Evaluates a name-free part at compile time, keeping its first step that
    is a number but not a finite one (``bad``: the node and the number as shown)."""

    def __init__(self) -> None:
        super().__init__(LITERAL_NAMES)
        self.bad: tuple[ast.AST, str] | None = None
        for kind, handler in list(self.nodes.items()):
            self.nodes[kind] = self._checking(handler)

    def _checking(self, handler: _Handler) -> _Handler:
        def check(node: ast.AST) -> t.Any:
            value = handler(node)
            if self.bad is None and is_number(value) and not finite(value):
                self.bad = (node, shown_number(value))
            return value

        return check


def finite(value: object) -> bool:
    """Whether a number (or every number of an array) is finite; a Python int
    beyond float64 (``-9223372036854775809`` is fine, ``10**400`` is not) counts as float64 would."""
    try:
        with np.errstate(all="ignore"):
            return bool(np.all(np.isfinite(np.asarray(value, dtype=np.float64))))
    except (OverflowError, TypeError, ValueError):
        return False


def shown_number(value: object) -> str:
    """A number as a problem shows it (a huge Python int shortened)."""
    try:
        return str(np.asarray(value, dtype=np.float64).flat[0])
    except (OverflowError, TypeError, ValueError):
        text = str(value)
        return text if len(text) <= 24 else f"{text[:12]}…（{len(text)} 位）"


def as_column(value: object, n: int) -> Column:
    """A scalar result (a constant expression) becomes a full column, and so
    does a one-row result that depends on dimension labels only."""
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value[()]
    if isinstance(value, np.ndarray):
        if value.shape[:1] == (1,) and n != 1:
            return np.repeat(value, n, axis=0)
        return value
    if isinstance(value, (bool, np.bool_)):
        return np.full(n, bool(value))
    if isinstance(value, str):
        return np.full(n, value)
    return np.full(n, float(t.cast(t.SupportsFloat, value)))


def source_of(expression: Expression, node: ast.AST) -> str:
    """The text of a sub-expression, for traces."""
    segment = ast.get_source_segment(expression.source, node)
    return segment if segment is not None else ast.unparse(node)
