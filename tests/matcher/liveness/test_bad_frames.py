"""Frames a camera really delivers: nobody there, two people, a broken frame. Each gives
guidance the operator can act on; none crashes the session."""

from __future__ import annotations

import numpy as np
import pytest

from matcher.face import FaceLandmarker
from matcher.face.errors import MANY_FACES, NO_FACE
from matcher.liveness import Challenge, LivenessSession
from matcher.liveness import messages as m
from simulator.subject.backdrop import Backdrop, backdrop_image
from simulator.subject.identity import make_identity
from simulator.subject.portrait import render_card_portrait

CHALLENGES = (Challenge.TURN_LEFT, Challenge.BLINK)


@pytest.fixture
def session(video_landmarker: FaceLandmarker) -> LivenessSession:
    return LivenessSession(CHALLENGES, landmarker=video_landmarker)


def test_an_empty_booth_asks_for_a_face(session: LivenessSession) -> None:
    empty = backdrop_image(Backdrop.BOOTH, 640, 480, 0).copy()
    update = session.add_frame(empty, 0.0)
    assert update.faces == 0
    assert update.face_box is None
    assert NO_FACE in update.guidance
    assert update.prompt is None
    assert not update.finished


def test_two_people_side_by_side_are_told_apart(session: LivenessSession) -> None:
    one = render_card_portrait(make_identity(11, "male", 35.0, "SAU"))
    other = render_card_portrait(make_identity(12, "female", 30.0, "EGY"))
    both = np.ascontiguousarray(np.hstack([one, other]))
    update = session.add_frame(both, 0.0)
    assert update.faces == 2
    assert MANY_FACES in update.guidance
    assert update.face_box is None  # neither is clearly the person being checked


@pytest.mark.parametrize(
    "frame",
    [
        np.zeros((0, 0, 3), np.uint8),  # an empty grab
        np.zeros((480, 640, 3), np.float32),  # wrong type
        np.zeros((8, 8, 3), np.uint8),  # far too small
        np.zeros((480, 640, 5), np.uint8),  # not an image
        None,
        b"\xff\xd8\xff\xe0 not a decoded frame",
    ],
    ids=["empty", "float", "tiny", "five-channels", "none", "bytes"],
)
def test_a_broken_frame_gives_guidance_not_a_crash(session: LivenessSession, frame: object) -> None:
    update = session.add_frame(frame, 0.0)  # type: ignore[arg-type]
    assert update.faces == 0
    assert update.guidance
    assert all(message.en and message.ar for message in update.guidance)
    assert not update.finished


def test_frames_out_of_time_order_are_ignored(session: LivenessSession) -> None:
    empty = backdrop_image(Backdrop.BOOTH, 640, 480, 0).copy()
    session.add_frame(empty, 5.0)
    update = session.add_frame(empty, 4.0)
    assert update.guidance == ()
    assert update.faces == 0


def test_nobody_looking_at_the_camera_ends_the_session(session: LivenessSession) -> None:
    empty = backdrop_image(Backdrop.BOOTH, 640, 480, 0).copy()
    t = 0.0
    while not session.finished and t < 20.0:
        session.add_frame(empty, t)
        t += 0.5  # the clock is the caller's: no need to wait for the real one
    result = session.result()
    assert session.finished
    assert not result.live
    assert m.NOT_LOOKING in result.reasons
    assert result.best_frame is None


def test_a_result_asked_for_too_early_says_so(session: LivenessSession) -> None:
    result = session.result()
    assert not result.live
    assert result.reasons == (m.NOT_FINISHED,)


def test_a_session_needs_a_challenge() -> None:
    with pytest.raises(ValueError, match="at least one challenge"):
        LivenessSession(())
