"""ISO/IEC 7816-4 command and response APDUs as the station sends and reads them."""

from __future__ import annotations

from dataclasses import dataclass

SHORT_LE_MAX = 256
EXTENDED_LE_MAX = 65536

SW_OK = 0x9000
SW_END_OF_FILE = 0x6282

STATUS_MEANINGS: dict[int, str] = {
    0x6282: "end of file reached before Le bytes",
    0x6700: "wrong length",
    0x6982: "security status not satisfied",
    0x6985: "conditions of use not satisfied",
    0x6986: "command not allowed (no current EF)",
    0x6A80: "incorrect data",
    0x6A82: "file or application not found",
    0x6A86: "incorrect P1-P2",
    0x6B00: "wrong offset",
    0x6D00: "instruction not supported",
    0x6E00: "class not supported",
    0x6F00: "no precise diagnosis",
}


class ApduError(ValueError):
    """A malformed APDU, or a card answer that is no response APDU."""


def describe_status(sw: int) -> str:
    if sw >> 8 == 0x61:
        return f"{sw & 0xFF or 256} more bytes available"
    if sw >> 8 == 0x6C:
        return f"wrong Le: exactly {sw & 0xFF or 256} bytes available"
    return STATUS_MEANINGS.get(sw, "unknown status")


class CardStatusError(ApduError):
    """The card refused a command; `sw` is the status word."""

    def __init__(self, command: str, sw: int) -> None:
        super().__init__(f"{command}: card answered {sw:04X} ({describe_status(sw)})")
        self.sw = sw


@dataclass(frozen=True, slots=True)
class CommandApdu:
    cla: int
    ins: int
    p1: int
    p2: int
    data: bytes = b""
    le: int | None = None  # expected answer length; None = no answer data expected

    def __post_init__(self) -> None:
        for name in ("cla", "ins", "p1", "p2"):
            if not 0 <= getattr(self, name) <= 0xFF:
                raise ApduError(f"{name} must be one byte")
        if len(self.data) > 0xFFFF:
            raise ApduError("command data longer than 65535 bytes")
        if self.le is not None and not 1 <= self.le <= EXTENDED_LE_MAX:
            raise ApduError(f"Le must be 1..{EXTENDED_LE_MAX}")

    @property
    def extended(self) -> bool:
        return len(self.data) > 0xFF or (self.le is not None and self.le > SHORT_LE_MAX)

    def encode(self) -> bytes:
        header = bytes((self.cla, self.ins, self.p1, self.p2))
        if self.extended:
            body = b""
            if self.data:
                body = b"\x00" + len(self.data).to_bytes(2, "big") + self.data
            if self.le is not None:
                le = (self.le % EXTENDED_LE_MAX).to_bytes(2, "big")
                body += le if self.data else b"\x00" + le
            return header + body
        body = bytes((len(self.data),)) + self.data if self.data else b""
        if self.le is not None:
            body += bytes((self.le % SHORT_LE_MAX,))
        return header + body


@dataclass(frozen=True, slots=True)
class ResponseApdu:
    data: bytes
    sw: int

    @classmethod
    def parse(cls, raw: bytes) -> ResponseApdu:
        if len(raw) < 2:
            raise ApduError(f"a response APDU has at least 2 bytes, got {len(raw)}")
        return cls(bytes(raw[:-2]), int.from_bytes(raw[-2:], "big"))

    @property
    def sw1(self) -> int:
        return self.sw >> 8

    @property
    def sw2(self) -> int:
        return self.sw & 0xFF

    @property
    def ok(self) -> bool:
        return self.sw in (SW_OK, SW_END_OF_FILE)


def select_application(aid: bytes) -> CommandApdu:
    return CommandApdu(0x00, 0xA4, 0x04, 0x0C, aid)


def select_file(file_id: int) -> CommandApdu:
    return CommandApdu(0x00, 0xA4, 0x02, 0x0C, file_id.to_bytes(2, "big"))


def read_binary(offset: int, length: int) -> CommandApdu:
    if not 0 <= offset <= 0x7FFF:
        raise ApduError("READ BINARY (B0) reaches offsets 0..32767; use the odd INS beyond")
    return CommandApdu(0x00, 0xB0, offset >> 8, offset & 0xFF, le=length)


def read_binary_odd(offset: int, length: int) -> CommandApdu:
    """READ BINARY with the offset in a data object 54 (any offset); the answer comes in a
    data object 53, so ask for 4 bytes more than wanted."""
    encoded = offset.to_bytes(max(1, (offset.bit_length() + 7) // 8), "big")
    return CommandApdu(0x00, 0xB1, 0x00, 0x00, b"\x54" + bytes((len(encoded),)) + encoded, length)


def get_response(length: int) -> CommandApdu:
    return CommandApdu(0x00, 0xC0, 0x00, 0x00, le=length)
