"""The ``kaohe`` command line: a thin shell over the pipeline that never computes.

Exit codes (the contract in design.md): 0 success, 1 a user error — a bad
scheme, bad data, a wrong value such as an unknown unit id — and 2 a usage
error (the command line itself is malformed). Either way the message is on
stderr in the chosen language with a hint, never a traceback.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import json
import os
import re
import sys
import typing as t
from pathlib import Path

# Only light modules here: `kaohe --version` and `--help` must not pay for numpy,
# jinja2 or jsonschema (tests/test_install.py checks). Each command imports the
# pipeline stages it needs inside its function.
from engine import __version__
from engine.errors import KaoheError, Location, Problem, UsageError
from engine.messages import Text, closest, help_text

if t.TYPE_CHECKING:
    from engine.context import Context
    from engine.grade import Outcomes
    from engine.pipeline import DatasetCache
    from engine.model import Scheme
    from engine.reports import Settings as ReportSettings

#: The bundled scheme `kaohe demo` runs (shipped in the wheel: engine/resources.py).
DEMO = "jifenzhi"
#: The bundled scheme whose 整改通知书 the demo also writes.
DEMO_NOTICES = "chuangxian-zhengyou-factory"
#: engine.reports.KINDS and engine.history.DEFAULT_FILE, repeated so that building the
#: parser imports neither (tests/test_cli.py checks they agree).
REPORT_KINDS = ("gongshi", "sheets", "notices", "summary")
HISTORY_FILE = "kaohe-history.sqlite"

#: Output format → (file name written with --out, encoding).
FORMATS = {"json": ("results.json", "utf-8"), "csv": ("results.csv", "utf-8-sig"), "md": ("results.md", "utf-8"),
           "html": ("gongshi.html", "utf-8"), "xlsx": ("results.xlsx", "")}


#: Exit code of a malformed command line (argparse's convention, kept by design.md).
USAGE_ERROR = 2


def _say(lang: str, zh: str, en: str) -> str:
    return en if lang == "en" else zh


#: Problems printed in full; past this a count is printed (a wrong sheet can make thousands).
SHOWN_PROBLEMS = 200


def _print_problems(problems: t.Iterable[Problem], lang: str) -> None:
    listed = list(problems)
    for problem in listed[:SHOWN_PROBLEMS]:
        print(problem.render(lang), file=sys.stderr)
    if len(listed) > SHOWN_PROBLEMS:
        rest = len(listed) - SHOWN_PROBLEMS
        print(_say(lang, f"……另有 {rest} 个问题未列出（先改正上面的，再运行一次）。", f"… and {rest} more problems (fix the ones above and run again)."),
              file=sys.stderr)


class _ArgumentError(Exception):
    """argparse's complaint, raised instead of exiting so it can be translated."""

    def __init__(self, prog: str, message: str) -> None:
        super().__init__(message)
        self.prog = prog
        self.message = message


class _ZhFormatter(argparse.RawDescriptionHelpFormatter):
    """argparse's layout with its own words in Chinese (the examples keep their line breaks)."""

    usage_prefix = help_text("usage", "zh")

    def add_usage(self, usage: str | None, actions: t.Iterable[argparse.Action],
                  groups: t.Iterable[argparse._MutuallyExclusiveGroup], prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, self.usage_prefix if prefix is None else prefix)


class _EnFormatter(_ZhFormatter):
    usage_prefix = help_text("usage", "en")


class _Parser(argparse.ArgumentParser):
    """An argparse parser in the chosen language whose usage errors become
    located, translated problems.

    argparse prints English and exits 2; a clerk gets the same kind of
    message as for a bad scheme (Chinese by default, a hint). Its help is in
    the language of the command line (``--lang``/KAOHE_LANG), with the
    section titles and the ``-h`` line translated too.
    """

    def __init__(self, *args: t.Any, lang: str = "zh", help_option: bool = True, **kwargs: t.Any) -> None:
        kwargs.setdefault("formatter_class", _EnFormatter if lang == "en" else _ZhFormatter)
        kwargs["add_help"] = False  # our own -h, with translated help
        parents: t.Sequence[argparse.ArgumentParser] = kwargs.pop("parents", ())
        super().__init__(*args, **kwargs)
        self.lang = lang
        self._positionals.title = help_text("positionals", lang)
        self._optionals.title = help_text("options", lang)
        if help_option:
            self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help=help_text("help", lang))
        # The shared options after -h, as argparse itself would add them from `parents`.
        for parent in parents:
            self._add_container_actions(parent)
            self._defaults.update(parent._defaults)

    def error(self, message: str) -> t.NoReturn:
        raise _ArgumentError(self.prog, message)


def _env_lang() -> str:
    """The language KAOHE_LANG asks for (zh unless it says en)."""
    return "en" if os.environ.get("KAOHE_LANG", "").strip().lower().startswith("en") else "zh"


def _requested_lang(argv: t.Sequence[str]) -> str:
    """The ``--lang`` of a command line that may not have parsed (else KAOHE_LANG's)."""
    for index, token in enumerate(argv):
        if token == "--lang=en" or (token == "--lang" and argv[index + 1:index + 2] == ["en"]):
            return "en"
        if token == "--lang=zh" or (token == "--lang" and argv[index + 1:index + 2] == ["zh"]):
            return "zh"
    return _env_lang()


def _chosen_command(parser: argparse.ArgumentParser, argv: t.Sequence[str]) -> argparse.ArgumentParser:
    """The subcommand parser named in ``argv``, or ``parser`` when none is."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            commands: dict[str, argparse.ArgumentParser] = dict(action.choices)
            return next((commands[token] for token in argv if token in commands), parser)
    return parser


def usage_problem(parser: argparse.ArgumentParser, argv: t.Sequence[str], err: _ArgumentError) -> Problem:
    """Turn argparse's English complaint into a problem with a hint.

    The patterns are argparse's own wording (stable since Python 3.8); an
    unknown wording is passed through under a generic message.
    """
    where = Location(err.prog)
    text = err.message
    if match := re.fullmatch(r"unrecognized arguments: (.*)", text):
        # Reported by the top parser, but the options to suggest are the subcommand's.
        command = _chosen_command(parser, argv)
        known = [option for action in command._actions for option in action.option_strings]
        options = [token for token in match.group(1).split() if token.startswith("-")]
        suggest = closest(options[0].split("=")[0], known) if options else ""
        return Problem.at("cli_unknown_arguments", Location(command.prog), arguments=match.group(1),
                          prog=command.prog, suggest=suggest)
    if match := re.fullmatch(r"the following arguments are required: (.*)", text):
        return Problem.at("cli_missing_arguments", where, arguments=match.group(1), prog=err.prog)
    if match := re.fullmatch(r"argument (\S+): invalid choice: '(.*)' \(choose from (.*)\)", text):
        option, value, listed = match.groups()
        choices = [choice.strip(" '") for choice in listed.split(",")]
        named = Text("命令", "command") if option == "COMMAND" else option
        return Problem.at("cli_bad_choice", where, option=named, value=value, choices=", ".join(choices),
                          suggest=closest(value, choices))
    if match := re.fullmatch(r"argument (\S+?)(?:/\S+)?: expected (?:one|at least one) argument", text):
        return Problem.at("cli_missing_value", where, option=match.group(1), prog=err.prog)
    return Problem.at("cli_usage", where, detail=text, prog=err.prog)


def build_parser(lang: str = "zh") -> argparse.ArgumentParser:
    """The ``kaohe`` command line, its help in ``lang``."""
    def h(key: str) -> str:
        return help_text(key, lang)

    def command(name: str) -> _Parser:
        # Each command: its summary (in the command list and atop its help) and its examples below.
        parser: _Parser = sub.add_parser(name, parents=[common], lang=lang, help=h(name), description=h(name),
                                         epilog=h(f"{name}.example"))
        return parser

    # --lang and --quiet may come before or after the command. The commands' copies have
    # no default, or they would overwrite `kaohe --lang en run …` with zh.
    common = _Parser(lang=lang, help_option=False)
    common.add_argument("--lang", choices=("zh", "en"), default=argparse.SUPPRESS, help=h("lang"))
    common.add_argument("--quiet", action="store_true", default=argparse.SUPPRESS, help=h("quiet"))

    parser = _Parser(prog="kaohe", lang=lang, description=h("kaohe"), epilog=h("kaohe.example"))
    parser.add_argument("--lang", choices=("zh", "en"), default=_env_lang(), help=h("lang"))
    parser.add_argument("--quiet", action="store_true", default=False, help=h("quiet"))
    parser.add_argument("--version", action="version", version=f"kaohe {__version__}", help=h("version"))
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", title=h("commands"))

    validate = command("validate")
    validate.add_argument("schemes", nargs="+", metavar="SCHEME", help=h("validate.schemes"))
    validate.set_defaults(handler=cmd_validate)

    run = command("run")
    run.add_argument("scheme", metavar="SCHEME", help=h("scheme"))
    _data_option(run, h)
    run.add_argument("--format", choices=sorted(FORMATS), default="md", help=h("run.format"))
    run.add_argument("--out", metavar="DIR", help=h("run.out"))
    _history_options(run, h, record=True)
    run.set_defaults(handler=cmd_run)

    exp = command("explain")
    exp.add_argument("scheme", metavar="SCHEME", help=h("scheme"))
    _data_option(exp, h)
    exp.add_argument("--unit", required=True, metavar="ID", help=h("explain.unit"))
    exp.add_argument("--format", choices=["text", "json"], default="text", help=h("explain.format"))
    _history_options(exp, h, record=False)
    exp.set_defaults(handler=cmd_explain)

    diff = command("diff")
    diff.add_argument("schemes", nargs="+", metavar="SCHEME", help=h("diff.schemes"))
    _data_option(diff, h)
    diff.add_argument("--set", action="append", default=[], metavar="PATH=VALUE", dest="assignments", help=h("diff.set"))
    diff.add_argument("--sweep", metavar="PATH=FROM:TO:STEP[,PATH=EXPR]", help=h("diff.sweep"))
    diff.add_argument("--format", choices=("md", "json", "html"), default="md", help=h("diff.format"))
    diff.add_argument("--out", metavar="DIR", help=h("diff.out"))
    _history_options(diff, h, record=False)
    diff.set_defaults(handler=cmd_diff)

    show = command("show")
    show.add_argument("scheme", metavar="SCHEME", help=h("scheme"))
    show.add_argument("--changes", action="store_true", help=h("show.changes"))
    show.set_defaults(handler=cmd_show)

    new = command("new")
    new.add_argument("name", metavar="NAME", help=h("new.name"))
    new.add_argument("--from", dest="source", metavar="SCHEME", help=h("new.from"))
    new.add_argument("--dir", default="schemes", metavar="FOLDER", help=h("new.dir"))
    new.add_argument("--id", dest="ident", metavar="ID", help=h("new.id"))
    new.set_defaults(handler=cmd_new)

    draft = command("draft")
    draft.add_argument("document", metavar="DOCUMENT", help=h("draft.document"))
    draft.add_argument("--out", metavar="FOLDER", help=h("draft.out"))
    draft.add_argument("--part", type=int, metavar="N", help=h("draft.part"))
    draft.add_argument("--lines", metavar="FROM-TO", help=h("draft.lines"))
    draft.set_defaults(handler=cmd_draft)

    template = command("template")
    template.add_argument("scheme", metavar="SCHEME", help=h("scheme"))
    template.add_argument("--out", required=True, metavar="FILE.xlsx", help=h("template.out"))
    template.add_argument("--units", type=int, metavar="N", help=h("template.units"))
    template.set_defaults(handler=cmd_template)

    schema = command("schema")
    schema.add_argument("--write", nargs="?", const=".", metavar="FOLDER", help=h("schema.write"))
    schema.set_defaults(handler=cmd_schema)

    report = command("report")
    report.add_argument("scheme", metavar="SCHEME", help=h("scheme"))
    _data_option(report, h)
    report.add_argument("--out", required=True, metavar="DIR", help=h("report.out"))
    report.add_argument("--kind", choices=("all",) + REPORT_KINDS, default="all", help=h("report.kind"))
    report.add_argument("--format", choices=("html", "md", "docx", "pdf"), default="html",
                        help=h("report.format") + _say(lang, "；docx（Word，公文格式）或 pdf（需 LibreOffice）", "; docx (Word, 公文 layout) or pdf (needs LibreOffice)"))
    report.add_argument("--by", metavar="GROUP", help=_say(lang, "按分组分别成文（写方案的分组名称，如 党支部，或 group）：每组一个文件夹，另有目录；仅 docx/pdf",
                                                          "one set of documents per group (the scheme's group title, e.g. 党支部, or group), a folder each plus an index; docx/pdf only"))
    report.add_argument("--date", metavar="YYYY-MM-DD", help=h("report.date"))
    _history_options(report, h, record=False)
    report.set_defaults(handler=cmd_report)

    test = command("test")
    test.add_argument("paths", nargs="*", default=["schemes"], metavar="PATH", help=h("test.paths"))
    test.set_defaults(handler=cmd_test)

    demo = command("demo")
    demo.add_argument("--out", default="out/demo", metavar="DIR", help=h("demo.out"))
    demo.set_defaults(handler=cmd_demo)

    serve = command("serve")
    serve.add_argument("folders", nargs="*", default=["schemes"], metavar="FOLDER", help=h("serve.folders"))
    serve.add_argument("--host", default="127.0.0.1", help=h("serve.host"))
    serve.add_argument("--port", type=int, default=8000, help=h("serve.port"))
    serve.add_argument("--token", help=h("serve.token"))
    serve.add_argument("--history", metavar="FILE", default=HISTORY_FILE, help=h("history").format(default=HISTORY_FILE))
    serve.set_defaults(handler=cmd_serve)
    return parser


def _data_option(command: argparse.ArgumentParser, h: t.Callable[[str], str]) -> None:
    # extend: `--data a.csv --data b.csv` is `--data a.csv b.csv` (append would nest lists).
    command.add_argument("--data", nargs="+", action="extend", required=True, metavar="PATH", help=h("data"))


def _history_options(command: argparse.ArgumentParser, h: t.Callable[[str], str], record: bool) -> None:
    command.add_argument("--period", metavar="PERIOD", help=h("period"))
    command.add_argument("--history", metavar="FILE", default=HISTORY_FILE, help=h("history").format(default=HISTORY_FILE))
    command.add_argument("--results", nargs="+", metavar="JSON", default=[], help=h("results"))
    if record:
        command.add_argument("--record", action="store_true", help=h("record"))
        command.add_argument("--replace", action="store_true", help=h("replace"))


def unique_paths(paths: t.Sequence[str]) -> list[str]:
    """``paths`` with each file or folder once, in the order first given.

    Two spellings of one path (``a.csv``, ``./a.csv``) count as the same: a
    table read twice would make every unit a duplicate.

    >>> unique_paths(["a.csv", "b.csv", "./a.csv"])
    ['a.csv', 'b.csv']
    """
    seen: dict[Path, str] = {}
    for path in paths:
        seen.setdefault(Path(path).resolve(), path)
    return list(seen.values())


class _StdoutGone(Exception):
    """Standard output cannot be written (closed, a broken pipe, a full disk).

    Not an OSError, so that no command mistakes it for an unwritable ``--out``.
    """


class _GuardedStream:
    """Standard output (or error) that turns a failed write into :class:`_StdoutGone`.

    ``kaohe run … >&-`` leaves ``sys.stdout`` None and ``> /dev/full`` makes
    every write or flush fail; either way the command should end with exit 1
    and a short message, not a traceback. A missing stream given as
    ``discard`` (stderr) swallows what is written instead.
    """

    def __init__(self, stream: t.Any, discard: bool = False) -> None:
        self._stream = stream
        self._discard = discard

    def write(self, text: str) -> int:
        if self._stream is None:
            if self._discard:
                return len(text)
            raise _StdoutGone("closed")
        try:
            written: int = self._stream.write(text)
        except (OSError, ValueError) as err:
            if self._discard:
                return len(text)
            raise _StdoutGone(getattr(err, "strerror", None) or str(err)) from None
        return written

    def flush(self) -> None:
        if self._stream is None:
            return
        try:
            self._stream.flush()
        except (OSError, ValueError) as err:
            if not self._discard:
                raise _StdoutGone(getattr(err, "strerror", None) or str(err)) from None

    def isatty(self) -> bool:
        try:
            return bool(self._stream is not None and self._stream.isatty())
        except (OSError, ValueError):
            return False

    def __getattr__(self, name: str) -> t.Any:
        return getattr(self._stream, name)


def _silence_stdout(stream: t.Any) -> None:
    """Point the real standard output at /dev/null, so that Python's flush at exit
    cannot fail again (and print "Exception ignored …") after the message was given."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, stream.fileno())
        os.close(null)
    except (AttributeError, OSError, ValueError):
        pass


def main(argv: t.Sequence[str] | None = None) -> int:
    stdout, stderr = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _GuardedStream(stdout), _GuardedStream(stderr, discard=True)
    try:
        code = _main(argv)
        sys.stdout.flush()  # a full disk shows here, while the message can still be given
        return code
    except _StdoutGone as gone:
        lang = _requested_lang(list(sys.argv[1:] if argv is None else argv))
        _print_problems([Problem.at("cli_stdout_closed", Location(""), reason=str(gone))], lang)
        _silence_stdout(stdout)
        return 1
    finally:
        sys.stdout, sys.stderr = stdout, stderr


def _main(argv: t.Sequence[str] | None = None) -> int:
    tokens = list(sys.argv[1:] if argv is None else argv)
    # The help is printed while parsing, so its language is read off the raw command line first.
    lang = _requested_lang(tokens)
    parser = build_parser(lang)
    try:
        args = parser.parse_args(tokens)
    except _ArgumentError as err:
        _print_problems([usage_problem(parser, tokens, err)], lang)
        print(_say(lang, "共 1 个错误。", "1 error(s)."), file=sys.stderr)
        return USAGE_ERROR
    if not getattr(args, "handler", None):
        parser.print_usage(sys.stderr)
        _print_problems([Problem.at("cli_no_command", Location("kaohe"))], args.lang)
        return USAGE_ERROR
    if getattr(args, "data", None):
        args.data = unique_paths(args.data)
    try:
        result: int = args.handler(args)
        return result
    except KaoheError as err:
        _print_problems(err.problems, args.lang)
        print(summary_line(err.problems, args.lang), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(_say(args.lang, "已中断。", "interrupted."), file=sys.stderr)
        return 130


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
        return _say(lang, f"共 {errors} 个错误，{warnings} 个警告。", f"{errors} error(s), {warnings} warning(s).")
    return _say(lang, f"共 {errors} 个错误。", f"{errors} error(s).")


def cmd_validate(args: argparse.Namespace) -> int:
    # Checking needs the compiler, not the data reader, the workbooks or the templates.
    from engine.compiler import check_scheme
    from engine.inherit import load_scheme

    failed = 0
    files: list[str] = []
    for given in args.schemes:
        # A folder: every scheme in it (schemes/zhengjiaochu holds two versions).
        inside = sorted(Path(given).glob("*.yaml")) if Path(given).is_dir() else []
        files += [str(p) for p in inside] or [given]
    for file in files:
        if Path(file).is_file() and _has_cases(Path(file)):
            # A scenario test, not a scheme: say how it is run instead of listing "unknown keys".
            print(_say(args.lang, f"- {file}: 这是场景测试文件，用 kaohe test {file} 运行",
                       f"- {file}: a scenario test file; run it with kaohe test {file}"), file=sys.stderr)
            continue
        try:
            raw = load_scheme(file)
        except KaoheError as err:
            _print_problems(err.problems, args.lang)
            failed += 1
            errors = sum(p.severity == "error" for p in err.problems)
            warnings = len(err.problems) - errors
            print(_say(args.lang, f"✗ {file}: {errors} 个错误，{warnings} 个警告", f"✗ {file}: {errors} error(s), {warnings} warning(s)"), file=sys.stderr)
            continue
        scheme, problems = check_scheme(raw)
        _print_problems(problems, args.lang)
        errors = sum(p.severity == "error" for p in problems)
        warnings = len(problems) - errors
        if scheme is None:
            failed += 1
            print(_say(args.lang, f"✗ {file}: {errors} 个错误，{warnings} 个警告", f"✗ {file}: {errors} error(s), {warnings} warning(s)"), file=sys.stderr)
        else:
            items = sum(1 for _ in scheme.items())
            print(_say(args.lang, f"✓ {file}: 通过（{items} 个计分项，{warnings} 个警告）", f"✓ {file}: valid ({items} scored items, {warnings} warning(s))"))
    return 1 if failed else 0


def _prepare(scheme_file: str, data: t.Sequence[str], lang: str, args: argparse.Namespace | None = None, details: bool = False,
             check: t.Callable[[Scheme], None] | None = None) -> Outcomes:
    """Load, compile and score a scheme; ``check`` sees the compiled scheme before any data is read.

    ``check`` is where a command refuses what it can know from the scheme
    alone (an ``--out`` over one of its files, a ``--date`` too late for its
    notice period, a period already recorded) before the slow part. Nothing
    is recorded here: :func:`_record` runs after the outputs are written.
    """
    from engine.compiler import compile_scheme
    from engine.inherit import load_scheme

    raw = load_scheme(scheme_file)
    scheme, warnings = compile_scheme(raw)
    _print_problems(warnings, lang)
    period = getattr(args, "period", None)
    recording = bool(getattr(args, "record", False))
    if recording and not period:
        raise UsageError([Problem.at("history_needs_period", Location("--period"))])
    if check is not None:
        check(scheme)
    if recording:
        from engine import history

        assert period is not None
        history.check_store(Path(getattr(args, "history", HISTORY_FILE)), scheme.id, period, bool(getattr(args, "replace", False)))
    if scheme.history and not period:
        # Without a period there is no "earlier": history rules see none, and the output says so once.
        _print_problems([Problem.at("data_history_no_period", Location("--period"), "warning")], lang)
    history_file = Path(getattr(args, "history", HISTORY_FILE))
    documents = [_load_results(Path(f)) for f in getattr(args, "results", [])]
    return _score(scheme, data, lang, history_file if scheme.history else None, period, documents, details,
                  quiet=bool(getattr(args, "quiet", False)))


def _record(args: argparse.Namespace, outcomes: Outcomes) -> None:
    """Store the run as ``--period`` in ``--history`` when ``--record`` asks: the last step
    of ``run``, so a failed output leaves the history as it was."""
    from engine import history

    if not getattr(args, "record", False):
        return
    history_file = Path(args.history)
    count = history.record(history_file, outcomes, args.period, replace=bool(args.replace))
    scheme = outcomes.results.scheme
    print(_say(args.lang, f"已记录 {scheme.id} {args.period} 期 {count} 个单位的结果到 {history_file}",
               f"recorded {count} units of {scheme.id} period {args.period} in {history_file}"), file=sys.stderr)


def _load_results(path: Path) -> dict[str, t.Any]:
    """A results document written by ``kaohe run --format json``."""
    try:
        document: dict[str, t.Any] = json.loads(path.read_text(encoding="utf-8"))
        document["scheme"]["id"], document["units"]  # noqa: B018 (shape check)
    except FileNotFoundError:
        raise UsageError([Problem.at("file_not_found", Location(str(path)))]) from None
    except RecursionError:
        # json nests arrays by recursion: thousands of '[' are no results document.
        raise UsageError([Problem.at("results_unreadable", Location(str(path)), reason="nested too deeply")]) from None
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise UsageError([Problem.at("results_unreadable", Location(str(path)), reason=str(err))]) from None
    return document


def _context(lang: str, quiet: bool = False, history_file: Path | None = None) -> Context:
    """The library's context for this command: its language, progress, history store,
    and warnings printed as soon as a stage has them."""
    from engine.context import Context

    return Context(lang="en" if lang == "en" else "zh", quiet=quiet, history=history_file or Path(HISTORY_FILE),
                   notify=lambda problems: _print_problems(problems, lang))


def _score(scheme: Scheme, data: t.Sequence[str], lang: str, history_file: Path | None = None, period: str | None = None,
           documents: t.Sequence[dict[str, t.Any]] = (), details: bool = False, cache: DatasetCache | None = None,
           quiet: bool = False) -> Outcomes:
    """The library's pipeline (engine.pipeline.assess) with this command's context."""
    from engine.pipeline import assess

    return assess(scheme, data, _context(lang, quiet, history_file), period=period, documents=documents, details=details, cache=cache)


def _render(outcomes: Outcomes, fmt: str, lang: str) -> str:
    from engine.render import to_csv, to_json, to_markdown

    if fmt == "json":
        return to_json(outcomes, lang)
    return to_csv(outcomes, lang) if fmt == "csv" else to_markdown(outcomes, lang)


def cmd_run(args: argparse.Namespace) -> int:
    if args.format == "xlsx" and not args.out:
        raise UsageError([Problem.at("cli_needs_out", Location("--format xlsx"))])  # before any work
    if args.replace and not args.record:
        raise UsageError([Problem.at("cli_replace_needs_record", Location(""))])
    name, encoding = FORMATS[args.format]
    target = output_path(args.out, name) if args.out else None
    outcomes = _prepare(args.scheme, args.data, args.lang, args,
                        check=lambda scheme: refuse_overwriting_inputs([target], args.out, args, scheme) if target else None)
    if args.format == "xlsx":
        from engine.reports import write_workbook

        assert target is not None
        notes: list[Problem] = []
        try:
            write_workbook(outcomes, target, args.lang, notes)
        except OSError as err:
            raise UsageError([Problem.at("cli_output", Location(str(target)), reason=err.strerror or str(err))]) from None
        _print_problems(notes, args.lang)
        print(_say(args.lang, f"已写入 {target}", f"wrote {target}"))
    else:
        if args.format == "html":
            from engine.reports import Settings as ReportSettings
            from engine.reports import render_kind

            settings = ReportSettings(datetime.date.today(), getattr(args, "period", None), args.lang)
            # The scheme's own gongshi template may be the one rendered: its failure is located like report's.
            text = _writing_reports(outcomes, target or Path(), lambda: render_kind(outcomes, "gongshi", settings))
        else:
            text = _render(outcomes, args.format, args.lang)
        _emit(text, target, args.lang, encoding)
    _record(args, outcomes)  # last: a failed output leaves the history as it was
    return 0


def output_path(out: str, default_name: str) -> Path:
    """Where ``--out`` puts a single output: the folder ``out``, or the file itself.

    ``--out 结果/`` writes ``结果/results.json``; ``--out 结果.json`` (the
    format's own suffix, and not an existing folder) writes that file, which
    is what a user who names a file expects.
    """
    path = Path(out)
    suffix = Path(default_name).suffix
    if path.suffix.lower() == suffix and not path.is_dir():
        return path
    if path.is_file():
        raise UsageError([Problem.at("cli_out_is_file", Location(out), suffix=suffix)])
    return path / default_name


def scheme_files(scheme: Scheme) -> list[Path]:
    """The files a compiled scheme was read from: its own and every ``extends`` parent,
    each with the scenario tests beside it (``tests/*.yaml``)."""
    files: list[Path] = []
    own = Path(scheme.file.split(" (--set ", 1)[0])  # a --set variant is labelled "FILE (--set …)"
    chain = [own]
    seen = set()
    while chain:
        file = chain.pop()
        key = file.resolve()
        if key in seen or not file.is_file():
            continue
        seen.add(key)
        files.append(file)
        files += sorted(file.parent.glob("tests/*.yaml"))
        try:
            from engine.loader import load_scheme_file

            data = load_scheme_file(file).data
            parent = data.get("extends") if isinstance(data, dict) else None
        except KaoheError:  # it loaded once already; a second reading that fails only ends the chain
            parent = None
        if isinstance(parent, str):
            chain.append(file.parent / parent)
    return files


def refuse_overwriting_inputs(targets: t.Sequence[Path], out: str, args: argparse.Namespace, scheme: Scheme | None = None) -> None:
    """Refuse outputs that are, or would write over, something the command reads.

    Inputs are the ``--data`` files and the files directly inside a
    ``--data`` folder (the reader takes a folder's files, so an output
    written there would be read as data next time), the ``--results``
    documents, the history store, and the scheme's files with their tests.
    Paths are compared resolved and, where both exist, with ``samefile``
    (a hard link or another spelling is the same file). Called before any
    data is read, so a refused run has written and changed nothing.

    Raises:
        UsageError: ``cli_out_is_input`` or ``cli_out_in_data`` naming ``--out``.
    """
    inputs: list[tuple[Path, Text]] = []
    folders: list[Path] = []
    for given in getattr(args, "data", None) or ():
        path = Path(given)
        if path.is_dir():
            folders.append(path)
        else:
            inputs.append((path, Text("--data 数据文件", "a --data file")))
    inputs += [(Path(f), Text("--results 结果文件", "a --results file")) for f in getattr(args, "results", None) or ()]
    if getattr(args, "history", None):
        inputs.append((Path(args.history), Text("历史数据库 --history", "the --history store")))
    if scheme is not None:
        inputs += [(f, Text("方案或其测试文件", "the scheme or one of its tests")) for f in scheme_files(scheme)]
    for target in targets:
        resolved = target.resolve()
        for folder in folders:
            if resolved.parent == folder.resolve() or resolved == folder.resolve():
                raise UsageError([Problem.at("cli_out_in_data", Location(""), out=out, input=str(folder))])
            if target.is_file():
                # A hard link elsewhere to one of the folder's files is that file.
                mine = target.stat()
                with os.scandir(folder) as entries:
                    linked = [entry.path for entry in entries if entry.is_file()
                              and (entry.stat().st_dev, entry.stat().st_ino) == (mine.st_dev, mine.st_ino)]
                if linked:
                    raise UsageError([Problem.at("cli_out_is_input", Location(""), out=out, input=linked[0],
                                                 what=Text("--data 数据文件", "a --data file"))])
        for path, what in inputs:
            same = resolved == path.resolve()
            if not same and target.exists() and path.exists():
                try:
                    same = os.path.samefile(target, path)
                except OSError:
                    same = False
            if same:
                raise UsageError([Problem.at("cli_out_is_input", Location(""), out=out, input=str(path), what=what)])


def output_folder(out: str) -> Path:
    """The ``--out`` folder of a command that writes several files; checked before any work."""
    path = Path(out)
    if path.is_file():
        raise UsageError([Problem.at("cli_out_folder_is_file", Location(out))])
    return path


def _emit(text: str, target: Path | None, lang: str, encoding: str = "utf-8") -> None:
    """Print ``text``, or write it atomically to ``target`` and say where."""
    from engine.render import write_atomic

    if target is None:
        sys.stdout.write(text)
        sys.stdout.flush()  # a full or closed stdout fails here, before --record stores the period
        return
    try:
        write_atomic(target, text, encoding)
    except OSError as err:
        raise UsageError([Problem.at("cli_output", Location(str(target)), reason=err.strerror or str(err))]) from None
    print(_say(lang, f"已写入 {target}", f"wrote {target}"))


def cmd_explain(args: argparse.Namespace) -> int:
    from engine.render import explain, explain_json

    outcomes = _prepare(args.scheme, args.data, args.lang, args)
    units = outcomes.results.data.units
    ids = [str(i) for i in units.ids]
    if args.unit in ids:
        index = ids.index(args.unit)
    else:
        # A clerk may well type the name (张永胜) rather than the id (D002).
        named = [i for i, name in enumerate(units.names) if str(name) == args.unit]
        if len(named) != 1:
            problem = (Problem.at("cli_ambiguous_name", Location("--unit"), name=args.unit, ids=", ".join(ids[i] for i in named))
                       if named else Problem.at("cli_unknown_unit", Location("--unit"), id=args.unit, suggest=closest(args.unit, ids)))
            raise UsageError([problem])
        index = named[0]
    sys.stdout.write((explain_json if args.format == "json" else explain)(outcomes, index, args.lang))
    return 0


def cmd_diff(args: argparse.Namespace) -> int:
    from engine.compiler import compile_scheme
    from engine.diff import diff_outcomes, diff_schemes
    from engine.inherit import load_scheme
    from engine.overrides import apply_overrides
    from engine.pipeline import DatasetCache
    from engine.render import diff_document, diff_markdown
    from engine.sweep import parse_sweep, run_sweep, weight_warnings

    if len(args.schemes) > 2:
        _print_problems([Problem.at("diff_too_many", Location("kaohe diff"), count=len(args.schemes))], args.lang)
        return USAGE_ERROR
    # The command-line values first: a bad one is reported before any file is read.
    check_assignments(args.assignments)
    sweep = parse_sweep(args.sweep) if args.sweep else None
    old_raw = load_scheme(args.schemes[0])
    new_raw = load_scheme(args.schemes[1]) if len(args.schemes) == 2 else old_raw
    target = output_path(args.out, f"diff.{args.format}") if args.out else None
    if len(args.schemes) == 1 and not args.assignments and not args.sweep:
        raise UsageError([Problem.at("diff_needs_change", Location("kaohe diff"))])
    if args.assignments:
        new_raw = apply_overrides(new_raw, args.assignments)
    old, old_warnings = compile_scheme(old_raw)
    new, new_warnings = compile_scheme(new_raw)
    weights = weight_warnings(old, new, "--set " + "; ".join(args.assignments)) if args.assignments else []
    _print_problems(sorted(set(old_warnings) | set(new_warnings), key=Problem.sort_key) + weights, args.lang)
    if target is not None:
        refuse_overwriting_inputs([target], args.out, args, old)
        refuse_overwriting_inputs([target], args.out, args, new)
    if old.subject != new.subject:
        raise UsageError([Problem.at("diff_incompatible", Location(new.file), old=old.subject or "—", new=new.subject or "—")])
    history_file = Path(args.history)
    documents = [_load_results(Path(f)) for f in args.results]
    cache = DatasetCache()

    def score(scheme: Scheme) -> Outcomes:
        return _score(scheme, args.data, args.lang, history_file if scheme.history else None, args.period, documents, cache=cache,
                      quiet=bool(args.quiet))

    before, after = score(old), score(new)
    changes = diff_schemes(old, new)
    outcome = diff_outcomes(before, after)
    table = None
    if sweep is not None:
        table = run_sweep(sweep, new_raw, new, before, score, lambda raw: compile_scheme(raw)[0],
                          lambda problem: _print_problems([problem], args.lang), args.lang)
    if args.format == "json":
        text = json.dumps(diff_document(old, new, changes, outcome, table), ensure_ascii=False, indent=2) + "\n"
    elif args.format == "html":
        text = diff_markdown(old, new, changes, outcome, args.lang, table, "diff.html.j2")
    else:
        text = diff_markdown(old, new, changes, outcome, args.lang, table)
    _emit(text, target, args.lang)
    return 0


def _report_date(text: str | None) -> datetime.date:
    if not text:
        return datetime.date.today()
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise UsageError([Problem.at("cli_bad_date", Location("--date"), found=text)]) from None


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
        raise UsageError([Problem.at("cli_date_out_of_range", Location(""), found=text or day.isoformat(), days=days)]) from None


def check_assignments(assignments: t.Sequence[str]) -> None:
    """Refuse a ``--set PATH=VALUE`` whose value YAML cannot build (``2024-02-30``).

    The value is read as YAML; a date-shaped value that is no date makes
    PyYAML raise ValueError rather than a YAMLError. Text that is not YAML
    at all is kept as text by :func:`engine.overrides.parse_assignment`.
    """
    import yaml

    problems = []
    for text in assignments:
        if "=" not in text:
            continue
        value = text.split("=", 1)[1]
        try:
            yaml.safe_load(value)
        except yaml.YAMLError:
            continue
        except (ValueError, TypeError, OverflowError, RecursionError) as err:
            problems.append(Problem.at("cli_set_bad_value", Location(""), found=text, reason=str(err) or type(err).__name__))
    if problems:
        raise UsageError(problems)


def write_all_reports(outcomes: Outcomes, out: Path, kinds: t.Sequence[str], settings: ReportSettings, fmt: str) -> list[Path]:
    """Write the reports (and, for HTML, the workbook) into the folder ``out``, all or nothing.

    Every file is written into a temporary folder beside ``out`` first and moved into ``out`` only when all
    of them succeeded, so a failure (a template error, a full disk) leaves ``out`` as it was.
    """
    from engine.render import replace_folder_files
    from engine.reports import drop_stale_parts, write_reports, write_workbook

    notes: list[Problem] = []

    def write(folder: Path) -> list[Path]:
        written = write_reports(outcomes, folder, kinds, settings, fmt)
        if fmt == "html":
            written.append(write_workbook(outcomes, folder / "results.xlsx", settings.lang, notes))
        return written

    written = _writing_reports(outcomes, out, lambda: replace_folder_files(out, write))
    drop_stale_parts(out, written, fmt)
    # Said of the workbook where it now is, not of the temporary folder it was written in.
    _print_problems([dataclasses.replace(p, location=Location(str(out / "results.xlsx"))) for p in notes], settings.lang)
    return written


_Written = t.TypeVar("_Written")


def _writing_reports(outcomes: Outcomes, out: Path, write: t.Callable[[], _Written]) -> _Written:
    """Run ``write``, turning a template's or the file system's failure into a located message."""
    import jinja2

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
        raise UsageError([Problem.at("cli_output", Location(str(out)), reason=err.strerror or str(err))]) from None


#: Suffixes that make ``report --out NAME.html`` name one file rather than a folder.
REPORT_FILE_SUFFIXES = (".html", ".htm", ".md")


def report_kinds(args: argparse.Namespace, scheme: Scheme) -> tuple[str, ...]:
    """The kinds ``report`` writes for this scheme and format (before any data is read).

    Raises:
        UsageError: the asked kind produces nothing in this format or for
            this scheme (``--kind notices --format md``; score sheets of a
            classification scheme; notices of a scheme without ``reports.notices``).
    """
    from engine.reports import KINDS, MARKDOWN_KINDS

    kinds: tuple[str, ...] = KINDS if args.kind == "all" else (args.kind,)
    if not scheme.parts:
        # A classification scheme has no scores: score sheets and the score distribution would be empty pages.
        unscored = [k for k in kinds if k in ("sheets", "summary")]
        kinds = tuple(k for k in kinds if k not in unscored)
        if unscored and args.kind == "all":
            print(_say(args.lang, "这是不计分的分类方案，不生成评分表和汇总（得分分布）。",
                       "a classification scheme has no scores: no score sheets or summary are written."), file=sys.stderr)
        elif unscored:
            raise UsageError([Problem.at(
                "report_nothing", Location(""), kind=args.kind, format=args.format,
                reason=Text("这是不计分的分类方案，没有得分", "a classification scheme has no scores"),
                hint=Text("分类方案可写 gongshi 公示和 notices 整改通知书。", "a classification scheme has gongshi and notices."))])
    if args.format == "md":
        if args.kind != "all" and args.kind not in MARKDOWN_KINDS:
            raise UsageError([Problem.at(
                "report_nothing", Location(""), kind=args.kind, format=args.format,
                reason=Text(f"Markdown 只用于 {'、'.join(MARKDOWN_KINDS)}", f"Markdown is written for {', '.join(MARKDOWN_KINDS)} only"),
                hint=Text(f"用 --format html 写 {args.kind}，或 --format md 写 {'、'.join(MARKDOWN_KINDS)}。",
                          f"use --format html for {args.kind}, or --format md for {', '.join(MARKDOWN_KINDS)}."))])
        kinds = tuple(k for k in kinds if k in MARKDOWN_KINDS)
    if args.kind == "notices" and scheme.reports.notices is None:
        raise UsageError([Problem.at(
            "report_nothing", Location(""), kind=args.kind, format=args.format,
            reason=Text("方案没有设置 reports.notices", "the scheme sets no reports.notices"),
            hint=Text("在方案的 reports: 中写 notices: <处理措施的编号>，指明哪些单位下达整改通知书。",
                      "write notices: <action id> under the scheme's reports: to say which units get a notice."))])
    return kinds


def cmd_report(args: argparse.Namespace) -> int:
    from engine.reports import notice_units
    from engine.reports import Settings as ReportSettings

    path = Path(args.out)
    single = path.suffix.lower() in REPORT_FILE_SUFFIXES and not path.is_dir()
    if single and args.kind == "all":
        # A file name for the whole set: say so rather than make a folder called r.html.
        count = len(REPORT_KINDS) + 1 if args.format == "html" else 2  # the HTML set has the workbook; Markdown has two kinds
        raise UsageError([Problem.at("report_out_single", Location(""), out=args.out, kind=args.kind, count=count, suffix=path.suffix)])
    if single and path.parent.is_file():
        raise UsageError([Problem.at("cli_out_folder_is_file", Location(str(path.parent)))])
    out = path if single else output_folder(args.out)
    if args.by and args.format not in ("docx", "pdf"):
        raise UsageError([Problem.at("document_by_needs_docx", Location("--by"))])
    if args.format == "pdf":
        from engine.pdf import require_office
        require_office()  # before scoring: say what to install without making the user wait
    day = _report_date(args.date)
    kinds: tuple[str, ...] = ()

    def check(scheme: Scheme) -> None:
        nonlocal kinds
        kinds = report_kinds(args, scheme)
        check_report_date(day, args.date, scheme)
        names = [f"{kind}.{args.format}" for kind in kinds] + (["results.xlsx"] if args.format == "html" else [])
        # The files the set would write (a report folder beside the data, or below it, is fine).
        refuse_overwriting_inputs([out] if single else [out / name for name in names], args.out, args, scheme)

    outcomes = _prepare(args.scheme, args.data, args.lang, args, details=True, check=check)
    settings = ReportSettings(day, args.period, args.lang)
    if "notices" in kinds and not notice_units(outcomes):
        if args.kind == "notices":
            raise UsageError([Problem.at(
                "report_nothing", Location(""), kind=args.kind, format=args.format,
                reason=Text("没有需要下达整改通知书的单位", "no unit gets a rectification notice"),
                hint=Text(f"reports.notices 指定的处理措施（{outcomes.results.scheme.reports.notices}）没有单位触发；其他报表照常可写。",
                          f"no unit meets the action reports.notices names ({outcomes.results.scheme.reports.notices}); the other kinds are written as usual."))])
        print(_say(args.lang, "没有需要下达整改通知书的单位（或方案未设置 reports.notices）。",
                   "no unit gets a rectification notice (or the scheme sets no reports.notices)."), file=sys.stderr)
    if single:
        from engine.render import write_atomic
        from engine.reports import render_kind

        def write_one() -> list[Path]:
            write_atomic(out, render_kind(outcomes, kinds[0], settings, args.format))
            return [out]

        written = _writing_reports(outcomes, out, write_one)
    elif args.format in ("docx", "pdf"):
        from engine.publish import write_documents

        written = _writing_reports(outcomes, out, lambda: write_documents(outcomes, out, kinds, settings, args.format, args.by))
    else:
        written = write_all_reports(outcomes, out, kinds, settings, args.format)
    from engine.reports import split_note

    notes, parts = split_note(written, args.lang)  # a report split into files: its parts are not listed one by one
    print(_say(args.lang, "已写入:", "wrote:"))
    for written_path in written:
        if written_path not in parts:
            print(f"  {written_path}")
    for note in notes:
        print(f"  {note}")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    import yaml

    from engine.compiler import compile_scheme
    from engine.diff import change_kind_title, diff_schemes
    from engine.inherit import load_scheme, setting_changes
    from engine.loader import load_scheme_file

    raw = load_scheme(args.scheme)
    if not args.changes:
        sys.stdout.write(yaml.safe_dump(raw.data, allow_unicode=True, sort_keys=False, width=120))
        return 0
    own = load_scheme_file(args.scheme)
    if "extends" not in own.data:
        print(_say(args.lang, f"{args.scheme} 没有 extends，是一个完整的方案。", f"{args.scheme} has no extends; it is a complete scheme."))
        return 0
    # From the scheme file's own folder: SCHEME may be the scheme's folder (schemes/我县考核).
    parent_file = (Path(own.file).resolve().parent / t.cast(str, own.data["extends"])).resolve()  # validated text
    parent_raw = load_scheme(parent_file)
    parent, _ = compile_scheme(parent_raw)
    child, _ = compile_scheme(raw)
    changes = diff_schemes(parent, child)
    # The scheme's own description (id, title, version, units, reports …) as the YAML writes it.
    settings = setting_changes(parent_raw, raw)
    count = len(changes) + len(settings)
    print(_say(args.lang, f"{args.scheme} 相对于 {own.data['extends']} 的改动（{count} 处）:",
               f"{args.scheme} compared with {own.data['extends']} ({count} changes):"))
    kind = change_kind_title("setting")
    for key, before, after in settings:
        print(f"  {kind.en if args.lang == 'en' else kind.zh} {key}: {before or '—'} → {after or '—'}")
    for change in changes:
        kind = change_kind_title(change.kind)
        print(f"  {kind.en if args.lang == 'en' else kind.zh} {change.id}（{change.title}）: {change.old or '—'} → {change.new or '—'}")
    return 0


def cmd_new(args: argparse.Namespace) -> int:
    from engine.scaffold import create, scheme_id

    files = create(args.name, Path(args.dir), Path(args.source) if args.source else None, args.ident)
    print(_say(args.lang, "已创建:", "created:"))
    for file in files:
        print(f"  {_rel(file.resolve())}")
    scheme_file = files[0]
    ident = scheme_id(args.name, args.ident)
    if ident != args.name and not args.ident:
        print(_say(args.lang, f"方案编号（id）为 {ident}，用于结果文件和历史数据；可在方案文件中改成有意义的英文编号，或新建时用 --id 指定。",
                   f"the scheme id is {ident} (used in results and the history); change it in the scheme file, or give --id when creating."))
    print(_say(args.lang, f"下一步: kaohe validate {scheme_file}，再写好 tests/ 中的用例后运行 kaohe test {scheme_file}",
               f"next: kaohe validate {scheme_file}; write the cases in tests/, then kaohe test {scheme_file}"))
    return 0


def cmd_draft(args: argparse.Namespace) -> int:
    from engine.draft import draft

    out = Path(args.out) if args.out else Path(f"{Path(args.document).stem}-草稿")
    result = draft(Path(args.document), out, args.part, args.lines, args.lang)
    _print_problems(result.warnings, args.lang)
    print(_say(args.lang, "已写入:", "wrote:"))
    for file in result.files:
        print(f"  {file}")
    print(_say(args.lang, f"{len(result.draft.inputs)} 个输入项；{result.unread} 句待确认（见 {result.files[-1]}）。下一步: kaohe validate {result.files[0]}",
               f"{len(result.draft.inputs)} inputs; {result.unread} sentence(s) to confirm (see {result.files[-1]}). Next: kaohe validate {result.files[0]}"))
    return 0


def cmd_template(args: argparse.Namespace) -> int:
    from engine.compiler import compile_scheme
    from engine.inherit import load_scheme
    from engine.template import LAST_ROW, write_template

    if args.units is not None and args.units < 1:
        raise UsageError([Problem.at("cli_template_units_low", Location(""), found=args.units)])
    if args.units is not None and args.units > LAST_ROW - 1:
        # Rows are prepared per unit: a billion would run for hours and still not fit a sheet.
        raise UsageError([Problem.at("cli_template_units", Location(""), found=args.units, cap=LAST_ROW - 1)])
    scheme, warnings = compile_scheme(load_scheme(args.scheme))
    _print_problems(warnings, args.lang)
    target = Path(args.out)
    if target.is_dir() or args.out.endswith(("/", "\\")):
        target = target / f"{scheme.id}-填报表.xlsx"
    elif target.suffix.lower() != ".xlsx":
        # Excel opens only .xlsx under that name: the suffix is added, and the message says so.
        target = target.with_suffix(".xlsx")
        print(_say(args.lang, f"--out {args.out} 不是 .xlsx 文件名，改为写入 {target}", f"--out {args.out} is not an .xlsx name: writing {target} instead"),
              file=sys.stderr)
    refuse_overwriting_inputs([target], args.out, args, scheme)
    if target.exists():
        # A blank form over a filled-in one would lose a department's entries: never replace a file.
        raise UsageError([Problem.at("cli_template_exists", Location(""), out=str(target))])
    try:
        sheets = write_template(scheme, target, args.units, args.lang)
    except OSError as err:
        raise UsageError([Problem.at("cli_output", Location(str(target)), reason=err.strerror or str(err))]) from None
    print(_say(args.lang, f"已写入 {target}（工作表: {'、'.join(sheets)}）", f"wrote {target} (sheets: {', '.join(sheets)})"))
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    """Print the shipped schema's path, or (--write) copy it where schemes can name it."""
    from engine.resources import schema_file
    from engine.scaffold import write_schema

    path = schema_file()
    if args.write is not None:
        folder = Path(args.write)
        if folder.is_file():
            raise UsageError([Problem.at("cli_out_folder_is_file", Location(args.write))])
        try:
            path, _ = write_schema(folder)
        except OSError as err:
            raise UsageError([Problem.at("cli_output", Location(str(folder)), reason=err.strerror or str(err))]) from None
    elif not path.is_file():
        # Never print a path that is not there: an installation missing its data is broken.
        raise UsageError([Problem.at("file_not_found", Location(str(path)))])
    print(path)
    print(_say(args.lang, "在方案文件第一行写 # yaml-language-server: $schema=<相对于方案文件的路径>，VS Code 的 YAML 插件即可补全键名并显示中文说明。"
               "kaohe schema --write 方案文件夹/ 可复制一份放在方案旁边。",
               "Put '# yaml-language-server: $schema=<path relative to the scheme>' on a scheme's first line for completion in VS Code's YAML extension; "
               "kaohe schema --write FOLDER/ copies it beside your schemes."),
          file=sys.stderr)
    return 0


def scenario_files(paths: t.Sequence[str]) -> list[Path]:
    """Test files named by ``paths``: a test file itself, a scheme file's or
    folder's ``tests/*.yaml``, and for a folder of schemes each one's."""
    found: list[Path] = []
    for given in map(Path, paths):
        if given.is_file():
            is_test = given.parent.name in ("tests", "cases") or _has_cases(given)
            found += [given] if is_test else sorted(given.parent.glob("tests/*.yaml"))
        elif given.is_dir():
            found += sorted(given.glob("tests/*.yaml")) + sorted(given.glob("*/tests/*.yaml"))
        else:
            raise UsageError([Problem.at("file_not_found", Location(str(given)))])
    return list(dict.fromkeys(found))


def _has_cases(path: Path) -> bool:
    """Whether a YAML file is a scenario file (a top-level ``cases:``) rather than a scheme."""
    try:
        return any(line.startswith("cases:") for line in path.read_text(encoding="utf-8-sig").splitlines())
    except (OSError, UnicodeDecodeError):
        return False


def cmd_test(args: argparse.Namespace) -> int:
    from engine.scenarios import load_scenario, run_case

    files = scenario_files(args.paths)
    if not files:
        raise UsageError([Problem.at("scenario_none_found", Location(", ".join(args.paths)))])
    passed = failed = 0
    for file in files:
        try:
            scenario = load_scenario(file)
        except KaoheError as err:
            _print_problems(err.problems, args.lang)
            failed += 1
            continue
        if not scenario.cases:
            print(_say(args.lang, f"- {file}: 还没有用例（待填写）", f"- {file}: no cases yet (to be written)"))
            continue
        for index, case in enumerate(scenario.cases):
            name = f"{file}: {case['name']}"
            try:
                failures = run_case(scenario.scheme, case, file.parent, args.lang)
            except KaoheError as err:
                # The data written from the case lives in a temporary folder: say which case and table.
                print(f"✗ {name}", file=sys.stderr)
                _print_problems([_in_case(p, scenario, index) for p in err.problems], args.lang)
                failed += 1
                continue
            except (KeyError, TypeError, ValueError, AttributeError) as err:
                # A shape the loader does not check (e.g. inside earlier:/recorded:): name the case, not a traceback.
                print(f"✗ {name}", file=sys.stderr)
                _print_problems([Problem.at("scenario_bad_case", scenario.case_location(index), reason=f"{type(err).__name__}: {err}")], args.lang)
                failed += 1
                continue
            if failures:
                print(f"✗ {name}", file=sys.stderr)
                for line in failures:
                    print(f"    {line}", file=sys.stderr)
                failed += 1
            else:
                print(f"✓ {name}")
                passed += 1
    total = passed + failed
    print(_say(args.lang, f"共 {total} 个用例: {passed} 个通过，{failed} 个未通过。",
               f"{total} case(s): {passed} passed, {failed} failed."), file=sys.stderr if failed else sys.stdout)
    return 1 if failed else 0


def _in_case(problem: Problem, scenario: t.Any, index: int) -> Problem:
    """A data problem of a scenario, pointed back at the case's YAML.

    The case's tables were written to CSV files in a temporary folder; row
    ``n`` of ``得分.csv`` is ``data.得分[n-2]`` of the case when the table
    uses no shorthand (``_repeat``, ``"*"``) that changes the row count.
    """
    location = problem.location
    if not location.file.endswith(".csv"):
        return problem
    table = Path(location.file).stem
    rows = scenario.cases[index].get("data", {}).get(table)
    plain = isinstance(rows, list) and not any(
        isinstance(row, dict) and ("_repeat" in row or "*" in row.values()) for row in rows)
    if plain and location.line and 0 <= location.line - 2 < len(rows):
        yaml_location = scenario.case_location(index, "data", table, location.line - 2)
        column = location.column if isinstance(location.column, str) else None
        if column and isinstance(rows[location.line - 2], dict) and column in rows[location.line - 2]:
            yaml_location = scenario.case_location(index, "data", table, location.line - 2, column)
        return dataclasses.replace(problem, location=yaml_location)
    return dataclasses.replace(problem, location=dataclasses.replace(location, file=f"{scenario.file} data.{table}"))


def cmd_demo(args: argparse.Namespace) -> int:
    """Score the bundled 党员积分制 scheme, and write its reports (and the factory
    scheme's, which has 整改通知书) under ``--out`` in the current folder."""
    from engine.compiler import compile_scheme
    from engine.inherit import load_scheme
    from engine.render import to_markdown
    from engine.reports import KINDS
    from engine.reports import Settings as ReportSettings
    from engine.resources import bundled_scheme

    out = output_folder(args.out)
    demo = bundled_scheme(DEMO)
    if Path(_rel(demo)).is_absolute():
        # Installed, the scheme sits deep in site-packages: give the user a copy beside the reports to read and edit.
        import shutil

        copy = out / "方案" / DEMO
        if not copy.exists():
            shutil.copytree(demo.parent, copy, ignore=shutil.ignore_patterns("__pycache__"))
        demo = copy / demo.name
    scheme, data = _rel(demo), _rel(demo.parent / "data")
    outcomes = _prepare(scheme, [data], args.lang, args, details=True)
    sys.stdout.write(to_markdown(outcomes, args.lang))
    settings = ReportSettings(datetime.date.today(), None, args.lang)
    written = write_all_reports(outcomes, out / DEMO, KINDS, settings, "html")
    factory = bundled_scheme(DEMO_NOTICES)
    factory_scheme, _ = compile_scheme(load_scheme(factory))
    factory_outcomes = _score(factory_scheme, [_rel(factory.parent / "data")], args.lang, details=True, quiet=bool(args.quiet))
    written += write_all_reports(factory_outcomes, out / "factory", KINDS, settings, "html")
    print(_say(args.lang, "\n报表（公示、评分表、整改通知书、汇总、Excel）已写入:", "\nReports (公示, score sheets, notices, summary, Excel) written:"))
    for path in written:
        print(f"  {_rel(path.resolve())}")
    print(_say(
        args.lang,
        f"\n下一步: 看某人的得分是怎么算出来的\n  kaohe explain {scheme} --data {data} --unit D002\n或导出 JSON:\n  kaohe run {scheme} --data {data} --format json"
        f"\n在这个方案的基础上写自己的方案:\n  kaohe new 我的方案 --from {DEMO}"
        f"\n在浏览器中查看、修改、计算和试算这些方案（本机工作台）:\n  kaohe serve {_rel(demo.parent.parent)}",
        f"\nNext: see how one member's score came about\n  kaohe explain {scheme} --data {data} --unit D002\nor export JSON:\n  kaohe run {scheme} --data {data} --format json"
        f"\nWrite your own scheme starting from this one:\n  kaohe new my-scheme --from {DEMO}"
        f"\nRead, edit, assess and try out these schemes in a browser (a local workbench):\n  kaohe serve {_rel(demo.parent.parent)}",
    ))
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from engine.serve.server import serve

    return serve(args.folders, args.host, args.port, args.token, args.lang, Path(args.history))


def _rel(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)
