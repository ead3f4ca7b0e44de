"""Rich renderables shared by the command line and the screens (Rich only: no Textual, no SQL)."""

from __future__ import annotations

from typing import Any

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from lobby_tui.domain.rules import guidance_rules, tier_table
from lobby_tui.domain.tiers import Classification
from lobby_tui.i18n import list_text, tr

BAR = "█"


def tier_badge(tier: str, lang: str) -> Text:
    row = tier_table().tier(tier)
    return Text(f" {row.label[lang]} ", style=f"bold white on {row.colour}")


def tier_panel(result: Classification, lang: str) -> RenderableType:
    table = tier_table()
    row = table.tier(result.tier)
    head = Text.assemble(tier_badge(result.tier, lang))
    if result.quality:
        head.append("  " + tr("flag.quality", lang), style="bold green")
    if result.potential_quality:
        head.append("  " + tr("flag.potential_quality", lang), style="bold yellow")
    lines: list[RenderableType] = [head]
    if result.age is not None:
        lines.append(Text(tr("tier.age", lang, age=result.age)))
    if result.tier_with_other_assets != result.tier:
        other = table.tier(result.tier_with_other_assets).label[lang]
        lines.append(Text(tr("tier.with_other", lang, tier=other), style="yellow"))
    if result.missing:
        what = list_text((tr(f"field.{m}", lang) for m in result.missing), lang)
        lines.append(Text(tr("tier.missing", lang, what=what), style="italic"))
    grid = Table.grid(padding=(0, 1))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column()
    for column, value in row.entitlements.items():
        text = value[lang] if isinstance(value[lang], str) else list_text(value[lang], lang)
        grid.add_row(tr(f"ent.{column}", lang), text or "—")
    lines.append(grid)
    return Panel(Group(*lines), title=row.label[lang], border_style=row.colour)


def hour_chart(by_hour: dict[str, int], width: int = 30) -> Table:
    """Arrivals by hour as horizontal bars, opening hours only (and any hour with visits)."""
    hours = [h for h, n in by_hour.items() if n or 8 <= int(h) <= 17]
    peak = max((by_hour[h] for h in hours), default=0) or 1
    chart = Table.grid(padding=(0, 1))
    chart.add_column(justify="right", style="dim")
    chart.add_column()
    chart.add_column(justify="right")
    for h in hours:
        n = by_hour[h]
        chart.add_row(f"{h}:00", Text(BAR * round(n / peak * width), style="cyan"), str(n))
    return chart


def summary_tables(figures: dict[str, Any], lang: str) -> list[RenderableType]:
    tiers, rules = tier_table(), guidance_rules()
    total = figures["visits"]
    head = Table(title=tr("summary.title", lang, date=figures["date"]), show_header=False, title_justify="left")
    head.add_column(style="bold")
    head.add_column(justify="right")
    head.add_row(tr("summary.visits", lang), str(total))
    head.add_row(tr("summary.diversion_rate", lang), f"{figures['diversion_rate']:.1%}")
    head.add_row(tr("summary.quality", lang), str(figures["quality_customers"]))
    head.add_row(tr("summary.potential_quality", lang), str(figures["potential_quality"]))
    head.add_row(tr("summary.referrals", lang), str(figures["referrals"]))
    head.add_row(tr("summary.left", lang), str(figures["left_without_service"]))
    head.add_row(tr("summary.overrides", lang), str(figures["overrides"]))
    if "satisfaction" in figures:  # two short rows: a long value would squeeze the labels at 60x20
        satisfaction = figures["satisfaction"]
        average = satisfaction.get("average")
        head.add_row(tr("summary.average_rating", lang), "—" if average is None else f"{average:.1f}")
        head.add_row(tr("satisfaction.responses", lang), str(satisfaction.get("responses", 0)))

    def breakdown(title: str, counts: dict[str, int], label: Any) -> Table:
        t = Table(title=title, title_justify="left")
        t.add_column(tr("summary.col.item", lang))
        t.add_column(tr("summary.col.visits", lang), justify="right")
        t.add_column("%", justify="right")
        for code, n in counts.items():
            t.add_row(Text(label(code)), str(n), f"{n / total:.0%}" if total else "—")  # data: not markup
        return t

    return [
        head,
        breakdown(tr("summary.by_tier", lang), figures["by_tier"], lambda c: tiers.tier(c).label[lang]),
        breakdown(
            tr("summary.by_destination", lang), figures["by_destination"], lambda c: rules.destinations[c].label[lang]
        ),
        breakdown(tr("summary.by_reason", lang), figures["by_reason"], lambda c: rules.reason(c).label[lang]),
        Panel(hour_chart(figures["by_hour"]), title=tr("summary.by_hour", lang), title_align="left"),
        *([lead_figures_table(figures["leads"], lang)] if "leads" in figures else []),
        *([appointment_figures_table(figures["appointments"], lang)] if "appointments" in figures else []),
        *([satisfaction_table(figures["satisfaction"], lang)] if "satisfaction" in figures else []),
    ]


def satisfaction_table(satisfaction: dict[str, Any], lang: str) -> Table:
    """The customers' ratings (summary --json key `satisfaction`): how many, the average, each score."""
    t = Table(title=tr("satisfaction.title", lang), title_justify="left")
    t.add_column(tr("summary.col.item", lang))
    t.add_column("#", justify="right")
    t.add_row(tr("satisfaction.responses", lang), str(satisfaction.get("responses", 0)))
    average = satisfaction.get("average")
    t.add_row(tr("satisfaction.average", lang), "—" if average is None else f"{average:.2f}")
    for score, n in sorted(satisfaction.get("by_score", {}).items(), reverse=True):
        t.add_row(tr("satisfaction.score", lang, n=int(score)), str(n))
    return t


def appointment_figures_table(appointments: dict[str, int], lang: str) -> Table:
    """The appointment figures (summary --json key `appointments`): booked, arrived, late, no-show."""
    from lobby_tui.domain.appointments import FIGURE_KEYS

    t = Table(title=tr("appt.figures.title", lang), title_justify="left")
    t.add_column(tr("summary.col.item", lang))
    t.add_column("#", justify="right")
    for key in FIGURE_KEYS:
        t.add_row(tr(f"appt.figures.{key}", lang), str(appointments.get(key, 0)))
    return t


# ---------------------------------------------------------------- leads (issue 10)

LEAD_FIGURE_KEYS = ("made", "taken", "contacted_within_day", "converted")


def lead_figures_table(leads: dict[str, int], lang: str, title: str | None = None) -> Table:
    """The lead figures (summary --json key `leads`): made, taken, contacted within a day, converted."""
    t = Table(title=title or tr("leads.title", lang), title_justify="left")
    t.add_column(tr("summary.col.item", lang))
    t.add_column("#", justify="right")
    for key in LEAD_FIGURE_KEYS:
        t.add_row(tr(f"leads.{key}", lang), str(leads.get(key, 0)))
    return t


def lead_compare_table(managers: list[Any], lang: str) -> Table:
    """The lead figures of each lobby manager (the leads their visits made), a column each."""
    t = Table(title=tr("leads.title", lang), title_justify="left")
    t.add_column(tr("summary.col.item", lang), no_wrap=True)
    for m in managers:
        t.add_column(Text(m.name), justify="right", no_wrap=True)  # a name a person typed: never markup
    for key in LEAD_FIGURE_KEYS:
        t.add_row(tr(f"leads.{key}", lang), *(str(m.figures.get("leads", {}).get(key, 0)) for m in managers))
    return t


def lead_bracket(tier: str, with_other: str, lang: str) -> str:
    """The assets bracket as tiers: here, and once other banks' assets count when that is higher."""
    tiers = tier_table()
    here = tiers.tier(tier).label[lang]
    if with_other == tier:
        return here
    return tr("lead.bracket", lang, here=here, total=tiers.tier(with_other).label[lang])


def lead_why(lead: Any, lang: str) -> str:
    """Why the lead exists: the flag, the visits' business, the assets bracket."""
    rules = guidance_rules()
    shown = [rules.reason(r).label[lang] for r in lead.reasons[:3]]
    reasons = list_text(shown, lang) + ("…" if len(lead.reasons) > 3 else "")
    sep = "；" if lang == "zh" else "; "
    return sep.join(
        [tr(f"lead.flag.{lead.flag}", lang), reasons, lead_bracket(lead.tier, lead.tier_with_other_assets, lang)]
    )


def lead_owner(lead: Any, lang: str) -> str:
    return lead.owner_name or lead.owner or tr("lead.unassigned", lang)


def lead_json(lead: Any) -> dict[str, Any]:
    """One lead as `lobby-tui leads --json` prints it: the name masked, the phone as 138****5678."""
    from lobby_tui.domain.privacy import mask_name

    return {
        "id": lead.id,
        "customer_id": lead.customer_id,
        "name": mask_name(lead.name) if lead.name else None,
        "phone": lead.phone_masked or None,
        "status": lead.status,
        "owner": lead.owner,
        "flag": lead.flag,
        "tier": lead.tier,
        "tier_with_other_assets": lead.tier_with_other_assets,
        "reasons": list(lead.reasons),
        "visits": lead.visits,
        "made_by": lead.made_by,
        "created_ts": lead.created_ts,
        "updated_ts": lead.updated_ts,
        "taken_ts": lead.taken_ts,
        "contacted_ts": lead.contacted_ts,
        "contact_kind": lead.contact_kind,
        "closed_ts": lead.closed_ts,
        "converted_to": lead.converted_to,
    }


def leads_table(leads: list[Any], lang: str) -> Table:
    from rich.markup import escape

    from lobby_tui.domain.privacy import mask_name

    t = Table(title=tr("leads.title", lang), title_justify="left")
    for key in ("made", "customer", "status", "owner", "why"):
        t.add_column(tr(f"leads.col.{key}", lang), no_wrap=key != "why")
    for lead in leads:
        who = f"{mask_name(lead.name)} {lead.phone_masked or ''}".strip() if lead.name else tr("lead.walk_in", lang)
        t.add_row(
            lead.created_ts[:16].replace("T", " "),
            escape(who),
            tr(f"lead.status.{lead.status}", lang),
            escape(lead_owner(lead, lang)),
            escape(lead_why(lead, lang)),
        )
    return t
