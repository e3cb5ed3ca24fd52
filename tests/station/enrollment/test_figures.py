"""The booth's figures for today, from the station database."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from station.enrollment.figures import booth_figures, format_seconds
from station.enrollment.machine import EnrollmentState
from station.enrollment_store import EnrollmentRow, EnrollmentStore
from tests.station.enrollment.conftest import Rig, drive_to

# 09:00 at the booth (UTC+3).
MORNING = datetime(2025, 3, 1, 6, 0, tzinfo=UTC)


def _finished(
    store: EnrollmentStore,
    number: int,
    started: datetime,
    seconds: float,
    outcome: str = "completed",
    reason: str | None = None,
) -> None:
    store.save_enrollment(
        EnrollmentRow(
            id=f"enr-{number}",
            station_id="booth-7",
            operator_id="operator-1",
            outcome=outcome,
            reason=reason,
            started_at=started,
            ended_at=started + timedelta(seconds=seconds),
            step_seconds=json.dumps({"face": seconds / 2, "account": seconds / 2}),
        )
    )


def test_figures_count_today_rate_median_and_top_reasons(rig: Rig) -> None:
    store = rig.store
    for number, seconds in enumerate((60, 90, 120), start=1):
        _finished(store, number, MORNING + timedelta(minutes=number * 10), seconds)
    _finished(store, 4, MORNING, 30, "stopped", "face_no_match")
    _finished(store, 5, MORNING, 40, "stopped", "face_no_match")
    _finished(store, 6, MORNING, 10, "stopped", "card_expired")
    _finished(store, 7, MORNING, 5, "cancelled", "operator_cancelled")
    _finished(store, 8, MORNING, 5, "stopped", "already_registered")

    figures = booth_figures(store, MORNING + timedelta(hours=3))

    assert figures.enrollments == 8
    assert figures.completed == 3
    assert figures.success_rate == pytest.approx(3 / 8)
    assert figures.median_seconds == 90
    assert figures.median_step_seconds == {"face": 45, "account": 45}
    assert figures.top_failure_reasons == (
        ("face_no_match", 2),
        ("already_registered", 1),
        ("card_expired", 1),
    )


def test_today_is_the_booths_local_day(rig: Rig) -> None:
    # 20:59 UTC on 28 Feb is 23:59 on 28 Feb at the booth; 21:00 UTC is already 1 March.
    _finished(rig.store, 1, datetime(2025, 2, 28, 20, 59, tzinfo=UTC), 60)
    _finished(rig.store, 2, datetime(2025, 2, 28, 21, 0, tzinfo=UTC), 60)
    _finished(rig.store, 3, datetime(2025, 3, 1, 20, 59, tzinfo=UTC), 60)
    _finished(rig.store, 4, datetime(2025, 3, 1, 21, 0, tzinfo=UTC), 60)

    figures = booth_figures(rig.store, MORNING)

    assert figures.day.isoformat() == "2025-03-01"
    assert figures.enrollments == 2


def test_a_day_without_enrollments_has_no_rate_and_no_median(rig: Rig) -> None:
    figures = booth_figures(rig.store, MORNING)

    assert figures.enrollments == 0
    assert figures.success_rate is None
    assert figures.median_seconds is None
    assert figures.top_failure_reasons == ()


async def test_figures_come_from_what_the_machine_recorded(rig: Rig) -> None:
    await drive_to(rig, rig.enrollment(), EnrollmentState.COMPLETED)
    stopped = rig.enrollment()
    await drive_to(rig, stopped, EnrollmentState.SMS_CODE)
    for _ in range(5):
        await stopped.enter_code("000000")

    figures = booth_figures(rig.store, rig.clock())

    assert figures.enrollments == 2
    assert figures.completed == 1
    assert figures.median_seconds == 75.0
    assert figures.median_step_seconds["face"] == 14.0
    assert figures.top_failure_reasons == (("sms_code_attempts", 1),)


@pytest.mark.parametrize(("seconds", "shown"), [(42.4, "42 s"), (65, "1 min 05 s"), (0, "0 s")])
def test_durations_are_shown_in_minutes_and_seconds(seconds: float, shown: str) -> None:
    assert format_seconds(seconds) == shown
