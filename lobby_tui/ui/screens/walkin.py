"""A walk-in not in the directory, classified from what the customer says: assets in 万 as staff
type them, assets at other banks, age or ID number, education. Each bad field says why, beside it."""

from __future__ import annotations

from decimal import Decimal

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input

from lobby_tui.domain.amounts import parse_wan_field
from lobby_tui.domain.errors import InputError
from lobby_tui.domain.idnumber import parse_id_number
from lobby_tui.domain.rules import tier_table
from lobby_tui.domain.tiers import Classification, classify, parse_age
from lobby_tui.ui.base import LobbyScreenMixin
from lobby_tui.ui.screens.forms import APP_KEYS, FooterFit
from lobby_tui.ui.widgets.footer import Footer
from lobby_tui.ui.widgets.plain import Button, Label, Static
from lobby_tui.ui.widgets.plain_lists import Select


class WalkInScreen(FooterFit, LobbyScreenMixin, ModalScreen[Classification | None]):
    BINDINGS = [
        Binding("escape", "cancel", "key.cancel", id="cancel"),
        Binding("ctrl+s", "submit", "key.submit", id="submit"),
        *APP_KEYS,
    ]
    FOOTER_ORDER = ("submit", "cancel", "toggle_lang", "toggle_contrast", "lock")

    def compose(self) -> ComposeResult:
        lang = self.lobby.lang
        levels = [(e.label[lang], e.code) for e in tier_table().education]
        with VerticalScroll(id="walkin-box", classes="dialog"):
            yield Static(self.t("walkin.title"), classes="form-title")
            yield Label(self.t("walkin.assets"))
            yield Input(id="assets", placeholder="20 / 20.5 / 1.2亿", max_length=20)
            yield Static("", id="assets-error", classes="field-error")
            yield Label(self.t("walkin.other"))
            yield Input(id="other", placeholder="0", max_length=20)
            yield Static("", id="other-error", classes="field-error")
            yield Label(self.t("walkin.age"))
            yield Input(id="age", max_length=18)
            yield Static("", id="age-error", classes="field-error")
            yield Label(self.t("walkin.education"))
            yield Select(levels, id="education", prompt=self.t("walkin.education_unknown"))
            yield Button(self.t("walkin.button"), id="classify", variant="primary")
        yield Footer()

    AUTO_FOCUS = ""  # focused in on_mount (LobbyScreenMixin says why)

    def on_mount(self) -> None:
        self.localize()
        self.query_one("#assets", Input).focus()

    FIELDS = ("assets", "other", "age")

    @on(Input.Submitted)
    def next_field(self, event: Input.Submitted) -> None:
        """Enter checks the field first: a refused (or empty) amount keeps the focus, with its message
        beside it, instead of moving on and taking what is typed next into the wrong field."""
        key = event.input.id or ""
        if key not in self.FIELDS or self._check(key) is None:
            return
        if key != self.FIELDS[-1]:
            self.query_one("#" + self.FIELDS[self.FIELDS.index(key) + 1], Input).focus()
        else:
            self.action_submit()

    def _parse(self, key: str, text: str) -> object:
        if key == "assets":
            return parse_wan_field(text)
        if key == "other":
            return parse_wan_field(text) if text.strip() else Decimal(0)
        text = text.strip()  # age, or an ID number to take it from
        today = self.lobby.store.clock().date()
        if len(text) > 3:
            return parse_id_number(text, today).age_on(today)
        return parse_age(text)

    def _check(self, key: str) -> tuple[object] | None:
        """(the field's value,), or None with its message shown beside it."""
        try:
            value = self._parse(key, self.query_one(f"#{key}", Input).value)
        except InputError as exc:
            self.query_one(f"#{key}-error", Static).update(exc.message(self.lobby.lang))
            return None
        self.query_one(f"#{key}-error", Static).update("")
        return (value,)

    @on(Button.Pressed, "#classify")
    def action_submit(self) -> None:
        checked = {key: self._check(key) for key in self.FIELDS}
        wrong = [key for key, value in checked.items() if value is None]
        if wrong:
            self.query_one(f"#{wrong[0]}", Input).focus()
            return
        values = {key: value[0] for key, value in checked.items() if value is not None}
        education = self.query_one("#education", Select).value
        assets, other, age = values["assets"], values["other"], values["age"]
        assert isinstance(assets, Decimal) and isinstance(other, Decimal) and (age is None or isinstance(age, int))
        result = classify(
            assets,
            other,
            age=age,
            education=education if isinstance(education, str) else None,
        )
        self.dismiss(result)

    def action_cancel(self) -> None:
        self.dismiss(None)
