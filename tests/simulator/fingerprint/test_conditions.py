"""Named conditions: drawn from a seed by difficulty; partial contact and scars show fewer of
the finger's minutiae."""

from __future__ import annotations

import numpy as np
import pytest

from simulator.fingerprint import (
    ImpressionConditions,
    MasterFingerprint,
    draw_conditions,
    render_impression,
)


@pytest.mark.parametrize("seed", [0, 1, 99])
def test_difficulty_zero_is_the_ideal_capture(seed: int) -> None:
    assert draw_conditions(seed, difficulty=0.0) == ImpressionConditions.ideal()


def test_a_higher_difficulty_spreads_the_conditions_wider() -> None:
    def spread(difficulty: float) -> tuple[float, float, float]:
        drawn = [draw_conditions(seed, difficulty) for seed in range(200)]
        return (
            float(np.std([c.rotation for c in drawn])),
            float(np.std([np.hypot(c.shift_x, c.shift_y) for c in drawn])),
            float(np.std([c.moisture for c in drawn])),
        )

    easy, hard = spread(0.5), spread(1.5)
    assert all(h > 1.5 * e for e, h in zip(easy, hard, strict=True))


def test_a_negative_difficulty_is_refused() -> None:
    with pytest.raises(ValueError, match="difficulty"):
        draw_conditions(1, difficulty=-0.1)


def test_a_partial_touch_shows_fewer_minutiae(master: MasterFingerprint) -> None:
    full = render_impression(master, 3, ImpressionConditions.ideal())
    partial = render_impression(
        master, 3, ImpressionConditions(shift_x=90.0, contact_offset_x=0.35, contact=0.8)
    )
    assert partial.contact.sum() < 0.8 * full.contact.sum()
    assert len(partial.minutiae) < 0.8 * len(full.minutiae)
    # Those still shown are a subset of the finger's.
    assert set(partial.master_indices.tolist()) < set(range(len(master.minutiae)))


def test_scars_hide_minutiae_in_every_impression(
    master: MasterFingerprint, scarred_master: MasterFingerprint
) -> None:
    for seed in (4, 5):
        clear = render_impression(master, seed)
        scarred = render_impression(scarred_master, seed)
        assert len(scarred.minutiae) < len(clear.minutiae)


def test_a_scar_prints_pale_across_the_ridges(scarred_master: MasterFingerprint) -> None:
    impression = render_impression(scarred_master, 6, ImpressionConditions.ideal())
    geometry = impression.geometry
    contact = impression.contact
    for scar in scarred_master.scars:
        x, y = geometry.to_impression(scar.x, scar.y)
        column, row = np.rint(x).astype(int), np.rint(y).astype(int)
        inside = (column >= 0) & (column < 388) & (row >= 0) & (row < 374)
        inside[inside] &= contact[row[inside], column[inside]]
        if inside.sum() < 10:
            continue
        along_scar = impression.image[row[inside], column[inside]].astype(float)
        assert along_scar.mean() > impression.image[contact].mean() + 30
