"""Independent random streams per purpose, all derived from one seed: drawing more numbers for
one purpose (say, moles) never changes what another (say, the nose) gets."""

from __future__ import annotations

from enum import IntEnum

import numpy as np


class Stream(IntEnum):
    """What a random stream is for. Values are part of the seed: never renumber them."""

    SHAPE = 1
    SHAPE_BUMPS = 2
    SKIN = 3
    SKIN_TEXTURE = 4
    HAIR = 5
    FACIAL_HAIR = 6
    EYES = 7
    GLASSES = 8
    HEADWEAR = 9
    CLOTHING = 10
    MARKS = 11
    MAKEUP = 12
    FEATURES = 13  # lid crease, folds: traits added after the first model
    BEHAVIOUR = 20
    BLINKS = 21
    HEAD_MOTION = 22
    PROMPTS = 23
    CAMERA_NOISE = 30
    ATTACK = 40


def random_stream(seed: int, stream: Stream, *extra: int) -> np.random.Generator:
    """The generator for one purpose of one seed (PCG64: the same numbers on every platform);
    `extra` numbers pick sub-streams, e.g. a frame number."""
    if seed < 0:
        raise ValueError(f"seeds are non-negative integers, got {seed}")
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, int(stream), *extra])))
