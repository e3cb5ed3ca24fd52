"""Masters: singular points by class, ridge period, true minutiae, scars."""

from __future__ import annotations

import numpy as np
import pytest

from simulator.fingerprint import MASTER_HEIGHT, MASTER_WIDTH, MasterFingerprint, PatternClass
from simulator.fingerprint.finger_shape import draw_finger_shape
from simulator.fingerprint.ground_truth import EDGE_MARGIN
from simulator.fingerprint.singularities import place_singularities
from tests.simulator.fingerprint.ridge_measure import dominant_period

ENDING, BIFURCATION = 1, 2


@pytest.mark.parametrize(
    ("pattern", "cores", "deltas"),
    [
        (PatternClass.ARCH, 0, 0),
        (PatternClass.TENTED_ARCH, 1, 1),
        (PatternClass.LEFT_LOOP, 1, 1),
        (PatternClass.RIGHT_LOOP, 1, 1),
        (PatternClass.WHORL, 2, 2),
    ],
)
def test_each_class_has_its_cores_and_deltas(
    pattern: PatternClass, cores: int, deltas: int
) -> None:
    shape = draw_finger_shape(7, 2, MASTER_WIDTH, MASTER_HEIGHT)
    singularities = place_singularities(7, pattern, shape)
    assert (len(singularities.cores), len(singularities.deltas)) == (cores, deltas)
    for x, y in singularities.cores:
        assert shape.inside_distance(np.array(x), np.array(y)) > 30


@pytest.mark.parametrize(
    ("pattern", "side"), [(PatternClass.RIGHT_LOOP, -1), (PatternClass.LEFT_LOOP, 1)]
)
def test_a_loop_has_its_delta_opposite_its_opening(pattern: PatternClass, side: int) -> None:
    shape = draw_finger_shape(3, 2, MASTER_WIDTH, MASTER_HEIGHT)
    for seed in range(20):
        singularities = place_singularities(seed, pattern, shape)
        (core_x, core_y), (delta_x, delta_y) = singularities.cores[0], singularities.deltas[0]
        assert np.sign(delta_x - core_x) == side
        assert delta_y > core_y


def test_the_ridge_period_is_the_models(master: MasterFingerprint) -> None:
    # A 128 px patch at the pad's centre, measured like a scan: about 9-10 px at 500 dpi.
    cx, cy = round(master.shape.centre_x), round(master.shape.centre_y)
    measured = dominant_period(master.ridges[cy - 64 : cy + 64, cx - 64 : cx + 64])
    assert 8.0 <= measured <= 11.0
    assert measured == pytest.approx(master.period.base, rel=0.1)


def test_a_master_has_a_realistic_number_of_minutiae_of_both_kinds(
    master: MasterFingerprint,
) -> None:
    assert 25 <= len(master.minutiae) <= 110
    kinds = set(master.minutiae.kind.tolist())
    assert kinds == {ENDING, BIFURCATION}
    edge = master.edge_distance()
    inside = edge[master.minutiae.y.astype(int), master.minutiae.x.astype(int)]
    assert (inside >= EDGE_MARGIN).all()


def test_a_scarred_finger_loses_the_minutiae_under_its_scars(
    master: MasterFingerprint, scarred_master: MasterFingerprint
) -> None:
    assert scarred_master.scarred
    assert not master.scarred
    assert len(scarred_master.minutiae) < len(master.minutiae)
    # Scar tissue prints as valley: the ridge field along each scar's middle is negative.
    for scar in scarred_master.scars:
        middle = scarred_master.ridges[np.rint(scar.y).astype(int), np.rint(scar.x).astype(int)]
        assert np.mean(middle < 0) > 0.95
