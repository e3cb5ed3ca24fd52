"""What the enrollment core needs from the card reader, the fingerprint and face steps, and
the portal, as small Protocols: the real adapters satisfy them, tests pass small stand-ins.

Results are read through read-only properties, so a frozen dataclass with fields of these
names satisfies them. Biometric buffers (portrait, best frame, template, image) should be
handed over as `bytearray` or numpy arrays: the core overwrites them in place when the
enrollment ends, which an immutable `bytes` would not allow (it then wipes only its own copy).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Protocol

import numpy as np
import numpy.typing as npt

from station.enrollment.evidence import EnrollmentEvidence
from station.portal.protocol import Portal

BiometricBytes = bytes | bytearray
BiometricArray = npt.NDArray[np.generic]


class CardIdentity(Protocol):
    """What a card read gives. It exists only once passive authentication (SOD chain and DG
    hashes) succeeded: a card that fails it is reported with `Enrollment.refuse_card`."""

    @property
    def id_number(self) -> str: ...
    @property
    def name_en(self) -> str: ...
    @property
    def name_ar(self) -> str: ...  # logical order
    @property
    def birth_date(self) -> date: ...  # Gregorian
    @property
    def expiry_date(self) -> date: ...
    @property
    def portrait_jpeg(self) -> BiometricBytes: ...  # DG2


class FingerprintAttempt(Protocol):
    """One capture of one finger and the portal's 1:1 verification of it."""

    @property
    def finger_position(self) -> int: ...  # ISO/IEC 19794-2: 1 right thumb ... 10 left little
    @property
    def decision(self) -> str: ...  # "match" | "no_match" | "poor_quality" | "no_reference" ...
    @property
    def counts_as_try(self) -> bool: ...  # False for a device or portal hiccup
    @property
    def verification_id(self) -> str | None: ...  # the portal's, cited by the submission
    @property
    def quality(self) -> float | None: ...
    @property
    def template(self) -> BiometricBytes | None: ...  # ISO/IEC 19794-2 record
    @property
    def image(self) -> BiometricArray | None: ...


class FingerprintStep(Protocol):
    async def capture_and_verify(self, id_number: str, finger_position: int) -> FingerprintAttempt:
        """One try: capture with quality feedback, extract, ask the portal. Raises nothing for
        a poor capture or a no-match (that is the attempt's `decision`)."""
        ...


class FaceSession(Protocol):
    """One face session: liveness challenges, passive checks, best frame, local 1:1 match."""

    @property
    def live(self) -> bool: ...
    @property
    def reasons(self) -> tuple[str, ...]: ...  # why not live / not matched, as codes
    @property
    def score(self) -> float | None: ...
    @property
    def threshold(self) -> float: ...
    @property
    def model(self) -> str: ...
    @property
    def decision(self) -> str: ...  # "match" | "no_match" | "no_face" | "not_live"
    @property
    def best_frame_jpeg(self) -> BiometricBytes | None: ...
    @property
    def best_frame(self) -> BiometricArray | None: ...


class FaceStep(Protocol):
    async def capture_and_match(self, reference_jpeg: BiometricBytes) -> FaceSession:
        """Run one session against the reference portrait; publishes its own liveness
        challenges on the customer display."""
        ...


class AccountStarted(Protocol):
    """The portal accepted the account details and sent an SMS code to the mobile number."""

    @property
    def challenge_id(self) -> str: ...
    @property
    def masked_mobile(self) -> str: ...  # "05X XXX X123"
    @property
    def expires_at(self) -> datetime: ...


class CodeVerdict(Protocol):
    @property
    def accepted(self) -> bool: ...
    @property
    def expired(self) -> bool: ...  # a new code is needed (resend)


class SubmitAnswer(Protocol):
    @property
    def enrollment_id(self) -> str: ...  # the portal's id, printed on the receipt
    @property
    def account_id(self) -> str: ...


class EnrollmentPortal(Portal, Protocol):
    """The portal calls of an enrollment; each raises `PortalError` like the others
    (`PortalProblemError` with field problems for a refused username, password or mobile)."""

    async def reference_photo(self, token: str, id_number: str) -> BiometricBytes:
        """The national record's portrait, for a face match after a manual ID entry."""
        ...

    async def username_available(self, token: str, username: str) -> bool: ...

    async def start_account(
        self,
        token: str,
        *,
        id_number: str,
        username: str,
        password: str,
        mobile: str,
        email: str | None,
    ) -> AccountStarted: ...

    async def verify_code(self, token: str, challenge_id: str, code: str) -> CodeVerdict: ...

    async def resend_code(self, token: str, challenge_id: str) -> AccountStarted: ...

    async def submit(
        self, token: str, idempotency_key: str, evidence: EnrollmentEvidence
    ) -> SubmitAnswer: ...
