"""Outputs that cannot hurt: bad command-line values, outputs over inputs, partial
report sets, sandboxed templates and spreadsheet formulas (issue 12).

Each case asserts what a clerk sees: the exit code, no traceback, a message
naming the option or file, and no output created or input changed.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pytest

from engine.cli import main
from engine.sweep import SWEEP_MAX_VALUES
from tests.helpers import JIFENZHI, JIFENZHI_DATA, ROOT

FACTORY = ROOT / "schemes" / "chuangxian-zhengyou-factory" / "chuangxian-zhengyou-factory.yaml"


def kaohe(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def digest(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` and a hash of its bytes."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def county(tmp_path: Path) -> Path:
    """A copy of the 党员积分制 scheme whose unit list has hostile names:
    a formula, a control character and a script tag (the list rewritten in UTF-8)."""
    folder = tmp_path / "schemes" / "jifenzhi"
    shutil.copytree(JIFENZHI.parent, folder, ignore=shutil.ignore_patterns("tests"))
    units = folder / "data" / "名单.csv"
    lines = units.read_bytes().decode("gbk").split("\r\n")
    names = ["=1+1", "甲\x07单位", "<script>alert(1)</script>", '=HYPERLINK("http://x","y")', "-5", "@SUM(A1)"]
    for k, name in enumerate(names, start=1):
        cells = lines[k].split(",")
        cells[1] = name if "," not in name else '"' + name.replace('"', '""') + '"'
        lines[k] = ",".join(cells)
    units.write_bytes("\r\n".join(lines).encode("utf-8-sig"))
    return folder / "jifenzhi.yaml"


# ---------------------------------------------------------------------------
# Command-line values: one located message, exit 1, within a second or so


def test_a_date_too_late_for_the_notice_period_is_refused(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out = tmp_path / "reports"
    code, _, err = kaohe(capsys, "report", str(JIFENZHI), "--data", str(JIFENZHI.parent / "data"), "--out", str(out), "--date", "9999-12-31")
    assert code == 2 and "--date 9999-12-31" in err and "超出" in err
    assert not out.exists()


@pytest.mark.parametrize(("sweep", "words"), [
    ("x=NaN:1:0.1", "'NaN' 不是一个有限的数"),
    ("a.max=1e400:1e400:1", "'1e400' 不是一个有限的数"),
    ("a.max=1:Infinity:1", "'Infinity' 不是一个有限的数"),
    ("a.max=1e30:1e30:1", "加上后数值不变"),
    ("a.max=1:2:0", "步长 0 不大于 0"),
    ("a.max=1:2:-0.5", "步长 -0.5 不大于 0"),
    ("a.max=2:1:0.1", "起点 2 大于终点 1"),
    ("a.max=0:100000:1", f"超过 {SWEEP_MAX_VALUES} 个"),
])
def test_a_sweep_that_cannot_be_stepped_through_is_refused_at_once(capsys: pytest.CaptureFixture[str], sweep: str, words: str) -> None:
    started = time.monotonic()
    code, out, err = kaohe(capsys, "diff", str(JIFENZHI), "--data", str(JIFENZHI.parent / "data"), "--sweep", sweep)
    assert time.monotonic() - started < 2.0  # refused before the scheme or the data are read
    assert code == 1 and out == "" and f"--sweep '{sweep}'" in err and words in err, err


def test_the_sweep_cap_is_the_documented_one() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"{SWEEP_MAX_VALUES}" in readme


def test_an_impossible_date_in_set_is_a_message(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = kaohe(capsys, "diff", str(JIFENZHI), "--data", str(JIFENZHI.parent / "data"), "--set", "version=2024-02-30")
    assert code == 1 and out == "" and "--set 'version=2024-02-30'" in err and "day is out of range" in err


def test_new_in_a_folder_that_cannot_be_written_is_a_message_and_leaves_nothing(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    code, out, err = kaohe(capsys, "new", "abc", "--dir", str(blocker / "schemes"))
    assert code == 1 and f"--dir {blocker / 'schemes'}" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file"]


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs a folder its user cannot write (root writes anywhere)")
def test_new_in_a_read_only_folder_is_a_message(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        code, _, err = kaohe(capsys, "new", "abc", "--dir", str(folder))
        assert code == 1 and f"--dir {folder}" in err
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o755)


@pytest.mark.parametrize("lang, words", [("zh", "磁盘空间不足，无法写入输出"), ("en", "the disk is full: cannot write the output")])
def test_a_full_disk_while_writing_the_report_is_said_and_leaves_the_folder_as_it_was(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path, lang: str, words: str) -> None:
    # The disk fills up while the writer thread writes the score sheets: the folder from
    # the last report stays as it was, no temporary file is left, and the message says why.
    import engine.files

    out = tmp_path / "reports"
    data = ["--data", str(JIFENZHI_DATA)]
    assert kaohe(capsys, "report", str(JIFENZHI), *data, "--out", str(out), "--date", "2024-12-01")[0] == 0
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    real = engine.files.write_all

    def write_all(staged: engine.files.Staged, data: bytes) -> None:
        if staged.path.name == "sheets.html":
            raise OSError(28, "No space left on device")
        real(staged, data)

    monkeypatch.setattr(engine.files, "write_all", write_all)
    code, _, err = kaohe(capsys, "report", str(JIFENZHI), *data, "--out", str(out), "--date", "2024-12-02", "--lang", lang)
    assert code == 1 and f"{out}: {words}" in err and "Traceback" not in err
    assert {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["reports"]  # no temporary folder or file beside it


def test_a_full_disk_while_saving_a_blank_template_leaves_no_cut_off_workbook(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # openpyxl writes part of the workbook and the disk fills up: nothing is left where the
    # template goes (a cut-off file would make the next run refuse to overwrite it).
    out = tmp_path / "填报表.xlsx"
    real_save = openpyxl.Workbook.save

    def save(book: openpyxl.Workbook, filename: str) -> None:
        Path(filename).write_bytes(b"PK\x03\x04 half a workbook")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(openpyxl.Workbook, "save", save)
    code, _, err = kaohe(capsys, "template", str(JIFENZHI), "--out", str(out))
    assert code == 1 and f"{out}: 磁盘空间不足，无法写入输出" in err
    assert list(tmp_path.iterdir()) == []
    monkeypatch.setattr(openpyxl.Workbook, "save", real_save)
    assert kaohe(capsys, "template", str(JIFENZHI), "--out", str(out))[0] == 0 and openpyxl.load_workbook(out).sheetnames


def _subprocess(args: list[str], **kwargs: object) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "engine", *args], env=env, cwd=ROOT, timeout=120, check=False, **kwargs)  # type: ignore[call-overload, no-any-return]


def test_a_closed_stdout_ends_quietly_with_exit_1() -> None:
    run = _subprocess(["run", str(JIFENZHI), "--data", str(JIFENZHI.parent / "data")], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                      pass_fds=(), close_fds=True, preexec_fn=lambda: os.close(1))
    err = run.stderr.decode("utf-8")
    assert run.returncode == 1 and "Traceback" not in err and "Exception ignored" not in err and "标准输出" in err


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_full_stdout_ends_quietly_with_exit_1() -> None:
    with open("/dev/full", "wb") as full:
        run = _subprocess(["run", str(JIFENZHI), "--data", str(JIFENZHI.parent / "data"), "--lang", "en"], stdout=full, stderr=subprocess.PIPE)
    err = run.stderr.decode("utf-8")
    assert run.returncode == 1 and "Traceback" not in err and "Exception ignored" not in err and "standard output" in err


# ---------------------------------------------------------------------------
# Outputs never destroy inputs


@pytest.mark.parametrize("command", [
    ["run", "--format", "csv", "--out", "{data}/名单.csv"],
    ["run", "--format", "xlsx", "--out", "{data}/奖惩.xlsx"],
    ["run", "--format", "json", "--out", "{data}"],
    ["diff", "--set", "precision=1", "--format", "md", "--out", "{data}/diff.md"],
    ["report", "--out", "{data}"],
    ["report", "--kind", "gongshi", "--out", "{data}/gongshi.html"],
])
def test_an_output_into_a_data_folder_is_refused_before_any_work(capsys: pytest.CaptureFixture[str], county: Path, command: list[str]) -> None:
    data = county.parent / "data"
    before = digest(county.parent)
    args = [part.format(data=data) for part in command]
    code, out, err = kaohe(capsys, args[0], str(county), "--data", str(data), *args[1:])
    assert code == 1 and "--out" in err and str(data) in err, err
    assert digest(county.parent) == before


@pytest.mark.parametrize("target", ["scheme", "data file", "results", "history", "test"])
def test_an_output_over_an_input_file_is_refused(capsys: pytest.CaptureFixture[str], county: Path, tmp_path: Path, target: str) -> None:
    scores = county.parent / "data" / "月评分.csv"
    loose = tmp_path / "月评分.csv"
    shutil.copy(scores, loose)  # a data file named on its own, not through its folder
    shutil.copytree(county.parent / "data", tmp_path / "rest")
    (tmp_path / "rest" / "月评分.csv").unlink()
    store = tmp_path / "history.json"
    store.write_text("{}", encoding="utf-8")
    tests = county.parent / "tests"
    tests.mkdir()
    (tests / "case.yaml").write_text("cases: []\n", encoding="utf-8")
    (tmp_path / "case.json").symlink_to(tests / "case.yaml")  # a test file under an output's name
    results = tmp_path / "earlier.json"
    assert main(["run", str(county), "--data", str(tmp_path / "rest"), str(loose), "--format", "json", "--out", str(results)]) == 0
    (county.parent / "copy.json").write_text("{}", encoding="utf-8")
    out = {"scheme": county, "data file": loose, "results": results, "history": store, "test": tmp_path / "case.json"}[target]
    fmt = "csv" if target == "data file" else "json"
    if target == "scheme":
        # The scheme file itself, through a hard link with the output's suffix (another name, the same file).
        link = county.parent / "scheme.json"
        os.link(county, link)
        out = link
    capsys.readouterr()
    before = {p: p.read_bytes() for p in (county, loose, results, store, tests / "case.yaml")}
    code, _, err = kaohe(capsys, "run", str(county), "--data", str(tmp_path / "rest"), str(loose), "--results", str(results),
                         "--history", str(store), "--format", fmt, "--out", str(out))
    assert code == 1 and "会覆盖输入文件" in err and f"--out {out}" in err, err
    assert {p: p.read_bytes() for p in before} == before


def test_template_over_a_workbook_is_refused(capsys: pytest.CaptureFixture[str], county: Path) -> None:
    workbook = county.parent / "data" / "奖惩.xlsx"
    before = workbook.read_bytes()
    code, _, err = kaohe(capsys, "template", str(county), "--out", str(workbook))
    assert code == 1 and "不会覆盖" in err and workbook.read_bytes() == before


def test_template_says_which_file_it_wrote(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, err = kaohe(capsys, "template", str(JIFENZHI), "--out", str(tmp_path / "tpl"))
    assert code == 0 and f"改为写入 {tmp_path / 'tpl.xlsx'}" in err and (tmp_path / "tpl.xlsx").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tpl.xlsx"]


# ---------------------------------------------------------------------------
# report: all or nothing, names that mean what the help says


def test_report_out_a_file_name_with_one_kind_writes_that_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    target = tmp_path / "r.html"
    code, out, _ = kaohe(capsys, "report", str(JIFENZHI), "--data", str(JIFENZHI.parent / "data"), "--kind", "gongshi", "--out", str(target))
    assert code == 0 and target.is_file() and str(target) in out
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_report_out_a_file_name_for_the_whole_set_is_refused(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = kaohe(capsys, "report", str(JIFENZHI), "--data", str(JIFENZHI.parent / "data"), "--out", str(tmp_path / "r.html"))
    assert code == 1 and "--out" in err and "5 个文件" in err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("kind", "fmt", "words"), [
    ("notices", "md", "Markdown 只用于"), ("summary", "md", "Markdown 只用于"), ("notices", "html", "没有设置 reports.notices"),
])
def test_a_kind_with_nothing_to_write_says_so(capsys: pytest.CaptureFixture[str], tmp_path: Path, kind: str, fmt: str, words: str) -> None:
    code, out, err = kaohe(capsys, "report", str(JIFENZHI), "--data", str(JIFENZHI.parent / "data"), "--kind", kind, "--format", fmt,
                           "--out", str(tmp_path / "r"))
    assert code == 1 and "已写入" not in out and f"--kind {kind} --format {fmt}" in err and words in err, err
    assert list(tmp_path.iterdir()) == []


def _county_with_template(tmp_path: Path, name: str, text: str) -> Path:
    """The factory scheme extended by a county scheme whose reports.templates holds ``name``."""
    schemes = tmp_path / "schemes"
    shutil.copytree(FACTORY.parent, schemes / FACTORY.parent.name, ignore=shutil.ignore_patterns("tests"))
    own = schemes / "county"
    (own / "templates").mkdir(parents=True)
    (own / "templates" / name).write_text(text, encoding="utf-8")
    (own / "county.yaml").write_text(
        f"extends: ../{FACTORY.parent.name}/{FACTORY.name}\nid: county\ntitle: 某县考核\n"
        "reports: {notices: rectification, templates: ./templates}\n", encoding="utf-8")
    return own / "county.yaml"


def test_a_failing_report_leaves_the_folder_as_it_was(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    # summary is written last: every other file had been written when it fails.
    scheme = _county_with_template(tmp_path, "summary.html.j2", "第一行\n{{ no_such_value }}\n")
    out = tmp_path / "reports"
    out.mkdir()
    (out / "gongshi.html").write_text("last year's", encoding="utf-8")
    code, _, err = kaohe(capsys, "report", str(scheme), "--data", str(FACTORY.parent / "data"), "--out", str(out))
    assert code == 1 and "summary.html.j2:2" in err and "no_such_value" in err
    assert digest(out) == {"gongshi.html": hashlib.sha256(b"last year's").hexdigest()}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["reports", "schemes"]  # no temporary folder left
    code, _, _ = kaohe(capsys, "report", str(scheme), "--data", str(FACTORY.parent / "data"), "--out", str(tmp_path / "new"))
    assert code == 1 and not (tmp_path / "new").exists()


# ---------------------------------------------------------------------------
# Sandboxed templates


@pytest.mark.parametrize("payload", [
    "{{ cycler.__init__.__globals__.os.popen('touch MARKER').read() }}",
    "{{ self._TemplateReference__context.cycler.__init__.__globals__.os.popen('touch MARKER').read() }}",
    "{{ lipsum.__globals__['os'].popen('touch MARKER').read() }}",
    "{{ range.__init__.__globals__ }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ scheme.__class__.__init__.__globals__['sys'].modules['os'].popen('touch MARKER') }}",
    "{{ t.__globals__['sys'] }}",
    "{{ joiner.__init__.__globals__.os.system('touch MARKER') }}",
    "{{ namespace.__init__.__globals__.os.system('touch MARKER') }}",
    "{{ '{0.__class__.__mro__}'.format(scheme) }}",
    "{% set x = units.append(1) %}{{ x }}",
    "{{ scheme.inputs.clear() }}",
])
def test_a_scheme_template_cannot_reach_python(capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                payload: str) -> None:
    monkeypatch.chdir(tmp_path)
    scheme = _county_with_template(tmp_path, "gongshi.html.j2", f"<p>公示</p>\n<p>{payload}</p>\n")
    out = tmp_path / "r"
    code, stdout, err = kaohe(capsys, "report", str(scheme), "--data", str(FACTORY.parent / "data"), "--kind", "gongshi", "--out", str(out))
    assert code == 1 and stdout == ""
    assert "gongshi.html.j2:2" in err and "不允许" in err, err
    assert not (tmp_path / "MARKER").exists() and not out.exists()


def test_a_template_refusal_is_in_english_too(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    scheme = _county_with_template(tmp_path, "gongshi.html.j2", "{{ cycler.__init__.__globals__ }}")
    code, _, err = kaohe(capsys, "report", str(scheme), "--data", str(FACTORY.parent / "data"), "--kind", "gongshi",
                         "--out", str(tmp_path / "r"), "--lang", "en")
    assert code == 1 and "gongshi.html.j2:1" in err and "not allowed" in err and "unsafe" in err


# ---------------------------------------------------------------------------
# No formula injection, no markup, no control characters


def test_text_cells_are_never_formulas(capsys: pytest.CaptureFixture[str], county: Path, tmp_path: Path) -> None:
    data = county.parent / "data"
    code, _, err = kaohe(capsys, "run", str(county), "--data", str(data), "--format", "xlsx", "--out", str(tmp_path / "r.xlsx"))
    assert code == 0
    # One warning for the control character, and the cell written without it.
    assert err.count("控制字符") == 2 and err.count("警告") == 1  # the message and its hint
    book = openpyxl.load_workbook(tmp_path / "r.xlsx")
    names = {row[2].value: row[2].data_type for row in book.worksheets[0].iter_rows(min_row=2)}
    assert names["=1+1"] == "s" and names['=HYPERLINK("http://x","y")'] == "s" and names["-5"] == "s"
    assert "甲单位" in names and not any("\x07" in str(name) for name in names)


def test_csv_text_cells_that_look_like_formulas_get_a_quote(capsys: pytest.CaptureFixture[str], county: Path) -> None:
    import csv
    import io

    code, out, _ = kaohe(capsys, "run", str(county), "--data", str(county.parent / "data"), "--format", "csv")
    assert code == 0
    rows = list(csv.reader(io.StringIO(out)))
    names = [row[2] for row in rows[1:]]
    assert "'=1+1" in names and "'=HYPERLINK(\"http://x\",\"y\")" in names and "'-5" in names and "'@SUM(A1)" in names
    assert "甲\x07单位" in names and "<script>alert(1)</script>" in names  # not formulas: as they are
    assert all(not cell.startswith("'") for row in rows[1:] for cell in row[5:6])  # totals stay numbers


def test_a_negative_score_in_csv_stays_a_number(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    scheme = tmp_path / "s.yaml"
    scheme.write_text("kaohe: 1\nid: s\nversion: 1\ntitle: 测试\ninputs:\n  x: {title: 分, type: number, range: [-10, 10]}\n"
                      "items:\n  - {id: a, title: 项, min: -10, max: 10, formula: x}\n", encoding="utf-8")
    (tmp_path / "d.csv").write_text("编号,名称,分\nA,=甲,-1\n", encoding="utf-8")
    code, out, err = kaohe(capsys, "run", str(scheme), "--data", str(tmp_path / "d.csv"), "--format", "csv")
    assert code == 0, err
    assert out.splitlines()[1] == "1,A,'=甲,,1,-1.00,-1.00,,"


def test_markdown_escapes_markup_in_names(capsys: pytest.CaptureFixture[str], county: Path, tmp_path: Path) -> None:
    code, out, _ = kaohe(capsys, "run", str(county), "--data", str(county.parent / "data"))
    assert code == 0 and "<script>" not in out and "&lt;script>alert(1)&lt;/script>" in out
    code, _, _ = kaohe(capsys, "report", str(county), "--data", str(county.parent / "data"), "--format", "md", "--out", str(tmp_path / "md"))
    assert code == 0
    for page in (tmp_path / "md").iterdir():
        assert "<script>" not in page.read_text(encoding="utf-8")


def test_a_report_with_a_control_character_is_written_whole(capsys: pytest.CaptureFixture[str], county: Path, tmp_path: Path) -> None:
    out = tmp_path / "r"
    code, _, err = kaohe(capsys, "report", str(county), "--data", str(county.parent / "data"), "--out", str(out))
    assert code == 0 and f"{out / 'results.xlsx'}: 警告" in err
    assert sorted(p.name for p in out.iterdir()) == ["gongshi.html", "results.xlsx", "sheets.html", "summary.html"]


def test_a_control_character_in_a_scheme_title_is_refused_before_the_template(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    # The loader refuses control characters, escaped ones too (issue 12): the
    # template, which would have to strip them from titles, never sees them.
    scheme = tmp_path / "s.yaml"
    scheme.write_text('kaohe: 1\nid: s\nversion: 1\ntitle: "测\\a试"\ninputs:\n  x: {title: "分\\a数", type: category, values: ["甲\\a", 乙]}\n'
                      'items:\n  - {id: a, title: "项\\a目", max: 10, formula: "10 if x == \'乙\' else 0"}\n', encoding="utf-8")
    code, _, err = kaohe(capsys, "template", str(scheme), "--out", str(tmp_path / "t.xlsx"))
    assert code == 1 and f"{scheme}:4:8: $.title:" in err and "U+0007" in err
    assert not (tmp_path / "t.xlsx").exists()


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_full_stdout_records_nothing(tmp_path: Path) -> None:
    store = tmp_path / "h.sqlite"
    s5 = ROOT / "schemes" / "dangfeng-lianzheng" / "dangfeng-lianzheng.yaml"
    with open("/dev/full", "wb") as full:
        run = _subprocess(["run", str(s5), "--data", str(s5.parent / "data"), "--period", "2023", "--record", "--history", str(store)],
                          stdout=full, stderr=subprocess.PIPE)
    assert run.returncode == 1 and b"Traceback" not in run.stderr
    if store.exists():
        import sqlite3

        with sqlite3.connect(store) as db:
            assert db.execute("SELECT COUNT(*) FROM runs").fetchone()[0] == 0


def test_template_units_beyond_a_sheet_are_refused_at_once(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    started = time.monotonic()
    code, _, err = kaohe(capsys, "template", str(JIFENZHI), "--out", str(tmp_path / "t.xlsx"), "--units", "1000000000000")
    assert code == 1 and "--units 1000000000000" in err and time.monotonic() - started < 2.0
    assert list(tmp_path.iterdir()) == []


def test_template_titles_are_never_formulas(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    scheme = tmp_path / "s.yaml"
    scheme.write_text('kaohe: 1\nid: s\nversion: 1\ntitle: "=1+1"\ninputs:\n  x: {title: "=HYPERLINK(\\"http://x\\")", type: number, range: [0, 10]}\n'
                      'items:\n  - {id: a, title: "@项", max: 10, formula: x}\n', encoding="utf-8")
    code, _, err = kaohe(capsys, "template", str(scheme), "--out", str(tmp_path / "t.xlsx"))
    assert code == 0, err
    book = openpyxl.load_workbook(tmp_path / "t.xlsx")
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str) and c.value.startswith("=")]
    assert cells and all(c.data_type == "s" for c in cells)


def test_a_broken_scheme_template_is_located(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    scheme = _county_with_template(tmp_path, "gongshi.html.j2", "<p>\n{% if %}\n")
    code, _, err = kaohe(capsys, "report", str(scheme), "--data", str(FACTORY.parent / "data"), "--kind", "gongshi", "--out", str(tmp_path / "r"))
    assert code == 1 and "gongshi.html.j2:2" in err and "报表模板有误" in err and not (tmp_path / "r").exists()


def test_run_format_html_uses_the_sandbox_too(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    scheme = _county_with_template(tmp_path, "gongshi.html.j2", "{{ cycler.__init__.__globals__.os.popen('id').read() }}")
    code, out, err = kaohe(capsys, "run", str(scheme), "--data", str(FACTORY.parent / "data"), "--format", "html")
    assert code == 1 and out == "" and "gongshi.html.j2:1" in err and "不允许" in err


def test_out_onto_a_hard_link_to_a_file_of_a_data_folder_is_refused(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    # Found by a stranger's trial: the folder check compared paths only.
    data = tmp_path / "d"
    shutil.copytree(JIFENZHI.parent / "data", data)
    link = tmp_path / "out.csv"
    os.link(data / "月评分.csv", link)
    before = (data / "月评分.csv").read_bytes()
    code, _, err = kaohe(capsys, "run", str(JIFENZHI), "--data", str(data), "--out", str(link), "--format", "csv")
    assert code == 1 and "月评分.csv" in err and (data / "月评分.csv").read_bytes() == before
