"""Expression text → a Python expression tree, or the located problem that stops it.

A formula written over several lines is one expression; an empty, overlong
or too deeply nested one, more than one statement, a percentage (``90%``),
punctuation typed with a Chinese IME (``（``) and any other syntax error
are each one problem naming the text.
"""

from __future__ import annotations

import ast
import contextlib
import re
import typing as t
import warnings

import simpleeval

from engine.errors import Location, Problem
from engine.expressions.language import MAX_EXPRESSION_CHARS, MAX_EXPRESSION_DEPTH

#: Punctuation a Chinese IME types, and what the expression needs instead.
FULLWIDTH = {"（": "(", "）": ")", "‘": "'", "’": "'", "“": '"', "”": '"', "，": ",", "＋": "+", "－": "-",
             "＊": "*", "×": "*", "／": "/", "÷": "/", "＞": ">", "＜": "<", "＝": "=", "≥": ">=", "≤": "<=",
             "≠": "!=", "：": ":", "；": ";", "【": "[", "】": "]", "。": "."}


def text_of(source: object) -> str:
    """The YAML value (a string, or a plain number/boolean) → the expression's text.

    A formula written over several lines (``formula: |``, or a quoted
    ``"\\n"``) is one expression: each line break is a space.
    """
    text = str(source).strip() if not isinstance(source, bool) else str(source)
    return re.sub(r"[ \t]*(?:\r\n|\r|\n)[ \t]*", " ", text)


def too_deep(text: str, location: Location) -> Problem:
    return Problem.at("expr_too_deep", location, expr=f"'{shortened(text)}'", limit=MAX_EXPRESSION_DEPTH)


def parse(text: str, location: Location) -> tuple[ast.expr | None, list[Problem]]:
    """The text's expression tree as Python parses it (not yet rewritten), or the problems."""
    if not text:
        return None, [Problem.at("expr_empty", location)]
    if len(text) > MAX_EXPRESSION_CHARS:
        return None, [Problem.at("expr_too_long", location, length=len(text), limit=MAX_EXPRESSION_CHARS)]
    try:
        with _no_warnings():
            module = ast.parse(text)
        if len(module.body) > 1:
            # simpleeval would keep the first statement and drop the rest: "a * 0.5; 50" is not one formula.
            return None, [Problem.at("expr_many_statements", location, count=len(module.body), expr=f"'{text}'")]
        if depth(module) > MAX_EXPRESSION_DEPTH + 2:  # the module and its statement are two levels
            return None, [too_deep(text, location)]
        tree = simpleeval.SimpleEval.parse(text)
    except RecursionError:
        # Python's own parser gives up on a chain of thousands of terms.
        return None, [too_deep(text, location)]
    except SyntaxError as err:
        if percent := re.search(r"(\d+(?:\.\d+)?)\s*[%％]", text):
            # "rate >= 90%": percentages are plain numbers 0–100 in expressions.
            return None, [Problem.at("expr_percent", location, found=percent.group(0), number=percent.group(1), expr=f"'{text}'")]
        typed = next((c for c in text if c in FULLWIDTH), None)
        if typed is not None:
            # Typed with a Chinese IME: name the character rather than Python's "invalid character".
            return None, [Problem.at("expr_fullwidth", location, char=typed, ascii=FULLWIDTH[typed], expr=f"'{text}'")]
        return None, [Problem.at("expr_syntax", location, reason=err.msg, expr=f"'{text}'")]
    except simpleeval.InvalidExpression as err:
        return None, [Problem.at("expr_syntax", location, reason=str(err), expr=f"'{text}'")]
    if isinstance(tree, ast.Expr):
        tree = tree.value
    if not isinstance(tree, ast.expr):
        return None, [Problem.at("expr_syntax", location, reason=type(tree).__name__, expr=f"'{text}'")]
    return tree, []


def depth(tree: ast.AST) -> int:
    """Levels of the tree (operators and contexts such as ``Load`` aside), counted without recursion."""
    deepest = 0
    stack: list[tuple[ast.AST, int]] = [(tree, 1)]
    while stack:
        node, level = stack.pop()
        deepest = max(deepest, level)
        stack.extend((child, level + 1) for child in ast.iter_child_nodes(node) if child._fields)
    return deepest


def shortened(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else f"{text[:limit]}…"


@contextlib.contextmanager
def _no_warnings() -> t.Iterator[None]:
    """Silence Python's SyntaxWarnings while parsing user text (e.g. '1 is 1')."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield
