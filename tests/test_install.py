"""Kaohe installed from its wheel works far from the clone.

The wheel is built from a copy of the tracked files (a stale ``build/`` in
the checkout cannot leak into it), installed into a new virtual environment
whose dependencies come from the environment running the tests (no
download), and ``tests/install_tour.py`` runs every command from an empty
folder. ``.ci/run`` does the same with the dependencies installed from the
package index.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from tests.helpers import ROOT
from tests.install_tour import tour


def tracked_files() -> list[Path]:
    """The repository's files as a fresh clone has them (``git ls-files``, else a filtered walk)."""
    try:
        listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                                capture_output=True, check=True).stdout
        return [ROOT / name for name in listed.decode("utf-8").split("\0") if name and (ROOT / name).is_file()]
    except (OSError, subprocess.CalledProcessError):
        skipped = {".venv", ".git", "build", "dist", "out", ".pytest_cache", ".mypy_cache", "__pycache__"}
        return [p for p in ROOT.rglob("*") if p.is_file() and not skipped & set(p.relative_to(ROOT).parts)]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    source = tmp_path_factory.mktemp("source")
    for file in tracked_files():
        target = source / file.relative_to(ROOT)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(file, target)
    dist = tmp_path_factory.mktemp("dist")
    # --no-build-isolation: the dev extras hold setuptools, so the build needs no download.
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-q",
                           str(source), "-w", str(dist)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    (built,) = dist.glob("kaohe-*.whl")
    return built


def test_the_wheel_carries_schema_templates_and_schemes(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {f"engine/reports/{p.name}" for p in (ROOT / "reports").glob("*.j2")}
    expected |= {"engine/schema/scheme.schema.json", "engine/py.typed", "engine/resources.py"}
    expected |= {f"engine/schemes/{p.relative_to(ROOT / 'schemes').as_posix()}" for p in tracked_files()
                 if (ROOT / "schemes") in p.parents}
    assert len(expected) > 60  # templates, the schema and every scheme's files were found
    assert expected - names == set()
    # Nothing from the source tree lands at the top of site-packages (a "schema" package would shadow PyPI's).
    assert {name.split("/")[0] for name in names} == {"engine", wheel.name.split("-")[0] + "-" + wheel.name.split("-")[1] + ".dist-info"}


def test_the_installed_wheel_runs_every_command_from_an_empty_folder(wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    python = venv / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")
    done = subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-index", "-q", str(wheel)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    # The dependencies: this environment's packages, appended to the new one's path. Its .pth
    # files (the editable install of the clone among them) are not run from there.
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                          capture_output=True, text=True, check=True).stdout.strip()
    ours = {sysconfig.get_path("purelib"), sysconfig.get_path("platlib")}
    (Path(site) / "kaohe-test-dependencies.pth").write_text("\n".join(sorted(ours)) + "\n", encoding="utf-8")
    folder = tmp_path / "空文件夹"
    folder.mkdir()
    tour(python.parent, ROOT / "schemes", folder)
    assert (folder / "out" / "demo" / "jifenzhi" / "gongshi.html").is_file()


def test_no_module_builds_paths_into_the_source_tree() -> None:
    # engine/resources.py is the one place that knows where shipped files are.
    offenders = [p.name for p in (ROOT / "engine").rglob("*.py")
                 if p.name != "resources.py" and "__file__" in p.read_text(encoding="utf-8")]
    assert offenders == []
