"""The demo generator: realistic, complete, private, repeatable and resumable."""

from __future__ import annotations

import hashlib
import random
import re
import sqlite3
import statistics
import uuid
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest

from lobby_tui.domain.amounts import from_fen
from lobby_tui.domain.guidance import recommend
from lobby_tui.domain.idnumber import age_on, parse_id_number
from lobby_tui.domain.rules import (
    DESTINATION_CODES,
    REASON_CODES,
    TIER_CODES,
    guidance_rules,
)
from lobby_tui.domain.tiers import classify
from lobby_tui.store.demo import (
    DEMO_STAFF,
    DemoResult,
    _fast_uuid,
    generate_demo,
    known_customers,
)
from lobby_tui.store.lobby_store import LobbyStore

CST = timezone(timedelta(hours=8))
NOW = datetime(2026, 11, 18, 15, 30, tzinfo=CST)  # a Wednesday afternoon
TODAY = NOW.date().isoformat()
CUSTOMERS, DAYS, SEED = 3000, 30, 7


def make_store(path: Path) -> LobbyStore:
    return LobbyStore(path, clock=lambda: NOW)


def rows(store: LobbyStore, sql: str, params: tuple = ()) -> list[sqlite3.Row]:
    return store.query(sql, params)


def digest(store: LobbyStore) -> str:
    """Customers, visits and shifts, without what differs between two files by design (the device id
    and the keyed hashes, which use each file's own secret)."""
    h = hashlib.sha256()
    for table in ("customers", "visits", "shifts"):
        columns = [
            r["name"]
            for r in rows(store, f"PRAGMA table_info({table})")
            if r["name"] != "device_id" and not r["name"].endswith("_hash")
        ]
        for r in rows(store, f"SELECT {', '.join(columns)} FROM {table} ORDER BY id"):
            h.update(repr(tuple(r)).encode())
    return h.hexdigest()


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[LobbyStore, DemoResult, list]:
    store = make_store(tmp_path_factory.mktemp("demo") / "demo.db")
    calls: list[tuple[str, int, int]] = []
    result = generate_demo(store, customers=CUSTOMERS, days=DAYS, seed=SEED, progress=lambda *a: calls.append(a))
    return store, result, calls


def test_result_and_progress(demo) -> None:
    store, result, calls = demo
    assert result.customers == CUSTOMERS == rows(store, "SELECT count(*) FROM customers")[0][0]
    assert result.visits == rows(store, "SELECT count(*) FROM visits")[0][0]
    assert 30 * 80 < result.visits < 30 * 250
    assert result.staff == DEMO_STAFF
    assert calls[-1] == ("visits", DAYS, DAYS)
    assert ("customers", CUSTOMERS, CUSTOMERS) in calls
    for staff_id, name, role, pin in DEMO_STAFF:
        assert store.sign_in(staff_id, pin).name == name
        assert store.get_staff(staff_id).role == role


def test_database_is_sound(demo) -> None:
    store, _, _ = demo
    assert rows(store, "PRAGMA integrity_check")[0][0] == "ok"
    assert rows(store, "PRAGMA foreign_key_check") == []
    assert store.verify_audit() is None


def test_directory_looks_like_a_branch(demo) -> None:
    store, _, _ = demo
    today = NOW.date()
    tiers: Counter[str] = Counter()
    potential_quality = 0
    customers = rows(store, "SELECT * FROM customers")
    for c in customers:
        age = age_on(date.fromisoformat(c["birth_date"]), today) if c["birth_date"] else None
        if age is not None:
            assert 16 <= age <= 85
        k = classify(from_fen(c["assets_fen"]), from_fen(c["other_assets_fen"]), age=age, education=c["education"])
        tiers[k.tier] += 1
        potential_quality += k.potential_quality
        assert re.fullmatch(r"[\u4e00-\u9fff]{2,4}", c["name"]), c["name"]
        if c["phone_hash"]:
            assert re.fullmatch(r"1[3-9]\d\*{4}\d{4}", c["phone_masked"])
            assert c["phone_masked"].endswith(c["phone_last4"])
        assert (c["id_hash"] is None) == (c["id_last4"] is None) == (c["birth_date"] is None)
        assert (c["card_hash"] is None) == (c["card_last4"] is None)
    assert set(tiers) == set(TIER_CODES)
    share = {t: n / len(customers) for t, n in tiers.items()}
    assert share["ordinary"] + share["potential"] > 0.45
    assert share["mass_affluent"] > 0.2
    assert share["mass_affluent"] > share["mid_end"] > share["high_end"] > share["private_banking"] > 0
    assert share["private_banking"] < 0.01
    assert 0.03 < potential_quality / len(customers) < 0.2
    assert {c["education"] for c in customers} > {"junior_high", "bachelor", "master"}
    assert len({c["name"][0] for c in customers}) > 60  # many surnames
    assert any(c["name"].startswith("欧阳") for c in customers)
    phones = [c["phone_hash"] for c in customers if c["phone_hash"]]
    ids = [c["id_hash"] for c in customers if c["id_hash"]]
    assert len(set(phones)) == len(phones) and len(set(ids)) == len(ids)  # no two share a number


def test_known_customers_can_be_looked_up(demo) -> None:
    store, _, _ = demo
    for k in known_customers(NOW.date()):
        found = store.lookup(phone=k.phone)
        assert [c.name for c in found] == [k.name]
        assert [c.name for c in store.lookup(id_number=k.id_number)] == [k.name]
        if k.card:
            assert [c.name for c in store.lookup(card=k.card)] == [k.name]
        c = found[0]
        age = parse_id_number(k.id_number, NOW.date()).age_on(NOW.date())
        assert classify(c.assets, c.other_assets, age=age, education=c.education).tier == k.tier
    wang = store.lookup(phone="13900000004")[0]
    assert classify(wang.assets, wang.other_assets, age=33, education=wang.education).potential_quality


def test_visits_cover_everything(demo) -> None:
    store, result, _ = demo
    visits = rows(store, "SELECT * FROM visits")
    assert {v["tier"] for v in visits} == set(TIER_CODES)
    assert {v["reason"] for v in visits} == set(REASON_CODES)
    assert {v["destination"] for v in visits} == set(DESTINATION_CODES)
    assert {v["recommended_destination"] for v in visits} == set(DESTINATION_CODES)
    outcomes = Counter(v["outcome"] for v in visits)
    assert set(outcomes) == {"served", "left", "waiting"}
    assert 0.02 < outcomes["left"] / len(visits) < 0.07
    overridden = [v for v in visits if v["override_reason"]]
    assert 0.015 < len(overridden) / len(visits) < 0.05
    assert {"客户坚持柜台办理", "自助设备故障"} <= {v["override_reason"] for v in overridden}
    assert 0.05 < sum(v["customer_id"] is None for v in visits) / len(visits) < 0.3
    assert any(v["potential_quality"] for v in visits) and any(v["refer_to"] for v in visits)
    assert any(v["amount_fen"] for v in visits) and any(v["notes"] for v in visits)


def test_visits_follow_the_rules(demo) -> None:
    """Tier from the directory on the visit's day, the recommendation from the guidance rules."""
    store, _, _ = demo
    customers = {c["id"]: c for c in rows(store, "SELECT * FROM customers")}
    for v in rows(store, "SELECT * FROM visits"):
        day = date.fromisoformat(v["day"])
        if v["customer_id"] is None:
            tier, quality, pq = "ordinary", False, False
        else:
            c = customers[v["customer_id"]]
            age = age_on(date.fromisoformat(c["birth_date"]), day) if c["birth_date"] else None
            k = classify(from_fen(c["assets_fen"]), from_fen(c["other_assets_fen"]), age=age, education=c["education"])
            tier, quality, pq = k.tier, k.quality, k.potential_quality
        assert (v["tier"], bool(v["quality"]), bool(v["potential_quality"])) == (tier, quality, pq)
        amount = from_fen(v["amount_fen"]) if v["amount_fen"] is not None else None
        rec = recommend(tier, v["reason"], amount, potential_quality=pq)
        assert (v["recommended_destination"], v["refer_to"]) == (rec.destination, rec.refer_to)
        assert (v["destination"] != v["recommended_destination"]) == (v["override_reason"] is not None)
        assert v["ts"] < v["confirmed_ts"] <= v["updated_ts"]
        assert v["ts"][:10] == v["day"] and v["ts"].endswith("+08:00")
        if v["outcome"] in ("served", "left"):
            assert v["outcome_ts"] == v["updated_ts"] > v["confirmed_ts"]
        else:
            assert v["outcome_ts"] is None


def test_tickets_count_up_per_destination_and_day(demo) -> None:
    store, _, _ = demo
    prefixes = {code: d.prefix for code, d in guidance_rules().destinations.items()}
    seen: dict[tuple[str, str], list[str]] = defaultdict(list)
    for v in rows(store, "SELECT day, destination, ticket FROM visits ORDER BY ts"):
        seen[(v["day"], v["destination"])].append(v["ticket"])
    for (_, destination), tickets in seen.items():
        assert tickets == [f"{prefixes[destination]}{n:03d}" for n in range(1, len(tickets) + 1)]


def test_the_days_have_a_realistic_rhythm(demo) -> None:
    store, _, _ = demo
    per_day = {r["day"]: r["n"] for r in rows(store, "SELECT day, count(*) AS n FROM visits GROUP BY day")}
    assert len(per_day) == DAYS
    weekdays = {d: n for d, n in per_day.items() if date.fromisoformat(d).weekday() < 5 and d != TODAY}
    weekends = {d: n for d, n in per_day.items() if date.fromisoformat(d).weekday() >= 5}
    assert all(80 <= n <= 250 for n in weekdays.values())
    assert max(weekends.values()) < min(weekdays.values())
    mid = [n for d, n in weekdays.items() if 10 <= int(d[8:]) <= 20]
    rest = [n for d, n in weekdays.items() if not 10 <= int(d[8:]) <= 20]
    assert sum(mid) / len(mid) > sum(rest) / len(rest)
    hours = Counter(int(r["ts"][11:13]) for r in rows(store, "SELECT ts FROM visits"))
    assert set(hours) == set(range(9, 17))  # open 9:00-17:00
    assert hours[11] > hours[12] < hours[14] and hours[10] > hours[9] and hours[14] > hours[16]


def test_today_stops_now_with_customers_still_waiting(demo) -> None:
    store, _, _ = demo
    today = store.visits_on(TODAY)
    assert today and max(v.ts for v in today) <= NOW.isoformat()
    assert all(v.outcome_ts is None or v.outcome_ts <= NOW.isoformat() for v in today)
    assert sum(v.outcome == "waiting" for v in today) >= 5
    assert all(v.outcome in ("served", "left") for v in store.visits_on("2026-11-17"))
    board = store.board()
    # In the branch: those waiting, and those at a window now (called, not done: no longer waiting).
    at_windows = sum(e.called for e in board.estimates.values())
    assert board.in_branch >= 5 and sum(board.waiting.values()) + at_windows == board.in_branch
    assert board.recent and board.follow_up


def test_shifts_and_audit(demo) -> None:
    store, _, _ = demo
    shifts = rows(store, "SELECT * FROM shifts")
    by_day = defaultdict(list)
    for s in shifts:
        by_day[s["day"]].append(s)
        if s["day"] == TODAY:
            assert s["status"] == "open" and s["closed_ts"] is None
        else:
            assert s["status"] in ("closed", "returned", "signed_off") and s["opened_ts"] < s["closed_ts"]
    assert len(by_day) == DAYS
    for day, day_shifts in by_day.items():
        expected = 2 if date.fromisoformat(day).weekday() < 5 else 1
        assert len(day_shifts) == expected and {s["staff_id"] for s in day_shifts} <= {"1001", "1002"}
    shift_of = {s["id"]: s for s in shifts}
    for v in rows(store, "SELECT shift_id, staff_id, day FROM visits"):
        assert shift_of[v["shift_id"]]["staff_id"] == v["staff_id"] and shift_of[v["shift_id"]]["day"] == v["day"]
    assert store.open_shift("1001").id in shift_of  # the app carries on with today's open shift

    actions = Counter(r["action"] for r in rows(store, "SELECT action FROM audit"))
    overrides = rows(store, "SELECT count(*) FROM visits WHERE override_reason IS NOT NULL")[0][0]
    assert actions["override"] == overrides
    assert actions["signin"] >= len(shifts) and actions["shift_opened"] == len(shifts)
    assert actions["shift_closed"] == sum(s["status"] != "open" for s in shifts)
    override = rows(store, "SELECT * FROM audit WHERE action = 'override' LIMIT 1")[0]
    visit = store.get_visit(re.search(r'"visit_id":"([^"]+)"', override["detail"].replace(" ", ""))[1])
    assert visit.override_reason in override["detail"] and override["staff_id"] == visit.staff_id
    assert store.verify_audit() is None


def test_no_full_numbers_are_stored(demo) -> None:
    store, _, _ = demo
    uuid_re = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
    long_digits = re.compile(r"\d{11,}|\d{17}[\dXx]")
    digest_re = re.compile(r"\b[0-9a-f]{32,64}\b")
    tables = [r["name"] for r in rows(store, "SELECT name FROM sqlite_master WHERE type = 'table'")]
    for table in tables:
        columns = [r["name"] for r in rows(store, f"PRAGMA table_info({table})") if not r["name"].endswith("hash")]
        for r in rows(store, f"SELECT {', '.join(columns)} FROM {table}"):
            for value in r:
                if isinstance(value, str):
                    plain = digest_re.sub("", uuid_re.sub("", value))  # ids and digests (rows_digest) aside
                    assert not long_digits.search(plain), (table, value)
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    raw = b"".join(p.read_bytes() for p in Path(store.path).parent.glob("demo.db*") if p.suffix != ".key")
    for k in known_customers(NOW.date()):
        for number in (k.phone, k.id_number, k.card):
            if number:
                assert number.encode() not in raw


def test_rerunning_adds_nothing(demo) -> None:
    store, _, _ = demo
    counts = (
        "SELECT (SELECT count(*) FROM customers), (SELECT count(*) FROM visits), "
        "(SELECT count(*) FROM shifts), (SELECT count(*) FROM staff), (SELECT count(*) FROM audit)"
    )
    before = tuple(rows(store, counts)[0])
    result = generate_demo(store, customers=CUSTOMERS, days=DAYS, seed=SEED)
    assert tuple(rows(store, counts)[0]) == before
    assert (result.customers, result.visits) == before[:2]
    generate_demo(store, customers=100, days=5, seed=99)  # smaller asks: nothing to add either
    assert tuple(rows(store, counts)[0]) == before


def test_same_seed_same_data_and_resuming_completes_it(demo, tmp_path: Path) -> None:
    store, _, _ = demo
    again = make_store(tmp_path / "again.db")
    generate_demo(again, customers=CUSTOMERS, days=DAYS, seed=SEED)
    assert digest(again) == digest(store)
    other = make_store(tmp_path / "other.db")
    generate_demo(other, customers=300, days=2, seed=SEED + 1)
    small = make_store(tmp_path / "small.db")
    generate_demo(small, customers=300, days=2, seed=SEED)
    assert digest(other) != digest(small)


class Interrupted(BaseException):
    pass


@pytest.mark.parametrize("stop_at", [("customers", 1100), ("visits", 14)])
def test_an_interrupted_run_is_completed_by_running_it_again(demo, tmp_path: Path, monkeypatch, stop_at) -> None:
    """Each chunk is committed: a run killed part-way leaves whole chunks, and the same command finishes it
    with the same data as a run that was never stopped."""
    store, _, _ = demo
    monkeypatch.setattr("lobby_tui.store.demo.CUSTOMER_CHUNK", 550)
    monkeypatch.setattr("lobby_tui.store.demo.DAYS_PER_TRANSACTION", 7)

    def progress(stage: str, done: int, total: int) -> None:
        if (stage, done) == stop_at:
            raise Interrupted

    resumed = make_store(tmp_path / "resumed.db")
    with pytest.raises(Interrupted):
        generate_demo(resumed, customers=CUSTOMERS, days=DAYS, seed=SEED, progress=progress)
    assert rows(resumed, "PRAGMA integrity_check")[0][0] == "ok"
    counts = tuple(
        rows(resumed, "SELECT (SELECT count(*) FROM customers), (SELECT count(DISTINCT day) FROM visits)")[0]
    )
    assert counts == ((1100, 0) if stop_at[0] == "customers" else (CUSTOMERS, 14))
    generate_demo(resumed, customers=CUSTOMERS, days=DAYS, seed=SEED)
    assert digest(resumed) == digest(store)
    assert resumed.verify_audit() is None


def test_fills_a_database_in_use(tmp_path: Path) -> None:
    store = make_store(tmp_path / "used.db")
    store.add_staff("1001", "王丽", "lobby_manager", "246810")
    mine = store.add_customer(name="赵六", phone="13512345678", assets=Decimal("300000"))
    generate_demo(store, customers=50, days=3, seed=1)
    assert rows(store, "SELECT count(*) FROM customers")[0][0] == 50
    assert store.lookup(phone="13512345678")[0].id == mine.id
    assert rows(store, "SELECT count(*) FROM staff")[0][0] == len(DEMO_STAFF)
    assert store.verify_audit() is None


def test_rejects_negative_sizes(tmp_path: Path) -> None:
    store = make_store(tmp_path / "bad.db")
    with pytest.raises(ValueError):
        generate_demo(store, customers=-1, days=1, seed=1)
    with pytest.raises(ValueError):
        generate_demo(store, customers=1, days=-1, seed=1)


def test_fast_uuid_is_a_version_4_uuid() -> None:
    a, b = random.Random(5), random.Random(5)
    for _ in range(200):
        assert _fast_uuid(a) == str(uuid.UUID(int=b.getrandbits(128), version=4))


def test_shift_logs_and_reviews(demo) -> None:
    """Every screen of the review has something to show: patrols, incidents, handovers, corrections,
    shifts waiting for review, one sent back to each lobby manager, signed-off shifts, and the audit
    entries behind them."""
    store, _, _ = demo
    shifts = {s["id"]: s for s in rows(store, "SELECT * FROM shifts")}
    status = Counter(s["status"] for s in shifts.values())
    assert {s["staff_id"] for s in shifts.values() if s["status"] == "open"} == {"1001", "1002"}  # a Wednesday
    assert status["signed_off"] > status["closed"] > 0
    returned = [s for s in shifts.values() if s["status"] == "returned"]
    assert sorted(s["staff_id"] for s in returned) == ["1001", "1002"]
    for staff_id in ("1001", "1002"):
        (shift,) = store.returned_shifts(staff_id)
        assert shift.question
        earlier = [s for s in shifts.values() if s["staff_id"] == staff_id and TODAY > s["day"] > shift.day]
        assert earlier == []  # the latest shift before today
    for s in shifts.values():
        if s["status"] == "signed_off":
            assert s["review_by"] == "9001" and s["review_ts"] > s["closed_ts"]
        else:
            assert s["review_by"] is None

    log = rows(store, "SELECT * FROM shift_log")
    kinds = Counter(r["kind"] for r in log)
    assert kinds["patrol"] >= 3 * len(shifts) - 2 and kinds["incident"] > 0 and kinds["handover"] > 0
    assert kinds["question"] >= 2 and kinds["correction"] > 0
    for r in log:
        shift = shifts[r["shift_id"]]
        assert r["ts"][:10] == shift["day"]
        if r["kind"] in ("patrol", "incident", "handover"):
            assert r["ts"] >= shift["opened_ts"] and (shift["closed_ts"] is None or r["ts"] <= shift["closed_ts"])
        if r["kind"] == "correction":
            target = rows(store, "SELECT shift_id, kind FROM shift_log WHERE id = ?", (r["corrects"],))[0]
            assert target["shift_id"] == r["shift_id"] and r["reason"]
    opening = store.shift_log(next(iter(shifts)), store.sign_in("9001", "135790").id).entries[0]
    assert opening.kind == "patrol" and opening.code == "opening" and len(opening.checks) == 5

    actions = Counter(r["action"] for r in rows(store, "SELECT action FROM audit"))
    assert actions["shift_signed_off"] == status["signed_off"]
    assert actions["shift_returned"] == kinds["question"]
    assert actions["correction"] == kinds["correction"]
    assert actions["patrol"] == kinds["patrol"] and actions["incident"] == kinds["incident"]
    assert actions["signin_failed"] > 0 and actions["lock"] == actions["unlock"] > 0
    assert store.audit_status().ok


def test_the_demo_models_the_queues_with_called_and_done_times(demo) -> None:
    """Issue 11: every served visit before today was called and done, in order, one at a time per
    window; the windows change over lunch; services take longer at some destinations than others."""
    from datetime import datetime as dt

    store, _, _ = demo
    day = "2026-11-17"  # a Tuesday
    served = [v for v in store.visits_on(day) if v.outcome == "served"]
    assert served and all(v.called_ts and v.done_ts for v in served)
    assert all(v.waiting_since <= v.called_ts < v.done_ts == v.outcome_ts for v in served)  # type: ignore[operator]
    changes = [(d, dest, n) for d, dest, n, _ in store.window_changes(day, day)]
    assert (day, "non_cash_counter", 1) in changes and (day, "non_cash_counter", 2) in changes
    minutes: dict[str, list[float]] = {}
    for v in served:
        took = (dt.fromisoformat(v.done_ts) - dt.fromisoformat(v.called_ts)).total_seconds() / 60  # type: ignore[arg-type]
        minutes.setdefault(v.destination or "", []).append(took)
    assert statistics.fmean(minutes["self_service"]) < statistics.fmean(minutes["account_manager"])
    # At one window, no two customers are at the cash counter at once.
    cash = sorted((v.called_ts, v.done_ts) for v in served if v.destination == "cash_counter")
    assert all(a[1] <= b[0] for a, b in zip(cash, cash[1:], strict=False))  # type: ignore[operator]
