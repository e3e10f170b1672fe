"""Messages of compiling: problem code → Chinese and English (message, hint)."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, tuple[str, str]]] = {
    "duplicate_id": {
        "zh": ("编号 '{id}' 重复（第一次在第 {first} 行）", "项目、分组、一票否决和评定的编号在方案内必须唯一。"),
        "en": ("id '{id}' is used twice (first on line {first})", "ids of items, sections, vetoes and grades must be unique in a scheme."),
    },
    "id_shadows_input": {
        "zh": ("编号 '{id}' 与输入项同名", "换一个编号，避免在表达式中引用时混淆。"),
        "en": ("id '{id}' is also the name of an input", "choose another id so that expressions stay unambiguous."),
    },
    "no_rule": {
        "zh": ("项目 '{id}' 没有计分规则", "写一个规则键: {kinds}；或用 'items:' 把它写成分组。"),
        "en": ("item '{id}' has no scoring rule", "add one rule key: {kinds}; or give it 'items:' to make it a section."),
    },
    "many_rules": {
        "zh": ("项目 '{id}' 同时写了多个计分规则: {found}", "每个项目只能有一个规则键；拆成多个项目或合并为一个公式。"),
        "en": ("item '{id}' has several scoring rules: {found}", "an item takes exactly one rule key; split it into several items or merge into one formula."),
    },
    "section_with_rule": {
        "zh": ("分组 '{id}' 有 'items:' 又写了计分规则 '{found}'", "分组的得分是其下项目之和；把规则移到一个子项目中。"),
        "en": ("section '{id}' has 'items:' and also a rule '{found}'", "a section scores the sum of its items; move the rule into a child item."),
    },
    "item_needs_max": {
        "zh": ("项目 '{id}' 缺少满分 'max'", "写上本项的满分，例如 'max: 10'。"),
        "en": ("item '{id}' has no 'max'", "write the item's full marks, e.g. 'max: 10'."),
    },
    "rescale_uncapped": {
        "zh": ("方案有不封顶的计分项，不能折算 'rescale'", "折算按适用满分换算，不封顶的项目没有满分；把不封顶的加分移到 'adjustments:'，或给它写数字满分。"),
        "en": ("the scheme has an uncapped item and cannot 'rescale'", "rescaling divides by the applicable full marks, which an uncapped item lacks; move the bonus to 'adjustments:' or give it a number as max."),
    },
    "forced_grade_unknown": {
        "zh": ("一票否决强制的等次 '{found}' 不是评定 {grade} 的档次", "{suggestion}可选: {allowed}。"),
        "en": ("the veto forces '{found}', which is not a value of grade {grade}", "{suggestion}one of: {allowed}."),
    },
    "points_too_large": {
        "zh": ("分值 {found} 太大（最多 {limit}）", "满分、扣分、档次和级别的分值写实际的分数；不封顶写 不封顶（或 .inf）。"),
        "en": ("the points {found} are too large (at most {limit})", "write the actual points for max, deductions, bands and levels; an uncapped item takes 不封顶 (or .inf)."),
    },
    "not_finite": {
        "zh": ("'{found}' 不是有限的数", "写一个普通数字。.nan 会让所有比较都不成立；无穷大只用于表示没有界限：max（.inf 或 不封顶）、min（-.inf 或 不设下限）、cap、档次界限和 range。"),
        "en": ("'{found}' is not a finite number", "write an ordinary number. .nan makes every comparison fail; infinity only means 'no bound': max (.inf or 不封顶), min (-.inf or 不设下限), cap, band bounds and range."),
    },
    "expr_not_finite": {
        "zh": ("表达式 {expr} 中的数 '{found}' 不是有限的数", "写一个普通数字（超出浮点范围的数会变成无穷大）。"),
        "en": ("the number '{found}' in {expr} is not finite", "write an ordinary number (numbers beyond float range become infinite)."),
    },
    "too_many": {
        "zh": ("这里最多写 {expected} 项，实际有 {found} 项", "删去多余的项；如 range 只写 [下限, 上限] 两个数。"),
        "en": ("at most {expected} entries are allowed here, found {found}", "remove the extra entries; e.g. range takes [low, high]."),
    },
    "uncapped_needs_max": {
        "zh": ("项目 '{id}' 用 {kind} 规则，不能不封顶", "{kind} 规则要用满分（默认分值、起始分、比例都从满分算）；写出数字满分，或改用 formula / levels。"),
        "en": ("item '{id}' uses a {kind} rule and cannot be uncapped", "a {kind} rule needs its full marks (default points, start, fractions); write a number, or use formula / levels."),
    },
    "min_above_max": {
        "zh": ("最低分 {min} 大于满分 {max}", "检查 'min' 与 'max'。"),
        "en": ("min {min} is greater than max {max}", "check 'min' and 'max'."),
    },
    "section_total_mismatch": {
        "zh": ("分组 '{id}' 声明满分 {declared}，其下项目满分合计 {sum}", "改正分组的 'max' 或各项目的 'max'，使二者一致。"),
        "en": ("section '{id}' declares max {declared} but its items add up to {sum}", "correct the section's 'max' or its items' 'max' so that they agree."),
    },
    "unknown_unit_type": {
        "zh": ("未声明的单位类型 '{name}'", "{suggestion}在 'units: types:' 中声明它，已有: {allowed}。"),
        "en": ("undeclared unit type '{name}'", "{suggestion}declare it under 'units: types:'; declared: {allowed}."),
    },
    "weights_sum": {
        "zh": ("各部分权重之和为 {sum}，应为 1", "例如 0.4 与 0.6；权重按小数写。"),
        "en": ("the parts' weights add up to {sum}, not 1", "for example 0.4 and 0.6; write weights as decimals."),
    },
    "band_overlap": {
        "zh": ("档次 {first} 与 {second} 重叠（区间 {a} 与 {b}）", "按顺序取第一个符合的档次；若非本意，请调整 ge/gt/lt/le。"),
        "en": ("bands {first} and {second} overlap ({a} and {b})", "the first matching band wins; adjust ge/gt/lt/le if that is not intended."),
    },
    "band_gap": {
        "zh": ("档次之间有空档: {gap} 不属于任何档次", "补上覆盖该区间的档次，或写 'otherwise:'；落在空档中的单位会得到警告。"),
        "en": ("the bands leave a gap: {gap} falls in no band", "add a band for that range or an 'otherwise:'; units falling in it are warned about."),
    },
    "band_empty": {
        "zh": ("档次 {band} 的区间为空（{range}）", "检查下限与上限。"),
        "en": ("band {band} is empty ({range})", "check its lower and upper bounds."),
    },
    "band_points_above_max": {
        "zh": ("档次得分 {points} 超过本项满分 {max}", "档次得分不能超过 'max'。"),
        "en": ("band points {points} exceed the item's max {max}", "band points cannot exceed 'max'."),
    },
    "band_value_type": {
        "zh": ("评定 '{grade}' 依据的评定 '{of}' 的档次值不是数字", "被引用的评定，其档次 'value' 须为数字（如星级 10、9…）。"),
        "en": ("grade '{grade}' is based on grade '{of}', whose band values are not numbers", "a referenced grade needs numeric band 'value's (e.g. stars 10, 9 …)."),
    },
    "primary_grades": {
        "zh": ("有 {count} 个评定标为 primary", "只能有一个评定作为结果中的 grade；其余作为附加评定。"),
        "en": ("{count} grades are marked primary", "exactly one grade becomes the result's 'grade'; the others are extra."),
    },
    "manual_input": {
        "zh": ("手工评定引用的输入项 '{name}' {problem}", "手工评定需一个按单位填写（不带 per）且允许留空（missing: skip）的输入项。"),
        "en": ("manual grading refers to input '{name}', which {problem}", "manual grading needs a per-unit input (no 'per') that may be blank (missing: skip)."),
    },
    "manual_grade": {
        "zh": ("引用的评定 '{name}' 未声明", "这里须写 'grades:' 中某个评定的编号。"),
        "en": ("grade '{name}' is not declared", "write the id of a grade under 'grades:' here."),
    },
    "new_bad_name": {
        "zh": ("方案名 '{found}' 不合适", "中文名可以直接用（如 kaohe new 我县考核），但不能含空格和 / \\ : * ? \" < > |；英文名用小写字母开头，只含小写字母、数字、下划线和连字符，如 mouxian-chuangxian。"),
        "en": ("'{found}' is not a usable scheme name", "a Chinese name may be used as it is (kaohe new 我县考核) but without spaces or / \\ : * ? \" < > |; an ASCII name starts with a lower-case letter and uses lower-case letters, digits, '_' and '-'."),
    },
    "new_bad_id": {
        "zh": ("编号 '{found}' 不合适", "--id 用小写字母开头，只含小写字母、数字、下划线和连字符，如 woxian-kaohe。"),
        "en": ("'{found}' is not a usable scheme id", "--id starts with a lower-case letter and uses lower-case letters, digits, '_' and '-', e.g. woxian-kaohe."),
    },
    "new_parent_exists": {
        "zh": ("要把上级方案 {source} 复制到这里，但这个文件夹已存在且内容不同", "用 --from 直接指向这个文件夹里的方案，或先把它移走。"),
        "en": ("the parent scheme {source} would be copied here, but this folder exists with other content", "point --from at the scheme in this folder, or move the folder away first."),
    },
    "new_exists": {
        "zh": ("文件夹已存在", "换一个名字，或先删除/移走这个文件夹。"),
        "en": ("the folder already exists", "choose another name or move the folder away first."),
    },
    "extends_outside": {
        "zh": ("extends 指向的 '{path}' 不在方案文件夹 {root} 内", "只能在本方案库（schemes 文件夹）中的方案基础上修改；先把上级方案复制进来。"),
        "en": ("extends points to '{path}', outside the schemes folder {root}", "a scheme may only extend schemes in the same schemes folder; copy the parent in first."),
    },
    "extends_cycle": {
        "zh": ("extends 形成循环: {cycle}", "方案不能直接或间接地在自己的基础上修改。"),
        "en": ("extends forms a cycle: {cycle}", "a scheme cannot extend itself, directly or indirectly."),
    },
    "extends_missing": {
        "zh": ("extends 指向的文件 '{path}' 不存在", "路径相对于本文件所在的文件夹，如 ../城市方案/城市方案.yaml。"),
        "en": ("the file '{path}' named by extends does not exist", "the path is relative to this file's folder, e.g. ../city/city.yaml."),
    },
    "extends_unknown_id": {
        "zh": ("上级方案中没有编号 '{id}'", "{suggestion}用 kaohe show 上级方案.yaml 查看所有编号。"),
        "en": ("the parent scheme has no id '{id}'", "{suggestion}see every id with kaohe show PARENT.yaml."),
    },
    "extends_id_change": {
        "zh": ("override 不能修改编号 '{id}'", "要改编号，请 remove 旧的、add 新的。"),
        "en": ("override cannot change the id '{id}'", "to rename, remove the old one and add a new one."),
    },
    "extends_not_a_list": {
        "zh": ("'{to}' 在合并后是{found}，不是列表，add 无法往里加", "add 只能加到列表（items、vetoes、grades …）或分组的 items 中；检查本文件是否把 '{to}' 改写成了别的内容。"),
        "en": ("'{to}' is {found} after merging, not a list, so add cannot insert into it", "add inserts into lists (items, vetoes, grades …) or a section's items; check whether this file replaced '{to}' with something else."),
    },
    "extends_chain_too_long": {
        "zh": ("extends 链超过 {limit} 层", "方案在另一个方案基础上修改，层数不宜过多；上限见 docs/limits.md。"),
        "en": ("the extends chain is longer than {limit}", "keep chains of schemes extending schemes short; see docs/limits.md."),
    },
    "extends_add_shape": {
        "zh": ("add 的每一项要写 to（加到哪里）和 item（新增的内容）", "如 - {{to: basic, after: item_02, item: {{id: new_item, title: 新项目, max: 1, formula: x}}}}"),
        "en": ("each add entry needs to (where) and item (what)", "e.g. - {{to: basic, after: item_02, item: {{id: new_item, title: New, max: 1, formula: x}}}}"),
    },
    "report_notices_unknown": {
        "zh": ("reports.notices 写的 '{name}' 不是本方案的结果运用（actions）编号", "{suggestion}可写: {allowed}。"),
        "en": ("reports.notices names '{name}', which is not an action of this scheme", "{suggestion}one of: {allowed}."),
    },
    "unknown_history_ref": {
        "zh": ("往期结果引用的 '{name}' 不是本方案的排名评选、结果运用、一票否决或评定", "{suggestion}可写: {allowed}。"),
        "en": ("history refers to '{name}', which is not a ranking, action, veto or grade of this scheme", "{suggestion}one of: {allowed}."),
    },
    "history_needs_period": {
        "zh": ("方案引用了往期结果（或要求记录），但没有给出本期", "加上 --period，例如 --period 2024。"),
        "en": ("the scheme reads earlier periods (or --record was given) but no period was given", "add --period, e.g. --period 2024."),
    },
    "history_no_earlier": {
        "zh": ("历史记录 {file} 中没有方案 {scheme} 在 {period} 往前第 {back} 期（0 为同一期）的结果；{name} 按\"无\"处理", "先用 --record 记录该方案相应各期的结果。"),
        "en": ("the history {file} has no result of scheme {scheme} {back} period(s) before {period} (0: the same period); {name} is empty", "record that scheme's periods first with --record."),
    },
    "history_unreadable": {
        "zh": ("无法读写历史记录: {reason}", "检查 --history 指向的文件是否可读写，且是 Kaohe 生成的 SQLite 文件。"),
        "en": ("cannot read or write the history: {reason}", "check that the --history file is readable/writable and was made by Kaohe."),
    },
    "results_unreadable": {
        "zh": ("无法读取结果文件: {reason}", "这里需要 kaohe run --format json 输出的文件。"),
        "en": ("cannot read the results file: {reason}", "give a file written by kaohe run --format json."),
    },
    "unknown_dimension": {
        "zh": ("未声明的维度 '{name}'", "{suggestion}在 'dimensions:' 中声明它，已有: {allowed}。"),
        "en": ("undeclared dimension '{name}'", "{suggestion}declare it under 'dimensions:'; declared: {allowed}."),
    },
    "bad_range": {
        "zh": ("范围 [{lo}, {hi}] 的下限大于上限", "写成 [下限, 上限]。"),
        "en": ("range [{lo}, {hi}] has its lower bound above its upper bound", "write [low, high]."),
    },
    "values_only_category": {
        "zh": ("只有 category 类型的输入项可以写 'values:'", "把 type 改为 category，或删除 values。"),
        "en": ("only category inputs take 'values:'", "set type: category or remove values."),
    },
    "skip_needs_dimension": {
        "zh": ("missing: skip 用于按单位填写的输入项 '{name}'，只有手工评定输入项可以这样", "按单位的输入项缺值时请用 error 或 zero；skip 用于按维度（per）填写的输入项。"),
        "en": ("missing: skip on per-unit input '{name}' is only allowed for the manual-grade input", "use error or zero for per-unit inputs; skip is for inputs with 'per'."),
    },
    "scale_unknown": {
        "zh": ("没有名为 '{name}' 的评分尺度", "{suggestion}在 scales: 下声明它；已声明的尺度: {allowed}。"),
        "en": ("no scale named '{name}'", "{suggestion}declare it under scales:; declared: {allowed}."),
    },
    "scale_needs_max": {
        "zh": ("按满分比例计分的评分尺度要用本项满分，本项不封顶", "写出数字满分（max），或改用按分数（points）的尺度。"),
        "en": ("a scale in fractions of full marks needs the item's max, and this item is uncapped", "write a number for max, or use a scale in points."),
    },
    "scale_uncovered": {
        "zh": ("评分尺度没有给出 {input} 的取值 {missing} 的分数", "为这些评价写出分数，或写 'otherwise:'（其他评价的得分）。"),
        "en": ("the scale gives no points for {input}'s value(s) {missing}", "give them points, or write 'otherwise:' (the points of any other rating)."),
    },
    "scale_unknown_rating": {
        "zh": ("'{label}' 不是 {input} 的取值", "{suggestion}{input} 的取值: {allowed}。"),
        "en": ("'{label}' is not a value of {input}", "{suggestion}{input} takes: {allowed}."),
    },
    "scale_points_above_max": {
        "zh": ("评价 '{label}' 的得分 {points} 超过本项满分 {max}", "评分尺度的得分不能超过 'max'。"),
        "en": ("rating '{label}' is worth {points}, above the item's max {max}", "a scale's points cannot exceed 'max'."),
    },
}
