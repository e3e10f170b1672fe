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
"""

from __future__ import annotations

import csv
import dataclasses
import io
import mmap
import os
import re
import stat
import typing as t
import unicodedata
import zipfile
from pathlib import Path

import numpy as np
import numpy.typing as npt
import polars as pl

from engine.errors import Location, Problem

#: File types read, by suffix.
CSV_SUFFIXES = (".csv", ".tsv", ".txt")
BOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
DATA_SUFFIXES = (".csv", *BOOK_SUFFIXES)

#: Worksheets read past: the instructions sheet of a data-entry template.
SKIPPED_SHEETS = {"说明", "填表说明", "instructions"}

#: How many non-empty rows at the top of a sheet may be titles or section rows.
HEADER_SEARCH = 30

#: Bytes read to recognise a CSV's encoding and header; a UTF-8 file's body is read by polars.
SAMPLE_BYTES = 1 << 20

#: Longest cell accepted (Excel's own limit is 32,767 characters).
MAX_CELL_BYTES = 100_000

#: Uncompressed size of a workbook beyond which it is refused (a zip bomb, or far beyond any office's data).
MAX_UNCOMPRESSED = 4 * 1024**3
#: …and the compression ratio that no real worksheet reaches.
MAX_RATIO = 400


@dataclasses.dataclass(frozen=True)
class Body:
    """The cells below a header, with their spreadsheet rows and what the reader marked."""

    #: One column per header cell (``c0`` …): String, or Float64 for a column of plain numbers.
    frame: pl.DataFrame
    #: Spreadsheet row number of each frame row.
    rows: npt.NDArray[np.int32]
    #: Per column, the frame rows whose value came from a merged range (not their own cell).
    merged: t.Mapping[int, npt.NDArray[np.int64]] = dataclasses.field(default_factory=dict)
    #: Per column, the frame rows whose cell was formatted as a percentage (XLSX).
    percent: t.Mapping[int, npt.NDArray[np.int64]] = dataclasses.field(default_factory=dict)
    #: Columns let go after they were read (see :meth:`Table.release_column`).
    released: frozenset[int] = frozenset()


@dataclasses.dataclass(frozen=True, eq=False)
class Table:
    """One sheet: its header texts, and its body, read when first needed.

    A CSV's header is found from the first lines alone; the body (possibly
    millions of rows) is read only when a stage asks for it and may be let
    go with :meth:`release`, so that one large table at a time is in memory.
    """

    file: str
    sheet: str | None
    header: tuple[str, ...]
    #: Reads the body (and records problems such as oversized cells).
    loader: t.Callable[[], Body] = dataclasses.field(repr=False, default=lambda: Body(pl.DataFrame(), np.zeros(0, dtype=np.int32)))
    #: Spreadsheet row of the header.
    header_row: int = 1
    #: Section row above the header (merged texts carried right), "" where none.
    sections: tuple[str, ...] = ()
    _cache: dict[str, Body] = dataclasses.field(default_factory=dict, repr=False)

    @property
    def body(self) -> Body:
        if "body" not in self._cache:
            self._cache["body"] = self.loader()
        return self._cache["body"]

    def release(self) -> None:
        """Let go of the body (it is read again if asked for)."""
        self._cache.pop("body", None)

    def release_column(self, col: int) -> None:
        """Let go of one column of a large body once it has been read (memory at a million rows).

        The column is then unreadable until the body is read again: asking
        for it raises rather than reading blanks.
        """
        body = self._cache.get("body")
        name = f"c{col}"
        if body is None or name not in body.frame.columns:
            return
        frame = body.frame.with_columns(pl.repeat(None, body.frame.height, dtype=pl.Null).alias(name))
        self._cache["body"] = dataclasses.replace(body, frame=frame, released=body.released | {col})

    @property
    def frame(self) -> pl.DataFrame:
        return self.body.frame

    @property
    def rows(self) -> npt.NDArray[np.int32]:
        return self.body.rows

    @property
    def merged(self) -> t.Mapping[int, npt.NDArray[np.int64]]:
        return self.body.merged

    @property
    def percent(self) -> t.Mapping[int, npt.NDArray[np.int64]]:
        return self.body.percent

    def at(self, row: int | None = None, column: str | None = None) -> Location:
        return Location(self.file, row, column, None, self.sheet)

    def column(self, col: int) -> pl.Series:
        if col in self.body.released:
            raise LookupError(f"column {col} of {self.file} was released")
        return self.frame.get_column(f"c{col}")

    def cell(self, index: int, col: int) -> str | None:
        """The text of one cell (frame row ``index``), None when blank."""
        if col >= self.frame.width:
            return None
        if col in self.body.released:
            raise LookupError(f"column {col} of {self.file} was released")
        value = self.frame.get_column(f"c{col}")[index]
        if isinstance(value, float):
            return str(int(value)) if value.is_integer() else repr(value)
        return t.cast("str | None", value)

    def __len__(self) -> int:
        return self.frame.height


def normalise(text: t.Any) -> str:
    """Header/label text: full-width forms folded (NFKC), spaces trimmed."""
    return unicodedata.normalize("NFKC", str(text)).strip()


# ---------------------------------------------------------------------------
# Files


def expand(paths: t.Sequence[str | Path], problems: list[Problem]) -> list[Path]:
    """Files and folders → the data files to read, each once, in the order given.

    A folder contributes its data files (sorted); any other file in it is
    listed as skipped with the reason, so nothing is dropped without a word.
    """
    files: list[Path] = []
    seen: set[Path] = set()

    def add(path: Path) -> None:
        key = path.resolve() if path.exists() else path.absolute()
        if key not in seen:
            seen.add(key)
            files.append(path)

    for path in map(Path, paths):
        if path.is_dir() and path.suffix.lower() not in DATA_SUFFIXES:
            for child in sorted(path.iterdir()):
                if child.name.startswith(("~$", ".")):
                    continue  # Office lock files and hidden files
                if child.suffix.lower() in DATA_SUFFIXES:
                    add(child)
                elif child.is_file() and child.suffix.lower() not in (".md", ".yaml", ".yml", ".json"):
                    problems.append(Problem.at("data_skipped_file", Location(str(child)), "warning",
                                               ext=child.suffix or child.name))
        else:
            add(path)
    return files


def check_file(path: Path) -> Problem | None:
    """Why ``path`` cannot be read as a data file, or None."""
    try:
        info = path.stat()
    except FileNotFoundError:
        return Problem.at("file_not_found", Location(str(path)))
    except OSError as err:
        return Problem.at("data_unreadable", Location(str(path)), reason=err.strerror or type(err).__name__)
    if stat.S_ISDIR(info.st_mode):
        return Problem.at("data_not_a_file", Location(str(path)), kind="文件夹/folder")
    if not stat.S_ISREG(info.st_mode):
        return Problem.at("data_not_a_file", Location(str(path)), kind="设备或管道/device or pipe")
    if not os.access(path, os.R_OK):
        return Problem.at("data_unreadable", Location(str(path)), reason="permission denied")
    if path.suffix.lower() not in DATA_SUFFIXES:
        return Problem.at("data_format", Location(str(path)), ext=path.suffix or path.name)
    return None


def read_tables(path: Path, vocabulary: t.Collection[str], problems: list[Problem],
                numeric: t.Collection[str] = ()) -> list[Table]:
    """One data file → its tables (a CSV has one, a workbook one per sheet).

    ``vocabulary`` holds the header texts the scheme knows (lower-case,
    NFKC-folded); the header of each sheet is the row naming most of them.
    CSV columns headed by a text in ``numeric`` are read straight as
    numbers when every cell is a plain number (else as text, and a later
    stage names the cells that are not).
    """
    problem = check_file(path)
    if problem is not None:
        problems.append(problem)
        return []
    try:
        if path.suffix.lower() in BOOK_SUFFIXES:
            return _read_book(path, vocabulary, problems)
        return _read_csv(path, vocabulary, problems, numeric)
    except OSError as err:
        problems.append(Problem.at("data_unreadable", Location(str(path)), reason=err.strerror or type(err).__name__))
        return []


# ---------------------------------------------------------------------------
# Header recognition


def _filled(cells: t.Sequence[str | None]) -> bool:
    return any(c is not None and c.strip() for c in cells)


def _header_score(cells: t.Sequence[str | None], vocabulary: t.Collection[str]) -> int:
    score = 0
    for cell in cells:
        if cell is None:
            continue
        text = normalise(cell).lower()
        if text and (text in vocabulary or text.endswith("编号")):
            score += 1
    return score


def find_header(top: t.Sequence[t.Sequence[str | None]], vocabulary: t.Collection[str]) -> int | None:
    """Index (into ``top``) of the header row: the first row naming the most known columns.

    Title rows and a section row above the header name few or none; when no
    row names any, the first non-empty row is the header (and a later stage
    reports what it lacks).

    >>> find_header([["2024年度考核表"], ["考核单位：某县", "考核日期：", "2024-12-01"], ["序号", "编号", "姓名", "得分"]], {"编号", "姓名"})
    2
    """
    best, best_score = None, 0
    for index, cells in enumerate(top):
        score = _header_score(cells, vocabulary)
        if score > best_score:
            best, best_score = index, score
    if best is None:
        return next((i for i, cells in enumerate(top) if _filled(cells)), None)
    return best


def _compose_header(top: t.Sequence[t.Sequence[str | None]], index: int, width: int) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The header texts and the section row above it (two-row headers).

    A blank header cell takes the text above it — 编号 or 姓名 merged across
    both header rows sits in the upper row only. The section row's merged
    texts are carried right over the blank cells they span.
    """
    def cells(row: t.Sequence[str | None]) -> list[str]:
        return [normalise(c) if c is not None else "" for c in list(row) + [None] * (width - len(row))][:width]

    header = cells(top[index])
    sections = [""] * width
    if index > 0 and _filled(top[index - 1]):
        above = cells(top[index - 1])
        filled_above = sum(bool(c) for c in above)
        # A single filled cell above is a title line, not a section row.
        if filled_above >= 2 or (filled_above == 1 and not above[0]):
            carry = ""
            for col in range(width):
                if not header[col] and above[col]:
                    header[col] = above[col]  # a header cell merged over both rows
                    carry = ""
                    continue
                if above[col]:
                    carry = above[col]
                sections[col] = carry
    return tuple(header), tuple(sections)


# ---------------------------------------------------------------------------
# CSV


def _decode(raw: bytes, path: Path, problems: list[Problem]) -> tuple[bytes, str] | None:
    """File bytes → UTF-8 bytes (what polars reads) and the encoding found.

    UTF-16 (Excel's "Unicode text", with or without BOM), UTF-8 with or
    without BOM, else GB18030, the superset of GBK/GB2312 that Chinese
    Excel/WPS save. Big5 text decodes as GB18030 too, but as characters
    outside GB2312's common set; it is named rather than read as garbage.
    """
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        text, encoding = raw.decode("utf-16", errors="strict"), "UTF-16"
        return text.encode("utf-8"), encoding
    sample = raw[:4096]
    if len(sample) >= 4 and sample.count(0) >= max(2, len(sample) // 50):
        # UTF-16 without a BOM: ASCII characters (commas, digits, line ends) carry a NUL byte;
        # UTF-8 and GBK text has none.
        even, odd = sample[0::2].count(0), sample[1::2].count(0)
        codec = "utf-16-le" if odd > even else "utf-16-be"
        try:
            return raw.decode(codec).encode("utf-8"), "UTF-16"
        except UnicodeDecodeError:
            problems.append(Problem.at("data_encoding", Location(str(path))))
            return None
    body = raw[3:] if raw[:3] == b"\xef\xbb\xbf" else raw
    head = body[:65536]
    try:
        head.decode("utf-8")
        valid_head = True
    except UnicodeDecodeError as err:
        valid_head = err.start > len(head) - 4  # a character cut at the end of the sample
    if valid_head:
        # The rest is checked by polars as it reads (an invalid byte there is read as GB18030 then).
        return body, "UTF-8"
    try:
        text = raw.decode("gb18030")
    except UnicodeDecodeError:
        problems.append(Problem.at("data_encoding", Location(str(path))))
        return None
    return text.encode("utf-8"), "GB18030"


#: Traditional characters of the headers offices use (編號, 姓名, 黨支部, 單位, 類別, 滿意, 測評 …).
_TRADITIONAL = set("編號黨單類別滿測評項目總計審")


def _is_big5(raw: bytes, text: str) -> bool:
    """Whether bytes that decoded as GB18030 are Big5: decodable as Big5 into traditional header words."""
    if _looks_like_big5(text):
        return True
    try:
        as_big5 = raw.decode("big5", errors="strict") if raw else ""
    except UnicodeDecodeError:
        try:
            as_big5 = raw[:-1].decode("big5", errors="strict")
        except UnicodeDecodeError:
            return False
    return any(char in _TRADITIONAL for char in as_big5[:500])


def _looks_like_big5(text: str) -> bool:
    """Whether GB18030-decoded text is really Big5 (most of its Chinese outside GB2312)."""
    chinese = [c for c in text if ord(c) > 0x2E80]
    if len(chinese) < 4:
        return False
    outside = 0
    for char in chinese:
        try:
            char.encode("gb2312")
        except UnicodeEncodeError:
            outside += 1
    return outside * 2 > len(chinese)


def _read_csv(path: Path, vocabulary: t.Collection[str], problems: list[Problem], numeric: t.Collection[str] = ()) -> list[Table]:
    with open(path, "rb") as handle:
        raw = handle.read(SAMPLE_BYTES)
        whole = len(raw) < SAMPLE_BYTES
        decoded = _decode(raw, path, problems) if whole else None
        if not whole:
            sample = _decode(raw, path, [])
            if sample is None or sample[1] != "UTF-8":
                # Not UTF-8: the whole file is decoded now (GBK and UTF-16 files are kept as UTF-8 bytes).
                raw += handle.read()
                whole = True
                decoded = _decode(raw, path, problems)
            else:
                decoded = sample
    if decoded is None:
        return []
    data, encoding = decoded
    if b"\r" in data[:65536] and b"\n" not in data[:65536]:
        # Old Mac line ends (CR only): every line would run into the next.
        if not whole:
            data = _utf8_body(path)
            whole = True
        data = data.replace(b"\r", b"\n")
        encoding = "UTF-8 (CR)"
    prefix = data[:65536].decode("utf-8", errors="ignore")
    first = prefix.split("\n", 1)[0]
    # Comma, tab ("Unicode text") or semicolon (Excel in European locales): the one the header uses most.
    delimiter = max((",", "\t", ";"), key=lambda d: (first.count(d), d == ","))
    lines = prefix.splitlines(keepends=True)
    if len(data) > 65536 and lines:
        lines = lines[:-1]  # the last line of the prefix may be cut
    top: list[list[str | None]] = []
    physical: list[int] = []  # 0-based line on which each parsed row ends
    reader = csv.reader(io.StringIO("".join(lines[: HEADER_SEARCH * 4]), newline=""), delimiter=delimiter)
    try:
        for cells in reader:
            top.append(list(cells))
            physical.append(reader.line_num)
            if len(top) >= HEADER_SEARCH * 2:
                break
    except csv.Error:
        pass
    nonempty = [i for i, cells in enumerate(top) if _filled(cells)]
    if not nonempty:
        problems.append(Problem.at("data_empty_file", Location(str(path)), "warning"))
        return [_empty_table(str(path))]
    candidates = [top[i] for i in nonempty[:HEADER_SEARCH]]
    chosen = find_header(candidates, vocabulary)
    assert chosen is not None
    if _header_score(candidates[chosen], vocabulary) == 0 and encoding == "GB18030" and _is_big5(raw[:4096], prefix[:2000]):
        problems.append(Problem.at("data_encoding_big5", Location(str(path))))
        return []
    header_index = nonempty[chosen]
    width = len(top[header_index])
    header, sections = _compose_header([top[i] for i in nonempty], chosen, width)
    header_row = physical[header_index]  # 1-based line where the header ends
    file = str(path)
    # A UTF-8 file is read again from disk when its body is needed (polars maps it); a
    # decoded one (GBK, UTF-16) keeps its UTF-8 bytes until then.
    kept: bytes | None = data if whole and encoding != "UTF-8" or whole and len(data) < SAMPLE_BYTES else None
    del raw, data, prefix, lines, top

    def load() -> Body:
        nonlocal kept
        strings = {f"c{i}": pl.String for i in range(width)}
        typed = {name: (pl.Float64 if i < len(header) and header[i].lower() in numeric else pl.String)
                 for i, name in enumerate(strings)}

        def attempt() -> pl.DataFrame | None:
            for schema in ((typed, strings) if typed != strings else (strings,)):
                try:
                    source: t.Any = io.BytesIO(kept) if kept is not None else file
                    frame = pl.read_csv(source, has_header=False, schema=schema, separator=delimiter, skip_lines=header_row,
                                        truncate_ragged_lines=True, quote_char='"', raise_if_empty=False)
                except pl.exceptions.PolarsError:
                    continue  # a cell that is not a plain number: read as text, named later
                if schema is typed and not _all_finite(frame):
                    # inf, nan or 1e400 parse as floats: read as text, so the cell is named as written.
                    continue
                return frame
            return None

        frame = attempt()
        if frame is None and kept is None:
            # UTF-8 at the start but not further on: the file is GBK after all (or damaged).
            raw_all = _utf8_body(Path(file))
            try:
                raw_all.decode("utf-8")
                kept = raw_all  # UTF-8 after all: polars failed for another reason (read line by line below)
            except UnicodeDecodeError:
                try:
                    kept = raw_all.decode("gb18030").encode("utf-8")
                except UnicodeDecodeError:
                    problems.append(Problem.at("data_encoding", Location(file)))
                    return _finish(file, None, header, pl.DataFrame(schema=strings), np.zeros(0, dtype=np.int32), problems)
            frame = attempt()
        # Without a quote, or with quotes but no quoted line break, each frame row is the
        # next spreadsheet row; otherwise (or when polars could not split the file) the file is
        # read the slow, exact way so that every row keeps its spreadsheet row number.
        quoted = b'"' in kept if kept is not None else _has_quotes(Path(file))
        if frame is None or (quoted and _spans_lines(kept if kept is not None else _utf8_body(Path(file)))):
            text = kept if kept is not None else _utf8_body(Path(file))
            return _csv_by_rows(file, _after_lines(text, header_row), delimiter, header, header_row, width, problems)
        rows = np.arange(header_row + 1, header_row + 1 + frame.height, dtype=np.int32)
        return _finish(file, None, header, frame, rows, problems)

    return [Table(file, None, header, load, header_row, sections)]


def _all_finite(frame: pl.DataFrame) -> bool:
    """Whether every Float64 cell of ``frame`` is a finite number or blank."""
    floats = [name for name, dtype in frame.schema.items() if dtype == pl.Float64]
    if not floats or not frame.height:
        return True
    return not bool(frame.select(pl.any_horizontal([~pl.col(c).is_finite() for c in floats]).any()).item())


_QUOTED_LINE = re.compile(rb'[^\n]*"[^\n]*')


def _spans_lines(data: bytes) -> bool:
    """Whether a quoted cell holds a line break: a line with an odd number of quotes."""
    return any(match.group(0).count(b'"') % 2 for match in _QUOTED_LINE.finditer(data))


def _has_quotes(path: Path) -> bool:
    """Whether a file holds any double quote (only then can a cell span lines)."""
    if not path.stat().st_size:
        return False
    with open(path, "rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as mapped:
        return mapped.find(b'"') >= 0


def _utf8_body(path: Path) -> bytes:
    raw = path.read_bytes()
    return raw[3:] if raw[:3] == b"\xef\xbb\xbf" else raw


def _after_lines(data: bytes, count: int) -> bytes:
    offset = 0
    for _ in range(count):
        found = data.find(b"\n", offset)
        if found < 0:
            return b""
        offset = found + 1
    return data[offset:]


def _csv_by_rows(file: str, body: bytes, delimiter: str, header: tuple[str, ...], header_row: int, width: int,
                 problems: list[Problem]) -> Body:
    csv.field_size_limit(max(MAX_CELL_BYTES * 4, 1 << 20))
    reader = csv.reader(io.StringIO(body.decode("utf-8"), newline=""), delimiter=delimiter)
    columns: list[list[str | None]] = [[] for _ in range(width)]
    rows: list[int] = []
    start = 0
    for cells in reader:
        rows.append(header_row + 1 + start)
        start = reader.line_num
        for col in range(width):
            columns[col].append(cells[col] if col < len(cells) else None)
    frame = pl.DataFrame({f"c{i}": pl.Series(values, dtype=pl.String) for i, values in enumerate(columns)})
    return _finish(file, None, header, frame, np.array(rows, dtype=np.int32), problems)


def _empty_table(file: str, sheet: str | None = None) -> Table:
    return Table(file, sheet, ())


def _blank(name: str, dtype: pl.DataType, exact: bool = True) -> pl.Expr:
    """Null or empty (``exact``: or only spaces); the inexact test allocates no new strings."""
    if dtype == pl.String:
        if not exact:
            return pl.col(name).is_null() | (pl.col(name).str.len_bytes() == 0) | pl.col(name).str.contains(r"^\s")
        return pl.col(name).is_null() | (pl.col(name).str.strip_chars() == "")
    return pl.col(name).is_null()


def _finish(file: str, sheet: str | None, header: tuple[str, ...],
            frame: pl.DataFrame, rows: npt.NDArray[np.int32], problems: list[Problem],
            merged: t.Mapping[int, npt.NDArray[np.int64]] | None = None,
            percent: t.Mapping[int, npt.NDArray[np.int64]] | None = None) -> Body:
    """Drop empty rows (keeping row numbers) and refuse oversized cells."""
    if frame.width:
        # Only rows whose first cell is blank can be empty rows: check those fully.
        first_name = frame.columns[0]
        maybe = frame.select(_blank(first_name, frame.schema[first_name], exact=False)).to_series().to_numpy()
        keep = np.ones(frame.height, dtype=bool)
        if maybe.any():
            candidates = frame.filter(pl.Series(maybe))
            blank = pl.all_horizontal([_blank(c, frame.schema[c]) for c in frame.columns])
            keep[np.flatnonzero(maybe)] = ~candidates.select(blank).to_series().to_numpy()
        if not keep.all():
            index = np.flatnonzero(keep)
            remap = np.full(len(keep), -1, dtype=np.int64)
            remap[index] = np.arange(len(index))
            frame = frame.filter(pl.Series(keep))
            rows = rows[index]
            def moved(marks: t.Mapping[int, npt.NDArray[np.int64]] | None) -> dict[int, npt.NDArray[np.int64]]:
                out = {}
                for col, at in (marks or {}).items():
                    kept = remap[at]
                    out[col] = kept[kept >= 0]
                return out
            merged, percent = moved(merged), moved(percent)
        for col, name in enumerate(frame.columns):
            if frame.schema[name] != pl.String:
                continue
            lengths = frame.get_column(name).str.len_bytes()
            longest = lengths.max()
            if longest is not None and t.cast(int, longest) > MAX_CELL_BYTES:
                at = int(t.cast(int, lengths.arg_max()))
                column = header[col] if col < len(header) and header[col] else None
                problems.append(Problem.at("data_cell_too_long", Location(file, int(rows[at]), column, None, sheet),
                                           size=int(t.cast(int, longest)), limit=MAX_CELL_BYTES))
    return Body(frame, rows, dict(merged or {}), dict(percent or {}))


# ---------------------------------------------------------------------------
# Workbooks


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


_STYLE_XF = re.compile(rb"<xf\b[^>]*?/?>")
_NUMFMT = re.compile(rb'<numFmt\b[^>]*numFmtId="(\d+)"[^>]*formatCode="([^"]*)"')
_PERCENT_BUILTIN = {9, 10}


def _percent_styles(archive: zipfile.ZipFile) -> set[int]:
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


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
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
class _SheetScan:
    merges: tuple[tuple[int, int, int, int], ...] = ()  # (row0, col0, row1, col1), rows 1-based
    percent: tuple[tuple[int, int], ...] = ()  # (row, col)
    uncomputed: tuple[tuple[int, int, str], ...] = ()  # (row, col, formula)


def _scan_sheet(archive: zipfile.ZipFile, part: str, percent_styles: set[int]) -> _SheetScan:
    """What the value reader does not say: merged ranges, % cells and formulas without a value."""
    try:
        xml = archive.read(part)
    except KeyError:
        return _SheetScan()
    merges = []
    if b"<mergeCell" in xml:
        for first, last in _MERGE.findall(xml):
            r0, c0 = _ref(first.decode())
            r1, c1 = _ref(last.decode()) if last else (r0, c0)
            merges.append((r0, c0, r1, c1))
    percent: list[tuple[int, int]] = []
    if percent_styles:
        styles = b"|".join(str(s).encode() for s in sorted(percent_styles))
        pattern = re.compile(rb'<c\b[^>]*?r="([A-Z]+\d+)"[^>]*?\bs="(?:' + styles + rb')"[^>]*>\s*<v>')
        pattern_b = re.compile(rb'<c\b[^>]*?\bs="(?:' + styles + rb')"[^>]*?r="([A-Z]+\d+)"[^>]*>\s*<v>')
        for regex in (pattern, pattern_b):
            percent.extend(_ref(ref.decode()) for ref in regex.findall(xml))
    uncomputed = []
    if b"<f" in xml:
        for ref, formula in _FORMULA_CELL.findall(xml):
            row, col = _ref(ref.decode())
            uncomputed.append((row, col, "=" + formula.decode("utf-8", errors="replace")))
    return _SheetScan(tuple(merges), tuple(set(percent)), tuple(uncomputed))


def _read_book(path: Path, vocabulary: t.Collection[str], problems: list[Problem]) -> list[Table]:
    import fastexcel

    checked = _check_book(path, problems)
    if checked is None:
        return []
    archive = checked if isinstance(checked, zipfile.ZipFile) else None
    try:
        percent_styles = _percent_styles(archive) if archive is not None else set()
        parts = _sheet_parts(archive) if archive is not None else {}
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
            scan = _scan_sheet(archive, parts[name], percent_styles) if archive is not None and name in parts else _SheetScan()
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


def _sheet_table(file: str, sheet: str, frame: pl.DataFrame, offsets: list[int], scan: _SheetScan,
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
    nonempty = [i for i, cells in enumerate(top) if _filled(cells)][:HEADER_SEARCH]
    if not nonempty:
        return _empty_table(file, sheet)
    candidates = [top[i] for i in nonempty]
    chosen = find_header(candidates, vocabulary)
    assert chosen is not None
    header, sections = _compose_header(candidates, chosen, width)
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
            from_col = _letters(col)
            problems.append(Problem.at("data_formula_not_computed", Location(file, row, column, None, sheet),
                                       cell=f"{from_col}{row}", formula=formula))
    finished = _finish(file, sheet, header, body, rows, problems, marks(merged_cells), marks(scan.percent))
    return Table(file, sheet, header, lambda: finished, header_index + 1, sections)


def _letters(col: int) -> str:
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


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
