"""Band-limited noise images: blotches of a chosen size for dry skin, wet skin, uneven pressure
and grease, made from a coarse random grid upsampled (far cheaper than filtering full noise)."""

from __future__ import annotations

import cv2
import numpy as np
from numpy.typing import NDArray


def blotches(rng: np.random.Generator, height: int, width: int, size: float) -> NDArray[np.float32]:
    """Zero-mean, unit-variance noise whose blotches are about `size` pixels across."""
    rows = max(2, int(np.ceil(height / size)) + 2)
    cols = max(2, int(np.ceil(width / size)) + 2)
    coarse = rng.standard_normal((rows, cols), dtype=np.float32)
    fine = cv2.resize(coarse, (width, height), interpolation=cv2.INTER_CUBIC)
    spread = float(np.std(fine)) + 1e-6
    return np.asarray((fine - float(np.mean(fine))) / spread, dtype=np.float32)
