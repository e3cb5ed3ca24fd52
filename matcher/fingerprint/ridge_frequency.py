"""Local ridge period (pixels per ridge-valley cycle) from the ratio of gradient to signal energy.

For a sinusoid A*sin(2*pi*f*x) the mean squared derivative over the mean square is (2*pi*f)^2,
so block averages of |grad I|^2 and I^2 give the local frequency without searching for peaks.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
from numpy.typing import NDArray

# Plausible ridge periods at 500 dpi: children and tiny fingers ~5 px, broad adult ridges ~15 px.
MIN_PERIOD = 4.5
MAX_PERIOD = 16.0
DEFAULT_PERIOD = 9.0


@dataclass(frozen=True)
class RidgePeriod:
    """Per block ridge period in pixels, and the median over the foreground."""

    block_period: NDArray[np.float32]
    median: float


def ridge_period(ridges: NDArray[np.float32], block_mask: NDArray[np.bool_]) -> RidgePeriod:
    """Estimate the ridge period per block of the normalised ridge image."""
    rows, cols = block_mask.shape
    smooth = cv2.GaussianBlur(ridges, (0, 0), 1.0)
    gx = cv2.Sobel(smooth, cv2.CV_32F, 1, 0, ksize=3, scale=0.125)
    gy = cv2.Sobel(smooth, cv2.CV_32F, 0, 1, ksize=3, scale=0.125)
    gradient_energy = cv2.resize(gx * gx + gy * gy, (cols, rows), interpolation=cv2.INTER_AREA)
    signal_energy = cv2.resize(smooth * smooth, (cols, rows), interpolation=cv2.INTER_AREA)
    gradient_energy = cv2.GaussianBlur(gradient_energy, (0, 0), 1.5)
    signal_energy = cv2.GaussianBlur(signal_energy, (0, 0), 1.5)
    # A central difference measures sin(omega) where the derivative is omega (radians per pixel).
    measured = np.sqrt(gradient_energy / (signal_energy + 1e-6))
    frequency = np.arcsin(np.minimum(measured, 0.999)) / (2 * np.pi)
    period = np.clip(1.0 / np.maximum(frequency, 1e-3), MIN_PERIOD, MAX_PERIOD).astype(np.float32)
    inside = period[block_mask]
    median = float(np.median(inside)) if inside.size else DEFAULT_PERIOD
    return RidgePeriod(
        block_period=np.where(block_mask, period, median).astype(np.float32), median=median
    )
