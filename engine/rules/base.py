"""What a rule kind is, and what the stages lend it.

A rule kind (formula, tiers, deductions …) is one module in ``engine/rules/``.
The module defines the compiled rule — a frozen dataclass implementing
:class:`Rule` — and a :class:`Kind`: its YAML key, how its YAML body turns
into the rule, and what it needs from its item. The stages never look inside a
rule: the compiler calls ``kind.compile``, the evaluator ``rule.evaluate``,
explain reads the steps ``evaluate`` traced, the diff compares
``rule.describe()``, the score sheets print ``rule.explain(...)`` and the
explain page ``rule.words(item)``.

What the stages lend a rule is written here as protocols
(:class:`Compiling`, :class:`Evaluating`, :class:`Explaining`), so a rule
module imports neither the compiler nor the evaluator and a kind defined
outside the engine (a test's toy rule) plugs in the same way.
"""

from __future__ import annotations

import dataclasses
import itertools
import typing as t

import numpy as np
import numpy.typing as npt

from engine.messages import Text
from engine.yamltypes import Yaml, YamlMap

if t.TYPE_CHECKING:
    from engine.context import Lang
    from engine.errors import Location, Problem
    from engine.expressions import Expression, ValueType
    from engine.loader import YamlPath
    from engine.model import Band, Item
    from engine.rules.levels import Level
    from engine.rules.scale import Scale

FloatArray = npt.NDArray[np.float64]


class Compiling(t.Protocol):
    """The compiler, as a rule kind's ``compile`` sees it."""

    def expression(self, path: YamlPath, expect: ValueType, what: Text) -> Expression | None:
        """The expression at ``path`` compiled over the names an item may read,
        checked to give ``expect``; ``None`` (with a problem recorded) when it cannot."""

    def bands(self, specs: list[YamlMap], path: YamlPath, result_key: str, high: float = 0.0) -> tuple[Band, ...]:
        """Bands written at ``path`` (``points``/``fraction`` of ``high`` when ``result_key`` is "points")."""

    def check_bands(self, bands: tuple[Band, ...], path: YamlPath, domain: tuple[float, float], gaps: bool = True) -> None:
        """Warn about overlapping bands (and gaps, unless ``gaps`` is false) over ``domain``."""

    def domain_of(self, value: Expression | None) -> tuple[float, float]:
        """The range a banded value can take."""

    def check_levels_cover(self, levels: t.Sequence[Level], path: YamlPath) -> None:
        """Note which declared category values levels over one input name."""

    def problem(self, code: str, path: YamlPath, severity: t.Literal["error", "warning"] = "error", *,
                at_key: bool = False, **args: object) -> None:
        """Record a problem located at ``path`` (``args`` fill the message's placeholders)."""

    def report(self, problem: Problem) -> None:
        """Record a problem located elsewhere (e.g. at a band)."""

    def at(self, path: YamlPath, *, key: bool = False) -> Location:
        """The YAML location of ``path``."""

    def scale(self, name: str, path: YamlPath) -> Scale | None:
        """The scale declared under ``scales:`` as ``name`` (a problem at ``path`` when there is none)."""

    def categories_of(self, value: Expression) -> tuple[str, ...] | None:
        """The declared values when ``value`` is one category input alone, else ``None``."""


class Tracing(t.Protocol):
    """The trace of one unit (unit 0 of the evaluation), or a tracer that keeps nothing."""

    #: True when a trace is being kept: a rule tests it only to skip work that
    #: would be thrown away, never to change a score.
    active: bool

    def step(self, label: Text | str, value: object) -> None:
        """Add a line: what was computed (``label``) and its value for the unit."""

    def mark(self) -> int:
        """A point to :meth:`drop` back to."""

    def drop(self, mark: int) -> None:
        """Forget the lines added since ``mark`` (a level that does not apply only clutters the trace)."""


class Evaluating(t.Protocol):
    """The evaluation, as a rule's ``evaluate`` sees it: whole columns, all units at once."""

    #: Number of units.
    n: int
    trace: Tracing
    #: The units the item being evaluated applies to and scores (not graded by hand):
    #: a rule warns only about these (another type's blank cell is no mistake).
    active: npt.NDArray[np.bool_]

    def column(self, expression: Expression) -> npt.NDArray[np.generic]:
        """The expression's value for every unit (a column of length ``n``)."""

    def note(self, item: Item, key: str, column: npt.ArrayLike) -> None:
        """Keep an intermediate column of ``item`` (read back by :meth:`Rule.explain`)."""

    def warn(self, problem: Problem) -> None:
        """Record a warning (the run goes on)."""

    def units_text(self, mask: npt.NDArray[np.bool_]) -> Text:
        """The units where ``mask`` holds, for a message ("U01（甲）, U02（乙）")."""


class Explaining(t.Protocol):
    """One unit's scored item, as a score sheet explains it to the assessed unit:
    in the scheme's titles and plain figures, never code (engine.words)."""

    @property
    def score(self) -> float:
        """The item's (rounded) score for this unit."""

    def detail(self, key: str) -> float | None:
        """The intermediate value ``key`` noted by the rule for this unit, ``None`` if not noted."""

    def words(self, source: str) -> Text | None:
        """An expression in plain words from the scheme's titles, ``None`` when it has none."""

    def percent(self, source: str) -> bool:
        """Whether an expression's figures are percentages (a percentage input alone)."""

    def figure(self, value: float) -> str:
        """A figure at the scheme's precision, as printed (no trailing zeros)."""

    def input_summary(self, name: str) -> Text:
        """An input's value(s) for this unit in words (empty when ``name`` is no input)."""


class ExplainingColumns(t.Protocol):
    """Every unit's scored item at once, for a rule that words all units in one pass
    (an optional ``explain_column(item, units) -> list[list[Text]]`` beside ``explain``:
    the same lines as ``explain`` unit by unit, faster on 100,000 score sheets; and an
    optional ``explain_texts(item, units, lang, joiner) -> list[str]``: each unit's lines
    in one language joined with ``joiner``, as a score sheet's cell prints them; and an
    optional ``explain_pieces(item, units, lang, joiner) -> list[str | Sequence[str]] | None``:
    those texts as constant and per-unit pieces, concatenated unit by unit)."""

    @property
    def scores(self) -> list[float]:
        """The item's (rounded) score of every unit."""

    def detail(self, key: str) -> list[float] | None:
        """The intermediate column ``key`` noted by the rule, ``None`` if not noted."""

    def figures(self, values: list[float]) -> list[str]:
        """:meth:`Explaining.figure` of each value."""

    def detail_figures(self, key: str) -> list[str]:
        """:meth:`figures` of the intermediate column ``key``, or of the scores when the rule
        noted none (each unit's; made once for every unit and kept)."""

    def input_summaries(self, name: str) -> t.Sequence[Text]:
        """:meth:`Explaining.input_summary` of every unit."""

    def input_texts(self, name: str, lang: Lang) -> t.Sequence[str]:
        """:meth:`input_summaries` in one language (the text of each unit's summary)."""

    def has_input_texts(self, name: str) -> bool:
        """Whether any unit at all has words for ``name`` (a parameter has none)."""


#: A rule's explanation of many units as pieces (``explain_pieces``): each piece a constant
#: (the same for every unit) or a column (one text per unit), concatenated unit by unit.
Pieces = list[str | t.Sequence[str]]


def blanked(pieces: Pieces, count: int, units: t.Iterable[int]) -> list[list[str]]:
    """``pieces`` of ``count`` units as columns, each of ``units``' pieces empty (a unit with
    nothing to say): the constants are spread to columns, the columns copied, not changed."""
    columns = [[piece] * count if isinstance(piece, str) else list(piece) for piece in pieces]
    for k in units:
        for column in columns:
            column[k] = ""
    return columns


def concatenated(pieces: Pieces, count: int) -> list[str]:
    """Each of ``count`` units' text: its piece of each of ``pieces`` in turn."""
    return ["".join(parts) for parts in zip(*[itertools.repeat(p, count) if isinstance(p, str) else p for p in pieces])]


class Rule(t.Protocol):
    """A compiled scoring rule (one item's); implemented by each kind's dataclass."""

    def expressions(self) -> tuple[Expression, ...]:
        """Every expression the rule reads, in the order it reads them."""

    def source(self) -> str:
        """The rule as quoted in an error message (an expression in quotes, or the kind)."""

    def evaluate(self, ev: Evaluating, item: Item) -> FloatArray:
        """The raw score of every unit, before the item's bounds and rounding."""

    def describe(self) -> str:
        """A canonical, human-readable form (equal rules, equal text): what ``kaohe diff`` compares."""

    def words(self, item: Item) -> Text:
        """The rule in a few words, for the explain page's rule line."""

    def explain(self, item: Item, unit: Explaining) -> list[Text]:
        """Plain-language lines saying how the item was scored for one unit."""


@dataclasses.dataclass(frozen=True)
class Kind:
    """A rule kind: the YAML key that selects it and how its body compiles."""

    #: The key an item writes (``tiers:``), also the rule's name in traces.
    key: str
    #: The kind's name in explain (公式, 分档 …).
    title: Text
    #: ``body`` (the value under the key) at ``path`` → the rule, or ``None``
    #: with problems recorded. ``high`` is the item's ``max`` (may be infinite).
    compile: t.Callable[[Compiling, Yaml, YamlPath, Text, float], Rule | None]
    #: Whether an item of this kind needs a finite ``max`` given its body (full
    #: marks are read: points default to max, deductions start from max …).
    needs_max: t.Callable[[Yaml], bool] = lambda body: False
    #: Whether an adjustment of this kind may leave out ``max`` (a bonus "不封顶").
    allows_no_max: bool = False
    #: Whether a score leaving the item's default range [0, max] is warned
    #: about (a formula's result); kinds that are bounded by construction are not.
    warn_outside: bool = False
    #: The JSON Schema of the body, for kinds not in schema/scheme.schema.json
    #: (the shipped kinds are written there, where editors read them).
    schema: t.Mapping[str, Yaml] | None = None
