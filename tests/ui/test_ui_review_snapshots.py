"""Snapshots of every screen of the end of day, the shift log and the supervisor's review, at the
handheld (60x20) and tablet (80x24) sizes, in both languages, on 30 days of demo history.

Update only on purpose: look at the report first (pytest --snapshot-report), then --snapshot-update.
"""

from __future__ import annotations

import pytest

from .conftest import SUPERVISOR, settle, sign_in

SIZES = [(60, 20), (80, 24)]
LANGS = ["zh", "en"]
matrix = pytest.mark.parametrize("lang", LANGS)
sizes = pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")


async def manager(pilot, *keys: str) -> None:
    """Signed in as the lobby manager, the question from the supervisor left for later, then `keys`."""
    await sign_in(pilot)
    await pilot.press("escape")
    await settle(pilot)
    for key in keys:
        await pilot.press(key)
        await settle(pilot)


async def supervisor(pilot, *keys: str) -> None:
    await sign_in(pilot, SUPERVISOR)
    for key in keys:
        await pilot.press(key)
        await settle(pilot)


def shoot(snap_compare, app, size, run_before) -> bool:
    return snap_compare(app, terminal_size=size, run_before=run_before)


# ---------------------------------------------------------------- the lobby manager


@matrix
@sizes
def test_question_at_sign_in(snap_compare, make_review_app, lang, size):
    async def run_before(pilot):
        await sign_in(pilot)

    assert shoot(snap_compare, make_review_app(lang), size, run_before)


@matrix
@sizes
def test_day_summary(snap_compare, make_review_app, lang, size):
    async def run_before(pilot):
        await manager(pilot, "e")

    assert shoot(snap_compare, make_review_app(lang), size, run_before)


@matrix
@sizes
def test_shift_log(snap_compare, make_review_app, lang, size):
    async def run_before(pilot):
        await manager(pilot, "l")

    assert shoot(snap_compare, make_review_app(lang), size, run_before)


@matrix
@sizes
def test_patrol(snap_compare, make_review_app, lang, size):
    async def run_before(pilot):
        await manager(pilot, "l", "p", "1", "2", "ctrl+s")  # two ticked, no note: the note is asked for

    assert shoot(snap_compare, make_review_app(lang), size, run_before)


@matrix
@sizes
def test_correction(snap_compare, make_review_app, lang, size):
    async def run_before(pilot):
        await manager(pilot, "l", "c")

    assert shoot(snap_compare, make_review_app(lang), size, run_before)


@matrix
@sizes
def test_close_shift_refused_while_customers_wait(snap_compare, make_review_app, lang, size):
    async def run_before(pilot):
        await manager(pilot, "l", "k", "y")

    assert shoot(snap_compare, make_review_app(lang), size, run_before)


@matrix
@sizes
def test_earlier_shifts(snap_compare, make_review_app, lang, size):
    async def run_before(pilot):
        await manager(pilot, "l", "o")

    assert shoot(snap_compare, make_review_app(lang), size, run_before)


# ---------------------------------------------------------------- the supervisor


@matrix
@sizes
def test_supervisor_home(snap_compare, make_review_app, lang, size):
    async def run_before(pilot):
        await supervisor(pilot)

    assert shoot(snap_compare, make_review_app(lang), size, run_before)


@matrix
@sizes
def test_shift_list(snap_compare, make_review_app, lang, size):
    async def run_before(pilot):
        await supervisor(pilot, "2")

    assert shoot(snap_compare, make_review_app(lang), size, run_before)


@matrix
@sizes
def test_shift_detail(snap_compare, make_review_app, lang, size):
    async def run_before(pilot):
        await supervisor(pilot, "1", "enter")

    assert shoot(snap_compare, make_review_app(lang), size, run_before)


@matrix
@sizes
def test_sign_off(snap_compare, make_review_app, lang, size):
    async def run_before(pilot):
        await supervisor(pilot, "1", "enter", "s")

    assert shoot(snap_compare, make_review_app(lang), size, run_before)


@matrix
@sizes
def test_trends(snap_compare, make_review_app, lang, size):
    async def run_before(pilot):
        await supervisor(pilot, "3")

    assert shoot(snap_compare, make_review_app(lang), size, run_before)


@matrix
@sizes
def test_compare(snap_compare, make_review_app, lang, size):
    async def run_before(pilot):
        await supervisor(pilot, "4")

    assert shoot(snap_compare, make_review_app(lang), size, run_before)


@matrix
@sizes
def test_staff(snap_compare, make_review_app, lang, size):
    async def run_before(pilot):
        await supervisor(pilot, "5")

    assert shoot(snap_compare, make_review_app(lang), size, run_before)


@matrix
@sizes
def test_add_staff(snap_compare, make_review_app, lang, size):
    async def run_before(pilot):
        await supervisor(pilot, "5", "a")

    assert shoot(snap_compare, make_review_app(lang), size, run_before)


@matrix
@sizes
def test_export(snap_compare, make_review_app, lang, size):
    async def run_before(pilot):
        await supervisor(pilot, "6")
        pilot.app.screen.query_one("#folder").value = "/srv/lobby/exports"  # not the test's own tmp folder
        await settle(pilot)

    assert shoot(snap_compare, make_review_app(lang), size, run_before)
