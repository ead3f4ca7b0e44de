"""Snapshots of the account manager's screens (issue 10) at the handheld (60x20) and tablet (80x24)
sizes, in both languages, on 30 days of demo history (its leads worked by the demo account manager).

Update only on purpose: look at the report first (pytest --snapshot-report), then --snapshot-update.
"""

from __future__ import annotations

import pytest

from .conftest import settle, sign_in

ACCOUNT_MANAGER = ("3001", "赵经理", "468024")  # the demo's
matrix = pytest.mark.parametrize("lang", ["zh", "en"])
sizes = pytest.mark.parametrize("size", [(60, 20), (80, 24)], ids=lambda s: f"{s[0]}x{s[1]}")


async def account_manager(pilot, *keys: str) -> None:  # type: ignore[no-untyped-def]
    await sign_in(pilot, ACCOUNT_MANAGER)
    for key in keys:
        await pilot.press(key)
        await settle(pilot)


@matrix
@sizes
def test_account_manager_home(snap_compare, make_review_app, lang, size):
    async def run_before(pilot):
        await account_manager(pilot)

    assert snap_compare(make_review_app(lang), terminal_size=size, run_before=run_before)


@matrix
@sizes
def test_account_manager_converted_to(snap_compare, make_review_app, lang, size):
    async def run_before(pilot):
        await account_manager(pilot, "c")

    assert snap_compare(make_review_app(lang), terminal_size=size, run_before=run_before)
