"""`lobby-tui import-customers` reads, checks and hashes its file in a forked worker process while it
writes (lobby_tui/commands/worker.py): bad rows are still reported in file order with their line
numbers, and a worker that fails or is killed ends the import with one line, never a traceback,
keeping the batches already committed (a re-run completes the import)."""

from __future__ import annotations

import os
import select
import signal
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import full_numbers

from lobby_tui.commands import import_customers
from lobby_tui.commands.worker import Forked, WorkerFailed
from lobby_tui.domain.idnumber import check_character
from lobby_tui.domain.imports import CustomerParser
from lobby_tui.store import LobbyStore

Run = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Run:
    from lobby_tui.cli import main

    for var in [v for v in os.environ if v.startswith("LOBBY_TUI_")]:
        monkeypatch.delenv(var)

    def call(*args: str) -> subprocess.CompletedProcess[str]:
        capsys.readouterr()
        code = main([*args] if "--lang" in args else [*args, "--lang", "en"])
        out, err = capsys.readouterr()
        assert not full_numbers(out + err), (out, err)
        return subprocess.CompletedProcess(list(args), code, out, err)

    return call


def customers_csv(path: Path, n: int, bad_every: int = 0) -> tuple[Path, list[int]]:
    """n rows (each a different person); every `bad_every`-th a bad phone. The bad rows' line numbers."""
    lines, bad = ["姓名,手机号,证件号码,金融资产"], []
    for i in range(n):
        body = f"310115{1950 + i // 1000:04d}0101{i % 1000:03d}"
        number = body + check_character(body) if i % 3 else ""
        phone = f"139{i:08d}"
        if bad_every and i % bad_every == bad_every - 1:
            phone, number = "1234", ""
            bad.append(i + 2)  # the header is line 1
        lines.append(f"客户{i},{phone},{number},{(i % 500) + 1}万")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path, bad


def test_bad_rows_are_reported_in_order_across_the_workers_messages(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(import_customers, "ROWS_PER_MESSAGE", 7)  # many messages, bad rows in most
    path, bad = customers_csv(tmp_path / "c.csv", 200, bad_every=9)
    result = run("import-customers", "--db", str(tmp_path / "lobby.db"), str(path))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert [int(line.split(" line ")[1].split(":")[0]) for line in lines[:-1]] == bad
    assert all("not an 11-digit mainland mobile number" in line for line in lines[:-1])
    assert f"{200 - len(bad)} new customers" in result.stdout and f"{len(bad)} rows refused" in result.stdout
    assert LobbyStore(tmp_path / "lobby.db").customer_count() == 200 - len(bad)


def _fail_at(monkeypatch: pytest.MonkeyPatch, name: str, fail: Callable[[], None]) -> None:
    """The worker's parser calls `fail` at the row of customer `name` (only ever in the worker)."""
    parse = CustomerParser.parse

    def failing(self: CustomerParser, row: list[str]) -> object:
        if row and row[0] == name:
            fail()
        return parse(self, row)

    monkeypatch.setattr(CustomerParser, "parse", failing)


def _boom() -> None:
    raise RuntimeError("boom at 13900010500")


@pytest.mark.parametrize(
    ("fail", "said"),
    [(_boom, "RuntimeError: boom at 139****0500"), (lambda: os.kill(os.getpid(), signal.SIGKILL), "signal 9")],
)
def test_a_worker_that_fails_ends_the_import_with_one_line_and_the_saved_batches_stay(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fail: Callable[[], None], said: str
) -> None:
    db = tmp_path / "lobby.db"
    path, _ = customers_csv(tmp_path / "c.csv", 11_000)
    _fail_at(monkeypatch, "客户10500", fail)  # in the third batch (5,000, 5,000, then 10,000)
    result = run("import-customers", "--db", str(db), str(path))
    assert result.returncode == 1 and result.stdout == ""
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert "The process reading the file stopped unexpectedly" in result.stderr and said in result.stderr
    assert LobbyStore(db).customer_count() == 10_000  # the two batches committed before it stopped
    monkeypatch.undo()
    again = run("import-customers", "--db", str(db), str(path))
    assert again.returncode == 0 and "1000 new customers, 0 updated, 10000 unchanged" in again.stdout
    assert LobbyStore(db).customer_count() == 11_000


def test_how_the_worker_ended_is_said_in_the_users_language(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "lobby.db"
    path, _ = customers_csv(tmp_path / "c.csv", 11_000)
    _fail_at(monkeypatch, "客户10500", lambda: os.kill(os.getpid(), signal.SIGKILL))
    result = run("import-customers", "--db", str(db), str(path), "--lang", "zh")
    assert result.returncode == 1 and len(result.stderr.strip().splitlines()) == 1
    assert "读取文件的后台进程意外停止（它被信号 9 终止）" in result.stderr
    assert "worker" not in result.stderr and "signal" not in result.stderr  # no English in it


# ---------------------------------------------------------------- Forked itself


def _numbers(n: int, fail_at: int | None = None) -> Callable[[], Iterator[int]]:
    def produce() -> Iterator[int]:
        for i in range(n):
            if i == fail_at:
                raise ValueError(f"no {i} for 13812345678")
            yield i

    return produce


@pytest.mark.parametrize("fork", [True, False])
def test_forked_items_come_back_in_order(fork: bool) -> None:
    with Forked(_numbers(5000), fork=fork) as items:
        assert list(items) == list(range(5000))


def test_items_marshal_cannot_write_come_back_all_the_same() -> None:
    """The pipe carries marshal's types (the import's rows: tuples of text, numbers and None); any
    other item still comes back, pickled inside its message."""
    from datetime import date
    from fractions import Fraction

    sent: list[object] = [("row", 1, None), Path("a.csv"), {"day": date(2026, 12, 8)}, Fraction(1, 3), b"x" * 70_000]

    def produce() -> Iterator[object]:
        yield from sent

    with Forked(produce) as items:
        assert list(items) == sent


def test_a_forked_error_says_what_and_masks_numbers() -> None:
    with Forked(_numbers(100, fail_at=40)) as items:
        got = []
        with pytest.raises(WorkerFailed) as caught:
            got.extend(items)
    assert got == list(range(40))
    assert caught.value.detail == "ValueError: no 40 for 138****5678"
    assert "Traceback" in caught.value.trace and "in produce" in caught.value.trace
    assert "13812345678" not in caught.value.trace and "138****5678" in caught.value.trace


def test_a_worker_left_early_is_killed_and_reaped() -> None:
    worker = Forked(_numbers(10**9))
    with worker as items:
        assert next(items) == 0
        pid = worker._pid
    assert pid is not None
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # reaped already: no such child any more


def test_the_worker_keeps_working_while_the_reader_is_busy() -> None:
    """The import's writer spends seconds inside one SQLite transaction between reads: the worker
    must go on making the next items meanwhile (up to `ahead`), not wait on the pipe's 64 KiB."""
    said_read, said_write = os.pipe()  # the worker writes a byte here after each item it has sent
    big = b"x" * 200_000  # bigger than the pipe holds: without the reading thread the worker would wait

    def produce() -> Iterator[bytes]:
        for _ in range(12):
            yield big
            os.write(said_write, b".")

    try:
        with Forked(produce, ahead=8) as items:
            assert next(items) == big
            os.close(said_write)
            # Taking nothing more, the worker still gets at least `ahead` items further.
            sent = 0
            while sent < 9:
                ready, _, _ = select.select([said_read], [], [], 30)
                assert ready, f"the worker stopped after {sent} items while nothing was taken"
                sent += len(os.read(said_read, 64))
            assert list(items) == [big] * 11
    finally:
        os.close(said_read)


def test_a_reader_left_early_with_items_waiting_ends_the_worker_and_its_thread() -> None:
    worker = Forked(_numbers(10**9), ahead=4)
    with worker as items:
        assert next(items) == 0
        reader = worker._reader
    assert reader is not None and not reader.is_alive()
    assert worker._pid is None and worker._pipe is None
