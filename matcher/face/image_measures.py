"""Sharpness, exposure and contrast of the face itself (not the background), measured on the
face region brought to one scale so that figures from near and far faces compare."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
import numpy.typing as npt

from matcher.face import mesh_points as mp_points
from matcher.face.image_input import BgrImage
from matcher.face.landmarks import FaceLandmarks

# The face is resampled so its eye centres are this far apart: about what the 150 px chip the
# embedding sees holds, so "sharp enough" means sharp enough for the matcher.
CANONICAL_INTER_EYE_PX = 60.0
# The outline is shrunk towards its centre so that hair, ears and background at the edge of the
# face do not count.
_INNER_FACE = 0.85


@dataclass(frozen=True)
class FaceImageMeasures:
    sharpness: float  # std of the Laplacian / std of the grey levels; contrast-free
    brightness: float  # mean grey level of the face, 0-255
    clipped: float  # share of face pixels at 0-5 or 250-255
    contrast: float  # grey-level range between the 5th and 95th percentiles, 0-255


def face_region(
    image: BgrImage, face: FaceLandmarks
) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.bool_]]:
    """The grey face at canonical scale and a mask of the inner face (inside the image only)."""
    height, width = image.shape[:2]
    left, top, right, bottom = face.box
    # Only the face is resampled: a whole 1080p frame would cost more than every measure.
    x0, y0 = max(0, int(left) - 2), max(0, int(top) - 2)
    x1, y1 = min(width, int(right) + 3), min(height, int(bottom) + 3)
    if x1 - x0 < 2 or y1 - y0 < 2:
        return np.zeros((1, 1), np.float32), np.zeros((1, 1), bool)
    scale = CANONICAL_INTER_EYE_PX / max(face.inter_eye_distance, 1.0)
    size = (max(1, round((x1 - x0) * scale)), max(1, round((y1 - y0) * scale)))
    interpolation = cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR
    crop = cv2.resize(image[y0:y1, x0:x1], size, interpolation=interpolation)
    grey = cv2.cvtColor(crop, cv2.COLOR_BGR2GRAY)
    oval = (face.xy[list(mp_points.FACE_OVAL)] - [x0, y0]) * scale
    center = oval.mean(axis=0)
    inner = center + (oval - center) * _INNER_FACE
    mask = np.zeros(grey.shape, dtype=np.uint8)
    cv2.fillConvexPoly(mask, cv2.convexHull(np.round(inner).astype(np.int32)), (1,))
    return grey.astype(np.float32), mask.astype(bool)


def measure_face_image(image: BgrImage, face: FaceLandmarks) -> FaceImageMeasures:
    grey, mask = face_region(image, face)
    values = grey[mask]
    if values.size < 16:  # the face lies (almost) wholly outside the picture
        return FaceImageMeasures(sharpness=0.0, brightness=0.0, clipped=1.0, contrast=0.0)
    laplacian = cv2.Laplacian(grey, cv2.CV_32F, ksize=3)
    # Erode so the Laplacian of the mask's own edge (face against background) is left out.
    inner = cv2.erode(mask.astype(np.uint8), np.ones((5, 5), np.uint8)).astype(bool)
    detail = laplacian[inner] if inner.any() else laplacian[mask]
    spread = float(values.std())
    low, high = np.percentile(values, [5, 95])
    return FaceImageMeasures(
        sharpness=float(detail.std()) / spread if spread > 0 else 0.0,
        brightness=float(values.mean()),
        clipped=float(np.mean((values <= 5) | (values >= 250))),
        contrast=float(high - low),
    )
