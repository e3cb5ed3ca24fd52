"""Submit: the evidence goes to the portal with the enrollment id as idempotency key; when the
portal is unreachable the operator retries (r) and the same key means one account at most."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType

from station.bilingual import Bilingual
from station.enrollment.machine import EnrollmentState
from station.ui.widgets.bilingual_lines import BilingualLines
from station.ui.wizard.base import WizardStepScreen
from station.ui.wizard.flow import EnrollmentWizard
from station.ui.wizard.messages import StepDone

S = EnrollmentState


class SubmitScreen(WizardStepScreen):
    SCREEN_ID = "wizard-submit"
    STATES = frozenset({S.SUBMIT})
    TITLE_TEXT = Bilingual("Submit the enrollment", "إرسال التسجيل")
    STEP_ACTIONS = frozenset({"retry"})

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "retry", "Retry", id="submit.retry"),
    ]

    def __init__(self, wizard: EnrollmentWizard) -> None:
        super().__init__(wizard)
        self.tries = 0

    def compose_body(self) -> ComposeResult:
        yield BilingualLines(
            Bilingual(
                f"Enrollment {self.enrollment.id}: code accepted; the evidence is sent once.",
                f"التسجيل {self.enrollment.id}: قُبل الرمز؛ تُرسل الأدلة مرة واحدة.",
            ),
            id="submit-what",
        )
        yield BilingualLines(id="submit-tries", classes="hint")

    def on_mount(self) -> None:
        self._submit()

    def _submit(self) -> None:
        self.tries += 1
        self.query_one("#submit-tries", BilingualLines).show(
            Bilingual(f"Attempt {self.tries}", f"المحاولة {self.tries}")
        )
        self.run_step("submit", self.enrollment.submit)

    def working_message(self, action: str) -> Bilingual:
        return Bilingual("Submitting to the portal…", "جارٍ الإرسال إلى البوابة…")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "retry":
            return not self.busy and self.last_done is not None
        return super().check_action(action, parameters)

    def action_retry(self) -> None:
        if not self.busy:
            self._submit()

    def step_done(self, message: StepDone) -> None:
        super().step_done(message)
        self.show_status(
            (self.status or Bilingual("", "")).join(
                Bilingual("Press r to retry.", "اضغط r لإعادة المحاولة.")
            ),
            "warning",
        )
