"""`lobby-tui demo`: create or fill a demo database, with a progress bar."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from lobby_tui.commands.common import int_between, resolve_db, stderr_console
from lobby_tui.i18n import tr

# Checked before anything is created: larger is a typing slip (the benchmarks use 1,000,000 and 365).
MAX_DEMO_CUSTOMERS = 5_000_000
MAX_DEMO_DAYS = 1_096


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    parser = sub.add_parser("demo", parents=[common], help="create or fill a demo database")
    parser.add_argument("--customers", type=int_between(0, MAX_DEMO_CUSTOMERS), default=20_000)
    parser.add_argument("--days", type=int_between(0, MAX_DEMO_DAYS), default=30)
    parser.add_argument("--seed", type=int, default=1)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, lang: str) -> int:
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    from lobby_tui.store import LobbyStore
    from lobby_tui.store.demo import generate_demo

    path = resolve_db(getattr(args, "db", None))
    store = LobbyStore(path)
    store.check()
    tasks: dict[str, Any] = {}
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        disable=not sys.stderr.isatty(),
        console=stderr_console(),
    ) as bar:

        def progress(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(tr(f"cli.demo.{stage}", lang), total=total)
            bar.update(tasks[stage], completed=done, total=total)

        result = generate_demo(store, customers=args.customers, days=args.days, seed=args.seed, progress=progress)
    print(tr("cli.demo.done", lang, path=path, customers=result.customers, visits=result.visits))
    managers = [s for s in result.staff if s[2] == "lobby_manager"]
    supervisor = next(s for s in result.staff if s[2] == "supervisor")
    print(
        tr(
            "cli.demo.staff",
            lang,
            lm_id=managers[0][0],
            lm_pin=managers[0][3],
            sv_id=supervisor[0],
            sv_pin=supervisor[3],
        )
    )
    for staff_id, _, _, pin in (s for s in result.staff if s[2] == "account_manager"):
        print(tr("cli.demo.account_manager", lang, am_id=staff_id, am_pin=pin))
    return 0
