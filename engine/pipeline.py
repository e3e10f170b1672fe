"""The one pipeline: scheme file → Scheme; data files → Dataset; Dataset →
Results → Outcomes — what ``kaohe run``, ``explain``, ``diff``, ``report``,
the scenario runner and the tests all call.

Each function is a stage a front end may also call alone (``kaohe validate``
stops after :func:`load`); warnings go to the context's ``notify`` as soon as
a stage has them, errors are raised as :class:`~engine.errors.KaoheError`.
Nothing here prints, parses arguments or chooses a language for itself.
"""

from __future__ import annotations

import dataclasses
import json
import typing as t
from pathlib import Path

from engine.context import Context
from engine.errors import Location, Problem, UsageError
from engine.yamltypes import Yaml, YamlMap, mapping

if t.TYPE_CHECKING:
    from engine.data import Dataset
    from engine.grade import Outcomes
    from engine.model import Scheme

#: Results documents of other schemes (``kaohe run --format json``), by which
#: history rules of this period read their outcomes (JSON: a subset of what Yaml holds).
Documents = t.Sequence[t.Mapping[str, Yaml]]
#: One results document as read from its file (JSON: its values are checked where they are read).
Document = YamlMap


@dataclasses.dataclass
class DatasetCache:
    """Datasets already read, by what of a scheme the reader depends on:
    the versions of ``kaohe diff`` and the points of a sweep share their data."""

    entries: list[tuple[tuple[object, ...], Dataset]] = dataclasses.field(default_factory=list)

    def get(self, key: tuple[object, ...]) -> Dataset | None:
        return next((dataset for known, dataset in self.entries if known == key), None)

    def put(self, key: tuple[object, ...], dataset: Dataset) -> None:
        self.entries.append((key, dataset))


def load(file: str | Path, context: Context) -> Scheme:
    """The scheme in ``file`` (its ``extends`` chain resolved), compiled; warnings to ``context.notify``."""
    from engine.compiler import compile_scheme
    from engine.inherit import load_scheme

    scheme, warnings = compile_scheme(load_scheme(file))
    context.notify(warnings)
    return scheme


def reading_of(scheme: Scheme) -> tuple[object, ...]:
    """What of a scheme the data reader depends on: two schemes equal here read the same files alike.

    Positions are left out: a ``--set`` variant has the same declarations
    under another file label. Anything not comparable makes the cache miss,
    which only costs a second read.
    """
    # Of the grades, the reader only checks a hand-given grade against its band values.
    manual = scheme.manual
    hand_graded = tuple((g.id, g.title, tuple(b.result for b in g.bands)) for g in scheme.grades if manual and g.id == manual.grade)
    from engine.needs import required_types

    # Which units must fill in each input follows from the items that read it (engine.needs).
    key = _declarations((scheme.inputs, scheme.dimensions, manual, hand_graded, scheme.corrections,
                         scheme.subject, scheme.unit_types, scheme.group_title, required_types(scheme),
                         # raters' labels are kept only for a scheme with ballots (engine.ballots)
                         bool(scheme.ballots),
                         # a tree's parent column and figures (engine.tree)
                         scheme.tree))
    assert isinstance(key, tuple)
    return key


def _declarations(value: object) -> object:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return (type(value).__name__,) + tuple(
            (f.name, _declarations(getattr(value, f.name))) for f in dataclasses.fields(value) if f.name != "location")
    if isinstance(value, t.Mapping):
        return tuple((k, _declarations(v)) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return tuple(_declarations(v) for v in value)
    return value


def read(scheme: Scheme, data: t.Sequence[str | Path], context: Context, cache: DatasetCache | None = None) -> Dataset:
    """The data files (or folders) ``data`` read for ``scheme`` — once per distinct reading when a cache is given."""
    from engine.data import read_dataset
    from engine.progress import Progress

    key = reading_of(scheme)
    known = cache.get(key) if cache is not None else None
    if known is not None:
        return known
    progress = Progress(context.lang, context.quiet, sink=context.progress)
    try:
        dataset = read_dataset(scheme, data, progress=progress)
    finally:
        progress.stop()  # before any message is shown
    context.notify(dataset.warnings)
    if cache is not None:
        cache.put(key, dataset)
    return dataset


def with_history(scheme: Scheme, dataset: Dataset, context: Context, period: str | None, documents: Documents = ()) -> Dataset:
    """The dataset with the earlier outcomes the scheme's history rules read:
    from the history store (or ``documents``, which answer for their schemes)
    before ``period``; none at all without a period."""
    from engine import history

    if not scheme.history:
        return dataset
    if period is None:
        return dataclasses.replace(dataset, columns={**dataset.columns, **history.no_earlier(scheme, len(dataset.units))})
    given = {mapping(doc["scheme"])["id"] for doc in documents}
    earlier, notes = history.lookup(context.history, scheme, period, dataset.units.ids)
    # A results file given on the command line answers for its scheme instead of the history.
    context.notify([p for p in notes if dict(p.args).get("scheme") not in given])
    columns = history.from_documents(documents, scheme, dataset.units.ids, {**dataset.columns, **earlier})
    return dataclasses.replace(dataset, columns=columns)


def score(scheme: Scheme, dataset: Dataset, context: Context, details: bool = False) -> Outcomes:
    """Every unit scored, graded and ranked (``details`` keeps each rule's
    intermediate columns, for score sheets and notices)."""
    from engine.evaluate import evaluate
    from engine.grade import decide
    from engine.progress import Progress

    progress = Progress(context.lang, context.quiet, sink=context.progress)
    progress.stage(f"正在计算 {len(dataset.units):,} 个单位的得分", f"scoring {len(dataset.units):,} units")
    try:
        if scheme.tree is not None:  # levels scored bottom-up, parents reading their children (engine.bottom_up)
            from engine.bottom_up import score_levels
            outcomes = score_levels(scheme, dataset, details)
        else:
            outcomes = decide(evaluate(scheme, dataset, details=details))
        results = outcomes.results
    finally:
        progress.stop()
    context.notify(results.warnings)
    context.notify(outcomes.warnings)
    return outcomes


def assess(scheme: Scheme, data: t.Sequence[str | Path] | Dataset, context: Context, *, period: str | None = None,
           documents: Documents = (), details: bool = False, cache: DatasetCache | None = None) -> Outcomes:
    """Read (unless ``data`` is a dataset already), add history, score, grade and rank."""
    from engine.data import Dataset

    dataset = data if isinstance(data, Dataset) else read(scheme, data, context, cache)
    return score(scheme, with_history(scheme, dataset, context, period, documents), context, details)


def load_results(path: Path) -> Document:
    """A results document written by ``kaohe run --format json`` (its shape checked).

    Raises:
        UsageError: ``file_not_found``, or ``results_unreadable`` with the reason.
    """
    try:
        parsed = json.loads(path.read_text(encoding="utf-8"))
        parsed["scheme"]["id"], parsed["units"]  # noqa: B018 (shape check: a mapping with these keys)
        document: Document = parsed
    except FileNotFoundError:
        raise UsageError([Problem.at("file_not_found", Location(str(path)))]) from None
    except RecursionError:
        # json nests arrays by recursion: thousands of '[' are no results document.
        raise UsageError([Problem.at("results_unreadable", Location(str(path)), reason="nested too deeply")]) from None
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise UsageError([Problem.at("results_unreadable", Location(str(path)), reason=str(err))]) from None
    return document


def assess_file(file: str | Path, data: t.Sequence[str | Path], context: Context, *, period: str | None = None,
                results: t.Sequence[str | Path] = (), record: bool = False, replace: bool = False, details: bool = False,
                check: t.Callable[[Scheme], None] | None = None) -> Outcomes:
    """Scheme file + data files (+ ``--results`` documents) → Outcomes, as ``kaohe run`` needs them.

    ``check`` sees the compiled scheme before any data is read: it is where a
    command refuses what it can know from the scheme alone (an ``--out`` over
    one of its files, a ``--date`` too late for its notice period). With
    ``record`` the period must be given and not be in the history store yet
    (unless ``replace``); nothing is recorded here — a front end records after
    its outputs are written, so a failed output leaves the history as it was.

    Raises:
        KaoheError: a bad scheme, data or results file; ``history_needs_period``.
    """
    from engine import history

    scheme = load(file, context)
    if record and not period:
        raise UsageError([Problem.at("history_needs_period", Location("--period"))])
    if check is not None:
        check(scheme)
    if record:
        assert period is not None
        history.check_store(context.history, scheme.id, period, replace)
    if scheme.history and not period:
        # Without a period there is no "earlier": history rules see none, and the output says so once.
        context.notify([Problem.at("data_history_no_period", Location("--period"), "warning")])
    documents = [load_results(Path(f)) for f in results]
    return assess(scheme, data, context, period=period, documents=documents, details=details)


def unit_index(outcomes: Outcomes, given: str) -> int:
    """The position of the unit ``given`` names, by its id or, failing that, its name
    (a clerk may well type 张永胜 rather than D002).

    Raises:
        UsageError: ``cli_unknown_unit`` (with the closest id), or ``cli_ambiguous_name``
            for a name that several units have.
    """
    from engine.messages import closest

    units = outcomes.results.data.units
    ids = [str(i) for i in units.ids]
    if given in ids:
        return ids.index(given)
    named = [i for i, name in enumerate(units.names) if str(name) == given]
    if len(named) != 1:
        problem = (Problem.at("cli_ambiguous_name", Location("--unit"), name=given, ids=", ".join(ids[i] for i in named))
                   if named else Problem.at("cli_unknown_unit", Location("--unit"), id=given, suggest=closest(given, ids)))
        raise UsageError([problem])
    return named[0]
