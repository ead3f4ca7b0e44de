"""Messages for head office (lobby-tui sync, lobby-tui hq …) (zh, en); merged into lobby_tui.i18n.MESSAGES."""

from lobby_tui.i18n import register

register(
    {
        "hq.no_dsn": (
            "请给出总行数据库地址：{option} postgresql://用户@主机/数据库（或设置环境变量 {env}）",
            "Give head office's database: {option} postgresql://user@host/database (or set {env})",
        ),
        "hq.not_postgres": (
            "这不是 PostgreSQL 数据库地址：{path}（应以 postgresql:// 开头）",
            "Not a PostgreSQL database address: {path} (one starts with postgresql://)",
        ),
        "hq.bad_dsn": (
            "无法识别的总行数据库地址 {path}：{detail}",
            "Cannot read head office's address {path}: {detail}",
        ),
        "hq.auth": (
            "总行数据库 {path} 拒绝了用户名或密码：{detail}",
            "Head office's database {path} refused the user name or password: {detail}",
        ),
        "hq.no_database": (
            "总行服务器上没有该数据库（{path}）：{detail}",
            "Head office's server has no such database ({path}): {detail}",
        ),
        "hq.unreachable": (
            "无法连接总行数据库 {path}：{detail}",
            "Cannot reach head office's database {path}: {detail}",
        ),
        "hq.no_schema": (
            "总行数据库 {path} 尚未初始化：请先运行 lobby-tui hq init --dsn …",
            "Head office's database {path} is not set up yet: run lobby-tui hq init --dsn … first",
        ),
        "hq.schema_newer": (
            "总行数据库 {path} 的结构版本为 {found}，比本程序所知的 {supported} 新：请先升级 lobby-tui",
            "Head office's database {path} has schema version {found}, newer than this lobby-tui knows ({supported}): upgrade lobby-tui first",
        ),
        "hq.schema_older": (
            "总行数据库 {path} 的结构版本为 {found}，旧于 {supported}：请先运行 lobby-tui hq init --dsn … 升级",
            "Head office's database {path} has schema version {found}, older than {supported}: run lobby-tui hq init --dsn … to migrate it",
        ),
        "hq.branch_bad": (
            "网点代码应为字母、数字、点、横线或下划线（最多40个）：{code}",
            "A branch code is letters, digits, dots, dashes or underscores (40 at most): {code}",
        ),
        "hq.branch_changed": (
            "本网点文件已以网点代码 {stored} 同步到总行 {path}，不能改用 {code}",
            "This branch file syncs to head office {path} as branch {stored}; it cannot change to {code}",
        ),
        "hq.branch_taken": (
            "总行 {path} 的网点代码 {code} 属于另一个网点文件：请用 --branch 给出本网点自己的代码",
            "At head office {path}, branch code {code} belongs to another branch file: give this branch's own code with --branch",
        ),
        "hq.failed": (
            "总行数据库 {path} 拒绝了写入：{detail}",
            "Head office's database {path} refused the write: {detail}",
        ),
        "hq.lost": (
            "与总行数据库 {path} 的连接中断，重试 {n} 次仍未恢复：{detail}。已提交的部分已记下，再次运行 lobby-tui sync 即可继续",
            "Lost the connection to head office's database {path} and {n} {n:retry|retries} did not bring it back: {detail}. What was committed is recorded; run lobby-tui sync again to go on",
        ),
        "hq.retrying": (
            "与总行数据库的连接中断（{detail}），{seconds} 秒后重试（第 {n} 次，共 {total} 次）",
            "Lost the connection to head office ({detail}); trying again in {seconds}s ({n} of {total})",
        ),
        "hq.sync_done": (
            "网点 {branch} 已同步到总行 {hq}：{counts}",
            "Branch {branch} synced to head office {hq}: {counts}",
        ),
        "hq.sync_count": ("{table} {n} 行", "{table} {n} {n:row|rows}"),
        "hq.init_created": (
            "总行数据库 {path} 已初始化（结构版本 {version}）",
            "Head office's database {path} is set up (schema version {version})",
        ),
        "hq.init_migrated": (
            "总行数据库 {path} 已从结构版本 {before} 升级到 {version}",
            "Head office's database {path} migrated from schema version {before} to {version}",
        ),
        "hq.init_current": (
            "总行数据库 {path} 已是最新结构（版本 {version}）",
            "Head office's database {path} is up to date (schema version {version})",
        ),
        "hq.verify_ok": (
            "网点 {branch} 的审计链完整（{n} 条）",
            "Branch {branch}: the audit chain is intact ({n} {n:entry|entries})",
        ),
        "hq.verify_changed": (
            "网点 {branch} 的审计链在第 {seq} 条（{ts}，{action}）处断开：该条写入后被改动",
            "Branch {branch}: the audit chain breaks at entry {seq} ({ts}, {action}): it was changed after it was written",
        ),
        "hq.verify_removed": (
            "网点 {branch} 的审计链在第 {seq} 条处断开：总行没有这一条",
            "Branch {branch}: the audit chain breaks at entry {seq}: head office does not have it",
        ),
        "hq.verify_none": ("总行还没有任何网点的审计记录", "Head office has no branch's audit entries yet"),
        "hq.verify_no_branch": (
            "总行没有网点 {branch} 的审计记录",
            "Head office has no audit entries of branch {branch}",
        ),
        "hq.range_bad": (
            "起始日期 {start} 晚于结束日期 {end}",
            "The first day {start} is after the last day {end}",
        ),
        "hq.range_long": (
            "日期范围最多 {limit} 天（{start} 至 {end}）",
            "A range is {limit} {limit:day|days} at most ({start} to {end})",
        ),
        "hq.branches_title": ("各网点", "By branch"),
        "hq.col.branch": ("网点", "Branch"),
        "hq.col.day": ("日期", "Day"),
        "hq.all_branches": ("全部网点", "All branches"),
        "hq.trends_title": ("{start} 至 {end} 各日数据", "Day by day, {start} to {end}"),
    }
)
