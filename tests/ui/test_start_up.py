"""What start-up and each new screen skip to be fast (issue 15), held to what they must still do."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator

import pytest
from textual.app import ComposeResult
from textual.dom import DOMNode
from textual.pilot import Pilot
from textual.screen import Screen

from lobby_tui.store import LobbyStore
from lobby_tui.ui.app import LobbyApp
from lobby_tui.ui.screens.signin import SignInScreen
from lobby_tui.ui.widgets.plain import Button, Static
from tests.ui.conftest import MANAGER, SUPERVISOR, search_now, settle, sign_in, until


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
        # Full collections are the quiet collector's (ui/collector.py), asked on a timer.
        assert app.collector.holding and gc.get_threshold()[2] > 10**6
        assert app._collect_timer is not None
    assert not app.collector.holding and gc.get_threshold()[2] < 10**6  # given back as the app ends


async def test_the_collector_is_left_alone_when_it_was_on(make_app: Callable[..., LobbyApp]) -> None:
    """Pilot tests and embedding: nothing is frozen when start-up did not hold the collector."""
    app = make_app("en")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, SignInScreen)
        assert gc.isenabled()
        assert gc.get_freeze_count() == 0
        assert not app.collector.holding and app._collect_timer is None


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


async def test_a_new_screen_is_styled_once_and_drawn_with_its_facts(
    make_app: Callable[..., LobbyApp], check_store: LobbyStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """From the board to the guidance, no part of a new screen is styled a second time: not the
    screen (on its first resume), not a container (the scroll body focused first, then blurred; a
    Collapsible's class), not a button (its -style-default class set as it mounts). Only a widget
    that changes state (the button focused, the box typed in) is restyled, alone. The guidance is
    drawn once, with the queues, the lead and the booking it asked the store for before it opened."""
    from lobby_tui.ui.screens.guidance import GuidanceScreen

    restyled: list[object] = []
    drawn: list[GuidanceScreen] = []
    update_styles, render_state = LobbyApp.update_styles, GuidanceScreen.render_state

    def noting_restyle(self: LobbyApp, node: DOMNode, animate: bool = True) -> None:
        restyled.append(node)
        update_styles(self, node, animate)

    def noting_draw(self: GuidanceScreen) -> None:
        drawn.append(self)
        render_state(self)

    monkeypatch.setattr(LobbyApp, "update_styles", noting_restyle)
    monkeypatch.setattr(GuidanceScreen, "render_state", noting_draw)
    app = make_app("en")
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, MANAGER)
        restyled.clear()
        await pilot.press("n", "1")
        await search_now(pilot, "0001")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, GuidanceScreen))
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, GuidanceScreen)
        assert screen.focused is screen.query_one("#confirm")
        containers = [node for node in restyled if isinstance(node, DOMNode) and node.children]
        assert containers == []
        buttons = {node.id for node in restyled if isinstance(node, Button)}
        # focused (the first reason, Confirm) or given another variant (the lookup's walk-in, Confirm)
        assert buttons <= {"reason-cash_withdrawal", "walk-in", "confirm"}
        assert drawn == [screen]  # one draw, with every fact in it
        customer = screen.draft.customer
        assert customer is not None and customer.phone_masked.endswith("0001")
        assert screen.draft.waiting == check_store.waiting_counts()
        assert screen.draft.minutes == {code: e.minutes for code, e in check_store.wait_estimates().items()}
        assert screen.lead_preview == check_store.lead_preview(customer.id)
        assert screen.booking == check_store.large_cash_booking(customer.id)


def note_what_it_opens_with(monkeypatch: pytest.MonkeyPatch, screen: type, attribute: str, into: list[object]) -> None:
    """Each `screen` mounted appends the value its `attribute` has then (what was read before it
    opened; a kept screen, ui/kept.py, is given it after it is made and before it mounts)."""
    on_mount = screen.on_mount

    def noting(self: object) -> None:
        into.append(getattr(self, attribute))
        on_mount(self)

    monkeypatch.setattr(screen, "on_mount", noting)


async def open_the_day_summary(pilot: Pilot[None]) -> Screen[None]:
    """Signed in as the manager, `e` on the board: the day summary, settled."""
    from lobby_tui.ui.screens.shift_log import DaySummaryScreen

    await sign_in(pilot, MANAGER)
    await pilot.press("e")
    await until(pilot, lambda: isinstance(pilot.app.screen, DaySummaryScreen))
    await settle(pilot)
    return pilot.app.screen


async def test_the_day_summary_and_the_trends_open_with_what_they_read(
    make_app: Callable[..., LobbyApp], check_store: LobbyStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`e` and the supervisor's `3` read first and open their screen with it: drawn once, never
    empty ("loading") and then again."""
    from lobby_tui.ui.screens.shift_log import DaySummaryScreen
    from lobby_tui.ui.screens.trends import TrendsScreen

    opened_with: list[object] = []
    note_what_it_opens_with(monkeypatch, DaySummaryScreen, "figures", opened_with)
    note_what_it_opens_with(monkeypatch, TrendsScreen, "trend", opened_with)
    app = make_app("en")
    async with app.run_test(size=(60, 20)) as pilot:
        summary = await open_the_day_summary(pilot)
        assert isinstance(summary, DaySummaryScreen)
        assert opened_with == [check_store.day_summary(check_store.today())] == [summary.figures]
        assert "Visits" in summary.query_one("#summary-part-0").render_line(2).text  # the table drawn
    app = make_app("en")
    opened_with.clear()
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, SUPERVISOR)
        while type(app.screen).__name__ != "SupervisorHomeScreen":  # a question sent back: later
            await pilot.press("escape")
            await settle(pilot)
        await pilot.press("3")
        await until(pilot, lambda: isinstance(app.screen, TrendsScreen))
        await settle(pilot)
        trends = app.screen
        assert isinstance(trends, TrendsScreen)
        assert app.staff is not None
        assert opened_with == [check_store.trend(app.staff.id, end=check_store.today(), days=30)]
        assert opened_with == [trends.trend]


async def test_a_slow_read_opens_its_screen_at_once_and_fills_it(
    make_app: Callable[..., LobbyApp], check_store: LobbyStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A store slower than READ_WAIT (a busy file): the summary opens without its figures, says it is
    loading, reads them itself and shows them."""
    from lobby_tui.ui import base
    from lobby_tui.ui.screens.shift_log import DaySummaryScreen

    opened_with: list[object] = []
    note_what_it_opens_with(monkeypatch, DaySummaryScreen, "figures", opened_with)
    monkeypatch.setattr(base, "READ_WAIT", 0.0)
    app = make_app("zh")
    async with app.run_test(size=(60, 20)) as pilot:
        screen = await open_the_day_summary(pilot)
        assert opened_with == [None]
        assert isinstance(screen, DaySummaryScreen)
        assert screen.figures == check_store.day_summary(check_store.today())


@pytest.mark.parametrize("fresh", [True, False])
async def test_the_board_comes_back_drawn_once_with_the_visit_just_confirmed(
    make_app: Callable[..., LobbyApp], check_store: LobbyStore, monkeypatch: pytest.MonkeyPatch, fresh: bool
) -> None:
    """Guidance's confirm reads the board (and who is due) with the commit and hands it over: the
    board comes back already holding the new visit, and does not read itself again (it used to be
    drawn as it was, read, and drawn a second time). A board handed over too long ago (behind the
    lock screen, say) is not shown: the board reads itself as before."""
    from lobby_tui.ui.screens import board as board_module
    from lobby_tui.ui.screens.board import BoardScreen
    from lobby_tui.ui.screens.guidance import GuidanceScreen

    reads: list[str] = []
    on_top: list[object] = []  # the board's top row as it comes back, before anything else runs
    board, resume = LobbyStore.board, BoardScreen.on_screen_resume

    def noting_read(self: LobbyStore, **kwargs: int) -> object:
        reads.append("board")
        return board(self, **kwargs)

    def noting_resume(self: BoardScreen) -> None:
        resume(self)
        table = self.query_one("#recent")
        on_top.append(table.coordinate_to_cell_key((0, 0)).row_key.value if table.row_count else None)  # type: ignore[attr-defined]

    monkeypatch.setattr(LobbyStore, "board", noting_read)
    monkeypatch.setattr(BoardScreen, "on_screen_resume", noting_resume)
    if not fresh:
        monkeypatch.setattr(board_module, "HANDED_FRESH_S", 0.0)
    app = make_app("en")
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, MANAGER)
        await pilot.press("n", "1")
        await search_now(pilot, "0001")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, GuidanceScreen))
        await settle(pilot)
        visit_id = app.screen.draft.visit_id  # type: ignore[attr-defined]
        reads.clear()
        on_top.clear()
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, BoardScreen))
        await settle(pilot)
        if fresh:
            assert on_top == [visit_id]  # the new visit, on top, as the board came back
            assert reads == ["board"]  # read once, with the commit
        else:
            assert on_top != [visit_id] and reads == ["board", "board"]  # read again, as before
            table = app.screen.query_one("#recent")
            assert table.coordinate_to_cell_key((0, 0)).row_key.value == visit_id  # type: ignore[attr-defined]
        assert check_store.get_visit(visit_id).outcome != "in_progress"


async def test_a_board_refresh_that_finds_nothing_new_leaves_the_table_alone(
    make_app: Callable[..., LobbyApp], check_store: LobbyStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The board reads itself every few seconds and mostly finds what it shows: the table is not
    cleared and refilled then (every cell rendered again); a change is shown as before."""
    from lobby_tui.ui.screens.board import BoardScreen

    app = make_app("en")
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, MANAGER)
        board = app.screen
        assert isinstance(board, BoardScreen)
        table = board.query_one("#recent")
        await settle(pilot)
        cleared: list[object] = []
        clear = table.clear  # type: ignore[attr-defined]
        monkeypatch.setattr(table, "clear", lambda *a, **k: cleared.append(a) or clear(*a, **k))
        rows = table.row_count  # type: ignore[attr-defined]
        board.refresh_board()
        await settle(pilot)
        assert cleared == [] and table.row_count == rows  # type: ignore[attr-defined]
        visit_id = check_store.start_visit(reason="cash_withdrawal", shift_id=None, staff_id=MANAGER[0])
        board.refresh_board()
        on_top = lambda: table.coordinate_to_cell_key((0, 0)).row_key.value  # type: ignore[attr-defined]  # noqa: E731
        await until(pilot, lambda: table.row_count > 0 and on_top() == visit_id)  # type: ignore[attr-defined]
        assert len(cleared) == 1


@pytest.mark.parametrize("size", [(60, 20), (80, 24)])
async def test_each_part_of_the_day_summary_is_rendered_once_as_it_opens(
    make_app: Callable[..., LobbyApp], monkeypatch: pytest.MonkeyPatch, size: tuple[int, int]
) -> None:
    """Its parts are Rich tables (ui/widgets/rich_once.py), rendered at every width they are laid
    out at. The body keeps room for its scrollbar from the first layout (app.tcss), so a part is
    not laid out once without the bar, found to overflow and laid out again one column narrower."""
    from lobby_tui.ui.widgets.rich_once import RichOnce

    widths: dict[int, set[int]] = {}
    segments = RichOnce._segments

    def noting(self: RichOnce, width: int) -> object:
        widths.setdefault(id(self), set()).add(width)
        return segments(self, width)

    monkeypatch.setattr(RichOnce, "_segments", noting)
    app = make_app("en")
    async with app.run_test(size=size) as pilot:
        await open_the_day_summary(pilot)
        assert widths and all(len(seen) == 1 for seen in widths.values()), widths
        assert app.screen.query_one("#summary-body").scrollbars_enabled[0]  # it does overflow: the bar is there
