"""Assessing in the workbench: a scheme and data files (the scheme's sample data or
an upload kept in the visit's folder) → :class:`Assessment` (the library's one
pipeline, :func:`engine.pipeline.assess`); an assessment → the results table,
a unit's explanation, the downloads and the history record.
"""

from __future__ import annotations

import dataclasses
import datetime
import re
import secrets
import typing as t
from pathlib import Path

from engine.errors import KaoheError, Location, Problem, UsageError

if t.TYPE_CHECKING:
    from engine.context import Context
    from engine.grade import Outcomes
    from engine.model import Scheme
    from engine.serve.safety import Visit

#: Suffixes an upload may have (the readers of engine/tables/).
UPLOAD_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".xls", ".ods")
#: The most result rows one page lists (the workbook download has them all).
PAGE_ROWS = 2000


@dataclasses.dataclass(frozen=True)
class Assessment:
    """One run of a scheme over data, kept for the visit's explanation and download pages."""

    id: str
    root: int
    path: str
    outcomes: Outcomes
    #: Where its downloads are written (inside the visit's folder).
    folder: Path
    #: The data folder read (the sample data or the visit's upload), for a what-if on the same data.
    data: Path
    #: What was assessed, as the page says it ("示例数据" or the uploaded file names).
    data_label: str
    period: str | None
    warnings: tuple[Problem, ...]


def sample_data(scheme_file: Path) -> Path | None:
    """The scheme's sample data: the ``data`` folder beside its file, when it has one."""
    folder = scheme_file.parent / "data"
    return folder if folder.is_dir() else None


_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]")


def upload_name(name: str, number: int) -> str:
    """An uploaded file's name as kept in the visit's folder: its last part, without characters
    a file name cannot hold; a name without a readable suffix is refused by :func:`save_uploads`.

    >>> upload_name("../../etc/passwd.csv", 1), upload_name("C:\\\\x\\\\党员.xlsx", 2), upload_name("", 3)
    ('passwd.csv', '党员.xlsx', 'upload-3')
    """
    last = re.split(r"[/\\]", name)[-1]
    cleaned = _UNSAFE_NAME.sub("_", last).strip(" .")
    return cleaned[:120] or f"upload-{number}"


def save_uploads(files: t.Sequence[tuple[str, bytes]], visit: Visit) -> Path:
    """The uploaded files written into a new folder of the visit; each must be a data file.

    Raises:
        UsageError: no file, or a file whose suffix no reader takes (named by the file).
    """
    problems = []
    if not files:
        problems.append(Problem.at("serve_no_data", Location("")))
    names: list[str] = []
    for number, (name, _) in enumerate(files, 1):
        kept = upload_name(name, number)
        if Path(kept).suffix.lower() not in UPLOAD_SUFFIXES:
            problems.append(Problem.at("serve_upload_type", Location(kept), suffixes="、".join(UPLOAD_SUFFIXES)))
        if kept in names:
            problems.append(Problem.at("serve_upload_twice", Location(kept)))
        names.append(kept)
    if problems:
        raise UsageError(problems)
    folder = visit.folder / f"upload-{secrets.token_hex(4)}"
    folder.mkdir(parents=True)
    for kept, (_, body) in zip(names, files):
        (folder / kept).write_bytes(body)
    return folder


def relocated(problems: t.Iterable[Problem], folder: Path) -> list[Problem]:
    """Problems with every file of the visit's folder named as the user knows it (its upload
    name), in the location and in the message's arguments (a list of files, a path in a hint)."""
    inside = re.compile(re.escape(str(folder.resolve())) + r"/[^/\s,]+/")

    def tidy(value: object) -> object:
        return inside.sub("", value) if isinstance(value, str) else value

    out = []
    for problem in problems:
        location = dataclasses.replace(problem.location, file=inside.sub("", problem.location.file))
        out.append(dataclasses.replace(problem, location=location, args=tuple((k, tidy(v)) for k, v in problem.args)))
    return out


def run(scheme_file: Path, data: Path, visit: Visit, root: int, path: str, label: str, period: str | None, context: Context,
        progress: t.Callable[[str], None] | None = None) -> Assessment:
    """The scheme assessed over ``data`` with the library's pipeline (details kept, for score sheets and notices).

    Raises:
        KaoheError: the scheme or the data has errors (located in the upload's names).
    """
    from engine.pipeline import assess, load

    warnings: list[Problem] = []
    context = dataclasses.replace(context, quiet=True, notify=warnings.extend, progress=progress)
    try:
        scheme = load(scheme_file, context)
        if scheme.history and not period:
            warnings.append(Problem.at("data_history_no_period", Location(""), "warning"))
        outcomes = assess(scheme, [data], context, period=period or None, details=True)
    except KaoheError as err:
        raise type(err)(relocated(err.problems, visit.folder)) from None
    folder = visit.folder / f"run-{secrets.token_hex(4)}"
    folder.mkdir(parents=True)
    return Assessment(secrets.token_hex(6), root, path, outcomes, folder, data, label, period or None,
                      tuple(relocated(dict.fromkeys(warnings), visit.folder)))


class ResultRow(t.TypedDict):
    """One unit's line of the results table."""

    #: Its position in the data (the unit page's address).
    index: int
    id: str
    name: str
    group: str
    #: The total as printed ("" for a classification scheme).
    total: str
    #: Its rank ("" when not ranked).
    rank: int | str
    grade: str
    labels: str
    actions: str
    vetoed: bool


class ResultsView(t.TypedDict):
    """What the results page shows (:func:`results_view`)."""

    rows: list[ResultRow]
    groups: list[str]
    #: (grade label, units) with the most frequent first.
    counts: list[tuple[str, int]]
    units: int
    shown: int
    scored: bool
    grade_title: str
    group_title: str


def results_view(assessment: Assessment) -> ResultsView:
    """The results table: one row per unit in rank order, the groups to filter by, the grade counts."""
    from engine.numbers import format_score
    from engine.results_table import unit_order

    outcomes = assessment.outcomes
    results = outcomes.results
    scheme = results.scheme
    units = results.data.units
    primary = scheme.primary_grade
    rows: list[ResultRow] = []
    counts: dict[str, int] = {}
    order = unit_order(outcomes)
    for i in order[:PAGE_ROWS]:
        grade = outcomes.grade_label(primary, i) if primary is not None else None
        labels = [label for p in outcomes.placements if (label := p.labels[i])]
        rows.append({"index": int(i), "id": str(units.ids[i]), "name": str(units.names[i]), "group": str(units.groups[i]),
                     "total": format_score(results.total[i], scheme.precision) if scheme.parts else "",
                     "rank": int(outcomes.rank[i]) or "", "grade": "" if grade is None else str(grade),
                     "labels": "、".join(labels), "actions": "、".join(a.title for a in scheme.actions if outcomes.actions[a.id][i]),
                     "vetoed": any(bool(results.vetoes[v.id][i]) for v in scheme.vetoes)})
    for i in order:
        grade = outcomes.grade_label(primary, i) if primary is not None else None
        key = "—" if grade is None else str(grade)
        counts[key] = counts.get(key, 0) + 1
    groups = sorted({str(g) for g in units.groups if str(g)})
    return {"rows": rows, "groups": groups, "counts": sorted(counts.items(), key=lambda kv: -kv[1]), "units": len(units),
            "shown": len(rows), "scored": bool(scheme.parts), "grade_title": primary.title if primary is not None else "",
            "group_title": scheme.group_title}


def find_unit(outcomes: Outcomes, index: int) -> int:
    """A row number of the results, refused when out of range."""
    if not 0 <= index < len(outcomes.results.data.units):
        raise UsageError([Problem.at("serve_unknown_unit", Location(""), index=index)])
    return index


# ---------------------------------------------------------------------------
# Downloads

#: What may be downloaded, by name: (kind, what it is).
DOWNLOADS: dict[str, tuple[str, tuple[str, str]]] = {
    "results.xlsx": ("workbook", ("结果工作簿（Excel）", "results workbook (Excel)")),
    "results.csv": ("csv", ("结果表（CSV）", "results (CSV)")),
    "results.json": ("json", ("结果文档（JSON，供程序读取）", "results document (JSON, for programs)")),
    "ranking.md": ("md", ("排名表（Markdown）", "ranking (Markdown)")),
    "gongshi.html": ("report", ("公示名单（可打印网页）", "public list (printable page)")),
    "sheets.html": ("report", ("评分表（可打印网页）", "score sheets (printable page)")),
    "notices.html": ("report", ("整改通知书（可打印网页）", "notices (printable page)")),
    "summary.html": ("report", ("汇总（得分分布）", "summary (score distribution)")),
    "gongshi.docx": ("docx", ("公示（Word，公文格式）", "public list (Word, 公文 layout)")),
    "sheets.docx": ("docx", ("评分表（Word）", "score sheets (Word)")),
    "notices.docx": ("docx", ("整改通知书（Word）", "notices (Word)")),
    "summary.docx": ("docx", ("汇总（Word）", "summary (Word)")),
    "gongshi.md": ("report", ("公示名单（Markdown）", "public list (Markdown)")),
    "sheets.md": ("report", ("评分表（Markdown）", "score sheets (Markdown)")),
    "template.xlsx": ("template", ("数据填报模板（Excel）", "data-entry template (Excel)")),
}


def available(outcomes: Outcomes) -> list[str]:
    """The downloads this assessment has: a classification scheme has no score sheets
    or summary, a scheme without ``reports.notices`` (or no unit to notify) no notices."""
    from engine.reports import notice_units

    scheme = outcomes.results.scheme
    names = []
    for name in DOWNLOADS:
        stem = name.split(".")[0]
        if stem in ("sheets", "summary") and not scheme.parts:
            continue
        if stem == "notices" and (scheme.reports.notices is None or not notice_units(outcomes)):
            continue
        names.append(name)
    return names


def download(assessment: Assessment, name: str, context: Context, day: datetime.date | None = None) -> Path:
    """The file ``name`` of the assessment, written on first request into its folder.

    Raises:
        UsageError: a name that is not one of :func:`available`'s.
    """
    from engine.files import write_atomic
    from engine.results_json import to_json
    from engine.results_table import to_csv, to_markdown
    from engine.reports import Settings, write_reports, write_workbook
    from engine.template import write_template

    outcomes = assessment.outcomes
    if name not in available(outcomes):
        raise UsageError([Problem.at("serve_not_found", Location(name))])
    target = assessment.folder / name
    if target.exists():
        return target
    kind = DOWNLOADS[name][0]
    # Written beside the target and renamed when complete: a failure never leaves half a file to be served later.
    partial = assessment.folder / f"partial-{secrets.token_hex(4)}-{name}"
    if kind == "workbook":
        write_workbook(outcomes, partial, context)
        partial.replace(target)
    elif kind in ("csv", "json", "md"):
        render = {"csv": to_csv, "json": to_json, "md": to_markdown}[kind]
        # CSV with a BOM, as kaohe run writes it, so that Excel reads the Chinese headers as UTF-8.
        write_atomic(target, render(outcomes, context), "utf-8-sig" if kind == "csv" else "utf-8")
    elif kind == "template":
        write_template(outcomes.results.scheme, partial, None, context)
        partial.replace(target)
    elif kind == "docx":
        from engine.documents import documents
        from engine.word import write_docx

        made = documents(outcomes, (name.split(".")[0],), Settings(day or datetime.date.today(), assessment.period, context))
        write_docx(made[0], partial)
        partial.replace(target)
    else:
        stem, fmt = name.split(".")
        settings = Settings(day or datetime.date.today(), assessment.period, context)
        write_reports(outcomes, assessment.folder, (stem,), settings, fmt)
    return target


def template_for(scheme: Scheme, folder: Path, context: Context) -> Path:
    """The scheme's data-entry template (before any data exists), written into the visit's folder."""
    from engine.template import write_template

    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{scheme.id}-template-{secrets.token_hex(3)}.xlsx"
    write_template(scheme, target, None, context)
    return target
