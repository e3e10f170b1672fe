"""Run the demo and every output format of the shipped schemes into a folder,
or compare two such folders byte for byte.

Used to check that a change to the writers (sandboxed templates, formula
guards, atomic report folders) leaves the shipped outputs unchanged::

    python tests/compare_outputs.py write /tmp/before     # on the old code
    python tests/compare_outputs.py write /tmp/after      # on the new code
    python tests/compare_outputs.py compare /tmp/before /tmp/after

The report date is fixed (``--date``) so two runs on different days agree;
``kaohe demo`` dates its reports today, so compare demo runs of one day.
"""

from __future__ import annotations

import filecmp
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KAOHE = [sys.executable, "-m", "engine"]
DATE = "2024-06-01"


def _run(args: list[str], cwd: Path, stdout: Path | None = None) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with (stdout.open("wb") if stdout else open(os.devnull, "wb")) as out:
        subprocess.run(KAOHE + args, cwd=cwd, env=env, stdout=out, stderr=subprocess.DEVNULL, check=False)


def write(folder: Path) -> None:
    """Every output of every shipped scheme (and the demo) into ``folder``."""
    folder = folder.resolve()
    folder.mkdir(parents=True, exist_ok=True)
    # From inside the folder, so the paths the demo prints are the same for any folder.
    _run(["demo", "--out", "demo"], folder, folder / "demo.stdout")
    for scheme in sorted((ROOT / "schemes").glob("*/*.yaml")):
        data = scheme.parent / "data"
        if not data.is_dir():
            continue
        name = f"{scheme.parent.name}-{scheme.stem}"
        base = [str(scheme), "--data", str(data)]
        for fmt in ("md", "csv", "json", "html"):
            for lang in ("zh", "en"):
                _run(["run", *base, "--format", fmt, "--lang", lang], ROOT, folder / f"{name}.{lang}.{fmt}")
        _run(["run", *base, "--format", "xlsx", "--out", str(folder / f"{name}.xlsx")], ROOT)
        for fmt in ("html", "md"):
            _run(["report", *base, "--date", DATE, "--format", fmt, "--out", str(folder / f"{name}-report-{fmt}")], ROOT)
        _run(["template", str(scheme), "--out", str(folder / f"{name}-template.xlsx")], ROOT)


def _xlsx_parts(path: Path) -> dict[str, bytes]:
    """A workbook's parts without docProps/core.xml (it holds the time of writing)."""
    import zipfile

    with zipfile.ZipFile(path) as book:
        return {n: book.read(n) for n in book.namelist() if n != "docProps/core.xml"}


def compare(a: Path, b: Path) -> list[str]:
    """Relative paths that differ between the two folders (or exist in one only)."""
    files_a = {p.relative_to(a) for p in a.rglob("*") if p.is_file()}
    files_b = {p.relative_to(b) for p in b.rglob("*") if p.is_file()}
    differ = sorted(str(p) for p in files_a ^ files_b)
    for rel in sorted(files_a & files_b):
        left, right = a / rel, b / rel
        if rel.suffix == ".xlsx":
            same = _xlsx_parts(left) == _xlsx_parts(right)
        else:
            same = filecmp.cmp(left, right, shallow=False)
        if not same:
            differ.append(str(rel))
    return differ


def main(argv: list[str]) -> int:
    if argv[:1] == ["write"] and len(argv) == 2:
        write(Path(argv[1]))
        return 0
    if argv[:1] == ["compare"] and len(argv) == 3:
        differ = compare(Path(argv[1]), Path(argv[2]))
        for rel in differ:
            print(f"differs: {rel}")
        print(f"{len(differ)} file(s) differ")
        return 1 if differ else 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
