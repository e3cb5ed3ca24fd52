"""The supervisor's fingerprint exception as the core builds it (the failed tries the portal
answered, cited by id) and as it reaches the real portal's submit through the adapter and the
client: accepted and flagged for review, or refused when the supervisor is the operator."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from station.enrollment.adapters import portal_evidence
from station.enrollment.evidence import (
    ConsentRecord,
    EnrollmentEvidence,
    FaceEvidence,
    FingerprintException,
    exception_category,
)
from station.enrollment.machine import EnrollmentState
from station.operators import OperatorSession
from station.portal.account_models import AccountRequest, LivenessResult
from station.portal.client import PortalClient
from station.portal.errors import PortalProblemError
from tests.station.conftest import FakeClock, settings_for
from tests.station.enrollment.conftest import Rig, drive_to
from tests.support.enrollment_people import (
    GOOD_PASSWORD,
    RIGHT_INDEX,
    EnrollmentPerson,
    PortalCalls,
    add_enrollment_people,
    tiny_jpeg,
    username_for,
)
from tests.support.portal_server import PortalHandle

S = EnrollmentState
BATCH = 202


# --- the core ----------------------------------------------------------------------------


async def test_the_exception_cites_the_failed_verifications_of_the_finger(rig: Rig) -> None:
    # A device hiccup is not a try; a poor capture is a try the portal never saw.
    rig.fingerprints.decisions = ["no_match", "device_problem", "poor_quality", "no_match"]
    rig.fingerprints.decisions += ["no_match"]
    enrollment = rig.enrollment()
    await drive_to(rig, enrollment, S.FINGERPRINT)
    for _ in range(4):
        await enrollment.capture_finger()
    # Two portal answers (ver-1, ver-4): the poor capture does not make up the third.
    assert enrollment.finger_comparisons_left(2) == 1
    await enrollment.capture_finger()
    assert enrollment.needs_supervisor

    approved_at = rig.clock()
    enrollment.approve_fingerprint_exception("supervisor-9", "Scarred ridges")
    await drive_to(rig, enrollment, S.COMPLETED)

    sent = rig.portal.evidence_json[0]["fingerprint_exception"]
    assert isinstance(sent, dict)
    assert sent["failed_verification_ids"] == ["ver-1", "ver-4", "ver-5"]
    assert sent["failed_tries"] == 4  # counted captures: the poor one too
    assert sent["category"] == "scarred"
    assert sent["approved_at"] == approved_at.isoformat()


@pytest.mark.parametrize(
    ("words", "category"),
    [
        ("scarred right index", "scarred"),
        ("worn ridges (bricklayer)", "scarred"),
        ("amputated in 2019", "amputated"),
        ("finger missing", "amputated"),
        ("bandaged after a cut", "injured"),
        ("إصبع مبتور", "amputated"),
        ("ندوب في الإصبع", "scarred"),
        ("no ridges come out", "unreadable"),
    ],
)
def test_the_supervisors_words_map_to_the_portals_categories(words: str, category: str) -> None:
    assert exception_category(words) == category


# --- through the adapter and the client to the real portal ------------------------------


@pytest.fixture(scope="module")
def people(portal: PortalHandle) -> list[EnrollmentPerson]:
    return add_enrollment_people(portal.db_url, BATCH, 2)


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


@pytest.fixture
def phone(portal: PortalHandle, token: str) -> Iterator[PortalCalls]:
    with portal.client() as http:
        yield PortalCalls(portal, http, token)


def core_evidence(
    portal: PortalHandle,
    person: EnrollmentPerson,
    challenge_id: str,
    exception: FingerprintException,
) -> EnrollmentEvidence:
    now = datetime.now(UTC)
    return EnrollmentEvidence(
        enrollment_id=str(uuid.uuid4()),
        id_number=person.id_number,
        identity_source="card",
        passive_auth_valid=True,
        passive_auth_reason=None,
        consent=ConsentRecord("consent-2025.1", now, portal.operator_username),
        fingerprint=None,
        fingerprint_exception=exception,
        face=FaceEvidence(True, (), 0.8, 0.6, "dlib-resnet-128", "match", "card_portrait", 1),
        portrait_jpeg=bytearray(tiny_jpeg()),
        account_challenge_id=challenge_id,
        operator_id=portal.operator_username,
        station_id=portal.station_id,
    )


async def verified_challenge(
    client: PortalClient, token: str, phone: PortalCalls, person: EnrollmentPerson
) -> str:
    draft = await client.start_enrollment(
        token,
        AccountRequest(person.id_number, username_for(person), GOOD_PASSWORD, person.local_mobile),
    )
    await client.verify_code(token, draft.enrollment_id, phone.latest_code(person.mobile))
    return draft.enrollment_id


CHECKS = (LivenessResult("turn_left", True), LivenessResult("blink", True))


async def test_the_portal_accepts_the_exception_and_flags_the_account(
    client: PortalClient, token: str, portal: PortalHandle, phone: PortalCalls,
    people: list[EnrollmentPerson],
) -> None:  # fmt: skip
    person = people[0]
    tries = tuple(phone.fingerprint_verification(person, own_finger=False) for _ in range(3))
    challenge = await verified_challenge(client, token, phone, person)
    exception = FingerprintException(
        RIGHT_INDEX, portal.supervisor_username, "scarred ridges", 3, tries, datetime.now(UTC)
    )
    evidence = portal_evidence(core_evidence(portal, person, challenge, exception), CHECKS)

    activated = await client.submit_enrollment(token, challenge, evidence, str(uuid.uuid4()))

    assert evidence.fingerprint_verification_id is None
    assert activated.status == "active"
    assert activated.flags == ("fingerprint_exception",)


async def test_the_portal_refuses_an_exception_the_operator_approved_alone(
    client: PortalClient, token: str, portal: PortalHandle, phone: PortalCalls,
    people: list[EnrollmentPerson],
) -> None:  # fmt: skip
    person = people[1]
    challenge = await verified_challenge(client, token, phone, person)
    exception = FingerprintException(RIGHT_INDEX, portal.operator_username, "scarred", 3, ())
    evidence = portal_evidence(core_evidence(portal, person, challenge, exception), CHECKS)

    with pytest.raises(PortalProblemError) as refused:
        await client.submit_enrollment(token, challenge, evidence, str(uuid.uuid4()))

    assert refused.value.kind == "evidence-incomplete"
    assert [p.field for p in refused.value.field_problems] == [
        "fingerprint_exception.supervisor_id"
    ]
