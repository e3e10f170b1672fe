"""Create a new scheme folder that validates at once (``kaohe new``).

Blank: a commented scheme with one input and one item, sample data and a
scenario test that passes. ``--from SCHEME``: a scheme that ``extends`` the
given one (ready for ``override``/``remove``/``add``), a data-entry workbook
for it, and a scenario file to fill in with hand-worked numbers.
"""

from __future__ import annotations

import os
from pathlib import Path

from engine.errors import Location, Problem, UsageError

BLANK = """\
# yaml-language-server: $schema={schema}
#
# {title}
# 依据: （在此写明文件名称、文号和条款）
# 每条解释不清的原文，请把你的理解写成注释，放在对应条目旁边。
kaohe: 1
id: {id}
version: "1"
title: {title}
subject: 单位
precision: 2

inputs:
  example_score:
    title: 示例得分
    type: number
    range: [0, 100]
    note: 换成你的输入项；数据表的表头写编号或这里的标题都可以。

items:
  - id: example
    title: 示例项目
    max: 100
    formula: example_score

grades:
  - id: level
    title: 等次
    bands:
      - {{ge: 90, value: 优秀}}
      - {{ge: 60, lt: 90, value: 合格}}
      - {{lt: 60, value: 不合格}}
"""

EXTENDS = """\
# yaml-language-server: $schema={schema}
#
# {title}
# 在 {parent} 的基础上修改: 只写改动。
#   override: 按编号修改（满分、扣分标准、分档边界、名称……）
#   remove:   按编号删除
#   add:      新增项目（to: 加到哪个分组，after/before: 放在哪个编号前后）
# 写完后运行 kaohe show {id}.yaml --changes 核对改动，kaohe validate 检查。
extends: {extends}
id: {id}
version: "1"
title: {title}

# override:
#   item_id: {{max: 5}}
# remove: [item_id]
# add:
#   - {{to: section_id, after: item_id, item: {{id: new_item, title: 新项目, max: 2, formula: some_input}}}}
"""

BLANK_TEST = """\
# {title} 的场景测试: 期望值按细则手算，算式写在注释里。
scheme: ../{id}.yaml
cases:
  - name: 示例
    data:
      名单:
        - {{编号: A, 名称: 甲单位}}
        - {{编号: B, 名称: 乙单位}}
      得分:
        - {{编号: A, example_score: 92}}
        - {{编号: B, example_score: 59.5}}
    expect:
      # A: 示例得分 92 → 总分 92 ≥ 90 → 优秀
      A: {{total: 92.0, grade: 优秀}}
      # B: 59.5 < 60 → 不合格
      B: {{total: 59.5, grade: 不合格}}
"""

EXTENDS_TEST = """\
# {title} 的场景测试（待填写）: 写好 override/remove/add 后，照下面的格式写至少一个案例，
# 期望值按细则手算，算式写在注释里。kaohe test {id}.yaml 运行这些案例（make test 也会收集）。
# 格式见 tests/README.md；数据可用 kaohe template {id}.yaml --out 填报.xlsx 生成的表头。
#
# scheme: ../{id}.yaml
# cases:
#   - name: 某单位
#     data:
#       名单:
#         - {{编号: A, 名称: 甲单位}}
#     expect:
#       A: {{total: 0.0}}
"""


def create(name: str, folder: Path, source: Path | None) -> list[Path]:
    """Write the new scheme folder ``folder / name``; returns the files written.

    Raises:
        UsageError: bad name, folder exists, or ``source`` missing.
    """
    import re

    if not re.fullmatch(r"[a-z][a-z0-9_-]*", name):
        raise UsageError([Problem.at("new_bad_name", Location("kaohe new"), found=name)])
    target = folder / name
    if target.exists():
        raise UsageError([Problem.at("new_exists", Location(str(target)))])
    schema = Path(__file__).resolve().parent.parent / "schema" / "scheme.schema.json"
    (target / "data").mkdir(parents=True)
    (target / "tests").mkdir()
    written: list[Path] = []
    scheme_file = target / f"{name}.yaml"
    schema_ref = os.path.relpath(schema, target)
    if source is None:
        title = f"{name} 考核方案"
        scheme_file.write_text(BLANK.format(schema=schema_ref, id=name, title=title), encoding="utf-8")
        (target / "data" / "名单.csv").write_text("编号,名称\nA,甲单位\nB,乙单位\n", encoding="utf-8-sig")
        (target / "data" / "得分.csv").write_text("编号,示例得分\nA,92\nB,59.5\n", encoding="utf-8-sig")
        (target / "tests" / "example.yaml").write_text(BLANK_TEST.format(id=name, title=title), encoding="utf-8")
        written += [scheme_file, target / "data" / "名单.csv", target / "data" / "得分.csv", target / "tests" / "example.yaml"]
        return written
    if not source.exists():
        raise UsageError([Problem.at("file_not_found", Location(str(source)))])
    relative = os.path.relpath(source.resolve(), target.resolve())
    title = f"{name}（在 {source.stem} 基础上修改）"
    scheme_file.write_text(EXTENDS.format(schema=schema_ref, id=name, title=title, parent=source.name, extends=relative), encoding="utf-8")
    notes = target / "tests" / "README.yaml.txt"
    notes.write_text(EXTENDS_TEST.format(id=name, title=title), encoding="utf-8")
    written += [scheme_file, notes]
    from engine.compiler import compile_scheme
    from engine.loader import load_scheme
    from engine.template import write_template

    scheme, _ = compile_scheme(load_scheme(scheme_file))
    workbook = target / "data" / "填报模板.xlsx"
    write_template(scheme, workbook)
    written.append(workbook)
    return written
