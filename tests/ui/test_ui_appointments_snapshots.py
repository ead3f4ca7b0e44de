"""Snapshots of the appointments' screens (issue 11) at 60x20 and 80x24 in both languages: the board
with its due strip, the due list (B) and the booking form (A, after the lookup).

Update only on purpose: look at the report first (pytest --snapshot-report), then --snapshot-update.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from lobby_tui.store.appointments import Booking

from .conftest import MANAGER, settle, sign_in, supervisor

matrix = pytest.mark.parametrize("lang", ["zh", "en"])
sizes = pytest.mark.parametrize("size", [(60, 20), (80, 24)], ids=lambda s: f"{s[0]}x{s[1]}")


@pytest.fixture
def booked(check_store):  # type: ignore[no-untyped-def]
    """Three customers due within the hour (one overdue: booked 10:00, it is 10:30), one later."""
    check_store.add_staff("3001", "赵经理", "account_manager", "468024", by=supervisor(check_store))
    rows = [
        ("13900000006", "10:40", "large_cash", {"amount": Decimal("80000")}),
        ("13900000007", "11:00", "meeting", {"staff_id": "3001"}),
        ("13900000003", "11:20", "business", {"reason": "loans"}),
        ("13900000001", "15:00", "business", {"reason": "foreign_exchange"}),
    ]
    for phone, time, kind, more in rows:
        customer = check_store.lookup(phone=phone)[0]
        check_store.book_appointment(MANAGER[0], Booking(customer.id, "2026-11-18", time, kind, **more))
    with check_store.write() as conn:  # 孙三明's booking moved to 10:00: overdue now
        conn.execute("UPDATE appointments SET time = '10:00' WHERE time = '11:20'")
    return check_store


async def keys(pilot, *pressed: str) -> None:  # type: ignore[no-untyped-def]
    await sign_in(pilot)
    for key in pressed:
        await pilot.press(key)
        await settle(pilot)


@matrix
@sizes
def test_board_with_the_due_strip(snap_compare, make_app, booked, lang, size):  # type: ignore[no-untyped-def]
    async def run_before(pilot):  # type: ignore[no-untyped-def]
        await keys(pilot)

    assert snap_compare(make_app(lang), terminal_size=size, run_before=run_before)


@matrix
@sizes
def test_due_list(snap_compare, make_app, booked, lang, size):  # type: ignore[no-untyped-def]
    async def run_before(pilot):  # type: ignore[no-untyped-def]
        await keys(pilot, "b")

    assert snap_compare(make_app(lang), terminal_size=size, run_before=run_before)


@matrix
@sizes
def test_booking_form(snap_compare, make_app, booked, lang, size):  # type: ignore[no-untyped-def]
    async def run_before(pilot):  # type: ignore[no-untyped-def]
        await keys(pilot, "a", *"0007", "enter")

    assert snap_compare(make_app(lang), terminal_size=size, run_before=run_before)
