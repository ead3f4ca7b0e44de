"""One measurement in a process of its own, for benchmarks/run.py (which reads the JSON it writes).

    probe.py start-app DB OUT first   the app, up to its first screen painted, then exit
    probe.py start-app DB OUT usable  the app, up to its sign-in screen painted, then exit
    probe.py start-minimal OUT      a minimal Textual app (one Static), up to its first paint, then exit
    probe.py work DB OUT            the app started (headless) to its sign-in screen, then directory
                                    lookups, a day's summary and the 30-day trend, timed; peak memory;
                                    then visit confirmations, timed

"Painted" is the first refresh after the screen mounted (Screen.call_after_refresh). Times are
time.monotonic() (CLOCK_MONOTONIC, the same clock in every process), so run.py subtracts its own
spawn time from the child's paint time: interpreter start-up and imports are included, exit is not.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path


def _write(out: str, data: dict) -> None:
    Path(out).write_text(json.dumps(data))


def _exit_on_first_paint(out: str, first: bool = False) -> None:
    """Make the app record the time its first screen is painted, and quit: with `first`, the very
    first screen (StartScreen: header, "opening the database…", footer); else the first screen one
    can use (sign-in, or first-run setup), once the database is open. Imports only what the app
    imports on the way there anyway."""
    if first:
        from lobby_tui.ui.screens.start import StartScreen

        screens: tuple[type, ...] = (StartScreen,)
    else:
        from lobby_tui.ui.screens.setup import SetupScreen
        from lobby_tui.ui.screens.signin import SignInScreen

        screens = (SignInScreen, SetupScreen)

    def wrap(original):  # noqa: ANN001, ANN202
        def on_mount(self) -> None:  # noqa: ANN001 - no event parameter: Textual passes none then
            original(self)

            def painted() -> None:
                _write(out, {"painted": time.monotonic(), "screen": type(self).__name__})
                self.app.exit()

            self.call_after_refresh(painted)

        return on_mount

    for screen_class in screens:
        screen_class.on_mount = wrap(screen_class.on_mount)  # type: ignore[method-assign]


def start_app(db: str, out: str, until: str = "usable") -> None:
    from lobby_tui.cli import main

    _exit_on_first_paint(out, first=until == "first")
    sys.exit(main(["--db", db]))


def start_minimal(out: str) -> None:
    from textual.app import App, ComposeResult
    from textual.widgets import Static

    class Minimal(App[None]):
        def compose(self) -> ComposeResult:
            yield Static("hello")

        def on_mount(self) -> None:
            def painted() -> None:
                _write(out, {"painted": time.monotonic(), "screen": "Minimal"})
                self.exit()

            self.call_after_refresh(painted)

    Minimal().run()


def _p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def work(db: str, out: str, lookups_per_kind: int = 100, commits: int = 200) -> None:
    import random
    import resource
    from datetime import date, datetime, timedelta
    from decimal import Decimal

    from lobby_tui.domain.guidance import recommend
    from lobby_tui.domain.idnumber import age_on, check_character
    from lobby_tui.domain.search import search_kind
    from lobby_tui.domain.tiers import classify
    from lobby_tui.store import LobbyStore
    from lobby_tui.store.demo import known_customers
    from lobby_tui.ui.app import LobbyApp

    marker = Path(out + ".paint")
    _exit_on_first_paint(str(marker))
    store = LobbyStore(db)
    started = time.monotonic()
    LobbyApp(store, lang="zh").run(headless=True, size=(80, 24))
    start_s = json.loads(marker.read_text())["painted"] - started
    marker.unlink()

    rng = random.Random(20261118)
    today = date.today()

    def search(text: str) -> int:
        """What the lookup screen does with the text typed: kind, index lookup, tier of each match."""
        found = search_kind(text)
        assert found is not None
        kind, value = found
        matches = store.lookup(**{kind: value})
        for c in matches:
            age = age_on(date.fromisoformat(c.birth_date), today) if c.birth_date else None
            classify(c.assets, c.other_assets, age=age, education=c.education)
        return len(matches)

    # The texts to look up: the demo's known customers (hits), random numbers (mostly misses, which
    # cost the same index descent), and names and name prefixes drawn from the directory itself.
    created = store.query("SELECT value FROM meta WHERE key = 'created_ts'")[0][0]
    known = known_customers(date.fromisoformat(created[:10]))
    max_rowid = store.query("SELECT max(rowid) FROM customers")[0][0] or 1
    names = [] if store.customer_count() else ["王"] * lookups_per_kind
    while len(names) < lookups_per_kind:
        row = store.query("SELECT name FROM customers WHERE rowid = ?", (1 + rng.randrange(max_rowid),))
        names += [row[0][0]] if row else []

    def random_id() -> str:
        born = date(1940, 1, 1) + timedelta(days=rng.randrange(365 * 60))
        body = f"310115{born:%Y%m%d}{rng.randrange(1000):03d}"
        return body + check_character(body)

    texts = {
        "phone_last4": [f"{rng.randrange(10_000):04d}" for _ in range(lookups_per_kind)],
        "phone": [k.phone for k in known]
        + [f"13{rng.randrange(10**9):09d}" for _ in range(lookups_per_kind - len(known))],
        "id_number": [k.id_number for k in known] + [random_id() for _ in range(lookups_per_kind - len(known))],
        "name": [n[: rng.choice((1, 2, len(n)))] for n in names],
    }
    timings: dict[str, list[float]] = {}
    hits: dict[str, int] = {}
    order = [(kind, t) for kind, ts in texts.items() for t in ts]
    rng.shuffle(order)  # interleaved, as a lobby's searches come
    for kind, text in order:
        t0 = time.perf_counter()
        n = search(text)
        timings.setdefault(kind, []).append((time.perf_counter() - t0) * 1000)
        hits[kind] = hits.get(kind, 0) + (n > 0)

    busiest = store.query(
        "SELECT day FROM visits WHERE day <= ? GROUP BY day ORDER BY count(*) DESC LIMIT 1", (today.isoformat(),)
    )
    day = busiest[0][0] if busiest else today.isoformat()
    summary = []
    for _ in range(5):
        t0 = time.perf_counter()
        figures = store.day_summary(day)
        summary.append((time.perf_counter() - t0) * 1000)

    trend_how, trend = _trend(store, today)
    trend_ms = []
    for _ in range(3):
        t0 = time.perf_counter()
        trend()
        trend_ms.append((time.perf_counter() - t0) * 1000)
    peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    # Confirming visits, on a day of their own far from the demo's, removed afterwards.
    bench_day = datetime(2099, 1, 5, 10, 0).astimezone()
    bench = LobbyStore(db, clock=lambda: bench_day, device_id="benchmark")
    commit_ms = []
    try:
        for k in range(commits):
            result = classify(Decimal(300_000 if k % 3 == 0 else 20_000))
            rec = recommend(result.tier, "transfer", potential_quality=result.potential_quality)
            visit_id = bench.start_visit(reason="transfer", shift_id=None, staff_id=None)
            t0 = time.perf_counter()
            bench.confirm_visit(visit_id, classification=result, recommendation=rec, destination=rec.destination)
            commit_ms.append((time.perf_counter() - t0) * 1000)
    finally:
        with bench.write() as conn:
            gone = [
                r[0] for r in conn.execute("SELECT id FROM visits WHERE device_id = 'benchmark' AND day = '2099-01-05'")
            ]
            conn.execute("DELETE FROM visits WHERE device_id = 'benchmark' AND day = '2099-01-05'")
            bench.chain_rows(conn, "visits", gone)  # the removal is chained too: the database still verifies
            conn.execute("DELETE FROM ticket_counters WHERE day = '2099-01-05'")

    _write(
        out,
        {
            "headless_start_ms": start_s * 1000,
            "lookup_ms": {
                k: {"p50": sorted(v)[len(v) // 2], "p95": _p95(v), "n": len(v), "hits": hits[k]}
                for k, v in timings.items()
            },
            "lookup_p95_ms": _p95([x for v in timings.values() for x in v]),
            "day_summary_ms": sorted(summary)[len(summary) // 2],
            "day_summary_day": day,
            "day_summary_visits": figures["visits"],
            "trend_30d_ms": sorted(trend_ms)[len(trend_ms) // 2],
            "trend_how": trend_how,
            "commit_p50_ms": sorted(commit_ms)[len(commit_ms) // 2],
            "commit_p95_ms": _p95(commit_ms),
            "peak_rss_mb": peak_rss_mb,
        },
    )


def _trend(store, today):  # noqa: ANN001, ANN202
    """The supervisor's 30-day trend as the app computes it, whichever way this version has."""
    from datetime import timedelta

    end = today.isoformat()
    start = (today - timedelta(days=29)).isoformat()
    if hasattr(store, "trend"):
        supervisor = store.query("SELECT staff_id FROM staff WHERE role = 'supervisor' AND active = 1 LIMIT 1")
        if supervisor:
            by = supervisor[0][0]
            pins = {s[0]: s[2] for s in (store.demo_staff() if hasattr(store, "demo_staff") else [])}
            if by in pins and hasattr(store, "new_session"):  # a supervisor's work needs their session
                by = store.sign_in(by, pins[by]).id
            return "LobbyStore.trend(days=30)", lambda: store.trend(by, days=30)
    try:
        from lobby_tui.domain.figures import trend_figures
    except ImportError:
        days = [(today - timedelta(days=n)).isoformat() for n in range(30)]
        return "30 x LobbyStore.day_summary", lambda: [store.day_summary(d) for d in days]
    return "trend_figures over iter_visits", lambda: trend_figures(start, end, store.iter_visits(start, end))


if __name__ == "__main__":
    mode, *rest = sys.argv[1:]
    if mode == "start-app":
        start_app(*rest)
    elif mode == "start-minimal":
        start_minimal(*rest)
    elif mode == "work":
        work(*rest)
    else:
        raise SystemExit(f"unknown mode {mode!r}")
