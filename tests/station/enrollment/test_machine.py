"""The enrollment state machine: every transition in order, each way it stops, and its limits."""

from __future__ import annotations

import itertools
from datetime import date

import pytest

from station.birth_date import Calendar
from station.enrollment.lookup import LookupKind
from station.enrollment.machine import (
    ALLOWED_TRANSITIONS,
    TERMINAL_STATES,
    EnrollmentOutcome,
    EnrollmentState,
    IllegalTransitionError,
    LimitReachedError,
)
from station.portal.models import Eligibility
from tests.station.enrollment.booth_parts import (
    BIRTH_DATE,
    ID_NUMBER,
    REFERENCE_MARKER,
    card,
    person,
    problem,
    unreachable,
)
from tests.station.enrollment.conftest import ORDER, Rig, drive_to

S = EnrollmentState


async def test_a_compliant_person_goes_through_every_step_in_order(rig: Rig) -> None:
    enrollment = rig.enrollment()

    await drive_to(rig, enrollment, S.COMPLETED)

    assert [(source, target) for source, target, _ in enrollment.history] == list(
        itertools.pairwise(ORDER)
    )
    assert enrollment.record is not None
    assert enrollment.record.outcome is EnrollmentOutcome.COMPLETED
    assert enrollment.record.portal_enrollment_id == "ENR-000001"
    assert enrollment.receipt().name_ar == "محمد عبدالله القحطاني"


async def test_each_step_is_timed_with_the_injected_clock(rig: Rig) -> None:
    enrollment = rig.enrollment()

    await drive_to(rig, enrollment, S.COMPLETED)

    # drive_to waits 2 s before each step; the stand-ins add what their work took.
    assert enrollment.step_seconds == {
        "identity": 2.0,
        "lookup": 3.0,  # + the portal's 1 s
        "consent": 2.0,
        "fingerprint": 8.0,  # + one 6 s capture
        "face": 14.0,  # + one 12 s session
        "account": 32.0,  # + 30 s for the portal to send the code
        "sms_code": 12.0,  # + 10 s to check it
        "submit": 2.0,
    }
    assert enrollment.record is not None
    assert (enrollment.record.ended_at - enrollment.record.started_at).total_seconds() == 75.0


async def test_the_customer_display_follows_the_steps(rig: Rig) -> None:
    enrollment = rig.enrollment()

    await drive_to(rig, enrollment, S.COMPLETED)

    assert rig.display.screens == [
        "welcome",
        "welcome",  # with the name from the card
        "consent",
        "place_finger",
        "place_finger",
        "face",
        "face",
        "welcome",  # "the operator now creates your account"
        "enter_code",
        "success",
    ]
    finger = rig.display.updates[3]
    assert finger.finger == "right_index"
    assert finger.name_en == "Mohammed Abdullah Al-Qahtani"
    code = rig.display.updates[8]
    assert code.masked_mobile == "05X XXX X123"
    assert "ENR-000001" in (rig.display.updates[-1].message_en or "")


async def test_submission_carries_the_evidence(rig: Rig) -> None:
    enrollment = rig.enrollment()

    await drive_to(rig, enrollment, S.COMPLETED)

    key, evidence = rig.portal.submissions[0]
    assert key == enrollment.id
    sent = rig.portal.evidence_json[0]
    assert sent["passive_authentication"] == {"valid": True, "reason": None}
    assert sent["fingerprint"] == {
        "finger_position": 2,
        "verification_id": "ver-1",
        "decision": "match",
    }
    assert sent["face"]["reference"] == "card_portrait"  # type: ignore[index]
    assert sent["face"]["threshold"] == 0.5  # type: ignore[index]
    assert sent["consent"]["text_version"]  # type: ignore[index]
    assert sent["operator_id"] == "operator-1"
    assert sent["station_id"] == "booth-7"
    assert sent["portrait_jpeg"]  # the selected best frame, base64
    # ... and the core's copy was overwritten once the portal acknowledged it.
    assert not any(evidence.portrait_jpeg)


async def test_a_manual_entry_matches_the_face_against_the_portals_reference_photo(
    rig: Rig,
) -> None:
    enrollment = rig.enrollment()

    enrollment.enter_identity(ID_NUMBER, BIRTH_DATE.isoformat(), Calendar.GREGORIAN)
    lookup = await enrollment.look_up()
    enrollment.give_consent()
    await enrollment.capture_finger()
    await enrollment.capture_face()

    assert lookup.kind is LookupKind.ELIGIBLE
    assert enrollment.state is S.ACCOUNT
    assert rig.faces.references[0].startswith(REFERENCE_MARKER)
    enrollment.cancel()
    assert rig.ledger.all_wiped()


async def test_a_manual_entry_not_found_goes_back_to_the_identity_step(rig: Rig) -> None:
    rig.portal.found = None
    enrollment = rig.enrollment()
    enrollment.enter_identity(ID_NUMBER, "1990-05-18", Calendar.GREGORIAN)

    lookup = await enrollment.look_up()

    assert lookup.kind is LookupKind.NOT_FOUND
    assert enrollment.state.value == "identity"
    rig.portal.found = person()
    enrollment.enter_identity(ID_NUMBER, BIRTH_DATE.isoformat(), Calendar.GREGORIAN)
    assert (await enrollment.look_up()).kind is LookupKind.ELIGIBLE
    assert enrollment.state is S.CONSENT


async def test_a_mistyped_id_number_goes_back_to_the_identity_step(rig: Rig) -> None:
    enrollment = rig.enrollment()
    enrollment.enter_identity("1234567890", BIRTH_DATE.isoformat(), Calendar.GREGORIAN)

    lookup = await enrollment.look_up()

    assert lookup.kind is LookupKind.REJECTED
    assert enrollment.state is S.IDENTITY
    assert rig.portal.lookups == []  # refused before asking the portal


async def test_an_unreachable_portal_keeps_the_lookup_for_a_retry(rig: Rig) -> None:
    rig.portal.lookup_failures.append(unreachable())
    enrollment = rig.enrollment()
    enrollment.accept_card(card(rig.ledger))

    first = await enrollment.look_up()
    second = await enrollment.look_up()

    assert first.kind is LookupKind.PORTAL_UNREACHABLE
    assert second.kind is LookupKind.ELIGIBLE
    assert enrollment.state is S.CONSENT


def test_a_forged_card_stops_the_enrollment(rig: Rig) -> None:
    enrollment = rig.enrollment()

    outcome = enrollment.refuse_card("dg2_hash_mismatch")

    assert outcome.state is S.STOPPED
    assert enrollment.reason == "card_not_authentic:dg2_hash_mismatch"
    assert rig.display.screens[-1] == "failure"


def test_an_expired_card_stops_the_enrollment(rig: Rig) -> None:
    enrollment = rig.enrollment()

    enrollment.accept_card(card(rig.ledger, expiry_date=date(2025, 2, 28)))

    assert enrollment.state is S.STOPPED
    assert enrollment.reason == "card_expired"


@pytest.mark.parametrize(
    ("found", "reason"),
    [
        (person(Eligibility.ALREADY_REGISTERED), "already_registered"),
        (person(Eligibility.NOT_ELIGIBLE, "deceased"), "not_eligible:deceased"),
        (None, "card_not_on_record"),
    ],
)
async def test_the_lookup_stops_people_who_may_not_enroll(
    rig: Rig, found: object, reason: str
) -> None:
    rig.portal.found = found  # type: ignore[assignment]
    enrollment = rig.enrollment()
    enrollment.accept_card(card(rig.ledger))

    await enrollment.look_up()

    assert enrollment.state is S.STOPPED
    assert enrollment.reason == reason


async def test_declined_consent_stops_before_any_capture(rig: Rig) -> None:
    enrollment = rig.enrollment()
    await drive_to(rig, enrollment, S.CONSENT)

    enrollment.decline_consent()

    assert enrollment.reason == "consent_declined"
    assert rig.fingerprints.tries == []


async def test_two_failed_finger_tries_then_a_match_continues(rig: Rig) -> None:
    rig.fingerprints.decisions = ["no_match", "poor_quality"]
    enrollment = rig.enrollment()
    await drive_to(rig, enrollment, S.FINGERPRINT)

    first = await enrollment.capture_finger()
    second = await enrollment.capture_finger()
    third = await enrollment.capture_finger()

    # The poor capture never reached the portal: it leaves the comparisons as they were.
    assert (first.tries_left, second.tries_left) == (2, 2)
    assert enrollment.finger_captures_left(2) == 3
    assert not first.ok
    assert third.ok
    assert enrollment.state is S.FACE


async def test_three_failed_tries_on_a_finger_need_a_supervisor(rig: Rig) -> None:
    rig.fingerprints.decisions = ["no_match"] * 3
    enrollment = rig.enrollment()
    await drive_to(rig, enrollment, S.FINGERPRINT)

    outcomes = [await enrollment.capture_finger() for _ in range(3)]

    assert outcomes[-1].needs_supervisor
    assert enrollment.needs_supervisor
    assert enrollment.state is S.FINGERPRINT
    with pytest.raises(LimitReachedError):
        await enrollment.capture_finger()
    with pytest.raises(LimitReachedError):
        await enrollment.capture_finger(7)
    assert len(rig.fingerprints.tries) == 3


async def test_a_supervisor_exception_continues_and_is_in_the_evidence(rig: Rig) -> None:
    rig.fingerprints.decisions = ["no_match"] * 3
    enrollment = rig.enrollment()
    await drive_to(rig, enrollment, S.FINGERPRINT)
    for _ in range(3):
        await enrollment.capture_finger()

    approved_at = rig.clock()
    enrollment.approve_fingerprint_exception("supervisor-9", "scarred right index")
    await drive_to(rig, enrollment, S.COMPLETED)

    sent = rig.portal.evidence_json[0]
    assert sent["fingerprint"] is None
    assert sent["fingerprint_exception"] == {
        "finger_position": 2,
        "supervisor_id": "supervisor-9",
        "reason": "scarred right index",
        "category": "scarred",
        "failed_tries": 3,
        "failed_verification_ids": ["ver-1", "ver-2", "ver-3"],
        "approved_at": approved_at.isoformat(),
    }


async def test_no_supervisor_exception_before_the_tries_are_used(rig: Rig) -> None:
    enrollment = rig.enrollment()
    await drive_to(rig, enrollment, S.FINGERPRINT)

    with pytest.raises(IllegalTransitionError):
        enrollment.approve_fingerprint_exception("supervisor-9", "no reason")


async def test_a_refused_exception_stops_the_enrollment(rig: Rig) -> None:
    rig.fingerprints.decisions = ["no_match"] * 3
    enrollment = rig.enrollment()
    await drive_to(rig, enrollment, S.FINGERPRINT)
    for _ in range(3):
        await enrollment.capture_finger()

    enrollment.stop("fingerprint_not_verified")

    assert enrollment.state is S.STOPPED
    assert enrollment.reason == "fingerprint_not_verified"


async def test_a_device_problem_is_not_counted_as_a_try(rig: Rig) -> None:
    rig.fingerprints.decisions = ["device_problem", "portal_problem", "no_match"]
    enrollment = rig.enrollment()
    await drive_to(rig, enrollment, S.FINGERPRINT)

    outcomes = [await enrollment.capture_finger() for _ in range(3)]

    assert [outcome.tries_left for outcome in outcomes] == [3, 3, 2]
    assert enrollment.finger_tries_left(2) == 2


async def test_tries_are_counted_per_finger(rig: Rig) -> None:
    rig.fingerprints.decisions = ["no_reference", "no_match", "no_match"]
    enrollment = rig.enrollment()
    await drive_to(rig, enrollment, S.FINGERPRINT)

    await enrollment.capture_finger(2)
    await enrollment.capture_finger(7)
    await enrollment.capture_finger(7)

    assert enrollment.finger_captures_left(2) == 4
    assert enrollment.finger_tries_left(2) == 3  # no_reference never reached a comparison
    assert enrollment.finger_tries_left(7) == 1
    assert not enrollment.needs_supervisor


async def test_poor_captures_never_open_the_supervisor_exception(rig: Rig) -> None:
    # The portal accepts an exception only citing three of its own no_match answers: poor
    # captures, never sent to it, cannot make one; five counted captures stop the enrollment.
    rig.fingerprints.decisions = ["poor_quality", "no_match", "poor_quality", "no_match"]
    rig.fingerprints.decisions += ["poor_quality"]
    enrollment = rig.enrollment()
    await drive_to(rig, enrollment, S.FINGERPRINT)

    outcomes = [await enrollment.capture_finger() for _ in range(4)]
    assert not any(outcome.needs_supervisor for outcome in outcomes)
    assert enrollment.finger_comparisons_left(2) == 1
    assert enrollment.finger_captures_left(2) == 1
    with pytest.raises(IllegalTransitionError):
        enrollment.approve_fingerprint_exception("supervisor-9", "scarred")

    last = await enrollment.capture_finger()

    assert enrollment.state is S.STOPPED
    assert enrollment.reason == "fingerprint_not_captured"
    assert "clean, dry hands" in last.message.en
    assert not last.ok


async def test_the_third_no_match_opens_the_exception_even_on_the_last_capture(
    rig: Rig,
) -> None:
    rig.fingerprints.decisions = ["poor_quality", "poor_quality"] + ["no_match"] * 3
    enrollment = rig.enrollment()
    await drive_to(rig, enrollment, S.FINGERPRINT)

    outcomes = [await enrollment.capture_finger() for _ in range(5)]

    assert outcomes[-1].needs_supervisor
    assert enrollment.finger_comparisons_left(2) == 0
    enrollment.approve_fingerprint_exception("supervisor-9", "scarred right index")
    assert enrollment.state is S.FACE


@pytest.mark.parametrize(
    ("sessions", "reason"),
    [
        ([(True, "no_match")] * 3, "face_no_match"),
        (
            [(True, "no_match"), (True, "no_match"), (False, "not_live")],
            "face_not_live:screen_moire",
        ),
    ],
)
async def test_three_failed_face_sessions_stop_the_enrollment(
    rig: Rig, sessions: list[tuple[bool, str]], reason: str
) -> None:
    rig.faces.sessions = list(sessions)
    enrollment = rig.enrollment()
    await drive_to(rig, enrollment, S.FACE)

    outcomes = [await enrollment.capture_face() for _ in range(3)]

    assert [outcome.tries_left for outcome in outcomes[:2]] == [2, 1]
    assert enrollment.state is S.STOPPED
    assert enrollment.reason == reason
    with pytest.raises(IllegalTransitionError):
        await enrollment.capture_face()


async def test_a_face_session_that_fails_then_matches_continues(rig: Rig) -> None:
    rig.faces.sessions = [(False, "not_live"), (True, "no_match")]
    enrollment = rig.enrollment()
    await drive_to(rig, enrollment, S.FACE)

    for _ in range(3):
        await enrollment.capture_face()

    assert enrollment.state is S.ACCOUNT
    await drive_to(rig, enrollment, S.COMPLETED)
    assert rig.portal.evidence_json[0]["face"]["sessions"] == 3  # type: ignore[index]


async def test_a_refused_account_form_stays_with_the_field_errors(rig: Rig) -> None:
    rig.portal.account_failures.append(problem(422, "validation", "password", "mobile"))
    enrollment = rig.enrollment()
    await drive_to(rig, enrollment, S.ACCOUNT)

    outcome = await enrollment.open_account(
        username="mohammed90", password="password", mobile="0500000000"
    )

    assert not outcome.ok
    assert [name for name, _ in outcome.field_errors] == ["password", "mobile"]
    assert enrollment.state is S.ACCOUNT


async def test_five_wrong_codes_stop_the_enrollment(rig: Rig) -> None:
    enrollment = rig.enrollment()
    await drive_to(rig, enrollment, S.SMS_CODE)

    outcomes = [await enrollment.enter_code("000000") for _ in range(5)]

    assert [outcome.tries_left for outcome in outcomes[:4]] == [4, 3, 2, 1]
    assert enrollment.state is S.STOPPED
    assert enrollment.reason == "sms_code_attempts"


async def test_four_wrong_codes_then_the_right_one_continues(rig: Rig) -> None:
    enrollment = rig.enrollment()
    await drive_to(rig, enrollment, S.SMS_CODE)

    for _ in range(4):
        await enrollment.enter_code("000000")
    await enrollment.enter_code(rig.portal.code)

    assert enrollment.state is S.SUBMIT


async def test_an_expired_code_is_not_a_wrong_one_and_a_new_code_is_shown(rig: Rig) -> None:
    rig.portal.expired_codes.add("999999")
    enrollment = rig.enrollment()
    await drive_to(rig, enrollment, S.SMS_CODE)

    expired = await enrollment.enter_code("999999")
    resent = await enrollment.resend_code()

    assert not expired.ok
    assert enrollment.codes_left == 5
    assert resent.ok
    assert rig.display.screens[-1] == "enter_code"


async def test_the_mobile_number_can_be_changed_after_the_code_was_sent(rig: Rig) -> None:
    enrollment = rig.enrollment()
    await drive_to(rig, enrollment, S.SMS_CODE)

    enrollment.change_account_details()

    assert enrollment.state is S.ACCOUNT


async def test_a_retried_submission_uses_the_same_key_and_creates_one_account(rig: Rig) -> None:
    rig.portal.submit_failures.append(unreachable())
    enrollment = rig.enrollment()
    await drive_to(rig, enrollment, S.SUBMIT)

    first = await enrollment.submit()
    second = await enrollment.submit()

    assert not first.ok
    assert second.ok
    assert [key for key, _ in rig.portal.submissions] == [enrollment.id, enrollment.id]
    assert len(rig.portal.accounts) == 1
    assert enrollment.state is S.COMPLETED


async def test_a_refused_submission_stops_with_the_portals_reason(rig: Rig) -> None:
    rig.portal.submit_failures.append(problem(409, "mobile-not-owned"))
    enrollment = rig.enrollment()
    await drive_to(rig, enrollment, S.SUBMIT)

    await enrollment.submit()

    assert enrollment.state is S.STOPPED
    assert enrollment.reason == "submission_refused:mobile-not-owned"


def test_every_live_state_may_stop_or_be_cancelled_and_ended_ones_go_nowhere() -> None:
    for state in S:
        if state in TERMINAL_STATES:
            assert ALLOWED_TRANSITIONS[state] == frozenset()
        else:
            assert {S.STOPPED, S.CANCELLED} <= ALLOWED_TRANSITIONS[state]


async def test_steps_out_of_order_raise(rig: Rig) -> None:
    enrollment = rig.enrollment()

    with pytest.raises(IllegalTransitionError, match="needs the enrollment at consent"):
        enrollment.give_consent()
    with pytest.raises(IllegalTransitionError):
        await enrollment.capture_finger()
    with pytest.raises(IllegalTransitionError):
        await enrollment.submit()
    with pytest.raises(IllegalTransitionError):
        enrollment.receipt()
    await drive_to(rig, enrollment, S.FACE)
    with pytest.raises(IllegalTransitionError):
        enrollment.accept_card(card(rig.ledger))
    with pytest.raises(IllegalTransitionError):
        await enrollment.enter_code("123456")


@pytest.mark.parametrize("ending", ["completed", "stopped", "cancelled"])
async def test_an_ended_enrollment_accepts_no_step_and_no_cancel(rig: Rig, ending: str) -> None:
    enrollment = rig.enrollment()
    if ending == "completed":
        await drive_to(rig, enrollment, S.COMPLETED)
    elif ending == "stopped":
        enrollment.stop("mobile_not_registered")
    else:
        enrollment.cancel()

    with pytest.raises(IllegalTransitionError, match="has ended"):
        enrollment.cancel()
    with pytest.raises(IllegalTransitionError):
        enrollment.stop("again")
    with pytest.raises(IllegalTransitionError):
        enrollment.accept_card(card(rig.ledger))
