"""Messages for appointments (issue 11): booking, the due list, check-in, the import, the figures;
zh and en, merged into lobby_tui.i18n.MESSAGES."""

from lobby_tui.i18n import register

register(
    {
        # ---------------------------------------------------------------- the store's refusals
        "appt.time_bad": ("时间应为 HH:MM（例如 09:30）：{text}", "A time is HH:MM (for example 09:30): {text}"),
        "appt.day_bad": (
            "日期应为 YYYY-MM-DD（例如 2026-11-19）：{text}",
            "A date is YYYY-MM-DD (for example 2026-11-19): {text}",
        ),
        "appt.day_past": ("预约日期不能早于今天：{text}", "An appointment cannot be before today: {text}"),
        "appt.time_past": ("今天的 {time} 已经过了", "{time} today has already passed"),
        "appt.kind_bad": (
            "未知的预约类型：{text}（可用：{choices}）",
            "Unknown kind of appointment: {text} (one of: {choices})",
        ),
        "appt.reason_needed": ("预约业务请注明办理什么业务", "A booked business needs the business it is for"),
        "appt.reason_bad": ("未知的业务：{text}", "Unknown business: {text}"),
        "appt.customer_unknown": ("名录中没有该客户", "No such customer in the directory"),
        "appt.customer_needed": ("请填写客户手机号", "Give the customer's mobile number"),
        "appt.customer_ambiguous": (
            "该手机号对应多位客户，请在应用中按名录查找后预约",
            "Several customers have that mobile number: book in the app, from the directory",
        ),
        "appt.amount_bad": ("金额应大于零", "The amount must be more than zero"),
        "appt.amount_needed": ("大额取现预约请填写金额", "A large cash withdrawal needs its amount"),
        "appt.not_account_manager": (
            "工号 {staff_id} 不是在岗的客户经理",
            "Staff id {staff_id} is not an active account manager",
        ),
        "appt.staff_needed": ("客户经理面谈请选择客户经理", "A meeting needs the account manager it is with"),
        "appt.already_booked": ("该客户 {day} {time} 已有预约", "This customer is already booked for {day} {time}"),
        "appt.unknown": ("找不到该预约", "No such appointment"),
        "appt.not_booked": ("该预约已不是待到店状态", "This appointment is no longer waiting for its customer"),
        "appt.not_due": ("该预约不是今天的", "This appointment is not for today"),
        "appt.checked_in": ("该预约已签到", "This appointment is already checked in"),
        "appt.formula": (
            "“{column}”一栏看起来像电子表格公式，未导入",
            "The {column} cell looks like a spreadsheet formula: not imported",
        ),
        "appt.header_missing": (
            "表头缺少必需的列：{columns}（文件表头为：{found}）",
            "The header lacks required columns: {columns} (the file's header: {found})",
        ),
        "appt.row_short": ("本行只有 {n} 栏，少于表头", "This row has only {n} cells, fewer than the header"),
        # ---------------------------------------------------------------- words
        "appt.kind.large_cash": ("大额取现", "Large cash withdrawal"),
        "appt.kind.meeting": ("客户经理面谈", "Account manager meeting"),
        "appt.kind.business": ("预约业务", "Booked business"),
        "appt.status.booked": ("待到店", "Due"),
        "appt.status.arrived": ("已到店", "Arrived"),
        "appt.status.late": ("迟到", "Late"),
        "appt.status.no_show": ("未到", "No-show"),
        "appt.status.overdue": ("已过时", "Overdue"),
        "appt.figures.title": ("预约", "Appointments"),
        "appt.figures.booked": ("预约", "Booked"),
        "appt.figures.arrived": ("到店", "Arrived"),
        "appt.figures.late": ("迟到", "Late"),
        "appt.figures.no_show": ("未到", "No-show"),
        "chain.table.appointments": ("预约", "appointments"),
        # ---------------------------------------------------------------- the screens
        "key.book": ("预约登记", "Book"),
        "key.check_in": ("预约签到", "Booked in"),
        "board.due": ("预约：{list}", "Due: {list}"),
        "appt.more": ("等{n}位", "+{n}"),
        "appt.due_title": ("一小时内到店的预约（回车签到）", "Due in the next hour (Enter checks in)"),
        "appt.none_due": ("一小时内没有预约客户", "Nobody is booked for the next hour"),
        "appt.col.time": ("时间", "Time"),
        "appt.col.customer": ("客户", "Customer"),
        "appt.col.what": ("业务", "Business"),
        "appt.col.with": ("约见", "With"),
        "appt.col.state": ("状态", "State"),
        "appt.book_title": ("预约登记", "Book an appointment"),
        "appt.lookup_title": ("预约登记 · 查找客户", "Book · find the customer"),
        "appt.pick_customer": ("请先查找并选择客户", "Find and pick the customer first"),
        "appt.for": ("客户：{who}", "Customer: {who}"),
        "appt.field.kind": ("预约类型", "Kind"),
        "appt.field.day": ("日期（YYYY-MM-DD）", "Date (YYYY-MM-DD)"),
        "appt.field.time": ("时间（HH:MM）", "Time (HH:MM)"),
        "appt.field.reason": ("业务", "Business"),
        "appt.field.amount": ("金额（万元，大额取现必填）", "Amount (万, for a large withdrawal)"),
        "appt.field.staff": ("约见客户经理", "Account manager met"),
        "appt.reason_default": ("按预约类型", "As the kind says"),
        "appt.staff_none": ("不约见", "Nobody"),
        "appt.time_needed": ("请填写时间", "Enter a time"),
        "appt.booked_done": ("已预约：{who} {day} {time}", "Booked: {who} {day} {time}"),
        "appt.checked_in_done": ("已签到：{who}（预约 {time}）", "Checked in: {who} (booked {time})"),
        "appt.checked_in_late": ("已签到：{who}（预约 {time}，迟到）", "Checked in: {who} (booked {time}, late)"),
        "guide.booked": ("预约 {time} · {what}", "Booked {time} · {what}"),
        "guide.booked_with": ("约见{who}", "with {who}"),
        "appt.why_meeting": ("已预约与客户经理{who}面谈", "Booked to meet {who}, account manager"),
        "greet.due": ("预约客户（B 签到）：{list}", "Booked (B checks in): {list}"),
        "am.appointments": ("今日预约：{list}", "Booked today: {list}"),
        "am.appt_arrived": ("{who}已到店（预约 {time}）", "{who} is here (booked {time})"),
        # ---------------------------------------------------------------- the command line
        "help.cmd.import-appointments": (
            "从 CSV 文件导入预约（大额取现、客户经理面谈、预约业务）",
            "import appointments (large withdrawals, meetings, booked business) from a CSV file",
        ),
        "help.opt.import-appointments.file": (
            "预约 CSV 文件（UTF-8 或 GBK；各列见 README）",
            "the appointments' CSV file (UTF-8 or GBK; the columns are in the README)",
        ),
        "help.opt.import-appointments.encoding": (
            "文件编码：utf-8 或 gbk（默认自动识别）",
            "the file's encoding: utf-8 or gbk (default: found from the file)",
        ),
        "import.appointments.done": (
            "已导入 {imported} 条预约，{already} 条此前已有，{refused} 行未导入",
            "{imported} {imported:appointment|appointments} imported, {already} booked already, {refused} {refused:row|rows} refused",
        ),
        "import.appointments.refused": (
            "有 {refused} 行未导入（见上）；改正后重新导入即可，已导入的不会重复",
            "{refused} {refused:row was|rows were} not imported (see above); correct {refused:it|them} and import again: appointments already in are not doubled",
        ),
    }
)
