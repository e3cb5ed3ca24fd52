"""A supervisor's fingerprint exception at the real portal's submit: it stands in for a matched
verification when the supervisor is a supervisor other than the operator and the booth's 3 failed
tries of the finger are real verifications of this person; the account is flagged for review."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import update
from sqlmodel import Session, col, select

from portal_mock.account_tables import AccountFlag, EnrollmentDraft, PortalAccount
from portal_mock.admin import add_operator
from portal_mock.clock import utc_now
from portal_mock.db import create_db_engine
from portal_mock.tables import AuditEvent, FingerprintVerification
from tests.support.enrollment_people import (
    RIGHT_INDEX,
    EnrollmentPerson,
    PortalCalls,
    add_enrollment_people,
    evidence,
    new_key,
)
from tests.support.portal_server import PortalHandle
from tests.support.signing import signed_post

BATCH = 104
LEFT_INDEX = 7


@pytest.fixture(scope="module")
def people(portal: PortalHandle) -> list[EnrollmentPerson]:
    return add_enrollment_people(portal.db_url, BATCH, 5)


def kind(answer_json: dict[str, Any]) -> str:
    return str(answer_json["type"]).rsplit("/", 1)[-1]


def failed_tries(calls: PortalCalls, person: EnrollmentPerson, count: int = 3) -> list[str]:
    """`count` real verifications of the person's right index that did not match."""
    return [calls.fingerprint_verification(person, own_finger=False) for _ in range(count)]


def exception(
    supervisor: str, *fingers: tuple[int, str, list[str]], **extra: Any
) -> dict[str, Any]:
    return {
        "fingers": [
            {"finger_position": position, "reason": reason, "failed_verification_ids": ids}
            for position, reason, ids in fingers
        ],
        "supervisor_id": supervisor,
        "note": "ridges worn away",
    } | extra


def with_exception(portal: PortalHandle, part: dict[str, Any]) -> dict[str, Any]:
    return evidence(portal, None) | {"fingerprint_exception": part}


def test_an_exception_on_three_failed_tries_creates_an_account_flagged_for_review(
    portal: PortalHandle, calls: PortalCalls, people: list[EnrollmentPerson]
) -> None:
    person = people[0]
    tries = failed_tries(calls, person)
    enrollment_id = calls.verified(person)
    part = exception(
        portal.supervisor_username,
        (RIGHT_INDEX, "scarred", tries),
        # Beside a tried finger, an amputated one is recorded without tries.
        (LEFT_INDEX, "amputated", []),
        approved_at=utc_now().isoformat(),
    )
    body = with_exception(portal, part)
    key = new_key()

    first = calls.submit(enrollment_id, body, key)
    replay = calls.submit(enrollment_id, body, key)

    assert first.status_code == 201, first.text
    assert first.json()["status"] == "active"
    assert first.json()["flags"] == ["fingerprint_exception"]
    assert replay.json() == first.json()
    assert replay.headers["Idempotent-Replayed"] == "true"
    engine = create_db_engine(portal.db_url)
    with Session(engine) as session:
        account = session.exec(
            select(PortalAccount).where(PortalAccount.id_number == person.id_number)
        ).one()
        flag = session.get(AccountFlag, (account.account_id, "fingerprint_exception"))
        draft = session.get(EnrollmentDraft, enrollment_id)
        supervisor_events = session.exec(
            select(AuditEvent)
            .where(AuditEvent.subject_id_number == person.id_number)
            .where(AuditEvent.action == "enrollment.fingerprint_exception")
        ).all()
    engine.dispose()
    assert flag is not None
    assert flag.reviewed_at is None
    detail = json.loads(flag.detail_json)
    assert detail["supervisor_id"] == portal.supervisor_username
    assert detail["operator"] == portal.operator_username
    assert detail["fingers"][0]["failed_verification_ids"] == tries
    assert draft is not None
    assert draft.evidence_json is not None
    assert json.loads(draft.evidence_json)["fingerprint_exception"]["supervisor_id"] == (
        portal.supervisor_username
    )
    assert [(e.operator, e.outcome) for e in supervisor_events] == [
        (portal.supervisor_username, "flagged_for_review")
    ]


def test_a_matched_verification_leaves_the_account_unflagged(
    portal: PortalHandle, calls: PortalCalls, people: list[EnrollmentPerson]
) -> None:
    person = people[1]
    verification_id = calls.fingerprint_verification(person)
    enrollment_id = calls.verified(person)

    answer = calls.submit(enrollment_id, evidence(portal, verification_id), new_key())

    assert answer.status_code == 201, answer.text
    assert answer.json()["flags"] == []


def test_only_a_supervisor_other_than_the_operator_may_approve(
    portal: PortalHandle, calls: PortalCalls, people: list[EnrollmentPerson]
) -> None:
    person = people[2]
    enrollment_id = calls.verified(person)
    tries = ["00000000-0000-4000-8000-00000000000" + str(n) for n in range(3)]
    # A supervisor working the desk cannot approve their own exception.
    add_operator(portal.db_url, "sup-desk", "Desk Supervisor", "desk supervisor pass", "supervisor")
    with portal.client() as client:
        signed_in = signed_post(
            client,
            "/v1/operators/sign-in",
            {"username": "sup-desk", "password": "desk supervisor pass"},
            cert=portal.pki.station_cert,
            key=portal.pki.station_key,
        )
        assert signed_in.status_code == 200, signed_in.text
        desk = PortalCalls(portal, client, signed_in.json()["token"])
        own = desk.submit(
            enrollment_id,
            with_exception(portal, exception("sup-desk", (RIGHT_INDEX, "scarred", tries)))
            | {"operator_id": "sup-desk"},
            new_key(),
        )
    refused = [
        own,
        calls.submit(
            enrollment_id,
            with_exception(
                portal, exception(portal.operator_username, (RIGHT_INDEX, "scarred", tries))
            ),
            new_key(),
        ),
        calls.submit(
            enrollment_id,
            with_exception(portal, exception("nobody-here", (RIGHT_INDEX, "scarred", tries))),
            new_key(),
        ),
    ]
    both = calls.submit(
        enrollment_id,
        evidence(portal, tries[0])
        | {"fingerprint_exception": exception(portal.supervisor_username, (2, "scarred", tries))},
        new_key(),
    )

    for answer in [*refused, both]:
        assert answer.status_code == 422, answer.text
        assert kind(answer.json()) == "evidence-incomplete"
    fields = [[error["field"] for error in a.json()["errors"]] for a in refused]
    assert fields == [["fingerprint_exception.supervisor_id"]] * 3
    assert "someone other than the operator" in refused[0].json()["errors"][0]["message"]
    assert "not a supervisor" in refused[1].json()["errors"][0]["message"]
    assert "not a supervisor" in refused[2].json()["errors"][0]["message"]
    assert refused[1].json()["errors"][0]["message_ar"]
    assert [error["field"] for error in both.json()["errors"]] == ["fingerprint_exception"]


def test_the_cited_tries_must_be_this_persons_failed_verifications_of_that_finger(
    portal: PortalHandle, calls: PortalCalls, people: list[EnrollmentPerson]
) -> None:
    person, other = people[3], people[4]
    two, stale = failed_tries(calls, person, 2), failed_tries(calls, person, 1)
    matched = calls.fingerprint_verification(person)
    others = calls.fingerprint_verification(other, own_finger=False)
    engine = create_db_engine(portal.db_url)
    with Session(engine) as session:  # a try from this morning no longer vouches for now
        session.execute(
            update(FingerprintVerification)
            .where(col(FingerprintVerification.verification_id) == stale[0])
            .values(at=utc_now() - timedelta(hours=3))
        )
        session.commit()
    engine.dispose()
    enrollment_id = calls.verified(person)
    supervisor = portal.supervisor_username
    cases: dict[str, list[tuple[int, str, list[str]]]] = {
        "has 2 failed verifications": [(RIGHT_INDEX, "scarred", two)],
        "matched: cite it": [(RIGHT_INDEX, "scarred", [*two, matched])],
        "for this person": [(RIGHT_INDEX, "unreadable", [*two, others])],
        "too old": [(RIGHT_INDEX, "scarred", [*two, stale[0]])],
        "cited twice": [(RIGHT_INDEX, "scarred", [*two, two[0]])],
        f"was of finger {RIGHT_INDEX}, not 3": [(3, "injured", [*two, matched])],
        "at least one finger": [(LEFT_INDEX, "amputated", [])],
    }

    answers = {
        why: calls.submit(
            enrollment_id, with_exception(portal, exception(supervisor, *fingers)), new_key()
        )
        for why, fingers in cases.items()
    }
    unknown_reason = calls.submit(
        enrollment_id,
        with_exception(portal, exception(supervisor, (RIGHT_INDEX, "lost it", two))),
        new_key(),
    )

    for why, answer in answers.items():
        assert answer.status_code == 409, answer.text
        assert kind(answer.json()) == "fingerprint-not-verified"
        assert why in answer.json()["detail"], (why, answer.json()["detail"])
        assert answer.json()["detail_ar"]
    assert unknown_reason.status_code == 422
    assert kind(unknown_reason.json()) == "validation"
    engine = create_db_engine(portal.db_url)
    with Session(engine) as session:
        accounts = session.exec(
            select(PortalAccount).where(PortalAccount.id_number == person.id_number)
        ).all()
    engine.dispose()
    assert accounts == []
