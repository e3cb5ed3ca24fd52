"""Face: one session per press of c (liveness challenges on the citizen's screen, passive
checks, best frame, local 1:1 match against the card portrait or the portal's photo); shows
the progress while it runs and the result: live or not and why, score against threshold."""

from __future__ import annotations

import time
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType

from station.bilingual import Bilingual
from station.enrollment.machine import EnrollmentState
from station.ui.widgets.bilingual_lines import BilingualLines, Tone
from station.ui.wizard.base import WizardStepScreen
from station.ui.wizard.flow import EnrollmentWizard
from station.ui.wizard.messages import StepDone

S = EnrollmentState


class FaceScreen(WizardStepScreen):
    SCREEN_ID = "wizard-face"
    STATES = frozenset({S.FACE})
    TITLE_TEXT = Bilingual("Face", "الوجه")
    STEP_ACTIONS = frozenset({"capture"})

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c", "capture", "Start face session", id="face_step.capture"),
    ]

    def __init__(self, wizard: EnrollmentWizard) -> None:
        super().__init__(wizard)
        self._started: float | None = None

    def compose_body(self) -> ComposeResult:
        yield BilingualLines(id="face-reference")
        yield BilingualLines(id="face-sessions")
        yield BilingualLines(id="face-progress")
        yield BilingualLines(id="face-result")

    def on_mount(self) -> None:
        by_card = self.wizard.manual_entry is None
        self.query_one("#face-reference", BilingualLines).show(
            Bilingual("Matched against the card portrait.", "المطابقة مع صورة البطاقة.")
            if by_card
            else Bilingual(
                "Matched against the portal's reference photo.",
                "المطابقة مع الصورة المرجعية في البوابة.",
            )
        )
        self._show_sessions()
        self.show_status(
            Bilingual(
                "Ask the person to face the camera, then press c.",
                "اطلب من الشخص النظر إلى الكاميرا ثم اضغط c.",
            )
        )
        self.set_interval(1.0, self._tick)

    def _show_sessions(self) -> None:
        left = self.enrollment.face_sessions_left
        tone: Tone = "good" if left > 1 else "warning" if left == 1 else "bad"
        self.query_one("#face-sessions", BilingualLines).show(
            Bilingual(f"Sessions left: {left}", f"الجلسات المتبقية: {left}"), tone
        )

    def action_capture(self) -> None:
        if self.enrollment.face_sessions_left == 0:
            return
        self._started = time.monotonic()  # for the elapsed-time display only
        self.query_one("#face-result", BilingualLines).show(None)
        self._tick()
        self.run_step("capture_face", self.enrollment.capture_face)

    def working_message(self, action: str) -> Bilingual:
        return Bilingual(
            "Capturing: the person follows the prompts on their screen.",
            "جارٍ الالتقاط: يتبع الشخص التعليمات على شاشته.",
        )

    def _tick(self) -> None:
        line = self.query_one("#face-progress", BilingualLines)
        if not self.busy or self._started is None:
            line.show(None)
            return
        seconds = int(time.monotonic() - self._started)
        line.show(Bilingual(f"Session running: {seconds} s", f"الجلسة جارية: {seconds} ث"), "busy")

    def step_done(self, message: StepDone) -> None:
        super().step_done(message)
        self._started = None
        self._tick()
        self._show_sessions()
        session = self.wizard.faces.last
        if session is None:
            return
        live = Bilingual("live", "حي") if session.live else Bilingual("NOT live", "غير حي")
        reasons = ", ".join(session.reasons) or "—"
        score = "—" if session.score is None else f"{session.score:.3f}"
        self.query_one("#face-result", BilingualLines).show(
            Bilingual(
                f"{session.decision} · {live.en} ({reasons}) · score {score} / threshold "
                f"{session.threshold:.3f} · {session.model}",
                f"{session.decision} · {live.ar} ({reasons}) · الدرجة {score} / الحد "
                f"{session.threshold:.3f}",
            ),
            "bad",
        )
