"""The kaohe command end to end: exit codes, the JSON contract, explain, atomic output."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from engine.cli import main
from tests.helpers import INVALID, JIFENZHI, JIFENZHI_DATA, ROOT


def kaohe(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_validate_all_bundled_schemes(capsys: pytest.CaptureFixture[str]) -> None:
    schemes = sorted(str(p) for p in JIFENZHI.parent.parent.glob("*/*.yaml"))
    code, out, err = kaohe(capsys, "validate", *schemes)
    assert code == 0, err
    assert out.count("✓") == len(schemes)


def test_validate_reports_the_line_and_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = kaohe(capsys, "validate", str(INVALID / "misspelled_key.yaml"))
    assert code == 1
    assert "misspelled_key.yaml:11:5: $.items[0].fromula: 未知的键 'fromula'" in err
    assert "Traceback" not in err


def test_validate_in_english(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = kaohe(capsys, "validate", str(INVALID / "undeclared_name.yaml"), "--lang", "en")
    assert code == 1
    assert "'scroe' in 'scroe * 2' is not declared" in err
    assert "hint: did you mean 'score'?" in err


def test_missing_scheme_file_is_a_user_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = kaohe(capsys, "run", "nope.yaml", "--data", str(JIFENZHI_DATA))
    assert code == 1 and "nope.yaml: 找不到文件" in err


def test_a_missing_option_is_a_translated_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = kaohe(capsys, "run", str(JIFENZHI))  # --data is required
    assert code == 2  # a usage error (design.md), but in Chinese with a hint rather than argparse's English
    assert "kaohe run: 缺少必需的参数: --data" in err and "kaohe run --help" in err


def test_a_misspelt_option_gets_the_subcommands_suggestion(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = kaohe(capsys, "run", str(JIFENZHI), "--data", str(JIFENZHI_DATA), "--fromat", "json")
    assert code == 2
    assert "kaohe run: 无法识别的参数: --fromat json" in err and "是否想写 '--format'？" in err


def test_a_wrong_choice_lists_the_choices_in_english(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = kaohe(capsys, "--lang", "en", "rnu")
    assert code == 2
    assert "kaohe: 'rnu' is not a valid command" in err and "did you mean 'run'?" in err
    code, _, err = kaohe(capsys, "run", str(JIFENZHI), "--data", "d", "--format", "jsn", "--lang=en")
    assert code == 2 and "did you mean 'json'? choose from: csv, html, json, md, xlsx." in err


def test_lang_may_come_before_the_command(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = kaohe(capsys, "--lang", "en", "run", "nope.yaml", "--data", str(JIFENZHI_DATA))
    assert code == 1 and "nope.yaml: file not found" in err


def test_no_command_and_too_many_schemes_are_usage_errors(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = kaohe(capsys)
    assert code == 2 and "没有给出命令" in err
    code, _, err = kaohe(capsys, "diff", "a.yaml", "b.yaml", "c.yaml", "--data", str(JIFENZHI_DATA))
    assert code == 2 and "最多比较两个方案，实际给了 3 个" in err


def test_run_json_follows_the_contract(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = kaohe(capsys, "run", str(JIFENZHI), "--data", str(JIFENZHI_DATA), "--format", "json")
    assert code == 0
    document = json.loads(out)
    assert document["scheme"] == {"id": "jifenzhi", "version": "2013", "title": "党员积分制管理考核", "precision": 2}
    assert isinstance(document["warnings"], list)
    units = document["units"]
    assert len(units) == 40
    first = units[0]
    for key in ("id", "name", "type", "group", "total", "grade", "rank", "eligible", "vetoes", "labels", "items"):
        assert key in first
    assert first["rank"] == 1
    assert set(first["items"]["item_01"]) >= {"score", "max"}
    # The total is the sum of the rounded items and adjustments, exactly at 2 decimals.
    items = sum(round(u["score"] * 100) for k, u in first["items"].items())
    assert items == round(first["total"] * 100)
    for unit in units:
        if unit["total"] is not None:
            assert unit["total"] == round(unit["total"], 2)
    manual = [u for u in units if u["manual"]]
    assert len(manual) == 2 and all(u["rank"] is None and u["grade"] for u in manual)


def test_out_takes_a_folder_or_a_file_with_the_formats_suffix(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = kaohe(capsys, "run", str(JIFENZHI), "--data", str(JIFENZHI_DATA), "--format", "json", "--out", str(tmp_path / "结果"))
    assert code == 0 and json.loads((tmp_path / "结果" / "results.json").read_text(encoding="utf-8"))["units"]
    code, out, _ = kaohe(capsys, "run", str(JIFENZHI), "--data", str(JIFENZHI_DATA), "--format", "json", "--out", str(tmp_path / "r.json"))
    assert code == 0 and (tmp_path / "r.json").is_file()
    code, _, err = kaohe(capsys, "run", str(JIFENZHI), "--data", str(JIFENZHI_DATA), "--format", "csv", "--out", str(tmp_path / "r.json"))
    assert code == 1 and "这是一个已有的文件，而 --out 应是文件夹" in err and "--out 结果.csv" in err
    code, _, _ = kaohe(capsys, "template", str(JIFENZHI), "--out", f"{tmp_path}/")
    assert code == 0 and (tmp_path / "jifenzhi-填报表.xlsx").is_file()
    code, out, err = kaohe(capsys, "demo", "--out", str(tmp_path / "r.json"))
    assert code == 1 and out == "" and "r.json: 这是一个已有的文件，而 --out 应是文件夹" in err


def test_run_writes_atomically_and_leaves_nothing_on_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = kaohe(capsys, "run", str(JIFENZHI), "--data", str(JIFENZHI_DATA), "--format", "csv", "--out", str(tmp_path))
    assert code == 0 and (tmp_path / "results.csv").exists()
    assert (tmp_path / "results.csv").read_bytes().startswith(b"\xef\xbb\xbf")  # Excel opens UTF-8 with BOM
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "名单.csv").write_text("编号,姓名,党支部\nX,某,一支部\n", encoding="utf-8")
    out_dir = tmp_path / "out"
    code, _, err = kaohe(capsys, "run", str(JIFENZHI), "--data", str(bad), "--format", "json", "--out", str(out_dir))
    assert code == 1 and "Traceback" not in err
    assert not out_dir.exists() or not any(out_dir.iterdir())


def test_explain_shows_the_arithmetic(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = kaohe(capsys, "explain", str(JIFENZHI), "--data", str(JIFENZHI_DATA), "--unit", "D021")
    assert code == 0
    assert "sum(score_01) / 12 * base_weight + sum(vote_01) / count(vote_01) * vote_weight" in out
    assert "jifenzhi.yaml:" in out and "月评分.csv 第" in out
    assert "本局通报批评（-1） = -1" in out
    assert "总分 = 各项之和" in out
    # The 半年评议 correction is shown with both values and its source row.
    assert "更正: 第一项月评分 月份 3: 6 → 7（半年评议时提出异议" in out and "半年评议更正.csv 第 2 行" in out


def test_explain_unknown_unit_suggests(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = kaohe(capsys, "explain", str(JIFENZHI), "--data", str(JIFENZHI_DATA), "--unit", "D0211")
    assert code == 1 and "是否想写 'D021'" in err


def test_python_dash_m_engine_runs_the_demo() -> None:
    done = subprocess.run([sys.executable, "-m", "engine", "demo"], capture_output=True, text=True, cwd=Path(__file__).parent.parent)
    assert done.returncode == 0, done.stderr
    assert "| 1 | D002 |" in done.stdout


def test_explain_in_english(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = kaohe(capsys, "explain", str(JIFENZHI), "--data", str(JIFENZHI_DATA), "--unit", "D021", "--lang", "en")
    assert code == 0
    assert "rule formula @" in out and "result = " in out and "highest only = -1" in out
    assert "计算结果" not in out and "读取" not in out


S5 = JIFENZHI.parent.parent / "dangfeng-lianzheng" / "dangfeng-lianzheng.yaml"
S5_DATA = S5.parent / "data"


def test_history_is_recorded_and_read_back(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = tmp_path / "history.sqlite"
    common = ["--data", str(S5_DATA), "--history", str(store), "--format", "json"]
    code, out, err = kaohe(capsys, "run", str(S5), "--period", "2023", "--record", *common)
    assert code == 0 and "已记录 dangfeng-lianzheng 2023 期 12 个单位" in err
    # No earlier period for 2023: C10 is bottom but not "two years running".
    c10 = next(u for u in json.loads(out)["units"] if u["id"] == "C10")
    assert [a["id"] for a in c10["actions"]] == ["admonish"]
    # Recording 2023 again is refused unless asked (--replace), naming the period and when it was stored…
    code, out, err = kaohe(capsys, "run", str(S5), "--period", "2023", "--record", *common)
    assert code == 1 and out == "" and "已有 dangfeng-lianzheng 的 2023 期（记录于 20" in err and "--replace" in err
    # … and with --replace it replaces it rather than adding a second copy.
    assert kaohe(capsys, "run", str(S5), "--period", "2023", "--record", "--replace", *common)[0] == 0
    import sqlite3
    with sqlite3.connect(store) as db:
        assert db.execute("SELECT COUNT(*) FROM outcomes").fetchone()[0] == 12
    code, out, _ = kaohe(capsys, "run", str(S5), "--period", "2024", *common)
    c10 = next(u for u in json.loads(out)["units"] if u["id"] == "C10")
    assert [a["id"] for a in c10["actions"]] == ["admonish", "reorganise"]


def test_history_without_a_period_runs_and_says_so_once(capsys: pytest.CaptureFixture[str]) -> None:
    # The shipped sample data must run as given; rules on earlier periods then see none.
    code, out, err = kaohe(capsys, "run", str(S5), "--data", str(S5_DATA), "--format", "json")
    assert code == 0 and err.count("没有给出 --period") == 1 and "Traceback" not in err
    c10 = next(u for u in json.loads(out)["units"] if u["id"] == "C10")
    # Last this year, but with no earlier year the two-years-running 组织调整 cannot apply.
    assert "reorganise" not in [a["id"] for a in c10["actions"]]
    code, _, err = kaohe(capsys, "run", str(S5), "--data", str(S5_DATA), "--record")
    assert code == 1 and "--period" in err


def test_a_file_that_is_not_a_history_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bogus = tmp_path / "history.sqlite"
    bogus.write_text("not a database", encoding="utf-8")
    code, _, err = kaohe(capsys, "run", str(S5), "--data", str(S5_DATA), "--period", "2024", "--history", str(bogus))
    assert code == 1 and "无法读写历史记录" in err


SCHEMES = sorted(JIFENZHI.parent.parent.glob("*/*.yaml"))


@pytest.mark.parametrize("scheme", SCHEMES, ids=[p.parent.name for p in SCHEMES])
def test_every_scheme_runs_and_explains_on_its_sample_data(scheme: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    common = ["--data", str(scheme.parent / "data"), "--period", "2024", "--history", str(tmp_path / "h.sqlite")]
    code, out, err = kaohe(capsys, "run", str(scheme), "--format", "json", *common)
    assert code == 0, err
    document = json.loads(out)
    assert document["units"] and "Traceback" not in err
    first = document["units"][0]["id"]
    code, out, err = kaohe(capsys, "explain", str(scheme), "--unit", first, *common)
    assert code == 0, err
    assert first in out and "Traceback" not in err


def test_another_schemes_results_can_be_given_as_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # 述职评议 (联述联评联考) results handed over as a file instead of the history database.
    lianshu = JIFENZHI.parent.parent / "lianshu-lianping-liankao" / "lianshu-lianping-liankao.yaml"
    ganbu = JIFENZHI.parent.parent / "ganbu-ceping" / "ganbu-ceping.yaml"
    code, out, _ = kaohe(capsys, "run", str(lianshu), "--data", str(lianshu.parent / "data"), "--format", "json")
    assert code == 0
    review = tmp_path / "review.json"
    review.write_text(out, encoding="utf-8")
    code, out, err = kaohe(capsys, "run", str(ganbu), "--data", str(ganbu.parent / "data"), "--format", "json",
                           "--period", "2024", "--history", str(tmp_path / "none.sqlite"), "--results", str(review))
    assert code == 0 and "没有方案 lianshu-lianping-liankao" not in err
    units = {u["id"]: u for u in json.loads(out)["units"]}
    # Sample data: T1 and T3 are 好, T2 is 中 in the review; T1 and T2 have the same ballots (优秀 by votes).
    assert units["T1"]["grade"] == "优秀"
    assert units["T2"]["grade"] == "称职" and [v["id"] for v in units["T2"]["vetoes"]] == ["review_not_good"]


def test_a_bad_results_file_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ganbu = JIFENZHI.parent.parent / "ganbu-ceping" / "ganbu-ceping.yaml"
    bad = tmp_path / "bad.json"
    bad.write_text("{}", encoding="utf-8")
    code, _, err = kaohe(capsys, "run", str(ganbu), "--data", str(ganbu.parent / "data"), "--period", "2024",
                         "--history", str(tmp_path / "h.sqlite"), "--results", str(bad))
    assert code == 1 and "无法读取结果文件" in err and "Traceback" not in err


def test_explain_shows_the_rescaling(capsys: pytest.CaptureFixture[str]) -> None:
    scheme = JIFENZHI.parent.parent / "chuangxian-zhengyou-wulumuqi" / "chuangxian-zhengyou-wulumuqi.yaml"
    code, out, _ = kaohe(capsys, "explain", str(scheme), "--data", str(scheme.parent / "data"), "--unit", "J")
    # 机关 J: 两个专项指标不适用，76.6 分（满分 90）折算为 76.6 × 100 ÷ 90 = 85.11
    assert code == 0
    assert "[item_29]  — / 10  (不适用)" in out
    assert "总分 = 各项之和 76.60 × 100 ÷ 90（适用满分 90，折算） = 85.11" in out


ZJC = JIFENZHI.parent.parent / "zhengjiaochu"


def test_diff_two_files(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = kaohe(capsys, "diff", str(ZJC / "zhengjiaochu.yaml"), str(ZJC / "zhengjiaochu-v2.yaml"), "--data", str(ZJC / "data"))
    assert code == 0, err
    assert "| 删除 | item_18 | 18 科技创新 |" in out and "| 满分 | item_10 | 10 环境卫生 | 10 | 5 |" in out
    # 兰炼一小 is the 4-school fixture's B: 82 → 95.12 (worked out in tests/unit/test_diff.py).
    assert "| X01 | 兰炼一小 | 82.00 | 95.12 | +13.12 | 良好 | 优秀 |" in out


def test_diff_reads_the_data_once_per_distinct_reading(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    import engine.data

    reads: list[str] = []
    real = engine.data.read_dataset
    # (the CLI imports the reader when a command needs it, so the patch goes on engine.data)
    monkeypatch.setattr(engine.data, "read_dataset", lambda scheme, *a, **k: reads.append(scheme.file) or real(scheme, *a, **k))
    # Old, new and three sweep points differ only in a parameter: one read serves all five.
    code, _, err = kaohe(capsys, "diff", str(JIFENZHI), "--data", str(JIFENZHI_DATA),
                         "--sweep", "params.base_weight.value=0.6:0.8:0.1")
    assert code == 0, err
    assert len(reads) == 1
    # A changed input declaration reads again (its range decides which cells are errors).
    reads.clear()
    code, _, err = kaohe(capsys, "diff", str(JIFENZHI), "--data", str(JIFENZHI_DATA), "--set", "inputs.vote_01.range=[0, 100]")
    assert code == 0, err
    assert len(reads) == 2


def test_diff_with_set_and_sweep_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = kaohe(capsys, "diff", str(JIFENZHI), "--data", str(JIFENZHI_DATA), "--format", "json",
                           "--set", "params.base_weight.value=0.7", "--set", "params.vote_weight.value=0.3",
                           "--sweep", "params.base_weight.value=0.6:0.8:0.1")
    assert code == 0, err
    document = json.loads(out)
    assert [c["id"] for c in document["changes"]] == ["base_weight", "vote_weight"]
    assert document["summary"]["units"] == 40
    assert [p["value"] for p in document["sweep"]["points"]] == [0.6, 0.7, 0.8]
    # Each point's grade changes, counted another way: the units whose grade differs
    # between the original and that point's variant, from a plain --set comparison of
    # the two (sweeping base_weight back to 0.8 — vote_weight stays 0.3 from --set —
    # is not the original scheme).
    for point in document["sweep"]["points"]:
        code, out, err = kaohe(capsys, "diff", str(JIFENZHI), "--data", str(JIFENZHI_DATA), "--format", "json",
                               "--set", f"params.base_weight.value={point['value']}", "--set", "params.vote_weight.value=0.3")
        assert code == 0, err
        units = json.loads(out)["units"]
        assert point["grade_changes"] == sum(u["old_grade"] != u["new_grade"] for u in units), point


WEIGHTED = """kaohe: 1
id: w
version: "1"
title: 两项加权
inputs:
  a: {title: 甲项, type: number, range: [0, 100]}
  b: {title: 乙项, type: number, range: [0, 100]}
params:
  wa: {title: 甲项权重, value: 0.5}
  wb: {title: 乙项权重, value: 0.5}
items:
  - {id: s, title: 加权得分, max: 100, formula: a * wa + b * wb}
grades:
  - id: g
    title: 等次
    bands:
      - {ge: 60, value: 合格}
      - {lt: 60, value: 不合格}
"""


def test_diff_with_set_and_sweep_counts_grade_changes_worked_by_hand(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    scheme = tmp_path / "w.yaml"
    scheme.write_text(WEIGHTED, encoding="utf-8")
    data = tmp_path / "d.csv"
    data.write_text("编号,名称,甲项,乙项\nu1,一,90,10\nu2,二,0,100\nu3,三,50,50\nu4,四,70,40\nu5,五,30,100\nu6,六,76,0\n",
                    encoding="utf-8")
    code, out, err = kaohe(capsys, "diff", str(scheme), "--data", str(data), "--format", "json",
                           "--set", "params.wb.value=0.3", "--sweep", "params.wa.value=0.6:0.8:0.1")
    assert code == 0, err
    document = json.loads(out)
    # The original (wa = wb = 0.5): u1 45 + 5 = 50, u2 50, u3 50, u4 35 + 20 = 55, u5 15 + 50 = 65 (合格), u6 38.
    # --set wb = 0.3 alone (wa 0.5): u5 15 + 30 = 45 loses 合格; the others stay below 60
    # (u1 45 + 3 = 48, u2 30, u3 25 + 15 = 40, u4 35 + 12 = 47, u6 38) → 1 grade change.
    assert document["summary"]["grade_changes"] == 1
    # Each sweep point has wb 0.3 (from --set) and is compared with the original:
    # wa 0.6: u1 54 + 3 = 57, u2 30, u3 30 + 15 = 45, u4 42 + 12 = 54, u5 18 + 30 = 48, u6 45.6 → none 合格; u5 lost it → 1.
    # wa 0.7: u1 63 + 3 = 66 and u4 49 + 12 = 61 gain 合格, u5 21 + 30 = 51 loses it (u3 50, u6 53.2) → 3.
    # wa 0.8: u1 72 + 3 = 75, u4 56 + 12 = 68 and u6 60.8 gain 合格, u5 24 + 30 = 54 loses it (u3 55) → 4.
    points = document["sweep"]["points"]
    assert [p["value"] for p in points] == [0.6, 0.7, 0.8]
    assert [p["grade_changes"] for p in points] == [1, 3, 4]
    assert [p["grades"] for p in points] == ["不合格 6", "合格 2、不合格 4", "合格 3、不合格 3"]


@pytest.mark.parametrize("args, fragment", [
    (["--set", "params.nope.value=1"], "'nope'"),
    ([], "--set"),
])
def test_diff_usage_problems_are_clear(args: list[str], fragment: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = kaohe(capsys, "diff", str(JIFENZHI), "--data", str(JIFENZHI_DATA), *args)
    assert code == 1 and fragment in err and "Traceback" not in err


def test_diff_of_different_subjects_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = kaohe(capsys, "diff", str(JIFENZHI), str(ZJC / "zhengjiaochu.yaml"), "--data", str(JIFENZHI_DATA))
    assert code == 1 and "考核对象不同" in err


def test_diff_as_html_escapes_and_is_readable(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = kaohe(capsys, "diff", str(ZJC / "zhengjiaochu.yaml"), str(ZJC / "zhengjiaochu-v2.yaml"),
                         "--data", str(ZJC / "data"), "--format", "html", "--out", str(tmp_path))
    assert code == 0, err
    page = (tmp_path / "diff.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and '<td class="nw">兰炼一小</td>' in page and 'class="grade"' in page
    assert (tmp_path / "diff.html").stat().st_mode & 0o044  # readable by others, like any written file


def test_diff_html_escapes_names(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data"
    data.mkdir()
    for file in (ZJC / "data").iterdir():
        (data / file.name).write_bytes(file.read_bytes())
    schools = (data / "学校.csv").read_bytes().decode("gbk").replace("兰炼一小", "<b>兰炼一小</b>")
    (data / "学校.csv").write_bytes(schools.encode("gbk"))
    code, out, _ = kaohe(capsys, "diff", str(ZJC / "zhengjiaochu.yaml"), str(ZJC / "zhengjiaochu-v2.yaml"), "--data", str(data), "--format", "html")
    assert code == 0 and "<b>兰炼一小</b>" not in out and "&lt;b&gt;兰炼一小&lt;/b&gt;" in out


def test_thousands_of_bad_cells_are_summarised(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data"
    data.mkdir()
    for file in JIFENZHI_DATA.iterdir():
        (data / file.name).write_bytes(file.read_bytes())
    monthly = (data / "月评分.csv").read_bytes().decode("utf-8-sig").splitlines()
    broken = [monthly[0]] + [",".join(line.split(",")[:3] + ["x"] * 10) for line in monthly[1:]]
    (data / "月评分.csv").write_text("\n".join(broken) + "\n", encoding="utf-8-sig")
    code, _, err = kaohe(capsys, "run", str(JIFENZHI), "--data", str(data))
    # 38 members × 12 months × 10 items = 4,560 non-numbers: 200 shown, then a count.
    assert code == 1 and err.count("应为数字") == 200 and "另有 4360 个问题未列出" in err and "原值" not in err


def test_kaohe_test_runs_a_new_schemes_scenarios_and_names_failures(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new", "mouxian", "--dir", str(tmp_path)]) == 0
    folder = tmp_path / "mouxian"
    code, out, _ = kaohe(capsys, "test", str(folder))
    assert code == 0 and "✓" in out and "共 1 个用例: 1 个通过，0 个未通过。" in out
    # A clerk's wrong expectation: 92 is written 93 → the difference is printed, exit 1.
    scenario = folder / "tests" / "example.yaml"
    text = scenario.read_text(encoding="utf-8")
    scenario.write_text(text.replace("A: {total: 92.0", "A: {total: 93.0"), encoding="utf-8")
    code, _, err = kaohe(capsys, "test", str(folder / "mouxian.yaml"))
    assert code == 1 and "A.total: 期望 93.0，实际 92.0" in err and "1 个未通过" in err


def test_kaohe_test_locates_mistakes_in_the_test_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new", "mouxian", "--dir", str(tmp_path)]) == 0
    scenario = tmp_path / "mouxian" / "tests" / "example.yaml"
    text = scenario.read_text(encoding="utf-8")
    scenario.write_text(text.replace("{total: 92.0, grade", "{totl: 92.0, grade"), encoding="utf-8")
    code, _, err = kaohe(capsys, "test", str(scenario))
    line = 1 + text.splitlines().index(next(l for l in text.splitlines() if "{total: 92.0" in l))
    assert code == 1 and f"example.yaml:{line}:" in err and "未知的期望键 'totl'" in err and "是否想写 'total'？" in err
    # Bad data in a case points at the case's row in the test file, not at the temporary CSV it was written to.
    bad = text.replace("example_score: 92}", "example_score: 九十二}")
    scenario.write_text(bad, encoding="utf-8")
    code, _, err = kaohe(capsys, "test", str(scenario), "--lang", "en")
    line = 1 + bad.splitlines().index(next(l for l in bad.splitlines() if "九十二" in l))
    assert code == 1 and f"example.yaml:{line}:" in err and "$.cases[0].data.得分[0].example_score" in err
    assert "expected a number, found '九十二'" in err


def test_kaohe_test_with_no_tests_says_where_they_go(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = kaohe(capsys, "test", str(tmp_path))
    assert code == 1 and "这里没有测试文件" in err


def test_a_scheme_folder_stands_for_its_scheme(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = kaohe(capsys, "validate", str(JIFENZHI.parent.parent / "zhengjiaochu"))
    assert code == 0 and out.count("✓") == 2  # the folder holds two versions: both are checked
    code, out, _ = kaohe(capsys, "run", str(JIFENZHI.parent), "--data", str(JIFENZHI_DATA), "--format", "json")
    assert code == 0 and json.loads(out)["scheme"]["id"] == "jifenzhi"
    code, _, err = kaohe(capsys, "run", str(tmp_path), "--data", str(JIFENZHI_DATA))
    assert code == 1 and "这是一个文件夹，其中有 0 个方案文件" in err


def test_explain_accepts_a_unique_name(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = kaohe(capsys, "explain", str(JIFENZHI), "--data", str(JIFENZHI_DATA), "--unit", "张永胜")
    assert code == 0 and out.splitlines()[1].startswith("D002 张永胜")
    # Two members with the same name: the ids are asked for.
    import shutil

    data = tmp_path / "data"
    shutil.copytree(JIFENZHI_DATA, data)
    roster = data / "名单.csv"
    # The sample roster is GBK, as Chinese Excel saves it.
    roster.write_text(roster.read_text(encoding="gb18030").replace("D003,刘卫东", "D003,张永胜"), encoding="gb18030")
    code, _, err = kaohe(capsys, "explain", str(JIFENZHI), "--data", str(data), "--unit", "张永胜")
    assert code == 1 and "有多个单位名为 '张永胜'（编号 D002, D003）" in err


def test_kaohe_test_never_shows_a_traceback_for_a_malformed_case(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new", "mouxian", "--dir", str(tmp_path)]) == 0
    scenario = tmp_path / "mouxian" / "tests" / "example.yaml"
    text = scenario.read_text(encoding="utf-8")
    # Rows written as plain values instead of 表头: 值 mappings: the loader names data.
    scenario.write_text(text.replace("        - {编号: A, 名称: 甲单位}", "        - A"), encoding="utf-8")
    code, _, err = kaohe(capsys, "test", str(scenario))
    assert code == 1 and "$.cases[0].data: data 应写成 表名: 行的列表" in err and "Traceback" not in err
    # A shape only the run meets (earlier: is not a list): the case is named with the reason.
    scenario.write_text(text.replace("    expect:", "    earlier: 5\n    expect:", 1), encoding="utf-8")
    code, _, err = kaohe(capsys, "test", str(scenario))
    assert code == 1 and "$.cases[0]: 这个用例的写法有误" in err


def test_validate_points_a_test_file_to_kaohe_test(capsys: pytest.CaptureFixture[str]) -> None:
    golden = JIFENZHI.parent / "tests" / "golden.yaml"
    code, _, err = kaohe(capsys, "validate", str(golden))
    assert code == 0 and f"这是场景测试文件，用 kaohe test {golden} 运行" in err and "未知的键" not in err


def test_explain_shows_each_action_and_a_classification_has_no_total(capsys: pytest.CaptureFixture[str]) -> None:
    scheme = JIFENZHI.parent.parent / "ruanruo-huansan"
    code, out, err = kaohe(capsys, "explain", str(scheme), "--data", str(scheme / "data"), "--unit", "C03")
    assert code == 0, err
    assert "结果运用 经济部门联系帮扶 [economic_department]" in out and "any(kind == '穷')（kind = 穷） → 是" in out
    assert "any(kind == '弱')（kind = 穷） → 否" in out and "总分" not in out and "\n\n\n" not in out


def test_a_classification_report_has_no_score_sheets(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    scheme = JIFENZHI.parent.parent / "ruanruo-huansan"
    code, _, err = kaohe(capsys, "report", str(scheme), "--data", str(scheme / "data"), "--out", str(tmp_path), "--date", "2024-12-20")
    assert code == 0 and "不生成评分表和汇总" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["gongshi.html", "results.xlsx"]
    assert "经济部门联系帮扶" in (tmp_path / "gongshi.html").read_text(encoding="utf-8")


def test_json_warnings_follow_the_language(capsys: pytest.CaptureFixture[str]) -> None:
    scheme = ROOT / "schemes" / "chuangxian-zhengyou-wulumuqi"
    code, out, _ = kaohe(capsys, "--lang", "en", "run", str(scheme), "--data", str(scheme / "data"), "--format", "json")
    warnings = json.loads(out)["warnings"]
    assert code == 0 and warnings
    assert all("warning:" in w and "警告" not in w for w in warnings)
    code, out, _ = kaohe(capsys, "run", str(scheme), "--data", str(scheme / "data"), "--format", "json")
    assert all("警告" in w for w in json.loads(out)["warnings"])
