"""Liveness: is a live person in front of the camera? Active challenges (blink, turn left or
right, smile, look up) prompted in a random order with deadlines, passive cues (a head turn that
no flat picture can make, colour moire of a filmed screen, the outline of a print or device held
up around the face), and the best frame to match."""

from matcher.liveness.challenges import Challenge, draw_challenges
from matcher.liveness.session import (
    BestFrame,
    ChallengeOutcome,
    LivenessResult,
    LivenessSession,
    LivenessUpdate,
    PassiveCue,
    PassiveEvidence,
)
from matcher.liveness.settings import LivenessSettings

__all__ = [
    "BestFrame",
    "Challenge",
    "ChallengeOutcome",
    "LivenessResult",
    "LivenessSession",
    "LivenessSettings",
    "LivenessUpdate",
    "PassiveCue",
    "PassiveEvidence",
    "draw_challenges",
]
