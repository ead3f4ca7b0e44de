"""What `lobby-tui sync` sends to head office: one entry per table.

A table that changes after it is written (`changes=True`: visits get outcomes, shifts get reviews) is
read from the branch's outbox (store/migrations.py: outbox_triggers) and upserted by its key; an
append-only one is read past its high-water mark (`mark`: its rowid or seq) and inserted with ON
CONFLICT DO NOTHING. A table the branch file does not have (an older file) is skipped.

Adding a table (leads, appointments, feedback): one entry here, its head-office table in a new step of
hq/schema.py, and, if its rows change, a branch migration step that calls outbox_triggers for it.

Only these columns leave the branch. The customer directory never does: head office gets the
customer's UUID, tier and flags on each visit, never a name, phone, ID or card; a visit's free-text
notes (which may name a customer) stay at the branch too.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SyncTable:
    name: str  # the same on both sides
    columns: tuple[str, ...]  # sent as they are; head office adds `branch`
    key: tuple[str, ...]  # head office's conflict target
    changes: bool  # rows change after they are written: outbox and upsert
    mark: str = "rowid"  # append-only tables: the branch column that only grows
    day: str | None = None  # the column that picks a visits partition

    @property
    def update_columns(self) -> tuple[str, ...]:
        return tuple(c for c in self.columns if c not in self.key)


SYNC_TABLES: tuple[SyncTable, ...] = (
    SyncTable(
        "visits",
        (
            "id",
            "device_id",
            "ts",
            "day",
            "shift_id",
            "staff_id",
            "customer_id",
            "tier",
            "quality",
            "potential_quality",
            "reason",
            "amount_fen",
            "recommended_destination",
            "destination",
            "refer_to",
            "override_reason",
            "ticket",
            "outcome",
            "outcome_ts",
            "confirmed_ts",
            "updated_ts",
            "redirected_from",
            "called_ts",
            "done_ts",
        ),
        key=("day", "id"),
        changes=True,
        day="day",
    ),
    SyncTable(
        "shifts",
        (
            "id",
            "device_id",
            "staff_id",
            "day",
            "opened_ts",
            "closed_ts",
            "status",
            "handover_note",
            "closed_by",
            "review_by",
            "review_ts",
            "review_comment",
            "updated_ts",
        ),
        key=("id",),
        changes=True,
    ),
    SyncTable(  # a lead's note stays at the branch (free text that may name the customer)
        "leads",
        (
            "id",
            "device_id",
            "customer_id",
            "status",
            "owner",
            "flag",
            "tier",
            "tier_with_other_assets",
            "reasons",
            "visits",
            "contacts",
            "first_visit_id",
            "last_visit_id",
            "made_by",
            "assigned_by",
            "assigned_ts",
            "taken_ts",
            "contacted_ts",
            "contact_kind",
            "closed_ts",
            "converted_to",
            "created_day",
            "created_ts",
            "updated_ts",
        ),
        key=("id",),
        changes=True,
    ),
    SyncTable(  # appointments (issue 11): the customer as a UUID; no name, phone or free text
        "appointments",
        (
            "id",
            "device_id",
            "customer_id",
            "day",
            "time",
            "kind",
            "reason",
            "amount_fen",
            "staff_id",
            "status",
            "late",
            "visit_id",
            "checked_in_ts",
            "marked_ts",
            "source",
            "created_by",
            "created_ts",
            "updated_ts",
        ),
        key=("id",),
        changes=True,
    ),
    SyncTable(  # the customer's rating of a visit (issue 11): a score and a reason code, nothing personal
        "feedback",
        ("id", "device_id", "visit_id", "day", "ts", "score", "scale", "reason", "staff_id", "shift_id"),
        key=("id",),
        changes=False,
    ),
    SyncTable(
        "shift_log",
        ("id", "device_id", "shift_id", "staff_id", "ts", "kind", "code", "text", "reason", "checks", "corrects"),
        key=("id",),
        changes=False,
    ),
    SyncTable(
        "audit",
        ("seq", "id", "device_id", "ts", "staff_id", "action", "detail", "prev_hash", "hash"),
        key=("branch", "seq"),
        changes=False,
        mark="seq",
    ),
)
