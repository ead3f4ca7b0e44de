"""Screen text for the lobby-ready flows (errors, undo, resume, quitting), in both languages."""

from lobby_tui.i18n import register

register(
    {
        "error.unexpected_title": ("程序出错", "Something went wrong"),
        "error.unexpected_help": (
            "已输入的内容仍保留。按 R 返回刚才的屏幕继续；如果再次出现，请联系IT，详情已记录在日志中。",
            "What you typed is kept. Press R to go back to where you were; if it happens again, tell IT: "
            "the details are in the log.",
        ),
        "key.no": ("否", "No"),
        "pick.current": ("当前", "now"),
        "quit.question": (
            "退出大堂经理工作台？已确认的来访均已保存。",
            "Quit the lobby manager's app? Every confirmed visit is saved.",
        ),
        "quit.yes": ("退出", "Quit"),
        "quit.no": ("继续使用", "Stay"),
        "quit.locked": (
            "已锁屏：请先输入密码解锁，再退出。",
            "The screen is locked: unlock it with the PIN first, then quit.",
        ),
        "lock.empty": ("请输入密码解锁。", "Enter your PIN to unlock."),
        "lock.typing": (
            "锁屏时您正在输入，刚才的按键未作为密码。请输入密码。",
            "You were typing as the screen locked; those keys were not taken as a PIN. Enter the PIN.",
        ),
        "key.undo": ("撤销", "Undo"),
        "board.did.served": ("已办理", "Served"),
        "board.did.left": ("未办离开", "Left without service"),
        "board.did.waiting": ("重新等候", "Waiting again"),
        "board.did.redirected": ("已改去向", "Redirected"),
        "board.did_undo": (
            "{what}：{ticket} {dest}。{n} 秒内按 U 撤销。",
            "{what}: {ticket} {dest}. Press U within {n} s to undo.",
        ),
        "board.undone": ("已撤销：{ticket} 恢复原状态。", "Undone: {ticket} is as it was."),
        "board.left_served": (
            "{ticket} 已办理完毕。确定改为“未办离开”吗？",
            "{ticket} was already served. Record it as left without service instead?",
        ),
        "board.left_yes": ("改为未办离开", "Yes, left without service"),
        "board.left_no": ("保持已办理", "No, keep served"),
        "board.row_keys": (
            "S 已办理 · X 未办离开 · R 改去向；接待中的客户按回车继续接待。",
            "S served · X left · R redirect; Enter continues a greeting still in progress.",
        ),
        "error.fatal": (
            "程序出错，无法继续：{detail}。详情见日志 {log}。已确认的来访均已保存。",
            "the app met an error it cannot get past: {detail}. Details are in the log {log}. "
            "Every confirmed visit is saved.",
        ),
    }
)
