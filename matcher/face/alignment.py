"""Five FaceMesh points to the 150x150 chip dlib's ResNet was trained on (dlib.get_face_chip).

dlib's five-point order, "left" and "right" being the person's own: 0 left eye outer corner,
1 left eye inner corner, 2 right eye outer corner, 3 right eye inner corner, 4 base of the nose.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import dlib
import numpy as np
import numpy.typing as npt

from matcher.face.image_input import BgrImage
from matcher.face.landmarks import FaceLandmarks, Points

RgbChip = npt.NDArray[np.uint8]

CHIP_SIZE = 150  # what dlib_face_recognition_resnet_model_v1 takes
CHIP_PADDING = 0.25  # dlib's compute_face_descriptor default
_SUBPIXEL = 1024


@dataclass(frozen=True)
class FivePointScheme:
    """Which FaceMesh points stand for each of dlib's five; a group's points are averaged."""

    name: str
    groups: tuple[tuple[int, ...], ...]


# The plain choice: the mesh's eye corners and the point under the nose.
MESH_CORNERS = FivePointScheme(
    "mediapipe-corners", ((263,), (362,), (33,), (133,), (2,))
)  # fmt: skip
# Groups chosen to sit where dlib's own 5-point predictor puts its points (measured on LFW):
# the plain corners lie 1-2% of the eye width outside dlib's, which shrinks the chip.
DLIB_MATCHED = FivePointScheme(
    "mediapipe-dlib-matched",
    ((263, 466, 249), (362, 382, 398), (33, 246, 7), (133, 155, 173), (2, 94, 164)),
)


def five_points(face: FaceLandmarks, scheme: FivePointScheme = DLIB_MATCHED) -> Points:
    """(5, 2) pixel positions in dlib's order."""
    return np.array([face.xy[list(group)].mean(axis=0) for group in scheme.groups])


def face_chip(image: BgrImage, points: Points) -> RgbChip:
    """The aligned RGB chip: a similarity transform of the five points onto dlib's template.

    dlib takes integer points; a face 40 px between the eyes would lose 1% of that to rounding,
    so the transform is found for the points scaled by `_SUBPIXEL` and scaled back. For integer
    points the chip is identical to dlib.get_face_chip's.
    """
    scaled = [
        dlib.point(round(float(x) * _SUBPIXEL), round(float(y) * _SUBPIXEL)) for x, y in points
    ]
    # The rectangle is required by the type; get_face_chip_details reads only the parts.
    shape = dlib.full_object_detection(dlib.rectangle(0, 0, 1, 1), scaled)
    details = dlib.get_face_chip_details(shape, size=CHIP_SIZE, padding=CHIP_PADDING)
    rect = details.rect
    # dlib rectangles include their last pixel (width = right - left + 1): keep the centre,
    # scale the width.
    center_x = (rect.left() + rect.right()) / (2 * _SUBPIXEL)
    center_y = (rect.top() + rect.bottom()) / (2 * _SUBPIXEL)
    half_width = ((rect.right() - rect.left() + 1) / _SUBPIXEL - 1) / 2
    half_height = ((rect.bottom() - rect.top() + 1) / _SUBPIXEL - 1) / 2
    unscaled = dlib.drectangle(
        center_x - half_width, center_y - half_height, center_x + half_width, center_y + half_height
    )
    rgb = cv2.cvtColor(image, cv2.COLOR_BGR2RGB)
    chip: RgbChip = dlib.extract_image_chip(
        rgb, dlib.chip_details(unscaled, dlib.chip_dims(CHIP_SIZE, CHIP_SIZE), details.angle)
    )
    return chip
