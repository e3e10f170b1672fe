"""Read a workbook (XLSX, XLSM, XLS, ODS) into one :class:`~engine.tables.table.Table` per sheet.

The file is checked before a reader decompresses it (encrypted, damaged,
mislabelled or bomb-like workbooks are one located problem); fastexcel reads
the values as text, and for XLSX the scan of engine.tables.xlsx_parts adds
merged ranges (carried into every cell and marked), percent cells (``95%``,
not 0.95) and formulas without a value.
"""

from __future__ import annotations

import typing as t
import zipfile
from pathlib import Path

import numpy as np
import numpy.typing as npt
import polars as pl

from engine.errors import Location, Problem
from engine.tables.header import HEADER_SEARCH, compose_header, filled, find_header
from engine.tables.table import Table, empty_table, finish_body
from engine.tables.xlsx_parts import SheetScan, letters, percent_styles, scan_sheet, sheet_parts

#: Worksheets read past: the instructions sheet of a data-entry template.
SKIPPED_SHEETS = {"说明", "填表说明", "instructions"}

#: Uncompressed size of a workbook beyond which it is refused (a zip bomb, or far beyond any office's data).
MAX_UNCOMPRESSED = 4 * 1024**3
#: …and the compression ratio that no real worksheet reaches.
MAX_RATIO = 400


def _check_book(path: Path, problems: list[Problem]) -> zipfile.ZipFile | None | bool:
    """Refuse encrypted, damaged and bomb-like workbooks before a reader decompresses them.

    Returns the open archive for XLSX/XLSM/ODS, True for an .xls (not a zip),
    or None when the file is refused (the problem is recorded).
    """
    with open(path, "rb") as handle:
        magic = handle.read(8)
    suffix = path.suffix.lower()
    if magic.startswith(b"\xd0\xcf\x11\xe0"):
        if suffix == ".xls":
            return True
        # An OLE container named .xlsx is an encrypted (password-protected) workbook, or an .xls renamed.
        problems.append(Problem.at("data_xlsx_encrypted", Location(str(path))))
        return None
    if suffix == ".xls":
        problems.append(Problem.at("data_xlsx_not_xls", Location(str(path))))
        return None
    try:
        archive = zipfile.ZipFile(path)
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, EOFError):
        # Not a zip at all: a CSV or text file given a workbook's name, or a file cut short.
        text_like = bool(magic) and all(b >= 0x09 for b in magic[:4])
        problems.append(Problem.at("data_xlsx_text" if text_like else "data_xlsx_damaged", Location(str(path)),
                                   ext=path.suffix))
        return None
    total = sum(info.file_size for info in infos)
    packed = sum(info.compress_size for info in infos) or 1
    if total > MAX_UNCOMPRESSED or (total > 50 * 1024**2 and total / packed > MAX_RATIO):
        archive.close()
        problems.append(Problem.at("data_xlsx_bomb", Location(str(path)), size=f"{total / 1024**2:,.0f} MB"))
        return None
    names = {info.filename for info in infos}
    if suffix in (".xlsx", ".xlsm") and "xl/workbook.xml" not in names:
        # A zip without its workbook part holds no sheets: a reader would give none, silently.
        archive.close()
        problems.append(Problem.at("data_xlsx_damaged", Location(str(path)), ext=path.suffix))
        return None
    return archive


def read_book(path: Path, vocabulary: t.Collection[str], problems: list[Problem]) -> list[Table]:
    """A workbook → one table per sheet that has a header (instructions and helper sheets skipped)."""
    import fastexcel

    checked = _check_book(path, problems)
    if checked is None:
        return []
    archive = checked if isinstance(checked, zipfile.ZipFile) else None
    try:
        styles = percent_styles(archive) if archive is not None else set()
        parts = sheet_parts(archive) if archive is not None else {}
        try:
            reader = fastexcel.read_excel(str(path))
            names = list(reader.sheet_names)
        except Exception as err:  # the reader raises its own kinds for damaged files
            problems.append(Problem.at("data_xlsx_unreadable", Location(str(path)), reason=_reason(err)))
            return []
        tables = []
        for name in names:
            if name.strip() in SKIPPED_SHEETS or name.startswith("_"):
                continue  # instructions, or a helper sheet of the author's
            try:
                sheet = reader.load_sheet(name, header_row=None, dtypes="string", skip_rows=0)
                frame = sheet.to_polars()
                offsets = [info.absolute_index for info in sheet.available_columns()]
            except Exception as err:
                problems.append(Problem.at("data_xlsx_unreadable", Location(str(path), None, None, None, name), reason=_reason(err)))
                continue
            scan = scan_sheet(archive, parts[name], styles) if archive is not None and name in parts else SheetScan()
            table = _sheet_table(str(path), name, frame, offsets, scan, vocabulary, problems)
            if table.header:
                tables.append(table)
        return tables
    finally:
        if archive is not None:
            archive.close()


def _reason(err: BaseException) -> str:
    text = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
    return text[:200]


def _sheet_table(file: str, sheet: str, frame: pl.DataFrame, offsets: list[int], scan: SheetScan,
                 vocabulary: t.Collection[str], problems: list[Problem]) -> Table:
    """A sheet's string frame (rows from spreadsheet row 1) → a Table with header, merges and % cells."""
    width = (max(offsets) + 1) if offsets else 0
    # Columns by their absolute position (a sheet starting at column B has an empty A).
    columns = {offset: frame.get_column(name).rename(f"c{offset}") for offset, name in zip(offsets, frame.columns)}
    height = frame.height
    full = pl.DataFrame([columns.get(i, pl.Series(f"c{i}", [None] * height, dtype=pl.String)) for i in range(width)])
    if scan.merges:
        full = _fill_merges(full, scan.merges)
    if scan.percent:
        full = _mark_percent(full, scan.percent)
    top_rows = min(height, HEADER_SEARCH * 3)
    top = [list(r) for r in full.head(top_rows).iter_rows()]
    nonempty = [i for i, cells in enumerate(top) if filled(cells)][:HEADER_SEARCH]
    if not nonempty:
        return empty_table(file, sheet)
    candidates = [top[i] for i in nonempty]
    chosen = find_header(candidates, vocabulary)
    assert chosen is not None
    header, sections = compose_header(candidates, chosen, width)
    header_index = nonempty[chosen]
    body = full.slice(header_index + 1)
    rows = np.arange(header_index + 2, height + 1, dtype=np.int32)

    def marks(cells: t.Iterable[tuple[int, int]]) -> dict[int, npt.NDArray[np.int64]]:
        out: dict[int, list[int]] = {}
        for row, col in cells:
            if row > header_index + 1:
                out.setdefault(col, []).append(row - header_index - 2)
        return {col: np.array(sorted(at), dtype=np.int64) for col, at in out.items()}

    merged_cells = [(r, c) for r0, c0, r1, c1 in scan.merges for r in range(r0, min(r1, height) + 1)
                    for c in range(c0, c1 + 1) if (r, c) != (r0, c0)]
    for row, col, formula in scan.uncomputed:
        if row > header_index + 1:
            column = header[col] if col < len(header) and header[col] else None
            from_col = letters(col)
            problems.append(Problem.at("data_formula_not_computed", Location(file, row, column, None, sheet),
                                       cell=f"{from_col}{row}", formula=formula))
    finished = finish_body(file, sheet, header, body, rows, problems, marks(merged_cells), marks(scan.percent))
    return Table(file, sheet, header, lambda: finished, header_index + 1, sections)


def _fill_merges(frame: pl.DataFrame, merges: t.Sequence[tuple[int, int, int, int]]) -> pl.DataFrame:
    """Carry each merged range's value (its top-left cell) into every cell of the range."""
    columns = {name: frame.get_column(name).to_list() for name in frame.columns}
    height = frame.height
    for r0, c0, r1, c1 in merges:
        if r0 > height or c0 >= frame.width:
            continue
        value = columns[f"c{c0}"][r0 - 1]
        for col in range(c0, min(c1, frame.width - 1) + 1):
            cells = columns[f"c{col}"]
            for row in range(r0 - 1, min(r1, height)):
                cells[row] = value
    return pl.DataFrame({name: pl.Series(name, values, dtype=pl.String) for name, values in columns.items()})


def _mark_percent(frame: pl.DataFrame, cells: t.Sequence[tuple[int, int]]) -> pl.DataFrame:
    """Cells formatted as % hold the fraction (0.95): write them as the percentage (``95%``)."""
    by_col: dict[int, list[int]] = {}
    for row, col in cells:
        by_col.setdefault(col, []).append(row - 1)
    for col, at in by_col.items():
        name = f"c{col}"
        if name not in frame.columns:
            continue
        values = frame.get_column(name).to_list()
        for index in at:
            if index < len(values) and values[index] is not None:
                try:
                    number = float(values[index])
                except ValueError:
                    continue
                values[index] = f"{round(number * 100, 9):g}%"
        frame = frame.with_columns(pl.Series(name, values, dtype=pl.String))
    return frame
