"""Contextual enhancement: a bank of even Gabor filters tuned to the print's ridge period, one per
orientation, each pixel blending the two filters nearest its local ridge direction.

The bank runs in the Fourier domain. The filters pass nothing above about 0.22 cycles per pixel,
so each filtered image is band-limited and is synthesised from the low-frequency quarter of the
spectrum on a half-resolution grid: sixteen quarter-size inverse transforms instead of sixteen
full convolutions (7 ms against 38 ms for 31x31 kernels on a 264x352 crop).
"""

from __future__ import annotations

import cv2
import numpy as np
from numpy.typing import NDArray

ORIENTATIONS = 16
# Gaussian envelope in ridge periods: across the ridges (keeps about one cycle either side) and
# along them (long enough to bridge pores, creases and dry breaks; 0.6 lost 4 points of EER on
# FVC2004 DB2_B, 0.8 cost nothing measurable on the cleaner sets).
SIGMA_ACROSS = 0.5
SIGMA_ALONG = 0.8
# Above this frequency (cycles per pixel) the transfer functions are below exp(-4.5).
_BAND_SIGMAS = 3.0


def enhance_ridges(
    ridges: NDArray[np.float32],
    block_cos2: NDArray[np.float32],
    block_sin2: NDArray[np.float32],
    period: float,
) -> NDArray[np.float32]:
    """Gabor-filtered ridge image: ridges positive, valleys negative, noise across ridges removed.

    `block_cos2`/`block_sin2` are the doubled ridge direction per block (pixel axes), `period`
    the ridge period in pixels the filters are tuned to.
    """
    height, width = ridges.shape
    frequency = 1.0 / period
    sigma_across = SIGMA_ACROSS * period
    sigma_along = SIGMA_ALONG * period
    band_limit = frequency + _BAND_SIGMAS / (2 * np.pi * sigma_across)
    decimation = 2 if band_limit < 0.245 else 1

    margin = int(np.ceil(2 * sigma_along))
    # Multiples of 4 so the half-size grid keeps an even, symmetric low-frequency block.
    dft_height = 4 * cv2.getOptimalDFTSize(-(-(height + margin) // 4))
    dft_width = 4 * cv2.getOptimalDFTSize(-(-(width + margin) // 4))
    padded = np.zeros((dft_height, dft_width), np.float32)
    padded[:height, :width] = ridges
    # Complex64 view: numpy multiplies it by the real transfer functions in one pass.
    spectrum = cv2.dft(padded, flags=cv2.DFT_COMPLEX_OUTPUT).view(np.complex64)[:, :, 0]
    if decimation == 2:
        rows = np.r_[0 : dft_height // 4, dft_height - dft_height // 4 : dft_height]
        cols = np.r_[0 : dft_width // 4, dft_width - dft_width // 4 : dft_width]
        spectrum = spectrum[rows][:, cols]
    grid_height, grid_width = spectrum.shape
    # Frequencies in cycles per original pixel.
    fy = (np.fft.fftfreq(grid_height) / decimation).astype(np.float32)[:, None]
    fx = (np.fft.fftfreq(grid_width) / decimation).astype(np.float32)[None, :]
    if decimation == 2:
        # Sample the half grid at original pixels 2i + 0.5 (a half-pixel shift of the signal),
        # the position cv2.resize assumes when it doubles the grid back.
        shift_y = np.exp(1j * np.pi * fy).astype(np.complex64)
        shift_x = np.exp(1j * np.pi * fx).astype(np.complex64)
        spectrum = spectrum * shift_y * shift_x
    radius = np.sqrt(fx * fx + fy * fy)
    radial = np.exp(-2 * np.pi**2 * sigma_across**2 * (radius - frequency) ** 2)
    radial[0, 0] = 0.0
    # Frequency along the ridge, squared: r^2 sin^2(phi - normal) = r^2/2 - h1 cos2n - h2 sin2n,
    # with the cos/sin of twice the normal angle so one table serves all orientations.
    phi2 = 2 * np.arctan2(fy, fx)
    half_r2 = 0.5 * radius * radius
    h1 = half_r2 * np.cos(phi2)
    h2 = half_r2 * np.sin(phi2)
    along = 2 * np.pi**2 * sigma_along**2

    out_height, out_width = -(-height // decimation), -(-width // decimation)
    responses = np.empty((ORIENTATIONS, out_height, out_width), np.float32)
    scale = 1.0 / decimation**2
    for index in range(ORIENTATIONS):
        # The filter's frequency axis is the ridge normal: ridge angle + 90 degrees.
        normal2 = 2 * (index * np.pi / ORIENTATIONS + np.pi / 2)
        along_ridge2 = half_r2 - h1 * np.cos(normal2) - h2 * np.sin(normal2)
        transfer = radial * np.exp(-along * along_ridge2)
        product = (spectrum * transfer).view(np.float32).reshape(grid_height, grid_width, 2)
        filtered = cv2.idft(product, flags=cv2.DFT_SCALE | cv2.DFT_REAL_OUTPUT)
        responses[index] = filtered[:out_height, :out_width] * scale

    # Blend the two filters nearest each pixel's direction.
    cos2 = cv2.resize(block_cos2, (out_width, out_height), interpolation=cv2.INTER_LINEAR)
    sin2 = cv2.resize(block_sin2, (out_width, out_height), interpolation=cv2.INTER_LINEAR)
    position = (np.arctan2(sin2, cos2) % (2 * np.pi)) * (ORIENTATIONS / (2 * np.pi))
    lower = np.floor(position).astype(np.intp) % ORIENTATIONS
    upper = (lower + 1) % ORIENTATIONS
    fraction = (position - np.floor(position)).astype(np.float32)
    low = np.take_along_axis(responses, lower[None], axis=0)[0]
    high = np.take_along_axis(responses, upper[None], axis=0)[0]
    blended = (1 - fraction) * low + fraction * high
    if decimation == 1:
        return np.asarray(blended, dtype=np.float32)
    upsampled = cv2.resize(blended, (2 * out_width, 2 * out_height), interpolation=cv2.INTER_CUBIC)
    return np.asarray(upsampled[:height, :width], dtype=np.float32)
