"""`PortalClient` against the real portal on loopback: mutual TLS, signatures, typed answers
and typed failures."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from structlog.testing import capture_logs

from fixtures.pki import issue_station_certificate, make_foreign_ca
from station.operators import OperatorSession
from station.portal.client import PortalClient
from station.portal.errors import PortalProblemError, PortalUnreachableError, UnreachableReason
from station.portal.models import Eligibility, IdentityQuery
from tests.station.conftest import FakeClock, closed_port_url, settings_for
from tests.support.known_people import known
from tests.support.portal_server import PortalHandle


@pytest.fixture
async def client(
    tmp_path: Path, portal: PortalHandle, clock: FakeClock
) -> AsyncIterator[PortalClient]:
    client = PortalClient.from_settings(settings_for(tmp_path, portal), clock)
    yield client
    await client.aclose()


@pytest.fixture
def token(operator_session: OperatorSession) -> str:
    assert operator_session.token is not None
    return operator_session.token


async def test_health_over_mutual_tls(client: PortalClient) -> None:
    health = await client.health()

    assert health.ok
    assert health.version == "0.1.0"


async def test_sign_in_and_lookup_return_typed_records(
    client: PortalClient, portal: PortalHandle
) -> None:
    person = known("eligible")
    grant = await client.sign_in(portal.operator_username, portal.operator_password)

    record = await client.lookup(
        grant.token, IdentityQuery(person.id_number, person.birth_date.isoformat(), "gregorian")
    )

    assert grant.operator_id == portal.operator_username
    assert record.name_en == person.name_en
    assert record.name_ar == person.name_ar  # logical order, exactly as stored
    assert record.birth_date == person.birth_date
    assert record.eligibility is Eligibility.ELIGIBLE


async def test_lookup_by_hijri_date(client: PortalClient, token: str) -> None:
    person = known("eligible")

    record = await client.lookup(
        token,
        IdentityQuery(person.id_number, person.birth_date_hijri, "hijri"),
    )

    assert record.birth_date == person.birth_date


async def test_not_found_is_a_404_problem_in_both_languages(
    client: PortalClient, token: str
) -> None:
    person = known("eligible")

    with pytest.raises(PortalProblemError) as raised:
        await client.lookup(token, IdentityQuery(person.id_number, "1991-01-01", "gregorian"))

    assert raised.value.status == 404
    assert raised.value.kind == "not-found"
    assert raised.value.title.en
    assert raised.value.title.ar != raised.value.title.en


async def test_validation_problem_carries_field_messages(client: PortalClient, token: str) -> None:
    with pytest.raises(PortalProblemError) as raised:
        await client.lookup(token, IdentityQuery("1234567890", "1990-01-01", "gregorian"))

    assert raised.value.status == 422
    fields = {problem.field for problem in raised.value.field_problems}
    assert any("id_number" in field for field in fields)
    assert all(problem.message.ar for problem in raised.value.field_problems)


async def test_wrong_password_is_a_401_problem(client: PortalClient, portal: PortalHandle) -> None:
    with pytest.raises(PortalProblemError) as raised:
        await client.sign_in(portal.operator_username, "not the password")

    assert raised.value.status == 401
    assert raised.value.kind == "operator-unauthorized"


async def test_closed_port_is_unreachable_after_every_attempt(
    tmp_path: Path, portal: PortalHandle, clock: FakeClock
) -> None:
    settings = settings_for(tmp_path, portal, url=closed_port_url(), portal={"retry_attempts": 3})
    client = PortalClient.from_settings(settings, clock)
    try:
        with capture_logs() as events, pytest.raises(PortalUnreachableError) as raised:
            await client.health()
    finally:
        await client.aclose()

    assert raised.value.reason is UnreachableReason.CONNECT
    assert "network" in raised.value.message.en
    assert "الشبكة" in raised.value.message.ar
    unreachable = [event for event in events if event["event"] == "portal.unreachable"]
    assert [event["attempts"] for event in unreachable] == [3]


async def test_certificate_from_a_foreign_ca_is_refused_at_the_handshake(
    tmp_path: Path, portal: PortalHandle, clock: FakeClock
) -> None:
    foreign = make_foreign_ca(tmp_path / "foreign")
    cert, key = issue_station_certificate(foreign, "station-0001", tmp_path / "foreign")
    settings = settings_for(tmp_path, portal, portal={"client_cert": cert, "client_key": key})
    client = PortalClient.from_settings(settings, clock)
    try:
        with pytest.raises(PortalUnreachableError) as raised:
            await client.health()
    finally:
        await client.aclose()

    assert raised.value.reason is UnreachableReason.TLS
    assert "certificate" in raised.value.message.en
    assert "الشهادة" in raised.value.message.ar


async def test_a_stale_clock_makes_the_portal_refuse_the_signature(
    tmp_path: Path, portal: PortalHandle
) -> None:
    stale = FakeClock()  # 2025-03-01: far from the portal's clock
    client = PortalClient.from_settings(settings_for(tmp_path, portal), stale)
    try:
        with pytest.raises(PortalProblemError) as raised:
            await client.sign_in(portal.operator_username, portal.operator_password)
    finally:
        await client.aclose()

    assert raised.value.status == 401
    assert raised.value.kind == "station-unauthorized"
