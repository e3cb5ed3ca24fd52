"""Test cards: a holder with a synthetic portrait, personalised by the simulator, and helpers to
put a card into a vpcd slot and wait (on PC/SC events) until the reader sees it."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta

import cv2
import numpy as np
from smartcard import scard

from simulator.card.applet import CardApplet
from simulator.card.data_groups import CardHolder
from simulator.card.layout import CardFile
from simulator.card.personalise import DocumentSigner, personalise
from simulator.card.scenarios import CardBehaviour, CardScenario
from simulator.card.virtual_card import VirtualCard, slot_port
from simulator.pcsc_daemon import READER_NAME

READERS = (f"{READER_NAME} 00 00", f"{READER_NAME} 00 01")
ID_NUMBER = "1099000017"


def synthetic_portrait(seed: int = 7) -> tuple[bytes, tuple[int, int]]:
    """A 480x600 JPEG of smooth noise, ~35 KB: longer than the card's I/O buffer many times
    over, and past offset 32767 (the odd READ BINARY)."""
    rng = np.random.default_rng(seed)
    small = rng.integers(0, 256, (150, 120, 3), dtype=np.uint8)
    image = cv2.resize(small, (480, 600), interpolation=cv2.INTER_LINEAR)
    ok, encoded = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, 90])
    assert ok
    return encoded.tobytes(), (480, 600)


def make_holder(expiry: date | None = None, id_number: str = ID_NUMBER) -> CardHolder:
    jpeg, size = synthetic_portrait()
    return CardHolder(
        id_number=id_number,
        names_en=("Mohammed", "Abdullah", "Saad", "Al-Qahtani"),
        names_ar=("محمد", "عبدالله", "سعد", "القحطاني"),
        nationality="SAU",
        sex="male",
        birth_date=date(1990, 5, 17),
        expiry_date=expiry or date.today() + timedelta(days=5 * 365),
        portrait_jpeg=jpeg,
        portrait_size=size,
    )


def card_files(
    holder: CardHolder, signer: DocumentSigner, scenario: CardScenario = CardScenario.VALID
) -> dict[CardFile, bytes]:
    return personalise(holder, scenario, signer)


def wait_for_reader(reader: str, *, present: bool, timeout: float = 10.0) -> None:
    """Block on SCardGetStatusChange until `reader` holds a card (or none), or fail."""
    hresult, context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
    assert hresult == scard.SCARD_S_SUCCESS
    try:
        state = scard.SCARD_STATE_UNAWARE
        remaining_ms = int(timeout * 1000)
        while True:
            hresult, states = scard.SCardGetStatusChange(context, remaining_ms, [(reader, state)])
            assert hresult == scard.SCARD_S_SUCCESS, scard.SCardGetErrorMessage(hresult)
            _, event_state, _ = states[0]
            if bool(event_state & scard.SCARD_STATE_PRESENT) == present:
                return
            state = event_state & ~scard.SCARD_STATE_CHANGED
    finally:
        scard.SCardReleaseContext(context)


@contextmanager
def inserted(
    files: dict[CardFile, bytes],
    behaviour: CardBehaviour = CardBehaviour(),  # noqa: B008
    *,
    slot: int = 0,
    extended_length: bool = True,
) -> Iterator[VirtualCard]:
    """The card in `slot` while the block runs; pulled out (and seen gone) afterwards."""
    applet = CardApplet(files, extended_length=extended_length)
    card = VirtualCard(applet, behaviour, port=slot_port(slot))
    thread = threading.Thread(target=card.run, name=f"virtual-card-{slot}", daemon=True)
    thread.start()
    try:
        wait_for_reader(READERS[slot], present=True)
        yield card
    finally:
        card.stop()
        thread.join(10)
        assert not thread.is_alive()
        wait_for_reader(READERS[slot], present=False)
