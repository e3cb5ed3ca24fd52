"""Request and answer bodies of the account enrollment endpoints (docs/portal-api.md,
"Accounts and enrollment")."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from portal_mock.sms_codes import CodeState

# A 480x600 JPEG portrait is 30-80 KB; 1 MB leaves room for a larger camera crop.
MAX_PORTRAIT_BYTES = 1_000_000


class StartEnrollmentRequest(BaseModel):
    """The account the person chose at the booth; the portal answers by sending the SMS code."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "id_number": "1099000011",
                    "username": "mohammed.q",
                    "password": "dates and cardamom at dawn",
                    "mobile": "0551234567",
                    "email": None,
                }
            ]
        },
    )

    id_number: str = Field(pattern=r"^[12][0-9]{9}$")
    # Loose bounds here; the account rules give the bilingual reasons (portal_mock.credentials).
    username: str = Field(max_length=64)
    password: str = Field(max_length=1024)
    mobile: str = Field(max_length=32, description="+9665XXXXXXXX or 05XXXXXXXX")
    email: str | None = Field(default=None, max_length=320)


class CodeStatus(BaseModel):
    mobile_masked: str = Field(description='e.g. "05X XXX X123"')
    code_expires_at: datetime
    resend_available_at: datetime
    attempts_left: int
    codes_sent: int

    @classmethod
    def of(cls, state: CodeState) -> CodeStatus:
        return cls(
            mobile_masked=state.mobile_masked,
            code_expires_at=state.code_expires_at,
            resend_available_at=state.resend_available_at,
            attempts_left=state.attempts_left,
            codes_sent=state.codes_sent,
        )


class EnrollmentStarted(BaseModel):
    enrollment_id: str
    id_number: str
    username: str
    expires_at: datetime
    code: CodeStatus


class VerifyCodeRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(pattern=r"^[0-9]{6}$", description="the 6 digits of the SMS")


class CodeVerified(BaseModel):
    enrollment_id: str
    verified_at: datetime


class UsernameAvailability(BaseModel):
    username: str
    available: bool
    problems: list[dict[str, str]] = Field(description="{message, message_ar} when unavailable")


class PassiveAuthenticationEvidence(BaseModel):
    model_config = ConfigDict(extra="forbid")

    source: Literal["card", "manual_entry"]
    result: Literal["passed", "failed", "not_performed"]
    document_signer: str | None = Field(default=None, max_length=512)
    checked_at: datetime | None = None


class FingerprintEvidence(BaseModel):
    model_config = ConfigDict(extra="forbid")

    verification_id: str = Field(max_length=64)


# Why a finger could not be verified. A supervisor's exception records which one applies.
ExceptionReason = Literal["scarred", "amputated", "injured", "unreadable"]
# Three tries on each of ten fingers; the portal's rate limit allows far fewer in practice.
_MAX_CITED_VERIFICATIONS = 30


class ExceptedFinger(BaseModel):
    """One finger enrolled without a verification, and the failed verifications that show the
    booth tried it."""

    model_config = ConfigDict(extra="forbid")

    finger_position: int = Field(ge=1, le=10, description="ISO/IEC 19794-2: 1 right thumb ... 10")
    reason: ExceptionReason
    failed_verification_ids: list[str] = Field(
        default_factory=list,
        max_length=_MAX_CITED_VERIFICATIONS,
        description="ids from POST /v1/fingerprint/verify that answered no_match",
    )


class FingerprintExceptionEvidence(BaseModel):
    """A supervisor's approval to enroll without a matched fingerprint (docs/portal-api.md)."""

    model_config = ConfigDict(extra="forbid")

    fingers: list[ExceptedFinger] = Field(min_length=1, max_length=10)
    supervisor_id: str = Field(min_length=1, max_length=64)
    approved_at: datetime | None = None
    note: str | None = Field(default=None, max_length=500)  # the supervisor's own words


class FaceEvidence(BaseModel):
    model_config = ConfigDict(extra="forbid")

    score: float
    threshold: float
    model: str = Field(min_length=1, max_length=128)
    reference: Literal["card_portrait", "reference_photo"]


class LivenessCheck(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=64)  # e.g. "turn_left", "blink", "screen_cues"
    passed: bool
    score: float | None = None


class LivenessEvidence(BaseModel):
    model_config = ConfigDict(extra="forbid")

    passed: bool
    checks: list[LivenessCheck] = Field(max_length=32)


class PortraitEvidence(BaseModel):
    model_config = ConfigDict(extra="forbid")

    jpeg_base64: str = Field(max_length=2 * MAX_PORTRAIT_BYTES)


class ConsentEvidence(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text_version: str = Field(max_length=64)
    accepted_at: datetime
    language: Literal["ar", "en"] = "ar"


class SubmitEnrollmentRequest(BaseModel):
    """The evidence of one enrollment. Every part is required; a missing part is answered with
    an `evidence-incomplete` problem naming it (not a generic validation error)."""

    model_config = ConfigDict(extra="forbid")

    passive_authentication: PassiveAuthenticationEvidence | None = None
    fingerprint: FingerprintEvidence | None = None
    # Instead of `fingerprint`, when no finger could be verified.
    fingerprint_exception: FingerprintExceptionEvidence | None = None
    face: FaceEvidence | None = None
    liveness: LivenessEvidence | None = None
    portrait: PortraitEvidence | None = None
    consent: ConsentEvidence | None = None
    operator_id: str | None = Field(default=None, max_length=64)
    station_id: str | None = Field(default=None, max_length=64)


class AccountActivated(BaseModel):
    account_id: str
    enrollment_id: str
    id_number: str
    username: str
    status: Literal["active"] = "active"
    activated_at: datetime
    mobile_masked: str
    # "fingerprint_exception": the account is active and queued for a later review.
    flags: list[str] = Field(default_factory=list)


class ReferencePhoto(BaseModel):
    id_number: str
    media_type: Literal["image/jpeg"] = "image/jpeg"
    jpeg_base64: str
