"""Runs to date (engine.to_date, engine.data.periods): a month dimension covered so far, items over
the months present, so_far rules, pending results shown 待定, later rows left out, located errors."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from engine import pipeline, render, to_date
from engine.cli import main
from engine.context import Context
from engine.errors import KaoheError
from engine.unit_explain import explain
from tests.helpers import JIFENZHI, JIFENZHI_DATA

SCHEME = """\
kaohe: 1
id: t
version: 1
title: 月考
precision: 2
units: {group: 小组}
dimensions:
  month: {title: 月份, values: [1, 2, 3, 4, 5, 6], to_date: true}
  rater: {title: 测评人}
inputs:
  score: {title: 月评分, type: number, range: [0, 10], per: month}
  vote: {title: 测评分, type: number, range: [0, 10], per: rater}
derived:
  - {id: h1, title: 上半季合计, value: "sum_if(score, month <= 3)"}
items:
  - id: work
    title: 工作
    max: 10
    formula: mean(score) * 0.8 + mean(vote) * 0.2
    so_far: {formula: mean(score)}
  - {id: months, title: 已评月数, max: 6, formula: count(score)}
grades:
  - id: level
    title: 等次
    pending_until: end
    bands:
      - {ge: 14, value: 2, label: 优秀}
      - {lt: 14, value: 1, label: 一般}
  - {id: mark, title: 标记, of: level, bands: [{ge: 2, value: 是}, {lt: 2, value: 否}]}
rankings:
  - {id: first, title: 前三月第一, by: h1, pending_until: 3, tiers: [{label: 前三月第一, count: 1}]}
  - {id: best, title: 全期第一, by: total, tiers: [{label: 全期第一, count: 1}]}
actions:
  - {id: warn, title: 约谈, when: "total < 12", pending_until: 6}
"""


def _write(folder: Path, months: int, votes: bool = False) -> Path:
    """A: 每月 9 分; B: 每月 6 分; C: 1 月 10 分，其后每月 7 分 — months 1..``months``."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "名单.csv").write_text("编号,姓名,小组\nA,甲,一组\nB,乙,一组\nC,丙,一组\n", encoding="utf-8")
    rows = ["编号,月份,月评分"]
    for m in range(1, months + 1):
        rows += [f"A,{m},9", f"B,{m},6", f"C,{m},{10 if m == 1 else 7}"]
    (folder / "月评分.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    if votes:
        (folder / "测评.csv").write_text("编号,测评人,测评分\nA,R1,10\nB,R1,5\nC,R1,8\n", encoding="utf-8")
    return folder


@pytest.fixture()
def scheme_file(tmp_path: Path) -> Path:
    path = tmp_path / "t.yaml"
    path.write_text(SCHEME, encoding="utf-8")
    return path


def _run(scheme_file: Path, data: Path, until: str | None = None, lang: str = "zh") -> tuple[object, list[str]]:
    notes: list[str] = []
    context = Context(lang="en" if lang == "en" else "zh", notify=lambda ps: notes.extend(p.code for p in ps))
    return pipeline.assess_file(scheme_file, [data], context, until=until), notes


def test_the_months_so_far_are_read_from_the_data(scheme_file: Path, tmp_path: Path) -> None:
    outcomes, _ = _run(scheme_file, _write(tmp_path / "d", 2))
    results = outcomes.results  # type: ignore[attr-defined]
    spec = results.scheme.to_date
    assert spec.until == "2" and spec.partial
    # so_far: mean over the months present. A (9 + 9) ÷ 2 = 9; B 6; C (10 + 7) ÷ 2 = 8.5
    assert results.scores["work"].tolist() == [9.0, 6.0, 8.5]
    # count(score) counts the months present: 2
    assert results.scores["months"].tolist() == [2.0, 2.0, 2.0]
    # No 测评 table: the year-end vote is only read by the complete rule, so it is not asked for.
    # Totals 11, 8, 10.5. 等次 waits for month 6, 标记 reads it and waits too; 约谈 waits for month 6.
    grades = outcomes.grades  # type: ignore[attr-defined]
    assert grades["level"].tolist() == [None, None, None]
    level = next(g for g in results.scheme.grades if g.id == "level")
    assert outcomes.grade_label(level, 0) == "待定"  # type: ignore[attr-defined]
    assert set(spec.pending) == {"level", "mark", "first", "warn"}
    assert not outcomes.actions["warn"].any()  # type: ignore[attr-defined]
    # 前三月第一 waits for month 3; 全期第一 is by the total so far: A (11)
    assert outcomes.labels(0) == ["全期第一"] and outcomes.labels(2) == []  # type: ignore[attr-defined]


def test_until_leaves_later_rows_out_with_a_note(scheme_file: Path, tmp_path: Path) -> None:
    outcomes, notes = _run(scheme_file, _write(tmp_path / "d", 6, votes=True), until="3")
    results = outcomes.results  # type: ignore[attr-defined]
    assert "data_later_rows" in notes
    # Months 1–3: A 9; B 6; C (10 + 7 + 7) ÷ 3 = 8. h1 = A 27, B 18, C 24 → 前三月第一 A (decided at 3)
    assert results.scores["work"].tolist() == [9.0, 6.0, 8.0]
    assert outcomes.labels(0) == ["前三月第一", "全期第一"]  # type: ignore[attr-defined]


def test_the_whole_period_is_the_complete_rule(scheme_file: Path, tmp_path: Path) -> None:
    outcomes, _ = _run(scheme_file, _write(tmp_path / "d", 6, votes=True))
    results = outcomes.results  # type: ignore[attr-defined]
    assert not results.scheme.to_date.partial and not results.scheme.to_date.pending
    # A: 9 × 0.8 + 10 × 0.2 = 9.2; B: 6 × 0.8 + 5 × 0.2 = 5.8; C: (10 + 5 × 7) ÷ 6 = 7.5 → 7.5 × 0.8 + 8 × 0.2 = 7.6
    assert results.scores["work"].tolist() == [9.2, 5.8, 7.6]
    # Totals (work + 6 months): A 15.2 → 优秀; B 11.8 → 一般, 约谈 (< 12); C 13.6 → 一般
    level = next(g for g in results.scheme.grades if g.id == "level")
    assert [outcomes.grade_label(level, i) for i in range(3)] == ["优秀", "一般", "一般"]  # type: ignore[attr-defined]
    assert outcomes.grades["mark"].tolist() == ["是", "否", "否"]  # type: ignore[attr-defined]
    assert outcomes.actions["warn"].tolist() == [False, True, False]  # type: ignore[attr-defined]


def test_a_missing_month_so_far_is_still_an_error(scheme_file: Path, tmp_path: Path) -> None:
    folder = _write(tmp_path / "d", 3)
    text = (folder / "月评分.csv").read_text(encoding="utf-8").replace("B,2,6\n", "")
    (folder / "月评分.csv").write_text(text, encoding="utf-8")
    with pytest.raises(KaoheError) as err:
        _run(scheme_file, folder)
    assert any(p.code.startswith("data_missing") for p in err.value.problems)


def test_outputs_say_how_far_the_run_goes(scheme_file: Path, tmp_path: Path) -> None:
    outcomes, _ = _run(scheme_file, _write(tmp_path / "d", 2))
    table = render.to_markdown(outcomes)  # type: ignore[arg-type]
    assert "截至月份 2（共 6 个月份中的前 2 个）" in table and "等次、标记、约谈待定（到月份 6 才评定）" in table
    assert "前三月第一待定（到月份 3 才评定）" in table
    sheet = explain(outcomes, 0, Context())  # type: ignore[arg-type]
    assert "等次: 待定: 到月份 6 才评定（本次截至月份 2）" in sheet
    assert "标记: 待定: 依据的结果尚待评定" in sheet
    outcomes_en, _ = _run(scheme_file, _write(tmp_path / "e", 2), lang="en")
    assert "To date: 月份 up to 2" in render.to_markdown(outcomes_en, Context(lang="en"))  # type: ignore[arg-type]


@pytest.mark.parametrize(("body", "code"), [
    ("dimensions:\n  rater: {title: 测评人, to_date: true}\n", "to_date_open"),
    ("grades:\n  - {id: g, title: 等, pending_until: end, bands: [{ge: 0, value: 好}]}\n", "to_date_no_dimension"),
])
def test_declarations_are_checked(tmp_path: Path, body: str, code: str) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(textwrap.dedent("""\
        kaohe: 1
        id: s
        version: 1
        title: 测试
        inputs: {x: {title: 甲, type: number}}
        items: [{id: a, title: 甲, max: 10, formula: x}]
        """) + body, encoding="utf-8")
    with pytest.raises(KaoheError) as err:
        pipeline.load(path, Context())
    assert code in [p.code for p in err.value.problems]


def test_a_bad_pending_value_and_so_far_are_located(scheme_file: Path) -> None:
    text = SCHEME.replace("pending_until: 3,", "pending_until: 7,").replace("so_far: {formula: mean(score)}",
                                                                              "so_far: {formula: mean(score), condition: {when: count(score) > 0}}")
    scheme_file.write_text(text, encoding="utf-8")
    with pytest.raises(KaoheError) as err:
        pipeline.load(scheme_file, Context())
    found = {p.code: p.location for p in err.value.problems}
    assert "to_date_bad_value" in found and found["to_date_bad_value"].line == SCHEME.splitlines().index(
        next(line for line in SCHEME.splitlines() if "id: first" in line)) + 1
    assert "to_date_so_far_rule" in found


@pytest.mark.parametrize(("scheme", "until", "code"), [
    (JIFENZHI, "13", "to_date_bad_until"),
    (JIFENZHI.parent.parent / "dangfeng-lianzheng" / "dangfeng-lianzheng.yaml", "3", "to_date_not_declared"),
])
def test_a_wrong_until_is_a_usage_error(scheme: Path, until: str, code: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", str(scheme), "--data", str(scheme.parent / "data"), "--until", until]) == 2
    err = capsys.readouterr().err
    assert err.startswith("--until:")
    with pytest.raises(KaoheError) as raised:
        to_date.until_value(pipeline.load(scheme, Context()), until)
    assert raised.value.problems[0].code == code


def test_until_accepts_the_ways_a_month_is_written() -> None:
    scheme = pipeline.load(JIFENZHI, Context())
    assert [to_date.until_value(scheme, v) for v in ("3", "03", "3月", "12")] == ["3", "3", "3", "12"]


def test_s1_until_3_on_the_whole_year(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", str(JIFENZHI), "--data", str(JIFENZHI_DATA), "--until", "3", "--format", "csv"]) == 0
    out, err = capsys.readouterr()
    # 38 scored members × 9 later months = 342 rows left out
    assert "342 行属于月份 4–12" in err
    assert ",待定,待定," in out and "第一季度之星" in out and "年度之星" not in out


def test_nothing_scheme_specific_in_the_to_date_modules() -> None:
    """The mechanism is general: no shipped scheme's id, inputs or other ids in its modules."""
    import re

    from tests.helpers import ROOT, shipped_schemes

    words: set[str] = set()
    for path in shipped_schemes():
        scheme = pipeline.load(path, Context())
        words |= {scheme.id, *scheme.unit_types, *scheme.inputs, *scheme.params, *(n.id for n in scheme.nodes())}
        words |= {x.id for x in (*scheme.derived, *scheme.rankings, *scheme.actions, *scheme.vetoes, *scheme.grades)}
    # Ids that are plain English words the code uses in their ordinary sense.
    english = {"total", "rank", "bottom", "kind", "level", "model", "score", "tier", "best"}
    words = {w for w in words if len(w) >= 2 and w not in english}
    assert {"jifenzhi", "star_year", "score_01"} <= words
    for module in ("engine/to_date.py", "engine/data/periods.py", "engine/messages/catalogue/to_date.py"):
        text = (ROOT / module).read_text(encoding="utf-8")
        found = sorted(w for w in words if re.search(rf"(?<![A-Za-z0-9_]){re.escape(w)}(?![A-Za-z0-9_])", text))
        assert not found, (module, found)


def test_the_json_document_says_how_far_the_run_goes(scheme_file: Path, tmp_path: Path) -> None:
    import json

    outcomes, _ = _run(scheme_file, _write(tmp_path / "d", 2))
    text = render.to_json(outcomes)  # type: ignore[arg-type]
    assert text == json.dumps(render.to_document(outcomes), ensure_ascii=False, indent=2) + "\n"  # type: ignore[arg-type]
    # 等次 and 约谈 wait for month 6 (end); 标记 reads 等次: it waits for the last month too; 前三月第一 for month 3.
    assert json.loads(text)["to_date"] == {"dimension": "month", "until": "2", "last": "6",
                                           "pending": {"level": "6", "mark": "6", "first": "3", "warn": "6"}}
    unit = json.loads(text)["units"][0]
    assert unit["grades"]["level"] == {"title": "等次", "value": None, "label": "待定"}


def test_a_run_to_date_is_not_recorded(scheme_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = tmp_path / "h.sqlite"
    data = _write(tmp_path / "d", 2)
    assert main(["run", str(scheme_file), "--data", str(data), "--period", "2024", "--record", "--history", str(store)]) == 2
    assert capsys.readouterr().err.startswith("--record: 本次只算到月份 2") and not store.exists()
    # The whole period is recorded as before.
    assert main(["run", str(scheme_file), "--data", str(_write(tmp_path / "e", 6, votes=True)), "--period", "2024", "--record",
                 "--history", str(store)]) == 0


def test_diff_names_a_changed_so_far_rule(scheme_file: Path, tmp_path: Path) -> None:
    from engine.diff import diff_schemes

    other = tmp_path / "u.yaml"
    other.write_text(SCHEME.replace("so_far: {formula: mean(score)}", "so_far: {formula: mean(score) * 0.8}"), encoding="utf-8")
    changes = diff_schemes(pipeline.load(scheme_file, Context()), pipeline.load(other, Context()))
    assert [(c.kind, c.id) for c in changes] == [("rule", "work")]
    assert changes[0].new is not None and "截至当前" in changes[0].new


def test_one_sheet_per_month(scheme_file: Path, tmp_path: Path) -> None:
    import openpyxl

    folder = tmp_path / "d"
    folder.mkdir()
    (folder / "名单.csv").write_text("编号,姓名,小组\nA,甲,一组\nB,乙,一组\nC,丙,一组\n", encoding="utf-8")
    book = openpyxl.Workbook()
    book.remove(book.active)
    for month, scores in (("1月", (9, 6, 10)), ("2月", (7, 8, 4))):
        sheet = book.create_sheet(month)
        sheet.append(["编号", "月评分"])
        for unit, score in zip("ABC", scores):
            sheet.append([unit, score])
    book.save(folder / "月评分.xlsx")
    outcomes, _ = _run(scheme_file, folder)
    # The sheets reach 2月: A (9 + 7) ÷ 2 = 8; B (6 + 8) ÷ 2 = 7; C (10 + 4) ÷ 2 = 7
    assert outcomes.results.scheme.to_date.until == "2"  # type: ignore[attr-defined]
    assert outcomes.results.scores["work"].tolist() == [8.0, 7.0, 7.0]  # type: ignore[attr-defined]
    # --until 1: the 2月 sheet is left out, with a note
    outcomes, notes = _run(scheme_file, folder, until="1")
    assert outcomes.results.scores["work"].tolist() == [9.0, 6.0, 10.0] and "data_later_rows" in notes  # type: ignore[attr-defined]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_built_report_pages_of_a_run_to_date_are_jinja_pages(tmp_path: Path, lang: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """engine.sheetpages prints the note of a run to date as the shipped templates do."""
    import datetime

    from engine.reports import Settings, render_kind
    from tests.unit.test_sheetpages import both

    context = Context(lang="en" if lang == "en" else "zh")
    outcomes = pipeline.assess_file(JIFENZHI, [JIFENZHI_DATA], context, until="3", details=True)
    settings = Settings(datetime.date(2024, 4, 2), None, context)
    for kind in ("gongshi", "sheets"):
        fast, slow = both(monkeypatch, lambda: render_kind(outcomes, kind, settings))
        assert fast == slow and to_date.note(outcomes.results.scheme, context) in fast
