"""Wait estimates per destination (issue 11): pure arithmetic, no store and no screen.

A destination's service time comes from the branch's own history: the minutes from a ticket's call
to its done, at the same weekday and hour in the weeks before, the most recent week weighing most
(each week back counts half as much as the one after it), pulled toward a prior (the destination's
`service_minutes` in data/guidance.toml) as if the prior were PRIOR_WEIGHT recent tickets, so a
branch with no history gets the prior and a branch with a few odd tickets is not thrown by them.

The wait itself: the open windows each serve one customer at a time; a window serving a called
ticket is free once its expected remaining time has passed (never less than a fifth of a service);
a window whose state is unknown while people wait is taken to be half-way through one. The
customers ahead go, in order, to whichever window frees first; the new customer's wait is when a
window frees after them. No window open (the destination closed): no estimate (None).

`naive_wait` is the estimate the back-test compares against (benchmarks/wait_backtest.py): queue
length times the average service time.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

PRIOR_WEIGHT = 3.0  # the prior counts as this many tickets of the most recent week
WEEK_DECAY = 0.5  # each week further back weighs this much of the week after it
MIN_REMAINING = 0.2  # a called ticket's expected remaining time, at least this share of a service


@dataclass(frozen=True)
class ServiceSample:
    """Tickets served at a destination in one past week (at the weekday and hour in question)."""

    weeks_ago: int  # 1 = last week
    n: int  # tickets called and done
    mean_minutes: float  # their mean minutes from call to done


def service_minutes(samples: Iterable[ServiceSample], prior: float) -> float:
    """The expected minutes of one service: the weighted history pulled toward `prior`."""
    weight, total = PRIOR_WEIGHT, PRIOR_WEIGHT * prior
    for s in samples:
        if s.n <= 0 or s.weeks_ago < 1:
            continue
        w = s.n * WEEK_DECAY ** (s.weeks_ago - 1)
        weight += w
        total += w * s.mean_minutes
    return total / weight


def estimate_wait(
    ahead: int,
    windows: int,
    service: float,
    in_service: Sequence[float] = (),
) -> float | None:
    """Minutes a customer joining the queue now should wait before being called.

    `ahead`: customers waiting (not yet called) before them; `windows`: windows open; `service`: the
    expected minutes of one service (service_minutes); `in_service`: minutes since each ticket now
    being served was called. None when no window is open.
    """
    if windows <= 0:
        return None
    ahead = max(0, ahead)
    service = max(service, 0.0)
    free_at = [max(service - elapsed, MIN_REMAINING * service) for elapsed in sorted(in_service, reverse=True)]
    free_at = sorted(free_at)[:windows]
    unknown = windows - len(free_at)
    if ahead > 0:
        # People wait although windows are not known to be busy: they are, half-way through a service.
        free_at += [service / 2] * unknown
    else:
        free_at += [0.0] * unknown
    heapq.heapify(free_at)
    for _ in range(ahead):
        t = heapq.heappop(free_at)
        heapq.heappush(free_at, t + service)
    return free_at[0]


def naive_wait(ahead: int, service: float) -> float:
    """The bare estimate: the queue ahead times the average service (no windows, no calls)."""
    return max(0, ahead) * service


def whole_minutes(minutes: float | None) -> int | None:
    """An estimate as shown: whole minutes, rounded (None stays None: closed)."""
    return None if minutes is None else int(minutes + 0.5)


def percentile(sorted_values: Sequence[float], share: float) -> float | None:
    """The value at `share` (0..1) of sorted values, nearest rank; None for no values."""
    if not sorted_values:
        return None
    rank = min(max(1, math.ceil(share * len(sorted_values) - 1e-9)), len(sorted_values))
    return sorted_values[rank - 1]
