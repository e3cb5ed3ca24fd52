"""The heavily scarred finger: the same scars on every impression of a finger, across the
print's core, and nothing drawn on an empty platen."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from simulator.scanner.heavy_scars import heavily_scarred


def _print(shift: int = 0) -> NDArray[np.uint8]:
    """Straight ridges (period 9 px) in an oval on a light platen, like a sensor image."""
    height, width = 374, 388
    y, x = np.mgrid[0:height, 0:width]
    ridges = np.where(np.sin(2 * np.pi * (x + y * 0.3) / 9.0) > 0, 60, 215)
    oval = ((x - 194 - shift) / 130.0) ** 2 + ((y - 187) / 160.0) ** 2 < 1.0
    return np.where(oval, ridges, 228).astype(np.uint8)


def test_the_scars_belong_to_the_finger() -> None:
    image = _print()
    assert np.array_equal(heavily_scarred(image, 41), heavily_scarred(image, 41))
    assert not np.array_equal(heavily_scarred(image, 41), heavily_scarred(image, 42))


def test_scar_tissue_covers_the_core_and_leaves_the_platen_alone() -> None:
    image = _print()
    scarred = heavily_scarred(image, 7).astype(int)
    core = (slice(147, 227), slice(154, 234))
    changed = np.abs(scarred - image.astype(int)) > 40
    assert changed[core].mean() > 0.3
    assert np.abs(scarred[:, :20] - 228).max() < 30  # the platen far from the finger


def test_an_empty_platen_stays_empty() -> None:
    platen = np.full((374, 388), 228, np.uint8)
    assert np.array_equal(heavily_scarred(platen, 3), platen)
