"""1:1 minutiae matching: MCC local similarities, consolidated by relaxation (LSS-R), then an
alignment check that the best pairs agree on one rigid placement of the two prints.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
from numpy.typing import NDArray

from matcher.fingerprint.cylinders import CELLS_IN_CIRCLE, CylinderSet, build_cylinders
from matcher.fingerprint.iso_template import decode_template
from matcher.fingerprint.minutiae import Minutiae

# Local similarity (the paper's values): two cylinders are compared only if their minutiae turn
# by at most 90 degrees and they share 60% of their cells.
MAX_ROTATION = np.pi / 2
MIN_SHARED_CELLS = 0.6 * CELLS_IN_CIRCLE
# Relaxation.
RELAXATION_ROUNDS = 5
RELAXATION_WEIGHT = 0.5
# Sigmoids (mu, tau) of the three compatibility terms: distance, turn, and relative direction.
_DISTANCE = (5.0, -1.6)
_TURN = (np.pi / 12, -30.0)
_BEARING = (np.pi / 12, -30.0)
# How many pairs make the score: 4 for tiny templates up to 12 for rich ones.
MIN_PAIRS, MAX_PAIRS = 4, 12
_PAIRS_MU, _PAIRS_TAU = 20.0, 0.4
# Alignment check: a pair agrees with the placement within these tolerances.
ALIGN_DISTANCE = 15.0
ALIGN_TURN = np.pi / 6
# Fewer minutiae than this in the overlap count as this many, so a sliver of overlap with three
# lucky pairs cannot score like a full print.
MIN_OVERLAP = 12
HULL_TOLERANCE = 10.0

# The decision threshold: FMR at most 0.1% over the 11,520 cross-finger impostor comparisons of
# the four FVC B sets run through our extractor (FNMR there: 16% pooled, 2-6% on the FVC2002
# sets, 21-33% on the harder FVC2004 ones); docs/fingerprint.md has the figures per set.
DECISION_THRESHOLD = 0.018


@dataclass(frozen=True)
class MatchResult:
    """Score 0-1 (higher: more alike), the decision at `threshold`, and how many minutia pairs
    the decision rests on."""

    score: float
    is_match: bool
    threshold: float
    paired_minutiae: int
    mcc_score: float
    alignment: Alignment | None = None


@dataclass(frozen=True)
class Alignment:
    """The rigid placement of the probe on the reference that most pairs agree on, and how many
    minutiae pair up under it among those in the overlap of the two prints."""

    rotation: float
    shift_x: float
    shift_y: float
    paired: int
    probe_overlap: int
    reference_overlap: int

    @property
    def pairing_ratio(self) -> float:
        overlap = max(self.probe_overlap, MIN_OVERLAP) * max(self.reference_overlap, MIN_OVERLAP)
        return min(1.0, self.paired**2 / overlap)


def compare_minutiae(
    probe: Minutiae, reference: Minutiae, threshold: float = DECISION_THRESHOLD
) -> MatchResult:
    """Compare two impressions' minutiae."""
    return compare_cylinders(build_cylinders(probe), build_cylinders(reference), threshold)


def compare_templates(
    probe: bytes, reference: bytes, threshold: float = DECISION_THRESHOLD
) -> MatchResult:
    """Compare two ISO/IEC 19794-2 records (first view of each); a malformed record raises
    `TemplateFormatError`."""
    return compare_minutiae(
        Minutiae.from_record(decode_template(probe)),
        Minutiae.from_record(decode_template(reference)),
        threshold,
    )


def compare_cylinders(
    probe: CylinderSet, reference: CylinderSet, threshold: float = DECISION_THRESHOLD
) -> MatchResult:
    """Compare two prepared templates (build each once with `build_cylinders` when a template
    takes part in many comparisons)."""
    if len(probe) == 0 or len(reference) == 0:
        return MatchResult(0.0, False, threshold, 0, 0.0)
    similarity = local_similarities(probe, reference)
    first, second, relaxed, initial = _relaxed_pairs(probe, reference, similarity)
    if len(first) < 2:
        return MatchResult(0.0, False, threshold, 0, 0.0)
    richness = float(_sigmoid(min(len(probe), len(reference)), _PAIRS_MU, _PAIRS_TAU))
    pair_count = MIN_PAIRS + round(richness * (MAX_PAIRS - MIN_PAIRS))
    efficiency = relaxed / np.maximum(initial, 1e-9)
    chosen = np.argsort(-efficiency, kind="stable")[:pair_count]
    mcc_score = float(relaxed[chosen].sum() / pair_count)
    alignment = _check_alignment(probe, reference, first, second, relaxed)
    # Local evidence (MCC) times global evidence (the share of the overlap that pairs up under
    # one placement): impostors can share a few similar neighbourhoods, rarely a whole layout.
    score = mcc_score * float(np.sqrt(alignment.pairing_ratio))
    return MatchResult(score, score >= threshold, threshold, alignment.paired, mcc_score, alignment)


def local_similarities(probe: CylinderSet, reference: CylinderSet) -> NDArray[np.float64]:
    """The (probe x reference) matrix of cylinder similarities, 0 where not comparable."""
    # Over the cells valid in both cylinders: |a|^2 and |b|^2 from per-cell energies (validity is
    # per cell, shared by its sections) and a.b (zero outside either cylinder's valid cells).
    probe_norm2 = probe.cell_energy @ reference.cell_valid.T
    reference_norm2 = probe.cell_valid @ reference.cell_energy.T
    dot = probe.values @ reference.values.T
    difference = np.sqrt(np.maximum(probe_norm2 + reference_norm2 - 2 * dot, 0.0))
    norms = np.sqrt(probe_norm2) + np.sqrt(reference_norm2)
    similarity = np.where(norms > 0, 1.0 - difference / np.maximum(norms, 1e-9), 0.0)
    shared = probe.cell_valid @ reference.cell_valid.T
    turn = np.abs(_angle_difference(probe.angle[:, None], reference.angle[None, :]))
    comparable = (shared >= MIN_SHARED_CELLS) & (turn <= MAX_ROTATION)
    result: NDArray[np.float64] = np.where(comparable, similarity, 0.0).astype(np.float64)
    return result


def _relaxed_pairs(
    probe: CylinderSet, reference: CylinderSet, similarity: NDArray[np.float64]
) -> tuple[NDArray[np.intp], NDArray[np.intp], NDArray[np.float64], NDArray[np.float64]]:
    """Greedy one-to-one pairs by similarity, then relaxation: each pair's similarity is pulled
    towards that of the pairs geometrically compatible with it."""
    limit = min(len(probe), len(reference))
    order = np.argsort(-similarity, axis=None, kind="stable")
    rows, cols = np.unravel_index(order, similarity.shape)
    used_rows = np.zeros(similarity.shape[0], bool)
    used_cols = np.zeros(similarity.shape[1], bool)
    first: list[int] = []
    second: list[int] = []
    for row, col in zip(rows.tolist(), cols.tolist(), strict=True):
        if similarity[row, col] <= 0 or len(first) == limit:
            break
        if used_rows[row] or used_cols[col]:
            continue
        used_rows[row] = used_cols[col] = True
        first.append(row)
        second.append(col)
    a = np.array(first, np.intp)
    b = np.array(second, np.intp)
    initial = similarity[a, b]
    if len(a) < 2:
        return a, b, initial, initial
    compatibility = _compatibility(probe, reference, a, b)
    np.fill_diagonal(compatibility, 0.0)
    relaxed = initial.copy()
    for _ in range(RELAXATION_ROUNDS):
        support = compatibility @ relaxed / (len(a) - 1)
        relaxed = RELAXATION_WEIGHT * relaxed + (1 - RELAXATION_WEIGHT) * support
    return a, b, relaxed, initial


def _compatibility(
    probe: CylinderSet, reference: CylinderSet, a: NDArray[np.intp], b: NDArray[np.intp]
) -> NDArray[np.float64]:
    """How well pair k and pair j agree: same distance, same relative turn, same bearing."""
    ax, ay, at = probe.x[a], probe.y[a], probe.angle[a]
    bx, by, bt = reference.x[b], reference.y[b], reference.angle[b]
    distance_a = np.hypot(ax[:, None] - ax[None, :], ay[:, None] - ay[None, :])
    distance_b = np.hypot(bx[:, None] - bx[None, :], by[:, None] - by[None, :])
    d1 = np.abs(distance_a - distance_b)
    turn_a = _angle_difference(at[:, None], at[None, :])
    turn_b = _angle_difference(bt[:, None], bt[None, :])
    d2 = np.abs(_angle_difference(turn_a, turn_b))
    bearing_a = _angle_difference(
        at[:, None], np.arctan2(ay[:, None] - ay[None, :], ax[:, None] - ax[None, :])
    )
    bearing_b = _angle_difference(
        bt[:, None], np.arctan2(by[:, None] - by[None, :], bx[:, None] - bx[None, :])
    )
    d3 = np.abs(_angle_difference(bearing_a, bearing_b))
    result: NDArray[np.float64] = (
        _sigmoid(d1, *_DISTANCE) * _sigmoid(d2, *_TURN) * _sigmoid(d3, *_BEARING)
    )
    return result


def _check_alignment(
    probe: CylinderSet,
    reference: CylinderSet,
    first: NDArray[np.intp],
    second: NDArray[np.intp],
    relaxed: NDArray[np.float64],
) -> Alignment:
    """Try each strong pair as the anchor of a rigid placement, keep the one most pairs agree
    with, refine it by least squares on those pairs, then pair all minutiae under it."""
    ax, ay, at = probe.x[first], probe.y[first], probe.angle[first]
    bx, by, bt = reference.x[second], reference.y[second], reference.angle[second]
    anchors = np.argsort(-relaxed, kind="stable")[: max(MAX_PAIRS, 1)]
    rotation = _angle_difference(bt[anchors], at[anchors])  # (anchors,)
    cos, sin = np.cos(rotation)[:, None], np.sin(rotation)[:, None]
    # Placement of every pair's probe minutia under every anchor's transform: (anchors, pairs).
    rel_x = ax[None, :] - ax[anchors][:, None]
    rel_y = ay[None, :] - ay[anchors][:, None]
    moved_x = bx[anchors][:, None] + cos * rel_x - sin * rel_y
    moved_y = by[anchors][:, None] + sin * rel_x + cos * rel_y
    agree = (np.hypot(moved_x - bx[None, :], moved_y - by[None, :]) <= ALIGN_DISTANCE) & (
        np.abs(_angle_difference(at[None, :] + rotation[:, None], bt[None, :])) <= ALIGN_TURN
    )
    support = (agree * relaxed[None, :]).sum(axis=1)
    best = int(np.argmax(support))
    inliers = agree[best]
    angle, shift_x, shift_y = _fit_rigid(ax[inliers], ay[inliers], bx[inliers], by[inliers])

    cos1, sin1 = np.cos(angle), np.sin(angle)
    px = cos1 * probe.all_x - sin1 * probe.all_y + shift_x
    py = sin1 * probe.all_x + cos1 * probe.all_y + shift_y
    pt = probe.all_angle + angle
    qx, qy, qt = reference.all_x, reference.all_y, reference.all_angle
    distance = np.hypot(px[:, None] - qx[None, :], py[:, None] - qy[None, :])
    close = (distance <= ALIGN_DISTANCE) & (
        np.abs(_angle_difference(pt[:, None], qt[None, :])) <= ALIGN_TURN
    )
    paired = _greedy_pairs(np.where(close, distance, np.inf))
    probe_overlap = int(_inside_hull(px, py, qx, qy).sum())
    reference_overlap = int(_inside_hull(qx, qy, px, py).sum())
    return Alignment(
        rotation=float(angle),
        shift_x=float(shift_x),
        shift_y=float(shift_y),
        paired=paired,
        probe_overlap=probe_overlap,
        reference_overlap=reference_overlap,
    )


def _fit_rigid(
    ax: NDArray[np.float64],
    ay: NDArray[np.float64],
    bx: NDArray[np.float64],
    by: NDArray[np.float64],
) -> tuple[float, float, float]:
    """Least-squares rotation and shift taking points a onto points b (2-D Kabsch)."""
    ca_x, ca_y, cb_x, cb_y = ax.mean(), ay.mean(), bx.mean(), by.mean()
    ux, uy, vx, vy = ax - ca_x, ay - ca_y, bx - cb_x, by - cb_y
    angle = float(np.arctan2((ux * vy - uy * vx).sum(), (ux * vx + uy * vy).sum()))
    cos, sin = np.cos(angle), np.sin(angle)
    return angle, float(cb_x - (cos * ca_x - sin * ca_y)), float(cb_y - (sin * ca_x + cos * ca_y))


def _greedy_pairs(cost: NDArray[np.float64]) -> int:
    """Number of one-to-one pairs taken cheapest first among the finite costs."""
    rows, cols = np.nonzero(np.isfinite(cost))
    if len(rows) == 0:
        return 0
    order = np.argsort(cost[rows, cols], kind="stable")
    used_rows: set[int] = set()
    used_cols: set[int] = set()
    for row, col in zip(rows[order].tolist(), cols[order].tolist(), strict=True):
        if row not in used_rows and col not in used_cols:
            used_rows.add(row)
            used_cols.add(col)
    return len(used_rows)


def _inside_hull(
    x: NDArray[np.float64],
    y: NDArray[np.float64],
    hull_x: NDArray[np.float64],
    hull_y: NDArray[np.float64],
) -> NDArray[np.bool_]:
    """Which points (x, y) fall inside the convex hull of the other print's minutiae."""
    if len(hull_x) < 3:
        return np.zeros(len(x), bool)
    points = np.stack([hull_x, hull_y], axis=1).astype(np.float32)
    hull = cv2.convexHull(points).reshape(-1, 2).astype(np.float64)
    start, edge = hull, np.roll(hull, -1, axis=0) - hull
    cross = edge[:, 0] * (y[:, None] - start[:, 1]) - edge[:, 1] * (x[:, None] - start[:, 0])
    length = np.maximum(np.hypot(edge[:, 0], edge[:, 1]), 1e-9)
    # Signed distance to each edge line; inside (with tolerance) if on the inner side of all.
    signed = cross / length
    # Interior points lie to the left of every edge of a counter-clockwise polygon.
    area2 = float(
        (start[:, 0] * np.roll(start[:, 1], -1) - np.roll(start[:, 0], -1) * start[:, 1]).sum()
    )
    orientation = 1.0 if area2 >= 0 else -1.0
    inside: NDArray[np.bool_] = (orientation * signed >= -HULL_TOLERANCE).all(axis=1)
    return inside


def _sigmoid(value: NDArray[np.float64] | float, mu: float, tau: float) -> NDArray[np.float64]:
    exponent = np.clip(-tau * (np.asarray(value, np.float64) - mu), -60.0, 60.0)
    result: NDArray[np.float64] = 1.0 / (1.0 + np.exp(exponent))
    return result


def _angle_difference(a: NDArray[np.float64], b: NDArray[np.float64]) -> NDArray[np.float64]:
    return (a - b + np.pi) % (2 * np.pi) - np.pi
