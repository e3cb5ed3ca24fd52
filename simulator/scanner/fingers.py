"""Finger positions by name, as the scanner's API speaks them (ISO/IEC 19794-2 numbering)."""

from __future__ import annotations

FINGER_NAMES: dict[int, str] = {
    1: "right_thumb",
    2: "right_index",
    3: "right_middle",
    4: "right_ring",
    5: "right_little",
    6: "left_thumb",
    7: "left_index",
    8: "left_middle",
    9: "left_ring",
    10: "left_little",
}
FINGER_POSITIONS: dict[str, int] = {name: position for position, name in FINGER_NAMES.items()}

# The finger a person puts down by mistake instead of the one asked for: the same finger of
# the other hand (the commonest mix-up at a booth, where the operator names the hand).
_MIX_UP: dict[int, int] = {
    position: position + 5 if position <= 5 else position - 5 for position in FINGER_NAMES
}


def neighbour_finger(position: int, missing: set[int]) -> int | None:
    """The finger placed instead of `position`: the same one of the other hand, else any
    other finger present."""
    candidates = [_MIX_UP[position], *(p for p in FINGER_NAMES if p != position)]
    for candidate in candidates:
        if candidate != position and candidate not in missing:
            return candidate
    return None
