"""Appointments in the app (issue 11): the board and the greeting show who is due; a booked customer is
checked in and guided with their booking in three keys (B, Enter, Enter), keys sent in one burst; the
account manager they meet is told on their home screen; the manager books from the board (A)."""

from __future__ import annotations

from decimal import Decimal

from lobby_tui.store.appointments import Booking
from lobby_tui.ui.screens.appointments import DueListScreen, due_line
from lobby_tui.ui.screens.board import BoardScreen
from lobby_tui.ui.screens.greet import GreetScreen
from lobby_tui.ui.screens.leads import AccountManagerHomeScreen

from .conftest import MANAGER, settle, sign_in, supervisor, until
from .typing import burst

ACCOUNT_MANAGER = ("3001", "赵经理", "468024")
TODAY = "2026-11-18"  # UI_NOW is 10:30 that day


def text_of(app, selector: str) -> str:  # type: ignore[no-untyped-def]
    return str(app.screen.query_one(selector).render())


def book(store, phone: str, time: str, kind: str, **more) -> str:  # type: ignore[no-untyped-def]
    customer = store.lookup(phone=phone)[0]
    return store.book_appointment(MANAGER[0], Booking(customer.id, TODAY, time, kind, **more)).id


def with_account_manager(store) -> None:  # type: ignore[no-untyped-def]
    store.add_staff(*ACCOUNT_MANAGER[:2], "account_manager", ACCOUNT_MANAGER[2], by=supervisor(store))


async def test_a_booked_customer_is_checked_in_from_the_greeting_in_three_keys(make_app, check_store):
    with_account_manager(check_store)
    meeting = book(check_store, "13900000007", "10:45", "meeting", staff_id="3001")  # 郑七
    book(check_store, "13900000003", "12:00", "business", reason="loans")  # not within the hour
    app = make_app("zh")
    async with app.run_test(size=(60, 20)) as pilot:
        await sign_in(pilot)
        await until(pilot, lambda: "郑*" in text_of(app, "#due-strip"))  # the board: who is due
        assert "孙" not in text_of(app, "#due-strip")
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, GreetScreen)
        await until(pilot, lambda: "10:45 郑*" in text_of(app, "#greet-due"))
        await burst(pilot, "b", "enter", "enter")  # the due list, check in, confirm
        assert isinstance(app.screen, BoardScreen)
    visit = check_store.query("SELECT * FROM visits WHERE outcome = 'waiting'")[0]
    appt = check_store.get_appointment(meeting)
    assert (appt.status, appt.late, appt.visit_id) == ("arrived", False, visit["id"])
    assert visit["customer_id"] == appt.customer_id and visit["reason"] == "wealth_products"
    assert (visit["destination"], visit["ticket"], visit["override_reason"]) == ("account_manager", "M001", None)
    assert check_store.day_summary(TODAY)["appointments"] == {"booked": 2, "arrived": 1, "late": 0, "no_show": 0}

    manager = make_app("en")  # the account manager they meet is told on their home screen
    async with manager.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, ACCOUNT_MANAGER)
        assert isinstance(manager.screen, AccountManagerHomeScreen)
        await until(pilot, lambda: "10:45 郑* Arrived" in text_of(manager, "#am-appointments"))


async def test_a_large_withdrawal_booked_is_checked_in_from_the_board_with_its_amount(make_app, check_store):
    appointment_id = book(check_store, "13900000006", "10:40", "large_cash", amount=Decimal("80000"))  # 吴六
    app = make_app("en")
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        await pilot.press("b")
        await settle(pilot)
        assert isinstance(app.screen, DueListScreen)
        assert "吴*" in str(app.screen.query_one("#due").get_row_at(0))
        await pilot.press("enter")
        await settle(pilot)
        assert "Booked 10:40 · Large cash withdrawal" in text_of(app, "#guide-booking")
        assert app.screen.draft.amount == Decimal("80000")
        assert app.screen.recommendation.destination == "cash_counter"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, BoardScreen)
    visit = check_store.query("SELECT * FROM visits WHERE outcome = 'waiting'")[0]
    assert (visit["destination"], visit["amount_fen"], visit["reason"]) == (
        "cash_counter",
        8_000_000,
        "cash_withdrawal",
    )
    assert check_store.get_appointment(appointment_id).visit_id == visit["id"]


async def test_escape_leaves_the_due_list_and_nobody_due_says_so(make_app, check_store):
    book(check_store, "13900000006", "10:40", "business", reason="transfer")
    app = make_app("en")
    async with app.run_test(size=(60, 20)) as pilot:
        await sign_in(pilot)
        await burst(pilot, "b", "escape")
        assert isinstance(app.screen, BoardScreen)
        assert check_store.query("SELECT count(*) FROM visits")[0][0] == 0
    with check_store.write() as conn:
        conn.execute("UPDATE appointments SET time = '14:00'")  # later than the next hour
    app = make_app("en")
    async with app.run_test(size=(60, 20)) as pilot:
        await sign_in(pilot)
        await pilot.press("b")
        await settle(pilot)
        assert isinstance(app.screen, BoardScreen)
        assert any("Nobody is booked" in str(n.message) for n in app._notifications)


async def test_the_manager_books_from_the_board(make_app, check_store):
    with_account_manager(check_store)
    app = make_app("zh")
    async with app.run_test(size=(60, 20)) as pilot:
        await sign_in(pilot)
        await pilot.press("a")
        await settle(pilot)
        await pilot.press(*"0007", "enter")  # the lookup's search: 郑七 by phone last four
        await settle(pilot)
        assert app.screen.query_one("#kind").has_focus
        await burst(pilot, "down", "enter", "enter")  # kind: the list opens, the meeting chosen; the next field
        await settle(pilot)
        app.screen.query_one("#kind").value = "meeting"
        app.screen.query_one("#time").focus()
        await burst(pilot, *"25:00", "enter")
        assert "HH:MM" in text_of(app, "#time-error")  # refused beside the field, nothing lost
        app.screen.query_one("#time").value = "10:00"
        app.screen.query_one("#staff").value = "3001"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, BoardScreen)
    appt = check_store.appointments_on("2026-11-19")[0]
    assert (appt.name, appt.time, appt.kind, appt.staff_id, appt.source) == ("郑七", "10:00", "meeting", "3001", "app")


async def test_escape_in_every_field_of_the_booking_form_books_nothing(make_app, check_store):
    app = make_app("en")
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        await pilot.press("a")
        await settle(pilot)
        await pilot.press("enter")  # nobody typed: nobody to book
        await settle(pilot)
        assert "Find and pick the customer first" in str(list(app._notifications)[-1].message)
        await pilot.press(*"0006", "enter")
        await settle(pilot)
        for field in ("kind", "day", "time", "reason", "amount"):
            app.screen.query_one(f"#{field}").focus()
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, BoardScreen)
    assert check_store.query("SELECT count(*) FROM appointments")[0][0] == 0


def test_the_due_line_fits_in_cells() -> None:
    from lobby_tui.domain.appointments import Appointment

    def appt(time: str, name: str) -> Appointment:
        return Appointment(
            "x" + time,
            "c",
            name,
            None,
            TODAY,
            time,
            "business",
            "loans",
            None,
            None,
            None,
            "booked",
            False,
            None,
            None,
            "app",
            "",
        )

    due = [appt("10:40", "欧阳明远"), appt("10:50", "张三明"), appt("11:05", "李四海")]
    from rich.cells import cell_len

    for width in (5, 9, 20, 30, 58, 78):
        line = due_line(due, width, "zh")
        assert cell_len(line) <= width
    assert due_line(due, 78, "zh") == "预约：10:40 欧**远 · 10:50 张*明 · 11:05 李*海"
    assert due_line(due, 30, "zh").endswith("等2位")
