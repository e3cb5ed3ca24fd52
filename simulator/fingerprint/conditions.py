"""How one impression is taken: placement, skin, pressure and sensor, as named numbers, and the
random draw of them for a given difficulty. Lengths are pixels at 500 dpi."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

import numpy as np

from simulator.fingerprint.seeding import Stream, random_stream

# The difficulty at which the project's matcher scores synthetic genuine pairs like FVC2002
# DB1_B/DB2_B genuine pairs, not easier: measured with simulator.fingerprint.calibration on 30
# fingers, figures in docs/synthetic-fingerprints.md. Re-measure when the matcher changes.
DEFAULT_DIFFICULTY = 1.1
# Typical local skin displacement (pixels) at difficulty 1.
LOCAL_DISTORTION = 3.0


@dataclass(frozen=True)
class ImpressionConditions:
    """One placement of a finger on the sensor. The defaults are an ideal, centred capture.

    rotation: degrees, counter-clockwise as the image is seen.
    shift_x, shift_y: where the pad's centre lands relative to the image centre.
    distortion_x, distortion_y, distortion_twist: the plastic drag of the skin away from the
        centre of contact (pixels, degrees); the middle of the contact stays put.
    local_distortion: uneven stretching of the skin within the contact (pixels, typical
        displacement): what makes two impressions differ locally even when aligned.
    contact: size of the contact area as a fraction of the pad (pressure presses more skin on).
    contact_offset_x, contact_offset_y: the contact area shifted towards an edge of the pad, as
        fractions of its half-width / half-height (a finger rolled or tipped: partial contact).
    moisture: -1 very dry (thin, broken ridges) to +1 very wet (thick ridges merging).
    pressure: 0 light (faint, thin ridges) to 1 heavy (dark, thick ridges).
    noise: sensor noise, grey levels (standard deviation).
    blur: optical blur, pixels (Gaussian sigma).
    smudges: patches of grease or dirt on the platen.
    """

    rotation: float = 0.0
    shift_x: float = 0.0
    shift_y: float = 0.0
    distortion_x: float = 0.0
    distortion_y: float = 0.0
    distortion_twist: float = 0.0
    local_distortion: float = 0.0
    contact: float = 0.9
    contact_offset_x: float = 0.0
    contact_offset_y: float = 0.0
    moisture: float = 0.0
    pressure: float = 0.5
    noise: float = 2.0
    blur: float = 0.5
    smudges: int = 0

    @classmethod
    def ideal(cls) -> ImpressionConditions:
        """A centred, undistorted, clean capture: what a reference enrolment aims for."""
        return cls()


def draw_conditions(
    impression_seed: int, difficulty: float = DEFAULT_DIFFICULTY
) -> ImpressionConditions:
    """Random conditions for one impression. `difficulty` 0 gives the ideal capture; the
    default (DEFAULT_DIFFICULTY) the spread of the FVC2002 B sets; more is harder.

    As FVC2002's volunteers were asked to for their 8 impressions of a finger, each impression
    varies a little in everything and may exaggerate one thing: the placement (a shifted,
    partial touch), the distortion and rotation, dry skin or wet skin.
    """
    if difficulty < 0:
        raise ValueError(f"difficulty must be at least 0, got {difficulty}")
    rng = random_stream(impression_seed, Stream.CONDITIONS)
    d = difficulty
    # Drawn in a fixed order: adding a draw at the end keeps the earlier values.
    rotation = rng.normal(0.0, 6.0 * d)
    shift = rng.normal(0.0, 10.0 * d, 2)
    drag_length = rng.uniform(0.0, 4.0 * d)
    drag_heading = rng.uniform(0.0, 2 * np.pi)
    twist = rng.normal(0.0, 1.5 * d)
    pressure = 0.5 + rng.normal(0.0, 0.15 * d)
    moisture = rng.normal(0.0, 0.2 * d)
    contact = 0.9 - 0.08 * d * rng.random()
    noise = 2.0 + rng.uniform(0.0, 4.0 * d)
    blur = 0.5 + rng.uniform(0.0, 0.4 * d)
    smudges = int(rng.poisson(0.3 * d))
    local_distortion = rng.uniform(0.3, 1.0) * LOCAL_DISTORTION * d
    offset = (0.0, 0.0)

    tasks = list(_Task)
    task = tasks[int(rng.integers(len(tasks)))] if rng.random() < min(1.0, d) else _Task.NORMAL
    heading = rng.uniform(0.0, 2 * np.pi)
    # Some volunteers exaggerate far more than others: FVC2002's worst fingers fail most of
    # their genuine pairs, which makes the long tail of genuine scores.
    strength = rng.uniform(0.4, 1.4)
    if task is _Task.DISPLACED:
        shift += 45.0 * d * strength * np.array([np.cos(heading), np.sin(heading)])
        reach = 0.4 * min(d, 1.0) * strength
        offset = (reach * np.cos(heading), reach * np.sin(heading))
    elif task is _Task.DISTORTED:
        rotation += np.sign(rng.normal()) * 20.0 * d * strength
        drag_length += 10.0 * d * strength
        local_distortion += LOCAL_DISTORTION * d * strength
        twist += rng.normal(0.0, 4.0 * d)
    elif task is _Task.DRY:
        moisture -= 0.8 * min(d, 1.25) * strength
        pressure -= 0.2 * min(d, 1.0) * strength
    elif task is _Task.WET:
        moisture += 0.8 * min(d, 1.25) * strength
        pressure += 0.2 * min(d, 1.0) * strength

    return ImpressionConditions(
        rotation=float(np.clip(rotation, -35.0, 35.0)),
        shift_x=float(shift[0]),
        shift_y=float(shift[1]),
        distortion_x=float(drag_length * np.cos(drag_heading)),
        distortion_y=float(drag_length * np.sin(drag_heading)),
        distortion_twist=float(twist),
        local_distortion=float(local_distortion),
        contact=float(np.clip(contact - 0.1 * (0.5 - pressure), 0.5, 0.98)),
        contact_offset_x=float(offset[0]),
        contact_offset_y=float(offset[1]),
        moisture=float(np.clip(moisture, -1.0, 1.0)),
        pressure=float(np.clip(pressure, 0.0, 1.0)),
        noise=float(noise),
        blur=float(blur),
        smudges=smudges,
    )


class _Task(Enum):
    """What an FVC2002 volunteer was asked to exaggerate in an impression."""

    NORMAL = "normal"
    DISPLACED = "displaced"
    DISTORTED = "distorted"
    DRY = "dry"
    WET = "wet"
