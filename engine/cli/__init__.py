"""The ``kaohe`` command line: a thin shell over the library that never computes.

It parses the arguments (:mod:`engine.cli.parser`), builds the library's
:class:`~engine.context.Context` from ``--lang``/``--quiet``/``--history``,
calls the library, prints, and chooses the exit code: 0 success, 1 a user
error — a bad scheme, bad data, a wrong value such as an unknown unit id —
and 2 a usage error (the command line itself is malformed). Either way the
message is on stderr in the chosen language with a hint, never a traceback.

One module per group of commands: :mod:`~engine.cli.run` (run, explain),
:mod:`~engine.cli.diff`, :mod:`~engine.cli.report`, :mod:`~engine.cli.authoring`
(show, new, draft, template, schema), :mod:`~engine.cli.checking` (validate,
test) and :mod:`~engine.cli.demo` (demo, serve); :mod:`~engine.cli.streams`
guards standard output.
"""

from __future__ import annotations

import sys
import typing as t

# Only light modules here: `kaohe --version` and `--help` must not pay for numpy,
# jinja2 or jsonschema (tests/test_cli_options.py checks). Each command imports the
# pipeline stages it needs inside its function.
from engine.cli.common import HISTORY_FILE, REPORT_KINDS, USAGE_ERROR, print_problems, say, summary_line
from engine.cli.parser import ArgumentError, build_parser, requested_lang, unique_paths, usage_problem
from engine.cli.streams import GuardedStream, StdoutGone, silence_stdout
from engine.errors import KaoheError, Location, OptionError, Problem

__all__ = ["HISTORY_FILE", "REPORT_KINDS", "USAGE_ERROR", "build_parser", "main", "summary_line", "unique_paths", "usage_problem"]


def main(argv: t.Sequence[str] | None = None) -> int:
    """Run the ``kaohe`` command line ``argv`` (the process's own when None); returns the exit code."""
    stdout, stderr = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = GuardedStream(stdout), GuardedStream(stderr, discard=True)
    try:
        code = _main(argv)
        sys.stdout.flush()  # a full disk shows here, while the message can still be given
        return code
    except StdoutGone as gone:
        lang = requested_lang(list(sys.argv[1:] if argv is None else argv))
        print_problems([Problem.at("cli_stdout_closed", Location(""), reason=str(gone))], lang)
        silence_stdout(stdout)
        return 1
    finally:
        sys.stdout, sys.stderr = stdout, stderr


def _main(argv: t.Sequence[str] | None = None) -> int:
    tokens = list(sys.argv[1:] if argv is None else argv)
    # The help is printed while parsing, so its language is read off the raw command line first.
    lang = requested_lang(tokens)
    parser = build_parser(lang)
    try:
        args = parser.parse_args(tokens)
    except ArgumentError as err:
        print_problems([usage_problem(parser, tokens, err)], lang)
        print(say(lang, "共 1 个错误。", "1 error(s)."), file=sys.stderr)
        return USAGE_ERROR
    if not getattr(args, "handler", None):
        parser.print_usage(sys.stderr)
        print_problems([Problem.at("cli_no_command", Location("kaohe"))], args.lang)
        return USAGE_ERROR
    if getattr(args, "data", None):
        args.data = unique_paths(args.data)
    try:
        result: int = args.handler(args)
        return result
    except KaoheError as err:
        print_problems(err.problems, args.lang)
        print(summary_line(err.problems, args.lang), file=sys.stderr)
        return USAGE_ERROR if isinstance(err, OptionError) else 1
    except KeyboardInterrupt:
        print(say(args.lang, "已中断。", "interrupted."), file=sys.stderr)
        return 130
