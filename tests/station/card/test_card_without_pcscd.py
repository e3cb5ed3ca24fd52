"""Without pcscd the reader says so, and the watcher reports it instead of failing."""

from __future__ import annotations

import queue

import pytest
from cryptography import x509

from simulator.pcsc_daemon import socket_in_use
from station.card.failures import CardFailure, CardReadError
from station.devices.card_reader import CardEvent, CardWatcher, PcscCardReader, ReaderUnavailable

pytestmark = [
    pytest.mark.timeout(30),
    pytest.mark.skipif(socket_in_use(), reason="a pcscd runs on this machine"),
]


def test_reading_without_pcscd_names_the_service(country_cas: list[x509.Certificate]) -> None:
    with pytest.raises(CardReadError) as raised:
        PcscCardReader(country_cas).read()
    assert raised.value.failure is CardFailure.PCSCD_NOT_RUNNING
    assert "pcscd" in raised.value.message.en
    assert "pcscd" in raised.value.message.ar


def test_the_watcher_reports_the_missing_service(country_cas: list[x509.Certificate]) -> None:
    events: queue.Queue[CardEvent] = queue.Queue()
    watcher = CardWatcher(PcscCardReader(country_cas), events.put)
    watcher.start()
    try:
        event = events.get(timeout=10)
    finally:
        watcher.stop()
    assert isinstance(event, ReaderUnavailable)
    assert event.error.failure is CardFailure.PCSCD_NOT_RUNNING
