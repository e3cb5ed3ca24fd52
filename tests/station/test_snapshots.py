"""Screenshots of the layout at the smallest supported terminal (80x24). Behaviour is checked by
the Pilot tests; these catch layout regressions. Update with `pytest --snapshot-update`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from station.operators import OperatorSession
from station.portal.models import Eligibility, IdentityRecord
from station.settings import load_settings
from station.ui.app import StationApp
from tests.station.conftest import FakeClock, FixedDeviceStatus, FixedPortal, look_up, open_lookup

SIZE = (80, 24)
NOW = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
PERSON = IdentityRecord(
    id_number="1234567897",
    kind="citizen",
    name_ar="محمد عبدالله سعد القحطاني",
    name_en="Mohammed Abdullah Saad Al-Qahtani",
    sex="male",
    nationality="SAU",
    birth_date=date(1990, 5, 17),
    birth_date_hijri="1410-10-22",
    id_expiry=date(2029, 1, 1),
    status="active",
    has_portal_account=False,
    eligibility=Eligibility.ELIGIBLE,
    reasons=(),
)
SESSION = OperatorSession("op-test", "op-test", "Test Operator", "operator", "fixed-token", NOW)


def _app(tmp_path: Path) -> StationApp:
    clock = FakeClock(NOW)
    return StationApp(
        load_settings(state_dir=tmp_path),
        FixedPortal(PERSON, clock),
        clock=clock,
        device_status=FixedDeviceStatus(),
        station_id="station-0001",
    )


def test_sign_in_screen(snap_compare: Callable[..., bool], tmp_path: Path) -> None:
    assert snap_compare(_app(tmp_path), terminal_size=SIZE)


def test_lookup_result_for_an_eligible_person(
    snap_compare: Callable[..., bool], tmp_path: Path
) -> None:
    async def fill_in_and_look_up(pilot: Pilot[Any]) -> None:
        await open_lookup(pilot, SESSION)
        await look_up(pilot, PERSON.id_number, PERSON.birth_date.isoformat())

    assert snap_compare(_app(tmp_path), terminal_size=SIZE, run_before=fill_in_and_look_up)
