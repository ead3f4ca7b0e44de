"""`lobby-tui import-customers`: the customer directory from a CRM's CSV export, in UTF-8 or GBK.

Each bad row is reported with its line number and the reason, on stderr; the good rows go in, in
committed chunks (so a re-run after a crash completes the import, and never doubles a customer).
Exit status 0 when every row went in, 1 when some were refused. See lobby_tui/domain/imports.py for
the columns.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import TracebackType
from typing import IO, TYPE_CHECKING, Any

from lobby_tui.commands.common import require_staff, stderr_console, store_for
from lobby_tui.i18n import tr
from lobby_tui.log import log_event

if TYPE_CHECKING:
    from lobby_tui.commands.worker import WorkerFailed
    from lobby_tui.domain.imports import CustomerParser, CustomerRecord

ENCODINGS = {"utf-8": "utf-8-sig", "gbk": "gb18030"}  # gb18030: GBK and all it leaves out
SNIFF_BYTES = 1 << 16


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    parser = sub.add_parser("import-customers", parents=[common], help="import the customer directory from a CSV file")
    parser.add_argument(
        "--encoding", choices=tuple(ENCODINGS), default="utf-8", help="the file's encoding (default utf-8)"
    )
    parser.add_argument("file", metavar="FILE.csv")
    parser.set_defaults(run=run)


# ---------------------------------------------------------------- shared with import-visits


def open_input(path: Path) -> IO[bytes]:
    from lobby_tui.domain.errors import InputError

    try:
        if path.is_dir():
            raise IsADirectoryError(21, "is a folder")
        return open(path, "rb")  # noqa: SIM115 - closed by the caller
    except FileNotFoundError:
        raise InputError("import.file_missing", file=str(path)) from None
    except OSError as exc:
        raise InputError("import.file_unreadable", file=str(path), detail=exc.strerror or str(exc)) from None


class Reporter:
    """Bad rows as one line each on stderr, and a progress bar (on stderr, only on a terminal)."""

    def __init__(self, lang: str, label: str, source: IO[bytes], description_key: str) -> None:
        from rich.progress import (
            BarColumn,
            DownloadColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self.lang = lang
        self.label = label
        self.source = source
        self.refused = 0
        self.position: int | None = None  # bytes read, when someone else reads the file (advance)
        self.tty = sys.stderr.isatty()
        self.bar = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            DownloadColumn(),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            console=stderr_console(),
            disable=not self.tty,
            redirect_stdout=False,
            redirect_stderr=False,
        )
        total = os.fstat(source.fileno()).st_size
        self.task = self.bar.add_task(tr(description_key, lang), total=total or 1)

    def __enter__(self) -> Reporter:
        self.bar.__enter__()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if exc_type is None:
            self.advance()
        self.bar.__exit__(exc_type, exc, tb)

    def advance(self, position: int | None = None) -> None:
        """The bar to `position` in the file (bytes read), or to where `source` is read up to."""
        if position is not None:
            self.position = position
        if self.tty:
            try:
                done = self.position if self.position is not None else self.source.tell()
                self.bar.update(self.task, completed=done)
            except (OSError, ValueError):  # a closed or unseekable file: the bar just stops
                pass

    def describe(self, key: str) -> None:
        """The bar's label, for a stage of the command (its text from `key`)."""
        self.bar.update(self.task, description=tr(key, self.lang))

    def refuse(self, line: int, exc: Exception) -> None:
        self.refuse_reason(line, reason_text(exc, self.lang))

    def refuse_reason(self, line: int, reason: str) -> None:
        """A bad row, its reason already worded (by the worker process that read it)."""
        self.refused += 1
        text = tr("import.bad_row", self.lang, file=self.label, line=line, reason=reason)
        if self.tty:
            self.bar.console.print(text, markup=False, highlight=False, soft_wrap=True)
        else:
            sys.stderr.write(text + "\n")

    def finish(self, summary: str) -> int:
        """The summary on stdout, once the bar is gone; exit status 1 when some rows were refused."""
        self.bar.stop()
        print(summary)
        if self.refused:
            sys.stderr.write(f"lobby-tui: {tr('import.refused', self.lang, refused=self.refused)}\n")
            return 1
        return 0


def reason_text(exc: Exception, lang: str) -> str:
    """Why a row was refused, in `lang`."""
    from lobby_tui.domain.errors import InputError

    return exc.message(lang) if isinstance(exc, InputError) else str(exc)


# ---------------------------------------------------------------- the encoding


def _other(encoding: str) -> str:
    return "gbk" if encoding == "utf-8" else "utf-8"


def check_encoding(head: bytes, encoding: str, label: str) -> None:
    """Refuse, before anything is imported, a file whose first 64 KiB say it is in the other encoding.

    Text in GBK is almost never valid UTF-8, while UTF-8 text often decodes as (wrong) GBK: so valid
    UTF-8 with Chinese in it means UTF-8, and invalid UTF-8 that decodes as GBK means GBK."""
    import codecs

    from lobby_tui.domain.errors import InputError

    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        is_utf8 = True
    except UnicodeDecodeError:
        is_utf8 = False
    if encoding == "gbk" and is_utf8 and not head.isascii():
        raise InputError("import.file_encoding", file=label, encoding=encoding, other="utf-8")
    if encoding == "utf-8" and not is_utf8:
        try:
            codecs.getincrementaldecoder("gb18030")().decode(head, final=False)
        except UnicodeDecodeError:
            return  # neither: the rows that cannot be read are reported one by one
        raise InputError("import.file_encoding", file=label, encoding=encoding, other="gbk")


# ---------------------------------------------------------------- the rows


_BAD_BYTES = "[\udc80-\udcff]"  # bytes the encoding could not read (errors="surrogateescape")


def csv_rows(reader: Any, encoding: str) -> Iterator[tuple[int, list[str] | Exception]]:
    """(line where the record starts, its fields or why it cannot be read) for each non-blank record
    left in `reader` (a csv.reader); a quoted field may run over several lines."""
    import csv
    import re

    from lobby_tui.domain.errors import InputError

    bad_bytes = re.compile(_BAD_BYTES)
    line_end = reader.line_num
    while True:
        start = line_end + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield start, InputError("import.row_csv", detail=str(exc)[:80])
            if reader.line_num == line_end:
                return  # the reader cannot move on
            line_end = reader.line_num
            continue
        line_end = reader.line_num
        joined = "".join(row)
        if not joined.strip():  # every field blank
            continue
        if bad_bytes.search(joined):
            yield start, InputError("import.row_encoding", encoding=encoding, other=_other(encoding))
            continue
        yield start, row


# ---------------------------------------------------------------- the command


ROWS_PER_MESSAGE = 2_000  # rows (good or refused) the worker sends at a time


def _position(source: IO[bytes]) -> int | None:
    try:
        return source.tell()
    except (OSError, ValueError):
        return None


def prepared_stretches(
    reader: Any,
    parser: CustomerParser,
    prepare: Callable[[list[CustomerRecord]], list[Any]],
    encoding: str,
    lang: str,
    source: IO[bytes],
) -> Iterator[tuple[int | None, list[tuple[int, str]], list[Any]]]:
    """The file's rows in stretches, each (bytes read so far, its refused rows as (line, reason),
    its good rows prepared for the store): what the worker process makes and sends."""
    from lobby_tui.domain.errors import InputError

    good: list[CustomerRecord] = []
    refused: list[tuple[int, str]] = []
    parse = parser.parse
    for line, row in csv_rows(reader, encoding):
        if isinstance(row, Exception):
            refused.append((line, reason_text(row, lang)))
        else:
            try:
                good.append(parse(row))
            except InputError as exc:
                refused.append((line, exc.message(lang)))
        if len(good) + len(refused) >= ROWS_PER_MESSAGE:
            yield _position(source), refused, prepare(good)
            good, refused = [], []
    yield _position(source), refused, prepare(good)


def run(args: argparse.Namespace, lang: str) -> int:
    import csv
    import io
    import re

    from lobby_tui.commands.worker import Forked, WorkerFailed
    from lobby_tui.domain.errors import InputError
    from lobby_tui.domain.imports import CustomerParser, customer_header

    label = args.file
    source = open_input(Path(args.file))
    with source:
        head = source.read(SNIFF_BYTES)
        source.seek(0)
        check_encoding(head, args.encoding, label)
        store = store_for(args)
        store.check()
        require_staff(store, lang, "import-customers")  # audited as cli_import_customers, under who ran it
        text = io.TextIOWrapper(source, encoding=ENCODINGS[args.encoding], errors="surrogateescape", newline="")
        first_line = head.split(b"\n", 1)[0]
        delimiter = "\t" if b"\t" in first_line and b"," not in first_line else ","
        reader = csv.reader(text, delimiter=delimiter)
        header_row: list[str] = []
        for header_row in reader:
            if any(field.strip() for field in header_row):
                break
        if not any(field.strip() for field in header_row):
            raise InputError("import.file_empty", file=label)
        if re.search(_BAD_BYTES, "".join(header_row)):
            raise InputError("import.file_encoding", file=label, encoding=args.encoding, other=_other(args.encoding))
        header = customer_header(header_row)
        parser = CustomerParser(header, store.clock().date())
        prepare = store.customer_preparer()
        # The reading, checking and hashing in a worker process (forked here, before the progress
        # bar's thread starts), the matching and writing here: each core does one half.
        worker = Forked(lambda: prepared_stretches(reader, parser, prepare, args.encoding, lang, source))
        try:
            with worker as stretches, Reporter(lang, label, source, "import.customers.progress") as report:

                def rows() -> Iterator[Any]:
                    for position, refused, prepared in stretches:
                        for line, reason in refused:
                            report.refuse_reason(line, reason)
                        report.advance(position)
                        yield from prepared

                result = store.import_prepared_customers(
                    rows(),
                    other_assets=header.has("other_bank_assets"),
                    education=header.has("education"),
                    progress=lambda _: report.advance(),
                    source=Path(label).name,
                    indexing=lambda: report.describe("import.customers.indexing"),
                )
                counts = {
                    "imported": result.imported,
                    "created": result.created,
                    "updated": result.updated,
                    "unchanged": result.unchanged,
                    "refused": report.refused,
                }
                log_event("import.customers", **counts)
                return report.finish(tr("import.customers.done", lang, **counts))
        except WorkerFailed as exc:
            return _worker_failed(exc, lang)


def _worker_failed(exc: WorkerFailed, lang: str) -> int:
    """One line on stderr (the batches committed before stay: a re-run completes the import); the
    worker's traceback (numbers masked) goes to the log."""
    from lobby_tui.log import log_error

    log_error(exc, f"import-customers: the worker process stopped: {exc.trace or exc.detail}")
    detail = exc.detail  # an error the worker caught: its type and message, as Python put them
    if exc.ended is not None:
        how, number = exc.ended
        detail = tr(f"import.worker_{how}", lang, n=number) + (f" ({exc.garbled})" if exc.garbled else "")
    sys.stderr.write(f"lobby-tui: {tr('import.worker_failed', lang, detail=detail)}\n")
    return 1
