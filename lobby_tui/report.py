"""The review's renderables and exports (Rich only: no Textual, no SQL).

Charts of the 30-day trend, the comparison of lobby managers, a shift's log as a table, and the export
of a shift or a range of days as CSV, JSON lines and a printable HTML report (report_html.py's
Jinja2 document). The figures come from lobby_tui.domain.figures, like `lobby-tui summary`; the day's
tables are render.py's.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import asdict
from pathlib import Path
from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from lobby_tui.domain.errors import InputError
from lobby_tui.domain.exports import local_minute
from lobby_tui.domain.figures import REFERRAL_OUTCOMES, trend_average
from lobby_tui.domain.patrol import patrol_checklist
from lobby_tui.domain.shiftlog import (
    ExportBundle,
    LogEntry,
    ManagerFigures,
    ShiftRecord,
)
from lobby_tui.exports import write_csv_rows, write_visits_csv, write_visits_jsonl
from lobby_tui.files import open_private, private_dir
from lobby_tui.i18n import annotated, labelled, tr
from lobby_tui.log import log_event
from lobby_tui.render import summary_tables

BLOCKS = " ▁▂▃▄▅▆▇█"
TREND_METRICS = ("visits", "diversion_rate", "quality_customers", "potential_quality")
FORMATS = ("csv", "jsonl", "xlsx", "html")


# ---------------------------------------------------------------- small pieces


def status_text(status: str, lang: str) -> Text:
    style = {"open": "cyan", "closed": "yellow", "returned": "bold magenta", "signed_off": "green"}[status]
    return Text(tr(f"shift.status.{status}", lang), style=style)


def entry_kind(entry: LogEntry, lang: str) -> str:
    return tr(f"log.kind.{entry.kind}", lang)


def entry_text(entry: LogEntry, lang: str) -> str:
    """One line saying what the entry records, in `lang`."""
    checklist = patrol_checklist()
    sep = "；" if lang == "zh" else "; "
    if entry.kind == "patrol":
        name = checklist.round(entry.code or "").label[lang] if entry.code else ""
        problems = entry.problems
        if not problems:
            text = tr("log.patrol_ok", lang, round=name)
        else:
            items = (sep + "✗ ").join(checklist.item(code).label[lang] for code in problems)
            text = tr("log.patrol_problems", lang, round=name, items=items)
        return text + (f" — {entry.text}" if entry.text else "")
    if entry.kind == "incident":
        kind = checklist.incident(entry.code or "other").label[lang] if entry.code else ""
        return labelled(kind, entry.text or "", lang)
    if entry.kind == "feedback":
        return feedback_entry_text(entry, lang)
    if entry.kind == "correction":
        return tr(
            "log.correction",
            lang,
            what=tr(f"log.target.{entry.code}", lang),
            text=entry.text or "",
            reason=entry.reason or "",
        )
    return entry.text or ""


def feedback_entry_text(entry: LogEntry, lang: str) -> str:
    """A low rating in the shift log: the score as the customer saw it, the ticket, the reason chosen."""
    from lobby_tui.domain.feedback import feedback_rules

    rules = feedback_rules()
    score = int(entry.code or 0)
    try:
        label = annotated(str(score), rules.button(score).label[lang], lang)
    except InputError:  # a scale changed since: the score alone
        label = str(score)
    text = tr("log.feedback", lang, label=label, ticket=entry.text or "—")
    if entry.reason:
        try:
            reason = rules.reason(entry.reason).label[lang]
        except InputError:
            reason = entry.reason
        text += ("；" if lang == "zh" else "; ") + tr("log.feedback_reason", lang, reason=reason)
    return text


def percent(rate: float) -> str:
    return f"{rate:.1%}"


# ---------------------------------------------------------------- the day's figures, completed


def referral_table(figures: dict[str, Any], lang: str) -> Table:
    """Referrals to account managers and what came of them; customers who left without service."""
    t = Table(title=tr("summary.referral_title", lang), title_justify="left", show_header=False)
    t.add_column(style="bold")
    t.add_column(justify="right")
    t.add_row(tr("summary.to_account_manager", lang), str(figures["account_manager_referrals"]))
    for key in REFERRAL_OUTCOMES:
        t.add_row("  " + tr(f"summary.referral.{key}", lang), str(figures["referral_outcomes"][key]))
    t.add_row(tr("summary.left", lang), str(figures["left_without_service"]))
    return t


def day_report(figures: dict[str, Any], lang: str) -> list[RenderableType]:
    """render.summary_tables (the same as `lobby-tui summary`), with the referrals after the head."""
    tables = summary_tables(figures, lang)
    return [tables[0], referral_table(figures, lang), *tables[1:]]


# ---------------------------------------------------------------- trends


def column_chart(values: list[float], height: int = 3, style: str = "cyan", width: int = 1) -> Text:
    """Values as columns of eighth blocks, `height` rows tall, `width` characters per value."""
    peak = max(values, default=0) or 1
    levels = [round(v / peak * height * 8) for v in values]
    lines = []
    for row in range(height, 0, -1):
        lines.append("".join(BLOCKS[max(0, min(8, level - (row - 1) * 8))] * width for level in levels))
    return Text("\n".join(lines), style=style)


def trend_chart(trend: list[dict[str, Any]], metric: str, lang: str, height: int = 3, width: int = 1) -> RenderableType:
    """One metric per day over the trend's days: title with the latest value and the average."""
    values = [float(day[metric]) for day in trend]
    average = trend_average(trend, metric)
    if metric == "diversion_rate":
        shown, mean = percent(values[-1]) if values else "", percent(average)
    else:
        shown, mean = f"{values[-1]:g}" if values else "", f"{average:.1f}"
    head = Text(tr(f"trend.{metric}", lang), style="bold")
    if values:
        head.append("\n" + tr("trend.latest", lang, value=shown, average=mean), style="dim")
    grid = Table.grid(padding=(0, 1))
    grid.add_column(justify="right", style="dim", no_wrap=True)
    grid.add_column(no_wrap=True)
    peak = max(values, default=0.0)
    top = percent(peak) if metric == "diversion_rate" else f"{peak:g}"
    labels = "\n".join([top, *[""] * (height - 2), "0"]) if height > 1 else top
    grid.add_row(labels, column_chart(values, height, "magenta" if metric == "diversion_rate" else "cyan", width))
    if trend:
        first, last = trend[0]["date"][5:], trend[-1]["date"][5:]
        gap = max(len(values) * width - len(first) - len(last), 1)
        grid.add_row("", Text(first + " " * gap + last, style="dim"))
    return Group(head, grid)


def trend_charts(trend: list[dict[str, Any]], lang: str, height: int = 3, width: int = 1) -> list[RenderableType]:
    return [trend_chart(trend, metric, lang, height, width) for metric in TREND_METRICS]


# ---------------------------------------------------------------- comparing lobby managers

COMPARE_ROWS: tuple[tuple[str, Callable[[ManagerFigures], str]], ...] = (
    ("compare.shifts", lambda m: str(m.shifts)),
    ("summary.visits", lambda m: str(m.figures["visits"])),
    ("compare.per_shift", lambda m: f"{m.figures['visits'] / m.shifts:.0f}" if m.shifts else "—"),
    ("compare.diversion", lambda m: percent(m.figures["diversion_rate"])),
    ("summary.quality", lambda m: str(m.figures["quality_customers"])),
    ("summary.potential_quality", lambda m: str(m.figures["potential_quality"])),
    ("summary.referrals", lambda m: str(m.figures["referrals"])),
    ("summary.to_account_manager", lambda m: str(m.figures["account_manager_referrals"])),
    ("summary.overrides", lambda m: str(m.figures["overrides"])),
    ("summary.left", lambda m: str(m.figures["left_without_service"])),
    ("compare.patrols", lambda m: str(m.patrols)),
    ("compare.incidents", lambda m: str(m.incidents)),
    ("compare.corrections", lambda m: str(m.corrections)),
    ("compare.returned", lambda m: str(m.returned)),
    ("compare.satisfaction", lambda m: _average(m.figures.get("satisfaction"))),
    ("compare.ratings", lambda m: str((m.figures.get("satisfaction") or {}).get("responses", 0))),
)


def _average(satisfaction: dict[str, Any] | None) -> str:
    average = (satisfaction or {}).get("average")
    return "—" if average is None else f"{average:.1f}"


def compare_table(managers: list[ManagerFigures], lang: str, start: str, end: str) -> Table:
    """A row per figure, a column per lobby manager: it fits a handheld with several managers."""
    t = Table(title=tr("compare.title", lang, start=start, end=end), title_justify="left")
    t.add_column(tr("summary.col.item", lang), no_wrap=True)
    for m in managers:
        t.add_column(Text(m.name), justify="right", no_wrap=True)  # a name as typed, never markup
    for key, value in COMPARE_ROWS:
        t.add_row(tr(key, lang), *(value(m) for m in managers))
    return t


# ---------------------------------------------------------------- shifts and their logs


def shifts_table(shifts: list[ShiftRecord], lang: str) -> Table:
    t = Table(title=tr("report.shifts", lang), title_justify="left")
    for key in (
        "list.col.day",
        "list.col.manager",
        "list.col.status",
        "list.col.visits",
        "list.col.patrols",
        "list.col.incidents",
    ):
        t.add_column(tr(key, lang), no_wrap=True)
    t.add_column(tr("report.review", lang))
    for s in shifts:
        review = ""
        if s.status == "signed_off":
            review = tr(
                "report.signed",
                lang,
                who=s.review_name or s.review_by or "",
                time=(s.review_ts or "")[:16].replace("T", " "),
                comment=s.review_comment or "—",
            )
        elif s.status == "returned" and s.question:
            review = tr("review.asked", lang, question=s.question)
        t.add_row(
            s.day,
            Text(s.staff_name),
            status_text(s.status, lang),
            str(s.visits),
            str(s.patrols),
            str(s.incidents),
            Text(review),
        )
    return t


def log_table(entries: Iterable[LogEntry], lang: str, names: dict[str, str] | None = None) -> Table:
    t = Table(title=tr("report.log", lang), title_justify="left")
    t.add_column(tr("log.col.time", lang), no_wrap=True)
    t.add_column(tr("log.col.kind", lang), no_wrap=True)
    t.add_column(tr("log.col.who", lang), no_wrap=True)
    t.add_column(tr("log.col.text", lang))
    for e in entries:
        t.add_row(
            f"{e.ts[5:10]} {e.ts[11:16]}",
            entry_kind(e, lang),
            Text((names or {}).get(e.staff_id, e.staff_id)),
            Text(entry_text(e, lang)),  # what a person typed: never read as markup (issue 14)
        )
    return t


# ---------------------------------------------------------------- exports


def export_name(bundle: ExportBundle) -> str:
    if bundle.shift_id and bundle.shifts:
        s = bundle.shifts[0]
        staff = re.sub(r"[^A-Za-z0-9]", "", s.staff_id) or "staff"
        return f"lobby-shift-{s.day}-{staff}-{s.id[:8]}"
    return f"lobby-{bundle.start}_{bundle.end}"


def _shift_dict(s: ShiftRecord) -> dict[str, Any]:
    return asdict(s)


def _entry_dict(e: LogEntry) -> dict[str, Any]:
    row = asdict(e)
    row["checks"] = json.dumps(e.checks, ensure_ascii=False) if e.checks else None
    return row


def _write_table(path: Path, rows: Iterable[dict[str, Any]], fields: list[str], fmt: str) -> None:
    """CSV as Excel reads it (BOM, neutralised cells: lobby_tui.exports), or JSON lines; owner-only."""
    with open_private(path) as handle:
        if fmt == "csv":
            write_csv_rows(handle, fields, ([row.get(f) for f in fields] for row in rows))
        else:
            for row in rows:
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")


SHIFT_CSV_FIELDS = tuple(ShiftRecord.__dataclass_fields__)
LOG_CSV_FIELDS = ("id", "device_id", "shift_id", "staff_id", "ts", "kind", "what", "reason", "corrects")
SHIFT_TIMES = ("opened_ts", "closed_ts", "review_ts")


def _shift_cells(s: ShiftRecord, lang: str) -> list[object]:
    row = asdict(s)
    for name in SHIFT_TIMES:
        row[name] = local_minute(row[name])
    row["status"] = tr(f"shift.status.{s.status}", lang)
    return [row[name] for name in SHIFT_CSV_FIELDS]


def _entry_cells(e: LogEntry, lang: str) -> list[object]:
    what = entry_text(e, lang)  # the patrol's items, the incident's kind and text, as the screens say them
    return [
        e.id,
        e.device_id,
        e.shift_id,
        e.staff_id,
        local_minute(e.ts),
        entry_kind(e, lang),
        what,
        e.reason,
        e.corrects,
    ]


def _write_labelled(path: Path, fields: tuple[str, ...], prefix: str, rows: Iterable[list[object]], lang: str) -> None:
    with open_private(path) as handle:
        write_csv_rows(handle, [tr(f"{prefix}.{name}", lang) for name in fields], rows)


MIME_TYPES = {
    ".csv": "text/csv",
    ".jsonl": "application/x-ndjson",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".html": "text/html",
    ".zip": "application/zip",
}


def export_download(bundle: ExportBundle, fmt: str, lang: str) -> tuple[str, bytes, str]:
    """The export as one download for a browser (lobby-tui serve): (file name, content, MIME type).
    One file as it is; the three CSV or JSON lines files in one zip (a browser asks before a second
    download, and a tablet keeps them together)."""
    import tempfile
    import zipfile

    with tempfile.TemporaryDirectory(prefix="lobby-export-") as tmp:
        paths = write_export(bundle, Path(tmp), fmt, lang)
        if len(paths) == 1:
            return paths[0].name, paths[0].read_bytes(), MIME_TYPES[paths[0].suffix]
        packed = io.BytesIO()
        with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in paths:
                archive.write(path, path.name)
        return export_name(bundle) + f"-{fmt}.zip", packed.getvalue(), MIME_TYPES[".zip"]


def write_export(bundle: ExportBundle, folder: Path, fmt: str, lang: str) -> list[Path]:
    """Write the export into `folder` (made if need be); the files written."""
    if fmt not in FORMATS:
        raise ValueError(fmt)
    private_dir(folder)  # exports hold names and figures: folders 0700, files 0600
    base = folder / export_name(bundle)
    if fmt == "xlsx":  # one workbook: the visits and the day figures (lobby_tui/exports.py)
        from lobby_tui.domain.figures import trend_figures
        from lobby_tui.exports import write_xlsx

        path = base.with_name(base.name + ".xlsx")
        days = trend_figures(bundle.start, bundle.end, bundle.visits())
        n = write_xlsx(path, bundle.visits(), days, lang)
        log_event("export", via="screen", format=fmt, shifts=len(bundle.shifts), visits=n)
        return [path]
    if fmt == "html":  # the printable report: lobby_tui/report_html.py's Jinja2 document
        from lobby_tui.report_html import write_report

        log_event("export", via="screen", format=fmt, shifts=len(bundle.shifts), visits=bundle.figures.get("visits"))
        return [write_report(bundle, base.with_name(base.name + ".html"), lang)]
    paths = [base.with_name(f"{base.name}-{part}.{fmt}") for part in ("shifts", "log", "visits")]
    if fmt == "csv":  # for a person in Excel: headers, statuses, kinds and times in the user's language
        _write_labelled(
            paths[0], SHIFT_CSV_FIELDS, "export.shift", (_shift_cells(s, lang) for s in bundle.shifts), lang
        )
        _write_labelled(paths[1], LOG_CSV_FIELDS, "export.log", (_entry_cells(e, lang) for e in bundle.entries), lang)
    else:  # JSON lines: codes, as a program reads them back
        _write_table(paths[0], (_shift_dict(s) for s in bundle.shifts), list(ShiftRecord.__dataclass_fields__), fmt)
        _write_table(paths[1], (_entry_dict(e) for e in bundle.entries), list(LogEntry.__dataclass_fields__), fmt)
    with open_private(paths[2]) as handle:
        if fmt == "csv":  # the visits as `lobby-tui export` writes them, labelled in the user's language
            n = write_visits_csv(handle, bundle.visits(), lang)
        else:
            n = write_visits_jsonl(handle, bundle.visits())
    log_event("export", via="screen", format=fmt, shifts=len(bundle.shifts), entries=len(bundle.entries), visits=n)
    return paths
