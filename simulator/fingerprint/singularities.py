"""Where a pattern class puts its cores and deltas on the pad (SFinGe's first step)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulator.fingerprint.finger_shape import FingerShape
from simulator.fingerprint.pattern_class import PatternClass
from simulator.fingerprint.seeding import Stream, random_stream

Point = tuple[float, float]


@dataclass(frozen=True)
class Singularities:
    """Cores and deltas in master pixels (x right, y down). An arch has none; `arch_centre` is
    then the point its ridges rise highest above."""

    cores: tuple[Point, ...]
    deltas: tuple[Point, ...]
    arch_centre: Point


def place_singularities(
    finger_seed: int, pattern: PatternClass, shape: FingerShape
) -> Singularities:
    """Cores and deltas of one finger. Distances follow typical prints at 500 dpi: a loop's
    delta is 10-15 ridges (about 100-150 px) below and beside its core."""
    rng = random_stream(finger_seed, Stream.SINGULARITIES)
    centre = (
        shape.centre_x + rng.normal(0.0, 0.06 * shape.half_width),
        shape.centre_y + rng.uniform(-0.2, 0.05) * shape.top_half_height,
    )
    if pattern is PatternClass.ARCH:
        return Singularities((), (), centre)
    if pattern is PatternClass.TENTED_ARCH:
        delta = (centre[0] + rng.normal(0.0, 5.0), centre[1] + rng.uniform(45.0, 75.0))
        return Singularities((centre,), (delta,), centre)
    if pattern in (PatternClass.LEFT_LOOP, PatternClass.RIGHT_LOOP):
        # A loop opens away from its delta: a right loop's ridges enter and leave on the right,
        # so its delta sits to the left.
        side = -1.0 if pattern is PatternClass.RIGHT_LOOP else 1.0
        delta = (
            centre[0] + side * rng.uniform(65.0, 105.0),
            centre[1] + rng.uniform(75.0, 125.0),
        )
        return Singularities((centre,), (delta,), centre)
    # Whorl: two cores a few ridges apart (a round whorl when close, a double loop when far).
    spread = rng.uniform(6.0, 24.0)
    turn = rng.uniform(0.0, np.pi)
    offset = (spread * np.cos(turn), spread * np.sin(turn))
    cores = (
        (centre[0] + offset[0], centre[1] + offset[1]),
        (centre[0] - offset[0], centre[1] - offset[1]),
    )
    drop = rng.uniform(80.0, 125.0, 2)
    reach = rng.uniform(80.0, 115.0, 2)
    deltas = (
        (centre[0] - reach[0], centre[1] + drop[0]),
        (centre[0] + reach[1], centre[1] + drop[1]),
    )
    return Singularities(cores, deltas, centre)
