"""Appointments (issue 11): booked arrivals - a large cash withdrawal booked a day ahead (大额取现预约),
a meeting with an account manager, a booked business - and what came of them.

An appointment is booked for a customer of the directory (by UUID: nothing personal is kept on it),
a day and a time, with the visit reason it is for and, for a meeting, the account manager. When the
customer walks in it is checked in: a visit starts with the booking's reason and customer, and the
appointment points at it. Checked in later than its time plus the grace (settings
appointment_grace_minutes) it was late; never checked in by the end of its day it was a no-show,
marked when the lobby manager closes the shift (or counted so by the figures once the day is over).

The figures (`summary --json` key `appointments`): booked (not cancelled), arrived (checked in, on
time or late), late (checked in after the grace), no_show.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from lobby_tui.domain.errors import InputError

# kind -> the visit reason it books by default (a booked business names its own).
KINDS: dict[str, str | None] = {"large_cash": "cash_withdrawal", "meeting": "wealth_products", "business": None}
# booked: not yet here; arrived: checked in (late or not); no_show: marked at the end of its day.
STATUSES = ("booked", "arrived", "no_show", "cancelled")
FIGURE_KEYS = ("booked", "arrived", "late", "no_show")
DEFAULT_GRACE_MINUTES = 15
DUE_MINUTES = 60  # the board shows who is due in the next hour (and who is overdue today)
# A cell a spreadsheet would run (=, +, -, @ first): never taken as a value.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_TIME = re.compile(r"^([01]?\d|2[0-3])[:：]([0-5]\d)$")


@dataclass(frozen=True)
class Appointment:
    id: str
    customer_id: str
    name: str | None  # from the directory, shown masked
    phone_masked: str | None
    day: str  # YYYY-MM-DD
    time: str  # HH:MM
    kind: str
    reason: str  # a visit reason code
    amount: Decimal | None
    staff_id: str | None  # the account manager they meet
    staff_name: str | None
    status: str
    late: bool
    visit_id: str | None
    checked_in_ts: str | None
    source: str  # app, import
    created_ts: str

    @property
    def destination(self) -> str | None:
        """Where the booking itself sends the customer (None: where the guidance says)."""
        return "account_manager" if self.kind == "meeting" else None


def parse_time(text: str) -> str:
    """09:30, 9:30 or 09：30 -> '09:30'."""
    value = (text or "").strip()
    match = _TIME.match(value)
    if not match:
        raise InputError("appt.time_bad", text=value[:20])
    return f"{int(match.group(1)):02d}:{match.group(2)}"


def parse_day(text: str, today: date) -> str:
    """YYYY-MM-DD (or YYYY/MM/DD), today or later."""
    value = (text or "").strip().replace("/", "-")
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise InputError("appt.day_bad", text=value[:20]) from None
    if day < today:
        raise InputError("appt.day_past", text=day.isoformat())
    return day.isoformat()


def check_kind(kind: str) -> str:
    if kind not in KINDS:
        raise InputError("appt.kind_bad", text=str(kind)[:20], choices=", ".join(KINDS))
    return kind


_PLAIN_NUMBER = re.compile(r"[+\-]?[\d\s.\-()]+")


def looks_like_formula(text: str) -> bool:
    """A cell a spreadsheet would run as a formula (=HYPERLINK(…), @SUM(…), +A1); a plain number
    with a sign (+86 139…) is not one."""
    return text.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(text)


def is_late(day: str, time: str, checked_in: datetime, grace_minutes: int) -> bool:
    """Checked in after the booked time plus the grace (in the check-in's own time zone)."""
    booked = datetime.fromisoformat(f"{day}T{time}:00").replace(tzinfo=checked_in.tzinfo)
    return checked_in > booked + timedelta(minutes=grace_minutes)


def is_due(appt: Appointment, now: datetime, minutes: int = DUE_MINUTES) -> bool:
    """Booked for today, not here yet, and due within `minutes` from now (overdue ones included)."""
    if appt.status != "booked" or appt.day != now.date().isoformat():
        return False
    end = now + timedelta(minutes=minutes)
    return end.date() > now.date() or appt.time <= end.strftime("%H:%M")


def overdue(appt: Appointment, now: datetime, grace_minutes: int) -> bool:
    """Still booked and past its time plus the grace (shown as late on the due list)."""
    if appt.status != "booked":
        return False
    booked = datetime.fromisoformat(f"{appt.day}T{appt.time}:00").replace(tzinfo=now.tzinfo)
    return now > booked + timedelta(minutes=grace_minutes)


def appointment_figures(appointments: Iterable[Appointment], today: str) -> dict[str, int]:
    """booked, arrived, late, no_show of one day's appointments (counted by their day). An
    appointment still booked when its day is over counts as a no-show even before it is marked."""
    booked = arrived = late = no_show = 0
    for a in appointments:
        if a.status == "cancelled":
            continue
        booked += 1
        if a.status == "arrived":
            arrived += 1
            late += a.late
        elif a.status == "no_show" or (a.status == "booked" and a.day < today):
            no_show += 1
    return {"booked": booked, "arrived": arrived, "late": late, "no_show": no_show}


# ---------------------------------------------------------------- the CSV of `lobby-tui import-appointments`

# column -> the header names it is known by (English code, Chinese), matched without case or spaces.
CSV_COLUMNS: dict[str, tuple[str, ...]] = {
    "date": ("date", "日期", "预约日期"),
    "time": ("time", "时间", "预约时间"),
    "kind": ("kind", "类型", "预约类型"),
    "phone": ("phone", "mobile", "手机号", "手机号码", "手机"),
    "reason": ("reason", "business", "业务", "办理业务"),
    "amount": ("amount", "amount_wan", "金额", "金额（万元）", "金额(万元)"),
    "staff_id": ("staff_id", "account_manager", "客户经理工号", "客户经理"),
}
CSV_REQUIRED = ("date", "time", "kind", "phone")
# What a booking system may write for a kind, besides its code.
KIND_WORDS = {
    "large_cash": ("大额取现", "大额取款"),
    "meeting": ("客户经理面谈", "面谈", "约见客户经理"),
    "business": ("预约业务", "业务"),
}


def _key(text: str) -> str:
    return "".join(text.split()).lower().lstrip("\ufeff")


_CSV_ALIASES = {_key(name): column for column, names in CSV_COLUMNS.items() for name in names}


def csv_header(fields: list[str]) -> dict[str, int]:
    """column -> its index in the file; refuses a header without the required columns."""
    index: dict[str, int] = {}
    for i, text in enumerate(fields):
        column = _CSV_ALIASES.get(_key(text))
        if column is not None and column not in index:
            index[column] = i
    missing = [c for c in CSV_REQUIRED if c not in index]
    if missing:
        raise InputError(
            "appt.header_missing", columns=", ".join(missing), found=", ".join(f.strip() for f in fields)[:200]
        )
    return index


@dataclass(frozen=True)
class CsvBooking:
    """One row of the file, checked for form; the store checks it against the directory and staff."""

    phone: str
    day: str
    time: str
    kind: str
    reason: str | None
    amount: Decimal | None
    staff_id: str | None


def parse_csv_row(row: list[str], index: dict[str, int], today: date, reasons: dict[str, str]) -> CsvBooking:
    """`reasons`: a visit reason's code and each of its labels -> the code."""
    from lobby_tui.domain.amounts import parse_wan_field
    from lobby_tui.domain.privacy import normalize_phone

    if len(row) <= max(index[c] for c in CSV_REQUIRED):
        raise InputError("appt.row_short", n=len(row))
    cells = {column: (row[i].strip() if i < len(row) else "") for column, i in index.items()}
    for column, text in cells.items():
        if looks_like_formula(text):
            raise InputError("appt.formula", column=column)
    if not cells["phone"]:
        raise InputError("appt.customer_needed")
    phone = normalize_phone(cells["phone"])
    kind_text = cells["kind"]
    kind = next((code for code, words in KIND_WORDS.items() if kind_text == code or kind_text in words), kind_text)
    check_kind(kind)
    reason = None
    if cells.get("reason"):
        reason = reasons.get(cells["reason"]) or reasons.get(cells["reason"].lower())
        if reason is None:
            raise InputError("appt.reason_bad", text=cells["reason"][:30])
    amount = parse_wan_field(cells["amount"]) if cells.get("amount") else None
    return CsvBooking(
        phone=phone,
        day=parse_day(cells["date"], today),
        time=parse_time(cells["time"]),
        kind=kind,
        reason=reason,
        amount=amount,
        staff_id=cells.get("staff_id") or None,
    )
