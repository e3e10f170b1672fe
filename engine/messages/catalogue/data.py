"""Messages of data: problem code → Chinese and English (message, hint)."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, tuple[str, str]]] = {
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
    "data_duplicate_unit_row": {
        "zh": ("单位 '{id}' 在这张表中出现了两次（第一次在第 {first} 行）", "这张表每个单位只能有一行：删除或合并重复的行（只保留了第一行）。"),
        "en": ("unit '{id}' appears twice in this table (first on row {first})", "one row per unit in this table: delete or merge the repeated row (only the first was kept)."),
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
}
