"""`lobby-tui summary`: a day's figures, as tables or JSON (the same numbers the screens show)."""

from __future__ import annotations

import argparse
import json
from datetime import date
from typing import Any

from lobby_tui.commands.common import existing_store, parse_date, stdout_console


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    parser = sub.add_parser("summary", parents=[common], help="a day's figures")
    parser.add_argument("--date")
    parser.add_argument("--json", action="store_true")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, lang: str) -> int:
    day = (parse_date(args.date) or date.today()).isoformat()
    figures = existing_store(args).day_summary(day)
    if args.json:
        print(json.dumps(figures, ensure_ascii=False))
        return 0
    from lobby_tui.render import summary_tables

    console = stdout_console()
    for table in summary_tables(figures, lang):
        console.print(table)
    return 0
