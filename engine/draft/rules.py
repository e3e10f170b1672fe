"""Rules: the outline and what the grammar read in it → a draft scheme (items, inputs, vetoes, grades …).

The fifth stage of ``kaohe draft``. For each item, the phrases its
sentences hold decide the mechanism a person would choose: bands of a rate
→ ``tiers``; levels → ``levels``; 同比例 → ``proportional``; deductions
(with all-or-nothing clauses among them) → ``deductions``; all or nothing
alone → ``condition``; nothing recognised → a ``formula`` over a score the
assessors enter within the item's points (as the hand-written schemes do for
items that only say how to check). Outside the items, the same grammar
finds vetoes, grade bands, rank quotas, weighted parts and bonuses.

Every sentence read into a rule is kept as the rule's source; every
sentence with a number or a scoring word that was not is kept as
``unread`` at its place.
"""

from __future__ import annotations

import dataclasses
import re
import typing as t
from decimal import Decimal

from engine.draft import grammar as g
from engine.draft.inputs import Input, Inputs, clean_title, count_title, owner
from engine.draft.structure import Node, Outline, Sentence, short_title

#: A rule body as YAML-ready data.
Body = dict[str, object]


@dataclasses.dataclass(frozen=True)
class Item:
    """A drafted item (``kind`` set) or section (``children`` set)."""

    id: str
    title: str
    max: Decimal
    line: int
    label: str
    note: str
    kind: str | None = None
    body: Body | None = None
    children: tuple[Item, ...] = ()
    sources: tuple[Sentence, ...] = ()
    unread: tuple[Sentence, ...] = ()
    applies_to: str | None = None

    def leaves(self) -> tuple[Item, ...]:
        return (self,) if not self.children else tuple(x for c in self.children for x in c.leaves())


@dataclasses.dataclass(frozen=True)
class Veto:
    id: str
    title: str
    when: str
    line: int
    sentence: str


@dataclasses.dataclass(frozen=True)
class Ranking:
    id: str
    title: str
    tiers: tuple[g.Quota, ...]
    line: int
    sentence: str


@dataclasses.dataclass(frozen=True)
class Weighted:
    id: str
    title: str
    weight: Decimal
    item: Item


@dataclasses.dataclass(frozen=True)
class Draft:
    """A scheme as drafted: everything the writer needs, each piece with its source line."""

    title: str
    total: Decimal | None
    items: tuple[Item, ...]
    parts: tuple[Weighted, ...]
    adjustments: tuple[Item, ...]
    vetoes: tuple[Veto, ...]
    grades: tuple[tuple[g.GradeBand, int, str], ...]
    rankings: tuple[Ranking, ...]
    inputs: tuple[Input, ...]
    unit_types: tuple[str, ...]
    unread: tuple[Sentence, ...]


def draft_scheme(tree: Outline, scored: tuple[Node, ...], rest: tuple[Node, ...]) -> Draft:
    """The draft of a document: its scored nodes become items, the rest is searched for scheme-level rules."""
    inputs = Inputs()
    taken: set[str] = set()
    items = tuple(_node(n, None, inputs, taken) for n in scored)
    types = tuple(dict.fromkeys(i.applies_to for i in _walk(items) if i.applies_to))
    loose = tree.preamble + tuple(s for n in rest for s in n.all_sentences())
    vetoes, used = _vetoes(rest, inputs)
    grades = _grades(loose)
    rankings = _rankings(loose)
    parts = _parts(loose + tuple(s for n in scored for s in n.all_sentences()), inputs, taken)
    if parts:
        # The weighted parts were written as items with points (A(100分)…按40%折算): they are the parts now —
        # unless other items remain, which a scheme cannot hold beside parts: then the weights are left to confirm.
        weighted = {id(p.item.sources[0]) for p in parts}
        others = tuple(i for i, n in zip(items, scored) if not any(id(s) in weighted for s in n.all_sentences()))
        if others:
            parts = ()
        else:
            gone = {i.id for i in _walk(items)}
            inputs.declared = [i for i in inputs.declared if owner(i.id) not in gone]  # the items' own inputs go with them
            items = others
    adjustments, bonus_used = _adjustments(rest, loose, inputs, taken)
    read = used | bonus_used
    if not items and not parts:
        # Nothing with points was found: one placeholder the author replaces, so that the draft still validates.
        score = inputs.add("item_01", "score", "待补充的考核项目评分", tree.title_line, Decimal(100))
        taken.add("item_01")
        items = (Item("item_01", "待补充的考核项目", Decimal(100), tree.title_line, "", "", "formula", {"formula": score}),)
    read_texts = {b[2] for b in grades} | {r.sentence for r in rankings} | {p.item.note for p in parts}
    unread = tuple(s for s in loose if id(s) not in read and s.text not in read_texts and g.SCORING.search(s.text))
    owners = {i.id: _where(i) for i in _walk(items + adjustments + tuple(p.item for p in parts))}
    owners.update({v.id: f"否决第{n}条" for n, v in enumerate(vetoes, start=1)})
    return Draft(tree.title, tree.total, items, parts, adjustments, vetoes, grades, rankings, inputs.finished(owners), types, unread)


def _where(item: Item) -> str:
    """How a data column names the item it belongs to: 第20条 for a numbered item, else its title."""
    digits = re.sub(r"\D", "", item.label)
    return f"第{digits}条" if digits and not item.children else item.title[:12]


def _walk(items: tuple[Item, ...]) -> t.Iterator[Item]:
    for item in items:
        yield item
        yield from _walk(item.children)


def _ident(node: Node, parent: str | None, taken: set[str]) -> str:
    """item_07 for a numbered item, sec_2 / sec_2_1 for sections; a repeated number gets b, c …"""
    leaf = not any(c.scored() for c in node.children)
    base = f"item_{node.number:02d}" if leaf and node.style in ("arabic", "article", "circled") else (
        f"{parent}_{node.number}" if parent and parent.startswith("sec") else f"sec_{node.number}")
    ident, suffix = base, ord("b")
    while ident in taken:
        ident = f"{base}{chr(suffix)}"
        suffix += 1
    taken.add(ident)
    return ident


def _applies(node: Node) -> str | None:
    """"(乡镇指标)" in a heading: the item applies to that type of unit only."""
    match = re.search(r"\(([\u4e00-\u9fff、和]{2,14}?)指标\)", node.text)
    return match[1] if match else None


def _node(node: Node, parent: str | None, inputs: Inputs, taken: set[str]) -> Item:
    ident = _ident(node, parent, taken)
    children = [c for c in node.children if c.scored()]
    note = node.text
    if children:
        kids = tuple(_node(c, ident, inputs, taken) for c in children)
        total = node.points if node.points is not None else sum((k.max for k in kids), Decimal(0))
        own = tuple(s for s in node.sentences if g.SCORING.search(s.text))
        return Item(ident, node.title, total, node.line, node.label, note, children=kids, unread=own, applies_to=_applies(node))
    full = node.points if node.points is not None else Decimal(0)
    return _leaf(node, ident, full, inputs)


@dataclasses.dataclass
class _Found:
    """What the grammar found in one item's sentences (filled while reading them)."""

    deductions: list[tuple[g.Deduction, Sentence, str]] = dataclasses.field(default_factory=list)
    nothings: list[tuple[g.Nothing, Sentence]] = dataclasses.field(default_factory=list)
    bands: list[tuple[g.Band, Sentence]] = dataclasses.field(default_factory=list)
    levels: list[tuple[g.Level, Sentence]] = dataclasses.field(default_factory=list)
    proportional: tuple[str, Sentence] | None = None
    cap: Decimal | None = None
    highest: bool = False
    read: list[Sentence] = dataclasses.field(default_factory=list)
    unread: list[Sentence] = dataclasses.field(default_factory=list)


def read_sentences(sentences: t.Sequence[Sentence], full: Decimal) -> _Found:
    """Run the grammar over each clause of ``sentences``; record what was read and what was not."""
    found = _Found()
    rate = ""
    previous = ""
    for sentence in sentences:
        if (value := g.proportional(sentence.text)) is not None:
            found.proportional = (value, sentence)  # 按…得分,同比例折算: the clauses name one thing together
            found.read.append(sentence)
            previous = sentence.text
            continue
        parts = g.clauses(sentence.text)
        read = missed = False
        for i, clause in enumerate(parts):
            before = parts[i - 1] if i else previous
            hit = True
            if (b := g.band(clause, rate, full)) is not None:
                found.bands.append((b, sentence))
                rate = b.rate
            elif (listed := g.listed_levels(clause)) is not None:
                found.levels.extend((lv, sentence) for lv in listed)
            elif (d := g.deduction(clause)) is not None:
                found.deductions.append((d, sentence, before))
            elif (f := g.floor(clause)) is not None:
                if isinstance(f, Decimal):
                    found.cap = f
            elif (p := g.proportional(clause)) is not None:
                found.proportional = (p, sentence)
            elif (n := g.nothing(clause, before, full)) is not None:
                found.nothings.append((n, sentence))
            elif (bonus := g.bonus(clause, before)) is not None:
                lead = parts[0] if i else ""
                if lead and bonus.title in lead:
                    bonus = dataclasses.replace(bonus, title=clean_title(lead))
                elif lead and not bonus.title.startswith(lead):
                    # …,事例突出加2分: the level is named by the sentence's first clause and its last.
                    joined = f"{lead},{bonus.title}" if len(lead) + len(bonus.title) < 24 else f"{lead}…{bonus.title}"
                    bonus = dataclasses.replace(bonus, title=joined)
                found.levels.append((bonus, sentence))
            elif g.at_least(clause) is not None:
                pass  # 至少 N 次: the measure a following "每缺少一次" deduction counts against
            elif g.highest_only(clause) or g.cap(clause) is not None:
                found.highest = found.highest or g.highest_only(clause)
                found.cap = g.cap(clause) or found.cap
            else:
                hit = False
                missed = missed or bool(g.SCORING.search(clause))
            read = read or hit
        if read:
            found.read.append(sentence)
        if missed:
            found.unread.append(sentence)
        previous = sentence.text
    return found


def _leaf(node: Node, ident: str, full: Decimal, inputs: Inputs) -> Item:
    found = read_sentences(node.sentences, full)
    base = Item(ident, node.title, full, node.line, node.label, node.text, sources=tuple(found.read),
                unread=tuple(found.unread), applies_to=_applies(node))
    groups: dict[str, list[tuple[g.Band, Sentence]]] = {}
    for b, s in found.bands:
        groups.setdefault(b.rate, []).append((b, s))
    if len(groups) > 1 and sum(max(_points(b, full) for b, _ in bands) for bands in groups.values()) == full:
        return _split(base, groups, inputs)
    if groups:
        rate, bands = max(groups.items(), key=lambda kv: len(kv[1]))
        return dataclasses.replace(base, kind="tiers", body=_tiers(ident, rate or node.title, [b for b, _ in bands], full, inputs, node.line))
    if found.levels:
        return dataclasses.replace(base, kind="levels", body=_levels(ident, found, inputs, node.line))
    if found.proportional is not None:
        value = inputs.add(ident, "score", found.proportional[0], node.line)
        return dataclasses.replace(base, kind="proportional", body={"value": value, "full": Decimal(100)})
    if found.deductions:
        return dataclasses.replace(base, kind="deductions", body=_deductions(ident, node, found, full, inputs))
    if found.nothings:
        positive = [n for n, _ in found.nothings if n.positive and n.event]
        negative = [n for n, _ in found.nothings if not n.positive and n.event]
        if not positive and not negative:
            score = inputs.add(ident, "score", f"{node.title}评分", node.line, full)
            return dataclasses.replace(base, kind="formula", body={"formula": score})
        chosen = positive[0] if positive else negative[0]
        flag = inputs.add(ident, "boolean", _titled(chosen.event, node.title), node.line)
        return dataclasses.replace(base, kind="condition", body={"when": flag if chosen.positive else f"not {flag}"})
    score = inputs.add(ident, "score", f"{node.title}评分", node.line, full)
    return dataclasses.replace(base, kind="formula", body={"formula": score})


def _titled(event: str, title: str) -> str:
    """An event named well enough to stand alone as a column header: a short one gets its item's title."""
    event = clean_title(event)
    return event if len(event) >= 6 else f"{clean_title(title)}: {event}"


def _points(band: g.Band, full: Decimal) -> Decimal:
    return band.points if band.points is not None else full - (band.deduct or Decimal(0))


def _split(base: Item, groups: dict[str, list[tuple[g.Band, Sentence]]], inputs: Inputs) -> Item:
    """An item scoring two rates (参与率 1 分 + 知晓率 2 分): one tiers item per rate, under the item as a section."""
    kids = []
    for n, (rate, bands) in enumerate(groups.items()):
        top = max(_points(b, base.max) for b, _ in bands)
        ident = f"{base.id}{chr(ord('a') + n)}"
        body = _tiers(ident, rate, [b for b, _ in bands], top, inputs, base.line)
        kids.append(Item(ident, rate, top, bands[0][1].line, base.label, base.note, "tiers", body, sources=tuple(dict.fromkeys(s for _, s in bands))))
    return dataclasses.replace(base, kind=None, body=None, children=tuple(kids))


def _tiers(ident: str, rate: str, bands: list[g.Band], full: Decimal, inputs: Inputs, line: int) -> Body:
    """Bands as a person writes them: highest first; an open upper end closes at the next band's lower end.

    Whole-number ranges that abut (80%至89%, 90%以上) are read as [80, 90): a
    rate of 89.5 belongs to the lower band, not to a gap.
    """
    lows = sorted({b.low for b in bands if b.low is not None}, reverse=True)
    out: list[dict[str, object]] = []
    for b in sorted(bands, key=lambda b: (b.low is not None, b.low or 0), reverse=True):
        low, high, high_in = b.low, b.high, b.high_in
        if high is None and low is not None:
            above = [x for x in lows if x > low]
            high, high_in = (min(above), False) if above else (None, True)
        if high is not None and high_in and high == high.to_integral_value() and (high + 1) in lows:
            high, high_in = high + 1, False
        band: dict[str, object] = {}
        if low is not None:
            band["ge" if b.low_in else "gt"] = low
        if high is not None:
            band["le" if high_in else "lt"] = high
        band["points"] = max(_points(b, full), Decimal(0))
        out.append(band)
    value = inputs.add(ident, "rate", rate, line)
    return {"value": value, "bands": out}


def _levels(ident: str, found: _Found, inputs: Inputs, line: int) -> Body:
    levels: list[dict[str, object]] = []
    for level, sentence in found.levels:
        entry: dict[str, object] = {"title": clean_title(level.title) or "加分", "points": level.points}
        if level.counted:
            entry["count"] = inputs.add(ident, "count", count_title(clean_title(level.title), "次"), sentence.line)
        else:
            entry["when"] = inputs.add(ident, "boolean", level.title, sentence.line)
        levels.append(entry)
    return {"pick": "highest" if found.highest else "sum", "levels": levels}


def _deductions(ident: str, node: Node, found: _Found, full: Decimal, inputs: Inputs) -> Body:
    clauses: list[dict[str, object]] = []
    for d, sentence, before in found.deductions:
        context = before if before and not g.SCORING.search(before) else node.title
        event = d.event if len(d.event) >= 6 else f"{clean_title(clean_title(context)[:20])}: {d.event}".strip(": ")
        if d.per:
            need = g.at_least(before) if re.search(r"[少缺]", d.event) else None
            if need is not None:
                what, at_least, unit = need
                done = inputs.add(ident, "count", f"{clean_title(what)}{unit}数", sentence.line)
                clauses.append({"title": clean_title(event), "per": d.amount, "count": f"max({at_least} - {done}, 0)"})
            else:
                count = inputs.add(ident, "count", count_title(clean_title(event), d.unit), sentence.line)
                clauses.append({"title": clean_title(event), "per": d.amount, "count": count})
        else:
            flag = inputs.add(ident, "boolean", event, sentence.line)
            clauses.append({"title": clean_title(event), "points": d.amount, "when": flag})
    for n, sentence in found.nothings:
        if not n.positive and n.event:
            flag = inputs.add(ident, "boolean", _titled(n.event, node.title), sentence.line)
            clauses.append({"title": clean_title(_titled(n.event, node.title)), "points": full, "when": flag})
    body: Body = {"clauses": clauses}
    if found.cap is not None and found.cap < full:
        body = {"cap": found.cap, **body}
    return body


def _vetoes(rest: tuple[Node, ...], inputs: Inputs) -> tuple[tuple[Veto, ...], set[int]]:
    """A heading "有下列情况之一的，一票否决" with a list below: one veto per entry; a single veto sentence: one veto."""
    vetoes: list[Veto] = []
    used: set[int] = set()

    def visit(node: Node) -> None:
        own = " ".join(s.text for s in node.sentences)
        if g.veto_heading(own) and node.children:
            used.update(id(s) for s in node.sentences)
            for child in node.children:
                title = clean_title(short_title(child.text, 30))
                flag = inputs.add(f"veto_{len(vetoes) + 1}", "boolean", title, child.line)
                vetoes.append(Veto(f"veto_{len(vetoes) + 1}", title, flag, child.line, child.text))
                used.update(id(s) for s in child.all_sentences())
            return
        for sentence in node.sentences:
            if g.veto_heading(sentence.text):
                event = re.split(r"(?:实行)?一票否决|取消|不得评为|不能评为|实行否决", sentence.text)[0].strip(" ,的")
                if len(event) >= 4:
                    title = clean_title(re.sub(r"^(?:凡|对|如|有)", "", event))
                    flag = inputs.add(f"veto_{len(vetoes) + 1}", "boolean", title, sentence.line)
                    vetoes.append(Veto(f"veto_{len(vetoes) + 1}", title, flag, sentence.line, sentence.text))
                    used.add(id(sentence))
        for child in node.children:
            visit(child)

    for node in rest:
        visit(node)
    return tuple(vetoes), used


def _grades(loose: tuple[Sentence, ...]) -> tuple[tuple[g.GradeBand, int, str], ...]:
    """Grade bands on the total; a "以下" that meets a "以上" of another grade is read as "below" (documented)."""
    found: list[tuple[g.GradeBand, int, str]] = []
    for sentence in loose:
        for clause in g.clauses(sentence.text):
            band = g.grade_band(clause)
            if band is not None and all(band.value != b.value for b, _, _ in found):
                found.append((band, sentence.line, sentence.text))
    lows = {b.low for b, _, _ in found if b.low is not None}
    out = []
    for b, line, text in found:
        if b.high is not None and b.high_in and b.high == b.high.to_integral_value() and b.high + 1 in lows:
            b = dataclasses.replace(b, high=b.high + 1, high_in=False)  # 75—89 分 beside 90 分以上: [75, 90)
        elif b.high in lows:
            b = dataclasses.replace(b, high_in=False)
        out.append((b, line, text))
    return tuple(out)


def _rankings(loose: tuple[Sentence, ...]) -> tuple[Ranking, ...]:
    out: list[Ranking] = []
    for sentence in loose:
        tiers = g.quotas(sentence.text)
        if tiers:
            out.append(Ranking(f"ranking_{len(out) + 1}", "、".join(q.label for q in tiers)[:20], tuple(tiers), sentence.line, sentence.text))
    return tuple(out)


def _parts(loose: tuple[Sentence, ...], inputs: Inputs, taken: set[str]) -> tuple[Weighted, ...]:
    """Weighted parts (A 按 40% 折算, B 按 60% 折算) when the weights add up to 1 and no item has points."""
    found: list[tuple[str, Decimal, Sentence]] = []
    for sentence in loose:
        for clause in re.split(r"[;]", sentence.text):
            weighted = g.weight(clause)
            if weighted is not None:
                found.append((weighted[0], weighted[1], sentence))
    if len(found) < 2 or sum((share for _, share, _ in found), Decimal(0)) != 1:
        return ()
    parts = []
    for n, (title, share, sentence) in enumerate(found, start=1):
        ident = f"part_{n}"
        full = Decimal(100)
        score = inputs.add(f"part_{n}", "score", f"{clean_title(title)}得分", sentence.line, full)
        item = Item(f"part_{n}_item", clean_title(title), full, sentence.line, "", sentence.text, "formula", {"formula": score},
                    sources=(sentence,))
        taken.add(item.id)
        parts.append(Weighted(ident, clean_title(title), share, item))
    return tuple(parts)


def _adjustments(rest: tuple[Node, ...], loose: tuple[Sentence, ...], inputs: Inputs, taken: set[str]) -> tuple[tuple[Item, ...], set[int]]:
    """Bonuses outside the items (加分项目: …加 5 分; 每项加 2 分) → one ``levels`` adjustment."""
    sentences = [s for s in loose if re.search(r"加\s*\d+(?:\.\d+)?\s*分", s.text)]
    if not sentences:
        return (), set()
    found = read_sentences(sentences, Decimal(0))
    if not found.levels:
        return (), set()
    ident = "bonus"
    taken.add(ident)
    body = _levels(ident, found, inputs, sentences[0].line)
    note = " ".join(s.text for s in found.read)
    item = Item(ident, "加分项目", found.cap if found.cap is not None else Decimal(-1), sentences[0].line, "", note, "levels", body,
                sources=tuple(found.read), unread=tuple(found.unread))
    return (item,), {id(s) for s in found.read if s not in found.unread}
