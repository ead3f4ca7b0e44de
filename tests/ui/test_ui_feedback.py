"""The customer rates the visit (issue 11): `v` on the board's highlighted visit opens the rating
screen, turned toward the customer; a number or a tap picks, a low score asks (optionally) why, and
Escape skips. Keys are sent in bursts, as a fast hand sends them. Snapshots of both steps at 60x20
and 80x24 in both languages."""

from __future__ import annotations

from pathlib import Path

import pytest

from lobby_tui.domain.guidance import Recommendation
from lobby_tui.store import LobbyStore
from lobby_tui.ui.screens.board import BoardScreen
from lobby_tui.ui.screens.feedback import RatingScreen
from lobby_tui.ui.widgets.plain import Button, Static

from .conftest import UI_NOW, settle, sign_in
from .typing import burst

matrix = pytest.mark.parametrize("lang", ["zh", "en"])
sizes = pytest.mark.parametrize("size", [(60, 20), (80, 24)], ids=lambda s: f"{s[0]}x{s[1]}")


def served_visit(path: Path, outcome: str = "served") -> str:
    """孙三明 (a directory customer) guided to the cash counter and served, before the app starts."""
    store = LobbyStore(path, clock=lambda: UI_NOW, device_id="tablet-test")
    customer = store.lookup(phone="13900000003")[0]
    visit_id = store.start_visit(reason="cash_withdrawal", shift_id=None, staff_id="1001")
    rec = Recommendation("cash_counter", None, {"zh": "", "en": ""}, ())
    store.confirm_visit(
        visit_id, classification=None, recommendation=rec, destination="cash_counter", customer_id=customer.id
    )
    store.set_outcome(visit_id, outcome)
    store.close()
    return visit_id


def ratings(store: LobbyStore) -> list[dict[str, object]]:
    return [dict(r) for r in store.query("SELECT visit_id, score, reason, staff_id, shift_id FROM feedback")]


def last_note(app) -> str:  # type: ignore[no-untyped-def]
    return str(list(app._notifications)[-1].message)


async def test_a_low_rating_with_a_reason_is_stored_and_reaches_the_shift_log(make_app, ui_db, check_store):
    visit_id = served_visit(ui_db)
    app = make_app("en")
    async with app.run_test(size=(60, 20)) as pilot:
        await sign_in(pilot)
        await burst(pilot, "v", "2", "1")  # the screen, "2 Poor", the first reason (waited long)
        assert isinstance(app.screen, BoardScreen)
        assert last_note(app) == "Rating recorded: 2 (Poor)"
    shift = check_store.query("SELECT id FROM shifts WHERE staff_id = '1001' AND status = 'open'")[0][0]
    assert ratings(check_store) == [
        {"visit_id": visit_id, "score": 2, "reason": "waited_long", "staff_id": "1001", "shift_id": shift}
    ]
    entry = check_store.query("SELECT kind, code, reason, shift_id FROM shift_log WHERE kind = 'feedback'")
    assert [tuple(e) for e in entry] == [("feedback", "2", "waited_long", shift)]
    assert check_store.day_summary("2026-11-18")["satisfaction"] == {
        "responses": 1,
        "average": 2.0,
        "by_score": {"1": 0, "2": 1, "3": 0, "4": 0, "5": 0},
    }


async def test_the_managers_toasts_never_cover_the_customers_buttons(make_app, ui_db):
    """Found in tmux at 60x20: "Served: E001 ..." toasts lay over buttons 4 and 5 on the customer's screen.
    They are hidden while the customer rates and back on the board afterwards."""
    from textual.widgets._toast import Toast

    served_visit(ui_db)
    app = make_app("en")
    async with app.run_test(size=(60, 20), notifications=True) as pilot:  # Pilot's default hides toasts
        await sign_in(pilot)
        app.notify("Served: E001 Cash counter. Press U within 10 s to undo.", timeout=60)
        await settle(pilot)
        await burst(pilot, "v")
        assert isinstance(app.screen, RatingScreen)
        await settle(pilot)
        toasts = list(app.screen.query(Toast))
        assert toasts and not any(t.display for t in toasts)
        await burst(pilot, "escape")
        await settle(pilot)
        assert any(t.display for t in app.screen.query(Toast))


async def test_escape_skips_the_rating_and_stores_nothing(make_app, ui_db, check_store):
    served_visit(ui_db)
    app = make_app("en")
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        await burst(pilot, "v", "escape")
        assert isinstance(app.screen, BoardScreen)
        await burst(pilot, "v", "1", "escape")  # a score, then Escape on the reason: the score is kept
        assert isinstance(app.screen, BoardScreen)
    assert [(r["score"], r["reason"]) for r in ratings(check_store)] == [(1, None)]


async def test_a_good_rating_asks_no_reason_and_makes_no_log_entry(make_app, ui_db, check_store):
    served_visit(ui_db)
    app = make_app("zh")
    async with app.run_test(size=(60, 20)) as pilot:
        await sign_in(pilot)
        await burst(pilot, "v", "5")
        assert isinstance(app.screen, BoardScreen)
        assert last_note(app).startswith("已记录评价：5")
    assert [(r["score"], r["reason"]) for r in ratings(check_store)] == [(5, None)]
    assert check_store.query("SELECT count(*) FROM shift_log WHERE kind = 'feedback'")[0][0] == 0


async def test_a_visit_is_rated_once_and_the_second_try_says_so(make_app, ui_db, check_store):
    served_visit(ui_db)
    app = make_app("en")
    async with app.run_test(size=(60, 20)) as pilot:
        await sign_in(pilot)
        await burst(pilot, "v", "4", "v", "3")  # the second v finds it rated: the 3 rates nothing
        assert isinstance(app.screen, BoardScreen)
        assert last_note(app) == "This visit has been rated already"
    assert [r["score"] for r in ratings(check_store)] == [4]


async def test_a_cancelled_visit_is_not_offered_for_rating(make_app, ui_db, check_store):
    """A slip cancelled is not on the board, so there is nothing to rate (the store refuses it too)."""
    served_visit(ui_db, outcome="cancelled")
    app = make_app("en")
    async with app.run_test(size=(60, 20)) as pilot:
        await sign_in(pilot)
        await burst(pilot, "v")
        assert isinstance(app.screen, BoardScreen)
        assert last_note(app) == "Pick a visit in the list first"
    assert ratings(check_store) == []


async def test_taps_rate_and_the_screen_shows_nothing_personal(make_app, ui_db, check_store):
    served_visit(ui_db)
    app = make_app("zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        await burst(pilot, "v")
        screen = app.screen
        assert isinstance(screen, RatingScreen)
        shown = " ".join(str(w.render()) for w in screen.query(Static)) + " ".join(
            str(b.label) for b in screen.query(Button)
        )
        assert "孙" not in shown and "A001" not in shown and "0003" not in shown
        await pilot.click("#score-3")  # 3 asks why (ask_reason_at_most = 3)
        await settle(pilot)
        assert screen.query_one("#rating-reasons").display
        await pilot.click("#reason-none")
        await settle(pilot)
        assert isinstance(app.screen, BoardScreen)
    assert [(r["score"], r["reason"]) for r in ratings(check_store)] == [(3, None)]


def shoot_rating(snap_compare, app, size, *keys: str) -> bool:  # type: ignore[no-untyped-def]
    """The rating screen turned toward the customer (`v` on the board), after `keys`."""

    async def run_before(pilot):  # type: ignore[no-untyped-def]
        await sign_in(pilot)
        for key in ("v", *keys):
            await pilot.press(key)
            await settle(pilot)

    return bool(snap_compare(app, terminal_size=size, run_before=run_before))


@matrix
@sizes
def test_rating_screen(snap_compare, make_app, ui_db, lang, size):  # type: ignore[no-untyped-def]
    served_visit(ui_db)
    assert shoot_rating(snap_compare, make_app(lang), size)


@matrix
@sizes
def test_rating_reasons(snap_compare, make_app, ui_db, lang, size):  # type: ignore[no-untyped-def]
    served_visit(ui_db)
    assert shoot_rating(snap_compare, make_app(lang), size, "2")  # a low score: the reasons
