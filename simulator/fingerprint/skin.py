"""How much ink (ridge contact) each impression pixel gets from the skin: ridges thin and break
when dry or lightly pressed, thicken and merge when wet or pressed hard, and fade towards the
edge of the contact area where the finger barely touches."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from simulator.fingerprint.conditions import ImpressionConditions
from simulator.fingerprint.texture import blotches

# The ridge field is about tanh(2 sin): a threshold of +-0.5 on it narrows or widens ridges by
# about a fifth of a period.
_MOISTURE_THRESHOLD = 0.5
_PRESSURE_THRESHOLD = 0.4
# Ridges thin out over this many pixels inside the contact's edge.
_EDGE_FADE = 14.0
_EDGE_THINNING = 0.8
# Softness of a ridge's flank, in ridge-field units.
_FLANK = 0.3
# Fully worn skin breaks like this much dryness and prints this much paler.
_WEAR_DRYNESS = 0.7
_WEAR_FADING = 0.3


def ridge_ink(
    ridges: NDArray[np.float32],
    contact_edge: NDArray[np.float32],
    conditions: ImpressionConditions,
    wear: float,
    rng: np.random.Generator,
) -> NDArray[np.float32]:
    """Ink coverage 0-1 per pixel from the sampled ridge field (ridges positive), the distance
    inside the contact area (pixels, negative outside) and the finger's skin wear (0-1)."""
    height, width = ridges.shape
    edge_share = np.clip(contact_edge / _EDGE_FADE, 0.0, 1.0)
    threshold = (
        -_MOISTURE_THRESHOLD * conditions.moisture
        - _PRESSURE_THRESHOLD * (conditions.pressure - 0.5)
        + _EDGE_THINNING * (1.0 - edge_share)
    )
    ink = np.clip((ridges - threshold) / _FLANK + 0.5, 0.0, 1.0)

    # Worn skin breaks like dry skin, whatever the moisture.
    dryness = min(1.0, max(0.0, -conditions.moisture) + _WEAR_DRYNESS * wear)
    wetness = max(0.0, conditions.moisture)
    # Dry skin touches the glass in patches: ridges break into dashes and dots.
    broken = blotches(rng, height, width, 3.5)
    gap_level = -2.2 + 2.4 * dryness
    ink *= np.clip((broken - gap_level) / 0.5, 0.0, 1.0)
    # Wet skin leaves moisture in the valleys: dark patches join neighbouring ridges.
    pooled = blotches(rng, height, width, 7.0)
    pool_level = 2.4 - 2.2 * wetness
    ink = np.maximum(ink, 0.85 * np.clip((pooled - pool_level) / 0.6, 0.0, 1.0))
    # Uneven pressure across the pad: some areas print paler.
    evenness = 0.85 + 0.15 * np.clip(blotches(rng, height, width, 60.0), -2.0, 2.0) / 2.0
    evenness *= 1.0 - _WEAR_FADING * wear
    ink *= evenness
    inside = np.clip(contact_edge / 2.0 + 0.5, 0.0, 1.0)
    return np.asarray(ink * inside, dtype=np.float32)
