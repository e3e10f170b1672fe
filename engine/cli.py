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
import re
import sys

import yaml
import typing as t
from pathlib import Path

from engine import __version__, history
from engine.compiler import check_scheme, compile_scheme
from engine.data import read_dataset
from engine.errors import KaoheError, Location, Problem, UsageError
from engine.evaluate import evaluate
from engine.grade import Outcomes, decide
from engine.history import DEFAULT_FILE
from engine.loader import load_scheme, load_scheme_file
from engine.messages import Text, closest
from engine.model import Scheme
from engine.diff import change_kind_title, diff_outcomes, diff_schemes
from engine.overrides import apply_overrides, sweep_values
from engine.render import diff_document, diff_markdown, explain, to_csv, to_json, to_markdown, write_atomic
from engine.reports import KINDS, notice_units, render_kind, write_reports, write_workbook
from engine.reports import Settings as ReportSettings

ROOT = Path(__file__).resolve().parent.parent
DEMO_SCHEME = ROOT / "schemes" / "jifenzhi" / "jifenzhi.yaml"
DEMO_DATA = ROOT / "schemes" / "jifenzhi" / "data"

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


class _Parser(argparse.ArgumentParser):
    """An argparse parser whose usage errors become located, translated problems.

    argparse prints English and exits 2; a clerk gets the same kind of
    message as for a bad scheme (Chinese by default, a hint, exit 1).
    """

    def error(self, message: str) -> t.NoReturn:
        raise _ArgumentError(self.prog, message)


def _requested_lang(argv: t.Sequence[str]) -> str:
    """The ``--lang`` of a command line that may not have parsed."""
    for index, token in enumerate(argv):
        if token == "--lang=en" or (token == "--lang" and argv[index + 1:index + 2] == ["en"]):
            return "en"
    return "zh"


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


def build_parser() -> argparse.ArgumentParser:
    # --lang may come before or after the command. The subcommands' copy has no
    # default, or it would overwrite `kaohe --lang en run …` with zh.
    common = _Parser(add_help=False)
    common.add_argument("--lang", choices=("zh", "en"), default=argparse.SUPPRESS, help="message language (default zh)")

    parser = _Parser(prog="kaohe", description="考核方案引擎 — assessment schemes written in YAML.")
    parser.add_argument("--lang", choices=("zh", "en"), default="zh", help="message language (default zh)")
    parser.add_argument("--version", action="version", version=f"kaohe {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    validate = sub.add_parser("validate", parents=[common], help="check scheme files; every problem with its line")
    validate.add_argument("schemes", nargs="+", metavar="SCHEME")
    validate.set_defaults(handler=cmd_validate)

    run = sub.add_parser("run", parents=[common], help="score, grade and rank the units in the data")
    run.add_argument("scheme", metavar="SCHEME")
    run.add_argument("--data", nargs="+", required=True, metavar="PATH", help="CSV/XLSX files or folders")
    run.add_argument("--format", choices=sorted(FORMATS), default="md", help="md (default), csv, json, html (公示), xlsx (needs --out)")
    run.add_argument("--out", metavar="DIR", help="write results.<format> into DIR instead of printing")
    _history_options(run, record=True)
    run.set_defaults(handler=cmd_run)

    exp = sub.add_parser("explain", parents=[common], help="show every step of one unit's score")
    exp.add_argument("scheme", metavar="SCHEME")
    exp.add_argument("--data", nargs="+", required=True, metavar="PATH")
    exp.add_argument("--unit", required=True, metavar="ID")
    _history_options(exp, record=False)
    exp.set_defaults(handler=cmd_explain)

    diff = sub.add_parser("diff", parents=[common], help="compare two versions of a scheme over the same data")
    diff.add_argument("schemes", nargs="+", metavar="SCHEME", help="OLD [NEW]; with one scheme, NEW is OLD with --set applied")
    diff.add_argument("--data", nargs="+", required=True, metavar="PATH")
    diff.add_argument("--set", action="append", default=[], metavar="PATH=VALUE", dest="assignments",
                      help="change the (new) scheme, e.g. params.base_weight.value=0.7 (repeatable)")
    diff.add_argument("--sweep", metavar="PATH=FROM:TO:STEP", help="try a range of values for one path")
    diff.add_argument("--format", choices=("md", "json", "html"), default="md")
    diff.add_argument("--out", metavar="DIR", help="write diff.<format> into DIR instead of printing")
    _history_options(diff, record=False)
    diff.set_defaults(handler=cmd_diff)

    show = sub.add_parser("show", parents=[common], help="print a scheme with extends resolved (YAML)")
    show.add_argument("scheme", metavar="SCHEME")
    show.add_argument("--changes", action="store_true", help="list what differs from the scheme it extends")
    show.set_defaults(handler=cmd_show)

    new = sub.add_parser("new", parents=[common], help="create a new scheme folder (blank, or extending another scheme)")
    new.add_argument("name", metavar="NAME")
    new.add_argument("--from", dest="source", metavar="SCHEME", help="the scheme to start from (written as extends)")
    new.add_argument("--dir", default="schemes", metavar="FOLDER", help="where to create it (default schemes/)")
    new.set_defaults(handler=cmd_new)

    template = sub.add_parser("template", parents=[common], help="write a data-entry workbook (XLSX) for a scheme")
    template.add_argument("scheme", metavar="SCHEME")
    template.add_argument("--out", required=True, metavar="FILE.xlsx")
    template.add_argument("--units", type=int, metavar="N", help="how many units will be entered (rows prepared per sheet; default 200)")
    template.set_defaults(handler=cmd_template)

    schema = sub.add_parser("schema", parents=[common], help="print the path of the scheme JSON Schema (for editors)")
    schema.set_defaults(handler=cmd_schema)

    report = sub.add_parser("report", parents=[common], help="write 公示, score sheets, 整改通知书, summary and an Excel workbook")
    report.add_argument("scheme", metavar="SCHEME")
    report.add_argument("--data", nargs="+", required=True, metavar="PATH")
    report.add_argument("--out", required=True, metavar="DIR")
    report.add_argument("--kind", choices=("all",) + KINDS, default="all")
    report.add_argument("--format", choices=("html", "md"), default="html")
    report.add_argument("--date", metavar="YYYY-MM-DD", help="publication date (default today)")
    _history_options(report, record=False)
    report.set_defaults(handler=cmd_report)

    test = sub.add_parser("test", parents=[common], help="run the YAML scenario tests of schemes (their tests/*.yaml)")
    test.add_argument("paths", nargs="*", default=["schemes"], metavar="PATH",
                      help="scheme files, scheme folders or test files (default schemes/)")
    test.set_defaults(handler=cmd_test)

    demo = sub.add_parser("demo", parents=[common], help="run the bundled 党员积分制 example and write its reports")
    demo.add_argument("--out", default="out/demo", metavar="DIR", help="where the demo reports go (default out/demo)")
    demo.set_defaults(handler=cmd_demo)
    return parser


def _history_options(command: argparse.ArgumentParser, record: bool) -> None:
    command.add_argument("--period", metavar="PERIOD", help="this run's period, e.g. 2024 (needed for history)")
    command.add_argument("--history", metavar="FILE", default=DEFAULT_FILE, help=f"history database (default {DEFAULT_FILE})")
    command.add_argument("--results", nargs="+", metavar="JSON", default=[],
                         help="other schemes' results (kaohe run --format json) for same-period references")
    if record:
        command.add_argument("--record", action="store_true", help="store this period's outcomes in the history")


def main(argv: t.Sequence[str] | None = None) -> int:
    parser = build_parser()
    tokens = list(sys.argv[1:] if argv is None else argv)
    try:
        args = parser.parse_args(tokens)
    except _ArgumentError as err:
        lang = _requested_lang(tokens)
        _print_problems([usage_problem(parser, tokens, err)], lang)
        print(_say(lang, "共 1 个错误。", "1 error(s)."), file=sys.stderr)
        return USAGE_ERROR
    if not getattr(args, "handler", None):
        parser.print_usage(sys.stderr)
        _print_problems([Problem.at("cli_no_command", Location("kaohe"))], args.lang)
        return USAGE_ERROR
    try:
        result: int = args.handler(args)
        return result
    except KaoheError as err:
        _print_problems(err.problems, args.lang)
        count = len(err.problems)
        print(_say(args.lang, f"共 {count} 个错误。", f"{count} error(s)."), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(_say(args.lang, "已中断。", "interrupted."), file=sys.stderr)
        return 130


def cmd_validate(args: argparse.Namespace) -> int:
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
            count = len(err.problems)
            print(_say(args.lang, f"✗ {file}: {count} 个错误", f"✗ {file}: {count} error(s)"), file=sys.stderr)
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


def _prepare(scheme_file: str, data: t.Sequence[str], lang: str, args: argparse.Namespace | None = None, details: bool = False) -> Outcomes:
    scheme, warnings = compile_scheme(load_scheme(scheme_file))
    _print_problems(warnings, lang)
    period = getattr(args, "period", None)
    recording = bool(getattr(args, "record", False))
    if recording and not period:
        raise UsageError([Problem.at("history_needs_period", Location("--period"))])
    if scheme.history and not period:
        # Without a period there is no "earlier": history rules see none, and the output says so once.
        _print_problems([Problem.at("data_history_no_period", Location("--period"), "warning")], lang)
    history_file = Path(getattr(args, "history", DEFAULT_FILE))
    documents = [_load_results(Path(f)) for f in getattr(args, "results", [])]
    outcomes = _score(scheme, data, lang, history_file if scheme.history else None, period, documents, details)
    if recording:
        assert period is not None
        count = history.record(history_file, outcomes, period)
        print(_say(lang, f"已记录 {scheme.id} {period} 期 {count} 个单位的结果到 {history_file}",
                   f"recorded {count} units of {scheme.id} period {period} in {history_file}"), file=sys.stderr)
    return outcomes


def _progress(lang: str) -> t.Callable[[str, int, bool], None]:
    """Report large files as they are read (small ones stay quiet)."""

    def report(file: str, rows: int, finished: bool) -> None:
        if rows >= 20_000:
            text = (_say(lang, f"已读取 {file}: {rows:,} 行", f"read {file}: {rows:,} rows") if finished
                    else _say(lang, f"正在读取 {file}: 已读 {rows:,} 行…", f"reading {file}: {rows:,} rows so far…"))
            print(text, file=sys.stderr, flush=True)

    return report


def _load_results(path: Path) -> dict[str, t.Any]:
    """A results document written by ``kaohe run --format json``."""
    try:
        document: dict[str, t.Any] = json.loads(path.read_text(encoding="utf-8"))
        document["scheme"]["id"], document["units"]  # noqa: B018 (shape check)
    except FileNotFoundError:
        raise UsageError([Problem.at("file_not_found", Location(str(path)))]) from None
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise UsageError([Problem.at("results_unreadable", Location(str(path)), reason=str(err))]) from None
    return document


#: Read datasets kept by ``kaohe diff`` (versions and sweep points share their data).
DatasetCache = list[tuple[tuple[t.Any, ...], t.Any]]


def _reading_of(scheme: Scheme) -> tuple[t.Any, ...]:
    """What of a scheme the data reader depends on: two schemes equal here read the same files alike.

    Positions are left out: a ``--set`` variant has the same declarations
    under another file label. Anything not comparable makes the cache miss,
    which only costs a second read.
    """
    # Of the grades, the reader only checks a hand-given grade against its band values.
    manual = scheme.manual
    hand_graded = tuple((g.id, g.title, tuple(b.result for b in g.bands)) for g in scheme.grades if manual and g.id == manual.grade)
    key: tuple[t.Any, ...] = _declarations((scheme.inputs, scheme.dimensions, manual, hand_graded, scheme.corrections,
                                            scheme.subject, scheme.unit_types, scheme.group_title))
    return key


def _declarations(value: t.Any) -> t.Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return (type(value).__name__,) + tuple(
            (f.name, _declarations(getattr(value, f.name))) for f in dataclasses.fields(value) if f.name != "location")
    if isinstance(value, t.Mapping):
        return tuple((k, _declarations(v)) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return tuple(_declarations(v) for v in value)
    return value


def _read(scheme: Scheme, data: t.Sequence[str], lang: str, cache: DatasetCache | None) -> t.Any:
    """Read the data for ``scheme``, once per distinct reading when a cache is given."""
    key = _reading_of(scheme)
    for known, dataset in cache or ():
        if known == key:
            return dataset
    dataset = read_dataset(scheme, data, progress=_progress(lang))
    _print_problems(dataset.warnings, lang)
    if cache is not None:
        cache.append((key, dataset))
    return dataset


def _score(scheme: Scheme, data: t.Sequence[str], lang: str, history_file: Path | None = None, period: str | None = None,
           documents: t.Sequence[dict[str, t.Any]] = (), details: bool = False, cache: DatasetCache | None = None) -> Outcomes:
    dataset = _read(scheme, data, lang, cache)
    if scheme.history and period is None:
        dataset = dataclasses.replace(dataset, columns={**dataset.columns, **history.no_earlier(scheme, len(dataset.units))})
    elif history_file is not None and period is not None:
        given = {doc["scheme"]["id"] for doc in documents}
        earlier, notes = history.lookup(history_file, scheme, period, dataset.units.ids)
        # A results file given on the command line answers for its scheme instead of the history.
        _print_problems([p for p in notes if dict(p.args).get("scheme") not in given], lang)
        columns = history.from_documents(documents, scheme, dataset.units.ids, {**dataset.columns, **earlier})
        dataset = dataclasses.replace(dataset, columns=columns)
    results = evaluate(scheme, dataset, details=details)
    _print_problems(results.warnings, lang)
    outcomes = decide(results)
    _print_problems(outcomes.warnings, lang)
    return outcomes


def _render(outcomes: Outcomes, fmt: str, lang: str) -> str:
    if fmt == "json":
        return to_json(outcomes)
    return to_csv(outcomes, lang) if fmt == "csv" else to_markdown(outcomes, lang)


def cmd_run(args: argparse.Namespace) -> int:
    outcomes = _prepare(args.scheme, args.data, args.lang, args)
    if args.format == "xlsx":
        if not args.out:
            raise UsageError([Problem.at("cli_needs_out", Location("--format xlsx"))])
        target = output_path(args.out, "results.xlsx")
        try:
            write_workbook(outcomes, target, args.lang)
        except OSError as err:
            raise UsageError([Problem.at("cli_output", Location(str(target)), reason=err.strerror or str(err))]) from None
        print(_say(args.lang, f"已写入 {target}", f"wrote {target}"))
        return 0
    if args.format == "html":
        text = render_kind(outcomes, "gongshi", ReportSettings(datetime.date.today(), getattr(args, "period", None), args.lang))
    else:
        text = _render(outcomes, args.format, args.lang)
    name, encoding = FORMATS[args.format]
    _emit(text, output_path(args.out, name) if args.out else None, args.lang, encoding)
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


def output_folder(out: str) -> Path:
    """The ``--out`` folder of a command that writes several files; checked before any work."""
    path = Path(out)
    if path.is_file():
        raise UsageError([Problem.at("cli_out_folder_is_file", Location(out))])
    return path


def _emit(text: str, target: Path | None, lang: str, encoding: str = "utf-8") -> None:
    """Print ``text``, or write it atomically to ``target`` and say where."""
    if target is None:
        sys.stdout.write(text)
        return
    try:
        write_atomic(target, text, encoding)
    except OSError as err:
        raise UsageError([Problem.at("cli_output", Location(str(target)), reason=err.strerror or str(err))]) from None
    print(_say(lang, f"已写入 {target}", f"wrote {target}"))


def cmd_explain(args: argparse.Namespace) -> int:
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
    sys.stdout.write(explain(outcomes, index, args.lang))
    return 0


def cmd_diff(args: argparse.Namespace) -> int:
    if len(args.schemes) > 2:
        _print_problems([Problem.at("diff_too_many", Location("kaohe diff"), count=len(args.schemes))], args.lang)
        return USAGE_ERROR
    old_raw = load_scheme(args.schemes[0])
    new_raw = load_scheme(args.schemes[1]) if len(args.schemes) == 2 else old_raw
    if len(args.schemes) == 1 and not args.assignments and not args.sweep:
        raise UsageError([Problem.at("diff_needs_change", Location("kaohe diff"))])
    if args.assignments:
        new_raw = apply_overrides(new_raw, args.assignments)
    old, old_warnings = compile_scheme(old_raw)
    new, new_warnings = compile_scheme(new_raw)
    _print_problems(sorted(set(old_warnings) | set(new_warnings), key=Problem.sort_key), args.lang)
    if old.subject != new.subject:
        raise UsageError([Problem.at("diff_incompatible", Location(new.file), old=old.subject or "—", new=new.subject or "—")])
    period = args.period
    history_file = Path(args.history)
    documents = [_load_results(Path(f)) for f in args.results]
    cache: DatasetCache = []
    before = _score(old, args.data, args.lang, history_file if old.history else None, period, documents, cache=cache)
    after = _score(new, args.data, args.lang, history_file if new.history else None, period, documents, cache=cache)
    changes = diff_schemes(old, new)
    outcome = diff_outcomes(before, after)
    sweep = None
    if args.sweep:
        path, values = sweep_values(args.sweep)
        points = []
        for value in values:
            variant, _ = compile_scheme(apply_overrides(new_raw, [f"{path}={value}"]))
            tried = _score(variant, args.data, args.lang, history_file if variant.history else None, period, documents, cache=cache)
            moved = diff_outcomes(before, tried)
            counts: dict[str, int] = {}
            for unit in moved.units:
                counts[unit.new_grade or "—"] = counts.get(unit.new_grade or "—", 0) + 1
            points.append({
                "value": value,
                "grades": "、".join(f"{k} {v}" for k, v in counts.items()),
                "grade_changes": moved.grade_changes,
                "spearman": moved.spearman,
            })
        sweep = {"path": path, "points": points}
    if args.format == "json":
        text = json.dumps(diff_document(old, new, changes, outcome, sweep), ensure_ascii=False, indent=2) + "\n"
    elif args.format == "html":
        text = diff_markdown(old, new, changes, outcome, args.lang, sweep, "diff.html.j2")
    else:
        text = diff_markdown(old, new, changes, outcome, args.lang, sweep)
    _emit(text, output_path(args.out, f"diff.{args.format}") if args.out else None, args.lang)
    return 0


def _report_date(text: str | None) -> datetime.date:
    if not text:
        return datetime.date.today()
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise UsageError([Problem.at("cli_bad_date", Location("--date"), found=text)]) from None


def write_all_reports(outcomes: Outcomes, out: Path, kinds: t.Sequence[str], settings: ReportSettings, fmt: str) -> list[Path]:
    try:
        written = write_reports(outcomes, out, kinds, settings, fmt)
        if fmt == "html":
            written.append(write_workbook(outcomes, out / "results.xlsx", settings.lang))
    except OSError as err:
        raise UsageError([Problem.at("cli_output", Location(str(out)), reason=err.strerror or str(err))]) from None
    return written


def cmd_report(args: argparse.Namespace) -> int:
    out = output_folder(args.out)
    outcomes = _prepare(args.scheme, args.data, args.lang, args, details=True)
    settings = ReportSettings(_report_date(args.date), args.period, args.lang)
    kinds: tuple[str, ...] = KINDS if args.kind == "all" else (args.kind,)
    if not outcomes.results.scheme.parts:
        # A classification scheme has no scores: score sheets and the score distribution would be empty pages.
        unscored = [k for k in kinds if k in ("sheets", "summary")]
        kinds = tuple(k for k in kinds if k not in unscored)
        if unscored:
            print(_say(args.lang, "这是不计分的分类方案，不生成评分表和汇总（得分分布）。",
                       "a classification scheme has no scores: no score sheets or summary are written."), file=sys.stderr)
    written = write_all_reports(outcomes, out, kinds, settings, args.format)
    if "notices" in kinds and not notice_units(outcomes):
        print(_say(args.lang, "没有需要下达整改通知书的单位（或方案未设置 reports.notices）。",
                   "no unit gets a rectification notice (or the scheme sets no reports.notices)."), file=sys.stderr)
    print(_say(args.lang, "已写入:", "wrote:"))
    for path in written:
        print(f"  {path}")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    raw = load_scheme(args.scheme)
    if not args.changes:
        sys.stdout.write(yaml.safe_dump(raw.data, allow_unicode=True, sort_keys=False, width=120))
        return 0
    own = load_scheme_file(args.scheme)
    if "extends" not in own.data:
        print(_say(args.lang, f"{args.scheme} 没有 extends，是一个完整的方案。", f"{args.scheme} has no extends; it is a complete scheme."))
        return 0
    parent_file = (Path(args.scheme).resolve().parent / own.data["extends"]).resolve()
    parent, _ = compile_scheme(load_scheme(parent_file))
    child, _ = compile_scheme(raw)
    changes = diff_schemes(parent, child)
    print(_say(args.lang, f"{args.scheme} 相对于 {own.data['extends']} 的改动（{len(changes)} 处）:",
               f"{args.scheme} compared with {own.data['extends']} ({len(changes)} changes):"))
    for change in changes:
        kind = change_kind_title(change.kind)
        print(f"  {kind.en if args.lang == 'en' else kind.zh} {change.id}（{change.title}）: {change.old or '—'} → {change.new or '—'}")
    return 0


def cmd_new(args: argparse.Namespace) -> int:
    from engine.scaffold import create

    files = create(args.name, Path(args.dir), Path(args.source) if args.source else None)
    print(_say(args.lang, "已创建:", "created:"))
    for file in files:
        print(f"  {file}")
    scheme_file = files[0]
    print(_say(args.lang, f"下一步: kaohe validate {scheme_file}，再写好 tests/ 中的用例后运行 kaohe test {scheme_file}",
               f"next: kaohe validate {scheme_file}; write the cases in tests/, then kaohe test {scheme_file}"))
    return 0


def cmd_template(args: argparse.Namespace) -> int:
    from engine.template import write_template

    scheme, warnings = compile_scheme(load_scheme(args.scheme))
    _print_problems(warnings, args.lang)
    target = Path(args.out)
    if target.is_dir() or args.out.endswith(("/", "\\")):
        target = target / f"{scheme.id}-填报表.xlsx"
    elif target.suffix.lower() != ".xlsx":
        target = target.with_suffix(".xlsx")
    try:
        sheets = write_template(scheme, target, args.units, args.lang)
    except OSError as err:
        raise UsageError([Problem.at("cli_output", Location(str(target)), reason=err.strerror or str(err))]) from None
    print(_say(args.lang, f"已写入 {target}（工作表: {'、'.join(sheets)}）", f"wrote {target} (sheets: {', '.join(sheets)})"))
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    from engine.validate import SCHEMA_FILE

    print(SCHEMA_FILE)
    print(_say(args.lang, "在方案文件第一行写 # yaml-language-server: $schema=<此路径>，VS Code 的 YAML 插件即可补全键名并显示中文说明。",
               "Put '# yaml-language-server: $schema=<this path>' on a scheme's first line for completion in VS Code's YAML extension."),
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
    out = output_folder(args.out)
    outcomes = _prepare(_rel(DEMO_SCHEME), [_rel(DEMO_DATA)], args.lang, details=True)
    sys.stdout.write(to_markdown(outcomes, args.lang))
    scheme = _rel(DEMO_SCHEME)
    data = _rel(DEMO_DATA)
    # The printable reports, for this scheme and for the factory scheme (which has 整改通知书).
    settings = ReportSettings(datetime.date.today(), None, args.lang)
    written = write_all_reports(outcomes, out / "jifenzhi", KINDS, settings, "html")
    factory = ROOT / "schemes" / "chuangxian-zhengyou-factory" / "chuangxian-zhengyou-factory.yaml"
    factory_scheme, _ = compile_scheme(load_scheme(factory))
    factory_outcomes = _score(factory_scheme, [_rel(factory.parent / "data")], args.lang, details=True)
    written += write_all_reports(factory_outcomes, out / "factory", KINDS, settings, "html")
    print(_say(args.lang, "\n报表（公示、评分表、整改通知书、汇总、Excel）已写入:", "\nReports (公示, score sheets, notices, summary, Excel) written:"))
    for path in written:
        print(f"  {_rel(path.resolve())}")
    print(_say(
        args.lang,
        f"\n下一步: 看某人的得分是怎么算出来的\n  kaohe explain {scheme} --data {data} --unit D002\n或导出 JSON:\n  kaohe run {scheme} --data {data} --format json",
        f"\nNext: see how one member's score came about\n  kaohe explain {scheme} --data {data} --unit D002\nor export JSON:\n  kaohe run {scheme} --data {data} --format json",
    ))
    return 0


def _rel(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)
