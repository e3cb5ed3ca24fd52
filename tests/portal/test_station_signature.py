"""The station signature on each request: who may call, and which requests are refused 401."""

from __future__ import annotations

import json
import sqlite3
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from fixtures.pki import issue_station_certificate
from portal_mock.admin import register_station, revoke_station
from tests.support.known_people import known
from tests.support.portal_server import PortalHandle
from tests.support.signing import SIGNATURE_HEADER, sign_request

LOOKUP = "/v1/identity/lookup"


def _lookup_body() -> bytes:
    person = known("eligible")
    return json.dumps(
        {"id_number": person.id_number, "birth_date": person.birth_date.isoformat()}
    ).encode()


def _post(
    client: httpx.Client, path: str, body: bytes, signature: str | None, token: str
) -> httpx.Response:
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}
    if signature is not None:
        headers[SIGNATURE_HEADER] = signature
    return client.post(path, content=body, headers=headers)


def _refusal_reason(answer: httpx.Response) -> str:
    assert answer.status_code == 401, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = answer.json()
    assert body["type"] == "https://hawiya.example/problems/station-unauthorized"
    assert body["detail"]
    assert body["detail_ar"]
    assert body["title_ar"]
    reason: str = body["reason"]
    return reason


def _signed(portal: PortalHandle, body: bytes, **overrides: Any) -> str:
    return sign_request(
        "POST", LOOKUP, body, portal.pki.station_key, portal.pki.station_cert, **overrides
    )


def test_a_correctly_signed_lookup_is_accepted(
    portal: PortalHandle, client: httpx.Client, operator_token: str
) -> None:
    body = _lookup_body()

    answer = _post(client, LOOKUP, body, _signed(portal, body), operator_token)

    assert answer.status_code == 200, answer.text


def test_missing_signature_is_refused(client: httpx.Client, operator_token: str) -> None:
    answer = _post(client, LOOKUP, _lookup_body(), None, operator_token)

    assert _refusal_reason(answer) == "missing_signature"


def test_unreadable_signature_is_refused(client: httpx.Client, operator_token: str) -> None:
    answer = _post(client, LOOKUP, _lookup_body(), "not.a.jws", operator_token)

    assert _refusal_reason(answer) == "malformed_signature"


def test_unregistered_station_is_refused(
    portal: PortalHandle, operator_token: str, tmp_path: Path
) -> None:
    cert, key = issue_station_certificate(portal.pki, "station-0101", tmp_path)
    body = _lookup_body()

    with portal.client(cert, key) as client:
        answer = _post(
            client, LOOKUP, body, sign_request("POST", LOOKUP, body, key, cert), operator_token
        )

    assert _refusal_reason(answer) == "unknown_station"


def test_signature_by_another_key_is_refused(
    portal: PortalHandle, client: httpx.Client, operator_token: str, tmp_path: Path
) -> None:
    # Names station-0001's certificate (kid) but signs with a different station's key.
    _, other_key = issue_station_certificate(portal.pki, "station-0102", tmp_path)
    body = _lookup_body()
    forged = sign_request("POST", LOOKUP, body, other_key, portal.pki.station_cert)

    answer = _post(client, LOOKUP, body, forged, operator_token)

    assert _refusal_reason(answer) == "bad_signature"


def test_revoked_station_is_refused(
    portal: PortalHandle, operator_token: str, tmp_path: Path
) -> None:
    cert, key = issue_station_certificate(portal.pki, "station-0103", tmp_path)
    register_station(portal.db_url, cert)
    revoke_station(portal.db_url, "station-0103")
    body = _lookup_body()

    with portal.client(cert, key) as client:
        answer = _post(
            client, LOOKUP, body, sign_request("POST", LOOKUP, body, key, cert), operator_token
        )

    assert _refusal_reason(answer) == "station_revoked"


def test_expired_station_certificate_is_refused_by_the_app(
    portal: PortalHandle, client: httpx.Client, operator_token: str, tmp_path: Path
) -> None:
    # TLS refuses an expired certificate at the handshake (test_mutual_tls), so present
    # station-0001's valid one there and sign with the expired, registered certificate's key:
    # the app must refuse it on its own too (defence in depth, e.g. behind a TLS proxy).
    now = datetime.now(UTC)
    cert, key = issue_station_certificate(
        portal.pki,
        "station-0104",
        tmp_path,
        not_valid_before=now - timedelta(days=30),
        not_valid_after=now - timedelta(days=1),
    )
    register_station(portal.db_url, cert)
    body = _lookup_body()

    answer = _post(
        client, LOOKUP, body, sign_request("POST", LOOKUP, body, key, cert), operator_token
    )

    assert _refusal_reason(answer) == "certificate_expired"


@pytest.mark.parametrize("offset_seconds", [-120, 120], ids=["old", "future"])
def test_timestamp_far_from_the_portal_clock_is_refused(
    portal: PortalHandle, client: httpx.Client, operator_token: str, offset_seconds: int
) -> None:
    body = _lookup_body()
    signature = _signed(portal, body, iat=int(time.time()) + offset_seconds)

    answer = _post(client, LOOKUP, body, signature, operator_token)

    assert _refusal_reason(answer) == "stale_timestamp"


def test_timestamp_within_the_allowed_skew_is_accepted(
    portal: PortalHandle, client: httpx.Client, operator_token: str
) -> None:
    body = _lookup_body()
    signature = _signed(portal, body, iat=int(time.time()) - 30)

    assert _post(client, LOOKUP, body, signature, operator_token).status_code == 200


def test_replayed_signature_is_refused(
    portal: PortalHandle, client: httpx.Client, operator_token: str
) -> None:
    body = _lookup_body()
    signature = _signed(portal, body)

    first = _post(client, LOOKUP, body, signature, operator_token)
    replay = _post(client, LOOKUP, body, signature, operator_token)

    assert first.status_code == 200
    assert _refusal_reason(replay) == "replayed"


def test_reused_jti_with_a_fresh_signature_is_refused(
    portal: PortalHandle, client: httpx.Client, operator_token: str
) -> None:
    body = _lookup_body()
    jti = str(uuid.uuid4())

    first = _post(client, LOOKUP, body, _signed(portal, body, jti=jti), operator_token)
    second = _post(
        client,
        LOOKUP,
        body,
        _signed(portal, body, jti=jti, iat=int(time.time()) - 1),
        operator_token,
    )

    assert first.status_code == 200
    assert _refusal_reason(second) == "replayed"


def test_tampered_body_is_refused(
    portal: PortalHandle, client: httpx.Client, operator_token: str
) -> None:
    signed_body = _lookup_body()
    tampered = signed_body.replace(b"1990", b"1991")

    answer = _post(client, LOOKUP, tampered, _signed(portal, signed_body), operator_token)

    assert _refusal_reason(answer) == "request_mismatch"


def test_signature_for_another_path_is_refused(
    portal: PortalHandle, client: httpx.Client, operator_token: str
) -> None:
    body = _lookup_body()
    signature = sign_request(
        "POST", "/v1/operators/sign-in", body, portal.pki.station_key, portal.pki.station_cert
    )

    answer = _post(client, LOOKUP, body, signature, operator_token)

    assert _refusal_reason(answer) == "request_mismatch"


def test_signature_claiming_another_station_is_refused(
    portal: PortalHandle, client: httpx.Client, operator_token: str
) -> None:
    body = _lookup_body()

    answer = _post(client, LOOKUP, body, _signed(portal, body, sub="station-0002"), operator_token)

    assert _refusal_reason(answer) == "request_mismatch"


def test_refusals_are_audited(
    portal: PortalHandle, client: httpx.Client, operator_token: str
) -> None:
    body = _lookup_body()
    signature = _signed(portal, body, iat=int(time.time()) - 3600)
    _post(client, LOOKUP, body, signature, operator_token)

    with sqlite3.connect(portal.db_url.removeprefix("sqlite:///")) as connection:
        rows = connection.execute(
            "SELECT station_id FROM portal_audit_event "
            "WHERE action = 'station.auth' AND outcome = 'stale_timestamp'"
        ).fetchall()

    assert (portal.station_id,) in rows
