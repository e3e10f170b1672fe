"""A report set on disk: ``--out``/``--kind``/``--format``/``--date`` → the
kinds written, where, and the files themselves, all or nothing.

:func:`report_target` and :func:`report_kinds` decide, before any data is
read, what ``kaohe report`` will write and refuse what would write nothing;
:func:`write_report_set` then writes the outcomes' reports (HTML or Markdown
into a folder replaced as a whole, one file, or Word/PDF documents), turning a
template's or the file system's failure into a located message. Nothing here
prints: notes go to the context's ``notify``, or are returned for the front
end to say; user errors are raised as :class:`~engine.errors.UsageError`.
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
import datetime
import typing as t
from pathlib import Path

from engine.context import Context
from engine.errors import Location, OptionError, Problem, UsageError
from engine.messages import Text
from engine.outputs import output_folder

if t.TYPE_CHECKING:
    from engine.grade import Outcomes
    from engine.model import Scheme
    from engine.reports import Settings

#: Suffixes that make ``report --out NAME.html`` name one file rather than a folder.
REPORT_FILE_SUFFIXES = (".html", ".htm", ".md")

_Written = t.TypeVar("_Written")


@dataclasses.dataclass(frozen=True)
class KindChoice:
    """The report kinds to write, and what to tell the user about the ones left out of ``all``."""

    kinds: tuple[str, ...]
    note: Text | None = None


def report_target(out: str, kind: str, fmt: str) -> tuple[Path, bool]:
    """``--out`` → the path written and whether it is one file (``r.html``) rather than a folder.

    Raises:
        UsageError: a file name for the whole set, a file where the folder
            should be, or (for a file) a file where its folder should be.
    """
    from engine.reports import KINDS

    path = Path(out)
    single = path.suffix.lower() in REPORT_FILE_SUFFIXES and not path.is_dir()
    if single and kind == "all":
        # A file name for the whole set: say so rather than make a folder called r.html.
        count = len(KINDS) + 1 if fmt == "html" else 2  # the HTML set has the workbook; Markdown has two kinds
        raise UsageError([Problem.at("report_out_single", Location(""), out=out, kind=kind, count=count, suffix=path.suffix)])
    if single and path.parent.is_file():
        raise UsageError([Problem.at("cli_out_folder_is_file", Location(str(path.parent)))])
    return (path if single else output_folder(out)), single


def report_date(text: str | None) -> datetime.date:
    """``--date YYYY-MM-DD`` as a date (today when not given).

    Raises:
        OptionError: ``cli_bad_date`` (exit status 2, as argparse gives a bad option value).
    """
    if not text:
        return datetime.date.today()
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise OptionError([Problem.at("cli_bad_date", Location("--date"), found=text)]) from None


def check_report_date(day: datetime.date, text: str | None, scheme: Scheme) -> None:
    """Refuse a ``--date`` whose 公示 end or 整改 deadline falls past 9999-12-31.

    The reports add ``gongshi_days`` and ``deadline_days`` to the date;
    ``datetime`` cannot go past the year 9999, so ``--date 9999-12-31`` would
    fail halfway through writing.
    """
    options = scheme.reports
    days = max(options.gongshi_days - 1, options.deadline_days, 0)
    try:
        day + datetime.timedelta(days=days)
    except OverflowError:
        raise OptionError([Problem.at("cli_date_out_of_range", Location(""), found=text or day.isoformat(), days=days)]) from None


def report_kinds(kind: str, fmt: str, scheme: Scheme) -> KindChoice:
    """The kinds ``report`` writes for this scheme and format (before any data is read).

    ``kind`` is ``all`` or one of :data:`engine.reports.KINDS`.

    Raises:
        UsageError: the asked kind produces nothing in this format or for
            this scheme (``--kind notices --format md``; score sheets of a
            classification scheme; notices of a scheme without ``reports.notices``).
    """
    from engine.reports import KINDS, MARKDOWN_KINDS

    kinds: tuple[str, ...] = KINDS if kind == "all" else (kind,)
    note = None
    if not scheme.parts:
        # A classification scheme has no scores: score sheets and the score distribution would be empty pages.
        unscored = [k for k in kinds if k in ("sheets", "summary")]
        kinds = tuple(k for k in kinds if k not in unscored)
        if unscored and kind == "all":
            note = Text("这是不计分的分类方案，不生成评分表和汇总（得分分布）。",
                        "a classification scheme has no scores: no score sheets or summary are written.")
        elif unscored:
            raise UsageError([Problem.at(
                "report_nothing", Location(""), kind=kind, format=fmt,
                reason=Text("这是不计分的分类方案，没有得分", "a classification scheme has no scores"),
                hint=Text("分类方案可写 gongshi 公示和 notices 整改通知书。", "a classification scheme has gongshi and notices."))])
    if fmt == "md":
        if kind != "all" and kind not in MARKDOWN_KINDS:
            raise UsageError([Problem.at(
                "report_nothing", Location(""), kind=kind, format=fmt,
                reason=Text(f"Markdown 只用于 {'、'.join(MARKDOWN_KINDS)}", f"Markdown is written for {', '.join(MARKDOWN_KINDS)} only"),
                hint=Text(f"用 --format html 写 {kind}，或 --format md 写 {'、'.join(MARKDOWN_KINDS)}。",
                          f"use --format html for {kind}, or --format md for {', '.join(MARKDOWN_KINDS)}."))])
        kinds = tuple(k for k in kinds if k in MARKDOWN_KINDS)
    if kind == "notices" and scheme.reports.notices is None:
        raise UsageError([Problem.at(
            "report_nothing", Location(""), kind=kind, format=fmt,
            reason=Text("方案没有设置 reports.notices", "the scheme sets no reports.notices"),
            hint=Text("在方案的 reports: 中写 notices: <处理措施的编号>，指明哪些单位下达整改通知书。",
                      "write notices: <action id> under the scheme's reports: to say which units get a notice."))])
    return KindChoice(kinds, note)


def no_notices(outcomes: Outcomes, kinds: t.Sequence[str], kind: str, fmt: str) -> bool:
    """Whether notices are among ``kinds`` but no unit gets one (the set is written without them).

    Raises:
        UsageError: ``--kind notices`` itself, which would then write nothing.
    """
    from engine.reports import notice_units

    if "notices" not in kinds or notice_units(outcomes):
        return False
    if kind == "notices":
        raise UsageError([Problem.at(
            "report_nothing", Location(""), kind=kind, format=fmt,
            reason=Text("没有需要下达整改通知书的单位", "no unit gets a rectification notice"),
            hint=Text(f"reports.notices 指定的处理措施（{outcomes.results.scheme.reports.notices}）没有单位触发；其他报表照常可写。",
                      f"no unit meets the action reports.notices names ({outcomes.results.scheme.reports.notices}); the other kinds are written as usual."))])
    return True


def write_report_set(outcomes: Outcomes, out: Path, single: bool, kinds: t.Sequence[str], settings: Settings, fmt: str,
                     by: str | None, context: Context) -> list[Path]:
    """The reports of ``kinds`` written to ``out`` (one file when ``single``; Word or PDF
    documents, per ``by`` group when given; else a folder of HTML or Markdown); returns the files."""
    if single:
        from engine.render import write_atomic
        from engine.reports import render_kind

        def write_one() -> list[Path]:
            write_atomic(out, render_kind(outcomes, kinds[0], settings, fmt))
            return [out]

        return writing_reports(outcomes, out, write_one)
    if fmt in ("docx", "pdf"):
        from engine.publish import write_documents

        return writing_reports(outcomes, out, lambda: write_documents(outcomes, out, kinds, settings, fmt, by))
    return write_all_reports(outcomes, out, kinds, settings, fmt, context)


def write_all_reports(outcomes: Outcomes, out: Path, kinds: t.Sequence[str], settings: Settings, fmt: str,
                      context: Context) -> list[Path]:
    """Write the reports (and, for HTML, the workbook) into the folder ``out``, all or nothing.

    Every file is written into a temporary folder beside ``out`` first and moved into ``out`` only when all
    of them succeeded, so a failure (a template error, a full disk) leaves ``out`` as it was. The workbook's
    notes go to ``context.notify``.
    """
    from engine.render import replace_folder_files
    from engine.reports import drop_stale_parts, write_reports, write_workbook

    notes: list[Problem] = []

    def write(folder: Path) -> list[Path]:
        if fmt != "html":
            return write_reports(outcomes, folder, kinds, settings, fmt)
        # The workbook is written beside the pages, in a second thread: most of its work is
        # polars building the cells' XML and zlib compressing it, which run without the GIL
        # while this thread builds the pages (at 100,000 members about a second less in all).
        # It only reads the outcomes; its failure is raised here, when it is waited for.
        with concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="kaohe-workbook") as pool:
            book = pool.submit(write_workbook, outcomes, folder / "results.xlsx", settings.context, notes)
            try:
                written = write_reports(outcomes, folder, kinds, settings, fmt)
            except BaseException:
                concurrent.futures.wait([book])  # the pages' error is the one said; the folder is dropped after
                raise
            return [*written, book.result()]

    written = writing_reports(outcomes, out, lambda: replace_folder_files(out, write))
    drop_stale_parts(out, written, fmt)
    # Said of the workbook where it now is, not of the temporary folder it was written in.
    context.notify([dataclasses.replace(p, location=Location(str(out / "results.xlsx"))) for p in notes])
    return written


def writing_reports(outcomes: Outcomes, out: Path, write: t.Callable[[], _Written]) -> _Written:
    """Run ``write``, turning a template's or the file system's failure into a located message.

    Raises:
        UsageError: ``report_template_missing``, a template's own problem, or ``cli_output``.
    """
    import jinja2

    from engine.outputs import output_problem
    from engine.reports import template_problem

    try:
        return write()
    except jinja2.TemplateNotFound as err:
        # jinja2 counts this as an OSError, but it is a template missing from the scheme's reports.templates, not --out.
        raise UsageError([Problem.at("report_template_missing", Location(str(outcomes.results.scheme.file)), name=err.name or "")]) from None
    except jinja2.TemplateError as err:
        # A scheme's own template reached for what the sandbox refuses (or is broken): name its file and line.
        raise UsageError([template_problem(err, outcomes.results.scheme)]) from None
    except OSError as err:
        raise output_problem(out, err) from None
