"""Create a new scheme folder that validates at once (``kaohe new``).

Blank: a commented scheme with one input and one item, sample data and a
scenario test that passes. ``--from SCHEME``: a scheme that ``extends`` the
given one (ready for ``override``/``remove``/``add``), a data-entry workbook
for it, and a scenario file to fill in with hand-worked numbers. A parent
outside the new scheme's schemes folder is copied in first (see
:func:`_parent_in_reach`), and the ``$schema`` line names a file that exists
(see :func:`_schema_reference`), so this works from any folder.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
from pathlib import Path

from engine.errors import Location, Problem, UsageError
from engine.resources import SCHEMA_NAME, bundled_scheme, schema_file

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
#   override: 按编号修改（满分、扣分标准、分档边界、名称……），输入项、参数按名称修改（只写要改的键）
#   remove:   按编号删除项目、计算值、排名评选、结果运用、往期结果，按名称删除输入项、参数
#   add:      新增项目（to: 加到哪个分组，after/before: 放在哪个编号前后）
# 写完后运行 kaohe show {file} --changes 核对改动，kaohe validate {file} 检查。
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
scheme: ../{file}
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
# 期望值按细则手算，算式写在注释里。kaohe test {file} 运行这些案例（make test 也会收集）。
# 格式见 tests/README.md；数据可用 kaohe template {file} --out 填报.xlsx 生成的表头。
#
# scheme: ../{file}
# cases:
#   - name: 某单位
#     data:
#       名单:
#         - {{编号: A, 名称: 甲单位}}
#     expect:
#       A: {{total: 0.0}}
"""



#: Characters a folder name cannot hold on Windows, macOS or Linux (and path separators).
_UNSAFE = set('<>:"/\\|?*')
#: A scheme id (schema/scheme.schema.json: the top-level ``id`` pattern).
_ID = re.compile(r"[a-z][a-z0-9_-]*")


def scheme_id(name: str, given: str | None = None) -> str:
    """The scheme ``id`` for a new scheme called ``name`` (also its folder and file name).

    An ASCII name must itself be a valid id. A Chinese name (我县考核) keeps
    its folder and file name; its id, which the schema keeps ASCII because
    it goes into results files and the history database, is ``given``
    (``--id``) or derived from the name so that it is stable.

    >>> scheme_id("mouxian")
    'mouxian'
    >>> scheme_id("我县考核")
    'scheme-1a8a578e'
    >>> scheme_id("我县考核", "woxian")
    'woxian'

    Raises:
        UsageError: a name no folder can have, or an id that does not fit the pattern.
    """
    if given is not None:
        if not _ID.fullmatch(given):
            raise UsageError([Problem.at("new_bad_id", Location("--id"), found=given)])
        if name.isascii() and not _ID.fullmatch(name):
            raise UsageError([Problem.at("new_bad_name", Location("kaohe new"), found=name)])
        return given
    if name.isascii():
        if not _ID.fullmatch(name):
            raise UsageError([Problem.at("new_bad_name", Location("kaohe new"), found=name)])
        return name
    if not name.strip() or name.startswith(".") or any(c in _UNSAFE or c.isspace() or ord(c) < 32 for c in name):
        raise UsageError([Problem.at("new_bad_name", Location("kaohe new"), found=name)])
    return "scheme-" + hashlib.sha1(name.encode("utf-8")).hexdigest()[:8]


def _schema_reference(folder: Path, target: Path) -> tuple[str, list[Path]]:
    """The ``$schema`` path for a scheme in ``target`` and the files written for it.

    In a clone whose schemes folder holds the new scheme, the reference is
    the repository's own ``schema/scheme.schema.json`` (kept up to date by
    git). Anywhere else — an installed wheel, a folder outside the clone —
    the schema is copied into ``folder`` (beside the scheme folders) so the
    reference points at a file that exists and moves with the schemes.
    """
    shipped = schema_file().resolve()
    project = shipped.parent.parent
    # Installed, the schema sits inside the package (…/engine/schema/): never a place to point at.
    if project.name != "engine" and project in target.resolve().parents:
        return os.path.relpath(shipped, target.resolve()).replace(os.sep, "/"), []
    copy, changed = write_schema(folder)
    return f"../{SCHEMA_NAME}", [copy] if changed else []


def write_schema(folder: Path) -> tuple[Path, bool]:
    """Copy the shipped JSON Schema into ``folder``; (the copy, whether it was written).

    An identical copy is left alone; an older one is replaced atomically.
    """
    shipped = schema_file()
    copy = folder / SCHEMA_NAME
    content = shipped.read_bytes()
    if copy.is_file() and copy.read_bytes() == content:
        return copy, False
    from engine.files import replace_atomically

    def write(temporary: Path) -> None:
        temporary.write_bytes(content)

    # Beside the copy under a fresh name, removed if writing fails (a full disk leaves nothing behind).
    replace_atomically(copy, write)
    return copy, True


def _source_file(source: Path) -> Path:
    """The scheme file named by ``--from``: a file, a scheme folder, or a bundled scheme's name."""
    from engine.loader import scheme_in_folder

    if source.is_dir():
        return scheme_in_folder(source)
    if source.exists():
        return source
    bundled = bundled_scheme(str(source))
    if len(source.parts) == 1 and bundled.is_file():
        return bundled  # `kaohe new 我县 --from jifenzhi`: the scheme shipped with Kaohe
    raise UsageError([Problem.at("file_not_found", Location(str(source)))])


def _parent_in_reach(source: Path, target: Path) -> tuple[Path, list[Path]]:
    """The parent scheme file the new scheme's ``extends`` names, and the files copied for it.

    ``extends`` may only reach schemes in the same schemes folder
    (engine/inherit.py). A parent already there is named as it is; one
    elsewhere (another folder, the schemes shipped inside the wheel) is
    copied in with its folder — data and tests too — so that the new
    scheme folder and its parent travel together. A parent that itself
    extends another is copied resolved, as one complete scheme.
    """
    from engine.inherit import _schemes_root
    from engine.inherit import load_scheme
    from engine.loader import load_scheme_file

    root = _schemes_root((target / "x.yaml").resolve())
    if root in source.resolve().parents:
        return source, []
    copy_folder = root / source.resolve().parent.name
    copy = copy_folder / source.name
    own = load_scheme_file(source)
    text = source.read_text(encoding="utf-8-sig")
    if "extends" in own.data:
        import yaml

        resolved = load_scheme(source).data
        text = (f"# {source.name}: 由 kaohe new 从 {source} 复制，extends 已展开为完整方案。\n"
                + yaml.safe_dump(resolved, allow_unicode=True, sort_keys=False, width=120))
    if copy_folder.exists():
        if copy.is_file() and copy.read_text(encoding="utf-8-sig") == text:
            return copy, []  # copied for an earlier county scheme: share it
        raise UsageError([Problem.at("new_parent_exists", Location(str(copy_folder)), source=str(source))])
    shutil.copytree(source.resolve().parent, copy_folder, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "~$*"))
    copy.write_text(text, encoding="utf-8")
    return copy, sorted(p for p in copy_folder.rglob("*") if p.is_file())


def create(name: str, folder: Path, source: Path | None, ident: str | None = None) -> list[Path]:
    """Write the new scheme folder ``folder / name``; returns the files written.

    Everything that can be refused (the name, an existing folder, a missing
    or broken ``--from`` scheme) is checked before the first file is written.

    Raises:
        UsageError: bad name or id, folder exists, or ``source`` missing.
        SchemeError: the ``--from`` scheme does not compile.
    """
    ident = scheme_id(name, ident)
    target = folder / name
    if target.exists():
        raise UsageError([Problem.at("new_exists", Location(str(target)))])
    if source is not None:
        from engine.compiler import compile_scheme
        from engine.inherit import load_scheme

        parent_source = _source_file(source)
        compile_scheme(load_scheme(parent_source))  # a broken parent fails here, before anything is written
    made = [p for p in (folder, *folder.parents) if not p.exists()]  # the folders this call creates
    schema = folder / SCHEMA_NAME
    had_schema = schema.exists()
    copied: list[Path] = []
    try:
        parent: Path | None = None
        if source is not None:
            parent, copied = _parent_in_reach(parent_source, target)
        return _write(name, folder, target, ident, parent, copied)
    except OSError as err:
        # A read-only or full --dir: take back what was written, so that a second try starts clean.
        shutil.rmtree(target, ignore_errors=True)
        for folder_copied in {path.parent for path in copied}:
            shutil.rmtree(folder_copied, ignore_errors=True)
        with contextlib.suppress(OSError):
            if not had_schema:
                schema.unlink(missing_ok=True)
        for path in made:
            with contextlib.suppress(OSError):
                path.rmdir()
        raise UsageError([Problem.at("cli_new_unwritable", Location(""), folder=str(folder), reason=err.strerror or str(err))]) from None


def _write(name: str, folder: Path, target: Path, ident: str, parent: Path | None, copied: list[Path]) -> list[Path]:
    """The writing half of :func:`create`, once everything it checks has passed."""
    written: list[Path] = []
    target.mkdir(parents=True)
    schema_ref, schema_files = _schema_reference(folder, target)
    written += schema_files
    (target / "data").mkdir()
    (target / "tests").mkdir()
    file = f"{name}.yaml"
    scheme_file = target / file
    if parent is None:
        title = name if not name.isascii() else f"{name} 考核方案"
        scheme_file.write_text(BLANK.format(schema=schema_ref, id=ident, title=title), encoding="utf-8")
        (target / "data" / "名单.csv").write_text("编号,名称\nA,甲单位\nB,乙单位\n", encoding="utf-8-sig")
        (target / "data" / "得分.csv").write_text("编号,示例得分\nA,92\nB,59.5\n", encoding="utf-8-sig")
        (target / "tests" / "example.yaml").write_text(BLANK_TEST.format(file=file, title=title), encoding="utf-8")
        return [scheme_file, target / "data" / "名单.csv", target / "data" / "得分.csv", target / "tests" / "example.yaml"] + written
    relative = os.path.relpath(parent.resolve(), target.resolve()).replace(os.sep, "/")
    title = f"{name}（在 {parent.stem} 基础上修改）"
    scheme_file.write_text(EXTENDS.format(schema=schema_ref, id=ident, title=title, parent=parent.name, extends=relative, file=file),
                           encoding="utf-8")
    notes = target / "tests" / "README.yaml.txt"
    notes.write_text(EXTENDS_TEST.format(file=file, title=title), encoding="utf-8")
    from engine.compiler import compile_scheme
    from engine.inherit import load_scheme
    from engine.template import write_template

    scheme, _ = compile_scheme(load_scheme(scheme_file))
    workbook = target / "data" / "填报模板.xlsx"
    write_template(scheme, workbook)
    return [scheme_file, notes, workbook] + written + copied
