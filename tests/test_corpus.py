"""The bad-input corpus of issue 12 (tests/corpus/generate.py), each case through the CLI.

For every case: the exit code it names (1 a user error, 2 a malformed command
line; 0 where going on is right), no "Traceback" in the output, a message naming
the file (with the line or row where there is one) or the option, nothing under
the case's folder created or changed (inputs byte-identical, no partial output),
a single warning where the case expects one, and an end within the time bound
(a hang is killed and fails the case).

Most cases run in-process in one long-lived worker (tests/corpus/worker.py) —
the engine is imported once and a hang costs only the worker; the cases about
the process's own stdout (closed, /dev/full) run as real subprocesses.
``KAOHE_CORPUS_LOG=file.jsonl`` appends each outcome to a file (for listing the
cases that fail and why: ``python -m tests.corpus.report file.jsonl``).
"""

from __future__ import annotations

import fnmatch
import json
import os
import re
import typing as t
from pathlib import Path

import pytest

from tests.corpus.generate import Case, all_cases, folder_name
from tests.corpus.runner import TIMEOUT, Outcome, Worker, exception_line, run_subprocess, snapshot

CASES = all_cases()

pytestmark = pytest.mark.corpus


@pytest.fixture(scope="module")
def worker() -> t.Iterator[Worker]:
    running = Worker()
    yield running
    running.stop()


def _log(case: Case, outcome: Outcome, problems: list[str]) -> None:
    target = os.environ.get("KAOHE_CORPUS_LOG")
    if not target:
        return
    with open(target, "a", encoding="utf-8") as log:
        log.write(json.dumps({"id": case.id, "category": case.category, "exit": outcome.code, "expected": case.exit,
                              "seconds": round(outcome.seconds, 2), "problems": problems,
                              "err": outcome.err[-4000:], "out": outcome.out[-1000:]}, ensure_ascii=False) + "\n")


def _allowed(path: str, case: Case) -> bool:
    return any(fnmatch.fnmatch(path, pattern) for pattern in case.outputs)


def judge(case: Case, outcome: Outcome, before: dict[str, str], after: dict[str, str], folder: Path) -> list[str]:
    """What is wrong with ``outcome`` for ``case`` (empty when it is right)."""
    if outcome.timed_out:
        return [f"no end within {TIMEOUT:.0f} s (killed)"]
    problems = []
    text = outcome.out + "\n" + outcome.err
    if "Traceback" in text:
        problems.append(f"traceback: {exception_line(outcome.err) or '?'}")
    if outcome.code not in case.exit:
        problems.append(f"exit {outcome.code}, expected {'/'.join(map(str, case.exit))}")
    succeeded = outcome.code == 0
    if not succeeded and case.mode == "worker":
        for pattern in case.names:
            if not re.search(pattern, outcome.err):
                problems.append(f"the message does not name /{pattern}/")
    changed = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
    if succeeded:
        changed = [k for k in changed if not _allowed(k, case)]
    if changed:
        kinds = ["changed" if k in before and k in after else ("created" if k in after else "deleted") for k in changed]
        problems.append("files touched: " + ", ".join(f"{k} ({kind})" for k, kind in zip(changed[:6], kinds)))
    if succeeded and case.warn and "Traceback" not in text:
        warnings = [line for line in outcome.err.splitlines() if re.search(case.warn, line)]
        if len(warnings) != 1:
            problems.append(f"expected one warning /{case.warn}/, found {len(warnings)}")
    if succeeded and case.check and not problems:
        problems += case.check(folder)
    return problems


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_corpus_case(case: Case, worker: Worker, tmp_path_factory: pytest.TempPathFactory) -> None:
    if case.skip:
        pytest.skip(case.skip)
    folder = tmp_path_factory.mktemp(folder_name(case)[:60], numbered=True)
    argv = case.build(folder)
    if case.pre:
        for outcome in worker.run([list(command) for command in case.pre], folder):
            assert outcome.code == 0, f"preparing the case failed: {outcome.err}"
    before = snapshot(folder)
    if case.mode == "worker":
        (outcome,) = worker.run([argv], folder)
    else:
        outcome = run_subprocess(argv, folder, case.mode)
    after = snapshot(folder)
    problems = judge(case, outcome, before, after, folder)
    _log(case, outcome, problems)
    _restore_permissions(folder)
    assert not problems, f"{case.id}: kaohe {' '.join(argv)!r:.300}\n  " + "\n  ".join(problems) + f"\n--- stderr ---\n{outcome.err[-2000:]}"


def _restore_permissions(folder: Path) -> None:
    # Read-only folders and unreadable files of a case must not stop pytest cleaning up.
    for here, dirs, files in os.walk(folder):
        for name in dirs + files:
            path = Path(here) / name
            if not path.is_symlink():
                try:
                    path.chmod(0o755 if path.is_dir() else 0o644)
                except OSError:
                    pass


def test_the_corpus_covers_every_category_with_at_least_300_cases() -> None:
    from tests.corpus.generate import CATEGORIES

    assert len(CASES) >= 300
    counts = {category: sum(case.category == category for case in CASES) for category in CATEGORIES}
    assert all(counts.values()), counts


@pytest.mark.parametrize("scheme", ["weisheng-ting", "chuangxian-zhengyou-factory", "jifenzhi", "chuangxian-zhengyou-wulumuqi"])
def test_the_cases_start_from_schemes_that_run(scheme: str, worker: Worker, tmp_path: Path) -> None:
    """The unmutated starting points run cleanly, so a case's failure is its mutation's."""
    from tests.corpus.generate import _ws

    argv = _ws(lambda f: ["run", f, "--data", "data", "--format", "json"], scheme)(tmp_path)
    (outcome,) = worker.run([argv], tmp_path)
    assert outcome.code == 0, outcome.err


def test_the_extended_starting_point_runs(worker: Worker, tmp_path: Path) -> None:
    from tests.corpus.generate import dump, run_json, scheme_case, ws_extended

    argv = scheme_case(dump(ws_extended()), command=run_json)(tmp_path)
    (outcome,) = worker.run([argv], tmp_path)
    assert outcome.code == 0 and "Traceback" not in outcome.err, outcome.err
