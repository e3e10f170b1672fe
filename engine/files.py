"""Text and folders → files on disk, never half written.

A report folder, a results file or a saved scheme is written beside its
target and moved into place in one step, so an interrupted run leaves the
old file (or none), never a truncated one.
"""

from __future__ import annotations

import dataclasses
import errno
import os
import tempfile
import typing as t
from pathlib import Path


def write_atomic(path: Path, text: str, encoding: str = "utf-8") -> None:
    """Write ``text`` to ``path`` so that no half-written file is ever left."""

    def write(temporary: Path) -> None:
        with temporary.open("w", encoding=encoding, newline="") as out:
            out.write(text)

    replace_atomically(path, write)


@dataclasses.dataclass(frozen=True)
class Staged:
    """A file being written beside its target (:func:`stage`): the open temporary file
    ``handle`` at ``temporary``, moved to ``path`` by :func:`commit`."""

    path: Path
    temporary: Path
    handle: int


def stage(path: Path) -> Staged:
    """A new, empty temporary file beside ``path``, open for writing (:func:`write_all`)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=path.suffix, dir=path.parent)
    return Staged(path, Path(name), handle)


def write_all(staged: Staged, data: bytes) -> None:
    """Write all of ``data`` into the staged file.

    Nothing here but ``os.write``, which runs without the GIL: a report's pages are
    written by a second thread while the main thread makes the next page, and each
    time a thread takes the GIL back it may wait for the other thread's turn to end
    (5 ms). Creating, closing and moving the file (a dozen system calls, each a turn
    to wait for) is left to the main thread (:func:`stage`, :func:`commit`).
    """
    view = memoryview(data)
    while view:
        view = view[os.write(staged.handle, view):]


def commit(staged: Staged) -> None:
    """Close the staged file and put it in place of its target in one step; on failure the
    temporary file is removed (its handle is not closed a second time: that could close a
    file another thread has just been given the same number for)."""
    try:
        os.close(staged.handle)
        _put_in_place(staged.temporary, staged.path)
    except BaseException:
        staged.temporary.unlink(missing_ok=True)
        raise


def _put_in_place(temporary: Path, path: Path) -> None:
    """Give a finished temporary file the usual permissions and move it onto ``path``."""
    mask = os.umask(0)
    os.umask(mask)
    os.chmod(temporary, 0o666 & ~mask)  # mkstemp makes the file private (0600)
    os.replace(temporary, path)  # the same folder, so one atomic step on one file system


def discard(staged: Staged) -> None:
    """Close and remove a staged file that is not being written (the target is left as it was)."""
    try:
        os.close(staged.handle)
    finally:
        staged.temporary.unlink(missing_ok=True)


def replace_folder_files(folder: Path, write: t.Callable[[Path], list[Path]]) -> list[Path]:
    """Let ``write`` fill a temporary folder beside ``folder``, then move its files into ``folder``.

    Nothing reaches ``folder`` unless ``write`` finished: on any error the
    temporary folder is removed and ``folder`` is as it was. A missing
    ``folder`` is the temporary one renamed (one step); into an existing one
    each file is moved by ``os.replace`` (same file system, so no copy can
    fail halfway). Returns the files' paths in ``folder``, in ``write``'s order.
    """
    import shutil

    folder.parent.mkdir(parents=True, exist_ok=True)
    temporary = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=folder.parent))
    try:
        names = [path.relative_to(temporary) for path in write(temporary)]
        mask = os.umask(0)
        os.umask(mask)
        if not folder.exists():
            os.chmod(temporary, 0o777 & ~mask)  # mkdtemp's folder is private (0700)
            os.rename(temporary, folder)
        else:
            # Every target is checked before the first move: a folder (or a file where
            # a subfolder goes) in the way would stop the moves halfway.
            blocked = [folder / name for name in names if (folder / name).is_dir()
                       or any(parent.exists() and not parent.is_dir() for parent in (folder / name).parents if folder in parent.parents)]
            if blocked:
                raise IsADirectoryError(errno.EISDIR, "a folder or file is in the way", str(blocked[0]))
            for name in names:
                (folder / name).parent.mkdir(parents=True, exist_ok=True)
                os.replace(temporary / name, folder / name)
        return [folder / name for name in names]
    finally:
        shutil.rmtree(temporary, ignore_errors=True)


def replace_atomically(path: Path, write: t.Callable[[Path], None]) -> None:
    """Let ``write`` fill a temporary file beside ``path``, then put it in place.

    The temporary file is in the same folder, so ``os.replace`` swaps it in
    one step (atomic on one file system); on any error it is removed and the
    old ``path`` is untouched.
    """
    staged = stage(path)
    os.close(staged.handle)  # ``write`` opens the file by its name
    try:
        write(staged.temporary)
        _put_in_place(staged.temporary, path)
    except BaseException:
        staged.temporary.unlink(missing_ok=True)
        raise
