"""The end-to-end benchmark stays honest: kaohe and the hand-written polars
baseline (benchmarks/baseline_polars.py) write byte-identical results.csv.

If the engine's output changes (a column, a format, a rule), this fails
until the baseline is changed too — otherwise benchmarks/bench_end_to_end.py
would refuse to print times. Small sizes only: a few seconds.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.e2e_data import generate

ROOT = Path(__file__).resolve().parent.parent
SCHEME = ROOT / "schemes" / "jifenzhi"


def results(tmp_path: Path, folder: Path) -> tuple[bytes, bytes]:
    kaohe, polars = tmp_path / "kaohe", tmp_path / "polars"
    done = subprocess.run([sys.executable, "-m", "engine", "run", str(SCHEME), "--data", str(folder), "--format", "csv",
                           "--out", str(kaohe)], cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "baseline_polars.py"), str(folder), str(polars)],
                          cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    return (kaohe / "results.csv").read_bytes(), (polars / "results.csv").read_bytes()


@pytest.mark.parametrize("rewards", ["xlsx", "csv"])
def test_generated_data_gives_identical_results(tmp_path: Path, rewards: str) -> None:
    files = generate(300, tmp_path / "data", seed=7, rewards=rewards)
    assert files.scored < files.members and files.corrections >= 1 and files.reward_rows > 0
    mine, theirs = results(tmp_path, files.folder)
    assert mine == theirs
    assert "季度之星".encode() in mine and "直接评定".encode() in mine  # the comparison is not vacuous


def test_shipped_sample_gives_identical_results(tmp_path: Path) -> None:
    mine, theirs = results(tmp_path, SCHEME / "data")
    assert mine == theirs


def test_generation_is_deterministic(tmp_path: Path) -> None:
    a = generate(200, tmp_path / "a", seed=3, rewards="csv").folder
    b = generate(200, tmp_path / "b", seed=3, rewards="csv").folder
    for path in sorted(a.iterdir()):
        assert path.read_bytes() == (b / path.name).read_bytes(), path.name


def test_baseline_rejects_what_the_engine_rejects(tmp_path: Path) -> None:
    folder = generate(100, tmp_path / "data", seed=5, rewards="csv").folder
    monthly = folder / "月评分.csv"
    lines = monthly.read_bytes().split(b"\r\n")
    lines[1] = lines[1].replace(b",1,", b",13,", 1)  # a month that does not exist
    monthly.write_bytes(b"\r\n".join(lines))
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "baseline_polars.py"), str(folder), str(tmp_path / "out")],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 1 and "月份" in done.stderr
    done = subprocess.run([sys.executable, "-m", "engine", "run", str(SCHEME), "--data", str(folder), "--format", "csv"],
                          cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 1
