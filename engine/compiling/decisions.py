"""What is decided about a unit once its items are scored: ``vetoes:``,
``grades:``, ``manual:``, ``rankings:`` and ``actions:`` → their model objects.

Each reads the names visible at its stage (engine.compiling.scope): vetoes the
inputs through the scores; grades also the vetoes and the numeric grades before
them; rankings every grade and the rankings before them; actions every ranking
(did the unit get a label?) and the actions before them. Checked here: a
forced grade the grade can take, one primary grade (or one per unit type),
manual grading of a real grade from a per-unit input, ranking tiers of one
kind each, shares between 0 and 1.
"""

from __future__ import annotations

import dataclasses
import math
import typing as t

from engine.expressions import BOOL, NUMBER, Expression, ValueType
from engine.loader import YamlPath
from engine.messages import Text, closest
from engine.model import Action, Grade, Manual, RankTier, Ranking, Veto
from engine import quotas
from engine.compiling import bands as banding
from engine.compiling.items import applies_to
from engine.compiling.scope import TOTAL
from engine.compiling.state import Compilation


def vetoes(c: Compilation) -> tuple[Veto, ...]:
    """``vetoes:`` → each veto, whose ``when`` reads the inputs through the scores."""
    names = c.scope.visible("vetoes")
    out = []
    for i, spec in enumerate(_specs(c, "vetoes")):
        path: YamlPath = ("vetoes", i)
        c.claim_id(spec["id"], path)
        when = c.expression(path + ("when",), names, BOOL, Text(f"一票否决 {spec['id']}", f"veto {spec['id']}"))
        effect = spec.get("effect", "disqualify")
        if effect == "force_grade" and "grade" not in spec:
            c.problem("missing_key", path, key="grade")
        if when is not None:
            out.append(Veto(spec["id"], spec["title"], when, effect, spec.get("grade"), c.at(path)))
    return tuple(out)


def check_forced_grades(c: Compilation, vetoes: tuple[Veto, ...], grades: tuple[Grade, ...]) -> None:
    """A veto forcing ``grade: 不合各`` must force a value the grade can take
    (a band's value or label, or its ``otherwise``) — else nobody would match it."""
    primaries = [g for g in grades if g.primary] or list(grades[-1:])
    if not primaries:
        return
    values: list[str | float] = []
    shown: list[str] = []
    for grade in primaries:
        for band in grade.bands:
            values.append(band.result)
            text = band.result if isinstance(band.result, str) else f"{band.result:g}"
            shown.append(f"{text}（{band.label}）" if band.label and band.label != text else text)
        if grade.otherwise is not None:
            values.append(grade.otherwise)
            shown.append(str(grade.otherwise))
    for veto in vetoes:
        if veto.effect != "force_grade" or veto.grade is None:
            continue
        forced = veto.grade
        if any(_same_value(forced, v) for v in values):
            continue
        texts = list(dict.fromkeys(v if isinstance(v, str) else f"{v:g}" for v in values))
        shown = list(dict.fromkeys(shown))
        index = next(k for k, spec in enumerate(_specs(c, "vetoes")) if isinstance(spec, dict) and spec.get("id") == veto.id)
        c.problem("forced_grade_unknown", ("vetoes", index, "grade"), found=str(forced), grade="、".join(g.id for g in primaries),
                  suggest=closest(str(forced), texts), allowed="、".join(shown))


def grades(c: Compilation) -> tuple[Grade, ...]:
    """``grades:`` → each grade (the last is primary unless one says so); a numeric grade is a number later grades read."""
    names = c.scope.visible("grades")
    out: list[Grade] = []
    specs = _specs(c, "grades")
    primaries = [i for i, spec in enumerate(specs) if spec.get("primary")]
    # Several primaries are fine when each covers its own unit types (班子 / 干部).
    untyped = [i for i in primaries if "applies_to" not in specs[i]]
    if len(untyped) > 1 or (untyped and len(primaries) > 1):
        c.problem("primary_grades", ("grades", primaries[1], "primary"), count=len(primaries))
    for i, spec in enumerate(specs):
        path: YamlPath = ("grades", i)
        c.claim_id(spec["id"], path)
        of_source = spec.get("of", TOTAL)
        if isinstance(of_source, str) and of_source.strip() in {g.id for g in out}:
            earlier = next(g for g in out if g.id == of_source.strip())
            if not earlier.numeric:
                c.problem("band_value_type", path + ("of",), grade=spec["id"], of=earlier.id)
                continue
        what = Text(f"评定 {spec['id']}", f"grade {spec['id']}")
        of = c.value_or_total(spec, "of", path, names, what)
        bands = banding.bands(c, spec["bands"], path + ("bands",), "value")
        banding.check_bands(c, bands, path + ("bands",), banding.domain_of(c, of), gaps="otherwise" not in spec)
        numeric = all(isinstance(b.result, float) for b in bands)
        if of is None:
            continue
        grade = Grade(spec["id"], spec["title"], of, bands, spec.get("otherwise"), bool(spec.get("primary")), numeric, c.at(path),
                      applies_to(c, spec, path))
        out.append(grade)
        if numeric:
            names[grade.id] = NUMBER
    if out and not primaries:
        # Without an explicit primary the last grade (the most derived) is the result's grade.
        last = out[-1]
        out[-1] = dataclasses.replace(last, primary=True)
    return tuple(out)


def grade_names(grades: tuple[Grade, ...]) -> dict[str, ValueType]:
    """The grades stage's names for what comes after: a numeric grade a number, any other its text."""
    return {g.id: NUMBER if g.numeric else ValueType("text") for g in grades}


def manual(c: Compilation, grades: tuple[Grade, ...]) -> Manual | None:
    """``manual:`` → the grade set by hand from a per-unit input (``missing: skip``)."""
    spec = t.cast(dict[str, t.Any], c.data).get("manual")
    if not spec:
        return None
    ident = spec["input"]
    declared = c.inputs.get(ident)
    if declared is None:
        c.problem("manual_input", ("manual", "input"), name=ident, problem=Text("未声明", "is not declared"))
    elif declared.per is not None or declared.missing != "skip":
        c.problem("manual_input", ("manual", "input"), name=ident, problem=Text("须按单位填写且 missing: skip", "must be per unit with missing: skip"))
    if spec["grade"] not in {g.id for g in grades}:
        c.problem("manual_grade", ("manual", "grade"), name=spec["grade"])
    return Manual(ident, spec["grade"])


def rankings(c: Compilation, grades: tuple[Grade, ...]) -> tuple[Ranking, ...]:
    """``rankings:`` → each ranking and its tiers; a later ranking may draw from an earlier one (模范 among 先进)."""
    names = c.scope.visible("rankings")
    out = []
    for i, spec in enumerate(_specs(c, "rankings")):
        path: YamlPath = ("rankings", i)
        c.claim_id(spec["id"], path)
        what = Text(f"排名评选 {spec['id']}", f"ranking {spec['id']}")
        by = c.value_or_total(spec, "by", path, names, what)
        among = c.expression(path + ("among",), names, BOOL, what) if "among" in spec else None
        breaks = [c.expression(path + ("tie_break", k), names, NUMBER, what) for k in range(len(spec.get("tie_break", [])))]
        tiers = []
        for k, tier in enumerate(spec["tiers"]):
            tpath = path + ("tiers", k)
            kinds = [key for key in ("count", "share", "rest") if key in tier and tier[key] is not False]
            if len(kinds) != 1:
                c.problem("schema_other", tpath, reason=Text("每一档写 count（名额）、share（比例）或 rest: true 之一", "each tier takes exactly one of count, share or rest: true"))
                continue
            share = _share(tier["share"]) if "share" in tier else None
            if "share" in tier and share is None:
                c.problem("wrong_type", tpath + ("share",), expected=Text("0 到 1 之间的比例（至多 6 位小数），如 0.4 或 \"1/3\"", "a share between 0 and 1 (at most 6 decimals), e.g. 0.4 or \"1/3\""), found=repr(tier["share"]))
                continue
            tiers.append(RankTier(tier["label"], tier.get("count"), share, bool(tier.get("rest")), c.at(tpath),
                                  *quotas.tier_bounds(c, tier, tpath)))
        if "grade" in spec and spec["grade"] not in {g.id for g in grades}:
            c.problem("manual_grade", path + ("grade",), name=spec["grade"])
            continue
        if not quotas.check_base(c, spec, path) or by is None or ("among" in spec and among is None) or any(b is None for b in breaks):
            continue
        names[spec["id"]] = BOOL
        out.append(Ranking(
            spec["id"], spec["title"], by, spec.get("order", "desc") == "desc", tuple(t.cast(list[Expression], breaks)),
            # A bottom ranking is a penalty: units tied at its edge are all in (include);
            # a top ranking is an award: a tie that does not fit is left out (exclude).
            spec.get("ties", "include" if spec.get("order", "desc") == "asc" else "exclude"), among, bool(spec.get("per_group")), spec.get("min_group"),
            spec.get("share_of", "pool"), spec.get("rounding", "floor"), tuple(tiers), c.at(path),
            spec.get("grade"), spec.get("disqualified", "exclude") == "include",
            bool(spec.get("published", spec.get("order", "desc") == "desc")),
        ))
    return tuple(out)


def actions(c: Compilation) -> tuple[Action, ...]:
    """``actions:`` → consequences, decided last: they may use grades (as text or numbers),
    rankings (did the unit get a label?) and the actions before them."""
    names = c.scope.visible("actions")
    out = []
    for i, spec in enumerate(_specs(c, "actions")):
        path: YamlPath = ("actions", i)
        c.claim_id(spec["id"], path)
        when = c.expression(path + ("when",), names, BOOL, Text(f"结果运用 {spec['id']}", f"action {spec['id']}"))
        if when is not None:
            out.append(Action(spec["id"], spec["title"], when, c.at(path), bool(spec.get("published", False))))
            names[spec["id"]] = BOOL
    return tuple(out)


def _specs(c: Compilation, key: str) -> list[dict[str, t.Any]]:
    """The list written under ``key`` (none: empty)."""
    return t.cast(dict[str, t.Any], c.data).get(key, []) or []


def _same_value(a: t.Any, b: t.Any) -> bool:
    """A forced grade value equals a band value: as text, or as numbers (8 and 8.0)."""
    if isinstance(a, str) or isinstance(b, str):
        return str(a).strip() == str(b).strip()
    return math.isclose(float(a), float(b))


def _share(value: t.Any) -> tuple[int, int] | None:
    """An exact share from 0.4, "40%" or "1/3"; None when not a share in [0, 1].

    >>> _share(0.4), _share("1/3"), _share("40%"), _share(1.5)
    ((2, 5), (1, 3), (2, 5), None)
    """
    from fractions import Fraction

    try:
        if isinstance(value, str) and value.strip().endswith("%"):
            share = Fraction(value.strip()[:-1]) / 100
        else:
            share = Fraction(str(value).strip())
    except (ValueError, ZeroDivisionError):
        return None
    # A denominator beyond a million is no share a document states (1e-20 of a
    # county); it would also overflow the integer seat arithmetic.
    if not 0 <= share <= 1 or share.denominator > 1_000_000:
        return None
    return share.numerator, share.denominator
