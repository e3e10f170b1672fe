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

import concurrent.futures
import dataclasses
import datetime
import functools
import itertools
import math
import re
import typing as t
import weakref
from pathlib import Path

import jinja2
import markupsafe
import numpy as np

from engine import templating
from engine.context import DEFAULT, Context
from engine.diff_pages import ordered_counts
from engine.errors import Location, Problem
from engine import files as disk
from engine.evaluate import Results
from engine.explaining import SheetColumns, _distinct_texts, _LazyHtml, _LazyRows, _nodes, loses, sheet_columns
from engine.explaining import explain_item as explain_item  # re-exported: documents and tests import it from here
from engine.grade import Outcomes
from engine.model import Item, Scheme
from engine import selfscores, sheetpages, to_date
from engine.numbers import format_number, format_score
from engine.words import full_width
from engine.results_table import _grade_texts, unit_order
from engine.xlsx import write_workbook as write_workbook  # re-exported: the command line and tests import it from here

KINDS = ("gongshi", "sheets", "notices", "summary")
#: The kinds that have a Markdown template (the others are HTML only).
MARKDOWN_KINDS = ("gongshi", "sheets")


@dataclasses.dataclass(frozen=True)
class Settings:
    """Per-run report settings (command line over the scheme's ``reports:``)."""

    #: Publication date (公示开始、通知书落款), ISO ``YYYY-MM-DD``.
    date: datetime.date
    period: str | None = None
    #: The run's language (and the rest of its context).
    context: Context = DEFAULT


def environment(scheme: Scheme, settings: Settings) -> jinja2.Environment:
    """The reports' Jinja environment (:func:`engine.templating.environment`, sandboxed: a
    scheme's templates travel from county to county): the scheme's ``reports.templates``
    folder searched first, then the shipped templates."""
    return templating.environment(settings.context.with_templates(scheme.reports.templates))


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
# View models


def _unit(outcomes: Outcomes, i: int, context: Context = DEFAULT) -> dict[str, t.Any]:
    """One unit's facts as the reports print them (from :class:`UnitColumns`)."""
    return unit_columns(outcomes, context).unit(i)


class UnitColumns:
    """Every unit's facts as the reports print them — names, total, grades, rank, labels —
    made a column at a time (each distinct total and grade value worded once): a 公示 and
    the score sheets of 100,000 units ask for them 200,000 times."""

    def __init__(self, outcomes: Outcomes, context: Context) -> None:
        results = outcomes.results
        scheme = results.scheme
        units = results.data.units
        n = len(units)
        self.ids = np.asarray(units.ids).astype(str).tolist()
        self.names = np.asarray(units.names).astype(str).tolist()
        self.groups = np.asarray(units.groups).astype(str).tolist()
        self.types = np.asarray(units.types).astype(str).tolist()
        self.manual = np.asarray(results.manual, dtype=bool).tolist()
        by_hand = context.say("直接评定", "by hand")
        totals = _distinct_texts(np.asarray(results.total, dtype=np.float64), lambda v: format_score(v, scheme.precision))
        self.totals = [by_hand if manual else total for total, manual in zip(totals, self.manual)]
        everyone = np.arange(n)
        grade_labels = {g.id: _grade_texts(outcomes, g, everyone) for g in scheme.grades}
        #: Each grade's title, and its label of every unit ("—" for none).
        self.grade_titles = [g.title for g in scheme.grades]
        self.grade_labels = [[label or "—" for label in grade_labels[g.id]] for g in scheme.grades]
        primary = {kind: scheme.primary_for(kind) for kind in set(self.types)}
        self.grade = [(grade_labels[g.id][i] or "") if (g := primary[kind]) is not None else "" for i, kind in enumerate(self.types)]
        self.rank = [r or None for r in np.asarray(outcomes.rank, dtype=np.int64).tolist()]
        self.group_rank = [r or None for r in np.asarray(outcomes.group_rank, dtype=np.int64).tolist()]
        ranked = [(p.ranking.published, [p.ranking.tiers[k].label if k >= 0 else None for k in np.asarray(p.tier).tolist()])
                  for p in outcomes.placements]
        acted = [(a.published, [a.title if hit else None for hit in np.asarray(outcomes.actions[a.id], dtype=bool).tolist()])
                 for a in scheme.actions]
        columns = ranked + acted  # scheme order: rank-based labels, then actions (as Outcomes.labels)
        self.labels = _per_unit([c for _, c in columns], n)
        self.public = _per_unit([c for published, c in columns if published], n)
        self.vetoes = _per_unit([[v.title if hit else None for hit in np.asarray(results.vetoes[v.id], dtype=bool).tolist()]
                                 for v in scheme.vetoes], n)

    # The labels, published labels and vetoes of every unit as the shipped pages print them
    # (escaped, joined with 、): made once, for the 公示 and every file of score sheets.
    @functools.cached_property
    def labels_html(self) -> list[str]:
        return sheetpages.joined_html(self.labels)

    @functools.cached_property
    def public_html(self) -> list[str]:
        return sheetpages.joined_html(self.public)

    @functools.cached_property
    def vetoes_html(self) -> list[str]:
        return sheetpages.joined_html(self.vetoes)

    def unit(self, i: int) -> dict[str, object]:
        return {
            "index": i, "id": self.ids[i], "name": self.names[i], "group": self.groups[i], "type": self.types[i],
            "total": self.totals[i], "manual": self.manual[i], "grade": self.grade[i], "grades": [(title, labels[i]) for title, labels in zip(self.grade_titles, self.grade_labels)],
            "rank": self.rank[i], "group_rank": self.group_rank[i], "labels": list(self.labels[i]),
            # What the 公示 shows: only the awards and actions the scheme publishes (published:).
            "public": list(self.public[i]), "vetoes": list(self.vetoes[i]),
        }


def _per_unit(columns: list[list[str | None]], n: int) -> list[tuple[str, ...]]:
    """Per unit, the present texts of ``columns`` in column order (most units have none:
    they are found a column at a time, and share one empty tuple)."""
    out: list[tuple[str, ...]] = [()] * n
    for i in sorted({i for column in columns for i in itertools.compress(range(n), column)}):
        out[i] = tuple(text for column in columns if (text := column[i]))
    return out


#: The unit columns of the last outcomes and language asked for (weakly held).
_LAST_UNITS: tuple[weakref.ref[Outcomes], str, UnitColumns] | None = None


def unit_columns(outcomes: Outcomes, context: Context) -> UnitColumns:
    """The :class:`UnitColumns` of ``outcomes`` in the context's language (made once while they are in use)."""
    global _LAST_UNITS
    if _LAST_UNITS is None or _LAST_UNITS[0]() is not outcomes or _LAST_UNITS[1] != context.lang:
        _LAST_UNITS = (weakref.ref(outcomes), context.lang, UnitColumns(outcomes, context))
    return _LAST_UNITS[2]


def public_labels(outcomes: Outcomes, i: int) -> list[str]:
    """The labels of unit ``i`` that the 公示 shows: rank-based labels of the rankings and
    the actions whose ``published`` is true (by default a top ranking's awards, no action).
    The rest — 整改通知书, 诫勉谈话, 排名较后 — are on the unit's sheet and notice and in the
    internal lists (results, workbook), not on the notice board."""
    ranked = [p.ranking.tiers[p.tier[i]].label for p in outcomes.placements if p.tier[i] >= 0 and p.ranking.published]
    return ranked + [a.title for a in outcomes.results.scheme.actions if a.published and outcomes.actions[a.id][i]]


def _sheet(outcomes: Outcomes, i: int, context: Context, columns: SheetColumns | None = None, own: Results | None = None) -> dict[str, t.Any]:
    """One score sheet's view: the unit's facts, ``rows`` (dicts, for a scheme's own template)
    and ``rows_html`` (the shipped template's table body); both are made only when printed.
    With ``own`` (the scheme scored on the unit's self-assessed values, engine.selfscores)
    each row also has 自评 and 差额, and ``self_check`` the unit's claims against the verified values."""
    columns = columns or sheet_columns(outcomes, context.lang)
    if own is None:
        return {**_unit(outcomes, i, context), "rows": _LazyRows(columns, i), "rows_html": _LazyHtml(columns, i), "self_check": None}
    view = selfscores.unit_view(outcomes.results, own, i, context)
    rows = columns.rows(i)
    for row in rows:
        line = view["items"].get(str(row["id"]))
        row["self"] = line.claimed if line is not None else "—"
        row["diff"] = line.difference if line is not None and line.changed else ""
    return {**_unit(outcomes, i, context), "rows": rows, "rows_html": _LazyHtml(columns, i), "self_check": view}


def _problems(outcomes: Outcomes, i: int, context: Context) -> list[dict[str, t.Any]]:
    """Items with lost points and the reasons: the body of a 整改通知书."""
    results = outcomes.results
    scheme = results.scheme
    out = []
    for node, _ in _nodes(scheme):
        if not isinstance(node, Item):
            continue
        score = float(results.scores[node.id][i])
        if not loses(node, score, scheme):  # a bonus not earned is not a problem to put right
            continue
        out.append({
            "title": node.title,
            "lost": format_number(node.max - score),
            "score": format_score(score, scheme.precision),
            "max": format_number(node.max),
            "why": explain_item(outcomes, node, i, context),
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


def _summary(outcomes: Outcomes, context: Context) -> dict[str, t.Any]:
    results = outcomes.results
    scheme = results.scheme
    order = unit_order(outcomes)
    scored = [i for i in order if not math.isnan(float(results.total[i]))]
    totals = [float(results.total[i]) for i in scored]
    counts: dict[str, int] = {}
    grade = unit_columns(outcomes, context).grade  # each unit's primary grade label ("" for none)
    for i in order:
        label = grade[i] or "—"
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
        # Ballots left out before scoring (engine.ballots): 无效票: 测评人 R07，给 4 人的测评分不低于 90.
        "invalid_ballots": [
            {"ballot": b.ballot.title, "rater": f"{b.group} {b.rater}".strip(), "check": b.check.title,
             "found": context.pick(b.found), "units": len(b.units)}
            for b in results.invalid_ballots
        ],
        "top": [_unit(outcomes, i, context) for i in scored[:5]],
        # The last five who are not among the first five (with fewer than ten, fewer than five).
        "bottom": [_unit(outcomes, i, context) for i in scored[max(5, len(scored) - 5):][::-1]],
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
    context = settings.context
    until = settings.date + datetime.timedelta(days=options.gongshi_days - 1)
    deadline = settings.date + datetime.timedelta(days=options.deadline_days)
    heading = to_date.heading(options.heading or scheme.title, scheme, context)
    # A title typed on an English keyboard ("创先争优"活动) printed with Chinese punctuation.
    heading = context.say(full_width(heading), heading)
    values: dict[str, t.Any] = {
        "scheme": scheme,
        "heading": heading,
        "to_date": to_date.note(scheme, context),  # a run to date: how far it goes, what is pending
        "issuer": options.issuer,
        "seal": options.seal,
        "date": date_text(settings.date, context),
        "period": settings.period or "",
        "gongshi_until": date_text(until, context),
        "deadline": date_text(deadline, context),
        "has_groups": results.data.units.has_groups,
        "has_vetoes": bool(scheme.vetoes),
    }
    if kind not in KINDS:
        raise ValueError(kind)
    env = environment(scheme, settings)
    template = env.get_template(f"{kind}.{'md' if fmt == 'md' else 'html'}.j2")
    if kind == "gongshi":
        order = unit_order(outcomes)
        if fmt == "html" and order and sheetpages.shipped(env, "gongshi.html.j2", "base.html.j2"):
            # The shipped page: Jinja prints it with the first unit, the rows are built (engine.sheetpages).
            page = template.render(**values, units=[_unit(outcomes, order[0], context)])
            made = sheetpages.gongshi(page, order, unit_columns(outcomes, context), values["has_groups"], values["has_vetoes"])
            if made is not None:
                return made
        values["units"] = [_unit(outcomes, i, context) for i in order]
    elif kind == "sheets":
        columns = sheet_columns(outcomes, context.lang)
        own = selfscores.self_results(results)  # None unless an input is self-assessed
        # A part of a split report has its units: the listing order is sorted once, not once per file.
        chosen = unit_order(outcomes) if units is None else units
        if fmt == "html" and own is None and len(chosen) and sheetpages.shipped(env, "sheets.html.j2", "base.html.j2"):
            # Everything the page is rendered with but the sheets: a file of the same report shares the page's frame.
            frame_key = (id(scheme), *sorted((k, v) for k, v in values.items() if k != "scheme"))
            made = sheetpages.sheets(lambda i: template.render(**values, sheets=[_sheet(outcomes, i, context, columns)]), frame_key, template,
                                     chosen, unit_columns(outcomes, context), columns, values["heading"], values["period"], context,
                                     values["to_date"])
            if made is not None:
                return made
        if len(chosen) > 1:
            columns.why_html  # every unit's texts at once (column-wise), not a unit at a time as the template asks
        values["sheets"] = [_sheet(outcomes, i, context, columns, own) for i in chosen]
    elif kind == "notices":
        chosen = notice_units(outcomes) if units is None else units
        values["notices"] = [{**_unit(outcomes, i, context), "problems": _problems(outcomes, i, context)} for i in chosen]
    elif kind == "summary":
        values["summary"] = _summary(outcomes, context)
    else:
        raise ValueError(kind)
    return template.render(**values)


def date_text(day: datetime.date, context: Context) -> str:
    """A date as GB/T 9704 writes 成文日期: 2024年12月1日 (Arabic figures, no spaces); ISO in English.

    >>> from engine.context import DEFAULT
    >>> date_text(datetime.date(2024, 12, 1), DEFAULT)
    '2024年12月1日'
    """
    return context.say(f"{day.year}年{day.month}月{day.day}日", day.isoformat())




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
    names = np.asarray(outcomes.results.data.units.groups).astype(str)[np.asarray(units, dtype=np.intp)].tolist()
    for name, i in zip(names, units):
        groups.setdefault(name, []).append(i)
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
    list of those files with the groups in each. Each file's bytes are written by a
    second thread while the next is made (:func:`engine.files.write_all`: writing to
    disk needs no GIL; at most one file waits, so memory holds two files' text at
    most); it is created and moved into place here. An error writing one is raised
    here, before anything is said to be written, and no temporary file is left.
    """
    written: list[Path] = []
    waiting: list[tuple[disk.Staged, concurrent.futures.Future[None]]] = []

    def finish() -> None:
        staged, future = waiting[0]
        future.result()  # on disk first; its error (or an interrupt while waiting) is cleaned up below
        waiting.pop(0)  # no longer the writer's: commit closes it, or removes it on failure
        disk.commit(staged)

    with concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="kaohe-pages") as writer:

        def put(path: Path, text: str) -> None:
            if waiting:
                finish()  # the previous file
            data = text.encode("utf-8")
            staged = disk.stage(path)
            try:
                waiting.append((staged, writer.submit(disk.write_all, staged, data)))
            except BaseException:
                disk.discard(staged)
                raise

        try:
            for kind in kinds:
                if kind == "notices" and not notice_units(outcomes):
                    continue
                if fmt == "md" and kind not in MARKDOWN_KINDS:
                    continue  # Markdown is offered for the list and the sheets
                target = out / f"{kind}.{fmt}"
                chosen = notice_units(outcomes) if kind == "notices" else unit_order(outcomes)
                parts_of = split_units(outcomes, chosen, PER_FILE) if kind in ("sheets", "notices") else [([], chosen)]
                if len(parts_of) == 1:
                    put(target, render_kind(outcomes, kind, settings, fmt))
                    written.append(target)
                    continue
                listed, parts = [], []
                for k, (groups, units) in enumerate(parts_of, 1):
                    part = out / kind / f"{k:03d}.{fmt}"
                    put(part, render_kind(outcomes, kind, settings, fmt, units))
                    parts.append(part)
                    listed.append({"file": f"{kind}/{part.name}", "count": len(units), "groups": groups})
                put(target, render_index(outcomes, kind, listed, settings, fmt))
                written += [target, *parts]  # the index before its parts, as the command line lists them
            while waiting:
                finish()
        except BaseException:
            # The files still with the writer: each is closed and removed only once the writer
            # is done with it (closed while being written, its number could be reused).
            for staged, future in waiting:
                concurrent.futures.wait([future])
                disk.discard(staged)
            raise
    return written


def drop_stale_parts(out: Path, written: t.Sequence[Path], suffix: str) -> None:
    """Remove the numbered parts (``sheets/007.html``) an earlier, larger run left in ``out``
    that this run (``written``) did not write — the index would not list them, and an office
    would post a stale sheet. Only our own part names are touched; a folder goes when empty."""
    for kind in ("sheets", "notices"):
        drop_parts(out / kind, {p.name for p in written if p.parent == out / kind}, suffix)


def drop_parts(folder: Path, keep: set[str], suffix: str) -> None:
    """Remove the numbered parts (``007.<suffix>``) in ``folder`` whose names are not in ``keep``;
    ``folder`` goes when that leaves it empty."""
    try:
        if not folder.is_dir():
            return
        for entry in folder.iterdir():
            if re.fullmatch(r"\d{3}\." + re.escape(suffix), entry.name) and entry.name not in keep and entry.is_file():
                entry.unlink()
        if not any(folder.iterdir()):
            folder.rmdir()
    except OSError:
        pass  # what cannot be removed stays; the new files are written and listed all the same


def render_index(outcomes: Outcomes, kind: str, files: list[dict[str, object]], settings: Settings, fmt: str) -> str:
    """The list of a split report's files: each file, how many units, which groups."""
    scheme = outcomes.results.scheme
    template = environment(scheme, settings).get_template(f"split.{'md' if fmt == 'md' else 'html'}.j2")
    heading = scheme.reports.heading or scheme.title
    return template.render(heading=settings.context.say(full_width(heading), heading), kind=kind, files=files, per_file=PER_FILE,
                           group_title=scheme.group_title, total=sum(f["count"] for f in files))


#: A split kind's folder and index names (HTML and Markdown; Word and PDF in Chinese and English).
_SPLIT_NAMES = {"sheets": ("sheets", "评分表", "score sheets"), "notices": ("notices", "整改通知书", "notices"),
                "评分表": ("评分表目录", "评分表", "score sheets"), "整改通知书": ("整改通知书目录", "整改通知书", "notices")}


def split_note(written: t.Sequence[Path], context: Context) -> tuple[list[str], set[Path]]:
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
        notes.append(context.say(f"{zh or en}较多，分为 {len(found)} 个文件（同组的在一起），目录见 {index}",
                        f"the {en} are split into {len(found)} files (whole groups together); {index} lists them"))
    return notes, parts
