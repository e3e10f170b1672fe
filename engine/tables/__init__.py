"""Read data files into raw tables: a header and string columns, laid out as offices lay them out.

A data file (CSV, XLSX/XLSM, XLS, ODS) turns into one :class:`Table` per
sheet: the header row found among title rows and section rows, the cells
below it as polars string columns, and every row's spreadsheet row number —
so later stages can read a million rows a column at a time and still name
the row and column of a bad cell.

What offices put around a table is read past, not mistaken for data:

* title rows of any number of filled cells above the header (``2024年度…汇总表``,
  ``考核单位：…``, ``考核日期：…``) — the header is the row that names the most
  known columns;
* a two-row header: a section row (often merged) above the item row; the
  item row is the header, a blank cell in it takes the text above it
  (a vertically merged 编号 / 姓名), and the section row is kept as context;
* empty rows;
* merged cells (XLSX): the merged value is carried into every cell of the
  range and those cells are marked, so a stage may accept them (a group
  column) or refuse them (a value is needed per row);
* cells formatted as percentages (XLSX): Excel stores 95% as 0.95; such cells
  are read as ``95%`` (found by a scan of the workbook's styles, not by a
  second, slow reader).

Files are checked before they are opened: a folder, FIFO or device named
like a data file, an unreadable file, an encrypted or damaged workbook or a
zip bomb is one located problem, never a hang or a traceback.

The modules: :mod:`~engine.tables.table` (the :class:`Table` type and the
finishing of every body), :mod:`~engine.tables.header` (header recognition),
:mod:`~engine.tables.files` (folders, file checks, the reader by suffix), one
reader per format — :mod:`~engine.tables.csv_reader` (with
:mod:`~engine.tables.encoding`) and :mod:`~engine.tables.workbook` (with
:mod:`~engine.tables.xlsx_parts`).
"""

from __future__ import annotations

from engine.tables.csv_reader import SAMPLE_BYTES
from engine.tables.files import BOOK_SUFFIXES, CSV_SUFFIXES, DATA_SUFFIXES, check_file, expand, read_tables
from engine.tables.header import HEADER_SEARCH, find_header
from engine.tables.table import MAX_CELL_BYTES, Body, Table, normalise
from engine.tables.workbook import MAX_RATIO, MAX_UNCOMPRESSED, SKIPPED_SHEETS

__all__ = [
    "BOOK_SUFFIXES", "CSV_SUFFIXES", "DATA_SUFFIXES", "HEADER_SEARCH", "MAX_CELL_BYTES", "MAX_RATIO", "MAX_UNCOMPRESSED",
    "SAMPLE_BYTES", "SKIPPED_SHEETS", "Body", "Table", "check_file", "expand", "find_header", "normalise", "read_tables",
]
