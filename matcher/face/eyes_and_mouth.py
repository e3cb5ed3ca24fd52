"""Eye aspect ratio and mouth opening from FaceMesh points: what blink, smile and the portrait's
eyes-open / mouth-closed checks rest on. Ratios of distances, so independent of face size."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from matcher.face import mesh_points as mp_points
from matcher.face.landmarks import FaceLandmarks, Points


@dataclass(frozen=True)
class EyesAndMouth:
    right_eye_aspect_ratio: float
    left_eye_aspect_ratio: float
    mouth_opening: float  # lip gap / mouth width
    mouth_width: float  # mouth width / distance between the eye centres; grows with a smile

    @property
    def eye_aspect_ratio(self) -> float:
        """Mean of both eyes, for blink detection; eyes-open checks want both, so take the min."""
        return (self.right_eye_aspect_ratio + self.left_eye_aspect_ratio) / 2


def _distance(points: Points, a: int, b: int) -> float:
    return float(np.linalg.norm(points[a] - points[b]))


def eye_aspect_ratio(points: Points, eye: tuple[int, int, int, int, int, int]) -> float:
    """(|p2-p6| + |p3-p5|) / (2 |p1-p4|) over the six eye points (Soukupova and Cech 2016):
    about 0.25-0.35 for an open eye, under 0.1 when it is shut."""
    p1, p2, p3, p4, p5, p6 = eye
    width = _distance(points, p1, p4)
    if width == 0.0:
        return 0.0
    return (_distance(points, p2, p6) + _distance(points, p3, p5)) / (2.0 * width)


def measure_eyes_and_mouth(face: FaceLandmarks) -> EyesAndMouth:
    xy = face.xy
    mouth_width = _distance(xy, mp_points.MOUTH_RIGHT_CORNER, mp_points.MOUTH_LEFT_CORNER)
    gap = _distance(xy, mp_points.UPPER_LIP_INNER, mp_points.LOWER_LIP_INNER)
    eyes = face.inter_eye_distance
    return EyesAndMouth(
        right_eye_aspect_ratio=eye_aspect_ratio(xy, mp_points.RIGHT_EYE_EAR),
        left_eye_aspect_ratio=eye_aspect_ratio(xy, mp_points.LEFT_EYE_EAR),
        mouth_opening=gap / mouth_width if mouth_width else 0.0,
        mouth_width=mouth_width / eyes if eyes else 0.0,
    )
