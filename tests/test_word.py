"""The Word documents read back with python-docx: each kind's text, tables, page
setup in millimetres, fonts named for Chinese text, the page-number field, the
repeated table header — and no id, expression or Python value anywhere a reader
sees, on every shipped scheme."""

from __future__ import annotations

import datetime
import re
import zipfile
from pathlib import Path

import pytest
from docx import Document as read_docx
from docx.oxml.ns import qn

from engine.cli import main
from engine.compiler import compile_scheme
from engine.data import read_dataset
from engine.documents import Document, documents, full_width, localise, plain_text
from engine.grade import Outcomes
from engine.inherit import load_scheme
from engine.model import Scheme
from engine.reports import Settings, notice_units
from tests.helpers import JIFENZHI, JIFENZHI_DATA, ROOT
from tests.test_reports import FACTORY

DAY = "2024-12-01"
KIND_FILES = {"gongshi": "公示", "sheets": "评分表", "notices": "整改通知书", "summary": "汇总"}


def factory_data(folder: Path) -> Path:
    """The factory sample with a second unit below 达标 (as tests/test_browser.py): two notices."""
    for file in (FACTORY.parent / "data").iterdir():
        (folder / file.name).write_bytes(file.read_bytes())
    sheet = folder / "企管部经营责任制.csv"
    sheet.write_bytes(sheet.read_bytes().decode("utf-8-sig").replace("H,88,", "H,40,").encode("utf-8-sig"))
    return folder


@pytest.fixture(scope="module")
def factory(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = factory_data(tmp_path_factory.mktemp("data"))
    out = tmp_path_factory.mktemp("docx")
    assert main(["report", str(FACTORY), "--data", str(data), "--out", str(out), "--format", "docx", "--date", DAY, "--period", "2024年度"]) == 0
    return out


def text_of(path: Path) -> str:
    """Every paragraph and table cell of a .docx, in document order."""
    doc = read_docx(str(path))
    lines = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        lines += ["\t".join(cell.text for cell in row.cells) for row in table.rows]
    return "\n".join(lines)


@pytest.mark.parametrize("kind, words", [
    ("gongshi", ["结果公示", "三车间党支部", "公示期：2024年12月1日至2024年12月5日", "中共××厂委员会", "2024年12月1日"]),
    ("sheets", ["评分表", "经营责任制及各项行政管理工作", "支部工作测评满意率 92%，属于“90% 及以上”一档，得 3 分", "考核组签字", "被考核单位确认"]),
    ("notices", ["整改通知书", "三车间党支部：", "你单位得分71.00（未达标）", "每次扣 2 分，扣 4 分", "2024年12月31日前", "（盖章）"]),
    ("summary", ["汇总", "等次分布", "各部分得分情况", "前五名"]),
])
def test_each_kind_holds_its_text(factory: Path, kind: str, words: list[str]) -> None:
    text = text_of(factory / f"{KIND_FILES[kind]}.docx")
    for word in words:
        assert word in text, word


def test_page_setup_follows_gb_t_9704(factory: Path) -> None:
    for kind in KIND_FILES.values():
        section = read_docx(str(factory / f"{kind}.docx")).sections[0]
        assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
        margins = [round(m.mm) for m in (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)]
        assert margins == [37, 35, 28, 26], kind


def test_fonts_are_named_for_chinese_text(factory: Path) -> None:
    doc = read_docx(str(factory / "整改通知书.docx"))
    title = next(p for p in doc.paragraphs if p.text == "整改通知书").runs[0]
    assert title._r.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体" and title.font.size.pt == 22
    body = next(p for p in doc.paragraphs if p.text.startswith("经")).runs[0]
    assert body._r.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312" and body.font.size.pt == 16
    cell = doc.tables[0].rows[1].cells[0].paragraphs[0].runs[0]
    assert cell._r.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312" and cell.font.size.pt in (12, 10.5)
    # The document's defaults name no theme font (Word would prefer it over the named one).
    styles = zipfile.ZipFile(factory / "整改通知书.docx").read("word/styles.xml").decode()
    assert "eastAsiaTheme" not in styles.split("</w:docDefaults>")[0]


def test_page_numbers_are_a_page_field_between_dashes(factory: Path) -> None:
    doc = read_docx(str(factory / "评分表.docx"))
    footer = doc.sections[0].footer.paragraphs[0]
    xml = footer._p.xml
    assert "PAGE" in "".join(x.text or "" for x in footer._p.iter(qn("w:instrText")))
    assert 'w:fldCharType="begin"' in xml and 'w:fldCharType="end"' in xml
    assert footer.text.startswith("— ") and footer.text.endswith(" —")


def test_tables_repeat_their_header_and_keep_names_on_one_line(factory: Path) -> None:
    doc = read_docx(str(factory / "公示.docx"))
    table = doc.tables[0]
    first = table.rows[0]._tr
    assert first.trPr is not None and first.trPr.find(qn("w:tblHeader")) is not None
    header = [c.text for c in table.rows[0].cells]
    assert header[:3] == ["排名", "名称", "赛区"]
    name_cell = table.rows[1].cells[1]._tc
    assert name_cell.tcPr.find(qn("w:noWrap")) is not None
    # Wide enough for the longest name at the table's type size (a 6-character 三车间党支部).
    longest = max(len(row.cells[1].text) for row in table.rows[1:])
    assert table.rows[1].cells[1].width.pt >= longest * 12


def test_sheets_and_notices_start_each_unit_on_a_new_page(factory: Path, tmp_path: Path) -> None:
    outcomes = outcomes_for(FACTORY, factory_data(tmp_path))
    doc = read_docx(str(factory / "整改通知书.docx"))
    # Each notice begins with its document number (the factory's reports.number) above the title.
    starts = [p for p in doc.paragraphs if p.text == "××党发〔2024〕5号"]
    assert len(starts) == len([p for p in doc.paragraphs if p.text == "整改通知书"]) == len(notice_units(outcomes)) == 2
    assert [bool(p.paragraph_format.page_break_before) for p in starts] == [False, True]
    sheets = read_docx(str(factory / "评分表.docx"))
    titles = [p for p in sheets.paragraphs if p.text.endswith("评分表")]
    assert len(titles) == len(outcomes.results.data.units) and len(sheets.tables) == len(titles)


def test_red_header_and_document_number(factory: Path) -> None:
    # GB/T 9704 版头 from the factory's reports.red_header / reports.number: the office's mark
    # in red 小标宋, the number centred under it with a red line below, then the title.
    doc = read_docx(str(factory / "公示.docx"))
    mark, number = doc.paragraphs[0], doc.paragraphs[1]
    assert mark.text == "中共××厂委员会文件" and number.text == "××党发〔2024〕5号"
    run = mark.runs[0]
    assert str(run.font.color.rgb) == "FF0000" and run._r.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    assert mark.alignment == number.alignment == 1  # centred
    line = number._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom"))
    assert line.get(qn("w:color")) == "FF0000" and line.get(qn("w:val")) == "single"
    assert any(p.text.endswith("结果公示") for p in doc.paragraphs[2:5])
    # A notice (one page each) carries the number only; a score sheet neither.
    assert "中共××厂委员会文件" not in text_of(factory / "整改通知书.docx")
    assert "党发" not in text_of(factory / "评分表.docx")


def test_the_public_list_leaves_out_actions_meant_for_the_unit(factory: Path) -> None:
    text = text_of(factory / "公示.docx")
    assert "先进党支部" in text
    assert "整改通知书" not in text and "书记批评教育" not in text


def test_one_folder_per_group_and_an_index(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", str(JIFENZHI), "--data", str(JIFENZHI_DATA), "--out", str(tmp_path), "--format", "docx", "--by", "党支部", "--date", DAY]) == 0
    folders = sorted(p.name for p in tmp_path.iterdir() if p.is_dir())
    assert folders == ["机关党支部", "第一党支部", "第二党支部"]
    for folder in folders:
        text = text_of(tmp_path / folder / "公示.docx")
        assert f"党支部：{folder}" in text
        # Each branch's list holds only its members, ranked within the branch from 1.
        table = read_docx(str(tmp_path / folder / "公示.docx")).tables[0]
        assert table.rows[1].cells[0].text == "1"
        assert "党支部" not in [c.text for c in table.rows[0].cells]
    index = text_of(tmp_path / "目录.docx")
    assert all(folder in index for folder in folders) and "第一党支部/公示.docx" in index
    assert (tmp_path / "汇总.docx").exists() and not list(tmp_path.glob(".kaohe-*"))
    assert main(["report", str(JIFENZHI), "--data", str(JIFENZHI_DATA), "--out", str(tmp_path / "all"), "--format", "docx", "--by", "group", "--kind", "gongshi"]) == 0


@pytest.mark.parametrize("argv, code", [
    (["--format", "docx", "--by", "车间"], "不能按 '车间' 分组"),
    (["--format", "html", "--by", "党支部"], "--by 只用于 Word 和 PDF 文件"),
])
def test_wrong_by_is_a_located_error(tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], code: str) -> None:
    assert main(["report", str(JIFENZHI), "--data", str(JIFENZHI_DATA), "--out", str(tmp_path / "out"), *argv]) == 1
    err = capsys.readouterr().err
    assert code in err and "Traceback" not in err and "--by" in err
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_pdf_without_libreoffice_says_what_to_install(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KAOHE_SOFFICE", str(tmp_path / "no-such-soffice"))
    assert main(["report", str(JIFENZHI), "--data", str(JIFENZHI_DATA), "--out", str(tmp_path / "out"), "--format", "pdf"]) == 1
    err = capsys.readouterr().err
    assert "LibreOffice" in err and "apt-get install libreoffice-writer-nogui" in err and "Traceback" not in err
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


# ---------------------------------------------------------------------------
# No code in documents, on every shipped scheme


def outcomes_for(scheme_file: Path, data: Path) -> Outcomes:
    scheme, _ = compile_scheme(load_scheme(scheme_file))
    from engine.context import Context
    from engine.pipeline import score  # scores a tree of units bottom-up too (engine.bottom_up)

    return score(scheme, read_dataset(scheme, [data]), Context(), details=True)


SHIPPED = sorted(p for p in (ROOT / "schemes").glob("*/*.yaml") if (p.parent / "data").is_dir() and p.stem == p.parent.name)
#: What only an author should see: comparisons, function calls, Python values, interval notation.
CODE = re.compile(r">=|<=|==|!=|\bwhere\(|\b(?:True|False|None|nan)\b|[\[(]-?∞|[\[(]\d+(?:\.\d+)?, ?\d|\+∞|\w+\(\w")


def internal_ids(scheme: Scheme) -> set[str]:
    return (set(scheme.inputs) | {n.id for n in scheme.nodes()} | {d.id for d in scheme.derived} | set(scheme.params)
            | {v.id for v in scheme.vetoes} | {g.id for g in scheme.grades} | {a.id for a in scheme.actions}
            | {r.id for r in scheme.rankings} | {scheme.id})


@pytest.mark.parametrize("scheme_file", SHIPPED, ids=[p.parent.name for p in SHIPPED])
def test_no_document_shows_ids_or_code(scheme_file: Path) -> None:
    outcomes = outcomes_for(scheme_file, scheme_file.parent / "data")
    scheme = outcomes.results.scheme
    # Ids that are also plain words (a one-letter id, a Chinese id) cannot be told from text.
    ids = {i for i in internal_ids(scheme) if re.fullmatch(r"[a-z][a-z0-9_-]{2,}", i)}
    made: list[Document] = documents(outcomes, ("gongshi", "sheets", "notices", "summary"), Settings(datetime.date(2024, 12, 1)))
    assert made
    for document in made:
        text = plain_text(localise(document))
        found = sorted(i for i in ids if re.search(rf"(?<![A-Za-z0-9_]){re.escape(i)}(?![A-Za-z0-9_])", text))
        assert not found, f"{scheme_file.parent.name} {document.name}: ids {found}"
        code = CODE.findall(text)
        assert not code, f"{scheme_file.parent.name} {document.name}: {code[:5]}"
        assert not re.search(r"\d 年 \d+ 月", text), "dates are written 2024年12月1日"
        assert "公示期:" not in text and '"' not in text


def test_chinese_punctuation() -> None:
    assert full_width('坚持"三会一课"制度') == "坚持“三会一课”制度"
    assert full_width("score 1:2") == "score 1:2"  # Latin text keeps its colon


def test_english_documents(tmp_path: Path) -> None:
    assert main(["report", str(FACTORY), "--data", str(FACTORY.parent / "data"), "--out", str(tmp_path), "--format", "docx", "--lang", "en", "--date", DAY]) == 0
    text = text_of(tmp_path / "notices.docx")
    assert "Rectification notice" in text and "2024-12-31" in text


GOLDEN = Path(__file__).parent / "golden" / "documents"


@pytest.mark.parametrize("scheme_file, kind", [(FACTORY, k) for k in KIND_FILES] + [(JIFENZHI, k) for k in ("gongshi", "sheets", "summary")],
                         ids=lambda v: v.parent.name if isinstance(v, Path) else v)
def test_golden_text_of_each_kind(scheme_file: Path, kind: str, request: pytest.FixtureRequest) -> None:
    # Every word a reader sees, one block a line: a change in wording, order or figures shows
    # as a diff here. Refresh with pytest --update-golden and review the files.
    outcomes = outcomes_for(scheme_file, scheme_file.parent / "data")
    (document,) = documents(outcomes, (kind,), Settings(datetime.date(2024, 12, 1), "2024年度"))
    text = plain_text(localise(document)) + "\n"
    golden = GOLDEN / f"{scheme_file.parent.name}-{kind}.txt"
    if request.config.getoption("--update-golden"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert golden.exists(), f"{golden} is missing: run pytest --update-golden once and review the file"
    assert text == golden.read_text(encoding="utf-8")


def _parts(folder: Path, suffix: str) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.suffix == suffix) if folder.is_dir() else []


def test_a_smaller_word_run_into_the_same_folder_leaves_no_stale_parts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The Word counterpart of the HTML test in test_report_pages: 40 members at 10 per file make
    # several 评分表/NNN.docx, at 15 fewer, at 500 one 评分表.docx. After each run the folder holds
    # that run's form only — no part its 评分表目录 does not list, no index of parts that are gone.
    import engine.publish

    out = tmp_path / "docs"
    args = ["report", str(JIFENZHI), "--data", str(JIFENZHI_DATA), "--out", str(out), "--date", DAY, "--kind", "sheets", "--format", "docx"]
    monkeypatch.setattr(engine.publish, "PER_FILE", 10)
    assert main(args) == 0
    many = _parts(out / "评分表", ".docx")
    (out / "评分表" / "我的备注.txt").write_text("mine", encoding="utf-8")  # not ours: kept
    monkeypatch.setattr(engine.publish, "PER_FILE", 15)
    assert main(args) == 0
    fewer = _parts(out / "评分表", ".docx")
    assert 1 < len(fewer) < len(many)
    listed = re.findall(r"评分表/(\d{3}\.docx)", text_of(out / "评分表目录.docx"))
    assert sorted(listed) == fewer  # every part on disk is in the index, and only those
    assert not (out / "评分表.docx").exists()
    monkeypatch.setattr(engine.publish, "PER_FILE", 500)
    assert main(args) == 0
    assert (out / "评分表.docx").exists() and not (out / "评分表目录.docx").exists()
    assert sorted(p.name for p in (out / "评分表").iterdir()) == ["我的备注.txt"]
    # And back: the split set replaces the whole file, which would otherwise be a stale copy.
    monkeypatch.setattr(engine.publish, "PER_FILE", 15)
    assert main(args) == 0
    assert _parts(out / "评分表", ".docx") == fewer and not (out / "评分表.docx").exists()


def test_a_smaller_pdf_run_drops_its_stale_parts_and_leaves_other_sets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The same for PDF (LibreOffice stood in for: each .docx "converted" by copying it), and neither
    # run touches what is not its own: the Word parts of another run, the English set of another language.
    import engine.pdf
    import engine.publish

    def convert(files: list[Path], office: str | None = None) -> list[Path]:
        for file in files:
            file.with_suffix(".pdf").write_bytes(file.read_bytes())
        return [file.with_suffix(".pdf") for file in files]

    monkeypatch.setattr(engine.pdf, "require_office", lambda: "soffice")
    monkeypatch.setattr(engine.pdf, "to_pdf", convert)
    out = tmp_path / "docs"
    base = ["report", str(JIFENZHI), "--data", str(JIFENZHI_DATA), "--out", str(out), "--date", DAY, "--kind", "sheets"]
    monkeypatch.setattr(engine.publish, "PER_FILE", 10)
    assert main([*base, "--format", "docx"]) == 0
    assert main([*base, "--format", "pdf"]) == 0
    assert main([*base, "--format", "pdf", "--lang", "en"]) == 0
    words, many, english = _parts(out / "评分表", ".docx"), _parts(out / "评分表", ".pdf"), _parts(out / "sheets", ".pdf")
    assert len(many) > 2 and many == [name.replace(".docx", ".pdf") for name in words] == english
    monkeypatch.setattr(engine.publish, "PER_FILE", 500)
    assert main([*base, "--format", "pdf"]) == 0
    assert (out / "评分表.pdf").exists() and not (out / "评分表目录.pdf").exists() and _parts(out / "评分表", ".pdf") == []
    # The Word set and the English PDF set are as their runs left them.
    assert _parts(out / "评分表", ".docx") == words and (out / "评分表目录.docx").exists()
    assert _parts(out / "sheets", ".pdf") == english and (out / "sheets-index.pdf").exists()
