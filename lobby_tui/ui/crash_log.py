"""Where a fault in the app is written down: the traceback goes to a log file, never to the screen.

The file is $LOBBY_TUI_LOG, else lobby-tui.log in the user's log folder (platformdirs). Writing it
must never become a second fault, so any problem writing is swallowed and the path is still named.
"""

from __future__ import annotations

import os
import traceback
from datetime import datetime
from pathlib import Path


def crash_log_path() -> Path:
    explicit = os.environ.get("LOBBY_TUI_LOG")
    if explicit:
        return Path(explicit)
    import platformdirs

    return Path(platformdirs.user_log_dir("lobby-tui", appauthor=False)) / "lobby-tui.log"


def write_crash(exc: BaseException) -> str:
    """Append `exc` with its traceback to the log; return the log's path, for the message."""
    path = crash_log_path()
    try:
        from lobby_tui.files import open_private, private_dir

        private_dir(path.parent)  # the log names files and errors: the owner's alone (0700, 0600)
        with open_private(path, append=True) as f:
            f.write(f"--- {datetime.now().astimezone().isoformat(timespec='seconds')} unexpected error\n")
            f.write("".join(traceback.format_exception(exc)))
    except OSError:
        pass
    return str(path)
