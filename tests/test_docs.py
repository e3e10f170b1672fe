"""The language reference and the JSON Schema describe the same keys."""

from __future__ import annotations

import json
import re
import typing as t

from tests.helpers import ROOT

SCHEMA = json.loads((ROOT / "schema" / "scheme.schema.json").read_text(encoding="utf-8"))
REFERENCE = (ROOT / "docs" / "scheme-language.md").read_text(encoding="utf-8")


def properties(node: t.Any, path: str = "$") -> t.Iterator[tuple[str, str, dict[str, t.Any]]]:
    """(path, key, definition) for every named property anywhere in the schema."""
    if isinstance(node, dict):
        for key, definition in node.get("properties", {}).items():
            yield path, key, definition
        for name, child in node.items():
            yield from properties(child, f"{path}.{name}")
    elif isinstance(node, list):
        for child in node:
            yield from properties(child, path)


def test_every_schema_key_is_in_the_language_reference() -> None:
    keys = {key for _, key, _ in properties(SCHEMA)}
    assert len(keys) > 50  # the walk found the schema's keys, not an empty set
    # Documented means written as `key` in the prose or as `key:` in an example.
    missing = sorted(k for k in keys if not re.search(rf"(`{re.escape(k)}`|\b{re.escape(k)}:)", REFERENCE))
    assert missing == []


def test_every_schema_key_has_a_chinese_title_for_the_editor() -> None:
    untitled = [f"{path}.{key}" for path, key, definition in properties(SCHEMA)
                if isinstance(definition, dict) and "$ref" not in definition
                and not re.search(r"[\u4e00-\u9fff]", definition.get("title", "") + definition.get("description", ""))]
    assert untitled == []
