"""Identity lookup outcomes against the real portal: found and eligible, already registered,
not eligible (and why), and the single 404 for unknown ID or wrong date of birth."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlmodel import Session, select

from fixtures.records import Person
from portal_mock.clock import riyadh_date, utc_now
from portal_mock.db import create_db_engine
from portal_mock.eligibility import assess
from tests.support.known_people import known, known_people
from tests.support.portal_server import PortalHandle
from tests.support.signing import signed_post

LOOKUP = "/v1/identity/lookup"


def _lookup(
    portal: PortalHandle, client: httpx.Client, token: str, payload: dict[str, Any]
) -> httpx.Response:
    return signed_post(
        client,
        LOOKUP,
        payload,
        cert=portal.pki.station_cert,
        key=portal.pki.station_key,
        token=token,
    )


def test_eligible_person_is_found_with_names_and_both_birth_dates(
    portal: PortalHandle, client: httpx.Client, operator_token: str
) -> None:
    person = known("eligible")

    answer = _lookup(
        portal,
        client,
        operator_token,
        {"id_number": person.id_number, "birth_date": "1990-05-17", "calendar": "gregorian"},
    )

    assert answer.status_code == 200, answer.text
    assert answer.json() == {
        "id_number": person.id_number,
        "kind": "citizen",
        "name_ar": "محمد عبدالله سعد القحطاني",
        "name_en": "Mohammed Abdullah Saad Al-Qahtani",
        "sex": "male",
        "nationality": "SAU",
        "birth_date": "1990-05-17",
        "birth_date_hijri": "1410-10-22",
        "id_expiry": answer.json()["id_expiry"],
        "status": "active",
        "has_portal_account": False,
        "eligibility": "eligible",
        "reasons": [],
    }


def test_hijri_birth_date_finds_the_same_person(
    portal: PortalHandle, client: httpx.Client, operator_token: str
) -> None:
    person = known("eligible")

    answer = _lookup(
        portal,
        client,
        operator_token,
        {"id_number": person.id_number, "birth_date": "1410-10-22", "calendar": "hijri"},
    )

    assert answer.status_code == 200, answer.text
    assert answer.json()["birth_date"] == "1990-05-17"


def test_person_with_an_account_is_already_registered(
    portal: PortalHandle, client: httpx.Client, operator_token: str
) -> None:
    person = known("already_registered")

    answer = _lookup(
        portal,
        client,
        operator_token,
        {"id_number": person.id_number, "birth_date": person.birth_date.isoformat()},
    )

    assert answer.status_code == 200
    assert answer.json()["kind"] == "resident"
    assert answer.json()["has_portal_account"] is True
    assert answer.json()["eligibility"] == "already_registered"


@pytest.mark.parametrize("outcome", ["deceased", "under_age", "id_expired"])
def test_not_eligible_people_get_the_reason_in_both_languages(
    portal: PortalHandle, client: httpx.Client, operator_token: str, outcome: str
) -> None:
    person = known(outcome)

    answer = _lookup(
        portal,
        client,
        operator_token,
        {"id_number": person.id_number, "birth_date": person.birth_date.isoformat()},
    )

    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["eligibility"] == "not_eligible"
    assert [reason["code"] for reason in body["reasons"]] == [outcome]
    assert all(reason["message"] and reason["message_ar"] for reason in body["reasons"])
    assert body["status"] == ("deceased" if outcome == "deceased" else "active")


def test_unknown_id_and_wrong_birth_date_get_the_same_404(
    portal: PortalHandle, client: httpx.Client, operator_token: str
) -> None:
    person = known("eligible")
    unknown_id = "1000000008"  # Luhn-valid, in no population

    wrong_birth_date = _lookup(
        portal,
        client,
        operator_token,
        {"id_number": person.id_number, "birth_date": "1990-05-18"},
    )
    unknown = _lookup(
        portal, client, operator_token, {"id_number": unknown_id, "birth_date": "1990-05-17"}
    )

    assert wrong_birth_date.status_code == unknown.status_code == 404
    assert wrong_birth_date.headers["content-type"] == "application/problem+json"
    assert wrong_birth_date.json() == unknown.json()
    assert wrong_birth_date.json()["type"].endswith("/not-found")
    assert wrong_birth_date.json()["detail_ar"]


def test_generated_people_are_answered_as_their_records_say(
    portal: PortalHandle, client: httpx.Client, operator_token: str
) -> None:
    engine = create_db_engine(portal.db_url)
    with Session(engine) as session:
        people = session.exec(select(Person).order_by(Person.id_number).limit(25)).all()
    engine.dispose()
    today = riyadh_date(utc_now())

    for person in people:
        answer = _lookup(
            portal,
            client,
            operator_token,
            {
                "id_number": person.id_number,
                "birth_date": person.birth_date_hijri,
                "calendar": "hijri",
            },
        )
        assert answer.status_code == 200, answer.text
        body = answer.json()
        assert (body["name_ar"], body["name_en"]) == (person.name_ar, person.name_en)
        assert body["eligibility"] == assess(person, today)[0]
    # Five known people at least; 25 once fixtures.population generates the rest.
    assert len(people) >= len(known_people())
