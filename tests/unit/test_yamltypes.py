"""Narrowing raw YAML nodes (engine.yamltypes): each accessor gives the node as the
type validation guaranteed and raises TypeError on any other type."""

from __future__ import annotations

import datetime

import pytest

from engine.yamltypes import Yaml, integer, mapping, mappings, number, optional_number, sequence, text


def test_mapping_gives_the_same_mapping_and_refuses_anything_else() -> None:
    node: Yaml = {"id": "eco", "max": 10}
    assert mapping(node) is node
    assert mapping({}) == {}
    wrongs: list[tuple[Yaml, str]] = [([1], "list"), ("eco", "str"), (None, "NoneType"), (3, "int")]
    for wrong, name in wrongs:
        with pytest.raises(TypeError, match=f"expected a YAML mapping, found {name}$"):
            mapping(wrong)


def test_sequence_gives_the_same_list_and_refuses_anything_else() -> None:
    node: Yaml = [1, "a", None]
    assert sequence(node) is node
    wrongs: list[tuple[Yaml, str]] = [({"a": 1}, "dict"), ("abc", "str"), (None, "NoneType")]
    for wrong, name in wrongs:
        with pytest.raises(TypeError, match=f"expected a YAML list, found {name}$"):
            sequence(wrong)


def test_mappings_gives_each_entry_and_refuses_a_list_with_one_non_mapping() -> None:
    first: Yaml = {"title": "迟到"}
    second: Yaml = {"title": "早退"}
    out = mappings([first, second])
    assert out == [first, second] and out[0] is first
    assert mappings([]) == []
    # the second entry is text: the whole call fails, naming the entry's type
    with pytest.raises(TypeError, match="expected a YAML mapping, found str$"):
        mappings([first, "早退"])
    # not a list at all
    with pytest.raises(TypeError, match="expected a YAML list, found dict$"):
        mappings({"title": "迟到"})


def test_text_gives_text_and_refuses_a_number_or_a_date() -> None:
    assert text("经济发展") == "经济发展"
    assert text("") == ""
    wrongs: list[tuple[Yaml, str]] = [(3, "int"), (1.5, "float"), (datetime.date(2024, 1, 31), "date"), (True, "bool")]
    for wrong, name in wrongs:
        with pytest.raises(TypeError, match=f"expected YAML text, found {name}$"):
            text(wrong)


def test_number_is_what_float_gives() -> None:
    assert number(3) == 3.0 and isinstance(number(3), float)
    assert number(2.5) == 2.5
    assert number("0.1") == 0.1  # float("0.1")
    assert number(True) == 1.0  # a boolean is an integer to Python: float(True) == 1.0
    # float() refuses text that is no number: so does number (with float's own ValueError)
    with pytest.raises(ValueError):
        number("十")
    wrongs: list[tuple[Yaml, str]] = [(None, "NoneType"), ([1], "list"), ({"a": 1}, "dict"), (datetime.date(2024, 1, 1), "date")]
    for wrong, name in wrongs:
        with pytest.raises(TypeError, match=f"expected a YAML number, found {name}$"):
            number(wrong)


def test_optional_number_keeps_none_and_is_number_otherwise() -> None:
    assert optional_number(None) is None
    assert optional_number(4) == 4.0
    with pytest.raises(TypeError, match="expected a YAML number, found list$"):
        optional_number([4])


def test_integer_is_what_int_gives() -> None:
    assert integer(7) == 7
    assert integer(7.9) == 7  # int(7.9) truncates toward zero: 7
    assert integer(-7.9) == -7  # int(-7.9) == -7
    assert integer("12") == 12
    assert integer(False) == 0
    with pytest.raises(ValueError):
        integer("1.5")  # int("1.5") refuses text with a point
    wrongs: list[tuple[Yaml, str]] = [(None, "NoneType"), (["1"], "list")]
    for wrong, name in wrongs:
        with pytest.raises(TypeError, match=f"expected a YAML integer, found {name}$"):
            integer(wrong)
