"""Operator sign-in: bearer tokens, one answer for every wrong credential, and the lockout."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

from fixtures.pki import issue_station_certificate
from portal_mock.admin import add_operator, register_station
from tests.support.known_people import known
from tests.support.portal_server import PortalHandle
from tests.support.signing import signed_post

SIGN_IN = "/v1/operators/sign-in"
LOOKUP = "/v1/identity/lookup"


def _sign_in(
    portal: PortalHandle, client: httpx.Client, username: str, password: str
) -> httpx.Response:
    return signed_post(
        client,
        SIGN_IN,
        {"username": username, "password": password},
        cert=portal.pki.station_cert,
        key=portal.pki.station_key,
    )


def _lookup(
    portal: PortalHandle,
    client: httpx.Client,
    token: str | None,
    *,
    cert: Path | None = None,
    key: Path | None = None,
) -> httpx.Response:
    person = known("eligible")
    return signed_post(
        client,
        LOOKUP,
        {"id_number": person.id_number, "birth_date": person.birth_date.isoformat()},
        cert=cert or portal.pki.station_cert,
        key=key or portal.pki.station_key,
        token=token,
    )


def _new_operator(portal: PortalHandle) -> tuple[str, str]:
    username = f"op-{uuid.uuid4().hex[:10]}"
    password = "a long test passphrase"
    add_operator(portal.db_url, username, "Lockout Subject", password)
    return username, password


def test_sign_in_returns_a_token_valid_for_eight_hours(
    portal: PortalHandle, client: httpx.Client
) -> None:
    answer = _sign_in(portal, client, portal.operator_username, portal.operator_password)

    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["operator_id"] == portal.operator_username
    assert body["display_name"] == "Test Operator"
    assert body["role"] == "operator"
    lifetime = datetime.fromisoformat(body["expires_at"]) - datetime.now(UTC)
    assert timedelta(hours=7, minutes=59) < lifetime <= timedelta(hours=8)
    assert _lookup(portal, client, body["token"]).status_code == 200


def test_wrong_password_and_unknown_user_get_the_same_answer(
    portal: PortalHandle, client: httpx.Client
) -> None:
    username, _ = _new_operator(portal)

    wrong_password = _sign_in(portal, client, username, "not the password")
    unknown_user = _sign_in(portal, client, "op-nobody-here", "not the password")

    assert wrong_password.status_code == unknown_user.status_code == 401
    assert wrong_password.json() == unknown_user.json()
    assert wrong_password.json()["type"].endswith("/operator-unauthorized")
    assert wrong_password.json()["detail_ar"]


def test_five_failures_lock_the_operator_even_against_the_right_password(
    portal: PortalHandle, client: httpx.Client
) -> None:
    username, password = _new_operator(portal)

    failures = [_sign_in(portal, client, username, "wrong").status_code for _ in range(5)]
    locked = _sign_in(portal, client, username, password)

    assert failures == [401] * 5
    assert locked.status_code == 423
    body = locked.json()
    assert body["type"].endswith("/operator-locked")
    until = datetime.fromisoformat(body["locked_until"])
    assert timedelta(minutes=14) < until - datetime.now(UTC) <= timedelta(minutes=15)
    assert "Riyadh" in body["detail"]
    assert body["detail_ar"]


def test_a_success_resets_the_failure_count(portal: PortalHandle, client: httpx.Client) -> None:
    username, password = _new_operator(portal)

    for _ in range(4):
        _sign_in(portal, client, username, "wrong")
    first_success = _sign_in(portal, client, username, password)
    _sign_in(portal, client, username, "wrong")
    # Without the reset this would be the sixth attempt after five failures: locked.
    second_success = _sign_in(portal, client, username, password)

    assert first_success.status_code == 200
    assert second_success.status_code == 200


def test_lookup_without_a_token_is_refused(portal: PortalHandle, client: httpx.Client) -> None:
    answer = _lookup(portal, client, None)

    assert answer.status_code == 401
    assert answer.json()["type"].endswith("/operator-unauthorized")
    assert answer.headers["www-authenticate"] == "Bearer"


def test_lookup_with_an_unknown_token_is_refused(
    portal: PortalHandle, client: httpx.Client
) -> None:
    answer = _lookup(portal, client, "made-up-token")

    assert answer.status_code == 401
    assert answer.json()["type"].endswith("/operator-unauthorized")


def test_a_token_is_useless_at_another_station(
    portal: PortalHandle, client: httpx.Client, operator_token: str, tmp_path: Path
) -> None:
    cert, key = issue_station_certificate(portal.pki, "station-0201", tmp_path)
    register_station(portal.db_url, cert)

    with portal.client(cert, key) as other_station:
        answer = _lookup(portal, other_station, operator_token, cert=cert, key=key)

    assert answer.status_code == 401
    assert answer.json()["type"].endswith("/operator-unauthorized")


def test_sign_in_requires_the_station_signature(portal: PortalHandle, client: httpx.Client) -> None:
    answer = client.post(
        SIGN_IN,
        json={"username": portal.operator_username, "password": portal.operator_password},
    )

    assert answer.status_code == 401
    assert answer.json()["type"].endswith("/station-unauthorized")
