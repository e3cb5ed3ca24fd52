"""Ridges grown from random noise by iterative contextual Gabor filtering (SFinGe): each pass
filters every pixel with the Gabor filter of its own ridge direction and period, then saturates,
until the noise has organised into ridges that follow the orientation field.

A space-variant filter is made from a fixed bank: every pixel blends the responses of the two
nearest orientations and the two nearest periods. The bank is applied in the Fourier domain
(one forward transform per pass, one product and inverse per filter in use), which on the
half-resolution growth grid costs about half a millisecond per filter.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import cv2
import numpy as np
from numpy.typing import NDArray

ORIENTATION_BINS = 16
# Ridge periods of the bank in master (500 dpi) pixels; the period map stays inside them.
PERIOD_BINS = (8.0, 9.0, 10.0, 11.0)
# Gaussian envelope in ridge periods. Across: about one ridge either side, so the filter locks
# onto one frequency. Along: long enough to carry ridges on, short enough to let them end and
# fork (longer gives fewer minutiae: 0.7 gives 50-80 per pad, like real fingers).
SIGMA_ACROSS = 0.45
SIGMA_ALONG = 0.7
# Saturation after each pass: tanh(GAIN * response / rms).
GAIN = 2.0


@dataclass(frozen=True)
class _BinWeights:
    orientation: int
    period: int
    top: int
    bottom: int
    left: int
    right: int
    weights: NDArray[np.float32]


def grow_ridges(
    angle: NDArray[np.float64],
    period: NDArray[np.float64],
    support: NDArray[np.float32],
    scale: float,
    noise: NDArray[np.float32],
    iterations: int,
) -> NDArray[np.float32]:
    """The last filter response (band-limited, about unit rms; ridges positive) after
    `iterations` passes starting from `noise`.

    `angle` is the ridge direction per grid pixel (radians, pixel axes), `period` the ridge
    period in master pixels, `support` where ridges may grow (0-1), `scale` master pixels per
    grid pixel.
    """
    height, width = noise.shape
    bank = _filter_bank(height, width, scale)
    bins = _bin_weights(angle, period)
    inside = support > 0.5
    state = noise
    response = np.zeros((height, width), np.float32)
    for _ in range(iterations):
        spectrum = cv2.dft(state)
        response = np.zeros((height, width), np.float32)
        for entry in bins:
            filtered = cv2.idft(
                cv2.mulSpectrums(spectrum, bank[entry.orientation][entry.period], 0),
                flags=cv2.DFT_SCALE | cv2.DFT_REAL_OUTPUT,
            )
            window = (slice(entry.top, entry.bottom), slice(entry.left, entry.right))
            response[window] += entry.weights * filtered[window]
        response *= support
        rms = float(np.sqrt(np.mean(np.square(response[inside])))) + 1e-6
        response /= rms
        state = np.tanh(GAIN * response).astype(np.float32)
    return response


@functools.cache
def _filter_bank(
    height: int, width: int, scale: float
) -> tuple[tuple[NDArray[np.float32], ...], ...]:
    """Transfer functions of the even Gabor filters, as OpenCV's packed spectra, indexed
    [orientation][period]. Built once per grid size (about 0.2 s) and kept."""
    fy = np.fft.fftfreq(height)[:, None]
    fx = np.fft.fftfreq(width)[None, :]
    bank = []
    for orientation in range(ORIENTATION_BINS):
        ridge = orientation * np.pi / ORIENTATION_BINS
        # Frequency components along the ridge normal and along the ridge.
        normal = -fx * np.sin(ridge) + fy * np.cos(ridge)
        along = fx * np.cos(ridge) + fy * np.sin(ridge)
        row = []
        for master_period in PERIOD_BINS:
            grid_period = master_period / scale
            frequency = 1.0 / grid_period
            across_sigma = SIGMA_ACROSS * grid_period
            along_sigma = SIGMA_ALONG * grid_period
            envelope = np.exp(-2 * np.pi**2 * (along_sigma * along) ** 2)
            # An even (cosine) Gabor: two Gaussians at plus and minus the ridge frequency.
            transfer = envelope * (
                np.exp(-2 * np.pi**2 * (across_sigma * (normal - frequency)) ** 2)
                + np.exp(-2 * np.pi**2 * (across_sigma * (normal + frequency)) ** 2)
            )
            transfer[0, 0] = 0.0  # no mean: ridges and valleys balance
            kernel = np.real(np.fft.ifft2(transfer)).astype(np.float32)
            row.append(np.asarray(cv2.dft(kernel), dtype=np.float32))
        bank.append(tuple(row))
    return tuple(bank)


def _bin_weights(angle: NDArray[np.float64], period: NDArray[np.float64]) -> list[_BinWeights]:
    """Per filter in use: the window of pixels that use it and their blending weights."""
    position = np.mod(angle, np.pi) * (ORIENTATION_BINS / np.pi)
    lower = np.floor(position).astype(np.intp) % ORIENTATION_BINS
    upper_share = (position - np.floor(position)).astype(np.float32)
    scaled = np.interp(period, PERIOD_BINS, np.arange(len(PERIOD_BINS), dtype=np.float64))
    shorter = np.clip(np.floor(scaled).astype(np.intp), 0, len(PERIOD_BINS) - 2)
    longer_share = np.clip(scaled - shorter, 0.0, 1.0).astype(np.float32)

    filters = ORIENTATION_BINS * len(PERIOD_BINS)
    height, width = angle.shape
    pixels = np.arange(height * width)
    # Weight of every filter at every pixel; each pixel uses at most four filters.
    weights = np.zeros((filters, height * width), np.float32)
    for orientation_step, orientation_share in ((0, 1 - upper_share), (1, upper_share)):
        orientation = (lower + orientation_step) % ORIENTATION_BINS
        for period_step, period_share in ((0, 1 - longer_share), (1, longer_share)):
            key = orientation * len(PERIOD_BINS) + shorter + period_step
            weights[key.ravel(), pixels] += (orientation_share * period_share).ravel()
    weights = weights.reshape(filters, height, width)

    entries = []
    for key in range(filters):
        used = weights[key] > 1e-3
        rows = np.flatnonzero(used.any(axis=1))
        if len(rows) == 0:
            continue
        cols = np.flatnonzero(used.any(axis=0))
        top, bottom = int(rows[0]), int(rows[-1]) + 1
        left, right = int(cols[0]), int(cols[-1]) + 1
        entries.append(
            _BinWeights(
                orientation=key // len(PERIOD_BINS),
                period=key % len(PERIOD_BINS),
                top=top,
                bottom=bottom,
                left=left,
                right=right,
                weights=np.ascontiguousarray(weights[key, top:bottom, left:right]),
            )
        )
    return entries
