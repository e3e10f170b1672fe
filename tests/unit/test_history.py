"""History by period: "the previous period" is the calendar predecessor (engine/history.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from engine.cli import main
from engine.history import predecessor

SCHEME = """kaohe: 1
id: twice
version: "1"
title: 连续两年不达标
inputs:
  x: {title: 得分, type: number}
history:
  - {id: failed_last, title: 上一年度不达标, of: failed}
items:
  - {id: a, title: 得分, max: 100, formula: x}
actions:
  - {id: failed, title: 不达标, when: total < 60}
  - {id: twice, title: 连续两年不达标, when: total < 60 and failed_last}
"""


def run(capsys: pytest.CaptureFixture[str], tmp_path: Path, period: str, score: int, record: bool = True,
        lang: str = "zh") -> tuple[list[str], str]:
    scheme = tmp_path / "twice.yaml"
    scheme.write_text(SCHEME, encoding="utf-8")
    data = tmp_path / f"d{score}.csv"
    data.write_text(f"编号,名称,得分\nA,甲,{score}\n", encoding="utf-8")
    args = ["run", str(scheme), "--data", str(data), "--history", str(tmp_path / "h.sqlite"), "--period", period,
            "--format", "json", "--lang", lang] + (["--record"] if record else [])
    code = main(args)
    out, err = capsys.readouterr()
    assert code == 0, err
    return [a["id"] for a in json.loads(out)["units"][0]["actions"]], err


def test_predecessors_by_the_calendar() -> None:
    assert predecessor("2023", 1) == "2022" and predecessor("2023", 2) == "2021"
    assert predecessor("2024-01", 1) == "2023-12" and predecessor("2024-03", 14) == "2023-01"
    assert predecessor("2024-Q1", 1) == "2023-Q4" and predecessor("2024-Q3", 5) == "2023-Q2"
    assert predecessor("2024-H1", 1) == "2023-H2" and predecessor("2024-H2", 1) == "2024-H1"
    # Not calendar periods: ordered as text, as before.
    assert predecessor("2024-13", 1) is None and predecessor("第二期", 1) is None and predecessor("2024-H3", 1) is None


def test_a_missing_year_is_no_record(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    # 2021: 50 < 60, failed. 2022: not recorded. 2023: 40 < 60, failed again —
    # but 2022 is the year before 2023 and there is no record of it: not "two years running".
    assert run(capsys, tmp_path, "2021", 50)[0] == ["failed"]
    actions, err = run(capsys, tmp_path, "2023", 40, record=False)
    assert actions == ["failed"]
    assert "没有方案 twice 的 2022 期（2023 往前第 1 期）；failed_last 按\"无记录\"处理，不取更早的 2021 期" in err
    assert "no period 2022 of scheme twice (1 before 2023)" in run(capsys, tmp_path, "2023", 40, record=False, lang="en")[1]
    # Once 2022 is recorded (55 < 60, failed), 2023 follows two failed years.
    assert run(capsys, tmp_path, "2022", 55)[0] == ["failed", "twice"]  # 2021 and 2022 both failed
    assert run(capsys, tmp_path, "2023", 40, record=False)[0] == ["failed", "twice"]


def test_months_step_over_the_year_and_other_periods_keep_text_order(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert run(capsys, tmp_path, "2023-12", 10)[0] == ["failed"]
    # 2024-01 follows 2023-12: failed then, failed now.
    assert run(capsys, tmp_path, "2024-01", 20, record=False)[0] == ["failed", "twice"]
    # 2024-02's predecessor 2024-01 was not recorded: no record, not 2023-12.
    assert run(capsys, tmp_path, "2024-02", 20, record=False)[0] == ["failed"]
    # Periods that are not calendar periods (a store of their own): the latest recorded one before, in text order.
    other = tmp_path / "other"
    other.mkdir()
    assert run(capsys, other, "第1期", 10)[0] == ["failed"]
    assert run(capsys, other, "第3期", 10, record=False)[0] == ["failed", "twice"]


def test_explain_names_the_period_with_no_record(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    # 2021 recorded (50, failed); 2023 run: its calendar predecessor 2022 has no record, so
    # failed_last is "no record" — explain must say which period was looked for, not only "无记录".
    run(capsys, tmp_path, "2021", 50)
    scheme, data = tmp_path / "twice.yaml", tmp_path / "d40.csv"
    data.write_text("编号,名称,得分\nA,甲,40\n", encoding="utf-8")
    for lang, said in (("zh", "2022 期无记录"), ("en", "no record of period 2022")):
        code = main(["explain", str(scheme), "--data", str(data), "--unit", "A", "--history", str(tmp_path / "h.sqlite"),
                     "--period", "2023", "--lang", lang])
        out, err = capsys.readouterr()
        assert code == 0, err
        assert said in out, out
    # With 2022 recorded the period that answered is named and no gap is mentioned.
    run(capsys, tmp_path, "2022", 55)
    assert main(["explain", str(scheme), "--data", str(data), "--unit", "A", "--history", str(tmp_path / "h.sqlite"),
                 "--period", "2023"]) == 0
    out = capsys.readouterr()[0]
    assert "2022 期" in out and "无记录" not in out, out
