"""Head pose (yaw, pitch, roll in degrees) by cv2.solvePnP of FaceMesh points against the
reference face, with a pinhole camera whose focal length defaults to the image width.

Signs, as the person would say them: yaw > 0 turned to their left (the nose moves right in an
unmirrored image), pitch > 0 looking up, roll > 0 head tilted towards their left shoulder
(clockwise in the image).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np
import numpy.typing as npt

from matcher.face.landmarks import FaceLandmarks
from matcher.face.reference_face import reference_face

Matrix = npt.NDArray[np.float64]


@dataclass(frozen=True)
class HeadPose:
    yaw: float
    pitch: float
    roll: float
    distance_mm: float  # from the camera to the nasion, for a face of mean adult size


def camera_matrix(image_size: tuple[int, int], focal_length_px: float | None = None) -> Matrix:
    """Pinhole intrinsics; without a calibration the focal length is one image width (a 53
    degree horizontal field of view, typical of webcams). Off by 2x, it moves the angles of a
    face away from the image centre by up to ~3 degrees; pass the real one when known."""
    width, height = image_size
    focal = float(width) if focal_length_px is None else focal_length_px
    return np.array([[focal, 0.0, width / 2], [0.0, focal, height / 2], [0.0, 0.0, 1.0]])


def rotation_from_angles(yaw: float, pitch: float, roll: float) -> Matrix:
    """The rotation taking the reference face to a head at these angles (degrees), in the
    camera frame (x right, y down, z forward): roll about the nose axis first, then pitch,
    then yaw about the vertical."""
    a, b, c = (math.radians(v) for v in (-yaw, -pitch, roll))
    turn = np.array([[math.cos(a), 0, math.sin(a)], [0, 1, 0], [-math.sin(a), 0, math.cos(a)]])
    nod = np.array([[1, 0, 0], [0, math.cos(b), -math.sin(b)], [0, math.sin(b), math.cos(b)]])
    tilt = np.array([[math.cos(c), -math.sin(c), 0], [math.sin(c), math.cos(c), 0], [0, 0, 1]])
    rotation: Matrix = turn @ nod @ tilt
    return rotation


def angles_from_rotation(rotation: Matrix) -> tuple[float, float, float]:
    """Inverse of `rotation_from_angles`: (yaw, pitch, roll) in degrees."""
    yaw = -math.degrees(math.atan2(rotation[0, 2], rotation[2, 2]))
    pitch = math.degrees(math.asin(float(np.clip(rotation[1, 2], -1.0, 1.0))))
    roll = math.degrees(math.atan2(rotation[1, 0], rotation[1, 1]))
    return yaw, pitch, roll


def estimate_head_pose(face: FaceLandmarks, focal_length_px: float | None = None) -> HeadPose:
    reference = reference_face()
    image_points = np.ascontiguousarray(face.xy[list(reference.indices)], dtype=np.float64)
    intrinsics = camera_matrix(face.image_size, focal_length_px)
    # SQPnP finds the global minimum without an initial guess; the iterative solver can fall
    # into the mirror solution on a near-planar point set.
    found, rvec, tvec = cv2.solvePnP(
        reference.points_mm, image_points, intrinsics, np.zeros(4), flags=cv2.SOLVEPNP_SQPNP
    )
    if not found:  # SQPnP fails only on degenerate input (all points on a line)
        return HeadPose(yaw=math.nan, pitch=math.nan, roll=math.nan, distance_mm=math.nan)
    rotation = np.asarray(cv2.Rodrigues(rvec)[0], dtype=np.float64)
    yaw, pitch, roll = angles_from_rotation(rotation)
    return HeadPose(yaw=yaw, pitch=pitch, roll=roll, distance_mm=float(tvec[2, 0]))
