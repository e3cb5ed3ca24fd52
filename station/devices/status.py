"""What the home screen says about each device: ready, missing, or not configured.

`DeviceStatusSource.read()` may block (PC/SC talks to pcscd over a socket): call it from a
worker thread, never from the UI's event loop.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

import httpx

from station.bilingual import Bilingual
from station.settings import DeviceSettings


class DeviceState(StrEnum):
    READY = "ready"
    ABSENT = "absent"  # the service runs, the device is not there
    SERVICE_DOWN = "service_down"  # e.g. pcscd not running
    NOT_CONFIGURED = "not_configured"
    ERROR = "error"


@dataclass(frozen=True, slots=True)
class DeviceStatus:
    device: Bilingual  # its name, e.g. "Card reader"
    state: DeviceState
    summary: Bilingual  # what is the case and, unless ready, what to do


class DeviceStatusSource(Protocol):
    def read(self) -> Sequence[DeviceStatus]: ...


CARD_READER = Bilingual("Card reader", "قارئ البطاقات")
FINGERPRINT_SCANNER = Bilingual("Fingerprint scanner", "ماسح البصمات")
CAMERA = Bilingual("Camera", "الكاميرا")


def list_pcsc_readers() -> list[str]:
    """Reader names from pcscd via pyscard; raises pyscard's exceptions."""
    from smartcard.System import readers  # imported here: loading libpcsclite is not free

    return [str(reader) for reader in readers()]


def card_reader_status(
    list_readers: Callable[[], list[str]] = list_pcsc_readers, wanted_name: str = ""
) -> DeviceStatus:
    from smartcard.Exceptions import CardServiceNotFoundException, CardServiceStoppedException
    from smartcard.pcsc.PCSCExceptions import BaseSCardException, EstablishContextException

    try:
        names = list_readers()
    except (
        EstablishContextException,
        CardServiceNotFoundException,
        CardServiceStoppedException,
    ):
        return DeviceStatus(
            CARD_READER,
            DeviceState.SERVICE_DOWN,
            Bilingual(
                "Smart card service (pcscd) is not running: start it (systemctl start pcscd).",
                "خدمة البطاقات الذكية (pcscd) لا تعمل: شغّلها (systemctl start pcscd).",
            ),
        )
    except (BaseSCardException, OSError) as error:
        return DeviceStatus(
            CARD_READER,
            DeviceState.ERROR,
            Bilingual(
                f"Card reader error ({error}): replug the reader; if it stays, call support.",
                f"خطأ في قارئ البطاقات ({error}): أعد توصيل القارئ؛ وإن استمر فاتصل بالدعم.",
            ),
        )
    if wanted_name:
        names = [name for name in names if wanted_name in name]
    if not names:
        return DeviceStatus(
            CARD_READER,
            DeviceState.ABSENT,
            Bilingual(
                "No card reader found: plug in the reader (you can still type the ID number).",
                "لم يُعثر على قارئ بطاقات: وصّل القارئ (يمكنك كتابة رقم الهوية يدويًا).",
            ),
        )
    if len(names) == 1:
        return DeviceStatus(
            CARD_READER, DeviceState.READY, Bilingual(f"Ready: {names[0]}", f"جاهز: {names[0]}")
        )
    return DeviceStatus(
        CARD_READER,
        DeviceState.READY,
        Bilingual(
            f"{len(names)} readers; using {names[0]}",
            f"{len(names)} قارئات؛ المستخدم: {names[0]}",
        ),
    )


def _not_configured(device: Bilingual, setting: str) -> DeviceStatus:
    return DeviceStatus(
        device,
        DeviceState.NOT_CONFIGURED,
        Bilingual(
            f"Not configured (set devices.{setting}).",
            f"غير مُعدّ (اضبط devices.{setting}).",
        ),
    )


def scanner_status(
    service_url: str, get: Callable[[str], httpx.Response] | None = None
) -> DeviceStatus:
    """The fingerprint scanner's line: its device service's own status (SBI `GET /status`)."""
    if not service_url.strip():
        return _not_configured(FINGERPRINT_SCANNER, "fingerprint_scanner_url")
    url = service_url.rstrip("/") + "/status"
    try:
        response = (get or _get_with_timeout)(url)
        response.raise_for_status()
        state = str(response.json().get("deviceStatus", ""))
    except (httpx.HTTPError, ValueError, AttributeError):
        return DeviceStatus(
            FINGERPRINT_SCANNER,
            DeviceState.SERVICE_DOWN,
            Bilingual(
                f"The scanner's device service does not answer at {service_url}: start it, "
                "or check devices.fingerprint_scanner_url.",
                f"خدمة الماسح لا تستجيب على {service_url}: شغّلها أو راجع الإعداد.",
            ),
        )
    if state == "Ready":
        return DeviceStatus(FINGERPRINT_SCANNER, DeviceState.READY, Bilingual("Ready.", "جاهز."))
    if state == "Busy":
        return DeviceStatus(
            FINGERPRINT_SCANNER,
            DeviceState.READY,
            Bilingual("Busy with a capture.", "مشغول بالتقاط بصمة."),
        )
    return DeviceStatus(
        FINGERPRINT_SCANNER,
        DeviceState.ABSENT,
        Bilingual(
            f"The scanner says '{state or 'unknown'}': reconnect its cable.",
            f"الماسح غير جاهز ({state or 'غير معروف'}): أعد توصيل الكابل.",
        ),
    )


def _get_with_timeout(url: str) -> httpx.Response:
    return httpx.get(url, timeout=2.0)


class StationDeviceStatus:
    """The booth's devices as configured: PC/SC card reader, scanner service, camera."""

    def __init__(
        self,
        settings: DeviceSettings,
        list_readers: Callable[[], list[str]] = list_pcsc_readers,
    ) -> None:
        self._settings = settings
        self._list_readers = list_readers

    def read(self) -> Sequence[DeviceStatus]:
        from station.devices.camera import camera_status  # loads OpenCV: only when asked

        return (
            card_reader_status(self._list_readers, self._settings.card_reader_name),
            scanner_status(self._settings.fingerprint_scanner_url),
            camera_status(self._settings.camera_url),
        )
