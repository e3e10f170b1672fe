"""Bands (``ge``/``gt``/``le``/``lt`` → points or a value), compiled and checked.

Used by grades (``bands:`` → a value) and by rule kinds that band a value into
points (tiers …, through :class:`engine.compiling.items.RuleCompiling`). The
checks: an empty band is an error; overlapping bands and, over the range the
banded value can take, gaps between them are warnings.
"""

from __future__ import annotations

import math
import typing as t

from engine.errors import Problem
from engine.expressions import Expression
from engine.loader import YamlPath
from engine.messages import Text
from engine.model import Band
from engine.compiling.state import Compilation
from engine.yamltypes import YamlMap


def bands(c: Compilation, specs: list[YamlMap], path: YamlPath, result_key: str, high: float = 0.0) -> tuple[Band, ...]:
    """Bands written at ``path`` (``points``/``fraction`` of ``high`` when ``result_key`` is "points", else ``value``)."""
    out = []
    for i, spec in enumerate(t.cast(list[dict[str, t.Any]], specs)):
        bpath = path + (i,)
        if "ge" in spec and "gt" in spec or "le" in spec and "lt" in spec:
            c.problem("schema_other", bpath, reason=Text("下限只写 ge 或 gt 之一，上限只写 le 或 lt 之一", "a band takes one lower bound (ge or gt) and one upper bound (le or lt)"))
        if result_key == "points":
            if ("points" in spec) == ("fraction" in spec):
                c.problem("schema_other", bpath, reason=Text("每个档次写 'points' 或 'fraction' 之一", "each band takes exactly one of 'points' or 'fraction'"))
                continue
            # A band written as a fraction of the item's maximum becomes points here.
            result: float | str = float(spec["points"]) if "points" in spec else high * float(spec["fraction"])
        else:
            result = spec["value"] if isinstance(spec["value"], str) else float(spec["value"])
        out.append(Band(_opt(spec.get("ge")), _opt(spec.get("gt")), _opt(spec.get("le")), _opt(spec.get("lt")), result, spec.get("label"), c.at(bpath)))
    return tuple(out)


def domain_of(c: Compilation, value: Expression | None) -> tuple[float, float]:
    """The range a banded value can take: an input's declared range when the
    value is that input alone, else the whole line."""
    if value is not None and len(value.names) == 1 and value.source in c.inputs:
        declared = c.inputs[value.source].range
        if declared:
            return declared
    return (-math.inf, math.inf)


def check_bands(c: Compilation, bands: tuple[Band, ...], path: YamlPath, domain: tuple[float, float], gaps: bool = True) -> None:
    """Empty bands (errors), overlapping ones and, unless ``gaps`` is false, gaps over ``domain`` (warnings)."""
    cuts = []
    for i, band in enumerate(bands):
        lower = (band.ge, 0) if band.ge is not None else ((band.gt, 1) if band.gt is not None else (-math.inf, 0))
        upper = (band.le, 1) if band.le is not None else ((band.lt, 0) if band.lt is not None else (math.inf, 0))
        if lower >= upper:
            c.problems.append(Problem.at("band_empty", band.location, band=i + 1, range=band.describe()))
            continue
        cuts.append((lower, upper, i))
    for a in range(len(cuts)):
        for b in range(a + 1, len(cuts)):
            (la, ua, ia), (lb, ub, ib) = cuts[a], cuts[b]
            if max(la, lb) < min(ua, ub):
                c.problems.append(Problem.at(
                    "band_overlap", bands[ib].location, "warning",
                    first=ia + 1, second=ib + 1, a=bands[ia].describe(), b=bands[ib].describe(),
                ))
    if not gaps:
        return
    cursor: tuple[float, int] = (domain[0], 0)
    end: tuple[float, int] = (domain[1], 1) if math.isfinite(domain[1]) else (math.inf, 0)
    for lower, upper, _ in sorted(cuts):
        if lower > cursor and cursor < end:
            c.problem("band_gap", path, "warning", gap=_cut_text(cursor, min(lower, end)))
        cursor = max(cursor, upper)
    if cursor < end:
        c.problem("band_gap", path, "warning", gap=_cut_text(cursor, end))


def _opt(value: t.Any) -> float | None:
    return None if value is None else float(value)


def _cut_text(lower: tuple[float, int], upper: tuple[float, int]) -> str:
    lo = "(-∞" if lower[0] == -math.inf else (f"[{lower[0]:g}" if lower[1] == 0 else f"({lower[0]:g}")
    hi = "+∞)" if upper[0] == math.inf else (f"{upper[0]:g})" if upper[1] == 0 else f"{upper[0]:g}]")
    return f"{lo}, {hi}"
