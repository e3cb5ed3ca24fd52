"""Draws a subject into a frame: expression and pose move the identity's mesh, triangles are
painter's-ordered into a triangle-index buffer, per-vertex (Gouraud) lighting and texture
coordinates are interpolated per pixel, then eyes, mouth and glasses are added.

Per frame only vertices move: topology, texture, materials and expression bases come cached
with the SubjectModel.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

import cv2
import numpy as np
import numpy.typing as npt

from matcher.face.head_pose import rotation_from_angles
from simulator.subject import face_regions as fr
from simulator.subject.expression import NEUTRAL, Expression
from simulator.subject.eyeballs import IRIS_DEPTH_MM, draw_eye, draw_mouth
from simulator.subject.glasses import draw_glasses
from simulator.subject.rasterizer import front_facing, rasterize
from simulator.subject.scene import CameraView, Lighting, SubjectPose
from simulator.subject.subject_model import SubjectModel

Array = npt.NDArray[np.float64]
Image = npt.NDArray[np.uint8]

_SHININESS = 24.0
# Underlay ids in the triangle-index buffer: what shows through the face's holes.
_RIGHT_EYE, _LEFT_EYE, _MOUTH = 1, 2, 3


class Layer(Enum):
    """What of the subject to draw: the torso never covers the rest, so a caller may draw it
    once (BODY), keep the picture, and draw only the HEAD (and neck, hair, cloth) per frame."""

    ALL = "all"
    BODY = "body"
    HEAD = "head"


@dataclass(frozen=True)
class SubjectRender:
    """Where the subject landed in the frame (ground truth for tests and attacks)."""

    landmarks: Array  # (468, 2) FaceMesh points in pixels
    depth: Array  # (468,) mm from the camera
    eye_centers: Array  # (2, 2) pixels of the iris centres, person's right then left
    box: tuple[int, int, int, int]  # (left, top, right, bottom) of everything drawn


@dataclass(frozen=True)
class _Placed:
    camera_points: Array  # (V, 3) camera space mm
    head_rotation: Array  # (3, 3)
    head_translation: Array  # (3,) maps rest-frame head points to camera space


def _place(model: SubjectModel, pose: SubjectPose, expression: Expression) -> _Placed:
    moved = model.bases.apply(model.rest, expression)
    c_yaw, c_pitch, c_roll = model.carriage
    head = rotation_from_angles(pose.yaw + c_yaw, pose.pitch + c_pitch, pose.roll + c_roll)
    body = rotation_from_angles(pose.body_yaw, 0.0, 0.0)
    pivot = model.neck_pivot
    offset = np.array([pose.x_mm, pose.y_mm, pose.distance_mm])
    relative = moved - pivot
    as_head = relative @ head.T
    as_body = relative @ body.T
    weight = model.head_weight[:, None].astype(np.float64)
    points = weight * as_head + (1.0 - weight) * as_body + pivot + offset
    return _Placed(points, head, pivot - head @ pivot + offset)


def project(points: Array, camera: CameraView) -> tuple[Array, Array]:
    """Pixels (n, 2) and depths (n,) of camera-space points."""
    depth = np.maximum(points[:, 2], 1.0)
    cx, cy = camera.center
    pixels = np.stack(
        [camera.focal * points[:, 0] / depth + cx, camera.focal * points[:, 1] / depth + cy], axis=1
    )
    return pixels, depth


def _vertex_normals(points: Array, triangles: npt.NDArray[np.int32]) -> Array:
    a, b, c = (points[triangles[:, k]] for k in range(3))
    face = np.cross(b - a, c - a)
    normals = np.zeros_like(points)
    flat = triangles.ravel()
    for axis in range(3):
        normals[:, axis] = np.bincount(flat, np.repeat(face[:, axis], 3), minlength=len(points))
    length = np.linalg.norm(normals, axis=1, keepdims=True)
    result: Array = normals / np.maximum(length, 1e-9)
    return result


def _vertex_light(
    model: SubjectModel, points: Array, normals: Array, lighting: Lighting
) -> tuple[Array, Array, Array]:
    """Per vertex: key-light diffuse, ambient, and specular amounts."""
    to_light = lighting.unit_direction
    facing = normals @ to_light
    diffuse = np.where(model.two_sided_light, np.abs(facing) * 0.85, np.maximum(facing, 0.0))
    # Soft light from all around, more from above (y is down).
    ambient = 0.8 - 0.2 * normals[:, 1]
    ambient = np.where(model.two_sided_light, 0.8 - 0.2 * np.abs(normals[:, 1]), ambient)
    view = -points / np.linalg.norm(points, axis=1, keepdims=True)
    half = view + to_light
    half /= np.linalg.norm(half, axis=1, keepdims=True)
    specular = np.maximum(np.einsum("ij,ij->i", normals, half), 0.0) ** _SHININESS
    occlusion = model.occlusion.astype(np.float64)
    return (
        diffuse * occlusion * lighting.key,
        ambient * occlusion * lighting.ambient,
        specular * model.specular * lighting.key * occlusion,
    )


_SAMPLE_ROW = 512


def sample_texture(
    texture: Image, u: npt.NDArray[np.float32], v: npt.NDArray[np.float32]
) -> npt.NDArray[np.float32]:
    """Bilinear texels (n, 3) at atlas positions (u, v). cv2.remap takes maps of any shape
    under 32767 a side: the n positions are laid out in rows of 512."""
    count = len(u)
    rows = -(-count // _SAMPLE_ROW)
    map_x = np.zeros(rows * _SAMPLE_ROW, np.float32)
    map_y = np.zeros(rows * _SAMPLE_ROW, np.float32)
    map_x[:count], map_y[:count] = u, v
    sampled = cv2.remap(
        texture,
        map_x.reshape(rows, _SAMPLE_ROW),
        map_y.reshape(rows, _SAMPLE_ROW),
        cv2.INTER_LINEAR,
        borderMode=cv2.BORDER_REPLICATE,
    )
    result: npt.NDArray[np.float32] = sampled.reshape(-1, 3)[:count].astype(np.float32)
    return result


def draw_subject(
    frame: Image,
    model: SubjectModel,
    pose: SubjectPose,
    lighting: Lighting,
    camera: CameraView,
    expression: Expression = NEUTRAL,
    layer: Layer = Layer.ALL,
) -> SubjectRender | None:
    """Draw the subject over `frame` (H, W, 3 uint8, changed in place). None if out of view
    (or, for Layer.BODY, always: the torso carries no landmarks)."""
    placed = _place(model, pose, expression)
    points = placed.camera_points
    if float(np.median(points[:, 2])) < 60.0:
        return None  # through the lens
    pixels, depth = project(points, camera)
    screen = pixels.astype(np.float32)
    visible = front_facing(screen, model.triangles) | model.double_sided
    if layer is Layer.BODY:
        visible &= model.torso
    elif layer is Layer.HEAD:
        visible &= ~model.torso
    triangles = model.triangles[visible]
    normals = _vertex_normals(points, model.triangles)
    key, ambient, specular = _vertex_light(model, points, normals, lighting)
    attributes = np.column_stack([model.uv, key, ambient, specular]).astype(np.float32)
    underlays = (
        [
            screen[list(fr.RIGHT_EYE_OPENING)],
            screen[list(fr.LEFT_EYE_OPENING)],
            screen[list(fr.MOUTH_OPENING)],
        ]
        if layer is not Layer.BODY
        else []
    )
    # The eyeballs and the mouth's inside lie a little behind the face's surface.
    corners_and_lips = [fr.RIGHT_UPPER_LID[0], fr.LEFT_UPPER_LID[0], fr.UPPER_LIP_INNER[5]]
    behind_face = float(depth[corners_and_lips].mean()) + 12.0
    raster = rasterize(
        screen,
        depth.astype(np.float32),
        triangles,
        attributes,
        camera.size,
        underlays=underlays,
        underlay_depth=behind_face,
    )
    if raster is None:
        return None
    x0, y0 = raster.origin
    width, height = raster.size
    region = frame[y0 : y0 + height, x0 : x0 + width]
    values = raster.attributes  # (n, 5) for the covered pixels only
    texture = sample_texture(model.texture, values[:, 0], values[:, 1])
    key_colour = np.array(lighting.key_colour, np.float32)
    ambient_colour = np.array(lighting.ambient_colour, np.float32)
    shade = values[:, 2:3] * key_colour
    shade += values[:, 3:4] * ambient_colour
    lit = texture * shade
    lit += values[:, 4:5] * (255.0 * key_colour)
    np.clip(lit, 0, 255, out=lit)
    # The region is a view with the frame's row stride: index its rows and columns.
    rows, columns = np.divmod(raster.pixels, width)
    region[rows, columns] = lit.astype(np.uint8)
    if layer is Layer.BODY:
        return None

    def to_pixels(rest_points: Array) -> Array:
        camera_points = rest_points @ placed.head_rotation.T + placed.head_translation
        return project(camera_points, camera)[0]

    eye_light = float(
        lighting.ambient * 0.85 + lighting.key * max(0.0, -lighting.unit_direction[2]) * 0.6
    )
    gaze = (
        placed.head_rotation
        @ rotation_from_angles(expression.gaze_yaw, expression.gaze_pitch, 0.0)
        @ np.array([0.0, 0.0, -1.0])
    )
    iris_centers = []
    for index, eye_id in ((0, _RIGHT_EYE), (1, _LEFT_EYE)):
        center = placed.head_rotation @ model.eyes.centers[index] + placed.head_translation
        draw_eye(
            region,
            raster.ids == eye_id,
            (x0, y0),
            center,
            gaze,
            model.eyes.colour,
            eye_light,
            lighting.unit_direction,
            lambda p: project(p, camera)[0],
        )
        iris_centers.append(project((center + gaze * IRIS_DEPTH_MM)[None, :], camera)[0][0])
    draw_mouth(
        region,
        raster.ids == _MOUTH,
        (x0, y0),
        pixels[list(fr.UPPER_LIP_INNER)],
        pixels[list(fr.LOWER_LIP_INNER)],
        eye_light,
    )
    if model.glasses is not None:
        side = placed.head_rotation @ np.array([1.0, 0.0, 0.0])
        # The person's left side faces the camera when it points towards -z (or sideways).
        draw_glasses(frame, model.glasses, to_pixels, (side[2] > -0.2, side[2] < 0.2), eye_light)
    return SubjectRender(
        landmarks=pixels[: fr.FACE_POINTS],
        depth=depth[: fr.FACE_POINTS],
        eye_centers=np.array(iris_centers),
        box=(x0, y0, x0 + width, y0 + height),
    )
