"""SMS one-time codes on the real portal: sent to the person's number (the simulated outbox),
verified, 5 wrong tries, 10-minute expiry on the portal's clock, resend with back-off; and the
outbox hidden when the portal is not in simulation mode."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from sqlmodel import Session

from portal_mock.account_tables import EnrollmentDraft
from portal_mock.db import create_db_engine
from portal_mock.enrollments import DRAFT_VALID
from portal_mock.sms_codes import MAX_CODES_PER_ENROLLMENT, MAX_WRONG_CODES, RESEND_BACKOFF_SECONDS
from tests.support.enrollment_people import (
    EnrollmentPerson,
    PortalCalls,
    add_enrollment_people,
    username_for,
)
from tests.support.known_people import insert_known_people
from tests.support.portal_server import PortalHandle, running_portal
from tests.support.signing import signed_post

BATCH = 102


@pytest.fixture(scope="module")
def people(portal: PortalHandle) -> list[EnrollmentPerson]:
    return add_enrollment_people(portal.db_url, BATCH, 10)


def other_code(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def problem_type(answer_json: dict[str, object]) -> str:
    return str(answer_json["type"]).rsplit("/", 1)[-1]


def test_the_code_goes_to_the_persons_phone_in_arabic_and_english(
    calls: PortalCalls, people: list[EnrollmentPerson]
) -> None:
    person = people[0]
    started = calls.start(person)
    messages = calls.outbox(person.local_mobile)

    assert started.status_code == 201, started.text
    code_status = started.json()["code"]
    sent_at = datetime.fromisoformat(messages[0]["sent_at"])
    assert code_status["mobile_masked"] == f"05X XXX X{person.mobile[-3:]}"
    assert code_status["attempts_left"] == MAX_WRONG_CODES
    expires = datetime.fromisoformat(code_status["code_expires_at"])
    resend = datetime.fromisoformat(code_status["resend_available_at"])
    assert expires - sent_at == timedelta(minutes=10)
    assert resend - sent_at == timedelta(seconds=RESEND_BACKOFF_SECONDS[0])
    assert len(messages) == 1
    message = messages[0]
    assert message["to"] == person.mobile
    assert message["enrollment_id"] == started.json()["enrollment_id"]
    arabic, english = message["text"].split("\n")
    code = re.findall(r"[0-9]{6}", english)[0]
    assert code in arabic
    assert "رمز" in arabic
    assert "10 minutes" in english


def test_the_code_is_stored_only_as_a_keyed_hash(
    portal: PortalHandle, calls: PortalCalls, people: list[EnrollmentPerson]
) -> None:
    enrollment_id = calls.started(people[1])
    code = calls.latest_code(people[1].mobile)

    engine = create_db_engine(portal.db_url)
    with Session(engine) as session:
        draft = session.get(EnrollmentDraft, enrollment_id)
        assert draft is not None
        stored = draft.model_dump_json()
    engine.dispose()
    assert re.fullmatch(r"[0-9a-f]{64}", draft.code_digest)
    assert code not in stored
    assert "dates and cardamom" not in stored  # the password: argon2id only
    assert draft.password_hash.startswith("$argon2id$")


def test_the_right_code_verifies_and_verifying_again_changes_nothing(
    calls: PortalCalls, people: list[EnrollmentPerson]
) -> None:
    enrollment_id = calls.started(people[2])
    code = calls.latest_code(people[2].mobile)

    first = calls.verify(enrollment_id, code)
    again = calls.verify(enrollment_id, code)

    assert first.status_code == 200, first.text
    assert first.json()["enrollment_id"] == enrollment_id
    assert again.status_code == 200
    assert again.json() == first.json()


def test_five_wrong_codes_and_a_new_code_is_needed(
    calls: PortalCalls, people: list[EnrollmentPerson]
) -> None:
    person = people[3]
    enrollment_id = calls.started(person)
    code = calls.latest_code(person.mobile)

    wrong = [calls.verify(enrollment_id, other_code(code)) for _ in range(MAX_WRONG_CODES)]
    right_but_too_late = calls.verify(enrollment_id, code)
    calls.advance_clock(RESEND_BACKOFF_SECONDS[0])
    resent = calls.resend(enrollment_id)
    new_code = calls.latest_code(person.mobile)
    old_code_now = calls.verify(enrollment_id, code) if new_code != code else None
    verified = calls.verify(enrollment_id, new_code)

    assert [answer.status_code for answer in wrong] == [422] * MAX_WRONG_CODES
    assert [answer.json()["attempts_left"] for answer in wrong] == [4, 3, 2, 1, 0]
    assert problem_type(wrong[0].json()) == "code-incorrect"
    assert wrong[0].json()["detail_ar"]
    assert right_but_too_late.status_code == 409
    assert problem_type(right_but_too_late.json()) == "code-attempts-exhausted"
    assert resent.status_code == 200, resent.text
    assert resent.json()["attempts_left"] == MAX_WRONG_CODES
    if old_code_now is not None:
        assert old_code_now.status_code == 422  # the old code stopped working
    assert verified.status_code == 200, verified.text


def test_a_code_expires_after_ten_minutes_on_the_portals_clock(
    calls: PortalCalls, people: list[EnrollmentPerson]
) -> None:
    person = people[4]
    enrollment_id = calls.started(person)
    code = calls.latest_code(person.mobile)

    calls.advance_clock(10 * 60 + 1)
    expired = calls.verify(enrollment_id, code)
    resent = calls.resend(enrollment_id)
    verified = calls.verify(enrollment_id, calls.latest_code(person.mobile))

    assert expired.status_code == 409
    assert problem_type(expired.json()) == "code-expired"
    assert "Send a new code" in expired.json()["detail"]
    assert resent.status_code == 200, resent.text
    assert verified.status_code == 200, verified.text


def test_a_code_still_works_just_before_it_expires(
    calls: PortalCalls, people: list[EnrollmentPerson]
) -> None:
    person = people[5]
    enrollment_id = calls.started(person)
    code = calls.latest_code(person.mobile)

    calls.advance_clock(10 * 60 - 5)
    verified = calls.verify(enrollment_id, code)

    assert verified.status_code == 200, verified.text


def test_resending_backs_off_30_60_120_seconds_then_stops(
    calls: PortalCalls, people: list[EnrollmentPerson]
) -> None:
    person = people[6]
    enrollment_id = calls.started(person)
    waits = [*RESEND_BACKOFF_SECONDS, RESEND_BACKOFF_SECONDS[-1]]
    refused: list[int] = []
    for wait in waits:
        early = calls.resend(enrollment_id)
        assert early.status_code == 429, early.text
        assert problem_type(early.json()) == "rate-limited"
        refused.append(int(early.headers["Retry-After"]))
        calls.advance_clock(wait)
        assert calls.resend(enrollment_id).status_code == 200
    over_limit = calls.resend(enrollment_id)

    # Retry-After counts from the last send, which was a moment ago.
    assert [abs(got - wait) <= 1 for got, wait in zip(refused, waits, strict=True)] == [True] * 4
    assert len(calls.outbox(person.mobile)) == MAX_CODES_PER_ENROLLMENT
    assert over_limit.status_code == 409
    assert problem_type(over_limit.json()) == "code-resend-limit"


def test_the_account_step_times_out(calls: PortalCalls, people: list[EnrollmentPerson]) -> None:
    person = people[7]
    enrollment_id = calls.started(person)

    calls.advance_clock(DRAFT_VALID.total_seconds() + 1)
    answer = calls.verify(enrollment_id, calls.latest_code(person.mobile))

    assert answer.status_code == 409
    assert problem_type(answer.json()) == "enrollment-expired"


def test_a_malformed_code_or_unknown_enrollment_is_refused(
    calls: PortalCalls, people: list[EnrollmentPerson]
) -> None:
    enrollment_id = calls.started(people[8])

    letters = calls.verify(enrollment_id, "12a456")
    short = calls.verify(enrollment_id, "12345")
    unknown = calls.verify("00000000-0000-4000-8000-000000000000", "123456")
    unknown_resend = calls.resend("00000000-0000-4000-8000-000000000000")

    for answer in (letters, short):
        assert answer.status_code == 422
        assert answer.json()["errors"][0]["field"] == "code"
    for answer in (unknown, unknown_resend):
        assert answer.status_code == 404
        assert "Start the account step again" in answer.json()["detail"]


def test_a_person_cannot_be_sent_codes_without_end(
    calls: PortalCalls, people: list[EnrollmentPerson]
) -> None:
    person = people[9]
    answers = [calls.start(person, username=username_for(person, str(n))) for n in range(6)]

    assert [answer.status_code for answer in answers] == [201] * 5 + [429]
    assert "Retry-After" in answers[-1].headers


# Outside simulation mode ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def production_like_portal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PortalHandle]:
    with running_portal(
        tmp_path_factory.mktemp("portal-no-simulation"),
        population=insert_known_people,
        simulation_endpoints=False,
    ) as handle:
        yield handle


def test_without_simulation_mode_the_outbox_and_clock_do_not_exist(
    production_like_portal: PortalHandle,
) -> None:
    portal = production_like_portal
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
        started = calls.start(person)
        outbox = client.get("/v1/simulation/sms-outbox", params={"to": person.mobile})
        clock = client.post("/v1/simulation/clock", json={"advance_seconds": 600})

    assert started.status_code == 201, started.text  # the code went out, just not to a readable box
    for answer in (outbox, clock):
        assert answer.status_code == 404
        assert "simulation mode" in answer.json()["detail"]
    log = (portal.state_dir / "logs" / "portal.log").read_text()
    assert "sms_sent" in log
    assert person.mobile not in log  # the log shows the number masked
