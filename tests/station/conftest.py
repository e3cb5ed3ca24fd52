"""Fixtures for the station tests: the shared real portal, station settings pointing at it,
an injectable clock, fixed device status, and `StationApp` builders for Pilot tests."""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from station.bilingual import Bilingual
from station.devices.status import DeviceState, DeviceStatus
from station.logging import configure_logging
from station.operators import OperatorSession
from station.portal.client import PortalClient
from station.portal.models import IdentityQuery, IdentityRecord, OperatorGrant, PortalHealth
from station.settings import StationSettings, load_settings
from station.ui.app import StationApp
from tests.support.portal_server import PortalHandle

PILOT_SIZE = (100, 32)
WAIT_SECONDS = 15.0


class FakeClock:
    """A clock that moves only when told to; starts at a fixed instant."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2025, 3, 1, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@dataclass(frozen=True)
class FixedDeviceStatus:
    """The booth's devices as a fixed answer, so screens do not depend on this machine's pcscd."""

    statuses: tuple[DeviceStatus, ...] = (
        DeviceStatus(
            Bilingual("Card reader", "قارئ البطاقات"),
            DeviceState.READY,
            Bilingual("Ready: Test Reader 00 00", "جاهز: Test Reader 00 00"),
        ),
    )

    def read(self) -> Sequence[DeviceStatus]:
        return self.statuses


class FixedPortal:
    """A portal that always finds the same person: for screenshots, where the output must not
    depend on today's date or on the generated population. Behaviour is tested on the real one."""

    def __init__(self, person: IdentityRecord, clock: FakeClock) -> None:
        self.person = person
        self._clock = clock

    async def health(self) -> PortalHealth:
        return PortalHealth("ok", "0.1.0", "ok", self._clock())

    async def sign_in(self, username: str, password: str) -> OperatorGrant:
        return OperatorGrant(
            username, "Test Operator", "operator", "fixed-token", self._clock() + timedelta(hours=8)
        )

    async def lookup(self, token: str, query: IdentityQuery) -> IdentityRecord:
        return self.person

    async def aclose(self) -> None:
        return None


@pytest.fixture(scope="session", autouse=True)
def _station_logs(tmp_path_factory: pytest.TempPathFactory) -> None:
    # The station logs to a file, never to stdout (which the TUI owns); so do the tests.
    configure_logging(tmp_path_factory.mktemp("station-logs") / "station.log")


@pytest.fixture(autouse=True)
def _no_cursor_blink(monkeypatch: pytest.MonkeyPatch) -> None:
    # A blinking cursor makes screenshots depend on timing.
    monkeypatch.setattr(Input, "cursor_blink", False)


@pytest.fixture(autouse=True)
def _no_station_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    # A developer's HAWIYA_STATION_* variables must not leak into the settings under test.
    import os

    for name in list(os.environ):
        if name.startswith("HAWIYA_STATION_"):
            monkeypatch.delenv(name)


def closed_port_url() -> str:
    """An https URL on loopback where nothing listens (the port was just freed)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"https://127.0.0.1:{port}"


def settings_for(
    state_dir: Path, handle: PortalHandle, *, url: str | None = None, **extra: Any
) -> StationSettings:
    """Station settings for `state_dir`, with the test PKI and no waits between retries."""
    portal_settings: dict[str, Any] = {
        "url": url or handle.base_url,
        "client_cert": handle.pki.station_cert,
        "client_key": handle.pki.station_key,
        "ca": handle.pki.portal_ca,
        "retry_wait_initial_seconds": 0,
        "retry_wait_max_seconds": 0,
        "retry_wait_jitter_seconds": 0,
        "connect_timeout_seconds": 2,
    }
    portal_settings.update(extra.pop("portal", {}))
    return load_settings(state_dir=state_dir, portal=portal_settings, **extra)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime.now(UTC).replace(microsecond=0))


@pytest.fixture
def station_settings(tmp_path: Path, portal: PortalHandle) -> StationSettings:
    return settings_for(tmp_path / "station", portal)


AppFactory = Callable[..., Awaitable[StationApp]]


@pytest.fixture
async def make_app(
    station_settings: StationSettings, clock: FakeClock
) -> AsyncIterator[AppFactory]:
    """Build `StationApp`s on a real `PortalClient`; every client is closed after the test."""
    clients: list[PortalClient] = []

    async def build(settings: StationSettings | None = None, **options: Any) -> StationApp:
        chosen = settings or station_settings
        client = PortalClient.from_settings(chosen, clock)
        clients.append(client)
        options.setdefault("clock", clock)
        options.setdefault("device_status", FixedDeviceStatus())
        return StationApp(chosen, client, station_id=client.station_id, **options)

    yield build
    for client in clients:
        await client.aclose()


async def wait_for(
    pilot: Pilot[Any], condition: Callable[[], bool], what: str, within: float = WAIT_SECONDS
) -> None:
    """Let the app run until `condition` holds; fail naming `what` after `within` seconds."""
    deadline = time.monotonic() + within
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {within:.0f} s waiting for {what}")
        await pilot.pause(0.01)


async def sign_in(pilot: Pilot[Any], username: str, password: str) -> None:
    """Type the credentials on the sign-in screen and press Enter; wait for the answer."""
    screen = pilot.app.screen
    assert screen.id == "sign-in", screen
    screen.query_one("#username", Input).value = username
    screen.query_one("#password", Input).value = password
    screen.query_one("#password", Input).focus()
    await pilot.press("enter")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def sign_in_to_home(pilot: Pilot[Any], handle: PortalHandle) -> None:
    await sign_in(pilot, handle.operator_username, handle.operator_password)
    await wait_for(pilot, lambda: pilot.app.screen.id == "home", "the home screen")


@pytest.fixture(scope="session")
def operator_session(
    portal: PortalHandle,
    tmp_path_factory: pytest.TempPathFactory,
) -> OperatorSession:
    """op-test signed in at the real portal once: tests that are not about signing in start
    from here instead of paying two argon2id computations each."""
    settings = settings_for(tmp_path_factory.mktemp("session"), portal)

    async def sign_in_once() -> OperatorSession:
        client = PortalClient.from_settings(settings, lambda: datetime.now(UTC))
        try:
            grant = await client.sign_in(portal.operator_username, portal.operator_password)
        finally:
            await client.aclose()
        return OperatorSession(
            portal.operator_username,
            grant.operator_id,
            grant.display_name,
            grant.role,
            grant.token,
            datetime.now(UTC),
        )

    return asyncio.run(sign_in_once())


async def open_lookup(pilot: Pilot[Any], session: OperatorSession) -> None:
    """Start `session` (as a sign-in would) and a new enrollment with key n."""
    app = pilot.app
    assert isinstance(app, StationApp)
    await wait_for(pilot, lambda: app.screen.id == "sign-in", "the sign-in screen")
    app.start_session(session)
    await wait_for(pilot, lambda: app.screen.id == "home", "the home screen")
    await pilot.press("n")
    await wait_for(pilot, lambda: app.screen.id == "lookup-step", "the lookup step")


async def look_up(pilot: Pilot[Any], id_number: str, birth_date: str) -> None:
    """Fill both fields, press Enter in the date field, and wait for the answer."""
    screen = pilot.app.screen
    screen.query_one("#id-number", Input).value = id_number
    birth_date_field = screen.query_one("#birth-date", Input)
    birth_date_field.value = birth_date
    birth_date_field.focus()
    await pilot.press("enter")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
