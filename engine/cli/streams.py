"""Standard output and error guarded: a closed or full stdout ends a command with
exit 1 and a short message, never a traceback (engine.cli.main installs them)."""

from __future__ import annotations

import os
import typing as t


class StdoutGone(Exception):
    """Standard output cannot be written (closed, a broken pipe, a full disk).

    Not an OSError, so that no command mistakes it for an unwritable ``--out``.
    """


class _Stream(t.Protocol):
    """What a text stream offers that the guard uses (sys.stdout, a pytest capture …)."""

    def write(self, text: str, /) -> int: ...

    def flush(self) -> None: ...

    def isatty(self) -> bool: ...


class GuardedStream:
    """Standard output (or error) that turns a failed write into :class:`StdoutGone`.

    ``kaohe run … >&-`` leaves ``sys.stdout`` None and ``> /dev/full`` makes
    every write or flush fail; either way the command should end with exit 1
    and a short message, not a traceback. A missing stream given as
    ``discard`` (stderr) swallows what is written instead.
    """

    def __init__(self, stream: _Stream | None, discard: bool = False) -> None:
        self._stream = stream
        self._discard = discard

    def write(self, text: str) -> int:
        if self._stream is None:
            if self._discard:
                return len(text)
            raise StdoutGone("closed")
        try:
            written: int = self._stream.write(text)
        except (OSError, ValueError) as err:
            if self._discard:
                return len(text)
            raise StdoutGone(getattr(err, "strerror", None) or str(err)) from None
        return written

    def flush(self) -> None:
        if self._stream is None:
            return
        try:
            self._stream.flush()
        except (OSError, ValueError) as err:
            if not self._discard:
                raise StdoutGone(getattr(err, "strerror", None) or str(err)) from None

    def isatty(self) -> bool:
        try:
            return bool(self._stream is not None and self._stream.isatty())
        except (OSError, ValueError):
            return False

    def __getattr__(self, name: str) -> object:
        return getattr(self._stream, name)


def silence_stdout(stream: t.TextIO) -> None:
    """Point the real standard output at /dev/null, so that Python's flush at exit
    cannot fail again (and print "Exception ignored …") after the message was given."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, stream.fileno())
        os.close(null)
    except (AttributeError, OSError, ValueError):
        pass
