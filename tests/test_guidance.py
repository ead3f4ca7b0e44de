"""recommend (manual §3, §4.6): where each customer goes, the referral on, and why in both languages."""

from __future__ import annotations

from decimal import Decimal

import pytest

from lobby_tui.domain.guidance import recommend
from lobby_tui.domain.rules import (
    DESTINATION_CODES,
    REASON_CODES,
    TIER_CODES,
    guidance_rules,
)

D = Decimal
QUALITY_TIERS = ("private_banking", "high_end", "mid_end")
NON_QUALITY_TIERS = ("mass_affluent", "potential", "ordinary")


def rules():
    return guidance_rules()


def long_queue() -> int:
    return rules().settings["long_queue"]


def cash_limit() -> Decimal:
    return D(rules().settings["self_service_cash_limit"])


def dest_label(code: str, lang: str) -> str:
    return rules().destinations[code].label[lang]


# ---------------------------------------------------------------- quality customers


ROUTED_BY_TIER = [r for r in REASON_CODES if not guidance_rules().reason(r).every_tier]


@pytest.mark.parametrize("tier", QUALITY_TIERS)
@pytest.mark.parametrize("reason", ROUTED_BY_TIER)
def test_quality_customers_go_to_the_reasons_quality_destination(tier: str, reason: str) -> None:
    rec = recommend(tier, reason)
    assert rec.destination == rules().reason(reason).quality
    assert dest_label(rec.destination, "zh") in rec.why["zh"]
    assert dest_label(rec.destination, "en") in rec.why["en"]
    assert "优质客户" in rec.why["zh"]
    assert "quality customer" in rec.why["en"]


@pytest.mark.parametrize("tier", QUALITY_TIERS)
def test_quality_customers_go_to_priority_even_with_a_large_cash_amount(tier: str) -> None:
    rec = recommend(tier, "cash_withdrawal", D("5000000"))
    assert rec.destination == "priority_counter"


def test_private_banking_is_referred_to_private_banking() -> None:
    rec = recommend("private_banking", "cash_withdrawal")
    assert rec.refer_to == "private_banking"
    assert "私人银行" in rec.why["zh"]
    assert "Refer on to Private banking" in rec.why["en"]


def test_high_end_is_referred_to_the_wealth_management_centre() -> None:
    rec = recommend("high_end", "transfer", D(100))
    assert rec.refer_to == "wealth_management_centre"
    assert "财富管理中心" in rec.why["zh"]
    assert "Wealth management centre" in rec.why["en"]


@pytest.mark.parametrize("tier", ("mid_end", *NON_QUALITY_TIERS))
def test_no_referral_below_high_end(tier: str) -> None:
    for reason in REASON_CODES:
        rec = recommend(tier, reason)
        assert rec.refer_to is None
        assert "Refer on" not in rec.why["en"]
        assert "推介" not in rec.why["zh"]


# ---------------------------------------------------------------- potential quality


@pytest.mark.parametrize("tier", NON_QUALITY_TIERS)
@pytest.mark.parametrize("reason", ROUTED_BY_TIER)
def test_potential_quality_goes_to_the_quality_destination(tier: str, reason: str) -> None:
    rec = recommend(tier, reason, potential_quality=True)
    r = rules().reason(reason)
    assert rec.destination == ("account_manager" if r.sales else r.quality)
    assert rec.lead
    assert "他行" in rec.why["zh"]
    assert "other banks" in rec.why["en"]
    assert dest_label(rec.destination, "zh") in rec.why["zh"]
    assert dest_label(rec.destination, "en") in rec.why["en"]


# ---------------------------------------------------------------- diversion of the rest


@pytest.mark.parametrize("tier", NON_QUALITY_TIERS)
def test_cash_withdrawal_is_diverted_to_self_service(tier: str) -> None:
    for amount in (None, D(100), cash_limit() - D("0.01")):
        rec = recommend(tier, "cash_withdrawal", amount)
        assert rec.destination == "self_service"
        assert rec.refer_to is None
        assert "自助银行" in rec.why["zh"]
        assert "Self-service" in rec.why["en"]


@pytest.mark.parametrize("tier", NON_QUALITY_TIERS)
def test_cash_at_exactly_the_limit_stays_self_service(tier: str) -> None:
    assert recommend(tier, "cash_withdrawal", cash_limit()).destination == "self_service"
    assert recommend(tier, "cash_deposit", cash_limit()).destination == "self_service"


@pytest.mark.parametrize("tier", NON_QUALITY_TIERS)
def test_cash_above_the_limit_goes_to_the_cash_counter(tier: str) -> None:
    for reason in ("cash_withdrawal", "cash_deposit"):
        rec = recommend(tier, reason, cash_limit() + D("0.01"))
        assert rec.destination == "cash_counter"
        shown = f"{cash_limit():,.0f}"
        assert shown in rec.why["zh"] and "限额" in rec.why["zh"]
        assert shown in rec.why["en"] and "over the" in rec.why["en"]
        assert "现金柜台" in rec.why["zh"]


def test_transfer_limit_is_the_e_banking_limit() -> None:
    limit = D(rules().settings["e_banking_limit"])
    assert recommend("ordinary", "transfer", limit).destination == "e_banking"
    over = recommend("ordinary", "transfer", limit + D("0.01"))
    assert over.destination == "non_cash_counter"
    assert "500,000" in over.why["en"]
    assert recommend("ordinary", "foreign_exchange", limit + 1).destination == "non_cash_counter"


def test_business_without_a_limit_goes_to_a_channel_whatever_the_amount() -> None:
    assert recommend("ordinary", "bill_payment", D("9000000")).destination == "self_service"
    assert recommend("ordinary", "balance_statement").destination == "self_service"
    assert recommend("ordinary", "loss_report").destination == "e_banking"


@pytest.mark.parametrize("tier", NON_QUALITY_TIERS)
def test_account_opening_is_counter_only(tier: str) -> None:
    rec = recommend(tier, "account_opening")
    assert rec.destination == "non_cash_counter"
    assert "须在柜台办理" in rec.why["zh"]
    assert "in person" in rec.why["en"]


@pytest.mark.parametrize("reason", [r for r in REASON_CODES if not guidance_rules().reason(r).channels])
def test_reasons_without_channels_go_to_their_counter(reason: str) -> None:
    rec = recommend("ordinary", reason)
    assert rec.destination == rules().reason(reason).counter


@pytest.mark.parametrize(
    "reason", [r for r in REASON_CODES if guidance_rules().reason(r).channels and not guidance_rules().reason(r).sales]
)
def test_reasons_with_channels_go_to_the_first_channel(reason: str) -> None:
    rec = recommend("mass_affluent", reason)
    assert rec.destination == rules().reason(reason).channels[0]
    assert rules().destinations[rec.destination].counter is False


# ---------------------------------------------------------------- long queues


def test_long_queue_at_the_priority_counter_turns_a_potential_quality_customer_to_a_channel() -> None:
    rec = recommend("ordinary", "cash_withdrawal", potential_quality=True, waiting={"priority_counter": long_queue()})
    assert rec.destination == "self_service"
    assert "排队较长" in rec.why["zh"]
    assert "queue is long" in rec.why["en"]


def test_one_below_the_long_queue_does_not_turn() -> None:
    rec = recommend(
        "ordinary", "cash_withdrawal", potential_quality=True, waiting={"priority_counter": long_queue() - 1}
    )
    assert rec.destination == "priority_counter"
    assert "queue" not in rec.why["en"]


def test_long_queue_does_not_turn_business_the_channel_cannot_take() -> None:
    over = cash_limit() + 1
    rec = recommend(
        "ordinary", "cash_withdrawal", over, potential_quality=True, waiting={"priority_counter": long_queue() * 10}
    )
    assert rec.destination == "priority_counter"
    rec = recommend("ordinary", "cash_withdrawal", over, waiting={"cash_counter": long_queue() * 10})
    assert rec.destination == "cash_counter"
    rec = recommend("ordinary", "account_opening", waiting={"non_cash_counter": long_queue() * 10})
    assert rec.destination == "non_cash_counter"


def test_a_long_queue_elsewhere_changes_nothing() -> None:
    rec = recommend(
        "ordinary",
        "cash_withdrawal",
        potential_quality=True,
        waiting={"cash_counter": 99, "non_cash_counter": 99, "self_service": 99},
    )
    assert rec.destination == "priority_counter"


def test_a_long_queue_never_turns_to_a_counter() -> None:
    rec = recommend("ordinary", "cash_withdrawal", waiting={"self_service": 99})
    assert rec.destination == "self_service"


def test_long_queue_does_not_take_quality_customers_off_the_priority_counter() -> None:
    # BUG (guidance.py, recommend, the `queue >= rules.settings["long_queue"]` check): a quality
    # customer at the priority counter is turned to self-service when the priority queue is long.
    # data/guidance.toml says the long-queue rule applies "for every tier except the quality
    # priority channel", and manual §4.6 sends quality customers to a priority channel.
    turned = {
        tier: recommend(tier, "cash_withdrawal", waiting={"priority_counter": long_queue()}).destination
        for tier in QUALITY_TIERS
    }
    assert turned == {tier: "priority_counter" for tier in QUALITY_TIERS}


# ---------------------------------------------------------------- alternatives, every pair


@pytest.mark.parametrize("tier", TIER_CODES)
@pytest.mark.parametrize("reason", REASON_CODES)
def test_every_tier_and_reason_gets_a_destination_and_a_reason_why(tier: str, reason: str) -> None:
    for potential_quality, with_other in ((False, None), (True, None), (False, "high_end"), (False, "private_banking")):
        for amount in (None, D(0), D("20000"), D("50000"), D("60000"), D("600000")):
            for waiting in (None, {code: long_queue() for code in DESTINATION_CODES}):
                rec = recommend(
                    tier,
                    reason,
                    amount,
                    potential_quality=potential_quality,
                    tier_with_other_assets=with_other,
                    waiting=waiting,
                )
                assert rec.destination in DESTINATION_CODES
                assert rec.refer_to in (None, "private_banking", "wealth_management_centre")
                for lang in ("zh", "en"):
                    assert rec.why[lang].strip()
                    assert "{" not in rec.why[lang] and "}" not in rec.why[lang]
                assert rec.destination not in rec.alternatives
                assert len(set(rec.alternatives)) == len(rec.alternatives)
                assert set(rec.alternatives) <= set(DESTINATION_CODES)


def test_alternatives_start_with_the_sensible_ones() -> None:
    rec = recommend("ordinary", "cash_withdrawal", cash_limit() + 1)
    assert rec.destination == "cash_counter"
    assert rec.alternatives[0] == "priority_counter"
    assert "self_service" in rec.alternatives
    assert "cash_counter" not in rec.alternatives
