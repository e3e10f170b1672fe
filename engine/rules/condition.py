"""``condition:`` — all or nothing (全有或全无): ``points`` when the condition holds, else ``otherwise``."""

from __future__ import annotations

import dataclasses
import typing as t

import numpy as np

from engine.expressions import BOOL, Expression
from engine.messages import Text
from engine.rules.base import Compiling, Evaluating, Explaining, FloatArray, Kind
from engine.yamltypes import Yaml, mapping, number

if t.TYPE_CHECKING:
    from engine.loader import YamlPath
    from engine.model import Item


@dataclasses.dataclass(frozen=True)
class ConditionRule:
    """All or nothing: ``points`` when the condition holds, else ``otherwise``."""

    when: Expression
    points: float
    otherwise: float

    def expressions(self) -> tuple[Expression, ...]:
        return (self.when,)

    def source(self) -> str:
        return "condition"

    def evaluate(self, ev: Evaluating, item: Item) -> FloatArray:
        when = np.asarray(ev.column(self.when), dtype=bool)
        ev.note(item, "when", when)
        ev.trace.step(Text(f"条件 {self.when.source}", f"condition {self.when.source}"), when)
        return np.where(when, self.points, self.otherwise)

    def describe(self) -> str:
        return f"条件 {self.when.source} → {self.points:g}，否则 {self.otherwise:g}"

    def words(self, item: Item) -> Text:
        return Text(f"{self.when.source} → {self.points:g}，否则 {self.otherwise:g}", f"{self.when.source} → {self.points:g}, else {self.otherwise:g}")

    def explain(self, item: Item, unit: Explaining) -> list[Text]:
        words = unit.words(self.when.source)
        zh, en = (f"（{words.zh}）", f" ({words.en})") if words else ("", "")
        if unit.detail("when"):
            return [Text(f"达到要求{zh}", f"condition met{en}")]
        return [Text(f"未达到要求{zh}", f"condition not met{en}")]


def compile_condition(c: Compiling, body: Yaml, path: YamlPath, what: Text, high: float) -> ConditionRule | None:
    when = c.expression(path + ("when",), BOOL, what)
    if when is None:
        return None
    spec = mapping(body)
    return ConditionRule(when, number(spec.get("points", high)), number(spec.get("otherwise", 0)))


KIND = Kind("condition", Text("全有或全无", "condition"), compile_condition,
            needs_max=lambda body: not isinstance(body, dict) or "points" not in body)
