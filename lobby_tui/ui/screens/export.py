"""Export a shift, or a range of days, as CSV or JSON lines (shifts, log, visits), or as a printable
HTML report with the figures and charts. The store checks the role and audits the export."""

from __future__ import annotations

import io
from datetime import date, timedelta
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Input

from lobby_tui.domain.errors import InputError
from lobby_tui.domain.shiftlog import ShiftRecord
from lobby_tui.report import FORMATS, export_download, write_export
from lobby_tui.ui.base import LobbyScreenMixin
from lobby_tui.ui.screens.forms import APP_KEYS, BoxedInput, BoxedSelect, FieldError, FooterFit
from lobby_tui.ui.widgets.footer import Footer
from lobby_tui.ui.widgets.plain import Button, Static
from lobby_tui.ui.widgets.plain_lists import Select


class ExportScreen(FooterFit, LobbyScreenMixin, Screen[None]):
    """Enter moves from field to field and exports from the folder; Escape goes back (an export under
    way finishes, and its result is dropped)."""

    BINDINGS = [
        Binding("escape", "back", "key.back", id="back"),
        Binding("ctrl+s", "export", "key.export", id="export"),
        *APP_KEYS,
    ]
    FOOTER_ORDER = ("export", "back", "toggle_lang", "toggle_contrast", "lock")

    def __init__(self, shift: ShiftRecord | None = None) -> None:
        super().__init__()
        self.shift = shift

    def compose(self) -> ComposeResult:
        store = self.lobby.store
        end = date.fromisoformat(store.today())
        start = end - timedelta(days=6)
        yield Header()
        with VerticalScroll(id="export-box", classes="form review-form"):
            yield Static(self.t("export.title"), classes="form-title")
            if self.shift is not None:
                s = self.shift
                yield Static(
                    self.t("export.shift", name=s.staff_name, day=s.day, time=s.opened_ts[11:16]), id="export-what"
                )
            else:
                with Horizontal(classes="date-range"):
                    yield BoxedInput(
                        value=start.isoformat(),
                        id="from",
                        max_length=10,
                        placeholder="YYYY-MM-DD",
                        label=self.t("list.from_label"),
                    )
                    yield BoxedInput(
                        value=end.isoformat(),
                        id="to",
                        max_length=10,
                        placeholder="YYYY-MM-DD",
                        label=self.t("list.to_label"),
                    )
                yield FieldError(id="range-error")
            yield BoxedSelect(
                [(self.t(f"export.format.{f}"), f) for f in FORMATS],
                id="format",
                value="html",
                allow_blank=False,
                label=self.t("export.format"),
                enter_submits=True,
            )
            if self.app.is_web:  # lobby-tui serve: the file goes to this tablet's browser, not a folder here
                yield Static(self.t("export.to_browser"), id="export-where")
            else:
                yield BoxedInput(
                    value=str(Path(store.path).resolve().parent / "exports"), id="folder", label=self.t("export.folder")
                )
            yield FieldError(id="folder-error")
            yield Button(self.t("key.export"), id="export", variant="primary")
            yield Static("", id="export-result")
        yield Footer()

    AUTO_FOCUS = ""  # focused in on_mount (LobbyScreenMixin says why)

    def on_mount(self) -> None:
        self.localize()
        self.query_one("#format", Select).focus()

    ORDER = ("from", "to", "format", "folder")  # no folder when served: Enter on the format exports

    @on(Input.Submitted)
    @on(BoxedSelect.Submitted)
    def next_field(self, event: Input.Submitted | BoxedSelect.Submitted) -> None:
        event.stop()
        widget = event.input if isinstance(event, Input.Submitted) else event.select
        if widget.id in ("from", "to") and self._day(widget.id) is None:
            return
        order = [key for key in self.ORDER if self.query(f"#{key}")]
        if widget.id in order[:-1]:
            self.query_one(f"#{order[order.index(widget.id) + 1]}").focus()
        else:
            self.action_export()

    @on(Button.Pressed, "#export")
    def action_export(self) -> None:
        store, staff, lang = self.lobby.store, self.lobby.staff, self.lobby.lang
        assert staff is not None
        fmt = self.query_one("#format", Select).value
        fmt = fmt if isinstance(fmt, str) else "html"
        web = self.app.is_web
        folder_text = "" if web else self.query_one("#folder", Input).value.strip()
        needed = "" if web or folder_text else self.t("export.folder_needed")
        self.query_one("#folder-error", Static).update(needed)
        start = end = None
        if self.shift is None:
            start, end = self._day("from"), self._day("to")
            if start is None or end is None:
                return
            if start > end:
                self.query_one("#range-error", Static).update(self.t("date.range", start=start, end=end))
                self.query_one("#to", Input).focus()
                return
            self.query_one("#range-error", Static).update("")
        shift_id = self.shift.id if self.shift else None
        if web:
            self.query_one("#export-result", Static).update(self.t("export.working"))

            def download() -> tuple[str, bytes, str]:
                bundle = store.export_bundle(staff.id, fmt=fmt, start=start, end=end, shift_id=shift_id)
                return export_download(bundle, fmt, lang)

            self.db(download, self.deliver, on_input_error=self.refused, group="export")
            return
        if not folder_text:
            self.query_one("#folder", Input).focus()
            return
        folder = Path(folder_text).expanduser()
        self.query_one("#export-result", Static).update(self.t("export.working"))

        def work() -> list[Path]:
            bundle = store.export_bundle(staff.id, fmt=fmt, start=start, end=end, shift_id=shift_id)
            try:
                return write_export(bundle, folder, fmt, lang)
            except OSError as exc:
                raise InputError("export.write_failed", folder=str(folder), detail=exc.strerror or str(exc)) from None

        self.db(work, self.written, on_input_error=self.refused, group="export")

    def _day(self, key: str) -> str | None:
        """The day in the box `key`, or None with the reason beside the days and the box focused."""
        box = self.query_one(f"#{key}", Input)
        try:
            day = date.fromisoformat(box.value.strip()).isoformat()
        except ValueError:
            self.query_one("#range-error", Static).update(self.t("date.bad", text=box.value.strip()[:20]))
            box.focus()
            box.select_all()
            return None
        self.query_one("#range-error", Static).update("")
        return day

    def written(self, paths: list[Path]) -> None:
        if not self.is_attached:
            return
        lines = [self.t("export.done")] + [f"  {p}" for p in paths]
        self.query_one("#export-result", Static).update("\n".join(lines))

    def deliver(self, made: tuple[str, bytes, str]) -> None:
        """To this tablet's browser, through textual-serve's delivery (lobby-tui serve)."""
        if not self.is_attached:
            return
        name, data, mime_type = made
        self.app.deliver_binary(io.BytesIO(data), save_filename=name, mime_type=mime_type)
        self.query_one("#export-result", Static).update(self.t("export.downloading", name=name))

    def refused(self, exc: InputError) -> None:
        if not self.is_attached:
            return
        self.query_one("#export-result", Static).update("")
        target = (
            "#folder-error"
            if exc.key.startswith("export.write")
            else ("#range-error" if self.shift is None else "#folder-error")
        )
        self.query_one(target, Static).update(exc.message(self.lobby.lang))

    def action_back(self) -> None:
        self.app.pop_screen()

    def screen_commands(self):  # type: ignore[no-untyped-def]
        yield self.t("key.export"), "ctrl+s", self.action_export
        yield self.t("key.back"), "Esc", self.action_back
