"""The lobby manager's flows at full typing speed (issue 9): keys in bursts with no settling between,
greetings resumed, undo on the board, faults on the error screen, quitting and the lock."""

from __future__ import annotations

from pathlib import Path

import pytest

from lobby_tui.store import LobbyStore
from lobby_tui.ui.app import LobbyApp
from lobby_tui.ui.screens.board import BoardScreen
from lobby_tui.ui.screens.error import ErrorScreen
from lobby_tui.ui.screens.greet import GreetScreen
from lobby_tui.ui.screens.guidance import GuidanceScreen
from lobby_tui.ui.screens.lock import LockScreen
from lobby_tui.ui.screens.lookup import LookupScreen
from lobby_tui.ui.screens.pickers import YesNoScreen

from .conftest import MANAGER, UI_NOW, sign_in, until
from .typing import burst, settle

SIGN_IN = [*MANAGER[0], "enter", *MANAGER[2], "enter"]


def visits(store: LobbyStore) -> list[dict[str, object]]:
    return [dict(r) for r in store.query("SELECT * FROM visits ORDER BY ts, rowid")]


# ---------------------------------------------------------------- the README's flows, typed in one burst


@pytest.mark.parametrize("size", [(60, 20), (80, 24)], ids=["60x20", "80x24"])
@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_sign_in_and_an_unidentified_walk_in_in_one_burst(make_app, check_store, size, lang):
    """Sign-in and the README's 4 keys (n, reason, Enter unidentified, Enter confirm), then the next
    customer's `n`: every key reaches the screen it was typed for."""
    app = make_app(lang)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await burst(pilot, *SIGN_IN, "n", "2", "enter", "enter", "n")
        assert isinstance(app.screen, GreetScreen)  # the last `n`, for the next customer
    rows = visits(check_store)
    assert [(r["reason"], r["outcome"], r["destination"], r["ticket"]) for r in rows] == [
        ("cash_deposit", "waiting", "self_service", "S001")
    ]


async def test_directory_customer_first_match_in_8_keys(make_app, check_store):
    app = make_app()
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        await burst(pilot, *SIGN_IN)
        await burst(pilot, "n", "1", *"0001", "enter", "enter")  # README: 8 keys
        assert isinstance(app.screen, BoardScreen)
    (visit,) = visits(check_store)
    assert visit["customer_id"] == check_store.lookup(phone="13900000001")[0].id
    assert (visit["tier"], visit["destination"], visit["outcome"]) == ("private_banking", "priority_counter", "waiting")


async def test_down_typed_before_the_results_takes_the_second_match(make_app, check_store):
    """↓ typed ahead of the search results still means the second customer in the list."""
    app = make_app()
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        await burst(pilot, *SIGN_IN)
        await burst(pilot, "n", "3", *"5678", "down", "enter", "enter")  # 9 keys for the second match
        assert isinstance(app.screen, BoardScreen)
    (visit,) = visits(check_store)
    second = check_store.lookup(phone_last4="5678")[1]
    assert visit["customer_id"] == second.id


async def test_cash_withdrawal_with_an_amount_in_one_burst(make_app, check_store):
    """`n 1 Enter a 8 Enter` once ended the app with a traceback; now the amount is kept and confirmed."""
    app = make_app()
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        await burst(pilot, *SIGN_IN)
        await burst(pilot, "n", "1", "enter", "a", "8", "enter")
        assert isinstance(app.screen, GuidanceScreen)
        assert app.screen.focused is app.screen.query_one("#confirm")
        await burst(pilot, "enter")
        assert isinstance(app.screen, BoardScreen)
    (visit,) = visits(check_store)
    assert visit["amount_fen"] == 8_000_000 and visit["destination"] == "cash_counter"  # 8万 > the ATM limit


async def test_digits_on_the_guidance_go_into_the_amount_without_a(make_app, check_store):
    """The customer says "twelve 万" and the manager types 12 straight away: it starts the amount (it
    was dropped before). Enter takes the amount and comes back to Confirm; Enter again confirms."""
    app = make_app()
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        await burst(pilot, *SIGN_IN)
        await burst(pilot, "n", "1", "enter", "1", "2", "enter")  # found in tmux: the box once kept only the "2"
        assert isinstance(app.screen, GuidanceScreen)
        assert app.screen.query_one("#amount").value == "12"
        assert app.screen.focused is app.screen.query_one("#confirm")
        await burst(pilot, "enter")
        assert isinstance(app.screen, BoardScreen)
    (visit,) = visits(check_store)
    assert visit["amount_fen"] == 12_000_000 and visit["destination"] == "cash_counter"


async def test_an_amount_that_reads_as_yuan_in_the_wan_field_is_questioned(make_app, check_store):
    app = make_app()
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        await burst(pilot, *SIGN_IN)
        await burst(pilot, "n", "1", "enter", "a", *"200000", "enter", "enter")
        screen = app.screen
        assert isinstance(screen, GuidanceScreen)  # not confirmed: the amount is questioned
        assert "20亿" in str(screen.query_one("#amount-error").render())
        assert screen.focused is screen.query_one("#amount")
        await burst(pilot, *"元", "enter", "enter")  # 200000元 = 20万
        assert isinstance(app.screen, BoardScreen)
    (visit,) = visits(check_store)
    assert visit["amount_fen"] == 20_000_000


async def test_escape_twice_quickly_goes_back_twice(make_app, check_store):
    app = make_app()
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        await burst(pilot, *SIGN_IN, "n", "1", *"13", "escape", "escape")
        assert isinstance(app.screen, BoardScreen)
    (visit,) = visits(check_store)
    assert visit["outcome"] == "cancelled"  # the slip is kept, marked cancelled


# ---------------------------------------------------------------- resuming a greeting


@pytest.mark.parametrize("stage", ["lookup", "guidance"])
async def test_a_greeting_left_open_when_the_app_closed_is_resumed_from_the_board(make_app, check_store, stage):
    app = make_app()
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        await burst(pilot, *SIGN_IN, "n", "1", *(["0", "0", "0", "2", "enter"] if stage == "guidance" else []))
        assert isinstance(app.screen, GuidanceScreen if stage == "guidance" else LookupScreen)
    app = make_app()  # the app was closed mid-flow: a new one on the same file
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        await burst(pilot, *SIGN_IN)
        board = app.screen
        assert isinstance(board, BoardScreen)
        assert board.board is not None and board.board.recent[0].outcome == "in_progress"
        await burst(pilot, "enter")
        expected = GuidanceScreen if stage == "guidance" else LookupScreen
        assert isinstance(app.screen, expected)
        if stage == "lookup":
            await burst(pilot, *"0002", "enter")
        await burst(pilot, "enter")
        assert isinstance(app.screen, BoardScreen)
    (visit,) = visits(check_store)  # one visit, resumed, not a second one
    assert visit["outcome"] == "waiting" and visit["ticket"]
    assert visit["customer_id"] == check_store.lookup(phone="13900000002")[0].id


async def test_a_resumed_greeting_goes_back_to_the_board_still_open(make_app, check_store):
    app = make_app()
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        await burst(pilot, *SIGN_IN, "n", "5", *"0003", "enter")
        assert isinstance(app.screen, GuidanceScreen)
    app = make_app()
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        await burst(pilot, *SIGN_IN, "enter")  # the newest row is the open greeting
        assert isinstance(app.screen, GuidanceScreen)
        assert app.screen.draft.customer is not None and app.screen.draft.customer.phone_masked.endswith("0003")
        await burst(pilot, "escape", "escape")  # guidance, then the lookup: back on the board
        assert isinstance(app.screen, BoardScreen)
    assert [r["outcome"] for r in visits(check_store)] == ["in_progress"]  # still open, not cancelled


# ---------------------------------------------------------------- the board: undo, asking, the next customer


async def test_served_left_and_redirect_can_be_undone(make_app, check_store):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await burst(pilot, *SIGN_IN, "n", "2", "enter", "enter")
        board = app.screen
        assert isinstance(board, BoardScreen)
        await burst(pilot, "s")
        assert visits(check_store)[0]["outcome"] == "served"
        assert board.undoable is not None and "undo" in {b.binding.id for b in board.active_bindings.values()}
        await burst(pilot, "u")
        assert visits(check_store)[0]["outcome"] == "waiting"
        assert board.undoable is None
        await burst(pilot, "r", "5")  # redirect to e-banking (number 5 in every picker)
        moved = visits(check_store)[0]
        assert (moved["destination"], moved["redirected_from"]) == ("e_banking", "self_service")
        await burst(pilot, "u")
        back = visits(check_store)[0]
        assert (back["destination"], back["ticket"], back["redirected_from"]) == ("self_service", "S001", None)
    actions = [r["action"] for r in check_store.query("SELECT action FROM audit ORDER BY seq")]
    assert actions.count("outcome_undone") == 2


async def test_left_on_a_served_visit_asks_first(make_app, check_store):
    app = make_app()
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        await burst(pilot, *SIGN_IN, "n", "2", "enter", "enter", "s")
        await burst(pilot, "x")
        assert isinstance(app.screen, YesNoScreen)
        await burst(pilot, "enter")  # Enter by habit is "no": nothing changes
        assert isinstance(app.screen, BoardScreen)
        assert visits(check_store)[0]["outcome"] == "served"
        await burst(pilot, "x", "y")
        assert visits(check_store)[0]["outcome"] == "left"


async def test_after_served_the_cursor_moves_to_the_next_customer_waiting(make_app, check_store):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await burst(pilot, *SIGN_IN)
        for _ in range(3):
            await burst(pilot, "n", "2", "enter", "enter")
        board = app.screen
        table = board.query_one("#recent")
        assert table.cursor_row == 0  # the newest, S003
        await burst(pilot, "s", "s")  # S003 served, then the next one waiting (S002)
        tickets = {r["ticket"]: r["outcome"] for r in visits(check_store)}
        assert tickets == {"S001": "waiting", "S002": "served", "S003": "served"}
        assert board.board is not None and board.board.recent[table.cursor_row].ticket == "S001"


# ---------------------------------------------------------------- faults, quitting, the lock


async def test_an_unexpected_fault_reaches_the_error_screen_and_the_log(ui_db: Path, tmp_path: Path, monkeypatch):
    """A bug in a screen no longer ends the app: the error screen says so, the log has the traceback,
    and Retry goes back to the screen with what was typed."""

    def broken(self: GuidanceScreen) -> None:
        raise RuntimeError("a fault planted by the test")

    app = LobbyApp(LobbyStore(ui_db, clock=lambda: UI_NOW, device_id="tablet-test"), idle_lock_seconds=180)
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        await burst(pilot, *SIGN_IN, "n", "1", "enter")
        monkeypatch.setattr(GuidanceScreen, "action_details", broken)
        await burst(pilot, "e")
        assert isinstance(app.screen, ErrorScreen) and app.screen.unexpected
        assert "a fault planted by the test" in str(app.screen.query_one("#error-message").render())
        assert app.is_running
        await burst(pilot, "r")
        assert isinstance(app.screen, GuidanceScreen)
    assert not app.return_code
    assert [type(e) for e in app.unexpected_errors] == [RuntimeError]
    log = (tmp_path / "lobby-tui.log").read_text(encoding="utf-8")
    assert "Traceback" in log and "a fault planted by the test" in log


async def test_faults_the_error_screen_cannot_help_end_the_app_with_status_1(ui_db: Path):
    app = LobbyApp(LobbyStore(ui_db, clock=lambda: UI_NOW, device_id="tablet-test"), idle_lock_seconds=180)
    with pytest.raises(RuntimeError):
        async with app.run_test(size=(60, 20)) as pilot:
            await settle(pilot)
            for _ in range(6):
                app._handle_exception(RuntimeError("again and again"))
            await pilot.pause()
    assert app.return_code == 1


async def test_ctrl_q_asks_and_the_lock_needs_the_pin_first(make_app):
    app = make_app()
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        await burst(pilot, *SIGN_IN, "ctrl+q")
        assert isinstance(app.screen, YesNoScreen)
        await burst(pilot, "escape")
        assert isinstance(app.screen, BoardScreen) and app.is_running
        await burst(pilot, "ctrl+l", "ctrl+q")
        assert isinstance(app.screen, LockScreen) and app.is_running
        commands = [c.title for c in app.get_system_commands(app.screen)]
        assert len(commands) == 1  # behind the lock, the palette offers unlocking only
        app.screen._shown -= 5
        await burst(pilot, *MANAGER[2], "enter", "ctrl+q", "y")
    assert not app.return_code and not app.is_running


async def test_a_confirm_finishing_under_the_lock_keeps_the_lock(make_app, check_store):
    """Nothing but the PIN takes the lock screen away, not even a confirmation that lands behind it."""
    app = make_app()
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        await burst(pilot, *SIGN_IN, "n", "2", "enter")
        screen = app.screen
        assert isinstance(screen, GuidanceScreen)
        app.action_lock()
        await settle(pilot)
        screen.action_confirm()
        await settle(pilot)
        assert isinstance(app.screen, LockScreen) and app.locked
        app.screen._shown -= 5
        await burst(pilot, *MANAGER[2], "enter")
        assert isinstance(app.screen, BoardScreen)
    assert visits(check_store)[0]["outcome"] == "waiting"


async def test_any_pop_finishing_under_the_lock_keeps_the_lock_and_it_locks_again(make_app):
    """A dialog dismissed, a screen popped or switched after ctrl+l (a form's save, a question's
    answer landing behind the lock) waits for the PIN; the lock screen stays, and after the PIN the
    idle timer locks the session again."""
    app = make_app()
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        await burst(pilot, *SIGN_IN)
        answers: list[bool | None] = []
        question = YesNoScreen("?", "yes", "no")
        app.push_screen(question, answers.append)
        await settle(pilot)
        app.action_lock()
        await settle(pilot)
        question.dismiss(True)  # the confirm finishes behind the lock
        await settle(pilot)
        assert isinstance(app.screen, LockScreen) and app.locked
        later = YesNoScreen("??", "yes", "no")
        app.push_screen(later, answers.append)  # a screen pushed behind the lock waits too
        await settle(pilot)
        assert isinstance(app.screen, LockScreen) and app.locked
        app.screen._shown -= 5
        await burst(pilot, *MANAGER[2], "enter")
        await settle(pilot)
        assert answers == [True] and not app.locked
        assert app.screen is later  # the first dialog went once the PIN lifted the lock, then this came
        await burst(pilot, "n")
        assert answers == [True, False] and isinstance(app.screen, BoardScreen)
        app._last_input -= 1000
        app._check_idle()
        await settle(pilot)
        assert isinstance(app.screen, LockScreen) and app.locked  # it locks again


async def test_a_hold_released_in_a_screens_worker_opens_the_keyboard_at_once(make_app):
    """A hold released by a screen's own worker (a read on the board, then the board shown) sent its
    marker from that screen; the marker stopped bubbling there and the keyboard stayed shut for
    MARKER_PATIENCE_S (6 s after the day summary, in the key benchmark)."""
    app = make_app()
    async with app.run_test(size=(60, 20)) as pilot:
        await sign_in(pilot)
        board = app.screen
        assert isinstance(board, BoardScreen)
        tabs = board.query_one("ContentTabs")  # a widget of the board's focused (no visits: no table)
        tabs.focus()
        await until(pilot, lambda: app.focused is tabs and app.key_gate.is_open)
        token = app.key_gate.hold()
        board.call_next(app.key_gate.release, token)  # as a board worker's `finally` does, in its context
        await until(pilot, lambda: app.key_gate.is_open, tries=100)
        await pilot.press("n")
        await until(pilot, lambda: isinstance(app.screen, GreetScreen), tries=100)
