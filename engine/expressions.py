"""Compile expression text into checked, column-wise evaluable expressions.

An expression (``mean(score_1) * 0.8 + mean(vote_1) * 0.2``) is parsed once
with simpleeval, rewritten so that every construct works on numpy columns
(``and``/``or``/``not``, chained comparisons and ``a if c else b`` become
``&``/``|``/``not_()``/``where()``), and type-checked against the declared
names: undeclared names, unknown functions, wrong argument counts, text in
arithmetic and un-aggregated per-period values are all compile-time
problems. Evaluation hands the tree to simpleeval with numpy-aware operator
and function tables, so each operator runs once over a whole column.

Values are float64 columns for numbers (NaN = absent), bool columns, and
``<U`` string columns for text (``""`` = absent). A per-unit column has shape
``(n,)``; a column per dimension (months, raters) has shape ``(n, k)``.
"""

from __future__ import annotations

import ast
import contextlib
import dataclasses
import math
import operator as op
import re
import typing as t
import warnings

import numpy as np
import numpy.typing as npt
import simpleeval

from engine import numbers
from engine.errors import Location, Problem
from engine.messages import Text, closest

Kind = t.Literal["number", "bool", "text"]

KIND_TITLES = {
    "zh": {"number": "数字", "bool": "是/否", "text": "文字"},
    "en": {"number": "a number", "bool": "yes/no", "text": "text"},
}


@dataclasses.dataclass(frozen=True)
class ValueType:
    """Static type of an expression: its kind and, if any, its dimension."""

    kind: Kind
    #: ``None`` for one value per unit, else the dimension id (``month``).
    dim: str | None = None

    def describe(self) -> Text:
        zh, en = KIND_TITLES["zh"][self.kind], KIND_TITLES["en"][self.kind]
        if self.dim is None:
            return Text(zh, en)
        return Text(f"按 {self.dim} 的多个{zh}", f"{en} per {self.dim}")


NUMBER = ValueType("number")
BOOL = ValueType("bool")

# Limits (documented in docs/limits.md). Parsing, checking and evaluating
# walk the expression tree recursively; bounding it keeps every expression
# far from Python's recursion limit, in every command (explain traces too).

#: Longest expression, in characters.
MAX_EXPRESSION_CHARS = 4000
#: Deepest expression tree: a chain of 100 terms (a + b + …), or 100 stacked
#: brackets, minus signs, not or function calls.
MAX_EXPRESSION_DEPTH = 100
#: Decimals round(x, n) may keep.
MAX_ROUND_DIGITS = 10
#: Most values trimmed_mean(x, k) may drop at each end.
MAX_TRIM = 1000


@dataclasses.dataclass(frozen=True)
class Expression:
    """A parsed, checked expression ready for column-wise evaluation."""

    #: The text as written in the scheme.
    source: str
    #: The rewritten AST handed to simpleeval.
    tree: ast.AST = dataclasses.field(compare=False, repr=False)
    #: Static result type.
    type: ValueType
    #: Names the expression reads (inputs, scores, grades).
    names: frozenset[str]
    #: Where it was written.
    location: Location

    @property
    def constant(self) -> bool:
        return not self.names


# ---------------------------------------------------------------------------
# Parsing and rewriting


class _Rewriter(ast.NodeTransformer):
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


# ---------------------------------------------------------------------------
# Functions: static signature checks and numpy implementations


@dataclasses.dataclass(frozen=True)
class FunctionSpec:
    """A function available in expressions."""

    name: str
    min_args: int
    max_args: int
    #: Usage line shown in hints.
    usage: Text
    #: Does it reduce a dimension to one value per unit?
    aggregates: bool = False


FUNCTIONS: dict[str, FunctionSpec] = {
    spec.name: spec
    for spec in (
        FunctionSpec("sum", 1, 1, Text("sum(x): 按维度求和，如 12 个月之和", "sum(x): total over the dimension, e.g. the 12 months"), True),
        FunctionSpec("mean", 1, 1, Text("mean(x): 按维度求平均（忽略空值），如 12 个月平均", "mean(x): average over the dimension (absent values skipped)"), True),
        FunctionSpec("avg", 1, 1, Text("avg(x): 同 mean(x)", "avg(x): same as mean(x)"), True),
        FunctionSpec("count", 1, 1, Text("count(x): 有值的个数，如测评人数", "count(x): how many values there are, e.g. raters"), True),
        FunctionSpec("trimmed_mean", 1, 2, Text("trimmed_mean(x, k): 去掉 k 个最高分和 k 个最低分后求平均（k 默认 1）", "trimmed_mean(x, k): average without the k highest and k lowest (k defaults to 1)"), True),
        FunctionSpec("any", 1, 1, Text("any(条件): 任一条记录满足", "any(condition): true for at least one record"), True),
        FunctionSpec("all", 1, 1, Text("all(条件): 所有记录都满足", "all(condition): true for every record"), True),
        FunctionSpec("count_if", 1, 1, Text("count_if(条件): 满足条件的记录数", "count_if(condition): number of records where it holds"), True),
        FunctionSpec("sum_if", 2, 2, Text("sum_if(x, 条件): 满足条件的记录之和", "sum_if(x, condition): total of the records where it holds"), True),
        FunctionSpec("mean_if", 2, 2, Text("mean_if(x, 条件): 满足条件的记录的平均", "mean_if(x, condition): average of the records where it holds"), True),
        FunctionSpec("min", 1, 99, Text("min(x): 按维度的最小值；min(a, b, …): 逐单位取较小者", "min(x): smallest over the dimension; min(a, b, …): the smaller per unit")),
        FunctionSpec("max", 1, 99, Text("max(x): 按维度的最大值；max(a, b, …): 逐单位取较大者", "max(x): largest over the dimension; max(a, b, …): the larger per unit")),
        FunctionSpec("clamp", 3, 3, Text("clamp(x, 下限, 上限): 截取到区间内", "clamp(x, low, high): bounded to the range")),
        FunctionSpec("where", 3, 3, Text("where(条件, 是时的值, 否时的值)", "where(condition, value if true, value if false)")),
        FunctionSpec("abs", 1, 1, Text("abs(x): 绝对值", "abs(x): absolute value")),
        FunctionSpec("round", 1, 2, Text("round(x, n): 四舍五入到 n 位小数（n 默认 0）", "round(x, n): half-up to n decimals (n defaults to 0)")),
        FunctionSpec("floor", 1, 1, Text("floor(x): 向下取整", "floor(x): round down")),
        FunctionSpec("ceil", 1, 1, Text("ceil(x): 向上取整", "ceil(x): round up")),
        FunctionSpec("not_", 1, 1, Text("not 条件", "not condition")),
    )
}

PUBLIC_FUNCTIONS = tuple(name for name in FUNCTIONS if name != "not_")


# ---------------------------------------------------------------------------
# Static checking


class _Checker:
    """Infers the :class:`ValueType` of each node, collecting problems."""

    def __init__(self, source: str, names: t.Mapping[str, ValueType], location: Location,
                 categories: t.Mapping[str, tuple[str, ...]] | None = None) -> None:
        self.source = source
        self.names = names
        self.categories = categories or {}
        self.location = location
        self.problems: list[Problem] = []
        self.used: set[str] = set()

    def fail(self, code: str, **args: t.Any) -> None:
        self.problems.append(Problem.at(code, self.location, expr=f"'{self.source}'", **args))

    def type_error(self, what: Text, expected: Text, found: ValueType, advice: Text = Text("", "")) -> None:
        self.fail("expr_type", what=what, expected=expected, found=found.describe(), advice=advice)

    def unify(self, a: ValueType, b: ValueType, kind: Kind) -> ValueType | None:
        if a.dim and b.dim and a.dim != b.dim:
            self.fail("expr_mixed_dims", a=a.dim, b=b.dim)
            return None
        return ValueType(kind, a.dim or b.dim)

    def check(self, node: ast.AST) -> ValueType | None:
        method = getattr(self, f"_check_{type(node).__name__}", None)
        if method is None:
            self.fail("expr_not_allowed", what=_describe_node(node))
            return None
        result: ValueType | None = method(node)
        return result

    def _check_Constant(self, node: ast.Constant) -> ValueType | None:
        if isinstance(node.value, bool):
            return BOOL
        if isinstance(node.value, (int, float)):
            try:
                finite = math.isfinite(float(node.value))
            except OverflowError:
                finite = False
            if not finite:
                text = numbers.number_text(node.value)
                self.fail("expr_not_finite", found=ast.get_source_segment(self.source, node) or text)
                return None
            return NUMBER
        if isinstance(node.value, str):
            return ValueType("text")
        self.fail("expr_not_allowed", what=Text(repr(node.value), repr(node.value)))
        return None

    def _check_Name(self, node: ast.Name) -> ValueType | None:
        if node.id in self.names:
            self.used.add(node.id)
            return self.names[node.id]
        if node.id in ("True", "False", "true", "false"):
            return BOOL
        self.fail("expr_unknown_name", name=node.id, suggest=closest(node.id, self.names))
        return None

    def _check_UnaryOp(self, node: ast.UnaryOp) -> ValueType | None:
        if not isinstance(node.op, (ast.USub, ast.UAdd)):
            # '~a' (bitwise invert) has no meaning on scores, and the evaluator has no such operator.
            self.fail("expr_not_allowed", what=Text(f"运算符 '{_symbol(node.op)}'", f"operator '{_symbol(node.op)}'"))
            return None
        operand = self.check(node.operand)
        if operand is None:
            return None
        if operand.kind != "number":
            self.type_error(_operand(node.op), _NUMBER, operand)
            return None
        return operand

    def _check_BinOp(self, node: ast.BinOp) -> ValueType | None:
        left, right = self.check(node.left), self.check(node.right)
        if left is None or right is None:
            return None
        symbol = _symbol(node.op)
        if isinstance(node.op, (ast.BitAnd, ast.BitOr)):
            for side in (left, right):
                if side.kind != "bool":
                    self.type_error(Text(f"'{symbol}' 的两边", f"both sides of '{symbol}'"), _CONDITION, side,
                                    Text("and/or 连接的是条件，如 a > 1 and b < 2。", "and/or join conditions, e.g. a > 1 and b < 2."))
                    return None
            return self.unify(left, right, "bool")
        if not isinstance(node.op, (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.FloorDiv, ast.Mod, ast.Pow)):
            self.fail("expr_not_allowed", what=Text(f"运算符 '{symbol}'", f"operator '{symbol}'"))
            return None
        for side in (left, right):
            if side.kind != "number":
                advice = (Text("条件不能直接参与计算，用 where(条件, 分值, 0)。", "a condition is not a number; use where(condition, points, 0).")
                          if side.kind == "bool" else Text("文字不能参与计算。", "text cannot be calculated with."))
                self.type_error(_operand(node.op), _NUMBER, side, advice)
                return None
        return self.unify(left, right, "number")

    def _check_Compare(self, node: ast.Compare) -> ValueType | None:
        left, right = self.check(node.left), self.check(node.comparators[0])
        if left is None or right is None:
            return None
        operation = node.ops[0]
        if isinstance(operation, (ast.In, ast.NotIn, ast.Is, ast.IsNot)):
            self.fail("expr_not_allowed", what=Text(f"'{_symbol(operation)}'", f"'{_symbol(operation)}'"))
            return None
        if isinstance(operation, (ast.Eq, ast.NotEq)):
            if left.kind != right.kind:
                self.type_error(_operand(operation), _kind(left.kind), right, Text("比较的两边应为同一类型。", "both sides of a comparison must have the same type."))
                return None
            if left.kind == "text" and not self.category_literal(node.left, node.comparators[0]):
                return None
        else:
            for side in (left, right):
                if side.kind != "number":
                    self.type_error(_operand(operation), _NUMBER, side)
                    return None
        return self.unify(left, right, "bool")

    def category_literal(self, a: ast.AST, b: ast.AST) -> bool:
        """A category input compared with a literal: the literal must be one
        of its declared values (``a2_rating == '较 好'`` would match nobody)."""
        for name, literal in ((a, b), (b, a)):
            if not (isinstance(name, ast.Name) and isinstance(literal, ast.Constant) and isinstance(literal.value, str)):
                continue
            allowed = self.categories.get(name.id)
            if allowed is None or literal.value in allowed:
                continue
            squeezed = {value.replace(" ", ""): value for value in allowed}
            suggest = squeezed.get(literal.value.replace(" ", "").replace("\u3000", "")) or closest(literal.value, allowed)
            self.fail("expr_unknown_category", name=name.id, found=literal.value, suggest=suggest, allowed="、".join(allowed))
            return False
        return True

    def _check_Call(self, node: ast.Call) -> ValueType | None:
        if not isinstance(node.func, ast.Name):
            self.fail("expr_not_allowed", what=_describe_node(node.func))
            return None
        name = node.func.id
        spec = FUNCTIONS.get(name)
        if spec is None:
            self.fail("expr_unknown_function", name=name, suggest=closest(name, PUBLIC_FUNCTIONS), allowed=", ".join(PUBLIC_FUNCTIONS))
            return None
        if node.keywords:
            self.fail("expr_not_allowed", what=Text(f"{name}() 的关键字参数", f"keyword arguments of {name}()"))
            return None
        if not spec.min_args <= len(node.args) <= spec.max_args:
            expected = str(spec.min_args) if spec.min_args == spec.max_args else f"{spec.min_args}–{spec.max_args}"
            self.fail("expr_arity", name=name, expected=expected, found=len(node.args), usage=spec.usage)
            return None
        args = [self.check(arg) for arg in node.args]
        if any(a is None for a in args):
            return None
        types = t.cast(list[ValueType], args)
        result = self._function_type(spec, types, node)
        if result is not None and name == "count" and types[0].kind == "bool" and types[0].dim:
            # A yes/no column has no "absent" value of its own: count the rows
            # that exist, from the dimension's row mask the evaluator provides.
            node.args.append(ast.Name(id=rows_name(types[0].dim), ctx=ast.Load()))
        return result

    def _function_type(self, spec: FunctionSpec, args: list[ValueType], node: ast.Call) -> ValueType | None:
        name = spec.name
        first = args[0]
        if name in ("min", "max") and len(args) > 1:
            return self._all_numbers(name, args)
        if spec.aggregates or name in ("min", "max"):
            if first.dim is None:
                self.type_error(_argument(name), Text("按维度（如每月、每位测评人）的多个值", "values per dimension (months, raters)"), first,
                                Text(f"{name}() 汇总多个值；每单位只有一个值时不需要汇总。", f"{name}() aggregates many values; a per-unit value needs no aggregation."))
                return None
            if name in ("any", "all", "count_if"):
                if first.kind != "bool":
                    self.type_error(_argument(name), _CONDITION, first)
                    return None
                return BOOL if name in ("any", "all") else NUMBER
            if name in ("sum_if", "mean_if"):
                cond = args[1]
                if first.kind != "number" or cond.kind != "bool":
                    self.type_error(_argument(name), Text("(数字, 条件)", "(number, condition)"), cond if first.kind == "number" else first)
                    return None
                if cond.dim != first.dim:
                    self.fail("expr_mixed_dims", a=first.dim, b=cond.dim or Text("单位", "unit"))
                    return None
                return NUMBER
            if name == "count":
                return NUMBER
            if first.kind != "number":
                self.type_error(_argument(name), _NUMBER, first)
                return None
            if name == "trimmed_mean" and len(args) == 2:
                if not _whole_constant(node.args[1]):
                    self.type_error(_argument(name), _INTEGER, args[1])
                    return None
                if not self.int_in_range(name, node.args[1], Text("参数 k（两端各去掉的个数）", "k (values dropped at each end)"), MAX_TRIM):
                    return None
            return NUMBER
        if name == "where":
            cond, yes, no = args
            if cond.kind != "bool":
                self.type_error(_argument(name), _CONDITION, cond)
                return None
            if yes.kind != no.kind:
                self.type_error(_argument(name), _kind(yes.kind), no, Text("两个取值应为同一类型。", "both values must have the same type."))
                return None
            dims = self.unify(cond, yes, yes.kind)
            return self.unify(dims, no, yes.kind) if dims else None
        if name == "not_":
            if first.kind != "bool":
                self.type_error(_operand(ast.Not()), _CONDITION, first)
                return None
            return first
        if name == "round" and len(args) == 2:
            if not _whole_constant(node.args[1]):
                self.type_error(_argument(name), _INTEGER, args[1])
                return None
            if not self.int_in_range(name, node.args[1], Text("小数位数", "number of decimals"), MAX_ROUND_DIGITS):
                return None
            args = args[:1]
        return self._all_numbers(name, args)

    def int_in_range(self, name: str, node: ast.expr, what: Text, high: int) -> bool:
        """A whole-number constant argument within 0 … ``high`` (round(a, 400)
        would scale by 10**400; trimmed_mean(v, 10**20) overflow a C long)."""
        value = t.cast(int, t.cast(ast.Constant, node).value)
        if 0 <= value <= high:
            return True
        self.fail("expr_int_argument", name=name, what=what, found=numbers.number_text(value), low=0, high=high)
        return False

    def _all_numbers(self, name: str, args: list[ValueType]) -> ValueType | None:
        out: ValueType | None = NUMBER
        for arg in args:
            if arg.kind != "number":
                self.type_error(_argument(name), _NUMBER, arg)
                return None
            out = self.unify(out, arg, "number") if out else None
        return out


_NUMBER = Text("数字", "a number")
_CONDITION = Text("条件（是/否）", "a condition (yes/no)")
_INTEGER = Text("整数常量", "a whole-number constant")


def _whole_constant(node: ast.expr) -> bool:
    """A written whole number (not True/False, which Python counts as ints)."""
    return isinstance(node, ast.Constant) and isinstance(node.value, int) and not isinstance(node.value, bool)


def _kind(kind: Kind) -> Text:
    return Text(KIND_TITLES["zh"][kind], KIND_TITLES["en"][kind])


def _operand(operation: ast.AST) -> Text:
    symbol = _symbol(operation) if not isinstance(operation, ast.Not) else "not"
    return Text(f"'{symbol}' 的操作数", f"the operands of '{symbol}'")


def _argument(name: str) -> Text:
    return Text(f"{name}() 的参数", f"the arguments of {name}()")


def _symbol(operation: ast.AST) -> str:
    return {
        ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.FloorDiv: "//", ast.Mod: "%",
        ast.Pow: "**", ast.BitAnd: "and", ast.BitOr: "or", ast.Eq: "==", ast.NotEq: "!=", ast.Lt: "<",
        ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.USub: "-", ast.UAdd: "+", ast.In: "in",
        ast.NotIn: "not in", ast.Is: "is", ast.IsNot: "is not", ast.BitXor: "^", ast.LShift: "<<",
        ast.RShift: ">>", ast.Invert: "~",
    }.get(type(operation), type(operation).__name__)


def _describe_node(node: ast.AST) -> Text:
    zh = {
        ast.Attribute: "属性访问（.）", ast.Subscript: "下标（[]）", ast.List: "列表", ast.Tuple: "元组",
        ast.Dict: "字典", ast.Lambda: "lambda", ast.JoinedStr: "f-字符串", ast.ListComp: "推导式",
        ast.GeneratorExp: "生成器", ast.Set: "集合", ast.NamedExpr: "赋值（:=）",
    }.get(type(node), type(node).__name__)
    en = {
        ast.Attribute: "attribute access (.)", ast.Subscript: "subscripts ([])", ast.List: "lists", ast.Tuple: "tuples",
        ast.Dict: "dicts", ast.JoinedStr: "f-strings", ast.ListComp: "comprehensions", ast.Set: "sets",
        ast.NamedExpr: "assignment (:=)",
    }.get(type(node), type(node).__name__)
    return Text(zh, en)


#: Punctuation a Chinese IME types, and what the expression needs instead.
FULLWIDTH = {"（": "(", "）": ")", "‘": "'", "’": "'", "“": '"', "”": '"', "，": ",", "＋": "+", "－": "-",
             "＊": "*", "×": "*", "／": "/", "÷": "/", "＞": ">", "＜": "<", "＝": "=", "≥": ">=", "≤": "<=",
             "≠": "!=", "：": ":", "；": ";", "【": "[", "】": "]", "。": "."}


def compile_expression(
    source: t.Any,
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
    text = str(source).strip() if not isinstance(source, bool) else str(source)
    # A formula written over several lines (formula: |, or a quoted "\n") is
    # one expression: each line break is a space.
    text = re.sub(r"[ \t]*(?:\r\n|\r|\n)[ \t]*", " ", text)
    if not text:
        return None, [Problem.at("expr_empty", location)]
    if len(text) > MAX_EXPRESSION_CHARS:
        return None, [Problem.at("expr_too_long", location, length=len(text), limit=MAX_EXPRESSION_CHARS)]
    too_deep = [Problem.at("expr_too_deep", location, expr=f"'{_shortened(text)}'", limit=MAX_EXPRESSION_DEPTH)]
    try:
        with _no_warnings():
            module = ast.parse(text)
        if len(module.body) > 1:
            # simpleeval would keep the first statement and drop the rest: "a * 0.5; 50" is not one formula.
            return None, [Problem.at("expr_many_statements", location, count=len(module.body), expr=f"'{text}'")]
        if _depth(module) > MAX_EXPRESSION_DEPTH + 2:  # the module and its statement are two levels
            return None, too_deep
        tree = simpleeval.SimpleEval.parse(text)
    except RecursionError:
        # Python's own parser gives up on a chain of thousands of terms.
        return None, too_deep
    except SyntaxError as err:
        if percent := re.search(r"(\d+(?:\.\d+)?)\s*[%％]", text):
            # "rate >= 90%": percentages are plain numbers 0–100 in expressions.
            return None, [Problem.at("expr_percent", location, found=percent.group(0), number=percent.group(1), expr=f"'{text}'")]
        typed = next((c for c in text if c in FULLWIDTH), None)
        if typed is not None:
            # Typed with a Chinese IME: name the character rather than Python's "invalid character".
            return None, [Problem.at("expr_fullwidth", location, char=typed, ascii=FULLWIDTH[typed], expr=f"'{text}'")]
        reason = err.msg
        return None, [Problem.at("expr_syntax", location, reason=reason, expr=f"'{text}'")]
    except simpleeval.InvalidExpression as err:
        return None, [Problem.at("expr_syntax", location, reason=str(err), expr=f"'{text}'")]
    if isinstance(tree, ast.Expr):
        tree = tree.value
    if not isinstance(tree, ast.expr):
        return None, [Problem.at("expr_syntax", location, reason=type(tree).__name__, expr=f"'{text}'")]
    # Check the rewritten tree: 'and'/'not'/'if-else' are then the column
    # operations that will actually run (&, not_(), where()). (The tree is
    # freshly parsed: rewriting it in place is safe.)
    tree = _Rewriter().visit(tree)
    if _depth(tree) > MAX_EXPRESSION_DEPTH:
        # 'a and b and …' is flat when written and a chain once rewritten.
        return None, too_deep
    ast.fix_missing_locations(tree)
    checker = _Checker(text, names, location, categories)
    found = checker.check(tree)
    problems = checker.problems
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
                expected=_kind(expect.kind), found=found.describe(), advice=advice,
            ))
    if problems:
        return None, problems
    return Expression(text, tree, t.cast(ValueType, found), frozenset(checker.used), location), []


def _depth(tree: ast.AST) -> int:
    """Levels of the tree (operators and contexts such as ``Load`` aside), counted without recursion."""
    deepest = 0
    stack: list[tuple[ast.AST, int]] = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node) if child._fields)
    return deepest


def _shortened(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else f"{text[:limit]}…"


#: Names an expression may use without declaring them.
_LITERAL_NAMES = {"True": True, "False": False, "true": True, "false": False}


def _constant_problems(tree: ast.AST, text: str, names: t.Mapping[str, ValueType], location: Location) -> list[Problem]:
    """A part that reads no input and is not a finite number (``10**400``,
    ``9**9**9``, ``2.0**1024``, ``1/0``) is a mistake now rather than an
    infinity in every unit's score later.

    Each largest name-free part is evaluated once, every step checked.
    """
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Constant) and _is_number(node.value) and not isinstance(node.value, bool) and not _finite(node.value):
            found = ast.get_source_segment(text, node) or ast.unparse(node)
            return [Problem.at("expr_constant_not_finite", location, expr=f"'{_shortened(text)}'", found=_shortened(found),
                               value=_shown_number(node.value))]
        if isinstance(node, (ast.Constant, ast.Name)) or not isinstance(node, ast.expr):
            continue
        if any(isinstance(n, ast.Name) and n.id in names for n in ast.walk(node)):
            stack.extend(ast.iter_child_nodes(node))
            continue
        checker = _FiniteChecker()
        with np.errstate(all="ignore"):
            checker.eval(text, previously_parsed=node)
        if checker.bad is not None:
            bad, value = checker.bad
            found = ast.get_source_segment(text, bad) or ast.unparse(bad)
            return [Problem.at("expr_constant_not_finite", location, expr=f"'{_shortened(text)}'", found=_shortened(found), value=value)]
    return []


def _first_name(tree: ast.AST) -> str | None:
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            return node.id
    return None


@contextlib.contextmanager
def _no_warnings() -> t.Iterator[None]:
    """Silence Python's SyntaxWarnings while parsing user text (e.g. '1 is 1')."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


# ---------------------------------------------------------------------------
# Column-wise evaluation

Column = npt.NDArray[t.Any]
Value = t.Union[Column, float, int, bool, str]


def _align(a: t.Any, b: t.Any) -> tuple[t.Any, t.Any]:
    """Broadcast a per-unit column (n,) against a per-dimension one (n, k)."""
    if isinstance(a, np.ndarray) and isinstance(b, np.ndarray) and {a.ndim, b.ndim} == {1, 2}:
        if a.ndim == 1:
            a = a[:, None]
        else:
            b = b[:, None]
    return a, b


def _binary(numpy_op: t.Callable[[t.Any, t.Any], t.Any], plain_op: t.Callable[[t.Any, t.Any], t.Any]) -> t.Callable[[t.Any, t.Any], t.Any]:
    """An operator that runs numpy on columns and ``plain_op`` on plain values."""

    def apply(a: t.Any, b: t.Any) -> t.Any:
        if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
            a, b = _align(a, b)
            return numpy_op(a, b)
        return plain_op(a, b)

    return apply


def _float64(plain_op: t.Callable[[t.Any, t.Any], t.Any]) -> t.Callable[[t.Any, t.Any], t.Any]:
    """Arithmetic on plain numbers (constants, params) in float64 like the
    columns: Python ints would grow without bound (9**9**9) and overflow when
    made a column (10**400), and Python's float power raises OverflowError
    (2.0**1024) or returns a complex number ((-8) ** 0.5) where numpy gives
    inf or NaN — which the checks on every score then report."""

    def apply(a: t.Any, b: t.Any) -> t.Any:
        return plain_op(np.float64(a), np.float64(b))

    return apply


def _is_number(x: t.Any) -> bool:
    """A number or a column of numbers (not text, not yes/no)."""
    if isinstance(x, np.ndarray):
        return x.dtype.kind in "fiu"
    return isinstance(x, (int, float, np.integer, np.floating)) and not isinstance(x, (bool, np.bool_))


def _comparison(
    tolerant: t.Callable[[t.Any, t.Any], t.Any],
    numpy_op: t.Callable[[t.Any, t.Any], t.Any],
    plain_op: t.Callable[[t.Any, t.Any], t.Any],
) -> t.Callable[[t.Any, t.Any], t.Any]:
    """A comparison decided like tier and grade bands (engine.numbers): numbers
    within float noise of each other are equal, so a satisfaction of
    (2·1 + 1·0.9 + 1·0.7) ÷ 4 × 100 meets ``>= 90``. Text and yes/no compare exactly."""

    def apply(a: t.Any, b: t.Any) -> t.Any:
        array = isinstance(a, np.ndarray) or isinstance(b, np.ndarray)
        if array:
            a, b = _align(a, b)
        if _is_number(a) and _is_number(b):
            result = tolerant(np.asarray(a, dtype=np.float64) if isinstance(a, np.ndarray) else float(a), b if isinstance(b, np.ndarray) else float(b))
            return result if array else bool(result)
        return numpy_op(a, b) if array else plain_op(a, b)

    return apply


def _power(a: t.Any, b: t.Any) -> t.Any:
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        a, b = _align(a, b)
        return np.power(np.asarray(a, dtype=np.float64), b)
    return np.power(np.float64(a), np.float64(b))


OPERATORS: dict[type, t.Callable[..., t.Any]] = {
    ast.Add: _binary(np.add, _float64(op.add)),
    ast.Sub: _binary(np.subtract, _float64(op.sub)),
    ast.Mult: _binary(np.multiply, _float64(op.mul)),
    ast.Div: _binary(np.true_divide, _float64(lambda a, b: a / b if b != 0 else np.float64("nan"))),
    ast.FloorDiv: _binary(np.floor_divide, _float64(lambda a, b: a // b if b != 0 else np.float64("nan"))),
    ast.Mod: _binary(np.mod, _float64(lambda a, b: a % b if b != 0 else np.float64("nan"))),
    ast.Pow: _power,
    ast.Eq: _comparison(numbers.eq, np.equal, op.eq),
    ast.NotEq: _comparison(numbers.ne, np.not_equal, op.ne),
    ast.Gt: _comparison(numbers.gt, np.greater, op.gt),
    ast.Lt: _comparison(numbers.lt, np.less, op.lt),
    ast.GtE: _comparison(numbers.ge, np.greater_equal, op.ge),
    ast.LtE: _comparison(numbers.le, np.less_equal, op.le),
    ast.BitAnd: _binary(np.logical_and, lambda a, b: bool(a) and bool(b)),
    ast.BitOr: _binary(np.logical_or, lambda a, b: bool(a) or bool(b)),
    ast.USub: op.neg,
    ast.UAdd: op.pos,
}


def _rows_sum(x: Column) -> tuple[Column, Column]:
    """Sum and count of present values per row, fast when nothing is absent."""
    width = x.shape[1]
    total = x.sum(axis=1)
    count = np.full(x.shape[0], float(width))
    gaps = np.isnan(total)
    if gaps.any():
        part = x[gaps]
        present = ~np.isnan(part)
        total[gaps] = np.where(present, part, 0.0).sum(axis=1)
        count[gaps] = present.sum(axis=1)
    return total, count


def _agg_sum(x: Column) -> Column:
    return _rows_sum(x)[0]


def _agg_mean(x: Column) -> Column:
    total, count = _rows_sum(x)
    with np.errstate(all="ignore"):
        result: Column = total / count  # count 0 → NaN, reported as "no values"
    return result


def rows_name(dim: str) -> str:
    """Name under which a dimension's row-presence mask is evaluated (not writable by authors)."""
    return f"__rows__{dim}"


def _agg_count(x: Column, rows: Column | None = None) -> Column:
    if rows is not None:
        existing: Column = np.broadcast_to(rows, x.shape).sum(axis=1).astype(np.float64)
        return existing
    if x.dtype.kind == "U":
        present: Column = (x != "").sum(axis=1).astype(np.float64)
        return present
    if x.dtype == np.bool_:
        return np.full(x.shape[0], float(x.shape[1]))
    return _rows_sum(x)[1]


def _agg_extreme(x: Column, pick: t.Callable[..., Column], fill: float) -> Column:
    result = pick(x, axis=1)
    gaps = np.isnan(result)
    if gaps.any():
        part = x[gaps]
        filled = np.where(np.isnan(part), fill, part)
        values = pick(filled, axis=1)
        values[np.isnan(part).all(axis=1)] = np.nan
        result[gaps] = values
    out: Column = result
    return out


def _trimmed_mean(x: Column, k: int = 1) -> Column:
    ordered = np.sort(x, axis=1)  # NaN (absent) sorts last
    count = (~np.isnan(x)).sum(axis=1)
    position = np.arange(x.shape[1])[None, :]
    keep = (position >= k) & (position < (count - k)[:, None])
    total = np.where(keep, ordered, 0.0).sum(axis=1)
    with np.errstate(all="ignore"):
        result: Column = total / (count - 2 * k)
    result[count - 2 * k <= 0] = np.nan
    return result


def _same_for_all(x: Column, cond: Column) -> bool:
    """A condition on the dimension alone (month <= 3) is a single row."""
    return isinstance(cond, np.ndarray) and cond.ndim == 2 and cond.shape[0] == 1 and x.shape[0] != 1


def _pick_columns(x: Column, cond: Column) -> Column:
    """The columns ``cond`` selects: a view when they are contiguous."""
    columns = np.flatnonzero(cond[0])
    if columns.size and columns[-1] - columns[0] + 1 == columns.size:
        return x[:, columns[0]:columns[-1] + 1]
    return x[:, columns]


def _sum_if(x: Column, cond: Column) -> Column:
    """Sum of the present values where ``cond`` holds, per row.

    Fast path: one masked pass and a row sum; only rows whose selection holds
    an absent (NaN) value are summed again, skipping it.
    """
    if _same_for_all(x, cond):
        return _rows_sum(_pick_columns(x, cond))[0]
    selected = np.where(cond, x, 0.0)
    total: Column = selected.sum(axis=1)
    gaps = np.isnan(total)
    if gaps.any():
        part = selected[gaps]
        total[gaps] = np.where(np.isnan(part), 0.0, part).sum(axis=1)
    return total


def _mean_if(x: Column, cond: Column) -> Column:
    if _same_for_all(x, cond):
        return _agg_mean(_pick_columns(x, cond))
    chosen = np.broadcast_to(cond, np.broadcast_shapes(np.shape(x), np.shape(cond)))
    count = (chosen & ~np.isnan(x)).sum(axis=1)
    with np.errstate(all="ignore"):
        result: Column = _sum_if(x, cond) / count
    return result


def _extreme(pick_columns: t.Callable[..., t.Any], pick_rows: t.Callable[..., Column], fill: float) -> t.Callable[..., t.Any]:
    def apply(*args: t.Any) -> t.Any:
        if len(args) == 1:
            return _agg_extreme(np.asarray(args[0], dtype=np.float64), pick_rows, fill)
        out = args[0]
        for arg in args[1:]:
            a, b = _align(out, arg)
            out = pick_columns(a, b)
        return out

    return apply


def _round(x: t.Any, digits: int = 0) -> t.Any:
    from engine.numbers import round_half_up

    values = np.asarray(x, dtype=np.float64)
    if values.ndim == 0:
        # round(2.5): a constant; round_half_up works in place on arrays.
        return round_half_up(values.reshape(1), digits)[0]
    return round_half_up(values, digits)


def _where(cond: t.Any, yes: t.Any, no: t.Any) -> t.Any:
    # Any of the three may be per unit (n,) and another per dimension (n, k) — the condition
    # may also be a plain constant ("x if True else y"): every per-unit column becomes (n, 1).
    parts = (cond, yes, no)
    if any(isinstance(v, np.ndarray) and v.ndim == 2 for v in parts):
        cond, yes, no = (v[:, None] if isinstance(v, np.ndarray) and v.ndim == 1 else v for v in parts)
    return np.where(cond, yes, no)


IMPLEMENTATIONS: dict[str, t.Callable[..., t.Any]] = {
    "sum": _agg_sum,
    "mean": _agg_mean,
    "avg": _agg_mean,
    "count": _agg_count,
    "trimmed_mean": _trimmed_mean,
    "any": lambda b: np.asarray(b).any(axis=1),
    "all": lambda b: np.asarray(b).all(axis=1),
    "count_if": lambda b: np.asarray(b).sum(axis=1).astype(np.float64),
    "sum_if": _sum_if,
    "mean_if": _mean_if,
    "min": _extreme(np.minimum, np.min, np.inf),
    "max": _extreme(np.maximum, np.max, -np.inf),
    "clamp": lambda x, lo, hi: np.clip(x, lo, hi),
    "where": _where,
    "abs": np.abs,
    "round": _round,
    "floor": np.floor,
    "ceil": np.ceil,
    "not_": np.logical_not,
}


def _no_zero_dim(function: t.Callable[..., t.Any]) -> t.Callable[..., t.Any]:
    """A function whose result on plain values is a plain value: numpy gives a
    0-d array for where(True, 1, 2), which neither indexes nor broadcasts like
    a column (IndexError in a veto, a wrong shape next to a per-month column)."""

    def apply(*args: t.Any) -> t.Any:
        # A Python int numpy cannot hold as int64 (-9223372036854775809) would raise
        # OverflowError inside where() and the like; every number is a float64 in a column.
        args = tuple(float(a) if type(a) is int and not -2**63 <= a < 2**63 else a for a in args)
        result = function(*args)
        if isinstance(result, np.ndarray) and result.ndim == 0:
            return result[()]
        return result

    return apply


class ColumnEvaluator(simpleeval.SimpleEval):  # type: ignore[misc]
    """simpleeval over numpy columns; one instance per evaluation run."""

    def __init__(self, names: t.Mapping[str, t.Any]) -> None:
        functions = {name: _no_zero_dim(function) for name, function in IMPLEMENTATIONS.items()}
        # sum(v) / count(v) reads the same input twice; remember row sums of
        # input columns (never of temporaries, whose ids may be reused).
        inputs = {id(v) for v in names.values() if isinstance(v, np.ndarray) and v.ndim == 2}
        cache: dict[int, tuple[Column, Column]] = {}

        def rows_sum(x: Column) -> tuple[Column, Column]:
            if id(x) not in inputs:
                return _rows_sum(x)
            if id(x) not in cache:
                cache[id(x)] = _rows_sum(x)
            return cache[id(x)]

        def mean(x: Column) -> Column:
            total, count = rows_sum(x)
            with np.errstate(all="ignore"):
                result: Column = total / count
            return result

        functions["sum"] = lambda x: rows_sum(x)[0]
        functions["mean"] = functions["avg"] = mean
        functions["count"] = lambda x, rows=None: rows_sum(x)[1] if x.dtype.kind == "f" else _agg_count(x, rows)
        super().__init__(operators=OPERATORS, functions=functions, names=names)

    def _eval_name(self, node: ast.Name) -> t.Any:
        try:
            return super()._eval_name(node)
        except simpleeval.NameNotDefined:
            # 'true'/'false' written in lower case (as YAML does): the checker
            # accepts them unless an input has that id, which wins above.
            if node.id in _LITERAL_NAMES:
                return _LITERAL_NAMES[node.id]
            raise

    def column(self, expression: Expression, n: int) -> Column:
        """Evaluate ``expression`` to a column of ``n`` values."""
        with np.errstate(all="ignore"):
            value = self.eval(expression.source, previously_parsed=expression.tree)
        column: Column = as_column(value, n)
        return column


class TracingEvaluator(ColumnEvaluator):
    """Records the value of every function call and name, for ``explain``."""

    def __init__(self, names: t.Mapping[str, t.Any]) -> None:
        super().__init__(names)
        self.steps: list[tuple[ast.AST, t.Any]] = []

    def _eval(self, node: ast.AST) -> t.Any:
        value = super()._eval(node)
        if isinstance(node, (ast.Call, ast.Name)) and not getattr(node, "kaohe_synthetic", False):
            self.steps.append((node, value))
        return value


class _FiniteChecker(ColumnEvaluator):
    """Evaluates a name-free part at compile time, keeping its first step that
    is a number but not a finite one."""

    def __init__(self) -> None:
        super().__init__(_LITERAL_NAMES)
        self.bad: tuple[ast.AST, str] | None = None

    def _eval(self, node: ast.AST) -> t.Any:
        value = super()._eval(node)
        if self.bad is None and _is_number(value) and not _finite(value):
            self.bad = (node, _shown_number(value))
        return value


def _finite(value: t.Any) -> bool:
    """Whether a number (or every number of an array) is finite; a Python int
    beyond float64 (``-9223372036854775809`` is fine, ``10**400`` is not) counts as float64 would."""
    try:
        with np.errstate(all="ignore"):
            return bool(np.all(np.isfinite(np.asarray(value, dtype=np.float64))))
    except (OverflowError, TypeError, ValueError):
        return False


def _shown_number(value: t.Any) -> str:
    try:
        return str(np.asarray(value, dtype=np.float64).flat[0])
    except (OverflowError, TypeError, ValueError):
        text = str(value)
        return text if len(text) <= 24 else f"{text[:12]}…（{len(text)} 位）"


def as_column(value: t.Any, n: int) -> Column:
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
    return np.full(n, float(value))


def source_of(expression: Expression, node: ast.AST) -> str:
    """The text of a sub-expression, for traces."""
    segment = ast.get_source_segment(expression.source, node)
    return segment if segment is not None else ast.unparse(node)
