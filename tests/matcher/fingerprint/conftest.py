"""Shared fixtures: the FVC sample sets beside the repository (skipped when absent)."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest
from numpy.typing import NDArray

FVC_DIR = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "fvc"


@pytest.fixture(scope="session")
def fvc_dir() -> Path:
    if not FVC_DIR.is_dir():
        pytest.skip(f"FVC sample data not found at {FVC_DIR} (../shared/data/fvc)")
    return FVC_DIR


def load_image(fvc_dir: Path, fvc_set: str, finger: int, impression: int) -> NDArray[np.uint8]:
    """Impression `impression` (1-8) of finger `finger` (101-110) of a set such as fvc2002/DB1_B."""
    path = fvc_dir / fvc_set / f"{finger}_{impression}.png"
    image = cv2.imread(str(path), cv2.IMREAD_GRAYSCALE)
    assert image is not None, f"cannot read {path}"
    return np.asarray(image, dtype=np.uint8)
