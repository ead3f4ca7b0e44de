"""Pilot flows of issue 10: guidance by the visit's business (a mass-affluent wealth enquiry meets an
account manager, a complaint goes to the duty manager, a large withdrawal shows its booking) and a
lead from the lobby to the account manager and back into the figures."""

from __future__ import annotations

from decimal import Decimal

from lobby_tui.store.appointments import Booking
from lobby_tui.ui.screens.board import BoardScreen
from lobby_tui.ui.screens.guidance import GuidanceScreen
from lobby_tui.ui.screens.leads import AccountManagerHomeScreen

from .conftest import MANAGER, settle, sign_in, supervisor, until

ACCOUNT_MANAGER = ("3001", "赵经理", "468024")
OTHER_ACCOUNT_MANAGER = ("3002", "钱经理", "468025")


def text_of(app, selector: str) -> str:  # type: ignore[no-untyped-def]
    return str(app.screen.query_one(selector).render())


async def greet(pilot, reason_key: str, phone: str | None) -> None:  # type: ignore[no-untyped-def]
    """From the board: a new customer, the reason, found by phone (or an unidentified walk-in)."""
    await pilot.press("n", reason_key)
    await settle(pilot)
    if phone:
        await pilot.press(*phone)
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(pilot.app.screen, GuidanceScreen)


async def test_a_mass_affluent_wealth_enquiry_meets_an_account_manager(make_app, check_store):
    app = make_app()
    async with app.run_test(size=(60, 20)) as pilot:
        await sign_in(pilot)
        await greet(pilot, "w", "13900000004")  # 李四海, 8万: mass affluent
        assert app.screen.recommendation.destination == "account_manager"
        assert "sales conversation" in text_of(app, "#why")
        assert text_of(app, "#guide-lead") == ""  # meets one now: no lead
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, BoardScreen)
    visit = check_store.query("SELECT destination, ticket FROM visits WHERE outcome = 'waiting'")[0]
    assert visit["destination"] == "account_manager" and visit["ticket"] == "M001"
    assert check_store.list_leads() == []


async def test_a_complaint_goes_to_the_duty_manager(make_app, check_store):
    app = make_app("zh")
    async with app.run_test(size=(60, 20)) as pilot:
        await sign_in(pilot)
        await greet(pilot, "c", "13900000002")  # a high-end customer: the duty manager all the same
        assert app.screen.recommendation.destination == "duty_manager"
        assert "值班主管" in text_of(app, "#destination") and "不分客户层级" in text_of(app, "#why")
        await pilot.press("enter")
        await settle(pilot)
    visit = check_store.query("SELECT destination, ticket FROM visits WHERE outcome = 'waiting'")[0]
    assert (visit["destination"], visit["ticket"]) == ("duty_manager", "D001")


async def test_a_large_withdrawal_shows_its_booking(make_app, check_store):
    customer = check_store.lookup(phone="13900000006")[0]  # 吴六, ordinary
    booking = Booking(customer.id, "2026-11-18", "14:30", "large_cash", amount=Decimal("60000"))
    check_store.book_appointment(MANAGER[0], booking)  # an appointment (issue 11)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        await greet(pilot, "1", "13900000006")
        assert text_of(app, "#guide-booking") == ""  # no amount yet: nothing to check
        await pilot.press("a", "5")  # 5万: over the self-service limit, at the large-cash line
        await settle(pilot)
        assert app.screen.recommendation.destination == "cash_counter"
        assert "Large cash (50,000 CNY or more)" in text_of(app, "#why")
        assert "Large-cash booking: booked 14:30" in text_of(app, "#guide-booking")
        app.screen.booking = ("no_system", None)  # as before appointments exist
        assert "no booking system is recorded" in str(app.screen._booking_line())
        await pilot.press("enter", "enter")
        await settle(pilot)
        assert isinstance(app.screen, BoardScreen)
    visit = check_store.query("SELECT destination, amount_fen FROM visits WHERE outcome = 'waiting'")[0]
    assert (visit["destination"], visit["amount_fen"]) == ("cash_counter", 5_000_000)


async def test_a_potential_quality_customer_becomes_a_lead_an_account_manager_takes_and_converts(make_app, check_store):
    sv = supervisor(check_store)  # adding staff to a database with a supervisor takes their PIN
    for staff_id, name, pin in (ACCOUNT_MANAGER, OTHER_ACCOUNT_MANAGER):
        check_store.add_staff(staff_id, name, "account_manager", pin, by=sv)
    check_store.open_shift(OTHER_ACCOUNT_MANAGER[0])  # 钱经理 is on duty: the lead goes to them
    lobby = make_app()
    async with lobby.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        await greet(pilot, "3", "13900000007")  # 郑七: 15万 here, 10万 elsewhere
        assert lobby.screen.recommendation.lead
        await until(pilot, lambda: "钱经理" in text_of(lobby, "#guide-lead"))
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("f")  # the leads tab: owned, and by whom
        await settle(pilot)
        table = lobby.screen.query_one("#follow")
        assert table.row_count == 1 and "钱经理" in str(table.get_row_at(0))
        await pilot.press("g")  # assign to another: the one on duty is offered first
        await settle(pilot)
        assert "钱经理" in str(lobby.screen.query_one("#choice-1").label)
        await pilot.press("2")
        await settle(pilot)
        assert "赵经理" in str(lobby.screen.query_one("#follow").get_row_at(0))
    lead = check_store.list_leads()[0]
    assert (lead.status, lead.owner, lead.flag, lead.tier_with_other_assets) == (
        "new",
        "3001",
        "potential_quality",
        "mid_end",
    )

    manager = make_app("zh")
    async with manager.run_test(size=(60, 20)) as pilot:
        await sign_in(pilot, ACCOUNT_MANAGER)
        assert isinstance(manager.screen, AccountManagerHomeScreen)
        await until(pilot, lambda: manager.screen.query_one("#am-leads").row_count == 1)
        await pilot.press("t")
        await settle(pilot)
        await pilot.press("m")  # a meeting
        await settle(pilot)
        await pilot.press("c", "1")  # converted: to a wealth account
        await settle(pilot)
        assert manager.screen.query_one("#am-leads").row_count == 0
    lead = check_store.get_lead(lead.id)
    assert (lead.status, lead.converted_to, lead.contact_kind) == ("converted", "wealth_account", "converted")
    assert check_store.day_summary("2026-11-18")["leads"] == {
        "made": 1,
        "taken": 1,
        "contacted_within_day": 1,
        "converted": 1,
    }
    actions = [r[0] for r in check_store.query("SELECT action FROM audit WHERE action LIKE 'lead_%' ORDER BY seq")]
    assert actions == ["lead_made", "lead_assigned", "lead_taken", "lead_contact", "lead_contact"]
