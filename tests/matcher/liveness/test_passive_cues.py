"""The passive cues on geometry and pixels made to order: a 3D head turned leaves residuals no
homography explains, a flat or bowed picture does not; a screen's subpixel stripes show as
colour moire, skin does not."""

from __future__ import annotations

import cv2
import numpy as np
import numpy.typing as npt
import pytest

from matcher.face import FaceLandmarks
from matcher.face.head_pose import rotation_from_angles
from matcher.face.reference_face import reference_face
from matcher.liveness import LivenessSettings
from matcher.liveness.depth import planar_residual
from matcher.liveness.screen_moire import colour_moire

SETTINGS = LivenessSettings()
FOCAL, DISTANCE = 640.0, 450.0


def _landmarks(points_mm: npt.NDArray[np.float64], yaw: float) -> FaceLandmarks:
    """FaceMesh-like landmarks of the reference face's rigid points seen by a pinhole camera."""
    indices = list(reference_face().indices)
    camera = points_mm @ rotation_from_angles(yaw, 0.0, 0.0).T + [0.0, 0.0, DISTANCE]
    xy = FOCAL * camera[:, :2] / camera[:, 2:3] + [320.0, 240.0]
    points = np.zeros((478, 3))
    points[indices, :2] = xy
    where = dict(zip(indices, xy, strict=True))
    points[468, :2] = (where[33] + where[133]) / 2  # iris centres between the eye corners
    points[473, :2] = (where[263] + where[362]) / 2
    return FaceLandmarks(points, (640, 480))


def _head() -> npt.NDArray[np.float64]:
    return reference_face().points_mm.copy()


@pytest.mark.parametrize("yaw", [20.0, 30.0, -25.0])
def test_a_turned_head_leaves_residuals_a_homography_cannot_explain(yaw: float) -> None:
    residual = planar_residual(_landmarks(_head(), 0.0), _landmarks(_head(), yaw))
    assert residual > SETTINGS.min_depth_residual


@pytest.mark.parametrize("yaw", [20.0, 35.0])
def test_a_flat_picture_turned_is_one_homography(yaw: float) -> None:
    flat = _head()
    flat[:, 2] = 0.0
    assert planar_residual(_landmarks(flat, 0.0), _landmarks(flat, yaw)) < 0.002


def test_a_bowed_print_stays_under_the_threshold() -> None:
    # A 190 mm print bowed 28 mm at its middle: the face on it keeps a gentle curve.
    bowed = _head()
    bowed[:, 2] = -28.0 * (1.0 - (bowed[:, 0] / 95.0) ** 2)
    residual = planar_residual(_landmarks(bowed, 0.0), _landmarks(bowed, 30.0))
    assert residual < SETTINGS.min_depth_residual / 2


def _face_patch(stripes: bool) -> tuple[npt.NDArray[np.uint8], FaceLandmarks]:
    rng = np.random.default_rng(3)
    grey = cv2.GaussianBlur(rng.normal(0, 20, (480, 640)).astype(np.float32), (0, 0), 0.8)
    skin = np.array([120.0, 150.0, 200.0], np.float32)  # BGR
    image = skin * (1.0 + grey[..., None] / 150.0)  # texture in brightness, not in colour
    if stripes:
        # Subpixel stripes aliased to a 3-pixel colour cycle, as a filmed screen shows them.
        columns = np.arange(640) % 3
        for channel in range(3):
            image[:, columns == channel, channel] *= 1.35
    image += rng.normal(0, 2.0, image.shape)  # sensor noise in every channel
    points = np.zeros((478, 3))
    angles = np.linspace(0, 2 * np.pi, 478, endpoint=False)
    points[:, 0] = 320 + 90 * np.cos(angles)
    points[:, 1] = 240 + 120 * np.sin(angles)
    return np.clip(image, 0, 255).astype(np.uint8), FaceLandmarks(points, (640, 480))


def test_skin_detail_is_mostly_brightness() -> None:
    image, face = _face_patch(stripes=False)
    assert colour_moire(image, face) < 0.5


def test_a_filmed_screen_shows_colour_moire() -> None:
    image, face = _face_patch(stripes=True)
    assert colour_moire(image, face) > SETTINGS.max_colour_moire
