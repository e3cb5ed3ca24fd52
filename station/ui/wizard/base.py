"""What every wizard screen has: the station bar, the step indicator, the step's title, a
status line for the last outcome, what the citizen's screen shows, and the footer; cancel on
Escape or ctrl+x after a confirmation; core calls run in a worker, one at a time."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import ClassVar

import structlog
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer

from station.bidi_text import for_display
from station.bilingual import Bilingual
from station.customer_display.model import DisplayUpdate
from station.customer_display.wording import text_for
from station.enrollment.machine import Enrollment, EnrollmentState
from station.ui.widgets.bilingual_lines import BilingualLines, Tone
from station.ui.widgets.station_bar import StationBar
from station.ui.widgets.step_indicator import StepIndicator
from station.ui.wizard.flow import EnrollmentWizard
from station.ui.wizard.messages import CitizenViewChanged, StepDone

log = structlog.get_logger(__name__)

WORKING = Bilingual("Working…", "جارٍ العمل…")
UNEXPECTED = Bilingual(
    "Something went wrong in this step; it was logged. Try again, or cancel the enrollment "
    "(Escape) and call technical support.",
    "حدث خطأ في هذه الخطوة وسُجّل. أعد المحاولة، أو ألغِ التسجيل (Escape) واتصل بالدعم الفني.",
)


# The customer display's page isolates numbers with U+2066..U+2069 for the browser's bidi;
# the terminal's shaping (python-bidi) does not take them, and needs none for one line.
_ISOLATES = dict.fromkeys(range(0x2066, 0x206A))


def citizen_line(update: DisplayUpdate) -> Bilingual:
    """One line of what the citizen's screen shows now (its title)."""
    title = text_for(update).title
    return Bilingual(
        f"Citizen sees: {title.en.translate(_ISOLATES)}",
        f"يرى المواطن: {title.ar.translate(_ISOLATES)}",
    )


def tone_of(ok: bool) -> Tone:
    return "good" if ok else "bad"


class WizardStepScreen(Screen[None]):
    """A step of the wizard. Subclasses set STATES (the core states it shows), TITLE_TEXT,
    compose the body, and react to their outcomes in `step_done`."""

    DEFAULT_CSS = """
    WizardStepScreen #step-title { margin: 0 1; text-style: bold; }
    WizardStepScreen #step-body { height: 1fr; padding: 0 1; }
    WizardStepScreen #step-status { margin: 0 1; }
    WizardStepScreen #citizen-view { margin: 0 1; color: $text-muted; }
    WizardStepScreen .hint { margin: 0 0 0 2; height: auto; }
    WizardStepScreen .form-row { height: 1; margin-top: 1; }
    WizardStepScreen .form-row Label { width: 26; }
    WizardStepScreen .form-row Input { width: 1fr; max-width: 34; background: $boost; }
    WizardStepScreen Input.-invalid { background: $error 30%; }
    WizardStepScreen Input.-valid { background: $success 20%; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel_enrollment", "Cancel", id="wizard.cancel"),
        Binding(
            "ctrl+x",
            "cancel_enrollment",
            "Cancel",
            id="wizard.cancel_ctrl_x",
            show=False,
            priority=True,
        ),
    ]

    STATES: ClassVar[frozenset[EnrollmentState]] = frozenset()
    TITLE_TEXT: ClassVar[Bilingual] = Bilingual("", "")
    # Actions that start a core call: refused while one runs.
    STEP_ACTIONS: ClassVar[frozenset[str]] = frozenset()
    SCREEN_ID: ClassVar[str] = "wizard-step"

    def __init__(self, wizard: EnrollmentWizard) -> None:
        super().__init__(id=self.SCREEN_ID)
        self.wizard = wizard
        self.busy = False
        self.last_done: StepDone | None = None

    @property
    def enrollment(self) -> Enrollment:
        return self.wizard.enrollment

    def compose(self) -> ComposeResult:
        yield StationBar(self.wizard.station_id, self.wizard.session)
        yield StepIndicator(active=self.wizard.step_index(), id="steps")
        yield BilingualLines(self.title_text(), id="step-title")
        with VerticalScroll(id="step-body"):
            yield from self.compose_body()
        yield BilingualLines(id="step-status")
        latest = self.wizard.display.latest
        yield BilingualLines(None if latest is None else citizen_line(latest), id="citizen-view")
        yield Footer()

    def title_text(self) -> Bilingual:
        return self.TITLE_TEXT

    def compose_body(self) -> ComposeResult:
        yield from ()

    def on_unmount(self) -> None:
        if self.wizard.current is self:
            self.wizard.abandoned()

    # --- status and the citizen's view ---------------------------------------------------

    def show_status(self, message: Bilingual | None, tone: Tone = "neutral") -> None:
        for line in self.query("#step-status").results(BilingualLines):
            line.show(message, tone)

    @property
    def status(self) -> Bilingual | None:
        return self.query_one("#step-status", BilingualLines).message

    def on_citizen_view_changed(self, message: CitizenViewChanged) -> None:
        for line in self.query("#citizen-view").results(BilingualLines):
            line.show(citizen_line(message.update))

    # --- running core steps --------------------------------------------------------------

    def run_step(self, action: str, call: Callable[[], Awaitable[object]]) -> None:
        """Run one core call in a worker; `step_done` gets its result."""
        if self.busy:
            return
        self.busy = True
        self.refresh_bindings()
        self.show_status(self.working_message(action), "busy")
        self._step_worker(action, call)

    def working_message(self, action: str) -> Bilingual:
        return WORKING

    @work(exclusive=True, group="wizard-step")
    async def _step_worker(self, action: str, call: Callable[[], Awaitable[object]]) -> None:
        try:
            result = await call()
        except Exception:  # the operator sees a message, never a crash; the log has the rest
            log.exception("wizard.step_failed", action=action, state=self.wizard.state.value)
            self.post_message(StepDone(action, None, UNEXPECTED))
            return
        self.post_message(StepDone(action, result))

    def on_step_done(self, message: StepDone) -> None:
        self.busy = False
        self.last_done = message
        self.refresh_bindings()
        if self.wizard.current is not self:
            return  # cancelled while it ran: another screen shows the enrollment now
        if message.error is not None:
            self.show_status(message.error, "bad")
            return
        if self.wizard.state not in self.STATES:
            self.wizard.show_current()
            return
        self.step_done(message)

    def step_done(self, message: StepDone) -> None:
        result = message.result
        outcome_message = getattr(result, "message", None)
        if isinstance(outcome_message, Bilingual):
            self.show_status(outcome_message, tone_of(bool(getattr(result, "ok", True))))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return not (action in self.STEP_ACTIONS and self.busy)

    # --- cancel --------------------------------------------------------------------------

    def action_cancel_enrollment(self) -> None:
        if self.enrollment.finished:
            self.wizard.close()  # on the receipt or the ended screen: nothing left to cancel
            return

        def answered(confirmed: bool | None) -> None:
            if confirmed and self.wizard.current is self:
                self.wizard.cancel()

        self.app.push_screen(ConfirmCancelScreen(), answered)


class ConfirmCancelScreen(ModalScreen[bool]):
    """ "Cancel this enrollment?" y / n: one stray Escape must not throw a person's work away."""

    DEFAULT_CSS = """
    ConfirmCancelScreen { align: center middle; }
    ConfirmCancelScreen > Vertical {
        width: 70; max-width: 95%; height: auto; border: thick $error; padding: 0 1;
        background: $surface;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes, cancel", id="wizard.cancel_yes"),
        Binding("n", "answer(False)", "No, go on", id="wizard.cancel_no"),
        Binding("escape", "answer(False)", "No, go on", id="wizard.cancel_back", show=False),
    ]

    def __init__(self) -> None:
        super().__init__(id="confirm-cancel")

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Cancel · " + for_display("إلغاء")
            yield BilingualLines(
                Bilingual(
                    "Cancel this enrollment? Everything captured is wiped. y: yes, n: no.",
                    "إلغاء هذا التسجيل؟ يُحذف كل ما التُقط. y: نعم، n: لا.",
                ),
                "warning",
            )

    def action_answer(self, confirmed: bool) -> None:
        self.dismiss(confirmed)
