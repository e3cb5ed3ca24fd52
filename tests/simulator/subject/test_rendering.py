"""Rendered faces as the real matcher sees them: one face, the commanded pose read back with
the right signs, blinks closing the eyes, the mouth opening and smiling."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pytest

from matcher.face import FaceLandmarker, estimate_head_pose, measure_eyes_and_mouth
from matcher.face.landmarks import FaceLandmarks
from simulator.subject.backdrop import Backdrop, backdrop_image
from simulator.subject.expression import Expression
from simulator.subject.identity import FaceIdentity
from simulator.subject.renderer import SubjectRender, draw_subject
from simulator.subject.scene import CameraView, Lighting, SubjectPose
from simulator.subject.subject_model import subject_model

VIEW = CameraView(640, 480)


def _render(
    identity: FaceIdentity, pose: SubjectPose | None = None, expression: Expression | None = None
) -> tuple[npt.NDArray[np.uint8], SubjectRender]:
    frame = backdrop_image(Backdrop.BOOTH, VIEW.width, VIEW.height).copy()
    drawn = draw_subject(
        frame,
        subject_model(identity),
        pose or SubjectPose(),
        Lighting(),
        VIEW,
        expression or Expression(),
    )
    assert drawn is not None
    return frame, drawn


def _face(landmarker: FaceLandmarker, frame: npt.NDArray[np.uint8]) -> FaceLandmarks:
    faces = landmarker.detect(frame)
    assert len(faces) == 1, f"expected one face, FaceMesh found {len(faces)}"
    return faces[0]


def test_facemesh_finds_the_face_where_it_was_drawn(
    landmarker: FaceLandmarker, saudi_man: FaceIdentity
) -> None:
    frame, drawn = _render(saudi_man)
    face = _face(landmarker, frame)
    # The drawn mesh and the detected mesh agree on the inner face within a few pixels.
    inner = [1, 33, 133, 263, 362, 61, 291, 168]
    error = np.linalg.norm(face.xy[inner] - drawn.landmarks[inner], axis=1)
    assert float(np.median(error)) < 0.06 * face.inter_eye_distance
    assert 80 < face.inter_eye_distance < 130


@pytest.mark.parametrize("yaw", [-22.0, 22.0])
def test_the_detected_yaw_follows_the_commanded_yaw(
    landmarker: FaceLandmarker, saudi_man: FaceIdentity, yaw: float
) -> None:
    straight = estimate_head_pose(_face(landmarker, _render(saudi_man)[0]))
    turned = estimate_head_pose(_face(landmarker, _render(saudi_man, SubjectPose(yaw=yaw))[0]))
    assert abs(straight.yaw) < 5.0
    assert np.sign(turned.yaw) == np.sign(yaw)
    assert abs(turned.yaw - straight.yaw) > 12.0


def test_looking_up_reads_as_positive_pitch(
    landmarker: FaceLandmarker, bareheaded_woman: FaceIdentity
) -> None:
    level = estimate_head_pose(_face(landmarker, _render(bareheaded_woman)[0]))
    up = estimate_head_pose(_face(landmarker, _render(bareheaded_woman, SubjectPose(pitch=18))[0]))
    assert up.pitch > level.pitch + 8.0


def test_a_blink_drops_the_eye_aspect_ratio(
    landmarker: FaceLandmarker, saudi_man: FaceIdentity
) -> None:
    open_eyes = measure_eyes_and_mouth(_face(landmarker, _render(saudi_man)[0]))
    shut = Expression(blink_right=1.0, blink_left=1.0)
    closed = measure_eyes_and_mouth(_face(landmarker, _render(saudi_man, expression=shut)[0]))
    assert open_eyes.eye_aspect_ratio > 0.2
    assert closed.eye_aspect_ratio < 0.6 * open_eyes.eye_aspect_ratio


def test_the_mouth_opens_and_smiles(
    landmarker: FaceLandmarker, bareheaded_woman: FaceIdentity
) -> None:
    neutral = measure_eyes_and_mouth(_face(landmarker, _render(bareheaded_woman)[0]))
    opened = measure_eyes_and_mouth(
        _face(landmarker, _render(bareheaded_woman, expression=Expression(mouth_open=0.8))[0])
    )
    smiling = measure_eyes_and_mouth(
        _face(landmarker, _render(bareheaded_woman, expression=Expression(smile=1.0))[0])
    )
    assert neutral.mouth_opening < 0.1
    assert opened.mouth_opening > 0.2
    assert smiling.mouth_width > neutral.mouth_width * 1.05


def test_a_subject_out_of_the_picture_draws_nothing(saudi_man: FaceIdentity) -> None:
    frame = np.zeros((480, 640, 3), np.uint8)
    drawn = draw_subject(
        frame, subject_model(saudi_man), SubjectPose(x_mm=4000.0), Lighting(), VIEW
    )
    assert drawn is None
    assert not frame.any()
