"""Impression geometry: the reported minutiae are the master's under the known placement, and
the image agrees with them (rigidly moved, and elastically distorted)."""

from __future__ import annotations

import cv2
import numpy as np
from numpy.typing import NDArray

from simulator.fingerprint import (
    ImpressionConditions,
    MasterFingerprint,
    SyntheticImpression,
    render_impression,
)
from simulator.fingerprint.ground_truth import find_minutiae

WIDTH, HEIGHT = 388, 374
ROTATION, SHIFT_X, SHIFT_Y = 20.0, 15.0, -10.0
RIGID = ImpressionConditions(rotation=ROTATION, shift_x=SHIFT_X, shift_y=SHIFT_Y, contact=0.95)
DISTORTED = ImpressionConditions(
    rotation=-8.0,
    distortion_x=9.0,
    distortion_y=-5.0,
    distortion_twist=4.0,
    local_distortion=3.0,
    contact=0.95,
    noise=0.0,
)


def _rigid_matrix(master: MasterFingerprint, rotation: float) -> NDArray[np.float64]:
    """Master pixel -> impression pixel for a rotation counter-clockwise as seen (y down)."""
    angle = np.radians(rotation)
    cos, sin = np.cos(angle), np.sin(angle)
    linear = np.array([[cos, sin], [-sin, cos]])
    centre = np.array([master.shape.centre_x, master.shape.centre_y])
    target = np.array([(WIDTH - 1) / 2 + SHIFT_X, (HEIGHT - 1) / 2 + SHIFT_Y])
    return np.hstack([linear, (target - linear @ centre)[:, None]])


def _rigid_placement(
    impression: SyntheticImpression, x: NDArray[np.float32], y: NDArray[np.float32]
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Where the impression's rotation and shift alone put master points."""
    geometry = impression.geometry
    dx = x.astype(np.float64) - geometry.master_centre[0]
    dy = y.astype(np.float64) - geometry.master_centre[1]
    cos, sin = np.cos(geometry.rotation), np.sin(geometry.rotation)
    return (
        cos * dx + sin * dy + geometry.image_centre[0],
        -sin * dx + cos * dy + geometry.image_centre[1],
    )


def test_rotated_and_shifted_minutiae_are_the_masters_moved(master: MasterFingerprint) -> None:
    impression = render_impression(master, 1, RIGID)
    matrix = _rigid_matrix(master, ROTATION)
    source = master.minutiae.select(impression.master_indices)
    expected = matrix @ np.vstack([source.x, source.y, np.ones(len(source))])
    assert len(impression.minutiae) >= 15
    assert np.allclose(impression.minutiae.x, expected[0], atol=0.01)
    assert np.allclose(impression.minutiae.y, expected[1], atol=0.01)
    turn = np.angle(np.exp(1j * (impression.minutiae.angle - source.angle - np.radians(ROTATION))))
    assert np.abs(turn).max() < 0.01


def test_the_image_shows_the_master_under_the_same_placement(master: MasterFingerprint) -> None:
    impression = render_impression(master, 1, RIGID)
    contact = impression.contact
    ink = 255.0 - impression.image.astype(np.float64)

    def agreement(rotation: float) -> float:
        moved = cv2.warpAffine(master.ridges, _rigid_matrix(master, rotation), (WIDTH, HEIGHT))
        return float(np.corrcoef(moved[contact], ink[contact])[0, 1])

    assert agreement(ROTATION) > 0.7
    assert abs(agreement(-ROTATION)) < 0.2


def test_every_placed_minutia_maps_back_to_its_master_position(master: MasterFingerprint) -> None:
    impression = render_impression(master, 2, DISTORTED)
    source = master.minutiae.select(impression.master_indices)
    back_x, back_y = impression.geometry.to_master(
        impression.minutiae.x.astype(np.float64), impression.minutiae.y.astype(np.float64)
    )
    assert np.abs(back_x - source.x).max() < 0.01
    assert np.abs(back_y - source.y).max() < 0.01
    # And the distortion really moved them away from a rigid placement.
    rigid_x, rigid_y = _rigid_placement(impression, source.x, source.y)
    assert np.hypot(impression.minutiae.x - rigid_x, impression.minutiae.y - rigid_y).max() > 3


def _distorted_field(
    master: MasterFingerprint, impression: SyntheticImpression
) -> NDArray[np.float32]:
    """The master's ridges resampled through the impression's geometry at every pixel."""
    ys, xs = np.mgrid[0:HEIGHT, 0:WIDTH].astype(np.float64)
    master_x, master_y = impression.geometry.to_master(xs, ys)
    field = cv2.remap(
        master.ridges,
        master_x.astype(np.float32),
        master_y.astype(np.float32),
        cv2.INTER_LINEAR,
        borderValue=(-1.0,),
    )
    return np.asarray(field, dtype=np.float32)


def test_distorted_minutiae_sit_where_the_distorted_ridges_have_them(
    master: MasterFingerprint,
) -> None:
    """Minutiae found afresh on the distorted ridges are where the impression reports them:
    the reported ones went through the inverse of the map the image was drawn with."""
    impression = render_impression(master, 2, DISTORTED)
    edge = cv2.distanceTransform(impression.contact.astype(np.uint8), cv2.DIST_L2, 5)
    found = find_minutiae(
        _distorted_field(master, impression),
        edge.astype(np.float64),
        lambda x, y: np.zeros_like(x),
        master.period.base,
    )
    reported = impression.minutiae
    distance = np.hypot(
        reported.x[:, None] - found.x[None, :], reported.y[:, None] - found.y[None, :]
    )
    same_kind = reported.kind[:, None] == found.kind[None, :]
    nearest = np.where(same_kind, distance, np.inf).min(axis=1)
    assert len(reported) >= 15
    # 0.93 when written; the rest fall to the finder's stricter edge margin and pair filter.
    assert np.mean(nearest <= 4.0) >= 0.85, np.sort(nearest)


def test_the_image_shows_the_distorted_ridges(master: MasterFingerprint) -> None:
    impression = render_impression(master, 2, DISTORTED)
    contact = impression.contact
    ink = 255.0 - impression.image.astype(np.float64)
    distorted = _distorted_field(master, impression)
    rigid = cv2.warpAffine(
        master.ridges,
        _rigid_matrix_of(impression),
        (WIDTH, HEIGHT),
        borderValue=(-1.0,),
    )
    with_distortion = float(np.corrcoef(distorted[contact], ink[contact])[0, 1])
    without = float(np.corrcoef(rigid[contact], ink[contact])[0, 1])
    assert with_distortion > 0.7
    assert without < with_distortion - 0.3


def _rigid_matrix_of(impression: SyntheticImpression) -> NDArray[np.float64]:
    geometry = impression.geometry
    cos, sin = np.cos(geometry.rotation), np.sin(geometry.rotation)
    linear = np.array([[cos, sin], [-sin, cos]])
    centre = np.array(geometry.master_centre)
    return np.hstack([linear, (np.array(geometry.image_centre) - linear @ centre)[:, None]])
