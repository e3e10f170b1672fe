"""``formula:`` — the score is an expression's value (得分 = 表达式)."""

from __future__ import annotations

import dataclasses
import itertools
import typing as t

import numpy as np

from engine.expressions import NUMBER, Expression
from engine.messages import Text
from engine.rules.base import Compiling, Evaluating, Explaining, ExplainingColumns, FloatArray, Kind, Pieces, blanked, concatenated
from engine.yamltypes import Yaml

if t.TYPE_CHECKING:
    from engine.context import Lang
    from engine.loader import YamlPath
    from engine.model import Item


@dataclasses.dataclass(frozen=True)
class FormulaRule:
    """Score = an expression."""

    expr: Expression

    def expressions(self) -> tuple[Expression, ...]:
        return (self.expr,)

    def source(self) -> str:
        return f"'{self.expr.source}'"

    def evaluate(self, ev: Evaluating, item: Item) -> FloatArray:
        return np.asarray(ev.column(self.expr), dtype=np.float64)

    def describe(self) -> str:
        return f"公式 {self.expr.source}"

    def words(self, item: Item) -> Text:
        return Text(self.expr.source, self.expr.source)

    def explain(self, item: Item, unit: Explaining) -> list[Text]:
        if not unit.score < item.max:
            return []  # full marks need no words
        read = [x for x in (unit.input_summary(name) for name in sorted(self.expr.names)) if x.zh]
        if read and self.expr.source.strip() in self.expr.names:
            return read  # the score is the value entered: "第12条岗位奉献评分 4"
        raw = unit.detail("raw")
        result = unit.figure(unit.score if raw is None else raw)
        return [Text("；".join([x.zh for x in read] + [f"计算得 {result}"]), "; ".join([x.en for x in read] + [f"result {result}"]))]

    def explain_column(self, item: Item, units: ExplainingColumns) -> list[list[Text]]:
        """:meth:`explain` of every unit in one pass (engine.reports asks it for score sheets)."""
        reads = [units.input_summaries(name) for name in sorted(self.expr.names)]
        direct = bool(reads) and self.expr.source.strip() in self.expr.names
        raw = units.detail("raw")
        scores = units.scores
        results = units.figures(scores if raw is None else raw)
        out: list[list[Text]] = []
        top = item.max
        # Per unit, the inputs' words side by side (zip: no lookup per input and unit).
        rows = zip(scores, zip(*reads), results) if reads else ((score, (), result) for score, result in zip(scores, results))
        for score, words, result in rows:
            if not score < top:
                out.append([])
                continue
            read = [x for x in words if x.zh]
            if read and direct:
                out.append(read)
                continue
            out.append([Text("；".join([x.zh for x in read] + [f"计算得 {result}"]), "; ".join([x.en for x in read] + [f"result {result}"]))])
        return out


    def explain_texts(self, item: Item, units: ExplainingColumns, lang: Lang, joiner: str) -> list[str]:
        """:meth:`explain` of every unit in ``lang``, each unit's lines joined with ``joiner`` (a
        score sheet's cell), made without a :class:`Text` per unit: the same strings as
        ``joiner.join`` of :meth:`explain_column`'s lines in that language."""
        pieces = self.explain_pieces(item, units, lang, joiner)
        if pieces is not None:
            return concatenated(pieces, len(units.scores))
        # Some unit has no words for some input: unit by unit, as explain_column.
        sep, word, direct, said, chinese = self._inputs_said(units, lang)
        top = item.max
        out = []
        for score, words, has, result in zip(units.scores, zip(*said) if said else itertools.repeat((), len(units.scores)),
                                             zip(*chinese) if chinese else itertools.repeat((), len(units.scores)),
                                             units.detail_figures("raw")):
            read = [x for x, zh in zip(words, has) if zh]
            out.append("" if not score < top else joiner.join(read) if read and direct else sep.join([*read, word + result]))
        return out

    def explain_pieces(self, item: Item, units: ExplainingColumns, lang: Lang, joiner: str) -> Pieces | None:
        """:meth:`explain_texts` as pieces: constants (``；``, ``；计算得 ``) and columns (an
        input's words, the result) whose concatenation, unit by unit, is that unit's text;
        None when the texts are not made of the same pieces for every unit (some unit lacks
        some input's words). A score sheet's file joins these pieces straight into its rows,
        so the 1,000,000 texts of 100,000 members' ten formula items are never made."""
        sep, word, direct, said, chinese = self._inputs_said(units, lang)
        if any("" in zh for zh in chinese):
            return None  # :meth:`explain_texts` words those units one by one
        pieces: Pieces = []
        for k, words in enumerate(said):
            pieces += [joiner if direct else sep, words] if k else [words]
        if not (said and direct):
            # the formula's value before bounds (or the score)
            pieces += [f"{sep}{word}" if said else word, units.detail_figures("raw")]
        with np.errstate(invalid="ignore"):
            full = np.flatnonzero(~(np.asarray(units.scores, dtype=np.float64) < item.max)).tolist()
        # A unit at full marks has no explanation: each of its pieces is empty.
        return list(blanked(pieces, len(units.scores), full)) if full else pieces

    def _inputs_said(self, units: ExplainingColumns, lang: Lang) -> tuple[str, str, bool, list[t.Sequence[str]], list[t.Sequence[str]]]:
        """The separator and the word before the result in ``lang``, whether the formula is
        one input alone, and the words of each input that has any (a parameter has none and
        is left out, as explain leaves it out), in ``lang`` and in Chinese (whether a unit
        has words is read from the Chinese, as explain reads ``x.zh``)."""
        en = lang == "en"
        names = sorted(self.expr.names)
        direct = bool(names) and self.expr.source.strip() in self.expr.names
        kept = [name for name in names if units.has_input_texts(name)]
        chinese = [units.input_texts(name, "zh") for name in kept]
        said = [units.input_texts(name, "en") for name in kept] if en else chinese
        return ("; ", "result ", direct, said, chinese) if en else ("；", "计算得 ", direct, said, chinese)


def compile_formula(c: Compiling, body: Yaml, path: YamlPath, what: Text, high: float) -> FormulaRule | None:
    expr = c.expression(path, NUMBER, what)
    return FormulaRule(expr) if expr else None


KIND = Kind("formula", Text("公式", "formula"), compile_formula, allows_no_max=True, warn_outside=True)
