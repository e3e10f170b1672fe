"""Messages of command line: problem code → Chinese and English (message, hint)."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, tuple[str, str]]] = {
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
    "cli_output_full": {
        "zh": ("磁盘空间不足，无法写入输出", "腾出磁盘空间，或把输出写到空间足够的位置，再运行一次。"),
        "en": ("the disk is full: cannot write the output", "free some space, or write the output where there is room, and run again."),
    },
    "report_template_missing": {
        "zh": ("找不到报表模板 '{name}'", "方案的 reports.templates 文件夹里的模板引用了不存在的模板；检查 extends/include 的名字（引用 Kaohe 自带的模板写 base/模板名）。"),
        "en": ("report template '{name}' not found", "a template in the scheme's reports.templates folder names one that does not exist; check the extends/include name (Kaohe's own templates are base/NAME)."),
    },
}
