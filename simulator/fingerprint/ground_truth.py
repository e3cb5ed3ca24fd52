"""The true minutiae of a master: its noise-free ridges thinned to a skeleton, ridge endings and
bifurcations by crossing number, directions from the known orientation field and the ridges.

This is allowed to be simple where an extractor cannot be: the master has no noise, no pores and
no breaks, so every skeleton ending or fork away from the pad's edge is a real minutia.
"""

from __future__ import annotations

from collections.abc import Callable

import cv2
import numpy as np
from numpy.typing import NDArray

from matcher.fingerprint import Minutiae, MinutiaType

# Neighbours clockwise from east, (dy, dx).
_RING = ((0, 1), (1, 1), (1, 0), (1, -1), (0, -1), (-1, -1), (-1, 0), (-1, 1))
# Ridges end where the pad ends; those are not minutiae.
EDGE_MARGIN = 12.0
# Two minutiae closer than one ridge period are a thinning artefact (a spur, a one-pixel
# bridge or island), not two minutiae a sensor could show.
ARTEFACT_DISTANCE = 1.0


def _ring_code_kernel() -> NDArray[np.float32]:
    kernel = np.zeros((3, 3), np.float32)
    for bit, (dy, dx) in enumerate(_RING):
        kernel[1 + dy, 1 + dx] = float(1 << bit)
    return kernel


def _crossing_number_table() -> NDArray[np.uint8]:
    codes = np.arange(256)
    bits = (codes[:, None] >> np.arange(8)[None, :]) & 1
    transitions = np.abs(bits - np.roll(bits, -1, axis=1)).sum(axis=1) // 2
    return np.asarray(transitions, dtype=np.uint8)


_CODE_KERNEL = _ring_code_kernel()
_CROSSING_NUMBER = _crossing_number_table()


def ridge_skeleton(ridges: NDArray[np.float32], inside: NDArray[np.bool_]) -> NDArray[np.bool_]:
    """One-pixel-wide ridge lines of the positive part of `ridges` within `inside`."""
    binary = ((ridges > 0) & inside).astype(np.uint8) * 255
    thin = cv2.ximgproc.thinning(binary, thinningType=cv2.ximgproc.THINNING_ZHANGSUEN)
    skeleton: NDArray[np.bool_] = np.asarray(thin) > 0
    return skeleton


def find_minutiae(
    ridges: NDArray[np.float32],
    edge_distance: NDArray[np.float64],
    ridge_angle: Callable[[NDArray[np.float64], NDArray[np.float64]], NDArray[np.float64]],
    period: float,
) -> Minutiae:
    """Ridge endings and bifurcations of a noise-free ridge field (ridges positive).

    `edge_distance` is the distance in pixels inside the pad (negative outside), `ridge_angle`
    gives the ridge direction at points (radians, pixel axes), `period` is the typical ridge
    period.
    """
    height, width = ridges.shape
    skeleton = ridge_skeleton(ridges, edge_distance > 0)
    codes = cv2.filter2D(
        skeleton.astype(np.float32), -1, _CODE_KERNEL, borderType=cv2.BORDER_CONSTANT
    )
    crossing = _CROSSING_NUMBER[np.rint(codes).astype(np.uint8)]
    ending = skeleton & (crossing == 1)
    fork = skeleton & (crossing == 3)
    ys, xs = np.nonzero(ending | fork)
    kinds = np.where(ending[ys, xs], int(MinutiaType.RIDGE_ENDING), int(MinutiaType.BIFURCATION))
    keep = edge_distance[ys, xs] >= EDGE_MARGIN
    keep &= ~_artefact_pairs(xs, ys, ARTEFACT_DISTANCE * period)
    xs, ys, kinds = xs[keep], ys[keep], kinds[keep]

    axes = ridge_angle(xs.astype(np.float64), ys.astype(np.float64))
    directions = _directions(ridges, xs, ys, kinds, axes, period)
    # ISO/IEC 19794-2 angles run counter-clockwise as the image is seen (y up).
    iso_angle = np.mod(-directions, 2 * np.pi) if len(xs) else np.zeros(0)
    return Minutiae(
        x=xs.astype(np.float32),
        y=ys.astype(np.float32),
        angle=iso_angle.astype(np.float32),
        kind=kinds.astype(np.int8),
        quality=np.full(len(xs), 100, np.uint8),
        width=width,
        height=height,
    )


def _artefact_pairs(
    xs: NDArray[np.intp], ys: NDArray[np.intp], distance: float
) -> NDArray[np.bool_]:
    """True for every candidate that has another closer than `distance`."""
    if len(xs) < 2:
        return np.zeros(len(xs), bool)
    dx = xs[:, None] - xs[None, :]
    dy = ys[:, None] - ys[None, :]
    close = (dx * dx + dy * dy) < distance * distance
    np.fill_diagonal(close, False)
    crowded: NDArray[np.bool_] = close.any(axis=1)
    return crowded


def _directions(
    ridges: NDArray[np.float32],
    xs: NDArray[np.intp],
    ys: NDArray[np.intp],
    kinds: NDArray[np.int_],
    axes: NDArray[np.float64],
    period: float,
) -> NDArray[np.float64]:
    """Minutia directions in pixel axes: the ridge's axis from the orientation model, its sense
    from the noise-free ridges either side. A ridge ending points into its ridge (ridge ahead,
    valley behind); a bifurcation away from its stem, into the valley between its branches
    (valley ahead, the stem's ridge behind)."""
    height, width = ridges.shape
    steps = np.linspace(0.4 * period, period, 6)
    along_x, along_y = np.cos(axes), np.sin(axes)

    def mean_ridge(sign: float) -> NDArray[np.float64]:
        x = np.rint(xs[:, None] + sign * steps[None, :] * along_x[:, None]).astype(np.intp)
        y = np.rint(ys[:, None] + sign * steps[None, :] * along_y[:, None]).astype(np.intp)
        values = ridges[np.clip(y, 0, height - 1), np.clip(x, 0, width - 1)]
        result: NDArray[np.float64] = values.astype(np.float64).mean(axis=1)
        return result

    ridge_ahead = mean_ridge(1.0) > mean_ridge(-1.0)
    is_ending = kinds == int(MinutiaType.RIDGE_ENDING)
    forward = np.where(is_ending, ridge_ahead, ~ridge_ahead)
    result: NDArray[np.float64] = np.mod(np.where(forward, axes, axes + np.pi), 2 * np.pi)
    return result
