"""Fingerprint: the finger asked for, the tries left, the last capture's quality and decision.
After the last failed try on a finger, a supervisor may approve an exception (s), or the
operator stops the enrollment (t)."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType

from station.bilingual import Bilingual
from station.customer_display.wording import finger_name
from station.enrollment.machine import FINGER_NAMES, EnrollmentState, StopReason
from station.ui.widgets.bilingual_lines import BilingualLines, Tone
from station.ui.wizard.base import WizardStepScreen
from station.ui.wizard.messages import StepDone
from station.ui.wizard.supervisor_dialog import Approval, SupervisorDialog

S = EnrollmentState


class FingerprintScreen(WizardStepScreen):
    SCREEN_ID = "wizard-fingerprint"
    STATES = frozenset({S.FINGERPRINT})
    TITLE_TEXT = Bilingual("Fingerprint", "البصمة")
    STEP_ACTIONS = frozenset({"capture", "next_finger", "supervisor", "stop"})

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c", "capture", "Capture", id="fingerprint.capture"),
        Binding("f", "next_finger", "Other finger", id="fingerprint.next_finger"),
        Binding("s", "supervisor", "Supervisor exception", id="fingerprint.supervisor"),
        Binding("t", "stop", "Stop enrollment", id="fingerprint.stop"),
    ]

    def compose_body(self) -> ComposeResult:
        yield BilingualLines(id="finger-asked")
        yield BilingualLines(id="finger-tries")
        yield BilingualLines(id="finger-attempt")

    def on_mount(self) -> None:
        self._show_finger()
        self.show_status(
            Bilingual(
                "Ask the person to place the finger, then press c.",
                "اطلب من الشخص وضع الإصبع ثم اضغط c.",
            )
        )

    def _show_finger(self) -> None:
        position = self.wizard.finger_position
        name = finger_name(FINGER_NAMES[position])
        self.query_one("#finger-asked", BilingualLines).show(
            Bilingual(f"Finger: {name.en} ({position})", f"الإصبع: {name.ar} ({position})")
        )
        left = self.enrollment.finger_tries_left(position)
        tone: Tone = "good" if left > 1 else "warning" if left == 1 else "bad"
        self.query_one("#finger-tries", BilingualLines).show(
            Bilingual(f"Tries left: {left}", f"المحاولات المتبقية: {left}"), tone
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.busy and action in self.STEP_ACTIONS:
            return False
        needs_supervisor = self.enrollment.needs_supervisor
        if action in ("capture", "next_finger"):
            return not needs_supervisor
        if action in ("supervisor", "stop"):
            return needs_supervisor
        return super().check_action(action, parameters)

    def action_capture(self) -> None:
        if self.enrollment.needs_supervisor:
            return
        position = self.wizard.finger_position
        self.run_step("capture_finger", lambda: self.enrollment.capture_finger(position))

    def working_message(self, action: str) -> Bilingual:
        return Bilingual(
            "Capturing: the person keeps the finger on the scanner…",
            "جارٍ الالتقاط: يُبقي الشخص إصبعه على الماسح…",
        )

    def action_next_finger(self) -> None:
        self.wizard.finger_position = self.wizard.finger_position % len(FINGER_NAMES) + 1
        self._show_finger()

    def step_done(self, message: StepDone) -> None:
        super().step_done(message)
        self._show_finger()
        attempt = self.wizard.fingerprints.last
        line = self.query_one("#finger-attempt", BilingualLines)
        if attempt is None:
            line.show(None)
        else:
            quality = "—" if attempt.quality is None else f"{attempt.quality:.2f}"
            counted = "" if attempt.counts_as_try else " (not counted)"
            counted_ar = "" if attempt.counts_as_try else " (لا تُحتسب)"
            line.show(
                Bilingual(
                    f"Last try: {attempt.decision}{counted} · quality {quality}",
                    f"آخر محاولة: {attempt.decision}{counted_ar} · الجودة {quality}",
                ),
                "bad",
            )
        if self.enrollment.needs_supervisor:
            self.show_status(
                Bilingual(
                    "Tries used up: s for a supervisor exception, t to stop the enrollment.",
                    "استُنفدت المحاولات: s لاستثناء المشرف، t لإيقاف التسجيل.",
                ),
                "warning",
            )

    def action_supervisor(self) -> None:
        if not self.enrollment.needs_supervisor:
            return

        def approved(approval: Approval | None) -> None:
            if approval is None or self.wizard.current is not self:
                return
            if self.enrollment.needs_supervisor:
                self.enrollment.approve_fingerprint_exception(
                    approval.supervisor_id, approval.reason
                )
            self.wizard.show_current()

        self.app.push_screen(
            SupervisorDialog(self.wizard.parts.supervisor, self.wizard.session.operator_id),
            approved,
        )

    def action_stop(self) -> None:
        if self.enrollment.needs_supervisor:
            self.enrollment.stop(StopReason.FINGERPRINT_NOT_VERIFIED)
            self.wizard.show_current()
