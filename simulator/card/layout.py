"""Where the national ID card keeps its files: the application identifier, file ids, short file
ids and the data-object tags (see docs/id-card.md; the station keeps its own copy)."""

from __future__ import annotations

from enum import IntEnum

# A proprietary AID: RID F0 ("not registered", ISO/IEC 7816-5) then "HAWIYA" and version 01.
# The eMRTD AID (A0 00 00 02 47 10 01) is not used: a national ID card is not a passport.
APPLICATION_AID = bytes.fromhex("F0484157495941") + b"\x01"
# PC/SC part 3 layout for a T=1 card: TS, T0 (TD1 + 9 historical bytes), TD1 (T=0, TD2),
# TD2 (T=1), the historical bytes "HAWIYA-ID", then TCK (XOR of T0 .. the last byte).
_ATR_BODY = bytes.fromhex("898001") + b"HAWIYA-ID"


def _with_check_byte(body: bytes) -> bytes:
    check = 0
    for byte in body:
        check ^= byte
    return b"\x3b" + body + bytes([check])


ATR = _with_check_byte(_ATR_BODY)


class CardFile(IntEnum):
    """Elementary files of the application, by file id (ICAO 9303 part 10 numbering)."""

    COM = 0x011E
    DG1 = 0x0101
    DG2 = 0x0102
    DG11 = 0x010B
    SOD = 0x011D

    @property
    def short_id(self) -> int:
        """The short EF identifier (READ BINARY with P1 bit 8 set): the low five bits."""
        return self.value & 0x1F


# Data-group numbers as the security object and EF.COM's tag list name them.
DATA_GROUP_NUMBERS = {CardFile.DG1: 1, CardFile.DG2: 2, CardFile.DG11: 11}
DATA_GROUP_TAGS = {CardFile.DG1: 0x61, CardFile.DG2: 0x75, CardFile.DG11: 0x6B}
COM_TAG = 0x60
SOD_TAG = 0x77

# The card's I/O buffer: a longer answer is sent in pieces fetched by GET RESPONSE (61xx).
IO_BUFFER = 1024
