"""`PortalClient`: the portal over HTTPS with mutual TLS, signed requests, timeouts and retries.

Transient failures (connection errors, timeouts, 502/503/504) are retried with backoff; a
refused TLS handshake is not (retrying cannot fix a certificate). Whatever still fails becomes a
typed `PortalError` that the operator can be told about.
"""

from __future__ import annotations

import base64
import json
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypeVar
from urllib.parse import urlencode

import httpx
import stamina
import structlog

from station.bilingual import Bilingual
from station.clock import Clock
from station.portal import account_codec
from station.portal.account_models import (
    AccountRequest,
    ActivatedAccount,
    CodeStatus,
    EnrollmentDraft,
    EnrollmentEvidence,
    UsernameCheck,
)
from station.portal.errors import (
    FieldProblem,
    InvalidPortalAnswerError,
    PortalProblemError,
    PortalUnreachableError,
    UnreachableReason,
)
from station.portal.models import (
    Eligibility,
    FingerprintVerification,
    IdentityQuery,
    IdentityRecord,
    IneligibilityReason,
    OperatorGrant,
    PortalHealth,
)
from station.portal.signer import SIGNATURE_HEADER, RequestSigner, SignerError
from station.settings import PortalSettings, SettingsError, StationSettings

log = structlog.get_logger(__name__)

_TRANSIENT_STATUSES = frozenset({502, 503, 504})
_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    attempts: int = 3
    wait_initial: float = 0.2
    wait_max: float = 2.0
    wait_jitter: float = 0.2

    @classmethod
    def from_settings(cls, portal: PortalSettings) -> RetryPolicy:
        return cls(
            attempts=portal.retry_attempts,
            wait_initial=portal.retry_wait_initial_seconds,
            wait_max=portal.retry_wait_max_seconds,
            wait_jitter=portal.retry_wait_jitter_seconds,
        )


class _TransientStatusError(Exception):
    """A 502/503/504 answer, raised inside an attempt so that stamina retries it."""

    def __init__(self, status: int) -> None:
        super().__init__(f"HTTP {status}")
        self.status = status


def _is_tls_failure(error: BaseException) -> bool:
    cause: BaseException | None = error
    while cause is not None:
        if isinstance(cause, ssl.SSLError):
            return True
        cause = cause.__cause__ or cause.__context__
    return False


def _retry_idempotent(error: Exception) -> bool:
    if _is_tls_failure(error):
        return False
    return isinstance(error, httpx.ConnectError | httpx.TimeoutException | _TransientStatusError)


def _retry_once_only(error: Exception) -> bool:
    # Sign-in counts failures at the portal: after a read timeout the request may have been
    # processed, and repeating it could count one typo twice. Retry only what was never sent.
    if _is_tls_failure(error):
        return False
    return isinstance(
        error, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout | _TransientStatusError
    )


def _unreachable(error: Exception) -> PortalUnreachableError:
    if _is_tls_failure(error):
        return PortalUnreachableError(UnreachableReason.TLS, repr(error))
    if isinstance(error, _TransientStatusError):
        return PortalUnreachableError(UnreachableReason.UNAVAILABLE, str(error))
    if isinstance(error, httpx.TimeoutException):
        return PortalUnreachableError(UnreachableReason.TIMEOUT, repr(error))
    return PortalUnreachableError(UnreachableReason.CONNECT, repr(error))


def mutual_tls_context(cert_path: str, key_path: str, ca_path: str) -> ssl.SSLContext:
    """Trust only the portal CA, and present the station certificate."""
    context = ssl.create_default_context(ssl.Purpose.SERVER_AUTH, cafile=ca_path)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(cert_path, key_path)
    return context


class PortalClient:
    """The HTTPS `Portal`. One instance per app run; close it with `aclose()`."""

    def __init__(
        self,
        base_url: str,
        tls: ssl.SSLContext,
        signer: RequestSigner,
        *,
        connect_timeout: float = 3.0,
        read_timeout: float = 10.0,
        retry: RetryPolicy | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._signer = signer
        self._retry = retry or RetryPolicy()
        self._http = httpx.AsyncClient(
            base_url=self.base_url,
            verify=tls,
            timeout=httpx.Timeout(read_timeout, connect=connect_timeout),
            headers={"User-Agent": f"hawiya-station/{signer.station_id}"},
        )

    @classmethod
    def from_settings(cls, settings: StationSettings, clock: Clock) -> PortalClient:
        """Build the client, or raise `SettingsError` naming a missing or unusable PKI file."""
        files = {
            "portal.client_cert": settings.client_cert_path,
            "portal.client_key": settings.client_key_path,
            "portal.ca": settings.portal_ca_path,
        }
        for key, path in files.items():
            if not path.is_file():
                raise SettingsError(
                    Bilingual(
                        f"Station settings: `{key}` names {path}, which does not exist. "
                        "Run `hawiya setup` to create the booth PKI, or point the setting "
                        "at this station's file.",
                        f"إعدادات المحطة: `{key}` يشير إلى {path} وهو غير موجود. "
                        "شغّل `hawiya setup` لإنشاء شهادات الكشك، أو اجعل الإعداد يشير "
                        "إلى ملف هذه المحطة.",
                    )
                )
        try:
            signer = RequestSigner.from_files(
                settings.client_cert_path, settings.client_key_path, clock, settings.station_id
            )
            tls = mutual_tls_context(
                str(settings.client_cert_path),
                str(settings.client_key_path),
                str(settings.portal_ca_path),
            )
        except (SignerError, ValueError, ssl.SSLError) as error:
            raise SettingsError(
                Bilingual(
                    f"Station settings: the station certificate, key or portal CA cannot be "
                    f"used ({error}). Check `portal.client_cert`, `portal.client_key` and "
                    "`portal.ca`.",
                    f"إعدادات المحطة: لا يمكن استخدام شهادة المحطة أو مفتاحها أو شهادة "
                    f"البوابة ({error}). راجع `portal.client_cert` و`portal.client_key` "
                    "و`portal.ca`.",
                )
            ) from error
        return cls(
            settings.portal.url,
            tls,
            signer,
            connect_timeout=settings.portal.connect_timeout_seconds,
            read_timeout=settings.portal.read_timeout_seconds,
            retry=RetryPolicy.from_settings(settings.portal),
        )

    @property
    def station_id(self) -> str:
        return self._signer.station_id

    async def aclose(self) -> None:
        await self._http.aclose()

    async def health(self) -> PortalHealth:
        data = await self._call("GET", "/health", signed=False, idempotent=True)
        try:
            time_text = data.get("time")
            return PortalHealth(
                status=str(data["status"]),
                version=str(data.get("version", "")),
                database=str(data.get("database", "")),
                portal_time=datetime.fromisoformat(time_text) if time_text else None,
            )
        except (KeyError, ValueError, TypeError) as error:
            raise InvalidPortalAnswerError(f"health: {error!r}") from error

    async def sign_in(self, username: str, password: str) -> OperatorGrant:
        data = await self._call(
            "POST",
            "/v1/operators/sign-in",
            body={"username": username, "password": password},
            idempotent=False,
        )
        try:
            return OperatorGrant(
                operator_id=str(data["operator_id"]),
                display_name=str(data["display_name"]),
                role=str(data["role"]),
                token=str(data["token"]),
                expires_at=datetime.fromisoformat(data["expires_at"]),
            )
        except (KeyError, ValueError, TypeError) as error:
            raise InvalidPortalAnswerError(f"sign-in: {error!r}") from error

    async def lookup(self, token: str, query: IdentityQuery) -> IdentityRecord:
        data = await self._call(
            "POST",
            "/v1/identity/lookup",
            body={
                "id_number": query.id_number,
                "birth_date": query.birth_date,
                "calendar": query.calendar,
            },
            token=token,
            idempotent=True,  # a read: repeating it changes nothing
        )
        try:
            return IdentityRecord(
                id_number=str(data["id_number"]),
                kind=str(data["kind"]),
                name_ar=str(data["name_ar"]),
                name_en=str(data["name_en"]),
                sex=str(data["sex"]),
                nationality=str(data["nationality"]),
                birth_date=date.fromisoformat(data["birth_date"]),
                birth_date_hijri=str(data["birth_date_hijri"]),
                id_expiry=date.fromisoformat(data["id_expiry"]),
                status=str(data["status"]),
                has_portal_account=bool(data["has_portal_account"]),
                eligibility=Eligibility(data["eligibility"]),
                reasons=tuple(
                    IneligibilityReason(
                        code=str(reason["code"]),
                        message=Bilingual(
                            str(reason["message"]),
                            str(reason.get("message_ar") or reason["message"]),
                        ),
                    )
                    for reason in data.get("reasons") or ()
                ),
            )
        except (KeyError, ValueError, TypeError) as error:
            raise InvalidPortalAnswerError(f"lookup: {error!r}") from error

    async def verify_fingerprint(
        self, token: str, id_number: str, finger_position: int, template: bytes
    ) -> FingerprintVerification:
        """1:1 verification of an ISO/IEC 19794-2 template against the national record."""
        data = await self._call(
            "POST",
            "/v1/fingerprint/verify",
            body={
                "id_number": id_number,
                "finger_position": finger_position,
                "template": base64.b64encode(template).decode("ascii"),
            },
            token=token,
            idempotent=False,  # the portal counts every attempt against the person's limit
        )
        try:
            return FingerprintVerification(
                verification_id=str(data["verification_id"]),
                id_number=str(data["id_number"]),
                finger_position=int(data["finger_position"]),
                score=float(data["score"]),
                matched=data["decision"] == "match",
                threshold=float(data["threshold"]),
                algorithm=str(data["algorithm"]),
                verified_at=datetime.fromisoformat(data["verified_at"]),
            )
        except (KeyError, ValueError, TypeError) as error:
            raise InvalidPortalAnswerError(f"fingerprint verify: {error!r}") from error

    # Account step and submit (docs/portal-api.md, "Accounts and enrollment") ---------------

    async def username_available(
        self, token: str, username: str, id_number: str | None = None
    ) -> UsernameCheck:
        query = {"username": username} | ({"id_number": id_number} if id_number else {})
        data = await self._call(
            "GET",
            f"/v1/accounts/username-available?{urlencode(query)}",
            token=token,
            idempotent=True,
        )
        return _decoded("username check", account_codec.username_check, data)

    async def start_enrollment(self, token: str, account: AccountRequest) -> EnrollmentDraft:
        """Check the chosen account at the portal, which then sends the SMS code."""
        data = await self._call(
            "POST",
            "/v1/enrollments",
            body=account_codec.account_body(account),
            token=token,
            idempotent=False,  # each start sends an SMS
        )
        return _decoded("enrollment start", account_codec.enrollment_draft, data)

    async def verify_code(self, token: str, enrollment_id: str, code: str) -> datetime:
        """When the portal accepted the SMS code (a wrong one raises `code-incorrect`)."""
        data = await self._call(
            "POST",
            f"/v1/enrollments/{enrollment_id}/code",
            body={"code": code},
            token=token,
            idempotent=False,  # a wrong code counts against the 5 tries
        )
        return _decoded("code verify", lambda d: datetime.fromisoformat(d["verified_at"]), data)

    async def resend_code(self, token: str, enrollment_id: str) -> CodeStatus:
        data = await self._call(
            "POST", f"/v1/enrollments/{enrollment_id}/code/resend", token=token, idempotent=False
        )
        return _decoded("code resend", account_codec.code_status, data)

    async def submit_enrollment(
        self, token: str, enrollment_id: str, evidence: EnrollmentEvidence, idempotency_key: str
    ) -> ActivatedAccount:
        """Create and activate the account. Keep `idempotency_key` with the enrollment: a retry
        with it (here on a timeout, or later from the queue) gets the first answer back."""
        data = await self._call(
            "POST",
            f"/v1/enrollments/{enrollment_id}/submit",
            body=account_codec.evidence_body(evidence),
            token=token,
            idempotent=True,  # safe to repeat: the Idempotency-Key makes it one account
            extra_headers={"Idempotency-Key": idempotency_key},
        )
        return _decoded("submit", account_codec.activated_account, data)

    async def reference_photo(self, token: str, id_number: str) -> bytes:
        """The record's portrait (JPEG) for matching a manual-entry enrollment's face."""
        data = await self._call(
            "GET", f"/v1/identity/{id_number}/reference-photo", token=token, idempotent=True
        )
        return _decoded("reference photo", account_codec.reference_photo, data)

    async def _call(
        self,
        method: str,
        path: str,
        *,
        body: dict[str, Any] | None = None,
        token: str | None = None,
        signed: bool = True,
        idempotent: bool,
        extra_headers: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        """One logical call: attempts with backoff, then a JSON object or a `PortalError`."""
        content = b"" if body is None else json.dumps(body, separators=(",", ":")).encode()
        headers = {"Accept": "application/json"}
        if body is not None:
            headers["Content-Type"] = "application/json"
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        headers.update(extra_headers or {})
        attempts = 0
        try:
            async for attempt in stamina.retry_context(
                on=_retry_idempotent if idempotent else _retry_once_only,
                attempts=self._retry.attempts,
                timeout=None,
                wait_initial=self._retry.wait_initial,
                wait_max=self._retry.wait_max,
                wait_jitter=self._retry.wait_jitter,
            ):
                with attempt:
                    attempts += 1
                    request = self._http.build_request(
                        method, path, content=content, headers=headers
                    )
                    if signed:
                        # Signed per attempt: the portal refuses a repeated jti as a replay.
                        request.headers[SIGNATURE_HEADER] = self._signer.sign(
                            method, request.url.raw_path.decode("ascii"), content
                        )
                    response = await self._http.send(request)
                    if response.status_code in _TRANSIENT_STATUSES:
                        raise _TransientStatusError(response.status_code)
        except (httpx.TransportError, _TransientStatusError) as error:
            log.warning(
                "portal.unreachable", method=method, path=path, attempts=attempts, error=repr(error)
            )
            raise _unreachable(error) from error
        log.info(
            "portal.call",
            method=method,
            path=path,
            status=response.status_code,
            attempts=attempts,
            elapsed_ms=round(response.elapsed.total_seconds() * 1000, 1),
        )
        return _json_or_problem(response)


def _decoded(what: str, decode: Callable[[dict[str, Any]], _T], data: dict[str, Any]) -> _T:
    try:
        return decode(data)
    except (KeyError, ValueError, TypeError) as error:
        raise InvalidPortalAnswerError(f"{what}: {error!r}") from error


def _json_or_problem(response: httpx.Response) -> dict[str, Any]:
    try:
        data = response.json()
    except ValueError as error:
        raise InvalidPortalAnswerError(
            f"HTTP {response.status_code}, not JSON: {response.text[:200]!r}"
        ) from error
    if not isinstance(data, dict):
        raise InvalidPortalAnswerError(f"HTTP {response.status_code}, not a JSON object")
    if response.is_success:
        return data
    raise parse_problem(response.status_code, data)


def parse_problem(
    status: int, data: dict[str, Any]
) -> PortalProblemError | InvalidPortalAnswerError:
    """An RFC 9457 problem as a `PortalProblemError`; English stands in for missing Arabic."""
    if "title" not in data:
        return InvalidPortalAnswerError(f"HTTP {status} without problem details: {data!r:.200}")
    title_en = str(data["title"])
    detail_en = str(data.get("detail") or "")
    return PortalProblemError(
        status=int(data.get("status") or status),
        problem_type=str(data.get("type") or "about:blank"),
        title=Bilingual(title_en, str(data.get("title_ar") or title_en)),
        detail=Bilingual(detail_en, str(data.get("detail_ar") or detail_en)),
        field_problems=tuple(
            FieldProblem(
                field=str(item.get("field", "")),
                message=Bilingual(
                    str(item.get("message", "")),
                    str(item.get("message_ar") or item.get("message", "")),
                ),
            )
            for item in data.get("errors") or ()
            if isinstance(item, dict)
        ),
    )
