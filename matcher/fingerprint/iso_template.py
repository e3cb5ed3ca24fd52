"""ISO/IEC 19794-2:2005 finger minutiae record ("FMR\\0", version " 20\\0"): dataclasses, encoder
and a strict decoder that names the byte and the field whenever a record is malformed.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import IntEnum

FORMAT_IDENTIFIER = b"FMR\x00"
VERSION = b" 20\x00"
# Record header: identifier, version, 4-byte length, equipment, size, resolution, views, reserved.
RECORD_HEADER_LENGTH = 24
VIEW_HEADER_LENGTH = 4
MINUTIA_LENGTH = 6
EXTENDED_AREA_HEADER_LENGTH = 4
# Angles are stored in units of 360/256 = 1.40625 degrees.
ANGLE_UNITS_PER_TURN = 256
MAX_COORDINATE = (1 << 14) - 1
MAX_FINGER_POSITION = 10  # 0 unknown, 1-5 right thumb..little, 6-10 left thumb..little
MAX_QUALITY = 100


class MinutiaType(IntEnum):
    """The two-bit minutia type field; 3 is reserved and rejected."""

    OTHER = 0
    RIDGE_ENDING = 1
    BIFURCATION = 2


class TemplateFormatError(ValueError):
    """A byte string is not a valid ISO/IEC 19794-2:2005 finger minutiae record."""

    arabic_summary = "قالب البصمة غير صالح وفق المعيار ISO/IEC 19794-2. أعد التقاط البصمة."

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    @property
    def arabic(self) -> str:
        """A summary in Arabic for an operator; the English message holds the details."""
        return self.arabic_summary


class TruncatedTemplateError(TemplateFormatError):
    """The record ends before a field it declares, or before its declared length."""

    arabic_summary = "قالب البصمة ناقص: انقطعت البيانات قبل نهايتها. أعد إرسال القالب كاملاً."


class TemplateLengthError(TemplateFormatError):
    """The record carries bytes beyond the structure it describes."""

    arabic_summary = "طول قالب البصمة لا يطابق محتواه. أعد إنشاء القالب وإرساله."


@dataclass(frozen=True, slots=True)
class IsoMinutia:
    """One minutia as stored: pixel position, angle in 1.40625-degree units, quality 0-100."""

    kind: MinutiaType
    x: int
    y: int
    angle: int
    quality: int = 0  # 0 means "not reported"

    def __post_init__(self) -> None:
        _check_range("minutia x", self.x, 0, MAX_COORDINATE)
        _check_range("minutia y", self.y, 0, MAX_COORDINATE)
        _check_range("minutia angle", self.angle, 0, ANGLE_UNITS_PER_TURN - 1)
        _check_range("minutia quality", self.quality, 0, MAX_QUALITY)


@dataclass(frozen=True, slots=True)
class ExtendedDataArea:
    """One extended data area (ridge counts 0x0001, cores and deltas 0x0002, or vendor data),
    kept as raw bytes so a decoded record re-encodes to the same bytes."""

    type_code: int
    data: bytes

    def __post_init__(self) -> None:
        _check_range("extended data type code", self.type_code, 1, 0xFFFF)
        _check_range(
            "extended data area length",
            len(self.data) + EXTENDED_AREA_HEADER_LENGTH,
            EXTENDED_AREA_HEADER_LENGTH,
            0xFFFF,
        )


@dataclass(frozen=True, slots=True)
class FingerView:
    """One view of one finger with its minutiae."""

    finger_position: int
    minutiae: tuple[IsoMinutia, ...]
    view_number: int = 0
    impression_type: int = 0  # 0 live-scan plain, 1 live-scan rolled, 2/3 non-live, 8 swipe
    quality: int = 0
    extended_data: tuple[ExtendedDataArea, ...] = ()

    def __post_init__(self) -> None:
        _check_range("finger position", self.finger_position, 0, MAX_FINGER_POSITION)
        _check_range("view number", self.view_number, 0, 15)
        _check_range("impression type", self.impression_type, 0, 15)
        _check_range("finger quality", self.quality, 0, MAX_QUALITY)
        _check_range("number of minutiae", len(self.minutiae), 0, 255)
        _check_range("extended data block length", self.extended_data_length, 0, 0xFFFF)

    @property
    def extended_data_length(self) -> int:
        return sum(EXTENDED_AREA_HEADER_LENGTH + len(area.data) for area in self.extended_data)


@dataclass(frozen=True, slots=True)
class FingerMinutiaeRecord:
    """A whole record: capture equipment, image geometry and one or more finger views.

    Resolutions are in pixels per centimetre, as the standard stores them (197 = 500 dpi).
    """

    image_width: int
    image_height: int
    x_resolution: int
    y_resolution: int
    views: tuple[FingerView, ...]
    equipment_compliance: int = 0  # four bits of certification flags
    equipment_id: int = 0  # twelve-bit vendor-assigned capture device type

    def __post_init__(self) -> None:
        _check_range("capture equipment compliance", self.equipment_compliance, 0, 15)
        _check_range("capture equipment ID", self.equipment_id, 0, 0xFFF)
        _check_range("image width", self.image_width, 1, 0xFFFF)
        _check_range("image height", self.image_height, 1, 0xFFFF)
        _check_range("x resolution", self.x_resolution, 1, 0xFFFF)
        _check_range("y resolution", self.y_resolution, 1, 0xFFFF)
        _check_range("number of finger views", len(self.views), 1, 255)
        for view_index, view in enumerate(self.views):
            for index, minutia in enumerate(view.minutiae):
                if minutia.x >= self.image_width or minutia.y >= self.image_height:
                    raise TemplateFormatError(
                        f"minutia {index} of view {view_index} lies at ({minutia.x}, "
                        f"{minutia.y}), outside the {self.image_width}x{self.image_height} "
                        "image the record declares; correct the coordinates or the image size"
                    )

    @property
    def length(self) -> int:
        """The encoded size in bytes, as written in the record length field."""
        return RECORD_HEADER_LENGTH + sum(
            VIEW_HEADER_LENGTH + MINUTIA_LENGTH * len(view.minutiae) + 2 + view.extended_data_length
            for view in self.views
        )


def encode_template(record: FingerMinutiaeRecord) -> bytes:
    """The record as ISO/IEC 19794-2:2005 bytes (big-endian, as clause 7 requires)."""
    out = bytearray()
    out += FORMAT_IDENTIFIER
    out += VERSION
    out += struct.pack(
        ">IHHHHHBB",
        record.length,
        (record.equipment_compliance << 12) | record.equipment_id,
        record.image_width,
        record.image_height,
        record.x_resolution,
        record.y_resolution,
        len(record.views),
        0,
    )
    for view in record.views:
        out += struct.pack(
            ">BBBB",
            view.finger_position,
            (view.view_number << 4) | view.impression_type,
            view.quality,
            len(view.minutiae),
        )
        for minutia in view.minutiae:
            out += struct.pack(
                ">HHBB",
                (int(minutia.kind) << 14) | minutia.x,
                minutia.y,
                minutia.angle,
                minutia.quality,
            )
        out += struct.pack(">H", view.extended_data_length)
        for area in view.extended_data:
            out += struct.pack(">HH", area.type_code, EXTENDED_AREA_HEADER_LENGTH + len(area.data))
            out += area.data
    return bytes(out)


def decode_template(data: bytes) -> FingerMinutiaeRecord:
    """Parse a record, or raise a `TemplateFormatError` saying which field at which byte is wrong.

    Every declared length is checked against the bytes present, so a truncated or padded record
    is rejected rather than read as a smaller, different template.
    """
    reader = _Reader(bytes(data))
    identifier = reader.take(4, "format identifier")
    if identifier != FORMAT_IDENTIFIER:
        raise TemplateFormatError(
            f"format identifier is {identifier!r}, expected {FORMAT_IDENTIFIER!r}: this is not an "
            "ISO/IEC 19794-2 finger minutiae record; send the template the extractor produced"
        )
    version = reader.take(4, "version number")
    if version != VERSION:
        raise TemplateFormatError(
            f"version is {version!r}, expected {VERSION!r} (ISO/IEC 19794-2:2005); re-export the "
            "template in the 2005 record format"
        )
    declared_length = reader.unpack(">I", "record length")
    if declared_length > len(reader.data):
        raise TruncatedTemplateError(
            f"the record declares {declared_length} bytes but only {len(reader.data)} are "
            "present: the template was truncated; send the whole template"
        )
    if declared_length < len(reader.data):
        raise TemplateLengthError(
            f"the record declares {declared_length} bytes but {len(reader.data)} were received: "
            "extra bytes follow the record; send exactly one template"
        )
    equipment = reader.unpack(">H", "capture equipment")
    width = reader.unpack(">H", "image width")
    height = reader.unpack(">H", "image height")
    x_resolution = reader.unpack(">H", "x resolution")
    y_resolution = reader.unpack(">H", "y resolution")
    view_count = reader.unpack(">B", "number of finger views")
    reserved = reader.unpack(">B", "reserved byte")
    if reserved != 0:
        raise TemplateFormatError(
            f"the reserved byte at offset 23 is {reserved}, the standard requires 0; the "
            "template is corrupt or not ISO/IEC 19794-2:2005"
        )
    views = tuple(_read_view(reader, index) for index in range(view_count))
    if reader.offset != len(reader.data):
        raise TemplateLengthError(
            f"the finger views end at byte {reader.offset} but the record declares "
            f"{declared_length} bytes; the record length field is wrong"
        )
    with _located("record header", 0):
        return FingerMinutiaeRecord(
            image_width=width,
            image_height=height,
            x_resolution=x_resolution,
            y_resolution=y_resolution,
            views=views,
            equipment_compliance=equipment >> 12,
            equipment_id=equipment & 0xFFF,
        )


def _read_view(reader: _Reader, view_index: int) -> FingerView:
    where = f"finger view {view_index}"
    start = reader.offset
    finger_position = reader.unpack(">B", f"{where} finger position")
    view_and_impression = reader.unpack(">B", f"{where} view number and impression type")
    quality = reader.unpack(">B", f"{where} finger quality")
    count = reader.unpack(">B", f"{where} number of minutiae")
    minutiae = []
    for index in range(count):
        offset = reader.offset
        label = f"{where} minutia {index}"
        type_and_x = reader.unpack(">H", f"{label} type and x")
        reserved_and_y = reader.unpack(">H", f"{label} y")
        angle = reader.unpack(">B", f"{label} angle")
        minutia_quality = reader.unpack(">B", f"{label} quality")
        kind = type_and_x >> 14
        if kind == 3:
            raise TemplateFormatError(
                f"{label} at byte {offset} has the reserved type 3; only 0 (other), "
                "1 (ridge ending) and 2 (bifurcation) are defined"
            )
        if reserved_and_y >> 14:
            raise TemplateFormatError(
                f"{label} at byte {offset + 2} sets the two reserved bits above y; the "
                "standard requires them to be 0, so the template is corrupt"
            )
        with _located(label, offset):
            minutiae.append(
                IsoMinutia(
                    MinutiaType(kind),
                    type_and_x & MAX_COORDINATE,
                    reserved_and_y,
                    angle,
                    minutia_quality,
                )
            )
    extended_length = reader.unpack(">H", f"{where} extended data block length")
    block_end = reader.offset + extended_length
    if block_end > len(reader.data):
        raise TruncatedTemplateError(
            f"{where} declares {extended_length} bytes of extended data from byte "
            f"{reader.offset}, but the record ends at byte {len(reader.data)}: the template "
            "was truncated; send the whole template"
        )
    areas = []
    while reader.offset < block_end:
        offset = reader.offset
        type_code = reader.unpack(">H", f"{where} extended data type code")
        area_length = reader.unpack(">H", f"{where} extended data area length")
        if area_length < EXTENDED_AREA_HEADER_LENGTH or offset + area_length > block_end:
            raise TemplateFormatError(
                f"{where} extended data area at byte {offset} declares {area_length} bytes, "
                f"which does not fit the {extended_length}-byte extended data block"
            )
        payload = reader.take(area_length - EXTENDED_AREA_HEADER_LENGTH, f"{where} extended data")
        with _located(f"{where} extended data area", offset):
            areas.append(ExtendedDataArea(type_code, payload))
    with _located(where, start):
        return FingerView(
            finger_position=finger_position,
            minutiae=tuple(minutiae),
            view_number=view_and_impression >> 4,
            impression_type=view_and_impression & 0x0F,
            quality=quality,
            extended_data=tuple(areas),
        )


@contextmanager
def _located(label: str, offset: int) -> Iterator[None]:
    """Prefix a range error raised while building a dataclass with where it sits in the record."""
    try:
        yield
    except TemplateFormatError as error:
        raise TemplateFormatError(f"{label} at byte {offset}: {error.message}") from error


class _Reader:
    """A cursor over the record that turns running out of bytes into `TruncatedTemplateError`."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.offset = 0

    def take(self, size: int, what: str) -> bytes:
        end = self.offset + size
        if end > len(self.data):
            raise TruncatedTemplateError(
                f"the record ends at byte {len(self.data)}, inside the {what} (bytes "
                f"{self.offset}-{end - 1}): the template was truncated; send the whole template"
            )
        chunk = self.data[self.offset : end]
        self.offset = end
        return chunk

    def unpack(self, fmt: str, what: str) -> int:
        value: int = struct.unpack(fmt, self.take(struct.calcsize(fmt), what))[0]
        return value


def _check_range(what: str, value: int, low: int, high: int) -> None:
    if not low <= value <= high:
        raise TemplateFormatError(f"{what} is {value}, outside the allowed range {low}-{high}")
