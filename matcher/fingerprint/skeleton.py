"""Binarisation of the enhanced ridge image and thinning to a one-pixel ridge skeleton."""

from __future__ import annotations

import cv2
import numpy as np
from numpy.typing import NDArray

# Neighbour order around a pixel, clockwise from east, as offsets (dy, dx). The crossing number
# and the neighbour code both walk this ring.
RING = ((0, 1), (1, 1), (1, 0), (1, -1), (0, -1), (-1, -1), (-1, 0), (-1, 1))
_CODE_KERNEL = np.zeros((3, 3), np.float32)
for _bit, (_dy, _dx) in enumerate(RING):
    _CODE_KERNEL[1 + _dy, 1 + _dx] = float(1 << _bit)


def _crossing_numbers() -> NDArray[np.uint8]:
    table = np.zeros(256, np.uint8)
    for code in range(256):
        bits = [(code >> i) & 1 for i in range(8)]
        table[code] = sum(abs(bits[i] - bits[(i + 1) % 8]) for i in range(8)) // 2
    return table


# Crossing number per neighbour code: 1 at a ridge ending, 2 along a ridge, 3 at a bifurcation.
CROSSING_NUMBER = _crossing_numbers()


def ridge_skeleton(
    enhanced: NDArray[np.float32], pixel_mask: NDArray[np.bool_], period: float
) -> NDArray[np.uint8]:
    """Skeleton (0/1) of the ridges: enhanced > 0 inside the mask, specks and pores cleaned."""
    ridges = ((enhanced > 0) & pixel_mask).astype(np.uint8)
    # Islands smaller than a quarter of a ridge period squared are noise, as are valley holes
    # of that size inside ridges (pores that survived the filter).
    smallest = max(4, int(0.25 * period * period))
    ridges = _drop_small_components(ridges, smallest)
    holes = _drop_small_components((1 - ridges).astype(np.uint8), smallest)
    ridges = ((holes == 0) & pixel_mask).astype(np.uint8)
    skeleton = cv2.ximgproc.thinning(ridges * 255, thinningType=cv2.ximgproc.THINNING_ZHANGSUEN)
    return (np.asarray(skeleton) > 0).astype(np.uint8)


def neighbour_codes(skeleton: NDArray[np.uint8]) -> NDArray[np.uint8]:
    """For every pixel, the 8-bit pattern of its skeleton neighbours in RING order."""
    codes = cv2.filter2D(
        skeleton.astype(np.float32), -1, _CODE_KERNEL, borderType=cv2.BORDER_CONSTANT
    )
    return codes.astype(np.uint8)


def _drop_small_components(binary: NDArray[np.uint8], smallest: int) -> NDArray[np.uint8]:
    _, labels, stats, _ = cv2.connectedComponentsWithStats(binary, connectivity=8)
    keep = stats[:, cv2.CC_STAT_AREA] >= smallest
    keep[0] = False
    return np.asarray(keep[labels], dtype=np.uint8)
