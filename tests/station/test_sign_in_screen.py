"""The sign-in screen with the real portal: success, wrong password, lockout, offline sign-in,
idle sign-out and sign-out."""

from __future__ import annotations

import itertools
from pathlib import Path

from textual.widgets import Input

from portal_mock.admin import add_operator
from station.operators import OperatorSession
from station.ui.app import StationApp
from station.ui.screens.home import HomeScreen
from station.ui.widgets.bilingual_lines import BilingualLines
from station.ui.widgets.station_bar import StationBar
from tests.station.conftest import (
    PILOT_SIZE,
    AppFactory,
    FakeClock,
    closed_port_url,
    open_lookup,
    settings_for,
    sign_in,
    sign_in_to_home,
    wait_for,
)
from tests.support.portal_server import PortalHandle

_numbers = itertools.count(1)


def _message(app: StationApp) -> BilingualLines:
    return app.screen.query_one("#sign-in-message", BilingualLines)


async def test_right_password_opens_home_with_the_operator_named(
    make_app: AppFactory, portal: PortalHandle
) -> None:
    app = await make_app()
    async with app.run_test(size=PILOT_SIZE) as pilot:
        await sign_in_to_home(pilot, portal)

        assert app.session is not None
        assert not app.session.offline
        assert app.screen.query_one(StationBar).session == app.session
        assert app.session.display_name == "Test Operator"


async def test_typing_username_enter_password_enter_signs_in(
    make_app: AppFactory, portal: PortalHandle
) -> None:
    app = await make_app()
    async with app.run_test(size=PILOT_SIZE) as pilot:
        await pilot.press(*portal.operator_username, "enter")
        assert app.screen.focused is app.screen.query_one("#password", Input)
        await pilot.press(*portal.operator_password, "enter")

        await wait_for(pilot, lambda: app.screen.id == "home", "the home screen")


async def test_password_is_masked(make_app: AppFactory) -> None:
    app = await make_app()
    async with app.run_test(size=PILOT_SIZE) as pilot:
        await pilot.pause()

        assert app.screen.query_one("#password", Input).password


async def test_wrong_password_is_explained_inline_and_cleared(
    make_app: AppFactory, portal: PortalHandle
) -> None:
    app = await make_app()
    async with app.run_test(size=PILOT_SIZE) as pilot:
        await sign_in(pilot, portal.operator_username, "not the password")

        message = _message(app)
        assert app.screen.id == "sign-in"
        assert message.tone == "bad"
        assert message.message is not None
        assert "Wrong username or password" in message.message.en
        assert "غير صحيحة" in message.message.ar
        assert app.screen.query_one("#password", Input).value == ""
        assert app.screen.focused is app.screen.query_one("#password", Input)


async def test_five_failures_lock_the_operator_and_say_until_when(
    make_app: AppFactory, portal: PortalHandle
) -> None:
    username = f"op-ui-lock-{next(_numbers)}"
    add_operator(portal.db_url, username, "Lockout Operator", "the right password")
    app = await make_app()
    async with app.run_test(size=PILOT_SIZE) as pilot:
        for attempt in range(5):
            await sign_in(pilot, username, f"wrong {attempt}")
        await sign_in(pilot, username, "the right password")

        message = _message(app).message
        assert app.screen.id == "sign-in"
        assert message is not None
        assert "locked at this station until" in message.en
        assert "حتى" in message.ar


async def test_offline_sign_in_after_an_online_one_is_clearly_marked(
    make_app: AppFactory, portal: PortalHandle, tmp_path: Path
) -> None:
    online = await make_app()
    async with online.run_test(size=PILOT_SIZE) as pilot:
        await sign_in_to_home(pilot, portal)
    offline_settings = settings_for(tmp_path / "station", portal, url=closed_port_url())
    offline = await make_app(offline_settings)

    async with offline.run_test(size=PILOT_SIZE) as pilot:
        await sign_in_to_home(pilot, portal)
        await offline.workers.wait_for_complete()
        await pilot.pause()

        home = offline.screen
        assert isinstance(home, HomeScreen)
        assert offline.session is not None
        assert offline.session.offline
        notice = home.query_one("#offline-notice", BilingualLines).message
        assert notice is not None
        assert "OFFLINE" in notice.en
        status = home.query_one("#portal-status-line", BilingualLines)
        assert status.tone == "bad"
        assert status.message is not None
        assert "Portal unreachable" in status.message.en


async def test_idle_operator_is_signed_out_after_five_minutes(
    make_app: AppFactory, portal: PortalHandle, clock: FakeClock
) -> None:
    app = await make_app(idle_check_seconds=0.02)
    async with app.run_test(size=PILOT_SIZE) as pilot:
        await sign_in_to_home(pilot, portal)
        await pilot.press("n")

        clock.advance(minutes=4)
        await pilot.press("1")  # a key press: the operator is still there
        clock.advance(minutes=4)
        await app.sign_out_if_idle()  # what the interval timer runs: nothing to do yet
        still_there = app.screen.id
        clock.advance(minutes=1, seconds=1)
        await wait_for(pilot, lambda: app.screen.id == "sign-in", "the idle sign-out")

        assert still_there == "lookup-step"
        assert app.session is None
        notice = _message(app).message
        assert notice is not None
        assert "5 minutes without a key press" in notice.en


async def test_sign_out_key_returns_to_sign_in_from_any_step(
    make_app: AppFactory, operator_session: OperatorSession
) -> None:
    app = await make_app()
    async with app.run_test(size=PILOT_SIZE) as pilot:
        await open_lookup(pilot, operator_session)

        await pilot.press("ctrl+o")
        await wait_for(pilot, lambda: app.screen.id == "sign-in", "the sign-in screen")

        assert app.session is None
        assert len(app.screen_stack) == 2  # nothing of the session is left underneath
        notice = _message(app).message
        assert notice is not None
        assert notice.en == "You signed out."
