"""One identity made renderable: its rest mesh, the parts it wears, texture coordinates,
materials, expression bases, eyeballs and texture atlas. Built once per identity and cached;
frames then only move vertices."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from matcher.face import FaceLandmarks, estimate_head_pose
from simulator.subject import face_regions as fr
from simulator.subject.expression import ExpressionBases, expression_bases
from simulator.subject.face_shape import shape_displacement, smoothstep
from simulator.subject.glasses import GlassesModel, glasses_model
from simulator.subject.head_mesh import BODY_PARTS, Part, head_mesh
from simulator.subject.identity import FaceIdentity, HairStyle, Headwear
from simulator.subject.skin_texture import paint_atlas
from simulator.subject.texture_atlas import vertex_texture_coordinates

Array = npt.NDArray[np.float64]
Float32Array = npt.NDArray[np.float32]

EYEBALL_RADIUS_MM = 12.0
IRIS_RADIUS_MM = 5.9
# The eyeball's centre lies this far behind the middle of the lid opening.
_EYEBALL_DEPTH_MM = 10.5


@dataclass(frozen=True)
class EyeModel:
    centers: Array  # (2, 3): the person's right eye, then left, rest frame mm
    colour: tuple[float, float, float]


@dataclass(frozen=True)
class SubjectModel:
    identity: FaceIdentity
    rest: Array  # (V, 3) mm, head frame, identity shape applied
    triangles: npt.NDArray[np.int32]  # (T, 3) of the parts this identity shows
    double_sided: npt.NDArray[np.bool_]  # (T,)
    torso: npt.NDArray[np.bool_]  # (T,) triangles of the torso, which may be drawn apart
    vertex_part: npt.NDArray[np.uint8]  # (V,)
    uv: Float32Array  # (V, 2) atlas pixels
    specular: Float32Array  # (V,) specular strength
    occlusion: Float32Array  # (V,) 1 open, less in creases and under cloth
    two_sided_light: npt.NDArray[np.bool_]  # (V,) cloth lit from either side
    head_weight: Float32Array  # (V,)
    neck_pivot: Array  # (3,)
    bases: ExpressionBases
    eyes: EyeModel
    glasses: GlassesModel | None
    texture: npt.NDArray[np.uint8]  # the atlas, BGR
    # How this head is carried so that the matcher's head-pose estimate reads level when the
    # pose says level: the identity's shape moves the points pose is solved from.
    carriage: tuple[float, float, float]  # yaw, pitch, roll degrees added to every pose


def worn_parts(identity: FaceIdentity) -> frozenset[Part]:
    parts = set(BODY_PARTS)
    if identity.headwear in (Headwear.GHUTRA, Headwear.SHEMAGH):
        parts |= {Part.GHUTRA, Part.AGAL}
        parts.discard(Part.EARS)  # under the cloth
    elif identity.headwear is Headwear.HIJAB:
        parts.add(Part.HIJAB)
        parts.discard(Part.EARS)
    elif identity.headwear is Headwear.CAP:
        parts.add(Part.CAP)
    if identity.hair_style is HairStyle.LONG and identity.headwear is Headwear.NONE:
        parts.add(Part.LONG_HAIR)
    return frozenset(parts)


def _vertex_normals(vertices: Array, triangles: npt.NDArray[np.int32]) -> Array:
    a, b, c = (vertices[triangles[:, k]] for k in range(3))
    face_normals = np.cross(b - a, c - a)
    normals = np.zeros_like(vertices)
    for k in range(3):
        for axis in range(3):
            normals[:, axis] += np.bincount(
                triangles[:, k], face_normals[:, axis], minlength=len(vertices)
            )
    length = np.linalg.norm(normals, axis=1, keepdims=True)
    result: Array = normals / np.maximum(length, 1e-9)
    return result


def _occlusion(
    rest: Array, triangles: npt.NDArray[np.int32], parts: npt.NDArray[np.uint8], wear: Headwear
) -> Float32Array:
    """Ambient occlusion from concavity (a vertex whose neighbours stand in front of it sits in
    a crease), plus the shade a headcloth casts on the forehead and cheeks."""
    normals = _vertex_normals(rest, triangles)
    sums = np.zeros_like(rest)
    counts = np.zeros(len(rest))
    for k in range(3):
        for j in range(3):
            if j == k:
                continue
            for axis in range(3):
                sums[:, axis] += np.bincount(
                    triangles[:, k], rest[triangles[:, j], axis], minlength=len(rest)
                )
            counts += np.bincount(triangles[:, k], minlength=len(rest))
    mean = sums / np.maximum(counts, 1)[:, None]
    concavity = np.einsum("ij,ij->i", mean - rest, normals)
    occlusion = 1.0 - np.clip(concavity * 0.22, 0.0, 0.45)
    face = parts == Part.FACE
    if wear in (Headwear.GHUTRA, Headwear.SHEMAGH, Headwear.HIJAB):
        # The cloth's brim and sides shade the upper forehead and the sides of the face.
        y, x = rest[:, 1], np.abs(rest[:, 0])
        shade = 0.35 * (1 - smoothstep(-45.0, -15.0, y)) + 0.3 * smoothstep(45.0, 68.0, x)
        occlusion = np.where(face, occlusion * (1.0 - np.clip(shade, 0.0, 0.5)), occlusion)
    under_chin = parts == Part.NECK
    occlusion = np.where(
        under_chin, occlusion * (0.65 + 0.35 * smoothstep(95.0, 140.0, rest[:, 1])), occlusion
    )
    result: Float32Array = occlusion.astype(np.float32)
    return result


def _specular(rest: Array, parts: npt.NDArray[np.uint8], identity: FaceIdentity) -> Float32Array:
    strength = np.full(len(rest), 0.03, np.float32)
    face = parts == Part.FACE
    # Skin shines most on the forehead, nose and cheekbones (the "T zone").
    t_zone = np.exp(-0.5 * (rest[:, 0] / 18.0) ** 2) * (rest[:, 1] < 50.0)
    strength[face] = (0.07 + 0.08 * t_zone[face]).astype(np.float32)
    strength[parts == Part.NECK] = 0.05
    strength[parts == Part.EARS] = 0.05
    strength[parts == Part.AGAL] = 0.12
    strength[parts == Part.LONG_HAIR] = 0.1
    for index in fr.LIPS_OUTLINE:
        strength[index] = 0.16
    del identity
    return strength


def _eyes(rest: Array, identity: FaceIdentity) -> EyeModel:
    centers = []
    for opening in (fr.RIGHT_EYE_OPENING, fr.LEFT_EYE_OPENING):
        middle = rest[list(opening)].mean(axis=0)
        centers.append(middle + np.array([0.0, 0.0, _EYEBALL_DEPTH_MM]))
    return EyeModel(centers=np.array(centers), colour=identity.eye_colour)


def _carriage(rest: Array) -> tuple[float, float, float]:
    """Minus the head pose the matcher would read from this face held straight."""
    face = rest[: fr.FACE_POINTS]
    distance, focal, size = 600.0, 1000.0, (1000, 1000)
    pixels = face[:, :2] * focal / (face[:, 2:3] + distance) + 500.0
    eyes = [
        pixels[list(opening)].mean(axis=0)
        for opening in (fr.RIGHT_EYE_OPENING, fr.LEFT_EYE_OPENING)
    ]
    iris = np.array([eyes[0]] * 5 + [eyes[1]] * 5)
    points = np.column_stack([np.vstack([pixels, iris]), np.zeros(len(pixels) + len(iris))])
    pose = estimate_head_pose(FaceLandmarks(points=points, image_size=size))
    return (-pose.yaw, -pose.pitch, -pose.roll)


# Each model holds a 14 MB texture atlas: a camera needs three at most (subject, a passer-by,
# an attacker).
@lru_cache(maxsize=8)
def subject_model(identity: FaceIdentity) -> SubjectModel:
    """The renderable model of `identity` (cached: building one takes a few hundred ms)."""
    mesh = head_mesh()
    base = mesh.vertices.astype(np.float64)
    weight = mesh.head_weight.astype(np.float64)
    rest = base + shape_displacement(base, identity.shape, identity.bump_seed) * weight[:, None]
    rest *= identity.scale
    parts = worn_parts(identity)
    keep = np.isin(mesh.triangle_part, [int(p) for p in parts])
    triangles = mesh.triangles[keep]
    face_mask = (mesh.vertex_part == Part.FACE).astype(np.float64)
    cloth = np.isin(
        mesh.vertex_part, [int(Part.GHUTRA), int(Part.HIJAB), int(Part.LONG_HAIR), int(Part.EARS)]
    )
    return SubjectModel(
        identity=identity,
        rest=rest,
        triangles=triangles,
        double_sided=mesh.double_sided[keep],
        torso=mesh.triangle_part[keep] == Part.TORSO,
        vertex_part=mesh.vertex_part,
        uv=vertex_texture_coordinates(mesh),
        specular=_specular(rest, mesh.vertex_part, identity),
        occlusion=_occlusion(rest, triangles, mesh.vertex_part, identity.headwear),
        two_sided_light=cloth,
        head_weight=mesh.head_weight,
        neck_pivot=mesh.neck_pivot.astype(np.float64) * identity.scale,
        bases=expression_bases(rest, face_mask, weight),
        eyes=_eyes(rest, identity),
        glasses=glasses_model(rest, identity.glasses),
        texture=paint_atlas(identity),
        carriage=_carriage(rest),
    )
