"""Reading YAML with positions: duplicate keys, merge keys."""

from __future__ import annotations

import pytest

from engine.errors import SchemeError
from engine.loader import load_scheme_text


def test_a_written_key_overrides_a_merged_one_in_either_order() -> None:
    raw = load_scheme_text("a: &x {p: 1, q: 2}\nb: {<<: *x, q: 3}\nc: {q: 4, <<: *x}\n", "t.yaml")
    assert raw.data == {"a": {"p": 1, "q": 2}, "b": {"p": 1, "q": 3}, "c": {"p": 1, "q": 4}}
    # The overriding key is where messages point.
    assert raw.location(("b", "q"), key=True).column == 13


def test_two_written_keys_are_still_a_duplicate_next_to_a_merge() -> None:
    with pytest.raises(SchemeError) as caught:
        load_scheme_text("b: {<<: {p: 1}, q: 3, q: 4}\n", "t.yaml")
    (problem,) = caught.value.problems
    assert problem.code == "duplicate_key" and problem.location.column == 23
