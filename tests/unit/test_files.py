"""Files written in one step (engine.files): the new text whole, or the old file untouched.

A writer that raises halfway is simulated by a callback that writes part of
its output to the temporary path it is given and then raises.
"""

from __future__ import annotations

import os
import stat
import typing as t
from pathlib import Path

import pytest

from engine.files import replace_atomically, replace_folder_files, write_atomic
from tests.helpers import still_open


@pytest.fixture
def umask_022() -> t.Iterator[None]:
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_write_atomic_writes_the_text_as_given(tmp_path: Path) -> None:
    path = tmp_path / "new" / "deeper" / "out.csv"  # parent folders are made
    write_atomic(path, "编号\r\nT1\n")
    # newline="" translates nothing: \r\n and \n stay as they are; 编 号 are 3 bytes each in UTF-8
    assert path.read_bytes() == "编号\r\nT1\n".encode("utf-8") == b"\xe7\xbc\x96\xe5\x8f\xb7\r\nT1\n"
    write_atomic(path, "编号", encoding="gbk")
    # GBK: 编 = B1 E0, 号 = BA C5
    assert path.read_bytes() == b"\xb1\xe0\xba\xc5"
    # nothing else left beside it
    assert sorted(p.name for p in path.parent.iterdir()) == ["out.csv"]


def test_write_atomic_gives_the_usual_permissions(tmp_path: Path, umask_022: None) -> None:
    path = tmp_path / "out.txt"
    write_atomic(path, "x")
    # mkstemp's private 0600 is widened to 0666 & ~022 = 0644
    assert stat.S_IMODE(path.stat().st_mode) == 0o644


def _half_then_fail(exception: BaseException) -> t.Callable[[Path], None]:
    def write(temporary: Path) -> None:
        temporary.write_text("新的一半", encoding="utf-8")
        raise exception
    return write


@pytest.mark.parametrize("exception", [OSError("disk full"), KeyboardInterrupt()])
def test_a_writer_that_raises_leaves_the_old_file_whole(tmp_path: Path, exception: BaseException) -> None:
    path = tmp_path / "results.csv"
    path.write_text("旧的全文\n", encoding="utf-8")
    with pytest.raises(type(exception)):
        replace_atomically(path, _half_then_fail(exception))
    assert path.read_text(encoding="utf-8") == "旧的全文\n"
    # the temporary file (.results.csv.XXXX.csv) is gone
    assert [p.name for p in tmp_path.iterdir()] == ["results.csv"]


def test_a_writer_that_raises_leaves_no_file_where_there_was_none(tmp_path: Path) -> None:
    path = tmp_path / "results.csv"
    with pytest.raises(OSError):
        replace_atomically(path, _half_then_fail(OSError("disk full")))
    assert list(tmp_path.iterdir()) == []


def test_replace_atomically_puts_the_finished_file_in_place(tmp_path: Path) -> None:
    path = tmp_path / "results.csv"
    path.write_text("旧\n", encoding="utf-8")
    seen: list[Path] = []

    def write(temporary: Path) -> None:
        seen.append(temporary)
        # the temporary file is beside the target: same folder, hidden, same suffix
        assert temporary.parent == tmp_path and temporary.name.startswith(".results.csv.") and temporary.suffix == ".csv"
        assert path.read_text(encoding="utf-8") == "旧\n"  # not yet replaced while writing
        temporary.write_text("新\n", encoding="utf-8")

    replace_atomically(path, write)
    assert path.read_text(encoding="utf-8") == "新\n"
    assert not seen[0].exists()


def _writer(files: dict[str, str], fail: bool = False) -> t.Callable[[Path], list[Path]]:
    def write(folder: Path) -> list[Path]:
        out = []
        for name, text in files.items():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_text(text, encoding="utf-8")
            out.append(folder / name)
        if fail:
            raise OSError("stopped halfway")
        return out
    return write


def test_a_missing_folder_is_made_with_the_files(tmp_path: Path, umask_022: None) -> None:
    folder = tmp_path / "reports"
    paths = replace_folder_files(folder, _writer({"b.html": "乙", "a/c.html": "丙"}))
    # in write's order, under the target folder
    assert paths == [folder / "b.html", folder / "a" / "c.html"]
    assert (folder / "b.html").read_text(encoding="utf-8") == "乙"
    assert (folder / "a" / "c.html").read_text(encoding="utf-8") == "丙"
    # mkdtemp's private 0700 is widened to 0777 & ~022 = 0755
    assert stat.S_IMODE(folder.stat().st_mode) == 0o755
    assert [p.name for p in tmp_path.iterdir()] == ["reports"]


def test_into_an_existing_folder_the_named_files_are_replaced_and_the_others_kept(tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "b.html").write_text("旧乙", encoding="utf-8")
    (folder / "keep.txt").write_text("留", encoding="utf-8")
    replace_folder_files(folder, _writer({"b.html": "新乙", "a/c.html": "丙"}))
    assert (folder / "b.html").read_text(encoding="utf-8") == "新乙"
    assert (folder / "a" / "c.html").read_text(encoding="utf-8") == "丙"
    assert (folder / "keep.txt").read_text(encoding="utf-8") == "留"
    assert [p.name for p in tmp_path.iterdir()] == ["reports"]  # the temporary folder is gone


def test_a_writer_that_raises_leaves_the_folder_as_it_was(tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "b.html").write_text("旧乙", encoding="utf-8")
    with pytest.raises(OSError, match="stopped halfway"):
        replace_folder_files(folder, _writer({"b.html": "新乙", "d.html": "丁"}, fail=True))
    assert sorted(p.name for p in folder.iterdir()) == ["b.html"]
    assert (folder / "b.html").read_text(encoding="utf-8") == "旧乙"
    assert [p.name for p in tmp_path.iterdir()] == ["reports"]
    # and where there was no folder, there still is none
    with pytest.raises(OSError):
        replace_folder_files(tmp_path / "none", _writer({"x.html": "x"}, fail=True))
    assert [p.name for p in tmp_path.iterdir()] == ["reports"]


def test_something_in_the_way_stops_before_the_first_move(tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    (folder / "c.html").mkdir(parents=True)  # a folder where the second file goes
    (folder / "b.html").write_text("旧乙", encoding="utf-8")
    with pytest.raises(IsADirectoryError):
        replace_folder_files(folder, _writer({"b.html": "新乙", "c.html": "丙"}))
    # b.html comes first in write's order, yet it was not replaced: every target is checked first
    assert (folder / "b.html").read_text(encoding="utf-8") == "旧乙"
    # a file where a subfolder goes (a/ is a file, a/c.html wanted) is in the way too
    (folder / "a").write_text("文件", encoding="utf-8")
    with pytest.raises(IsADirectoryError):
        replace_folder_files(folder, _writer({"b.html": "新乙", "a/c.html": "丙"}))
    assert (folder / "b.html").read_text(encoding="utf-8") == "旧乙"
    assert [p.name for p in tmp_path.iterdir()] == ["reports"]


def test_a_staged_file_is_put_in_place_whole(tmp_path: Path, umask_022: None) -> None:
    from engine.files import commit, stage, write_all

    path = tmp_path / "sheets" / "001.html"  # the folder is made
    staged = stage(path)
    assert staged.temporary.parent == path.parent and staged.temporary.name.startswith(".001.html.")
    write_all(staged, "评分表".encode("utf-8"))
    assert not path.exists()  # not in place before commit
    commit(staged)
    # 评 分 表: three characters of 3 bytes each in UTF-8
    assert path.read_bytes() == "评分表".encode("utf-8") and len(path.read_bytes()) == 9
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    assert [p.name for p in path.parent.iterdir()] == ["001.html"]


def test_a_discarded_staged_file_leaves_the_old_one(tmp_path: Path) -> None:
    from engine.files import discard, stage, write_all

    path = tmp_path / "gongshi.html"
    path.write_text("旧", encoding="utf-8")
    staged = stage(path)
    write_all(staged, "新的一半".encode("utf-8"))
    discard(staged)
    assert path.read_text(encoding="utf-8") == "旧"
    assert [p.name for p in tmp_path.iterdir()] == ["gongshi.html"]
    assert not still_open(staged)


def test_a_failed_commit_closes_the_file_once_and_removes_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import engine.files
    from engine.files import commit, stage, write_all

    path = tmp_path / "summary.html"
    staged = stage(path)
    write_all(staged, b"<html>")
    closed: list[int] = []
    real_close = os.close
    monkeypatch.setattr(engine.files.os, "close", lambda fd: (closed.append(fd), real_close(fd))[1])
    monkeypatch.setattr(engine.files.os, "replace", lambda *args: (_ for _ in ()).throw(OSError(18, "Invalid cross-device link")))
    with pytest.raises(OSError):
        commit(staged)
    assert closed == [staged.handle]  # once: a second close could hit another thread's file
    assert list(tmp_path.iterdir()) == []


def test_a_schema_copy_that_fails_halfway_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from engine.resources import SCHEMA_NAME
    from engine.scaffold import write_schema

    def half(self: Path, data: bytes) -> int:
        with open(self, "wb") as out:
            out.write(data[:10])
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Path, "write_bytes", half)
    with pytest.raises(OSError):
        write_schema(tmp_path)
    assert list(tmp_path.iterdir()) == []  # neither a cut-off copy nor a temporary file beside it
    monkeypatch.undo()
    copy, written = write_schema(tmp_path)
    assert written and copy.name == SCHEMA_NAME and [p.name for p in tmp_path.iterdir()] == [SCHEMA_NAME]
