"""Lookup: the portal says whether the person is found, already registered, eligible. The
operator reads the result, then goes on to consent (Enter), corrects a typed entry (e), or
retries when the portal did not answer (r)."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType

from station.bilingual import Bilingual
from station.enrollment.lookup import LookupOutcome
from station.enrollment.machine import EnrollmentState
from station.ui.steps.lookup.result_panel import LookupResultPanel
from station.ui.wizard.base import WizardStepScreen
from station.ui.wizard.messages import StepDone

S = EnrollmentState


class LookupResultScreen(WizardStepScreen):
    SCREEN_ID = "wizard-lookup"
    STATES = frozenset({S.LOOKUP, S.CONSENT, S.IDENTITY})
    TITLE_TEXT = Bilingual("Lookup at the portal", "البحث في البوابة")
    STEP_ACTIONS = frozenset({"retry", "correct", "continue"})

    DEFAULT_CSS = """
    LookupResultScreen LookupResultPanel { height: auto; min-height: 6; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "continue", "Continue to consent", id="lookup_result.continue"),
        Binding("r", "retry", "Look up again", id="lookup_result.retry"),
        Binding("e", "correct", "Correct the entry", id="lookup_result.correct"),
    ]

    def compose_body(self) -> ComposeResult:
        yield LookupResultPanel()

    def on_mount(self) -> None:
        if self.wizard.state is S.LOOKUP:
            self._look_up()
        elif self.wizard.lookup is not None:
            self.query_one(LookupResultPanel).show_outcome(self.wizard.lookup)

    def _look_up(self) -> None:
        self.query_one(LookupResultPanel).show_busy()
        self.run_step("look_up", self.enrollment.look_up)

    def working_message(self, action: str) -> Bilingual:
        return Bilingual("Asking the portal…", "جارٍ سؤال البوابة…")

    def on_step_done(self, message: StepDone) -> None:
        if isinstance(message.result, LookupOutcome):
            self.wizard.lookup = message.result  # also for the ended screen, if it stopped
        super().on_step_done(message)

    def step_done(self, message: StepDone) -> None:
        outcome = message.result
        assert isinstance(outcome, LookupOutcome)
        self.query_one(LookupResultPanel).show_outcome(outcome)
        state = self.wizard.state
        if state is S.CONSENT:
            self.show_status(
                Bilingual("Eligible: press Enter for the consent.", "مؤهل: اضغط Enter للموافقة."),
                "good",
            )
        elif state is S.IDENTITY:
            self.show_status(
                Bilingual("Press e to correct the entry.", "اضغط e لتصحيح الإدخال."), "bad"
            )
        else:
            self.show_status(
                Bilingual(
                    "No answer: press r to look up again, or e to enter the identity again.",
                    "لا إجابة: اضغط r لإعادة البحث، أو e لإدخال الهوية مجددًا.",
                ),
                "warning",
            )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.busy and action in self.STEP_ACTIONS:
            return False
        state = self.wizard.state
        if action == "continue":
            return state is S.CONSENT
        if action == "retry":
            return state is S.LOOKUP
        if action == "correct":
            return state in (S.LOOKUP, S.IDENTITY)
        return super().check_action(action, parameters)

    def action_continue(self) -> None:
        if self.wizard.state is S.CONSENT:
            self.wizard.show_current()

    def action_retry(self) -> None:
        if self.wizard.state is S.LOOKUP:
            self._look_up()

    def action_correct(self) -> None:
        if self.wizard.state is S.LOOKUP:
            self.enrollment.correct_identity()
        if self.wizard.state is S.IDENTITY:
            self.wizard.show_current()
