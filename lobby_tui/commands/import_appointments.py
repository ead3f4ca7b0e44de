"""`lobby-tui import-appointments`: booked arrivals from a booking system's CSV, in UTF-8 or GBK.

The columns (lobby_tui/domain/appointments.py CSV_COLUMNS; README "Appointments"): date, time, kind,
phone (required), reason, amount, staff_id. The customer is found in the directory by the full mobile
number's keyed hash; the number itself is never kept or shown. Each bad row is one line on stderr
(its line number and why); the good rows go in. Exit status 0 when every row went in, 2 when some
were refused (and a summary line on stdout either way).
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from lobby_tui.commands.common import require_staff, store_for
from lobby_tui.commands.import_customers import ENCODINGS, SNIFF_BYTES, _other, check_encoding, csv_rows, open_input
from lobby_tui.i18n import tr

MAX_BYTES = 64 << 20  # a booking list, not a directory: read whole


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    parser = sub.add_parser("import-appointments", parents=[common], help="import appointments from a CSV file")
    parser.add_argument("--encoding", choices=tuple(ENCODINGS), default=None, help="the file's encoding")
    parser.add_argument("file", metavar="FILE.csv")
    parser.set_defaults(run=run)


def _encoding(head: bytes) -> str:
    """UTF-8 when the file reads as UTF-8, else GBK (a file neither reads as is reported row by row)."""
    import codecs

    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        return "gbk"


def run(args: argparse.Namespace, lang: str) -> int:
    import csv
    import io
    import re
    import sys

    from lobby_tui.domain.appointments import csv_header, parse_csv_row
    from lobby_tui.domain.errors import InputError
    from lobby_tui.domain.rules import guidance_rules
    from lobby_tui.log import log_event
    from lobby_tui.store.appointments import Booking

    label = args.file
    source = open_input(Path(args.file))
    with source:
        data = source.read(MAX_BYTES)
    head = data[:SNIFF_BYTES]
    encoding = args.encoding or _encoding(head)
    if args.encoding:
        check_encoding(head, args.encoding, label)
    store = store_for(args)
    store.check()
    staff = require_staff(store, lang, "import-appointments")
    text = io.TextIOWrapper(io.BytesIO(data), encoding=ENCODINGS[encoding], errors="surrogateescape", newline="")
    first_line = head.split(b"\n", 1)[0]
    delimiter = "\t" if b"\t" in first_line and b"," not in first_line else ","
    reader = csv.reader(text, delimiter=delimiter)
    header_row: list[str] = []
    for header_row in reader:
        if any(field.strip() for field in header_row):
            break
    if not any(field.strip() for field in header_row):
        raise InputError("import.file_empty", file=label)
    if re.search("[\udc80-\udcff]", "".join(header_row)):
        raise InputError("import.file_encoding", file=label, encoding=encoding, other=_other(encoding))
    index = csv_header(header_row)
    reasons: dict[str, str] = {}
    for r in guidance_rules().reasons:
        reasons[r.code] = r.code
        for words in r.label.values():
            reasons[words] = r.code
            reasons[words.lower()] = r.code
    today = store.clock().date()
    refused = 0

    def refuse(line: int, exc: InputError) -> None:
        nonlocal refused
        refused += 1
        sys.stderr.write(tr("import.bad_row", lang, file=label, line=line, reason=exc.message(lang)) + "\n")

    def bookings() -> Iterator[tuple[int, Booking | InputError]]:
        for line, row in csv_rows(reader, encoding):
            if isinstance(row, InputError):
                yield line, row
                continue
            if isinstance(row, Exception):
                yield line, InputError("import.row_csv", detail=str(row)[:80])
                continue
            try:
                parsed = parse_csv_row(row, index, today, reasons)
                customer_id = store.customer_id_by_phone(parsed.phone)
            except InputError as exc:
                yield line, exc
                continue
            if customer_id is None:
                yield line, InputError("appt.customer_unknown")
                continue
            yield (
                line,
                Booking(
                    customer_id=customer_id,
                    day=parsed.day,
                    time=parsed.time,
                    kind=parsed.kind,
                    reason=parsed.reason,
                    amount=parsed.amount,
                    staff_id=parsed.staff_id,
                ),
            )

    result = store.import_appointments(staff, bookings(), refuse)
    log_event("import.appointments", imported=result.imported, already=result.already, refused=refused)
    print(tr("import.appointments.done", lang, imported=result.imported, already=result.already, refused=refused))
    if refused:
        sys.stderr.write(f"lobby-tui: {tr('import.appointments.refused', lang, refused=refused)}\n")
        return 2
    return 0
