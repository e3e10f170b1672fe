"""Summarise a corpus run logged with ``KAOHE_CORPUS_LOG=run.jsonl``: the failing
cases grouped by what went wrong (a traceback's last line, a hang, a wrong exit
code, a missing location, a touched file). ``python -m tests.corpus.report run.jsonl``."""

from __future__ import annotations

import collections
import json
import re
import sys


def kind(problem: str) -> str:
    # Group tracebacks by exception type and the message without its numbers and paths.
    if problem.startswith("traceback: "):
        return re.sub(r"'[^']*'|\d+|/\S+", "…", problem)[:140]
    if problem.startswith("files touched"):
        return "files touched (created or changed)"
    if problem.startswith("the message does not name"):
        return "the message does not name the file/line or option"
    return re.sub(r"\d+", "…", problem)


def main(argv: list[str]) -> int:
    rows = [json.loads(line) for line in open(argv[0], encoding="utf-8")]
    latest = {row["id"]: row for row in rows}
    failing = [row for row in latest.values() if row["problems"]]
    groups: dict[str, list[dict]] = collections.defaultdict(list)
    for row in failing:
        groups[kind(row["problems"][0])].append(row)
    print(f"{len(failing)} of {len(latest)} cases fail\n")
    for name, members in sorted(groups.items(), key=lambda item: -len(item[1])):
        print(f"## {name} ({len(members)})")
        for row in sorted(members, key=lambda r: r["id"]):
            print(f"- {row['id']}: " + "; ".join(row["problems"])[:300])
        print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
