"""The challenge sequence drawn per session."""

from __future__ import annotations

import random

import pytest

from matcher.liveness import Challenge, LivenessSettings, draw_challenges
from matcher.liveness.challenges import TURNS


def test_values_are_the_customer_display_words() -> None:
    assert [c.value for c in Challenge] == ["blink", "turn_left", "turn_right", "smile", "look_up"]


@pytest.mark.parametrize("seed", range(40))
def test_two_or_three_different_challenges_with_a_turn(seed: int) -> None:
    drawn = draw_challenges(random.Random(seed))
    assert 2 <= len(drawn) <= 3
    assert len(set(drawn)) == len(drawn)
    assert any(c in TURNS for c in drawn)  # the passive depth check needs a turn


def test_the_same_seed_draws_the_same_sequence_and_others_vary() -> None:
    assert draw_challenges(random.Random(5)) == draw_challenges(random.Random(5))
    sequences = {draw_challenges(random.Random(seed)) for seed in range(60)}
    assert len(sequences) > 20
    assert {c for seq in sequences for c in seq} == set(Challenge)


def test_an_impossible_count_range_is_refused() -> None:
    with pytest.raises(ValueError, match="challenge count"):
        draw_challenges(random.Random(1), LivenessSettings(min_challenges=4, max_challenges=9))
