"""What start-up and each new screen skip to be fast (issue 15), held to what they must still do."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator

import pytest
from textual.app import ComposeResult
from textual.screen import Screen

from lobby_tui.ui.app import LobbyApp
from lobby_tui.ui.screens.signin import SignInScreen
from lobby_tui.ui.widgets.plain import Static
from tests.ui.conftest import MANAGER, settle, sign_in, until


@pytest.fixture
def collector_held() -> Iterator[None]:
    """As `lobby-tui` starts the app (commands/app.py): the cyclic collector off until sign-in."""
    gc.disable()
    try:
        yield
    finally:
        gc.unfreeze()
        gc.enable()


@pytest.mark.usefixtures("collector_held")
async def test_the_collector_resumes_once_sign_in_is_painted(make_app: Callable[..., LobbyApp]) -> None:
    app = make_app("en")
    async with app.run_test(size=(60, 20)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, SignInScreen) and gc.isenabled())
        assert gc.get_freeze_count() > 0  # what start-up made is out of the collector's walks
        await sign_in(pilot, MANAGER)
        assert type(app.screen).__name__ == "BoardScreen"
        assert gc.isenabled()


async def test_the_collector_is_left_alone_when_it_was_on(make_app: Callable[..., LobbyApp]) -> None:
    """Pilot tests and embedding: nothing is frozen when start-up did not hold the collector."""
    app = make_app("en")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, SignInScreen)
        assert gc.isenabled()
        assert gc.get_freeze_count() == 0


class WidthProbe(Screen[None]):
    """Notes its classes while it is composed: before Textual's first Resize of it."""

    seen: set[str] = set()

    def compose(self) -> ComposeResult:
        WidthProbe.seen = set(self.classes)
        yield Static("probe")


@pytest.mark.parametrize(("size", "has", "lacks"), [((60, 20), "-narrow", "-wide"), ((80, 24), "-wide", "-narrow")])
@pytest.mark.parametrize("how", ["push", "switch"])
async def test_a_new_screen_has_its_width_class_before_it_is_styled(
    make_app: Callable[..., LobbyApp], size: tuple[int, int], has: str, lacks: str, how: str
) -> None:
    """Without it, the class came with the first Resize and restyled every widget a second time."""
    app = make_app("en")
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        WidthProbe.seen = set()
        probe = WidthProbe()
        if how == "push":
            app.push_screen(probe)
        else:
            app.switch_screen(probe)
        await until(pilot, lambda: app.screen is probe)
        await settle(pilot)
        assert has in WidthProbe.seen and lacks not in WidthProbe.seen
        assert probe.has_class(has) and not probe.has_class(lacks)  # and Textual agrees once it has resized it


async def test_the_width_class_follows_the_terminal_after_a_resize(make_app: Callable[..., LobbyApp]) -> None:
    app = make_app("en")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.screen.has_class("-wide")
        await pilot.resize_terminal(60, 20)
        await until(pilot, lambda: app.screen.has_class("-narrow"))
        assert not app.screen.has_class("-wide")
