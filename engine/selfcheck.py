"""Self-assessed and verified values (自评分 / 核查分): the companion inputs.

An input declared with ``self_assessed`` has a companion input, ``<id>_self``,
read from its own column (by default titled "<title>（自评）"): what the unit
claimed. The input itself holds the verified value (核查), and scoring reads
only that one. This module
compiles the companion (``companions``): same type, range, dimension and
values; optional as a column and blank where a unit did not self-assess.
engine.selfscores scores the claims and lays both side by side.
"""

from __future__ import annotations

import dataclasses
import typing as t

from engine.loader import YamlPath
from engine.model import Input, Scheme
from engine.yamltypes import Yaml

#: Suffix of the companion input's id.
SUFFIX = "_self"


class Problems(t.Protocol):
    """What the compile step needs of the compiler: a way to record a located problem."""

    def problem(self, code: str, path: YamlPath, severity: t.Literal["error", "warning"] = "error", *,
                at_key: bool = False, **args: object) -> None: ...


def companions(c: Problems, inputs: t.Mapping[str, Input], specs: Yaml) -> dict[str, Input]:
    """The declared inputs with, for each one marked ``self_assessed``, its
    companion ``<id>_self`` added after it (and the input pointing at it).

    ``self_assessed: true`` titles the companion column "<title>（自评）";
    a text gives the title itself ("党员大会次数自评").
    """
    out: dict[str, Input] = {}
    for ident, spec in inputs.items():
        entry = specs.get(ident) if isinstance(specs, dict) else None
        raw = entry.get("self_assessed") if isinstance(entry, dict) else None
        if raw is None or raw is False:
            out[ident] = spec
            continue
        if spec.type == "boolean":
            # A blank 是/否 cell reads as 否, so "did not self-assess" could not be told from "claimed 否".
            c.problem("self_boolean", ("inputs", ident, "self_assessed"), name=ident)
            out[ident] = spec
            continue
        companion_id = ident + SUFFIX
        if companion_id in inputs:
            c.problem("self_id_taken", ("inputs", ident, "self_assessed"), name=ident, companion=companion_id)
            out[ident] = spec
            continue
        title = raw.strip() if isinstance(raw, str) and raw.strip() else f"{spec.title}（自评）"
        if title == spec.title or any(other.title == title for other in inputs.values()):
            c.problem("self_title_taken", ("inputs", ident, "self_assessed"), title=title)
            out[ident] = spec
            continue
        out[ident] = dataclasses.replace(spec, self_assessed=companion_id)
        out[companion_id] = dataclasses.replace(
            spec, id=companion_id, title=title, missing="skip", optional=True,
            note=f"{spec.title}的自评值（计分用核查值 {ident}）", self_assessed=None,
        )
    return out


def pairs(scheme: Scheme) -> list[tuple[Input, Input]]:
    """(verified input, self-assessed companion) of every self-assessed input, in scheme order."""
    return [(spec, scheme.inputs[spec.self_assessed]) for spec in scheme.inputs.values()
            if spec.self_assessed is not None and spec.self_assessed in scheme.inputs]
