"""The home screen shows today's figures from the station database (Pilot)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from station.enrollment_store import EnrollmentRow, EnrollmentStore
from station.operators import OperatorSession
from station.settings import load_settings
from station.store import StationStore
from station.ui.app import StationApp
from station.ui.widgets.bilingual_lines import BilingualLines
from station.ui.widgets.booth_figures import BoothFiguresPanel
from tests.station.conftest import PILOT_SIZE, FakeClock, FixedDeviceStatus, FixedPortal, wait_for
from tests.station.enrollment.booth_parts import person

NOW = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)  # 12:00 at the booth
SESSION = OperatorSession("op-test", "operator-1", "Test Operator", "operator", "token", NOW)


def _record(
    store: EnrollmentStore, number: int, seconds: float, outcome: str, reason: str | None
) -> None:
    started = NOW - timedelta(hours=1, minutes=number)
    store.save_enrollment(
        EnrollmentRow(
            id=f"enr-{number}",
            station_id="booth-7",
            operator_id="operator-1",
            outcome=outcome,
            reason=reason,
            started_at=started,
            ended_at=started + timedelta(seconds=seconds),
        )
    )


def _app(tmp_path: Path, store: StationStore) -> StationApp:
    clock = FakeClock(NOW)
    return StationApp(
        load_settings(state_dir=tmp_path),
        FixedPortal(person(), clock),
        clock=clock,
        device_status=FixedDeviceStatus(),
        store=store,
        station_id="booth-7",
    )


async def _home_figures(app: StationApp) -> BoothFiguresPanel:
    async with app.run_test(size=PILOT_SIZE) as pilot:
        await wait_for(pilot, lambda: app.screen.id == "sign-in", "the sign-in screen")
        app.start_session(SESSION)
        await wait_for(pilot, lambda: app.screen.id == "home", "the home screen")
        await wait_for(
            pilot,
            lambda: any(
                panel.figures is not None
                for panel in app.screen.query("#booth-figures").results(BoothFiguresPanel)
            ),
            "today's figures",
        )
        panel = app.screen.query_one("#booth-figures", BoothFiguresPanel)
        await pilot.pause()
        shown = [line.message for line in panel.query(BilingualLines) if line.message]
        assert shown == panel.lines
        return panel


async def test_home_shows_todays_enrollments_rate_duration_and_reasons(tmp_path: Path) -> None:
    store = StationStore(tmp_path / "station.db")
    enrollments = EnrollmentStore(store.engine)
    _record(enrollments, 1, 100, "completed", None)
    _record(enrollments, 2, 80, "completed", None)
    _record(enrollments, 3, 20, "stopped", "face_no_match")
    _record(enrollments, 4, 10, "stopped", "face_no_match")
    try:
        panel = await _home_figures(_app(tmp_path, store))
    finally:
        store.close()

    lines = panel.lines
    assert lines[0].en == "Today: 4 enrollments, 2 completed (50%)"
    assert lines[1].en == "Median duration: 1 min 30 s"
    assert lines[2].en == "Top failure reasons: face_no_match (2)"
    assert lines[0].ar.startswith("اليوم: 4 تسجيل")


async def test_home_says_when_there_is_no_enrollment_yet(tmp_path: Path) -> None:
    store = StationStore(tmp_path / "station.db")
    try:
        panel = await _home_figures(_app(tmp_path, store))
    finally:
        store.close()

    assert [line.en for line in panel.lines] == ["No enrollment yet today."]
