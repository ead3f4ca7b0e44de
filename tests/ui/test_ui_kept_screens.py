"""Screens the app keeps from one customer to the next (ui/kept.py): the same screen shown again,
with nothing of the last customer left on it, and a new one where the old would not fit."""

from __future__ import annotations

from textual.widgets import Button, Input

from lobby_tui.ui.screens.board import BoardScreen
from lobby_tui.ui.screens.greet import GreetScreen
from lobby_tui.ui.screens.lookup import LookupScreen
from lobby_tui.ui.screens.signin import SignInScreen

from .conftest import settle, sign_in, until


def kept_names(app) -> list[str]:  # type: ignore[no-untyped-def]
    return [name for name in app._installed_screens if name.startswith("kept-")]


async def greet(pilot) -> GreetScreen:  # type: ignore[no-untyped-def]
    """`n` on the board: the greeting, settled."""
    await pilot.press("n")
    await until(pilot, lambda: isinstance(pilot.app.screen, GreetScreen))
    await settle(pilot)
    return pilot.app.screen


async def back_to_board(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("escape")
    await until(pilot, lambda: isinstance(pilot.app.screen, BoardScreen))


async def test_the_next_customer_gets_the_same_greeting_with_nothing_of_the_last(make_app, check_store):
    app = make_app()
    async with app.run_test(size=(60, 20)) as pilot:
        await sign_in(pilot)
        await pilot.press("n")
        await settle(pilot)
        first = app.screen
        assert isinstance(first, GreetScreen)
        await pilot.press("ctrl+n", *"wheelchair", "escape")  # a note, then back to the reasons
        await pilot.press("1")  # a cash withdrawal: the visit starts, the lookup opens
        await until(pilot, lambda: isinstance(app.screen, LookupScreen))
        await pilot.press("escape")  # back to the greeting: the same customer, the note still there
        await until(pilot, lambda: app.screen is first)
        assert first.query_one("#notes", Input).value == "wheelchair"
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, BoardScreen))
        await settle(pilot)
        await pilot.press("n")  # the next customer
        await until(pilot, lambda: isinstance(app.screen, GreetScreen))
        await settle(pilot)
        assert app.screen is first  # not composed again
        assert first.query_one("#notes", Input).value == ""
        assert isinstance(first.focused, Button) and first.focused.id == "reason-cash_withdrawal"
        await pilot.press("2")  # the next reason key starts the next visit: it is not refused as a repeat
        await until(pilot, lambda: isinstance(app.screen, LookupScreen))
        await settle(pilot)
    notes = [r[0] for r in check_store.query("SELECT notes FROM visits ORDER BY ts, rowid")]
    assert notes == ["wheelchair", None]


async def test_a_greeting_is_made_anew_in_another_language_or_size(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        english = await greet(pilot)
        await back_to_board(pilot)
        await pilot.press("f2")  # the language
        await settle(pilot)
        chinese = await greet(pilot)
        assert chinese is not english and "取现" in str(chinese.query_one("#reason-cash_withdrawal", Button).label)
        assert not english.is_attached and len(kept_names(app)) == 1  # the old one is gone
        await back_to_board(pilot)
        await pilot.resize_terminal(60, 20)
        await settle(pilot)
        await greet(pilot)
        assert chinese.has_class("-wide") and not chinese.has_class("-narrow")
        assert app.screen is not chinese and app.screen.has_class("-narrow") and not app.screen.has_class("-wide")
        assert len(kept_names(app)) == 1


async def test_signing_out_drops_the_kept_greeting(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        greeting = await greet(pilot)
        await back_to_board(pilot)
        await pilot.press("ctrl+o")
        await until(pilot, lambda: isinstance(app.screen, SignInScreen))
        await settle(pilot)
        assert kept_names(app) == [] and not greeting.is_attached


async def test_a_kept_greeting_takes_a_theme_changed_while_it_was_away(make_app):
    """Shown again, a kept screen skips Textual's restyling unless the app's CSS changed meanwhile
    (ui/kept.py Reshown): the high-contrast theme, switched on the board, reaches it."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        greeting = await greet(pilot)
        button = greeting.query_one("#reason-transfer", Button)
        before = (button.styles.background, button.styles.color)
        await back_to_board(pilot)
        await pilot.press("f3")
        await settle(pilot)
        assert await greet(pilot) is greeting
        shown = (button.styles.background, button.styles.color)
        assert shown != before
        greeting.update_node_styles(animate=False)  # what styling it in full gives
        assert (button.styles.background, button.styles.color) == shown


async def test_the_kept_day_summary_shows_the_visit_confirmed_since(make_app):
    from lobby_tui.ui.screens.guidance import GuidanceScreen
    from lobby_tui.ui.screens.shift_log import DaySummaryScreen

    app = make_app()
    async with app.run_test(size=(60, 20)) as pilot:
        await sign_in(pilot)
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, DaySummaryScreen) and app.screen.figures is not None)
        summary = app.screen
        assert isinstance(summary, DaySummaryScreen) and summary.figures is not None
        visits = summary.figures["visits"]
        summary.query_one("#summary-body").scroll_end(animate=False)
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, BoardScreen))
        await pilot.press("n", "1")
        await until(pilot, lambda: isinstance(app.screen, LookupScreen))
        await pilot.press("enter")  # nobody typed: an unidentified walk-in
        await until(pilot, lambda: isinstance(app.screen, GuidanceScreen))
        await settle(pilot)
        await pilot.press("enter")  # confirmed
        await until(pilot, lambda: isinstance(app.screen, BoardScreen))
        await settle(pilot)
        await pilot.press("e")
        await until(pilot, lambda: app.screen is summary)
        await settle(pilot)
        assert summary.figures["visits"] == visits + 1
        head = summary.query_one("#summary-part-0")
        row = next(line for y in range(head.size.height) if "Visits" in (line := head.render_line(y).text))
        assert row.replace("│", " ").split()[-1] == str(visits + 1)  # drawn, not only read
        assert summary.query_one("#summary-body").scroll_y == 0  # from the top again


async def test_the_kept_guidance_shows_the_next_customer_and_nothing_of_the_last(make_app, check_store):
    """A private-banking customer with an amount typed and the entitlements opened, then an
    unidentified walk-in: the same guidance screen, the walk-in's tier, badge and advice, no amount
    and the entitlements closed; each visit stored as its own."""
    from textual.widgets import Collapsible

    from lobby_tui.ui.screens.guidance import GuidanceScreen

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        await pilot.press("n", "1", *"0001")  # cash withdrawal; 赵一鸣, private banking
        await until(pilot, lambda: isinstance(app.screen, LookupScreen) and app.screen.results_for == "0001")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, GuidanceScreen))
        await settle(pilot)
        first = app.screen
        assert isinstance(first, GuidanceScreen) and first.tier == "private_banking"
        await pilot.press("e", "5", "enter")  # the entitlements opened; 5 万 typed, back to Confirm
        await settle(pilot)
        assert not first.query_one("#entitlements", Collapsible).collapsed
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, BoardScreen))
        await settle(pilot)
        await pilot.press("n", "1", "enter")  # the next one: unidentified
        await until(pilot, lambda: isinstance(app.screen, GuidanceScreen))
        await settle(pilot)
        assert app.screen is first and first.tier == "ordinary"
        assert first.query_one("#amount", Input).value == ""
        assert first.query_one("#entitlements", Collapsible).collapsed
        assert "Ordinary" in str(first.query_one("#tier-badge").render())
        assert "Private" not in str(first.query_one("#entitlements", Collapsible).title)
        assert "Unidentified" in str(first.query_one("#identity").render())
        assert first.focused is first.query_one("#confirm")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, BoardScreen))
        await settle(pilot)
    rows = check_store.query("SELECT tier, amount_fen, destination FROM visits ORDER BY ts, rowid")
    assert [r["tier"] for r in rows] == ["private_banking", "ordinary"]
    assert rows[0]["amount_fen"] == 5_000_000 and rows[1]["amount_fen"] is None
    assert rows[1]["destination"] == "self_service"


async def test_a_reason_without_an_amount_has_a_guidance_of_its_own(make_app):
    from lobby_tui.ui.screens.guidance import GuidanceScreen

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        shown = []
        for reason in ("1", "4", "1"):  # cash withdrawal (an amount box), bill payment (none), cash again
            await pilot.press("n", reason, "enter")
            await until(pilot, lambda: isinstance(app.screen, GuidanceScreen))
            await settle(pilot)
            shown.append(app.screen)
            assert bool(app.screen.query("#amount")) == (reason == "1")
            await pilot.press("escape", "escape", "escape")  # back to the board
            await until(pilot, lambda: isinstance(app.screen, BoardScreen))
            await settle(pilot)
        assert shown[0] is shown[2] and shown[1] is not shown[0]


async def test_the_kept_lookup_starts_empty_for_the_next_customer(make_app, check_store):
    from lobby_tui.ui.widgets.plain_lists import OptionList

    app = make_app()
    async with app.run_test(size=(60, 20)) as pilot:
        await sign_in(pilot)
        await pilot.press("n", "1", *"0001")
        await until(pilot, lambda: isinstance(app.screen, LookupScreen) and app.screen.results_for == "0001")
        lookup = app.screen
        assert lookup.query_one("#results", OptionList).option_count == 1
        await pilot.press(*"000")  # typed on, then Escape before the search: a slip, cancelled
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, GreetScreen))
        await pilot.press("2")  # a deposit, for someone else
        await until(pilot, lambda: app.screen is lookup)
        await settle(pilot)
        assert isinstance(lookup, LookupScreen)
        assert lookup.query_one("#search", Input).value == "" and lookup.results_for is None
        assert lookup.query_one("#results", OptionList).option_count == 0
        assert "Deposit" in str(lookup.query_one("#lookup-title").render())
        assert lookup.focused is lookup.query_one("#search")
        await pilot.press("enter")  # nobody typed: the unidentified walk-in, for this visit
        await settle(pilot)
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, BoardScreen))
        await settle(pilot)
    rows = check_store.query("SELECT reason, outcome, customer_id FROM visits ORDER BY ts, rowid")
    assert [(r["reason"], r["outcome"], r["customer_id"]) for r in rows] == [
        ("cash_withdrawal", "cancelled", None),
        ("cash_deposit", "waiting", None),
    ]
