"""`lobby-tui hq summary` and `hq trends`: the branch's day figures (lobby_tui.domain.figures), counted
in SQL on PostgreSQL, per branch and for all branches.

Counting is done once, where the visits arrive: each batch of visits that `lobby-tui sync` commits
recounts the days it touched, for its branch, in the same transaction (refresh_counts: one GROUPING
SETS query over those days' visits, giving the totals and the counts by tier, destination, reason and
hour), into `visit_counts` (branch, day, dim, key, n). A summary or a trend then reads those few rows
per branch and day, however many visits there are; `hq init`'s step 2 fills the table from the visits
already there. The figures are put in the exact JSON shape of the branch's `summary --json` (same
keys, same rounding), so head office and branch can be compared.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from lobby_tui.domain.feedback import merge_satisfaction
from lobby_tui.domain.figures import DIVERTED, REFERRAL_OUTCOMES, days_between, minutes_between, waits_figures
from lobby_tui.domain.models import COUNTED_OUTCOMES
from lobby_tui.domain.rules import DESTINATION_CODES, REASON_CODES, TIER_CODES

TOTALS = (
    "visits",
    "quality",
    "potential",
    "referrals",
    "overrides",
    "redirected",
    "left",
    "served",
    "ref_served",
    "ref_left",
    "ref_waiting",
)

FIGURES_SQL = """
WITH v AS (
    SELECT branch, day, coalesce(nullif(tier, ''), 'ordinary') AS t, nullif(destination, '') AS d,
           reason AS r, substr(ts, 12, 2) AS h, quality <> 0 AS q, potential_quality <> 0 AS p,
           coalesce(refer_to, '') <> '' AS referred, outcome,
           coalesce(refer_to, '') <> '' OR destination = 'account_manager' AS to_am,
           coalesce(override_reason, '') <> '' AS overridden, coalesce(redirected_from, '') <> '' AS redirected
    FROM visits
    WHERE outcome = ANY(%(outcomes)s) {where}
)
SELECT branch, day::text, GROUPING(t, d, r, h) AS g, t, d, r, h, count(*) AS n,
       count(*) FILTER (WHERE q), count(*) FILTER (WHERE p), count(*) FILTER (WHERE referred),
       count(*) FILTER (WHERE overridden), count(*) FILTER (WHERE redirected),
       count(*) FILTER (WHERE outcome = 'left'), count(*) FILTER (WHERE outcome = 'served'),
       count(*) FILTER (WHERE to_am AND outcome = 'served'), count(*) FILTER (WHERE to_am AND outcome = 'left'),
       count(*) FILTER (WHERE to_am AND outcome NOT IN ('served', 'left'))
FROM v
GROUP BY GROUPING SETS ((branch, day), (branch, day, t), (branch, day, d), (branch, day, r), (branch, day, h))
"""
# GROUPING(t, d, r, h): a bit set for each column not grouped by, t the highest.
SET_TOTALS, SET_TIER, SET_DESTINATION, SET_REASON, SET_HOUR = 15, 7, 11, 13, 14


@dataclass
class Counts:
    """One branch-day's counts (or their sum over branches)."""

    totals: Counter[str] = field(default_factory=Counter)
    tier: Counter[str] = field(default_factory=Counter)
    destination: Counter[str] = field(default_factory=Counter)
    reason: Counter[str] = field(default_factory=Counter)
    hour: Counter[int] = field(default_factory=Counter)
    leads: Counter[str] = field(default_factory=Counter)  # read from the leads table (lead_counts), not kept
    appointments: Counter[str] = field(default_factory=Counter)  # read from the appointments table, not kept
    scores: Counter[str] = field(default_factory=Counter)  # ratings by score "1"-"5", read from feedback, not kept
    # Waits (issue 11), read from the visits when asked (add_wait_counts), not kept: served and left per
    # destination, and whole minutes waited -> served visits per destination.
    served_at: Counter[str] = field(default_factory=Counter)
    left_at: Counter[str] = field(default_factory=Counter)
    waited: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))

    def rows(self) -> list[tuple[str, str, int]]:
        """(dim, key, n) as visit_counts keeps them."""
        out = [("total", key, n) for key, n in self.totals.items()]
        for dim in ("tier", "destination", "reason"):
            out += [(dim, key, n) for key, n in getattr(self, dim).items()]
        return out + [("hour", f"{h:02d}", n) for h, n in self.hour.items()]

    def put(self, dim: str, key: str, n: int) -> None:
        if dim == "total":
            self.totals[key] += n
        elif dim == "hour":
            self.hour[int(key)] += n
        else:
            getattr(self, dim)[key] += n

    def add(self, other: Counts) -> None:
        for name in (
            "totals",
            "tier",
            "destination",
            "reason",
            "hour",
            "leads",
            "appointments",
            "scores",
            "served_at",
            "left_at",
        ):
            getattr(self, name).update(getattr(other, name))
        for code, minutes in other.waited.items():
            self.waited[code].update(minutes)

    def figures(self, day: str) -> dict[str, Any]:
        """The shape of lobby_tui.domain.figures.day_figures, key for key."""
        c = self.totals
        total = c["visits"]
        diverted = sum(self.destination[d] for d in DIVERTED)
        referred = {"served": c["ref_served"], "left": c["ref_left"], "waiting": c["ref_waiting"]}
        return {
            "date": day,
            "visits": total,
            "by_tier": {code: self.tier[code] for code in TIER_CODES},
            "by_destination": {code: self.destination[code] for code in DESTINATION_CODES},
            "by_reason": {code: self.reason[code] for code in REASON_CODES},
            "by_hour": {f"{h:02d}": self.hour[h] for h in range(24)},
            "quality_customers": c["quality"],
            "potential_quality": c["potential"],
            "referrals": c["referrals"],
            "diversion_rate": round(diverted / total, 4) if total else 0.0,
            "overrides": c["overrides"],
            "redirected": c["redirected"],
            "left_without_service": c["left"],
            "served": c["served"],
            "account_manager_referrals": sum(referred.values()),
            "referral_outcomes": {key: referred[key] for key in REFERRAL_OUTCOMES},
            "waits": waits_figures({k: dict(v) for k, v in self.waited.items()}, self.served_at, self.left_at),
            "leads": {key: self.leads[key] for key in LEAD_KEYS},
            "appointments": {key: self.appointments[key] for key in APPOINTMENT_KEYS},
            "satisfaction": merge_satisfaction([{"by_score": dict(self.scores)}]),
        }


def known_branches(conn: Any) -> list[str]:
    with conn.cursor() as cur:
        cur.execute("SELECT code FROM branches ORDER BY code")
        return [r[0] for r in cur.fetchall()]


def count_visits(cur: Any, where: str, params: dict[str, Any]) -> dict[tuple[str, str], Counts]:
    """The counts of the visits that `where` (SQL on visits, after AND) picks, per branch and day."""
    out: dict[tuple[str, str], Counts] = defaultdict(Counts)
    cur.execute(FIGURES_SQL.format(where=where), {**params, "outcomes": list(COUNTED_OUTCOMES)})
    for code, day, g, t, d, r, h, n, *totals in cur.fetchall():
        counts = out[(code, day)]
        if g == SET_TOTALS:
            counts.totals.update(dict(zip(TOTALS, (n, *totals), strict=True)))
        elif g == SET_TIER:
            counts.tier[t] += n
        elif g == SET_DESTINATION and d is not None:
            counts.destination[d] += n
        elif g == SET_REASON:
            counts.reason[r] += n
        elif g == SET_HOUR:
            counts.hour[int(h)] += n
    return out


def refresh_counts(cur: Any, branch: str, days: list[str]) -> None:
    """Recount `branch`'s `days` into visit_counts, inside the caller's transaction (the one that
    wrote those visits). The caller holds the branch's advisory lock (sync.py), so two runs of one
    branch never recount the same day at once."""
    cur.execute("DELETE FROM visit_counts WHERE branch = %s AND day = ANY(%s::date[])", (branch, days))
    counts = count_visits(
        cur, "AND branch = %(branch)s AND day = ANY(%(days)s::date[])", {"branch": branch, "days": days}
    )
    rows = [(code, day, dim, key, n) for (code, day), c in counts.items() for dim, key, n in c.rows() if n]
    if rows:
        cur.executemany("INSERT INTO visit_counts (branch, day, dim, key, n) VALUES (%s, %s, %s, %s, %s)", rows)


def branch_day_counts(conn: Any, start: str, end: str, branch: str | None = None) -> dict[tuple[str, str], Counts]:
    """visit_counts from `start` to `end`, per branch and day."""
    sql = "SELECT branch, day::text, dim, key, n FROM visit_counts WHERE day BETWEEN %s AND %s"
    params: list[Any] = [start, end]
    if branch is not None:
        sql += " AND branch = %s"
        params.append(branch)
    out: dict[tuple[str, str], Counts] = defaultdict(Counts)
    with conn.cursor() as cur:
        cur.execute(sql, params)
        for code, day, dim, key, n in cur:
            out[(code, day)].put(dim, key, n)
    conn.commit()
    return out


def _rows_in(conn: Any, sql: str, start: str, end: str, branch: str | None) -> list[tuple[Any, ...]]:
    """The rows of `sql` (days BETWEEN %s AND %s, then {branch}: every branch, or only `branch`)."""
    params: list[Any] = [start, end] + ([branch] if branch is not None else [])
    with conn.cursor() as cur:
        cur.execute(sql.format(branch=" AND branch = %s" if branch is not None else ""), params)
        rows: list[tuple[Any, ...]] = cur.fetchall()
    conn.commit()
    return rows


LEAD_KEYS = ("made", "taken", "contacted_within_day", "converted")
# lobby_tui.domain.figures.lead_figures in SQL: the leads made each day, counted by that day (a lead's
# later progress changes its row, which sync upserts, so these are read when asked, not kept).
LEADS_SQL = (
    "SELECT branch, created_day::text, count(*), count(taken_ts), "
    "count(*) FILTER (WHERE coalesce(contacted_ts, closed_ts)::timestamptz - created_ts::timestamptz "
    "<= interval '1 day'), count(*) FILTER (WHERE status = 'converted') "
    "FROM leads WHERE created_day BETWEEN %s AND %s{branch} GROUP BY 1, 2"
)


def add_lead_counts(conn: Any, counts: dict[tuple[str, str], Counts], start: str, end: str, branch: str | None) -> None:
    for code, day, *numbers in _rows_in(conn, LEADS_SQL, start, end, branch):
        counts[(code, day)].leads.update(dict(zip(LEAD_KEYS, numbers, strict=True)))


APPOINTMENT_KEYS = ("booked", "arrived", "late", "no_show")
# lobby_tui.domain.appointments.appointment_figures in SQL, per branch and the appointment's day (still
# booked once its day is over counts as a no-show, as at the branch).
APPOINTMENTS_SQL = (
    "SELECT branch, day::text, count(*), count(*) FILTER (WHERE status = 'arrived'), "
    "count(*) FILTER (WHERE status = 'arrived' AND late = 1), "
    "count(*) FILTER (WHERE status = 'no_show' OR (status = 'booked' AND day < CURRENT_DATE)) "
    "FROM appointments WHERE status != 'cancelled' AND day BETWEEN %s AND %s{branch} GROUP BY 1, 2"
)


def add_appointment_counts(
    conn: Any, counts: dict[tuple[str, str], Counts], start: str, end: str, branch: str | None
) -> None:
    for code, day, *numbers in _rows_in(conn, APPOINTMENTS_SQL, start, end, branch):
        counts[(code, day)].appointments.update(dict(zip(APPOINTMENT_KEYS, numbers, strict=True)))


# The customers' ratings (issue 11), by the rating's day as at the branch (lobby_tui.store.feedback).
FEEDBACK_SQL = (
    "SELECT branch, day::text, score, count(*) FROM feedback WHERE day BETWEEN %s AND %s{branch} GROUP BY 1, 2, 3"
)


def add_feedback_counts(
    conn: Any, counts: dict[tuple[str, str], Counts], start: str, end: str, branch: str | None
) -> None:
    for code, day, score, n in _rows_in(conn, FEEDBACK_SQL, start, end, branch):
        counts[(code, day)].scores[str(score)] += n


# The visits' waits (issue 11): each served or left visit's destination and times, for
# lobby_tui.domain.figures' own rule (minutes_between, waits_figures), so head office agrees to the minute.
WAITS_SQL = (
    "SELECT branch, day::text, destination, outcome, coalesce(confirmed_ts, ts), coalesce(called_ts, outcome_ts) "
    "FROM visits WHERE outcome IN ('served', 'left') AND destination IS NOT NULL AND day BETWEEN %s AND %s{branch}"
)


def add_wait_counts(conn: Any, counts: dict[tuple[str, str], Counts], start: str, end: str, branch: str | None) -> None:
    for code, day, destination, outcome, since, until in _rows_in(conn, WAITS_SQL, start, end, branch):
        mine = counts[(code, day)]
        if outcome == "left":
            mine.left_at[destination] += 1
            continue
        mine.served_at[destination] += 1
        minutes = minutes_between(since, until)
        if minutes is not None:
            mine.waited[destination][str(minutes)] += 1


def day_report(conn: Any, start: str, end: str, branch: str | None = None) -> list[dict[str, Any]]:
    """For each day from `start` to `end`: the figures of all branches (or of `branch`), with
    "branches": each branch's own figures (every branch head office knows, zeros included)."""
    counts = branch_day_counts(conn, start, end, branch)
    add_lead_counts(conn, counts, start, end, branch)
    add_appointment_counts(conn, counts, start, end, branch)
    add_wait_counts(conn, counts, start, end, branch)
    add_feedback_counts(conn, counts, start, end, branch)
    codes = [branch] if branch is not None else sorted(set(known_branches(conn)) | {code for code, _ in counts})
    report = []
    for day in days_between(start, end):
        everyone = Counts()
        per_branch = {}
        for code in codes:
            mine = counts.get((code, day), Counts())
            everyone.add(mine)
            per_branch[code] = mine.figures(day)
        report.append({**everyone.figures(day), "branches": per_branch})
    return report
