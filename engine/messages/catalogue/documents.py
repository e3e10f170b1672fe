"""Messages of documents: problem code → Chinese and English (message, hint)."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, tuple[str, str]]] = {
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
