"""Where each impression pixel comes from on the master: the finger's rotation and placement on
the sensor, and the elastic distortion of skin pressed and dragged on glass (Cappelli, Maio and
Maltoni's model: a rigid middle, a plastic rim, a smooth transition between)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from simulator.fingerprint.conditions import ImpressionConditions
from simulator.fingerprint.finger_shape import FingerShape
from simulator.fingerprint.seeding import Stream, random_stream
from simulator.fingerprint.smooth_field import SmoothField

Coordinates = tuple[NDArray[np.float64], NDArray[np.float64]]

# The skin within this fraction of the contact's half-width stays put; beyond the plastic
# fraction it moves with the full drag.
_RIGID_FRACTION = 0.35
_PLASTIC_FRACTION = 1.1
_INVERSION_STEPS = 40
# Local stretching varies over a few millimetres of skin.
_LOCAL_WAVELENGTHS = (80.0, 200.0)


@dataclass(frozen=True)
class ImpressionGeometry:
    """The map between impression pixels and master pixels (both x right, y down)."""

    master_centre: tuple[float, float]
    image_centre: tuple[float, float]
    rotation: float  # radians, counter-clockwise as seen
    contact_centre: tuple[float, float]  # in impression pixels
    rigid_radius: float
    plastic_radius: float
    drag: tuple[float, float]
    twist: float  # radians, counter-clockwise as seen
    local_amplitude: float
    local_x: SmoothField
    local_y: SmoothField

    @classmethod
    def place(
        cls,
        shape: FingerShape,
        conditions: ImpressionConditions,
        image_width: int,
        image_height: int,
        impression_seed: int,
    ) -> ImpressionGeometry:
        rng = random_stream(impression_seed, Stream.DISTORTION)
        image_centre = (
            (image_width - 1) / 2 + conditions.shift_x,
            (image_height - 1) / 2 + conditions.shift_y,
        )
        rotation = np.deg2rad(conditions.rotation)
        offset = (
            conditions.contact_offset_x * shape.half_width,
            conditions.contact_offset_y * shape.top_half_height,
        )
        turned = _rotate(np.array(offset[0]), np.array(offset[1]), rotation)
        reach = conditions.contact * shape.half_width
        return cls(
            master_centre=(shape.centre_x, shape.centre_y),
            image_centre=image_centre,
            rotation=float(rotation),
            contact_centre=(
                image_centre[0] + float(turned[0]),
                image_centre[1] + float(turned[1]),
            ),
            rigid_radius=_RIGID_FRACTION * reach,
            plastic_radius=_PLASTIC_FRACTION * reach,
            drag=(conditions.distortion_x, conditions.distortion_y),
            twist=float(np.deg2rad(conditions.distortion_twist)),
            local_amplitude=conditions.local_distortion,
            local_x=SmoothField.draw(rng, *_LOCAL_WAVELENGTHS),
            local_y=SmoothField.draw(rng, *_LOCAL_WAVELENGTHS),
        )

    def to_master(self, x: NDArray[np.float64], y: NDArray[np.float64]) -> Coordinates:
        """Master position shown at impression position (x, y)."""
        ux, uy = self._undistort(x, y)
        return self._rigid_to_master(ux, uy)

    def to_impression(self, x: NDArray[np.float64], y: NDArray[np.float64]) -> Coordinates:
        """Impression position showing master position (x, y): the rigid placement, then the
        distortion inverted by fixed-point steps (it moves points by far less than it spans,
        so the steps contract, reaching a thousandth of a pixel in about ten)."""
        cx, cy = self.master_centre
        tx, ty = _rotate(x - cx, y - cy, self.rotation)
        target_x = tx + self.image_centre[0]
        target_y = ty + self.image_centre[1]
        px, py = target_x.copy(), target_y.copy()
        for _ in range(_INVERSION_STEPS):
            ux, uy = self._undistort(px, py)
            error_x, error_y = target_x - ux, target_y - uy
            px = px + error_x
            py = py + error_y
            if error_x.size == 0 or max(np.abs(error_x).max(), np.abs(error_y).max()) < 1e-4:
                break
        return px, py

    def _undistort(self, x: NDArray[np.float64], y: NDArray[np.float64]) -> Coordinates:
        """Where the skin at impression position (x, y) would be without the drag."""
        cx, cy = self.contact_centre
        dx, dy = x - cx, y - cy
        radius = np.sqrt(dx * dx + dy * dy)
        share = _smoothstep(
            (radius - self.rigid_radius) / (self.plastic_radius - self.rigid_radius)
        )
        turned_x, turned_y = _rotate(dx, dy, self.twist)
        move_x = turned_x - dx + self.drag[0]
        move_y = turned_y - dy + self.drag[1]
        ux, uy = x - share * move_x, y - share * move_y
        if self.local_amplitude > 0:
            ux = ux - self.local_amplitude * self.local_x.at(x, y)
            uy = uy - self.local_amplitude * self.local_y.at(x, y)
        return ux, uy

    def _rigid_to_master(self, x: NDArray[np.float64], y: NDArray[np.float64]) -> Coordinates:
        mx, my = _rotate(x - self.image_centre[0], y - self.image_centre[1], -self.rotation)
        return mx + self.master_centre[0], my + self.master_centre[1]


def _rotate(x: NDArray[np.float64], y: NDArray[np.float64], angle: float) -> Coordinates:
    """Rotate vectors in pixel axes by `angle` counter-clockwise as the image is seen."""
    cos, sin = np.cos(angle), np.sin(angle)
    return cos * x + sin * y, -sin * x + cos * y


def _smoothstep(value: NDArray[np.float64]) -> NDArray[np.float64]:
    clipped = np.clip(value, 0.0, 1.0)
    result: NDArray[np.float64] = clipped * clipped * (3.0 - 2.0 * clipped)
    return result
