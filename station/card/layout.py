"""Where the national ID card keeps its files (docs/id-card.md): the application identifier,
file ids and data-group tags. The card is an outside device; this is the station's copy."""

from __future__ import annotations

from enum import IntEnum

APPLICATION_AID = bytes.fromhex("F048415749594101")


class CardFile(IntEnum):
    COM = 0x011E
    DG1 = 0x0101
    DG2 = 0x0102
    DG11 = 0x010B
    SOD = 0x011D


DATA_GROUPS: dict[CardFile, tuple[int, int]] = {  # file -> (data-group number, outer tag)
    CardFile.DG1: (1, 0x61),
    CardFile.DG2: (2, 0x75),
    CardFile.DG11: (11, 0x6B),
}
COM_TAG = 0x60
SOD_TAG = 0x77
# A file larger than this is no file of ours: refuse it before reading for minutes.
MAX_FILE_BYTES = 200_000
