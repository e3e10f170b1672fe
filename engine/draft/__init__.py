"""``kaohe draft``: a 考核细则 document → a scheme folder that validates, with a report of what was read.

The stages, one module each, every one a pure function of the one before:

``reading`` (file → normalised lines, one document picked) → ``structure``
(numbering hierarchy, points) → ``grammar`` (phrases recognised per
clause) → ``rules`` and ``inputs`` (the mechanism and the fields each item
needs) → ``writing`` (YAML with source comments) → ``report``.

:func:`draft` strings them together, validates the YAML it wrote (an item
whose rule does not validate falls back to a score the assessors enter, with
a warning — the draft always validates), and writes the folder all or
nothing: scheme, data-entry template, scenario stub and report are written
into a hidden folder beside ``out`` and moved into place only when all of
them are there. An existing non-empty ``out`` is refused.
"""

from __future__ import annotations

import dataclasses
import os
import re
import shutil
import tempfile
from pathlib import Path

from engine.context import DEFAULT, Context
from engine.draft import reading, report, rules, structure, writing
from engine.draft.inputs import Input, owner
from engine.draft.structure import Sentence
from engine.errors import KaoheError, Location, Problem, UsageError

SCENARIO_STUB = """\
# {title} 的场景测试（待填写）: 核对草稿后，照下面的格式至少写一个案例，期望值按细则手算，算式写在注释里。
# 把本文件改名为 .yaml 后 kaohe test {file} 运行它（格式见 Kaohe 的 tests/README.md）。
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


@dataclasses.dataclass(frozen=True)
class Result:
    """What :func:`draft` wrote: the files, the draft itself, its warnings and the report text."""

    files: tuple[Path, ...]
    draft: rules.Draft
    warnings: tuple[Problem, ...]
    report: str
    unread: int


def build(document: Path, part: int | None = None, lines: str | None = None) -> tuple[rules.Draft, str, tuple[Problem, ...]]:
    """Read ``document`` into a :class:`rules.Draft`; (draft, source label, warnings). Nothing is written.

    Raises:
        UsageError: the file cannot be read, or the part/lines asked for are not there.
    """
    if part is not None and lines is not None:
        raise UsageError([Problem.at("draft_part_and_lines", Location("--part"))])
    file = str(document)
    raw = reading.read_document(document)
    chosen, label, picked = reading.pick(raw, file, part, lines)
    tidied, tidying = reading.tidy(chosen, file, wrapped=document.suffix.lower() == ".pdf")
    tree = structure.outline(tidied)
    scored, _total, rest, checks = structure.scored_nodes(tree, file)
    result = rules.draft_scheme(tree, scored, rest)
    warnings = list(picked + tidying + checks)
    if not scored and not result.parts:
        warnings.append(Problem.at("draft_no_items", Location(file), "warning"))
    source = f"{document.name}" + (f"（{label}）" if label else "")
    return result, source, tuple(warnings)


def _ident(document: Path) -> str:
    """A scheme id from the document's name when it is ASCII, else ``draft``."""
    stem = re.sub(r"[^a-z0-9_-]+", "-", document.stem.lower()).strip("-_")
    return f"draft-{stem}"[:60] if stem and stem[0].isalpha() else "draft"


def validated(draft: rules.Draft, ident: str, source: str, name: str) -> tuple[str, rules.Draft, tuple[Problem, ...]]:
    """The scheme text, once it validates: an item whose rule is refused becomes a score the assessors enter.

    Returns the text, the draft as finally written, and the fallback
    warnings plus the validator's own warnings.
    """
    from engine.compiler import compile_scheme
    from engine.loader import load_scheme_text

    notes: list[Problem] = []
    last: tuple[Problem, ...] = ()
    for _ in range(8):
        text, paths = writing.scheme_text(draft, ident, source)
        try:
            _, warnings = compile_scheme(load_scheme_text(text, name))
            return text, draft, tuple(notes) + warnings
        except KaoheError as err:
            culprits = _culprits(err.problems, paths)
            if not culprits:
                raise
            last = err.problems
            draft = _fallback(draft, culprits, notes, err.problems, name)
    raise KaoheError(last)


def _culprits(problems: tuple[Problem, ...], paths: dict[str, str]) -> set[str]:
    """The items whose YAML path (or an input of theirs) a problem names."""
    found: set[str] = set()
    for problem in problems:
        where = problem.location.path or ""
        owners = [path for path in paths if where == path or where.startswith(path + ".")]
        if owners:
            found.add(paths[max(owners, key=len)])  # the innermost item the path is in
        match = re.match(r"\$\.inputs\.([0-9A-Za-z_]+)", where)
        if match and owner(match[1]):
            found.add(owner(match[1]))
    return found



def _fallback(draft: rules.Draft, culprits: set[str], notes: list[Problem], problems: tuple[Problem, ...], name: str) -> rules.Draft:
    reason = problems[0].message("zh")[0] if problems else ""

    def fix(item: rules.Item) -> rules.Item:
        if item.id in culprits and not item.children:
            notes.append(Problem.at("draft_fallback", Location(name, item.line), "warning", title=item.title, reason=reason))
            score = f"{item.id}_score"
            extra = Input(score, f"{item.title}评分（{item.id}）", "number", item.line, item.max if item.max >= 0 else None)
            fixed_inputs.append(extra)
            return dataclasses.replace(item, kind="formula", body={"formula": score}, unread=item.unread + item.sources)
        return dataclasses.replace(item, children=tuple(fix(c) for c in item.children))

    fixed_inputs: list[Input] = []
    items = tuple(fix(i) for i in draft.items)
    adjustments = tuple(fix(i) for i in draft.adjustments)
    parts = tuple(dataclasses.replace(p, item=fix(p.item)) for p in draft.parts)
    kept = tuple(i for i in draft.inputs if owner(i.id) not in culprits)
    # A veto, the grades or a ranking that does not validate is left out; its sentences go back to "to confirm".
    dropped: list[Sentence] = []
    for rule_id, title, line, text in ([(v.id, v.title, v.line, v.sentence) for v in draft.vetoes]
                                       + [(r.id, r.title, r.line, r.sentence) for r in draft.rankings]
                                       + [("level", b.value, line, text) for b, line, text in draft.grades]):
        if rule_id in culprits:
            notes.append(Problem.at("draft_dropped_rule", Location(name, line), "warning", title=title, reason=reason))
            dropped.append(Sentence(line, text))
    return dataclasses.replace(draft, items=items, adjustments=adjustments, parts=parts, inputs=kept + tuple(fixed_inputs),
                               vetoes=tuple(v for v in draft.vetoes if v.id not in culprits),
                               rankings=tuple(r for r in draft.rankings if r.id not in culprits),
                               grades=() if "level" in culprits else draft.grades,
                               unread=draft.unread + tuple(dict.fromkeys(dropped)))


def check_out(out: Path) -> None:
    """Refuse an ``--out`` that is a file or a folder with anything in it (before any reading)."""
    if out.is_file() or (out.exists() and not out.is_dir()):
        raise UsageError([Problem.at("draft_out_is_file", Location(str(out)), out=str(out))])
    if out.is_dir() and any(out.iterdir()):
        raise UsageError([Problem.at("draft_out_not_empty", Location(str(out)), out=str(out))])


def draft(document: Path, out: Path, part: int | None = None, lines: str | None = None, context: Context = DEFAULT) -> Result:
    """Draft ``document`` into the folder ``out`` (see the module docstring).

    Raises:
        UsageError: unreadable document, a part or range not there, an ``out`` that is taken or unwritable.
    """
    check_out(out)
    result, source, warnings = build(document, part, lines)
    name = (out.resolve().name or "draft").strip() or "draft"
    scheme_name = f"{name}.yaml"
    text, result, checked = validated(result, _ident(document), source, scheme_name)
    unread = report.unread_sentences(result)
    warnings = warnings + checked
    if unread:
        warnings += (Problem.at("draft_unread", Location(str(document)), "warning", count=len(unread), report=str(out / "起草报告.md")),)
    summary = report.report_text(result, source, scheme_name, warnings, context)
    files = _write_folder(out, scheme_name, text, result, summary)
    return Result(files, result, warnings, summary, len(unread))


def _write_folder(out: Path, scheme_name: str, text: str, result: rules.Draft, summary: str) -> tuple[Path, ...]:
    """Write everything into a hidden folder beside ``out``, then move it into place (all or nothing)."""
    from engine.compiler import compile_scheme
    from engine.inherit import load_scheme
    from engine.template import write_template

    parent = out.resolve().parent
    made = [p for p in (parent, *parent.parents) if not p.exists()]
    try:
        parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=parent))
    except OSError as err:
        raise UsageError([Problem.at("draft_out_unwritable", Location(str(out)), out=str(out), reason=err.strerror or str(err))]) from None
    try:
        scheme_file = staging / scheme_name
        scheme_file.write_text(text, encoding="utf-8")
        (staging / "data").mkdir()
        (staging / "tests").mkdir()
        scheme, _ = compile_scheme(load_scheme(scheme_file))
        write_template(scheme, staging / "data" / "填报模板.xlsx")
        (staging / "tests" / "场景测试.yaml.txt").write_text(SCENARIO_STUB.format(title=result.title, file=scheme_name), encoding="utf-8")
        (staging / "起草报告.md").write_text(summary, encoding="utf-8")
        if out.is_dir():
            out.rmdir()  # empty (checked): replaced by the finished folder
        os.replace(staging, out)
    except OSError as err:
        shutil.rmtree(staging, ignore_errors=True)
        for folder in made:
            try:
                folder.rmdir()
            except OSError:
                pass
        raise UsageError([Problem.at("draft_out_unwritable", Location(str(out)), out=str(out), reason=err.strerror or str(err))]) from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return tuple(out / p for p in (scheme_name, "data/填报模板.xlsx", "tests/场景测试.yaml.txt", "起草报告.md"))


__all__ = ["Result", "build", "draft", "check_out", "validated"]
