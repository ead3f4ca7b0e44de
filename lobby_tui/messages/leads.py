"""Messages for leads and the account manager's home (issue 10), zh and en; merged into
lobby_tui.i18n.MESSAGES."""

from lobby_tui.i18n import register

register(
    {
        # ---------------------------------------------------------------- the store's refusals
        "lead.unknown": ("找不到该线索", "No such lead"),
        "lead.status_bad": (
            "未知的线索状态：{text}（可用：{choices}）",
            "Unknown lead status: {text} (one of: {choices})",
        ),
        "lead.already_taken": ("该线索已由{who}跟进", "This lead is already taken by {who}"),
        "lead.not_account_manager": (
            "工号 {staff_id} 不是在岗的客户经理",
            "Staff id {staff_id} is not an active account manager",
        ),
        "lead.closed": ("该线索已结束", "This lead is closed"),
        "lead.not_yours": ("这不是您跟进的线索，请先认领", "This is not a lead you have taken; take it first"),
        "lead.contact_bad": (
            "未知的联系结果：{text}（可用：{choices}）",
            "Unknown contact: {text} (one of: {choices})",
        ),
        "lead.converted_to_bad": ("请注明转化为：{choices}", "Say what it converted to: {choices}"),
        "role.account_manager": ("客户经理", "Account manager"),
        "cli.demo.account_manager": (
            "客户经理：工号 {am_id} 密码 {am_pin}",
            "Account manager: staff id {am_id}, PIN {am_pin}",
        ),
        # ---------------------------------------------------------------- words for a lead
        "lead.status.new": ("待认领", "New"),
        "lead.status.taken": ("已认领", "Taken"),
        "lead.status.contacted": ("已联系", "Contacted"),
        "lead.status.converted": ("已转化", "Converted"),
        "lead.status.declined": ("已婉拒", "Declined"),
        "lead.flag.quality": ("优质客户", "Quality"),
        "lead.flag.potential_quality": ("潜在优质", "Potential quality"),
        "lead.contact.phone": ("电话", "Phone"),
        "lead.contact.meeting": ("面谈", "Meeting"),
        "lead.contact.declined": ("婉拒", "Declined"),
        "lead.contact.converted": ("已转化", "Converted"),
        "lead.converted.wealth_account": ("理财金账户", "Wealth account"),
        "lead.converted.product": ("产品", "A product"),
        "lead.unassigned": ("未分配", "unassigned"),
        "lead.walk_in": ("未建档客户", "Walk-in"),
        "lead.bracket": ("{here}（他行计入：{total}）", "{here} (with other banks: {total})"),
        "lead.visits": ("来访{n}次", "{n} {n:visit|visits}"),
        # ---------------------------------------------------------------- figures
        "leads.title": ("客户经理线索", "Leads for account managers"),
        "leads.made": ("新增线索", "Leads made"),
        "leads.taken": ("已认领", "Taken"),
        "leads.contacted_within_day": ("一天内联系", "Contacted within a day"),
        "leads.converted": ("已转化", "Converted"),
        "trend.leads_made": ("新增线索", "Leads made"),
        "trend.leads_converted": ("线索转化", "Leads converted"),
        "leads.none": ("没有线索", "No leads"),
        "leads.col.customer": ("客户", "Customer"),
        "leads.col.status": ("状态", "Status"),
        "leads.col.owner": ("客户经理", "Account manager"),
        "leads.col.why": ("缘由", "Why"),
        "leads.col.made": ("登记时间", "Made"),
        # ---------------------------------------------------------------- the account manager's home
        "am.title": ("我的线索（最早的在前）", "My leads (oldest first)"),
        "am.empty": (
            "暂无线索。大堂识别的优质客户会出现在这里。",
            "No leads yet. Quality customers identified in the lobby appear here.",
        ),
        "am.hint": (
            "t 认领 · p 电话 · m 面谈 · d 婉拒 · c 转化 · b 交回",
            "t take · p phone · m meeting · d declined · c converted · b hand back",
        ),
        "am.done.taken": ("已认领：{who}", "Taken: {who}"),
        "am.done.contact": ("已记录：{who} · {what}", "Recorded: {who} · {what}"),
        "am.done.hand_back": ("已交回：{who}", "Handed back: {who}"),
        "am.converted_to": ("转化为？", "Converted to what?"),
        "am.sign_out": ("退出登录", "Sign out"),
        "key.take": ("认领", "Take"),
        "key.phone": ("电话", "Phone"),
        "key.meeting": ("面谈", "Meeting"),
        "key.declined": ("婉拒", "Declined"),
        "key.converted": ("转化", "Converted"),
        "key.hand_back": ("交回", "Hand back"),
        "key.assign": ("分配", "Assign"),
        # ---------------------------------------------------------------- the board and guidance
        "board.leads": ("客户经理线索", "Leads"),
        "board.lead_owner": ("{status}·{owner}", "{status} · {owner}"),
        "board.assign_to": ("分配给哪位客户经理？", "Assign to which account manager?"),
        "board.assigned": ("已分配给{who}", "Assigned to {who}"),
        "board.no_account_manager": ("没有在岗的客户经理账号", "No account manager account is active"),
        "board.lead_not_new": ("该线索已被认领，不能再分配", "That lead is taken already; it cannot be reassigned"),
        "pick.on_duty": ("在岗", "on duty"),
        "guide.lead": ("线索：{owner}", "Lead: {owner}"),
        "guide.booking": ("大额取现预约：{state}", "Large-cash booking: {state}"),
        "booking.unknown": ("未知", "unknown"),
        "booking.none_today": ("今日无预约", "none today"),
        "booking.booked": ("已预约 {time}", "booked {time}"),
        "booking.no_system": ("未接入预约系统，请人工核实", "no booking system is recorded; check by hand"),
    }
)
