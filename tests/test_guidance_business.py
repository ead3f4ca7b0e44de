"""Guidance by the visit's business, not only the tier (issue 10): sales conversations, potential
quality and the tier once other banks' assets count, complaints, cash limits and large cash,
leads, talking points by business x tier - every rule and every boundary, and the file's checks."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from lobby_tui.domain.errors import RulesError
from lobby_tui.domain.guidance import recommend
from lobby_tui.domain.rules import REASON_CODES, TIER_CODES, data_dir, guidance_rules, load_guidance_rules, tier_table
from lobby_tui.domain.tiers import talking_points

D = Decimal
GUIDANCE_TEXT = (data_dir() / "guidance.toml").read_text(encoding="utf-8")
QUALITY_TIERS = ("private_banking", "high_end", "mid_end")
BELOW_QUALITY = ("mass_affluent", "potential", "ordinary")
SALES = ("wealth_products", "insurance", "loans")
ROUTINE = tuple(r for r in REASON_CODES if r not in (*SALES, "complaint", "foreign_exchange"))


def setting(key: str) -> Decimal:
    return D(guidance_rules().settings[key])


def both(rec, zh: str, en: str) -> None:  # type: ignore[no-untyped-def]
    assert zh in rec.why["zh"], rec.why["zh"]
    assert en in rec.why["en"], rec.why["en"]


# ---------------------------------------------------------------- the shipped settings


def test_the_settings_the_issue_names() -> None:
    assert setting("self_service_cash_limit") == 20000  # the ATM's daily limit per card
    assert setting("large_cash_line") == 50000
    assert guidance_rules().settings["sales_tiers"] == ["mass_affluent"]
    assert guidance_rules().destinations["duty_manager"].label == {"zh": "值班主管", "en": "Duty manager"}
    assert not guidance_rules().destinations["duty_manager"].queue
    assert {r.code for r in guidance_rules().reasons if r.sales} == set(SALES)
    assert guidance_rules().reason("foreign_exchange").sales_above == "fx_sales_line"


# ---------------------------------------------------------------- mass affluent: sales conversations


@pytest.mark.parametrize("reason", SALES)
def test_a_mass_affluent_sales_conversation_meets_an_account_manager(reason: str) -> None:
    rec = recommend("mass_affluent", reason)
    assert rec.destination == "account_manager" and rec.rule == "sales" and rec.sales
    assert not rec.lead  # they meet one now; only quality and potential quality make leads
    both(rec, "营销商机", "sales conversation")
    both(rec, "客户经理", "Account manager")


@pytest.mark.parametrize("reason", ROUTINE)
def test_mass_affluent_routine_business_is_diverted_like_everyone_elses(reason: str) -> None:
    assert recommend("mass_affluent", reason).destination == recommend("ordinary", reason).destination
    assert recommend("mass_affluent", reason).rule != "sales"


@pytest.mark.parametrize("tier", ("potential", "ordinary"))
@pytest.mark.parametrize("reason", SALES)
def test_below_the_sales_tiers_a_sales_reason_is_diverted(tier: str, reason: str) -> None:
    rec = recommend(tier, reason)
    assert rec.destination != "account_manager" or guidance_rules().reason(reason).counter == "account_manager"
    assert rec.rule != "sales"


def test_foreign_exchange_is_a_sales_conversation_only_above_the_line() -> None:
    line = setting("fx_sales_line")
    assert recommend("mass_affluent", "foreign_exchange").destination == "e_banking"
    assert recommend("mass_affluent", "foreign_exchange", line).destination == "e_banking"
    above = recommend("mass_affluent", "foreign_exchange", line + D("0.01"))
    assert above.destination == "account_manager" and above.rule == "sales"
    assert recommend("ordinary", "foreign_exchange", line + D("0.01")).destination == "e_banking"


def test_a_target_for_mass_affluent_once_other_banks_count_gets_the_sales_meeting() -> None:
    rec = recommend("potential", "wealth_products", tier_with_other_assets="mass_affluent")
    assert rec.destination == "account_manager" and rec.rule == "sales"
    both(rec, "大众富裕客户", "Mass affluent")
    assert recommend("potential", "cash_withdrawal", tier_with_other_assets="mass_affluent").destination == (
        "self_service"
    )


# ---------------------------------------------------------------- potential quality and the other tier


@pytest.mark.parametrize("tier", BELOW_QUALITY)
@pytest.mark.parametrize("reason", [r for r in REASON_CODES if r != "complaint"])
def test_potential_quality_always_makes_a_lead_whatever_the_business(tier: str, reason: str) -> None:
    rec = recommend(tier, reason, tier_with_other_assets="mid_end")
    assert rec.lead and rec.rule in ("potential_quality", "long_queue")
    r = guidance_rules().reason(reason)
    assert rec.destination == ("account_manager" if r.sales else r.quality)
    if rec.destination != "account_manager":
        both(rec, "已为客户经理登记跟进线索", "A lead is recorded for an account manager")
    both(rec, "他行资产计入后属中端客户", "With assets at other banks counted: Mid-end")


def test_the_flag_alone_still_means_potential_quality() -> None:
    rec = recommend("mass_affluent", "cash_withdrawal", potential_quality=True)
    assert rec.lead and rec.destination == "priority_counter" and rec.rule == "potential_quality"


def test_potential_quality_foreign_exchange_above_the_line_meets_an_account_manager() -> None:
    line = setting("fx_sales_line")
    assert recommend("ordinary", "foreign_exchange", line + 1, potential_quality=True).destination == (
        "account_manager"
    )
    assert recommend("ordinary", "foreign_exchange", line, potential_quality=True).destination == "priority_counter"


def test_5_wan_here_and_900_wan_elsewhere_is_a_target_for_the_high_end_referral() -> None:
    rec = recommend("mass_affluent", "cash_withdrawal", D(1000), tier_with_other_assets="high_end")
    assert rec.refer_to == "wealth_management_centre" and rec.lead
    both(rec, "财富管理中心", "Wealth management centre")
    both(rec, "他行资产计入后属高端客户，是竞争目标", "High-end, a competition target")
    pb = recommend("ordinary", "transfer", tier_with_other_assets="private_banking")
    assert pb.refer_to == "private_banking" and pb.lead


def test_a_lower_tier_with_other_assets_changes_nothing() -> None:
    assert recommend("high_end", "transfer", tier_with_other_assets="ordinary") == recommend("high_end", "transfer")


# ---------------------------------------------------------------- quality customers and leads


@pytest.mark.parametrize("tier", QUALITY_TIERS)
def test_every_quality_customer_visit_adds_to_a_lead(tier: str) -> None:
    for reason in REASON_CODES:
        assert recommend(tier, reason).lead


@pytest.mark.parametrize("tier", BELOW_QUALITY)
def test_no_lead_below_quality_without_other_banks_assets(tier: str) -> None:
    for reason in REASON_CODES:
        assert not recommend(tier, reason, D(100)).lead


def test_who_makes_a_lead_is_data(tmp_path: Path) -> None:
    text = GUIDANCE_TEXT.replace('lead_for = ["quality", "potential_quality"]', 'lead_for = ["potential_quality"]', 1)
    path = tmp_path / "guidance.toml"
    path.write_text(text, encoding="utf-8")
    rules = load_guidance_rules(path)
    assert not recommend("mid_end", "transfer", rules=rules).lead
    assert recommend("ordinary", "transfer", potential_quality=True, rules=rules).lead


# ---------------------------------------------------------------- complaints


@pytest.mark.parametrize("tier", TIER_CODES)
def test_a_complaint_goes_to_the_duty_manager_whatever_the_tier(tier: str) -> None:
    for other in (None, "private_banking"):
        rec = recommend(tier, "complaint", tier_with_other_assets=other, waiting={"duty_manager": 99})
        assert rec.destination == "duty_manager" and rec.rule == "every_tier"
        both(rec, "值班主管", "Duty manager")
        both(rec, "不分客户层级", "whatever the customer's tier")


# ---------------------------------------------------------------- cash


@pytest.mark.parametrize("tier", BELOW_QUALITY)
@pytest.mark.parametrize("reason", ("cash_withdrawal", "cash_deposit"))
def test_the_self_service_cash_limit_boundary(tier: str, reason: str) -> None:
    limit = setting("self_service_cash_limit")
    assert recommend(tier, reason, limit).destination == "self_service"
    over = recommend(tier, reason, limit + D("0.01"))
    assert over.destination == "cash_counter" and over.rule == "over_limit"
    both(over, "20,000", "20,000")


def test_a_5_wan_withdrawal_goes_to_a_counter_and_checks_for_a_booking() -> None:
    rec = recommend("ordinary", "cash_withdrawal", D(50000))
    assert rec.destination == "cash_counter" and rec.check_booking
    both(rec, "大额取现（50,000元及以上）", "Large cash (50,000 CNY or more)")


@pytest.mark.parametrize("tier", TIER_CODES)
def test_the_large_cash_line_boundary(tier: str) -> None:
    line = setting("large_cash_line")
    assert recommend(tier, "cash_withdrawal", line).check_booking
    assert recommend(tier, "cash_withdrawal", line + 1).check_booking
    below = recommend(tier, "cash_withdrawal", line - D("0.01"))
    assert not below.check_booking and "预约" not in below.why["zh"] and "booked" not in below.why["en"]
    assert not recommend(tier, "cash_withdrawal").check_booking  # no amount typed yet
    assert not recommend(tier, "cash_deposit", line * 2).check_booking  # withdrawals only


def test_a_quality_customers_large_withdrawal_keeps_priority_and_checks_the_booking() -> None:
    rec = recommend("mid_end", "cash_withdrawal", D(80000))
    assert rec.destination == "priority_counter" and rec.check_booking and rec.lead


# ---------------------------------------------------------------- talking points: business x tier


def test_a_wealth_enquiry_gets_wealth_talking_points() -> None:
    rules = guidance_rules()
    for tier in TIER_CODES:
        points = talking_points(tier, "zh", reason="wealth_products")
        row = {
            p
            for column in rules.talking["wealth_products"].columns
            for p in tier_table().tier(tier).entitlements[column]["zh"]
        }
        assert points and set(points) <= row, (tier, points)
    assert talking_points("high_end", "en", reason="wealth_products") != talking_points(
        "mass_affluent", "en", reason="wealth_products"
    )


def test_a_card_loss_gets_the_e_channel_that_would_have_stopped_it() -> None:
    for lang, word in (("zh", "手机银行"), ("en", "mobile banking")):
        points = talking_points("ordinary", lang, reason="loss_report")
        assert word in points[0]
    assert talking_points("mid_end", "zh", reason="loss_report") != talking_points("mid_end", "zh")


@pytest.mark.parametrize("tier", TIER_CODES)
@pytest.mark.parametrize("reason", (None, *REASON_CODES))
def test_talking_points_for_every_tier_and_reason(tier: str, reason: str | None) -> None:
    zh = talking_points(tier, "zh", reason=reason)
    en = talking_points(tier, "en", reason=reason)
    assert 1 <= len(zh) <= 3 and len(zh) == len(en)
    assert len(set(zh)) == len(zh)


# ---------------------------------------------------------------- the file's checks


def _refused(tmp_path: Path, old: str, new: str, where: str) -> RulesError:
    assert old in GUIDANCE_TEXT, old
    path = tmp_path / "guidance.toml"
    path.write_text(GUIDANCE_TEXT.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(RulesError) as info:
        load_guidance_rules(path)
    assert info.value.params["where"] == where, str(info.value)
    assert str(path) in info.value.message("zh")
    return info.value


@pytest.mark.parametrize(
    ("old", "new", "where"),
    [
        ('large_cash_line = "50000"', 'large_cash_line = "lots"', "settings.large_cash_line"),
        ('fx_sales_line = "50000"', "fx_sales_line = 5", "settings.fx_sales_line"),
        ('sales_tiers = ["mass_affluent"]', 'sales_tiers = ["gold"]', "settings.sales_tiers"),
        ('lead_for = ["quality", "potential_quality"]', 'lead_for = ["vip"]', "settings.lead_for"),
        ("queue = false", 'queue = "no"', "destination.duty_manager.queue"),
        ('every_tier = "duty_manager"', 'every_tier = "manager"', "reason.complaint.every_tier"),
        ('booking_line = "large_cash_line"', 'booking_line = "big"', "reason.cash_withdrawal.booking_line"),
        ('sales_above = "fx_sales_line"', 'sales_above = "fx"', "reason.foreign_exchange.sales_above"),
        ('code = "loans"\nsales = true', 'code = "loans"\nsales = "yes"', "reason.loans.sales"),
        (
            'code = "loans"\nsales = true',
            'code = "loans"\nsales = true\nsales_above = "fx_sales_line"',
            "reason.loans.sales_above",
        ),
        ("[talking.loss_report]", "[talking.lost_card]", "talking.lost_card"),
        (
            'columns = ["e_channels"]\n[talking.card',
            'columns = ["brand"]\n[talking.card',
            "talking.loss_report.columns",
        ),
        ("[talking.complaint]\ntext = {", "[talking.complaint]\nnotext = {", "talking.complaint"),
        ("large_cash = {", "large_cash_x = {", "why.large_cash"),
        ("{line} CNY or more", "{amount} CNY or more", "why.large_cash.en"),
    ],
)
def test_bad_business_rules_are_refused_with_the_key(tmp_path: Path, old: str, new: str, where: str) -> None:
    _refused(tmp_path, old, new, where)
