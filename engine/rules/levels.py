"""``levels:`` — a bonus or penalty by level (国家级 +5, 省级 +3 …): the highest only, or the sum."""

from __future__ import annotations

import dataclasses
import typing as t

import numpy as np
import numpy.typing as npt

from engine.errors import Location
from engine.expressions import BOOL, NUMBER, Expression
from engine.messages import Text
from engine.numbers import format_max, format_number
from engine.rules.base import Compiling, Evaluating, Explaining, ExplainingColumns, FloatArray, Kind
from engine.yamltypes import Yaml, mapping, mappings, number, text

if t.TYPE_CHECKING:
    from engine.context import Lang
    from engine.loader import YamlPath
    from engine.model import Item

HIGHEST = Text("只取最高一项", "highest only")
SUMMED = Text("累计", "summed")


@dataclasses.dataclass(frozen=True)
class Level:
    """One bonus/penalty level (国家级 +5)."""

    title: str
    points: float
    when: Expression | None
    count: Expression | None
    location: Location


@dataclasses.dataclass(frozen=True)
class LevelsRule:
    """Bonus or penalty by level: the highest only, or the sum."""

    pick: t.Literal["highest", "sum"]
    levels: tuple[Level, ...]

    def expressions(self) -> tuple[Expression, ...]:
        return tuple(e for level in self.levels for e in (level.when, level.count) if e is not None)

    def source(self) -> str:
        return "levels"

    def evaluate(self, ev: Evaluating, item: Item) -> FloatArray:
        result = np.zeros(ev.n)
        same_sign = all(lv.points >= 0 for lv in self.levels) or all(lv.points <= 0 for lv in self.levels)
        for k, level in enumerate(self.levels):
            mark = ev.trace.mark()
            if level.count is not None:
                count = np.asarray(ev.column(level.count), dtype=np.float64)
            else:
                assert level.when is not None  # a level has a count or a condition (compile_levels)
                count = np.asarray(ev.column(level.when), dtype=bool).astype(np.float64)
            ev.note(item, f"level{k}", count)
            applies = ev.trace.active and bool(count[0] > 0)
            if not applies:
                ev.trace.drop(mark)  # a level that does not apply only clutters the trace
            if self.pick == "sum":
                amount = level.points * count
                result = result + amount
            else:
                # 以最高为主，不能累计: keep the level with the largest |points|.
                candidate = np.where(count > 0, level.points, 0.0)
                if same_sign:
                    # All bonuses (or all penalties): the largest |points| is a plain max (min).
                    result = np.maximum(result, candidate) if level.points >= 0 else np.minimum(result, candidate)
                else:
                    result = np.where(np.abs(candidate) > np.abs(result), candidate, result)
                amount = candidate
            if applies:
                ev.trace.step(f"{level.title}（{level.points:+g}）", amount)
        ev.trace.step(HIGHEST if self.pick == "highest" else SUMMED, result)
        return result

    def describe(self) -> str:
        levels = "；".join(f"{lv.title} {lv.points:+g}" for lv in self.levels)
        return f"按级别（{'只取最高' if self.pick == 'highest' else '累加'}）: {levels}"

    def words(self, item: Item) -> Text:
        pick = HIGHEST if self.pick == "highest" else SUMMED
        low = format_number(item.min)
        return Text(f"{len(self.levels)} 个级别，{pick.zh}，范围 [{low}, {format_max(item.max, 'zh')}]",
                    f"{len(self.levels)} levels, {pick.en}, range [{low}, {format_max(item.max, 'en')}]")

    def explain(self, item: Item, unit: Explaining) -> list[Text]:
        return self._lines([unit.detail(f"level{k}") or 0.0 for k in range(len(self.levels))], unit.figure)

    def explain_column(self, item: Item, units: ExplainingColumns) -> list[list[Text]]:
        """:meth:`explain` of every unit: the units no level applies to (most of them) found a
        column at a time, the others worded one by one."""
        counts = self._counts(units)
        out: list[list[Text]] = [[] for _ in range(len(units.scores))]
        for i in self._hits(counts).tolist():
            out[i] = self._lines([float(c[i]) for c in counts], lambda v: units.figures([v])[0])
        return out

    def explain_texts(self, item: Item, units: ExplainingColumns, lang: Lang, joiner: str) -> list[str]:
        """:meth:`explain_column` in ``lang``, each unit's lines joined with ``joiner`` (a score sheet's cell)."""
        n = len(units.scores)
        out = [""] * n
        counts = self._counts(units)
        for i in self._hits(counts).tolist():
            lines = self._lines([float(c[i]) for c in counts], lambda v: units.figures([v])[0])
            out[i] = joiner.join(line.en if lang == "en" else line.zh for line in lines)
        return out

    def _counts(self, units: ExplainingColumns) -> list[npt.NDArray[np.float64]]:
        columns = [units.detail(f"level{k}") for k in range(len(self.levels))]
        return [np.zeros(len(units.scores)) if c is None else np.asarray(c, dtype=np.float64) for c in columns]

    @staticmethod
    def _hits(counts: list[npt.NDArray[np.float64]]) -> npt.NDArray[np.intp]:
        """The units some level applies to (a missing count, NaN, applies none: as explain reads it)."""
        hit = np.zeros(len(counts[0]) if counts else 0, dtype=bool)
        with np.errstate(invalid="ignore"):
            for count in counts:
                hit |= count > 0
        return np.flatnonzero(hit)

    def _lines(self, counts: list[float], figure: t.Callable[[float], str]) -> list[Text]:
        """The words of one unit whose count of each level is ``counts``."""
        parts: list[Text] = []
        for level, count in zip(self.levels, counts):
            if not count > 0:
                continue
            verb, verb_en = ("加", "+") if level.points >= 0 else ("扣", "−")
            each = format_number(abs(level.points))
            if level.count is not None:
                total = figure(abs(level.points) * count)
                parts.append(Text(f"{level.title} {figure(count)} 次，每次{verb} {each} 分，{verb} {total} 分",
                                  f"{level.title}: {figure(count)} × {verb_en}{each} = {verb_en}{total}"))
            else:
                parts.append(Text(f"{level.title}（{verb} {each} 分）", f"{level.title} ({verb_en}{each})"))
        if not parts:
            return []
        pick = HIGHEST if self.pick == "highest" else SUMMED
        if len(parts) == 1:
            return [parts[0]]
        # Parts that hold commas themselves ("2 次，每次加 5 分") are set apart with semicolons.
        joiner = "；" if any("，" in p.zh for p in parts) else "、"
        return [Text(joiner.join(p.zh for p in parts) + f"{'；' if joiner == '；' else '，'}{pick.zh}", "; ".join(p.en for p in parts) + f"; {pick.en}")]


def compile_levels(c: Compiling, body: Yaml, path: YamlPath, what: Text, high: float) -> LevelsRule | None:
    spec = mapping(body)
    levels = []
    for i, level in enumerate(mappings(spec["levels"])):
        lpath = path + ("levels", i)
        when = count = None
        if "when" in level:
            when = c.expression(lpath + ("when",), BOOL, what)
        if "count" in level:
            count = c.expression(lpath + ("count",), NUMBER, what)
        if ("when" in level) == ("count" in level):
            c.problem("schema_other", lpath, reason=Text("每一级写 'when'（条件）或 'count'（次数）之一", "each level takes exactly one of 'when' or 'count'"))
            continue
        if when is None and count is None:
            continue
        levels.append(Level(text(level["title"]), number(level["points"]), when, count, c.at(lpath)))
    c.check_levels_cover(levels, path)
    pick: t.Literal["highest", "sum"] = "sum" if spec.get("pick", "highest") == "sum" else "highest"  # (the schema allows these two)
    return LevelsRule(pick, tuple(levels))


KIND = Kind("levels", Text("按级别加减分", "levels"), compile_levels, allows_no_max=True)
