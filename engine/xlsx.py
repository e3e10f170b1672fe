"""Outcomes → results.xlsx (结果, 得分明细, 一票否决), written a block of rows at a time.

Why not a library: xlsxwriter (which wrote this workbook before) takes one
Python call per cell, about 5 µs; the results of 100,000 units are two million
cells, ten seconds — more than scoring them. Here each column becomes its
cells' XML in one vectorised polars expression (escaping included), a block
of rows is joined and streamed into the zip member, and nothing but the
current block is held. The workbook is the small subset of SpreadsheetML that
the results need: inline strings, numbers with one number format, a bold
frozen header row, column widths. Excel, WPS, LibreOffice, openpyxl and
python-calamine read it (tests/unit/test_render.py, tests/test_reports.py
read it back with openpyxl).
"""

from __future__ import annotations

import dataclasses
import io
import re
import typing as t
import zipfile
from pathlib import Path

import numpy as np
import numpy.typing as npt
import polars as pl

from engine import ballots, selfscores
from engine.context import DEFAULT, Context, Lang
from engine.errors import Location, Problem
from engine.grade import Outcomes
from engine.model import Node, max_for
from engine.numbers import format_max
from engine.render import _award_texts, _grade_texts, _veto_texts, order_index, replace_atomically
from engine.tables.xlsx_parts import letters

#: Rows joined and compressed at a time: bounds memory (a block of 20,000 rows of
#: 20 columns is a few MB of XML) without a Python call per row.
BLOCK = 20_000

Kind = t.Literal["text", "score", "rank", "number"]


#: A cell's value: text, a number, or None for an empty cell.
Cell = t.Union[str, float, int, None]

#: A column's cells as gathered: a list, or numbers with NaN for an empty cell.
Cells = t.Union[t.Sequence[Cell], npt.NDArray[np.float64]]

#: A column as gathered: (header, cells, kind).
Gathered = tuple[str, Cells, str]


@dataclasses.dataclass(frozen=True)
class Column:
    """One column: its header, its cells (a null for an empty cell) and how they are written.

    ``text`` cells are strings (written as text, never read as a formula);
    ``score`` cells are numbers in the workbook's number format, an empty one
    keeping the format; ``rank`` cells are plain whole numbers, ``number`` cells
    plain numbers (an input's value). ``width`` is in characters. The cells are a
    polars column (Utf8, Int64 or Float64 by kind) so that writing them needs no
    Python call per cell.
    """

    header: str
    cells: pl.Series
    kind: Kind
    width: float


@dataclasses.dataclass(frozen=True)
class Sheet:
    title: str
    columns: tuple[Column, ...]
    rows: int


# Style indexes of styles.xml below: 0 plain, 1 bold (headers), 2 the number format.
_BOLD, _SCORE = 1, 2
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _escaped(expr: pl.Expr) -> pl.Expr:
    return expr.str.replace_all("&", "&amp;", literal=True).str.replace_all("<", "&lt;", literal=True).str.replace_all(">", "&gt;", literal=True)


def _cell(column: Column, letter: str, name: str) -> pl.Expr:
    """The XML of a column's cells (the values in column ``name``, the row numbers as text in ``n``)."""
    value = pl.col(name)
    ref = pl.lit('<c r="') + pl.lit(letter) + pl.col("n")
    if column.kind == "text":
        return pl.when(value.is_null()).then(pl.lit("")).otherwise(
            ref + pl.lit('" t="inlineStr"><is><t xml:space="preserve">') + _escaped(value) + pl.lit("</t></is></c>"))
    if column.kind == "score":
        return pl.when(value.is_null()).then(ref + pl.lit(f'" s="{_SCORE}"/>')).otherwise(
            ref + pl.lit(f'" s="{_SCORE}"><v>') + value.cast(pl.Utf8) + pl.lit("</v></c>"))
    return pl.when(value.is_null()).then(pl.lit("")).otherwise(ref + pl.lit('"><v>') + value.cast(pl.Utf8) + pl.lit("</v></c>"))


def _sheet_xml(sheet: Sheet, selected: bool) -> t.Iterator[bytes]:
    last = f"{letters(max(len(sheet.columns), 1) - 1)}{sheet.rows + 1}"
    cols = "".join(f'<col min="{c + 1}" max="{c + 1}" width="{column.width:g}" customWidth="1"/>' for c, column in enumerate(sheet.columns))
    head = "".join(f'<c r="{letters(c)}1" s="{_BOLD}" t="inlineStr"><is><t xml:space="preserve">{_escape(column.header)}</t></is></c>'
                   for c, column in enumerate(sheet.columns))
    tab = 'tabSelected="1" ' if selected else ""
    yield (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}">'
           f'<dimension ref="A1:{last}"/><sheetViews><sheetView {tab}workbookViewId="0">'
           '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft"/></sheetView></sheetViews>'
           f'<sheetFormatPr defaultRowHeight="15"/>{"<cols>" + cols + "</cols>" if cols else ""}<sheetData><row r="1">{head}</row>').encode()
    cells = [_cell(column, letters(c), f"v{c}") for c, column in enumerate(sheet.columns)]
    if cells and sheet.rows:
        frame = pl.DataFrame([column.cells.alias(f"v{c}") for c, column in enumerate(sheet.columns)])
        for start in range(0, sheet.rows, BLOCK):
            # One select per block makes every row's XML; polars writes them out as one
            # buffer (a "CSV" of one unquoted column: the rows, a line feed after each, which
            # XML takes as the whitespace between elements), so no Python string is made per row.
            number = (pl.int_range(pl.len(), dtype=pl.Int64) + (start + 2)).cast(pl.Utf8).alias("n")
            rows = frame.slice(start, BLOCK).with_columns(number).select(
                pl.concat_str([pl.lit('<row r="'), pl.col("n"), pl.lit('">'), *cells, pl.lit("</row>")]).alias("row"))
            buffer = io.BytesIO()
            rows.write_csv(buffer, include_header=False, quote_style="never")
            yield buffer.getvalue()
    yield b"</sheetData></worksheet>"


def _styles(number_format: str) -> str:
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet xmlns="{_MAIN}">'
            f'<numFmts count="1"><numFmt numFmtId="164" formatCode="{_escape(number_format)}"/></numFmts>'
            '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
            '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
            '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
            '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
            '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
            '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
            '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
            '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>')


def write_book(path: Path, sheets: t.Sequence[Sheet], number_format: str) -> None:
    """Write ``sheets`` into the new file ``path`` (the caller makes it atomic)."""
    count = len(sheets)
    types = "".join(f'<Override PartName="/xl/worksheets/sheet{k + 1}.xml" '
                    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' for k in range(count))
    listed = "".join(f'<sheet name="{_escape(s.title)}" sheetId="{k + 1}" r:id="rId{k + 1}"/>' for k, s in enumerate(sheets))
    links = "".join(f'<Relationship Id="rId{k + 1}" Type="{_REL}/worksheet" Target="worksheets/sheet{k + 1}.xml"/>' for k in range(count))
    head = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    # Level 1: the XML is repetitive, so the file is still small; level 6 took as long as writing the XML.
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as book:
        book.writestr("[Content_Types].xml", head + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                      '<Default Extension="xml" ContentType="application/xml"/>'
                      '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                      '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
                      f"{types}</Types>")
        book.writestr("_rels/.rels", head + f'<Relationships xmlns="{_PKG}"><Relationship Id="rId1" '
                      f'Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        book.writestr("xl/workbook.xml", head + f'<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><bookViews><workbookView/></bookViews>'
                      f"<sheets>{listed}</sheets></workbook>")
        book.writestr("xl/_rels/workbook.xml.rels", head + f'<Relationships xmlns="{_PKG}">{links}'
                      f'<Relationship Id="rId{count + 1}" Type="{_REL}/styles" Target="styles.xml"/></Relationships>')
        book.writestr("xl/styles.xml", _styles(number_format))
        for k, sheet in enumerate(sheets):
            with book.open(f"xl/worksheets/sheet{k + 1}.xml", "w", force_zip64=True) as part:
                for chunk in _sheet_xml(sheet, k == 0):
                    part.write(chunk)


# ---------------------------------------------------------------------------
# The results workbook


#: Characters XML 1.0 (and so Excel) cannot hold; tab, line feed and carriage return it can.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _without_control_characters(columns: list[Gathered], found: list[str]) -> list[Gathered]:
    """``columns`` with control characters removed from headers and text cells; each
    cell that had any is appended to ``found`` (as it was, for the warning).

    A column is searched once as one joined string (fast for a million
    names); only a column with a hit is cleaned cell by cell.
    """
    cleaned = []
    for header, cells, kind in columns:
        if _CONTROL.search(header):
            found.append(header)
            header = _CONTROL.sub("", header)
        texts = t.cast("list[str | None]", cells) if kind == "text" else []  # a text column's cells are a list
        if texts and _CONTROL.search("\n".join(filter(None, texts))):
            found += [v for v in texts if v and _CONTROL.search(v)]
            cells = [_CONTROL.sub("", v) if v else v for v in texts]
        cleaned.append((header, cells, kind))
    return cleaned


def write_workbook(outcomes: Outcomes, path: Path, context: Context = DEFAULT, notes: list[Problem] | None = None) -> Path:
    """Results, item scores and vetoes as an .xlsx the next office can keep working in.

    Three sheets (结果, 得分明细, 一票否决), bold frozen headers, scores as
    numbers shown at the scheme's precision. Written by :mod:`engine.xlsx` a block
    of rows at a time, each column's cells made in one vectorised step: a
    million units never sit in memory as cell objects, nor cost a Python call
    per cell. The cells are prepared a column at a time (Python lists, NaN → empty).
    The headers and texts are in ``context``'s language.
    """
    lang = context.lang
    results = outcomes.results
    scheme = results.scheme
    units = results.data.units
    order = order_index(outcomes)
    n = len(order)
    number_format = "0" if scheme.precision == 0 else "0." + "0" * scheme.precision
    ids = np.asarray(units.ids[order]).astype(str).tolist()
    names = np.asarray(units.names[order]).astype(str).tolist()
    nodes = list(scheme.nodes())

    def numbers(values: t.Any) -> npt.NDArray[np.float64]:
        return np.asarray(values, dtype=np.float64)  # NaN is an empty cell (_column)

    def texts(values: t.Any) -> list[str | None]:
        return [v or None for v in values]

    def ranks(values: t.Any) -> list[int | None]:
        return [v or None for v in np.asarray(values, dtype=np.int64).tolist()]

    grade_labels = [_grade_texts(outcomes, g, order) for g in scheme.grades]
    main: list[Gathered] = [  # (header, cells, kind: rank / text / score)
        (_t(lang, "排名", "Rank"), ranks(outcomes.rank[order]), "rank"),
        (_t(lang, "编号", "ID"), ids, "text"),
        (_t(lang, "名称", "Name"), names, "text"),
        (scheme.group_title if lang != "en" else "Group", texts(np.asarray(units.groups[order]).astype(str).tolist()), "text"),
        (_t(lang, "总分", "Total"), numbers(results.total[order]), "score"),
    ]
    main += [(g.title, labels, "text") for g, labels in zip(scheme.grades, grade_labels)]
    main += [(_t(lang, "评选与处理", "Labels"), texts(_award_texts(outcomes, order).to_list()), "text"),
             (_t(lang, "一票否决", "Vetoes"), texts(_veto_texts(results, order).to_list()), "text")]
    present = sorted({str(kind) for kind in units.types.tolist()})

    def full_marks(node: Node) -> str:
        # The column's 满分 as the units in the file see it: only items that apply count
        # (a section is 120 for 老党员 and 100 for 新申报: "100/120").
        shown = sorted({max_for(node, kind) for kind in present} - {0.0}) or [node.max]
        return "/".join(format_max(value, lang) for value in shown)

    detail: list[Gathered] = [(_t(lang, "编号", "ID"), ids, "text"), (_t(lang, "名称", "Name"), names, "text")]
    detail += [(f"{node.title}（{full_marks(node)}）", numbers(results.scores[node.id][order]), "score") for node in nodes]
    # One row per (unit, veto): units in listing order, each unit's vetoes in scheme order (a stable sort).
    hits = sorted(((k, veto) for veto in scheme.vetoes for k in np.flatnonzero(results.vetoes[veto.id][order]).tolist()),
                  key=lambda hit: hit[0])
    effects = {veto.id: _t(lang, "取消评先资格，得分保留", "disqualified") if veto.effect == "disqualify"
               else _t(lang, f"定为 {veto.grade}", f"graded {veto.grade}") for veto in scheme.vetoes}
    veto_columns: list[Gathered] = [
        (_t(lang, "编号", "ID"), [ids[k] for k, _ in hits], "text"),
        (_t(lang, "名称", "Name"), [names[k] for k, _ in hits], "text"),
        (_t(lang, "否决事项", "Veto"), [veto.title for _, veto in hits], "text"),
        (_t(lang, "后果", "Effect"), [effects[veto.id] for _, veto in hits], "text"),
    ]

    # Every text cell is written as text (never read as a formula, "=1+1" stays text);
    # control characters are removed, once said in ``notes``.
    own = selfscores.self_results(results)  # 自评与核查, only when an input is self-assessed
    self_columns: list[Gathered] = [
        (_t(lang, "编号", "ID"), ids, "text"), (_t(lang, "名称", "Name"), names, "text"),
        *selfscores.workbook_columns(results, own, order, context)] if own is not None else []
    # 无效票 (engine.ballots): one row per ballot left out, for schemes with ballot rules.
    listed = ballots.listing(results.invalid_ballots, np.asarray(units.ids).astype(str).tolist(),
                             context) if scheme.ballots else []
    ballot_columns: list[Gathered] = [
        (_t(lang, "选票", "Ballot"), [e["title"] for e in listed], "text"),
        (_t(lang, "测评人", "Rater"), [f"{e['group'] or ''} {e['rater']}".strip() for e in listed], "text"),
        (_t(lang, "无效原因", "Check"), [e["check"] for e in listed], "text"),
        (_t(lang, "票上所见", "Found"), [e["found"] for e in listed], "text"),
        (_t(lang, "涉及单位数", "Units on it"), [len(e["units"]) for e in listed], "rank"),
    ]
    found: list[str] = []
    main, detail, veto_columns, ballot_columns = (_without_control_characters(columns, found)
                                                  for columns in (main, detail, veto_columns, ballot_columns))
    if found and notes is not None:
        notes.append(Problem.at("xlsx_control_characters", Location(str(path)), "warning", count=len(found), example=repr(found[0])))

    sheets = [Sheet(title, tuple(_column(*column) for column in columns), rows)
              for title, columns, rows in ((_t(lang, "结果", "Results"), main, n), (_t(lang, "得分明细", "Item scores"), detail, n),
                                           (_t(lang, "一票否决", "Vetoes"), veto_columns, len(hits)))]
    if scheme.ballots:
        sheets.append(Sheet(_t(lang, "无效票", "Invalid ballots"), tuple(_column(*column) for column in ballot_columns), len(listed)))
    if self_columns:
        sheets.append(Sheet(_t(lang, "自评与核查", "Self and verified"), tuple(_column(*column) for column in self_columns), n))
    replace_atomically(path, lambda temporary: write_book(temporary, sheets, number_format))
    return path


def _column(header: str, cells: Cells, kind: str) -> Column:
    """A workbook column (``cells``: a list, None for an empty cell, or numbers with NaN for
    one), as wide as the old writer made it: twice the longest text (``str`` of the value,
    a zero or empty cell counting as nothing), 10 to 40 characters."""
    if kind == "text":
        series = pl.Series(cells, dtype=pl.Utf8)
        shown = series.filter(series != "")
    else:
        series = pl.Series(cells, dtype=pl.Int64 if kind == "rank" else pl.Float64, nan_to_null=True)
        shown = series.filter(series != 0).cast(pl.Utf8)
    longest = shown.str.len_chars().max() or 0
    return Column(header, series, t.cast(Kind, kind), min(40, max(10, max(len(header), t.cast(int, longest)) * 2)))


def _t(lang: Lang, zh: str, en: str) -> str:
    return en if lang == "en" else zh
