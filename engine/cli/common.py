"""What every command of the command line shares: printing problems in the chosen
language, the library's context built from the options, and where an output went.

Light on purpose (the parser imports it, and ``kaohe --help`` must not pay for
numpy or jinja2): each command imports the stages it needs inside its function.
"""

from __future__ import annotations

import argparse
import sys
import typing as t
from pathlib import Path

from engine.errors import Problem

if t.TYPE_CHECKING:
    from engine.context import Context
    from engine.outputs import Inputs

#: engine.reports.KINDS and engine.history.DEFAULT_FILE, repeated so that building the
#: parser imports neither (tests/test_cli_options.py checks they agree).
REPORT_KINDS = ("gongshi", "sheets", "notices", "summary")
HISTORY_FILE = "kaohe-history.sqlite"

#: Exit code of a malformed command line (argparse's convention, kept by design.md).
USAGE_ERROR = 2

#: Problems printed in full; past this a count is printed (a wrong sheet can make thousands).
SHOWN_PROBLEMS = 200


def say(lang: str, zh: str, en: str) -> str:
    return en if lang == "en" else zh


def print_problems(problems: t.Iterable[Problem], lang: str) -> None:
    listed = list(problems)
    for problem in listed[:SHOWN_PROBLEMS]:
        print(problem.render("en" if lang == "en" else "zh"), file=sys.stderr)
    if len(listed) > SHOWN_PROBLEMS:
        rest = len(listed) - SHOWN_PROBLEMS
        print(say(lang, f"……另有 {rest} 个问题未列出（先改正上面的，再运行一次）。", f"… and {rest} more problems (fix the ones above and run again)."),
              file=sys.stderr)


def summary_line(problems: t.Sequence[Problem], lang: str) -> str:
    """``共 2 个错误，2 个警告。``: errors and warnings counted apart.

    >>> from engine.errors import Location, Problem
    >>> p = [Problem.at("missing_key", Location("f"), key="a"), Problem.at("missing_key", Location("f"), "warning", key="b")]
    >>> summary_line(p, "zh"), summary_line(p[:1], "en")
    ('共 1 个错误，1 个警告。', '1 error(s).')
    """
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    if warnings:
        return say(lang, f"共 {errors} 个错误，{warnings} 个警告。", f"{errors} error(s), {warnings} warning(s).")
    return say(lang, f"共 {errors} 个错误。", f"{errors} error(s).")


def context(args: argparse.Namespace) -> Context:
    """The library's context for this command: its language, progress, history store,
    and warnings printed as soon as a stage has them."""
    from engine.context import Context

    lang = args.lang
    return Context(lang="en" if lang == "en" else "zh", quiet=bool(getattr(args, "quiet", False)),
                   history=Path(getattr(args, "history", HISTORY_FILE)),
                   notify=lambda problems: print_problems(problems, lang))


def inputs(args: argparse.Namespace) -> Inputs:
    """What this command reads besides the scheme (for the ``--out`` guard)."""
    from engine.outputs import Inputs

    return Inputs(getattr(args, "data", None) or (), getattr(args, "results", None) or (), getattr(args, "history", None))


def emit(text: str, target: Path | None, lang: str, encoding: str = "utf-8") -> None:
    """Print ``text``, or write it atomically to ``target`` and say where."""
    from engine.outputs import write_output

    if target is None:
        sys.stdout.write(text)
        sys.stdout.flush()  # a full or closed stdout fails here, before --record stores the period
        return
    write_output(target, text, encoding)
    print(say(lang, f"已写入 {target}", f"wrote {target}"))


def rel(path: Path) -> str:
    """``path`` relative to the current folder when it is inside it (shorter to read and retype)."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)
