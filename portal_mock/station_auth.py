"""Identifies the calling station by the ES256 signature on each request (docs/portal-api.md,
"Station request signature"): the TLS layer only proves the certificate came from the station CA.
"""

from __future__ import annotations

import base64
import hashlib
import re
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Annotated, Any

import jwt
import structlog
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec
from fastapi import Depends, Request, Security
from fastapi.security import APIKeyHeader
from sqlalchemy import delete, insert
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from portal_mock.audit import record_event
from portal_mock.clock import utc_now
from portal_mock.db import DbSession
from portal_mock.problems import Problem
from portal_mock.tables import OperatorSession, RegisteredStation, SeenRequest

SIGNATURE_HEADER = "Hawiya-Signature"
SIGNATURE_TYPE = "hawiya-request+jwt"
_REQUIRED_CLAIMS = ("sub", "htm", "htu", "bdh", "iat", "jti")
_KID = re.compile(r"[0-9a-f]{64}")
_MAX_JTI_LENGTH = 128
# Expired replay records and operator sessions are deleted at most this often.
_PRUNE_INTERVAL_SECONDS = 30.0

_log = structlog.get_logger("portal_mock.station_auth")

signature_header = APIKeyHeader(
    name=SIGNATURE_HEADER,
    scheme_name="StationSignature",
    description="Compact ES256 JWS over method, path, body digest, time and a nonce.",
    auto_error=False,
)


@dataclass(frozen=True)
class AuthenticatedStation:
    station_id: str
    kid: str


# Why a signature was refused -> (English detail, Arabic detail); each says what to do next.
_REASONS: dict[str, tuple[str, str]] = {
    "missing_signature": (
        "The request carries no station signature. Update the station software; every request "
        "needs a Hawiya-Signature header.",
        "الطلب لا يحمل توقيع المحطة. حدّث برنامج المحطة؛ كل طلب يحتاج إلى ترويسة Hawiya-Signature.",
    ),
    "malformed_signature": (
        "The station signature cannot be read. Update the station software and try again.",
        "تعذرت قراءة توقيع المحطة. حدّث برنامج المحطة ثم حاول مرة أخرى.",
    ),
    "unknown_station": (
        "This station is not registered at the portal. Ask the administrator to register the "
        "station's certificate.",
        "هذه المحطة غير مسجلة في البوابة. اطلب من المسؤول تسجيل شهادة المحطة.",
    ),
    "bad_signature": (
        "The station signature does not verify. Check that the station uses its own key and "
        "certificate.",
        "توقيع المحطة غير صحيح. تأكد من أن المحطة تستخدم مفتاحها وشهادتها.",
    ),
    "station_revoked": (
        "This station's certificate has been revoked. Contact the administrator to register "
        "a new certificate.",
        "أُلغيت شهادة هذه المحطة. تواصل مع المسؤول لتسجيل شهادة جديدة.",
    ),
    "certificate_expired": (
        "This station's certificate has expired. Ask the administrator for a new certificate.",
        "انتهت صلاحية شهادة هذه المحطة. اطلب من المسؤول شهادة جديدة.",
    ),
    "certificate_not_yet_valid": (
        "This station's certificate is not valid yet. Check the station's date and time.",
        "شهادة هذه المحطة لم تصبح سارية بعد. تحقق من تاريخ ووقت المحطة.",
    ),
    "request_mismatch": (
        "The signature was made for a different request. Sign each request as it is sent.",
        "التوقيع صادر لطلب مختلف. وقّع كل طلب كما يُرسل.",
    ),
    "stale_timestamp": (
        "The signature's time is too far from the portal's clock. Set the station's clock "
        "to the correct time and try again.",
        "وقت التوقيع بعيد عن ساعة البوابة. اضبط ساعة المحطة على الوقت الصحيح ثم حاول مرة أخرى.",
    ),
    "replayed": (
        "This signed request was already received once. Send it again with a fresh signature.",
        "وصل هذا الطلب الموقّع من قبل. أرسله مرة أخرى بتوقيع جديد.",
    ),
}


def station_unauthorized(reason: str) -> Problem:
    detail, detail_ar = _REASONS[reason]
    return Problem(
        401,
        "station-unauthorized",
        title="The station is not authorised",
        title_ar="المحطة غير مخوّلة",
        detail=detail,
        detail_ar=detail_ar,
        extensions={"reason": reason},
        # RFC 9110 asks every 401 to name the scheme the client should use.
        headers={"WWW-Authenticate": f'{SIGNATURE_HEADER} realm="hawiya-portal"'},
    )


def body_digest(body: bytes) -> str:
    """base64url (no padding) of SHA-256 of the exact body bytes: the `bdh` claim."""
    return base64.urlsafe_b64encode(hashlib.sha256(body).digest()).rstrip(b"=").decode("ascii")


class StationVerifier:
    """Checks station signatures against the registered certificates; one per app."""

    def __init__(self, clock_skew_seconds: int) -> None:
        self._skew = timedelta(seconds=clock_skew_seconds)
        self._keys: dict[str, ec.EllipticCurvePublicKey] = {}
        self._prune_lock = threading.Lock()
        self._next_prune = 0.0

    def verify(
        self,
        session: Session,
        token: str | None,
        *,
        method: str,
        target: str,
        body: bytes,
        now: datetime,
    ) -> AuthenticatedStation:
        """The station that signed this request, or a 401 problem (audited) saying why not."""
        self._prune_expired(session, now)
        station_id: str | None = None
        try:
            kid = self._kid_of(token)
            station = session.get(RegisteredStation, kid)
            if station is None:
                raise _Refused("unknown_station")
            station_id = station.station_id
            claims = self._verified_claims(token, station)
            self._check_standing(station, now)
            self._check_claims(claims, station, method=method, target=target, body=body, now=now)
            self._remember_jti(session, station.station_id, claims, now)
        except _Refused as refused:
            _log.info("station_refused", reason=refused.reason, station_id=station_id)
            session.rollback()
            record_event(
                session,
                at=now,
                action="station.auth",
                outcome=refused.reason,
                station_id=station_id,
            )
            raise station_unauthorized(refused.reason) from None
        assert station_id is not None  # set once the station was found
        # `station_id`, not `station.station_id`: the commit expired the row, and reading it
        # again would cost a query.
        return AuthenticatedStation(station_id, kid)

    @staticmethod
    def _kid_of(token: str | None) -> str:
        if not token:
            raise _Refused("missing_signature")
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError:
            raise _Refused("malformed_signature") from None
        kid = header.get("kid")
        if (
            header.get("alg") != "ES256"
            or header.get("typ") != SIGNATURE_TYPE
            or not isinstance(kid, str)
            or not _KID.fullmatch(kid)
        ):
            raise _Refused("malformed_signature")
        return kid

    def _verified_claims(self, token: str | None, station: RegisteredStation) -> dict[str, Any]:
        assert token is not None
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                self._public_key(station),
                algorithms=["ES256"],
                # iat is checked below against the contract's symmetric window, not PyJWT's.
                options={"require": list(_REQUIRED_CLAIMS), "verify_iat": False},
            )
        except jwt.InvalidSignatureError:
            raise _Refused("bad_signature") from None
        except jwt.PyJWTError:
            raise _Refused("malformed_signature") from None
        return claims

    def _public_key(self, station: RegisteredStation) -> ec.EllipticCurvePublicKey:
        key = self._keys.get(station.kid)
        if key is None:
            public = x509.load_pem_x509_certificate(station.cert_pem.encode()).public_key()
            if not isinstance(public, ec.EllipticCurvePublicKey):
                raise _Refused("bad_signature")
            key = self._keys.setdefault(station.kid, public)
        return key

    @staticmethod
    def _check_standing(station: RegisteredStation, now: datetime) -> None:
        if station.revoked_at is not None:
            raise _Refused("station_revoked")
        if now > station.not_after:
            raise _Refused("certificate_expired")
        if now < station.not_before:
            raise _Refused("certificate_not_yet_valid")

    def _check_claims(
        self,
        claims: dict[str, Any],
        station: RegisteredStation,
        *,
        method: str,
        target: str,
        body: bytes,
        now: datetime,
    ) -> None:
        if (
            claims["sub"] != station.station_id
            or claims["htm"] != method.upper()
            or claims["htu"] != target
            or claims["bdh"] != body_digest(body)
        ):
            raise _Refused("request_mismatch")
        iat = claims["iat"]
        if not isinstance(iat, int) or isinstance(iat, bool):
            raise _Refused("malformed_signature")
        if abs(now.timestamp() - iat) > self._skew.total_seconds():
            raise _Refused("stale_timestamp")
        jti = claims["jti"]
        if not isinstance(jti, str) or not 0 < len(jti) <= _MAX_JTI_LENGTH:
            raise _Refused("malformed_signature")

    def _remember_jti(
        self, session: Session, station_id: str, claims: dict[str, Any], now: datetime
    ) -> None:
        # Past iat + skew the timestamp check refuses the signature anyway, so the jti need
        # not be remembered longer; the extra second covers rounding of iat.
        issued = datetime.fromtimestamp(claims["iat"], tz=now.tzinfo)
        expires = issued + self._skew + timedelta(seconds=1)
        # A Core insert: the ORM's unit of work would add a millisecond for nothing here.
        try:
            session.execute(
                insert(SeenRequest).values(
                    station_id=station_id, jti=claims["jti"], expires_at=expires
                )
            )
            session.commit()
        except IntegrityError:
            raise _Refused("replayed") from None

    def _prune_expired(self, session: Session, now: datetime) -> None:
        if time.monotonic() < self._next_prune or not self._prune_lock.acquire(blocking=False):
            return
        try:
            self._next_prune = time.monotonic() + _PRUNE_INTERVAL_SECONDS
            session.execute(delete(SeenRequest).where(SeenRequest.expires_at < now))  # type: ignore[arg-type]
            session.execute(delete(OperatorSession).where(OperatorSession.expires_at < now))  # type: ignore[arg-type]
            session.commit()
        finally:
            self._prune_lock.release()


class _Refused(Exception):  # noqa: N818 - internal signal, carries the reason code
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


async def request_body(request: Request) -> bytes:
    """The exact body bytes (Starlette caches them, so FastAPI can still parse the JSON)."""
    return await request.body()


def request_target(request: Request) -> str:
    """Path and query exactly as the client sent them, which is what the station signed."""
    raw_path = request.scope.get("raw_path")
    path = raw_path.decode("latin-1") if raw_path else request.url.path
    query = request.scope.get("query_string", b"").decode("latin-1")
    return f"{path}?{query}" if query else path


def require_station(
    request: Request,
    token: Annotated[str | None, Security(signature_header)],
    body: Annotated[bytes, Depends(request_body)],
    session: DbSession,
) -> AuthenticatedStation:
    """FastAPI dependency: the station that signed this request, else 401."""
    verifier: StationVerifier = request.app.state.station_verifier
    return verifier.verify(
        session,
        token,
        method=request.method,
        target=request_target(request),
        body=body,
        now=utc_now(),
    )


CurrentStation = Annotated[AuthenticatedStation, Depends(require_station)]
