"""One face session at the booth: the liveness challenges drawn for this person, the camera's
frames fed to the liveness check, each prompt shown on the customer display, and at the end
the best frame matched 1:1 against the reference portrait (the card's DG2 or the portal's
photo).

Plain Python, run in a worker thread: `FaceCapture.run()` blocks until the session ends,
reports each processed frame through `on_progress`, and stops early on `cancel()`.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, replace
from enum import StrEnum

import numpy as np
import numpy.typing as npt
import structlog

from matcher.face import FaceEmbedding, FaceError, FaceVerifier, compare_faces
from matcher.face.messages import BilingualMessage
from matcher.liveness import (
    BestFrame,
    Challenge,
    ChallengeOutcome,
    LivenessResult,
    LivenessSession,
    LivenessSettings,
    LivenessUpdate,
    draw_challenges,
)
from matcher.liveness import messages as liveness_messages
from matcher.liveness.challenges import TURNS
from station.bilingual import Bilingual
from station.customer_display.model import DisplayPublisher, DisplayScreen, DisplayUpdate
from station.devices.camera import CameraFrame, FrameSource

log = structlog.get_logger(__name__)

BgrImage = npt.NDArray[np.uint8]

# Ending a session early on passive cues that will not turn (an attack waits out no deadline),
# only where the end-of-session decision would be the same: at least 12 sampled frames of
# which twice the allowed share (15%) show screen moire (live skin measures 0.2-0.4 against
# the 0.7 limit, so it is not flagged at all; filmed screens ended sessions at 0.32-0.5), or a
# completed head turn whose median planar residual over at least 8 turned frames is under
# half the depth threshold (live heads measured 0.057-0.092 against 0.04). Checked every few
# frames: the residuals cost a few milliseconds. Held-up edges: at least 10 decided samples of
# which more than the allowed share (20%) showed an outline. Every live session measured 0.00
# (docs/liveness.md), so more samples would not change its decision; prints and devices
# measured 0.28-1.00 (a print moved slowly towards the camera: 0.28 over 43 samples).
_EARLY_MOIRE_SAMPLES = 12
_EARLY_MOIRE_SHARE_OF_LIMIT = 2.0
_EARLY_EDGES_DECIDED = 10
_EARLY_DEPTH_FRAMES = 8
_EARLY_DEPTH_SHARE_OF_THRESHOLD = 0.5
_EARLY_CHECK_EVERY = 5


class FaceDecision(StrEnum):
    MATCH = "match"  # alive, and the same person as the reference
    NO_MATCH = "no_match"  # alive, but not the person of the reference
    NOT_LIVE = "not_live"  # liveness failed: no match was attempted
    NO_REFERENCE = "no_reference"  # alive, but there is no reference portrait to match
    MATCH_FAILED = "match_failed"  # a face could not be found in the best frame or reference
    CAMERA_LOST = "camera_lost"
    CANCELLED = "cancelled"


HEADLINES: dict[FaceDecision, Bilingual] = {
    FaceDecision.MATCH: Bilingual(
        "Live, and the same person as the reference portrait.",
        "حيّ، وهو نفس الشخص في الصورة المرجعية.",
    ),
    FaceDecision.NO_MATCH: Bilingual(
        "Live, but NOT the person of the reference portrait. Check the ID card against the "
        "person; do not continue if they differ.",
        "حيّ، لكنه ليس الشخص في الصورة المرجعية. قارن البطاقة بالشخص؛ ولا تتابع إن اختلفا.",
    ),
    FaceDecision.NOT_LIVE: Bilingual(
        "Liveness check failed: see the reasons. Ask the person to follow the prompts and "
        "capture again.",
        "فشل التحقق من الحيوية: راجع الأسباب. اطلب من الشخص اتباع التعليمات وأعد الالتقاط.",
    ),
    FaceDecision.NO_REFERENCE: Bilingual(
        "Live; no reference portrait to match against. Read the ID card first.",
        "حيّ؛ لا توجد صورة مرجعية للمطابقة. اقرأ بطاقة الهوية أولًا.",
    ),
    FaceDecision.MATCH_FAILED: Bilingual(
        "The faces could not be compared: see the reason, then capture again.",
        "تعذّرت مقارنة الوجهين: راجع السبب ثم أعد الالتقاط.",
    ),
    FaceDecision.CAMERA_LOST: Bilingual(
        "The camera stopped sending pictures. Check the camera, then capture again.",
        "توقفت الكاميرا عن إرسال الصور. افحص الكاميرا ثم أعد الالتقاط.",
    ),
    FaceDecision.CANCELLED: Bilingual("Face capture cancelled.", "أُلغي التقاط الوجه."),
}


@dataclass(frozen=True)
class FaceCaptureProgress:
    """One processed frame: what the preview overlays (face box, prompt, guidance)."""

    frame: CameraFrame
    update: LivenessUpdate
    challenges: tuple[Challenge, ...]
    frames_processed: int


@dataclass(frozen=True)
class FaceCaptureOutcome:
    decision: FaceDecision
    headline: Bilingual
    challenges: tuple[Challenge, ...]
    live: bool
    liveness_reasons: tuple[BilingualMessage, ...]  # why not live (empty when live)
    # The 1:1 comparison: Euclidean distance between templates, a match below `threshold`.
    match_distance: float | None
    threshold: float | None
    model: str | None
    match_problem: BilingualMessage | None  # why no comparison could be made
    best_frame: BestFrame | None
    liveness: LivenessResult | None
    frames_processed: int
    duration_s: float

    @property
    def accepted(self) -> bool:
        return self.decision is FaceDecision.MATCH


ProgressCallback = Callable[[FaceCaptureProgress], None]


class FaceCapture:
    """One session; `run()` once, from a worker thread. `cancel()` from any thread."""

    def __init__(
        self,
        frames: FrameSource,
        display: DisplayPublisher | None,
        *,
        rng: random.Random,
        settings: LivenessSettings | None = None,
        on_progress: ProgressCallback | None = None,
        frame_timeout_s: float = 5.0,
        verifier: FaceVerifier | None = None,
    ) -> None:
        self._frames = frames
        self._display = display
        self._settings = settings or LivenessSettings()
        self._on_progress = on_progress
        self._frame_timeout_s = frame_timeout_s
        self._verifier = verifier
        self._cancelled = threading.Event()
        self._shown_prompt: Challenge | None = None
        self.challenges = draw_challenges(rng, self._settings)

    def cancel(self) -> None:
        self._cancelled.set()

    @property
    def cancelled(self) -> bool:
        return self._cancelled.is_set()

    def run(self, reference: BgrImage | None) -> FaceCaptureOutcome:
        """Run the session to its end; then match the best frame against `reference`."""
        started = time.monotonic()
        reference_template = self._reference_template_meanwhile(reference)
        session = LivenessSession(self.challenges, settings=self._settings)
        log.info("face_capture.started", challenges=[str(c) for c in self.challenges])
        self._show(DisplayUpdate(screen=DisplayScreen.FACE))
        processed = 0
        last_number = -1
        latest = self._frames.latest()
        if latest is not None:
            last_number = latest.number - 1  # start from the newest frame, not an old one
        decided: LivenessResult | None = None
        try:
            while not session.finished:
                if self._cancelled.is_set():
                    return self._ended(FaceDecision.CANCELLED, processed, started)
                frame = self._frames.wait_for_frame(last_number, self._frame_timeout_s)
                if frame is None:
                    if self._cancelled.is_set():
                        return self._ended(FaceDecision.CANCELLED, processed, started)
                    log.warning("face_capture.camera_lost", frames=processed)
                    return self._ended(FaceDecision.CAMERA_LOST, processed, started)
                last_number = frame.number
                update = session.add_frame(frame.image, frame.timestamp_s)
                processed += 1
                if update.prompt_changed:
                    self._show_prompt(update)
                if self._on_progress is not None:
                    self._on_progress(
                        # The session's own: a missed challenge is replaced on its retry.
                        FaceCaptureProgress(frame, update, session.challenges, processed)
                    )
                if processed % _EARLY_CHECK_EVERY == 0:
                    decided = self._decisive_passive_failure(session)
                    if decided is not None:
                        break
            result = decided or session.result()
        finally:
            # Whatever happened, the citizen is no longer asked to do anything.
            self._show(DisplayUpdate(screen=DisplayScreen.FACE))
            session.close()
        if not result.live:
            return self._outcome(FaceDecision.NOT_LIVE, result, processed, started)
        if reference is None or result.best_frame is None:
            return self._outcome(FaceDecision.NO_REFERENCE, result, processed, started)
        return self._matched(
            result, result.best_frame, reference, processed, started, reference_template
        )

    def _show(self, update: DisplayUpdate) -> None:
        # No customer display (a booth whose second screen failed): the operator reads the
        # prompts aloud from the preview instead.
        if self._display is not None:
            self._display.show(update)

    def _show_prompt(self, update: LivenessUpdate) -> None:
        if update.prompt is not None and update.prompt == self._shown_prompt:
            # Asked again after a miss: the display publishes a challenge only when it
            # changes, so clear it first or nobody in front of the screen sees a new request.
            self._show(DisplayUpdate(screen=DisplayScreen.FACE))
        self._shown_prompt = update.prompt
        # The session gives the seconds left, which is what the display counts down.
        remaining = update.prompt_deadline_s if update.prompt is not None else None
        self._show(
            DisplayUpdate(
                screen=DisplayScreen.FACE,
                challenge=str(update.prompt) if update.prompt is not None else None,
                challenge_deadline_s=remaining,
            )
        )
        log.info("face_capture.prompt", challenge=str(update.prompt), deadline_s=remaining)

    def _decisive_passive_failure(self, session: LivenessSession) -> LivenessResult | None:
        """Not live already, whatever the rest of the session would show (see the limits
        above), as the session's result with the cue's reason; None: keep going."""
        interim = session.result()
        passive = interim.passive
        reasons = []
        moire = passive.colour_moire
        screen_share = self._settings.moire_max_flagged_share * _EARLY_MOIRE_SHARE_OF_LIMIT
        if moire.frames >= _EARLY_MOIRE_SAMPLES and moire.value >= screen_share:
            reasons.append(liveness_messages.SCREEN)
        depth = passive.depth
        turned = any(o.passed and o.challenge in TURNS for o in interim.challenges)
        flat_below = self._settings.min_depth_residual * _EARLY_DEPTH_SHARE_OF_THRESHOLD
        if turned and depth.frames >= _EARLY_DEPTH_FRAMES and depth.value < flat_below:
            reasons.append(liveness_messages.FLAT_FACE)
        edges = passive.held_up_edges
        if edges.frames >= _EARLY_EDGES_DECIDED and not edges.passed:
            reasons.append(liveness_messages.HELD_UP)
        if not reasons:
            return None
        done = len(interim.challenges)
        outcomes = interim.challenges + tuple(
            ChallengeOutcome(c, False, None) for c in self.challenges[done:]
        )
        log.info(
            "face_capture.decided_early",
            moire_share=round(moire.value, 3),
            moire_samples=moire.frames,
            depth=round(depth.value, 4) if depth.frames else None,
            depth_frames=depth.frames,
            edges_share=round(edges.value, 3),
            edges_samples=edges.frames,
        )
        return LivenessResult(
            False, tuple(reasons), outcomes, passive, interim.best_frame, interim.missed
        )

    def _reference_template_meanwhile(
        self, reference: BgrImage | None
    ) -> Future[FaceEmbedding] | None:
        """The reference's template, computed in a thread while the person does the
        challenges (it takes about as long as the best frame's: 0.4-0.8 s on the booth's two
        cores). Only with a verifier of the booth's, which outlives this session."""
        if reference is None or self._verifier is None:
            return None
        verifier = self._verifier
        pending: Future[FaceEmbedding] = Future()

        def work() -> None:
            try:
                pending.set_result(verifier.template(reference))
            except BaseException as error:  # handed to whoever reads the result
                pending.set_exception(error)

        threading.Thread(target=work, name="face-reference-template", daemon=True).start()
        return pending

    def _matched(
        self,
        result: LivenessResult,
        best: BestFrame,
        reference: BgrImage,
        processed: int,
        started: float,
        reference_template: Future[FaceEmbedding] | None = None,
    ) -> FaceCaptureOutcome:
        verifier = self._verifier or FaceVerifier()
        try:
            # The reference's template first: the verifier is not used from two threads.
            reference_vector = (
                reference_template.result()
                if reference_template is not None
                else verifier.template(reference)
            )
            comparison = compare_faces(
                verifier.template(best.image), reference_vector, verifier.threshold
            )
        except FaceError as error:
            log.warning("face_capture.match_failed", reason=error.message.en)
            return self._outcome(
                FaceDecision.MATCH_FAILED, result, processed, started, problem=error.message
            )
        finally:
            if self._verifier is None:
                verifier.close()
        decision = FaceDecision.MATCH if comparison.is_match else FaceDecision.NO_MATCH
        log.info(
            "face_capture.matched",
            decision=str(decision),
            distance=round(comparison.distance, 4),
            threshold=comparison.threshold,
            model=comparison.model,
        )
        outcome = self._outcome(decision, result, processed, started)
        return _with_match(outcome, comparison.distance, comparison.threshold, comparison.model)

    def _outcome(
        self,
        decision: FaceDecision,
        result: LivenessResult,
        processed: int,
        started: float,
        problem: BilingualMessage | None = None,
    ) -> FaceCaptureOutcome:
        seconds = time.monotonic() - started
        log.info(
            "face_capture.ended",
            decision=str(decision),
            live=result.live,
            frames=processed,
            seconds=round(seconds, 2),
            fps=round(processed / max(seconds, 1e-6), 1),
            reactions_s=[c.reaction_s for c in result.challenges],
            missed=[str(c) for c in result.missed],
            passive={
                cue.name: [round(cue.value, 3), cue.frames]
                for cue in (
                    result.passive.depth,
                    result.passive.colour_moire,
                    result.passive.held_up_edges,
                )
            },
        )
        return FaceCaptureOutcome(
            decision=decision,
            headline=HEADLINES[decision],
            challenges=tuple(o.challenge for o in result.challenges),  # as asked, retries too
            live=result.live,
            liveness_reasons=tuple(result.reasons),
            match_distance=None,
            threshold=None,
            model=None,
            match_problem=problem,
            best_frame=result.best_frame,
            liveness=result,
            frames_processed=processed,
            duration_s=time.monotonic() - started,
        )

    def _ended(self, decision: FaceDecision, processed: int, started: float) -> FaceCaptureOutcome:
        log.info("face_capture.ended", decision=str(decision), frames=processed)
        return FaceCaptureOutcome(
            decision=decision,
            headline=HEADLINES[decision],
            challenges=self.challenges,
            live=False,
            liveness_reasons=(),
            match_distance=None,
            threshold=None,
            model=None,
            match_problem=None,
            best_frame=None,
            liveness=None,
            frames_processed=processed,
            duration_s=time.monotonic() - started,
        )


def _with_match(
    outcome: FaceCaptureOutcome, distance: float, threshold: float, model: str
) -> FaceCaptureOutcome:
    return replace(outcome, match_distance=distance, threshold=threshold, model=model)
