"""Outcomes → what every unit's score sheet says, made a column at a time.

Each rule words one unit's score (``explain``, engine.rules) in the scheme's
titles and plain figures; a report of 100,000 score sheets asks that 1.2
million times. Here the same words are made for all units of an item at once
where the rule can (``explain_column``), an input's words once per column
(:func:`engine.words.input_words_column`), each distinct figure formatted once,
and each sheet's table rows as the HTML the shipped template prints — the
texts exactly those of asking unit by unit (tests/unit/test_report_speed.py,
and the golden pages). :mod:`engine.reports` renders them; :mod:`engine.documents`
takes the lines for the Word sheets and notices.
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
import math
import operator
import typing as t
import weakref

import markupsafe
import numpy as np
import numpy.typing as npt

from engine import tree
from engine.context import DEFAULT, Context, Lang
from engine.evaluate import Results
from engine.grade import Outcomes
from engine.messages import Text
from engine.model import Item, Node, Scheme, Section, max_column
from engine.numbers import distinct, spread, format_max, format_number, format_score, round_half_up
from engine.rules.base import Pieces, blanked
from engine.sheetpages import ROW_END, escape, escape_column, pick, row_start
from engine.words import expression_words, full_width, input_words, input_words_column, is_percentage


def _t(lang: Lang, zh: str, en: str) -> str:
    return en if lang == "en" else zh


def explain_item(outcomes: Outcomes, item: Item, index: int, context: Context = DEFAULT) -> list[str]:
    """Plain-language lines saying how ``item`` was scored for one unit (its rule's words, engine.rules)."""
    return explain_item_with(explainer(outcomes.results), item, index, context.lang)


def explain_item_with(ex: Explainer, item: Item, index: int, lang: Lang) -> list[str]:
    results = ex.results
    score = float(results.scores[item.id][index])
    if math.isnan(score):
        return [_t(lang, "不适用", "not applicable")] if not results.manual[index] else []
    unit = _UnitItem(ex, item, index, score)
    return [line.en if lang == "en" else line.zh for line in item.rule.explain(item, unit)]


class Explainer:
    """What the rules' ``explain`` asks of every unit, worked out once per column.

    A score sheet for each of 100,000 units asks, for each item, for the same
    inputs' words and the same figures unit after unit; asked one unit at a
    time (numpy on one-element arrays, one expression's words parsed again
    and again) that was most of ``kaohe report``'s time. Here an input's
    words are made for all units at once when first asked (count, mean and
    figure a column at a time, each distinct figure formatted once), and an
    expression's words and a figure's text are kept once made. The texts are
    exactly :func:`engine.words.input_words`' (tests/unit/test_report_speed.py
    compares them on every shipped scheme).
    """

    def __init__(self, results: Results) -> None:
        self.results = results
        self._inputs: dict[str, list[Text] | None] = {}
        self._words: dict[str, Text | None] = {}
        self._percent: dict[str, bool] = {}
        self._figures: dict[float, str] = {}
        self._lines: dict[tuple[str, str], list[list[str]]] = {}
        self._summaries: dict[tuple[str, int], list[Text]] = {}
        self._detail_figures: dict[tuple[str, str], list[str]] = {}
        self._texts: dict[tuple[str, str], list[str]] = {}
        self._has_texts: dict[str, bool] = {}

    def words(self, source: str) -> Text | None:
        if source not in self._words:
            self._words[source] = expression_words(source, self.results.scheme)
        return self._words[source]

    def percent(self, source: str) -> bool:
        if source not in self._percent:
            self._percent[source] = is_percentage(source, self.results.scheme)
        return self._percent[source]

    def figure(self, value: float) -> str:
        shown = self._figures.get(value)
        if shown is None:
            shown = self._figures[value] = format_number(float(round_half_up(np.array([value]), self.results.scheme.precision)[0]))
        return shown

    def lines(self, item: Item, lang: Lang) -> list[list[str]]:
        """:func:`explain_item` of every unit: from the rule's ``explain_column`` when it has
        one (all units in one pass), else unit by unit; kept per item and language."""
        key = (item.id, lang)
        made = self._lines.get(key)
        if made is None:
            results = self.results
            scores = np.asarray(results.scores[item.id], dtype=np.float64)
            whole = getattr(item.rule, "explain_column", None)
            if whole is None:
                made = [explain_item_with(self, item, i, lang) for i in range(len(scores))]
            else:
                texts = whole(item, _Columns(self, item, scores.tolist()))
                made = [[line.en if lang == "en" else line.zh for line in lines] for lines in texts]
                na = [_t(lang, "不适用", "not applicable")]
                for i in np.flatnonzero(np.isnan(scores)).tolist():
                    made[i] = [] if results.manual[i] else na
            self._lines[key] = made
        return made

    def joined(self, item: Item, lang: Lang, joiner: str, units: t.Sequence[int] | npt.NDArray[np.intp] | None = None) -> list[str]:
        """Every unit's :func:`explain_item` lines joined with ``joiner`` (a score sheet's cell),
        or only ``units``' (in that order): from the rule's ``explain_texts`` when it has one
        (one language, no line objects, only the texts asked for made), else from :meth:`lines`."""
        whole = getattr(item.rule, "explain_texts", None)
        if whole is None:
            lines = self.lines(item, lang)
            chosen = lines if units is None else [lines[i] for i in (units.tolist() if isinstance(units, np.ndarray) else units)]
            return [(unit[0] if len(unit) == 1 else joiner.join(unit)) if unit else "" for unit in chosen]
        results = self.results
        picked = None if units is None else np.asarray(units, dtype=np.intp)
        scores = np.asarray(results.scores[item.id], dtype=np.float64)
        if picked is not None:
            scores = scores[picked]
        made: list[str] = whole(item, _Columns(self, item, scores.tolist(), picked), lang, joiner)
        na = _t(lang, "不适用", "not applicable")
        for k in np.flatnonzero(np.isnan(scores)).tolist():
            made[k] = "" if results.manual[k if picked is None else int(picked[k])] else na
        return made

    def pieces(self, item: Item, lang: Lang, joiner: str, units: npt.NDArray[np.intp] | None = None) -> Pieces:
        """:meth:`joined` as pieces (constants and per-unit columns) whose concatenation, unit
        by unit, is that unit's text: from the rule's ``explain_pieces`` when it has one and
        gives them, else the one column of :meth:`joined`."""
        whole = getattr(item.rule, "explain_pieces", None)
        if whole is None:
            return [self.joined(item, lang, joiner, units)]
        results = self.results
        scores = np.asarray(results.scores[item.id], dtype=np.float64)
        if units is not None:
            scores = scores[units]
        made: Pieces | None = whole(item, _Columns(self, item, scores.tolist(), units), lang, joiner)
        if made is None:
            return [self.joined(item, lang, joiner, units)]
        missing = np.flatnonzero(np.isnan(scores)).tolist()
        if missing:  # not scored: "not applicable" (nothing when the unit was scored by hand), as joined says
            columns = blanked(made, len(scores), missing)
            na = _t(lang, "不适用", "not applicable")
            for k in missing:
                if not results.manual[k if units is None else int(units[k])]:
                    columns[0][k] = na
            made = list(columns)
        return made

    def has_input_texts(self, name: str) -> bool:
        """Whether some unit has words for input ``name`` (kept per name)."""
        found = self._has_texts.get(name)
        if found is None:
            found = self._has_texts[name] = any(self.input_texts(name, "zh"))
        return found

    def detail_figures(self, item: Item, key: str) -> list[str]:
        """The figures of ``item``'s intermediate column ``key`` (its scores when not noted) of
        every unit: made once per item and key (a report's files each pick their units')."""
        made = self._detail_figures.get((item.id, key))
        if made is None:
            scores = np.asarray(self.results.scores[item.id], dtype=np.float64).tolist()
            every = _Columns(self, item, scores)
            noted = every.detail(key)
            made = self._detail_figures[(item.id, key)] = every.figures(scores if noted is None else noted)
        return made

    def input_texts(self, name: str, lang: Lang) -> list[str]:
        """:meth:`input_summaries` of every unit in ``lang``, as strings (made once and kept)."""
        made = self._texts.get((name, lang))
        if made is None:
            summaries = self.input_summaries(name, len(self.results.data.units))
            # A Text is a (zh, en) tuple: its field taken by C, not by a comprehension.
            made = self._texts[(name, lang)] = list(map(operator.itemgetter(1 if lang == "en" else 0), summaries))
        return made

    def input_summaries(self, name: str, count: int) -> list[Text]:
        """:meth:`input_summary` of all ``count`` units (made once per name and count, and kept:
        a report's files each ask for their units' words)."""
        key = (name, count)
        made = self._summaries.get(key)
        if made is None:
            made = self._summaries[key] = self._input_summaries(name, count)
        return made

    def _input_summaries(self, name: str, count: int) -> list[Text]:
        if tree.figure_of(self.results.scheme, name) is not None:  # a figure from the children (engine.tree)
            return self._tree_words(name) or [Text("", "")] * count
        if self._derived_figure(name) is not None:
            return [self.input_summary(name, i) for i in range(count)]
        if name not in self.results.scheme.inputs or self.results.data.columns.get(name) is None:
            return [Text("", "")] * count  # a parameter (base_weight): no words
        if count:
            self.input_summary(name, 0)  # makes the column's words when it has them
        made = self._inputs.get(name)
        return made if made is not None else [self.input_summary(name, i) for i in range(count)]

    def _derived_figure(self, name: str) -> tuple[str, npt.NDArray[np.float64]] | None:
        """A derived value's title and figures when it is a number (全县平均完成率), else None."""
        derived = next((d for d in self.results.scheme.derived if d.id == name), None)
        value = self.results.derived.get(name)
        if derived is None or value is None or value.dtype.kind != "f":
            return None
        return derived.title, value.astype(np.float64, copy=False)  # (a float column: the same array)

    def _tree_words(self, name: str) -> list[Text] | None:
        if name not in self._inputs:
            self._inputs[name] = tree.sheet_words(self.results.scheme, name, self.results.data.columns)
        return self._inputs[name]

    def input_summary(self, name: str, index: int) -> Text:
        if tree.figure_of(self.results.scheme, name) is not None:  # a figure from the children (engine.tree)
            made = self._tree_words(name)
            return made[index] if made is not None else Text("", "")
        figure = self._derived_figure(name)
        if figure is not None:
            # A derived figure the unit cannot see in its data (全县平均完成率 80): say it.
            shown = self.figure(float(figure[1][index]))
            return Text(f"{figure[0]} {shown}", f"{figure[0]}: {shown}")
        column = self.results.data.columns.get(name)
        if name not in self.results.scheme.inputs or column is None:
            return Text("", "")
        if name not in self._inputs:
            self._inputs[name] = input_words_column(self.results.scheme, name, np.asarray(column))
        made = self._inputs[name]
        # Booleans and categories (rare, short) are worded one unit at a time.
        return made[index] if made is not None else input_words(self.results.scheme, name, column[index])


#: The explainer of the last results asked for (a sheet run asks for one results' units
#: hundreds of thousands of times); weakly held, so it goes when the results go.
_LAST: tuple[weakref.ref[Results], Explainer] | None = None


def explainer(results: Results) -> Explainer:
    """The :class:`Explainer` of ``results`` (made once, kept while they are in use)."""
    global _LAST
    if _LAST is None or _LAST[0]() is not results:
        _LAST = (weakref.ref(results), Explainer(results))
    return _LAST[1]


@dataclasses.dataclass(frozen=True)
class _Columns:
    """Every unit's scored item, lent to a rule's ``explain_column`` (:class:`engine.rules.base.ExplainingColumns`)."""

    explainer: Explainer
    item: Item
    scores: list[float]
    #: The units these are, by index (``scores`` is theirs); None for every unit.
    units: npt.NDArray[np.intp] | None = None

    @functools.cached_property
    def listed(self) -> list[int]:
        """:attr:`units` as a list (picked from lists once per input and figure column)."""
        return [] if self.units is None else self.units.tolist()

    def detail(self, key: str) -> list[float] | None:
        column = self.explainer.results.details.get(self.item.id, {}).get(key)
        if column is None:
            return None
        values = np.asarray(column, dtype=np.float64)
        listed: list[float] = (values if self.units is None else values[self.units]).tolist()
        return listed

    def figures(self, values: list[float]) -> list[str]:
        # Each distinct value formatted once, rounded first (a figure is the text of the rounded
        # value, and rounding it again leaves it: the few distinct values are found without a sort).
        rounded = round_half_up(np.asarray(values, dtype=np.float64), self.explainer.results.scheme.precision)
        return _distinct_texts(rounded, self.explainer.figure)

    def detail_figures(self, key: str) -> list[str]:
        made = self.explainer.detail_figures(self.item, key)
        return made if self.units is None else pick(made, self.listed)

    def input_texts(self, name: str, lang: Lang) -> list[str]:
        made = self.explainer.input_texts(name, lang)
        return made if self.units is None else pick(made, self.listed)

    def has_input_texts(self, name: str) -> bool:
        return self.explainer.has_input_texts(name)

    def input_summaries(self, name: str) -> list[Text]:
        if self.units is None:
            return self.explainer.input_summaries(name, len(self.scores))
        # Every unit's words are made once (each distinct figure worded once) and kept; these units' picked.
        made = self.explainer.input_summaries(name, len(self.explainer.results.data.units))
        return pick(made, self.listed)


@dataclasses.dataclass(frozen=True)
class _UnitItem:
    """One unit's scored item, lent to its rule's ``explain`` (:class:`engine.rules.Explaining`)."""

    explainer: Explainer
    item: Item
    index: int
    score: float

    def detail(self, key: str) -> float | None:
        column = self.explainer.results.details.get(self.item.id, {}).get(key)
        return None if column is None else float(column[self.index])

    def words(self, source: str) -> Text | None:
        return self.explainer.words(source)

    def percent(self, source: str) -> bool:
        return self.explainer.percent(source)

    def figure(self, value: float) -> str:
        return self.explainer.figure(value)

    def input_summary(self, name: str) -> Text:
        return self.explainer.input_summary(name, self.index)


def _nodes(scheme: Scheme) -> list[tuple[Node, int]]:
    out: list[tuple[Node, int]] = []

    def walk(nodes: t.Iterable[Node], depth: int) -> None:
        for node in nodes:
            out.append((node, depth))
            if isinstance(node, Section):
                walk(node.children, depth + 1)

    for part in scheme.parts:
        walk(part.children, 0)
    walk(scheme.adjustments, 0)
    return out


class SheetColumns:
    """Every node's score-sheet cells for all units, made a column at a time.

    Per node: the score as printed (each distinct score formatted once), its
    full marks per unit type, whether points were lost; the HTML of a row
    built from them (the shipped template prints ``s.rows_html``: at 100,000
    sheets a Jinja loop over 1.2 million rows was a third of the report's time).
    """

    def __init__(self, outcomes: Outcomes, lang: Lang) -> None:
        results = outcomes.results
        scheme = results.scheme
        self.outcomes, self.lang = outcomes, lang
        self.nodes = _nodes(scheme)
        types = np.asarray(results.data.units.types).astype(str)
        #: Each node's scores and full marks per unit, and whether it is a bonus or deduction
        #: outside the parts (加减分), as numbers (the printed columns are made from them).
        self._values: list[tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], bool]] = []
        # Item titles typed with ASCII quotes (坚持"三会一课"制度) are printed with Chinese ones.
        self.titles = [str(markupsafe.escape(full_width(node.title) if lang != "en" else node.title)) for node, _ in self.nodes]
        self._precision = scheme.precision
        adjustments = {item.id for item in scheme.adjustments}
        for node, _ in self.nodes:
            column = np.asarray(results.scores[node.id], dtype=np.float64)
            # A section's 满分 counts only the items that apply to this unit; an item keeps its own.
            maximum = max_column(node, types) if isinstance(node, Section) else np.full(len(column), node.max)
            adjustment = node.id in adjustments
            self._values.append((column, maximum, adjustment))

    # A scheme's own template reads these per unit (:meth:`rows`); the shipped pages read
    # :attr:`heads` only, so they are made when first asked for.
    @functools.cached_property
    def scores(self) -> list[list[str]]:
        return [_distinct_texts(column, self._score_text) for column, _, _ in self._values]

    @functools.cached_property
    def maxima(self) -> list[list[str]]:
        return [_distinct_texts(maximum, self._max_text) for _, maximum, _ in self._values]

    @functools.cached_property
    def lost(self) -> list[list[bool]]:
        return [lost_points(column, maximum, adjustment).tolist() for column, maximum, adjustment in self._values]

    def _score_text(self, value: float) -> str:
        return format_score(value, self._precision) if not math.isnan(value) else "—"

    def _max_text(self, value: float) -> str:
        return format_max(value, self.lang)

    @functools.cached_property
    def heads(self) -> list[list[str]]:
        """Each node's score-sheet row of every unit up to its explanation (a section's whole row):
        ``<tr class="lost"><td>第一项</td><td>10</td><td>8.85</td><td>``, the same text as
        :meth:`rows_html` prints. Made once per distinct (score, full marks): a node of
        100,000 units has a few hundred, and a report's files each pick their units'."""
        heads: list[list[str]] = []
        for k, (node, depth) in enumerate(self.nodes):
            column, maximum, adjustment = self._values[k]
            section = isinstance(node, Section)
            if not column.size:
                heads.append([])
                continue
            scores, at_score = distinct(column)
            maxima, at_max = distinct(maximum)
            pairs, at = distinct((at_score * len(maxima) + at_max).astype(np.float64))
            chosen = pairs.astype(np.intp)
            score, top = scores[chosen // len(maxima)], maxima[chosen % len(maxima)]
            lost = lost_points(score, top, adjustment).tolist()
            texts = [f"{row_start(section, off, depth)}{self.titles[k]}</td><td>{escape(self._max_text(m))}</td>"
                     f"<td>{escape(self._score_text(v))}</td><td>{ROW_END if section else ''}"
                     for off, v, m in zip(lost, score.tolist(), top.tolist())]
            heads.append(spread(texts, at))
        return heads

    @functools.cached_property
    def why(self) -> list[list[list[str]]]:
        """Each node's explanation lines for every unit (none for a section), made column-wise."""
        ex = explainer(self.outcomes.results)
        return [ex.lines(node, self.lang) if isinstance(node, Item) else [] for node, _ in self.nodes]

    @functools.cached_property
    def why_html(self) -> list[list[str]]:
        """Each node's explanation for every unit, its lines joined and HTML-escaped as the template's
        ``join`` filter would (:meth:`Explainer.joined`: without making :attr:`why`)."""
        return self.why_html_of(None)

    def why_html_of(self, units: t.Sequence[int] | None) -> list[list[str]]:
        """:attr:`why_html` of ``units`` only (in that order), made for them and not kept: a
        report's files of a thousand sheets each make their own, so the texts of 100,000
        units never sit in memory at once (on a machine where each new page of memory
        costs microseconds, that was a second of the report's time)."""
        joiner = _t(self.lang, "；", "; ")
        ex = explainer(self.outcomes.results)
        picked = None if units is None else np.asarray(units, dtype=np.intp)  # once, not once per item
        return [escape_column(ex.joined(node, self.lang, joiner, picked)) if isinstance(node, Item) else [] for node, _ in self.nodes]

    def why_pieces_of(self, units: t.Sequence[int]) -> list[list[t.Iterable[str]]]:
        """:meth:`why_html_of` of ``units`` as pieces (:meth:`Explainer.pieces`, each escaped;
        a constant repeated without end): a unit's explanation is its piece of each in turn."""
        joiner = _t(self.lang, "；", "; ")
        ex = explainer(self.outcomes.results)
        picked = np.asarray(units, dtype=np.intp)
        return [[itertools.repeat(escape(piece)) if isinstance(piece, str) else escape_column(piece)
                 for piece in ex.pieces(node, self.lang, joiner, picked)] if isinstance(node, Item) else []
                for node, _ in self.nodes]

    def rows(self, i: int) -> list[dict[str, object]]:
        return [{"depth": depth, "title": node.title, "id": node.id, "section": isinstance(node, Section),
                 "max": self.maxima[k][i], "score": self.scores[k][i], "lost": self.lost[k][i],
                 "why": list(self.why[k][i]) if isinstance(node, Item) else []}
                for k, (node, depth) in enumerate(self.nodes)]

    def rows_html(self, i: int) -> markupsafe.Markup:
        # Every unit's texts when they were made (a scheme's own template printing every sheet
        # asks for them first), else this unit's alone (the shipped page's first sheet).
        made = self.__dict__.get("why_html")
        reasons = [texts[i] if texts else "" for texts in made] if made is not None else \
            [texts[0] if texts else "" for texts in self.why_html_of([i])]
        heads = self.heads
        return markupsafe.Markup("".join(heads[k][i] if isinstance(node, Section) else f"{heads[k][i]}{reasons[k]}{ROW_END}"
                                         for k, (node, _) in enumerate(self.nodes)))


#: The sheet columns of the last outcomes and language asked for (a report split into
#: files asks once per file); weakly held, as :data:`_LAST`.
_LAST_SHEETS: tuple[weakref.ref[Outcomes], str, SheetColumns] | None = None


def lost_points(scores: npt.NDArray[np.float64], maximum: npt.NDArray[np.float64], adjustment: bool) -> npt.NDArray[np.bool_]:
    """Whether each score lost points (its row is marked on a score sheet): below its full
    marks, or, for a bonus or deduction outside the parts (加减分), below nothing. A bonus
    not earned (表彰加分 0 of 5) is not a loss; a deduction taken (处分扣分 −2) is. No
    score (not applicable) loses nothing."""
    with np.errstate(invalid="ignore"):
        if adjustment:
            return ~np.isnan(scores) & (scores < -1e-9)
        return ~np.isnan(scores) & np.isfinite(maximum) & (scores < maximum - 1e-9)


def loses(node: Node, score: float, scheme: Scheme) -> bool:
    """Whether ``node``'s ``score`` lost points: what a score sheet marks and a 整改通知书
    lists. :func:`lost_points`' rule for one unit in plain floats (it is asked for every item
    of every notice; numpy on one-element arrays took 7 µs a call)."""
    if math.isnan(score):
        return False
    if any(item is node for item in scheme.adjustments):
        return score < -1e-9
    return math.isfinite(node.max) and score < node.max - 1e-9


def sheet_columns(outcomes: Outcomes, lang: Lang) -> SheetColumns:
    """The :class:`SheetColumns` of ``outcomes`` in ``lang`` (made once while they are in use)."""
    global _LAST_SHEETS
    if _LAST_SHEETS is None or _LAST_SHEETS[0]() is not outcomes or _LAST_SHEETS[1] != lang:
        _LAST_SHEETS = (weakref.ref(outcomes), lang, SheetColumns(outcomes, lang))
    return _LAST_SHEETS[2]


def _distinct_texts(column: np.ndarray, text: t.Callable[[float], str]) -> list[str]:
    """``text`` of every value of ``column``, each distinct value formatted once."""
    if not column.size:
        return []
    values, inverse = distinct(column)
    return spread([text(float(v)) for v in values.tolist()], inverse)


class _LazyRows:
    """A sheet's rows as dicts, made only when a template iterates them (a scheme's own template)."""

    def __init__(self, columns: SheetColumns, i: int) -> None:
        self._columns, self._i = columns, i
        self._made: list[dict[str, t.Any]] | None = None

    def _rows(self) -> list[dict[str, t.Any]]:
        if self._made is None:
            self._made = self._columns.rows(self._i)
        return self._made

    def __iter__(self) -> t.Iterator[dict[str, t.Any]]:
        return iter(self._rows())

    def __len__(self) -> int:
        return len(self._columns.nodes)

    def __getitem__(self, k: int) -> dict[str, t.Any]:
        return self._rows()[k]


class _LazyHtml:
    """A sheet's table rows as HTML, made when the template prints them (Jinja calls ``__html__``)."""

    def __init__(self, columns: SheetColumns, i: int) -> None:
        self._columns, self._i = columns, i

    def __html__(self) -> str:
        return str(self._columns.rows_html(self._i))
