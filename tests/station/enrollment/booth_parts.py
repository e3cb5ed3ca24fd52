"""Small scripted stand-ins for the enrollment core's ports, for the core's unit tests only
(the rehearsal runs the real card reader, scanner, camera and portal).

Every biometric they hand over is a fresh, recognisable buffer, kept in `handed_out`, so a
test can check that the core overwrote each one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import numpy as np
import numpy.typing as npt

from station.bilingual import Bilingual
from station.customer_display.model import DisplayUpdate
from station.enrollment.evidence import EnrollmentEvidence
from station.portal.errors import (
    FieldProblem,
    PortalProblemError,
    PortalUnreachableError,
    UnreachableReason,
)
from station.portal.models import (
    Eligibility,
    IdentityQuery,
    IdentityRecord,
    IneligibilityReason,
    OperatorGrant,
    PortalHealth,
)
from tests.station.conftest import FakeClock

PORTRAIT_MARKER = b"CARD-PORTRAIT-JPEG-"
FRAME_MARKER = b"BEST-FRAME-JPEG-"
TEMPLATE_MARKER = b"ISO19794-TEMPLATE-"
REFERENCE_MARKER = b"PORTAL-REFERENCE-JPEG-"


def valid_id_number(first: str = "1", body: str = "23456789") -> str:
    """A 10-digit ID with the Luhn check digit that makes the whole sum 0 mod 10."""
    stem = first + body
    for check in "0123456789":
        digits = [int(d) for d in stem + check]
        total = 0
        for index, digit in enumerate(reversed(digits)):
            if index % 2 == 1:
                digit = digit * 2 - 9 if digit > 4 else digit * 2
            total += digit
        if total % 10 == 0:
            return stem + check
    raise AssertionError("unreachable")


ID_NUMBER = valid_id_number()
BIRTH_DATE = date(1990, 5, 17)


class BiometricLedger:
    """Every biometric buffer the stand-ins handed to the core."""

    def __init__(self) -> None:
        self.buffers: list[bytearray] = []
        self.arrays: list[npt.NDArray[np.uint8]] = []

    def new_bytes(self, marker: bytes) -> bytearray:
        buffer = bytearray(marker * 8)
        self.buffers.append(buffer)
        return buffer

    def new_array(self) -> npt.NDArray[np.uint8]:
        array = np.full((8, 8), 200, dtype=np.uint8)
        self.arrays.append(array)
        return array

    def all_wiped(self) -> bool:
        return all(not any(buffer) for buffer in self.buffers) and all(
            not array.any() for array in self.arrays
        )


@dataclass(frozen=True)
class Card:
    id_number: str
    name_en: str
    name_ar: str
    birth_date: date
    expiry_date: date
    portrait_jpeg: bytearray


def card(ledger: BiometricLedger, **changes: object) -> Card:
    values: dict[str, object] = {
        "id_number": ID_NUMBER,
        "name_en": "Mohammed Abdullah Al-Qahtani",
        "name_ar": "محمد عبدالله القحطاني",
        "birth_date": BIRTH_DATE,
        "expiry_date": date(2031, 1, 1),
        "portrait_jpeg": ledger.new_bytes(PORTRAIT_MARKER),
    }
    values.update(changes)
    return Card(**values)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Attempt:
    finger_position: int
    decision: str
    verification_id: str | None
    quality: float | None
    template: bytearray | None
    image: npt.NDArray[np.uint8] | None
    counts_as_try: bool


class ScriptedFingerprints:
    """Answers each try with the next decision of `decisions` ("match" when they run out)."""

    def __init__(
        self, ledger: BiometricLedger, clock: FakeClock, decisions: list[str] | None = None
    ) -> None:
        self.ledger = ledger
        self.clock = clock
        self.decisions = list(decisions or [])
        self.tries: list[int] = []
        self.during: Callable[[], None] | None = None  # runs inside the capture

    async def capture_and_verify(self, id_number: str, finger_position: int) -> Attempt:
        self.tries.append(finger_position)
        self.clock.advance(seconds=6)
        if self.during is not None:
            self.during()
        decision = self.decisions.pop(0) if self.decisions else "match"
        return Attempt(
            finger_position,
            decision,
            f"ver-{len(self.tries)}" if decision in ("match", "no_match") else None,
            0.8,
            self.ledger.new_bytes(TEMPLATE_MARKER),
            self.ledger.new_array(),
            counts_as_try=decision not in ("match", "device_problem", "portal_problem"),
        )


@dataclass(frozen=True)
class FaceResult:
    live: bool
    reasons: tuple[str, ...]
    score: float | None
    threshold: float
    model: str
    decision: str
    best_frame_jpeg: bytearray | None
    best_frame: npt.NDArray[np.uint8] | None


class ScriptedFaces:
    """Answers each session with the next (live, decision) of `sessions` (a match when they
    run out); remembers which reference each session was matched against."""

    def __init__(
        self,
        ledger: BiometricLedger,
        clock: FakeClock,
        sessions: list[tuple[bool, str]] | None = None,
    ) -> None:
        self.ledger = ledger
        self.clock = clock
        self.sessions = list(sessions or [])
        self.references: list[bytes] = []
        self.during: Callable[[], None] | None = None

    async def capture_and_match(self, reference_jpeg: bytes | bytearray) -> FaceResult:
        self.references.append(bytes(reference_jpeg))
        self.clock.advance(seconds=12)
        if self.during is not None:
            self.during()
        live, decision = self.sessions.pop(0) if self.sessions else (True, "match")
        reasons = () if live else ("screen_moire",)
        return FaceResult(
            live,
            reasons,
            0.71 if decision == "match" else 0.2,
            0.5,
            "dlib-resnet-128",
            decision,
            self.ledger.new_bytes(FRAME_MARKER),
            self.ledger.new_array(),
        )


@dataclass(frozen=True)
class Started:
    challenge_id: str
    masked_mobile: str
    expires_at: datetime


@dataclass(frozen=True)
class Verdict:
    accepted: bool
    expired: bool = False


@dataclass(frozen=True)
class Submitted:
    enrollment_id: str
    account_id: str


def person(eligibility: Eligibility = Eligibility.ELIGIBLE, *reasons: str) -> IdentityRecord:
    return IdentityRecord(
        id_number=ID_NUMBER,
        kind="citizen",
        name_ar="محمد عبدالله القحطاني",
        name_en="Mohammed Abdullah Al-Qahtani",
        sex="male",
        nationality="SAU",
        birth_date=BIRTH_DATE,
        birth_date_hijri="1410-10-22",
        id_expiry=date(2031, 1, 1),
        status="active",
        has_portal_account=eligibility is Eligibility.ALREADY_REGISTERED,
        eligibility=eligibility,
        reasons=tuple(IneligibilityReason(code, Bilingual(code, code)) for code in reasons),
    )


def problem(status: int, kind: str, *fields: str) -> PortalProblemError:
    return PortalProblemError(
        status=status,
        problem_type=f"https://hawiya.example/problems/{kind}",
        title=Bilingual("Refused", "مرفوض"),
        detail=Bilingual(kind, kind),
        field_problems=tuple(FieldProblem(name, Bilingual("bad", "خطأ")) for name in fields),
    )


@dataclass
class ScriptedPortal:
    """The portal's enrollment calls, scripted; `submit` is idempotent by key, as the real
    one must be."""

    ledger: BiometricLedger
    clock: FakeClock
    found: IdentityRecord | None = field(default_factory=person)
    lookup_failures: list[Exception] = field(default_factory=list)
    account_failures: list[Exception] = field(default_factory=list)
    submit_failures: list[Exception] = field(default_factory=list)
    code: str = "123456"
    expired_codes: set[str] = field(default_factory=set)
    lookups: list[IdentityQuery] = field(default_factory=list)
    submissions: list[tuple[str, EnrollmentEvidence]] = field(default_factory=list)
    accounts: dict[str, Submitted] = field(default_factory=dict)
    evidence_json: list[dict[str, object]] = field(default_factory=list)

    async def health(self) -> PortalHealth:
        return PortalHealth("ok", "test", "ok", self.clock())

    async def sign_in(self, username: str, password: str) -> OperatorGrant:
        raise AssertionError("not used by the enrollment core")

    async def lookup(self, token: str, query: IdentityQuery) -> IdentityRecord:
        self.lookups.append(query)
        self.clock.advance(seconds=1)
        if self.lookup_failures:
            raise self.lookup_failures.pop(0)
        if self.found is None:
            raise problem(404, "not-found")
        return self.found

    async def aclose(self) -> None:
        return None

    async def reference_photo(self, token: str, id_number: str) -> bytearray:
        return self.ledger.new_bytes(REFERENCE_MARKER)

    async def username_available(self, token: str, username: str) -> bool:
        return True

    async def start_account(
        self,
        token: str,
        *,
        id_number: str,
        username: str,
        password: str,
        mobile: str,
        email: str | None,
    ) -> Started:
        self.clock.advance(seconds=30)
        if self.account_failures:
            raise self.account_failures.pop(0)
        return Started("challenge-1", "05X XXX X123", self.clock() + timedelta(minutes=10))

    async def verify_code(self, token: str, challenge_id: str, code: str) -> Verdict:
        self.clock.advance(seconds=10)
        if code in self.expired_codes:
            return Verdict(accepted=False, expired=True)
        return Verdict(accepted=code == self.code)

    async def resend_code(self, token: str, challenge_id: str) -> Started:
        return Started("challenge-2", "05X XXX X123", self.clock() + timedelta(minutes=10))

    async def submit(
        self, token: str, idempotency_key: str, evidence: EnrollmentEvidence
    ) -> Submitted:
        self.submissions.append((idempotency_key, evidence))
        # Serialised at the call, as the real client does: the portrait is still there.
        self.evidence_json.append(evidence.as_json())
        if self.submit_failures:
            raise self.submit_failures.pop(0)
        if idempotency_key not in self.accounts:
            number = len(self.accounts) + 1
            self.accounts[idempotency_key] = Submitted(f"ENR-{number:06d}", f"acct-{number}")
        return self.accounts[idempotency_key]


def unreachable() -> PortalUnreachableError:
    return PortalUnreachableError(UnreachableReason.CONNECT, "test")


class RecordingDisplay:
    def __init__(self) -> None:
        self.updates: list[DisplayUpdate] = []

    def show(self, update: DisplayUpdate) -> None:
        self.updates.append(update)

    @property
    def screens(self) -> list[str]:
        return [update.screen.value for update in self.updates]


START = datetime(2025, 3, 1, 6, 0, tzinfo=UTC)  # 09:00 at the booth (UTC+3)
