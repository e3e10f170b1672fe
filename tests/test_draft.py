"""kaohe draft on invented paragraphs (tests/draft/invented.txt), a .docx of the same text, messy input and the CLI.

The invented document is written for these tests; each expectation below is
read off its text by hand (the line is quoted in the comment).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from engine.cli import main
from engine.draft import build
from engine.draft.rules import Item
from engine.draft.writing import scheme_text

HERE = Path(__file__).resolve().parent
INVENTED = HERE / "draft" / "invented.txt"
ROOT = HERE.parent
SEEDS = ROOT / "tests" / "seeds"  # copies of the source documents (tests/seeds/README.md)


def _leaves(items: tuple[Item, ...]) -> dict[str, Item]:
    return {leaf.id: leaf for item in items for leaf in item.leaves()}


def test_invented_document_rules() -> None:
    draft, _, warnings = build(INVENTED)
    leaves = _leaves(draft.items)
    assert draft.title == "某镇机关作风建设考评办法" and draft.total == 50
    # "1、建立健全会议台账,每缺一本扣0.5分,扣完为止。(3分)" → a deduction of 0.5 per missing book
    assert leaves["item_01"].kind == "deductions" and leaves["item_01"].max == 3
    clause = leaves["item_01"].body["clauses"][0]  # type: ignore[index]
    assert clause["per"] == Decimal("0.5")
    # "2、…未落实值班制度的,该项不得分。(2分)" → all or nothing on a yes/no input
    assert leaves["item_02"].kind == "condition" and leaves["item_02"].body == {"when": "not item_02_b1"}
    # "3、走访企业不少于6次,每少一次减0.4分" → 0.4 × (6 − visits), never below 0
    assert leaves["item_03"].body["clauses"][0]["count"] == "max(6 - item_03_n1, 0)"  # type: ignore[index]
    # "4、…达到95%以上的得满分,90%至94%的得4分,85%至89%的得2分,低于85%的不得分(6分)"
    # → whole-number ranges read as [90, 95) and [85, 90): a rate of 94.5 is not in a gap
    assert leaves["item_04"].body["bands"] == [  # type: ignore[index]
        {"ge": 95, "points": 6}, {"ge": 90, "lt": 95, "points": 4}, {"ge": 85, "lt": 90, "points": 2}, {"lt": 85, "points": 0}]
    # "5、获得国家级、省级、市级表彰的分别加6、4、2分,不累计" → levels, highest only
    body = leaves["item_05"].body
    assert body["pick"] == "highest" and [lv["points"] for lv in body["levels"]] == [6, 4, 2]  # type: ignore[index]
    # "6、按照镇考核办实际得分,同比例折算(20分)" → proportional
    assert leaves["item_06"].kind == "proportional"
    # "7、重点任务推进有力(10分)" → no rule written: the assessors score it within 0–10
    assert leaves["item_07"].kind == "formula"
    # "8、考评得分90分以上为优秀,75—89分为良好,60分以下为不合格。"
    assert [(b.value, b.low, b.high) for b, _, _ in draft.grades] == [("优秀", 90, None), ("良好", 75, 90), ("不合格", None, 60)]
    # "9、发生重大责任事故的,实行一票否决。"
    assert [v.title for v in draft.vetoes] == ["发生重大责任事故"]
    # The web address (line 2) and the page number "- 3 -" (line 11) are dropped, each with a warning.
    assert sorted(w.location.line for w in warnings if w.code == "draft_dropped_line") == [2, 11]


def test_docx_drafts_the_same_as_its_text(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    for line in INVENTED.read_text(encoding="utf-8").splitlines():
        document.add_paragraph(line)
    path = tmp_path / "invented.docx"
    document.save(str(path))
    from_text, _, _ = build(INVENTED)
    from_word, _, _ = build(path)
    assert scheme_text(from_word, "x", "s")[0] == scheme_text(from_text, "x", "s")[0]


def test_messy_text_becomes_warnings(tmp_path: Path) -> None:
    messy = tmp_path / "messy.txt"
    # Full-width numbering, a cut sentence (the points on the next line), two items numbered 1, a section total that disagrees.
    messy.write_text("某单位考核细则\n一、基本工作（１０分）\n１、制度上墙，未上墙的此项不得分\n（3分）\n1、资料归档，每缺一份扣1分（3分）\n"
                     "第 2 页 共 5 页\n", encoding="gbk")
    draft, _, warnings = build(messy)
    codes = sorted(w.code for w in warnings)
    assert codes == ["draft_dropped_line", "draft_joined_line", "draft_numbering", "draft_section_total"]
    section_total = next(w for w in warnings if w.code == "draft_section_total")
    assert dict(section_total.args)["declared"] == "10" and dict(section_total.args)["found"] == "6"  # 3 + 3
    assert [leaf.id for leaf in draft.items[0].leaves()] == ["item_01", "item_01b"]


def test_cli_writes_a_folder_that_validates(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "草稿"
    assert main(["draft", str(INVENTED), "--out", str(out)]) == 0
    scheme = out / "草稿.yaml"
    assert main(["validate", str(scheme)]) == 0
    text = scheme.read_text(encoding="utf-8")
    assert "# 第 5 行: 1、建立健全会议台账" in text
    # The data-entry template's headers are the Chinese input titles an assessor reads.
    book = openpyxl.load_workbook(out / "data" / "填报模板.xlsx")
    headers = {cell.value for ws in book.worksheets for cell in ws[1] if cell.value}
    assert {"窗口服务好评率", "未落实值班制度", "走访企业次数"} <= headers
    assert (out / "起草报告.md").read_text(encoding="utf-8").startswith("# 起草报告: 某镇机关作风建设考评办法")


def test_cli_refuses_a_non_empty_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "taken"
    out.mkdir()
    (out / "keep.txt").write_text("mine", encoding="utf-8")
    assert main(["draft", str(INVENTED), "--out", str(out)]) == 1
    assert "不是空文件夹" in capsys.readouterr().err
    assert sorted(p.name for p in out.iterdir()) == ["keep.txt"]
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["draft", str(INVENTED), "--out", str(empty)]) == 0  # an empty folder is filled


@pytest.mark.parametrize(("args", "expected"), [
    (["nothing.txt"], "找不到文件"),
    (["{doc}", "--part", "3"], "没有第 3 篇"),
    (["{doc}", "--lines", "9-2"], "不是行号范围"),
    (["{bad}"], "不能读取 '.doc' 格式的文件"),
    (["{broken}"], "无法读取这个文件"),
    (["{folder}"], "这是一个文件夹"),
])
def test_cli_user_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], expected: str) -> None:
    (tmp_path / "a.doc").write_bytes(b"\xd0\xcf")
    (tmp_path / "b.docx").write_bytes(b"not a zip")
    (tmp_path / "材料.txt").mkdir()
    filled = [a.format(doc=INVENTED, bad=tmp_path / "a.doc", broken=tmp_path / "b.docx", folder=tmp_path / "材料.txt") for a in args]
    assert main(["draft", *filled, "--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert expected in err and "Traceback" not in err
    assert not (tmp_path / "out").exists()


def test_english_messages(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--lang", "en", "draft", str(tmp_path / "x.txt"), "--out", str(tmp_path / "o")]) == 1
    assert "no such file" in capsys.readouterr().err


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the seed documents are not beside this clone")
def test_seed_004_first_document_by_default(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "s3"
    assert main(["draft", str(SEEDS / "004_583ec509c4b6b227.txt"), "--out", str(out)]) == 0
    captured = capsys.readouterr()
    assert "只起草了第 1 篇" in captured.err and "--part N" in captured.err
    report = (out / "起草报告.md").read_text(encoding="utf-8")
    assert "乌鲁木齐县" in report and "## 待确认的句子" in report
    unread = re.findall(r"^- 第 (\d+) 行", report.split("## 待确认的句子")[1].split("## 警告")[0], re.M)
    text = (out / "s3.yaml").read_text(encoding="utf-8")
    assert len(unread) == text.count("# 待确认:")  # every sentence listed is marked at its place, and only those


def test_from_an_unrelated_folder(tmp_path: Path) -> None:
    out = tmp_path / "d"
    run = subprocess.run([sys.executable, "-m", "engine", "draft", str(INVENTED), "--out", str(out)], cwd=tmp_path,
                         capture_output=True, text=True, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert run.returncode == 0, run.stderr
    assert (out / "d.yaml").is_file()


def test_a_rule_that_does_not_validate_falls_back_to_a_score() -> None:
    import dataclasses

    from engine.draft import validated

    draft, source, _ = build(INVENTED)
    # Break item_07's rule on purpose: its formula names an input that is not declared.
    broken = dataclasses.replace(draft.items[1], children=tuple(
        dataclasses.replace(c, body={"formula": "undeclared_input * 2"}) if c.id == "item_07" else c for c in draft.items[1].children))
    text, fixed, notes = validated(dataclasses.replace(draft, items=(draft.items[0], broken)), "x", source, "x.yaml")
    assert [n.code for n in notes if n.code == "draft_fallback"] == ["draft_fallback"]
    assert "formula: \"item_07_score\"" in text
    assert _leaves(fixed.items)["item_07"].kind == "formula"


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice makes the PDF with a text layer")
def test_pdf_with_a_text_layer_drafts_the_same_rules(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    for line in INVENTED.read_text(encoding="utf-8").splitlines():
        document.add_paragraph(line)
    document.save(str(tmp_path / "invented.docx"))
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(tmp_path / "invented.docx")],
                   capture_output=True, timeout=180, check=True)
    from_pdf, _, _ = build(tmp_path / "invented.pdf")
    from_text, _, _ = build(INVENTED)
    # The PDF's text lines are numbered as pypdf finds them; the items, points and rules are the same.
    def rules(items: tuple[Item, ...]) -> list[tuple[str, Decimal, str | None, object]]:
        return [(i.id, i.max, i.kind, i.body) for i in _leaves(items).values()]
    assert rules(from_pdf.items) == rules(from_text.items)


def test_markdown_control_characters_and_a_document_without_points(tmp_path: Path) -> None:
    markdown = tmp_path / "a.md"
    markdown.write_text("# 某考核细则\n\n## 一、基础(10分)\n\n- 1、制度健全,每缺一项扣1分(4分)\n- 2、**会议记录**完整(6分)\n", encoding="utf-8")
    draft, _, _ = build(markdown)
    # Heading marks, bullets and emphasis are not text: the items read as in a .txt file.
    assert [(i.id, i.title, i.max, i.kind) for i in draft.items[0].leaves()] == [
        ("item_01", "制度健全", 4, "deductions"), ("item_02", "会议记录完整", 6, "formula")]
    stray = tmp_path / "stray.txt"
    stray.write_bytes("考核办法\n一、基础工作(5分)\x0c\x01\n".encode("utf-8"))
    out = tmp_path / "o1"
    assert main(["draft", str(stray), "--out", str(out)]) == 0  # a control character never reaches the YAML
    plain = tmp_path / "plain.txt"
    plain.write_text("这里只是一段说明文字，没有编号也没有分值。\n", encoding="utf-8")
    draft, _, warnings = build(plain)
    assert [w.code for w in warnings] == ["draft_no_items"]
    assert [i.title for i in draft.items] == ["待补充的考核项目"]  # a placeholder, so that the draft still validates
    assert main(["draft", str(plain), "--out", str(tmp_path / "o2")]) == 0


def test_a_word_table_with_a_points_column(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("某校教研组考核细则")
    rows = [("项目", "内容", "分值", "评分标准"),
            ("教学常规(10分)", "备课", "6", "每缺一篇教案扣0.5分,扣完为止"),
            ("教学常规(10分)", "听课", "4", "未完成听课任务的,该项不得分"),
            ("教研活动", "课题研究", "5分", "组织得力")]
    table = document.add_table(rows=len(rows), cols=4)
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            table.cell(r, c).text = value
    table.cell(1, 0).merge(table.cell(2, 0))  # the section cell spans its two rows, as offices write it
    table.cell(1, 0).text = "教学常规(10分)"
    path = tmp_path / "table.docx"
    document.save(str(path))
    draft, _, warnings = build(path)
    # Sections from the first column, items numbered in order with the points of the 分值 column.
    assert [(i.title, i.max) for i in draft.items] == [("教学常规", 10), ("教研活动", 5)]
    assert [(i.title, i.max, i.kind) for i in draft.items[0].leaves()] == [("备课", 6, "deductions"), ("听课", 4, "condition")]
    assert [(i.title, i.max, i.kind) for i in draft.items[1].leaves()] == [("课题研究", 5, "formula")]
    assert not [w for w in warnings if w.code == "draft_section_total"]


def test_default_out_folder_is_named_after_the_document(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["draft", str(INVENTED)]) == 0
    assert (tmp_path / "invented-草稿" / "invented-草稿.yaml").is_file()
    assert main(["draft", str(INVENTED)]) == 1  # a second run is refused: the folder is no longer empty


def test_a_scheme_level_rule_that_does_not_validate_is_left_out() -> None:
    import dataclasses

    from engine.draft import validated

    draft, source, _ = build(INVENTED)
    broken = dataclasses.replace(draft.vetoes[0], when="undeclared_flag")
    text, fixed, notes = validated(dataclasses.replace(draft, vetoes=(broken,)), "x", source, "x.yaml")
    assert [n.code for n in notes if n.code.startswith("draft_")] == ["draft_dropped_rule"]
    assert fixed.vetoes == () and "vetoes:" not in text
    assert "# 待确认: 第 17 行 “发生重大责任事故的,实行一票否决。”" in text  # invented.txt line 17, back among the sentences to confirm


def test_generated_documents_always_draft_a_scheme_that_validates(tmp_path: Path) -> None:
    """Documents stitched at random from numbering, phrases and noise: the draft never fails and always validates."""
    import random

    from engine.draft import validated

    pieces = ["一、", "二、", "(一)", "(三)", "1、", "2、", "2、", "10.", "(1)", "⑵", "①", "第三条", "", "", "- 7 -", "www.x.cn", "第二篇"]
    phrases = ["制度健全(5分)", "每缺一项扣0.5分,扣完为止", "未落实的,此项不得分", "满意率达到90%以上得满分,80%至89%得2分,低于80%不得分",
               "获得省级、市级表彰分别加3、1分", "(3分)", "按实际得分同比例扣减", "按30%折算", "按70%折算", "85分以上为优秀", "60分以下为不合格",
               "发生事故的一票否决", "一等奖二名", "每篇加0.5分,最高不超过2分", "满分12分", "查资料", "(", ")", "%", "分", "每少", "减完为止",
               "至少3次,每缺少一次减1分", "占40%", "×60%", "前3名为优秀", "按40%的比例评为优秀", "(乡镇指标)", "扣完5分为止", "不累计",
               "0分", "(0分)", "(0.5分)", "得满分"]
    rng = random.Random(17)
    for n in range(60):
        lines = ["".join(rng.choice(pieces) + rng.choice(phrases) for _ in range(rng.randint(1, 4))) for _ in range(rng.randint(1, 20))]
        path = tmp_path / f"g{n}.txt"
        path.write_text("某考核细则\n" + "\n".join(lines) + "\n", encoding="utf-8")
        draft, source, _ = build(path)
        text, _, _ = validated(draft, "x", source, "x.yaml")  # raises if the written scheme does not validate
        assert text.startswith("# ")


def test_invented_scheme_level_rules(tmp_path: Path) -> None:
    draft, _, _ = build(HERE / "draft" / "invented-2.txt")
    # "(一)日常工作考评(100分)计入年度总分时按60%折算;(二)群众测评(100分)…按40%折算" → two weighted parts, 0.6 + 0.4 = 1
    assert [(p.title, p.weight, p.item.max) for p in draft.parts] == [("日常工作考评", Decimal("0.6"), 100), ("群众测评", Decimal("0.4"), 100)]
    assert draft.items == ()
    assert {i.id for i in draft.inputs} == {"part_1_score", "part_2_score", "bonus_n1", "veto_1_b1", "veto_2_b1"}  # nothing left over
    # "每篇加0.5分,最高不超过2分" → a counted bonus capped at 2
    (bonus,) = draft.adjustments
    assert bonus.max == 2 and bonus.body["levels"] == [  # type: ignore[index]
        {"title": "在区级以上媒体刊发经验文章", "points": Decimal("0.5"), "count": "bonus_n1"}]
    # "评出一等奖一名,二等奖三名" and "按不超过30%的比例评为先进社区"
    assert [[(q.label, q.count, q.share) for q in r.tiers] for r in draft.rankings] == [
        [("一等奖", 1, None), ("二等奖", 3, None)], [("先进社区", None, Decimal("0.3"))]]
    # "有下列情形之一的,取消当年评先资格: 1、…; 2、…" → one veto per entry
    assert [v.title for v in draft.vetoes] == ["发生重大安全事故", "群众集体上访造成恶劣影响"]
    assert main(["draft", str(HERE / "draft" / "invented-2.txt"), "--out", str(tmp_path / "d")]) == 0
