"""The virtual card's ISO/IEC 7816-4 answers, status word by status word."""

from __future__ import annotations

import pytest

from simulator.card.applet import CardApplet
from simulator.card.layout import APPLICATION_AID, ATR, CardFile
from simulator.card.tlv import tlv

FILES = {
    CardFile.COM: tlv(0x60, b"\x5c\x03\x61\x75\x6b"),
    CardFile.DG1: tlv(0x61, bytes(range(200)) * 3),
}
SELECT_APP = bytes.fromhex("00A4040C08") + APPLICATION_AID
SELECT_DG1 = bytes.fromhex("00A4020C020101")


def _sw(answer: bytes) -> str:
    return answer[-2:].hex().upper()


@pytest.fixture
def card() -> CardApplet:
    applet = CardApplet(FILES, io_buffer=256)
    assert _sw(applet.respond(SELECT_APP)) == "9000"
    return applet


def test_the_atr_has_a_valid_check_byte() -> None:
    check = 0
    for byte in ATR[1:]:
        check ^= byte
    assert ATR[0] == 0x3B
    assert check == 0


@pytest.mark.parametrize(
    ("apdu", "sw"),
    [
        ("00A4040C08F0484157495941FF", "6A82"),  # unknown application
        ("00A4020C020199", "6A82"),  # no such file
        ("00A4020C03010101", "6700"),  # a file id has 2 bytes
        ("00A4080C020101", "6A86"),  # unsupported selection mode
        ("00B0000010", "6986"),  # no current EF
        ("00CA000000", "6D00"),  # GET DATA is not supported
        ("80B0000001", "6E00"),  # proprietary class
        ("0CB0000001", "6E00"),  # secure messaging is not offered
        ("00C0000010", "6985"),  # nothing waiting for GET RESPONSE
        ("00B0", "6700"),  # shorter than a header
        ("00B0000005AABB", "6700"),  # Lc does not match
        ("00B0000002AABB", "6700"),  # READ BINARY carries no data
        ("00B0E00001", "6A86"),  # short EF id with reserved bits
        ("00B09F0001", "6A82"),  # no file with short EF id 1F
        ("00B101010354010104", "6700"),  # odd READ BINARY: no room for the 53 wrapper
        ("00B1000002540110", "6A80"),  # odd READ BINARY: broken offset object
    ],
)
def test_every_error_has_its_status_word(card: CardApplet, apdu: str, sw: str) -> None:
    assert _sw(card.respond(bytes.fromhex(apdu))) == sw


def test_reading_past_the_end_is_a_wrong_offset(card: CardApplet) -> None:
    card.respond(SELECT_DG1)
    size = len(FILES[CardFile.DG1])
    assert _sw(card.respond(bytes([0, 0xB0, size >> 8, size & 0xFF, 1]))) == "6B00"
    last = card.respond(bytes([0, 0xB0, (size - 2) >> 8, (size - 2) & 0xFF, 8]))
    assert last == FILES[CardFile.DG1][-2:] + b"\x62\x82"  # fewer than Le: end of file


def test_a_long_answer_is_chained_with_get_response(card: CardApplet) -> None:
    card.respond(SELECT_DG1)
    content = FILES[CardFile.DG1]
    answer = card.respond(bytes.fromhex("00B00000000000"))  # extended Le: everything
    received = bytearray(answer[:-2])
    while answer[-2] == 0x61:
        answer = card.respond(bytes([0, 0xC0, 0, 0, answer[-1]]))
        received += answer[:-2]
    assert bytes(received) == content
    assert _sw(answer) == "6282"  # asked for 65536, the file is shorter


def test_another_command_drops_the_waiting_answer(card: CardApplet) -> None:
    card.respond(SELECT_DG1)
    assert card.respond(bytes.fromhex("00B00000000000"))[-2] == 0x61
    card.respond(SELECT_DG1)
    assert _sw(card.respond(bytes.fromhex("00C0000010"))) == "6985"


def test_short_file_ids_and_the_odd_read_binary_reach_the_same_bytes(card: CardApplet) -> None:
    size = len(FILES[CardFile.COM])
    by_short_id = card.respond(bytes([0, 0xB0, 0x80 | CardFile.COM.short_id, 0, size]))
    assert by_short_id == FILES[CardFile.COM] + b"\x90\x00"
    card.respond(SELECT_DG1)
    odd = card.respond(bytes.fromhex("00B1000004540201F414"))  # offset 500, 16 bytes wanted
    assert odd == b"\x53\x10" + FILES[CardFile.DG1][500:516] + b"\x90\x00"


def test_select_with_an_answer_gives_the_file_size(card: CardApplet) -> None:
    answer = card.respond(bytes.fromhex("00A4020402010100"))
    assert _sw(answer) == "9000"
    assert answer.startswith(b"\x62")
    assert int.from_bytes(answer[4:6], "big") == len(FILES[CardFile.DG1])


def test_a_card_without_extended_length_refuses_it() -> None:
    applet = CardApplet(FILES, extended_length=False)
    applet.respond(SELECT_APP)
    applet.respond(SELECT_DG1)
    assert _sw(applet.respond(bytes.fromhex("00B00000000000"))) == "6700"
    assert _sw(applet.respond(bytes.fromhex("00B0000000"))) == "9000"


def test_power_cycle_forgets_the_selection(card: CardApplet) -> None:
    card.respond(SELECT_DG1)
    card.reset()
    assert _sw(card.respond(SELECT_DG1)) == "6A82"
