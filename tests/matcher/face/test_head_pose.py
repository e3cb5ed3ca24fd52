"""Head pose from landmarks: the angle conventions and solvePnP against the reference face."""

from __future__ import annotations

import numpy as np
import pytest

from matcher.face.head_pose import angles_from_rotation, estimate_head_pose, rotation_from_angles
from matcher.face.landmarks import FaceLandmarks
from matcher.face.reference_face import reference_face
from tests.matcher.face.synthetic_faces import synthetic_face


@pytest.mark.parametrize("angles", [(0, 0, 0), (12, 0, 0), (0, -9, 0), (0, 0, 15), (-25, 8, -6)])
def test_angles_survive_a_round_trip_through_the_rotation_matrix(
    angles: tuple[float, float, float],
) -> None:
    rotation = rotation_from_angles(*angles)
    assert np.allclose(rotation @ rotation.T, np.eye(3))
    assert np.allclose(angles_from_rotation(rotation), angles, atol=1e-9)


@pytest.mark.parametrize(
    ("yaw", "pitch", "roll"),
    [(0, 0, 0), (4, -3, 2), (-20, 0, 0), (0, 15, 0), (0, 0, -10), (30, -10, 7)],
)
def test_the_pose_a_face_was_drawn_at_is_recovered(yaw: float, pitch: float, roll: float) -> None:
    pose = estimate_head_pose(synthetic_face(yaw=yaw, pitch=pitch, roll=roll))
    assert (pose.yaw, pose.pitch, pose.roll) == pytest.approx((yaw, pitch, roll), abs=0.2)


def test_turning_to_the_persons_left_moves_the_nose_right_in_the_image() -> None:
    def nose_offset(face: FaceLandmarks) -> float:
        return float(face.xy[1, 0] - face.xy[[468, 473], 0].mean())

    assert nose_offset(synthetic_face(yaw=15)) > nose_offset(synthetic_face()) + 5
    turned = synthetic_face(yaw=15)
    assert estimate_head_pose(turned).yaw > 10


def test_looking_up_raises_the_nose_tip_towards_the_eyes() -> None:
    def gap(face: FaceLandmarks) -> float:
        return float(face.xy[1, 1] - face.xy[[468, 473], 1].mean())

    assert gap(synthetic_face(pitch=15)) < gap(synthetic_face()) - 5
    assert estimate_head_pose(synthetic_face(pitch=15)).pitch > 10


def test_a_clockwise_tilt_in_the_image_is_a_positive_roll() -> None:
    face = synthetic_face(roll=10)
    right_eye, left_eye = face.xy[468], face.xy[473]
    assert left_eye[1] > right_eye[1]  # the person's left eye (image right) is lower
    assert estimate_head_pose(face).roll == pytest.approx(10, abs=0.2)


@pytest.mark.parametrize("inter_eye_px", [60, 100, 160])
def test_the_distance_to_the_camera_follows_the_face_size(inter_eye_px: float) -> None:
    pose = estimate_head_pose(synthetic_face(inter_eye_px=inter_eye_px))
    reference = dict(zip(reference_face().indices, reference_face().points_mm, strict=True))
    eye_depth = (reference[33][2] + reference[133][2]) / 2
    # 640 px focal length, 63 mm between the eye centres, which lie behind the nasion.
    assert pose.distance_mm == pytest.approx(640 * 63 / inter_eye_px - eye_depth, rel=0.03)


def test_the_reference_face_is_symmetric_and_adult_sized() -> None:
    reference = reference_face()
    points = dict(zip(reference.indices, reference.points_mm, strict=True))
    outer_corners = np.linalg.norm(points[263] - points[33])
    assert 80 < outer_corners < 100  # adult biocular width is about 90 mm
    assert np.allclose(points[263] * [-1, 1, 1], points[33])
    assert points[1][2] < points[168][2] < points[33][2]  # nose tip nearest, eye corners deepest
