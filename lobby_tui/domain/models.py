"""Plain records passed between the store, the command line and the screens."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

OUTCOMES = ("in_progress", "waiting", "served", "left", "redirected", "cancelled")
# Outcomes that still count as a visit in the figures (a cancelled entry was a slip of the hand).
COUNTED_OUTCOMES = ("in_progress", "waiting", "served", "left", "redirected")
ROLES = ("lobby_manager", "supervisor", "account_manager")
# A lead for an account manager (per customer): new (not taken; `owner` is who it is assigned to, if
# anyone), taken, contacted (phone or meeting), then closed as converted or declined.
LEAD_STATUSES = ("new", "taken", "contacted", "converted", "declined")
OPEN_LEAD_STATUSES = ("new", "taken", "contacted")
CONTACT_KINDS = ("phone", "meeting", "declined", "converted")
CONVERTED_TO = ("wealth_account", "product")


@dataclass(frozen=True)
class Customer:
    id: str
    name: str  # stored; shown masked unless revealed
    phone_masked: str  # 138****5678
    id_last4: str | None
    card_last4: str | None
    birth_date: str | None  # ISO date, from the ID number
    education: str | None
    assets: Decimal
    other_assets: Decimal


@dataclass(frozen=True)
class Visit:
    id: str
    device_id: str
    ts: str  # arrival, ISO 8601 with UTC offset
    shift_id: str | None
    staff_id: str | None
    customer_id: str | None
    tier: str | None
    quality: bool
    potential_quality: bool
    reason: str
    amount: Decimal | None
    recommended_destination: str | None
    destination: str | None
    refer_to: str | None
    override_reason: str | None
    ticket: str | None
    outcome: str
    outcome_ts: str | None
    notes: str | None
    redirected_from: str | None = None
    called_ts: str | None = None  # called to a window (the board's `c`, `lobby-tui ticket call`)
    done_ts: str | None = None  # its service done (`d`, `lobby-tui ticket done`)
    confirmed_ts: str | None = None  # the ticket handed out: the wait starts here

    @property
    def waiting_since(self) -> str:
        return self.confirmed_ts or self.ts

    @property
    def day(self) -> str:
        return self.ts[:10]

    @property
    def hour(self) -> int:
        return int(self.ts[11:13])


@dataclass(frozen=True)
class Staff:
    id: str
    name: str
    role: str
    active: bool
    locked: bool
    failed_pins: int


@dataclass(frozen=True)
class Shift:
    id: str
    device_id: str
    staff_id: str
    day: str
    opened_ts: str
    closed_ts: str | None
    status: str  # open, closed, signed_off, returned


@dataclass(frozen=True)
class Lead:
    """One customer's lead for an account manager: why (the flag, the visits' business, the assets
    bracket as tiers), who owns it, how far it got. Names are stored; show them masked."""

    id: str
    customer_id: str | None  # None: an unidentified walk-in classified by assets
    name: str | None
    phone_masked: str | None
    status: str
    owner: str | None  # the account manager it is assigned to or taken by
    owner_name: str | None
    flag: str  # quality, potential_quality
    tier: str
    tier_with_other_assets: str
    reasons: tuple[str, ...]  # the visits' business, first first
    visits: int
    made_by: str | None  # the lobby manager whose visit made it
    created_ts: str
    updated_ts: str
    taken_ts: str | None = None
    contacted_ts: str | None = None  # the first contact
    contact_kind: str | None = None  # the last contact: phone, meeting
    closed_ts: str | None = None
    converted_to: str | None = None
    note: str | None = None
