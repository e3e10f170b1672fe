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
import math
import re
import typing as t
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
    max_for,
)
from engine.numbers import format_max, format_number, format_score, round_half_up
from engine.words import expression_words, input_words, is_percentage
from engine import selfscores
from engine.render import REPORTS_DIR, _award_texts, _grade_texts, _veto_texts, order_index, replace_atomically, unit_order, write_atomic

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


def _environment(scheme: Scheme, lang: str) -> jinja2.Environment:
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
    results = outcomes.results
    score = float(results.scores[item.id][index])
    if math.isnan(score):
        return [_t(lang, "不适用", "not applicable")] if not results.manual[index] else []
    unit = _UnitItem(results, item, index, score)
    return [line.en if lang == "en" else line.zh for line in item.rule.explain(item, unit)]


@dataclasses.dataclass(frozen=True)
class _UnitItem:
    """One unit's scored item, lent to its rule's ``explain`` (:class:`engine.rules.Explaining`)."""

    results: Results
    item: Item
    index: int
    score: float

    def detail(self, key: str) -> float | None:
        column = self.results.details.get(self.item.id, {}).get(key)
        return None if column is None else float(column[self.index])

    def words(self, source: str) -> Text | None:
        return expression_words(source, self.results.scheme)

    def percent(self, source: str) -> bool:
        return is_percentage(source, self.results.scheme)

    def figure(self, value: float) -> str:
        return format_number(float(round_half_up(np.array([value]), self.results.scheme.precision)[0]))

    def input_summary(self, name: str) -> Text:
        column = self.results.data.columns.get(name)
        if name not in self.results.scheme.inputs or column is None:
            return Text("", "")
        return input_words(self.results.scheme, name, column[self.index])


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
        "vetoes": [v.title for v in scheme.vetoes if results.vetoes[v.id][i]],
    }


def _sheet(outcomes: Outcomes, i: int, lang: str, own: Results | None = None) -> dict[str, t.Any]:
    """One unit's score sheet; with ``own`` (the scheme scored on the unit's
    self-assessed values, engine.selfscores) each row also has 自评 and 差额."""
    results = outcomes.results
    scheme = results.scheme
    rows = []
    unit_type = str(results.data.units.types[i])
    for node, depth in _nodes(scheme):
        score = float(results.scores[node.id][i])
        # A section's 满分 counts only the items that apply to this unit; an item keeps its own.
        maximum = max_for(node, unit_type) if isinstance(node, Section) else node.max
        rows.append({
            "depth": depth,
            "title": node.title,
            "id": node.id,
            "section": isinstance(node, Section),
            "max": format_max(maximum, lang),
            "score": format_score(score, scheme.precision) if not math.isnan(score) else "—",
            "lost": (not math.isnan(score)) and math.isfinite(maximum) and score < maximum - 1e-9,
            "why": explain_item(outcomes, node, i, lang) if isinstance(node, Item) else [],
        })
    if own is None:
        return {**_unit(outcomes, i, lang), "rows": rows, "self_check": None}
    view = selfscores.unit_view(results, own, i, lang)
    for row in rows:
        line = view["items"].get(row["id"])
        row["self"] = line.claimed if line is not None else "—"
        row["diff"] = line.difference if line is not None and line.changed else ""
    return {**_unit(outcomes, i, lang), "rows": rows, "self_check": view}


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


def _bar_chart(bars: list[tuple[str, float]], width: int = 560, bar_height: int = 22, suffix: str = "", limit: float | None = None) -> str:
    """Horizontal bars with labels and values."""
    if not bars:
        return ""
    top = limit if limit is not None else max((v for _, v in bars), default=1.0) or 1.0
    label_width, value_width = 170, 70
    plot = width - label_width - value_width
    height = bar_height * len(bars) + 10
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" class="chart">']
    for k, (label, value) in enumerate(bars):
        y = 5 + k * bar_height
        length = 0 if top <= 0 else max(0.0, min(1.0, value / top)) * plot
        parts.append(f'<text x="{label_width - 6}" y="{y + bar_height * 0.7:.1f}" text-anchor="end" font-size="12">{_escape(label)}</text>')
        parts.append(f'<rect x="{label_width}" y="{y + 3}" width="{length:.1f}" height="{bar_height - 6}" fill="#4a7ab5"/>')
        parts.append(f'<text x="{label_width + length + 4:.1f}" y="{y + bar_height * 0.7:.1f}" font-size="12">{_escape(format_number(value) + suffix)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _histogram(totals: list[float], width: int = 560, height: int = 200) -> str:
    if not totals:
        return ""
    low = math.floor(min(totals) / 5) * 5
    high = max(low + 5, math.ceil((max(totals) + 1e-9) / 5) * 5)
    edges = np.arange(low, high + 5, 5.0)
    counts, _ = np.histogram(np.array(totals), bins=edges)
    top = max(int(counts.max()), 1)
    left, bottom = 30, 30
    plot_w, plot_h = width - left - 10, height - bottom - 10
    bar_w = plot_w / len(counts)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" class="chart">',
             f'<line x1="{left}" y1="{10 + plot_h}" x2="{left + plot_w}" y2="{10 + plot_h}" stroke="#555"/>']
    for k, count in enumerate(counts):
        h = plot_h * int(count) / top
        x = left + k * bar_w
        parts.append(f'<rect x="{x + 1:.1f}" y="{10 + plot_h - h:.1f}" width="{bar_w - 2:.1f}" height="{h:.1f}" fill="#4a7ab5"/>')
        if count:
            parts.append(f'<text x="{x + bar_w / 2:.1f}" y="{10 + plot_h - h - 3:.1f}" text-anchor="middle" font-size="11">{int(count)}</text>')
        parts.append(f'<text x="{x:.1f}" y="{height - 12}" font-size="10" text-anchor="middle">{format_number(float(edges[k]))}</text>')
    parts.append(f'<text x="{left + plot_w:.1f}" y="{height - 12}" font-size="10" text-anchor="middle">{format_number(float(edges[-1]))}</text>')
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
    percent = [(title, round(100.0 * mean / top, 1) if top else 0.0) for title, mean, top in sections]
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
        "bottom": [_unit(outcomes, i, lang) for i in scored[-5:][::-1]] if len(scored) > 5 else [],
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


def render_kind(outcomes: Outcomes, kind: str, settings: Settings, fmt: str = "html") -> str:
    """One report as text (HTML or Markdown)."""
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
        own = selfscores.self_results(results)  # None unless an input is self-assessed
        context["sheets"] = [_sheet(outcomes, i, lang, own) for i in order]
    elif kind == "notices":
        context["notices"] = [{**_unit(outcomes, i, lang), "problems": _problems(outcomes, i, lang)} for i in notice_units(outcomes)]
    elif kind == "summary":
        context["summary"] = _summary(outcomes, lang)
    else:
        raise ValueError(kind)
    template = env.get_template(f"{kind}.{'md' if fmt == 'md' else 'html'}.j2")
    return template.render(**context)


def _date(day: datetime.date, lang: str) -> str:
    return day.isoformat() if lang == "en" else f"{day.year} 年 {day.month} 月 {day.day} 日"


def write_reports(outcomes: Outcomes, out: Path, kinds: t.Sequence[str], settings: Settings, fmt: str = "html") -> list[Path]:
    """Write each requested report (and, for HTML, the Excel workbook) into ``out``."""
    written = []
    for kind in kinds:
        if kind == "notices" and not notice_units(outcomes):
            continue
        if fmt == "md" and kind not in MARKDOWN_KINDS:
            continue  # Markdown is offered for the list and the sheets
        target = out / f"{kind}.{fmt}"
        write_atomic(target, render_kind(outcomes, kind, settings, fmt))
        written.append(target)
    return written


# ---------------------------------------------------------------------------
# Excel


#: Characters XML 1.0 (and so Excel) cannot hold; tab, line feed and carriage return it can.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _without_control_characters(columns: list[tuple[str, list[t.Any], str]], found: list[str]) -> list[tuple[str, list[t.Any], str]]:
    """``columns`` with control characters removed from headers and text cells; each
    cell that had any is appended to ``found`` (as it was, for the warning).

    A column is searched once as one joined string (fast for a million
    names); only a column with a hit is cleaned cell by cell.
    """
    cleaned = []
    for header, cells, kind in columns:
        if _CONTROL.search(header):
            found.append(header)
            header = _CONTROL.sub("", header)
        if kind == "text" and _CONTROL.search("\n".join(v for v in cells if v)):
            found += [v for v in cells if v and _CONTROL.search(v)]
            cells = [_CONTROL.sub("", v) if v else v for v in cells]
        cleaned.append((header, cells, kind))
    return cleaned


def write_workbook(outcomes: Outcomes, path: Path, lang: str = "zh", notes: list[Problem] | None = None) -> Path:
    """Results, item scores and vetoes as an .xlsx the next office can keep working in.

    Three sheets (结果, 得分明细, 一票否决), bold frozen headers, scores as
    numbers shown at the scheme's precision. Written by xlsxwriter in
    constant-memory mode: each row goes to disk as soon as it is complete, so
    a million units never sit in memory as cell objects. The cells are
    prepared a column at a time (Python lists, NaN → empty), then written
    row by row, the order that mode requires.
    """
    import xlsxwriter  # type: ignore[import-untyped]  # no stubs; used through a few calls

    results = outcomes.results
    scheme = results.scheme
    units = results.data.units
    order = order_index(outcomes)
    n = len(order)
    number_format = "0" if scheme.precision == 0 else "0." + "0" * scheme.precision
    ids = np.asarray(units.ids[order]).astype(str).tolist()
    names = np.asarray(units.names[order]).astype(str).tolist()
    nodes = [node for node, _ in _nodes(scheme)]

    def numbers(values: t.Any) -> list[float | None]:
        column = np.asarray(values, dtype=np.float64)
        listed: list[float | None] = column.tolist()
        for k in np.flatnonzero(np.isnan(column)).tolist():
            listed[k] = None
        return listed

    def texts(values: t.Any) -> list[str | None]:
        return [v or None for v in values]

    def ranks(values: t.Any) -> list[int | None]:
        return [v or None for v in np.asarray(values, dtype=np.int64).tolist()]

    grade_labels = [_grade_texts(outcomes, g, order) for g in scheme.grades]
    main: list[tuple[str, list[t.Any], str]] = [  # (header, cells, kind: rank / text / score)
        (_t(lang, "排名", "Rank"), ranks(outcomes.rank[order]), "rank"),
        (_t(lang, "编号", "ID"), ids, "text"),
        (_t(lang, "名称", "Name"), names, "text"),
        (scheme.group_title if lang != "en" else "Group", texts(np.asarray(units.groups[order]).astype(str).tolist()), "text"),
        (_t(lang, "总分", "Total"), numbers(results.total[order]), "score"),
    ]
    main += [(g.title, labels, "text") for g, labels in zip(scheme.grades, grade_labels)]
    main += [(_t(lang, "评选与处理", "Labels"), texts(_award_texts(outcomes, order).to_list()), "text"),
             (_t(lang, "一票否决", "Vetoes"), texts(_veto_texts(results, order).to_list()), "text")]
    present = sorted({str(kind) for kind in units.types.tolist()})

    def full_marks(node: Node) -> str:
        # The column's 满分 as the units in the file see it: only items that apply count
        # (a section is 120 for 老党员 and 100 for 新申报: "100/120").
        shown = sorted({max_for(node, kind) for kind in present} - {0.0}) or [node.max]
        return "/".join(format_max(value, lang) for value in shown)

    detail: list[tuple[str, list[t.Any], str]] = [(_t(lang, "编号", "ID"), ids, "text"), (_t(lang, "名称", "Name"), names, "text")]
    detail += [(f"{node.title}（{full_marks(node)}）", numbers(results.scores[node.id][order]), "score") for node in nodes]
    # One row per (unit, veto): units in listing order, each unit's vetoes in scheme order (a stable sort).
    hits = sorted(((k, veto) for veto in scheme.vetoes for k in np.flatnonzero(results.vetoes[veto.id][order]).tolist()),
                  key=lambda hit: hit[0])
    effects = {veto.id: _t(lang, "取消评先资格，得分保留", "disqualified") if veto.effect == "disqualify"
               else _t(lang, f"定为 {veto.grade}", f"graded {veto.grade}") for veto in scheme.vetoes}
    veto_columns: list[tuple[str, list[t.Any], str]] = [
        (_t(lang, "编号", "ID"), [ids[k] for k, _ in hits], "text"),
        (_t(lang, "名称", "Name"), [names[k] for k, _ in hits], "text"),
        (_t(lang, "否决事项", "Veto"), [veto.title for _, veto in hits], "text"),
        (_t(lang, "后果", "Effect"), [effects[veto.id] for _, veto in hits], "text"),
    ]

    # Every text cell goes in by write_string (never write(), which would read "=1+1" as a formula);
    # control characters are removed, once said in ``notes``.
    own = selfscores.self_results(results)  # 自评与核查, only when an input is self-assessed
    self_columns = [(_t(lang, "编号", "ID"), ids, "text"), (_t(lang, "名称", "Name"), names, "text"),
                    *selfscores.workbook_columns(results, own, order, lang)] if own is not None else []
    found: list[str] = []
    main, detail, veto_columns = (_without_control_characters(columns, found) for columns in (main, detail, veto_columns))
    if found and notes is not None:
        notes.append(Problem.at("xlsx_control_characters", Location(str(path)), "warning", count=len(found), example=repr(found[0])))

    def write(temporary: Path) -> None:
        book = xlsxwriter.Workbook(str(temporary), {"constant_memory": True})
        bold = book.add_format({"bold": True})
        score = book.add_format({"num_format": number_format})
        for title, columns, rows in ((_t(lang, "结果", "Results"), main, n), (_t(lang, "得分明细", "Item scores"), detail, n),
                                     (_t(lang, "一票否决", "Vetoes"), veto_columns, len(hits))):
            _write_sheet(book.add_worksheet(title), columns, rows, bold, score)
        if self_columns:
            _write_sheet(book.add_worksheet(_t(lang, "自评与核查", "Self and verified")), self_columns, n, bold, score)
        book.close()

    replace_atomically(path, write)
    return path


def _write_sheet(sheet: t.Any, columns: list[tuple[str, list[t.Any], str]], rows: int, bold: t.Any, score: t.Any) -> None:
    """Header row (bold, frozen), then the cells row by row; widths as the old writer chose them:
    twice the longest text (``str`` of the value, a zero or empty cell counting as nothing), 10 to 40."""
    for c, (header, cells, kind) in enumerate(columns):
        sheet.write_string(0, c, header, bold)
        longest = max((len(str(v)) for v in (set(cells) if kind != "text" else cells) if v), default=0)
        width = min(40, max(10, max(len(header), longest) * 2))
        # Pixels, so the file says width="w" exactly (7 px per character in xlsxwriter's conversion).
        sheet.set_column_pixels(c, c, 7 * width)
    sheet.freeze_panes(1, 0)
    kinds = [kind for _, _, kind in columns]
    cells = [cells for _, cells, _ in columns]
    number, string, blank = sheet.write_number, sheet.write_string, sheet.write_blank
    for r in range(rows):
        row = r + 1
        for c, kind in enumerate(kinds):
            value = cells[c][r]
            if kind == "score":
                # An empty score keeps the number format, as every score cell of the column did before.
                if value is None:
                    blank(row, c, None, score)
                else:
                    number(row, c, value, score)
            elif value is None:
                continue
            elif kind in ("rank", "number"):  # a plain number (a rank, an input's value)
                number(row, c, value)
            else:
                string(row, c, value)
