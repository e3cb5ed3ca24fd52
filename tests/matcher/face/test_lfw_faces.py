"""The matcher on real photographs: small LFW crops read from ../shared/data/lfw at test time
(never copied into the repository). Skipped, with the reason shown, where LFW is absent."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import cv2
import numpy as np
import numpy.typing as npt
import pytest

from matcher.face import (
    FaceImageError,
    FaceLandmarker,
    FaceNotFoundError,
    FaceVerifier,
    LandmarkMode,
    MultipleFacesError,
    QualityCheck,
    assess_quality,
    decode_image,
    estimate_head_pose,
)

LFW_IMAGES = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "lfw" / "images"

pytestmark = pytest.mark.skipif(
    not LFW_IMAGES.is_dir(),
    reason=f"LFW photos not found at {LFW_IMAGES}; face tests on photos skipped",
)


def lfw(person: str, number: int) -> npt.NDArray[np.uint8]:
    image = cv2.imread(str(LFW_IMAGES / person / f"{person}_{number:04d}.jpg"))
    assert image is not None
    return np.asarray(image, dtype=np.uint8)


@pytest.fixture(scope="module")
def verifier() -> Iterator[FaceVerifier]:
    verifier = FaceVerifier()
    yield verifier
    verifier.close()


@pytest.fixture(scope="module")
def landmarker() -> Iterator[FaceLandmarker]:
    with FaceLandmarker(LandmarkMode.STILL) as landmarker:
        yield landmarker


def test_one_face_is_found_with_eyes_where_eyes_are(landmarker: FaceLandmarker) -> None:
    faces = landmarker.detect(lfw("Abel_Pacheco", 4))
    assert len(faces) == 1
    face = faces[0]
    assert 30 < face.inter_eye_distance < 60  # LFW's 250 px crops
    assert face.right_eye_center[0] < 125 < face.left_eye_center[0]
    assert abs(estimate_head_pose(face).yaw) < 8


def test_a_frontal_photo_at_portrait_size_passes_every_measure(landmarker: FaceLandmarker) -> None:
    small = lfw("Abel_Pacheco", 4)
    image = np.asarray(
        cv2.resize(small, None, fx=2.5, fy=2.5, interpolation=cv2.INTER_CUBIC), np.uint8
    )
    report = assess_quality(image, landmarker.detect(image))
    assert report.passed, [(m.check, m.value) for m in report.failures]


def test_an_lfw_crop_is_too_small_for_a_portrait_and_the_hint_says_move_closer(
    landmarker: FaceLandmarker,
) -> None:
    image = lfw("Abel_Pacheco", 4)
    report = assess_quality(image, landmarker.detect(image))
    assert [m.check for m in report.failures] == [QualityCheck.INTER_EYE_DISTANCE]
    hint = report[QualityCheck.INTER_EYE_DISTANCE].hint
    assert hint is not None
    assert "move closer" in hint.en
    assert "الاقتراب" in hint.ar


def test_a_turned_head_and_an_open_mouth_are_flagged_in_real_photos(
    landmarker: FaceLandmarker,
) -> None:
    turned = lfw("Amber_Tamblyn", 1)
    speaking = lfw("Anders_Fogh_Rasmussen", 1)
    assert not assess_quality(turned, landmarker.detect(turned))[QualityCheck.YAW].passed
    assert not assess_quality(speaking, landmarker.detect(speaking))[
        QualityCheck.MOUTH_CLOSED
    ].passed


def test_a_face_cut_by_the_frame_is_flagged(landmarker: FaceLandmarker) -> None:
    cut = np.ascontiguousarray(lfw("Abel_Pacheco", 1)[:, 100:])
    report = assess_quality(cut, landmarker.detect(cut))
    assert not report[QualityCheck.FACE_IN_FRAME].passed
    assert report[QualityCheck.FACE_IN_FRAME].value < 0


def test_two_photos_side_by_side_are_two_faces_not_a_crash(
    landmarker: FaceLandmarker, verifier: FaceVerifier
) -> None:
    pair = np.hstack([lfw("Abel_Pacheco", 1), lfw("Amber_Tamblyn", 1)])
    report = assess_quality(pair, landmarker.detect(pair))
    assert report[QualityCheck.FACE_COUNT].value == 2
    assert not report.passed
    with pytest.raises(MultipleFacesError) as raised:
        verifier.template(pair)
    assert "More than one face" in raised.value.message.en
    assert raised.value.message.ar


def test_a_frame_without_a_face_says_so(landmarker: FaceLandmarker, verifier: FaceVerifier) -> None:
    empty = np.random.default_rng(5).integers(60, 200, (480, 640, 3), dtype=np.uint8)
    report = assess_quality(empty, landmarker.detect(empty))
    assert report[QualityCheck.FACE_COUNT].value == 0
    with pytest.raises(FaceNotFoundError, match="No face"):
        verifier.template(empty)


def test_a_cut_off_photo_file_is_refused(verifier: FaceVerifier) -> None:
    data = (LFW_IMAGES / "Abel_Pacheco" / "Abel_Pacheco_0001.jpg").read_bytes()
    with pytest.raises(FaceImageError):
        verifier.template(decode_image(data[: len(data) // 3]))


def test_the_same_person_matches_and_another_does_not(verifier: FaceVerifier) -> None:
    same = verifier.verify(lfw("Akhmed_Zakayev", 1), lfw("Akhmed_Zakayev", 3))
    other = verifier.verify(lfw("Akhmed_Zakayev", 1), lfw("Anders_Fogh_Rasmussen", 1))
    assert same.is_match
    assert not other.is_match
    assert same.distance < same.threshold <= other.distance
    assert same.model == "dlib_face_recognition_resnet_model_v1"


def test_a_template_is_reproducible_and_survives_a_mirror_image(verifier: FaceVerifier) -> None:
    image = lfw("Abel_Pacheco", 4)
    first, again = verifier.template(image), verifier.template(image)
    assert np.array_equal(first.vector, again.vector)
    # Averaging with the mirrored chip makes the template nearly mirror-invariant; what is left
    # is FaceMesh placing its points a little differently on the mirrored face.
    mirrored = verifier.template(np.ascontiguousarray(image[:, ::-1]))
    assert float(np.linalg.norm(first.vector - mirrored.vector)) < 0.2


def test_video_mode_follows_a_moving_face() -> None:
    # The 250 px photo in the middle of a 640x480 frame, edges replicated.
    base = np.asarray(
        cv2.copyMakeBorder(lfw("Abel_Pacheco", 4), 115, 115, 195, 195, cv2.BORDER_REPLICATE),
        np.uint8,
    )
    centres = []
    with FaceLandmarker(LandmarkMode.VIDEO) as tracker:
        for step in range(6):
            frame = np.roll(base, 8 * step, axis=1)
            faces = tracker.detect(frame)
            assert len(faces) == 1
            centres.append(faces[0].center[0])
    assert np.allclose(np.diff(centres), 8, atol=2)
