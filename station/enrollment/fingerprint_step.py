"""The fingerprint step's core: capture one finger on the scanner, trust the capture only once
the device's signature, certificate and hash chain check out, check its quality, extract the
ISO/IEC 19794-2 template and ask the portal for a 1:1 decision. Three tries per finger; then
the operator may record an exception, which stands only with a supervisor's sign-off.

Plain Python (no UI): `capture_and_verify` is what the enrollment machine calls for one try.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Protocol

import numpy as np
import structlog
from numpy.typing import NDArray

from matcher.fingerprint import RECOMMENDED_MIN_QUALITY, FingerprintCapture, process_capture
from station.bilingual import Bilingual
from station.clock import Clock, system_clock
from station.devices.fingerprint_scanner import FingerprintScanner
from station.devices.scanner_protocol import (
    GENESIS_HASH,
    DeviceCapture,
    FingerPosition,
    ScannerError,
    ScannerFailure,
)
from station.portal.errors import PortalError, PortalProblemError
from station.portal.models import FingerprintVerification

log = structlog.get_logger(__name__)

TRIES_PER_FINGER = 3
# The portal refuses templates with fewer minutiae (docs/portal-api.md): recapture instead.
MIN_MINUTIAE = 12
DEFAULT_CAPTURE_TIMEOUT_MS = 10_000


class FingerprintPortal(Protocol):
    async def verify_fingerprint(
        self, token: str, id_number: str, finger_position: int, template: bytes
    ) -> FingerprintVerification: ...


class Decision(StrEnum):
    MATCH = "match"
    NO_MATCH = "no_match"
    POOR_QUALITY = "poor_quality"
    NO_REFERENCE = "no_reference"  # the record has no print of this finger
    PRESENTATION_ATTACK = "presentation_attack"  # the scanner flagged an artificial finger
    NO_FINGER = "no_finger"  # nothing on the scanner before the timeout
    DEVICE_PROBLEM = "device_problem"  # busy, not ready, unreachable, timed out, garbled
    CAPTURE_REFUSED = "capture_refused"  # signature, certificate or hash chain failed
    PORTAL_PROBLEM = "portal_problem"  # unreachable, rate-limited, refused


_UNCLEAR = Bilingual(
    "The print is not clear enough. Press the finger flat, hold still, and capture again.",
    "البصمة غير واضحة بما يكفي. اضغط الإصبع مسطحًا وثبّته ثم أعد الالتقاط.",
)

# Tries the person spent: a device or portal hiccup is not the person's fault.
_COUNTS_AS_TRY = frozenset(
    {Decision.NO_MATCH, Decision.POOR_QUALITY, Decision.PRESENTATION_ATTACK, Decision.NO_FINGER}
)


@dataclass(frozen=True, eq=False)
class FingerAttempt:
    """One try on one finger and what the operator should do next."""

    finger_position: int
    decision: str  # a `Decision` value
    message: Bilingual
    quality: float | None = None
    verification_id: str | None = None
    score: float | None = None
    template: bytearray | None = None  # ISO/IEC 19794-2 record; wiped when the step ends
    image: NDArray[np.uint8] | None = None
    counts_as_try: bool = False
    tries_left: int = TRIES_PER_FINGER
    exception_allowed: bool = False


class ExceptionReason(StrEnum):
    MISSING = "missing"  # amputated or absent finger: may be recorded without tries
    INJURED = "injured"  # bandaged or wounded: may be recorded without tries
    UNREADABLE = "unreadable"  # worn or scarred ridges: only after the tries are used up
    NO_REFERENCE = "no_reference"  # the record holds no print of the finger


@dataclass(frozen=True, slots=True)
class FingerprintException:
    finger_position: int
    reason: ExceptionReason
    operator_id: str
    note: str
    tries_used: int
    supervisor_id: str | None = None
    signed_off_at: datetime | None = None

    @property
    def signed_off(self) -> bool:
        return self.supervisor_id is not None


class ExceptionRefusedError(ValueError):
    """An exception was asked for when the rules do not allow it; `message` says why."""

    def __init__(self, message: Bilingual) -> None:
        super().__init__(message.en)
        self.message = message


@dataclass
class _FingerState:
    tries: int = 0
    no_reference: bool = False


@dataclass
class _StepState:
    fingers: dict[int, _FingerState] = field(default_factory=dict)
    last_hash: str = GENESIS_HASH
    verified: FingerAttempt | None = None
    exception: FingerprintException | None = None


class FingerprintStep:
    """One person's fingerprint step (one capture session: one hash chain)."""

    def __init__(
        self,
        scanner: FingerprintScanner,
        portal: FingerprintPortal,
        token: str,
        *,
        tries_per_finger: int = TRIES_PER_FINGER,
        min_quality: int = RECOMMENDED_MIN_QUALITY,
        capture_timeout_ms: int = DEFAULT_CAPTURE_TIMEOUT_MS,
        clock: Clock = system_clock,
    ) -> None:
        self._scanner = scanner
        self._portal = portal
        self._token = token
        self.tries_per_finger = tries_per_finger
        self.min_quality = min_quality
        self.capture_timeout_ms = capture_timeout_ms
        self._clock = clock
        self._state = _StepState()

    # --- what the operator sees ---------------------------------------------------------

    def tries_left(self, finger_position: int) -> int:
        return max(0, self.tries_per_finger - self._finger(finger_position).tries)

    def exception_allowed(self, finger_position: int, reason: ExceptionReason) -> bool:
        finger = self._finger(finger_position)
        if reason in (ExceptionReason.MISSING, ExceptionReason.INJURED):
            return True
        if reason is ExceptionReason.NO_REFERENCE:
            return finger.no_reference
        return self.tries_left(finger_position) == 0

    @property
    def verified(self) -> FingerAttempt | None:
        return self._state.verified

    @property
    def exception(self) -> FingerprintException | None:
        return self._state.exception

    @property
    def complete(self) -> bool:
        """A finger verified, or an exception signed off by a supervisor."""
        exception = self._state.exception
        return self._state.verified is not None or (exception is not None and exception.signed_off)

    # --- one try ------------------------------------------------------------------------

    async def capture_and_verify(self, id_number: str, finger_position: int) -> FingerAttempt:
        """One try. Never raises for what a person or a device can cause: the attempt's
        `decision` and `message` say what happened and what to do."""
        finger = FingerPosition(finger_position)
        try:
            capture = await self._scanner.capture(
                finger,
                previous_hash=self._state.last_hash,
                requested_quality=self.min_quality,
                timeout_ms=self.capture_timeout_ms,
            )
        except ScannerError as error:
            return self._scanner_failed(finger, error)
        # The capture is genuine and in order: it joins the session's chain whatever its fate.
        self._state.last_hash = capture.hash
        if capture.presentation_attack:
            return self._finish(
                finger,
                Decision.PRESENTATION_ATTACK,
                Bilingual(
                    "The scanner detected an artificial finger. Ask the person to place their "
                    "own finger; if it happens again, call a supervisor.",
                    "اكتشف الماسح إصبعًا اصطناعيًا. اطلب من الشخص وضع إصبعه الحقيقي؛ وإن تكرر "
                    "ذلك فاستدعِ المشرف.",
                ),
            )
        try:
            processed = await asyncio.to_thread(
                process_capture, capture.image, capture.resolution_dpi
            )
        except (ValueError, IndexError) as error:
            # The extractor gives up on some smeared prints; for the person it is a poor capture.
            log.warning("fingerprint.extraction_failed", error=repr(error))
            return self._finish(finger, Decision.POOR_QUALITY, _UNCLEAR, capture, 0)
        problem = self._quality_problem(processed)
        if problem is not None:
            return self._finish(
                finger, Decision.POOR_QUALITY, problem, capture, processed.quality.score
            )
        template = bytearray(processed.template(int(finger)))
        return await self._verify(id_number, finger, capture, processed, template)

    def _quality_problem(self, processed: FingerprintCapture) -> Bilingual | None:
        quality = processed.quality
        if quality.reasons:
            first = quality.reasons[0]
            return Bilingual(first.english, first.arabic)
        if quality.score < self.min_quality or len(processed.minutiae) < MIN_MINUTIAE:
            return Bilingual(
                f"The print is not clear enough (quality {quality.score}). Press the finger "
                "flat, hold still, and capture again.",
                f"البصمة غير واضحة بما يكفي (الجودة {quality.score}). اضغط الإصبع مسطحًا "
                "وثبّته ثم أعد الالتقاط.",
            )
        return None

    async def _verify(
        self,
        id_number: str,
        finger: FingerPosition,
        capture: DeviceCapture,
        processed: FingerprintCapture,
        template: bytearray,
    ) -> FingerAttempt:
        quality = processed.quality.score
        try:
            answer = await self._portal.verify_fingerprint(
                self._token, id_number, int(finger), bytes(template)
            )
        except PortalProblemError as error:
            if error.status == 409:
                self._finger(finger).no_reference = True
                return self._finish(finger, Decision.NO_REFERENCE, error.message, capture, quality)
            if error.status == 422:
                return self._finish(finger, Decision.POOR_QUALITY, error.message, capture, quality)
            return self._finish(finger, Decision.PORTAL_PROBLEM, error.message, capture, quality)
        except PortalError as error:
            return self._finish(finger, Decision.PORTAL_PROBLEM, error.message, capture, quality)
        if not answer.matched:
            return self._finish(
                finger,
                Decision.NO_MATCH,
                Bilingual(
                    f"The {finger.label.en} does not match the national record. Check it is "
                    "the right finger, then capture again.",
                    f"{finger.label.ar} لا تطابق السجل الوطني. تأكد أنه الإصبع الصحيح ثم أعد "
                    "الالتقاط.",
                ),
                capture,
                quality,
                answer,
                template,
            )
        attempt = self._finish(
            finger,
            Decision.MATCH,
            Bilingual(
                f"The {finger.label.en} matches the national record.",
                f"{finger.label.ar} تطابق السجل الوطني.",
            ),
            capture,
            quality,
            answer,
            template,
        )
        self._state.verified = attempt
        return attempt

    def _scanner_failed(self, finger: FingerPosition, error: ScannerError) -> FingerAttempt:
        if error.integrity:
            decision = Decision.CAPTURE_REFUSED
        elif error.failure is ScannerFailure.NO_FINGER:
            decision = Decision.NO_FINGER
        else:
            decision = Decision.DEVICE_PROBLEM
        log.warning(
            "fingerprint.capture_failed",
            finger=int(finger),
            failure=error.failure.value,
            detail=error.detail[:300],
        )
        return self._finish(finger, decision, error.message)

    def _finish(
        self,
        finger: FingerPosition,
        decision: Decision,
        message: Bilingual,
        capture: DeviceCapture | None = None,
        quality: float | None = None,
        answer: FingerprintVerification | None = None,
        template: bytearray | None = None,
    ) -> FingerAttempt:
        state = self._finger(finger)
        counts = decision in _COUNTS_AS_TRY
        if counts:
            state.tries += 1
        left = self.tries_left(finger)
        exception_allowed = (left == 0 and decision is not Decision.MATCH) or state.no_reference
        if counts and left == 0:
            message = message.join(
                Bilingual(
                    f"{self.tries_per_finger} tries used on this finger: try another finger, "
                    "or record an exception for a supervisor to sign off.",
                    f"استُنفدت {self.tries_per_finger} محاولات لهذا الإصبع: جرّب إصبعًا آخر أو "
                    "سجّل استثناءً يعتمده المشرف.",
                )
            )
        log.info(
            "fingerprint.try",
            finger=int(finger),
            decision=decision.value,
            quality=quality,
            tries_left=left,
            verification_id=answer.verification_id if answer else None,
        )
        return FingerAttempt(
            finger_position=int(finger),
            decision=decision.value,
            message=message,
            quality=quality,
            verification_id=answer.verification_id if answer else None,
            score=answer.score if answer else None,
            template=template,
            image=capture.image if capture is not None else None,
            counts_as_try=counts,
            tries_left=left,
            exception_allowed=exception_allowed,
        )

    # --- exceptions ---------------------------------------------------------------------

    def record_exception(
        self, finger_position: int, reason: ExceptionReason, operator_id: str, note: str = ""
    ) -> FingerprintException:
        """The operator's exception, pending until a supervisor signs it off."""
        finger = FingerPosition(finger_position)
        if self._state.verified is not None:
            raise ExceptionRefusedError(
                Bilingual(
                    "A finger is already verified: no exception is needed.",
                    "تم التحقق من إصبع بالفعل: لا حاجة إلى استثناء.",
                )
            )
        if not self.exception_allowed(finger, reason):
            raise ExceptionRefusedError(
                Bilingual(
                    f"An exception for the {finger.label.en} ({reason.value}) needs its "
                    f"{self.tries_per_finger} tries used first ({self.tries_left(finger)} left).",
                    f"الاستثناء لـ{finger.label.ar} يتطلب استنفاد {self.tries_per_finger} "
                    f"محاولات أولًا (متبقٍ {self.tries_left(finger)}).",
                )
            )
        if not operator_id.strip():
            raise ExceptionRefusedError(
                Bilingual("The operator's id is needed.", "رقم الموظف مطلوب.")
            )
        exception = FingerprintException(
            int(finger), reason, operator_id.strip(), note.strip(), self._finger(finger).tries
        )
        self._state.exception = exception
        log.info("fingerprint.exception_recorded", finger=int(finger), reason=reason.value)
        return exception

    def sign_off_exception(self, supervisor_id: str, supervisor_role: str) -> FingerprintException:
        """A supervisor (not the operator who recorded it) accepts the pending exception."""
        pending = self._state.exception
        if pending is None:
            raise ExceptionRefusedError(
                Bilingual(
                    "No exception is waiting for sign-off.", "لا يوجد استثناء بانتظار الاعتماد."
                )
            )
        if supervisor_role != "supervisor":
            raise ExceptionRefusedError(
                Bilingual(
                    "Only a supervisor may sign off a fingerprint exception.",
                    "لا يعتمد استثناء البصمة إلا المشرف.",
                )
            )
        if supervisor_id.strip() == pending.operator_id:
            raise ExceptionRefusedError(
                Bilingual(
                    "The supervisor must be someone other than the operator who recorded it.",
                    "يجب أن يكون المشرف شخصًا غير الموظف الذي سجّل الاستثناء.",
                )
            )
        signed = FingerprintException(
            pending.finger_position,
            pending.reason,
            pending.operator_id,
            pending.note,
            pending.tries_used,
            supervisor_id.strip(),
            self._clock(),
        )
        self._state.exception = signed
        log.info("fingerprint.exception_signed_off", finger=pending.finger_position)
        return signed

    def _finger(self, finger_position: int) -> _FingerState:
        return self._state.fingers.setdefault(int(finger_position), _FingerState())
