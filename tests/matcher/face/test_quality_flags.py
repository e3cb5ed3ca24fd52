"""Each portrait quality measure passes on a good face and fails, with a bilingual hint, on a
face made bad in just that way (made-up landmarks and textures; no photographs)."""

from __future__ import annotations

import cv2
import numpy as np
import numpy.typing as npt
import pytest

from matcher.face.landmarks import FaceLandmarks
from matcher.face.quality import (
    PORTRAIT,
    QualityCheck,
    QualityMeasure,
    QualityProfile,
    assess_face_geometry,
    assess_face_image,
    assess_quality,
)
from tests.matcher.face.synthetic_faces import synthetic_face, textured_face_image

GEOMETRY_CASES = {
    QualityCheck.INTER_EYE_DISTANCE: {"inter_eye_px": 70.0},
    QualityCheck.YAW: {"yaw": 9.0},
    QualityCheck.PITCH: {"pitch": -9.0},
    QualityCheck.ROLL: {"roll": 12.0},
    QualityCheck.EYES_OPEN: {"eye_opening": 0.06},
    QualityCheck.MOUTH_CLOSED: {"mouth_opening": 0.25},
    QualityCheck.FACE_IN_FRAME: {"center": (600.0, 170.0)},
}


def _failed(measures: tuple[QualityMeasure, ...]) -> set[QualityCheck]:
    return {m.check for m in measures if not m.passed}


def test_a_good_portrait_passes_every_measure() -> None:
    face = synthetic_face()
    image = textured_face_image(face, seed=1)
    report = assess_quality(image, [face])
    assert report.passed, [(m.check, m.value) for m in report.failures]
    assert {m.check for m in report.measures} == set(QualityCheck)
    assert report.hints == ()


@pytest.mark.parametrize("check", list(GEOMETRY_CASES))
def test_each_geometry_flag_fails_alone_with_a_hint_in_both_languages(check: QualityCheck) -> None:
    measures = assess_face_geometry(synthetic_face(**GEOMETRY_CASES[check]))  # type: ignore[arg-type]
    assert _failed(measures) == {check}
    failed = next(m for m in measures if m.check is check)
    assert failed.hint is not None
    assert failed.hint.en
    assert failed.hint.ar
    assert any("\u0600" <= ch <= "\u06ff" for ch in failed.hint.ar)


def test_limits_sit_where_the_portrait_standard_puts_them() -> None:
    assert PORTRAIT.min_inter_eye_px == 90
    assert (PORTRAIT.max_yaw_deg, PORTRAIT.max_pitch_deg, PORTRAIT.max_roll_deg) == (5, 5, 8)
    inside = assess_face_geometry(synthetic_face(yaw=4.5, pitch=-4.5, roll=7.5, inter_eye_px=91))
    assert _failed(inside) == set()


def test_the_pose_hint_names_the_direction_to_correct() -> None:
    yaw = assess_face_geometry(synthetic_face(yaw=-12))
    hint = next(m.hint for m in yaw if m.check is QualityCheck.YAW)
    assert hint is not None
    assert "right" in hint.en
    assert "يمين" in hint.ar
    pitch = assess_face_geometry(synthetic_face(pitch=12))
    hint = next(m.hint for m in pitch if m.check is QualityCheck.PITCH)
    assert hint is not None
    assert "up" in hint.en


def test_a_looser_profile_lets_a_small_turned_face_pass() -> None:
    live = QualityProfile(min_inter_eye_px=50, max_yaw_deg=15)
    assert _failed(assess_face_geometry(synthetic_face(inter_eye_px=60, yaw=10), live)) == set()


def _image_failures(image: npt.NDArray[np.uint8], face: FaceLandmarks) -> set[QualityCheck]:
    return _failed(assess_face_image(image, face))


def test_a_blurred_face_fails_sharpness_only() -> None:
    face = synthetic_face()
    # Sigma 7 px at 100 px between the eyes is sigma 4 at the canonical 60 px.
    image = np.asarray(cv2.GaussianBlur(textured_face_image(face, seed=2), (0, 0), 7.0), np.uint8)
    assert _image_failures(image, face) == {QualityCheck.SHARPNESS}


def test_a_dark_face_fails_exposure_and_says_to_add_light() -> None:
    face = synthetic_face()
    image = textured_face_image(face, seed=3, brightness=35, spread=12)
    measures = assess_face_image(image, face)
    assert QualityCheck.EXPOSURE in _failed(measures)
    hint = next(m.hint for m in measures if m.check is QualityCheck.EXPOSURE)
    assert hint is not None
    assert "dark" in hint.en


def test_a_burnt_out_face_fails_exposure_and_clipping() -> None:
    face = synthetic_face()
    image = textured_face_image(face, seed=4, brightness=235, spread=30)
    assert {QualityCheck.EXPOSURE, QualityCheck.CLIPPING} <= _image_failures(image, face)


def test_a_flat_face_fails_contrast() -> None:
    face = synthetic_face()
    image = textured_face_image(face, seed=5, brightness=130, spread=6)
    assert QualityCheck.CONTRAST in _image_failures(image, face)


@pytest.mark.parametrize("count", [0, 2])
def test_no_face_or_two_faces_fail_the_count_with_a_clear_hint(count: int) -> None:
    faces = [synthetic_face(center=(200, 170)), synthetic_face(center=(440, 170))][:count]
    report = assess_quality(np.zeros((480, 640, 3), np.uint8), faces)
    assert not report.passed
    assert [m.check for m in report.measures] == [QualityCheck.FACE_COUNT]
    assert report[QualityCheck.FACE_COUNT].value == count
    assert report.hints[0].en.startswith("No face" if count == 0 else "More than one face")
