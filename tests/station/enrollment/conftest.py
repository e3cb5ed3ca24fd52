"""A booth rig for the enrollment core: scripted ports, a real SQLite station database, a clock
that moves only when the stand-ins say a step took time."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from station.enrollment.audit import AuditTrail
from station.enrollment.machine import Enrollment, EnrollmentLimits, EnrollmentState
from station.enrollment_store import EnrollmentStore
from station.operators import OperatorSession
from station.store import StationStore
from tests.station.conftest import FakeClock
from tests.station.enrollment.booth_parts import (
    START,
    BiometricLedger,
    RecordingDisplay,
    ScriptedFaces,
    ScriptedFingerprints,
    ScriptedPortal,
    card,
)

S = EnrollmentState


@dataclass
class Rig:
    clock: FakeClock
    ledger: BiometricLedger
    portal: ScriptedPortal
    fingerprints: ScriptedFingerprints
    faces: ScriptedFaces
    display: RecordingDisplay
    store: EnrollmentStore
    database: Path
    session: OperatorSession
    ids: list[str] = field(default_factory=list)

    def enrollment(self, **options: Any) -> Enrollment:
        self.ids.append(f"enr-{len(self.ids) + 1}")
        number = self.ids[-1]
        options.setdefault("limits", EnrollmentLimits())
        return Enrollment(
            session=self.session,
            station_id="booth-7",
            portal=self.portal,
            fingerprint=self.fingerprints,
            face=self.faces,
            display=self.display,
            journal=AuditTrail(self.store),
            clock=self.clock,
            new_id=lambda: number,
            **options,
        )


@pytest.fixture
def rig(tmp_path: Path) -> Iterator[Rig]:
    clock = FakeClock(START)
    ledger = BiometricLedger()
    database = tmp_path / "station.db"
    station_store = StationStore(database)
    session = OperatorSession(
        "op-test", "operator-1", "Test Operator", "operator", "token-1", datetime(2025, 3, 1)
    )
    rig = Rig(
        clock=clock,
        ledger=ledger,
        portal=ScriptedPortal(ledger, clock),
        fingerprints=ScriptedFingerprints(ledger, clock),
        faces=ScriptedFaces(ledger, clock),
        display=RecordingDisplay(),
        store=EnrollmentStore(station_store.engine),
        database=database,
        session=session,
    )
    yield rig
    station_store.close()


ORDER = (
    S.IDENTITY,
    S.LOOKUP,
    S.CONSENT,
    S.FINGERPRINT,
    S.FACE,
    S.ACCOUNT,
    S.SMS_CODE,
    S.SUBMIT,
    S.COMPLETED,
)


async def drive_to(rig: Rig, enrollment: Enrollment, target: EnrollmentState) -> None:
    """Walk a compliant person with a card from where the enrollment is up to `target`
    (each step taking its time)."""
    for state in ORDER[ORDER.index(enrollment.state) : ORDER.index(target)]:
        assert enrollment.state is state, (enrollment.state, state)
        rig.clock.advance(seconds=2)
        if state is S.IDENTITY:
            enrollment.accept_card(card(rig.ledger))
        elif state is S.LOOKUP:
            await enrollment.look_up()
        elif state is S.CONSENT:
            enrollment.give_consent()
        elif state is S.FINGERPRINT:
            await enrollment.capture_finger()
        elif state is S.FACE:
            await enrollment.capture_face()
        elif state is S.ACCOUNT:
            await enrollment.open_account(
                username="mohammed90", password="a long passphrase", mobile="0512345123"
            )
        elif state is S.SMS_CODE:
            await enrollment.enter_code(rig.portal.code)
        elif state is S.SUBMIT:
            await enrollment.submit()
    assert enrollment.state is target
