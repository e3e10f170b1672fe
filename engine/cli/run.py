"""``kaohe run`` and ``kaohe explain``: one scheme scored on its data, printed or
written (``--out``), or one unit's score explained; and :func:`prepare`, the
scoring every scoring command starts with."""

from __future__ import annotations

import argparse
import datetime
import sys
import typing as t
from pathlib import Path

from engine.cli.common import context, emit, inputs, print_problems, say
from engine.errors import Location, Problem, UsageError

if t.TYPE_CHECKING:
    from engine.context import Context
    from engine.grade import Outcomes
    from engine.model import Scheme

#: Output format → (file name written with --out, encoding).
FORMATS = {"json": ("results.json", "utf-8"), "csv": ("results.csv", "utf-8-sig"), "md": ("results.md", "utf-8"),
           "html": ("gongshi.html", "utf-8"), "xlsx": ("results.xlsx", "")}


def prepare(scheme_file: str, data: t.Sequence[str], args: argparse.Namespace, details: bool = False,
            check: t.Callable[[Scheme], None] | None = None) -> Outcomes:
    """The scheme scored on ``data`` with this command's options (engine.pipeline.assess_file);
    ``check`` sees the compiled scheme before any data is read. Nothing is recorded here:
    :func:`record` runs after the outputs are written."""
    from engine.pipeline import assess_file

    return assess_file(scheme_file, data, context(args), period=getattr(args, "period", None), results=getattr(args, "results", []),
                       record=bool(getattr(args, "record", False)), replace=bool(getattr(args, "replace", False)),
                       details=details, check=check, until=getattr(args, "until", None))


def record(args: argparse.Namespace, outcomes: Outcomes) -> None:
    """Store the run as ``--period`` in ``--history`` when ``--record`` asks: the last step
    of ``run``, so a failed output leaves the history as it was."""
    from engine import history

    if not getattr(args, "record", False):
        return
    history_file = Path(args.history)
    count = history.record(history_file, outcomes, args.period, replace=bool(args.replace))
    scheme = outcomes.results.scheme
    print(say(args.lang, f"已记录 {scheme.id} {args.period} 期 {count} 个单位的结果到 {history_file}",
              f"recorded {count} units of {scheme.id} period {args.period} in {history_file}"), file=sys.stderr)


def _render(outcomes: Outcomes, fmt: str, texts: Context) -> str:
    from engine.render import to_csv, to_json, to_markdown

    if fmt == "json":
        return to_json(outcomes, texts)
    return to_csv(outcomes, texts) if fmt == "csv" else to_markdown(outcomes, texts)


def cmd_run(args: argparse.Namespace) -> int:
    from engine.outputs import output_path, output_problem, refuse_overwriting_inputs

    if args.format == "xlsx" and not args.out:
        raise UsageError([Problem.at("cli_needs_out", Location("--format xlsx"))])  # before any work
    if args.replace and not args.record:
        raise UsageError([Problem.at("cli_replace_needs_record", Location(""))])
    name, encoding = FORMATS[args.format]
    target = output_path(args.out, name) if args.out else None
    outcomes = prepare(args.scheme, args.data, args,
                       check=lambda scheme: refuse_overwriting_inputs([target], args.out, inputs(args), scheme) if target else None)
    if args.format == "xlsx":
        from engine.reports import write_workbook

        assert target is not None
        notes: list[Problem] = []
        try:
            write_workbook(outcomes, target, context(args), notes)
        except OSError as err:
            raise output_problem(target, err) from None
        print_problems(notes, args.lang)
        print(say(args.lang, f"已写入 {target}", f"wrote {target}"))
    else:
        if args.format == "html":
            from engine.report_files import writing_reports
            from engine.reports import Settings as ReportSettings
            from engine.reports import render_kind

            settings = ReportSettings(datetime.date.today(), getattr(args, "period", None), context(args))
            # The scheme's own gongshi template may be the one rendered: its failure is located like report's.
            text = writing_reports(outcomes, target or Path(), lambda: render_kind(outcomes, "gongshi", settings))
        else:
            text = _render(outcomes, args.format, context(args))
        emit(text, target, args.lang, encoding)
    record(args, outcomes)  # last: a failed output leaves the history as it was
    return 0


def cmd_explain(args: argparse.Namespace) -> int:
    from engine.pipeline import unit_index
    from engine.render import explain, explain_json, explain_page

    outcomes = prepare(args.scheme, args.data, args)
    index = unit_index(outcomes, args.unit)
    if args.format in ("md", "html"):
        sys.stdout.write(explain_page(outcomes, index, args.format, context(args)))
    else:
        sys.stdout.write((explain_json if args.format == "json" else explain)(outcomes, index, context(args)))
    return 0
