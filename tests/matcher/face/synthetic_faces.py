"""Landmarks of a made-up face at a chosen pose and expression, projected with the same camera
model the matcher assumes: pure numpy, no photograph, so every quality flag can be set at will."""

from __future__ import annotations

import math

import cv2
import numpy as np
import numpy.typing as npt

from matcher.face import mesh_points as mp_points
from matcher.face.head_pose import camera_matrix, rotation_from_angles
from matcher.face.landmarks import FaceLandmarks
from matcher.face.reference_face import reference_face

EYE_CENTRES_MM = 63.0  # the reference face's scale


def _face_points_mm(eye_opening: float, mouth_opening: float) -> dict[int, npt.NDArray[np.float64]]:
    reference = reference_face()
    points = {i: p.copy() for i, p in zip(reference.indices, reference.points_mm, strict=True)}
    for eye in (mp_points.RIGHT_EYE_EAR, mp_points.LEFT_EYE_EAR):
        outer, upper_outer, upper_inner, inner, lower_inner, lower_outer = eye
        a, b = points[outer], points[inner]
        half_height = eye_opening * float(np.linalg.norm(b - a)) / 2
        for upper, lower, share in (
            (upper_outer, lower_outer, 1 / 3),
            (upper_inner, lower_inner, 2 / 3),
        ):
            on_line = a + (b - a) * share
            points[upper] = on_line - np.array([0.0, half_height, 0.0])
            points[lower] = on_line + np.array([0.0, half_height, 0.0])
    points[mp_points.RIGHT_IRIS_CENTER] = (points[33] + points[133]) / 2
    points[mp_points.LEFT_IRIS_CENTER] = (points[263] + points[362]) / 2
    points[mp_points.MOUTH_RIGHT_CORNER] = np.array([-25.0, 72.0, 2.0])
    points[mp_points.MOUTH_LEFT_CORNER] = np.array([25.0, 72.0, 2.0])
    gap = mouth_opening * 50.0
    points[mp_points.UPPER_LIP_INNER] = np.array([0.0, 72.0 - gap / 2, -6.0])
    points[mp_points.LOWER_LIP_INNER] = np.array([0.0, 72.0 + gap / 2, -6.0])
    oval = [i for i in mp_points.FACE_OVAL if i not in points]
    for k, index in enumerate(oval):
        angle = 2 * math.pi * k / len(oval)
        points[index] = np.array([75 * math.cos(angle), 35 + 95 * math.sin(angle), 45.0])
    return points


def synthetic_face(
    *,
    yaw: float = 0.0,
    pitch: float = 0.0,
    roll: float = 0.0,
    eye_opening: float = 0.3,
    mouth_opening: float = 0.0,
    inter_eye_px: float = 100.0,
    center: tuple[float, float] = (320.0, 170.0),
    image_size: tuple[int, int] = (640, 480),
) -> FaceLandmarks:
    """A face whose eye aspect ratio is `eye_opening` and lip gap / mouth width
    `mouth_opening`, its nasion at `center`, its eye centres `inter_eye_px` apart when frontal."""
    intrinsics = camera_matrix(image_size)
    focal = intrinsics[0, 0]
    points_mm = _face_points_mm(eye_opening, mouth_opening)
    # The eye centres lie behind the nasion; place the face so they project `inter_eye_px` apart.
    distance = focal * EYE_CENTRES_MM / inter_eye_px - points_mm[mp_points.LEFT_IRIS_CENTER][2]
    offset = (np.array(center) - intrinsics[:2, 2]) * distance / focal
    rotation = rotation_from_angles(yaw, pitch, roll)
    points = np.zeros((mp_points.POINTS_WITH_IRIS, 3))
    for index, point in points_mm.items():
        camera = rotation @ point + [offset[0], offset[1], distance]
        points[index, :2] = camera[:2] / camera[2] * focal + intrinsics[:2, 2]
        points[index, 2] = camera[2] - distance
    return FaceLandmarks(points=points, image_size=image_size)


def textured_face_image(
    face: FaceLandmarks, *, seed: int, brightness: float = 130.0, spread: float = 40.0
) -> npt.NDArray[np.uint8]:
    """A grey background with the face outline filled by seeded texture of natural spectrum."""
    width, height = face.image_size
    texture = brightness + spread * natural_texture((height, width), seed)
    image = np.full((height, width), 90.0)
    mask = np.zeros((height, width), np.uint8)
    hull = cv2.convexHull(np.round(face.xy[list(mp_points.FACE_OVAL)]).astype(np.int32))
    cv2.fillConvexPoly(mask, hull, (1,))
    image[mask.astype(bool)] = texture[mask.astype(bool)]
    grey = np.clip(image, 0, 255).astype(np.uint8)
    image_bgr: npt.NDArray[np.uint8] = np.repeat(grey[:, :, None], 3, axis=2)
    return image_bgr


def natural_texture(shape: tuple[int, int], seed: int) -> npt.NDArray[np.float64]:
    """Zero-mean, unit-spread noise with the 1/f amplitude spectrum of natural images (and of
    faces): blur lowers its Laplacian much as it does a photograph's; white noise would not."""
    rng = np.random.default_rng(seed)
    spectrum = np.fft.fft2(rng.normal(size=shape))
    fy = np.fft.fftfreq(shape[0])[:, None]
    fx = np.fft.fftfreq(shape[1])[None, :]
    frequency = np.hypot(fx, fy)
    frequency[0, 0] = 1.0
    field = np.real(np.fft.ifft2(spectrum / frequency))
    normalised: npt.NDArray[np.float64] = (field - field.mean()) / field.std()
    return normalised
