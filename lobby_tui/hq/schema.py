"""The head-office schema on PostgreSQL, in versioned steps like the branch file's (store/migrations.py).

`hq_meta` holds the version and the head office's own id (a UUID made by the first `hq init`: a branch
keeps its high-water marks per head office, so a new head-office database is synced from the start).
Never edit a released step: add one at the end of HQ_MIGRATIONS. A lobby-tui that finds a newer
version than it knows refuses to write to it.

Visits are partitioned by month (RANGE on day); the month's partition is made when its first visit
arrives (ensure_partitions), so years of thousands of branches stay one small partition per month.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from lobby_tui.hq.connect import HqError, describe

LOCK_KEY = 0x10B7_0013  # pg_advisory_xact_lock: one migrator (or partition maker) at a time


def _h1_core(cur: Any) -> None:
    """Branches, visits (by month), shifts, shift-log entries and the branches' audit chains."""
    cur.execute(
        "CREATE TABLE branches (code text PRIMARY KEY, file_id text NOT NULL, "
        "first_sync timestamptz NOT NULL DEFAULT now(), last_sync timestamptz)"
    )
    cur.execute(
        "CREATE TABLE visits (branch text NOT NULL, id text NOT NULL, device_id text NOT NULL, ts text NOT NULL, "
        "day date NOT NULL, shift_id text, staff_id text, customer_id text, tier text, "
        "quality smallint NOT NULL DEFAULT 0, potential_quality smallint NOT NULL DEFAULT 0, reason text NOT NULL, "
        "amount_fen bigint, recommended_destination text, destination text, refer_to text, override_reason text, "
        "ticket text, outcome text NOT NULL, outcome_ts text, confirmed_ts text, updated_ts text, "
        "redirected_from text, PRIMARY KEY (day, id)) PARTITION BY RANGE (day)"
    )
    cur.execute("CREATE INDEX visits_branch_day ON visits (branch, day)")
    cur.execute(
        "CREATE TABLE shifts (branch text NOT NULL, id text PRIMARY KEY, device_id text NOT NULL, "
        "staff_id text NOT NULL, day date NOT NULL, opened_ts text NOT NULL, closed_ts text, status text NOT NULL, "
        "handover_note text, closed_by text, review_by text, review_ts text, review_comment text, updated_ts text)"
    )
    cur.execute("CREATE INDEX shifts_branch_day ON shifts (branch, day)")
    cur.execute(
        "CREATE TABLE shift_log (branch text NOT NULL, id text PRIMARY KEY, device_id text NOT NULL, "
        "shift_id text NOT NULL, staff_id text NOT NULL, ts text NOT NULL, kind text NOT NULL, code text, "
        "text text, reason text, checks text, corrects text)"
    )
    cur.execute("CREATE INDEX shift_log_branch_shift ON shift_log (branch, shift_id)")
    cur.execute(
        "CREATE TABLE audit (branch text NOT NULL, seq bigint NOT NULL, id text NOT NULL, device_id text NOT NULL, "
        "ts text NOT NULL, staff_id text, action text NOT NULL, detail text, prev_hash text, hash text, "
        "PRIMARY KEY (branch, seq))"
    )


def _h2_visit_counts(cur: Any) -> None:
    """The day's counts per branch (hq/figures.py), kept by sync as visits arrive; filled here from
    the visits already at head office, so a summary never has to read every visit."""
    from lobby_tui.hq.figures import refresh_counts

    cur.execute(
        "CREATE TABLE visit_counts (branch text NOT NULL, day date NOT NULL, dim text NOT NULL, key text NOT NULL, "
        "n bigint NOT NULL, PRIMARY KEY (day, branch, dim, key))"
    )
    cur.execute("SELECT branch, array_agg(DISTINCT day::text) FROM visits GROUP BY branch")
    for branch, days in cur.fetchall():
        refresh_counts(cur, branch, list(days))


def _h3_leads(cur: Any) -> None:
    """Leads for account managers (issue 10), as each branch works them: status, owner, contacts."""
    cur.execute(
        "CREATE TABLE IF NOT EXISTS leads (branch text NOT NULL, id text PRIMARY KEY, device_id text NOT NULL, customer_id text, "
        "status text NOT NULL, owner text, flag text NOT NULL, tier text NOT NULL, tier_with_other_assets text NOT NULL, "
        "reasons text NOT NULL, visits integer NOT NULL, contacts integer NOT NULL, first_visit_id text, "
        "last_visit_id text, made_by text, assigned_by text, assigned_ts text, taken_ts text, contacted_ts text, "
        "contact_kind text, closed_ts text, converted_to text, created_day date NOT NULL, created_ts text NOT NULL, "
        "updated_ts text NOT NULL)"
    )
    cur.execute("CREATE INDEX IF NOT EXISTS leads_branch_day ON leads (branch, created_day)")


def _h4_visit_waits(cur: Any) -> None:
    """When each ticket was called and done (issue 11): the waits and service times per branch."""
    cur.execute("ALTER TABLE visits ADD COLUMN IF NOT EXISTS called_ts text")
    cur.execute("ALTER TABLE visits ADD COLUMN IF NOT EXISTS done_ts text")


def _h5_appointments(cur: Any) -> None:
    """Appointments (issue 11) as each branch books, checks in and marks them; the customer a UUID."""
    cur.execute(
        "CREATE TABLE IF NOT EXISTS appointments (branch text NOT NULL, id text PRIMARY KEY, "
        "device_id text NOT NULL, customer_id text NOT NULL, day date NOT NULL, time text NOT NULL, "
        "kind text NOT NULL, reason text NOT NULL, amount_fen bigint, staff_id text, status text NOT NULL, "
        "late smallint NOT NULL DEFAULT 0, visit_id text, checked_in_ts text, marked_ts text, source text NOT NULL, "
        "created_by text, created_ts text NOT NULL, updated_ts text NOT NULL)"
    )
    cur.execute("CREATE INDEX IF NOT EXISTS appointments_branch_day ON appointments (branch, day)")


def _h6_feedback(cur: Any) -> None:
    """The customers' ratings of their visits (issue 11), as each branch collects them: append-only."""
    cur.execute(
        "CREATE TABLE IF NOT EXISTS feedback (branch text NOT NULL, id text PRIMARY KEY, device_id text NOT NULL, "
        "visit_id text NOT NULL, day date NOT NULL, ts text NOT NULL, score smallint NOT NULL, scale text NOT NULL, "
        "reason text, staff_id text, shift_id text)"
    )
    cur.execute("CREATE INDEX IF NOT EXISTS feedback_branch_day ON feedback (branch, day)")


HQ_MIGRATIONS: list[Callable[[Any], None]] = [
    _h1_core,
    _h2_visit_counts,
    _h3_leads,
    _h4_visit_waits,
    _h5_appointments,
    _h6_feedback,
]
HQ_SCHEMA_VERSION = len(HQ_MIGRATIONS)


def current_version(cur: Any) -> int | None:
    """The head office's schema version; None when `hq init` never ran there."""
    cur.execute("SELECT to_regclass('hq_meta') IS NOT NULL")
    if not cur.fetchone()[0]:
        return None
    cur.execute("SELECT value FROM hq_meta WHERE key = 'schema_version'")
    row = cur.fetchone()
    return int(row[0]) if row else 0


def migrate(conn: Any, dsn: str) -> tuple[int, int]:
    """Bring head office to HQ_SCHEMA_VERSION in one transaction; (version before, version after)."""
    with conn.transaction(), conn.cursor() as cur:
        cur.execute("SELECT pg_advisory_xact_lock(%s)", (LOCK_KEY,))
        before = current_version(cur)
        if before is None:
            cur.execute("CREATE TABLE hq_meta (key text PRIMARY KEY, value text NOT NULL)")
            cur.execute(
                "INSERT INTO hq_meta(key, value) VALUES ('schema_version', '0'), ('hq_id', %s), "
                "('created', now()::text)",
                (str(uuid.uuid4()),),
            )
            before = 0
        if before > HQ_SCHEMA_VERSION:
            raise HqError("hq.schema_newer", describe(dsn), found=before, supported=HQ_SCHEMA_VERSION)
        for step in HQ_MIGRATIONS[before:]:
            step(cur)
        cur.execute(
            "UPDATE hq_meta SET value = %s WHERE key = 'schema_version'",
            (str(max(before, HQ_SCHEMA_VERSION)),),
        )
    return before, HQ_SCHEMA_VERSION


def require_current(conn: Any, dsn: str) -> str:
    """Head office's id, if its schema is the version this lobby-tui writes; else a clear refusal."""
    with conn.cursor() as cur:
        version = current_version(cur)
        if version is None or version == 0:
            conn.rollback()
            raise HqError("hq.no_schema", describe(dsn))
        if version > HQ_SCHEMA_VERSION:
            conn.rollback()
            raise HqError("hq.schema_newer", describe(dsn), found=version, supported=HQ_SCHEMA_VERSION)
        if version < HQ_SCHEMA_VERSION:
            conn.rollback()
            raise HqError("hq.schema_older", describe(dsn), found=version, supported=HQ_SCHEMA_VERSION)
        cur.execute("SELECT value FROM hq_meta WHERE key = 'hq_id'")
        hq_id = str(cur.fetchone()[0])
    conn.commit()
    return hq_id


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(day: date) -> date:
    return date(day.year + (day.month == 12), day.month % 12 + 1, 1)


def partition_name(month: date) -> str:
    return f"visits_y{month.year:04d}m{month.month:02d}"


def ensure_partitions(conn: Any, days: Iterable[str], known: set[str]) -> None:
    """The month partitions of visits that these days need, made if missing, in a transaction of their own
    (under the advisory lock: two branches syncing at once never race to make the same one). `known`
    remembers what this connection made or saw already."""
    months = {month_start(date.fromisoformat(d[:10])) for d in days} - {date.fromisoformat(k) for k in known}
    if not months:
        return
    with conn.transaction(), conn.cursor() as cur:
        cur.execute("SELECT pg_advisory_xact_lock(%s)", (LOCK_KEY,))
        for month in sorted(months):
            name = partition_name(month)
            cur.execute(
                f"CREATE TABLE IF NOT EXISTS {name} PARTITION OF visits "
                f"FOR VALUES FROM ('{month.isoformat()}') TO ('{next_month(month).isoformat()}')"
            )
            known.add(month.isoformat())
