"""Outcomes → the JSON document of ``kaohe run --format json`` (the contract in design.md).

Every number is a rounded score written from its decimal form; the text is
laid out once and filled a column at a time (:func:`to_json`), exactly what
``json.dumps`` of :func:`to_document` writes.
"""

from __future__ import annotations

import json
import math
import os
import re
import typing as t

import numpy as np
import numpy.typing as npt

from engine import ballots
from engine.context import DEFAULT, Context
from engine.grade import Outcomes
from engine.model import max_column, max_for
from engine.numbers import plain
from engine.results_table import _grade_texts, _where_title, order_index, unit_order


def _num(value: float) -> float | int | None:
    return None if math.isnan(value) else plain(value)


def to_document(outcomes: Outcomes, context: Context = DEFAULT) -> dict[str, object]:
    """The JSON document of ``kaohe run --format json``."""
    results = outcomes.results
    scheme = results.scheme
    units = results.data.units
    nodes = list(scheme.nodes())
    corrections: dict[str, list[t.Any]] = {}
    for correction in results.data.corrections:
        corrections.setdefault(correction.unit, []).append(correction)
    document_units = []
    for i in unit_order(outcomes):
        items = {}
        for node in nodes:
            score = results.scores[node.id][i]
            maximum = max_for(node, str(units.types[i]))  # only the items that apply to this unit
            items[node.id] = {
                "title": node.title,
                "score": _num(score),
                "max": plain(maximum) if not math.isnan(score) and math.isfinite(maximum) else None,
            }
        grades = {
            grade.id: {"title": grade.title, "value": _plain_value(outcomes.grades[grade.id][i]), "label": outcomes.grade_label(grade, i)}
            for grade in scheme.grades
        }
        document_units.append({
            "id": str(units.ids[i]),
            "name": str(units.names[i]),
            "type": str(units.types[i]) or None,
            "group": str(units.groups[i]) or None,
            "total": _num(results.total[i]),
            "grade": outcomes.primary_label(i),
            "rank": int(outcomes.rank[i]) or None,
            "group_rank": int(outcomes.group_rank[i]) or None,
            "eligible": bool(outcomes.eligible[i]),
            "manual": bool(results.manual[i]),
            "vetoes": [{"id": v.id, "title": v.title, "effect": v.effect} for v in scheme.vetoes if results.vetoes[v.id][i]],
            "labels": outcomes.labels(i),
            "actions": [{"id": a.id, "title": a.title} for a in scheme.actions if outcomes.actions[a.id][i]],
            "corrections": [
                {"input": c.input, "period": c.period or None, "old": c.old, "new": c.new, "reason": c.reason,
                 "file": c.origin.file, "row": c.origin.row}
                for c in corrections.get(str(units.ids[i]), [])
            ],
            "rankings": {
                p.ranking.id: {
                    "title": p.ranking.title,
                    "label": p.labels[i],
                    "position": int(p.position[i]) or None,
                    "pool": int(p.pool_size[i]) if p.pool[i] else None,
                }
                for p in outcomes.placements
            },
            "grades": grades,
            "parts": {p.id: _num(results.parts[p.id][i]) for p in scheme.parts if p.explicit},
            "items": items,
        })
    warnings = [p.render(context) for p in (*results.data.warnings, *results.warnings, *outcomes.warnings)]
    document: dict[str, object] = {
        "scheme": {"id": scheme.id, "version": scheme.version, "title": scheme.title, "precision": scheme.precision},
        "units": document_units,
        "warnings": warnings,
    }
    if scheme.ballots:  # only schemes with ballot rules have the list (every other document stays as it was)
        document["invalid_ballots"] = ballots.listing(results.invalid_ballots, np.asarray(units.ids).astype(str).tolist(), context)
    return document


def _plain_value(value: t.Any) -> t.Any:
    if isinstance(value, float):
        return plain(value)
    return value


def to_json(outcomes: Outcomes, context: Context = DEFAULT) -> str:
    """The JSON document of ``kaohe run --format json`` as text.

    Exactly ``json.dumps(to_document(outcomes), ensure_ascii=False, indent=2)``
    plus a newline, but without the pure-Python indenting encoder walking a
    dict per unit (19 s for 100k units). Every unit has the same shape, so
    the document is laid out once with a placeholder in each varying place
    (a "skeleton"), and each unit's text is that layout filled with its values,
    encoded a column at a time. Lists whose length varies (vetoes, labels,
    actions, corrections) are encoded per unit, and only for units that have
    any.
    """
    results = outcomes.results
    scheme = results.scheme
    order = order_index(outcomes)
    leaves: list[list[str]] = []
    token = f"@@{os.urandom(6).hex()}:"

    def slot(column: list[str]) -> str:
        """Register a column of encoded values; its placeholder goes into the skeleton."""
        leaves.append(column)
        return f"{token}{len(leaves) - 1}@@"

    skeleton = _unit_skeleton(outcomes, order, slot)
    text = json.dumps(skeleton, ensure_ascii=False, indent=2).replace("\n", "\n    ")  # a unit sits 4 deep
    # Each placeholder, quoted as json wrote it, becomes a %s field (literal % doubled); the columns
    # are taken in the order their placeholders appear (% formatting is the fastest fill-in).
    placeholders = re.compile(re.escape(json.dumps(token)[:-1]) + r"(\d+)@@\"")
    appearing = [leaves[int(k)] for k in placeholders.findall(text)]
    template = placeholders.sub("%s", text.replace("%", "%%"))
    units = [template % row for row in zip(*appearing)] if order.size else []
    warnings = [p.render(context) for p in (*results.data.warnings, *results.warnings, *outcomes.warnings)]
    placeholder = token + "units"
    head: dict[str, object] = {
        "scheme": {"id": scheme.id, "version": scheme.version, "title": scheme.title, "precision": scheme.precision},
        "units": placeholder,
        "warnings": warnings,
    }
    if scheme.ballots:
        head["invalid_ballots"] = ballots.listing(results.invalid_ballots, np.asarray(results.data.units.ids).astype(str).tolist(), context)
    document = json.dumps(head, ensure_ascii=False, indent=2)
    listed = "[\n    " + ",\n    ".join(units) + "\n  ]" if units else "[]"
    return document.replace(json.dumps(placeholder), listed, 1) + "\n"


def _unit_skeleton(outcomes: Outcomes, order: npt.NDArray[np.intp], slot: t.Callable[[list[str]], str]) -> dict[str, t.Any]:
    """One unit of :func:`to_document` with every per-unit value replaced by ``slot(column)``,
    ``column`` holding that value's JSON text for each unit in listing order."""
    results = outcomes.results
    scheme = results.scheme
    units = results.data.units
    n = len(order)
    types = np.asarray(units.types[order]).astype(str)
    grade_labels = {g.id: _grade_texts(outcomes, g, order) for g in scheme.grades}
    primary: list[str | None] = [None] * n
    for kind in np.unique(types).tolist():
        grade = scheme.primary_for(kind)
        if grade is not None:
            labels = grade_labels[grade.id]
            for k in np.flatnonzero(types == kind).tolist():
                primary[k] = labels[k]
    ids = np.asarray(units.ids[order]).astype(str).tolist()
    corrections: dict[str, list[t.Any]] = {}
    for correction in results.data.corrections:
        corrections.setdefault(correction.unit, []).append(correction)
    correction_texts = ["[]"] * n
    if corrections:
        for k, unit in enumerate(ids):
            if unit in corrections:
                correction_texts[k] = _json_list([
                    {"input": c.input, "period": c.period or None, "old": c.old, "new": c.new, "reason": c.reason,
                     "file": c.origin.file, "row": c.origin.row} for c in corrections[unit]])
    vetoes = [_where_title(results.vetoes[v.id][order], v.id) for v in scheme.vetoes]
    veto_entries = {v.id: {"id": v.id, "title": v.title, "effect": v.effect} for v in scheme.vetoes}
    hit_actions = [_where_title(outcomes.actions[a.id][order], a.id) for a in scheme.actions]
    action_entries = {a.id: {"id": a.id, "title": a.title} for a in scheme.actions}
    label_columns = [p.labels[order] for p in outcomes.placements] + [_where_title(outcomes.actions[a.id][order], a.title) for a in scheme.actions]
    return {
        "id": slot(_json_strings(ids)),
        "name": slot(_json_strings(np.asarray(units.names[order]).astype(str).tolist())),
        "type": slot(_json_strings([v or None for v in types.tolist()])),
        "group": slot(_json_strings([v or None for v in np.asarray(units.groups[order]).astype(str).tolist()])),
        "total": slot(_json_numbers(results.total[order])),
        "grade": slot(_json_strings(primary)),
        "rank": slot(_json_counts(outcomes.rank[order])),
        "group_rank": slot(_json_counts(outcomes.group_rank[order])),
        "eligible": slot(_json_flags(outcomes.eligible[order])),
        "manual": slot(_json_flags(results.manual[order])),
        "vetoes": slot(_json_lists(vetoes, veto_entries, n)),
        "labels": slot(_json_lists(label_columns, None, n)),
        "actions": slot(_json_lists(hit_actions, action_entries, n)),
        "corrections": slot(correction_texts),
        "rankings": {
            p.ranking.id: {
                "title": p.ranking.title,
                "label": slot(_json_strings(p.labels[order].tolist())),
                "position": slot(_json_counts(p.position[order])),
                "pool": slot(_json_counts(np.where(p.pool[order], p.pool_size[order], 0))),
            }
            for p in outcomes.placements
        },
        "grades": {
            grade.id: {"title": grade.title, "value": slot(_json_values(outcomes.grades[grade.id][order])),
                       "label": slot(_json_strings(grade_labels[grade.id]))}
            for grade in scheme.grades
        },
        "parts": {part.id: slot(_json_numbers(results.parts[part.id][order])) for part in scheme.parts if part.explicit},
        "items": {
            node.id: {
                "title": node.title,
                "score": slot(_json_numbers(results.scores[node.id][order])),
                "max": slot(_json_maxima(results.scores[node.id][order], max_column(node, types))),
            }
            for node in scheme.nodes()
        },
    }


def _json_strings(values: t.Iterable[str | None]) -> list[str]:
    """Strings (None → null) as ``json.dumps(…, ensure_ascii=False)`` writes them."""
    from json.encoder import encode_basestring

    return ["null" if v is None else encode_basestring(v) for v in values]


def _json_numbers(values: npt.ArrayLike) -> list[str]:
    """Scores as :func:`_num` hands them to json: NaN → null, whole numbers as ints, others by ``repr``."""
    column = np.asarray(values, dtype=np.float64)
    texts = list(map(float.__repr__, column.tolist()))
    with np.errstate(invalid="ignore"):
        whole = np.isfinite(column) & (column == np.trunc(column))
        small = whole & (np.abs(column) < 2.0**62)
    for k, text in zip(np.flatnonzero(small).tolist(), column[small].astype(np.int64).tolist()):
        texts[k] = str(text)
    for k in np.flatnonzero((whole & ~small) | np.isinf(column)).tolist():
        texts[k] = json.dumps(plain(float(column[k])))
    for k in np.flatnonzero(np.isnan(column)).tolist():
        texts[k] = "null"
    return texts


def _json_counts(values: npt.ArrayLike) -> list[str]:
    """Ranks, positions and sizes: ``int(v) or None``."""
    return [str(v) if v else "null" for v in np.asarray(values, dtype=np.int64).tolist()]


def _json_flags(values: npt.ArrayLike) -> list[str]:
    return ["true" if v else "false" for v in np.asarray(values, dtype=bool).tolist()]


def _json_maxima(scores: npt.ArrayLike, maxima: npt.ArrayLike) -> list[str]:
    """Each unit's maximum of an item (:func:`max_for` its type) where it was scored;
    null where it was not, or where the item has no maximum."""
    values = np.asarray(maxima, dtype=np.float64).tolist()
    # One list of values for building and looking up, so even a NaN finds itself (by identity).
    shown = {value: json.dumps(plain(value)) if math.isfinite(value) else "null" for value in set(values)}
    scored = (~np.isnan(np.asarray(scores, dtype=np.float64))).tolist()
    return [shown[value] if hit else "null" for value, hit in zip(values, scored)]


def _json_values(values: npt.NDArray[np.object_]) -> list[str]:
    """Grade values (str, number or None) as :func:`_plain_value` hands them to json; each distinct one encoded once."""
    seen: dict[tuple[type, t.Any], str] = {}
    texts = []
    for value in values.tolist():
        key = (type(value), value)
        try:
            text = seen[key]
        except KeyError:
            text = seen[key] = json.dumps(_plain_value(value), ensure_ascii=False)
        except TypeError:
            text = json.dumps(_plain_value(value), ensure_ascii=False)
        texts.append(text)
    return texts


def _json_lists(columns: t.Sequence[npt.NDArray[np.object_]], entries: t.Mapping[str, t.Any] | None, n: int) -> list[str]:
    """Per unit, the list of the present (non-None) values of ``columns`` — each looked up in
    ``entries`` if given — as json text at a unit's depth; "[]" for units with none."""
    texts = ["[]"] * n
    if not columns:
        return texts
    present = np.zeros(n, dtype=bool)
    for column in columns:
        present |= np.array([v is not None for v in column.tolist()], dtype=bool)
    seen: dict[tuple[t.Any, ...], str] = {}
    for k in np.flatnonzero(present).tolist():
        key = tuple(c[k] for c in columns if c[k] is not None)
        if key not in seen:
            seen[key] = _json_list([entries[v] for v in key] if entries is not None else list(key))
        texts[k] = seen[key]
    return texts


def _json_list(values: list[t.Any]) -> str:
    """A list as json writes it as the value of a unit's key (6 spaces deep)."""
    return json.dumps(values, ensure_ascii=False, indent=2).replace("\n", "\n      ")
