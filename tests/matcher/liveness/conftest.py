"""Rendered liveness sessions, each run once per test module (rendering and FaceMesh cost
about 40 ms a frame): the simulated subject or attacker sees every prompt the session
publishes, as at the booth."""

from __future__ import annotations

from collections.abc import Iterator

import cv2
import pytest

from benchmarks.bench_pad import BONA_FIDE, SessionRun, SessionSpec, run_session
from matcher.face import FaceLandmarker, LandmarkMode
from matcher.liveness import Challenge, LivenessSettings
from simulator.subject.behaviour import Scenario

# Attack sessions end at the first missed challenge: shorter deadlines, no second try.
QUICK = LivenessSettings(challenge_deadline_s=3.0, retries=0, look_max_s=4.0)


@pytest.fixture(scope="session")
def video_landmarker() -> Iterator[FaceLandmarker]:
    cv2.setNumThreads(1)
    with FaceLandmarker(LandmarkMode.VIDEO, max_faces=2) as landmarker:
        yield landmarker


def spec(
    presentation: str,
    challenges: tuple[Challenge, ...],
    *,
    seed: int = 4,
    scenario: Scenario = Scenario.COOPERATIVE,
) -> SessionSpec:
    return SessionSpec(
        presentation=presentation,
        identity_seed=31337,
        sex="female",
        age=27.0,
        nationality="EGY",
        behaviour_seed=seed,
        scenario=scenario,
        challenges=challenges,
        exposure=1.0,
    )


def fresh_run(
    landmarker: FaceLandmarker,
    presentation: str,
    challenges: tuple[Challenge, ...],
    settings: LivenessSettings | None = None,
    *,
    seed: int = 4,
    keep_frames: bool = False,
) -> SessionRun:
    # One tracker for all the sessions of the tests (building a FaceMesh graph costs ~100 ms):
    # when the face in front of it changes, it falls back to detection by itself.
    return run_session(
        spec(presentation, challenges, seed=seed),
        landmarker,
        settings if settings is not None else (None if presentation == BONA_FIDE else QUICK),
        keep_frames=keep_frames,
    )
