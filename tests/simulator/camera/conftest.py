"""A simulated camera serving on loopback for the camera tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from simulator.camera.choice import SubjectChoice
from simulator.camera.mjpeg_server import CameraConfig, CameraServer


@pytest.fixture(scope="module")
def camera() -> Iterator[CameraServer]:
    # 480x360 rather than the default, to show the size is the configured one.
    config = CameraConfig(width=480, height=360, fps=15.0, seed=3)
    with CameraServer(config, SubjectChoice(face_seed=5, sex="male", nationality="SAU")) as server:
        yield server
