"""Messages of `lobby-tui config` (zh, en); merged into lobby_tui.i18n.MESSAGES."""

from lobby_tui.i18n import register

register(
    {
        "config.folders": ("配置文件夹（依次生效，后者优先）：", "Config folders (applied in this order, later wins):"),
        "config.folder": ("  {kind:<5} {path}{missing}", "  {kind:<5} {path}{missing}"),
        "config.missing": ("（不存在）", " (not there)"),
        "config.file": ("{name}：默认 {default}", "{name}: default {default}"),
        "config.overrides": ("  覆盖文件：{files}", "  overridden by: {files}"),
        "config.no_overrides": ("  无覆盖，全部为默认值", "  no overrides: all defaults"),
        "config.default": ("默认", "default"),
        "config.ok": ("{name}：正确（{n} 个覆盖文件）", "{name}: OK ({n} override {n:file|files})"),
        "config.all_ok": ("所有设置均正确。", "Every setting is valid."),
        "error.log_at": ("日志：{path}", "Log: {path}"),
        "config.action": (
            "请说明要做什么：lobby-tui config show [--json] 或 lobby-tui config check",
            "say what to do: lobby-tui config show [--json] or lobby-tui config check",
        ),
    }
)
