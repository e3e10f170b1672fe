"""Outcomes → printable documents as a list of blocks (title, paragraphs, tables,
page breaks), independent of the file format: :mod:`engine.word` lays them out
as a Word file after GB/T 9704, :mod:`engine.pdf` prints that file to PDF.

These documents are read by the assessed units and posted on notice boards, so
everything here is in plain words: inputs by their titles, yes/no as 是/否,
bands as "90 及以上", counts with their points ("好人好事 2 次，每次加 5 分，
加 10 分"), weighted parts with their weights so the sheet adds up on paper.
No scheme id, item id, input id or expression source is ever written; the
explain command keeps those for the scheme's author.

The figures and the reasons come from the same evaluation as the HTML
reports: the view models and each rule's plain words of :mod:`engine.reports`
are reused read-only. Computed here: the layout of each document, the weighted
parts line, the veto sentences, Chinese punctuation and the split by group.
"""

from __future__ import annotations

import dataclasses
import datetime
import math
import typing as t

from engine import selfscores
from engine.grade import Outcomes
from engine.model import Item, Part, Scheme, Section, max_for
from engine.numbers import format_max, format_number, format_score
from engine.context import DEFAULT, Context
from engine.explaining import explainer, loses
from engine.results_table import unit_order
from engine.words import full_width as full_width  # re-exported: the Word writer and tests import it from here
from engine.reports import Settings, _summary, _unit, date_text, notice_units, public_labels

Align = t.Literal["left", "center", "right", "justify"]

#: Document kinds, in the order they are written (as engine.reports.KINDS).
KINDS = ("gongshi", "sheets", "notices", "summary")


# ---------------------------------------------------------------------------
# Blocks


@dataclasses.dataclass(frozen=True)
class Title:
    """The document's title: 小标宋 二号, centred (小二 on a score sheet, a form that must fit a page)."""

    text: str
    size: float = 22.0


@dataclasses.dataclass(frozen=True)
class Heading:
    """A heading inside the document (黑体 三号), kept with what follows."""

    text: str


@dataclasses.dataclass(frozen=True)
class Para:
    """A body paragraph (仿宋 三号); ``indent`` is the 2-character first-line indent."""

    text: str
    align: Align = "justify"
    indent: bool = True
    #: Keep on one page with the next block (a line introducing a table).
    keep_with_next: bool = False
    #: Smaller text (小四), for a note or a signature line under a table.
    small: bool = False


@dataclasses.dataclass(frozen=True)
class Table:
    """A table whose header row repeats on every page.

    ``widths`` are relative column widths; columns listed in ``nowrap`` (names,
    groups, grades) never break inside a cell, ``numeric`` ones are right-aligned.
    ``bold_rows`` are row indexes printed bold (a section's subtotal).
    """

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...]
    nowrap: frozenset[int] = frozenset()
    numeric: frozenset[int] = frozenset()
    bold_rows: frozenset[int] = frozenset()
    #: Type size in points: 小四 12 (the default) or 五号 10.5 for a form of many rows.
    size: float = 12.0


@dataclasses.dataclass(frozen=True)
class PageBreak:
    """The next block starts a new page (one score sheet or notice per page)."""


@dataclasses.dataclass(frozen=True)
class Signature:
    """发文机关 and 成文日期 (and a seal line), right-aligned at the end."""

    lines: tuple[str, ...]


@dataclasses.dataclass(frozen=True)
class RedHeader:
    """版头 (GB/T 9704 7.2): the issuing office's mark in red (``office``, 红头), the document
    number below it (``number``, 文号) and a red line across the body; either may be empty."""

    office: str
    number: str


Block = t.Union[Title, Heading, Para, Table, PageBreak, Signature, RedHeader]


@dataclasses.dataclass(frozen=True)
class Document:
    """One file to write: its name (without suffix), its blocks, its language."""

    name: str
    blocks: tuple[Block, ...]
    #: The language it is in (and the rest of the run's context).
    context: Context = DEFAULT


# ---------------------------------------------------------------------------
# Plain words


def reasons(outcomes: Outcomes, item: Item, i: int, context: Context = DEFAULT) -> list[str]:
    """Plain-words lines saying how ``item`` was scored for unit ``i`` — the
    "得分说明" of a score sheet and the "问题" of a notice: each rule's own words
    (:func:`engine.reports.explain_item`, engine.rules), with Chinese punctuation."""
    # Every unit's lines are made a column at a time once (engine.explaining.Explainer.lines,
    # the same lines as explain_item unit by unit: tests/unit/test_report_speed.py).
    lines = explainer(outcomes.results).lines(item, context.lang)[i]
    return [context.say(full_width(line), line) for line in lines]


# ---------------------------------------------------------------------------
# Rows of a score sheet (with the weighted parts, so the figures add up)


def _sheet_rows(outcomes: Outcomes, i: int, context: Context) -> tuple[list[tuple[str, ...]], set[int]]:
    results = outcomes.results
    scheme = results.scheme
    unit_type = str(results.data.units.types[i])
    rows: list[tuple[str, ...]] = []
    bold: set[int] = set()

    def score_of(value: float) -> str:
        return format_score(value, scheme.precision) if not math.isnan(value) else "—"

    visits = list(scheme.walk())
    skipped: set[str] = set()  # sections that do not apply to this unit at all, and so all they hold
    for part in (*scheme.parts, None):  # None: the adjustments
        indent = 0
        if part is not None and part.explicit:
            bold.add(len(rows))
            rows.append((_part_title(part, context), format_max(max_for(part, unit_type), context.lang), score_of(float(results.parts[part.id][i])), ""))
            indent = 1
        for visit in visits:
            node = visit.node
            if visit.part is not part or any(p.id in skipped for p in visit.parents):
                continue
            maximum = max_for(node, unit_type) if isinstance(node, Section) else node.max
            if isinstance(node, Section) and maximum == 0:
                skipped.add(node.id)
                continue
            score = float(results.scores[node.id][i])
            why = context.say("；", "; ").join(reasons(outcomes, node, i, context)) if isinstance(node, Item) else ""
            if isinstance(node, Section):
                bold.add(len(rows))
            rows.append(("　" * (visit.depth + indent) + node.title, format_max(maximum, context.lang), score_of(score), why))
    return rows, bold


def _part_title(part: Part, context: Context) -> str:
    return context.say(f"{part.title}（权重 {format_number(round(part.weight * 100, 4))}%）", f"{part.title} (weight {format_number(round(part.weight * 100, 4))}%)")


def composition(outcomes: Outcomes, i: int, context: Context) -> str:
    """How a weighted total is made, in figures that add up on paper:
    "工作实绩 82.00 × 70% = 57.40；群众评议 90.00 × 30% = 27.00；合计 84.40"."""
    results = outcomes.results
    scheme = results.scheme
    explicit = [p for p in scheme.parts if p.explicit]
    if not explicit or results.manual[i]:
        return ""
    terms = []
    for part in explicit:
        score = float(results.parts[part.id][i])
        if math.isnan(score):
            continue
        terms.append(f"{part.title} {format_score(score, scheme.precision)} × {format_number(round(part.weight * 100, 4))}% = "
                     f"{format_score(score * part.weight, scheme.precision)}")
    base = float(results.base[i])
    raw = float(results.raw_base[i]) if results.raw_base is not None else base
    text = context.say("；", "; ").join(terms) + context.say(f"；加权合计 {format_score(raw, scheme.precision)}", f"; weighted sum {format_score(raw, scheme.precision)}")
    if abs(raw - base) > 1e-9:
        text += context.say(f"，折算为 {format_score(base, scheme.precision)}", f", rescaled to {format_score(base, scheme.precision)}")
    total = float(results.total[i])
    if abs(total - base) > 1e-9:
        text += context.say(f"；加减分后总分 {format_score(total, scheme.precision)}", f"; with adjustments {format_score(total, scheme.precision)}")
    return context.say("总分构成：", "How the total is made: ") + text + context.say("。", ".")


def veto_lines(outcomes: Outcomes, i: int, context: Context) -> list[str]:
    """Each veto that hit the unit, with what it did: "一票否决：发生安全事故，等次定为不合格"."""
    results = outcomes.results
    out = []
    for veto in results.scheme.vetoes:
        if not results.vetoes[veto.id][i]:
            continue
        if veto.effect == "disqualify":
            effect = context.say("取消评先评优资格，得分保留", "disqualified from awards; the score stands")
        else:
            grade = next((g for g in results.scheme.grades if g.primary), None)
            shown = grade.label_of(veto.grade) if grade is not None else veto.grade
            effect = context.say(f"等次定为{shown}", f"graded {shown}")
        out.append(context.say(full_width(f"一票否决：{veto.title}，{effect}。"), f"Veto: {veto.title}; {effect}."))
    return out


# ---------------------------------------------------------------------------
# The four kinds


def _heading(outcomes: Outcomes) -> str:
    options = outcomes.results.scheme.reports
    return full_width(options.heading or outcomes.results.scheme.title)


def _public_labels(outcomes: Outcomes, i: int) -> list[str]:
    """What the 公示 lists: the published awards and actions (engine.reports.public_labels);
    actions such as 整改通知书 or 书记批评教育 are for the unit, not for the notice board."""
    return public_labels(outcomes, i)


def _red_header(outcomes: Outcomes, mark: bool = True) -> list[Block]:
    """The 版头 from the scheme's ``reports.red_header`` and ``reports.number``, if it has them;
    without the red mark (``mark=False``: a 整改通知书, which must stay on one page) the number alone."""
    options = outcomes.results.scheme.reports
    office = options.red_header if mark else ""
    if not (office or options.number):
        return []
    return [RedHeader(full_width(office), full_width(options.number))]


def _signature(outcomes: Outcomes, settings: Settings, seal: bool = False) -> Signature:
    options = outcomes.results.scheme.reports
    lines = [full_width(options.issuer)] if options.issuer else []
    if seal and options.seal:
        lines.append(options.seal)
    lines.append(date_text(settings.date, settings.context))
    return Signature(tuple(lines))


def _subtitle(settings: Settings, group: str | None, group_title: str) -> list[Block]:
    parts = [settings.period] if settings.period else []
    if group:
        parts.append(settings.context.say(f"{group_title}：{group}", group))
    return [Para(settings.context.say("　", "  ").join(parts), align="center", indent=False)] if parts else []


def gongshi(outcomes: Outcomes, units: t.Sequence[int], settings: Settings, group: str | None = None) -> Document:
    """公示: rank, name, group, total, grades, awards, vetoes; period and signature."""
    context = settings.context
    results = outcomes.results
    scheme = results.scheme
    options = scheme.reports
    heading = _heading(outcomes)
    until = settings.date + datetime.timedelta(days=options.gongshi_days - 1)
    has_groups = group is None and results.data.units.has_groups
    header = [context.say("排名", "Rank"), context.say("姓名" if _members(scheme) else "名称", "Name")]
    widths = [1.0, 2.2]
    nowrap = {1}
    if has_groups:
        header.append(context.say(full_width(scheme.group_title), "Group"))
        widths.append(2.6)
        nowrap.add(2)
    header.append(context.say("总分", "Total"))
    widths.append(1.3)
    numeric = {0, len(header) - 1}
    for g in scheme.grades:
        nowrap.add(len(header))
        header.append(full_width(g.title))
        widths.append(1.8)
    has_labels = any(_public_labels(outcomes, i) for i in units)
    if has_labels:
        header.append(context.say("评选结果", "Awards"))
        widths.append(2.0)
    has_vetoes = any(results.vetoes[v.id][i] for v in scheme.vetoes for i in units)
    if has_vetoes:
        header.append(context.say("一票否决", "Vetoes"))
        widths.append(2.4)
    rows = []
    for i in units:
        u = _unit(outcomes, i, context)
        # A group's own 公示 ranks within the group (第一党支部 第 1–14 名), as branches post it.
        rank = u["group_rank"] if group is not None else u["rank"]
        row = [str(rank or "—"), u["name"]]
        if has_groups:
            row.append(u["group"])
        row.append(u["total"])
        row += [label for _, label in u["grades"]]
        if has_labels:
            row.append("、".join(_public_labels(outcomes, i)))
        if has_vetoes:
            row.append("、".join(u["vetoes"]))
        rows.append(tuple(context.say(full_width(c), c) for c in row))
    issuer = full_width(options.issuer) or context.say("考核组织部门", "the organising office")
    intro = context.say(f"现将{heading}结果予以公示。公示期：{date_text(settings.date, context)}至{date_text(until, context)}。"
                     f"对公示结果有异议的，请在公示期内向{issuer}反映。",
               f"The results of {heading} are published for comment from {date_text(settings.date, context)} to {date_text(until, context)}. "
               f"Objections go to {issuer} within this period.")
    blocks: list[Block] = [*_red_header(outcomes), Title(heading + context.say("结果公示", " — results")), *_subtitle(settings, group, scheme.group_title),
                           Para(intro, keep_with_next=True),
                           Table(tuple(header), tuple(rows), tuple(widths), frozenset(nowrap), frozenset(numeric)),
                           _signature(outcomes, settings)]
    return Document("gongshi", tuple(blocks), context)


def _members(scheme: Scheme) -> bool:
    return "党员" in scheme.title or "干部" in scheme.title


def sheets(outcomes: Outcomes, units: t.Sequence[int], settings: Settings, group: str | None = None) -> Document:
    """评分表: one page per unit — who, total and grade, every item with its points and
    the reason in words, the weighted parts, vetoes, and the lines for signatures."""
    context = settings.context
    scheme = outcomes.results.scheme
    heading = _heading(outcomes)
    blocks: list[Block] = []
    own = selfscores.self_results(outcomes.results)  # 自评与核查, only when an input is self-assessed
    for k, i in enumerate(units):
        if k:
            blocks.append(PageBreak())
        u = _unit(outcomes, i, context)
        facts = [context.say(f"被考核单位：{u['name']}", f"Unit: {u['name']}") if not _members(scheme) else context.say(f"姓名：{u['name']}", f"Name: {u['name']}")]
        if u["group"]:
            facts.append(context.say(f"{full_width(scheme.group_title)}：{u['group']}", f"Group: {u['group']}"))
        if settings.period:
            facts.append(context.say(f"考核期：{settings.period}", f"Period: {settings.period}"))
        result = [context.say(f"总分：{u['total']}", f"Total: {u['total']}")]
        result += [context.say(f"{full_width(title)}：{label}", f"{title}: {label}") for title, label in u["grades"]]
        if u["rank"]:
            result.append(context.say(f"排名：{u['rank']}", f"Rank: {u['rank']}"))
        labels = u["labels"]
        if labels:
            result.append(context.say(f"结果运用：{'、'.join(labels)}", f"Outcomes: {', '.join(labels)}"))
        rows, bold = _sheet_rows(outcomes, i, context)
        blocks += [Title(heading + context.say("评分表", " — score sheet"), size=18.0),
                   Para(context.say("　", "; ").join(facts), indent=False, small=True),
                   Para(context.say(full_width("　".join(result)), "; ".join(result)), indent=False, small=True, keep_with_next=True),
                   Table((context.say("考核内容", "Item"), context.say("满分", "Max"), context.say("得分", "Score"), context.say("得分说明", "How it was scored")),
                         tuple(rows), (4.6, 1.1, 1.2, 5.6), frozenset(), frozenset({1, 2}), frozenset(bold), size=10.5)]
        made = composition(outcomes, i, context)
        if made:
            blocks.append(Para(made, indent=False, small=True))
        blocks += [Para(line, indent=False, small=True) for line in veto_lines(outcomes, i, context)]
        if own is not None:
            checked = selfscores.words(selfscores.unit_view(outcomes.results, own, i, context), context)
            blocks.append(Para(context.say("自评与核查：", "Self-assessed and verified: ")
                               + ("；".join(checked) if checked else context.say("一致", "they agree")), indent=False, small=True))
        blocks.append(Para(context.say("考核组签字：＿＿＿＿＿　被考核单位确认：＿＿＿＿＿　日期：＿＿＿＿",
                              "Assessors: ________  Confirmed by the unit: ________  Date: ______"), indent=False, small=True))
    return Document("sheets", tuple(blocks), context)


def notices(outcomes: Outcomes, units: t.Sequence[int], settings: Settings, group: str | None = None) -> Document:
    """整改通知书: one per unit the scheme marks (reports.notices), one page each."""
    context = settings.context
    results = outcomes.results
    scheme = results.scheme
    options = scheme.reports
    heading = _heading(outcomes)
    deadline = settings.date + datetime.timedelta(days=options.deadline_days)
    blocks: list[Block] = []
    for k, i in enumerate(units):
        if k:
            blocks.append(PageBreak())
        u = _unit(outcomes, i, context)
        rows = []
        for node in scheme.nodes():
            if not isinstance(node, Item):
                continue
            score = float(results.scores[node.id][i])
            if not loses(node, score, scheme):  # a bonus not earned is not a problem to put right
                continue
            rows.append((node.title, format_score(score, scheme.precision), format_number(node.max),
                         format_number(round(node.max - score, max(scheme.precision, 2))), context.say("；", "; ").join(reasons(outcomes, node, i, context))))
        grade = f"（{u['grade']}）" if u["grade"] else ""
        blocks += [*_red_header(outcomes, mark=False), Title(context.say("整改通知书", "Rectification notice")),
                   Para(context.say(f"{u['name']}：", f"To {u['name']}:"), align="left", indent=False),
                   Para(context.say(f"经{heading}，你单位得分{u['total']}{grade}，存在以下问题：",
                           f"In {heading} your unit scored {u['total']}{' (' + u['grade'] + ')' if u['grade'] else ''}. Points were lost on:"),
                        keep_with_next=True),
                   # 五号 under a document number (a notice stays on one page), else 小四.
                   Table((context.say("考核内容", "Item"), context.say("得分", "Score"), context.say("满分", "Max"), context.say("扣分", "Lost"), context.say("问题", "Reason")),
                         tuple(rows), (3.6, 1.1, 1.1, 1.1, 5.6), frozenset(), frozenset({1, 2, 3}), size=10.5 if options.number else 12.0)]
        blocks += [Para(line) for line in veto_lines(outcomes, i, context)]
        blocks += [Para(context.say(f"请针对上述问题认真整改，于{date_text(deadline, context)}前将整改情况书面报告{full_width(options.issuer) or ''}；整改完成后将进行复查。",
                           f"Please rectify these problems and report in writing by {date_text(deadline, context)}; a re-check will follow.")),
                   _signature(outcomes, settings, seal=True)]
    return Document("notices", tuple(blocks), context)


def summary(outcomes: Outcomes, settings: Settings) -> Document:
    """汇总: counts and averages, units per grade, each section's average against its
    full marks, the first and last five — tables a meeting can read, no charts."""
    context = settings.context
    scheme = outcomes.results.scheme
    s = _summary(outcomes, context)
    heading = _heading(outcomes)
    count = int(s["count"])
    members = _members(scheme)
    manual = count - int(s["scored"])
    by_hand = f"（其中直接评定{manual}{'人' if members else '个'}）" if manual else ""
    blocks: list[Block] = [*_red_header(outcomes), Title(heading + context.say("汇总", " — summary")), *_subtitle(settings, None, scheme.group_title),
                           Para(context.say(f"共{count}{'人' if members else '个单位'}参加考核{by_hand}；平均分{s['mean']}，最高{s['highest']}，最低{s['lowest']}。",
                                   f"{count} units, {s['scored']} scored; mean {s['mean']}, highest {s['highest']}, lowest {s['lowest']}."))]
    grades = [(label, str(n), f"{format_number(round(100.0 * n / count, 1))}%") for label, n in t.cast(dict[str, int], s["grades"]).items()]
    if grades:
        blocks += [Heading(context.say("一、等次分布", "Grades")),
                   Table((context.say("等次", "Grade"), context.say("人数" if _members(scheme) else "单位数", "Units"), context.say("占比", "Share")),
                         tuple(grades), (3.0, 1.5, 1.5), frozenset({0}), frozenset({1, 2}))]
    sections = [(sec["title"], sec["mean"], sec["max"], f"{format_number(round(100.0 * float(sec['mean']) / float(sec['max']), 1))}%" if float(sec["max"]) else "—")
                for sec in t.cast(list[dict[str, str]], s["sections"])]
    if sections:
        blocks += [Heading(context.say("二、各部分得分情况", "Sections")),
                   Table((context.say("考核内容", "Section"), context.say("平均分", "Mean"), context.say("满分", "Max"), context.say("得分率", "Rate")),
                         tuple(sections), (5.0, 1.5, 1.5, 1.5), frozenset(), frozenset({1, 2, 3}))]

    grouped = outcomes.results.data.units.has_groups

    def ranked(listed: list[dict[str, t.Any]]) -> tuple[tuple[str, ...], ...]:
        return tuple((str(u["rank"] or "—"), u["name"], *([u["group"]] if grouped else []), u["total"], u["grade"]) for u in listed)

    head = (context.say("排名", "Rank"), context.say("姓名" if members else "名称", "Name"),
            *([context.say(full_width(scheme.group_title), "Group")] if grouped else []), context.say("总分", "Total"), context.say("等次", "Grade"))
    # Columns: rank, name, [group], total, grade — the name, group and grade on one line.
    last = len(head) - 1
    widths = (1.0, 2.2, 2.6, 1.3, 2.0) if grouped else (1.0, 2.6, 1.3, 2.0)
    nowrap = frozenset({1, last} | ({2} if grouped else set()))
    def count_title(zh: str, en: str, listed: list[t.Any]) -> str:
        # With fewer than ten units the last ones are those not already among the first (no unit twice).
        n = len(listed)
        return context.say(f"{zh}{'五' if n == 5 else n}名", f"{en} {'five' if n == 5 else n}")

    for title, listed in ((count_title("三、前", "Top", s["top"]), s["top"]), (count_title("四、后", "Bottom", s["bottom"]), s["bottom"])):
        if listed:
            blocks += [Heading(title), Table(head, ranked(listed), widths, nowrap, frozenset({0, last - 1}))]
    blocks.append(_signature(outcomes, settings))
    return Document("summary", tuple(blocks), context)


# ---------------------------------------------------------------------------
# Which documents, for whom


def groups_of(outcomes: Outcomes, by: str) -> dict[str, list[int]]:
    """Units in listing order, split by their group ("group", the scheme's group
    title such as 党支部) or their parent ("parent"); "" becomes 未分组."""
    units = outcomes.results.data.units
    column = units.parents if by == "parent" else units.groups
    out: dict[str, list[int]] = {}
    for i in unit_order(outcomes):
        out.setdefault(str(column[i]) or "未分组", []).append(i)
    return out


def documents(outcomes: Outcomes, kinds: t.Sequence[str], settings: Settings, units: t.Sequence[int] | None = None,
              group: str | None = None) -> list[Document]:
    """The requested kinds for ``units`` (all, in listing order, by default). A kind with
    nobody in it is left out (no notices when no unit gets one; no sheets or summary for
    a classification scheme without scores)."""
    listed = list(unit_order(outcomes)) if units is None else list(units)
    scored = bool(outcomes.results.scheme.parts)
    out: list[Document] = []
    for kind in kinds:
        if kind == "gongshi" and listed:
            out.append(gongshi(outcomes, listed, settings, group))
        elif kind == "sheets" and scored and listed:
            out.append(sheets(outcomes, listed, settings, group))
        elif kind == "notices":
            chosen = set(notice_units(outcomes))
            noticed = [i for i in listed if i in chosen]
            if noticed:
                out.append(notices(outcomes, noticed, settings, group))
        elif kind == "summary" and scored and group is None:
            out.append(summary(outcomes, settings))
    return out


def index(outcomes: Outcomes, written: t.Sequence[tuple[str, int, t.Sequence[str]]], settings: Settings, by_title: str,
          split: str | None = None) -> Document:
    """The list of per-group folders: group, number of units, the files in it; or, for a
    kind ``split`` into files of at most ``per_file`` units, those files and their groups."""
    context = settings.context
    rows = tuple((group, str(n), "、".join(files)) for group, n, files in written)
    if split is None:
        title = context.say("分组文件目录", " — files by group")
        intro = context.say(f"按{by_title}分别成文，共{len(rows)}个{by_title}，各自的文件在同名文件夹中。",
                   f"One set of documents per {by_title}: {len(rows)} folders, each named after its group.")
    else:
        what = {"sheets": ("评分表", "score sheets"), "notices": ("整改通知书", "notices")}[split]
        total = sum(n for _, n, _ in written)
        title = context.say(f"{what[0]}目录", f" — {what[1]} (index)")
        intro = context.say(f"{what[0]}共{total}份，分为{len(rows)}个文件，同一{by_title}的在一起。",
                   f"{total} {what[1]} in {len(rows)} files, whole groups together.")
    blocks: list[Block] = [Title(_heading(outcomes) + title), Para(intro),
                           Table((context.say(full_width(by_title), "Group"), context.say("人数", "Units"), context.say("文件", "Files")),
                                 rows, (3.0, 1.2, 6.0), frozenset({0}), frozenset({1}))]
    return Document("index", tuple(blocks), context)


def plain_text(document: Document) -> str:
    """Every word a reader sees, one block a line (for tests and for search)."""
    lines: list[str] = []
    for block in document.blocks:
        if isinstance(block, (Title, Heading, Para)):
            lines.append(block.text)
        elif isinstance(block, Table):
            lines.append("\t".join(block.header))
            lines += ["\t".join(row) for row in block.rows]
        elif isinstance(block, Signature):
            lines += list(block.lines)
        elif isinstance(block, RedHeader):
            lines += [text for text in (block.office, block.number) if text]
    return "\n".join(lines)


def localise(document: Document) -> Document:
    """``document`` with :func:`full_width` punctuation in every text, for Chinese
    documents (titles and names as typed in a scheme or a list: 坚持"三会一课"制度)."""
    if document.context.lang == "en":
        return document

    def fix(block: Block) -> Block:
        if isinstance(block, (Title, Heading, Para)):
            return dataclasses.replace(block, text=full_width(block.text))
        if isinstance(block, Table):
            return dataclasses.replace(block, header=tuple(map(full_width, block.header)),
                                       rows=tuple(tuple(map(full_width, row)) for row in block.rows))
        if isinstance(block, Signature):
            return Signature(tuple(map(full_width, block.lines)))
        if isinstance(block, RedHeader):
            return RedHeader(full_width(block.office), full_width(block.number))
        return block

    return dataclasses.replace(document, blocks=tuple(fix(b) for b in document.blocks))
