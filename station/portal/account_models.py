"""What the portal answers in the account step and the submit, as typed values, and the
evidence the station submits (docs/portal-api.md, "Accounts and enrollment")."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from station.bilingual import Bilingual


@dataclass(frozen=True, slots=True)
class UsernameCheck:
    username: str
    available: bool
    problems: tuple[Bilingual, ...]


@dataclass(frozen=True, slots=True)
class AccountRequest:
    """The account the person chose: the portal checks it and sends the SMS code."""

    id_number: str
    username: str
    password: str
    mobile: str  # 05XXXXXXXX or +9665XXXXXXXX
    email: str | None = None


@dataclass(frozen=True, slots=True)
class CodeStatus:
    mobile_masked: str  # "05X XXX X123": what the customer display shows
    code_expires_at: datetime
    resend_available_at: datetime
    attempts_left: int
    codes_sent: int


@dataclass(frozen=True, slots=True)
class EnrollmentDraft:
    enrollment_id: str
    id_number: str
    username: str
    expires_at: datetime
    code: CodeStatus


@dataclass(frozen=True, slots=True)
class LivenessResult:
    name: str  # e.g. "turn_left", "blink", "screen_cues"
    passed: bool
    score: float | None = None


ExceptionReason = Literal["scarred", "amputated", "injured", "unreadable"]


@dataclass(frozen=True, slots=True)
class ExceptedFinger:
    """A finger enrolled without a verification, and the portal's ids of its failed tries."""

    finger_position: int  # ISO/IEC 19794-2: 1 right thumb ... 10 left little
    reason: ExceptionReason
    failed_verification_ids: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class FingerprintExceptionEvidence:
    """A supervisor's approval to enroll without a matched fingerprint; the portal accepts it
    from a supervisor other than the operator, on 3 failed verifications of a finger."""

    fingers: tuple[ExceptedFinger, ...]
    supervisor_id: str
    approved_at: datetime | None = None
    note: str | None = None  # the supervisor's own words


@dataclass(frozen=True, slots=True)
class EnrollmentEvidence:
    """Everything the submit carries. `portrait_jpeg` is the selected frame; the station
    purges it once the portal has acknowledged the submit."""

    passive_authentication_source: Literal["card", "manual_entry"]
    passive_authentication_result: Literal["passed", "failed", "not_performed"]
    fingerprint_verification_id: str | None  # None with a `fingerprint_exception`
    face_score: float
    face_threshold: float
    face_model: str
    face_reference: Literal["card_portrait", "reference_photo"]
    liveness_passed: bool
    liveness_checks: tuple[LivenessResult, ...]
    portrait_jpeg: bytes
    consent_text_version: str
    consent_accepted_at: datetime
    consent_language: Literal["ar", "en"]
    operator_id: str
    station_id: str
    document_signer: str | None = None
    passive_authentication_checked_at: datetime | None = None
    fingerprint_exception: FingerprintExceptionEvidence | None = None


@dataclass(frozen=True, slots=True)
class ActivatedAccount:
    account_id: str
    enrollment_id: str
    id_number: str
    username: str
    status: str  # "active"
    activated_at: datetime
    mobile_masked: str
    flags: tuple[str, ...] = ()  # "fingerprint_exception": the portal will review the account
