"""The tour a new user takes with an installed Kaohe, far from any clone.

    python tests/install_tour.py VENV_BIN [SCHEMES]

runs every command (demo, validate, run, explain, diff, report, template, draft, serve,
new, show, schema, test, ``python -m engine``) with the ``kaohe`` of the virtual
environment ``VENV_BIN`` from a new empty folder, on schemes copied there
from ``SCHEMES`` (default: this repository's ``schemes/``). Each command must
exit 0 without a traceback and leave what it says it writes. ``.ci/run``
runs it on the wheel it built; tests/test_install.py runs it in ``make test``.
Only the standard library is used: the environment under test may hold
nothing but Kaohe and its dependencies.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent


class TourFailure(Exception):
    """A command of the tour failed; the message says which and shows its output."""


def _run(bin_dir: Path, folder: Path, *command: str, env: dict[str, str] | None = None) -> str:
    program = [str(bin_dir / command[0])] + list(command[1:])
    clean = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "KAOHE_LANG", "PYTHONHOME")}
    done = subprocess.run(program, cwd=folder, capture_output=True, text=True, encoding="utf-8", timeout=300,
                          env={**clean, "PYTHONIOENCODING": "utf-8", **(env or {})})
    output = done.stdout + done.stderr
    shown = " ".join(command)
    if done.returncode != 0 or "Traceback" in output:
        raise TourFailure(f"`{shown}` in {folder} exited {done.returncode}:\n{output[-3000:]}")
    print(f"✓ {shown}")
    return output


def _expect(condition: bool, what: str) -> None:
    if not condition:
        raise TourFailure(what)


def tour(bin_dir: Path, schemes: Path, folder: Path) -> None:
    """Run the tour with ``bin_dir/kaohe`` in the empty folder ``folder``.

    Raises:
        TourFailure: the first command that failed or did not do its job.
    """
    kaohe = "kaohe.exe" if os.name == "nt" else "kaohe"
    python = "python.exe" if os.name == "nt" else "python"
    where = _run(bin_dir, folder, python, "-c", "import engine; print(engine.__file__)")
    _expect(REPOSITORY.resolve() not in Path(where.strip()).resolve().parents,
            f"engine was imported from the clone, not the installed package: {where}")
    _expect(_run(bin_dir, folder, kaohe, "--version").startswith("kaohe "), "kaohe --version printed no version")
    _expect(_run(bin_dir, folder, python, "-m", "engine", "--version").startswith("kaohe "), "python -m engine --version")
    _expect("用法" in _run(bin_dir, folder, kaohe, "--help"), "kaohe --help is not in Chinese")
    _expect("usage:" in _run(bin_dir, folder, kaohe, "--lang", "en", "run", "--help"), "kaohe --lang en run --help is not in English")

    # The demo finds its bundled scheme and writes its reports here.
    _run(bin_dir, folder, kaohe, "demo")
    for name in ("jifenzhi/gongshi.html", "jifenzhi/sheets.html", "factory/notices.html", "jifenzhi/results.xlsx"):
        _expect((folder / "out" / "demo" / name).is_file(), f"kaohe demo wrote no out/demo/{name}")

    # A scheme copied into the folder, as a user copies one from a colleague.
    shutil.copytree(schemes / "jifenzhi", folder / "schemes" / "jifenzhi")
    scheme, data = "schemes/jifenzhi/jifenzhi.yaml", "schemes/jifenzhi/data"
    _expect("✓" in _run(bin_dir, folder, kaohe, "validate", scheme), "kaohe validate did not pass the scheme")
    _expect("| 1 | D002 |" in _run(bin_dir, folder, kaohe, "run", scheme, "--data", data), "kaohe run printed no ranking")
    _run(bin_dir, folder, kaohe, "run", scheme, "--data", data, "--format", "json", "--out", "结果/")
    _expect((folder / "结果" / "results.json").is_file(), "kaohe run --out wrote no results.json")
    _expect("总分" in _run(bin_dir, folder, kaohe, "explain", scheme, "--data", data, "--unit", "D002"), "kaohe explain")
    # The HTML explain extends the shipped base template: found inside the wheel, not the clone.
    _expect("<ul class=\"trace\">" in _run(bin_dir, folder, kaohe, "explain", scheme, "--data", data, "--unit", "D002", "--format", "html"),
            "kaohe explain --format html")
    _run(bin_dir, folder, kaohe, "report", scheme, "--data", data, "--out", "报表")
    _expect((folder / "报表" / "gongshi.html").is_file(), "kaohe report wrote no gongshi.html")
    _run(bin_dir, folder, kaohe, "template", scheme, "--out", "填报表.xlsx")
    _expect((folder / "填报表.xlsx").is_file(), "kaohe template wrote no workbook")
    _expect("个通过" in _run(bin_dir, folder, kaohe, "test", "schemes/jifenzhi"), "kaohe test ran no case")
    _expect("| D002 |" in _run(bin_dir, folder, kaohe, "diff", scheme, "--data", data, "--quiet", "--set", "params.base_weight.value=0.7"),
            "kaohe diff listed no unit")
    _expect("valid" in _run(bin_dir, folder, kaohe, "validate", scheme, env={"KAOHE_LANG": "en"}), "KAOHE_LANG=en is not English")

    # The schema exists where it is said to be, and can be copied beside the schemes.
    printed = _run(bin_dir, folder, kaohe, "schema").splitlines()[0].strip()
    _expect(Path(printed).is_file(), f"kaohe schema printed a missing path: {printed}")
    _run(bin_dir, folder, kaohe, "schema", "--write", "schemes")
    _expect((folder / "schemes" / "scheme.schema.json").is_file(), "kaohe schema --write copied nothing")

    # Authoring: a Chinese name; a parent from another folder; a parent shipped with Kaohe.
    _run(bin_dir, folder, kaohe, "new", "我县考核")
    _run(bin_dir, folder, kaohe, "validate", "schemes/我县考核")
    _run(bin_dir, folder, kaohe, "test", "schemes/我县考核")
    _schema_header_exists(folder / "schemes" / "我县考核" / "我县考核.yaml")
    elsewhere = Path(tempfile.mkdtemp(prefix="kaohe-elsewhere-"))
    try:
        shutil.copytree(schemes / "chuangxian-zhengyou-wulumuqi", elsewhere / "city")
        _run(bin_dir, folder, kaohe, "new", "我县创先争优", "--from", str(elsewhere / "city" / "chuangxian-zhengyou-wulumuqi.yaml"))
    finally:
        shutil.rmtree(elsewhere, ignore_errors=True)
    _run(bin_dir, folder, kaohe, "validate", "schemes/我县创先争优")
    _expect("0 处" in _run(bin_dir, folder, kaohe, "show", "schemes/我县创先争优", "--changes"), "kaohe show --changes")
    _schema_header_exists(folder / "schemes" / "我县创先争优" / "我县创先争优.yaml")
    _run(bin_dir, folder, kaohe, "new", "my-stars", "--from", "jifenzhi")
    _run(bin_dir, folder, kaohe, "validate", "schemes/my-stars")
    # kaohe draft: a 考核细则 text (an invented one, kept in tests/draft/) → a scheme folder that validates.
    shutil.copy(REPOSITORY / "tests" / "draft" / "invented.txt", folder / "细则.txt")
    _run(bin_dir, folder, kaohe, "draft", "细则.txt", "--out", "草稿")
    _expect("✓" in _run(bin_dir, folder, kaohe, "validate", "草稿/草稿.yaml"), "the draft does not validate")
    _serve(bin_dir / kaohe, folder)


def _serve(kaohe: Path, folder: Path) -> None:
    """``kaohe serve schemes`` answers its schemes page and a scheme's page, then stops on a signal."""
    import signal
    import socket
    import time
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    clean = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "KAOHE_LANG", "PYTHONHOME")}
    server = subprocess.Popen([str(kaohe), "serve", "schemes", "--port", str(port)], cwd=folder, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True, encoding="utf-8", env={**clean, "PYTHONIOENCODING": "utf-8"})
    try:
        page = ""
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and server.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as answer:
                    page = answer.read().decode("utf-8")
                break
            except OSError:
                time.sleep(0.5)
        _expect("党员积分制" in page, f"kaohe serve did not answer its schemes page (exit {server.poll()})")
        try:  # the first (and only) served folder is root 0
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/scheme/0/jifenzhi/jifenzhi.yaml", timeout=30) as answer:
                _expect("季度之星" in answer.read().decode("utf-8"), "kaohe serve's scheme page shows no ranking")
        except OSError as failure:
            raise TourFailure(f"kaohe serve's scheme page: {failure}") from failure
    finally:
        server.send_signal(signal.SIGINT)
        try:
            output = server.communicate(timeout=30)[0]
        except subprocess.TimeoutExpired:
            server.kill()
            output = server.communicate()[0]
    _expect("Traceback" not in output, f"kaohe serve printed a traceback:\n{output[-3000:]}")
    print("✓ serve schemes")


def _schema_header_exists(scheme: Path) -> None:
    first = scheme.read_text(encoding="utf-8").splitlines()[0]
    match = re.fullmatch(r"# yaml-language-server: \$schema=(.+)", first)
    _expect(match is not None, f"{scheme} has no $schema line")
    assert match is not None
    _expect((scheme.parent / match.group(1)).is_file(), f"{scheme}: $schema={match.group(1)} names no file")


def main(argv: list[str]) -> int:
    if len(argv) not in (1, 2) or argv[0] in ("-h", "--help"):
        print(__doc__)
        return 0 if argv[:1] in (["-h"], ["--help"]) else 2
    bin_dir = Path(argv[0]).resolve()
    schemes = Path(argv[1]).resolve() if len(argv) == 2 else REPOSITORY / "schemes"
    folder = Path(tempfile.mkdtemp(prefix="kaohe-tour-"))
    try:
        tour(bin_dir, schemes, folder)
    except TourFailure as failure:
        print(f"✗ {failure}", file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print("安装后的 kaohe 在空文件夹中运行了每个命令 — the installed kaohe ran every command from an empty folder")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
