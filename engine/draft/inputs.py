"""Inputs: the data fields a draft's rules read → declared once, with Chinese titles.

The fourth stage of ``kaohe draft``. Every rule the grammar recognises
reads something an assessor must enter — how many times a thing was
missing, whether a condition holds, a rate, a score the assessors give —
and this module names it: an id made from the item's id and what kind of
field it is (``item_03_n1`` a count, ``_b1`` yes/no, ``_r1`` a rate,
``_score`` a score), and a Chinese title made from the phrase itself, so
that the data-entry template shows the assessor a column "…每缺一项（项数）"
rather than a code. Titles are the template's headers and must be unique.
"""

from __future__ import annotations

import collections
import dataclasses
import re
from decimal import Decimal

#: Kind of field → (id tag, scheme type).
KINDS = {"count": ("n", "count"), "boolean": ("b", "boolean"), "rate": ("r", "percentage"), "score": ("score", "number")}


@dataclasses.dataclass(frozen=True)
class Input:
    """One declared input: id, Chinese title, scheme type, range (a score's) and where it comes from."""

    id: str
    title: str
    type: str
    line: int
    high: Decimal | None = None
    missing_zero: bool = False


class Inputs:
    """The inputs of one draft as they are named (used inside one :func:`engine.draft.rules.draft_scheme` call)."""

    def __init__(self) -> None:
        self.declared: list[Input] = []
        self._ids: set[str] = set()

    def add(self, owner: str, kind: str, title: str, line: int, high: Decimal | None = None) -> str:
        """Declare a field of ``kind`` for item ``owner``; returns its id."""
        tag, scheme_type = KINDS[kind]
        k = 1
        ident = f"{owner}_{tag}" if kind == "score" else f"{owner}_{tag}{k}"
        while ident in self._ids:
            k += 1
            ident = f"{owner}_{tag}{k}"
        self._ids.add(ident)
        self.declared.append(Input(ident, clean_title(title) or owner, scheme_type, line, high, kind == "count"))
        return ident

    def finished(self, where: dict[str, str]) -> tuple[Input, ...]:
        """The inputs with unique titles: a title several items share says whose it is ("知晓率（第20条）")."""
        counts = collections.Counter(i.title for i in self.declared)
        out: list[Input] = []
        taken: set[str] = set()
        for spec in self.declared:
            title = spec.title
            if counts[title] > 1:
                title = f"{title}（{where.get(owner(spec.id), owner(spec.id))}）"
            candidate, n = title, 2
            while candidate in taken:
                candidate = f"{title}（{n}）"
                n += 1
            taken.add(candidate)
            out.append(dataclasses.replace(spec, title=candidate))
        return tuple(out)


def owner(input_id: str) -> str:
    """The item (or veto) an input was declared for: ``item_03`` of ``item_03_n2``, ``item_02`` of ``item_02_score``."""
    match = re.fullmatch(r"(.+)_(?:[nbr]\d+|score)", input_id)
    return match[1] if match else ""


def clean_title(text: str, limit: int = 40) -> str:
    """A header for a data column: no brackets left open, no quotes, at most ``limit`` characters.

    >>> clean_title('“三会”记录(会议纪要)不完整的')
    '三会记录(会议纪要)不完整'
    """
    text = re.sub(r"[\"“”‘’']", "", text).strip(" ,、:;。的")
    if text.count("(") != text.count(")"):
        text = text.replace("(", "").replace(")", "")
    return text[:limit].strip(" ,、")


def count_title(event: str, unit: str) -> str:
    """The title of a count: the event and what is counted, e.g. '…每缺一项（项数）'."""
    return f"{event}（{unit}数）" if unit != "%" else f"{event}（百分点数）"
