"""``formula:`` — the score is an expression's value (得分 = 表达式)."""

from __future__ import annotations

import dataclasses
import typing as t

import numpy as np

from engine.expressions import NUMBER, Expression
from engine.messages import Text
from engine.numbers import format_number
from engine.rules.base import Compiling, Evaluating, Explaining, FloatArray, Kind

if t.TYPE_CHECKING:
    from engine.loader import YamlPath
    from engine.model import Item


@dataclasses.dataclass(frozen=True)
class FormulaRule:
    """Score = an expression."""

    expr: Expression

    def expressions(self) -> tuple[Expression, ...]:
        return (self.expr,)

    def source(self) -> str:
        return f"'{self.expr.source}'"

    def evaluate(self, ev: Evaluating, item: Item) -> FloatArray:
        return np.asarray(ev.column(self.expr), dtype=np.float64)

    def describe(self) -> str:
        return f"公式 {self.expr.source}"

    def words(self, item: Item) -> Text:
        return Text(self.expr.source, self.expr.source)

    def explain(self, item: Item, unit: Explaining) -> list[Text]:
        if not unit.score < item.max:
            return []  # full marks need no words
        raw = unit.detail("raw")
        raw = unit.score if raw is None else raw
        read = [unit.input_summary(name) for name in sorted(self.expr.names)]
        zh = "；".join(x.zh for x in read if x.zh) + f"；计算得 {format_number(raw)}"
        en = "；".join(x.en for x in read if x.en) + f"; result {format_number(raw)}"
        return [Text(zh, en)]


def compile_formula(c: Compiling, body: t.Any, path: YamlPath, what: Text, high: float) -> FormulaRule | None:
    expr = c.expression(path, NUMBER, what)
    return FormulaRule(expr) if expr else None


KIND = Kind("formula", Text("公式", "formula"), compile_formula, allows_no_max=True, warn_outside=True)
