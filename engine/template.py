"""Write a data-entry workbook for a scheme: Scheme → XLSX that ``kaohe run`` reads back.

One sheet for the unit list (with the per-unit inputs nobody else enters),
one sheet per department for the per-unit inputs it enters (``entered_by``),
one sheet per dimension (月份, 测评人 …) — each with the Chinese titles the
reader recognises as headers, Excel data validation for declared ranges,
categories and yes/no, and a 说明 (instructions) sheet the reader skips.
Filling the sheets in and passing the workbook to ``kaohe run --data`` needs
no editing.
"""

from __future__ import annotations

import typing as t
from pathlib import Path

from engine.model import Input, Scheme

#: The instructions sheet; the data reader skips it.
INSTRUCTIONS = "说明"


def write_template(scheme: Scheme, path: Path) -> list[str]:
    """Write the workbook to ``path``; returns the sheet names written."""
    import openpyxl
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    book = openpyxl.Workbook()
    book.remove(book.active)
    header_font = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="DDEBF7")
    rows = 200  # validation reaches this many rows below the header

    def sheet(title: str, columns: list[tuple[str, Input | None]]) -> None:
        ws = book.create_sheet(_sheet_title(title, book.sheetnames))
        ws.append([name for name, _ in columns])
        for cell in ws[1]:
            cell.font = header_font
            cell.fill = header_fill
            cell.alignment = Alignment(wrap_text=True, vertical="center")
        ws.freeze_panes = "A2"
        for row in range(2, rows + 2):
            # Text format: Excel would otherwise turn the id 001 into the number 1.
            ws.cell(row=row, column=1).number_format = "@"
        for index, (name, spec) in enumerate(columns, start=1):
            letter = ws.cell(row=1, column=index).column_letter
            ws.column_dimensions[letter].width = max(10, min(36, len(name) * 2 + 2))
            if spec is None:
                continue
            validation = _validation(spec, DataValidation)
            if validation is not None:
                ws.add_data_validation(validation)
                validation.add(f"{letter}2:{letter}{rows + 1}")

    per_unit = [s for s in scheme.inputs.values() if s.per is None]
    departments: dict[str, list[Input]] = {}
    for spec in per_unit:
        departments.setdefault(_department(spec), []).append(spec)
    unit_columns: list[tuple[str, Input | None]] = [("编号", None), ("名称", None)]
    if scheme.group_title and scheme.group_title != "分组" or _has_group(scheme):
        unit_columns.append((scheme.group_title, None))
    if scheme.unit_types:
        unit_columns.append(("类型", None))
    unit_columns += [(s.title, s) for s in departments.pop("", [])]
    sheet("名单", unit_columns)
    for department, inputs in departments.items():
        sheet(department, [("编号", None)] + [(s.title, s) for s in inputs])
    for ident, dimension in scheme.dimensions.items():
        inputs = [s for s in scheme.inputs.values() if s.per == ident]
        if inputs:
            sheet(dimension.title, [("编号", None), (dimension.title, None)] + [(s.title, s) for s in inputs])
    _instructions(book.create_sheet(INSTRUCTIONS, 0), scheme)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return list(book.sheetnames)


def _has_group(scheme: Scheme) -> bool:
    return any(r.per_group for r in scheme.rankings)


def _department(spec: Input) -> str:
    """Sheet for a per-unit input: the first department that enters it
    ("组织部、干部部" → 组织部, "生产制造部等" → 生产制造部), or the unit list ("")."""
    import re

    first = re.split(r"[、，,;；/]", spec.entered_by.strip())[0]
    first = re.sub(r"[（(].*?[）)]", "", first).strip()
    return first[:-1] if first.endswith("等") else first


def _sheet_title(title: str, taken: list[str]) -> str:
    # Excel sheet names: at most 31 characters, none of []:*?/\
    clean = "".join(c for c in title if c not in "[]:*?/\\")[:31] or "数据"
    name, n = clean, 2
    while name in taken:
        name = f"{clean[:28]}({n})"
        n += 1
    return name


def _validation(spec: Input, factory: t.Any) -> t.Any:
    if spec.type == "boolean":
        return factory(type="list", formula1='"是,否"', allow_blank=True)
    if spec.type == "category" and spec.values:
        listed = ",".join(spec.values)
        if len(listed) <= 250:  # Excel's limit for an inline list
            return factory(type="list", formula1=f'"{listed}"', allow_blank=True)
        return None
    low, high = spec.range if spec.range is not None else (None, None)
    if spec.type == "count":
        return factory(type="whole", operator="greaterThanOrEqual", formula1=str(int(low or 0)), allow_blank=True) if high is None \
            else factory(type="whole", operator="between", formula1=str(int(low or 0)), formula2=str(int(high)), allow_blank=True)
    if low is not None and high is not None:
        return factory(type="decimal", operator="between", formula1=f"{low:g}", formula2=f"{high:g}", allow_blank=True)
    return None


_TYPES = {"number": "数字", "count": "非负整数（次数、人数）", "percentage": "百分数（0–100，填 95 表示 95%）",
          "boolean": "是/否", "category": "文字类别"}
_MISSING = {"error": "必填（空着会报错）", "zero": "空着按 0（或 否）计", "skip": "可以空着"}


def _instructions(ws: t.Any, scheme: Scheme) -> None:
    from openpyxl.styles import Font

    ws.append([f"{scheme.title}（{scheme.id} {scheme.version}）数据填报表"])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append(["每张表第一行是表头，请勿改动；从第二行起每行填一个单位（按月、按测评人的表每月、每人一行）。"])
    ws.append(["编号须与\"名单\"表一致；本表（说明）不会被读取。填好后运行: kaohe run 方案.yaml --data 本文件.xlsx"])
    ws.append([])
    ws.append(["表头（输入项）", "编号", "类型", "范围或取值", "填写要求", "填报部门", "说明"])
    for cell in ws[5]:
        cell.font = Font(bold=True)
    for spec in scheme.inputs.values():
        allowed = "、".join(spec.values) if spec.values else (f"{spec.range[0]:g} – {spec.range[1]:g}" if spec.range else "")
        per = f"（每个{scheme.dimensions[spec.per].title}一行）" if spec.per else ""
        ws.append([spec.title, spec.id, _TYPES[spec.type] + per, allowed, _MISSING[spec.missing],
                   spec.entered_by, spec.note])
    ws.column_dimensions["A"].width = 34
    for letter in "BCDEFG":
        ws.column_dimensions[letter].width = 20
