"""Inheritance of every kind of definition (engine/inherit.py, engine/ids.py):
remove and override reach inputs, derived values, params, rankings, actions and
history entries; an input overridden by one key keeps the others; show --changes
lists each kind."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from engine.cli import main
from engine.compiler import compile_scheme
from engine.errors import SchemeError
from engine.inherit import load_scheme
from engine.overrides import apply_overrides

PARENT = """\
kaohe: 1
id: parent
version: "1"
title: 上级方案
inputs:
  x: {title: 得分, type: number, range: [0, 100]}
  y: {title: 附加分, type: number, missing: error}
  old: {title: 旧指标, type: number}
params:
  w: {title: 权重, value: 0.5}
  unused: {title: 不再使用, value: 1}
derived:
  - {id: half, title: 一半, value: x * w}
  - {id: spare, title: 备用, value: old + 1}
items:
  - {id: a, title: 得分项, max: 100, formula: half + y}
rankings:
  - {id: top, title: 前两名, tiers: [{label: 先进, count: 2}]}
actions:
  - {id: warn, title: 提醒, when: total < 30}
history:
  - {id: warned_last, title: 上期被提醒, of: warn}
"""


def family(tmp_path: Path, child: str) -> Path:
    folder = tmp_path / "schemes"
    (folder / "p").mkdir(parents=True, exist_ok=True)
    (folder / "c").mkdir(exist_ok=True)
    (folder / "p" / "p.yaml").write_text(PARENT, encoding="utf-8")
    path = folder / "c" / "c.yaml"
    path.write_text("extends: ../p/p.yaml\nid: child\n" + textwrap.dedent(child), encoding="utf-8")
    return path


def test_remove_reaches_every_kind(tmp_path: Path) -> None:
    path = family(tmp_path, """\
        remove: [old, spare, unused, top, warn, warned_last]
        """)
    raw = load_scheme(path)
    assert list(raw.data["inputs"]) == ["x", "y"] and list(raw.data["params"]) == ["w"]
    assert [d["id"] for d in raw.data["derived"]] == ["half"]
    assert raw.data["rankings"] == [] and raw.data["actions"] == [] and raw.data["history"] == []
    scheme, _ = compile_scheme(raw)
    assert set(scheme.inputs) == {"x", "y"} and not scheme.history


def test_removing_an_input_still_read_is_located_at_the_reader(tmp_path: Path) -> None:
    path = family(tmp_path, "remove: [y]\n")
    with pytest.raises(SchemeError) as caught:
        compile_scheme(load_scheme(path))
    problem = caught.value.problems[0]
    # item a (parent line 16) still reads y
    assert problem.location.file.endswith("p.yaml") and problem.location.line == 16 and "y" in str(problem.args)


def test_an_input_changed_by_one_key_keeps_the_others(tmp_path: Path) -> None:
    path = family(tmp_path, """\
        inputs:
          y: {missing: zero}          # 附加分 left blank counts 0
          x: {range: null}            # null deletes a key: no range any more
        override:
          w: {value: 0.8}             # a param by its name
        """)
    raw = load_scheme(path)
    assert raw.data["inputs"]["y"] == {"title": "附加分", "type": "number", "missing": "zero"}
    assert raw.data["inputs"]["x"] == {"title": "得分", "type": "number"}
    assert raw.data["params"]["w"] == {"title": "权重", "value": 0.8}
    scheme, _ = compile_scheme(raw)
    assert scheme.inputs["y"].missing == "zero" and scheme.inputs["x"].range is None
    assert raw.location(("inputs", "y", "missing")).file.endswith("c.yaml")
    assert raw.location(("inputs", "y", "title")).file.endswith("p.yaml")


def test_override_of_an_input_by_name_merges(tmp_path: Path) -> None:
    raw = load_scheme(family(tmp_path, "override:\n  inputs.y: {missing: skip}\n  x: {title: 基本分}\n"))
    assert raw.data["inputs"]["y"]["missing"] == "skip" and raw.data["inputs"]["x"] == {
        "title": "基本分", "type": "number", "range": [0, 100]}


def test_a_name_that_is_two_things_must_say_which(tmp_path: Path) -> None:
    # "half" is a derived id; make it an input name too.
    path = family(tmp_path, "inputs:\n  half: {title: 另一个, type: number}\nremove: [half]\n")
    with pytest.raises(SchemeError) as caught:
        load_scheme(path)
    problem = caught.value.problems[0]
    assert problem.code == "extends_ambiguous" and problem.location.line == 5 and dict(problem.args)["qualified"] == "inputs.half"
    raw = load_scheme(family(tmp_path, "inputs:\n  half: {title: 另一个, type: number}\nremove: [inputs.half]\n"))
    assert "half" not in raw.data["inputs"] and raw.data["derived"][0]["id"] == "half"


def test_set_reaches_a_param_by_its_name(tmp_path: Path) -> None:
    raw = apply_overrides(load_scheme(family(tmp_path, "")), ["w.value=0.7"])
    assert raw.data["params"]["w"]["value"] == 0.7


def test_show_changes_lists_every_kind(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = family(tmp_path, """\
        inputs:
          y: {missing: zero}
          z: {title: 新指标, type: count}
        override:
          half: {value: x * w * 2}
          warn: {when: total < 40}
        remove: [spare, top, warned_last]
        add:
          - {to: history, item: {id: top_last, title: 上期第一, of: best}}
          - {to: rankings, item: {id: best, title: 第一名, tiers: [{label: 第一, count: 1}]}}
        """)
    assert main(["show", str(path), "--changes"]) == 0
    out = capsys.readouterr().out
    assert "输入项 y（附加分）: 附加分：数值，缺失报错 → 附加分：数值，缺失按 0" in out
    assert "输入项 z（新指标）: — → 新指标：次数，缺失报错" in out
    assert "计算值 half（一半）: 一半 = x * w → 一半 = x * w * 2" in out
    assert "计算值 spare（备用）: 备用 = old + 1 → —" in out
    assert "结果运用 warn（提醒）: 提醒：total < 30 → 提醒：total < 40" in out
    assert "往期结果 warned_last（上期被提醒）: 上期被提醒：warn，往前第 1 期 → —" in out
    assert "往期结果 top_last（上期第一）: — → 上期第一：best，往前第 1 期" in out
    assert "排名评选 top（前两名）: 先进 2 名 → —" in out and "排名评选 best（第一名）: — → 第一 1 名" in out
    assert main(["show", str(path), "--changes", "--lang", "en"]) == 0
    assert "earlier result top_last" in capsys.readouterr().out


def test_show_changes_lists_replaced_settings(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = family(tmp_path, 'title: 县里的方案\nunits: {group: 党支部}\nreports: {issuer: 中共某县委组织部}\n')
    assert main(["show", str(path), "--changes"]) == 0
    out = capsys.readouterr().out
    # id and title always differ for a child: not counted; units and reports are.
    assert "的改动（2 处）" in out and "设置 units: — → {group: 党支部}" in out and "设置 reports: — → {issuer: 中共某县委组织部}" in out
