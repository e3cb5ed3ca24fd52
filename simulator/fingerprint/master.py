"""Master fingerprints: the ridge pattern of one finger, rendered from its seed alone, with the
true minutiae. Impressions (simulator.fingerprint.impression) are views of a master."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
from numpy.typing import NDArray

from matcher.fingerprint import Minutiae
from simulator.fingerprint.finger_shape import FingerShape, draw_finger_shape
from simulator.fingerprint.ground_truth import find_minutiae
from simulator.fingerprint.orientation_model import OrientationModel, draw_orientation_model
from simulator.fingerprint.pattern_class import PatternClass, draw_pattern_class
from simulator.fingerprint.ridge_growth import grow_ridges
from simulator.fingerprint.ridge_period import RidgePeriodModel, draw_ridge_period
from simulator.fingerprint.scars import Scar, draw_scars, scar_cover
from simulator.fingerprint.seeding import Stream, random_stream
from simulator.fingerprint.singularities import Singularities, place_singularities

# The canvas holds the whole pad at 500 dpi (18 x 24 mm) with a margin.
MASTER_WIDTH = 360
MASTER_HEIGHT = 480
RESOLUTION_DPI = 500
# Ridges grow on a half-resolution grid (a quarter of the work); the filter response is
# band-limited, so upsampling it loses nothing a 500 dpi sensor would show.
_GROWTH_SCALE = 2
# Growth passes. Each pass anneals away more of the noise's accidental minutiae (short ridges,
# islands, ridge pairs ending face to face: as many point one way as the other) and leaves those
# the flow forces (ridges inserted where it spreads: all point the same way, and alike on every
# finger of a class). After 10 passes 77% of nearby parallel minutiae pointed the same way (on
# FVC2002 64%) and 0.72% of impostor pairs reached the matcher's threshold (FVC2002: 0.035%);
# after 6, 68% and 0.32% (docs/synthetic-fingerprints.md, "Impostors").
GROWTH_ITERATIONS = 6
# Ridges grow this far (pixels) beyond the pad's outline, so no impression sees them start.
_GROWTH_MARGIN = 16.0
# Saturation of the final ridge profile: flat-topped ridges, steep flanks.
_RIDGE_SHARPNESS = 2.0
# Minutiae this close to a scar (pixels beyond its edge) are lost with it.
_SCAR_MARGIN = 4.0
# Some fingers print poorly whatever the capture: worn or chronically dry skin (age, manual
# work). FVC2002's B sets have such fingers (DB2_B's finger 109 fails 14 of its 28 genuine
# pairs with our matcher), and they make the long tail of failed genuine comparisons.
WORN_SHARE = 0.12
_WEAR = (0.3, 1.0)


@dataclass(frozen=True, eq=False)
class MasterFingerprint:
    """One finger's ridge pattern on a MASTER_WIDTH x MASTER_HEIGHT canvas at 500 dpi.

    `ridges` is in [-1, 1], ridges positive and valleys negative (about 0.7 MB: the one large
    array, so a cache of masters costs that much per finger). `minutiae` are the true ridge
    endings and bifurcations in canvas pixels with ISO/IEC 19794-2 angles, those under a scar
    left out. `orientation` and `period` give the model's ridge direction and period anywhere.
    `skin_wear` is 0 for healthy skin, up to 1 for worn skin that prints broken in every
    impression.
    """

    finger_seed: int
    position: int
    pattern: PatternClass
    shape: FingerShape
    singularities: Singularities
    orientation: OrientationModel
    period: RidgePeriodModel
    ridges: NDArray[np.float32]
    minutiae: Minutiae
    scars: tuple[Scar, ...]
    skin_wear: float

    @property
    def scarred(self) -> bool:
        return bool(self.scars)

    def edge_distance(self) -> NDArray[np.float64]:
        """How far (pixels) each canvas pixel lies inside the pad; negative outside."""
        ys, xs = np.mgrid[0:MASTER_HEIGHT, 0:MASTER_WIDTH].astype(np.float64)
        return self.shape.inside_distance(xs, ys)


def render_master(finger_seed: int, position: int = 0, scarred: bool = False) -> MasterFingerprint:
    """Render one finger's master from its seed (about 0.2-0.3 s). `position` is the ISO/IEC
    19794-2 finger position (0 unknown) and sets the class frequencies and the pad's size.
    Use `fixtures.population.finger_seed(person.fingerprint_seed, position)` for a person's
    finger, or a master cache (simulator.fingerprint.master_cache) to render each once."""
    pattern = draw_pattern_class(finger_seed, position)
    shape = draw_finger_shape(finger_seed, position, MASTER_WIDTH, MASTER_HEIGHT)
    singularities = place_singularities(finger_seed, pattern, shape)
    orientation = draw_orientation_model(finger_seed, singularities, shape)
    top_y = min((y for _, y in singularities.cores), default=singularities.arch_centre[1])
    period = draw_ridge_period(finger_seed, top_y)

    ridges = _grow(finger_seed, shape, orientation, period)
    ys, xs = np.mgrid[0:MASTER_HEIGHT, 0:MASTER_WIDTH].astype(np.float64)
    edge_distance = shape.inside_distance(xs, ys)
    minutiae = find_minutiae(ridges, edge_distance, orientation.angle_at, period.base)

    scars: tuple[Scar, ...] = ()
    if scarred:
        scars = draw_scars(finger_seed, shape)
        cover = scar_cover(scars, MASTER_WIDTH, MASTER_HEIGHT)
        # Scar tissue has no ridges: it prints as valley.
        ridges = (ridges * (1.0 - cover) - cover).astype(np.float32)
        near = cv2.dilate(
            (cover > 0.05).astype(np.uint8),
            cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * int(_SCAR_MARGIN) + 1,) * 2),
        )
        visible = near[minutiae.y.astype(np.intp), minutiae.x.astype(np.intp)] == 0
        minutiae = minutiae.select(visible)
    return MasterFingerprint(
        finger_seed=finger_seed,
        position=position,
        pattern=pattern,
        shape=shape,
        singularities=singularities,
        orientation=orientation,
        period=period,
        ridges=ridges,
        minutiae=minutiae,
        scars=scars,
        skin_wear=_draw_skin_wear(finger_seed),
    )


def _draw_skin_wear(finger_seed: int) -> float:
    rng = random_stream(finger_seed, Stream.SKIN_WEAR)
    worn = rng.random() < WORN_SHARE
    wear = rng.uniform(*_WEAR)
    return float(wear) if worn else 0.0


def _grow(
    finger_seed: int,
    shape: FingerShape,
    orientation: OrientationModel,
    period: RidgePeriodModel,
) -> NDArray[np.float32]:
    """Ridges on the master canvas, grown on the half-resolution grid and upsampled."""
    grid_height = MASTER_HEIGHT // _GROWTH_SCALE
    grid_width = MASTER_WIDTH // _GROWTH_SCALE
    # Master coordinates of the grid's pixel centres (grid pixel i covers master pixels 2i, 2i+1).
    gy, gx = np.mgrid[0:grid_height, 0:grid_width].astype(np.float64)
    x = gx * _GROWTH_SCALE + (_GROWTH_SCALE - 1) / 2
    y = gy * _GROWTH_SCALE + (_GROWTH_SCALE - 1) / 2
    support = np.clip((shape.inside_distance(x, y) + _GROWTH_MARGIN) / 8.0, 0.0, 1.0)
    noise = random_stream(finger_seed, Stream.RIDGE_NOISE).standard_normal(
        (grid_height, grid_width), dtype=np.float32
    )
    response = grow_ridges(
        orientation.angle_at(x, y),
        period.period_at(x, y),
        support.astype(np.float32),
        float(_GROWTH_SCALE),
        noise,
        GROWTH_ITERATIONS,
    )
    upsampled = cv2.resize(response, (MASTER_WIDTH, MASTER_HEIGHT), interpolation=cv2.INTER_CUBIC)
    return np.asarray(np.tanh(_RIDGE_SHARPNESS * upsampled), dtype=np.float32)
