"""The score sheets and the 公示 as HTML by string building — the same bytes as the
shipped Jinja templates print, at a fraction of the time.

A report of 100,000 members writes 100,000 score sheets (1.2 million rows) and a
公示 of 100,000 rows; through Jinja that was most of ``kaohe report``'s time
(a sandboxed attribute lookup or call per value). When a scheme prints them with
the shipped templates unchanged (``sheets.html.j2`` or ``gongshi.html.j2``, and
``base.html.j2``, resolved through the scheme's ``reports.templates`` folder as
Jinja would resolve them, each matching the text this module was written
against: :data:`SHIPPED`), the page is rendered by Jinja with the first unit
only and the units' HTML is spliced in where that unit's is; the per-unit HTML is
built here from the report columns (engine.reports.UnitColumns,
engine.explaining.SheetColumns), escaped as markupsafe escapes. If the first
unit's HTML built here is not found in Jinja's page, or a template is a
scheme's own, Jinja renders everything as before. tests/unit/test_sheetpages.py
compares both on every shipped scheme, in both languages.
"""

from __future__ import annotations

import hashlib
import itertools
import operator
import typing as t
import weakref

import jinja2

if t.TYPE_CHECKING:
    from engine.context import Context
    from engine.explaining import SheetColumns
    from engine.reports import UnitColumns

#: sha256 of the shipped templates the string building below prints as (a changed template
#: falls back to Jinja until this module is brought along; tests/unit/test_sheetpages.py says so).
SHIPPED = {
    "base.html.j2": "eb7dc7efe97853d7eeb49791b7368035e21edcaef2f10255c52364cd0fcf6c08",
    "sheets.html.j2": "dbdc1108a2f89c0c332f7aac23cccbb347522ff86803a5b1a4ae9b0e0c26ff69",
    "gongshi.html.j2": "aaf5df709429179685b4fad8ebbb1ff39190c24e65c3cae37be183519c5ce489",
}

_SPECIAL = "&<>'\""


def shipped(env: jinja2.Environment, *names: str) -> bool:
    """Whether ``names`` resolve, in ``env``, to the shipped templates as :data:`SHIPPED` knows them."""
    loader = env.loader
    if loader is None:
        return False
    for name in names:
        try:
            source, _, _ = loader.get_source(env, name)
        except jinja2.TemplateNotFound:
            return False
        if hashlib.sha256(source.encode("utf-8")).hexdigest() != SHIPPED.get(name):
            return False
    return True


def escape(text: str) -> str:
    """``text`` escaped as markupsafe escapes it (the same five characters, the same entities)."""
    if not any(c in text for c in _SPECIAL):
        return text
    return text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;").replace("'", "&#39;").replace('"', "&#34;")


def escape_column(texts: t.Sequence[str]) -> list[str]:
    """:func:`escape` of every text, a column at a time: the texts joined with NUL, scanned
    and replaced in one pass each, split again (one by one if a text holds a NUL itself)."""
    if not texts:
        return []
    joined = "\x00".join(texts)
    if not any(c in joined for c in _SPECIAL):
        return list(texts)
    parts = escape(joined).split("\x00")
    return parts if len(parts) == len(texts) else [escape(text) for text in texts]


_Cell = t.TypeVar("_Cell")


def pick(column: t.Sequence[_Cell], units: t.Sequence[int]) -> list[_Cell]:
    """``column[i]`` for each of ``units``, in order."""
    if not units:
        return []
    if len(units) == 1:
        return [column[units[0]]]
    return list(operator.itemgetter(*units)(column))


def _frame(page: str, first: str) -> tuple[str, str] | None:
    """``page`` (Jinja's, with the first unit only) before and after ``first`` (that unit's
    HTML as built here); None when ``first`` is not found there exactly once."""
    at = page.find(first)
    if at < 0 or page.find(first, at + 1) >= 0:
        return None
    return page[:at], page[at + len(first):]


def joined_html(rows: t.Sequence[t.Sequence[str]]) -> list[str]:
    """Each unit's texts escaped and joined with 、 (Jinja's ``join("、")``), each distinct list
    once (most units share the one empty tuple)."""
    if not any(rows):
        return [""] * len(rows)  # (a scheme without vetoes: no unit has one)
    memo: dict[tuple[str, ...], str] = {}
    out = []
    for row in rows:
        key = tuple(row)
        text = memo.get(key)
        if text is None:
            text = memo[key] = "、".join(escape(x) for x in row)
        out.append(text)
    return out


def row_start(section: bool, lost: bool, depth: int) -> str:
    """A score sheet row's opening up to its first cell's text: ``<tr class="section lost"><td>``
    (no class when neither; an indent only below the top level). The cells carry no class:
    base.html.j2 styles a ``table.rows`` by column."""
    css = " ".join(name for name, on in (("section", section), ("lost", lost)) if on)
    indent = f' style="padding-left: {6 + 14 * depth}px"' if depth else ""
    return f'<tr class="{css}"><td{indent}>' if css else f"<tr><td{indent}>"


#: The end of a score sheet's row (after its explanation).
ROW_END = "</td></tr>\n"


def sheet_pieces(columns: SheetColumns, units: t.Sequence[int]) -> list[t.Iterable[str]]:
    """The table body of ``units``' score sheets (as :meth:`SheetColumns.rows_html` prints
    them) as columns of pieces, one piece per unit in each: a node's row up to its
    explanation (:attr:`SheetColumns.heads`), then for an item the explanation and the
    row's end. A sheet's body is its pieces in turn; a file's, every sheet's, joined
    once (no string is made per row or per sheet)."""
    from engine.model import Section

    why = columns.why_pieces_of(units)  # made for these units only (in their order)
    pieces: list[t.Iterable[str]] = []
    for k, (node, _) in enumerate(columns.nodes):
        pieces.append(pick(columns.heads[k], units))
        if not isinstance(node, Section):
            pieces += [*why[k], itertools.repeat(ROW_END)]
    return pieces


#: The last page frame found (:func:`sheets`): its template, what else the page was
#: rendered with, and the page's text before and after the sheets.
_FRAME: tuple[weakref.ref[jinja2.Template], tuple[object, ...], str, str] | None = None


def sheets(page_of: t.Callable[[int], str], frame_key: tuple[object, ...], template: jinja2.Template, units: t.Sequence[int],
           facts: UnitColumns, columns: SheetColumns, heading: str, period: str, context: Context, note: str = "") -> str | None:
    """The score sheets of ``units`` (listing order) as ``sheets.html.j2`` prints them without
    self-assessed inputs. ``page_of(i)`` is Jinja's page of unit ``i`` alone: the page is
    that with these units' sheets where the unit's is. Its frame (the text before and after)
    is kept for the next file of the same report (``template`` and ``frame_key``, what
    the page is rendered with besides the sheets, the same), so that a report of a hundred
    files renders one page with Jinja, not a hundred. None when the first unit's sheet
    built here is not Jinja's (the caller then renders with Jinja)."""
    global _FRAME
    made = _sheets(units, facts, columns, heading, period, context, note)
    if made is None:
        return None
    first, every = made
    if _FRAME is None or _FRAME[0]() is not template or _FRAME[1] != frame_key:
        frame = _frame(page_of(units[0]), first)
        if frame is None:
            return None
        _FRAME = (weakref.ref(template), frame_key, *frame)
    return "".join([_FRAME[2], every, _FRAME[3]])


def _sheets(units: t.Sequence[int], facts: UnitColumns, columns: SheetColumns, heading: str, period: str,
            context: Context, note: str) -> tuple[str, str] | None:
    """The first of ``units``' score sheets, and all of them, as the shipped template prints
    them; None for no units."""
    if not units:
        return None
    say = context.say
    top = (f'\n<section class="page">\n<h1>{escape(heading)}{escape(say("评分表", " — score sheet"))}</h1>\n<p class="meta">')
    head = (f'\n<table class="rows">\n<thead><tr><th>{escape(say("考核内容", "Item"))}</th><th>{escape(say("满分", "Max"))}</th>'
            f'<th>{escape(say("得分", "Score"))}</th><th>{escape(say("扣分说明", "Where points were lost"))}</th></tr></thead>\n<tbody>\n\n')
    after_period = f" · {escape(period)}" if period else ""
    total_word = escape(say("总分", "Total"))
    rank_word = escape(say("排名", "rank"))
    veto_word = escape(say("一票否决：", "Vetoes: "))
    noted = f'<p class="note">{escape(note)}</p>\n' if note else ""  # a run to date (engine.to_date)
    groups = escape_column(pick(facts.groups, units))
    ranks = pick(facts.rank, units)
    labels = pick(facts.labels_html, units)
    vetoes = pick(facts.vetoes_html, units)
    # Each sheet up to its table body as pieces (a column per fact, the markup between);
    # then the body's pieces; then the sheet's end.
    starts: list[t.Iterable[str]] = [itertools.repeat(top), escape_column(pick(facts.names, units)), itertools.repeat("（"),
                                     escape_column(pick(facts.ids, units)), itertools.repeat("）")]
    if all(groups):
        starts += [itertools.repeat(" · "), groups]
    elif any(groups):
        starts.append([f" · {group}" if group else "" for group in groups])
    starts += [itertools.repeat(f"{after_period}</p>\n<p>{total_word} <b>"), escape_column(pick(facts.totals, units)), itertools.repeat("</b>")]
    for title, column in zip(facts.grade_titles, facts.grade_labels):
        starts += [itertools.repeat(f" · {escape(title)} "), escape_column(pick(column, units))]
    if any(ranks):
        starts.append([f" · {rank_word} {rank}" if rank else "" for rank in ranks])
    if any(labels):
        starts.append([f" · {label}" if label else "" for label in labels])
    starts.append(itertools.repeat(f"</p>\n{noted}"))
    if any(vetoes):
        starts.append([f"<p>{veto_word}{veto}</p>" if veto else "" for veto in vetoes])
    starts.append(itertools.repeat(head))
    end = itertools.repeat("</tbody>\n</table>\n\n</section>\n")
    pieces = [*starts, *sheet_pieces(columns, units), end]
    first = "".join(next(zip(*pieces)))
    # zip stops with the units (the constant pieces repeat without end).
    return first, "".join(itertools.chain.from_iterable(zip(*pieces)))


def gongshi(page: str, units: t.Sequence[int], facts: UnitColumns, has_groups: bool, has_vetoes: bool) -> str | None:
    """The 公示's rows of ``units`` (listing order) as ``gongshi.html.j2`` prints them, spliced into
    ``page`` (Jinja's page of the first unit alone); None when the first row is not Jinja's."""
    if not units:
        return None
    # Each row as pieces, a column of them per cell and the markup between: the rows are
    # joined once, piece after piece, and no string is made per row or per cell.
    cell, num, end = itertools.repeat('<td class="nw">'), itertools.repeat('<td class="num">'), itertools.repeat("</td>")
    pieces: list[t.Iterable[str]] = [itertools.repeat('<tr><td class="num">'),
                                     [str(rank) if rank else "—" for rank in pick(facts.rank, units)],
                                     itertools.repeat('</td><td class="nw">'), escape_column(pick(facts.names, units)), end]
    if has_groups:
        pieces += [cell, escape_column(pick(facts.groups, units)), end]
    pieces += [num, escape_column(pick(facts.totals, units)), end]
    for labels in facts.grade_labels:
        pieces += [cell, escape_column(pick(labels, units)), end]
    pieces += [itertools.repeat("<td>"), pick(facts.public_html, units), end]
    if has_vetoes:
        pieces += [itertools.repeat("<td>"), pick(facts.vetoes_html, units), end]
    pieces.append(itertools.repeat("</tr>\n"))
    rows = zip(*pieces)  # zip stops with the units (the constant pieces repeat without end)
    first = "".join(next(rows))
    frame = _frame(page, first)
    return None if frame is None else "".join([frame[0], first, *itertools.chain.from_iterable(rows), frame[1]])
