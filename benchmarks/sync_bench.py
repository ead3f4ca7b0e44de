"""Head-office benchmarks: `python benchmarks/sync_bench.py [--json]` (see benchmarks/README.md).

On a throwaway PostgreSQL cluster (tests/hq/pg.py, durable: fsync on), with the branch year that
benchmarks/run.py builds (`lobby-tui demo --customers 1000000 --days 365 --seed 1`, copied first, as
sync writes its marks into the file):

- sync_full_s: `lobby-tui sync` of the whole year into an empty head office, over copy_full_s: psql's
  own `\\copy` of exactly the same rows (the same columns, from files written beforehand) into another
  empty head office (the month partitions made beforehand, not timed);
- sync_day_s: `lobby-tui sync` again after one simulated day (the year's last day again, as new
  visits, half of them then served, and 200 audit entries), over copy_day_s: `\\copy` of those rows;
- hq_summary_ms: `hq summary`'s work (lobby_tui.hq.figures.day_report: it reads visit_counts, which
  sync keeps) for the busiest day over --branches branches of that year (the branch's year copied
  under other codes, their counts made as sync makes them), over group_by_ms: a bare
  `SELECT branch, day, count(*) FROM visits WHERE day … GROUP BY branch, day`, which counts visits
  only; the same for the 30 days of `hq trends`. recount_day_ms: what counting a day's figures from
  the visits themselves would cost (the GROUPING SETS query sync runs per batch), for all branches.

Nothing is asserted; the figures are for the README. --customers/--days make a smaller demo.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

from run import build, child_env  # noqa: E402

from lobby_tui.hq.tables import SYNC_TABLES  # noqa: E402
from tests.hq.pg import PASSWORD, Cluster  # noqa: E402


def lobby(*argv: str) -> float:
    """Seconds `lobby-tui argv` took (it must succeed)."""
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "lobby_tui", *argv], env=child_env(), cwd=ROOT, capture_output=True)
    if done.returncode != 0:
        raise SystemExit(f"sync_bench: lobby-tui {argv[0]} failed: {done.stderr.decode()[-500:]}")
    return time.monotonic() - started


def copy_text(value: object) -> str:
    if value is None:
        return "\\N"
    text = str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def dump(db: Path, folder: Path, branch: str, where: dict[str, str]) -> dict[str, tuple[Path, int]]:
    """The rows sync sends (its columns, `branch` first) as COPY text files; `where` limits a table."""
    conn = sqlite3.connect(db)
    files = {}
    for table in SYNC_TABLES:
        path = folder / f"{table.name}.copy"
        n = 0
        with path.open("w", encoding="utf-8") as out:
            sql = f"SELECT {', '.join(table.columns)} FROM {table.name} {where.get(table.name, '')}"
            for row in conn.execute(sql):
                out.write("\t".join([branch, *(copy_text(v) for v in row)]) + "\n")
                n += 1
        files[table.name] = (path, n)
    conn.close()
    return files


def psql_copy(cluster: Cluster, dsn: str, files: dict[str, tuple[Path, int]]) -> float:
    """Seconds for psql's own \\copy of the files, one psql per table (its start-up counts, as sync's does)."""
    env = {**os.environ, "PGPASSWORD": PASSWORD}
    psql = shutil.which("psql") or str(cluster.bindir / "psql")
    total = 0.0
    for name, (path, _) in files.items():
        table = next(t for t in SYNC_TABLES if t.name == name)
        cols = ", ".join(("branch", *table.columns))
        started = time.monotonic()
        subprocess.run(
            [psql, dsn, "-q", "-v", "ON_ERROR_STOP=1", "-c", f"\\copy {name} ({cols}) FROM '{path}'"],
            env=env,
            check=True,
        )
        total += time.monotonic() - started
    return total


def make_partitions(dsn: str, db: Path) -> None:
    import psycopg

    from lobby_tui.hq.schema import ensure_partitions

    conn = sqlite3.connect(db)
    days = [r[0] for r in conn.execute("SELECT DISTINCT day FROM visits")]
    conn.close()
    with psycopg.connect(dsn) as pg:
        ensure_partitions(pg, days, set())


def add_a_day(db: Path) -> dict[str, str]:
    """One more day at the branch: the last day's visits again (new ids, the day after), half of them
    then served (an update each), and 200 audit entries; `where` clauses that pick those rows."""
    from lobby_tui.store import LobbyStore

    store = LobbyStore(db)
    last = store.query("SELECT max(day) AS d FROM visits")[0]["d"]
    from datetime import date, timedelta

    day = (date.fromisoformat(last) + timedelta(days=1)).isoformat()
    rows = store.query("SELECT * FROM visits WHERE day = ?", (last,))
    cols = [c for c in rows[0].keys() if c != "notes"]
    new = []
    for r in rows:
        values = dict(r)
        values.update(id=str(uuid.uuid4()), day=day, ts=day + values["ts"][10:], shift_id=None, outcome="waiting")
        new.append(tuple(values[c] for c in cols))
    with store.write() as conn:
        conn.executemany(f"INSERT INTO visits ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)})", new)
        conn.execute("UPDATE visits SET outcome = 'served' WHERE day = ? AND rowid % 2 = 0", (day,))
        first_seq = conn.execute("SELECT max(seq) FROM audit").fetchone()[0]
        for n in range(200):
            store._audit(conn, "benchmark", None, n=n)
    store.close()
    return {
        "visits": f"WHERE day = '{day}'",
        "shifts": "WHERE 0",
        "shift_log": "WHERE 0",
        "audit": f"WHERE seq > {first_seq}",
    }


def fan_out(dsn: str, branches: int) -> None:
    """The one branch's year under `branches` codes in all (visits and their day counts: the figures
    read nothing else)."""
    import psycopg

    from lobby_tui.hq.figures import refresh_counts

    table = next(t for t in SYNC_TABLES if t.name == "visits")
    cols = ", ".join(table.columns)
    other = ", ".join("md5(id || %(n)s)" if c == "id" else c for c in table.columns)
    with psycopg.connect(dsn, autocommit=True) as pg:
        for n in range(1, branches):
            pg.execute(
                f"INSERT INTO visits (branch, {cols}) SELECT %(code)s, {other} FROM visits WHERE branch = 'B000'",
                {"code": f"B{n:03d}", "n": str(n)},
            )
            pg.execute("INSERT INTO branches(code, file_id) VALUES (%s, %s)", (f"B{n:03d}", f"copy-{n}"))
        days = [r[0] for r in pg.execute("SELECT DISTINCT day::text FROM visits WHERE branch = 'B000'")]
        with pg.transaction(), pg.cursor() as cur:  # what sync would have counted for each of them
            for n in range(1, branches):
                refresh_counts(cur, f"B{n:03d}", days)
        pg.execute("VACUUM ANALYZE")


def timed(work, runs: int = 5) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def figures_over_branches(dsn: str) -> dict[str, float]:
    import psycopg

    from lobby_tui.hq.figures import count_visits, day_report

    with psycopg.connect(dsn) as pg:
        busiest, n_branches = pg.execute(
            "SELECT day::text, (SELECT count(*) FROM branches) FROM visits GROUP BY day ORDER BY count(*) DESC LIMIT 1"
        ).fetchone()  # type: ignore[misc]
        end = busiest
        from datetime import date, timedelta

        start = (date.fromisoformat(end) - timedelta(days=29)).isoformat()
        rows = pg.execute("SELECT count(*) FROM visits").fetchone()[0]  # type: ignore[index]

        def bare(a: str, b: str) -> None:
            pg.execute(
                "SELECT branch, day, count(*) FROM visits WHERE day BETWEEN %s AND %s GROUP BY branch, day", (a, b)
            ).fetchall()
            pg.commit()

        def recount(a: str, b: str) -> None:
            with pg.cursor() as cur:
                count_visits(cur, "AND day BETWEEN %(a)s AND %(b)s", {"a": a, "b": b})
            pg.commit()

        summary_ms = timed(lambda: day_report(pg, busiest, busiest))
        recount_ms = timed(lambda: recount(busiest, busiest), runs=3)
        bare_ms = timed(lambda: bare(busiest, busiest))
        trends_ms = timed(lambda: day_report(pg, start, end), runs=3)
        bare30_ms = timed(lambda: bare(start, end), runs=3)
    return {
        "hq_branches": n_branches,
        "hq_visit_rows": rows,
        "hq_summary_ms": summary_ms,
        "group_by_ms": bare_ms,
        "hq_summary_ratio": summary_ms / bare_ms,
        "recount_day_ms": recount_ms,
        "hq_trends_30d_ms": trends_ms,
        "group_by_30d_ms": bare30_ms,
        "hq_trends_ratio": trends_ms / bare30_ms,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--branches", type=int, default=100)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    source = build(args.customers, args.days, args.seed)
    cluster = Cluster(durable=True)
    cluster.start()
    work = Path(tempfile.mkdtemp(prefix="lobby-sync-bench-"))
    out: dict[str, float] = {}
    try:
        db = work / "branch.db"
        for suffix in ("", ".key", ".anchor"):
            if Path(str(source) + suffix).exists():
                shutil.copy(str(source) + suffix, str(db) + suffix)
        hq, baseline = cluster.new_database(), cluster.new_database()
        lobby("hq", "init", "--dsn", hq)
        lobby("hq", "init", "--dsn", baseline)
        make_partitions(baseline, db)
        files = dump(db, work, "B000", {})
        out["rows_full"] = sum(n for _, n in files.values())
        out["copy_full_s"] = psql_copy(cluster, baseline, files)
        out["sync_full_s"] = lobby("sync", "--to", hq, "--db", str(db), "--branch", "B000")
        out["sync_full_ratio"] = out["sync_full_s"] / out["copy_full_s"]
        out["sync_full_rows_per_s"] = out["rows_full"] / out["sync_full_s"]
        out["sync_nothing_s"] = lobby("sync", "--to", hq, "--db", str(db))
        where = add_a_day(db)
        day_files = dump(db, work, "B000", where)
        out["rows_day"] = sum(n for _, n in day_files.values())
        baseline_day = cluster.new_database()
        lobby("hq", "init", "--dsn", baseline_day)
        make_partitions(baseline_day, db)
        out["copy_day_s"] = psql_copy(cluster, baseline_day, day_files)
        out["sync_day_s"] = lobby("sync", "--to", hq, "--db", str(db))
        out["sync_day_ratio"] = out["sync_day_s"] / out["copy_day_s"]
        fan_out(hq, args.branches)
        out.update(figures_over_branches(hq))
    finally:
        cluster.stop()
        shutil.rmtree(work, ignore_errors=True)
    width = max(len(k) for k in out)
    for key, value in out.items():
        print(f"{key:<{width}}  {value:,.3f}" if isinstance(value, float) else f"{key:<{width}}  {value:,}")
    if args.json:
        print(json.dumps({k: round(v, 3) if isinstance(v, float) else v for k, v in out.items()}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
