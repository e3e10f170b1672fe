"""``kaohe report``: the 公示, score sheets, 整改通知书 and summary of one scheme's
outcomes, written as a set (engine.report_files) and listed."""

from __future__ import annotations

import argparse
import sys
import typing as t

from engine.cli.common import context, inputs, say
from engine.cli.run import prepare
from engine.errors import Location, Problem, UsageError

if t.TYPE_CHECKING:
    from engine.model import Scheme


def cmd_report(args: argparse.Namespace) -> int:
    from engine.outputs import refuse_overwriting_inputs
    from engine.report_files import check_report_date, no_notices, report_date, report_kinds, report_target, write_report_set
    from engine.reports import Settings as ReportSettings
    from engine.reports import split_note

    out, single = report_target(args.out, args.kind, args.format)
    if args.by and args.format not in ("docx", "pdf"):
        raise UsageError([Problem.at("document_by_needs_docx", Location("--by"))])
    if args.format == "pdf":
        from engine.pdf import require_office
        require_office()  # before scoring: say what to install without making the user wait
    day = report_date(args.date)
    kinds: tuple[str, ...] = ()

    def check(scheme: Scheme) -> None:
        nonlocal kinds
        choice = report_kinds(args.kind, args.format, scheme)
        if choice.note is not None:
            print(say(args.lang, choice.note.zh, choice.note.en), file=sys.stderr)
        kinds = choice.kinds
        check_report_date(day, args.date, scheme)
        names = [f"{kind}.{args.format}" for kind in kinds] + (["results.xlsx"] if args.format == "html" else [])
        # The files the set would write (a report folder beside the data, or below it, is fine).
        refuse_overwriting_inputs([out] if single else [out / name for name in names], args.out, inputs(args), scheme)

    outcomes = prepare(args.scheme, args.data, args, details=True, check=check)
    settings = ReportSettings(day, args.period, context(args))
    if no_notices(outcomes, kinds, args.kind, args.format):
        print(say(args.lang, "没有需要下达整改通知书的单位（或方案未设置 reports.notices）。",
                  "no unit gets a rectification notice (or the scheme sets no reports.notices)."), file=sys.stderr)
    written = write_report_set(outcomes, out, single, kinds, settings, args.format, args.by, context(args))
    notes, parts = split_note(written, context(args))  # a report split into files: its parts are not listed one by one
    print(say(args.lang, "已写入:", "wrote:"))
    for written_path in written:
        if written_path not in parts:
            print(f"  {written_path}")
    for note in notes:
        print(f"  {note}")
    return 0
