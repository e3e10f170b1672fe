"""Self-assessed and verified scores side by side: Results → the 自评与核查 lines.

- ``self_results`` scores the scheme a second time on the units' claims (every
  verified value of a self-assessed input replaced by the unit's own value
  where it gave one), so a score sheet can say what the unit would have had
  by its own count;
- ``unit_view`` lays both out for one unit: each self-assessed input's claim,
  verified value and difference, then each item's self-assessed score,
  verified score and difference (核查 − 自评: negative where points were cut).

The second evaluation runs only for the documents that show it (sheets,
workbook, explain), never while scoring. The companion inputs themselves are
compiled in engine.selfcheck.
"""

from __future__ import annotations

import dataclasses
import typing as t

import numpy as np
import numpy.typing as npt

from engine.context import DEFAULT, Context
from engine.evaluate import Results, evaluate
from engine.model import Input
from engine.numbers import format_number, format_score
from engine.selfcheck import pairs


def self_results(results: Results) -> Results | None:
    """The scheme scored on the units' own claims (``None`` when nothing is self-assessed).

    A blank claim keeps the verified value: the unit claimed nothing different.
    """
    found = pairs(results.scheme)
    if not found:
        return None
    columns = dict(results.data.columns)
    for verified, claimed in found:
        checked, own = columns.get(verified.id), columns.get(claimed.id)
        if checked is None or own is None:
            continue
        columns[verified.id] = np.where(_present(own), own, checked)
    return evaluate(results.scheme, dataclasses.replace(results.data, columns=columns))


def _present(column: npt.NDArray[np.generic]) -> npt.NDArray[np.bool_]:
    if column.dtype.kind in "fc":
        return np.asarray(~np.isnan(column), dtype=bool)
    if column.dtype.kind in "US":
        return np.asarray(column != "", dtype=bool)
    return np.ones(column.shape, dtype=bool)


@dataclasses.dataclass(frozen=True)
class Line:
    """One row of a 自评与核查 table: what was claimed, what was verified, the difference."""

    title: str
    claimed: str
    verified: str
    difference: str
    #: Whether verification changed anything on this row.
    changed: bool


class UnitView(t.TypedDict):
    """One unit's 自评与核查: what :func:`unit_view` gives and score-sheet templates read."""

    #: Each self-assessed input's line.
    inputs: list[Line]
    #: Each item's and section's line, by node id (none for a node that does not apply to the unit).
    items: dict[str, Line]
    #: The total's line (``None`` for a unit graded by hand).
    total: Line | None


def unit_view(results: Results, own: Results, index: int, context: Context = DEFAULT) -> UnitView:
    """The 自评与核查 lines of unit ``index``: inputs, then items and sections, then the total."""
    scheme = results.scheme
    inputs = [_input_line(results, verified, claimed, index) for verified, claimed in pairs(scheme)]
    items: dict[str, Line] = {}  # by node id; a node that does not apply to the unit has none
    for node in scheme.nodes():
        line = _score_line(node.title, float(own.scores[node.id][index]), float(results.scores[node.id][index]), scheme.precision)
        if line is not None:
            items[node.id] = line
    total = _score_line(context.say("总分", "Total"),
                        float(own.total[index]), float(results.total[index]), scheme.precision)
    return {"inputs": inputs, "items": items, "total": total}


def words(view: UnitView, context: Context = DEFAULT) -> list[str]:
    """The changed lines of ``unit_view`` in plain words, for explain and the score sheet.

    >>> words({"inputs": [Line("党员大会次数", "6", "4", "-2", True)], "items": {}, "total": None})
    ['党员大会次数: 自评 6，核查 4，差 -2']
    """
    out = []
    for line in [*view["inputs"], *view["items"].values(), *([view["total"]] if view["total"] else [])]:
        if not line.changed:
            continue
        out.append(context.say(f"{line.title}: 自评 {line.claimed}，核查 {line.verified}，差 {line.difference}",
                               f"{line.title}: self-assessed {line.claimed}, verified {line.verified}, difference {line.difference}"))
    return out


def _score_line(title: str, claimed: float, verified: float, precision: int) -> Line | None:
    if np.isnan(claimed) and np.isnan(verified):
        return None  # not applicable to this unit, or graded by hand
    difference = verified - claimed
    return Line(title, format_score(claimed, precision), format_score(verified, precision),
                _signed(format_score(difference, precision)), not bool(np.isclose(difference, 0.0, atol=1e-9)))


def _input_line(results: Results, verified: Input, claimed: Input, index: int) -> Line:
    checked = np.asarray(results.data.columns.get(verified.id, np.full(len(results.data.units), np.nan)))[index]
    own_column = results.data.columns.get(claimed.id)
    own = np.asarray(own_column)[index] if own_column is not None else None
    if np.ndim(checked):  # a value per month or rater: compare the sums (a count per record: the records)
        checked_value, own_value = _sum(checked), (_sum(own) if own is not None else None)
    else:
        checked_value, own_value = _scalar(checked), (_scalar(own) if own is not None else None)
    none = "—"
    if own_value is None:
        return Line(verified.title, none, _text(checked_value), none, False)
    if isinstance(checked_value, float) and isinstance(own_value, float):
        difference = checked_value - own_value
        return Line(verified.title, _text(own_value), _text(checked_value), _signed(format_number(difference)),
                    not bool(np.isclose(difference, 0.0, atol=1e-9)))
    return Line(verified.title, _text(own_value), _text(checked_value), none, own_value != checked_value)


def _sum(values: npt.ArrayLike) -> float | str | None:
    array = np.asarray(values)
    if array.dtype.kind in "fc":
        present = array[~np.isnan(array)]
        return float(present.sum()) if present.size else None
    texts = [str(v) for v in array.tolist() if str(v)]
    return "、".join(texts) if texts else None


def _scalar(value: object) -> float | str | None:
    if isinstance(value, (bool, np.bool_)):
        return "是" if value else "否"
    if isinstance(value, (int, float, np.integer, np.floating)):
        return None if np.isnan(value) else float(value)
    return str(value) or None


def _text(value: float | str | None) -> str:
    if value is None:
        return "—"
    return format_number(value) if isinstance(value, float) else value


def _signed(text: str) -> str:
    """+2 / −2 / 0: the sign written out, so a cut reads as one."""
    if text.startswith("-"):
        return "−" + text[1:]
    return text if text.strip("0.") == "" else "+" + text


#: One column of the 自评与核查 sheet: (header, a cell per unit, kind).
Column = tuple[str, list[float | None], str]


def workbook_columns(results: Results, own: Results, order: npt.NDArray[np.int64], context: Context = DEFAULT) -> list[Column]:
    """The 自评与核查 sheet of the workbook, a column at a time (units in ``order``):
    each self-assessed input's claim, verified value and difference (per-period
    inputs summed), then each item's and the total's self-assessed score,
    verified score and difference. Kinds as engine.reports' sheets: "number"
    plain, "score" at the scheme's precision, "text"."""
    value_suffixes = context.say(("自评值", "核查值", "差"), ("self-assessed", "verified", "difference"))
    suffixes = context.say(("自评分", "核查分", "差额"), ("self-assessed score", "verified score", "difference"))
    columns: list[Column] = []
    for verified, claimed in pairs(results.scheme):
        checked = _per_unit(results.data.columns.get(verified.id))
        if checked is None:
            continue
        own_values = _per_unit(results.data.columns.get(claimed.id))
        if own_values is None:
            own_values = np.full(checked.shape, np.nan)
        cells = (own_values[order], checked[order], (checked - own_values)[order])
        columns += [(f"{verified.title}（{suffix}）", _cells(values), "number") for suffix, values in zip(value_suffixes, cells)]
    nodes: list[tuple[str, npt.NDArray[np.float64], npt.NDArray[np.float64]]] = [
        (node.title, np.asarray(own.scores[node.id], dtype=np.float64), np.asarray(results.scores[node.id], dtype=np.float64))
        for node in results.scheme.nodes()]
    nodes.append((context.say("总分", "Total"), np.asarray(own.total, dtype=np.float64), np.asarray(results.total, dtype=np.float64)))
    for title, claimed_scores, verified_scores in nodes:
        difference = np.round(verified_scores - claimed_scores, results.scheme.precision)
        cells = (claimed_scores[order], verified_scores[order], difference[order])
        columns += [(f"{title}（{suffix}）", _cells(values), "score") for suffix, values in zip(suffixes, cells)]
    return columns


def _per_unit(column: npt.NDArray[np.generic] | None) -> npt.NDArray[np.float64] | None:
    """A numeric input as one number per unit (a per-period one summed); ``None`` for text."""
    if column is None or column.dtype.kind not in "fcbiu":
        return None
    values = np.asarray(column, dtype=np.float64)
    if values.ndim == 1:
        return values
    present = ~np.isnan(values)
    return np.where(present.any(axis=1), np.nansum(np.where(present, values, 0.0), axis=1), np.nan)


def _cells(values: npt.NDArray[np.float64]) -> list[float | None]:
    listed: list[float | None] = values.tolist()
    for k in np.flatnonzero(np.isnan(values)).tolist():
        listed[k] = None
    return listed
