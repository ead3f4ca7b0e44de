"""`lobby-tui serve` in a real headless Chromium (Debian's /usr/bin/chromium, driven by Playwright).

The test starts the server itself on a free loopback port, with a temporary database seeded like the
Pilot tests, and drives each page as a person would: keys typed into xterm.js, state read back from
the page's own terminal (what it shows, cell by cell) and from the database, each wait with a deadline.
At the end it stops the server with SIGTERM (or Ctrl+C, SIGINT to its process group) and checks that
it exited cleanly, that every session's process is gone and that every confirmed visit is in the
database. Screenshots go to test-artifacts/ (serve-*.png).

No skip when the browser is missing: `make test` installs it first (scripts/ensure-browser.sh).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pytest
from playwright.sync_api import Browser, Page, sync_playwright
from ui.conftest import CUSTOMERS, MANAGER, seed, supervisor

from lobby_tui.i18n import tr
from lobby_tui.store import LobbyStore
from lobby_tui.ui import strings  # noqa: F401 - registers the screens' text, read below

# One worker runs this module (make test: --dist loadgroup): one browser, started once, and the
# servers' timings not halved by a second browser beside it.
pytestmark = pytest.mark.xdist_group("browser")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [  # as the machine notes say: the network here is closed, so nothing in the background
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
DEADLINE = 30.0  # seconds for any one thing to happen; generous for a loaded CI machine
BOARD_REFRESH = 5.0  # lobby_tui.ui.screens.board.REFRESH_SECONDS
PHONE = {c.tier: c.phone for c in CUSTOMERS}
SECOND_MANAGER = ("1002", "李强", "357911")  # a second lobby manager, on the second tablet
# What each screen shows (the server runs with --lang en), from the app's own catalogue.
STAFF_ID, PIN = tr("signin.staff_id", "en"), tr("signin.pin", "en")
ON_BOARD = tr("board.in_branch", "en", n="").strip()  # "customers in the branch"
ON_GREETING = tr("greet.pick", "en")
ON_LOOKUP = tr("lookup.hint", "en")
ON_GUIDANCE = tr("guide.confirm_button", "en")

T = TypeVar("T")

# Runs in the page before textual-serve's script: it keeps the xterm.js Terminal that the script makes
# (`this.terminal = new Terminal(...)`, the only such assignment) so that the test can read what the
# terminal shows. Nothing else on the page changes.
KEEP_TERMINAL = r"""
Object.defineProperty(Object.prototype, 'terminal', {
  configurable: true,
  set(value) {
    Object.defineProperty(this, 'terminal', {value, writable: true, configurable: true, enumerable: true});
    window.__xterm = value;
  },
});
window.__rows = () => {
  const t = window.__xterm;
  if (!t) return [];
  const buffer = t.buffer.active, rows = [];
  for (let y = 0; y < t.rows; y++) {
    const line = buffer.getLine(buffer.viewportY + y);
    rows.push(line ? line.translateToString(true) : '');
  }
  return rows;
};
window.__fg = (y, x) => {
  const t = window.__xterm, line = t.buffer.active.getLine(t.buffer.active.viewportY + y);
  return line ? line.getCell(x).getFgColor() : null;
};
"""


def wait_for(what: str, check: Callable[[], T], timeout: float = DEADLINE, page: Page | None = None) -> T:
    """Poll `check` until it returns something true; fail (with a screenshot) at the deadline."""
    end = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > end:
            if page is not None:
                ARTIFACTS.mkdir(exist_ok=True)
                page.screenshot(path=ARTIFACTS / "serve-timeout.png")
                rows = "\n".join(page.evaluate("window.__rows()"))
                raise AssertionError(f"timed out after {timeout} s waiting for {what}; the page shows:\n{rows}")
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.05)


class Tablet:
    """One browser tab on the server: keys in, the terminal's text out."""

    def __init__(self, page: Page, url: str) -> None:
        self.page = page
        page.add_init_script(KEEP_TERMINAL)
        page.goto(url, wait_until="domcontentloaded")
        self.wait_text(STAFF_ID)
        page.focus("textarea.xterm-helper-textarea")  # where xterm.js takes the keyboard

    def rows(self) -> list[str]:
        return self.page.evaluate("window.__rows()")

    def shows(self, text: str) -> bool:
        return any(text in row for row in self.rows())

    def wait_text(self, text: str) -> None:
        wait_for(f"{text!r} on the page", lambda: self.shows(text), page=self.page)

    def field_border(self, label: str) -> int | None:
        """The colour of the left border of the input under `label` (the focused one differs)."""
        rows = self.rows()
        for y, row in enumerate(rows[:-1]):
            if row.strip().strip("│").strip() == label and "▊" in rows[y + 1]:
                return self.page.evaluate(f"window.__fg({y + 1}, {rows[y + 1].index('▊')})")
        return None

    def type(self, text: str) -> None:
        self.page.keyboard.type(text)

    def press(self, key: str) -> None:
        self.page.keyboard.press(key)

    def sign_in(self, staff: tuple[str, str, str]) -> None:
        # Textual moves focus to the PIN box after it has handled Enter; keys typed before that would
        # land in the staff id box, so wait until the PIN box is the focused one (as a person sees it).
        wait_for(
            "the staff id box to have focus",
            lambda: self.field_border(STAFF_ID) not in (None, self.field_border(PIN)),
            page=self.page,
        )
        focused = self.field_border(STAFF_ID)
        self.type(staff[0])
        self.press("Enter")
        wait_for("the PIN box to have focus", lambda: self.field_border(PIN) == focused, page=self.page)
        self.type(staff[2])
        self.press("Enter")
        self.wait_text(ON_BOARD)

    def greet_and_find(self, reason_key: str, phone: str) -> None:
        """From the board: new customer, the reason, the phone, up to the guidance screen."""
        self.press("n")
        self.wait_text(ON_GREETING)
        self.press(reason_key)
        self.wait_text(ON_LOOKUP)
        self.type(phone)
        self.press("Enter")
        self.wait_text(ON_GUIDANCE)

    def screenshot(self, name: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / name
        self.page.screenshot(path=path)
        return path


# ---------------------------------------------------------------- the server


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    url: str
    db: Path
    log: Path

    def session_pids(self) -> set[int]:
        """The processes the server started (one app session per tab)."""
        children = set()
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                status = (entry / "status").read_text()
            except OSError:
                continue
            fields = dict(line.split(":\t", 1) for line in status.splitlines() if ":\t" in line)
            if fields.get("PPid", "").strip() == str(self.process.pid):
                children.add(int(entry.name))
        return children

    def stop(self, ctrl_c: bool = False) -> int:
        """SIGTERM to the server; or, as Ctrl+C in its terminal does, SIGINT to its whole process group."""
        if ctrl_c:
            os.killpg(self.process.pid, signal.SIGINT)
        else:
            self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=DEADLINE)

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


def alive(pid: int) -> bool:
    """True while `pid` runs (a zombie waiting to be reaped has ended: it counts as gone)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in status


def free_port() -> int:
    """A port that was free a moment ago: another process (another xdist worker) may take it before
    the server binds it, so a server started on it is started again on another when that happens."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def lobby_tui_command() -> list[str]:
    script = Path(sys.executable).parent / "lobby-tui"
    return [str(script)] if script.exists() else [sys.executable, "-m", "lobby_tui"]


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    db = tmp_path / "lobby.db"
    store = LobbyStore(db)
    seed(store)
    store.add_staff(SECOND_MANAGER[0], SECOND_MANAGER[1], "lobby_manager", SECOND_MANAGER[2], by=supervisor(store))
    store.close()
    env = {k: v for k, v in os.environ.items() if not k.startswith("LOBBY_TUI_")}
    log = tmp_path / "serve.log"

    def start(port: int) -> Server:
        with log.open("wb") as out:
            process = subprocess.Popen(
                [*lobby_tui_command(), "serve", "--db", str(db), "--port", str(port), "--lang", "en"],
                stdout=out,
                stderr=subprocess.STDOUT,
                env=env,
                start_new_session=True,
            )  # its own process group, as in a terminal
        return Server(process, f"http://127.0.0.1:{port}/", db, log)

    def up(served: Server) -> bool:
        if served.process.poll() is not None:
            return True  # exited: looked at below
        try:
            with urllib.request.urlopen(served.url, timeout=2) as response:
                return response.status == 200
        except OSError:
            return False

    for attempt in range(5):
        served = start(free_port())
        wait_for("the server to answer", lambda s=served: up(s))
        if served.process.poll() is None:
            break
        # The port was taken between free_port() and the server's bind (tests run in parallel): again.
        assert "already in use" in served.output() and attempt < 4, f"lobby-tui serve exited early:\n{served.output()}"
    process = served.process
    yield served
    if process.poll() is None:  # a test that failed half-way: stop it anyway, and its sessions
        pids = served.session_pids()
        process.terminate()
        try:
            process.wait(timeout=DEADLINE)
        except subprocess.TimeoutExpired:
            process.kill()
        for pid in pids:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    # Playwright starts the browser with a new, empty --user-data-dir of its own each time.
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


def open_tablet(browser: Browser, server: Server) -> Tablet:
    context = browser.new_context(viewport={"width": 1100, "height": 700})
    return Tablet(context.new_page(), server.url)


def waiting_visits(db: Path) -> list[dict[str, Any]]:
    store = LobbyStore(db)
    try:
        return [dict(r) for r in store.query("SELECT * FROM visits WHERE outcome = 'waiting' ORDER BY confirmed_ts")]
    finally:
        store.close()


def stop_and_check(server: Server, tablets: list[Tablet], sessions: set[int], ctrl_c: bool = False) -> None:
    """SIGTERM (or Ctrl+C): the server exits 0, each tab is told its session ended, no session is left."""
    started = time.monotonic()
    assert server.stop(ctrl_c) == 0, server.output()
    took = time.monotonic() - started
    for tablet in tablets:
        wait_for(
            "the page to say the session ended",
            lambda t=tablet: t.page.evaluate("document.body.classList.contains('-closed')"),
            page=tablet.page,
        )
    wait_for(f"the session processes {sorted(sessions)} to end", lambda: not any(alive(p) for p in sessions))
    output = server.output()
    assert "Traceback" not in output, output
    assert "Stopped" in output, output
    how = "Ctrl+C" if ctrl_c else "SIGTERM"
    print(f"\nserver stopped {took:.2f} s after {how}, {len(sessions)} sessions ended")


# ---------------------------------------------------------------- the tests


def test_a_visit_recorded_in_the_browser_is_in_the_database(browser: Browser, server: Server) -> None:
    started = time.monotonic()
    tablet = open_tablet(browser, server)
    tablet.sign_in(MANAGER)
    sessions = server.session_pids()
    assert len(sessions) == 1, sessions

    tablet.greet_and_find("1", PHONE["mid_end"])  # cash withdrawal; a directory customer by phone
    tablet.press("Enter")  # confirm
    visits = wait_for("the visit in the database", lambda: waiting_visits(server.db), page=tablet.page)
    tablet.wait_text(visits[0]["ticket"])  # back on the board, with its ticket
    tablet.screenshot("serve-visit.png")

    store = LobbyStore(server.db)
    customer = store.lookup(phone=PHONE["mid_end"])[0]
    store.close()
    [visit] = visits
    assert visit["customer_id"] == customer.id
    assert (visit["tier"], visit["reason"], visit["destination"]) == ("mid_end", "cash_withdrawal", "priority_counter")
    assert visit["staff_id"] == MANAGER[0] and visit["confirmed_ts"] and visit["ticket"]

    stop_and_check(server, [tablet], sessions)
    assert [v["id"] for v in waiting_visits(server.db)] == [visit["id"]]  # still there after the stop
    print(f"browser flow: {time.monotonic() - started:.2f} s")


def test_two_tablets_confirming_together_lose_nothing_and_see_each_other(browser: Browser, server: Server) -> None:
    a, b = open_tablet(browser, server), open_tablet(browser, server)
    a.sign_in(MANAGER)
    b.sign_in(SECOND_MANAGER)
    sessions = server.session_pids()
    assert len(sessions) == 2, sessions

    a.greet_and_find("1", PHONE["high_end"])
    b.greet_and_find("1", PHONE["private_banking"])  # the same destination: two numbers from one queue
    a.press("Enter")  # both confirm at the same moment
    b.press("Enter")
    visits = wait_for(
        "both visits in the database", lambda: len(waiting_visits(server.db)) == 2 and waiting_visits(server.db)
    )
    tickets = {v["staff_id"]: v["ticket"] for v in visits}
    assert set(tickets) == {MANAGER[0], SECOND_MANAGER[0]}
    assert len(set(tickets.values())) == 2, tickets  # one queue, two different numbers
    for tablet in (a, b):  # each board shows both visits, its own and the other tablet's
        for ticket in tickets.values():
            tablet.wait_text(ticket)

    # Tablet A sits on its board; B records a walk-in. A's board shows it at its next refresh.
    b.press("n")
    b.wait_text(ON_GREETING)
    b.press("2")
    b.wait_text(ON_LOOKUP)
    b.press("Enter")  # unidentified walk-in
    b.wait_text(ON_GUIDANCE)
    b.press("Enter")
    third = wait_for(
        "the third visit", lambda: [v for v in waiting_visits(server.db) if v["ticket"] not in tickets.values()]
    )
    committed = time.monotonic()
    a.wait_text(third[0]["ticket"])
    seen_after = time.monotonic() - committed
    assert seen_after <= BOARD_REFRESH + 3.0, f"tablet A saw the new visit only after {seen_after:.1f} s"
    print(f"\ntablet A saw tablet B's visit {seen_after:.2f} s after it was committed")
    a.screenshot("serve-tablet-a.png")
    b.screenshot("serve-tablet-b.png")

    stop_and_check(server, [a, b], sessions)
    assert len(waiting_visits(server.db)) == 3
    store = LobbyStore(server.db)
    assert store.verify_audit() is None
    store.close()


def test_ctrl_c_ends_every_session_and_keeps_what_was_confirmed(browser: Browser, server: Server) -> None:
    tablet = open_tablet(browser, server)
    tablet.sign_in(MANAGER)
    sessions = server.session_pids()
    closed = open_tablet(browser, server)  # a tab closed by hand ends its own session, and only that
    extra = wait_for("a second session", lambda: server.session_pids() - sessions)
    closed.page.close()
    wait_for("the closed tab's session to end", lambda: not any(alive(p) for p in extra))
    assert server.session_pids() == sessions
    tablet.greet_and_find("2", PHONE["ordinary"])
    tablet.press("Enter")  # confirmed
    [confirmed] = wait_for("the visit in the database", lambda: waiting_visits(server.db), page=tablet.page)
    tablet.wait_text(ON_BOARD)
    tablet.press("n")  # the next customer is greeted, not yet confirmed, when the server is stopped
    tablet.wait_text(ON_GREETING)
    tablet.press("1")
    tablet.wait_text(ON_LOOKUP)

    stop_and_check(server, [tablet], sessions, ctrl_c=True)
    store = LobbyStore(server.db)
    outcomes = {r["id"]: r["outcome"] for r in store.query("SELECT id, outcome FROM visits")}
    store.close()
    assert outcomes.pop(confirmed["id"]) == "waiting"
    assert list(outcomes.values()) == ["in_progress"]  # greeted, kept as greeted


def test_a_session_that_does_not_quit_is_ended_when_the_server_stops() -> None:
    import asyncio
    import threading

    import aiohttp

    from lobby_tui.commands.serve import LobbyServer

    lobby = LobbyServer("exec sleep 60", lang="en", grace=0.5)  # an app that never answers "quit"
    seen: dict[str, Any] = {}

    async def run() -> None:
        runner = await lobby.start("127.0.0.1", 0)  # port 0: the system picks a free one
        port = runner.addresses[0][1]
        async with aiohttp.ClientSession() as client:
            websocket = await client.ws_connect(f"http://127.0.0.1:{port}/ws?width=80&height=24")
            end = time.monotonic() + DEADLINE
            while not any(service._process for service in lobby.sessions) and time.monotonic() < end:
                await asyncio.sleep(0.05)
            [service] = lobby.sessions
            seen["process"] = process = service._process
            assert process.returncode is None
            started = time.monotonic()
            await lobby.shutdown(runner)
            seen["took"] = time.monotonic() - started
            await websocket.close()

    # A thread of its own: the module's Playwright browser keeps an event loop running in this one.
    def in_thread() -> None:
        try:
            asyncio.run(run())
        except BaseException as exc:  # handed to the test's own thread below
            seen["error"] = exc

    thread = threading.Thread(target=in_thread)
    thread.start()
    thread.join(DEADLINE * 2)
    if seen.get("error"):
        raise seen["error"]
    process = seen["process"]
    assert process.returncode is not None and not alive(process.pid)
    assert seen["took"] < 10 * lobby.grace, seen


def test_bad_port_or_host_is_one_clear_line(tmp_path: Path) -> None:
    db = tmp_path / "lobby.db"
    store = LobbyStore(db)
    seed(store)
    store.close()
    for args, expected in (
        (["--port", "70000"], "1 to 65535"),
        (["--port", "eighty"], "1 to 65535"),
        (["--host", "no-such-host.invalid"], "no-such-host.invalid"),
        (["--host", ""], "Give an address to listen on"),
    ):
        done = subprocess.run(
            [*lobby_tui_command(), "serve", "--db", str(db), "--lang", "en", *args],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 2, done
        assert done.stderr.count("\n") == 1 and expected in done.stderr, done.stderr
    with socket.socket() as taken:  # a port in use
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [*lobby_tui_command(), "serve", "--db", str(db), "--lang", "en", "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert done.returncode == 2 and "already in use" in done.stderr and done.stderr.count("\n") == 1, done


def test_an_empty_database_is_not_served_to_the_network(tmp_path: Path) -> None:
    done = subprocess.run(
        [
            *lobby_tui_command(),
            "serve",
            "--db",
            str(tmp_path / "new.db"),
            "--lang",
            "en",
            "--host",
            "0.0.0.0",
            "--port",
            str(free_port()),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2 and "no staff accounts" in done.stderr, done


def test_the_page_asks_nothing_of_the_internet(server: Server) -> None:
    with urllib.request.urlopen(server.url, timeout=5) as response:
        page = response.read().decode()
    assert "googleapis" not in page and "https://" not in page
    assert f'data-session-websocket-url="ws://127.0.0.1:{server.url.rsplit(":", 1)[1].rstrip("/")}/ws"' in page
    assert server.stop() == 0


def test_another_sites_page_cannot_open_a_session(server: Server) -> None:
    import http.client

    host = server.url.split("/")[2]
    handshake = {
        "Upgrade": "websocket",
        "Connection": "Upgrade",
        "Sec-WebSocket-Version": "13",
        "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
    }
    for origin, status in (("http://evil.example", 403), (f"http://{host}", 101)):
        connection = http.client.HTTPConnection(host, timeout=10)
        connection.request("GET", "/ws?width=80&height=24", headers={**handshake, "Origin": origin})
        assert connection.getresponse().status == status, origin
        connection.close()
    assert server.stop() == 0
    assert "Traceback" not in server.output()
