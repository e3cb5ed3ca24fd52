"""Ridge orientation field and its coherence, from the averaged gradient structure tensor."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
from numpy.typing import NDArray

# Smoothing in blocks: of the gradient tensor, then of the doubled-angle vectors.
TENSOR_SIGMA = 1.5
VECTOR_SIGMA = 1.0


@dataclass(frozen=True)
class OrientationField:
    """Per block: ridge direction in radians [0, pi) in pixel axes (x right, y down, angle from
    +x towards +y), the smoothed doubled-angle vector, and coherence 0 (no direction) to 1."""

    angle: NDArray[np.float32]
    doubled: tuple[NDArray[np.float32], NDArray[np.float32]]
    coherence: NDArray[np.float32]


def orientation_field(
    ridges: NDArray[np.float32], block_mask: NDArray[np.bool_]
) -> OrientationField:
    """Orientation per block of the normalised ridge image."""
    rows, cols = block_mask.shape
    smooth = cv2.GaussianBlur(ridges, (0, 0), 1.0)
    gx = cv2.Sobel(smooth, cv2.CV_32F, 1, 0, ksize=3)
    gy = cv2.Sobel(smooth, cv2.CV_32F, 0, 1, ksize=3)
    gxx = cv2.resize(gx * gx, (cols, rows), interpolation=cv2.INTER_AREA)
    gyy = cv2.resize(gy * gy, (cols, rows), interpolation=cv2.INTER_AREA)
    gxy = cv2.resize(gx * gy, (cols, rows), interpolation=cv2.INTER_AREA)
    # Tensor averaged over about four ridge periods: enough to bridge a scar, small enough to
    # follow the curvature around a core.
    axx = cv2.GaussianBlur(gxx, (0, 0), TENSOR_SIGMA)
    ayy = cv2.GaussianBlur(gyy, (0, 0), TENSOR_SIGMA)
    axy = cv2.GaussianBlur(gxy, (0, 0), TENSOR_SIGMA)
    diff = axx - ayy
    energy = axx + ayy
    coherence = np.sqrt(diff * diff + 4 * axy * axy) / (energy + 1e-6)
    # The gradient is across the ridges; the ridge direction is perpendicular to it.
    gradient_doubled = np.arctan2(2 * axy, diff)
    cos2 = -np.cos(gradient_doubled) * coherence * energy
    sin2 = -np.sin(gradient_doubled) * coherence * energy
    # A second smoothing of the doubled-angle vectors, weighted by their strength, fills noisy
    # blocks from their confident neighbours.
    cos2 = cv2.GaussianBlur(cos2.astype(np.float32), (0, 0), VECTOR_SIGMA)
    sin2 = cv2.GaussianBlur(sin2.astype(np.float32), (0, 0), VECTOR_SIGMA)
    norm = np.sqrt(cos2 * cos2 + sin2 * sin2) + 1e-9
    cos2 /= norm
    sin2 /= norm
    angle = (0.5 * np.arctan2(sin2, cos2)) % np.pi
    return OrientationField(
        angle=angle.astype(np.float32),
        doubled=(cos2.astype(np.float32), sin2.astype(np.float32)),
        coherence=np.where(block_mask, coherence, 0).astype(np.float32),
    )
