"""The supervisor's printable report: a real HTML document from the Jinja2 templates shipped in
lobby_tui/templates/ (tables, lang and title, A4 print CSS, the hourly chart as inline SVG, the branch,
the days, the lobby managers and the sign-off). Autoescaped: a name or a note is always text.

The figures are lobby_tui.domain.figures' (the same as `lobby-tui summary` and the screens).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from lobby_tui.domain.shiftlog import ExportBundle
from lobby_tui.i18n import tr

TEMPLATES = Path(__file__).resolve().parent / "templates"
LOG_IN_REPORT = 62  # shifts: beyond this the report keeps to figures; the log is in the CSV/JSONL


def _environment() -> Any:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,  # every template, whatever its name: nothing from the database is markup
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _percent(n: int, total: int) -> str:
    return f"{n / total:.0%}" if total else "—"


def hour_chart(by_hour: dict[str, int], width: int = 680, height: int = 190) -> dict[str, Any]:
    """Bars for the hours of the lobby's day (08–18 at least, and any hour with a visit)."""
    busy = [int(h) for h, n in by_hour.items() if n]
    first, last = min([8, *busy]), max([18, *busy])
    hours = list(range(first, last + 1))
    left, top, base = 8, 16, height - 20
    slot = (width - left - 4) / len(hours)
    peak = max((by_hour.get(f"{h:02d}", 0) for h in hours), default=0) or 1
    bars = []
    for i, hour in enumerate(hours):
        n = by_hour.get(f"{hour:02d}", 0)
        h = round((base - top) * n / peak, 1)
        x = round(left + i * slot + slot * 0.15, 1)
        bars.append(
            {
                "hour": f"{hour:02d}",
                "n": n,
                "x": x,
                "w": round(slot * 0.7, 1),
                "y": round(base - h, 1),
                "h": h,
                "cx": round(x + slot * 0.35, 1),
            }
        )
    return {"width": width, "height": height, "left": left, "base": base, "bars": bars}


def report_context(bundle: ExportBundle, lang: str, *, branch: str = "") -> dict[str, Any]:
    from lobby_tui.domain.rules import guidance_rules, tier_table
    from lobby_tui.report import COMPARE_ROWS, entry_kind, entry_text, percent

    tiers, rules = tier_table(), guidance_rules()
    f = bundle.figures
    total = f.get("visits", 0)
    single = bundle.shift_id is not None and bundle.shifts
    if single:
        s = bundle.shifts[0]
        title = tr("report.title_shift", lang, name=s.staff_name, staff_id=s.staff_id, day=s.day)
    else:
        title = tr("report.title_range", lang, start=bundle.start, end=bundle.end)
    days = (
        bundle.start if bundle.start == bundle.end else tr("rep.days_range", lang, start=bundle.start, end=bundle.end)
    )
    managers = sorted(
        {f"{s.staff_name}（{s.staff_id}）" if lang == "zh" else f"{s.staff_name} ({s.staff_id})" for s in bundle.shifts}
    )
    head_figures = [
        (tr("summary.visits", lang), total),
        (tr("summary.diversion_rate", lang), percent(f.get("diversion_rate", 0.0))),
        (tr("summary.quality", lang), f.get("quality_customers", 0)),
        (tr("summary.potential_quality", lang), f.get("potential_quality", 0)),
        (tr("summary.referrals", lang), f.get("referrals", 0)),
        (tr("summary.to_account_manager", lang), f.get("account_manager_referrals", 0)),
        (tr("summary.overrides", lang), f.get("overrides", 0)),
        (tr("summary.left", lang), f.get("left_without_service", 0)),
    ]

    def group(title_key: str, counts: dict[str, int], label: Any) -> dict[str, Any]:
        return {
            "title": tr(title_key, lang),
            "rows": [(label(code), n, _percent(n, total)) for code, n in counts.items()],
        }

    breakdowns = [
        group("summary.by_tier", f.get("by_tier", {}), lambda c: tiers.tier(c).label[lang]),
        group("summary.by_destination", f.get("by_destination", {}), lambda c: rules.destinations[c].label[lang]),
        group("summary.by_reason", f.get("by_reason", {}), lambda c: rules.reason(c).label[lang]),
    ]
    trend = None
    if bundle.trend:
        trend = {
            "head": [
                tr("export.col.day", lang),
                *(
                    tr(f"export.day.{k}", lang)
                    for k in ("visits", "diversion_rate", "quality_customers", "potential_quality")
                ),
            ],
            "rows": [
                (d["date"], d["visits"], percent(d["diversion_rate"]), d["quality_customers"], d["potential_quality"])
                for d in bundle.trend
            ],
        }
    compare = None
    if bundle.managers:
        compare = {
            "title": tr("compare.title", lang, start=bundle.start, end=bundle.end),
            "names": [m.name for m in bundle.managers],
            "rows": [(tr(key, lang), [value(m) for m in bundle.managers]) for key, value in COMPARE_ROWS],
        }
    shifts = []
    signed = []
    for s in bundle.shifts:
        review = ""
        if s.status == "signed_off":
            review = tr(
                "report.signed",
                lang,
                who=s.review_name or s.review_by or "",
                time=(s.review_ts or "")[:16].replace("T", " "),
                comment=s.review_comment or "—",
            )
            signed.append(f"{s.day} {s.staff_name}：{review}" if lang == "zh" else f"{s.day} {s.staff_name}: {review}")
        elif s.status == "returned" and s.question:
            review = tr("review.asked", lang, question=s.question)
        shifts.append(
            {
                "day": s.day,
                "manager": s.staff_name,
                "status": tr(f"shift.status.{s.status}", lang),
                "status_code": s.status,
                "visits": s.visits,
                "patrols": s.patrols,
                "incidents": s.incidents,
                "review": review,
            }
        )
    log = None
    if len(bundle.shifts) <= LOG_IN_REPORT:
        names = {s.review_by: s.review_name for s in bundle.shifts if s.review_by and s.review_name}
        names |= {s.staff_id: s.staff_name for s in bundle.shifts}
        log = [
            {
                "time": f"{e.ts[5:10]} {e.ts[11:16]}",
                "kind": entry_kind(e, lang),
                "who": names.get(e.staff_id, e.staff_id),
                "text": entry_text(e, lang),
            }
            for e in bundle.entries
        ]
    t = {
        key: tr(f"rep.{key}", lang)
        for key in (
            "branch",
            "branch_unset",
            "days",
            "managers",
            "printed",
            "figures",
            "item",
            "visits",
            "share",
            "trend",
            "no_shifts",
            "sign_off",
            "manager_sign",
            "supervisor_sign",
            "date_sign",
        )
    }
    t |= {
        "audit_mark": tr("rep.audit_mark", lang),
        "by_hour": tr("summary.by_hour", lang),
        "shifts": tr("report.shifts", lang),
        "log": tr("report.log", lang),
        "log_elsewhere": tr("report.log_elsewhere", lang),
    }
    return {
        "html_lang": "zh-CN" if lang == "zh" else "en",
        "title": title,
        "branch": branch,
        "days": days,
        "managers": managers,
        "sep": "、" if lang == "zh" else ", ",
        "printed": datetime.now().astimezone().strftime("%Y-%m-%d %H:%M"),
        "audit_mark": bundle.audit_mark,
        "head_figures": head_figures,
        "breakdowns": breakdowns,
        "chart": hour_chart(f.get("by_hour", {})),
        "trend": trend,
        "compare": compare,
        "shift_head": [
            tr(k, lang)
            for k in (
                "list.col.day",
                "list.col.manager",
                "list.col.status",
                "list.col.visits",
                "list.col.patrols",
                "list.col.incidents",
                "report.review",
            )
        ],
        "shifts": shifts,
        "signed": signed,
        "log_head": [tr(k, lang) for k in ("log.col.time", "log.col.kind", "log.col.who", "log.col.text")],
        "log": log,
        "t": t,
    }


def branch_name() -> str:
    from lobby_tui.domain.rules import guidance_rules

    return str(guidance_rules().settings.get("branch_name", "") or "")


def render_report(bundle: ExportBundle, lang: str) -> str:
    template = _environment().get_template("report.html.j2")
    return str(template.render(**report_context(bundle, lang, branch=branch_name())))


def write_report(bundle: ExportBundle, path: Path, lang: str) -> Path:
    from lobby_tui.files import write_private

    write_private(path, render_report(bundle, lang))  # owner-only: it names staff and holds the figures
    return path
