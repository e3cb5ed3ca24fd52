"""422 problem details with a message per field, in English and Arabic."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.support.known_people import known
from tests.support.portal_server import PortalHandle
from tests.support.signing import SIGNATURE_HEADER, sign_request, signed_post

LOOKUP = "/v1/identity/lookup"


def _field_errors(answer: httpx.Response) -> dict[str, dict[str, str]]:
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = answer.json()
    assert body["type"] == "https://hawiya.example/problems/validation"
    assert body["title_ar"]
    assert body["detail_ar"]
    return {error["field"]: error for error in body["errors"]}


def _lookup(portal: PortalHandle, client: httpx.Client, token: str, payload: Any) -> httpx.Response:
    return signed_post(
        client,
        LOOKUP,
        payload,
        cert=portal.pki.station_cert,
        key=portal.pki.station_key,
        token=token,
    )


@pytest.mark.parametrize(
    ("id_number", "expected_words"),
    [
        ("123456789", "exactly 10 digits"),
        ("12345678901", "exactly 10 digits"),
        ("12345abcde", "exactly 10 digits"),
        ("١٠٠٠٠٠٠٠٠٨", "exactly 10 digits"),  # Arabic-Indic digits are not ID digits
        ("3000000006", "start with 1 (citizen) or 2 (resident)"),
        ("1000000009", "check digit"),
    ],
    ids=["short", "long", "letters", "arabic-indic", "first-digit", "check-digit"],
)
def test_bad_id_number_is_explained(
    portal: PortalHandle,
    client: httpx.Client,
    operator_token: str,
    id_number: str,
    expected_words: str,
) -> None:
    answer = _lookup(
        portal, client, operator_token, {"id_number": id_number, "birth_date": "1990-05-17"}
    )

    errors = _field_errors(answer)
    assert set(errors) == {"id_number"}
    assert expected_words in errors["id_number"]["message"]
    assert errors["id_number"]["message_ar"]


@pytest.mark.parametrize(
    ("birth_date", "calendar", "expected_words"),
    [
        ("1990-02-30", "gregorian", "no such date in the Gregorian calendar"),
        ("1990-13-01", "gregorian", "no such date in the Gregorian calendar"),
        ("17/05/1990", "gregorian", "YYYY-MM-DD"),
        ("1410-13-01", "hijri", "no such date in the Hijri"),
        ("1410-10-31", "hijri", "no such date in the Hijri"),
        ("1200-01-01", "hijri", "no such date in the Hijri"),
        ("2999-01-01", "gregorian", "in the future"),
    ],
)
def test_impossible_birth_date_is_explained(
    portal: PortalHandle,
    client: httpx.Client,
    operator_token: str,
    birth_date: str,
    calendar: str,
    expected_words: str,
) -> None:
    payload = {
        "id_number": known("eligible").id_number,
        "birth_date": birth_date,
        "calendar": calendar,
    }

    errors = _field_errors(_lookup(portal, client, operator_token, payload))

    assert set(errors) == {"birth_date"}
    assert expected_words in errors["birth_date"]["message"]
    assert errors["birth_date"]["message_ar"]


def test_every_bad_field_is_reported_at_once(
    portal: PortalHandle, client: httpx.Client, operator_token: str
) -> None:
    payload = {"id_number": "12", "birth_date": "yesterday", "calendar": "julian", "x": 1}

    errors = _field_errors(_lookup(portal, client, operator_token, payload))

    assert set(errors) == {"id_number", "birth_date", "calendar", "x"}
    assert "gregorian" in errors["calendar"]["message"]
    assert all(error["message_ar"] for error in errors.values())


def test_missing_fields_are_named(
    portal: PortalHandle, client: httpx.Client, operator_token: str
) -> None:
    errors = _field_errors(_lookup(portal, client, operator_token, {}))

    assert set(errors) == {"id_number", "birth_date"}
    assert errors["id_number"]["message"] == "This field is required."
    assert errors["id_number"]["message_ar"] == "هذا الحقل مطلوب."


def test_body_that_is_not_json_is_explained(
    portal: PortalHandle, client: httpx.Client, operator_token: str
) -> None:
    body = b"{not json"
    headers = {
        "Content-Type": "application/json",
        "Authorization": f"Bearer {operator_token}",
        SIGNATURE_HEADER: sign_request(
            "POST", LOOKUP, body, portal.pki.station_key, portal.pki.station_cert
        ),
    }

    errors = _field_errors(client.post(LOOKUP, content=body, headers=headers))

    assert set(errors) == {"body"}
    assert "JSON" in errors["body"]["message"]


def test_validation_comes_after_authentication(client: httpx.Client) -> None:
    # An unsigned request learns nothing about the fields, not even that they are wrong.
    answer = client.post(LOOKUP, json={"id_number": "12"})

    assert answer.status_code == 401
