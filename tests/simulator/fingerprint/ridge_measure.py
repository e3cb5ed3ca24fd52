"""Measuring rendered prints the way one would measure a scanned one."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray


def dominant_period(patch: NDArray[np.generic]) -> float:
    """The ridge period (pixels) of a square patch: the peak of its radial power spectrum."""
    size = patch.shape[0]
    values = patch.astype(np.float64)
    values = (values - values.mean()) * np.outer(np.hanning(size), np.hanning(size))
    power = np.abs(np.fft.fftshift(np.fft.fft2(values))) ** 2
    ys, xs = np.mgrid[0:size, 0:size] - size // 2
    radius = np.hypot(xs, ys)
    # Ridge periods of 5-20 px are frequencies of size/20 to size/5 cycles per patch.
    low, high = size / 20.0, size / 5.0
    band = (radius >= low) & (radius <= high)
    # The power-weighted mean frequency of the strongest ring, robust to the spectrum's spread.
    rings = np.rint(radius[band]).astype(np.intp)
    energy = np.bincount(rings, weights=power[band])
    peak = int(np.argmax(energy))
    near = (radius >= peak - 1.5) & (radius <= peak + 1.5)
    frequency = float((radius[near] * power[near]).sum() / power[near].sum())
    return size / frequency
