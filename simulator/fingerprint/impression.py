"""Impressions: one touch of a finger on the sensor, rendered from its master, a seed and the
conditions of the touch, with the true minutiae moved into the impression's own pixels."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
from numpy.typing import NDArray

from matcher.fingerprint import Minutiae
from simulator.fingerprint.conditions import (
    DEFAULT_DIFFICULTY,
    ImpressionConditions,
    draw_conditions,
)
from simulator.fingerprint.impression_geometry import ImpressionGeometry
from simulator.fingerprint.master import MasterFingerprint
from simulator.fingerprint.seeding import Stream, random_stream
from simulator.fingerprint.sensor import FVC2002_DB1, ImageFormat, expose, smear
from simulator.fingerprint.skin import ridge_ink
from simulator.fingerprint.smooth_field import SmoothField

# A true minutia counts as shown if it lies this far (pixels) inside the contact area and the
# image: closer to the edge the ridges fade or are cut off.
VISIBLE_MARGIN = 8.0
# Contact outline: an ellipse with a wavy rim (fraction of its radius).
_RIM_WAVINESS = 0.03
# Pixels along a minutia's direction used to carry the direction through the distortion.
_DIRECTION_PROBE = 4.0
# Spacing (pixels) of the grid the geometry is evaluated on: its maps bend over tens of pixels,
# so bilinear interpolation from every 4th pixel is within a few hundredths of a pixel.
_COARSE_STEP = 4


@dataclass(frozen=True, eq=False)
class SyntheticImpression:
    """An 8-bit grey image (ridges dark on a light background) and what is true about it.

    `minutiae` are the master's true minutiae inside the contact area, in image pixels with
    ISO/IEC 19794-2 angles; `master_indices[i]` is the index of minutia i in the master's
    list. `contact` marks the pixels the finger touched.
    """

    image: NDArray[np.uint8]
    minutiae: Minutiae
    master_indices: NDArray[np.intp]
    contact: NDArray[np.bool_]
    conditions: ImpressionConditions
    geometry: ImpressionGeometry
    finger_seed: int
    impression_seed: int
    resolution_dpi: int


def render_impression(
    master: MasterFingerprint,
    impression_seed: int,
    conditions: ImpressionConditions | None = None,
    *,
    difficulty: float = DEFAULT_DIFFICULTY,
    image_format: ImageFormat = FVC2002_DB1,
) -> SyntheticImpression:
    """One impression of `master`. Without `conditions` they are drawn from the seed at the
    given difficulty (simulator.fingerprint.conditions.draw_conditions); the same master,
    seed and conditions always give the same image, bit for bit."""
    if conditions is None:
        conditions = draw_conditions(impression_seed, difficulty)
    width, height = image_format.width, image_format.height
    geometry = ImpressionGeometry.place(master.shape, conditions, width, height, impression_seed)
    outline = _ContactOutline.draw(master, conditions, impression_seed)

    # The maps are smooth: evaluate them every few pixels and interpolate.
    coarse = _CoarseGrid(width, height)
    master_x, master_y = geometry.to_master(coarse.x, coarse.y)
    contact_edge = coarse.interpolate(outline.edge_distance(master_x, master_y))
    sampled = cv2.remap(
        master.ridges,
        coarse.interpolate(master_x),
        coarse.interpolate(master_y),
        interpolation=cv2.INTER_LINEAR,
        borderMode=cv2.BORDER_CONSTANT,
        borderValue=(-1.0,),
    ).astype(np.float32)

    ink = ridge_ink(
        sampled,
        contact_edge,
        conditions,
        master.skin_wear,
        random_stream(impression_seed, Stream.SKIN),
    )
    ink = smear(ink, conditions.smudges, random_stream(impression_seed, Stream.SMUDGES))
    image = expose(ink, conditions, random_stream(impression_seed, Stream.SENSOR))

    minutiae, indices = _visible_minutiae(master.minutiae, geometry, outline, width, height)
    return SyntheticImpression(
        image=image,
        minutiae=minutiae,
        master_indices=indices,
        contact=contact_edge > 0,
        conditions=conditions,
        geometry=geometry,
        finger_seed=master.finger_seed,
        impression_seed=impression_seed,
        resolution_dpi=image_format.resolution_dpi,
    )


class _CoarseGrid:
    """Every _COARSE_STEP-th pixel of an image, one sample beyond each edge, and bilinear
    interpolation back to every pixel with cv2.resize (exact in float32).

    cv2.resize to a size _COARSE_STEP times larger puts output pixel t at input position
    (t + 0.5) / step - 0.5, so sample k sits at image position step * (k - 1) + (step - 1) / 2,
    and output pixel t is image pixel t - step.
    """

    def __init__(self, width: int, height: int) -> None:
        step = _COARSE_STEP
        columns = -(-width // step) + 2
        rows = -(-height // step) + 2
        offset = (step - 1) / 2 - step
        xs = np.arange(columns, dtype=np.float64) * step + offset
        ys = np.arange(rows, dtype=np.float64) * step + offset
        self.y, self.x = np.meshgrid(ys, xs, indexing="ij")
        self._width = width
        self._height = height

    def interpolate(self, values: NDArray[np.float64]) -> NDArray[np.float32]:
        step = _COARSE_STEP
        rows, columns = values.shape
        full = cv2.resize(
            values.astype(np.float32),
            (columns * step, rows * step),
            interpolation=cv2.INTER_LINEAR,
        )
        return np.ascontiguousarray(full[step : step + self._height, step : step + self._width])


@dataclass(frozen=True)
class _ContactOutline:
    """The skin that touched the glass, in master pixels: the pad, cut by an ellipse whose size
    follows the pressure and whose centre moves towards an edge for a partial touch."""

    master: MasterFingerprint
    centre_x: float
    centre_y: float
    half_width: float
    half_height: float
    rim: SmoothField

    @classmethod
    def draw(
        cls, master: MasterFingerprint, conditions: ImpressionConditions, impression_seed: int
    ) -> _ContactOutline:
        shape = master.shape
        rng = random_stream(impression_seed, Stream.CONTACT)
        return cls(
            master=master,
            centre_x=shape.centre_x + conditions.contact_offset_x * shape.half_width,
            centre_y=shape.centre_y + conditions.contact_offset_y * shape.top_half_height,
            half_width=conditions.contact * shape.half_width,
            half_height=conditions.contact * shape.top_half_height,
            rim=SmoothField.draw(rng, 100.0, 300.0),
        )

    def edge_distance(self, x: NDArray[np.float64], y: NDArray[np.float64]) -> NDArray[np.float64]:
        """Approximate distance (pixels) inside the contact area; negative outside."""
        dx = (x - self.centre_x) / self.half_width
        dy = (y - self.centre_y) / self.half_height
        radius = np.sqrt(dx * dx + dy * dy) * (1.0 + _RIM_WAVINESS * self.rim.at(x, y))
        ellipse = (1.0 - radius) * min(self.half_width, self.half_height)
        pad = self.master.shape.inside_distance(x, y)
        result: NDArray[np.float64] = np.minimum(ellipse, pad)
        return result


def _visible_minutiae(
    minutiae: Minutiae,
    geometry: ImpressionGeometry,
    outline: _ContactOutline,
    width: int,
    height: int,
) -> tuple[Minutiae, NDArray[np.intp]]:
    """The master's minutiae that this impression shows, in its pixels and angles."""
    mx = minutiae.x.astype(np.float64)
    my = minutiae.y.astype(np.float64)
    x, y = geometry.to_impression(mx, my)
    angle = minutiae.angle.astype(np.float64)
    # An ISO angle is counter-clockwise as seen: in pixel axes the direction is (cos, -sin).
    probe_x, probe_y = geometry.to_impression(
        mx + _DIRECTION_PROBE * np.cos(angle), my - _DIRECTION_PROBE * np.sin(angle)
    )
    moved_angle = np.mod(np.arctan2(-(probe_y - y), probe_x - x), 2 * np.pi)
    margin = VISIBLE_MARGIN
    shown = (
        (outline.edge_distance(mx, my) >= margin)
        & (x >= margin)
        & (x <= width - 1 - margin)
        & (y >= margin)
        & (y <= height - 1 - margin)
    )
    indices = np.flatnonzero(shown)
    moved = Minutiae(
        x=x[indices].astype(np.float32),
        y=y[indices].astype(np.float32),
        angle=moved_angle[indices].astype(np.float32),
        kind=minutiae.kind[indices],
        quality=minutiae.quality[indices],
        width=width,
        height=height,
    )
    return moved, indices
