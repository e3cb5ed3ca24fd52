"""The Identity step: ID number and date of birth, checked live as typed, then the lookup."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Footer, Input, Label, Static

from station.bidi_text import for_display
from station.birth_date import BirthDateCheck, Calendar, check_birth_date
from station.clock import Clock
from station.enrollment.lookup import LookupOutcome, look_up_person
from station.identity_number import IdNumberCheck, check_id_number
from station.operators import OperatorSession
from station.portal.protocol import Portal
from station.ui.messages import LookupFinished
from station.ui.steps.lookup.result_panel import LookupResultPanel
from station.ui.widgets.bilingual_lines import BilingualLines, Tone
from station.ui.widgets.station_bar import StationBar
from station.ui.widgets.step_indicator import StepIndicator


class LookupScreen(Screen[None]):
    """Step 1 of the wizard. Enter moves from the ID number to the date, then looks up."""

    DEFAULT_CSS = """
    LookupScreen .form-row { height: 1; margin: 1 1 0 1; }
    LookupScreen .form-row Label { width: 30; }
    LookupScreen .form-row Input { width: 14; background: $boost; }
    LookupScreen #calendar { width: 1fr; padding-left: 1; }
    LookupScreen .hint { margin: 0 1 0 3; height: auto; min-height: 1; }
    LookupScreen .hint.-bad { text-style: bold; }
    LookupScreen Input.-invalid { background: $error 30%; }
    LookupScreen Input.-valid { background: $success 20%; }
    LookupScreen LookupResultPanel { margin: 0 1; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "look_up", "Look up", id="lookup.look_up", priority=True),
        Binding(
            "ctrl+t",
            "toggle_calendar",
            "Gregorian/Hijri",
            id="lookup.toggle_calendar",
            priority=True,
        ),
        Binding("ctrl+l", "clear", "Clear", id="lookup.clear", priority=True),
        Binding("escape", "back", "Home", id="lookup.back"),
        Binding("ctrl+f", "face", "Face", id="lookup.face", priority=True),
    ]

    calendar: reactive[Calendar] = reactive(Calendar.GREGORIAN, init=False)

    def __init__(
        self, *, session: OperatorSession, portal: Portal, clock: Clock, station_id: str
    ) -> None:
        super().__init__(id="lookup-step")
        self.session = session
        self._portal = portal
        self._clock = clock
        self._station_id = station_id
        self._found: LookupOutcome | None = None  # the last lookup, for the face step

    def compose(self) -> ComposeResult:
        yield StationBar(self._station_id, self.session)
        yield StepIndicator(active=0, id="steps")
        with Horizontal(classes="form-row"):
            yield Label("ID number · " + for_display("رقم الهوية"))
            yield Input(id="id-number", placeholder="1xxxxxxxxx", compact=True)
        yield BilingualLines(id="id-number-hint", classes="hint")
        with Horizontal(classes="form-row"):
            yield Label("Date of birth · " + for_display("تاريخ الميلاد"))
            yield Input(id="birth-date", placeholder="YYYY-MM-DD", compact=True)
            yield Static(self._calendar_text(), id="calendar")
        yield BilingualLines(id="birth-date-hint", classes="hint")
        yield LookupResultPanel()
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#id-number", Input).focus()

    # Live checks, at every key.

    @on(Input.Changed, "#id-number")
    def _id_number_changed(self) -> None:
        self._show_id_check(strict=False)

    @on(Input.Changed, "#birth-date")
    def _birth_date_changed(self) -> None:
        self._show_birth_date_check(strict=False)

    def _show_id_check(self, *, strict: bool) -> IdNumberCheck:
        field = self.query_one("#id-number", Input)
        check = check_id_number(field.value)
        failed = not check.ok and (strict or not check.in_progress)
        field.set_class(failed, "-invalid")
        field.set_class(check.ok, "-valid")
        tone: Tone = "good" if check.ok else "bad" if failed else "neutral"
        self.query_one("#id-number-hint", BilingualLines).show(check.message, tone)
        return check

    def _show_birth_date_check(self, *, strict: bool) -> BirthDateCheck:
        field = self.query_one("#birth-date", Input)
        check = check_birth_date(field.value, self.calendar, self._clock().date())
        failed = not check.ok and (strict or not check.in_progress)
        field.set_class(failed, "-invalid")
        field.set_class(check.ok, "-valid")
        tone: Tone = "good" if check.ok else "bad" if failed else "neutral"
        self.query_one("#birth-date-hint", BilingualLines).show(check.message, tone)
        return check

    # Keys.

    def action_look_up(self) -> None:
        # A priority key, handled as it arrives: digits typed just before it may still wait in
        # the field's queue. So focus moves at once, and the fields are read after that queue.
        id_number = self.query_one("#id-number", Input)
        birth_date = self.query_one("#birth-date", Input)
        if self.focused is id_number and not birth_date.value:
            self.set_focus(birth_date)  # Enter after the ID number moves on to the date
            id_number.call_later(self._show_id_check, strict=True)
            return
        field = self.focused if isinstance(self.focused, Input) else birth_date
        field.call_later(self.look_up)

    def look_up(self) -> None:
        """Check both fields strictly; if they pass, ask the portal in a worker."""
        id_check = self._show_id_check(strict=True)
        date_check = self._show_birth_date_check(strict=True)
        if not id_check.ok:
            self.query_one("#id-number", Input).focus()
            return
        if not date_check.ok:
            self.query_one("#birth-date", Input).focus()
            return
        self.query_one(LookupResultPanel).show_busy()
        self._run_lookup(
            self.query_one("#id-number", Input).value,
            self.query_one("#birth-date", Input).value,
            self.calendar,
        )

    def action_toggle_calendar(self) -> None:
        self.calendar = self.calendar.other()

    def watch_calendar(self) -> None:
        self.query_one("#calendar", Static).update(self._calendar_text())
        if self.query_one("#birth-date", Input).value:
            self._show_birth_date_check(strict=False)

    def action_clear(self) -> None:
        """A new person: empty form, empty result, cursor in the ID number."""
        for field in self.query(Input):
            field.value = ""
        self.set_focus(self.query_one("#id-number", Input))
        self.query_one(LookupResultPanel).reset()

    def action_back(self) -> None:
        self.app.pop_screen()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "face":  # only for a person found eligible
            return self._found is not None and self._found.may_continue
        return True

    def action_face(self) -> None:
        from station.ui.app import StationApp  # the app imports this screen

        if isinstance(self.app, StationApp):
            self.app.open_face_step()

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

    # The portal call, off the UI's way.

    @work(exclusive=True, group="lookup")
    async def _run_lookup(self, id_number: str, birth_date: str, calendar: Calendar) -> None:
        outcome = await look_up_person(
            self._portal, self.session, id_number, birth_date, calendar, self._clock().date()
        )
        self.post_message(LookupFinished(outcome))

    def on_lookup_finished(self, message: LookupFinished) -> None:
        outcome = message.outcome
        self._found = outcome
        self.refresh_bindings()
        self.query_one(LookupResultPanel).show_outcome(outcome)
        # The portal's own field-level messages, shown where the operator will look.
        for field, field_message in outcome.field_errors:
            hint_id = {"id_number": "#id-number-hint", "birth_date": "#birth-date-hint"}.get(field)
            if hint_id is not None:
                self.query_one(hint_id, BilingualLines).show(field_message, "bad")
