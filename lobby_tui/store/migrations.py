"""Versioned schema migrations. PRAGMA user_version is the version; each step runs once, in order,
and all pending steps run in one transaction: a file is either fully migrated or untouched.

Never edit a released step: add a new one. tests/test_store_migrations.py migrates a file from every
earlier version.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import uuid
from collections.abc import Callable, Mapping
from datetime import datetime

from lobby_tui.store.database import APP_ID


def _v1_core(conn: sqlite3.Connection) -> None:
    """Directory, staff, shifts, visits, audit log and the per-database settings."""
    from sqlite_utils import Database

    db = Database(conn)
    db.table("meta").create({"key": str, "value": str}, pk="key")
    common = {"id": str, "device_id": str}
    db.table("staff").create(
        {
            "staff_id": str,
            "id": str,
            "device_id": str,
            "name": str,
            "role": str,
            "pin_hash": str,
            "active": int,
            "failed_pins": int,
            "locked": int,
            "created_ts": str,
            "updated_ts": str,
        },
        pk="staff_id",
        not_null={"id", "device_id", "name", "role", "pin_hash"},
        defaults={"active": 1, "failed_pins": 0, "locked": 0},
    )
    db.table("customers").create(
        {
            **common,
            "name": str,
            "phone_hash": str,
            "phone_last4": str,
            "phone_masked": str,
            "id_hash": str,
            "id_last4": str,
            "birth_date": str,
            "card_hash": str,
            "card_last4": str,
            "education": str,
            "assets_fen": int,
            "other_assets_fen": int,
            "created_ts": str,
            "updated_ts": str,
        },
        pk="id",
        not_null={"device_id", "name", "assets_fen"},
        defaults={"other_assets_fen": 0},
    )
    db.table("shifts").create(
        {
            **common,
            "staff_id": str,
            "day": str,
            "opened_ts": str,
            "closed_ts": str,
            "status": str,
            "handover_note": str,
        },
        pk="id",
        not_null={"device_id", "staff_id", "day", "opened_ts", "status"},
        foreign_keys=[("staff_id", "staff", "staff_id")],
    )
    # No foreign keys from visits to shifts or customers: visits merged from another tablet refer
    # to that tablet's shifts and directory, and must still go in whole.
    db.table("visits").create(
        {
            **common,
            "ts": str,
            "day": str,
            "shift_id": str,
            "staff_id": str,
            "customer_id": str,
            "tier": str,
            "quality": int,
            "potential_quality": int,
            "reason": str,
            "amount_fen": int,
            "recommended_destination": str,
            "destination": str,
            "refer_to": str,
            "override_reason": str,
            "ticket": str,
            "outcome": str,
            "outcome_ts": str,
            "notes": str,
            "confirmed_ts": str,
            "updated_ts": str,
        },
        pk="id",
        not_null={"device_id", "ts", "day", "reason", "outcome"},
        defaults={"quality": 0, "potential_quality": 0},
    )
    db.table("audit").create(
        {"seq": int, "id": str, "device_id": str, "ts": str, "staff_id": str, "action": str, "detail": str},
        pk="seq",
        not_null={"id", "device_id", "ts", "action"},
    )
    for table, columns in [
        ("customers", ["phone_hash"]),
        ("customers", ["phone_last4"]),
        ("customers", ["id_hash"]),
        ("customers", ["card_hash"]),
        ("visits", ["day", "destination"]),
        ("visits", ["shift_id"]),
        ("shifts", ["day"]),
        ("shifts", ["staff_id", "day"]),
    ]:
        db.table(table).create_index(columns)
    conn.executemany(
        "INSERT INTO meta(key, value) VALUES (?, ?)",
        [("device_id", str(uuid.uuid4())), ("created_ts", datetime.now().astimezone().isoformat(timespec="seconds"))],
    )


def audit_hash(prev_hash: str, row: Mapping[str, object]) -> str:
    """The audit chain: each entry's hash covers its fields and the previous entry's hash."""
    body = json.dumps(
        {k: row[k] for k in ("id", "device_id", "ts", "staff_id", "action", "detail")},
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256((prev_hash + body).encode()).hexdigest()


def _v2_audit_chain_and_name_lookup(conn: sqlite3.Connection) -> None:
    """Hash-chain the audit log (existing entries included), and index names and open visits."""
    conn.execute("ALTER TABLE audit ADD COLUMN prev_hash TEXT")
    conn.execute("ALTER TABLE audit ADD COLUMN hash TEXT")
    prev = ""
    rows = conn.execute("SELECT seq, id, device_id, ts, staff_id, action, detail FROM audit ORDER BY seq")
    for row in rows.fetchall():
        current = audit_hash(prev, dict(row))
        conn.execute("UPDATE audit SET prev_hash = ?, hash = ? WHERE seq = ?", (prev, current, row["seq"]))
        prev = current
    conn.execute("CREATE INDEX idx_customers_name ON customers(name)")
    conn.execute("CREATE INDEX idx_visits_outcome ON visits(outcome, day)")


def _v3_ticket_counters(conn: sqlite3.Connection) -> None:
    """Queue numbers from a counter per destination per day, so a number once handed out is never
    handed out again that day (counting visits reused numbers after a redirect); and where a
    redirected customer was first sent, kept apart from overrides."""
    conn.execute(
        "CREATE TABLE ticket_counters (day TEXT NOT NULL, destination TEXT NOT NULL, "
        "last INTEGER NOT NULL, PRIMARY KEY (day, destination))"
    )
    conn.execute("ALTER TABLE visits ADD COLUMN redirected_from TEXT")
    conn.execute(
        "INSERT INTO ticket_counters(day, destination, last) "
        "SELECT day, destination, max(CAST(substr(ticket, 2) AS INTEGER)) FROM visits "
        "WHERE ticket IS NOT NULL AND destination IS NOT NULL GROUP BY day, destination"
    )


def _v4_shift_log_and_review(conn: sqlite3.Connection) -> None:
    """The shift log (patrols, incidents, handover notes, corrections, review questions and answers),
    the supervisor's review of a shift, staff management, and the locks that closing a shift sets.

    Log entries are append-only: triggers refuse any change or removal. Once a shift is closed its
    patrols, incidents, handover note and visits are locked too; corrections, questions and answers
    are new entries that point at what they are about."""
    conn.execute(
        "CREATE TABLE shift_log (id TEXT PRIMARY KEY, device_id TEXT NOT NULL, shift_id TEXT NOT NULL, "
        "staff_id TEXT NOT NULL, ts TEXT NOT NULL, kind TEXT NOT NULL, code TEXT, text TEXT, reason TEXT, "
        "checks TEXT, corrects TEXT)"
    )
    conn.execute("CREATE INDEX idx_shift_log_shift ON shift_log(shift_id, kind)")
    conn.execute("CREATE INDEX idx_shift_log_corrects ON shift_log(corrects)")
    for column in ("closed_by", "review_by", "review_ts", "review_comment", "updated_ts"):
        conn.execute(f"ALTER TABLE shifts ADD COLUMN {column} TEXT")
    conn.execute("CREATE INDEX idx_shifts_status ON shifts(status, day)")
    conn.execute("CREATE INDEX idx_shifts_device ON shifts(device_id, day)")
    for column in ("deactivated_ts", "pin_reset_ts"):
        conn.execute(f"ALTER TABLE staff ADD COLUMN {column} TEXT")
    closed = "EXISTS (SELECT 1 FROM shifts WHERE id = {} AND status != 'open')"
    refuse = "BEGIN SELECT RAISE(ABORT, 'lobby_tui.{}'); END"
    # One statement at a time: executescript would commit the migration's transaction half-way.
    for name, when, message in [
        ("shift_log_no_update BEFORE UPDATE ON shift_log", "", "entry_locked"),
        ("shift_log_no_delete BEFORE DELETE ON shift_log", "", "entry_locked"),
        (
            "shift_log_closed BEFORE INSERT ON shift_log",
            f"WHEN NEW.kind IN ('patrol', 'incident', 'handover') AND {closed.format('NEW.shift_id')}",
            "shift_closed",
        ),
        (
            "visits_closed_insert BEFORE INSERT ON visits",
            f"WHEN NEW.shift_id IS NOT NULL AND {closed.format('NEW.shift_id')}",
            "shift_closed",
        ),
        ("visits_closed_update BEFORE UPDATE ON visits", f"WHEN {closed.format('OLD.shift_id')}", "shift_closed"),
        (
            "shifts_closed BEFORE UPDATE ON shifts",
            "WHEN OLD.status != 'open' AND (NEW.status = 'open' OR OLD.status = 'signed_off' "
            "OR NEW.handover_note IS NOT OLD.handover_note OR NEW.opened_ts IS NOT OLD.opened_ts "
            "OR NEW.closed_ts IS NOT OLD.closed_ts OR NEW.closed_by IS NOT OLD.closed_by "
            "OR NEW.staff_id IS NOT OLD.staff_id OR NEW.day IS NOT OLD.day OR NEW.device_id IS NOT OLD.device_id)",
            "shift_closed",
        ),
    ]:
        conn.execute(f"CREATE TRIGGER {name} {when} {refuse.format(message)}")


def _v5_visit_carryovers(conn: sqlite3.Connection) -> None:
    """A shift closed while customers still wait (a mid-day handover): each waiting visit leaves the
    closing shift and is taken over by the next lobby manager who signs in that day. One row per visit
    and shift it left; `to_shift` is the shift that took it over (NULL until someone does). A row
    once taken over is never changed or removed."""
    conn.execute(
        "CREATE TABLE visit_carryovers (visit_id TEXT NOT NULL, from_shift TEXT NOT NULL, to_shift TEXT, "
        "device_id TEXT NOT NULL, day TEXT NOT NULL, carried_ts TEXT NOT NULL, taken_ts TEXT, "
        "PRIMARY KEY (visit_id, from_shift))"
    )
    conn.execute("CREATE INDEX idx_carryovers_from ON visit_carryovers(from_shift)")
    conn.execute("CREATE INDEX idx_carryovers_to ON visit_carryovers(to_shift, day)")
    refuse = "BEGIN SELECT RAISE(ABORT, 'lobby_tui.entry_locked'); END"
    conn.execute(f"CREATE TRIGGER carryovers_no_delete BEFORE DELETE ON visit_carryovers {refuse}")
    conn.execute(
        "CREATE TRIGGER carryovers_taken BEFORE UPDATE ON visit_carryovers "
        "WHEN OLD.to_shift IS NOT NULL OR NEW.visit_id IS NOT OLD.visit_id OR NEW.from_shift IS NOT OLD.from_shift "
        f"{refuse}"
    )


# Tables whose rows change after they are written (an outcome, a review): `lobby-tui sync` learns which
# rows changed from the outbox that these triggers fill. Append-only tables (shift_log, audit) need none:
# their rowid is their high-water mark. A new changing table adds a step that calls outbox_triggers.
OUTBOX_TABLES = ("visits", "shifts")


def outbox_triggers(conn: sqlite3.Connection, table: str, key: str = "id") -> None:
    """Record each insert and update of `table` in sync_outbox - only once the file has synced to a
    head office (a row in sync_marks): a branch that never syncs pays nothing. The first sync reads
    the whole table instead."""
    for event in ("INSERT", "UPDATE"):
        conn.execute(
            f"CREATE TRIGGER IF NOT EXISTS sync_outbox_{table}_{event.lower()} AFTER {event} ON {table} "
            "WHEN EXISTS (SELECT 1 FROM sync_marks) "
            f"BEGIN INSERT INTO sync_outbox(tbl, row_id) VALUES ('{table}', NEW.{key}); END"
        )


def _v6_sync_outbox(conn: sqlite3.Connection) -> None:
    """`lobby-tui sync` to head office: the outbox of changed rows and, per head office and table, the
    high-water mark (written only after head office committed), and where a first full read stands."""
    conn.execute(
        "CREATE TABLE IF NOT EXISTS sync_outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, tbl TEXT NOT NULL, "
        "row_id TEXT NOT NULL)"
    )
    conn.execute("CREATE INDEX IF NOT EXISTS idx_sync_outbox_tbl ON sync_outbox(tbl, seq)")
    conn.execute(
        "CREATE TABLE IF NOT EXISTS sync_marks (hq TEXT NOT NULL, tbl TEXT NOT NULL, mark INTEGER NOT NULL, "
        "scan INTEGER, branch TEXT NOT NULL, updated_ts TEXT NOT NULL, PRIMARY KEY (hq, tbl))"
    )
    for table in OUTBOX_TABLES:
        outbox_triggers(conn, table)


def _v7_leads(conn: sqlite3.Connection) -> None:
    """Leads for account managers (issue 10): one open lead per customer, made by a confirmed visit
    and worked by an account manager. UUID key, device id and created/updated timestamps, so that
    tablets' (and a central server's) copies merge. At most one open lead per known customer."""
    conn.execute(
        "CREATE TABLE IF NOT EXISTS leads (id TEXT PRIMARY KEY, device_id TEXT NOT NULL, customer_id TEXT, "
        "status TEXT NOT NULL CHECK (status IN ('new', 'taken', 'contacted', 'converted', 'declined')), "
        "owner TEXT, flag TEXT NOT NULL, tier TEXT NOT NULL, tier_with_other_assets TEXT NOT NULL, "
        "reasons TEXT NOT NULL, visits INTEGER NOT NULL DEFAULT 1, contacts INTEGER NOT NULL DEFAULT 0, "
        "first_visit_id TEXT, last_visit_id TEXT, made_by TEXT, assigned_by TEXT, assigned_ts TEXT, "
        "taken_ts TEXT, contacted_ts TEXT, contact_kind TEXT, closed_ts TEXT, converted_to TEXT, note TEXT, "
        "created_day TEXT NOT NULL, created_ts TEXT NOT NULL, updated_ts TEXT NOT NULL)"
    )
    conn.execute(
        "CREATE UNIQUE INDEX IF NOT EXISTS idx_leads_open_customer ON leads(customer_id) "
        "WHERE customer_id IS NOT NULL AND status IN ('new', 'taken', 'contacted')"
    )
    conn.execute("CREATE INDEX IF NOT EXISTS idx_leads_status ON leads(status, updated_ts)")  # the board: newest open
    conn.execute("CREATE INDEX IF NOT EXISTS idx_leads_owner ON leads(owner, status)")
    conn.execute("CREATE INDEX IF NOT EXISTS idx_leads_day ON leads(created_day)")
    outbox_triggers(conn, "leads")  # a lead changes as it is worked: `lobby-tui sync` sends the changes


def _v8_row_chain(conn: sqlite3.Connection) -> None:
    """Business rows in the audit chain (lobby_tui/store/chain.py): row_chain holds a digest of each
    row as written, per audit entry. The rows already there are chained now, under one entry."""
    from lobby_tui.store.chain import CHAINED, chain_existing_rows

    conn.execute(
        "CREATE TABLE IF NOT EXISTS row_chain (seq INTEGER NOT NULL, tbl TEXT NOT NULL, key TEXT NOT NULL, "
        "digest TEXT, PRIMARY KEY (tbl, key, seq)) WITHOUT ROWID"
    )
    conn.execute("CREATE INDEX IF NOT EXISTS idx_row_chain_seq ON row_chain(seq, tbl, key)")
    # Tables a later step makes (appointments) are not there yet: they start empty, nothing to chain.
    there = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    tables = [table for table in CHAINED if table in there]
    if not any(conn.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone() for table in tables):  # noqa: S608
        return
    last = conn.execute("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
    seq = last[0] + 1 if last else 1
    n, digest = chain_existing_rows(conn, seq, tables)
    device = conn.execute("SELECT value FROM meta WHERE key = 'device_id'").fetchone()
    row = {
        "id": str(uuid.uuid4()),
        "device_id": device[0] if device else "",
        "ts": datetime.now().astimezone().isoformat(timespec="seconds"),
        "staff_id": None,
        "action": "rows_chained",
        "detail": json.dumps({"rows_n": n, "rows_digest": digest}, ensure_ascii=False, sort_keys=True),
    }
    prev = last[1] if last else ""
    conn.execute(
        "INSERT INTO audit(seq, id, device_id, ts, staff_id, action, detail, prev_hash, hash) "
        "VALUES (:seq, :id, :device_id, :ts, :staff_id, :action, :detail, :prev, :hash)",
        {**row, "seq": seq, "prev": prev, "hash": audit_hash(prev, row)},
    )


def _v9_daily_figures(conn: sqlite3.Connection) -> None:
    """Each day's figures kept (store/daily.py), for the trend and the comparison. A change to any
    visit removes its day's rows in the same transaction; the store computes a day without rows again
    from its visits. Starts empty: the days are computed when first read."""
    conn.execute(
        "CREATE TABLE IF NOT EXISTS daily_figures (day TEXT NOT NULL, staff_id TEXT NOT NULL, "
        "figures TEXT NOT NULL, PRIMARY KEY (day, staff_id)) WITHOUT ROWID"
    )
    for event, days in (("INSERT", "NEW.day"), ("UPDATE", "OLD.day, NEW.day"), ("DELETE", "OLD.day")):
        conn.execute(
            f"CREATE TRIGGER IF NOT EXISTS daily_figures_on_{event.lower()} AFTER {event} ON visits "
            f"BEGIN DELETE FROM daily_figures WHERE day IN ({days}); END"
        )


def _v10_waits(conn: sqlite3.Connection) -> None:
    """Waits (issue 11): when a ticket was called to a window and when its service was done (from the
    board or `lobby-tui ticket call|done`), and the windows open per destination, each change a row
    (the day's newest row per destination is what is open now; the rows before it are the history the
    wait back-test reads). Visits keep syncing whole: the outbox triggers fire on every update."""
    conn.execute("ALTER TABLE visits ADD COLUMN called_ts TEXT")
    conn.execute("ALTER TABLE visits ADD COLUMN done_ts TEXT")
    conn.execute(
        "CREATE TABLE IF NOT EXISTS open_windows (id INTEGER PRIMARY KEY AUTOINCREMENT, day TEXT NOT NULL, "
        "destination TEXT NOT NULL, windows INTEGER NOT NULL, ts TEXT NOT NULL, shift_id TEXT, staff_id TEXT)"
    )
    conn.execute("CREATE INDEX IF NOT EXISTS idx_open_windows_day ON open_windows(day, destination, id)")
    # Today's queue at a destination, without reading the day's served visits (the board's 5-second refresh).
    conn.execute("CREATE INDEX IF NOT EXISTS idx_visits_open ON visits(day, outcome, destination)")


def _v11_appointments(conn: sqlite3.Connection) -> None:
    """Appointments (issue 11): booked arrivals, checked in when the customer walks in, marked no-show
    at the end of their day. The customer by directory UUID only; `visit_id` is the visit a check-in
    started. One booking per customer and time (a re-run import finds the ones it made)."""
    conn.execute(
        "CREATE TABLE IF NOT EXISTS appointments (id TEXT PRIMARY KEY, device_id TEXT NOT NULL, "
        "customer_id TEXT NOT NULL, day TEXT NOT NULL, time TEXT NOT NULL, "
        "kind TEXT NOT NULL CHECK (kind IN ('large_cash', 'meeting', 'business')), reason TEXT NOT NULL, "
        "amount_fen INTEGER, staff_id TEXT, "
        "status TEXT NOT NULL CHECK (status IN ('booked', 'arrived', 'no_show', 'cancelled')), "
        "late INTEGER NOT NULL DEFAULT 0, visit_id TEXT, checked_in_ts TEXT, marked_ts TEXT, "
        "source TEXT NOT NULL, created_by TEXT, created_ts TEXT NOT NULL, updated_ts TEXT NOT NULL)"
    )
    conn.execute(
        "CREATE UNIQUE INDEX IF NOT EXISTS idx_appointments_slot ON appointments(customer_id, day, time) "
        "WHERE status != 'cancelled'"
    )
    conn.execute("CREATE INDEX IF NOT EXISTS idx_appointments_day ON appointments(day, status, time)")
    conn.execute("CREATE INDEX IF NOT EXISTS idx_appointments_visit ON appointments(visit_id)")
    outbox_triggers(conn, "appointments")  # checked in, marked: `lobby-tui sync` sends the changes


def _v12_feedback(conn: sqlite3.Connection) -> None:
    """The customer's feedback (issue 11): one rating per visit, a score 1-5 (a three-point scale kept
    as 5 / 3 / 1) and an optional reason code; nothing about the customer. Append-only, as the customer
    gave it: triggers refuse any change or removal (sync reads it past its rowid, like the shift log)."""
    conn.execute(
        "CREATE TABLE IF NOT EXISTS feedback (id TEXT PRIMARY KEY, device_id TEXT NOT NULL, "
        "visit_id TEXT NOT NULL UNIQUE, day TEXT NOT NULL, ts TEXT NOT NULL, "
        "score INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5), scale TEXT NOT NULL, reason TEXT, "
        "staff_id TEXT, shift_id TEXT)"
    )
    conn.execute("CREATE INDEX IF NOT EXISTS idx_feedback_day ON feedback(day)")
    for event in ("UPDATE", "DELETE"):
        conn.execute(
            f"CREATE TRIGGER IF NOT EXISTS feedback_no_{event.lower()} BEFORE {event} ON feedback "
            "BEGIN SELECT RAISE(ABORT, 'lobby_tui.feedback_locked'); END"
        )


MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [
    _v1_core,
    _v2_audit_chain_and_name_lookup,
    _v3_ticket_counters,
    _v4_shift_log_and_review,
    _v5_visit_carryovers,
    _v6_sync_outbox,
    _v7_leads,
    _v8_row_chain,
    _v9_daily_figures,
    _v10_waits,
    _v11_appointments,
    _v12_feedback,
]
SCHEMA_VERSION = len(MIGRATIONS)


def migrate(conn: sqlite3.Connection, target: int = SCHEMA_VERSION) -> None:
    """Bring the file up to `target` in one transaction (BEGIN IMMEDIATE: one migrator at a time)."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]  # re-read under the lock
        for step in MIGRATIONS[version:target]:
            step(conn)
        conn.execute(f"PRAGMA application_id = {APP_ID}")
        conn.execute(f"PRAGMA user_version = {max(version, target)}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
