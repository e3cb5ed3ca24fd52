"""One-time SMS codes of an enrollment: 6 digits from `secrets`, kept only as an HMAC, valid
10 minutes, 5 wrong tries, resend with back-off; and the simulated SMS gateway's outbox."""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import structlog
from sqlmodel import Session

from portal_mock import enrollment_problems as problems
from portal_mock.account_tables import EnrollmentDraft, SmsMessage
from portal_mock.credentials import mask_mobile
from portal_mock.data_key import DataKey

CODE_DIGITS = 6
CODE_VALID = timedelta(minutes=10)
MAX_WRONG_CODES = 5
# Wait after the 1st, 2nd, 3rd and later codes before another may be sent.
RESEND_BACKOFF_SECONDS = (30, 60, 120)
MAX_CODES_PER_ENROLLMENT = 5

_log = structlog.get_logger("portal_mock.sms")


@dataclass(frozen=True)
class CodeState:
    """What the station may show about the current code."""

    mobile_masked: str
    code_expires_at: datetime
    resend_available_at: datetime
    attempts_left: int
    codes_sent: int


def new_code() -> str:
    return f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"


def resend_available_at(draft: EnrollmentDraft) -> datetime:
    index = min(draft.codes_sent, len(RESEND_BACKOFF_SECONDS)) - 1
    return draft.code_sent_at + timedelta(seconds=RESEND_BACKOFF_SECONDS[index])


def code_state(draft: EnrollmentDraft) -> CodeState:
    return CodeState(
        mobile_masked=mask_mobile(draft.mobile),
        code_expires_at=draft.code_expires_at,
        resend_available_at=resend_available_at(draft),
        attempts_left=max(0, MAX_WRONG_CODES - draft.code_failed_attempts),
        codes_sent=draft.codes_sent,
    )


def issue_code(draft: EnrollmentDraft, key: DataKey, now: datetime) -> str:
    """Put a fresh code on `draft` (the old one stops working); returns it for sending."""
    code = new_code()
    draft.code_digest = key.code_digest(draft.enrollment_id, code)
    draft.code_sent_at = now
    draft.code_expires_at = now + CODE_VALID
    draft.code_failed_attempts = 0
    return code


def resend_code(draft: EnrollmentDraft, key: DataKey, now: datetime) -> str:
    """A new code, if the back-off allows it; else a 429 (Retry-After) or, past the limit, 409."""
    if draft.codes_sent >= MAX_CODES_PER_ENROLLMENT:
        raise problems.resend_limit_reached(MAX_CODES_PER_ENROLLMENT)
    available = resend_available_at(draft)
    if now < available:
        wait = max(1, int((available - now).total_seconds() + 0.999))
        raise problems.resend_too_early(available, wait)
    draft.codes_sent += 1
    return issue_code(draft, key, now)


def check_code(draft: EnrollmentDraft, key: DataKey, code: str, now: datetime) -> bool:
    """Whether `code` is the current one. Counts a wrong try on the draft (the caller commits);
    raises when no try is allowed any more (expired, or 5 wrong tries)."""
    if draft.code_failed_attempts >= MAX_WRONG_CODES:
        raise problems.code_attempts_exhausted()
    if now >= draft.code_expires_at:
        raise problems.code_expired()
    expected = key.code_digest(draft.enrollment_id, code)
    if hmac.compare_digest(expected, draft.code_digest):
        return True
    draft.code_failed_attempts += 1
    return False


def code_message(code: str) -> str:
    return (
        f"هوية: رمز تفعيل حسابك في البوابة هو {code}، صالح لمدة 10 دقائق. لا تشاركه مع أحد.\n"
        f"Hawiya: your portal activation code is {code}. It is valid for 10 minutes. "
        "Do not share it."
    )


def activated_message(username: str) -> str:
    return (
        f"هوية: تم تفعيل حسابك في البوابة باسم المستخدم {username}.\n"
        f"Hawiya: your portal account {username} is now active."
    )


def send_sms(
    session: Session,
    *,
    to: str,
    kind: str,
    text: str,
    enrollment_id: str,
    now: datetime,
    keep_in_outbox: bool,
) -> None:
    """Hand a message to the SMS gateway. The simulated gateway keeps it in the outbox only in
    simulation mode; otherwise it only logs that a message went out (never its text)."""
    _log.info("sms_sent", to=mask_mobile(to), kind=kind, enrollment_id=enrollment_id)
    if keep_in_outbox:
        session.add(
            SmsMessage(to=to, sent_at=now, kind=kind, enrollment_id=enrollment_id, text=text)
        )
