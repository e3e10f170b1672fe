"""Messages of JSON Schema: problem code → Chinese and English (message, hint)."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, tuple[str, str]]] = {
    "unknown_key": {
        "zh": ("未知的键 '{key}'", "{suggestion}此处允许的键: {allowed}。"),
        "en": ("unknown key '{key}'", "{suggestion}keys allowed here: {allowed}."),
    },
    "missing_key": {
        "zh": ("缺少必填的键 '{key}'", "在此处加上 '{key}:'（见 docs/scheme-language.md）。"),
        "en": ("required key '{key}' is missing", "add '{key}:' here (see docs/scheme-language.md)."),
    },
    "wrong_type": {
        "zh": ("应为{expected}，实际为 {found}", "按{expected}的格式改写这个值。"),
        "en": ("expected {expected}, found {found}", "rewrite this value as {expected}."),
    },
    "number_with_unit": {
        "zh": ("应为数字，实际为 '{found}'", "方案中只写数字: 写 {number}（百分比按 0–100 写，不带 % 或“分”等单位）。"),
        "en": ("expected a number, found '{found}'", "write the number only: {number} (percentages as 0–100, without % or units)."),
    },
    "not_in_enum": {
        "zh": ("不允许的值 {found}", "可用的值: {allowed}。"),
        "en": ("value {found} is not allowed", "allowed values: {allowed}."),
    },
    "out_of_bounds": {
        "zh": ("值 {found} 超出范围: {expected}", "改为符合范围的值。"),
        "en": ("value {found} is out of range: {expected}", "use a value within the range."),
    },
    "bad_pattern": {
        "zh": ("'{found}' 的格式不对: {expected}", "编号只用小写字母、数字、下划线和连字符，且以字母开头，例如 score_1。"),
        "en": ("'{found}' has the wrong form: {expected}", "ids use lower-case letters, digits, '_' and '-', starting with a letter, e.g. score_1."),
    },
    "too_few": {
        "zh": ("至少需要 {expected} 个条目，实际 {found} 个", "补充条目。"),
        "en": ("at least {expected} entries are needed, found {found}", "add entries."),
    },
    "schema_other": {
        "zh": ("不符合方案格式: {reason}", "对照 docs/scheme-language.md 检查此处的写法。"),
        "en": ("does not fit the scheme format: {reason}", "compare with docs/scheme-language.md."),
    },
}
