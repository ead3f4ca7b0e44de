"""Fixtures for the app: a seeded database in tmp_path, a fixed clock, and Pilot helpers.

Nothing here reads the developer's own database, config or language: the app gets its store and
language explicitly, and LOBBY_TUI_* variables are cleared.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input

from lobby_tui.domain.idnumber import check_character
from lobby_tui.store import LobbyStore
from lobby_tui.ui.app import LobbyApp

BEIJING = timezone(timedelta(hours=8))
UI_NOW = datetime(2026, 11, 18, 10, 30, tzinfo=BEIJING)  # a Wednesday morning, mid-month
MANAGER = ("1001", "王丽", "246810")
SUPERVISOR = ("9001", "陈主管", "135790")


def id_number(birth: str, seq: str = "123", region: str = "110105") -> str:
    body = region + birth + seq
    return body + check_character(body)


@dataclass(frozen=True)
class Known:
    """A directory customer the tests know: their phone and what they should be."""

    name: str
    phone: str
    tier: str
    assets: Decimal
    other: Decimal = Decimal(0)
    id_number: str | None = None
    education: str | None = None


CUSTOMERS = [
    Known("赵一鸣", "13900000001", "private_banking", Decimal("12000000")),
    Known("钱二", "13900000002", "high_end", Decimal("3000000")),
    Known("孙三明", "13900000003", "mid_end", Decimal("500000")),
    Known("李四海", "13900000004", "mass_affluent", Decimal("80000")),
    Known(
        "周小五", "13900000005", "potential", Decimal("10000"), id_number=id_number("20040312"), education="bachelor"
    ),
    Known(
        "吴六",
        "13900000006",
        "ordinary",
        Decimal("20000"),
        id_number=id_number("19800101", "456"),
        education="senior_high",
    ),
    Known("郑七", "13900000007", "mass_affluent", Decimal("150000"), other=Decimal("100000")),
    Known("张伟", "13800005678", "mid_end", Decimal("250000")),
    Known(
        "张伟强",
        "13700005678",
        "ordinary",
        Decimal("1000"),
        id_number=id_number("19700505", "789"),
        education="primary",
    ),
]


@pytest.fixture(autouse=True)
def _no_developer_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for var in ("LOBBY_TUI_DB", "LOBBY_TUI_LANG", "LOBBY_TUI_DATA", "LOBBY_TUI_DEVICE"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LOBBY_TUI_LOG", str(tmp_path / "lobby-tui.log"))  # never the developer's log


@pytest.fixture(autouse=True)
def _steady_cursor(monkeypatch: pytest.MonkeyPatch) -> None:
    """An Input's cursor stays drawn: its blink (every 0.5 s) made a snapshot depend on when it was
    taken, and under load in CI test_lookup_with_matches[60x20-zh] caught the cursor off."""

    def keep_visible(self: Input) -> None:
        self._cursor_visible = True

    monkeypatch.setattr(Input, "_toggle_cursor", keep_visible)


@pytest.fixture
def apps_made() -> Iterator[list[LobbyApp]]:
    """Every app a test makes: the test fails if any met an unexpected error. The app shows such an
    error on its error screen rather than ending (LobbyApp._handle_exception), so without this a
    crash would pass unnoticed."""
    made: list[LobbyApp] = []
    yield made
    errors = [repr(e) for app in made for e in app.unexpected_errors]
    assert not errors, f"unexpected errors in the app: {errors}"


def seed(store: LobbyStore) -> None:
    store.check()
    store.add_staff(MANAGER[0], MANAGER[1], "lobby_manager", MANAGER[2])
    store.add_staff(SUPERVISOR[0], SUPERVISOR[1], "supervisor", SUPERVISOR[2])
    for c in CUSTOMERS:
        store.add_customer(
            name=c.name,
            phone=c.phone,
            id_number=c.id_number,
            assets=c.assets,
            other_assets=c.other,
            education=c.education,
        )


@pytest.fixture
def ui_db(tmp_path: Path) -> Path:
    path = tmp_path / "lobby.db"
    store = LobbyStore(path, clock=lambda: UI_NOW, device_id="tablet-test")
    seed(store)
    store.close()
    return path


@pytest.fixture
def make_app(ui_db: Path, apps_made: list[LobbyApp]) -> Callable[..., LobbyApp]:
    def make(lang: str = "en", path: Path | None = None) -> LobbyApp:
        store = LobbyStore(path or ui_db, clock=lambda: UI_NOW, device_id="tablet-test")
        app = LobbyApp(store, lang=lang, idle_lock_seconds=180)
        apps_made.append(app)
        return app

    return make


@pytest.fixture
def check_store(ui_db: Path) -> LobbyStore:
    """A second connection to the same file, to check what the app committed."""
    return LobbyStore(ui_db, clock=lambda: UI_NOW, device_id="tablet-test")


def supervisor(store: LobbyStore) -> str:
    """The supervisor signed in on `store` (their Session): a supervisor's work needs one (issue 14)."""
    return store.sign_in(SUPERVISOR[0], SUPERVISOR[2]).id


async def settle(pilot: Pilot) -> None:
    """Wait until database workers have finished and their results are on screen, tables included:
    a DataTable works out its column widths on an idle of its own after rows are added, which under
    load in CI had not come yet (columns at header width in two snapshots and a text check)."""
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
    for _ in range(50):
        if not any(table._require_update_dimensions for table in pilot.app.screen.query(DataTable)):
            break
        await pilot.pause()


async def sign_in(pilot: Pilot, staff: tuple[str, str, str] = MANAGER) -> None:
    await settle(pilot)
    await pilot.press(*staff[0], "enter")
    await pilot.press(*staff[2], "enter")
    await settle(pilot)


async def until(pilot: Pilot, condition: Callable[[], bool], tries: int = 200) -> None:
    """Let the app run until `condition` holds (it polls; it never waits a fixed time)."""
    for _ in range(tries):
        if condition():
            return
        await pilot.pause()
    raise AssertionError("the app never reached the expected state")


async def search_now(pilot: Pilot, text: str) -> None:
    """Type into the lookup box and run the search at once (no waiting for the typing pause)."""
    await pilot.press(*text)
    pilot.app.screen.search(text)
    await settle(pilot)


# ---------------------------------------------------------------- the shift log and its review (issue 4)


@pytest.fixture(scope="session")
def _review_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeded database plus 30 days of demo history (patrols, incidents, closed, sent-back and
    signed-off shifts), made once a session: the review's tests copy it."""
    from lobby_tui.store.demo import generate_demo

    path = tmp_path_factory.mktemp("review") / "lobby.db"
    store = LobbyStore(path, clock=lambda: UI_NOW, device_id="tablet-test")
    # The demo's second lobby manager first: once a supervisor exists, adding staff needs their session.
    store.add_staff("1002", "李强", "lobby_manager", "357911")
    seed(store)
    generate_demo(store, customers=300, days=30, seed=4)
    store.close()
    return path


@pytest.fixture
def review_db(_review_template: Path, tmp_path: Path) -> Path:
    """A copy of the review template (database, key file and audit anchor) for one test."""
    import shutil

    path = tmp_path / "review.db"
    for suffix in ("", ".key", ".anchor"):
        shutil.copy(str(_review_template) + suffix, str(path) + suffix)
    return path


@pytest.fixture
def make_review_app(review_db: Path, apps_made: list[LobbyApp]) -> Callable[..., LobbyApp]:
    def make(lang: str = "en") -> LobbyApp:
        store = LobbyStore(review_db, clock=lambda: UI_NOW, device_id="tablet-test")
        app = LobbyApp(store, lang=lang, idle_lock_seconds=180)
        apps_made.append(app)
        return app

    return make


@pytest.fixture
def review_store(review_db: Path) -> LobbyStore:
    """A second connection to the review database, to check what the app committed."""
    return LobbyStore(review_db, clock=lambda: UI_NOW, device_id="tablet-test")
