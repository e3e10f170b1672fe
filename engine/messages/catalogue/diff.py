"""Messages of diff: problem code → Chinese and English (message, hint)."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, tuple[str, str]]] = {
    "set_syntax": {
        "zh": ("无法理解的修改 '{found}'", "写成 路径=值，如 params.base_weight.value=0.7 或 item_10.max=5。"),
        "en": ("cannot read the edit '{found}'", "write PATH=VALUE, e.g. params.base_weight.value=0.7 or item_10.max=5."),
    },
    "set_bad_path": {
        "zh": ("路径中的 '{segment}' 不存在", "{suggestion}路径从顶层键（如 params）或任一编号（项目、部分、评定……）开始，再接键名、[序号] 或编号。"),
        "en": ("'{segment}' in the path does not exist", "{suggestion}a path starts at a top-level key (params) or any id (item, part, grade …), then keys, [n] or ids."),
    },
    "sweep_syntax": {
        "zh": ("无法理解的试算范围 '{found}'", "写成 路径=起:止:步长，如 params.base_weight.value=0.6:0.9:0.1（最多 1000 步）。"),
        "en": ("cannot read the sweep '{found}'", "write PATH=FROM:TO:STEP, e.g. params.base_weight.value=0.6:0.9:0.1 (at most 1000 steps)."),
    },
    "diff_needs_change": {
        "zh": ("只给了一个方案，却没有 --set 或 --sweep", "比较两个文件: kaohe diff 旧.yaml 新.yaml --data …；或试算: kaohe diff 方案.yaml --set 路径=值 --data …"),
        "en": ("one scheme given but no --set or --sweep", "compare two files: kaohe diff OLD NEW --data …; or try a change: kaohe diff SCHEME --set PATH=VALUE --data …"),
    },
    "diff_incompatible": {
        "zh": ("两个方案的考核对象不同: '{old}' 与 '{new}'", "只能比较同一类对象的两个版本（如同为党员、同为党支部）。"),
        "en": ("the schemes assess different subjects: '{old}' and '{new}'", "compare two versions for the same kind of unit."),
    },
}
