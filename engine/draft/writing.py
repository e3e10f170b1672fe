"""Writing: a :class:`~engine.draft.rules.Draft` → the scheme's YAML text, each piece under its source comment.

The sixth stage of ``kaohe draft``. The YAML is written line by line
rather than dumped, because the point of a draft is its comments: above
every item the line number and text it came from, and a ``# 待确认:`` line
for every sentence with a number or a scoring word that no rule took, so
the author sees exactly what is left. Scalars are written as JSON (a
subset of YAML), so quoting is never a question. The YAML path of every
item is returned too, so that a problem the validator finds can be traced
to the item that caused it (engine/draft/__init__.py).
"""

from __future__ import annotations

import json
import typing as t
from decimal import Decimal

from engine.draft.rules import Draft, Item
from engine.draft.structure import Sentence


def scalar(value: object) -> str:
    """A YAML scalar: numbers as written (0.2, never 0.20000000000000001), text as a JSON string."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
        return text
    if isinstance(value, (int, float)):
        return str(value)
    return json.dumps(str(value), ensure_ascii=False)


def flow(value: object) -> str:
    """A value in YAML flow style: {a: 1, b: "x"} and [1, 2]."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(flow(v) for v in value) + "]"
    return scalar(value)


def _quote(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "…"


def _confirm(sentences: t.Iterable[Sentence], indent: str) -> list[str]:
    return [f"{indent}# 待确认: 第 {s.line} 行 “{_quote(s.text, 120)}”" for s in sentences]


def scheme_text(draft: Draft, ident: str, source: str) -> tuple[str, dict[str, str]]:
    """The scheme YAML and the YAML path of each item (path → item id)."""
    out: list[str] = [
        f"# {draft.title}（草稿）",
        f"# 由 kaohe draft 从 {source} 起草。每个条目上方注明原文的行号和文字；",
        "# “待确认”的句子含有数字或计分用语，但没有转为规则——请逐条核对后删去这些注释。",
        "# 只写了考核方法、没有写计分办法的条目，由考核组在分值内评分（formula: …评分）。",
    ]
    out += _confirm(draft.unread, "")
    out += ["kaohe: 1", f"id: {ident}", 'version: "1"', f"title: {scalar(draft.title)}", f"source: {scalar(source)}", "precision: 2", ""]
    if draft.unit_types:
        out.append("units:")
        out.append("  types:")
        out += [f"    {scalar(name)}: {{title: {scalar(name)}}}" for name in draft.unit_types]
        out.append("")
    if draft.inputs:
        out.append("inputs:")
        for spec in draft.inputs:
            body: dict[str, object] = {"title": spec.title, "type": spec.type}
            if spec.high is not None:
                body["range"] = [Decimal(0), spec.high]
            if spec.missing_zero:
                body["missing"] = "zero"
            out.append(f"  {spec.id}: {flow(body)}  # 第 {spec.line} 行")
        out.append("")
    paths: dict[str, str] = {}
    if draft.items:
        out.append("items:")
        for n, item in enumerate(draft.items):
            _item(item, "  ", f"$.items[{n}]", out, paths)
        out.append("")
    if draft.parts:
        out.append("parts:")
        for n, part in enumerate(draft.parts):
            out += _confirm((), "  ")
            out.append(f"  # 第 {part.item.line} 行: {_quote(part.item.note)}")
            out += [f"  - id: {part.id}", f"    title: {scalar(part.title)}", f"    weight: {scalar(part.weight)}", "    items:"]
            _item(part.item, "      ", f"$.parts[{n}].items[0]", out, paths)
        out.append("")
    if draft.adjustments:
        out.append("adjustments:")
        for n, item in enumerate(draft.adjustments):
            _item(item, "  ", f"$.adjustments[{n}]", out, paths)
        out.append("")
    if draft.vetoes:
        out.append("vetoes:")
        for n, veto in enumerate(draft.vetoes):
            paths[f"$.vetoes[{n}]"] = veto.id
            out.append(f"  # 第 {veto.line} 行: {_quote(veto.sentence)}")
            out.append(f"  - {flow({'id': veto.id, 'title': veto.title, 'when': veto.when})}")
        out.append("")
    if draft.grades:
        paths["$.grades"] = "level"
        out += ["grades:", "  - id: level", "    title: 等次", "    bands:"]
        for band, line, text in sorted(draft.grades, key=lambda x: (x[0].low is not None, x[0].low or 0), reverse=True):
            entry: dict[str, object] = {}
            if band.low is not None:
                entry["ge" if band.low_in else "gt"] = band.low
            if band.high is not None:
                entry["le" if band.high_in else "lt"] = band.high
            entry["value"] = band.value
            out.append(f"      - {flow(entry)}  # 第 {line} 行: {_quote(text, 60)}")
        out.append("")
    if draft.rankings:
        out.append("rankings:")
        for n, ranking in enumerate(draft.rankings):
            paths[f"$.rankings[{n}]"] = ranking.id
            tiers = [{"label": q.label, "share": q.share} if q.share is not None else {"label": q.label, "count": q.count} for q in ranking.tiers]
            out.append(f"  # 第 {ranking.line} 行: {_quote(ranking.sentence)}")
            out.append(f"  - {flow({'id': ranking.id, 'title': ranking.title, 'tiers': tiers})}")
        out.append("")
    return "\n".join(out).rstrip() + "\n", paths


def _item(item: Item, indent: str, path: str, out: list[str], paths: dict[str, str]) -> None:
    paths[path] = item.id
    out.append(f"{indent}# 第 {item.line} 行: {_quote(item.label + item.note)}")
    for source in item.sources:
        if source.line != item.line:
            out.append(f"{indent}#   第 {source.line} 行: {_quote(source.text)}")
    out += _confirm(item.unread, indent)
    out.append(f"{indent}- id: {item.id}")
    inner = indent + "  "
    out.append(f"{inner}title: {scalar(item.title)}")
    if item.max >= 0:
        out.append(f"{inner}max: {scalar(item.max)}")
    if item.note and item.note != item.title:
        out.append(f"{inner}note: {scalar(_quote(item.note, 400))}")
    if item.applies_to:
        out.append(f"{inner}applies_to: [{scalar(item.applies_to)}]")
    if item.children:
        out.append(f"{inner}items:")
        for n, child in enumerate(item.children):
            _item(child, inner + "  ", f"{path}.items[{n}]", out, paths)
        return
    body = item.body or {}
    if item.kind == "formula":
        out.append(f"{inner}formula: {scalar(body['formula'])}")
        return
    out.append(f"{inner}{item.kind}:")
    for key, value in body.items():
        if isinstance(value, list) and value and isinstance(value[0], dict):
            out.append(f"{inner}  {key}:")
            out += [f"{inner}    - {flow(v)}" for v in value]
        else:
            out.append(f"{inner}  {key}: {flow(value)}")
