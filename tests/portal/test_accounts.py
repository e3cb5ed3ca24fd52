"""The account rules on the real portal: username, password (NIST SP 800-63B), Saudi mobile
number in the person's own name, optional email; and the live username check."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.support.enrollment_people import (
    GOOD_PASSWORD,
    EnrollmentPerson,
    PortalCalls,
    add_enrollment_people,
    username_for,
)
from tests.support.known_people import known
from tests.support.portal_server import PortalHandle

BATCH = 101


@pytest.fixture(scope="module")
def people(portal: PortalHandle) -> list[EnrollmentPerson]:
    return add_enrollment_people(portal.db_url, BATCH, 12)


def field_messages(answer: httpx.Response, field: str) -> list[str]:
    assert answer.status_code == 422, answer.text
    body = answer.json()
    assert answer.headers["content-type"].startswith("application/problem+json")
    errors = [error for error in body["errors"] if error["field"] == field]
    assert all(error["message_ar"] for error in errors)
    return [error["message"] for error in errors]


def availability(calls: PortalCalls, username: str, id_number: str | None = None) -> Any:
    query = f"username={username}" + (f"&id_number={id_number}" if id_number else "")
    answer = calls.request("GET", f"/v1/accounts/username-available?{query}")
    assert answer.status_code == 200, answer.text
    return answer.json()


# Username ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        ("abc12", "6 to 20 characters"),
        ("a" * 21, "6 to 20 characters"),
        ("9lives.cat", "start with an English letter"),
        ("_sultan.q", "start with an English letter"),
        ("sultan q", "Use only English letters"),
        ("سلطان_الشمري", "Use only English letters"),
        ("sultan@home", "Use only English letters"),
    ],
)
def test_a_username_against_the_rules_is_refused_with_the_reason(
    calls: PortalCalls, people: list[EnrollmentPerson], username: str, expected: str
) -> None:
    answer = calls.start(people[0], username=username)

    messages = field_messages(answer, "username")
    assert any(expected in message for message in messages), messages


def test_a_username_holding_the_id_number_is_refused(
    calls: PortalCalls, people: list[EnrollmentPerson]
) -> None:
    answer = calls.start(people[0], username=f"x{people[0].id_number}")

    assert any("ID number" in m for m in field_messages(answer, "username"))


def test_a_username_taken_in_another_case_is_refused(
    calls: PortalCalls, people: list[EnrollmentPerson]
) -> None:
    # fatma.known holds an account on the national record (tests.support.known_people).
    answer = calls.start(people[0], username="Fatma.Known")

    assert any("already taken" in m for m in field_messages(answer, "username"))


def test_the_live_check_says_free_taken_or_why_not(
    calls: PortalCalls, people: list[EnrollmentPerson]
) -> None:
    free = availability(calls, username_for(people[1], "free"))
    taken = availability(calls, "FATMA.KNOWN")
    short = availability(calls, "ab")
    own_id = availability(calls, f"s{people[1].id_number}", people[1].id_number)

    assert free == {"username": username_for(people[1], "free"), "available": True, "problems": []}
    assert not taken["available"]
    assert "already taken" in taken["problems"][0]["message"]
    assert taken["problems"][0]["message_ar"]
    assert not short["available"]
    assert "6 to 20" in short["problems"][0]["message"]
    assert not own_id["available"]
    assert "ID number" in own_id["problems"][0]["message"]


def test_the_live_check_needs_the_station_and_the_operator(portal: PortalHandle) -> None:
    with portal.client() as client:
        answer = client.get("/v1/accounts/username-available", params={"username": "sultan.q"})

    assert answer.status_code == 401
    assert answer.json()["reason"] == "missing_signature"


# Password ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "expected"),
    [
        ("short7!", "at least 8 characters"),
        ("x" * 129, "at most 128"),
        ("password", "too common"),
        ("Password1", "too common"),  # "password1" is on the breached list, case aside
        ("iloveyou2", "too common"),
        ("qwertyuiop", "too common"),
        ("Absher2024!", "too common"),
        ("aaaaaaaaaaaa", "too common"),
        ("abcdefghij", "too common"),
        ("98765432", "too common"),
    ],
)
def test_a_weak_password_is_refused_with_the_reason(
    calls: PortalCalls, people: list[EnrollmentPerson], password: str, expected: str
) -> None:
    answer = calls.start(people[0], password=password)

    messages = field_messages(answer, "password")
    assert any(expected in message for message in messages), messages


def test_a_password_holding_the_username_id_number_or_a_name_is_refused(
    calls: PortalCalls, people: list[EnrollmentPerson]
) -> None:
    person = people[0]
    username = username_for(person)
    with_username = calls.start(person, password=f"my {username} secret")
    with_id = calls.start(person, password=f"id {person.id_number}")
    with_name = calls.start(person, password=f"{person.given_name_en.upper()} rides camels")
    with_family = calls.start(person, password="shammari forever and ever")
    with_arabic_name = calls.start(person, password="سلطان يحب القهوة")

    assert any("username" in m for m in field_messages(with_username, "password"))
    assert any("ID number" in m for m in field_messages(with_id, "password"))
    for answer in (with_name, with_family, with_arabic_name):
        assert any("your name" in m for m in field_messages(answer, "password"))


def test_long_passphrases_in_any_script_without_composition_rules_are_accepted(
    calls: PortalCalls, people: list[EnrollmentPerson]
) -> None:
    # No upper case, no digit, no symbol: SP 800-63B forbids demanding them.
    lower_words = calls.start(people[2], password="camel caravans cross at dusk")
    arabic = calls.start(
        people[3], password="القهوة العربية مع التمر", username=username_for(people[3])
    )
    sixty_four = calls.start(people[4], password="k" + "7h" * 31 + "q")

    assert lower_words.status_code == 201, lower_words.text
    assert arabic.status_code == 201, arabic.text
    assert sixty_four.status_code == 201, sixty_four.text


def test_every_invalid_field_is_reported_at_once(
    calls: PortalCalls, people: list[EnrollmentPerson]
) -> None:
    answer = calls.start(
        people[0], username="9", password="password", mobile="12345", email="not-an-email"
    )

    fields = {error["field"] for error in answer.json()["errors"]}
    assert answer.status_code == 422
    assert fields == {"username", "password", "mobile", "email"}


# Mobile and email ----------------------------------------------------------------------------


@pytest.mark.parametrize("mobile", ["0512345678x", "+96651234567", "0612345678", "+9715012345678"])
def test_a_mobile_number_not_in_saudi_format_is_refused(
    calls: PortalCalls, people: list[EnrollmentPerson], mobile: str
) -> None:
    answer = calls.start(people[0], mobile=mobile)

    assert any("05XXXXXXXX" in m for m in field_messages(answer, "mobile"))


def test_both_saudi_formats_of_the_persons_own_number_are_accepted(
    calls: PortalCalls, people: list[EnrollmentPerson]
) -> None:
    local = calls.start(people[5], mobile=people[5].local_mobile)
    international = calls.start(people[6], mobile=people[6].mobile)
    spaced = calls.start(
        people[7], mobile=people[7].local_mobile[:3] + " " + people[7].local_mobile[3:]
    )

    for answer, person in ((local, people[5]), (international, people[6]), (spaced, people[7])):
        assert answer.status_code == 201, answer.text
        assert answer.json()["code"]["mobile_masked"] == f"05X XXX X{person.mobile[-3:]}"


def test_a_number_registered_to_someone_else_is_refused_with_its_own_problem(
    calls: PortalCalls, people: list[EnrollmentPerson]
) -> None:
    answer = calls.start(people[0], mobile=people[0].other_mobile)
    unknown = calls.start(people[0], mobile="0500000001")

    for refused in (answer, unknown):
        body = refused.json()
        assert refused.status_code == 422, refused.text
        assert body["type"] == "https://hawiya.example/problems/mobile-not-registered"
        assert "not registered to this person" in body["detail"]
        assert body["detail_ar"]
        assert body["title_ar"]
        assert body["errors"][0]["field"] == "mobile"
    # The refusal names the number only masked.
    assert people[0].other_mobile[-7:-3] not in answer.text


def test_an_optional_email_is_validated_when_given(
    calls: PortalCalls, people: list[EnrollmentPerson]
) -> None:
    bad = calls.start(people[0], email="sultan@@example")
    good = calls.start(people[8], email="sultan.q@example.sa")

    assert any("not an email" in m for m in field_messages(bad, "email"))
    assert good.status_code == 201, good.text


# Who may enroll ------------------------------------------------------------------------------


def test_an_ineligible_or_registered_person_cannot_start(calls: PortalCalls) -> None:
    registered = calls.request(
        "POST",
        "/v1/enrollments",
        {
            "id_number": known("already_registered").id_number,
            "username": "fatma.second",
            "password": GOOD_PASSWORD,
            "mobile": "0551112222",
        },
    )
    deceased = calls.request(
        "POST",
        "/v1/enrollments",
        {
            "id_number": known("deceased").id_number,
            "username": "saleh.h",
            "password": GOOD_PASSWORD,
            "mobile": "0551112223",
        },
    )

    assert registered.status_code == 409
    assert registered.json()["type"].endswith("/already-registered")
    assert deceased.status_code == 409
    assert deceased.json()["type"].endswith("/ineligible")
    assert deceased.json()["reasons"][0]["code"] == "deceased"


def test_an_unknown_id_number_is_not_found(calls: PortalCalls) -> None:
    answer = calls.request(
        "POST",
        "/v1/enrollments",
        {"id_number": "1000000008", "username": "nobody.here", "password": GOOD_PASSWORD,
         "mobile": "0551112224"},
    )  # fmt: skip

    assert answer.status_code == 404
    assert answer.json()["type"].endswith("/not-found")
