"""Read a CSV file into its :class:`~engine.tables.table.Table`.

The encoding, the delimiter and the header are found from the first lines
alone; the body (possibly millions of rows) is read by polars only when a
stage asks for it, columns of plain numbers straight as numbers. A file with
quoted line breaks, or one polars cannot split, is read row by row so that
every row keeps its spreadsheet row number.
"""

from __future__ import annotations

import csv
import io
import mmap
import re
import typing as t
from pathlib import Path

import numpy as np
import polars as pl

from engine.errors import Location, Problem
from engine.tables.encoding import decode, is_big5
from engine.tables.header import HEADER_SEARCH, compose_header, filled, find_header, header_score
from engine.tables.table import MAX_CELL_BYTES, Body, Table, empty_table, finish_body

#: Bytes read to recognise a CSV's encoding and header; a UTF-8 file's body is read by polars.
SAMPLE_BYTES = 1 << 20


def read_csv(path: Path, vocabulary: t.Collection[str], problems: list[Problem], numeric: t.Collection[str] = ()) -> list[Table]:
    """A CSV (or tab- or semicolon-separated text) → its one table, the body read when first needed."""
    with open(path, "rb") as handle:
        raw = handle.read(SAMPLE_BYTES)
        whole = len(raw) < SAMPLE_BYTES
        decoded = decode(raw, path, problems) if whole else None
        if not whole:
            sample = decode(raw, path, [])
            if sample is None or sample[1] != "UTF-8":
                # Not UTF-8: the whole file is decoded now (GBK and UTF-16 files are kept as UTF-8 bytes).
                raw += handle.read()
                whole = True
                decoded = decode(raw, path, problems)
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
    nonempty = [i for i, cells in enumerate(top) if filled(cells)]
    if not nonempty:
        problems.append(Problem.at("data_empty_file", Location(str(path)), "warning"))
        return [empty_table(str(path))]
    candidates = [top[i] for i in nonempty[:HEADER_SEARCH]]
    chosen = find_header(candidates, vocabulary)
    assert chosen is not None
    if header_score(candidates[chosen], vocabulary) == 0 and encoding == "GB18030" and is_big5(raw[:4096], prefix[:2000]):
        problems.append(Problem.at("data_encoding_big5", Location(str(path))))
        return []
    header_index = nonempty[chosen]
    width = len(top[header_index])
    header, sections = compose_header([top[i] for i in nonempty], chosen, width)
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
                    return finish_body(file, None, header, pl.DataFrame(schema=strings), np.zeros(0, dtype=np.int32), problems)
            frame = attempt()
        # Without a quote, or with quotes but no quoted line break, each frame row is the
        # next spreadsheet row; otherwise (or when polars could not split the file) the file is
        # read the slow, exact way so that every row keeps its spreadsheet row number.
        quoted = b'"' in kept if kept is not None else _has_quotes(Path(file))
        if frame is None or (quoted and _spans_lines(kept if kept is not None else _utf8_body(Path(file)))):
            text = kept if kept is not None else _utf8_body(Path(file))
            return _csv_by_rows(file, _after_lines(text, header_row), delimiter, header, header_row, width, problems)
        rows = np.arange(header_row + 1, header_row + 1 + frame.height, dtype=np.int32)
        return finish_body(file, None, header, frame, rows, problems)

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
    return finish_body(file, None, header, frame, np.array(rows, dtype=np.int32), problems)
