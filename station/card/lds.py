"""The card's data groups decoded: DG1 (document and holder data), DG11 (Arabic name), DG2
(ISO/IEC 19794-5 face record with the JPEG portrait). Anything malformed raises `LdsError`."""

from __future__ import annotations

import struct
from dataclasses import dataclass
from datetime import date

from station.card.layout import COM_TAG, DATA_GROUPS, CardFile
from station.card.tlv import TlvError, fields, unwrap


class LdsError(ValueError):
    """A data group does not follow the card's layout; the message says which and why."""


@dataclass(frozen=True, slots=True)
class DocumentData:
    """DG1: what the card says about itself and its holder (Latin script)."""

    document_type: str
    issuing_state: str
    id_number: str
    names_en: tuple[str, ...]  # given names first, family name last
    nationality: str
    birth_date: date
    sex: str  # "male" | "female"
    expiry_date: date


@dataclass(frozen=True, slots=True)
class FacePortrait:
    jpeg: bytes
    width: int
    height: int


def _text(values: dict[int, bytes], tag: int, what: str, *, ascii_only: bool = True) -> str:
    if tag not in values:
        raise LdsError(f"DG1 lacks the {what} (tag {tag:X})")
    try:
        text = values[tag].decode("ascii" if ascii_only else "utf-8")
    except UnicodeDecodeError as error:
        raise LdsError(f"the {what} is not valid text") from error
    if not text or not text.isprintable():
        raise LdsError(f"the {what} is empty or not printable")
    return text


def _date(values: dict[int, bytes], tag: int, what: str) -> date:
    text = _text(values, tag, what)
    if len(text) != 8 or not text.isdigit():
        raise LdsError(f"the {what} {text!r} is not YYYYMMDD")
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError as error:
        raise LdsError(f"the {what} {text!r} is no calendar date") from error


def split_holder_name(name: str) -> tuple[str, ...]:
    """ "FAMILY<<GIVEN<FATHER<GRANDFATHER" -> (given, father, grandfather, family)."""
    family, separator, others = name.partition("<<")
    given = tuple(part for part in others.split("<") if part)
    if not separator or not family or not given:
        raise LdsError(f"the holder's name {name!r} is not FAMILY<<GIVEN<...")
    return (*given, family)


def _template(data: bytes, card_file: CardFile) -> dict[int, bytes]:
    _, tag = DATA_GROUPS[card_file]
    try:
        return fields(unwrap(data, tag))
    except TlvError as error:
        raise LdsError(f"{card_file.name} is malformed: {error}") from error


def parse_com(data: bytes) -> tuple[int, ...]:
    """EF.COM's tag list: the outer tags of the data groups on the card."""
    try:
        values = fields(unwrap(data, COM_TAG))
    except TlvError as error:
        raise LdsError(f"EF.COM is malformed: {error}") from error
    if 0x5C not in values:
        raise LdsError("EF.COM lacks its tag list (5C)")
    return tuple(values[0x5C])


def parse_dg1(data: bytes) -> DocumentData:
    values = _template(data, CardFile.DG1)
    id_number = _text(values, 0x5A, "document number")
    if len(id_number) != 10 or not id_number.isdigit():
        raise LdsError(f"the document number {id_number!r} is not a 10-digit ID number")
    sex = _text(values, 0x5F35, "sex")
    if sex not in ("M", "F"):
        raise LdsError(f"the sex {sex!r} is neither M nor F")
    return DocumentData(
        document_type=_text(values, 0x5F03, "document type"),
        issuing_state=_text(values, 0x5F28, "issuing state"),
        id_number=id_number,
        names_en=split_holder_name(_text(values, 0x5B, "holder's name", ascii_only=False)),
        nationality=_text(values, 0x5F2C, "nationality"),
        birth_date=_date(values, 0x5F57, "date of birth"),
        sex="male" if sex == "M" else "female",
        expiry_date=_date(values, 0x59, "date of expiry"),
    )


def parse_dg11(data: bytes) -> tuple[str, ...]:
    """The holder's name in Arabic script (5F0E, UTF-8), given names first."""
    values = _template(data, CardFile.DG11)
    if 0x5F0E not in values:
        raise LdsError("DG11 lacks the name in national characters (5F0E)")
    try:
        name = values[0x5F0E].decode("utf-8")
    except UnicodeDecodeError as error:
        raise LdsError("DG11's name is not valid UTF-8") from error
    return split_holder_name(name)


_FACE_HEADER = struct.Struct(">4s4sIH")
_FACE_INFORMATION = struct.Struct(">IHBBB3sH3s3s")
_IMAGE_INFORMATION = struct.Struct(">BBHHBBHH")
_JPEG_START = b"\xff\xd8"


def parse_dg2(data: bytes) -> FacePortrait:
    """The first face image of DG2's ISO/IEC 19794-5 record; it must be a JPEG."""
    try:
        group = fields(_template(data, CardFile.DG2)[0x7F61])
        instance = fields(group[0x7F60])
        record = instance[0x5F2E]
    except KeyError as error:
        raise LdsError(f"DG2 lacks the data object {error.args[0]:X}") from error
    except TlvError as error:
        raise LdsError(f"DG2 is malformed: {error}") from error
    if len(record) < _FACE_HEADER.size + _FACE_INFORMATION.size + _IMAGE_INFORMATION.size:
        raise LdsError("DG2's face record is truncated")
    magic, _version, total, faces = _FACE_HEADER.unpack_from(record)
    if magic != b"FAC\x00" or total != len(record) or faces < 1:
        raise LdsError("DG2 holds no valid ISO/IEC 19794-5 face record")
    offset = _FACE_HEADER.size
    block_length, feature_points = _FACE_INFORMATION.unpack_from(record, offset)[:2]
    image_offset = offset + _FACE_INFORMATION.size + 8 * feature_points
    if block_length > len(record) - offset or image_offset + _IMAGE_INFORMATION.size > len(record):
        raise LdsError("DG2's face block overruns the record")
    _, data_type, width, height = _IMAGE_INFORMATION.unpack_from(record, image_offset)[:4]
    jpeg = record[image_offset + _IMAGE_INFORMATION.size : offset + block_length]
    if data_type != 0 or not jpeg.startswith(_JPEG_START):
        raise LdsError("DG2's portrait is not a JPEG image")
    return FacePortrait(bytes(jpeg), width, height)
