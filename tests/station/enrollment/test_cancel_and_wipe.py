"""Cancel at any step: the enrollment ends, every biometric buffer it touched is overwritten,
and nothing biometric ever reached the disk."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from station.enrollment.machine import Enrollment, EnrollmentOutcome, EnrollmentState
from tests.station.enrollment.booth_parts import (
    FRAME_MARKER,
    PORTRAIT_MARKER,
    TEMPLATE_MARKER,
)
from tests.station.enrollment.conftest import ORDER, Rig, drive_to

S = EnrollmentState


def _cancel(enrollment: Enrollment) -> None:
    enrollment.cancel()


LIVE_STATES = [state for state in ORDER if state is not S.COMPLETED]


@pytest.mark.parametrize("at", LIVE_STATES, ids=[state.value for state in LIVE_STATES])
async def test_cancel_at_each_step_wipes_everything_captured(rig: Rig, at: EnrollmentState) -> None:
    enrollment = rig.enrollment()
    await drive_to(rig, enrollment, at)
    held = enrollment.held_biometrics

    outcome = enrollment.cancel()

    assert outcome.state is S.CANCELLED
    assert enrollment.record is not None
    assert enrollment.record.outcome is EnrollmentOutcome.CANCELLED
    assert enrollment.record.reason == "operator_cancelled"
    assert enrollment.held_biometrics == 0
    assert rig.ledger.all_wiped()
    # Past the card read there was something to wipe.
    assert (held > 0) == (at is not S.IDENTITY)
    assert rig.display.screens[-1] == "failure"


async def test_a_completed_enrollment_holds_no_biometric(rig: Rig) -> None:
    enrollment = rig.enrollment()

    await drive_to(rig, enrollment, S.COMPLETED)

    assert enrollment.held_biometrics == 0
    assert rig.ledger.all_wiped()


async def test_cancel_during_a_face_session_wipes_what_the_session_brings_back(
    rig: Rig,
) -> None:
    enrollment = rig.enrollment()
    await drive_to(rig, enrollment, S.FACE)
    # The operator presses cancel while the camera is still running.
    rig.faces.during = lambda: _cancel(enrollment)

    outcome = await enrollment.capture_face()

    assert outcome.state is S.CANCELLED
    assert enrollment.held_biometrics == 0
    assert rig.ledger.all_wiped()


async def test_cancel_during_a_finger_capture_wipes_what_the_capture_brings_back(
    rig: Rig,
) -> None:
    enrollment = rig.enrollment()
    await drive_to(rig, enrollment, S.FINGERPRINT)
    rig.fingerprints.during = lambda: _cancel(enrollment)

    outcome = await enrollment.capture_finger()

    assert outcome.state is S.CANCELLED
    assert rig.ledger.all_wiped()


async def test_nothing_biometric_reaches_the_station_database(rig: Rig) -> None:
    for _ in range(2):
        await drive_to(rig, rig.enrollment(), S.COMPLETED)
    cancelled = rig.enrollment()
    await drive_to(rig, cancelled, S.SUBMIT)
    cancelled.cancel()

    on_disk = b"".join(
        path.read_bytes() for path in Path(rig.database).parent.iterdir() if path.is_file()
    )
    assert on_disk  # the records and the audit are there...
    for marker in (PORTRAIT_MARKER, FRAME_MARKER, TEMPLATE_MARKER):
        assert marker not in on_disk  # ... but no portrait, frame or template
        assert base64.b64encode(marker * 8)[:16] not in on_disk
