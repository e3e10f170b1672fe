"""Messages of evaluation: problem code → Chinese and English (message, hint)."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, tuple[str, str]]] = {
    "eval_not_finite": {
        "zh": ("{what} 对单位 {units} 得出{found}（表达式 {expr}；{inputs}）", "常见原因是除以 0（如测评人数为 0）；在数据中补全，或在表达式中用 where() 处理。"),
        "en": ("{what} gives {found} for unit(s) {units} (expression {expr}; {inputs})", "usually a division by zero (e.g. no raters); complete the data or guard with where()."),
    },
    "eval_no_rating": {
        "zh": ("{what}: {count} 个单位没有评价（如 {units}），按 0 分处理", "填写评价，或在评分尺度中写 'otherwise:'。"),
        "en": ("{what}: {count} unit(s) have no rating (e.g. {units}); scored 0", "fill in the rating, or write 'otherwise:' in the scale."),
    },
    "eval_no_band": {
        "zh": ("{what}: {count} 个单位的值落在档次空档中（如 {units}），按 0 分/无评定处理", "为该区间补一个档次，或写 'otherwise:'。"),
        "en": ("{what}: {count} unit(s) fall in a gap between bands (e.g. {units}); scored 0 / no grade", "add a band for that range or an 'otherwise:'."),
    },
    "eval_capped": {
        "zh": ("{what}: {count} 个单位的得分超出 [{min}, {max}] 已截取（如 {units}）", "若这不是本意，请检查规则；若截取正是本意，写出 'min:'（如 min: 0 或 min: -20），声明过的界限截取时不再提示。"),
        "en": ("{what}: {count} unit(s) scored outside [{min}, {max}] and were clamped (e.g. {units})", "check the rule if that is not intended; if it is, write 'min:' (e.g. min: 0 or min: -20): declared bounds clamp without a warning."),
    },
}
