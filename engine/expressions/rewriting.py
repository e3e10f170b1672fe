"""Rewrite an expression tree into the one the column evaluator runs.

Two passes, either side of checking:

* :func:`column_operations` (before): constructs Python evaluates by
  truthiness become column operations — ``and``/``or``, ``not``, ``a if c
  else b`` and chained comparisons turn into ``&``/``|``, ``not_()``,
  ``where()`` and ``&``-joined pairs — so the checker checks what will run;
* :func:`apply` (after): what the checker found out is written into the
  tree — ``count()`` of a yes/no column per dimension gets that dimension's
  row mask, and a cross-unit call (engine.aggregates) its scope's label
  column, its order and the key under which a run keeps its column.

The checker only reads the tree; it returns the :data:`Rewrite` list.
"""

from __future__ import annotations

import ast
import dataclasses
import itertools
import typing as t

from engine import aggregates
from engine.errors import Location
from engine.expressions.language import rows_name


class _ColumnOperations(ast.NodeTransformer):
    """Rewrite constructs that Python evaluates by truthiness into column ops."""

    def visit_BoolOp(self, node: ast.BoolOp) -> ast.AST:
        self.generic_visit(node)
        joiner: ast.operator = ast.BitAnd() if isinstance(node.op, ast.And) else ast.BitOr()
        out = node.values[0]
        for value in node.values[1:]:
            out = ast.copy_location(ast.BinOp(left=out, op=joiner, right=value), node)
        return out

    def visit_UnaryOp(self, node: ast.UnaryOp) -> ast.AST:
        self.generic_visit(node)
        if isinstance(node.op, ast.Not):
            return _synthetic_call("not_", [node.operand], node)
        return node

    def visit_IfExp(self, node: ast.IfExp) -> ast.AST:
        self.generic_visit(node)
        return _synthetic_call("where", [node.test, node.body, node.orelse], node)

    def visit_Compare(self, node: ast.Compare) -> ast.AST:
        self.generic_visit(node)
        if len(node.ops) == 1:
            return node
        pairs: list[ast.expr] = []
        left = node.left
        for operation, right in zip(node.ops, node.comparators):
            pairs.append(ast.copy_location(ast.Compare(left=left, ops=[operation], comparators=[right]), node))
            left = right
        out = pairs[0]
        for pair in pairs[1:]:
            out = ast.copy_location(ast.BinOp(left=out, op=ast.BitAnd(), right=pair), node)
        return out


def _synthetic_call(name: str, args: list[ast.expr], where: ast.AST) -> ast.Call:
    call = ast.Call(func=ast.Name(id=name, ctx=ast.Load()), args=args, keywords=[])
    ast.copy_location(call, where)
    call.func.lineno = call.lineno
    call.func.col_offset = call.col_offset
    setattr(call, "kaohe_synthetic", True)
    return call


def column_operations(tree: ast.expr) -> ast.expr:
    """A freshly parsed tree → the same expression in column operations (rewritten in place)."""
    out = _ColumnOperations().visit(tree)
    return t.cast(ast.expr, out)


@dataclasses.dataclass(frozen=True)
class RowsMask:
    """``count(c)`` of a yes/no column per dimension: it has no "absent" value of
    its own, so count the rows that exist, from the dimension's row mask."""

    call: ast.Call
    dim: str


@dataclasses.dataclass(frozen=True)
class AcrossCall:
    """A cross-unit call whose scope and order literals the checker found valid."""

    call: ast.Call


Rewrite = t.Union[RowsMask, AcrossCall]

#: Keys of cross-unit calls, unique in the process (see ColumnEvaluator in engine.expressions.evaluator).
_ACROSS_KEYS = itertools.count()


def apply(rewrites: t.Iterable[Rewrite], location: Location) -> None:
    """Write the checker's findings into the tree (in place, in the order found)."""
    for rewrite in rewrites:
        node = rewrite.call
        if isinstance(rewrite, RowsMask):
            # The evaluator provides the mask under this name.
            node.args.append(ast.Name(id=rows_name(rewrite.dim), ctx=ast.Load()))
            continue
        written = [str(t.cast(ast.Constant, arg).value) for arg in node.args[1:]]
        scope = aggregates.SCOPES[written[0]] if written else "all"
        # The scope becomes the name of its label column (the namespace holds it).
        node.args[1:2] = [ast.copy_location(ast.Name(id=aggregates.scope_name(scope), ctx=ast.Load()), node)]
        if len(written) > 1:
            node.args[2] = ast.copy_location(ast.Constant(aggregates.ORDERS[written[1]]), node.args[2])
        # Explain traces one unit: it reads this call's figures from the full run, by this key.
        setattr(node, "kaohe_across", f"{location.file}:{location.line}:{next(_ACROSS_KEYS)}")
