"""The base head mesh (simulator/assets/head_mesh.npz, made by make_head_mesh.py): vertices in
millimetres, triangles wound outwards, and which part of the head each belongs to."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from functools import cache
from pathlib import Path

import numpy as np
import numpy.typing as npt

HEAD_MESH_FILE = Path(__file__).parent.parent / "assets" / "head_mesh.npz"

Float32Array = npt.NDArray[np.float32]
IntArray = npt.NDArray[np.int32]


class Part(IntEnum):
    """What a vertex or triangle belongs to. Values are stored in the npz: never renumber."""

    FACE = 0  # the 468 FaceMesh points, in FaceMesh order
    SCALP = 1
    EARS = 2
    NECK = 3
    TORSO = 4
    LONG_HAIR = 5
    GHUTRA = 6
    AGAL = 7
    HIJAB = 8
    CAP = 9


# Parts every head has; the others are worn (or grown) by some identities only.
BODY_PARTS = frozenset({Part.FACE, Part.SCALP, Part.EARS, Part.NECK, Part.TORSO})


@dataclass(frozen=True)
class HeadMesh:
    vertices: Float32Array  # (V, 3) mm, head frame
    triangles: IntArray  # (T, 3), counter-clockwise seen from outside
    triangle_part: npt.NDArray[np.uint8]  # (T,)
    double_sided: npt.NDArray[np.bool_]  # (T,) cloth whose inside may face the camera
    vertex_part: npt.NDArray[np.uint8]  # (V,)
    surface_mm: Float32Array  # (V, 2) texture coordinates of each part, in mm
    head_weight: Float32Array  # (V,) 1 moves with the head, 0 with the torso
    face_mirror: IntArray  # (468,) index of each face point's mirror image
    head_center: Float32Array  # (3,)
    neck_pivot: Float32Array  # (3,) the point the head turns about


@cache
def head_mesh() -> HeadMesh:
    with np.load(HEAD_MESH_FILE) as data:
        return HeadMesh(
            vertices=data["vertices"],
            triangles=data["triangles"],
            triangle_part=data["triangle_part"],
            double_sided=data["double_sided"],
            vertex_part=data["vertex_part"],
            surface_mm=data["surface_mm"],
            head_weight=data["head_weight"],
            face_mirror=data["face_mirror"],
            head_center=data["head_center"],
            neck_pivot=data["neck_pivot"],
        )
