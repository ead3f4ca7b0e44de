"""The command line. Names, options and JSON keys here are a contract (see the README).

Exit status: 0 done; 1 a database that cannot be used (or, for imports, some rows refused);
2 bad arguments or input. Always one clear line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

from lobby_tui import __version__
from lobby_tui.i18n import detect_lang, tr


class UsageError(Exception):
    """Bad arguments: exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # one line, not argparse's usage block
        raise UsageError(f"{self.prog}: {message}")


def default_db_path() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("lobby_tui", appauthor=False)) / "lobby.db"


def resolve_db(arg: str | None) -> Path:
    return Path(arg or os.environ.get("LOBBY_TUI_DB") or default_db_path()).expanduser()


def parse_date(text: str | None) -> date | None:
    from lobby_tui.domain.errors import InputError

    if text is None:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InputError("date.bad", text=text[:20]) from None


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must not be negative: {text!r}")
    return value


def build_parser() -> argparse.ArgumentParser:
    common = _Parser(add_help=False)
    common.add_argument("--db", default=argparse.SUPPRESS, help="database file (default: $LOBBY_TUI_DB, then your data folder)")
    common.add_argument("--lang", choices=("zh", "en"), default=argparse.SUPPRESS, help="language (default: $LOBBY_TUI_LANG, then the locale)")

    parser = _Parser(prog="lobby-tui", parents=[common], description="大堂经理工作台 — the lobby manager's app.")
    parser.add_argument("--version", action="version", version=f"lobby-tui {__version__}")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    demo = sub.add_parser("demo", parents=[common], help="create or fill a demo database")
    demo.add_argument("--customers", type=_positive_int, default=20_000)
    demo.add_argument("--days", type=_positive_int, default=30)
    demo.add_argument("--seed", type=int, default=1)

    tier = sub.add_parser("tier", parents=[common], help="classify a customer")
    tier.add_argument("--assets", required=True, help="assets at this bank: 200000, 20万, 1.2亿 …")
    tier.add_argument("--other-assets", help="assets at other banks")
    who = tier.add_mutually_exclusive_group()
    who.add_argument("--age")
    who.add_argument("--id-number")
    tier.add_argument("--education", help="none, primary, junior_high, senior_high, associate, bachelor, master, doctorate (or 本科, 大专 …)")
    tier.add_argument("--on", help="the day of the visit, YYYY-MM-DD (default today)")
    tier.add_argument("--json", action="store_true")

    guide = sub.add_parser("guide", parents=[common], help="where to guide a customer")
    guide.add_argument("--tier", required=True)
    guide.add_argument("--reason", required=True)
    guide.add_argument("--amount")
    guide.add_argument("--potential-quality", action="store_true")
    guide.add_argument("--json", action="store_true")

    summary = sub.add_parser("summary", parents=[common], help="a day's figures")
    summary.add_argument("--date")
    summary.add_argument("--json", action="store_true")

    export = sub.add_parser("export", parents=[common], help="visits as CSV or JSON lines")
    export.add_argument("--date")
    export.add_argument("--from", dest="start")
    export.add_argument("--to", dest="end")
    export.add_argument("--format", choices=("csv", "jsonl"), required=True)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    lang = detect_lang(_peek_lang(argv))
    from lobby_tui.domain.errors import InputError

    try:
        args = build_parser().parse_args(argv)
        lang = detect_lang(getattr(args, "lang", None))
        handler = COMMANDS[args.command or "app"]
        return handler(args, lang)
    except UsageError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except InputError as exc:
        from lobby_tui.store.database import StoreError

        print(f"lobby-tui: {exc.message(lang)}", file=sys.stderr)
        return 1 if isinstance(exc, StoreError) else 2
    except KeyboardInterrupt:
        print(f"lobby-tui: {tr('cli.interrupted', lang)}", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # the last line of defence: one line, never a traceback
        print(f"lobby-tui: {tr('cli.unexpected', lang, detail=f'{type(exc).__name__}: {exc}')}", file=sys.stderr)
        return 1


def _peek_lang(argv: list[str]) -> str | None:
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return None


# ---------------------------------------------------------------- commands


def cmd_app(args: argparse.Namespace, lang: str) -> int:
    from lobby_tui.store import LobbyStore

    store = LobbyStore(resolve_db(getattr(args, "db", None)))
    from lobby_tui.ui.app import LobbyApp

    LobbyApp(store, lang=lang).run()
    return 0


def cmd_demo(args: argparse.Namespace, lang: str) -> int:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from lobby_tui.store import LobbyStore
    from lobby_tui.store.demo import generate_demo

    path = resolve_db(getattr(args, "db", None))
    store = LobbyStore(path)
    store.check()
    tasks: dict[str, Any] = {}
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  transient=False, disable=not sys.stderr.isatty(), console=_stderr_console()) as bar:
        def progress(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(tr(f"cli.demo.{stage}", lang), total=total)
            bar.update(tasks[stage], completed=done, total=total)

        result = generate_demo(store, customers=args.customers, days=args.days, seed=args.seed, progress=progress)
    print(tr("cli.demo.done", lang, path=path, customers=result.customers, visits=result.visits))
    managers = [s for s in result.staff if s[2] == "lobby_manager"]
    supervisor = next(s for s in result.staff if s[2] == "supervisor")
    print(tr("cli.demo.staff", lang, lm_id=managers[0][0], lm_pin=managers[0][3], sv_id=supervisor[0], sv_pin=supervisor[3]))
    return 0


def _stderr_console() -> Any:
    from rich.console import Console

    return Console(stderr=True)


def _stdout_console() -> Any:
    from rich.console import Console

    return Console()


def cmd_tier(args: argparse.Namespace, lang: str) -> int:
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

    _stdout_console().print(tier_panel(result, lang))
    return 0


def cmd_guide(args: argparse.Namespace, lang: str) -> int:
    from lobby_tui.domain.amounts import parse_amount
    from lobby_tui.domain.errors import InputError
    from lobby_tui.domain.guidance import recommend
    from lobby_tui.domain.rules import REASON_CODES, TIER_CODES, guidance_rules

    if args.tier not in TIER_CODES:
        raise InputError("tier.unknown", text=args.tier[:30], choices=", ".join(TIER_CODES))
    if args.reason not in REASON_CODES:
        raise InputError("reason.unknown", text=args.reason[:30], choices=", ".join(REASON_CODES))
    amount = parse_amount(args.amount) if args.amount is not None else None
    rec = recommend(args.tier, args.reason, amount, potential_quality=args.potential_quality)
    if args.json:
        print(json.dumps({"destination": rec.destination, "refer_to": rec.refer_to, "why": rec.why,
                          "alternatives": list(rec.alternatives)}, ensure_ascii=False))
        return 0
    rules = guidance_rules()
    console = _stdout_console()
    console.print(f"[b]{rules.destinations[rec.destination].label[lang]}[/b]  ({rec.destination})")
    if rec.refer_to:
        console.print(f"→ {rules.referrals[rec.refer_to].label[lang]}  ({rec.refer_to})")
    console.print(rec.why[lang])
    return 0


def cmd_summary(args: argparse.Namespace, lang: str) -> int:
    from lobby_tui.store import LobbyStore

    day = (parse_date(args.date) or date.today()).isoformat()
    store = LobbyStore(resolve_db(getattr(args, "db", None)))
    figures = store.day_summary(day)
    if args.json:
        print(json.dumps(figures, ensure_ascii=False))
        return 0
    from lobby_tui.render import summary_tables

    console = _stdout_console()
    for table in summary_tables(figures, lang):
        console.print(table)
    return 0


EXPORT_FIELDS = (
    "id", "device_id", "ts", "day", "shift_id", "staff_id", "customer_id", "tier", "quality",
    "potential_quality", "reason", "amount", "recommended_destination", "destination", "refer_to",
    "override_reason", "ticket", "outcome", "outcome_ts", "notes",
)


def cmd_export(args: argparse.Namespace, lang: str) -> int:
    import csv

    from lobby_tui.domain.errors import InputError
    from lobby_tui.store import LobbyStore

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
    store = LobbyStore(resolve_db(getattr(args, "db", None)))
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
    print(tr("cli.export.done", lang, n=n), file=sys.stderr)
    return 0


COMMANDS = {
    "app": cmd_app,
    "demo": cmd_demo,
    "tier": cmd_tier,
    "guide": cmd_guide,
    "summary": cmd_summary,
    "export": cmd_export,
}
