"""Runs to date: a scheme whose dimension may stop short (the months so far) → the scheme of this run.

A closed dimension declared ``to_date: true`` (月份 1–12 of 一月一评分) may be
covered only up to a value: ``kaohe run --until 3``, or, without it, the last
value the data has rows for. :func:`cut` turns the compiled scheme into the
scheme of such a run, column-wise and with nothing scheme-specific:

- the dimension keeps the values so far (``values``) and remembers the rest
  (``later``): data rows of later months are left out with one note, and a
  unit lacking a month so far is the usual located error; every expression
  over the dimension (``sum``, ``mean``, ``count``, ``sum_if(x, month <= 3)``)
  is then over the months present;
- an item with ``so_far:`` is scored by that rule instead (the year-end ballot
  is not held yet: the monthly average so far), and an input that only the
  year-end rules read is not asked for;
- a grade, ranking or action with ``pending_until: V`` (a value, or ``end``)
  is *pending* while the run stops before ``V`` — and so is every one that
  reads a pending one: :func:`mark_pending` shows 待定 / "pending" for it
  instead of a value (no label, no action).

A run that reaches the dimension's last value is the complete run, exactly as
without ``to_date``. :func:`note` is the line the outputs print ("截至 月份 3 …").
"""

from __future__ import annotations

import dataclasses
import re
import typing as t

import numpy as np

from engine.errors import Location, OptionError, Problem
from engine.messages import Text
from engine.model import Dimension, Input, Item, Node, Part, Section, ToDate
from engine.rules.base import Rule

if t.TYPE_CHECKING:
    from engine.context import Context
    from engine.data import Dataset
    from engine.grade import Outcomes
    from engine.model import Action, Grade, Ranking, Scheme

#: What a pending result shows instead of a value.
PENDING = Text("待定", "pending")
#: ``pending_until: end`` — decided with the dimension's last value.
END = "end"

YamlPath = tuple[t.Union[str, int], ...]


class _Compiling(t.Protocol):
    """What of engine.compiler's compiler these hooks use."""

    data: dict[str, t.Any]

    def problem(self, code: str, path: YamlPath, severity: t.Literal["error", "warning"] = "error", *,
                at_key: bool = False, **args: t.Any) -> None: ...


# -- compiling -----------------------------------------------------------------

def so_far(c: _Compiling, spec: t.Mapping[str, object], path: YamlPath, ident: str,
           compile_rule: t.Callable[[str, YamlPath], Rule | None]) -> tuple[str, Rule] | None:
    """An item's ``so_far:`` body (one rule, written as an item writes it) compiled by
    ``compile_rule(key, path)``, as the item's own rule is: its key and rule."""
    from engine import rules

    body = spec.get("so_far")
    if not isinstance(body, dict):
        return None
    known = list(rules.keys())
    written = [key for key in known if key in body]
    if len(written) != 1:
        c.problem("to_date_so_far_rule", path + ("so_far",), at_key=True, id=ident, found=", ".join(written) or "—",
                  kinds=", ".join(known))
        return None
    rule = compile_rule(written[0], path + ("so_far", written[0]))
    return (written[0], rule) if rule is not None else None


def compile_to_date(c: _Compiling, dimensions: t.Mapping[str, Dimension], grades: t.Sequence[Grade],
                    rankings: t.Sequence[Ranking], actions: t.Sequence[Action]) -> ToDate | None:
    """The ``to_date`` dimension and every ``pending_until`` of grades, rankings and actions, checked."""
    chosen: Dimension | None = None
    for ident, dim in dimensions.items():
        if not ((c.data.get("dimensions") or {}).get(ident) or {}).get("to_date"):
            continue
        if dim.values is None:
            c.problem("to_date_open", ("dimensions", ident, "to_date"), at_key=True, dim=dim.title)
        elif chosen is not None:
            c.problem("to_date_many", ("dimensions", ident, "to_date"), at_key=True, dim=dim.title, first=chosen.title)
        else:
            chosen = dim
    pending: dict[str, str] = {}
    for section in ("grades", "rankings", "actions"):
        for i, spec in enumerate(c.data.get(section) or []):
            if not isinstance(spec, dict) or "pending_until" not in spec:
                continue
            path: YamlPath = (section, i, "pending_until")
            if chosen is None or chosen.values is None:
                c.problem("to_date_no_dimension", path, at_key=True, id=spec.get("id"))
                continue
            value = _text(spec["pending_until"])
            if value == END:
                value = chosen.values[-1]
            if value not in chosen.values:
                c.problem("to_date_bad_value", path, found=value, dim=chosen.title, values=", ".join(chosen.values))
                continue
            pending[str(spec.get("id"))] = value
    if chosen is None or chosen.values is None:
        return None
    return ToDate(chosen.id, chosen.title, chosen.values, pending, chosen.location)


def _text(value: object) -> str:
    """A YAML or command-line value as a dimension label (3, 3.0 and "3" are all "3")."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


# -- the scheme of a run -------------------------------------------------------

def until_value(scheme: Scheme, given: str) -> str:
    """``--until``'s value as one of the to-date dimension's values.

    Raises:
        OptionError: ``to_date_not_declared`` (no ``to_date`` dimension) or
            ``to_date_bad_until`` (not one of its values), located at ``--until``.
    """
    where = Location("--until")
    spec = scheme.to_date
    if spec is None:
        dims = [d.title for d in scheme.dimensions.values() if d.values is not None]
        raise OptionError([Problem.at("to_date_not_declared", where, scheme=scheme.id, value=given,
                                     dims="、".join(dims) or "—")])
    label = _text(given)
    # 3, "3月", "03" all name month 3.
    bare = re.sub(r"(月份|月)$", "", label)
    if label not in spec.values and bare.isdigit() and str(int(bare)) in spec.values:
        label = str(int(bare))
    if label not in spec.values:
        raise OptionError([Problem.at("to_date_bad_until", where, value=given, dim=spec.title, values=", ".join(spec.values))])
    return label


def cut(scheme: Scheme, until: str) -> Scheme:
    """The scheme of a run that covers the to-date dimension up to ``until`` (one of its values).

    Reaching the last value is the complete run: the scheme unchanged but for ``until``.
    """
    spec = scheme.to_date
    assert spec is not None and until in spec.values
    if until == spec.values[-1]:
        return dataclasses.replace(scheme, to_date=dataclasses.replace(spec, until=until, pending=frozenset()))
    k = spec.values.index(until) + 1
    dim = scheme.dimensions[spec.dimension]
    dimensions = {**scheme.dimensions, spec.dimension: dataclasses.replace(dim, values=spec.values[:k], later=spec.values[k:])}
    parts = tuple(dataclasses.replace(part, children=_so_far(part.children)) for part in scheme.parts)
    adjustments = tuple(t.cast(Item, node) for node in _so_far(scheme.adjustments))
    pending = _pending(scheme, spec, k)
    cut_scheme = dataclasses.replace(scheme, dimensions=dimensions, parts=parts, adjustments=adjustments,
                                     to_date=dataclasses.replace(spec, until=until, pending=frozenset(pending)))
    # An input only the complete run's rules read (a year-end ballot) is not asked for before then.
    unread = _read_names(scheme, frozenset()) - _read_names(cut_scheme, frozenset(pending))
    inputs = {ident: dataclasses.replace(i, optional=True, missing="skip") if ident in unread else i for ident, i in scheme.inputs.items()}
    return dataclasses.replace(cut_scheme, inputs=inputs)


def check_record(scheme: Scheme) -> None:
    """A run that stops short is no period's result: ``--record`` is refused (before anything is stored).

    Raises:
        OptionError: ``to_date_no_record``, located at ``--record``.
    """
    spec = scheme.to_date
    if spec is not None and spec.partial:
        raise OptionError([Problem.at("to_date_no_record", Location("--record"), dim=spec.title, until=spec.until,
                                      last=spec.values[-1])])


def settle(scheme: Scheme, dataset: Dataset) -> Scheme:
    """The scheme of the run ``dataset`` was read for: a to-date scheme without ``--until``
    covers what the data reached (the reader cut it alike, engine.data.periods)."""
    spec = scheme.to_date
    if spec is None or spec.until is not None:
        return scheme
    labels = dataset.dim_labels.get(spec.dimension) or spec.values
    return cut(scheme, labels[-1] if labels[-1] in spec.values else spec.values[-1])


def _so_far(nodes: t.Sequence[Node]) -> tuple[Node, ...]:
    """The nodes with every item that has a ``so_far`` rule scored by it."""
    out: list[Node] = []
    for node in nodes:
        if isinstance(node, Section):
            out.append(dataclasses.replace(node, children=_so_far(node.children)))
        elif isinstance(node, Item) and node.so_far is not None:
            kind, rule = node.so_far
            out.append(dataclasses.replace(node, rule=rule, kind=kind))
        else:
            out.append(node)
    return tuple(out)


def _pending(scheme: Scheme, spec: ToDate, k: int) -> set[str]:
    """Results decided only after the first ``k`` values, and those that read one of them (in scheme order)."""
    late = {ident for ident, value in spec.pending_until.items() if spec.values.index(value) >= k}
    for grade in scheme.grades:
        if grade.of.names & late:
            late.add(grade.id)
    for ranking in scheme.rankings:
        read = set(ranking.by.names).union(*(e.names for e in ranking.tie_break))
        if ranking.among is not None:
            read |= ranking.among.names
        if read & late:
            late.add(ranking.id)
        if ranking.id in late and ranking.grade is not None:
            late.add(ranking.grade)  # the grade it sets waits with it
    for action in scheme.actions:
        if action.when.names & late:
            late.add(action.id)
    return late


def _read_names(scheme: Scheme, pending: frozenset[str]) -> set[str]:
    """Every name an expression of ``scheme`` reads, leaving out the results in ``pending``."""
    from engine.expressions import Expression

    names: set[str] = set()
    stack: list[object] = [getattr(scheme, f.name) for f in dataclasses.fields(scheme) if f.name not in ("inputs", "to_date")]
    while stack:
        here = stack.pop()
        if isinstance(here, Expression):
            names |= here.names
        elif isinstance(here, Item):
            stack.append(here.rule)  # not its so_far (or, in a run to date, its complete) rule
        elif dataclasses.is_dataclass(here) and not isinstance(here, type):
            if getattr(here, "id", None) in pending and not isinstance(here, (Input, Part)):
                continue
            stack.extend(getattr(here, f.name) for f in dataclasses.fields(here))
        elif isinstance(here, t.Mapping):
            stack.extend(here.values())
        elif isinstance(here, (list, tuple, frozenset, set)):
            stack.extend(here)
    return names


# -- outcomes and words ----------------------------------------------------------

def mark_pending(outcomes: Outcomes, context: Context) -> Outcomes:
    """``outcomes`` with every pending result withheld: a grade has no value and its label is
    待定 / "pending" (``Grade.pending``), a ranking gives no label, an action applies to nobody."""
    scheme = outcomes.results.scheme
    spec = scheme.to_date
    if spec is None or not spec.pending:
        return outcomes
    word = context.pick(PENDING)
    n = len(outcomes.rank)
    grades = {ident: (np.full(n, None, dtype=object) if ident in spec.pending else values)
              for ident, values in outcomes.grades.items()}
    waiting = tuple(dataclasses.replace(g, pending=word) if g.id in spec.pending else g for g in scheme.grades)
    results = dataclasses.replace(outcomes.results, scheme=dataclasses.replace(scheme, grades=waiting))
    placements = tuple(
        dataclasses.replace(p, tier=np.full_like(p.tier, -1), pool=np.zeros_like(p.pool), position=np.zeros_like(p.position))
        if p.ranking.id in spec.pending else p for p in outcomes.placements)
    actions = {ident: (np.zeros_like(hit) if ident in spec.pending else hit) for ident, hit in outcomes.actions.items()}
    return dataclasses.replace(outcomes, results=results, grades=grades, placements=placements, actions=actions)


def pending_titles(scheme: Scheme) -> list[tuple[str, str]]:
    """(title, the value it waits for) of every pending result, in scheme order."""
    spec = scheme.to_date
    if spec is None or not spec.pending:
        return []
    last = spec.values[-1]
    results: list[Grade | Ranking | Action] = [*scheme.grades, *scheme.rankings, *scheme.actions]
    return [(r.title, spec.pending_until.get(r.id, last)) for r in results if r.id in spec.pending]


def note(scheme: Scheme, context: Context) -> str:
    """The line a run to date prints atop its outputs ("" for a complete run):
    how far it goes and what is pending until when."""
    spec = scheme.to_date
    if spec is None or not spec.partial:
        return ""
    until = t.cast(str, spec.until)
    k = spec.values.index(until) + 1
    line = context.pick(Text(
        f"截至{spec.title} {until}（共 {len(spec.values)} 个{spec.title}中的前 {k} 个）的中期结果，按已有的{spec.title}计算。",
        f"To date: {spec.title} up to {until} (the first {k} of {len(spec.values)}), computed over the values present."))
    rules = sum(1 for item in scheme.items() if item.so_far is not None)
    if rules:
        line += context.pick(Text(f"{rules} 个项目按截至当前的计分规则计分（完整的计分规则要到{spec.title} {spec.values[-1]}）。",
                                  f" {rules} items are scored by their rule for a run to date (the full rule needs {spec.title} {spec.values[-1]})."))
    waiting: dict[str, list[str]] = {}
    for title, value in pending_titles(scheme):
        waiting.setdefault(value, []).append(title)
    for value, titles in sorted(waiting.items(), key=lambda entry: spec.values.index(entry[0])):
        line += context.pick(Text(f"{'、'.join(titles)}待定（到{spec.title} {value} 才评定）。",
                                  f" Pending until {spec.title} {value}: {', '.join(titles)}."))
    return line


def waiting(scheme: Scheme, ident: str, context: Context) -> str:
    """Why the result ``ident`` shows no value in a run to date ("" when it is decided):
    "待定: 月份 12 后评定（本次截至月份 3）"."""
    spec = scheme.to_date
    if spec is None or ident not in spec.pending:
        return ""
    value = spec.pending_until.get(ident)
    if value is None:  # pending because it reads a pending result
        return context.pick(Text(f"待定: 依据的结果尚待评定（本次截至{spec.title} {spec.until}）",
                                 f"pending: it reads a result not decided yet (this run goes to {spec.title} {spec.until})"))
    return context.pick(Text(f"待定: 到{spec.title} {value} 才评定（本次截至{spec.title} {spec.until}）",
                             f"pending: decided from {spec.title} {value} (this run goes to {spec.title} {spec.until})"))


def document(scheme: Scheme) -> dict[str, object]:
    """The results document's ``to_date`` entry in a run to date (nothing for a complete run):
    the dimension, the last value covered, the last declared, and each pending result with
    the value it waits for."""
    spec = scheme.to_date
    if spec is None or not spec.partial:
        return {}
    last = spec.values[-1]
    results: list[Grade | Ranking | Action] = [*scheme.grades, *scheme.rankings, *scheme.actions]
    pending = {r.id: spec.pending_until.get(r.id, last) for r in results if r.id in spec.pending}
    return {"to_date": {"dimension": spec.dimension, "until": spec.until, "last": last, "pending": pending}}


def heading(title: str, scheme: Scheme, context: Context) -> str:
    """A report's heading, with "（截至月份 3）" in a run to date."""
    spec = scheme.to_date
    if spec is None or not spec.partial:
        return title
    return title + context.pick(Text(f"（截至{spec.title} {spec.until}）", f" (to {spec.title} {spec.until})"))
