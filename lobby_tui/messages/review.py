"""Messages for the review feature (zh, en); merged into lobby_tui.i18n.MESSAGES."""

from lobby_tui.i18n import MESSAGES

MESSAGES.update({
})
