"""Structure: tidied lines → the numbering hierarchy with titles, points and sentences.

The second stage of ``kaohe draft``. Numbering comes in styles — 第一章,
一、, (一) (also ㈠ and （一）, folded by the reader), 1、 or 1., (1) or ⑴,
①, 第一条 — and a document nests them in whatever order it likes, so the
hierarchy is read with a stack of the styles seen: a marker of a style
already open closes everything below it (a sibling), a new style opens a
level (a child). One exception makes the messy documents read right: a
"1" of an open style that is not the innermost one starts a new, deeper
list (a factory's ⑴ clauses inside a 1、 item inside a ⑴ section).

Several markers on one line (a heading with its first item run on, or an
item whose clauses are numbered ⑴ ⑵ on the same line) are split first.
Points are the "(15分)" of a heading (also 满分/计/合计 15 分). Children
without points under an item with points are its clauses, merged back.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from decimal import Decimal

from engine.draft.numbering import STYLES, marker, split_markers
from engine.draft.reading import Line
from engine.errors import Location, Problem

POINTS = re.compile(r"\(\s*(?:满分|计|共|共计|合计|总分)?\s*(\d+(?:\.\d+)?)\s*分\s*\)")
_POINTS_WORDED = re.compile(r"(?:满分|计|共计|合计|总分)\s*(\d+(?:\.\d+)?)\s*分")
_POINTS_TRAILING = re.compile(r"[^扣减加得]\s*(\d+(?:\.\d+)?)\s*分\s*$")
_SENTENCE = re.compile(r"[^。;!?]+[。;!?]?")


@dataclasses.dataclass(frozen=True)
class Sentence:
    """One sentence of the document and the line it is on."""

    line: int
    text: str


@dataclasses.dataclass(frozen=True)
class Node:
    """A numbered heading or item: its marker, title, points, own sentences and children."""

    style: str
    number: int
    label: str
    line: int
    title: str
    text: str
    points: Decimal | None
    sentences: tuple[Sentence, ...]
    children: tuple[Node, ...] = ()

    def scored(self) -> bool:
        """Whether it or anything below it has points."""
        return self.points is not None or any(c.scored() for c in self.children)

    def all_sentences(self) -> tuple[Sentence, ...]:
        """Its sentences and those of everything below it, in reading order."""
        out = list(self.sentences)
        for child in self.children:
            out.extend(child.all_sentences())
        return tuple(out)


@dataclasses.dataclass(frozen=True)
class Outline:
    """The document read as a hierarchy: its title and total, loose text, and numbered nodes."""

    title: str
    total: Decimal | None
    title_line: int
    preamble: tuple[Sentence, ...]
    nodes: tuple[Node, ...]


class _Open:
    """A node while its lines are still being read (made frozen by :meth:`freeze`)."""

    def __init__(self, style: str, number: int, label: str, line: int, text: str) -> None:
        self.style, self.number, self.label, self.line = style, number, label, line
        self.segments: list[tuple[int, str]] = [(line, text)]
        self.children: list[_Open] = []

    def freeze(self) -> Node:
        heading = self.segments[0][1]
        points = points_of(heading)
        sentences = tuple(Sentence(line, s) for line, text in self.segments for s in sentences_of(strip_points(text)))
        return Node(self.style, self.number, self.label, self.line, short_title(heading), " ".join(t for _, t in self.segments),
                    points, sentences, tuple(c.freeze() for c in self.children))


def points_of(heading: str) -> Decimal | None:
    """The points of a heading: "(15分)", "满分15分", "计15分", or a short heading ending "15分"."""
    match = POINTS.search(heading) or _POINTS_WORDED.search(heading)
    if match is None and len(heading) <= 30:
        match = _POINTS_TRAILING.search(heading)
    return Decimal(match[1]) if match else None


def strip_points(text: str) -> str:
    """The text without its "(N分)" marks, which are the points and not a rule to read."""
    return POINTS.sub("", text).strip()


def sentences_of(text: str) -> list[str]:
    """Sentences split at 。;!? (the comma-joined clauses of a sentence stay together)."""
    return [s.strip() for s in _SENTENCE.findall(text) if s.strip(" 。;!?,")]


def short_title(heading: str, limit: int = 20) -> str:
    """A readable title: the heading up to its points or first full stop, cut at a comma if long.

    >>> short_title("建立健全各项工作制度,做到有章可循,有据可查(3分)每缺一项扣1分")
    '建立健全各项工作制度,做到有章可循'
    >>> short_title("资料归档,每缺一份扣1分")
    '资料归档'
    """
    match = POINTS.search(heading)
    head = heading[: match.start()] if match and match.start() > 0 else strip_points(heading)
    head = re.split(r"[。;:!?]", head, maxsplit=1)[0].strip(" ,、")
    pieces = head.split(",")
    # A title stops before the first clause that scores (…台账,每缺一本扣1分 → …台账).
    keep = [pieces[0]] + list(itertools.takewhile(lambda p: not re.search(r"\d|扣|减|得|分", p), pieces[1:]))
    head = ",".join(keep) if not re.search(r"\d|扣|减", pieces[0]) or len(pieces) == 1 else pieces[0]
    if len(head) > limit:
        cut = max(head.rfind(",", 0, limit), head.rfind("、", 0, limit))
        head = head[:cut] if cut >= 4 else head[:limit] + "…"
    return head.strip(" ,、") or heading[:limit]


def outline(lines: tuple[Line, ...]) -> Outline:
    """Read the hierarchy of ``lines``: the title (and its total), loose sentences, numbered nodes."""
    roots: list[_Open] = []
    stack: list[_Open] = []
    loose: list[tuple[int, str]] = []
    for line in lines:
        for segment in split_markers(line.text):
            found = marker(segment)
            if found is None:
                if stack:
                    stack[-1].segments.append((line.number, segment))
                else:
                    loose.append((line.number, segment))
                continue
            style, number, label = found
            node = _Open(style, number, label, line.number, _after_marker(segment))
            levels = [k for k in range(len(stack) - 1, -1, -1) if stack[k].style == style]
            # Of two open lists in one style, the one this number continues (⑶ after ⑵ of the outer list).
            level = next((k for k in levels if stack[k].number + 1 == number), levels[0] if levels else None)
            if level is not None and not (number == 1 and level < len(stack) - 1):
                del stack[level:]
            (stack[-1].children if stack else roots).append(node)
            stack.append(node)
    title, total, title_line, preamble = _title(loose)
    return Outline(title, total, title_line, preamble, tuple(r.freeze() for r in roots))


def _after_marker(segment: str) -> str:
    found = marker(segment)
    if found is None:
        return segment
    for _, pattern in STYLES:
        match = pattern.match(segment)
        if match and match[0].strip() == found[2]:
            return segment[match.end():].strip()
    return segment


_TITLE_WORDS = re.compile(r"考核|考评|细则|办法|方案|标准|评分|评比")


def _title(loose: list[tuple[int, str]]) -> tuple[str, Decimal | None, int, tuple[Sentence, ...]]:
    """The document title among the lines before and between the numbering, and the remaining sentences."""
    candidates = [(n, t) for n, t in loose if not t.startswith("第") or "篇" not in t[:6]]
    chosen = next(((n, t) for n, t in candidates if _TITLE_WORDS.search(t) and len(t) <= 40), None)
    if chosen is None:
        chosen = next(((n, t) for n, t in candidates if len(t) <= 40), (0, ""))
    number, text = chosen
    title = re.sub(r"^第[一二三四五六七八九十\d]+篇\s*:?\s*", "", strip_points(text)).strip(" 《》") or "考核方案草稿"
    rest = tuple(Sentence(n, s) for n, t in loose if (n, t) != chosen and not re.match(r"^第[一二三四五六七八九十\d]+篇", t)
                 for s in sentences_of(t))
    return title, points_of(text) if text else None, number, rest


def scored_nodes(tree: Outline, file: str) -> tuple[tuple[Node, ...], Decimal | None, tuple[Node, ...], tuple[Problem, ...]]:
    """The nodes that carry points (the scheme's items), the total, the other nodes, and warnings.

    A wrapper holding all the points alone (十、考核细则 → ㈠ 考核内容(合计100分))
    is unwrapped; its points become the total when the title has none.
    Totals that disagree with their items, and numbering that repeats or
    goes backwards, are warnings naming both numbers.
    """
    total = tree.total
    top = [n for n in tree.nodes if n.scored()]
    while len(top) == 1 and any(c.scored() for c in top[0].children) and (
            top[0].points is None or top[0].points == total or (total is None and re.search(r"合计|共计|总分", top[0].text[:40]))):
        total = total if total is not None else top[0].points
        top = [c for c in top[0].children if c.scored()]
    items = tuple(_merge_clauses(n) for n in top)
    rest = tuple(_unscored(tree.nodes, set(map(id, _walk(tree.nodes, top)))))
    warnings: list[Problem] = []
    _check(items, file, warnings)
    if total is not None and items:
        found = sum(((n.points if n.points is not None else _sum(n)) for n in items), Decimal(0))
        if found != total:
            warnings.append(Problem.at("draft_document_total", Location(file, tree.title_line or None), "warning",
                                       declared=_fmt(total), found=_fmt(found)))
    return items, total, rest, tuple(warnings)


def _walk(nodes: t_Nodes, chosen: list[Node]) -> list[Node]:
    """Every node at or below ``chosen`` and the wrappers above them."""
    out: list[Node] = []

    def visit(node: Node) -> bool:
        inside = any(node is c for c in chosen)
        below = [visit(c) for c in node.children]
        if inside or any(below):
            out.append(node)
            if inside:
                out.extend(_descendants(node))
            return True
        return False

    for node in nodes:
        visit(node)
    return out


t_Nodes = tuple[Node, ...]


def _descendants(node: Node) -> list[Node]:
    out: list[Node] = []
    for child in node.children:
        out.append(child)
        out.extend(_descendants(child))
    return out


def _unscored(nodes: t_Nodes, used: set[int]) -> list[Node]:
    """The nodes outside the scored items (in reading order), each with its own unscored children."""
    out: list[Node] = []
    for node in nodes:
        if id(node) in used:
            out.extend(_unscored(node.children, used))
        else:
            out.append(node)
    return out


def _merge_clauses(node: Node) -> Node:
    """An item with points whose children have none: the children are its clauses, read as its sentences."""
    children = tuple(_merge_clauses(c) for c in node.children)
    if node.points is not None and children and not any(c.scored() for c in children):
        clauses: list[Sentence] = []
        for child in children:
            own = child.all_sentences()
            if own:
                clauses.extend(own)  # without the clause's own "(1)": a number that is no rule
        text = " ".join([node.text] + [c.label + c.text for c in _descendants(node)])
        return dataclasses.replace(node, text=text, sentences=node.sentences + tuple(clauses), children=())
    return dataclasses.replace(node, children=children)


def _sum(node: Node) -> Decimal:
    return sum(((c.points if c.points is not None else _sum(c)) for c in node.children if c.scored()), Decimal(0))


def _check(nodes: t_Nodes, file: str, warnings: list[Problem]) -> None:
    """Section totals against their items; numbering that repeats or goes backwards."""
    previous: Node | None = None
    for node in nodes:
        if previous is not None and previous.style == node.style and node.number <= previous.number:
            warnings.append(Problem.at("draft_numbering", Location(file, node.line), "warning",
                                       label=node.label, before=previous.label, line=previous.line))
        previous = node
        scored = [c for c in node.children if c.scored()]
        if scored:
            found = _sum(node)
            if node.points is not None and found != node.points:
                warnings.append(Problem.at("draft_section_total", Location(file, node.line), "warning",
                                           title=node.title, declared=_fmt(node.points), found=_fmt(found)))
            _check(tuple(scored), file, warnings)


def _fmt(value: Decimal) -> str:
    return format(value.normalize(), "f")
