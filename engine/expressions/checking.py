"""Type-check an expression tree against the declared names: a type, or located problems.

Every node's :class:`ValueType` is inferred bottom-up. Undeclared names,
unknown functions, wrong argument counts, text in arithmetic, a condition
where a number belongs, values per dimension left un-aggregated inside a
per-unit operation, mixed dimensions and category literals no declared value
matches are problems, each naming the expression. The tree (already in
column operations, engine.expressions.rewriting) is only read: what must
change in it for the evaluator is returned as :data:`~engine.expressions.rewriting.Rewrite` values.
"""

from __future__ import annotations

import ast
import dataclasses
import math
import typing as t

from engine import aggregates, numbers
from engine.errors import Location, Problem
from engine.expressions.language import (
    BOOL, FUNCTIONS, MAX_ROUND_DIGITS, MAX_TRIM, NUMBER, PUBLIC_FUNCTIONS, FunctionSpec, Kind, ValueType, kind_text,
)
from engine.expressions.rewriting import AcrossCall, Rewrite, RowsMask
from engine.messages import Text, closest


@dataclasses.dataclass(frozen=True)
class Checked:
    """What checking an expression tree found."""

    #: The expression's type, or None when a problem stopped the check.
    type: ValueType | None
    #: The declared names it reads.
    used: frozenset[str]
    problems: tuple[Problem, ...]
    #: What the evaluator needs changed in the tree (engine.expressions.rewriting.apply).
    rewrites: tuple[Rewrite, ...]


def check(tree: ast.expr, source: str, names: t.Mapping[str, ValueType], location: Location,
          categories: t.Mapping[str, tuple[str, ...]] | None = None) -> Checked:
    """Infer the type of ``tree`` (the text ``source``), given the declared ``names``
    and the declared values of category names (``categories``)."""
    checker = _Checker(source, names, location, categories)
    found = checker.check(tree)
    return Checked(found, frozenset(checker.used), tuple(checker.problems), tuple(checker.rewrites))


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
        self.rewrites: list[Rewrite] = []

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
                self.type_error(_operand(operation), kind_text(left.kind), right, Text("比较的两边应为同一类型。", "both sides of a comparison must have the same type."))
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
        if spec.across:
            return _check_across(self, name, node)
        args = [self.check(arg) for arg in node.args]
        if any(a is None for a in args):
            return None
        types = t.cast(list[ValueType], args)
        result = self._function_type(spec, types, node)
        if result is not None and name == "count" and types[0].kind == "bool" and types[0].dim:
            self.rewrites.append(RowsMask(node, types[0].dim))
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
            if name in ("sum_if", "mean_if", "trimmed_mean_if"):
                cond = args[1]
                if first.kind != "number" or cond.kind != "bool":
                    self.type_error(_argument(name), Text("(数字, 条件)", "(number, condition)"), cond if first.kind == "number" else first)
                    return None
                if cond.dim != first.dim:
                    self.fail("expr_mixed_dims", a=first.dim, b=cond.dim or Text("单位", "unit"))
                    return None
                if len(args) == 3 and not self.trim(name, node.args[2], args[2]):
                    return None
                return NUMBER
            if name == "count":
                return NUMBER
            if first.kind != "number":
                self.type_error(_argument(name), _NUMBER, first)
                return None
            if name == "trimmed_mean" and len(args) == 2 and not self.trim(name, node.args[1], args[1]):
                return None
            return NUMBER
        if name == "where":
            cond, yes, no = args
            if cond.kind != "bool":
                self.type_error(_argument(name), _CONDITION, cond)
                return None
            if yes.kind != no.kind:
                self.type_error(_argument(name), kind_text(yes.kind), no, Text("两个取值应为同一类型。", "both values must have the same type."))
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

    def trim(self, name: str, node: ast.expr, found: ValueType) -> bool:
        """The k of trimmed_mean(x, k) / trimmed_mean_if(x, c, k): a whole-number constant within bounds."""
        if not _whole_constant(node):
            self.type_error(_argument(name), _INTEGER, found)
            return False
        return self.int_in_range(name, node, Text("参数 k（两端各去掉的个数）", "k (values dropped at each end)"), MAX_TRIM)

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


def _check_across(checker: _Checker, name: str, node: ast.Call) -> ValueType | None:
    """A cross-unit function (engine.aggregates): a per-unit value, a scope and an
    order literal (checked first: ``group`` unquoted is a scope, not a name).
    The rewrite makes the scope the name of its label column."""
    spec = aggregates.SPECS[name]
    literals = [(aggregates.SCOPES, "agg_scope"), (aggregates.ORDERS, "agg_order")]
    for arg, (allowed, code) in zip(node.args[1:], literals):
        if not (isinstance(arg, ast.Constant) and isinstance(arg.value, str) and arg.value in allowed):
            found = ast.get_source_segment(checker.source, arg) or ast.unparse(arg)
            checker.fail(code, name=name, found=found, allowed=" / ".join(f"'{a}'" for a in allowed),
                      suggest=closest(str(getattr(arg, "value", getattr(arg, "id", found))), allowed))
            return None
    first = checker.check(node.args[0])
    if first is None:
        return None
    if first.dim is not None or first.kind == "text" or (first.kind == "bool" and not spec.takes_condition):
        expected = Text("每单位一个数字或条件", "one number or condition per unit") if spec.takes_condition else Text("每单位一个数字", "one number per unit")
        advice = (Text(f"先用 mean()/sum() 等把按维度的值汇总为每单位一个值，如 {name}(mean(x))。", f"aggregate per unit first, e.g. {name}(mean(x)).")
                  if first.dim is not None else Text("", ""))
        checker.type_error(_argument(name), expected, first, advice)
        return None
    if not any(isinstance(n, ast.Name) and n.id in checker.names for n in ast.walk(node.args[0])):
        checker.fail("agg_constant", name=name)
        return None
    checker.rewrites.append(AcrossCall(node))
    return NUMBER


_NUMBER = Text("数字", "a number")
_CONDITION = Text("条件（是/否）", "a condition (yes/no)")
_INTEGER = Text("整数常量", "a whole-number constant")


def _whole_constant(node: ast.expr) -> bool:
    """A written whole number (not True/False, which Python counts as ints)."""
    return isinstance(node, ast.Constant) and isinstance(node.value, int) and not isinstance(node.value, bool)


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
