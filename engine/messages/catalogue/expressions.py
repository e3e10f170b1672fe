"""Messages of expressions: problem code → Chinese and English (message, hint)."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, tuple[str, str]]] = {
    "expr_empty": {
        "zh": ("表达式是空的", "写出要计算的式子，如 mean(score_1) * 0.8；不需要这一项就删除这个键。"),
        "en": ("the expression is empty", "write what to compute, e.g. mean(score_1) * 0.8; delete the key if it is not needed."),
    },
    "expr_too_long": {
        "zh": ("表达式有 {length} 个字符，超过上限 {limit}", "把长式子拆开: 中间结果写成 'derived:' 计算值，或用分组（items）求和；上限见 docs/limits.md。"),
        "en": ("the expression has {length} characters, more than {limit}", "split it: name intermediate results under 'derived:', or let a section (items) add up; see docs/limits.md."),
    },
    "expr_too_deep": {
        "zh": ("表达式 {expr} 嵌套超过 {limit} 层（如连加超过 {limit} 项，或层层括号、负号、not）", "把长式子拆开: 中间结果写成 'derived:' 计算值，或用分组（items）求和；上限见 docs/limits.md。"),
        "en": ("{expr} nests more than {limit} levels (a sum of over {limit} terms, or stacked brackets, minus signs or not)", "split it: name intermediate results under 'derived:', or let a section (items) add up; see docs/limits.md."),
    },
    "expr_constant_not_finite": {
        "zh": ("表达式 {expr} 中的 '{found}' 算出 {value}，不是有限的数", "数字超出了浮点数范围（约 ±1.8e308）或除以了 0: 改写这一部分，如减小指数。"),
        "en": ("'{found}' in {expr} comes to {value}, which is not a finite number", "the number leaves the float range (about ±1.8e308) or divides by 0: rewrite this part, e.g. with a smaller exponent."),
    },
    "expr_int_argument": {
        "zh": ("表达式 {expr} 中 {name}() 的{what} {found} 超出范围", "应为 {low} 到 {high} 之间的整数；上限见 docs/limits.md。"),
        "en": ("the {what} {found} of {name}() in {expr} is out of range", "write a whole number from {low} to {high}; see docs/limits.md."),
    },
    "expr_syntax": {
        "zh": ("表达式语法错误: {reason}（表达式 {expr}）", "表达式写法同 Excel 公式: 运算符 + - * / 、比较 >= 、函数如 mean(x)。"),
        "en": ("expression syntax error: {reason} (in {expr})", "expressions use + - * /, comparisons such as >=, and functions such as mean(x)."),
    },
    "expr_percent": {
        "zh": ("表达式 {expr} 中的 '{found}' 不能带 %", "百分比在方案中按 0–100 的数字写: 写 {number}。"),
        "en": ("'{found}' in {expr} cannot carry a %", "percentages are plain numbers 0–100 in a scheme: write {number}."),
    },
    "expr_fullwidth": {
        "zh": ("表达式 {expr} 中有中文符号 '{char}'", "改为英文符号 {ascii} （切换到英文输入法输入）；文字值两边用英文引号，如 flag == '否'。"),
        "en": ("{expr} contains the full-width '{char}'", "use the ASCII {ascii} instead; text values take ASCII quotes, e.g. flag == '否'."),
    },
    "expr_title_not_id": {
        "zh": ("表达式 {expr} 中的 '{name}' 是输入项的中文名称", "表达式中写输入项的编号: {ident}。"),
        "en": ("'{name}' in {expr} is an input's Chinese title", "write the input's id in expressions: {ident}."),
    },
    "expr_unknown_name": {
        "zh": ("表达式 {expr} 中的 '{name}' 未声明", "{suggestion}在 'inputs:' 中声明它，或检查拼写。"),
        "en": ("'{name}' in {expr} is not declared", "{suggestion}declare it under 'inputs:' or check the spelling."),
    },
    "expr_unknown_category": {
        "zh": ("表达式 {expr} 把 '{name}' 与 '{found}' 比较，但 '{found}' 不是 {name} 的可选值", "{suggestion}{name} 的可选值: {allowed}。这样的比较对任何单位都不成立。"),
        "en": ("{expr} compares '{name}' with '{found}', which is not one of its values", "{suggestion}{name} takes: {allowed}. The comparison would hold for no unit."),
    },
    "levels_uncovered": {
        "zh": ("按 '{name}' 分级加减分，但取值 {missing} 不属于任何一级（得 0 分）", "若这些取值应得 0 分，可补一级 points: 0 以示有意；否则为它们补上分级。"),
        "en": ("levels over '{name}' leave the value(s) {missing} out (they score 0)", "add a level with points: 0 if that is intended, or levels for them."),
    },
    "expr_many_statements": {
        "zh": ("表达式 {expr} 含有 {count} 个语句，只能是一个表达式", "一个公式只能算出一个值：去掉分号（;），把各部分用 + 等运算符连成一个式子，或把中间结果写成 'derived:' 计算值。"),
        "en": ("{expr} holds {count} statements; it must be one expression", "a formula yields one value: drop the ';', join the parts with + or another operator, or name intermediate results under 'derived:'."),
    },
    "expr_not_yet_known": {
        "zh": ("表达式 {expr} 中的 '{name}' 是{kind}，在这里还没有算出", "{usable}。"),
        "en": ("'{name}' in {expr} is {kind}, not yet known here", "{usable}."),
    },
    "expr_unknown_function": {
        "zh": ("表达式 {expr} 中的函数 '{name}' 不存在", "{suggestion}可用的函数: {allowed}。"),
        "en": ("function '{name}' in {expr} does not exist", "{suggestion}available functions: {allowed}."),
    },
    "expr_not_allowed": {
        "zh": ("表达式 {expr} 中不能使用 {what}", "只能使用数字、文字、输入项、运算符和列出的函数。"),
        "en": ("{what} is not allowed in {expr}", "use numbers, text, inputs, operators and the listed functions only."),
    },
    "expr_arity": {
        "zh": ("函数 {name} 需要 {expected} 个参数，实际 {found} 个（表达式 {expr}）", "{usage}"),
        "en": ("function {name} takes {expected} arguments, got {found} (in {expr})", "{usage}"),
    },
    "expr_type": {
        "zh": ("表达式 {expr} 中 {what}: 应为{expected}，实际为{found}", "{advice}"),
        "en": ("in {expr}, {what}: expected {expected}, found {found}", "{advice}"),
    },
    "expr_mixed_dims": {
        "zh": ("表达式 {expr} 混用了维度 {a} 和 {b}", "先用 mean()/sum() 等把一个维度汇总为每单位一个值，再与另一个相运算。"),
        "en": ("{expr} mixes dimensions {a} and {b}", "aggregate one of them per unit first with mean()/sum() etc."),
    },
    "expr_not_aggregated": {
        "zh": ("表达式 {expr} 的结果仍是按{dim}的多个值", "用 mean({name}) / sum({name}) / count({name}) 等把它汇总为每单位一个值。"),
        "en": ("{expr} still yields one value per {dim}", "aggregate it per unit, e.g. mean({name}), sum({name}) or count({name})."),
    },
    "expr_result_type": {
        "zh": ("{what} 的表达式 {expr} 应得出{expected}，实际得出{found}", "{advice}"),
        "en": ("the expression {expr} for {what} should give {expected}, gives {found}", "{advice}"),
    },
}
