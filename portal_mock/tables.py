"""The portal's own tables: registered stations, operators and their sessions, seen request
ids (replay protection) and the audit trail. The national records live in fixtures.records."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from portal_mock.db import UtcDateTime


class RegisteredStation(SQLModel, table=True):
    """One station certificate the portal accepts signatures from; a station may hold several
    (renewal), each identified by its thumbprint."""

    __tablename__ = "portal_station"

    kid: str = Field(primary_key=True, max_length=64)  # SHA-256 of the certificate DER, hex
    station_id: str = Field(index=True, max_length=64)  # the certificate's subject CN
    cert_pem: str
    not_before: datetime = Field(sa_type=UtcDateTime)
    not_after: datetime = Field(sa_type=UtcDateTime)
    registered_at: datetime = Field(sa_type=UtcDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UtcDateTime)


class Operator(SQLModel, table=True):
    """A person allowed to run a station; the password is kept only as an argon2id hash."""

    __tablename__ = "portal_operator"

    username: str = Field(primary_key=True, max_length=64)
    display_name: str
    role: str = "operator"  # "operator" | "supervisor"
    password_hash: str
    failed_attempts: int = 0
    locked_until: datetime | None = Field(default=None, sa_type=UtcDateTime)


class OperatorSession(SQLModel, table=True):
    """A signed-in operator at one station. Only a SHA-256 of the bearer token is stored, so a
    leaked database does not leak usable tokens."""

    __tablename__ = "portal_operator_session"

    token_sha256: str = Field(primary_key=True, max_length=64)
    username: str = Field(foreign_key="portal_operator.username", index=True)
    station_id: str = Field(max_length=64)
    created_at: datetime = Field(sa_type=UtcDateTime)
    expires_at: datetime = Field(sa_type=UtcDateTime, index=True)


class SeenRequest(SQLModel, table=True):
    """A station signature's `jti`, remembered until its timestamp is too old to be accepted
    anyway; a second request with the same pair is a replay."""

    __tablename__ = "portal_seen_request"

    station_id: str = Field(primary_key=True, max_length=64)
    jti: str = Field(primary_key=True, max_length=128)
    expires_at: datetime = Field(sa_type=UtcDateTime, index=True)


class AuditEvent(SQLModel, table=True):
    """What happened, when, at which station, by which operator, about which person."""

    __tablename__ = "portal_audit_event"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(sa_type=UtcDateTime, index=True)
    station_id: str | None = None
    operator: str | None = None
    action: str  # e.g. "operator.sign_in", "identity.lookup", "station.auth"
    outcome: str  # e.g. "ok", "wrong_password", "eligible", "not_found", "replayed"
    subject_id_number: str | None = Field(default=None, index=True)


class FingerprintReference(SQLModel, table=True):
    """A reference template of one finger of the national record, made once and kept: the
    record's source renders them on first use (a population of 100,000 is never rendered up
    front)."""

    __tablename__ = "portal_fingerprint_reference"

    id_number: str = Field(primary_key=True, max_length=10)
    finger_position: int = Field(primary_key=True)
    impression: int = Field(primary_key=True)
    template: bytes  # ISO/IEC 19794-2:2005 record
    made_at: datetime = Field(sa_type=UtcDateTime)


class FingerprintVerification(SQLModel, table=True):
    """One 1:1 verification the portal answered; the enrollment later cites its id."""

    __tablename__ = "portal_fingerprint_verification"

    verification_id: str = Field(primary_key=True, max_length=36)
    at: datetime = Field(sa_type=UtcDateTime, index=True)
    station_id: str = Field(max_length=64)
    operator: str = Field(max_length=64)
    id_number: str = Field(index=True, max_length=10)
    finger_position: int
    score: float
    is_match: bool
    threshold: float
    algorithm: str
    probe_minutiae: int
