"""Minutiae from a ridge skeleton: crossing numbers, the ridge segments between them, directions,
and removal of the false minutiae thinning leaves behind (spurs, bridges, short ridges, broken
ridges, clusters and the border of the print).
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
from numpy.typing import NDArray

from matcher.fingerprint.iso_template import MinutiaType
from matcher.fingerprint.skeleton import CROSSING_NUMBER, neighbour_codes

_ENDING = int(MinutiaType.RIDGE_ENDING)
_BIFURCATION = int(MinutiaType.BIFURCATION)

# Lengths in ridge periods below which a segment is an artefact: a ridge between two endings, a
# spur (ending to junction), a bridge (junction to junction). Set on the FVC B sets: removing
# more costs true minutiae, and the matcher tolerates a few false ones better than gaps.
SHORT_RIDGE = 1.5
SPUR = 0.7
BRIDGE = 0.8
BROKEN_RIDGE_GAP = 2.0
CLUSTER = 0.5
# Minutiae within this many periods of the print's edge are where the print, not the ridge,
# ends (the block mask already trims about half a block).
BORDER_MARGIN = 1.0
MIN_BORDER_MARGIN = 10.0
# Skeleton pixels within this radius give each minutia's branch directions.
DIRECTION_RADIUS = 1.2


@dataclass(frozen=True)
class DetectedMinutiae:
    """Minutiae in crop pixel coordinates; `direction` in pixel axes (x right, y down)."""

    x: NDArray[np.float32]
    y: NDArray[np.float32]
    direction: NDArray[np.float32]
    kind: NDArray[np.int8]


@dataclass(frozen=True)
class _Candidates:
    x: NDArray[np.float64]
    y: NDArray[np.float64]
    kind: NDArray[np.int8]
    # Up to three ridge segments leaving each minutia (-1 where absent).
    branches: NDArray[np.int64]


def detect_minutiae(
    skeleton: NDArray[np.uint8],
    pixel_mask: NDArray[np.bool_],
    ridge_angle: NDArray[np.float32],
    period: float,
) -> DetectedMinutiae:
    """Ridge endings and bifurcations of a skeleton, with false ones removed.

    `ridge_angle` is the block orientation field (radians in pixel axes) used to give each
    minutia a direction steadier than its few skeleton pixels; the skeleton decides the sense.
    """
    candidates, segment_labels, segment_lengths = _candidates(skeleton)
    if len(candidates.x) == 0:
        return _empty()
    keep = _drop_false_structures(candidates, segment_lengths, period)
    direction = _directions(candidates, segment_labels, ridge_angle, period)
    keep &= ~np.isnan(direction)
    keep &= _inside_border(candidates, pixel_mask, period)
    keep &= ~_broken_ridges(candidates, direction, keep, period)
    keep &= ~_clusters(candidates, keep, period)
    return DetectedMinutiae(
        x=candidates.x[keep].astype(np.float32),
        y=candidates.y[keep].astype(np.float32),
        direction=direction[keep].astype(np.float32),
        kind=candidates.kind[keep],
    )


def _empty() -> DetectedMinutiae:
    return DetectedMinutiae(
        x=np.zeros(0, np.float32),
        y=np.zeros(0, np.float32),
        direction=np.zeros(0, np.float32),
        kind=np.zeros(0, np.int8),
    )


def _candidates(
    skeleton: NDArray[np.uint8],
) -> tuple[_Candidates, NDArray[np.int32], NDArray[np.int64]]:
    """Endings and junctions, and the labelled ridge segments between them."""
    crossing = CROSSING_NUMBER[neighbour_codes(skeleton)]
    on = skeleton > 0
    endings = on & (crossing == 1)
    junction_pixels = (on & (crossing >= 3)).astype(np.uint8)
    square = np.ones((3, 3), np.uint8)
    # Thinning leaves junctions as clusters of adjacent crossing-3 pixels; one cluster is one
    # junction, and cutting its 3x3 neighbourhood out of the skeleton separates the branches.
    zones = cv2.dilate(junction_pixels, square)
    zone_count, zone_labels = cv2.connectedComponents(zones, connectivity=8)
    segments = (on & (zones == 0)).astype(np.uint8)
    segment_count, segment_labels = cv2.connectedComponents(segments, connectivity=8)
    segment_lengths = np.bincount(segment_labels.ravel(), minlength=segment_count).astype(np.int64)
    segment_lengths[0] = 0

    # Branches of each junction: segment pixels in the ring just outside its zone.
    ring = (cv2.dilate(zones, square) > 0) & (zones == 0) & on
    ring_zone = cv2.dilate(zone_labels.astype(np.uint16), square)[ring].astype(np.int64)
    ring_segment = segment_labels[ring].astype(np.int64)
    pairs = np.unique(ring_zone * (segment_count + 1) + ring_segment)
    pair_zone, pair_segment = pairs // (segment_count + 1), pairs % (segment_count + 1)
    branch_count = np.bincount(pair_zone, minlength=zone_count)
    junction_ys, junction_xs = np.nonzero(junction_pixels)
    junction_zone = zone_labels[junction_ys, junction_xs]
    zone_pixels = np.maximum(np.bincount(junction_zone, minlength=zone_count), 1)
    zone_y = np.bincount(junction_zone, weights=junction_ys, minlength=zone_count) / zone_pixels
    zone_x = np.bincount(junction_zone, weights=junction_xs, minlength=zone_count) / zone_pixels
    # A bifurcation has exactly three branches; two are a loop closing on itself, four or more
    # are crossing ridges or several junctions merged, none of them reliable.
    bifurcation_zones = np.nonzero(branch_count == 3)[0]
    bifurcation_zones = bifurcation_zones[bifurcation_zones > 0]
    branches = np.full((len(bifurcation_zones), 3), -1, np.int64)
    slot = np.searchsorted(bifurcation_zones, pair_zone)
    if len(bifurcation_zones) == 0:  # e.g. a smeared print whose skeleton never forks
        valid = np.zeros(len(pair_zone), bool)
    else:
        valid = (slot < len(bifurcation_zones)) & (
            bifurcation_zones[np.minimum(slot, len(bifurcation_zones) - 1)] == pair_zone
        )
    order = np.argsort(pair_zone[valid], kind="stable")
    slots = slot[valid][order]
    ranks = np.arange(len(slots)) - np.searchsorted(slots, slots)
    branches[slots, ranks] = pair_segment[valid][order]

    ending_ys, ending_xs = np.nonzero(endings)
    ending_segment = segment_labels[ending_ys, ending_xs].astype(np.int64)
    ending_branches = np.full((len(ending_ys), 3), -1, np.int64)
    ending_branches[:, 0] = np.where(ending_segment > 0, ending_segment, -1)
    candidates = _Candidates(
        x=np.concatenate([ending_xs.astype(np.float64), zone_x[bifurcation_zones]]),
        y=np.concatenate([ending_ys.astype(np.float64), zone_y[bifurcation_zones]]),
        kind=np.concatenate(
            [
                np.full(len(ending_ys), _ENDING, np.int8),
                np.full(len(bifurcation_zones), _BIFURCATION, np.int8),
            ]
        ),
        branches=np.concatenate([ending_branches, branches]),
    )
    return candidates, segment_labels, segment_lengths


def _drop_false_structures(
    candidates: _Candidates, segment_lengths: NDArray[np.int64], period: float
) -> NDArray[np.bool_]:
    """Spurs, bridges and short ridges, judged on the segment joining two minutiae."""
    count = len(candidates.x)
    keep = np.ones(count, bool)
    # An ending cut off from its segment sits right beside a junction: a one-pixel spur.
    is_ending = candidates.kind == _ENDING
    keep &= ~(is_ending & (candidates.branches[:, 0] < 0))

    owner = np.repeat(np.arange(count), 3)
    segment = candidates.branches.ravel()
    present = segment >= 0
    owner, segment = owner[present], segment[present]
    order = np.argsort(segment, kind="stable")
    owner, segment = owner[order], segment[order]
    starts = np.r_[0, np.nonzero(np.diff(segment))[0] + 1]
    ends = np.r_[starts[1:], len(segment)]
    pairs = starts[(ends - starts) == 2]
    first, second = owner[pairs], owner[pairs + 1]
    length = segment_lengths[segment[pairs]]
    first_ending = candidates.kind[first] == _ENDING
    second_ending = candidates.kind[second] == _ENDING
    both_endings = first_ending & second_ending
    one_ending = first_ending ^ second_ending
    no_ending = ~first_ending & ~second_ending
    false_pair = (
        (both_endings & (length < SHORT_RIDGE * period))
        | (one_ending & (length < SPUR * period))
        | (no_ending & (length < BRIDGE * period))
    )
    keep[first[false_pair]] = False
    keep[second[false_pair]] = False
    return keep


def _directions(
    candidates: _Candidates,
    segment_labels: NDArray[np.int32],
    ridge_angle: NDArray[np.float32],
    period: float,
) -> NDArray[np.float64]:
    """Direction per minutia (radians, pixel axes): along the ridge into it for an ending,
    away from the stem for a bifurcation; NaN where the skeleton gives no usable branch."""
    radius = max(4, round(DIRECTION_RADIUS * period))
    offsets_y, offsets_x = np.mgrid[-radius : radius + 1, -radius : radius + 1]
    within = (offsets_x**2 + offsets_y**2) <= radius * radius
    within &= (offsets_x**2 + offsets_y**2) >= 4
    padded = np.pad(segment_labels, radius)
    iy = np.rint(candidates.y).astype(np.intp)
    ix = np.rint(candidates.x).astype(np.intp)
    windows = padded[iy[:, None, None] + offsets_y + radius, ix[:, None, None] + offsets_x + radius]
    vectors = np.zeros((len(iy), 3, 2))
    for branch in range(3):
        label = candidates.branches[:, branch]
        member = (windows == label[:, None, None]) & within & (label[:, None, None] > 0)
        pixels = np.maximum(member.sum(axis=(1, 2)), 1)
        vectors[:, branch, 0] = (member * offsets_x).sum(axis=(1, 2)) / pixels
        vectors[:, branch, 1] = (member * offsets_y).sum(axis=(1, 2)) / pixels
    norms = np.linalg.norm(vectors, axis=2)
    unit = vectors / np.maximum(norms, 1e-9)[:, :, None]

    is_ending = candidates.kind == _ENDING
    sense = np.where(is_ending[:, None], unit[:, 0], 0.0)
    # Bifurcation: the stem is the branch farthest from the other two; point away from it.
    cosines = np.einsum("nik,njk->nij", unit, unit)
    pair_cos = np.stack([cosines[:, 1, 2], cosines[:, 0, 2], cosines[:, 0, 1]], axis=1)
    stem = np.argmax(pair_cos, axis=1)
    stem_vector = unit[np.arange(len(iy)), stem]
    sense = np.where(is_ending[:, None], sense, -stem_vector)
    usable = np.where(is_ending, norms[:, 0] > 1.0, (norms > 1.0).all(axis=1))

    # The field's axis is steadier than a few skeleton pixels; the skeleton gives the sense.
    block = segment_labels.shape[0] / ridge_angle.shape[0]
    by = np.clip((candidates.y / block).astype(np.intp), 0, ridge_angle.shape[0] - 1)
    bx = np.clip((candidates.x / block).astype(np.intp), 0, ridge_angle.shape[1] - 1)
    axis = ridge_angle[by, bx].astype(np.float64)
    axis_x, axis_y = np.cos(axis), np.sin(axis)
    flip = axis_x * sense[:, 0] + axis_y * sense[:, 1] < 0
    axis = np.where(flip, axis + np.pi, axis)
    # Where skeleton and field disagree by more than 45 degrees the field is wrong (near a core);
    # trust the skeleton.
    agreement = np.abs(axis_x * sense[:, 0] + axis_y * sense[:, 1])
    skeleton_angle = np.arctan2(sense[:, 1], sense[:, 0])
    direction = np.where(agreement > np.cos(np.pi / 4), axis, skeleton_angle) % (2 * np.pi)
    return np.where(usable, direction, np.nan)


def _inside_border(
    candidates: _Candidates, pixel_mask: NDArray[np.bool_], period: float
) -> NDArray[np.bool_]:
    """False for minutiae closer to the edge of the print than the ridge-period margin: ridges
    end there because the print ends."""
    padded = np.pad(pixel_mask.astype(np.uint8), 1)
    distance = cv2.distanceTransform(padded, cv2.DIST_L2, 3)[1:-1, 1:-1]
    iy = np.rint(candidates.y).astype(np.intp)
    ix = np.rint(candidates.x).astype(np.intp)
    margin = max(MIN_BORDER_MARGIN, BORDER_MARGIN * period)
    inside: NDArray[np.bool_] = distance[iy, ix] >= margin
    return inside


def _broken_ridges(
    candidates: _Candidates, direction: NDArray[np.float64], keep: NDArray[np.bool_], period: float
) -> NDArray[np.bool_]:
    """Pairs of endings facing each other across a short gap: one ridge broken by a crease."""
    ending = np.nonzero(keep & (candidates.kind == _ENDING))[0]
    broken = np.zeros(len(candidates.x), bool)
    if len(ending) < 2:
        return broken
    x, y, angle = candidates.x[ending], candidates.y[ending], direction[ending]
    dx = x[None, :] - x[:, None]
    dy = y[None, :] - y[:, None]
    distance = np.hypot(dx, dy)
    # Each ending points into its own ridge, so across the gap it points away from the other.
    towards = np.arctan2(dy, dx)
    outward = angle[:, None] + np.pi
    facing = np.cos(towards - outward) > np.cos(np.pi / 6)
    mutual = facing & facing.T
    close = (distance > 0) & (distance < BROKEN_RIDGE_GAP * period)
    hit = np.nonzero((mutual & close).any(axis=1))[0]
    broken[ending[hit]] = True
    return broken


def _clusters(candidates: _Candidates, keep: NDArray[np.bool_], period: float) -> NDArray[np.bool_]:
    """Minutiae closer than half a ridge period to another: noise, not two real features."""
    alive = np.nonzero(keep)[0]
    crowded = np.zeros(len(candidates.x), bool)
    if len(alive) < 2:
        return crowded
    x, y = candidates.x[alive], candidates.y[alive]
    distance = np.hypot(x[:, None] - x[None, :], y[:, None] - y[None, :])
    np.fill_diagonal(distance, np.inf)
    crowded[alive[(distance < CLUSTER * period).any(axis=1)]] = True
    return crowded
