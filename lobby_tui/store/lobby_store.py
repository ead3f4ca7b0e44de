"""LobbyStore: the one data-access object. Plain dataclasses out, no SQL outside this package.

The database is opened lazily, on first use, in the thread that uses it (a sqlite3 connection belongs
to the thread that opened it), so the UI's thread workers each get their own connection.
Every write that a person confirms is committed before the call returns.

Each part lives in its own file; this class only puts them together.
"""

from __future__ import annotations

from lobby_tui.store.appointments import AppointmentsMixin
from lobby_tui.store.base import StoreBase, now_local
from lobby_tui.store.customers import LOOKUP_LIMIT, CustomersMixin
from lobby_tui.store.feedback import FeedbackMixin
from lobby_tui.store.imports import ImportsMixin
from lobby_tui.store.leads import LeadsMixin
from lobby_tui.store.shift_log import ShiftLogMixin
from lobby_tui.store.staff import MAX_FAILED_PINS, SignInError, StaffMixin
from lobby_tui.store.visits import Board, VisitsMixin
from lobby_tui.store.waits import WaitsMixin


class LobbyStore(
    ShiftLogMixin,
    StaffMixin,
    CustomersMixin,
    VisitsMixin,
    WaitsMixin,
    LeadsMixin,
    AppointmentsMixin,
    FeedbackMixin,
    ImportsMixin,
    StoreBase,
):
    """Staff and shifts, the customer directory, visits, figures and the audit log."""


__all__ = ["LOOKUP_LIMIT", "MAX_FAILED_PINS", "Board", "LobbyStore", "SignInError", "now_local"]
