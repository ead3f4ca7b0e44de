"""`lobby-tui tier`: the classification of one customer (manual §4)."""

from __future__ import annotations

import argparse
import json
from datetime import date
from typing import Any

from lobby_tui.commands.common import parse_date, stdout_console


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    parser = sub.add_parser("tier", parents=[common], help="classify a customer")
    parser.add_argument("--assets", required=True, help="assets at this bank: 200000, 20万, 1.2亿 …")
    parser.add_argument("--other-assets", help="assets at other banks")
    who = parser.add_mutually_exclusive_group()
    who.add_argument("--age")
    who.add_argument("--id-number")
    parser.add_argument(
        "--education",
        help="none, primary, junior_high, senior_high, associate, bachelor, master, doctorate (or 本科, 大专 …)",
    )
    parser.add_argument("--on", help="the day of the visit, YYYY-MM-DD (default today)")
    parser.add_argument("--json", action="store_true")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, lang: str) -> int:
    from decimal import Decimal

    from lobby_tui.domain.amounts import parse_amount
    from lobby_tui.domain.idnumber import parse_id_number
    from lobby_tui.domain.rules import ENTITLEMENT_COLUMNS, tier_table
    from lobby_tui.domain.tiers import classify, parse_age, parse_education

    on = parse_date(args.on) or date.today()
    assets = parse_amount(args.assets)
    other = parse_amount(args.other_assets) if args.other_assets is not None else Decimal(0)
    age = parse_age(args.age)
    if args.id_number is not None:
        age = parse_id_number(args.id_number, today=on).age_on(on)
    education = parse_education(args.education)
    result = classify(assets, other, age=age, education=education)
    row = tier_table().tier(result.tier)
    payload: dict[str, Any] = {
        "tier": result.tier,
        "tier_with_other_assets": result.tier_with_other_assets,
        "quality": result.quality,
        "potential_quality": result.potential_quality,
        "labels": row.label,
        "entitlements": {column: row.entitlements[column] for column in ENTITLEMENT_COLUMNS},
    }
    if age is not None:
        payload["age"] = age
    if result.missing:
        payload["missing"] = list(result.missing)
    if args.json:
        print(json.dumps(payload, ensure_ascii=False))
        return 0
    from lobby_tui.render import tier_panel

    stdout_console().print(tier_panel(result, lang))
    return 0
