"""Where each part of the head keeps its colours in the one texture image a subject is drawn
from, and the texture coordinates (atlas pixels) of every vertex."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from simulator.subject.head_mesh import HeadMesh, Part

Float32Array = npt.NDArray[np.float32]


@dataclass(frozen=True)
class AtlasRegion:
    """Surface coordinates (mm) from `low` to `high` land at pixel `origin` at `scale` px/mm."""

    origin: tuple[int, int]
    low: tuple[float, float]
    high: tuple[float, float]
    scale: float

    @property
    def size(self) -> tuple[int, int]:
        return (
            int(np.ceil((self.high[0] - self.low[0]) * self.scale)),
            int(np.ceil((self.high[1] - self.low[1]) * self.scale)),
        )

    def to_pixels(self, surface: Float32Array) -> Float32Array:
        """Atlas pixel positions of surface points (clamped into the region)."""
        low = np.array(self.low, np.float32)
        high = np.array(self.high, np.float32)
        local = (np.clip(surface, low, high) - low) * self.scale
        pixels: Float32Array = (local + np.array(self.origin, np.float32)).astype(np.float32)
        return pixels

    def slices(self) -> tuple[slice, slice]:
        """(rows, columns) of the region in the atlas array."""
        width, height = self.size
        x, y = self.origin
        return slice(y, y + height), slice(x, x + width)


HEAD_ARC_MM = float(np.pi * 85.0)  # the head map's u runs over the whole circle at 85 mm
# Face and scalp: 3 px/mm keeps skin detail at portrait scale (about 2 px/mm in the image).
HEAD = AtlasRegion((0, 0), (-HEAD_ARC_MM, -150.0), (HEAD_ARC_MM, 150.0), 3.0)
EARS = AtlasRegion((1610, 0), (-20.0, -35.0), (20.0, 35.0), 3.0)
AGAL = AtlasRegion((1740, 0), (0.0, 0.0), (630.0, 70.0), 0.1)
NECK = AtlasRegion((0, 910), (-170.0, 40.0), (170.0, 205.0), 2.0)
TORSO = AtlasRegion((690, 910), (-330.0, 145.0), (330.0, 705.0), 1.0)
CLOTH = AtlasRegion((0, 1480), (-315.0, -135.0), (315.0, 235.0), 2.0)
ATLAS_SIZE = (2048, 2224)  # width, height

REGIONS: dict[Part, AtlasRegion] = {
    Part.FACE: HEAD,
    Part.SCALP: HEAD,
    Part.EARS: EARS,
    Part.NECK: NECK,
    Part.TORSO: TORSO,
    Part.LONG_HAIR: CLOTH,
    Part.GHUTRA: CLOTH,
    Part.HIJAB: CLOTH,
    Part.CAP: CLOTH,
    Part.AGAL: AGAL,
}


def vertex_texture_coordinates(mesh: HeadMesh) -> Float32Array:
    """(V, 2) atlas pixel position of every vertex."""
    out = np.zeros((len(mesh.vertices), 2), np.float32)
    for part, region in REGIONS.items():
        mask = mesh.vertex_part == part
        out[mask] = region.to_pixels(mesh.surface_mm[mask])
    return out


def head_map_pixels(u_mm: float, v_mm: float) -> tuple[float, float]:
    """Atlas pixel of a point of the head map (surface mm)."""
    x, y = HEAD.to_pixels(np.array([[u_mm, v_mm]], np.float32))[0]
    return float(x), float(y)
