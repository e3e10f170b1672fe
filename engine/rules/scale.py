"""``scale:`` — a rating turned into points by a scale (好/较好/一般/差 → 20/15/10/0).

The commonest pattern of township and college schemes: an assessor rates an
item 好, 较好, 一般 or 差 (A/B/C, 优秀/良好/…), and the rating is worth fixed
points, or a fraction of the item's full marks (A = 100%, B = 66%, C = 33%).
A scale is declared once under ``scales:`` and used by any number of items
(``scale: {value: rating_03, use: four_level}``), or written inline
(``scale: {value: rating, points: {好: 5, 差: 0}}``). Compiling checks that
every declared value of the rated input has points (or the scale says
``otherwise``) and that no points are given for a value the input cannot take.
"""

from __future__ import annotations

import dataclasses
import math
import typing as t

import numpy as np

from engine.errors import Location, Problem
from engine.expressions import Expression, ValueType
from engine.messages import Text, closest
from engine.numbers import format_number
from engine.rules.base import Compiling, Evaluating, Explaining, FloatArray, Kind
from engine.yamltypes import Yaml, YamlMap, mapping, number, optional_number, text

if t.TYPE_CHECKING:
    from engine.loader import YamlPath
    from engine.model import Item

TEXT = ValueType("text")


@dataclasses.dataclass(frozen=True)
class Scale:
    """A declared scale: each rating's points, or its fraction of full marks."""

    id: str
    title: str
    #: ``points`` (fixed points) or ``fraction`` (of the item's max).
    by: t.Literal["points", "fraction"]
    values: tuple[tuple[str, float], ...]
    #: Points (or fraction) of a rating the scale does not name; ``None``: every rating must be named.
    otherwise: float | None
    location: Location


@dataclasses.dataclass(frozen=True)
class ScaleRule:
    """Points of the rating, by the scale."""

    value: Expression
    #: The scale's title ("" for one written inline).
    title: str
    #: Rating → points (fractions already times the item's max).
    points: tuple[tuple[str, float], ...]
    otherwise: float | None

    def expressions(self) -> tuple[Expression, ...]:
        return (self.value,)

    def source(self) -> str:
        return f"'{self.value.source}'"

    def evaluate(self, ev: Evaluating, item: Item) -> FloatArray:
        rating = np.asarray(ev.column(self.value)).astype(str)
        points = np.full(ev.n, np.nan)
        which = np.full(ev.n, -1, dtype=np.int64)
        for index, (label, value) in enumerate(self.points):
            hit = rating == label
            points[hit] = value
            which[hit] = index
        ev.note(item, "rating", which)
        unmatched = which < 0
        if unmatched.any():
            # Only a blank rating can be unnamed here (compiling checked the declared
            # values); a blank that the input's missing policy let through scores 'otherwise' or 0.
            points[unmatched] = self.otherwise if self.otherwise is not None else 0.0
            unrated = unmatched & ev.active
            if self.otherwise is None and unrated.any():
                ev.warn(Problem.at("eval_no_rating", item.location, "warning", what=Text(f"项目 {item.id}", f"item {item.id}"),
                                   count=int(unrated.sum()), units=ev.units_text(unrated)))
        if ev.trace.active:
            shown = f"{self.value.source} = {rating[0] or '空'}"
            ev.trace.step(Text(f"{shown}，按{self.title or '评分尺度'}", f"{shown}, by {self.title or 'the scale'}"), points)
        return points

    def describe(self) -> str:
        named = "；".join(f"{label} {format_number(value)}" for label, value in self.points)
        other = f"；其他 {format_number(self.otherwise)}" if self.otherwise is not None else ""
        return f"评分尺度 {self.value.source}: {named}{other}"

    def words(self, item: Item) -> Text:
        named = "、".join(f"{label} {format_number(value)}" for label, value in self.points)
        return Text(f"{self.value.source} 按{self.title or '评分尺度'}: {named}", f"{self.value.source} by {self.title or 'the scale'}: {named}")

    def explain(self, item: Item, unit: Explaining) -> list[Text]:
        noted = unit.detail("rating")
        index = -1 if noted is None else int(noted)
        name = unit.words(self.value.source) or Text("评价", "rating")
        score = unit.figure(unit.score)
        if index < 0:
            return [Text(f"{name.zh} 未评，得 {score} 分", f"{name.en}: not rated, {score} points")]
        label = self.points[index][0]
        return [Text(f"{name.zh} {label}，得 {score} 分", f"{name.en} {label}: {score} points")]


def compile_scales(c: Compiling, specs: Yaml, path: YamlPath) -> dict[str, Scale]:
    """The ``scales:`` block: each declared scale (one of points/fraction)."""
    scales: dict[str, Scale] = {}
    for ident, entry in mapping(specs or {}).items():
        here = path + (ident,)
        spec = mapping(entry)
        found = _values(c, spec, here)
        if found is None:
            continue
        by, values = found
        otherwise = spec.get("otherwise")
        scales[ident] = Scale(ident, text(spec["title"]), by, values, optional_number(otherwise), c.at(here))
    return scales


def _values(c: Compiling, spec: YamlMap, path: YamlPath) -> tuple[t.Literal["points", "fraction"], tuple[tuple[str, float], ...]] | None:
    given = [key for key in ("points", "fraction") if key in spec]
    if len(given) != 1:
        c.problem("schema_other", path, reason=Text("评分尺度写 'points'（每个评价的分数）或 'fraction'（占满分的比例）之一",
                                                     "a scale takes exactly one of 'points' (per rating) or 'fraction' (of full marks)"))
        return None
    by: t.Literal["points", "fraction"] = "points" if given[0] == "points" else "fraction"
    # (Fractions outside [0, 1] are refused by the JSON Schema.)
    return by, tuple((str(label), number(value)) for label, value in mapping(spec[by]).items())


def compile_scale(c: Compiling, body: Yaml, path: YamlPath, what: Text, high: float) -> ScaleRule | None:
    value = c.expression(path + ("value",), TEXT, what)
    spec = mapping(body)
    ways = [key for key in ("use", "points", "fraction") if key in spec]
    if len(ways) != 1:
        c.problem("schema_other", path, reason=Text("写 'use'（用 scales 中声明的尺度）、'points' 或 'fraction' 之一",
                                                     "write exactly one of 'use' (a scale declared under scales), 'points' or 'fraction'"))
        return None
    if ways[0] == "use":
        scale = c.scale(text(spec["use"]), path + ("use",))
        if scale is None:
            return None
        title, by, values, otherwise = scale.title, scale.by, scale.values, scale.otherwise
    else:
        found = _values(c, spec, path)
        if found is None:
            return None
        title, (by, values), otherwise = "", found, None
    if "otherwise" in spec:
        otherwise = number(spec["otherwise"])
    if by == "fraction":
        if not math.isfinite(high):
            c.problem("scale_needs_max", path)
            return None
        values = tuple((label, high * share) for label, share in values)
        otherwise = None if otherwise is None else high * otherwise
    for label, points in values:
        if points > high + 1e-9:
            c.problem("scale_points_above_max", path, label=label, points=format_number(points), max=format_number(high))
    if value is None:
        return None
    declared = c.categories_of(value)
    if declared is not None:
        named = {label for label, _ in values}
        for label in named - set(declared):
            c.problem("scale_unknown_rating", path + ("use",) if ways[0] == "use" else path + (by, label), label=label,
                      input=value.source, allowed="、".join(declared), suggest=closest(label, declared))
        missing = [v for v in declared if v not in named]
        if missing and otherwise is None:
            c.problem("scale_uncovered", path, input=value.source, missing="、".join(missing))
    return ScaleRule(value, title, values, otherwise)


KIND = Kind("scale", Text("评分尺度", "scale"), compile_scale,
            needs_max=lambda body: isinstance(body, dict) and "fraction" in body)
