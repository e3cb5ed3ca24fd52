"""Operator sign-in (argon2id, lockout after repeated failures) and the bearer-token sessions
that later calls carry."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Annotated

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from fastapi import Depends, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import update
from sqlmodel import Session

from portal_mock.audit import record_event
from portal_mock.clock import RIYADH, utc_now
from portal_mock.db import DbSession
from portal_mock.problems import Problem
from portal_mock.settings import PortalSettings
from portal_mock.station_auth import CurrentStation
from portal_mock.tables import Operator, OperatorSession

# argon2-cffi's defaults are RFC 9106's "low memory" argon2id profile (t=3, m=64 MiB, p=4).
_hasher = PasswordHasher()

bearer_scheme = HTTPBearer(
    scheme_name="OperatorToken",
    description="The token from POST /v1/operators/sign-in.",
    auto_error=False,
)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


@cache
def _decoy_hash() -> str:
    # Verifying against a decoy for unknown usernames keeps their answer as slow as a wrong
    # password, so timing does not tell which usernames exist.
    return _hasher.hash(secrets.token_urlsafe(16))


def _token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class SignedIn:
    operator: Operator
    token: str
    expires_at: datetime


def wrong_credentials() -> Problem:
    return Problem(
        401,
        "operator-unauthorized",
        title="Wrong username or password",
        title_ar="اسم المستخدم أو كلمة المرور غير صحيحة",
        detail=(
            "Check the username and password and try again. Repeated failures lock the "
            "operator for a while."
        ),
        detail_ar=(
            "تحقق من اسم المستخدم وكلمة المرور ثم حاول مرة أخرى. تكرار المحاولات الخاطئة يقفل "
            "حساب المشغّل لفترة."
        ),
        headers={"WWW-Authenticate": "Bearer"},
    )


def session_ended() -> Problem:
    return Problem(
        401,
        "operator-unauthorized",
        title="The operator is not signed in",
        title_ar="المشغّل غير مسجّل الدخول",
        detail="The operator session is missing or has ended. Sign in again.",
        detail_ar="جلسة المشغّل غير موجودة أو انتهت. سجّل الدخول مرة أخرى.",
        headers={"WWW-Authenticate": "Bearer"},
    )


def operator_locked(locked_until: datetime) -> Problem:
    local = locked_until.astimezone(RIYADH).strftime("%H:%M")
    return Problem(
        423,
        "operator-locked",
        title="The operator is locked",
        title_ar="حساب المشغّل مقفل",
        detail=(
            f"Too many failed sign-ins: this operator is locked until {local} (Riyadh time). "
            "Wait until then, or ask a supervisor to unlock the account."
        ),
        detail_ar=(
            f"محاولات دخول خاطئة كثيرة: حساب هذا المشغّل مقفل حتى الساعة {local} بتوقيت الرياض. "
            "انتظر حتى ذلك الوقت أو اطلب من المشرف فتح الحساب."
        ),
        extensions={"locked_until": locked_until.isoformat()},
    )


def sign_in(
    session: Session,
    settings: PortalSettings,
    *,
    username: str,
    password: str,
    station_id: str,
    now: datetime,
) -> SignedIn:
    """Check the password and open a session bound to `station_id`, or raise 401 / 423."""
    operator = session.get(Operator, username)
    if operator is None:
        _verify(_decoy_hash(), password)
        record_event(
            session, at=now, action="operator.sign_in", outcome="unknown", station_id=station_id
        )
        raise wrong_credentials()
    if operator.locked_until is not None and operator.locked_until > now:
        record_event(
            session,
            at=now,
            action="operator.sign_in",
            outcome="locked",
            station_id=station_id,
            operator=username,
        )
        raise operator_locked(operator.locked_until)
    if not _verify(operator.password_hash, password):
        _count_failure(session, settings, operator, now)
        record_event(
            session,
            at=now,
            action="operator.sign_in",
            outcome="wrong_password",
            station_id=station_id,
            operator=username,
        )
        raise wrong_credentials()
    return _open_session(session, settings, operator, password, station_id, now)


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _count_failure(
    session: Session, settings: PortalSettings, operator: Operator, now: datetime
) -> None:
    # A lock that has run out starts a fresh count; the increment is one UPDATE so two
    # concurrent failures cannot both read the same old count.
    if operator.locked_until is not None:
        operator.failed_attempts, operator.locked_until = 0, None
        session.add(operator)
        session.commit()
    session.execute(
        update(Operator)
        .where(Operator.username == operator.username)  # type: ignore[arg-type]
        .values(failed_attempts=Operator.failed_attempts + 1)
    )
    session.commit()
    session.refresh(operator)
    if operator.failed_attempts >= settings.lockout_threshold:
        operator.locked_until = now + timedelta(minutes=settings.lockout_minutes)
        operator.failed_attempts = 0
        session.add(operator)
        session.commit()


def _open_session(
    session: Session,
    settings: PortalSettings,
    operator: Operator,
    password: str,
    station_id: str,
    now: datetime,
) -> SignedIn:
    if _hasher.check_needs_rehash(operator.password_hash):
        operator.password_hash = _hasher.hash(password)
    operator.failed_attempts, operator.locked_until = 0, None
    token = secrets.token_urlsafe(32)
    expires_at = now + timedelta(hours=settings.session_hours)
    session.add(operator)
    session.add(
        OperatorSession(
            token_sha256=_token_digest(token),
            username=operator.username,
            station_id=station_id,
            created_at=now,
            expires_at=expires_at,
        )
    )
    session.commit()
    session.refresh(operator)
    record_event(
        session,
        at=now,
        action="operator.sign_in",
        outcome="ok",
        station_id=station_id,
        operator=operator.username,
    )
    return SignedIn(operator, token, expires_at)


@dataclass(frozen=True)
class SignedInOperator:
    username: str
    station_id: str


def require_operator(
    credentials: Annotated[HTTPAuthorizationCredentials | None, Security(bearer_scheme)],
    station: CurrentStation,
    session: DbSession,
) -> SignedInOperator:
    """FastAPI dependency: the operator whose session token this is, at this station, else 401.

    Depends on the station check, so an unsigned request is refused before the token is looked at.
    """
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise session_ended()
    row = session.get(OperatorSession, _token_digest(credentials.credentials))
    # A token is bound to the station it was issued to: stolen from one booth, it is useless
    # at another.
    if row is None or row.expires_at <= utc_now() or row.station_id != station.station_id:
        raise session_ended()
    return SignedInOperator(row.username, row.station_id)


CurrentOperator = Annotated[SignedInOperator, Depends(require_operator)]
