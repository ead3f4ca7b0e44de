"""Benchmarks at a year's scale: `python benchmarks/run.py [--json]` (see benchmarks/README.md).

Builds (or reuses, from benchmarks/.cache/) a database with `lobby-tui demo --customers 1000000
--days 365`, then measures, each in processes of its own (benchmarks/probe.py):

- start_ratio: the app's start to its first painted screen, over a minimal Textual app's, both under
  a real terminal (a pty), in alternating turns; the median of each;
- lookup_p95_ms, day_summary_ms, trend_30d_ms, peak_rss_mb, commit_p95_ms: in a process that starts
  the app (headless) to its sign-in screen, then searches the directory as the lookup screen does,
  takes a day's figures and the 30-day trend, and confirms visits (LobbyStore.confirm_visit).

It prints a table; with --json the last line is one JSON object with the keys of TARGETS.
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
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CACHE = HERE / ".cache"
PROBE = HERE / "probe.py"
sys.path.insert(0, str(ROOT))

# key: (target, "max" or "min", what it is)
TARGETS = {
    "start_ratio": (1.3, "app start to its first painted screen / a minimal Textual app's"),
    "lookup_p95_ms": (10.0, "directory lookup (phone last 4, phone, ID number, name), p95"),
    "commit_p95_ms": (5.0, "confirming a visit (LobbyStore.confirm_visit), p95"),
    "day_summary_ms": (50.0, "one day's figures (the busiest day)"),
    "trend_30d_ms": (200.0, "the supervisor's 30-day trend"),
    "peak_rss_mb": (100.0, "peak memory through start, lookups and summary"),
}


def child_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LOBBY_TUI_")}
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env.setdefault("TERM", "xterm-256color")
    env.pop("TEXTUAL", None)
    return env


def build(customers: int, days: int, seed: int) -> Path:
    """The cached database, made or topped up by the demo command (idempotent: a complete database
    only gets the days since it was last brought up to date)."""
    CACHE.mkdir(exist_ok=True)
    db = CACHE / f"lobby-{customers}-{days}-{seed}.db"
    started = time.monotonic()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "lobby_tui",
            "demo",
            "--db",
            str(db),
            "--customers",
            str(customers),
            "--days",
            str(days),
            "--seed",
            str(seed),
            "--lang",
            "en",
        ],
        env=child_env(),
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    if done.returncode != 0:
        raise SystemExit(f"benchmarks: the demo command failed ({done.returncode})")
    print(
        f"database: {db} ({done.stdout.splitlines()[0] if done.stdout else ''}; {time.monotonic() - started:.1f} s)",
        file=sys.stderr,
    )
    return db


def in_a_terminal(args: list[str], out: Path, cols: int = 80, rows: int = 24) -> float:
    """Run `probe.py *args` with a pty as its terminal; seconds from spawn to its first paint."""
    import fcntl
    import pty
    import struct
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    out.unlink(missing_ok=True)
    spawned = time.monotonic()
    proc = subprocess.Popen(
        [sys.executable, str(PROBE), *args],
        stdin=slave,
        stdout=slave,
        stderr=slave,
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
    if not out.exists():
        raise SystemExit(f"benchmarks: {' '.join(args[:1])} did not reach its first paint (exit {proc.returncode})")
    return json.loads(out.read_text())["painted"] - spawned


def start_ratio(db: Path, runs: int, work: Path) -> dict[str, float]:
    """Median start times, in turns: minimal app, the app to its first screen, the app to sign-in."""
    kinds = {"minimal": ["start-minimal"], "first": ["start-app", str(db)], "usable": ["start-app", str(db)]}
    times: dict[str, list[float]] = {kind: [] for kind in kinds}
    for turn in range(runs + 1):  # the first turn only warms the file cache
        for kind, args in kinds.items():
            out = work / f"{kind}.json"
            extra = [] if kind == "minimal" else [kind]
            seconds = in_a_terminal([*args, str(out), *extra], out)
            if turn:
                times[kind].append(seconds)
    m, first, usable = (statistics.median(times[k]) for k in ("minimal", "first", "usable"))
    return {
        "start_ratio": first / m,
        "usable_ratio": usable / m,
        "minimal_start_ms": m * 1000,
        "app_start_ms": first * 1000,
        "usable_start_ms": usable * 1000,
    }


def work_probe(db: Path, work: Path) -> dict:
    out = work / "work.json"
    done = subprocess.run(
        [sys.executable, str(PROBE), "work", str(db), str(out)],
        env=child_env(),
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    if done.returncode != 0:
        raise SystemExit(f"benchmarks: the work probe failed:\n{done.stderr[-2000:]}")
    return json.loads(out.read_text())


def import_probe(rows: int, work: Path) -> dict[str, float]:
    """Seconds to import a generated CSV of `rows` customers into a new database."""
    from lobby_tui.domain.idnumber import check_character

    csv_path = CACHE / f"customers-{rows}.csv"
    if not csv_path.exists():
        import random

        rng = random.Random(7)
        with open(csv_path, "w", encoding="utf-8", newline="") as f:
            f.write("姓名,手机号,证件号码,卡号,金融资产,他行资产,学历\n")
            for i in range(rows):
                body = f"310115{1940 + (i // 1000) % 60:04d}{1 + i % 12:02d}{1 + (i // 12) % 28:02d}{i % 1000:03d}"
                number = body + check_character(body) if i % 10 else ""
                assets = rng.choice(
                    (f"{rng.randint(1, 500)}万", f'"{rng.randint(1000, 5_000_000):,}"', str(rng.randint(0, 10**7)))
                )
                f.write(
                    f"客户{i},1{rng.choice('3578')}{i:09d},{number},{f'622202{i:013d}' if i % 2 else ''},"
                    f"{assets},{rng.choice(('', '5万'))},{rng.choice(('本科', '大专', '高中', ''))}\n"
                )
    db = work / "import.db"
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "lobby_tui", "import-customers", "--db", str(db), str(csv_path)],
        env=child_env(),
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    first = time.monotonic() - started
    started = time.monotonic()
    subprocess.run(
        [sys.executable, "-m", "lobby_tui", "import-customers", "--db", str(db), str(csv_path)],
        env=child_env(),
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    again = time.monotonic() - started
    if done.returncode != 0:
        raise SystemExit(f"benchmarks: the import failed: {done.stderr[-500:]}")
    return {"import_rows": rows, "import_s": first, "reimport_s": again}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=9, help="start-up runs of each app (alternating)")
    parser.add_argument("--import-rows", type=int, default=0, help="also time importing a CSV of this many rows")
    parser.add_argument("--json", action="store_true", help="end with one line of JSON")
    args = parser.parse_args()

    from rich.console import Console
    from rich.table import Table

    db = build(args.customers, args.days, args.seed)
    with tempfile.TemporaryDirectory(prefix="lobby-bench-") as tmp:
        work = Path(tmp)
        figures = {**start_ratio(db, args.runs, work), **work_probe(db, work)}
        if args.import_rows:
            figures.update(import_probe(args.import_rows, work))

    table = Table(title=f"lobby_tui benchmarks: {args.customers:,} customers, {args.days} days ({db.name})")
    for column in ("measure", "value", "target", "", "what"):
        table.add_column(column, justify="right" if column in ("value", "target") else "left")
    for key, (target, what) in TARGETS.items():
        value = figures[key]
        table.add_row(key, f"{value:.2f}", f"≤ {target:g}", "✓" if value <= target else "✗", what)
    details = [
        (
            "minimal start (pty)",
            f"{figures['minimal_start_ms']:.0f} ms",
            "median of",
            str(args.runs),
            "a Textual app with one Static, to its first paint",
        ),
        (
            "app start (pty)",
            f"{figures['app_start_ms']:.0f} ms",
            "median of",
            str(args.runs),
            "`lobby-tui --db …` to its first screen painted",
        ),
        (
            "app to sign-in (pty)",
            f"{figures['usable_start_ms']:.0f} ms",
            "median of",
            str(args.runs),
            f"database open, sign-in painted: ratio {figures['usable_ratio']:.2f}",
        ),
    ]
    for kind, v in figures["lookup_ms"].items():
        details.append(
            (
                f"lookup {kind}",
                f"{v['p95']:.2f} ms",
                "p95 of",
                str(v["n"]),
                f"p50 {v['p50']:.2f} ms, {v['hits']} found something",
            )
        )
    details.append(("commit p50", f"{figures['commit_p50_ms']:.2f} ms", "", "", "synchronous=FULL, WAL"))
    details.append(("day summary", f"{figures['day_summary_visits']} visits", "", "", figures["day_summary_day"]))
    details.append(("trend by", "", "", "", figures["trend_how"]))
    if "import_s" in figures:
        details.append(
            (
                "import-customers",
                f"{figures['import_s']:.1f} s",
                "rows",
                f"{figures['import_rows']:,}",
                f"again (all matched): {figures['reimport_s']:.1f} s",
            )
        )
    table.add_section()
    for row in details:
        table.add_row(*row)
    Console(width=None if sys.stdout.isatty() else 140).print(table)
    if args.json:
        print(json.dumps({key: round(figures[key], 3) for key in TARGETS}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
