"""Smooth random fields as a few random plane waves: evaluated at any points, so the same field
serves the half-resolution growth grid and the full-resolution master alike."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray


@dataclass(frozen=True)
class SmoothField:
    """Sum of cosines with random directions, wavelengths and phases; about zero mean and unit
    standard deviation over a large area."""

    wave_x: NDArray[np.float64]
    wave_y: NDArray[np.float64]
    phase: NDArray[np.float64]

    @classmethod
    def draw(
        cls,
        rng: np.random.Generator,
        shortest_wavelength: float,
        longest_wavelength: float,
        waves: int = 4,
    ) -> SmoothField:
        direction = rng.uniform(0.0, np.pi, waves)
        wavelength = rng.uniform(shortest_wavelength, longest_wavelength, waves)
        number = 2 * np.pi / wavelength
        return cls(
            wave_x=number * np.cos(direction),
            wave_y=number * np.sin(direction),
            phase=rng.uniform(0.0, 2 * np.pi, waves),
        )

    def at(self, x: NDArray[np.float64], y: NDArray[np.float64]) -> NDArray[np.float64]:
        total = np.zeros(np.broadcast(x, y).shape)
        for kx, ky, phase in zip(self.wave_x, self.wave_y, self.phase, strict=True):
            total += np.cos(kx * x + ky * y + phase)
        # A sum of n unit cosines with random phases has variance n/2.
        result: NDArray[np.float64] = total * np.sqrt(2.0 / len(self.phase))
        return result
