"""The enrollment submit on the real portal: one request with an Idempotency-Key creates and
activates the account, or says why not; a repeat gives the same answer and no second account;
the portrait is kept only sealed (AES-256-GCM). Also once on PostgreSQL."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography.exceptions import InvalidTag
from sqlmodel import Session, func, select

from fixtures.records import Person
from portal_mock.account_tables import (
    EnrollmentDraft,
    EnrollmentPortrait,
    PortalAccount,
    SmsMessage,
)
from portal_mock.data_key import DataKey, Sealed
from portal_mock.db import create_db_engine
from portal_mock.enrollment_submit import open_portrait
from tests.support.enrollment_people import (
    EnrollmentPerson,
    PortalCalls,
    add_enrollment_people,
    evidence,
    new_key,
    tiny_jpeg,
)
from tests.support.known_people import insert_known_people
from tests.support.portal_server import PortalHandle, running_portal
from tests.support.signing import signed_post

BATCH = 103


@pytest.fixture(scope="module")
def people(portal: PortalHandle) -> list[EnrollmentPerson]:
    return add_enrollment_people(portal.db_url, BATCH, 8)


def kind(answer_json: dict[str, Any]) -> str:
    return str(answer_json["type"]).rsplit("/", 1)[-1]


def rows(db_url: str, model: Any, **equal: Any) -> int:
    engine = create_db_engine(db_url)
    with Session(engine) as session:
        query = select(func.count()).select_from(model)
        for column, value in equal.items():
            query = query.where(getattr(model, column) == value)
        count = int(session.exec(query).one())
    engine.dispose()
    return count


def data_key_of(portal: PortalHandle) -> DataKey:
    return DataKey((portal.state_dir / "portal-data.key").read_bytes())


def test_a_complete_submission_creates_and_activates_one_account(
    portal: PortalHandle, calls: PortalCalls, people: list[EnrollmentPerson]
) -> None:
    person = people[0]
    verification_id = calls.fingerprint_verification(person)
    enrollment_id = calls.verified(person)
    body = evidence(portal, verification_id)
    key = new_key()

    first = calls.submit(enrollment_id, body, key)
    # The station retries (e.g. after a timeout): same key, same body, other JSON spacing.
    replay = calls.request(
        "POST",
        f"/v1/enrollments/{enrollment_id}/submit",
        raw=json.dumps(body, indent=2, sort_keys=True).encode(),
        headers={"Idempotency-Key": key},
    )

    assert first.status_code == 201, first.text
    activated = first.json()
    assert activated["status"] == "active"
    assert activated["id_number"] == person.id_number
    assert activated["mobile_masked"] == f"05X XXX X{person.mobile[-3:]}"
    assert replay.status_code == 201
    assert replay.json() == activated
    assert replay.headers["Idempotent-Replayed"] == "true"
    assert rows(portal.db_url, PortalAccount, id_number=person.id_number) == 1
    assert calls.outbox(person.mobile)[0]["kind"] == "account_activated"
    # The lookup now reports the account.
    engine = create_db_engine(portal.db_url)
    with Session(engine) as session:
        record = session.get(Person, person.id_number)
        assert record is not None
        assert record.has_portal_account
        assert record.portal_username == activated["username"]
    engine.dispose()


def test_the_portrait_is_stored_sealed_and_opens_only_for_its_enrollment(
    portal: PortalHandle, calls: PortalCalls, people: list[EnrollmentPerson]
) -> None:
    person = people[1]
    verification_id = calls.fingerprint_verification(person)
    enrollment_id = calls.verified(person)
    answer = calls.submit(enrollment_id, evidence(portal, verification_id), new_key())
    assert answer.status_code == 201, answer.text

    key = data_key_of(portal)
    engine = create_db_engine(portal.db_url)
    with Session(engine) as session:
        sealed = session.get(EnrollmentPortrait, enrollment_id)
        draft = session.get(EnrollmentDraft, enrollment_id)
        assert sealed is not None
        assert draft is not None
        opened = open_portrait(session, draft, key)
        moved = Sealed(sealed.key_id, sealed.nonce, sealed.sealed_jpeg)
        with pytest.raises(InvalidTag):
            key.open(
                moved, b"hawiya-portrait\x00another-enrollment\x00" + person.id_number.encode()
            )
    engine.dispose()
    assert opened == tiny_jpeg()
    assert b"\xff\xd8\xff" not in sealed.sealed_jpeg[:8]
    assert b"JFIF" not in sealed.sealed_jpeg
    assert draft.evidence_json is not None
    assert "jpeg_base64" not in draft.evidence_json
    assert (portal.state_dir / "portal-data.key").stat().st_mode & 0o077 == 0
    # Nothing else on disk holds the JPEG in clear: the SQLite files are the only storage.
    jpeg_body = tiny_jpeg()[20:60]
    for path in portal.state_dir.glob("population.db*"):
        assert jpeg_body not in path.read_bytes(), path


def test_the_same_key_with_another_body_is_refused(
    portal: PortalHandle, calls: PortalCalls, people: list[EnrollmentPerson]
) -> None:
    person = people[2]
    verification_id = calls.fingerprint_verification(person)
    enrollment_id = calls.verified(person)
    key = new_key()
    first = calls.submit(enrollment_id, evidence(portal, verification_id), key)
    altered = evidence(
        portal,
        verification_id,
        face={
            "score": 0.9,
            "threshold": 0.6,
            "model": "dlib-resnet-128",
            "reference": "card_portrait",
        },
    )

    second = calls.submit(enrollment_id, altered, key)
    new_key_same_body = calls.submit(enrollment_id, evidence(portal, verification_id), new_key())

    assert first.status_code == 201, first.text
    assert second.status_code == 422
    assert kind(second.json()) == "idempotency-key-reused"
    assert second.json()["detail_ar"]
    # A new key is a new request: the person has an account now.
    assert new_key_same_body.status_code == 409
    assert kind(new_key_same_body.json()) == "already-registered"
    assert rows(portal.db_url, PortalAccount, id_number=person.id_number) == 1


def test_without_an_idempotency_key_nothing_is_created(
    portal: PortalHandle, calls: PortalCalls, people: list[EnrollmentPerson]
) -> None:
    person = people[3]
    enrollment_id = calls.verified(person)

    missing = calls.submit(enrollment_id, evidence(portal, "x"), None)
    malformed = calls.submit(enrollment_id, evidence(portal, "x"), "short")

    for answer in (missing, malformed):
        assert answer.status_code == 400
        assert kind(answer.json()) == "idempotency-key-missing"
    assert rows(portal.db_url, PortalAccount, id_number=person.id_number) == 0


def test_a_submission_before_the_code_is_verified_is_refused(
    portal: PortalHandle, calls: PortalCalls, people: list[EnrollmentPerson]
) -> None:
    enrollment_id = calls.started(people[4])

    answer = calls.submit(enrollment_id, evidence(portal, "x"), new_key())

    assert answer.status_code == 409
    assert kind(answer.json()) == "code-not-verified"


def test_missing_or_failing_evidence_is_listed(
    portal: PortalHandle, calls: PortalCalls, people: list[EnrollmentPerson]
) -> None:
    enrollment_id = calls.verified(people[4], username="u4.evidence")
    missing = evidence(portal, None, portrait=None, consent=None, liveness=None)
    failing = evidence(
        portal,
        "x",
        passive_authentication={"source": "card", "result": "failed"},
        face={"score": 0.41, "threshold": 0.6, "model": "m", "reference": "card_portrait"},
        liveness={"passed": True, "checks": [{"name": "blink", "passed": False}]},
        portrait={"jpeg_base64": base64.b64encode(b"GIF89a not a jpeg").decode()},
        operator_id="someone-else",
        station_id="station-9999",
    )
    manual_with_card_portrait = evidence(
        portal, "x", passive_authentication={"source": "manual_entry", "result": "not_performed"}
    )

    answers = [
        calls.submit(enrollment_id, body, new_key())
        for body in (missing, failing, manual_with_card_portrait)
    ]

    fields = [{error["field"] for error in answer.json()["errors"]} for answer in answers]
    assert [answer.status_code for answer in answers] == [422, 422, 422]
    assert {kind(answer.json()) for answer in answers} == {"evidence-incomplete"}
    assert fields[0] == {"fingerprint", "portrait", "consent", "liveness"}
    assert fields[1] == {
        "passive_authentication.result",
        "face.score",
        "liveness",
        "portrait.jpeg_base64",
        "operator_id",
        "station_id",
    }
    assert fields[2] == {"face.reference"}
    assert all(error["message_ar"] for answer in answers for error in answer.json()["errors"])


def test_a_fingerprint_that_did_not_match_or_is_someone_elses_is_refused(
    portal: PortalHandle, calls: PortalCalls, people: list[EnrollmentPerson]
) -> None:
    person, other = people[5], people[6]
    no_match = calls.fingerprint_verification(person, own_finger=False)
    others = calls.fingerprint_verification(other)
    enrollment_id = calls.verified(person)

    answers = [
        calls.submit(enrollment_id, evidence(portal, verification), new_key())
        for verification in (no_match, others, "00000000-0000-4000-8000-000000000000")
    ]

    for answer in answers:
        assert answer.status_code == 409, answer.text
        assert kind(answer.json()) == "fingerprint-not-verified"
    assert "did not match" in answers[0].json()["detail"]
    assert "for this person" in answers[1].json()["detail"]
    assert rows(portal.db_url, PortalAccount, id_number=person.id_number) == 0


def test_a_manual_entry_matched_against_the_reference_photo_is_accepted(
    portal: PortalHandle, calls: PortalCalls, people: list[EnrollmentPerson]
) -> None:
    person = people[7]
    verification_id = calls.fingerprint_verification(person)
    enrollment_id = calls.verified(person)
    body = evidence(
        portal,
        verification_id,
        passive_authentication={"source": "manual_entry", "result": "not_performed"},
        face={"score": 0.7, "threshold": 0.6, "model": "dlib", "reference": "reference_photo"},
    )

    answer = calls.submit(enrollment_id, body, new_key())

    assert answer.status_code == 201, answer.text


def test_an_unknown_enrollment_cannot_be_submitted(
    portal: PortalHandle, calls: PortalCalls
) -> None:
    answer = calls.submit("00000000-0000-4000-8000-000000000000", evidence(portal, "x"), new_key())

    assert answer.status_code == 404


# PostgreSQL ----------------------------------------------------------------------------------


@pytest.fixture
def postgres_portal(
    fresh_postgres_database: Callable[[], str], tmp_path: Path
) -> Iterator[PortalHandle]:
    with running_portal(
        tmp_path / "pg-submit-portal",
        population=insert_known_people,
        db_url=fresh_postgres_database(),
    ) as handle:
        yield handle


def test_submit_is_idempotent_on_postgresql(postgres_portal: PortalHandle) -> None:
    portal = postgres_portal
    (person,) = add_enrollment_people(portal.db_url, BATCH, 1)
    with portal.client() as client:
        signed_in = signed_post(
            client,
            "/v1/operators/sign-in",
            {"username": portal.operator_username, "password": portal.operator_password},
            cert=portal.pki.station_cert,
            key=portal.pki.station_key,
        )
        calls = PortalCalls(portal, client, signed_in.json()["token"])
        verification_id = calls.fingerprint_verification(person)
        enrollment_id = calls.verified(person)
        key, body = new_key(), evidence(portal, verification_id)
        answers = [calls.submit(enrollment_id, body, key) for _ in range(2)]

    assert portal.db_url.startswith("postgresql")
    assert [answer.status_code for answer in answers] == [201, 201], answers[0].text
    assert answers[0].json() == answers[1].json()
    assert rows(portal.db_url, PortalAccount, id_number=person.id_number) == 1
    assert rows(portal.db_url, EnrollmentPortrait, enrollment_id=enrollment_id) == 1
    assert rows(portal.db_url, SmsMessage, to=person.mobile) == 2  # the code, then "active"
