"""Outcomes → Word or PDF files in a folder: all units in one set of documents,
or (``--by 党支部``) one folder per group with its own 公示, score sheets and
notices, plus an index of the folders and the summary over everyone.

Everything is written into a temporary folder inside ``out`` first (converted
to PDF there when asked) and moved into place only when every file is done:
a missing LibreOffice or a failed conversion leaves ``out`` as it was.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import typing as t
from pathlib import Path

from engine.context import Context
from engine.documents import Document, documents, groups_of, index
from engine.errors import KaoheError, Location, Problem
from engine.grade import Outcomes
from engine.reports import Settings, drop_parts, notice_units, split_units
from engine.results_table import unit_order

FORMATS = ("docx", "pdf")

#: Characters Windows or a zip file refuse in a folder name.
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]')

#: File names a reader sees (the kinds' Chinese names, as offices file them).
FILE_NAMES = {"gongshi": "公示", "sheets": "评分表", "notices": "整改通知书", "summary": "汇总", "index": "目录"}
FILE_NAMES_EN = {"gongshi": "gongshi", "sheets": "sheets", "notices": "notices", "summary": "summary", "index": "index"}


def file_name(kind: str, context: Context) -> str:
    """The file name (without suffix) of a document kind: 公示, 评分表 … (English: gongshi …)."""
    return context.say(FILE_NAMES[kind], FILE_NAMES_EN[kind])


def folder_name(group: str) -> str:
    """A group's folder: its name with the characters file systems refuse replaced.

    >>> folder_name("第一/二党支部")
    '第一_二党支部'
    """
    return _UNSAFE.sub("_", group).strip(". ") or "_"


def resolve_by(outcomes: Outcomes, by: str) -> str:
    """``--by`` as "group" or "parent": the scheme's group title (党支部), "group", or "parent"."""
    scheme = outcomes.results.scheme
    units = outcomes.results.data.units
    wanted = by.strip()
    if wanted in ("group", scheme.group_title, "分组"):
        kind = "group"
        column = units.groups
    elif wanted in ("parent", "上级"):
        kind = "parent"
        column = units.parents
    else:
        raise KaoheError([Problem.at("document_unknown_by", Location("--by"), found=by, choices=scheme.group_title)])
    if not (column != "").any():
        raise KaoheError([Problem.at("document_no_groups", Location("--by"), title=scheme.group_title if kind == "group" else "上级")])
    return kind


#: Score sheets or notices in one Word file at most (one page each: 500 pages open in
#: Word or WPS in seconds); more are split into files of whole groups.
PER_FILE = 500


def _split_plan(outcomes: Outcomes, kinds: t.Sequence[str], settings: Settings, fmt: str) -> list[tuple[Path, Document]]:
    """The all-units documents; sheets and notices of more than :data:`PER_FILE` units as
    ``评分表/001.docx`` … (whole groups per file, engine.reports.split_units) with
    ``评分表目录`` listing the files and the groups in each."""
    context = settings.context
    plan: list[tuple[Path, Document]] = []
    for kind in kinds:
        chosen = notice_units(outcomes) if kind == "notices" else unit_order(outcomes)
        files = split_units(outcomes, chosen, PER_FILE) if kind in ("sheets", "notices") else [([], chosen)]
        if len(files) == 1:
            plan += [(Path(file_name(d.name, context)), d) for d in documents(outcomes, [kind], settings)]
            continue
        name = file_name(kind, context)
        listed: list[tuple[str, int, list[str]]] = []
        for k, (groups, units) in enumerate(files, 1):
            made = documents(outcomes, [kind], settings, units)
            plan += [(Path(name) / f"{k:03d}", d) for d in made]
            listed.append(("、".join(groups), len(units), [f"{name}/{k:03d}.{fmt}"]))
        title = outcomes.results.scheme.group_title
        plan.append((Path(name + context.say("目录", "-index")), index(outcomes, listed, settings, title, kind)))
    return plan


def write_documents(outcomes: Outcomes, out: Path, kinds: t.Sequence[str], settings: Settings, fmt: str,
                    by: str | None = None) -> list[Path]:
    """Write the documents of ``kinds`` as .docx or .pdf into ``out``; returns the files."""
    from engine.pdf import require_office, to_pdf
    from engine.word import write_docx

    if fmt not in FORMATS:
        raise ValueError(fmt)
    office = require_office() if fmt == "pdf" else None  # fail before any work, not after
    context = settings.context
    plan: list[tuple[Path, Document]] = []  # (path relative to out, without suffix; document)
    if by is None:
        plan += _split_plan(outcomes, kinds, settings, fmt)
    else:
        kind = resolve_by(outcomes, by)
        title = outcomes.results.scheme.group_title if kind == "group" else "上级"
        listed: list[tuple[str, int, list[str]]] = []
        for group, units in groups_of(outcomes, kind).items():
            folder = Path(folder_name(group))
            made = documents(outcomes, [k for k in kinds if k != "summary"], settings, units, group)
            plan += [(folder / file_name(d.name, context), d) for d in made]
            listed.append((group, len(units), [f"{folder}/{file_name(d.name, context)}.{fmt}" for d in made]))
        if "summary" in kinds:
            plan += [(Path(file_name(d.name, context)), d) for d in documents(outcomes, ["summary"], settings)]
        plan.insert(0, (Path(file_name("index", context)), index(outcomes, listed, settings, title)))
    out.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=".kaohe-", dir=out))
    written: list[Path] = []
    try:
        files: list[Path] = []
        if fmt == "docx":
            for relative, document in plan:
                target = scratch / relative.with_suffix(".docx")
                target.parent.mkdir(parents=True, exist_ok=True)
                files.append(write_docx(document, target))
        else:
            # One folder of numbered files, so that one LibreOffice run converts them all
            # (starting it costs seconds; a county has dozens of branches).
            flat = [write_docx(document, scratch / f"{k:05d}.docx") for k, (_, document) in enumerate(plan)]
            for k, pdf in enumerate(to_pdf(flat, office)):
                target = scratch / plan[k][0].with_suffix(".pdf")
                target.parent.mkdir(parents=True, exist_ok=True)
                pdf.replace(target)
                flat[k].unlink()
                files.append(target)
        for file in files:
            final = out / file.relative_to(scratch)
            final.parent.mkdir(parents=True, exist_ok=True)
            file.replace(final)
            written.append(final)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    if by is None:
        drop_stale_documents(out, written, kinds, fmt, context)
    return written


def drop_stale_documents(out: Path, written: t.Sequence[Path], kinds: t.Sequence[str], fmt: str, context: Context) -> None:
    """Remove the score sheets and notices an earlier run left in ``out`` in a form this run
    (``written``) did not write — the Word and PDF counterpart of :func:`engine.reports.drop_stale_parts`.

    A kind is written either whole (``评分表.docx``) or split (``评分表目录.docx`` and
    ``评分表/001.docx`` …); after a run only its own form is left: the numbered parts it did
    not write go (the index would not list them, and an office would post a stale sheet), and
    so does the other form's file. Only a kind this run wrote, in its language and format, is
    touched, and only our own names; a user's file in the folder stays.
    """
    done = set(written)
    for kind in ("sheets", "notices"):
        name = file_name(kind, context)
        whole, listing = out / f"{name}.{fmt}", out / f"{name}{context.say('目录', '-index')}.{fmt}"
        if kind not in kinds or not done & {whole, listing}:
            continue  # not written by this run (not asked for, or no unit gets a notice): left as it was
        drop_parts(out / name, {p.name for p in written if p.parent == out / name}, fmt)
        for stale in (whole, listing):
            if stale not in done:
                try:
                    stale.unlink(missing_ok=True)
                except OSError:
                    pass  # what cannot be removed stays; the new files are written all the same
