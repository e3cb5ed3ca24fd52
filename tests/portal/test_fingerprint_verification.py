"""`POST /v1/fingerprint/verify` on the real portal: 1:1 decisions against the national
record's references (rendered from the population's synthetic fingers), limits and errors."""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any

import httpx
import numpy as np
import pytest
from sqlmodel import Session, func, select

from fixtures.population import finger_seed
from fixtures.records import Person
from matcher.fingerprint import Minutiae, encode_template, process_capture
from portal_mock.db import create_db_engine
from portal_mock.routes.fingerprint import ATTEMPTS_PER_PERSON_PER_HOUR
from portal_mock.tables import AuditEvent, FingerprintVerification
from simulator.fingerprint import MasterCache, render_impression
from tests.support.portal_server import PortalHandle
from tests.support.signing import signed_post

VERIFY = "/v1/fingerprint/verify"
RIGHT_INDEX = 2
# A booth capture: less clean than the enrolment references (1.1 = the FVC2002 B sets).
CAPTURE_DIFFICULTY = 0.6
_masters = MasterCache(maxsize=8)


def people(portal: PortalHandle, where: Callable[[Person], bool], count: int) -> list[Person]:
    engine = create_db_engine(portal.db_url)
    with Session(engine) as session:
        everyone = session.exec(select(Person).order_by(Person.id_number)).all()
    engine.dispose()
    chosen = [person for person in everyone if where(person)][:count]
    assert len(chosen) == count, "the test population lacks such people"
    return chosen


def with_all_fingers(person: Person) -> bool:
    return person.status == "active" and not person.missing_fingers and not person.scarred_fingers


def captured_template(person: Person, position: int, capture_seed: int) -> str:
    master = _masters.get(finger_seed(person.fingerprint_seed, position), position)
    image = render_impression(master, capture_seed, difficulty=CAPTURE_DIFFICULTY).image
    return base64.b64encode(process_capture(image).template(position)).decode()


def verify(
    portal: PortalHandle, client: httpx.Client, token: str, payload: dict[str, Any]
) -> httpx.Response:
    return signed_post(
        client, VERIFY, payload, cert=portal.pki.station_cert, key=portal.pki.station_key,
        token=token,
    )  # fmt: skip


def count_rows(portal: PortalHandle, model: Any, **equal: Any) -> int:
    engine = create_db_engine(portal.db_url)
    with Session(engine) as session:
        query = select(func.count()).select_from(model)
        for column, value in equal.items():
            query = query.where(getattr(model, column) == value)
        result = int(session.exec(query).one())
    engine.dispose()
    return result


def test_the_persons_own_finger_matches_and_the_verification_is_kept(
    portal: PortalHandle, client: httpx.Client, operator_token: str
) -> None:
    (person,) = people(portal, with_all_fingers, 1)
    template = captured_template(person, RIGHT_INDEX, capture_seed=11)
    answer = verify(
        portal,
        client,
        operator_token,
        {"id_number": person.id_number, "finger_position": RIGHT_INDEX, "template": template},
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["decision"] == "match"
    assert body["score"] >= body["threshold"]
    assert body["references_compared"] == 2
    assert count_rows(portal, FingerprintVerification, verification_id=body["verification_id"])


def test_another_persons_finger_does_not_match(
    portal: PortalHandle, client: httpx.Client, operator_token: str
) -> None:
    claimed, impostor = people(portal, with_all_fingers, 3)[1:]
    template = captured_template(impostor, RIGHT_INDEX, capture_seed=12)
    answer = verify(
        portal,
        client,
        operator_token,
        {"id_number": claimed.id_number, "finger_position": RIGHT_INDEX, "template": template},
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["decision"] == "no_match"
    assert answer.json()["score"] < answer.json()["threshold"]


def test_a_finger_recorded_as_missing_has_no_reference(
    portal: PortalHandle, client: httpx.Client, operator_token: str
) -> None:
    (person,) = people(portal, lambda p: bool(p.missing_fingers), 1)
    position = int(person.missing_fingers.split(",")[0])
    donor = people(portal, with_all_fingers, 1)[0]
    answer = verify(
        portal,
        client,
        operator_token,
        {
            "id_number": person.id_number,
            "finger_position": position,
            "template": captured_template(donor, RIGHT_INDEX, capture_seed=13),
        },
    )
    assert answer.status_code == 409, answer.text
    assert answer.json()["type"].endswith("/no-reference")
    assert answer.json()["detail_ar"]


@pytest.mark.parametrize(
    ("template", "says"),
    [
        ("not base64 at all!", "base64"),
        (base64.b64encode(b"FMR\0 20\0" + b"\0" * 4).decode(), "ISO/IEC 19794-2"),
        (base64.b64encode(b"\0" * 5000).decode(), "at most 4096"),
    ],
    ids=["not-base64", "truncated-record", "too-large"],
)
def test_an_unusable_template_gets_a_field_problem_in_both_languages(
    portal: PortalHandle, client: httpx.Client, operator_token: str, template: str, says: str
) -> None:
    (person,) = people(portal, with_all_fingers, 1)
    answer = verify(
        portal,
        client,
        operator_token,
        {"id_number": person.id_number, "finger_position": RIGHT_INDEX, "template": template},
    )
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    (error,) = answer.json()["errors"]
    assert error["field"] == "template"
    assert says in error["message"]
    assert error["message_ar"]


def test_an_unknown_person_is_not_found(
    portal: PortalHandle, client: httpx.Client, operator_token: str
) -> None:
    (donor,) = people(portal, with_all_fingers, 1)
    answer = verify(
        portal,
        client,
        operator_token,
        {
            "id_number": "1000000008",
            "finger_position": RIGHT_INDEX,
            "template": captured_template(donor, RIGHT_INDEX, capture_seed=14),
        },
    )
    assert answer.status_code == 404, answer.text


def test_attempts_per_person_are_limited_per_hour_and_each_is_audited(
    portal: PortalHandle, client: httpx.Client, operator_token: str
) -> None:
    person = people(portal, with_all_fingers, 5)[4]
    payload = {"id_number": person.id_number, "finger_position": RIGHT_INDEX, "template": "x"}
    statuses = [
        verify(portal, client, operator_token, payload).status_code
        for _ in range(ATTEMPTS_PER_PERSON_PER_HOUR + 1)
    ]
    assert statuses == [422] * ATTEMPTS_PER_PERSON_PER_HOUR + [429]
    limited = verify(portal, client, operator_token, payload)
    assert limited.status_code == 429
    assert limited.headers["retry-after"] == "3600"
    audited = count_rows(
        portal, AuditEvent, subject_id_number=person.id_number, action="fingerprint.verify"
    )
    assert audited == ATTEMPTS_PER_PERSON_PER_HOUR + 2


def test_a_template_with_too_few_minutiae_asks_for_a_recapture(
    portal: PortalHandle, client: httpx.Client, operator_token: str
) -> None:
    (person,) = people(portal, with_all_fingers, 1)
    few = np.arange(5, dtype=np.float32)
    sparse = Minutiae(
        x=40 + 20 * few,
        y=60 + 15 * few,
        angle=0.5 * few,
        kind=np.ones(5, np.int8),
        quality=np.full(5, 60, np.uint8),
        width=388,
        height=374,
    )
    template = encode_template(sparse.to_record(finger_position=RIGHT_INDEX))
    answer = verify(
        portal,
        client,
        operator_token,
        {
            "id_number": person.id_number,
            "finger_position": RIGHT_INDEX,
            "template": base64.b64encode(template).decode(),
        },
    )
    assert answer.status_code == 422, answer.text
    assert "5 minutiae" in answer.json()["errors"][0]["message"]
