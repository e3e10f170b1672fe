"""One unit's outcome → its explanation: every step of its score (inputs read, rule
applied, values, grades, vetoes, rankings, actions, corrections) as text
(``kaohe explain``), as JSON (``--format json``) and as the view the workbench's
unit page shows (:func:`explain_view`).
"""

from __future__ import annotations

import json
import re
import typing as t

import numpy as np

from engine import rules
from engine import selfscores, to_date
from engine.context import DEFAULT, Context
from engine.data import Correction
from engine.evaluate import BY_HAND, NOT_APPLICABLE, ItemTrace, Results, evaluate
from engine.grade import Outcomes
from engine.model import Grade, Item, Node, Scheme, max_for, period_name, sought_name
from engine.numbers import format_max, format_number, format_score
from engine.rank import Placement, seat_text
from engine.templating import environment


class InputLine(t.TypedDict):
    """An input an item's rule read: its values for the unit and where they came from."""

    input: str
    title: str
    #: Dimension title when the input has several values (月份, 测评人).
    dim: str | None
    cells: tuple[str, ...]
    origin: str


class StepLine(t.TypedDict):
    """One step of a rule's working (a sub-expression and its value)."""

    label: str
    value: str


class NodeLine(t.TypedDict):
    """One part, section or item of the explanation, at its depth in the scheme's tree."""

    title: str
    id: str
    depth: int
    score: str
    max: str
    note: str
    #: The rule in words (an item whose rule ran); None otherwise.
    rule: str | None
    #: The rule's kind, where it is written, what it read and its steps (an item whose rule ran).
    kind: t.NotRequired[str]
    where: t.NotRequired[str]
    inputs: t.NotRequired[list[InputLine]]
    steps: t.NotRequired[list[StepLine]]


class GradeLine(t.TypedDict):
    """How a grade was decided for the unit."""

    title: str
    label: str | None
    explain: str


class VetoLine(t.TypedDict):
    """A veto that struck the unit, with the values its condition read."""

    id: str
    title: str
    effect: str
    when: str
    read: str


class PlacementLine(t.TypedDict):
    """The unit's place in a ranking, with the seats' arithmetic."""

    title: str
    id: str
    text: str


class ActionLine(t.TypedDict):
    """An action's condition, the values it read, and whether it holds for the unit."""

    id: str
    title: str
    when: str
    where: str
    read: str
    hit: str


class ExplainUnit(t.TypedDict):
    """The unit's facts: total, ranks, grades, vetoes, placements, actions, corrections."""

    id: str
    name: str
    group: str
    type: str
    manual: bool
    total: str
    rank: int
    ranked: int
    group_rank: int
    group_ranked: int
    grades: list[GradeLine]
    vetoes: list[VetoLine]
    rankings: list[PlacementLine]
    #: 自评与核查 lines (empty when nothing is self-assessed).
    self_check: list[str]
    actions: list[ActionLine]
    corrections: list[str]
    #: False for a classification scheme (actions only, no total or rank to show).
    scored: bool


class ExplainView(t.TypedDict):
    """What :func:`explain_view` gives: the unit, its lines in scheme order, the total's formula."""

    unit: ExplainUnit
    nodes: list[NodeLine]
    total_formula: str


def explain(outcomes: Outcomes, index: int, context: Context = DEFAULT) -> str:
    """Every step of one unit's score as text: inputs read, rule applied, values, grades."""
    return _rendered(outcomes, index, "txt", context)


def explain_page(outcomes: Outcomes, index: int, fmt: t.Literal["md", "html"], context: Context = DEFAULT) -> str:
    """The same explanation as :func:`explain`, as Markdown (the items a nested list) or as an
    HTML page in the reports' house style (``kaohe explain --format md|html``)."""
    return _rendered(outcomes, index, fmt, context)


def _rendered(outcomes: Outcomes, index: int, fmt: t.Literal["txt", "md", "html"], context: Context) -> str:
    """The explanation view filled into ``explain.<fmt>.j2``."""
    view = explain_view(outcomes, index, context)
    template = environment(context).get_template(f"explain.{fmt}.j2")
    text = template.render(scheme=outcomes.results.scheme, unit=view["unit"], nodes=view["nodes"], total_formula=view["total_formula"],
                           to_date=to_date.note(outcomes.results.scheme, context))
    return re.sub(r"\n{3,}", "\n\n", text)  # sections a scheme does not have leave no gaps


def explain_json(outcomes: Outcomes, index: int, context: Context = DEFAULT) -> str:
    """The same explanation as :func:`explain`, as a JSON document whose items
    form a tree (a section holds its items under ``children``), for programs."""
    view = explain_view(outcomes, index, context)
    scheme = outcomes.results.scheme
    tree: list[dict[str, object]] = []
    open_at: list[list[dict[str, object]]] = [tree]
    for row in view["nodes"]:
        node = {k: v for k, v in row.items() if k != "depth"}
        children: list[dict[str, object]] = []
        node["children"] = children
        depth = min(int(row["depth"]), len(open_at) - 1)
        del open_at[depth + 1:]
        open_at[depth].append(node)
        open_at.append(children)
    unit = {k: v for k, v in view["unit"].items() if k != "self_check" or v}  # 自评与核查 only where there is one
    document = {"scheme": {"id": scheme.id, "version": scheme.version, "title": scheme.title},
                "unit": unit, "items": tree, "total_formula": view["total_formula"]}
    return json.dumps(document, ensure_ascii=False, indent=2, default=_json_default) + "\n"


def _json_default(value: object) -> object:
    """numpy scalars and arrays as plain JSON values (ids are numpy strings)."""
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    return str(value)


def explain_view(outcomes: Outcomes, index: int, context: Context = DEFAULT) -> ExplainView:
    """What explain shows of one unit: the unit (total, ranks, grades, vetoes,
    placements, actions, corrections), one row per part/section/item in scheme
    order with its depth, and the total's formula."""
    results = outcomes.results
    scheme = results.scheme
    traced = evaluate(scheme, results.data.take(index), trace=True, known=results.known_at(index))
    traces = {trace.node.id: trace for trace in traced.traces}
    p = scheme.precision
    rows: list[NodeLine] = []

    unit_type = str(results.data.units.types[index])

    visits = list(scheme.walk())
    for part in (*scheme.parts, None):  # None: the adjustments
        if part is not None and part.explicit:
            score = format_score(results.parts[part.id][index], p)
            rows.append({"title": f"{part.title}（{context.say('权重', 'weight')} {part.weight:g}）", "id": part.id, "score": score,
                         "max": format_max(max_for(part, unit_type), context.lang), "note": "", "rule": None, "depth": 0})
        indent = 1 if part is not None and part.explicit else 0
        rows.extend(_node_row(v.node, traces[v.node.id], v.depth + indent, p, context, max_for(v.node, unit_type))
                    for v in visits if v.part is part)

    units = results.data.units
    namespace = results.namespace()
    ranked = int((outcomes.rank > 0).sum())
    group = units.groups[index]
    same_group = (units.groups == group) & (outcomes.group_rank > 0)
    unit: ExplainUnit = {
        "id": units.ids[index], "name": units.names[index], "group": group, "type": units.types[index],
        "manual": bool(results.manual[index]),
        "total": format_score(results.total[index], p),
        "rank": int(outcomes.rank[index]), "ranked": ranked,
        "group_rank": int(outcomes.group_rank[index]), "group_ranked": int(same_group.sum()),
        "grades": [_grade_row(outcomes, grade, index, context, float(outcomes.bases[grade.id][index])) for grade in scheme.grades],
        "vetoes": [
            {"id": v.id, "title": v.title, "effect": _effect_text(v.effect, v.grade, context),
             "when": v.when.source, "read": _values_read(v.when.names, namespace, index, p, context)}
            for v in scheme.vetoes if results.vetoes[v.id][index]
        ],
        "rankings": [_placement_row(p, index, str(group), context, to_date.waiting(scheme, p.ranking.id, context))
                     for p in outcomes.placements],
        "self_check": _self_check(outcomes, index, context),
        "actions": [
            {"id": a.id, "title": a.title, "when": a.when.source, "where": f"{a.when.location.file}:{a.when.location.line}",
             "read": _values_read(a.when.names, namespace, index, p, context),
             "hit": context.say("是", "yes") if outcomes.actions[a.id][index] else context.say("否", "no")}
            for a in scheme.actions
        ],
        "corrections": [_correction_row(c, scheme, context) for c in results.data.corrections if c.unit == str(units.ids[index])],
        # A classification scheme (actions only, no scored items) has no total or rank to show.
        "scored": bool(scheme.parts),
    }
    return {"unit": unit, "nodes": rows, "total_formula": _total_formula(results, index, context)}


def _values_read(names: t.Iterable[str], namespace: t.Mapping[str, object], index: int, precision: int, context: Context) -> str:
    """``kind = 穷, total = 91.00``: the unit's value of each one-per-unit name an expression reads."""
    shown = []
    for name in sorted(names):
        column = namespace.get(name)
        if isinstance(column, np.ndarray) and column.ndim == 1:
            value = column[index]
            if isinstance(value, (bool, np.bool_)):
                text = context.say("是", "yes") if value else context.say("否", "no")
            elif isinstance(value, (float, np.floating)):
                text = format_score(float(value), precision)
            else:
                text = str(value) or "—"
            period = namespace.get(period_name(name))  # a history entry: which period answered
            if isinstance(period, np.ndarray) and period.ndim == 1 and str(period[index]):
                text += context.say(f"（{period[index]} 期）", f" (period {period[index]})")
            sought = namespace.get(sought_name(name))  # a history entry whose calendar predecessor has no record
            if isinstance(sought, np.ndarray) and sought.ndim == 1 and str(sought[index]):
                text += context.say(f"（{sought[index]} 期无记录）", f" (no record of period {sought[index]})")
            shown.append(f"{name} = {text}")
        elif isinstance(column, (int, float)) and not isinstance(column, bool):
            shown.append(f"{name} = {format_number(column)}")  # a parameter: the same for every unit
        elif isinstance(column, np.ndarray) and column.ndim == 2 and column.dtype.kind == "U":
            # Text per record (一类一行): every value the unit has, or 无 when it has none.
            values = [str(v) for v in column[index] if str(v)]
            shown.append(f"{name} = {'、'.join(values) if values else context.say('无', 'none')}")
    return ", ".join(shown)


def _node_row(node: Node, trace: ItemTrace, depth: int, precision: int, context: Context, maximum: float | None = None) -> NodeLine:
    """One line of explain; ``maximum`` is the node's full marks for this unit (its applicable items)."""
    shown_max = node.max if maximum is None or (isinstance(node, Item) and maximum == 0) else maximum
    row: NodeLine = {
        "title": node.title, "id": node.id, "depth": depth,
        "score": format_score(trace.score, precision), "max": format_max(shown_max, context.lang), "note": context.pick(trace.note), "rule": None,
    }
    if isinstance(node, Item) and trace.note not in (NOT_APPLICABLE, BY_HAND):
        row["rule"] = _rule_text(node, context)
        row["kind"] = context.pick(rules.kind(node.kind).title)
        row["where"] = f"{(node.rule_location or node.location).file}:{(node.rule_location or node.location).line}"
        row["inputs"] = [{"input": r.input, "title": r.title, "dim": r.dim, "cells": r.values, "origin": context.pick(r.origin)} for r in trace.inputs]
        row["steps"] = [{"label": context.pick(step.label), "value": step.value} for step in trace.steps]
    return row


def _rule_text(item: Item, context: Context) -> str:
    return context.pick(item.rule.words(item))


def _grade_row(outcomes: Outcomes, grade: Grade, index: int, context: Context, basis: float) -> GradeLine:
    results = outcomes.results
    label = outcomes.grade_label(grade, index)
    if waiting := to_date.waiting(results.scheme, grade.id, context):
        return {"title": grade.title, "label": label, "explain": waiting}  # a run to date: decided later
    manual = results.scheme.manual
    if results.manual[index] and manual is not None and manual.grade == grade.id:
        return {"title": grade.title, "label": label, "explain": context.say(f"直接评定为 {label}", f"graded by hand: {label}")}
    unit_type = str(results.data.units.types[index])
    if grade.applies_to is not None and unit_type not in grade.applies_to:
        # 领导班子等次 for a 干部: not graded by it at all.
        only = "、".join(sorted(grade.applies_to))
        return {"title": grade.title, "label": label,
                "explain": context.say(f"不适用（只评定 {only}）", f"not applicable (grades {only} only)")}
    source = grade.of.source
    band = next((b for b in grade.bands if bool(b.mask(np.array([basis]))[0])), None)
    if band is None:
        text = context.say(f"{source} = {format_number(basis)} 不在任何档次", f"{source} = {format_number(basis)} is in no band")
        banded = None
    else:
        banded = grade.label_of(band.result)
        text = f"{source} = {format_number(basis)} ∈ {band.describe()} → {banded}"
    if banded != label:
        # A veto (force_grade) or a ranking (grade:) decided the final value.
        final = label if label is not None else context.say("无", "none")
        text += context.say(f"；最终为 {final}（一票否决或排名评选改定）", f"; finally {final} (set by a veto or a ranking)")
    return {"title": grade.title, "label": label, "explain": text}


def _self_check(outcomes: Outcomes, index: int, context: Context) -> list[str]:
    """自评与核查 lines where verification changed something (engine.selfscores)."""
    own = selfscores.self_results(outcomes.results)
    if own is None:
        return []
    lines = selfscores.words(selfscores.unit_view(outcomes.results, own, index, context), context)
    return lines or [context.say("自评与核查一致", "self-assessed and verified values agree")]


def _placement_row(placement: Placement, index: int, group: str, context: Context, waiting: str = "") -> PlacementLine:
    ranking = placement.ranking
    label = placement.labels[index]
    if waiting:  # a run to date: decided later
        text = waiting
    elif not placement.pool[index]:
        text = context.say("不参评（无总分、被取消资格或不满足参评条件）", "not in the pool (no total, disqualified, or not meeting the condition)")
    else:
        quotas = seat_text(placement, index, group, context)  # engine.rank: the seats with their arithmetic
        result = label or context.say("未评上", "none")
        text = context.say(f"{ranking.by.source} 在 {int(placement.pool_size[index])} 名参评者中列第 {int(placement.position[index])}；名额: {quotas} → {result}",
                  f"{ranking.by.source} ranks {int(placement.position[index])} of {int(placement.pool_size[index])}; seats: {quotas} → {result}")
    return {"title": ranking.title, "id": ranking.id, "text": text}


def _correction_row(correction: Correction, scheme: Scheme, context: Context) -> str:
    spec = scheme.inputs[correction.input]
    where = f"{correction.origin.file}{f'[{correction.origin.sheet}]' if correction.origin.sheet else ''}"
    old = "空" if correction.old is None else format_number(correction.old)
    period = ""
    if correction.period and spec.per is not None:
        period = f" {scheme.dimensions[spec.per].title} {correction.period}"
    return context.say(f"{spec.title}{period}: {old} → {format_number(correction.new)}（{correction.reason or '未写理由'}；{where} 第 {correction.origin.row} 行）",
              f"{spec.title}{period}: {old} → {format_number(correction.new)} ({correction.reason or 'no reason given'}; {where} row {correction.origin.row})")


def _effect_text(effect: str, grade: str | float | None, context: Context) -> str:
    if effect == "disqualify":
        return context.say("取消评先资格，得分保留", "disqualified from awards; the score stands")
    return context.say(f"直接定为 {grade}", f"graded {grade}")


def _total_formula(results: Results, index: int, context: Context) -> str:
    scheme = results.scheme
    p = scheme.precision
    terms = []
    for part in scheme.parts:
        if part.explicit:
            terms.append(f"{format_score(results.parts[part.id][index], p)} × {part.weight:g}")
        elif scheme.rescale_full is not None and results.raw_base is not None and results.applicable_full is not None:
            raw = format_score(results.raw_base[index], p)
            full = format_number(float(results.applicable_full[index]))
            terms.append(context.say(f"各项之和 {raw} × {scheme.rescale_full:g} ÷ {full}（适用满分 {full}，折算）",
                            f"items {raw} × {scheme.rescale_full:g} ÷ {full} (applicable full marks {full}, rescaled)"))
        else:
            terms.append(context.say(f"各项之和 {format_score(results.base[index], p)}", f"items {format_score(results.base[index], p)}"))
    for item in scheme.adjustments:
        terms.append(f"{item.title} {format_score(results.scores[item.id][index], p)}")
    return " + ".join(terms)
