"""`lobby-tui guide`: where to guide a customer, and why."""

from __future__ import annotations

import argparse
import json
from typing import Any

from lobby_tui.commands.common import stdout_console


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    parser = sub.add_parser("guide", parents=[common], help="where to guide a customer")
    parser.add_argument("--tier", required=True)
    parser.add_argument("--reason", required=True)
    parser.add_argument("--amount")
    parser.add_argument("--potential-quality", action="store_true")
    parser.add_argument(
        "--tier-with-other-assets", metavar="T", help="the tier once assets at other banks count (`tier` says it)"
    )
    parser.add_argument("--json", action="store_true")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, lang: str) -> int:
    from lobby_tui.domain.amounts import parse_amount
    from lobby_tui.domain.guidance import recommend
    from lobby_tui.domain.rules import guidance_rules, tier_table

    rules = guidance_rules()
    tier_table().tier(args.tier)  # an unknown tier or reason is refused with the choices
    rules.reason(args.reason)
    if args.tier_with_other_assets is not None:
        tier_table().tier(args.tier_with_other_assets)
    amount = parse_amount(args.amount) if args.amount is not None else None
    rec = recommend(
        args.tier,
        args.reason,
        amount,
        potential_quality=args.potential_quality,
        tier_with_other_assets=args.tier_with_other_assets,
    )
    if args.json:
        print(
            json.dumps(
                {
                    "destination": rec.destination,
                    "refer_to": rec.refer_to,
                    "why": rec.why,
                    "alternatives": list(rec.alternatives),
                    "lead": rec.lead,
                },
                ensure_ascii=False,
            )
        )
        return 0
    console = stdout_console()
    console.print(f"[b]{rules.destinations[rec.destination].label[lang]}[/b]  ({rec.destination})")
    if rec.refer_to:
        console.print(f"→ {rules.referrals[rec.refer_to].label[lang]}  ({rec.refer_to})")
    console.print(rec.why[lang])
    return 0
