"""Foreground segmentation: which blocks of the image hold ridges, and the contrast-normalised
ridge image every later stage works on.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
from numpy.typing import NDArray

# Blocks of 8x8 pixels (less than one ridge period at 500 dpi) carry orientation, frequency and
# the mask; the fine grid follows curved ridges near cores and deltas.
BLOCK = 8
# Below this band-pass contrast (RMS grey levels) a block is flat: sensor background.
MIN_RIDGE_CONTRAST = 6.0
# A block is foreground when its contrast reaches this share of the print's strong blocks.
RELATIVE_CONTRAST = 0.25


@dataclass(frozen=True)
class Foreground:
    """The block mask and the normalised image, cropped to the foreground's bounding box.

    `origin` is the crop's top-left corner in the input image; `ridges` has ridges positive and
    valleys negative, zero mean and unit variance locally, and is zero outside the foreground.
    """

    ridges: NDArray[np.float32]
    block_mask: NDArray[np.bool_]
    pixel_mask: NDArray[np.bool_]
    origin: tuple[int, int]
    block_contrast: NDArray[np.float32]


def segment_foreground(image: NDArray[np.uint8]) -> Foreground:
    """Find the fingerprint area by local contrast and return the normalised crop around it."""
    height, width = image.shape
    rows, cols = -(-height // BLOCK), -(-width // BLOCK)
    padded = cv2.copyMakeBorder(
        image, 0, rows * BLOCK - height, 0, cols * BLOCK - width, cv2.BORDER_REPLICATE
    ).astype(np.float32)
    # Contrast at ridge scale only (a band-pass of periods ~5-25 px): the edge of a sensor's
    # platen or a shadow is a strong step but carries little energy at ridge frequencies.
    band = cv2.GaussianBlur(padded, (0, 0), 1.2) - cv2.GaussianBlur(padded, (0, 0), 4.0)
    energy = cv2.resize(band * band, (cols, rows), interpolation=cv2.INTER_AREA)
    # Two-block windows: a single 8x8 block can fall on one ridge and look flat.
    contrast = np.sqrt(cv2.GaussianBlur(energy, (0, 0), 1.0)).astype(np.float32)

    # Relative to the print's own strong areas, so faint dry prints are not cut away whole.
    strong = float(np.percentile(contrast, 95))
    threshold = max(MIN_RIDGE_CONTRAST, RELATIVE_CONTRAST * strong)
    block_mask = _clean_mask(contrast > threshold)

    ys, xs = np.nonzero(block_mask)
    if len(ys) == 0:
        empty = np.zeros((BLOCK, BLOCK), np.float32)
        return Foreground(
            ridges=empty,
            block_mask=np.zeros((1, 1), bool),
            pixel_mask=np.zeros((BLOCK, BLOCK), bool),
            origin=(0, 0),
            block_contrast=np.zeros((1, 1), np.float32),
        )
    # Crop on block boundaries with one spare block so filters see some context.
    r0, r1 = max(ys.min() - 1, 0), min(ys.max() + 2, rows)
    c0, c1 = max(xs.min() - 1, 0), min(xs.max() + 2, cols)
    crop = padded[r0 * BLOCK : r1 * BLOCK, c0 * BLOCK : c1 * BLOCK]
    crop_mask = block_mask[r0:r1, c0:c1]
    pixel_mask = cv2.resize(
        crop_mask.astype(np.uint8),
        (crop.shape[1], crop.shape[0]),
        interpolation=cv2.INTER_NEAREST,
    ).astype(bool)
    ridges = _normalise(crop, pixel_mask)
    return Foreground(
        ridges=ridges,
        block_mask=crop_mask,
        pixel_mask=pixel_mask,
        origin=(c0 * BLOCK, r0 * BLOCK),
        block_contrast=contrast[r0:r1, c0:c1],
    )


def _clean_mask(mask: NDArray[np.bool_]) -> NDArray[np.bool_]:
    """Close gaps, drop specks, keep the largest region and fill its holes (pores, scars)."""
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (3, 3))
    closed = cv2.morphologyEx(mask.astype(np.uint8), cv2.MORPH_CLOSE, kernel)
    as_bytes = np.asarray(cv2.morphologyEx(closed, cv2.MORPH_OPEN, kernel), dtype=np.uint8)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(as_bytes, connectivity=4)
    if count <= 1:
        return np.zeros_like(mask)
    largest = 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))
    region = (labels == largest).astype(np.uint8)
    # Holes are the background not reachable from outside the image: flood from a border ring.
    height, width = region.shape
    framed = np.zeros((height + 2, width + 2), np.uint8)
    framed[1:-1, 1:-1] = region
    flood_mask = np.zeros((height + 4, width + 4), np.uint8)
    cv2.floodFill(framed, flood_mask, (0, 0), (2,))
    filled: NDArray[np.bool_] = framed[1:-1, 1:-1] != 2
    return filled


def _normalise(crop: NDArray[np.float32], pixel_mask: NDArray[np.bool_]) -> NDArray[np.float32]:
    """Ridges positive, local mean removed and local contrast equalised over about two ridges."""
    inverted = 255.0 - crop
    local_mean = cv2.GaussianBlur(inverted, (0, 0), 6.0)
    centred = inverted - local_mean
    local_sd = np.sqrt(cv2.GaussianBlur(centred * centred, (0, 0), 10.0))
    ridges = centred / (local_sd + 4.0)
    ridges[~pixel_mask] = 0.0
    return ridges.astype(np.float32)
