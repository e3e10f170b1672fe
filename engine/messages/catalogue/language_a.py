"""Messages of the repetition stage (lists, for_each, *_each), linked what-if sweeps,
inheritance removals and history by period: problem code → Chinese and English (message, hint)."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, tuple[str, str]]] = {
    "repeat_lists_shape": {
        "zh": ("列表的写法不对", "lists 下每个列表按列写: 名称: {{字段: [值1, 值2, …], 字段2: […]}}；值是文字或数字，不能为空。for_each 写列表名或这样一个内联列表。"),
        "en": ("this list is not written as expected", "under lists each list is written by column: NAME: {{field: [v1, v2, …], field2: […]}}; values are text or numbers, none empty. for_each names a list or writes one inline."),
    },
    "repeat_field_name": {
        "zh": ("列表字段名 '{field}' 不能用作占位符", "字段名只含字母、数字、下划线或汉字（如 n、序号），在定义中写成 {{n}}。"),
        "en": ("the list field '{field}' cannot be a placeholder", "a field name holds letters, digits, underscores or Chinese characters (n, 序号) and is written {{n}} in the definition."),
    },
    "repeat_unequal": {
        "zh": ("列表各字段的值个数不同（{counts}）", "每个字段逐行对应，个数必须相同。"),
        "en": ("the fields of this list have different numbers of values ({counts})", "the fields go row by row and must have as many values each."),
    },
    "repeat_too_many": {
        "zh": ("一个列表最多 {limit} 行", "这样长的列表多半是把数据写进了方案；数据请放在 --data 的表格里。"),
        "en": ("a list has at most {limit} rows", "a list that long is probably data; put data in the --data tables."),
    },
    "repeat_too_many_values": {
        "zh": ("展开后的方案超过 {limit} 个值", "嵌套的 for_each 和 sum_each 会相乘；请检查列表是否写错。"),
        "en": ("the expanded scheme holds more than {limit} values", "nested for_each and sum_each multiply; check the lists."),
    },
    "repeat_unknown_list": {
        "zh": ("没有名为 '{name}' 的列表", "{suggestion}列表在顶层 lists 下声明，每个文件各自声明（继承时上级方案的列表不带过来）。"),
        "en": ("there is no list named '{name}'", "{suggestion}lists are declared under the top-level lists key, in each file (a parent's lists are not inherited)."),
    },
    "repeat_unknown_field": {
        "zh": ("占位符 {{{field}}} 不是列表的字段", "{suggestion}可用的字段: {fields}。编号和键名里的占位符必须由列表填上，否则各副本同名。"),
        "en": ("the placeholder {{{field}}} is not a field of the list", "{suggestion}fields: {fields}. A placeholder in an id or key must be filled by the list, or every copy gets the same name."),
    },
    "repeat_key_clash": {
        "zh": ("展开后的键 '{name}' 重复", "列表中有两行给出同一个名称，或与已写出的键同名；请让每行的值不同。"),
        "en": ("the expanded key '{name}' occurs twice", "two rows of the list give the same name, or it equals a key already written; make each row's value distinct."),
    },
    "repeat_outside": {
        "zh": ("名称 '{name}' 含占位符，却不在重复的定义里", "要按列表展开就在同一定义里写 for_each: 列表名；否则去掉花括号。"),
        "en": ("the name '{name}' holds a placeholder but is not in a repeated definition", "to expand it over a list write for_each: LIST in the same definition; otherwise drop the braces."),
    },
    "repeat_each_syntax": {
        "zh": ("无法理解的 {function}(…): '{found}'", "写成 {function}(列表名, 表达式)，如 sum_each(十项, sum_if(score_{{n}}, month <= 3))，括号要配对。"),
        "en": ("cannot read {function}(…): '{found}'", "write {function}(LIST, EXPRESSION), e.g. sum_each(ten, sum_if(score_{{n}}, month <= 3)), with matching brackets."),
    },
    "history_period_gap": {
        "zh": ("历史记录 {file} 中没有方案 {scheme} 的 {sought} 期（{period} 往前第 {back} 期）；{name} 按\"无记录\"处理，不取更早的 {latest} 期",
               "年、半年、季度、月份的期别按日历取上一期，缺一期就是没有记录（\"连续两年\"不会跨过空缺）；如果漏记了，补记: kaohe run … --period {sought} --record。"),
        "en": ("the history {file} has no period {sought} of scheme {scheme} ({back} before {period}); {name} is \"no record\", the older {latest} is not used",
               "years, half-years, quarters and months step back by the calendar, so a missing period is no record (\"two years running\" does not leap a gap); if it was not recorded, record it: kaohe run … --period {sought} --record."),
    },
    "extends_ambiguous": {
        "zh": ("'{id}' 在上级方案中不止一处（既是编号，又是输入项、参数等的名称）", "写明是哪一个，如 {qualified}。"),
        "en": ("'{id}' names more than one thing in the parent scheme (an id and an input, param …)", "say which, e.g. {qualified}."),
    },
    "sweep_no_range": {
        "zh": ("--sweep '{found}' 中没有要试算的范围", "至少一处写成 路径=起:止:步长，其余路径可以写成由它算出的式子，如 base_weight=0.6:0.9:0.1,vote_weight=1-base_weight。"),
        "en": ("--sweep '{found}' has no range to step through", "write at least one PATH=FROM:TO:STEP; other paths may be worked out from it, e.g. base_weight=0.6:0.9:0.1,vote_weight=1-base_weight."),
    },
    "sweep_unequal": {
        "zh": ("--sweep '{found}' 中几个范围的取值个数不同（{counts}）", "同时试算的几个范围一起移动（第 n 个值对第 n 个值），个数要相同；由一个算出另一个时写成式子，如 vote_weight=1-base_weight。"),
        "en": ("the ranges of --sweep '{found}' have different numbers of values ({counts})", "ranges swept together move together (n-th value with n-th value) and need as many values; to work one out from another write an expression, e.g. vote_weight=1-base_weight."),
    },
    "sweep_twice": {
        "zh": ("--sweep '{found}' 中路径 {path} 写了两次", "每个路径只写一次。"),
        "en": ("the path {path} occurs twice in --sweep '{found}'", "give each path once."),
    },
    "sweep_bad_link": {
        "zh": ("--sweep '{sweep}' 中的式子 '{found}' 无法计算", "只能用数、+ - * /、括号和前面写过的路径（或参数名），如 vote_weight=1-base_weight；不能除以 0。"),
        "en": ("cannot work out '{found}' in --sweep '{sweep}'", "use numbers, + - * /, brackets and paths written before it (or a param's name), e.g. vote_weight=1-base_weight; no division by 0."),
    },
    "sweep_unknown_name": {
        "zh": ("--sweep '{sweep}' 的式子中的 '{name}' 不是前面写过的路径", "{suggestion}可用: {known}。先写范围，再写由它算出的路径。"),
        "en": ("'{name}' in an expression of --sweep '{sweep}' is not a path written before it", "{suggestion}known: {known}. Write the range first, then the paths worked out from it."),
    },
    "sweep_weights_apart": {
        "zh": ("试算中 {where} 读取的权重 {params} 之和为 {sum}，不再是 1（{values}）", "原方案中这几个权重之和为 1；要一起调整，写成 --sweep 'a=0.6:0.9:0.1,b=1-a'，或用 --set 同时改两个。"),
        "en": ("in this variant the weights {params} read by {where} add up to {sum}, not 1 ({values})", "they added up to 1 in the scheme; to move them together write --sweep 'a=0.6:0.9:0.1,b=1-a', or --set both."),
    },
}
