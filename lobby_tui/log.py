"""The app's one log: a rotating file, $LOBBY_TUI_LOG or lobby-tui.log in the user's log folder
(platformdirs.user_log_dir("lobby-tui")), 1 MB a file, five old files kept (lobby-tui.log.1 …).

What it holds: start and stop, sign-ins and sign-outs (staff id only), every error with its traceback,
imports and exports with their counts, serve sessions opening and closing. Never a customer's name,
phone, ID or card number: callers pass codes and counts only, and as a second line of defence every
line (tracebacks too) has any run of 7 or more digits, and an ID number ending in X, blotted out.

Writing the log must never become a second fault: a log that cannot be written is silently skipped,
and its path is still named (the error screen and the fatal line say where it is).
"""

from __future__ import annotations

import os
import re
import threading
from pathlib import Path
from typing import Any

MAX_BYTES = 1_000_000
BACKUPS = 5
# 7+ digits (phone, card, ID, its X), or a phone or card written in groups (138-1234-5678, 6222 0212 …).
_NUMBERS = re.compile(r"\d{6,}[\dXx]|\d{3}[ -]\d{4}[ -]\d{4}|(?:\d{4}[ -]){3}\d{2,4}")
_lock = threading.Lock()
_ready: list[Path] = []


def log_path() -> Path:
    explicit = os.environ.get("LOBBY_TUI_LOG")
    if explicit:
        return Path(explicit)
    import platformdirs

    return Path(platformdirs.user_log_dir("lobby-tui", appauthor=False)) / "lobby-tui.log"


def scrub(text: str) -> str:
    """`text` with anything that could be a phone, ID or card number blotted out."""
    return _NUMBERS.sub(lambda m: "#" * len(m.group()), text)


def logger() -> Any:
    """The "lobby_tui" logger, its file handler set up on first use (again if $LOBBY_TUI_LOG moved).
    `logging` is imported here, not at the top: the commands import this module, and start-up stays fast."""
    import logging
    from logging.handlers import RotatingFileHandler

    class Scrubbed(logging.Formatter):
        """Scrubs the message and the traceback (not the time and process id in front of them)."""

        def format(self, record: logging.LogRecord) -> str:
            record.msg, record.args = scrub(record.getMessage()), None
            return super().format(record)

        def formatException(self, ei: Any) -> str:  # noqa: N802 - logging's name
            return scrub(super().formatException(ei))

    class Quiet(RotatingFileHandler):
        def _open(self) -> Any:  # each file of the log, the rotated ones too, owner-only (0600)
            from lobby_tui.files import create_private

            create_private(self.baseFilename)
            return super()._open()

        def handleError(self, record: logging.LogRecord) -> None:  # noqa: N802 - logging's name
            pass  # a log that cannot be written is not a second fault

    log = logging.getLogger("lobby_tui")
    path = log_path()
    with _lock:
        if _ready and _ready[0] == path:
            return log
        for old in list(log.handlers):
            log.removeHandler(old)
            old.close()
        _ready[:] = [path]
        log.setLevel(logging.INFO)
        log.propagate = False
        try:
            from lobby_tui.files import private_dir

            private_dir(path.parent)  # the log's folder 0700
            handler = Quiet(path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8", delay=True)
        except OSError:
            log.addHandler(logging.NullHandler())
            return log
        handler.setFormatter(Scrubbed("%(asctime)s %(levelname)s [%(process)d] %(message)s"))
        log.addHandler(handler)
    return log


def _fields(fields: dict[str, object]) -> str:
    return " ".join(f"{key}={value}" for key, value in fields.items() if value is not None)


def log_event(event: str, **fields: object) -> None:
    """One line: `event` and its fields (codes and counts only, never a name, phone, ID or card)."""
    try:
        logger().info("%s %s", event, _fields(fields))
    except Exception:  # noqa: BLE001 - never a second fault
        pass


def log_error(exc: BaseException, what: str = "unexpected error") -> str:
    """`exc` with its traceback; the log's path, for the message that names it."""
    try:
        logger().error(what, exc_info=(type(exc), exc, exc.__traceback__))
    except Exception:  # noqa: BLE001 - never a second fault
        pass
    return str(log_path())
