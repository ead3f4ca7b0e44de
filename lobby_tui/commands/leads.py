"""`lobby-tui leads`: the leads for account managers, oldest first (masked: never a full name,
phone or ID number, in the table or in --json)."""

from __future__ import annotations

import argparse
from typing import Any

from lobby_tui.commands.common import existing_store, require_staff, stdout_console

STATUSES = ("new", "taken", "contacted", "converted", "declined")


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    parser = sub.add_parser("leads", parents=[common], help="leads for account managers")
    parser.add_argument("--status", choices=STATUSES)
    parser.add_argument("--json", action="store_true")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, lang: str) -> int:
    import json

    from lobby_tui.render import lead_json, leads_table

    store = existing_store(args)  # a read command: no file, one line, nothing made
    require_staff(store, lang, "leads")
    leads = store.list_leads(args.status, limit=100_000)
    if args.json:
        print(json.dumps([lead_json(lead) for lead in leads], ensure_ascii=False))
        return 0
    from lobby_tui.i18n import tr

    console = stdout_console()
    if not leads:
        console.print(tr("leads.none", lang))
        return 0
    console.print(leads_table(leads, lang))
    return 0
