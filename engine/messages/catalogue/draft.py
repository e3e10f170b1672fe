"""Messages of kaohe draft (engine/draft/): problem code → Chinese and English (message, hint)."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, tuple[str, str]]] = {
    "draft_is_folder": {
        "zh": ("这是一个文件夹，不是考核细则文件", "写文件夹中那个细则文件的路径，如 kaohe draft 材料/细则.docx。"),
        "en": ("this is a folder, not a 考核细则 document", "give the path of the document inside it, e.g. kaohe draft papers/rules.docx."),
    },
    "draft_no_file": {
        "zh": ("找不到文件", "写考核细则文件的路径，如 kaohe draft 细则.docx --out 草稿/。"),
        "en": ("no such file", "give the path of the 考核细则 document, e.g. kaohe draft rules.docx --out draft/."),
    },
    "draft_format": {
        "zh": ("不能读取 '{found}' 格式的文件", "可读取的格式: {known}；其他格式（.doc、.wps）请先在 Word/WPS 中另存为 .docx。"),
        "en": ("cannot read files of type '{found}'", "readable types: {known}; save other formats (.doc, .wps) as .docx in Word/WPS first."),
    },
    "draft_unreadable": {
        "zh": ("无法读取这个文件: {reason}", "文件可能已损坏或不是它的扩展名所说的格式；在 Word/WPS 中打开后另存一次再试。"),
        "en": ("cannot read this file: {reason}", "it may be damaged or not what its name says; open it in Word/WPS, save it again and retry."),
    },
    "draft_empty": {
        "zh": ("文件中没有文字", "确认选对了文件；网页上的细则可以复制粘贴到一个 .txt 文件中。"),
        "en": ("the file holds no text", "check the file; a 考核细则 on a web page can be pasted into a .txt file."),
    },
    "draft_pdf_no_text": {
        "zh": ("这个 PDF 没有文字层（可能是扫描件）", "用 OCR 软件识别后另存为 .docx 或 .txt，或找到原始的 Word 文件。"),
        "en": ("this PDF has no text layer (a scan?)", "run it through OCR and save as .docx or .txt, or find the original Word file."),
    },
    "draft_no_part": {
        "zh": ("文件中没有第 {found} 篇（共 {count} 篇）", "文件中的各篇: {parts}。用 --part 写其中一个序号。"),
        "en": ("the file has no document {found} ({count} in all)", "its documents: {parts}. Give one of these numbers with --part."),
    },
    "draft_bad_lines": {
        "zh": ("--lines '{found}' 不是行号范围", "写成 起-止，如 --lines 48-91（行号从 1 开始，起不大于止）。"),
        "en": ("--lines '{found}' is no line range", "write FROM-TO, e.g. --lines 48-91 (lines count from 1, FROM not above TO)."),
    },
    "draft_lines_empty": {
        "zh": ("--lines {found} 范围内没有文字（文件共 {last} 行）", "换一个有文字的行号范围。"),
        "en": ("there is no text in --lines {found} (the file has {last} lines)", "give a range of lines that hold text."),
    },
    "draft_part_and_lines": {
        "zh": ("--part 与 --lines 只能写一个", "--part 按第几篇选，--lines 按行号选；二选一。"),
        "en": ("give --part or --lines, not both", "--part picks a document by number, --lines by line range."),
    },
    "draft_out_not_empty": {
        "zh": ("--out {out} 已存在且不是空文件夹，草稿不会覆盖它", "写一个新的文件夹名，如 --out 草稿2/；或先把原文件夹改名、删除。"),
        "en": ("--out {out} exists and is not empty; a draft never overwrites it", "give a new folder, e.g. --out draft2/, or rename or delete the old one first."),
    },
    "draft_out_is_file": {
        "zh": ("--out {out} 是一个文件，不是文件夹", "草稿是一个文件夹（方案、填报模板、测试）；写一个文件夹名，如 --out 草稿/。"),
        "en": ("--out {out} is a file, not a folder", "a draft is a folder (scheme, template, tests); give a folder name, e.g. --out draft/."),
    },
    "draft_out_unwritable": {
        "zh": ("无法写入 --out {out}: {reason}", "换一个可写的文件夹；已写入的部分已删除，原有内容没有改动。"),
        "en": ("cannot write --out {out}: {reason}", "choose a writable folder; anything written was removed and nothing that was there changed."),
    },
    "draft_several_parts": {
        "zh": ("文件中有 {count} 篇文档，只起草了第 1 篇", "各篇: {parts}。用 --part N 起草第 N 篇，或用 --lines 起-止 指定行号范围。"),
        "en": ("the file holds {count} documents; only the first was drafted", "its documents: {parts}. Draft the n-th with --part N, or a line range with --lines FROM-TO."),
    },
    "draft_dropped_line": {
        "zh": ("页眉页脚或网页附加文字，已略去: '{text}'", "这不是细则的内容；若它确实是，请把它和上下文一起补进方案。"),
        "en": ("page furniture or web boilerplate dropped: '{text}'", "not part of the rules; if it is, add it to the scheme by hand."),
    },
    "draft_joined_line": {
        "zh": ("这一行与第 {previous} 行接在一起读（句子被断开了）", "核对草稿中该条目的分值和原文。"),
        "en": ("this line was read together with line {previous} (a sentence cut in two)", "check the points and text of that item in the draft."),
    },
    "draft_numbering": {
        "zh": ("编号 '{label}' 重复或倒序（前一个是第 {line} 行的 '{before}'）", "按文中的位置当作下一条读入；草稿中的编号已加以区分，请核对原文。"),
        "en": ("the number '{label}' repeats or goes back (the one before is '{before}' on line {line})", "read as the next item where it stands; its id in the draft is made distinct; check the text."),
    },
    "draft_section_total": {
        "zh": ("'{title}' 写的是 {declared} 分，其下各项合计 {found} 分", "草稿保留原文的 {declared} 分（kaohe validate 也会提示）；请核对哪一个是对的。"),
        "en": ("'{title}' says {declared} points, its items add up to {found}", "the draft keeps the stated {declared} (kaohe validate warns too); check which is right."),
    },
    "draft_document_total": {
        "zh": ("标题写的是 {declared} 分，各部分合计 {found} 分", "可能有只适用于某类单位的指标（写 applies_to），或分值有误；请核对。"),
        "en": ("the title says {declared} points, the parts add up to {found}", "some parts may apply to one type of unit only (write applies_to), or a figure is wrong; check."),
    },
    "draft_no_items": {
        "zh": ("没有找到带分值的条目（如 \"(一)基础工作(15分)\"）", "草稿中放了一个待填写的项目；检查是否选对了文档（--part / --lines）。"),
        "en": ("no item with points (such as \"(一)基础工作(15分)\") was found", "the draft holds one placeholder item; check the document chosen (--part / --lines)."),
    },
    "draft_unread": {
        "zh": ("{count} 句含有数字或计分用语的原文没有转为规则", "它们在方案中以 \"# 待确认:\" 注释标在原处，并列在 {report} 中。"),
        "en": ("{count} sentence(s) with a number or a scoring word were not turned into rules", "they are marked \"# 待确认:\" where they belong in the scheme and listed in {report}."),
    },
    "draft_dropped_rule": {
        "zh": ("读出的 '{title}' 没有通过校验（{reason}），未写入方案", "原文句子标为待确认；请按原文手写这一条。"),
        "en": ("'{title}' as read did not validate ({reason}) and was left out", "its sentence is marked to confirm; write it by hand from the text."),
    },
    "draft_fallback": {
        "zh": ("'{title}' 读出的规则没有通过校验（{reason}），改为由考核组评分", "草稿中该项为 formula: 评分输入项；原文句子标为待确认。"),
        "en": ("the rule read for '{title}' did not validate ({reason}); it is scored by the assessors instead", "the item is a formula over a score input in the draft; its sentences are marked to confirm."),
    },
}
