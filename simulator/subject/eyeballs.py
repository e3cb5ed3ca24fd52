"""What shows through the lid openings and the lips: the eyeball (sclera, iris, pupil, the
light's reflection) and the mouth's inside (dark cavity, teeth), drawn in image space into the
pixels the face left uncovered."""

from __future__ import annotations

from collections.abc import Callable

import cv2
import numpy as np
import numpy.typing as npt

from simulator.subject.subject_model import EYEBALL_RADIUS_MM, IRIS_RADIUS_MM

Array = npt.NDArray[np.float64]
Image = npt.NDArray[np.uint8]
Mask = npt.NDArray[np.bool_]

_SCLERA = np.array([212.0, 218.0, 226.0])
_PUPIL_RADIUS_MM = 2.3
# The iris sits where a circle of its radius meets the eyeball: this far from the centre.
IRIS_DEPTH_MM = float(np.sqrt(EYEBALL_RADIUS_MM**2 - IRIS_RADIUS_MM**2))


def _circle_points(center: Array, normal: Array, radius: float, count: int = 28) -> Array:
    helper = np.array([0.0, 1.0, 0.0]) if abs(normal[1]) < 0.9 else np.array([1.0, 0.0, 0.0])
    a = np.cross(normal, helper)
    a /= np.linalg.norm(a)
    b = np.cross(normal, a)
    angles = np.linspace(0.0, 2 * np.pi, count, endpoint=False)
    points: Array = center + radius * (np.cos(angles)[:, None] * a + np.sin(angles)[:, None] * b)
    return points


def draw_eye(
    patch: Image,
    mask: Mask,
    origin: tuple[int, int],
    eyeball_center: Array,
    gaze: Array,
    iris_colour: tuple[float, float, float],
    light: float,
    light_direction: Array,
    project: Callable[[Array], Array],
) -> None:
    """Paint one eye into `patch` (a view of the frame whose top-left pixel is `origin`) where
    `mask` is set. Positions are in camera space (mm); `gaze` is a unit vector."""
    if not mask.any():
        return
    rows, cols = np.nonzero(mask)
    top, bottom = int(rows.min()), int(rows.max()) + 1
    left, right = int(cols.min()), int(cols.max()) + 1
    pad = 2
    top, left = max(0, top - pad), max(0, left - pad)
    bottom, right = min(patch.shape[0], bottom + pad), min(patch.shape[1], right + pad)
    roi = np.empty((bottom - top, right - left, 3), np.float32)
    offset = np.array([origin[0] + left, origin[1] + top], np.float64)
    # Sclera, darker under the upper lid (its shadow) and towards the corners.
    shade = np.linspace(0.62, 1.0, roi.shape[0])[:, None] ** 0.7
    across = 1.0 - 0.18 * np.abs(np.linspace(-1.0, 1.0, roi.shape[1]))[None, :] ** 2
    roi[:] = (_SCLERA * light)[None, None, :]
    roi *= (shade * across)[..., None].astype(np.float32)
    iris_center = eyeball_center + gaze * IRIS_DEPTH_MM
    iris = project(_circle_points(iris_center, gaze, IRIS_RADIUS_MM)) - offset
    pupil = project(_circle_points(iris_center - gaze * 0.3, gaze, _PUPIL_RADIUS_MM)) - offset
    iris_px = np.round(iris * 16).astype(np.int32)
    colour = np.array(iris_colour) * light
    cv2.fillPoly(roi, [iris_px], colour.tolist(), cv2.LINE_AA, 4)
    # Radial texture: lighter fibres from the pupil outwards, a dark ring at the edge.
    centre_px = iris.mean(axis=0)
    for k in range(0, len(iris), 2):
        inner = centre_px + (iris[k] - centre_px) * 0.45
        cv2.line(
            roi,
            tuple(np.round(inner * 16).astype(int).tolist()),
            tuple(np.round((centre_px + (iris[k] - centre_px) * 0.9) * 16).astype(int).tolist()),
            (colour * 1.35).tolist(),
            1,
            cv2.LINE_AA,
            4,
        )
    radius_px = float(np.linalg.norm(iris - centre_px, axis=1).mean())
    ring = max(1, round(radius_px * 0.14))
    cv2.polylines(roi, [iris_px], True, (colour * 0.45).tolist(), ring, cv2.LINE_AA, 4)
    cv2.fillPoly(roi, [np.round(pupil * 16).astype(np.int32)], (12.0, 10.0, 10.0), cv2.LINE_AA, 4)
    # The light's reflection on the cornea, towards the light.
    towards = np.array([light_direction[0], light_direction[1]])
    glint = centre_px + towards * radius_px * 0.45
    cv2.circle(
        roi,
        tuple(np.round(glint * 16).astype(int).tolist()),
        max(16, round(radius_px * 0.16 * 16)),
        (250.0, 250.0, 250.0),
        -1,
        cv2.LINE_AA,
        4,
    )
    sub_mask = mask[top:bottom, left:right]
    target = patch[top:bottom, left:right]
    target[sub_mask] = np.clip(roi[sub_mask], 0, 255).astype(np.uint8)


def draw_mouth(
    patch: Image,
    mask: Mask,
    origin: tuple[int, int],
    upper_inner: Array,
    lower_inner: Array,
    light: float,
) -> None:
    """Paint the inside of the mouth where `mask` is set; `upper_inner` / `lower_inner` are the
    inner lip edges in frame pixels, corner to corner."""
    if not mask.any():
        return
    rows, cols = np.nonzero(mask)
    top, bottom = int(rows.min()), int(rows.max()) + 1
    left, right = int(cols.min()), int(cols.max()) + 1
    roi = np.empty((bottom - top, right - left, 3), np.float32)
    roi[:] = (np.array([38.0, 34.0, 70.0]) * light)[None, None, :]
    offset = np.array([origin[0] + left, origin[1] + top], np.float64)
    width = float(np.linalg.norm(upper_inner[-1] - upper_inner[0]))
    upper = upper_inner[2:-2] - offset
    lower = lower_inner[2:-2] - offset
    tooth = width * 0.13
    down = np.array([0.0, tooth])
    teeth = np.vstack([upper - down * 0.3, (upper + down)[::-1]])
    cv2.fillPoly(
        roi,
        [np.round(teeth * 16).astype(np.int32)],
        (np.array([200.0, 210.0, 218.0]) * light).tolist(),
        cv2.LINE_AA,
        4,
    )
    for point in upper[1:-1]:  # gaps between the teeth
        cv2.line(
            roi,
            tuple(np.round(point * 16).astype(int).tolist()),
            tuple(np.round((point + down) * 16).astype(int).tolist()),
            (np.array([150.0, 155.0, 165.0]) * light).tolist(),
            1,
            cv2.LINE_AA,
            4,
        )
    low_teeth = np.vstack([lower + down * 0.2, (lower - down * 0.7)[::-1]])
    cv2.fillPoly(
        roi,
        [np.round(low_teeth * 16).astype(np.int32)],
        (np.array([170.0, 180.0, 190.0]) * light).tolist(),
        cv2.LINE_AA,
        4,
    )
    sub_mask = mask[top:bottom, left:right]
    target = patch[top:bottom, left:right]
    target[sub_mask] = np.clip(roi[sub_mask], 0, 255).astype(np.uint8)
