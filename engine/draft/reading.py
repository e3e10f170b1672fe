"""Reading a document: a .docx, .txt/.md or .pdf file → numbered, normalised lines.

The first stage of ``kaohe draft``. Whatever the format, the result is a
tuple of :class:`Line` values — the line (or Word paragraph, or PDF text
line) number and its text — in which full-width forms are folded to their
ordinary ones (NFKC: （一） → (一), １５分 → 15分, ％ → %), so that the
later stages read one alphabet. Circled numbers (①②…) would fold to plain
digits and lose their meaning as numbering, so they become ``[1]``, ``[2]``
first. Then the mess of scraped text is tidied, each change a warning:
page furniture and web boilerplate are dropped, and a sentence cut over two
lines is joined again.

A file holding several documents (headed 第一篇, 第二篇 …) is split into
parts; :func:`pick` chooses one by ``--part`` or a line range by ``--lines``.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from pathlib import Path

from engine.draft.numbering import starts_with_marker
from engine.errors import Location, Problem, UsageError

#: The formats read, by suffix.
SUFFIXES = (".docx", ".txt", ".md", ".pdf")


@dataclasses.dataclass(frozen=True)
class Line:
    """One line of the document: its 1-based number in the file and its normalised text."""

    number: int
    text: str


@dataclasses.dataclass(frozen=True)
class Part:
    """One document of a file that holds several: its heading and lines."""

    index: int
    heading: str
    lines: tuple[Line, ...]


def read_document(path: Path) -> tuple[Line, ...]:
    """The raw lines of ``path`` (before tidying), numbered as a reader finds them.

    Raises:
        UsageError: no such file, a format not read, a broken file, a PDF without text.
    """
    if path.is_dir():
        raise UsageError([Problem.at("draft_is_folder", Location(str(path)))])
    if not path.is_file():
        raise UsageError([Problem.at("draft_no_file", Location(str(path)))])
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise UsageError([Problem.at("draft_format", Location(str(path)), found=path.suffix or "（无）", known="、".join(SUFFIXES))])
    try:
        if suffix == ".docx":
            texts = _docx_paragraphs(path)
        elif suffix == ".pdf":
            texts = _pdf_lines(path)
        else:
            texts = _decode(path.read_bytes()).splitlines()
            if suffix == ".md":
                texts = [_plain_markdown(t) for t in texts]
    except UsageError:
        raise
    except Exception as err:  # noqa: BLE001 — any reader failure on a user's file is a message, never a traceback
        raise UsageError([Problem.at("draft_unreadable", Location(str(path)), reason=f"{type(err).__name__}: {err}")]) from None
    lines = tuple(Line(i, normalise(text)) for i, text in enumerate(texts, start=1))
    if not any(line.text for line in lines):
        code = "draft_pdf_no_text" if suffix == ".pdf" else "draft_empty"
        raise UsageError([Problem.at(code, Location(str(path)))])
    return lines


def _decode(data: bytes) -> str:
    """Text of a .txt/.md file: UTF-8 (with or without BOM), else GB18030 as Chinese Windows saves it."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace")


def _plain_markdown(line: str) -> str:
    """A Markdown line as text: no heading marks, list bullets, emphasis, code ticks or table bars."""
    line = re.sub(r"^\s{0,3}(?:#{1,6}\s+|>\s*|[-*+]\s+)", "", line)
    if re.fullmatch(r"\s*\|?[\s:|-]+\|?\s*", line) and "-" in line:
        return ""  # a table's |---|---| rule
    line = re.sub(r"\*\*|__|`", "", line)
    return " ".join(cell.strip() for cell in line.strip().strip("|").split("|")) if line.strip().startswith("|") else line


def _docx_paragraphs(path: Path) -> list[str]:
    """The paragraphs of a Word file in reading order, table cells included (one line each)."""
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = docx.Document(str(path))
    texts: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            texts.extend(block.text.splitlines() or [""])
        elif isinstance(block, Table):
            rows = [[c for c in dict.fromkeys(cell.text.strip() for cell in row.cells)] for row in block.rows]  # merged cells repeat
            texts.extend(table_lines(rows))
    return texts


_BARE_POINTS = re.compile(r"\d+(?:\.\d+)?\s*分?")
_CN_DIGITS = "一二三四五六七八九十"


def table_lines(rows: list[list[str]]) -> list[str]:
    """A table's rows as lines; a 考核细则 table (项目 | 分值 | 评分标准) as numbered items with their points.

    The points column is the one where most rows hold a bare number; a
    cell before the item's title that changes from row to row (a merged
    "基础工作" cell) is a section heading.

    >>> table_lines([["项目", "内容", "分值", "评分标准"], ["基础", "制度", "4", "每缺一项扣1分"], ["基础", "台账", "6分", "缺失不得分"]])
    ['项目 内容 分值 评分标准', '一、基础', '1、制度(4分) 每缺一项扣1分', '2、台账(6分) 缺失不得分']
    """
    column = _points_column(rows)
    if column is None:
        return [" ".join(c for c in row if c) for row in rows]
    lines: list[str] = []
    group, groups, items = "", 0, 0
    for row in rows:
        if len(row) <= column or not _BARE_POINTS.fullmatch(row[column]) or column == 0:
            lines.append(" ".join(c for c in row if c))
            continue
        head, title, rest = row[: column - 1], row[column - 1], row[column + 1:]
        if head and head[0] and head[0] != group and groups < len(_CN_DIGITS):
            group = head[0]
            lines.append(f"{_CN_DIGITS[groups]}、{group}")
            groups += 1
        items += 1
        points = row[column].removesuffix("分").strip()
        lines.append(f"{items}、{title}({points}分) " + " ".join(c for c in rest if c))
    return [line.strip() for line in lines]


def _points_column(rows: list[list[str]]) -> int | None:
    """The column where more than half of the rows (past the header) hold a bare number of points."""
    body = rows[1:]
    if len(body) < 1:
        return None
    width = max(len(r) for r in rows)
    for column in range(1, width):
        hits = sum(1 for r in body if len(r) > column and _BARE_POINTS.fullmatch(r[column]))
        if hits * 2 > len(body):
            return column
    return None


def _pdf_lines(path: Path) -> list[str]:
    """The text layer of a PDF, page by page (pypdf); a scanned PDF has none."""
    import pypdf

    reader = pypdf.PdfReader(str(path))
    texts: list[str] = []
    for page in reader.pages:
        texts.extend((page.extract_text() or "").splitlines())
    return texts


_CIRCLED = {chr(0x2460 + i): f"[{i + 1}]" for i in range(20)}


def normalise(text: str) -> str:
    """Fold full-width and compatibility forms (NFKC), keeping circled numbers as ``[n]``.

    >>> normalise("（一）基本要求（１５ 分）①")
    '(一)基本要求(15分)[1]'
    """
    text = "".join(_CIRCLED.get(c, c) for c in text)
    text = unicodedata.normalize("NFKC", text)
    # Control characters (a binary file read as text, a stray form feed) are no text: a scheme cannot hold them.
    text = "".join(c if c == "\t" or unicodedata.category(c) not in ("Cc", "Cs", "Co", "Cn") else " " for c in text)
    text = text.replace("\u3000", " ").replace("\xa0", " ").replace("\t", " ")
    # Chinese is written without spaces: a space beside a Chinese character is a PDF's or a web page's
    # (诚心 诚意, "20 分"), never meant; spaces between Latin letters or digits are kept.
    # A space before numbering (…细则 (一)、考核内容) is kept: it is where a run-on heading is cut.
    text = re.sub(r"(?<=[\u4e00-\u9fff]) +| +(?=[\u4e00-\u9fff])",
                  lambda m: " " if starts_with_marker(text[m.end():]) else "", text)
    return re.sub(r" {2,}", " ", text).strip()


#: Lines a web page or a printout adds around the text: never part of a scheme.
_FURNITURE = re.compile(
    r"^(?:-\s*\d+\s*-|\d{1,3}|第\s*\d+\s*页(?:\s*[,/]?\s*共\s*\d+\s*页)?|共\s*\d+\s*页|\d+\s*/\s*\d+|page\s*\d+(?:\s*of\s*\d+)?)$",
    re.IGNORECASE)
_BOILERPLATE = re.compile(
    r"(?:https?://|www\.|\.com\b|\.cn\b|责任编辑|来源[:：]|点击[数量率]|浏览次数|阅读次数|上一篇|下一篇|分享到|打印本页|关闭窗口|"
    r"版权所有|返回顶部|扫一扫|相关阅读|相关文章|发布时间[:：])", re.IGNORECASE)
#: Where a sentence may end; a line ending otherwise may continue on the next line.
_ENDS = tuple("。;!?:)]”\"'》")


def tidy(lines: tuple[Line, ...], file: str, wrapped: bool = False) -> tuple[tuple[Line, ...], tuple[Problem, ...]]:
    """Drop page furniture and boilerplate, join cut sentences; each change is a warning.

    A line is joined to the one before when the one before does not end a
    sentence and this one does not start with numbering — a sentence that a
    web page or a PDF broke in two (its points "(5分)" alone on the next line).
    ``wrapped`` (a PDF, whose lines are the page's width): every line that
    does not start with numbering continues an unfinished one; otherwise
    only a line that reads as the rest of a phrase does.
    """
    warnings: list[Problem] = []
    kept: list[Line] = []
    for line in lines:
        if not line.text:
            continue
        if _FURNITURE.match(line.text) or (_BOILERPLATE.search(line.text) and len(line.text) < 80):
            warnings.append(Problem.at("draft_dropped_line", Location(file, line.number), "warning", text=line.text[:60]))
            continue
        previous = kept[-1] if kept else None
        if (previous is not None and not previous.text.endswith(_ENDS) and not starts_with_marker(line.text)
                and not _is_heading(previous.text) and (wrapped or _continues(line.text))):
            kept[-1] = Line(previous.number, previous.text + line.text)
            warnings.append(Problem.at("draft_joined_line", Location(file, line.number), "warning", previous=previous.number))
            continue
        kept.append(line)
    return tuple(kept), tuple(warnings)


def _is_heading(text: str) -> bool:
    """A short line that names a document (第一篇…, a title) is never continued."""
    return bool(_PART.match(text))


def _continues(text: str) -> bool:
    """Whether a line reads as the rest of a sentence: points alone, or text starting mid-phrase."""
    return bool(re.match(r"^\(\s*\d+(?:\.\d+)?\s*分\s*\)", text)) or text[0] in ",、;。的和及或与等"


_PART = re.compile(r"^第([一二三四五六七八九十\d]+)篇\s*[:：]?\s*(.*)$")


def split_parts(lines: tuple[Line, ...]) -> tuple[Part, ...]:
    """The documents of a file headed 第一篇, 第二篇 …; one part (index 1) when there are no such headings."""
    starts = [i for i, line in enumerate(lines) if _PART.match(line.text)]
    if not starts:
        return (Part(1, "", lines),)
    parts: list[Part] = []
    if any(line.text for line in lines[: starts[0]]):
        parts.append(Part(0, "", lines[: starts[0]]))  # text before the first heading: kept, numbered 0
    for n, start in enumerate(starts, start=1):
        end = starts[n] if n < len(starts) else len(lines)
        parts.append(Part(n, lines[start].text, lines[start:end]))
    return tuple(p for p in parts if p.index > 0) or tuple(parts)


def pick(lines: tuple[Line, ...], file: str, part: int | None, span: str | None) -> tuple[tuple[Line, ...], str, tuple[Problem, ...]]:
    """The lines to draft, a label saying which (for the scheme's ``source``), and warnings.

    ``span`` ("48-91") takes those file lines; ``part`` the n-th document;
    neither, in a file of several documents, the first one — with a warning
    that lists the others and how to pick them.

    Raises:
        UsageError: a part the file does not have, or a malformed or empty range.
    """
    if span is not None:
        match = re.fullmatch(r"\s*(\d+)\s*[-:]\s*(\d+)\s*", span)
        if not match or int(match[1]) > int(match[2]) or int(match[1]) < 1:
            raise UsageError([Problem.at("draft_bad_lines", Location("--lines"), found=span)])
        low, high = int(match[1]), int(match[2])
        chosen = tuple(line for line in lines if low <= line.number <= high)
        if not any(line.text for line in chosen):
            raise UsageError([Problem.at("draft_lines_empty", Location("--lines"), found=span, last=lines[-1].number if lines else 0)])
        return chosen, f"第 {low}–{high} 行", ()
    parts = split_parts(lines)
    listing = "；".join(f"{p.index}. {p.heading[:30]}" for p in parts)
    if part is not None:
        for candidate in parts:
            if candidate.index == part:
                return candidate.lines, candidate.heading or f"第 {part} 篇", ()
        raise UsageError([Problem.at("draft_no_part", Location("--part"), found=part, count=len(parts), parts=listing)])
    if len(parts) > 1:
        first = parts[0]
        warning = Problem.at("draft_several_parts", Location(file), "warning", count=len(parts), parts=listing)
        return first.lines, first.heading, (warning,)
    return parts[0].lines, parts[0].heading, ()
