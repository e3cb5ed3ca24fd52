"""The station's BER-TLV and APDU parsers: round trips against the simulator's encoders, and
malformed lengths or truncated data always end in a clear error, never a crash."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from simulator.card.applet import parse_command
from simulator.card.tlv import tlv
from station.card.apdu import ApduError, CommandApdu, ResponseApdu, describe_status
from station.card.tlv import TlvError, parse_all, read_tlv, unwrap

TAGS = st.sampled_from([0x02, 0x53, 0x5A, 0x5C, 0x61, 0x75, 0x77, 0x5F1F, 0x5F2E, 0x7F61])
VALUES = st.binary(max_size=600)


@given(TAGS, VALUES)
def test_every_encoded_tlv_parses_back(tag: int, value: bytes) -> None:
    item, end = read_tlv(tlv(tag, value))
    assert (item.tag, item.value) == (tag, value)
    assert end == len(tlv(tag, value))


@given(TAGS, VALUES, st.data())
def test_a_truncated_tlv_is_a_clear_error(tag: int, value: bytes, data: st.DataObject) -> None:
    encoded = tlv(tag, value)
    cut = data.draw(st.integers(0, len(encoded) - 1))
    with pytest.raises(TlvError):
        unwrap(encoded[:cut], tag)


@given(st.binary(max_size=64))
def test_arbitrary_bytes_parse_or_fail_cleanly(raw: bytes) -> None:
    try:
        items = parse_all(raw)
    except TlvError as error:
        items, problem = [], str(error)
    else:
        problem = ""
    assert problem or sum(len(tlv(item.tag, item.value)) for item in items) <= len(raw)


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        (b"\x61\x80\x00\x00", "indefinite"),
        (b"\x61\x85\x00\x00\x00\x00\x01", "too long"),
        (b"\x61\x82\x01", "truncated length"),
        (b"\x61\x05abc", "announces 5 bytes"),
        (b"\x5f", "truncated tag"),
        (b"\x00\x01a", "invalid tag"),
        (b"\x61\x01a\x00", "unexpected bytes"),
    ],
)
def test_malformed_lengths_are_named(raw: bytes, problem: str) -> None:
    with pytest.raises(TlvError, match=problem):
        unwrap(raw, 0x61)


LE = st.one_of(st.none(), st.integers(1, 65536))


@given(st.integers(0, 255), st.integers(0, 255), st.integers(0, 255), st.binary(max_size=300), LE)
def test_command_apdus_encode_as_the_card_parses_them(
    ins: int, p1: int, p2: int, data: bytes, le: int | None
) -> None:
    command = CommandApdu(0x00, ins, p1, p2, data, le)
    parsed = parse_command(command.encode())
    assert (parsed.ins, parsed.p1, parsed.p2, parsed.data, parsed.le) == (ins, p1, p2, data, le)


@pytest.mark.parametrize(
    "fields",
    [
        {"cla": 256, "ins": 0, "p1": 0, "p2": 0},
        {"cla": 0, "ins": 0, "p1": 0, "p2": 0, "le": 0},
        {"cla": 0, "ins": 0, "p1": 0, "p2": 0, "le": 65537},
        {"cla": 0, "ins": 0, "p1": 0, "p2": 0, "data": bytes(65536)},
    ],
)
def test_impossible_commands_are_refused(fields: dict[str, object]) -> None:
    with pytest.raises(ApduError):
        CommandApdu(**fields)  # type: ignore[arg-type]


@given(st.binary(max_size=300))
def test_any_response_parses_or_is_refused(raw: bytes) -> None:
    if len(raw) < 2:
        with pytest.raises(ApduError, match="at least 2 bytes"):
            ResponseApdu.parse(raw)
        return
    response = ResponseApdu.parse(raw)
    assert response.data + response.sw.to_bytes(2, "big") == raw
    assert describe_status(response.sw)
