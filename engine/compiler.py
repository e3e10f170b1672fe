"""Compile a structurally valid RawScheme into a frozen Scheme, collecting every
semantic problem on the way.

Checks made here (each located at its YAML line): unique ids, one rule per
item, declared names in every expression and the right result types,
unit types and dimensions that exist, part weights adding up to 1, manual
grading that points at real things, finite numbers (infinity only where it
means "no bound"), category literals among the declared values, forced
grades that are values of the grade, rules that need a finite ``max``.
Warnings (the scheme still runs): section totals that differ from the
declared ``max``, tier and grade bands with gaps or overlaps, levels over a
category that leave declared values out.
"""

from __future__ import annotations

import dataclasses
import math
import typing as t
from pathlib import Path

from engine.ballots import compile_ballots
from engine.expand import expand_problems
from engine.errors import Location, Problem, SchemeError, sorted_problems
from engine.expressions import BOOL, NUMBER, Expression, ValueType, compile_expression
from engine.loader import RawScheme, YamlPath
from engine.messages import Text, closest
from engine.model import (
    Action,
    Band,
    Corrections,
    Derived,
    Dimension,
    Grade,
    History,
    Input,
    Item,
    Manual,
    Node,
    Param,
    Part,
    RankTier,
    Ranking,
    ReportOptions,
    Scheme,
    Section,
    Veto,
)
from engine.numbers import number_text
from engine.validate import validate_structure
from engine import quotas, rules, selfcheck, to_date, tree
from engine.rules import Rule
from engine.rules.scale import Scale, compile_scales

#: Name of the scheme total in veto and grade expressions.
TOTAL = "total"
#: Reserved name of each unit's type in expressions.
UNIT_TYPE = "unit_type"

_KINDS: dict[str, t.Literal["number", "bool", "text"]] = {
    "number": "number", "count": "number", "percentage": "number", "boolean": "bool", "category": "text",
}


def check_scheme(raw: RawScheme) -> tuple[Scheme | None, tuple[Problem, ...]]:
    """Validate and compile ``raw``; return the scheme (``None`` on errors) and
    every problem found, errors and warnings, sorted by position."""
    # A scheme read through engine.inherit is written out already (expanding it again changes
    # nothing); one compiled straight from text — the workbench's editor, tests — is written out here.
    raw, repeated = expand_problems(raw)
    if any(p.severity == "error" for p in repeated):
        return None, sorted_problems(repeated)
    structural = validate_structure(raw) + finite_problems(raw)
    if structural:
        return None, sorted_problems(structural)
    compiler = _Compiler(raw)
    scheme = compiler.compile()
    problems = sorted_problems(list(compiler.problems) + repeated)
    if any(p.severity == "error" for p in problems):
        return None, problems
    return scheme, problems


#: Keys whose value may be infinite because infinity means "no bound there":
#: an item's max (+∞, 不封顶) and min (−∞), a cap, band bounds and an input's range.
_UNBOUNDED = {"max": (1,), "cap": (1,), "min": (-1,), "ge": (1, -1), "gt": (1, -1), "le": (1, -1), "lt": (1, -1)}


#: Keys whose numbers are points (an item's bounds, a deduction, a band's or a level's points).
_POINT_KEYS = frozenset({"max", "min", "cap", "points", "per", "start", "otherwise"})
#: The largest points a scheme may write (docs/limits.md).
MAX_POINTS = 1e9


def finite_problems(raw: RawScheme) -> tuple[Problem, ...]:
    """Every number of ``raw`` that is not a finite float: NaN anywhere,
    infinities except where they mean "no bound", integers beyond float range.

    ``max: .nan`` would give every unit 0 and rank 1, ``range: [0, .nan]``
    switch range checks off, ``{ge: .nan}`` make a band never match.
    """
    problems: list[Problem] = []

    def walk(node: t.Any, path: YamlPath) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                walk(value, path + (key,))
        elif isinstance(node, list):
            for index, value in enumerate(node):
                walk(value, path + (index,))
        elif isinstance(node, (int, float)) and not isinstance(node, bool):
            try:
                number = float(node)
            except OverflowError:
                number = math.nan
            key = path[-1] if path and isinstance(path[-1], str) else (path[-2] if len(path) > 1 else "")
            if math.isfinite(number):
                if str(key) in _POINT_KEYS and abs(number) > MAX_POINTS:
                    # Points beyond a billion are no assessment, and sums of them overflow to infinity.
                    problems.append(Problem.at("points_too_large", raw.location(path), found=number_text(node), limit=f"{MAX_POINTS:,.0f}"))
                return
            signs = (1, -1) if key == "range" else _UNBOUNDED.get(str(key), ())
            if math.isinf(number) and isinstance(node, float) and math.copysign(1, number) in signs:
                return
            found = "NaN" if isinstance(node, float) and math.isnan(node) else number_text(node)
            problems.append(Problem.at("not_finite", raw.location(path), found=found))

    walk(raw.data, ())
    return tuple(problems)


def compile_scheme(raw: RawScheme) -> tuple[Scheme, tuple[Problem, ...]]:
    """Like :func:`check_scheme` but raise :class:`SchemeError` on errors.

    Returns:
        The scheme and its warnings.
    """
    scheme, problems = check_scheme(raw)
    if scheme is None:
        raise SchemeError([p for p in problems if p.severity == "error"])
    return scheme, problems


def value_text(value: t.Any) -> str:
    """Normalise a YAML/CSV value used as a label (1, 1.0 and "1" are all "1")."""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


class _Compiler:
    def __init__(self, raw: RawScheme) -> None:
        self.raw = raw
        self.data: dict[str, t.Any] = raw.data
        self.problems: list[Problem] = []
        self.ids: dict[str, YamlPath] = {}
        self.unit_types: tuple[str, ...] = ()
        self.inputs: dict[str, Input] = {}
        self.input_types: dict[str, ValueType] = {}
        self.score_names: dict[str, ValueType] = {}
        self.veto_names: dict[str, ValueType] = {}
        #: Declared values of category inputs, text dimensions and unit_type.
        self.categories: dict[str, tuple[str, ...]] = {}
        #: Scales declared under ``scales:`` (engine.rules.scale), by id.
        self.scales: dict[str, Scale] = {}
        #: Per category input read by levels blocks: the first block and the values they name.
        self.level_coverage: dict[str, tuple[YamlPath, set[str]]] = {}

    # -- helpers ---------------------------------------------------------
    def at(self, path: YamlPath, *, key: bool = False) -> Location:
        return self.raw.location(path, key=key)

    def problem(self, code: str, path: YamlPath, severity: t.Literal["error", "warning"] = "error", *, at_key: bool = False, **args: t.Any) -> None:
        self.problems.append(Problem.at(code, self.at(path, key=at_key), severity, **args))

    def expression(self, path: YamlPath, names: t.Mapping[str, ValueType], expect: ValueType, what: Text) -> Expression | None:
        compiled, problems = compile_expression(self.raw.get(path), names, self.at(path), expect=expect, what=what,
                                                categories=self.categories)
        self.problems.extend(self.title_used_as_name(p) for p in problems)
        return compiled

    def title_used_as_name(self, problem: Problem) -> Problem:
        """An undeclared name that is an input's Chinese title: say which id to write;
        one that is declared, but computed later (a ranking in an item): say when."""
        if problem.code != "expr_unknown_name":
            return problem
        args = dict(problem.args)
        if args.get("name") == TOTAL:
            # Only what comes before the total (derived values, items) lacks it.
            return Problem.at("agg_total_cycle", problem.location, problem.severity, expr=args.get("expr", ""))
        stage = self.stage_of(str(args.get("name", "")))
        if stage is not None:
            return Problem.at("expr_not_yet_known", problem.location, problem.severity, name=args["name"],
                              kind=stage[0], usable=stage[1], expr=args.get("expr", ""))
        ident = next((i for i, spec in self.inputs.items() if spec.title == args.get("name")), None)
        if ident is None:
            return problem
        return Problem.at("expr_title_not_id", problem.location, problem.severity, name=args["name"], ident=ident, expr=args.get("expr", ""))

    def stage_of(self, name: str) -> tuple[Text, Text] | None:
        """What kind of declared thing ``name`` is and where it may be used, for
        a name used before it is computed; ``None`` when nothing declares it."""
        data = self.data
        stages: list[tuple[str, Text, Text]] = [
            ("derived", Text("计算值", "a derived value"),
             Text("计算值按书写顺序计算，只能用在它后面的计算值、各项目及之后的各环节中；把它移到前面", "derived values are computed in order: use it only after its declaration")),
            ("vetoes", Text("一票否决", "a veto"),
             Text("否决在所有项目算完后判断，可用于评定（grades）、排名评选（rankings）和结果运用（actions）", "vetoes are decided after every item: use them in grades, rankings and actions")),
            ("grades", Text("评定", "a grade"),
             Text("评定在项目和否决之后算出，可用于后面的评定、排名评选和结果运用", "grades are decided after items and vetoes: use them in later grades, rankings and actions")),
            ("rankings", Text("排名评选", "a ranking"),
             Text("排名评选在评定之后产生，可用于后面的排名评选和结果运用（actions）", "rankings are decided after grades: use them in later rankings and in actions")),
            ("actions", Text("结果运用", "an action"),
             Text("结果运用最后判断，只能用于它后面的结果运用", "actions are decided last: use them only in later actions")),
        ]
        for key, kind, usable in stages:
            if any(isinstance(spec, dict) and spec.get("id") == name for spec in data.get(key, []) or []):
                return kind, usable
        nodes = [*(data.get("items") or []), *(data.get("adjustments") or [])]
        for part in data.get("parts") or []:
            if isinstance(part, dict):
                if part.get("id") == name:
                    return Text("加权部分", "a part"), Text("部分得分在所有项目算完后才有，可用于一票否决、评定、排名评选和结果运用", "part scores exist once every item is scored: use them in vetoes, grades, rankings and actions")
                nodes += part.get("items") or []
        while nodes:
            node = nodes.pop()
            if not isinstance(node, dict):
                continue
            if node.get("id") == name:
                return (Text("计分项目", "a scored item"),
                        Text("项目得分在所有项目算完后才有，可用于一票否决、评定、排名评选和结果运用；项目之间要共用的中间值写成 'derived:' 计算值",
                             "item scores exist once every item is scored: use them in vetoes, grades, rankings and actions; share intermediate values between items as 'derived:' values"))
            nodes += node.get("items") or []
        return None

    def value_or_total(self, spec: dict[str, t.Any], key: str, path: YamlPath, names: t.Mapping[str, ValueType], what: Text) -> Expression | None:
        """The number expression under ``key``, or the total when it is not written."""
        if key in spec:
            return self.expression(path + (key,), names, NUMBER, what)
        compiled, problems = compile_expression(TOTAL, names, self.at(path), expect=NUMBER, what=what)
        self.problems.extend(problems)
        return compiled

    def claim_id(self, ident: str, path: YamlPath) -> None:
        if ident in self.ids:
            first = self.at(self.ids[ident] + ("id",))
            self.problem("duplicate_id", path + ("id",), id=ident, first=first.line)
            return
        self.ids[ident] = path
        if ident in self.inputs or ident == TOTAL:
            self.problem("id_shadows_input", path + ("id",), id=ident)

    # -- the whole scheme -------------------------------------------------
    def compile(self) -> Scheme:
        data = self.data
        units = data.get("units", {})
        self.unit_types = tuple(units.get("types", {}) or {})
        dimensions = self.dimensions()
        # An input with self_assessed gets its <id>_self companion (自评值) beside it.
        self.inputs = selfcheck.companions(self, self.compile_inputs(dimensions), self.data.get("inputs") or {})
        self.input_types = {name: ValueType(_KINDS[i.type], i.per) for name, i in self.inputs.items()}
        # Every unit's type, by the reserved name unit_type (unit_type == '乡镇').
        if UNIT_TYPE in self.inputs:
            self.problem("id_shadows_input", ("inputs", UNIT_TYPE), at_key=True, id=UNIT_TYPE)
        self.input_types[UNIT_TYPE] = ValueType("text")
        self.categories = {ident: spec.values for ident, spec in self.inputs.items() if spec.type == "category" and spec.values}
        if self.unit_types:
            self.categories[UNIT_TYPE] = self.unit_types
        params = self.params()
        # A closed dimension's id names its labels (month <= 3), for per-period conditions.
        for ident, dim in dimensions.items():
            if dim.values is None:
                continue
            if ident in self.inputs:
                self.problem("id_shadows_input", ("dimensions", ident), at_key=True, id=ident)
            numeric = all(_is_number(v) for v in dim.values)
            self.input_types[ident] = ValueType("number" if numeric else "text", ident)
            if not numeric:
                self.categories[ident] = dim.values
        history = self.history()
        tree.declare(self)  # the figures parents take from their children, read by name (engine.tree)
        derived = self.derived()
        ballots = compile_ballots(self, data.get("ballots") or [], self.inputs, dimensions)
        self.scales = compile_scales(_RuleCompiling(self), data.get("scales") or {}, ("scales",))

        parts = self.parts()
        adjustments = tuple(
            node for node in (self.node(raw, ("adjustments", i), uncapped=True) for i, raw in enumerate(data.get("adjustments", []) or []))
            if isinstance(node, Item)
        )
        self.report_levels_coverage()
        if any(isinstance(n, dict) and "items" in n for n in data.get("adjustments", []) or []):
            for i, raw_node in enumerate(data.get("adjustments", [])):
                if isinstance(raw_node, dict) and "items" in raw_node:
                    self.problem("section_with_rule", ("adjustments", i), id=raw_node.get("id"), found="items")

        self.score_names = {TOTAL: NUMBER, **{part.id: NUMBER for part in parts if part.explicit}}
        for node in _walk(tuple(c for p in parts for c in p.children) + adjustments):
            self.score_names[node.id] = NUMBER

        vetoes = self.vetoes()
        grades = self.grades()
        self.check_forced_grades(vetoes, grades)
        manual = self.manual(grades)
        rankings = self.rankings(grades)
        actions = self.actions(grades, rankings)
        rescale = data.get("rescale")
        if rescale and not all(math.isfinite(p.max) for p in parts):
            # 折算 divides by the applicable full marks: an uncapped item has none.
            self.problem("rescale_uncapped", ("rescale",), at_key=True)
        return Scheme(
            id=data["id"],
            version=value_text(data["version"]),
            title=data["title"],
            subject=data.get("subject", ""),
            file=self.raw.file,
            precision=int(data.get("precision", 2)),
            group_title=units.get("group", "分组"),
            unit_types=self.unit_types,
            dimensions=dimensions,
            inputs=self.inputs,
            parts=parts,
            adjustments=adjustments,
            rescale_full=float(rescale["full"]) if rescale else None,
            vetoes=vetoes,
            grades=grades,
            manual=manual,
            derived=derived,
            rankings=rankings,
            history=history,
            actions=actions,
            corrections=self.corrections(),
            params=params,
            reports=self.report_options(actions),
            rounding=data.get("rounding", "items"),
            ballots=ballots,
            tree=tree.compile_tree(self, grades, rankings, actions),  # after the actions: a child's every result is known
            to_date=to_date.compile_to_date(self, dimensions, grades, rankings, actions),
        )

    def dimensions(self) -> dict[str, Dimension]:
        out: dict[str, Dimension] = {}
        for ident, spec in (self.data.get("dimensions") or {}).items():
            values = spec.get("values")
            out[ident] = Dimension(
                id=ident,
                title=spec["title"],
                values=tuple(value_text(v) for v in values) if values is not None else None,
                location=self.at(("dimensions", ident)),
            )
        return out

    def compile_inputs(self, dimensions: t.Mapping[str, Dimension]) -> dict[str, Input]:
        manual_input = (self.data.get("manual") or {}).get("input")
        out: dict[str, Input] = {}
        for ident, spec in (self.data.get("inputs") or {}).items():
            path: YamlPath = ("inputs", ident)
            per = spec.get("per")
            if per is not None and per not in dimensions:
                self.problem("unknown_dimension", path + ("per",), name=per, suggest=closest(per, dimensions), allowed=", ".join(dimensions) or "—")
            bounds = spec.get("range")
            if bounds is not None and bounds[0] > bounds[1]:
                self.problem("bad_range", path + ("range",), lo=bounds[0], hi=bounds[1])
            if spec["type"] == "percentage" and bounds is None:
                bounds = [0, 100]
            if "values" in spec and spec["type"] != "category":
                self.problem("values_only_category", path + ("values",))
            missing = spec.get("missing", "error")
            if missing == "skip" and per is None and ident != manual_input:
                self.problem("skip_needs_dimension", path + ("missing",), name=ident)
            out[ident] = Input(
                id=ident,
                title=spec["title"],
                type=spec["type"],
                range=(float(bounds[0]), float(bounds[1])) if bounds is not None else None,
                values=tuple(value_text(v) for v in spec["values"]) if "values" in spec else None,
                per=per,
                missing=missing,
                location=self.at(path),
                entered_by=str(spec.get("entered_by", "")),
                note=str(spec.get("note", "")),
                optional=bool(spec.get("optional", False)),
            )
        return out

    def history(self) -> tuple[History, ...]:
        """Earlier periods' outcomes, usable like per-unit inputs."""
        data = self.data
        kinds: dict[str, str] = {TOTAL: "total", "rank": "rank"}
        for section, kind in (("grades", "grade"), ("vetoes", "veto"), ("rankings", "ranking"), ("actions", "action")):
            for spec in data.get(section, []) or []:
                if isinstance(spec, dict) and "id" in spec:
                    kinds[spec["id"]] = kind
        types = {"grade": ValueType("text"), "total": NUMBER, "rank": NUMBER}
        out = []
        for i, spec in enumerate(data.get("history", []) or []):
            path: YamlPath = ("history", i)
            self.claim_id(spec["id"], path)
            other = spec.get("scheme")
            back = int(spec.get("back", 1))
            if other is not None and other != data["id"]:
                # Another scheme's ids are not known here: the author declares the type.
                if "type" not in spec:
                    self.problem("missing_key", path, key="type")
                    continue
                declared = {"boolean": BOOL, "text": ValueType("text"), "number": NUMBER}[spec["type"]]
                out.append(History(spec["id"], spec["title"], spec["of"], back, spec["type"], self.at(path), other))
                self.input_types[spec["id"]] = declared
                continue
            if back < 1:
                self.problem("out_of_bounds", path + ("back",), found=back, expected=Text("≥ 1（本方案本期的结果还没有产生）", "≥ 1 (this period's own results do not exist yet)"))
                continue
            found = kinds.get(spec["of"])
            if found is None:
                self.problem("unknown_history_ref", path + ("of",), name=spec["of"], suggest=closest(spec["of"], kinds), allowed=", ".join(kinds))
                continue
            out.append(History(spec["id"], spec["title"], spec["of"], int(spec.get("back", 1)), found, self.at(path)))
            self.input_types[spec["id"]] = types.get(found, BOOL)
        return tuple(out)

    def actions(self, grades: tuple[Grade, ...], rankings: tuple[Ranking, ...]) -> tuple[Action, ...]:
        """Consequences, decided last: they may use grades (as text or numbers),
        rankings (did the unit get a label?) and the actions before them."""
        names: dict[str, ValueType] = {**self.input_types, **self.score_names, **self.veto_names}
        names.update({g.id: NUMBER if g.numeric else ValueType("text") for g in grades})
        names.update({r.id: BOOL for r in rankings})
        out = []
        for i, spec in enumerate(self.data.get("actions", []) or []):
            path: YamlPath = ("actions", i)
            self.claim_id(spec["id"], path)
            when = self.expression(path + ("when",), names, BOOL, Text(f"结果运用 {spec['id']}", f"action {spec['id']}"))
            if when is not None:
                out.append(Action(spec["id"], spec["title"], when, self.at(path), bool(spec.get("published", False))))
                names[spec["id"]] = BOOL
        return tuple(out)

    def report_options(self, actions: tuple[Action, ...]) -> ReportOptions:
        spec = self.data.get("reports") or {}
        notices = spec.get("notices")
        if notices is not None and notices not in {a.id for a in actions}:
            self.problem("report_notices_unknown", ("reports", "notices"), name=notices, suggest=closest(notices, [a.id for a in actions]),
                         allowed=", ".join(a.id for a in actions) or "—")
        templates = spec.get("templates")
        folder = None
        if templates:
            folder = str((Path(self.raw.file).resolve().parent / templates).resolve()) if self.raw.file else templates
        return ReportOptions(
            issuer=spec.get("issuer", ""), heading=spec.get("heading", ""), seal=spec.get("seal", "（盖章）"),
            gongshi_days=int(spec.get("gongshi_days", 5)), deadline_days=int(spec.get("deadline_days", 30)),
            notices=notices, templates=folder, number=spec.get("number", ""), red_header=spec.get("red_header", ""),
        )

    def params(self) -> dict[str, Param]:
        out: dict[str, Param] = {}
        for ident, spec in (self.data.get("params") or {}).items():
            if ident in self.input_types:
                self.problem("id_shadows_input", ("params", ident), at_key=True, id=ident)
                continue
            out[ident] = Param(ident, spec["title"], float(spec["value"]), self.at(("params", ident)))
            self.input_types[ident] = NUMBER
        return out

    def corrections(self) -> Corrections | None:
        spec = self.data.get("corrections")
        if spec is None:
            return None
        names = spec.get("inputs", [])
        for i, name in enumerate(names):
            if name not in self.inputs:
                self.problem("expr_unknown_name", ("corrections", "inputs", i), name=name, expr="corrections.inputs",
                             suggest=closest(name, self.inputs))
        return Corrections(spec.get("title", "更正"), frozenset(names))

    def derived(self) -> tuple[Derived, ...]:
        """Named values; each may use inputs and the ones declared before it."""
        out = []
        for i, spec in enumerate(self.data.get("derived", []) or []):
            path: YamlPath = ("derived", i)
            self.claim_id(spec["id"], path)
            kind = BOOL if spec.get("type") == "boolean" else NUMBER
            value = self.expression(path + ("value",), self.input_types, kind, Text(f"计算值 {spec['id']}", f"derived value {spec['id']}"))
            if value is not None:
                out.append(Derived(spec["id"], spec["title"], value, self.at(path)))
                self.input_types[spec["id"]] = kind
        return tuple(out)

    # -- items ------------------------------------------------------------
    def parts(self) -> tuple[Part, ...]:
        data = self.data
        if "parts" in data and "items" in data:
            self.problem("schema_other", ("items",), at_key=True, reason=Text("'items' 与 'parts' 只能写一个", "write either 'items' or 'parts', not both"))
        if "parts" not in data:
            if "items" not in data:
                if not data.get("actions"):
                    self.problem("missing_key", (), key="items")
                return ()
            children = self.children(("items",), data["items"])
            return (Part("", data["title"], 1.0, _max_of(children), children, self.at(("items",)), False),)
        parts: list[Part] = []
        for i, spec in enumerate(data["parts"]):
            path: YamlPath = ("parts", i)
            self.claim_id(spec["id"], path)
            children = self.children(path + ("items",), spec["items"])
            total = _max_of(children)
            declared = float(spec.get("max", total))
            if not math.isclose(declared, total, abs_tol=1e-9):
                self.problem("section_total_mismatch", path + ("max",), "warning", id=spec["id"], declared=f"{declared:g}", sum=f"{total:g}")
            parts.append(Part(spec["id"], spec["title"], float(spec["weight"]), declared, children, self.at(path), True))
        weights = sum(p.weight for p in parts)
        if not math.isclose(weights, 1.0, abs_tol=1e-9):
            self.problem("weights_sum", ("parts",), sum=f"{weights:g}")
        return tuple(parts)

    def children(self, path: YamlPath, specs: list[dict[str, t.Any]]) -> tuple[Node, ...]:
        nodes = (self.node(spec, path + (i,)) for i, spec in enumerate(specs))
        return tuple(n for n in nodes if n is not None)

    def applies_to(self, spec: dict[str, t.Any], path: YamlPath) -> frozenset[str] | None:
        types = spec.get("applies_to")
        if types is None:
            return None
        for i, name in enumerate(types):
            if name not in self.unit_types:
                self.problem("unknown_unit_type", path + ("applies_to", i), name=name, suggest=closest(name, self.unit_types), allowed=", ".join(self.unit_types) or "—")
        return frozenset(types)

    def node(self, spec: dict[str, t.Any], path: YamlPath, uncapped: bool = False) -> Node | None:
        ident = spec["id"]
        self.claim_id(ident, path)
        applies = self.applies_to(spec, path)
        written = [key for key in rules.keys() if key in spec]
        if "items" in spec:
            if written:
                self.problem("section_with_rule", path + (written[0],), at_key=True, id=ident, found=written[0])
            children = self.children(path + ("items",), spec["items"])
            self.check_section_total(spec, path, children)
            total = _max_of(children)
            return Section(ident, spec["title"], bound(spec.get("max", total)), children, applies, self.at(path))
        if not written:
            self.problem("no_rule", path + ("id",), id=ident, kinds=", ".join(rules.keys()))
            return None
        if len(written) > 1:
            self.problem("many_rules", path + (written[1],), at_key=True, id=ident, found=", ".join(written))
            return None
        kind = rules.kind(written[0])
        if "max" not in spec and not (uncapped and kind.allows_no_max):
            self.problem("item_needs_max", path + ("id",), id=ident)
            return None
        # An adjustment is unbounded unless it declares bounds (S5's innovation
        # bonus states no ceiling; "formula: -warn" is a penalty, not 0); an
        # item is floored at 0 (减完为止) unless it declares its 'min'.
        high = bound(spec.get("max", math.inf))
        low = bound(spec.get("min", -math.inf if uncapped else 0.0))
        if low > high:
            self.problem("min_above_max", path + ("min",), min=f"{low:g}", max=f"{high:g}")
        if not math.isfinite(high) and kind.needs_max(spec[kind.key]):
            # These rules read their full marks (points default to max, deductions
            # start from max, fractions and 同比例 scale it): an infinite max is no number.
            self.problem("uncapped_needs_max", path + ("max",), id=ident, kind=kind.key)
            return None
        rule = self.rule(kind.key, spec, path + (kind.key,), ident, high)
        if rule is None:
            return None
        here, rule_at = self.at(path), self.at(path + (kind.key,), key=True)
        return Item(ident, spec["title"], high, low, rule, applies, here, kind.key,
                    implicit_bounds=not uncapped and "min" not in spec,
                    # A rule overridden in a child scheme is written in the child's file; so_far: engine.to_date.
                    rule_location=rule_at if rule_at.file != here.file else None, so_far=to_date.so_far(self, spec, path, ident, high))

    def check_section_total(self, spec: dict[str, t.Any], path: YamlPath, children: tuple[Node, ...]) -> None:
        if "max" not in spec:
            return
        declared = bound(spec["max"])
        # The declared total must match all its items, or the items of some unit
        # type (S3: each type has its own 100 points); items that apply to fewer
        # types are expected to leave other types short.
        totals = [_max_of(children)] + [_max_of(children, unit_type) for unit_type in self.unit_types]
        if any(math.isclose(total, declared, abs_tol=1e-9) for total in totals):
            return
        self.problem("section_total_mismatch", path + ("max",), "warning", id=spec["id"], declared=f"{declared:g}", sum=f"{totals[0]:g}")

    def rule(self, kind: str, spec: dict[str, t.Any], path: YamlPath, ident: str, high: float) -> Rule | None:
        """The item's rule, compiled by its kind (engine.rules) with this compiler lent as :class:`rules.Compiling`."""
        return rules.kind(kind).compile(_RuleCompiling(self), spec[kind], path, Text(f"项目 {ident}", f"item {ident}"), high)

    def check_levels_cover(self, levels: t.Sequence[t.Any], path: YamlPath) -> None:
        """Levels written over one category input (rating == '优秀' …) should
        name every declared value: a value left out scores 0 without a word."""
        if not levels or any(level.when is None for level in levels):
            return
        pairs = set().union(*(_category_tests(level.when) for level in levels))
        inputs = {name for name, _ in pairs}
        if len(inputs) != 1 or (name := next(iter(inputs))) not in self.categories:
            return
        # Bonus and penalty levels over one input are often two items (表彰 / 处分):
        # a value counts as covered when any levels block names it.
        first, covered = self.level_coverage.get(name, (path, set()))
        self.level_coverage[name] = (first, covered | {literal for _, literal in pairs})

    def report_levels_coverage(self) -> None:
        for name, (path, covered) in self.level_coverage.items():
            missing = [value for value in self.categories[name] if value not in covered]
            if missing:
                self.problem("levels_uncovered", path + ("levels",), "warning", name=name, missing="、".join(missing))

    # -- bands --------------------------------------------------------------
    def bands(self, specs: list[dict[str, t.Any]], path: YamlPath, result_key: str, high: float = 0.0) -> tuple[Band, ...]:
        out = []
        for i, spec in enumerate(specs):
            bpath = path + (i,)
            if "ge" in spec and "gt" in spec or "le" in spec and "lt" in spec:
                self.problem("schema_other", bpath, reason=Text("下限只写 ge 或 gt 之一，上限只写 le 或 lt 之一", "a band takes one lower bound (ge or gt) and one upper bound (le or lt)"))
            if result_key == "points":
                if ("points" in spec) == ("fraction" in spec):
                    self.problem("schema_other", bpath, reason=Text("每个档次写 'points' 或 'fraction' 之一", "each band takes exactly one of 'points' or 'fraction'"))
                    continue
                # A band written as a fraction of the item's maximum becomes points here.
                result: float | str = float(spec["points"]) if "points" in spec else high * float(spec["fraction"])
            else:
                result = spec["value"] if isinstance(spec["value"], str) else float(spec["value"])
            out.append(Band(_opt(spec.get("ge")), _opt(spec.get("gt")), _opt(spec.get("le")), _opt(spec.get("lt")), result, spec.get("label"), self.at(bpath)))
        return tuple(out)

    def domain_of(self, value: Expression | None) -> tuple[float, float]:
        """The range a banded value can take: an input's declared range when the
        value is that input alone, else the whole line."""
        if value is not None and len(value.names) == 1 and value.source in self.inputs:
            declared = self.inputs[value.source].range
            if declared:
                return declared
        return (-math.inf, math.inf)

    def check_bands(self, bands: tuple[Band, ...], path: YamlPath, domain: tuple[float, float], gaps: bool = True) -> None:
        cuts = []
        for i, band in enumerate(bands):
            lower = (band.ge, 0) if band.ge is not None else ((band.gt, 1) if band.gt is not None else (-math.inf, 0))
            upper = (band.le, 1) if band.le is not None else ((band.lt, 0) if band.lt is not None else (math.inf, 0))
            if lower >= upper:
                self.problems.append(Problem.at("band_empty", band.location, band=i + 1, range=band.describe()))
                continue
            cuts.append((lower, upper, i))
        for a in range(len(cuts)):
            for b in range(a + 1, len(cuts)):
                (la, ua, ia), (lb, ub, ib) = cuts[a], cuts[b]
                if max(la, lb) < min(ua, ub):
                    self.problems.append(Problem.at(
                        "band_overlap", bands[ib].location, "warning",
                        first=ia + 1, second=ib + 1, a=bands[ia].describe(), b=bands[ib].describe(),
                    ))
        if not gaps:
            return
        cursor: tuple[float, int] = (domain[0], 0)
        end: tuple[float, int] = (domain[1], 1) if math.isfinite(domain[1]) else (math.inf, 0)
        for lower, upper, _ in sorted(cuts):
            if lower > cursor and cursor < end:
                self.problem("band_gap", path, "warning", gap=_cut_text(cursor, min(lower, end)))
            cursor = max(cursor, upper)
        if cursor < end:
            self.problem("band_gap", path, "warning", gap=_cut_text(cursor, end))

    # -- vetoes, grades, manual ----------------------------------------------
    def vetoes(self) -> tuple[Veto, ...]:
        names = {**self.input_types, **self.score_names}
        out = []
        for i, spec in enumerate(self.data.get("vetoes", []) or []):
            path: YamlPath = ("vetoes", i)
            self.claim_id(spec["id"], path)
            when = self.expression(path + ("when",), names, BOOL, Text(f"一票否决 {spec['id']}", f"veto {spec['id']}"))
            effect = spec.get("effect", "disqualify")
            if effect == "force_grade" and "grade" not in spec:
                self.problem("missing_key", path, key="grade")
            if when is not None:
                out.append(Veto(spec["id"], spec["title"], when, effect, spec.get("grade"), self.at(path)))
        self.veto_names = {veto.id: BOOL for veto in out}
        return tuple(out)

    def check_forced_grades(self, vetoes: tuple[Veto, ...], grades: tuple[Grade, ...]) -> None:
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
        for i, veto in enumerate(vetoes):
            if veto.effect != "force_grade" or veto.grade is None:
                continue
            forced = veto.grade
            if any(_same_value(forced, v) for v in values):
                continue
            texts = list(dict.fromkeys(v if isinstance(v, str) else f"{v:g}" for v in values))
            shown = list(dict.fromkeys(shown))
            index = next(k for k, spec in enumerate(self.data.get("vetoes", []) or []) if isinstance(spec, dict) and spec.get("id") == veto.id)
            self.problem("forced_grade_unknown", ("vetoes", index, "grade"), found=str(forced), grade="、".join(g.id for g in primaries),
                         suggest=closest(str(forced), texts), allowed="、".join(shown))

    def grades(self) -> tuple[Grade, ...]:
        names: dict[str, ValueType] = {**self.input_types, **self.score_names, **self.veto_names}
        out: list[Grade] = []
        specs = self.data.get("grades", []) or []
        primaries = [i for i, spec in enumerate(specs) if spec.get("primary")]
        # Several primaries are fine when each covers its own unit types (班子 / 干部).
        untyped = [i for i in primaries if "applies_to" not in specs[i]]
        if len(untyped) > 1 or (untyped and len(primaries) > 1):
            self.problem("primary_grades", ("grades", primaries[1], "primary"), count=len(primaries))
        for i, spec in enumerate(specs):
            path: YamlPath = ("grades", i)
            self.claim_id(spec["id"], path)
            of_source = spec.get("of", TOTAL)
            if isinstance(of_source, str) and of_source.strip() in {g.id for g in out}:
                earlier = next(g for g in out if g.id == of_source.strip())
                if not earlier.numeric:
                    self.problem("band_value_type", path + ("of",), grade=spec["id"], of=earlier.id)
                    continue
            what = Text(f"评定 {spec['id']}", f"grade {spec['id']}")
            of = self.value_or_total(spec, "of", path, names, what)
            bands = self.bands(spec["bands"], path + ("bands",), "value")
            self.check_bands(bands, path + ("bands",), self.domain_of(of), gaps="otherwise" not in spec)
            numeric = all(isinstance(b.result, float) for b in bands)
            if of is None:
                continue
            grade = Grade(spec["id"], spec["title"], of, bands, spec.get("otherwise"), bool(spec.get("primary")), numeric, self.at(path),
                          self.applies_to(spec, path))
            out.append(grade)
            if numeric:
                names[grade.id] = NUMBER
        if out and not primaries:
            # Without an explicit primary the last grade (the most derived) is the result's grade.
            last = out[-1]
            out[-1] = dataclasses.replace(last, primary=True)
        return tuple(out)

    def rankings(self, grades: tuple[Grade, ...]) -> tuple[Ranking, ...]:
        names: dict[str, ValueType] = {**self.input_types, **self.score_names, **self.veto_names}
        names.update({g.id: NUMBER if g.numeric else ValueType("text") for g in grades})
        out = []
        for i, spec in enumerate(self.data.get("rankings", []) or []):
            path: YamlPath = ("rankings", i)
            self.claim_id(spec["id"], path)
            what = Text(f"排名评选 {spec['id']}", f"ranking {spec['id']}")
            by = self.value_or_total(spec, "by", path, names, what)
            among = self.expression(path + ("among",), names, BOOL, what) if "among" in spec else None
            breaks = [self.expression(path + ("tie_break", k), names, NUMBER, what) for k in range(len(spec.get("tie_break", [])))]
            tiers = []
            for k, tier in enumerate(spec["tiers"]):
                tpath = path + ("tiers", k)
                kinds = [key for key in ("count", "share", "rest") if key in tier and tier[key] is not False]
                if len(kinds) != 1:
                    self.problem("schema_other", tpath, reason=Text("每一档写 count（名额）、share（比例）或 rest: true 之一", "each tier takes exactly one of count, share or rest: true"))
                    continue
                share = _share(tier["share"]) if "share" in tier else None
                if "share" in tier and share is None:
                    self.problem("wrong_type", tpath + ("share",), expected=Text("0 到 1 之间的比例（至多 6 位小数），如 0.4 或 \"1/3\"", "a share between 0 and 1 (at most 6 decimals), e.g. 0.4 or \"1/3\""), found=repr(tier["share"]))
                    continue
                tiers.append(RankTier(tier["label"], tier.get("count"), share, bool(tier.get("rest")), self.at(tpath),
                                      *quotas.tier_bounds(self, tier, tpath)))
            if "grade" in spec and spec["grade"] not in {g.id for g in grades}:
                self.problem("manual_grade", path + ("grade",), name=spec["grade"])
                continue
            if not quotas.check_base(self, spec, path) or by is None or ("among" in spec and among is None) or any(b is None for b in breaks):
                continue
            names[spec["id"]] = BOOL  # a later ranking may draw from this one (模范 among 先进)
            out.append(Ranking(
                spec["id"], spec["title"], by, spec.get("order", "desc") == "desc", tuple(t.cast(list[Expression], breaks)),
                # A bottom ranking is a penalty: units tied at its edge are all in (include);
                # a top ranking is an award: a tie that does not fit is left out (exclude).
                spec.get("ties", "include" if spec.get("order", "desc") == "asc" else "exclude"), among, bool(spec.get("per_group")), spec.get("min_group"),
                spec.get("share_of", "pool"), spec.get("rounding", "floor"), tuple(tiers), self.at(path),
                spec.get("grade"), spec.get("disqualified", "exclude") == "include",
                bool(spec.get("published", spec.get("order", "desc") == "desc")),
            ))
        return tuple(out)

    def manual(self, grades: tuple[Grade, ...]) -> Manual | None:
        spec = self.data.get("manual")
        if not spec:
            return None
        ident = spec["input"]
        declared = self.inputs.get(ident)
        if declared is None:
            self.problem("manual_input", ("manual", "input"), name=ident, problem=Text("未声明", "is not declared"))
        elif declared.per is not None or declared.missing != "skip":
            self.problem("manual_input", ("manual", "input"), name=ident, problem=Text("须按单位填写且 missing: skip", "must be per unit with missing: skip"))
        if spec["grade"] not in {g.id for g in grades}:
            self.problem("manual_grade", ("manual", "grade"), name=spec["grade"])
        return Manual(ident, spec["grade"])


def _category_tests(expression: Expression) -> set[tuple[str, str]]:
    """The (name, literal) pairs of ``name == 'literal'`` tests in an expression.

    >>> from engine.errors import Location
    >>> from engine.expressions import ValueType, compile_expression
    >>> e, _ = compile_expression("r == '优秀' or '良好' == r", {"r": ValueType("text")}, Location("f", 1, 1, "$"), expect=BOOL, what="")
    >>> sorted(_category_tests(e))
    [('r', '优秀'), ('r', '良好')]
    """
    import ast

    pairs = set()
    for node in ast.walk(expression.tree):
        if isinstance(node, ast.Compare) and len(node.ops) == 1 and isinstance(node.ops[0], ast.Eq):
            for a, b in ((node.left, node.comparators[0]), (node.comparators[0], node.left)):
                if isinstance(a, ast.Name) and isinstance(b, ast.Constant) and isinstance(b.value, str):
                    pairs.add((a.id, b.value))
    return pairs


def _same_value(a: t.Any, b: t.Any) -> bool:
    """A forced grade value equals a band value: as text, or as numbers (8 and 8.0)."""
    if isinstance(a, str) or isinstance(b, str):
        return str(a).strip() == str(b).strip()
    return math.isclose(float(a), float(b))


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


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


#: Words that declare a missing bound: an uncapped item (加分不封顶), an unfloored one.
UNCAPPED = "不封顶"
UNFLOORED = "不设下限"


def bound(value: t.Any) -> float:
    """An item's ``max``/``min`` as a float: ``不封顶`` (or ``.inf``) is +∞,
    ``不设下限`` (or ``-.inf``) is −∞.

    >>> bound(10), bound("不封顶"), bound("不设下限"), bound(-20)
    (10.0, inf, -inf, -20.0)
    """
    if isinstance(value, str):
        return math.inf if value.strip() == UNCAPPED else -math.inf
    return float(value)


def _opt(value: t.Any) -> float | None:
    return None if value is None else float(value)


def _walk(nodes: t.Iterable[Node]) -> t.Iterator[Node]:
    for node in nodes:
        yield node
        if isinstance(node, Section):
            yield from _walk(node.children)


def _max_of(nodes: t.Iterable[Node], unit_type: str | None = None) -> float:
    """Full marks of ``nodes`` for ``unit_type`` (all nodes when ``None``)."""
    total = 0.0
    for node in nodes:
        if unit_type is not None and node.applies_to is not None and unit_type not in node.applies_to:
            continue
        if isinstance(node, Section) and unit_type is not None:
            total += min(node.max, _max_of(node.children, unit_type))
        else:
            total += node.max
    return total


def _cut_text(lower: tuple[float, int], upper: tuple[float, int]) -> str:
    lo = "(-∞" if lower[0] == -math.inf else (f"[{lower[0]:g}" if lower[1] == 0 else f"({lower[0]:g}")
    hi = "+∞)" if upper[0] == math.inf else (f"{upper[0]:g})" if upper[1] == 0 else f"{upper[0]:g}]")
    return f"{lo}, {hi}"


class _RuleCompiling:
    """The compiler lent to a rule kind (:class:`engine.rules.Compiling`): an
    item's expressions read the names items may read — inputs, parameters,
    derived values (not scores, which are computed from them)."""

    def __init__(self, compiler: _Compiler) -> None:
        self._c = compiler

    def expression(self, path: YamlPath, expect: ValueType, what: Text) -> Expression | None:
        return self._c.expression(path, self._c.input_types, expect, what)

    def bands(self, specs: list[dict[str, t.Any]], path: YamlPath, result_key: str, high: float = 0.0) -> tuple[Band, ...]:
        return self._c.bands(specs, path, result_key, high)

    def check_bands(self, bands: tuple[Band, ...], path: YamlPath, domain: tuple[float, float], gaps: bool = True) -> None:
        self._c.check_bands(bands, path, domain, gaps)

    def domain_of(self, value: Expression | None) -> tuple[float, float]:
        return self._c.domain_of(value)

    def check_levels_cover(self, levels: t.Sequence[t.Any], path: YamlPath) -> None:
        self._c.check_levels_cover(levels, path)

    def problem(self, code: str, path: YamlPath, severity: t.Literal["error", "warning"] = "error", *,
                at_key: bool = False, **args: t.Any) -> None:
        self._c.problem(code, path, severity, at_key=at_key, **args)

    def report(self, problem: Problem) -> None:
        self._c.problems.append(problem)

    def at(self, path: YamlPath, *, key: bool = False) -> Location:
        return self._c.at(path, key=key)

    def scale(self, name: str, path: YamlPath) -> Scale | None:
        scale = self._c.scales.get(name)
        if scale is None:
            declared = list(self._c.scales)
            self._c.problem("scale_unknown", path, name=name, suggest=closest(name, declared), allowed=", ".join(declared) or "—")
        return scale

    def categories_of(self, value: Expression) -> tuple[str, ...] | None:
        return self._c.categories.get(value.source.strip())
