"""Documents (:mod:`engine.documents`) → Word files laid out after GB/T 9704-2012
(党政机关公文格式), the form an office edits, signs and files in Word or WPS.

Page: A4, margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm (a body of
156 × 225 mm); page numbers "— 1 —" centred in the footer (a PAGE field, so
Word and LibreOffice count the pages themselves).

Fonts, each named for East Asian text (``w:eastAsia``) as Word and WPS pick the
font of a Chinese character from that slot, with digits and Latin letters in
Times New Roman:

===========  =================  =====================================
role         font               size
===========  =================  =====================================
title        方正小标宋简体      二号 22 pt, centred
heading      黑体                三号 16 pt
body         仿宋_GB2312         三号 16 pt, fixed 28 pt lines
table        仿宋_GB2312         小四 12 pt (五号 10.5 pt when wide)
table head   黑体                same size as the table
page number  宋体                四号 14 pt
===========  =================  =====================================

A machine without these fonts substitutes: Word and WPS by the font table's
alternative names written here (仿宋, 宋体 …); LibreOffice through fontconfig,
which :mod:`engine.pdf` tells to use 仿宋/FangSong, 黑体/SimHei or Noto Serif /
Noto Sans CJK SC (Debian's fonts-noto-cjk) in that order.

Tables repeat their header row on every page (``w:tblHeader``), never split a
row across pages (``w:cantSplit``), and give names, groups and grades a column
wide enough to stay on one line (``w:noWrap`` as well, for an editor who
narrows the column).
"""

from __future__ import annotations

import dataclasses
import io
import re
import typing as t
import unicodedata
from pathlib import Path

from engine.documents import Block, Document, Heading, PageBreak, Para, Signature, Table, Title, localise

if t.TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from docx.oxml.xmlchemy import BaseOxmlElement
    from docx.table import _Cell
    from docx.text.paragraph import Paragraph

#: GB/T 9704 page in millimetres.
PAGE = (210.0, 297.0)
MARGINS = {"top": 37.0, "bottom": 35.0, "left": 28.0, "right": 26.0}
BODY_WIDTH = PAGE[0] - MARGINS["left"] - MARGINS["right"]

TITLE_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"
BODY_FONT = "仿宋_GB2312"
NUMBER_FONT = "宋体"
LATIN_FONT = "Times New Roman"
#: Alternative names Word/WPS try when a font is missing (the font table's w:altName).
ALTERNATIVES = {TITLE_FONT: "黑体", BODY_FONT: "仿宋", HEADING_FONT: "SimHei", NUMBER_FONT: "SimSun"}

TITLE_SIZE = 22.0   # 二号
BODY_SIZE = 16.0    # 三号
TABLE_SIZE = 12.0   # 小四
SMALL_TABLE_SIZE = 10.5  # 五号
FOOTER_SIZE = 14.0  # 四号
#: Fixed line pitch of the body: 22 lines on the 225 mm body (GB/T 9704 7.2).
BODY_LINE = 28.0
#: Left plus right cell margin of a table cell (Word's default 1.9 mm each).
CELL_PADDING_MM = 3.8
PT_MM = 25.4 / 72


def write_docx(document: Document, path: Path) -> Path:
    """Write ``document`` as a .docx file at ``path`` (the caller makes it atomic)."""
    path.write_bytes(docx_bytes(document))
    return path


def docx_bytes(document: Document) -> bytes:
    """``document`` as the bytes of a .docx file."""
    from docx import Document as new_document
    from docx.shared import Mm

    document = localise(document)
    doc = new_document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(PAGE[0]), Mm(PAGE[1])
    section.top_margin, section.bottom_margin = Mm(MARGINS["top"]), Mm(MARGINS["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS["left"]), Mm(MARGINS["right"])
    # The page number sits 7 mm below the body (GB/T 9704 7.5): about 24 mm above the paper's edge.
    section.footer_distance = Mm(24)
    section.header_distance = Mm(15)
    _styles(doc, document.lang)
    _footer(section.footer.paragraphs[0])
    title = next((b.text for b in document.blocks if isinstance(b, Title)), "")
    doc.core_properties.title = title
    doc.core_properties.author = next((b.lines[0] for b in document.blocks if isinstance(b, Signature) and len(b.lines) > 1), "")
    # The template's one empty paragraph: reused as the first block so the document starts at the top.
    first: Paragraph | None = doc.paragraphs[0] if doc.paragraphs else None
    new_page = False
    for block in document.blocks:
        if isinstance(block, PageBreak):
            new_page = True
            continue
        paragraph = _block(doc, block, first)
        first = None
        if new_page and paragraph is not None:
            paragraph.paragraph_format.page_break_before = True
        new_page = False
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------------------
# Styles and fonts


def _fonts(element: BaseOxmlElement, east_asia: str, latin: str = LATIN_FONT) -> None:
    """Name the fonts of a run or style: ``w:eastAsia`` for Chinese, ascii/hAnsi for the rest.
    Theme fonts are removed: Word prefers a theme attribute over a named font."""
    from docx.oxml.ns import qn

    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, fonts)
    for key in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(key), None)
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:cs"), latin)


def _styles(doc: DocxDocument, lang: str) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    # Defaults of the whole document: no theme fonts, Chinese language tag (line breaking, fallback fonts).
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        for fonts in defaults.iter(qn("w:rFonts")):
            for key in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
                fonts.attrib.pop(qn(key), None)
            fonts.set(qn("w:ascii"), LATIN_FONT)
            fonts.set(qn("w:hAnsi"), LATIN_FONT)
            fonts.set(qn("w:eastAsia"), BODY_FONT)
        for tag in defaults.iter(qn("w:lang")):
            tag.set(qn("w:eastAsia"), "zh-CN")
            tag.set(qn("w:val"), "en-US" if lang == "en" else "zh-CN")
    normal = doc.styles["Normal"]
    normal.font.size = Pt(BODY_SIZE)
    _fonts(normal.element, BODY_FONT)
    fmt = normal.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.widow_control = True
    _font_table(doc)


def _font_table(doc: DocxDocument) -> None:
    """Declare the Chinese fonts with their alternatives, so Word and WPS substitute sensibly."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml.ns import qn

    try:
        part = doc.part.part_related_by(RT.FONT_TABLE)
    except KeyError:
        return
    from docx.oxml import parse_xml
    from docx.oxml.xmlchemy import serialize_for_reading

    root = parse_xml(part.blob)
    for name, alternative in ALTERNATIVES.items():
        font = root.makeelement(qn("w:font"), {qn("w:name"): name})
        for tag, value in (("w:altName", alternative), ("w:charset", "86"),  # 86: GB2312
                           ("w:family", "modern" if name == HEADING_FONT else "roman"), ("w:pitch", "variable")):
            font.append(font.makeelement(qn(tag), {qn("w:val"): value}))
        root.append(font)
    part._blob = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + serialize_for_reading(root)).encode("utf-8")


def _run(paragraph: Paragraph, text: str, font: str = BODY_FONT, size: float = BODY_SIZE, bold: bool = False) -> None:
    from docx.shared import Pt

    run = paragraph.add_run(text)
    run.font.size = Pt(size)
    run.font.bold = bold
    _fonts(run._r, font)


# ---------------------------------------------------------------------------
# Blocks


def _paragraph(doc: DocxDocument, first: Paragraph | None) -> Paragraph:
    return first if first is not None else doc.add_paragraph()


def _block(doc: DocxDocument, block: Block, first: Paragraph | None) -> Paragraph | None:
    """Add one block; returns its first paragraph (to start a new page on it)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.shared import Pt

    aligns = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER, "right": WD_ALIGN_PARAGRAPH.RIGHT,
              "justify": WD_ALIGN_PARAGRAPH.JUSTIFY}
    if isinstance(block, Title):
        p = _paragraph(doc, first)
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        fmt = p.paragraph_format
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(round(block.size * 1.6, 1))
        fmt.space_after = Pt(BODY_LINE if block.size >= TITLE_SIZE else BODY_LINE / 2)  # an empty line below (GB/T 9704 7.3.3)
        fmt.keep_with_next = True
        for k, line in enumerate(title_lines(block.text, block.size)):
            if k:
                p.runs[-1].add_break()
            _run(p, line, TITLE_FONT, block.size)
        return p
    if isinstance(block, Heading):
        p = _paragraph(doc, first)
        fmt = p.paragraph_format
        fmt.first_line_indent = Pt(2 * BODY_SIZE)
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(BODY_LINE)
        fmt.space_before = Pt(BODY_LINE / 2)
        fmt.keep_with_next = True  # never the last line of a page
        _run(p, block.text, HEADING_FONT, BODY_SIZE)
        return p
    if isinstance(block, Para):
        p = _paragraph(doc, first)
        p.alignment = aligns[block.align]
        fmt = p.paragraph_format
        size = TABLE_SIZE if block.small else BODY_SIZE
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(BODY_LINE if not block.small else 20)
        if block.indent:
            fmt.first_line_indent = Pt(2 * size)
        if block.small:
            fmt.space_before = Pt(4)
        fmt.keep_with_next = block.keep_with_next
        _run(p, block.text, BODY_FONT, size)
        return p
    if isinstance(block, Signature):
        start: Paragraph | None = None
        for k, line in enumerate(block.lines):
            p = _paragraph(doc, first if k == 0 else None)
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            fmt = p.paragraph_format
            fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
            fmt.line_spacing = Pt(BODY_LINE)
            fmt.right_indent = Pt(4 * BODY_SIZE)  # 成文日期右空四字 (GB/T 9704 7.3.5.1)
            if k == 0:
                fmt.space_before = Pt(2 * BODY_LINE)
            fmt.keep_with_next = k < len(block.lines) - 1
            fmt.keep_together = True
            _run(p, line)
            start = start or p
        return start
    if isinstance(block, Table):
        return _table(doc, block, first)
    raise TypeError(block)


_NO_BREAK_BEFORE = set("）”》〉」』，。、；：！？)")
_NO_BREAK_AFTER = set("（“《〈「『(")


def title_lines(text: str, size: float) -> list[str]:
    """A title too long for one line, cut into lines of about equal length (GB/T 9704
    7.3.3: 梯形或菱形, not a long line over one orphaned word): "领导班子和领导干部年度 /
    考核民主测评结果公示", never inside a figure or next to the wrong side of a bracket.

    >>> title_lines("领导班子和领导干部年度考核民主测评结果公示", 22)
    ['领导班子和领导干部年度', '考核民主测评结果公示']
    >>> title_lines("工厂党（总）支部“创先争优”活动考核结果公示", 22)
    ['工厂党（总）支部“创先争优”', '活动考核结果公示']
    >>> title_lines("整改通知书", 22)
    ['整改通知书']
    """
    per_line = int(BODY_WIDTH / (size * PT_MM))
    width = display_width(text)
    if width <= per_line:
        return [text]
    count = -(-int(width) // per_line)

    # Not inside a short quotation or bracket: “创先争优”, （总）.
    inside: set[int] = set()
    for opening, closing in (("“", "”"), ("（", "）"), ("《", "》"), ("(", ")")):
        for match in re.finditer(f"{re.escape(opening)}[^{re.escape(closing)}]{{0,10}}{re.escape(closing)}", text):
            inside.update(range(match.start() + 1, match.end()))

    def allowed(k: int) -> bool:
        if k in inside:
            return False
        before, after = text[k - 1], text[k]
        if before.isascii() and after.isascii() and before.isalnum() and after.isalnum():
            return False
        return after not in _NO_BREAK_BEFORE and before not in _NO_BREAK_AFTER

    cuts: list[int] = []
    for k in range(1, count):
        ideal = -(-k * len(text) // count)  # the upper line the longer one
        near = sorted((c for c in range(max(1, ideal - 5), min(len(text) - 1, ideal + 5) + 1) if allowed(c)),
                      key=lambda c: (abs(c - ideal), -c))
        if not near:
            return [text]
        cuts.append(near[0])
    pieces = [text[a:b] for a, b in zip([0, *cuts], [*cuts, len(text)])]
    return pieces if all(display_width(piece) <= per_line for piece in pieces) else [text]


def display_width(text: str) -> float:
    """Width of ``text`` in ems: a Chinese character 1, a digit or Latin letter 0.65
    (over Times' ½ em, so a bold figure or a substitute font still fits).

    >>> display_width("张永胜 12")
    4.95
    """
    return round(sum(1.0 if unicodedata.east_asian_width(ch) in ("W", "F") else 0.65 for ch in text), 6)


def column_widths(table: Table, size: float) -> list[float] | None:
    """Column widths in mm on the 156 mm body: a no-wrap or numeric column as wide
    as its longest cell; every other column at least as wide as its header and
    up to 5 characters of its text, then the rest shared by the relative widths.
    ``None`` when that does not fit at ``size`` points (try a smaller size)."""
    em = size * PT_MM
    pad = CELL_PADDING_MM + 0.6
    # Numbers (ranks, scores) stay on one line too, without being listed.
    need = {c: max(display_width(row[c]) for row in (table.header, *table.rows)) * em + pad
            for c in sorted(table.nowrap | table.numeric)}
    free = [c for c in range(len(table.header)) if c not in need]
    least = {c: max(display_width(table.header[c]), min(5.0, max((display_width(row[c]) for row in table.rows), default=0.0))) * em + pad
             for c in free}
    fixed = sum(need.values())
    if fixed + sum(least.values()) > BODY_WIDTH:
        return None
    widths = [0.0] * len(table.header)
    for c, w in need.items():
        widths[c] = w
    rest = BODY_WIDTH - fixed
    if not free:
        # Every column is fixed: spread the spare width in proportion.
        for c in need:
            widths[c] += rest * table.widths[c] / sum(table.widths)
        return widths
    # Share the rest by the relative widths, but never below a column's least width.
    open_columns = list(free)
    while open_columns:
        share = sum(table.widths[c] for c in open_columns)
        short = [c for c in open_columns if rest * table.widths[c] / share < least[c]]
        if not short:
            for c in open_columns:
                widths[c] = rest * table.widths[c] / share
            break
        for c in short:
            widths[c] = least[c]
            rest -= least[c]
            open_columns.remove(c)
    return widths


def _table(doc: DocxDocument, block: Table, first: Paragraph | None) -> Paragraph | None:
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    size = block.size
    widths = column_widths(block, size)
    if widths is None:
        size = min(size, SMALL_TABLE_SIZE)
        # Still too wide: the long names may wrap after all (the relative widths decide).
        widths = (column_widths(block, size) or column_widths(dataclasses.replace(block, nowrap=frozenset()), size)
                  or [BODY_WIDTH * w / sum(block.widths) for w in block.widths])
    if first is not None:
        # A table cannot take the place of the template's first paragraph: drop that paragraph.
        first._p.getparent().remove(first._p)
    table = doc.add_table(rows=1 + len(block.rows), cols=len(block.header))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    tbl_pr = table._tbl.tblPr
    layout = tbl_pr.makeelement(qn("w:tblLayout"), {qn("w:type"): "fixed"})
    tbl_pr.append(layout)
    for r, row in enumerate(table.rows):
        tr_pr = row._tr.get_or_add_trPr()
        # A row is never split between pages; the header row repeats on each page.
        tr_pr.append(tr_pr.makeelement(qn("w:cantSplit"), {}))
        if r == 0:
            tr_pr.append(tr_pr.makeelement(qn("w:tblHeader"), {}))
        texts = block.header if r == 0 else block.rows[r - 1]
        bold = r == 0 or (r - 1) in block.bold_rows
        for c, cell in enumerate(row.cells):
            cell.width = Mm(widths[c])
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            if c in block.nowrap or c in block.numeric:
                _no_wrap(cell)
            p = cell.paragraphs[0]
            fmt = p.paragraph_format
            fmt.first_line_indent = Pt(0)
            # Exact lines, a little over the type size: a CJK font's own line height (about 1.45 em)
            # would make a 30-item sheet run onto a second page.
            fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
            fmt.line_spacing = Pt(round(size * 1.25, 1))
            fmt.keep_with_next = r == 0
            if r == 0:
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            elif c in block.numeric:
                p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            elif c in block.nowrap:
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _run(p, texts[c], HEADING_FONT if r == 0 else BODY_FONT, size, bold and r != 0)
    # The column grid as well as the cells: LibreOffice reads the grid.
    grid = table._tbl.tblGrid
    for c, col in enumerate(grid.findall(qn("w:gridCol"))):
        col.set(qn("w:w"), str(int(Mm(widths[c]).twips)))
    return None


def _no_wrap(cell: _Cell) -> None:
    from docx.oxml.ns import qn

    tc_pr = cell._tc.get_or_add_tcPr()
    tc_pr.append(tc_pr.makeelement(qn("w:noWrap"), {}))


def _footer(paragraph: Paragraph) -> None:
    """"— N —" centred, N a PAGE field (宋体 四号)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt

    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(paragraph, "— ", NUMBER_FONT, FOOTER_SIZE)
    for kind, text in (("begin", None), ("instr", " PAGE "), ("separate", None), ("text", "1"), ("end", None)):
        run = paragraph.add_run()
        run.font.size = Pt(FOOTER_SIZE)
        _fonts(run._r, NUMBER_FONT)
        if kind == "instr":
            instr = run._r.makeelement(qn("w:instrText"), {"{http://www.w3.org/XML/1998/namespace}space": "preserve"})
            instr.text = text
            run._r.append(instr)
        elif kind == "text":
            run.text = t.cast(str, text)
        else:
            run._r.append(run._r.makeelement(qn("w:fldChar"), {qn("w:fldCharType"): kind}))
    _run(paragraph, " —", NUMBER_FONT, FOOTER_SIZE)
