"""engine.sheetpages prints the score sheets and the 公示 exactly as the shipped Jinja templates do.

Each comparison renders the same report twice: through the string-building path and
with it switched off (``sheetpages.shipped`` answering no, so Jinja renders every unit).
"""

from __future__ import annotations

import datetime
import hashlib
import typing as t
from pathlib import Path

import pytest

from engine import sheetpages
from engine.context import Context
from engine.reports import Settings, render_kind, split_units
from engine.resources import reports_dir
from engine.results_table import unit_order
from tests.helpers import JIFENZHI, JIFENZHI_DATA, shipped_outcomes, shipped_schemes

DAY = datetime.date(2024, 12, 20)


def both(monkeypatch: pytest.MonkeyPatch, render: t.Callable[[], str]) -> tuple[str, str]:
    """The page built by engine.sheetpages (checked to have been: not left to Jinja) and Jinja's."""
    built: list[bool] = []
    with monkeypatch.context() as patch:
        for name in ("sheets", "gongshi"):
            made = getattr(sheetpages, name)
            # Each builder's page, None when it left the page to Jinja.
            patch.setattr(sheetpages, name, lambda *args, made=made, **kw: (lambda page: built.append(page is not None) or page)(made(*args, **kw)))
        fast = render()
    assert built and all(built), "the page was not built by engine.sheetpages"
    with monkeypatch.context() as patch:
        patch.setattr(sheetpages, "shipped", lambda env, *names: False)
        slow = render()
    return fast, slow


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("path", shipped_schemes(), ids=lambda p: p.stem)
def test_built_pages_are_jinja_pages(path: Path, lang: str, monkeypatch: pytest.MonkeyPatch) -> None:
    outcomes = shipped_outcomes(path)
    settings = Settings(DAY, "2024 年度" if lang == "zh" else "2024", Context(lang=lang))  # type: ignore[arg-type]
    kinds = ["gongshi", "sheets"] if outcomes.results.scheme.parts else ["gongshi"]
    for kind in kinds:
        fast, slow = both(monkeypatch, lambda: render_kind(outcomes, kind, settings))
        assert fast == slow, kind
    if "sheets" in kinds:
        # A part of a split report: some units, not in listing order's first place.
        order = unit_order(outcomes)
        part = order[1::2] or order
        fast, slow = both(monkeypatch, lambda: render_kind(outcomes, "sheets", settings, units=part))
        assert fast == slow
        # The next file of the same report reuses the page's frame; another period is another frame.
        other = Settings(DAY, "2025", Context(lang=lang))  # type: ignore[arg-type]
        fast, slow = both(monkeypatch, lambda: render_kind(outcomes, "sheets", other, units=order[::-1]))
        assert fast == slow and ("2025" in fast)


def test_names_that_need_escaping(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A member called <b>"A&B"</b>' in a branch called <i>: escaped as markupsafe escapes them.
    from engine.pipeline import assess, load

    data = tmp_path / "data"
    data.mkdir()
    for file in JIFENZHI_DATA.iterdir():
        (data / file.name).write_bytes(file.read_bytes())
    members = (data / "名单.csv").read_bytes().decode("gbk")
    members = members.replace("张永胜", "<b>\"A&B\"</b>'").replace("第一党支部", "<i>支部")
    (data / "名单.csv").write_bytes(members.encode("gbk"))
    context = Context()
    outcomes = assess(load(JIFENZHI, context), [data], context, details=True)
    for kind in ("gongshi", "sheets"):
        fast, slow = both(monkeypatch, lambda: render_kind(outcomes, kind, Settings(DAY, "<2024>")))
        assert fast == slow
        assert "&lt;b&gt;&#34;A&amp;B&#34;&lt;/b&gt;&#39;" in fast


def test_the_fast_path_knows_the_shipped_templates() -> None:
    # A changed shipped template falls back to Jinja (slow, still right): bring engine/sheetpages.py
    # along with the template, then update SHIPPED.
    for name, digest in sheetpages.SHIPPED.items():
        assert hashlib.sha256((reports_dir() / name).read_bytes()).hexdigest() == digest, name


def test_a_scheme_template_is_rendered_by_jinja(tmp_path: Path) -> None:
    from engine.templating import environment

    (tmp_path / "sheets.html.j2").write_text('{% extends "base/sheets.html.j2" %}', encoding="utf-8")
    env = environment(Context().with_templates(tmp_path))
    assert not sheetpages.shipped(env, "sheets.html.j2", "base.html.j2")
    assert sheetpages.shipped(env, "gongshi.html.j2", "base.html.j2")


def test_escape_column() -> None:
    texts = ["甲", "<a>", "b&c", "", "x\x00y", "'\""]
    assert sheetpages.escape_column(texts) == [sheetpages.escape(x) for x in texts]
    assert sheetpages.escape_column(["甲", "乙"]) == ["甲", "乙"]
    assert sheetpages.escape("<'&\">") == "&lt;&#39;&amp;&#34;&gt;"


def test_split_parts_cover_the_units() -> None:
    outcomes = shipped_outcomes(JIFENZHI)
    files = split_units(outcomes, unit_order(outcomes), 3)
    assert sorted(i for _, units in files for i in units) == sorted(unit_order(outcomes))


def test_a_bonus_not_earned_is_not_a_loss() -> None:
    import numpy as np

    from engine.explaining import lost_points, sheet_columns

    nan = float("nan")
    scores, maxima = np.array([0.0, 2.0, -2.0, nan, 8.85, 10.0]), np.array([5.0, 5.0, 0.0, 5.0, 10.0, 10.0])
    # 加减分: only a score below nothing is a loss (表彰加分 0 of 5 is not; 处分扣分 −2 is).
    assert lost_points(scores, maxima, True).tolist() == [False, False, True, False, False, False]
    # Any other node: below its full marks (not applicable loses nothing).
    assert lost_points(scores, maxima, False).tolist() == [True, True, True, False, True, False]

    # On jifenzhi's sample, the 表彰加分 rows are never marked, and the sheets' rows agree
    # with the marks (a row is marked exactly when its lost flag is set).
    outcomes = shipped_outcomes(JIFENZHI)
    columns = sheet_columns(outcomes, "zh")
    ids = [node.id for node, _ in columns.nodes]
    bonus, penalty = ids.index("bonus"), ids.index("penalty")
    assert not any(columns.lost[bonus])
    for k in (bonus, penalty):
        for i, lost in enumerate(columns.lost[k]):
            assert ('class="lost"' in columns.heads[k][i]) == lost
    # The same for one unit (what a 整改通知书 lists): 表彰加分 0 of 5 is no problem to put right.
    from engine.explaining import loses

    scheme = outcomes.results.scheme
    nodes = {node.id: node for node, _ in columns.nodes}
    assert not loses(nodes["bonus"], 0.0, scheme) and loses(nodes["penalty"], -2.0, scheme)
    assert not loses(nodes["penalty"], 0.0, scheme) and not loses(nodes["bonus"], float("nan"), scheme)
    item = next(node for node, _ in columns.nodes if node.id not in {"bonus", "penalty"} and hasattr(node, "rule"))
    assert loses(item, item.max - 0.01, scheme) and not loses(item, item.max, scheme)
    # One unit's rule is the column's rule: every item of every unit of the sample (a section's
    # full marks differ per unit, by the items that apply to it; notices list items only).
    for k, (node, _) in enumerate(columns.nodes):
        if hasattr(node, "rule"):
            assert [loses(node, float(v), scheme) for v in outcomes.results.scores[node.id]] == columns.lost[k], node.id


@pytest.mark.parametrize("failing", ["render", "write"])
def test_a_failure_while_writing_the_pages_leaves_no_file_open_or_behind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                         failing: str) -> None:
    """The third file fails (while it is made, or while its bytes are written by the writer
    thread): the error is raised, the files staged so far are removed and closed."""
    import engine.files
    import engine.reports

    outcomes = shipped_outcomes(JIFENZHI)
    monkeypatch.setattr(engine.reports, "PER_FILE", 3)  # the sample's units in several files
    staged: list[engine.files.Staged] = []
    real_stage, real_write, real_render = engine.files.stage, engine.files.write_all, engine.reports.render_kind

    def stage(path: Path) -> engine.files.Staged:
        staged.append(real_stage(path))
        return staged[-1]

    def write_all(file: engine.files.Staged, data: bytes) -> None:
        if failing == "write" and len(staged) > 2 and file is staged[2]:
            raise OSError(28, "No space left on device")
        real_write(file, data)

    def render_kind(*args: t.Any, **kwargs: t.Any) -> str:
        if failing == "render" and len(staged) == 2:
            raise RuntimeError("a template failed")
        return real_render(*args, **kwargs)

    monkeypatch.setattr(engine.files, "stage", stage)
    monkeypatch.setattr(engine.files, "write_all", write_all)
    monkeypatch.setattr(engine.reports, "render_kind", render_kind)
    with pytest.raises(OSError if failing == "write" else RuntimeError):
        engine.reports.write_reports(outcomes, tmp_path, ["gongshi", "sheets"], Settings(datetime.date(2024, 12, 1), None, Context()))
    assert len(staged) >= 2
    # the first file was finished and put in place; whatever was staged after it is gone
    leftovers = [p for p in tmp_path.rglob("*") if p.is_file() and p.name.startswith(".")]
    assert leftovers == []
    from tests.helpers import still_open

    assert not any(still_open(file) for file in staged)


def test_an_interrupt_while_waiting_for_the_writer_closes_the_file_only_after_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C while the main thread waits for the writer: the file being written is closed and
    removed once the writer is done with it, not under its feet (a closed handle's number can
    be given to another file, which the writer would then write into)."""
    import concurrent.futures
    import threading

    import engine.files
    import engine.reports

    outcomes = shipped_outcomes(JIFENZHI)
    events: list[tuple[str, int]] = []
    gate = threading.Event()
    real_write, real_discard, real_result = engine.files.write_all, engine.files.discard, concurrent.futures.Future.result

    def write_all(file: engine.files.Staged, data: bytes) -> None:
        gate.wait(10)
        real_write(file, data)
        events.append(("written", file.handle))

    def discard(file: engine.files.Staged) -> None:
        events.append(("discarded", file.handle))
        real_discard(file)

    def result(self: concurrent.futures.Future[None], timeout: float | None = None) -> None:
        if not events and not gate.is_set():
            threading.Timer(0.2, gate.set).start()  # the writer goes on a moment after the interrupt
            raise KeyboardInterrupt
        return real_result(self, timeout)

    monkeypatch.setattr(engine.files, "write_all", write_all)
    monkeypatch.setattr(engine.files, "discard", discard)
    monkeypatch.setattr(concurrent.futures.Future, "result", result)
    with pytest.raises(KeyboardInterrupt):
        engine.reports.write_reports(outcomes, tmp_path, ["gongshi", "sheets"], Settings(datetime.date(2024, 12, 1), None, Context()))
    # the 公示 was being written: written first, then closed and removed
    assert events[:2] == [("written", events[0][1]), ("discarded", events[0][1])]
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []
