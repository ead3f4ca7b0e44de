"""Records of the shift log and its review, passed from the store to the screens and the exports.

A shift's log is append-only: patrol checks, incidents, handover notes, corrections, and the
supervisor's questions with the lobby manager's answers. Closing the shift locks it; a correction is a
new entry that points at what it corrects and says who made it and why.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from lobby_tui.domain.models import Visit

ENTRY_KINDS = ("patrol", "incident", "handover", "correction", "question", "answer")
# Entries a lobby manager writes while the shift is open; the rest may follow after it is closed.
OPEN_SHIFT_KINDS = ("patrol", "incident", "handover")
SHIFT_STATUSES = ("open", "closed", "returned", "signed_off")
CORRECTABLE = ("visit", "patrol", "incident", "handover", "correction")


@dataclass(frozen=True)
class LogEntry:
    id: str
    device_id: str
    shift_id: str
    staff_id: str  # who wrote it
    ts: str  # ISO 8601 with UTC offset
    kind: str  # one of ENTRY_KINDS
    code: str | None = None  # patrol round, incident kind, or what a correction corrects (CORRECTABLE)
    text: str | None = None  # the note, the incident, the handover, the correction, the question or answer
    reason: str | None = None  # why (a correction)
    checks: dict[str, bool] = field(default_factory=dict)  # patrol item -> all right
    corrects: str | None = None  # the id of the entry or visit a correction corrects

    @property
    def problems(self) -> list[str]:
        """Patrol items that were not all right."""
        return [code for code, ok in self.checks.items() if not ok]


@dataclass(frozen=True)
class ShiftRecord:
    """A shift as the shift log and the supervisor's review see it."""

    id: str
    device_id: str
    staff_id: str
    staff_name: str
    day: str
    opened_ts: str
    closed_ts: str | None
    status: str  # one of SHIFT_STATUSES
    handover_note: str | None = None
    closed_by: str | None = None
    review_by: str | None = None
    review_name: str | None = None
    review_ts: str | None = None
    review_comment: str | None = None
    question: str | None = None  # the latest question, while the shift is returned
    visits: int = 0
    patrols: int = 0
    incidents: int = 0
    corrections: int = 0
    waiting: int = 0  # its customers still waiting or being greeted now
    carried_in: int = 0  # customers taken over from an earlier shift that closed while they waited
    carried_out: int = 0  # customers still waiting when it closed, carried over to the next shift
    carried_pending: int = 0  # of those, not yet taken over (nobody has signed in since)

    @property
    def locked(self) -> bool:
        return self.status != "open"


@dataclass(frozen=True)
class ShiftLog:
    """A shift with its whole log, oldest entry first."""

    shift: ShiftRecord
    entries: list[LogEntry]

    @property
    def rounds_done(self) -> frozenset[str]:
        return frozenset(e.code for e in self.entries if e.kind == "patrol" and e.code)


@dataclass(frozen=True)
class VisitPage:
    """One page of a shift's visits, and the customers' names (shown masked)."""

    visits: list[Visit]
    names: dict[str, str]
    total: int
    offset: int


@dataclass(frozen=True)
class StaffRow:
    staff_id: str
    name: str
    role: str
    active: bool
    locked: bool
    failed_pins: int
    last_signin: str | None = None


@dataclass(frozen=True)
class ManagerFigures:
    """One lobby manager's figures over a range of days, for the comparison."""

    staff_id: str
    name: str
    shifts: int
    figures: dict[str, Any]
    patrols: int
    incidents: int
    corrections: int
    returned: int


@dataclass(frozen=True)
class AuditCheck:
    """What `lobby-tui audit verify` found."""

    entries: int
    first_broken: int | None  # the seq of the first changed or missing entry
    problem: (
        str | None
    )  # changed, removed, removed_newest, anchor_bad, anchor_missing, row_changed, row_deleted, row_added
    anchored: bool  # whether an anchor file let the newest entries be checked too
    table: str | None = None  # for a row problem: the table and the row's key
    row: str | None = None

    @property
    def ok(self) -> bool:
        return self.first_broken is None and self.problem is None


@dataclass(frozen=True)
class ExportBundle:
    """What an export writes: the shifts of a range (or one shift), their logs, their visits (read
    lazily: a year's export never holds every visit at once), and for the printable report the
    figures, the trend and the comparison (left empty for the CSV and JSON lines files)."""

    start: str
    end: str
    shift_id: str | None
    shifts: list[ShiftRecord]
    entries: list[LogEntry]
    visits: Callable[[], Iterator[Visit]]
    figures: dict[str, Any]
    trend: list[dict[str, Any]]
    managers: list[ManagerFigures]
    # The newest audit entry when the export was made ("SEQ:HASH", as `audit verify` prints it): on the
    # printed report it is a copy of the anchor kept off the PC (`audit verify --expect` checks it).
    audit_mark: str = ""
