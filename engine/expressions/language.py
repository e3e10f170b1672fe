"""The expression language itself: value types, functions and their signatures, limits.

What the stages share: the parser and checker read the limits, the types
and the signatures; the evaluator provides what the checker lets an
expression read without declaring it (``true``/``false``, a dimension's
row mask). An :class:`Expression` is what compiling one turns into.
"""

from __future__ import annotations

import ast
import dataclasses
import typing as t

from engine import aggregates
from engine.errors import Location
from engine.messages import Text

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


def kind_text(kind: Kind) -> Text:
    """A kind in words (``数字`` / ``a number``)."""
    return Text(KIND_TITLES["zh"][kind], KIND_TITLES["en"][kind])


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
    #: Does it look across units (engine.aggregates)?
    across: bool = False


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
        FunctionSpec("trimmed_mean_if", 2, 3, Text("trimmed_mean_if(x, 条件, k): 满足条件的记录去掉 k 个最高和 k 个最低后求平均（k 默认 1）",
                                                   "trimmed_mean_if(x, condition, k): average of the records where it holds, without the k highest and k lowest (k defaults to 1)"), True),
        FunctionSpec("min", 1, 99, Text("min(x): 按维度的最小值；min(a, b, …): 逐单位取较小者", "min(x): smallest over the dimension; min(a, b, …): the smaller per unit")),
        FunctionSpec("max", 1, 99, Text("max(x): 按维度的最大值；max(a, b, …): 逐单位取较大者", "max(x): largest over the dimension; max(a, b, …): the larger per unit")),
        FunctionSpec("clamp", 3, 3, Text("clamp(x, 下限, 上限): 截取到区间内", "clamp(x, low, high): bounded to the range")),
        FunctionSpec("where", 3, 3, Text("where(条件, 是时的值, 否时的值)", "where(condition, value if true, value if false)")),
        FunctionSpec("abs", 1, 1, Text("abs(x): 绝对值", "abs(x): absolute value")),
        FunctionSpec("round", 1, 2, Text("round(x, n): 四舍五入到 n 位小数（n 默认 0）", "round(x, n): half-up to n decimals (n defaults to 0)")),
        FunctionSpec("floor", 1, 1, Text("floor(x): 向下取整", "floor(x): round down")),
        FunctionSpec("ceil", 1, 1, Text("ceil(x): 向上取整", "ceil(x): round up")),
        FunctionSpec("not_", 1, 1, Text("not 条件", "not condition")),
        *(FunctionSpec(a.name, 1, a.max_args, a.usage, across=True) for a in aggregates.SPECS.values()),
    )
}

PUBLIC_FUNCTIONS = tuple(name for name in FUNCTIONS if name != "not_")

#: Names an expression may use without declaring them.
LITERAL_NAMES: dict[str, bool] = {"True": True, "False": False, "true": True, "false": False}


def rows_name(dim: str) -> str:
    """Name under which a dimension's row-presence mask is evaluated (not writable by authors)."""
    return f"__rows__{dim}"
