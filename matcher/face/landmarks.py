"""Face landmarks from MediaPipe FaceMesh with iris refinement: 478 points per face, in pixels.

Still mode runs the face detector on every image (card portraits, reference photos); video mode
tracks faces from frame to frame and runs the detector only when a face is lost.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from types import TracebackType
from typing import Any

import cv2
import mediapipe as mp
import numpy as np
import numpy.typing as npt

from matcher.face import mesh_points as mp_points
from matcher.face.image_input import BgrImage, as_bgr_image

Points = npt.NDArray[np.float64]


class LandmarkMode(Enum):
    STILL = "still"
    VIDEO = "video"


@dataclass(frozen=True)
class FaceLandmarks:
    """One face: `points` is (478, 3): x and y in pixels, z (depth, nearer is smaller) in the
    same pixel scale as x, as FaceMesh gives it. `image_size` is (width, height)."""

    points: Points
    image_size: tuple[int, int]

    def __post_init__(self) -> None:
        if self.points.ndim != 2 or self.points.shape[0] != mp_points.POINTS_WITH_IRIS:
            raise ValueError(f"expected ({mp_points.POINTS_WITH_IRIS}, 2|3) points")

    @property
    def xy(self) -> Points:
        return self.points[:, :2]

    @property
    def right_eye_center(self) -> Points:
        center: Points = self.xy[mp_points.RIGHT_IRIS_CENTER]
        return center

    @property
    def left_eye_center(self) -> Points:
        center: Points = self.xy[mp_points.LEFT_IRIS_CENTER]
        return center

    @property
    def inter_eye_distance(self) -> float:
        """Distance between the eye (iris) centres in pixels, as ISO/IEC 19794-5 measures it."""
        return float(np.linalg.norm(self.left_eye_center - self.right_eye_center))

    @property
    def box(self) -> tuple[float, float, float, float]:
        """(left, top, right, bottom) of the face outline in pixels; may reach past the image."""
        oval = self.xy[list(mp_points.FACE_OVAL)]
        left, top = oval.min(axis=0)
        right, bottom = oval.max(axis=0)
        return float(left), float(top), float(right), float(bottom)

    @property
    def center(self) -> tuple[float, float]:
        left, top, right, bottom = self.box
        return (left + right) / 2, (top + bottom) / 2


class FaceLandmarker:
    """FaceMesh with iris refinement; one instance per thread (MediaPipe graphs are not shared).

    `max_faces` is 2 by default so that "exactly one face" can be told from "two or more".
    """

    def __init__(
        self,
        mode: LandmarkMode = LandmarkMode.STILL,
        *,
        max_faces: int = 2,
        min_detection_confidence: float = 0.5,
        min_tracking_confidence: float = 0.5,
    ) -> None:
        self.mode = mode
        self.max_faces = max_faces
        self._mesh: Any = mp.solutions.face_mesh.FaceMesh(
            static_image_mode=mode is LandmarkMode.STILL,
            max_num_faces=max_faces,
            refine_landmarks=True,
            min_detection_confidence=min_detection_confidence,
            min_tracking_confidence=min_tracking_confidence,
        )

    def detect(self, image: BgrImage) -> list[FaceLandmarks]:
        """Every face found (at most `max_faces`), largest first."""
        bgr = as_bgr_image(image)
        height, width = bgr.shape[:2]
        result = self._mesh.process(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB))
        faces = [
            FaceLandmarks(
                points=np.array(
                    [(p.x * width, p.y * height, p.z * width) for p in found.landmark],
                    dtype=np.float64,
                ),
                image_size=(width, height),
            )
            for found in result.multi_face_landmarks or ()
        ]
        return sorted(faces, key=lambda face: -face.inter_eye_distance)

    def close(self) -> None:
        self._mesh.close()

    def __enter__(self) -> FaceLandmarker:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
