"""Progress lines (engine.progress): to the given sink or terminal stream, nothing when
quiet or when the stream is no terminal.

The start time is set back by a known amount so the elapsed seconds printed are known:
12.4 s (and a little more for the test's own run) prints as "12" (``:.0f``).
"""

from __future__ import annotations

import io
import time

from engine.progress import Progress


class Terminal(io.StringIO):
    """A stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def _started_12_s_ago(progress: Progress) -> Progress:
    progress.started = time.monotonic() - 12.4
    return progress


def test_lines_go_to_the_sink_with_tables_rows_and_seconds() -> None:
    lines: list[str] = []
    progress = _started_12_s_ago(Progress(sink=lines.append))
    progress("data/名单.csv", 0, False)  # begun, nothing finished: 0 tables 0 rows
    progress("data/名单.csv", 1500, True)  # finished: 1 table, 1,500 rows (thousands separated)
    progress("/x/data/月评.xlsx[一月]", 2, True)  # the sheet kept after the file name: 2 tables, 1,502 rows
    progress.stage("计算得分", "scoring")
    assert lines == [
        "正在读取 名单.csv · 已读 0 张表 0 行 · 12 秒",
        "正在读取 名单.csv · 已读 1 张表 1,500 行 · 12 秒",
        "正在读取 月评.xlsx[一月] · 已读 2 张表 1,502 行 · 12 秒",
        "计算得分 · 12 秒",
    ]
    assert (progress.tables, progress.rows) == (2, 1502)


def test_english_lines() -> None:
    lines: list[str] = []
    progress = _started_12_s_ago(Progress("en", sink=lines.append))
    progress("名单.csv", 3, True)
    progress.stage("计算得分", "scoring")
    assert lines == ["reading 名单.csv · 1 tables, 3 rows done · 12 s", "scoring · 12 s"]


def test_a_sink_gets_the_lines_even_when_quiet() -> None:
    # quiet is about the terminal; a sink (kaohe serve's page) asked for them
    lines: list[str] = []
    Progress(quiet=True, sink=lines.append).stage("写出", "writing")
    assert len(lines) == 1 and lines[0].startswith("写出 · ")


def test_a_terminal_stream_shows_the_line() -> None:
    stream = Terminal()
    progress = _started_12_s_ago(Progress(stream=stream))
    assert progress.active
    progress("名单.csv", 3, True)
    progress.stop()
    progress.stop()  # idempotent
    assert "正在读取 名单.csv · 已读 1 张表 3 行 · 12 秒" in stream.getvalue()


def test_nothing_when_quiet_or_not_a_terminal() -> None:
    for progress, stream in ((Progress(quiet=True, stream=(quiet := Terminal())), quiet),
                             (Progress(stream=(pipe := io.StringIO())), pipe)):
        assert not progress.active
        progress("名单.csv", 3, True)
        progress.stage("计算得分", "scoring")
        progress.stop()
        assert stream.getvalue() == ""
        # counting goes on regardless (1 table of 3 rows)
        assert (progress.tables, progress.rows) == (1, 3)
