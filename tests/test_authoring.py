"""Authoring without code: extends/overrides, kaohe show, data-entry templates (round trip)."""

from __future__ import annotations

import shutil
import typing as t
from pathlib import Path

import openpyxl
import pytest

from engine.cli import main
from engine.compiler import compile_scheme
from engine.data import read_dataset
from engine.errors import DataError, SchemeError
from engine.evaluate import evaluate
from engine.grade import decide
from engine.inherit import load_scheme
from engine.template import write_template
from tests.helpers import ROOT

WULUMUQI = ROOT / "schemes" / "chuangxian-zhengyou-wulumuqi"

COUNTY = """\
# 某县: 在乌鲁木齐县细则的基础上改写
extends: ../chuangxian-zhengyou-wulumuqi/chuangxian-zhengyou-wulumuqi.yaml
id: county
version: "2013"
title: 某县创先争优活动考核
override:
  item_12: {max: 4}          # 岗位奉献 5 → 4 分
  show: {max: 9}
  item_32: {title: 培树和宣传先进典型}
remove: [item_13b]           # 党组织创争承诺并入基本承诺
add:
  - to: pledge_org
    after: item_13
    item: {id: item_13c, title: 党组织特色承诺, max: 2, formula: score_13c}
override_note: 只是为了测试未知键
"""


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A schemes folder holding the 乌鲁木齐县 scheme and a county scheme that extends it."""
    schemes = tmp_path / "schemes"
    shutil.copytree(WULUMUQI, schemes / WULUMUQI.name)
    (schemes / "county").mkdir()
    return schemes


def write_county(repo: Path, text: str) -> Path:
    path = repo / "county" / "county.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_misspelt_key_in_the_child_points_into_the_child(repo: Path) -> None:
    path = write_county(repo, COUNTY)
    with pytest.raises(SchemeError):
        compile_scheme(load_scheme(path))  # 'override_note' is not a key of the language
    from engine.compiler import check_scheme

    problems = check_scheme(load_scheme(path))[1]
    bad = [p for p in problems if p.severity == "error"]
    assert [(p.code, Path(p.location.file).name, p.location.line) for p in bad] == [("unknown_key", "county.yaml", 15)]
    assert "是否想写 'override'" in bad[0].render()


@pytest.mark.parametrize("edit, code, line, suggestion", [
    ("remove: [item_13b]", "remove: [item_13d]", 10, "item_13"),
    ("  item_12: {max: 4}", "  itme_12: {max: 4}", 7, "item_12"),
    ("  - to: pledge_org", "  - to: pledge_orgg", 12, "pledge_org"),
])
def test_an_unknown_id_is_located_with_a_suggestion(repo: Path, edit: str, code: str, line: int, suggestion: str) -> None:
    path = write_county(repo, COUNTY.replace("override_note: 只是为了测试未知键\n", "").replace(edit, code))
    with pytest.raises(SchemeError) as caught:
        load_scheme(path)
    (problem,) = caught.value.problems
    assert problem.code == "extends_unknown_id" and problem.location.line == line
    assert Path(problem.location.file).name == "county.yaml" and f"是否想写 '{suggestion}'" in problem.render()


def test_cycles_and_paths_outside_the_schemes_folder_are_errors(repo: Path, tmp_path: Path) -> None:
    a = repo / "county" / "a.yaml"
    b = repo / "county" / "b.yaml"
    a.write_text("extends: b.yaml\nid: a\n", encoding="utf-8")
    b.write_text("extends: a.yaml\nid: b\n", encoding="utf-8")
    with pytest.raises(SchemeError) as caught:
        load_scheme(a)
    assert caught.value.problems[0].code == "extends_cycle"
    (tmp_path / "outside.yaml").write_text("kaohe: 1\n", encoding="utf-8")
    a.write_text("extends: ../../outside.yaml\nid: a\n", encoding="utf-8")
    with pytest.raises(SchemeError) as caught:
        load_scheme(a)
    assert caught.value.problems[0].code == "extends_outside"


def test_inherited_problems_point_into_the_parent(repo: Path) -> None:
    # Removing 党员创争承诺 leaves 党员公开承诺 (declared 4) with 2 points: the warning is the parent's line.
    path = write_county(repo, COUNTY.replace("override_note: 只是为了测试未知键\n", "").replace("remove: [item_13b]", "remove: [item_13b, item_15]")
                        + "inputs:\n  score_13c: {title: 特色承诺评分, type: number, range: [0, 2]}\n")
    from engine.compiler import check_scheme

    scheme, problems = check_scheme(load_scheme(path))
    assert scheme is not None
    mismatch = [p for p in problems if p.code == "section_total_mismatch"]
    assert [(Path(p.location.file).name, p.location.line) for p in mismatch] == [("chuangxian-zhengyou-wulumuqi.yaml", 196)]


def put(sheet: t.Any, cells: list[object]) -> None:
    """Type a row under the last filled one, as a clerk does (append would go below the formatted rows)."""
    row = next(r for r in range(2, sheet.max_row + 2) if sheet.cell(row=r, column=1).value is None)
    for column, value in enumerate(cells, start=1):
        sheet.cell(row=row, column=column).value = value


def fill(workbook: Path, units: list[dict[str, object]], checks: dict[str, list[float]], extra: dict[str, object]) -> None:
    """Fill a generated template as a clerk would: one row per unit, one per spot check."""
    book = openpyxl.load_workbook(workbook)
    sheet = book["名单"]
    header = [c.value for c in sheet[1]]
    for unit in units:
        values = {**extra, **unit}
        put(sheet, [values.get(h, "") for h in header])
    spot = book["抽查次数"]
    for unit_id, values in checks.items():
        for k, value in enumerate(values, 1):
            put(spot, [unit_id, k, value])
    book.save(workbook)


def test_template_id_columns_are_text_so_leading_zeros_survive(tmp_path: Path) -> None:
    scheme, _ = compile_scheme(load_scheme(WULUMUQI / "chuangxian-zhengyou-wulumuqi.yaml"))
    workbook = tmp_path / "t.xlsx"
    write_template(scheme, workbook)
    book = openpyxl.load_workbook(workbook)
    data_sheets = [book[name] for name in book.sheetnames if name != "说明"]
    assert data_sheets and all(ws["A2"].number_format == "@" == ws["A201"].number_format for ws in data_sheets)


def test_county_scheme_round_trip_through_a_template(repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_county(repo, COUNTY.replace("override_note: 只是为了测试未知键\n", "") + """
inputs:
  score_13c: {title: 第13c条党组织特色承诺评分, type: number, range: [0, 2]}
""")
    scheme, _ = compile_scheme(load_scheme(path))
    workbook = tmp_path / "填报.xlsx"
    sheets = write_template(scheme, workbook)
    assert sheets[0] == "说明" and "名单" in sheets and "抽查次数" in sheets
    # The same answers as the 乌鲁木齐县 scenario's 乡镇 T (see its tests/golden.yaml), by title.
    import yaml

    golden = yaml.safe_load((WULUMUQI / "tests" / "golden.yaml").read_text(encoding="utf-8"))
    answers = dict(golden["anchors"]["common"])
    by_title = {spec.title: value for name, value in answers.items() for spec in [scheme.inputs[name]]}
    by_title.update({"第29条党群共建评分": 8, "第13c条党组织特色承诺评分": 1.5})
    fill(workbook, [{"编号": "T", "名称": "某乡党委", "类型": "乡镇"}], {"T": [90, 85, 80]}, by_title)
    outcomes = decide(evaluate(scheme, read_dataset(scheme, [workbook])))
    # 乌鲁木齐县 T = 84.6. Changes: 岗位奉献 max 4 (T scored 4 → still 4, 亮牌示范 9 of 9);
    # 党组织创争承诺 (1.5) removed; 特色承诺 1.5 added → 84.6 − 1.5 + 1.5 = 84.6 of 100 − 1 (岗位奉献) = 99
    # → 折算 84.6 × 100 ÷ 99 = 85.4545… → 85.45
    assert float(outcomes.results.total[0]) == 85.45
    # kaohe run reads the filled workbook with no editing.
    code = main(["run", str(path), "--data", str(workbook), "--format", "json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert '"total": 85.45' in out


def test_a_renamed_column_in_a_filled_template_is_reported(repo: Path, tmp_path: Path) -> None:
    scheme, _ = compile_scheme(load_scheme(WULUMUQI / "chuangxian-zhengyou-wulumuqi.yaml"))
    workbook = tmp_path / "t.xlsx"
    write_template(scheme, workbook)
    book = openpyxl.load_workbook(workbook)
    put(book["名单"], ["T", "某乡党委", "乡镇"])
    book["名单"]["E1"] = "改过的表头"  # a clerk renamed a column
    book.save(workbook)
    with pytest.raises(DataError) as caught:
        read_dataset(scheme, [workbook])
    assert "data_missing_column" in [p.code for p in caught.value.problems]


def test_kaohe_show_lists_the_changes(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_county(repo, COUNTY.replace("override_note: 只是为了测试未知键\n", "") + """
inputs:
  score_13c: {title: 第13c条党组织特色承诺评分, type: number, range: [0, 2]}
""")
    assert main(["show", str(path), "--changes"]) == 0
    out = capsys.readouterr().out
    assert "满分 item_12（\"岗位奉献\"活动）: 5 → 4" in out and "删除 item_13b" in out and "新增 item_13c" in out
    assert main(["show", str(path)]) == 0
    resolved = capsys.readouterr().out
    assert "extends" not in resolved and "id: item_13c" in resolved


def test_kaohe_new_creates_schemes_that_validate_and_test(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    schemes = tmp_path / "schemes"
    shutil.copytree(ROOT / "schemes" / "jifenzhi", schemes / "jifenzhi")
    assert main(["new", "my-scheme", "--dir", str(schemes)]) == 0
    assert main(["new", "my-county", "--dir", str(schemes), "--from", str(schemes / "jifenzhi" / "jifenzhi.yaml")]) == 0
    capsys.readouterr()
    assert main(["validate", str(schemes / "my-scheme" / "my-scheme.yaml"), str(schemes / "my-county" / "my-county.yaml")]) == 0
    # The blank scheme's generated scenario test runs and passes under pytest.
    import subprocess
    import sys

    # (the repository's conftest, which collects scenario files, is loaded as a plugin: the folder is outside the repository)
    done = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "conftest", "--rootdir", str(tmp_path),
                           "-c", str(ROOT / "pyproject.toml"), str(schemes / "my-scheme" / "tests" / "example.yaml")],
                          capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 passed" in done.stdout
    # A bad name and an existing folder are clear errors.
    assert main(["new", "Bad Name", "--dir", str(schemes)]) == 1
    assert main(["new", "my-scheme", "--dir", str(schemes)]) == 1


def test_kaohe_diff_compares_a_scheme_with_the_one_it_extends(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_county(repo, COUNTY.replace("override_note: 只是为了测试未知键\n", "") + """
inputs:
  score_13c: {title: 第13c条党组织特色承诺评分, type: number, range: [0, 2], missing: zero, optional: true}
""")
    parent = repo / WULUMUQI.name / f"{WULUMUQI.name}.yaml"
    code = main(["diff", str(parent), str(path), "--data", str(repo / WULUMUQI.name / "data")])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "| 删除 | item_13b |" in out and "| 新增 | item_13c |" in out and "| 满分 | item_12 |" in out


def test_an_add_without_item_is_explained(repo: Path) -> None:
    path = write_county(repo, "extends: ../chuangxian-zhengyou-wulumuqi/chuangxian-zhengyou-wulumuqi.yaml\nid: county\nadd:\n  - {to: basic}\n")
    with pytest.raises(SchemeError) as caught:
        load_scheme(path)
    text = caught.value.render()
    assert "add 的每一项要写 to" in text and "{to: basic, after: item_02" in text and ":4:" in text


def _schema_line_names_a_file(scheme: Path) -> bool:
    first = scheme.read_text(encoding="utf-8").splitlines()[0]
    prefix = "# yaml-language-server: $schema="
    return first.startswith(prefix) and (scheme.parent / first[len(prefix):]).is_file()


def test_kaohe_new_from_any_folder_copies_the_parent_and_the_schema(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """From a folder outside the clone, with the parent elsewhere: the parent is copied beside the
    new scheme (extends may not leave the schemes folder), and $schema names a copy of the schema."""
    elsewhere = tmp_path / "下载" / "市里的方案"
    shutil.copytree(WULUMUQI, elsewhere)
    work = tmp_path / "工作"
    work.mkdir()
    monkeypatch.chdir(work)
    assert main(["new", "我县创先争优", "--from", str(elsewhere / f"{WULUMUQI.name}.yaml"), "--id", "woxian"]) == 0
    out = capsys.readouterr().out
    scheme = work / "schemes" / "我县创先争优" / "我县创先争优.yaml"
    parent_copy = work / "schemes" / "市里的方案" / f"{WULUMUQI.name}.yaml"
    assert scheme.is_file() and parent_copy.is_file() and (work / "schemes" / "市里的方案" / "data").is_dir()
    assert f"extends: ../市里的方案/{WULUMUQI.name}.yaml" in scheme.read_text(encoding="utf-8")
    assert "id: woxian" in scheme.read_text(encoding="utf-8")
    assert _schema_line_names_a_file(scheme) and (work / "schemes" / "scheme.schema.json").is_file()
    assert "schemes/市里的方案/" in out  # the copy is listed, relative to where the user is
    assert main(["validate", "schemes/我县创先争优"]) == 0
    # show --changes from the scheme's folder resolves extends from the scheme file's own folder.
    assert main(["show", "schemes/我县创先争优", "--changes"]) == 0
    assert "的改动（0 处）" in capsys.readouterr().out
    # A second county scheme from the same parent shares the copy; a different one of the same name is refused.
    assert main(["new", "another", "--from", str(elsewhere / f"{WULUMUQI.name}.yaml")]) == 0
    assert "extends: ../市里的方案/" in (work / "schemes" / "another" / "another.yaml").read_text(encoding="utf-8")
    (elsewhere / f"{WULUMUQI.name}.yaml").write_text((elsewhere / f"{WULUMUQI.name}.yaml").read_text(encoding="utf-8")
                                                     .replace("title:", "title: 改过的", 1), encoding="utf-8")
    capsys.readouterr()
    assert main(["new", "third", "--from", str(elsewhere / f"{WULUMUQI.name}.yaml")]) == 1
    assert "这个文件夹已存在且内容不同" in capsys.readouterr().err and not (work / "schemes" / "third").exists()


def test_kaohe_new_with_a_chinese_name_validates_and_tests(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["new", "我县考核"]) == 0
    out = capsys.readouterr().out
    scheme = tmp_path / "schemes" / "我县考核" / "我县考核.yaml"
    assert "方案编号（id）为 scheme-" in out and "title: 我县考核" in scheme.read_text(encoding="utf-8")
    assert _schema_line_names_a_file(scheme)
    assert main(["validate", "schemes/我县考核"]) == 0
    assert main(["test", "schemes/我县考核"]) == 0
    assert "1 个通过，0 个未通过" in capsys.readouterr().out
    # Names no folder can have are refused before anything is written.
    for bad in ("我县 考核", "我县/考核", "考核?", ".隐藏"):
        assert main(["new", bad]) == 1
    assert "不能含空格" in capsys.readouterr().err
    assert sorted(p.name for p in (tmp_path / "schemes").iterdir()) == ["scheme.schema.json", "我县考核"]


def test_kaohe_new_from_a_bundled_scheme_or_a_chain(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    # A name of a scheme shipped with Kaohe: copied in, then extended.
    assert main(["new", "my-stars", "--from", "jifenzhi"]) == 0
    assert (tmp_path / "schemes" / "jifenzhi" / "jifenzhi.yaml").read_bytes() == (ROOT / "schemes" / "jifenzhi" / "jifenzhi.yaml").read_bytes()
    # A parent that itself extends another is copied resolved, so the copy stands alone.
    county = tmp_path / "别处" / "county"
    shutil.copytree(WULUMUQI, tmp_path / "别处" / WULUMUQI.name)
    county.mkdir()
    (county / "county.yaml").write_text(COUNTY.replace("override_note: 只是为了测试未知键\n", "")
                                        + "inputs:\n  score_13c: {title: 第13c条, type: number, range: [0, 2]}\n", encoding="utf-8")
    assert main(["new", "grandchild", "--from", str(county)]) == 0
    copied = (tmp_path / "schemes" / "county" / "county.yaml").read_text(encoding="utf-8")
    assert "extends" not in copied.split("\n", 1)[1] and "item_13c" in copied
    assert main(["validate", "schemes/grandchild", "schemes/my-stars"]) == 0
    # A broken parent writes nothing.
    (county / "county.yaml").write_text("extends: ../nowhere.yaml\nid: county\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["new", "broken", "--from", str(county / "county.yaml")]) == 1
    assert not (tmp_path / "schemes" / "broken").exists()


def test_kaohe_new_in_the_clone_points_at_the_repository_schema(tmp_path: Path) -> None:
    from engine.scaffold import _schema_reference

    target = ROOT / "schemes" / "not-created"
    reference, written = _schema_reference(ROOT / "schemes", target)
    assert reference == "../../schema/scheme.schema.json" and written == []


def test_kaohe_schema_prints_an_existing_path_and_writes_a_copy(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    assert Path(capsys.readouterr().out.strip()).is_file()
    assert main(["schema", "--write", str(tmp_path / "方案")]) == 0
    assert capsys.readouterr().out.strip() == str(tmp_path / "方案" / "scheme.schema.json")
    assert (tmp_path / "方案" / "scheme.schema.json").read_bytes() == (ROOT / "schema" / "scheme.schema.json").read_bytes()
