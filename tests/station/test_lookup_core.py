"""The lookup step's core (no UI) against the real portal: each outcome and its next step."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from station.birth_date import Calendar
from station.enrollment.lookup import LookupKind, LookupOutcome, look_up_person
from station.operators import OperatorSession
from station.portal.client import PortalClient
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
def session(operator_session: OperatorSession) -> OperatorSession:
    return operator_session


async def _look_up(
    client: PortalClient, session: OperatorSession, outcome: str, *, birth_date: str | None = None
) -> LookupOutcome:
    person = known(outcome)
    return await look_up_person(
        client,
        session,
        person.id_number,
        birth_date or person.birth_date.isoformat(),
        Calendar.GREGORIAN,
        datetime.now(UTC).date(),
    )


async def test_eligible_person_continues_to_consent(
    client: PortalClient, session: OperatorSession
) -> None:
    outcome = await _look_up(client, session, "eligible")

    assert outcome.kind is LookupKind.ELIGIBLE
    assert outcome.may_continue
    assert outcome.person is not None
    assert outcome.person.name_en == known("eligible").name_en
    assert outcome.next_step.en == "Continue to consent."


async def test_registered_person_is_offered_a_password_reset(
    client: PortalClient, session: OperatorSession
) -> None:
    outcome = await _look_up(client, session, "already_registered")

    assert outcome.kind is LookupKind.ALREADY_REGISTERED
    assert "password reset" in outcome.next_step.en
    assert not outcome.may_continue


@pytest.mark.parametrize(
    ("who", "advice"),
    [("deceased", "civil affairs"), ("under_age", "guardian"), ("id_expired", "renew")],
)
async def test_not_eligible_says_why_and_what_to_do(
    client: PortalClient, session: OperatorSession, who: str, advice: str
) -> None:
    outcome = await _look_up(client, session, who)

    assert outcome.kind is LookupKind.NOT_ELIGIBLE
    assert advice in outcome.next_step.en
    assert outcome.person is not None
    assert outcome.person.reasons


async def test_wrong_birth_date_is_not_found_with_advice_to_check_the_card(
    client: PortalClient, session: OperatorSession
) -> None:
    outcome = await _look_up(client, session, "eligible", birth_date="1991-05-17")

    assert outcome.kind is LookupKind.NOT_FOUND
    assert outcome.person is None
    assert "Check both with the card" in outcome.next_step.en


async def test_invalid_input_is_refused_before_asking_the_portal(
    client: PortalClient, session: OperatorSession
) -> None:
    outcome = await look_up_person(
        client, session, "1234567890", "1990-02-30", Calendar.GREGORIAN, datetime.now(UTC).date()
    )

    assert outcome.kind is LookupKind.REJECTED
    assert [field for field, _ in outcome.field_errors] == ["id_number", "birth_date"]


async def test_unreachable_portal_says_check_the_network_and_retry(
    tmp_path: Path, portal: PortalHandle, clock: FakeClock, session: OperatorSession
) -> None:
    down = PortalClient.from_settings(settings_for(tmp_path, portal, url=closed_port_url()), clock)
    try:
        outcome = await _look_up(down, session, "eligible")
    finally:
        await down.aclose()

    assert outcome.kind is LookupKind.PORTAL_UNREACHABLE
    assert "check the network" in outcome.next_step.en.lower()
    assert "retry" in outcome.next_step.en
    assert outcome.detail is not None
    assert "Portal unreachable" in outcome.detail.en


async def test_offline_session_with_the_portal_back_asks_for_a_new_sign_in(
    client: PortalClient, session: OperatorSession
) -> None:
    offline = OperatorSession(
        session.username,
        session.operator_id,
        session.display_name,
        session.role,
        None,
        session.signed_in_at,
    )

    outcome = await _look_up(client, offline, "eligible")

    assert outcome.kind is LookupKind.REJECTED
    assert "sign in again" in outcome.next_step.en
