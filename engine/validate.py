"""Check a RawScheme against schema/scheme.schema.json; every error gets a place.

jsonschema reports *what* is wrong with a path into the data; we turn each
error into a :class:`~engine.errors.Problem` located at the YAML line of that
path, with a Chinese (or English) message and a hint such as "did you mean
'formula'?". All errors are returned, sorted by position. Semantic checks
(undeclared names, section totals, band gaps) happen in the compiler, which
:func:`check_scheme` runs after this structural pass succeeds.
"""

from __future__ import annotations

import datetime
import functools
import json
import re
import typing as t
import unicodedata

import jsonschema

from engine import rules
from engine.errors import Problem, sorted_problems
from engine.loader import RawScheme, YamlPath
from engine.messages import Text, closest
from engine.resources import schema_file
from engine.yamltypes import YamlMap, mapping

#: Shipped with the engine (engine/resources.py finds it in a clone and in a wheel).
SCHEMA_FILE = schema_file()

_TYPE_NAMES = {
    "string": ("文字", "text"),
    "number": ("数字", "a number"),
    "integer": ("整数", "a whole number"),
    "boolean": ("true/false", "true/false"),
    "object": ("键值对（key: value）", "a mapping (key: value)"),
    "array": ("列表（- 开头的多行或 [a, b]）", "a list (lines starting with - or [a, b])"),
    "null": ("空", "empty"),
}


#: A number written with its unit, as in the source document: 90%, 10分, 5 分.
_NUMBER_WITH_UNIT = re.compile(r"([+-]?\d+(?:\.\d+)?)\s*(?:%|分|个|次|名|人|天)")


@functools.lru_cache(maxsize=1)
def scheme_schema() -> YamlMap:
    """The JSON Schema of the scheme language (read once), with the body of
    every registered rule kind that the shipped file does not describe."""
    with SCHEMA_FILE.open(encoding="utf-8") as handle:
        schema = mapping(json.load(handle))  # JSON: a subset of what YAML holds
    # A fragment beside it (schema/tree.schema.json, engine.tree) is written in where the file refers to it.
    with SCHEMA_FILE.with_name("tree.schema.json").open(encoding="utf-8") as handle:
        mapping(schema["properties"])["tree"] = {k: v for k, v in mapping(json.load(handle)).items() if k != "$schema"}
    node = mapping(mapping(mapping(schema["$defs"])["node"])["properties"])
    for kind in rules.kinds():
        if kind.key not in node and kind.schema is not None:
            node[kind.key] = dict(kind.schema)
    return schema


@functools.lru_cache(maxsize=1)
def _validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(scheme_schema())


def _forget_schema() -> None:
    scheme_schema.cache_clear()
    _validator.cache_clear()


rules.on_change(_forget_schema)


def validate_structure(raw: RawScheme) -> tuple[Problem, ...]:
    """All structural problems of ``raw``, located and sorted."""
    problems: list[Problem] = []
    for error in _validator().iter_errors(raw.data):
        problems.extend(_convert(raw, error))
    return sorted_problems(problems)


def _split_expression(instance: dict[str, t.Any], extras: list[t.Any]) -> tuple[str, str] | None:
    """``{id: a, formula: where(flag, 5, 0)}``: YAML's flow mapping splits the
    expression at its commas into 'where(flag' and keys 5 and '0)' with no value.
    Returns the key whose value was cut and the expression as meant.

    >>> _split_expression({"formula": "where(flag", 5: None, "0)": None}, [5, "0)"])
    ('formula', 'where(flag, 5, 0)')
    """
    if not extras or any(instance[key] is not None for key in extras):
        return None
    for key, value in instance.items():
        if isinstance(value, str) and value.count("(") > value.count(")"):
            return str(key), ", ".join([value, *(str(extra) for extra in extras)])
    return None


def describe_value(value: object) -> Text:
    """A found value in words for messages: 文字 'abc' / the text 'abc', 列表 / a list, 日期 … (never a Python type name)."""
    if value is None:
        return Text("空值", "nothing")
    if isinstance(value, bool):
        return Text(f"{str(value).lower()}（是/否）", f"{str(value).lower()} (a boolean)")
    if isinstance(value, (int, float)):
        return Text(f"数字 {value}", f"the number {value}")
    if isinstance(value, str):
        return Text(f"文字 '{value}'", f"the text '{value}'")
    if isinstance(value, (datetime.date, datetime.datetime)):
        # version: 2024-02-01 — YAML reads a date; quoted it is text.
        return Text(f"日期 {value}（要当作文字请加引号）", f"the date {value} (quote it to make it text)")
    if isinstance(value, list):
        return Text("列表", "a list")
    if isinstance(value, dict):
        return Text("键值对", "a mapping")
    return Text(type(value).__name__, type(value).__name__)


def _expected_types(value: t.Any) -> Text:
    names = value if isinstance(value, list) else [value]
    zh = " 或 ".join(_TYPE_NAMES.get(n, (n, n))[0] for n in names)
    en = " or ".join(_TYPE_NAMES.get(n, (n, n))[1] for n in names)
    return Text(zh, en)


#: Schema keywords whose errors get a message of their own (Chinese and English);
#: tests check that every keyword the schema uses is here or only structures it.
CONVERTED_KEYWORDS = frozenset({
    "additionalProperties", "required", "type", "anyOf", "enum", "const", "minimum", "maximum",
    "exclusiveMinimum", "exclusiveMaximum", "pattern", "minItems", "maxItems",
})


def _convert(raw: RawScheme, error: jsonschema.ValidationError) -> list[Problem]:
    path: YamlPath = tuple(error.absolute_path)
    # jsonschema types these as possibly "Unset"; on errors from iter_errors they are set.
    keyword = t.cast(str, error.validator)
    value: t.Any = error.validator_value
    instance: t.Any = error.instance
    schema: t.Any = error.schema
    where = raw.location(path)
    if keyword == "additionalProperties" and isinstance(instance, dict):
        allowed = list(schema.get("properties", {}))
        extras = [key for key in instance if key not in allowed]
        glued = [key for key in extras if isinstance(key, str) and re.match(r"^[^\s:]+:\S", key)]
        if glued:
            # "items:{id: a}" reads as the key 'items:{id': the space after the colon is missing.
            problems = []
            for key in glued:
                at = raw.location(path + (key,), key=True)
                problems.append(Problem.at("yaml_colon_space", at, key=key.split(":", 1)[0], line=str(at.line)))
            return problems
        split = _split_expression(instance, extras)
        if split is not None:
            key, fixed = split
            return [Problem.at("flow_split_expression", raw.location(path + (key,)), key=key, fragment=instance[key], fixed=fixed)]
        return [
            Problem.at(
                "unknown_key",
                raw.location(path + (key,), key=True),
                key=key,
                suggest=closest(key, allowed),
                allowed=", ".join(allowed),
            )
            for key in extras
        ]
    if keyword == "required" and isinstance(instance, dict):
        return [Problem.at("missing_key", where, key=key) for key in value if key not in instance]
    if keyword == "type":
        wants_number = value in ("number", "integer") or (isinstance(value, list) and ("number" in value or "integer" in value))
        if wants_number and isinstance(instance, str) and (match := _NUMBER_WITH_UNIT.fullmatch(unicodedata.normalize("NFKC", instance).strip())):
            # "90%", "10分": the number is right, the unit is not written in a scheme.
            return [Problem.at("number_with_unit", where, found=instance, number=match.group(1))]
        return [Problem.at("wrong_type", where, expected=_expected_types(value), found=describe_value(instance))]
    if keyword == "anyOf" and isinstance(value, list):
        # A number or a word (max: 10 / max: 不封顶): one message naming both.
        for sub in error.context or ():
            converted = _convert(raw, sub)
            if converted and converted[0].code == "number_with_unit":
                return converted
        zh, en = [], []
        for alternative in value:
            if "type" in alternative:
                names = _expected_types(alternative["type"])
                zh.append(names.zh)
                en.append(names.en)
            for word in alternative.get("enum", []):
                zh.append(f"'{word}'")
                en.append(f"'{word}'")
        return [Problem.at("wrong_type", where, expected=Text(" 或 ".join(zh), " or ".join(en)), found=describe_value(instance))]
    if keyword == "enum":
        return [Problem.at("not_in_enum", where, found=repr(instance), allowed=", ".join(map(str, value)))]
    if keyword == "const":
        return [Problem.at("not_in_enum", where, found=repr(instance), allowed=repr(value))]
    if keyword in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        symbol = {"minimum": "≥", "maximum": "≤", "exclusiveMinimum": ">", "exclusiveMaximum": "<"}[keyword]
        return [Problem.at("out_of_bounds", where, found=instance, expected=f"{symbol} {value}")]
    if keyword == "pattern":
        container = raw.get(path)
        if isinstance(container, dict) and instance in container:
            # propertyNames errors carry the key as instance and the mapping's path.
            where = raw.location(path + (instance,), key=True)
        return [Problem.at("bad_pattern", where, found=instance, expected=value)]
    if keyword == "minItems":
        return [Problem.at("too_few", where, expected=value, found=len(instance))]
    if keyword == "maxItems":
        return [Problem.at("too_many", where, expected=value, found=len(instance))]
    return [Problem.at("schema_other", where, reason=error.message)]
