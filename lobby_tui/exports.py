"""Writing visits out: Excel-ready CSV, JSON lines and .xlsx (no Textual, no SQL).

The fields, labels and cell values are lobby_tui.domain.exports'. CSV is UTF-8 with a byte-order mark
(Chinese-locale Excel reads a file without one as GBK) and CRLF line ends; every text cell is
neutralised against formulas. JSON lines are always codes, one visit a line.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import IO, Any

from lobby_tui.domain.exports import VISIT_FIELDS, headers, neutralise, visit_codes, visit_row
from lobby_tui.domain.models import Visit

BOM = "\ufeff"


def csv_writer(handle: IO[str]) -> Any:
    return csv.writer(handle, lineterminator="\r\n")


def write_csv_rows(handle: IO[str], head: list[str], rows: Iterable[Iterable[object]]) -> int:
    """BOM, header and rows, each text cell neutralised; the number of rows."""
    handle.write(BOM)
    writer = csv_writer(handle)
    writer.writerow([neutralise(h) for h in head])
    n = 0
    for row in rows:
        writer.writerow(["" if cell is None else neutralise(cell) for cell in row])
        n += 1
    return n


def write_visits_csv(handle: IO[str], visits: Iterable[Visit], labels: str) -> int:
    return write_csv_rows(handle, headers(labels), (visit_row(v, labels) for v in visits))


def write_visits_jsonl(handle: IO[str], visits: Iterable[Visit]) -> int:
    n = 0
    for visit in visits:
        handle.write(json.dumps(visit_codes(visit), ensure_ascii=False) + "\n")
        n += 1
    return n


# ---------------------------------------------------------------- xlsx

DAY_COLUMNS = (
    "visits",
    "quality_customers",
    "potential_quality",
    "referrals",
    "account_manager_referrals",
    "diversion_rate",
    "overrides",
    "redirected",
    "left_without_service",
    "served",
)
WIDEST = 48  # characters: a long note wraps in Excel rather than widening its column for ever


def display_width(text: str) -> int:
    """Columns `text` takes in Excel: a Chinese character is two."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _field_widths(lang: str) -> dict[str, int]:
    """Each visit column's width, known before any row is written (the sheet is streamed): the widest
    of its header and the longest label its values can have."""
    from lobby_tui.domain.exports import BOOL_FIELDS, DESTINATION_FIELDS, header
    from lobby_tui.domain.models import OUTCOMES
    from lobby_tui.domain.rules import guidance_rules, tier_table
    from lobby_tui.i18n import tr

    rules = guidance_rules()
    values: dict[str, list[str]] = {
        "id": ["0" * 36],
        "shift_id": ["0" * 36],
        "customer_id": ["0" * 36],
        "device_id": ["0" * 12],
        "staff_id": ["0" * 8],
        "ts": ["2026-11-18 10:05"],
        "outcome_ts": ["2026-11-18 10:05"],
        "day": ["2026-11-18"],
        "amount": ["1,234,567.00万"],
        "ticket": ["V0000"],
        "tier": [t.label[lang] for t in tier_table().tiers],
        "reason": [r.label[lang] for r in rules.reasons],
        "refer_to": [r.label[lang] for r in rules.referrals.values()],
        "outcome": [tr(f"export.outcome.{o}", lang) for o in OUTCOMES],
        "override_reason": ["x" * 30],
        "notes": ["x" * WIDEST],
    }
    for field in DESTINATION_FIELDS:
        values[field] = [d.label[lang] for d in rules.destinations.values()]
    for field in BOOL_FIELDS:
        values[field] = [tr("export.yes", lang), tr("export.no", lang)]
    widths = {}
    for field in VISIT_FIELDS:
        head = header("amount_wan", lang) if field == "amount" else header(field, lang)
        widths[field] = min(WIDEST, max(display_width(t) for t in [head, *values.get(field, [])]) + 2)
    return widths


def write_xlsx(path: Path, visits: Iterable[Visit], days: list[dict[str, Any]], lang: str) -> int:
    """Two sheets: the visits (dates as dates, amounts as numbers in 万, labels in `lang`) and the day
    figures; frozen header rows, widths that fit Chinese. The number of visits written."""
    import xlsxwriter

    from lobby_tui.domain.exports import BOOL_FIELDS, TIME_FIELDS, header, local_datetime, value_label
    from lobby_tui.domain.rules import DESTINATION_CODES, TIER_CODES, guidance_rules, tier_table
    from lobby_tui.files import create_private
    from lobby_tui.i18n import tr

    create_private(path)  # owner-only before XlsxWriter fills it (it keeps the mode)
    book = xlsxwriter.Workbook(
        str(path), {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    try:
        bold = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True})
        minute = book.add_format({"num_format": "yyyy-mm-dd hh:mm"})
        day_format = book.add_format({"num_format": "yyyy-mm-dd"})
        wan = book.add_format({"num_format": '#,##0.00"万"' if lang == "zh" else '#,##0.00" 万"'})
        percent = book.add_format({"num_format": "0.0%"})

        sheet = book.add_worksheet(tr("export.sheet.visits", lang))
        widths = _field_widths(lang)
        for col, field in enumerate(VISIT_FIELDS):
            sheet.set_column(col, col, widths[field])
        sheet.freeze_panes(1, 0)
        for col, field in enumerate(VISIT_FIELDS):
            sheet.write_string(0, col, header("amount_wan", lang) if field == "amount" else header(field, lang), bold)
        n = 0
        for n, visit in enumerate(visits, start=1):
            for col, field in enumerate(VISIT_FIELDS):
                value = getattr(visit, field)
                if value is None or value == "":
                    continue
                if field in TIME_FIELDS:
                    moment = local_datetime(value)
                    if moment is not None:
                        sheet.write_datetime(n, col, moment, minute)
                        continue
                if field == "day":
                    sheet.write_datetime(n, col, date.fromisoformat(value), day_format)
                elif field == "amount":
                    sheet.write_number(n, col, float(value / 10_000), wan)
                else:
                    shown = value_label(field, value, lang)
                    if field in BOOL_FIELDS or not isinstance(shown, (int, float)):
                        sheet.write_string(n, col, str(neutralise(str(shown))))
                    else:
                        sheet.write_number(n, col, shown)
        if n:
            sheet.autofilter(0, 0, n, len(VISIT_FIELDS) - 1)

        rules, table = guidance_rules(), tier_table()
        figures = book.add_worksheet(tr("export.sheet.days", lang))
        columns = [
            tr("export.col.day", lang),
            *(tr(f"export.day.{key}", lang) for key in DAY_COLUMNS),
            *(table.tier(code).label[lang] for code in TIER_CODES),
            *(rules.destinations[code].label[lang] for code in DESTINATION_CODES),
        ]
        figures.freeze_panes(1, 1)
        for col, text in enumerate(columns):
            figures.set_column(col, col, max(display_width(text), 10) + 2)
            figures.write_string(0, col, text, bold)
        for row, day in enumerate(days, start=1):
            figures.write_datetime(row, 0, date.fromisoformat(day["date"]), day_format)
            col = 1
            for key in DAY_COLUMNS:
                if key == "diversion_rate":
                    figures.write_number(row, col, day[key], percent)
                else:
                    figures.write_number(row, col, day[key])
                col += 1
            for code in TIER_CODES:
                figures.write_number(row, col, day["by_tier"][code])
                col += 1
            for code in DESTINATION_CODES:
                figures.write_number(row, col, day["by_destination"][code])
                col += 1
    finally:
        book.close()
    return n
