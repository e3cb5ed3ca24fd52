"""The Face step: the camera's picture live in half blocks with the face box and the current
challenge over it, what to tell the person ("move closer", "more light"), and at the end the
result: live or not and why, the match distance against the threshold, and the decision.

The capture runs in a thread worker (`FaceCapture`); the preview is redrawn on a timer from the
camera's newest frame, so it keeps its rate whatever the liveness check costs per frame.
"""

from __future__ import annotations

import random
from typing import ClassVar

import numpy as np
import numpy.typing as npt
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Static

from matcher.liveness import Challenge, LivenessSettings, LivenessUpdate
from station.bidi_text import for_display
from station.bilingual import Bilingual
from station.customer_display.model import DisplayPublisher
from station.devices.camera import FrameSource
from station.enrollment.face_capture import (
    FaceCapture,
    FaceCaptureOutcome,
    FaceCaptureProgress,
    FaceDecision,
)
from station.operators import OperatorSession
from station.ui.steps.face.messages import FaceCaptureFinished, FaceProgressed
from station.ui.steps.face.wording import (
    CHALLENGE_LABELS,
    as_bilingual,
    challenge_label,
    match_line,
)
from station.ui.widgets.bilingual_lines import BilingualLines, Tone
from station.ui.widgets.half_block_preview import HalfBlockPreview, PreviewOverlay
from station.ui.widgets.station_bar import StationBar
from station.ui.widgets.step_indicator import StepIndicator

BgrImage = npt.NDArray[np.uint8]

DECISION_TONES: dict[FaceDecision, Tone] = {
    FaceDecision.MATCH: "good",
    FaceDecision.NO_MATCH: "bad",
    FaceDecision.NOT_LIVE: "bad",
    FaceDecision.NO_REFERENCE: "warning",
    FaceDecision.MATCH_FAILED: "warning",
    FaceDecision.CAMERA_LOST: "warning",
    FaceDecision.CANCELLED: "neutral",
}
_CAPTURING = Bilingual(
    "Capturing: the person follows the prompts on their screen.",
    "جارٍ الالتقاط: يتبع الشخص التعليمات على شاشته.",
)
_ALL_CLEAR = Bilingual("Good picture.", "الصورة جيدة.")


class FaceStepScreen(Screen[FaceCaptureOutcome | None]):
    """Starts a capture on mount; `r` captures again, Escape goes back (cancelling it)."""

    DEFAULT_CSS = """
    FaceStepScreen #face-body { height: auto; }
    FaceStepScreen HalfBlockPreview { margin: 0 1; }
    FaceStepScreen #face-side { width: 1fr; height: auto; padding-right: 1; }
    FaceStepScreen #face-side > * { margin-bottom: 1; }
    FaceStepScreen #challenge-list { height: auto; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "capture_again", "Capture again", id="face.capture_again"),
        Binding("escape", "back", "Back", id="face.back"),
    ]

    def __init__(
        self,
        *,
        frames: FrameSource,
        display: DisplayPublisher | None,
        reference: BgrImage | None,
        station_id: str,
        session: OperatorSession | None = None,
        challenge_rng: random.Random | None = None,
        liveness: LivenessSettings | None = None,
        preview_fps: float = 15.0,
    ) -> None:
        super().__init__(id="face-step")
        self._frames = frames
        self._display = display
        self._reference = reference
        self._station_id = station_id
        self.session = session
        # The challenges must not be guessable by someone preparing a video: the system's
        # randomness unless a test gives a seeded generator.
        self._rng = challenge_rng or random.SystemRandom()
        self._liveness = liveness
        self._preview_interval_s = 1.0 / preview_fps
        self._capture: FaceCapture | None = None
        self._update: LivenessUpdate | None = None
        self._shown_frame = 0
        self.outcome: FaceCaptureOutcome | None = None

    def compose(self) -> ComposeResult:
        yield StationBar(self._station_id, self.session)
        yield StepIndicator(active=3, id="steps")
        with Horizontal(id="face-body"):
            yield HalfBlockPreview(id="preview")
            with Vertical(id="face-side"):
                yield Static(id="challenge-list")
                yield BilingualLines(id="face-guidance")
                yield BilingualLines(id="face-headline")
                yield Vertical(id="face-reasons")
                yield BilingualLines(id="face-match")
        yield Footer()

    def on_mount(self) -> None:
        self.set_interval(self._preview_interval_s, self.refresh_preview)
        self.start_capture()

    def on_unmount(self) -> None:
        if self._capture is not None:
            self._capture.cancel()

    # --- the preview, on its own timer ------------------------------------------------------

    def refresh_preview(self) -> None:
        frame = self._frames.latest()
        if frame is None or frame.number == self._shown_frame:
            return
        self._shown_frame = frame.number
        self.query_one(HalfBlockPreview).show(frame.image, self._overlay())

    def _overlay(self) -> PreviewOverlay | None:
        update = self._update
        if update is None or self.outcome is not None:
            return None
        return PreviewOverlay(
            face_box=update.face_box,
            label=challenge_label(update.prompt, update.prompt_deadline_s),
        )

    # --- the capture ------------------------------------------------------------------------

    def start_capture(self) -> None:
        if self._capture is not None:
            self._capture.cancel()
        self.outcome = None
        self._update = None
        capture = FaceCapture(
            self._frames,
            self._display,
            rng=self._rng,
            settings=self._liveness,
            on_progress=self._progress_from_worker,
        )
        self._capture = capture
        self._show_challenges(capture.challenges, None)
        self.query_one("#face-headline", BilingualLines).show(_CAPTURING, "busy")
        self.query_one("#face-guidance", BilingualLines).show(None)
        self.query_one("#face-match", BilingualLines).show(None)
        self.query_one("#face-reasons", Vertical).remove_children()
        self._run_capture(capture)

    @work(thread=True, exclusive=True, group="face-capture")
    def _run_capture(self, capture: FaceCapture) -> None:
        outcome = capture.run(self._reference)
        if not capture.cancelled:  # a cancelled one was replaced or left behind
            self.post_message(FaceCaptureFinished(outcome))

    def _progress_from_worker(self, progress: FaceCaptureProgress) -> None:
        self.post_message(
            FaceProgressed(progress.update, progress.frames_processed, progress.challenges)
        )

    def on_face_progressed(self, message: FaceProgressed) -> None:
        if self.outcome is not None:
            return  # a late frame of a finished session
        self._update = message.update
        self._show_challenges(message.challenges, message.update.prompt)
        guidance = message.update.guidance
        lines = self.query_one("#face-guidance", BilingualLines)
        if guidance:
            text = as_bilingual(guidance[0])
            for more in guidance[1:]:
                text = text.join(as_bilingual(more))
            lines.show(text, "warning")
        elif message.update.faces == 1:
            lines.show(_ALL_CLEAR, "good")

    def on_face_capture_finished(self, message: FaceCaptureFinished) -> None:
        outcome = message.outcome
        self.outcome = outcome
        self._show_challenges(outcome.challenges, None, finished=True)
        self.query_one("#face-headline", BilingualLines).show(
            outcome.headline, DECISION_TONES[outcome.decision]
        )
        self.query_one("#face-guidance", BilingualLines).show(None)
        reasons = self.query_one("#face-reasons", Vertical)
        reasons.remove_children()
        problems = [*outcome.liveness_reasons]
        if outcome.match_problem is not None:
            problems.append(outcome.match_problem)
        reasons.mount_all(
            BilingualLines(as_bilingual(reason), "bad", classes="face-reason")
            for reason in problems
        )
        line = match_line(outcome)
        tone: Tone = "good" if outcome.accepted else "bad"
        self.query_one("#face-match", BilingualLines).show(line, tone)
        self._shown_frame = 0  # redraw the last frame without the overlay
        self.refresh_preview()

    def _show_challenges(
        self, challenges: tuple[Challenge, ...], current: Challenge | None, finished: bool = False
    ) -> None:
        text = Text(f"Challenges · {for_display('التحديات')}: ", style="bold")
        position = challenges.index(current) if current in challenges else -1
        for index, challenge in enumerate(challenges):
            arrow, words = CHALLENGE_LABELS[challenge]
            if index:
                text.append("  ")
            if finished:
                text.append(f"{arrow} {words.en}", style="dim")
            elif index == position:
                text.append(f"{arrow} {words.en}", style="bold reverse")
            elif index < position:
                text.append(f"✓ {words.en}", style="green")
            else:
                text.append(f"{arrow} {words.en}", style="dim")
        self.query_one("#challenge-list", Static).update(text)

    # --- keys -------------------------------------------------------------------------------

    def action_capture_again(self) -> None:
        self.start_capture()

    def action_back(self) -> None:
        if self._capture is not None:
            self._capture.cancel()
        self.dismiss(self.outcome)
