"""Which files to read, whether each can be read, and which reader reads it.

Folders are expanded into their data files (anything else in them listed as
skipped); a folder, FIFO or device named like a data file, an unreadable
file or an unknown suffix is one located problem; the suffix picks the
reader (engine.tables.csv_reader, engine.tables.workbook).
"""

from __future__ import annotations

import os
import stat
import typing as t
from pathlib import Path

from engine.errors import Location, Problem
from engine.tables.csv_reader import read_csv
from engine.tables.table import Table
from engine.tables.workbook import read_book

#: File types read, by suffix.
CSV_SUFFIXES = (".csv", ".tsv", ".txt")
BOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
DATA_SUFFIXES = (".csv", *BOOK_SUFFIXES)


def expand(paths: t.Sequence[str | Path], problems: list[Problem]) -> list[Path]:
    """Files and folders → the data files to read, each once, in the order given.

    A folder contributes its data files (sorted); any other file in it is
    listed as skipped with the reason, so nothing is dropped without a word.
    """
    files: list[Path] = []
    seen: set[Path] = set()

    def add(path: Path) -> None:
        key = path.resolve() if path.exists() else path.absolute()
        if key not in seen:
            seen.add(key)
            files.append(path)

    for path in map(Path, paths):
        if path.is_dir() and path.suffix.lower() not in DATA_SUFFIXES:
            for child in sorted(path.iterdir()):
                if child.name.startswith(("~$", ".")):
                    continue  # Office lock files and hidden files
                if child.suffix.lower() in DATA_SUFFIXES:
                    add(child)
                elif child.is_file() and child.suffix.lower() not in (".md", ".yaml", ".yml", ".json"):
                    problems.append(Problem.at("data_skipped_file", Location(str(child)), "warning",
                                               ext=child.suffix or child.name))
        else:
            add(path)
    return files


def check_file(path: Path) -> Problem | None:
    """Why ``path`` cannot be read as a data file, or None."""
    try:
        info = path.stat()
    except FileNotFoundError:
        return Problem.at("file_not_found", Location(str(path)))
    except OSError as err:
        return Problem.at("data_unreadable", Location(str(path)), reason=err.strerror or type(err).__name__)
    if stat.S_ISDIR(info.st_mode):
        return Problem.at("data_not_a_file", Location(str(path)), kind="文件夹/folder")
    if not stat.S_ISREG(info.st_mode):
        return Problem.at("data_not_a_file", Location(str(path)), kind="设备或管道/device or pipe")
    if not os.access(path, os.R_OK):
        return Problem.at("data_unreadable", Location(str(path)), reason="permission denied")
    if path.suffix.lower() not in DATA_SUFFIXES:
        return Problem.at("data_format", Location(str(path)), ext=path.suffix or path.name)
    return None


def read_tables(path: Path, vocabulary: t.Collection[str], problems: list[Problem],
                numeric: t.Collection[str] = ()) -> list[Table]:
    """One data file → its tables (a CSV has one, a workbook one per sheet).

    ``vocabulary`` holds the header texts the scheme knows (lower-case,
    NFKC-folded); the header of each sheet is the row naming most of them.
    CSV columns headed by a text in ``numeric`` are read straight as
    numbers when every cell is a plain number (else as text, and a later
    stage names the cells that are not).
    """
    problem = check_file(path)
    if problem is not None:
        problems.append(problem)
        return []
    try:
        if path.suffix.lower() in BOOK_SUFFIXES:
            return read_book(path, vocabulary, problems)
        return read_csv(path, vocabulary, problems, numeric)
    except OSError as err:
        problems.append(Problem.at("data_unreadable", Location(str(path)), reason=err.strerror or type(err).__name__))
        return []
