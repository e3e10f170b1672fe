"""Messages of loading YAML: problem code → Chinese and English (message, hint)."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, tuple[str, str]]] = {
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
}
