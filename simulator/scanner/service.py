"""The simulated fingerprint scanner's device service: JSON over HTTP on loopback in the style of
MOSIP's SBI, so the station talks to it exactly as to a vendor's service.

Endpoints (docs/fingerprint-scanner.md has the fields):
    GET  /device          discover: the device, its status, spec versions, certification
    GET  /info            device info, signed (JWS ES256, device certificate in x5c)
    GET  /status          {"deviceId", "deviceStatus"}: Ready, Busy or Not Ready
    POST /capture         one finger: image, quality, timestamps, transaction id and the
                          capture hash chain, all inside a JWS signed by the device key
    GET  /stream          MJPEG live preview of the platen
    PUT  /admin/subject   who is at the scanner and what they do (scenario)
    PUT  /admin/faults    what goes wrong with the device (fault, how often, delays)
    GET  /admin/state     the simulator's state, for tests and the booth
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import socket
import threading
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

import anyio
import cv2
import numpy as np
import uvicorn
from cryptography.hazmat.primitives.asymmetric import ec
from fastapi import FastAPI
from fastapi.responses import JSONResponse, Response, StreamingResponse
from numpy.typing import NDArray
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import create_engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from fixtures.records import Person
from matcher.fingerprint import process_capture
from simulator.fingerprint import MasterCache
from simulator.scanner.chain import GENESIS_HASH, chain_hash
from simulator.scanner.device_identity import DeviceIdentity, foreign_identity, stranger_key
from simulator.scanner.fingers import FINGER_NAMES, FINGER_POSITIONS
from simulator.scanner.placement import Placement, empty_platen, place_finger
from simulator.scanner.scenarios import Fault, Scenario

SPEC_VERSION = "0.9.5"
SERVICE_VERSION = "hawiya-scanner-sim 1.0"
CERTIFICATION = "L1"  # SBI level 1: keys in the device's secure storage, not a hardware vault
RESOLUTION_DPI = 500
BOUNDARY = "frame"
# Keeps the scanner's impression seeds apart from the portal's reference impressions.
_CAPTURE_STREAM = 0x5CA_77E4


class DeviceStatusName(StrEnum):
    READY = "Ready"
    BUSY = "Busy"
    NOT_READY = "Not Ready"


class ErrorCode(StrEnum):
    SUCCESS = "0"
    BUSY = "101"
    NOT_READY = "102"
    NO_FINGER = "103"
    UNSUPPORTED = "104"


@dataclass(frozen=True)
class ScannerConfig:
    host: str = "127.0.0.1"
    port: int = 0  # 0: any free port (ScannerServer.port says which)
    db_url: str | None = None  # the population, to put people at the scanner by ID number
    seed: int = 0  # impression draws: the same seed and requests give the same images
    preview_fps: float = 5.0


class SubjectRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id_number: str | None = Field(default=None, pattern=r"^[12]\d{9}$")
    scenario: Scenario = Scenario.RIGHT_FINGER


class FaultRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    fault: Fault | None = None
    times: int | None = Field(default=None, ge=1, description="captures affected; null: all")
    delay_ms: int = Field(default=0, ge=0, le=60_000, description="finger placement time")
    hang_seconds: float = Field(default=120.0, gt=0, le=600, description="for the timeout fault")


class CaptureBio(BaseModel):
    type: str = "Finger"
    count: int = 1
    bioSubType: list[str]  # noqa: N815 - the SBI's field names
    requestedScore: int = Field(default=40, ge=0, le=100)  # noqa: N815
    deviceId: str  # noqa: N815
    deviceSubId: str = "1"  # noqa: N815
    previousHash: str = GENESIS_HASH  # noqa: N815


class CaptureRequest(BaseModel):
    env: str = "Staging"
    purpose: str = "Registration"
    specVersion: str = SPEC_VERSION  # noqa: N815
    timeout: int = Field(default=10_000, ge=100, le=120_000, description="milliseconds")
    captureTime: str | None = None  # noqa: N815
    transactionId: str = Field(min_length=1, max_length=64)  # noqa: N815
    bio: list[CaptureBio] = Field(min_length=1, max_length=1)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _error(code: ErrorCode, info: str) -> JSONResponse:
    return JSONResponse({"biometrics": [], "error": {"errorCode": code.value, "errorInfo": info}})


def _problem(status: int, en: str, ar: str) -> JSONResponse:
    return JSONResponse(
        {"type": "about:blank", "status": status, "title": en, "detail": en, "detail_ar": ar},
        status_code=status,
        media_type="application/problem+json",
    )


class PersonLookupError(LookupError):
    pass


def load_person(db_url: str | None, id_number: str) -> Person:
    if not db_url:
        raise PersonLookupError("the scanner has no population database (--population-db)")
    engine = create_engine(db_url)
    try:
        with Session(engine) as session:
            person = session.get(Person, id_number)
            if person is None:
                raise PersonLookupError(f"no person with ID number {id_number} in the population")
            session.expunge(person)
            return person
    except SQLAlchemyError as error:
        raise PersonLookupError(f"the population database cannot be read: {error}") from error
    finally:
        engine.dispose()


class ScannerService:
    """The device and the person at it. Thread-safe: HTTP handlers and renders share it."""

    def __init__(self, config: ScannerConfig, identity: DeviceIdentity) -> None:
        self.config = config
        self.identity = identity
        self.masters = MasterCache(maxsize=16)
        self._lock = threading.Lock()
        self.person: Person | None = None
        self.scenario = Scenario.RIGHT_FINGER
        self.faults = FaultRequest()
        self._faults_left: int | None = None
        self._capturing = False
        self._captures = 0
        self._subject_captures = 0
        self._last_answer: bytes | None = None
        self._preview = empty_platen(config.seed)
        self._preview_number = 0
        self.app = self._make_app()

    # --- state -----------------------------------------------------------------------------

    def set_subject(self, request: SubjectRequest) -> None:
        person = load_person(self.config.db_url, request.id_number) if request.id_number else None
        with self._lock:
            self.person = person
            self.scenario = request.scenario
            # Each new subject starts its own impression sequence, so what a test or a demo
            # sees does not depend on the captures that came before it.
            self._subject_captures = 0

    def set_faults(self, request: FaultRequest) -> None:
        with self._lock:
            self.faults = request
            self._faults_left = request.times

    def _active_fault(self, consume: bool) -> Fault | None:
        with self._lock:
            fault = self.faults.fault
            if fault is None:
                return None
            if consume and self._faults_left is not None:
                self._faults_left -= 1
                if self._faults_left <= 0:
                    self.faults = FaultRequest(delay_ms=self.faults.delay_ms)
                    self._faults_left = None
            return fault

    def device_status(self) -> DeviceStatusName:
        fault = self._active_fault(consume=False)
        if fault is Fault.NOT_READY:
            return DeviceStatusName.NOT_READY
        if fault is Fault.BUSY or self._capturing:
            return DeviceStatusName.BUSY
        return DeviceStatusName.READY

    def state(self) -> dict[str, Any]:
        with self._lock:
            return {
                "device_id": self.identity.device_id,
                "id_number": self.person.id_number if self.person else None,
                "scenario": self.scenario.value,
                "faults": self.faults.model_dump(mode="json"),
                "faults_left": self._faults_left,
                "captures": self._captures,
                "preview_frames": self._preview_number,
            }

    def _signing(self, fault: Fault | None) -> tuple[DeviceIdentity, ec.EllipticCurvePrivateKey]:
        if fault is Fault.FOREIGN_CERTIFICATE:
            foreign = foreign_identity(self.identity.device_id)
            return foreign, foreign.key
        if fault is Fault.BAD_SIGNATURE:
            return self.identity, stranger_key()
        return self.identity, self.identity.key

    # --- device info -----------------------------------------------------------------------

    def discover(self) -> dict[str, Any]:
        return {
            "devices": [
                {
                    "deviceId": self.identity.device_id,
                    "deviceStatus": self.device_status().value,
                    "certification": CERTIFICATION,
                    "serviceVersion": SERVICE_VERSION,
                    "specVersion": [SPEC_VERSION],
                    "purpose": "Registration",
                    "type": "Finger",
                    "deviceSubType": "Single",
                    "deviceSubId": ["1"],
                    "deviceCode": self.identity.device_id,
                    "callbackId": "",
                }
            ]
        }

    def info(self) -> dict[str, Any]:
        fault = self._active_fault(consume=False)
        identity, key = self._signing(
            fault if fault in (Fault.FOREIGN_CERTIFICATE, Fault.BAD_SIGNATURE) else None
        )
        payload = {
            **self.discover()["devices"][0],
            "make": "Hawiya",
            "model": "SIM-FP1",
            "serialNo": self.identity.device_id,
            "firmware": "sim-1.0",
            "resolutionDpi": RESOLUTION_DPI,
            "imageFormat": "png",
            "timestamp": _now(),
        }
        return {
            "deviceInfo": [
                {
                    "deviceInfo": identity.sign(payload, key=key),
                    "error": {"errorCode": "0", "errorInfo": "Success"},
                }
            ]
        }

    # --- capture ---------------------------------------------------------------------------

    def _impression(self, position: int) -> tuple[Placement, int]:
        with self._lock:
            person, scenario = self.person, self.scenario
            self._captures += 1
            self._subject_captures += 1
            number = self._subject_captures
        finger_seed = person.fingerprint_seed if person is not None else 0
        seed = int(
            np.random.SeedSequence(
                [self.config.seed, _CAPTURE_STREAM, finger_seed, position, number]
            ).generate_state(1)[0]
        )
        placement = place_finger(self.masters, person, scenario, position, seed)
        if placement.image is None:
            return placement, 0
        try:
            quality = process_capture(placement.image, RESOLUTION_DPI).quality.score
        except (ValueError, IndexError):
            # The extractor fails on some smeared prints (no bifurcation at all): a sensor
            # would call such an image unusable, so it scores 0 rather than failing the capture.
            quality = 0
        self._show(placement.image)
        return placement, quality

    def _show(self, image: NDArray[np.uint8]) -> None:
        with self._lock:
            self._preview = image
            self._preview_number += 1

    def preview_jpeg(self) -> bytes:
        with self._lock:
            frame = self._preview
        ok, encoded = cv2.imencode(".jpg", frame, [cv2.IMWRITE_JPEG_QUALITY, 80])
        assert ok
        return encoded.tobytes()

    async def capture(self, request: CaptureRequest) -> Response:
        fault = self._active_fault(consume=True)
        if fault is Fault.BUSY:
            return _error(ErrorCode.BUSY, "Device busy: another capture is in progress")
        if fault is Fault.NOT_READY:
            return _error(ErrorCode.NOT_READY, "Device not ready: the sensor is not connected")
        if fault is Fault.TIMEOUT:
            await asyncio.sleep(self.faults.hang_seconds)
            return _error(ErrorCode.NO_FINGER, "Capture timed out")
        if fault is Fault.DISCONNECT:
            return _broken_answer()
        if fault is Fault.MALFORMED:
            return Response(b'{"biometrics": [{"data": "eyJhbGciOi', media_type="application/json")
        if fault is Fault.REPLAY and self._last_answer is not None:
            return Response(self._last_answer, media_type="application/json")
        bio = request.bio[0]
        position = FINGER_POSITIONS.get(bio.bioSubType[0]) if len(bio.bioSubType) == 1 else None
        if bio.deviceId != self.identity.device_id or position is None or bio.count != 1:
            return _error(
                ErrorCode.UNSUPPORTED,
                f"Unsupported request: this is device {self.identity.device_id}, a single-finger "
                f"scanner; ask for one of {', '.join(FINGER_NAMES.values())}",
            )
        with self._lock:
            if self._capturing:
                busy = True
            else:
                busy, self._capturing = False, True
        if busy:
            return _error(ErrorCode.BUSY, "Device busy: another capture is in progress")
        try:
            return await self._take(request, bio, position, fault)
        finally:
            with self._lock:
                self._capturing = False

    async def _take(
        self, request: CaptureRequest, bio: CaptureBio, position: int, fault: Fault | None
    ) -> Response:
        started = _now()
        if self.faults.delay_ms:
            await asyncio.sleep(self.faults.delay_ms / 1000)
        placement, quality = await anyio.to_thread.run_sync(self._impression, position)
        if placement.image is None:
            # A real sensor waits for a finger until the request's timeout runs out.
            await asyncio.sleep(request.timeout / 1000)
            return _error(ErrorCode.NO_FINGER, "No finger was placed before the timeout")
        ok, png = cv2.imencode(".png", placement.image)
        assert ok
        image = png.tobytes()
        digest = chain_hash(bio.previousHash, image)
        payload = {
            "deviceId": self.identity.device_id,
            "deviceServiceVersion": SERVICE_VERSION,
            "bioType": "Finger",
            "bioSubType": bio.bioSubType[0],
            "purpose": request.purpose,
            "env": request.env,
            "bioValue": base64.b64encode(image).decode(),
            "bioFormat": "png",
            "resolutionDpi": RESOLUTION_DPI,
            "transactionId": request.transactionId,
            "timestamp": _now(),
            "captureStarted": started,
            "captureEnded": _now(),
            "requestedScore": bio.requestedScore,
            "qualityScore": quality,
            "presentationAttack": {
                "detected": placement.artificial,
                # The sensor's liveness score (0 skin .. 1 artificial); a replica reads high.
                "score": 0.96 if placement.artificial else 0.03,
            },
            "previousHash": bio.previousHash,
            "hash": digest,
        }
        identity, key = self._signing(fault)
        data = identity.sign(payload, key=key)
        if fault is Fault.TAMPERED:
            data = _tampered(data)
        answer = json.dumps(
            {
                "biometrics": [
                    {
                        "specVersion": SPEC_VERSION,
                        "data": data,
                        "hash": digest,
                        "error": {"errorCode": ErrorCode.SUCCESS.value, "errorInfo": "Success"},
                    }
                ]
            }
        ).encode()
        with self._lock:
            self._last_answer = answer
        return Response(answer, media_type="application/json")

    # --- HTTP ------------------------------------------------------------------------------

    def _make_app(self) -> FastAPI:
        app = FastAPI(title="Hawiya simulated fingerprint scanner", docs_url=None, redoc_url=None)

        @app.get("/device")
        async def discover() -> dict[str, Any]:
            return self.discover()

        @app.get("/info")
        async def info() -> dict[str, Any]:
            return await anyio.to_thread.run_sync(self.info)

        @app.get("/status")
        async def status() -> dict[str, str]:
            return {"deviceId": self.identity.device_id, "deviceStatus": self.device_status()}

        @app.post("/capture")
        async def capture(request: CaptureRequest) -> Response:
            return await self.capture(request)

        @app.get("/stream")
        async def stream() -> StreamingResponse:
            async def parts() -> AsyncIterator[bytes]:
                while True:
                    jpeg = self.preview_jpeg()
                    head = (
                        f"--{BOUNDARY}\r\nContent-Type: image/jpeg\r\n"
                        f"Content-Length: {len(jpeg)}\r\n\r\n"
                    ).encode("ascii")
                    yield head + jpeg + b"\r\n"
                    await asyncio.sleep(1 / self.config.preview_fps)

            return StreamingResponse(
                parts(),
                media_type=f"multipart/x-mixed-replace; boundary={BOUNDARY}",
                headers={"Cache-Control": "no-cache, no-store"},
            )

        @app.put("/admin/subject", response_model=None)
        async def subject(request: SubjectRequest) -> dict[str, Any] | JSONResponse:
            try:
                await anyio.to_thread.run_sync(self.set_subject, request)
            except PersonLookupError as error:
                return _problem(
                    404,
                    f"{error}. Choose a person of the population.",
                    "لا يوجد هذا الشخص في قاعدة السكان. اختر شخصًا موجودًا.",
                )
            return self.state()

        @app.put("/admin/faults")
        async def faults(request: FaultRequest) -> dict[str, Any]:
            self.set_faults(request)
            return self.state()

        @app.get("/admin/state")
        async def state() -> dict[str, Any]:
            return self.state()

        return app


def _broken_answer() -> StreamingResponse:
    """Headers and half a body, then the connection drops (a cable pulled, a crashed service)."""

    async def parts() -> AsyncIterator[bytes]:
        yield b'{"biometrics": [{"specVersion": "'
        raise ConnectionAbortedError("simulated disconnect")

    return StreamingResponse(parts(), media_type="application/json")


def _tampered(token: str) -> str:
    """The same JWS with the image's pixels changed and the signature left as it was."""
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    image = cv2.imdecode(np.frombuffer(base64.b64decode(claims["bioValue"]), np.uint8), 0)
    image[image.shape[0] // 3 : image.shape[0] // 2, :] = 255  # an erased band
    ok, png = cv2.imencode(".png", image)
    assert ok
    claims["bioValue"] = base64.b64encode(png.tobytes()).decode()
    body = json.dumps(claims, separators=(",", ":"), sort_keys=True).encode()
    forged = base64.urlsafe_b64encode(body).rstrip(b"=").decode()
    return f"{header}.{forged}.{signature}"


class ScannerServer:
    """The service under uvicorn on its own thread: `start()`, read `base_url`, `stop()`."""

    def __init__(self, service: ScannerService) -> None:
        self.service = service
        self._socket: socket.socket | None = None
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    def start(self, timeout: float = 10.0) -> None:
        config = self.service.config
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((config.host, config.port))
        sock.listen(16)
        self._socket = sock
        self._server = uvicorn.Server(
            uvicorn.Config(
                self.service.app,
                log_level="warning",
                lifespan="off",
                timeout_graceful_shutdown=1,
                access_log=False,
            )
        )
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [sock]}, name="scanner-http", daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("the scanner's HTTP server did not start")
            time.sleep(0.01)

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10.0)
        if self._socket is not None:
            self._socket.close()

    @property
    def port(self) -> int:
        if self._socket is None:
            raise RuntimeError("the scanner is not started")
        return int(self._socket.getsockname()[1])

    @property
    def base_url(self) -> str:
        return f"http://{self.service.config.host}:{self.port}"


def write_ready_file(path: Path, server: ScannerServer) -> None:
    """Atomically, so whoever polls for it never reads half a file."""
    partial = path.with_name(f".{path.name}.partial")
    partial.write_text(
        json.dumps({"port": server.port, "base_url": server.base_url, "pid": os.getpid()}) + "\n",
        encoding="utf-8",
    )
    partial.replace(path)
