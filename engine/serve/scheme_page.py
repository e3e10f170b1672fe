"""A compiled scheme → the view model of its page: the scheme as a readable
考核细则 — parts, sections and items with their points, each rule in the plain
words the score sheets use (``Rule.words`` and :mod:`engine.words`), vetoes,
grades, rankings, actions and params — every element with its YAML line, and,
for a scheme that ``extends`` another, which elements it changes.
"""

from __future__ import annotations

import re
import typing as t
from pathlib import Path

from engine.messages import Text
from engine.model import Item, Node, RankTier, Scheme, Section
from engine.numbers import format_max, format_number

if t.TYPE_CHECKING:
    from engine.context import Context
    from engine.diff import Change
    from engine.errors import Location


def _line(location: Location | None, file: str) -> int | None:
    """The line of an element when it is written in the scheme's own file (not in its parent)."""
    if location is None or location.line is None:
        return None
    return location.line if Path(location.file).resolve() == Path(file).resolve() else None


_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_SYMBOLS = {" * ": " × ", " / ": " ÷ ", " >= ": " ≥ ", " <= ": " ≤ ", " != ": " ≠ ", " == ": " = "}


def plain(text: str, scheme: Scheme, context: Context) -> str:
    """A rule's words with every input, param and derived value named by its title
    (``score_01`` → 「第1项得分」) and ``total`` as 总分: what is left of an
    expression that :func:`engine.words.expression_words` cannot read aloud."""
    titles = {**{i.id: i.title for i in scheme.inputs.values()}, **{p.id: p.title for p in scheme.params.values()},
              **{d.id: d.title for d in scheme.derived}, "total": context.pick(Text("总分", "total"))}

    def title(match: re.Match[str]) -> str:
        name = match.group(0)
        return f"「{titles[name]}」" if titles.get(name) else name

    for symbol, shown in _SYMBOLS.items():
        text = text.replace(symbol, shown)
    return _NAME.sub(title, text)


def _words(source: str, scheme: Scheme, context: Context) -> str:
    from engine.words import expression_words

    words = expression_words(source, scheme)
    return context.pick(words) if words is not None else plain(source, scheme, context)


def scheme_view(scheme: Scheme, context: Context, changes: t.Sequence[Change] = ()) -> dict[str, object]:
    """Everything the scheme page shows, in reading order (the page template's values: its
    parts with their rows, grades with their bands, vetoes, rankings, actions, params, inputs,
    and the ``changes`` a child scheme makes to its parent)."""
    from engine import rules
    from engine.words import band_words, is_percentage

    changed = {c.id: context.pick(_change_title(c.kind)) for c in changes}
    file = scheme.file

    def node_rows(nodes: t.Iterable[Node], depth: int) -> list[dict[str, object]]:
        rows: list[dict[str, object]] = []
        for node in nodes:
            row: dict[str, object] = {"id": node.id, "title": node.title, "depth": depth, "max": format_max(node.max, context.lang),
                                     "line": _line(node.location, file), "changed": changed.get(node.id, ""),
                                     "applies": "、".join(sorted(node.applies_to)) if node.applies_to else ""}
            if isinstance(node, Item):
                row.update(section=False, rule=plain(context.pick(node.rule.words(node)), scheme, context), code=node.rule.describe(), kind=context.pick(rules.kind(node.kind).title),
                           rule_line=_line(node.rule_location or node.location, file))
                rows.append(row)
            else:
                assert isinstance(node, Section)
                row.update(section=True, rule="", kind="", rule_line=None)
                rows.append(row)
                rows.extend(node_rows(node.children, depth + 1))
        return rows

    parts = [{"id": p.id, "title": p.title, "weight": format_number(p.weight), "max": format_max(p.max, context.lang), "explicit": p.explicit,
              "line": _line(p.location, file), "changed": changed.get(p.id, ""), "rows": node_rows(p.children, 0)}
             for p in scheme.parts]
    grades = []
    for grade in scheme.grades:
        percent = is_percentage(grade.of.source, scheme)
        grades.append({"id": grade.id, "title": grade.title, "of": _words(grade.of.source, scheme, context), "line": _line(grade.location, file),
                       "changed": changed.get(grade.id, ""),
                       "bands": [{"label": grade.label_of(b.result), "words": context.pick(band_words(b, percent)), "line": _line(b.location, file)}
                                 for b in grade.bands],
                       "otherwise": "" if grade.otherwise is None else str(grade.label_of(grade.otherwise))})
    vetoes = [{"id": v.id, "title": v.title, "when": _words(v.when.source, scheme, context), "line": _line(v.location, file),
               "changed": changed.get(v.id, ""), "effect": _effect(v.effect, v.grade, context)} for v in scheme.vetoes]
    rankings = [{"id": r.id, "title": r.title, "by": _words(r.by.source, scheme, context), "line": _line(r.location, file),
                 "changed": changed.get(r.id, ""), "order": context.pick(Text("从高到低", "highest first") if r.descending else Text("从低到高", "lowest first")),
                 "per_group": r.per_group, "tiers": [_tier(tier, context) for tier in r.tiers]} for r in scheme.rankings]
    actions = [{"id": a.id, "title": a.title, "when": _words(a.when.source, scheme, context), "line": _line(a.location, file)} for a in scheme.actions]
    params = [{"id": p.id, "title": p.title, "value": format_number(p.value), "line": _line(p.location, file)} for p in scheme.params.values()]
    inputs = [{"id": i.id, "title": i.title, "type": i.type, "line": _line(i.location, file), "entered_by": i.entered_by}
              for i in scheme.inputs.values()]
    return {
        "id": scheme.id, "title": scheme.title, "version": scheme.version, "subject": scheme.subject, "precision": scheme.precision,
        "parts": parts, "adjustments": node_rows(scheme.adjustments, 0), "grades": grades, "vetoes": vetoes, "rankings": rankings,
        "actions": actions, "params": params, "inputs": inputs, "total_max": format_max(sum(p.max * p.weight for p in scheme.parts), context.lang),
        "changes": [{"kind": context.pick(_change_title(c.kind)), "id": c.id, "title": c.title, "old": c.old or "—", "new": c.new or "—",
                     "line": c.new_location.line if c.new_location else None} for c in changes],
    }


def _change_title(kind: str) -> Text:
    from engine.diff import change_kind_title

    return change_kind_title(kind)


def _effect(effect: str, grade: object, context: Context) -> str:
    if effect == "disqualify":
        return context.pick(Text("取消评优资格", "disqualified"))
    return context.pick(Text(f"等次定为 {grade}", f"graded {grade}"))


def _tier(tier: RankTier, context: Context) -> str:
    if tier.rest:
        return context.pick(Text(f"{tier.label}：其余", f"{tier.label}: the rest"))
    if tier.count is not None:
        return context.pick(Text(f"{tier.label}：前 {tier.count} 名", f"{tier.label}: top {tier.count}"))
    assert tier.share is not None  # a tier is the rest, a count or a share (the schema says which)
    numerator, denominator = tier.share
    share = format_number(100 * numerator / denominator)
    return context.pick(Text(f"{tier.label}：前 {share}%", f"{tier.label}: top {share}%"))


def changes_from_parent(file: Path) -> tuple[str, list[Change]]:
    """For a scheme that ``extends`` another: the parent's path as written and what the child changes."""
    from engine.compiler import compile_scheme
    from engine.diff import diff_schemes
    from engine.inherit import load_scheme
    from engine.loader import load_scheme_file

    own = load_scheme_file(file)
    target = own.data.get("extends") if isinstance(own.data, dict) else None
    if not isinstance(target, str):
        return "", []
    parent, _ = compile_scheme(load_scheme(file.resolve().parent / target))
    child, _ = compile_scheme(load_scheme(file))
    return target, list(diff_schemes(parent, child))
