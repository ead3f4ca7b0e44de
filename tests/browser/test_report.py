"""The supervisor's printable report rendered in a real Chromium (Debian's /usr/bin/chromium, driven by
Playwright), in both languages: the document's structure read back from the page, a PNG of it and an A4
PDF printed from it. The files go to test-artifacts/ (report-*.png, report-*.pdf) to be looked at.

No skip when the browser is missing: `make test` installs it first (scripts/ensure-browser.sh).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright

from lobby_tui.report_html import render_report
from lobby_tui.store import LobbyStore
from lobby_tui.store.demo import generate_demo

pytestmark = pytest.mark.xdist_group("browser")

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
NAME = '<b id="x">王&丽</b>'  # a staff name that is markup: the report must show it as text


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> object:
    """Two demo days; one shift signed off, a lobby manager whose name is markup."""
    store = LobbyStore(tmp_path_factory.mktemp("report") / "lobby.db")
    result = generate_demo(store, customers=300, days=2, seed=1)
    demo_supervisor = next(s for s in result.staff if s[2] == "supervisor")
    supervisor = store.sign_in(demo_supervisor[0], demo_supervisor[3]).id  # their session: sign-off, exports
    with store.write() as conn:
        conn.execute("UPDATE staff SET name = ? WHERE staff_id = '1001'", (NAME,))
    first = store.query("SELECT id, day FROM shifts ORDER BY day, staff_id")[0]
    store.sign_off(first["id"], supervisor, "核对无误 <ok>")
    day = first["day"]
    last = store.query("SELECT max(day) AS d FROM shifts")[0]["d"]
    made = store.export_bundle(supervisor, fmt="html", start=day, end=last)
    store.close()
    return made


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_report_prints_in_chromium(browser: Browser, bundle: object, lang: str) -> None:
    html = render_report(bundle, lang)  # type: ignore[arg-type]
    assert "<pre" not in html and NAME not in html  # escaped, and not a terminal dump
    page = browser.new_page(viewport={"width": 900, "height": 1200})
    try:
        page.set_content(html, wait_until="load")
        shape = page.evaluate(
            """() => ({
                lang: document.documentElement.lang,
                title: document.title,
                tables: document.querySelectorAll('table').length,
                headers: document.querySelectorAll('thead th').length,
                bars: document.querySelectorAll('section.chart svg rect.bar').length,
                injected: document.querySelector('#x') !== null,
                text: document.body.innerText,
            })"""
        )
        assert shape["lang"] == ("zh-CN" if lang == "zh" else "en")
        assert shape["title"].startswith("大堂报告" if lang == "zh" else "Lobby report")
        assert shape["tables"] >= 7 and shape["headers"] >= 20 and shape["bars"] >= 11
        assert not shape["injected"] and NAME in shape["text"] and "核对无误 <ok>" in shape["text"]
        for words in (
            ["网点", "大堂经理", "签核", "主管签字"] if lang == "zh" else ["Branch", "Lobby managers", "Sign-off"]
        ):
            assert words in shape["text"], words
        ARTIFACTS.mkdir(exist_ok=True)
        png = ARTIFACTS / f"report-{lang}.png"
        page.screenshot(path=png, full_page=True)
        assert png.read_bytes().startswith(b"\x89PNG")
        page.emulate_media(media="print")
        pdf = page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
        (ARTIFACTS / f"report-{lang}.pdf").write_bytes(pdf)
        pages = len(re.findall(rb"/Type\s*/Page(?!s)", pdf))
        assert pdf.startswith(b"%PDF") and 1 <= pages <= 8, pages
    finally:
        page.close()
