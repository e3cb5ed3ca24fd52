"""Eye aspect ratio and mouth opening, on landmarks of a made-up face."""

from __future__ import annotations

import pytest

from matcher.face.eyes_and_mouth import measure_eyes_and_mouth
from tests.matcher.face.synthetic_faces import synthetic_face


@pytest.mark.parametrize("opening", [0.05, 0.2, 0.32])
def test_the_eye_aspect_ratio_is_lid_gap_over_eye_width(opening: float) -> None:
    measured = measure_eyes_and_mouth(synthetic_face(eye_opening=opening))
    # The outer corner lies deeper than the lids, so the eye looks a few percent narrower.
    assert measured.right_eye_aspect_ratio == pytest.approx(opening, rel=0.05)
    assert measured.left_eye_aspect_ratio == pytest.approx(measured.right_eye_aspect_ratio)


def test_the_eye_aspect_ratio_does_not_depend_on_face_size() -> None:
    small = measure_eyes_and_mouth(synthetic_face(inter_eye_px=50))
    large = measure_eyes_and_mouth(synthetic_face(inter_eye_px=200))
    # Only perspective differs: the large face is nearer the camera.
    assert small.eye_aspect_ratio == pytest.approx(large.eye_aspect_ratio, rel=0.03)


def test_an_open_mouth_measures_its_lip_gap_against_its_width() -> None:
    closed = measure_eyes_and_mouth(synthetic_face(mouth_opening=0.0))
    open_ = measure_eyes_and_mouth(synthetic_face(mouth_opening=0.3))
    assert closed.mouth_opening == pytest.approx(0.0, abs=1e-6)
    assert open_.mouth_opening == pytest.approx(0.3, rel=0.05)
