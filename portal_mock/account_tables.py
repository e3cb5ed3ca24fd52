"""The portal's account tables: enrollment drafts with their SMS code, the SMS outbox of a
simulated portal, accounts, the encrypted enrollment portraits and the idempotency records of
enrollment submissions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import LargeBinary, Text
from sqlmodel import Field, SQLModel

from portal_mock.db import UtcDateTime


class EnrollmentDraft(SQLModel, table=True):
    """An account being created at a station: chosen credentials, the mobile number the SMS
    code went to, and the code's state. Only hashes of the password and of the code are kept."""

    __tablename__ = "portal_enrollment"

    enrollment_id: str = Field(primary_key=True, max_length=36)
    id_number: str = Field(index=True, max_length=10)
    username: str = Field(max_length=20)
    password_hash: str  # argon2id
    mobile: str = Field(max_length=13)  # +9665XXXXXXXX
    email: str | None = Field(default=None, max_length=254)
    station_id: str = Field(max_length=64)
    operator: str = Field(max_length=64)
    created_at: datetime = Field(sa_type=UtcDateTime)
    expires_at: datetime = Field(sa_type=UtcDateTime)
    # The current code: HMAC-SHA256 under the portal's data key, so a leaked database does not
    # give the codes away to a 10^6 brute force.
    code_digest: str = Field(max_length=64)
    code_sent_at: datetime = Field(sa_type=UtcDateTime)
    code_expires_at: datetime = Field(sa_type=UtcDateTime)
    code_failed_attempts: int = 0
    codes_sent: int = 1
    code_verified_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    submitted_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    evidence_json: str | None = Field(default=None, sa_type=Text)  # without the portrait


class SmsMessage(SQLModel, table=True):
    """A text message the simulated SMS gateway sent; kept only in simulation mode, where the
    simulated citizen's phone reads it back."""

    __tablename__ = "portal_sms_outbox"

    id: int | None = Field(default=None, primary_key=True)
    to: str = Field(index=True, max_length=13)
    sent_at: datetime = Field(sa_type=UtcDateTime, index=True)
    kind: str = Field(max_length=32)  # "activation_code" | "account_activated"
    enrollment_id: str = Field(max_length=36)
    text: str = Field(sa_type=Text)  # Arabic line, then English line


class PortalAccount(SQLModel, table=True):
    """An activated e-services account. One per person; usernames unique ignoring case."""

    __tablename__ = "portal_account"

    account_id: str = Field(primary_key=True, max_length=36)
    id_number: str = Field(unique=True, max_length=10)
    username: str = Field(max_length=20)
    username_key: str = Field(unique=True, max_length=20)  # lower case, for uniqueness
    password_hash: str
    mobile: str = Field(max_length=13)
    email: str | None = Field(default=None, max_length=254)
    enrollment_id: str = Field(unique=True, max_length=36)
    station_id: str = Field(max_length=64)
    operator: str = Field(max_length=64)
    activated_at: datetime = Field(sa_type=UtcDateTime)


class EnrollmentPortrait(SQLModel, table=True):
    """The portrait selected at enrollment, sealed with AES-256-GCM (never stored in clear)."""

    __tablename__ = "portal_enrollment_portrait"

    enrollment_id: str = Field(primary_key=True, max_length=36)
    key_id: str = Field(max_length=16)  # which data key sealed it (rotation)
    nonce: bytes = Field(sa_type=LargeBinary)
    sealed_jpeg: bytes = Field(sa_type=LargeBinary)


class SubmittedEnrollment(SQLModel, table=True):
    """The answer given to one Idempotency-Key of one station: a repeat of the same request
    gets the same answer, a different request under the same key is refused."""

    __tablename__ = "portal_enrollment_submission"

    station_id: str = Field(primary_key=True, max_length=64)
    idempotency_key: str = Field(primary_key=True, max_length=128)
    request_sha256: str = Field(max_length=64)
    enrollment_id: str = Field(max_length=36)
    status_code: int
    answer_json: str = Field(sa_type=Text)
    created_at: datetime = Field(sa_type=UtcDateTime)


class AccountFlag(SQLModel, table=True):
    """A mark on an account for a later review, e.g. `fingerprint_exception`: enrolled on a
    supervisor's exception instead of a matched fingerprint. A table of its own, so a portal
    database made before flags existed gains it without a migration."""

    __tablename__ = "portal_account_flag"

    account_id: str = Field(primary_key=True, foreign_key="portal_account.account_id")
    flag: str = Field(primary_key=True, max_length=32)
    enrollment_id: str = Field(index=True, max_length=36)
    id_number: str = Field(index=True, max_length=10)
    flagged_at: datetime = Field(sa_type=UtcDateTime, index=True)
    detail_json: str = Field(sa_type=Text)  # what the reviewer needs: fingers, supervisor, ...
    reviewed_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    reviewed_by: str | None = Field(default=None, max_length=64)
