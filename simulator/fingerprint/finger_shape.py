"""The outline of a fingertip's pad on the master canvas: an ellipse on top, a squarer curve
towards the first crease, sized by finger (thumbs widest, little fingers narrowest)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from simulator.fingerprint.seeding import Stream, random_stream

# Half-widths in pixels at 500 dpi: pads measured on FVC2002 impressions are about 12-17 mm wide.
_HALF_WIDTH = {"thumb": (148.0, 166.0), "little": (112.0, 130.0), "other": (124.0, 148.0)}
_THUMBS = (1, 6)
_LITTLE_FINGERS = (5, 10)


@dataclass(frozen=True)
class FingerShape:
    """Pad centre and half-extents in master pixels (x right, y down)."""

    centre_x: float
    centre_y: float
    half_width: float
    top_half_height: float
    bottom_half_height: float
    # Exponent of the lower superellipse: 2 is an ellipse, larger is squarer.
    bottom_squareness: float

    def normalised_radius(
        self, x: NDArray[np.float64], y: NDArray[np.float64]
    ) -> NDArray[np.float64]:
        """1 on the outline, below 1 inside: the superellipse 'radius' of each point."""
        dx = np.abs(x - self.centre_x) / self.half_width
        above = y < self.centre_y
        half_height = np.where(above, self.top_half_height, self.bottom_half_height)
        exponent = np.where(above, 2.0, self.bottom_squareness)
        dy = np.abs(y - self.centre_y) / half_height
        radius: NDArray[np.float64] = (dx**exponent + dy**exponent) ** (1.0 / exponent)
        return radius

    def inside_distance(
        self, x: NDArray[np.float64], y: NDArray[np.float64]
    ) -> NDArray[np.float64]:
        """Approximate distance in pixels inside the outline (negative outside)."""
        scale = min(self.half_width, self.top_half_height, self.bottom_half_height)
        distance: NDArray[np.float64] = (1.0 - self.normalised_radius(x, y)) * scale
        return distance


def draw_finger_shape(finger_seed: int, position: int, width: int, height: int) -> FingerShape:
    """The pad outline of one finger, centred on a canvas of the given size."""
    rng = random_stream(finger_seed, Stream.SILHOUETTE)
    if position in _THUMBS:
        low, high = _HALF_WIDTH["thumb"]
    elif position in _LITTLE_FINGERS:
        low, high = _HALF_WIDTH["little"]
    else:
        low, high = _HALF_WIDTH["other"]
    half_width = rng.uniform(low, high)
    return FingerShape(
        centre_x=width / 2 + rng.normal(0.0, 3.0),
        centre_y=height / 2 + rng.uniform(-6.0, 6.0),
        half_width=half_width,
        top_half_height=min(height / 2 - 16, half_width * rng.uniform(1.3, 1.45)),
        bottom_half_height=min(height / 2 - 16, half_width * rng.uniform(1.2, 1.4)),
        bottom_squareness=rng.uniform(2.6, 3.6),
    )
