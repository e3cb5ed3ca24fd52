"""The card portrait and the portal's reference photo: ICAO framing that passes the matcher's
portrait quality checks, the same face in both, another person's face different."""

from __future__ import annotations

import cv2
import numpy as np
import numpy.typing as npt
import pytest

from matcher.face import FaceEmbedder, FaceLandmarker, assess_quality
from simulator.subject.identity import FaceIdentity, make_identity
from simulator.subject.portrait import (
    PORTRAIT_SIZE,
    portrait_jpeg,
    portrait_with_landmarks,
    render_card_portrait,
    render_reference_photo,
)
from simulator.subject.subject_model import subject_model


@pytest.fixture(scope="module")
def embedder() -> FaceEmbedder:
    return FaceEmbedder()


def _template(
    landmarker: FaceLandmarker, embedder: FaceEmbedder, image: npt.NDArray[np.uint8]
) -> npt.NDArray[np.float32]:
    faces = landmarker.detect(image)
    assert len(faces) == 1
    return embedder.embed(image, faces[0]).vector


@pytest.mark.parametrize("who", ["saudi_man", "bareheaded_woman"])
def test_the_card_portrait_passes_the_portrait_quality_checks(
    landmarker: FaceLandmarker, who: str, request: pytest.FixtureRequest
) -> None:
    identity: FaceIdentity = request.getfixturevalue(who)
    portrait = render_card_portrait(identity)
    assert portrait.shape == (PORTRAIT_SIZE[1], PORTRAIT_SIZE[0], 3)
    report = assess_quality(portrait, landmarker.detect(portrait))
    assert report.passed, [(m.check.value, m.value) for m in report.failures]


def test_portrait_and_reference_photo_show_the_same_face(
    landmarker: FaceLandmarker, embedder: FaceEmbedder, saudi_man: FaceIdentity
) -> None:
    card = render_card_portrait(saudi_man)
    reference = render_reference_photo(saudi_man)
    assert not np.array_equal(card, reference)  # another sitting, not a copy
    same = np.linalg.norm(
        _template(landmarker, embedder, card) - _template(landmarker, embedder, reference)
    )
    stranger = make_identity(saudi_man.seed + 7, "male", saudi_man.age, "SAU")
    other = _template(landmarker, embedder, render_card_portrait(stranger))
    different = np.linalg.norm(_template(landmarker, embedder, card) - other)
    assert same < 0.2
    assert different > same + 0.1


def test_the_portrait_encodes_as_a_jpeg_of_its_size(saudi_man: FaceIdentity) -> None:
    decoded = cv2.imdecode(
        np.frombuffer(portrait_jpeg(render_card_portrait(saudi_man)), np.uint8), cv2.IMREAD_COLOR
    )
    assert decoded.shape == (600, 480, 3)


def test_portraits_are_deterministic(saudi_man: FaceIdentity) -> None:
    first = render_card_portrait(saudi_man)
    portrait_with_landmarks.cache_clear()
    subject_model.cache_clear()
    assert np.array_equal(first, render_card_portrait(saudi_man))
