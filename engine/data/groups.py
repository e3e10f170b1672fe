"""Group names that look like a typo of another group's name → a warning each.

第一支部 beside 第一党支部 would silently become a one-member branch that
wins its own quotas. Only small groups are suspects, and names are compared
by their wording without numerals (第一党支部 / 第二党支部 are different
groups), so this stays fast at 40,000 branches.
"""

from __future__ import annotations

import difflib
import re

import numpy as np

from engine.data.dataset import Units
from engine.data.report import Report
from engine.data.units import FirstSeen
from engine.errors import Location

_NUMERALS = re.compile(r"[0-9一二三四五六七八九十百零〇]")


def check_groups(units: Units, first: FirstSeen, group_title: str, data_location: Location, report: Report) -> None:
    """Warn about group names that look like a typo of another group's name.

    A small group whose name differs from a larger one's by one or two
    characters, or is contained in it, is named.
    """
    if not len(units):
        return
    names, counts = np.unique(units.groups, return_counts=True)
    if len(names) < 2:
        return
    sizes = dict(zip(names.tolist(), counts.tolist()))
    median = float(np.median(counts))
    everyone = [n for n in sizes if n]
    # A typo makes a small group; only those are compared with the rest (fast at 40,000 branches).
    suspects = [n for n in everyone if sizes[n] <= max(2.0, median / 5)]
    # Names that differ only in their numbering are different groups (第一党支部 / 第二党支部):
    # group the names by their wording without numerals, and compare wordings, not every pair.
    wordings: dict[str, list[str]] = {}
    for name in everyone:
        wordings.setdefault(_NUMERALS.sub("", name), []).append(name)
    first_of: dict[str, int] = {}
    for position, group in enumerate(units.groups.tolist()):
        first_of.setdefault(group, position)
    warned: set[frozenset[str]] = set()
    for suspect in suspects:
        wording = _NUMERALS.sub("", suspect)
        numerals = _NUMERALS.findall(suspect)
        candidates: list[str] = []
        for other_wording, names_of in wordings.items():
            if other_wording == wording or abs(len(other_wording) - len(wording)) > 2 and not (
                    wording in other_wording or other_wording in wording):
                continue
            # Within a wording, the name with the same numbering is the one meant (第一支部 → 第一党支部).
            same = [n for n in names_of if _NUMERALS.findall(n) == numerals] or names_of[:50]
            candidates.extend(n for n in same if n != suspect and sizes[n] >= sizes[suspect] and looks_like_typo(suspect, n))
        if not candidates:
            continue
        other = max(candidates, key=lambda o: (suspect in o or o in suspect, difflib.SequenceMatcher(None, suspect, o).ratio(), o))
        if frozenset((suspect, other)) in warned:
            continue
        warned.add(frozenset((suspect, other)))
        where = first.get(str(units.ids[first_of[suspect]]))
        location = where[0].at(where[1], group_title) if where else data_location
        report.warn("data_similar_groups", location, group=group_title, found=suspect,
                    count=sizes[suspect], other=other, other_count=sizes[other])


def looks_like_typo(a: str, b: str) -> bool:
    """Whether group name ``a`` looks like a mistyped ``b``: inside it, or within two edits.

    Names that differ only in their numbering (第一党支部 / 第二党支部) are different groups.

    >>> looks_like_typo("第一支部", "第一党支部"), looks_like_typo("第一党支部", "第五党支部"), looks_like_typo("城关镇", "新华乡")
    (True, False, False)
    """
    if _NUMERALS.sub("", a) == _NUMERALS.sub("", b):
        return False
    if len(a) >= 2 and (a in b or b in a):
        return True
    if abs(len(a) - len(b)) > 2 or min(len(a), len(b)) < 3:
        return False
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > 2:
            return False
        previous = current
    return previous[-1] <= 2
