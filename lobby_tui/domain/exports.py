"""What an export of visits holds, defined once: the fields, their labels, and the cell values.

VISIT_FIELDS is the one list of a visit's exported fields: `lobby-tui export`, the screens' exports,
`import-visits` (which reads another tablet's JSON lines back) and the store's columns all use it.

Labels: "codes" keeps the values a machine reads back (tier codes, true/false, ISO times with their
UTC offset); "zh" and "en" write what a person reads in Excel (是/否, tier and destination names, local
`YYYY-MM-DD HH:MM`). JSON lines are always codes.

Spreadsheet safety: a text cell that starts with = + - @, a tab or a carriage return would be read by
Excel as a formula (a customer's name from a CRM import must never run), so such a cell gets a
leading apostrophe (neutralise()). Numbers written as numbers are never touched.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import lobby_tui.messages.exports  # noqa: F401 - registers the export.* messages
from lobby_tui.domain.models import Visit
from lobby_tui.i18n import tr

VISIT_FIELDS = (
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
    "amount",
    "recommended_destination",
    "destination",
    "refer_to",
    "override_reason",
    "redirected_from",
    "ticket",
    "outcome",
    "outcome_ts",
    "notes",
)
# The visits table's columns for these fields: the amount is stored in whole fen.
VISIT_COLUMNS = tuple("amount_fen" if f == "amount" else f for f in VISIT_FIELDS)

LABELS = ("zh", "en", "codes")
TIME_FIELDS = ("ts", "outcome_ts")
BOOL_FIELDS = ("quality", "potential_quality")
DESTINATION_FIELDS = ("recommended_destination", "destination", "redirected_from")

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """A text cell that a spreadsheet would run as a formula, made plain text ('=1+1); anything else
    as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def visit_codes(visit: Visit) -> dict[str, Any]:
    """The visit as codes, in VISIT_FIELDS order: JSON lines, `--labels codes`, import-visits."""
    row: dict[str, Any] = {field: getattr(visit, field) for field in VISIT_FIELDS}
    row["amount"] = str(visit.amount) if visit.amount is not None else None
    return row


def local_minute(ts: str | None) -> str:
    """An ISO timestamp as this machine's local `YYYY-MM-DD HH:MM`; empty for none."""
    if not ts:
        return ""
    try:
        return datetime.fromisoformat(ts).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return ts


def local_datetime(ts: str | None) -> datetime | None:
    """An ISO timestamp as a naive local datetime (a spreadsheet's dates have no zone)."""
    if not ts:
        return None
    try:
        return datetime.fromisoformat(ts).astimezone().replace(tzinfo=None)
    except ValueError:
        return None


def header(field: str, labels: str) -> str:
    return field if labels == "codes" else tr(f"export.col.{field}", labels)


def headers(labels: str) -> list[str]:
    return [header(field, labels) for field in VISIT_FIELDS]


def value_label(field: str, value: object, lang: str) -> object:
    """A code as a person reads it in `lang` (names from data/*.toml); other values unchanged."""
    from lobby_tui.domain.rules import guidance_rules, tier_table

    if value is None:
        return ""
    if field in BOOL_FIELDS:
        return tr("export.yes" if value else "export.no", lang)
    if field in TIME_FIELDS:
        return local_minute(str(value))
    text = str(value)
    if field == "tier":
        tier = tier_table().by_code.get(text)
        return tier.label[lang] if tier else text
    if field in DESTINATION_FIELDS:
        dest = guidance_rules().destinations.get(text)
        return dest.label[lang] if dest else text
    if field == "refer_to":
        referral = guidance_rules().referrals.get(text)
        return referral.label[lang] if referral else text
    if field == "reason":
        reason = next((r for r in guidance_rules().reasons if r.code == text), None)
        return reason.label[lang] if reason else text
    if field == "outcome":
        return tr(f"export.outcome.{text}", lang)
    return value


def visit_row(visit: Visit, labels: str) -> list[object]:
    """One visit as the cells of a CSV row for `labels` (zh, en or codes), not yet neutralised."""
    codes = visit_codes(visit)
    if labels == "codes":
        return [codes[field] for field in VISIT_FIELDS]
    return [value_label(field, codes[field], labels) for field in VISIT_FIELDS]
