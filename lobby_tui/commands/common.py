"""What every command shares: one-line usage errors, the database path, dates, consoles."""

from __future__ import annotations

import argparse
import os
from datetime import date
from pathlib import Path
from typing import Any, NoReturn


class UsageError(Exception):
    """Bad arguments: exit status 2."""


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # one line, not argparse's usage block
        raise UsageError(f"{self.prog}: {message}")


def default_db_path() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("lobby_tui", appauthor=False)) / "lobby.db"


def resolve_db(arg: str | None) -> Path:
    return Path(arg or os.environ.get("LOBBY_TUI_DB") or default_db_path()).expanduser()


def parse_date(text: str | None) -> date | None:
    from lobby_tui.domain.errors import InputError

    if text is None:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InputError("date.bad", text=text[:20]) from None


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must not be negative: {text!r}")
    return value


def stderr_console() -> Any:
    from rich.console import Console

    return Console(stderr=True)


def stdout_console() -> Any:
    from rich.console import Console

    return Console()


def db_option(parser: argparse.ArgumentParser) -> None:
    """--db and --lang, accepted before or after the command name."""
    parser.add_argument(
        "--db", default=argparse.SUPPRESS, help="database file (default: $LOBBY_TUI_DB, then your data folder)"
    )
    parser.add_argument(
        "--lang",
        choices=("zh", "en"),
        default=argparse.SUPPRESS,
        help="language (default: $LOBBY_TUI_LANG, then the locale)",
    )


def store_for(args: argparse.Namespace) -> Any:
    from lobby_tui.store import LobbyStore

    return LobbyStore(resolve_db(getattr(args, "db", None)))
