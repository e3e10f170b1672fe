"""Message catalogue: problem codes to Chinese and English texts with hints.

Each entry maps a code to ``{"zh": (message, hint), "en": (message, hint)}``;
templates use ``str.format`` fields filled from the problem's arguments.
Chinese is the default because the users are Chinese organisation
departments; English is available with ``--lang en``.
"""

from __future__ import annotations

import typing as t

MESSAGES: dict[str, dict[str, tuple[str, str]]] = {
    # ---- loading YAML -------------------------------------------------
    "file_not_found": {
        "zh": ("找不到文件", "检查路径是否写对；相对路径以当前目录为起点。"),
        "en": ("file not found", "check the path; relative paths start from the current folder."),
    },
    "scheme_folder": {
        "zh": ("这是一个文件夹，其中有 {count} 个方案文件（{files}）", "写出方案文件的路径，如 schemes/某方案/某方案.yaml。"),
        "en": ("this is a folder holding {count} scheme files ({files})", "give the scheme file's path, e.g. schemes/NAME/NAME.yaml."),
    },
    "file_unreadable": {
        "zh": ("无法读取文件: {reason}", "确认这是一个文件而不是文件夹，且有读取权限。"),
        "en": ("cannot read the file: {reason}", "make sure it is a file, not a folder, and readable."),
    },
    "yaml_syntax": {
        "zh": ("YAML 语法错误: {reason}", "检查缩进（只用空格）、冒号后的空格和引号是否成对。"),
        "en": ("YAML syntax error: {reason}", "check indentation (spaces only), the space after each colon, and paired quotes."),
    },
    "yaml_colon_space": {
        "zh": ("第 {line} 行 '{key}:' 的冒号后面缺一个空格", "YAML 的键名后是冒号加一个空格: 写成 '{key}: …'。"),
        "en": ("line {line}: the colon after '{key}' is not followed by a space", "a YAML key is followed by ':' and a space: write '{key}: …'."),
    },
    "yaml_colon_in_value": {
        "zh": ("第 {line} 行 '{key}' 的值里有冒号加空格，YAML 把它当成了又一个键", "给整个值加引号: {key}: \"{value}\"（或把值中的 ': ' 改成中文冒号 '：'）。"),
        "en": ("line {line}: the value of '{key}' holds ': ', which YAML reads as another key", "quote the whole value: {key}: \"{value}\" (or use a full-width '：' in the text)."),
    },
    "flow_split_expression": {
        "zh": ("表达式在逗号处被拆开了: '{key}' 的值只剩 '{fragment}'", "在 {{…}} 写法中，含逗号的表达式必须加引号: {key}: \"{fixed}\"。"),
        "en": ("the expression was split at its commas: '{key}' holds only '{fragment}'", "inside {{…}}, an expression with commas must be quoted: {key}: \"{fixed}\"."),
    },
    "yaml_fullwidth": {
        "zh": ("第 {line} 行用了中文{what} '{char}'，YAML 只认英文的 '{ascii}'", "切换到英文输入法重新输入这个符号（键名后是英文冒号加一个空格，缩进只用空格）。"),
        "en": ("line {line} uses the full-width {what} '{char}'; YAML needs the ASCII '{ascii}'", "retype it with an English keyboard layout (a key is followed by ':' and a space; indent with spaces only)."),
    },
    "duplicate_key": {
        "zh": ("键 '{key}' 重复出现（第一次在第 {first} 行）", "同一层级的键只能写一次；删除或合并其中一个。"),
        "en": ("key '{key}' appears twice (first on line {first})", "a key may appear once per mapping; delete or merge one of them."),
    },
    "not_a_mapping": {
        "zh": ("方案文件的顶层应是键值对（mapping），实际为 {found}", "方案文件以 'kaohe: 1'、'id:'、'title:' 等键开头。"),
        "en": ("the top level of a scheme must be a mapping, found {found}", "a scheme starts with keys such as 'kaohe: 1', 'id:' and 'title:'."),
    },
    "file_not_utf8": {
        "zh": ("文件不是 UTF-8 编码: 第 {line} 行的字节 {byte} 无法按 UTF-8 读取{guess}", "用编辑器把文件另存为 UTF-8 编码（记事本: 另存为 → 编码选 UTF-8；VS Code: 右下角的编码 → 通过编码保存 → UTF-8）。"),
        "en": ("the file is not UTF-8: byte {byte} on line {line} cannot be read as UTF-8{guess}", "save the file as UTF-8 in your editor (Notepad: Save as → Encoding UTF-8; VS Code: the encoding in the status bar → Save with Encoding → UTF-8)."),
    },
    "scheme_too_large": {
        "zh": ("方案文件有 {size} 字节，超过上限 {limit} 字节", "方案文件通常只有几十 KB: 检查是否选错了文件（数据应放在 --data 中）；上限见 docs/limits.md。"),
        "en": ("the scheme file has {size} bytes, more than the limit of {limit}", "a scheme is usually a few dozen KB: check that this is the scheme (data go in --data); see docs/limits.md for the limits."),
    },
    "yaml_control_char": {
        "zh": ("这里有看不见的控制字符 {char}（{name}）", "删除这个字符（常是从 Word、网页或聊天软件复制时带进来的）；方案中只能用空格、制表符和换行。"),
        "en": ("an invisible control character {char} ({name}) is here", "delete it (it usually comes with text copied from Word, a web page or a chat); a scheme may hold only spaces, tabs and line breaks."),
    },
    "yaml_surrogate": {
        "zh": ("文字中有单独的代理码位 {char}，它不是有效的 Unicode 字符", "删除 \\u{hex} 这样的转义，直接写出字符本身。"),
        "en": ("the text holds a lone surrogate {char}, which is not a valid Unicode character", "remove the \\u{hex} escape and type the character itself."),
    },
    "yaml_tag": {
        "zh": ("不支持 YAML 标签 '{tag}'", "方案中不用 '!' 开头的标签: 删除 '{tag}'。要把数字或日期当作文字，给它加引号，如 \"2024-01-01\"。"),
        "en": ("the YAML tag '{tag}' is not supported", "schemes use no '!' tags: delete '{tag}'. To write a number or a date as text, quote it, e.g. \"2024-01-01\"."),
    },
    "yaml_bad_value": {
        "zh": ("'{value}' 不是有效的{kind}（标签 '{tag}'）", "删除标签 '{tag}'，直接写出值；文字加引号。"),
        "en": ("'{value}' is not a valid {kind} (tag '{tag}')", "delete the tag '{tag}' and write the value itself; quote text."),
    },
    "yaml_bad_date": {
        "zh": ("'{value}' 像日期，但这一天不存在", "改成存在的日期（年-月-日）；若它不是日期（如版本号），加引号: \"{value}\"。"),
        "en": ("'{value}' looks like a date, but there is no such day", "write a real date (year-month-day); if it is not a date (e.g. a version), quote it: \"{value}\"."),
    },
    "yaml_complex_key": {
        "zh": ("键应是一段文字，这里是{found}", "键写成普通文字，如 'title:'；'? ' 开头的复杂键或 [..]、{{..}} 作键在方案中不使用。"),
        "en": ("a key must be plain text, this one is {found}", "write keys as plain text such as 'title:'; '? ' complex keys and [..] or {{..}} as keys are not used in schemes."),
    },
    "yaml_too_deep": {
        "zh": ("嵌套超过 {limit} 层", "方案的层级一般不超过 10 层: 检查是否多写了 '[' 或 '{{'，或别名（*名字）层层引用；上限见 docs/limits.md。"),
        "en": ("nested more than {limit} levels deep", "schemes rarely nest beyond 10 levels: look for stray '[' or '{{', or aliases (*name) nested in each other; see docs/limits.md."),
    },
    "yaml_too_many_nodes": {
        "zh": ("方案超过 {limit} 个值（键、值和列表项都算，别名 *名字 按展开后计）", "检查是否选错了文件，或别名（*名字）层层引用；上限见 docs/limits.md。"),
        "en": ("the scheme holds more than {limit} values (keys, values and list entries; aliases *name counted expanded)", "check that this is the scheme, and that aliases (*name) do not nest; see docs/limits.md."),
    },
    "yaml_recursive_alias": {
        "zh": ("别名 '*{alias}' 引用了包含它自己的 '&{alias}'", "别名只能引用已经写完的一段；删除这个自我引用。"),
        "en": ("the alias '*{alias}' refers to the '&{alias}' it is inside of", "an alias may only refer to a finished block; remove this self-reference."),
    },
    # ---- JSON Schema --------------------------------------------------
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
    # ---- compiling ----------------------------------------------------
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
    # ---- expressions --------------------------------------------------
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
    # ---- data ---------------------------------------------------------
    "data_no_files": {
        "zh": ("没有找到数据文件", "用 --data 指定 CSV/XLSX 文件或包含它们的文件夹。"),
        "en": ("no data files found", "give CSV/XLSX files or a folder holding them with --data."),
    },
    "data_format": {
        "zh": ("不支持的数据文件类型 '{ext}'", "请另存为 .csv 或 .xlsx。"),
        "en": ("unsupported data file type '{ext}'", "save it as .csv or .xlsx."),
    },
    "data_encoding": {
        "zh": ("无法识别文件编码（试过 UTF-8、UTF-16、GB18030）", "在 Excel/WPS 中另存为 'CSV UTF-8' 或 .xlsx。"),
        "en": ("cannot tell the file's encoding (tried UTF-8, UTF-16, GB18030)", "save it from Excel/WPS as 'CSV UTF-8' or .xlsx."),
    },
    "data_xlsx_unreadable": {
        "zh": ("无法打开工作簿（{reason}）", "确认文件未损坏、未加密；可在 Excel/WPS 中打开后另存为 .xlsx 再读。"),
        "en": ("cannot open the Excel file: {reason}", "make sure it is an unencrypted, undamaged .xlsx (not .xls)."),
    },
    "data_formula_not_computed": {
        "zh": ("单元格 {cell} 是公式 '{formula}'，但文件中没有它的计算结果", "在 Excel 或 WPS 中打开这个文件并保存一次（公式会算出结果），或把公式换成数值。"),
        "en": ("cell {cell} holds the formula '{formula}' but the file has no computed value for it", "open and save the file once in Excel or WPS (the formula is then computed), or replace the formula by its value."),
    },
    "data_no_id_column": {
        "zh": ("表头中没有编号列（可写: {aliases}）", "每张表都要有一列单位/人员编号，与名单中的编号对应。"),
        "en": ("the header has no id column (any of: {aliases})", "every table needs a column of unit ids matching the unit list."),
    },
    "data_duplicate_column": {
        "zh": ("列 '{column}' 与第 {first} 列指向同一个字段 '{field}'", "删除其中一列。"),
        "en": ("column '{column}' and column {first} both hold field '{field}'", "delete one of them."),
    },
    "data_mixed_dims": {
        "zh": ("同一张表中混有不同维度的输入项: {found}", "按维度分表：例如每月评分一张表、民主测评一张表。"),
        "en": ("one table mixes inputs of different dimensions: {found}", "use one table per dimension, e.g. one for monthly scores and one for votes."),
    },
    "data_missing_dim_column": {
        "zh": ("表中有按{dim}填写的输入项，但没有'{dim}'列", "加一列 '{dim}'，取值: {values}。"),
        "en": ("the table has inputs per {dim} but no '{dim}' column", "add a '{dim}' column with values: {values}."),
    },
    "data_unknown_columns": {
        "zh": ("以下列未被方案使用，已忽略: {columns}", "{suggestion}若是输入项，请核对列名与方案 'inputs:' 中的编号或标题。"),
        "en": ("these columns are not used by the scheme and were ignored: {columns}", "{suggestion}if they are inputs, match the header to an input id or title under 'inputs:'."),
    },
    "data_no_units": {
        "zh": ("数据中没有单位名单（含编号列和名称列且不含输入项的表）", "提供一张名单表，列: 编号、名称、分组（可选: 类型、上级）。"),
        "en": ("the data hold no unit list (a table with id and name columns)", "provide a unit list with columns id, name, group (optionally type, parent)."),
    },
    "data_empty_units": {
        "zh": ("名单表只有表头，没有任何单位", "从第二行起每行填一个单位的编号和名称。"),
        "en": ("the unit list has a header but no units", "fill in one unit per row from the second row on."),
    },
    "data_duplicate_unit": {
        "zh": ("编号 '{id}' 重复（第一次在 {first}）", "每个单位只能在名单中出现一次。"),
        "en": ("id '{id}' appears twice (first at {first})", "each unit appears once in the unit list."),
    },
    "data_corrections_not_allowed": {
        "zh": ("这是一张更正表，但方案不允许更正数据", "在方案中加上 'corrections:'（如半年评议重评），或删除这张表。"),
        "en": ("this is a correction table but the scheme allows no corrections", "add 'corrections:' to the scheme or remove the table."),
    },
    "data_corrections_columns": {
        "zh": ("更正表须有列: 编号、输入项、更正后（可选: 原值、理由，按维度的输入项还要有该维度列）", "按这些表头整理更正表。"),
        "en": ("a correction table needs the columns 编号, 输入项, 更正后 (optionally 原值, 理由, and the dimension column)", "use these headers."),
    },
    "data_corrections_input": {
        "zh": ("'{found}' 不是可更正的数字型输入项", "{suggestion}检查输入项编号或名称，以及方案 'corrections: inputs:'。"),
        "en": ("'{found}' is not a numeric input that may be corrected", "{suggestion}check the input id or title and the scheme's 'corrections: inputs:'."),
    },
    "data_corrections_mismatch": {
        "zh": ("原值 {found} 与数据中单位 {id} 的 {input} 的值 {expected} 不符", "更正表的原值须与原始数据一致，以免改错了格子。"),
        "en": ("the old value {found} differs from unit {id}'s {input} in the data ({expected})", "a correction's old value must match the data, so the right cell is changed."),
    },
    "data_unit_conflict": {
        "zh": ("编号 '{id}' 在此为 '{found}'，但在 {first} 为 '{expected}'", "同一单位在各表中的名称、分组、类型须一致；改正其中一处。"),
        "en": ("id '{id}' is '{found}' here but '{expected}' at {first}", "a unit's name, group and type must agree across tables; correct one of them."),
    },
    "data_unknown_unit": {
        "zh": ("编号 '{id}' 不在名单中", "{suggestion}先在名单表中加入该单位，或改正编号。"),
        "en": ("id '{id}' is not in the unit list", "{suggestion}add the unit to the unit list or correct the id."),
    },
    "data_summary_row": {
        "zh": ("'{id}' 这一行不是单位（合计、签字等行），已跳过", "若它其实是一个单位，请改正编号或名称。"),
        "en": ("the row '{id}' is not a unit (a total or signature line) and was skipped", "if it is a unit after all, correct its id or name."),
    },
    "data_unknown_unit_zeros": {
        "zh": ("编号 '{id}' 不在名单中，名单中有 '{listed}'", "Excel 会把以 0 开头的编号当作数字，去掉前面的 0: 把编号列设为“文本”格式后重新填写，或写成 '{listed}（前加英文单引号）。"),
        "en": ("id '{id}' is not in the unit list, which has '{listed}'", "Excel drops the leading zeros of ids it takes for numbers: format the id column as Text and re-enter, or type '{listed} with a leading apostrophe."),
    },
    "data_unknown_unit_zeros_many": {
        "zh": ("{count} 行的编号丢了前导 0（如 '{id}'，名单中是 '{listed}'）", "Excel 把编号当成了数字: 把编号列设为“文本”格式后重新填写（或从名单复制编号）。"),
        "en": ("{count} rows have ids that lost their leading zeros (e.g. '{id}'; the unit list has '{listed}')", "Excel took the ids for numbers: format the id column as Text and re-enter them (or copy them from the unit list)."),
    },
    "data_empty_id": {
        "zh": ("编号为空", "每一行都要填写编号；空行请整行删除。"),
        "en": ("the id is empty", "every row needs an id; delete empty rows entirely."),
    },
    "data_duplicate_row": {
        "zh": ("单位 '{id}' 的{dim} '{period}' 重复（第一次在第 {first} 行）", "每个单位每个{dim}只能有一行。"),
        "en": ("unit '{id}' has {dim} '{period}' twice (first on row {first})", "one row per unit and {dim}."),
    },
    "data_bad_dim_value": {
        "zh": ("{dim} '{found}' 不在方案声明的取值中", "可用的值: {values}。"),
        "en": ("{dim} '{found}' is not among the scheme's values", "allowed values: {values}."),
    },
    "data_not_number": {
        "zh": ("输入项 {input}: 应为数字，实际为 '{found}'", "只填数字（百分数可写 95 或 95%）；不要填文字或空格。"),
        "en": ("input {input}: expected a number, found '{found}'", "enter a number only (percentages as 95 or 95%)."),
    },
    "data_not_count": {
        "zh": ("输入项 {input}: 应为不小于 0 的整数，实际为 '{found}'", "次数、人数等只填整数。"),
        "en": ("input {input}: expected a whole number ≥ 0, found '{found}'", "counts are whole numbers."),
    },
    "data_no_entries": {
        "zh": ("{dim}表只有表头，没有任何记录：按所有单位都没有{dim}计算", "若确实没有，无需处理；否则检查是否漏填或给错了文件。"),
        "en": ("the {dim} table has a header and no rows: computed as nobody having any", "if that is so, nothing to do; otherwise check that the right file was given."),
    },
    "data_number_too_large": {
        "zh": ("输入项 {input}: 数字 '{found}' 太大，无法计算", "核对原始记录：是否多打了数字，或把数字写成了科学计数法（如 1e400）。"),
        "en": ("input {input}: the number '{found}' is too large to compute with", "check the source record for extra digits or a mistyped exponent (1e400)."),
    },
    "data_bool_x": {
        "zh": ("输入项 {input}: '{found}' 含义不明：x 有人用来表示 ×（否），也有人用来表示打勾（是）", "请填 是/否，或 √/×。"),
        "en": ("input {input}: '{found}' is ambiguous: an x stands for × (no) in some sheets and for a tick (yes) in others", "enter 是/否 (yes/no) or √/×."),
    },
    "data_not_bool": {
        "zh": ("输入项 {input}: 应为 是/否，实际为 '{found}'", "填 是/否（也可写 1/0、√/×）。"),
        "en": ("input {input}: expected yes/no, found '{found}'", "enter 是/否 (or 1/0, yes/no)."),
    },
    "data_bad_category": {
        "zh": ("输入项 {input}: '{found}' 不是允许的取值", "{suggestion}可用的值: {values}。"),
        "en": ("input {input}: '{found}' is not an allowed value", "{suggestion}allowed values: {values}."),
    },
    "data_out_of_range": {
        "zh": ("输入项 {input}: {found} 超出范围 [{lo}, {hi}]", "核对原始记录；方案规定的范围是 {lo} 到 {hi}。"),
        "en": ("input {input}: {found} is outside [{lo}, {hi}]", "check the source record; the scheme allows {lo} to {hi}."),
    },
    "data_missing_column": {
        "zh": ("没有任何数据表提供输入项 {input}（列名可写 '{id}' 或 '{title}'）", "在相应的表中加上这一列。"),
        "en": ("no data table provides input {input} (header '{id}' or '{title}')", "add the column to the right table."),
    },
    "data_missing_value": {
        "zh": ("单位 '{id}'（{name}）缺少输入项 {input}{where}", "补填该值；若方案允许缺省，可在方案中为该输入项写 'missing: zero'。"),
        "en": ("unit '{id}' ({name}) has no value for input {input}{where}", "fill it in; if the scheme allows it, declare 'missing: zero' for the input."),
    },
    "data_missing_more": {
        "zh": ("输入项 {input} 另有 {count} 个单位缺值（未逐一列出）", "多半是整张表或整列漏交；检查数据文件是否齐全。"),
        "en": ("input {input} is missing for {count} more unit(s) (not listed)", "a whole table or column is probably missing; check the data files."),
    },
    "data_skipped_file": {
        "zh": ("已跳过：'{ext}' 不是数据文件类型（读取 .csv、.xlsx、.xlsm、.xls、.ods）", "若它是数据，请另存为 .xlsx 或 .csv；否则可以忽略这条提示。"),
        "en": ("skipped: '{ext}' is not a data file type (read: .csv, .xlsx, .xlsm, .xls, .ods)", "if it holds data, save it as .xlsx or .csv; otherwise ignore this note."),
    },
    "data_unreadable": {
        "zh": ("无法读取这个文件: {reason}", "检查文件权限（是否被其他程序占用），或把它复制到自己的文件夹再试。"),
        "en": ("cannot read this file: {reason}", "check its permissions (or whether another program holds it), or copy it to a folder of your own."),
    },
    "data_not_a_file": {
        "zh": ("这不是普通文件（{kind}），不能作为数据读取", "--data 给出数据文件或存放它们的文件夹；文件夹不要以 .csv/.xlsx 结尾。"),
        "en": ("this is not a regular file ({kind}) and cannot be read as data", "give data files, or the folder holding them, with --data."),
    },
    "data_encoding_big5": {
        "zh": ("文件像是 Big5（繁体）编码，按 GBK 读出的表头是乱码", "在 Excel/WPS 中另存为 'CSV UTF-8'，或用记事本另存为 UTF-8 后再读。"),
        "en": ("the file looks Big5-encoded (traditional Chinese); read as GBK its header is garbled", "save it from Excel/WPS as 'CSV UTF-8', or re-save it as UTF-8 in a text editor."),
    },
    "data_cell_too_long": {
        "zh": ("单元格过长（{size} 字节，上限 {limit}）", "数据表中不放大段文字；把说明移到“说明”工作表或单独的文件。"),
        "en": ("a cell is too long ({size} bytes, limit {limit})", "keep long text out of data tables: move it to a sheet named 说明 or a separate file."),
    },
    "data_xlsx_not_xls": {
        "zh": ("扩展名是 .xls，但内容不是 Excel 97–2003 工作簿", "在 Excel/WPS 中打开后另存为 .xlsx；若它其实是 .xlsx，把扩展名改回 .xlsx。"),
        "en": ("named .xls but not an Excel 97–2003 workbook", "open it in Excel/WPS and save as .xlsx; if it is really an .xlsx, rename it so."),
    },
    "data_xlsx_text": {
        "zh": ("扩展名是 {ext}，但内容是文本（可能是改了扩展名的 CSV）", "把扩展名改为 .csv，或在 Excel/WPS 中打开后另存为 .xlsx。"),
        "en": ("named {ext} but holds text (perhaps a CSV renamed)", "rename it to .csv, or open it in Excel/WPS and save as .xlsx."),
    },
    "data_xlsx_damaged": {
        "zh": ("工作簿不完整或已损坏，无法打开", "重新从原处复制或下载这个文件；若能在 Excel/WPS 中打开，另存一次再读。"),
        "en": ("the workbook is incomplete or damaged and cannot be opened", "copy or download the file again; if Excel/WPS opens it, save it once more."),
    },
    "data_empty_file": {
        "zh": ("文件是空的（没有表头），已跳过", "若它应当有数据，检查是否存错了文件。"),
        "en": ("the file is empty (no header) and was skipped", "if it should hold data, check that the right file was saved."),
    },
    "data_duplicate_across": {
        "zh": ("单位 '{id}' 的{period}在另一张表中已有（第一次在 {first}）", "同一个值只能填在一张表里：删除重复的表或行（隐藏的工作表也会被读取）。"),
        "en": ("unit '{id}'{period} is given again here (first at {first})", "give each value in one table only: delete the repeated table or rows (hidden sheets are read too)."),
    },
    "data_missing_rows_many": {
        "zh": ("{count} 个单位{where}（如 {examples}），缺少输入项 {input}", "多半是整张表、整个工作表（如某个月）漏交或表名不对；补上后再运行。"),
        "en": ("{count} units{where} (e.g. {examples}) lack input {input}", "most likely a whole table or sheet (e.g. one month) is missing or misnamed; add it and run again."),
    },
    "data_xlsx_encrypted": {
        "zh": ("这个 Excel 文件设置了打开密码（或是改了扩展名的 .xls）", "在 Excel/WPS 中取消密码（文件 → 信息 → 保护工作簿）后另存为 .xlsx；若是旧格式，把扩展名改回 .xls。"),
        "en": ("this Excel file is password-protected (or an .xls renamed to .xlsx)", "remove the password in Excel/WPS and save as .xlsx; if it is the old format, name it .xls."),
    },
    "data_xlsx_bomb": {
        "zh": ("Excel 文件解压后过大（{size}），已拒绝读取", "这不像正常的数据表：确认文件来源，或另存为 .csv。"),
        "en": ("the workbook unpacks to {size}, far beyond any data table; refused", "this does not look like a real data table: check where it came from, or save it as .csv."),
    },
    "data_unknown_name": {
        "zh": ("名称 '{name}' 不在名单中（这张表没有编号列，按名称对应单位）", "{suggestion}改正名称，或在表中加一列编号。"),
        "en": ("name '{name}' is not in the unit list (this table has no id column; units are matched by name)", "{suggestion}correct the name, or add an id column."),
    },
    "data_ambiguous_name": {
        "zh": ("名单中有不止一个 '{name}'，这张表没有编号列，无法确定是哪一个", "在表中加一列编号（与名单一致）。"),
        "en": ("the unit list has more than one '{name}' and this table has no id column", "add an id column matching the unit list."),
    },
    "data_duplicate_name": {
        "zh": ("名称 '{id}' 重复（第一次在 {first}），名单没有编号列时名称必须唯一", "加一列编号，或改正重复的名称。"),
        "en": ("name '{id}' appears twice (first at {first}); without an id column names must be unique", "add an id column or correct the duplicate name."),
    },
    "data_blank_type": {
        "zh": ("单位 '{id}' 的类型为空，方案按类型计分（可填: {values}）", "填写类型；类型为空时，限定类型的项目会悄悄不计分。"),
        "en": ("unit '{id}' has no type, but the scheme scores by type ({values})", "fill in the type; with none, items limited to a type would silently not apply."),
    },
    "data_similar_groups": {
        "zh": ("{group} '{found}'（{count} 人/个）与 '{other}'（{other_count} 人/个）只差一两个字", "若是同一个{group}，请统一写法；否则它会单独成组、单独计算名额。"),
        "en": ("{group} '{found}' ({count}) differs from '{other}' ({other_count}) by a character or two", "if they are the same {group}, write it one way; otherwise it forms a group of its own with its own quotas."),
    },
    "data_merged_value": {
        "zh": ("输入项 {input}: 这个单元格属于合并单元格，不能确定它属于哪一行", "取消合并，每行填写自己的值。"),
        "en": ("input {input}: this cell is part of a merged range; its value belongs to no single row", "unmerge the cells and fill in each row's own value."),
    },
    "data_percent_fraction": {
        "zh": ("输入项 {input}: 百分数写成了小数（如 {found}），方案的范围是 0–100", "写成 {hint_value}（或 {hint_value}%），或在 Excel 中把这一列设为百分比格式。"),
        "en": ("input {input}: percentages written as fractions (e.g. {found}) while the scheme expects 0–100", "write {hint_value} (or {hint_value}%), or format the column as % in Excel."),
    },
    "data_decimal_comma": {
        "zh": ("输入项 {input}: '{found}' 中的逗号或下划线无法确定含义", "小数点请用 '.'（如 9.5）；千位分隔只用于整千（如 1,200）。"),
        "en": ("input {input}: the comma or underscore in '{found}' is ambiguous", "use '.' as the decimal point (9.5); a thousands separator only groups thousands (1,200)."),
    },
    "data_history_no_period": {
        "zh": ("没有给出 --period：用到往期结果的规则看不到任何往期（按没有往期计算）", "要用往期结果，请加上 --period 本期名称（并用 --history 指定记录文件）。"),
        "en": ("no --period given: rules that use earlier periods see none (computed as if there were none)", "to use earlier results, pass --period NAME (and --history FILE)."),
    },
    "data_manual_value": {
        "zh": ("手工评定 '{found}' 不是评定 '{grade}' 的档次值", "可用的值: {values}。"),
        "en": ("manual grade '{found}' is not a value of grade '{grade}'", "allowed values: {values}."),
    },
    # ---- evaluation ---------------------------------------------------
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
    # ---- diff ---------------------------------------------------------
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
    # ---- command line -------------------------------------------------
    "cli_unknown_arguments": {
        "zh": ("无法识别的参数: {arguments}", "{suggestion}运行 {prog} --help 查看这个命令能用哪些参数。"),
        "en": ("unrecognised arguments: {arguments}", "{suggestion}run {prog} --help to see this command's options."),
    },
    "cli_missing_arguments": {
        "zh": ("缺少必需的参数: {arguments}", "运行 {prog} --help 查看这个命令的用法和例子。"),
        "en": ("missing required arguments: {arguments}", "run {prog} --help for this command's usage and an example."),
    },
    "cli_bad_choice": {
        "zh": ("{option} 的值 '{value}' 不在可选范围内", "{suggestion}可选: {choices}。"),
        "en": ("'{value}' is not a valid {option}", "{suggestion}choose from: {choices}."),
    },
    "cli_missing_value": {
        "zh": ("参数 {option} 后面缺少值", "在 {option} 后面写上值，如 --data 数据/；运行 {prog} --help 查看用法。"),
        "en": ("option {option} needs a value", "write the value after {option}, e.g. --data data/; run {prog} --help for usage."),
    },
    "cli_usage": {
        "zh": ("命令行有误: {detail}", "运行 {prog} --help 查看用法。"),
        "en": ("command line error: {detail}", "run {prog} --help for usage."),
    },
    "cli_no_command": {
        "zh": ("没有给出命令", "常用: kaohe validate 方案.yaml；kaohe run 方案.yaml --data 数据/；kaohe demo。运行 kaohe --help 查看全部命令。"),
        "en": ("no command given", "common: kaohe validate SCHEME; kaohe run SCHEME --data DATA; kaohe demo. Run kaohe --help for all commands."),
    },
    "diff_too_many": {
        "zh": ("kaohe diff 最多比较两个方案，实际给了 {count} 个", "写法: kaohe diff 旧.yaml 新.yaml --data 数据/"),
        "en": ("kaohe diff compares at most two schemes; {count} were given", "usage: kaohe diff OLD.yaml NEW.yaml --data DATA"),
    },
    "scenario_missing_key": {
        "zh": ("测试文件缺少 '{key}'", "测试文件写 scheme:（方案文件的相对路径）和 cases:（用例列表）；每个用例写 name、data、expect。格式见 tests/README.md。"),
        "en": ("the test file lacks '{key}'", "a test file has scheme: (the scheme's relative path) and cases: (a list); each case has name, data and expect. See tests/README.md."),
    },
    "scenario_bad_cases": {
        "zh": ("cases 应是用例的列表（每项是一个键值对）", "每个用例以 '- name: …' 开头，下面写 data: 和 expect:。"),
        "en": ("cases should be a list of cases (mappings)", "each case starts with '- name: …' followed by data: and expect:."),
    },
    "scenario_bad_case": {
        "zh": ("这个用例的写法有误: {reason}", "对照 tests/README.md 中的格式检查 data、earlier、recorded 和 expect。"),
        "en": ("this case is malformed: {reason}", "check data, earlier, recorded and expect against the format in tests/README.md."),
    },
    "scenario_bad_data": {
        "zh": ("data 应写成 表名: 行的列表", "例如 data: {{名单: [{{编号: A, 名称: 甲}}]}}；每行是 表头: 值 的键值对。"),
        "en": ("data should map table names to lists of rows", "e.g. data: {{名单: [{{编号: A, 名称: 甲}}]}}; each row maps headers to values."),
    },
    "scenario_bad_expect": {
        "zh": ("expect 应写成 单位编号: {{键: 期望值}}", "例如 expect: {{A: {{total: 92.0, grade: 优秀}}}}。"),
        "en": ("expect should map unit ids to {{key: expected value}}", "e.g. expect: {{A: {{total: 92.0, grade: 优秀}}}}."),
    },
    "scenario_unknown_expect": {
        "zh": ("未知的期望键 '{key}'", "{suggestion}可以写: {allowed}。"),
        "en": ("unknown expectation '{key}'", "{suggestion}allowed: {allowed}."),
    },
    "scenario_none_found": {
        "zh": ("这里没有测试文件", "测试文件放在方案文件夹的 tests/ 中，以 .yaml 结尾（kaohe new 会生成一个）。"),
        "en": ("no test files here", "test files live in the scheme folder's tests/ and end in .yaml (kaohe new writes one)."),
    },
    "cli_ambiguous_name": {
        "zh": ("有多个单位名为 '{name}'（编号 {ids}）", "用编号指定: --unit 后写 {ids} 中的一个。"),
        "en": ("several units are named '{name}' (ids {ids})", "give the id instead, e.g. --unit followed by one of {ids}."),
    },
    "cli_unknown_unit": {
        "zh": ("数据中没有编号为 '{id}' 的单位", "{suggestion}用 kaohe run 查看所有单位编号。"),
        "en": ("no unit with id '{id}' in the data", "{suggestion}use kaohe run to list unit ids."),
    },
    "cli_needs_out": {
        "zh": ("Excel 结果需要 --out 指定输出文件夹", "如 --format xlsx --out 结果/"),
        "en": ("Excel output needs --out", "e.g. --format xlsx --out results/"),
    },
    "cli_bad_date": {
        "zh": ("无法识别的日期 '{found}'", "写成 年-月-日，如 2024-12-31。"),
        "en": ("cannot read the date '{found}'", "write YYYY-MM-DD, e.g. 2024-12-31."),
    },
    "cli_out_is_file": {
        "zh": ("这是一个已有的文件，而 --out 应是文件夹", "换一个文件夹名，或直接写文件名（以 {suffix} 结尾），如 --out 结果{suffix}。"),
        "en": ("this is an existing file, but --out should be a folder", "name another folder, or give a file name ending in {suffix}, e.g. --out results{suffix}."),
    },
    "cli_out_folder_is_file": {
        "zh": ("这是一个已有的文件，而 --out 应是文件夹", "换一个文件夹名，如 --out 报表/（不存在时会自动创建）。"),
        "en": ("this is an existing file, but --out should be a folder", "name a folder instead, e.g. --out reports/ (created when missing)."),
    },
    "cli_output": {
        "zh": ("无法写入输出: {reason}", "检查 --out 指向的文件夹是否可写。"),
        "en": ("cannot write the output: {reason}", "check that the --out folder is writable."),
    },
    "report_template_missing": {
        "zh": ("找不到报表模板 '{name}'", "方案的 reports.templates 文件夹里的模板引用了不存在的模板；检查 extends/include 的名字（引用 Kaohe 自带的模板写 base/模板名）。"),
        "en": ("report template '{name}' not found", "a template in the scheme's reports.templates folder names one that does not exist; check the extends/include name (Kaohe's own templates are base/NAME)."),
    },
    # ---- outputs ------------------------------------------------------
    "cli_date_out_of_range": {
        "zh": ("--date {found} 超出可用的日期范围（加上公示 {days} 天或整改期限后超过 9999 年）", "写一个实际的发布日期，如 --date 2024-12-31。"),
        "en": ("--date {found} is out of range (adding the {days}-day notice or the deadline passes the year 9999)", "give a real publication date, e.g. --date 2024-12-31."),
    },
    "cli_sweep_not_finite": {
        "zh": ("--sweep '{found}' 中的 '{value}' 不是一个有限的数", "起、止和步长都写普通的数（不能是 NaN、Infinity 或超出浮点数范围的数），如 0.6:0.9:0.1。"),
        "en": ("'{value}' in --sweep '{found}' is not a finite number", "write FROM, TO and STEP as plain numbers (not NaN, Infinity or beyond the range of floats), e.g. 0.6:0.9:0.1."),
    },
    "cli_sweep_step": {
        "zh": ("--sweep '{found}' 的步长 {step} 不大于 0", "步长写一个正数，如 0.6:0.9:0.1；要从大到小试，把起止对调。"),
        "en": ("the step {step} of --sweep '{found}' is not above 0", "write a positive step, e.g. 0.6:0.9:0.1; to go downwards, swap FROM and TO."),
    },
    "cli_sweep_order": {
        "zh": ("--sweep '{found}' 的起点 {start} 大于终点 {stop}", "写成 起:止:步长，起点不大于终点，如 0.6:0.9:0.1。"),
        "en": ("--sweep '{found}' starts at {start}, above its end {stop}", "write FROM:TO:STEP with FROM not above TO, e.g. 0.6:0.9:0.1."),
    },
    "cli_sweep_too_many": {
        "zh": ("--sweep '{found}' 要试的值超过 {cap} 个", "每个值都要把全部数据重算一遍；放大步长或缩小范围（最多 {cap} 个值）。"),
        "en": ("--sweep '{found}' would try more than {cap} values", "each value scores all the data again; use a larger step or a smaller range (at most {cap} values)."),
    },
    "cli_sweep_stuck": {
        "zh": ("--sweep '{found}' 的步长 {step} 相对于 {value} 太小，加上后数值不变", "步长至少是数值的 10⁻²⁶ 倍；放大步长。"),
        "en": ("the step {step} of --sweep '{found}' is too small to change {value}", "make the step at least 10⁻²⁶ of the values swept."),
    },
    "cli_set_bad_value": {
        "zh": ("--set '{found}' 的值无法读取: {reason}", "值按 YAML 读取；日期要是实际存在的日期（2024-02-29），要当作文字就加引号，如 version='\"2024-02-30\"'。"),
        "en": ("cannot read the value of --set '{found}': {reason}", "the value is read as YAML; a date must exist (2024-02-29); quote it to keep it as text, e.g. version='\"2024-02-30\"'."),
    },
    "cli_new_unwritable": {
        "zh": ("无法在 --dir {folder} 中创建方案: {reason}", "换一个可写的文件夹，如 --dir schemes；已写入的部分已删除。"),
        "en": ("cannot create the scheme in --dir {folder}: {reason}", "choose a writable folder, e.g. --dir schemes; anything already written was removed."),
    },
    "cli_stdout_closed": {
        "zh": ("无法写到标准输出（已关闭、管道已断开或磁盘已满）: {reason}", "结果没有完整输出；用 --out 写到文件，或检查重定向的目标。"),
        "en": ("cannot write to standard output (closed, broken pipe or disk full): {reason}", "the output is incomplete; write it to a file with --out, or check where output is redirected."),
    },
    "cli_out_is_input": {
        "zh": ("--out {out} 会覆盖输入文件 {input}（{what}）", "输出写到别处，如 --out 结果/；输入文件没有改动。"),
        "en": ("--out {out} would overwrite the input {input} ({what})", "write the output elsewhere, e.g. --out results/; the input was left unchanged."),
    },
    "cli_out_in_data": {
        "zh": ("--out {out} 在 --data 文件夹 {input} 里面", "下次读取这个文件夹时，输出会被当作数据读入；把输出写到别处，如 --out 结果/。"),
        "en": ("--out {out} is inside the --data folder {input}", "the next run would read the output as data; write it elsewhere, e.g. --out results/."),
    },
    "cli_template_exists": {
        "zh": ("{out} 已经存在，填报模板不会覆盖已有文件", "它可能是已填好的表；先改名或删除它，或用 --out 写另一个文件名。"),
        "en": ("{out} already exists; the data-entry template never overwrites a file", "it may be a filled-in workbook: rename or delete it first, or give another --out name."),
    },
    "cli_template_units_low": {
        "zh": ("--units {found} 不是单位数（至少 1）", "写实际要填报的单位数，如 --units 200。"),
        "en": ("--units {found} is no number of units (at least 1)", "give the number of units to be entered, e.g. --units 200."),
    },
    "cli_template_units": {
        "zh": ("--units {found} 超过一张工作表的行数（最多 {cap}）", "写实际要填报的单位数，如 --units 200。"),
        "en": ("--units {found} is more rows than a worksheet has (at most {cap})", "give the number of units to be entered, e.g. --units 200."),
    },
    "report_out_single": {
        "zh": ("--out {out} 是一个文件名，而 --kind {kind} 要写 {count} 个文件", "写一个文件夹，如 --out 报表/；或只写一种报表: --kind gongshi --out 公示{suffix}。"),
        "en": ("--out {out} names one file, but --kind {kind} writes {count} files", "name a folder, e.g. --out reports/; or ask for one kind: --kind gongshi --out gongshi{suffix}."),
    },
    "report_nothing": {
        "zh": ("--kind {kind} --format {format} 没有可写的内容: {reason}", "{hint}"),
        "en": ("--kind {kind} --format {format} produces nothing: {reason}", "{hint}"),
    },
    "report_template_unsafe": {
        "zh": ("报表模板访问了不允许的内容: {reason}", "模板只能使用传给它的数据（名称、得分……），不能访问 Python 对象的内部属性（__globals__、__class__ 等）；删除这一处。"),
        "en": ("the report template reaches for something not allowed: {reason}", "a template may use the data it is given (names, scores …), not Python internals (__globals__, __class__ …); remove this expression."),
    },
    "report_template_broken": {
        "zh": ("报表模板有误: {reason}", "检查方案 reports.templates 文件夹中这个模板的这一行（名称拼写、括号、{{% end… %}} 是否成对）。"),
        "en": ("the report template is broken: {reason}", "check this line of the template in the scheme's reports.templates folder (names, brackets, matching {{% end… %}})."),
    },
    "xlsx_control_characters": {
        "zh": ("{count} 个文字单元格含控制字符（如 {example}），写入 Excel 时已删除这些字符", "控制字符（响铃、退格等）在 Excel 中无法显示；在数据中删除它们即可不再出现此提示。"),
        "en": ("{count} text cell(s) hold control characters (e.g. {example}); they were removed in the Excel file", "control characters (bell, backspace …) cannot be shown in Excel; remove them from the data to silence this."),
    },
    "cli_replace_needs_record": {
        "zh": ("--replace 只和 --record 一起使用", "要替换历史数据库中的一期: --period 2024 --record --replace。"),
        "en": ("--replace only goes with --record", "to replace a period in the history: --period 2024 --record --replace."),
    },
    "history_period_exists": {
        "zh": ("历史数据库 {file} 中已有 {scheme} 的 {period} 期（记录于 {recorded}）", "确实要用本次结果替换它，加上 --replace；否则换一个 --period。"),
        "en": ("the history {file} already holds period {period} of {scheme} (recorded {recorded})", "add --replace to replace it with this run's results; otherwise give another --period."),
    },
    "history_busy": {
        "zh": ("历史数据库 {file} 正被另一个 kaohe 写入", "等另一个运行结束后再记录一次；本期没有写入。"),
        "en": ("the history {file} is being written by another kaohe", "record again when the other run has finished; nothing was stored."),
    },
    # ---- documents ----
    "document_no_office": {
        "zh": ("写 PDF 需要 LibreOffice，但没有找到 soffice 命令", "安装 LibreOffice（Debian/Ubuntu: apt-get install libreoffice-writer-nogui；Windows/macOS 从 libreoffice.org 安装），或设置环境变量 KAOHE_SOFFICE 指向 soffice；也可改用 --format docx 得到 Word 文件。"),
        "en": ("writing PDF needs LibreOffice, but the soffice command was not found", "install LibreOffice (Debian/Ubuntu: apt-get install libreoffice-writer-nogui), or point the KAOHE_SOFFICE environment variable at soffice; or use --format docx for Word files."),
    },
    "document_convert_failed": {
        "zh": ("LibreOffice 未能把 {name} 转换为 PDF: {reason}", "用 --format docx 先写出 Word 文件，在 LibreOffice 中打开看是否正常；或关闭正在运行的 LibreOffice 后再试。"),
        "en": ("LibreOffice could not convert {name} to PDF: {reason}", "write the Word files with --format docx and open them in LibreOffice; or close a running LibreOffice and try again."),
    },
    "document_unknown_by": {
        "zh": ("不能按 '{found}' 分组", "写本方案的分组名称（{choices}），或 group。"),
        "en": ("cannot split by '{found}'", "write the scheme's group title ({choices}) or group."),
    },
    "document_by_needs_docx": {
        "zh": ("--by 只用于 Word 和 PDF 文件", "加上 --format docx 或 --format pdf。"),
        "en": ("--by is for Word and PDF files only", "add --format docx or --format pdf."),
    },
    "document_no_groups": {
        "zh": ("数据中的单位没有分组（{title}），不能按组分别成文", "在名单中填写每个单位的{title}，或去掉 --by。"),
        "en": ("the units in the data have no group ({title}): nothing to split by", "fill in each unit's group in the unit list, or leave out --by."),
    },
}


def render_message(code: str, args: dict[str, t.Any], lang: str) -> tuple[str, str]:
    """Fill the templates of ``code`` in ``lang`` (falls back to Chinese).

    >>> render_message("missing_key", {"key": "title"}, "en")[0]
    "required key 'title' is missing"
    """
    entry = MESSAGES[code]
    message, hint = entry.get(lang, entry["zh"])
    safe = _Defaulting(args)
    safe.lang = lang
    close = args.get("suggest")
    if close:
        safe["suggestion"] = f"did you mean '{close}'? " if lang == "en" else f"是否想写 '{close}'？"
    return message.format_map(safe), hint.format_map(safe)


class Text(t.NamedTuple):
    """A message argument that is itself text in both languages."""

    zh: str
    en: str


class _Defaulting(dict[str, t.Any]):
    """Format mapping: absent fields render empty, :class:`Text` picks a language."""

    lang = "zh"

    def __missing__(self, key: str) -> str:
        return ""

    def __getitem__(self, key: str) -> t.Any:
        value = super().__getitem__(key)
        if isinstance(value, Text):
            return value.en if self.lang == "en" else value.zh
        return value


def closest(name: str, candidates: t.Iterable[str]) -> str:
    """The candidate closest to a misspelt ``name``, or "" when none is close.

    Passed as the ``suggest`` argument, it becomes "did you mean …?" in hints.

    >>> closest("fromula", ["formula", "tiers"])
    'formula'
    """
    import difflib

    close = difflib.get_close_matches(name, list(candidates), n=1, cutoff=0.5)
    return close[0] if close else ""


# ---- command-line help ------------------------------------------------
# ``kaohe --help`` and each command's ``--help``: Chinese by default, English
# with ``--lang en`` or KAOHE_LANG=en. Keys are "command" (its one-line
# summary), "command.example" (the example lines shown under its help) and
# "command.option" (one option's help).

HELP: dict[str, Text] = {
    "kaohe": Text("考核方案引擎：考核细则写成 YAML 文件，校验、计分、评定、排名，并逐项解释每一分的来历。",
                  "Assessment-scheme engine: schemes written in YAML are checked, scored, graded, ranked and explained point by point."),
    "kaohe.example": Text("例:\n  kaohe demo                                  演示党员积分制并写出报表\n"
                          "  kaohe validate schemes/jifenzhi             校验方案\n"
                          "  kaohe 命令 --help                           每个命令的用法和例子\n"
                          "  kaohe --lang en --help                      English help (或设置 KAOHE_LANG=en)",
                          "Examples:\n  kaohe demo                                  score the bundled 党员积分制 sample and write its reports\n"
                          "  kaohe validate schemes/jifenzhi             check a scheme\n"
                          "  kaohe COMMAND --help                        each command's usage and an example\n"
                          "  kaohe --lang en --help                      this help in English (or set KAOHE_LANG=en)"),
    "commands": Text("命令", "commands"),
    "positionals": Text("参数", "positional arguments"),
    "options": Text("选项", "options"),
    "usage": Text("用法: ", "usage: "),
    "help": Text("显示本帮助并退出", "show this help message and exit"),
    "version": Text("显示版本号并退出", "show the version number and exit"),
    "lang": Text("提示和输出的语言: zh 中文（默认）、en 英文；也可设置环境变量 KAOHE_LANG=en",
                 "language of messages and output: zh Chinese (default) or en English; or set KAOHE_LANG=en"),
    "quiet": Text("不显示读取大文件时的进度", "do not show progress while reading large files"),
    "scheme": Text("方案文件（.yaml）或方案文件夹", "scheme file (.yaml) or scheme folder"),
    "data": Text("数据: CSV/XLSX 文件或文件夹，可写多个，也可重复 --data", "data: CSV/XLSX files or folders; several, or --data repeated"),
    "period": Text("本次考核的期次，如 2024（使用历史数据时必填）", "this run's period, e.g. 2024 (needed for history)"),
    "history": Text("历史数据库文件（默认 {default}）", "history database (default {default})"),
    "results": Text("其他方案的结果文件（kaohe run --format json），供同期引用", "other schemes' results (kaohe run --format json) for same-period references"),
    "record": Text("把本期结果记入历史数据库", "store this period's outcomes in the history"),
    "replace": Text("与 --record 一起用: 替换历史数据库中已有的同一期结果（否则拒绝）", "with --record: replace the period if the history already holds it (refused otherwise)"),
    "validate": Text("校验方案文件：一次列出所有问题，每个问题指出行号和改法", "check scheme files; every problem with its line and a hint"),
    "validate.schemes": Text("方案文件或文件夹（文件夹中的每个方案都校验）", "scheme files or folders (every scheme in a folder)"),
    "validate.example": Text("例:\n  kaohe validate schemes/jifenzhi/jifenzhi.yaml\n  kaohe validate schemes/*/*.yaml",
                             "Examples:\n  kaohe validate schemes/jifenzhi/jifenzhi.yaml\n  kaohe validate schemes/*/*.yaml"),
    "run": Text("按数据计分、评定、排名", "score, grade and rank the units in the data"),
    "run.format": Text("输出格式: md（默认，排名表）、csv、json、html（公示）、xlsx（需 --out）",
                       "output format: md (default, a ranked table), csv, json, html (公示), xlsx (needs --out)"),
    "run.out": Text("写入这个文件夹（results.<格式>）或文件，而不是显示在屏幕上", "write results.<format> into this folder (or this file) instead of printing"),
    "run.example": Text("例:\n  kaohe run schemes/jifenzhi --data schemes/jifenzhi/data\n  kaohe run schemes/jifenzhi --data schemes/jifenzhi/data --format csv --out 结果/",
                        "Examples:\n  kaohe run schemes/jifenzhi --data schemes/jifenzhi/data\n  kaohe run schemes/jifenzhi --data schemes/jifenzhi/data --format csv --out results/"),
    "explain": Text("逐项显示某个单位的得分是怎么算出来的", "show every step of one unit's score"),
    "explain.unit": Text("单位（或人员）的编号或名称", "the unit's id or name"),
    "explain.format": Text("输出格式: text（默认，逐项说明）或 json（同样的内容，项目按分组嵌套，供程序读取）",
                           "output format: text (default, step by step) or json (the same, items nested by section, for programs)"),
    "explain.example": Text("例:\n  kaohe explain schemes/jifenzhi --data schemes/jifenzhi/data --unit D002",
                            "Example:\n  kaohe explain schemes/jifenzhi --data schemes/jifenzhi/data --unit D002"),
    "diff": Text("比较方案的两个版本对同一批数据的影响", "compare two versions of a scheme over the same data"),
    "diff.schemes": Text("旧方案 [新方案]；只写一个时，新方案是旧方案加上 --set 的改动",
                         "OLD [NEW]; with one scheme, NEW is OLD with --set applied"),
    "diff.set": Text("修改（新）方案，如 params.base_weight.value=0.7（可重复）", "change the (new) scheme, e.g. params.base_weight.value=0.7 (repeatable)"),
    "diff.sweep": Text("对一个路径试一组取值，如 params.base_weight.value=0.6:0.9:0.1", "try a range of values for one path, e.g. params.base_weight.value=0.6:0.9:0.1"),
    "diff.format": Text("输出格式: md（默认）、json、html", "output format: md (default), json, html"),
    "diff.out": Text("写入这个文件夹（diff.<格式>）或文件，而不是显示在屏幕上", "write diff.<format> into this folder (or this file) instead of printing"),
    "diff.example": Text("例:\n  kaohe diff schemes/zhengjiaochu/zhengjiaochu.yaml schemes/zhengjiaochu/zhengjiaochu-v2.yaml --data schemes/zhengjiaochu/data\n"
                         "  kaohe diff schemes/jifenzhi --data schemes/jifenzhi/data --set params.base_weight.value=0.7",
                         "Examples:\n  kaohe diff schemes/zhengjiaochu/zhengjiaochu.yaml schemes/zhengjiaochu/zhengjiaochu-v2.yaml --data schemes/zhengjiaochu/data\n"
                         "  kaohe diff schemes/jifenzhi --data schemes/jifenzhi/data --set params.base_weight.value=0.7"),
    "show": Text("显示展开 extends 后的完整方案（YAML）", "print a scheme with extends resolved (YAML)"),
    "show.changes": Text("列出相对于上级方案（extends）的全部改动", "list what differs from the scheme it extends"),
    "show.example": Text("例:\n  kaohe show schemes/我县考核 --changes", "Example:\n  kaohe show schemes/my-county --changes"),
    "new": Text("新建方案文件夹（空白，或在另一个方案的基础上修改）", "create a new scheme folder (blank, or extending another scheme)"),
    "new.name": Text("方案名，也是文件夹名和文件名；可以是中文", "the scheme's name, also its folder and file name; may be Chinese"),
    "new.from": Text("在这个方案的基础上修改（写成 extends；不在同一方案库时先复制进来）；也可写随 Kaohe 附带的方案名，如 jifenzhi",
                     "the scheme to start from (written as extends; copied in first when it is in another schemes folder); or the name of a scheme shipped with Kaohe, e.g. jifenzhi"),
    "new.dir": Text("在哪个文件夹里创建（默认 schemes/）", "where to create it (default schemes/)"),
    "new.id": Text("方案编号（小写英文字母、数字、- 和 _）；中文方案名默认自动生成", "the scheme id (lower-case letters, digits, - and _); derived from a Chinese name by default"),
    "new.example": Text("例:\n  kaohe new 我县考核\n  kaohe new 我县创先争优 --from schemes/chuangxian-zhengyou-wulumuqi --id woxian",
                        "Examples:\n  kaohe new my-county\n  kaohe new my-county --from schemes/chuangxian-zhengyou-wulumuqi"),
    "template": Text("生成方案的数据填报表（Excel）", "write a data-entry workbook (XLSX) for a scheme"),
    "template.out": Text("写入的 .xlsx 文件，或文件夹（以 / 结尾）", "the .xlsx file to write, or a folder (ending in /)"),
    "template.units": Text("要填报的单位数（每张表按此准备行数，按月的表为其 12 倍；默认 200）",
                           "how many units will be entered (rows prepared per sheet, × 12 on a monthly sheet; default 200)"),
    "template.example": Text("例:\n  kaohe template schemes/jifenzhi --out 填报表.xlsx", "Example:\n  kaohe template schemes/jifenzhi --out data-entry.xlsx"),
    "schema": Text("显示方案 JSON Schema 的位置（供编辑器自动补全），或用 --write 复制一份", "print where the scheme JSON Schema is (for editors), or copy it with --write"),
    "schema.write": Text("把 scheme.schema.json 复制到这个文件夹（默认当前文件夹）", "copy scheme.schema.json into this folder (default: the current folder)"),
    "schema.example": Text("例:\n  kaohe schema\n  kaohe schema --write schemes/", "Examples:\n  kaohe schema\n  kaohe schema --write schemes/"),
    "report": Text("写出公示、评分表、整改通知书、汇总和 Excel 工作簿", "write 公示, score sheets, 整改通知书, summary and an Excel workbook"),
    "report.out": Text("报表写入的文件夹（不存在时自动创建）；只写一种报表时也可以是文件名（如 公示.html）",
                       "the folder the reports go into (created when missing); with one --kind, a file name (e.g. gongshi.html)"),
    "report.kind": Text("只写一种报表: gongshi 公示、sheets 评分表、notices 整改通知书、summary 汇总（默认 all 全部）",
                        "one kind only: gongshi, sheets, notices, summary (default all)"),
    "report.format": Text("html（默认，可打印 A4）或 md", "html (default, prints on A4) or md"),
    "report.date": Text("公示日期（默认今天）", "publication date (default today)"),
    "report.example": Text("例:\n  kaohe report schemes/jifenzhi --data schemes/jifenzhi/data --out 报表/",
                           "Example:\n  kaohe report schemes/jifenzhi --data schemes/jifenzhi/data --out reports/"),
    "test": Text("运行方案的场景测试（tests/*.yaml 中手算的案例）", "run the YAML scenario tests of schemes (their tests/*.yaml)"),
    "test.paths": Text("方案文件、方案文件夹或测试文件（默认 schemes/）", "scheme files, scheme folders or test files (default schemes/)"),
    "test.example": Text("例:\n  kaohe test schemes/jifenzhi\n  kaohe test", "Examples:\n  kaohe test schemes/jifenzhi\n  kaohe test"),
    "demo": Text("演示随 Kaohe 附带的党员积分制方案，并写出它的报表", "run the bundled 党员积分制 example and write its reports"),
    "demo.out": Text("演示报表写入的文件夹（默认当前文件夹下的 out/demo）", "where the demo reports go (default out/demo in the current folder)"),
    "demo.example": Text("例:\n  kaohe demo\n  kaohe demo --out 演示/", "Examples:\n  kaohe demo\n  kaohe demo --out demo/"),
}


def help_text(key: str, lang: str) -> str:
    """The help text ``key`` of :data:`HELP` in ``lang``.

    >>> help_text("run", "en")
    'score, grade and rank the units in the data'
    """
    text = HELP[key]
    return text.en if lang == "en" else text.zh
