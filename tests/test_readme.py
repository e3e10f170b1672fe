"""The README's console examples are real: each `$ kaohe …` command is run from the
repository root, and every output line it shows (other than elided "…" lines)
must appear in what the command prints."""

from __future__ import annotations

import os
import re
import shlex
from pathlib import Path

import pytest

from engine.cli import main
from tests.helpers import ROOT

BLOCK = re.compile(r"```console\n(.*?)```", re.S)


def examples() -> list[tuple[list[str], list[str]]]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    found: list[tuple[list[str], list[str]]] = []
    for block in BLOCK.findall(text):
        lines = block.replace("\\\n", " ").splitlines()
        command: list[str] | None = None
        shown: list[str] = []
        for line in lines + ["$"]:
            if line.startswith("$"):
                if command is not None:
                    found.append((command, shown))
                words = shlex.split(line[1:])
                command = words[1:] if words and words[0] == "kaohe" else None
                shown = []
            elif command is not None and line.strip() and "…" not in line:
                shown.append(line.strip())
    return found


EXAMPLES = examples()


def test_the_readme_has_examples() -> None:
    assert len(EXAMPLES) >= 5


@pytest.mark.parametrize("command, shown", EXAMPLES, ids=[" ".join(c[:2]) for c, _ in EXAMPLES])
def test_readme_example(command: list[str], shown: list[str], capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    # Run where the README's relative paths resolve, but write (--out out/) into a
    # scratch folder, not the checkout.
    for name in ("schemes", "tests"):
        (tmp_path / name).symlink_to(ROOT / name)
    here = Path.cwd()
    os.chdir(tmp_path)
    try:
        code = main(command)
    finally:
        os.chdir(here)
    out, err = capsys.readouterr()
    printed = {line.strip() for line in (out + err).splitlines()}
    missing = [line for line in shown if line not in printed]
    assert missing == []
    # An example that shows a failure (✗) fails; every other one succeeds.
    assert code == (1 if any("✗" in line for line in shown) else 0), err
