"""Scan an XLSX workbook's XML parts for what the value reader does not say.

Merged ranges, cells formatted as percentages (found from the styles part)
and formulas saved without a computed value — read with regular expressions
from the zip's parts, not by a second, slow reader.
"""

from __future__ import annotations

import dataclasses
import re
import zipfile


_STYLE_XF = re.compile(rb"<xf\b[^>]*?/?>")
_NUMFMT = re.compile(rb'<numFmt\b[^>]*numFmtId="(\d+)"[^>]*formatCode="([^"]*)"')
_PERCENT_BUILTIN = {9, 10}


def percent_styles(archive: zipfile.ZipFile) -> set[int]:
    """Indices of cell styles (``s="…"``) whose number format shows a percentage."""
    try:
        styles = archive.read("xl/styles.xml")
    except KeyError:
        return set()
    percent_formats = set(_PERCENT_BUILTIN)
    for ident, code in _NUMFMT.findall(styles):
        unquoted = re.sub(rb'"[^"]*"|\\.', b"", code.replace(b"&quot;", b'"'))
        if b"%" in unquoted:
            percent_formats.add(int(ident))
    start = styles.find(b"<cellXfs")
    end = styles.find(b"</cellXfs>", start)
    if start < 0 or end < 0:
        return set()
    found = set()
    for index, xf in enumerate(_STYLE_XF.findall(styles[start:end])):
        match = re.search(rb'numFmtId="(\d+)"', xf)
        if match and int(match.group(1)) in percent_formats:
            found.add(index)
    return found


def sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → its XML part in the archive (xl/worksheets/sheetN.xml)."""
    try:
        book = archive.read("xl/workbook.xml")
        rels = archive.read("xl/_rels/workbook.xml.rels")
    except KeyError:
        return {}
    targets = {}
    for rel in re.finditer(rb"<Relationship\b[^>]*>", rels):
        ident = re.search(rb'Id="([^"]+)"', rel.group(0))
        target = re.search(rb'Target="([^"]+)"', rel.group(0))
        if ident and target:
            path = target.group(1).decode()
            path = path.lstrip("/") if path.startswith("/") else "xl/" + path
            targets[ident.group(1)] = path
    parts = {}
    for sheet in re.finditer(rb"<sheet\b[^>]*>", book):
        name = re.search(rb'name="([^"]*)"', sheet.group(0))
        rid = re.search(rb'r:id="([^"]+)"', sheet.group(0)) or re.search(rb'\bid="([^"]+)"', sheet.group(0))
        if name and rid and rid.group(1) in targets:
            text = name.group(1).decode("utf-8")
            text = text.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&apos;", "'")
            parts[text] = targets[rid.group(1)]
    return parts


_CELL_REF = re.compile(r"([A-Z]{1,3})(\d+)")
_MERGE = re.compile(rb'<mergeCell\b[^>]*ref="([A-Z]+\d+)(?::([A-Z]+\d+))?"')
_FORMULA_CELL = re.compile(rb'<c\b[^>]*?r="([A-Z]+\d+)"[^>]*>\s*<f\b[^>]*?(?:/>|>([^<]*)</f>)\s*(?:<v\s*/>|<v>\s*</v>)?\s*</c>')


def _ref(ref: str) -> tuple[int, int]:
    """``B3`` → (row 3, column index 1)."""
    match = _CELL_REF.fullmatch(ref)
    assert match is not None
    letters, number = match.groups()
    col = 0
    for letter in letters:
        col = col * 26 + ord(letter) - 64
    return int(number), col - 1


@dataclasses.dataclass(frozen=True)
class SheetScan:
    """What a sheet's XML says that the value reader does not."""

    merges: tuple[tuple[int, int, int, int], ...] = ()  # (row0, col0, row1, col1), rows 1-based
    percent: tuple[tuple[int, int], ...] = ()  # (row, col)
    uncomputed: tuple[tuple[int, int, str], ...] = ()  # (row, col, formula)


def scan_sheet(archive: zipfile.ZipFile, part: str, percent_ids: set[int]) -> SheetScan:
    """What the value reader does not say: merged ranges, % cells (styles ``percent_ids``) and formulas without a value."""
    try:
        xml = archive.read(part)
    except KeyError:
        return SheetScan()
    merges = []
    if b"<mergeCell" in xml:
        for first, last in _MERGE.findall(xml):
            r0, c0 = _ref(first.decode())
            r1, c1 = _ref(last.decode()) if last else (r0, c0)
            merges.append((r0, c0, r1, c1))
    percent: list[tuple[int, int]] = []
    if percent_ids:
        styles = b"|".join(str(s).encode() for s in sorted(percent_ids))
        pattern = re.compile(rb'<c\b[^>]*?r="([A-Z]+\d+)"[^>]*?\bs="(?:' + styles + rb')"[^>]*>\s*<v>')
        pattern_b = re.compile(rb'<c\b[^>]*?\bs="(?:' + styles + rb')"[^>]*?r="([A-Z]+\d+)"[^>]*>\s*<v>')
        for regex in (pattern, pattern_b):
            percent.extend(_ref(ref.decode()) for ref in regex.findall(xml))
    uncomputed = []
    if b"<f" in xml:
        for ref, formula in _FORMULA_CELL.findall(xml):
            row, col = _ref(ref.decode())
            uncomputed.append((row, col, "=" + formula.decode("utf-8", errors="replace")))
    return SheetScan(tuple(merges), tuple(set(percent)), tuple(uncomputed))


def letters(col: int) -> str:
    """Column letters of a 0-based index (a cell reference's column, read or written).

    >>> [letters(c) for c in (0, 25, 26, 701, 702)]
    ['A', 'Z', 'AA', 'ZZ', 'AAA']
    """
    out = ""
    col += 1
    while col:
        col, rest = divmod(col - 1, 26)
        out = chr(65 + rest) + out
    return out
