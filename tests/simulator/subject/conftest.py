"""Shared by the subject tests: one FaceMesh (still mode) and a few identities, built once."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from matcher.face import FaceLandmarker, LandmarkMode
from simulator.subject.identity import FaceIdentity, make_identity


@pytest.fixture(scope="session")
def landmarker() -> Iterator[FaceLandmarker]:
    with FaceLandmarker(LandmarkMode.STILL, max_faces=2) as found:
        yield found


@pytest.fixture(scope="session")
def saudi_man() -> FaceIdentity:
    return make_identity(20240917, "male", 41.0, "SAU")


@pytest.fixture(scope="session")
def bareheaded_woman() -> FaceIdentity:
    # The first seed from 1000 whose woman wears no hijab (her hair and ears are drawn too) and
    # no glasses (rims crossing the brows as she looks up throw FaceMesh's pitch off).
    for seed in range(1000, 1100):
        identity = make_identity(seed, "female", 29.0, "PHL")
        if identity.headwear.value == "none" and identity.glasses is None:
            return identity
    raise AssertionError("no bare-headed woman among 100 seeds")
