"""`lobby-tui export`: visits as CSV or JSON lines, one a row; never a full phone or ID number."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from lobby_tui.commands.common import UsageError, parse_date, require_staff, store_for
from lobby_tui.i18n import tr

EXPORT_FIELDS = (
    "id",
    "device_id",
    "ts",
    "day",
    "shift_id",
    "staff_id",
    "customer_id",
    "tier",
    "quality",
    "potential_quality",
    "reason",
    "amount",
    "recommended_destination",
    "destination",
    "refer_to",
    "override_reason",
    "redirected_from",
    "ticket",
    "outcome",
    "outcome_ts",
    "notes",
)


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    parser = sub.add_parser("export", parents=[common], help="visits as CSV or JSON lines")
    parser.add_argument("--date")
    parser.add_argument("--from", dest="start")
    parser.add_argument("--to", dest="end")
    parser.add_argument("--format", choices=("csv", "jsonl"), required=True)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, lang: str) -> int:
    import csv

    from lobby_tui.domain.errors import InputError

    if args.date and (args.start or args.end):
        raise UsageError("lobby-tui export: use --date, or --from and --to, not both")
    if args.date:
        start = end = parse_date(args.date)
    elif args.start and args.end:
        start, end = parse_date(args.start), parse_date(args.end)
    else:
        raise UsageError("lobby-tui export: one of --date, or --from with --to, is required")
    assert start is not None and end is not None
    if start > end:
        raise InputError("date.range", start=start, end=end)
    store = store_for(args)
    staff = require_staff(store, lang, "export")
    out = sys.stdout
    writer = csv.DictWriter(out, fieldnames=EXPORT_FIELDS, lineterminator="\n") if args.format == "csv" else None
    if writer:
        writer.writeheader()
    n = 0
    for visit in store.iter_visits(start.isoformat(), end.isoformat()):
        row = {field: getattr(visit, field) for field in EXPORT_FIELDS}
        row["amount"] = str(visit.amount) if visit.amount is not None else None
        if writer:
            writer.writerow(row)
        else:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
        n += 1
    # Every export is audited (issue 4), under whoever signed in to run it (issue 14).
    store.audit("export", staff, format=args.format, start=start.isoformat(), end=end.isoformat(), visits=n, via="cli")
    print(tr("cli.export.done", lang, n=n), file=sys.stderr)
    return 0
