"""`lobby-tui hq init | verify | summary | trends --dsn DSN`: head office on PostgreSQL.

  hq init     create or migrate head office's schema (versioned; a newer one is refused)
  hq verify   check every branch's audit chain (or --branch CODE's); exit 1 naming the first broken entry
  hq summary  a day's figures (--date, default today) for all branches and per branch; --json
  hq trends   day by day from --from to --to; --json

The JSON keys are those of `lobby-tui summary --json`, plus "branches": each branch's own figures.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from typing import Any

from lobby_tui.commands.common import UsageError, parse_date, stdout_console
from lobby_tui.i18n import tr

MAX_TREND_DAYS = 366


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    parser = sub.add_parser("hq", parents=[common], help="head office: init, verify, summary, trends")
    actions = parser.add_subparsers(dest="hq_action", parser_class=type(parser))

    def action(name: str, text: str) -> argparse.ArgumentParser:
        p: argparse.ArgumentParser = actions.add_parser(name, parents=[common], help=text)
        p.add_argument("--dsn", help="head office: postgresql://… (default: $LOBBY_TUI_HQ_DSN)")
        return p

    action("init", "create or migrate head office's schema")
    verify = action("verify", "check every branch's audit chain")
    verify.add_argument("--branch")
    summary = action("summary", "a day's figures over all branches")
    summary.add_argument("--date")
    summary.add_argument("--branch")
    summary.add_argument("--json", action="store_true")
    trends = action("trends", "figures day by day over all branches")
    trends.add_argument("--from", dest="start", required=True)
    trends.add_argument("--to", dest="end", required=True)
    trends.add_argument("--branch")
    trends.add_argument("--json", action="store_true")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, lang: str) -> int:
    action = getattr(args, "hq_action", None)
    if action is None:
        raise UsageError(f"lobby-tui hq: {tr('cli.hq.action', lang)}")
    from lobby_tui.hq.connect import connect, describe, resolve_dsn

    dsn = resolve_dsn(args.dsn)
    # Dates are checked before anything is reached.
    if action == "summary":
        day = (parse_date(args.date) or date.today()).isoformat()
        start = end = day
    elif action == "trends":
        first, last = parse_date(args.start), parse_date(args.end)
        assert first is not None and last is not None  # required options
        if first > last:
            raise UsageError(f"lobby-tui hq trends: {tr('hq.range_bad', lang, start=first, end=last)}")
        if (last - first).days >= MAX_TREND_DAYS:
            msg = tr("hq.range_long", lang, limit=MAX_TREND_DAYS, start=first, end=last)
            raise UsageError(f"lobby-tui hq trends: {msg}")
        start, end = first.isoformat(), last.isoformat()
    conn = connect(dsn)
    try:
        if action == "init":
            from lobby_tui.hq.schema import migrate

            before, after = migrate(conn, dsn)
            key = "hq.init_created" if before == 0 else "hq.init_current" if before == after else "hq.init_migrated"
            print(tr(key, lang, path=describe(dsn), before=before, version=after))
            return 0
        from lobby_tui.hq.schema import require_current

        require_current(conn, dsn)
        if action == "verify":
            return _verify(conn, args.branch, lang)
        from lobby_tui.hq.figures import day_report

        report = day_report(conn, start, end, args.branch)
    finally:
        conn.close()
    if args.json:
        print(json.dumps(report[0] if action == "summary" else report, ensure_ascii=False))
        return 0
    if action == "summary":
        _print_summary(report[0], lang)
    else:
        _print_trends(report, start, end, lang)
    return 0


def _verify(conn: Any, branch: str | None, lang: str) -> int:
    from lobby_tui.hq.verify import verify

    checks = verify(conn, branch)
    if not checks:
        key = "hq.verify_no_branch" if branch else "hq.verify_none"
        print(tr(key, lang, branch=branch), file=sys.stderr if branch else sys.stdout)
        return 1 if branch else 0
    status = 0
    for check in checks:
        if check.ok:
            print(tr("hq.verify_ok", lang, branch=check.branch, n=check.entries))
        else:
            status = 1
            key = "hq.verify_changed" if check.problem == "changed" and check.ts else "hq.verify_removed"
            print(
                tr(key, lang, branch=check.branch, seq=check.first_broken, ts=check.ts, action=check.action),
                file=sys.stderr,
            )
    return status


def _branch_table(report: dict[str, Any], lang: str) -> Any:
    from rich.table import Table

    t = Table(title=tr("hq.branches_title", lang), title_justify="left")
    t.add_column(tr("hq.col.branch", lang), no_wrap=True)
    for key in (
        "summary.visits",
        "summary.diversion_rate",
        "summary.quality",
        "summary.potential_quality",
        "summary.left",
    ):
        t.add_column(tr(key, lang), justify="right")
    rows = [(tr("hq.all_branches", lang), report), *report["branches"].items()]
    for name, f in rows:
        t.add_row(
            name,
            str(f["visits"]),
            f"{f['diversion_rate']:.1%}",
            str(f["quality_customers"]),
            str(f["potential_quality"]),
            str(f["left_without_service"]),
        )
    return t


def _print_summary(report: dict[str, Any], lang: str) -> None:
    from lobby_tui.render import summary_tables

    console = stdout_console()
    figures = {k: v for k, v in report.items() if k != "branches"}
    for table in summary_tables(figures, lang):
        console.print(table)
    console.print(_branch_table(report, lang))


def _print_trends(report: list[dict[str, Any]], start: str, end: str, lang: str) -> None:
    from rich.table import Table

    t = Table(title=tr("hq.trends_title", lang, start=start, end=end), title_justify="left")
    t.add_column(tr("hq.col.day", lang), no_wrap=True)
    for key in (
        "summary.visits",
        "summary.diversion_rate",
        "summary.quality",
        "summary.potential_quality",
        "summary.left",
    ):
        t.add_column(tr(key, lang), justify="right")
    for f in report:
        t.add_row(
            f["date"],
            str(f["visits"]),
            f"{f['diversion_rate']:.1%}",
            str(f["quality_customers"]),
            str(f["potential_quality"]),
            str(f["left_without_service"]),
        )
    stdout_console().print(t)
