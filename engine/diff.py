"""Compare two versions of a scheme: what the rules changed, and what that does
to every unit's score, grade, rank and labels.

``diff_schemes(old, new)`` compares two compiled schemes structurally, by id:
items and sections added, removed, retitled, moved or given a new maximum;
changed rules (a deduction's value, a tier edge, a formula), weights,
params, vetoes, grades and rankings — each with its old and new YAML place.
``diff_outcomes(old, new)`` compares the outcomes of both versions over the
same data, unit by unit, naming the items whose scores moved (taken from
the two evaluations, not guessed). Both versions are compiled and evaluated
separately; neither is ever modified.
"""

from __future__ import annotations

import dataclasses
import math
import typing as t

import numpy as np
import numpy.typing as npt

from engine.errors import Location
from engine.grade import Outcomes
from engine.messages import Text
from engine.model import (
    Input,
    Item,
    Node,
    RankTier,
    Scheme,
)


#: What a change is to (:func:`change_kind_title` words each one).
ChangeKind = t.Literal["added", "removed", "retitled", "moved", "max", "rule", "weight", "param", "veto", "grade", "ranking",
                       "setting", "input", "dimension", "derived", "action", "history", "figure"]


@dataclasses.dataclass(frozen=True)
class Change:
    """One difference between two scheme versions."""

    kind: ChangeKind
    #: Id of the changed thing (item, part, veto, grade, ranking, param, or a setting's key).
    id: str
    #: What it is (its title), for people.
    title: str
    old: str | None
    new: str | None
    old_location: Location | None
    new_location: Location | None


@dataclasses.dataclass(frozen=True)
class ItemMove:
    """How one item's score moved for a unit."""

    id: str
    title: str
    old: float | None
    new: float | None

    @property
    def delta(self) -> float:
        return (self.new or 0.0) - (self.old or 0.0)


@dataclasses.dataclass(frozen=True)
class UnitChange:
    """One unit under both versions."""

    id: str
    name: str
    old_total: float | None
    new_total: float | None
    old_grade: str | None
    new_grade: str | None
    old_rank: int | None
    new_rank: int | None
    labels_gained: tuple[str, ...]
    labels_lost: tuple[str, ...]
    vetoes_gained: tuple[str, ...]
    vetoes_lost: tuple[str, ...]
    #: Items whose score changed, largest change first.
    causes: tuple[ItemMove, ...]
    #: Applicable full marks when a version rescales (折算) this unit, old and new.
    rescaled: tuple[float | None, float | None] = (None, None)

    @property
    def delta(self) -> float | None:
        if self.old_total is None or self.new_total is None:
            return None
        return round(self.new_total - self.old_total, 9)

    @property
    def changed(self) -> bool:
        return bool(
            self.delta or self.old_grade != self.new_grade or self.old_rank != self.new_rank
            or self.labels_gained or self.labels_lost or self.vetoes_gained or self.vetoes_lost
        )


@dataclasses.dataclass(frozen=True)
class OutcomeDiff:
    """All units under both versions, with a summary."""

    units: tuple[UnitChange, ...]
    #: Spearman's rank correlation of the two versions' totals (None if < 2 units).
    spearman: float | None

    @property
    def grade_changes(self) -> int:
        return sum(1 for u in self.units if u.old_grade != u.new_grade)

    def movers(self, count: int = 5) -> tuple[UnitChange, ...]:
        """Units with the largest |change in total|."""
        moved = [u for u in self.units if u.delta]
        return tuple(sorted(moved, key=lambda u: (-abs(u.delta or 0.0), u.id))[:count])


# ---------------------------------------------------------------------------
# Structural diff


def _nodes(scheme: Scheme) -> dict[str, tuple[Node, str]]:
    """Every node by id with the id path of its parents ("part/section")."""
    return {visit.node.id: (visit.node, visit.path) for visit in scheme.walk()}


def _ballots(scheme: Scheme) -> str | None:
    """The ballot rules (engine.ballots) as compared text: 民主测评票: 优秀票过多 count_if(vote >= 90) > 3."""
    return "；".join(f"{b.title}{'（按分组）' if b.per_group else ''}: " + "、".join(f"{c.title} {c.when.source}" for c in b.checks)
                     for b in scheme.ballots) or None


def describe_rule(item: Item) -> str:
    """A canonical, human-readable form of an item's rule (equal rules, equal text)."""
    return item.rule.describe()


def diff_schemes(old: Scheme, new: Scheme) -> tuple[Change, ...]:
    """Every structural and rule difference from ``old`` to ``new``, in scheme order."""
    changes: list[Change] = []

    def add(kind: ChangeKind, ident: str, title: str, before: object, after: object, a: Location | None, b: Location | None) -> None:
        changes.append(Change(kind, ident, title, None if before is None else str(before), None if after is None else str(after), a, b))

    for key, title, before, after in (
        ("precision", "保留小数位数", old.precision, new.precision),
        ("rounding", "取整方式", old.rounding, new.rounding),
        ("rescale", "折算满分", None if old.rescale_full is None else _g(old.rescale_full), None if new.rescale_full is None else _g(new.rescale_full)),
        ("unit_types", "单位类型", "、".join(old.unit_types) or None, "、".join(new.unit_types) or None),
        ("ballots", "无效票规则", _ballots(old), _ballots(new)),
    ):
        if before != after:
            add("setting", key, title, before, after, None, None)

    for ident in sorted(set(old.params) | set(new.params), key=lambda k: (k not in old.params, k)):
        pa, pb = old.params.get(ident), new.params.get(ident)
        title = pb.title if pb is not None else pa.title if pa is not None else ident  # (one of them is there)
        if pa is None or pb is None or pa.value != pb.value:
            add("param", ident, title, _g(pa.value) if pa else None, _g(pb.value) if pb else None,
                pa.location if pa else None, pb.location if pb else None)

    old_parts = {p.id: p for p in old.parts if p.explicit}
    new_parts = {p.id: p for p in new.parts if p.explicit}
    for ident in list(old_parts) + [k for k in new_parts if k not in old_parts]:
        qa, qb = old_parts.get(ident), new_parts.get(ident)
        if qa is None or qb is None:
            title = qb.title if qb is not None else qa.title if qa is not None else ident  # (one of them is there)
            add("added" if qa is None else "removed", ident, title,
                None if qa is None else f"权重 {qa.weight:g}", None if qb is None else f"权重 {qb.weight:g}",
                qa.location if qa else None, qb.location if qb else None)
        elif qa.weight != qb.weight:
            add("weight", ident, qb.title, _g(qa.weight), _g(qb.weight), qa.location, qb.location)

    old_nodes, new_nodes = _nodes(old), _nodes(new)
    for ident in list(old_nodes) + [k for k in new_nodes if k not in old_nodes]:
        a_pair, b_pair = old_nodes.get(ident), new_nodes.get(ident)
        if a_pair is None or b_pair is None:
            node = (a_pair or b_pair)[0]  # type: ignore[index]
            summary = f"满分 {_g(node.max)}" + (f"，{describe_rule(node)}" if isinstance(node, Item) else "")
            add("added" if a_pair is None else "removed", ident, node.title,
                None if a_pair is None else summary, None if b_pair is None else summary,
                a_pair[0].location if a_pair else None, b_pair[0].location if b_pair else None)
            continue
        (a_node, a_parent), (b_node, b_parent) = a_pair, b_pair
        if a_node.title != b_node.title:
            add("retitled", ident, b_node.title, a_node.title, b_node.title, a_node.location, b_node.location)
        if a_parent != b_parent:
            add("moved", ident, b_node.title, a_parent, b_parent, a_node.location, b_node.location)
        if a_node.max != b_node.max:
            add("max", ident, b_node.title, _g(a_node.max), _g(b_node.max), a_node.location, b_node.location)
        if a_node.applies_to != b_node.applies_to:
            add("setting", ident, b_node.title, _types(a_node.applies_to), _types(b_node.applies_to), a_node.location, b_node.location)
        if isinstance(a_node, Item) and isinstance(b_node, Item):
            before, after = describe_rule(a_node), describe_rule(b_node)
            if before != after:
                add("rule", ident, b_node.title, before, after, a_node.location, b_node.location)

    describers: tuple[tuple[ChangeKind, dict[str, t.Any], dict[str, t.Any], t.Callable[[t.Any], str]], ...] = (
        ("veto", {v.id: v for v in old.vetoes}, {v.id: v for v in new.vetoes},
         lambda v: f"{v.when.source}（{'取消资格' if v.effect == 'disqualify' else f'定为 {v.grade}'}）"),
        ("grade", {g.id: g for g in old.grades}, {g.id: g for g in new.grades},
         lambda g: f"{g.of.source}: " + "；".join(f"{b.describe()} → {g.label_of(b.result)}" for b in g.bands)),
        ("ranking", {r.id: r for r in old.rankings}, {r.id: r for r in new.rankings},
         lambda r: "；".join(f"{tier.label} {_seats(tier)}" for tier in r.tiers) + (f"（{r.among.source}）" if r.among else "")),
        # What a rule reads and what follows from results: an inherited scheme changes these too.
        ("input", dict(old.inputs), dict(new.inputs), _describe_input),
        ("dimension", dict(old.dimensions), dict(new.dimensions),
         lambda d: f"{d.title}：" + ("、".join(d.values) if d.values is not None else "开放")),
        ("derived", {d.id: d for d in old.derived}, {d.id: d for d in new.derived}, lambda d: f"{d.title} = {d.value.source}"),
        ("action", {a.id: a for a in old.actions}, {a.id: a for a in new.actions}, lambda a: f"{a.title}：{a.when.source}"),
        ("history", {h.id: h for h in old.history}, {h.id: h for h in new.history},
         lambda h: f"{h.title}：{h.scheme + ' 的' if h.scheme else ''}{h.of}，往前第 {h.back} 期"),
        ("figure", {f.id: f for f in (old.tree.figures if old.tree else ())}, {f.id: f for f in (new.tree.figures if new.tree else ())},
         lambda f: f"{f.title} = {f.source}" + (f"（{'、'.join(sorted(f.child_types))}）" if f.child_types else "")),  # engine.tree
    )
    for kind, olds, news, describe in describers:
        for ident in list(olds) + [k for k in news if k not in olds]:
            va, vb = olds.get(ident), news.get(ident)
            before, after = (describe(va) if va else None), (describe(vb) if vb else None)
            if before != after:
                add(kind, ident, t.cast(t.Any, vb or va).title, before, after, va.location if va else None, vb.location if vb else None)
    return tuple(changes)


def _describe_input(item: Input) -> str:
    """An input as it is declared: title, type, range, values, dimension, what a blank means."""
    parts = [f"{item.title}：{_INPUT_TYPES.get(item.type, item.type)}"]
    if item.range is not None:
        parts.append(f"范围 [{_g(item.range[0])}, {_g(item.range[1])}]")
    if item.values is not None:
        parts.append("取值 " + "、".join(item.values))
    if item.per is not None:
        parts.append(f"按 {item.per}")
    parts.append(f"缺失{_MISSING.get(item.missing, item.missing)}")
    if item.optional:
        parts.append("可不提供")
    return "，".join(parts)


_INPUT_TYPES = {"number": "数值", "count": "次数", "percentage": "百分比", "boolean": "是否", "category": "类别"}
_MISSING = {"error": "报错", "zero": "按 0", "skip": "不计"}


def _g(value: float) -> str:
    """A number as written in a scheme; an uncapped maximum is 不封顶, no floor is 不设下限."""
    if value == float("inf"):
        return "不封顶"
    if value == float("-inf"):
        return "不设下限"
    return f"{value:g}"


def _types(types: frozenset[str] | None) -> str:
    return "全部" if types is None else "、".join(sorted(types))


def _seats(tier: RankTier) -> str:
    if tier.rest:
        return "其余"
    if tier.count is not None:
        return f"{tier.count} 名"
    if tier.share is None:
        raise ValueError(f"tier {tier.label!r} is neither a count, a share nor the rest")
    numerator, denominator = tier.share
    return f"{numerator}/{denominator}"


# ---------------------------------------------------------------------------
# Outcome diff


def diff_outcomes(old: Outcomes, new: Outcomes) -> OutcomeDiff:
    """Unit-by-unit comparison of two versions' outcomes over the same units."""
    old_index = old.results.data.units.index()
    new_index = new.results.data.units.index()
    ids = [u for u in old_index if u in new_index] + [u for u in new_index if u not in old_index]
    old_items = {n.id: n for n in old.results.scheme.nodes() if isinstance(n, Item)}
    new_items = {n.id: n for n in new.results.scheme.nodes() if isinstance(n, Item)}
    item_ids = list(old_items) + [k for k in new_items if k not in old_items]
    units: list[UnitChange] = []
    for ident in ids:
        i, j = old_index.get(ident), new_index.get(ident)
        name = str((old.results.data.units.names[i] if i is not None else new.results.data.units.names[t.cast(int, j)]))
        causes = []
        for item in item_ids:
            before = _score(old, item, i)
            after = _score(new, item, j)
            if before != after:
                title = (new_items.get(item) or old_items[item]).title
                causes.append(ItemMove(item, title, before, after))
        causes.sort(key=lambda m: (-abs(m.delta), m.id))
        old_labels = old.labels(i) if i is not None else []
        new_labels = new.labels(j) if j is not None else []
        old_vetoes = _vetoes(old, i)
        new_vetoes = _vetoes(new, j)
        units.append(UnitChange(
            ident, name,
            _total(old, i), _total(new, j),
            old.primary_label(i) if i is not None else None,
            new.primary_label(j) if j is not None else None,
            (int(old.rank[i]) or None) if i is not None else None,
            (int(new.rank[j]) or None) if j is not None else None,
            tuple(x for x in new_labels if x not in old_labels),
            tuple(x for x in old_labels if x not in new_labels),
            tuple(x for x in new_vetoes if x not in old_vetoes),
            tuple(x for x in old_vetoes if x not in new_vetoes),
            tuple(causes),
            (_applicable(old, i), _applicable(new, j)),
        ))
    pairs = [(u.old_total, u.new_total) for u in units if u.old_total is not None and u.new_total is not None]
    spearman = _spearman(np.array([p[0] for p in pairs]), np.array([p[1] for p in pairs])) if len(pairs) >= 2 else None
    return OutcomeDiff(tuple(units), spearman)


def _applicable(outcomes: Outcomes, index: int | None) -> float | None:
    """The unit's applicable full marks when its total is rescaled to a different scale."""
    results = outcomes.results
    full = results.scheme.rescale_full
    if index is None or full is None or results.applicable_full is None:
        return None
    applicable = float(results.applicable_full[index])
    return None if math.isclose(applicable, full) else applicable


def _score(outcomes: Outcomes, item: str, index: int | None) -> float | None:
    if index is None or item not in outcomes.results.scores:
        return None
    value = float(outcomes.results.scores[item][index])
    return None if math.isnan(value) else value


def _total(outcomes: Outcomes, index: int | None) -> float | None:
    if index is None:
        return None
    value = float(outcomes.results.total[index])
    return None if math.isnan(value) else value


def _vetoes(outcomes: Outcomes, index: int | None) -> list[str]:
    if index is None:
        return []
    return [v.title for v in outcomes.results.scheme.vetoes if outcomes.results.vetoes[v.id][index]]


def _average_ranks(values: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Ranks 1 … n, ties sharing the average of their places."""
    order = np.argsort(values, kind="stable")
    ordered = values[order]
    ranks = np.empty(values.size)
    start = 0
    boundaries = [int(b) for b in np.flatnonzero(ordered[1:] != ordered[:-1]) + 1] + [values.size]
    for end in boundaries:
        ranks[order[start:end]] = (start + end + 1) / 2.0
        start = end
    return ranks


def _spearman(a: npt.NDArray[np.float64], b: npt.NDArray[np.float64]) -> float | None:
    """Spearman's rho: Pearson correlation of the average ranks.

    >>> _spearman(np.array([1.0, 2.0, 3.0]), np.array([10.0, 20.0, 30.0]))
    1.0
    >>> _spearman(np.array([1.0, 2.0, 3.0]), np.array([3.0, 2.0, 1.0]))
    -1.0
    """
    ra, rb = _average_ranks(a), _average_ranks(b)
    ra -= ra.mean()
    rb -= rb.mean()
    denominator = math.sqrt(float((ra * ra).sum() * (rb * rb).sum()))
    if denominator == 0:
        return None
    return round(float((ra * rb).sum()) / denominator, 6)


def change_kind_title(kind: str) -> Text:
    """How a change kind reads in reports."""
    return {
        "added": Text("新增", "added"), "removed": Text("删除", "removed"), "retitled": Text("改名", "retitled"),
        "moved": Text("移动", "moved"), "max": Text("满分", "max"), "rule": Text("规则", "rule"),
        "weight": Text("权重", "weight"), "param": Text("参数", "parameter"), "veto": Text("一票否决", "veto"),
        "grade": Text("评定", "grade"), "ranking": Text("排名评选", "ranking"), "setting": Text("设置", "setting"),
        "input": Text("输入项", "input"), "dimension": Text("维度", "dimension"), "derived": Text("计算值", "derived value"),
        "action": Text("结果运用", "action"), "history": Text("往期结果", "earlier result"),
        "figure": Text("下级汇总", "figure from children"),
    }[kind]
