"""Messages for backups, restores, checks and the key's check value (zh, en); merged into
lobby_tui.i18n.MESSAGES."""

from lobby_tui.i18n import register

register(
    {
        "db.key_wrong": (
            "密钥文件 {keyfile} 不属于数据库 {path}（可能是另一个数据库的密钥）：用它将查不到客户、重复导入。请放回该数据库自己的密钥文件（从备份恢复）；文件未改动。",
            "The key file {keyfile} does not belong to database {path} (it is another database's key): with it customers would not be found and imports would double. Put back this database's own key file (restore it from the backup); nothing was changed.",
        ),
        "db.damaged_backup": (
            "数据库 {path} 已损坏（{detail}）。请关闭应用，从最近的备份恢复：lobby-tui restore --db {path} {backup}（备份于 {when}）；损坏的文件会保留备查。",
            "Database {path} is damaged ({detail}). Close the app and restore the newest backup: lobby-tui restore --db {path} {backup} (made {when}); the damaged file is kept aside.",
        ),
        "cli.audit.anchor_missing": (
            "审计日志链完整（共 {n} 条），但锚文件 {anchor} 不见了：无法排除最新的记录被删除。请从备份放回锚文件（lobby-tui restore）。",
            "The audit log's chain is intact ({n} {n:entry|entries}) but its anchor file {anchor} is missing: the removal of the newest entries cannot be ruled out. Put the anchor back from the backup (lobby-tui restore).",
        ),
        "cli.audit.ok_mark": (
            "审计日志完整：共 {n} 条，最新一条与锚文件 {anchor} 一致；最新记录 {mark}（请记在本机以外，如报表或总行：日后 lobby-tui audit verify --expect {mark} 可发现回滚）",
            "The audit log is intact: {n} {n:entry|entries}, the newest matching the anchor file {anchor}; newest entry {mark} (note it off this PC, in a report or at head office: lobby-tui audit verify --expect {mark} later shows a rollback)",
        ),
        "cli.audit.expect_missing": (
            "审计日志不含在本机以外记下的记录 {mark}：数据库已被回滚或替换（连同锚文件）。请与主管核对备份。",
            "The audit log does not reach entry {mark}, noted off this PC: the database was rolled back or replaced (anchor and all). Check the backups with the supervisor.",
        ),
        "cli.audit.row_changed": (
            "{table}中的记录 {row} 与审计链记录的不符：它在应用之外被改动过",
            "The {table} row {row} differs from what the audit chain recorded: it was changed outside the app",
        ),
        "cli.audit.row_deleted": (
            "审计链记录的{table}记录 {row} 不见了：它在应用之外被删除",
            "The {table} row {row} that the audit chain recorded is gone: it was deleted outside the app",
        ),
        "cli.audit.row_added": (
            "{table}中的记录 {row} 不在审计链中：它是在应用之外添加的",
            "The {table} row {row} is not in the audit chain: it was added outside the app",
        ),
        "chain.table.visits": ("来访记录", "visits"),
        "chain.table.shifts": ("班次", "shifts"),
        "chain.table.shift_log": ("班次日志", "shift log"),
        "chain.table.staff": ("员工账号", "staff"),
        "chain.table.customers": ("客户名录", "customers"),
        "chain.table.leads": ("客户线索", "leads"),
        "chain.table.row_chain": ("行摘要", "row digests"),
        "backup.exists": (
            "{path} 已存在，备份不会覆盖它：请换一个文件名或文件夹。",
            "{path} already exists and a backup never overwrites: choose another name or folder.",
        ),
        "backup.bad": (
            "数据库 {path} 的审计日志校验未通过（{problem}），未写入备份。请先运行 lobby-tui audit verify 查明原因。",
            "The audit log of database {path} does not check out ({problem}); no backup was written. Run lobby-tui audit verify for what and where.",
        ),
        "restore.bad": (
            "备份 {path} 校验未通过（{problem}），未恢复，现有数据库未改动。请换一个备份。",
            "The backup {path} does not check out ({problem}); nothing was restored and the database was not changed. Use another backup.",
        ),
        "restore.in_use": (
            "数据库 {path} 正在使用中（应用或其他程序已打开它）：请先关闭应用再恢复；文件未改动。",
            "Database {path} is in use (the app or another program has it open): close the app, then restore. Nothing was changed.",
        ),
        "cli.backup.done": (
            "已备份到 {path}，附密钥 {keyfile} 和锚文件 {anchor}；校验通过：审计日志 {n} 条完整。三个文件请放在一起保存。",
            "Backed up to {path}, with its key {keyfile} and anchor {anchor}; checked: the audit log's {n} {n:entry is|entries are} intact. Keep the three files together.",
        ),
        "cli.restore.done": (
            "已从 {source} 恢复到 {path}；校验通过：审计日志 {n} 条完整。",
            "Restored {path} from {source}; checked: the audit log's {n} {n:entry is|entries are} intact.",
        ),
        "cli.restore.kept": (
            "原来的数据库保留在 {kept}（附其密钥和锚文件）。",
            "The database that was there is kept at {kept} (with its key and anchor).",
        ),
        "cli.check.ok": (
            "数据库 {path} 完好：文件无损坏，密钥相符，审计日志 {n} 条完整。",
            "Database {path} is sound: no damage found, its key fits, the audit log's {n} {n:entry is|entries are} intact.",
        ),
        "cli.check.audit": (
            "数据库 {path} 文件无损坏，但审计日志校验未通过：运行 lobby-tui audit verify 查看详情。",
            "Database {path} has no damage, but its audit log does not check out: run lobby-tui audit verify for what and where.",
        ),
    }
)
