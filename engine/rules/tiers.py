"""``tiers:`` — the points of the first band the value falls in (分档计分)."""

from __future__ import annotations

import dataclasses
import typing as t

import numpy as np

from engine.errors import Problem
from engine.expressions import NUMBER, Expression
from engine.messages import Text
from engine.numbers import format_number
from engine.words import band_words
from engine.rules.base import Compiling, Evaluating, Explaining, FloatArray, Kind
from engine.yamltypes import Yaml, mapping, mappings, optional_number

if t.TYPE_CHECKING:
    from engine.loader import YamlPath
    from engine.model import Band, Item


@dataclasses.dataclass(frozen=True)
class TiersRule:
    """Points of the first band the value falls in."""

    value: Expression
    bands: tuple[Band, ...]
    otherwise: float | None

    def expressions(self) -> tuple[Expression, ...]:
        return (self.value,)

    def source(self) -> str:
        return f"'{self.value.source}'"

    def evaluate(self, ev: Evaluating, item: Item) -> FloatArray:
        value = np.asarray(ev.column(self.value), dtype=np.float64)
        points = np.full(ev.n, np.nan)
        matched = np.zeros(ev.n, dtype=bool)
        which = np.full(ev.n, -1, dtype=np.int64)
        ev.note(item, "value", value)
        ev.note(item, "band", which)
        for index, band in enumerate(self.bands):
            hit = band.mask(value) & ~matched
            which[hit] = index
            points[hit] = t.cast(float, band.result)  # a tier band's result is points (compile_tiers)
            matched |= hit
            if ev.trace.active and hit[0]:
                shown = f"{self.value.source} = {format_number(float(value[0]))}"
                ev.trace.step(Text(f"{shown} 落在档次 {band.describe()}", f"{shown} is in band {band.describe()}"), band.result)
        unmatched = ~matched & np.isfinite(value)
        if unmatched.any():
            fallback = self.otherwise if self.otherwise is not None else 0.0
            points[unmatched] = fallback
            in_gap = unmatched & ev.active
            if self.otherwise is None and in_gap.any():
                ev.warn(Problem.at(
                    "eval_no_band", item.location, "warning",
                    what=Text(f"项目 {item.id}", f"item {item.id}"), count=int(in_gap.sum()), units=ev.units_text(in_gap),
                ))
            if ev.trace.active and unmatched[0]:
                shown = f"{self.value.source} = {format_number(float(value[0]))}"
                ev.trace.step(Text(f"{shown} 不在任何档次", f"{shown} is in no band"), fallback)
        return points

    def describe(self) -> str:
        bands = "；".join(f"{b.describe()} → {b.result:g}" for b in self.bands if isinstance(b.result, float))
        return f"分档 {self.value.source}: {bands}"

    def words(self, item: Item) -> Text:
        return Text(f"{self.value.source} 分 {len(self.bands)} 档", f"{self.value.source} in {len(self.bands)} bands")

    def explain(self, item: Item, unit: Explaining) -> list[Text]:
        value = unit.detail("value")
        noted = unit.detail("band")
        band = -1 if noted is None else int(noted)
        percent = unit.percent(self.value.source)
        name = unit.words(self.value.source) or Text("评分依据", "the value")
        shown = unit.figure(value) + ("%" if percent else "") if value is not None and value == value else "—"
        if band >= 0:
            where = band_words(self.bands[band], percent)
            score = unit.figure(unit.score)
            return [Text(f"{name.zh} {shown}，属于“{where.zh}”一档，得 {score} 分", f"{name.en} {shown}, in the band {where.en}: {score} points")]
        return [Text(f"{name.zh} {shown}，不在任何档次", f"{name.en} {shown}, in no band")]


def compile_tiers(c: Compiling, body: Yaml, path: YamlPath, what: Text, high: float) -> TiersRule | None:
    spec = mapping(body)
    value = c.expression(path + ("value",), NUMBER, what)
    bands = c.bands(mappings(spec["bands"]), path + ("bands",), "points", high)
    for band in bands:
        if isinstance(band.result, float) and band.result > high + 1e-9:
            c.report(Problem.at("band_points_above_max", band.location, points=f"{band.result:g}", max=f"{high:g}"))
    domain = c.domain_of(value)
    # With an 'otherwise' a value outside every band has its points: gaps are meant.
    c.check_bands(bands, path + ("bands",), domain, gaps="otherwise" not in spec)
    otherwise = spec.get("otherwise")
    return TiersRule(value, bands, optional_number(otherwise)) if value else None


def _needs_max(body: Yaml) -> bool:
    # A band written as a fraction of full marks reads the item's max.
    bands = body.get("bands") if isinstance(body, dict) else None
    return isinstance(bands, list) and any(isinstance(b, dict) and "fraction" in b for b in bands)


KIND = Kind("tiers", Text("分档", "tiers"), compile_tiers, needs_max=_needs_max)
