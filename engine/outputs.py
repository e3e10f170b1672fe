"""Where a command's outputs go, and the guard that keeps them off its inputs.

``--out`` text → the file or folder written (:func:`output_path`,
:func:`output_folder`); the inputs a run reads (:class:`Inputs` and the
scheme's own files, :func:`scheme_files`) → a refusal before any data is
read when an output would land on one of them
(:func:`refuse_overwriting_inputs`); a text → a file written atomically
(:func:`write_output`). Nothing here prints; every refusal is a located
:class:`~engine.errors.UsageError`.
"""

from __future__ import annotations

import dataclasses
import errno
import os
import typing as t
from pathlib import Path

from engine.errors import KaoheError, Location, Problem, UsageError
from engine.messages import Text

if t.TYPE_CHECKING:
    from engine.context import Context
    from engine.model import Scheme


@dataclasses.dataclass(frozen=True)
class Inputs:
    """What a command reads besides the scheme: ``--data`` files or folders,
    ``--results`` documents and the ``--history`` store (``None``: it reads none)."""

    data: t.Sequence[str] = ()
    results: t.Sequence[str] = ()
    history: str | None = None


def output_path(out: str, default_name: str) -> Path:
    """Where ``--out`` puts a single output: the folder ``out``, or the file itself.

    ``--out 结果/`` writes ``结果/results.json``; ``--out 结果.json`` (the
    format's own suffix, and not an existing folder) writes that file, which
    is what a user who names a file expects.
    """
    path = Path(out)
    suffix = Path(default_name).suffix
    if path.suffix.lower() == suffix and not path.is_dir():
        return path
    if path.is_file():
        raise UsageError([Problem.at("cli_out_is_file", Location(out), suffix=suffix)])
    return path / default_name


def output_folder(out: str) -> Path:
    """The ``--out`` folder of a command that writes several files; checked before any work."""
    path = Path(out)
    if path.is_file():
        raise UsageError([Problem.at("cli_out_folder_is_file", Location(out))])
    return path


def scheme_files(scheme: Scheme) -> list[Path]:
    """The files a compiled scheme was read from: its own and every ``extends`` parent,
    each with the scenario tests beside it (``tests/*.yaml``)."""
    from engine.loader import load_scheme_file

    files: list[Path] = []
    own = Path(scheme.file.split(" (--set ", 1)[0])  # a --set variant is labelled "FILE (--set …)"
    chain = [own]
    seen = set()
    while chain:
        file = chain.pop()
        key = file.resolve()
        if key in seen or not file.is_file():
            continue
        seen.add(key)
        files.append(file)
        files += sorted(file.parent.glob("tests/*.yaml"))
        try:
            data = load_scheme_file(file).data
            parent = data.get("extends") if isinstance(data, dict) else None
        except KaoheError:  # it loaded once already; a second reading that fails only ends the chain
            parent = None
        if isinstance(parent, str):
            chain.append(file.parent / parent)
    return files


def refuse_overwriting_inputs(targets: t.Sequence[Path], out: str, inputs: Inputs, scheme: Scheme | None = None) -> None:
    """Refuse outputs that are, or would write over, something the command reads.

    Inputs are the ``--data`` files and the files directly inside a
    ``--data`` folder (the reader takes a folder's files, so an output
    written there would be read as data next time), the ``--results``
    documents, the history store, and the scheme's files with their tests.
    Paths are compared resolved and, where both exist, with ``samefile``
    (a hard link or another spelling is the same file). Called before any
    data is read, so a refused run has written and changed nothing.

    Raises:
        UsageError: ``cli_out_is_input`` or ``cli_out_in_data`` naming ``--out``.
    """
    read: list[tuple[Path, Text]] = []
    folders: list[Path] = []
    for given in inputs.data:
        path = Path(given)
        if path.is_dir():
            folders.append(path)
        else:
            read.append((path, Text("--data 数据文件", "a --data file")))
    read += [(Path(f), Text("--results 结果文件", "a --results file")) for f in inputs.results]
    if inputs.history:
        read.append((Path(inputs.history), Text("历史数据库 --history", "the --history store")))
    if scheme is not None:
        read += [(f, Text("方案或其测试文件", "the scheme or one of its tests")) for f in scheme_files(scheme)]
    for target in targets:
        resolved = target.resolve()
        for folder in folders:
            if resolved.parent == folder.resolve() or resolved == folder.resolve():
                raise UsageError([Problem.at("cli_out_in_data", Location(""), out=out, input=str(folder))])
            if target.is_file():
                # A hard link elsewhere to one of the folder's files is that file.
                mine = target.stat()
                with os.scandir(folder) as entries:
                    linked = [entry.path for entry in entries if entry.is_file()
                              and (entry.stat().st_dev, entry.stat().st_ino) == (mine.st_dev, mine.st_ino)]
                if linked:
                    raise UsageError([Problem.at("cli_out_is_input", Location(""), out=out, input=linked[0],
                                                 what=Text("--data 数据文件", "a --data file"))])
        for path, what in read:
            same = resolved == path.resolve()
            if not same and target.exists() and path.exists():
                try:
                    same = os.path.samefile(target, path)
                except OSError:
                    same = False
            if same:
                raise UsageError([Problem.at("cli_out_is_input", Location(""), out=out, input=str(path), what=what)])


def template_target(out: str, scheme: Scheme) -> tuple[Path, bool]:
    """``template --out`` → the workbook to write, and whether ``.xlsx`` was put on the name given.

    A folder (or a name ending in a slash) gets ``<scheme id>-填报表.xlsx``;
    Excel opens only ``.xlsx`` under that name, so another suffix is replaced
    (and the front end says so).
    """
    target = Path(out)
    if target.is_dir() or out.endswith(("/", "\\")):
        return target / f"{scheme.id}-填报表.xlsx", False
    if target.suffix.lower() != ".xlsx":
        return target.with_suffix(".xlsx"), True
    return target, False


def write_blank_template(scheme: Scheme, target: Path, out: str, units: int | None, context: Context) -> list[str]:
    """A blank data-entry workbook for ``scheme`` (``units`` rows prepared) written to ``target``,
    which is neither an input nor an existing file; returns its sheets' names.

    Raises:
        UsageError: ``cli_out_is_input``, ``cli_template_exists`` or ``cli_output``.
    """
    from engine.template import write_template

    refuse_overwriting_inputs([target], out, Inputs(), scheme)
    if target.exists():
        # A blank form over a filled-in one would lose a department's entries: never replace a file.
        raise UsageError([Problem.at("cli_template_exists", Location(""), out=str(target))])
    try:
        return write_template(scheme, target, units, context)
    except OSError as err:
        raise output_problem(target, err) from None


def write_output(target: Path, text: str, encoding: str = "utf-8") -> None:
    """``text`` written to ``target`` atomically (all of it or, on failure, the file as it was).

    Raises:
        UsageError: ``cli_output`` naming the file and the system's reason.
    """
    from engine.render import write_atomic

    try:
        write_atomic(target, text, encoding)
    except OSError as err:
        raise output_problem(target, err) from None


def output_problem(target: Path, err: OSError) -> UsageError:
    """An output that could not be written (a full disk, a read-only folder) as a located error."""
    if err.errno in (errno.ENOSPC, errno.EDQUOT):  # said in the user's language, not the system's
        return UsageError([Problem.at("cli_output_full", Location(str(target)))])
    return UsageError([Problem.at("cli_output", Location(str(target)), reason=err.strerror or str(err))])
