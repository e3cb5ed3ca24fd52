"""`assemble_station`: the station's parts from its settings, the customer display it serves,
and what happens when a device is not configured or the display's port is taken."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from station.assembly import BoothFingerprints, StationAssembly, assemble_station
from station.devices.status import DeviceState
from station.portal.client import PortalClient
from station.settings import SettingsError, StationSettings
from station.ui.wizard.face import WatchableFaceStep
from tests.station.conftest import FakeClock, FixedDeviceStatus, settings_for
from tests.support.portal_server import PortalHandle


def booth_settings(tmp_path: Path, portal: PortalHandle, **extra: Any) -> StationSettings:
    devices = {
        "card_country_ca": portal.pki.country_ca,
        "fingerprint_device_ca": portal.pki.device_ca,
        **extra.pop("devices", {}),
    }
    display = {"port": 0, **extra.pop("customer_display", {})}
    return settings_for(
        tmp_path / "station", portal, devices=devices, customer_display=display, **extra
    )


@pytest.fixture
async def client(tmp_path: Path, portal: PortalHandle, clock: FakeClock) -> AsyncIterator[Any]:
    made: list[PortalClient] = []

    def make(settings: StationSettings) -> PortalClient:
        made.append(PortalClient.from_settings(settings, clock))
        return made[-1]

    yield make
    for one in made:
        await one.aclose()


async def test_without_scanner_and_camera_there_is_no_wizard_and_it_says_why(
    tmp_path: Path, portal: PortalHandle, client: Any, clock: FakeClock
) -> None:
    settings = booth_settings(tmp_path, portal)
    assembly = assemble_station(settings, client(settings), clock)
    try:
        assert assembly.parts is None
        missing = " ".join(reason.en for reason in assembly.missing)
        assert "devices.fingerprint_scanner_url" in missing
        assert "devices.camera_url" in missing
    finally:
        await assembly.aclose()


async def test_the_station_serves_the_customer_display_and_lists_it_with_the_devices(
    tmp_path: Path, portal: PortalHandle, client: Any, clock: FakeClock
) -> None:
    settings = booth_settings(tmp_path, portal)
    assembly = assemble_station(settings, client(settings), clock)
    try:
        assert assembly.display is not None
        async with httpx.AsyncClient(timeout=5.0) as http:
            page = await http.get(assembly.display.page_url)
        assert page.status_code == 200
        assembly.device_status = _with_fixed_devices(assembly)
        last = list(assembly.device_status.read())[-1]
        assert last.device.en == "Customer display"
        assert last.state is DeviceState.READY
        assert assembly.display.page_url in last.summary.en
    finally:
        await assembly.aclose()


def _with_fixed_devices(assembly: StationAssembly) -> Any:
    from station.assembly import BoothDeviceStatus

    return BoothDeviceStatus(FixedDeviceStatus(), None, assembly.display)


async def test_a_taken_display_port_is_a_settings_error_naming_the_key(
    tmp_path: Path, portal: PortalHandle, client: Any, clock: FakeClock
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        settings = booth_settings(tmp_path, portal, customer_display={"port": port})
        with pytest.raises(SettingsError) as raised:
            assemble_station(settings, client(settings), clock)
    assert "customer_display.port" in raised.value.message.en
    assert "customer_display.port" in raised.value.message.ar


async def test_with_devices_configured_key_n_gets_the_real_parts(
    tmp_path: Path, portal: PortalHandle, client: Any, clock: FakeClock
) -> None:
    settings = booth_settings(
        tmp_path,
        portal,
        devices={
            "fingerprint_scanner_url": "http://127.0.0.1:9",
            "camera_url": "http://127.0.0.1:9/video.mjpg",
        },
        customer_display={"enabled": False},
    )
    assembly = assemble_station(settings, client(settings), clock)
    try:
        parts = assembly.parts
        assert parts is not None
        assert assembly.display is None
        assert isinstance(parts.face, WatchableFaceStep)
        assert isinstance(parts.fingerprint, BoothFingerprints)
        assert parts.cards is not None
        assert parts.supervisor is not None
        assert parts.receipts_dir == settings.state_dir / "receipts"
        assert parts.journal() is not parts.journal()  # one journal per enrollment
        off = list(assembly.device_status.read())[-1]
        assert off.state is DeviceState.NOT_CONFIGURED
    finally:
        await assembly.aclose()
