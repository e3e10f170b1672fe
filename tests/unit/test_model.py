"""The compiled scheme (engine.model): ``Scheme.walk()`` is the one walk over the tree of
parts, sections and items — where each node sits and which unit types it applies to."""

from __future__ import annotations

from tests.helpers import HEADER, scheme_from

SCHEME = scheme_from(HEADER + """
units:
  types: {乡镇: {title: 乡镇}, 窗口单位: {title: 窗口单位}, 部门: {title: 部门}}
inputs:
  x: {title: 数, type: number}
parts:
  - id: work
    title: 工作实绩
    weight: 0.7
    items:
      - id: duty
        title: 履职
        applies_to: [乡镇, 窗口单位]
        items:
          - {id: a, title: 甲, max: 10, formula: x}
          - {id: b, title: 乙, max: 10, applies_to: [窗口单位, 部门], formula: x}
      - {id: c, title: 丙, max: 10, formula: x}
  - id: vote
    title: 测评
    weight: 0.3
    items:
      - {id: d, title: 丁, max: 100, formula: x}
adjustments:
  - {id: bonus, title: 加分, max: 5, formula: x}
""")


def test_walk_gives_every_node_its_place_depth_first() -> None:
    visits = list(SCHEME.walk())
    assert [v.node.id for v in visits] == ["duty", "a", "b", "c", "d", "bonus"]
    assert [v.depth for v in visits] == [0, 1, 1, 0, 0, 0]
    assert [v.path for v in visits] == ["work", "work/duty", "work/duty", "work", "vote", "adjustments"]
    assert [v.part.id if v.part else None for v in visits] == ["work", "work", "work", "work", "vote", None]
    assert [p.id for p in visits[2].parents] == ["duty"]
    assert [v.node.id for v in visits] == [n.id for n in SCHEME.nodes()]


def test_walk_narrows_the_unit_types_through_the_sections() -> None:
    scopes = {v.node.id: v.applies_to for v in SCHEME.walk()}
    # b declares 窗口单位 and 部门 inside duty (乡镇, 窗口单位): only 窗口单位 is in both
    assert scopes["duty"] == scopes["a"] == frozenset({"乡镇", "窗口单位"})
    assert scopes["b"] == frozenset({"窗口单位"})
    assert scopes["c"] is None and scopes["bonus"] is None
