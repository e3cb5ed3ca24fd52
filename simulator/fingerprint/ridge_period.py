"""The ridge period map of a master: about 9-10 px at 500 dpi (0.45-0.5 mm between ridges),
varying smoothly, a little wider above the core and towards the tip as in real fingers."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from simulator.fingerprint.seeding import Stream, random_stream
from simulator.fingerprint.smooth_field import SmoothField

# The filter bank covers these periods; the map never leaves them.
SHORTEST_PERIOD = 8.0
LONGEST_PERIOD = 11.0
_MEAN_PERIOD = 9.4
_PERIOD_SPREAD = 0.35
_LOCAL_VARIATION = 0.035
_ABOVE_CORE_WIDENING = 0.06


@dataclass(frozen=True)
class RidgePeriodModel:
    """Ridge period in pixels at any point of the master."""

    base: float
    variation: SmoothField
    core_y: float

    def period_at(self, x: NDArray[np.float64], y: NDArray[np.float64]) -> NDArray[np.float64]:
        above_core = np.clip((self.core_y - y) / 150.0, 0.0, 1.0)
        period = self.base * (
            1.0 + _LOCAL_VARIATION * self.variation.at(x, y) + _ABOVE_CORE_WIDENING * above_core
        )
        result: NDArray[np.float64] = np.clip(period, SHORTEST_PERIOD, LONGEST_PERIOD)
        return result


def draw_ridge_period(finger_seed: int, core_y: float) -> RidgePeriodModel:
    rng = random_stream(finger_seed, Stream.RIDGE_PERIOD)
    base = float(np.clip(rng.normal(_MEAN_PERIOD, _PERIOD_SPREAD), 8.6, 10.4))
    return RidgePeriodModel(base=base, variation=SmoothField.draw(rng, 150.0, 400.0), core_y=core_y)
