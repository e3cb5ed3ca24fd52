"""The station's scanner adapter against the real scanner process: every scenario and fault,
and the signature, certificate and hash-chain checks."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography import x509

from fixtures.pki import make_foreign_ca
from station.devices.fingerprint_scanner import SbiFingerprintScanner
from station.devices.scanner_protocol import (
    GENESIS_HASH,
    DeviceCapture,
    FingerPosition,
    ScannerFailure,
)
from station.devices.scanner_protocol import ScannerError as Refused
from tests.simulator.scanner.scanner_process import (  # noqa: F401 - fixtures
    ScannerHandle,
    fresh_scanner_fixture,
    people_with_all_fingers,
    scanner_fixture,
)
from tests.station.conftest import closed_port_url

RIGHT_INDEX = FingerPosition.RIGHT_INDEX


def now() -> datetime:
    return datetime.now(UTC)


def adapter_for(url: str, ca_path: Path) -> SbiFingerprintScanner:
    ca = x509.load_pem_x509_certificate(ca_path.read_bytes())
    return SbiFingerprintScanner(url, ca, now, answer_margin_seconds=1.0)


@pytest.fixture
async def adapter(fresh_scanner: ScannerHandle) -> AsyncIterator[SbiFingerprintScanner]:
    device = adapter_for(fresh_scanner.base_url, fresh_scanner.pki.device_ca)
    yield device
    await device.aclose()


@pytest.fixture
def person_id(fresh_scanner: ScannerHandle) -> str:
    (person,) = people_with_all_fingers(fresh_scanner.db_url, 1, skip=21)
    fresh_scanner.put_person(person.id_number)
    return person.id_number


async def capture(
    adapter: SbiFingerprintScanner, previous_hash: str = GENESIS_HASH
) -> DeviceCapture:
    return await adapter.capture(
        RIGHT_INDEX, previous_hash=previous_hash, requested_quality=40, timeout_ms=300
    )


async def test_discovery_verifies_the_signed_device_info(adapter: SbiFingerprintScanner) -> None:
    device = await adapter.discover()

    assert device.device_id == "device-0001"
    assert device.status == "Ready"
    assert await adapter.status() == "Ready"


async def test_a_genuine_capture_is_verified_and_chained(
    adapter: SbiFingerprintScanner, person_id: str
) -> None:
    first = await adapter.capture(
        RIGHT_INDEX, previous_hash=GENESIS_HASH, requested_quality=40, timeout_ms=300
    )
    second = await adapter.capture(
        RIGHT_INDEX, previous_hash=first.hash, requested_quality=40, timeout_ms=300
    )

    assert first.previous_hash == GENESIS_HASH
    assert second.previous_hash == first.hash
    assert first.image.shape == (374, 388)
    assert first.device_quality >= 40
    assert not first.presentation_attack


@pytest.mark.parametrize("scenario", ["moved", "too_light", "too_hard", "wet", "dry"])
async def test_a_poor_placement_is_captured_and_scored_by_the_device(
    adapter: SbiFingerprintScanner, fresh_scanner: ScannerHandle, person_id: str, scenario: str
) -> None:
    fresh_scanner.put_person(person_id, scenario)

    taken = await capture(adapter)

    assert taken.image.shape == (374, 388)
    assert 0 <= taken.device_quality < 100


async def test_a_fake_finger_is_flagged_by_the_device(
    adapter: SbiFingerprintScanner, fresh_scanner: ScannerHandle, person_id: str
) -> None:
    fresh_scanner.put_person(person_id, "fake_finger")

    taken = await adapter.capture(
        RIGHT_INDEX, previous_hash=GENESIS_HASH, requested_quality=40, timeout_ms=300
    )

    assert taken.presentation_attack
    assert taken.presentation_attack_score > 0.5


async def test_a_scarred_finger_is_captured_with_fewer_clear_ridges(
    adapter: SbiFingerprintScanner, fresh_scanner: ScannerHandle, person_id: str
) -> None:
    clean = await capture(adapter)
    fresh_scanner.put_person(person_id, "scarred_finger")  # the same impression sequence again

    scarred = await capture(adapter)

    assert scarred.image.mean() > clean.image.mean()  # pale scar bands across the ridges


@pytest.mark.parametrize(
    ("fault", "failure"),
    [
        ("busy", ScannerFailure.BUSY),
        ("not_ready", ScannerFailure.NOT_READY),
        ("disconnect", ScannerFailure.DISCONNECTED),
        ("timeout", ScannerFailure.TIMEOUT),
        ("malformed", ScannerFailure.MALFORMED),
        ("bad_signature", ScannerFailure.BAD_SIGNATURE),
        ("foreign_certificate", ScannerFailure.UNTRUSTED_DEVICE),
        ("tampered", ScannerFailure.BAD_SIGNATURE),
    ],
)
async def test_every_device_fault_is_a_typed_failure_with_a_bilingual_message(
    adapter: SbiFingerprintScanner,
    fresh_scanner: ScannerHandle,
    person_id: str,
    fault: str,
    failure: ScannerFailure,
) -> None:
    await adapter.discover()
    fresh_scanner.set_fault(fault, hang_seconds=30)

    with pytest.raises(Refused) as refused:
        await capture(adapter)

    assert refused.value.failure is failure
    assert refused.value.message.en
    assert refused.value.message.ar


async def test_no_finger_before_the_timeout(
    adapter: SbiFingerprintScanner, fresh_scanner: ScannerHandle, person_id: str
) -> None:
    fresh_scanner.put_person(person_id, "no_finger")

    with pytest.raises(Refused) as refused:
        await capture(adapter)

    assert refused.value.failure is ScannerFailure.NO_FINGER


async def test_a_replayed_capture_breaks_the_chain(
    adapter: SbiFingerprintScanner, fresh_scanner: ScannerHandle, person_id: str
) -> None:
    first = await adapter.capture(
        RIGHT_INDEX, previous_hash=GENESIS_HASH, requested_quality=40, timeout_ms=300
    )
    fresh_scanner.set_fault("replay", times=1)

    with pytest.raises(Refused) as refused:
        await capture(adapter, previous_hash=first.hash)

    assert refused.value.failure is ScannerFailure.CHAIN_BROKEN
    assert refused.value.integrity


async def test_a_device_of_an_unknown_ca_is_refused_at_discovery(
    fresh_scanner: ScannerHandle, tmp_path: Path
) -> None:
    foreign = make_foreign_ca(tmp_path, common_name="Hawiya Test Device CA")
    device = adapter_for(fresh_scanner.base_url, foreign.cert)
    try:
        with pytest.raises(Refused) as refused:
            await device.discover()
    finally:
        await device.aclose()

    assert refused.value.failure is ScannerFailure.UNTRUSTED_DEVICE


async def test_no_service_is_unreachable(fresh_scanner: ScannerHandle) -> None:
    url = closed_port_url().replace("https://", "http://")
    device = adapter_for(url, fresh_scanner.pki.device_ca)
    try:
        with pytest.raises(Refused) as refused:
            await device.discover()
    finally:
        await device.aclose()

    assert refused.value.failure is ScannerFailure.UNREACHABLE
