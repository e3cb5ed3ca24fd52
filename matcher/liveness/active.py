"""Active liveness: whether one prompted challenge was done, from landmarks over time.

Each check wants a transition that starts after the prompt: the face is seen neutral (head
near straight, eyes open, mouth at rest) after the prompt, then the action, no sooner than a
human reaction time. A head already turned when the prompt came, an action faster than a
person can react, or a turn the other way are what a replayed video of another session does.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from matcher.liveness.challenges import TURNS, Challenge
from matcher.liveness.settings import LivenessSettings


@dataclass(frozen=True)
class Neutral:
    """The person's own resting face, from the "look at the camera" frames."""

    yaw: float
    pitch: float
    eye_aspect_ratio: float
    mouth_width: float


@dataclass(frozen=True)
class FrameSignals:
    """What the challenge checks read from one frame's landmarks."""

    timestamp_s: float
    yaw: float
    pitch: float
    eye_aspect_ratio: float
    mouth_width: float  # per inter-eye distance


class Verdict(Enum):
    PENDING = "pending"
    PASSED = "passed"
    TOO_EARLY = "too_early"  # the action was there sooner than a reaction to the prompt
    CONTRARY = "contrary"  # the head turned where it was not asked to


class ChallengeCheck:
    """Watches the frames after one prompt."""

    def __init__(
        self,
        challenge: Challenge,
        prompted_at: float,
        neutral: Neutral,
        settings: LivenessSettings,
    ) -> None:
        self.challenge = challenge
        self.prompted_at = prompted_at
        self.neutral = neutral
        self.settings = settings
        self.verdict = Verdict.PENDING
        self.done_at: float | None = None
        self._yaw_neutral_seen = False
        self._rest_seen = False  # eyes open / mouth at rest, for blink and smile
        self._closed_at: float | None = None
        self._smile_from: FrameSignals | None = None  # first frame of a smile

    def observe(self, frame: FrameSignals) -> Verdict:
        if self.verdict is not Verdict.PENDING:
            return self.verdict
        s = self.settings
        since = frame.timestamp_s - self.prompted_at
        yaw = frame.yaw - self.neutral.yaw
        pitch = frame.pitch - self.neutral.pitch
        head_straight = abs(yaw) <= s.neutral_deg
        if head_straight:
            self._yaw_neutral_seen = True
        # Any clear turn not asked for, once the head was straight after the prompt.
        if self._yaw_neutral_seen and abs(yaw) >= s.turn_deg:
            asked = (self.challenge is Challenge.TURN_LEFT and yaw > 0) or (
                self.challenge is Challenge.TURN_RIGHT and yaw < 0
            )
            if not asked:
                return self._end(Verdict.CONTRARY, frame)
            return self._end(
                Verdict.PASSED if since >= s.min_reaction_s else Verdict.TOO_EARLY, frame
            )
        if self.challenge in TURNS:
            return self.verdict
        if self.challenge is Challenge.LOOK_UP:
            if abs(pitch) <= s.neutral_deg / 2:
                self._rest_seen = True
            if self._rest_seen and head_straight and pitch >= s.look_up_deg:
                return self._end(
                    Verdict.PASSED if since >= s.min_reaction_s else Verdict.TOO_EARLY, frame
                )
            return self.verdict
        if self.challenge is Challenge.BLINK:
            ratio = frame.eye_aspect_ratio / max(self.neutral.eye_aspect_ratio, 1e-6)
            if ratio >= s.blink_open:
                if self._closed_at is not None:
                    return self._end(Verdict.PASSED, frame)
                self._rest_seen = True
            elif ratio <= s.blink_closed and self._rest_seen and since >= s.min_reaction_s:
                self._closed_at = frame.timestamp_s
            return self.verdict
        # Smile: judged only with the head near straight (a turn changes the apparent width)
        # and the eyes open: FaceMesh widens the mouth by up to 0.15 while the lids close,
        # the picture's mouth unchanged (measured on the simulator), more than a smile's
        # least gain. Open eyes measured 0.87-1.2 of the neutral opening while smiling.
        if not head_straight:
            return self.verdict
        eyes = frame.eye_aspect_ratio / max(self.neutral.eye_aspect_ratio, 1e-6)
        if eyes < s.blink_open:
            return self.verdict
        gain = frame.mouth_width - self.neutral.mouth_width
        if gain <= s.smile_gain / 2:
            self._rest_seen = True
            self._smile_from = None
        elif gain >= s.smile_gain and self._rest_seen:
            # Two judged frames in a row: one frame's landmark jitter is no smile (and, just
            # after the prompt, no reason to fail the person as a replay).
            first = self._smile_from
            if first is None:
                self._smile_from = frame
                return self.verdict
            reacted = first.timestamp_s - self.prompted_at
            return self._end(
                Verdict.PASSED if reacted >= s.min_reaction_s else Verdict.TOO_EARLY, first
            )
        else:
            self._smile_from = None
        return self.verdict

    def _end(self, verdict: Verdict, frame: FrameSignals) -> Verdict:
        self.verdict = verdict
        self.done_at = frame.timestamp_s
        return verdict
