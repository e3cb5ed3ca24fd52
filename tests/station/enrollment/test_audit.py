"""The audit trail: who did what and when, one row per event, and never a biometric."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import numpy as np
import pytest

from station.enrollment.audit import AuditEvent, AuditTrail, BiometricInAuditError
from station.enrollment.machine import EnrollmentState
from tests.station.enrollment.booth_parts import START
from tests.station.enrollment.conftest import Rig, drive_to

S = EnrollmentState


async def test_every_transition_is_an_audit_row_with_who_and_when(rig: Rig) -> None:
    enrollment = rig.enrollment()

    await drive_to(rig, enrollment, S.COMPLETED)

    rows = rig.store.audit_events(enrollment.id)
    transitions = [row for row in rows if row.action == "transition"]
    assert [(row.from_state, row.to_state) for row in transitions] == [
        (source.value, target.value) for source, target, _ in enrollment.history
    ]
    assert [row.at for row in transitions] == [at for _, _, at in enrollment.history]
    assert {row.operator_id for row in rows} == {"operator-1"}
    assert {row.station_id for row in rows} == {"booth-7"}
    assert rows[0].action == "enrollment.started"
    assert rows[0].at == START
    assert json.loads(transitions[0].detail) == {"seconds_in_step": 2.0}


async def test_the_audit_says_what_happened_at_each_step(rig: Rig) -> None:
    rig.fingerprints.decisions = ["no_match"]
    enrollment = rig.enrollment()

    await drive_to(rig, enrollment, S.FINGERPRINT)
    await enrollment.capture_finger()
    await drive_to(rig, enrollment, S.COMPLETED)

    actions = [row.action for row in rig.store.audit_events(enrollment.id)]
    for action in (
        "card.read",
        "lookup.answered",
        "consent.given",
        "fingerprint.try",
        "face.session",
        "account.started",
        "code.accepted",
        "submit.accepted",
        "biometrics.wiped",
    ):
        assert action in actions
    assert actions.count("fingerprint.try") == 2
    tries = [
        json.loads(row.detail)
        for row in rig.store.audit_events(enrollment.id)
        if row.action == "fingerprint.try"
    ]
    assert [(t["try_number"], t["decision"]) for t in tries] == [(1, "no_match"), (2, "match")]


async def test_a_cancel_is_audited_with_its_reason(rig: Rig) -> None:
    enrollment = rig.enrollment()
    await drive_to(rig, enrollment, S.CONSENT)

    enrollment.cancel("citizen_left")

    rows = rig.store.audit_events(enrollment.id)
    cancel = next(row for row in rows if row.action == "enrollment.cancelled")
    assert json.loads(cancel.detail) == {"reason": "citizen_left"}
    assert rows[-1].action == "biometrics.wiped"


@pytest.mark.parametrize(
    "biometric",
    [b"\xff\xd8jpeg", bytearray(b"template"), np.zeros((2, 2)), (1, b"x")],
    ids=["bytes", "bytearray", "array", "bytes-in-tuple"],
)
def test_the_trail_refuses_a_biometric(rig: Rig, biometric: object) -> None:
    trail = AuditTrail(rig.store)

    with pytest.raises(BiometricInAuditError, match="never go into the audit"):
        trail.record(
            AuditEvent(
                "enr-x",
                datetime(2025, 3, 1, tzinfo=UTC),
                "operator-1",
                "booth-7",
                "face.session",
                detail={"frame": biometric},  # type: ignore[dict-item]
            )
        )

    assert rig.store.audit_events("enr-x") == []
