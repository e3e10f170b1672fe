"""Read CSV and XLSX files into a Dataset of typed numpy columns.

Tables are recognised by their header, not their file name: a table with an
id column and a name column (and no per-month/per-rater inputs) is the unit
list; any other table holds inputs for the units, one row per unit or, when
its inputs are declared ``per`` a dimension, one row per unit and month /
rater / record. Headers may be an input's id or its Chinese title.

Every value is checked against its declaration (type, range, allowed
values); every problem names the file, sheet, row and column. Nothing is
silently zeroed: a missing value is an error unless the input's ``missing``
policy says otherwise. CSV encodings are detected (UTF-8 with or without BOM,
UTF-16 as Excel's "Unicode text", GB18030 which covers GBK/GB2312).

The steps, one module each (tables → typed numpy columns, every check located):

- ``headers``: header words → which column holds what; ``layout``: a table's columns;
- ``summary``: 合计/签字 lines; ``cells``: cells → texts, numbers, labels;
  ``parsing``: an input's column → typed values, bad cells reported;
- ``units``: the unit list; ``groups``: group names that look like typos;
  ``matching``: ids/names → unit numbers;
- ``inputs``: one data table's rows placed and checked; ``duplicates``: rows given twice;
- ``collector`` / ``store`` / ``open_dims``: the per-input arrays; ``missing``: missing
  values; ``finish``: the Dataset's columns; ``corrections``: the correction table;
- ``dataset``: the Dataset type; ``reader``: the steps in order; here: the public entry.
"""

from __future__ import annotations

import contextlib
import os
import typing as t
from pathlib import Path

from engine import tables as tables_mod
from engine.data.dataset import Column, Correction, Dataset, Origin, RaterLabels, Units, dataset_from_columns
from engine.data.headers import headers_of
from engine.data.reader import Progress, read
from engine.data.report import Report
from engine.errors import DataError, Location, Problem
from engine.model import Scheme
from engine.tables import Table

__all__ = ["Column", "Correction", "Dataset", "Origin", "Progress", "RaterLabels", "Units", "dataset_from_columns", "read_dataset"]


def read_dataset(
    scheme: Scheme,
    paths: t.Sequence[str | Path],
    progress: Progress | None = None,
) -> Dataset:
    """Read the data files at ``paths`` (files or folders, each read once) for ``scheme``.

    Args:
        progress: called with (file, rows read, finished) after each file,
            so a command line can show progress on large data.

    Raises:
        DataError: with every problem found, when any is an error.
    """
    problems: list[Problem] = []
    files = tables_mod.expand(paths, problems)
    if not files:
        raise DataError([*problems, Problem.at("data_no_files", Location(", ".join(map(str, paths))))])
    headers = headers_of(scheme)
    tables: list[Table] = []
    with _without_huge_pages():
        for path in files:
            tables.extend(tables_mod.read_tables(path, headers.vocabulary, problems, headers.numeric))
        if any(p.severity == "error" for p in problems):
            raise DataError(problems)
        return read(scheme, headers, tables, Report(problems), progress)


@contextlib.contextmanager
def _without_huge_pages() -> t.Iterator[None]:
    """While reading, numpy's large arrays take ordinary pages instead of transparent huge pages.

    Why: the reader makes gigabytes of fresh arrays at a million members.
    On a virtual machine that hands freed memory back to its host (free
    page reporting, memory balloons: Firecracker and many cloud VMs, the
    benchmark's machine among them), faulting in a fresh 2 MiB huge page
    costs far more than the 4 KiB pages it replaces: on the 2-core
    benchmark VM a whole 1M-member run spent 15 s in the kernel with huge
    pages and 8–10 s without. On bare metal huge pages are a little faster.
    ``NUMPY_MADVISE_HUGEPAGE`` set in the environment is numpy's own switch
    and is respected. The setting is restored afterwards.
    """
    switch = None
    if "NUMPY_MADVISE_HUGEPAGE" not in os.environ:
        for module in ("numpy._core.multiarray", "numpy.core.multiarray"):
            try:
                switch = getattr(__import__(module, fromlist=["_set_madvise_hugepage"]), "_set_madvise_hugepage")
                break
            except (ImportError, AttributeError):
                continue
    before = switch(False) if switch is not None else None
    try:
        yield
    finally:
        if switch is not None:
            switch(before)
