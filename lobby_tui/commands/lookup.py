"""`lobby-tui lookup`: the directory search behind the lookup screen, by exactly one key.

Matches are shown masked (张*明, 138****5678, the ID's last four): never a full name, phone or ID
number, in the table or in --json.
"""

from __future__ import annotations

import argparse
from typing import Any

from lobby_tui.commands.common import existing_store, require_staff, stdout_console

KEYS = ("phone", "phone_last4", "id_number", "card", "name")


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    parser = sub.add_parser("lookup", parents=[common], help="find a customer in the directory")
    key = parser.add_mutually_exclusive_group(required=True)
    key.add_argument("--phone", metavar="P", help="the full mobile number")
    key.add_argument("--phone-last4", metavar="D", help="the last four digits of the mobile number")
    key.add_argument("--id-number", metavar="ID", help="the resident ID number")
    key.add_argument("--card", metavar="C", help="the bank card number")
    key.add_argument("--name", metavar="N", help="the name, or its beginning (张 finds 张三明)")
    parser.add_argument("--json", action="store_true")
    parser.set_defaults(run=run)


def match_json(customer: Any, today: Any) -> dict[str, Any]:
    """One match as --json shows it: tier and masked identity only."""
    from datetime import date

    from lobby_tui.domain.idnumber import age_on
    from lobby_tui.domain.privacy import mask_name
    from lobby_tui.domain.tiers import classify

    age = age_on(date.fromisoformat(customer.birth_date), today) if customer.birth_date else None
    result = classify(customer.assets, customer.other_assets, age=age, education=customer.education)
    return {
        "id": customer.id,
        "name": mask_name(customer.name),
        "phone": customer.phone_masked or None,
        "id_last4": customer.id_last4,
        "card_last4": customer.card_last4,
        "age": age,
        "education": customer.education,
        "tier": result.tier,
        "tier_with_other_assets": result.tier_with_other_assets,
        "quality": result.quality,
        "potential_quality": result.potential_quality,
        "missing": list(result.missing),
    }


def run(args: argparse.Namespace, lang: str) -> int:
    import json

    from lobby_tui.store.customers import LOOKUP_LIMIT

    key = next(k for k in KEYS if getattr(args, k) is not None)
    store = existing_store(args)
    store.check()
    staff = require_staff(store, lang, "lookup")
    matches = store.lookup(**{key: getattr(args, key)})
    if staff is not None:  # a database with no staff: nobody to record (and a read-only one still reads)
        store.audit("lookup", staff, key=key, matches=len(matches), via="cli")  # the key, never what was typed
    today = store.clock().date()
    rows = [match_json(c, today) for c in matches]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False))
        return 0
    from rich.markup import escape
    from rich.table import Table

    from lobby_tui.domain.rules import tier_table
    from lobby_tui.i18n import tr

    console = stdout_console()
    if not rows:
        console.print(tr("cli.lookup.none", lang))
        return 0
    table = Table(*(tr(f"cli.lookup.col.{c}", lang) for c in ("name", "phone", "id", "card", "age", "tier")))
    tiers = tier_table()
    for row in rows:
        table.add_row(
            escape(row["name"]),
            row["phone"] or "",
            row["id_last4"] or "",
            row["card_last4"] or "",
            "" if row["age"] is None else str(row["age"]),
            tiers.tier(row["tier"]).label[lang],
        )
    console.print(table)
    if len(rows) >= LOOKUP_LIMIT:
        console.print(tr("cli.lookup.more", lang, n=LOOKUP_LIMIT))
    return 0
