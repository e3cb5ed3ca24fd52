"""The booth camera: `cv2.VideoCapture` on a device index or a URL (an IP camera's MJPEG or
RTSP stream), read in its own thread, with reconnects, frame timeouts and a status the operator
can act on, in English and Arabic.

Whoever needs pictures asks for the latest frame (`latest`) or waits for the next one
(`wait_for_frame`); both are what a `FrameSource` offers, so the face step and its tests can be
fed from anything that has frames.
"""

from __future__ import annotations

import os
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol
from urllib.parse import urlsplit, urlunsplit

import cv2
import numpy as np
import numpy.typing as npt
import structlog

from station.bilingual import Bilingual
from station.devices.status import CAMERA, DeviceState, DeviceStatus

log = structlog.get_logger(__name__)

BgrImage = npt.NDArray[np.uint8]

# FFmpeg writes every damaged JPEG it meets to stderr, which the TUI owns: quiet it (AV_LOG_QUIET)
# unless someone asked for its logs. OpenCV reads this once, at the first FFmpeg capture.
os.environ.setdefault("OPENCV_FFMPEG_LOGLEVEL", "-8")


@dataclass(frozen=True, slots=True)
class CameraFrame:
    """One picture: BGR, the monotonic time it arrived, and its number since the camera started
    (numbers only grow, so "a frame newer than n" is well defined across reconnects)."""

    image: BgrImage
    timestamp_s: float
    number: int


class FrameSource(Protocol):
    """Anything that has camera frames: the real `Camera`, or pictures fed by a test."""

    def latest(self) -> CameraFrame | None:
        """The newest frame, or None before the first one."""
        ...

    def wait_for_frame(self, after: int, timeout_s: float) -> CameraFrame | None:
        """The newest frame numbered above `after`, waiting up to `timeout_s`; None if none came."""
        ...


class CameraState(StrEnum):
    CONNECTING = "connecting"  # started, no frame yet
    READY = "ready"  # frames arrive
    NO_FRAMES = "no_frames"  # connected once, but nothing for frame_timeout_s
    GONE = "gone"  # cannot be opened: unplugged, switched off, wrong address
    STOPPED = "stopped"


@dataclass(frozen=True)
class CameraOptions:
    open_timeout_s: float = 5.0
    read_timeout_s: float = 3.0
    # No new frame for this long and the picture counts as lost: twice a slow camera's interval
    # would be enough, but a reconnect (about 0.2 s on loopback) must not flap the status.
    frame_timeout_s: float = 2.0
    # A damaged JPEG fails one read and the stream goes on; several failures in a row mean the
    # stream itself is gone.
    failed_reads_before_reconnect: int = 5
    reconnect_initial_s: float = 0.2
    reconnect_max_s: float = 5.0


@dataclass(frozen=True)
class CameraHealth:
    state: CameraState
    summary: Bilingual  # what is the case and, unless ready, what to do
    frames: int
    frame_size: tuple[int, int] | None  # width, height of the last frame
    frames_per_second: float | None  # over the last few seconds
    last_frame_age_s: float | None
    reconnects: int


def parse_camera_source(text: str) -> int | str:
    """ "0" or "2" is a device index (a USB camera); anything else is a URL or a device path."""
    stripped = text.strip()
    if not stripped:
        raise ValueError("empty camera source: set devices.camera_url (an index or a URL)")
    return int(stripped) if stripped.isdigit() else stripped


def shown_source(source: int | str) -> str:
    """The source as an operator may see it: a URL's password is never shown."""
    if isinstance(source, int):
        return f"device {source}"
    parts = urlsplit(source)
    if parts.password is None:
        return source
    host = parts.hostname or ""
    netloc = f"{parts.username}:***@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


def open_capture(source: int | str, options: CameraOptions) -> Any:
    """A `cv2.VideoCapture` for `source`; FFmpeg with timeouts for URLs, so a dead camera
    cannot block a read forever."""
    if isinstance(source, int):
        return cv2.VideoCapture(source)
    return cv2.VideoCapture(
        source,
        cv2.CAP_FFMPEG,
        [
            cv2.CAP_PROP_OPEN_TIMEOUT_MSEC,
            int(options.open_timeout_s * 1000),
            cv2.CAP_PROP_READ_TIMEOUT_MSEC,
            int(options.read_timeout_s * 1000),
        ],
    )


class Camera:
    """Reads one camera in a daemon thread from `start()` to `stop()`; thread-safe."""

    def __init__(
        self,
        source: int | str,
        options: CameraOptions | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        opener: Callable[[int | str, CameraOptions], Any] = open_capture,
    ) -> None:
        self.source = source
        self.options = options or CameraOptions()
        self._clock = clock
        self._opener = opener
        self._condition = threading.Condition()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._latest: CameraFrame | None = None
        self._arrivals: deque[float] = deque(maxlen=30)
        self._frames = 0
        self._reconnects = 0
        self._connected_once = False
        self._open_failed = False
        self._started_at: float | None = None
        self._retry_in_s = self.options.reconnect_initial_s

    @classmethod
    def from_setting(cls, text: str, options: CameraOptions | None = None) -> Camera:
        return cls(parse_camera_source(text), options)

    # --- life cycle ------------------------------------------------------------------------

    def start(self) -> None:
        if self._thread is not None:
            return
        self._stopping.clear()
        self._started_at = self._clock()
        self._thread = threading.Thread(target=self._run, name="camera-reader", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop reading; waits for the reader, which may sit in a read up to its timeout."""
        self._stopping.set()
        with self._condition:
            self._condition.notify_all()
        if self._thread is not None:
            self._thread.join(self.options.open_timeout_s + self.options.read_timeout_s + 1.0)
            self._thread = None

    def __enter__(self) -> Camera:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- frames ----------------------------------------------------------------------------

    def latest(self) -> CameraFrame | None:
        with self._condition:
            return self._latest

    def wait_for_frame(self, after: int, timeout_s: float) -> CameraFrame | None:
        deadline = time.monotonic() + timeout_s
        with self._condition:
            while self._latest is None or self._latest.number <= after:
                remaining = deadline - time.monotonic()
                if remaining <= 0 or self._stopping.is_set():
                    return None
                self._condition.wait(remaining)
            return self._latest

    # --- status ----------------------------------------------------------------------------

    def health(self) -> CameraHealth:
        now = self._clock()
        with self._condition:
            latest = self._latest
            arrivals = list(self._arrivals)
            frames, reconnects = self._frames, self._reconnects
            connected_once, open_failed = self._connected_once, self._open_failed
            retry_in_s = self._retry_in_s
        age = now - latest.timestamp_s if latest is not None else None
        size = (latest.image.shape[1], latest.image.shape[0]) if latest is not None else None
        fps = None
        if len(arrivals) >= 2 and arrivals[-1] > arrivals[0]:
            fps = (len(arrivals) - 1) / (arrivals[-1] - arrivals[0])
        where = shown_source(self.source)
        if self._thread is None:
            state, summary = CameraState.STOPPED, _STOPPED
        elif age is not None and age <= self.options.frame_timeout_s:
            state = CameraState.READY
            rate = f" at {fps:.0f} fps" if fps else ""
            rate_ar = f" بمعدل {fps:.0f} إطارًا في الثانية" if fps else ""
            assert size is not None
            summary = Bilingual(
                f"Ready: {size[0]}x{size[1]}{rate} from {where}",
                f"جاهزة: {size[0]}x{size[1]}{rate_ar} من {where}",
            )
        elif open_failed:
            state = CameraState.GONE
            summary = Bilingual(
                f"The camera at {where} cannot be reached: check that it is plugged in, switched "
                f"on and at this address (devices.camera_url). Retrying every {retry_in_s:.0f} s.",
                f"لا يمكن الوصول إلى الكاميرا على {where}: تأكد أنها موصولة ومشغّلة وعلى هذا "
                f"العنوان (devices.camera_url). تُعاد المحاولة كل {retry_in_s:.0f} ث.",
            )
        elif connected_once or latest is not None:
            silent = age if age is not None else now - (self._started_at or now)
            state = CameraState.NO_FRAMES
            summary = Bilingual(
                f"No picture from the camera for {silent:.0f} s; reconnecting. Check its cable "
                "and power; if it stays dark, restart the camera.",
                f"لا صورة من الكاميرا منذ {silent:.0f} ث؛ تجري إعادة الاتصال. افحص الكابل "
                "والطاقة؛ وإن بقيت بلا صورة فأعد تشغيل الكاميرا.",
            )
        else:
            state = CameraState.CONNECTING
            summary = Bilingual(
                f"Connecting to the camera at {where}…", f"جارٍ الاتصال بالكاميرا على {where}…"
            )
        return CameraHealth(state, summary, frames, size, fps, age, reconnects)

    # --- the reader thread -----------------------------------------------------------------

    def _run(self) -> None:
        options = self.options
        while not self._stopping.is_set():
            capture = self._open()
            if capture is None:
                with self._condition:
                    self._open_failed = True
                    wait_s = self._retry_in_s
                    self._retry_in_s = min(2 * self._retry_in_s, options.reconnect_max_s)
                self._stopping.wait(wait_s)
                continue
            with self._condition:
                if self._connected_once:
                    self._reconnects += 1
                self._connected_once = True
                self._open_failed = False
                self._retry_in_s = options.reconnect_initial_s
            log.info("camera.connected", source=shown_source(self.source))
            try:
                self._read_until_dropped(capture)
            finally:
                capture.release()
            if not self._stopping.is_set():
                log.warning("camera.dropped", source=shown_source(self.source))
                self._stopping.wait(options.reconnect_initial_s)

    def _open(self) -> Any | None:
        try:
            capture = self._opener(self.source, self.options)
        except cv2.error as error:
            log.warning("camera.open_error", source=shown_source(self.source), error=str(error))
            return None
        if not capture.isOpened():
            capture.release()
            return None
        return capture

    def _read_until_dropped(self, capture: Any) -> None:
        failures = 0
        while not self._stopping.is_set():
            try:
                ok, image = capture.read()
            except cv2.error:  # a decoder error surfacing as an exception: one bad frame
                ok, image = False, None
            if ok and _usable(image):
                failures = 0
                self._publish(np.ascontiguousarray(image, dtype=np.uint8))
                continue
            failures += 1
            if failures >= self.options.failed_reads_before_reconnect:
                return

    def _publish(self, image: BgrImage) -> None:
        now = self._clock()
        with self._condition:
            self._frames += 1
            self._latest = CameraFrame(image, now, self._frames)
            self._arrivals.append(now)
            self._condition.notify_all()


def _usable(image: object) -> bool:
    return (
        isinstance(image, np.ndarray)
        and image.dtype == np.uint8
        and image.ndim == 3
        and image.shape[2] == 3
        and image.shape[0] > 0
        and image.shape[1] > 0
    )


_STOPPED = Bilingual("Camera not in use.", "الكاميرا غير مستخدمة.")

_DEVICE_STATES = {
    CameraState.READY: DeviceState.READY,
    CameraState.CONNECTING: DeviceState.ABSENT,
    CameraState.NO_FRAMES: DeviceState.ERROR,
    CameraState.GONE: DeviceState.ABSENT,
    CameraState.STOPPED: DeviceState.ABSENT,
}


def camera_status(
    camera_url: str,
    camera: Camera | None = None,
    *,
    probe_options: CameraOptions | None = None,
) -> DeviceStatus:
    """The camera's line on the home screen. With a running `camera`, its health; otherwise
    the camera is opened, one frame read, and closed (blocks up to the open and read timeouts:
    call it from a worker thread, as `DeviceStatusSource.read` is)."""
    if not camera_url.strip():
        return DeviceStatus(
            CAMERA,
            DeviceState.NOT_CONFIGURED,
            Bilingual(
                "Not configured (set devices.camera_url).", "غير مُعدّة (اضبط devices.camera_url)."
            ),
        )
    if camera is not None:
        health = camera.health()
        return DeviceStatus(CAMERA, _DEVICE_STATES[health.state], health.summary)
    try:
        source = parse_camera_source(camera_url)
    except ValueError as error:
        return DeviceStatus(CAMERA, DeviceState.ERROR, Bilingual(str(error), str(error)))
    options = probe_options or CameraOptions(open_timeout_s=3.0, read_timeout_s=2.0)
    probe = Camera(source, options)
    probe.start()
    try:
        # A frame, or the first failed open: whichever comes first settles it.
        deadline = time.monotonic() + options.open_timeout_s + options.read_timeout_s
        frame = None
        while frame is None and time.monotonic() < deadline:
            frame = probe.wait_for_frame(0, 0.05)
            if probe.health().state is CameraState.GONE:
                break
        health = probe.health()
    finally:
        probe.stop()
    if frame is None and health.state is CameraState.CONNECTING:
        where = shown_source(source)
        return DeviceStatus(
            CAMERA,
            DeviceState.ERROR,
            Bilingual(
                f"The camera at {where} answers but sends no picture: restart the camera.",
                f"الكاميرا على {where} تستجيب لكنها لا ترسل صورة: أعد تشغيل الكاميرا.",
            ),
        )
    return DeviceStatus(CAMERA, _DEVICE_STATES[health.state], health.summary)
