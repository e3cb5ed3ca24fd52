"""The ID card on the real PC/SC stack (private pcscd + vpcd + pyscard): time from insertion to
a verified identity, the APDU round trip, and SCardStatus on the same connection as baseline.

`python -m benchmarks.bench_card [--insertions N] [--apdus N] [--json OUT]`. It starts its own
pcscd, so no other pcscd may run (one per machine).
"""

from __future__ import annotations

import argparse
import json
import queue
import statistics
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from cryptography import x509
from smartcard import scard

from benchmarks.table import format_table
from fixtures.pki import ensure_test_pki
from simulator.card.applet import CardApplet
from simulator.card.data_groups import CardHolder
from simulator.card.layout import APPLICATION_AID, CardFile
from simulator.card.personalise import PORTRAIT_QUALITY, load_document_signer, personalise
from simulator.card.scenarios import CardScenario
from simulator.card.virtual_card import VirtualCard, slot_port
from simulator.pcsc_daemon import READER_NAME, PcscDaemon, PcscdConfig
from simulator.subject import make_identity, portrait_jpeg, render_card_portrait
from station.devices.card_reader import (
    CardEvent,
    CardIdentityRead,
    CardRemoved,
    CardWatcher,
    PcscCardReader,
)

READER = f"{READER_NAME} 00 00"
_WARM_UP = 20


def run(insertions: int = 30, apdus: int = 500) -> list[dict[str, Any]]:
    """Insert the card `insertions` times with a watcher waiting on PC/SC events; time from the
    card's connection to vpcd to the verified identity. Then `apdus` READ BINARY of one byte
    and as many SCardStatus calls on one connection."""
    with tempfile.TemporaryDirectory(prefix="hawiya-bench-card-") as directory:
        pki = ensure_test_pki(Path(directory) / "pki")
        files = personalise(_holder(), CardScenario.VALID, load_document_signer(pki.directory))
        cas = x509.load_pem_x509_certificates(pki.country_ca.read_bytes())
        with PcscDaemon(PcscdConfig(Path(directory) / "pcscd")):
            insertion = _insertion_to_identity(files, cas, insertions)
            round_trip, status = _apdu_round_trip(files, apdus)
    portrait = len(files[CardFile.DG2])
    return [
        _row(
            "insertion to verified identity, median",
            statistics.median(insertion),
            None,
            f"{insertions} insertions; includes pcscd's card polling; DG2 {portrait} B",
        ),
        _row("insertion to verified identity, p95", _p95(insertion), None, ""),
        _row(
            "APDU round trip (READ BINARY 1 B), median",
            statistics.median(round_trip),
            statistics.median(status),
            "baseline: SCardStatus on the same connection",
        ),
        _row(
            "APDU round trip (READ BINARY 1 B), p95",
            _p95(round_trip),
            _p95(status),
            f"{apdus} APDUs",
        ),
    ]


def _holder() -> CardHolder:
    image = render_card_portrait(make_identity(99_000_001, "male", 35.0, "SAU"))
    height, width = image.shape[:2]
    return CardHolder(
        id_number="1099000017",
        names_en=("Mohammed", "Abdullah", "Saad", "Al-Qahtani"),
        names_ar=("محمد", "عبدالله", "سعد", "القحطاني"),
        nationality="SAU",
        sex="male",
        birth_date=date(1990, 5, 17),
        expiry_date=date.today() + timedelta(days=5 * 365),
        portrait_jpeg=portrait_jpeg(image, PORTRAIT_QUALITY),
        portrait_size=(width, height),
    )


def _insertion_to_identity(
    files: dict[CardFile, bytes], cas: list[x509.Certificate], insertions: int
) -> list[float]:
    events: queue.Queue[tuple[float, CardEvent]] = queue.Queue()
    watcher = CardWatcher(
        PcscCardReader(cas, reader_name=READER),
        lambda event: events.put((time.monotonic(), event)),
    )
    watcher.start()
    seconds = []
    try:
        for _ in range(insertions):
            card = VirtualCard(CardApplet(files), port=slot_port(0))
            thread = threading.Thread(target=card.run, daemon=True)
            thread.start()
            at, event = _next(events, lambda e: not isinstance(e, CardRemoved))
            if not isinstance(event, CardIdentityRead):
                at, event = _next(events, lambda e: isinstance(e, CardIdentityRead))
            seconds.append(at - card.inserted_at)
            card.stop()
            thread.join(10)
            _next(events, lambda e: isinstance(e, CardRemoved))
    finally:
        watcher.stop()
    return seconds


def _next(
    events: queue.Queue[tuple[float, CardEvent]], wanted: Callable[[CardEvent], bool]
) -> tuple[float, CardEvent]:
    while True:
        at, event = events.get(timeout=30)
        if wanted(event):
            return at, event


def _apdu_round_trip(files: dict[CardFile, bytes], count: int) -> tuple[list[float], list[float]]:
    card = VirtualCard(CardApplet(files), port=slot_port(0))
    thread = threading.Thread(target=card.run, daemon=True)
    thread.start()
    _, context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
    try:
        _wait_present(context)
        hresult, handle, protocol = scard.SCardConnect(
            context, READER, scard.SCARD_SHARE_SHARED, scard.SCARD_PROTOCOL_T1
        )
        assert hresult == scard.SCARD_S_SUCCESS, scard.SCardGetErrorMessage(hresult)
        select = [0x00, 0xA4, 0x04, 0x0C, len(APPLICATION_AID), *APPLICATION_AID]
        scard.SCardTransmit(handle, protocol, select)
        scard.SCardTransmit(handle, protocol, [0x00, 0xA4, 0x02, 0x0C, 0x02, 0x01, 0x01])
        read_one = [0x00, 0xB0, 0x00, 0x00, 0x01]

        def transmit() -> None:
            hresult, response = scard.SCardTransmit(handle, protocol, read_one)
            assert hresult == scard.SCARD_S_SUCCESS
            assert response[-2:] == [0x90, 0x00]

        def status() -> None:
            assert scard.SCardStatus(handle)[0] == scard.SCARD_S_SUCCESS

        trips = _timed(transmit, count)
        statuses = _timed(status, count)
        scard.SCardDisconnect(handle, scard.SCARD_LEAVE_CARD)
    finally:
        scard.SCardReleaseContext(context)
        card.stop()
        thread.join(10)
    return trips, statuses


def _wait_present(context: int) -> None:
    state = scard.SCARD_STATE_UNAWARE
    while True:
        hresult, states = scard.SCardGetStatusChange(context, 10_000, [(READER, state)])
        assert hresult == scard.SCARD_S_SUCCESS, scard.SCardGetErrorMessage(hresult)
        state = states[0][1] & ~scard.SCARD_STATE_CHANGED
        if state & scard.SCARD_STATE_PRESENT:
            return


def _timed(action: Callable[[], None], count: int) -> list[float]:
    for _ in range(_WARM_UP):
        action()
    seconds = []
    for _ in range(count):
        start = time.perf_counter()
        action()
        seconds.append(time.perf_counter() - start)
    return seconds


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) > 1 else values[0]


def _row(figure: str, seconds: float, baseline: float | None, note: str) -> dict[str, Any]:
    row: dict[str, Any] = {
        "benchmark": "card",
        "figure": figure,
        "value": round(seconds * 1000, 3),
        "unit": "ms",
        "note": note,
    }
    if baseline is not None:
        row["baseline"] = round(baseline * 1000, 3)
    return row


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--insertions", type=int, default=30)
    parser.add_argument("--apdus", type=int, default=500)
    parser.add_argument("--json", type=Path, help="also write the rows here")
    args = parser.parse_args(argv)
    rows = run(args.insertions, args.apdus)
    print(format_table(rows))
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
