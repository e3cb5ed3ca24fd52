"""The 3D reference face head pose is solved against: rigid FaceMesh points, in millimetres.

Made by `python -m matcher.face.derive_reference_face` and committed as reference_face.json.
Frame: x towards the person's left, y down (towards the chin), z away from the camera, origin at
the nasion; with the head in this frame a camera looking along +z sees the face frontally.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import numpy.typing as npt

from matcher.face import mesh_points as mp_points

REFERENCE_FACE_FILE = Path(__file__).with_name("reference_face.json")

# Points that move little with expression: nose, forehead, eye corners, cheekbones. Lips, jaw,
# lids and brows move; the face outline slides with the silhouette as the head turns.
MIDLINE_POINTS = (mp_points.NASION, 6, 197, 195, 5, 4, mp_points.NOSE_TIP, mp_points.SUBNASALE,
                  9, 151, mp_points.FOREHEAD)  # fmt: skip
MIRROR_PAIRS = (  # (person's right, person's left)
    (mp_points.RIGHT_EYE_OUTER, mp_points.LEFT_EYE_OUTER),
    (mp_points.RIGHT_EYE_INNER, mp_points.LEFT_EYE_INNER),
    (98, 327),  # sides of the nostrils
    (129, 358),  # wings of the nose
    (116, 345),  # cheekbones
    (123, 352),
)
RIGID_POINTS = MIDLINE_POINTS + tuple(index for pair in MIRROR_PAIRS for index in pair)


@dataclass(frozen=True)
class ReferenceFace:
    indices: tuple[int, ...]  # FaceMesh indices, one per row of `points_mm`
    points_mm: npt.NDArray[np.float64]  # (n, 3)


@cache
def reference_face() -> ReferenceFace:
    data = json.loads(REFERENCE_FACE_FILE.read_text(encoding="utf-8"))
    points = data["points_mm"]
    indices = tuple(int(index) for index in points)
    return ReferenceFace(
        indices=indices,
        points_mm=np.array([points[str(index)] for index in indices], dtype=np.float64),
    )
