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
import math
import re
from xml.sax.saxutils import escape
import typing as t
import unicodedata
import zipfile
from pathlib import Path

from engine.documents import Block, Document, Heading, PageBreak, Para, RedHeader, Signature, Table, Title, localise

if t.TYPE_CHECKING:
    from engine.context import Context
    from docx.document import Document as DocxDocument
    from docx.oxml.xmlchemy import BaseOxmlElement
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


@dataclasses.dataclass(frozen=True)
class _Package:
    """A .docx every file of one context is made from: its parts as saved by python-docx
    (page setup, styles, footer), the document part's XML before and after the body, and
    the core properties with placeholders for the title and the author."""

    parts: tuple[tuple[str, bytes], ...]
    head: str
    tail: str
    core: str


#: Placeholders of the title and the author in :attr:`_Package.core`.
_TITLE, _AUTHOR = "{kaohe-title-7f3a}", "{kaohe-author-7f3a}"
#: The document part and the core properties: the two parts each file writes itself.
_DOCUMENT, _CORE = "word/document.xml", "docProps/core.xml"
#: Parts of python-docx's default template no document of ours uses (Word 2010's second style
#: sheet, a thumbnail of an empty page, a bibliography store): left out, 40 kB less per file.
_UNUSED = ("stylesWithEffects", "thumbnail", "customXml")

#: The last package made (:func:`_package`), with its context.
_PACKAGE: tuple[Context, _Package] | None = None


def _package(context: Context) -> _Package:
    """The :class:`_Package` of ``context``, made once and reused: opening python-docx's
    default template, styling it and saving its eighteen parts cost 40 ms a file — most of
    a 10,000-member report per branch (778 files). Each file writes its own body and core
    properties into a copy of these parts; nothing carries from one file to the next."""
    global _PACKAGE
    if _PACKAGE is not None and _PACKAGE[0] == context:
        return _PACKAGE[1]
    from docx import Document as new_document
    from docx.oxml.ns import qn
    from docx.opc.oxml import serialize_part_xml
    from docx.shared import Mm

    doc = new_document()
    for rels in (doc.part.rels, doc.part.package.rels):
        for rel in [r for r in rels.values() if r.reltype.rsplit("/", 1)[-1] in _UNUSED]:
            rels.pop(rel.rId)  # a part no relationship reaches is not saved
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(PAGE[0]), Mm(PAGE[1])
    section.top_margin, section.bottom_margin = Mm(MARGINS["top"]), Mm(MARGINS["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS["left"]), Mm(MARGINS["right"])
    # The page number sits 7 mm below the body (GB/T 9704 7.5): about 24 mm above the paper's edge.
    section.footer_distance = Mm(24)
    section.header_distance = Mm(15)
    _styles(doc, context)
    _footer(section.footer.paragraphs[0])
    doc.core_properties.title, doc.core_properties.author = _TITLE, _AUTHOR
    body = doc.element.body
    for paragraph in list(body.iterchildren(qn("w:p"))):
        body.remove(paragraph)  # the template's one empty paragraph: the body is now just its sectPr
    # The document part as python-docx writes it (declaration included), split where the body goes.
    head, tail = serialize_part_xml(doc.element).decode("utf-8").split("<w:sectPr", 1)
    buffer = io.BytesIO()
    doc.save(buffer)
    with zipfile.ZipFile(buffer) as saved:
        parts = tuple((info.filename, saved.read(info)) for info in saved.infolist())
    core = dict(parts)[_CORE].decode("utf-8")
    made = _Package(parts, head, tail, core)
    _PACKAGE = (context, made)
    return made


def docx_bytes(document: Document) -> bytes:
    """``document`` as the bytes of a .docx file: the context's :func:`_package` with this
    document's body and core properties."""
    document = localise(document)
    package = _package(document.context)
    title = next((b.text for b in document.blocks if isinstance(b, Title)), "")
    author = next((b.lines[0] for b in document.blocks if isinstance(b, Signature) and len(b.lines) > 1), "")
    # The body is written as WordprocessingML text, as the whole document part: python-docx's
    # object API costs about 0.2 s per score-sheet table, and moving parsed elements into the
    # template's tree about 30 µs per node — hours for a county's members.
    xml: list[str] = [package.head]
    new_page = False
    blocks = document.blocks
    for k, block in enumerate(blocks):
        if isinstance(block, PageBreak):
            new_page = True
            continue
        # The signature never stands alone on a page (GB/T 9704 7.3.5.4): what precedes it goes along.
        before_signature = k + 1 < len(blocks) and isinstance(blocks[k + 1], Signature)
        if before_signature and isinstance(block, Para):
            block = dataclasses.replace(block, keep_with_next=True)
        xml.append(block_xml(block, new_page, keep_last=before_signature))
        new_page = False
    if blocks and isinstance(blocks[-1], Table):
        xml.append(_paragraph_xml("", line=1.0))  # Word wants a paragraph, not a table, before the section's end
    xml.append("<w:sectPr" + package.tail)
    written = {_DOCUMENT: "".join(xml).encode("utf-8"),
               _CORE: package.core.replace(_TITLE, escape(title)).replace(_AUTHOR, escape(author)).encode("utf-8")}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in package.parts:
            # The template's parts are the same in every file: compressed fast (level 1).
            out.writestr(name, written.get(name, data), compresslevel=None if name in written else 1)
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


def _styles(doc: DocxDocument, context: Context) -> None:
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
            tag.set(qn("w:val"), context.say("zh-CN", "en-US"))
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


def _run_xml(text: str, font: str = BODY_FONT, size: float = BODY_SIZE, bold: bool = False, color: str = "") -> str:
    """One run: fonts named for East Asian and Latin text, size in half-points, optionally a colour (RRGGBB)."""
    half = int(round(size * 2))
    fonts = f'<w:rFonts w:ascii="{LATIN_FONT}" w:hAnsi="{LATIN_FONT}" w:eastAsia="{font}" w:cs="{LATIN_FONT}"/>'
    weight = ("<w:b/><w:bCs/>" if bold else "") + (f'<w:color w:val="{color}"/>' if color else "")
    return f'<w:r><w:rPr>{fonts}{weight}<w:sz w:val="{half}"/><w:szCs w:val="{half}"/></w:rPr><w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def _paragraph_xml(runs: str, *, align: str = "both", line: float = BODY_LINE, first_indent: float = 0.0, right_indent: float = 0.0,
                   before: float = 0.0, after: float = 0.0, keep_next: bool = False, keep_lines: bool = False, new_page: bool = False,
                   rule: str = "") -> str:
    """A paragraph with its properties in the schema's order (keepNext … pBdr, spacing, ind, jc); sizes in
    points; ``rule``: a line of that colour (RRGGBB) along the paragraph's bottom, across the body."""
    props = ("<w:keepNext/>" if keep_next else "") + ("<w:keepLines/>" if keep_lines else "") + ("<w:pageBreakBefore/>" if new_page else "")
    # The red line under the document number: 1.5 pt (w:sz in eighths of a point), 4 mm below the text (w:space in points).
    props += f'<w:pBdr><w:bottom w:val="single" w:sz="12" w:space="11" w:color="{rule}"/></w:pBdr>' if rule else ""
    props += f'<w:spacing w:before="{int(before * 20)}" w:after="{int(after * 20)}" w:line="{int(line * 20)}" w:lineRule="exact"/>'
    props += f'<w:ind w:firstLine="{int(first_indent * 20)}" w:right="{int(right_indent * 20)}"/>'
    props += f'<w:jc w:val="{align}"/>'
    return f"<w:p><w:pPr>{props}</w:pPr>{runs}</w:p>"


_ALIGN = {"left": "left", "center": "center", "right": "right", "justify": "both"}


def block_xml(block: Block, new_page: bool = False, keep_last: bool = False) -> str:
    """One block as WordprocessingML (``new_page``: it starts a page — the next unit's sheet or
    notice; ``keep_last``: a table's last rows stay on the page of what follows)."""
    if isinstance(block, Title):
        runs = '<w:r><w:br/></w:r>'.join(_run_xml(line, TITLE_FONT, block.size) for line in title_lines(block.text, block.size))
        # An empty line below the title (GB/T 9704 7.3.3); a score sheet's smaller title, half a line.
        return _paragraph_xml(runs, align="center", line=round(block.size * 1.6, 1), after=BODY_LINE if block.size >= TITLE_SIZE else BODY_LINE / 2,
                              keep_next=True, new_page=new_page)
    if isinstance(block, Heading):
        # Kept with the next block: a heading is never the last line of a page.
        return _paragraph_xml(_run_xml(block.text, HEADING_FONT), align="left", first_indent=2 * BODY_SIZE, before=BODY_LINE / 2,
                              keep_next=True, new_page=new_page)
    if isinstance(block, Para):
        size = TABLE_SIZE if block.small else BODY_SIZE
        return _paragraph_xml(_run_xml(block.text, BODY_FONT, size), align=_ALIGN[block.align], line=20.0 if block.small else BODY_LINE,
                              first_indent=2 * size if block.indent else 0.0, before=4.0 if block.small else 0.0,
                              keep_next=block.keep_with_next, new_page=new_page)
    if isinstance(block, Signature):
        # 发文机关 above 成文日期, right-aligned 4 characters in (成文日期右空四字, GB/T 9704 7.3.5.1), kept together.
        return "".join(_paragraph_xml(_run_xml(line), align="right", right_indent=4 * BODY_SIZE, before=2 * BODY_LINE if k == 0 else 0.0,
                                      keep_next=k < len(block.lines) - 1, keep_lines=True, new_page=new_page and k == 0)
                       for k, line in enumerate(block.lines))
    if isinstance(block, RedHeader):
        return red_header_xml(block, new_page)
    if isinstance(block, Table):
        table = table_xml(block, keep_last)
        # A table cannot carry "page break before": an empty line-high paragraph does, kept with the table.
        return (_paragraph_xml("", line=1.0, keep_next=True, new_page=True) if new_page else "") + table
    raise TypeError(block)


#: The red of the 版头 (GB/T 9704 7.2.2: 红色); the office's mark in 小标宋 at most 一号 (26 pt),
#: smaller when the name would not fit the body's width on one line. (小初 36 pt with two empty
#: lines pushed a one-page 整改通知书 onto a second page.)
RED = "FF0000"
HEADER_SIZE = 26.0


def red_header_xml(block: RedHeader, new_page: bool = False) -> str:
    """版头: the office's mark centred in red, two lines below it the document number
    centred, under that a red line across the body, then an empty line before the title.
    A number without an office's mark stands centred above the title, without the line."""
    out = []
    if block.office:
        size = min(HEADER_SIZE, math.floor(BODY_WIDTH / PT_MM / max(display_width(block.office), 1.0)))
        out.append(_paragraph_xml(_run_xml(block.office, TITLE_FONT, size, color=RED), align="center", line=round(size * 1.25, 1),
                                  after=BODY_LINE / 2 if block.number else 0.0, keep_next=True, new_page=new_page, rule="" if block.number else RED))
        new_page = False
    if block.number or not block.office:
        out.append(_paragraph_xml(_run_xml(block.number), align="center", keep_next=True, new_page=new_page, rule=RED if block.office else ""))
    # 红色分隔线之下空二行为标题 (7.3.3): the title keeps its own empty line below, one line above it here.
    out.append(_paragraph_xml("", line=BODY_LINE / 2, keep_next=True))
    return "".join(out)


def table_xml(block: Table, keep_last: bool = False) -> str:
    """A bordered table on the body's width, fixed layout; its header row repeats on every page
    (``w:tblHeader``), no row splits across pages (``w:cantSplit``), names and numbers never wrap."""
    size = block.size
    widths = column_widths(block, size)
    if widths is None:
        size = min(size, SMALL_TABLE_SIZE)
        # Still too wide: the long names may wrap after all (the relative widths decide).
        widths = (column_widths(block, size) or column_widths(dataclasses.replace(block, nowrap=frozenset()), size)
                  or [BODY_WIDTH * w / sum(block.widths) for w in block.widths])
    twips = [int(round(w / 25.4 * 1440)) for w in widths]
    border = "".join(f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
                     for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
    head = (f'<w:tblPr><w:tblW w:w="{sum(twips)}" w:type="dxa"/><w:jc w:val="center"/><w:tblBorders>{border}</w:tblBorders>'
            f'<w:tblLayout w:type="fixed"/><w:tblCellMar><w:left w:w="108" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar>'
            f'<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr>')
    grid = "<w:tblGrid>" + "".join(f'<w:gridCol w:w="{w}"/>' for w in twips) + "</w:tblGrid>"
    # Exact lines a little over the type size: a CJK font's own line height (about 1.45 em)
    # would make a 30-item sheet run onto a second page.
    line = round(size * 1.25, 1)
    rows = []
    # Kept with what follows (a signature), so that it never stands alone on a page. Word keeps
    # rows by their paragraphs' keepNext, LibreOffice only a whole table whose rows all have it:
    # a short table is tied whole; a long one by its last two rows (Word would otherwise move
    # the whole table to a new page). A 公示 of eight units under a red header tied whole left its
    # first page empty: only a table of at most five rows (the summary's last five) goes whole.
    tied = (set(range(len(block.rows) + 1)) if len(block.rows) <= 5 else {len(block.rows) - 1, len(block.rows)}) if keep_last else set()
    for r, texts in enumerate((block.header, *block.rows)):
        header = r == 0
        bold = not header and (r - 1) in block.bold_rows
        cells = []
        for c, text in enumerate(texts):
            nowrap = "<w:noWrap/>" if c in block.nowrap or c in block.numeric else ""
            align = "center" if header or (c in block.nowrap and c not in block.numeric) else ("right" if c in block.numeric else "left")
            run = _run_xml(text, HEADING_FONT if header else BODY_FONT, size, bold)
            cells.append(f'<w:tc><w:tcPr><w:tcW w:w="{twips[c]}" w:type="dxa"/>{nowrap}<w:vAlign w:val="center"/></w:tcPr>'
                         + _paragraph_xml(run, align=align, line=line, keep_next=header or r in tied) + "</w:tc>")
        properties = "<w:cantSplit/>" + ("<w:tblHeader/>" if header else "")
        rows.append(f"<w:tr><w:trPr>{properties}</w:trPr>{''.join(cells)}</w:tr>")
    return f"<w:tbl>{head}{grid}{''.join(rows)}</w:tbl>"


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
    return round(sum(map(_WIDTHS.__getitem__, text)), 6)


class _CharWidths(dict[str, float]):
    """Each character's width in ems, looked up once (a Word report of 100,000 members
    measures a hundred million characters; ``map`` over a dict runs without a Python call)."""

    def __missing__(self, ch: str) -> float:
        width = self[ch] = 1.0 if unicodedata.east_asian_width(ch) in ("W", "F") else 0.65
        return width


_WIDTHS = _CharWidths()


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


def _footer(paragraph: Paragraph) -> None:
    """"— N —" centred, N a PAGE field (宋体 四号) that Word and LibreOffice fill in."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    half = int(FOOTER_SIZE * 2)
    props = f'<w:rPr><w:rFonts w:ascii="{LATIN_FONT}" w:hAnsi="{LATIN_FONT}" w:eastAsia="{NUMBER_FONT}" w:cs="{LATIN_FONT}"/><w:sz w:val="{half}"/><w:szCs w:val="{half}"/></w:rPr>'
    field = (f'<w:r>{props}<w:fldChar w:fldCharType="begin"/></w:r><w:r>{props}<w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
             f'<w:r>{props}<w:fldChar w:fldCharType="separate"/></w:r><w:r>{props}<w:t>1</w:t></w:r><w:r>{props}<w:fldChar w:fldCharType="end"/></w:r>')
    xml = (f'<w:p {nsdecls("w")}><w:pPr><w:jc w:val="center"/></w:pPr><w:r>{props}<w:t xml:space="preserve">— </w:t></w:r>{field}'
           f'<w:r>{props}<w:t xml:space="preserve"> —</w:t></w:r></w:p>')
    paragraph._p.addnext(parse_xml(xml))
    paragraph._p.getparent().remove(paragraph._p)
