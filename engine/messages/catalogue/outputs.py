"""Messages of outputs: problem code → Chinese and English (message, hint)."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, tuple[str, str]]] = {
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
}
