"""One scheme being compiled: what every compile step reads and records.

:class:`Compilation` holds the raw scheme, the problems found so far, the
ids claimed, the compiled inputs and category values, the declared scales,
and the :class:`~engine.compiling.scope.Scope` of names compiled so far
(replaced by a new one as each stage is declared). Its helpers compile an
expression at a YAML path over given names, locate a problem, claim an id.
It is what engine.compiler lends the unit tree's hooks, ballots, quotas and
self-assessment companions (each names what it needs as a Protocol).
"""

from __future__ import annotations

import math
import typing as t

from engine.errors import Location, Problem
from engine.expressions import NUMBER, Expression, ValueType, compile_expression
from engine.loader import RawScheme, YamlPath
from engine.messages import Text
from engine.compiling.scope import TOTAL, Scope, explain_unknown
from engine.yamltypes import YamlMap

if t.TYPE_CHECKING:
    from engine.model import Input
    from engine.rules.scale import Scale

#: Words that declare a missing bound: an uncapped item (加分不封顶), an unfloored one.
UNCAPPED = "不封顶"
UNFLOORED = "不设下限"


def value_text(value: object) -> str:
    """Normalise a YAML/CSV value used as a label (1, 1.0 and "1" are all "1")."""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def bound(value: float | str) -> float:
    """An item's ``max``/``min`` as a float: ``不封顶`` (or ``.inf``) is +∞,
    ``不设下限`` (or ``-.inf``) is −∞.

    >>> bound(10), bound("不封顶"), bound("不设下限"), bound(-20)
    (10.0, inf, -inf, -20.0)
    """
    if isinstance(value, str):
        return math.inf if value.strip() == UNCAPPED else -math.inf
    return float(value)


class Compilation:
    """The state of compiling one scheme, shared by the compile steps."""

    def __init__(self, raw: RawScheme) -> None:
        self.raw = raw
        self.data: YamlMap = raw.data
        self.problems: list[Problem] = []
        #: Each id claimed so far, at the path of its declaration.
        self.ids: dict[str, YamlPath] = {}
        self.unit_types: tuple[str, ...] = ()
        self.inputs: dict[str, Input] = {}
        #: Declared values of category inputs, text dimensions and unit_type.
        self.categories: dict[str, tuple[str, ...]] = {}
        #: Scales declared under ``scales:`` (engine.rules.scale), by id.
        self.scales: dict[str, Scale] = {}
        #: Per category input read by levels blocks: the first block and the values they name.
        self.level_coverage: dict[str, tuple[YamlPath, set[str]]] = {}
        #: The names compiled so far, by stage.
        self.scope = Scope()

    def at(self, path: YamlPath, *, key: bool = False) -> Location:
        return self.raw.location(path, key=key)

    def problem(self, code: str, path: YamlPath, severity: t.Literal["error", "warning"] = "error", *,
                at_key: bool = False, **args: object) -> None:
        self.problems.append(Problem.at(code, self.at(path, key=at_key), severity, **args))

    def expression(self, path: YamlPath, names: t.Mapping[str, ValueType], expect: ValueType, what: Text) -> Expression | None:
        """The expression at ``path`` compiled over ``names``; ``None`` (with its problems recorded) when it cannot be."""
        compiled, problems = compile_expression(self.raw.get(path), names, self.at(path), expect=expect, what=what,
                                                categories=self.categories)
        self.problems.extend(explain_unknown(p, self.data, self.inputs) for p in problems)
        return compiled

    def value_or_total(self, spec: YamlMap, key: str, path: YamlPath, names: t.Mapping[str, ValueType], what: Text) -> Expression | None:
        """The number expression under ``key``, or the total when it is not written."""
        if key in spec:
            return self.expression(path + (key,), names, NUMBER, what)
        compiled, problems = compile_expression(TOTAL, names, self.at(path), expect=NUMBER, what=what)
        self.problems.extend(problems)
        return compiled

    def claim_id(self, ident: str, path: YamlPath) -> None:
        """Record ``ident`` as declared at ``path``: a problem when it is taken (or an input's, or ``total``)."""
        if ident in self.ids:
            first = self.at(self.ids[ident] + ("id",))
            self.problem("duplicate_id", path + ("id",), id=ident, first=first.line)
            return
        self.ids[ident] = path
        if ident in self.inputs or ident == TOTAL:
            self.problem("id_shadows_input", path + ("id",), id=ident)
