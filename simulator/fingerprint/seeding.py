"""Independent random streams per purpose, all derived from one seed: drawing more numbers for
one purpose (say, smudges) never changes what another (say, rotation) gets."""

from __future__ import annotations

from enum import IntEnum

import numpy as np


class Stream(IntEnum):
    """What a random stream is for. Values are part of the seed: never renumber them."""

    PATTERN_CLASS = 1
    SINGULARITIES = 2
    ORIENTATION = 3
    RIDGE_PERIOD = 4
    SILHOUETTE = 5
    RIDGE_NOISE = 6
    SCARS = 7
    SKIN_WEAR = 8
    CONDITIONS = 20
    CONTACT = 21
    SKIN = 22
    SENSOR = 23
    SMUDGES = 24
    DISTORTION = 25


def random_stream(seed: int, stream: Stream) -> np.random.Generator:
    """The generator for one purpose of one seed (PCG64: the same numbers on every platform)."""
    if seed < 0:
        raise ValueError(f"seeds are non-negative integers, got {seed}")
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, int(stream)])))
