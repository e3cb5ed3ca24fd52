"""Passive image cue for screens: colour moire.

A phone or tablet draws each pixel as red, green and blue stripes; a camera filming it samples
that pattern too coarsely and folds it into coloured bands (moire). Skin's fine detail is
almost all in brightness, its colour smooth, so in a live face the high-frequency energy of
the colour-difference (chroma) channels is a small fraction of that of the grey channel (0.2-
0.4 measured on the simulated booth camera, sensor noise included); a filmed screen pushes it
past 1.
"""

from __future__ import annotations

import math

import cv2
import numpy as np

from matcher.face import FaceLandmarks
from matcher.face.image_input import BgrImage

# Detail finer than this (Gaussian sigma in pixels) counts as high frequency.
_DETAIL_SIGMA_PX = 1.5


def colour_moire(image: BgrImage, face: FaceLandmarks) -> float:
    """High-frequency chroma RMS over high-frequency luma RMS inside the face outline."""
    hull = cv2.convexHull(face.xy[:468].astype(np.float32)).astype(np.int32)
    x, y, w, h = cv2.boundingRect(hull)
    height, width = image.shape[:2]
    x0, y0, x1, y1 = max(x, 0), max(y, 0), min(x + w, width), min(y + h, height)
    if x1 - x0 < 16 or y1 - y0 < 16:
        return math.nan
    crop = image[y0:y1, x0:x1]
    mask = np.zeros((y1 - y0, x1 - x0), np.uint8)
    cv2.fillConvexPoly(mask, hull - np.array([x0, y0], np.int32), (255,))
    inside = mask > 0
    ycc = cv2.cvtColor(crop, cv2.COLOR_BGR2YCrCb).astype(np.float32)
    detail = ycc - cv2.GaussianBlur(ycc, (0, 0), _DETAIL_SIGMA_PX)
    energy = np.mean(detail[inside] ** 2, axis=0)
    luma = float(energy[0])
    if luma <= 1e-6:
        return math.nan
    return math.sqrt(float(energy[1] + energy[2]) / 2.0 / luma)
