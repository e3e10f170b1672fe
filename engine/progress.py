"""Progress on long work: data files read and scoring, shown on a terminal with rich.

Reading a province's data takes tens of seconds; a terminal shows which
table is being read, how many tables and rows are done and the time
elapsed, on one self-updating line on stderr. Nothing is shown with
``--quiet`` or when stderr is not a terminal (a pipe, a log file, CI), so
output that is kept or parsed never holds progress lines.
"""

from __future__ import annotations

import sys
import time
import typing as t
from pathlib import Path

from engine.context import Lang

if t.TYPE_CHECKING:
    from rich.status import Status


class Progress:
    """A callback for :func:`engine.data.read_dataset` plus named stages (scoring, writing).

    Call it as ``progress(file, rows, finished)``; call :meth:`stage` for
    later steps and :meth:`stop` when the work is done (idempotent).
    """

    def __init__(self, lang: Lang = "zh", quiet: bool = False, stream: t.TextIO | None = None,
                 sink: t.Callable[[str], None] | None = None) -> None:
        self.lang = lang
        self.stream = stream if stream is not None else sys.stderr
        #: Where each line goes instead of a terminal (``kaohe serve`` shows it on the page).
        self.sink = sink
        self.active = sink is not None or (not quiet and bool(getattr(self.stream, "isatty", lambda: False)()))
        self.started = time.monotonic()
        self.tables = 0
        self.rows = 0
        self._status: Status | None = None

    def _say(self, zh: str, en: str) -> str:
        return en if self.lang == "en" else zh

    def _show(self, text: str) -> None:
        if not self.active:
            return
        if self.sink is not None:
            self.sink(text)
            return
        if self._status is None:
            from rich.console import Console

            console = Console(file=self.stream, force_terminal=True, highlight=False)
            self._status = console.status(text, spinner="dots")
            self._status.start()
        else:
            self._status.update(text)

    def __call__(self, file: str, rows: int, finished: bool) -> None:
        if finished:
            self.tables += 1
            self.rows += rows
        elapsed = time.monotonic() - self.started
        name = Path(file.split("[", 1)[0]).name + (f"[{file.split('[', 1)[1]}" if "[" in file else "")
        self._show(self._say(
            f"正在读取 {name} · 已读 {self.tables} 张表 {self.rows:,} 行 · {elapsed:.0f} 秒",
            f"reading {name} · {self.tables} tables, {self.rows:,} rows done · {elapsed:.0f} s"))

    def stage(self, zh: str, en: str) -> None:
        """Show a later step (计算得分 / writing) with the time so far."""
        elapsed = time.monotonic() - self.started
        self._show(f"{self._say(zh, en)} · {elapsed:.0f} {self._say('秒', 's')}")

    def stop(self) -> None:
        if self._status is not None:
            self._status.stop()
            self._status = None
