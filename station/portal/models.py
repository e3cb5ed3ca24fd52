"""What the portal answers, as typed values (parsed from JSON once, at the edge)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from station.bilingual import Bilingual


class Eligibility(StrEnum):
    ELIGIBLE = "eligible"
    ALREADY_REGISTERED = "already_registered"
    NOT_ELIGIBLE = "not_eligible"


@dataclass(frozen=True, slots=True)
class PortalHealth:
    status: str
    version: str
    database: str
    portal_time: datetime | None

    @property
    def ok(self) -> bool:
        return self.status == "ok" and self.database == "ok"


@dataclass(frozen=True, slots=True)
class OperatorGrant:
    """A successful portal sign-in: who the operator is and the bearer token for later calls."""

    operator_id: str
    display_name: str
    role: str
    token: str
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class IdentityQuery:
    id_number: str
    birth_date: str  # YYYY-MM-DD in `calendar`
    calendar: str  # "gregorian" | "hijri"


@dataclass(frozen=True, slots=True)
class IneligibilityReason:
    code: str  # "deceased" | "id_expired" | "under_age"
    message: Bilingual


@dataclass(frozen=True, slots=True)
class IdentityRecord:
    """The person the portal found for an ID number and date of birth."""

    id_number: str
    kind: str  # "citizen" | "resident"
    name_ar: str  # logical order, as stored
    name_en: str
    sex: str
    nationality: str  # ISO 3166-1 alpha-3
    birth_date: date
    birth_date_hijri: str
    id_expiry: date
    status: str  # "active" | "deceased"
    has_portal_account: bool
    eligibility: Eligibility
    reasons: tuple[IneligibilityReason, ...]


@dataclass(frozen=True, slots=True)
class FingerprintVerification:
    """The portal's 1:1 decision on one captured finger; the enrollment cites its id."""

    verification_id: str
    id_number: str
    finger_position: int  # ISO/IEC 19794-2
    score: float
    matched: bool
    threshold: float
    algorithm: str
    verified_at: datetime
