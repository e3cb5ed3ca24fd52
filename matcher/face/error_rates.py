"""Verification error rates from embeddings: every pair's distance in chunks, FMR/FNMR, the
threshold for a target false-match rate, equal error rate and k-fold accuracy. Pure numpy.

A comparison is a match when its distance is strictly below the threshold.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

Distances = npt.NDArray[np.float32]
Embeddings = npt.NDArray[np.float32]


@dataclass(frozen=True)
class PairDistances:
    genuine: Distances  # every pair of images of the same identity
    impostor: Distances  # every pair of images of different identities


def all_pair_distances(
    embeddings: Embeddings, identities: Sequence[str], chunk_rows: int = 512
) -> PairDistances:
    """Euclidean distance of every unordered pair of rows, split by identity.

    Rows are taken `chunk_rows` at a time against all later rows, so memory stays at about
    chunk_rows x n floats while n (n - 1) / 2 pairs are made.
    """
    vectors = np.asarray(embeddings, dtype=np.float64)
    labels = np.unique(np.asarray(identities), return_inverse=True)[1]
    squares = np.einsum("ij,ij->i", vectors, vectors)
    genuine: list[Distances] = []
    impostor: list[Distances] = []
    count = len(vectors)
    for start in range(0, count, chunk_rows):
        stop = min(start + chunk_rows, count)
        block = (
            squares[start:stop, None]
            + squares[None, start:]
            - 2 * vectors[start:stop] @ vectors[start:].T
        )
        distance = np.sqrt(np.maximum(block, 0.0)).astype(np.float32)
        rows, cols = np.indices(distance.shape)
        later = cols > rows  # pairs (i, j) with i < j; column j of the block is image start + j
        same = labels[start:stop, None] == labels[None, start:]
        genuine.append(distance[later & same])
        impostor.append(distance[later & ~same])
    return PairDistances(genuine=np.concatenate(genuine), impostor=np.concatenate(impostor))


def threshold_at_fmr(impostor: Distances, fmr: float) -> float:
    """The largest threshold whose false-match rate is at most `fmr`: the k-th smallest impostor
    distance, k = floor(fmr * n), since only distances strictly below it match."""
    if not 0 <= fmr < 1 or impostor.size == 0:
        raise ValueError("need impostor distances and 0 <= fmr < 1")
    k = int(np.floor(fmr * impostor.size))
    return float(np.partition(impostor, k)[k])


def false_match_rate(impostor: Distances, threshold: float) -> float:
    return float(np.count_nonzero(impostor < threshold)) / impostor.size


def false_non_match_rate(genuine: Distances, threshold: float) -> float:
    return float(np.count_nonzero(genuine >= threshold)) / genuine.size


@dataclass(frozen=True)
class EqualErrorRate:
    rate: float
    threshold: float


def equal_error_rate(genuine: Distances, impostor: Distances) -> EqualErrorRate:
    """Where FMR and FNMR cross, taken at the candidate threshold where they are closest."""
    impostor_sorted = np.sort(impostor)
    genuine_sorted = np.sort(genuine)
    quantiles = np.quantile(impostor_sorted, np.linspace(0, 1, 4001))
    candidates = np.unique(np.concatenate([genuine_sorted, quantiles]))
    fmr = np.searchsorted(impostor_sorted, candidates, side="left") / impostor_sorted.size
    fnmr = 1 - np.searchsorted(genuine_sorted, candidates, side="left") / genuine_sorted.size
    best = int(np.argmin(np.abs(fmr - fnmr)))
    return EqualErrorRate(
        rate=float((fmr[best] + fnmr[best]) / 2), threshold=float(candidates[best])
    )


def best_accuracy_threshold(distances: Distances, same: npt.NDArray[np.bool_]) -> float:
    """The threshold that classifies these labelled pairs best (midway between two distances)."""
    order = np.argsort(distances)
    sorted_distances = distances[order]
    sorted_same = same[order]
    # Threshold just above position i: pairs 0..i match. Correct = genuine below + impostor above.
    genuine_below = np.cumsum(sorted_same)
    impostor_above = np.count_nonzero(~same) - np.cumsum(~sorted_same)
    correct = np.concatenate([[np.count_nonzero(~same)], genuine_below + impostor_above])
    best = int(np.argmax(correct))
    if best == 0:
        return float(sorted_distances[0])
    if best == len(sorted_distances):
        return float(sorted_distances[-1]) + 1e-6
    return float((sorted_distances[best - 1] + sorted_distances[best]) / 2)


@dataclass(frozen=True)
class FoldAccuracy:
    mean: float
    std: float
    per_fold: tuple[float, ...]
    thresholds: tuple[float, ...]


def k_fold_accuracy(
    distances: Distances, same: npt.NDArray[np.bool_], folds: npt.NDArray[np.int_]
) -> FoldAccuracy:
    """LFW protocol: each fold is scored at the threshold that is best on all the other folds."""
    per_fold: list[float] = []
    thresholds: list[float] = []
    for fold in np.unique(folds):
        train = folds != fold
        threshold = best_accuracy_threshold(distances[train], same[train])
        test = ~train
        correct = (distances[test] < threshold) == same[test]
        per_fold.append(float(np.mean(correct)))
        thresholds.append(threshold)
    return FoldAccuracy(
        mean=float(np.mean(per_fold)),
        std=float(np.std(per_fold)),
        per_fold=tuple(per_fold),
        thresholds=tuple(thresholds),
    )
