"""The real `lobby-tui` command in a real terminal (tmux) at 60x20, typed into as a fast lobby manager
types: whole flows sent as one burst of keys, the screen read back, the database checked.

Pilot tests drive the app inside the test's own process; this one goes through the terminal driver,
the escape-sequence parser and the console script, which is where a key lost between screens or a
traceback on the terminal would show."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from conftest import cli_env

WIDTH, HEIGHT = 60, 20
PATIENCE_S = 30.0  # the screen normally answers in well under a second; a loaded CI machine is slower


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("tmux") / "demo.db"
    subprocess.run(
        [sys.executable, "-m", "lobby_tui", "demo", "--db", str(path), "--customers", "200", "--days", "2"],
        check=True,
        capture_output=True,
    )
    return path


class Terminal:
    """One tmux server of the test's own (its own socket: it starts with the test's environment, and
    no one else's sessions are touched), with one session running the app."""

    def __init__(self, session: str) -> None:
        self.session = session
        self.tmux = ["tmux", "-L", session, "-f", "/dev/null"]

    def send(self, *keys: str) -> None:
        subprocess.run([*self.tmux, "send-keys", "-t", self.session, *keys], check=True)

    def screen(self) -> str:
        return subprocess.run(
            [*self.tmux, "capture-pane", "-p", "-t", self.session], check=True, capture_output=True, text=True
        ).stdout

    def wait_for(self, *texts: str) -> str:
        """The screen once any of `texts` is on it."""
        text = texts[0]
        deadline = time.monotonic() + PATIENCE_S
        while True:
            shown = self.screen()
            assert "Traceback" not in shown, shown
            if any(t in shown for t in texts):
                return shown
            if time.monotonic() > deadline:
                raise AssertionError(f"{text!r} never appeared; the screen shows:\n{shown}")
            time.sleep(0.05)  # polling the terminal, not a fixed wait: returns as soon as it is there

    def wait_until_gone(self, text: str) -> None:
        deadline = time.monotonic() + PATIENCE_S
        while text in self.screen():
            if time.monotonic() > deadline:
                raise AssertionError(f"{text!r} never went away")
            time.sleep(0.05)


@pytest.fixture
def terminal(demo_db: Path, tmp_path: Path):
    if shutil.which("tmux") is None:
        pytest.fail("tmux is missing: scripts/ensure-browser.sh installs it (make test runs it)")
    db = tmp_path / "lobby.db"
    for suffix in ("", ".key", ".anchor"):
        if Path(str(demo_db) + suffix).exists():
            shutil.copy(str(demo_db) + suffix, str(db) + suffix)
    session = f"lobby-test-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "LOBBY_TUI_LOG": str(tmp_path / "lobby-tui.log"), "TERM": "xterm-256color"}
    command = f"{sys.executable} -m lobby_tui --db {db} --lang en; echo LOBBY-EXIT=$?; sleep 30"
    term = Terminal(session)
    subprocess.run(
        [*term.tmux, "new-session", "-d", "-s", session, "-x", str(WIDTH), "-y", str(HEIGHT), command],
        check=True,
        env=env,
    )
    try:
        term.wait_for("Sign in")
        yield term, db
    finally:
        subprocess.run([*term.tmux, "kill-server"], check=False)  # this test's own server only


# The board: its table header, or before the branch opens (the demo has no visits yet today) its
# empty-state line. Its strip no longer says "In the branch" at 60x20.
BOARD = ("Time   No.", "No visits yet today")


def sign_in(term: Terminal) -> None:
    term.send("1001", "Enter", "246810", "Enter")  # one burst: the PIN must not land in the staff-id box
    if "A question from your supervisor" in term.wait_for(*BOARD, "A question from your supervisor"):
        term.send("Escape")  # the demo's shift sent back with a question: answer it later
        term.wait_until_gone("A question from your supervisor")  # an Escape with keys right behind it reads as alt+key
    term.wait_for(*BOARD)


Visit = tuple[str, str, str, str | None, str | None]  # id, reason, outcome, ticket, customer_id


def visits(db: Path) -> list[Visit]:
    """Every visit in the database, read-only (the app has it open)."""
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        return conn.execute("SELECT id, reason, outcome, ticket, customer_id FROM visits ORDER BY ts, rowid").fetchall()


def new_visit(db: Path, before: list[Visit], term: Terminal) -> Visit:
    """The one visit the burst committed, once the board shows its ticket; fails on none or on more."""
    known = {v[0] for v in before}
    deadline = time.monotonic() + PATIENCE_S
    while not (added := [v for v in visits(db) if v[0] not in known and v[2] == "waiting"]):
        if time.monotonic() > deadline:
            raise AssertionError(f"no visit was confirmed; the screen shows:\n{term.screen()}")
        time.sleep(0.05)  # polling the database, as wait_for polls the screen
    ticket = added[0][3]
    assert ticket, added
    shown = term.wait_for(ticket)
    assert "Traceback" not in shown
    added = [v for v in visits(db) if v[0] not in known]  # now the board shows it: nothing else may be there
    assert len(added) == 1, f"one customer, one visit; the burst made {added}"
    return added[0]


def customer_id(db: Path, phone: str) -> str:
    found = subprocess.run(
        [sys.executable, "-m", "lobby_tui", "lookup", "--db", str(db), "--phone", phone, "--json"],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, **cli_env()},  # the demo's supervisor signs in (issue 14)
    )
    matches = json.loads(found.stdout)
    assert len(matches) == 1, matches
    return matches[0]["id"]


def test_sign_in_and_walk_ins_typed_in_bursts_at_60x20(terminal) -> None:
    term, db = terminal
    sign_in(term)
    before = visits(db)
    term.send("n", "2", "Enter", "Enter")  # README: 4 keys for an unidentified walk-in
    _, reason, outcome, ticket, customer = new_visit(db, before, term)
    assert (reason, outcome, customer) == ("cash_deposit", "waiting", None)
    assert "Waiting" in term.screen()
    before = visits(db)
    term.send("n", "1", "0001", "Enter", "Enter")  # README: 8 keys for the first match by last four
    _, reason, outcome, ticket, customer = new_visit(db, before, term)
    assert (reason, outcome) == ("cash_withdrawal", "waiting")
    assert customer == customer_id(db, "13900000001")  # the private-banking customer, at the priority counter
    assert ticket and ticket.startswith("V")
    assert "Traceback" not in term.screen()


def test_the_cash_flow_with_an_amount_does_not_crash(terminal) -> None:
    term, db = terminal
    sign_in(term)
    before = visits(db)
    term.send("n", "1", "Enter", "a", "8", "Enter", "Enter")  # 8万: over the self-service limit, to a counter
    _, reason, outcome, ticket, customer = new_visit(db, before, term)
    assert (reason, outcome, customer) == ("cash_withdrawal", "waiting", None)
    assert ticket and ticket.startswith("A")
    term.send("C-q")
    term.wait_for("Quit the lobby manager")
    term.send("y")
    assert "LOBBY-EXIT=0" in term.wait_for("LOBBY-EXIT=")
