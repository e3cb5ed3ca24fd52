"""The card holder's data groups, encoded as the card stores them (ICAO 9303 part 10 style).

DG1 carries the MRZ data elements as separate tagged fields rather than a printed MRZ, DG11 the
Arabic name in UTF-8, DG2 an ISO/IEC 19794-5 face record holding the JPEG portrait. The exact
layout is in docs/id-card.md.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from datetime import date

from simulator.card.layout import COM_TAG, DATA_GROUP_TAGS, CardFile
from simulator.card.tlv import tlv

LDS_VERSION = b"0108"
UNICODE_VERSION = b"040000"


@dataclass(frozen=True)
class CardHolder:
    """What is printed on (and stored in) one person's ID card."""

    id_number: str
    # Four-part names in logical order: given, father, grandfather, family.
    names_en: tuple[str, str, str, str]
    names_ar: tuple[str, str, str, str]
    nationality: str  # ISO 3166-1 alpha-3
    sex: str  # "male" | "female"
    birth_date: date
    expiry_date: date
    portrait_jpeg: bytes
    portrait_size: tuple[int, int]  # width, height in pixels


def holder_name(names: tuple[str, str, str, str]) -> str:
    """MRZ convention: family name, "<<", then the other names joined by "<"."""
    given, father, grandfather, family = names
    return f"{family}<<{given}<{father}<{grandfather}"


def _day(day: date) -> bytes:
    return day.strftime("%Y%m%d").encode("ascii")


def encode_com() -> bytes:
    tags = bytes(DATA_GROUP_TAGS[dg] for dg in (CardFile.DG1, CardFile.DG2, CardFile.DG11))
    return tlv(COM_TAG, tlv(0x5F01, LDS_VERSION) + tlv(0x5F36, UNICODE_VERSION) + tlv(0x5C, tags))


def encode_dg1(holder: CardHolder) -> bytes:
    fields = (
        tlv(0x5F03, b"ID")
        + tlv(0x5F28, b"SAU")
        + tlv(0x5A, holder.id_number.encode("ascii"))
        + tlv(0x5B, holder_name(holder.names_en).encode("utf-8"))
        + tlv(0x5F2C, holder.nationality.encode("ascii"))
        + tlv(0x5F57, _day(holder.birth_date))
        + tlv(0x5F35, b"M" if holder.sex == "male" else b"F")
        + tlv(0x59, _day(holder.expiry_date))
    )
    return tlv(DATA_GROUP_TAGS[CardFile.DG1], fields)


def encode_dg11(holder: CardHolder) -> bytes:
    name = holder_name(holder.names_ar).encode("utf-8")
    return tlv(DATA_GROUP_TAGS[CardFile.DG11], tlv(0x5C, b"\x5f\x0e") + tlv(0x5F0E, name))


def face_record(holder: CardHolder) -> bytes:
    """An ISO/IEC 19794-5:2005 facial record with one full-frontal JPEG image."""
    width, height = holder.portrait_size
    gender = 1 if holder.sex == "male" else 2
    image_info = struct.pack(
        ">BBHHBBHH",
        1,  # face image type: full frontal
        0,  # image data type: JPEG
        width,
        height,
        1,  # colour space: 24-bit RGB
        2,  # source type: digital still camera
        0,  # device type: unspecified
        0,  # quality: unspecified
    )
    information = struct.pack(
        ">IHBBB3sH3s3s",
        20 + len(image_info) + len(holder.portrait_jpeg),
        0,  # feature points
        gender,
        0,  # eye colour unspecified
        0,  # hair colour unspecified
        b"\x00\x00\x01",  # property mask: features specified
        1,  # expression: neutral
        b"\x00\x00\x00",  # pose angles unspecified
        b"\x00\x00\x00",
    )
    body = information + image_info + holder.portrait_jpeg
    header = b"FAC\x00" + b"010\x00" + struct.pack(">IH", 14 + len(body), 1)
    return header + body


def encode_dg2(holder: CardHolder) -> bytes:
    header = tlv(
        0xA1,
        tlv(0x81, b"\x02")  # biometric type: facial features
        + tlv(0x87, b"\x01\x01")  # format owner: ISO/IEC JTC 1/SC 37
        + tlv(0x88, b"\x00\x08"),  # format type: face image
    )
    instance = tlv(0x7F60, header + tlv(0x5F2E, face_record(holder)))
    group = tlv(0x7F61, tlv(0x02, b"\x01") + instance)
    return tlv(DATA_GROUP_TAGS[CardFile.DG2], group)


def encode_data_groups(holder: CardHolder) -> dict[CardFile, bytes]:
    return {
        CardFile.DG1: encode_dg1(holder),
        CardFile.DG2: encode_dg2(holder),
        CardFile.DG11: encode_dg11(holder),
    }
