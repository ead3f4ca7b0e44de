"""Guidance: who the customer is (tier, flags, entitlements, talking points) and where they go.

Enter confirms the recommendation; O picks another destination, which asks for a reason. On confirm
the visit is committed at once and gets its queue ticket (V012 at the priority counter, A031 …).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Collapsible, Header, Input

from lobby_tui.domain.amounts import format_amount, parse_wan_field
from lobby_tui.domain.errors import InputError
from lobby_tui.domain.guidance import Recommendation, recommend
from lobby_tui.domain.models import Visit
from lobby_tui.domain.privacy import mask_name
from lobby_tui.domain.rules import ENTITLEMENT_COLUMNS, guidance_rules, tier_table
from lobby_tui.domain.tiers import talking_points
from lobby_tui.domain.waits import whole_minutes
from lobby_tui.i18n import LANGS, bracketed, labelled, list_text, tr
from lobby_tui.ui.app import VisitDraft
from lobby_tui.ui.base import LobbyScreenMixin
from lobby_tui.ui.kept import Reshown
from lobby_tui.ui.screens.forms import APP_KEYS, FooterFit
from lobby_tui.ui.screens.pickers import wait_text
from lobby_tui.ui.widgets.footer import Footer
from lobby_tui.ui.widgets.plain import Button, Label, Static
from lobby_tui.ui.widgets.tier_badge import TierBadge

if TYPE_CHECKING:
    from lobby_tui.domain.appointments import Appointment
    from lobby_tui.store import LobbyStore
    from lobby_tui.store.lobby_store import Board
    from lobby_tui.ui.app import LobbyApp


@dataclass(frozen=True)
class GuidanceFacts:
    """What the guidance asks of the store, read before the screen opens, so that it is drawn once
    with all of it (read after it opened, each answer drew and laid the screen out again): the
    queues and wait estimates (the long-queue diversion), whom the customer's lead is with or would
    go to and its status, and whether a large withdrawal was booked today."""

    waiting: dict[str, int]
    minutes: dict[str, float | None]
    lead_preview: tuple[str | None, str | None]
    booking: tuple[str, str | None]


def guidance_screen(app: LobbyApp, draft: VisitDraft, facts: GuidanceFacts) -> GuidanceScreen:
    """The guidance for `draft`: the sign-in's kept one for its shape, made ready for this visit
    (ui/kept.py), or a new one the first time."""
    shape = "guidance-amount" if guidance_rules().reason(draft.reason).limit else "guidance"
    screen, again = app.kept(shape, lambda: GuidanceScreen(draft, facts)).get(app, app.lang)
    if again:
        screen.for_visit(draft, facts)
    return screen


def guidance_facts(store: LobbyStore, customer_id: str | None) -> GuidanceFacts:
    """On the store thread."""
    return GuidanceFacts(
        store.waiting_counts(),
        {code: e.minutes for code, e in store.wait_estimates().items()},
        store.lead_preview(customer_id),
        store.large_cash_booking(customer_id),
    )


class GuidanceScreen(FooterFit, LobbyScreenMixin, Reshown, Screen[None]):
    BINDINGS = [
        Binding("enter", "confirm", "key.confirm", id="confirm", priority=False),
        Binding("o", "alternatives", "key.alternatives", id="alternatives"),
        Binding("e", "details", "key.details", id="details"),
        Binding("a", "amount", "key.amount", id="amount"),
        Binding("f6", "reveal", "key.reveal", id="reveal"),
        Binding("escape", "back", "key.back", id="back"),
        *APP_KEYS,
    ]
    FOOTER_ORDER = (
        "confirm",
        "alternatives",
        "amount",
        "details",
        "reveal",
        "back",
        "toggle_lang",
        "toggle_contrast",
        "lock",
    )

    def __init__(self, draft: VisitDraft, facts: GuidanceFacts) -> None:
        super().__init__()
        self._take(draft, facts)

    def _take(self, draft: VisitDraft, facts: GuidanceFacts) -> None:
        """This visit's state, and nothing of another's."""
        self.draft = draft
        self.destination: str | None = None  # chosen instead of the recommendation
        self.override_reason: str | None = None
        self.revealed = False
        self.amount_error: str | None = None  # what is wrong with the amount typed, if anything
        draft.waiting, draft.minutes = facts.waiting, facts.minutes
        self.lead_preview = facts.lead_preview
        self.booking = facts.booking
        self.recommendation = self._recommend()

    @property
    def tier(self) -> str:
        c = self.draft.classification
        return c.tier if c else "ordinary"

    def _recommend(self) -> Recommendation:
        rec = self._guided()
        booking = self.draft.booking
        if booking is not None and booking.destination and booking.destination != rec.destination:
            # A booked meeting goes to the account manager it is with, whatever the tier would say.
            why = {
                lang: tr("appt.why_meeting", lang, who=booking.staff_name or booking.staff_id or "") for lang in LANGS
            }
            alternatives = tuple(d for d in (rec.destination, *rec.alternatives) if d != booking.destination)
            rec = replace(rec, destination=booking.destination, why=why, alternatives=alternatives, rule="booking")
        return rec

    def _guided(self) -> Recommendation:
        c = self.draft.classification
        return recommend(
            self.tier,
            self.draft.reason,
            self.draft.amount,
            potential_quality=bool(c and c.potential_quality),
            tier_with_other_assets=c.tier_with_other_assets if c else None,
            waiting=self.draft.waiting,
            estimates=self.draft.minutes,
        )

    # ------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        lang = self.lobby.lang
        row = tier_table().tier(self.tier)
        yield Header()
        with VerticalScroll(id="guide-body"):
            with Horizontal(id="guide-top"):
                with Vertical(id="customer-card"):
                    with Horizontal(classes="badge-line"):
                        yield TierBadge(self.tier, lang, id="tier-badge")
                        yield Static("", id="flags")
                    yield Static("", id="identity")
                    yield Static("", id="points")
                with Vertical(id="recommendation"):
                    yield Static("", id="destination")
                    yield Static("", id="why")
                    yield Static("", id="guide-lead")
                    yield Static("", id="guide-booking")
                    if guidance_rules().reason(self.draft.reason).limit:
                        yield Label(self.t("guide.amount"))
                        yield Input(id="amount", max_length=20, placeholder="5 / 5000元", select_on_focus=False)
                        yield Static("", id="amount-error", classes="field-error")
            with Horizontal(classes="buttons"):
                yield Button(self.t("guide.confirm_button"), id="confirm", variant="success")
                yield Button(self.t("guide.other_button"), id="other")
            title = self.t("key.details") + " — " + row.label[lang]
            # -collapsed given here: Collapsible sets it as it mounts, after it was styled (a restyle)
            with Collapsible(title=title, id="entitlements", collapsed=True, classes="-collapsed"):
                yield Static(self._entitlements(), id="entitlement-table")
        yield Footer()

    AUTO_FOCUS = ""  # focused in on_mount (LobbyScreenMixin says why)

    def on_mount(self) -> None:
        self.localize()
        self.render_state()
        self.query_one("#confirm", Button).focus()

    def after_relabel(self) -> None:
        self.render_state()

    def for_visit(self, draft: VisitDraft, facts: GuidanceFacts) -> None:
        """Ready again, for another visit (a kept screen, ui/kept.py; one per shape: with or
        without the amount box): its state taken anew, the parts compose drew from the tier drawn
        again, the amount box emptied, Confirm focused, from the top."""
        self._take(draft, facts)
        lang = self.lobby.lang
        self.query_one("#tier-badge", TierBadge).update(TierBadge.badge(self.tier, lang))
        box = self.query_one("#entitlements", Collapsible)
        box.title = self.t("key.details") + " — " + tier_table().tier(self.tier).label[lang]
        box.collapsed = True
        self.query_one("#entitlement-table", Static).update(self._entitlements())
        amount = self._amount_box()
        if amount is not None:
            with amount.prevent(Input.Changed):  # emptied for the new visit, not typed
                amount.value = ""
            self.query_one("#amount-error", Static).update("")
        self.render_state()
        self.query_one("#guide-body", VerticalScroll).scroll_home(animate=False)
        self.query_one("#confirm", Button).focus()

    def _entitlements(self) -> Text:
        lang = self.lobby.lang
        row = tier_table().tier(self.tier)
        text = Text()
        for column in ENTITLEMENT_COLUMNS:
            value = row.entitlements[column][lang]
            shown = value if isinstance(value, str) else ("、" if lang == "zh" else ", ").join(value)
            text.append(labelled(self.t("ent." + column), "", lang), style="bold")
            text.append((shown or "—") + "\n")
        return text

    def render_state(self) -> None:
        lang = self.lobby.lang
        rules = guidance_rules()
        c, customer = self.draft.classification, self.draft.customer
        flags = []
        if c and c.quality:
            flags.append(("★ " + self.t("flag.quality"), "bold green"))
        if c and c.potential_quality:
            flags.append(("☆ " + self.t("flag.potential_quality"), "bold yellow"))
        if c and c.missing:
            what = list_text((self.t(f"field.{m}") for m in c.missing), lang)
            flags.append((self.t("tier.missing", what=what), "italic"))
        self.query_one("#flags", Static).update(Text("  ").join(Text(t, style=s) for t, s in flags))

        if customer:
            name = customer.name if self.revealed else mask_name(customer.name)
            assets = format_amount(customer.assets, lang) if self.revealed else "••••"
            identity = f"{name}  {customer.phone_masked}  {labelled(self.t('guide.assets'), assets, lang)}"
        elif c is not None:
            identity = self.t("guide.walk_in")
            if c.age is not None:
                identity += "  " + self.t("tier.age", age=c.age)
        else:
            identity = self.t("guide.unidentified")
        self.query_one("#identity", Static).update(identity)
        points = talking_points(self.tier, lang, reason=self.draft.reason)
        self.query_one("#points", Static).update(
            labelled(self.t("guide.talking"), ("、" if lang == "zh" else "; ").join(points), lang)
        )

        rec = self.recommendation
        chosen = self.destination or rec.destination
        dest_text = Text.assemble(("→ ", "bold"), (rules.destinations[chosen].label[lang], "bold reverse"))
        if self.draft.minutes is not None and chosen in self.draft.minutes:
            m = whole_minutes(self.draft.minutes[chosen])
            dest_text.append("  " + wait_text(m, lang))
        if self.destination and self.destination != rec.destination:
            dest_text.append(
                "  "
                + bracketed(
                    labelled(self.t("guide.recommend"), rules.destinations[rec.destination].label[lang], lang), lang
                ),
                style="dim",
            )
        if rec.refer_to:
            dest_text.append(
                "\n" + labelled(self.t("guide.refer"), rules.referrals[rec.refer_to].label[lang], lang),
                style="bold magenta",
            )
        self.query_one("#destination", Static).update(dest_text)
        why = rec.why[lang]
        if self.override_reason:
            overridden = self.t("guide.override", dest=rules.destinations[chosen].label[lang])
            why += "\n" + labelled(overridden, self.override_reason, lang)
        self.query_one("#why", Static).update(why)
        self.query_one("#guide-lead", Static).update(self._lead_line())
        self.query_one("#guide-booking", Static).update(self._booking_line())

    def _lead_line(self) -> Text:
        """The lead this visit makes or adds to, and whose it is (the account manager on duty)."""
        if not self.recommendation.lead:
            return Text("")
        owner, status = self.lead_preview
        who = owner or self.t("lead.unassigned")
        if status is not None:
            who += " · " + self.t(f"lead.status.{status}")
        return Text(self.t("guide.lead", owner=who), style="bold cyan")

    def _booking_line(self) -> Text:
        """Checked in from an appointment: the booking (time, business, whom they meet); else, for
        large cash, whether the customer booked it today (大额取现预约)."""
        booking = self.draft.booking
        if booking is not None:
            from lobby_tui.ui.screens.appointments import what

            line = self.t("guide.booked", time=booking.time, what=what(booking, self.lobby.lang))
            if booking.staff_name or booking.staff_id:
                line += " · " + self.t("guide.booked_with", who=booking.staff_name or booking.staff_id)
            return Text(line, style="bold cyan")
        if not self.recommendation.check_booking:
            return Text("")
        state, time = self.booking
        words = self.t("booking.booked", time=time) if state == "booked" else self.t(f"booking.{state}")
        return Text(self.t("guide.booking", state=words))

    # ------------------------------------------------------------ amount

    @on(Input.Changed, "#amount")
    def amount_changed(self, event: Input.Changed) -> None:
        error = self.query_one("#amount-error", Static)
        text = event.value.strip()
        try:
            self.draft.amount = parse_wan_field(text) if text else None
        except InputError as exc:
            self.draft.amount = None
            self.amount_error = exc.message(self.lobby.lang)
            error.update(self.amount_error)
            return
        self.amount_error = None
        error.update("")
        self.recommendation = self._recommend()
        self.render_state()

    @on(Input.Submitted, "#amount")
    def amount_done(self) -> None:
        if self.amount_error is None:
            self.query_one("#confirm", Button).focus()

    def action_amount(self) -> None:
        box = self._amount_box()
        if box is not None:
            box.focus()

    def _amount_box(self) -> Input | None:
        """The amount box, on the reasons whose rules have a limit (cash); None on the others."""
        return next(iter(self.query("#amount").results(Input)), None)

    def on_key(self, event: events.Key) -> None:
        """A digit typed before `a` starts the amount (a manager types "5" as the customer says
        "five 万"); it was dropped before. Enter in the box then takes the amount and comes back to
        Confirm, so nothing is confirmed with an amount half typed."""
        if event.character is None or not event.character.isdigit() or isinstance(self.focused, Input):
            return
        box = self._amount_box()
        if box is None:
            return
        event.stop()
        box.focus()
        box.insert_text_at_cursor(event.character)

    # ------------------------------------------------------------ actions

    @on(Button.Pressed, "#confirm")
    def action_confirm(self) -> None:
        if self.amount_error is not None:
            self.query_one("#amount", Input).focus()
            return
        lobby, draft = self.lobby, self.draft
        store = lobby.store
        destination = self.destination or self.recommendation.destination
        rec, reason = self.recommendation, self.override_reason

        def confirm() -> tuple[Visit, tuple[Board, list[Appointment]] | None]:
            visit = store.confirm_visit(
                draft.visit_id,
                classification=draft.classification,
                recommendation=rec,
                destination=destination,
                customer_id=draft.customer.id if draft.customer else None,
                amount=draft.amount,
                override_reason=reason,
            )
            # The board with this visit, read now: it opens drawn once with it (BoardScreen.hand_over).
            # The visit is committed whatever happens here; a board that cannot be read now is read
            # by the board itself, which says what is wrong.
            try:
                board = (store.board(), store.due_appointments())
            except Exception:  # noqa: BLE001
                board = None
            return visit, board

        # Committed before the screen says so; keys typed meanwhile (the next `n`) wait for the board.
        self.db(confirm, self.confirmed, on_input_error=self._refused, group="confirm", hold_keys=True)

    def _refused(self, exc: InputError) -> None:
        self.notify(exc.message(self.lobby.lang), severity="error")

    def confirmed(self, result: tuple[Visit, tuple[Board, list[Appointment]] | None]) -> None:
        from lobby_tui.ui.screens.board import BoardScreen

        visit, board = result
        label = guidance_rules().destinations[visit.destination or ""].label[self.lobby.lang]
        self.app.notify(self.t("guide.confirmed", ticket=visit.ticket, dest=label), timeout=6)

        def back_to_board() -> None:
            screen = next((s for s in self.app.screen_stack if isinstance(s, BoardScreen)), None)
            if screen is not None and board is not None:
                screen.hand_over(*board)  # shown if still fresh (not after the lock screen, say)
            while self.app.screen is not self and not isinstance(self.app.screen, BoardScreen):
                self.app.pop_screen()  # a picker or dialog still open over this screen
            while not isinstance(self.app.screen, BoardScreen) and len(self.app.screen_stack) > 2:
                self.app.pop_screen()

        # Only the PIN takes the lock screen away: back to the board once it has.
        self.lobby.when_unlocked(back_to_board)

    @on(Button.Pressed, "#other")
    def action_alternatives(self) -> None:
        from lobby_tui.ui.screens.pickers import DestinationPicker, OverrideReasonScreen

        rec = self.recommendation
        choices = (rec.destination, *rec.alternatives)

        def reason_given(reason: str | None, destination: str) -> None:
            if reason:
                self.destination, self.override_reason = destination, reason
                self.render_state()

        def picked(destination: str | None) -> None:
            if destination is None:
                return
            if destination == rec.destination:
                self.destination = self.override_reason = None
                self.render_state()
                return
            self.app.push_screen(OverrideReasonScreen(), lambda r: reason_given(r, destination))

        minutes = {c: whole_minutes(m) for c, m in (self.draft.minutes or {}).items()}
        self.app.push_screen(DestinationPicker(choices, minutes=minutes), picked)

    def action_details(self) -> None:
        box = self.query_one("#entitlements", Collapsible)
        box.collapsed = not box.collapsed
        if not box.collapsed:
            box.scroll_visible()

    def action_reveal(self) -> None:
        self.revealed = True
        self.render_state()
        self.set_timer(guidance_rules().settings["reveal_seconds"], self._hide)

    def _hide(self) -> None:
        self.revealed = False
        if self.is_mounted:
            self.render_state()

    def action_back(self) -> None:
        if isinstance(self.focused, Input):
            self.query_one("#confirm", Button).focus()
            return
        self.app.pop_screen()

    def screen_commands(self):  # type: ignore[no-untyped-def]
        yield self.t("key.confirm"), "Enter", self.action_confirm
        yield self.t("key.alternatives"), "O", self.action_alternatives
        yield self.t("key.details"), "E", self.action_details
        yield self.t("key.reveal"), "F6", self.action_reveal
