"""Messages for who may do what (issue 14): sessions a PIN makes, the command line's sign-in (zh, en)."""

from lobby_tui.i18n import register

register(
    {
        "role.pin_needed": (
            "这需要主管以工号和密码登录后操作",
            "That needs a supervisor signed in with their staff id and PIN",
        ),
        "cli.auth.prompt_staff": ("工号：", "Staff id: "),
        "cli.auth.prompt_pin": ("密码：", "PIN: "),
        "cli.auth.needed": (
            "{command} 会读取或更改客户与员工资料：请给出工号和密码（在终端中输入，或设置 LOBBY_TUI_STAFF 和 LOBBY_TUI_PIN）",
            "{command} reads or changes customer and staff data: give a staff id and PIN (typed at a terminal, or $LOBBY_TUI_STAFF and $LOBBY_TUI_PIN)",
        ),
        "cli.auth.role": (
            "{command} 只能由以下角色运行：{roles}",
            "{command} may be run only by: {roles}",
        ),
    }
)
