"""Apply ``--set PATH=VALUE`` edits to a RawScheme, giving a new RawScheme.

A path starts at a top-level key (``precision``, ``params``) or at any id in
the scheme (an item, section, part, veto, grade, ranking …) and continues
with keys, ``[n]`` list indexes or ids: ``params.base_weight.value=0.7``,
``item_10.max=5``, ``part_a.weight=0.3``, ``stars.bands[0].ge=94``; a param
by its name stands for its value (``base_weight=0.7``). The value
is read as YAML (``0.7`` is a number, ``abc`` text). A path that leads
nowhere is a located error with the nearest names; the edited scheme is then
validated and compiled like any file, so a bad value is reported too. The
original RawScheme is never modified.
"""

from __future__ import annotations

import copy
import dataclasses
import re
import typing as t
from decimal import Decimal, InvalidOperation

from engine.errors import Location, Problem, SchemeError, UsageError
from engine.ids import all_names, find
from engine.loader import RawScheme, load_value_text
from engine.messages import closest
from engine.yamltypes import Yaml

_SEGMENT = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def parse_assignment(text: str) -> tuple[str, Yaml]:
    """``"a.b=0.7"`` → ``("a.b", 0.7)``.

    The value is read like a scheme's YAML (same tags, limits and checks);
    text that is not YAML at all is taken as written.

    Raises:
        UsageError: the value holds what a scheme may not (a control
            character, an impossible date such as 2024-02-30, a tag, too deep
            a nesting), located at ``--set PATH``.
    """
    if "=" not in text:
        raise UsageError([Problem.at("set_syntax", Location("--set"), found=text)])
    path, value = text.split("=", 1)
    path = path.strip()
    if not value.strip():
        return path, ""
    try:
        parsed = load_value_text(value, "--set")
    except SchemeError as err:
        if all(p.code == "yaml_syntax" for p in err.problems):
            return path, value
        # The problem as found, at the --set path (a value typed on the command line has no line).
        raise UsageError([dataclasses.replace(p, location=Location("--set", None, None, path)) for p in err.problems]) from None
    return path, parsed


def _segments(path: str) -> list[str | int]:
    out: list[str | int] = []
    for name, index in _SEGMENT.findall(path):
        out.append(int(index) if index else name)
    return out


def _find_id(node: Yaml, ident: str) -> Yaml:
    """The definition ``ident`` names (an id anywhere, or an input/param … name; engine.ids)."""
    found = find(node, ident)
    return None if found is None else found.value


def _ids(node: Yaml) -> list[str]:
    return all_names(node)


def apply_overrides(raw: RawScheme, assignments: t.Sequence[str]) -> RawScheme:
    """A copy of ``raw`` with every ``PATH=VALUE`` assignment applied.

    Raises:
        UsageError: a path does not lead to an existing key, index or id.
    """
    data = copy.deepcopy(raw.data)
    problems: list[Problem] = []
    for text in assignments:
        path, value = parse_assignment(text)
        segments = _segments(path)
        where = Location("--set", None, None, path)
        if not segments:
            problems.append(Problem.at("set_syntax", where, found=text))
            continue
        first = segments[0]
        container: Yaml
        if isinstance(first, str) and first in data:
            container, rest = data, segments
        else:
            container = _find_id(data, str(first))
            rest = segments[1:]
            if container is None:
                problems.append(Problem.at("set_bad_path", where, segment=str(first), suggest=closest(str(first), list(data) + _ids(data))))
                continue
        if not rest and _is_param(data, container):
            rest = ["value"]  # base_weight=0.7: a param by its name stands for its value
        if not rest:
            problems.append(Problem.at("set_syntax", where, found=text))
            continue
        ok = True
        for segment in rest[:-1]:
            step = _step(container, segment)
            if step is None:
                problems.append(Problem.at("set_bad_path", where, segment=str(segment), suggest=_suggest(container, segment)))
                ok = False
                break
            container = step
        if not ok:
            continue
        last = rest[-1]
        if isinstance(container, list) and isinstance(last, int) and last < len(container):
            container[last] = value
        elif isinstance(container, dict) and isinstance(last, str) and isinstance(param := container.get(last), dict) \
                and _is_param(data, param) and not isinstance(value, dict):
            param["value"] = value  # params.base_weight=0.7 sets its value
        elif isinstance(container, dict) and isinstance(last, str):
            container[last] = value  # a new key is checked by the schema afterwards
        else:
            problems.append(Problem.at("set_bad_path", where, segment=str(last), suggest=_suggest(container, last)))
    if problems:
        raise UsageError(problems)
    label = f"{raw.file} (--set {'; '.join(assignments)})"
    return dataclasses.replace(raw, file=label, data=data)


def _is_param(data: Yaml, node: Yaml) -> bool:
    """Whether ``node`` is one of the scheme's params (an entry of ``params``)."""
    params = data.get("params") if isinstance(data, dict) else None
    return isinstance(params, dict) and isinstance(node, dict) and any(node is entry for entry in params.values())


def _step(container: Yaml, segment: str | int) -> Yaml:
    if isinstance(container, dict) and isinstance(segment, str):
        return container.get(segment)
    if isinstance(container, list):
        if isinstance(segment, int):
            return container[segment] if segment < len(container) else None
        return next((x for x in container if isinstance(x, dict) and x.get("id") == segment), None)
    return None


def _suggest(container: Yaml, segment: str | int) -> str:
    if isinstance(container, dict):
        return closest(str(segment), [str(k) for k in container])
    if isinstance(container, list):
        return closest(str(segment), [ident for x in container if isinstance(x, dict) and isinstance(ident := x.get("id"), str)])
    return ""


#: Sweep bounds (docs/limits.md): values within ±10^15, steps of at least 10^-9.
_SWEEP_LIMIT = Decimal("1e15")
_SWEEP_STEP = Decimal("1e-9")


def sweep_values(text: str) -> tuple[str, list[int | float]]:
    """``"a.b=0.6:0.9:0.1"`` → ``("a.b", [0.6, 0.7, 0.8, 0.9])``, stepped exactly in decimals."""
    if "=" not in text or text.count(":") != 2:
        raise UsageError([Problem.at("sweep_syntax", Location("--sweep"), found=text)])
    path, spec = text.split("=", 1)
    refused = UsageError([Problem.at("sweep_syntax", Location("--sweep"), found=text)])
    try:
        start, stop, step = (Decimal(part.strip()) for part in spec.split(":"))
    except InvalidOperation:
        raise refused from None
    # NaN and infinities do not compare (InvalidOperation) or never advance;
    # 1e400 + 1 is 1e400 again in 28 digits: such a sweep would loop forever.
    if not all(x.is_finite() and abs(x) <= _SWEEP_LIMIT for x in (start, stop, step)) or step < _SWEEP_STEP or stop < start \
            or (stop - start) / step > 1000:
        raise refused
    values: list[int | float] = []
    count = int((stop - start) / step)
    for index in range(count + 1):
        current = start + index * step
        if values and current == start + (index - 1) * step:
            raise refused
        values.append(int(current) if current == current.to_integral_value() else float(current))
    if len(set(values)) != len(values):
        # Distinct decimals that are one float.
        raise refused
    return path.strip(), values
