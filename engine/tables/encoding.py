"""Recognise a CSV's text encoding: file bytes → UTF-8 bytes, or the problem naming the encoding.

UTF-16 (with or without BOM), UTF-8 (with or without BOM) and GB18030 (the
superset of GBK/GB2312) are read; Big5 is recognised and named.
"""

from __future__ import annotations

from pathlib import Path

from engine.errors import Location, Problem


def decode(raw: bytes, path: Path, problems: list[Problem]) -> tuple[bytes, str] | None:
    """File bytes → UTF-8 bytes (what polars reads) and the encoding found.

    UTF-16 (Excel's "Unicode text", with or without BOM), UTF-8 with or
    without BOM, else GB18030, the superset of GBK/GB2312 that Chinese
    Excel/WPS save. Big5 text decodes as GB18030 too, but as characters
    outside GB2312's common set; it is named rather than read as garbage.
    """
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        text, encoding = raw.decode("utf-16", errors="strict"), "UTF-16"
        return text.encode("utf-8"), encoding
    sample = raw[:4096]
    if len(sample) >= 4 and sample.count(0) >= max(2, len(sample) // 50):
        # UTF-16 without a BOM: ASCII characters (commas, digits, line ends) carry a NUL byte;
        # UTF-8 and GBK text has none.
        even, odd = sample[0::2].count(0), sample[1::2].count(0)
        codec = "utf-16-le" if odd > even else "utf-16-be"
        try:
            return raw.decode(codec).encode("utf-8"), "UTF-16"
        except UnicodeDecodeError:
            problems.append(Problem.at("data_encoding", Location(str(path))))
            return None
    body = raw[3:] if raw[:3] == b"\xef\xbb\xbf" else raw
    head = body[:65536]
    try:
        head.decode("utf-8")
        valid_head = True
    except UnicodeDecodeError as err:
        valid_head = err.start > len(head) - 4  # a character cut at the end of the sample
    if valid_head:
        # The rest is checked by polars as it reads (an invalid byte there is read as GB18030 then).
        return body, "UTF-8"
    try:
        text = raw.decode("gb18030")
    except UnicodeDecodeError:
        problems.append(Problem.at("data_encoding", Location(str(path))))
        return None
    return text.encode("utf-8"), "GB18030"


#: Traditional characters of the headers offices use (編號, 姓名, 黨支部, 單位, 類別, 滿意, 測評 …).
_TRADITIONAL = set("編號黨單類別滿測評項目總計審")


def is_big5(raw: bytes, text: str) -> bool:
    """Whether bytes that decoded as GB18030 are Big5: decodable as Big5 into traditional header words."""
    if _looks_like_big5(text):
        return True
    try:
        as_big5 = raw.decode("big5", errors="strict") if raw else ""
    except UnicodeDecodeError:
        try:
            as_big5 = raw[:-1].decode("big5", errors="strict")
        except UnicodeDecodeError:
            return False
    return any(char in _TRADITIONAL for char in as_big5[:500])


def _looks_like_big5(text: str) -> bool:
    """Whether GB18030-decoded text is really Big5 (most of its Chinese outside GB2312)."""
    chinese = [c for c in text if ord(c) > 0x2E80]
    if len(chinese) < 4:
        return False
    outside = 0
    for char in chinese:
        try:
            char.encode("gb2312")
        except UnicodeEncodeError:
            outside += 1
    return outside * 2 > len(chinese)
