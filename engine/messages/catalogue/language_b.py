"""Messages of the language-v2 mechanisms of aggregates across units, conditional
inputs and ballots: problem code → Chinese and English (message, hint)."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, tuple[str, str]]] = {
    "agg_constant": {
        "zh": ("表达式 {expr} 中 {name}() 的第一个参数不读取任何输入项或计算值", "{name}(x, 范围) 对各单位的 x 求平均、求和或排名: x 应是输入项、计算值或由它们算出的式子，如 {name}(rate)。"),
        "en": ("the first argument of {name}() in {expr} reads no input or derived value", "{name}(x, scope) looks at x across units: x is an input, a derived value or an expression over them, e.g. {name}(rate)."),
    },
    "agg_scope": {
        "zh": ("表达式 {expr} 中 {name}() 的范围 {found} 不可用", "{suggestion}范围写成带引号的文字之一: {allowed}。"),
        "en": ("{found} is no scope for {name}() in {expr}", "{suggestion}write one of the quoted scopes: {allowed}."),
    },
    "agg_order": {
        "zh": ("表达式 {expr} 中 {name}() 的顺序 {found} 不可用", "{suggestion}顺序写成带引号的文字之一: {allowed}（'desc' 高者第 1，'asc' 低者第 1）。"),
        "en": ("{found} is no order for {name}() in {expr}", "{suggestion}write one of the quoted orders: {allowed} ('desc' ranks the highest first, 'asc' the lowest)."),
    },
    "agg_total_cycle": {
        "zh": ("表达式 {expr} 读取总分 'total'，而总分由各项目相加得出: 循环依赖", "计算值和项目在总分之前算出，只能用输入项、计算值及它们的汇总与名次（如 rank(votes, 'group')）；按总分的名次和比较写在 vetoes、grades、rankings 或 actions 中（如 rank(total) <= 3）。"),
        "en": ("{expr} reads the total 'total', which is the sum of the items: a cycle", "derived values and items come before the total and may read inputs, derived values and their aggregates and ranks (e.g. rank(votes, 'group')); rank or compare totals in vetoes, grades, rankings or actions (e.g. rank(total) <= 3)."),
    },
}
