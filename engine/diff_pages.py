"""Two versions of a scheme and their outcomes → the comparison: the JSON document of
``kaohe diff --format json``, and the Markdown (or printable HTML) page of the rule
changes and the units whose outcome moved; and the grade order every count of
units per grade is listed in.
"""

from __future__ import annotations

import typing as t
from pathlib import Path

from engine.context import DEFAULT, Context
from engine.diff import Change, ChangeKind, ItemMove, OutcomeDiff, change_kind_title
from engine.model import Scheme
from engine.numbers import format_number, format_score, plain
from engine.templating import environment

if t.TYPE_CHECKING:
    from engine.sweep import SweepTable


class Version(t.TypedDict):
    """Which scheme version a diff document compares."""

    id: str
    version: str
    title: str
    file: str


class ChangeEntry(t.TypedDict):
    """One rule change (engine.diff.Change) with the lines it is on."""

    kind: ChangeKind
    id: str
    title: str
    old: str | None
    new: str | None
    old_line: int | None
    new_line: int | None


class CauseEntry(t.TypedDict):
    """How one item's score moved for a unit (JSON numbers: 85.0 as 85)."""

    id: str
    title: str
    old: float | int | None
    new: float | int | None
    delta: float | int


class Rescaled(t.TypedDict):
    """Applicable full marks of a unit a version rescales (折算), old and new."""

    old_applicable: float | None
    new_applicable: float | None


class UnitEntry(t.TypedDict):
    """One unit under both versions."""

    id: str
    name: str
    old_total: float | int | None
    new_total: float | int | None
    delta: float | int | None
    old_grade: str | None
    new_grade: str | None
    old_rank: int | None
    new_rank: int | None
    labels_gained: list[str]
    labels_lost: list[str]
    vetoes_gained: list[str]
    vetoes_lost: list[str]
    causes: list[CauseEntry]
    rescaled: Rescaled


class Summary(t.TypedDict):
    """How many units moved, and how the ranks correlate."""

    units: int
    total_changes: int
    grade_changes: int
    rank_changes: int
    spearman: float | None
    largest_movers: list[str]


class DiffDocument(t.TypedDict):
    """The JSON document of ``kaohe diff --format json``."""

    old: Version
    new: Version
    changes: list[ChangeEntry]
    summary: Summary
    units: list[UnitEntry]
    #: Only when swept (engine.sweep.run_sweep).
    sweep: t.NotRequired[SweepTable]


def diff_document(old: Scheme, new: Scheme, changes: t.Sequence[Change], outcome: OutcomeDiff,
                  sweep: SweepTable | None = None) -> DiffDocument:
    """The JSON document of ``kaohe diff --format json``."""
    precision = new.precision

    def num(value: float | None) -> float | int | None:
        return None if value is None else plain(value)

    document: DiffDocument = {
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
    }
    if sweep:
        document["sweep"] = sweep
    return document


def grade_order(scheme: Scheme) -> list[str]:
    """The labels of the scheme's grades in the order the scheme writes their bands (the
    primary grades first, best band first as schemes list them; then ``otherwise``, then "—"):
    one fixed order for every count of units per grade (summary, sweep rows)."""
    grades = sorted(scheme.grades, key=lambda g: not g.primary)
    out: list[str] = []
    for grade in grades:
        for value in [band.result for band in grade.bands] + ([grade.otherwise] if grade.otherwise is not None else []):
            label = grade.label_of(value)
            if label is not None and label not in out:
                out.append(label)
    return out + ["—"]


def ordered_counts(counts: t.Mapping[str, int], scheme: Scheme) -> dict[str, int]:
    """``counts`` of units per grade label in :func:`grade_order` (unknown labels last, as found)."""
    order = {label: k for k, label in enumerate(grade_order(scheme))}
    return dict(sorted(counts.items(), key=lambda kv: order.get(kv[0], len(order))))


def comparison_title(old: Scheme, new: Scheme, context: Context = DEFAULT) -> str:
    """What a comparison compares, for its title: two files by their titles and versions, a
    ``--set`` variant by what was set ("党员积分制：base_weight 改为 0.7"), never "（2013）→（2013）"."""
    marker = " (--set "
    if marker in new.file and old.file.split(marker, 1)[0] == new.file.split(marker, 1)[0]:
        edits = new.file.split(marker, 1)[1].rstrip(")")
        return context.say(f"{old.title}：试改 {edits.replace('; ', '，')}", f"{old.title}: trying {edits}")
    if (old.title, old.version) == (new.title, new.version):
        return context.say(f"{old.title}（{old.version}）：{Path(old.file).name} 与 {Path(new.file).name}",
                  f"{old.title} ({old.version}): {Path(old.file).name} and {Path(new.file).name}")
    return f"{old.title}（{old.version}）→ {new.title}（{new.version}）"


def _diff_summary(outcome: OutcomeDiff) -> Summary:
    return {
        "units": len(outcome.units),
        "total_changes": sum(1 for u in outcome.units if u.delta),
        "grade_changes": outcome.grade_changes,
        "rank_changes": sum(1 for u in outcome.units if u.old_rank != u.new_rank),
        "spearman": outcome.spearman,
        "largest_movers": [u.id for u in outcome.movers()],
    }


def _move_text(move: ItemMove, context: Context) -> str:
    if move.new is None:
        return context.say(f"{move.title} 不再计分（原 {format_number(move.old or 0.0)}）", f"{move.title} no longer scored (was {format_number(move.old or 0.0)})")
    if move.old is None:
        return context.say(f"{move.title} 新计分 {format_number(move.new)}", f"{move.title} newly scored {format_number(move.new)}")
    sign = "+" if move.delta > 0 else ""
    return f"{move.title} {sign}{format_number(move.delta)}"


def diff_markdown(old: Scheme, new: Scheme, changes: t.Sequence[Change], outcome: OutcomeDiff, context: Context = DEFAULT,
                  sweep: SweepTable | None = None, template_name: str = "diff.md.j2") -> str:
    """The comparison as Markdown (or, with ``diff.html.j2``, a printable HTML page):
    rule changes, then the units whose outcome moved."""
    p = new.precision
    rows = []
    for u in outcome.units:
        if not u.changed:
            continue
        tags = [f"+{x}" for x in (*u.labels_gained, *u.vetoes_gained)] + [f"−{x}" for x in (*u.labels_lost, *u.vetoes_lost)]
        moves = [_move_text(m, context) for m in u.causes[:3]]
        old_scale, new_scale = u.rescaled
        if new_scale is not None and old_scale != new_scale:
            moves.insert(0, context.say(f"折算（适用满分 {format_number(new_scale)} → {new.rescale_full:g}）",
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
        {"kind": context.pick(change_kind_title(c.kind)), "id": c.id, "title": c.title, "old": c.old, "new": c.new,
         "where": " → ".join(str(loc.line) for loc in (c.old_location, c.new_location) if loc is not None and loc.line)}
        for c in changes
    ]
    template = environment(context).get_template(template_name)
    return template.render(old=old, new=new, changes=change_rows, summary=_diff_summary(outcome), units=rows,
                           unchanged=len(outcome.units) - len(rows), sweep=sweep, title=comparison_title(old, new, context))
