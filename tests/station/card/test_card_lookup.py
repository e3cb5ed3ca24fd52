"""The lookup started from a verified card: the card's ID number and birth date, no typing."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from station.card.identity import CardIdentity
from station.card.passive_auth import PassiveAuthentication
from station.enrollment.lookup import LookupKind, look_up_card_holder
from station.operators import OperatorSession
from station.portal.client import PortalClient
from tests.station.conftest import FakeClock, settings_for
from tests.support.known_people import known
from tests.support.portal_server import PortalHandle


@pytest.fixture
async def client(
    tmp_path: Path, portal: PortalHandle, clock: FakeClock
) -> AsyncIterator[PortalClient]:
    client = PortalClient.from_settings(settings_for(tmp_path, portal), clock)
    yield client
    await client.aclose()


async def test_a_verified_card_looks_up_its_holder(
    client: PortalClient, operator_session: OperatorSession
) -> None:
    person = known("eligible")
    today = datetime.now(UTC).date()
    card = CardIdentity(
        id_number=person.id_number,
        names_en=tuple(person.name_en.split()),
        names_ar=tuple(person.name_ar.split()),
        nationality="SAU",
        sex="male",
        birth_date=person.birth_date,
        expiry_date=today + timedelta(days=365),
        issuing_state="SAU",
        portrait_jpeg=b"\xff\xd8",
        portrait_size=(480, 600),
        authentication=PassiveAuthentication("CN=signer", "CN=csca", "sha256", (1, 2, 11)),
        reader="Hawiya Virtual Reader 00 00",
    )
    outcome = await look_up_card_holder(client, operator_session, card, today)
    assert outcome.kind is LookupKind.ELIGIBLE
    assert outcome.person is not None
    assert outcome.person.name_en == person.name_en
