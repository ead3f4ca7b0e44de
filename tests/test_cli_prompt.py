"""The staff id and PIN a command asks for on a terminal (lobby_tui/commands/prompt.py), on a real
pty: typed in one burst, the PIN is neither lost nor shown."""

from __future__ import annotations

import os
import select
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest

from lobby_tui.commands.prompt import ask_staff_and_pin


@pytest.fixture
def pty() -> Iterator[tuple[int, int]]:
    master, slave = os.openpty()
    yield master, slave
    os.close(master)
    os.close(slave)


def ask(pty: tuple[int, int], typed: bytes, **given: str) -> tuple[tuple[str, str], str]:
    """What ask_staff_and_pin returns for `typed`, all of it sent in one burst once the first prompt
    is shown, and what the terminal showed."""
    master, slave = pty
    first = b"Staff id: " if "staff_id" not in given else b"PIN: "
    with ThreadPoolExecutor(1) as pool:
        asked = pool.submit(ask_staff_and_pin, "Staff id: ", "PIN: ", fd_in=slave, fd_out=slave, **given)
        shown = b""
        while first not in shown:  # the prompt is written once echo is off
            shown += os.read(master, 4096)
        os.write(master, typed)
        got = asked.result(timeout=10)
    while True:  # what it wrote after the burst (all of it written: the call has returned)
        ready, _, _ = select.select([master], [], [], 0)
        if not ready:
            break
        shown += os.read(master, 4096)
    return got, shown.decode()


def test_a_burst_of_staff_id_and_pin_keeps_the_pin_and_never_shows_it(pty: tuple[int, int]) -> None:
    got, shown = ask(pty, b"9001\r135790\r")
    assert got == ("9001", "135790")
    assert "Staff id: 9001" in shown and "PIN: " in shown
    assert "135790" not in shown


def test_backspace_and_escape_edit_the_field_being_typed(pty: tuple[int, int]) -> None:
    got, shown = ask(pty, b"9002\x7f1\r12\x1b135790\r")
    assert got == ("9001", "135790")
    assert "135790" not in shown and "12" not in shown.split("PIN: ")[1]


def test_an_empty_staff_id_asks_no_pin(pty: tuple[int, int]) -> None:
    got, shown = ask(pty, b"\r")
    assert got == ("", "")
    assert "PIN" not in shown


def test_what_is_given_is_not_asked_for(pty: tuple[int, int]) -> None:
    got, shown = ask(pty, b"135790\r", staff_id="9001")
    assert got == ("9001", "135790") and "Staff id" not in shown
    got, shown = ask(pty, b"9001\r", pin="135790")
    assert got == ("9001", "135790") and "PIN" not in shown


def test_the_terminal_is_left_as_it_was(pty: tuple[int, int]) -> None:
    import termios

    before = termios.tcgetattr(pty[1])
    ask(pty, b"9001\r135790\r")
    assert termios.tcgetattr(pty[1]) == before
