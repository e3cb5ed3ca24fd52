"""The booth's face step as the wizard runs it: the camera opened while the face screen is shown
(and for each session), every processed frame reported to whoever watches (the wizard's live
preview draws the face box and the challenge from it), and each session one `FaceCapture` in a
worker thread, turned into the core's `FaceSession` by `station.enrollment.adapters`.

Plain Python (no Textual): the UI subscribes with `watch()`; the rehearsal and the core's tests
can use it without a screen.
"""

from __future__ import annotations

import asyncio
import random
import threading
from collections.abc import Callable

import cv2
import numpy as np
import numpy.typing as npt
import structlog

from matcher.face import FaceVerifier
from station.customer_display.model import DisplayPublisher
from station.devices.camera import Camera, CameraFrame
from station.enrollment.adapters import FaceSession, LivenessLedger, face_session, liveness_checks
from station.enrollment.face_capture import FaceCapture, FaceCaptureOutcome, FaceCaptureProgress
from station.enrollment.ports import BiometricBytes

log = structlog.get_logger(__name__)

ProgressListener = Callable[[FaceCaptureProgress], None]


class OnDemandCamera:
    """The booth camera, read only while someone needs it (the face screen, a session): an IP
    camera renders and sends frames for each open stream, and the other steps are better off
    with the CPU. `open()`/`close()` nest; frames are None while closed."""

    def __init__(self, camera_url: str, make_camera: Callable[[str], Camera] | None = None) -> None:
        self.camera_url = camera_url
        self._make_camera = make_camera or Camera.from_setting
        self._lock = threading.Lock()
        self._users = 0
        self._camera: Camera | None = None

    @property
    def running(self) -> Camera | None:
        """The camera while it is open (its health is the home screen's camera line)."""
        return self._camera

    def open(self) -> None:
        with self._lock:
            self._users += 1
            if self._camera is None:
                camera = self._make_camera(self.camera_url)
                camera.start()
                self._camera = camera

    def close(self) -> None:
        with self._lock:
            self._users = max(0, self._users - 1)
            camera = self._camera if self._users == 0 else None
            if camera is not None:
                self._camera = None
        if camera is not None:
            # Stopping joins the reader thread (up to its read timeout): never under the lock.
            camera.stop()

    def latest(self) -> CameraFrame | None:
        camera = self._camera
        return None if camera is None else camera.latest()

    def wait_for_frame(self, after: int, timeout_s: float) -> CameraFrame | None:
        camera = self._camera
        return None if camera is None else camera.wait_for_frame(after, timeout_s)


class LiveFaceStep:
    """`FaceStep` over an `OnDemandCamera`, watchable: `watch(listener)` gets each processed
    frame of a running session (from the worker thread) until the returned function is called."""

    def __init__(
        self,
        camera: OnDemandCamera,
        display: DisplayPublisher | None,
        liveness: LivenessLedger,
        *,
        rng: Callable[[], random.Random] = random.SystemRandom,
        frame_timeout_s: float = 10.0,
        make_verifier: Callable[[], FaceVerifier] = FaceVerifier,
    ) -> None:
        self.frames = camera
        self._display = display
        self._liveness = liveness
        self._rng = rng
        self._frame_timeout_s = frame_timeout_s
        self._make_verifier = make_verifier
        self._verifier: FaceVerifier | None = None
        self._verifier_lock = threading.Lock()
        self._listeners: list[ProgressListener] = []
        self._running: FaceCapture | None = None
        self.last_outcome: FaceCaptureOutcome | None = None

    # --- watching ---------------------------------------------------------------------------

    def watch(self, listener: ProgressListener) -> Callable[[], None]:
        """Open the camera and report progress to `listener`; call the result to stop both."""
        self._listeners.append(listener)
        self.frames.open()
        # Loading the face models takes a second or more: do it while the person sits down.
        threading.Thread(target=self._verifier_ready, name="face-models", daemon=True).start()

        def stop() -> None:
            if listener in self._listeners:
                self._listeners.remove(listener)
                threading.Thread(target=self.frames.close, daemon=True).start()

        return stop

    def _verifier_ready(self) -> FaceVerifier:
        # One verifier for every session: FaceCapture would otherwise load the models each time.
        with self._verifier_lock:
            if self._verifier is None:
                self._verifier = self._make_verifier()
            return self._verifier

    def _progress(self, progress: FaceCaptureProgress) -> None:
        for listener in list(self._listeners):
            listener(progress)

    def cancel(self) -> None:
        """End a running session early (the operator left the step)."""
        running = self._running
        if running is not None:
            running.cancel()

    # --- the port ---------------------------------------------------------------------------

    async def capture_and_match(self, reference_jpeg: BiometricBytes) -> FaceSession:
        reference = decode_jpeg(reference_jpeg)
        self.frames.open()
        try:
            outcome = await asyncio.to_thread(self._run_session, reference)
        finally:
            await asyncio.to_thread(self.frames.close)
            if reference is not None:
                reference.fill(0)
        self.last_outcome = outcome
        session = face_session(outcome)
        log.info(
            "face.session",
            decision=session.decision,
            live=session.live,
            score=session.score,
            threshold=session.threshold,
            frames=outcome.frames_processed,
        )
        if session.live and session.decision == "match":
            self._liveness.checks = liveness_checks(outcome)
        return session

    def _run_session(self, reference: npt.NDArray[np.uint8] | None) -> FaceCaptureOutcome:
        capture = FaceCapture(
            self.frames,
            self._display,
            rng=self._rng(),
            on_progress=self._progress,
            frame_timeout_s=self._frame_timeout_s,
            verifier=self._verifier_ready(),
        )
        self._running = capture
        try:
            return capture.run(reference)
        finally:
            self._running = None


def decode_jpeg(data: BiometricBytes) -> npt.NDArray[np.uint8] | None:
    image = cv2.imdecode(np.frombuffer(bytes(data), np.uint8), cv2.IMREAD_COLOR)
    return None if image is None else np.asarray(image, dtype=np.uint8)
