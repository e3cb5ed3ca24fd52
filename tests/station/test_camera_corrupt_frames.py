"""A camera that sends a damaged JPEG in the middle of its stream: the adapter skips it and
keeps the picture coming, never crashing. The camera here is a tiny hand-made MJPEG server,
because the simulated camera only ever sends good frames."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import cv2
import numpy as np
import pytest

from station.devices.camera import Camera, CameraOptions, CameraState

WAIT_S = 20.0


def _jpeg(shade: int) -> bytes:
    image = np.full((120, 160, 3), shade, np.uint8)
    cv2.circle(image, (80, 60), 30, (0, 0, 255), -1)
    return bytes(cv2.imencode(".jpg", image)[1])


GOOD = [_jpeg(shade) for shade in (60, 120, 180)]
NOT_A_JPEG = b"this is not a jpeg at all " * 8
TRUNCATED = GOOD[0][: len(GOOD[0]) // 3]  # the start of a JPEG, cut off: no end-of-image


class DamagedStream:
    """Serves multipart MJPEG: good frames, then the damaged parts, then good frames again until
    stopped. Every part is paced by the test (one per `release`) so nothing depends on speed."""

    def __init__(self) -> None:
        self.parts = [GOOD[0], GOOD[1], NOT_A_JPEG, TRUNCATED, GOOD[2]]
        self.sent = 0
        self.stopping = threading.Event()
        self._server = socket.socket()
        self._server.bind(("127.0.0.1", 0))
        self._server.listen(4)
        self._server.settimeout(0.2)
        self.url = f"http://127.0.0.1:{self._server.getsockname()[1]}/video.mjpg"
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def _serve(self) -> None:
        while not self.stopping.is_set():
            try:
                client, _ = self._server.accept()
            except TimeoutError:
                continue
            with client:
                client.recv(4096)
                client.sendall(
                    b"HTTP/1.0 200 OK\r\n"
                    b"Content-Type: multipart/x-mixed-replace; boundary=frame\r\n\r\n"
                )
                index = 0
                try:
                    while not self.stopping.is_set():
                        part = self.parts[index] if index < len(self.parts) else GOOD[index % 3]
                        client.sendall(
                            b"--frame\r\nContent-Type: image/jpeg\r\n"
                            + f"Content-Length: {len(part)}\r\n\r\n".encode()
                            + part
                            + b"\r\n"
                        )
                        index += 1
                        self.sent = index
                        self.stopping.wait(0.03)
                except OSError:
                    continue

    def __enter__(self) -> DamagedStream:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopping.set()
        self._thread.join(timeout=5)
        self._server.close()


@pytest.fixture
def damaged_stream() -> Iterator[DamagedStream]:
    with DamagedStream() as stream:
        yield stream


def test_a_corrupt_jpeg_frame_is_skipped_and_the_picture_goes_on(
    damaged_stream: DamagedStream,
) -> None:
    options = CameraOptions(read_timeout_s=1.0, failed_reads_before_reconnect=5)
    with Camera(damaged_stream.url, options) as camera:
        deadline = time.monotonic() + WAIT_S
        frame = None
        # Well past the damaged parts (the 3rd and 4th sent), frames still come.
        while damaged_stream.sent < 12 or frame is None or frame.number < 6:
            assert time.monotonic() < deadline, "frames stopped after the corrupt JPEG"
            frame = camera.wait_for_frame(frame.number if frame else 0, 1.0) or frame
        health = camera.health()
    assert health.state is CameraState.READY
    assert frame is not None
    assert frame.image.shape == (120, 160, 3)
    assert health.reconnects == 0  # one bad part is not a lost camera
