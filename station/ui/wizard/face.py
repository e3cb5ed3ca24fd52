"""Face: one session per press of c (liveness challenges on the citizen's screen, passive
checks, best frame, local 1:1 match against the card portrait or the portal's photo); shows
the progress while it runs and the result: live or not and why, score against threshold.

When the face part can be watched (the booth's `LiveFaceStep`), the camera's picture is shown
live beside it in half blocks, with the face box and the current challenge over it, the way
the standalone face step (`station/ui/steps/face/`) shows it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import ClassVar, Protocol, runtime_checkable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Static

from matcher.liveness import Challenge, LivenessUpdate
from station.bidi_text import for_display
from station.bilingual import Bilingual
from station.devices.camera import FrameSource
from station.enrollment.face_capture import FaceCaptureProgress
from station.enrollment.machine import EnrollmentState
from station.ui.steps.face.messages import FaceProgressed
from station.ui.steps.face.wording import CHALLENGE_LABELS, as_bilingual, challenge_label
from station.ui.widgets.bilingual_lines import BilingualLines, Tone
from station.ui.widgets.half_block_preview import HalfBlockPreview, PreviewOverlay
from station.ui.wizard.base import WizardStepScreen
from station.ui.wizard.flow import EnrollmentWizard
from station.ui.wizard.messages import StepDone

S = EnrollmentState
PREVIEW_FPS = 15.0


@runtime_checkable
class WatchableFaceStep(Protocol):
    """A face part the screen can show live: its camera's frames, and each processed frame of
    a running session (reported from the session's thread) while watched."""

    @property
    def frames(self) -> FrameSource: ...

    def watch(self, listener: Callable[[FaceCaptureProgress], None]) -> Callable[[], None]: ...

    def cancel(self) -> None: ...


class FaceScreen(WizardStepScreen):
    SCREEN_ID = "wizard-face"
    STATES = frozenset({S.FACE})
    TITLE_TEXT = Bilingual("Face", "الوجه")
    STEP_ACTIONS = frozenset({"capture"})

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c", "capture", "Start face session", id="face_step.capture"),
    ]

    DEFAULT_CSS = """
    FaceScreen #face-live { height: auto; }
    FaceScreen #face-preview { width: 40; height: 15; margin-right: 1; }
    FaceScreen #face-side { width: 1fr; height: auto; }
    FaceScreen #face-challenges { height: auto; }
    """

    def __init__(self, wizard: EnrollmentWizard) -> None:
        super().__init__(wizard)
        self._started: float | None = None
        part = wizard.parts.face
        self.live: WatchableFaceStep | None = part if isinstance(part, WatchableFaceStep) else None
        self._unwatch: Callable[[], None] | None = None
        self._update: LivenessUpdate | None = None
        self._challenges: tuple[Challenge, ...] = ()
        self._shown_frame = 0

    def compose_body(self) -> ComposeResult:
        if self.live is None:
            yield from self._compose_lines()
            return
        with Horizontal(id="face-live"):
            yield HalfBlockPreview(id="face-preview")
            with Vertical(id="face-side"):
                yield from self._compose_lines()
                yield Static(id="face-challenges")
                yield BilingualLines(id="face-guidance")

    def _compose_lines(self) -> ComposeResult:
        yield BilingualLines(id="face-reference")
        yield BilingualLines(id="face-sessions")
        yield BilingualLines(id="face-progress")
        yield BilingualLines(id="face-result")

    def on_mount(self) -> None:
        if self.live is not None:
            self._unwatch = self.live.watch(self._progress_from_worker)
            self.set_interval(1.0 / PREVIEW_FPS, self.refresh_preview)
        self._mount_lines()

    def on_unmount(self) -> None:
        if self.live is not None:
            if self.busy:
                self.live.cancel()  # the operator left mid-session: end it now
            if self._unwatch is not None:
                self._unwatch()
                self._unwatch = None
        # Textual also calls WizardStepScreen.on_unmount (handlers run along the MRO).

    # --- the live preview ----------------------------------------------------------------

    def _progress_from_worker(self, progress: FaceCaptureProgress) -> None:
        self._challenges = progress.challenges  # a tuple, replaced whole: safe across threads
        self.post_message(
            FaceProgressed(progress.update, progress.frames_processed, progress.challenges)
        )

    def on_face_progressed(self, message: FaceProgressed) -> None:
        if not self.busy:
            return  # a late frame of a finished session
        self._update = message.update
        self._show_challenges(message.update.prompt)
        guidance = message.update.guidance
        lines = self.query_one("#face-guidance", BilingualLines)
        if guidance:
            text = as_bilingual(guidance[0])
            for more in guidance[1:]:
                text = text.join(as_bilingual(more))
            lines.show(text, "warning")
        elif message.update.faces == 1:
            lines.show(Bilingual("Good picture.", "الصورة جيدة."), "good")

    def refresh_preview(self) -> None:
        if self.live is None:
            return
        frame = self.live.frames.latest()
        if frame is None or frame.number == self._shown_frame:
            return
        self._shown_frame = frame.number
        self.query_one("#face-preview", HalfBlockPreview).show(frame.image, self._overlay())

    def _overlay(self) -> PreviewOverlay | None:
        update = self._update
        if update is None or not self.busy:
            return None
        return PreviewOverlay(
            face_box=update.face_box,
            label=challenge_label(update.prompt, update.prompt_deadline_s),
        )

    def _show_challenges(self, current: Challenge | None) -> None:
        text = Text(f"Challenges · {for_display('التحديات')}: ", style="bold")
        challenges = self._challenges
        position = challenges.index(current) if current in challenges else -1
        for index, challenge in enumerate(challenges):
            arrow, words = CHALLENGE_LABELS[challenge]
            if index:
                text.append("  ")
            if index == position:
                text.append(f"{arrow} {words.en}", style="bold reverse")
            elif index < position:
                text.append(f"✓ {words.en}", style="green")
            else:
                text.append(f"{arrow} {words.en}", style="dim")
        self.query_one("#face-challenges", Static).update(text)

    # --- the session ---------------------------------------------------------------------

    def _mount_lines(self) -> None:
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
        self._update = None
        if self.live is not None:
            self.query_one("#face-guidance", BilingualLines).show(None)
            self._shown_frame = 0  # redraw the last frame without the overlay
            self.refresh_preview()
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
