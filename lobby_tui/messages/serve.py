"""Messages for the serve feature (zh, en); merged into lobby_tui.i18n.MESSAGES."""

from lobby_tui.i18n import register

register(
    {
        "serve.port_bad": ("端口应为1到65535之间的整数：{text}", "A port is a whole number from 1 to 65535: {text}"),
        "serve.host_empty": ("请给出要监听的地址（--host）", "Give an address to listen on (--host)"),
        "serve.host_bad": ("无法在地址 {host} 上提供服务：{detail}", "Cannot serve on address {host}: {detail}"),
        "serve.port_in_use": (
            "地址 {host} 的端口 {port} 已被占用，请换一个端口（--port）",
            "Port {port} on {host} is already in use; choose another with --port",
        ),
        "serve.port_denied": (
            "无权使用端口 {port}（1024以下的端口需要管理员权限），请换一个端口（--port）",
            "Not allowed to use port {port} (ports below 1024 need administrator rights); choose another with --port",
        ),
        "serve.count_bad": ("会话数应为正整数：{text}", "A number of sessions is a whole number from 1: {text}"),
        "serve.full": (
            "会话已满（共 {total} 个，其中 {waiting} 个尚未登录）：请关闭不用的标签页，或等待空闲的会话锁定后再试",
            "No room for another session ({total} open, {waiting} not signed in yet): close tabs not in use, or try again shortly",
        ),
        "serve.bad_host": (
            "拒绝了一个地址不符的请求（Host：{host}）：只有 --host 或 --allow-host 给出的地址可以访问",
            "Refused a request for another address (Host: {host}): only the addresses given with --host or --allow-host are served",
        ),
        "serve.no_staff": (
            "数据库 {path} 还没有员工账号：请先在本机运行 lobby-tui --db 该文件，创建第一个主管账号，再向网络提供服务",
            "Database {path} has no staff accounts yet: run lobby-tui --db with it on this machine first to create the first supervisor, then serve it to the network",
        ),
        "serve.listening": (
            "正在为浏览器提供大堂经理工作台：{url}（数据库 {path}）",
            "Serving the lobby app to browsers at {url} (database {path})",
        ),
        "serve.loopback_only": (
            "仅本机可访问；如需让网点平板访问，请参阅 README 中的 --host 说明",
            "Only this machine can connect; to let the branch's tablets in, see --host in the README",
        ),
        "serve.every_session": (
            "每个浏览器标签页都是独立的会话，须用工号和密码登录",
            "Every browser tab is a session of its own and signs in with a staff id and PIN",
        ),
        "serve.stop_hint": ("按 Ctrl+C 停止", "Press Ctrl+C to stop"),
        "serve.stopping": ("正在停止：结束 {n} 个会话…", "Stopping: ending {n} {n:session|sessions}…"),
        "serve.stopped": ("已停止；已确认的来访均已保存", "Stopped; every confirmed visit is saved"),
        "serve.session_killed": (
            "会话进程 {pid} 未能按时退出，已强制结束",
            "Session process {pid} did not end in time and was stopped by force",
        ),
    }
)
