"""Editing a scheme file: typed text → validated (the loader, ``extends`` and the
compiler, as ``kaohe validate``) → saved atomically when valid, kept as a draft
beside the file when not; a file changed on disk since it was opened is not
overwritten unless the user says so.
"""

from __future__ import annotations

import dataclasses
import hashlib
import typing as t
from pathlib import Path

from engine.errors import KaoheError, Location, Problem
from engine.serve.listing import draft_of

if t.TYPE_CHECKING:
    from engine.model import Scheme


def fingerprint(path: Path) -> str:
    """The file's content hash, carried by the edit form to notice a change on disk."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return ""


@dataclasses.dataclass(frozen=True)
class Opened:
    """What the editor shows: the text (the draft when one is kept) and the file's fingerprint."""

    text: str
    fingerprint: str
    from_draft: bool


def open_for_edit(path: Path) -> Opened:
    """The text to edit: an unsaved draft first (nothing typed is lost), else the file."""
    draft = draft_of(path)
    if draft.is_file():
        return Opened(draft.read_text(encoding="utf-8", errors="replace"), fingerprint(path), True)
    return Opened(path.read_text(encoding="utf-8-sig", errors="replace"), fingerprint(path), False)


def check_text(text: str, path: Path) -> tuple[Scheme | None, tuple[Problem, ...]]:
    """The typed text checked as if it were the file ``path`` (its ``extends`` resolved from there)."""
    from engine.compiler import check_scheme
    from engine.inherit import load_scheme_from_text

    try:
        raw = load_scheme_from_text(text, str(path))
    except KaoheError as err:
        return None, err.problems
    return check_scheme(raw)


@dataclasses.dataclass(frozen=True)
class Saved:
    """The outcome of a save: whether the file was written, the problems, the new fingerprint."""

    written: bool
    problems: tuple[Problem, ...]
    fingerprint: str
    conflict: bool = False
    scheme: Scheme | None = None


def save(path: Path, text: str, opened: str, overwrite: bool) -> Saved:
    """Validate ``text`` and write it over ``path`` when it is valid and ``path`` is
    unchanged since it was opened (fingerprint ``opened``) or ``overwrite`` is given.

    Invalid text, or a conflict, is kept as the draft so that nothing typed is lost.
    """
    from engine.files import write_atomic

    text = text.replace("\r\n", "\n")  # a browser's textarea sends CRLF line ends
    current = fingerprint(path)
    if current != opened and not overwrite:
        write_atomic(draft_of(path), text)
        return Saved(False, (Problem.at("serve_changed_on_disk", Location(str(path))),), opened, conflict=True)
    scheme, problems = check_text(text, path)
    if scheme is None:
        write_atomic(draft_of(path), text)
        return Saved(False, problems, current)
    write_atomic(path, text)
    draft_of(path).unlink(missing_ok=True)
    return Saved(True, problems, fingerprint(path), scheme=scheme)


def discard_draft(path: Path) -> None:
    """Forget the draft: the editor shows the file again."""
    draft_of(path).unlink(missing_ok=True)
