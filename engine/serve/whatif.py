"""What-if: the scheme's params and part weights as form values → ``PATH=VALUE``
edits (:mod:`engine.overrides`, as ``kaohe diff --set``) → the outcome diff
against the saved scheme (:mod:`engine.diff`); and "save as a version" → a
child scheme with ``extends`` + the changed values, which ``kaohe diff`` compares.
"""

from __future__ import annotations

import dataclasses
import re
import typing as t
from decimal import Decimal, InvalidOperation
from pathlib import Path

from engine.errors import Location, Problem, UsageError
from engine.numbers import format_number

from engine.data import Dataset

if t.TYPE_CHECKING:
    from engine.context import Context
    from engine.diff_pages import UnitEntry
    from engine.grade import Outcomes
    from engine.model import Scheme


@dataclasses.dataclass(frozen=True)
class Field:
    """One value of the what-if form: a param or an explicit part's weight."""

    name: str
    path: str
    title: str
    value: str
    weight: bool
    #: Fields of one group stay summing to 1 on the form: "parts" (part weights) or "params" (weight params).
    linked: str = ""


def fields(scheme: Scheme) -> list[Field]:
    """The form's fields: every param, then every weighted part's weight."""
    # Params that are weights (名 …权重 or id …weight) and sum to 1, like 基础积分 0.8 / 测评 0.2, move together.
    weights = [p for p in scheme.params.values() if "权重" in p.title or p.id.endswith("weight")]
    linked = {p.id for p in weights} if len(weights) > 1 and sum(Decimal(format_number(p.value)) for p in weights) == 1 else set()
    out = [Field(f"param.{p.id}", f"params.{p.id}.value", p.title or p.id, format_number(p.value), False,
                 "params" if p.id in linked else "") for p in scheme.params.values()]
    parts = [p for p in scheme.parts if p.explicit]
    out += [Field(f"weight.{p.id}", f"{p.id}.weight", p.title, format_number(p.weight), True, "parts" if len(parts) > 1 else "")
            for p in parts]
    return out


def edits(scheme: Scheme, form: t.Mapping[str, str]) -> tuple[list[str], dict[str, str]]:
    """The ``PATH=VALUE`` edits of the values that differ from the scheme's, and the form's values.

    Raises:
        UsageError: a value that is not a finite number, named by its field's title.
    """
    assignments, values, problems = [], {}, []
    for field in fields(scheme):
        given = str(form.get(field.name, field.value)).strip().replace("，", ".")
        values[field.name] = given
        try:
            number = Decimal(given)
            finite = number.is_finite()
        except InvalidOperation:
            finite = False
        if not finite:
            problems.append(Problem.at("serve_bad_number", Location(field.title), found=given))
            continue
        if number != Decimal(field.value):
            assignments.append(f"{field.path}={given}")
    if problems:
        raise UsageError(problems)
    return assignments, values


def compare(scheme_file: Path, data: Path | Dataset, assignments: t.Sequence[str], context: Context) -> dict[str, object]:
    """The saved scheme and the edited one scored on ``data`` (a folder, or the dataset an
    assessment read already — params and weights do not change what is read): the diff
    document of ``kaohe diff --format json`` (rule changes, units with grade/rank moves and their causes),
    each unit's numbers also as printed (``old_total_text`` …, a cause's ``delta_text``), with
    ``moved`` (the units whose outcome moved, grade changes first) and the grade counts before and after."""
    from engine.compiler import compile_scheme
    from engine.diff import diff_outcomes, diff_schemes
    from engine.inherit import load_scheme
    from engine.overrides import apply_overrides
    from engine.pipeline import DatasetCache, assess
    from engine.diff_pages import diff_document

    context = dataclasses.replace(context, quiet=True)
    raw = load_scheme(scheme_file)
    old, _ = compile_scheme(raw)
    new, _ = compile_scheme(apply_overrides(raw, assignments)) if assignments else (old, ())
    cache = DatasetCache()
    source: t.Sequence[Path] | Dataset = data if isinstance(data, Dataset) else [data]
    before = assess(old, source, context, cache=cache)
    after = assess(new, source, context, cache=cache)
    document = diff_document(old, new, diff_schemes(old, new), diff_outcomes(before, after))
    units = document["units"]
    shown = [_printed(unit, new.precision) for unit in units]
    moved = [k for k, u in enumerate(units) if u["old_grade"] != u["new_grade"] or u["old_rank"] != u["new_rank"] or u["delta"]
             or u["labels_gained"] or u["labels_lost"] or u["vetoes_gained"] or u["vetoes_lost"]]
    # Grade changes first (what decisions turn on), then rank moves, then the largest changes.
    moved.sort(key=lambda k: (units[k]["old_grade"] == units[k]["new_grade"], units[k]["old_rank"] == units[k]["new_rank"],
                              -abs(units[k]["delta"] or 0)))
    return {**document, "units": shown, "moved": [shown[k] for k in moved],
            "grades_before": _grade_counts(before), "grades_after": _grade_counts(after)}


def _printed(unit: UnitEntry, precision: int) -> dict[str, object]:
    """A unit of the diff document with its totals and changes also as printed at the scheme's
    precision (92.40, +1.50), as every report prints them."""
    from engine.numbers import format_score

    def signed(value: float | None) -> str:
        if value is None:
            return "—"
        return ("+" if value > 0 else "") + format_score(value, precision)

    old_total, new_total = unit["old_total"], unit["new_total"]
    return {**unit, "causes": [{**cause, "delta_text": signed(cause["delta"])} for cause in unit["causes"]],
            "old_total_text": "—" if old_total is None else format_score(old_total, precision),
            "new_total_text": "—" if new_total is None else format_score(new_total, precision),
            "delta_text": signed(unit["delta"])}


def _grade_counts(outcomes: Outcomes) -> dict[str, int]:
    primary = outcomes.results.scheme.primary_grade
    counts: dict[str, int] = {}
    if primary is None:
        return counts
    for i in range(len(outcomes.results.data.units)):
        label = outcomes.grade_label(primary, i)
        counts[str(label or "—")] = counts.get(str(label or "—"), 0) + 1
    return counts


_VERSION_NAME = re.compile(r"[\w\u4e00-\u9fff-]{1,60}")


def save_version(scheme_file: Path, scheme: Scheme, values: t.Mapping[str, str], name: str) -> Path:
    """A child scheme ``<file>-<name>.yaml`` beside ``scheme_file``: ``extends`` it and
    holds the changed params (merged by key) and part weights (``override``).

    Raises:
        UsageError: a name with characters a file name should not hold, no change, or the file exists.
    """
    import yaml

    name = name.strip()
    if not _VERSION_NAME.fullmatch(name):
        raise UsageError([Problem.at("serve_version_name", Location(name or "—"))])
    target = scheme_file.with_name(f"{scheme_file.stem}-{name}.yaml")
    if target.exists():
        raise UsageError([Problem.at("serve_version_exists", Location(target.name))])
    params: dict[str, object] = {}
    override: dict[str, object] = {}
    for field in fields(scheme):
        given = values.get(field.name, field.value)
        if Decimal(given) == Decimal(field.value):
            continue
        number = float(given) if "." in given or "e" in given.lower() else int(given)
        if field.weight:
            override[field.name.split(".", 1)[1]] = {"weight": number}
        else:
            param = scheme.params[field.name.split(".", 1)[1]]
            params[param.id] = {"title": param.title, "value": number}
    if not params and not override:
        raise UsageError([Problem.at("serve_version_unchanged", Location(scheme_file.name))])
    body: dict[str, object] = {"extends": scheme_file.name, "version": f"{scheme.version}-{name}"}
    if params:
        body["params"] = params
    if override:
        body["override"] = override
    text = (f"# {scheme.title}：{name}（kaohe serve 试算保存的版本）\n"
            f"# 比较: kaohe diff {scheme_file.name} {target.name} --data …\n"
            + yaml.safe_dump(body, allow_unicode=True, sort_keys=False))
    from engine.files import write_atomic

    write_atomic(target, text)
    return target
