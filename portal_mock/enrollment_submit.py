"""The enrollment submit: check the evidence, create and activate the account, seal the portrait,
all in one transaction; and answer a repeat of the same Idempotency-Key with the first answer."""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from fixtures.records import Person
from portal_mock import enrollment_problems as problems
from portal_mock.account_tables import (
    AccountFlag,
    EnrollmentDraft,
    EnrollmentPortrait,
    PortalAccount,
    SubmittedEnrollment,
)
from portal_mock.audit import record_event
from portal_mock.clock import utc_now
from portal_mock.credentials import mask_mobile, username_key, username_taken_error
from portal_mock.data_key import DataKey, Sealed
from portal_mock.enrollment_schemas import (
    MAX_PORTRAIT_BYTES,
    AccountActivated,
    FingerprintExceptionEvidence,
    SubmitEnrollmentRequest,
)
from portal_mock.enrollments import Outbox, check_can_enroll, open_draft, username_is_taken
from portal_mock.operator_auth import SignedInOperator
from portal_mock.problems import Problem, validation_problem
from portal_mock.sms_codes import activated_message, send_sms
from portal_mock.tables import FingerprintVerification, Operator
from portal_mock.validation import FieldError

IDEMPOTENCY_HEADER = "Idempotency-Key"
_IDEMPOTENCY_KEY = re.compile(r"[A-Za-z0-9_-]{8,128}")
# A verification older than this does not vouch for the person at the booth now.
FINGERPRINT_VALID = timedelta(hours=2)
# A supervisor's fingerprint exception stands only on the booth's 3 tries of a finger (the
# enrollment core's limit), each a real verification that did not match.
EXCEPTION_MIN_FAILED_TRIES = 3
SUPERVISOR_ROLE = "supervisor"
FINGERPRINT_EXCEPTION_FLAG = "fingerprint_exception"
# Consent recorded in the future means a wrong station clock; a little skew is tolerated.
_CONSENT_SKEW = timedelta(minutes=5)
ACTION = "enrollment.submit"


@dataclass(frozen=True)
class Answer:
    """What to send back: the status, the JSON body, and whether it is a replay."""

    status: int
    body: dict[str, Any]
    replayed: bool


def request_digest(path: str, body: bytes) -> str:
    """SHA-256 over the path and the body's JSON in canonical form, so the same submission
    serialised with other spacing or key order is still the same request."""
    try:
        canonical = json.dumps(
            json.loads(body), sort_keys=True, separators=(",", ":"), ensure_ascii=False
        )
    except ValueError:
        canonical = body.decode("utf-8", "replace")
    return hashlib.sha256(f"{path}\n{canonical}".encode()).hexdigest()


def checked_idempotency_key(value: str | None) -> str:
    if value is None or not _IDEMPOTENCY_KEY.fullmatch(value):
        raise problems.idempotency_key_missing()
    return value


def submit_enrollment(
    session: Session,
    *,
    enrollment_id: str,
    body: SubmitEnrollmentRequest,
    idempotency_key: str,
    digest: str,
    operator: SignedInOperator,
    key: DataKey,
    outbox: Outbox,
    now: datetime,
) -> Answer:
    """The answer to this submission: a replay of the first, or a new account, or a problem."""
    earlier = _earlier_answer(session, operator.station_id, idempotency_key, digest)
    if earlier is not None:
        return earlier
    try:
        return _activate(
            session,
            enrollment_id=enrollment_id,
            body=body,
            idempotency_key=idempotency_key,
            digest=digest,
            operator=operator,
            key=key,
            outbox=outbox,
            now=now,
        )
    except IntegrityError:
        # A concurrent request won the race: with the same key, it left its answer to replay;
        # otherwise the account (or the username) it created is why this one cannot be made.
        session.rollback()
        earlier = _earlier_answer(session, operator.station_id, idempotency_key, digest)
        if earlier is not None:
            return earlier
        draft = session.get(EnrollmentDraft, enrollment_id)
        person = session.get(Person, draft.id_number) if draft is not None else None
        if person is not None and person.has_portal_account:
            raise problems.already_registered() from None
        raise validation_problem([username_taken_error()]) from None


def _earlier_answer(
    session: Session, station_id: str, idempotency_key: str, digest: str
) -> Answer | None:
    row = session.get(SubmittedEnrollment, (station_id, idempotency_key))
    if row is None:
        return None
    if row.request_sha256 != digest:
        raise problems.idempotency_key_reused()
    return Answer(row.status_code, json.loads(row.answer_json), replayed=True)


def _activate(
    session: Session,
    *,
    enrollment_id: str,
    body: SubmitEnrollmentRequest,
    idempotency_key: str,
    digest: str,
    operator: SignedInOperator,
    key: DataKey,
    outbox: Outbox,
    now: datetime,
) -> Answer:
    draft = open_draft(session, enrollment_id, operator, now)
    person = session.get(Person, draft.id_number)
    assert person is not None  # a draft is only made for a person on the record

    def audit(outcome: str) -> None:
        record_event(
            session,
            at=now,
            action=ACTION,
            outcome=outcome,
            station_id=operator.station_id,
            operator=operator.username,
            subject_id_number=draft.id_number,
        )

    try:
        check_can_enroll(session, person, now)
        if draft.code_verified_at is None:
            raise problems.code_not_verified()
        portrait = _checked_evidence(
            body, operator, now, _supervisor_errors(session, body.fingerprint_exception, operator)
        )
        _check_fingerprint(session, body, draft.id_number)
        if username_is_taken(session, draft.username):
            raise validation_problem([username_taken_error()])
    except Problem as problem:
        session.rollback()
        audit(problem.kind)
        raise
    account = PortalAccount(
        account_id=str(uuid.uuid4()),
        id_number=draft.id_number,
        username=draft.username,
        username_key=username_key(draft.username),
        password_hash=draft.password_hash,
        mobile=draft.mobile,
        email=draft.email,
        enrollment_id=draft.enrollment_id,
        station_id=operator.station_id,
        operator=operator.username,
        activated_at=now,
    )
    exception = body.fingerprint_exception
    answer = AccountActivated(
        account_id=account.account_id,
        enrollment_id=draft.enrollment_id,
        id_number=draft.id_number,
        username=draft.username,
        activated_at=now,
        mobile_masked=mask_mobile(draft.mobile),
        flags=[] if exception is None else [FINGERPRINT_EXCEPTION_FLAG],
    ).model_dump(mode="json")
    sealed = key.seal(portrait, _portrait_context(draft))
    session.add(
        EnrollmentPortrait(
            enrollment_id=draft.enrollment_id,
            key_id=sealed.key_id,
            nonce=sealed.nonce,
            sealed_jpeg=sealed.ciphertext,
        )
    )
    draft.submitted_at = now
    # Everything but the portrait, which is only kept sealed.
    draft.evidence_json = body.model_dump_json(exclude={"portrait"})
    person.has_portal_account = True
    person.portal_username = draft.username
    session.add_all([account, draft, person])
    if exception is not None:
        session.flush()  # the account row first: the flag's foreign key names it
        session.add(_exception_flag(account, exception, operator, now))
    session.add(
        SubmittedEnrollment(
            station_id=operator.station_id,
            idempotency_key=idempotency_key,
            request_sha256=digest,
            enrollment_id=draft.enrollment_id,
            status_code=201,
            answer_json=json.dumps(answer),
            created_at=now,
        )
    )
    send_sms(
        session,
        to=draft.mobile,
        kind="account_activated",
        text=activated_message(draft.username),
        enrollment_id=draft.enrollment_id,
        now=now,
        keep_in_outbox=outbox.keep_messages,
    )
    session.commit()
    audit("activated")
    if exception is not None:
        # The supervisor's act, under the supervisor's name, beside the operator's submit.
        record_event(
            session,
            at=now,
            action="enrollment.fingerprint_exception",
            outcome="flagged_for_review",
            station_id=operator.station_id,
            operator=exception.supervisor_id,
            subject_id_number=draft.id_number,
        )
    return Answer(201, answer, replayed=False)


def _exception_flag(
    account: PortalAccount,
    exception: FingerprintExceptionEvidence,
    operator: SignedInOperator,
    now: datetime,
) -> AccountFlag:
    detail = {
        "fingers": [finger.model_dump() for finger in exception.fingers],
        "supervisor_id": exception.supervisor_id,
        "approved_at": None if exception.approved_at is None else exception.approved_at.isoformat(),
        "note": exception.note,
        "operator": operator.username,
        "station_id": operator.station_id,
    }
    return AccountFlag(
        account_id=account.account_id,
        flag=FINGERPRINT_EXCEPTION_FLAG,
        enrollment_id=account.enrollment_id,
        id_number=account.id_number,
        flagged_at=now,
        detail_json=json.dumps(detail, ensure_ascii=False),
    )


def _portrait_context(draft: EnrollmentDraft) -> bytes:
    # Bound into the GCM tag: a sealed portrait moved to another enrollment row fails to open.
    return f"hawiya-portrait\x00{draft.enrollment_id}\x00{draft.id_number}".encode()


def open_portrait(session: Session, draft: EnrollmentDraft, key: DataKey) -> bytes | None:
    """The enrollment's portrait JPEG, unsealed (for the portal's own use; never served)."""
    row = session.get(EnrollmentPortrait, draft.enrollment_id)
    if row is None:
        return None
    return key.open(Sealed(row.key_id, row.nonce, row.sealed_jpeg), _portrait_context(draft))


def _error(field: str, message: str, message_ar: str) -> FieldError:
    return FieldError(field=field, message=message, message_ar=message_ar)


def _missing(field: str) -> FieldError:
    return _error(
        field,
        "This evidence is missing; the station must send it.",
        "هذا الدليل غير موجود؛ يجب أن ترسله المحطة.",
    )


def _checked_evidence(
    body: SubmitEnrollmentRequest,
    operator: SignedInOperator,
    now: datetime,
    found: list[FieldError],
) -> bytes:
    """The portrait JPEG, once every part of the evidence is present and passes; else the
    `evidence-incomplete` problem listing each part that is missing or fails (with the errors
    `found` already, e.g. by the database checks)."""
    errors: list[FieldError] = list(found)
    passive = body.passive_authentication
    face = body.face
    if passive is None:
        errors.append(_missing("passive_authentication"))
    elif passive.source == "card" and passive.result != "passed":
        errors.append(
            _error(
                "passive_authentication.result",
                "The card's passive authentication did not pass; the card cannot be trusted.",
                "لم ينجح التحقق السلبي من البطاقة؛ لا يمكن الوثوق بالبطاقة.",
            )
        )
    elif (
        passive.source == "manual_entry"
        and face is not None
        and face.reference != ("reference_photo")
    ):
        errors.append(
            _error(
                "face.reference",
                "Without the card, the face must be matched against the portal's reference photo.",
                "من دون البطاقة يجب مطابقة الوجه مع الصورة المرجعية في البوابة.",
            )
        )
    if body.fingerprint is None and body.fingerprint_exception is None:
        errors.append(_missing("fingerprint"))
    elif body.fingerprint is not None and body.fingerprint_exception is not None:
        errors.append(
            _error(
                "fingerprint_exception",
                "Send either a matched fingerprint verification or a supervisor's exception, "
                "not both.",
                "أرسل إما تحقق بصمة مطابقًا وإما استثناءً من المشرف، لا كليهما.",
            )
        )
    if face is None:
        errors.append(_missing("face"))
    elif face.score < face.threshold:
        errors.append(
            _error(
                "face.score",
                f"The face match score {face.score:.3f} is below the threshold "
                f"{face.threshold:.3f}.",
                f"درجة مطابقة الوجه {face.score:.3f} أقل من الحد {face.threshold:.3f}.",
            )
        )
    liveness = body.liveness
    if liveness is None:
        errors.append(_missing("liveness"))
    elif not liveness.passed or not liveness.checks or not all(c.passed for c in liveness.checks):
        errors.append(
            _error(
                "liveness",
                "The liveness checks did not all pass.",
                "لم تنجح جميع فحوص الحيوية.",
            )
        )
    portrait = _portrait(body, errors)
    consent = body.consent
    if consent is None:
        errors.append(_missing("consent"))
    elif not consent.text_version.strip() or consent.accepted_at > now + _CONSENT_SKEW:
        errors.append(
            _error(
                "consent",
                "The consent record needs the text version and a time of acceptance that is "
                "not in the future.",
                "يحتاج سجل الموافقة إلى إصدار النص ووقت قبول ليس في المستقبل.",
            )
        )
    if body.operator_id is None:
        errors.append(_missing("operator_id"))
    elif body.operator_id != operator.username:
        errors.append(
            _error(
                "operator_id",
                "The operator named in the evidence is not the one signed in.",
                "المشغّل المذكور في الأدلة ليس المشغّل المسجّل دخوله.",
            )
        )
    if body.station_id is None:
        errors.append(_missing("station_id"))
    elif body.station_id != operator.station_id:
        errors.append(
            _error(
                "station_id",
                "The station named in the evidence is not the one that signed the request.",
                "المحطة المذكورة في الأدلة ليست المحطة التي وقّعت الطلب.",
            )
        )
    if errors:
        raise problems.evidence_incomplete(errors)
    assert portrait is not None
    return portrait


def _portrait(body: SubmitEnrollmentRequest, errors: list[FieldError]) -> bytes | None:
    if body.portrait is None:
        errors.append(_missing("portrait"))
        return None
    try:
        jpeg = base64.b64decode(body.portrait.jpeg_base64, validate=True)
    except (binascii.Error, ValueError):
        jpeg = b""
    # JPEG starts with SOI + a marker and ends with EOI.
    if not (jpeg.startswith(b"\xff\xd8\xff") and jpeg.rstrip(b"\x00").endswith(b"\xff\xd9")):
        errors.append(
            _error(
                "portrait.jpeg_base64",
                "The portrait is not a JPEG image in base64.",
                "الصورة الشخصية ليست صورة JPEG بترميز base64.",
            )
        )
        return None
    if len(jpeg) > MAX_PORTRAIT_BYTES:
        errors.append(
            _error(
                "portrait.jpeg_base64",
                f"The portrait is {len(jpeg)} bytes; at most {MAX_PORTRAIT_BYTES} are accepted.",
                f"حجم الصورة {len(jpeg)} بايت؛ الحد الأقصى {MAX_PORTRAIT_BYTES}.",
            )
        )
        return None
    return jpeg


def _supervisor_errors(
    session: Session,
    exception: FingerprintExceptionEvidence | None,
    operator: SignedInOperator,
) -> list[FieldError]:
    """Who approved the exception: a supervisor on the portal's roll, not the operator who
    submits (four eyes)."""
    if exception is None:
        return []
    field = "fingerprint_exception.supervisor_id"
    supervisor = session.get(Operator, exception.supervisor_id)
    if supervisor is None or supervisor.role != SUPERVISOR_ROLE:
        return [
            _error(
                field,
                f"{exception.supervisor_id!r} is not a supervisor at the portal: only a "
                "supervisor may approve a fingerprint exception.",
                f"{exception.supervisor_id!r} ليس مشرفًا في البوابة: لا يعتمد استثناء البصمة "
                "إلا مشرف.",
            )
        ]
    if supervisor.username == operator.username:
        return [
            _error(
                field,
                "The supervisor who approves an exception must be someone other than the "
                "operator who submits the enrollment.",
                "يجب أن يكون المشرف الذي يعتمد الاستثناء شخصًا غير المشغّل الذي يرسل التسجيل.",
            )
        ]
    return []


def _check_fingerprint(session: Session, body: SubmitEnrollmentRequest, id_number: str) -> None:
    if body.fingerprint is None:
        assert body.fingerprint_exception is not None  # checked with the rest of the evidence
        _check_exception_tries(session, body.fingerprint_exception, id_number)
        return
    verification = session.get(FingerprintVerification, body.fingerprint.verification_id)
    if verification is None or verification.id_number != id_number:
        raise problems.fingerprint_not_verified(
            "The portal has no fingerprint verification with this id for this person.",
            "لا يوجد لدى البوابة تحقق بصمة بهذا المعرّف لهذا الشخص.",
        )
    if not verification.is_match:
        raise problems.fingerprint_not_verified(
            "The cited fingerprint verification did not match.",
            "تحقق البصمة المذكور لم يكن مطابقًا.",
        )
    # Real time, as the verification was stamped: the simulated clock drives the SMS timers.
    if verification.at < utc_now() - FINGERPRINT_VALID:
        raise problems.fingerprint_not_verified(
            "The cited fingerprint verification is too old.",
            "تحقق البصمة المذكور قديم جدًا.",
        )


def _check_exception_tries(
    session: Session, exception: FingerprintExceptionEvidence, id_number: str
) -> None:
    """The failed tries an exception cites are this person's real verifications, of the finger
    named, that did not match, recent; at least 3 per finger (an amputated finger cannot be
    tried), and 3 on at least one finger. Else `fingerprint-not-verified`, naming each fault."""
    cited = [vid for finger in exception.fingers for vid in finger.failed_verification_ids]
    rows = session.exec(
        select(FingerprintVerification).where(
            col(FingerprintVerification.verification_id).in_(cited)
        )
    ).all()
    known = {row.verification_id: row for row in rows}
    oldest = utc_now() - FINGERPRINT_VALID  # real time, as the verifications were stamped
    faults: list[tuple[str, str]] = []
    positions = [finger.finger_position for finger in exception.fingers]
    if len(set(positions)) != len(positions):
        faults.append(("A finger is named twice.", "ذُكر إصبع مرتين."))
    if len(set(cited)) != len(cited):
        faults.append(("A verification is cited twice.", "ذُكر تحقق مرتين."))
    tried_enough = False
    for finger in exception.fingers:
        failed = 0
        for vid in dict.fromkeys(finger.failed_verification_ids):
            row = known.get(vid)
            fault = _tried_fault(row, vid, finger.finger_position, id_number, oldest)
            if fault is None:
                failed += 1
            else:
                faults.append(fault)
        tried_enough = tried_enough or failed >= EXCEPTION_MIN_FAILED_TRIES
        if failed < EXCEPTION_MIN_FAILED_TRIES and finger.reason != "amputated":
            faults.append(
                (
                    f"Finger {finger.finger_position} has {failed} failed verifications; an "
                    f"exception needs at least {EXCEPTION_MIN_FAILED_TRIES}.",
                    f"للإصبع {finger.finger_position} عدد {failed} من محاولات التحقق الفاشلة؛ "
                    f"يحتاج الاستثناء إلى {EXCEPTION_MIN_FAILED_TRIES} على الأقل.",
                )
            )
    if not tried_enough and not faults:
        faults.append(
            (
                f"An exception needs {EXCEPTION_MIN_FAILED_TRIES} failed verifications of at "
                "least one finger.",
                f"يحتاج الاستثناء إلى {EXCEPTION_MIN_FAILED_TRIES} محاولات تحقق فاشلة لإصبع "
                "واحد على الأقل.",
            )
        )
    if faults:
        raise problems.fingerprint_not_verified(
            "The fingerprint exception does not stand: " + " ".join(en for en, _ in faults),
            "استثناء البصمة غير مقبول: " + " ".join(ar for _, ar in faults),
        )


def _tried_fault(
    row: FingerprintVerification | None,
    verification_id: str,
    finger_position: int,
    id_number: str,
    oldest: datetime,
) -> tuple[str, str] | None:
    """Why a cited verification is not a failed try of this finger of this person, if it is not."""
    short = verification_id[:36]
    if row is None or row.id_number != id_number:
        return (
            f"The portal has no fingerprint verification {short} for this person.",
            f"لا يوجد لدى البوابة تحقق بصمة {short} لهذا الشخص.",
        )
    if row.finger_position != finger_position:
        return (
            f"Verification {short} was of finger {row.finger_position}, not {finger_position}.",
            f"التحقق {short} كان للإصبع {row.finger_position} وليس {finger_position}.",
        )
    if row.is_match:
        return (
            f"Verification {short} matched: cite it as the fingerprint verification instead.",
            f"التحقق {short} مطابق: اذكره تحققًا للبصمة بدلًا من الاستثناء.",
        )
    if row.at < oldest:
        return (
            f"Verification {short} is too old.",
            f"التحقق {short} قديم جدًا.",
        )
    return None
