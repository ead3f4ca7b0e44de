"""One measurement in a process of its own, for benchmarks/run.py (which reads the JSON it writes).

    probe.py start-app DB OUT MODE      the app (MODE pty: on the terminal it was given; headless: Textual's
                                        headless driver, 80x24) up to its first usable screen (sign-in, or
                                        first-run setup) painted, then exit
    probe.py start-minimal OUT MODE     a minimal Textual app (one Static), the same way
    probe.py work DB OUT ROUNDS         directory lookups, a day's summary, the 30-day trend, the managers'
                                        comparison, a shift-list page and visit confirmations, each turn
                                        after its floor (raw SQLite doing the least the same answer needs)
    probe.py raw-insert CSV DB OUT      the import's floor: csv.reader and one executemany of the raw rows
                                        into a new database's customers table (its indexes included)
    probe.py keys DB OUT ROUNDS         key press -> screen updated in the app (Pilot), each after a trivial
                                        screen switch as its floor

"Painted" is the first refresh after the screen mounted (Screen.call_after_refresh). Times are
time.monotonic() (CLOCK_MONOTONIC, the same clock in every process), so run.py subtracts its own
spawn time from the child's paint time: interpreter start-up and imports are included, exit is not.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

STARTED = time.monotonic()  # before any import of Textual or the app


def _write(out: str, data: dict) -> None:
    Path(out).write_text(json.dumps(data))


def _paint_record(screen: str) -> dict:
    import resource

    return {
        "painted": time.monotonic(),
        "main": STARTED,
        "screen": screen,
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def _when_imported(name: str, patch) -> None:  # noqa: ANN001
    """Call `patch(module)` as soon as module `name` has been imported (now, if it already has been).
    The start-up probes hook Textual this way so that they import nothing before the app does: the
    app's own start-up (what it imports, and when, with the garbage collector held) is what is timed."""
    if name in sys.modules:
        patch(sys.modules[name])
        return

    from importlib.machinery import PathFinder  # already loaded by every interpreter: no cost of its own

    class Finder:  # a meta path finder needs only find_spec (importlib.abc would be an import of its own)
        def find_spec(self, fullname, path, target=None):  # noqa: ANN001, ANN201
            if fullname != name:
                return None
            sys.meta_path.remove(self)
            spec = PathFinder.find_spec(fullname, path)
            loader = spec.loader if spec else None
            if loader is None:
                return spec
            exec_module = loader.exec_module

            def exec_and_patch(module) -> None:  # noqa: ANN001
                exec_module(module)
                patch(module)

            loader.exec_module = exec_and_patch  # type: ignore[method-assign]
            return spec

    sys.meta_path.insert(0, Finder())


def _headless(mode: str) -> None:
    """MODE headless: every App.run of this process on Textual's headless driver, at 80x24."""
    if mode != "headless":
        return

    def patch(module) -> None:  # noqa: ANN001
        run = module.App.run

        def headless_run(self, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
            kwargs.update(headless=True, size=(80, 24))
            return run(self, *args, **kwargs)

        module.App.run = headless_run

    _when_imported("textual.app", patch)


def _exit_on_first_paint(out: str) -> None:
    """Make the app record the time its first usable screen (sign-in, or first-run setup) is painted,
    and quit. The hook wraps Textual's own Screen._on_mount (every screen's) once Textual is imported,
    so the probe imports neither Textual nor any of the app's screens before the app does."""

    def patch(module) -> None:  # noqa: ANN001
        original = module.Screen._on_mount

        def on_mount(self, event) -> None:  # noqa: ANN001
            original(self, event)
            if type(self).__name__ not in ("SignInScreen", "SetupScreen"):
                return

            def painted() -> None:
                _write(out, _paint_record(type(self).__name__))
                self.app.exit()

            self.call_after_refresh(painted)

        module.Screen._on_mount = on_mount

    _when_imported("textual.screen", patch)


def start_app(db: str, out: str, mode: str = "pty") -> None:
    _exit_on_first_paint(out)
    _headless(mode)
    from lobby_tui.cli import main

    sys.exit(main(["--db", db]))


def start_minimal(out: str, mode: str = "pty") -> None:
    from textual.app import App, ComposeResult
    from textual.widgets import Static

    _headless(mode)

    class Minimal(App[None]):
        def compose(self) -> ComposeResult:
            yield Static("hello")

        def on_mount(self) -> None:
            def painted() -> None:
                _write(out, _paint_record("Minimal"))
                self.exit()

            self.call_after_refresh(painted)

    Minimal().run()


def _p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def _ms(call) -> float:  # noqa: ANN001
    t0 = time.perf_counter()
    call()
    return (time.perf_counter() - t0) * 1000


def work(db: str, out: str, rounds: str = "15") -> None:
    """Each figure as pairs (floor, real), the two taken one after the other, turn by turn, so that
    whatever else the machine is doing weighs on both alike."""
    import random
    import resource
    import sqlite3
    from datetime import date, datetime, timedelta
    from decimal import Decimal

    from lobby_tui.domain.guidance import recommend
    from lobby_tui.domain.idnumber import age_on, check_character
    from lobby_tui.domain.search import search_kind
    from lobby_tui.domain.tiers import classify
    from lobby_tui.store import LobbyStore
    from lobby_tui.store.demo import known_customers
    from lobby_tui.ui.app import LobbyApp

    n_rounds = int(rounds)
    store = LobbyStore(db)
    marker = Path(out + ".paint")  # the app started to its sign-in first: the memory figure is the app's
    _exit_on_first_paint(str(marker))
    LobbyApp(store, lang="zh").run(headless=True, size=(80, 24))
    marker.unlink()
    raw = sqlite3.connect(db, isolation_level=None)  # the floor: the same file, no app code
    rng = random.Random(20261118)
    today = date.today()
    end = today.isoformat()
    start = (today - timedelta(days=29)).isoformat()
    supervisor = store.query("SELECT staff_id FROM staff WHERE role = 'supervisor' AND active = 1 LIMIT 1")[0][0]
    pins = {s[0]: s[2] for s in store.demo_staff()}  # the demo's sign-ins: a supervisor's work needs their session
    supervisor = store.sign_in(supervisor, pins[supervisor]).id

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

    created = store.query("SELECT value FROM meta WHERE key = 'created_ts'")[0][0]
    known = known_customers(date.fromisoformat(created[:10]))
    max_rowid = store.query("SELECT max(rowid) FROM customers")[0][0] or 1

    def random_id() -> str:
        born = date(1940, 1, 1) + timedelta(days=rng.randrange(365 * 60))
        body = f"310115{born:%Y%m%d}{rng.randrange(1000):03d}"
        return body + check_character(body)

    def a_name() -> str:
        row = store.query("SELECT name FROM customers WHERE rowid = ?", (1 + rng.randrange(max_rowid),))
        name = row[0][0] if row else "王"
        return name[: rng.choice((1, 2, len(name)))]

    texts = {
        "phone_last4": lambda k: f"{rng.randrange(10_000):04d}",
        "phone": lambda k: known[k % len(known)].phone if k < len(known) else f"13{rng.randrange(10**9):09d}",
        "id_number": lambda k: known[k % len(known)].id_number if k < len(known) else random_id(),
        "name": lambda k: a_name(),
    }
    busiest = store.query("SELECT day FROM visits WHERE day <= ? GROUP BY day ORDER BY count(*) DESC LIMIT 1", (end,))
    day = busiest[0][0] if busiest else end
    store.trend(supervisor, days=30)  # the kept days made once (the first trend after an upgrade)
    pairs: dict[str, list[tuple[float, float]]] = {}

    def pair(name: str, floor, real) -> None:  # noqa: ANN001
        """floor then real, or real then floor (alternating), as one pair."""
        if len(pairs.get(name, ())) % 2:
            r, f = _ms(real), _ms(floor)
        else:
            f, r = _ms(floor), _ms(real)
        pairs.setdefault(name, []).append((f, r))

    raw_window = "SELECT * FROM visits WHERE day BETWEEN ? AND ?"
    for turn in range(n_rounds):
        for kind, make in texts.items():  # lookups: floor = the bare index query for the same text
            for k in range(turn * 7, turn * 7 + 7):
                text = make(k)
                found = search_kind(text)
                assert found is not None
                column = {"phone_last4": "phone_last4", "name": "name"}.get(found[0])
                value = found[1] if column else store.hash_of(found[1])
                column = column or {"phone": "phone_hash", "id_number": "id_hash"}.get(found[0], "card_hash")
                op = ">=" if column == "name" else "="
                sql = f"SELECT * FROM customers WHERE {column} {op} ? LIMIT 20"
                pair(
                    f"lookup_{kind}",
                    lambda sql=sql, value=value: raw.execute(sql, (value,)).fetchall(),
                    lambda text=text: search(text),
                )
        pair(
            "day_summary",
            lambda: raw.execute("SELECT * FROM visits WHERE day = ?", (day,)).fetchall(),
            lambda: store.day_summary(day),
        )
        pair(
            "trend_30d",
            lambda: raw.execute(raw_window, (start, end)).fetchall(),
            lambda: store.trend(supervisor, days=30),
        )
        pair(
            "compare_30d",
            lambda: raw.execute(raw_window, (start, end)).fetchall(),
            lambda: store.compare_managers(supervisor, start=start, end=end),
        )
        for offset in (0, 50, 150):
            pair(
                "shift_list_page",
                lambda o=offset: raw.execute(
                    "SELECT * FROM shifts ORDER BY day DESC LIMIT 50 OFFSET ?", (o,)
                ).fetchall(),
                lambda o=offset: store.list_shifts(supervisor, offset=o),
            )
    peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    # Confirming visits, on a day of their own far from the demo's, removed afterwards; the floor is
    # one raw INSERT committed the same way (WAL, synchronous=FULL) into a scratch table.
    bench_day = datetime(2099, 1, 5, 10, 0).astimezone()
    bench = LobbyStore(db, clock=lambda: bench_day, device_id="benchmark")
    raw.execute("PRAGMA synchronous = FULL")
    raw.execute("CREATE TABLE IF NOT EXISTS benchmark_floor (id TEXT, day TEXT, outcome TEXT)")
    try:
        for k in range(n_rounds * 10):
            result = classify(Decimal(300_000 if k % 3 == 0 else 20_000))
            rec = recommend(result.tier, "transfer", potential_quality=result.potential_quality)
            visit_id = bench.start_visit(reason="transfer", shift_id=None, staff_id=None)

            def floor(k: int = k) -> None:
                raw.execute("BEGIN IMMEDIATE")
                raw.execute("INSERT INTO benchmark_floor VALUES (?, '2099-01-05', 'waiting')", (str(k),))
                raw.execute("COMMIT")

            pair(
                "commit",
                floor,
                lambda v=visit_id, r=result, rec=rec: bench.confirm_visit(
                    v, classification=r, recommendation=rec, destination=rec.destination
                ),
            )
    finally:
        with bench.write() as conn:
            gone = [
                r[0] for r in conn.execute("SELECT id FROM visits WHERE device_id = 'benchmark' AND day = '2099-01-05'")
            ]
            conn.execute("DELETE FROM visits WHERE device_id = 'benchmark' AND day = '2099-01-05'")
            bench.chain_rows(conn, "visits", gone)  # the removal is chained too: the database still verifies
            conn.execute("DELETE FROM ticket_counters WHERE day = '2099-01-05'")
            conn.execute("DROP TABLE IF EXISTS benchmark_floor")
    lookups = [p for name, ps in pairs.items() if name.startswith("lookup_") for p in ps]
    pairs["lookup"] = lookups
    _write(
        out,
        {
            "pairs": pairs,
            "peak_rss_mb": peak_rss_mb,
            "day_summary_day": day,
            "day_summary_visits": store.day_summary(day)["visits"],
        },
    )


def raw_insert(csv_path: str, db: str, out: str) -> None:
    """The import's floor: the same file's rows, as csv.reader gives them, put by one executemany in
    one transaction into the customers table of a new database (the app's schema: every index)."""
    import csv
    import sqlite3

    from lobby_tui.store import LobbyStore

    started = time.monotonic()
    store = LobbyStore(db)
    store.check()
    store.close()
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA synchronous = FULL")
    with open(csv_path, encoding="utf-8-sig", newline="") as f:
        reader = csv.reader(f)
        next(reader)
        rows = (
            (
                str(i),
                "raw",
                r[0],
                r[1],
                r[1][-4:],
                r[1],
                r[2] or None,
                r[2][-4:],
                None,
                r[3] or None,
                r[3][-4:],
                r[6],
                r[4],
                r[5],
                "ts",
                "ts",
            )
            for i, r in enumerate(reader)
        )
        conn.execute("BEGIN")
        conn.executemany(
            "INSERT INTO customers(id, device_id, name, phone_hash, phone_last4, phone_masked, id_hash, id_last4, "
            "birth_date, card_hash, card_last4, education, assets_fen, other_assets_fen, created_ts, updated_ts) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        conn.execute("COMMIT")
    n = conn.execute("SELECT count(*) FROM customers").fetchone()[0]
    _write(out, {"seconds": time.monotonic() - started, "rows": n})


def keys(db: str, out: str, rounds: str = "20") -> None:
    """Key press -> screen updated, in the app on `db` under Pilot (headless, 80x24): each step's key,
    then the app run until the step's screen holds what it shows and one more idle pass (the refresh
    it asked for drawn). Before each step, its floor: a trivial screen (one Static) pushed and
    popped, timed the same way. Visits and shifts it makes are removed at the end.

    The app runs as `lobby-tui` runs it (its garbage collection included: ui/collector.py), and
    between two rounds (two customers, two looks at the trends) the probe waits as long as the app
    needs to see a pause in the typing: the full collections run there, as they do in a lobby.
    Each one that still falls inside a timed step is counted (`full_collections`, `in_steps`)."""
    import asyncio
    import gc

    from textual.screen import Screen
    from textual.widgets import Input, Static

    from lobby_tui.store import LobbyStore
    from lobby_tui.store.demo import known_customers
    from lobby_tui.ui.app import LobbyApp
    from lobby_tui.ui.collector import CHECK_S, QUIET_S
    from lobby_tui.ui.screens import lookup as lookup_module
    from lobby_tui.ui.screens.board import BoardScreen
    from lobby_tui.ui.screens.greet import GreetScreen
    from lobby_tui.ui.screens.guidance import GuidanceScreen
    from lobby_tui.ui.screens.lookup import LookupScreen
    from lobby_tui.ui.screens.review import SupervisorHomeScreen
    from lobby_tui.ui.screens.shift_log import DaySummaryScreen
    from lobby_tui.ui.screens.trends import TrendsScreen

    between_rounds = QUIET_S + 2 * CHECK_S  # a pause in the typing, long enough for the collector
    full: dict = {"timing": False, "in_steps": 0, "between": 0}

    def note_collection(phase: str, info: dict) -> None:
        if phase == "start" and info["generation"] == 2:
            full["in_steps" if full["timing"] else "between"] += 1

    gc.callbacks.append(note_collection)

    n_rounds = int(rounds)
    device = "benchmark-keys"
    pairs: dict[str, list[tuple[float, float]]] = {}
    searched: dict[str, float] = {}
    search = LookupScreen.search

    def timed_search(self, text: str) -> None:  # noqa: ANN001 - when the typing pause ends
        searched["t"] = time.perf_counter()
        search(self, text)

    LookupScreen.search = timed_search  # type: ignore[method-assign]

    class Floor(Screen[None]):
        def compose(self):  # noqa: ANN202
            yield Static("floor")

    # "Screen updated" is the first frame drawn (App._display) once the step's condition holds.
    watch: dict = {"condition": None, "t": None}
    app_now: dict = {}
    fallbacks = {"n": 0}
    display = LobbyApp._display

    def timed_display(self, screen, renderable) -> None:  # noqa: ANN001
        display(self, screen, renderable)
        condition = watch["condition"]
        if condition is not None and watch["t"] is None and condition():
            watch["t"] = time.perf_counter()

    LobbyApp._display = timed_display  # type: ignore[method-assign]

    async def painted(condition, limit: float = 60.0) -> float:  # noqa: ANN001
        """When the first frame with `condition` holding was drawn (or, if none is drawn within
        half a second of it holding, when it was first seen to hold)."""
        first_true = None
        give_up = time.perf_counter() + limit
        while watch["t"] is None:
            now = time.perf_counter()
            if first_true is None and condition():
                first_true = now
            if first_true is not None and now - first_true > 0.5:
                fallbacks["n"] += 1
                return first_true
            if now > give_up:
                raise SystemExit(f"keys: the app never got there (on {type(app_now['app'].screen).__name__})")
            await asyncio.sleep(0.0005)
        return float(watch["t"])

    async def until(pilot, condition) -> None:  # noqa: ANN001 - not timed: between steps
        app_now["app"] = pilot.app
        watch["condition"], watch["t"] = None, None
        give_up = time.perf_counter() + 60
        while not condition():
            if time.perf_counter() > give_up:
                raise SystemExit(f"keys: the app never got there (on {type(pilot.app.screen).__name__})")
            await asyncio.sleep(0.0005)
        await pilot.pause()

    def idle(app) -> bool:  # noqa: ANN001
        return not any(w.is_running for w in app.workers)

    def send(app, key: str) -> None:  # noqa: ANN001
        """The key as the terminal driver hands it to the app."""
        from textual import events

        char = key if len(key) == 1 else {"enter": "\r", "escape": "\x1b"}.get(key)
        event = events.Key(key, char)
        event.set_sender(app)
        app._driver.send_message(event)

    async def step(pilot, name: str, keys_: tuple[str, ...], condition) -> None:  # noqa: ANN001
        """The floor (a trivial screen pushed, until drawn), then the step's keys until drawn."""
        app = pilot.app
        app_now["app"] = app
        await pilot.pause()
        on_floor = lambda: isinstance(app.screen, Floor)  # noqa: E731
        watch["condition"], watch["t"] = on_floor, None
        t0 = time.perf_counter()
        app.push_screen(Floor())
        floor = (await painted(on_floor)) - t0
        app.pop_screen()
        await until(pilot, lambda: not isinstance(app.screen, Floor))
        watch["condition"], watch["t"] = condition, None
        t0 = time.perf_counter()
        full["timing"] = True
        for key in keys_:
            send(app, key)
        real = (await painted(condition)) - t0
        full["timing"] = False
        watch["condition"] = None
        pairs.setdefault(name, []).append((floor * 1000, real * 1000))

    store = LobbyStore(db, device_id=device)
    created = store.query("SELECT value FROM meta WHERE key = 'created_ts'")[0][0]
    last4s = [k.phone[-4:] for k in known_customers(__import__("datetime").date.fromisoformat(created[:10]))]

    def as_lobby_tui_runs_it() -> LobbyApp:
        """The app with the cyclic garbage collector held off until sign-in is painted, which then
        freezes start-up's objects out of its walks (commands/app.py, LobbyApp.first_painted): as
        `lobby-tui` runs it. Under Pilot alone every full collection walks all of Textual's objects
        (about 110 ms here, in one step in six)."""
        gc.disable()
        return LobbyApp(store, lang="en", idle_lock_seconds=3600)

    async def manager() -> None:
        app = as_lobby_tui_runs_it()
        async with app.run_test(size=(80, 24)) as pilot:
            await until(pilot, lambda: app.screen.__class__.__name__ == "SignInScreen" and idle(app))
            await pilot.press(*"1001", "enter", *"246810", "enter")
            await until(pilot, lambda: not type(app.screen).__name__.startswith("SignIn") and idle(app))
            while not isinstance(app.screen, BoardScreen):  # shifts sent back with a question: later
                await pilot.press("escape")
                await until(pilot, lambda: idle(app))
            for turn in range(n_rounds):
                await step(pilot, "new_customer", ("n",), lambda: isinstance(app.screen, GreetScreen))
                await step(pilot, "reason", ("1",), lambda: isinstance(app.screen, LookupScreen))
                screen = app.screen
                box = screen.query_one("#search", Input)
                text = last4s[turn % len(last4s)]
                searched.clear()
                for k, digit in enumerate(text):
                    await step(
                        pilot, "lookup_digit", (digit,), lambda k=k, box=box, text=text: box.value == text[: k + 1]
                    )
                # The typing pause (lookup.SEARCH_DELAY) is on purpose; from its end to the matches drawn:
                listed = lambda screen=screen, text=text: screen.results_for == text  # noqa: E731
                if not listed():
                    watch["condition"], watch["t"] = listed, None
                    done = await painted(listed)
                    watch["condition"] = None
                    pairs.setdefault("lookup_results", []).append(
                        (pairs["lookup_digit"][-1][0], (done - searched.get("t", done)) * 1000)
                    )
                await step(
                    pilot, "take_match", ("enter",), lambda: isinstance(app.screen, GuidanceScreen) and idle(app)
                )
                await step(
                    pilot, "confirm_visit", ("enter",), lambda: isinstance(app.screen, BoardScreen) and idle(app)
                )
                await step(
                    pilot,
                    "day_summary",
                    ("e",),
                    lambda: isinstance(app.screen, DaySummaryScreen) and app.screen.figures is not None,
                )
                await pilot.press("escape")
                await until(pilot, lambda: isinstance(app.screen, BoardScreen) and idle(app))
                await asyncio.sleep(between_rounds)  # the next customer walks up

    async def supervisor() -> None:
        app = as_lobby_tui_runs_it()
        async with app.run_test(size=(80, 24)) as pilot:
            await until(pilot, lambda: app.screen.__class__.__name__ == "SignInScreen" and idle(app))
            await pilot.press(*"9001", "enter", *"135790", "enter")
            await until(pilot, lambda: isinstance(app.screen, SupervisorHomeScreen) and idle(app))
            for _ in range(n_rounds):
                await step(
                    pilot,
                    "trends",
                    ("3",),
                    lambda: isinstance(app.screen, TrendsScreen) and app.screen.trend is not None,
                )
                await pilot.press("escape")
                await until(pilot, lambda: isinstance(app.screen, SupervisorHomeScreen) and idle(app))
                await asyncio.sleep(between_rounds)

    try:
        asyncio.run(manager())
        asyncio.run(supervisor())
    finally:
        with store.write() as conn:
            conn.execute("DELETE FROM visits WHERE device_id = ?", (device,))
            conn.execute("DELETE FROM shifts WHERE device_id = ?", (device,))
    gc.callbacks.remove(note_collection)
    _write(
        out,
        {
            "pairs": pairs,
            "search_delay_ms": lookup_module.SEARCH_DELAY * 1000,
            "fallbacks": fallbacks["n"],
            "full_collections": {"in_steps": full["in_steps"], "between": full["between"]},
        },
    )


if __name__ == "__main__":
    mode, *rest = sys.argv[1:]
    if mode == "start-app":
        start_app(*rest)
    elif mode == "start-minimal":
        start_minimal(*rest)
    elif mode == "work":
        work(*rest)
    elif mode == "raw-insert":
        raw_insert(*rest)
    elif mode == "keys":
        keys(*rest)
    else:
        raise SystemExit(f"unknown mode {mode!r}")
