"""Read CSV and XLSX files into a Dataset of typed numpy columns.

Tables are recognised by their header, not their file name: a table with an
id column and a name column (and no per-month/per-rater inputs) is the unit
list; any other table holds inputs for the units, one row per unit or, when
its inputs are declared ``per`` a dimension, one row per unit and month /
rater / record. Headers may be an input's id or its Chinese title.

Every value is checked against its declaration (type, range, allowed
values); every problem names the file, sheet, row and column. Nothing is
silently zeroed: a missing value is an error unless the input's ``missing``
policy says otherwise. CSV encodings are detected (UTF-8 with or without BOM,
UTF-16 as Excel's "Unicode text", GB18030 which covers GBK/GB2312).
"""

from __future__ import annotations

import csv
import dataclasses
import io
import math
import re
import typing as t
import unicodedata
import zipfile
from pathlib import Path

import numpy as np
import numpy.typing as npt

from engine.compiler import value_text
from engine.errors import DataError, Location, Problem, sorted_problems
from engine.messages import Text, closest
from engine.model import Input, Scheme

#: Lines under a table that are not units (合计 rows, signatures).
SUMMARY_ROWS = ("合计", "总计", "小计", "平均", "平均分", "均值", "备注", "说明", "注")
FOOTER_WORDS = ("填表人", "填报人", "审核人", "制表人", "负责人签字", "填表日期", "制表日期")


def _is_summary_row(ident: str) -> bool:
    """Whether an id cell holds 合计/平均 or a signature line rather than a unit id.

    >>> _is_summary_row("合 计"), _is_summary_row("填表人：张三"), _is_summary_row("注：以上为初评"), _is_summary_row("D001")
    (True, True, True, False)
    """
    compact = ident.replace(" ", "").replace("\u3000", "")
    return (compact.rstrip("：:") in SUMMARY_ROWS or any(w in compact for w in FOOTER_WORDS)
            or compact.startswith(tuple(f"{w}{c}" for w in ("注", "说明", "备注") for c in "：:")))


ID_ALIASES = ("id", "unit", "编号", "代码", "单位编号", "人员编号", "对象编号")
NAME_ALIASES = ("name", "名称", "姓名", "单位名称")
TYPE_ALIASES = ("type", "类型", "单位类型")
GROUP_ALIASES = ("group", "分组")
PARENT_ALIASES = ("parent", "上级", "上级编号")

#: Columns people keep beside the data (remarks, document numbers); read past silently.
NOTE_COLUMNS = {"备注", "说明", "序号", "文号", "日期", "填报人", "票号", "remark", "remarks", "note", "notes", "no."}

#: Worksheets read past: the instructions sheet of a data-entry template.
SKIPPED_SHEETS = {"说明", "填表说明", "instructions"}

_TRUE = {"是", "1", "true", "yes", "y", "√", "✓", "有", "t"}
_FALSE = {"否", "0", "false", "no", "n", "×", "✗", "无", "f", "x"}


@dataclasses.dataclass(frozen=True)
class Units:
    """The units being assessed, in data order."""

    ids: npt.NDArray[np.str_]
    names: npt.NDArray[np.str_]
    types: npt.NDArray[np.str_]
    groups: npt.NDArray[np.str_]
    parents: npt.NDArray[np.str_]
    #: Each unit's group as a number 0 … g−1 (factorised once, when read).
    group_codes: npt.NDArray[np.int64] = dataclasses.field(default_factory=lambda: np.zeros(0, dtype=np.int64))

    def __post_init__(self) -> None:
        if self.group_codes.shape != self.groups.shape:
            _, codes = np.unique(self.groups, return_inverse=True)
            object.__setattr__(self, "group_codes", codes.astype(np.int64).reshape(self.groups.shape))

    def __len__(self) -> int:
        return int(self.ids.shape[0])

    def index(self) -> dict[str, int]:
        return {str(unit): i for i, unit in enumerate(self.ids)}


@dataclasses.dataclass(frozen=True)
class Origin:
    """Where a data cell came from (for explain)."""

    file: str
    sheet: str | None
    row: int


@dataclasses.dataclass(frozen=True)
class Correction:
    """A data value corrected through the correction table; both values are kept."""

    unit: str
    input: str
    #: Dimension label (月份 3), or "" for a per-unit input.
    period: str
    old: t.Any
    new: t.Any
    reason: str
    origin: Origin


@dataclasses.dataclass(frozen=True)
class Dataset:
    """Typed columns per input, aligned with ``units``.

    A per-unit input is a column of shape ``(n,)``; an input per dimension has
    shape ``(n, k)`` (k = declared values of a closed dimension, or the most
    rows any unit has in an open one, absent entries NaN / False / "").
    """

    units: Units
    columns: t.Mapping[str, npt.NDArray[t.Any]]
    #: Labels of the k positions of each dimension.
    dim_labels: t.Mapping[str, tuple[str, ...]]
    #: Spreadsheet row of every cell, same shape as its column (-1: no cell);
    #: only filled when read from files.
    origin_rows: t.Mapping[str, npt.NDArray[np.int32]] = dataclasses.field(default_factory=dict)
    #: Index into ``sources`` of every cell, same shape as its column.
    origin_tables: t.Mapping[str, npt.NDArray[np.int32]] = dataclasses.field(default_factory=dict)
    #: (file, sheet) of each table read.
    sources: tuple[tuple[str, str | None], ...] = ()
    #: Non-fatal problems met while reading (ignored columns …).
    warnings: tuple[Problem, ...] = ()
    #: Values corrected after a dispute, old and new (audit trail).
    corrections: tuple[Correction, ...] = ()
    #: For open dimensions: which of the k positions hold a data row, per unit.
    presence: t.Mapping[str, npt.NDArray[np.bool_]] = dataclasses.field(default_factory=dict)

    def origins_of(self, name: str, unit: int) -> tuple[Origin, ...]:
        """Where the cells of input ``name`` for unit ``unit`` came from, in order."""
        if name not in self.origin_rows:
            return ()
        rows = np.atleast_1d(self.origin_rows[name][unit])
        tables = np.atleast_1d(self.origin_tables[name][unit])
        return tuple(
            Origin(*self.sources[int(table)], int(row)) for row, table in zip(rows, tables) if row >= 0
        )

    def take(self, index: int) -> Dataset:
        """The dataset restricted to one unit (for tracing)."""
        pick = slice(index, index + 1)
        units = Units(*(getattr(self.units, f.name)[pick] for f in dataclasses.fields(Units)))
        columns = {name: column[pick] for name, column in self.columns.items()}
        rows = {name: column[pick] for name, column in self.origin_rows.items()}
        tables = {name: column[pick] for name, column in self.origin_tables.items()}
        unit = str(self.units.ids[index])
        kept = tuple(c for c in self.corrections if c.unit == unit)
        presence = {dim: mask[pick] for dim, mask in self.presence.items()}
        return Dataset(units, columns, self.dim_labels, rows, tables, self.sources, (), kept, presence)


# ---------------------------------------------------------------------------
# Raw tables


@dataclasses.dataclass(frozen=True)
class _Table:
    file: str
    sheet: str | None
    header: tuple[str, ...]
    #: (spreadsheet row number, cells) for every non-empty row.
    rows: tuple[tuple[int, tuple[t.Any, ...]], ...]
    #: Spreadsheet row number of the header (below any title rows).
    header_row: int = 1

    def at(self, row: int | None = None, column: str | None = None) -> Location:
        return Location(self.file, row, column, None, self.sheet)


def _normalise(text: t.Any) -> str:
    """Header/label text: full-width forms folded (NFKC), spaces trimmed."""
    return unicodedata.normalize("NFKC", str(text)).strip()


def _expand(paths: t.Sequence[str | Path]) -> list[Path]:
    files: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            files.extend(
                p for p in sorted(path.iterdir())
                if p.suffix.lower() in (".csv", ".xlsx") and not p.name.startswith(("~$", "."))
            )
        else:
            files.append(path)
    return files


def _read_csv(path: Path, problems: list[Problem]) -> list[_Table]:
    raw = path.read_bytes()
    text = None
    # A UTF-16 BOM means Excel's "Unicode text"; otherwise UTF-8 (BOM or not),
    # else GB18030, the superset of the GBK that Chinese Excel/WPS save.
    encodings = ("utf-16",) if raw[:2] in (b"\xff\xfe", b"\xfe\xff") else ("utf-8-sig", "gb18030")
    for encoding in encodings:
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    if text is None:
        problems.append(Problem.at("data_encoding", Location(str(path))))
        return []
    first = text.split("\n", 1)[0]
    delimiter = "\t" if first.count("\t") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = list(reader)
    return [_make_table(str(path), None, rows)]


#: Rows between two progress reports while a worksheet is read.
PROGRESS_ROWS = 50_000

#: (file or file[sheet], rows read so far, whether that file is finished).
Progress = t.Callable[[str, int, bool], None]


def _read_xlsx(path: Path, problems: list[Problem], progress: Progress | None = None) -> list[_Table]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as err:  # openpyxl raises many kinds for a damaged file
        problems.append(Problem.at("data_xlsx_unreadable", Location(str(path)), reason=str(err) or type(err).__name__))
        return []
    tables = []
    try:
        for sheet in book.worksheets:
            if sheet.title.strip() in SKIPPED_SHEETS or sheet.title.startswith("_"):
                continue  # instructions, or a helper sheet of the author's
            rows = []
            for count, row in enumerate(sheet.iter_rows(), start=1):
                if progress is not None and count % PROGRESS_ROWS == 0:
                    # openpyxl reads a large sheet slowly (≈10k rows/s): say that work goes on.
                    progress(f"{path}[{sheet.title}]", count, False)
                cells = []
                for cell in row:
                    value = getattr(cell, "value", None)
                    fmt = getattr(cell, "number_format", "") or ""
                    if isinstance(value, (int, float)) and not isinstance(value, bool) and "%" in fmt:
                        # Excel shows 0.95 as 95%; the scheme's percentages are 0–100.
                        value = f"{round(value * 100, 9):g}%"
                    cells.append(value)
                rows.append(cells)
            table = _make_table(str(path), sheet.title, rows)
            if table.header:
                tables.append(table)
    finally:
        book.close()
    if _has_uncomputed_formulas(path):
        _uncomputed_cells(path, tables, problems)
    return tables


#: A formula cell with no cached value (``<v/>`` or none): written by a
#: program, never opened in Excel/WPS. Read with ``data_only`` it is empty.
_UNCOMPUTED = re.compile(rb"<f[^>]*(?:/>|>[^<]*</f>)\s*(?:<v\s*/>|<v>\s*</v>)?\s*</c>")


def _has_uncomputed_formulas(path: Path) -> bool:
    """Whether any sheet of the workbook has a formula without its value (a fast scan of the XML)."""
    try:
        with zipfile.ZipFile(path) as archive:
            return any(
                _UNCOMPUTED.search(archive.read(name))
                for name in archive.namelist()
                if name.startswith("xl/worksheets/") and name.endswith(".xml")
            )
    except (OSError, zipfile.BadZipFile, KeyError):
        return False  # openpyxl reports a damaged file itself


def _uncomputed_cells(path: Path, tables: list[_Table], problems: list[Problem]) -> None:
    """Name every formula cell whose value is missing (the rare, slow path).

    Such a cell would read as empty — and an empty cell may be allowed by
    the input's missing policy, so it would be silently taken as 0 or
    skipped. The workbook is read a second time with formulas to find them.
    """
    import openpyxl
    from openpyxl.utils import get_column_letter

    headers = {table.sheet: table for table in tables}
    book = openpyxl.load_workbook(path, read_only=True, data_only=False)
    try:
        for sheet in book.worksheets:
            table = headers.get(sheet.title)
            if table is None:
                continue
            values = dict(table.rows)
            for number, row in enumerate(sheet.iter_rows(), start=1):
                for index, cell in enumerate(row):
                    formula = getattr(cell, "value", None)
                    if not (isinstance(formula, str) and formula.startswith("=")):
                        continue
                    cached = values.get(number, ())
                    if index < len(cached) and cached[index] is not None:
                        continue
                    column = table.header[index] if index < len(table.header) and table.header[index] else None
                    problems.append(Problem.at(
                        "data_formula_not_computed", table.at(number, column),
                        cell=f"{get_column_letter(index + 1)}{number}", formula=formula,
                    ))
    finally:
        book.close()


#: How many title lines ("2024年度考核汇总表", "填报单位：…") may stand above a header.
TITLE_ROWS = 5


def _make_table(file: str, sheet: str | None, rows: list[t.Any]) -> _Table:
    """Rows of one sheet → header and numbered data rows.

    The header is the first non-empty row, except that short title lines
    (at most two filled cells, as a merged title or "填报单位：… 日期：…"
    gives) are skipped when a row naming an id column follows — clerks'
    sheets usually carry a title above the table.
    """
    def empty(cells: t.Sequence[t.Any]) -> bool:
        return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)

    def names_an_id(cells: t.Sequence[t.Any]) -> bool:
        texts = [_normalise(c).lower() for c in cells if c is not None]
        return any(text in ID_ALIASES or text.endswith("编号") for text in texts)

    numbered = [(i + 1, tuple(cells)) for i, cells in enumerate(rows) if not empty(cells)]
    if not numbered:
        return _Table(file, sheet, (), ())
    start = 0
    for index, (_, cells) in enumerate(numbered[:TITLE_ROWS + 1]):
        if names_an_id(cells):
            start = index
            break
        if sum(not empty((c,)) for c in cells) > 2:
            break  # a full row without an id column: the header itself, reported as such
    header_row, header = numbered[start]
    names = tuple(_normalise(h) if h is not None else "" for h in header)
    return _Table(file, sheet, names, tuple(numbered[start + 1:]), header_row)


# ---------------------------------------------------------------------------
# Reading


def read_dataset(
    scheme: Scheme,
    paths: t.Sequence[str | Path],
    progress: Progress | None = None,
) -> Dataset:
    """Read the data files at ``paths`` (files or folders) for ``scheme``.

    Args:
        progress: called with (file, rows read so far, finished) while large
            workbooks are read and after each file, so a command line can
            show progress on large data.

    Raises:
        DataError: with every problem found, when any is an error.
    """
    problems: list[Problem] = []
    files = _expand(paths)
    if not files:
        raise DataError([Problem.at("data_no_files", Location(", ".join(map(str, paths))))])
    tables: list[_Table] = []
    for path in files:
        if not path.exists():
            problems.append(Problem.at("file_not_found", Location(str(path))))
        elif path.suffix.lower() in (".csv", ".xlsx"):
            if path.suffix.lower() == ".csv":
                found = _read_csv(path, problems)
            else:
                found = _read_xlsx(path, problems, progress)
            tables.extend(found)
            if progress is not None:
                progress(str(path), sum(len(table.rows) for table in found), True)
        else:
            problems.append(Problem.at("data_format", Location(str(path)), ext=path.suffix or path.name))
    if any(p.severity == "error" for p in problems):
        raise DataError(problems)
    return _Reader(scheme, problems).read(tables)


@dataclasses.dataclass
class _Layout:
    """What each column of a table holds."""

    table: _Table
    id_col: int
    fields: dict[int, str]  # column index → "name"/"type"/"group"/"parent"/"dim"/input id
    dim: str | None


class _Reader:
    def __init__(self, scheme: Scheme, problems: list[Problem]) -> None:
        self.scheme = scheme
        self.problems = problems
        aliases: dict[str, str] = {}
        for field, names in (("name", NAME_ALIASES), ("type", TYPE_ALIASES), ("parent", PARENT_ALIASES)):
            for name in names:
                aliases[name] = field
        group = scheme.group_title
        for name in GROUP_ALIASES + (group, f"所在{group}", f"{group}名称"):
            aliases[name] = "group"
        for dim in scheme.dimensions.values():
            aliases[dim.id] = aliases[dim.title] = f"dim:{dim.id}"
        for ident, spec in scheme.inputs.items():
            aliases[spec.title] = ident
            aliases[ident] = ident
        # Headers are NFKC-folded when read (full-width （） → ()), so the names are too.
        self.aliases = {_normalise(name).lower(): field for name, field in aliases.items()}
        self.subject_id = f"{scheme.subject}编号" if scheme.subject else None

    def error(self, code: str, location: Location, **args: t.Any) -> None:
        self.problems.append(Problem.at(code, location, **args))

    def unknown_unit(self, location: Location, ident: str, index: t.Mapping[str, int]) -> None:
        """An id not in the unit list, with the listed id it most likely means."""
        if _is_summary_row(ident):
            # A totals or signature line under the table, not a unit: say so rather than "did you mean".
            self.error("data_summary_row", location, id=ident)
            return
        if ident.isdigit():
            # Excel turns 001 into the number 1; say so rather than "did you mean".
            padded = [listed for listed in index if listed.isdigit() and listed.lstrip("0") == ident.lstrip("0")]
            if len(padded) == 1:
                self.error("data_unknown_unit_zeros", location, id=ident, listed=padded[0])
                return
        self.error("data_unknown_unit", location, id=ident, suggest=closest(ident, index))

    # -- layout of each table --------------------------------------------------
    def layout(self, table: _Table) -> _Layout | None:
        id_col = None
        fields: dict[int, str] = {}
        unknown: list[str] = []
        seen: dict[str, int] = {}
        for col, header in enumerate(table.header):
            if not header:
                continue
            key = header.lower()
            if id_col is None and (key in ID_ALIASES or header == self.subject_id):
                id_col = col
                continue
            field = self.aliases.get(key)
            if field is None:
                if key not in NOTE_COLUMNS:
                    unknown.append(header)
                continue
            if field in seen:
                self.error("data_duplicate_column", table.at(table.header_row, header), column=header, first=seen[field] + 1, field=field)
                continue
            seen[field] = col
            fields[col] = field
        if id_col is None:
            self.error("data_no_id_column", table.at(table.header_row), aliases=", ".join(ID_ALIASES + ((self.subject_id,) if self.subject_id else ())))
            return None
        inputs = [f for f in fields.values() if f in self.scheme.inputs]
        dims = {self.scheme.inputs[f].per for f in inputs}
        if len(dims) > 1:
            found = ", ".join(f"{f}→{self.scheme.inputs[f].per or '单位'}" for f in inputs)
            self.error("data_mixed_dims", table.at(table.header_row), found=found)
            return None
        dim = dims.pop() if dims else None
        if dim is None:
            dim_cols = [f for f in fields.values() if f.startswith("dim:")]
            if dim_cols and not inputs:
                dim = dim_cols[0][4:]
        if dim is not None:
            declared = self.scheme.dimensions[dim]
            if declared.values is not None and f"dim:{dim}" not in fields.values():
                self.error("data_missing_dim_column", table.at(table.header_row), dim=declared.title, values=", ".join(declared.values))
                return None
        if unknown:
            candidates = [i.title for i in self.scheme.inputs.values()] + list(self.scheme.inputs)
            self.problems.append(Problem.at(
                "data_unknown_columns", table.at(table.header_row), "warning",
                columns=", ".join(unknown), suggest=closest(unknown[0], candidates),
            ))
        return _Layout(table, id_col, fields, dim)

    # -- the whole dataset ---------------------------------------------------
    def read(self, tables: list[_Table]) -> Dataset:
        self.data_location = Location(", ".join(sorted({t.file for t in tables})))
        correction_tables = [t for t in tables if _is_correction_table(t)]
        tables = [t for t in tables if not _is_correction_table(t)]
        layouts = [layout for layout in map(self.layout, tables) if layout is not None]
        unit_layouts = [l for l in layouts if l.dim is None and "name" in l.fields.values()]
        if not unit_layouts and not any(p.severity == "error" for p in self.problems):
            self.error("data_no_units", self.data_location)
        units, unit_rows = self.units(unit_layouts)
        if unit_layouts and not len(units) and not any(p.severity == "error" for p in self.problems):
            self.error("data_empty_units", unit_layouts[0].table.at(unit_layouts[0].table.header_row))
        if any(p.severity == "error" for p in self.problems):
            raise DataError(self.problems)
        index = units.index()
        self.unit_ids = units.ids
        collector = _Collector(self.scheme, len(units))
        for layout in layouts:
            self.values(layout, index, collector)
        manual = collector.manual_mask()
        self.check_manual(collector)
        columns, labels, rows, sources = collector.finish(self, units, manual)
        corrections: list[Correction] = []
        for table in correction_tables:
            corrections.extend(self.correct(table, columns, index, units, collector.invalid))
        if any(p.severity == "error" for p in self.problems):
            raise DataError(self.problems)
        presence: dict[str, npt.NDArray[np.bool_]] = {}
        for ident, spec in self.scheme.inputs.items():
            if spec.per is not None and self.scheme.dimensions[spec.per].values is None and ident in rows:
                # A row existed where its origin row is known (any input of the dimension will do).
                mask = rows[ident] >= 0
                presence[spec.per] = presence[spec.per] | mask if spec.per in presence else mask
        return Dataset(units, columns, labels, rows, sources, tuple(collector.sources), sorted_problems(self.problems),
                       tuple(corrections), presence)

    def correct(self, table: _Table, columns: dict[str, npt.NDArray[t.Any]], index: dict[str, int], units: Units,
                invalid: t.Mapping[str, npt.NDArray[np.bool_]]) -> list[Correction]:
        """Apply a correction table (编号, [月份], 输入项, 原值, 更正后, 理由) to the columns.

        The original value must match the data (so a correction cannot
        silently change something else); both values are kept for the audit.
        """
        allowed = self.scheme.corrections
        if allowed is None:
            self.error("data_corrections_not_allowed", table.at(table.header_row))
            return []
        header = {h.lower(): i for i, h in enumerate(table.header)}
        def col(names: tuple[str, ...]) -> int | None:
            return next((header[n] for n in names if n in header), None)
        id_col = col(ID_ALIASES + ((self.subject_id,) if self.subject_id else ()))
        input_col = col(("输入项", "input", "项目"))
        old_col = col(("原值", "原分", "old"))
        new_col = col(("更正后", "更正值", "corrected", "new"))
        reason_col = col(("理由", "原因", "依据", "reason"))
        if id_col is None or input_col is None or new_col is None:
            self.error("data_corrections_columns", table.at(table.header_row))
            return []
        titles = {spec.title: ident for ident, spec in self.scheme.inputs.items()}
        out: list[Correction] = []
        for row, cells in table.rows:
            ident = _cell_text(cells, id_col)
            unit = index.get(ident)
            if unit is None:
                self.unknown_unit(table.at(row, table.header[id_col]), ident, index)
                continue
            name = _cell_text(cells, input_col)
            name = titles.get(name, name)
            spec = self.scheme.inputs.get(name)
            if spec is None or spec.type in ("category", "boolean") or (allowed.inputs and name not in allowed.inputs):
                self.error("data_corrections_input", table.at(row, table.header[input_col]), found=name,
                           suggest=closest(name, list(allowed.inputs or self.scheme.inputs)))
                continue
            cell: tuple[int, ...] = (unit,)
            period = ""
            if spec.per is not None:
                dimension = self.scheme.dimensions[spec.per]
                dim_col = col((dimension.title.lower(), dimension.id))
                label = _label(cells[dim_col]) if dim_col is not None and dim_col < len(cells) else ""
                label = _dimension_label(label, dimension.values, _is_monthly(dimension)) if dimension.values is not None else label
                if dimension.values is None or label not in dimension.values:
                    self.error("data_bad_dim_value", table.at(row, dimension.title), dim=dimension.title, found=label,
                               values=", ".join(dimension.values or ()))
                    continue
                cell = (unit, dimension.values.index(label))
                period = label
            where = table.at(row, table.header[new_col])
            new = self.parse(spec, cells[new_col] if new_col < len(cells) else None, where)
            if new is _INVALID:
                continue
            if new is None or (spec.range is not None and not spec.range[0] <= new <= spec.range[1]):
                low, high = spec.range or (-math.inf, math.inf)
                self.error("data_out_of_range", where, input=spec.label, found="空" if new is None else f"{new:g}", lo=f"{low:g}", hi=f"{high:g}")
                continue
            if name in invalid and bool(invalid[name][cell]):
                continue  # the corrected cell itself is bad: reported already, nothing to compare
            current = float(columns[name][cell])
            if old_col is not None and old_col < len(cells) and cells[old_col] not in (None, ""):
                old = self.parse(spec, cells[old_col], table.at(row, table.header[old_col]))
                if old is _INVALID:
                    continue
                if old is not None and not (math.isclose(old, current) or (math.isnan(current) and old is None)):
                    self.error("data_corrections_mismatch", table.at(row, table.header[old_col]), found=f"{old:g}",
                               expected="空" if math.isnan(current) else f"{current:g}", id=ident, input=spec.label)
                    continue
            columns[name][cell] = new
            # The reason is kept as written (no width folding of its punctuation).
            reason = str(cells[reason_col]).strip() if reason_col is not None and reason_col < len(cells) and cells[reason_col] is not None else ""
            out.append(Correction(ident, name, period, None if math.isnan(current) else current, new, reason,
                                  Origin(table.file, table.sheet, row)))
        return out

    def units(self, layouts: list[_Layout]) -> tuple[Units, dict[str, tuple[_Table, int]]]:
        ids: list[str] = []
        index: dict[str, int] = {}
        fields: dict[str, list[str]] = {"name": [], "type": [], "group": [], "parent": []}
        first: dict[str, tuple[_Table, int]] = {}
        for layout in layouts:
            table = layout.table
            columns = {field: col for col, field in layout.fields.items()}
            for row, cells in table.rows:
                ident = _cell_text(cells, layout.id_col)
                if not ident:
                    self.error("data_empty_id", table.at(row, table.header[layout.id_col]))
                    continue
                if _is_summary_row(ident):
                    self.error("data_summary_row", table.at(row, table.header[layout.id_col]), id=ident)
                    continue
                if ident in first:
                    where, where_row = first[ident]
                    place = f"{where.file}{f'[{where.sheet}]' if where.sheet else ''}:{where_row}"
                    if where is table:
                        self.error("data_duplicate_unit", table.at(row, table.header[layout.id_col]), id=ident, first=place)
                        continue
                    # The same unit listed again in another table (e.g. a department's
                    # sheet that repeats the names for readability): it must agree.
                    unit = index[ident]
                    for field, values in fields.items():
                        given = _cell_text(cells, columns[field]) if field in columns else ""
                        if given and values[unit] and given != values[unit]:
                            self.error("data_unit_conflict", table.at(row, table.header[columns[field]]), id=ident,
                                       found=given, expected=values[unit], first=place)
                        elif given and not values[unit]:
                            values[unit] = given
                    continue
                first[ident] = (table, row)
                index[ident] = len(ids)
                ids.append(ident)
                for field, values in fields.items():
                    values.append(_cell_text(cells, columns[field]) if field in columns else "")
                unit_type = fields["type"][-1]
                if self.scheme.unit_types and unit_type and unit_type not in self.scheme.unit_types:
                    self.error("data_bad_category", table.at(row, table.header[columns["type"]]), input="type", found=unit_type,
                               suggest=closest(unit_type, self.scheme.unit_types), values=", ".join(self.scheme.unit_types))
        def arr(values: list[str]) -> npt.NDArray[np.str_]:
            return np.array(values, dtype=str) if values else np.array([], dtype="<U1")
        units = Units(arr(ids), arr(fields["name"]), arr(fields["type"]), arr(fields["group"]), arr(fields["parent"]))
        return units, first

    def values(self, layout: _Layout, index: dict[str, int], collector: _Collector) -> None:
        """Read one table's input columns, a column at a time."""
        table = layout.table
        dim_col = next((c for c, f in layout.fields.items() if f == f"dim:{layout.dim}"), None)
        input_cols = [(c, f) for c, f in layout.fields.items() if f in self.scheme.inputs]
        if not input_cols:
            return
        # A header-only table still provides its columns (e.g. nobody had a record).
        collector.seen_inputs.update(f for _, f in input_cols)
        dimension = self.scheme.dimensions.get(layout.dim) if layout.dim else None
        closed = dimension is not None and dimension.values is not None
        id_header = table.header[layout.id_col]
        kept: list[tuple[int, tuple[t.Any, ...]]] = []
        units: list[int] = []
        positions: list[int] = []
        first_row: dict[tuple[int, int], int] = {}
        rejected: set[int] = set()
        for row, cells in table.rows:
            ident = _cell_text(cells, layout.id_col)
            if not ident:
                self.error("data_empty_id", table.at(row, id_header))
                continue
            unit = index.get(ident)
            if unit is None:
                self.unknown_unit(table.at(row, id_header), ident, index)
                continue
            position = 0
            if closed:
                assert dimension is not None and dimension.values is not None and dim_col is not None
                label = _dimension_label(_label(cells[dim_col] if dim_col < len(cells) else None), dimension.values,
                                         _is_monthly(dimension))
                if label not in dimension.values:
                    self.error("data_bad_dim_value", table.at(row, table.header[dim_col]), dim=dimension.title, found=label,
                               values=", ".join(dimension.values))
                    rejected.add(unit)
                    continue
                position = dimension.values.index(label)
            if dimension is None or closed:
                key = (unit, position)
                if key in first_row:
                    column = table.header[dim_col] if dim_col is not None else id_header
                    period = t.cast(tuple[str, ...], dimension.values)[position] if dimension is not None else ""
                    self.error("data_duplicate_row", table.at(row, column), id=ident,
                               dim=dimension.title if dimension is not None else Text("单位", "unit"), period=period, first=first_row[key])
                    continue
                first_row[key] = row
            kept.append((row, cells))
            units.append(unit)
            positions.append(position)
        source = collector.source(table)
        rows = np.array([row for row, _ in kept], dtype=np.int32)
        unit_index = np.array(units, dtype=np.int64)
        position_index = np.array(positions, dtype=np.int64)
        for col, ident_input in input_cols:
            collector.explained.setdefault(ident_input, set()).update(rejected)
            spec = self.scheme.inputs[ident_input]
            raw = [cells[col] if col < len(cells) else None for _, cells in kept]
            values, valid = self.parse_column(spec, raw, table, col, rows)
            collector.put(self, spec, unit_index, position_index, values, valid, rows, source, table.at(None, table.header[col]))

    def parse_column(self, spec: Input, raw: list[t.Any], table: _Table, col: int, rows: npt.NDArray[np.int32]) -> tuple[npt.NDArray[t.Any], npt.NDArray[np.bool_]]:
        """A column of cells → typed values (blank = absent) and which cells are valid.

        Numbers take a vectorised fast path; anything it cannot read (a
        percent sign, full-width digits, a typo) goes through :meth:`parse`
        one cell at a time, which reports the bad cell with its row.
        """
        header = table.header[col]
        count = len(raw)
        valid = np.ones(count, dtype=bool)
        if spec.type in ("number", "count", "percentage"):
            blank = np.array([c is None or (isinstance(c, str) and not c.strip()) for c in raw], dtype=bool)
            values: npt.NDArray[t.Any] | None = None
            if not any(isinstance(c, bool) for c in raw):
                try:
                    values = np.array(["nan" if b else c for c, b in zip(raw, blank)], dtype=np.float64)
                except (ValueError, TypeError):
                    values = None
            if values is None or bool((~np.isfinite(values) & ~blank).any()):
                values = np.full(count, np.nan)
                for i, cell in enumerate(raw):
                    if blank[i]:
                        continue
                    parsed = self.parse(spec, cell, table.at(int(rows[i]), header))
                    if parsed is _INVALID:
                        valid[i] = False
                    else:
                        values[i] = parsed
            filled = valid & ~blank
            if spec.type == "count":
                wrong = filled & ((values < 0) | (values != np.floor(values)))
                for hit in np.flatnonzero(wrong):
                    self.error("data_not_count", table.at(int(rows[hit]), header), input=spec.label, found=raw[hit])
                valid &= ~wrong
                filled &= ~wrong
            if spec.range is not None:
                low, high = spec.range
                outside = filled & ((values < low) | (values > high))
                for hit in np.flatnonzero(outside):
                    self.error("data_out_of_range", table.at(int(rows[hit]), header), input=spec.label,
                               found=f"{values[hit]:g}", lo=f"{low:g}", hi=f"{high:g}")
                valid &= ~outside
            values[~valid] = np.nan
            return values, valid
        out: list[t.Any] = []
        for i, cell in enumerate(raw):
            parsed = self.parse(spec, cell, table.at(int(rows[i]), header)) if cell is not None else None
            if parsed is _INVALID:
                valid[i] = False
                parsed = None
            out.append(parsed)
        if spec.type == "boolean":
            return np.array([bool(v) if v is not None else False for v in out], dtype=bool), valid
        return np.array([v if v is not None else "" for v in out], dtype=object), valid

    def parse(self, spec: Input, raw: t.Any, where: Location) -> t.Any:
        """One cell → a typed value, ``None`` when blank, or ``_INVALID`` (reported).

        Ranges and whole-number checks are applied to the parsed column.
        """
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            return None
        label = spec.label
        if spec.type == "boolean":
            if isinstance(raw, bool):
                return raw
            text = _normalise(raw).lower()
            if isinstance(raw, (int, float)):
                text = value_text(float(raw))
            if text in _TRUE:
                return True
            if text in _FALSE:
                return False
            self.error("data_not_bool", where, input=label, found=raw)
            return _INVALID
        if spec.type == "category":
            text = value_text(raw) if isinstance(raw, (int, float)) else _normalise(raw)
            if spec.values is not None and text not in spec.values:
                self.error("data_bad_category", where, input=label, found=text, suggest=closest(text, spec.values), values=", ".join(spec.values))
                return _INVALID
            return text
        number = _number(raw, spec.type == "percentage")
        if number is None:
            code = "data_not_count" if spec.type == "count" else "data_not_number"
            self.error(code, where, input=label, found=raw)
            return _INVALID
        return number

    def check_manual(self, collector: _Collector) -> None:
        """A hand-given grade must be one of the grade's band values."""
        manual = self.scheme.manual
        if manual is None or manual.input not in collector.columns:
            return
        grade = next(g for g in self.scheme.grades if g.id == manual.grade)
        allowed = [b.result for b in grade.bands]
        given = collector.columns[manual.input]
        for unit in np.flatnonzero(collector.present[manual.input]):
            value = float(given[unit])
            if value not in allowed:
                file, sheet = collector.sources[int(collector.tables[manual.input][unit])]
                where = Location(file, int(collector.rows[manual.input][unit]), self.scheme.inputs[manual.input].title, None, sheet)
                self.error("data_manual_value", where, found=value_text(value), grade=grade.title,
                           values=", ".join(value_text(v) for v in allowed))


_INVALID = object()


class _Collector:
    """Gathers parsed columns per input, then builds the dataset's columns.

    Per-unit and closed-dimension inputs are written straight into their
    final arrays (with presence, origin-row and invalid masks); open-dimension
    inputs are kept as (unit, value) runs and padded at the end.
    """

    def __init__(self, scheme: Scheme, n: int) -> None:
        self.scheme = scheme
        self.n = n
        self.columns: dict[str, npt.NDArray[t.Any]] = {}
        self.present: dict[str, npt.NDArray[np.bool_]] = {}
        self.invalid: dict[str, npt.NDArray[np.bool_]] = {}
        self.rows: dict[str, npt.NDArray[np.int32]] = {}
        self.tables: dict[str, npt.NDArray[np.int32]] = {}
        self.runs: dict[str, list[tuple[npt.NDArray[np.int64], npt.NDArray[t.Any], npt.NDArray[np.bool_], npt.NDArray[np.int32], int]]] = {}
        self.seen_inputs: set[str] = set()
        #: Units whose row for an input was rejected with its own error (a bad month):
        #: the gap it leaves is not reported again as a missing value.
        self.explained: dict[str, set[int]] = {}
        #: First table holding each input (where missing values are reported).
        self.input_files: dict[str, Location] = {}
        self.sources: list[tuple[str, str | None]] = []

    def source(self, table: _Table) -> int:
        self.sources.append((table.file, table.sheet))
        return len(self.sources) - 1

    def _width(self, spec: Input) -> int | None:
        """None per unit, k for a closed dimension, -1 for an open one."""
        if spec.per is None:
            return None
        values = self.scheme.dimensions[spec.per].values
        return len(values) if values is not None else -1

    def _ensure(self, spec: Input) -> None:
        if spec.id in self.columns:
            return
        width = self._width(spec)
        shape: tuple[int, ...] = (self.n,) if width is None else (self.n, width)
        self.columns[spec.id] = _empty(spec, self.n, width)
        self.present[spec.id] = np.zeros(shape, dtype=bool)
        self.invalid[spec.id] = np.zeros(shape, dtype=bool)
        self.rows[spec.id] = np.full(shape, -1, dtype=np.int32)
        self.tables[spec.id] = np.zeros(shape, dtype=np.int32)

    def put(self, reader: _Reader, spec: Input, units: npt.NDArray[np.int64], positions: npt.NDArray[np.int64],
            values: npt.NDArray[t.Any], valid: npt.NDArray[np.bool_], rows: npt.NDArray[np.int32], source: int, where: Location) -> None:
        self.input_files.setdefault(spec.id, Location(where.file, None, None, None, where.sheet))
        if self._width(spec) == -1:
            self.runs.setdefault(spec.id, []).append((units, values, valid, rows, source))
            return
        self._ensure(spec)
        filled = valid & _filled(spec, values)
        index: tuple[npt.NDArray[np.int64], ...] = (units,) if spec.per is None else (units, positions)
        present = self.present[spec.id]
        clash = filled & present[index]
        for i in np.flatnonzero(clash):  # the same cell given again in another table
            cell = tuple(int(axis[i]) for axis in index)
            reader.error("data_duplicate_row", Location(where.file, int(rows[i]), where.column, None, where.sheet),
                         id=str(reader.unit_ids[cell[0]]), dim=Text("单位", "unit"), period="", first=int(self.rows[spec.id][cell]))
        filled &= ~clash
        pick = tuple(axis[filled] for axis in index)
        self.columns[spec.id][pick] = values[filled]
        present[pick] = True
        self.rows[spec.id][pick] = rows[filled]
        self.tables[spec.id][pick] = source
        self.invalid[spec.id][tuple(axis[~valid] for axis in index)] = True

    def manual_mask(self) -> npt.NDArray[np.bool_]:
        manual = self.scheme.manual
        if manual is None or manual.input not in self.present:
            return np.zeros(self.n, dtype=bool)
        return self.present[manual.input].copy()

    def finish(self, reader: _Reader, units: Units, manual: npt.NDArray[np.bool_]) -> tuple[
        dict[str, npt.NDArray[t.Any]], dict[str, tuple[str, ...]], dict[str, npt.NDArray[np.int32]], dict[str, npt.NDArray[np.int32]]
    ]:
        padded = {ident: self._pad(self.scheme.inputs[ident]) for ident in self.runs}
        widths: dict[str, int] = {}
        for ident, (column, _, _) in padded.items():
            dim = t.cast(str, self.scheme.inputs[ident].per)
            widths[dim] = max(widths.get(dim, 1), column.shape[1])
        labels = {
            ident: dim.values if dim.values is not None else tuple(str(i + 1) for i in range(widths.get(ident, 1)))
            for ident, dim in self.scheme.dimensions.items()
        }
        columns: dict[str, npt.NDArray[t.Any]] = {}
        rows: dict[str, npt.NDArray[np.int32]] = {}
        tables: dict[str, npt.NDArray[np.int32]] = {}
        for spec in self.scheme.inputs.values():
            manual_input = self.scheme.manual is not None and spec.id == self.scheme.manual.input
            everyone_manual = bool(len(manual) and manual.all())
            if spec.id not in self.seen_inputs and not manual_input and not everyone_manual and spec.missing != "zero":
                reader.error("data_missing_column", reader.data_location, input=spec.label, id=spec.id, title=spec.title)
                continue
            if self._width(spec) == -1:
                width = len(labels[t.cast(str, spec.per)])
                column, row, table = padded.get(spec.id) or (
                    _empty(spec, self.n, 0), np.full((self.n, 0), -1, np.int32), np.zeros((self.n, 0), np.int32))
                if column.shape[1] < width:  # all open inputs of a dimension share its width
                    extra = width - column.shape[1]
                    column = np.concatenate([column, _empty(spec, self.n, extra)], axis=1)
                    row = np.concatenate([row, np.full((self.n, extra), -1, np.int32)], axis=1)
                    table = np.concatenate([table, np.zeros((self.n, extra), np.int32)], axis=1)
            else:
                self._ensure(spec)
                column, row, table = self.columns[spec.id], self.rows[spec.id], self.tables[spec.id]
                if not manual_input:
                    self.apply_missing(reader, spec, column, units, manual)
            if spec.type == "category":
                column = column.astype(_text_dtype(spec))
            columns[spec.id], rows[spec.id], tables[spec.id] = column, row, table
        return columns, labels, rows, tables

    def _pad(self, spec: Input) -> tuple[npt.NDArray[t.Any], npt.NDArray[np.int32], npt.NDArray[np.int32]]:
        """Open-dimension runs → (n, k) arrays; every data row is one position."""
        runs = self.runs[spec.id]
        units = np.concatenate([r[0] for r in runs])
        values = np.concatenate([np.where(r[2], r[1], _absent(spec)) for r in runs])
        rows = np.concatenate([r[3] for r in runs])
        tables = np.concatenate([np.full(len(r[0]), r[4], dtype=np.int32) for r in runs])
        count = len(units)
        position = np.zeros(count, dtype=np.int64)
        if count:
            order = np.argsort(units, kind="stable")
            ordered = units[order]
            starts = np.r_[True, ordered[1:] != ordered[:-1]]
            run_start = np.maximum.accumulate(np.where(starts, np.arange(count), 0))
            position[order] = np.arange(count) - run_start
        width = int(position.max()) + 1 if count else 0
        column = _empty(spec, self.n, width)
        column[units, position] = values
        row = np.full((self.n, width), -1, dtype=np.int32)
        row[units, position] = rows
        table = np.zeros((self.n, width), dtype=np.int32)
        table[units, position] = tables
        return column, row, table

    def apply_missing(self, reader: _Reader, spec: Input, column: npt.NDArray[t.Any], units: Units, manual: npt.NDArray[np.bool_]) -> None:
        """Apply the input's missing policy to a per-unit or closed-dimension column."""
        absent = ~self.present[spec.id] & ~self.invalid[spec.id]  # bad cells are reported already
        if absent.ndim == 2:
            absent &= ~manual[:, None]
        else:
            absent &= ~manual
        if not absent.any():
            return
        if spec.missing == "zero":
            column[absent] = False if spec.type == "boolean" else (0.0 if spec.type != "category" else "")
            return
        if spec.missing == "skip":
            return
        location = self.input_files.get(spec.id, reader.data_location)
        # One message per unit and input: "月份 3, 7" rather than one per cell,
        # and "全部" when a unit has no row at all.
        limit = 200
        units_missing = np.flatnonzero(absent.any(axis=1) if absent.ndim == 2 else absent)
        explained = self.explained.get(spec.id)
        if explained:
            units_missing = np.array([u for u in units_missing if int(u) not in explained], dtype=np.int64)
        for unit in units_missing[:limit]:
            place: Text | str = ""
            if absent.ndim == 2:
                dimension = self.scheme.dimensions[t.cast(str, spec.per)]
                values = t.cast(tuple[str, ...], dimension.values)
                gaps = np.flatnonzero(absent[unit])
                if len(gaps) == len(values):
                    place = Text(f"（全部 {len(values)} 个{dimension.title}都没有）", f" (no {dimension.title} at all)")
                else:
                    labels = ", ".join(values[g] for g in gaps)
                    place = Text(f"（{dimension.title} {labels}）", f" ({dimension.title} {labels})")
            reader.error("data_missing_value", location, id=str(units.ids[unit]), name=str(units.names[unit]), input=spec.label, where=place)
        if len(units_missing) > limit:
            reader.error("data_missing_more", location, input=spec.label, count=len(units_missing) - limit)



def _is_correction_table(table: _Table) -> bool:
    """A correction table is told by its "更正后" (corrected value) column."""
    return any(h.lower() in ("更正后", "更正值", "corrected") for h in table.header)


def _empty(spec: Input, n: int, width: int | None) -> npt.NDArray[t.Any]:
    """An all-absent column: NaN numbers, False booleans, "" texts (object until finished)."""
    shape: tuple[int, ...] = (n,) if width is None else (n, width)
    if spec.type == "boolean":
        return np.zeros(shape, dtype=bool)
    if spec.type == "category":
        return np.full(shape, "", dtype=object)
    return np.full(shape, np.nan)


def _absent(spec: Input) -> t.Any:
    return False if spec.type == "boolean" else ("" if spec.type == "category" else np.nan)


def _filled(spec: Input, values: npt.NDArray[t.Any]) -> npt.NDArray[np.bool_]:
    """Which parsed cells hold a value (blank cells parse to the absent value)."""
    if spec.type == "category":
        return np.array([v != "" for v in values], dtype=bool)
    if spec.type == "boolean":
        return np.ones(values.shape, dtype=bool)
    filled: npt.NDArray[np.bool_] = ~np.isnan(values)
    return filled


def _text_dtype(spec: Input) -> str:
    longest = max((len(v) for v in spec.values or ()), default=16)
    return f"<U{max(longest, 16)}"


def _cell_text(cells: t.Sequence[t.Any], col: int) -> str:
    if col >= len(cells) or cells[col] is None:
        return ""
    value = cells[col]
    return value_text(value) if isinstance(value, (int, float)) else _normalise(value)


_CHINESE_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
#: "1月", "01月份", "一月", "第3季度", "2024年1月", "第十二次": a number with the words clerks put around it.
_ORDINAL = re.compile(r"(?:\d{4}年)?第?(\d{1,2}|[一二三四五六七八九十]{1,3})(?:月份|月|季度|季|次|期|号|日)?")


_MONTHS = tuple(str(month) for month in range(1, 13))


def _is_monthly(dimension: t.Any) -> bool:
    """A dimension of months (月份 1–12, or some of them): a date cell means its month."""
    return bool(dimension.values) and set(dimension.values) <= set(_MONTHS) and (
        "月" in dimension.title or dimension.id.startswith("month"))
_DATE = re.compile(r"\d{4}[-/.](\d{1,2})(?:[-/.]\d{1,2})?(?: 00:00:00)?")


def _chinese_number(text: str) -> int | None:
    """一 … 九十九 as a number (十二 = 12, 二十 = 20), None when it is not one.

    >>> _chinese_number("十二"), _chinese_number("二十一"), _chinese_number("十十")
    (12, 21, None)
    """
    if "十" not in text:
        return _CHINESE_DIGITS.get(text) if len(text) == 1 else None
    tens, _, ones = text.partition("十")
    if "十" in ones or (tens and tens not in _CHINESE_DIGITS) or (ones and ones not in _CHINESE_DIGITS):
        return None
    return (_CHINESE_DIGITS[tens] if tens else 1) * 10 + (_CHINESE_DIGITS[ones] if ones else 0)


def _dimension_label(label: str, values: tuple[str, ...], monthly: bool = False) -> str:
    """A closed dimension's cell matched to its declared values.

    Numbered values (months 1–12, quarters 1–4) also accept the ways a
    clerk writes them, and a ``monthly`` dimension a date (its month);
    anything else must match exactly.

    >>> [_dimension_label(x, _MONTHS, monthly=True) for x in ("1月", "一月", "2024年12月", "第3季度", "十三月", "2024-03-01 00:00:00", "2024/7")]
    ['1', '1', '12', '3', '十三月', '3', '7']
    """
    if label in values or not all(v.isdigit() for v in values):
        return label
    dated = _DATE.fullmatch(label)
    if dated and monthly:
        # A month typed as 2024-01 or 2024/1 (Excel turns it into a date cell: 2024-01-01 00:00:00).
        month = str(int(dated.group(1)))
        return month if month in values else label
    match = _ORDINAL.fullmatch(label)
    if match is None:
        return label
    number = match.group(1)
    value = int(number) if number.isdigit() else _chinese_number(number)
    return str(value) if value is not None and str(value) in values else label


def _label(value: t.Any) -> str:
    """A dimension cell as a label: 1, 1.0, "01" and "1" are all "1"."""
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value_text(float(value))
    text = _normalise(value)
    number = _number(text, False)
    return value_text(number) if number is not None else text


def _number(raw: t.Any, percentage: bool) -> float | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, (int, float)):
        value = float(raw)
        return value if math.isfinite(value) else None
    text = _normalise(raw).replace(",", "")
    if percentage and text.endswith("%"):
        text = text[:-1].strip()
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def dataset_from_columns(
    scheme: Scheme,
    ids: t.Sequence[str],
    columns: t.Mapping[str, npt.NDArray[t.Any]],
    *,
    names: t.Sequence[str] | None = None,
    groups: t.Sequence[str] | None = None,
    types: t.Sequence[str] | None = None,
) -> Dataset:
    """Build a Dataset directly from arrays (benchmarks, embedding in other tools).

    The caller is responsible for types and shapes; no file checks apply.
    """
    n = len(ids)
    labels = {}
    for ident, dim in scheme.dimensions.items():
        if dim.values is not None:
            labels[ident] = dim.values
        else:
            width = max((columns[i].shape[1] for i, s in scheme.inputs.items() if s.per == ident and i in columns), default=1)
            labels[ident] = tuple(str(k + 1) for k in range(width))
    def arr(values: t.Sequence[str] | None) -> npt.NDArray[np.str_]:
        return np.asarray(values if values is not None else [""] * n, dtype=str)
    units = Units(np.asarray(ids, dtype=str), arr(names), arr(types), arr(groups), arr(None))
    return Dataset(units, dict(columns), labels)
