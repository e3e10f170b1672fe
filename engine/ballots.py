"""Ballot validity: Scheme + Dataset → the dataset without its invalid ballots, and why.

"一张测评票对 3 人以上评'优秀'的，该票无效" looks across the units on one
rater's ballot, which no per-unit expression can do. A ballot is one rater's
rows (测评人 R07) in an open dimension, across every unit that rater scored
(in one group, with ``per_group``). Each check is an expression over the
ballot: a per-rater input stands for the values this rater gave, one per
unit on the ballot, so ``count_if(vote >= 90) > 3`` is "more than 3 people
given 90 or more" and ``count_if(vote < 60) < 1`` "nobody given under 60".

A ballot any check hits is invalid for everyone on it: its cells of every
input of the dimension become absent before scoring, so ``mean(vote)``,
``count(vote)`` and ``trimmed_mean(vote)`` of every unit leave it out, and
its rows no longer count as rows. The invalid ballots are kept
(:class:`InvalidBallot`) for explain and the 汇总 report: "无效票：测评人 R07，
给 4 人的测评分不低于 90".

Column-wise: the cells are regrouped once into a (ballots × units on a
ballot) matrix by a sort, each check is evaluated once over all ballots, and
the invalid cells are masked with one lookup — no loop per rater or per unit.
"""

from __future__ import annotations

import ast
import dataclasses
import re
import typing as t

import numpy as np
import numpy.typing as npt

from engine.aggregates import Column, Namespace
from engine.context import DEFAULT, Context
from engine.errors import EvaluationError, Location, Problem
from engine.expressions import BOOL, ColumnEvaluator, Expression, Kind, TracingEvaluator, ValueType, rows_name
from engine.messages import Text, closest
from engine.model import Ballot, BallotCheck, Dimension, Input, InputType, Scheme
from engine.numbers import format_number
from engine.words import expression_words
from engine.yamltypes import Yaml, mappings, text

if t.TYPE_CHECKING:
    from engine.data import Dataset
    from engine.loader import YamlPath

_KINDS: dict[InputType, Kind] = {"number": "number", "count": "number", "percentage": "number", "boolean": "bool", "category": "text"}


class Compiling(t.Protocol):
    """What compiling ballots needs of the compiler."""

    def expression(self, path: YamlPath, names: t.Mapping[str, ValueType], expect: ValueType, what: Text) -> Expression | None: ...

    def problem(self, code: str, path: YamlPath, severity: t.Literal["error", "warning"] = "error", *,
                at_key: bool = False, **args: object) -> None: ...

    def at(self, path: YamlPath, *, key: bool = False) -> Location: ...


def compile_ballots(c: Compiling, specs: Yaml, inputs: t.Mapping[str, Input],
                    dimensions: t.Mapping[str, Dimension]) -> tuple[Ballot, ...]:
    """The ``ballots:`` list → ballot rules; each check's ``when`` over the dimension's inputs."""
    out: list[Ballot] = []
    open_dims = [ident for ident, dim in dimensions.items() if dim.values is None]
    for i, spec in enumerate(mappings(specs)):
        path: YamlPath = ("ballots", i)
        per = text(spec["per"])
        if per not in open_dims:
            c.problem("ballot_dimension", path + ("per",), found=per, suggest=closest(str(per), open_dims),
                      allowed="、".join(open_dims) or "—")
            continue
        names = {ident: ValueType(_KINDS[spec_.type], per) for ident, spec_ in inputs.items() if spec_.per == per}
        if not names:
            c.problem("ballot_no_inputs", path + ("per",), dim=dimensions[per].title)
            continue
        checks = []
        for k, check in enumerate(mappings(spec["invalid"])):
            here = path + ("invalid", k)
            # A unit's own input (or another dimension's) is not on the ballot: say so, not "undeclared".
            elsewhere = [w for w in re.findall(r"[A-Za-z_][A-Za-z0-9_]*", str(check["when"])) if w in inputs and w not in names]
            if elsewhere:
                c.problem("ballot_not_on_ballot", here + ("when",), name=elsewhere[0], dim=dimensions[per].title,
                          allowed="、".join(names))
                continue
            when = c.expression(here + ("when",), names, BOOL, Text(f"无效票条件「{check['title']}」", f"the ballot check '{check['title']}'"))
            if when is not None:
                checks.append(BallotCheck(text(check["title"]), when, c.at(here)))
        out.append(Ballot(text(spec["id"]), text(spec["title"]), per, tuple(checks), bool(spec.get("per_group", False)), c.at(path)))
    return tuple(out)


@dataclasses.dataclass(frozen=True)
class InvalidBallot:
    """One ballot left out, and why."""

    ballot: Ballot
    #: The rater's label as written (测评人 R07).
    rater: str
    #: The group the ballot belongs to (``per_group``), else "".
    group: str
    check: BallotCheck
    #: What the check found on this ballot, in words ("给 4 人的测评分不低于 90").
    found: Text
    #: The units on the ballot (indices into the dataset's units).
    units: tuple[int, ...]

    def left_out(self) -> Text:
        """A trace line's label: "不计入的无效票（民主测评票）：给 4 人的测评分不低于 90（优秀票超过 3 张）"."""
        return Text(f"不计入的无效票（{self.ballot.title}）：{self.found.zh}（{self.check.title}）",
                    f"invalid ballot left out ({self.ballot.title}): {self.found.en} ({self.check.title})")

    def text(self) -> Text:
        """"无效票：测评人 R07，给 4 人的测评分不低于 90（优秀票超过 3 张）"."""
        dim = self.ballot.title
        who = f"{self.group} " if self.group else ""
        return Text(f"无效票（{dim}）：测评人 {who}{self.rater}，{self.found.zh}（{self.check.title}）",
                    f"invalid ballot ({dim}): rater {who}{self.rater}, {self.found.en} ({self.check.title})")


class Listed(t.TypedDict):
    """One invalid ballot as the JSON document and the workbook list it."""

    ballot: str
    title: str
    rater: str
    group: str | None
    check: str
    found: str
    units: list[str]


def listing(invalid: t.Sequence[InvalidBallot], ids: t.Sequence[str], context: Context = DEFAULT) -> list[Listed]:
    """Invalid ballots → their JSON/workbook entries: the ballot, the rater, the check it failed,
    what was found on it (in the context's language) and the ids of the units on it."""
    return [{"ballot": b.ballot.id, "title": b.ballot.title, "rater": b.rater, "group": b.group or None,
             "check": b.check.title, "found": context.pick(b.found), "units": [ids[k] for k in b.units]}
            for b in invalid]


@dataclasses.dataclass(frozen=True)
class _Cells:
    """The labelled cells of one input: where they are and whose ballot each is."""

    unit: npt.NDArray[np.int64]
    position: npt.NDArray[np.int64]
    key: npt.NDArray[np.int64]


def screen(scheme: Scheme, data: Dataset) -> tuple[Dataset, tuple[InvalidBallot, ...]]:
    """The dataset without the cells of invalid ballots, and those ballots (in rater order).

    Raises:
        EvaluationError: a ballot's dimension was read without its rater column
            (or not from files), so ballots cannot be told apart.
    """
    invalid: list[InvalidBallot] = []
    for ballot in scheme.ballots:
        data, found = _screen_one(scheme, ballot, data)
        invalid.extend(found)
    return data, tuple(invalid)


def _labels(scheme: Scheme, ballot: Ballot, data: Dataset, ident: str, known: dict[str, int]) -> npt.NDArray[np.int64]:
    """The rater of every cell of input ``ident`` as a code into ``known`` (label → code, grown here); −1 where none."""
    rows = data.origin_rows.get(ident)
    tables = data.origin_tables.get(ident)
    dim = scheme.dimensions[ballot.per]
    if rows is None or tables is None:
        raise EvaluationError([Problem.at("ballot_no_raters", ballot.location, ballot=ballot.title, dim=dim.title, file="")])
    codes = np.full(rows.shape, -1, dtype=np.int64)
    present = rows >= 0
    for source in _distinct(tables[present].astype(np.int64)).tolist():
        given = data.rater_labels.get(int(source))
        if given is None:
            file, sheet = data.sources[int(source)]
            raise EvaluationError([Problem.at("ballot_no_raters", ballot.location, ballot=ballot.title, dim=dim.title,
                                              file=f"{file}{f'[{sheet}]' if sheet else ''}")])
        table_rows, table_codes, labels = given
        to_known = np.array([known.setdefault(label, len(known)) for label in labels] + [-1], dtype=np.int64)
        order = np.argsort(table_rows, kind="stable")
        here = present & (tables == source)
        at = order[np.searchsorted(table_rows[order], rows[here])]
        codes[here] = to_known[table_codes[at]]  # a blank label (−1) picks the trailing −1
    return codes


def _screen_one(scheme: Scheme, ballot: Ballot, data: Dataset) -> tuple[Dataset, list[InvalidBallot]]:
    n = len(data.units)
    inputs = [ident for ident, spec in scheme.inputs.items() if spec.per == ballot.per and ident in data.columns]
    known: dict[str, int] = {}
    labels = {ident: _labels(scheme, ballot, data, ident, known) for ident in inputs}
    names_of = list(known)
    group = data.units.group_codes.astype(np.int64) if ballot.per_group else np.zeros(n, dtype=np.int64)
    where = {ident: np.nonzero(code >= 0) for ident, code in labels.items()}
    # One code per ballot: the rater's label (within the unit's group when per_group).
    ballot_keys = [group[unit] * max(len(names_of), 1) + labels[ident][unit, position] for ident, (unit, position) in where.items()]
    if not sum(k.size for k in ballot_keys):
        return data, []
    distinct = _distinct(np.concatenate(ballot_keys))
    cells: dict[str, _Cells] = {}
    for (ident, (unit, position)), keys in zip(where.items(), ballot_keys):
        cells[ident] = _Cells(unit.astype(np.int64), position.astype(np.int64), np.searchsorted(distinct, keys).astype(np.int64) * n + unit)
    # Each ballot's units, in unit order: one (ballot, unit) pair per place on the ballot.
    pairs = _distinct(np.concatenate([c.key for c in cells.values()]))
    owner = pairs // n
    start = np.r_[0, np.flatnonzero(owner[1:] != owner[:-1]) + 1]
    place = np.arange(pairs.size) - np.repeat(start, np.diff(np.r_[start, pairs.size]))
    width = int(place.max()) + 1
    count = distinct.size
    names: Namespace = {}
    filled = np.zeros((count, width), dtype=bool)
    filled[owner, place] = True
    names[rows_name(ballot.per)] = filled
    for ident, c in cells.items():
        at = np.searchsorted(pairs, c.key)
        column = data.columns[ident]
        matrix = np.full((count, width), _absent(column), dtype=column.dtype)
        matrix[owner[at], place[at]] = column[c.unit, c.position]
        names[ident] = matrix
    hit = np.zeros(count, dtype=bool)
    reason = np.full(count, -1, dtype=np.int64)
    for k, check in enumerate(ballot.checks):
        now = np.asarray(ColumnEvaluator(names).column(check.when, count), dtype=bool) & ~hit
        reason[now] = k
        hit |= now
    if not hit.any():
        return data, []
    found = _found(scheme, ballot, names, hit, reason, count)
    end = np.r_[start[1:], pairs.size]
    units_of = {b: pairs[start[b]:end[b]] % n for b in np.flatnonzero(hit).tolist()}  # the invalid ballots' units only
    invalid = [
        InvalidBallot(ballot, names_of[int(distinct[b] % max(len(names_of), 1))], str(data.units.groups[units_of[b][0]]) if ballot.per_group else "",
                      ballot.checks[int(reason[b])], found[b], tuple(units_of[b].tolist()))
        for b in np.flatnonzero(hit).tolist()
    ]
    # Every cell of an invalid ballot, in every input of the dimension, becomes absent.
    columns = dict(data.columns)
    origin_rows = dict(data.origin_rows)
    presence = dict(data.presence)
    shown = data.presence.get(ballot.per)
    dropped: npt.NDArray[np.bool_] | None = np.zeros(shown.shape, dtype=bool) if shown is not None else None
    for ident, c in cells.items():
        out = hit[c.key // n]
        unit, position = c.unit[out], c.position[out]
        column = columns[ident].copy()
        column[unit, position] = _absent(column)
        columns[ident] = column
        rows = origin_rows[ident].copy()
        rows[unit, position] = -1
        origin_rows[ident] = rows
        if dropped is not None and position.size and position.max() < dropped.shape[-1]:
            dropped[unit, position] = True
    if shown is not None and dropped is not None:
        presence[ballot.per] = shown & ~dropped
    return dataclasses.replace(data, columns=columns, origin_rows=origin_rows, presence=presence), invalid


def _distinct(values: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """Sorted distinct values (one sort; numpy's hashing unique is slower on a million keys)."""
    ordered = np.sort(values)
    result: npt.NDArray[np.int64] = ordered[np.r_[True, ordered[1:] != ordered[:-1]]] if ordered.size else ordered
    return result


def _absent(column: Column) -> float | str | bool:
    """The absent value of a column's kind: NaN, "" or False (a row that is not there)."""
    if column.dtype.kind == "f":
        return np.nan
    if column.dtype.kind == "U":
        return ""
    return False


def _found(scheme: Scheme, ballot: Ballot, names: Namespace, hit: npt.NDArray[np.bool_],
           reason: npt.NDArray[np.int64], count: int) -> dict[int, Text]:
    """What each hit check found on each invalid ballot, in words (each phrase built once, its figure per ballot)."""
    out: dict[int, Text] = {}
    for k, check in enumerate(ballot.checks):
        mine = np.flatnonzero(hit & (reason == k))
        if not mine.size:
            continue
        tracer = TracingEvaluator(names)
        tracer.column(check.when, count)
        phrases = [(_phrase(scheme, check.when, node), np.asarray(value)) for node, value in tracer.steps
                   if isinstance(node, ast.Call) and np.ndim(value) == 1 and not getattr(node, "kaohe_synthetic", False)]
        worded = [(p, v) for p, v in phrases if p is not None]
        for b in mine.tolist():
            shown = [(p[0].format(format_number(float(v[b]))), p[1].format(format_number(float(v[b])))) for p, v in worded]
            out[b] = Text("，".join(z for z, _ in shown) or check.title, ", ".join(e for _, e in shown) or check.title)
    return out


def _phrase(scheme: Scheme, when: Expression, node: ast.Call) -> tuple[str, str] | None:
    """One aggregate of a check as a phrase with a place for its figure:
    count_if(vote >= 90) → "给 {} 人的测评分不低于 90"."""
    name = t.cast(ast.Name, node.func).id
    inner = ast.get_source_segment(when.source, node.args[0]) if node.args else None
    words = expression_words(inner, scheme) if inner else None
    zh = words.zh.replace("{", "{{").replace("}", "}}") if words else ""
    en = words.en.replace("{", "{{").replace("}", "}}") if words else ""
    if name == "count_if":
        return (f"给 {{}} 人的{zh}", f"{{}} given {en}") if words else ("{} 人", "{} people")
    if name == "count":
        return ("共评 {} 人", "{} people rated")
    title = {"mean": ("平均", "mean"), "avg": ("平均", "mean"), "sum": ("合计", "total"), "min": ("最低", "lowest"), "max": ("最高", "highest")}.get(name)
    if title is None or words is None:
        return None
    return (f"{zh}{title[0]} {{}}", f"{title[1]} {en} {{}}")
