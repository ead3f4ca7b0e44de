"""day_figures: a day's counts from its visits (the shape of `summary --json`)."""

from __future__ import annotations

import itertools
from decimal import Decimal

import pytest

from lobby_tui.domain.figures import day_figures
from lobby_tui.domain.models import Visit
from lobby_tui.domain.rules import DESTINATION_CODES, REASON_CODES, TIER_CODES

DAY = "2026-11-18"
_ids = itertools.count(1)


def make_visit(
    *,
    day: str = DAY,
    time: str = "10:30:00",
    tier: str | None = "ordinary",
    reason: str = "cash_withdrawal",
    destination: str | None = "self_service",
    outcome: str = "served",
    quality: bool = False,
    potential_quality: bool = False,
    refer_to: str | None = None,
    override_reason: str | None = None,
    customer_id: str | None = None,
    amount: Decimal | None = None,
) -> Visit:
    n = next(_ids)
    return Visit(
        id=f"visit-{n}",
        device_id="tablet-1",
        ts=f"{day}T{time}+08:00",
        shift_id="shift-1",
        staff_id="1001",
        customer_id=customer_id,
        tier=tier,
        quality=quality,
        potential_quality=potential_quality,
        reason=reason,
        amount=amount,
        recommended_destination=destination,
        destination=destination,
        refer_to=refer_to,
        override_reason=override_reason,
        ticket=None,
        outcome=outcome,
        outcome_ts=None,
        notes=None,
    )


def test_empty_day_is_all_zeros() -> None:
    f = day_figures(DAY, [])
    assert f["date"] == DAY
    assert f["visits"] == 0
    assert f["diversion_rate"] == 0.0
    assert isinstance(f["diversion_rate"], float)
    assert f["by_tier"] == {code: 0 for code in TIER_CODES}
    assert f["by_destination"] == {code: 0 for code in DESTINATION_CODES}
    assert f["by_reason"] == {code: 0 for code in REASON_CODES}
    assert f["by_hour"] == {f"{h:02d}": 0 for h in range(24)}
    for key in ("quality_customers", "potential_quality", "referrals", "overrides", "left_without_service", "served"):
        assert f[key] == 0, key


def test_a_day_of_visits() -> None:
    visits = [
        make_visit(time="09:05:00", tier="mid_end", quality=True, destination="priority_counter"),
        make_visit(
            time="09:40:00",
            tier="private_banking",
            quality=True,
            destination="priority_counter",
            refer_to="private_banking",
            reason="wealth_products",
        ),
        make_visit(
            time="10:15:00",
            tier="high_end",
            quality=True,
            destination="account_manager",
            refer_to="wealth_management_centre",
            reason="account_opening",
        ),
        make_visit(time="10:20:00", tier="mass_affluent", potential_quality=True, destination="priority_counter"),
        make_visit(time="10:25:00", tier="ordinary", destination="self_service"),
        make_visit(time="10:26:00", tier="potential", destination="e_banking", reason="transfer"),
        make_visit(
            time="14:00:00",
            tier="ordinary",
            destination="cash_counter",
            outcome="left",
            override_reason="customer insisted",
        ),
        make_visit(time="16:59:59", tier=None, destination="self_service", outcome="waiting", reason="bill_payment"),
    ]
    f = day_figures(DAY, visits)
    assert f["visits"] == 8
    assert f["by_tier"] == {
        "private_banking": 1,
        "high_end": 1,
        "mid_end": 1,
        "mass_affluent": 1,
        "potential": 1,
        "ordinary": 3,
    }  # an unclassified visit counts as ordinary
    assert f["by_destination"] == {
        "cash_counter": 1,
        "non_cash_counter": 0,
        "priority_counter": 3,
        "self_service": 2,
        "e_banking": 1,
        "account_manager": 1,
        "duty_manager": 0,
    }
    assert f["by_reason"]["cash_withdrawal"] == 4
    assert f["by_reason"]["wealth_products"] == 1
    assert f["by_reason"]["account_opening"] == 1
    assert f["by_reason"]["transfer"] == 1
    assert f["by_reason"]["bill_payment"] == 1
    assert sum(f["by_reason"].values()) == 8
    assert f["by_hour"]["09"] == 2
    assert f["by_hour"]["10"] == 4
    assert f["by_hour"]["14"] == 1
    assert f["by_hour"]["16"] == 1
    assert sum(f["by_hour"].values()) == 8
    assert f["quality_customers"] == 3
    assert f["potential_quality"] == 1
    assert f["referrals"] == 2
    assert f["overrides"] == 1
    assert f["left_without_service"] == 1
    assert f["served"] == 6
    assert f["diversion_rate"] == pytest.approx(3 / 8)
    assert f["diversion_rate"] == 0.375


def test_diversion_rate_is_self_service_and_e_banking_over_all_visits() -> None:
    visits = [
        make_visit(destination="self_service"),
        make_visit(destination="e_banking"),
        make_visit(destination="cash_counter"),
    ]
    assert day_figures(DAY, visits)["diversion_rate"] == round(2 / 3, 4)
    assert day_figures(DAY, visits[:2])["diversion_rate"] == 1.0
    assert day_figures(DAY, visits[2:])["diversion_rate"] == 0.0


def test_visits_without_a_destination_yet_still_count_as_visits() -> None:
    visits = [make_visit(destination=None, outcome="in_progress"), make_visit(destination="self_service")]
    f = day_figures(DAY, visits)
    assert f["visits"] == 2
    assert sum(f["by_destination"].values()) == 1
    assert f["diversion_rate"] == 0.5


def test_cancelled_visits_are_not_counted_anywhere() -> None:
    cancelled = make_visit(
        outcome="cancelled",
        tier="private_banking",
        quality=True,
        refer_to="private_banking",
        destination="self_service",
        override_reason="slip",
        reason="complaint",
        time="08:00:00",
        potential_quality=True,
    )
    kept = make_visit(destination="cash_counter")
    f = day_figures(DAY, [cancelled, kept])
    assert f["visits"] == 1
    assert f["by_tier"]["private_banking"] == 0
    assert f["by_destination"]["self_service"] == 0
    assert f["by_reason"]["complaint"] == 0
    assert f["by_hour"]["08"] == 0
    assert f["quality_customers"] == f["potential_quality"] == f["referrals"] == f["overrides"] == 0
    assert f["diversion_rate"] == 0.0
    assert day_figures(DAY, [cancelled]) == day_figures(DAY, [])


@pytest.mark.parametrize("outcome", ["in_progress", "waiting", "served", "left", "redirected"])
def test_every_other_outcome_counts(outcome: str) -> None:
    assert day_figures(DAY, [make_visit(outcome=outcome)])["visits"] == 1


def test_other_days_are_ignored() -> None:
    visits = [
        make_visit(day="2026-11-17", time="23:59:59"),
        make_visit(day=DAY, time="00:00:00"),
        make_visit(day="2026-11-19", time="00:00:00", quality=True),
    ]
    f = day_figures(DAY, visits)
    assert f["visits"] == 1
    assert f["by_hour"]["00"] == 1
    assert f["by_hour"]["23"] == 0
    assert f["quality_customers"] == 0
    assert day_figures("2026-11-17", visits)["by_hour"]["23"] == 1


def test_counts_visits_not_customers() -> None:
    same = [
        make_visit(customer_id="c-1", quality=True, tier="mid_end", destination="priority_counter") for _ in range(3)
    ]
    f = day_figures(DAY, same)
    assert f["visits"] == 3
    assert f["quality_customers"] == 3


def test_accepts_any_iterable_once() -> None:
    visits = (make_visit() for _ in range(4))
    assert day_figures(DAY, visits)["visits"] == 4


def _trend_of_three_days() -> list[dict]:
    """Day 1: 3 visits, all diverted; day 2: closed (no visits); day 3: 297 visits, none diverted."""
    from lobby_tui.domain.figures import trend_figures

    visits = [make_visit(day="2026-11-16", destination="self_service") for _ in range(3)]
    visits += [make_visit(day="2026-11-18", destination="cash_counter", quality=True) for _ in range(297)]
    return trend_figures("2026-11-16", "2026-11-18", visits)


def test_trend_averages_count_the_days_with_visits_only() -> None:
    from lobby_tui.domain.figures import trend_average

    trend = _trend_of_three_days()
    assert [day["visits"] for day in trend] == [3, 0, 297]
    assert trend_average(trend, "visits") == 150  # (3 + 297) / 2 open days, not / 3 days
    assert trend_average(trend, "quality_customers") == 148.5
    assert trend_average([], "visits") == 0.0 and trend_average(trend[1:2], "visits") == 0.0


def test_trend_diversion_average_is_weighted_by_visits() -> None:
    from lobby_tui.domain.figures import range_figures, trend_average

    trend = _trend_of_three_days()
    assert [day["diversion_rate"] for day in trend] == [1.0, 0.0, 0.0]
    assert trend_average(trend, "diversion_rate") == 3 / 300  # not (1.0 + 0.0) / 2 = 50%
    visits = [make_visit(day="2026-11-16", destination="self_service") for _ in range(3)]
    visits += [make_visit(day="2026-11-18", destination="cash_counter") for _ in range(297)]
    assert (
        round(trend_average(trend, "diversion_rate"), 4)
        == range_figures("2026-11-16", "2026-11-18", visits)["diversion_rate"]
    )


def test_the_trend_chart_shows_those_averages() -> None:
    from rich.console import Console

    from lobby_tui.report import trend_chart

    console = Console(width=60, record=True)
    console.print(trend_chart(_trend_of_three_days(), "diversion_rate", "en"))
    console.print(trend_chart(_trend_of_three_days(), "visits", "en"))
    text = console.export_text()
    assert "average 1.0%" in text and "average 150.0" in text, text


def test_the_potential_quality_figure_is_not_called_leads() -> None:
    """It counts visits flagged potential quality; the leads (a table of their own) have their own charts."""
    from lobby_tui.i18n import tr

    for key in ("trend.potential_quality", "summary.potential_quality"):
        assert "lead" not in tr(key, "en").lower() and "线索" not in tr(key, "zh")
        assert tr(key, "en") == "Potential quality" and tr(key, "zh") == "潜在优质客户"
