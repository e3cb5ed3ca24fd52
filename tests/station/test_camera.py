"""The camera adapter against the real simulated camera in its own process: frames arrive, the
camera vanishing mid-capture is reported in words, and it comes back by itself."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from station.devices.camera import (
    Camera,
    CameraOptions,
    CameraState,
    camera_status,
    parse_camera_source,
    shown_source,
)
from station.devices.status import DeviceState
from tests.support.simulated_camera import SimulatedCamera

WAIT_S = 20.0
# Short timeouts so a vanished camera shows within a second or two, not the booth's defaults.
QUICK = CameraOptions(
    open_timeout_s=2.0,
    read_timeout_s=1.0,
    frame_timeout_s=1.0,
    failed_reads_before_reconnect=3,
    reconnect_initial_s=0.1,
    reconnect_max_s=0.4,
)


def wait_until(condition: Callable[[], bool], what: str, within: float = WAIT_S) -> None:
    deadline = time.monotonic() + within
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {within:.0f} s waiting for {what}")
        time.sleep(0.02)


@pytest.fixture(scope="module")
def simulated_camera(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimulatedCamera]:
    # One process for the module; the test that kills it starts it again.
    camera = SimulatedCamera(
        tmp_path_factory.mktemp("camera"),
        *("--face-seed", "5", "--width", "320", "--height", "240", "--fps", "10"),
    )
    with camera:
        yield camera


def test_frames_arrive_from_the_simulated_camera(simulated_camera: SimulatedCamera) -> None:
    with Camera(simulated_camera.video_url, QUICK) as camera:
        first = camera.wait_for_frame(0, WAIT_S)
        assert first is not None, "no frame from the simulated camera"
        second = camera.wait_for_frame(first.number, WAIT_S)
        assert second is not None
        assert second.number > first.number
        assert second.timestamp_s >= first.timestamp_s
        assert second.image.shape == (240, 320, 3)
        health = camera.health()
    assert health.state is CameraState.READY
    assert health.frame_size == (320, 240)
    assert health.summary.en.startswith("Ready: 320x240")
    assert health.summary.ar.startswith("جاهزة")


def test_the_camera_vanishing_mid_capture_is_reported_and_it_comes_back(
    simulated_camera: SimulatedCamera,
) -> None:
    with Camera(simulated_camera.video_url, QUICK) as camera:
        before = camera.wait_for_frame(0, WAIT_S)
        assert before is not None

        simulated_camera.kill()
        wait_until(lambda: camera.health().state is CameraState.GONE, "the camera to be gone")
        gone = camera.health()
        assert "cannot be reached" in gone.summary.en
        assert "devices.camera_url" in gone.summary.en
        assert "لا يمكن الوصول إلى الكاميرا" in gone.summary.ar
        assert camera_status(simulated_camera.video_url, camera).state is DeviceState.ABSENT
        last = camera.latest()
        assert last is not None
        assert camera.wait_for_frame(last.number, 0.2) is None

        simulated_camera.start()  # same port, as a camera plugged back in
        again = camera.wait_for_frame(last.number, WAIT_S)
        assert again is not None, "no frame after the camera came back"
        health = camera.health()
    assert health.state is CameraState.READY
    assert health.reconnects >= 1


def test_no_frames_for_a_while_is_told_apart_from_gone() -> None:
    # A camera that was connected and now sends nothing (a stalled stream), before any reconnect
    # has failed: "no picture for N s", not "cannot be reached".
    now = [100.0]

    class StalledCapture:
        def __init__(self) -> None:
            self.reads = 0

        def isOpened(self) -> bool:  # noqa: N802 - OpenCV's name
            return True

        def read(self) -> tuple[bool, object]:
            import numpy as np

            self.reads += 1
            if self.reads == 1:
                return True, np.zeros((4, 4, 3), np.uint8)
            time.sleep(0.01)
            return False, None

        def release(self) -> None:
            return None

    options = CameraOptions(failed_reads_before_reconnect=10_000, frame_timeout_s=2.0)
    with Camera(0, options, clock=lambda: now[0], opener=lambda s, o: StalledCapture()) as camera:
        assert camera.wait_for_frame(0, WAIT_S) is not None
        now[0] += 5.0
        health = camera.health()
    assert health.state is CameraState.NO_FRAMES
    assert "No picture from the camera for 5 s" in health.summary.en
    assert "منذ 5 ث" in health.summary.ar


def test_the_status_of_an_unreachable_camera_says_what_to_do(tmp_path: Path) -> None:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    status = camera_status(f"http://127.0.0.1:{port}/video.mjpg", probe_options=QUICK)
    assert status.state is DeviceState.ABSENT
    assert "plugged in" in status.summary.en
    assert "موصولة" in status.summary.ar


def test_the_status_of_a_working_camera_is_ready(simulated_camera: SimulatedCamera) -> None:
    status = camera_status(simulated_camera.video_url, probe_options=QUICK)
    assert status.state is DeviceState.READY, status.summary


def test_an_unset_camera_is_not_configured() -> None:
    status = camera_status("")
    assert status.state is DeviceState.NOT_CONFIGURED
    assert "devices.camera_url" in status.summary.en


def test_sources_are_indexes_or_urls_and_passwords_are_never_shown() -> None:
    assert parse_camera_source("0") == 0
    assert parse_camera_source(" 2 ") == 2
    assert parse_camera_source("rtsp://cam/stream") == "rtsp://cam/stream"
    with pytest.raises(ValueError, match=r"devices\.camera_url"):
        parse_camera_source("  ")
    assert shown_source("rtsp://admin:secret@10.0.0.5:554/s") == "rtsp://admin:***@10.0.0.5:554/s"
    assert shown_source(1) == "device 1"
