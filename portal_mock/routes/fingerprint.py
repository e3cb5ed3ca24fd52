"""`POST /v1/fingerprint/verify`: 1:1 verification of a captured template against the national
record's reference templates of that finger."""

from __future__ import annotations

import base64
import binascii
import uuid
from datetime import datetime, timedelta

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import func
from sqlmodel import Session, select

from fixtures.records import Person
from matcher.fingerprint import (
    FingerMinutiaeRecord,
    TemplateFormatError,
    compare_templates,
    decode_template,
)
from portal_mock.audit import record_event
from portal_mock.clock import utc_now
from portal_mock.db import DbSession
from portal_mock.fingerprint_records import missing_fingers, reference_templates
from portal_mock.operator_auth import CurrentOperator
from portal_mock.problems import Problem, not_found_problem
from portal_mock.routes.responses import problem_responses
from portal_mock.tables import AuditEvent, FingerprintVerification
from portal_mock.validation import FieldError

router = APIRouter(prefix="/v1/fingerprint", tags=["fingerprint"])

ALGORITHM = "hawiya-mcc-1"
# An ISO 19794-2 record of one view with the format's 255-minutiae maximum is 1,558 bytes;
# anything much larger is not a single-finger template.
MAX_TEMPLATE_BYTES = 4096
# Fewer minutiae than this cannot carry a reliable 1:1 decision (ISO/IEC 19794-2 profiles and
# FVC practice put the floor at about a dozen); the station should recapture instead.
MIN_MINUTIAE = 12
MAX_MINUTIAE = 255
ATTEMPTS_PER_PERSON_PER_HOUR = 10
ACTION = "fingerprint.verify"


class VerifyRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id_number: str = Field(pattern=r"^[12][0-9]{9}$")
    finger_position: int = Field(ge=1, le=10, description="ISO/IEC 19794-2 finger position")
    template: str = Field(
        min_length=1,
        # Generous: the decoded size is checked below, with a message that names the limit.
        max_length=2 * MAX_TEMPLATE_BYTES,
        description="ISO/IEC 19794-2:2005 finger minutiae record, base64",
    )


class VerifyResponse(BaseModel):
    verification_id: str
    id_number: str
    finger_position: int
    score: float
    decision: str  # "match" | "no_match"
    threshold: float
    algorithm: str
    references_compared: int
    verified_at: datetime


def _template_problem(message: str, message_ar: str) -> Problem:
    error = FieldError(field="template", message=message, message_ar=message_ar)
    return Problem(
        422,
        "validation",
        title="The fingerprint template is not usable",
        title_ar="قالب البصمة غير صالح للاستخدام",
        detail=f"{message} Capture the finger again and send the new template.",
        detail_ar=f"{message_ar} التقط البصمة مرة أخرى وأرسل القالب الجديد.",
        extensions={"errors": [error.model_dump()]},
    )


def _decode(body: VerifyRequest) -> tuple[bytes, FingerMinutiaeRecord]:
    try:
        raw = base64.b64decode(body.template, validate=True)
    except (binascii.Error, ValueError):
        raise _template_problem(
            "The template is not valid base64.", "القالب ليس بترميز base64 صحيح."
        ) from None
    if len(raw) > MAX_TEMPLATE_BYTES:
        raise _template_problem(
            f"The template is {len(raw)} bytes; at most {MAX_TEMPLATE_BYTES} are accepted.",
            f"حجم القالب {len(raw)} بايت؛ الحد الأقصى {MAX_TEMPLATE_BYTES}.",
        )
    try:
        record = decode_template(raw)
    except TemplateFormatError as error:
        raise _template_problem(
            f"The template is not an ISO/IEC 19794-2:2005 record: {error}",
            "القالب ليس سجلًا صحيحًا وفق المعيار ISO/IEC 19794-2:2005.",
        ) from None
    if len(record.views) != 1:
        raise _template_problem(
            f"The template holds {len(record.views)} finger views; send exactly one.",
            f"يحتوي القالب على {len(record.views)} من صور الإصبع؛ أرسل صورة واحدة فقط.",
        )
    count = len(record.views[0].minutiae)
    if not MIN_MINUTIAE <= count <= MAX_MINUTIAE:
        raise _template_problem(
            f"The template has {count} minutiae; {MIN_MINUTIAE} to {MAX_MINUTIAE} are needed.",
            f"يحتوي القالب على {count} من النقاط المميزة؛ المطلوب من {MIN_MINUTIAE} "
            f"إلى {MAX_MINUTIAE}.",
        )
    return raw, record


def _attempts_last_hour(session: Session, id_number: str, now: datetime) -> int:
    count = session.exec(
        select(func.count())
        .select_from(AuditEvent)
        .where(
            AuditEvent.subject_id_number == id_number,
            AuditEvent.action == ACTION,
            AuditEvent.at > now - timedelta(hours=1),
        )
    ).one()
    return int(count)


def _rate_limited(retry_after: int) -> Problem:
    return Problem(
        429,
        "rate-limited",
        title="Too many fingerprint attempts for this person",
        title_ar="محاولات بصمة كثيرة لهذا الشخص",
        detail=(
            f"This person had {ATTEMPTS_PER_PERSON_PER_HOUR} fingerprint verifications in the "
            "last hour. Wait before trying again, or ask a supervisor for an exception."
        ),
        detail_ar=(
            f"أُجري لهذا الشخص {ATTEMPTS_PER_PERSON_PER_HOUR} محاولات تحقق بالبصمة خلال الساعة "
            "الماضية. انتظر قبل المحاولة مرة أخرى أو اطلب استثناءً من المشرف."
        ),
        headers={"Retry-After": str(retry_after)},
    )


def _no_reference(position: int) -> Problem:
    return Problem(
        409,
        "no-reference",
        title="No reference for this finger",
        title_ar="لا توجد بصمة مرجعية لهذا الإصبع",
        detail=(
            f"The national record holds no fingerprint for finger {position} of this person "
            "(missing or not enrolled). Capture another finger, or record an exception."
        ),
        detail_ar=(
            f"لا يحتوي السجل الوطني على بصمة للإصبع {position} لهذا الشخص (مفقود أو غير مسجل). "
            "التقط إصبعًا آخر أو سجّل استثناءً."
        ),
        extensions={"finger_position": position},
    )


@router.post(
    "/verify",
    summary="Verify a fingerprint template 1:1 against the person's national record",
    responses=problem_responses(401, 404, 409, 422, 429),
)
def verify_fingerprint(
    request: Request,
    body: VerifyRequest,
    operator: CurrentOperator,
    session: DbSession,
) -> VerifyResponse:
    now = utc_now()
    person = session.get(Person, body.id_number)
    if person is None:
        raise not_found_problem()

    def audit(outcome: str) -> None:
        record_event(
            session,
            at=now,
            action=ACTION,
            outcome=outcome,
            station_id=operator.station_id,
            operator=operator.username,
            subject_id_number=body.id_number,
        )

    if _attempts_last_hour(session, body.id_number, now) >= ATTEMPTS_PER_PERSON_PER_HOUR:
        audit("rate_limited")
        raise _rate_limited(retry_after=3600)
    try:
        probe, record = _decode(body)
    except Problem:
        audit("bad_template")
        raise
    if body.finger_position in missing_fingers(person):
        audit("no_reference")
        raise _no_reference(body.finger_position)
    references = reference_templates(
        session, request.app.state.reference_fingerprints, person, body.finger_position, now
    )
    if not references:
        audit("no_reference")
        raise _no_reference(body.finger_position)
    best = max(
        (compare_templates(probe, reference) for reference in references),
        key=lambda result: result.score,
    )
    verification = FingerprintVerification(
        verification_id=str(uuid.uuid4()),
        at=now,
        station_id=operator.station_id,
        operator=operator.username,
        id_number=body.id_number,
        finger_position=body.finger_position,
        score=best.score,
        is_match=best.is_match,
        threshold=best.threshold,
        algorithm=ALGORITHM,
        probe_minutiae=len(record.views[0].minutiae),
    )
    answer = VerifyResponse(
        verification_id=verification.verification_id,
        id_number=body.id_number,
        finger_position=body.finger_position,
        score=round(best.score, 6),
        decision="match" if best.is_match else "no_match",
        threshold=best.threshold,
        algorithm=ALGORITHM,
        references_compared=len(references),
        verified_at=now,
    )
    session.add(verification)
    session.commit()
    audit(answer.decision)
    return answer
