"""Messages for the imports feature (zh, en); merged into lobby_tui.i18n.MESSAGES."""

from lobby_tui.i18n import register

register(
    {
        # files
        "import.file_missing": ("找不到文件：{file}", "No such file: {file}"),
        "import.file_unreadable": ("无法读取文件 {file}：{detail}", "Cannot read the file {file}: {detail}"),
        "import.file_empty": (
            "文件 {file} 是空的：第一行应为表头",
            "The file {file} is empty: its first line should be the header",
        ),
        "import.file_encoding": (
            "文件 {file} 不是 {encoding} 编码（看起来是 {other}）；请加上 --encoding {other}",
            "The file {file} is not {encoding} (it looks like {other}); add --encoding {other}",
        ),
        "import.bad_row": ("{file} 第{line}行：{reason}", "{file} line {line}: {reason}"),
        # the header of a customer file
        "import.header_missing": (
            "表头缺少必需的列：{columns}（文件表头为：{found}）",
            "The header lacks required column(s): {columns} (the file's header is: {found})",
        ),
        "import.header_twice": (
            "表头中“{first}”与“{second}”是同一列（{column}）",
            "The header names one column ({column}) twice: “{first}” and “{second}”",
        ),
        # customer rows
        "import.row_width": (
            "有{found}个字段，表头有{expected}个（含逗号的金额请加引号）",
            "{found} {found:field|fields} where the header has {expected} (an amount with commas must be in quotes)",
        ),
        "import.row_needs_key": ("手机号和证件号码至少填写一项", "needs a phone or an ID number"),
        "import.row_encoding": (
            "含有不是{encoding}编码的字符（试试 --encoding {other}）",
            "has characters that are not {encoding} (try --encoding {other})",
        ),
        "import.row_csv": ("CSV 格式有误：{detail}", "malformed CSV: {detail}"),
        "import.field": ("{column}：{reason}", "{column}: {reason}"),
        "import.phone_bad": ("不是11位大陆手机号码", "not an 11-digit mainland mobile number"),
        # visit rows
        "import.json_bad": ("不是有效的 JSON：{detail}", "not valid JSON: {detail}"),
        "import.json_object": ("每行应为一个 JSON 对象", "each line must be one JSON object"),
        "import.visit_missing": ("缺少字段 {field}", "the field {field} is missing"),
        "import.visit_field": ("字段 {field} 的值无效：{text}", "the field {field} is not valid: {text}"),
        "import.visit_taken": (
            "来访编号已被另一台设备的记录使用",
            "the visit id belongs to a different tablet's visit here",
        ),
        "import.worker_failed": (
            "读取文件的后台进程意外停止（{detail}）；已保存的批次不受影响，重新导入即可完成，不会重复",
            "The process reading the file stopped unexpectedly ({detail}); the batches already saved are safe: import again to complete it (nothing is doubled)",
        ),
        "import.worker_signal": ("它被信号 {n} 终止", "it was ended by signal {n}"),
        "import.worker_status": ("它以状态 {n} 退出", "it exited with status {n}"),
        "import.worker_silent": ("它没有留下任何说明就结束了", "it ended without a word"),
        "import.not_utf8": ("不是有效的 UTF-8 文本", "not valid UTF-8 text"),
        # results and progress
        "import.customers.progress": ("导入客户名录", "Importing customers"),
        "import.customers.indexing": ("建立名录索引", "Indexing the directory"),
        "import.customers.done": (
            "已导入 {imported} 行：新增 {created} 位客户，更新 {updated} 位，{unchanged} 位无变化；拒绝 {refused} 行",
            "Imported {imported} {imported:row|rows}: {created} new {created:customer|customers}, {updated} updated, {unchanged} unchanged; {refused} {refused:row|rows} refused",
        ),
        "import.visits.progress": ("导入来访记录", "Importing visits"),
        "import.visits.done": (
            "来访记录：新增 {added}，更新 {updated}，已有 {unchanged}；拒绝 {refused} 行",
            "Visits: {added} added, {updated} updated, {unchanged} already here; {refused} {refused:line|lines} refused",
        ),
        "import.refused": (
            "有 {refused} 行未导入（见上）；改正后重新导入即可，已导入的不会重复",
            "{refused} {refused:row was|rows were} not imported (see above); correct {refused:it|them} and import again: rows already in are not doubled",
        ),
        # lookup
        "cli.lookup.none": ("未找到客户", "No customer found"),
        "cli.lookup.col.name": ("姓名", "Name"),
        "cli.lookup.col.phone": ("手机号", "Phone"),
        "cli.lookup.col.id": ("证件尾号", "ID (last 4)"),
        "cli.lookup.col.card": ("卡号尾号", "Card (last 4)"),
        "cli.lookup.col.tier": ("客户层级", "Tier"),
        "cli.lookup.col.age": ("年龄", "Age"),
        "cli.lookup.more": (
            "只显示前 {n} 位，请输入更多信息缩小范围",
            "Only the first {n} are shown; type more to narrow the search",
        ),
    }
)
