"""Pilot tests that walk the lobby manager's whole flow and check what the database holds."""

from __future__ import annotations

import pytest

from lobby_tui.ui.screens.board import BoardScreen
from lobby_tui.ui.screens.guidance import GuidanceScreen
from lobby_tui.ui.screens.lookup import LookupScreen
from lobby_tui.ui.screens.signin import SignInScreen

from .conftest import CUSTOMERS, MANAGER, settle, sign_in, until

EXPECTED = {  # tier -> (destination for a cash withdrawal, referral)
    "private_banking": ("priority_counter", "private_banking"),
    "high_end": ("priority_counter", "wealth_management_centre"),
    "mid_end": ("priority_counter", None),
    "mass_affluent": ("self_service", None),
    "potential": ("self_service", None),
    "ordinary": ("self_service", None),
}


async def open_the_walk_in_form(pilot) -> None:
    """Signed in, a cash withdrawal greeted, and F4 on the lookup: classify by assets."""
    await sign_in(pilot)
    await pilot.press("n", "1")
    await settle(pilot)
    await pilot.press("f4")
    await pilot.pause()


async def test_sign_in_opens_the_shift_and_shows_the_board(make_app, check_store):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        assert isinstance(app.screen, BoardScreen)
        assert app.staff.id == MANAGER[0]
    shifts = check_store.query("SELECT staff_id, status FROM shifts")
    assert [tuple(r) for r in shifts] == [(MANAGER[0], "open")]
    actions = [r["action"] for r in check_store.query("SELECT action FROM audit ORDER BY seq")]
    assert "signin" in actions and "shift_opened" in actions


async def test_wrong_pin_is_refused_beside_the_field(make_app, check_store):
    app = make_app()
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        await pilot.press(*"1001", "enter", *"0000", "enter")  # too short to be a PIN: costs no try
        await settle(pilot)
        assert isinstance(app.screen, SignInScreen)
        assert "6 to 8 digits" in str(app.screen.query_one("#signin-error").render())
        assert check_store.query("SELECT failed_pins FROM staff WHERE staff_id = '1001'")[0][0] == 0
        await pilot.press(*"000000", "enter")
        await settle(pilot)
        assert "Wrong PIN" in str(app.screen.query_one("#signin-error").render())
    assert check_store.query("SELECT failed_pins FROM staff WHERE staff_id = '1001'")[0][0] == 1


@pytest.mark.parametrize(
    "known", [c for c in CUSTOMERS if c.phone.startswith("139")], ids=lambda c: c.tier + "-" + c.phone[-1]
)
async def test_directory_customer_of_each_tier_is_guided_and_committed(make_app, check_store, known):
    app = make_app()
    async with app.run_test(size=(60, 20)) as pilot:
        await sign_in(pilot)
        await pilot.press("n")
        await pilot.press("1")  # cash withdrawal
        await settle(pilot)
        assert isinstance(app.screen, LookupScreen)
        await pilot.press(*known.phone, "enter")  # the full phone finds exactly one customer
        await settle(pilot)
        assert isinstance(app.screen, GuidanceScreen)
        assert app.screen.tier == known.tier
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, BoardScreen)
    visit = check_store.query("SELECT * FROM visits WHERE outcome = 'waiting'")[0]
    customer = check_store.lookup(phone=known.phone)[0]
    destination, referral = EXPECTED[known.tier]
    if known.other and known.tier == "mass_affluent":  # potential quality: to the quality channel
        destination = "priority_counter"
        assert visit["potential_quality"] == 1
    assert visit["customer_id"] == customer.id
    assert visit["tier"] == known.tier
    assert visit["reason"] == "cash_withdrawal"
    assert visit["destination"] == visit["recommended_destination"] == destination
    assert visit["refer_to"] == referral
    assert visit["ticket"].endswith("001") and visit["confirmed_ts"]
    assert visit["staff_id"] == MANAGER[0] and visit["shift_id"]


async def test_ordinary_walk_in_takes_four_keys_from_the_board(make_app, check_store):
    app = make_app()
    async with app.run_test(size=(60, 20)) as pilot:
        await sign_in(pilot)
        for key in ("n", "1", "enter", "enter"):  # new, cash withdrawal, unidentified, confirm
            await pilot.press(key)
            await settle(pilot)
        assert isinstance(app.screen, BoardScreen)
    rows = check_store.query("SELECT tier, customer_id, destination, ticket FROM visits")
    assert [tuple(r) for r in rows] == [("ordinary", None, "self_service", "S001")]


async def test_phone_last_four_with_several_matches_lists_them_masked(make_app, check_store):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        keys = ["n", "3", *"5678"]  # transfer; last four shared by 张伟 and 张伟强
        for key in keys:
            await pilot.press(key)
        screen = app.screen
        await until(pilot, lambda: screen.results_for == "5678")
        screen = app.screen
        assert isinstance(screen, LookupScreen)
        options = screen.query_one("#results")
        shown = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert len(shown) == 2
        assert all("张*" in s and "****5678" in s for s in shown)
        assert not any("张伟" in s or "13800005678" in s for s in shown)
        await pilot.press("down", "enter", "enter")  # ↓ is the second match; take it, then confirm
        await settle(pilot)
        assert len(keys) + 3 == 9  # README: 8 for the first match, one ↓ more for each further one
    visit = check_store.query("SELECT customer_id, tier FROM visits")[0]
    assert visit["customer_id"] == check_store.lookup(phone="13700005678")[0].id


async def test_walk_in_classified_by_assets_in_wan(make_app, check_store):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        await pilot.press("n", "w")  # wealth products
        await settle(pilot)
        await pilot.press("f4")
        await pilot.pause()
        await pilot.press(*"15", "enter", *"10", "enter", *"45", "enter")  # 15万 here, 10万 elsewhere, 45
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, GuidanceScreen)
        assert screen.tier == "mass_affluent"
        assert screen.draft.classification.potential_quality
        assert "other banks" in str(screen.query_one("#flags").render())
        await pilot.press("enter")
        await settle(pilot)
    visit = check_store.query("SELECT * FROM visits")[0]
    assert (visit["tier"], visit["potential_quality"], visit["destination"]) == ("mass_affluent", 1, "account_manager")


async def test_bad_assets_get_a_message_beside_the_field(make_app):
    app = make_app("zh")
    async with app.run_test(size=(60, 20)) as pilot:
        await open_the_walk_in_form(pilot)
        await pilot.press(*"abc", "enter", "enter", "enter")
        await pilot.pause()
        assert "无法识别的金额" in str(app.screen.query_one("#assets-error").render())
        assert app.screen.query_one("#assets").has_focus


async def test_override_asks_for_a_reason_and_is_audited(make_app, check_store):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        await pilot.press("n", "1")
        await settle(pilot)
        await pilot.press("enter")  # unidentified: self-service recommended
        await settle(pilot)
        await pilot.press("o")
        await pilot.pause()
        alternatives = app.screen.choices
        await pilot.press(str(alternatives.index("cash_counter") + 1))
        await pilot.pause()
        await pilot.press("enter")  # an empty reason is refused
        await pilot.pause()
        assert "needs a reason" in str(app.screen.query_one("#override-error").render())
        await pilot.press(*"card reader broken", "enter")
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, BoardScreen)
    visit = check_store.query("SELECT * FROM visits")[0]
    assert (visit["recommended_destination"], visit["destination"]) == ("self_service", "cash_counter")
    assert visit["override_reason"] == "card reader broken"
    assert visit["ticket"] == "A001"
    audit = check_store.query("SELECT detail FROM audit WHERE action = 'override'")
    assert len(audit) == 1 and "card reader broken" in audit[0]["detail"]
    assert check_store.verify_audit() is None


async def test_idle_lock_and_unlock_keep_what_was_typed(make_app, check_store):
    app = make_app()
    async with app.run_test(size=(60, 20)) as pilot:
        await sign_in(pilot)
        await pilot.press("n", "1")
        await settle(pilot)
        await pilot.press(*"1390000")
        app._last_input -= 10_000  # as if the tablet had been left alone
        app._check_idle()
        await settle(pilot)
        assert app.locked
        await pilot.press("enter")  # on the empty box: told what it wants, no try counted
        await settle(pilot)
        assert app.locked and "Enter your PIN" in str(app.screen.query_one("#lock-error").render())
        # Keys that reach the PIN box as the lock appears were typed for the screen before: no try.
        await pilot.press(*"111111", "enter")
        await settle(pilot)
        assert app.locked and "not taken as a PIN" in str(app.screen.query_one("#lock-error").render())
        assert check_store.query("SELECT failed_pins FROM staff WHERE staff_id = '1001'")[0][0] == 0
        app.screen._shown -= 5  # the manager comes back a little later
        await pilot.press(*"111111", "enter")
        await settle(pilot)
        assert app.locked and "Wrong PIN" in str(app.screen.query_one("#lock-error").render())
        await pilot.press(*MANAGER[2], "enter")
        await settle(pilot)
        assert not app.locked
        assert isinstance(app.screen, LookupScreen)
        assert app.screen.query_one("#search").value == "1390000"
    actions = [r["action"] for r in check_store.query("SELECT action FROM audit ORDER BY seq")]
    assert actions.count("lock") == 1 and "unlock" in actions and "signin_failed" in actions


async def test_board_marks_served_and_left(make_app, check_store):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        for _ in range(2):
            for key in ("n", "2", "enter", "enter"):
                await pilot.press(key)
                await settle(pilot)
        await pilot.press("s")  # the newest visit, at the top
        await settle(pilot)
        await pilot.press("down", "x")
        await settle(pilot)
    outcomes = sorted(r[0] for r in check_store.query("SELECT outcome FROM visits"))
    assert outcomes == ["left", "served"]


async def test_switching_language_keeps_typed_text(make_app):
    app = make_app("en")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press(*"1001")
        await pilot.press("f2")
        await settle(pilot)
        assert app.lang == "zh"
        assert app.screen.query_one("#staff-id").value == "1001"
        assert "工号" in str(app.screen.query("Label").first().render())


async def test_touch_alone_records_a_visit(make_app, check_store):
    """Everything after typing the PIN is a tap: the Footer's keys and the buttons."""
    from textual.widgets._footer import FooterKey

    app = make_app()
    async with app.run_test(size=(60, 20)) as pilot:
        await sign_in(pilot)
        new = next(k for k in app.screen.query(FooterKey) if k.action == "new_customer")
        await pilot.click(new)
        await settle(pilot)
        await pilot.click("#reason-transfer")
        await settle(pilot)
        await pilot.click("#skip")
        await settle(pilot)
        assert isinstance(app.screen, GuidanceScreen)
        await pilot.click("#confirm")
        await settle(pilot)
        assert isinstance(app.screen, BoardScreen)
    rows = check_store.query("SELECT reason, destination, ticket FROM visits")
    assert [tuple(r) for r in rows] == [("transfer", "e_banking", "E001")]


async def test_command_palette_offers_the_screens_actions(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert {"New customer", "Served", "Left", "Redirect", "Follow-up", "Lock"} <= set(titles)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"New customer")
        palette = app.screen
        await until(pilot, lambda: palette.query_one("CommandList").option_count > 0)
        await pilot.press("enter")
        await settle(pilot)
        from lobby_tui.ui.screens.greet import GreetScreen

        assert isinstance(app.screen, GreetScreen)


async def test_high_contrast_theme_toggles(make_app):
    app = make_app()
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        await pilot.press("f3")
        assert app.theme == "lobby-high-contrast"
        await pilot.press("f3")
        assert app.theme != "lobby-high-contrast"


async def test_backing_out_while_the_arrival_is_saved_cancels_it(make_app, check_store):
    app = make_app()
    async with app.run_test(size=(60, 20)) as pilot:
        await sign_in(pilot)
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("2", "2", "escape")  # a double press, then straight back out
        await settle(pilot)
        from lobby_tui.ui.screens.greet import GreetScreen

        # Escape lands on the greeting or the lookup, whichever was showing; either way back out.
        assert isinstance(app.screen, (GreetScreen, BoardScreen))
    rows = [tuple(r) for r in check_store.query("SELECT reason, outcome FROM visits")]
    assert rows == [("cash_deposit", "cancelled")]  # one visit, not two, and not left in progress


async def test_a_demo_database_shows_its_sign_ins(make_app, ui_db):
    from lobby_tui.store import LobbyStore

    store = LobbyStore(ui_db)
    store.mark_demo([("1001", "王丽", "lobby_manager", "246810"), ("9001", "陈主管", "supervisor", "135790")])
    store.close()
    app = make_app("en")
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        hint = app.screen.query_one("#demo-hint")
        assert hint.display
        assert "Lobby manager 1001 / 246810" in str(hint.render())
        assert "Supervisor 9001 / 135790" in str(hint.render())


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_on_a_handheld_the_sign_in_button_is_on_the_screen_under_the_demo_hint(make_app, ui_db, lang):
    """Found in tmux at 60x20: the demo's four sign-ins took two lines and pushed the sign-in button
    below the screen, out of a finger's reach. A wrong PIN's message must not push it off either."""
    from lobby_tui.store import LobbyStore
    from lobby_tui.ui.widgets.plain import Button

    store = LobbyStore(ui_db)
    store.mark_demo(
        [
            ("1001", "王丽", "lobby_manager", "246810"),
            ("1002", "李强", "lobby_manager", "357911"),
            ("3001", "赵经理", "account_manager", "468024"),
            ("9001", "陈主管", "supervisor", "135790"),
        ]
    )
    store.close()
    app = make_app(lang)
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        assert app.screen.query_one("#demo-hint").display
        screen = app.screen.region
        assert screen.contains_region(app.screen.query_one("#signin", Button).region)
        await pilot.press(*"1001", "enter", *"0000", "enter")  # a wrong PIN: its message shows
        await settle(pilot)
        assert str(app.screen.query_one("#signin-error").render()).strip()
        assert screen.contains_region(app.screen.query_one("#signin", Button).region)
        pin = app.screen.query_one("#pin")
        pin.value = "246810"  # the right PIN, then a tap on the button signs in
        await pilot.click("#signin")
        await until(pilot, lambda: not isinstance(app.screen, SignInScreen))


async def test_a_real_database_shows_no_sign_ins(make_app):
    app = make_app("en")
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        assert not app.screen.query_one("#demo-hint").display


async def test_served_beyond_this_machine_a_demo_database_shows_no_sign_ins(make_app, ui_db, monkeypatch, tmp_path):
    """lobby-tui serve --host <LAN> sets LOBBY_TUI_HIDE_DEMO for its sessions; a session tells the
    server when it has signed in (LOBBY_TUI_SERVE_STATE), for the cap on sessions not signed in."""
    from lobby_tui.store import LobbyStore

    store = LobbyStore(ui_db)
    store.mark_demo([("1001", "王丽", "lobby_manager", "246810")])
    store.close()
    state = tmp_path / "state"
    monkeypatch.setenv("LOBBY_TUI_HIDE_DEMO", "1")
    monkeypatch.setenv("LOBBY_TUI_SERVE_STATE", str(state))
    app = make_app("en")
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        assert not app.screen.query_one("#demo-hint").display
        assert not state.exists()
        await sign_in(pilot)
        assert state.read_text() == "signed_in"


@pytest.mark.parametrize("size", [(60, 20), (80, 24)])
async def test_enter_on_not_found_takes_the_unidentified_walk_in(make_app, check_store, size):
    """The button reads "Unidentified walk-in (Enter)": with "not in the directory" on the screen,
    Enter goes on as that, instead of searching the same digits again and staying put."""
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await sign_in(pilot)
        await pilot.press("n", "1")
        await settle(pilot)
        assert isinstance(app.screen, LookupScreen)
        await pilot.press(*"4321", "enter")  # nobody's phone ends in 4321: searched at once
        await settle(pilot)
        assert isinstance(app.screen, LookupScreen) and app.screen.results_for == "4321" and not app.screen.results
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, GuidanceScreen)
        assert app.screen.draft.customer is None
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, BoardScreen)
    rows = check_store.query("SELECT reason, customer_id, outcome FROM visits")
    assert [tuple(r) for r in rows] == [("cash_withdrawal", None, "waiting")]


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_enter_on_an_empty_assets_field_stays_there(make_app, lang):
    """Found in tmux: Enter on the empty assets field moved on, and the 30 typed next went into
    other banks' assets. Enter now checks the field first; the next field only once it is right."""
    app = make_app(lang)
    async with app.run_test(size=(60, 20)) as pilot:
        await open_the_walk_in_form(pilot)
        await pilot.press("enter", *"30", "enter")
        await pilot.pause()
        screen = app.screen
        assert screen.query_one("#assets").value == "30"
        assert screen.query_one("#other").value == ""
        assert screen.query_one("#other").has_focus
        assert str(screen.query_one("#assets-error").render()) == ""  # the message went once it was right
        await pilot.press("enter", "enter")  # other banks: none; no age
        await settle(pilot)
        assert isinstance(app.screen, GuidanceScreen)
        assert app.screen.tier == "mid_end"


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_enter_on_an_empty_staff_id_stays_there(make_app, check_store, lang):
    """Found in tmux: Enter on the empty staff id went to the PIN, so the staff id typed next filled
    the PIN. It now stays, saying what is needed; a sign-in with the staff id empty goes back to it."""
    app = make_app(lang)
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert screen.query_one("#staff-id").has_focus
        assert str(screen.query_one("#signin-error").render()) != ""
        await pilot.click("#pin")
        await pilot.press(*"246810", "enter")  # the PIN first, the staff id still empty
        await pilot.pause()
        assert screen.query_one("#staff-id").has_focus
        await pilot.press(*"1001", "enter", "enter")  # the PIN is still there: Enter signs in
        await settle(pilot)
        assert type(app.screen).__name__ == "BoardScreen"
    assert check_store.query("SELECT count(*) FROM shifts WHERE staff_id = '1001'")[0][0] >= 1
