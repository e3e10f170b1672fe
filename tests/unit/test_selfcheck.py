"""Self-assessed inputs (engine.selfcheck): each ``self_assessed`` input gets a companion
``<id>_self``; the ways that cannot work are recorded as problems at ``self_assessed``."""

from __future__ import annotations

import dataclasses

from engine.loader import YamlPath
from engine.model import Input
from engine.selfcheck import SUFFIX, companions, pairs
from engine.yamltypes import Yaml
from tests.helpers import HEADER, scheme_from

# Plain inputs, compiled without self_assessed: companions() is given the declarations separately.
INPUTS = scheme_from(HEADER + """
inputs:
  x: {title: 得分, type: number, range: [0, 100]}
  y: {title: 附加分, type: count}
  flag: {title: 重大事故, type: boolean}
items:
  - {id: a, title: 得分项, max: 100, formula: x + y}
vetoes:
  - {id: v, title: 否决, when: flag}
""").inputs


@dataclasses.dataclass
class Recorder:
    found: list[tuple[str, YamlPath, dict[str, object]]] = dataclasses.field(default_factory=list)

    def problem(self, code: str, path: YamlPath, severity: str = "error", *, at_key: bool = False, **args: object) -> None:
        self.found.append((code, path, args))


def _specs(**self_assessed: Yaml) -> Yaml:
    return {ident: {"title": spec.title, **({"self_assessed": self_assessed[ident]} if ident in self_assessed else {})}
            for ident, spec in INPUTS.items()}


def test_a_self_assessed_input_gets_its_companion_after_it() -> None:
    recorder = Recorder()
    out = companions(recorder, INPUTS, _specs(x=True))
    assert recorder.found == []
    assert list(out) == ["x", "x_self", "y", "flag"] and SUFFIX == "_self"
    assert out["x"] == dataclasses.replace(INPUTS["x"], self_assessed="x_self")
    companion = out["x_self"]
    # same type and range; its own title, blank allowed, optional as a column; it points at nothing
    assert (companion.type, companion.range) == ("number", INPUTS["x"].range)
    assert (companion.id, companion.title, companion.missing, companion.optional, companion.self_assessed) == \
        ("x_self", "得分（自评）", "skip", True, None)
    assert companion.note == "得分的自评值（计分用核查值 x）"
    assert out["y"] is INPUTS["y"]


def test_a_text_is_the_companion_s_title() -> None:
    out = companions(Recorder(), INPUTS, _specs(y="  附加分自评 "))
    assert out["y_self"].title == "附加分自评"  # stripped
    # blank text: the default title
    assert companions(Recorder(), INPUTS, _specs(y="  "))["y_self"].title == "附加分（自评）"


def test_false_or_no_declarations_add_nothing() -> None:
    assert companions(Recorder(), INPUTS, _specs(x=False)) == INPUTS
    assert companions(Recorder(), INPUTS, None) == INPUTS


def test_what_cannot_work_is_a_problem_at_self_assessed() -> None:
    recorder = Recorder()
    # flag: a blank 是/否 cell reads 否; y: titled like x; x: titled as itself
    out = companions(recorder, INPUTS, _specs(flag=True, y="得分", x="得分"))
    assert out == INPUTS  # nothing added, nothing pointed at
    assert recorder.found == [
        ("self_title_taken", ("inputs", "x", "self_assessed"), {"title": "得分"}),
        ("self_title_taken", ("inputs", "y", "self_assessed"), {"title": "得分"}),
        ("self_boolean", ("inputs", "flag", "self_assessed"), {"name": "flag"}),
    ]


def test_a_companion_id_already_declared_is_a_problem() -> None:
    inputs: dict[str, Input] = {**INPUTS, "x_self": dataclasses.replace(INPUTS["x"], id="x_self", title="另一个")}
    recorder = Recorder()
    out = companions(recorder, inputs, {"x": {"self_assessed": True}})
    assert out == inputs
    assert recorder.found == [("self_id_taken", ("inputs", "x", "self_assessed"), {"name": "x", "companion": "x_self"})]


def test_pairs_are_verified_and_claimed_in_scheme_order() -> None:
    scheme = scheme_from(HEADER + """
inputs:
  y: {title: 附加分, type: count, self_assessed: true}
  x: {title: 得分, type: number, self_assessed: 得分自评}
  z: {title: 其他, type: number}
items:
  - {id: a, title: 得分项, max: 100, formula: x + y + z}
""")
    assert [(v.id, c.id, c.title) for v, c in pairs(scheme)] == [("y", "y_self", "附加分（自评）"), ("x", "x_self", "得分自评")]
    assert pairs(scheme_from(HEADER + "inputs:\n  x: {title: 得分, type: number}\nitems:\n  - {id: a, title: 甲, max: 1, formula: x}\n")) == []
