"""The compiler's name scope: which names an expression at each stage may read.

A scheme's names become known in one order, written once here as
:data:`STAGES`: inputs (with ``unit_type``) → params → the closed dimensions'
ids → history → the tree's figures → derived values → scores (items,
sections, parts, ``total``) → vetoes → grades → rankings → actions. An
expression at one stage reads the names of the stages before it; derived
values, grades, rankings and actions also read the ones of their own stage
declared before them (a compile step adds those as it goes).

:class:`Scope` holds the names compiled so far, stage by stage; each stage
declared gives a new scope (the compiler keeps the latest). It answers which
names are visible at a stage (:meth:`Scope.visible`) and where a visible name
comes from (:meth:`Scope.origin`); :func:`declared_later` says why a name an
expression uses is not visible yet (it is declared, but computed later), and
:func:`explain_unknown` turns an unknown-name problem into that hint.
"""

from __future__ import annotations

import dataclasses
import types
import typing as t

from engine.errors import Problem
from engine.expressions import ValueType
from engine.messages import Text
from engine.yamltypes import YamlMap

if t.TYPE_CHECKING:
    from engine.model import Input

#: Name of the scheme total in veto and grade expressions.
TOTAL = "total"
#: Reserved name of each unit's type in expressions.
UNIT_TYPE = "unit_type"

Stage = t.Literal["inputs", "params", "dimensions", "history", "figures", "derived",
                  "scores", "vetoes", "grades", "rankings", "actions"]
#: The order in which names become known (the order the compiler compiles them in).
STAGES: tuple[Stage, ...] = t.get_args(Stage)


@dataclasses.dataclass(frozen=True)
class Scope:
    """The names compiled so far with their types, one layer per stage, in :data:`STAGES` order.

    A name declared again by a later stage (an error reported where it is
    declared) takes that stage's type, as a later key of a dict union would.
    """

    layers: tuple[tuple[Stage, t.Mapping[str, ValueType]], ...] = ()

    def declare(self, stage: Stage, names: t.Mapping[str, ValueType]) -> Scope:
        """This scope with ``stage``'s names added; stages are declared once each, in order."""
        if self.layers and STAGES.index(stage) <= STAGES.index(self.layers[-1][0]):
            raise ValueError(f"stage {stage!r} declared after {self.layers[-1][0]!r}")
        return Scope(self.layers + ((stage, types.MappingProxyType(dict(names))),))

    def visible(self, stage: Stage) -> dict[str, ValueType]:
        """The names an expression of ``stage`` reads: those of every stage before it
        (a new dict: a step adds its own stage's earlier names to it)."""
        before = STAGES.index(stage)
        names: dict[str, ValueType] = {}
        for declared, layer in self.layers:
            if STAGES.index(declared) < before:
                names.update(layer)
        return names

    def origin(self, name: str) -> Stage | None:
        """The stage whose declaration of ``name`` is visible; ``None`` for a name not in scope."""
        return next((stage for stage, layer in reversed(self.layers) if name in layer), None)


#: What each stage's declarations are, and where they may be used: the hint for a
#: name used before it is computed (scores are told as parts or items).
_LATER: dict[str, tuple[Text, Text]] = {
    "derived": (Text("计算值", "a derived value"),
                Text("计算值按书写顺序计算，只能用在它后面的计算值、各项目及之后的各环节中；把它移到前面", "derived values are computed in order: use it only after its declaration")),
    "vetoes": (Text("一票否决", "a veto"),
               Text("否决在所有项目算完后判断，可用于评定（grades）、排名评选（rankings）和结果运用（actions）", "vetoes are decided after every item: use them in grades, rankings and actions")),
    "grades": (Text("评定", "a grade"),
               Text("评定在项目和否决之后算出，可用于后面的评定、排名评选和结果运用", "grades are decided after items and vetoes: use them in later grades, rankings and actions")),
    "rankings": (Text("排名评选", "a ranking"),
                 Text("排名评选在评定之后产生，可用于后面的排名评选和结果运用（actions）", "rankings are decided after grades: use them in later rankings and in actions")),
    "actions": (Text("结果运用", "an action"),
                Text("结果运用最后判断，只能用于它后面的结果运用", "actions are decided last: use them only in later actions")),
    "parts": (Text("加权部分", "a part"),
              Text("部分得分在所有项目算完后才有，可用于一票否决、评定、排名评选和结果运用", "part scores exist once every item is scored: use them in vetoes, grades, rankings and actions")),
    "items": (Text("计分项目", "a scored item"),
              Text("项目得分在所有项目算完后才有，可用于一票否决、评定、排名评选和结果运用；项目之间要共用的中间值写成 'derived:' 计算值",
                   "item scores exist once every item is scored: use them in vetoes, grades, rankings and actions; share intermediate values between items as 'derived:' values")),
}


def declared_later(data: YamlMap, name: str) -> tuple[Text, Text] | None:
    """What kind of declared thing ``name`` is and where it may be used, for a
    name used before it is computed; ``None`` when nothing in ``data`` declares it.

    The lists are searched in the order of :data:`_LATER` (a name declared twice,
    an error of its own, is told by the first), items at any depth last.
    """
    raw = t.cast(dict[str, t.Any], data)
    for key in ("derived", "vetoes", "grades", "rankings", "actions"):
        if any(isinstance(spec, dict) and spec.get("id") == name for spec in raw.get(key, []) or []):
            return _LATER[key]
    nodes = [*(raw.get("items") or []), *(raw.get("adjustments") or [])]
    for part in raw.get("parts") or []:
        if isinstance(part, dict):
            if part.get("id") == name:
                return _LATER["parts"]
            nodes += part.get("items") or []
    while nodes:
        node = nodes.pop()
        if not isinstance(node, dict):
            continue
        if node.get("id") == name:
            return _LATER["items"]
        nodes += node.get("items") or []
    return None


def explain_unknown(problem: Problem, data: YamlMap, inputs: t.Mapping[str, Input]) -> Problem:
    """An unknown name, told better: ``total`` where it is not known yet, a name
    that is declared but computed later (a ranking in an item: say when), an
    input's Chinese title (say which id to write); any other problem as it is."""
    if problem.code != "expr_unknown_name":
        return problem
    args = dict(problem.args)
    if args.get("name") == TOTAL:
        # Only what comes before the total (derived values, items) lacks it.
        return Problem.at("agg_total_cycle", problem.location, problem.severity, expr=args.get("expr", ""))
    stage = declared_later(data, str(args.get("name", "")))
    if stage is not None:
        return Problem.at("expr_not_yet_known", problem.location, problem.severity, name=args["name"],
                          kind=stage[0], usable=stage[1], expr=args.get("expr", ""))
    ident = next((i for i, spec in inputs.items() if spec.title == args.get("name")), None)
    if ident is None:
        return problem
    return Problem.at("expr_title_not_id", problem.location, problem.severity, name=args["name"], ident=ident, expr=args.get("expr", ""))
