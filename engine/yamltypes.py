"""Raw YAML, typed: what :mod:`engine.loader` builds from a scheme's text, and
helpers that narrow a node to what validation has already made sure it is.

The loader builds nothing but ``None``, booleans, integers, floats, text,
dates (a YAML timestamp: ``datetime.date``, or ``datetime.datetime`` with a
time), lists, and mappings with text keys (other tags are refused, keys are
made text). :data:`Yaml` says so, recursively, so a stage reading raw YAML
names what a node may be instead of ``Any``.

The narrowing helpers are for nodes the JSON Schema has checked (a rule's
body, a clause's ``title``): each gives the node as the type the schema
guarantees and raises ``TypeError`` otherwise — a node validation let through
with the wrong type would be a bug in the schema, never a user's mistake, so
it is not worded as a message.
"""

from __future__ import annotations

import datetime
import typing as t

#: A YAML scalar as the loader builds it.
Scalar: t.TypeAlias = t.Union[None, bool, int, float, str, datetime.date]
#: Any YAML node: a scalar, a list of nodes or a mapping of text keys to nodes.
Yaml: t.TypeAlias = t.Union[Scalar, list["Yaml"], dict[str, "Yaml"]]
#: A YAML mapping (a scheme's top level, an item, a rule's body …).
YamlMap: t.TypeAlias = dict[str, Yaml]
#: A YAML list.
YamlList: t.TypeAlias = list[Yaml]


def mapping(node: Yaml) -> YamlMap:
    """``node`` as a mapping (validated to be one)."""
    if not isinstance(node, dict):
        raise TypeError(f"expected a YAML mapping, found {type(node).__name__}")
    return node


def sequence(node: Yaml) -> YamlList:
    """``node`` as a list (validated to be one)."""
    if not isinstance(node, list):
        raise TypeError(f"expected a YAML list, found {type(node).__name__}")
    return node


def mappings(node: Yaml) -> list[YamlMap]:
    """``node`` as a list of mappings (validated to be one)."""
    return [mapping(entry) for entry in sequence(node)]


def text(node: Yaml) -> str:
    """``node`` as text (validated to be text)."""
    if not isinstance(node, str):
        raise TypeError(f"expected YAML text, found {type(node).__name__}")
    return node


def number(node: Yaml) -> float:
    """``float(node)`` for a node validated to be a number: exactly what ``float()``
    gives (a boolean is an integer to Python); anything ``float()`` refuses is refused."""
    if isinstance(node, (int, float, str)):
        return float(node)
    raise TypeError(f"expected a YAML number, found {type(node).__name__}")


def optional_number(node: Yaml) -> float | None:
    """:func:`number`, with ``None`` (absent) kept."""
    return None if node is None else number(node)


def integer(node: Yaml) -> int:
    """``int(node)`` for a node validated to be an integer (as ``int()`` reads it)."""
    if isinstance(node, (int, float, str)):
        return int(node)
    raise TypeError(f"expected a YAML integer, found {type(node).__name__}")
