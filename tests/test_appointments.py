"""Appointments in the store (issue 11): booked, checked in (a visit that carries the booking), late,
no-show at shift close, the figures of `summary --json`, the large-cash booking the guidance shows;
and `lobby-tui import-appointments` (UTF-8 and GBK, bad rows refused with exit 2, good rows kept,
formula-looking cells never taken)."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import BEIJING, CLI_MANAGER, full_numbers

from lobby_tui.domain.errors import InputError
from lobby_tui.domain.guidance import recommend
from lobby_tui.store import LobbyStore
from lobby_tui.store.appointments import Booking
from lobby_tui.store.migrations import SCHEMA_VERSION

PIN = "246810"
PHONE = "13912345678"


class Clock:
    """A clock the test moves: 2026-11-18 09:00 Beijing time to start with."""

    def __init__(self) -> None:
        self.now = datetime(2026, 11, 18, 9, 0, tzinfo=BEIJING)

    def __call__(self) -> datetime:
        return self.now

    def at(self, hhmm: str, day: str = "2026-11-18") -> None:
        self.now = datetime.fromisoformat(f"{day}T{hhmm}:00").replace(tzinfo=BEIJING)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def booked(tmp_path: Path, clock: Clock) -> LobbyStore:
    store = LobbyStore(tmp_path / "lobby.db", clock=clock)
    store.check()
    store.add_staff("1001", "王丽", "lobby_manager", PIN)
    store.add_staff("3001", "赵经理", "account_manager", PIN)
    store.add_customer(name="张三明", phone=PHONE, assets=Decimal("80000"))
    store.add_customer(name="李四海", phone="13900000004", assets=Decimal("3000000"))
    return store


def who(store: LobbyStore, phone: str = PHONE) -> str:
    return store.lookup(phone=phone)[0].id


def book(store: LobbyStore, time: str, kind: str = "large_cash", phone: str = PHONE, **more) -> str:  # type: ignore[no-untyped-def]
    fields = {"amount": Decimal("80000")} if kind == "large_cash" else {}
    fields.update(more)
    booking = Booking(customer_id=who(store, phone), day="2026-11-18", time=time, kind=kind, **fields)
    return store.book_appointment("1001", booking).id


def test_a_booking_is_kept_with_the_customer_as_a_uuid_and_chained(booked: LobbyStore) -> None:
    appointment_id = book(booked, "10:30")
    a = booked.get_appointment(appointment_id)
    assert (a.status, a.kind, a.reason, a.amount, a.time, a.late) == (
        "booked",
        "large_cash",
        "cash_withdrawal",
        Decimal("80000"),
        "10:30",
        False,
    )
    row = booked.query("SELECT * FROM appointments")[0]
    assert row["customer_id"] == who(booked) and "张三明" not in json.dumps(dict(row), ensure_ascii=False)
    assert booked.audit_status().ok  # the row is in the row chain: verify passes
    assert booked.query("SELECT count(*) FROM row_chain WHERE tbl = 'appointments'")[0][0] == 1
    assert booked.query("PRAGMA user_version")[0][0] == SCHEMA_VERSION


@pytest.mark.parametrize(
    ("fields", "key"),
    [
        ({"time": "25:00"}, "appt.time_bad"),
        ({"time": "08:00"}, "appt.time_past"),  # 09:00 now
        ({"day": "2026-11-17"}, "appt.day_past"),
        ({"kind": "lunch"}, "appt.kind_bad"),
        ({"kind": "business"}, "appt.reason_needed"),
        ({"kind": "meeting"}, "appt.staff_needed"),
        ({"kind": "meeting", "staff_id": "1001"}, "appt.not_account_manager"),  # a lobby manager
        ({"amount": None}, "appt.amount_needed"),
        ({"customer_id": "no-such-customer"}, "appt.customer_unknown"),
    ],
)
def test_bad_bookings_are_refused_and_nothing_is_kept(booked: LobbyStore, fields: dict, key: str) -> None:  # type: ignore[type-arg]
    values = {
        "customer_id": who(booked),
        "day": "2026-11-18",
        "time": "10:30",
        "kind": "large_cash",
        "amount": Decimal("80000"),
        **fields,
    }
    with pytest.raises(InputError) as refused:
        booked.book_appointment("1001", Booking(**values))
    assert refused.value.key == key
    assert booked.query("SELECT count(*) FROM appointments")[0][0] == 0


def test_the_same_slot_twice_is_refused_and_an_account_manager_cannot_book(booked: LobbyStore) -> None:
    book(booked, "10:30")
    with pytest.raises(InputError, match="already booked"):
        book(booked, "10:30")
    with pytest.raises(InputError) as refused:
        booked.book_appointment(
            "3001", Booking(customer_id=who(booked), day="2026-11-19", time="10:00", kind="business", reason="loans")
        )
    assert refused.value.key == "role.not_allowed"


def test_check_in_starts_a_visit_that_carries_the_booking(booked: LobbyStore, clock: Clock) -> None:
    appointment_id = book(booked, "11:00", kind="meeting", staff_id="3001", phone="13900000004")
    clock.at("10:50")
    appt, visit_id = booked.check_in_appointment(appointment_id, shift_id=None, staff_id="1001")
    assert (appt.status, appt.late, appt.visit_id) == ("arrived", False, visit_id)
    visit = booked.get_visit(visit_id)
    assert (visit.customer_id, visit.reason, visit.outcome) == (
        who(booked, "13900000004"),
        "wealth_products",
        "in_progress",
    )
    assert booked.appointment_for_visit(visit_id) == appt
    with pytest.raises(InputError) as again:
        booked.check_in_appointment(appointment_id, shift_id=None, staff_id="1001")
    assert again.value.key == "appt.checked_in"
    assert booked.staff_appointments("3001")[0].status == "arrived"  # what the account manager's home shows
    actions = [e["action"] for e in booked.audit_entries()]
    assert "appointment_checked_in" in actions


def test_late_after_the_grace_and_no_show_at_shift_close(booked: LobbyStore, clock: Clock) -> None:
    on_time = book(booked, "10:00")
    late = book(booked, "10:00", phone="13900000004", kind="business", reason="loans")
    never = book(booked, "11:00", kind="business", reason="transfer")
    later = book(booked, "16:00", kind="business", reason="card_services")
    clock.at("10:15")  # 15 minutes' grace: still on time
    booked.check_in_appointment(on_time, shift_id=None, staff_id="1001")
    clock.at("10:16")
    booked.check_in_appointment(late, shift_id=None, staff_id="1001")
    assert booked.get_appointment(on_time).late is False and booked.get_appointment(late).late is True
    clock.at("12:00")
    shift = booked.open_shift("1001")
    booked.close_shift(shift.id, "1001")  # a mid-day close: 11:00 + grace is past, 16:00 is not
    assert booked.get_appointment(never).status == "no_show"
    assert booked.get_appointment(later).status == "booked"
    assert booked.day_summary("2026-11-18")["appointments"] == {"booked": 4, "arrived": 2, "late": 1, "no_show": 1}
    clock.at("09:00", "2026-11-19")  # the next day: the one still booked counts as a no-show
    assert booked.day_summary("2026-11-18")["appointments"] == {"booked": 4, "arrived": 2, "late": 1, "no_show": 2}
    assert booked.audit_status().ok


def test_a_no_show_who_comes_after_all_is_checked_in_late(booked: LobbyStore, clock: Clock) -> None:
    appointment_id = book(booked, "10:00")
    clock.at("11:00")
    assert booked.mark_no_shows("1001") == 1
    appt, _ = booked.check_in_appointment(appointment_id, shift_id=None, staff_id="1001")
    assert (appt.status, appt.late) == ("arrived", True)


def test_due_list_is_the_next_hour_and_the_overdue(booked: LobbyStore, clock: Clock) -> None:
    book(booked, "09:30")
    book(booked, "10:30", phone="13900000004", kind="business", reason="loans")
    book(booked, "11:00", kind="business", reason="transfer")
    clock.at("09:50")
    due = booked.due_appointments()
    assert [a.time for a in due] == ["09:30", "10:30"]
    assert due[0].name == "张三明" and due[0].phone_masked == "139****5678"
    assert booked.overdue_ids(due) == {due[0].id}


def test_a_customer_greeted_the_ordinary_way_checks_their_booking_in(booked: LobbyStore, clock: Clock) -> None:
    appointment_id = book(booked, "10:00")
    clock.at("09:55")
    visit_id = booked.start_visit(reason="cash_withdrawal", shift_id=None, staff_id="1001")
    booked.confirm_visit(
        visit_id,
        classification=None,
        recommendation=recommend("ordinary", "cash_withdrawal", Decimal("80000")),
        destination="cash_counter",
        customer_id=who(booked),
        amount=Decimal("80000"),
    )
    appt = booked.get_appointment(appointment_id)
    assert (appt.status, appt.visit_id) == ("arrived", visit_id)


def test_the_large_cash_booking_the_guidance_shows_is_read_from_appointments(booked: LobbyStore) -> None:
    assert booked.large_cash_booking(who(booked)) == ("none_today", None)
    assert booked.large_cash_booking(None) == ("unknown", None)
    book(booked, "14:30", kind="business", reason="cash_withdrawal")  # not a large-cash booking
    assert booked.large_cash_booking(who(booked)) == ("none_today", None)
    book(booked, "15:00")
    assert booked.large_cash_booking(who(booked)) == ("booked", "15:00")


def test_kept_day_figures_are_not_touched_by_appointments(booked: LobbyStore, clock: Clock) -> None:
    """The appointment figures are read from their table (like leads), not kept with the day's visit
    figures: a kept day stays current, and its summary still counts today's bookings."""
    booked.kept_figures("2026-11-18", "2026-11-18")
    kept = booked.query("SELECT figures FROM daily_figures WHERE day = '2026-11-18' AND staff_id = '*'")[0][0]
    book(booked, "10:00")
    assert booked.query("SELECT figures FROM daily_figures WHERE day = '2026-11-18' AND staff_id = '*'")[0][0] == kept
    assert booked.day_summary("2026-11-18")["appointments"]["booked"] == 1


# ---------------------------------------------------------------- lobby-tui import-appointments

Run = Callable[..., subprocess.CompletedProcess[str]]
TOMORROW = (date.today() + timedelta(days=1)).isoformat()


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Run:
    from lobby_tui.cli import main

    for var in [v for v in os.environ if v.startswith("LOBBY_TUI_")]:
        monkeypatch.delenv(var)
    monkeypatch.setenv("LOBBY_TUI_STAFF", CLI_MANAGER[0])
    monkeypatch.setenv("LOBBY_TUI_PIN", CLI_MANAGER[1])

    def call(*args: str) -> subprocess.CompletedProcess[str]:
        capsys.readouterr()
        code = main(list(args))
        out, err = capsys.readouterr()
        assert not full_numbers(out + err), (out, err)
        return subprocess.CompletedProcess(list(args), code, out, err)

    return call


@pytest.fixture
def branch(tmp_path: Path) -> Path:
    path = tmp_path / "branch.db"
    store = LobbyStore(path)
    store.check()
    store.add_staff(CLI_MANAGER[0], "王丽", "lobby_manager", CLI_MANAGER[1])
    store.add_staff("3001", "赵经理", "account_manager", PIN)
    store.add_customer(name="张三明", phone=PHONE, assets=Decimal("80000"))
    store.add_customer(name="李四海", phone="13900000004", assets=Decimal("3000000"))
    store.close()
    return path


def appointments(path: Path) -> list[tuple[str, str, str, str]]:
    store = LobbyStore(path)
    rows = [(a.time, a.kind, a.reason, a.status) for a in store.appointments_on(TOMORROW)]
    store.close()
    return rows


def test_import_in_utf8_with_english_headers(run: Run, branch: Path, tmp_path: Path) -> None:
    csv = tmp_path / "appointments.csv"
    csv.write_text(
        "date,time,kind,phone,reason,amount,staff_id\n"
        f"{TOMORROW},09:30,large_cash,{PHONE},,20,\n"
        f"{TOMORROW},10:00,meeting,13900000004,,,3001\n"
        f"{TOMORROW},11:00,business,{PHONE},loans,,\n",
        encoding="utf-8",
    )
    done = run("import-appointments", "--db", str(branch), str(csv))
    assert done.returncode == 0, done.stderr
    assert "3 appointments imported, 0 booked already, 0 rows refused" in done.stdout
    assert appointments(branch) == [
        ("09:30", "large_cash", "cash_withdrawal", "booked"),
        ("10:00", "meeting", "wealth_products", "booked"),
        ("11:00", "business", "loans", "booked"),
    ]
    again = run("import-appointments", "--db", str(branch), str(csv))  # a re-run doubles nothing
    assert again.returncode == 0 and "0 appointments imported, 3 booked already" in again.stdout
    assert len(appointments(branch)) == 3


def test_import_a_gbk_file_with_chinese_headers_and_words(run: Run, branch: Path, tmp_path: Path) -> None:
    csv = tmp_path / "预约.csv"
    csv.write_bytes(
        (
            "日期,时间,类型,手机号,业务,金额（万元）,客户经理工号\r\n"
            f"{TOMORROW},9:30,大额取现,{PHONE},,10,\r\n"
            f"{TOMORROW},14:00,预约业务,13900000004,贷款,,\r\n"
        ).encode("gbk")
    )
    done = run("--lang", "zh", "import-appointments", "--db", str(branch), str(csv))
    assert done.returncode == 0, done.stderr
    assert "已导入 2 条预约" in done.stdout
    assert appointments(branch) == [
        ("09:30", "large_cash", "cash_withdrawal", "booked"),
        ("14:00", "business", "loans", "booked"),
    ]


def test_bad_rows_exit_2_one_line_each_and_the_good_rows_are_kept(run: Run, branch: Path, tmp_path: Path) -> None:
    csv = tmp_path / "appointments.csv"
    csv.write_text(
        "date,time,kind,phone,reason,amount,staff_id\n"
        f"{TOMORROW},09:30,large_cash,{PHONE},,20,\n"  # good
        f"{TOMORROW},25:00,business,{PHONE},loans,,\n"  # a bad time
        f'{TOMORROW},10:00,business,=HYPERLINK("http://x"),loans,,\n'  # a formula for a phone
        f"{TOMORROW},10:30,business,13900000004,@SUM(A1),,\n"  # a formula for a reason
        f"{TOMORROW},11:00,meeting,13900000004,,,1001\n"  # not an account manager
        f"{TOMORROW},11:30,business,13700000000,loans,,\n"  # not in the directory
        f"{TOMORROW},12:00,business,13900000004,transfer,,\n",  # good
        encoding="utf-8",
    )
    done = run("import-appointments", "--db", str(branch), str(csv))
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    problems = [line for line in lines if " line " in line]
    assert [p.split(":")[0] for p in problems] == [f"{csv} line {n}" for n in (3, 4, 5, 6, 7)]
    assert "HH:MM" in problems[0]
    assert "spreadsheet formula" in problems[1] and "spreadsheet formula" in problems[2]
    assert "not an active account manager" in problems[3]
    assert "No such customer" in problems[4]
    assert "5 rows were not imported" in lines[-1]
    assert "2 appointments imported, 0 booked already, 5 rows refused" in done.stdout
    assert [a[0] for a in appointments(branch)] == ["09:30", "12:00"]
    store = LobbyStore(branch)
    assert not store.query("SELECT 1 FROM appointments WHERE reason LIKE '%SUM%' OR customer_id LIKE '=%'")
    store.close()


def test_header_without_required_columns_exits_2_in_one_line(run: Run, branch: Path, tmp_path: Path) -> None:
    csv = tmp_path / "appointments.csv"
    csv.write_text("date,time,phone\n2026-01-01,09:00,13912345678\n", encoding="utf-8")
    done = run("--lang", "zh", "import-appointments", "--db", str(branch), str(csv))
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "kind" in done.stderr and "Traceback" not in done.stderr


def test_a_lobby_manager_needs_their_pin(
    run: Run, branch: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    csv = tmp_path / "appointments.csv"
    csv.write_text(f"date,time,kind,phone\n{TOMORROW},09:30,business,{PHONE}\n", encoding="utf-8")
    monkeypatch.setenv("LOBBY_TUI_PIN", "000000")
    done = run("import-appointments", "--db", str(branch), str(csv))
    assert done.returncode == 2 and appointments(branch) == []
