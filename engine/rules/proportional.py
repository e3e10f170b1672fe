"""``proportional:`` — 同比例: score = max × value ÷ full."""

from __future__ import annotations

import dataclasses
import typing as t

import numpy as np

from engine.expressions import NUMBER, Expression
from engine.messages import Text
from engine.numbers import format_number
from engine.rules.base import Compiling, Evaluating, Explaining, FloatArray, Kind
from engine.yamltypes import Yaml, mapping, number

if t.TYPE_CHECKING:
    from engine.loader import YamlPath
    from engine.model import Item


@dataclasses.dataclass(frozen=True)
class ProportionalRule:
    """Score = max × value ÷ full (同比例)."""

    value: Expression
    full: float

    def expressions(self) -> tuple[Expression, ...]:
        return (self.value,)

    def source(self) -> str:
        return f"'{self.value.source}'"

    def evaluate(self, ev: Evaluating, item: Item) -> FloatArray:
        value = np.asarray(ev.column(self.value), dtype=np.float64)
        ev.note(item, "value", value)
        result: FloatArray = item.max * value / self.full
        ev.trace.step(f"{item.max:g} × {self.value.source} ÷ {self.full:g}", result)
        return result

    def describe(self) -> str:
        return f"同比例 {self.value.source} ÷ {self.full:g}"

    def words(self, item: Item) -> Text:
        text = f"{item.max:g} × {self.value.source} ÷ {self.full:g}"
        return Text(text, text)

    def explain(self, item: Item, unit: Explaining) -> list[Text]:
        raw, value = unit.detail("raw") or 0.0, unit.detail("value") or 0.0
        name = unit.words(self.value.source) or Text("评分依据", "the value")
        sum_ = f"{format_number(item.max)} × {unit.figure(value)} ÷ {format_number(self.full)} = {unit.figure(raw)}"
        return [Text(f"{name.zh} {unit.figure(value)}，按比例计分：{sum_}", f"{name.en} {unit.figure(value)}, in proportion: {sum_}")]


def compile_proportional(c: Compiling, body: Yaml, path: YamlPath, what: Text, high: float) -> ProportionalRule | None:
    value = c.expression(path + ("value",), NUMBER, what)
    return ProportionalRule(value, number(mapping(body)["full"])) if value else None


KIND = Kind("proportional", Text("同比例", "proportional"), compile_proportional,
            needs_max=lambda body: True, warn_outside=True)
