"""Renders and JPEG-encodes frames at the camera's rate in one thread, while anyone watches;
every viewer gets the latest frame (a slow viewer skips frames, as with a real IP camera)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import cv2

from simulator.camera.presentation import Presentation

JPEG_QUALITY = 85


@dataclass(frozen=True)
class EncodedFrame:
    number: int
    jpeg: bytes
    captured_at: float  # clock seconds


class FrameProducer:
    """Owns the current presentation; renders only while at least one viewer is attached."""

    def __init__(
        self,
        presentation: Presentation,
        fps: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if fps <= 0:
            raise ValueError("the frame rate must be positive")
        self.fps = fps
        self.clock = clock
        self._presentation = presentation
        self._condition = threading.Condition()
        self._latest: EncodedFrame | None = None
        self._viewers = 0
        self._stopping = False
        self._number = 0
        self._thread = threading.Thread(target=self._run, name="camera-frames", daemon=True)
        self.render_seconds: list[float] = []  # the last 100 render+encode times

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        with self._condition:
            self._stopping = True
            self._condition.notify_all()
        self._thread.join(timeout=5.0)

    @property
    def presentation(self) -> Presentation:
        return self._presentation

    def show(self, presentation: Presentation) -> None:
        """Put something else in front of the camera from the next frame on."""
        with self._condition:
            self._presentation = presentation

    def attach(self) -> None:
        with self._condition:
            self._viewers += 1
            self._condition.notify_all()

    def detach(self) -> None:
        with self._condition:
            self._viewers = max(0, self._viewers - 1)

    @property
    def viewers(self) -> int:
        return self._viewers

    @property
    def stopping(self) -> bool:
        return self._stopping

    def next_frame(self, after: int, timeout: float) -> EncodedFrame | None:
        """The first frame numbered above `after`; None on timeout or when stopping."""
        with self._condition:
            self._condition.wait_for(
                lambda: (
                    self._stopping or (self._latest is not None and self._latest.number > after)
                ),
                timeout,
            )
            if self._stopping or self._latest is None or self._latest.number <= after:
                return None
            return self._latest

    def snapshot(self, timeout: float = 5.0) -> EncodedFrame | None:
        """One fresh frame, rendering one even if nobody watches the stream."""
        self.attach()
        try:
            latest = self._latest.number if self._latest is not None else 0
            return self.next_frame(latest, timeout)
        finally:
            self.detach()

    def _run(self) -> None:
        period = 1.0 / self.fps
        next_due = time.monotonic()
        while True:
            with self._condition:
                self._condition.wait_for(lambda: self._stopping or self._viewers > 0)
                if self._stopping:
                    return
                presentation = self._presentation
            started = time.monotonic()
            self._number += 1
            image = presentation.frame(self.clock(), self._number)
            ok, encoded = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY])
            if ok:
                frame = EncodedFrame(self._number, encoded.tobytes(), self.clock())
                with self._condition:
                    self._latest = frame
                    self._condition.notify_all()
            self.render_seconds = [*self.render_seconds[-99:], time.monotonic() - started]
            # Keep the cadence; when rendering overruns, drop the missed ticks.
            next_due = max(next_due + period, time.monotonic())
            with self._condition:
                self._condition.wait_for(lambda: self._stopping, next_due - time.monotonic())
