"""Write a data-entry workbook for a scheme: Scheme → XLSX that ``kaohe run`` reads back.

One sheet for the unit list (with the per-unit inputs nobody else enters),
one sheet per department for the per-unit inputs it enters (``entered_by``),
one sheet per dimension (月份, 测评人 …) — each with the Chinese titles the
reader recognises as headers, and a 说明 (instructions) sheet the reader
skips. Every header cell carries a note (an Excel comment) saying what the
column holds: title and id, type, range or allowed values, unit of measure,
one row per what, the missing-value policy and who enters it; the 说明 sheet
says what one row of each sheet is and how many rows the scheme needs.

Excel data validation (declared ranges, categories, yes/no, unit types,
dimension values) covers the whole column below the header, so it holds
however many rows are entered — 480 monthly rows for 40 members, or 1.2
million. Id columns are text (001 stays 001) on the column and explicitly on
the rows the scheme needs for ``units`` units. Filling the sheets in and
passing the workbook to ``kaohe run --data`` needs no editing.
"""

from __future__ import annotations

import re
import typing as t
from pathlib import Path

from engine import needs
from engine.context import DEFAULT, Context
from engine.model import Dimension, Input, Scheme

#: The instructions sheet; the data reader skips it.
INSTRUCTIONS = "说明"

#: Units prepared for when the command line does not say (``--units``).
DEFAULT_UNITS = 200

#: Rows per unit prepared on a sheet per open dimension (raters, records …),
#: whose number of values the scheme does not fix.
OPEN_ROWS_PER_UNIT = 10

#: The last row of a worksheet (Excel 2007+): validation runs down to it.
LAST_ROW = 1_048_576


class Column(t.NamedTuple):
    """One column of a data sheet: its header, the note on it, and what is validated."""

    header: str
    note: str
    spec: Input | None = None
    #: Allowed values of a non-input column (unit types, dimension values).
    allowed: tuple[str, ...] | None = None
    text: bool = False


def write_template(scheme: Scheme, path: Path, units: int | None = None, context: Context = DEFAULT) -> list[str]:
    """Write the workbook to ``path``; returns the sheet names written.

    Args:
        units: how many units will be entered (rows prepared: that many on a
            per-unit sheet, that many × the dimension's values on a
            per-dimension sheet); default :data:`DEFAULT_UNITS`.
        context: its language is that of the notes and instructions; the
            headers are the scheme's titles either way.
    """
    import openpyxl
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill

    count = DEFAULT_UNITS if units is None else max(1, units)
    book = openpyxl.Workbook()
    book.remove(book.active)
    header_font = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="DDEBF7")
    plan: list[tuple[str, str, int]] = []  # (sheet, what one row is, rows needed)
    # Inputs only some unit types need (engine.needs); "needed by every declared type" is said as nothing.
    required = {ident: scope for ident, scope in needs.required_types(scheme).items()
                if scope is not None and not set(scheme.unit_types) <= scope}

    def sheet(title: str, columns: list[Column], rows: int, row_is: str) -> None:
        columns = [c._replace(header=_clean(c.header), note=_clean(c.note),
                              allowed=None if c.allowed is None else tuple(map(_clean, c.allowed))) for c in columns]
        ws = book.create_sheet(_sheet_title(title, book.sheetnames))
        plan.append((ws.title, row_is, rows))
        _append_text(ws, [c.header for c in columns])
        for index, (cell, column) in enumerate(zip(ws[1], columns), start=1):
            cell.font = header_font
            cell.fill = header_fill
            cell.alignment = Alignment(wrap_text=True, vertical="center")
            comment = Comment(column.note, "kaohe")
            comment.width, comment.height = 320, 40 + 18 * column.note.count("\n")
            cell.comment = comment
            letter = cell.column_letter
            ws.column_dimensions[letter].width = max(10, min(36, len(column.header) * 2 + 2))
            if column.text:
                # Text format: Excel would otherwise turn the id 001 into the number 1. On the
                # column (rows typed later) and on each row the scheme needs (for other programs).
                ws.column_dimensions[letter].number_format = "@"
                for row in range(2, min(rows, LAST_ROW - 1) + 2):  # a sheet ends at row 1,048,576
                    ws.cell(row=row, column=index).number_format = "@"
            validation = _validation(column, context)
            if validation is not None:
                ws.add_data_validation(validation)
                validation.add(f"{letter}2:{letter}{LAST_ROW}")
        ws.freeze_panes = "A2"

    unit_id = Column("编号", context.say("单位编号（必填）。每个单位一个，各表写法一致；按文本保存，001 不会变成 1。",
                                "Unit id (required). One per unit, written the same on every sheet; kept as text, so 001 stays 001."), text=True)
    per_unit = [s for s in scheme.inputs.values() if s.per is None]
    departments: dict[str, list[Input]] = {}
    for spec in per_unit:
        departments.setdefault(_department(spec), []).append(spec)
    unit_columns = [unit_id, Column("名称", context.say("单位名称（必填）。", "Unit name (required)."))]
    if scheme.group_title and scheme.group_title != "分组" or _has_group(scheme):
        group = scheme.group_title
        unit_columns.append(Column(group, context.say(f"所属{group}。同一{group}的单位一起排名、计算名额；写法须完全一致（第一党支部 ≠ 第一支部）。",
            f"The unit's {group}: units of one {group} are ranked and get quotas together; write each the same way every time.")))
    if scheme.unit_types:
        listed = "、".join(scheme.unit_types)
        unit_columns.append(Column("类型", context.say(f"单位类型（必填），只能填: {listed}。不同类型适用的考核项目不同。",
                                             f"Unit type (required), one of: {listed}. Types are scored on different items."),
                                   allowed=scheme.unit_types))
    unit_columns += [_input_column(s, scheme, context, required.get(s.id)) for s in departments.pop("", [])]
    sheet("名单", unit_columns, count, context.say("一个单位", "one unit"))
    for department, inputs in departments.items():
        sheet(department, [unit_id] + [_input_column(s, scheme, context, required.get(s.id)) for s in inputs], count,
              context.say(f"一个单位（由{department}填报）", f"one unit (entered by {department})"))
    for ident, dimension in scheme.dimensions.items():
        inputs = [s for s in scheme.inputs.values() if s.per == ident]
        if inputs:
            per_unit_rows = len(dimension.values) if dimension.values else OPEN_ROWS_PER_UNIT
            sheet(dimension.title, [unit_id, _dimension_column(dimension, context)] + [_input_column(s, scheme, context, required.get(s.id)) for s in inputs],
                  count * per_unit_rows, context.say(f"一个单位的一个{dimension.title}", f"one {dimension.title} of one unit"))
    _instructions(book.create_sheet(INSTRUCTIONS, 0), scheme, plan, count, context)
    from engine.files import replace_atomically

    # Saved beside the target and moved into place: a failure halfway (a full disk) leaves no
    # cut-off workbook that a second run would then refuse to overwrite.
    replace_atomically(path, book.save)
    return list(book.sheetnames)


def _has_group(scheme: Scheme) -> bool:
    return any(r.per_group for r in scheme.rankings)


def _department(spec: Input) -> str:
    """Sheet for a per-unit input: the first department that enters it
    ("组织部、干部部" → 组织部, "生产制造部等" → 生产制造部), or the unit list ("")."""
    first = re.split(r"[、，,;；/]", spec.entered_by.strip())[0]
    first = re.sub(r"[（(].*?[）)]", "", first).strip()
    return first[:-1] if first.endswith("等") else first


#: Characters a worksheet cannot hold (openpyxl refuses them): XML 1.0's control characters.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _clean(text: str) -> str:
    """``text`` without control characters (a scheme may write a BEL as "\\a" in a quoted title)."""
    return _CONTROL.sub("", text)


def _append_text(ws: t.Any, row: t.Sequence[t.Any]) -> None:
    """Append ``row`` with its texts kept as text.

    The titles, notes and values come from the scheme, which travels between
    offices: openpyxl would store "=HYPERLINK(…)" as a live formula, so such
    a cell is marked a string; control characters, which a sheet cannot
    hold, are removed.
    """
    ws.append([_clean(v) if isinstance(v, str) else v for v in row])
    for cell in ws[ws.max_row]:
        if cell.data_type == "f":
            cell.data_type = "s"


def _sheet_title(title: str, taken: list[str]) -> str:
    # Excel sheet names: at most 31 characters, none of []:*?/\
    clean = "".join(c for c in _clean(title) if c not in "[]:*?/\\")[:31] or "数据"
    name, n = clean, 2
    while name in taken:
        name = f"{clean[:28]}({n})"
        n += 1
    return name


_TYPES = {"number": ("数字", "number"), "count": ("非负整数（次数、人数）", "whole number ≥ 0 (times, people)"),
          "percentage": ("百分数（0–100，填 95 表示 95%）", "percentage (0–100: write 95 for 95%)"),
          "boolean": ("是/否", "yes/no (是/否)"), "category": ("文字类别", "category (text)")}
_MISSING = {"error": ("必填（空着会报错）", "required (a blank is an error)"),
            "zero": ("空着按 0（或 否）计", "a blank counts as 0 (or 否)"),
            "skip": ("可以空着", "may be left blank")}


def _measure(spec: Input, context: Context) -> str:
    """The unit of measure of an input, as far as its type and title tell."""
    if spec.type == "percentage":
        return "%"
    if spec.type == "count":
        return context.say("次/人/个（整数）", "times / people / items (whole numbers)")
    if spec.type == "number" and spec.title.endswith("分"):
        return context.say("分", "points")
    if spec.type == "boolean":
        return context.say("填“是”或“否”", "write 是 (yes) or 否 (no)")
    return "—"


def _allowed(spec: Input) -> str:
    if spec.values:
        return "、".join(spec.values)
    if spec.range is not None:
        return f"{spec.range[0]:g} – {spec.range[1]:g}"
    return ""


def _input_column(spec: Input, scheme: Scheme, context: Context, needed_by: frozenset[str] | None = None) -> Column:
    """An input's column with its note: everything a clerk needs to fill it in."""
    type_text = context.say(*_TYPES[spec.type])
    lines = [f"{spec.title}（{spec.id}）", context.say(f"类型: {type_text}", f"type: {type_text}")]
    allowed = _allowed(spec)
    if allowed:
        lines.append(context.say(f"{'取值' if spec.values else '范围'}: {allowed}", f"{'values' if spec.values else 'range'}: {allowed}"))
    lines.append(context.say(f"单位: {_measure(spec, context)}", f"unit: {_measure(spec, context)}"))
    if spec.per is not None:
        dimension = scheme.dimensions[spec.per].title
        lines.append(context.say(f"每个单位每个{dimension}一行", f"one row per unit and {dimension}"))
    lines.append(context.say(f"缺失: {_MISSING[spec.missing][0]}", f"missing: {_MISSING[spec.missing][1]}"))
    if needed_by is not None:  # only some unit types' items read it (engine.needs): the others may leave it blank
        types = "、".join(sorted(needed_by))
        lines.append(context.say(f"只需类型为{types}的单位填写，其他单位可以空着", f"needed only by units of type {types}; others may leave it blank"))
    if spec.entered_by:
        lines.append(context.say(f"填报: {spec.entered_by}", f"entered by: {spec.entered_by}"))
    if spec.note:
        lines.append(spec.note)
    return Column(spec.title, "\n".join(lines), spec=spec)


def _dimension_column(dimension: Dimension, context: Context) -> Column:
    title = dimension.title
    if dimension.values:
        listed = "、".join(dimension.values)
        note = context.say(f"{title}（必填）: 每个单位每个{title}一行，只能填 {listed}。",
                  f"{title} (required): one row per unit and {title}, one of {listed}.")
        return Column(title, note, allowed=dimension.values)
    return Column(title, context.say(f"{title}（必填）: 每个单位每个{title}一行，同一单位不能重复。",
                            f"{title} (required): one row per unit and {title}; no repeats within a unit."))


def _validation(column: Column, context: Context) -> t.Any:
    """Excel data validation for a column (with the message shown when a wrong value is typed), or None."""
    from openpyxl.worksheet.datavalidation import DataValidation

    spec = column.spec
    validation: t.Any = None
    if spec is None:
        if column.allowed:
            validation = _choice(column.allowed, DataValidation)
    elif spec.type == "boolean":
        validation = DataValidation(type="list", formula1='"是,否"', allow_blank=True)
    elif spec.type == "category" and spec.values:
        validation = _choice(spec.values, DataValidation)
    else:
        low, high = spec.range if spec.range is not None else (None, None)
        if spec.type == "count":
            validation = DataValidation(type="whole", operator="greaterThanOrEqual", formula1=str(int(low or 0)), allow_blank=True) if high is None \
                else DataValidation(type="whole", operator="between", formula1=str(int(low or 0)), formula2=str(int(high)), allow_blank=True)
        elif low is not None and high is not None:
            validation = DataValidation(type="decimal", operator="between", formula1=f"{low:g}", formula2=f"{high:g}", allow_blank=True)
    if validation is not None:
        first = column.note.split("\n")
        validation.showErrorMessage = True
        validation.errorTitle = context.say("填写有误", "Not allowed")[:32]
        validation.error = ("\n".join(first[1:3]) if spec is not None else column.note)[:255]
        validation.showInputMessage = True
        validation.promptTitle = column.header[:32]
        validation.prompt = "\n".join(first[1:4] if spec is not None else first)[:255]
    return validation


def _choice(values: t.Sequence[str], factory: t.Any) -> t.Any:
    listed = _clean(",".join(values))
    # Excel's limit for an inline list is 255 characters, and it has no quoting for a comma or quote in a value.
    if len(listed) > 250 or any(c in value for value in values for c in '",'):
        return None
    return factory(type="list", formula1=f'"{listed}"', allow_blank=True)


def _instructions(ws: t.Any, scheme: Scheme, plan: list[tuple[str, str, int]], units: int, context: Context) -> None:
    def append(row: list[t.Any]) -> None:
        _append_text(ws, row)

    from openpyxl.styles import Font

    append([context.say(f"{scheme.title}（版本 {scheme.version}）数据填报表", f"{scheme.title} (version {scheme.version}) data-entry workbook")])
    ws["A1"].font = Font(bold=True, size=14)
    append([context.say("每张表第一行是表头，请勿改动；从第二行起每行填一条（见下表“每行填写”）。表头单元格的批注说明该列的类型、范围、单位、缺失处理和填报部门。",
                  "Row 1 of each sheet is the header: do not change it. From row 2, one record per row (see 'one row is' below). "
                  "The note on each header cell gives the column's type, range, unit, missing policy and who enters it.")])
    append([context.say("编号须与\"名单\"表一致；本表（说明）不会被读取。填好后运行: kaohe run 方案.yaml --data 本文件.xlsx",
                  "Ids must match the 名单 sheet; this sheet (说明) is not read. When filled in, run: kaohe run SCHEME.yaml --data THIS.xlsx")])
    append([])
    append([context.say("工作表", "Sheet"), context.say("每行填写", "One row is"), context.say(f"行数（按 {units} 个单位）", f"Rows (for {units} units)")])
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    for name, row_is, rows in plan:
        append([name, row_is, rows])
    append([])
    append([context.say("表头（输入项）", "Header (input)"), context.say("编号", "Id"), context.say("类型", "Type"), context.say("范围或取值", "Range or values"),
               context.say("单位", "Unit"), context.say("填写要求", "Missing values"), context.say("填报部门", "Entered by"), context.say("说明", "Note")])
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    for spec in scheme.inputs.values():
        per = context.say(f"（每个{scheme.dimensions[spec.per].title}一行）", f" (one row per {scheme.dimensions[spec.per].title})") if spec.per else ""
        append([spec.title, spec.id, context.say(*_TYPES[spec.type]) + per, _allowed(spec), _measure(spec, context),
                   context.say(*_MISSING[spec.missing]), spec.entered_by, spec.note])
    ws.column_dimensions["A"].width = 34
    for letter in "BCDEFGH":
        ws.column_dimensions[letter].width = 20
