"""Outcomes → the ranked table: CSV (``kaohe run --format csv``) and Markdown (the default),
and the column texts other writers share (listing order, scores, grade labels, awards).

Every number is a rounded score written from its decimal form, so no float
artefact (0.30000000000000004) can appear; columns are formatted a column at
a time, byte for byte what formatting each cell would write.
"""

from __future__ import annotations

import csv
import io
import typing as t

import numpy as np
import numpy.typing as npt

from engine import to_date
from engine.context import DEFAULT, Context
from engine.evaluate import Results
from engine.grade import Outcomes
from engine.model import Grade
from engine.numbers import format_score
from engine.templating import environment

if t.TYPE_CHECKING:
    import polars as pl  # imported where used: `kaohe validate` need not load it


def unit_order(outcomes: Outcomes) -> list[int]:
    """Units by rank (unranked last), then by id — the order of every listing."""
    listed: list[int] = outcomes.listing.tolist()
    return listed


def order_index(outcomes: Outcomes) -> npt.NDArray[np.intp]:
    """:func:`unit_order` as an index array (for taking whole columns; read-only)."""
    return outcomes.listing


def to_csv(outcomes: Outcomes, context: Context = DEFAULT) -> str:
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
    header = context.say(["排名", "编号", "名称", scheme.group_title, "组内排名", "总分"], ["rank", "id", "name", "group", "group rank", "total"])
    header += [g.title for g in scheme.grades]
    header += [p.title for p in scheme.parts if p.explicit]
    header += [f"{n.title}[{n.id}]" for n in nodes]
    header += context.say(["评选", "一票否决"], ["awards", "vetoes"])
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow([guard_formula(cell) for cell in header])
    p = scheme.precision
    order = order_index(outcomes)
    total = format_score_column(results.total[order], p)
    manual = results.manual[order]
    if manual.any():
        total = total.scatter(np.flatnonzero(manual), context.say("直接评定", "by hand"))
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


def to_markdown(outcomes: Outcomes, context: Context = DEFAULT) -> str:
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
    template = environment(context).get_template("ranking.md.j2")
    return template.render(
        scheme=scheme,
        units=rows,
        manual_count=int(results.manual.sum()),
        parts=[part for part in scheme.parts if part.explicit],
        adjustments=scheme.adjustments,
        grades=scheme.grades,
        has_vetoes=bool(scheme.vetoes),
        has_labels=bool(scheme.rankings or scheme.actions),
        has_groups=units.has_groups,
        has_manual=scheme.manual is not None,
        to_date=to_date.note(scheme, context),  # a run to date: how far it goes, what is pending
    )
