"""Compile expression text into checked, column-wise evaluable expressions.

An expression (``mean(score_1) * 0.8 + mean(vote_1) * 0.2``) is parsed once
with simpleeval, rewritten so that every construct works on numpy columns
(``and``/``or``/``not``, chained comparisons and ``a if c else b`` become
``&``/``|``/``not_()``/``where()``), and type-checked against the declared
names: undeclared names, unknown functions, wrong argument counts, text in
arithmetic and un-aggregated per-period values are all compile-time
problems. Evaluation hands the tree to simpleeval with numpy-aware operator
and function tables, so each operator runs once over a whole column.

The stages, one module each:

* :mod:`~engine.expressions.language` — value types, functions and their signatures, limits;
* :mod:`~engine.expressions.parsing` — text → tree, or the syntax problem;
* :mod:`~engine.expressions.rewriting` — the tree in column operations, and the checker's findings written into it;
* :mod:`~engine.expressions.checking` — tree → its type, or located problems (reads the tree only);
* :mod:`~engine.expressions.compiling` — :func:`compile_expression`, the stages in order;
* :mod:`~engine.expressions.operators`, :mod:`~engine.expressions.functions` — the numpy operators and functions;
* :mod:`~engine.expressions.evaluator` — :class:`ColumnEvaluator` and :class:`TracingEvaluator`.

Values are float64 columns for numbers (NaN = absent), bool columns, and
``<U`` string columns for text (``""`` = absent). A per-unit column has shape
``(n,)``; a column per dimension (months, raters) has shape ``(n, k)``.
"""

from __future__ import annotations

from engine.aggregates import Column
from engine.expressions.compiling import compile_expression
from engine.expressions.evaluator import ColumnEvaluator, TracingEvaluator, Value, as_column, source_of
from engine.expressions.functions import IMPLEMENTATIONS
from engine.expressions.language import (
    BOOL, FUNCTIONS, KIND_TITLES, MAX_EXPRESSION_CHARS, MAX_EXPRESSION_DEPTH, MAX_ROUND_DIGITS, MAX_TRIM, NUMBER,
    PUBLIC_FUNCTIONS, Expression, FunctionSpec, Kind, ValueType, rows_name,
)
from engine.expressions.operators import OPERATORS
from engine.expressions.parsing import FULLWIDTH

__all__ = [
    "BOOL", "FULLWIDTH", "FUNCTIONS", "IMPLEMENTATIONS", "KIND_TITLES", "MAX_EXPRESSION_CHARS", "MAX_EXPRESSION_DEPTH",
    "MAX_ROUND_DIGITS", "MAX_TRIM", "NUMBER", "OPERATORS", "PUBLIC_FUNCTIONS", "Column", "ColumnEvaluator", "Expression",
    "FunctionSpec", "Kind", "TracingEvaluator", "Value", "ValueType", "as_column", "compile_expression", "rows_name",
    "source_of",
]
