"""Images in: good ones decode, empty, corrupt or cut-off ones give a clear bilingual error."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from matcher.face.errors import FaceImageError
from matcher.face.image_input import as_bgr_image, decode_image


def _jpeg(seed: int = 0) -> bytes:
    image = np.random.default_rng(seed).integers(0, 255, (120, 160, 3), dtype=np.uint8)
    ok, encoded = cv2.imencode(".jpg", image)
    assert ok
    return encoded.tobytes()


def test_a_jpeg_decodes_to_a_bgr_array() -> None:
    image = decode_image(_jpeg())
    assert image.shape == (120, 160, 3)
    assert image.dtype == np.uint8


@pytest.mark.parametrize(
    "data",
    [b"", b"not an image at all", b"\x89PNG\r\n\x1a\n" + bytes(100)],
    ids=["empty", "text", "bad-png"],
)
def test_unreadable_bytes_raise_a_clear_error(data: bytes) -> None:
    with pytest.raises(FaceImageError) as raised:
        decode_image(data)
    assert "could not be read" in raised.value.message.en
    assert "تعذّرت قراءة الصورة" in raised.value.message.ar


def test_a_cut_off_jpeg_frame_is_refused_not_half_decoded() -> None:
    data = _jpeg()
    with pytest.raises(FaceImageError) as raised:
        decode_image(data[: len(data) // 2])
    assert "cut off" in raised.value.message.en


@pytest.mark.parametrize(
    "array",
    [
        np.zeros((0, 0, 3), np.uint8),
        np.zeros((64, 64, 3), np.float32),
        np.zeros((64, 64, 2), np.uint8),
        "x",
    ],
    ids=["empty", "float", "two-channel", "not-an-array"],
)
def test_arrays_of_the_wrong_kind_are_refused(array: object) -> None:
    with pytest.raises(FaceImageError):
        as_bgr_image(array)


def test_a_tiny_image_is_refused_with_its_size_in_the_message() -> None:
    with pytest.raises(FaceImageError, match="16x8"):
        as_bgr_image(np.zeros((8, 16, 3), np.uint8))


def test_grey_and_bgra_become_bgr() -> None:
    assert as_bgr_image(np.zeros((40, 50), np.uint8)).shape == (40, 50, 3)
    assert as_bgr_image(np.zeros((40, 50, 4), np.uint8)).shape == (40, 50, 3)
