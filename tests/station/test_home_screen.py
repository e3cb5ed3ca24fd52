"""The home screen: portal status with the time of the check, device status, and the keys."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from textual.binding import Binding
from textual.pilot import Pilot

from station.birth_date import Calendar
from station.operators import OperatorSession
from station.ui.app import StationApp
from station.ui.screens.home import HomeScreen, clock_time
from station.ui.screens.sign_in import SignInScreen
from station.ui.steps.lookup.screen import LookupScreen
from station.ui.widgets.bilingual_lines import BilingualLines
from tests.station.conftest import (
    PILOT_SIZE,
    AppFactory,
    FakeClock,
    open_lookup,
    settings_for,
    wait_for,
)
from tests.support.portal_server import PortalHandle


async def _home(pilot: Pilot[Any], session: OperatorSession) -> HomeScreen:
    app = pilot.app
    assert isinstance(app, StationApp)
    await wait_for(pilot, lambda: app.screen.id == "sign-in", "the sign-in screen")
    app.start_session(session)
    await wait_for(pilot, lambda: app.screen.id == "home", "the home screen")
    home = app.screen
    assert isinstance(home, HomeScreen)
    await wait_for(
        pilot,
        lambda: home.last_health is not None and home.last_devices is not None,
        "the first portal and device checks",
    )
    return home


async def test_portal_status_says_reachable_with_the_check_time(
    make_app: AppFactory, operator_session: OperatorSession, clock: FakeClock
) -> None:
    app = await make_app()
    async with app.run_test(size=PILOT_SIZE) as pilot:
        home = await _home(pilot, operator_session)

        line = home.query_one("#portal-status-line", BilingualLines)
        assert line.tone == "good"
        assert line.message is not None
        assert "Reachable" in line.message.en
        assert f"checked {clock_time(clock())}" in line.message.en


async def test_device_status_lists_each_device(
    make_app: AppFactory, operator_session: OperatorSession
) -> None:
    app = await make_app()
    async with app.run_test(size=PILOT_SIZE) as pilot:
        home = await _home(pilot, operator_session)

        lines = [
            line.message
            for line in home.query_one("#devices-table").query(BilingualLines)
            if line.message is not None
        ]
        assert [line.en for line in lines] == ["● Card reader", "Ready: Test Reader 00 00"]
        assert lines[0].ar == "قارئ البطاقات"


async def test_refresh_key_checks_again_at_the_new_time(
    make_app: AppFactory, operator_session: OperatorSession, clock: FakeClock
) -> None:
    app = await make_app()
    async with app.run_test(size=PILOT_SIZE) as pilot:
        home = await _home(pilot, operator_session)
        first = home.last_health
        clock.advance(minutes=1)

        await pilot.press("r")
        await wait_for(pilot, lambda: home.last_health is not first, "a second portal check")

        assert home.last_health is not None
        assert first is not None
        assert home.last_health.checked_at - first.checked_at == timedelta(minutes=1)


async def test_n_starts_a_new_enrollment_at_the_identity_step(
    make_app: AppFactory, operator_session: OperatorSession
) -> None:
    app = await make_app()
    async with app.run_test(size=PILOT_SIZE) as pilot:
        await _home(pilot, operator_session)

        await pilot.press("n")
        await wait_for(pilot, lambda: app.screen.id == "lookup-step", "the lookup step")

        assert app.screen.focused is not None
        assert app.screen.focused.id == "id-number"


def test_every_binding_of_ours_has_an_id() -> None:
    bindings = [
        binding
        for screen in (StationApp, SignInScreen, HomeScreen, LookupScreen)
        for binding in screen.BINDINGS
    ]

    assert bindings
    assert all(isinstance(binding, Binding) and binding.id for binding in bindings)
    ids = [binding.id for binding in bindings if isinstance(binding, Binding)]
    assert len(ids) == len(set(ids))


async def test_a_site_can_remap_a_key_by_its_binding_id(
    make_app: AppFactory,
    operator_session: OperatorSession,
    portal: PortalHandle,
    tmp_path: Path,
) -> None:
    settings = settings_for(tmp_path / "remapped", portal, keymap={"lookup.toggle_calendar": "f2"})
    app = await make_app(settings)
    async with app.run_test(size=PILOT_SIZE) as pilot:
        await open_lookup(pilot, operator_session)
        screen = app.screen
        assert isinstance(screen, LookupScreen)

        await pilot.press("f2")

        assert screen.calendar is Calendar.HIJRI
