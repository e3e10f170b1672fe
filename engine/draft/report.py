"""Report: a draft and the problems met on the way → the short Markdown report of what was understood.

The last stage of ``kaohe draft``: counts (items, points, rules by kind,
inputs), one line per item (its source line, points and the rule chosen),
the warnings, and every sentence with a number or a scoring word that was
not turned into a rule — the same sentences that the scheme marks
``# 待确认:`` at their place.
"""

from __future__ import annotations

import collections
from decimal import Decimal

from engine.context import DEFAULT, Context
from engine.draft.rules import Draft, Item
from engine.draft.structure import Sentence
from engine.errors import Problem

KIND_NAMES = {"formula": "考核组评分", "condition": "全有或全无", "deductions": "扣分", "tiers": "分档", "levels": "按级别加分",
              "proportional": "同比例", None: "分组"}


def unread_sentences(draft: Draft) -> list[Sentence]:
    """Every sentence to confirm, in reading order (the scheme's ``# 待确认:`` lines)."""
    found: list[Sentence] = list(draft.unread)
    for item in _all(draft):
        found.extend(item.unread)
    return sorted(dict.fromkeys(found), key=lambda s: s.line)


def _all(draft: Draft) -> list[Item]:
    out: list[Item] = []

    def walk(item: Item) -> None:
        out.append(item)
        for child in item.children:
            walk(child)

    for item in draft.items + draft.adjustments + tuple(p.item for p in draft.parts):
        walk(item)
    return out


def _fmt(value: Decimal) -> str:
    return format(value.normalize(), "f")


def report_text(draft: Draft, source: str, scheme_file: str, warnings: tuple[Problem, ...], context: Context = DEFAULT) -> str:
    """The report as Markdown (Chinese; the warnings in the context's language)."""
    leaves = [i for i in _all(draft) if not i.children and i.kind is not None]
    kinds = collections.Counter(KIND_NAMES.get(i.kind, str(i.kind)) for i in leaves)
    points = sum((i.max for i in draft.items), Decimal(0))
    unread = unread_sentences(draft)
    lines = [
        f"# 起草报告: {draft.title}",
        "",
        f"- 原文: {source}",
        f"- 方案: {scheme_file}（kaohe validate 通过）",
        f"- 计分项目 {len(leaves)} 个，顶层合计 {_fmt(points)} 分" + (f"（标题写 {_fmt(draft.total)} 分）" if draft.total is not None else ""),
        "- 规则: " + "，".join(f"{k} {n}" for k, n in kinds.most_common()),
        f"- 输入项 {len(draft.inputs)} 个（填报模板的列）" + (f"，加权部分 {len(draft.parts)} 个" if draft.parts else ""),
        f"- 一票否决 {len(draft.vetoes)} 条，等次 {len(draft.grades)} 档，排名评选 {len(draft.rankings)} 项",
        f"- 待确认的句子 {len(unread)} 句",
        "",
        "## 读出的条目",
        "",
        "| 行 | 编号 | 名称 | 分值 | 规则 |",
        "|---|---|---|---|---|",
    ]
    for item in _all(draft):
        rule = KIND_NAMES.get(item.kind, str(item.kind))
        lines.append(f"| {item.line} | {item.id} | {item.title} | {_fmt(item.max) if item.max >= 0 else '不封顶'} | {rule} |")
    if draft.vetoes:
        lines += ["", "## 一票否决", ""] + [f"- 第 {v.line} 行: {v.title}" for v in draft.vetoes]
    lines += ["", "## 待确认的句子", ""]
    lines += [f"- 第 {s.line} 行: {s.text}" for s in unread] or ["（无）"]
    lines += ["", "## 警告", ""]
    lines += [f"- {p.render(context).replace(chr(10), ' ')}" for p in warnings] or ["（无）"]
    return "\n".join(lines) + "\n"
