"""The ISO/IEC 19794-2:2005 codec: round trips, the commercial SDK's templates, truncated files."""

from __future__ import annotations

import struct
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matcher.fingerprint import (
    ExtendedDataArea,
    FingerMinutiaeRecord,
    FingerView,
    IsoMinutia,
    Minutiae,
    MinutiaType,
    TemplateFormatError,
    TemplateLengthError,
    TruncatedTemplateError,
    decode_template,
    encode_template,
)

# derandomize: the same examples on every run, like every other seeded part of the project.
PROPERTIES = settings(max_examples=150, derandomize=True, deadline=None)


@st.composite
def records(draw: st.DrawFn) -> FingerMinutiaeRecord:
    width = draw(st.integers(1, 2000))
    height = draw(st.integers(1, 2000))
    minutia = st.builds(
        IsoMinutia,
        kind=st.sampled_from(MinutiaType),
        x=st.integers(0, width - 1),
        y=st.integers(0, height - 1),
        angle=st.integers(0, 255),
        quality=st.integers(0, 100),
    )
    area = st.builds(
        ExtendedDataArea, type_code=st.integers(1, 0xFFFF), data=st.binary(max_size=40)
    )
    view = st.builds(
        FingerView,
        finger_position=st.integers(0, 10),
        minutiae=st.lists(minutia, max_size=40).map(tuple),
        view_number=st.integers(0, 15),
        impression_type=st.sampled_from([0, 1, 2, 3, 8]),
        quality=st.integers(0, 100),
        extended_data=st.lists(area, max_size=2).map(tuple),
    )
    return FingerMinutiaeRecord(
        image_width=width,
        image_height=height,
        x_resolution=draw(st.integers(1, 1000)),
        y_resolution=draw(st.integers(1, 1000)),
        views=tuple(draw(st.lists(view, min_size=1, max_size=3))),
        equipment_compliance=draw(st.integers(0, 15)),
        equipment_id=draw(st.integers(0, 0xFFF)),
    )


@PROPERTIES
@given(records())
def test_a_record_survives_encoding_and_decoding(record: FingerMinutiaeRecord) -> None:
    encoded = encode_template(record)
    assert len(encoded) == record.length
    assert decode_template(encoded) == record


@PROPERTIES
@given(records(), st.data())
def test_every_truncation_is_rejected_as_truncated(
    record: FingerMinutiaeRecord, data: st.DataObject
) -> None:
    encoded = encode_template(record)
    cut = data.draw(st.integers(0, len(encoded) - 1))
    with pytest.raises(TruncatedTemplateError, match="truncated"):
        decode_template(encoded[:cut])


@PROPERTIES
@given(records(), st.binary(min_size=1, max_size=8))
def test_trailing_bytes_are_rejected(record: FingerMinutiaeRecord, extra: bytes) -> None:
    with pytest.raises(TemplateLengthError):
        decode_template(encode_template(record) + extra)


@PROPERTIES
@given(st.binary(max_size=300))
def test_arbitrary_bytes_decode_exactly_or_raise_a_format_error(data: bytes) -> None:
    # Never another exception, and never a template that is not exactly these bytes.
    try:
        record = decode_template(data)
    except TemplateFormatError:
        return
    assert encode_template(record) == data


@PROPERTIES
@given(records(), st.data())
def test_corrupted_records_decode_exactly_or_raise_a_format_error(
    record: FingerMinutiaeRecord, data: st.DataObject
) -> None:
    encoded = bytearray(encode_template(record))
    position = data.draw(st.integers(0, len(encoded) - 1))
    encoded[position] = data.draw(st.integers(0, 255))
    try:
        decoded = decode_template(bytes(encoded))
    except TemplateFormatError:
        return
    assert encode_template(decoded) == bytes(encoded)


def _valid_record_bytes() -> bytes:
    record = FingerMinutiaeRecord(
        image_width=300,
        image_height=400,
        x_resolution=197,
        y_resolution=197,
        views=(
            FingerView(
                finger_position=2,
                minutiae=(IsoMinutia(MinutiaType.RIDGE_ENDING, 10, 20, 64, 80),),
            ),
        ),
    )
    return encode_template(record)


@pytest.mark.parametrize(
    ("offset", "value", "message"),
    [
        (0, b"XMR\x00", "format identifier"),
        (4, b" 30\x00", "version"),
        (23, b"\x01", "reserved byte"),
        (24, b"\x0b", "finger position is 11"),
        (26, b"\x65", "finger quality is 101"),
        (28, b"\xc0", "reserved type 3"),
        (30, b"\x40", "reserved bits above y"),
        (33, b"\x65", "minutia quality is 101"),
        (28, b"\x41\x2c", "outside the 300x400 image"),
        (14, b"\x00\x00", "image width is 0"),
    ],
)
def test_malformed_fields_are_named_in_the_error(offset: int, value: bytes, message: str) -> None:
    data = bytearray(_valid_record_bytes())
    data[offset : offset + len(value)] = value
    with pytest.raises(TemplateFormatError, match=message) as caught:
        decode_template(bytes(data))
    assert caught.value.arabic  # an operator-facing summary in Arabic as well


def test_a_wrong_extended_area_length_is_rejected() -> None:
    data = bytearray(_valid_record_bytes())
    area = struct.pack(">HHB", 0x0100, 9, 7)  # declares 9 bytes, holds 5
    data[-2:] = struct.pack(">H", len(area)) + area
    data[8:12] = struct.pack(">I", len(data))
    with pytest.raises(TemplateFormatError, match="extended data area"):
        decode_template(bytes(data))


def test_the_commercial_templates_decode_and_reencode_byte_for_byte(fvc_dir: Path) -> None:
    paths = sorted(fvc_dir.glob("fvc*/*/*.iso"))
    assert len(paths) == 320
    for path in paths:
        data = path.read_bytes()
        record = decode_template(data)
        assert encode_template(record) == data, path
        # What the SDK wrote: one view, a 300x400 frame at 197 px/cm whatever the image size.
        assert (record.image_width, record.image_height) == (300, 400)
        assert record.x_resolution == record.y_resolution == 197
        assert len(record.views) == 1
        assert 5 <= len(record.views[0].minutiae) <= 90


def test_a_known_template_decodes_to_its_fields(fvc_dir: Path) -> None:
    record = decode_template((fvc_dir / "fvc2002" / "DB1_B" / "101_1.iso").read_bytes())
    view = record.views[0]
    assert record.length == 180
    assert view.finger_position == 0
    assert view.impression_type == 0
    assert len(view.minutiae) == 25
    assert view.minutiae[0] == IsoMinutia(MinutiaType.BIFURCATION, 165, 48, 107, 0)
    assert view.extended_data == ()


@pytest.mark.parametrize("cut", [1, 2, 3])
def test_the_truncated_files_are_rejected_with_a_clear_message(fvc_dir: Path, cut: int) -> None:
    name = f"101_1_truncate_{cut}_byte{'s' if cut > 1 else ''}.iso"
    data = (fvc_dir / "invalid-iso" / name).read_bytes()
    with pytest.raises(TruncatedTemplateError) as caught:
        decode_template(data)
    message = str(caught.value)
    assert f"declares 30 bytes but only {30 - cut} are present" in message
    assert "send the whole template" in message


def test_minutiae_convert_to_a_record_and_back_within_the_angle_step() -> None:
    rng = np.random.default_rng(4)
    count = 30
    minutiae = Minutiae(
        x=rng.uniform(0, 299, count).astype(np.float32),
        y=rng.uniform(0, 399, count).astype(np.float32),
        angle=rng.uniform(0, 2 * np.pi, count).astype(np.float32),
        kind=rng.integers(1, 3, count).astype(np.int8),
        quality=rng.integers(1, 101, count).astype(np.uint8),
        width=300,
        height=400,
    )
    record = decode_template(encode_template(minutiae.to_record(finger_position=7)))
    back = Minutiae.from_record(record)
    assert record.views[0].finger_position == 7
    assert np.all(np.abs(back.x - minutiae.x) <= 0.5)
    assert np.all(np.abs(back.y - minutiae.y) <= 0.5)
    turn = np.angle(np.exp(1j * (back.angle.astype(np.float64) - minutiae.angle)))
    assert np.all(np.abs(turn) <= np.pi / 256 + 1e-6)
    assert np.array_equal(back.kind, minutiae.kind)
    assert np.array_equal(back.quality, minutiae.quality)
