"""Scars on a finger (people the population marks with `scarred_fingers`): pale bands, a few
ridges wide, where the skin healed without ridges. They belong to the finger, so every
impression of it shows the same ones."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
from numpy.typing import NDArray

from simulator.fingerprint.finger_shape import FingerShape
from simulator.fingerprint.seeding import Stream, random_stream

# Samples along each scar's curve; enough for circles of the smallest width to overlap.
_SAMPLES = 64


@dataclass(frozen=True)
class Scar:
    """A scar as points along its middle line and the half-width there (master pixels)."""

    x: NDArray[np.float64]
    y: NDArray[np.float64]
    half_width: NDArray[np.float64]


def draw_scars(finger_seed: int, shape: FingerShape) -> tuple[Scar, ...]:
    """One to three scars: gently curved cuts 4-20 mm long across the pad."""
    rng = random_stream(finger_seed, Stream.SCARS)
    count = int(rng.choice([1, 1, 1, 2, 2, 3]))
    scars = []
    for _ in range(count):
        middle_x = shape.centre_x + rng.uniform(-0.55, 0.55) * shape.half_width
        middle_y = shape.centre_y + rng.uniform(-0.6, 0.6) * shape.top_half_height
        length = rng.uniform(80.0, 300.0)
        heading = rng.uniform(0.0, np.pi)
        bow = rng.normal(0.0, 0.15) * length
        t = np.linspace(-0.5, 0.5, _SAMPLES)
        along_x, along_y = np.cos(heading), np.sin(heading)
        # A quadratic bow sideways to the cut's direction.
        side = bow * (1.0 - 4.0 * t * t)
        x = middle_x + length * t * along_x - side * along_y
        y = middle_y + length * t * along_y + side * along_x
        widest = rng.uniform(3.0, 9.0)
        taper = np.sqrt(np.clip(1.0 - (2.0 * t) ** 2, 0.05, 1.0))
        wobble = 1.0 + 0.25 * np.sin(rng.uniform(4.0, 10.0) * t + rng.uniform(0, 2 * np.pi))
        scars.append(Scar(x=x, y=y, half_width=widest * taper * wobble))
    return tuple(scars)


def scar_cover(scars: tuple[Scar, ...], width: int, height: int) -> NDArray[np.float32]:
    """How much each master pixel is scar tissue: 1 inside a scar, 0 outside, soft edges."""
    mask = np.zeros((height, width), np.uint8)
    for scar in scars:
        for x, y, half in zip(scar.x, scar.y, scar.half_width, strict=True):
            cv2.circle(mask, (round(x), round(y)), max(1, round(half)), (255,), -1, cv2.LINE_AA)
    soft = cv2.GaussianBlur(mask.astype(np.float32) / 255.0, (0, 0), 1.2)
    return np.asarray(soft, dtype=np.float32)
