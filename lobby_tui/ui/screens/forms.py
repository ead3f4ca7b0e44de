"""Small forms of the shift log and the review: a few fields, a message beside each, and the store call.

A form does its store call itself (in a worker, through LobbyScreenMixin.db) and closes only when it
worked: a refusal is shown beside the field it is about, and nothing typed is lost.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from rich.cells import cell_len
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input

from lobby_tui.domain.errors import InputError
from lobby_tui.i18n import MESSAGES, annotated, tr
from lobby_tui.ui.base import LobbyScreenMixin
from lobby_tui.ui.widgets.footer import Footer
from lobby_tui.ui.widgets.plain import Button, Static
from lobby_tui.ui.widgets.plain_lists import Select

# ---------------------------------------------------------------- fields that can be seen


class BoxedInput(Input):
    """An input with a visible frame and its label in the frame, in both themes: a thin frame at rest,
    a heavy one in the accent colour with the label in bold while it has the focus."""

    DEFAULT_CSS = """
    BoxedInput {
        height: 3;
        padding: 0 1;
        border: round $foreground 45%;
        border-title-color: $foreground 80%;
        background: $surface;
    }
    BoxedInput:focus {
        border: heavy $accent;
        border-title-color: $accent;
        border-title-style: bold;
        background-tint: $accent 8%;
    }
    BoxedInput.-invalid { border: round $error; }
    BoxedInput.-invalid:focus { border: heavy $error; }
    """

    def __init__(self, *args: Any, label: str = "", **kwargs: Any) -> None:
        kwargs.pop("compact", None)
        super().__init__(*args, **kwargs)
        self.border_title = label


class BoxedSelect(Select[str]):
    """A choice with the same frame and focus as BoxedInput. Down, Up and Space open the list; with
    `enter_submits`, Enter posts Submitted (a form moves on, as from a box) instead of opening it."""

    BINDINGS = [Binding("enter", "enter", show=False)]

    @dataclass
    class Submitted(Message):
        select: BoxedSelect

    DEFAULT_CSS = """
    BoxedSelect {
        border: round $foreground 45%;
        border-title-color: $foreground 80%;
        background: $surface;
    }
    BoxedSelect.-textual-compact > SelectCurrent { padding: 0 1; }
    BoxedSelect SelectCurrent Static#label { height: 1; text-wrap: nowrap; text-overflow: ellipsis; }
    BoxedSelect:focus, BoxedSelect.-expanded {
        border: heavy $accent;
        border-title-color: $accent;
        border-title-style: bold;
        background-tint: $accent 8%;
    }
    """

    def __init__(self, *args: Any, label: str = "", enter_submits: bool = False, **kwargs: Any) -> None:
        kwargs["compact"] = True  # the frame is the Select's own; the inner box gets none
        super().__init__(*args, **kwargs)
        self.border_title = label
        self.enter_submits = enter_submits

    def action_enter(self) -> None:
        if self.enter_submits:
            self.post_message(self.Submitted(self))
        else:
            self.action_show_overlay()


# ---------------------------------------------------------------- a Footer that fits


APP_KEYS = [
    Binding("f2", "app.toggle_lang", "key.toggle_lang", id="toggle_lang"),
    Binding("f3", "app.toggle_contrast", "key.toggle_contrast", id="toggle_contrast"),
    Binding("ctrl+l", "app.lock", "key.lock", id="lock"),
]


class FooterFit:
    """Mixed into a screen (before LobbyScreenMixin): its Footer shows the bindings of FOOTER_ORDER, most
    important first, as many as fit the screen's width in the current language; the others stay keys,
    and the command palette (ctrl+p, screen_commands) offers them. Bindings not named are never shown."""

    FOOTER_ORDER: tuple[str, ...] = ()

    def localize(self) -> None:
        super().localize()  # type: ignore[misc]
        self.fit_footer()

    def on_resize(self, event: events.Resize) -> None:
        self.fit_footer()

    def footer_room(self) -> int:
        """The Footer's width less the command palette's key at its right end ("▏^p palette ")."""
        screen: Any = self
        palette = MESSAGES.get("key.command_palette", ("命令", "palette"))[0 if screen.app.lang == "zh" else 1]
        return screen.app.size.width - (len("^p") + cell_len(palette) + 3)

    def fit_footer(self) -> None:
        screen: Any = self
        lang = screen.app.lang
        room = self.footer_room()
        used = 0
        shown: set[str] = set()
        by_id = {b.id: (key, b) for key, bs in screen._bindings.key_to_bindings.items() for b in bs if b.id}
        for binding_id in self.FOOTER_ORDER:
            if binding_id not in by_id or "key." + binding_id not in MESSAGES:
                continue
            key, binding = by_id[binding_id]
            width = len(screen.app.get_key_display(binding)) + cell_len(tr("key." + binding_id, lang)) + 3
            if used + width > room:
                break
            used += width
            shown.add(binding_id)
        for key, bindings in screen._bindings.key_to_bindings.items():
            screen._bindings.key_to_bindings[key] = [
                replace(b, show=b.id in shown, description=tr("key." + b.id, lang))
                if b.id and "key." + b.id in MESSAGES
                else replace(b, show=False)
                for b in bindings
            ]
        screen.refresh_bindings()


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


class FormScreen(FooterFit, LobbyScreenMixin, ModalScreen[Any]):
    """`work(values)` returns the store call to run; its result is what the form is dismissed with.

    Enter in a field moves to the next one and submits from the last; Escape cancels (it closes an
    open choice first). While the store call runs, further submits and Escape wait for it."""

    BINDINGS = [
        Binding("escape", "cancel", "key.cancel", id="cancel"),
        Binding("ctrl+s", "submit", "key.submit", id="submit"),
        *APP_KEYS,  # a dialog's bindings are all there are: ctrl+l (lock), F2 and F3 here too
    ]
    FOOTER_ORDER = ("submit", "cancel")

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
        self.saving = False

    def compose(self) -> ComposeResult:
        with VerticalScroll(id=self.box_id, classes="dialog review-form"):
            yield Static(self.t(self.title_key), classes="form-title")
            if self.intro:
                yield Static(self.intro, classes="hint form-intro")
            for f in self.fields:
                if f.options:
                    yield BoxedSelect(
                        list(f.options),
                        id=f.id,
                        value=f.value or f.options[0][1],
                        allow_blank=False,
                        label=self.t(f.label),
                        enter_submits=True,
                    )
                else:
                    yield BoxedInput(
                        value=f.value,
                        id=f.id,
                        password=f.password,
                        max_length=f.max_length,
                        placeholder=self.t(f.placeholder) if f.placeholder else "",
                        restrict=f.restrict,
                        label=self.t(f.label),
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
        """Enter: a field left empty that is needed, or a value the form's check refuses, is told
        beside it and the field keeps the focus (what was typed selected, to be typed over)."""
        event.stop()
        ids = [f.id for f in self.fields]
        if event.input.id not in ids:
            return
        if event.input.id == ids[-1]:
            self.action_submit()
            return
        f = self.fields[ids.index(event.input.id)]
        values = self.values()
        error = self.t(f.required) if f.required and not values[f.id].strip() else ""
        if not error and self.check is not None:
            error = self.check(values).get(f.id, "")
        self.query_one(f"#{f.id}-error", Static).update(error)
        if error:
            event.input.select_all()
            return
        self.query_one(f"#{ids[ids.index(f.id) + 1]}").focus()

    @on(BoxedSelect.Submitted)
    def choice_made(self, event: BoxedSelect.Submitted) -> None:
        event.stop()
        ids = [f.id for f in self.fields]
        if event.select.id in ids[:-1]:
            self.query_one(f"#{ids[ids.index(event.select.id) + 1]}").focus()
        else:
            self.action_submit()

    @on(Button.Pressed, "#submit")
    def action_submit(self) -> None:
        if self.saving:
            return
        values = self.values()
        errors = {f.id: self.t(f.required) for f in self.fields if f.required and not values[f.id].strip()}
        if self.check is not None and not errors:
            errors = self.check(values)
        self.show_errors(errors)
        if errors:
            self.query_one(f"#{next(iter(errors))}").focus()
            return
        self.saving = True
        self.db(self.work(values), self.saved, on_input_error=self.refused, group="form")

    def saved(self, result: Any) -> None:
        self.saving = False
        if self.is_current:
            self.dismiss(result)

    def show_errors(self, errors: dict[str, str], general: str = "") -> None:
        for f in self.fields:
            self.query_one(f"#{f.id}-error", Static).update(errors.get(f.id, ""))
        self.query_one("#form-error", Static).update(general)

    def refused(self, exc: InputError) -> None:
        self.saving = False
        if not self.is_attached:
            return
        message = exc.message(self.lobby.lang)
        for f in self.fields:
            if any(exc.key.startswith(prefix) for prefix in f.errors):
                self.show_errors({f.id: message})
                self.query_one(f"#{f.id}").focus()
                return
        self.show_errors({}, message)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        if not self.saving and self.is_current:
            self.dismiss(None)


class ConfirmScreen(FooterFit, LobbyScreenMixin, ModalScreen[Any]):
    """A yes-or-no question before something that cannot be undone; runs the store call on yes."""

    BINDINGS = [
        Binding("escape", "cancel", "key.cancel", id="cancel"),
        Binding("y", "yes", "key.yes", id="yes"),
        *APP_KEYS,
    ]
    FOOTER_ORDER = ("yes", "cancel")

    def __init__(self, title: str, text: str, work: Callable[[], Any], *, yes: str = "key.yes") -> None:
        super().__init__()
        self.title_key = title
        self.text = text
        self.work = work
        self.yes_key = yes
        self.saving = False

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="confirm-box", classes="dialog review-form"):
            yield Static(self.t(self.title_key), classes="form-title")
            yield Static(self.text, id="confirm-text")
            yield FieldError(id="form-error")
            with Horizontal(classes="buttons"):
                yield Button(annotated(self.t(self.yes_key), "Y", self.lobby.lang), id="yes", variant="warning")
                yield Button(annotated(self.t("key.cancel"), "Esc", self.lobby.lang), id="no")
        yield Footer()

    AUTO_FOCUS = ""  # focused in on_mount (LobbyScreenMixin says why)

    def on_mount(self) -> None:
        self.localize()
        self.query_one("#no", Button).focus()

    @on(Button.Pressed, "#yes")
    def action_yes(self) -> None:
        if self.saving:
            return
        self.saving = True
        self.db(self.work, self.saved, on_input_error=self.refused, group="confirm")

    def saved(self, result: Any) -> None:
        self.saving = False
        if self.is_current:
            self.dismiss(result)

    def refused(self, exc: InputError) -> None:
        self.saving = False
        if self.is_attached:
            self.query_one("#form-error", Static).update(exc.message(self.lobby.lang))

    @on(Button.Pressed, "#no")
    def action_cancel(self) -> None:
        if not self.saving and self.is_current:
            self.dismiss(None)
