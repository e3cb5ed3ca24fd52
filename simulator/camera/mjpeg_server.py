"""The simulated IP camera: MJPEG over HTTP on loopback (multipart/x-mixed-replace), so the
station opens it with `cv2.VideoCapture("http://127.0.0.1:PORT/video.mjpg")` as it would a
real camera; a snapshot URL, a status page, and admin endpoints to choose who stands in front
of it, change the exposure, or point the subject at the customer display's event stream.

Endpoints:
    GET  /video.mjpg        the stream (boundary "frame")
    GET  /snapshot.jpg      one frame
    GET  /status            JSON: what is shown, frame size and rate, viewers, render times
    PUT  /admin/subject     JSON SubjectRequest: a person by id_number or face_seed, scenario,
                            attack
    PUT  /admin/camera      JSON {"exposure": 1.5}
    PUT  /admin/display     JSON {"url": "http://.../events"} or {"url": null}
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, replace
from typing import Any

import anyio
import uvicorn
from fastapi import FastAPI
from fastapi.responses import JSONResponse, Response, StreamingResponse
from pydantic import BaseModel, Field

from simulator.camera.choice import ChoiceError, SubjectChoice
from simulator.camera.frame_producer import FrameProducer
from simulator.camera.presentation import Presentation
from simulator.subject.attacks import AttackKind
from simulator.subject.behaviour import Scenario
from simulator.subject.display_listener import DisplayListener
from simulator.subject.live_scene import CameraSettings
from simulator.subject.prompts import PromptQueue
from simulator.subject.scene import CameraView
from simulator.subject.sensor import SensorSettings

BOUNDARY = "frame"
_WAIT_S = 1.0  # how long a stream waits for a frame before checking whether to stop


@dataclass(frozen=True)
class CameraConfig:
    host: str = "127.0.0.1"
    port: int = 0  # 0: any free port (see CameraServer.port)
    width: int = 640
    height: int = 480
    fps: float = 15.0
    exposure: float = 1.0
    db_url: str | None = None  # the population, to choose people by ID number
    display_url: str | None = None  # the customer display's event stream
    seed: int = 0  # the sensor's noise and the booth's backdrop


class SubjectRequest(BaseModel):
    id_number: str | None = Field(default=None, pattern=r"^[12]\d{9}$")
    face_seed: int | None = Field(default=None, ge=0)
    sex: str = Field(default="male", pattern="^(male|female)$")
    age: float = Field(default=35.0, ge=1.0, le=110.0)
    nationality: str = Field(default="SAU", pattern="^[A-Z]{3}$")
    scenario: Scenario = Scenario.COOPERATIVE
    attack: AttackKind | None = None
    behaviour_seed: int | None = Field(default=None, ge=0)
    # A fixed delay before the person reacts to each prompt, never late and never missing
    # one (a rehearsal measuring machine time); None: a person's varied timing.
    reaction_s: float | None = Field(default=None, ge=0.0, le=5.0)


class CameraRequest(BaseModel):
    exposure: float = Field(gt=0.05, le=8.0)


class DisplayRequest(BaseModel):
    url: str | None


def _problem(status: int, en: str, ar: str) -> JSONResponse:
    return JSONResponse(
        {"type": "about:blank", "status": status, "title": en, "detail": en, "detail_ar": ar},
        status_code=status,
        media_type="application/problem+json",
    )


class CameraServer:
    """One simulated camera: `start()`, read `video_url`, `stop()`."""

    def __init__(
        self,
        config: CameraConfig,
        choice: SubjectChoice | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.config = config
        self.clock = clock
        self.prompts = PromptQueue()
        self.settings = CameraSettings(
            view=CameraView(config.width, config.height),
            sensor=SensorSettings(exposure=config.exposure, seed=config.seed),
            backdrop_seed=config.seed,
        )
        self.choice = choice or SubjectChoice()
        self.producer = FrameProducer(self._presentation(self.choice), config.fps, clock)
        self._listener: DisplayListener | None = None
        self._display_url: str | None = None
        self._socket: socket.socket | None = None
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self.app = self._make_app()

    def _presentation(self, choice: SubjectChoice) -> Presentation:
        return choice.presentation(self.config.db_url, self.settings, self.prompts, self.clock)

    # --- life cycle -------------------------------------------------------------------------

    def start(self, timeout: float = 10.0) -> None:
        # IPPROTO_TCP spelled out: asyncio turns TCP_NODELAY on only for sockets whose proto
        # says TCP, and without it every multi-write response (each MJPEG part) waits ~40 ms.
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self.config.host, self.config.port))
        sock.listen(16)
        self._socket = sock
        self.producer.start()
        config = uvicorn.Config(
            self.app,
            log_level="warning",
            lifespan="off",
            timeout_graceful_shutdown=2,
            access_log=False,
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [sock]}, name="camera-http", daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("the camera's HTTP server did not start")
            time.sleep(0.01)
        if self.config.display_url:
            self.watch_display(self.config.display_url)

    def stop(self) -> None:
        """Stop streaming (open streams end, so readers see the camera go away) and close."""
        self.watch_display(None)
        self.producer.stop()
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10.0)
        if self._socket is not None:
            self._socket.close()

    def __enter__(self) -> CameraServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._socket is None:
            raise RuntimeError("the camera is not started")
        return int(self._socket.getsockname()[1])

    @property
    def base_url(self) -> str:
        return f"http://{self.config.host}:{self.port}"

    @property
    def video_url(self) -> str:
        return f"{self.base_url}/video.mjpg"

    # --- what the admin endpoints do, callable from Python too ------------------------------

    def show(self, choice: SubjectChoice) -> None:
        """Put `choice` in front of the camera (raises ChoiceError with a bilingual message)."""
        presentation = self._presentation(choice)
        with self._lock:
            self.choice = choice
            self.producer.show(presentation)

    def set_exposure(self, exposure: float) -> None:
        with self._lock:
            self.settings = replace(
                self.settings, sensor=replace(self.settings.sensor, exposure=exposure)
            )
            self.producer.show(self._presentation(self.choice))

    def watch_display(self, url: str | None) -> None:
        """Let the subject watch the customer display at `url` (None: stop watching)."""
        with self._lock:
            if self._listener is not None:
                self._listener.stop()
                self._listener = None
            self._display_url = url
            if url:
                self._listener = DisplayListener(url, self.prompts, self.clock)
                self._listener.start()

    def status(self) -> dict[str, Any]:
        times = sorted(self.producer.render_seconds)
        return {
            "showing": self.producer.presentation.description,
            "width": self.config.width,
            "height": self.config.height,
            "fps": self.config.fps,
            "exposure": self.settings.sensor.exposure,
            "viewers": self.producer.viewers,
            "render_ms_median": round(1000 * times[len(times) // 2], 1) if times else None,
            "display_url": self._display_url,
            "display_connections": self._listener.connections if self._listener else 0,
        }

    # --- HTTP -----------------------------------------------------------------------------

    def _make_app(self) -> FastAPI:
        app = FastAPI(title="Hawiya simulated camera", docs_url=None, redoc_url=None)
        producer = self.producer

        @app.get("/video.mjpg")
        async def video() -> StreamingResponse:
            async def parts() -> AsyncIterator[bytes]:
                producer.attach()
                try:
                    last = 0
                    while not producer.stopping:
                        frame = await anyio.to_thread.run_sync(producer.next_frame, last, _WAIT_S)
                        if frame is None:
                            continue
                        last = frame.number
                        head = (
                            f"--{BOUNDARY}\r\nContent-Type: image/jpeg\r\n"
                            f"Content-Length: {len(frame.jpeg)}\r\n\r\n"
                        ).encode("ascii")
                        yield head + frame.jpeg + b"\r\n"
                finally:
                    producer.detach()

            return StreamingResponse(
                parts(),
                media_type=f"multipart/x-mixed-replace; boundary={BOUNDARY}",
                headers={"Cache-Control": "no-cache, no-store", "Pragma": "no-cache"},
            )

        @app.get("/snapshot.jpg")
        async def snapshot() -> Response:
            frame = await anyio.to_thread.run_sync(producer.snapshot)
            if frame is None:
                return _problem(
                    503,
                    "The camera is stopping; no picture. Try again once it runs.",
                    "الكاميرا تتوقف ولا توجد صورة. حاول مرة أخرى عندما تعمل.",
                )
            return Response(
                frame.jpeg, media_type="image/jpeg", headers={"Cache-Control": "no-cache"}
            )

        @app.get("/status")
        async def status() -> dict[str, Any]:
            return self.status()

        @app.put("/admin/subject")
        async def choose(request: SubjectRequest) -> Response:
            if request.id_number is not None and request.face_seed is not None:
                return _problem(
                    422,
                    "Choose a person by ID number or by face seed, not both.",
                    "اختر الشخص برقم الهوية أو ببذرة الوجه، وليس بالاثنين معًا.",
                )
            choice = SubjectChoice(**request.model_dump())
            try:
                await anyio.to_thread.run_sync(self.show, choice)
            except ChoiceError as error:
                return _problem(422, error.en, error.ar)
            return JSONResponse(self.status())

        @app.put("/admin/camera")
        async def camera(request: CameraRequest) -> dict[str, Any]:
            await anyio.to_thread.run_sync(self.set_exposure, request.exposure)
            return self.status()

        @app.put("/admin/display")
        async def display(request: DisplayRequest) -> dict[str, Any]:
            await anyio.to_thread.run_sync(self.watch_display, request.url)
            return self.status()

        return app
