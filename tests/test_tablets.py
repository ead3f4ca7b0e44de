"""Several tablets on one branch database (lobby-tui serve): each browser is its own device, kept in a
cookie and handed to its session; two tablets' shifts and visits never mix, a tablet's shift is still
its own after a reload, and queue numbers stay unique per destination per day across all tablets."""

from __future__ import annotations

import shlex
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from lobby_tui.commands.serve import DEVICE_COOKIE, LobbyServer, session_command, tablet_id
from lobby_tui.domain.guidance import Recommendation
from lobby_tui.store import LobbyStore

TABLET_A = "0b6f1c2e-6d1e-4c8e-9d7a-2f1e3c4d5a6b"
TABLET_B = "7c1d2e3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f"


def test_tablet_id_accepts_only_what_we_hand_out() -> None:
    assert tablet_id(TABLET_A) == TABLET_A
    assert tablet_id(TABLET_A.upper()) == TABLET_A
    for bad in (None, "", "x", "1; rm -rf /", TABLET_A + "'", "{" + TABLET_A + "}"):
        assert tablet_id(bad) is None


def test_session_command_carries_the_device(tmp_path: Path) -> None:
    command = session_command(tmp_path / "b.db", "zh", TABLET_A)
    assert command.startswith(f"export LOBBY_TUI_DEVICE={TABLET_A}; exec ")
    assert shlex.split(command.split("; ", 1)[1])[-4:] == ["--db", str(tmp_path / "b.db"), "--lang", "zh"]
    assert "LOBBY_TUI_DEVICE" not in session_command(tmp_path / "b.db", "en")


async def test_the_page_gives_each_browser_a_device_its_session_gets(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """GET / sets the cookie (a new id, or the same one again); the websocket's session command has it."""
    from aiohttp.test_utils import TestClient, TestServer

    started: list[str] = []

    class FakeService:
        def __init__(self, command: str, **kwargs: Any) -> None:
            started.append(command)
            self._process = None
            self._task = None

        async def start(self, width: int, height: int) -> None:
            raise ConnectionError  # ends the handler at once: only the command matters here

        async def stop(self) -> None:
            return None

    import textual_serve.app_service

    monkeypatch.setattr(textual_serve.app_service, "AppService", FakeService)
    db = tmp_path / "branch.db"
    server = LobbyServer(session_command(db, "en"), lang="en", db=db, bound="127.0.0.1")
    async with TestClient(TestServer(server.make_app(), host="127.0.0.1")) as client:
        server.port = client.port  # the Host header names the test server's port (serve's host check)
        first = await client.get("/")
        assert first.status == 200
        device = tablet_id(first.cookies[DEVICE_COOKIE].value)
        assert device is not None
        assert "httponly" in first.headers["Set-Cookie"].lower()
        again = await client.get("/")  # a reload: the browser sends its cookie back
        assert again.cookies[DEVICE_COOKIE].value == device
        ws = await client.ws_connect("/ws")
        await ws.close()
        other = TestClient(TestServer(server.make_app(), host="127.0.0.1"))  # another tablet: a browser of its own
    assert started and f"export LOBBY_TUI_DEVICE={device}; " in started[0]
    async with other:
        server.port = other.port
        second = await other.get("/")
        assert tablet_id(second.cookies[DEVICE_COOKIE].value) not in (None, device)


@pytest.fixture
def tablets(db_path: Path, fixed_clock: Callable[[], datetime]) -> tuple[LobbyStore, LobbyStore]:
    setup = LobbyStore(db_path, clock=fixed_clock)
    setup.add_staff("1001", "Li", "lobby_manager", "246810")
    setup.add_staff("1002", "Wang", "lobby_manager", "357911")
    setup.add_staff("9001", "Supervisor", "supervisor", "135790")
    setup.close()
    return (
        LobbyStore(db_path, clock=fixed_clock, device_id=TABLET_A),
        LobbyStore(db_path, clock=fixed_clock, device_id=TABLET_B),
    )


def test_two_tablets_never_collide(tablets: tuple[LobbyStore, LobbyStore], db_path: Path) -> None:
    a, b = tablets
    shift_a = a.open_shift("1001")
    shift_b = b.open_shift("1002")
    assert (shift_a.device_id, shift_b.device_id) == (TABLET_A, TABLET_B)
    # The same lobby manager on a second tablet gets a shift of that tablet, not the first one's.
    assert b.open_shift("1001").id != shift_a.id
    # A reload is a new session of the same tablet: the same open shift.
    reloaded = LobbyStore(db_path, device_id=TABLET_A, clock=a.clock)
    assert reloaded.open_shift("1001").id == shift_a.id
    reloaded.close()
    recommendation = Recommendation("cash_counter", None, {"zh": "", "en": ""}, ())
    tickets = []
    for n in range(6):
        store, shift = (a, shift_a) if n % 2 == 0 else (b, shift_b)
        visit = store.start_visit(reason="cash_withdrawal", shift_id=shift.id, staff_id=shift.staff_id)
        confirmed = store.confirm_visit(
            visit, classification=None, recommendation=recommendation, destination="cash_counter"
        )
        assert confirmed.device_id == store.device_id
        tickets.append(confirmed.ticket)
    assert len(set(tickets)) == 6  # one counter per destination per day, whichever tablet asks
    rows = a.query("SELECT device_id, count(*) AS n FROM visits GROUP BY device_id ORDER BY device_id")
    assert [(r["device_id"], r["n"]) for r in rows] == [(TABLET_A, 3), (TABLET_B, 3)]
    audit_devices = {r["device_id"] for r in a.query("SELECT device_id FROM audit WHERE action = 'shift_opened'")}
    assert {TABLET_A, TABLET_B} <= audit_devices
    a.close()
    b.close()
