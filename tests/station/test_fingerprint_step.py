"""The fingerprint step's core against the real scanner process and the real portal: genuine
and wrong fingers, poor captures and their advice, three tries, the supervisor exception, and
captures whose signature or hash chain does not hold."""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import cv2
import numpy as np
import pytest
from cryptography import x509

from simulator.scanner.device_identity import DeviceIdentity
from station.devices.fingerprint_scanner import SbiFingerprintScanner
from station.devices.scanner_protocol import (
    GENESIS_HASH,
    FingerPosition,
    ScannerError,
    ScannerFailure,
    chain_hash,
    parse_capture_answer,
)
from station.enrollment.fingerprint_step import (
    Decision,
    ExceptionReason,
    ExceptionRefusedError,
    FingerprintStep,
)
from station.operators import OperatorSession
from station.portal.client import PortalClient
from tests.simulator.scanner.scanner_process import (  # noqa: F401 - fixtures
    ScannerHandle,
    fresh_scanner_fixture,
    people_with_all_fingers,
    scanner_fixture,
)
from tests.station.conftest import FakeClock, settings_for
from tests.support.portal_server import PortalHandle

RIGHT_INDEX = 2


@pytest.fixture
async def step_parts(
    fresh_scanner: ScannerHandle, portal: PortalHandle, tmp_path: Path, clock: FakeClock
) -> AsyncIterator[tuple[SbiFingerprintScanner, PortalClient]]:
    ca = x509.load_pem_x509_certificate(fresh_scanner.pki.device_ca.read_bytes())
    scanner = SbiFingerprintScanner(
        fresh_scanner.base_url, ca, lambda: datetime.now(UTC), answer_margin_seconds=1.0
    )
    client = PortalClient.from_settings(settings_for(tmp_path, portal), clock)
    yield scanner, client
    await scanner.aclose()
    await client.aclose()


def make_step(
    parts: tuple[SbiFingerprintScanner, PortalClient], session: OperatorSession
) -> FingerprintStep:
    assert session.token is not None
    return FingerprintStep(parts[0], parts[1], session.token, capture_timeout_ms=300)


async def test_the_persons_own_finger_verifies_at_the_portal(
    step_parts: tuple[SbiFingerprintScanner, PortalClient],
    fresh_scanner: ScannerHandle,
    operator_session: OperatorSession,
) -> None:
    (person,) = people_with_all_fingers(fresh_scanner.db_url, 1, skip=0)
    fresh_scanner.put_person(person.id_number)
    step = make_step(step_parts, operator_session)

    attempt = await step.capture_and_verify(person.id_number, RIGHT_INDEX)

    assert attempt.decision == Decision.MATCH, attempt.message
    assert attempt.verification_id
    assert attempt.template is not None
    assert attempt.template[:4] == b"FMR\0"
    assert step.complete


async def test_the_wrong_finger_does_not_verify(
    step_parts: tuple[SbiFingerprintScanner, PortalClient],
    fresh_scanner: ScannerHandle,
    operator_session: OperatorSession,
) -> None:
    (person,) = people_with_all_fingers(fresh_scanner.db_url, 1, skip=1)
    fresh_scanner.put_person(person.id_number, "wrong_finger")
    step = make_step(step_parts, operator_session)

    attempt = await step.capture_and_verify(person.id_number, RIGHT_INDEX)

    assert attempt.decision == Decision.NO_MATCH, attempt.score
    assert attempt.counts_as_try
    assert attempt.tries_left == 2
    assert "does not match" in attempt.message.en
    assert not step.complete


@pytest.mark.parametrize("scenario", ["moved", "too_light", "too_hard", "wet", "dry"])
async def test_a_poor_capture_gives_advice_and_never_reaches_the_portal(
    step_parts: tuple[SbiFingerprintScanner, PortalClient],
    fresh_scanner: ScannerHandle,
    operator_session: OperatorSession,
    scenario: str,
) -> None:
    (person,) = people_with_all_fingers(fresh_scanner.db_url, 1, skip=2)
    fresh_scanner.put_person(person.id_number, scenario)
    step = make_step(step_parts, operator_session)

    attempt = await step.capture_and_verify(person.id_number, RIGHT_INDEX)

    assert attempt.decision == Decision.POOR_QUALITY, (scenario, attempt.message)
    assert attempt.verification_id is None
    assert attempt.message.en
    assert attempt.message.ar


async def test_a_fake_finger_is_refused_without_asking_the_portal(
    step_parts: tuple[SbiFingerprintScanner, PortalClient],
    fresh_scanner: ScannerHandle,
    operator_session: OperatorSession,
) -> None:
    (person,) = people_with_all_fingers(fresh_scanner.db_url, 1, skip=2)
    fresh_scanner.put_person(person.id_number, "fake_finger")
    step = make_step(step_parts, operator_session)

    attempt = await step.capture_and_verify(person.id_number, RIGHT_INDEX)

    assert attempt.decision == Decision.PRESENTATION_ATTACK
    assert attempt.verification_id is None
    assert "artificial" in attempt.message.en


async def test_three_failed_tries_then_an_exception_a_supervisor_signs_off(
    step_parts: tuple[SbiFingerprintScanner, PortalClient],
    fresh_scanner: ScannerHandle,
    operator_session: OperatorSession,
) -> None:
    (person,) = people_with_all_fingers(fresh_scanner.db_url, 1, skip=2)
    fresh_scanner.put_person(person.id_number, "dry")
    step = make_step(step_parts, operator_session)

    with pytest.raises(ExceptionRefusedError):  # not before the tries are used up
        step.record_exception(RIGHT_INDEX, ExceptionReason.UNREADABLE, "op-test")
    attempts = [await step.capture_and_verify(person.id_number, RIGHT_INDEX) for _ in range(3)]

    assert [a.tries_left for a in attempts] == [2, 1, 0]
    assert attempts[-1].exception_allowed
    assert "supervisor" in attempts[-1].message.en
    pending = step.record_exception(RIGHT_INDEX, ExceptionReason.UNREADABLE, "op-test", "worn")
    assert not pending.signed_off
    assert not step.complete
    with pytest.raises(ExceptionRefusedError):
        step.sign_off_exception("op-test", "supervisor")  # not the operator who recorded it
    with pytest.raises(ExceptionRefusedError):
        step.sign_off_exception("op-other", "operator")  # not a supervisor
    signed = step.sign_off_exception("sup-1", "supervisor")
    assert signed.signed_off
    assert signed.tries_used == 3
    assert step.complete


async def test_a_missing_finger_exception_needs_no_tries(
    step_parts: tuple[SbiFingerprintScanner, PortalClient], operator_session: OperatorSession
) -> None:
    step = make_step(step_parts, operator_session)

    pending = step.record_exception(7, ExceptionReason.MISSING, "op-test", "amputated")

    assert pending.tries_used == 0
    assert not step.complete


async def test_device_trouble_does_not_spend_a_try(
    step_parts: tuple[SbiFingerprintScanner, PortalClient],
    fresh_scanner: ScannerHandle,
    operator_session: OperatorSession,
) -> None:
    (person,) = people_with_all_fingers(fresh_scanner.db_url, 1, skip=2)
    fresh_scanner.put_person(person.id_number)
    fresh_scanner.set_fault("busy")
    step = make_step(step_parts, operator_session)

    attempt = await step.capture_and_verify(person.id_number, RIGHT_INDEX)

    assert attempt.decision == Decision.DEVICE_PROBLEM
    assert not attempt.counts_as_try
    assert step.tries_left(RIGHT_INDEX) == 3
    assert "busy" in attempt.message.en


async def test_a_replayed_capture_is_refused_by_the_chain(
    step_parts: tuple[SbiFingerprintScanner, PortalClient],
    fresh_scanner: ScannerHandle,
    operator_session: OperatorSession,
) -> None:
    (person,) = people_with_all_fingers(fresh_scanner.db_url, 1, skip=2)
    fresh_scanner.put_person(person.id_number, "dry")  # a poor capture: no portal call spent
    step = make_step(step_parts, operator_session)
    await step.capture_and_verify(person.id_number, RIGHT_INDEX)
    fresh_scanner.set_fault("replay", times=1)

    attempt = await step.capture_and_verify(person.id_number, RIGHT_INDEX)

    assert attempt.decision == Decision.CAPTURE_REFUSED
    assert not attempt.counts_as_try
    assert "technical support" in attempt.message.en


# --- the checks on crafted answers, signed with the test device key --------------------------


def signed_answer(
    identity: DeviceIdentity, *, previous_hash: str, transaction_id: str, image_hash_of: bytes
) -> tuple[dict[str, object], bytes]:
    picture = np.full((374, 388), 200, np.uint8)
    ok, png = cv2.imencode(".png", picture)
    assert ok
    image = png.tobytes()
    now = datetime.now(UTC).isoformat()
    payload = {
        "deviceId": "device-0001",
        "bioSubType": "right_index",
        "bioValue": base64.b64encode(image).decode(),
        "transactionId": transaction_id,
        "captureStarted": now,
        "captureEnded": now,
        "qualityScore": 80,
        "presentationAttack": {"detected": False, "score": 0.0},
        "previousHash": previous_hash,
        "hash": chain_hash(previous_hash, image_hash_of or image),
    }
    return {"biometrics": [{"data": identity.sign(payload)}]}, image


def check(answer: dict[str, object], device_ca: x509.Certificate, previous: str) -> None:
    parse_capture_answer(
        answer,
        device_ca=device_ca,
        device_certificate=None,
        device_id="device-0001",
        finger=FingerPosition.RIGHT_INDEX,
        transaction_id="t-1",
        previous_hash=previous,
        now=datetime.now(UTC),
    )


@pytest.fixture
def device(portal: PortalHandle) -> tuple[DeviceIdentity, x509.Certificate]:
    identity = DeviceIdentity.from_files(portal.pki.device_cert, portal.pki.device_key)
    return identity, x509.load_pem_x509_certificate(portal.pki.device_ca.read_bytes())


def test_a_well_formed_signed_capture_passes(
    device: tuple[DeviceIdentity, x509.Certificate],
) -> None:
    answer, _ = signed_answer(
        device[0], previous_hash=GENESIS_HASH, transaction_id="t-1", image_hash_of=b""
    )

    check(answer, device[1], GENESIS_HASH)


@pytest.mark.parametrize(
    ("previous", "transaction", "hashed", "why"),
    [
        ("a" * 64, "t-1", b"", "reordered: chained to another capture"),
        (GENESIS_HASH, "t-1", b"another image", "the hash does not cover this image"),
        (GENESIS_HASH, "t-0", b"", "the answer of another transaction"),
    ],
)
def test_a_signed_capture_out_of_order_is_refused(
    device: tuple[DeviceIdentity, x509.Certificate],
    previous: str,
    transaction: str,
    hashed: bytes,
    why: str,
) -> None:
    answer, _ = signed_answer(
        device[0], previous_hash=previous, transaction_id=transaction, image_hash_of=hashed
    )

    with pytest.raises(ScannerError) as refused:
        check(answer, device[1], GENESIS_HASH)

    assert refused.value.failure is ScannerFailure.CHAIN_BROKEN, why
