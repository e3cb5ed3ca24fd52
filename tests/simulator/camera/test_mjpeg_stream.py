"""The simulated camera as the station sees it: an MJPEG URL that cv2.VideoCapture opens like
an IP camera, frames of the configured size, and reads that fail (not hang) once it is gone."""

from __future__ import annotations

import time

import cv2
import httpx
import numpy as np

from simulator.camera.choice import SubjectChoice
from simulator.camera.mjpeg_server import CameraConfig, CameraServer

OPEN_TIMEOUT_MS = 5000
READ_TIMEOUT_MS = 3000


def _capture(url: str) -> cv2.VideoCapture:
    capture = cv2.VideoCapture(
        url,
        cv2.CAP_FFMPEG,
        [
            cv2.CAP_PROP_OPEN_TIMEOUT_MSEC,
            OPEN_TIMEOUT_MS,
            cv2.CAP_PROP_READ_TIMEOUT_MSEC,
            READ_TIMEOUT_MS,
        ],
    )
    assert capture.isOpened(), f"VideoCapture could not open {url}"
    return capture


def test_videocapture_opens_the_stream_and_reads_frames_of_the_configured_size(
    camera: CameraServer,
) -> None:
    capture = _capture(camera.video_url)
    try:
        frames = []
        for _ in range(8):
            ok, frame = capture.read()
            assert ok
            frames.append(frame)
    finally:
        capture.release()
    assert all(f.shape == (360, 480, 3) for f in frames)
    # A live subject: the picture changes from frame to frame (sway, sensor noise).
    assert np.abs(frames[0].astype(int) - frames[-1].astype(int)).mean() > 0.5


def test_a_snapshot_is_one_jpeg_frame(camera: CameraServer) -> None:
    response = httpx.get(f"{camera.base_url}/snapshot.jpg", timeout=10.0)
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/jpeg"
    image = cv2.imdecode(np.frombuffer(response.content, np.uint8), cv2.IMREAD_COLOR)
    assert image.shape == (360, 480, 3)


def test_the_stream_is_multipart_jpeg_with_a_boundary(camera: CameraServer) -> None:
    with httpx.stream("GET", camera.video_url, timeout=10.0) as response:
        assert response.headers["content-type"] == "multipart/x-mixed-replace; boundary=frame"
        received = b""
        for chunk in response.iter_bytes():
            received += chunk
            if received.count(b"--frame") >= 2:
                break
    head, _, body = received.partition(b"\r\n\r\n")
    assert head.startswith(b"--frame\r\nContent-Type: image/jpeg\r\nContent-Length: ")
    assert body[:2] == b"\xff\xd8"  # a JPEG starts here


def test_when_the_camera_goes_away_reads_fail_within_the_timeout() -> None:
    server = CameraServer(CameraConfig(width=320, height=240), SubjectChoice(face_seed=8))
    server.start()
    capture = _capture(server.video_url)
    try:
        ok, _ = capture.read()
        assert ok
        server.stop()
        started = time.monotonic()
        failed = False
        for _ in range(50):  # frames already buffered may still come; then the end
            ok, _ = capture.read()
            if not ok:
                failed = True
                break
        assert failed, "VideoCapture kept returning frames after the camera stopped"
        assert time.monotonic() - started < READ_TIMEOUT_MS / 1000 + 2.0
    finally:
        capture.release()
        server.stop()


def test_a_camera_that_is_not_there_does_not_open() -> None:
    started = time.monotonic()
    capture = cv2.VideoCapture(
        "http://127.0.0.1:9/video.mjpg",
        cv2.CAP_FFMPEG,
        [cv2.CAP_PROP_OPEN_TIMEOUT_MSEC, 2000, cv2.CAP_PROP_READ_TIMEOUT_MSEC, 2000],
    )
    assert not capture.isOpened()
    assert time.monotonic() - started < 6.0
