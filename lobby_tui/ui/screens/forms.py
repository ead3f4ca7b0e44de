"""Small forms of the shift log and the review: a few fields, a message beside each, and the store call.

A form does its store call itself (in a worker, through LobbyScreenMixin.db) and closes only when it
worked: a refusal is shown beside the field it is about, and nothing typed is lost.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Input, Label, Select, Static

from lobby_tui.domain.errors import InputError
from lobby_tui.ui.base import LobbyScreenMixin


class FieldError(Static):
    """A message beside a field, in the error colour; it takes no room while there is none."""

    DEFAULT_CSS = """
    FieldError { height: auto; display: none; }
    FieldError.-shown { display: block; }
    """

    def __init__(self, *, id: str) -> None:  # noqa: A002 - Textual's name
        super().__init__("", id=id, classes="field-error")

    def update(self, content: Any = "", *, layout: bool = True) -> None:
        super().update(content, layout=layout)
        self.set_class(bool(str(content)), "-shown")


@dataclass(frozen=True)
class Field:
    """One field: an Input (or a PIN, or a Select when `options` are given)."""

    id: str
    label: str  # message key
    required: str | None = None  # message key shown when it is left empty
    errors: tuple[str, ...] = ()  # store refusals (message keys, or their prefix) shown beside this field
    options: tuple[tuple[str, str], ...] = ()  # (label, value) for a Select
    value: str = ""
    password: bool = False
    max_length: int = 500
    placeholder: str = ""  # message key
    restrict: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


class FormScreen(LobbyScreenMixin, ModalScreen[Any]):
    """`work(values)` returns the store call to run; its result is what the form is dismissed with."""

    BINDINGS = [
        Binding("escape", "cancel", "key.cancel", id="cancel"),
        Binding("ctrl+s", "submit", "key.submit", id="submit"),
    ]

    def __init__(
        self,
        title: str,
        fields: list[Field],
        work: Callable[[dict[str, str]], Callable[[], Any]],
        *,
        intro: str = "",
        submit: str = "key.submit",
        check: Callable[[dict[str, str]], dict[str, str]] | None = None,
        box_id: str = "form-box",
    ) -> None:
        super().__init__()
        self.title_key = title
        self.fields = fields
        self.work = work
        self.intro = intro
        self.submit_key = submit
        self.check = check
        self.box_id = box_id

    def compose(self) -> ComposeResult:
        with VerticalScroll(id=self.box_id, classes="dialog review-form"):
            yield Static(self.t(self.title_key), classes="form-title")
            if self.intro:
                yield Static(self.intro, classes="hint form-intro")
            for f in self.fields:
                yield Label(self.t(f.label))
                if f.options:
                    yield Select(
                        list(f.options), id=f.id, value=f.value or f.options[0][1], allow_blank=False, compact=True
                    )
                else:
                    yield Input(
                        value=f.value,
                        id=f.id,
                        password=f.password,
                        max_length=f.max_length,
                        placeholder=self.t(f.placeholder) if f.placeholder else "",
                        restrict=f.restrict,
                        compact=True,
                    )
                yield FieldError(id=f"{f.id}-error")
            yield FieldError(id="form-error")
            with Horizontal(classes="buttons"):
                yield Button(self.t(self.submit_key), id="submit", variant="primary")
                yield Button(self.t("key.cancel"), id="cancel")
        yield Footer()

    def on_mount(self) -> None:
        self.localize()
        if self.fields:
            self.query_one(f"#{self.fields[0].id}").focus()

    def values(self) -> dict[str, str]:
        out = {}
        for f in self.fields:
            if f.options:
                value = self.query_one(f"#{f.id}", Select).value
                out[f.id] = value if isinstance(value, str) else ""
            else:
                out[f.id] = self.query_one(f"#{f.id}", Input).value
        return out

    @on(Input.Submitted)
    def next_or_submit(self, event: Input.Submitted) -> None:
        inputs = [f.id for f in self.fields if not f.options]
        if event.input.id in inputs[:-1]:
            self.query_one(f"#{inputs[inputs.index(event.input.id) + 1]}", Input).focus()
        else:
            self.action_submit()

    @on(Button.Pressed, "#submit")
    def action_submit(self) -> None:
        values = self.values()
        errors = {f.id: self.t(f.required) for f in self.fields if f.required and not values[f.id].strip()}
        if self.check is not None and not errors:
            errors = self.check(values)
        self.show_errors(errors)
        if errors:
            self.query_one(f"#{next(iter(errors))}").focus()
            return
        self.db(self.work(values), self.dismiss, on_input_error=self.refused, group="form")

    def show_errors(self, errors: dict[str, str], general: str = "") -> None:
        for f in self.fields:
            self.query_one(f"#{f.id}-error", Static).update(errors.get(f.id, ""))
        self.query_one("#form-error", Static).update(general)

    def refused(self, exc: InputError) -> None:
        message = exc.message(self.lobby.lang)
        for f in self.fields:
            if any(exc.key.startswith(prefix) for prefix in f.errors):
                self.show_errors({f.id: message})
                self.query_one(f"#{f.id}").focus()
                return
        self.show_errors({}, message)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class ConfirmScreen(LobbyScreenMixin, ModalScreen[Any]):
    """A yes-or-no question before something that cannot be undone; runs the store call on yes."""

    BINDINGS = [
        Binding("escape", "cancel", "key.cancel", id="cancel"),
        Binding("y", "yes", "key.yes", id="yes"),
    ]

    def __init__(self, title: str, text: str, work: Callable[[], Any], *, yes: str = "key.yes") -> None:
        super().__init__()
        self.title_key = title
        self.text = text
        self.work = work
        self.yes_key = yes

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="confirm-box", classes="dialog review-form"):
            yield Static(self.t(self.title_key), classes="form-title")
            yield Static(self.text, id="confirm-text")
            yield FieldError(id="form-error")
            with Horizontal(classes="buttons"):
                yield Button(self.t(self.yes_key) + " (Y)", id="yes", variant="warning")
                yield Button(self.t("key.cancel") + " (Esc)", id="no")
        yield Footer()

    def on_mount(self) -> None:
        self.localize()
        self.query_one("#no", Button).focus()

    @on(Button.Pressed, "#yes")
    def action_yes(self) -> None:
        self.db(self.work, self.dismiss, on_input_error=self.refused, group="confirm")

    def refused(self, exc: InputError) -> None:
        self.query_one("#form-error", Static).update(exc.message(self.lobby.lang))

    @on(Button.Pressed, "#no")
    def action_cancel(self) -> None:
        self.dismiss(None)
