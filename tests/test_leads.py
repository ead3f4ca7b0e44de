"""Leads in the store (issue 10): made by a confirmed visit, one open lead per customer, assigned to
the account manager on duty, taken, contacted, converted or handed back; roles enforced in the store
and every change audited; the figures on the day summary, trends and the comparison; `lobby-tui leads`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from lobby_tui.domain.errors import InputError
from lobby_tui.domain.figures import lead_figures
from lobby_tui.domain.guidance import recommend
from lobby_tui.domain.models import Customer, Lead
from lobby_tui.domain.tiers import classify
from lobby_tui.store import LobbyStore

PIN = "246810"
PHONE = "13912345678"


@pytest.fixture
def staffed(store: LobbyStore) -> LobbyStore:
    store.add_staff("1001", "王丽", "lobby_manager", PIN)
    store.add_staff("3001", "赵经理", "account_manager", PIN)
    store.add_staff("3002", "钱经理", "account_manager", PIN)
    store.add_staff("9001", "陈主管", "supervisor", PIN)  # last: after it, adding staff needs its session
    return store


@pytest.fixture
def sv(staffed: LobbyStore) -> str:
    """The supervisor's session (a right PIN's): their reading of every shift and the figures."""
    return staffed.sign_in("9001", PIN).id


def customer(store: LobbyStore, assets: str = "50000", other: str = "1000000", phone: str = PHONE) -> Customer:
    return store.add_customer(name="张三明", phone=phone, assets=Decimal(assets), other_assets=Decimal(other))


def visit(store: LobbyStore, who: Customer | None, reason: str = "cash_withdrawal", *, staff: str = "1001"):  # type: ignore[no-untyped-def]
    """Greet and confirm one visit of `who`, guided as the app guides it."""
    visit_id = store.start_visit(reason=reason, shift_id=None, staff_id=staff)
    cls = classify(who.assets, who.other_assets, age=40, education="bachelor") if who else None
    tier = cls.tier if cls else "ordinary"
    rec = recommend(
        tier,
        reason,
        potential_quality=bool(cls and cls.potential_quality),
        tier_with_other_assets=cls.tier_with_other_assets if cls else None,
    )
    store.confirm_visit(
        visit_id,
        classification=cls,
        recommendation=rec,
        destination=rec.destination,
        customer_id=who.id if who else None,
    )
    return rec


def only_lead(store: LobbyStore) -> Lead:
    leads = store.list_leads()
    assert len(leads) == 1
    return leads[0]


def actions(store: LobbyStore) -> list[str]:
    return [e["action"] for e in reversed(store.audit_entries(200))]


# ---------------------------------------------------------------- made in the lobby


def test_a_potential_quality_visit_makes_one_lead_assigned_to_the_account_manager_on_duty(staffed) -> None:
    staffed.open_shift("3001")  # signed in today: on duty
    who = customer(staffed)
    rec = visit(staffed, who)
    assert rec.lead and rec.refer_to == "wealth_management_centre"
    lead = only_lead(staffed)
    assert (lead.status, lead.owner, lead.owner_name, lead.flag) == ("new", "3001", "赵经理", "potential_quality")
    assert (lead.tier, lead.tier_with_other_assets, lead.reasons, lead.visits) == (
        "mass_affluent",
        "high_end",
        ("cash_withdrawal",),
        1,
    )
    assert lead.made_by == "1001" and lead.customer_id == who.id
    assert lead.phone_masked == "139****5678"
    assert "lead_made" in actions(staffed)
    # Another visit adds to the same lead: per customer, not per visit.
    visit(staffed, who, "wealth_products")
    lead = only_lead(staffed)
    assert lead.visits == 2 and lead.reasons == ("cash_withdrawal", "wealth_products")
    assert "lead_visit" in actions(staffed)


def test_of_several_on_duty_the_one_with_fewest_open_leads_gets_it(staffed) -> None:
    staffed.open_shift("3001")
    staffed.open_shift("3002")
    visit(staffed, customer(staffed, phone="13900000001"))
    visit(staffed, customer(staffed, phone="13900000002"))
    assert sorted(lead.owner or "" for lead in staffed.list_leads()) == ["3001", "3002"]


def test_with_nobody_on_duty_the_lead_waits_unassigned(staffed) -> None:
    visit(staffed, customer(staffed))
    assert only_lead(staffed).owner is None


def test_quality_customers_make_leads_and_others_do_not(staffed) -> None:
    visit(staffed, customer(staffed, assets="300000", other="0", phone="13900000001"))
    assert only_lead(staffed).flag == "quality"
    visit(staffed, customer(staffed, assets="100000", other="0", phone="13900000002"), "wealth_products")
    visit(staffed, customer(staffed, assets="1000", other="0", phone="13900000003"))
    visit(staffed, None)
    assert len(staffed.list_leads()) == 1


def test_an_unidentified_walk_in_classified_as_potential_quality_gets_a_lead_of_its_own(staffed) -> None:
    visit_id = staffed.start_visit(reason="transfer", shift_id=None, staff_id="1001")
    cls = classify(Decimal(10000), Decimal(500000), age=40, education="bachelor")
    rec = recommend(cls.tier, "transfer", potential_quality=True, tier_with_other_assets=cls.tier_with_other_assets)
    staffed.confirm_visit(visit_id, classification=cls, recommendation=rec, destination=rec.destination)
    lead = only_lead(staffed)
    assert lead.customer_id is None and lead.name is None and lead.tier_with_other_assets == "mid_end"


# ---------------------------------------------------------------- worked by the account manager


def test_assign_take_contact_convert_with_the_figures(staffed, sv) -> None:
    visit(staffed, customer(staffed))
    lead = only_lead(staffed)
    managers = staffed.account_managers("1001")
    assert [m[0] for m in managers] == ["3001", "3002"] and not any(m[2] for m in managers)
    staffed.assign_lead(lead.id, "1001", "3002")
    assert staffed.get_lead(lead.id).owner == "3002"
    assert [lead.id] == [x.id for x in staffed.my_leads("3002")]
    assert staffed.my_leads("3001") == []  # assigned to someone else
    taken = staffed.take_lead(lead.id, "3002")
    assert taken.status == "taken" and taken.taken_ts
    with pytest.raises(InputError) as info:
        staffed.assign_lead(lead.id, "1001", "3001")
    assert info.value.key == "lead.already_taken" and "钱经理" in info.value.message("zh")
    phoned = staffed.record_contact(lead.id, "3002", "phone")
    assert (phoned.status, phoned.contact_kind) == ("contacted", "phone")
    done = staffed.record_contact(lead.id, "3002", "converted", converted_to="wealth_account", note="开立理财金账户")
    assert (done.status, done.converted_to, done.contacted_ts) == ("converted", "wealth_account", phoned.contacted_ts)
    assert done.closed_ts
    with pytest.raises(InputError):
        staffed.record_contact(lead.id, "3002", "phone")  # closed
    assert staffed.my_leads("3002") == []
    day = staffed.today()
    expected = {"made": 1, "taken": 1, "contacted_within_day": 1, "converted": 1}
    assert staffed.day_summary(day)["leads"] == expected
    assert staffed.trend(sv, end=day, days=2)[-1]["leads"] == expected
    assert staffed.trend(sv, end=day, days=2)[0]["leads"]["made"] == 0
    compare = {m.staff_id: m.figures["leads"] for m in staffed.compare_managers(sv, start=day, end=day)}
    assert compare == {"1001": expected}
    assert [a for a in actions(staffed) if a.startswith("lead_")] == [
        "lead_made",
        "lead_assigned",
        "lead_taken",
        "lead_contact",
        "lead_contact",
    ]
    assert staffed.verify_audit() is None


def test_hand_back_and_decline(staffed) -> None:
    visit(staffed, customer(staffed))
    lead = only_lead(staffed)
    staffed.take_lead(lead.id, "3001")  # nobody's yet: any account manager may take it
    back = staffed.hand_back(lead.id, "3001")
    assert (back.status, back.owner) == ("new", None)
    staffed.take_lead(lead.id, "3002")
    declined = staffed.record_contact(lead.id, "3002", "declined")
    assert declined.status == "declined" and declined.closed_ts
    # A closed lead stays closed: the customer's next visit makes a new one.
    visit(staffed, staffed.get_customer(lead.customer_id or ""))
    assert [x.status for x in staffed.list_leads()] == ["declined", "new"]
    assert [x.status for x in staffed.list_leads("declined")] == ["declined"]


@pytest.mark.parametrize(
    ("call", "key"),
    [
        (lambda s, lead: s.take_lead(lead, "1001"), "role.not_allowed"),  # a lobby manager cannot take
        (lambda s, lead: s.assign_lead(lead, "3001", "3002"), "role.not_allowed"),  # nor an AM assign
        (lambda s, lead: s.assign_lead(lead, "1001", "1001"), "lead.not_account_manager"),
        (lambda s, lead: s.record_contact(lead, "3001", "phone"), "lead.not_yours"),  # not taken yet
        (lambda s, lead: s.hand_back(lead, "3001"), "lead.not_yours"),
        (lambda s, lead: s.my_leads("1001"), "role.not_allowed"),
        (lambda s, lead: s.take_lead(lead, "nobody"), "role.not_signed_in"),
        (lambda s, lead: s.take_lead("no-such-lead", "3001"), "lead.unknown"),
    ],
)
def test_roles_are_enforced_in_the_store(staffed, call, key: str) -> None:  # type: ignore[no-untyped-def]
    visit(staffed, customer(staffed))
    lead = only_lead(staffed)
    before = len(staffed.audit_entries(500))
    with pytest.raises(InputError) as info:
        call(staffed, lead.id)
    assert info.value.key == key
    assert info.value.message("zh") != key and info.value.message("en") != key
    assert len(staffed.audit_entries(500)) == before
    assert staffed.get_lead(lead.id).status == "new"


def test_another_account_managers_lead_cannot_be_worked(staffed) -> None:
    visit(staffed, customer(staffed))
    lead = only_lead(staffed)
    staffed.take_lead(lead.id, "3001")
    for call in (
        lambda: staffed.take_lead(lead.id, "3002"),
        lambda: staffed.record_contact(lead.id, "3002", "meeting"),
        lambda: staffed.hand_back(lead.id, "3002"),
    ):
        with pytest.raises(InputError):
            call()
    with pytest.raises(InputError) as info:
        staffed.record_contact(lead.id, "3001", "converted")  # to what?
    assert info.value.key == "lead.converted_to_bad"
    with pytest.raises(InputError):
        staffed.record_contact(lead.id, "3001", "emailed")
    with pytest.raises(InputError):
        staffed.list_leads("open")


def test_a_deactivated_account_manager_is_not_on_duty(staffed, sv) -> None:
    staffed.open_shift("3001")
    staffed.deactivate_staff(sv, "3001")
    visit(staffed, customer(staffed))
    assert only_lead(staffed).owner is None


def test_the_account_managers_shift_is_not_for_review(staffed, sv) -> None:
    staffed.open_shift("3001")
    assert all(s.staff_id != "3001" for s in staffed.list_shifts(sv))


# ---------------------------------------------------------------- figures and the booking hook


def _lead(created: str, taken: str | None = None, contacted: str | None = None, status: str = "new") -> Lead:
    return Lead(
        "x", None, None, None, status, None, None, "quality", "mid_end", "mid_end", (), 1, None, created, created,
        taken_ts=taken, contacted_ts=contacted,
    )  # fmt: skip


def test_contacted_within_a_day_is_24_hours_from_the_lead() -> None:
    made = datetime(2026, 11, 18, 10, 0).astimezone()
    at = lambda **kw: (made + timedelta(**kw)).isoformat()  # noqa: E731
    leads = [
        _lead(made.isoformat(), at(hours=1), at(hours=24), "contacted"),
        _lead(made.isoformat(), at(hours=1), at(hours=24, seconds=1), "converted"),
        _lead(made.isoformat()),
    ]
    assert lead_figures(leads) == {"made": 3, "taken": 2, "contacted_within_day": 1, "converted": 1}
    assert lead_figures([]) == {"made": 0, "taken": 0, "contacted_within_day": 0, "converted": 0}


def test_the_large_cash_booking_hook_reads_appointments(staffed) -> None:
    """Issue 11 filled the hook in: the guidance's booking is a real large-cash appointment
    (tests/test_appointments.py has the rest)."""
    from lobby_tui.store.appointments import Booking

    who = customer(staffed)
    assert staffed.large_cash_booking(who.id) == ("none_today", None)
    assert staffed.large_cash_booking(None) == ("unknown", None)
    booking = Booking(who.id, staffed.today(), "14:30", "large_cash", amount=Decimal("60000"))
    staffed.book_appointment("1001", booking)
    assert staffed.large_cash_booking(who.id) == ("booked", "14:30")


# ---------------------------------------------------------------- the command line


def run(*args: str, staff: tuple[str, str] | None = ("3001", PIN)) -> subprocess.CompletedProcess[str]:
    """The command as a script runs it: as the account manager 3001 (their staff id and PIN), or
    as nobody (`staff=None`)."""
    env = {k: v for k, v in os.environ.items() if k not in ("LOBBY_TUI_STAFF", "LOBBY_TUI_PIN")}
    if staff is not None:
        env |= {"LOBBY_TUI_STAFF": staff[0], "LOBBY_TUI_PIN": staff[1]}
    return subprocess.run(
        [sys.executable, "-m", "lobby_tui", *args], capture_output=True, text=True, timeout=120, env=env
    )


def test_leads_and_summary_on_the_command_line(staffed, db_path: Path) -> None:
    visit(staffed, customer(staffed))
    lead = only_lead(staffed)
    staffed.take_lead(lead.id, "3001")
    staffed.close()
    result = run("leads", "--db", str(db_path), "--json")
    assert result.returncode == 0, result.stderr
    (row,) = json.loads(result.stdout)
    assert row["name"] == "张*明" and row["phone"] == "139****5678" and row["status"] == "taken"
    assert row["owner"] == "3001" and row["reasons"] == ["cash_withdrawal"]
    assert PHONE not in result.stdout and "张三明" not in result.stdout
    assert json.loads(run("leads", "--db", str(db_path), "--status", "new", "--json").stdout) == []
    table = run("leads", "--db", str(db_path), "--lang", "en")
    assert table.returncode == 0 and "张*明" in table.stdout and "Taken" in table.stdout
    assert PHONE not in table.stdout and "张三明" not in table.stdout
    nobody = run("leads", "--db", str(db_path), "--json", staff=None)  # names and phones: a PIN first
    assert nobody.returncode == 2 and nobody.stdout == "" and "LOBBY_TUI_PIN" in nobody.stderr
    bad = run("leads", "--db", str(db_path), "--status", "open")
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
    summary = json.loads(run("summary", "--db", str(db_path), "--date", "2026-11-18", "--json").stdout)
    assert summary["leads"] == {"made": 1, "taken": 1, "contacted_within_day": 0, "converted": 0}
