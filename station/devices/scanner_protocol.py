"""The fingerprint device service's wire format (MOSIP SBI style) and the checks that make a
capture trustworthy: the device's JWS signature, its certificate chain to the configured
device CA, the capture hash chain and the transaction id. No HTTP here: bytes in, verified
values or a `ScannerError` out. The field names are in docs/fingerprint-scanner.md.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from enum import IntEnum, StrEnum
from typing import Any

import cv2
import jwt
import numpy as np
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric import ec
from numpy.typing import NDArray

from station.bilingual import Bilingual

SPEC_VERSION = "0.9.5"
# The "previous hash" of a session's first capture: SHA-256 of nothing, as in MOSIP SBI.
GENESIS_HASH = hashlib.sha256(b"").hexdigest()


class FingerPosition(IntEnum):
    """ISO/IEC 19794-2 finger positions; `.wire_name` is what the device service speaks."""

    RIGHT_THUMB = 1
    RIGHT_INDEX = 2
    RIGHT_MIDDLE = 3
    RIGHT_RING = 4
    RIGHT_LITTLE = 5
    LEFT_THUMB = 6
    LEFT_INDEX = 7
    LEFT_MIDDLE = 8
    LEFT_RING = 9
    LEFT_LITTLE = 10

    @property
    def wire_name(self) -> str:
        return self.name.lower()

    @property
    def label(self) -> Bilingual:
        return _FINGER_LABELS[self]


_FINGER_LABELS = {
    FingerPosition.RIGHT_THUMB: Bilingual("right thumb", "إبهام اليد اليمنى"),
    FingerPosition.RIGHT_INDEX: Bilingual("right index finger", "سبابة اليد اليمنى"),
    FingerPosition.RIGHT_MIDDLE: Bilingual("right middle finger", "وسطى اليد اليمنى"),
    FingerPosition.RIGHT_RING: Bilingual("right ring finger", "بنصر اليد اليمنى"),
    FingerPosition.RIGHT_LITTLE: Bilingual("right little finger", "خنصر اليد اليمنى"),
    FingerPosition.LEFT_THUMB: Bilingual("left thumb", "إبهام اليد اليسرى"),
    FingerPosition.LEFT_INDEX: Bilingual("left index finger", "سبابة اليد اليسرى"),
    FingerPosition.LEFT_MIDDLE: Bilingual("left middle finger", "وسطى اليد اليسرى"),
    FingerPosition.LEFT_RING: Bilingual("left ring finger", "بنصر اليد اليسرى"),
    FingerPosition.LEFT_LITTLE: Bilingual("left little finger", "خنصر اليد اليسرى"),
}


class ScannerFailure(StrEnum):
    UNREACHABLE = "unreachable"  # no device service at the configured URL
    TIMEOUT = "timeout"  # the service did not answer in time
    DISCONNECTED = "disconnected"  # the connection dropped mid-answer
    NO_DEVICE = "no_device"  # the service runs but offers no single-finger scanner
    BUSY = "busy"
    NOT_READY = "not_ready"
    NO_FINGER = "no_finger"
    MALFORMED = "malformed"  # not the API's JSON, or fields missing
    BAD_SIGNATURE = "bad_signature"  # the JWS does not verify with its certificate
    UNTRUSTED_DEVICE = "untrusted_device"  # the certificate does not chain to the device CA
    CHAIN_BROKEN = "chain_broken"  # replayed, reordered or injected capture
    DEVICE_ERROR = "device_error"  # any other error code from the device


_CALL_SUPPORT = Bilingual(
    "Do not use this scanner: call technical support.",
    "لا تستخدم هذا الماسح: اتصل بالدعم الفني.",
)

FAILURE_TEXT: dict[ScannerFailure, Bilingual] = {
    ScannerFailure.UNREACHABLE: Bilingual(
        "The fingerprint scanner service does not answer. Check that the scanner is plugged in "
        "and its service is running, then retry.",
        "خدمة ماسح البصمات لا تستجيب. تأكد من توصيل الماسح وتشغيل خدمته ثم أعد المحاولة.",
    ),
    ScannerFailure.TIMEOUT: Bilingual(
        "The fingerprint scanner did not answer in time. Retry; if it happens again, replug "
        "the scanner.",
        "لم يستجب ماسح البصمات في الوقت المحدد. أعد المحاولة؛ وإن تكرر ذلك فأعد توصيل الماسح.",
    ),
    ScannerFailure.DISCONNECTED: Bilingual(
        "The connection to the fingerprint scanner dropped during the capture. Check the "
        "cable, then capture again.",
        "انقطع الاتصال بماسح البصمات أثناء الالتقاط. تحقق من الكابل ثم أعد الالتقاط.",
    ),
    ScannerFailure.NO_DEVICE: Bilingual(
        "No single-finger scanner was found. Plug in the fingerprint scanner, then retry.",
        "لم يُعثر على ماسح بصمة إصبع واحد. وصّل ماسح البصمات ثم أعد المحاولة.",
    ),
    ScannerFailure.BUSY: Bilingual(
        "The fingerprint scanner is busy. Wait a moment, then capture again.",
        "ماسح البصمات مشغول. انتظر لحظة ثم أعد الالتقاط.",
    ),
    ScannerFailure.NOT_READY: Bilingual(
        "The fingerprint scanner is not ready (not connected or starting). Replug it, wait "
        "until its light is steady, then retry.",
        "ماسح البصمات غير جاهز (غير متصل أو قيد التشغيل). أعد توصيله وانتظر حتى يثبت ضوؤه "
        "ثم أعد المحاولة.",
    ),
    ScannerFailure.NO_FINGER: Bilingual(
        "No finger was placed on the scanner in time. Ask the person to place the finger "
        "flat on the glass, then capture again.",
        "لم يوضع إصبع على الماسح في الوقت المحدد. اطلب من الشخص وضع إصبعه مسطحًا على الزجاج "
        "ثم أعد الالتقاط.",
    ),
    ScannerFailure.MALFORMED: Bilingual(
        "The fingerprint scanner sent an answer this station does not understand. Capture "
        "again; if it happens again, call technical support.",
        "أرسل ماسح البصمات ردًا لا تفهمه هذه المحطة. أعد الالتقاط؛ وإن تكرر ذلك فاتصل بالدعم الفني.",
    ),
    ScannerFailure.BAD_SIGNATURE: Bilingual(
        "The capture's device signature is not valid: the image may have been altered.",
        "توقيع الجهاز على الالتقاط غير صالح: ربما عُدّلت الصورة.",
    ).join(_CALL_SUPPORT),
    ScannerFailure.UNTRUSTED_DEVICE: Bilingual(
        "The fingerprint scanner's certificate is not issued by the trusted device authority.",
        "شهادة ماسح البصمات غير صادرة عن جهة الأجهزة الموثوقة.",
    ).join(_CALL_SUPPORT),
    ScannerFailure.CHAIN_BROKEN: Bilingual(
        "This capture does not follow the previous one (replayed or injected image): it was "
        "refused.",
        "هذا الالتقاط لا يتبع الالتقاط السابق (صورة مُعادة أو مُدخلة): رُفض.",
    ).join(_CALL_SUPPORT),
    ScannerFailure.DEVICE_ERROR: Bilingual(
        "The fingerprint scanner reported an error. Capture again; if it persists, replug the "
        "scanner.",
        "أبلغ ماسح البصمات عن خطأ. أعد الالتقاط؛ وإن استمر فأعد توصيل الماسح.",
    ),
}


class ScannerError(Exception):
    """A scanner call failed; `message` tells the operator what to do, `detail` is for the log."""

    def __init__(self, failure: ScannerFailure, detail: str = "") -> None:
        super().__init__(f"{failure.value}: {detail}" if detail else failure.value)
        self.failure = failure
        self.detail = detail

    @property
    def message(self) -> Bilingual:
        return FAILURE_TEXT[self.failure]

    @property
    def integrity(self) -> bool:
        """True when the capture itself cannot be trusted (not a passing device hiccup)."""
        return self.failure in (
            ScannerFailure.BAD_SIGNATURE,
            ScannerFailure.UNTRUSTED_DEVICE,
            ScannerFailure.CHAIN_BROKEN,
        )


# SBI-style error codes the service answers with; anything else is a DEVICE_ERROR.
ERROR_CODES: dict[str, ScannerFailure] = {
    "101": ScannerFailure.BUSY,
    "102": ScannerFailure.NOT_READY,
    "103": ScannerFailure.NO_FINGER,
}


def chain_hash(previous_hash: str, image: bytes) -> str:
    """hex SHA-256 of (previous hash, hex) + (SHA-256 of the image bytes, hex)."""
    image_digest = hashlib.sha256(image).hexdigest()
    return hashlib.sha256((previous_hash + image_digest).encode("ascii")).hexdigest()


@dataclass(frozen=True, slots=True)
class ScannerDevice:
    """A device as discovered and as its signed device info describes it."""

    device_id: str
    status: str  # "Ready" | "Busy" | "Not Ready"
    certification: str
    spec_versions: tuple[str, ...]
    service_version: str


@dataclass(frozen=True, eq=False)
class DeviceCapture:
    """A capture whose signature, certificate, chain and transaction were all verified."""

    finger: FingerPosition
    image: NDArray[np.uint8]  # grey, ridges dark
    image_png: bytes
    resolution_dpi: int
    device_quality: int
    presentation_attack: bool
    presentation_attack_score: float
    transaction_id: str
    previous_hash: str
    hash: str
    capture_started: datetime
    capture_ended: datetime
    device_id: str


# --- JWS and certificates ------------------------------------------------------------------


def verify_device_jws(
    token: str, device_ca: x509.Certificate, now: datetime
) -> tuple[dict[str, Any], x509.Certificate]:
    """The payload of a device-signed compact JWS, and the device certificate from its x5c.

    Checks: ES256; the x5c chain (leaf first, intermediates optional) ends at a certificate
    issued by `device_ca`; every certificate valid at `now`; the leaf is not a CA; the
    signature verifies with the leaf's key.
    """
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError as error:
        raise ScannerError(ScannerFailure.MALFORMED, f"not a JWS: {error}") from error
    if header.get("alg") != "ES256":
        raise ScannerError(ScannerFailure.BAD_SIGNATURE, f"algorithm {header.get('alg')!r}")
    chain = _x5c_chain(header.get("x5c"))
    _check_chain(chain, device_ca, now)
    key = chain[0].public_key()
    if not isinstance(key, ec.EllipticCurvePublicKey):
        raise ScannerError(ScannerFailure.UNTRUSTED_DEVICE, "the device key is not EC")
    try:
        body = jwt.api_jws.PyJWS().decode(token, key=key, algorithms=["ES256"])
    except jwt.InvalidSignatureError as error:
        raise ScannerError(ScannerFailure.BAD_SIGNATURE, str(error)) from error
    except jwt.PyJWTError as error:
        raise ScannerError(ScannerFailure.MALFORMED, f"JWS: {error}") from error
    try:
        payload = json.loads(body)
    except ValueError as error:
        raise ScannerError(ScannerFailure.MALFORMED, "the JWS payload is not JSON") from error
    if not isinstance(payload, dict):
        raise ScannerError(ScannerFailure.MALFORMED, "the JWS payload is not a JSON object")
    return payload, chain[0]


def _x5c_chain(x5c: object) -> list[x509.Certificate]:
    if not isinstance(x5c, list) or not x5c or not all(isinstance(item, str) for item in x5c):
        raise ScannerError(ScannerFailure.UNTRUSTED_DEVICE, "no x5c certificate chain")
    try:
        return [
            x509.load_der_x509_certificate(base64.b64decode(item, validate=True)) for item in x5c
        ]
    except (binascii.Error, ValueError) as error:
        raise ScannerError(ScannerFailure.UNTRUSTED_DEVICE, f"x5c: {error}") from error


def _check_chain(chain: list[x509.Certificate], device_ca: x509.Certificate, now: datetime) -> None:
    for certificate in [*chain, device_ca]:
        if not certificate.not_valid_before_utc <= now <= certificate.not_valid_after_utc:
            raise ScannerError(
                ScannerFailure.UNTRUSTED_DEVICE,
                f"certificate {certificate.subject.rfc4514_string()} is not valid at {now}",
            )
    try:
        constraints = chain[0].extensions.get_extension_for_class(x509.BasicConstraints)
        if constraints.value.ca:
            raise ScannerError(ScannerFailure.UNTRUSTED_DEVICE, "the device certificate is a CA")
    except x509.ExtensionNotFound:
        pass
    for child, parent in zip(chain, [*chain[1:], device_ca], strict=True):
        try:
            child.verify_directly_issued_by(parent)
        except (ValueError, TypeError, InvalidSignature) as error:
            raise ScannerError(
                ScannerFailure.UNTRUSTED_DEVICE,
                f"{child.subject.rfc4514_string()} is not issued by "
                f"{parent.subject.rfc4514_string()}",
            ) from error


# --- captures ------------------------------------------------------------------------------


def parse_capture_answer(
    answer: object,
    *,
    device_ca: x509.Certificate,
    device_certificate: x509.Certificate | None,
    device_id: str,
    finger: FingerPosition,
    transaction_id: str,
    previous_hash: str,
    now: datetime,
) -> DeviceCapture:
    """Verify a capture answer (the JSON already parsed) and return the capture it carries.

    `device_certificate` is the certificate the device's signed info presented (pinned for the
    session); `previous_hash` is the hash of the last capture this station accepted in the
    session (GENESIS_HASH at its start).
    """
    if not isinstance(answer, dict) or not isinstance(answer.get("biometrics"), list):
        raise ScannerError(ScannerFailure.MALFORMED, "no biometrics list")
    biometrics = answer["biometrics"]
    if not biometrics:
        reported = answer.get("error")
        error: dict[str, Any] = reported if isinstance(reported, dict) else {}
        code = str(error.get("errorCode", ""))
        failure = ERROR_CODES.get(code, ScannerFailure.DEVICE_ERROR)
        raise ScannerError(failure, f"error {code}: {error.get('errorInfo', '')}")
    item = biometrics[0]
    if not isinstance(item, dict) or not isinstance(item.get("data"), str):
        raise ScannerError(ScannerFailure.MALFORMED, "no signed data")
    payload, certificate = verify_device_jws(item["data"], device_ca, now)
    if device_certificate is not None and certificate != device_certificate:
        raise ScannerError(
            ScannerFailure.UNTRUSTED_DEVICE, "signed by another device than the one discovered"
        )
    try:
        image_png = base64.b64decode(str(payload["bioValue"]), validate=True)
        claimed_previous = str(payload["previousHash"])
        claimed_hash = str(payload["hash"])
        attack = payload.get("presentationAttack") or {}
        capture = DeviceCapture(
            finger=finger,
            image=_decode_image(image_png),
            image_png=image_png,
            resolution_dpi=int(payload.get("resolutionDpi", 500)),
            device_quality=int(payload["qualityScore"]),
            presentation_attack=bool(attack.get("detected", False)),
            presentation_attack_score=float(attack.get("score", 0.0)),
            transaction_id=str(payload["transactionId"]),
            previous_hash=claimed_previous,
            hash=claimed_hash,
            capture_started=_timestamp(payload["captureStarted"]),
            capture_ended=_timestamp(payload["captureEnded"]),
            device_id=str(payload["deviceId"]),
        )
        captured_finger = str(payload["bioSubType"])
    except (KeyError, ValueError, TypeError, AttributeError, binascii.Error) as error:
        raise ScannerError(ScannerFailure.MALFORMED, f"capture payload: {error!r}") from error
    if capture.device_id != device_id:
        raise ScannerError(ScannerFailure.UNTRUSTED_DEVICE, f"device {capture.device_id!r}")
    # The chain first: a replayed answer also carries a stale transaction id, but the chain
    # says what happened (this image does not follow the last one accepted).
    if claimed_previous != previous_hash:
        raise ScannerError(
            ScannerFailure.CHAIN_BROKEN,
            f"previous hash {claimed_previous[:12]}… is not the session's {previous_hash[:12]}…",
        )
    if claimed_hash != chain_hash(previous_hash, image_png):
        raise ScannerError(ScannerFailure.CHAIN_BROKEN, "the hash does not cover this image")
    if capture.transaction_id != transaction_id:
        raise ScannerError(ScannerFailure.CHAIN_BROKEN, "answer to another transaction")
    if captured_finger != finger.wire_name:
        raise ScannerError(ScannerFailure.MALFORMED, f"captured {captured_finger}, not {finger}")
    return capture


def _decode_image(png: bytes) -> NDArray[np.uint8]:
    image = cv2.imdecode(np.frombuffer(png, np.uint8), cv2.IMREAD_GRAYSCALE)
    if image is None or image.ndim != 2 or min(image.shape) < 64:
        raise ValueError("the image is not a readable grey-scale picture of a finger")
    return np.asarray(image, dtype=np.uint8)


def _timestamp(text: object) -> datetime:
    moment = datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise ValueError(f"timestamp without a time zone: {text}")
    return moment


def parse_device_info(
    answer: object, device_ca: x509.Certificate, now: datetime
) -> tuple[ScannerDevice, x509.Certificate]:
    """The signed device info of the first device, verified, and its certificate."""
    try:
        token = answer["deviceInfo"][0]["deviceInfo"]  # type: ignore[index]
    except (KeyError, IndexError, TypeError) as error:
        raise ScannerError(ScannerFailure.MALFORMED, f"device info: {error!r}") from error
    if not isinstance(token, str):
        raise ScannerError(ScannerFailure.MALFORMED, "device info is not a JWS")
    payload, certificate = verify_device_jws(token, device_ca, now)
    return device_from(payload), certificate


def device_from(entry: dict[str, Any]) -> ScannerDevice:
    try:
        return ScannerDevice(
            device_id=str(entry["deviceId"]),
            status=str(entry["deviceStatus"]),
            certification=str(entry.get("certification", "")),
            spec_versions=tuple(str(v) for v in entry.get("specVersion") or ()),
            service_version=str(entry.get("serviceVersion", "")),
        )
    except (KeyError, TypeError) as error:
        raise ScannerError(ScannerFailure.MALFORMED, f"device entry: {error!r}") from error
