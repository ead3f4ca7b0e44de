"""Messages for waits and wait estimates (issue 11), zh and en; merged into lobby_tui.i18n.MESSAGES."""

from lobby_tui.i18n import register

register(
    {
        # ---------------------------------------------------------------- tickets (store, CLI)
        "ticket.unknown": ("今天没有这个号：{ticket}", "No such ticket today: {ticket}"),
        "ticket.other_day": (
            "{ticket} 是 {day} 的号，不是今天的",
            "Ticket {ticket} is from {day}, not today",
        ),
        "ticket.not_waiting": (
            "{ticket} 已不在等候（{outcome}），不能叫号或办结",
            "Ticket {ticket} is no longer waiting ({outcome}): nothing to call or finish",
        ),
        "ticket.already_called": ("{ticket} 已于 {time} 叫号", "Ticket {ticket} was already called at {time}"),
        "ticket.called": ("已叫号：{ticket}（{time}）", "Called: {ticket} ({time})"),
        "ticket.done": ("已办结：{ticket}（{time}）", "Done: {ticket} ({time})"),
        "ticket.usage": (
            "lobby-tui ticket：请说明操作：lobby-tui ticket call|done [--db 路径] 号码",
            "lobby-tui ticket: say what to do: lobby-tui ticket call|done [--db PATH] TICKET",
        ),
        "windows.bad": ("窗口数须为 0 到 {max}：{n}", "Windows must be from 0 to {max}: {n}"),
        # ---------------------------------------------------------------- help
        "help.cmd.ticket": (
            "柜台报告叫号或办结（叫号系统、柜员脚本用）：已叫号的客户不再计入等候",
            "a counter reports a ticket called or done (for a queue-calling system or a teller's script)",
        ),
        "help.opt.ticket.ticket_action": ("call 叫号 或 done 办结", "call or done"),
        "help.cmd.ticket.call": (
            "该号已叫到窗口：不再计入等候",
            "the ticket was called to a window: no longer waiting",
        ),
        "help.cmd.ticket.done": ("该号已办结：记为已办理", "the ticket's service is done: served"),
        "help.opt.ticket.call.ticket": ("今天的号码，如 A012", "today's ticket number as printed, e.g. A012"),
        "help.opt.ticket.done.ticket": ("今天的号码，如 A012", "today's ticket number as printed, e.g. A012"),
        # ---------------------------------------------------------------- the board
        "board.col.wait": ("等候", "Wait"),
        "board.wait_min": ("{n}分", "{n}m"),
        "board.about": ("约{n}分钟", "about {n} min"),
        "board.about_short": ("≈{n}分", "≈{n}m"),
        "board.closed": ("暂停", "closed"),
        "board.no_wait": ("无需等候", "no wait"),
        "outcome.called": ("已叫号", "Called"),
        "key.call": ("叫号", "Call"),
        "key.done": ("办结", "Done"),
        "key.windows": ("窗口", "Windows"),
        "key.offer": ("久候关怀", "Long wait"),
        "key.more": ("多开一个", "One more"),
        "key.up": ("上一个", "Up"),
        "key.down": ("下一个", "Down"),
        "key.fewer": ("少开一个", "One fewer"),
        "board.did.called": ("已叫号", "Called"),
        "board.did.done": ("已办结", "Done"),
        "board.not_waiting": ("{ticket} 已不在等候", "{ticket} is no longer waiting"),
        "board.long_waits": ("久候{n}位（O）", "{n} long wait (O)"),
        "board.long_wait_notice": (
            "{ticket} 已等候 {n} 分钟：按 O 安抚、改去向或优先办理",
            "{ticket} has waited {n} min: O to comfort, redirect or give priority",
        ),
        "board.offer_title": ("{ticket} 已等候 {n} 分钟", "{ticket} has waited {n} min"),
        "board.offer.comfort": ("安抚致歉（送水、说明进度）", "Comfort (apologise, offer water, say how long)"),
        "board.offer.redirect": ("改去向", "Redirect"),
        "board.offer.priority": ("优先办理（转贵宾柜台）", "Priority (to the priority counter)"),
        "board.offered.comfort": ("已记录：{ticket} 已安抚", "Noted: {ticket} comforted"),
        "board.offer_not_long": (
            "{ticket} 等候未满 {n} 分钟",
            "{ticket} has not waited {n} min yet",
        ),
        "windows.title": ("开放窗口数", "Windows open"),
        "windows.hint": (
            "↑↓ 选去向，数字键或 +/- 改窗口数（0 = 暂停），Esc 返回",
            "↑↓ pick, a digit or +/- sets the windows (0 = closed), Esc back",
        ),
        "windows.row": ("{dest}  {n}个窗口", "{dest}  {n} open"),
        "windows.row_closed": ("{dest}  暂停", "{dest}  closed"),
        "windows.set": ("{dest}：{n}个窗口", "{dest}: {n} windows open"),
    }
)
