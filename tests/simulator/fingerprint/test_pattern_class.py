"""Pattern classes come in the frequencies of real fingers (cheap: the class draw only)."""

from __future__ import annotations

import pytest

from simulator.fingerprint import PatternClass, class_frequencies, draw_pattern_class
from simulator.fingerprint.pattern_class import OVERALL_FREQUENCIES

DRAWS = 4000
# Four standard deviations of a share near 0.5 over 4000 draws (fixed seeds: never flaky).
TOLERANCE = 0.032


def _shares(position: int, seeds: range) -> dict[PatternClass, float]:
    counts = dict.fromkeys(PatternClass, 0)
    for seed in seeds:
        counts[draw_pattern_class(seed, position)] += 1
    return {pattern: count / len(seeds) for pattern, count in counts.items()}


@pytest.mark.parametrize("position", [0, 2, 7])
def test_each_finger_draws_its_classes_in_their_frequencies(position: int) -> None:
    shares = _shares(position, range(DRAWS))
    for pattern, expected in class_frequencies(position).items():
        assert abs(shares[pattern] - expected) < TOLERANCE, (pattern, shares[pattern], expected)


def test_both_hands_together_give_the_overall_frequencies() -> None:
    right = _shares(2, range(DRAWS))
    left = _shares(7, range(DRAWS, 2 * DRAWS))
    for pattern, expected in OVERALL_FREQUENCIES.items():
        assert abs((right[pattern] + left[pattern]) / 2 - expected) < TOLERANCE
    assert 0.02 < (right[PatternClass.ARCH] + left[PatternClass.ARCH]) / 2 < 0.06


def test_loops_lean_towards_the_little_finger() -> None:
    right_hand = class_frequencies(1)
    left_hand = class_frequencies(6)
    assert right_hand[PatternClass.RIGHT_LOOP] > right_hand[PatternClass.LEFT_LOOP]
    assert left_hand[PatternClass.LEFT_LOOP] > left_hand[PatternClass.RIGHT_LOOP]


@pytest.mark.parametrize("position", range(11))
def test_frequencies_add_up_to_one(position: int) -> None:
    assert sum(class_frequencies(position).values()) == pytest.approx(1.0)


def test_a_finger_position_outside_iso_19794_2_is_refused() -> None:
    with pytest.raises(ValueError, match=r"0\.\.10"):
        draw_pattern_class(1, 11)
