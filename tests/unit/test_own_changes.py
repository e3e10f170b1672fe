"""A scheme that extends another, against that parent (engine.own_changes): what
``kaohe show --changes`` lists, as data."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.errors import KaoheError
from engine.own_changes import own_changes, parent_file

PARENT = """\
kaohe: 1
id: parent
version: "1"
title: 上级方案
inputs:
  x: {title: 得分, type: number, range: [0, 100]}
params:
  w: {title: 权重, value: 0.5}
items:
  - {id: a, title: 得分项, max: 100, formula: x * w}
"""


def family(tmp_path: Path, child: str) -> Path:
    (tmp_path / "schemes" / "p").mkdir(parents=True)
    (tmp_path / "schemes" / "c").mkdir()
    (tmp_path / "schemes" / "p" / "p.yaml").write_text(PARENT, encoding="utf-8")
    path = tmp_path / "schemes" / "c" / "c.yaml"
    path.write_text("extends: ../p/p.yaml\nid: child\n" + child, encoding="utf-8")
    return path


def test_parent_file_is_found_from_the_scheme_s_own_folder(tmp_path: Path) -> None:
    # schemes/c/c.yaml + ../p/p.yaml = schemes/p/p.yaml, resolved
    assert parent_file(tmp_path / "schemes" / "c" / "c.yaml", "../p/p.yaml") == (tmp_path / "schemes" / "p" / "p.yaml").resolve()
    assert parent_file(str(tmp_path / "c.yaml"), "p.yaml") == (tmp_path / "p.yaml").resolve()


def test_a_complete_scheme_has_no_own_changes(tmp_path: Path) -> None:
    family(tmp_path, "")
    assert own_changes(tmp_path / "schemes" / "p" / "p.yaml") is None


def test_a_child_lists_its_settings_and_its_rule_changes(tmp_path: Path) -> None:
    path = family(tmp_path, "units: {group: 党支部}\noverride:\n  w: {value: 0.8}\n")
    found = own_changes(path)
    assert found is not None
    assert found.extends == "../p/p.yaml"
    # units is a descriptive key: absent in the parent (None), one-line YAML in the child
    assert found.settings == (("units", None, "{group: 党支部}"),)
    # the one rule change: the param w, 0.5 → 0.8 (id and title differ for every child: not listed)
    assert [(c.kind, c.id, c.title, c.old, c.new) for c in found.changes] == [("param", "w", "权重", "0.5", "0.8")]
    assert found.count == 1 + 1
    # the scheme's folder names the same scheme
    again = own_changes(path.parent)
    assert again is not None and again.settings == found.settings and again.count == 2


def test_a_child_that_changes_nothing_counts_none(tmp_path: Path) -> None:
    found = own_changes(family(tmp_path, ""))
    assert found is not None and found.settings == () and found.changes == () and found.count == 0


def test_a_missing_parent_is_a_located_problem(tmp_path: Path) -> None:
    path = family(tmp_path, "")
    (tmp_path / "schemes" / "p" / "p.yaml").unlink()
    with pytest.raises(KaoheError) as caught:
        own_changes(path)
    [problem] = caught.value.problems
    # at the value of extends in the child's first line: "extends: " is 9 characters, so column 10
    assert problem.code and problem.location.file.endswith("c.yaml")
    assert (problem.location.line, problem.location.column, problem.location.path) == (1, 10, "$.extends")
