"""The history store under faults: recorded last, once, and whole (issue 12).

``kaohe run --record`` is killed (SIGKILL) inside its write transaction;
the store must then hold either the old period or the complete new one,
and the run must be repeatable. Two runs recording one period at once:
exactly one wins. The test-only variable ``KAOHE_TEST_RECORD_PAUSE``
(engine/history.py) makes the writer sleep between the steps of its
transaction, so that a kill lands inside it.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from engine.cli import main
from engine.history import PAUSE_VARIABLE
from tests.helpers import ROOT

S5 = ROOT / "schemes" / "dangfeng-lianzheng" / "dangfeng-lianzheng.yaml"
S5_DATA = S5.parent / "data"
UNITS = 12

pytestmark = pytest.mark.skipif(os.name != "posix", reason="SIGKILL and /dev/full")


def _version(tmp_path: Path, version: str) -> Path:
    """A copy of the scheme with another ``version`` (so the stored period says which run wrote it)."""
    folder = tmp_path / f"v{version}"
    folder.mkdir(exist_ok=True)
    scheme = folder / S5.name
    scheme.write_text(S5.read_text(encoding="utf-8").replace('version: "20xx"', f'version: "{version}"'), encoding="utf-8")
    return scheme


def _command(scheme: Path, store: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "engine", "run", str(scheme), "--data", str(S5_DATA), "--period", "2023", "--record",
            "--history", str(store), "--format", "json", "--quiet", *extra]


def _spawn(command: list[str], pause: float, stderr: int = subprocess.DEVNULL) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), PAUSE_VARIABLE: str(pause)}
    return subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=stderr)


def _stored(store: Path) -> tuple[list[tuple[str, str]], int]:
    """The (period, version) rows of ``runs`` and the number of outcome rows, read as another program would."""
    with sqlite3.connect(store) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        runs = list(db.execute("SELECT period, version FROM runs ORDER BY period"))
        count = db.execute("SELECT COUNT(*) FROM outcomes WHERE period = '2023'").fetchone()[0]
    return runs, count


def test_a_failed_output_records_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = tmp_path / "history.sqlite"
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    code = main(["run", str(S5), "--data", str(S5_DATA), "--period", "2023", "--record", "--history", str(store),
                 "--format", "json", "--out", str(blocker / "results.json")])
    err = capsys.readouterr().err
    assert code == 1 and "无法写入输出" in err and "已记录" not in err
    assert not store.exists() or _stored(store) == ([], 0)
    # The same run with a writable --out then records the period.
    assert main(["run", str(S5), "--data", str(S5_DATA), "--period", "2023", "--record", "--history", str(store),
                 "--format", "json", "--out", str(tmp_path / "results.json")]) == 0
    assert _stored(store) == ([("2023", "20xx")], UNITS)


def test_a_recorded_period_is_refused_before_any_work(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = tmp_path / "history.sqlite"
    args = ["run", str(S5), "--data", str(S5_DATA), "--period", "2023", "--record", "--history", str(store), "--format", "json"]
    assert main(args) == 0
    capsys.readouterr()
    out = tmp_path / "again.json"
    assert main([*args, "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "已有 dangfeng-lianzheng 的 2023 期（记录于 " in err and "--replace" in err
    assert not out.exists()  # refused before the output was written
    assert main([*args, "--replace", "--lang", "en"]) == 0
    assert "recorded 12 units" in capsys.readouterr().err


def test_of_two_runs_recording_one_period_exactly_one_wins(tmp_path: Path) -> None:
    store = tmp_path / "history.sqlite"
    runs = [_spawn(_command(_version(tmp_path, version), store), pause=0.4, stderr=subprocess.PIPE) for version in ("a", "b")]
    results = [(run.returncode, err.decode("utf-8")) for run in runs for _, err in [run.communicate(timeout=120)]]
    codes = sorted(code for code, _ in results)
    assert codes == [0, 1], results
    loser = next(err for code, err in results if code == 1)
    assert "已有 dangfeng-lianzheng 的 2023 期" in loser and "Traceback" not in loser
    winner = "a" if results[0][0] == 0 else "b"
    assert _stored(store) == ([("2023", winner)], UNITS)


def test_a_run_killed_inside_its_write_leaves_the_old_or_the_new_period(tmp_path: Path) -> None:
    store = tmp_path / "history.sqlite"
    old, new = _version(tmp_path, "old"), _version(tmp_path, "new")
    assert main(["run", str(old), "--data", str(S5_DATA), "--period", "2023", "--record", "--history", str(store), "--format", "json",
                 "--quiet"]) == 0
    journal = Path(f"{store}-journal")
    chance = random.Random(12)
    seen: set[str] = set()
    for attempt in range(8):
        run = _spawn(_command(new, store, "--replace"), pause=0.15)
        if attempt % 2 == 0:
            # Wait until the transaction has written (its rollback journal exists), then kill at a random step.
            deadline = time.monotonic() + 60
            while not journal.exists() and run.poll() is None and time.monotonic() < deadline:
                time.sleep(0.005)
            time.sleep(chance.uniform(0.0, 0.5))
        else:
            time.sleep(chance.uniform(0.3, 3.0))  # anywhere: reading, scoring or writing
        run.send_signal(signal.SIGKILL)
        run.wait(timeout=60)
        runs, count = _stored(store)
        assert runs in ([("2023", "old")], [("2023", "new")]) and count == UNITS, (attempt, runs, count)
        seen.add(runs[0][1])
        if runs == [("2023", "new")]:
            # Put the old period back for the next attempt.
            assert main(["run", str(old), "--data", str(S5_DATA), "--period", "2023", "--record", "--replace", "--history", str(store),
                         "--format", "json", "--quiet"]) == 0
    assert "old" in seen
    # The run can be repeated, and completes.
    assert main(["run", str(new), "--data", str(S5_DATA), "--period", "2023", "--record", "--replace", "--history", str(store),
                 "--format", "json", "--quiet"]) == 0
    assert _stored(store) == ([("2023", "new")], UNITS)


def test_a_store_in_a_missing_folder_is_refused_before_any_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "results.json"
    code = main(["run", str(S5), "--data", str(S5_DATA), "--period", "2023", "--record", "--history", str(tmp_path / "no" / "h.sqlite"),
                 "--format", "json", "--out", str(out)])
    assert code == 1 and "no folder" in capsys.readouterr().err and not out.exists()


def test_replace_without_record_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["run", str(S5), "--data", str(S5_DATA), "--period", "2023", "--replace", "--history", str(tmp_path / "h.sqlite")])
    assert code == 1 and "--replace 只和 --record 一起使用" in capsys.readouterr().err and not (tmp_path / "h.sqlite").exists()
