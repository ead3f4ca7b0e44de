"""Where a fault in the app is written down: the traceback goes to the app's one log (lobby_tui/log.py:
$LOBBY_TUI_LOG, else lobby-tui.log in the user's log folder), never to the screen. Writing it must
never become a second fault, so any problem writing is swallowed and the path is still named."""

from __future__ import annotations

from pathlib import Path

from lobby_tui.log import log_error, log_path


def crash_log_path() -> Path:
    return log_path()


def write_crash(exc: BaseException) -> str:
    """Append `exc` with its traceback to the log; return the log's path, for the message."""
    return log_error(exc)
