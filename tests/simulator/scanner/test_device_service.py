"""The scanner's device service over HTTP, as a real process: discovery, signed device info,
status, captures, the live preview and the admin endpoints."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime

import cv2
import httpx
import numpy as np
from cryptography import x509

from station.devices.scanner_protocol import GENESIS_HASH, chain_hash, verify_device_jws
from tests.simulator.scanner.scanner_process import ScannerHandle, people_with_all_fingers


def capture_body(transaction_id: str = "t-1", finger: str = "right_index") -> dict[str, object]:
    return {
        "timeout": 300,
        "transactionId": transaction_id,
        "bio": [{"bioSubType": [finger], "deviceId": "device-0001", "previousHash": GENESIS_HASH}],
    }


def device_ca(scanner: ScannerHandle) -> x509.Certificate:
    return x509.load_pem_x509_certificate(scanner.pki.device_ca.read_bytes())


def test_discovery_lists_one_ready_single_finger_scanner(fresh_scanner: ScannerHandle) -> None:
    devices = httpx.get(f"{fresh_scanner.base_url}/device").json()["devices"]

    assert len(devices) == 1
    device = devices[0]
    assert (device["type"], device["deviceSubType"], device["deviceStatus"]) == (
        "Finger",
        "Single",
        "Ready",
    )
    assert device["deviceId"] == "device-0001"
    assert device["specVersion"] == ["0.9.5"]
    assert device["certification"] == "L1"


def test_device_info_is_signed_by_a_certificate_of_the_device_ca(
    fresh_scanner: ScannerHandle,
) -> None:
    token = httpx.get(f"{fresh_scanner.base_url}/info").json()["deviceInfo"][0]["deviceInfo"]

    payload, certificate = verify_device_jws(token, device_ca(fresh_scanner), datetime.now(UTC))

    assert payload["deviceId"] == "device-0001"
    assert "device-0001" in certificate.subject.rfc4514_string()


def test_a_capture_is_signed_and_chained_to_the_previous_hash(
    fresh_scanner: ScannerHandle,
) -> None:
    (person,) = people_with_all_fingers(fresh_scanner.db_url, 1, skip=20)
    fresh_scanner.put_person(person.id_number)

    answer = httpx.post(f"{fresh_scanner.base_url}/capture", json=capture_body(), timeout=30)

    item = answer.json()["biometrics"][0]
    payload, _ = verify_device_jws(item["data"], device_ca(fresh_scanner), datetime.now(UTC))
    image = base64.b64decode(payload["bioValue"])
    assert payload["transactionId"] == "t-1"
    assert payload["previousHash"] == GENESIS_HASH
    assert payload["hash"] == item["hash"] == chain_hash(GENESIS_HASH, image)
    assert payload["presentationAttack"]["detected"] is False
    assert payload["qualityScore"] >= 40
    picture = cv2.imdecode(np.frombuffer(image, np.uint8), cv2.IMREAD_UNCHANGED)
    assert picture.shape == (374, 388)  # FVC2002 DB1 format, 500 dpi, grey


def test_nobody_at_the_scanner_times_out_with_no_finger(fresh_scanner: ScannerHandle) -> None:
    answer = httpx.post(f"{fresh_scanner.base_url}/capture", json=capture_body(), timeout=30)

    assert answer.json() == {
        "biometrics": [],
        "error": {"errorCode": "103", "errorInfo": "No finger was placed before the timeout"},
    }


def test_a_capture_for_another_device_is_refused(fresh_scanner: ScannerHandle) -> None:
    body = capture_body()
    body["bio"][0]["deviceId"] = "device-9999"  # type: ignore[index]

    answer = httpx.post(f"{fresh_scanner.base_url}/capture", json=body, timeout=30)

    assert answer.json()["error"]["errorCode"] == "104"


def test_status_follows_the_busy_and_not_ready_faults(fresh_scanner: ScannerHandle) -> None:
    def status() -> str:
        return str(httpx.get(f"{fresh_scanner.base_url}/status").json()["deviceStatus"])

    assert status() == "Ready"
    fresh_scanner.set_fault("busy")
    assert status() == "Busy"
    fresh_scanner.set_fault("not_ready")
    assert status() == "Not Ready"


def test_a_fault_for_one_capture_clears_itself(fresh_scanner: ScannerHandle) -> None:
    fresh_scanner.set_fault("busy", times=1)
    url = f"{fresh_scanner.base_url}/capture"

    first = httpx.post(url, json=capture_body(), timeout=30).json()
    second = httpx.post(url, json=capture_body(), timeout=30).json()

    assert first["error"]["errorCode"] == "101"
    assert second["error"]["errorCode"] == "103"  # the device is back; nobody is at it


def test_the_live_preview_is_an_mjpeg_stream(fresh_scanner: ScannerHandle) -> None:
    with httpx.stream("GET", f"{fresh_scanner.base_url}/stream", timeout=10) as response:
        assert response.headers["content-type"] == "multipart/x-mixed-replace; boundary=frame"
        received = b""
        for chunk in response.iter_bytes():
            received += chunk
            if received.count(b"--frame") >= 2:
                break
    first = received.split(b"\r\n\r\n", 1)[1]
    assert first.startswith(b"\xff\xd8")  # a JPEG


def test_an_unknown_person_is_a_bilingual_404(fresh_scanner: ScannerHandle) -> None:
    answer = httpx.put(
        f"{fresh_scanner.base_url}/admin/subject",
        json={"id_number": "1000000008", "scenario": "right_finger"},
    )

    assert answer.status_code == 404
    assert answer.json()["detail_ar"]


def test_an_unknown_scenario_is_refused(fresh_scanner: ScannerHandle) -> None:
    answer = httpx.put(f"{fresh_scanner.base_url}/admin/subject", json={"scenario": "gloves"})

    assert answer.status_code == 422


def test_the_state_says_who_is_at_the_scanner(fresh_scanner: ScannerHandle) -> None:
    (person,) = people_with_all_fingers(fresh_scanner.db_url, 1, skip=20)
    fresh_scanner.put_person(person.id_number, "wet")
    fresh_scanner.set_fault("timeout", times=2, delay_ms=10)

    state = httpx.get(f"{fresh_scanner.base_url}/admin/state").json()

    assert (state["id_number"], state["scenario"]) == (person.id_number, "wet")
    assert state["faults"]["fault"] == "timeout"
    assert state["faults_left"] == 2
    assert json.dumps(state)  # plain JSON
