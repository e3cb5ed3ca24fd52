"""The card's ISO/IEC 7816-4 command processing: SELECT, READ BINARY (even and odd INS, short
and extended length), GET RESPONSE chaining, and the status word for every error."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from simulator.card.layout import APPLICATION_AID, IO_BUFFER, CardFile
from simulator.card.tlv import encode_length, tlv

SW_OK = 0x9000
SW_END_OF_FILE = 0x6282  # fewer bytes than Le: the end of the file came first
SW_WRONG_LENGTH = 0x6700
SW_NO_CURRENT_EF = 0x6986
SW_NO_PENDING_DATA = 0x6985  # GET RESPONSE with nothing waiting
SW_WRONG_DATA = 0x6A80
SW_FILE_NOT_FOUND = 0x6A82
SW_WRONG_P1P2 = 0x6A86
SW_WRONG_OFFSET = 0x6B00
SW_INS_NOT_SUPPORTED = 0x6D00
SW_CLA_NOT_SUPPORTED = 0x6E00

INS_SELECT = 0xA4
INS_READ_BINARY = 0xB0
INS_READ_BINARY_ODD = 0xB1
INS_GET_RESPONSE = 0xC0
READ_INSTRUCTIONS = frozenset({INS_READ_BINARY, INS_READ_BINARY_ODD, INS_GET_RESPONSE})


@dataclass(frozen=True)
class Command:
    """A command APDU split per ISO/IEC 7816-4 5.1; `le` is None when absent (65536 max)."""

    cla: int
    ins: int
    p1: int
    p2: int
    data: bytes
    le: int | None


class MalformedCommandError(ValueError):
    """The bytes are no valid command APDU (answered 6700)."""


def parse_command(apdu: bytes) -> Command:
    if len(apdu) < 4:
        raise MalformedCommandError("shorter than a header")
    cla, ins, p1, p2 = apdu[:4]
    body = apdu[4:]
    if not body:
        return Command(cla, ins, p1, p2, b"", None)
    if len(body) == 1:
        return Command(cla, ins, p1, p2, b"", body[0] or 256)
    if body[0] != 0:  # short Lc
        lc = body[0]
        if len(body) == 1 + lc:
            return Command(cla, ins, p1, p2, body[1:], None)
        if len(body) == 2 + lc:
            return Command(cla, ins, p1, p2, body[1 : 1 + lc], body[-1] or 256)
        raise MalformedCommandError("Lc does not match the data")
    if len(body) == 3:  # extended Le only
        return Command(cla, ins, p1, p2, b"", int.from_bytes(body[1:3], "big") or 65536)
    if len(body) < 3:
        raise MalformedCommandError("truncated extended length")
    lc = int.from_bytes(body[1:3], "big")
    if lc == 0:
        raise MalformedCommandError("extended Lc of zero")
    if len(body) == 3 + lc:
        return Command(cla, ins, p1, p2, body[3:], None)
    if len(body) == 5 + lc:
        le = int.from_bytes(body[-2:], "big") or 65536
        return Command(cla, ins, p1, p2, body[3 : 3 + lc], le)
    raise MalformedCommandError("extended Lc does not match the data")


def _sw(word: int) -> bytes:
    return word.to_bytes(2, "big")


class CardApplet:
    """The application's files and the state of one card session (reset at power-up)."""

    def __init__(
        self,
        files: Mapping[CardFile, bytes],
        io_buffer: int = IO_BUFFER,
        *,
        extended_length: bool = True,
    ) -> None:
        self._files = dict(files)
        self._io_buffer = io_buffer
        self._extended_length = extended_length  # False: an older card, short APDUs only
        self.reset()

    def reset(self) -> None:
        self._application_selected = False
        self._current: CardFile | None = None
        self._pending = b""
        self._pending_sw = SW_OK

    @property
    def current_file(self) -> CardFile | None:
        return self._current

    def respond(self, apdu: bytes) -> bytes:
        try:
            command = parse_command(apdu)
        except MalformedCommandError:
            self._pending = b""
            return _sw(SW_WRONG_LENGTH)
        if not self._extended_length and (len(command.data) > 255 or (command.le or 0) > 256):
            return _sw(SW_WRONG_LENGTH)
        if command.cla != 0x00:
            return _sw(SW_CLA_NOT_SUPPORTED)
        if command.ins == INS_GET_RESPONSE:
            return self._get_response(command)
        self._pending = b""
        if command.ins == INS_SELECT:
            data, sw = self._select(command)
        elif command.ins == INS_READ_BINARY:
            data, sw = self._read_binary(command)
        elif command.ins == INS_READ_BINARY_ODD:
            data, sw = self._read_binary_odd(command)
        else:
            return _sw(SW_INS_NOT_SUPPORTED)
        return self._deliver(data, sw)

    # Answers longer than the I/O buffer wait for GET RESPONSE, announced by 61xx.

    def _deliver(self, data: bytes, sw: int) -> bytes:
        if len(data) <= self._io_buffer:
            return data + _sw(sw)
        self._pending, self._pending_sw = data[self._io_buffer :], sw
        return data[: self._io_buffer] + self._more_available()

    def _more_available(self) -> bytes:
        return bytes([0x61, min(len(self._pending), 256) & 0xFF])

    def _get_response(self, command: Command) -> bytes:
        if command.p1 or command.p2:
            return _sw(SW_WRONG_P1P2)
        if command.data or command.le is None:
            return _sw(SW_WRONG_LENGTH)
        if not self._pending:
            return _sw(SW_NO_PENDING_DATA)
        size = min(command.le, len(self._pending), self._io_buffer)
        chunk, self._pending = self._pending[:size], self._pending[size:]
        if self._pending:
            return chunk + self._more_available()
        return chunk + _sw(self._pending_sw)

    def _select(self, command: Command) -> tuple[bytes, int]:
        if command.p2 not in (0x00, 0x04, 0x0C):
            return b"", SW_WRONG_P1P2
        if not command.data:
            return b"", SW_WRONG_LENGTH
        if command.p1 == 0x04:  # by DF name
            if command.data != APPLICATION_AID:
                return b"", SW_FILE_NOT_FOUND
            self._application_selected, self._current = True, None
            answer = tlv(0x6F, tlv(0x84, APPLICATION_AID))
        elif command.p1 in (0x00, 0x02):  # by file id (00: any, 02: EF under current DF)
            if len(command.data) != 2:
                return b"", SW_WRONG_LENGTH
            file_id = int.from_bytes(command.data, "big")
            if command.p1 == 0x00 and file_id == 0x3F00:
                self._application_selected, self._current = False, None
                return b"", SW_OK
            chosen = self._find(lambda f: f.value == file_id)
            if chosen is None:
                return b"", SW_FILE_NOT_FOUND
            self._current = chosen
            content = self._files[chosen]
            answer = tlv(
                0x62,
                tlv(0x80, len(content).to_bytes(3 if len(content) > 0xFFFF else 2, "big"))
                + tlv(0x82, b"\x01")  # transparent working EF
                + tlv(0x83, command.data),
            )
        else:
            return b"", SW_WRONG_P1P2
        wants_answer = command.p2 != 0x0C and command.le is not None
        return (answer[: command.le] if wants_answer and command.le else b""), SW_OK

    def _find(self, matches: Callable[[CardFile], bool]) -> CardFile | None:
        if not self._application_selected:
            return None
        for card_file in self._files:
            if matches(card_file):
                return card_file
        return None

    def _read_binary(self, command: Command) -> tuple[bytes, int]:
        if command.data or command.le is None:
            return b"", SW_WRONG_LENGTH
        if command.p1 & 0x80:  # short EF identifier in P1, offset in P2
            if command.p1 & 0x60:
                return b"", SW_WRONG_P1P2
            short_id = command.p1 & 0x1F
            chosen = self._find(lambda f: f.short_id == short_id)
            if chosen is None:
                return b"", SW_FILE_NOT_FOUND
            self._current = chosen
            offset = command.p2
        else:
            if self._current is None:
                return b"", SW_NO_CURRENT_EF
            offset = (command.p1 << 8) | command.p2
        return self._read(offset, command.le)

    def _read_binary_odd(self, command: Command) -> tuple[bytes, int]:
        # Offsets beyond 32767: the offset travels in a data object 54 (ISO/IEC 7816-4 11.2.3).
        if command.le is None:
            return b"", SW_WRONG_LENGTH
        data = command.data
        if len(data) < 3 or data[0] != 0x54 or data[1] != len(data) - 2 or data[1] > 3:
            return b"", SW_WRONG_DATA
        file_id = (command.p1 << 8) | command.p2
        if file_id:
            chosen = self._find(lambda f: f.value == file_id)
            if chosen is None:
                return b"", SW_FILE_NOT_FOUND
            self._current = chosen
        if self._current is None:
            return b"", SW_NO_CURRENT_EF
        room = command.le - 4  # the answer is wrapped in 53 82 xx xx
        if room <= 0:
            return b"", SW_WRONG_LENGTH
        content, sw = self._read(int.from_bytes(data[2:], "big"), room)
        if not content and sw != SW_OK:
            return b"", sw
        return b"\x53" + encode_length(len(content)) + content, sw

    def _read(self, offset: int, wanted: int) -> tuple[bytes, int]:
        assert self._current is not None
        content = self._files[self._current]
        if offset >= len(content):
            return b"", SW_WRONG_OFFSET
        chunk = content[offset : offset + wanted]
        return chunk, SW_OK if len(chunk) == wanted else SW_END_OF_FILE
