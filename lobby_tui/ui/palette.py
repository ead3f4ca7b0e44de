"""Textual's own texts in the app's language: the command palette, its system commands, the keys panel.

Textual writes these in English (the palette's "Search for commands…" and "No matches found", the
system commands Keys / Theme / Quit / Maximize, the keys panel's "Move cursor left"...). Here each is
replaced by a message of the app's tables (palette.* in lobby_tui/ui/strings.py, textual.* in
lobby_tui/messages/textual.py), and follows F2 while it is open.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from rich.align import Align
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.command import CommandInput, CommandList, CommandPalette
from textual.widgets import HelpPanel, KeyPanel, Markdown
from textual.widgets._key_panel import BindingsTable

from lobby_tui.i18n import MESSAGES, tr
from lobby_tui.messages.textual import BINDING_PREFIX
from lobby_tui.ui.widgets.plain_lists import Option

if TYPE_CHECKING:
    from textual.screen import Screen

    from lobby_tui.ui.app import LobbyApp


def _lang(app: object) -> str:
    return str(getattr(app, "lang", "en"))


class LobbyCommandPalette(CommandPalette):
    """The command palette with its placeholder and "no matches" in the app's language.

    `placeholder_key` names the message of the search box (palette.search, or palette.search_themes).
    F2 works inside it too (a modal screen sees only the app's priority bindings)."""

    BINDINGS = [Binding("f2", "app.toggle_lang", show=False)]

    def __init__(self, placeholder_key: str = "palette.search", **kwargs: object) -> None:
        self.placeholder_key = placeholder_key
        super().__init__(placeholder=tr(placeholder_key, "en"), **kwargs)  # type: ignore[arg-type]

    def compose(self) -> ComposeResult:
        self._placeholder = tr(self.placeholder_key, _lang(self.app))
        yield from super().compose()

    def on_mount(self) -> None:
        self.watch(self.app, "lang", self._relabel, init=False)

    def _relabel(self, lang: str) -> None:
        """F2 with the palette open: the search box and the commands change language at once."""
        command_input = self.query_one(CommandInput)
        command_input.placeholder = self._placeholder = tr(self.placeholder_key, lang)
        self._cancel_gather_commands()
        self._stop_no_matches_countdown()
        self._gather_commands(command_input.value.strip())

    def _start_no_matches_countdown(self, search_value: str) -> None:
        # Textual's own, with its text in the app's language.
        self._stop_no_matches_countdown()

        def show_no_matches() -> None:
            if search_value:
                self.query_one(CommandList).add_option(
                    Option(
                        Align.center(Text(tr("palette.no_matches", _lang(self.app)), style="not bold")),
                        disabled=True,
                        id=self._NO_MATCHES,
                    )
                )
                self._list_visible = True
            else:
                self._list_visible = False

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show_no_matches)


# ---------------------------------------------------------------- the keys panel


def _textual_words() -> dict[str, str]:
    """Textual's English binding text -> its message key."""
    return {en: key for key, (_, en) in MESSAGES.items() if key.startswith(BINDING_PREFIX)}


class LobbyBindingsTable(BindingsTable):
    def render_bindings_table(self) -> Table:
        table = super().render_bindings_table()
        lang = _lang(self.app)
        if lang == "en" or len(table.columns) < 2:
            return table
        words = _textual_words()
        cells = table.columns[1]._cells
        for n, cell in enumerate(cells):
            if isinstance(cell, Text):
                cells[n] = _localized(cell, words, lang)
        return table


def _localized(cell: Text, words: dict[str, str], lang: str) -> Text:
    """A description, or a description and its tooltip (Textual adds it after a space, dim)."""
    plain = cell.plain
    if plain in words:
        return Text(tr(words[plain], lang), style=cell.style, end=cell.end)
    for english, key in words.items():
        if plain.endswith(" " + english):
            head = cell[: len(plain) - len(english)]
            head = _localized(head[:-1], words, lang) if head.plain[:-1] in words else head[:-1]
            head.append(" " + tr(key, lang), "dim")
            return head
    return cell


class LobbyKeyPanel(KeyPanel):
    def compose(self) -> ComposeResult:
        yield LobbyBindingsTable(shrink=True, expand=False)


class LobbyHelpPanel(HelpPanel):
    """Textual's help panel (the keys of the focused widget and the screen), its text localised."""

    def compose(self) -> ComposeResult:
        yield Markdown(id="widget-help")
        yield LobbyKeyPanel(id="keys-help")


# ---------------------------------------------------------------- system commands


def system_commands(app: LobbyApp, screen: Screen) -> Iterable[SystemCommand]:
    """Textual's useful system commands, in the app's language: keys panel, maximize, theme, quit.
    (Textual's Screenshot is left out: it writes an SVG file wherever the app was started.)"""
    lang = app.lang
    if screen.query(HelpPanel):
        yield SystemCommand(
            tr("palette.keys_hide", lang), tr("palette.keys_hide.help", lang), app.action_hide_help_panel
        )
    else:
        yield SystemCommand(tr("palette.keys", lang), tr("palette.keys.help", lang), app.action_show_help_panel)
    if screen.maximized is not None:
        yield SystemCommand(tr("palette.minimize", lang), tr("palette.minimize.help", lang), screen.action_minimize)
    elif screen.focused is not None and screen.focused.allow_maximize:
        yield SystemCommand(tr("palette.maximize", lang), tr("palette.maximize.help", lang), screen.action_maximize)
    yield SystemCommand(tr("palette.theme", lang), tr("palette.theme.help", lang), lambda: search_themes(app))
    yield SystemCommand(tr("key.quit", lang), tr("palette.quit.help", lang), app.action_quit)


def search_themes(app: LobbyApp) -> None:
    from textual.theme import ThemeProvider

    app.push_screen(LobbyCommandPalette("palette.search_themes", providers=[ThemeProvider]))


def show_help_panel(app: LobbyApp) -> None:
    if not app.screen.query(HelpPanel):
        app.screen.mount(LobbyHelpPanel())
