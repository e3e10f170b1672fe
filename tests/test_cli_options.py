"""The command line itself: help in Chinese (English on request) with an example
per command, a start that imports only what the command needs, and the
global options (--data repeated, --quiet)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from engine.cli import HISTORY_FILE, REPORT_KINDS, build_parser, main
from tests.helpers import JIFENZHI, JIFENZHI_DATA, ROOT

COMMANDS = ["validate", "run", "explain", "diff", "show", "new", "template", "schema", "report", "test", "demo"]


def helped(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    with pytest.raises(SystemExit) as done:
        main(list(argv))
    assert done.value.code == 0
    return capsys.readouterr().out


def test_top_level_help_is_chinese_and_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    out = helped(capsys, "--help")
    assert out.startswith("用法: kaohe") and "选项:" in out and "命令:" in out and "例:" in out
    assert "show this help" not in out and "usage:" not in out
    assert all(f"    {command} " in out for command in COMMANDS)
    assert "校验方案文件" in out and "显示本帮助并退出" in out


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_chinese_help_with_an_example(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    out = helped(capsys, command, "--help")
    assert out.startswith(f"用法: kaohe {command}")
    assert "\n例:\n  kaohe " in out
    assert "show this help" not in out and "positional arguments" not in out


@pytest.mark.parametrize("argv", [["--lang", "en", "--help"], ["--lang", "en", "run", "--help"], ["run", "--help", "--lang", "en"],
                                  ["--lang=en", "new", "--help"]])
def test_help_in_english_with_lang_en(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    out = helped(capsys, *argv)
    assert out.startswith("usage: kaohe") and "Example" in out and "用法" not in out


def test_kaohe_lang_environment_variable(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KAOHE_LANG", "en")
    assert helped(capsys, "report", "--help").startswith("usage: kaohe report")
    # and for the messages too, not only the help
    assert main(["explain", str(JIFENZHI), "--data", str(JIFENZHI_DATA), "--unit", "D0211"]) == 1
    assert "did you mean 'D021'" in capsys.readouterr().err
    # --lang still wins over the environment
    assert helped(capsys, "--lang", "zh", "report", "--help").startswith("用法: kaohe report")


def test_usage_errors_stay_translated(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", str(JIFENZHI)]) == 2
    assert "缺少必需的参数: --data" in capsys.readouterr().err


def loaded_modules(code: str) -> set[str]:
    """The heavy modules a fresh interpreter has loaded after running ``code``."""
    probe = code + "\nimport sys, json; print(json.dumps(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    modules = set(json.loads(done.stdout.splitlines()[-1]))
    return {name for name in ("numpy", "jinja2", "jsonschema", "openpyxl", "polars", "python_calamine", "yaml", "rich")
            if name in modules}


@pytest.mark.parametrize("argv", [["--version"], ["--help"], ["run", "--help"], ["--lang", "en", "report", "--help"]])
def test_version_and_help_import_nothing_heavy(argv: list[str]) -> None:
    code = f"from engine.cli import main\ntry:\n    main({argv!r})\nexcept SystemExit:\n    pass"
    assert loaded_modules(code) == set()


def test_validate_imports_neither_the_reader_nor_the_templates() -> None:
    code = f"from engine.cli import main\nassert main(['validate', {str(JIFENZHI)!r}]) == 0"
    loaded = loaded_modules(code)
    assert "jsonschema" in loaded  # it did validate
    assert loaded & {"openpyxl", "jinja2", "polars", "python_calamine"} == set()


def test_constants_repeated_for_a_quick_start_agree() -> None:
    from engine.history import DEFAULT_FILE
    from engine.reports import KINDS

    assert REPORT_KINDS == KINDS and HISTORY_FILE == DEFAULT_FILE


def test_data_may_be_repeated_and_a_path_given_twice_is_read_once(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    args = build_parser().parse_args(["run", "s.yaml", "--data", "a.csv", "--data", "b.csv", "c.csv"])
    assert args.data == ["a.csv", "b.csv", "c.csv"]
    files = sorted(str(p) for p in JIFENZHI_DATA.iterdir())
    import engine.data

    seen: list[list[str]] = []
    real = engine.data.read_dataset
    monkeypatch.setattr(engine.data, "read_dataset", lambda scheme, paths, **k: seen.append(list(paths)) or real(scheme, paths, **k))
    here = Path.cwd()
    os.chdir(JIFENZHI_DATA)
    try:
        again = "./" + Path(files[0]).name  # the same file, spelt another way
        assert main(["run", str(JIFENZHI), "--data", files[0], "--data", *files[1:], again, "--format", "json"]) == 0
    finally:
        os.chdir(here)
    assert seen == [files]
    assert json.loads(capsys.readouterr().out)["units"]


def test_quiet_is_accepted_before_or_after_the_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert build_parser().parse_args(["--quiet", "validate", "x"]).quiet is True
    assert build_parser().parse_args(["validate", "x", "--quiet"]).quiet is True
    assert build_parser().parse_args(["validate", "x"]).quiet is False
    assert main(["run", str(JIFENZHI), "--data", str(JIFENZHI_DATA), "--quiet", "--format", "json"]) == 0


def test_bench_help_prints_usage() -> None:
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench_jifenzhi.py"), "--help"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and "Traceback" not in done.stderr
    assert "bench_jifenzhi.py" in done.stdout and "10000" in done.stdout


def test_progress_shows_on_a_terminal_only(tmp_path: Path) -> None:
    """Reading and scoring show a self-updating line on a terminal; nothing when piped or --quiet."""
    import io

    from engine.progress import Progress

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    screen = Terminal()
    progress = Progress("zh", stream=screen)
    progress("/data/月评分.csv", 0, False)
    progress("/data/月评分.csv", 120_000, True)
    progress.stop()  # the line shows its last state when it stops
    assert "月评分.csv" in screen.getvalue() and "已读 1 张表 120,000 行" in screen.getvalue()
    screen = Terminal()
    progress = Progress("en", stream=screen)
    progress.stage("正在计算", "scoring 10,000 units")
    progress.stop()
    assert "scoring 10,000 units" in screen.getvalue()
    piped = io.StringIO()
    quiet = Terminal()
    for stream, kwargs in ((piped, {}), (quiet, {"quiet": True})):
        progress = Progress("zh", stream=stream, **kwargs)
        progress("/data/月评分.csv", 120_000, True)
        progress.stop()
        assert stream.getvalue() == ""
