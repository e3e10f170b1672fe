"""The compiled scheme: frozen dataclasses that the evaluator interprets.

A :class:`Scheme` is produced by :func:`engine.compiler.compile_scheme` from
a validated RawScheme. Every object knows where it was written
(:class:`~engine.errors.Location`), so traces and warnings point at a YAML
line. Nothing here is mutated after compilation; variants are separate
compilations.
"""

from __future__ import annotations

import dataclasses
import typing as t

import numpy as np
import numpy.typing as npt

from engine import numbers
from engine.errors import Location
from engine.expressions import Expression
from engine.rules.base import Rule
from engine.tree import Tree

InputType = t.Literal["number", "count", "percentage", "boolean", "category"]
MissingPolicy = t.Literal["error", "zero", "skip"]
Rounding = t.Literal["items", "total"]


@dataclasses.dataclass(frozen=True)
class Dimension:
    """Something an input is entered per: months (closed) or raters (open)."""

    id: str
    title: str
    #: Declared values, as text, for a closed dimension; ``None`` when open.
    values: tuple[str, ...] | None
    location: Location


@dataclasses.dataclass(frozen=True)
class Input:
    """A data field the scheme reads."""

    id: str
    title: str
    type: InputType
    #: Allowed closed range ``(low, high)``.
    range: tuple[float, float] | None
    #: Allowed values of a category input.
    values: tuple[str, ...] | None
    #: Dimension id, or ``None`` for one value per unit.
    per: str | None
    missing: MissingPolicy
    location: Location
    #: Who enters it (a department); used to lay out data-entry templates.
    entered_by: str = ""
    note: str = ""
    #: No table providing it is not an error (a records table nobody had to hand in).
    optional: bool = False
    #: Id of the companion input holding the unit's self-assessed value (engine.selfcheck).
    self_assessed: str | None = None

    @property
    def label(self) -> str:
        return f"{self.id}（{self.title}）"


@dataclasses.dataclass(frozen=True)
class Band:
    """One band of a tier table or grade: bounds plus what it yields."""

    ge: float | None
    gt: float | None
    le: float | None
    lt: float | None
    #: Points (tiers) or grade value (grades).
    result: float | str
    #: Display name of a grade value (``十星级``).
    label: str | None
    location: Location

    def mask(self, values: numbers.FloatArray) -> npt.NDArray[np.bool_]:
        """Which values fall in this band (tolerant of float noise; NaN never does)."""
        # Comparisons with NaN are False, so a bounded band never holds NaN.
        tests = []
        if self.ge is not None:
            tests.append(numbers.ge(values, self.ge))
        if self.gt is not None:
            tests.append(numbers.gt(values, self.gt))
        if self.le is not None:
            tests.append(numbers.le(values, self.le))
        if self.lt is not None:
            tests.append(numbers.lt(values, self.lt))
        if not tests:
            return ~np.isnan(values)
        inside = tests[0]
        for test in tests[1:]:
            inside &= test
        return inside

    def describe(self) -> str:
        """The band's interval in mathematical notation, e.g. ``[90, 95)``."""
        lo = f"[{_num(self.ge)}" if self.ge is not None else (f"({_num(self.gt)}" if self.gt is not None else "(-∞")
        hi = f"{_num(self.le)}]" if self.le is not None else (f"{_num(self.lt)})" if self.lt is not None else "+∞)")
        return f"{lo}, {hi}"


def _num(value: float | None) -> str:
    return f"{value:g}" if value is not None else ""


@dataclasses.dataclass(frozen=True)
class Item:
    """A scored item: its rule, its bounds and where it applies."""

    id: str
    title: str
    max: float
    min: float
    rule: Rule
    #: Unit types it applies to; ``None`` means all.
    applies_to: frozenset[str] | None
    location: Location
    #: The rule's key (``formula``, ``tiers`` …): its kind in engine.rules.
    kind: str
    #: True when the item's range is the default [0, max] (no ``min`` written,
    #: not an adjustment): a formula leaving it is warned about. Declared
    #: bounds (``min: -20``, an adjustment's ``max``) clamp without a word.
    implicit_bounds: bool = False
    #: Where the rule itself is written: a child scheme's ``override`` of the
    #: rule points into the child file, while ``location`` stays at the parent's item.
    rule_location: Location | None = None


@dataclasses.dataclass(frozen=True)
class Section:
    """A group of items scored as their sum."""

    id: str
    title: str
    #: Declared full marks (checked against the children by the validator).
    max: float
    children: tuple[Node, ...]
    applies_to: frozenset[str] | None
    location: Location


Node = t.Union[Item, Section]


@dataclasses.dataclass(frozen=True)
class Visit:
    """A node met by :meth:`Scheme.walk`, with where it sits in the scheme's tree."""

    node: Node
    #: The part it belongs to; ``None`` for an adjustment (加减分).
    part: Part | None
    #: Its sections, outermost first.
    parents: tuple[Section, ...]
    #: The unit types it applies to, its own ``applies_to`` and its sections' together (``None``: every type).
    applies_to: frozenset[str] | None

    @property
    def depth(self) -> int:
        return len(self.parents)

    @property
    def path(self) -> str:
        """Its place as ids, "part/section" ("adjustments" for an adjustment)."""
        return "/".join([self.part.id if self.part is not None else "adjustments", *(p.id for p in self.parents)])


@dataclasses.dataclass(frozen=True)
class Part:
    """A weighted part (40% / 60%); a scheme without parts has one of weight 1."""

    id: str
    title: str
    weight: float
    max: float
    children: tuple[Node, ...]
    location: Location
    #: False for the implicit single part of a scheme written with ``items:``.
    explicit: bool


def max_for(node: Node | Part, unit_type: str) -> float:
    """Full marks of ``node`` for a unit of ``unit_type``: only the items that
    apply to it count (a section or part is capped at its declared ``max``);
    0 when the node does not apply at all.

    This is what score sheets, explain and JSON show as a unit's maximum, and
    what the evaluator sums as its applicable full marks (折算).
    """
    if isinstance(node, (Item, Section)) and node.applies_to is not None and unit_type not in node.applies_to:
        return 0.0
    if isinstance(node, Item):
        return node.max
    return min(node.max, sum(max_for(child, unit_type) for child in node.children))


def max_column(node: Node | Part, types: npt.NDArray[np.str_]) -> numbers.FloatArray:
    """:func:`max_for` of every unit at once (one lookup per unit type, no loop per unit).

    >>> item = Item("a", "甲", 20.0, 0.0, None, frozenset({"老"}), None, "formula")  # type: ignore[arg-type]
    >>> max_column(item, np.array(["老", "新", "老"])).tolist()
    [20.0, 0.0, 20.0]
    """
    kinds, inverse = np.unique(types.astype(str), return_inverse=True)
    per_kind = np.array([max_for(node, str(kind)) for kind in kinds], dtype=np.float64)
    column: numbers.FloatArray = per_kind[inverse] if kinds.size else np.zeros(0)
    return column


@dataclasses.dataclass(frozen=True)
class Veto:
    """一票否决: a condition with an effect that is always reported."""

    id: str
    title: str
    when: Expression
    effect: t.Literal["disqualify", "force_grade"]
    #: Value forced on the primary grade (``force_grade``).
    grade: str | float | None
    location: Location


@dataclasses.dataclass(frozen=True)
class Grade:
    """Bands on a value (total by default) giving a grade value."""

    id: str
    title: str
    of: Expression
    bands: tuple[Band, ...]
    otherwise: str | float | None
    primary: bool
    #: All band values are numbers (so later grades may band on this one).
    numeric: bool
    location: Location
    #: Unit types graded by it; ``None`` means all.
    applies_to: frozenset[str] | None = None

    def label_of(self, value: str | float | None) -> str | None:
        """Display text of a grade value (its band label, else the value)."""
        if value is None:
            return None
        for band in self.bands:
            if band.result == value and band.label:
                return band.label
        return value if isinstance(value, str) else f"{value:g}"


@dataclasses.dataclass(frozen=True)
class Manual:
    """Units whose ``input`` is filled are graded by hand on ``grade``."""

    input: str
    grade: str


@dataclasses.dataclass(frozen=True)
class Derived:
    """A named value computed from inputs (e.g. a quarter's total), usable by name."""

    id: str
    title: str
    value: Expression
    location: Location


@dataclasses.dataclass(frozen=True)
class BallotCheck:
    """One reason a ballot is invalid: a condition over the units on one rater's ballot."""

    title: str
    #: Over the ballot: each per-rater input holds the values this rater gave, one per unit on the ballot.
    when: Expression
    location: Location


@dataclasses.dataclass(frozen=True)
class Ballot:
    """Ballot validity (engine.ballots): a rater's rows across every unit they scored form
    one ballot; a ballot any check hits is left out of every unit's values."""

    id: str
    title: str
    #: The open dimension whose rows are ballots (测评人).
    per: str
    checks: tuple[BallotCheck, ...]
    #: The same rater label in two groups is two ballots.
    per_group: bool
    location: Location


@dataclasses.dataclass(frozen=True)
class RankTier:
    """One label handed out by rank: a count, a share, or everyone left."""

    label: str
    count: int | None
    #: Exact share as (numerator, denominator), e.g. (1, 3) or (2, 5).
    share: tuple[int, int] | None
    rest: bool
    location: Location
    #: Bounds on a share tier's seats per group (engine.quotas).
    min_seats: int | None = None
    max_seats: int | None = None


@dataclasses.dataclass(frozen=True)
class Ranking:
    """A rank-based outcome: 好/中/差 in thirds, top 40 % 优秀, ≤ 5 % per branch …"""

    id: str
    title: str
    by: Expression
    descending: bool
    tie_break: tuple[Expression, ...]
    #: Tied units at a quota edge: all left out ("exclude", default of a top
    #: ranking) or all in ("include", default of a bottom one, order: asc).
    ties: t.Literal["exclude", "include"]
    among: Expression | None
    per_group: bool
    min_group: int | None
    share_of: t.Literal["pool", "all", "among"]
    rounding: t.Literal["floor", "half_up", "ceil"]
    tiers: tuple[RankTier, ...]
    location: Location
    #: Grade whose value becomes the tier label for units that receive one.
    grade: str | None = None
    #: Whether units disqualified by a veto still take part (a bottom ranking).
    with_disqualified: bool = False
    #: Whether its labels appear on the 公示 (``published``; default: a top ranking's
    #: awards are, a bottom ranking's penalties are not).
    published: bool = True


def period_name(ident: str) -> str:
    """Column holding the period a history entry was read from (not writable by authors)."""
    return f"__period__{ident}"


def sought_name(ident: str) -> str:
    """Column holding the calendar period a history entry looked for and found no record of
    (explain names it: "2022 期无记录"; empty when a period answered or none was sought)."""
    return f"__sought__{ident}"


@dataclasses.dataclass(frozen=True)
class History:
    """A value of an earlier period's recorded outcome (上一年度排名较后)."""

    id: str
    title: str
    #: What is looked up: a ranking, action, veto or grade id, or "total"/"rank".
    of: str
    #: Which earlier recorded period: 1 = the one before this period.
    back: int
    #: "ranking", "action", "veto" (yes/no), "grade" (text), "total"/"rank" (number);
    #: for another scheme's results "boolean", "text" or "number" as declared.
    kind: str
    location: Location
    #: Another scheme whose recorded results are read (``None``: this scheme).
    scheme: str | None = None


@dataclasses.dataclass(frozen=True)
class Action:
    """A consequence decided after grades and rankings (诫勉谈话, 整改通知书)."""

    id: str
    title: str
    when: Expression
    location: Location
    #: Whether it appears on the 公示 (``published``, default no: an action is for the
    #: unit — its sheet and notice — and for internal lists, not the notice board).
    published: bool = False


@dataclasses.dataclass(frozen=True)
class Param:
    """A named constant used in expressions (a weight, a threshold)."""

    id: str
    title: str
    value: float
    location: Location


@dataclasses.dataclass(frozen=True)
class ReportOptions:
    """How the scheme's reports are signed and timed, and where its own templates are."""

    issuer: str = ""
    heading: str = ""
    seal: str = "（盖章）"
    gongshi_days: int = 5
    deadline_days: int = 30
    #: Action whose units get a 整改通知书.
    notices: str | None = None
    #: Folder of the scheme's own templates (absolute), searched before reports/.
    templates: str | None = None
    #: 发文字号 (文号) printed under the red header: 某组发〔2024〕12号.
    number: str = ""
    #: 发文机关标志 (红头): the issuing office's name printed red above a red line, 中共某县委组织部文件.
    red_header: str = ""


@dataclasses.dataclass(frozen=True)
class Corrections:
    """Permission to correct data with an audited correction table."""

    title: str
    #: Inputs that may be corrected (all when empty).
    inputs: frozenset[str]


@dataclasses.dataclass(frozen=True)
class Scheme:
    """A compiled scheme, ready to evaluate."""

    id: str
    version: str
    title: str
    subject: str
    file: str
    precision: int
    group_title: str
    unit_types: tuple[str, ...]
    dimensions: t.Mapping[str, Dimension]
    inputs: t.Mapping[str, Input]
    parts: tuple[Part, ...]
    adjustments: tuple[Item, ...]
    rescale_full: float | None
    vetoes: tuple[Veto, ...]
    grades: tuple[Grade, ...]
    manual: Manual | None
    derived: tuple[Derived, ...] = ()
    rankings: tuple[Ranking, ...] = ()
    history: tuple[History, ...] = ()
    actions: tuple[Action, ...] = ()
    corrections: Corrections | None = None
    params: t.Mapping[str, Param] = dataclasses.field(default_factory=dict)
    reports: ReportOptions = ReportOptions()
    #: When scores are rounded: "items" — every item, section and part is
    #: rounded and the rounded scores are summed (a score sheet adds up);
    #: "total" — sums keep full precision and only each displayed score is
    #: rounded (the total is the rounded exact sum). Decisions always use the
    #: displayed (rounded) numbers.
    rounding: Rounding = "items"
    #: Ballot validity rules (engine.ballots), applied before scoring.
    ballots: tuple[Ballot, ...] = ()
    #: Units with parents and the figures parents take from their children (engine.tree).
    tree: Tree | None = None

    def walk(self) -> t.Iterator[Visit]:
        """Every section and item with where it sits, depth first, parts in order, then
        adjustments — the one walk over the scheme's tree (diff, explain, sheets, needs …)."""

        def walk(nodes: t.Iterable[Node], part: Part | None, parents: tuple[Section, ...],
                 scope: frozenset[str] | None) -> t.Iterator[Visit]:
            for node in nodes:
                here = scope if node.applies_to is None else node.applies_to if scope is None else scope & node.applies_to
                yield Visit(node, part, parents, here)
                if isinstance(node, Section):
                    yield from walk(node.children, part, parents + (node,), here)

        for part in self.parts:
            yield from walk(part.children, part, (), None)
        yield from walk(self.adjustments, None, (), None)

    def nodes(self) -> t.Iterator[Node]:
        """Every section and item, depth first, parts in order, then adjustments."""
        return (visit.node for visit in self.walk())

    def items(self) -> t.Iterator[Item]:
        """Every scored item (leaves), including adjustments."""
        return (node for node in self.nodes() if isinstance(node, Item))

    @property
    def primary_grade(self) -> Grade | None:
        for grade in self.grades:
            if grade.primary:
                return grade
        return self.grades[-1] if self.grades else None

    def primary_for(self, unit_type: str) -> Grade | None:
        """The result's grade for a unit of ``unit_type`` (grades may differ by type)."""
        for grade in self.grades:
            if grade.primary and (grade.applies_to is None or unit_type in grade.applies_to):
                return grade
        return self.primary_grade

    @property
    def full_marks(self) -> float:
        """The scheme's full scale before adjustments (Σ weight × part max)."""
        return sum(part.weight * part.max for part in self.parts)
