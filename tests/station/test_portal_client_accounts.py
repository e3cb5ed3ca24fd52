"""`PortalClient`'s account step, submit and reference photo against the real portal: typed
answers, typed problems, and a retried submit that stays one account."""

from __future__ import annotations

import re
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path

import cv2
import numpy as np
import pytest

from station.operators import OperatorSession
from station.portal.account_models import AccountRequest, EnrollmentEvidence, LivenessResult
from station.portal.client import PortalClient
from station.portal.errors import PortalProblemError
from tests.station.conftest import FakeClock, settings_for
from tests.support.enrollment_people import (
    GOOD_PASSWORD,
    EnrollmentPerson,
    PortalCalls,
    add_enrollment_people,
    tiny_jpeg,
    username_for,
)
from tests.support.known_people import known
from tests.support.portal_server import PortalHandle

BATCH = 201


@pytest.fixture(scope="module")
def people(portal: PortalHandle) -> list[EnrollmentPerson]:
    return add_enrollment_people(portal.db_url, BATCH, 4)


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
    """The simulated citizen's phone (it reads the outbox) and the fingerprint step."""
    with portal.client() as http:
        yield PortalCalls(portal, http, token)


def account_for(person: EnrollmentPerson, **changes: str) -> AccountRequest:
    values = {
        "id_number": person.id_number,
        "username": username_for(person),
        "password": GOOD_PASSWORD,
        "mobile": person.local_mobile,
    } | changes
    return AccountRequest(**values)


def evidence_for(portal: PortalHandle, verification_id: str) -> EnrollmentEvidence:
    now = datetime.now(UTC)
    return EnrollmentEvidence(
        passive_authentication_source="card",
        passive_authentication_result="passed",
        passive_authentication_checked_at=now,
        document_signer="CN=Test Document Signer",
        fingerprint_verification_id=verification_id,
        face_score=0.8,
        face_threshold=0.6,
        face_model="dlib-resnet-128",
        face_reference="card_portrait",
        liveness_passed=True,
        liveness_checks=(LivenessResult("turn_left", True), LivenessResult("blink", True, 0.9)),
        portrait_jpeg=tiny_jpeg(),
        consent_text_version="consent-2025.1",
        consent_accepted_at=now,
        consent_language="ar",
        operator_id=portal.operator_username,
        station_id=portal.station_id,
    )


async def test_username_check_is_typed(client: PortalClient, token: str) -> None:
    free = await client.username_available(token, "free.username.x")
    taken = await client.username_available(token, "fatma.known")

    assert free.available
    assert free.problems == ()
    assert not taken.available
    assert "already taken" in taken.problems[0].en
    assert taken.problems[0].ar


async def test_a_whole_account_step_and_a_retried_submit_make_one_account(
    client: PortalClient, token: str, portal: PortalHandle, phone: PortalCalls,
    people: list[EnrollmentPerson],
) -> None:  # fmt: skip
    person = people[0]
    verification_id = phone.fingerprint_verification(person)

    draft = await client.start_enrollment(token, account_for(person))
    code = phone.latest_code(person.mobile)
    verified_at = await client.verify_code(token, draft.enrollment_id, code)
    key = str(uuid.uuid4())
    evidence = evidence_for(portal, verification_id)
    first = await client.submit_enrollment(token, draft.enrollment_id, evidence, key)
    retried = await client.submit_enrollment(token, draft.enrollment_id, evidence, key)

    assert re.fullmatch(r"05X XXX X[0-9]{3}", draft.code.mobile_masked)
    assert draft.code.attempts_left == 5
    assert draft.code.code_expires_at > verified_at
    assert first.status == "active"
    assert first.username == username_for(person)
    assert retried == first


async def test_a_wrong_code_and_an_early_resend_are_typed_problems(
    client: PortalClient, token: str, phone: PortalCalls, people: list[EnrollmentPerson]
) -> None:
    person = people[1]
    draft = await client.start_enrollment(token, account_for(person))
    code = phone.latest_code(person.mobile)

    with pytest.raises(PortalProblemError) as wrong:
        await client.verify_code(token, draft.enrollment_id, f"{(int(code) + 1) % 10**6:06d}")
    with pytest.raises(PortalProblemError) as early:
        await client.resend_code(token, draft.enrollment_id)
    phone.advance_clock(30)
    status = await client.resend_code(token, draft.enrollment_id)

    assert wrong.value.kind == "code-incorrect"
    assert wrong.value.detail.ar
    assert early.value.status == 429
    assert status.codes_sent == 2
    assert status.attempts_left == 5


async def test_a_number_in_another_name_is_a_typed_problem_on_the_mobile_field(
    client: PortalClient, token: str, people: list[EnrollmentPerson]
) -> None:
    person = people[2]

    with pytest.raises(PortalProblemError) as raised:
        await client.start_enrollment(token, account_for(person, mobile=person.other_mobile))

    assert raised.value.kind == "mobile-not-registered"
    assert raised.value.field_problems[0].field == "mobile"
    assert raised.value.title.ar


async def test_submitting_before_the_code_is_a_typed_problem(
    client: PortalClient, token: str, portal: PortalHandle, people: list[EnrollmentPerson]
) -> None:
    draft = await client.start_enrollment(token, account_for(people[3]))

    with pytest.raises(PortalProblemError) as raised:
        await client.submit_enrollment(
            token, draft.enrollment_id, evidence_for(portal, "none"), str(uuid.uuid4())
        )

    assert raised.value.kind == "code-not-verified"


async def test_the_reference_photo_arrives_as_jpeg_bytes(client: PortalClient, token: str) -> None:
    jpeg = await client.reference_photo(token, known("eligible").id_number)

    image = cv2.imdecode(np.frombuffer(jpeg, np.uint8), cv2.IMREAD_COLOR)
    assert image is not None
    assert image.shape[:2] == (600, 480)
