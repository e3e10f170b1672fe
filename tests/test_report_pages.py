"""What the report pages say and how they are cut: published outcomes on the 公示, the
summary's charts and lists, the comparison's title and order, files split by group, English
text without Chinese punctuation."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import openpyxl
import pytest

from engine.context import Context
from engine.cli import main
from engine.documents import documents, plain_text
from engine.reports import Settings, _summary, render_kind, split_units
from tests.helpers import JIFENZHI, JIFENZHI_DATA, outcomes_of

DAY = datetime.date(2024, 12, 1)

SCHEME = """
units: {group: 党支部}
inputs:
  x: {title: 得分, type: number, range: [0, 100]}
items:
  - {id: a, title: 工作, max: 100, formula: x}
adjustments:
  - {id: p, title: 处分扣分, max: 0, formula: "0"}
grades:
  - id: level
    title: 等次
    bands:
      - {ge: 90, value: 优秀}
      - {ge: 60, lt: 90, value: 合格}
      - {lt: 60, value: 不合格}
rankings:
  - id: best
    title: 第一名
    tiers: [{label: 第一名, count: 1}]
  - id: last
    title: 排名较后
    order: asc
    tiers: [{label: 排名较后, count: 1}]
actions:
  - {id: talk, title: 诫勉谈话, when: last}
  - {id: praise, title: 通报表扬, when: best, published: true}
"""
# Seven units: 95 … 55. 不合格 comes first in the listing's reverse order; the summary
# must still count 优秀, 合格, 不合格 in the scheme's order.
SCORES = {"x": [55.0, 95.0, 70.0, 65.0, 88.0, 61.0, 92.0]}
GROUPS = ["一支部", "二支部", "一支部", "三支部", "二支部", "一支部", "三支部"]


def seven():
    return outcomes_of(SCHEME, SCORES, groups=GROUPS, details=True)


def test_the_public_list_shows_published_outcomes_only() -> None:
    outcomes = seven()
    html = render_kind(outcomes, "gongshi", Settings(DAY))
    # The top ranking's award and the action marked published: true are on the notice board;
    # the bottom ranking (order: asc) and the action (published by default: no) are not.
    assert "第一名" in html and "通报表扬" in html
    assert "排名较后" not in html and "诫勉谈话" not in html
    (gongshi,) = documents(outcomes, ["gongshi"], Settings(DAY))
    text = plain_text(gongshi)
    assert "通报表扬" in text and "诫勉谈话" not in text and "排名较后" not in text
    # The unit's own sheet still says it (internal lists carry everything).
    (sheets,) = documents(outcomes, ["sheets"], Settings(DAY), [0])
    assert "诫勉谈话" in plain_text(sheets)


def test_summary_counts_grades_in_the_scheme_order_and_lists_no_unit_twice() -> None:
    s = _summary(seven(), Context())
    # 95, 92 → 优秀; 88, 70, 65, 61 → 合格; 55 → 不合格
    assert list(s["grades"].items()) == [("优秀", 2), ("合格", 4), ("不合格", 1)]
    top = [u["total"] for u in s["top"]]
    bottom = [u["total"] for u in s["bottom"]]
    # Seven units: the first five, then the last two that are not among them.
    assert top == ["95.00", "92.00", "88.00", "70.00", "65.00"] and bottom == ["55.00", "61.00"]
    # A section whose full marks are 0 (处分扣分) has no rate bar; the work section has one.
    assert "处分扣分" not in s["section_chart"] and "工作" in s["section_chart"]
    # Labels are 14 px, not 12.
    assert 'font-size="14"' in s["grade_chart"] and 'font-size="12">优秀' not in s["grade_chart"]


def test_split_units_keeps_groups_together() -> None:
    outcomes = seven()
    files = split_units(outcomes, list(range(7)), 3)
    # Groups by name: 一支部 (3), 三支部 (2), 二支部 (2) — no file over 3, no group cut.
    assert [(groups, len(units)) for groups, units in files] == [(["一支部"], 3), (["三支部"], 2), (["二支部"], 2)]
    assert split_units(outcomes, list(range(7)), 10) == [([], list(range(7)))]
    # A group larger than the limit is cut into parts of the limit.
    assert [len(u) for _, u in split_units(outcomes, list(range(7)), 2)] == [2, 1, 2, 2]


def test_a_large_report_is_split_into_files_with_an_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    import engine.reports

    monkeypatch.setattr(engine.reports, "PER_FILE", 15)  # the 40-member sample as if it were 3,000
    out = tmp_path / "r"
    assert main(["report", str(JIFENZHI), "--data", str(JIFENZHI_DATA), "--out", str(out), "--date", "2024-12-01"]) == 0
    parts = sorted(p.name for p in (out / "sheets").iterdir())
    index = (out / "sheets.html").read_text(encoding="utf-8")
    assert len(parts) >= 3 and all(f'href="sheets/{name}"' in index for name in parts)
    # Every member's sheet is in exactly one file.
    sheets = sum((out / "sheets" / name).read_text(encoding="utf-8").count('<section class="page">') for name in parts)
    assert sheets == 40
    printed = capsys.readouterr().out
    assert f"分为 {len(parts)} 个文件" in printed and "sheets/001.html" not in printed
    # The workbook (written by engine.xlsx) reads back with every member.
    assert openpyxl.load_workbook(out / "results.xlsx")["结果"].max_row == 41


def test_a_smaller_run_into_the_same_folder_leaves_no_stale_parts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # 40 members at 10 per file make several parts; at 15 fewer; unsplit, none. A part the new index
    # does not list would be a stale sheet an office might post.
    import engine.reports

    out = tmp_path / "r"
    args = ["report", str(JIFENZHI), "--data", str(JIFENZHI_DATA), "--out", str(out), "--date", "2024-12-01", "--kind", "sheets"]
    monkeypatch.setattr(engine.reports, "PER_FILE", 10)
    assert main(args) == 0
    many = sorted(p.name for p in (out / "sheets").iterdir())
    (out / "sheets" / "我的备注.txt").write_text("mine", encoding="utf-8")  # not ours: kept
    monkeypatch.setattr(engine.reports, "PER_FILE", 15)
    assert main(args) == 0
    fewer = sorted(p.name for p in (out / "sheets").iterdir() if p.suffix == ".html")
    assert len(fewer) < len(many)
    index = (out / "sheets.html").read_text(encoding="utf-8")
    assert all(f'href="sheets/{name}"' in index for name in fewer)
    monkeypatch.setattr(engine.reports, "PER_FILE", 1000)
    assert main(args) == 0
    assert sorted(p.name for p in (out / "sheets").iterdir()) == ["我的备注.txt"]


def test_the_comparison_title_names_what_changed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", str(JIFENZHI), "--data", str(JIFENZHI_DATA), "--set", "params.base_weight.value=0.7",
                 "--sweep", "params.vote_weight.value=0.1:0.3:0.1"]) == 0
    text = capsys.readouterr().out
    assert text.splitlines()[0] == "# 规则版本比较：党员积分制管理考核：试改 params.base_weight.value=0.7"
    assert "Spearman" not in text and "名次相关系数" in text
    order = ["优秀党员", "合格党员", "基本合格党员", "不合格党员"]
    for row in [line for line in text.splitlines() if re.match(r"\| 0\.\d", line)]:
        found = [label for label in re.findall(r"([^\s、]+党员) \d+", row)]
        assert found == sorted(found, key=order.index), row


def test_english_documents_use_english_punctuation(tmp_path: Path) -> None:
    from tests.helpers import ROOT

    factory = ROOT / "schemes" / "chuangxian-zhengyou-factory" / "chuangxian-zhengyou-factory.yaml"
    from engine.context import Context
    from engine.pipeline import assess, load

    context = Context()
    outcomes = assess(load(factory, context), [factory.parent / "data"], context, details=True)
    settings = Settings(DAY, context=Context(lang="en"))
    for document in documents(outcomes, ["sheets", "notices"], settings):
        # Chinese titles stay as written (a scheme's titles are Chinese); the sentences around them are English.
        text = plain_text(document)
        assert "；" not in text and not re.search(r"：(?=[ A-Za-z0-9]|$)", text, re.MULTILINE), document.name
        assert "Total: " in text or "scored" in text
    html = render_kind(outcomes, "sheets", settings)
    assert "；" not in re.sub(r"<[^>]+>", "", html) and "Vetoes: " in html
