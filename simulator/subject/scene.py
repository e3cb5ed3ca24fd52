"""What a frame is made of besides the person: where they stand and how their head is turned,
the light, and the camera (size, focal length). Plain values; the renderer reads them."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

Array = npt.NDArray[np.float64]


@dataclass(frozen=True)
class SubjectPose:
    """Head angles in degrees with matcher.face.head_pose's signs (yaw + turned to the person's
    left, pitch + looking up, roll + towards the left shoulder); where the nasion would be with
    the head straight, in camera space mm (x right, y down, z forward)."""

    yaw: float = 0.0
    pitch: float = 0.0
    roll: float = 0.0
    x_mm: float = 0.0
    y_mm: float = 0.0
    distance_mm: float = 420.0
    body_yaw: float = 0.0  # the shoulders' own turn, degrees


@dataclass(frozen=True)
class Lighting:
    """A key light (a direction towards it, camera space) and soft light from all around,
    brighter from above. Colours are BGR multipliers (1, 1, 1 is white)."""

    direction: tuple[float, float, float] = (-0.35, -0.45, -0.82)
    key: float = 0.75
    ambient: float = 0.42
    key_colour: tuple[float, float, float] = (0.96, 0.99, 1.0)
    ambient_colour: tuple[float, float, float] = (1.0, 1.0, 1.0)

    @property
    def unit_direction(self) -> Array:
        vector = np.array(self.direction, dtype=np.float64)
        unit: Array = vector / np.linalg.norm(vector)
        return unit


EVEN_LIGHT = Lighting(direction=(0.0, -0.25, -1.0), key=0.55, ambient=0.58)


@dataclass(frozen=True)
class CameraView:
    """A pinhole camera at the origin looking along +z; focal length in pixels (default: one
    image width, the ~53 degree webcam field of view the matcher assumes)."""

    width: int = 640
    height: int = 480
    focal_px: float | None = None
    principal: tuple[float, float] | None = field(default=None)

    @property
    def focal(self) -> float:
        return float(self.width) if self.focal_px is None else self.focal_px

    @property
    def center(self) -> tuple[float, float]:
        return self.principal if self.principal is not None else (self.width / 2, self.height / 2)

    @property
    def size(self) -> tuple[int, int]:
        return self.width, self.height

    def pixels_per_mm(self, distance_mm: float) -> float:
        return self.focal / distance_mm

    @property
    def horizontal_fov_degrees(self) -> float:
        return math.degrees(2 * math.atan(self.width / (2 * self.focal)))
