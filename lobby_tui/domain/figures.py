"""A day's figures from its visits: one piece of code for `lobby-tui summary` and the screens."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from lobby_tui.domain.models import COUNTED_OUTCOMES, Visit
from lobby_tui.domain.rules import DESTINATION_CODES, REASON_CODES, TIER_CODES

DIVERTED = ("self_service", "e_banking")


def day_figures(day: str, visits: Iterable[Visit]) -> dict[str, Any]:
    """Counts of visits (never of customers) for one day, in the JSON shape of `summary --json`."""
    counted = [v for v in visits if v.outcome in COUNTED_OUTCOMES and v.day == day]
    total = len(counted)
    by_tier = Counter(v.tier or "ordinary" for v in counted)
    by_destination = Counter(v.destination for v in counted if v.destination)
    by_reason = Counter(v.reason for v in counted)
    by_hour = Counter(v.hour for v in counted)
    diverted = sum(by_destination[d] for d in DIVERTED)
    return {
        "date": day,
        "visits": total,
        "by_tier": {code: by_tier[code] for code in TIER_CODES},
        "by_destination": {code: by_destination[code] for code in DESTINATION_CODES},
        "by_reason": {code: by_reason[code] for code in REASON_CODES},
        "by_hour": {f"{h:02d}": by_hour[h] for h in range(24)},
        "quality_customers": sum(1 for v in counted if v.quality),
        "potential_quality": sum(1 for v in counted if v.potential_quality),
        "referrals": sum(1 for v in counted if v.refer_to),
        "diversion_rate": round(diverted / total, 4) if total else 0.0,
        "overrides": sum(1 for v in counted if v.override_reason),
        "redirected": sum(1 for v in counted if v.redirected_from),
        "left_without_service": sum(1 for v in counted if v.outcome == "left"),
        "served": sum(1 for v in counted if v.outcome == "served"),
    }
