"""The ``kaohe`` command line's grammar: ``build_parser`` and the argparse
subclasses that make its help and its usage errors speak the chosen language.

A usage error becomes a located, translated problem (:func:`usage_problem`)
instead of argparse's English and exit; the help is in the language of the
command line (``--lang``/KAOHE_LANG). Light on purpose: ``kaohe --version``
and ``--help`` must not pay for numpy, jinja2 or jsonschema
(tests/test_cli_options.py checks), so the commands' modules import their
stages inside their functions.
"""

from __future__ import annotations

import argparse
import os
import re
import typing as t
from pathlib import Path

from engine import __version__
from engine.cli.authoring import cmd_draft, cmd_new, cmd_schema, cmd_show, cmd_template
from engine.cli.checking import cmd_test, cmd_validate
from engine.cli.common import HISTORY_FILE, REPORT_KINDS, say
from engine.cli.demo import cmd_demo, cmd_serve
from engine.cli.diff import cmd_diff
from engine.cli.report import cmd_report
from engine.cli.run import FORMATS, cmd_explain, cmd_run
from engine.errors import Location, Problem
from engine.messages import Text, closest, help_text

if t.TYPE_CHECKING:
    from engine.context import Lang


class ArgumentError(Exception):
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

    def __init__(self, *args: t.Any, lang: Lang = "zh", help_option: bool = True, **kwargs: t.Any) -> None:
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
        raise ArgumentError(self.prog, message)


def _env_lang() -> Lang:
    """The language KAOHE_LANG asks for (zh unless it says en)."""
    return "en" if os.environ.get("KAOHE_LANG", "").strip().lower().startswith("en") else "zh"


def requested_lang(argv: t.Sequence[str]) -> Lang:
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


def usage_problem(parser: argparse.ArgumentParser, argv: t.Sequence[str], err: ArgumentError) -> Problem:
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


def build_parser(lang: Lang = "zh") -> argparse.ArgumentParser:
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
    exp.add_argument("--format", choices=["text", "json", "md", "html"], default="text", help=h("explain.format"))
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
                        help=h("report.format") + say(lang, "；docx（Word，公文格式）或 pdf（需 LibreOffice）", "; docx (Word, 公文 layout) or pdf (needs LibreOffice)"))
    report.add_argument("--by", metavar="GROUP", help=say(lang, "按分组分别成文（写方案的分组名称，如 党支部，或 group）：每组一个文件夹，另有目录；仅 docx/pdf",
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
