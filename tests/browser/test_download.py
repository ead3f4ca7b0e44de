"""An export made on a tablet reaches that tablet's browser as a download (issue 12): textual-serve's
delivery (App.deliver_binary) through `lobby-tui serve`'s /download route, never a folder on the PC.

The supervisor signs in in the browser, opens the export (6) and exports the week's printable report;
the page opens the download, whose answer is read here as the browser gets it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser
from ui.conftest import SUPERVISOR

from lobby_tui.i18n import tr

from .test_serve import (  # noqa: F401 - the fixtures, shared with the serve tests
    DEADLINE,
    Server,
    Tablet,
    browser,
    server,
    wait_for,
)

pytestmark = pytest.mark.xdist_group("browser")


def sign_in_supervisor(tablet: Tablet) -> None:
    """As Tablet.sign_in, to the supervisor's home rather than the board."""
    staff_id, pin = tr("signin.staff_id", "en"), tr("signin.pin", "en")
    wait_for(
        "the staff id box to have focus",
        lambda: tablet.field_border(staff_id) not in (None, tablet.field_border(pin)),
        page=tablet.page,
    )
    focused = tablet.field_border(staff_id)
    tablet.type(SUPERVISOR[0])
    tablet.press("Enter")
    wait_for("the PIN box to have focus", lambda: tablet.field_border(pin) == focused, page=tablet.page)
    tablet.type(SUPERVISOR[2])
    tablet.press("Enter")
    tablet.wait_text(tr("home.compare", "en"))


def test_an_export_on_a_tablet_downloads_to_that_tablet(browser: Browser, server: Server) -> None:  # noqa: F811
    context = browser.new_context(viewport={"width": 1100, "height": 700}, accept_downloads=True)
    tablet = Tablet(context.new_page(), server.url)
    sign_in_supervisor(tablet)
    tablet.press("6")
    tablet.wait_text(tr("export.to_browser", "en"))  # no folder on the lobby PC to fill in
    with tablet.page.expect_download(timeout=DEADLINE * 1000) as arrived:
        tablet.press("Enter")  # on the format (the printable report): Enter exports
    download = arrived.value
    assert download.suggested_filename.startswith("lobby-") and download.suggested_filename.endswith(".html")
    html = Path(download.path()).read_text(encoding="utf-8")  # as the browser saved it
    assert html.startswith("<!DOCTYPE html>") and '<html lang="en">' in html and "<title>Lobby report" in html
    assert "<table" in html and "<svg" in html
    tablet.wait_text(tr("export.downloading", "en", name="").strip())
    assert not (server.db.parent / "exports").exists()  # nothing written beside the database
    context.close()
