"""Identity: insert the ID card (read and checked by the card watcher), or press m to type the
ID number and the date of birth (Gregorian or Hijri), checked live as typed."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, Static

from station.bidi_text import for_display
from station.bilingual import Bilingual
from station.birth_date import Calendar, check_birth_date
from station.card.failures import CardFailure
from station.devices.card_reader import (
    CardEvent,
    CardIdentityRead,
    CardInserted,
    CardReadFailed,
    CardRemoved,
    ReaderUnavailable,
)
from station.enrollment.machine import EnrollmentState, StepOutcome, StopReason
from station.identity_number import check_id_number
from station.ui.widgets.bilingual_lines import BilingualLines, Tone
from station.ui.wizard.base import WizardStepScreen, tone_of
from station.ui.wizard.flow import EnrollmentWizard
from station.ui.wizard.messages import CardEventArrived

S = EnrollmentState

INSERT_CARD = Bilingual(
    "Insert the ID card, chip first, or press m to type the ID number.",
    "أدخل بطاقة الهوية من جهة الشريحة، أو اضغط m لكتابة رقم الهوية.",
)
NO_READER = Bilingual(
    "No card reader at this station: press m to type the ID number.",
    "لا يوجد قارئ بطاقات في هذه المحطة: اضغط m لكتابة رقم الهوية.",
)
READING = Bilingual(
    "Reading the card: leave it in the reader…", "جارٍ قراءة البطاقة: اتركها في القارئ…"
)


class IdentityScreen(WizardStepScreen):
    SCREEN_ID = "wizard-identity"
    STATES = frozenset({S.IDENTITY})
    TITLE_TEXT = Bilingual("Identity: card or ID number", "الهوية: البطاقة أو رقم الهوية")

    DEFAULT_CSS = """
    IdentityScreen #manual-entry { height: auto; display: none; }
    IdentityScreen.-manual #manual-entry { display: block; }
    IdentityScreen #calendar { width: 1fr; padding-left: 1; }
    IdentityScreen #card-line { margin-top: 1; height: auto; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("m", "manual", "Type the ID", id="identity.manual"),
        Binding("enter", "look_up", "Look up", id="identity.look_up"),
        Binding(
            "ctrl+t", "toggle_calendar", "Gregorian/Hijri", id="identity.calendar", priority=True
        ),
    ]

    def __init__(self, wizard: EnrollmentWizard) -> None:
        super().__init__(wizard)
        self.calendar = Calendar.GREGORIAN
        self._unsubscribe: Callable[[], None] | None = None
        self.manual = False

    def compose_body(self) -> ComposeResult:
        has_reader = self.wizard.parts.cards is not None
        yield BilingualLines(INSERT_CARD if has_reader else NO_READER, id="card-line")
        with Vertical(id="manual-entry"):
            with Horizontal(classes="form-row"):
                yield Label("ID number · " + for_display("رقم الهوية"))
                yield Input(id="id-number", placeholder="1xxxxxxxxx", compact=True, max_length=14)
            yield BilingualLines(id="id-number-hint", classes="hint")
            with Horizontal(classes="form-row"):
                yield Label("Date of birth · " + for_display("تاريخ الميلاد"))
                yield Input(id="birth-date", placeholder="YYYY-MM-DD", compact=True, max_length=12)
                yield Static(self._calendar_text(), id="calendar")
            yield BilingualLines(id="birth-date-hint", classes="hint")

    def on_mount(self) -> None:
        cards = self.wizard.parts.cards
        if cards is not None:
            self._unsubscribe = cards.subscribe(self._card_event_from_thread)
        entry = self.wizard.manual_entry
        if entry is not None or cards is None:
            self.action_manual()
        if entry is not None:
            id_number, birth_date, calendar = entry
            self.query_one("#id-number", Input).value = id_number
            self.query_one("#birth-date", Input).value = birth_date
            self.calendar = calendar
            self.query_one("#calendar", Static).update(self._calendar_text())

    def on_unmount(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        super().on_unmount()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "manual":
            return not self.manual
        if action in ("look_up", "toggle_calendar"):
            return self.manual
        return super().check_action(action, parameters)

    # --- the card ------------------------------------------------------------------------

    def _card_event_from_thread(self, event: CardEvent) -> None:
        self.post_message(CardEventArrived(event))  # thread-safe

    def on_card_event_arrived(self, message: CardEventArrived) -> None:
        if self.wizard.current is not self or self.wizard.state is not S.IDENTITY:
            return
        event = message.event
        line = self.query_one("#card-line", BilingualLines)
        if isinstance(event, CardInserted):
            line.show(READING, "busy")
        elif isinstance(event, CardRemoved):
            line.show(INSERT_CARD)
        elif isinstance(event, ReaderUnavailable):
            line.show(event.error.message, "warning")
        elif isinstance(event, CardIdentityRead):
            self.apply(self.enrollment.accept_card(event.identity))
        elif isinstance(event, CardReadFailed):
            failure = event.error.failure
            if failure is CardFailure.CARD_NOT_GENUINE:
                self.apply(self.enrollment.refuse_card(event.error.detail or failure.value))
            elif failure is CardFailure.CARD_EXPIRED:
                self.apply(self.enrollment.stop(StopReason.CARD_EXPIRED))
            else:
                line.show(event.error.message, "bad")

    def apply(self, outcome: StepOutcome) -> None:
        if self.wizard.state in self.STATES:
            self.show_status(outcome.message, tone_of(outcome.ok))
        else:
            self.wizard.show_current()

    # --- manual entry --------------------------------------------------------------------

    def action_manual(self) -> None:
        self.manual = True
        self.add_class("-manual")
        self.query_one("#id-number", Input).focus()
        self.refresh_bindings()

    def action_toggle_calendar(self) -> None:
        self.calendar = self.calendar.other()
        self.query_one("#calendar", Static).update(self._calendar_text())
        if self.query_one("#birth-date", Input).value:
            self._check_birth_date(strict=False)

    @on(Input.Changed, "#id-number")
    def _id_changed(self) -> None:
        self._check_id(strict=False)

    @on(Input.Changed, "#birth-date")
    def _date_changed(self) -> None:
        self._check_birth_date(strict=False)

    @on(Input.Submitted, "#id-number")
    def _id_submitted(self, event: Input.Submitted) -> None:
        # The submitted value, not the field's: a key typed right after Enter may already
        # be in the field (it will be the date's first digit once the focus has moved).
        if check_id_number(event.value).ok:
            self.query_one("#birth-date", Input).focus()
        else:
            self._check_id(strict=True)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        # The hint says what the focused field expects, so the operator sees where keys go.
        if event.widget.id == "birth-date":
            self._check_birth_date(strict=False)

    @on(Input.Submitted, "#birth-date")
    def _date_submitted(self) -> None:
        self.action_look_up()

    def action_look_up(self) -> None:
        id_ok = self._check_id(strict=True)
        date_ok = self._check_birth_date(strict=True)
        if not id_ok:
            self.query_one("#id-number", Input).focus()
            return
        if not date_ok:
            self.query_one("#birth-date", Input).focus()
            return
        id_number = check_id_number(self.query_one("#id-number", Input).value).digits
        birth_date = self.query_one("#birth-date", Input).value.strip()
        self.wizard.manual_entry = (id_number, birth_date, self.calendar)
        self.apply(self.enrollment.enter_identity(id_number, birth_date, self.calendar))

    def _check_id(self, *, strict: bool) -> bool:
        field = self.query_one("#id-number", Input)
        check = check_id_number(field.value)
        return self._mark(
            field, "#id-number-hint", check.ok, check.in_progress, check.message, strict
        )

    def _check_birth_date(self, *, strict: bool) -> bool:
        field = self.query_one("#birth-date", Input)
        check = check_birth_date(field.value, self.calendar, self.wizard.parts.clock().date())
        return self._mark(
            field, "#birth-date-hint", check.ok, check.in_progress, check.message, strict
        )

    def _mark(
        self,
        field: Input,
        hint: str,
        ok: bool,
        in_progress: bool,
        message: Bilingual,
        strict: bool,
    ) -> bool:
        failed = not ok and (strict or not in_progress)
        field.set_class(failed, "-invalid")
        field.set_class(ok, "-valid")
        tone: Tone = "good" if ok else "bad" if failed else "neutral"
        self.query_one(hint, BilingualLines).show(message, tone)
        return ok

    def _calendar_text(self) -> Text:
        text = Text()
        for calendar in Calendar:
            chosen = calendar is self.calendar
            style = "bold" if chosen else "dim"
            if text:
                text.append(" ")
            text.append("◉ " if chosen else "○ ", style=style)
            text.append(f"{calendar.label.en} {for_display(calendar.label.ar)}", style=style)
        return text
