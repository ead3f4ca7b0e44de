"""Waits on the board (issue 11): a ticket called from the command line leaves the board's queue at
the next refresh; `c`, `d`, `w` and `o` on the board; snapshots of the windows dialog and the long-wait
offer at 60x20 and 80x24 in both languages."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from lobby_tui.domain.guidance import Recommendation
from lobby_tui.store import LobbyStore
from lobby_tui.ui.screens.board import BoardScreen
from lobby_tui.ui.widgets.plain_lists import DataTable

from .conftest import UI_NOW, settle, sign_in, until
from .typing import burst

SIZES = [(60, 20), (80, 24)]
matrix = pytest.mark.parametrize("lang", ["zh", "en"])
sizes = pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")


def queue(path: Path, destination: str = "cash_counter", n: int = 3, minutes_ago: int = 0) -> list[str]:
    """`n` customers confirmed to `destination` `minutes_ago` minutes before the UI's now."""
    store = LobbyStore(path, clock=lambda: UI_NOW - timedelta(minutes=minutes_ago), device_id="tablet-test")
    ids = []
    for _ in range(n):
        visit_id = store.start_visit(reason="cash_withdrawal", shift_id=None, staff_id="1001")
        rec = Recommendation(destination, None, {"zh": "", "en": ""}, ())
        store.confirm_visit(visit_id, classification=None, recommendation=rec, destination=destination)
        ids.append(visit_id)
    store.close()
    return ids


def board(pilot) -> BoardScreen:  # type: ignore[no-untyped-def]
    screen = pilot.app.screen
    assert isinstance(screen, BoardScreen)
    return screen


async def test_a_ticket_called_from_the_command_line_leaves_the_boards_queue(make_app, ui_db: Path) -> None:
    queue(ui_db, n=2)
    app = make_app("en")
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        screen = board(pilot)
        assert screen.board is not None and screen.board.waiting["cash_counter"] == 2
        # A counter's script on the same file (another connection, as `lobby-tui ticket call` is).
        counter = LobbyStore(ui_db, clock=lambda: UI_NOW, device_id="counter")
        counter.call_ticket("A001", source="cli")
        counter.close()
        screen.refresh_board()  # what the 5-second timer does
        await until(pilot, lambda: screen.board is not None and screen.board.waiting["cash_counter"] == 1)
        await settle(pilot)
        assert "Cash counter 1" in str(pilot.app.screen.query_one("#wait-cash_counter").render())
        table = pilot.app.screen.query_one("#recent", DataTable)
        statuses = {table.get_row(key)[1].plain: table.get_row(key)[2].plain for key in table.rows}
        assert statuses == {"A001": "Called", "A002": "Waiting"}


async def test_call_done_and_undo_on_the_board(make_app, ui_db: Path, check_store: LobbyStore) -> None:
    first, second = queue(ui_db, n=2)
    app = make_app("en")
    async with app.run_test(size=(60, 20)) as pilot:
        await sign_in(pilot)
        # The newest (A002) is at the top: c calls it, the cursor moves on to A001, d finishes that.
        await burst(pilot, "c", "d")
        await settle(pilot)
        assert check_store.get_visit(second).called_ts == UI_NOW.isoformat()
        done = check_store.get_visit(first)
        assert done.outcome == "served" and done.done_ts is not None
        await burst(pilot, "u")
        await settle(pilot)
        assert check_store.get_visit(first).outcome == "waiting" and check_store.get_visit(first).done_ts is None
        actions = [e["action"] for e in check_store.audit_entries(10)]
        assert {"ticket_called", "ticket_done", "outcome_undone"} <= set(actions)


async def test_windows_set_on_the_board_change_the_estimate(make_app, ui_db: Path, check_store: LobbyStore) -> None:
    queue(ui_db, n=4)
    app = make_app("en")
    async with app.run_test(size=(60, 20)) as pilot:
        await sign_in(pilot)
        before = board(pilot).board.estimates["cash_counter"].minutes  # type: ignore[union-attr]
        await burst(pilot, "w", "1")  # the first destination (cash counter): one window
        await settle(pilot)
        assert check_store.open_windows()["cash_counter"] == 1
        await burst(pilot, "down", "0", "escape")  # non-cash counter closed
        await settle(pilot)
        assert check_store.open_windows()["non_cash_counter"] == 0
        screen = board(pilot)
        await until(
            pilot, lambda: screen.board is not None and screen.board.estimates["non_cash_counter"].minutes is None
        )
        after = screen.board.estimates["cash_counter"].minutes  # type: ignore[union-attr]
        assert before is not None and after is not None and after > before
        assert "closed" in str(screen.query_one("#wait-non_cash_counter").render())
        entries = [e for e in check_store.audit_entries(10) if e["action"] == "windows_set"]
        assert len(entries) == 2 and all(e["staff_id"] == "1001" for e in entries)


async def test_a_long_wait_is_marked_and_offered(make_app, ui_db: Path, check_store: LobbyStore) -> None:
    (long,) = queue(ui_db, n=1, minutes_ago=25)
    queue(ui_db, n=1)
    app = make_app("en")
    async with app.run_test(size=(60, 20)) as pilot:
        await sign_in(pilot)
        table = pilot.app.screen.query_one("#recent", DataTable)
        waits = {table.get_row(key)[1].plain: table.get_row(key)[3] for key in table.rows}
        assert waits["A001"].plain == "!25m" and "reverse" in str(waits["A001"].style)  # not colour alone
        assert waits["A002"].plain == "0m"
        assert "1 long wait" in str(pilot.app.screen.query_one("#board-status").render())
        # o offers the longest waiter even with the cursor elsewhere; 3 gives them priority.
        await burst(pilot, "o", "3")
        await settle(pilot)
        moved = check_store.get_visit(long)
        assert moved.destination == "priority_counter" and moved.ticket == "V001"
        offer = next(e for e in check_store.audit_entries(10) if e["action"] == "long_wait_offer")
        assert '"choice": "priority"' in offer["detail"] and '"minutes": 25' in offer["detail"]


@matrix
@sizes
def test_windows_dialog(snap_compare, make_app, ui_db, lang, size):
    queue(ui_db, n=2)

    async def run_before(pilot):
        await sign_in(pilot)
        await pilot.press("w")
        await settle(pilot)

    assert snap_compare(make_app(lang), terminal_size=size, run_before=run_before)


@matrix
@sizes
def test_long_wait_offer(snap_compare, make_app, ui_db, lang, size):
    queue(ui_db, n=1, minutes_ago=32)
    queue(ui_db, n=2)

    async def run_before(pilot):
        await sign_in(pilot)
        await pilot.press("o")
        await settle(pilot)

    assert snap_compare(make_app(lang), terminal_size=size, run_before=run_before)


@matrix
@sizes
def test_board_with_waits(snap_compare, make_app, ui_db, lang, size):
    """The board with a queue: minutes waited, a long wait marked, a called ticket, the estimates."""
    queue(ui_db, n=1, minutes_ago=26)
    queue(ui_db, "non_cash_counter", n=2, minutes_ago=6)
    queue(ui_db, n=2)
    store = LobbyStore(ui_db, clock=lambda: UI_NOW, device_id="tablet-test")
    store.call_ticket("B001")
    store.close()

    async def run_before(pilot):
        await sign_in(pilot)

    assert snap_compare(make_app(lang), terminal_size=size, run_before=run_before)
