"""Quick tier lookup: one box for phone last four, phone, card, ID number or name.

Searching runs in a worker as the lobby manager types; results are masked (张*明, 138****5678).
Enter on an empty box records an unidentified walk-in (counted as ordinary); F4 classifies a walk-in
from typed assets.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Header, Input

from lobby_tui.domain.errors import InputError
from lobby_tui.domain.idnumber import age_on
from lobby_tui.domain.models import Customer
from lobby_tui.domain.privacy import mask_name
from lobby_tui.domain.rules import guidance_rules
from lobby_tui.domain.search import search_terms
from lobby_tui.domain.tiers import Classification, classify
from lobby_tui.store.customers import LOOKUP_LIMIT
from lobby_tui.ui.app import VisitDraft
from lobby_tui.ui.base import LobbyScreenMixin
from lobby_tui.ui.kept import Reshown
from lobby_tui.ui.screens.forms import APP_KEYS, FooterFit
from lobby_tui.ui.widgets.footer import Footer
from lobby_tui.ui.widgets.plain import Button, Static
from lobby_tui.ui.widgets.plain_lists import Option, OptionList
from lobby_tui.ui.widgets.tier_badge import TierBadge

if TYPE_CHECKING:
    from lobby_tui.ui.app import LobbyApp
    from lobby_tui.ui.screens.guidance import GuidanceFacts

SEARCH_DELAY = 0.15


def classify_customer(customer: Customer, today: date) -> Classification:
    age = age_on(date.fromisoformat(customer.birth_date), today) if customer.birth_date else None
    return classify(customer.assets, customer.other_assets, age=age, education=customer.education)


def lookup_screen(app: LobbyApp, draft: VisitDraft) -> LookupScreen:
    """The lookup for a new visit: the sign-in's kept one made ready for it (ui/kept.py), or a new
    one the first time. (A visit resumed from the board gets a screen of its own.)"""
    screen, again = app.kept("lookup", lambda: LookupScreen(draft)).get(app, app.lang)
    if again:
        screen.for_visit(draft)
    return screen


class LookupScreen(FooterFit, LobbyScreenMixin, Reshown, Screen[None]):
    BINDINGS = [
        Binding("escape", "back", "key.back", id="back"),
        Binding("f4", "walk_in", "key.walk_in", id="walk_in"),
        Binding("f5", "skip", "key.skip", id="skip"),
        Binding("f6", "reveal", "key.reveal", id="reveal"),
        *APP_KEYS,
    ]
    FOOTER_ORDER = ("back", "walk_in", "skip", "reveal", "toggle_lang", "toggle_contrast", "lock")

    def __init__(self, draft: VisitDraft, *, resumed: bool = False) -> None:
        super().__init__()
        self._take(draft, resumed)

    def _take(self, draft: VisitDraft, resumed: bool) -> None:
        """This visit's state, and nothing of another's."""
        self.draft = draft
        self.resumed = resumed  # continued from the board: Escape goes back there, the visit stays open
        self.results: list[Customer] = []
        self.results_for: str | None = None
        self.take_when_found = False
        self.downs_when_found = 0  # ↓ typed before the results were on screen
        self.revealed = False
        self._timer: Timer | None = None

    def compose(self) -> ComposeResult:
        reason = guidance_rules().reason(self.draft.reason).label[self.lobby.lang]
        yield Header()
        yield Static(f"{self.t('lookup.title')} · {reason}", id="lookup-title")
        yield Input(placeholder=self.t("lookup.placeholder"), id="search", max_length=40)
        yield Static(self.t("lookup.hint"), id="search-status", classes="hint")
        yield OptionList(id="results")
        with Horizontal(id="lookup-buttons", classes="buttons"):
            yield Button(self.t("lookup.skip_button"), id="skip")
            yield Button(self.t("lookup.walkin_button"), id="walk-in", variant="primary")
        yield Footer()

    AUTO_FOCUS = ""  # focused in on_mount (LobbyScreenMixin says why)

    def on_mount(self) -> None:
        self.localize()
        self.query_one("#search", Input).focus()

    def after_relabel(self) -> None:
        if self.results_for is not None:
            self.show_results(self.results_for, self.results)

    def for_visit(self, draft: VisitDraft) -> None:
        """Ready again, for the next customer (a kept screen, ui/kept.py): the box empty, no
        matches, the hint, and this visit's reason in the title."""
        if self._timer is not None:
            self._timer.stop()
        self._take(draft, resumed=False)
        reason = guidance_rules().reason(draft.reason).label[self.lobby.lang]
        self.query_one("#lookup-title", Static).update(f"{self.t('lookup.title')} · {reason}")
        box = self.query_one("#search", Input)
        with box.prevent(Input.Changed):  # emptied for the next customer, not typed
            box.value = ""
        status = self.query_one("#search-status", Static)
        status.update(self.t("lookup.hint"))
        status.set_class(False, "field-error")
        self.query_one("#results", OptionList).clear_options()
        box.focus()

    # ------------------------------------------------------------ searching as you type

    @on(Input.Changed, "#search")
    def changed(self, event: Input.Changed) -> None:
        self.take_when_found = False
        self.downs_when_found = 0
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(SEARCH_DELAY, lambda: self.search(event.value))

    def search(self, text: str) -> None:
        status = self.query_one("#search-status", Static)
        try:
            terms = search_terms(text)
        except InputError as exc:
            status.update(exc.message(self.lobby.lang))
            status.set_class(True, "field-error")
            return
        status.set_class(False, "field-error")
        if terms is None:
            self.show_results(text, [])
            status.update(self.t("lookup.hint"))
            return
        status.update(self.t("lookup.searching"))
        store = self.lobby.store
        # Enter or ↓ typed before the results: later keys wait for them, so that the one taken is the
        # one the manager meant, however fast the keys came.
        waiting_keys = self.take_when_found or self.downs_when_found > 0
        self.db(
            lambda: (text, store.lookup(**terms)),  # type: ignore[arg-type]  # str-valued search keys only
            lambda found: self.show_results(*found),
            on_input_error=self._bad_search,
            group="lookup",
            exclusive=True,
            hold_keys=waiting_keys,
        )

    def _bad_search(self, exc: InputError) -> None:
        status = self.query_one("#search-status", Static)
        status.update(exc.message(self.lobby.lang))
        status.set_class(True, "field-error")

    def show_results(self, text: str, customers: list[Customer]) -> None:
        if text != self.query_one("#search", Input).value:
            return  # a slower, older search: the box has moved on
        self.results, self.results_for = customers, text
        options = self.query_one("#results", OptionList)
        options.clear_options()
        today = self.lobby.store.clock().date()
        for c in customers:
            tier = classify_customer(c, today).tier
            label = TierBadge.badge(tier, self.lobby.lang)
            label.append(f" {self._display_name(c)}  {c.phone_masked}")
            options.add_option(Option(label, id=c.id))
        status = self.query_one("#search-status", Static)
        if text.strip():
            if len(customers) >= LOOKUP_LIMIT:
                status.update(self.t("lookup.more", n=len(customers)))
            else:
                status.update(self.t("lookup.found", n=len(customers)) if customers else self.t("lookup.none"))
        if customers:
            options.highlighted = 0
        downs, self.downs_when_found = self.downs_when_found, 0
        if downs and customers:
            options.focus()
            options.highlighted = min(downs, len(customers) - 1)
        elif self.take_when_found and customers:
            self.take(customers[0])  # Enter takes the first match (README: 8 keys from the board)
        self.take_when_found = False

    def _display_name(self, customer: Customer) -> str:
        return customer.name if self.revealed else mask_name(customer.name)

    @on(Input.Submitted, "#search")
    def submitted(self, event: Input.Submitted) -> None:
        if not event.value.strip():
            self.action_skip()
        elif self.results_for == event.value and self.results:
            options = self.query_one("#results", OptionList)
            self.take(self.results[options.highlighted or 0])
        elif self.results_for == event.value:
            # "Not in the directory" is on the screen: Enter is the unidentified walk-in, as its
            # button says (searching the same text again changed nothing; found in tmux).
            self.action_skip()
        else:
            self.take_when_found = True
            if self._timer is not None:
                self._timer.stop()
            self.search(event.value)

    @on(OptionList.OptionSelected, "#results")
    def picked(self, event: OptionList.OptionSelected) -> None:
        self.take(self.results[event.option_index])

    def on_key(self, event: events.Key) -> None:
        if event.key != "down" or self.focused is not self.query_one("#search"):
            return
        event.stop()
        text = self.query_one("#search", Input).value
        if self.results_for == text and self.results:
            # Into the list, on the next match: ↓ once from the box is the second customer.
            options = self.query_one("#results", OptionList)
            options.focus()
            options.highlighted = min(1, len(self.results) - 1)
        elif text.strip():
            self.downs_when_found += 1  # typed ahead of the results: applied when they come
            if self._timer is not None:
                self._timer.stop()
            if self.downs_when_found == 1:
                self.search(text)

    # ------------------------------------------------------------ moving on

    def take(self, customer: Customer) -> None:
        self.draft.customer = customer
        self.draft.classification = classify_customer(customer, self.lobby.store.clock().date())
        self._guide()

    def _remember(self) -> None:
        """Who this customer is, kept with the visit so that the greeting can be resumed from the board."""
        store, draft = self.lobby.store, self.draft
        customer_id = draft.customer.id if draft.customer else None
        classification = draft.classification
        self.lobby.in_background(
            lambda: store.record_progress(draft.visit_id, customer_id=customer_id, classification=classification)
        )

    def _guide(self) -> None:
        """The guidance opens once the store has answered what it shows (a few milliseconds); keys
        typed meanwhile (the Enter that confirms) wait for it, and never land here."""
        from lobby_tui.ui.screens.guidance import guidance_facts, guidance_screen

        self._remember()
        store, draft = self.lobby.store, self.draft
        customer_id = draft.customer.id if draft.customer else None

        def opened(facts: GuidanceFacts) -> None:
            if self.draft is draft:  # still this customer's lookup (it is kept for the next one)
                self.app.push_screen(guidance_screen(self.lobby, draft, facts))

        self.db(lambda: guidance_facts(store, customer_id), opened, group="guide", hold_keys=True)

    @on(Button.Pressed, "#skip")
    def action_skip(self) -> None:
        self.draft.customer = None
        self.draft.classification = None
        self._guide()

    @on(Button.Pressed, "#walk-in")
    def action_walk_in(self) -> None:
        from lobby_tui.ui.screens.walkin import WalkInScreen

        def classified(result: Classification | None) -> None:
            if result is not None:
                self.draft.customer = None
                self.draft.classification = result
                self._guide()

        self.app.push_screen(WalkInScreen(), classified)

    def action_reveal(self) -> None:
        self.revealed = True
        self.show_results(self.results_for or "", self.results) if self.results_for is not None else None
        seconds = guidance_rules().settings["reveal_seconds"]
        self.set_timer(seconds, self._hide)

    def _hide(self) -> None:
        self.revealed = False
        if self.results_for is not None and self.is_mounted:
            self.show_results(self.results_for, self.results)

    def action_back(self) -> None:
        """Back to the greeting: the visit was a slip, so it is marked cancelled (kept, not deleted).
        A greeting continued from the board goes back there still in progress."""
        if not self.resumed:
            store, visit_id = self.lobby.store, self.draft.visit_id
            self.lobby.in_background(lambda: store.set_outcome(visit_id, "cancelled"))
        self.app.pop_screen()

    def screen_commands(self):  # type: ignore[no-untyped-def]
        yield self.t("key.walk_in"), "F4", self.action_walk_in
        yield self.t("key.skip"), "F5", self.action_skip
        yield self.t("key.reveal"), "F6", self.action_reveal
        yield self.t("key.back"), "Esc", self.action_back
