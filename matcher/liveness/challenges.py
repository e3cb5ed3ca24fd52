"""The challenges a person can be asked on the customer display, and how a session's sequence
is drawn."""

from __future__ import annotations

import random
from enum import StrEnum

from matcher.liveness.settings import LivenessSettings


class Challenge(StrEnum):
    """What the person is asked to do; the values are the customer display's words. Left and
    right are the person's own (turning to their left moves the nose right in the image)."""

    BLINK = "blink"
    TURN_LEFT = "turn_left"
    TURN_RIGHT = "turn_right"
    SMILE = "smile"
    LOOK_UP = "look_up"


TURNS = (Challenge.TURN_LEFT, Challenge.TURN_RIGHT)


def draw_challenges(
    rng: random.Random, settings: LivenessSettings | None = None, *, count: int | None = None
) -> tuple[Challenge, ...]:
    """A random sequence of 2-3 different challenges, at least one of them a head turn: the
    passive depth check (does the face move like a 3D head or like a flat picture?) needs a
    turn of 20 degrees or more to look at. `count` fixes the length (tests)."""
    settings = settings or LivenessSettings()
    low, high = settings.min_challenges, settings.max_challenges
    if not 1 <= low <= high <= len(Challenge):
        raise ValueError(f"challenge count range {low}-{high} is not within 1-{len(Challenge)}")
    size = count if count is not None else rng.randint(low, high)
    turn = rng.choice(TURNS)
    others = rng.sample([c for c in Challenge if c is not turn], size - 1)
    sequence = [turn, *others]
    rng.shuffle(sequence)
    return tuple(sequence)
