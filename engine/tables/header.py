"""Find the header among the first rows of a sheet: title rows, section rows and the header itself.

The header is the row that names the most known columns (the scheme's
vocabulary); a section row above it is kept as context, and a blank header
cell takes the text above it (a 编号 merged over both header rows).
"""

from __future__ import annotations

import typing as t

from engine.tables.table import normalise

#: How many non-empty rows at the top of a sheet may be titles or section rows.
HEADER_SEARCH = 30


def filled(cells: t.Sequence[str | None]) -> bool:
    """Whether a row has any non-blank cell."""
    return any(c is not None and c.strip() for c in cells)


def header_score(cells: t.Sequence[str | None], vocabulary: t.Collection[str]) -> int:
    """How many cells of a row name a known column (or end in 编号)."""
    score = 0
    for cell in cells:
        if cell is None:
            continue
        text = normalise(cell).lower()
        if text and (text in vocabulary or text.endswith("编号")):
            score += 1
    return score


def find_header(top: t.Sequence[t.Sequence[str | None]], vocabulary: t.Collection[str]) -> int | None:
    """Index (into ``top``) of the header row: the first row naming the most known columns.

    Title rows and a section row above the header name few or none; when no
    row names any, the first non-empty row is the header (and a later stage
    reports what it lacks).

    >>> find_header([["2024年度考核表"], ["考核单位：某县", "考核日期：", "2024-12-01"], ["序号", "编号", "姓名", "得分"]], {"编号", "姓名"})
    2
    """
    best, best_score = None, 0
    for index, cells in enumerate(top):
        score = header_score(cells, vocabulary)
        if score > best_score:
            best, best_score = index, score
    if best is None:
        return next((i for i, cells in enumerate(top) if filled(cells)), None)
    return best


def compose_header(top: t.Sequence[t.Sequence[str | None]], index: int, width: int) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The header texts and the section row above it (two-row headers).

    A blank header cell takes the text above it — 编号 or 姓名 merged across
    both header rows sits in the upper row only. The section row's merged
    texts are carried right over the blank cells they span.
    """
    def cells(row: t.Sequence[str | None]) -> list[str]:
        return [normalise(c) if c is not None else "" for c in list(row) + [None] * (width - len(row))][:width]

    header = cells(top[index])
    sections = [""] * width
    if index > 0 and filled(top[index - 1]):
        above = cells(top[index - 1])
        filled_above = sum(bool(c) for c in above)
        # A single filled cell above is a title line, not a section row.
        if filled_above >= 2 or (filled_above == 1 and not above[0]):
            carry = ""
            for col in range(width):
                if not header[col] and above[col]:
                    header[col] = above[col]  # a header cell merged over both rows
                    carry = ""
                    continue
                if above[col]:
                    carry = above[col]
                sections[col] = carry
    return tuple(header), tuple(sections)
