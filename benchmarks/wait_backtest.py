"""Back-test of the wait estimate (issue 11) on the demo's history.

For every served visit, the estimate the board would have shown at the moment its ticket was handed
out - from the queue ahead then, the windows open then, the tickets being served then (how long each
had been at its window) and the service times of the same weekday and hour in the weeks before
(LobbyStore.service_history: the app's own code) - against the wait that followed (ticket to call).
Next to it the naive estimate: queue length x average service time (the same service time, so the
difference is the model, not the data). Customers who left are not scored (their wait is unknown).

    .venv/bin/python benchmarks/wait_backtest.py                       # a fresh demo: 2,000 customers, 90 days
    .venv/bin/python benchmarks/wait_backtest.py --db /tmp/x/demo.db   # an existing demo database
    .venv/bin/python benchmarks/wait_backtest.py --json

It also times the board's estimate (LobbyStore.wait_estimates, what each 5-second refresh asks for).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from bisect import bisect_right
from collections import defaultdict
from datetime import datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from lobby_tui.domain.rules import guidance_rules  # noqa: E402
from lobby_tui.domain.waits import estimate_wait, naive_wait, service_minutes  # noqa: E402
from lobby_tui.store import LobbyStore  # noqa: E402


def _s(ts: str) -> float:
    return datetime.fromisoformat(ts).timestamp()


def backtest(store: LobbyStore) -> dict[str, Any]:
    rules = guidance_rules()
    rows = store.query(
        "SELECT day, destination, outcome, confirmed_ts, called_ts, done_ts, outcome_ts FROM visits "
        "WHERE destination IS NOT NULL AND confirmed_ts IS NOT NULL AND outcome IN ('served', 'left') "
        "ORDER BY day, confirmed_ts"
    )
    by_day: dict[tuple[str, str], list[Any]] = defaultdict(list)
    for r in rows:
        by_day[(r["day"], r["destination"])].append(r)
    first, last = (rows[0]["day"], rows[-1]["day"]) if rows else ("", "")
    changes: dict[tuple[str, str], list[tuple[float, int]]] = defaultdict(list)
    for day, dest, n, ts in store.window_changes(first, last):
        changes[(day, dest)].append((_s(ts), n))

    errors: dict[str, list[tuple[float, float]]] = defaultdict(list)  # dest -> (estimate error, naive error)
    for (day, dest), visits in by_day.items():
        default = rules.destinations[dest].windows
        steps = changes.get((day, dest), [])
        times = [t for t, _ in steps]
        prior = rules.destinations[dest].service_minutes
        for v in visits:
            if v["outcome"] != "served" or not v["called_ts"]:
                continue
            t = _s(v["confirmed_ts"])
            ahead, in_service = 0, []
            for o in visits:
                if o is v:
                    continue
                confirmed = _s(o["confirmed_ts"])
                if confirmed > t:
                    break
                called = _s(o["called_ts"]) if o["called_ts"] else None
                gone = _s(o["outcome_ts"]) if o["outcome_ts"] else None
                if called is None:  # left without being called: ahead until they left
                    ahead += gone is None or gone > t
                elif called > t:
                    ahead += 1
                elif o["done_ts"] and _s(o["done_ts"]) > t:
                    in_service.append((t - called) / 60)
            at = bisect_right(times, t)
            windows = steps[at - 1][1] if at else default
            hour = int(v["confirmed_ts"][11:13])
            service = service_minutes(store.service_history(day, hour)[dest], prior)
            estimate = estimate_wait(ahead, windows, service, in_service)
            actual = (_s(v["called_ts"]) - t) / 60
            if estimate is None:
                continue
            errors[dest].append((estimate - actual, naive_wait(ahead, service) - actual))

    def figures(pairs: list[tuple[float, float]]) -> dict[str, Any]:
        est = [abs(e) for e, _ in pairs]
        nai = [abs(n) for _, n in pairs]
        return {
            "n": len(pairs),
            "estimate_mae_min": round(statistics.fmean(est), 2) if est else None,
            "estimate_within_5_min": round(sum(e <= 5 for e in est) / len(est), 3) if est else None,
            "naive_mae_min": round(statistics.fmean(nai), 2) if nai else None,
            "naive_within_5_min": round(sum(n <= 5 for n in nai) / len(nai), 3) if nai else None,
        }

    everything = [p for pairs in errors.values() for p in pairs]
    # The counters and the account managers, where people queue: the waits the board is asked about.
    queued = [
        p for d, pairs in errors.items() if rules.destinations[d].counter or d == "account_manager" for p in pairs
    ]
    return {
        "days": len({d for d, _ in by_day}),
        "all": figures(everything),
        "counters_and_account_managers": figures(queued),
        "by_destination": {d: figures(errors[d]) for d in rules.destinations if errors.get(d)},
    }


def time_board_estimate(store: LobbyStore, repeat: int = 200) -> dict[str, float]:
    store.wait_estimates()  # the first of the hour reads the history (kept for the hour)
    cold = []
    for _ in range(5):
        store.__dict__.pop("_service_cache", None)
        start = time.perf_counter()
        store.wait_estimates()
        cold.append((time.perf_counter() - start) * 1000)
    warm = []
    for _ in range(repeat):
        start = time.perf_counter()
        store.wait_estimates()
        warm.append((time.perf_counter() - start) * 1000)
    return {"first_of_hour_ms": round(statistics.median(cold), 3), "refresh_ms": round(statistics.median(warm), 3)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="an existing demo database (default: a fresh one)")
    parser.add_argument("--customers", type=int, default=2000)
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if args.db is None:
        from lobby_tui.store.demo import generate_demo

        args.db = Path(tempfile.mkdtemp(prefix="wait-backtest-")) / "demo.db"
        store = LobbyStore(args.db)
        store.check()
        generate_demo(store, customers=args.customers, days=args.days, seed=args.seed)
    else:
        store = LobbyStore(args.db)
        store.check()
    result = {"db": str(args.db), **backtest(store), "timing": time_board_estimate(store)}
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return 0
    print(f"{result['days']} days of {args.db}")
    print(f"{'':32} {'n':>6} {'estimate MAE':>13} {'±5 min':>7} {'naive MAE':>10} {'±5 min':>7}")
    rows = [("all", result["all"]), ("counters + account managers", result["counters_and_account_managers"])]
    rows += list(result["by_destination"].items())
    for name, f in rows:
        print(
            f"{name:32} {f['n']:>6} {f['estimate_mae_min']:>13} {f['estimate_within_5_min']:>7.1%} "
            f"{f['naive_mae_min']:>10} {f['naive_within_5_min']:>7.1%}"
        )
    t = result["timing"]
    print(f"board estimate: {t['refresh_ms']} ms a refresh, {t['first_of_hour_ms']} ms the first of each hour")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
