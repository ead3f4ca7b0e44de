"""`lobby-tui ticket call|done TICKET`: a counter reports a ticket called to its window, or its
service done, so that a queue-calling system or a teller's script keeps the board's queue true.

A called ticket stops counting as waiting; a done ticket is served. Today's tickets only: a ticket
from another day, an unknown one or one no longer waiting is refused in one line (exit 2).
"""

from __future__ import annotations

import argparse
from typing import Any

from lobby_tui.commands.common import UsageError, existing_store, require_staff

ACTIONS = ("call", "done")


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    parser = sub.add_parser("ticket", parents=[common], help="a ticket called to a window, or done")
    actions = parser.add_subparsers(dest="ticket_action", parser_class=type(parser))
    for name in ACTIONS:
        action = actions.add_parser(name, parents=[common], help=f"ticket {name}")
        action.add_argument("ticket", metavar="TICKET", help="the ticket number as printed, e.g. A012")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, lang: str) -> int:
    from lobby_tui.i18n import tr

    action = getattr(args, "ticket_action", None)
    if action not in ACTIONS:
        raise UsageError(tr("ticket.usage", lang))
    store = existing_store(args)
    staff = require_staff(store, lang, "ticket")
    if action == "call":
        visit = store.call_ticket(args.ticket, staff_id=staff, source="cli")
        assert visit.called_ts is not None
        print(tr("ticket.called", lang, ticket=visit.ticket, time=visit.called_ts[11:16]))
    else:
        visit = store.done_ticket(args.ticket, staff_id=staff, source="cli")
        assert visit.done_ts is not None
        print(tr("ticket.done", lang, ticket=visit.ticket, time=visit.done_ts[11:16]))
    return 0
