"""Benchmarks at a year's scale: `python benchmarks/run.py [--json]` (see benchmarks/README.md).

Every figure is a ratio to a floor measured in the same run, in turns with it (floor, real, floor,
real ...), so that whatever else the machine does weighs on both; each is shown as the median and
the spread (lowest to highest ratio of a pair) with the median times behind it. Targets in ms are
checked on the real time; start-up and the import on the ratio. The floors:

- start-up: a minimal Textual app (one Static) to its first paint, the same way (under a pty, and
  headless), against the app to its first usable screen (sign-in);
- the work (lookups, day summary, trend, comparison, shift list, commit): raw SQLite on the same
  file doing the least the same answer needs (the index query; reading the day's / month's visits;
  a page of shifts; one INSERT committed with synchronous=FULL);
- import-customers: csv.reader plus one executemany of the same file's raw rows in one process;
- key-to-screen: a trivial screen switch in the same app.

Nothing here is asserted: the figures are for people to read (and for the README).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PROBE = HERE / "probe.py"
sys.path.insert(0, str(ROOT))

CMD = ".venv/bin/python benchmarks/run.py"
# key: (target, what the target is on: "ratio", "median" ms, "p95" ms or "mb"; what; command that measures it)
TARGETS: dict[str, tuple[float, str, str, str]] = {
    "start_pty": (1.2, "ratio", "first usable screen (sign-in) under a pty / minimal Textual app", "--only start"),
    "start_headless": (1.2, "ratio", "first usable screen (sign-in), headless / minimal Textual app", "--only start"),
    "lookup": (10.0, "p95", "directory lookup as the lookup screen does it (4 kinds)", "--only work"),
    "day_summary": (50.0, "median", "one day's figures (the busiest day)", "--only work"),
    "trend_30d": (20.0, "median", "the supervisor's 30-day trend", "--only work"),
    "compare_30d": (20.0, "median", "the supervisor's comparison of managers, 30 days", "--only work"),
    "shift_list_page": (10.0, "median", "a page (50) of the supervisor's shift list", "--only work"),
    "commit": (5.0, "p95", "confirming a visit (LobbyStore.confirm_visit)", "--only work"),
    "import": (2.0, "ratio", "import-customers of the CSV / raw executemany of its rows", "--only import"),
    "reimport": (2.0, "ratio", "the same file again (every row matched) / raw executemany", "--only import"),
    "key_new_customer": (50.0, "p95", "board: n -> greeting", "--only keys"),
    "key_reason": (50.0, "p95", "greeting: 1 -> lookup", "--only keys"),
    "key_lookup_digit": (50.0, "p95", "lookup: each of four digits -> shown", "--only keys"),
    "key_lookup_results": (50.0, "p95", "lookup: end of the typing pause -> matches listed", "--only keys"),
    "key_take_match": (50.0, "p95", "lookup: Enter -> guidance for the match", "--only keys"),
    "key_confirm_visit": (50.0, "p95", "guidance: Enter -> committed, board", "--only keys"),
    "key_day_summary": (50.0, "p95", "board: e -> day summary with figures", "--only keys"),
    "key_trends": (50.0, "p95", "supervisor: 3 -> 30-day trends drawn", "--only keys"),
    "peak_rss": (100.0, "mb", "peak memory of the work probe / a minimal Textual app's", "--only start work"),
}
SECTIONS = ("start", "work", "import", "keys")


def child_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LOBBY_TUI_")}
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env.setdefault("TERM", "xterm-256color")
    env.pop("TEXTUAL", None)
    return env


def build(cache: Path, customers: int, days: int, seed: int) -> Path:
    """The cached database, made or topped up by the demo command (idempotent: a complete database
    only gets the days since it was last brought up to date)."""
    cache.mkdir(parents=True, exist_ok=True)
    db = cache / f"lobby-{customers}-{days}-{seed}.db"
    started = time.monotonic()
    args = ["demo", "--db", str(db), "--customers", str(customers), "--days", str(days), "--seed", str(seed)]
    done = subprocess.run(
        [sys.executable, "-m", "lobby_tui", *args, "--lang", "en"],
        env=child_env(),
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    if done.returncode != 0:
        raise SystemExit(f"benchmarks: the demo command failed ({done.returncode})")
    first = done.stdout.splitlines()[0] if done.stdout else ""
    print(f"database: {db} ({first}; {time.monotonic() - started:.1f} s)", file=sys.stderr)
    return db


# ---------------------------------------------------------------- start-up


def in_a_terminal(args: Sequence[str], out: Path, *, stderr: Path | None = None) -> float:
    """Run `probe.py *args` with a pty (80x24) as its terminal; seconds from spawn to its first paint."""
    import fcntl
    import pty
    import struct
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    out.unlink(missing_ok=True)
    err = open(stderr, "w") if stderr else None  # noqa: SIM115 - closed below
    spawned = time.monotonic()
    proc = subprocess.Popen(
        [sys.executable, *(["-X", "importtime"] if stderr else []), str(PROBE), *args],
        stdin=slave,
        stdout=slave,
        stderr=err or slave,
        env=child_env(),
        cwd=ROOT,
        start_new_session=True,
    )
    os.close(slave)
    while True:  # drain the terminal until the child has gone (EIO once nothing holds the other end)
        try:
            if not os.read(master, 65536):
                break
        except OSError:
            break
    proc.wait(timeout=120)
    os.close(master)
    if err:
        err.close()
    return _painted(out, args, proc.returncode, spawned)


def headless(args: Sequence[str], out: Path) -> float:
    out.unlink(missing_ok=True)
    spawned = time.monotonic()
    done = subprocess.run(
        [sys.executable, str(PROBE), *args],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=child_env(),
        cwd=ROOT,
    )
    return _painted(out, args, done.returncode, spawned)


def _painted(out: Path, args: Sequence[str], code: int, spawned: float) -> float:
    if not out.exists():
        raise SystemExit(f"benchmarks: {' '.join(args[:1])} did not reach its first paint (exit {code})")
    record = json.loads(out.read_text())
    _painted.last = record  # type: ignore[attr-defined]
    return float(record["painted"] - spawned)


def start_section(db: Path, runs: int, work: Path) -> dict[str, dict]:
    """Turns of (minimal, app) in each mode, after one warm-up turn; a pair per turn and mode."""
    pairs: dict[str, list[tuple[float, float]]] = {"start_pty": [], "start_headless": []}
    rss: list[float] = []
    for turn in range(runs + 1):
        for mode, run in (("pty", in_a_terminal), ("headless", headless)):
            minimal = run(["start-minimal", str(work / "m.json"), mode], work / "m.json")
            if mode == "headless":
                rss.append(_painted.last["rss_mb"])  # type: ignore[attr-defined]
            app = run(["start-app", str(db), str(work / "a.json"), mode], work / "a.json")
            if turn:
                pairs[f"start_{mode}"].append((minimal * 1000, app * 1000))
    figures = {key: {"pairs": value} for key, value in pairs.items()}
    figures["_minimal_rss_mb"] = {"value": statistics.median(rss)}
    figures["_importtime"] = {"value": importtime(db, work)}
    return figures


def importtime(db: Path, work: Path) -> dict:
    """`python -X importtime` of the app up to its sign-in screen (under a pty): what it imports
    before the first paint, biggest first, and the same for the minimal app."""
    out: dict = {}
    for name, args in (
        ("minimal", ["start-minimal", str(work / "m.json"), "pty"]),
        ("app", ["start-app", str(db), str(work / "a.json"), "pty"]),
    ):
        log = work / f"importtime-{name}.txt"
        in_a_terminal(args, work / ("m.json" if name == "minimal" else "a.json"), stderr=log)
        rows = []
        for line in log.read_text(errors="replace").splitlines():
            if not line.startswith("import time:") or "self [us]" in line:
                continue
            self_us, cumulative, module = line[len("import time:") :].split("|")
            rows.append((int(self_us), int(cumulative), module))
        depth = min((len(m) - len(m.lstrip()) for _, _, m in rows), default=0)
        top_level = [(c, m.strip()) for _, c, m in rows if len(m) - len(m.lstrip()) == depth]  # not nested
        out[name] = {
            "total_ms": sum(s for s, _, _ in rows) / 1000,
            "modules": len(rows),
            "top": [(m, round(c / 1000, 1)) for c, m in sorted(top_level, reverse=True)[:12]],
            "lobby_tui": sorted({m.strip() for _, _, m in rows if m.strip().startswith("lobby_tui")}),
            "textual": sorted({m.strip() for _, _, m in rows if m.strip().startswith("textual.widgets.")}),
        }
    return out


# ---------------------------------------------------------------- the other sections


def probe(*args: str) -> dict:
    out = Path(args[-2]) if args[0] in ("work", "keys") else Path(args[-1])
    done = subprocess.run(
        [sys.executable, str(PROBE), *args],
        env=child_env(),
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    if done.returncode != 0:
        raise SystemExit(f"benchmarks: probe {args[0]} failed:\n{done.stderr[-3000:]}")
    return dict(json.loads(out.read_text()))


def work_section(db: Path, rounds: int, work: Path) -> dict[str, dict]:
    result = probe("work", str(db), str(work / "work.json"), str(rounds))
    figures = {name: {"pairs": pairs} for name, pairs in result["pairs"].items()}
    figures["_work_rss_mb"] = {"value": result["peak_rss_mb"]}
    figures["_day"] = {"value": f"{result['day_summary_day']} ({result['day_summary_visits']} visits)"}
    return figures


def written_mb(run: Callable[[], T]) -> tuple[T, float]:
    """What `run` returns, and the MB its child processes wrote (the kernel's count, as pages are
    dirtied): unlike the time, it does not move with how busy the machine or its disk is."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_oublock
    result = run()
    return result, (resource.getrusage(resource.RUSAGE_CHILDREN).ru_oublock - before) * 512 / 1e6


def import_section(rows: int, pairs_wanted: int, cache: Path, work: Path) -> dict[str, dict]:
    """Pairs of (raw executemany into a new database, import-customers into a new database), then the
    same file imported again over the import's (every row matched), against the same pair's floor.
    Also what each wrote, in MB (`_import_written_mb`, the last pair's)."""
    from benchmarks.customers_csv import write_customers_csv

    csv_path = cache / f"customers-unique-{rows}.csv"
    if not csv_path.exists():
        write_customers_csv(csv_path, rows)
    command = [sys.executable, "-m", "lobby_tui", "import-customers", "--db", str(work / "imp.db"), str(csv_path)]

    def raw_insert() -> float:
        return float(probe("raw-insert", str(csv_path), str(work / "imp-raw.db"), str(work / "raw.json"))["seconds"])

    def import_customers() -> subprocess.CompletedProcess[str]:
        return subprocess.run(command, env=child_env(), cwd=ROOT, capture_output=True, text=True)

    first, again = [], []
    written: dict[str, float] = {}
    for turn in range(pairs_wanted):
        for path in work.glob("imp*.db*"):
            path.unlink()
        floor_first = turn % 2 == 0
        if floor_first:
            floor, written["floor"] = written_mb(raw_insert)
        started = time.monotonic()
        done, written["import"] = written_mb(import_customers)
        seconds = time.monotonic() - started
        if done.returncode != 0:
            raise SystemExit(f"benchmarks: the import failed: {done.stderr[-500:]}")
        started = time.monotonic()
        _, written["reimport"] = written_mb(import_customers)
        reseconds = time.monotonic() - started
        if not floor_first:
            floor, written["floor"] = written_mb(raw_insert)
        first.append((floor * 1000, seconds * 1000))
        again.append((floor * 1000, reseconds * 1000))
    return {
        "import": {"pairs": first},
        "reimport": {"pairs": again},
        "_import_rows": {"value": rows},
        "_import_written_mb": {"value": {name: round(mb) for name, mb in written.items()}},
    }


def keys_section(db: Path, rounds: int, work: Path) -> dict[str, dict]:
    result = probe("keys", str(db), str(work / "keys.json"), str(rounds))
    figures = {f"key_{name}": {"pairs": pairs} for name, pairs in result["pairs"].items()}
    figures["_search_delay_ms"] = {"value": result["search_delay_ms"]}
    figures["_full_collections"] = {"value": result["full_collections"]}
    return figures


# ---------------------------------------------------------------- the report


def _p95(samples: Sequence[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def summarize(name: str, pairs: Sequence[Sequence[float]]) -> dict:
    floors = [p[0] for p in pairs]
    reals = [p[1] for p in pairs]
    ratios = [r / f for f, r in pairs if f > 0]
    target, on, what, how = TARGETS.get(name, (float("nan"), "median", name, ""))
    return {
        "n": len(pairs),
        "ratio": statistics.median(ratios),
        "ratio_low": min(ratios),
        "ratio_high": max(ratios),
        "median_ms": statistics.median(reals),
        "p95_ms": _p95(reals),
        "floor_median_ms": statistics.median(floors),
        "floor_p95_ms": _p95(floors),
        "target": target,
        "on": on,
        "what": what,
        "command": f"{CMD} {how}".strip(),
    }


def checked(s: dict) -> float:
    return float({"ratio": s["ratio"], "median": s["median_ms"], "p95": s["p95_ms"]}[s["on"]])


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--db", type=Path, help="use this database (made by `lobby-tui demo`) instead of the cache's")
    parser.add_argument("--cache", type=Path, default=HERE / ".cache", help="where the database and CSV are kept")
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--only", nargs="+", choices=SECTIONS, default=list(SECTIONS))
    parser.add_argument("--runs", type=int, default=9, help="start-up turns (each: minimal and app, pty and headless)")
    parser.add_argument("--rounds", type=int, default=15, help="turns of the work probe")
    parser.add_argument("--import-rows", type=int, default=1_000_000, help="rows of the import CSV (unique people)")
    parser.add_argument("--import-pairs", type=int, default=3, help="(floor, import) pairs")
    parser.add_argument("--key-rounds", type=int, default=20, help="turns of the key-to-screen probe")
    parser.add_argument("--json", action="store_true", help="end with one line of JSON")
    args = parser.parse_args()

    from rich.console import Console
    from rich.table import Table

    db = args.db or build(args.cache, args.customers, args.days, args.seed)
    # As an installed package is (pip compiles it): without this, a machine or CI with
    # PYTHONDONTWRITEBYTECODE set would compile the app's own modules from source on every start.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "lobby_tui")], check=True)
    raw: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="lobby-bench-") as tmp:
        work = Path(tmp)
        if "start" in args.only:
            raw.update(start_section(db, args.runs, work))
        if "work" in args.only:
            raw.update(work_section(db, args.rounds, work))
        if "import" in args.only:
            args.cache.mkdir(parents=True, exist_ok=True)
            raw.update(import_section(args.import_rows, args.import_pairs, args.cache, work))
        if "keys" in args.only:
            raw.update(keys_section(db, args.key_rounds, work))

    figures = {name: summarize(name, v["pairs"]) for name, v in raw.items() if "pairs" in v}
    notes = {name.lstrip("_"): v["value"] for name, v in raw.items() if "value" in v}
    if "work_rss_mb" in notes:
        floor = notes.get("minimal_rss_mb", float("nan"))
        figures["peak_rss"] = {
            "n": 1,
            "ratio": notes["work_rss_mb"] / floor,
            "ratio_low": notes["work_rss_mb"] / floor,
            "ratio_high": notes["work_rss_mb"] / floor,
            "median_ms": float("nan"),
            "value_mb": notes["work_rss_mb"],
            "floor_mb": floor,
            "target": TARGETS["peak_rss"][0],
            "on": "mb",
            "what": TARGETS["peak_rss"][2],
            "command": f"{CMD} {TARGETS['peak_rss'][3]}",
        }

    table = Table(title=f"lobby_tui benchmarks on {db.name} (ratios to a floor measured in the same run)")
    for column in ("figure", "ratio", "spread", "median", "p95", "floor", "target", "", "n"):
        table.add_column(column, justify="left" if column == "figure" else "right")
    order = [k for k in TARGETS if k in figures] + [k for k in figures if k not in TARGETS]
    for name in order:
        s = figures[name]
        if s["on"] == "mb":
            value = s["value_mb"]
            ok: bool | None = value <= s["target"]
            row = (f"{s['ratio']:.2f}", "", f"{value:.0f} MB", "", f"{s['floor_mb']:.0f} MB", f"≤ {s['target']:g} MB")
        elif s["target"] != s["target"]:  # no target of its own (a part of another figure)
            ok = None
            row = (
                f"{s['ratio']:.2f}",
                f"{s['ratio_low']:.2f}–{s['ratio_high']:.2f}",
                f"{s['median_ms']:.1f}",
                f"{s['p95_ms']:.1f}",
                f"{s['floor_median_ms']:.2f}",
                "",
            )
        else:
            value = checked(s)
            ok = value <= s["target"]
            unit = "" if s["on"] == "ratio" else " ms"
            row = (
                f"{s['ratio']:.2f}",
                f"{s['ratio_low']:.2f}–{s['ratio_high']:.2f}",
                f"{s['median_ms']:.1f}",
                f"{s['p95_ms']:.1f}",
                f"{s['floor_median_ms']:.2f}",
                f"≤ {s['target']:g}{unit}" + ("" if s["on"] == "ratio" else f" {s['on']}"),
            )
        table.add_row(name, *row, "" if ok is None else "✓" if ok else "✗", str(s["n"]))
    console = Console(width=None if sys.stdout.isatty() else 150)
    console.print(table)
    for name, value in notes.items():
        if name != "importtime":
            console.print(f"{name}: {value}", highlight=False)
    if "importtime" in notes:
        for which, info in notes["importtime"].items():
            console.print(
                f"before the first paint, {which}: {info['modules']} modules, {info['total_ms']:.0f} ms importing; "
                f"biggest: {', '.join(f'{m} {ms:g}' for m, ms in info['top'][:8])}",
                highlight=False,
            )
        console.print(f"lobby_tui modules before sign-in: {', '.join(notes['importtime']['app']['lobby_tui'])}")
    if args.json:
        print(json.dumps({"figures": figures, "notes": notes}, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
