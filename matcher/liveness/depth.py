"""Passive depth cue: does the face move like a 3D head or like a flat (or bowed) picture?

A plane seen from two directions maps onto itself by one homography; so does a sheet bowed
a few centimetres, to within a small error. A head turned 20 degrees does not: the nose tip,
27 mm in front of the eyes, shifts against the cheeks and eye corners by about a sixth of the
eye distance. The homography is fitted by least squares over FaceMesh's rigid points, and its
RMS residual is expressed in inter-eye distances so it does not depend on the face's size.
"""

from __future__ import annotations

import math

import cv2
import numpy as np

from matcher.face import FaceLandmarks
from matcher.face.reference_face import RIGID_POINTS

_RIGID = list(RIGID_POINTS)


def planar_residual(frontal: FaceLandmarks, turned: FaceLandmarks) -> float:
    """RMS distance (per inter-eye distance of the frontal face) left after mapping the rigid
    points of `frontal` onto `turned` with the best single homography; NaN if none fits."""
    source = np.ascontiguousarray(frontal.xy[_RIGID], np.float64)
    target = np.ascontiguousarray(turned.xy[_RIGID], np.float64)
    scale = frontal.inter_eye_distance
    if scale <= 0:
        return math.nan
    found: object = cv2.findHomography(source, target, 0)[0]
    if not isinstance(found, np.ndarray):  # None for degenerate points (all on a line)
        return math.nan
    mapped = cv2.perspectiveTransform(source.reshape(-1, 1, 2), found).reshape(-1, 2)
    rms = float(np.sqrt(np.mean(np.sum((mapped - target) ** 2, axis=1))))
    return rms / scale
