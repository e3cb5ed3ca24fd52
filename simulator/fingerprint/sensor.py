"""From ink to an 8-bit grey image as an optical sensor sees it: a light background, dark
ridges, smudges on the platen, blur and noise."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
from numpy.typing import NDArray

from simulator.fingerprint.conditions import ImpressionConditions
from simulator.fingerprint.texture import blotches


@dataclass(frozen=True)
class ImageFormat:
    """An impression's size and resolution."""

    name: str
    width: int
    height: int
    resolution_dpi: int = 500


# FVC2002 DB1 ("optical sensor TouchView II by Identix"): 388 x 374 pixels at 500 dpi. Its B
# set is one of the two the difficulty is calibrated against.
FVC2002_DB1 = ImageFormat("FVC2002 DB1", 388, 374)
# FVC2002 DB2 ("optical sensor FX2000 by Biometrika"): 296 x 560 pixels at 569 dpi, here at 500.
FVC2002_DB2 = ImageFormat("FVC2002 DB2", 296, 560)


def smear(ink: NDArray[np.float32], smudges: int, rng: np.random.Generator) -> NDArray[np.float32]:
    """Grease (dark haze over ridges and valleys alike) and clean or dusty patches (ridges
    missing) on the platen, each a soft blob 20-70 px across."""
    if smudges == 0:
        return ink
    height, width = ink.shape
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
    smeared = ink.copy()
    grain = np.clip(blotches(rng, height, width, 4.0) * 0.3 + 0.7, 0.0, 1.0)
    for _ in range(smudges):
        centre_x = rng.uniform(0.2, 0.8) * width
        centre_y = rng.uniform(0.2, 0.8) * height
        radius_x, radius_y = rng.uniform(10.0, 35.0, 2)
        blob = np.exp(-(((xs - centre_x) / radius_x) ** 2 + ((ys - centre_y) / radius_y) ** 2))
        if rng.random() < 0.5:
            smeared = smeared + (1.0 - smeared) * 0.65 * blob * grain
        else:
            smeared = smeared * (1.0 - 0.9 * blob)
    return np.asarray(smeared, dtype=np.float32)


def expose(
    ink: NDArray[np.float32], conditions: ImpressionConditions, rng: np.random.Generator
) -> NDArray[np.uint8]:
    """The grey image: ridges dark on a light background, blurred, with sensor noise."""
    height, width = ink.shape
    background = rng.uniform(225.0, 250.0)
    # Light falls off a little towards one side of the platen.
    tilt = rng.normal(0.0, 8.0, 2)
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
    shading = tilt[0] * (xs / width - 0.5) + tilt[1] * (ys / height - 0.5)
    # A light touch prints faint: ridges barely darker than the background.
    ridge_level = 25.0 + 110.0 * (1.0 - conditions.pressure) ** 2 + rng.uniform(-10.0, 10.0)
    grey = background + shading - (background - ridge_level) * ink
    if conditions.blur > 0:
        grey = cv2.GaussianBlur(grey, (0, 0), conditions.blur)
    grey = grey + conditions.noise * rng.standard_normal(grey.shape, dtype=np.float32)
    return np.asarray(np.clip(np.rint(grey), 0, 255), dtype=np.uint8)
