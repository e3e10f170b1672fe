"""Render Outcomes as JSON, CSV or Markdown, and one unit's trace as text.

The JSON document follows the contract in design.md; every number in any
output is a rounded score written from its decimal form, so no float
artefact (0.30000000000000004) can appear. Markdown and the explain text are
Jinja2 templates in ``reports/`` rendered with StrictUndefined: a template
that names a missing field fails loudly instead of printing nothing.
"""

from __future__ import annotations

import csv
import errno
import io
import json
import math
import os
import re
import tempfile
import typing as t
from pathlib import Path

import jinja2
import markupsafe
import numpy as np
import numpy.typing as npt

from engine import rules
from engine.diff import Change, OutcomeDiff, change_kind_title
from engine.evaluate import BY_HAND, NOT_APPLICABLE, ItemTrace, Results, evaluate
from engine.grade import Outcomes
from engine.rank import Placement, seat_text
from engine import selfscores
from engine.messages import Text
from engine.model import Grade, Item, Node, Scheme, Section, max_column, max_for
from engine.numbers import format_max, format_number, format_score, plain
from engine.resources import reports_dir

if t.TYPE_CHECKING:
    import polars as pl  # imported where used: `kaohe validate` need not load it

#: The shipped templates (engine/resources.py finds them in a clone and in a wheel).
REPORTS_DIR = reports_dir()



def _environment(lang: str) -> jinja2.Environment:
    """The shipped templates' environment: sandboxed like the reports' (see engine/reports.py),
    HTML escaped in HTML templates and HTML markup neutralised in Markdown ones."""
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    env = ImmutableSandboxedEnvironment(
        loader=jinja2.FileSystemLoader(REPORTS_DIR),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        # HTML templates escape names and titles (a unit called "<script>" stays text).
        autoescape=jinja2.select_autoescape(["html", "html.j2"], default_for_string=False, default=False),
        finalize=markdown_finalize,
    )
    env.globals["lang"] = lang
    env.globals["t"] = lambda zh, en: en if lang == "en" else zh
    return env


#: What makes Markdown text HTML: a tag's opening bracket, and an ampersand starting an entity (&lt; &#60;).
#: A ">" alone opens nothing, so an expression such as "rate >= 100" is printed as it is.
_MARKUP = re.compile(r"<|&(?=#?\w+;)")
_MARKUP_ESCAPES = {"<": "&lt;", "&": "&amp;"}


def escape_markdown_html(text: str) -> str:
    """``text`` with HTML markup escaped, for Markdown output (rendered Markdown passes HTML through).

    Only what would be read as markup changes, so ordinary text (``A&B``,
    ``rate >= 100``) is printed as it was.

    >>> escape_markdown_html("<script>甲</script> A&B &amp; x >= 1")
    '&lt;script>甲&lt;/script> A&B &amp;amp; x >= 1'
    """
    return _MARKUP.sub(lambda match: _MARKUP_ESCAPES[match.group()], text)


@jinja2.pass_context
def markdown_finalize(context: jinja2.runtime.Context, value: t.Any) -> t.Any:
    """Jinja ``finalize``: every ``{{ value }}`` a Markdown template (``*.md.j2``) prints is
    escaped by :func:`escape_markdown_html`; other templates' values pass unchanged (HTML ones
    are autoescaped)."""
    if isinstance(value, str) and not isinstance(value, markupsafe.Markup) and (context.name or "").endswith(".md.j2"):
        return escape_markdown_html(value)
    return value


def _num(value: float) -> float | int | None:
    return None if math.isnan(value) else plain(value)


def unit_order(outcomes: Outcomes) -> list[int]:
    """Units by rank (unranked last), then by id — the order of every listing."""
    return [int(i) for i in order_index(outcomes)]


def order_index(outcomes: Outcomes) -> npt.NDArray[np.intp]:
    """:func:`unit_order` as an index array (for taking whole columns)."""
    rank = outcomes.rank
    key = np.where(rank > 0, rank, np.iinfo(np.int64).max)
    order: npt.NDArray[np.intp] = np.lexsort((outcomes.results.data.units.ids, key))
    return order


def to_document(outcomes: Outcomes, lang: str = "zh") -> dict[str, t.Any]:
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
    warnings = [p.render(lang) for p in (*results.data.warnings, *results.warnings, *outcomes.warnings)]
    return {
        "scheme": {"id": scheme.id, "version": scheme.version, "title": scheme.title, "precision": scheme.precision},
        "units": document_units,
        "warnings": warnings,
    }


def _plain_value(value: t.Any) -> t.Any:
    if isinstance(value, float):
        return plain(value)
    return value


def to_json(outcomes: Outcomes, lang: str = "zh") -> str:
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
    warnings = [p.render(lang) for p in (*results.data.warnings, *results.warnings, *outcomes.warnings)]
    placeholder = token + "units"
    document = json.dumps({
        "scheme": {"id": scheme.id, "version": scheme.version, "title": scheme.title, "precision": scheme.precision},
        "units": placeholder,
        "warnings": warnings,
    }, ensure_ascii=False, indent=2)
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


def to_csv(outcomes: Outcomes, lang: str = "zh") -> str:
    """One row per unit: rank, identity, total, grades, every node's score, vetoes.

    Built a column at a time (each column formatted in one pass, the rows
    written by polars) but byte for byte what ``csv.writer`` wrote row by row:
    the header by ``csv.writer`` itself, minimal quoting, "\\r\\n" line ends,
    and empty cells as nothing (polars would write "" for an empty string, so
    empty cells are passed as null).
    """
    import polars as pl

    results = outcomes.results
    scheme = results.scheme
    units = results.data.units
    nodes = list(scheme.nodes())
    en = lang == "en"
    header = (["rank", "id", "name", "group", "group rank", "total"] if en else ["排名", "编号", "名称", scheme.group_title, "组内排名", "总分"])
    header += [g.title for g in scheme.grades]
    header += [p.title for p in scheme.parts if p.explicit]
    header += [f"{n.title}[{n.id}]" for n in nodes]
    header += ["awards" if en else "评选", "vetoes" if en else "一票否决"]
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow([guard_formula(cell) for cell in header])
    p = scheme.precision
    order = order_index(outcomes)
    total = format_score_column(results.total[order], p)
    manual = results.manual[order]
    if manual.any():
        total = total.scatter(np.flatnonzero(manual), "by hand" if en else "直接评定")
    # Text cells (ids, names, groups, labels) are guarded against formulas; scores and ranks are
    # numbers the engine wrote ("-1.00" must stay a number), so they are not.
    columns: list[pl.Series] = [
        _rank_texts(outcomes.rank[order]), guard_formula_column(_text_column(units.ids[order])),
        guard_formula_column(_text_column(units.names[order])), guard_formula_column(_text_column(units.groups[order])),
        _rank_texts(outcomes.group_rank[order]), total,
    ]
    columns += [guard_formula_column(pl.Series(_grade_texts(outcomes, g, order), dtype=pl.Utf8)) for g in scheme.grades]
    columns += [format_score_column(results.parts[part.id][order], p) for part in scheme.parts if part.explicit]
    columns += [format_score_column(results.scores[n.id][order], p, "") for n in nodes]
    columns += [guard_formula_column(_award_texts(outcomes, order)), guard_formula_column(_veto_texts(results, order))]
    if order.size:
        # Names c0, c1 …: header titles may repeat, polars column names may not.
        frame = pl.DataFrame({f"c{k}": c for k, c in enumerate(columns)})
        frame = frame.select(pl.when(pl.col(c) != "").then(pl.col(c)).alias(c) for c in frame.columns)
        buffer.write(frame.write_csv(include_header=False, line_terminator="\r\n", null_value="", quote_style="necessary"))
    return buffer.getvalue()


#: First characters that make a spreadsheet read a CSV cell as a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def guard_formula(text: str) -> str:
    """A CSV text cell that a spreadsheet would run as a formula, made plain text with a leading ``'``.

    >>> print(guard_formula("=1+1"), guard_formula("-1"), guard_formula("甲"))
    '=1+1 '-1 甲
    """
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def guard_formula_column(column: pl.Series) -> pl.Series:
    """:func:`guard_formula` on every cell of a text column, in one pass (nulls stay null)."""
    import polars as pl

    starts = column.str.contains(r"^[=+\-@\t\r]")
    if not starts.any():
        return column
    return pl.select(pl.when(starts).then(pl.lit("'") + column).otherwise(column)).to_series().alias(column.name)


# ---------------------------------------------------------------------------
# Columnar text: every cell of a column formatted in one pass


def format_score_column(values: npt.ArrayLike, precision: int, missing: str = "—") -> pl.Series:
    """A float column → its scores as text, exactly as :func:`format_score` writes each one.

    ``format_score`` rounds the shortest decimal of each double (``repr``)
    half away from zero, keeps the sign of negative zero ("-0.00") and writes
    ``precision`` decimals. Here the same is done on the whole column: the
    scaled magnitude ``|x| × 10^p`` is rounded with ``floor(y + 0.5)`` and the
    digits are assembled by polars. Float error in ``y`` is below 1e-15 of its
    size, so the result can differ from the decimal rounding only when ``y``
    lies that close to a half (8.225 at 2 decimals) or is too large for the
    margin; those few cells (and precisions above 6) go through the scalar
    ``format_score`` itself. NaN becomes ``missing``.
    """
    import polars as pl

    x = np.asarray(values, dtype=np.float64).reshape(-1)
    nan = np.isnan(x)
    with np.errstate(invalid="ignore", over="ignore"):
        scaled = np.abs(x) * 10.0**precision
        half_way = np.abs(scaled - np.floor(scaled) - 0.5) <= 1e-15 * np.maximum(scaled, 1.0)
        slow = ~nan & (~(scaled < _FAST_LIMIT) | half_way | (precision > 6))
        whole = np.where(slow | nan, 0.0, np.floor(scaled + 0.5)).astype(np.int64)
    frame = pl.DataFrame({"k": whole, "neg": np.signbit(x), "nan": nan})
    k = pl.col("k")
    digits = k.cast(pl.Utf8) if precision == 0 else pl.concat_str(
        [(k // 10**precision).cast(pl.Utf8), pl.lit("."), (k % 10**precision).cast(pl.Utf8).str.zfill(precision)])
    text = frame.select(
        pl.when(pl.col("nan")).then(pl.lit(missing)).when(pl.col("neg")).then(pl.lit("-") + digits).otherwise(digits)
    ).to_series()
    if slow.any():
        text = text.scatter(np.flatnonzero(slow), [format_score(v, precision) for v in x[slow].tolist()])
    return text


#: Scaled magnitudes (|x| × 10^precision) below this are formatted in bulk; the
#: 1e-15 half-way margin then stays ≥ 4× the float error and int64 holds them.
_FAST_LIMIT = 1e12


def _rank_texts(ranks: npt.NDArray[np.int64]) -> pl.Series:
    """Ranks as text, 0 (not ranked) as an empty cell."""
    import polars as pl

    text = pl.Series(np.asarray(ranks, dtype=np.int64)).cast(pl.Utf8)
    return text.scatter(np.flatnonzero(ranks == 0), "") if (ranks == 0).any() else text


def _text_column(values: t.Any) -> pl.Series:
    """Strings (ids, names, groups) as a polars column, as ``str()`` writes them."""
    import polars as pl

    return pl.Series(np.asarray(values).astype(str), dtype=pl.Utf8)


def _grade_texts(outcomes: Outcomes, grade: Grade, order: npt.NDArray[np.intp]) -> list[str | None]:
    """Each unit's label of ``grade`` (a few distinct values, so each is worked out once)."""
    seen: dict[t.Any, str | None] = {}
    labels = []
    for value in outcomes.grades[grade.id][order].tolist():
        try:
            label = seen[value]
        except KeyError:
            label = seen[value] = grade.label_of(value)
        except TypeError:  # an unhashable value: no cache
            label = grade.label_of(value)
        labels.append(label)
    return labels


def _joined(columns: t.Sequence[t.Any], n: int) -> pl.Series:
    """Per unit, the present (non-null) texts of ``columns`` joined with 、 ("" if none)."""
    import polars as pl

    if not columns:
        return pl.Series([""] * n, dtype=pl.Utf8)
    # Object arrays (str or None) go through lists: polars takes no numpy objects.
    frame = pl.DataFrame({f"c{k}": pl.Series(np.asarray(c).tolist(), dtype=pl.Utf8) for k, c in enumerate(columns)})
    return frame.select(pl.concat_str(pl.all(), separator="、", ignore_nulls=True)).to_series()


def _where_title(mask: npt.NDArray[np.bool_], title: str) -> npt.NDArray[np.object_]:
    """``title`` where ``mask`` holds, None elsewhere."""
    column = np.full(mask.shape, None, dtype=object)
    column[mask] = title
    return column


def _award_texts(outcomes: Outcomes, order: npt.NDArray[np.intp]) -> pl.Series:
    """``"、".join(outcomes.labels(i))`` for every unit, a column at a time."""
    actions = outcomes.results.scheme.actions
    columns: list[t.Any] = [p.labels[order] for p in outcomes.placements]
    columns += [_where_title(outcomes.actions[a.id][order], a.title) for a in actions]
    return _joined(columns, len(order))


def _veto_texts(results: Results, order: npt.NDArray[np.intp]) -> pl.Series:
    """The titles of each unit's vetoes joined with 、."""
    columns = [_where_title(results.vetoes[v.id][order], v.title) for v in results.scheme.vetoes]
    return _joined(columns, len(order))


def to_markdown(outcomes: Outcomes, lang: str = "zh") -> str:
    """The ranked table printed by ``kaohe run`` (and ``make demo``)."""
    results = outcomes.results
    scheme = results.scheme
    units = results.data.units
    p = scheme.precision
    order = order_index(outcomes)
    # Scores and grade labels are formatted a column at a time; the template still gets one dict per unit.
    totals = format_score_column(results.total[order], p).to_list()
    parts = {part.id: format_score_column(results.parts[part.id][order], p).to_list() for part in scheme.parts if part.explicit}
    adjust = {item.id: format_score_column(results.scores[item.id][order], p).to_list() for item in scheme.adjustments}
    grades = {g.id: _grade_texts(outcomes, g, order) for g in scheme.grades}
    rows = []
    for k, i in enumerate(order.tolist()):
        rows.append({
            "rank": int(outcomes.rank[i]),
            "id": units.ids[i],
            "name": units.names[i],
            "group": units.groups[i],
            "group_rank": int(outcomes.group_rank[i]),
            "manual": bool(results.manual[i]),
            "total": totals[k],
            "parts": {ident: column[k] for ident, column in parts.items()},
            "adjust": {ident: column[k] for ident, column in adjust.items()},
            "grades": {ident: column[k] for ident, column in grades.items()},
            "vetoes": [v.title for v in scheme.vetoes if results.vetoes[v.id][i]],
            "labels": outcomes.labels(i),
        })
    template = _environment(lang).get_template("ranking.md.j2")
    return template.render(
        scheme=scheme,
        units=rows,
        manual_count=int(results.manual.sum()),
        parts=[part for part in scheme.parts if part.explicit],
        adjustments=scheme.adjustments,
        grades=scheme.grades,
        has_vetoes=bool(scheme.vetoes),
        has_labels=bool(scheme.rankings or scheme.actions),
        has_groups=bool((units.groups != "").any()),
        has_manual=scheme.manual is not None,
    )


def explain(outcomes: Outcomes, index: int, lang: str = "zh") -> str:
    """Every step of one unit's score as text: inputs read, rule applied, values, grades."""
    view = explain_view(outcomes, index, lang)
    template = _environment(lang).get_template("explain.txt.j2")
    text = template.render(scheme=outcomes.results.scheme, unit=view["unit"], nodes=view["nodes"], total_formula=view["total_formula"])
    return re.sub(r"\n{3,}", "\n\n", text)  # sections a scheme does not have leave no gaps


def explain_json(outcomes: Outcomes, index: int, lang: str = "zh") -> str:
    """The same explanation as :func:`explain`, as a JSON document whose items
    form a tree (a section holds its items under ``children``), for programs."""
    view = explain_view(outcomes, index, lang)
    scheme = outcomes.results.scheme
    tree: list[dict[str, t.Any]] = []
    open_at: list[list[dict[str, t.Any]]] = [tree]
    for row in view["nodes"]:
        node = {k: v for k, v in row.items() if k != "depth"}
        node["children"] = []
        depth = min(int(row["depth"]), len(open_at) - 1)
        del open_at[depth + 1:]
        open_at[depth].append(node)
        open_at.append(node["children"])
    unit = {k: v for k, v in view["unit"].items() if k != "self_check" or v}  # 自评与核查 only where there is one
    document = {"scheme": {"id": scheme.id, "version": scheme.version, "title": scheme.title},
                "unit": unit, "items": tree, "total_formula": view["total_formula"]}
    return json.dumps(document, ensure_ascii=False, indent=2, default=_json_default) + "\n"


def _json_default(value: object) -> object:
    """numpy scalars and arrays as plain JSON values (ids are numpy strings)."""
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    return str(value)


def explain_view(outcomes: Outcomes, index: int, lang: str = "zh") -> dict[str, t.Any]:
    """What explain shows of one unit: the unit (total, ranks, grades, vetoes,
    placements, actions, corrections), one row per part/section/item in scheme
    order with its depth, and the total's formula."""
    results = outcomes.results
    scheme = results.scheme
    traced = evaluate(scheme, results.data.take(index), trace=True)
    traces = {trace.node.id: trace for trace in traced.traces}
    p = scheme.precision
    rows: list[dict[str, t.Any]] = []

    unit_type = str(results.data.units.types[index])

    def walk(nodes: t.Iterable[Node], depth: int) -> None:
        for node in nodes:
            rows.append(_node_row(node, traces[node.id], depth, p, lang, max_for(node, unit_type)))
            if isinstance(node, Section):
                walk(node.children, depth + 1)

    for part in scheme.parts:
        if part.explicit:
            score = format_score(results.parts[part.id][index], p)
            rows.append({"title": f"{part.title}（{t_(lang, '权重', 'weight')} {part.weight:g}）", "id": part.id, "score": score,
                         "max": format_max(max_for(part, unit_type), lang), "note": "", "rule": None, "depth": 0})
        walk(part.children, 1 if part.explicit else 0)
    walk(scheme.adjustments, 0)

    units = results.data.units
    namespace = results.namespace()
    bases = _grade_bases(outcomes, index)
    ranked = int((outcomes.rank > 0).sum())
    group = units.groups[index]
    same_group = (units.groups == group) & (outcomes.group_rank > 0)
    unit = {
        "id": units.ids[index], "name": units.names[index], "group": group, "type": units.types[index],
        "manual": bool(results.manual[index]),
        "total": format_score(results.total[index], p),
        "rank": int(outcomes.rank[index]), "ranked": ranked,
        "group_rank": int(outcomes.group_rank[index]), "group_ranked": int(same_group.sum()),
        "grades": [_grade_row(outcomes, grade, index, lang, bases[grade.id]) for grade in scheme.grades],
        "vetoes": [
            {"id": v.id, "title": v.title, "effect": _effect_text(v.effect, v.grade, lang),
             "when": v.when.source, "read": _values_read(v.when.names, namespace, index, p, lang)}
            for v in scheme.vetoes if results.vetoes[v.id][index]
        ],
        "rankings": [_placement_row(p, index, str(group), lang) for p in outcomes.placements],
        "self_check": _self_check(outcomes, index, lang),
        "actions": [
            {"id": a.id, "title": a.title, "when": a.when.source, "where": f"{a.when.location.file}:{a.when.location.line}",
             "read": _values_read(a.when.names, namespace, index, p, lang),
             "hit": t_(lang, "是", "yes") if outcomes.actions[a.id][index] else t_(lang, "否", "no")}
            for a in scheme.actions
        ],
        "corrections": [_correction_row(c, scheme, lang) for c in results.data.corrections if c.unit == str(units.ids[index])],
        # A classification scheme (actions only, no scored items) has no total or rank to show.
        "scored": bool(scheme.parts),
    }
    return {"unit": unit, "nodes": rows, "total_formula": _total_formula(results, index, lang)}


def _values_read(names: t.Iterable[str], namespace: t.Mapping[str, t.Any], index: int, precision: int, lang: str) -> str:
    """``kind = 穷, total = 91.00``: the unit's value of each one-per-unit name an expression reads."""
    shown = []
    for name in sorted(names):
        column = namespace.get(name)
        if isinstance(column, np.ndarray) and column.ndim == 1:
            value = column[index]
            if isinstance(value, (bool, np.bool_)):
                text = t_(lang, "是", "yes") if value else t_(lang, "否", "no")
            elif isinstance(value, (float, np.floating)):
                text = format_score(float(value), precision)
            else:
                text = str(value) or "—"
            period = namespace.get(f"__period__{name}")  # a history entry: which period answered
            if isinstance(period, np.ndarray) and period.ndim == 1 and str(period[index]):
                text += t_(lang, f"（{period[index]} 期）", f" (period {period[index]})")
            shown.append(f"{name} = {text}")
        elif isinstance(column, (int, float)) and not isinstance(column, bool):
            shown.append(f"{name} = {format_number(column)}")  # a parameter: the same for every unit
        elif isinstance(column, np.ndarray) and column.ndim == 2 and column.dtype.kind == "U":
            # Text per record (一类一行): every value the unit has, or 无 when it has none.
            values = [str(v) for v in column[index] if str(v)]
            shown.append(f"{name} = {'、'.join(values) if values else t_(lang, '无', 'none')}")
    return ", ".join(shown)


def t_(lang: str, zh: str, en: str) -> str:
    return en if lang == "en" else zh


def _node_row(node: Node, trace: ItemTrace, depth: int, precision: int, lang: str, maximum: float | None = None) -> dict[str, t.Any]:
    """One line of explain; ``maximum`` is the node's full marks for this unit (its applicable items)."""
    shown_max = node.max if maximum is None or (isinstance(node, Item) and maximum == 0) else maximum
    row: dict[str, t.Any] = {
        "title": node.title, "id": node.id, "depth": depth,
        "score": format_score(trace.score, precision), "max": format_max(shown_max, lang), "note": _pick(trace.note, lang), "rule": None,
    }
    if isinstance(node, Item) and trace.note not in (NOT_APPLICABLE, BY_HAND):
        row.update(
            rule=_rule_text(node, lang),
            kind=_pick(rules.kind(node.kind).title, lang),
            where=f"{(node.rule_location or node.location).file}:{(node.rule_location or node.location).line}",
            inputs=[{"input": r.input, "title": r.title, "dim": r.dim, "cells": r.values, "origin": _pick(r.origin, lang)} for r in trace.inputs],
            steps=[{"label": _pick(step.label, lang), "value": step.value} for step in trace.steps],
        )
    return row


def _pick(text: Text, lang: str) -> str:
    return text.en if lang == "en" else text.zh


def _rule_text(item: Item, lang: str) -> str:
    return _pick(item.rule.words(item), lang)


def _grade_row(outcomes: Outcomes, grade: Grade, index: int, lang: str, basis: float) -> dict[str, t.Any]:
    results = outcomes.results
    label = outcomes.grade_label(grade, index)
    manual = results.scheme.manual
    if results.manual[index] and manual is not None and manual.grade == grade.id:
        return {"title": grade.title, "label": label, "explain": t_(lang, f"直接评定为 {label}", f"graded by hand: {label}")}
    unit_type = str(results.data.units.types[index])
    if grade.applies_to is not None and unit_type not in grade.applies_to:
        # 领导班子等次 for a 干部: not graded by it at all.
        only = "、".join(sorted(grade.applies_to))
        return {"title": grade.title, "label": label,
                "explain": t_(lang, f"不适用（只评定 {only}）", f"not applicable (grades {only} only)")}
    source = grade.of.source
    band = next((b for b in grade.bands if bool(b.mask(np.array([basis]))[0])), None)
    if band is None:
        text = t_(lang, f"{source} = {format_number(basis)} 不在任何档次", f"{source} = {format_number(basis)} is in no band")
        banded = None
    else:
        banded = grade.label_of(band.result)
        text = f"{source} = {format_number(basis)} ∈ {band.describe()} → {banded}"
    if banded != label:
        # A veto (force_grade) or a ranking (grade:) decided the final value.
        final = label if label is not None else t_(lang, "无", "none")
        text += t_(lang, f"；最终为 {final}（一票否决或排名评选改定）", f"; finally {final} (set by a veto or a ranking)")
    return {"title": grade.title, "label": label, "explain": text}


def _grade_bases(outcomes: Outcomes, index: int) -> dict[str, float]:
    """The value each grade bands, for one unit (numeric grades feed later ones)."""
    from engine.expressions import ColumnEvaluator

    results = outcomes.results
    names = results.namespace()
    n = len(results.data.units)
    bases: dict[str, float] = {}
    for grade in results.scheme.grades:
        column = np.asarray(ColumnEvaluator(names).column(grade.of, n), dtype=np.float64)
        bases[grade.id] = float(column[index])
        if grade.numeric:
            names[grade.id] = np.array([np.nan if v is None else float(v) for v in outcomes.grades[grade.id]], dtype=np.float64)
    return bases


def _self_check(outcomes: Outcomes, index: int, lang: str) -> list[str]:
    """自评与核查 lines where verification changed something (engine.selfscores)."""
    own = selfscores.self_results(outcomes.results)
    if own is None:
        return []
    lines = selfscores.words(selfscores.unit_view(outcomes.results, own, index, lang), lang)
    return lines or [t_(lang, "自评与核查一致", "self-assessed and verified values agree")]


def _placement_row(placement: Placement, index: int, group: str, lang: str) -> dict[str, str]:
    ranking = placement.ranking
    label = placement.labels[index]
    if not placement.pool[index]:
        text = t_(lang, "不参评（无总分、被取消资格或不满足参评条件）", "not in the pool (no total, disqualified, or not meeting the condition)")
    else:
        quotas = seat_text(placement, index, group, lang)  # engine.rank: the seats with their arithmetic
        result = label or t_(lang, "未评上", "none")
        text = t_(lang, f"{ranking.by.source} 在 {int(placement.pool_size[index])} 名参评者中列第 {int(placement.position[index])}；名额: {quotas} → {result}",
                  f"{ranking.by.source} ranks {int(placement.position[index])} of {int(placement.pool_size[index])}; seats: {quotas} → {result}")
    return {"title": ranking.title, "id": ranking.id, "text": text}


def _correction_row(correction: t.Any, scheme: t.Any, lang: str) -> str:
    spec = scheme.inputs[correction.input]
    where = f"{correction.origin.file}{f'[{correction.origin.sheet}]' if correction.origin.sheet else ''}"
    old = "空" if correction.old is None else format_number(correction.old)
    period = ""
    if correction.period:
        period = f" {scheme.dimensions[spec.per].title} {correction.period}"
    return t_(lang,
              f"{spec.title}{period}: {old} → {format_number(correction.new)}（{correction.reason or '未写理由'}；{where} 第 {correction.origin.row} 行）",
              f"{spec.title}{period}: {old} → {format_number(correction.new)} ({correction.reason or 'no reason given'}; {where} row {correction.origin.row})")


def _effect_text(effect: str, grade: t.Any, lang: str) -> str:
    if effect == "disqualify":
        return t_(lang, "取消评先资格，得分保留", "disqualified from awards; the score stands")
    return t_(lang, f"直接定为 {grade}", f"graded {grade}")


def _total_formula(results: Results, index: int, lang: str) -> str:
    scheme = results.scheme
    p = scheme.precision
    terms = []
    for part in scheme.parts:
        if part.explicit:
            terms.append(f"{format_score(results.parts[part.id][index], p)} × {part.weight:g}")
        elif scheme.rescale_full is not None and results.raw_base is not None and results.applicable_full is not None:
            raw = format_score(results.raw_base[index], p)
            full = format_number(float(results.applicable_full[index]))
            terms.append(t_(lang, f"各项之和 {raw} × {scheme.rescale_full:g} ÷ {full}（适用满分 {full}，折算）",
                            f"items {raw} × {scheme.rescale_full:g} ÷ {full} (applicable full marks {full}, rescaled)"))
        else:
            terms.append(t_(lang, f"各项之和 {format_score(results.base[index], p)}", f"items {format_score(results.base[index], p)}"))
    for item in scheme.adjustments:
        terms.append(f"{item.title} {format_score(results.scores[item.id][index], p)}")
    return " + ".join(terms)


def write_atomic(path: Path, text: str, encoding: str = "utf-8") -> None:
    """Write ``text`` to ``path`` so that no half-written file is ever left."""

    def write(temporary: Path) -> None:
        with temporary.open("w", encoding=encoding, newline="") as out:
            out.write(text)

    replace_atomically(path, write)


def replace_folder_files(folder: Path, write: t.Callable[[Path], list[Path]]) -> list[Path]:
    """Let ``write`` fill a temporary folder beside ``folder``, then move its files into ``folder``.

    Nothing reaches ``folder`` unless ``write`` finished: on any error the
    temporary folder is removed and ``folder`` is as it was. A missing
    ``folder`` is the temporary one renamed (one step); into an existing one
    each file is moved by ``os.replace`` (same file system, so no copy can
    fail halfway). Returns the files' paths in ``folder``, in ``write``'s order.
    """
    import shutil

    folder.parent.mkdir(parents=True, exist_ok=True)
    temporary = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=folder.parent))
    try:
        names = [path.relative_to(temporary) for path in write(temporary)]
        mask = os.umask(0)
        os.umask(mask)
        if not folder.exists():
            os.chmod(temporary, 0o777 & ~mask)  # mkdtemp's folder is private (0700)
            os.rename(temporary, folder)
        else:
            # Every target is checked before the first move: a folder (or a file where
            # a subfolder goes) in the way would stop the moves halfway.
            blocked = [folder / name for name in names if (folder / name).is_dir()
                       or any(parent.exists() and not parent.is_dir() for parent in (folder / name).parents if folder in parent.parents)]
            if blocked:
                raise IsADirectoryError(errno.EISDIR, "a folder or file is in the way", str(blocked[0]))
            for name in names:
                (folder / name).parent.mkdir(parents=True, exist_ok=True)
                os.replace(temporary / name, folder / name)
        return [folder / name for name in names]
    finally:
        shutil.rmtree(temporary, ignore_errors=True)


def replace_atomically(path: Path, write: t.Callable[[Path], None]) -> None:
    """Let ``write`` fill a temporary file beside ``path``, then put it in place.

    The temporary file is in the same folder, so ``os.replace`` swaps it in
    one step (atomic on one file system); on any error it is removed and the
    old ``path`` is untouched.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=path.suffix, dir=path.parent)
    os.close(handle)
    temporary = Path(name)
    try:
        write(temporary)
        # mkstemp makes the file private (0600); give it the usual permissions.
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(temporary, 0o666 & ~mask)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


# ---------------------------------------------------------------------------
# Rule-version comparison


def diff_document(old: Scheme, new: Scheme, changes: t.Sequence[Change], outcome: OutcomeDiff,
                  sweep: dict[str, t.Any] | None = None) -> dict[str, t.Any]:
    """The JSON document of ``kaohe diff --format json``."""
    precision = new.precision

    def num(value: float | None) -> float | int | None:
        return None if value is None else plain(value)

    return {
        "old": {"id": old.id, "version": old.version, "title": old.title, "file": old.file},
        "new": {"id": new.id, "version": new.version, "title": new.title, "file": new.file},
        "changes": [
            {"kind": c.kind, "id": c.id, "title": c.title, "old": c.old, "new": c.new,
             "old_line": c.old_location.line if c.old_location else None,
             "new_line": c.new_location.line if c.new_location else None}
            for c in changes
        ],
        "summary": _diff_summary(outcome),
        "units": [
            {
                "id": u.id, "name": u.name, "old_total": num(u.old_total), "new_total": num(u.new_total),
                "delta": None if u.delta is None else plain(round(u.delta, precision)),
                "old_grade": u.old_grade, "new_grade": u.new_grade, "old_rank": u.old_rank, "new_rank": u.new_rank,
                "labels_gained": list(u.labels_gained), "labels_lost": list(u.labels_lost),
                "vetoes_gained": list(u.vetoes_gained), "vetoes_lost": list(u.vetoes_lost),
                "causes": [{"id": m.id, "title": m.title, "old": num(m.old), "new": num(m.new),
                            "delta": plain(round(m.delta, precision))} for m in u.causes],
                "rescaled": {"old_applicable": u.rescaled[0], "new_applicable": u.rescaled[1]},
            }
            for u in outcome.units
        ],
        **({"sweep": sweep} if sweep else {}),
    }


def _diff_summary(outcome: OutcomeDiff) -> dict[str, t.Any]:
    return {
        "units": len(outcome.units),
        "total_changes": sum(1 for u in outcome.units if u.delta),
        "grade_changes": outcome.grade_changes,
        "rank_changes": sum(1 for u in outcome.units if u.old_rank != u.new_rank),
        "spearman": outcome.spearman,
        "largest_movers": [u.id for u in outcome.movers()],
    }


def _move_text(move: t.Any, lang: str) -> str:
    if move.new is None:
        return t_(lang, f"{move.title} 不再计分（原 {format_number(move.old or 0.0)}）", f"{move.title} no longer scored (was {format_number(move.old or 0.0)})")
    if move.old is None:
        return t_(lang, f"{move.title} 新计分 {format_number(move.new)}", f"{move.title} newly scored {format_number(move.new)}")
    sign = "+" if move.delta > 0 else ""
    return f"{move.title} {sign}{format_number(move.delta)}"


def diff_markdown(old: Scheme, new: Scheme, changes: t.Sequence[Change], outcome: OutcomeDiff, lang: str = "zh",
                  sweep: dict[str, t.Any] | None = None, template_name: str = "diff.md.j2") -> str:
    """The comparison as Markdown (or, with ``diff.html.j2``, a printable HTML page):
    rule changes, then the units whose outcome moved."""
    p = new.precision
    rows = []
    for u in outcome.units:
        if not u.changed:
            continue
        tags = [f"+{x}" for x in (*u.labels_gained, *u.vetoes_gained)] + [f"−{x}" for x in (*u.labels_lost, *u.vetoes_lost)]
        moves = [_move_text(m, lang) for m in u.causes[:3]]
        old_scale, new_scale = u.rescaled
        if new_scale is not None and old_scale != new_scale:
            moves.insert(0, t_(lang, f"折算（适用满分 {format_number(new_scale)} → {new.rescale_full:g}）",
                               f"rescaled (applicable {format_number(new_scale)} → {new.rescale_full:g})"))
        causes = "；".join(moves)
        rows.append({
            "id": u.id, "name": u.name,
            "old_total": format_score(u.old_total, p), "new_total": format_score(u.new_total, p),
            "delta": "—" if u.delta is None else (("+" if u.delta > 0 else "") + format_score(u.delta, p)),
            "old_grade": u.old_grade, "new_grade": u.new_grade,
            "rank": f"{u.old_rank or '—'} → {u.new_rank or '—'}",
            "tags": "、".join(tags), "causes": causes,
        })
    # Grade changes first (what decisions turn on), then rank changes, then the largest moves.
    order = {u.id: (u.old_grade == u.new_grade, u.old_rank == u.new_rank, -abs(u.delta or 0.0), u.id) for u in outcome.units}
    rows.sort(key=lambda r: order[str(r["id"])])
    change_rows = [
        {"kind": _pick(change_kind_title(c.kind), lang), "id": c.id, "title": c.title, "old": c.old, "new": c.new,
         "where": " → ".join(str(loc.line) for loc in (c.old_location, c.new_location) if loc is not None and loc.line)}
        for c in changes
    ]
    template = _environment(lang).get_template(template_name)
    return template.render(old=old, new=new, changes=change_rows, summary=_diff_summary(outcome), units=rows,
                           unchanged=len(outcome.units) - len(rows), sweep=sweep)
