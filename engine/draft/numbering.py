"""Numbering: the markers that number a 考核细则's headings and items (一、 (一) 1、 ⑴ ① 第一条 …).

Shared by the reader (a line starting with numbering is never joined to the
line before) and the structure stage (which nests them). Works on
normalised text, where （一） is (一) and ① is [1].
"""

from __future__ import annotations

import re

_CN = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def cn_number(text: str) -> int | None:
    """A Chinese or Arabic whole number up to 999 (十二 → 12, 二十 → 20, 两 → 2); None if it is not one.

    >>> [cn_number(x) for x in ("十二", "二十", "一百零五", "7", "两", "许多")]
    [12, 20, 105, 7, 2, None]
    """
    if text.isdigit():
        return int(text)
    if not text or any(c not in _CN and c not in "十百" for c in text):
        return None
    total, current = 0, 0
    for c in text:
        if c == "百":
            total += (current or 1) * 100
            current = 0
        elif c == "十":
            total += (current or 1) * 10
            current = 0
        else:
            current = _CN[c]
    return total + current


_NUMERAL = "一二三四五六七八九十百零两"
#: Numbering styles, outermost first as documents usually nest them; each pattern matches at a text's start.
STYLES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("chapter", re.compile(rf"第([{_NUMERAL}\d]{{1,4}})[章部分]\s*")),
    ("article", re.compile(rf"第([{_NUMERAL}\d]{{1,4}})条\s*")),
    ("cn", re.compile(rf"([{_NUMERAL}]{{1,3}})\s*[、.]\s*")),
    ("paren_cn", re.compile(rf"\(([{_NUMERAL}]{{1,3}})\)\s*[、.]?\s*")),
    ("arabic", re.compile(r"(\d{1,3})\s*(?:、|\.(?!\d))\s*")),
    ("paren_arabic", re.compile(r"\((\d{1,3})\)\s*[、.]?\s*")),
    ("circled", re.compile(r"\[(\d{1,2})\]\s*[、.]?\s*")),
)
#: What may stand before a marker that is run on inside a line, and what must follow it.
_BEFORE = "。;:!?)]”\" ,"
_AFTER = re.compile(r"[\u4e00-\u9fff“\"《(]")


def marker(text: str) -> tuple[str, int, str] | None:
    """(style, number, the marker as written) if ``text`` starts with numbering."""
    for style, pattern in STYLES:
        match = pattern.match(text)
        if match:
            number = cn_number(match[1])
            rest = text[match.end():]
            if number is None or not rest or not _AFTER.match(rest):
                continue
            return style, number, match[0].strip()
    return None


def starts_with_marker(text: str) -> bool:
    """Whether a line starts with numbering (the reader does not join such a line to the one before)."""
    return marker(text) is not None


def split_markers(text: str) -> list[str]:
    """A line cut before each numbering marker run on inside it (after a sentence end or a bracket)."""
    cuts = [0]
    for i in range(1, len(text)):
        if text[i - 1] in _BEFORE and marker(text[i:]) is not None:
            if text[i - 1] == "," and not text[i].isdigit() and not text[i] == "(":
                continue  # after a comma only Arabic numbering (…减2分,2、…) is run on; 一、 after a comma is prose
            cuts.append(i)
    return [text[a:b].strip() for a, b in zip(cuts, cuts[1:] + [len(text)]) if text[a:b].strip()]
