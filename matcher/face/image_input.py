"""Checks and decodes the images the face matcher takes: 8-bit BGR arrays, as OpenCV gives them."""

from __future__ import annotations

import cv2
import numpy as np
import numpy.typing as npt

from matcher.face.errors import FaceImageError
from matcher.face.messages import BilingualMessage

BgrImage = npt.NDArray[np.uint8]

# Below this no face is measurable; FaceMesh itself needs a face of about 20 px.
MIN_SIDE_PX = 32

_JPEG_START = b"\xff\xd8"
_JPEG_END = b"\xff\xd9"

_TRUNCATED = BilingualMessage(
    en="The image is cut off (an incomplete JPEG file or camera frame). "
    "Capture the photo again; if it keeps happening, check the camera cable.",
    ar="الصورة ناقصة (ملف JPEG أو إطار كاميرا غير مكتمل). "
    "التقط الصورة مرة أخرى، وإذا تكرر ذلك فافحص كابل الكاميرا.",
)
_UNREADABLE = BilingualMessage(
    en="The image could not be read: it is empty or not a valid JPEG or PNG file. "
    "Capture or load the photo again.",
    ar="تعذّرت قراءة الصورة: الملف فارغ أو ليس صورة JPEG أو PNG صالحة. "
    "التقط الصورة أو حمّلها مرة أخرى.",
)


def decode_image(data: bytes) -> BgrImage:
    """JPEG/PNG (any format OpenCV reads) bytes to a BGR array, or FaceImageError."""
    if not data:
        raise FaceImageError(_UNREADABLE)
    if data[:2] == _JPEG_START and _JPEG_END not in data[-64:]:
        # libjpeg decodes a cut-off JPEG (a dropped MJPEG frame) with the rest filled grey and
        # only a warning; a half-grey frame must not pass for a picture.
        raise FaceImageError(_TRUNCATED)
    decoded = cv2.imdecode(np.frombuffer(data, dtype=np.uint8), cv2.IMREAD_COLOR)
    if decoded is None:
        raise FaceImageError(_UNREADABLE)
    return as_bgr_image(decoded)


def as_bgr_image(image: object) -> BgrImage:
    """Return `image` as a contiguous HxWx3 uint8 BGR array (grey and BGRA are converted)."""
    if not isinstance(image, np.ndarray) or image.dtype != np.uint8 or image.size == 0:
        raise FaceImageError(_UNREADABLE)
    if image.ndim == 2:
        image = cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
    elif image.ndim == 3 and image.shape[2] == 4:
        image = cv2.cvtColor(image, cv2.COLOR_BGRA2BGR)
    elif image.ndim != 3 or image.shape[2] != 3:
        raise FaceImageError(_UNREADABLE)
    height, width = image.shape[:2]
    if min(height, width) < MIN_SIDE_PX:
        raise FaceImageError(
            BilingualMessage(
                en=f"The image is too small ({width}x{height} px) to find a face in. "
                "Use the camera's full picture or a larger photo.",
                ar=f"الصورة صغيرة جدًا ({width}x{height} بكسل) للعثور على وجه فيها. "
                "استخدم صورة الكاميرا كاملة أو صورة أكبر.",
            )
        )
    return np.ascontiguousarray(image)
