"""The same portal code on PostgreSQL: a throwaway cluster, the real server, a lookup."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.support.known_people import insert_known_people, known
from tests.support.portal_server import PortalHandle, running_portal
from tests.support.signing import SIGNATURE_HEADER, sign_request, signed_post


@pytest.fixture(scope="module")
def postgres_portal(
    postgres_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[PortalHandle]:
    with running_portal(
        tmp_path_factory.mktemp("pg-portal"), population=insert_known_people, db_url=postgres_url
    ) as handle:
        yield handle


def _sign_in(portal: PortalHandle, client: httpx.Client) -> str:
    answer = signed_post(
        client,
        "/v1/operators/sign-in",
        {"username": portal.operator_username, "password": portal.operator_password},
        cert=portal.pki.station_cert,
        key=portal.pki.station_key,
    )
    assert answer.status_code == 200, answer.text
    token: str = answer.json()["token"]
    return token


def _lookup(
    portal: PortalHandle, client: httpx.Client, token: str, birth_date: str, calendar: str
) -> httpx.Response:
    return signed_post(
        client,
        "/v1/identity/lookup",
        {"id_number": known("eligible").id_number, "birth_date": birth_date, "calendar": calendar},
        cert=portal.pki.station_cert,
        key=portal.pki.station_key,
        token=token,
    )


def test_lookup_works_on_postgresql(postgres_portal: PortalHandle) -> None:
    with postgres_portal.client() as client:
        token = _sign_in(postgres_portal, client)
        gregorian = _lookup(postgres_portal, client, token, "1990-05-17", "gregorian")
        hijri = _lookup(postgres_portal, client, token, "1410-10-22", "hijri")
        wrong = _lookup(postgres_portal, client, token, "1990-05-18", "gregorian")

    assert postgres_portal.db_url.startswith("postgresql+psycopg://")
    assert gregorian.status_code == 200, gregorian.text
    assert gregorian.json()["name_en"] == known("eligible").name_en
    assert gregorian.json()["eligibility"] == "eligible"
    assert hijri.json() == gregorian.json()
    assert wrong.status_code == 404


def test_replay_protection_works_on_postgresql(postgres_portal: PortalHandle) -> None:
    body = b"{}"
    signature = sign_request(
        "POST", "/v1/operators/sign-in", body,
        postgres_portal.pki.station_key, postgres_portal.pki.station_cert,
    )  # fmt: skip
    headers = {"Content-Type": "application/json", SIGNATURE_HEADER: signature}

    with postgres_portal.client() as client:
        first = client.post("/v1/operators/sign-in", content=body, headers=headers)
        replay = client.post("/v1/operators/sign-in", content=body, headers=headers)

    assert first.status_code == 422  # signed fine, but no username or password
    assert replay.status_code == 401
    assert replay.json()["reason"] == "replayed"
