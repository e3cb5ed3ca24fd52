"""The account step of an enrollment: check the chosen credentials and the mobile number's
owner, send the SMS code, verify it, resend it with back-off."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func
from sqlmodel import Session, select

from fixtures.records import MobileLine, Person
from portal_mock import enrollment_problems as problems
from portal_mock.account_tables import EnrollmentDraft, PortalAccount
from portal_mock.audit import record_event
from portal_mock.clock import riyadh_date
from portal_mock.credentials import (
    email_errors,
    mask_mobile,
    mobile_error,
    names_of,
    normalise_mobile,
    password_errors,
    username_errors,
    username_key,
    username_taken_error,
)
from portal_mock.data_key import DataKey
from portal_mock.eligibility import assess
from portal_mock.enrollment_schemas import StartEnrollmentRequest
from portal_mock.operator_auth import SignedInOperator, hash_password
from portal_mock.problems import Problem, not_found_problem, validation_problem
from portal_mock.sms_codes import (
    MAX_WRONG_CODES,
    check_code,
    code_message,
    issue_code,
    resend_code,
    send_sms,
)
from portal_mock.validation import FieldError

# From the code's first send to the submit: a booth enrollment takes minutes, not an hour.
DRAFT_VALID = timedelta(hours=1)
# Each start sends an SMS: this many per person per hour, so a station cannot flood a phone.
STARTS_PER_PERSON_PER_HOUR = 5


@dataclass(frozen=True)
class Outbox:
    """Where the portal's SMS go: kept readable only in simulation mode."""

    keep_messages: bool


def username_is_taken(session: Session, username: str) -> bool:
    key = username_key(username)
    account = session.exec(
        select(PortalAccount.account_id).where(PortalAccount.username_key == key)
    ).first()
    if account is not None:
        return True
    # Accounts that predate this portal live on the national record.
    holder = session.exec(
        select(Person.id_number).where(func.lower(Person.portal_username) == key)
    ).first()
    return holder is not None


def has_account(session: Session, person: Person) -> bool:
    if person.has_portal_account:
        return True
    found = session.exec(
        select(PortalAccount.account_id).where(PortalAccount.id_number == person.id_number)
    ).first()
    return found is not None


def check_can_enroll(session: Session, person: Person, now: datetime) -> None:
    """Raise `ineligible` or `already-registered` as the identity lookup would report them."""
    eligibility, reasons = assess(person, riyadh_date(now))
    if eligibility == "not_eligible":
        raise problems.ineligible(reasons)
    if eligibility == "already_registered" or has_account(session, person):
        raise problems.already_registered()


def owns_mobile(session: Session, id_number: str, mobile: str) -> bool:
    line = session.get(MobileLine, mobile)
    return line is not None and line.owner_id_number == id_number


def start_enrollment(
    session: Session,
    body: StartEnrollmentRequest,
    operator: SignedInOperator,
    key: DataKey,
    outbox: Outbox,
    now: datetime,
) -> EnrollmentDraft:
    """Check everything, open the draft and send the first code; or raise the problem."""
    person = session.get(Person, body.id_number)
    if person is None:
        raise not_found_problem()

    def audit(outcome: str) -> None:
        record_event(
            session,
            at=now,
            action="enrollment.start",
            outcome=outcome,
            station_id=operator.station_id,
            operator=operator.username,
            subject_id_number=body.id_number,
        )

    try:
        check_can_enroll(session, person, now)
        mobile = _checked_fields(session, person, body)
        if not owns_mobile(session, person.id_number, mobile):
            raise problems.mobile_not_registered(mask_mobile(mobile))
        if _starts_last_hour(session, person.id_number, now) >= STARTS_PER_PERSON_PER_HOUR:
            raise problems.resend_too_early(now + timedelta(hours=1), 3600)
    except Problem as problem:
        audit(problem.kind)
        raise
    draft = EnrollmentDraft(
        enrollment_id=str(uuid.uuid4()),
        id_number=person.id_number,
        username=body.username,
        password_hash=hash_password(body.password),
        mobile=mobile,
        email=body.email,
        station_id=operator.station_id,
        operator=operator.username,
        created_at=now,
        expires_at=now + DRAFT_VALID,
        code_digest="",
        code_sent_at=now,
        code_expires_at=now,
    )
    code = issue_code(draft, key, now)
    session.add(draft)
    send_sms(
        session,
        to=mobile,
        kind="activation_code",
        text=code_message(code),
        enrollment_id=draft.enrollment_id,
        now=now,
        keep_in_outbox=outbox.keep_messages,
    )
    session.commit()
    audit("code_sent")
    # The audit's commit expired the row; load it again for the answer.
    session.refresh(draft)
    return draft


def _checked_fields(session: Session, person: Person, body: StartEnrollmentRequest) -> str:
    errors: list[FieldError] = username_errors(body.username, person.id_number)
    if not errors and username_is_taken(session, body.username):
        errors.append(username_taken_error())
    errors += password_errors(
        body.password,
        username=body.username,
        id_number=person.id_number,
        names=names_of(person),
    )
    mobile = normalise_mobile(body.mobile)
    if mobile is None:
        errors.append(mobile_error())
    errors += email_errors(body.email)
    if errors:
        raise validation_problem(errors)
    assert mobile is not None
    return mobile


def _starts_last_hour(session: Session, id_number: str, now: datetime) -> int:
    count = session.exec(
        select(func.count())
        .select_from(EnrollmentDraft)
        .where(
            EnrollmentDraft.id_number == id_number,
            EnrollmentDraft.created_at > now - timedelta(hours=1),
        )
    ).one()
    return int(count)


def open_draft(
    session: Session, enrollment_id: str, operator: SignedInOperator, now: datetime
) -> EnrollmentDraft:
    """The station's draft, still open; else 404, or 409 when it has timed out."""
    draft = session.get(EnrollmentDraft, enrollment_id)
    if draft is None or draft.station_id != operator.station_id:
        raise problems.enrollment_not_found()
    if draft.submitted_at is not None:
        raise problems.already_registered()
    if now >= draft.expires_at:
        raise problems.enrollment_expired()
    return draft


def verify_code(
    session: Session,
    enrollment_id: str,
    code: str,
    operator: SignedInOperator,
    key: DataKey,
    now: datetime,
) -> EnrollmentDraft:
    draft = open_draft(session, enrollment_id, operator, now)
    if draft.code_verified_at is not None:
        return draft  # verifying twice (a retried request) changes nothing

    def audit(outcome: str) -> None:
        record_event(
            session,
            at=now,
            action="enrollment.code_verify",
            outcome=outcome,
            station_id=operator.station_id,
            operator=operator.username,
            subject_id_number=draft.id_number,
        )

    try:
        correct = check_code(draft, key, code, now)
    except Problem as problem:
        audit(problem.kind)
        raise
    if not correct:
        attempts_left = draft.code_failed_attempts
        session.add(draft)
        session.commit()
        session.refresh(draft)
        audit("code-incorrect")
        raise problems.code_incorrect(max(0, MAX_WRONG_CODES - attempts_left))
    draft.code_verified_at = now
    session.add(draft)
    session.commit()
    audit("verified")
    session.refresh(draft)
    return draft


def resend(
    session: Session,
    enrollment_id: str,
    operator: SignedInOperator,
    key: DataKey,
    outbox: Outbox,
    now: datetime,
) -> EnrollmentDraft:
    draft = open_draft(session, enrollment_id, operator, now)
    try:
        if draft.code_verified_at is not None:
            return draft  # nothing to resend: the number is already confirmed
        code = resend_code(draft, key, now)
    except Problem as problem:
        record_event(
            session,
            at=now,
            action="enrollment.code_resend",
            outcome=problem.kind,
            station_id=operator.station_id,
            operator=operator.username,
            subject_id_number=draft.id_number,
        )
        raise
    session.add(draft)
    send_sms(
        session,
        to=draft.mobile,
        kind="activation_code",
        text=code_message(code),
        enrollment_id=draft.enrollment_id,
        now=now,
        keep_in_outbox=outbox.keep_messages,
    )
    session.commit()
    record_event(
        session,
        at=now,
        action="enrollment.code_resend",
        outcome="code_sent",
        station_id=operator.station_id,
        operator=operator.username,
        subject_id_number=draft.id_number,
    )
    session.refresh(draft)
    return draft
