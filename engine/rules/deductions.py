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
from engine.yamltypes import Yaml, YamlMap, integer, mapping, mappings, number, optional_number, text

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
    #: A count reaching this zeroes the whole item (迟到两次以上得 0 分).
    zero_at: int | None = None


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
        zeroed = np.zeros(ev.n, dtype=bool)
        for k, clause in enumerate(self.clauses):
            if clause.count is not None:
                count = np.asarray(ev.column(clause.count), dtype=np.float64)
                ev.note(item, f"count{k}", count)
                if clause.zero_at is not None:
                    zeroed |= count >= clause.zero_at
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
        if zeroed.any():
            # The item's floor (0 unless it declares a min): 得 0 分 / 本项不得分.
            floor = item.min if np.isfinite(item.min) else 0.0
            result = np.where(zeroed, floor, result)
            if ev.trace.active and zeroed[0]:
                ev.trace.step(Text(f"次数达到规定，本项得 {floor:g} 分", f"count reached: the item scores {floor:g}"), result)
        return result

    def describe(self) -> str:
        clauses = "；".join(
            f"{c.title} {c.per:g}×{c.count.source}" + (f"，达 {c.zero_at} 次本项不得分" if c.zero_at is not None else "")
            if c.count is not None else f"{c.title} {c.per:g}（{c.when.source if c.when else ''}）"
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
                times = unit.detail(f"count{k}") or 0.0
                count = unit.figure(times)
                per = format_number(clause.per)
                if clause.zero_at is not None and times >= clause.zero_at:
                    lines.append(Text(f"{clause.title}：{count} 次，达到 {clause.zero_at} 次，本项不得分",
                                      f"{clause.title}: {count} times, {clause.zero_at} or more: no points for the item"))
                    continue
                lines.append(Text(f"{clause.title}：{count} 次，每次扣 {per} 分，扣 {off} 分",
                                  f"{clause.title}: {count} × {per} = {off} points off"))
            else:
                lines.append(Text(f"{clause.title}，扣 {off} 分", f"{clause.title}: {off} points off"))
        if taken > self.start - item.min + 1e-9:
            lines.append(Text("减完为止", "floored (减完为止)"))
        return lines


def _clause(c: Compiling, spec: YamlMap, path: YamlPath, what: Text) -> Clause | None:
    counted = "count" in spec or "per" in spec
    conditional = "when" in spec or "points" in spec
    if counted == conditional or ("count" in spec) != ("per" in spec) or ("when" in spec) != ("points" in spec):
        c.problem("schema_other", path, reason=Text("每条扣分写 'per' + 'count'（按次扣）或 'points' + 'when'（满足条件扣）", "a clause takes either 'per' + 'count' or 'points' + 'when'"))
        return None
    if "zero_at" in spec and not counted:
        c.problem("schema_other", path + ("zero_at",), reason=Text("zero_at（达到几次本项得 0 分）只用于按次扣分的条款（per + count）",
                                                                  "zero_at (the count that zeroes the item) belongs to a counted clause (per + count)"))
        return None
    if counted:
        count = c.expression(path + ("count",), NUMBER, what)
        if count is None:
            return None
        zero_at = spec.get("zero_at")
        return Clause(text(spec["title"]), number(spec["per"]), count, None, optional_number(spec.get("cap")), c.at(path),
                      None if zero_at is None else integer(zero_at))
    when = c.expression(path + ("when",), BOOL, what)
    if when is None:
        return None
    return Clause(text(spec["title"]), number(spec["points"]), None, when, optional_number(spec.get("cap")), c.at(path))


def compile_deductions(c: Compiling, body: Yaml, path: YamlPath, what: Text, high: float) -> DeductionsRule | None:
    spec = mapping(body)
    clauses = [_clause(c, clause, path + ("clauses", i), what) for i, clause in enumerate(mappings(spec["clauses"]))]
    kept = [clause for clause in clauses if clause is not None]
    if len(kept) < len(clauses):
        return None
    return DeductionsRule(number(spec.get("start", high)), tuple(kept), optional_number(spec.get("cap")))


KIND = Kind("deductions", Text("扣分", "deductions"), compile_deductions,
            needs_max=lambda body: not isinstance(body, dict) or "start" not in body)
