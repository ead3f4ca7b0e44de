"""A key sweep: every screen, both languages, 60x20, every focusable widget, every key it answers to.

Each screen is reached through the real UI (its keys from the lobby manager's board or the
supervisor's home, on a copy of the review database: 30 days of history, today's visits, a shift
sent back with a question). Then each focusable widget in turn gets the focus and, one at a time,
Enter, Escape, Tab and every key of the bindings active there (the widget's, the screen's, the
app's). A key that leaves the screen is fine: the sweep goes back through the UI and carries on.

Any exception fails the test: one that reaches Textual (the app stops, run_test re-raises it), a
worker that failed, a return code other than 0, or the app's error screen, which here (the database
is healthy) only ever means an unexpected error. A crash does not end the sweep of the screen: the
app is started again and the sweep goes on from the next key, so one run names every key that fails.
Only the keys that quit on purpose are left out (ctrl+q; Q on the error screen).
"""

from __future__ import annotations

import os
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widget import Widget
from textual.worker import Worker, WorkerState

from lobby_tui.store import LobbyStore
from lobby_tui.store.database import StoreError
from lobby_tui.ui.app import LobbyApp
from lobby_tui.ui.screens.board import BoardScreen
from lobby_tui.ui.screens.error import ErrorScreen
from lobby_tui.ui.screens.lock import LockScreen
from lobby_tui.ui.screens.review import SupervisorHomeScreen
from lobby_tui.ui.screens.signin import SignInScreen

from .conftest import MANAGER, SUPERVISOR, UI_NOW
from .typing import burst, settle

SIZE = (60, 20)
SIGN_IN = "<sign in>"  # a step of a route: type the staff id and the PIN on the sign-in screen
QUIT_KEYS = {"ctrl+q"}
QUIT_ACTIONS = {"quit", "app.quit", "quit_app"}
MAX_RESTARTS = 12  # crashes tolerated in one screen's sweep before it gives up (each is reported)
OTHER_MANAGER = "1002"  # the review database's second lobby manager


@dataclass(frozen=True)
class Route:
    """How to reach a screen from the home screen, and how to know it is the one."""

    screen: str  # its class name
    keys: tuple[str, ...] = ()
    box: str | None = None  # the dialog's box id, when several dialogs share a class (FormScreen …)
    closed_shift: bool = False  # needs a closed shift waiting for review (sign-off uses them up)
    error: bool = False  # the error screen, raised over the home screen as a database fault raises it


MANAGER_ROUTES = {
    "signin": Route("SignInScreen", ("ctrl+o",)),
    "board": Route("BoardScreen"),
    "greeting": Route("GreetScreen", ("n",)),
    "lookup": Route("LookupScreen", ("n", "1")),
    "walkin": Route("WalkInScreen", ("n", "1", "f4")),
    "guidance": Route("GuidanceScreen", ("n", "1", "enter")),  # unidentified; cash, so it asks the amount
    "destination_picker": Route("DestinationPicker", ("n", "1", "enter", "o")),
    "override_reason": Route("OverrideReasonScreen", ("n", "1", "enter", "o", "2")),
    "shift_log": Route("ShiftLogScreen", ("l",)),
    "patrol": Route("PatrolScreen", ("l", "p")),
    "incident": Route("FormScreen", ("l", "i"), box="incident-box"),
    "handover": Route("FormScreen", ("l", "h"), box="handover-box"),
    "close_shift": Route("ConfirmScreen", ("l", "k")),
    "day_summary": Route("DaySummaryScreen", ("e",)),
    "lock": Route("LockScreen", ("ctrl+l",)),
    "question": Route("QuestionScreen", ("ctrl+o", SIGN_IN)),  # the supervisor's question, at sign-in
    "error": Route("ErrorScreen", error=True),
}
SUPERVISOR_ROUTES = {
    "home": Route("SupervisorHomeScreen"),
    "shift_list": Route("ShiftListScreen", ("2",)),
    "shift_detail": Route("ShiftDetailScreen", ("1", "enter"), closed_shift=True),
    "sign_off": Route("FormScreen", ("1", "enter", "s"), box="signoff-box", closed_shift=True),
    "send_back": Route("FormScreen", ("1", "enter", "b"), box="sendback-box", closed_shift=True),
    "trends": Route("TrendsScreen", ("3",)),
    "staff": Route("StaffScreen", ("5",)),
    "add_staff": Route("FormScreen", ("5", "a"), box="add-staff-box"),
    "reset_pin": Route("FormScreen", ("5", "p"), box="reset-pin-box"),
    "deactivate": Route("ConfirmScreen", ("5", "d")),
    "export": Route("ExportScreen", ("6",)),
}
# The account manager's home (issue 10): its keys take, contact, convert (which opens its choice) and
# hand back the demo's leads.
ACCOUNT_MANAGER = ("3001", "赵经理", "468024")
ACCOUNT_MANAGER_ROUTES = {"am_home": Route("AccountManagerHomeScreen")}
# Each screen is swept in one language, the two alternating down the list, so that both languages are
# swept on each role's screens at half the cost (the sweep is most of the suite's time). What depends
# on the language is its text, which the snapshot tests show in both; `LOBBY_TUI_FULL_SWEEP=1` sweeps
# every screen in both languages.
ROUTE_NAMES = (
    [("manager", name) for name in MANAGER_ROUTES]
    + [("supervisor", name) for name in SUPERVISOR_ROUTES]
    + [("account_manager", name) for name in ACCOUNT_MANAGER_ROUTES]
)
BOTH = os.environ.get("LOBBY_TUI_FULL_SWEEP") == "1"
CASES = [
    (who, name, lang)
    for index, (who, name) in enumerate(ROUTE_NAMES)
    for lang in (("zh", "en") if BOTH else (("zh", "en")[index % 2],))
]


# ---------------------------------------------------------------- what counts as a failure


class Watch:
    """What went wrong in one run of the app: failed workers (seen through run_test's message hook),
    the exception that stopped it, an error screen we did not raise ourselves."""

    def __init__(self) -> None:
        self.worker_errors: list[str] = []
        self.expected_error: tuple[ErrorScreen, str] | None = None
        self.unexpected_seen = 0

    def hook(self, message: object) -> None:
        if isinstance(message, Worker.StateChanged) and message.state == WorkerState.ERROR:
            worker = message.worker
            self.worker_errors.append(f"worker {worker.name or worker.group!r} failed: {describe_exc(worker.error)}")

    def trouble(self, app: LobbyApp) -> str | None:
        if app._exception is not None:
            return f"exception {describe_exc(app._exception)}"
        caught = getattr(app, "unexpected_errors", [])  # what the app's own handler turned into its error screen
        if len(caught) > self.unexpected_seen:
            errors = caught[self.unexpected_seen :]
            self.unexpected_seen = len(caught)
            return "unexpected error: " + "; ".join(describe_exc(e) for e in errors)
        if self.worker_errors:
            errors, self.worker_errors = self.worker_errors, []
            return "; ".join(errors)
        if not app.is_running:
            return f"the app stopped (return code {app.return_code})"
        for screen in app.screen_stack:
            if isinstance(screen, ErrorScreen):
                if self.expected_error and screen is self.expected_error[0]:
                    if screen.message != self.expected_error[1]:
                        return f"error screen now says: {screen.message}"
                    continue
                return f"error screen: {screen.message}"
        return None


def describe_exc(exc: BaseException | None) -> str:
    """The exception and where in the app it was raised (the innermost frame in lobby_tui)."""
    if exc is None:
        return "None"
    inner = exc
    while getattr(inner, "error", None) is not None and isinstance(inner.error, BaseException):  # WorkerFailed
        inner = inner.error
    frames = traceback.extract_tb(inner.__traceback__)
    ours = [f for f in frames if "lobby_tui" in f.filename] or frames
    where = f" at {Path(ours[-1].filename).name}:{ours[-1].lineno} ({ours[-1].name})" if ours else ""
    return f"{type(inner).__name__}: {inner}{where}"


# ---------------------------------------------------------------- getting around through the UI


class Unreachable(Exception):
    """The route's keys did not lead to its screen."""


@dataclass
class Sweeper:
    pilot: Pilot
    who: str
    lang: str
    route: Route
    db: Path
    watch: Watch
    trail: list[Screen] = field(default_factory=list)  # the screen each route key was pressed on

    @property
    def app(self) -> LobbyApp:
        return self.pilot.app  # type: ignore[return-value]

    @property
    def staff(self) -> tuple[str, str, str]:
        return {"manager": MANAGER, "account_manager": ACCOUNT_MANAGER}.get(self.who, SUPERVISOR)

    @property
    def home_type(self) -> type[Screen]:
        from lobby_tui.ui.screens.leads import AccountManagerHomeScreen

        homes: dict[str, type[Screen]] = {"manager": BoardScreen, "account_manager": AccountManagerHomeScreen}
        return homes.get(self.who, SupervisorHomeScreen)

    async def key(self, key: str) -> None:
        await burst(self.pilot, key)

    async def sign_in(self) -> None:
        screen = self.app.screen
        assert isinstance(screen, SignInScreen), f"expected the sign-in screen, found {type(screen).__name__}"
        for box in ("#staff-id", "#pin"):
            screen.query_one(box).value = ""  # type: ignore[attr-defined]
        screen.query_one("#staff-id").focus()
        await settle(self.pilot)
        for key in (*self.staff[0], "enter", *self.staff[2], "enter"):
            await self.pilot.press(key)  # at a person's pace: one key handled before the next
        await settle(self.pilot)

    async def unlock(self) -> None:
        screen = self.app.screen
        pin = screen.query_one("#pin")
        pin.value = ""  # type: ignore[attr-defined]
        pin.focus()
        await settle(self.pilot)
        for key in (*self.staff[2], "enter"):
            await self.pilot.press(key)
        await settle(self.pilot)

    async def home(self) -> None:
        """Back to the home screen, signed in, in the test's language; whatever was open is closed."""
        app = self.app
        await settle(self.pilot)
        for _ in range(12):
            top = app.screen
            if isinstance(top, SignInScreen):
                await self.sign_in()
            elif isinstance(top, LockScreen):
                await self.unlock()
            elif len(app.screen_stack) > 2:
                app.pop_screen()
                await settle(self.pilot)
            elif app.lang != self.lang:
                await self.key("f2")
            elif isinstance(top, self.home_type):
                return
            else:
                break
            if self.watch.trouble(app):
                return  # reported by the caller
        raise Unreachable(f"cannot get back to {self.home_type.__name__}; on {type(app.screen).__name__}")

    async def reach(self) -> Screen:
        """To the route's screen: from the deepest screen of the last way there that is still open
        (Escape closed the screen: its route's last key opens it again), else from the home screen."""
        app, route = self.app, self.route
        # A closed shift's route goes back no further than the shift's detail: the list before it may
        # still show a shift that has been signed off since.
        lowest = 2 if route.closed_shift else 0
        for step in range(len(self.trail) - 1, lowest - 1, -1):
            if self.trail[step] in app.screen_stack and await back_to(self, self.trail[step]):
                if app.lang == self.lang and not isinstance(app.screen, (SignInScreen, LockScreen)):
                    try:
                        return await self.walk(step)
                    except Unreachable:
                        if self.watch.trouble(app):
                            raise
                break  # the long way, then
        await self.home()
        if route.closed_shift:
            ensure_closed_shift(self.db)
        if route.error:  # what the app does with a database fault: its one error screen
            app.show_error(StoreError("db.locked", self.db))
            await settle(self.pilot)
            assert isinstance(app.screen, ErrorScreen)
            self.watch.expected_error = (app.screen, app.screen.message)
        return await self.walk(0)

    async def walk(self, start: int) -> Screen:
        """The route's keys from step `start` on, each on the screen its step left open."""
        app, route = self.app, self.route
        del self.trail[start:]
        for key in route.keys[start:]:
            self.trail.append(app.screen)
            if key == SIGN_IN:
                await self.sign_in()
            else:
                await self.pilot.press(key)
                await settle(self.pilot)
            if self.watch.trouble(app):
                raise Unreachable(f"{route.keys}: {self.watch.trouble(app)}")
        screen = app.screen
        if not matches(screen, route):
            raise Unreachable(f"{route.keys} led to {type(screen).__name__}{box_of(screen)}, not {route.screen}")
        if not self.trail:
            self.trail.append(screen)  # no keys: the home screen (or the error screen over it) is the way
        return screen


def matches(screen: Screen, route: Route) -> bool:
    return type(screen).__name__ == route.screen and (route.box is None or box_of(screen) == f"#{route.box}")


def box_of(screen: Screen) -> str:
    box = getattr(screen, "box_id", None)
    return f"#{box}" if box else ""


def ensure_closed_shift(db: Path) -> None:
    """A closed shift of yesterday waiting for the supervisor, made when none is left."""
    store = LobbyStore(db, clock=lambda: UI_NOW - timedelta(days=1), device_id="tablet-test")
    try:
        if not store.query("SELECT 1 FROM shifts WHERE status = 'closed' LIMIT 1"):
            shift = store.open_shift(OTHER_MANAGER)
            store.close_shift(shift.id, OTHER_MANAGER)
    finally:
        store.close()


# ---------------------------------------------------------------- the sweep


def widget_name(widget: Widget, chain: list[Widget]) -> str:
    same = [w for w in chain if type(w) is type(widget) and w.id == widget.id]
    name = type(widget).__name__ + (f"#{widget.id}" if widget.id else "")
    return name + (f"[{same.index(widget)}]" if len(same) > 1 else "")


def find_widget(screen: Screen, name: str) -> Widget | None:
    chain = screen.focus_chain
    return next((w for w in chain if widget_name(w, chain) == name), None)


def kind(widget: Widget) -> tuple[str, frozenset[str]]:
    """Widgets of one kind: one class and the same CSS classes (the greeting's reason buttons)."""
    return type(widget).__name__, frozenset(c for c in widget.classes if not c.startswith("-"))


def keys_here(app: LobbyApp, *, own: bool, screen: bool, everywhere: bool) -> list[str]:
    """Enter, Escape, Tab, and the keys bound where the focus is now: the widget's own (`own`), the
    screen's (`screen`), the app's (`everywhere`)."""
    keys = ["enter", "escape", "tab"]
    for key, active in app.active_bindings.items():
        if key in QUIT_KEYS or active.binding.action in QUIT_ACTIONS or key in keys:
            continue
        node = active.node
        if (node is app and everywhere) or (node is app.screen and screen) or (node not in (app, app.screen) and own):
            keys.append(key)
    return keys


TEXT_WIDGETS = ("Input", "TextArea")


def roles(chain: list[Widget]) -> list[tuple[bool, bool]]:
    """For each widget of the focus chain: is it the first of its kind; is it where the screen's
    keys are pressed (the first widget, and the first text box, where letters are text)."""
    out = []
    for index, widget in enumerate(chain):
        before = chain[:index]
        first_of_kind = all(kind(w) != kind(widget) for w in before)
        is_text = type(widget).__name__ in TEXT_WIDGETS
        first_text = is_text and all(type(w).__name__ not in TEXT_WIDGETS for w in before)
        out.append((first_of_kind, index == 0 or first_text))
    return out


def plan_keys(app: LobbyApp, index: int, role: tuple[bool, bool] | None) -> list[str]:
    """Which keys the widget at `index` of the focus chain gets (`role`: from roles(); None when the
    screen has no focusable widget).

    Every widget gets Enter. The first of each kind also gets Escape, Tab and its own bindings (a
    second reason button does with them just what the first did). The screen's bindings are pressed
    on the first widget and in the first text box (where letters are typed, not bound; a key a widget
    binds itself is its own binding, pressed on it anyway). The app's (F2, F3, ctrl+l, the palette),
    which do not depend on the focus, on the first widget. Every key on every widget would take the
    sweep far past its time (a screen change costs about half a second of CPU here) without reaching
    other code."""
    if role is None:
        return keys_here(app, own=True, screen=True, everywhere=True)
    first_of_kind, screen_keys = role
    if not first_of_kind:
        return ["enter"]
    return keys_here(app, own=True, screen=screen_keys, everywhere=index == 0)


@dataclass
class Progress:
    widgets: list[str] | None = None  # the screen's focus chain, by name, as first reached
    roles: list[tuple[bool, bool]] | None = None  # and each one's role (see plan_keys)
    keys: dict[int, list[str]] | None = None  # the keys for each widget, as first focused
    widget: int = 0
    key: int = 0
    pressed: int = 0


NO_FOCUS = "(no focusable widget)"


async def back_to(s: Sweeper, screen: Screen) -> bool:
    """Close what a key opened over `screen` (the lock with its callback, as unlocking does); False
    when `screen` itself was closed, and only its route leads back."""
    app = s.app
    while screen in app.screen_stack and app.screen is not screen:
        top = app.screen
        if isinstance(top, LockScreen):
            top.dismiss(True)
        else:
            app.pop_screen()
        await settle(s.pilot)
        if s.watch.trouble(app):
            return False
    return app.screen is screen


async def sweep_once(s: Sweeper, progress: Progress, failures: list[str]) -> bool:
    """Sweep from where `progress` says; True when the screen is done, False when the app stopped."""
    app = s.app
    try:
        screen = await s.reach()
    except Unreachable as exc:
        failures.append(f"cannot reach the screen: {exc}")
        return True  # nothing more to learn here
    if progress.widgets is None:
        chain = screen.focus_chain
        progress.widgets = [widget_name(w, chain) for w in chain] or [NO_FOCUS]
        progress.roles = roles(chain)
        progress.keys = {}
    assert progress.keys is not None
    while progress.widget < len(progress.widgets):
        name = progress.widgets[progress.widget]
        if app.screen is not screen and not await back_to(s, screen):
            try:
                screen = await s.reach()
            except Unreachable as exc:
                failures.append(f"after focus {name}: cannot get back to the screen: {exc}")
                return True
        if name != NO_FOCUS:
            widget = find_widget(screen, name)
            if widget is None:  # not focusable in this state (a hidden table): nothing to press
                progress.widget, progress.key = progress.widget + 1, 0
                continue
            if app.focused is not widget:
                widget.focus()
                await settle(s.pilot)
        if progress.widget not in progress.keys:
            role = progress.roles[progress.widget] if progress.roles else None
            progress.keys[progress.widget] = plan_keys(app, progress.widget, role)
        keys = progress.keys[progress.widget]
        if progress.key >= len(keys):
            progress.widget, progress.key = progress.widget + 1, 0
            continue
        key = keys[progress.key]
        progress.key += 1
        progress.pressed += 1
        try:
            await s.key(key)
        except AssertionError as exc:  # settle's timeout: the app hangs
            failures.append(f"focus {name}, key {key!r}: {exc}")
            return False
        problem = s.watch.trouble(app)
        if problem is None and app.lang != s.lang:  # F2: back to the test's language, through the UI too
            await s.key("f2")
            problem = s.watch.trouble(app)
            key += " (then f2 back)"
        if problem is not None:
            failures.append(f"focus {name}, key {key!r}: {problem}")
            if app._exception is not None or not app.is_running:
                return False
            s.watch.worker_errors.clear()
            await s.home()  # closes the error screen; the sweep goes on
            if s.watch.trouble(app):
                return False
    return True


async def sweep(make: Callable[[str], LobbyApp], who: str, lang: str, route: Route, db: Path) -> tuple[list[str], int]:
    failures: list[str] = []
    progress = Progress()
    for _ in range(MAX_RESTARTS + 1):
        watch = Watch()
        app = make(lang)
        done = False
        try:
            async with app.run_test(size=SIZE, message_hook=watch.hook) as pilot:
                s = Sweeper(pilot, who, lang, route, db, watch)
                done = await sweep_once(s, progress, failures)
        except Exception as exc:  # noqa: BLE001 - run_test re-raises the app's crash: reported above
            if exc is not app._exception:
                failures.append(f"run_test raised {describe_exc(exc)}")
        if app.return_code not in (None, 0) and app._exception is None:
            failures.append(f"the app's return code was {app.return_code}")
        if done:
            return failures, progress.pressed
    failures.append(f"stopped after {MAX_RESTARTS} restarts of the app")
    return failures, progress.pressed


@pytest.mark.parametrize(("who", "name", "lang"), CASES, ids=[f"{who}-{name}-{lang}" for who, name, lang in CASES])
async def test_every_key_on_every_widget(make_review_app, review_db, who: str, name: str, lang: str) -> None:
    routes = {"manager": MANAGER_ROUTES, "account_manager": ACCOUNT_MANAGER_ROUTES}.get(who, SUPERVISOR_ROUTES)
    failures, pressed = await sweep(make_review_app, who, lang, routes[name], review_db)
    assert pressed > 0, "the sweep pressed no key"
    assert not failures, f"{who} {name} [{lang}], {len(failures)} of {pressed} keys failed:\n  " + "\n  ".join(failures)
