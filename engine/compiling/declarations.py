"""The names declared before the items: ``dimensions:``, ``inputs:``, ``params:``,
``history:`` and ``derived:``, each → its model objects and the names it adds
to the scope (engine.compiling.scope), in the order of :data:`~engine.compiling.scope.STAGES`.

Checked here: dimensions an input is ``per`` that exist, ranges with the low
end first, ``values`` only on category inputs, ``missing: skip`` only where
a unit may leave the input out, names that shadow an input, history that
refers to a grade, veto, ranking, action, ``total`` or ``rank``, derived
values over the names declared before them.
"""

from __future__ import annotations

import typing as t

from engine.expressions import BOOL, NUMBER, ValueType
from engine.loader import YamlPath
from engine.messages import Text, closest
from engine.model import Derived, Dimension, History, Input, Param
from engine import selfcheck
from engine.compiling.scope import TOTAL, UNIT_TYPE
from engine.compiling.state import Compilation, value_text

_KINDS: dict[str, t.Literal["number", "bool", "text"]] = {
    "number": "number", "count": "number", "percentage": "number", "boolean": "bool", "category": "text",
}


def dimensions(c: Compilation) -> dict[str, Dimension]:
    """``dimensions:`` → each dimension (a closed one with its labels)."""
    out: dict[str, Dimension] = {}
    for ident, spec in (t.cast(dict[str, t.Any], c.data).get("dimensions") or {}).items():
        values = spec.get("values")
        out[ident] = Dimension(
            id=ident,
            title=spec["title"],
            values=tuple(value_text(v) for v in values) if values is not None else None,
            location=c.at(("dimensions", ident)),
        )
    return out


def inputs(c: Compilation, dims: t.Mapping[str, Dimension]) -> dict[str, Input]:
    """``inputs:`` → each input; one marked ``self_assessed`` gets its ``<id>_self`` companion (自评值) beside it."""
    data = t.cast(dict[str, t.Any], c.data)
    manual_input = (data.get("manual") or {}).get("input")
    out: dict[str, Input] = {}
    for ident, spec in (data.get("inputs") or {}).items():
        path: YamlPath = ("inputs", ident)
        per = spec.get("per")
        if per is not None and per not in dims:
            c.problem("unknown_dimension", path + ("per",), name=per, suggest=closest(per, dims), allowed=", ".join(dims) or "—")
        bounds = spec.get("range")
        if bounds is not None and bounds[0] > bounds[1]:
            c.problem("bad_range", path + ("range",), lo=bounds[0], hi=bounds[1])
        if spec["type"] == "percentage" and bounds is None:
            bounds = [0, 100]
        if "values" in spec and spec["type"] != "category":
            c.problem("values_only_category", path + ("values",))
        missing = spec.get("missing", "error")
        if missing == "skip" and per is None and ident != manual_input:
            c.problem("skip_needs_dimension", path + ("missing",), name=ident)
        out[ident] = Input(
            id=ident,
            title=spec["title"],
            type=spec["type"],
            range=(float(bounds[0]), float(bounds[1])) if bounds is not None else None,
            values=tuple(value_text(v) for v in spec["values"]) if "values" in spec else None,
            per=per,
            missing=missing,
            location=c.at(path),
            entered_by=str(spec.get("entered_by", "")),
            note=str(spec.get("note", "")),
            optional=bool(spec.get("optional", False)),
        )
    return selfcheck.companions(c, out, data.get("inputs") or {})


def input_names(c: Compilation) -> dict[str, ValueType]:
    """The inputs stage's names: each input by its type, and every unit's type as ``unit_type`` (``unit_type == '乡镇'``)."""
    names = {name: ValueType(_KINDS[i.type], i.per) for name, i in c.inputs.items()}
    if UNIT_TYPE in c.inputs:
        c.problem("id_shadows_input", ("inputs", UNIT_TYPE), at_key=True, id=UNIT_TYPE)
    names[UNIT_TYPE] = ValueType("text")
    return names


def input_categories(c: Compilation) -> dict[str, tuple[str, ...]]:
    """The values a category input (and ``unit_type``) may be compared with."""
    categories = {ident: spec.values for ident, spec in c.inputs.items() if spec.type == "category" and spec.values}
    if c.unit_types:
        categories[UNIT_TYPE] = c.unit_types
    return categories


def params(c: Compilation) -> dict[str, Param]:
    """``params:`` → each parameter (a number by its id; one that shadows an earlier name is left out)."""
    visible = c.scope.visible("params")
    out: dict[str, Param] = {}
    for ident, spec in (t.cast(dict[str, t.Any], c.data).get("params") or {}).items():
        if ident in visible:
            c.problem("id_shadows_input", ("params", ident), at_key=True, id=ident)
            continue
        out[ident] = Param(ident, spec["title"], float(spec["value"]), c.at(("params", ident)))
    return out


def dimension_names(c: Compilation, dims: t.Mapping[str, Dimension]) -> dict[str, ValueType]:
    """The dimensions stage's names: a closed dimension's id names its labels (``month <= 3``),
    for per-period conditions — a number when every label is one, else text."""
    names: dict[str, ValueType] = {}
    for ident, dim in dims.items():
        if dim.values is None:
            continue
        if ident in c.inputs:
            c.problem("id_shadows_input", ("dimensions", ident), at_key=True, id=ident)
        numeric = all(_is_number(v) for v in dim.values)
        names[ident] = ValueType("number" if numeric else "text", ident)
    return names


def dimension_categories(dims: t.Mapping[str, Dimension]) -> dict[str, tuple[str, ...]]:
    """The labels of each closed dimension whose labels are not all numbers: the values its id may be compared with."""
    return {ident: dim.values for ident, dim in dims.items() if dim.values is not None and not all(_is_number(v) for v in dim.values)}


def history(c: Compilation) -> tuple[tuple[History, ...], dict[str, ValueType]]:
    """``history:`` → earlier periods' outcomes, and their names (usable like per-unit inputs)."""
    data = t.cast(dict[str, t.Any], c.data)
    kinds: dict[str, str] = {TOTAL: "total", "rank": "rank"}
    for section, kind in (("grades", "grade"), ("vetoes", "veto"), ("rankings", "ranking"), ("actions", "action")):
        for spec in data.get(section, []) or []:
            if isinstance(spec, dict) and "id" in spec:
                kinds[spec["id"]] = kind
    types = {"grade": ValueType("text"), "total": NUMBER, "rank": NUMBER}
    out = []
    names: dict[str, ValueType] = {}
    for i, spec in enumerate(data.get("history", []) or []):
        path: YamlPath = ("history", i)
        c.claim_id(spec["id"], path)
        other = spec.get("scheme")
        back = int(spec.get("back", 1))
        if other is not None and other != data["id"]:
            # Another scheme's ids are not known here: the author declares the type.
            if "type" not in spec:
                c.problem("missing_key", path, key="type")
                continue
            declared = {"boolean": BOOL, "text": ValueType("text"), "number": NUMBER}[spec["type"]]
            out.append(History(spec["id"], spec["title"], spec["of"], back, spec["type"], c.at(path), other))
            names[spec["id"]] = declared
            continue
        if back < 1:
            c.problem("out_of_bounds", path + ("back",), found=back, expected=Text("≥ 1（本方案本期的结果还没有产生）", "≥ 1 (this period's own results do not exist yet)"))
            continue
        found = kinds.get(spec["of"])
        if found is None:
            c.problem("unknown_history_ref", path + ("of",), name=spec["of"], suggest=closest(spec["of"], kinds), allowed=", ".join(kinds))
            continue
        out.append(History(spec["id"], spec["title"], spec["of"], int(spec.get("back", 1)), found, c.at(path)))
        names[spec["id"]] = types.get(found, BOOL)
    return tuple(out), names


def derived(c: Compilation) -> tuple[tuple[Derived, ...], dict[str, ValueType]]:
    """``derived:`` → named values, and their names; each reads the earlier stages' names and the derived values before it."""
    names = c.scope.visible("derived")
    own: dict[str, ValueType] = {}
    out = []
    for i, spec in enumerate(t.cast(dict[str, t.Any], c.data).get("derived", []) or []):
        path: YamlPath = ("derived", i)
        c.claim_id(spec["id"], path)
        kind = BOOL if spec.get("type") == "boolean" else NUMBER
        value = c.expression(path + ("value",), names, kind, Text(f"计算值 {spec['id']}", f"derived value {spec['id']}"))
        if value is not None:
            out.append(Derived(spec["id"], spec["title"], value, c.at(path)))
            names[spec["id"]] = own[spec["id"]] = kind
    return tuple(out), own


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
