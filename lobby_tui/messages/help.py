"""`--help` of every command in both languages (zh, en); merged into lobby_tui.i18n.MESSAGES.

help.cmd.<command> describes a command; help.opt.<command>.<dest> one of its options, and
help.opt.<dest> an option every command shares. lobby_tui.commands.common.localize_help puts them
on the parsers, so a command module keeps its options and nothing else; tests/test_cli_help.py checks
that every option of every command has a description in both languages.
"""

from lobby_tui.i18n import register

register(
    {
        "help.app": (
            "大堂经理工作台。不带命令时启动应用；命令见下。",
            "The lobby manager's app. Without a command it starts the app; the commands are below.",
        ),
        "db.not_found": (
            "没有数据库 {path}：请检查 --db 或 $LOBBY_TUI_DB（lobby-tui demo 可创建演示数据库）",
            "No database at {path}: check --db or $LOBBY_TUI_DB (lobby-tui demo makes a demo database)",
        ),
        # argparse's own lines (lobby_tui.commands.common.Parser.error), the English as argparse words them
        "cli.args.argument": ("参数 {name}：{problem}", "argument {name}: {problem}"),
        "cli.args.choice": (
            "无效的选择：{value}（可选：{choices}）",
            "invalid choice: {value} (choose from {choices})",
        ),
        "cli.args.required": ("缺少必需的参数：{names}", "the following arguments are required: {names}"),
        "cli.args.one_of": ("须给出以下参数之一：{names}", "one of the arguments {names} is required"),
        "cli.args.unknown": ("无法识别的参数：{names}", "unrecognized arguments: {names}"),
        "cli.args.one_value": ("需要一个值", "expected one argument"),
        "cli.args.some_values": ("至少需要一个值", "expected at least one argument"),
        "cli.args.at_most_one": ("最多只能给一个值", "expected at most one argument"),
        "cli.args.n_values": ("需要 {n} 个值", "expected {n} {n:argument|arguments}"),
        "cli.args.bad_value": ("无效的{type}值：{value}", "invalid {type} value: {value}"),
        "cli.args.ambiguous": (
            "选项 {option} 不明确，可能是：{matches}",
            "ambiguous option: {option} could match {matches}",
        ),
        "cli.args.not_with": ("不能与参数 {name} 同时使用", "not allowed with argument {name}"),
        "cli.args.no_value": ("此选项不带值：{value}", "ignored explicit argument {value}"),
        "cli.args.cannot_open": ("无法打开 {file}：{detail}", "can't open {file}: {detail}"),
        "cli.not_whole": ("应为整数：{text}", "not a whole number: {text}"),
        "cli.negative": ("不能为负数：{text}", "must not be negative: {text}"),
        "cli.hq.action": (
            "请说明要做什么：lobby-tui hq init|verify|summary|trends --dsn DSN",
            "say what to do: lobby-tui hq init|verify|summary|trends --dsn DSN",
        ),
        "cli.audit.action": (
            "请说明要做什么：lobby-tui audit verify [--db PATH]",
            "say what to do: lobby-tui audit verify [--db PATH]",
        ),
        "cli.audit.expect": (
            "--expect 应为 SEQ:HASH，即校验通过时显示的内容",
            "--expect takes SEQ:HASH as a passing verify prints it",
        ),
        "cli.export.both": ("请用 --date，或 --from 加 --to，不要同时使用", "use --date, or --from and --to, not both"),
        "cli.export.range": ("须给出 --date，或 --from 加 --to", "one of --date, or --from with --to, is required"),
        "cli.range": ("应为 {low} 到 {high} 之间的整数：{text}", "must be a whole number from {low} to {high}: {text}"),
        "help.opt.help": ("显示本帮助并退出", "show this help and exit"),
        "help.opt.version": ("显示版本号并退出", "show the version and exit"),
        "help.opt.db": (
            "数据库文件（默认：$LOBBY_TUI_DB，其次为用户数据文件夹中的 lobby.db）",
            "database file (default: $LOBBY_TUI_DB, then lobby.db in your data folder)",
        ),
        "help.opt.lang": (
            "界面语言 zh 或 en（默认：$LOBBY_TUI_LANG，其次为系统区域设置）",
            "language, zh or en (default: $LOBBY_TUI_LANG, then the locale)",
        ),
        "help.opt.json": ("以 JSON 输出（供程序读取）", "print JSON (for programs)"),
        "help.opt.command": ("要执行的命令", "the command to run"),
        # demo
        "help.cmd.demo": ("创建或填充演示数据库", "create or fill a demo database"),
        "help.opt.demo.customers": (
            "演示客户数（0到5,000,000，默认20,000）",
            "how many demo customers (0 to 5,000,000; default 20,000)",
        ),
        "help.opt.demo.days": (
            "演示来访的天数（0到1,096，即三年；默认30）",
            "days of demo visits (0 to 1,096, three years; default 30)",
        ),
        "help.opt.demo.seed": (
            "随机种子：同一种子生成同样的数据（默认1）",
            "random seed: the same seed, the same data (default 1)",
        ),
        # tier
        "help.cmd.tier": ("识别客户层级", "classify a customer"),
        "help.opt.tier.assets": ("本行金融资产：200000、20万、1.2亿等", "assets at this bank: 200000, 20万, 1.2亿 …"),
        "help.opt.tier.other_assets": ("他行金融资产（写法同上）", "assets at other banks (written the same way)"),
        "help.opt.tier.age": ("客户年龄（与 --id-number 二选一）", "the customer's age (or give --id-number)"),
        "help.opt.tier.id_number": (
            "身份证号码：由此得出年龄，号码不保存",
            "the resident ID number: the age comes from it; it is not kept",
        ),
        "help.opt.tier.education": (
            "学历：none、primary、junior_high、senior_high、associate、bachelor、master、doctorate（或本科、大专等）",
            "education: none, primary, junior_high, senior_high, associate, bachelor, master, doctorate (or 本科, 大专 …)",
        ),
        "help.opt.tier.on": ("来访日期 YYYY-MM-DD（默认今天）", "the day of the visit, YYYY-MM-DD (default today)"),
        # guide
        "help.cmd.guide": ("客户应去哪里办理", "where to guide a customer"),
        "help.opt.guide.tier": ("客户层级代码（见 lobby-tui tier）", "the tier code (see lobby-tui tier)"),
        "help.opt.guide.reason": ("来访事由代码", "the visit reason's code"),
        "help.opt.guide.amount": ("办理金额：5000、5千、2万等", "the amount of the transaction: 5000, 5千, 2万 …"),
        "help.opt.guide.tier_with_other_assets": (
            "计入他行资产后的客户层级代码（lobby-tui tier 给出）",
            "the tier once assets at other banks count (lobby-tui tier gives it)",
        ),
        "help.opt.guide.potential_quality": ("客户为潜在优质客户", "the customer is a potential quality customer"),
        # summary
        "help.cmd.summary": ("某一天的统计数字", "a day's figures"),
        "help.opt.summary.date": ("日期 YYYY-MM-DD（默认今天）", "the day, YYYY-MM-DD (default today)"),
        # export
        "help.cmd.export": (
            "导出来访记录：CSV、JSON lines、xlsx，或可打印的 HTML 报告",
            "visits as CSV, JSON lines or xlsx, or the printable HTML report",
        ),
        "help.opt.export.date": ("导出这一天 YYYY-MM-DD", "export this day, YYYY-MM-DD"),
        "help.opt.export.start": ("起始日期 YYYY-MM-DD（与 --to 一起用）", "the first day, YYYY-MM-DD (with --to)"),
        "help.opt.export.end": ("结束日期 YYYY-MM-DD（含当天）", "the last day, YYYY-MM-DD (included)"),
        "help.opt.export.format": (
            "csv（Excel 可直接打开）、jsonl（始终为代码）、xlsx 或 html（后两者需要 -o）",
            "csv (opens in Excel), jsonl (always codes), xlsx or html (these two need -o)",
        ),
        "help.opt.export.labels": (
            "表头和取值：zh 中文、en 英文、codes 代码（默认：界面语言）",
            "headers and values: zh Chinese, en English, codes for programs (default: your language)",
        ),
        "help.opt.export.output": (
            "写入此文件（csv 和 jsonl 默认输出到标准输出）",
            "write to this file (csv and jsonl go to stdout by default)",
        ),
        # import-customers, import-visits
        "help.cmd.import-customers": ("从 CSV 文件导入客户名录", "import the customer directory from a CSV file"),
        "help.opt.import-customers.encoding": (
            "文件编码：utf-8 或 gbk（默认 utf-8）",
            "the file's encoding: utf-8 or gbk (default utf-8)",
        ),
        "help.opt.import-customers.file": (
            "银行系统导出的客户 CSV 文件",
            "the customers' CSV file from the bank's CRM",
        ),
        "help.cmd.import-visits": (
            "合并另一台平板导出的来访记录（JSON lines）",
            "merge another tablet's exported visits (JSON lines)",
        ),
        "help.opt.import-visits.file": (
            "lobby-tui export --format jsonl 写出的文件",
            "a file written by lobby-tui export --format jsonl",
        ),
        # lookup
        "help.cmd.lookup": ("在客户名录中查找客户（结果均已遮蔽）", "find a customer in the directory (shown masked)"),
        "help.opt.lookup.phone": ("完整手机号", "the full mobile number"),
        "help.opt.lookup.phone_last4": ("手机号后4位", "the last four digits of the mobile number"),
        "help.opt.lookup.id_number": ("身份证号码", "the resident ID number"),
        "help.opt.lookup.card": ("银行卡号", "the bank card number"),
        "help.opt.lookup.name": ("姓名或其开头（张 可找到 张三明）", "the name, or its beginning (张 finds 张三明)"),
        # serve
        "help.cmd.serve": ("通过浏览器提供应用，每个标签页一个会话", "serve the app to browsers, one session per tab"),
        "help.opt.serve.host": (
            "监听地址（默认 127.0.0.1：仅本机）",
            "address to listen on (default 127.0.0.1: this machine only)",
        ),
        "help.opt.serve.port": ("监听端口（默认8000）", "port to listen on (default 8000)"),
        # audit
        "help.cmd.audit": ("检查审计日志", "check the audit log"),
        "help.opt.audit.audit_action": ("要做的检查", "what to check"),
        "help.cmd.audit.verify": (
            "哈希链完整时退出码为0，否则为1",
            "exit 0 when the hash chain is intact, 1 when not",
        ),
        "help.opt.serve.allow_host": (
            "平板使用的本机名称（如 lobby-pc.branch.local），可多次给出；用 IP 地址访问时不需要",
            "a name the tablets use for this PC (e.g. lobby-pc.branch.local), may be given again; addresses need none",
        ),
        "help.opt.serve.max_sessions": (
            "同时最多几个会话（默认12，每个约43 MB）",
            "at most this many sessions at once (default 12; each ~43 MB)",
        ),
        "help.opt.serve.max_unsigned": (
            "尚未登录的会话最多几个（默认4）",
            "at most this many sessions not yet signed in (default 4)",
        ),
        # backup, restore, check (issue 14)
        "help.cmd.backup": (
            "备份数据库（含密钥与锚点文件），应用运行时也可安全备份，写完即校验",
            "back the database up with its key and anchor, safely while the app runs; checked once written",
        ),
        "help.opt.backup.dest": (
            "备份文件名，或一个文件夹（在其中按日期命名）",
            "the backup's file name, or a folder for a dated one",
        ),
        "help.cmd.restore": (
            "先校验备份，再用它替换数据库；原数据库另存一份",
            "check a backup, then put it in place of the database; the database that was there is kept aside",
        ),
        "help.opt.restore.source": ("由 lobby-tui backup 制作的备份", "a backup made by lobby-tui backup"),
        "help.cmd.check": (
            "检查数据库文件有无损坏，以及密钥和审计链",
            "check the file for damage (SQLite quick_check), its key and the audit chain",
        ),
        "help.opt.audit.verify.expect": (
            "记在本机以外的一条审计记录 SEQ:HASH（报表、总行）：日志不再包含它时退出码为1",
            "an entry noted off this PC (a report, head office), SEQ:HASH: exit 1 unless the log still reaches it",
        ),
        # leads
        "help.cmd.leads": (
            "客户经理的线索，最早的在前（姓名、电话已遮挡）",
            "the leads for account managers, oldest first (names and phones masked)",
        ),
        "help.opt.leads.status": (
            "只列出这一状态：new 新、taken 已接、contacted 已联系、converted 已转化、declined 已谢绝",
            "only this status: new, taken, contacted, converted, declined",
        ),
        # sync, hq (head office on PostgreSQL)
        "help.cmd.sync": (
            "把本网点的来访、班次、工作日志和审计记录推送到总行（PostgreSQL）；客户名录不出网点",
            "push this branch's visits, shifts, shift logs and audit entries to head office (PostgreSQL); "
            "the customer directory never leaves the branch",
        ),
        "help.opt.sync.dsn": (
            "总行数据库地址 postgresql://…（默认：$LOBBY_TUI_HQ_DSN）",
            "head office's database, postgresql://… (default: $LOBBY_TUI_HQ_DSN)",
        ),
        "help.opt.sync.branch": (
            "本网点在总行的代码（首次同步后保留；默认取数据库文件编号的前8位）",
            "this branch's code at head office (kept after the first sync; default: the file's id, 8 characters)",
        ),
        "help.opt.sync.batch": ("每批行数（默认5000）", "rows per batch (default 5000)"),
        "help.cmd.hq": ("总行：初始化、校验、统计、趋势", "head office: init, verify, summary, trends"),
        "help.opt.hq.hq_action": ("要做的事", "what to do"),
        "help.opt.dsn": (
            "总行数据库地址 postgresql://…（默认：$LOBBY_TUI_HQ_DSN）",
            "head office's database, postgresql://… (default: $LOBBY_TUI_HQ_DSN)",
        ),
        "help.cmd.hq.init": (
            "创建或升级总行数据库结构（版本化迁移）",
            "create or upgrade head office's schema (versioned migrations)",
        ),
        "help.cmd.hq.verify": (
            "校验总行保存的每个网点审计链，指出第一条被改动的记录",
            "check every branch's audit chain as head office holds it; names the first broken entry",
        ),
        "help.opt.hq.verify.branch": ("只校验这个网点（代码）", "only this branch (its code)"),
        "help.cmd.hq.summary": (
            "某一天的统计数字，按网点及全部网点（与网点的 summary 相同）",
            "a day's figures per branch and for all branches (the same as a branch's summary)",
        ),
        "help.opt.hq.summary.date": ("日期 YYYY-MM-DD（默认今天）", "the day, YYYY-MM-DD (default today)"),
        "help.opt.hq.summary.branch": ("只看这个网点（代码）", "only this branch (its code)"),
        "help.cmd.hq.trends": ("一段日期的每日数字", "the figures of each day in a range"),
        "help.opt.hq.trends.start": ("起始日期 YYYY-MM-DD", "the first day, YYYY-MM-DD"),
        "help.opt.hq.trends.end": ("结束日期 YYYY-MM-DD（含当天）", "the last day, YYYY-MM-DD (included)"),
        "help.opt.hq.trends.branch": ("只看这个网点（代码）", "only this branch (its code)"),
        # config
        "help.cmd.config": (
            "网点设置：data/*.toml 的覆盖文件在配置文件夹中",
            "the branch's settings: overrides of data/*.toml in the config folders",
        ),
        "help.opt.config.config_action": ("show 显示，check 检查", "show or check"),
        "help.cmd.config.show": (
            "显示正在使用的设置及各自来源",
            "print the settings in force and where each came from",
        ),
        "help.cmd.config.check": (
            "检查所有覆盖文件；有错误时退出码为2",
            "validate every override; exit 2 on an error",
        ),
    }
)
