"""Header words: which column of a table holds what (id, name, type, group, an input …).

A scheme's input ids and titles, its dimensions and the usual Chinese and
English words for ids and names become one lookup of folded header → field,
built once per scheme (:func:`headers_of`). The same words tell the table
reader (engine.tables) which row is the header.
"""

from __future__ import annotations

import dataclasses

from engine import tree
from engine.model import Scheme
from engine.tables import Table, normalise

ID_ALIASES = ("id", "unit", "编号", "代码", "单位编号", "人员编号", "对象编号")
NAME_ALIASES = ("name", "名称", "姓名", "单位名称")
TYPE_ALIASES = ("type", "类型", "单位类型")
GROUP_ALIASES = ("group", "分组")
PARENT_ALIASES = ("parent", "上级", "上级编号")

#: Columns people keep beside the data (remarks, document numbers); read past silently.
NOTE_COLUMNS = {"备注", "说明", "序号", "文号", "日期", "填报人", "票号", "remark", "remarks", "note", "notes", "no."}

#: Correction-table headers (they are known columns, so the header is found).
CORRECTION_HEADERS = ("输入项", "input", "项目", "原值", "原分", "old", "更正后", "更正值", "corrected", "new", "理由", "原因", "依据", "reason", "月份")


@dataclasses.dataclass(frozen=True)
class Headers:
    """A scheme's header words."""

    #: Folded header (NFKC, lower case) → "name"/"type"/"group"/"parent"/"dim:<id>"/input id.
    aliases: dict[str, str]
    #: 党员编号 for a scheme whose subject is 党员: also an id header.
    subject_id: str | None
    #: Every word a header row may hold (to find the header row).
    vocabulary: frozenset[str]
    #: Headers of numeric inputs: their CSV columns are read straight as numbers.
    numeric: frozenset[str]

    @property
    def id_aliases(self) -> tuple[str, ...]:
        """The headers an id column may have."""
        return ID_ALIASES + ((self.subject_id,) if self.subject_id else ())


def headers_of(scheme: Scheme) -> Headers:
    """A scheme → its header words."""
    aliases: dict[str, str] = {}
    # A tree may name its own parent column (engine.tree).
    for field, names in (("name", NAME_ALIASES), ("type", TYPE_ALIASES), ("parent", PARENT_ALIASES + tree.parent_columns(scheme))):
        for name in names:
            aliases[name] = field
    group = scheme.group_title
    for name in GROUP_ALIASES + (group, f"所在{group}", f"{group}名称"):
        aliases[name] = "group"
    for dim in scheme.dimensions.values():
        aliases[dim.id] = aliases[dim.title] = f"dim:{dim.id}"
    for ident, spec in scheme.inputs.items():
        aliases[spec.title] = ident
        aliases[ident] = ident
    # Headers are NFKC-folded when read (full-width （） → ()), so the names are too.
    folded = {normalise(name).lower(): field for name, field in aliases.items()}
    subject_id = f"{scheme.subject}编号" if scheme.subject else None
    words = set(folded) | set(ID_ALIASES) | NOTE_COLUMNS | {normalise(w).lower() for w in CORRECTION_HEADERS}
    if subject_id:
        words.add(subject_id.lower())
    numeric = frozenset(
        normalise(name).lower() for ident, spec in scheme.inputs.items() if spec.type in ("number", "count", "percentage")
        for name in (ident, spec.title))
    return Headers(folded, subject_id, frozenset(words), numeric)


def is_correction_table(table: Table) -> bool:
    """A correction table is told by its "更正后" (corrected value) column."""
    return any(h.lower() in ("更正后", "更正值", "corrected") for h in table.header)
