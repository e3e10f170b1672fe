"""Linked what-if sweeps (engine/sweep.py) and the weights warning — worked by hand."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from engine.cli import main
from engine.errors import UsageError
from engine.sweep import parse_sweep

SCHEME = """kaohe: 1
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
PARTS = """kaohe: 1
id: p
version: "1"
title: 两部分
inputs:
  a: {title: 甲项, type: number, range: [0, 100]}
parts:
  - {id: part_a, title: 甲, weight: 0.5, items: [{id: i, title: 甲, max: 100, formula: a}]}
  - {id: part_b, title: 乙, weight: 0.5, items: [{id: j, title: 乙, max: 100, formula: a}]}
"""


def diff(capsys: pytest.CaptureFixture[str], tmp_path: Path, *args: str, scheme: str = SCHEME) -> tuple[dict, str]:
    path = tmp_path / "w.yaml"
    path.write_text(scheme, encoding="utf-8")
    data = tmp_path / "d.csv"
    # u1 only a, u2 only b, u3 half of each
    data.write_text("编号,名称,甲项,乙项\nu1,一,100,0\nu2,二,0,100\nu3,三,50,50\n", encoding="utf-8")
    code = main(["diff", str(path), "--data", str(data), "--format", "json", *args])
    out, err = capsys.readouterr()
    assert code == 0, err
    return json.loads(out), err


def test_linked_values_are_exact_decimals() -> None:
    sweep = parse_sweep("base_weight=0.6:0.9:0.1,params.vote_weight.value=1-base_weight")
    # 1 − 0.7 is 0.3, not 0.30000000000000004
    assert [tuple(v for _, v in point) for point in sweep.points()] == [(0.6, 0.4), (0.7, 0.3), (0.8, 0.2), (0.9, 0.1)]
    # Two ranges of one length move together; a full path is a name too.
    sweep = parse_sweep("params.a.value=1:3:1, b=10:30:10, c = (params.a.value + b) / 2")
    assert [tuple(v for _, v in point) for point in sweep.points()] == [(1, 10, 5.5), (2, 20, 11), (3, 30, 16.5)]


@pytest.mark.parametrize(("text", "code"), [
    ("a=1-b", "sweep_no_range"),
    ("a=0:1:0.5,b=0:1:0.25", "sweep_unequal"),
    ("a=0:1:0.5,a=2", "sweep_twice"),
    ("a=0:1:0.5,b=", "sweep_syntax"),
])
def test_malformed_sweeps_are_refused(text: str, code: str) -> None:
    with pytest.raises(UsageError) as caught:
        parse_sweep(text)
    assert [p.code for p in caught.value.problems] == [code]


@pytest.mark.parametrize(("text", "code"), [("a=0:1:0.5,b=1-c", "sweep_unknown_name"), ("a=0:1:0.5,b=1/(a-0.5)", "sweep_bad_link"),
                                            ("a=0:1:0.5,b=open('x')", "sweep_bad_link")])
def test_links_that_cannot_be_worked_out_are_refused(text: str, code: str) -> None:
    with pytest.raises(UsageError) as caught:
        parse_sweep(text).points()
    assert [p.code for p in caught.value.problems] == [code]


def test_a_linked_sweep_moves_both_weights(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    document, err = diff(capsys, tmp_path, "--sweep", "wa=0.2:0.8:0.3,wb=1-wa")
    points = document["sweep"]["points"]
    assert document["sweep"]["path"] == "wa, wb" and [p["values"] for p in points] == [
        {"wa": 0.2, "wb": 0.8}, {"wa": 0.5, "wb": 0.5}, {"wa": 0.8, "wb": 0.2}]
    # Original (0.5/0.5): u1 50, u2 50, u3 50 — all 不合格.
    # wa 0.2: u1 100 × 0.2 = 20, u2 100 × 0.8 = 80 (合格), u3 50 → one grade changes.
    # wa 0.5: as the original → none.  wa 0.8: u1 80 (合格), u2 20, u3 50 → one.
    assert [p["grade_changes"] for p in points] == [1, 0, 1]
    # Counted in the scheme's grade order (合格 before 不合格) on every row, not in the order units come.
    assert [p["grades"] for p in points] == ["合格 1、不合格 2", "不合格 3", "合格 1、不合格 2"]
    assert all(p["warnings"] == [] for p in points) and "不再是 1" not in err


def test_a_one_sided_sweep_warns_that_the_weights_drift_apart(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    document, err = diff(capsys, tmp_path, "--sweep", "params.wa.value=0.2:0.8:0.3")
    points = document["sweep"]["points"]
    # wb stays 0.5: 0.2 + 0.5 = 0.7, 0.5 + 0.5 = 1, 0.8 + 0.5 = 1.3
    assert [p["warnings"] for p in points] == [
        ["试算中 s 读取的权重 wa + wb 之和为 0.7，不再是 1（wa = 0.2、wb = 0.5）"], [],
        ["试算中 s 读取的权重 wa + wb 之和为 1.3，不再是 1（wa = 0.8、wb = 0.5）"]]
    assert err.count("不再是 1") == 1  # said once on the command line, every point in the table
    _, err = diff(capsys, tmp_path, "--set", "wa=0.6", "--lang", "en")
    assert "the weights wa + wb read by s add up to 1.1, not 1" in err
    _, err = diff(capsys, tmp_path, "--set", "wa=0.6", "--set", "wb=0.4")
    assert "不再是 1" not in err


def test_part_weights_move_together_or_not_at_all(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    # One part's weight alone: 0.4 + 0.5 = 0.9 is the compiler's error, located at the variant.
    path = tmp_path / "p.yaml"
    path.write_text(PARTS, encoding="utf-8")
    data = tmp_path / "d.csv"
    data.write_text("编号,名称,甲项\nu1,一,80\n", encoding="utf-8")
    code = main(["diff", str(path), "--data", str(data), "--sweep", "part_a.weight=0.4:0.6:0.1"])
    assert code == 1 and "(--set part_a.weight=0.4" in capsys.readouterr().err
    code = main(["diff", str(path), "--data", str(data), "--format", "json",
                 "--sweep", "part_a.weight=0.4:0.6:0.1,part_b.weight=1-part_a.weight"])
    document = json.loads(capsys.readouterr().out)
    # i and j both score 80: 80 × w + 80 × (1 − w) = 80 at every point, no grade, no warning
    assert code == 0 and not document["sweep"]["warned"] and [p["values"]["part_b.weight"] for p in document["sweep"]["points"]] == [0.6, 0.5, 0.4]


def test_the_guides_linked_sweep_runs_as_printed(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    from tests.test_guide import EXAMPLES

    scheme = next(text for ident, text, _ in EXAMPLES if ident == "example-weights")
    path = tmp_path / "example-weights.yaml"
    path.write_text(scheme, encoding="utf-8")
    data = tmp_path / "d.csv"
    data.write_text("编号,名称,月评分平均,测评平均分\nA,甲,9,6\nB,乙,5,10\n", encoding="utf-8")
    code = main(["diff", str(path), "--data", str(data), "--format", "json", "--sweep", "base_weight=0.6:0.9:0.1,vote_weight=1-base_weight"])
    document = json.loads(capsys.readouterr().out)
    assert code == 0 and [p["value"] for p in document["sweep"]["points"]] == ["0.6, 0.4", "0.7, 0.3", "0.8, 0.2", "0.9, 0.1"]
    # At 0.7/0.3: 甲 9 × 0.7 + 6 × 0.3 = 8.1 (as the guide says); 乙 5 × 0.7 + 10 × 0.3 = 6.5
    code = main(["diff", str(path), "--data", str(data), "--format", "json", "--set", "base_weight=0.7", "--set", "vote_weight=0.3"])
    units = {u["id"]: u for u in json.loads(capsys.readouterr().out)["units"]}
    assert (units["A"]["new_total"], units["B"]["new_total"]) == (8.1, 6.5)
    code = main(["diff", str(path), "--data", str(data), "--sweep", "base_weight=0.6:0.9:0.1"])
    # vote_weight stays 0.2; the first point's sum, as the guide quotes it: 0.6 + 0.2 = 0.8
    assert "权重 base_weight + vote_weight 之和为 0.8，不再是 1" in capsys.readouterr().err
