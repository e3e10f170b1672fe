"""Goldens for the most-read outputs: ranking.md, results.csv, the JSON document,
explain (zh and en, and as JSON, Markdown and HTML), and the diff pages (md, json, html), on two bundled schemes.

Substring checks elsewhere say that a line is there; these say that nothing else
changed — wording, order, layout, the digits. They are what a restructuring of
the engine must leave byte-identical. A difference fails with a unified diff;
after an intended change, refresh with ``pytest --update-golden`` and review the
files in ``tests/golden/outputs/`` like code.

The commands run in-process (``engine.cli.main``) from the repository root with
relative paths, so no machine-specific path reaches a file.
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest

from engine.cli import main

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).parent / "golden" / "outputs"

ZJC = "schemes/zhengjiaochu"
JFZ = "schemes/jifenzhi"

#: name → (arguments, output file name written under --out, or None for stdout)
CASES: dict[str, tuple[list[str], str | None]] = {
    "zhengjiaochu/ranking.md": (["run", f"{ZJC}/zhengjiaochu.yaml", "--data", f"{ZJC}/data"], None),
    "zhengjiaochu/results.csv": (["run", f"{ZJC}/zhengjiaochu.yaml", "--data", f"{ZJC}/data", "--format", "csv"], None),
    "zhengjiaochu/results.json": (["run", f"{ZJC}/zhengjiaochu.yaml", "--data", f"{ZJC}/data", "--format", "json"], None),
    "zhengjiaochu/explain-Z01.txt": (["explain", f"{ZJC}/zhengjiaochu.yaml", "--data", f"{ZJC}/data", "--unit", "Z01"], None),
    "zhengjiaochu/explain-Z01.en.txt": (["--lang", "en", "explain", f"{ZJC}/zhengjiaochu.yaml", "--data", f"{ZJC}/data", "--unit", "Z01"], None),
    "zhengjiaochu/explain-Z04.json": (["explain", f"{ZJC}/zhengjiaochu.yaml", "--data", f"{ZJC}/data", "--unit", "Z04", "--format", "json"], None),
    "zhengjiaochu/explain-Z01.html": (["explain", f"{ZJC}/zhengjiaochu.yaml", "--data", f"{ZJC}/data", "--unit", "Z01", "--format", "html"], None),
    "zhengjiaochu/diff.md": (["diff", f"{ZJC}/zhengjiaochu.yaml", f"{ZJC}/zhengjiaochu-v2.yaml", "--data", f"{ZJC}/data"], None),
    "zhengjiaochu/diff.json": (["diff", f"{ZJC}/zhengjiaochu.yaml", f"{ZJC}/zhengjiaochu-v2.yaml", "--data", f"{ZJC}/data", "--format", "json"], None),
    "zhengjiaochu/diff.html": (["diff", f"{ZJC}/zhengjiaochu.yaml", f"{ZJC}/zhengjiaochu-v2.yaml", "--data", f"{ZJC}/data", "--format", "html", "--out", "{out}"], "diff.html"),
    "jifenzhi/ranking.md": (["run", JFZ, "--data", f"{JFZ}/data"], None),
    "jifenzhi/results.csv": (["run", JFZ, "--data", f"{JFZ}/data", "--format", "csv"], None),
    "jifenzhi/results.json": (["run", JFZ, "--data", f"{JFZ}/data", "--format", "json"], None),
    "jifenzhi/explain-D002.txt": (["explain", JFZ, "--data", f"{JFZ}/data", "--unit", "D002"], None),
    "jifenzhi/explain-D002.en.txt": (["--lang", "en", "explain", JFZ, "--data", f"{JFZ}/data", "--unit", "D002"], None),
    "jifenzhi/explain-D002.md": (["explain", JFZ, "--data", f"{JFZ}/data", "--unit", "D002", "--format", "md"], None),
    "jifenzhi/explain-D002.en.html": (["--lang", "en", "explain", JFZ, "--data", f"{JFZ}/data", "--unit", "D002", "--format", "html"], None),
    "jifenzhi/diff-weight.md": (["diff", JFZ, "--data", f"{JFZ}/data", "--set", "params.base_weight.value=0.7"], None),
    "jifenzhi/diff-weight.en.md": (["--lang", "en", "diff", JFZ, "--data", f"{JFZ}/data", "--set", "params.base_weight.value=0.7"], None),
}


def _output(args: list[str], written: str | None, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """The command's stdout, or the file it wrote under ``--out``."""
    args = [a.replace("{out}", str(tmp_path)) for a in args]
    old = Path.cwd()
    os.chdir(ROOT)
    try:
        code = main(["--quiet", *args])
    finally:
        os.chdir(old)
    out, err = capsys.readouterr()
    assert code == 0, err
    if written is None:
        return out
    return (tmp_path / written).read_bytes().decode("utf-8")


@pytest.mark.parametrize("name", sorted(CASES))
def test_output_is_the_golden(name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], request: pytest.FixtureRequest) -> None:
    args, written = CASES[name]
    text = _output(args, written, tmp_path, capsys)
    golden = GOLDEN / name
    if request.config.getoption("--update-golden"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(text.encode("utf-8"))
    assert golden.exists(), f"{golden} is missing: run pytest --update-golden once and review the file"
    # Bytes, not read_text: the CSV's CRLF line ends are part of what is checked.
    expected = golden.read_bytes().decode("utf-8")
    if text != expected:
        delta = "".join(difflib.unified_diff(expected.splitlines(True), text.splitlines(True), "golden", "now", n=2))
        pytest.fail(f"{name} differs from its golden:\n{delta[:6000]}")
