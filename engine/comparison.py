"""Two versions of a scheme scored on the same data: what ``kaohe diff`` shows.

Two scheme files (or one and its ``--set`` variant, with an optional
``--sweep`` of a parameter) → both compiled → both scored on one dataset
(read once per distinct reading) → the rule changes, the unit-by-unit
outcome changes and the sweep table (:class:`Comparison`). Values of the
command line are checked before any file is read; warnings go to the
context's ``notify``; user errors are raised as :class:`~engine.errors.KaoheError`.
Nothing here prints.
"""

from __future__ import annotations

import dataclasses
import typing as t
from pathlib import Path

from engine.context import Context
from engine.errors import Location, Problem, UsageError

if t.TYPE_CHECKING:
    from engine.diff import Change, OutcomeDiff
    from engine.grade import Outcomes
    from engine.model import Scheme
    from engine.sweep import SweepTable


@dataclasses.dataclass(frozen=True)
class Comparison:
    """The old and new version, what changed between them, and where the result goes."""

    old: Scheme
    new: Scheme
    changes: tuple[Change, ...]
    outcome: OutcomeDiff
    #: The ``sweep`` part of the diff document (engine.sweep.run_sweep), when swept.
    table: SweepTable | None
    #: The file ``--out`` names (None: printed).
    target: Path | None


def check_assignments(assignments: t.Sequence[str]) -> None:
    """Refuse a ``--set PATH=VALUE`` whose value YAML cannot build (``2024-02-30``).

    The value is read as YAML; a date-shaped value that is no date makes
    PyYAML raise ValueError rather than a YAMLError. Text that is not YAML
    at all is kept as text by :func:`engine.overrides.parse_assignment`.
    """
    import yaml

    problems = []
    for text in assignments:
        if "=" not in text:
            continue
        value = text.split("=", 1)[1]
        try:
            yaml.safe_load(value)
        except yaml.YAMLError:
            continue
        except (ValueError, TypeError, OverflowError, RecursionError) as err:
            problems.append(Problem.at("cli_set_bad_value", Location(""), found=text, reason=str(err) or type(err).__name__))
    if problems:
        raise UsageError(problems)


def compare(schemes: t.Sequence[str], data: t.Sequence[str], context: Context, *, assignments: t.Sequence[str] = (),
            sweep: str | None = None, period: str | None = None, results: t.Sequence[str] = (),
            out: str | None = None, fmt: str = "md") -> Comparison:
    """``schemes`` (one or two files), the first's variant by ``assignments`` and the ``sweep``
    points, scored on ``data`` and compared. ``out`` (with the format's suffix ``fmt``)
    is checked against the inputs before any data is read.

    Raises:
        KaoheError: a bad value, scheme or data file; ``diff_needs_change`` for one scheme
            and nothing to change; ``diff_incompatible`` for schemes of different subjects.
    """
    from engine.compiler import compile_scheme
    from engine.diff import diff_outcomes, diff_schemes
    from engine.inherit import load_scheme
    from engine.outputs import Inputs, output_path, refuse_overwriting_inputs
    from engine.overrides import apply_overrides
    from engine.pipeline import DatasetCache, assess, load_results
    from engine.sweep import parse_sweep, run_sweep, weight_warnings

    # The command-line values first: a bad one is reported before any file is read.
    check_assignments(assignments)
    swept = parse_sweep(sweep) if sweep else None
    old_raw = load_scheme(schemes[0])
    new_raw = load_scheme(schemes[1]) if len(schemes) == 2 else old_raw
    target = output_path(out, f"diff.{fmt}") if out else None
    if len(schemes) == 1 and not assignments and not sweep:
        raise UsageError([Problem.at("diff_needs_change", Location("kaohe diff"))])
    if assignments:
        new_raw = apply_overrides(new_raw, assignments)
    old, old_warnings = compile_scheme(old_raw)
    new, new_warnings = compile_scheme(new_raw)
    weights = weight_warnings(old, new, "--set " + "; ".join(assignments)) if assignments else []
    context.notify(sorted(set(old_warnings) | set(new_warnings), key=Problem.sort_key) + weights)
    if target is not None and out is not None:
        inputs = Inputs(data, results, str(context.history))
        refuse_overwriting_inputs([target], out, inputs, old)
        refuse_overwriting_inputs([target], out, inputs, new)
    if old.subject != new.subject:
        raise UsageError([Problem.at("diff_incompatible", Location(new.file), old=old.subject or "—", new=new.subject or "—")])
    documents = [load_results(Path(f)) for f in results]
    cache = DatasetCache()

    def score(scheme: Scheme) -> Outcomes:
        return assess(scheme, data, context, period=period, documents=documents, cache=cache)

    before, after = score(old), score(new)
    changes = diff_schemes(old, new)
    outcome = diff_outcomes(before, after)
    table = None
    if swept is not None:
        table = run_sweep(swept, new_raw, new, before, score, lambda raw: compile_scheme(raw)[0],
                          lambda problem: context.notify([problem]), context)
    return Comparison(old, new, changes, outcome, table, target)
