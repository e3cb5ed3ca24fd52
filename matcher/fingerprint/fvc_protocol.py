"""The FVC comparison protocol over a set of fingers x impressions (FVC2002/2004 B sets: 10 x 8).

Genuine: every pair of impressions of the same finger, each pair once (28 per finger).
Impostor: the first impressions of every two different fingers, each pair once (45 for 10).
Also, for a sharper false-match estimate: every impression pair of different fingers.
"""

from __future__ import annotations

from itertools import combinations

# An impression is (finger index, impression index), both from 0.
Impression = tuple[int, int]
Pair = tuple[Impression, Impression]


def genuine_pairs(fingers: int, impressions: int) -> list[Pair]:
    """Every unordered pair of impressions of the same finger."""
    return [
        ((finger, first), (finger, second))
        for finger in range(fingers)
        for first, second in combinations(range(impressions), 2)
    ]


def impostor_pairs(fingers: int) -> list[Pair]:
    """The first impression of every unordered pair of different fingers."""
    return [((first, 0), (second, 0)) for first, second in combinations(range(fingers), 2)]


def all_impostor_pairs(fingers: int, impressions: int) -> list[Pair]:
    """Every unordered pair of impressions of different fingers (2,880 for 10 x 8)."""
    every = [(finger, impression) for finger in range(fingers) for impression in range(impressions)]
    return [(a, b) for a, b in combinations(every, 2) if a[0] != b[0]]
