"""People for account-enrollment tests: eligible adults with a mobile line in their own name,
added to a running portal's national records; and the calls an enrollment test makes (start,
read the SMS from the simulated outbox, verify, a real fingerprint verification, submit).

Each test module asks for its own batch (`add_enrollment_people(db_url, batch, count)`), so
modules sharing one portal never reuse a person.
"""

from __future__ import annotations

import base64
import json
import re
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
from sqlmodel import Session

from fixtures.hijri import to_hijri
from fixtures.national_id import make_id_number
from fixtures.population import finger_seed
from fixtures.records import MobileLine, Person
from matcher.fingerprint import process_capture
from portal_mock.db import create_db_engine, create_tables
from simulator.fingerprint import MasterCache, render_impression
from tests.support.portal_server import PortalHandle
from tests.support.signing import SIGNATURE_HEADER, sign_request

RIGHT_INDEX = 2
# A booth capture: a little harder than the enrolment references.
CAPTURE_DIFFICULTY = 0.6
GOOD_PASSWORD = "dates and cardamom at dawn"
# Bodies of the ID numbers: 97,BBB,NNN for batch BBB, person NNN (clear of the known people's
# 99-million range and, in practice, of a generated population).
_BODY_BASE = 97_000_000
_masters = MasterCache(maxsize=4)


@dataclass(frozen=True)
class EnrollmentPerson:
    id_number: str
    birth_date: date
    given_name_en: str
    family_name_en: str
    mobile: str  # +9665XXXXXXXX, registered to this person
    other_mobile: str  # registered to someone else
    fingerprint_seed: int

    @property
    def local_mobile(self) -> str:
        return "0" + self.mobile.removeprefix("+966")


def add_enrollment_people(db_url: str, batch: int, count: int) -> list[EnrollmentPerson]:
    """`count` eligible adults with their own mobile line each, plus one line of a stranger."""
    assert 0 <= batch < 1000
    assert 0 < count < 1000
    people, rows = [], []
    stranger_body = _BODY_BASE + batch * 1000 + 999
    stranger = _person(stranger_body, "Stranger", "Al-Ghamdi")
    stranger_mobile = f"+96659{batch:03d}9999"
    rows += [
        stranger,
        MobileLine(number=stranger_mobile, owner_id_number=stranger.id_number, carrier="Zain"),
    ]
    for index in range(count):
        body = _BODY_BASE + batch * 1000 + index
        person = _person(body, f"Person{index}", "Al-Shammari")
        mobile = f"+96655{batch:03d}{index:04d}"
        rows += [person, MobileLine(number=mobile, owner_id_number=person.id_number, carrier="STC")]
        people.append(
            EnrollmentPerson(
                id_number=person.id_number,
                birth_date=person.birth_date,
                given_name_en=person.given_name_en,
                family_name_en=person.family_name_en,
                mobile=mobile,
                other_mobile=stranger_mobile,
                fingerprint_seed=person.fingerprint_seed,
            )
        )
    engine = create_db_engine(db_url)
    try:
        create_tables(engine)
        with Session(engine) as session:
            # People first: the mobile lines' foreign keys name them.
            session.add_all([row for row in rows if isinstance(row, Person)])
            session.flush()
            session.add_all([row for row in rows if isinstance(row, MobileLine)])
            session.commit()
    finally:
        engine.dispose()
    return people


def _person(body: int, given_en: str, family_en: str) -> Person:
    birth = date(1988, 3, 14)
    return Person(
        id_number=make_id_number("citizen", body),
        kind="citizen",
        sex="male",
        given_name_ar="سلطان",
        father_name_ar="ماجد",
        grandfather_name_ar="فيصل",
        family_name_ar="الشمري",
        given_name_en=given_en,
        father_name_en="Majed",
        grandfather_name_en="Faisal",
        family_name_en=family_en,
        nationality="SAU",
        birth_date=birth,
        birth_date_hijri=to_hijri(birth),
        id_expiry=date.today() + timedelta(days=4 * 365),
        family_id=f"F{body:08d}",
        face_seed=body,
        fingerprint_seed=body + 7,
    )


def username_for(person: EnrollmentPerson, tag: str = "") -> str:
    return f"u{person.id_number[-6:]}{tag}"[:20]


class PortalCalls:
    """Signed calls to one portal as station-0001 with an operator token."""

    def __init__(self, portal: PortalHandle, client: httpx.Client, token: str) -> None:
        self.portal, self.client, self.token = portal, client, token

    def request(
        self,
        method: str,
        path: str,
        payload: Any = None,
        *,
        headers: dict[str, str] | None = None,
        raw: bytes | None = None,
    ) -> httpx.Response:
        body = raw if raw is not None else b"" if payload is None else json.dumps(payload).encode()
        signature = sign_request(
            method, path, body, self.portal.pki.station_key, self.portal.pki.station_cert
        )
        all_headers = {SIGNATURE_HEADER: signature, "Authorization": f"Bearer {self.token}"}
        if body:
            all_headers["Content-Type"] = "application/json"
        all_headers.update(headers or {})
        return self.client.request(method, path, content=body, headers=all_headers)

    def start(self, person: EnrollmentPerson, **overrides: Any) -> httpx.Response:
        payload = {
            "id_number": person.id_number,
            "username": username_for(person),
            "password": GOOD_PASSWORD,
            "mobile": person.local_mobile,
            "email": None,
        } | overrides
        return self.request("POST", "/v1/enrollments", payload)

    def started(self, person: EnrollmentPerson, **overrides: Any) -> str:
        answer = self.start(person, **overrides)
        assert answer.status_code == 201, answer.text
        enrollment_id: str = answer.json()["enrollment_id"]
        return enrollment_id

    def verify(self, enrollment_id: str, code: str) -> httpx.Response:
        return self.request("POST", f"/v1/enrollments/{enrollment_id}/code", {"code": code})

    def resend(self, enrollment_id: str) -> httpx.Response:
        return self.request("POST", f"/v1/enrollments/{enrollment_id}/code/resend")

    def outbox(self, mobile: str) -> list[dict[str, Any]]:
        answer = self.client.get("/v1/simulation/sms-outbox", params={"to": mobile})
        assert answer.status_code == 200, answer.text
        messages: list[dict[str, Any]] = answer.json()["messages"]
        return messages

    def latest_code(self, mobile: str) -> str:
        """The code of the newest activation SMS, read as the citizen reads their phone."""
        for message in self.outbox(mobile):
            if message["kind"] == "activation_code":
                found = re.search(r"\b([0-9]{6})\b", message["text"])
                assert found is not None, message
                return found.group(1)
        raise AssertionError(f"no activation code was sent to {mobile}")

    def verified(self, person: EnrollmentPerson, **overrides: Any) -> str:
        """An enrollment whose SMS code has been verified."""
        enrollment_id = self.started(person, **overrides)
        answer = self.verify(enrollment_id, self.latest_code(person.mobile))
        assert answer.status_code == 200, answer.text
        return enrollment_id

    def advance_clock(self, seconds: float) -> None:
        answer = self.client.post("/v1/simulation/clock", json={"advance_seconds": seconds})
        assert answer.status_code == 200, answer.text

    def fingerprint_verification(self, person: EnrollmentPerson, *, own_finger: bool = True) -> str:
        """A real 1:1 verification at the portal: the person's own right index (a match), or
        another finger of theirs (no match)."""
        position = RIGHT_INDEX if own_finger else RIGHT_INDEX + 1
        master = _masters.get(finger_seed(person.fingerprint_seed, position), position)
        image = render_impression(master, 11, difficulty=CAPTURE_DIFFICULTY).image
        template = base64.b64encode(process_capture(image).template(RIGHT_INDEX)).decode()
        answer = self.request(
            "POST",
            "/v1/fingerprint/verify",
            {"id_number": person.id_number, "finger_position": RIGHT_INDEX, "template": template},
        )
        assert answer.status_code == 200, answer.text
        assert answer.json()["decision"] == ("match" if own_finger else "no_match"), answer.text
        verification_id: str = answer.json()["verification_id"]
        return verification_id

    def submit(
        self, enrollment_id: str, evidence: dict[str, Any], key: str | None = None
    ) -> httpx.Response:
        headers = {"Idempotency-Key": key} if key is not None else {}
        return self.request(
            "POST", f"/v1/enrollments/{enrollment_id}/submit", evidence, headers=headers
        )


# A small valid JPEG (SOI ... EOI) standing in for the selected portrait.
def tiny_jpeg() -> bytes:
    import cv2
    import numpy as np

    image = np.full((64, 48, 3), 180, np.uint8)
    ok, encoded = cv2.imencode(".jpg", image)
    assert ok
    return bytes(encoded.tobytes())


def evidence(portal: PortalHandle, verification_id: str | None, **overrides: Any) -> dict[str, Any]:
    """A complete, passing evidence body; `overrides` replace parts (None removes one)."""
    body: dict[str, Any] = {
        "passive_authentication": {
            "source": "card",
            "result": "passed",
            "document_signer": "CN=Test Document Signer",
            "checked_at": datetime.now(UTC).isoformat(),
        },
        "fingerprint": {"verification_id": verification_id} if verification_id else None,
        "face": {
            "score": 0.81,
            "threshold": 0.6,
            "model": "dlib-resnet-128",
            "reference": "card_portrait",
        },
        "liveness": {
            "passed": True,
            "checks": [
                {"name": "turn_left", "passed": True},
                {"name": "blink", "passed": True},
                {"name": "screen_cues", "passed": True, "score": 0.04},
            ],
        },
        "portrait": {"jpeg_base64": base64.b64encode(tiny_jpeg()).decode()},
        "consent": {
            "text_version": "consent-2025.1",
            "accepted_at": datetime.now(UTC).isoformat(),
            "language": "ar",
        },
        "operator_id": portal.operator_username,
        "station_id": portal.station_id,
    }
    body.update(overrides)
    return {key: value for key, value in body.items() if value is not None}


def new_key() -> str:
    return str(uuid.uuid4())
