"""Message catalogue: problem codes to Chinese and English texts with hints.

Each entry maps a code to ``{"zh": (message, hint), "en": (message, hint)}``;
templates use ``str.format`` fields filled from the problem's arguments.
Chinese is the default because the users are Chinese organisation
departments; English is available with ``--lang en``.
"""

from __future__ import annotations

import typing as t

from engine.messages.catalogue import AREAS

if t.TYPE_CHECKING:
    from engine.context import Lang


def _merged() -> dict[str, dict[str, tuple[str, str]]]:
    """Every area's codes in one table; a code defined twice is a programming error."""
    merged: dict[str, dict[str, tuple[str, str]]] = {}
    for area in AREAS:
        for code, entry in area.MESSAGES.items():
            if code in merged:
                raise RuntimeError(f"message code {code!r} is defined twice ({area.__name__})")
            merged[code] = entry
    return merged


MESSAGES: dict[str, dict[str, tuple[str, str]]] = _merged()


def render_message(code: str, args: t.Mapping[str, object], lang: Lang) -> tuple[str, str]:
    """Fill the templates of ``code`` in ``lang`` (falls back to Chinese).

    The catalogue keeps each code's texts under the language they are in, so it is
    looked up by the language itself; the library reaches it only through
    :meth:`engine.errors.Problem.message`, which hands it its Context's language.

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


class _Defaulting(dict[str, object]):
    """Format mapping: absent fields render empty, :class:`Text` picks a language."""

    lang = "zh"

    def __missing__(self, key: str) -> str:
        return ""

    def __getitem__(self, key: str) -> object:
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
    "explain.format": Text("输出格式: text（默认，逐项说明）、md（Markdown，项目为嵌套列表）、html（网页，与报表同一样式）"
                           "或 json（同样的内容，项目按分组嵌套，供程序读取）",
                           "output format: text (default, step by step), md (Markdown, the items a nested list), "
                           "html (a page in the reports' style) or json (the same, items nested by section, for programs)"),
    "explain.example": Text("例:\n  kaohe explain schemes/jifenzhi --data schemes/jifenzhi/data --unit D002",
                            "Example:\n  kaohe explain schemes/jifenzhi --data schemes/jifenzhi/data --unit D002"),
    "diff": Text("比较方案的两个版本对同一批数据的影响", "compare two versions of a scheme over the same data"),
    "diff.schemes": Text("旧方案 [新方案]；只写一个时，新方案是旧方案加上 --set 的改动",
                         "OLD [NEW]; with one scheme, NEW is OLD with --set applied"),
    "diff.set": Text("修改（新）方案，如 params.base_weight.value=0.7（可重复）", "change the (new) scheme, e.g. params.base_weight.value=0.7 (repeatable)"),
    "diff.sweep": Text("对一个路径试一组取值，如 params.base_weight.value=0.6:0.9:0.1；几个路径一起动: base_weight=0.6:0.9:0.1,vote_weight=1-base_weight",
                       "try a range of values for one path, e.g. params.base_weight.value=0.6:0.9:0.1; several linked paths: base_weight=0.6:0.9:0.1,vote_weight=1-base_weight"),
    "diff.format": Text("输出格式: md（默认）、json、html", "output format: md (default), json, html"),
    "diff.out": Text("写入这个文件夹（diff.<格式>）或文件，而不是显示在屏幕上", "write diff.<format> into this folder (or this file) instead of printing"),
    "diff.example": Text("例:\n  kaohe diff schemes/zhengjiaochu/zhengjiaochu.yaml schemes/zhengjiaochu/zhengjiaochu-v2.yaml --data schemes/zhengjiaochu/data\n"
                         "  kaohe diff schemes/jifenzhi --data schemes/jifenzhi/data --set params.base_weight.value=0.7",
                         "Examples:\n  kaohe diff schemes/zhengjiaochu/zhengjiaochu.yaml schemes/zhengjiaochu/zhengjiaochu-v2.yaml --data schemes/zhengjiaochu/data\n"
                         "  kaohe diff schemes/jifenzhi --data schemes/jifenzhi/data --set params.base_weight.value=0.7"),
    "show": Text("显示展开 extends 后的完整方案（YAML）", "print a scheme with extends resolved (YAML)"),
    "show.changes": Text("列出相对于上级方案（extends）的全部改动", "list what differs from the scheme it extends"),
    "show.example": Text("例:\n  kaohe show schemes/我县考核 --changes", "Example:\n  kaohe show schemes/my-county --changes"),
    "draft": Text("从考核细则文件（.docx、.txt/.md、有文字层的 .pdf）起草一个能通过校验的方案文件夹，并报告读出了什么、哪些句子待确认",
                  "draft a scheme folder that validates from a 考核细则 document (.docx, .txt/.md, .pdf with a text layer), with a report of what was read and what is left to confirm"),
    "draft.document": Text("考核细则文件", "the 考核细则 document"),
    "draft.out": Text("写入的文件夹（须不存在或为空；默认为当前文件夹中的“文件名-草稿”）",
                      "the folder to write (must not exist or be empty; default \"NAME-草稿\" in the current folder)"),
    "draft.part": Text("文件中有多篇（第一篇、第二篇……）时，起草第 N 篇（默认第 1 篇）", "in a file of several documents (第一篇, 第二篇 …), draft the n-th (default the first)"),
    "draft.lines": Text("只起草这些行，如 48-91", "draft only these lines, e.g. 48-91"),
    "draft.example": Text("例:\n  kaohe draft 考核细则.docx --out 草稿/\n  kaohe draft 汇编.txt --part 4 --out 草稿4/\n  kaohe draft 文件.txt --lines 48-91 --out 草稿/",
                          "Examples:\n  kaohe draft rules.docx --out draft/\n  kaohe draft collection.txt --part 4 --out draft4/\n  kaohe draft file.txt --lines 48-91 --out draft/"),
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
    "serve": Text("在浏览器中使用的本机工作台：查看、修改、计算、试算方案", "a local browser workbench: read, edit, assess and try out schemes"),
    "serve.folders": Text("方案所在的文件夹（默认当前文件夹下的 schemes）", "folders holding schemes (default ./schemes)"),
    "serve.host": Text("监听地址（默认 127.0.0.1，只有本机可以访问；其他地址需要令牌）", "address to listen on (default 127.0.0.1, this machine only; any other needs a token)"),
    "serve.port": Text("端口（默认 8000）", "port (default 8000)"),
    "serve.token": Text("访问令牌（监听其他地址时不写则随机生成，并打印在地址中）", "access token (for another address; a random one is made and printed in the URL when not given)"),
    "serve.example": Text("例:\n  kaohe serve\n  kaohe serve schemes/ 我县方案/ --port 8080",
                          "Examples:\n  kaohe serve\n  kaohe serve schemes/ county-schemes/ --port 8080"),
}


def help_text(key: str, lang: Lang) -> str:
    """The help text ``key`` of :data:`HELP` in ``lang``: the command line's own texts, made
    while its arguments are parsed, before any Context exists.

    >>> help_text("run", "en")
    'score, grade and rank the units in the data'
    """
    text = HELP[key]
    return text.en if lang == "en" else text.zh
