"""Shared fixtures. Keep each one small and clearly named: other test modules add theirs here too."""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from lobby_tui.store import LobbyStore

# Never the developer's settings or log: the config folders (site, user) and the log folder that
# platformdirs finds are empty ones of this run's own (subprocesses inherit them), and no
# $LOBBY_TUI_CONFIG. A test that wants an override sets LOBBY_TUI_CONFIG itself.
_HOME = Path(tempfile.mkdtemp(prefix="lobby-tui-tests-"))
os.environ.update(
    XDG_CONFIG_HOME=str(_HOME / "config"), XDG_CONFIG_DIRS=str(_HOME / "site"), XDG_STATE_HOME=str(_HOME / "state")
)
os.environ.pop("LOBBY_TUI_CONFIG", None)

BEIJING = timezone(timedelta(hours=8))
FIXED_NOW = datetime(2026, 11, 18, 10, 30, tzinfo=BEIJING)


@pytest.fixture
def fixed_clock() -> Callable[[], datetime]:
    """A clock stuck at 2026-11-18 10:30 Beijing time (a Wednesday morning in the lobby)."""
    return lambda: FIXED_NOW


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """Where a test's database file lives (created on first use)."""
    return tmp_path / "lobby.db"


@pytest.fixture
def store(db_path: Path, fixed_clock: Callable[[], datetime]) -> Iterator[LobbyStore]:
    """A LobbyStore on a fresh file in tmp_path with the fixed clock; closed afterwards."""
    s = LobbyStore(db_path, clock=fixed_clock)
    s.check()
    yield s
    s.close()


# A full mainland mobile number, resident ID number or card number, standing alone (issue 14: no
# message shows one). Card numbers from 13 digits: a UUID's longest group (12 hex digits) never matches.
FULL_NUMBER = re.compile(r"(?<![0-9A-Za-z])(?:1[3-9][0-9]{9}|[0-9]{17}[0-9Xx]|[0-9]{13,19})(?![0-9A-Za-z])")


def full_numbers(text: str) -> list[str]:
    """The full phone, ID and card numbers in `text` (what every command's output must never hold)."""
    return FULL_NUMBER.findall(text)


# The command-line sign-in (issue 14): export, lookup and the imports need a staff id and PIN on a
# database that has staff. The tests' databases give these accounts these PINs.
CLI_SUPERVISOR = ("9001", "135790")
CLI_MANAGER = ("1001", "246810")


def cli_env(staff: tuple[str, str] = CLI_SUPERVISOR) -> dict[str, str]:
    """The variables a script sets to run those commands as `staff`."""
    return {"LOBBY_TUI_STAFF": staff[0], "LOBBY_TUI_PIN": staff[1]}


@pytest.fixture
def cli_staff(monkeypatch: pytest.MonkeyPatch) -> tuple[str, str]:
    """The supervisor's staff id and PIN in $LOBBY_TUI_STAFF / $LOBBY_TUI_PIN, for commands run in process."""
    for name, value in cli_env().items():
        monkeypatch.setenv(name, value)
    return CLI_SUPERVISOR
