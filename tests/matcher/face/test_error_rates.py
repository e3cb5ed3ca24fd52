"""Error-rate arithmetic on made-up embeddings and distances with known answers."""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt
import pytest

from matcher.face.error_rates import (
    all_pair_distances,
    best_accuracy_threshold,
    equal_error_rate,
    false_match_rate,
    false_non_match_rate,
    k_fold_accuracy,
    threshold_at_fmr,
)


def _brute_force(
    vectors: npt.NDArray[np.float32], labels: list[str]
) -> tuple[list[float], list[float]]:
    genuine: list[float] = []
    impostor: list[float] = []
    for i in range(len(vectors)):
        for j in range(i + 1, len(vectors)):
            distance = float(np.linalg.norm(vectors[i] - vectors[j]))
            (genuine if labels[i] == labels[j] else impostor).append(distance)
    return sorted(genuine), sorted(impostor)


@pytest.mark.parametrize("chunk_rows", [1, 7, 1000])
def test_every_pair_is_counted_once_whatever_the_chunk_size(chunk_rows: int) -> None:
    rng = np.random.default_rng(11)
    vectors = rng.normal(size=(40, 8)).astype(np.float32)
    labels = [f"p{int(k)}" for k in rng.integers(0, 9, size=40)]
    pairs = all_pair_distances(vectors, labels, chunk_rows=chunk_rows)
    genuine, impostor = _brute_force(vectors, labels)
    assert len(pairs.genuine) + len(pairs.impostor) == 40 * 39 // 2
    assert np.allclose(np.sort(pairs.genuine), genuine, atol=1e-5)
    assert np.allclose(np.sort(pairs.impostor), impostor, atol=1e-5)


def test_the_threshold_for_a_target_fmr_lets_through_at_most_that_share() -> None:
    impostor = np.random.default_rng(12).uniform(0, 1, 100_000).astype(np.float32)
    threshold = threshold_at_fmr(impostor, 1e-3)
    assert false_match_rate(impostor, threshold) <= 1e-3
    assert false_match_rate(impostor, threshold + 1e-4) > 1e-3 - 1e-5
    assert threshold == pytest.approx(1e-3, abs=3e-4)


def test_the_false_non_match_rate_counts_genuine_pairs_at_or_above_the_threshold() -> None:
    genuine = np.array([0.1, 0.2, 0.5, 0.7], np.float32)
    assert false_non_match_rate(genuine, 0.5) == 0.5


def test_equal_error_rate_of_two_gaussians_matches_the_closed_form() -> None:
    rng = np.random.default_rng(13)
    genuine = rng.normal(0.4, 0.1, 50_000).astype(np.float32)
    impostor = rng.normal(0.8, 0.1, 200_000).astype(np.float32)
    eer = equal_error_rate(genuine, impostor)
    expected = 0.5 * math.erfc(2 / math.sqrt(2))  # Phi(-2): the crossing is 2 sigma from each mean
    assert eer.rate == pytest.approx(expected, rel=0.1)
    assert eer.threshold == pytest.approx(0.6, abs=0.01)


def test_the_best_accuracy_threshold_separates_separable_pairs() -> None:
    distances = np.array([0.1, 0.2, 0.3, 0.7, 0.8], np.float32)
    same = np.array([True, True, True, False, False])
    threshold = best_accuracy_threshold(distances, same)
    assert 0.3 < threshold < 0.7


def test_k_fold_accuracy_scores_each_fold_at_the_other_folds_threshold() -> None:
    rng = np.random.default_rng(14)
    same = np.tile([True, False], 500)
    distances = np.where(same, rng.normal(0.4, 0.05, 1000), rng.normal(0.8, 0.05, 1000)).astype(
        np.float32
    )
    folds = np.repeat(np.arange(5), 200)
    result = k_fold_accuracy(distances, same, folds)
    assert len(result.per_fold) == 5
    assert result.mean > 0.99
    assert all(0.5 < t < 0.7 for t in result.thresholds)
    # A fold whose labels are flipped is scored at the others' threshold, so it scores ~0.
    flipped = same.copy()
    flipped[folds == 0] = ~flipped[folds == 0]
    assert k_fold_accuracy(distances, flipped, folds).per_fold[0] < 0.05
