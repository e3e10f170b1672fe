"""Outcomes → the documents people hand around: 公示 list, score sheets,
整改通知书, a summary with charts (HTML or Markdown), and an Excel workbook.

Every figure comes from the evaluation (``evaluate(..., details=True)``), so a
score sheet's "少开 2 次会议，每次扣 0.5 分，扣 1 分" is the rule that was
applied, not a paraphrase. HTML is self-contained (inline CSS and SVG, no
scripts, no web fonts), prints on A4 with one notice per page, and escapes
every name. Templates live in ``reports/``; a scheme's ``reports.templates``
folder is searched first, so a county can replace a template or override
one block of it (``{% extends "base/notices.html.j2" %}``).
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import math
import re
import typing as t
import weakref
from pathlib import Path

import jinja2
import markupsafe
import numpy as np

from engine.errors import Location, Problem
from engine.evaluate import Results
from engine.grade import Outcomes
from engine.messages import Text
from engine.model import (
    Item,
    Node,
    Scheme,
    Section,
    max_column,
    max_for,
)
from engine.numbers import format_max, format_number, format_score, round_half_up
from engine.words import expression_words, input_words, input_words_column, is_percentage
from engine.xlsx import write_workbook
from engine.render import REPORTS_DIR, ordered_counts, _award_texts, _grade_texts, _veto_texts, order_index, replace_atomically, unit_order, write_atomic

KINDS = ("gongshi", "sheets", "notices", "summary")
#: The kinds that have a Markdown template (the others are HTML only).
MARKDOWN_KINDS = ("gongshi", "sheets")


@dataclasses.dataclass(frozen=True)
class Settings:
    """Per-run report settings (command line over the scheme's ``reports:``)."""

    #: Publication date (公示开始、通知书落款), ISO ``YYYY-MM-DD``.
    date: datetime.date
    period: str | None = None
    lang: str = "zh"


#: The environment of the last scheme and language asked for: a report split into a
#: hundred files renders with one environment, its templates compiled once.
_LAST_ENV: tuple[weakref.ref[Scheme], str, jinja2.Environment] | None = None


def _environment(scheme: Scheme, lang: str) -> jinja2.Environment:
    global _LAST_ENV
    if _LAST_ENV is None or _LAST_ENV[0]() is not scheme or _LAST_ENV[1] != lang:
        _LAST_ENV = (weakref.ref(scheme), lang, _new_environment(scheme, lang))
    return _LAST_ENV[2]


def _new_environment(scheme: Scheme, lang: str) -> jinja2.Environment:
    """The reports' Jinja environment: the scheme's ``reports.templates`` first, then the shipped ones.

    Sandboxed (:class:`jinja2.sandbox.ImmutableSandboxedEnvironment`): a
    scheme's templates travel with the scheme from county to county, so a
    template may read the values it is given but not reach Python internals
    (``cycler.__init__.__globals__``) or change its data; such an expression
    raises SecurityError, reported by :func:`template_problem`.
    """
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    from engine.render import markdown_finalize

    loaders: list[jinja2.BaseLoader] = []
    if scheme.reports.templates:
        loaders.append(jinja2.FileSystemLoader(scheme.reports.templates))
    # "base/…" always names the shipped template, so an override can extend it.
    loaders.append(jinja2.PrefixLoader({"base": jinja2.FileSystemLoader(REPORTS_DIR)}))
    loaders.append(jinja2.FileSystemLoader(REPORTS_DIR))
    env = ImmutableSandboxedEnvironment(
        loader=jinja2.ChoiceLoader(loaders),
        undefined=jinja2.StrictUndefined,
        autoescape=jinja2.select_autoescape(["html", "html.j2"], default_for_string=False, default=False),
        keep_trailing_newline=True,
        finalize=markdown_finalize,
    )
    env.globals["lang"] = lang
    env.globals["t"] = lambda zh, en: en if lang == "en" else zh
    return env


def template_problem(err: jinja2.TemplateError, scheme: Scheme) -> Problem:
    """A template's failure as a problem located at the template file and line.

    The line is the template's own: a syntax error carries it, and for an
    error while rendering (the sandbox's SecurityError, an undefined name)
    Jinja rewrites the traceback so that its frames name the template file
    and line; the innermost such frame is the expression that failed.
    """
    from jinja2.exceptions import SecurityError

    file: str | None = getattr(err, "filename", None)
    line: int | None = getattr(err, "lineno", None)
    if file is None:
        tb = err.__traceback__
        while tb is not None:
            name = tb.tb_frame.f_code.co_filename
            if name.endswith(".j2") or (scheme.reports.templates and name.startswith(str(scheme.reports.templates))):
                file, line = name, tb.tb_lineno
            tb = tb.tb_next
    where = Location(file or str(scheme.reports.templates or scheme.file), line)
    code = "report_template_unsafe" if isinstance(err, SecurityError) else "report_template_broken"
    return Problem.at(code, where, reason=str(err.message or err) if hasattr(err, "message") else str(err))


# ---------------------------------------------------------------------------
# Where points were lost, in plain words


def explain_item(outcomes: Outcomes, item: Item, index: int, lang: str = "zh") -> list[str]:
    """Plain-language lines saying how ``item`` was scored for one unit (its rule's words, engine.rules)."""
    return explain_item_with(explainer(outcomes.results), item, index, lang)


def explain_item_with(ex: Explainer, item: Item, index: int, lang: str) -> list[str]:
    results = ex.results
    score = float(results.scores[item.id][index])
    if math.isnan(score):
        return [_t(lang, "不适用", "not applicable")] if not results.manual[index] else []
    unit = _UnitItem(ex, item, index, score)
    return [line.en if lang == "en" else line.zh for line in item.rule.explain(item, unit)]


class Explainer:
    """What the rules' ``explain`` asks of every unit, worked out once per column.

    A score sheet for each of 100,000 units asks, for each item, for the same
    inputs' words and the same figures unit after unit; asked one unit at a
    time (numpy on one-element arrays, one expression's words parsed again
    and again) that was most of ``kaohe report``'s time. Here an input's
    words are made for all units at once when first asked (count, mean and
    figure a column at a time, each distinct figure formatted once), and an
    expression's words and a figure's text are kept once made. The texts are
    exactly :func:`engine.words.input_words`' (tests/unit/test_report_speed.py
    compares them on every shipped scheme).
    """

    def __init__(self, results: Results) -> None:
        self.results = results
        self._inputs: dict[str, list[Text] | None] = {}
        self._words: dict[str, Text | None] = {}
        self._percent: dict[str, bool] = {}
        self._figures: dict[float, str] = {}
        self._lines: dict[tuple[str, str], list[list[str]]] = {}

    def words(self, source: str) -> Text | None:
        if source not in self._words:
            self._words[source] = expression_words(source, self.results.scheme)
        return self._words[source]

    def percent(self, source: str) -> bool:
        if source not in self._percent:
            self._percent[source] = is_percentage(source, self.results.scheme)
        return self._percent[source]

    def figure(self, value: float) -> str:
        shown = self._figures.get(value)
        if shown is None:
            shown = self._figures[value] = format_number(float(round_half_up(np.array([value]), self.results.scheme.precision)[0]))
        return shown

    def lines(self, item: Item, lang: str) -> list[list[str]]:
        """:func:`explain_item` of every unit: from the rule's ``explain_column`` when it has
        one (all units in one pass), else unit by unit; kept per item and language."""
        key = (item.id, lang)
        made = self._lines.get(key)
        if made is None:
            results = self.results
            scores = np.asarray(results.scores[item.id], dtype=np.float64)
            whole = getattr(item.rule, "explain_column", None)
            if whole is None:
                made = [explain_item_with(self, item, i, lang) for i in range(len(scores))]
            else:
                texts = whole(item, _Columns(self, item, scores.tolist()))
                made = [[line.en if lang == "en" else line.zh for line in lines] for lines in texts]
                na = [_t(lang, "不适用", "not applicable")]
                for i in np.flatnonzero(np.isnan(scores)).tolist():
                    made[i] = [] if results.manual[i] else na
            self._lines[key] = made
        return made

    def input_summaries(self, name: str, count: int) -> list[Text]:
        """:meth:`input_summary` of all ``count`` units."""
        if name not in self.results.scheme.inputs or self.results.data.columns.get(name) is None:
            return [Text("", "")] * count  # a parameter (base_weight): no words
        if count:
            self.input_summary(name, 0)  # makes the column's words when it has them
        made = self._inputs.get(name)
        return made if made is not None else [self.input_summary(name, i) for i in range(count)]

    def input_summary(self, name: str, index: int) -> Text:
        column = self.results.data.columns.get(name)
        if name not in self.results.scheme.inputs or column is None:
            return Text("", "")
        if name not in self._inputs:
            self._inputs[name] = input_words_column(self.results.scheme, name, np.asarray(column))
        made = self._inputs[name]
        # Booleans and categories (rare, short) are worded one unit at a time.
        return made[index] if made is not None else input_words(self.results.scheme, name, column[index])


#: The explainer of the last results asked for (a sheet run asks for one results' units
#: hundreds of thousands of times); weakly held, so it goes when the results go.
_LAST: tuple[weakref.ref[Results], Explainer] | None = None


def explainer(results: Results) -> Explainer:
    """The :class:`Explainer` of ``results`` (made once, kept while they are in use)."""
    global _LAST
    if _LAST is None or _LAST[0]() is not results:
        _LAST = (weakref.ref(results), Explainer(results))
    return _LAST[1]


@dataclasses.dataclass(frozen=True)
class _Columns:
    """Every unit's scored item, lent to a rule's ``explain_column`` (:class:`engine.rules.base.ExplainingColumns`)."""

    explainer: Explainer
    item: Item
    scores: list[float]

    def detail(self, key: str) -> list[float] | None:
        column = self.explainer.results.details.get(self.item.id, {}).get(key)
        return None if column is None else np.asarray(column, dtype=np.float64).tolist()

    def figures(self, values: list[float]) -> list[str]:
        figure = self.explainer.figure
        return [figure(v) for v in values]

    def input_summaries(self, name: str) -> list[Text]:
        return self.explainer.input_summaries(name, len(self.scores))


@dataclasses.dataclass(frozen=True)
class _UnitItem:
    """One unit's scored item, lent to its rule's ``explain`` (:class:`engine.rules.Explaining`)."""

    explainer: Explainer
    item: Item
    index: int
    score: float

    def detail(self, key: str) -> float | None:
        column = self.explainer.results.details.get(self.item.id, {}).get(key)
        return None if column is None else float(column[self.index])

    def words(self, source: str) -> Text | None:
        return self.explainer.words(source)

    def percent(self, source: str) -> bool:
        return self.explainer.percent(source)

    def figure(self, value: float) -> str:
        return self.explainer.figure(value)

    def input_summary(self, name: str) -> Text:
        return self.explainer.input_summary(name, self.index)


def _t(lang: str, zh: str, en: str) -> str:
    return en if lang == "en" else zh


# ---------------------------------------------------------------------------
# View models


def _nodes(scheme: Scheme) -> list[tuple[Node, int]]:
    out: list[tuple[Node, int]] = []

    def walk(nodes: t.Iterable[Node], depth: int) -> None:
        for node in nodes:
            out.append((node, depth))
            if isinstance(node, Section):
                walk(node.children, depth + 1)

    for part in scheme.parts:
        walk(part.children, 0)
    walk(scheme.adjustments, 0)
    return out


def _unit(outcomes: Outcomes, i: int, lang: str = "zh") -> dict[str, t.Any]:
    results = outcomes.results
    scheme = results.scheme
    units = results.data.units
    return {
        "index": i,
        "id": str(units.ids[i]),
        "name": str(units.names[i]),
        "group": str(units.groups[i]),
        "type": str(units.types[i]),
        "total": format_score(float(results.total[i]), scheme.precision) if not results.manual[i] else _t(lang, "直接评定", "by hand"),
        "manual": bool(results.manual[i]),
        "grade": outcomes.primary_label(i) or "",
        "grades": [(g.title, outcomes.grade_label(g, i) or "—") for g in scheme.grades],
        "rank": int(outcomes.rank[i]) or None,
        "group_rank": int(outcomes.group_rank[i]) or None,
        "labels": outcomes.labels(i),
        # What the 公示 shows: only the awards and actions the scheme publishes (published:).
        "public": public_labels(outcomes, i),
        "vetoes": [v.title for v in scheme.vetoes if results.vetoes[v.id][i]],
    }


class SheetColumns:
    """Every node's score-sheet cells for all units, made a column at a time.

    Per node: the score as printed (each distinct score formatted once), its
    full marks per unit type, whether points were lost; the HTML of a row
    built from them (the shipped template prints ``s.rows_html``: at 100,000
    sheets a Jinja loop over 1.2 million rows was a third of the report's time).
    """

    def __init__(self, outcomes: Outcomes, lang: str) -> None:
        results = outcomes.results
        scheme = results.scheme
        self.outcomes, self.lang = outcomes, lang
        self.nodes = _nodes(scheme)
        types = np.asarray(results.data.units.types).astype(str)
        self.scores: list[list[str]] = []
        self.maxima: list[list[str]] = []
        self.lost: list[list[bool]] = []
        self.titles = [str(markupsafe.escape(node.title)) for node, _ in self.nodes]
        for node, _ in self.nodes:
            column = np.asarray(results.scores[node.id], dtype=np.float64)
            # A section's 满分 counts only the items that apply to this unit; an item keeps its own.
            maximum = max_column(node, types) if isinstance(node, Section) else np.full(len(column), node.max)
            self.scores.append(_distinct_texts(column, lambda v: format_score(v, scheme.precision) if not math.isnan(v) else "—"))
            self.maxima.append(_distinct_texts(maximum, lambda v: format_max(v, lang)))
            with np.errstate(invalid="ignore"):
                lost = ~np.isnan(column) & np.isfinite(maximum) & (column < maximum - 1e-9)
            self.lost.append(lost.tolist())

    @functools.cached_property
    def why(self) -> list[list[list[str]]]:
        """Each node's explanation lines for every unit (none for a section), made column-wise."""
        ex = explainer(self.outcomes.results)
        return [ex.lines(node, self.lang) if isinstance(node, Item) else [] for node, _ in self.nodes]

    @functools.cached_property
    def why_html(self) -> list[list[str]]:
        """:attr:`why` of each node, joined and HTML-escaped as the template's ``join`` filter would."""
        joiner = _t(self.lang, "；", "; ")
        return [[_html(joiner.join(lines)) for lines in column] for column in self.why]

    def rows(self, i: int) -> list[dict[str, t.Any]]:
        return [{"depth": depth, "title": node.title, "id": node.id, "section": isinstance(node, Section),
                 "max": self.maxima[k][i], "score": self.scores[k][i], "lost": self.lost[k][i],
                 "why": list(self.why[k][i]) if isinstance(node, Item) else []}
                for k, (node, depth) in enumerate(self.nodes)]

    def rows_html(self, i: int) -> markupsafe.Markup:
        why = self.why_html
        out = []
        for k, (node, depth) in enumerate(self.nodes):
            section = isinstance(node, Section)
            css = ("section" if section else "") + (" lost" if self.lost[k][i] else "")
            out.append(f'<tr class="{css}"><td style="padding-left: {6 + 14 * depth}px">{self.titles[k]}</td>'
                       f'<td class="num">{self.maxima_html[k][i]}</td><td class="num score">{self.scores_html[k][i]}</td>'
                       f'<td class="why">{"" if section else why[k][i]}</td></tr>\n')
        return markupsafe.Markup("".join(out))

    @functools.cached_property
    def maxima_html(self) -> list[list[str]]:
        return [_escape_distinct(column) for column in self.maxima]

    @functools.cached_property
    def scores_html(self) -> list[list[str]]:
        return [_escape_distinct(column) for column in self.scores]


#: The sheet columns of the last outcomes and language asked for (a report split into
#: files asks once per file); weakly held, as :data:`_LAST`.
_LAST_SHEETS: tuple[weakref.ref[Outcomes], str, SheetColumns] | None = None


def sheet_columns(outcomes: Outcomes, lang: str) -> SheetColumns:
    """The :class:`SheetColumns` of ``outcomes`` in ``lang`` (made once while they are in use)."""
    global _LAST_SHEETS
    if _LAST_SHEETS is None or _LAST_SHEETS[0]() is not outcomes or _LAST_SHEETS[1] != lang:
        _LAST_SHEETS = (weakref.ref(outcomes), lang, SheetColumns(outcomes, lang))
    return _LAST_SHEETS[2]


def _html(text: str) -> str:
    """``text`` escaped as markupsafe escapes it (the same five characters, the same entities)."""
    if not any(c in text for c in "&<>'\""):
        return text
    return text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;").replace("'", "&#39;").replace('"', "&#34;")


def _escape_distinct(column: list[str]) -> list[str]:
    made: dict[str, str] = {}
    return [made.get(v) or made.setdefault(v, _html(v)) for v in column]


def _distinct_texts(column: np.ndarray, text: t.Callable[[float], str]) -> list[str]:
    """``text`` of every value of ``column``, each distinct value formatted once."""
    if not column.size:
        return []
    values, inverse = np.unique(column, return_inverse=True)
    made = [text(float(v)) for v in values.tolist()]
    return [made[k] for k in inverse.reshape(-1).tolist()]


class _LazyRows:
    """A sheet's rows as dicts, made only when a template iterates them (a scheme's own template)."""

    def __init__(self, columns: SheetColumns, i: int) -> None:
        self._columns, self._i = columns, i
        self._made: list[dict[str, t.Any]] | None = None

    def _rows(self) -> list[dict[str, t.Any]]:
        if self._made is None:
            self._made = self._columns.rows(self._i)
        return self._made

    def __iter__(self) -> t.Iterator[dict[str, t.Any]]:
        return iter(self._rows())

    def __len__(self) -> int:
        return len(self._columns.nodes)

    def __getitem__(self, k: int) -> dict[str, t.Any]:
        return self._rows()[k]


class _LazyHtml:
    """A sheet's table rows as HTML, made when the template prints them (Jinja calls ``__html__``)."""

    def __init__(self, columns: SheetColumns, i: int) -> None:
        self._columns, self._i = columns, i

    def __html__(self) -> str:
        return str(self._columns.rows_html(self._i))


def public_labels(outcomes: Outcomes, i: int) -> list[str]:
    """The labels of unit ``i`` that the 公示 shows: rank-based labels of the rankings and
    the actions whose ``published`` is true (by default a top ranking's awards, no action).
    The rest — 整改通知书, 诫勉谈话, 排名较后 — are on the unit's sheet and notice and in the
    internal lists (results, workbook), not on the notice board."""
    ranked = [p.ranking.tiers[p.tier[i]].label for p in outcomes.placements if p.tier[i] >= 0 and p.ranking.published]
    return ranked + [a.title for a in outcomes.results.scheme.actions if a.published and outcomes.actions[a.id][i]]


def _sheet(outcomes: Outcomes, i: int, lang: str, columns: SheetColumns | None = None) -> dict[str, t.Any]:
    """One score sheet's view: the unit's facts, ``rows`` (dicts, for a scheme's own template)
    and ``rows_html`` (the shipped template's table body); both are made only when printed."""
    columns = columns or sheet_columns(outcomes, lang)
    return {**_unit(outcomes, i, lang), "rows": _LazyRows(columns, i), "rows_html": _LazyHtml(columns, i)}


def _problems(outcomes: Outcomes, i: int, lang: str) -> list[dict[str, t.Any]]:
    """Items with lost points and the reasons: the body of a 整改通知书."""
    results = outcomes.results
    scheme = results.scheme
    out = []
    for node, _ in _nodes(scheme):
        if not isinstance(node, Item):
            continue
        score = float(results.scores[node.id][i])
        if math.isnan(score) or not math.isfinite(node.max) or score >= node.max - 1e-9:
            continue
        out.append({
            "title": node.title,
            "lost": format_number(node.max - score),
            "score": format_score(score, scheme.precision),
            "max": format_number(node.max),
            "why": explain_item(outcomes, node, i, lang),
        })
    return out


# ---------------------------------------------------------------------------
# Charts as inline SVG (no scripts, prints as drawn)


def _bar_chart(bars: list[tuple[str, float]], width: int = 640, bar_height: int = 28, suffix: str = "", limit: float | None = None) -> str:
    """Horizontal bars with labels and values, in type that reads at print size (14 px labels)."""
    if not bars:
        return ""
    top = limit if limit is not None else max((v for _, v in bars), default=1.0) or 1.0
    # The label column as wide as the longest label (a Chinese character is about 15 px at 14 px).
    label_width = min(300, max(80, 15 * max(len(label) for label, _ in bars) + 12))
    value_width = 80
    plot = width - label_width - value_width
    height = bar_height * len(bars) + 10
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" class="chart">']
    for k, (label, value) in enumerate(bars):
        y = 5 + k * bar_height
        length = 0 if top <= 0 else max(0.0, min(1.0, value / top)) * plot
        parts.append(f'<text x="{label_width - 8}" y="{y + bar_height * 0.68:.1f}" text-anchor="end" font-size="14">{_escape(label)}</text>')
        parts.append(f'<rect x="{label_width}" y="{y + 4}" width="{length:.1f}" height="{bar_height - 8}" fill="#4a7ab5"/>')
        parts.append(f'<text x="{label_width + length + 6:.1f}" y="{y + bar_height * 0.68:.1f}" font-size="13">{_escape(format_number(value) + suffix)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _histogram(totals: list[float], width: int = 640, height: int = 230) -> str:
    if not totals:
        return ""
    low = math.floor(min(totals) / 5) * 5
    high = max(low + 5, math.ceil((max(totals) + 1e-9) / 5) * 5)
    edges = np.arange(low, high + 5, 5.0)
    counts, _ = np.histogram(np.array(totals), bins=edges)
    top = max(int(counts.max()), 1)
    left, bottom = 34, 34
    plot_w, plot_h = width - left - 10, height - bottom - 10
    bar_w = plot_w / len(counts)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" class="chart">',
             f'<line x1="{left}" y1="{10 + plot_h}" x2="{left + plot_w}" y2="{10 + plot_h}" stroke="#555"/>']
    for k, count in enumerate(counts):
        h = plot_h * int(count) / top
        x = left + k * bar_w
        parts.append(f'<rect x="{x + 1:.1f}" y="{10 + plot_h - h:.1f}" width="{bar_w - 2:.1f}" height="{h:.1f}" fill="#4a7ab5"/>')
        if count:
            parts.append(f'<text x="{x + bar_w / 2:.1f}" y="{10 + plot_h - h - 3:.1f}" text-anchor="middle" font-size="13">{int(count)}</text>')
        parts.append(f'<text x="{x:.1f}" y="{height - 12}" font-size="12" text-anchor="middle">{format_number(float(edges[k]))}</text>')
    parts.append(f'<text x="{left + plot_w:.1f}" y="{height - 12}" font-size="12" text-anchor="middle">{format_number(float(edges[-1]))}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _escape(text: str) -> str:
    return str(markupsafe.escape(text))


def _summary(outcomes: Outcomes, lang: str) -> dict[str, t.Any]:
    results = outcomes.results
    scheme = results.scheme
    order = unit_order(outcomes)
    scored = [i for i in order if not math.isnan(float(results.total[i]))]
    totals = [float(results.total[i]) for i in scored]
    counts: dict[str, int] = {}
    for i in order:
        label = outcomes.primary_label(i) or "—"
        counts[label] = counts.get(label, 0) + 1
    sections = []
    for node, depth in _nodes(scheme):
        if depth != 0 or not math.isfinite(node.max):
            continue
        column = results.scores[node.id]
        present = column[~np.isnan(column)]
        if present.size:
            sections.append((node.title, float(present.mean()), node.max))
    # A section whose full marks are 0 (a deduction: 处分扣分) has no rate: no "0%" bar for it.
    percent = [(title, round(100.0 * mean / top, 1)) for title, mean, top in sections if top > 0]
    counts = ordered_counts(counts, scheme)  # the scheme's grade order, not the order units came in
    return {
        "count": len(order),
        "scored": len(scored),
        "mean": format_score(float(np.mean(totals)), scheme.precision) if totals else "—",
        "highest": format_score(max(totals), scheme.precision) if totals else "—",
        "lowest": format_score(min(totals), scheme.precision) if totals else "—",
        "grades": counts,
        "histogram": _histogram(totals),
        "grade_chart": _bar_chart([(k, float(v)) for k, v in counts.items()]),
        "section_chart": _bar_chart(percent, suffix="%", limit=100.0),
        "sections": [{"title": title, "mean": format_number(round(mean, 2)), "max": format_number(top)} for title, mean, top in sections],
        "top": [_unit(outcomes, i, lang) for i in scored[:5]],
        # The last five who are not among the first five (with fewer than ten, fewer than five).
        "bottom": [_unit(outcomes, i, lang) for i in scored[max(5, len(scored) - 5):][::-1]],
    }


# ---------------------------------------------------------------------------
# Rendering


def notice_units(outcomes: Outcomes) -> list[int]:
    """Units that get a 整改通知书 (the scheme's ``reports.notices`` action)."""
    action = outcomes.results.scheme.reports.notices
    if action is None or action not in outcomes.actions:
        return []
    hits = outcomes.actions[action]
    return [i for i in unit_order(outcomes) if hits[i]]


def render_kind(outcomes: Outcomes, kind: str, settings: Settings, fmt: str = "html", units: t.Sequence[int] | None = None) -> str:
    """One report as text (HTML or Markdown); for sheets and notices, of ``units`` only when given."""
    results = outcomes.results
    scheme = results.scheme
    options = scheme.reports
    lang = settings.lang
    env = _environment(scheme, lang)
    until = settings.date + datetime.timedelta(days=options.gongshi_days - 1)
    deadline = settings.date + datetime.timedelta(days=options.deadline_days)
    context: dict[str, t.Any] = {
        "scheme": scheme,
        "heading": options.heading or scheme.title,
        "issuer": options.issuer,
        "seal": options.seal,
        "date": _date(settings.date, lang),
        "period": settings.period or "",
        "gongshi_until": _date(until, lang),
        "deadline": _date(deadline, lang),
        "has_groups": bool((results.data.units.groups != "").any()),
        "has_vetoes": bool(scheme.vetoes),
    }
    order = unit_order(outcomes)
    if kind == "gongshi":
        context["units"] = [_unit(outcomes, i, lang) for i in order]
    elif kind == "sheets":
        columns = sheet_columns(outcomes, lang)
        context["sheets"] = [_sheet(outcomes, i, lang, columns) for i in (order if units is None else units)]
    elif kind == "notices":
        chosen = notice_units(outcomes) if units is None else units
        context["notices"] = [{**_unit(outcomes, i, lang), "problems": _problems(outcomes, i, lang)} for i in chosen]
    elif kind == "summary":
        context["summary"] = _summary(outcomes, lang)
    else:
        raise ValueError(kind)
    template = env.get_template(f"{kind}.{'md' if fmt == 'md' else 'html'}.j2")
    return template.render(**context)


def _date(day: datetime.date, lang: str) -> str:
    return day.isoformat() if lang == "en" else f"{day.year} 年 {day.month} 月 {day.day} 日"




#: Score sheets or notices in one HTML file at most (about 3 MB, which a browser opens at
#: once); more are split into files of whole groups (:func:`split_units`).
PER_FILE = 1000


def split_units(outcomes: Outcomes, units: t.Sequence[int], limit: int) -> list[tuple[list[str], list[int]]]:
    """``units`` (in listing order) as files of at most ``limit``: one file when they fit,
    else whole groups together in the order of their names, a group larger than ``limit``
    in parts of ``limit``; each file with the groups it holds.
    """
    if len(units) <= limit:
        return [([], list(units))]
    groups: dict[str, list[int]] = {}
    column = outcomes.results.data.units.groups
    for i in units:
        groups.setdefault(str(column[i]), []).append(i)
    files: list[tuple[list[str], list[int]]] = []
    for name in sorted(groups):
        members = groups[name]
        for start in range(0, len(members), limit):
            part = members[start:start + limit]
            if not files or len(files[-1][1]) + len(part) > limit:
                files.append(([], []))
            if not files[-1][0] or files[-1][0][-1] != name:
                files[-1][0].append(name)
            files[-1][1].extend(part)
    return files


def write_reports(outcomes: Outcomes, out: Path, kinds: t.Sequence[str], settings: Settings, fmt: str = "html") -> list[Path]:
    """Write each requested report into ``out``; returns the files in the order written.

    Score sheets and notices of more than :data:`PER_FILE` units go into a folder
    (``sheets/001.html`` …, whole groups per file) and ``sheets.html`` becomes the
    list of those files with the groups in each.
    """
    written = []
    for kind in kinds:
        if kind == "notices" and not notice_units(outcomes):
            continue
        if fmt == "md" and kind not in MARKDOWN_KINDS:
            continue  # Markdown is offered for the list and the sheets
        target = out / f"{kind}.{fmt}"
        chosen = notice_units(outcomes) if kind == "notices" else unit_order(outcomes)
        files = split_units(outcomes, chosen, PER_FILE) if kind in ("sheets", "notices") else [([], chosen)]
        if len(files) == 1:
            write_atomic(target, render_kind(outcomes, kind, settings, fmt))
            written.append(target)
            continue
        listed, parts = [], []
        for k, (groups, units) in enumerate(files, 1):
            part = out / kind / f"{k:03d}.{fmt}"
            write_atomic(part, render_kind(outcomes, kind, settings, fmt, units))
            parts.append(part)
            listed.append({"file": f"{kind}/{part.name}", "count": len(units), "groups": groups})
        write_atomic(target, render_index(outcomes, kind, listed, settings, fmt))
        written += [target, *parts]
    return written


def render_index(outcomes: Outcomes, kind: str, files: list[dict[str, t.Any]], settings: Settings, fmt: str) -> str:
    """The list of a split report's files: each file, how many units, which groups."""
    scheme = outcomes.results.scheme
    env = _environment(scheme, settings.lang)
    template = env.get_template(f"split.{'md' if fmt == 'md' else 'html'}.j2")
    return template.render(heading=scheme.reports.heading or scheme.title, kind=kind, files=files, per_file=PER_FILE,
                           group_title=scheme.group_title, total=sum(f["count"] for f in files))


#: A split kind's folder and index names (HTML and Markdown; Word and PDF in Chinese and English).
_SPLIT_NAMES = {"sheets": ("sheets", "评分表", "score sheets"), "notices": ("notices", "整改通知书", "notices"),
                "评分表": ("评分表目录", "评分表", "score sheets"), "整改通知书": ("整改通知书目录", "整改通知书", "notices")}


def split_note(written: t.Sequence[Path], lang: str) -> tuple[list[str], set[Path]]:
    """What the command line says of a report split into files ("评分表较多，分为 100 个
    文件……，目录见 …/sheets.html"), and the parts it then need not list one by one."""
    notes, parts = [], set()
    names = {**_SPLIT_NAMES, "sheets-en": ("sheets-index", "", "score sheets"), "notices-en": ("notices-index", "", "notices")}
    for folder, (index_name, zh, en) in names.items():
        folder = folder.removesuffix("-en")
        found = [p for p in written if p.parent.name == folder and any(q.parent == p.parent.parent and q.stem == index_name for q in written)]
        if not found:
            continue
        index = next(q for q in written if q.parent == found[0].parent.parent and q.stem == index_name)
        parts.update(found)
        notes.append(_t(lang, f"{zh or en}较多，分为 {len(found)} 个文件（同组的在一起），目录见 {index}",
                        f"the {en} are split into {len(found)} files (whole groups together); {index} lists them"))
    return notes, parts
