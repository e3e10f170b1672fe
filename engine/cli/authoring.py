"""The authoring commands: ``show`` (a scheme resolved, or what it changes of the
one it extends), ``new`` (a scheme folder), ``draft`` (a scheme drafted from a
document), ``template`` (a blank data-entry workbook) and ``schema`` (the JSON
schema editors complete from)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from engine.cli.common import context, print_problems, rel, say
from engine.errors import Location, Problem, UsageError


def cmd_show(args: argparse.Namespace) -> int:
    import yaml

    from engine.diff import change_kind_title
    from engine.inherit import load_scheme
    from engine.own_changes import own_changes

    if not args.changes:
        raw = load_scheme(args.scheme)
        sys.stdout.write(yaml.safe_dump(raw.data, allow_unicode=True, sort_keys=False, width=120))
        return 0
    found = own_changes(args.scheme)
    if found is None:
        print(say(args.lang, f"{args.scheme} 没有 extends，是一个完整的方案。", f"{args.scheme} has no extends; it is a complete scheme."))
        return 0
    print(say(args.lang, f"{args.scheme} 相对于 {found.extends} 的改动（{found.count} 处）:",
              f"{args.scheme} compared with {found.extends} ({found.count} changes):"))
    kind = change_kind_title("setting")
    for key, before, after in found.settings:
        print(f"  {kind.en if args.lang == 'en' else kind.zh} {key}: {before or '—'} → {after or '—'}")
    for change in found.changes:
        kind = change_kind_title(change.kind)
        print(f"  {kind.en if args.lang == 'en' else kind.zh} {change.id}（{change.title}）: {change.old or '—'} → {change.new or '—'}")
    return 0


def cmd_new(args: argparse.Namespace) -> int:
    from engine.scaffold import create, scheme_id

    files = create(args.name, Path(args.dir), Path(args.source) if args.source else None, args.ident)
    print(say(args.lang, "已创建:", "created:"))
    for file in files:
        print(f"  {rel(file.resolve())}")
    scheme_file = files[0]
    ident = scheme_id(args.name, args.ident)
    if ident != args.name and not args.ident:
        print(say(args.lang, f"方案编号（id）为 {ident}，用于结果文件和历史数据；可在方案文件中改成有意义的英文编号，或新建时用 --id 指定。",
                   f"the scheme id is {ident} (used in results and the history); change it in the scheme file, or give --id when creating."))
    print(say(args.lang, f"下一步: kaohe validate {scheme_file}，再写好 tests/ 中的用例后运行 kaohe test {scheme_file}",
               f"next: kaohe validate {scheme_file}; write the cases in tests/, then kaohe test {scheme_file}"))
    return 0


def cmd_draft(args: argparse.Namespace) -> int:
    from engine.draft import draft

    out = Path(args.out) if args.out else Path(f"{Path(args.document).stem}-草稿")
    result = draft(Path(args.document), out, args.part, args.lines, context(args))
    print_problems(result.warnings, args.lang)
    print(say(args.lang, "已写入:", "wrote:"))
    for file in result.files:
        print(f"  {file}")
    print(say(args.lang, f"{len(result.draft.inputs)} 个输入项；{result.unread} 句待确认（见 {result.files[-1]}）。下一步: kaohe validate {result.files[0]}",
               f"{len(result.draft.inputs)} inputs; {result.unread} sentence(s) to confirm (see {result.files[-1]}). Next: kaohe validate {result.files[0]}"))
    return 0


def cmd_template(args: argparse.Namespace) -> int:
    from engine.outputs import template_target, write_blank_template
    from engine.pipeline import load
    from engine.template import LAST_ROW

    if args.units is not None and args.units < 1:
        raise UsageError([Problem.at("cli_template_units_low", Location(""), found=args.units)])
    if args.units is not None and args.units > LAST_ROW - 1:
        # Rows are prepared per unit: a billion would run for hours and still not fit a sheet.
        raise UsageError([Problem.at("cli_template_units", Location(""), found=args.units, cap=LAST_ROW - 1)])
    run = context(args)
    scheme = load(args.scheme, run)
    target, renamed = template_target(args.out, scheme)
    if renamed:
        print(say(args.lang, f"--out {args.out} 不是 .xlsx 文件名，改为写入 {target}", f"--out {args.out} is not an .xlsx name: writing {target} instead"),
              file=sys.stderr)
    sheets = write_blank_template(scheme, target, args.out, args.units, run)
    print(say(args.lang, f"已写入 {target}（工作表: {'、'.join(sheets)}）", f"wrote {target} (sheets: {', '.join(sheets)})"))
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    """Print the shipped schema's path, or (--write) copy it where schemes can name it."""
    from engine.resources import schema_file
    from engine.outputs import output_problem
    from engine.scaffold import write_schema

    path = schema_file()
    if args.write is not None:
        folder = Path(args.write)
        if folder.is_file():
            raise UsageError([Problem.at("cli_out_folder_is_file", Location(args.write))])
        try:
            path, _ = write_schema(folder)
        except OSError as err:
            raise output_problem(folder, err) from None
    elif not path.is_file():
        # Never print a path that is not there: an installation missing its data is broken.
        raise UsageError([Problem.at("file_not_found", Location(str(path)))])
    print(path)
    print(say(args.lang, "在方案文件第一行写 # yaml-language-server: $schema=<相对于方案文件的路径>，VS Code 的 YAML 插件即可补全键名并显示中文说明。"
               "kaohe schema --write 方案文件夹/ 可复制一份放在方案旁边。",
               "Put '# yaml-language-server: $schema=<path relative to the scheme>' on a scheme's first line for completion in VS Code's YAML extension; "
               "kaohe schema --write FOLDER/ copies it beside your schemes."),
          file=sys.stderr)
    return 0
