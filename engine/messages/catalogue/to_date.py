"""Messages of runs to date (engine.to_date): problem code → Chinese and English (message, hint)."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, tuple[str, str]]] = {
    "to_date_open": {
        "zh": ("开放维度“{dim}”不能写 to_date", "to_date 只用于写了 values 的维度（如月份 1–12）：运行时可以只算到其中某个值。"),
        "en": ("the open dimension '{dim}' cannot be to_date", "to_date is for a dimension with values (months 1–12): a run may stop at one of them."),
    },
    "to_date_many": {
        "zh": ("维度“{dim}”和“{first}”都写了 to_date", "一个方案只能有一个可以只算到当前的维度；去掉其中一个的 to_date。"),
        "en": ("both '{dim}' and '{first}' are to_date", "a scheme has at most one dimension a run may stop short of; remove one to_date."),
    },
    "to_date_no_dimension": {
        "zh": ("{id} 写了 pending_until，但方案没有 to_date 维度", "在按月的维度上写 to_date: true（如 dimensions.month.to_date: true），或去掉 pending_until。"),
        "en": ("{id} has pending_until, but no dimension is to_date", "write to_date: true on the monthly dimension (dimensions.month.to_date: true), or remove pending_until."),
    },
    "to_date_bad_value": {
        "zh": ("pending_until 的值 '{found}' 不是{dim}的取值", "写{dim}的某个取值（{values}），或 end 表示最后一个。"),
        "en": ("pending_until '{found}' is not a value of {dim}", "write one of {values}, or end for the last one."),
    },
    "to_date_so_far_rule": {
        "zh": ("项目 {id} 的 so_far 应写且只写一种计分规则（写了: {found}）", "so_far 与项目本身的写法相同，如 so_far: {{formula: mean(score)}}；可用: {kinds}。"),
        "en": ("so_far of item {id} must hold exactly one rule (found: {found})", "write it as an item's rule, e.g. so_far: {{formula: mean(score)}}; one of: {kinds}."),
    },
    "to_date_not_declared": {
        "zh": ("方案 {scheme} 没有可以只算到当前的维度（--until {value} 无从算起）", "在按月的维度上写 to_date: true（本方案的封闭维度: {dims}），再用 --until。"),
        "en": ("scheme {scheme} has no dimension a run may stop short of (nothing for --until {value} to stop)", "write to_date: true on the monthly dimension (this scheme's closed dimensions: {dims}), then use --until."),
    },
    "to_date_bad_until": {
        "zh": ("'{value}' 不是{dim}的取值", "写{dim}的某个取值: {values}。"),
        "en": ("'{value}' is not a value of {dim}", "write one of: {values}."),
    },
    "to_date_no_record": {
        "zh": ("本次只算到{dim} {until}（中期结果），不能记入历史", "历史记录的是整期的结果: 数据齐到{dim} {last} 后再 --record；月度公示不必记录。"),
        "en": ("this run goes only to {dim} {until} (results to date) and cannot be recorded", "the history keeps whole periods: --record once the data reach {dim} {last}; a monthly 公示 needs no record."),
    },
    "data_later_rows": {
        "zh": ("{count} 行属于{dim} {values}，在本次（截至{dim} {until}）之后，未计入", "本次只算到{dim} {until}；要算全部，去掉 --until 或改为 --until {last}。"),
        "en": ("{count} rows of {dim} {values} are after this run (to {dim} {until}) and were left out", "this run stops at {dim} {until}; for all of them leave out --until or give --until {last}."),
    },
}
