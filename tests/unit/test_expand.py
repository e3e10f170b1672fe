"""Repetition (engine/expand.py): lists, for_each, sum_each and kin — hand-worked."""

from __future__ import annotations

import textwrap
from pathlib import Path

import numpy as np
import pytest

from engine.compiler import compile_scheme
from engine.context import Context
from engine.data import dataset_from_columns
from engine.errors import SchemeError
from engine.expand import expand
from engine.inherit import load_scheme
from engine.loader import load_scheme_text
from engine.messages import render_message
from engine.model import Item
from engine.pipeline import assess
from tests.helpers import JIFENZHI

SCHEME = """\
kaohe: 1
id: r
version: 1
title: 测试
lists:
  三项:
    n: ["01", "02", "03"]
    序: [一, 二, 三]
    m: [10, 20, 30]
inputs:
  s_{n}:
    for_each: 三项
    title: 第{序}项得分
    type: number
derived:
  - id: plain
    title: 合计
    value: sum_each(三项, s_{n})
  - id: mixed
    title: 组合
    value: 2 * sum_each(三项, s_{n}) + mean_each(三项, s_{n}) + max_each(三项, s_{n})
items:
  - for_each: 三项
    id: item_{n}
    title: 第{序}项
    max: "{m}"
    formula: s_{n}
  - id: all_of
    title: 合计项
    max: 200
    formula: mixed
"""


def write(tmp_path: Path, text: str, name: str = "r.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def problems_of(text: str, lang: str = "zh") -> list[tuple[str, int | None, str]]:
    with pytest.raises(SchemeError) as caught:
        expand(load_scheme_text(textwrap.dedent(text), "r.yaml"))
    return [(p.code, p.location.line, render_message(p.code, dict(p.args), lang)[0]) for p in caught.value.problems]


def test_each_copy_has_its_own_id_title_and_the_line_of_its_definition(tmp_path: Path) -> None:
    raw = load_scheme(write(tmp_path, SCHEME))
    assert "lists" not in raw.data
    assert list(raw.data["inputs"]) == ["s_01", "s_02", "s_03"]
    assert raw.data["inputs"]["s_02"] == {"title": "第二项得分", "type": "number"}
    items = raw.data["items"]
    assert [(i["id"], i["title"], i["max"], i.get("formula")) for i in items[:3]] == [
        ("item_01", "第一项", 10, "s_01"), ("item_02", "第二项", 20, "s_02"), ("item_03", "第三项", 30, "s_03")]
    # max: "{m}" is exactly one placeholder: the number itself, not the text "20".
    assert isinstance(items[1]["max"], int)
    # The template "- for_each: 三项" starts on line 23; its max on line 26; the item after it on line 28.
    assert raw.location(("items", 2)).line == 23 and raw.location(("items", 1, "max")).line == 26
    assert raw.location(("items", 3)).line == 28
    assert raw.location(("inputs", "s_03"), key=True).line == 11
    scheme, _ = compile_scheme(raw)
    item = next(n for n in scheme.nodes() if isinstance(n, Item) and n.id == "item_02")
    assert item.title == "第二项" and item.location.line == 23


def test_aggregates_are_written_out_and_bracketed_unless_whole(tmp_path: Path) -> None:
    raw = load_scheme(write(tmp_path, SCHEME))
    assert raw.data["derived"][0]["value"] == "s_01 + s_02 + s_03"
    assert raw.data["derived"][1]["value"] == \
        "2 * (s_01 + s_02 + s_03) + ((s_01 + s_02 + s_03) / 3) + max(s_01, s_02, s_03)"


def test_expanded_scheme_scores(tmp_path: Path) -> None:
    scheme, _ = compile_scheme(load_scheme(write(tmp_path, SCHEME)))
    data = dataset_from_columns(scheme, ["u1", "u2"], {
        "s_01": np.array([4.0, 10.0]), "s_02": np.array([5.0, 25.0]), "s_03": np.array([9.0, 0.0])})
    outcomes = assess(scheme, data, Context())
    scores = outcomes.results.scores
    # u2: s_02 = 25 above item_02's max 20 → 20.
    assert list(scores["item_02"]) == [5.0, 20.0]
    # u1: 2 × (4 + 5 + 9) + (18 / 3) + max(4, 5, 9) = 36 + 6 + 9 = 51
    # u2: 2 × (10 + 25 + 0) + (35 / 3) + 25 = 70 + 11.666… + 25 = 106.67 (2 places, half up)
    assert list(scores["all_of"]) == [51.0, 106.67]


def test_nested_lists_and_inline_for_each(tmp_path: Path) -> None:
    raw = load_scheme(write(tmp_path, """\
        kaohe: 1
        id: r
        version: 1
        title: 测试
        lists:
          季度:
            q: [1, 2]
          两项:
            k: [x, y]
        inputs:
          a_{k}: {for_each: {k: [x, y]}, title: "{k} 分", type: number}
        derived:
          - for_each: 季度
            id: q{q}
            title: 第{q}半年
            value: sum_each(两项, a_{k}) * {q}
        items:
          - {id: i, title: 一, max: 10, formula: q1 + q2}
        """))
    assert list(raw.data["inputs"]) == ["a_x", "a_y"]
    assert [d["value"] for d in raw.data["derived"]] == ["(a_x + a_y) * 1", "(a_x + a_y) * 2"]


def test_jifenzhi_writes_each_of_its_ten_items_and_quarter_sums() -> None:
    raw = load_scheme(JIFENZHI)
    items = raw.data["items"]
    assert [i["id"] for i in items] == [f"item_{n:02d}" for n in range(1, 11)]
    assert items[9]["title"] == "第十项"
    assert items[9]["formula"] == "mean(score_10) * base_weight + sum(vote_10) / count(vote_10) * vote_weight"
    # The second quarter: ten terms, months 4–6, as the scheme wrote them out by hand before.
    expected = " + ".join(f"sum_if(score_{n:02d}, 3 < month <= 6)" for n in range(1, 11))
    assert raw.data["derived"][1] == {"id": "q2", "title": "第二季度积分合计", "value": expected}
    assert [k for k in raw.data["inputs"] if k.startswith("vote_")] == [f"vote_{n:02d}" for n in range(1, 11)]


def test_a_child_changes_one_expanded_item(tmp_path: Path) -> None:
    write(tmp_path, SCHEME)
    child = write(tmp_path, """\
        extends: r.yaml
        id: c
        override:
          item_02: {max: 15}
        remove: [item_03]
        """, "c.yaml")
    raw = load_scheme(child)
    assert [(i["id"], i["max"]) for i in raw.data["items"]] == [("item_01", 10), ("item_02", 15), ("all_of", 200)]
    assert raw.location(("items", 1, "max")).file.endswith("c.yaml")


def test_mistakes_are_located() -> None:
    head = "kaohe: 1\nid: r\nversion: 1\ntitle: t\n"
    assert problems_of(head + "lists:\n  a: {n: [1, 2], m: [1]}\n") == [
        ("repeat_unequal", 6, "列表各字段的值个数不同（n 2、m 1）")]
    found = problems_of(head + "lists:\n  三项: {n: [1, 2]}\nitems:\n  - {for_each: 三想, id: 'i{n}', title: t, max: 1, formula: '1'}\n")
    assert found[0][:2] == ("repeat_unknown_list", 8) and "三想" in found[0][2]
    found = problems_of(head + "items:\n  - {for_each: {n: [1, 2]}, id: 'i{m}', title: t, max: 1, formula: '1'}\n")
    assert [f[:2] for f in found] == [("repeat_unknown_field", 6)]
    assert problems_of(head + "inputs:\n  a: {for_each: {n: [1, 2]}, title: t, type: number}\n", "en")[0][2] == \
        "the expanded key 'a' occurs twice"
    found = problems_of(head + "derived:\n  - {id: d, title: t, value: 'sum_each(x'}\n")
    assert found[0][:2] == ("repeat_each_syntax", 6)
    assert problems_of(head + "items:\n  - {id: 'i_{n}', title: t, max: 1, formula: '1'}\n")[0][:2] == ("repeat_outside", 6)


def test_repetition_that_multiplies_past_the_limit_is_refused() -> None:
    # 1000 rows nested three deep would write 10^9 terms; refused at 100,000 values.
    head = "kaohe: 1\nid: r\nversion: 1\ntitle: t\n"
    rows = "[" + ", ".join(str(i) for i in range(1000)) + "]"
    text = head + f"lists:\n  a: {{n: {rows}}}\nderived:\n  - {{id: d, title: t, value: 'sum_each(a, sum_each(a, sum_each(a, x)))'}}\n"
    assert [f[:2] for f in problems_of(text)] == [("repeat_too_many_values", 8)]


def test_a_repeated_definition_inside_a_repeated_one(tmp_path: Path) -> None:
    # Two sections × two items each: the inner ids use both lists' fields.
    raw = load_scheme(write(tmp_path, """\
        kaohe: 1
        id: r
        version: 1
        title: 测试
        lists:
          组: {g: [a, b]}
          项: {k: ["1", "2"]}
        inputs:
          x: {title: 得分, type: number}
        items:
          - for_each: 组
            id: sec_{g}
            title: 第 {g} 组
            max: 20
            items:
              - {for_each: 项, id: "i_{g}{k}", title: "{g}{k}", max: 10, formula: x}
        """))
    assert [(s["id"], [i["id"] for i in s["items"]]) for s in raw.data["items"]] == [
        ("sec_a", ["i_a1", "i_a2"]), ("sec_b", ["i_b1", "i_b2"])]
    assert raw.location(("items", 1, "items", 1)).line == 16
    head = "kaohe: 1\nid: r\nversion: 1\ntitle: t\n"
    found = problems_of(head + "params:\n  'w_{z}': {for_each: {n: [1, 2]}, title: t, value: 1}\n")
    assert [f[:2] for f in found] == [("repeat_unknown_field", 6)]


def test_a_list_of_names_written_once() -> None:
    head = "kaohe: 1\nid: r\nversion: 1\ntitle: t\n"
    raw = expand(load_scheme_text(head + "lists:\n  十项: {n: ['01', '02', '03']}\ncorrections:\n  inputs:\n"
                                  "    - for_each: 十项\n      each: score_{n}\n    - other\n", "r.yaml"))
    assert raw.data["corrections"]["inputs"] == ["score_01", "score_02", "score_03", "other"]
    assert raw.location(("corrections", "inputs", 2)).line == 10 and raw.location(("corrections", "inputs", 3)).line == 11


def test_a_scheme_compiled_straight_from_text_is_written_out_too() -> None:
    # The workbench's editor and the fuzz tests compile text without engine.inherit: jifenzhi's ten
    # items written once (for_each) once raised TypeError in the compiler; now check_scheme expands.
    from engine.compiler import check_scheme
    from engine.inherit import load_scheme
    from engine.loader import load_scheme_text
    from tests.helpers import JIFENZHI

    scheme, problems = check_scheme(load_scheme_text(JIFENZHI.read_text(encoding="utf-8"), str(JIFENZHI)))
    assert scheme is not None, [p.render() for p in problems]
    through_files, _ = check_scheme(load_scheme(JIFENZHI))
    assert through_files is not None
    assert [n.id for n in scheme.nodes()] == [n.id for n in through_files.nodes()]
    assert "item_10" in [n.id for n in scheme.nodes()]
