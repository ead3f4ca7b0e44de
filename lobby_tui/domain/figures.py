"""A day's figures from its visits: one piece of code for `lobby-tui summary` and the screens.

day_figures is the one place a figure is computed. The supervisor's views reuse it: range_figures
(the same figures over several days), trend_figures (day_figures for each day of a range, in one pass)
and staff_figures (range_figures per lobby manager).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any, Protocol

from lobby_tui.domain.models import COUNTED_OUTCOMES, Visit
from lobby_tui.domain.rules import DESTINATION_CODES, REASON_CODES, TIER_CODES

DIVERTED = ("self_service", "e_banking")
# What came of a referral: still waiting covers greeting, waiting and a redirect not yet served.
REFERRAL_OUTCOMES = ("served", "left", "waiting")


def wait_minutes(v: Visit) -> int | None:
    """Whole minutes a served visit waited: from its ticket to its call (or, never called, to its
    served mark); None when the times are missing or out of order."""
    if v.outcome != "served":
        return None
    return minutes_between(v.waiting_since, v.called_ts or v.outcome_ts)


def minutes_between(since: str | None, end: str | None) -> int | None:
    """Whole minutes from `since` to `end` (ISO times); None when either is missing or out of order.
    Head office counts its waits with it too (lobby_tui.hq.figures), so both agree to the minute."""
    if not since or not end:
        return None
    try:
        seconds = (datetime.fromisoformat(end) - datetime.fromisoformat(since)).total_seconds()
    except ValueError:
        return None
    return int(seconds // 60) if seconds >= 0 else None


def waits_figures(histogram: dict[str, dict[str, int]], served: Counter[str], left: Counter[str]) -> dict[str, Any]:
    """`waits` per destination: served, the median and 90th-percentile wait in whole minutes (nearest
    rank over the served visits whose wait is known; None without any), left without service."""
    out: dict[str, Any] = {}
    for code in DESTINATION_CODES:
        counts = sorted((int(m), n) for m, n in histogram.get(code, {}).items())
        total = sum(n for _, n in counts)

        def rank(share: float, counts: list[tuple[int, int]] = counts, total: int = total) -> int | None:
            if not total:
                return None
            want, seen = max(1, math.ceil(share * total - 1e-9)), 0
            for minute, n in counts:
                seen += n
                if seen >= want:
                    return minute
            return counts[-1][0]

        out[code] = {
            "served": served[code],
            "median_wait_min": rank(0.5),
            "p90_wait_min": rank(0.9),
            "left_unserved": left[code],
        }
    return out


def _figures(counted: Iterable[Visit]) -> dict[str, Any]:
    """The figures of visits already filtered to those that count; one pass, so a year's export
    never holds every visit at once."""
    total = quality = potential = referrals = overrides = redirected = left = served = 0
    by_tier: Counter[str] = Counter()
    by_destination: Counter[str] = Counter()
    by_reason: Counter[str] = Counter()
    by_hour: Counter[int] = Counter()
    # Referrals to account managers (sent there, or referred on to a wealth centre or private
    # banking), and what came of them.
    referred: Counter[str] = Counter()
    served_at: Counter[str] = Counter()
    left_at: Counter[str] = Counter()
    histogram: dict[str, Counter[str]] = {code: Counter() for code in DESTINATION_CODES}
    for v in counted:
        total += 1
        by_tier[v.tier or "ordinary"] += 1
        if v.destination:
            by_destination[v.destination] += 1
        by_reason[v.reason] += 1
        by_hour[v.hour] += 1
        quality += v.quality
        potential += v.potential_quality
        referrals += bool(v.refer_to)
        overrides += bool(v.override_reason)
        redirected += bool(v.redirected_from)
        left += v.outcome == "left"
        served += v.outcome == "served"
        if v.refer_to or v.destination == "account_manager":
            referred[v.outcome if v.outcome in ("served", "left") else "waiting"] += 1
        if v.destination in histogram:
            if v.outcome == "served":
                served_at[v.destination] += 1
                minutes = wait_minutes(v)
                if minutes is not None:
                    histogram[v.destination][str(minutes)] += 1
            elif v.outcome == "left":
                left_at[v.destination] += 1
    hist = {code: dict(c) for code, c in histogram.items()}
    diverted = sum(by_destination[d] for d in DIVERTED)
    return {
        "visits": total,
        "by_tier": {code: by_tier[code] for code in TIER_CODES},
        "by_destination": {code: by_destination[code] for code in DESTINATION_CODES},
        "by_reason": {code: by_reason[code] for code in REASON_CODES},
        "by_hour": {f"{h:02d}": by_hour[h] for h in range(24)},
        "quality_customers": int(quality),
        "potential_quality": int(potential),
        "referrals": referrals,
        "diversion_rate": round(diverted / total, 4) if total else 0.0,
        "overrides": overrides,
        "redirected": redirected,
        "left_without_service": left,
        "served": served,
        "account_manager_referrals": sum(referred.values()),
        "referral_outcomes": {key: referred[key] for key in REFERRAL_OUTCOMES},
        "waits": waits_figures(hist, served_at, left_at),
        # Whole minutes waited -> served visits, per destination: what `waits` is worked out from when
        # days or lobby managers are merged (kept days); not shown in `summary --json`.
        "wait_histogram": hist,
    }


# Keys of the figures that are not counts: how a merge finds them (diversion_rate is recomputed).
_NOT_COUNTS = ("date", "from", "to", "days", "diversion_rate", "waits", "wait_histogram")


def merge_figures(parts: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """The figures of several groups of visits (days, lobby managers) taken together, from each
    group's figures: the counts added, the rates worked out again. merge_figures of the day_figures
    of each group equals _figures over all their visits (tests/test_daily_figures.py); a new figure
    that is a count, or a dict of counts, needs nothing here."""
    total: dict[str, Any] = _figures(())
    parts_seen = list(parts)
    for part in parts_seen:
        for key, value in part.items():
            if key in _NOT_COUNTS:
                continue
            if isinstance(value, dict):
                into = total[key]
                for k, n in value.items():
                    into[k] = into.get(k, 0) + n
            else:
                total[key] = total.get(key, 0) + value
    visits = total["visits"]
    diverted = sum(total["by_destination"][d] for d in DIVERTED)
    total["diversion_rate"] = round(diverted / visits, 4) if visits else 0.0
    # Waits: the histograms added, the served and left counts added, medians worked out again.
    histogram: dict[str, Counter[str]] = defaultdict(Counter)
    served: Counter[str] = Counter()
    left: Counter[str] = Counter()
    for part in parts_seen:
        for code, minutes in part.get("wait_histogram", {}).items():
            histogram[code].update(minutes)
        for code, w in part.get("waits", {}).items():
            served[code] += w["served"]
            left[code] += w["left_unserved"]
    hist = {code: dict(histogram.get(code, {})) for code in DESTINATION_CODES}
    total["waits"] = waits_figures(hist, served, left)
    total["wait_histogram"] = hist
    return total


def figures_current(stored: dict[str, Any]) -> bool:
    """Whether figures kept from an earlier run have every figure this version computes (a version
    that adds one makes the kept ones be computed again)."""
    return _shape(stored) == _current_shape()


@cache
def _current_shape() -> dict[str, frozenset[str] | None]:
    """The shape of this version's figures (from the module's codes alone, so worked out once: a
    30-day trend asked it 30 times, a sixth of its time)."""
    return _shape(_figures(()))


def _shape(figures: dict[str, Any]) -> dict[str, frozenset[str] | None]:
    shape = {
        key: frozenset(value) if isinstance(value, dict) else None
        for key, value in figures.items()
        if key not in _NOT_COUNTS
    }
    # Not counts, but figures all the same: kept days without them (or with other destinations, or
    # other keys per destination) are computed again.
    waits = figures.get("waits")
    shape["waits"] = (
        frozenset(f"{code}.{k}" for code, w in waits.items() for k in w) if isinstance(waits, dict) else None
    )
    hist = figures.get("wait_histogram")
    shape["wait_histogram"] = frozenset(hist) if isinstance(hist, dict) else None
    return shape


def day_figures(day: str, visits: Iterable[Visit]) -> dict[str, Any]:
    """Counts of visits (never of customers) for one day, in the JSON shape of `summary --json`."""
    return {"date": day, **_figures(v for v in visits if v.outcome in COUNTED_OUTCOMES and v.day == day)}


def range_figures(start: str, end: str, visits: Iterable[Visit]) -> dict[str, Any]:
    """The same figures over the days from `start` to `end` inclusive (ISO dates)."""
    counted = (v for v in visits if v.outcome in COUNTED_OUTCOMES and start <= v.day <= end)
    days = (date.fromisoformat(end) - date.fromisoformat(start)).days + 1
    return {"from": start, "to": end, "days": max(days, 0), **_figures(counted)}


def days_between(start: str, end: str) -> list[str]:
    first, last = date.fromisoformat(start), date.fromisoformat(end)
    return [(first + timedelta(days=n)).isoformat() for n in range((last - first).days + 1)]


def trend_figures(start: str, end: str, visits: Iterable[Visit]) -> list[dict[str, Any]]:
    """day_figures for every day from `start` to `end` (days without visits included), oldest first."""
    by_day: dict[str, list[Visit]] = defaultdict(list)
    for v in visits:
        by_day[v.day].append(v)
    return [day_figures(day, by_day.get(day, ())) for day in days_between(start, end)]


def trend_average(trend: list[dict[str, Any]], metric: str) -> float:
    """The average of `metric` over a trend's days (trend_figures, or the store's trend): per day the
    branch was open - a day with visits - so the Sundays and holidays of a closed branch do not pull
    it down; the diversion rate weighted by visits (the diverted share of all the days' visits, as
    range_figures has it), not a mean of the daily rates, where a day of 3 visits weighed as much as
    a day of 300; the average rating (satisfaction_average, with each day's `responses`) weighted by
    ratings alike. Days without a `visits` figure (a chart of other counts) all count."""
    if metric == "diversion_rate":
        visits = sum(day.get("visits", 0) for day in trend)
        if not visits:
            return 0.0
        diverted = 0.0
        for day in trend:
            by_destination = day.get("by_destination")
            if by_destination is not None:
                diverted += sum(by_destination.get(d, 0) for d in DIVERTED)
            else:  # a day's rate and its visits only
                diverted += float(day["diversion_rate"]) * day.get("visits", 0)
        return float(diverted / visits)
    if metric == "satisfaction_average" and all("responses" in day for day in trend):
        # Each day's average weighted by its ratings: the average of every rating in the days shown.
        responses = sum(day["responses"] for day in trend)
        if not responses:
            return 0.0
        return float(sum(float(day[metric]) * day["responses"] for day in trend) / responses)
    open_days = [day for day in trend if day.get("visits", 1)]
    if not open_days:
        return 0.0
    return sum(float(day[metric]) for day in open_days) / len(open_days)


def staff_figures(start: str, end: str, visits: Iterable[Visit]) -> dict[str, dict[str, Any]]:
    """range_figures per staff id (the lobby manager who recorded the visit), in staff id order."""
    by_staff: dict[str, list[Visit]] = defaultdict(list)
    for v in visits:
        if v.staff_id:
            by_staff[v.staff_id].append(v)
    return {staff: range_figures(start, end, by_staff[staff]) for staff in sorted(by_staff)}


LEAD_FIGURES = ("made", "taken", "contacted_within_day", "converted")


class LeadTimes(Protocol):
    """What lead_figures reads of a lead: a Lead, or the store's narrow row of those columns alone."""

    @property
    def status(self) -> str: ...
    @property
    def created_ts(self) -> str: ...
    @property
    def taken_ts(self) -> str | None: ...
    @property
    def contacted_ts(self) -> str | None: ...
    @property
    def closed_ts(self) -> str | None: ...


def lead_figures(leads: Iterable[LeadTimes]) -> dict[str, int]:
    """The lead figures of the leads made in a period (counted by the day each lead was made, so a
    day's figures never change their base): made; taken by an account manager; contacted within a
    day (first phone call or meeting - or a close - within 24 hours of being made); converted.
    `summary --json` key `leads`."""
    made = taken = within = converted = 0
    for lead in leads:
        made += 1
        taken += lead.taken_ts is not None
        first = lead.contacted_ts or lead.closed_ts
        if first is not None:
            delta = datetime.fromisoformat(first) - datetime.fromisoformat(lead.created_ts)
            within += delta <= timedelta(days=1)
        converted += lead.status == "converted"
    return {"made": made, "taken": taken, "contacted_within_day": within, "converted": converted}
