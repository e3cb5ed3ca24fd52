"""The extraction pipeline: grey-scale fingerprint image in, minutiae (and the maps behind them)
out. Segmentation, orientation, ridge period, Gabor enhancement, skeleton, minutiae.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from matcher.fingerprint.enhancement import enhance_ridges
from matcher.fingerprint.minutiae import Minutiae
from matcher.fingerprint.minutiae_detection import DetectedMinutiae, detect_minutiae
from matcher.fingerprint.orientation import OrientationField, orientation_field
from matcher.fingerprint.ridge_frequency import RidgePeriod, ridge_period
from matcher.fingerprint.segmentation import BLOCK, Foreground, segment_foreground
from matcher.fingerprint.skeleton import ridge_skeleton

DEFAULT_RESOLUTION_DPI = 500
_CM_PER_INCH = 2.54


@dataclass(frozen=True)
class RidgeAnalysis:
    """Everything the extractor computed for one image; maps are on the foreground crop, whose
    top-left corner in the image is `foreground.origin`."""

    minutiae: Minutiae
    foreground: Foreground
    orientation: OrientationField
    period: RidgePeriod
    enhanced: NDArray[np.float32]
    skeleton: NDArray[np.uint8]


def analyse_ridges(
    image: NDArray[np.generic], resolution_dpi: int = DEFAULT_RESOLUTION_DPI
) -> RidgeAnalysis:
    """Run the whole pipeline on a grey-scale image (ridges dark on a light background)."""
    grey = as_grey(image)
    height, width = grey.shape
    resolution_ppcm = max(1, round(resolution_dpi / _CM_PER_INCH))
    foreground = segment_foreground(grey)
    orientation = orientation_field(foreground.ridges, foreground.block_mask)
    period = ridge_period(foreground.ridges, foreground.block_mask)
    enhanced = enhance_ridges(foreground.ridges, *orientation.doubled, period.median)
    skeleton = ridge_skeleton(enhanced, foreground.pixel_mask, period.median)
    detected = detect_minutiae(skeleton, foreground.pixel_mask, orientation.angle, period.median)
    minutiae = _to_minutiae(detected, foreground, orientation, width, height, resolution_ppcm)
    return RidgeAnalysis(
        minutiae=minutiae,
        foreground=foreground,
        orientation=orientation,
        period=period,
        enhanced=enhanced,
        skeleton=skeleton,
    )


def extract_minutiae(
    image: NDArray[np.generic], resolution_dpi: int = DEFAULT_RESOLUTION_DPI
) -> Minutiae:
    """The minutiae of a grey-scale fingerprint image, in image pixel coordinates."""
    return analyse_ridges(image, resolution_dpi).minutiae


def as_grey(image: NDArray[np.generic]) -> NDArray[np.uint8]:
    """The image as a contiguous 2-D uint8 array, or a ValueError saying why it cannot be."""
    array = np.asarray(image)
    if array.ndim == 3 and array.shape[2] in (1, 3, 4):
        array = array[:, :, :3].mean(axis=2) if array.shape[2] >= 3 else array[:, :, 0]
    if array.ndim != 2:
        raise ValueError(
            f"a fingerprint image must be a 2-D grey-scale array, got shape {array.shape}"
        )
    if array.shape[0] < 4 * BLOCK or array.shape[1] < 4 * BLOCK:
        raise ValueError(
            f"a fingerprint image must be at least {4 * BLOCK}x{4 * BLOCK} pixels, got "
            f"{array.shape[1]}x{array.shape[0]}"
        )
    if array.dtype != np.uint8:
        array = np.clip(np.rint(array.astype(np.float64)), 0, 255)
    return np.ascontiguousarray(array, dtype=np.uint8)


def _to_minutiae(
    detected: DetectedMinutiae,
    foreground: Foreground,
    orientation: OrientationField,
    width: int,
    height: int,
    resolution_ppcm: int,
) -> Minutiae:
    """Image coordinates, ISO angles (counter-clockwise as seen) and a quality per minutia."""
    if len(detected.x) == 0:
        return Minutiae.empty(width, height, resolution_ppcm)
    ox, oy = foreground.origin
    rows, cols = foreground.block_mask.shape
    by = np.clip((detected.y / BLOCK).astype(np.intp), 0, rows - 1)
    bx = np.clip((detected.x / BLOCK).astype(np.intp), 0, cols - 1)
    coherence = orientation.coherence[by, bx]
    contrast = foreground.block_contrast[by, bx]
    strong = float(np.percentile(foreground.block_contrast[foreground.block_mask], 90))
    # Clear ridges (coherent, full contrast) give 100; a minutia in a smudge or at a faint edge
    # gets less, so a template trimmed to 255 minutiae or a matcher weighting them keeps the
    # reliable ones.
    quality = 100 * np.sqrt(np.clip(coherence, 0, 1)) * np.clip(contrast / max(strong, 1e-6), 0, 1)
    x = np.clip(detected.x + ox, 0, width - 1)
    y = np.clip(detected.y + oy, 0, height - 1)
    return Minutiae(
        x=x.astype(np.float32),
        y=y.astype(np.float32),
        angle=((-detected.direction) % (2 * np.pi)).astype(np.float32),
        kind=detected.kind.astype(np.int8),
        quality=np.clip(np.rint(quality), 1, 100).astype(np.uint8),
        width=width,
        height=height,
        resolution_ppcm=resolution_ppcm,
    )
