"""The face-capture core with the real liveness check and the real matcher: the simulated
person, drawn in-process on a synthetic clock, follows the prompts the core publishes."""

from __future__ import annotations

import random
from collections.abc import Iterator

import cv2
import numpy as np
import pytest

from matcher.face import FaceVerifier
from simulator.subject.identity import FaceIdentity, make_identity
from simulator.subject.portrait import render_card_portrait
from station.customer_display.model import DisplayScreen
from station.enrollment.face_capture import (
    FaceCapture,
    FaceCaptureOutcome,
    FaceCaptureProgress,
    FaceDecision,
)
from tests.station.face_sources import PromptedDisplay, RenderedSubject, StillFrames

# Behaviour seed 3 reacts on time to its prompts (no miss, no late start) with this draw.
BEHAVIOUR_SEED = 3
CHALLENGE_SEED = 11


@pytest.fixture(scope="module")
def person() -> FaceIdentity:
    return make_identity(5, "male", 35.0, "SAU")


@pytest.fixture(scope="module")
def verifier() -> Iterator[FaceVerifier]:
    found = FaceVerifier()
    yield found
    found.close()


@pytest.fixture(scope="module")
def live_session(
    person: FaceIdentity, verifier: FaceVerifier
) -> tuple[FaceCaptureOutcome, PromptedDisplay, list[FaceCaptureProgress], FaceCapture]:
    subject = RenderedSubject(person, BEHAVIOUR_SEED)
    display = PromptedDisplay(subject)
    progress: list[FaceCaptureProgress] = []
    capture = FaceCapture(
        subject,
        display,
        rng=random.Random(CHALLENGE_SEED),
        on_progress=progress.append,
        verifier=verifier,
    )
    outcome = capture.run(render_card_portrait(person))
    return outcome, display, progress, capture


def test_a_live_person_passes_and_matches_their_own_portrait(
    live_session: tuple[
        FaceCaptureOutcome, PromptedDisplay, list[FaceCaptureProgress], FaceCapture
    ],
) -> None:
    outcome, _, _, _ = live_session
    assert outcome.decision is FaceDecision.MATCH, (outcome.decision, outcome.liveness_reasons)
    assert outcome.accepted
    assert outcome.live
    assert outcome.liveness_reasons == ()
    assert outcome.match_distance is not None
    assert outcome.threshold is not None
    assert outcome.match_distance < outcome.threshold
    assert outcome.model == "dlib_face_recognition_resnet_model_v1"
    assert outcome.best_frame is not None


def test_each_challenge_is_shown_on_the_customer_display_in_order(
    live_session: tuple[
        FaceCaptureOutcome, PromptedDisplay, list[FaceCaptureProgress], FaceCapture
    ],
) -> None:
    outcome, display, _, capture = live_session
    assert all(update.screen is DisplayScreen.FACE for update in display.updates)
    shown = [challenge for challenge in display.challenges_shown if challenge is not None]
    assert shown == [str(challenge) for challenge in capture.challenges]
    assert 2 <= len(shown) <= 3
    assert display.challenges_shown[0] is None  # "look at the camera" first
    assert display.challenges_shown[-1] is None  # and nothing asked once it is over
    deadlines = [u.challenge_deadline_s for u in display.updates if u.challenge is not None]
    assert all(deadline is not None and 0 < deadline <= 5.0 for deadline in deadlines)
    assert outcome.challenges == capture.challenges


def test_progress_reports_every_frame_with_the_face_box(
    live_session: tuple[
        FaceCaptureOutcome, PromptedDisplay, list[FaceCaptureProgress], FaceCapture
    ],
) -> None:
    outcome, _, progress, _ = live_session
    assert len(progress) == outcome.frames_processed
    assert [p.frames_processed for p in progress] == list(range(1, len(progress) + 1))
    assert sum(p.update.face_box is not None for p in progress) > 0.9 * len(progress)
    assert progress[-1].update.finished


def test_the_challenges_follow_the_seed(person: FaceIdentity) -> None:
    display = PromptedDisplay()
    first = FaceCapture(
        StillFrames(np.zeros((8, 8, 3), np.uint8), 0), display, rng=random.Random(4)
    )
    again = FaceCapture(
        StillFrames(np.zeros((8, 8, 3), np.uint8), 0), display, rng=random.Random(4)
    )
    assert first.challenges == again.challenges


def test_frames_without_a_face_end_not_live_with_reasons_and_guidance() -> None:
    grey = np.full((480, 640, 3), 128, np.uint8)
    progress: list[FaceCaptureProgress] = []
    # Half a second between frames: the session's 30 s deadline comes after 60 frames.
    capture = FaceCapture(
        StillFrames(grey, 200, step_s=0.5),
        PromptedDisplay(),
        rng=random.Random(1),
        on_progress=progress.append,
    )
    outcome = capture.run(grey)
    assert outcome.decision is FaceDecision.NOT_LIVE
    assert not outcome.live
    assert outcome.liveness_reasons
    assert outcome.match_distance is None
    guidance = {message.en for p in progress for message in p.update.guidance}
    assert any("No face" in text for text in guidance), guidance


def test_two_faces_in_the_picture_are_reported_not_crashed_on(person: FaceIdentity) -> None:
    portrait = render_card_portrait(person)
    other = render_card_portrait(make_identity(42, "female", 30.0, "EGY"))
    pair = np.ascontiguousarray(
        cv2.resize(np.hstack([portrait, other]), (640, 400), interpolation=cv2.INTER_AREA),
        dtype=np.uint8,
    )
    progress: list[FaceCaptureProgress] = []
    capture = FaceCapture(
        StillFrames(pair, 8), PromptedDisplay(), rng=random.Random(1), on_progress=progress.append
    )
    outcome = capture.run(portrait)
    assert outcome.decision is FaceDecision.CAMERA_LOST  # the source ran dry after 8 frames
    assert max(p.update.faces for p in progress) == 2
    guidance = {message.en for p in progress for message in p.update.guidance}
    assert any("one face" in text or "person" in text for text in guidance), guidance


def test_a_camera_gone_quiet_ends_the_session_and_clears_the_display() -> None:
    display = PromptedDisplay()
    grey = np.full((240, 320, 3), 128, np.uint8)
    outcome = FaceCapture(StillFrames(grey, 3), display, rng=random.Random(2)).run(grey)
    assert outcome.decision is FaceDecision.CAMERA_LOST
    assert "camera" in outcome.headline.en
    assert "الكاميرا" in outcome.headline.ar
    assert outcome.frames_processed == 3
    assert display.challenges_shown[-1] is None


def test_a_session_can_be_cancelled_from_another_thread() -> None:
    display = PromptedDisplay()
    grey = np.full((240, 320, 3), 128, np.uint8)
    capture: FaceCapture | None = None

    def cancel_at_third(number: int) -> None:
        if number == 3 and capture is not None:
            capture.cancel()

    capture = FaceCapture(
        StillFrames(grey, 100, on_frame=cancel_at_third), display, rng=random.Random(2)
    )
    outcome = capture.run(grey)
    assert outcome.decision is FaceDecision.CANCELLED
    assert outcome.frames_processed == 3
    assert display.challenges_shown[-1] is None


def test_a_reference_without_a_face_gives_a_clear_reason(
    person: FaceIdentity, verifier: FaceVerifier
) -> None:
    subject = RenderedSubject(person, BEHAVIOUR_SEED)
    capture = FaceCapture(
        subject, PromptedDisplay(subject), rng=random.Random(CHALLENGE_SEED), verifier=verifier
    )
    outcome = capture.run(np.full((600, 480, 3), 200, np.uint8))
    assert outcome.live
    assert outcome.decision is FaceDecision.MATCH_FAILED
    assert outcome.match_problem is not None
    assert "No face" in outcome.match_problem.en
