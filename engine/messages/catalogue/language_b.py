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
MESSAGES.update({
    "ballot_dimension": {
        "zh": ("无效票规则的 per '{found}' 不是开放维度", "{suggestion}per 写按测评人等不定行数的维度（dimensions 中不写 values 的）: {allowed}。"),
        "en": ("'{found}' (per of a ballot rule) is no open dimension", "{suggestion}per names a dimension without values, such as the raters: {allowed}."),
    },
    "ballot_no_inputs": {
        "zh": ("维度 {dim} 没有输入项，无效票规则无票可查", "在 inputs 中声明该维度的输入项（如 vote: {{per: rater}}），或删去这条规则。"),
        "en": ("no input is per {dim}: the ballot rule has no ballots to check", "declare the dimension's inputs under 'inputs:' (e.g. vote: {{per: rater}}) or remove the rule."),
    },
    "ballot_no_raters": {
        "zh": ("无效票规则「{ballot}」要按{dim}区分选票，但数据 {file} 没有{dim}一列", "测评票表中加一列“{dim}”，每张票（每位测评人）一个编号，如 R07。"),
        "en": ("the ballot rule '{ballot}' tells ballots apart by {dim}, but the data {file} has no {dim} column", "add a '{dim}' column to the ballot table, one label per ballot (rater), e.g. R07."),
    },
})
MESSAGES.update({
    "ballot_not_on_ballot": {
        "zh": ("无效票条件中的 '{name}' 不是按{dim}填写的输入项，不在票上", "无效票条件在一张票上的各单位之间计算，只能用按{dim}填写的输入项: {allowed}。"),
        "en": ("'{name}' in a ballot check is not an input per {dim}: it is not on the ballot", "a ballot check looks across the units on one ballot and reads the inputs per {dim}: {allowed}."),
    },
})
