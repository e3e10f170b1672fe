"""Finding a definition by its id or name (engine.ids): what ``extends`` and ``--set`` paths point at.

The data is raw YAML written inline as Python (what the loader builds), so each
expected ``Found`` can be read off the literal: which container, which key.
"""

from __future__ import annotations

from engine.ids import Found, all_names, find, find_all
from engine.yamltypes import YamlList, YamlMap

GDP_ITEM: YamlMap = {"id": "gdp", "title": "生产总值", "max": 5}
ECO_ITEM: YamlMap = {"id": "eco", "title": "经济发展", "items": [GDP_ITEM]}
DISC_ITEM: YamlMap = {"id": "disc", "title": "纪律", "max": 5}
GDP_VETO: YamlMap = {"id": "gdp", "title": "同名否决"}
ECO_INPUT: YamlMap = {"title": "经济发展得分", "type": "number"}
LATE_INPUT: YamlMap = {"title": "迟到次数", "type": "count"}

INPUTS: YamlMap = {"late": LATE_INPUT, "eco": ECO_INPUT}
ITEMS: YamlList = [ECO_ITEM, DISC_ITEM]
DATA: YamlMap = {"id": "t", "inputs": INPUTS, "items": ITEMS, "vetoes": [GDP_VETO]}


def test_an_id_finds_the_mapping_that_has_it_and_where_it_sits() -> None:
    # disc is the second entry of the top-level items list: container items, key 1
    assert find_all(DATA, "disc") == [Found(ITEMS, 1, DISC_ITEM)]
    found = find(DATA, "disc")
    assert found is not None and found.in_list and found.value is DISC_ITEM
    # a nested item: the first entry of eco's own items list
    nested = find(DATA, "gdp")
    assert nested is not None and nested.container is ECO_ITEM["items"] and nested.key == 0


def test_a_named_entry_is_found_by_its_key_in_a_mapping() -> None:
    found = find(DATA, "late")
    # inputs.late: container the inputs mapping, key "late", not in a list
    assert found == Found(INPUTS, "late", LATE_INPUT)
    assert found is not None and not found.in_list


def test_two_definitions_with_one_id_come_in_document_order() -> None:
    # gdp is an item (inside items, walked before vetoes) and a veto: both, item first
    found = find_all(DATA, "gdp")
    assert [f.value for f in found] == [GDP_ITEM, GDP_VETO]
    assert [f.value["title"] for f in found] == ["生产总值", "同名否决"]
    # find takes the first one
    first = find(DATA, "gdp")
    assert first is not None and first.value is GDP_ITEM


def test_an_id_comes_before_a_named_entry_of_the_same_name() -> None:
    # eco is an item's id and an input's key: the id first, then the named entry
    found = find_all(DATA, "eco")
    assert [f.value for f in found] == [ECO_ITEM, ECO_INPUT]
    first = find(DATA, "eco")
    assert first is not None and first.value is ECO_ITEM


def test_a_section_and_a_name_pick_the_named_entry() -> None:
    # inputs.eco: only the input, though an item has id eco
    assert find_all(DATA, "inputs.eco") == [Found(INPUTS, "eco", ECO_INPUT)]
    # a section without that entry: nothing, not a fallback to the id
    assert find_all(DATA, "inputs.disc") == []
    # "items" is not a named section, so "items.eco" is a plain name no definition has
    assert find_all(DATA, "items.eco") == []


def test_a_name_nothing_has_finds_nothing() -> None:
    assert find_all(DATA, "nope") == []
    assert find(DATA, "nope") is None
    # a scalar document has no definitions at all
    assert find_all("just text", "eco") == []


def test_a_named_entry_that_is_not_a_mapping_is_not_a_definition() -> None:
    params: YamlMap = {"rate": 0.5, "cap": {"value": 10}}
    data: YamlMap = {"params": params}
    assert find_all(data, "rate") == []
    assert find_all(data, "params.rate") == []
    assert find_all(data, "cap") == [Found(params, "cap", {"value": 10})]


def test_all_names_lists_ids_in_document_order_then_named_entries() -> None:
    # ids walked in order: eco, gdp (inside eco), disc, gdp (the veto) — not t, the scheme's own id,
    # which find_all never finds; then the named sections in NAMED order: inputs late, eco
    assert all_names(DATA) == ["eco", "gdp", "disc", "gdp", "late", "eco"]
    assert find_all(DATA, "t") == []
    assert all_names([]) == []
