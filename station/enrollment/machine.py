"""One enrollment as an explicit state machine: identity -> lookup -> consent -> fingerprint ->
face -> account -> SMS code -> submit -> completed, or stopped / cancelled with a reason.

Plain Python: the UI (or the rehearsal) calls one step method at a time, from one task, and
renders the returned `StepOutcome`. Every transition is timed with the injected clock and
audited; the customer display is told what the citizen sees at each step. Biometrics stay in
memory and are overwritten when the enrollment ends, whatever the way it ends.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from enum import StrEnum
from uuid import uuid4

import structlog

from station.bilingual import Bilingual
from station.birth_date import Calendar
from station.clock import Clock
from station.customer_display.consent import CONSENT
from station.customer_display.model import DisplayPublisher, DisplayScreen, DisplayUpdate
from station.enrollment.audit import AuditEvent, AuditValue, EnrollmentJournal
from station.enrollment.evidence import (
    CapturedBiometrics,
    ConsentRecord,
    EnrollmentEvidence,
    FaceEvidence,
    FingerprintEvidence,
    FingerprintException,
)
from station.enrollment.local_time import SAUDI_TIME
from station.enrollment.lookup import LookupKind, LookupOutcome, look_up_person
from station.enrollment.ports import (
    CardIdentity,
    EnrollmentPortal,
    FaceSession,
    FaceStep,
    FingerprintAttempt,
    FingerprintStep,
)
from station.enrollment.receipt import Receipt
from station.enrollment_store import EnrollmentRow
from station.operators import OperatorSession
from station.portal.errors import PortalError, PortalProblemError, PortalUnreachableError
from station.portal.models import IdentityRecord

log = structlog.get_logger(__name__)


class EnrollmentState(StrEnum):
    IDENTITY = "identity"  # waiting for a card or a manual ID entry
    LOOKUP = "lookup"  # asking the portal: found, registered, eligible?
    CONSENT = "consent"
    FINGERPRINT = "fingerprint"
    FACE = "face"
    ACCOUNT = "account"  # username, password, mobile, email
    SMS_CODE = "sms_code"
    SUBMIT = "submit"
    COMPLETED = "completed"  # the portal created the account: the receipt
    STOPPED = "stopped"  # a rule or a limit ended it
    CANCELLED = "cancelled"  # the operator ended it


S = EnrollmentState
TERMINAL_STATES = frozenset({S.COMPLETED, S.STOPPED, S.CANCELLED})

_FORWARD: dict[EnrollmentState, frozenset[EnrollmentState]] = {
    S.IDENTITY: frozenset({S.LOOKUP}),
    # Back to identity: a mistyped manual entry is corrected and looked up again.
    S.LOOKUP: frozenset({S.IDENTITY, S.CONSENT}),
    S.CONSENT: frozenset({S.FINGERPRINT}),
    S.FINGERPRINT: frozenset({S.FACE}),
    S.FACE: frozenset({S.ACCOUNT}),
    # Back to account: the code went to a number the citizen cannot read; change it.
    S.ACCOUNT: frozenset({S.SMS_CODE}),
    S.SMS_CODE: frozenset({S.ACCOUNT, S.SUBMIT}),
    S.SUBMIT: frozenset({S.COMPLETED}),
}

ALLOWED_TRANSITIONS: Mapping[EnrollmentState, frozenset[EnrollmentState]] = {
    state: (_FORWARD.get(state, frozenset()) | {S.STOPPED, S.CANCELLED})
    if state not in TERMINAL_STATES
    else frozenset()
    for state in EnrollmentState
}


class EnrollmentOutcome(StrEnum):
    COMPLETED = "completed"
    STOPPED = "stopped"
    CANCELLED = "cancelled"


class StopReason(StrEnum):
    CARD_NOT_AUTHENTIC = "card_not_authentic"
    CARD_EXPIRED = "card_expired"
    CARD_NOT_ON_RECORD = "card_not_on_record"
    ALREADY_REGISTERED = "already_registered"
    NOT_ELIGIBLE = "not_eligible"
    CONSENT_DECLINED = "consent_declined"
    FINGERPRINT_NOT_VERIFIED = "fingerprint_not_verified"
    # Too many captures of a finger never reached the portal (poor quality, no finger, a
    # replica): no supervisor exception can rest on them (it needs the portal's no_match).
    FINGERPRINT_NOT_CAPTURED = "fingerprint_not_captured"
    FACE_NOT_LIVE = "face_not_live"
    FACE_NO_MATCH = "face_no_match"
    SMS_CODE_ATTEMPTS = "sms_code_attempts"
    SUBMISSION_REFUSED = "submission_refused"
    OPERATOR_CANCELLED = "operator_cancelled"


REASON_MESSAGES: dict[str, Bilingual] = {
    StopReason.CARD_NOT_AUTHENTIC: Bilingual(
        "The card failed its authenticity check: do not enroll; refer to civil affairs.",
        "لم تجتز البطاقة فحص الأصالة: لا تسجّل؛ أحِل الأمر إلى الأحوال المدنية.",
    ),
    StopReason.CARD_EXPIRED: Bilingual(
        "The card has expired: renew the ID first, then enroll.",
        "البطاقة منتهية: جدّد الهوية أولًا ثم سجّل.",
    ),
    StopReason.CARD_NOT_ON_RECORD: Bilingual(
        "The card's holder is not on record: refer to civil affairs.",
        "صاحب البطاقة غير موجود في السجل: أحِل الأمر إلى الأحوال المدنية.",
    ),
    StopReason.ALREADY_REGISTERED: Bilingual(
        "Already registered: reset the password at the portal instead.",
        "مسجل مسبقًا: أعد تعيين كلمة المرور في البوابة بدلًا من ذلك.",
    ),
    StopReason.NOT_ELIGIBLE: Bilingual("Not eligible for an enrollment.", "غير مؤهل للتسجيل."),
    StopReason.CONSENT_DECLINED: Bilingual(
        "Consent declined: nothing was captured.", "رُفضت الموافقة: لم يُلتقط شيء."
    ),
    StopReason.FINGERPRINT_NOT_VERIFIED: Bilingual(
        "The fingerprint could not be verified.", "تعذّر التحقق من البصمة."
    ),
    StopReason.FINGERPRINT_NOT_CAPTURED: Bilingual(
        "The finger could not be captured well enough to be compared, in every try allowed: "
        "the enrollment stops. Ask the person to come back with clean, dry hands; a "
        "supervisor's exception needs three comparisons by the portal.",
        "تعذّر التقاط البصمة بجودة تكفي للمقارنة في كل المحاولات المسموح بها: توقف التسجيل. "
        "اطلب من الشخص العودة بيدين نظيفتين وجافتين؛ فاستثناء المشرف يحتاج ثلاث مقارنات من "
        "البوابة.",
    ),
    StopReason.FACE_NOT_LIVE: Bilingual(
        "The face check did not pass: the enrollment stops.",
        "لم يجتز فحص الوجه: توقف التسجيل.",
    ),
    StopReason.FACE_NO_MATCH: Bilingual(
        "The face does not match the ID photo: the enrollment stops.",
        "الوجه لا يطابق صورة الهوية: توقف التسجيل.",
    ),
    StopReason.SMS_CODE_ATTEMPTS: Bilingual(
        "Too many wrong codes: the enrollment stops; start again later.",
        "رموز خاطئة كثيرة: توقف التسجيل؛ أعد المحاولة لاحقًا.",
    ),
    StopReason.SUBMISSION_REFUSED: Bilingual(
        "The portal refused the enrollment.", "رفضت البوابة التسجيل."
    ),
    StopReason.OPERATOR_CANCELLED: Bilingual(
        "The operator cancelled the enrollment; nothing was kept.",
        "ألغى الموظف التسجيل؛ لم يُحفظ شيء.",
    ),
}

# ISO/IEC 19794-2 finger positions, named as the customer display names them.
FINGER_NAMES: dict[int, str] = {
    1: "right_thumb",
    2: "right_index",
    3: "right_middle",
    4: "right_ring",
    5: "right_little",
    6: "left_thumb",
    7: "left_index",
    8: "left_middle",
    9: "left_ring",
    10: "left_little",
}
RIGHT_INDEX = 2


class IllegalTransitionError(RuntimeError):
    """A step was asked for in a state that does not allow it (a bug in the caller)."""


class LimitReachedError(IllegalTransitionError):
    """Another try was asked for after the limit: the caller must offer the next decision."""


@dataclass(frozen=True, slots=True)
class EnrollmentLimits:
    # Verifications the portal answered no_match, per finger: then a supervisor's exception
    # (the portal accepts one only citing three such answers) or a stop.
    finger_tries: int = 3
    # Every capture that counts (poor quality, no finger, a replica, no_match), per finger: a
    # finger that keeps giving unusable captures stops the enrollment here.
    finger_captures: int = 5
    face_sessions: int = 3
    wrong_codes: int = 5


@dataclass(frozen=True, slots=True)
class StepOutcome:
    """What a step call did, ready to show the operator."""

    state: EnrollmentState
    message: Bilingual
    ok: bool = True  # False: this try failed or was refused (the state may still be the same)
    tries_left: int | None = None
    field_errors: tuple[tuple[str, Bilingual], ...] = ()
    needs_supervisor: bool = False


@dataclass(frozen=True, slots=True)
class EnrollmentRecord:
    id: str
    outcome: EnrollmentOutcome
    reason: str | None
    step_seconds: Mapping[str, float]
    operator_id: str
    station_id: str
    started_at: datetime
    ended_at: datetime
    portal_enrollment_id: str | None = None


@dataclass(slots=True)
class _Identity:
    source: str  # "card" | "manual"
    id_number: str
    birth_date: str
    calendar: Calendar
    name_en: str | None = None
    name_ar: str | None = None
    passive_auth_valid: bool | None = None  # None: manual entry, no card


@dataclass(slots=True)
class _Progress:
    finger_failures: dict[int, int] = field(default_factory=dict)  # counted captures
    # The portal's ids of the failed tries it answered: a supervisor's exception cites them.
    finger_failed_verifications: dict[int, list[str]] = field(default_factory=dict)
    supervisor_finger: int | None = None  # the finger that used up its tries
    face_sessions: int = 0
    wrong_codes: int = 0
    consent: ConsentRecord | None = None
    fingerprint: FingerprintEvidence | None = None
    fingerprint_exception: FingerprintException | None = None
    face: FaceEvidence | None = None
    portrait: bytearray | None = None
    reference: bytearray | None = None
    challenge_id: str | None = None
    masked_mobile: str | None = None


class Enrollment:
    """One person's enrollment at one booth, from the first card read to the receipt."""

    def __init__(
        self,
        *,
        session: OperatorSession,
        station_id: str,
        portal: EnrollmentPortal,
        fingerprint: FingerprintStep,
        face: FaceStep,
        display: DisplayPublisher,
        journal: EnrollmentJournal,
        clock: Clock,
        limits: EnrollmentLimits | None = None,
        new_id: Callable[[], str] = lambda: str(uuid4()),
        local_tz: tzinfo = SAUDI_TIME,
    ) -> None:
        self.session = session
        self.station_id = station_id
        self.id = new_id()  # also the idempotency key of the submission
        self.limits = limits or EnrollmentLimits()
        self._portal = portal
        self._fingerprint = fingerprint
        self._face = face
        self._display = display
        self._journal = journal
        self._clock = clock
        self._local_tz = local_tz
        self._biometrics = CapturedBiometrics()
        self._identity: _Identity | None = None
        self._progress = _Progress()
        self.person: IdentityRecord | None = None
        self.started_at = clock()
        self.state = S.IDENTITY
        self._entered_at = self.started_at
        self.step_seconds: dict[str, float] = {}
        self.history: list[tuple[EnrollmentState, EnrollmentState, datetime]] = []
        self.reason: str | None = None
        self.portal_enrollment_id: str | None = None
        self.record: EnrollmentRecord | None = None
        self._audit("enrollment.started")
        self._show(DisplayScreen.WELCOME)

    # --- what the UI reads -------------------------------------------------------------

    @property
    def finished(self) -> bool:
        return self.state in TERMINAL_STATES

    @property
    def held_biometrics(self) -> int:
        """How many biometric buffers are held in memory right now (0 once finished)."""
        return len(self._biometrics)

    @property
    def needs_supervisor(self) -> bool:
        return self.state is S.FINGERPRINT and self._progress.supervisor_finger is not None

    def finger_tries_left(self, finger_position: int) -> int:
        """Tries before a limit on this finger: the portal's no_match answers still allowed
        before the exception, or the captures left under the overall cap, whichever is less."""
        return min(
            self.finger_comparisons_left(finger_position),
            self.finger_captures_left(finger_position),
        )

    def finger_comparisons_left(self, finger_position: int) -> int:
        """no_match answers by the portal still to come before a supervisor's exception."""
        failed = len(self._progress.finger_failed_verifications.get(finger_position, ()))
        return max(0, self.limits.finger_tries - failed)

    def finger_captures_left(self, finger_position: int) -> int:
        """Counted captures still allowed on this finger (every one the person caused)."""
        used = self._progress.finger_failures.get(finger_position, 0)
        return max(0, self.limits.finger_captures - used)

    @property
    def face_sessions_left(self) -> int:
        return max(0, self.limits.face_sessions - self._progress.face_sessions)

    @property
    def codes_left(self) -> int:
        return max(0, self.limits.wrong_codes - self._progress.wrong_codes)

    @property
    def masked_mobile(self) -> str | None:
        return self._progress.masked_mobile

    def receipt(self) -> Receipt:
        self._require(S.COMPLETED, "receipt")
        assert self.person is not None
        assert self.portal_enrollment_id is not None
        assert self.record is not None
        return Receipt(
            enrollment_id=self.portal_enrollment_id,
            name_en=self.person.name_en,
            name_ar=self.person.name_ar,
            issued_at=self.record.ended_at,
            station_id=self.station_id,
        )

    # --- identity and lookup -----------------------------------------------------------

    def accept_card(self, card: CardIdentity) -> StepOutcome:
        """An authentic card was read: check its validity, then go to the lookup."""
        self._require(S.IDENTITY, "accept_card")
        portrait = self._biometrics.keep_bytes(card.portrait_jpeg)
        self._progress.reference = portrait
        self._identity = _Identity(
            "card",
            card.id_number,
            card.birth_date.isoformat(),
            Calendar.GREGORIAN,
            card.name_en,
            card.name_ar,
            passive_auth_valid=True,
        )
        self._audit("card.read", passive_auth_valid=True, expiry=card.expiry_date.isoformat())
        if card.expiry_date < self._today():
            return self._stop(StopReason.CARD_EXPIRED)
        self._go(S.LOOKUP)
        self._show(DisplayScreen.WELCOME, name_en=card.name_en, name_ar=card.name_ar)
        return StepOutcome(
            self.state, Bilingual("Card read and authentic.", "قُرئت البطاقة وهي أصلية.")
        )

    def refuse_card(self, reason: str) -> StepOutcome:
        """The card failed passive authentication (forged or altered): the enrollment stops.
        `reason` is the reader's code for the failure, e.g. "dg2_hash_mismatch"."""
        self._require(S.IDENTITY, "refuse_card")
        self._audit("card.read", passive_auth_valid=False, passive_auth_reason=reason)
        return self._stop(StopReason.CARD_NOT_AUTHENTIC, detail=reason)

    def enter_identity(self, id_number: str, birth_date: str, calendar: Calendar) -> StepOutcome:
        """The operator typed the ID number and date of birth (no card, or an unreadable one);
        the lookup checks them."""
        self._require(S.IDENTITY, "enter_identity")
        self._identity = _Identity("manual", id_number.strip(), birth_date.strip(), calendar)
        self._audit("identity.entered", calendar=calendar.value)
        self._go(S.LOOKUP)
        return StepOutcome(self.state, Bilingual("Looking up…", "جارٍ البحث…"))

    async def look_up(self) -> LookupOutcome:
        self._require(S.LOOKUP, "look_up")
        identity = self._identity
        assert identity is not None
        outcome = await look_up_person(
            self._portal,
            self.session,
            identity.id_number,
            identity.birth_date,
            identity.calendar,
            self._today(),
        )
        if self.finished:  # cancelled while the portal answered
            return outcome
        self._audit(
            "lookup.answered",
            kind=outcome.kind.value,
            id_number=identity.id_number,
            reasons=tuple(r.code for r in outcome.person.reasons) if outcome.person else (),
        )
        kind = outcome.kind
        if kind is LookupKind.ELIGIBLE:
            assert outcome.person is not None
            self.person = outcome.person
            self._go(S.CONSENT)
            self._show(DisplayScreen.CONSENT)
        elif kind is LookupKind.ALREADY_REGISTERED:
            self.person = outcome.person
            self._stop(StopReason.ALREADY_REGISTERED)
        elif kind is LookupKind.NOT_ELIGIBLE:
            assert outcome.person is not None
            codes = ",".join(reason.code for reason in outcome.person.reasons)
            self._stop(StopReason.NOT_ELIGIBLE, detail=codes or None)
        elif kind is LookupKind.NOT_FOUND and identity.source == "card":
            self._stop(StopReason.CARD_NOT_ON_RECORD)
        elif kind in (LookupKind.NOT_FOUND, LookupKind.REJECTED) and identity.source == "manual":
            self._go(S.IDENTITY)  # the operator corrects the entry
        # Portal unreachable (or a refusal of a card's data): stay, the operator retries.
        return outcome

    def correct_identity(self) -> StepOutcome:
        """Back from the lookup to the identity step (e.g. to read a card instead)."""
        self._require(S.LOOKUP, "correct_identity")
        self._go(S.IDENTITY)
        return StepOutcome(self.state, Bilingual("Enter the identity again.", "أدخل الهوية مجددًا."))

    # --- consent -----------------------------------------------------------------------

    def give_consent(self) -> StepOutcome:
        self._require(S.CONSENT, "give_consent")
        self._progress.consent = ConsentRecord(
            CONSENT.version, self._clock(), self.session.operator_id
        )
        self._audit("consent.given", text_version=CONSENT.version, text_sha256=CONSENT.sha256())
        self._go(S.FINGERPRINT)
        self._show(DisplayScreen.PLACE_FINGER, finger=FINGER_NAMES[RIGHT_INDEX])
        return StepOutcome(self.state, Bilingual("Consent recorded.", "سُجّلت الموافقة."))

    def decline_consent(self) -> StepOutcome:
        self._require(S.CONSENT, "decline_consent")
        return self._stop(StopReason.CONSENT_DECLINED)

    # --- fingerprint -------------------------------------------------------------------

    async def capture_finger(self, finger_position: int = RIGHT_INDEX) -> StepOutcome:
        """One try on one finger. After `limits.finger_tries` no_match answers from the portal
        on a finger, a supervisor approves an exception (`approve_fingerprint_exception`) or
        the operator stops; after `limits.finger_captures` counted captures without them (poor
        quality never reaches the portal), the enrollment stops (`fingerprint_not_captured`)."""
        self._require(S.FINGERPRINT, "capture_finger")
        if finger_position not in FINGER_NAMES:
            raise ValueError(f"finger position {finger_position} is not 1..10 (ISO/IEC 19794-2)")
        if self._progress.supervisor_finger is not None:
            raise LimitReachedError(
                "the fingerprint tries are used up: approve a supervisor exception or stop"
            )
        self._show(DisplayScreen.PLACE_FINGER, finger=FINGER_NAMES[finger_position])
        assert self._identity is not None
        attempt = await self._fingerprint.capture_and_verify(
            self._identity.id_number, finger_position
        )
        self._keep_attempt(attempt)
        if self.finished:  # cancelled during the capture: drop what it brought
            self._biometrics.wipe()
            return self._ended_outcome()
        failures = self._progress.finger_failures.get(finger_position, 0)
        failed = self._progress.finger_failed_verifications.setdefault(finger_position, [])
        matched = attempt.decision == "match" and attempt.verification_id is not None
        self._audit(
            "fingerprint.try",
            finger_position=finger_position,
            try_number=failures + 1,
            counted=matched or attempt.counts_as_try,
            decision=attempt.decision,
            quality=attempt.quality,
            verification_id=attempt.verification_id,
        )
        if matched:
            assert attempt.verification_id is not None
            self._progress.fingerprint = FingerprintEvidence(
                finger_position, attempt.verification_id, attempt.decision
            )
            self._go(S.FACE)
            self._show(DisplayScreen.FACE)
            return StepOutcome(
                self.state, Bilingual("Fingerprint verified.", "تم التحقق من البصمة.")
            )
        if not attempt.counts_as_try:  # the scanner or the portal failed, not the person
            return StepOutcome(
                self.state,
                Bilingual(
                    f"Not counted as a try ({attempt.decision}): check the device and retry.",
                    f"لا تُحتسب محاولة ({attempt.decision}): افحص الجهاز وأعد المحاولة.",
                ),
                ok=False,
                tries_left=self.finger_tries_left(finger_position),
            )
        failures += 1
        self._progress.finger_failures[finger_position] = failures
        # Only an answer of the portal counts toward the exception, which must cite it.
        if attempt.decision == "no_match" and attempt.verification_id is not None:
            failed.append(attempt.verification_id)
        if len(failed) < self.limits.finger_tries:
            if failures >= self.limits.finger_captures:
                self._audit(
                    "fingerprint.capture_limit",
                    finger_position=finger_position,
                    captures=failures,
                    compared=len(failed),
                )
                return self._stop(StopReason.FINGERPRINT_NOT_CAPTURED)
            left = self.finger_tries_left(finger_position)
            sent = "" if attempt.verification_id is not None else ", not sent to the portal"
            sent_ar = "" if attempt.verification_id is not None else "، لم تُرسل إلى البوابة"
            return StepOutcome(
                self.state,
                Bilingual(
                    f"Not verified ({attempt.decision}{sent}): try again, {left} left.",
                    f"لم يُتحقق ({attempt.decision}{sent_ar}): أعد المحاولة، متبقٍ {left}.",
                ),
                ok=False,
                tries_left=left,
            )
        self._progress.supervisor_finger = finger_position
        self._audit("fingerprint.limit_reached", finger_position=finger_position)
        return StepOutcome(
            self.state,
            Bilingual(
                f"{self.limits.finger_tries} comparisons by the portal did not match: a "
                "supervisor may approve an exception, or stop the enrollment.",
                f"لم تتطابق {self.limits.finger_tries} مقارنات أجرتها البوابة: يمكن للمشرف "
                "اعتماد استثناء، أو أوقف التسجيل.",
            ),
            ok=False,
            tries_left=0,
            needs_supervisor=True,
        )

    def approve_fingerprint_exception(self, supervisor_id: str, reason: str) -> StepOutcome:
        """A supervisor accepts enrolling without a verified finger (scarred, injured)."""
        self._require(S.FINGERPRINT, "approve_fingerprint_exception")
        finger = self._progress.supervisor_finger
        if finger is None:
            raise IllegalTransitionError(
                "a fingerprint exception needs the tries on a finger used up first"
            )
        if not supervisor_id.strip() or not reason.strip():
            raise ValueError("a fingerprint exception needs the supervisor's id and a reason")
        self._progress.fingerprint_exception = FingerprintException(
            finger,
            supervisor_id.strip(),
            reason.strip(),
            self._progress.finger_failures.get(finger, 0),
            tuple(self._progress.finger_failed_verifications.get(finger, ())),
            self._clock(),
        )
        self._audit(
            "fingerprint.exception",
            finger_position=finger,
            supervisor_id=supervisor_id.strip(),
            reason=reason.strip(),
        )
        self._go(S.FACE)
        self._show(DisplayScreen.FACE)
        return StepOutcome(
            self.state, Bilingual("Exception recorded: continue.", "سُجّل الاستثناء: تابع.")
        )

    def _keep_attempt(self, attempt: FingerprintAttempt) -> None:
        if attempt.template is not None:
            self._biometrics.keep_bytes(attempt.template)
        if attempt.image is not None:
            self._biometrics.keep_array(attempt.image)

    # --- face --------------------------------------------------------------------------

    async def capture_face(self) -> StepOutcome:
        """One face session against the card portrait, or the portal's reference photo after
        a manual entry. A failed session counts; after the limit the enrollment stops."""
        self._require(S.FACE, "capture_face")
        if self.face_sessions_left == 0:
            raise LimitReachedError("the face sessions are used up")
        reference = self._progress.reference
        if reference is None:
            fetched = await self._reference_photo()
            if isinstance(fetched, StepOutcome):
                return fetched
            reference = fetched
        self._show(DisplayScreen.FACE)
        result = await self._face.capture_and_match(reference)
        self._keep_session(result)
        if self.finished:
            self._biometrics.wipe()
            return self._ended_outcome()
        self._progress.face_sessions += 1
        number = self._progress.face_sessions
        self._audit(
            "face.session",
            session=number,
            live=result.live,
            reasons=tuple(result.reasons),
            score=result.score,
            threshold=result.threshold,
            model=result.model,
            decision=result.decision,
        )
        identity = self._identity
        assert identity is not None
        if result.live and result.decision == "match" and result.best_frame_jpeg is not None:
            self._progress.portrait = self._biometrics.keep_bytes(result.best_frame_jpeg)
            self._progress.face = FaceEvidence(
                live=result.live,
                liveness_reasons=tuple(result.reasons),
                score=result.score,
                threshold=result.threshold,
                model=result.model,
                decision=result.decision,
                reference="card_portrait" if identity.source == "card" else "portal_reference",
                sessions=number,
            )
            self._go(S.ACCOUNT)
            self._show(
                DisplayScreen.WELCOME,
                message=Bilingual(
                    "Thank you. The operator now creates your account.",
                    "شكرًا لك. يُنشئ الموظف حسابك الآن.",
                ),
            )
            return StepOutcome(self.state, Bilingual("Face verified.", "تم التحقق من الوجه."))
        left = self.face_sessions_left
        if left == 0:
            reason = StopReason.FACE_NOT_LIVE if not result.live else StopReason.FACE_NO_MATCH
            return self._stop(reason, detail=",".join(result.reasons) or None)
        return StepOutcome(
            self.state,
            Bilingual(
                f"Face not verified ({result.decision}): try again, {left} left.",
                f"لم يُتحقق من الوجه ({result.decision}): أعد المحاولة، متبقٍ {left}.",
            ),
            ok=False,
            tries_left=left,
        )

    async def _reference_photo(self) -> bytearray | StepOutcome:
        assert self._identity is not None
        try:
            photo = await self._portal.reference_photo(self._token(), self._identity.id_number)
        except PortalError as error:
            return StepOutcome(
                self.state,
                Bilingual(
                    "The reference photo could not be fetched; retry.",
                    "تعذّر جلب الصورة المرجعية؛ أعد المحاولة.",
                ).join(error.message, ": "),
                ok=False,
            )
        kept = self._biometrics.keep_bytes(photo)
        if self.finished:
            self._biometrics.wipe()
            return self._ended_outcome()
        self._progress.reference = kept
        return kept

    def _keep_session(self, result: FaceSession) -> None:
        if result.best_frame_jpeg is not None:
            self._biometrics.keep_bytes(result.best_frame_jpeg)
        if result.best_frame is not None:
            self._biometrics.keep_array(result.best_frame)

    # --- account and SMS code ----------------------------------------------------------

    async def open_account(
        self, *, username: str, password: str, mobile: str, email: str | None = None
    ) -> StepOutcome:
        """Send the account details; the portal checks them and texts a code to `mobile`."""
        self._require(S.ACCOUNT, "open_account")
        assert self._identity is not None
        try:
            started = await self._portal.start_account(
                self._token(),
                id_number=self._identity.id_number,
                username=username,
                password=password,
                mobile=mobile,
                email=email or None,
            )
        except PortalError as error:
            return self._refused("account.refused", error)
        if self.finished:
            return self._ended_outcome()
        self._progress.challenge_id = started.challenge_id
        self._progress.masked_mobile = started.masked_mobile
        self._audit("account.started", username=username, masked_mobile=started.masked_mobile)
        self._go(S.SMS_CODE)
        self._show(DisplayScreen.ENTER_CODE, masked_mobile=started.masked_mobile)
        return StepOutcome(
            self.state,
            Bilingual(
                f"Code sent to {started.masked_mobile}.", f"أُرسل الرمز إلى {started.masked_mobile}."
            ),
        )

    async def enter_code(self, code: str) -> StepOutcome:
        self._require(S.SMS_CODE, "enter_code")
        assert self._progress.challenge_id is not None
        try:
            verdict = await self._portal.verify_code(
                self._token(), self._progress.challenge_id, code.strip()
            )
        except PortalError as error:
            return self._refused("code.refused", error)
        if self.finished:
            return self._ended_outcome()
        if verdict.accepted:
            self._audit("code.accepted")
            self._go(S.SUBMIT)
            return StepOutcome(self.state, Bilingual("Code accepted.", "قُبل الرمز."))
        if verdict.expired:
            self._audit("code.expired")
            return StepOutcome(
                self.state,
                Bilingual(
                    "The code has expired: send a new one.", "انتهت صلاحية الرمز: أرسل رمزًا جديدًا."
                ),
                ok=False,
                tries_left=self.codes_left,
            )
        self._progress.wrong_codes += 1
        self._audit("code.wrong", wrong_codes=self._progress.wrong_codes)
        if self.codes_left == 0:
            return self._stop(StopReason.SMS_CODE_ATTEMPTS)
        left = self.codes_left
        return StepOutcome(
            self.state,
            Bilingual(f"Wrong code: {left} tries left.", f"رمز خاطئ: متبقٍ {left} محاولات."),
            ok=False,
            tries_left=left,
        )

    async def resend_code(self) -> StepOutcome:
        self._require(S.SMS_CODE, "resend_code")
        assert self._progress.challenge_id is not None
        try:
            started = await self._portal.resend_code(self._token(), self._progress.challenge_id)
        except PortalError as error:
            return self._refused("code.resend_refused", error)
        if self.finished:
            return self._ended_outcome()
        self._progress.challenge_id = started.challenge_id
        self._progress.masked_mobile = started.masked_mobile
        self._audit("code.resent", masked_mobile=started.masked_mobile)
        self._show(DisplayScreen.ENTER_CODE, masked_mobile=started.masked_mobile)
        return StepOutcome(
            self.state,
            Bilingual(
                f"New code sent to {started.masked_mobile}.",
                f"أُرسل رمز جديد إلى {started.masked_mobile}.",
            ),
        )

    def change_account_details(self) -> StepOutcome:
        """Back to the account form (e.g. another mobile number); wrong codes still count."""
        self._require(S.SMS_CODE, "change_account_details")
        self._go(S.ACCOUNT)
        return StepOutcome(self.state, Bilingual("Change the details.", "عدّل البيانات."))

    # --- submission --------------------------------------------------------------------

    async def submit(self) -> StepOutcome:
        """Send the evidence with the enrollment id as idempotency key: after an unreachable
        portal, calling again cannot create a second account."""
        self._require(S.SUBMIT, "submit")
        evidence = self._evidence()
        try:
            answer = await self._portal.submit(self._token(), self.id, evidence)
        except PortalUnreachableError as error:
            self._audit("submit.unreachable")
            return StepOutcome(
                self.state,
                Bilingual(
                    "The portal is unreachable: retry.", "البوابة غير متاحة: أعد المحاولة."
                ).join(error.message, ": "),
                ok=False,
            )
        except PortalProblemError as problem:
            self._audit("submit.refused", kind=problem.kind, status=problem.status)
            return self._stop(StopReason.SUBMISSION_REFUSED, detail=problem.kind)
        except PortalError as error:
            self._audit("submit.failed")
            return StepOutcome(
                self.state,
                Bilingual("The submission failed: retry.", "فشل الإرسال: أعد المحاولة.").join(
                    error.message, ": "
                ),
                ok=False,
            )
        if self.finished:
            return self._ended_outcome()
        self.portal_enrollment_id = answer.enrollment_id
        self._audit(
            "submit.accepted",
            portal_enrollment_id=answer.enrollment_id,
            account_id=answer.account_id,
        )
        self._go(S.COMPLETED)
        self._finish(EnrollmentOutcome.COMPLETED, None)
        assert self.person is not None
        self._show(
            DisplayScreen.SUCCESS,
            name_en=self.person.name_en,
            name_ar=self.person.name_ar,
            message=Bilingual(
                f"Your account is active. Enrollment {answer.enrollment_id}.",
                f"حسابك مفعّل. رقم التسجيل {answer.enrollment_id}.",
            ),
        )
        return StepOutcome(
            self.state, Bilingual("Account created and activated.", "أُنشئ الحساب وفُعّل.")
        )

    def _evidence(self) -> EnrollmentEvidence:
        progress, identity = self._progress, self._identity
        assert identity is not None
        assert progress.consent is not None
        assert progress.face is not None
        assert progress.portrait is not None
        assert progress.challenge_id is not None
        return EnrollmentEvidence(
            enrollment_id=self.id,
            id_number=identity.id_number,
            identity_source=identity.source,
            passive_auth_valid=identity.passive_auth_valid,
            passive_auth_reason=None,
            consent=progress.consent,
            fingerprint=progress.fingerprint,
            fingerprint_exception=progress.fingerprint_exception,
            face=progress.face,
            portrait_jpeg=progress.portrait,
            account_challenge_id=progress.challenge_id,
            operator_id=self.session.operator_id,
            station_id=self.station_id,
        )

    # --- ending ------------------------------------------------------------------------

    def cancel(self, reason: str = StopReason.OPERATOR_CANCELLED) -> StepOutcome:
        """The operator ends the enrollment at any step; everything captured is wiped."""
        self._transition_check(S.CANCELLED)
        self._audit("enrollment.cancelled", reason=str(reason))
        self._go(S.CANCELLED)
        self._finish(EnrollmentOutcome.CANCELLED, str(reason))
        self._show(DisplayScreen.FAILURE, message=REASON_MESSAGES[StopReason.OPERATOR_CANCELLED])
        return self._ended_outcome()

    def stop(self, reason: str) -> StepOutcome:
        """The operator stops for a reason of the booth's rules (e.g. a supervisor refused the
        fingerprint exception; the mobile number is not the person's)."""
        return self._stop(reason)

    def _stop(self, reason: str, *, detail: str | None = None) -> StepOutcome:
        self._transition_check(S.STOPPED)
        full_reason = str(reason) if detail is None else f"{reason}:{detail}"
        self._audit("enrollment.stopped", reason=full_reason)
        self._go(S.STOPPED)
        self._finish(EnrollmentOutcome.STOPPED, full_reason)
        message = REASON_MESSAGES.get(
            str(reason), Bilingual(f"Stopped: {reason}.", f"توقف التسجيل: {reason}.")
        )
        self._show(DisplayScreen.FAILURE, message=message)
        return StepOutcome(self.state, message, ok=False)

    def _finish(self, outcome: EnrollmentOutcome, reason: str | None) -> None:
        wiped = self._biometrics.wipe()
        self._progress.portrait = None
        self._progress.reference = None
        self.reason = reason
        ended = self._clock()
        self.record = EnrollmentRecord(
            id=self.id,
            outcome=outcome,
            reason=reason,
            step_seconds=dict(self.step_seconds),
            operator_id=self.session.operator_id,
            station_id=self.station_id,
            started_at=self.started_at,
            ended_at=ended,
            portal_enrollment_id=self.portal_enrollment_id,
        )
        self._audit("biometrics.wiped", buffers=wiped)
        self._journal.finish(
            EnrollmentRow(
                id=self.id,
                station_id=self.station_id,
                operator_id=self.session.operator_id,
                outcome=outcome.value,
                reason=reason,
                started_at=self.started_at,
                ended_at=ended,
                step_seconds=_json_seconds(self.step_seconds),
                portal_enrollment_id=self.portal_enrollment_id,
            )
        )
        log.info("enrollment.finished", enrollment_id=self.id, outcome=outcome.value, reason=reason)

    def _ended_outcome(self) -> StepOutcome:
        message = REASON_MESSAGES.get(
            self.reason or "", Bilingual("The enrollment has ended.", "انتهى التسجيل.")
        )
        return StepOutcome(self.state, message, ok=self.state is S.COMPLETED)

    # --- machinery ---------------------------------------------------------------------

    def _require(self, state: EnrollmentState, step: str) -> None:
        if self.state is not state:
            raise IllegalTransitionError(
                f"{step} needs the enrollment at {state.value}; it is at {self.state.value}"
            )

    def _transition_check(self, target: EnrollmentState) -> None:
        if target not in ALLOWED_TRANSITIONS[self.state]:
            allowed = ", ".join(sorted(s.value for s in ALLOWED_TRANSITIONS[self.state]))
            raise IllegalTransitionError(
                f"cannot go from {self.state.value} to {target.value}"
                f" (allowed: {allowed or 'none, the enrollment has ended'})"
            )

    def _go(self, target: EnrollmentState) -> None:
        self._transition_check(target)
        now = self._clock()
        source = self.state
        spent = max(0.0, (now - self._entered_at).total_seconds())
        self.step_seconds[source.value] = self.step_seconds.get(source.value, 0.0) + spent
        self.state = target
        self._entered_at = now
        self.history.append((source, target, now))
        self._audit("transition", source, target, seconds_in_step=round(spent, 3))

    def _refused(self, action: str, error: PortalError) -> StepOutcome:
        field_errors: tuple[tuple[str, Bilingual], ...] = ()
        kind = None
        if isinstance(error, PortalProblemError):
            kind = error.kind
            field_errors = tuple((item.field, item.message) for item in error.field_problems)
        self._audit(action, kind=kind, fields=tuple(name for name, _ in field_errors))
        return StepOutcome(self.state, error.message, ok=False, field_errors=field_errors)

    def _token(self) -> str:
        if self.session.token is None:
            raise IllegalTransitionError("an offline session has no portal token")
        return self.session.token

    def _today(self) -> date:
        return self._clock().astimezone(self._local_tz).date()

    def _audit(
        self,
        action: str,
        source: EnrollmentState | None = None,
        target: EnrollmentState | None = None,
        **detail: AuditValue,
    ) -> None:
        self._journal.record(
            AuditEvent(
                enrollment_id=self.id,
                at=self._clock(),
                operator_id=self.session.operator_id,
                station_id=self.station_id,
                action=action,
                from_state=None if source is None else source.value,
                to_state=None if target is None else target.value,
                detail=detail,
            )
        )

    def _show(
        self,
        screen: DisplayScreen,
        *,
        name_en: str | None = None,
        name_ar: str | None = None,
        finger: str | None = None,
        masked_mobile: str | None = None,
        message: Bilingual | None = None,
    ) -> None:
        if name_en is None and self.person is not None:
            name_en, name_ar = self.person.name_en, self.person.name_ar
        elif name_en is None and self._identity is not None:
            name_en, name_ar = self._identity.name_en, self._identity.name_ar
        self._display.show(
            DisplayUpdate(
                screen,
                name_en=name_en,
                name_ar=name_ar,
                finger=finger,
                masked_mobile=masked_mobile,
                message_en=None if message is None else message.en,
                message_ar=None if message is None else message.ar,
            )
        )


def _json_seconds(steps: Mapping[str, float]) -> str:
    return json.dumps({name: round(value, 3) for name, value in steps.items()}, sort_keys=True)
