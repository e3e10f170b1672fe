"""Messages of language v2, part C (quotas, ballots graded, self and verified scores):
problem code → Chinese and English (message, hint)."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, tuple[str, str]]] = {
    "seats_need_share": {
        "zh": ("'{key}' 只能用于按比例（share）给名额的档次，这一档写的是 {kind}",
               "count 本身就是名额、rest 没有自己的名额；要限定名额，把这一档写成 share（如 share: 0.05, min_seats: 1），或删去 '{key}'。"),
        "en": ("'{key}' bounds the seats of a share tier only; this tier uses {kind}",
               "a count already is the number of seats and rest has none of its own; write the tier as a share (e.g. share: 0.05, min_seats: 1) or drop '{key}'."),
    },
    "seats_min_above_max": {
        "zh": ("每组至少名额 min_seats: {low} 大于至多名额 max_seats: {high}", "把 min_seats 改为不超过 max_seats 的数。"),
        "en": ("min_seats: {low} is above max_seats: {high}", "make min_seats at most max_seats."),
    },
    "share_of_among_needs_among": {
        "zh": ("share_of: among 按满足参评条件 among 的单位数计算比例，但这项排名评选没有写 among",
               "写出参评条件（如 among: stars == 10），或把 share_of 改为 pool（参评人数）或 all（全部单位数）。"),
        "en": ("share_of: among takes the share of the units meeting 'among', but this ranking has no 'among'",
               "write the condition (e.g. among: stars == 10), or use share_of: pool (the competing units) or all (every unit)."),
    },
}
MESSAGES.update({
    "self_id_taken": {
        "zh": ("输入项 {name} 的自评值要用编号 {companion}，但已有同名的输入项",
               "把那个输入项改名，或删去 self_assessed（自评值的编号总是 编号_self）。"),
        "en": ("the self-assessed value of input {name} needs the id {companion}, which another input already has",
               "rename that input, or drop self_assessed (the self-assessed value is always ID_self)."),
    },
    "self_title_taken": {
        "zh": ("自评列的表头 '{title}' 已是另一个输入项的名称", "给 self_assessed 写一个不同的表头，如 self_assessed: 党员大会次数（自评）。"),
        "en": ("the self-assessed column title '{title}' is already another input's title", "give self_assessed a different title, e.g. self_assessed: 党员大会次数（自评）."),
    },
    "self_boolean": {
        "zh": ("是/否型输入项 {name} 不能写 self_assessed: 空格会被读成“否”，分不出“没有自评”和“自评为否”",
               "改为 type: category, values: [是, 否]（空格即没有自评），或 type: count（1/0）。"),
        "en": ("the yes/no input {name} cannot take self_assessed: a blank cell reads as 'no', so 'not self-assessed' and 'claimed no' look alike",
               "use type: category, values: [是, 否] (blank = not self-assessed) or type: count (1/0)."),
    },
})
