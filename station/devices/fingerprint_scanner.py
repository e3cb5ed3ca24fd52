"""The fingerprint scanner adapter: a vendor's SBI-style device service on 127.0.0.1 over HTTP.

It knows nothing of the simulator: discover the device, verify its signed device info against
the configured device CA (and pin that certificate for the session), capture one finger and
return it only once signature, certificate, hash chain and transaction id all check out.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any, Protocol

import httpx
import structlog
from cryptography import x509

from station.bilingual import Bilingual
from station.clock import Clock
from station.devices.scanner_protocol import (
    SPEC_VERSION,
    DeviceCapture,
    FingerPosition,
    ScannerDevice,
    ScannerError,
    ScannerFailure,
    device_from,
    parse_capture_answer,
    parse_device_info,
)
from station.settings import SettingsError, StationSettings

log = structlog.get_logger(__name__)

# Beyond the capture's own timeout (the device waits that long for a finger), how long the
# station waits for the answer before calling the device hung.
_ANSWER_MARGIN_SECONDS = 5.0


class FingerprintScanner(Protocol):
    """What the enrollment core needs from a scanner; every call raises `ScannerError`."""

    async def discover(self) -> ScannerDevice: ...

    async def capture(
        self,
        finger: FingerPosition,
        *,
        previous_hash: str,
        requested_quality: int,
        timeout_ms: int,
    ) -> DeviceCapture: ...

    async def aclose(self) -> None: ...


def load_device_ca(path: Path) -> x509.Certificate:
    """The device CA certificate; raises `SettingsError` naming the setting when unusable."""
    try:
        return x509.load_pem_x509_certificate(path.read_bytes())
    except (OSError, ValueError) as error:
        raise SettingsError(
            Bilingual(
                f"Station settings: `devices.fingerprint_device_ca` names {path}, which cannot "
                f"be read as a PEM certificate ({error}). Point it at the device CA's file.",
                f"إعدادات المحطة: `devices.fingerprint_device_ca` يشير إلى {path} ولا يمكن "
                "قراءته كشهادة PEM. اجعله يشير إلى ملف شهادة جهة الأجهزة.",
            )
        ) from error


class SbiFingerprintScanner:
    """One device service. Close it with `aclose()`."""

    def __init__(
        self,
        base_url: str,
        device_ca: x509.Certificate,
        clock: Clock,
        *,
        connect_timeout: float = 2.0,
        read_timeout: float = 5.0,
        environment: str = "Staging",
        purpose: str = "Registration",
        answer_margin_seconds: float = _ANSWER_MARGIN_SECONDS,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._device_ca = device_ca
        self._clock = clock
        self._environment = environment
        self._purpose = purpose
        self._answer_margin = answer_margin_seconds
        self._device: ScannerDevice | None = None
        self._certificate: x509.Certificate | None = None
        self._http = httpx.AsyncClient(
            base_url=self.base_url, timeout=httpx.Timeout(read_timeout, connect=connect_timeout)
        )

    @classmethod
    def from_settings(cls, settings: StationSettings, clock: Clock) -> SbiFingerprintScanner:
        url = settings.devices.fingerprint_scanner_url
        if not url:
            raise SettingsError(
                Bilingual(
                    "Station settings: `devices.fingerprint_scanner_url` is not set. Set it to "
                    "the scanner service's address, e.g. http://127.0.0.1:4501.",
                    "إعدادات المحطة: `devices.fingerprint_scanner_url` غير مضبوط. اضبطه على "
                    "عنوان خدمة الماسح، مثل http://127.0.0.1:4501.",
                )
            )
        ca_path = settings.under_state_dir(settings.devices.fingerprint_device_ca)
        return cls(url, load_device_ca(ca_path), clock)

    @property
    def preview_url(self) -> str:
        """MJPEG live preview of the platen (for `cv2.VideoCapture` or a browser)."""
        return f"{self.base_url}/stream"

    async def aclose(self) -> None:
        await self._http.aclose()

    async def discover(self) -> ScannerDevice:
        """The first single-finger scanner, with its signed device info verified."""
        answer = await self._call("GET", "/device")
        devices = answer.get("devices") if isinstance(answer, dict) else None
        if not isinstance(devices, list):
            raise ScannerError(ScannerFailure.MALFORMED, "discover: no device list")
        for entry in devices:
            if (
                isinstance(entry, dict)
                and entry.get("type") == "Finger"
                and entry.get("deviceSubType") == "Single"
            ):
                listed = device_from(entry)
                break
        else:
            raise ScannerError(ScannerFailure.NO_DEVICE, f"{len(devices)} devices, none Finger")
        info, certificate = parse_device_info(
            await self._call("GET", "/info"), self._device_ca, self._clock()
        )
        if info.device_id != listed.device_id:
            raise ScannerError(ScannerFailure.UNTRUSTED_DEVICE, "device info of another device")
        self._device, self._certificate = listed, certificate
        log.info("scanner.discovered", device_id=listed.device_id, status=listed.status)
        return listed

    async def status(self) -> str:
        answer = await self._call("GET", "/status")
        if not isinstance(answer, dict) or not isinstance(answer.get("deviceStatus"), str):
            raise ScannerError(ScannerFailure.MALFORMED, "status")
        return str(answer["deviceStatus"])

    async def capture(
        self,
        finger: FingerPosition,
        *,
        previous_hash: str,
        requested_quality: int,
        timeout_ms: int,
    ) -> DeviceCapture:
        if self._device is None:
            await self.discover()
        assert self._device is not None
        transaction_id = str(uuid.uuid4())
        body = {
            "env": self._environment,
            "purpose": self._purpose,
            "specVersion": SPEC_VERSION,
            "timeout": timeout_ms,
            "captureTime": self._clock().isoformat(),
            "transactionId": transaction_id,
            "bio": [
                {
                    "type": "Finger",
                    "count": 1,
                    "bioSubType": [finger.wire_name],
                    "requestedScore": requested_quality,
                    "deviceId": self._device.device_id,
                    "deviceSubId": "1",
                    "previousHash": previous_hash,
                }
            ],
        }
        answer = await self._call(
            "POST", "/capture", body=body, read_timeout=timeout_ms / 1000 + self._answer_margin
        )
        capture = parse_capture_answer(
            answer,
            device_ca=self._device_ca,
            device_certificate=self._certificate,
            device_id=self._device.device_id,
            finger=finger,
            transaction_id=transaction_id,
            previous_hash=previous_hash,
            now=self._clock(),
        )
        log.info(
            "scanner.captured",
            finger=finger.wire_name,
            device_quality=capture.device_quality,
            presentation_attack=capture.presentation_attack,
            transaction_id=transaction_id,
        )
        return capture

    async def _call(
        self,
        method: str,
        path: str,
        *,
        body: dict[str, Any] | None = None,
        read_timeout: float | None = None,
    ) -> object:
        """One request, JSON back; transport failures as `ScannerError`s."""
        options: dict[str, Any] = {}
        if read_timeout is not None:
            options["timeout"] = httpx.Timeout(read_timeout, connect=self._http.timeout.connect)
        try:
            response = await self._http.request(method, path, json=body, **options)
        except httpx.ConnectError as error:
            raise self._failed(ScannerFailure.UNREACHABLE, path, error) from error
        except httpx.TimeoutException as error:
            raise self._failed(ScannerFailure.TIMEOUT, path, error) from error
        except (httpx.RemoteProtocolError, httpx.ReadError) as error:
            raise self._failed(ScannerFailure.DISCONNECTED, path, error) from error
        except httpx.TransportError as error:
            raise self._failed(ScannerFailure.UNREACHABLE, path, error) from error
        if response.status_code != 200:
            raise self._failed(
                ScannerFailure.DEVICE_ERROR, path, f"HTTP {response.status_code}: {response.text}"
            )
        try:
            return response.json()
        except ValueError as error:
            raise self._failed(ScannerFailure.MALFORMED, path, error) from error

    @staticmethod
    def _failed(failure: ScannerFailure, path: str, cause: object) -> ScannerError:
        log.warning("scanner.failed", path=path, failure=failure.value, cause=repr(cause)[:300])
        return ScannerError(failure, f"{path}: {cause!r:.300}")
