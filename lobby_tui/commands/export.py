"""`lobby-tui export`: visits as Excel-ready CSV, JSON lines or .xlsx, or the printable HTML report;
never a full phone or ID number.

CSV and JSON lines go to stdout unless -o FILE; xlsx and html need -o. The fields are
lobby_tui.domain.exports.VISIT_FIELDS.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from lobby_tui.commands.common import UsageError, existing_store, parse_date, require_staff
from lobby_tui.i18n import tr

FORMATS = ("csv", "jsonl", "xlsx", "html")


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    # The help texts are lobby_tui/messages/help.py's (help.export.*), in the user's language.
    parser = sub.add_parser("export", parents=[common], help="visits as CSV, JSON lines, xlsx or the HTML report")
    parser.add_argument("--date", metavar="YYYY-MM-DD")
    parser.add_argument("--from", dest="start", metavar="YYYY-MM-DD")
    parser.add_argument("--to", dest="end", metavar="YYYY-MM-DD")
    parser.add_argument("--format", choices=FORMATS, required=True)
    parser.add_argument("--labels", choices=("zh", "en", "codes"))
    parser.add_argument("-o", "--output", metavar="FILE")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, lang: str) -> int:
    from pathlib import Path

    import lobby_tui.messages.exports  # noqa: F401 - export.* messages
    from lobby_tui.domain.errors import InputError

    if args.date and (args.start or args.end):
        raise UsageError(f"lobby-tui export: {tr('cli.export.both', lang)}")
    if args.date:
        start = end = parse_date(args.date)
    elif args.start and args.end:
        start, end = parse_date(args.start), parse_date(args.end)
    else:
        raise UsageError(f"lobby-tui export: {tr('cli.export.range', lang)}")
    assert start is not None and end is not None
    if start > end:
        raise InputError("date.range", start=start, end=end)
    if args.format in ("xlsx", "html") and not args.output:
        raise UsageError(f"lobby-tui export: {tr('export.needs_file', lang)}")
    labels = args.labels or lang
    store = existing_store(args)
    # The printed report holds every shift, its log and the comparison of lobby managers: a supervisor's.
    staff = require_staff(store, lang, "export", ("supervisor",) if args.format == "html" else None)
    first, last = start.isoformat(), end.isoformat()
    out = Path(args.output).expanduser() if args.output else None
    n = 0
    try:
        if args.format == "html":
            from lobby_tui.report_html import write_report

            assert out is not None
            bundle = store.export_bundle(staff, fmt="html", start=first, end=last)
            n = bundle.figures.get("visits", 0)
            write_report(bundle, out, lang if labels == "codes" else labels)
        elif args.format == "xlsx":
            from lobby_tui.domain.figures import trend_figures
            from lobby_tui.exports import write_xlsx

            assert out is not None
            days = trend_figures(first, last, store.iter_visits(first, last))
            n = write_xlsx(out, store.iter_visits(first, last), days, lang if labels == "codes" else labels)
        else:
            n = _write_text(args.format, out, store.iter_visits(first, last), labels)
    except BrokenPipeError:
        # `lobby-tui export … | head`: the reader has gone (cli.main ends quietly); what it read was
        # exported all the same, so the export is audited
        store.audit("export", staff, format=args.format, start=first, end=last, visits=n, via="cli", cut_short=True)
        raise
    except OSError as exc:
        raise InputError("export.cannot_write", path=str(out), detail=exc.strerror or str(exc)) from None
    # Every export is audited (issue 4), under whoever signed in to run it (issue 14).
    store.audit("export", staff, format=args.format, start=first, end=last, visits=n, via="cli")
    from lobby_tui.log import log_event

    log_event("export", via="cli", format=args.format, labels=labels, visits=n)
    if out is not None:
        print(tr("export.written", lang, n=n, path=out), file=sys.stderr)
    else:
        print(tr("cli.export.done", lang, n=n), file=sys.stderr)
    return 0


def _write_text(fmt: str, out: Any, visits: Any, labels: str) -> int:
    import io

    from lobby_tui.exports import write_visits_csv, write_visits_jsonl

    if out is None:
        sys.stdout.flush()
        handle = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="", write_through=True)
        try:
            return write_visits_csv(handle, visits, labels) if fmt == "csv" else write_visits_jsonl(handle, visits)
        finally:
            handle.flush()
            handle.detach()
    from lobby_tui.files import open_private

    with open_private(out) as private:  # owner-only: names, birth dates and assets
        return write_visits_csv(private, visits, labels) if fmt == "csv" else write_visits_jsonl(private, visits)
