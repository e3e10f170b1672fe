"""``deductions:`` — start from full marks and take off every clause (扣分，减完为止)."""

from __future__ import annotations

import dataclasses
import typing as t

import numpy as np

from engine.errors import Location
from engine.expressions import BOOL, NUMBER, Expression
from engine.messages import Text
from engine.numbers import format_number
from engine.rules.base import Compiling, Evaluating, Explaining, FloatArray, Kind

if t.TYPE_CHECKING:
    from engine.loader import YamlPath
    from engine.model import Item


@dataclasses.dataclass(frozen=True)
class Clause:
    """One deduction: ``per`` × ``count``, or ``points`` when ``when`` holds."""

    title: str
    per: float
    #: Number of occurrences (``None`` for a condition clause).
    count: Expression | None
    #: Condition of a fixed deduction (``None`` for a counted clause).
    when: Expression | None
    #: Most this clause may deduct.
    cap: float | None
    location: Location


@dataclasses.dataclass(frozen=True)
class DeductionsRule:
    """Start from ``start`` and subtract every clause (one shared floor)."""

    start: float
    clauses: tuple[Clause, ...]
    #: Most all clauses together may deduct.
    cap: float | None

    def expressions(self) -> tuple[Expression, ...]:
        return tuple(e for c in self.clauses for e in (c.count, c.when) if e is not None)

    def source(self) -> str:
        return "deductions"

    def evaluate(self, ev: Evaluating, item: Item) -> FloatArray:
        taken = np.zeros(ev.n)
        for k, clause in enumerate(self.clauses):
            if clause.count is not None:
                count = np.asarray(ev.column(clause.count), dtype=np.float64)
                ev.note(item, f"count{k}", count)
                amount = clause.per * count
                label = Text(f"扣分「{clause.title}」{clause.per:g} × {clause.count.source}", f"deduction '{clause.title}' {clause.per:g} × {clause.count.source}")
            else:
                assert clause.when is not None  # a clause has a count or a condition (compile_deductions)
                amount = np.where(np.asarray(ev.column(clause.when), dtype=bool), clause.per, 0.0)
                label = Text(f"扣分「{clause.title}」{clause.per:g}（{clause.when.source}）", f"deduction '{clause.title}' {clause.per:g} ({clause.when.source})")
            if clause.cap is not None:
                amount = np.minimum(amount, clause.cap)
                label = Text(label.zh + f"，本条最多 {clause.cap:g}", label.en + f", at most {clause.cap:g}")
            ev.note(item, f"clause{k}", amount)
            ev.trace.step(label, amount)
            taken = taken + amount
        if self.cap is not None:
            taken = np.minimum(taken, self.cap)
        ev.trace.step(Text(f"起始 {self.start:g} − 扣分合计", f"{self.start:g} − all deductions"), self.start - taken)
        result: FloatArray = self.start - taken
        return result

    def describe(self) -> str:
        clauses = "；".join(
            f"{c.title} {c.per:g}×{c.count.source}" if c.count is not None else f"{c.title} {c.per:g}（{c.when.source if c.when else ''}）"
            for c in self.clauses
        )
        cap = f"，最多扣 {self.cap:g}" if self.cap is not None else ""
        return f"扣分 起 {self.start:g}{cap}: {clauses}"

    def words(self, item: Item) -> Text:
        return Text(f"{self.start:g} 起扣，{len(self.clauses)} 条，最低 {item.min:g}", f"from {self.start:g}, {len(self.clauses)} clause(s), floor {item.min:g}")

    def explain(self, item: Item, unit: Explaining) -> list[Text]:
        lines: list[Text] = []
        taken = 0.0
        for k, clause in enumerate(self.clauses):
            amount = unit.detail(f"clause{k}") or 0.0
            if amount <= 0:
                continue
            taken += amount
            off = unit.figure(amount)
            if clause.count is not None:
                count = unit.figure(unit.detail(f"count{k}") or 0.0)
                per = format_number(clause.per)
                lines.append(Text(f"{clause.title}：{count} 次，每次扣 {per} 分，扣 {off} 分",
                                  f"{clause.title}: {count} × {per} = {off} points off"))
            else:
                lines.append(Text(f"{clause.title}，扣 {off} 分", f"{clause.title}: {off} points off"))
        if taken > self.start - item.min + 1e-9:
            lines.append(Text("减完为止", "floored (减完为止)"))
        return lines


def _clause(c: Compiling, spec: dict[str, t.Any], path: YamlPath, what: Text) -> Clause | None:
    counted = "count" in spec or "per" in spec
    conditional = "when" in spec or "points" in spec
    if counted == conditional or ("count" in spec) != ("per" in spec) or ("when" in spec) != ("points" in spec):
        c.problem("schema_other", path, reason=Text("每条扣分写 'per' + 'count'（按次扣）或 'points' + 'when'（满足条件扣）", "a clause takes either 'per' + 'count' or 'points' + 'when'"))
        return None
    if counted:
        count = c.expression(path + ("count",), NUMBER, what)
        if count is None:
            return None
        return Clause(spec["title"], float(spec["per"]), count, None, _opt(spec.get("cap")), c.at(path))
    when = c.expression(path + ("when",), BOOL, what)
    if when is None:
        return None
    return Clause(spec["title"], float(spec["points"]), None, when, _opt(spec.get("cap")), c.at(path))


def _opt(value: t.Any) -> float | None:
    return None if value is None else float(value)


def compile_deductions(c: Compiling, body: t.Any, path: YamlPath, what: Text, high: float) -> DeductionsRule | None:
    clauses = [_clause(c, clause, path + ("clauses", i), what) for i, clause in enumerate(body["clauses"])]
    kept = [clause for clause in clauses if clause is not None]
    if len(kept) < len(clauses):
        return None
    return DeductionsRule(float(body.get("start", high)), tuple(kept), _opt(body.get("cap")))


KIND = Kind("deductions", Text("扣分", "deductions"), compile_deductions,
            needs_max=lambda body: not isinstance(body, dict) or "start" not in body)
