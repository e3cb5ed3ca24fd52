"""FVC error rates and comparison protocol on score lists whose answers are known by hand."""

from __future__ import annotations

import pytest

from matcher.fingerprint import error_rates, threshold_for_fmr
from matcher.fingerprint.fvc_protocol import all_impostor_pairs, genuine_pairs, impostor_pairs


def test_the_protocol_counts_match_the_fvc_b_sets() -> None:
    assert len(genuine_pairs(10, 8)) == 280
    assert len(impostor_pairs(10)) == 45
    assert len(all_impostor_pairs(10, 8)) == 2880
    assert all(a[0] == b[0] and a[1] < b[1] for a, b in genuine_pairs(10, 8))
    assert all(a[0] != b[0] for a, b in all_impostor_pairs(10, 8))


def test_separated_scores_have_no_errors() -> None:
    rates = error_rates([0.8, 0.9, 0.7], [0.1, 0.2, 0.3])
    assert rates.eer == 0.0
    assert rates.fmr100 == rates.fmr1000 == rates.zero_fmr == 0.0
    assert (rates.genuine, rates.impostor) == (3, 3)


def test_one_overlap_gives_the_hand_computed_rates() -> None:
    # Genuine 0.4 sits below impostor 0.5: at any threshold one of them is an error.
    genuine = [0.4, 0.6, 0.7, 0.8]
    impostor = [0.1, 0.2, 0.3, 0.5]
    rates = error_rates(genuine, impostor)
    assert rates.eer == pytest.approx(0.25)
    # No impostor accepted needs a threshold above 0.5, which rejects the genuine 0.4.
    assert rates.zero_fmr == pytest.approx(0.25)


def test_identical_scores_sit_at_chance() -> None:
    assert error_rates([0.5] * 10, [0.5] * 10).eer == pytest.approx(0.5)


def test_the_threshold_for_a_target_fmr_accepts_no_more_impostors_than_asked() -> None:
    impostor = [i / 1000 for i in range(1000)]
    threshold = threshold_for_fmr(impostor, 0.01)
    accepted = sum(score >= threshold for score in impostor)
    assert accepted == 10
    assert threshold_for_fmr(impostor, 0.0) > max(impostor)


def test_empty_score_lists_are_refused() -> None:
    with pytest.raises(ValueError, match="at least one genuine and one impostor"):
        error_rates([], [0.1])
