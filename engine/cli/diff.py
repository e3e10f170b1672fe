"""``kaohe diff``: two versions of a scheme (or one and its ``--set``/``--sweep``
variants) compared on the same data (engine.comparison), printed or written."""

from __future__ import annotations

import argparse
import json

from engine.cli.common import USAGE_ERROR, context, emit, print_problems
from engine.errors import Location, Problem


def cmd_diff(args: argparse.Namespace) -> int:
    from engine.comparison import compare
    from engine.render import diff_document, diff_markdown

    if len(args.schemes) > 2:
        print_problems([Problem.at("diff_too_many", Location("kaohe diff"), count=len(args.schemes))], args.lang)
        return USAGE_ERROR
    found = compare(args.schemes, args.data, context(args), assignments=args.assignments, sweep=args.sweep, period=args.period,
                    results=args.results, out=args.out, fmt=args.format)
    old, new, changes, outcome, table = found.old, found.new, found.changes, found.outcome, found.table
    if args.format == "json":
        text = json.dumps(diff_document(old, new, changes, outcome, table), ensure_ascii=False, indent=2) + "\n"
    elif args.format == "html":
        text = diff_markdown(old, new, changes, outcome, context(args), table, "diff.html.j2")
    else:
        text = diff_markdown(old, new, changes, outcome, context(args), table)
    emit(text, found.target, args.lang)
    return 0
