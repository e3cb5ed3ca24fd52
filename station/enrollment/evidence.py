"""What an enrollment proves to the portal (`EnrollmentEvidence`), and the biometric buffers it
held in memory on the way (`CapturedBiometrics`), which are overwritten when it ends.

Biometrics live only in memory: nothing here is ever written to disk, and the audit trail
refuses them (see `station.enrollment.audit`).
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

import numpy as np
import numpy.typing as npt


@dataclass(frozen=True, slots=True)
class ConsentRecord:
    text_version: str  # which consent text was shown (`station.customer_display.consent`)
    given_at: datetime
    operator_id: str


@dataclass(frozen=True, slots=True)
class FingerprintEvidence:
    finger_position: int
    verification_id: str
    decision: str


ExceptionCategory = Literal["scarred", "amputated", "injured", "unreadable"]
# Words a supervisor types for each category, English and Arabic (lower case, as stems).
_CATEGORY_WORDS: tuple[tuple[ExceptionCategory, tuple[str, ...]], ...] = (
    ("amputated", ("amputat", "missing", "absent", "no finger", "مبتور", "بتر", "مفقود")),
    ("scarred", ("scar", "worn", "burn", "ندب", "ندوب", "تآكل", "حرق")),
    ("injured", ("injur", "wound", "bandag", "cut", "إصاب", "جرح", "ضماد")),
)


def exception_category(reason: str) -> ExceptionCategory:
    """The portal's category for the supervisor's words; a finger that is there but gives no
    verifiable print is `unreadable`."""
    words = reason.casefold()
    for category, stems in _CATEGORY_WORDS:
        if any(stem in words for stem in stems):
            return category
    return "unreadable"


@dataclass(frozen=True, slots=True)
class FingerprintException:
    """A supervisor's decision to enroll without a verified finger (scarred, missing).

    `reason` is the supervisor's own words; `failed_verification_ids` are the portal's ids of
    the tries that reached it and did not match (a poor capture counts as a try but never
    reached the portal), which the portal checks before it accepts the exception."""

    finger_position: int
    supervisor_id: str
    reason: str
    failed_tries: int
    failed_verification_ids: tuple[str, ...] = ()
    approved_at: datetime | None = None

    @property
    def category(self) -> ExceptionCategory:
        return exception_category(self.reason)


@dataclass(frozen=True, slots=True)
class FaceEvidence:
    live: bool
    liveness_reasons: tuple[str, ...]
    score: float | None
    threshold: float
    model: str
    decision: str
    reference: str  # "card_portrait" | "portal_reference"
    sessions: int


@dataclass(frozen=True, slots=True)
class EnrollmentEvidence:
    """One submission's evidence. `portrait_jpeg` is the selected best frame: the one
    biometric the portal receives; it is the core's buffer and is wiped after submission."""

    enrollment_id: str
    id_number: str
    identity_source: str  # "card" | "manual"
    passive_auth_valid: bool | None  # None after a manual entry: there was no card
    passive_auth_reason: str | None
    consent: ConsentRecord
    fingerprint: FingerprintEvidence | None
    fingerprint_exception: FingerprintException | None
    face: FaceEvidence
    portrait_jpeg: bytearray = field(repr=False)
    account_challenge_id: str
    operator_id: str
    station_id: str

    def as_json(self) -> dict[str, Any]:
        """The submission body's `evidence` object, as the portal reads it."""
        return {
            "enrollment_id": self.enrollment_id,
            "id_number": self.id_number,
            "identity_source": self.identity_source,
            "passive_authentication": {
                "valid": self.passive_auth_valid,
                "reason": self.passive_auth_reason,
            },
            "consent": {
                "text_version": self.consent.text_version,
                "given_at": self.consent.given_at.isoformat(),
                "operator_id": self.consent.operator_id,
            },
            "fingerprint": None
            if self.fingerprint is None
            else {
                "finger_position": self.fingerprint.finger_position,
                "verification_id": self.fingerprint.verification_id,
                "decision": self.fingerprint.decision,
            },
            "fingerprint_exception": None
            if self.fingerprint_exception is None
            else {
                "finger_position": self.fingerprint_exception.finger_position,
                "supervisor_id": self.fingerprint_exception.supervisor_id,
                "reason": self.fingerprint_exception.reason,
                "category": self.fingerprint_exception.category,
                "failed_tries": self.fingerprint_exception.failed_tries,
                "failed_verification_ids": list(self.fingerprint_exception.failed_verification_ids),
                "approved_at": None
                if self.fingerprint_exception.approved_at is None
                else self.fingerprint_exception.approved_at.isoformat(),
            },
            "face": {
                "live": self.face.live,
                "liveness_reasons": list(self.face.liveness_reasons),
                "score": self.face.score,
                "threshold": self.face.threshold,
                "model": self.face.model,
                "decision": self.face.decision,
                "reference": self.face.reference,
                "sessions": self.face.sessions,
            },
            "portrait_jpeg": base64.b64encode(bytes(self.portrait_jpeg)).decode("ascii"),
            "account_challenge_id": self.account_challenge_id,
            "operator_id": self.operator_id,
            "station_id": self.station_id,
        }


class CapturedBiometrics:
    """Every biometric buffer an enrollment touched, so that one call overwrites them all."""

    def __init__(self) -> None:
        self._buffers: list[bytearray] = []
        self._arrays: list[npt.NDArray[np.generic]] = []

    def __len__(self) -> int:
        return len(self._buffers) + len(self._arrays)

    def keep_bytes(self, data: bytes | bytearray) -> bytearray:
        """Track `data`; returns the buffer to use. A `bytearray` is tracked in place (and
        wiped in place); an immutable `bytes` cannot be overwritten, so a copy is tracked."""
        buffer = data if isinstance(data, bytearray) else bytearray(data)
        if not any(buffer is kept for kept in self._buffers):
            self._buffers.append(buffer)
        return buffer

    def keep_array(self, array: npt.NDArray[np.generic]) -> npt.NDArray[np.generic]:
        if not any(array is kept for kept in self._arrays):
            self._arrays.append(array)
        return array

    def wipe(self) -> int:
        """Overwrite every tracked buffer with zeros and forget them; returns how many."""
        count = len(self)
        for buffer in self._buffers:
            buffer[:] = bytes(len(buffer))  # same length: overwrites the memory in place
        for array in self._arrays:
            if array.flags.writeable:
                array.fill(0)
        self._buffers.clear()
        self._arrays.clear()
        return count
