"""A monkey at the keyboard and the mouse: random keys and clicks on every screen, for a while.

Seeded, so a failure replays exactly; bounded, so it ends. After every action the app must have no
exception and no error screen (the database is healthy: an error screen here means a crash). The
monkey may go anywhere except out: the keys that quit (ctrl+q, ctrl+c) and the command palette
(whose Quit command random typing finds) are left out, and a palette opened by a click is closed.
Sign-in and unlock are done properly when they come up, so five random PINs never lock the account.
"""

from __future__ import annotations

import random
import unicodedata
from datetime import timedelta
from pathlib import Path

import pytest
from textual import events
from textual.command import CommandPalette
from textual.keys import REPLACED_KEYS, _get_unicode_name_from_key
from textual.widgets import Input
from textual.worker import WorkerCancelled, WorkerFailed

from lobby_tui.store import LobbyStore
from lobby_tui.ui.app import LobbyApp
from lobby_tui.ui.screens.error import ErrorScreen
from lobby_tui.ui.screens.lock import LockScreen
from lobby_tui.ui.screens.setup import SetupScreen
from lobby_tui.ui.screens.signin import SignInScreen

from .conftest import MANAGER, SUPERVISOR, UI_NOW

KEYS = (
    list("abcdefghijklmnoprstuvwxyz0123456789")  # every letter but q (quit, on the error screen)
    + [
        "enter",
        "enter",
        "escape",
        "escape",
        "tab",
        "shift+tab",
        "up",
        "down",
        "left",
        "right",
        "space",
        "backspace",
        "home",
        "end",
        "pageup",
        "pagedown",
        "f1",
        "f2",
        "f3",
        "f4",
        "f5",
        "f6",
        "f7",
        "ctrl+l",
        "ctrl+o",
        "ctrl+n",
        "ctrl+s",
        "ctrl+e",
        "ctrl+r",
    ]
)


async def workers_done(app: LobbyApp) -> None:
    """Wait for the database workers; one cancelled by a newer one (a search as you type) is fine,
    and one that failed shows the error screen, which problem() reports."""
    while running := [w for w in app.workers if w.is_running]:
        for worker in running:
            try:
                await worker.wait()
            except (WorkerCancelled, WorkerFailed):
                pass


async def settle(pilot) -> None:  # noqa: ANN001
    for _ in range(3):
        await workers_done(pilot.app)
        await pilot.pause()


async def press(pilot, key: str) -> None:  # noqa: ANN001
    """Like pilot.press, without its two waits for an idle CPU per key (a monkey presses hundreds):
    the key goes in as the driver would send it, and we wait until the screen has handled it, its
    database work is done, and any screen it brought up is up: a quick person's pace, not a
    machine's. (Faster, a reason key then Escape within the same millisecond pushes and pops the
    lookup screen before its Header has set its title, and Textual's Header raises NoMatches.)"""
    app = pilot.app
    try:
        char: str | None = unicodedata.lookup(_get_unicode_name_from_key(REPLACED_KEYS.get(key, key)))
    except KeyError:
        char = key if len(key) == 1 else None
    before = app.screen_stack[:]
    event = events.Key(key, char)
    event.set_sender(app)
    app._driver.send_message(event)
    await pilot._wait_for_screen()
    await pilot._wait_for_screen()
    await workers_done(app)
    await pilot._wait_for_screen()
    if app.screen_stack != before:
        await pilot.pause()


def problem(app: LobbyApp) -> str | None:
    if app._exception is not None:
        return f"exception: {app._exception!r}"
    if not app.is_running:
        return "the app stopped"
    for screen in app.screen_stack:
        if isinstance(screen, ErrorScreen):
            return f"error screen: {screen.message}"
    return None


async def sign_in_properly(pilot, staff: tuple[str, str, str]) -> None:  # noqa: ANN001
    await settle(pilot)  # the screen mounted, its inputs there
    screen = pilot.app.screen
    if isinstance(screen, SignInScreen):
        screen.query_one("#staff-id", Input).value = staff[0]
        screen.query_one("#pin", Input).value = staff[2]
        screen.submit()
    elif isinstance(screen, LockScreen):
        screen.query_one("#pin", Input).value = staff[2]
        screen.unlock()
    await settle(pilot)


async def burst(
    pilot,
    rng: random.Random,
    steps: int,
    staff: tuple[str, str, str] | None,  # noqa: ANN001
    size: tuple[int, int],
    where: str,
) -> list[str]:
    """Press and click at random for `steps` actions; the names of the screens seen."""
    app = pilot.app
    seen: list[str] = []
    for step in range(steps):
        screen = app.screen
        name = type(screen).__name__
        if not seen or seen[-1] != name:
            seen.append(name)
        if isinstance(screen, CommandPalette):
            await press(pilot, "escape")
        elif staff and isinstance(screen, (SignInScreen, LockScreen)) and step:
            await sign_in_properly(pilot, staff)
        elif rng.random() < 0.12:
            await pilot.click(offset=(rng.randrange(size[0]), rng.randrange(size[1])))
        else:
            await press(pilot, rng.choice(KEYS))
        trouble = problem(app)
        assert trouble is None, f"{where}, step {step} on {name}: {trouble}"
    await settle(pilot)
    trouble = problem(app)
    assert trouble is None, f"{where}, at the end: {trouble}"
    return seen


async def home(pilot, staff: tuple[str, str, str]) -> None:  # noqa: ANN001
    """Back to the home screen, signed in: whatever the monkey left open is closed."""
    app = pilot.app
    await workers_done(app)
    for _ in range(3):
        if isinstance(app.screen, (SignInScreen, LockScreen)):
            await sign_in_properly(pilot, staff)
        if len(app.screen_stack) > 2:
            while len(app.screen_stack) > 2:
                app.pop_screen()
            await pilot.pause()
    assert not isinstance(app.screen, (SignInScreen, LockScreen)), "cannot sign in again"


# Every screen, reached by its keys from the home screen (the board; the supervisor's home).
MANAGER_ROUTES = {
    "BoardScreen": (),
    "GreetScreen": ("n",),
    "LookupScreen": ("n", "1"),
    "WalkInScreen": ("n", "1", "f4"),
    "GuidanceScreen": ("n", "1", "f5"),
    "DestinationPicker": ("n", "1", "f5", "o"),
    "OverrideReasonScreen": ("n", "1", "f5", "o", "2"),  # 1 is the recommendation, 2 the first other
    "LockScreen": ("ctrl+l",),
    "DaySummaryScreen": ("e",),
    "ShiftLogScreen": ("l",),
    "PatrolScreen": ("l", "p"),
    "FormScreen": ("l", "i"),
    "EarlierShiftsScreen": ("l", "o"),
    "ConfirmScreen": ("l", "k"),
}
SUPERVISOR_ROUTES = {
    "SupervisorHomeScreen": (),
    "ShiftListScreen": ("2",),
    "ShiftDetailScreen": ("2", "enter"),
    "TrendsScreen": ("3",),
    "CompareScreen": ("4",),
    "StaffScreen": ("5",),
    "ExportScreen": ("6",),
    "BoardScreen": ("7",),
}


async def tour(
    app: LobbyApp,
    staff: tuple[str, str, str],
    routes: dict[str, tuple[str, ...]],
    size: tuple[int, int],
    seed: int,
    steps: int,
) -> set[str]:
    """Each screen in turn: reach it, check it is there, then let the monkey loose on it."""
    rng = random.Random(seed)
    seen: set[str] = set()
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await sign_in_properly(pilot, staff)
        for target, keys in routes.items():
            await home(pilot, staff)
            for key in keys:
                await press(pilot, key)  # waits for the screen, its database work and any new screen
            if type(app.screen).__name__ != target:
                await settle(pilot)
            assert type(app.screen).__name__ == target, f"{keys} led to {type(app.screen).__name__}, not {target}"
            seen |= set(await burst(pilot, rng, steps, staff, size, f"seed {seed}, {target}"))
    return seen


@pytest.mark.parametrize(
    ("staff", "routes", "size", "lang", "seed"),
    [
        (MANAGER, MANAGER_ROUTES, (60, 20), "zh", 1),
        (SUPERVISOR, SUPERVISOR_ROUTES, (80, 24), "en", 2),
    ],
    ids=["manager-60x20-zh", "supervisor-80x24-en"],
)
async def test_random_keys_and_clicks_on_every_screen(make_app, ui_db, staff, routes, size, lang, seed) -> None:
    yesterday = LobbyStore(ui_db, clock=lambda: UI_NOW - timedelta(days=1), device_id="tablet-test")
    shift = yesterday.open_shift(MANAGER[0])  # a closed shift, for the supervisor's list and its detail
    yesterday.close_shift(shift.id, MANAGER[0])
    yesterday.close()
    seen = await tour(make_app(lang), staff, routes, size, seed, steps=8)
    assert set(routes) <= seen


async def test_a_longer_random_walk(make_app) -> None:
    """Wherever the keys lead, for a while: the routes above do not cover every way between screens."""
    app = make_app("en")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await sign_in_properly(pilot, MANAGER)
        seen = await burst(pilot, random.Random(3), 60, MANAGER, (80, 24), "seed 3")
    assert len(set(seen)) >= 4, seen


async def test_random_keys_on_the_first_run_setup(tmp_path: Path) -> None:
    store = LobbyStore(tmp_path / "new.db", clock=lambda: UI_NOW, device_id="tablet-test")
    app = LobbyApp(store, lang="zh", idle_lock_seconds=180)
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, SetupScreen)
        await burst(pilot, random.Random(4), 50, None, (60, 20), "setup")
