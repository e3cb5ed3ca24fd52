"""The ridge orientation field of a master: Sherlock and Monro's zero-pole model around the
cores and deltas, each singular point's bearing warped (Vizcaya and Gerhardt) so loops differ in
shape (an arch gets a smooth bump instead), ridges above the cores bending to follow the
fingertip, and a gentle random bend so no two fingers of one class flow quite alike."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from simulator.fingerprint.finger_shape import FingerShape
from simulator.fingerprint.seeding import Stream, random_stream
from simulator.fingerprint.singularities import Singularities
from simulator.fingerprint.smooth_field import SmoothField

# Random bend, radians (standard deviation), and its wavelengths in pixels: far longer than a
# ridge period so it bends ridges without creating new singularities. Without it different
# fingers of one class flow so alike that the matcher scores impostor pairs twice as high as
# FVC2002's (docs/synthetic-fingerprints.md). It fades out near the cores and deltas (within
# _BEND_CLEARANCE pixels), so a tented arch stays a tented arch.
_BEND = 0.3
_BEND_WAVELENGTHS = (120.0, 300.0)
_BEND_CLEARANCE = 50.0
# Arch: ridges rise over a bump this wide (pixels) and this steep (largest slope).
_ARCH_WIDTH = (55.0, 85.0)
_ARCH_SLOPE = (1.0, 1.6)
# Near the tip, ridges run this much of the way towards parallel with the pad's outline; the
# bending starts this far (pixels) above the highest core.
_TIP_FOLLOWING = (0.55, 0.85)
_TIP_START = 25.0
# Each singular point's bearing is warped by a smooth periodic function (Vizcaya and
# Gerhardt's correction, as in SFinGe), so loops of one class differ in shape: narrow or wide,
# tilted, lopsided. Harmonic k of the warp has amplitude up to _WARP / k radians; the sum of
# k * amplitude stays below 1, so the warp never folds back and adds no singular point.
_WARP = 0.32
_WARP_HARMONICS = 3


@dataclass(frozen=True)
class OrientationModel:
    """Ridge direction at any point: radians in [0, pi), pixel axes (x right, y down), so 0 is
    a horizontal ridge and pi/2 a vertical one."""

    singularities: Singularities
    shape: FingerShape
    background: float
    bend: SmoothField
    arch_width: float
    arch_slope: float
    tip_following: float
    core_warps: tuple[BearingWarp, ...] = ()
    delta_warps: tuple[BearingWarp, ...] = ()

    def angle_at(self, x: NDArray[np.float64], y: NDArray[np.float64]) -> NDArray[np.float64]:
        angle = np.full(np.broadcast(x, y).shape, self.background)
        # Zero-pole model: each core adds half the bearing from it, each delta subtracts it.
        for index, (core_x, core_y) in enumerate(self.singularities.cores):
            bearing = np.arctan2(y - core_y, x - core_x)
            angle += 0.5 * _warped(self.core_warps, index, bearing)
        for index, (delta_x, delta_y) in enumerate(self.singularities.deltas):
            bearing = np.arctan2(y - delta_y, x - delta_x)
            angle -= 0.5 * _warped(self.delta_warps, index, bearing)
        if not self.singularities.cores:
            angle += self._arch(x, y)
        angle += self._tip(x, y)
        angle += _BEND * np.clip(self.bend.at(x, y), -2.0, 2.0) * self._clearance(x, y)
        result: NDArray[np.float64] = np.mod(angle, np.pi)
        return result

    def _clearance(self, x: NDArray[np.float64], y: NDArray[np.float64]) -> NDArray[np.float64]:
        """0 at a core or delta (an arch's centre), 1 from about _BEND_CLEARANCE px away."""
        nearest = np.full(np.broadcast(x, y).shape, np.inf)
        # An arch keeps its bump clear instead.
        points = self.singularities.cores + self.singularities.deltas
        for point_x, point_y in points or (self.singularities.arch_centre,):
            nearest = np.minimum(nearest, (x - point_x) ** 2 + (y - point_y) ** 2)
        result: NDArray[np.float64] = 1.0 - np.exp(-nearest / (2 * _BEND_CLEARANCE**2))
        return result

    def _arch(self, x: NDArray[np.float64], y: NDArray[np.float64]) -> NDArray[np.float64]:
        """Ridges that rise over the arch centre: the slope of a Gaussian bump, strongest
        above the centre and fading to flat ridges below it."""
        centre_x, centre_y = self.singularities.arch_centre
        across = (x - centre_x) / self.arch_width
        # 1.65 makes the largest slope of u*exp(-u^2/2) equal to 1.
        slope = self.arch_slope * 1.65 * across * np.exp(-0.5 * across * across)
        rising = 1.0 / (1.0 + np.exp((y - centre_y - 40.0) / 35.0))
        result: NDArray[np.float64] = np.arctan(slope * rising)
        return result

    def _tip(self, x: NDArray[np.float64], y: NDArray[np.float64]) -> NDArray[np.float64]:
        """Ridges above the cores curve down at the sides, parallel to the fingertip's outline
        near the tip, straight at the level of the cores."""
        shape = self.shape
        across = np.clip((x - shape.centre_x) / shape.half_width, -0.95, 0.95)
        outline_slope = (
            (shape.top_half_height / shape.half_width) * across / np.sqrt(1.0 - across * across)
        )
        top = shape.centre_y - shape.top_half_height
        highest = min(
            (core_y for _, core_y in self.singularities.cores),
            default=self.singularities.arch_centre[1],
        )
        start = highest - _TIP_START
        rise = np.clip((start - y) / max(start - top, 1.0), 0.0, 1.0) ** 1.5
        result: NDArray[np.float64] = np.arctan(self.tip_following * outline_slope * rise)
        return result


@dataclass(frozen=True)
class BearingWarp:
    """A smooth, increasing map of bearings onto bearings: b + sum of a few harmonics, so that
    going once round a singular point still turns the field by exactly half a turn."""

    cosines: tuple[float, ...]
    sines: tuple[float, ...]

    @classmethod
    def draw(cls, rng: np.random.Generator) -> BearingWarp:
        harmonics = np.arange(1, _WARP_HARMONICS + 1)
        amplitude = rng.uniform(0.0, _WARP, _WARP_HARMONICS) / harmonics
        phase = rng.uniform(0.0, 2 * np.pi, _WARP_HARMONICS)
        # Increasing if sum(k * amplitude) < 1: _WARP * harmonics stays below that.
        return cls(
            cosines=tuple(float(v) for v in amplitude * np.cos(phase)),
            sines=tuple(float(v) for v in amplitude * np.sin(phase)),
        )

    def at(self, bearing: NDArray[np.float64]) -> NDArray[np.float64]:
        result = bearing.copy()
        for k, (a, b) in enumerate(zip(self.cosines, self.sines, strict=True), start=1):
            result += a * np.cos(k * bearing) + b * np.sin(k * bearing)
        return result


def _warped(
    warps: tuple[BearingWarp, ...], index: int, bearing: NDArray[np.float64]
) -> NDArray[np.float64]:
    return warps[index].at(bearing) if index < len(warps) else bearing


def draw_orientation_model(
    finger_seed: int, singularities: Singularities, shape: FingerShape
) -> OrientationModel:
    rng = random_stream(finger_seed, Stream.ORIENTATION)
    return OrientationModel(
        singularities=singularities,
        shape=shape,
        background=rng.normal(0.0, 0.05),
        bend=SmoothField.draw(rng, *_BEND_WAVELENGTHS),
        arch_width=rng.uniform(*_ARCH_WIDTH),
        arch_slope=rng.uniform(*_ARCH_SLOPE),
        tip_following=rng.uniform(*_TIP_FOLLOWING),
        core_warps=tuple(BearingWarp.draw(rng) for _ in singularities.cores),
        delta_warps=tuple(BearingWarp.draw(rng) for _ in singularities.deltas),
    )
