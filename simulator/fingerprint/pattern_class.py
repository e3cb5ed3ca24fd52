"""The five Henry pattern classes and how often each finger shows them.

Frequencies are those of Wilson, Candela and Watson's NIST study (also used by SFinGe): arch 3.7%,
tented arch 2.9%, left loop 33.8%, right loop 31.7%, whorl 27.9%. Loops lean towards the little
finger: on the right hand most loops are right loops, on the left hand left loops, so that the
two hands together give the overall figures.
"""

from __future__ import annotations

from enum import StrEnum

from simulator.fingerprint.seeding import Stream, random_stream


class PatternClass(StrEnum):
    ARCH = "arch"
    TENTED_ARCH = "tented_arch"
    LEFT_LOOP = "left_loop"
    RIGHT_LOOP = "right_loop"
    WHORL = "whorl"


OVERALL_FREQUENCIES: dict[PatternClass, float] = {
    PatternClass.ARCH: 0.037,
    PatternClass.TENTED_ARCH: 0.029,
    PatternClass.LEFT_LOOP: 0.338,
    PatternClass.RIGHT_LOOP: 0.317,
    PatternClass.WHORL: 0.279,
}

_RIGHT_HAND: dict[PatternClass, float] = {
    PatternClass.ARCH: 0.037,
    PatternClass.TENTED_ARCH: 0.029,
    PatternClass.LEFT_LOOP: 0.118,
    PatternClass.RIGHT_LOOP: 0.537,
    PatternClass.WHORL: 0.279,
}
_LEFT_HAND: dict[PatternClass, float] = {
    PatternClass.ARCH: 0.037,
    PatternClass.TENTED_ARCH: 0.029,
    PatternClass.LEFT_LOOP: 0.558,
    PatternClass.RIGHT_LOOP: 0.097,
    PatternClass.WHORL: 0.279,
}


def class_frequencies(position: int) -> dict[PatternClass, float]:
    """The pattern class frequencies of a finger position (ISO/IEC 19794-2: 0 unknown, 1-5
    right thumb to little finger, 6-10 left thumb to little finger)."""
    if position == 0:
        return OVERALL_FREQUENCIES
    if 1 <= position <= 5:
        return _RIGHT_HAND
    if 6 <= position <= 10:
        return _LEFT_HAND
    raise ValueError(f"finger position must be 0..10 (ISO/IEC 19794-2), got {position}")


def draw_pattern_class(finger_seed: int, position: int = 0) -> PatternClass:
    """The pattern class of a finger; cheap (no rendering), from its own random stream."""
    frequencies = class_frequencies(position)
    classes = list(frequencies)
    draw = random_stream(finger_seed, Stream.PATTERN_CLASS).random()
    cumulative = 0.0
    for pattern in classes:
        cumulative += frequencies[pattern]
        if draw < cumulative:
            return pattern
    return classes[-1]
