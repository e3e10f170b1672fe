"""``kaohe demo`` (the bundled 党员积分制 scheme scored and its reports written, with
the factory scheme's 整改通知书) and ``kaohe serve`` (the local workbench)."""

from __future__ import annotations

import argparse
import datetime
import sys
from pathlib import Path

from engine.cli.common import context, rel, say
from engine.cli.run import prepare

#: The bundled scheme `kaohe demo` runs (shipped in the wheel: engine/resources.py).
DEMO = "jifenzhi"
#: The bundled scheme whose 整改通知书 the demo also writes.
DEMO_NOTICES = "chuangxian-zhengyou-factory"


def cmd_demo(args: argparse.Namespace) -> int:
    """Score the bundled 党员积分制 scheme, and write its reports (and the factory
    scheme's, which has 整改通知书) under ``--out`` in the current folder."""
    from engine.context import Context
    from engine.outputs import output_folder
    from engine.pipeline import assess, load
    from engine.render import to_markdown
    from engine.report_files import write_all_reports
    from engine.reports import KINDS
    from engine.reports import Settings as ReportSettings
    from engine.resources import bundled_scheme

    out = output_folder(args.out)
    demo = bundled_scheme(DEMO)
    if Path(rel(demo)).is_absolute():
        # Installed, the scheme sits deep in site-packages: give the user a copy beside the reports to read and edit.
        import shutil

        copy = out / "方案" / DEMO
        if not copy.exists():
            shutil.copytree(demo.parent, copy, ignore=shutil.ignore_patterns("__pycache__"))
        demo = copy / demo.name
    scheme, data = rel(demo), rel(demo.parent / "data")
    outcomes = prepare(scheme, [data], args, details=True)
    sys.stdout.write(to_markdown(outcomes, context(args)))
    settings = ReportSettings(datetime.date.today(), None, context(args))
    run = context(args)
    written = write_all_reports(outcomes, out / DEMO, KINDS, settings, "html", run)
    factory = bundled_scheme(DEMO_NOTICES)
    # The second scheme only shows what notices look like: its scheme warnings are not the demo's to print.
    factory_outcomes = assess(load(factory, Context()), [rel(factory.parent / "data")], run, details=True)
    written += write_all_reports(factory_outcomes, out / "factory", KINDS, settings, "html", run)
    print(say(args.lang, "\n报表（公示、评分表、整改通知书、汇总、Excel）已写入:", "\nReports (公示, score sheets, notices, summary, Excel) written:"))
    for path in written:
        print(f"  {rel(path.resolve())}")
    print(say(
        args.lang,
        f"\n下一步: 看某人的得分是怎么算出来的\n  kaohe explain {scheme} --data {data} --unit D002\n或导出 JSON:\n  kaohe run {scheme} --data {data} --format json"
        f"\n在这个方案的基础上写自己的方案:\n  kaohe new 我的方案 --from {DEMO}"
        f"\n在浏览器中查看、修改、计算和试算这些方案（本机工作台）:\n  kaohe serve {rel(demo.parent.parent)}",
        f"\nNext: see how one member's score came about\n  kaohe explain {scheme} --data {data} --unit D002\nor export JSON:\n  kaohe run {scheme} --data {data} --format json"
        f"\nWrite your own scheme starting from this one:\n  kaohe new my-scheme --from {DEMO}"
        f"\nRead, edit, assess and try out these schemes in a browser (a local workbench):\n  kaohe serve {rel(demo.parent.parent)}",
    ))
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from engine.serve.server import serve

    return serve(args.folders, args.host, args.port, args.token, context(args))
