"""Device status for the home screen: pcscd down, no reader, one or several readers."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from smartcard.Exceptions import CardServiceNotFoundException
from smartcard.pcsc.PCSCExceptions import EstablishContextException, ListReadersException

from station.devices.status import DeviceState, StationDeviceStatus, card_reader_status
from station.settings import DeviceSettings

# pcsc-lite's SCARD_E_NO_SERVICE and SCARD_F_INTERNAL_ERROR
NO_SERVICE = 0x8010001D
INTERNAL_ERROR = 0x80100001


def _raises(error: Exception):  # type: ignore[no-untyped-def]
    def list_readers() -> list[str]:
        raise error

    return list_readers


@pytest.mark.parametrize(
    "error", [EstablishContextException(NO_SERVICE), CardServiceNotFoundException()]
)
def test_pcscd_not_running_says_how_to_start_it(error: Exception) -> None:
    status = card_reader_status(_raises(error))

    assert status.state is DeviceState.SERVICE_DOWN
    assert "pcscd" in status.summary.en
    assert "systemctl start pcscd" in status.summary.en
    assert "pcscd" in status.summary.ar


def test_other_pcsc_errors_are_an_error_state() -> None:
    status = card_reader_status(_raises(ListReadersException(INTERNAL_ERROR)))

    assert status.state is DeviceState.ERROR
    assert "replug" in status.summary.en


def test_no_reader_still_allows_typing_the_number() -> None:
    status = card_reader_status(lambda: [])

    assert status.state is DeviceState.ABSENT
    assert "plug in the reader" in status.summary.en
    assert "type the ID number" in status.summary.en


def test_one_reader_is_ready_and_named() -> None:
    status = card_reader_status(lambda: ["ACS ACR39U 00 00"])

    assert status.state is DeviceState.READY
    assert status.summary.en == "Ready: ACS ACR39U 00 00"


def test_several_readers_say_which_is_used() -> None:
    status = card_reader_status(lambda: ["Reader A 00 00", "Reader B 00 00"])

    assert status.state is DeviceState.READY
    assert status.summary.en == "2 readers; using Reader A 00 00"


def test_a_configured_reader_name_filters_the_list() -> None:
    status = card_reader_status(lambda: ["Reader A 00 00", "Reader B 00 00"], "Reader B")

    assert status.summary.en == "Ready: Reader B 00 00"


def test_scanner_and_camera_are_not_configured_by_default() -> None:
    statuses = StationDeviceStatus(DeviceSettings(), lambda: ["R 00 00"]).read()

    by_name = {status.device.en: status for status in statuses}
    assert by_name["Card reader"].state is DeviceState.READY
    assert by_name["Fingerprint scanner"].state is DeviceState.NOT_CONFIGURED
    assert "devices.fingerprint_scanner_url" in by_name["Fingerprint scanner"].summary.en
    assert by_name["Camera"].state is DeviceState.NOT_CONFIGURED


def test_real_pyscard_without_a_pcscd_socket_reports_the_service_down(tmp_path: Path) -> None:
    # pcsc-lite reads the socket path once per process, so ask in a fresh one.
    script = (
        "from station.devices.status import card_reader_status;print(card_reader_status().state)"
    )
    environment = {**os.environ, "PCSCLITE_CSOCK_NAME": str(tmp_path / "no-pcscd.comm")}

    result = subprocess.run(
        [sys.executable, "-c", script],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )

    assert result.stdout.strip() == "service_down"
