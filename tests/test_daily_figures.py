"""The kept daily figures (store/daily.py) against figures computed from the visits themselves, after
inserts, outcome changes, an undo, visits imported from another tablet, a removed row and rows kept by
a version with other figures; and merge_figures against _figures over the same visits."""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest

from lobby_tui.domain.figures import day_figures, merge_figures, range_figures, staff_figures, trend_figures
from lobby_tui.domain.guidance import recommend
from lobby_tui.domain.tiers import classify
from lobby_tui.store import LobbyStore
from lobby_tui.store.imports import VISIT_COLUMNS

BEIJING = timezone(timedelta(hours=8))
LM, LM2, SV = "1001", "1002", "9001"
START, END = "2026-11-10", "2026-11-18"
REASONS = ("cash_withdrawal", "transfer", "wealth_products", "loans", "bill_payment")


def at(day: int, hour: int = 10) -> Callable[[], datetime]:
    return lambda: datetime(2026, 11, day, hour, 0, tzinfo=BEIJING)


def add_visits(path: Path, day: int, n: int, rng: random.Random, device: str = "tablet-a") -> list[str]:
    store = LobbyStore(path, clock=at(day, 9 + rng.randrange(8)), device_id=device)
    ids = []
    for _ in range(n):
        staff = rng.choice((LM, LM2, None))
        visit_id = store.start_visit(reason=rng.choice(REASONS), shift_id=None, staff_id=staff)
        cls = classify(Decimal(rng.choice((1_000, 60_000, 300_000, 2_000_000))), Decimal(rng.choice((0, 500_000))))
        rec = recommend(cls.tier, "transfer", potential_quality=cls.potential_quality)
        store.confirm_visit(visit_id, classification=cls, recommendation=rec, destination=rec.destination)
        outcome = rng.choice(("served", "served", "left", "waiting", "cancelled"))
        if outcome != "waiting":
            store.set_outcome(visit_id, outcome)
        ids.append(visit_id)
    store.close()
    return ids


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "lobby.db"
    store = LobbyStore(path, clock=at(9), device_id="tablet-a")
    for staff_id, name, role in (
        (LM, "王丽", "lobby_manager"),
        (LM2, "李强", "lobby_manager"),
        (SV, "陈主管", "supervisor"),
    ):
        store.add_staff(staff_id, name, role, "246810")
    store.close()
    rng = random.Random(15)
    for day in (10, 11, 13, 18):
        add_visits(path, day, 8, rng)
    return path


def assert_kept_equals_computed(store: LobbyStore) -> None:
    """trend and compare_managers (kept figures) equal the figures computed from every visit."""
    visits = list(store.iter_visits(START, END))
    sv = supervisor(store)
    # The leads' and appointments' figures come from their own tables, beside the kept visit figures
    # (issues 10, 11); the waits' histogram is what waits are merged from, not shown in the trend.
    aside = ("leads", "appointments", "satisfaction", "wait_histogram")
    kept = [{k: v for k, v in day.items() if k not in aside} for day in store.trend(sv, end=END, days=9)]
    assert kept == [{k: v for k, v in day.items() if k not in aside} for day in trend_figures(START, END, visits)]
    computed = staff_figures(START, END, visits)
    empty = range_figures(START, END, ())
    for manager in store.compare_managers(sv, start=START, end=END):
        figures = {k: v for k, v in manager.figures.items() if k not in ("leads", "satisfaction")}
        assert figures == computed.get(manager.staff_id, empty), manager.staff_id
    assert store.kept_staff_figures(START, END) == computed


def supervisor(store: LobbyStore) -> str:
    """The supervisor's session: trends and the comparison are a supervisor's (a right PIN's)."""
    return store.sign_in(SV, "246810").id


def kept_days(store: LobbyStore) -> set[str]:
    return {r[0] for r in store.query("SELECT DISTINCT day FROM daily_figures")}


def test_kept_figures_follow_every_kind_of_visit_change(db: Path, tmp_path: Path) -> None:
    store = LobbyStore(db, clock=at(18, 17), device_id="tablet-a")
    assert kept_days(store) == set()
    assert_kept_equals_computed(store)
    assert kept_days(store) == {f"2026-11-{d}" for d in range(10, 19)}  # empty days are kept too

    # New visits: only their day is taken back, in the same transaction as the visit.
    add_visits(db, 11, 3, random.Random(1))
    assert kept_days(store) == {f"2026-11-{d}" for d in range(10, 19)} - {"2026-11-11"}
    assert_kept_equals_computed(store)

    # An outcome changed, then undone.
    waiting = store.query("SELECT id FROM visits WHERE day = '2026-11-13' AND outcome = 'waiting' LIMIT 1")[0][0]
    before = store.get_visit(waiting)
    store.set_outcome(waiting, "left")
    assert "2026-11-13" not in kept_days(store)
    assert_kept_equals_computed(store)
    store.undo_outcome(before)
    assert_kept_equals_computed(store)
    served = store.query("SELECT id FROM visits WHERE day = '2026-11-10' AND outcome = 'waiting' LIMIT 1")
    if served:
        store.set_outcome(served[0][0], "redirected", destination="cash_counter")
        assert_kept_equals_computed(store)

    # Visits imported from another tablet, on a kept day.
    other = tmp_path / "b.db"
    seed = LobbyStore(other, clock=at(9), device_id="tablet-b")
    seed.add_staff(LM, "王丽", "lobby_manager", "246810")
    seed.close()
    add_visits(other, 18, 5, random.Random(2), device="tablet-b")
    rows = [
        (n, {c: r[c] for c in VISIT_COLUMNS})
        for n, r in enumerate(LobbyStore(other).query("SELECT * FROM visits"), start=1)
    ]
    assert store.import_visits(rows).added == 5
    assert "2026-11-18" not in kept_days(store)
    assert_kept_equals_computed(store)
    store.close()


def test_a_removed_or_outdated_row_is_computed_again(db: Path) -> None:
    store = LobbyStore(db, clock=at(18, 17), device_id="tablet-a")
    assert_kept_equals_computed(store)
    with store.write() as conn:
        conn.execute("DELETE FROM daily_figures WHERE day = '2026-11-11' AND staff_id = '*'")
        # Kept by a version without one of today's figures: it no longer counts as kept.
        row = conn.execute("SELECT figures FROM daily_figures WHERE day = '2026-11-13' AND staff_id = '*'").fetchone()
        figures = json.loads(row[0])
        del figures["referrals"]
        figures["visits"] = 999
        conn.execute(
            "UPDATE daily_figures SET figures = ? WHERE day = '2026-11-13' AND staff_id = '*'", (json.dumps(figures),)
        )
    assert_kept_equals_computed(store)
    assert store.trend(supervisor(store), end=END, days=9)[3]["visits"] != 999
    store.close()


def test_merged_figures_equal_the_figures_of_all_the_visits(db: Path) -> None:
    store = LobbyStore(db)
    visits = list(store.iter_visits(START, END))
    by_day = [day_figures(day, [v for v in visits if v.day == day]) for day in sorted({v.day for v in visits})]
    whole = range_figures(START, END, visits)
    assert {"from": START, "to": END, "days": 9, **merge_figures(by_day)} == whole
    assert merge_figures([]) == {
        k: v for k, v in range_figures(START, START, ()).items() if k not in ("from", "to", "days")
    }
    store.close()
