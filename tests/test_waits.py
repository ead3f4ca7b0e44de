"""Waits and wait estimates (issue 11): the estimator, tickets called and done, the windows open,
`lobby-tui ticket call|done` with its refusals, and the summary's `waits`."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from lobby_tui.cli import main
from lobby_tui.domain.errors import InputError
from lobby_tui.domain.figures import day_figures, figures_current, merge_figures
from lobby_tui.domain.guidance import Recommendation, recommend
from lobby_tui.domain.rules import guidance_rules
from lobby_tui.domain.waits import ServiceSample, estimate_wait, naive_wait, service_minutes
from lobby_tui.store import LobbyStore
from lobby_tui.store.migrations import SCHEMA_VERSION
from tests.conftest import FIXED_NOW

# ---------------------------------------------------------------- the estimator


def test_the_queue_ahead_and_the_open_windows_set_the_wait() -> None:
    # Nobody ahead, a window free: no wait.
    assert estimate_wait(0, 2, 6.0) == 0.0
    # Four ahead at two busy windows (state unknown: half-way through a service), six minutes each:
    # windows free at 3, 3, then 9, 9, then 15 - the fifth customer goes at 15.
    assert estimate_wait(4, 2, 6.0) == pytest.approx(15.0)
    # The same queue with one window takes about twice as long; with four, well under half.
    one, four = estimate_wait(4, 1, 6.0), estimate_wait(4, 4, 6.0)
    assert one == pytest.approx(27.0) and four == pytest.approx(9.0)
    # Two customers more ahead at two windows add one service.
    assert estimate_wait(6, 2, 6.0) == pytest.approx(21.0)


def test_tickets_being_served_count_by_how_long_they_have_been_at_the_window() -> None:
    # Two windows, one ticket called 5 minutes ago (1 minute left of 6), the other window free: the
    # next customer goes straight to the free window.
    assert estimate_wait(0, 2, 6.0, in_service=[5.0]) == 0.0
    # Both busy: one nearly done (1 left), one just called (6 left): the one ahead takes the first,
    # the newcomer the second at 6.
    assert estimate_wait(1, 2, 6.0, in_service=[5.0, 0.0]) == pytest.approx(6.0)
    # A ticket far over its time is taken to finish soon (a fifth of a service), never in the past.
    assert estimate_wait(0, 1, 10.0, in_service=[40.0]) == pytest.approx(2.0)


def test_no_history_gives_the_prior_and_history_moves_it_recent_weeks_most() -> None:
    assert service_minutes([], 6.0) == 6.0
    # Last week's 30 tickets at 10 minutes outweigh the prior of 6 (worth 3 tickets).
    last_week = service_minutes([ServiceSample(1, 30, 10.0)], 6.0)
    assert 9.5 < last_week < 10.0
    # The same tickets four weeks back count an eighth as much: nearer the prior.
    long_ago = service_minutes([ServiceSample(4, 30, 10.0)], 6.0)
    assert 6.0 < long_ago < last_week
    # A recent week wins over an old one that disagrees.
    mixed = service_minutes([ServiceSample(1, 20, 4.0), ServiceSample(6, 20, 12.0)], 6.0)
    assert mixed < 5.0
    # Empty or nonsense samples change nothing.
    assert service_minutes([ServiceSample(1, 0, 99.0), ServiceSample(0, 5, 99.0)], 6.0) == 6.0


def test_a_closed_destination_has_no_estimate_and_the_naive_one_ignores_windows() -> None:
    assert estimate_wait(3, 0, 6.0) is None
    assert estimate_wait(0, 0, 6.0) is None
    assert naive_wait(4, 6.0) == 24.0  # four ahead at six minutes, whatever the windows
    assert naive_wait(-1, 6.0) == 0.0


def test_the_long_queue_diversion_goes_by_the_estimate() -> None:
    rules = guidance_rules()
    long = rules.settings["long_wait_minutes"]

    def pq(**queues: object) -> Recommendation:
        return recommend("ordinary", "cash_withdrawal", potential_quality=True, **queues)  # type: ignore[arg-type]

    # A short queue with a long estimate diverts; a long queue with a short estimate does not.
    rec = pq(waiting={"priority_counter": 1}, estimates={"priority_counter": long + 1.0})
    assert rec.destination == "self_service" and rec.rule == "long_queue"
    rec = pq(waiting={"priority_counter": 30}, estimates={"priority_counter": long - 1.0})
    assert rec.destination == "priority_counter"
    # A closed counter diverts to the channel too.
    assert pq(estimates={"priority_counter": None}).rule == "long_queue"
    # Without an estimate for the destination, the bare count still decides (lobby-tui guide).
    assert pq(waiting={"priority_counter": rules.settings["long_queue"]}).rule == "long_queue"
    assert pq(waiting={"priority_counter": 1}, estimates={"cash_counter": None}).destination == "priority_counter"


# ---------------------------------------------------------------- the store


def confirm(store: LobbyStore, destination: str = "cash_counter") -> str:
    visit_id = store.start_visit(reason="cash_withdrawal", shift_id=None, staff_id=None)
    rec = Recommendation(destination, None, {"zh": "", "en": ""}, ())
    store.confirm_visit(visit_id, classification=None, recommendation=rec, destination=destination)
    return visit_id


def at(path: Path, when: datetime) -> LobbyStore:
    s = LobbyStore(path, clock=lambda: when)
    s.check()
    return s


def test_a_called_ticket_stops_waiting_and_done_serves_it(store: LobbyStore) -> None:
    first, second = confirm(store), confirm(store)
    ticket = store.get_visit(first).ticket
    assert ticket == "A001"
    assert store.board().waiting["cash_counter"] == 2
    called = store.call_ticket("a001", staff_id="1001")
    assert called.called_ts == store.now() and called.outcome == "waiting"
    board = store.board()
    assert board.waiting["cash_counter"] == 1 and board.in_branch == 2
    assert board.estimates["cash_counter"].called == 1 and board.estimates["cash_counter"].ahead == 1
    done = store.done_ticket("A001")
    assert done.outcome == "served" and done.done_ts == store.now() and done.outcome_ts == store.now()
    assert store.board().in_branch == 1
    actions = [e["action"] for e in store.audit_entries(20)]
    assert "ticket_called" in actions and "ticket_done" in actions
    # Refused: calling twice, acting on a visit no longer waiting, an unknown ticket.
    store.call_ticket("A002")
    with pytest.raises(InputError) as twice:
        store.call_ticket("A002")
    assert twice.value.key == "ticket.already_called"
    with pytest.raises(InputError) as served:
        store.call_ticket("A001")
    assert served.value.key == "ticket.not_waiting"
    with pytest.raises(InputError) as unknown:
        store.done_ticket("Z999")
    assert unknown.value.key == "ticket.unknown"
    assert store.get_visit(second).called_ts is not None
    assert store.audit_status().ok


def test_undo_and_redirect_put_the_call_back(store: LobbyStore) -> None:
    visit_id = confirm(store)
    before = store.get_visit(visit_id)
    store.done_visit(visit_id)
    store.undo_outcome(before)
    again = store.get_visit(visit_id)
    assert again.outcome == "waiting" and again.done_ts is None and again.called_ts is None
    store.call_visit(visit_id)
    redirected = store.set_outcome(visit_id, "redirected", destination="non_cash_counter")
    assert redirected.called_ts is None and redirected.ticket == "B001"  # waits again at the new counter
    assert store.board().waiting["non_cash_counter"] == 1


def test_a_ticket_of_another_day_is_refused_with_its_day(db_path: Path) -> None:
    yesterday = at(db_path, FIXED_NOW - timedelta(days=1))
    confirm(yesterday)
    yesterday.close()
    today = at(db_path, FIXED_NOW)
    with pytest.raises(InputError) as refused:
        today.call_ticket("A001")
    assert refused.value.key == "ticket.other_day" and refused.value.params["day"] == "2026-11-17"


def test_windows_are_remembered_for_the_day_audited_and_change_the_estimate(
    db_path: Path, fixed_clock: Callable[[], datetime]
) -> None:
    store = at(db_path, FIXED_NOW)
    for _ in range(4):
        confirm(store)
    assert store.open_windows()["cash_counter"] == guidance_rules().destinations["cash_counter"].windows == 2
    two = store.wait_estimates()["cash_counter"].minutes
    store.set_windows("cash_counter", 1, staff_id="1001")
    one = store.wait_estimates()["cash_counter"].minutes
    assert two is not None and one is not None and one > two
    store.set_windows("cash_counter", 0, staff_id="1001")
    assert store.wait_estimates()["cash_counter"].minutes is None
    store.close()
    # Another store on the file (the app started again, the next shift): the same windows today.
    later = at(db_path, FIXED_NOW + timedelta(hours=3))
    assert later.open_windows()["cash_counter"] == 0
    entry = next(e for e in later.audit_entries(20) if e["action"] == "windows_set")
    detail = json.loads(entry["detail"])
    assert (detail["destination"], detail["windows"], detail["previous"]) == ("cash_counter", 0, 1)
    assert entry["staff_id"] == "1001"
    # Tomorrow starts from data/guidance.toml again.
    tomorrow = at(db_path, FIXED_NOW + timedelta(days=1))
    assert tomorrow.open_windows()["cash_counter"] == 2
    with pytest.raises(InputError):
        tomorrow.set_windows("cash_counter", 99)
    with pytest.raises(InputError):
        tomorrow.set_windows("nowhere", 1)


def test_the_estimate_learns_service_times_from_the_same_weekday_and_hour(db_path: Path) -> None:
    # Last Wednesday at 10:xx the cash counter took 20 minutes a ticket (the prior is 6).
    week_ago = FIXED_NOW - timedelta(days=7)
    for n in range(10):
        called = week_ago + timedelta(minutes=2 * n)
        past = at(db_path, called)
        visit_id = confirm(past)
        past.call_visit(visit_id)
        past.close()
        done = at(db_path, called + timedelta(minutes=20))
        done.done_visit(visit_id)
        done.close()
    store = at(db_path, FIXED_NOW)
    assert store.wait_estimates()["cash_counter"].service > 15
    # Another hour of that day taught nothing about 15:xx: the prior.
    afternoon = at(db_path, FIXED_NOW.replace(hour=15))
    assert afternoon.wait_estimates()["cash_counter"].service == pytest.approx(6.0)
    assert afternoon.wait_estimates()["non_cash_counter"].service == pytest.approx(9.0)


def test_the_schema_has_the_waits_columns(store: LobbyStore) -> None:
    columns = {r["name"] for r in store.query("PRAGMA table_info(visits)")}
    assert {"called_ts", "done_ts"} <= columns
    assert store.query("PRAGMA user_version")[0][0] == SCHEMA_VERSION
    from lobby_tui.hq.tables import SYNC_TABLES

    visits = next(t for t in SYNC_TABLES if t.name == "visits")
    assert {"called_ts", "done_ts"} <= set(visits.columns)


# ---------------------------------------------------------------- summary waits


def test_summary_waits_per_destination(db_path: Path) -> None:
    for minutes in (2, 4, 6, 8, 30):
        s = at(db_path, FIXED_NOW.replace(hour=9))
        visit_id = confirm(s)
        s.close()
        s = at(db_path, FIXED_NOW.replace(hour=9) + timedelta(minutes=minutes))
        s.call_visit(visit_id)
        s.done_visit(visit_id)
        s.close()
    s = at(db_path, FIXED_NOW)
    left = confirm(s)
    s.set_outcome(left, "left")
    figures = s.day_summary(FIXED_NOW.date().isoformat())
    cash = figures["waits"]["cash_counter"]
    assert cash == {"served": 5, "median_wait_min": 6, "p90_wait_min": 30, "left_unserved": 1}
    assert figures["waits"]["non_cash_counter"] == {
        "served": 0,
        "median_wait_min": None,
        "p90_wait_min": None,
        "left_unserved": 0,
    }
    assert "wait_histogram" not in figures
    # Kept days merge exactly: two halves give the whole's median and p90.
    visits = s.visits_on(FIXED_NOW.date().isoformat())
    day = FIXED_NOW.date().isoformat()
    halves = merge_figures([day_figures(day, visits[:2]), day_figures(day, visits[2:])])
    assert halves["waits"]["cash_counter"] == cash
    # Figures kept before `waits` existed are computed again.
    old = day_figures(day, visits)
    del old["waits"], old["wait_histogram"]
    assert not figures_current(old) and figures_current(day_figures(day, visits))


# ---------------------------------------------------------------- the command line


def cli(*args: str) -> int:
    return main(["--lang", "en", *args])


def test_ticket_call_and_done_on_the_command_line(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    s = LobbyStore(db_path)  # the real clock: the command works on today's tickets
    s.check()
    confirm(s)
    confirm(s)
    s.close()
    assert cli("ticket", "call", "--db", str(db_path), "A001") == 0
    assert capsys.readouterr().out.startswith("Called: A001 (")
    assert cli("ticket", "done", "--db", str(db_path), "a001") == 0
    assert capsys.readouterr().out.startswith("Done: A001 (")
    s = LobbyStore(db_path)
    assert s.board().waiting["cash_counter"] == 1
    # Bad input: one line in the user's language, exit 2, nothing changed.
    for args, line in [
        (("call", "Z404"), "lobby-tui: No such ticket today: Z404\n"),
        (("done", "A001"), "lobby-tui: Ticket A001 is no longer waiting (served): nothing to call or finish\n"),
    ]:
        assert cli("ticket", args[0], "--db", str(db_path), args[1]) == 2
        assert capsys.readouterr().err == line
    assert main(["--lang", "zh", "ticket", "call", "--db", str(db_path), "Z404"]) == 2
    assert capsys.readouterr().err == "lobby-tui: 今天没有这个号：Z404\n"
    assert cli("ticket", "--db", str(db_path)) == 2
    assert "ticket call|done" in capsys.readouterr().err
    assert cli("ticket", "call", "--db", str(db_path)) == 2  # no ticket given
    assert len(capsys.readouterr().err.strip().splitlines()) == 1
    assert s.board().waiting["cash_counter"] == 1


def test_a_ticket_from_another_day_on_the_command_line(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    yesterday = datetime.now().astimezone() - timedelta(days=1)
    s = at(db_path, yesterday)
    confirm(s)
    s.close()
    assert cli("ticket", "call", "--db", str(db_path), "A001") == 2
    assert capsys.readouterr().err == f"lobby-tui: Ticket A001 is from {yesterday.date().isoformat()}, not today\n"
    assert main(["--lang", "zh", "ticket", "done", "--db", str(db_path), "A001"]) == 2
    assert capsys.readouterr().err == f"lobby-tui: A001 是 {yesterday.date().isoformat()} 的号，不是今天的\n"


def test_ticket_needs_a_staff_sign_in_once_there_is_staff(
    db_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    s = LobbyStore(db_path)
    s.check()
    s.add_staff("1001", "王丽", "lobby_manager", "246810")
    confirm(s)
    s.close()
    for name in ("LOBBY_TUI_STAFF", "LOBBY_TUI_PIN"):
        monkeypatch.delenv(name, raising=False)
    assert cli("ticket", "call", "--db", str(db_path), "A001") == 2
    assert "lobby-tui ticket" in capsys.readouterr().err
    monkeypatch.setenv("LOBBY_TUI_STAFF", "1001")
    monkeypatch.setenv("LOBBY_TUI_PIN", "246810")
    assert cli("ticket", "call", "--db", str(db_path), "A001") == 0
    entry = next(e for e in LobbyStore(db_path).audit_entries(20) if e["action"] == "ticket_called")
    assert entry["staff_id"] == "1001"
