"""Rules in plain words for the people a document is for: an expression, a
band or an input's values → a phrase built from the scheme's titles.

The score sheets and notices go to the assessed unit, who never saw the YAML:
``badge_rate >= 100 and pioneer_posts`` becomes "亮牌率不低于 100%，且设立党员
先锋岗", ``[90, +∞)`` becomes "90% 及以上", ``True`` becomes 是. An expression
with no plain reading (arithmetic beyond an average, a nested ``where``) gives
``None``: the caller then says less, never code. Explain, which is for the
scheme's author, keeps the expressions as written.

Every phrase comes in Chinese and English (:class:`~engine.messages.Text`).
"""

from __future__ import annotations

import ast
import math
import re
import typing as t

import numpy as np

from engine import aggregates
from engine.messages import Text
from engine.numbers import distinct, format_number, round_half_up, spread

if t.TYPE_CHECKING:
    from engine.model import Band, Scheme

_COMPARE: dict[type[ast.cmpop], tuple[str, str]] = {
    ast.GtE: ("不低于", "at least"), ast.Gt: ("高于", "above"), ast.LtE: ("不高于", "at most"),
    ast.Lt: ("低于", "below"), ast.Eq: ("为", "is"), ast.NotEq: ("不为", "is not"),
}
#: Aggregates over a dimension, in words after the input's title.
_AGGREGATES: dict[str, tuple[str, str]] = {
    "mean": ("平均值", "average"), "avg": ("平均值", "average"), "sum": ("合计", "total"),
    "count": ("个数", "count"), "max": ("最高值", "highest"), "min": ("最低值", "lowest"),
}


def number(value: float, percent: bool = False) -> str:
    """A figure as printed in a document: no trailing zeros, ``%`` for a percentage."""
    return format_number(value) + ("%" if percent else "")


def yes_no(value: object) -> Text:
    """A yes/no value as 是/否 (never Python's True/False)."""
    return Text("是", "yes") if bool(value) else Text("否", "no")


def band_words(band: Band, percent: bool = False) -> Text:
    """A band's bounds in words: ``[90, +∞)`` → "90 及以上", ``[80, 90)`` → "80 至 90（不含 90）"."""
    def n(value: float) -> str:
        return number(value, percent)

    low, low_open = (band.ge, False) if band.ge is not None else (band.gt, True)
    high, high_open = (band.le, False) if band.le is not None else (band.lt, True)
    if low is None and high is None:
        return Text("任意值", "any value")
    if high is None:
        assert low is not None
        return Text(f"高于 {n(low)}", f"above {n(low)}") if low_open else Text(f"{n(low)} 及以上", f"{n(low)} or more")
    if low is None:
        return Text(f"低于 {n(high)}", f"below {n(high)}") if high_open else Text(f"{n(high)} 及以下", f"{n(high)} or less")
    zh = f"{n(low)} 至 {n(high)}"
    en = f"{n(low)} to {n(high)}"
    excluded = [n(v) for v, open_ in ((low, low_open), (high, high_open)) if open_]
    if excluded:
        zh += f"（不含 {'、'.join(excluded)}）"
        en += f" (excluding {', '.join(excluded)})"
    return Text(zh, en)


def expression_words(source: str, scheme: Scheme) -> Text | None:
    """``source`` read aloud from the scheme's titles, or ``None`` when it has no plain reading."""
    try:
        tree = ast.parse(source.strip(), mode="eval").body
    except SyntaxError:
        return None
    return _Reader(scheme).words(tree)


def is_percentage(source: str, scheme: Scheme) -> bool:
    """Whether the expression is a percentage input alone (or its average): its figures print with %."""
    try:
        tree = ast.parse(source.strip(), mode="eval").body
    except SyntaxError:
        return False
    return _Reader(scheme).percent(tree)


class _Reader:
    def __init__(self, scheme: Scheme) -> None:
        self.scheme = scheme

    def title(self, name: str) -> str | None:
        scheme = self.scheme
        if name in scheme.inputs:
            return scheme.inputs[name].title
        if name in scheme.params:
            return scheme.params[name].title
        derived = next((d for d in scheme.derived if d.id == name), None)
        return derived.title if derived is not None else None

    def percent(self, node: ast.AST) -> bool:
        inner = self._mean_of(node)
        if inner is not None:
            node = inner
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("mean", "avg", "max", "min") and len(node.args) == 1:
            node = node.args[0]
        return isinstance(node, ast.Name) and node.id in self.scheme.inputs and self.scheme.inputs[node.id].type == "percentage"

    def _mean_of(self, node: ast.AST) -> ast.AST | None:
        """``sum(x) / count(x)`` is an average of x: return x."""
        if (isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div)
                and all(isinstance(s, ast.Call) and isinstance(s.func, ast.Name) and len(s.args) == 1 for s in (node.left, node.right))):
            left, right = t.cast(ast.Call, node.left), t.cast(ast.Call, node.right)
            if (t.cast(ast.Name, left.func).id, t.cast(ast.Name, right.func).id) == ("sum", "count") and ast.dump(left.args[0]) == ast.dump(right.args[0]):
                return left.args[0]
        return None

    def words(self, node: ast.AST) -> Text | None:
        if isinstance(node, ast.Name):
            title = self.title(node.id)
            return Text(title, title) if title else None
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
            return Text(number(float(node.value)), number(float(node.value)))
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return Text(f"“{node.value}”", f"“{node.value}”")
        inner = self._mean_of(node)
        if inner is not None:
            return self.words(ast.Call(func=ast.Name(id="mean"), args=[t.cast(ast.expr, inner)], keywords=[]))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _AGGREGATES and len(node.args) == 1:
            of = self.words(node.args[0])
            zh, en = _AGGREGATES[node.func.id]
            return Text(f"{of.zh}{zh}", f"{en} {of.en}") if of else None
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in aggregates.SPECS and node.args:
            return self._across(node)
        if isinstance(node, ast.BoolOp):
            parts = [self.words(v) for v in node.values]
            if any(p is None for p in parts):
                return None
            kept = t.cast(list[Text], parts)
            zh, en = ("，且", "; and ") if isinstance(node.op, ast.And) else ("，或", "; or ")
            return Text(zh.join(p.zh for p in kept), en.join(p.en for p in kept))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            of = self.words(node.operand)
            return Text(f"{of.zh}：否", f"not {of.en}") if of else None
        if isinstance(node, ast.Compare) and len(node.ops) == 1:
            left, right = self.words(node.left), self.words(node.comparators[0])
            if left is None or right is None:
                return None
            zh, en = _COMPARE[type(node.ops[0])]
            if self.percent(node.left) and isinstance(node.comparators[0], ast.Constant):
                right = Text(right.zh + "%", right.en + "%")
            return Text(f"{left.zh}{zh} {right.zh}", f"{left.en} {en} {right.en}")
        return None

    def _across(self, node: ast.Call) -> Text | None:
        """``rank(votes, 'group')`` → "得票在本组各单位中的名次" (engine.aggregates)."""
        of = self.words(node.args[0])
        literals = [a.value if isinstance(a, ast.Constant) and isinstance(a.value, str) else "" for a in node.args[1:]]
        if of is None or "" in literals:
            return None
        return aggregates.words(t.cast(ast.Name, node.func).id, of, *literals)


def input_words(scheme: Scheme, name: str, cells: np.ndarray) -> Text:
    """One unit's value(s) of input ``name`` in words: "群众知晓率 92%", "月评分 12 个，平均 9.33", "设立先锋岗 是"."""
    spec = scheme.inputs[name]
    cells = np.atleast_1d(cells)
    if spec.type == "boolean":
        values = [yes_no(v) for v in cells.tolist() if v not in ("", None) and not (isinstance(v, float) and math.isnan(v))]
        return Text(f"{spec.title} {'、'.join(v.zh for v in values)}", f"{spec.title}: {', '.join(v.en for v in values)}") if values else Text("", "")
    if spec.type == "category":
        labels = [str(v) for v in cells.tolist() if v not in ("", None)]
        return Text(f"{spec.title} {'、'.join(labels)}", f"{spec.title}: {', '.join(labels)}") if labels else Text("", "")
    present = cells[~np.isnan(cells.astype(np.float64))].astype(np.float64)
    percent = spec.type == "percentage"
    if spec.per is None:
        if not present.size:
            return Text("", "")
        shown = number(float(present[0]), percent)
        return Text(f"{spec.title} {shown}", f"{spec.title}: {shown}")
    if not present.size:
        return Text(f"{spec.title} 无", f"{spec.title}: none")
    mean = number(float(round_half_up(np.array([present.mean()]), 2)[0]), percent)
    return Text(f"{spec.title} {present.size} 个，平均 {mean}", f"{spec.title}: {present.size} values, mean {mean}")


def input_words_column(scheme: Scheme, name: str, column: np.ndarray) -> list[Text] | None:
    """:func:`input_words` of every unit at once, for a number input; ``None`` for a
    boolean or category input (worded one unit at a time by the caller).

    The same texts as calling :func:`input_words` unit by unit: counts and means
    are made a column at a time, and each distinct figure is formatted once (a
    100,000-member sheet run shows a few hundred distinct means). A unit with a
    missing value among its per-period values has its mean taken as
    :func:`input_words` takes it, from its present values alone.
    """
    spec = scheme.inputs[name]
    if spec.type in ("boolean", "category"):
        return None
    values = np.asarray(column, dtype=np.float64)
    percent = spec.type == "percentage"
    shown: dict[float, str] = {}

    def figure(value: float) -> str:
        text = shown.get(value)
        if text is None:
            text = shown[value] = number(value, percent)
        return text

    empty = Text("", "")
    if spec.per is None or values.ndim == 1:
        if spec.per is not None:  # one value per unit although per a dimension: as input_words reads it
            return [input_words(scheme, name, values[i]) for i in range(len(values))]
        flat = values.reshape(len(values), -1)[:, 0] if values.ndim > 1 else values
        return [empty if v != v else Text(f"{spec.title} {figure(v)}", f"{spec.title}: {figure(v)}") for v in flat.tolist()]
    rows = values.reshape(len(values), -1)
    missing = np.isnan(rows)
    if not missing.any():
        # Every unit has every value (the usual case): one pass, no masks per row.
        counts = np.full(len(rows), rows.shape[1], dtype=np.int64)
        # A row's mean as ndarray.mean takes it (the same pairwise sum over the same contiguous values).
        means = np.ascontiguousarray(rows).mean(axis=1)
    else:
        counts = (~missing).sum(axis=1)
        # Every row's mean at once (NaN where a value is missing: the same sum over the same
        # contiguous values for a complete row, and no copy of the complete rows); a row
        # with some values missing is then taken from its present values alone.
        means = np.ascontiguousarray(rows).mean(axis=1)
        for i in np.flatnonzero((counts < rows.shape[1]) & (counts > 0)).tolist():
            means[i] = rows[i][~missing[i]].mean()
    if not len(rows):
        return []
    none = Text(f"{spec.title} 无", f"{spec.title}: none")
    # One text per distinct (count, mean): a few hundred among 100,000 members, found by
    # numpy (a unit without values has the mean NaN and says 无 whatever its index).
    means_shown, at = distinct(round_half_up(means, 2))
    width = int(counts.max()) + 1
    keys, inverse = distinct((at.astype(np.int64) * width + counts).astype(np.float64))
    made = []
    for key in keys.astype(np.int64).tolist():
        count, mean = key % width, float(means_shown[key // width])
        m = figure(mean) if count else ""
        made.append(Text(f"{spec.title} {count} 个，平均 {m}", f"{spec.title}: {count} values, mean {m}") if count else none)
    return spread(made, inverse)


#: Chinese characters and full-width punctuation (what a Chinese sentence is made of).
_CJK = "\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef"
_COLON = re.compile(rf"([{_CJK}])\s*:\s*")
_SEMICOLON = re.compile(rf"([{_CJK}])\s*;\s*")
_COMMA = re.compile(rf"([{_CJK}]),\s*")
#: What :func:`full_width` may change.
_ASCII_MARKS = ':;,"'


def full_width(text: str) -> str:
    """Chinese text with Chinese punctuation: an ASCII colon, comma or semicolon
    after a Chinese character becomes full-width, straight double quotes become
    “ ” in pairs (scheme titles are often typed on an English keyboard).

    >>> full_width('公示期: 5 天，"创先争优"活动; 完')
    '公示期：5 天，“创先争优”活动；完'
    """
    if not any(mark in text for mark in _ASCII_MARKS):
        return text  # most texts: nothing to change (a Word report of 10,000 members asks 800,000 times)
    text = _COLON.sub(r"\1：", text)
    text = _SEMICOLON.sub(r"\1；", text)
    text = _COMMA.sub(r"\1，", text)
    parts = text.split('"')
    if len(parts) > 1 and len(parts) % 2 == 1:
        text = "".join(part + ("“" if k % 2 == 0 else "”") for k, part in enumerate(parts[:-1])) + parts[-1]
    return text
