"""SMS code: the 6-digit code the person reads from their phone; resend (after a back-off
that grows with each resend, counted down on screen), or change the mobile number."""

from __future__ import annotations

import math
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import Input, Label

from station.bidi_text import for_display
from station.bilingual import Bilingual
from station.enrollment.machine import EnrollmentState, StepOutcome
from station.ui.widgets.bilingual_lines import BilingualLines
from station.ui.wizard.base import WizardStepScreen
from station.ui.wizard.messages import StepDone

S = EnrollmentState
CODE_LENGTH = 6


class SmsCodeScreen(WizardStepScreen):
    SCREEN_ID = "wizard-sms-code"
    STATES = frozenset({S.SMS_CODE})
    TITLE_TEXT = Bilingual("SMS code", "رمز الرسالة النصية")
    STEP_ACTIONS = frozenset({"check_code", "resend", "change_mobile"})

    DEFAULT_CSS = """
    SmsCodeScreen #code { max-width: 10; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "check_code", "Check the code", id="sms.check"),
        Binding("ctrl+r", "resend", "Resend", id="sms.resend", priority=True),
        Binding("ctrl+e", "change_mobile", "Change mobile", id="sms.change_mobile", priority=True),
    ]

    def compose_body(self) -> ComposeResult:
        yield BilingualLines(id="code-sent-to")
        with Horizontal(classes="form-row"):
            yield Label("Code · " + for_display("الرمز"))
            yield Input(id="code", compact=True, max_length=CODE_LENGTH, restrict=r"[0-9٠-٩]*")
        yield BilingualLines(id="codes-left", classes="hint")
        yield BilingualLines(id="resend-line", classes="hint")

    def on_mount(self) -> None:
        self._show_sent_to()
        self._show_codes_left()
        self._show_resend()
        self.query_one("#code", Input).focus()
        self.set_interval(1.0, self._show_resend)

    def _show_codes_left(self) -> None:
        left = self.enrollment.codes_left
        self.query_one("#codes-left", BilingualLines).show(
            Bilingual(f"Wrong codes allowed: {left}", f"الرموز الخاطئة المسموح بها: {left}"),
            "neutral" if left > 1 else "warning",
        )

    def _show_resend(self) -> None:
        wait = math.ceil(self.wizard.resend_in_seconds())
        line = self.query_one("#resend-line", BilingualLines)
        if wait > 0:
            line.show(
                Bilingual(f"Resend possible in {wait} s.", f"إعادة الإرسال ممكنة بعد {wait} ث.")
            )
        else:
            line.show(Bilingual("ctrl+r resends the code.", "ctrl+r يعيد إرسال الرمز."))
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.busy and action in self.STEP_ACTIONS:
            return False
        if action == "resend":
            return self.wizard.resend_in_seconds() <= 0
        return super().check_action(action, parameters)

    @on(Input.Submitted, "#code")
    def _submitted(self) -> None:
        self.action_check_code()

    def action_check_code(self) -> None:
        code = self.query_one("#code", Input).value.strip()
        if len(code) != CODE_LENGTH:
            self.show_status(
                Bilingual(
                    f"The code has {CODE_LENGTH} digits ({len(code)} typed).",
                    f"الرمز من {CODE_LENGTH} أرقام (كُتب {len(code)}).",
                ),
                "bad",
            )
            return
        self.run_step("enter_code", lambda: self.enrollment.enter_code(code))

    def action_resend(self) -> None:
        if self.wizard.resend_in_seconds() > 0:
            return
        self.run_step("resend_code", self.enrollment.resend_code)

    def action_change_mobile(self) -> None:
        if self.busy:
            return
        self.enrollment.change_account_details()
        self.wizard.show_current()

    def working_message(self, action: str) -> Bilingual:
        if action == "resend_code":
            return Bilingual("Sending a new code…", "جارٍ إرسال رمز جديد…")
        return Bilingual("Checking the code…", "جارٍ التحقق من الرمز…")

    def step_done(self, message: StepDone) -> None:
        super().step_done(message)
        outcome = message.result
        if message.action == "resend_code" and isinstance(outcome, StepOutcome) and outcome.ok:
            self.wizard.code_sent()
            self._show_sent_to()
        code = self.query_one("#code", Input)
        code.value = ""
        code.focus()
        self._show_codes_left()
        self._show_resend()

    def _show_sent_to(self) -> None:
        masked = self.enrollment.masked_mobile or "—"
        self.query_one("#code-sent-to", BilingualLines).show(
            Bilingual(f"Code sent to {masked}.", f"أُرسل الرمز إلى {masked}.")
        )
