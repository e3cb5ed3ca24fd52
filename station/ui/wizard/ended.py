"""Stopped or cancelled: why the enrollment ended and what to do next; everything captured has
been wiped by the core. Enter goes home."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType

from station.bilingual import Bilingual
from station.enrollment.machine import REASON_MESSAGES, EnrollmentState
from station.ui.widgets.bilingual_lines import BilingualLines
from station.ui.wizard.base import WizardStepScreen

S = EnrollmentState


class EndedScreen(WizardStepScreen):
    SCREEN_ID = "wizard-ended"
    STATES = frozenset({S.STOPPED, S.CANCELLED})

    DEFAULT_CSS = """
    EndedScreen #ended-reason { text-style: bold; margin-bottom: 1; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "home", "Home", id="ended.home"),
        Binding("escape", "home", "Home", id="ended.home_escape", show=False),
    ]

    def title_text(self) -> Bilingual:
        if self.enrollment.state is S.CANCELLED:
            return Bilingual("Enrollment cancelled", "أُلغي التسجيل")
        return Bilingual("Enrollment stopped", "توقف التسجيل")

    def compose_body(self) -> ComposeResult:
        enrollment = self.enrollment
        reason = enrollment.reason or ""
        code = reason.partition(":")[0]
        message = REASON_MESSAGES.get(code, Bilingual(f"Stopped: {reason}.", f"توقف: {reason}."))
        yield BilingualLines(message, "bad", id="ended-reason")
        yield BilingualLines(
            Bilingual(f"Reason code: {reason}", f"رمز السبب: {reason}"), classes="hint"
        )
        lookup = self.wizard.lookup
        if lookup is not None and self.wizard.ended_from in (S.IDENTITY, S.LOOKUP):
            yield BilingualLines(lookup.next_step, id="ended-next-step")
        held = enrollment.held_biometrics
        yield BilingualLines(
            Bilingual(
                f"Everything captured was wiped ({held} biometric buffers held).",
                f"حُذف كل ما التُقط (المخزّن من البيانات الحيوية: {held}).",
            ),
            "good",
            id="ended-wiped",
        )

    def on_mount(self) -> None:
        self.show_status(Bilingual("Press Enter to go home.", "اضغط Enter للعودة إلى الرئيسية."))

    def action_home(self) -> None:
        self.wizard.close()
