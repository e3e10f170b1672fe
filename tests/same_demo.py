"""Compare the outputs of ``kaohe demo`` at an earlier revision with the working tree's.

    python tests/same_demo.py [REV]      (default REV: main)

A restructuring of the engine must leave every file the demo writes — the
ranking on stdout, the 公示, score sheets, notices, summary pages and the
Excel workbook of two schemes — byte-identical. The script checks REV out
into a temporary worktree, runs ``python -m engine demo --out …`` there and
here on the same day with the same interpreter, and prints each file that
differs (exit 1) or "identical" (exit 0). XLSX files are compared by their
cells, since a workbook's zip holds its creation time.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _demo(source: Path, out: Path) -> str:
    env = dict(os.environ, PYTHONPATH=str(source), KAOHE_LANG="zh")
    done = subprocess.run([sys.executable, "-m", "engine", "--quiet", "demo", "--out", str(out)],
                          cwd=source, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"demo failed in {source}:\n{done.stderr}")
    # The listing of written files names the output folder: compare without it.
    return done.stdout.replace(str(out), "OUT")


def _digest(path: Path) -> str:
    if path.suffix == ".xlsx":
        with zipfile.ZipFile(path) as archive:
            # docProps/core.xml holds the creation time; every other part is content.
            parts = sorted(n for n in archive.namelist() if n != "docProps/core.xml")
            return hashlib.sha256(b"".join(n.encode() + archive.read(n) for n in parts)).hexdigest()
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _files(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): _digest(p) for p in sorted(folder.rglob("*")) if p.is_file()}


def main(argv: list[str]) -> int:
    rev = argv[0] if argv else "main"
    with tempfile.TemporaryDirectory() as tmp:
        old_tree = Path(tmp) / "old"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(old_tree), rev], check=True)
        try:
            old_out, new_out = Path(tmp) / "old-out", Path(tmp) / "new-out"
            old_stdout, new_stdout = _demo(old_tree, old_out), _demo(ROOT, new_out)
            old_files, new_files = _files(old_out), _files(new_out)
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(old_tree)], check=True)
    differ = [name for name in sorted(set(old_files) | set(new_files)) if old_files.get(name) != new_files.get(name)]
    if old_stdout != new_stdout:
        differ.insert(0, "<stdout>")
    for name in differ:
        print(f"differs: {name}")
    if not differ:
        print(f"identical: stdout and {len(new_files)} files, {rev} vs the working tree")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
