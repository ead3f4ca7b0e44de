"""`lobby-tui import-visits`: merge another tablet's `export --format jsonl` into this database.

Idempotent by visit id: the same file twice adds nothing. Each bad line is reported with its number
and the reason; exit status 0 when every line went in, 1 when some were refused.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from lobby_tui.commands.common import require_staff, store_for
from lobby_tui.commands.import_customers import Reporter, open_input
from lobby_tui.i18n import tr
from lobby_tui.log import log_event


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    parser = sub.add_parser(
        "import-visits", parents=[common], help="merge another tablet's exported visits (JSON lines)"
    )
    parser.add_argument("file", metavar="FILE.jsonl")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, lang: str) -> int:
    import json
    from decimal import Decimal

    from lobby_tui.domain.errors import InputError
    from lobby_tui.domain.imports import parse_visit

    label = args.file
    source = open_input(Path(args.file))
    with source:
        store = store_for(args)
        store.check()
        require_staff(store, lang, "import-visits")  # audited as cli_import_visits, under who ran it
        with Reporter(lang, label, source, "import.visits.progress") as report:

            def rows() -> Any:
                for number, raw in enumerate(source, 1):
                    if not raw.strip():
                        continue
                    try:
                        line = raw.decode("utf-8")
                    except UnicodeDecodeError:
                        report.refuse(number, InputError("import.not_utf8"))
                        continue
                    if number == 1:
                        line = line.lstrip("\ufeff")
                    try:
                        obj = json.loads(line, parse_float=Decimal)
                    except (ValueError, RecursionError) as exc:
                        detail = exc.msg if isinstance(exc, json.JSONDecodeError) else type(exc).__name__
                        report.refuse(number, InputError("import.json_bad", detail=detail))
                        continue
                    try:
                        yield number, parse_visit(obj)
                    except InputError as exc:
                        report.refuse(number, exc)

            result = store.import_visits(rows(), progress=lambda _: report.advance(), source=Path(label).name)
            for number, exc in result.refused:
                report.refuse(number, exc)
            log_event(
                "import.visits",
                added=result.added,
                updated=result.updated,
                unchanged=result.unchanged,
                refused=report.refused,
                leads=result.leads,
            )
            return report.finish(
                tr(
                    "import.visits.done",
                    lang,
                    added=result.added,
                    updated=result.updated,
                    unchanged=result.unchanged,
                    refused=report.refused,
                )
            )
