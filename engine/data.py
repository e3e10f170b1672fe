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

import contextlib
import dataclasses
import difflib
import itertools
import math
import os
import re
import typing as t
from pathlib import Path

import numpy as np
import numpy.typing as npt
import polars as pl

from engine.compiler import value_text
from engine.errors import DataError, Location, Problem, sorted_problems
from engine.messages import Text, closest
from engine.model import Dimension, Input, Scheme
from engine import tables as tables_mod
from engine.tables import Table, normalise as _normalise

#: (file, rows read so far, whether that file is finished).
Progress = t.Callable[[str, int, bool], None]

#: Lines under a table that are not units (合计 rows, signatures).
SUMMARY_ROWS = ("合计", "总计", "小计", "平均", "平均分", "均值", "备注", "说明", "注")
FOOTER_WORDS = ("填表人", "填报人", "审核人", "制表人", "负责人签字", "填表日期", "制表日期", "签字", "签章", "盖章")
#: Words that start a note or date line under a table (注：…, 日期：…).
NOTE_PREFIXES = ("注", "说明", "备注", "日期")


def _is_summary_row(ident: str) -> bool:
    """Whether an id cell holds 合计/平均 or a signature line rather than a unit id.

    >>> _is_summary_row("合 计"), _is_summary_row("填表人：张三"), _is_summary_row("注：以上为初评"), _is_summary_row("D001")
    (True, True, True, False)
    """
    compact = ident.replace(" ", "").replace("\u3000", "")
    return (compact.rstrip("：:") in SUMMARY_ROWS or any(w in compact for w in FOOTER_WORDS)
            or compact.startswith(tuple(f"{w}{c}" for w in NOTE_PREFIXES for c in "：:")))


ID_ALIASES = ("id", "unit", "编号", "代码", "单位编号", "人员编号", "对象编号")
NAME_ALIASES = ("name", "名称", "姓名", "单位名称")
TYPE_ALIASES = ("type", "类型", "单位类型")
GROUP_ALIASES = ("group", "分组")
PARENT_ALIASES = ("parent", "上级", "上级编号")

#: Columns people keep beside the data (remarks, document numbers); read past silently.
NOTE_COLUMNS = {"备注", "说明", "序号", "文号", "日期", "填报人", "票号", "remark", "remarks", "note", "notes", "no."}


_TRUE = {"是", "1", "true", "yes", "y", "√", "✓", "有", "t"}
_FALSE = {"否", "0", "false", "no", "n", "×", "✗", "无", "f"}
#: A Latin x in a yes/no cell: typed for × (否) by some, as a tick (是) by others — asked, not guessed.
_AMBIGUOUS_BOOL = {"x"}


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
# Reading


#: Correction-table headers (they are known columns, so the header is found).
CORRECTION_HEADERS = ("输入项", "input", "项目", "原值", "原分", "old", "更正后", "更正值", "corrected", "new", "理由", "原因", "依据", "reason", "月份")

_SUMMARY_PATTERN = (
    r"^(?:" + "|".join(SUMMARY_ROWS) + r")[：:]?$"
    + r"|" + "|".join(FOOTER_WORDS)
    + r"|^(?:" + "|".join(NOTE_PREFIXES) + r")[：:]"
)


#: Every 合计/签字 word holds one of these characters: cells without any are not looked at further.
_SUMMARY_CHARS = "[" + "".join(sorted({c for w in SUMMARY_ROWS + FOOTER_WORDS + NOTE_PREFIXES for c in w})) + "]"


def _summary_mask(series: pl.Series) -> npt.NDArray[np.bool_]:
    """Which cells of a text column hold 合计/平均 or a signature/date line."""
    mask = np.zeros(len(series), dtype=bool)
    maybe = series.str.contains(_SUMMARY_CHARS).fill_null(False).to_numpy()
    if not maybe.any():
        return mask
    at = np.flatnonzero(maybe)
    compact = series.gather(at).str.replace_all(r"[\s\u3000]", "").str.replace_all("：", ":")
    pattern = _SUMMARY_PATTERN.replace("[：:]", ":")
    mask[at] = compact.str.contains(pattern).fill_null(False).to_numpy()
    return mask


def read_dataset(
    scheme: Scheme,
    paths: t.Sequence[str | Path],
    progress: Progress | None = None,
) -> Dataset:
    """Read the data files at ``paths`` (files or folders, each read once) for ``scheme``.

    Args:
        progress: called with (file, rows read, finished) after each file,
            so a command line can show progress on large data.

    Raises:
        DataError: with every problem found, when any is an error.
    """
    problems: list[Problem] = []
    files = tables_mod.expand(paths, problems)
    if not files:
        raise DataError([*problems, Problem.at("data_no_files", Location(", ".join(map(str, paths))))])
    reader = _Reader(scheme, problems, progress)
    tables: list[Table] = []
    with _without_huge_pages():
        for path in files:
            tables.extend(tables_mod.read_tables(path, reader.vocabulary, problems, reader.numeric))
        if any(p.severity == "error" for p in problems):
            raise DataError(problems)
        return reader.read(tables)


@contextlib.contextmanager
def _without_huge_pages() -> t.Iterator[None]:
    """While reading, numpy's large arrays take ordinary pages instead of transparent huge pages.

    Why: the reader makes gigabytes of fresh arrays at a million members.
    On a virtual machine that hands freed memory back to its host (free
    page reporting, memory balloons: Firecracker and many cloud VMs, the
    benchmark's machine among them), faulting in a fresh 2 MiB huge page
    costs far more than the 4 KiB pages it replaces: on the 2-core
    benchmark VM a whole 1M-member run spent 15 s in the kernel with huge
    pages and 8–10 s without. On bare metal huge pages are a little faster.
    ``NUMPY_MADVISE_HUGEPAGE`` set in the environment is numpy's own switch
    and is respected. The setting is restored afterwards.
    """
    switch = None
    if "NUMPY_MADVISE_HUGEPAGE" not in os.environ:
        for module in ("numpy._core.multiarray", "numpy.core.multiarray"):
            try:
                switch = getattr(__import__(module, fromlist=["_set_madvise_hugepage"]), "_set_madvise_hugepage")
                break
            except (ImportError, AttributeError):
                continue
    before = switch(False) if switch is not None else None
    try:
        yield
    finally:
        if switch is not None:
            switch(before)


@dataclasses.dataclass
class _Layout:
    """What each column of a table holds."""

    table: Table
    id_col: int
    fields: dict[int, str]  # column index → "name"/"type"/"group"/"parent"/"dim"/input id
    dim: str | None
    #: The table has no id column: its units are matched by name.
    by_name: bool = False
    #: Position of a closed dimension taken from the sheet name (one sheet per month).
    sheet_position: int | None = None


class _Reader:
    def __init__(self, scheme: Scheme, problems: list[Problem], progress: Progress | None = None) -> None:
        self.scheme = scheme
        self.problems = problems
        self.progress = progress
        #: Per open dimension given by several tables: the (unit, rater) keys read so far and where.
        self.open_seen: dict[str, tuple[pl.Series, list[str]]] = {}
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
        words = set(self.aliases) | set(ID_ALIASES) | NOTE_COLUMNS | {_normalise(w).lower() for w in CORRECTION_HEADERS}
        if self.subject_id:
            words.add(self.subject_id.lower())
        self.vocabulary = frozenset(words)
        #: Headers of numeric inputs: their CSV columns are read straight as numbers.
        self.numeric = frozenset(
            _normalise(name).lower() for ident, spec in scheme.inputs.items() if spec.type in ("number", "count", "percentage")
            for name in (ident, spec.title))

    def error(self, code: str, location: Location, **args: t.Any) -> None:
        found = args.get("found")
        if isinstance(found, str) and len(found) > 60:
            args["found"] = f"{found[:40]}…（共 {len(found):,} 字）"  # a pasted paragraph is not echoed whole
        self.problems.append(Problem.at(code, location, **args))

    def warn(self, code: str, location: Location, **args: t.Any) -> None:
        self.problems.append(Problem.at(code, location, "warning", **args))

    def unknown_unit(self, location: Location, ident: str, index: t.Mapping[str, int], by_name: bool = False) -> None:
        """An id not in the unit list, with the listed id it most likely means."""
        if ident.isdigit() and not by_name:
            # Excel turns 001 into the number 1; say so rather than "did you mean".
            if not hasattr(self, "_unpadded"):
                unpadded: dict[str, list[str]] = {}
                for listed in index:
                    if listed.isdigit():
                        unpadded.setdefault(listed.lstrip("0"), []).append(listed)
                self._unpadded = unpadded
            padded = self._unpadded.get(ident.lstrip("0"), [])
            if len(padded) == 1:
                self.error("data_unknown_unit_zeros", location, id=ident, listed=padded[0])
                return
        if by_name:
            self.error("data_unknown_name", location, name=ident, suggest=closest(ident, list(self.name_index)))
            return
        self.error("data_unknown_unit", location, id=ident, suggest=closest(ident, index))

    # -- layout of each table --------------------------------------------------
    def layout(self, table: Table) -> _Layout | None:
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
        by_name = False
        if id_col is None:
            name_col = next((c for c, f in fields.items() if f == "name"), None)
            if name_col is None:
                self.error("data_no_id_column", table.at(table.header_row), aliases=", ".join(ID_ALIASES + ((self.subject_id,) if self.subject_id else ())))
                return None
            # 序号 + 单位名称 and no 编号: the units are matched by name.
            id_col, by_name = name_col, True
            del fields[name_col]
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
        sheet_position = None
        if dim is not None:
            declared = self.scheme.dimensions[dim]
            if declared.values is not None and f"dim:{dim}" not in fields.values():
                # One sheet per month (1月 … 12月) or quarter: the sheet name is the period.
                label = _dimension_label(_normalise(table.sheet or ""), declared.values, _is_monthly(declared))
                if table.sheet is not None and label in declared.values:
                    sheet_position = declared.values.index(label)
                else:
                    self.error("data_missing_dim_column", table.at(table.header_row), dim=declared.title, values=", ".join(declared.values))
                    return None
        if unknown:
            candidates = [i.title for i in self.scheme.inputs.values()] + list(self.scheme.inputs)
            self.problems.append(Problem.at(
                "data_unknown_columns", table.at(table.header_row), "warning",
                columns=", ".join(unknown), suggest=closest(unknown[0], candidates),
            ))
        return _Layout(table, id_col, fields, dim, by_name, sheet_position)

    # -- the whole dataset ---------------------------------------------------
    def read(self, tables: list[Table]) -> Dataset:
        self.data_location = Location(", ".join(sorted({t.file for t in tables})))
        tables = [t for t in tables if t.header]
        correction_tables = [t for t in tables if _is_correction_table(t)]
        tables = [t for t in tables if not _is_correction_table(t)]
        layouts = [layout for layout in map(self.layout, tables) if layout is not None]
        unit_layouts = [l for l in layouts if l.dim is None and "name" in l.fields.values() and not l.by_name]
        if not unit_layouts:
            # No table with ids: a list of names (序号 + 单位名称) is the unit list, each name its id.
            unit_layouts = [l for l in layouts if l.dim is None and l.by_name][:1]
        if not unit_layouts and not any(p.severity == "error" for p in self.problems):
            self.error("data_no_units", self.data_location)
        units = self.units(unit_layouts)
        if unit_layouts and not len(units) and not any(p.severity == "error" for p in self.problems):
            self.error("data_empty_units", unit_layouts[0].table.at(unit_layouts[0].table.header_row))
        if any(p.severity == "error" for p in self.problems):
            raise DataError(self.problems)
        index = self.unit_index
        self.unit_ids = units.ids
        self.check_groups(units)
        collector = _Collector(self.scheme, len(units))
        for layout in layouts:
            for field in set(layout.fields.values()) & set(self.scheme.inputs):
                collector.providers[field] = collector.providers.get(field, 0) + 1
        self.names_are_ids = bool(unit_layouts) and unit_layouts[0].by_name
        for layout in layouts:
            name = layout.table.file if layout.table.sheet is None else f"{layout.table.file}[{layout.table.sheet}]"
            if self.progress is not None:
                self.progress(name, 0, False)
            self.values(layout, index, collector)
            if self.progress is not None:
                self.progress(name, len(layout.table), True)
            layout.table.release()  # one large table in memory at a time
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

    # -- cells as text ----------------------------------------------------------
    def texts(self, table: Table, col: int) -> pl.Series:
        """A column as normalised texts (NFKC, trimmed), "" for blank cells.

        NFKC is applied to the distinct non-ASCII values only: ASCII text is
        already in normal form, and ids and names repeat across rows.
        """
        if col >= table.frame.width:
            return pl.Series([""] * len(table), dtype=pl.String)
        series = table.column(col)
        if series.dtype != pl.String:
            series = pl.Series([table.cell(i, col) for i in range(len(table))], dtype=pl.String)
        return _normalised(series)

    def correct(self, table: Table, columns: dict[str, npt.NDArray[t.Any]], index: dict[str, int], units: Units,
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
        for i in range(len(table)):
            row = int(table.rows[i])
            cells = [table.cell(i, c) for c in range(len(table.header))]
            ident = _cell_text(cells, id_col)
            unit = index.get(ident)
            if unit is None:
                if _is_summary_row(ident) or not ident and any(_is_summary_row(_normalise(c)) for c in cells if c):
                    self.warn("data_summary_row", table.at(row, table.header[id_col]), id=ident or next(c for c in cells if c))
                    continue
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
            if name not in columns:
                continue  # no table provides this input: reported already (data_missing_column)
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
            if not columns[name].flags.writeable:
                columns[name] = columns[name].copy()  # a column read straight from the file is not written in place
            columns[name][cell] = new
            # The reason is kept as written (no width folding of its punctuation).
            reason = str(cells[reason_col]).strip() if reason_col is not None and reason_col < len(cells) and cells[reason_col] is not None else ""
            out.append(Correction(ident, name, period, None if math.isnan(current) else current, new, reason,
                                  Origin(table.file, table.sheet, row)))
        return out

    def skip_row(self, table: Table, index: int, key_col: int, key: str) -> bool:
        """A row whose key is blank or unknown: a 合计/签字 line (warned, skipped) or not."""
        cells = [table.cell(index, c) for c in range(len(table.header))]
        texts = [c.strip() for c in cells if c is not None and c.strip()]
        # Shown as typed (填表人：王五), matched after folding full-width forms.
        summary = key if key and _is_summary_row(key) else next((c for c in texts if _is_summary_row(_normalise(c))), None)
        if summary is None:
            return False
        column = table.header[key_col] if key_col < len(table.header) else None
        self.warn("data_summary_row", table.at(int(table.rows[index]), column or None), id=summary)
        return True

    def units(self, layouts: list[_Layout]) -> Units:
        """The unit list(s) → Units, a column at a time; only odd rows are looked at one by one."""
        ids: list[str] = []
        index: dict[str, int] = {}
        fields: dict[str, list[str]] = {"name": [], "type": [], "group": [], "parent": []}
        first = _FirstSeen(index)
        for layout in layouts:
            table = layout.table
            columns = {field: col for col, field in layout.fields.items()}
            if layout.by_name:
                columns["name"] = layout.id_col
            key = self.texts(table, layout.id_col)
            texts = {field: self.texts(table, col) for field, col in columns.items() if field in fields}
            # Rows to look at one by one: blank keys and 合计/签字 lines in any text column.
            odd = (key == "").to_numpy()
            for series in (key, *texts.values()):
                odd |= _summary_mask(series)
            for col in range(min(3, table.frame.width)):
                if table.frame.schema[f"c{col}"] == pl.String:
                    odd |= _summary_mask(table.column(col).fill_null(""))
            keep = ~odd
            for i in np.flatnonzero(odd):
                if self.skip_row(table, int(i), layout.id_col, str(key[int(i)])):
                    continue
                if not key[int(i)]:
                    self.error("data_empty_id", table.at(int(table.rows[i]), table.header[layout.id_col]))
                else:
                    keep[i] = True
            key_values = key.to_numpy()
            field_values = {field: series.to_numpy() for field, series in texts.items()}
            first_in_table = pl.Series(key_values).is_first_distinct().to_numpy()
            repeated = np.flatnonzero(keep & ~first_in_table)
            # Where each repeated id first appears, found in Python: numpy compares
            # with a str scalar that has lost its trailing NULs (an id of "\x00").
            first_row: dict[object, int] = {}
            if repeated.size:
                for j, value in enumerate(key_values.tolist()):
                    first_row.setdefault(value, j)
            for i in repeated:
                ident = str(key_values[i])
                where, where_row = first[ident] if ident in first else (table, int(table.rows[first_row[key_values[i]]]))
                code = "data_duplicate_name" if layout.by_name else "data_duplicate_unit"
                self.error(code, table.at(int(table.rows[i]), table.header[layout.id_col]), id=ident,
                           first=f"{where.file}{f'[{where.sheet}]' if where.sheet else ''}:{where_row}")
            keep &= first_in_table
            picked = np.flatnonzero(keep)
            if not ids:
                # The first (usually only) unit list: taken whole.
                chosen = key_values[picked]
                ids.extend(chosen.tolist())
                for field, values in fields.items():
                    values.extend(field_values[field][picked].tolist() if field in field_values else [""] * len(picked))
                chosen_ids = chosen.tolist()
                index.update(zip(chosen_ids, range(len(chosen_ids))))
                first.tables.extend(itertools.repeat(table, len(chosen_ids)))
                first.rows.extend(table.rows[picked].tolist())
            else:
                for j in picked.tolist():
                    ident = str(key_values[j])
                    row = int(table.rows[j])
                    if ident in first:
                        # The same unit listed again in another table (e.g. a department's
                        # sheet that repeats the names for readability): it must agree.
                        where, where_row = first[ident]
                        place = f"{where.file}{f'[{where.sheet}]' if where.sheet else ''}:{where_row}"
                        listed = index[ident]
                        for field, values in fields.items():
                            given = str(field_values[field][j]) if field in field_values else ""
                            if given and values[listed] and given != values[listed]:
                                self.error("data_unit_conflict", table.at(row, table.header[columns[field]]), id=ident,
                                           found=given, expected=values[listed], first=place)
                            elif given and not values[listed]:
                                values[listed] = given
                        continue
                    first.tables.append(table)
                    first.rows.append(row)
                    index[ident] = len(ids)
                    ids.append(ident)
                    for field, values in fields.items():
                        values.append(str(field_values[field][j]) if field in field_values else "")
            if self.scheme.unit_types and "type" in columns:
                types = np.array(fields["type"], dtype=object)
                for bad_type in np.flatnonzero(~np.isin(types, list(self.scheme.unit_types))).tolist():
                    ident = ids[bad_type]
                    if first[ident][0] is not table:
                        continue
                    unit_type = str(types[bad_type])
                    place_of = table.at(first[ident][1], table.header[columns["type"]])
                    if not unit_type:
                        # Type-limited items would silently not apply to this unit.
                        self.error("data_blank_type", place_of, id=ident, values=", ".join(self.scheme.unit_types))
                    else:
                        self.error("data_bad_category", place_of, input="type", found=unit_type,
                                   suggest=closest(unit_type, self.scheme.unit_types), values=", ".join(self.scheme.unit_types))
        self.unit_first = first
        self.unit_index = index
        def arr(values: list[str]) -> npt.NDArray[np.str_]:
            return np.array(values, dtype=str) if values else np.array([], dtype="<U1")
        units = Units(arr(ids), arr(fields["name"]), arr(fields["type"]), arr(fields["group"]), arr(fields["parent"]))
        self.unit_names = units.names
        return units

    @property
    def name_index(self) -> dict[str, int]:
        """Each unit name → the first unit of that name; built when first asked (only sheets without ids need it)."""
        if not hasattr(self, "_name_index"):
            names: dict[str, int] = {}
            ambiguous: set[str] = set()
            for position, name in enumerate(self.unit_names.tolist()):
                if name in names:
                    ambiguous.add(name)
                names.setdefault(name, position)
            self._name_index, self._ambiguous_names = names, ambiguous
        return self._name_index

    @property
    def ambiguous_names(self) -> set[str]:
        """Names that two or more units share (a sheet matched by name cannot tell them apart)."""
        self.name_index  # noqa: B018 (built together)
        return self._ambiguous_names

    def check_groups(self, units: Units) -> None:
        """Warn about group names that look like a typo of another group's name.

        第一支部 beside 第一党支部 would silently become a one-member branch
        that wins its own quotas. A small group whose name differs from a
        larger one's by one or two characters, or is contained in it, is named.
        """
        if not len(units):
            return
        names, counts = np.unique(units.groups, return_counts=True)
        if len(names) < 2:
            return
        sizes = dict(zip(names.tolist(), counts.tolist()))
        median = float(np.median(counts))
        everyone = [n for n in sizes if n]
        # A typo makes a small group; only those are compared with the rest (fast at 40,000 branches).
        suspects = [n for n in everyone if sizes[n] <= max(2.0, median / 5)]
        # Names that differ only in their numbering are different groups (第一党支部 / 第二党支部):
        # group the names by their wording without numerals, and compare wordings, not every pair.
        wordings: dict[str, list[str]] = {}
        for name in everyone:
            wordings.setdefault(_NUMERALS.sub("", name), []).append(name)
        first_of: dict[str, int] = {}
        for position, group in enumerate(units.groups.tolist()):
            first_of.setdefault(group, position)
        warned: set[frozenset[str]] = set()
        for suspect in suspects:
            wording = _NUMERALS.sub("", suspect)
            numerals = _NUMERALS.findall(suspect)
            candidates: list[str] = []
            for other_wording, names_of in wordings.items():
                if other_wording == wording or abs(len(other_wording) - len(wording)) > 2 and not (
                        wording in other_wording or other_wording in wording):
                    continue
                # Within a wording, the name with the same numbering is the one meant (第一支部 → 第一党支部).
                same = [n for n in names_of if _NUMERALS.findall(n) == numerals] or names_of[:50]
                candidates.extend(n for n in same if n != suspect and sizes[n] >= sizes[suspect] and _looks_like_typo(suspect, n))
            if not candidates:
                continue
            other = max(candidates, key=lambda o: (suspect in o or o in suspect, difflib.SequenceMatcher(None, suspect, o).ratio(), o))
            if frozenset((suspect, other)) in warned:
                continue
            warned.add(frozenset((suspect, other)))
            where = self.unit_first.get(str(units.ids[first_of[suspect]]))
            location = where[0].at(where[1], self.scheme.group_title) if where else self.data_location
            self.warn("data_similar_groups", location, group=self.scheme.group_title, found=suspect,
                      count=sizes[suspect], other=other, other_count=sizes[other])

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
        by_name = layout.by_name and not self.names_are_ids
        # Rows come grouped by unit (12 months, 10 raters each): ids are normalised and looked
        # up once per run of equal cells, then repeated — a tenth of the work on a million members.
        raw_key = table.column(layout.id_col) if layout.id_col < table.frame.width else pl.Series([None] * len(table), dtype=pl.String)
        if raw_key.dtype != pl.String:
            raw_key = self.texts(table, layout.id_col)
        runs = raw_key.rle()
        if len(runs) * 2 < len(raw_key):
            lengths = runs.struct.field("len").to_numpy()
            run_keys = _normalised(runs.struct.field("value"))
            unit = np.repeat(self.unit_numbers(run_keys, by_name), lengths)
        else:  # rows not grouped by unit
            lengths = np.ones(len(raw_key), dtype=np.int64)
            run_keys = _normalised(raw_key)
            unit = self.unit_numbers(run_keys, by_name)
        del raw_key, runs  # (the column itself is let go below, once its rows are checked)

        def key_at(i: int) -> str:
            cell = table.cell(i, layout.id_col)
            return _normalise(cell) if cell is not None else ""

        kept = unit >= 0
        rejected: set[int] = set()
        before = len(self.problems)
        for i in np.flatnonzero(~kept):
            ident = key_at(int(i))
            if self.skip_row(table, int(i), layout.id_col, ident):
                continue
            where = table.at(int(table.rows[i]), id_header)
            if not ident:
                self.error("data_empty_id", where)
            else:
                self.unknown_unit(where, ident, index, layout.by_name)
        zeros = [p for p in self.problems[before:] if p.code == "data_unknown_unit_zeros"]
        if len(zeros) > 5:
            # A whole id column typed as numbers: one message for the column, not one per row.
            self.problems[before:] = [p for p in self.problems[before:] if p.code != "data_unknown_unit_zeros"]
            first = dict(zeros[0].args)
            self.error("data_unknown_unit_zeros_many", zeros[0].location, count=len(zeros), id=first["id"], listed=first["listed"])
        if layout.by_name and self.ambiguous_names:
            ambiguous = np.repeat(run_keys.is_in(list(self.ambiguous_names)).to_numpy(), lengths)
            for i in np.flatnonzero(kept & ambiguous):
                self.error("data_ambiguous_name", table.at(int(table.rows[i]), id_header), name=key_at(int(i)))
                kept[i] = False
        position: npt.NDArray[np.int64] = np.zeros(len(table), dtype=np.int64)
        if closed:
            assert dimension is not None and dimension.values is not None
            if layout.sheet_position is not None:
                position[:] = layout.sheet_position
            else:
                assert dim_col is not None
                labels = table.column(dim_col)
                if labels.dtype != pl.String:
                    labels = self.texts(table, dim_col)
                # Twelve distinct months among a million rows: each is read once, then looked up.
                codes, distinct = _codes(labels)
                del labels
                monthly = _is_monthly(dimension)
                mapped = [_dimension_label(_label(v if v != "" else None), dimension.values, monthly) for v in distinct] + [""]
                lookup = np.array([dimension.values.index(m) if m in dimension.values else -1 for m in mapped], dtype=np.int64)
                position = lookup[codes]
                bad = kept & (position < 0)
                for i in np.flatnonzero(bad):
                    code = int(codes[i])
                    self.error("data_bad_dim_value", table.at(int(table.rows[i]), table.header[dim_col]), dim=dimension.title,
                               found=mapped[code] if code < len(mapped) else "", values=", ".join(dimension.values))
                    rejected.add(int(unit[i]))
                kept &= ~bad
        if dimension is None or closed:
            width = len(dimension.values) if dimension is not None and dimension.values is not None else 1
            cells = unit * width + position
            if kept.all():
                # The same flat cell index is what the collector scatters by: computed once per table.
                collector.flat = (unit, position, width, cells)
            self.duplicates(table, kept, cells, layout.id_col if dim_col is None else dim_col,
                            lambda i: (key_at(i), t.cast(tuple[str, ...], dimension.values)[int(position[i])] if dimension is not None else ""),
                            dimension.title if dimension is not None else Text("单位", "unit"))
        elif dim_col is not None:
            # An open dimension with its column (测评人): the same rater twice for a unit is an error.
            raw_labels = table.column(dim_col) if table.frame.schema[f"c{dim_col}"] == pl.String else self.texts(table, dim_col)
            # Raters' labels normalised once per distinct label (" 票01" and "票01" are one rater).
            raw_codes, distinct = _codes(raw_labels)
            del raw_labels
            names = [_normalise(v) for v in distinct]
            folded = {name: k for k, name in enumerate(dict.fromkeys(names))}
            lookup = np.array([folded[name] for name in names] + [-1], dtype=np.int64)
            label_codes = lookup[raw_codes]
            labelled = label_codes >= 0
            if "" in folded:
                labelled &= label_codes != folded[""]
            rater_cells = unit * (len(folded) + 1) + label_codes
            assert dimension is not None
            self.duplicates(table, kept & labelled, rater_cells, dim_col,
                            lambda i: (key_at(i), _normalise(table.cell(i, dim_col) or "")), dimension.title)
            if any(collector.providers.get(field, 0) > 1 for _, field in input_cols):
                # Another table gives this input too (a copy of 大会测评.csv beside it): the same
                # rater for the same unit in two tables is as much a duplicate as within one.
                self.duplicates_across(table, kept & labelled, unit, np.array(names + [""], dtype=object)[raw_codes],
                                       dim_col, key_at, dimension)
        if len(table) >= _RELEASE_ROWS:
            # Ids, periods, names and notes have been read and checked: only input columns are still needed.
            wanted = {col for col, _ in input_cols}
            for col in range(table.frame.width):
                if col not in wanted:
                    table.release_column(col)
        source = collector.source(table)
        everyone = bool(kept.all())
        pick = np.flatnonzero(kept) if not everyone else None
        rows = table.rows if pick is None else table.rows[pick]
        unit_index = unit if everyone else unit[pick]
        position_index = position if everyone else position[pick]
        mask = pl.Series(kept)
        for col, ident_input in input_cols:
            collector.explained.setdefault(ident_input, set()).update(rejected)
            spec = self.scheme.inputs[ident_input]
            if col >= table.frame.width:
                raw = pl.Series([None] * len(rows), dtype=pl.String)
            else:
                raw = table.column(col) if everyone else table.column(col).filter(mask)
            merged = _remap(table.merged.get(col), pick)
            percent = _remap(table.percent.get(col), pick)
            values, valid, blank = self.parse_column(spec, raw, table, col, rows, merged, percent)
            del raw
            collector.put(self, spec, unit_index, position_index, values, valid, blank, rows, source, table.at(None, table.header[col]))
            del values, valid, blank
            if len(table) >= _RELEASE_ROWS:
                table.release_column(col)  # read: its memory goes back before the next column's

    def unit_numbers(self, key: pl.Series, by_name: bool) -> npt.NDArray[np.int64]:
        """Ids (or names) → unit numbers, -1 where unknown.

        Each key's 64-bit hash is joined to the listed ids' hashes and the id
        found there is compared with the key, so a match is exact; keys that
        match nothing (unknown ids, or an id whose hash another id shares) are
        looked up one by one in the unit index. An integer join of a million
        keys takes a fraction of an Enum cast's time (which hashes the whole
        unit list again on every call, even for two keys).
        """
        attribute = "_names_lookup" if by_name else "_ids_lookup"
        if not hasattr(self, attribute):
            if by_name:
                categories = pl.Series(list(self.name_index), dtype=pl.String)
                numbers = np.array(list(self.name_index.values()), dtype=np.int64)
            else:
                categories = pl.Series(self.unit_ids, dtype=pl.String)
                numbers = np.arange(len(self.unit_ids), dtype=np.int64)
            # Hashes two ids share are left out: their keys go the Enum's way.
            hashes = pl.DataFrame({"h": categories.hash(seed=0), "at": pl.int_range(len(categories), eager=True, dtype=pl.Int64)})
            hashes = hashes.filter(pl.col("h").is_unique())
            setattr(self, attribute, (categories, numbers, hashes))
        categories, numbers, hashes = getattr(self, attribute)
        out = np.full(len(key), -1, dtype=np.int64)
        if not len(categories) or not len(key):
            return out
        joined = pl.DataFrame({"h": key.hash(seed=0)}).join(hashes, on="h", how="left", maintain_order="left").get_column("at")
        candidate = joined.fill_null(0).to_numpy()
        found = (joined.is_not_null() & (categories.gather(candidate) == key)).fill_null(False).to_numpy()
        out[found] = numbers[candidate[found]]
        if not found.all():
            index = self.name_index if by_name else self.unit_index
            rest = np.flatnonzero(~found)
            out[rest] = [index.get(k, -1) for k in key.gather(rest).to_list()]
        return out

    def duplicates_across(self, table: Table, kept: npt.NDArray[np.bool_], unit: npt.NDArray[np.int64],
                          labels: npt.NDArray[np.object_], col: int, key_at: t.Callable[[int], str], dimension: Dimension) -> None:
        """(unit, rater) pairs given by an earlier table of the same open dimension: an error each, the row dropped."""
        picked = np.flatnonzero(kept)
        keys = pl.Series(unit[picked].astype(np.int64)).cast(pl.String) + "\x1f" + pl.Series(labels[picked].astype(str))
        earlier = self.open_seen.get(dimension.id)
        if earlier is not None:
            known, places = earlier
            again = keys.is_in(known).to_numpy()
            if again.any():
                first = dict(zip(known.to_list(), places))
                for k in np.flatnonzero(again).tolist():
                    i = int(picked[k])
                    self.error("data_duplicate_across", table.at(int(table.rows[i]), table.header[col]), id=key_at(i),
                               period=Text(f"{dimension.title} {labels[i]} 的值", f" {dimension.title} {labels[i]}"), first=first[keys[k]])
                    kept[i] = False
            keys, picked = keys.filter(~pl.Series(again)), picked[~again]
        place = f"{table.file}{f'[{table.sheet}]' if table.sheet else ''}:"
        rows = [place + str(int(r)) for r in table.rows[picked].tolist()]
        if earlier is not None:
            keys, rows = pl.concat([earlier[0], keys]), earlier[1] + rows
        self.open_seen[dimension.id] = (keys, rows)

    def duplicates(self, table: Table, kept: npt.NDArray[np.bool_], codes: npt.NDArray[np.int64], col: int,
                   describe: t.Callable[[int], tuple[str, str]], dim: str | Text) -> None:
        """Rows of one table giving the same (unit, period / rater) again: an error each; the first is kept."""
        everyone = bool(kept.all())
        if len(kept) < 2 or kept.sum() < 2:
            return
        pick: npt.NDArray[np.int64] | None = None if everyone else np.flatnonzero(kept)
        values = codes if pick is None else codes[pick]
        if bool((values[1:] > values[:-1]).all()):
            return  # rows in unit and period order (the usual export): no code repeats
        if values.min() >= 0 and values.max() < 4 * len(values) + 1024:
            # Counting is linear; the sort below only runs when some code repeats.
            if not (np.bincount(values) > 1).any():
                return
        order = np.argsort(values, kind="stable")
        ordered = values[order]
        again = np.r_[False, ordered[1:] == ordered[:-1]]
        if not again.any():
            return
        starts = np.maximum.accumulate(np.where(~again, np.arange(len(ordered)), 0))
        for k in np.flatnonzero(again):
            i, first = (int(order[k]), int(order[starts[k]])) if pick is None else (int(pick[order[k]]), int(pick[order[starts[k]]]))
            ident, period = describe(i)
            # A table without a period dimension repeats the unit itself: there is no period to name.
            self.error("data_duplicate_row" if period else "data_duplicate_unit_row", table.at(int(table.rows[i]), table.header[col]),
                       id=ident, dim=dim, period=period, first=int(table.rows[first]))
            kept[i] = False

    def parse_column(self, spec: Input, raw: pl.Series, table: Table, col: int, rows: npt.NDArray[np.int32],
                     merged: npt.NDArray[np.int64], percent: npt.NDArray[np.int64]) -> tuple[npt.NDArray[t.Any], npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
        """A column of cells → typed values, which cells are valid, and which are blank.

        The whole column is converted at once; the cells the conversion
        cannot read (a percent sign, full-width digits, a typo) go through
        :meth:`parse` one at a time, which reports the bad cell with its row.
        """
        header = table.header[col]
        count = len(raw)
        if raw.dtype != pl.String and spec.type not in ("number", "count", "percentage"):
            raw = pl.Series([None if v is None else value_text(float(v)) for v in raw.to_list()], dtype=pl.String)
        if raw.dtype == pl.String:
            blank = (raw.is_null() | (raw.str.len_bytes() == 0)).to_numpy().copy()
        else:
            blank = raw.is_null().to_numpy().copy()
        valid = np.ones(count, dtype=bool)
        if len(merged):
            # A merged cell spanning rows gives one value to several rows: which row had it?
            for i in merged[~blank[merged]]:
                self.error("data_merged_value", table.at(int(rows[i]), header), input=spec.label)
            valid[merged] = False
        if spec.type in ("number", "count", "percentage"):
            # Plain numbers convert at once; anything else (spaces, 95%, full-width digits, typos) one by one.
            numbers = raw if raw.dtype == pl.Float64 else raw.cast(pl.Float64, strict=False)
            values = numbers.to_numpy()  # nulls are NaN
            odd = ~blank & ~np.isfinite(values) & valid
            if odd.any() or not valid.all():
                values = values.copy()
            for i in np.flatnonzero(odd):
                cell = raw[int(i)]
                parsed = self.parse(spec, cell if isinstance(cell, str) else repr(cell), table.at(int(rows[i]), header))
                if parsed is None:
                    blank[i], odd[i] = True, False  # a cell of spaces
                elif parsed is _INVALID:
                    valid[i] = False
                    values[i] = np.nan
                else:
                    values[i] = parsed
            filled = valid & ~blank
            if spec.type == "percentage":
                self.check_fractions(spec, values, filled, odd, percent, table, header, rows)
            if spec.type == "count":
                wrong = filled & ((values < 0) | (values != np.floor(values)))
                for hit in np.flatnonzero(wrong):
                    self.error("data_not_count", table.at(int(rows[hit]), header), input=spec.label, found=value_text(float(values[hit])))
                valid &= ~wrong
                filled &= ~wrong
            if spec.range is not None:
                low, high = spec.range
                outside = filled & ((values < low) | (values > high))
                for hit in np.flatnonzero(outside):
                    self.error("data_out_of_range", table.at(int(rows[hit]), header), input=spec.label,
                               found=f"{values[hit]:g}", lo=f"{low:g}", hi=f"{high:g}")
                valid &= ~outside
            if not valid.all():
                values = values if values.flags.writeable else values.copy()
                values[~valid] = np.nan
            return values, valid, blank
        # Booleans and categories hold few distinct texts: each is parsed once.
        stripped = raw.str.strip_chars()
        blank |= (stripped == "").fill_null(True).to_numpy()
        distinct = stripped.fill_null("").unique().to_list()
        parsed_distinct: dict[str, t.Any] = {}
        for text in distinct:
            if not text:
                parsed_distinct[text] = None
                continue
            problems_before = len(self.problems)
            parsed_distinct[text] = self.parse(spec, text, table.at(None, header))
            del self.problems[problems_before:]  # reported below, once per row
        column = stripped.fill_null("").to_list()
        out: list[t.Any] = []
        for i, text in enumerate(column):
            parsed = parsed_distinct[text]
            if parsed is _INVALID:
                if valid[i]:
                    self.parse(spec, text, table.at(int(rows[i]), header))
                valid[i] = False
                parsed = None
            out.append(parsed)
        if spec.type == "boolean":
            return np.array([bool(v) if v is not None else False for v in out], dtype=bool), valid, blank
        return np.array([v if v is not None else "" for v in out], dtype=object), valid, blank

    def check_fractions(self, spec: Input, values: npt.NDArray[np.float64], filled: npt.NDArray[np.bool_],
                        typed: npt.NDArray[np.bool_], percent: npt.NDArray[np.int64], table: Table, header: str,
                        rows: npt.NDArray[np.int32]) -> None:
        """Percentages typed as fractions (0.92 for 92%) in a plain cell: one error for the column.

        A cell formatted as % or written with a % sign says what it means; a
        column whose plain values all lie in [0, 1], some strictly between,
        while the scheme expects up to 100 would silently drop every tier.
        """
        if spec.range is None or spec.range[1] < 50:
            return
        plain = filled & ~typed
        if len(percent):
            plain[percent] = False
        if not plain.any():
            return
        shown = values[plain]
        if bool(((shown >= 0) & (shown <= 1)).all()) and bool(((shown > 0) & (shown < 1)).any()):
            first = int(np.flatnonzero(plain & (values > 0) & (values < 1))[0])
            self.error("data_percent_fraction", table.at(int(rows[first]), header), input=spec.label,
                       found=value_text(float(values[first])), hint_value=value_text(round(float(values[first]) * 100, 9)))
            filled[plain] = False

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
            self.error("data_bool_x" if text in _AMBIGUOUS_BOOL else "data_not_bool", where, input=label, found=raw)
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
            text = _normalise(raw) if isinstance(raw, str) else ""
            if re.fullmatch(r"[+-]?\d+[,，_]\d+", text.replace(" ", "")) or "_" in text:
                code = "data_decimal_comma"
            elif _DECIMAL_TEXT.fullmatch(text.replace(" ", "").rstrip("%")):
                code = "data_number_too_large"  # a numeral beyond the largest double (1e400): not "infinity"
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

#: Tables of at least this many rows let go of each column once read (below, the bookkeeping costs more than it frees).
_RELEASE_ROWS = 50_000


class _FirstSeen:
    """Where each unit was first listed (table, spreadsheet row), by id — kept as two lists, not a million tuples."""

    def __init__(self, index: dict[str, int]) -> None:
        self.index = index
        self.tables: list[Table] = []
        self.rows: list[int] = []

    def __contains__(self, ident: object) -> bool:
        return ident in self.index

    def __getitem__(self, ident: str) -> tuple[Table, int]:
        at = self.index[ident]
        return self.tables[at], self.rows[at]

    def get(self, ident: str) -> tuple[Table, int] | None:
        return self[ident] if ident in self.index else None


#: One table's rows for an open-dimension input: (unit of each row, values, which are filled, spreadsheet rows, table).
_Run = tuple[npt.NDArray[np.int64], npt.NDArray[t.Any], npt.NDArray[np.bool_], npt.NDArray[np.int32], int]


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
        self.runs: dict[str, list[_Run]] = {}
        self.seen_inputs: set[str] = set()
        #: Units whose row for an input was rejected with its own error (a bad month):
        #: the gap it leaves is not reported again as a missing value.
        self.explained: dict[str, set[int]] = {}
        #: First table holding each input (where missing values are reported).
        self.input_files: dict[str, Location] = {}
        self.sources: list[tuple[str, str | None]] = []
        #: Spreadsheet row (and table) of blank cells, per input, for missing-value messages.
        self.blank_rows: dict[str, npt.NDArray[np.int32]] = {}
        self.blank_tables: dict[str, npt.NDArray[np.int32]] = {}
        self.blank_columns: dict[str, str] = {}
        #: The flat index of the table being put (see :meth:`put`).
        self.flat: tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], int, npt.NDArray[np.int64]] | None = None
        #: Presence, invalid, rows and tables built for the table being put (see :meth:`put`).
        self.partial: tuple[npt.NDArray[np.int64], list[npt.NDArray[t.Any]]] | None = None
        #: Whether that flat index is 0, 1, 2 … (rows sorted by unit and period).
        self.identity: tuple[npt.NDArray[np.int64], bool] | None = None
        #: Open-dimension layouts per set of unit runs: (where each data row goes — an (n, k) mask
        #: for rows grouped in unit order, else a flat index —, width, rows, tables). Keyed by the
        #: ids of the runs' unit arrays, which are kept with the entry (an id is unique only while alive).
        self.layouts: dict[tuple[int, ...], tuple[npt.NDArray[t.Any], int, npt.NDArray[np.int32], npt.NDArray[np.int32]]] = {}
        self.layout_units: dict[tuple[int, ...], tuple[npt.NDArray[np.int64], ...]] = {}
        #: Rows per unit, per set of unit runs (see :meth:`_unit_counts`).
        self.counts: dict[tuple[int, ...], npt.NDArray[np.int64]] = {}
        #: How many tables provide each input (known before any is read).
        self.providers: dict[str, int] = {}
        #: Open-dimension inputs given by one table only: padded as soon as read (see :meth:`put`).
        self.padded: dict[str, tuple[npt.NDArray[t.Any], npt.NDArray[np.int32], npt.NDArray[np.int32]]] = {}
        #: Whether an open-dimension layout is rows in unit order, the same count each.
        self.in_order: dict[tuple[int, ...], bool] = {}
        #: Arrays kept once for several inputs (see :meth:`share`), and the ids of those shared.
        self.pool: list[npt.NDArray[t.Any]] = []
        self.shared: set[int] = set()
        #: Rows already reported as given again in another table.
        self.clashes: set[tuple[str, str | None, int]] = set()
        #: Missing values gathered over all inputs: (location, unit, where) → input labels.
        self.missing: dict[tuple[Location, int, str, str], list[str]] = {}

    def source(self, table: Table) -> int:
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
            values: npt.NDArray[t.Any], valid: npt.NDArray[np.bool_], blank: npt.NDArray[np.bool_],
            rows: npt.NDArray[np.int32], source: int, where: Location) -> None:
        self.input_files.setdefault(spec.id, Location(where.file, None, None, None, where.sheet))
        if self._width(spec) == -1:
            empty = valid & blank
            if empty.any():
                # A rater's or record's row with this cell blank: the input's missing policy decides.
                if spec.missing == "zero":
                    values = values.copy()
                    values[empty] = _zero(spec)
                    blank = blank & ~empty
                elif spec.missing == "error":
                    header = where.column if isinstance(where.column, str) else ""
                    for i in np.flatnonzero(empty).tolist():
                        at = Location(where.file, int(rows[i]), None, None, where.sheet)
                        self.missing.setdefault((at, int(units[i]), "", "blank"), []).append(
                            f"{spec.label}[{header}]" if header else spec.label)
            self.runs.setdefault(spec.id, []).append((units, values, valid & ~blank, rows, source))
            if self.providers.get(spec.id, 0) <= 1:
                # The only table with this input: padded now, so that the table's columns (and this
                # copy of its values) are let go table by table instead of all held until the end.
                self.padded[spec.id] = self._pad(spec)
                del self.runs[spec.id]
            return
        filled_all = bool(valid.all()) and not bool(blank.any())
        width = self._width(spec) or 1
        if spec.id not in self.columns and filled_all and len(units) == self.n * width and self.covers(units, positions, width):
            # The first table for this input fills every cell (the usual case): the arrays are
            # built straight from the columns, without allocating and scattering into blanks.
            self.fill(spec, values, rows, source, width)
            return
        if spec.id not in self.columns and filled_all:
            # First table for this input, every row's cell filled: presence, rows and tables
            # are the same for all inputs of the table — built once, shared.
            flat = self.flat_index(units, positions, width)
            shape: tuple[int, ...] = (self.n,) if spec.per is None else (self.n, width)
            if self.partial is None or self.partial[0] is not flat:
                present = np.zeros(shape, dtype=bool)
                present.ravel()[flat] = True
                row = np.full(shape, -1, dtype=np.int32)
                row.ravel()[flat] = rows
                table = np.zeros(shape, dtype=np.int32)
                table.ravel()[flat] = source
                arrays = [self.share(a) for a in (present, np.zeros(shape, dtype=bool), row, table)]
                self.shared.update(id(a) for a in arrays)
                self.partial = (flat, arrays)
            column = _empty(spec, self.n, None if spec.per is None else width)
            column.ravel()[flat] = values
            self.columns[spec.id] = column
            built: tuple[dict[str, npt.NDArray[t.Any]], ...] = (self.present, self.invalid, self.rows, self.tables)
            for store, array in zip(built, self.partial[1]):
                store[spec.id] = array
            return
        self._ensure(spec)
        if not self.columns[spec.id].flags.writeable:
            self.columns[spec.id] = self.columns[spec.id].copy()  # read straight from a file: copied before writing
        stores: tuple[dict[str, npt.NDArray[t.Any]], ...] = (self.present, self.invalid, self.rows, self.tables)
        for store in stores:
            if id(store[spec.id]) in self.shared:
                store[spec.id] = store[spec.id].copy()  # shared with another input: copy before writing
        filled = valid & ~blank
        everything = bool(filled.all())
        # Flat positions into the (n,) or (n, k) arrays: one 1-D index per table, shared by its inputs.
        flat = self.flat_index(units, positions, width)
        present = self.present[spec.id].ravel()
        if present.any():
            clash = filled & present[flat]
            for i in np.flatnonzero(clash).tolist():  # the same cell given again in another table: once per row
                if (where.file, where.sheet, int(rows[i])) in self.clashes:
                    continue
                self.clashes.add((where.file, where.sheet, int(rows[i])))
                cell = int(flat[i])
                file, sheet = self.sources[int(self.tables[spec.id].ravel()[cell])]
                first = f"{file}{f'[{sheet}]' if sheet else ''}:{int(self.rows[spec.id].ravel()[cell])}"
                dimension = self.scheme.dimensions[spec.per] if spec.per is not None else None
                period = Text(f"{dimension.title} {t.cast(tuple[str, ...], dimension.values)[int(positions[i])]} 的值",
                              f" {dimension.title} {t.cast(tuple[str, ...], dimension.values)[int(positions[i])]}") if dimension is not None else Text("值", "")
                reader.error("data_duplicate_across", Location(where.file, int(rows[i]), None, None, where.sheet),
                             id=str(reader.unit_ids[int(units[i])]), period=period, first=first)
            if clash.any():
                filled &= ~clash
                everything = False
        pick = flat if everything else flat[filled]
        self.columns[spec.id].ravel()[pick] = values if everything else values[filled]
        present[pick] = True
        self.rows[spec.id].ravel()[pick] = rows if everything else rows[filled]
        self.tables[spec.id].ravel()[pick] = source
        if not valid.all():
            self.invalid[spec.id].ravel()[flat[~valid]] = True
        empty = valid & blank
        if empty.any():
            # Where a blank cell sits, so that a missing value names its row and column.
            if spec.id not in self.blank_rows:
                self.blank_rows[spec.id] = np.full(self.present[spec.id].shape, -1, dtype=np.int32)
                self.blank_tables[spec.id] = np.zeros(self.present[spec.id].shape, dtype=np.int32)
                self.blank_columns[spec.id] = where.column if isinstance(where.column, str) else ""
            spot = flat[empty]
            self.blank_rows[spec.id].ravel()[spot] = rows[empty]
            self.blank_tables[spec.id].ravel()[spot] = source
        for store in stores:
            store[spec.id] = self.share(store[spec.id])

    def flat_index(self, units: npt.NDArray[np.int64], positions: npt.NDArray[np.int64], width: int) -> npt.NDArray[np.int64]:
        """Flat positions into an (n,) or (n, k) array, computed once per table (its inputs share it)."""
        cached = self.flat
        if cached is None or cached[0] is not units or cached[1] is not positions or cached[2] != width:
            # (The arrays themselves are kept, not their ids: a freed array's id may be reused.)
            cached = self.flat = (units, positions, width, units * width + positions)
        return cached[3]

    def covers(self, units: npt.NDArray[np.int64], positions: npt.NDArray[np.int64], width: int) -> bool:
        """Whether the rows put every (unit, position) exactly once (duplicates were refused before)."""
        flat = self.flat_index(units, positions, width)
        if self.identity is not None and self.identity[0] is flat:
            return True
        return len(flat) == self.n * width  # as many distinct cells as there are: all of them

    def fill(self, spec: Input, values: npt.NDArray[t.Any], rows: npt.NDArray[np.int32], source: int, width: int) -> None:
        """Columns for an input whose first table gives every cell once."""
        flat = self.flat[3] if self.flat is not None else np.zeros(0, np.int64)
        shape: tuple[int, ...] = (self.n,) if spec.per is None else (self.n, width)
        if self.identity is None or self.identity[0] is not flat:
            self.identity = (flat, bool(np.array_equal(flat, np.arange(len(flat)))))
        in_order = self.identity[1]
        if in_order:
            # The parsed column itself, no copy (read-only: a correction copies it first).
            column = values.reshape(shape)
            column.flags.writeable = False
            row = np.asarray(rows, dtype=np.int32).reshape(shape)
        else:
            column = np.empty(shape, dtype=values.dtype)
            column.ravel()[flat] = values
            row = np.empty(shape, dtype=np.int32)
            row.ravel()[flat] = rows
        self.columns[spec.id] = column
        self.present[spec.id] = self.share(np.ones(shape, dtype=bool))
        self.invalid[spec.id] = self.share(np.zeros(shape, dtype=bool))
        self.rows[spec.id] = self.share(row)
        self.tables[spec.id] = self.share(np.full(shape, source, dtype=np.int32))
        for store in (self.present, self.invalid, self.rows, self.tables):
            self.shared.add(id(store[spec.id]))  # never written in place: copied first

    def share(self, array: npt.NDArray[t.Any]) -> npt.NDArray[t.Any]:
        """The same array already kept for another input, or this one.

        The ten monthly scores of one table have the same origin rows,
        presence and tables: kept once, a million members need gigabytes less.
        Shared arrays are copied before they are written to (see :meth:`put`).
        """
        for kept in self.pool:
            if kept.shape == array.shape and kept.dtype == array.dtype and np.array_equal(kept, array):
                if kept is not array:
                    self.shared.add(id(kept))
                return kept
        self.pool.append(array)
        return array

    def manual_mask(self) -> npt.NDArray[np.bool_]:
        manual = self.scheme.manual
        if manual is None or manual.input not in self.present:
            return np.zeros(self.n, dtype=bool)
        return self.present[manual.input].copy()

    def finish(self, reader: _Reader, units: Units, manual: npt.NDArray[np.bool_]) -> tuple[
        dict[str, npt.NDArray[t.Any]], dict[str, tuple[str, ...]], dict[str, npt.NDArray[np.int32]], dict[str, npt.NDArray[np.int32]]
    ]:
        widths: dict[str, int] = {}
        for ident, (column, _, _) in self.padded.items():
            dim = t.cast(str, self.scheme.inputs[ident].per)
            widths[dim] = max(widths.get(dim, 0), column.shape[1])
        for ident, runs in self.runs.items():
            dim = t.cast(str, self.scheme.inputs[ident].per)
            counts = self._unit_counts(runs) if runs else np.zeros(1, np.int64)
            widths[dim] = max(widths.get(dim, 0), int(counts.max()) if len(counts) else 0)
        labels = {
            ident: dim.values if dim.values is not None else tuple(str(i + 1) for i in range(max(widths.get(ident, 1), 1)))
            for ident, dim in self.scheme.dimensions.items()
        }
        for ident, declared in self.scheme.dimensions.items():
            given = [spec for spec in self.scheme.inputs.values() if spec.per == ident and spec.id in self.seen_inputs]
            if declared.values is None and given and widths.get(ident, 0) == 0:
                # A records table with its header only (奖惩 with nobody rewarded): fine, but said once.
                where = self.input_files.get(given[0].id, reader.data_location)
                reader.warn("data_no_entries", where, dim=declared.title)
        columns: dict[str, npt.NDArray[t.Any]] = {}
        rows: dict[str, npt.NDArray[np.int32]] = {}
        tables: dict[str, npt.NDArray[np.int32]] = {}
        for spec in self.scheme.inputs.values():
            manual_input = self.scheme.manual is not None and spec.id == self.scheme.manual.input
            everyone_manual = bool(len(manual) and manual.all())
            if spec.id not in self.seen_inputs and not manual_input and not everyone_manual and not spec.optional:
                # Even a ``missing: zero`` input: a whole table left out is not "zero for everyone".
                reader.error("data_missing_column", reader.data_location, input=spec.label, id=spec.id, title=spec.title)
                continue
            if self._width(spec) == -1:
                width = len(labels[t.cast(str, spec.per)])
                # Padded one input at a time, its runs let go at once (memory at a million members).
                if spec.id in self.padded:
                    column, row, table = self.padded.pop(spec.id)
                elif spec.id in self.runs:
                    column, row, table = self._pad(spec)
                else:
                    column, row, table = _empty(spec, self.n, 0), np.full((self.n, 0), -1, np.int32), np.zeros((self.n, 0), np.int32)
                self.runs.pop(spec.id, None)
                if column.shape[1] < width:  # all open inputs of a dimension share its width
                    extra = width - column.shape[1]
                    column = np.concatenate([column, _empty(spec, self.n, extra)], axis=1)
                    row = np.concatenate([row, np.full((self.n, extra), -1, np.int32)], axis=1)
                    table = np.concatenate([table, np.zeros((self.n, extra), np.int32)], axis=1)
                row, table = self.share(row), self.share(table)
            else:
                self._ensure(spec)
                column, row, table = self.columns[spec.id], self.rows[spec.id], self.tables[spec.id]
                if not manual_input:
                    self.apply_missing(reader, spec, column, units, manual)
            if spec.type == "category":
                column = column.astype(_text_dtype(spec))
            columns[spec.id], rows[spec.id], tables[spec.id] = column, row, table
        self.report_missing(reader, units)
        return columns, labels, rows, tables

    def _key(self, runs: list[_Run]) -> tuple[int, ...]:
        """The cache key of a set of runs: their unit arrays' ids, kept alive while cached."""
        key = tuple(id(r[0]) for r in runs)
        if key in self.layout_units and any(a is not r[0] for a, r in zip(self.layout_units[key], runs)):
            raise AssertionError("unit arrays cached under a reused id")  # cannot happen while they are kept
        self.layout_units[key] = tuple(r[0] for r in runs)
        return key

    def _unit_counts(self, runs: list[_Run]) -> npt.NDArray[np.int64]:
        """Rows per unit over ``runs`` (a set of tables), counted once per set: its inputs share it."""
        key = self._key(runs)
        if key not in self.counts:
            counts = np.zeros(self.n, dtype=np.int64)
            for run in runs:
                counts += np.bincount(run[0], minlength=self.n)
            self.counts[key] = counts
        return self.counts[key]

    def _pad(self, spec: Input) -> tuple[npt.NDArray[t.Any], npt.NDArray[np.int32], npt.NDArray[np.int32]]:
        """Open-dimension runs → (n, k) arrays; every data row is one position.

        The inputs of one table share their unit runs, so the positions and
        the row/table arrays are computed once per set of tables, not per input.
        Rows grouped by unit in unit order (the usual export) are laid out by a
        small (n, k) mask filled row by row — no sort and no index arrays as
        long as the data; only rows in another order are sorted.
        """
        runs = self.runs[spec.id]
        key = self._key(runs)
        if key not in self.layouts:
            counts = self._unit_counts(runs)
            count = int(counts.sum())
            width = int(counts.max()) if count else 0
            units = runs[0][0] if len(runs) == 1 else np.concatenate([r[0] for r in runs])
            grouped = bool(count < 2 or (units[1:] >= units[:-1]).all())
            if len(runs) == 1:
                source_rows = runs[0][3]
            else:
                source_rows = np.concatenate([r[3] for r in runs])
            row = np.full((self.n, width), -1, dtype=np.int32)
            table = np.zeros((self.n, width), dtype=np.int32)
            layout: npt.NDArray[t.Any]
            if grouped:
                # Row-major boolean assignment fills each unit's first count[u] positions in data order.
                layout = np.arange(width) < counts[:, None]
                in_order = bool(layout.all())
                row[layout] = source_rows
                if len(runs) == 1:
                    table[layout] = runs[0][4]
                else:
                    table[layout] = np.concatenate([np.full(len(r[0]), r[4], dtype=np.int32) for r in runs])
            else:
                order = np.argsort(units, kind="stable")
                ordered = units[order]
                starts = np.r_[True, ordered[1:] != ordered[:-1]]
                run_start = np.maximum.accumulate(np.where(starts, np.arange(count), 0))
                position = np.empty(count, dtype=np.int64)
                position[order] = np.arange(count) - run_start
                layout = units * width + position
                in_order = False
                row.ravel()[layout] = source_rows
                table.ravel()[layout] = np.concatenate([np.full(len(r[0]), r[4], dtype=np.int32) for r in runs])
            self.layouts[key] = (layout, width, self.share(row), self.share(table))
            self.in_order[key] = in_order
        layout, width, row, table = self.layouts[key]
        parts = [r[1] if r[2].all() else np.where(r[2], r[1], _absent(spec)) for r in runs]
        values = parts[0] if len(parts) == 1 else np.concatenate(parts)
        if width and len(values) == self.n * width and self.in_order.get(key, False):
            return values.reshape(self.n, width), row, table
        column = _empty(spec, self.n, width)
        if layout.dtype == bool:
            column[layout] = values
        else:
            column.ravel()[layout] = values
        return column, row, table

    def apply_missing(self, reader: _Reader, spec: Input, column: npt.NDArray[t.Any], units: Units, manual: npt.NDArray[np.bool_]) -> None:
        """Apply the input's missing policy to a per-unit or closed-dimension column.

        Missing values under the ``error`` policy are gathered, not reported
        yet: one row missing several inputs is one message (see :meth:`report_missing`).
        """
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
        table_location = self.input_files.get(spec.id, reader.data_location)
        blank_rows = self.blank_rows.get(spec.id)
        blank_tables = self.blank_tables.get(spec.id)
        header = self.blank_columns.get(spec.id, "")
        explained = self.explained.get(spec.id, set())
        dimension = self.scheme.dimensions[spec.per] if spec.per is not None else None
        for unit in np.flatnonzero(absent.any(axis=1) if absent.ndim == 2 else absent).tolist():
            if unit in explained:
                continue
            gaps = np.flatnonzero(absent[unit]).tolist() if absent.ndim == 2 else [-1]
            no_row: list[int] = []
            for gap in gaps:
                cell = (unit,) if gap < 0 else (unit, gap)
                if blank_rows is not None and blank_rows[cell] >= 0:
                    assert blank_tables is not None
                    file, sheet = self.sources[int(blank_tables[cell])]
                    where = Location(file, int(blank_rows[cell]), None, None, sheet)
                    period = "" if dimension is None or dimension.values is None else f"{dimension.title} {dimension.values[gap]}"
                    self.missing.setdefault((where, unit, period, "blank"), []).append(f"{spec.label}[{header}]" if header else spec.label)
                else:
                    no_row.append(gap)
            if no_row:
                place = ""
                if dimension is not None and dimension.values is not None:
                    values = dimension.values
                    place = f"all:{len(values)}" if len(no_row) == len(values) else ", ".join(values[g] for g in no_row)
                self.missing.setdefault((table_location, unit, place, "row"), []).append(spec.label)

    def report_missing(self, reader: _Reader, units: Units) -> None:
        """One message per row (or per unit without rows) naming every input it lacks, in file/row order."""
        limit = 200
        entries = sorted(self.missing.items(), key=lambda e: (e[0][0].sort_key(), e[0][1]))
        # Many units missing the same rows (a month's sheet not handed in): one message, not one per unit.
        alike: dict[tuple[Location, str, tuple[str, ...]], list[int]] = {}
        for (location, unit, place, kind), labels in entries:
            if kind == "row":
                alike.setdefault((location, place, tuple(labels)), []).append(unit)
        summarised = {key for key, units_of in alike.items() if len(units_of) > 5}
        for (location, place, inputs_of), units_of in alike.items():
            if (location, place, inputs_of) not in summarised:
                continue
            dimension = next((self.scheme.dimensions[s.per] for s in self.scheme.inputs.values() if s.label == inputs_of[0] and s.per), None)
            gap: Text | str = "" if not place or dimension is None else (
                Text(f"没有任何{dimension.title}的行", f" have no {dimension.title} rows") if place.startswith("all:")
                else Text(f"没有{dimension.title} {place} 的行", f" have no row for {dimension.title} {place}"))
            reader.error("data_missing_rows_many", location, count=len(units_of), where=gap,
                         examples="、".join(str(units.ids[u]) for u in units_of[:3]), input="、".join(inputs_of))
        entries = [e for e in entries if not (e[0][3] == "row" and (e[0][0], e[0][2], tuple(e[1])) in summarised)]
        for (location, unit, place, kind), labels in entries[:limit]:
            inputs = "、".join(labels)
            where: Text | str = ""
            if kind == "blank":
                where = Text(f"（该行{('的' + place + ' ') if place else ''}单元格为空）", f" (blank cell{' for ' + place if place else ''})")
            elif place.startswith("all:"):
                dimension = next(self.scheme.dimensions[s.per] for s in self.scheme.inputs.values() if s.label == labels[0] and s.per)
                where = Text(f"（全部 {place[4:]} 个{dimension.title}都没有）", f" (no {dimension.title} at all)")
            elif place:
                dimension = next(self.scheme.dimensions[s.per] for s in self.scheme.inputs.values() if s.label == labels[0] and s.per)
                where = Text(f"（{dimension.title} {place} 没有这一行）", f" ({dimension.title} {place}: no row)")
            reader.error("data_missing_value", location, id=str(units.ids[unit]), name=str(units.names[unit]), input=inputs, where=where)
        if len(entries) > limit:
            reader.error("data_missing_more", reader.data_location, input=entries[limit][1][0], count=len(entries) - limit)


def _is_correction_table(table: Table) -> bool:
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


def _zero(spec: Input) -> t.Any:
    """What ``missing: zero`` puts in a blank cell."""
    return False if spec.type == "boolean" else ("" if spec.type == "category" else 0.0)


def _absent(spec: Input) -> t.Any:
    return False if spec.type == "boolean" else ("" if spec.type == "category" else np.nan)


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


#: A written decimal number (what float() would read, without inf/nan words or underscores).
_DECIMAL_TEXT = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")


def _number(raw: t.Any, percentage: bool) -> float | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, (int, float)):
        value = float(raw)
        return value if math.isfinite(value) else None
    text = _normalise(raw).replace(" ", "")
    if "," in text:
        # 1,200 is a thousands grouping; 9,5 is a decimal comma (European), not 95.
        if not re.fullmatch(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?%?", text):
            return None
        text = text.replace(",", "")
    if "_" in text:
        return None  # Python would read 9_5 as 95
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



def _codes(series: pl.Series) -> tuple[npt.NDArray[np.uint32], list[str]]:
    """A text column → its distinct values and each cell's index into them (len(distinct) for a blank cell).

    The codes stay the Enum's own 32-bit integers: they only index small lookup tables.
    """
    distinct = series.drop_nulls().unique(maintain_order=True)
    physical = series.cast(pl.Enum(distinct)).to_physical()
    if physical.null_count():
        physical = physical.fill_null(len(distinct))
    return t.cast(npt.NDArray[np.uint32], physical.to_numpy()), t.cast(list[str], distinct.to_list())


def _normalised(series: pl.Series) -> pl.Series:
    """Texts NFKC-folded and trimmed, "" for blank; NFKC only on the distinct non-ASCII values."""
    series = series.cast(pl.String).str.strip_chars().fill_null("")
    wide = series.str.contains(r"[^\x00-\x7f]")
    if bool(wide.any()):
        distinct = series.filter(wide).unique()
        series = series.replace(distinct, pl.Series([_normalise(v) for v in distinct.to_list()], dtype=pl.String))
    return series


def _remap(marks: npt.NDArray[np.int64] | None, pick: npt.NDArray[np.int64] | None) -> npt.NDArray[np.int64]:
    """Frame-row indices → positions among the kept rows ``pick`` (sorted; None: every row), dropping rows not kept."""
    if marks is None or not len(marks):
        return np.zeros(0, dtype=np.int64)
    if pick is None:
        return marks
    at = np.searchsorted(pick, marks)
    inside = (at < len(pick)) & (pick[np.minimum(at, len(pick) - 1)] == marks)
    return t.cast(npt.NDArray[np.int64], at[inside].astype(np.int64))


_NUMERALS = re.compile(r"[0-9一二三四五六七八九十百零〇]")


def _looks_like_typo(a: str, b: str) -> bool:
    """Whether group name ``a`` looks like a mistyped ``b``: inside it, or within two edits.

    Names that differ only in their numbering (第一党支部 / 第二党支部) are different groups.

    >>> _looks_like_typo("第一支部", "第一党支部"), _looks_like_typo("第一党支部", "第五党支部"), _looks_like_typo("城关镇", "新华乡")
    (True, False, False)
    """
    if _NUMERALS.sub("", a) == _NUMERALS.sub("", b):
        return False
    if len(a) >= 2 and (a in b or b in a):
        return True
    if abs(len(a) - len(b)) > 2 or min(len(a), len(b)) < 3:
        return False
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > 2:
            return False
        previous = current
    return previous[-1] <= 2
