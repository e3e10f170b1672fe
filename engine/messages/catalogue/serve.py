"""Messages of ``kaohe serve`` (the browser workbench): problem code → Chinese and English (message, hint)."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, tuple[str, str]]] = {
    "serve_folder_missing": {
        "zh": ("方案文件夹不存在", "写一个存在的文件夹，如 kaohe serve schemes；不写则用当前目录下的 schemes。"),
        "en": ("the scheme folder does not exist", "name an existing folder, e.g. kaohe serve schemes; without one, ./schemes is served."),
    },
    "serve_bad_port": {
        "zh": ("端口 {found} 不可用", "写 1 到 65535 之间的端口，如 --port 8000。"),
        "en": ("port {found} cannot be used", "give a port from 1 to 65535, e.g. --port 8000."),
    },
    "serve_port_busy": {
        "zh": ("无法在 {host}:{port} 上启动（{reason}）", "端口可能已被占用：换一个端口，如 --port 8080；--host 须是本机的地址。"),
        "en": ("cannot listen on {host}:{port} ({reason})", "the port may be in use: choose another, e.g. --port 8080; --host must be an address of this machine."),
    },
    "serve_outside": {
        "zh": ("这个路径不在所提供的方案文件夹内", "工作台只读写启动时给出的文件夹；从首页的方案列表进入。"),
        "en": ("this path is outside the served folders", "the workbench reads and writes only the folders it was started with; start from the list of schemes."),
    },
    "serve_not_scheme": {
        "zh": ("这不是方案文件（.yaml）", "从首页的方案列表打开方案。"),
        "en": ("this is not a scheme file (.yaml)", "open a scheme from the list of schemes."),
    },
    "serve_not_found": {
        "zh": ("没有这个页面或文件", "从首页的方案列表重新进入；文件可能已被移动或删除。"),
        "en": ("no such page or file", "start again from the list of schemes; the file may have been moved or deleted."),
    },
    "serve_bad_request": {
        "zh": ("无法处理这个请求", "从首页重新进入。"),
        "en": ("this request cannot be handled", "start again from the first page."),
    },
    "serve_upload_too_large": {
        "zh": ("上传的内容超过 {limit} MB", "分几次上传，或在命令行运行 kaohe run 方案.yaml --data 文件夹。"),
        "en": ("the upload is larger than {limit} MB", "upload fewer files at a time, or run kaohe run SCHEME --data FOLDER on the command line."),
    },
    "serve_form_unreadable": {
        "zh": ("无法读取提交的表单（{reason}）", "方案文本最大 1 MB，一次最多上传 64 个文件；更大的内容请在命令行处理。"),
        "en": ("the form sent cannot be read ({reason})", "a scheme's text is at most 1 MB, an upload at most 64 files; use the command line for more."),
    },
    "serve_token": {
        "zh": ("缺少或写错了访问令牌", "用启动时打印的完整地址打开（含 ?token=…）。"),
        "en": ("the access token is missing or wrong", "open the full address printed at start-up (with ?token=…)."),
    },
    "serve_csrf": {
        "zh": ("这个表单不是由本工作台的页面提交的，已拒绝", "刷新页面后重新提交；其他网站不能替你提交表单。"),
        "en": ("this form was not sent from a page of this workbench and was refused", "reload the page and send it again; other sites cannot send forms for you."),
    },
    "serve_no_data": {
        "zh": ("没有数据文件", "选择要上传的 CSV/XLSX 文件（可拖放到页面上），或选用方案的示例数据。"),
        "en": ("no data file", "choose CSV/XLSX files to upload (or drop them on the page), or pick the scheme's sample data."),
    },
    "serve_upload_type": {
        "zh": ("不能读取这种文件", "上传 {suffixes} 文件。"),
        "en": ("this kind of file cannot be read", "upload {suffixes} files."),
    },
    "serve_upload_twice": {
        "zh": ("同名文件上传了两次", "每个文件只上传一次；同一张表读两次会使每个单位重复。"),
        "en": ("a file of this name was uploaded twice", "upload each file once; a table read twice makes every unit a duplicate."),
    },
    "serve_no_results": {
        "zh": ("还没有计算结果", "先在方案页面点“计算”，选用示例数据或上传数据。"),
        "en": ("nothing has been assessed yet", "on a scheme's page, choose Assess and pick the sample data or upload data first."),
    },
    "serve_unknown_unit": {
        "zh": ("结果中没有第 {index} 行", "从结果表中点击单位名称打开它的得分说明。"),
        "en": ("the results have no row {index}", "open a unit's explanation from the results table."),
    },
    "serve_changed_on_disk": {
        "zh": ("打开之后，这个文件已在磁盘上被修改，未覆盖", "你输入的内容已保存为草稿。可“覆盖保存”，或放弃草稿后重新打开以查看磁盘上的版本。"),
        "en": ("the file was changed on disk since it was opened and was not overwritten", "what you typed is kept as a draft. Overwrite it, or discard the draft and open the file again to see the version on disk."),
    },
    "serve_bad_number": {
        "zh": ("'{found}' 不是数字", "写一个数，如 0.7。"),
        "en": ("'{found}' is not a number", "write a number, e.g. 0.7."),
    },
    "serve_version_name": {
        "zh": ("版本名称只能由文字、数字、- 和 _ 组成（最多 60 个字）", "如 2025试行 或 weights-70-30；它成为文件名的一部分。"),
        "en": ("a version name holds letters, digits, - and _ only (60 at most)", "e.g. 2025-trial or weights-70-30; it becomes part of the file name."),
    },
    "serve_version_exists": {
        "zh": ("这个版本文件已经存在，未覆盖", "换一个版本名称。"),
        "en": ("this version file exists already and was not overwritten", "choose another version name."),
    },
    "serve_version_unchanged": {
        "zh": ("没有改动任何数值，不必另存版本", "先修改参数或权重，再另存为版本。"),
        "en": ("no value was changed; there is no version to save", "change a param or a weight first, then save it as a version."),
    },
}
