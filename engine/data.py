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
import typing as t
import unicodedata
from pathlib import Path

import numpy as np
import numpy.typing as npt

from engine.compiler import value_text
from engine.errors import DataError, Location, Problem, sorted_problems
from engine.messages import Text, closest
from engine.model import Input, Scheme

ID_ALIASES = ("id", "unit", "编号", "代码", "单位编号", "人员编号", "对象编号")
NAME_ALIASES = ("name", "名称", "姓名", "单位名称")
TYPE_ALIASES = ("type", "类型", "单位类型")
GROUP_ALIASES = ("group", "分组")
PARENT_ALIASES = ("parent", "上级", "上级编号")

#: Columns people keep beside the data (remarks, document numbers); read past silently.
NOTE_COLUMNS = {"备注", "说明", "序号", "文号", "日期", "填报人", "remark", "remarks", "note", "notes", "no."}

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
    #: Origin of each (input, unit index) → cells in position order; only
    #: filled when read from files.
    origins: t.Mapping[tuple[str, int], tuple[Origin | None, ...]] = dataclasses.field(default_factory=dict)
    #: Non-fatal problems met while reading (ignored columns …).
    warnings: tuple[Problem, ...] = ()

    def take(self, index: int) -> Dataset:
        """The dataset restricted to one unit (for tracing)."""
        pick = slice(index, index + 1)
        units = Units(*(getattr(self.units, f.name)[pick] for f in dataclasses.fields(Units)))
        columns = {name: column[pick] for name, column in self.columns.items()}
        origins = {(name, 0): cells for (name, i), cells in self.origins.items() if i == index}
        return Dataset(units, columns, self.dim_labels, origins)


# ---------------------------------------------------------------------------
# Raw tables


@dataclasses.dataclass(frozen=True)
class _Table:
    file: str
    sheet: str | None
    header: tuple[str, ...]
    #: (spreadsheet row number, cells) for every non-empty row.
    rows: tuple[tuple[int, tuple[t.Any, ...]], ...]

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


def _read_xlsx(path: Path, problems: list[Problem]) -> list[_Table]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as err:  # openpyxl raises many kinds for a damaged file
        problems.append(Problem.at("data_xlsx_unreadable", Location(str(path)), reason=str(err) or type(err).__name__))
        return []
    tables = []
    try:
        for sheet in book.worksheets:
            rows = []
            for row in sheet.iter_rows():
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
    return tables


def _make_table(file: str, sheet: str | None, rows: list[t.Any]) -> _Table:
    def empty(cells: t.Sequence[t.Any]) -> bool:
        return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)

    numbered = [(i + 1, tuple(cells)) for i, cells in enumerate(rows) if not empty(cells)]
    if not numbered:
        return _Table(file, sheet, (), ())
    header_row, header = numbered[0]
    names = tuple(_normalise(h) if h is not None else "" for h in header)
    return _Table(file, sheet, names, tuple(numbered[1:]))


# ---------------------------------------------------------------------------
# Reading


def read_dataset(scheme: Scheme, paths: t.Sequence[str | Path]) -> Dataset:
    """Read the data files at ``paths`` (files or folders) for ``scheme``.

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
        elif path.suffix.lower() == ".csv":
            tables.extend(_read_csv(path, problems))
        elif path.suffix.lower() == ".xlsx":
            tables.extend(_read_xlsx(path, problems))
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
        self.aliases = {name.lower(): field for name, field in aliases.items()}
        self.subject_id = f"{scheme.subject}编号" if scheme.subject else None

    def error(self, code: str, location: Location, **args: t.Any) -> None:
        self.problems.append(Problem.at(code, location, **args))

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
                self.error("data_duplicate_column", table.at(1, header), column=header, first=seen[field] + 1, field=field)
                continue
            seen[field] = col
            fields[col] = field
        if id_col is None:
            self.error("data_no_id_column", table.at(1), aliases=", ".join(ID_ALIASES + ((self.subject_id,) if self.subject_id else ())))
            return None
        inputs = [f for f in fields.values() if f in self.scheme.inputs]
        dims = {self.scheme.inputs[f].per for f in inputs}
        if len(dims) > 1:
            found = ", ".join(f"{f}→{self.scheme.inputs[f].per or '单位'}" for f in inputs)
            self.error("data_mixed_dims", table.at(1), found=found)
            return None
        dim = dims.pop() if dims else None
        if dim is None:
            dim_cols = [f for f in fields.values() if f.startswith("dim:")]
            if dim_cols and not inputs:
                dim = dim_cols[0][4:]
        if dim is not None:
            declared = self.scheme.dimensions[dim]
            if declared.values is not None and f"dim:{dim}" not in fields.values():
                self.error("data_missing_dim_column", table.at(1), dim=declared.title, values=", ".join(declared.values))
                return None
        if unknown:
            candidates = [i.title for i in self.scheme.inputs.values()] + list(self.scheme.inputs)
            self.problems.append(Problem.at(
                "data_unknown_columns", table.at(1), "warning",
                columns=", ".join(unknown), suggest=closest(unknown[0], candidates),
            ))
        return _Layout(table, id_col, fields, dim)

    # -- the whole dataset ---------------------------------------------------
    def read(self, tables: list[_Table]) -> Dataset:
        self.data_location = Location(", ".join(sorted({t.file for t in tables})))
        layouts = [layout for layout in map(self.layout, tables) if layout is not None]
        unit_layouts = [l for l in layouts if l.dim is None and "name" in l.fields.values()]
        if not unit_layouts and not any(p.severity == "error" for p in self.problems):
            self.error("data_no_units", self.data_location)
        units, unit_rows = self.units(unit_layouts)
        if any(p.severity == "error" for p in self.problems):
            raise DataError(self.problems)
        index = units.index()
        n = len(units)
        collector = _Collector(self.scheme, n)
        for layout in layouts:
            self.values(layout, index, collector)
        manual = self.manual_mask(collector, n)
        self.check_manual(collector)
        columns, labels = collector.finish(self, units, manual)
        errors = [p for p in self.problems if p.severity == "error"]
        if errors:
            raise DataError(self.problems)
        return Dataset(units, columns, labels, collector.origin_map(), sorted_problems(self.problems))

    def units(self, layouts: list[_Layout]) -> tuple[Units, dict[str, tuple[_Table, int]]]:
        ids: list[str] = []
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
                if ident in first:
                    where, where_row = first[ident]
                    place = f"{where.file}{f'[{where.sheet}]' if where.sheet else ''}:{where_row}"
                    self.error("data_duplicate_unit", table.at(row, table.header[layout.id_col]), id=ident, first=place)
                    continue
                first[ident] = (table, row)
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
        table = layout.table
        dim_col = next((c for c, f in layout.fields.items() if f == f"dim:{layout.dim}"), None)
        input_cols = [(c, f) for c, f in layout.fields.items() if f in self.scheme.inputs]
        if not input_cols:
            return
        # A header-only table still provides its columns (e.g. nobody had a record).
        collector.seen_inputs.update(f for _, f in input_cols)
        dimension = self.scheme.dimensions.get(layout.dim) if layout.dim else None
        id_header = table.header[layout.id_col]
        for row, cells in table.rows:
            ident = _cell_text(cells, layout.id_col)
            if not ident:
                self.error("data_empty_id", table.at(row, id_header))
                continue
            unit = index.get(ident)
            if unit is None:
                self.error("data_unknown_unit", table.at(row, id_header), id=ident, suggest=closest(ident, index))
                continue
            position: int | str | None = None
            if dimension is not None and dimension.values is not None:
                assert dim_col is not None
                label = _label(cells[dim_col] if dim_col < len(cells) else None)
                if label not in dimension.values:
                    self.error("data_bad_dim_value", table.at(row, table.header[dim_col]), dim=dimension.title, found=label,
                               values=", ".join(dimension.values))
                    continue
                position = dimension.values.index(label)
            elif dimension is not None:
                position = "append"
            for col, ident_input in input_cols:
                spec = self.scheme.inputs[ident_input]
                raw = cells[col] if col < len(cells) else None
                value = self.parse(spec, raw, table.at(row, table.header[col]))
                if value is _INVALID:
                    # Reported already; don't report the same cell again as missing.
                    collector.invalid.add((spec.id, unit, position if isinstance(position, int) else None))
                    continue
                collector.put(self, spec, unit, ident, position, value, Origin(table.file, table.sheet, row), table.at(row, table.header[col]))

    def parse(self, spec: Input, raw: t.Any, where: Location) -> t.Any:
        """One cell → a typed value, ``None`` when blank, or ``_INVALID`` (reported)."""
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
        if spec.type == "count" and (number < 0 or not float(number).is_integer()):
            self.error("data_not_count", where, input=label, found=raw)
            return _INVALID
        if spec.range is not None and not spec.range[0] <= number <= spec.range[1]:
            self.error("data_out_of_range", where, input=label, found=f"{number:g}", lo=f"{spec.range[0]:g}", hi=f"{spec.range[1]:g}")
            return _INVALID
        return number

    def check_manual(self, collector: _Collector) -> None:
        """A hand-given grade must be one of the grade's band values."""
        manual = self.scheme.manual
        if manual is None:
            return
        grade = next(g for g in self.scheme.grades if g.id == manual.grade)
        allowed = [b.result for b in grade.bands]
        for unit, value in collector.unit_values.get(manual.input, {}).items():
            if value is not None and value not in allowed:
                origin = collector.origins[(manual.input, unit)][0]
                where = Location(origin.file, origin.row, self.scheme.inputs[manual.input].title, None, origin.sheet) if origin else self.data_location
                self.error("data_manual_value", where, found=value_text(value), grade=grade.title,
                           values=", ".join(value_text(v) for v in allowed))

    def manual_mask(self, collector: _Collector, n: int) -> npt.NDArray[np.bool_]:
        manual = self.scheme.manual
        if manual is None:
            return np.zeros(n, dtype=bool)
        values = collector.unit_values.get(manual.input, {})
        mask = np.zeros(n, dtype=bool)
        for unit, value in values.items():
            mask[unit] = value is not None
        return mask


_INVALID = object()


class _Collector:
    """Gathers parsed cells per input, then builds the columns."""

    def __init__(self, scheme: Scheme, n: int) -> None:
        self.scheme = scheme
        self.n = n
        self.unit_values: dict[str, dict[int, t.Any]] = {}
        self.dim_values: dict[str, dict[int, list[t.Any]]] = {}
        self.origins: dict[tuple[str, int], list[Origin | None]] = {}
        self.first_seen: dict[tuple[str, int, int | str | None], int] = {}
        self.seen_inputs: set[str] = set()
        #: Cells whose value was bad (already reported): (input, unit, position).
        self.invalid: set[tuple[str, int, int | None]] = set()
        #: First file holding each input (where missing values are reported).
        self.input_files: dict[str, Location] = {}

    def put(self, reader: _Reader, spec: Input, unit: int, ident: str, position: int | str | None, value: t.Any, origin: Origin, where: Location) -> None:
        self.seen_inputs.add(spec.id)
        self.input_files.setdefault(spec.id, Location(origin.file, None, None, None, where.sheet))
        if position is None:
            bucket = self.unit_values.setdefault(spec.id, {})
            if unit in bucket:
                reader.error("data_duplicate_row", where, id=ident, dim=Text("单位", "unit"), period="", first=self.first_seen[(spec.id, unit, None)])
                return
            self.first_seen[(spec.id, unit, None)] = origin.row
            bucket[unit] = value
            self.origins[(spec.id, unit)] = [origin]
            return
        dimension = self.scheme.dimensions[t.cast(str, spec.per)]
        cells = self.dim_values.setdefault(spec.id, {}).setdefault(unit, [])
        origins = self.origins.setdefault((spec.id, unit), [])
        if position == "append":
            cells.append(value)
            origins.append(origin)
            return
        assert isinstance(position, int) and dimension.values is not None
        key = (spec.id, unit, position)
        if key in self.first_seen:
            reader.error("data_duplicate_row", where, id=ident, dim=dimension.title, period=dimension.values[position], first=self.first_seen[key])
            return
        self.first_seen[key] = origin.row
        if not cells:
            cells.extend([None] * len(dimension.values))
            origins.extend([None] * len(dimension.values))
        cells[position] = value
        origins[position] = origin

    def origin_map(self) -> dict[tuple[str, int], tuple[Origin | None, ...]]:
        return {key: tuple(value) for key, value in self.origins.items()}

    def finish(self, reader: _Reader, units: Units, manual: npt.NDArray[np.bool_]) -> tuple[dict[str, npt.NDArray[t.Any]], dict[str, tuple[str, ...]]]:
        columns: dict[str, npt.NDArray[t.Any]] = {}
        labels: dict[str, tuple[str, ...]] = {}
        widths: dict[str, int] = {}
        for spec in self.scheme.inputs.values():
            if spec.per is not None and self.scheme.dimensions[spec.per].values is None:
                per_unit = self.dim_values.get(spec.id, {})
                widths[spec.per] = max(widths.get(spec.per, 1), max((len(v) for v in per_unit.values()), default=1))
        for ident, dim in self.scheme.dimensions.items():
            labels[ident] = dim.values if dim.values is not None else tuple(str(i + 1) for i in range(widths.get(ident, 1)))
        for spec in self.scheme.inputs.values():
            manual_input = self.scheme.manual is not None and spec.id == self.scheme.manual.input
            if spec.id not in self.seen_inputs and not manual_input and not bool(manual.all() and len(manual)):
                if spec.missing != "zero":
                    reader.error("data_missing_column", reader.data_location, input=spec.label, id=spec.id, title=spec.title)
                    continue
            width = len(labels[spec.per]) if spec.per else None
            column = _empty(spec, self.n, width)
            if spec.per is None:
                for unit, value in self.unit_values.get(spec.id, {}).items():
                    if value is not None:
                        column[unit] = value
            else:
                for unit, values in self.dim_values.get(spec.id, {}).items():
                    for pos, value in enumerate(values):
                        if value is not None:
                            column[unit, pos] = value
            self.apply_missing(reader, spec, column, units, manual, manual_input)
            columns[spec.id] = column
        return columns, labels

    def apply_missing(self, reader: _Reader, spec: Input, column: npt.NDArray[t.Any], units: Units, manual: npt.NDArray[np.bool_], manual_input: bool) -> None:
        if manual_input:
            return
        closed = spec.per is None or self.scheme.dimensions[spec.per].values is not None
        if not closed:
            return  # an open dimension has no "missing": fewer raters are fewer rows
        if spec.type in ("boolean", "category"):
            present = self._present_mask(spec)
        else:
            present = ~np.isnan(column)
        absent = ~present
        if absent.ndim == 2:
            absent &= ~manual[:, None]
        else:
            absent &= ~manual
        for ident, unit, position in self.invalid:
            if ident == spec.id:
                absent[unit if position is None else (unit, position)] = False
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

    def _present_mask(self, spec: Input) -> npt.NDArray[np.bool_]:
        if spec.per is None:
            mask = np.zeros(self.n, dtype=bool)
            for unit, value in self.unit_values.get(spec.id, {}).items():
                mask[unit] = value is not None
            return mask
        width = len(t.cast(tuple[str, ...], self.scheme.dimensions[spec.per].values))
        mask2 = np.zeros((self.n, width), dtype=bool)
        for unit, values in self.dim_values.get(spec.id, {}).items():
            for pos, value in enumerate(values):
                mask2[unit, pos] = value is not None
        return mask2


def _empty(spec: Input, n: int, width: int | None) -> npt.NDArray[t.Any]:
    shape: tuple[int, ...] = (n,) if width is None else (n, width)
    if spec.type == "boolean":
        return np.zeros(shape, dtype=bool)
    if spec.type == "category":
        longest = max((len(v) for v in spec.values or ()), default=16)
        return np.full(shape, "", dtype=f"<U{max(longest, 16)}")
    return np.full(shape, np.nan)


def _cell_text(cells: t.Sequence[t.Any], col: int) -> str:
    if col >= len(cells) or cells[col] is None:
        return ""
    value = cells[col]
    return value_text(value) if isinstance(value, (int, float)) else _normalise(value)


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
