"""How an attacker holds a presentation attack instrument up to the camera over time: moving it
closer, tilting it, a hand's tremor, and tilting or turning it when the display asks the
person to turn or look up (which a flat picture can only fake)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from simulator.subject.prompts import Prompt, PromptSource
from simulator.subject.seeding import Stream, random_stream


@dataclass(frozen=True)
class InstrumentPose:
    """Centre of the instrument in camera space (mm) and its turn (degrees): yaw about the
    vertical (+ turns its right edge away), pitch about the horizontal (+ top edge away)."""

    x_mm: float
    y_mm: float
    distance_mm: float
    yaw: float
    pitch: float
    roll: float


class HoldingScript:
    """The attacker's hand: call `pose_at` with non-decreasing clock times."""

    def __init__(
        self,
        seed: int,
        prompts: PromptSource | None = None,
        start: float = 0.0,
        far_mm: float = 520.0,
        near_mm: float = 300.0,
    ) -> None:
        rng = random_stream(seed, Stream.ATTACK)
        self.start = start
        self.prompts = prompts
        self._phases = rng.uniform(0.0, 2 * math.pi, 8)
        self._approach_s = float(rng.uniform(6.0, 12.0))  # time to come from far to near
        self._far, self._near = far_mm, near_mm
        self._tilt = float(rng.uniform(6.0, 14.0))  # degrees of idle wobble
        self._rng = random_stream(seed, Stream.ATTACK, 1)
        self._moves: list[tuple[Prompt, float, float]] = []  # prompt, start, amplitude

    def pose_at(self, t: float) -> InstrumentPose:
        if self.prompts is not None:
            for event in self.prompts.take(t):
                delay = float(self._rng.uniform(0.4, 1.2))
                amplitude = float(self._rng.uniform(20.0, 35.0))
                self._moves.append((event.prompt, event.seen_at + delay, amplitude))
        u = t - self.start
        p = self._phases
        tau = 2 * math.pi
        # Moving closer and back again, slowly, as attackers try to fill the frame.
        cycle = 0.5 - 0.5 * math.cos(tau * u / (2 * self._approach_s))
        distance = self._far + (self._near - self._far) * cycle
        yaw = self._tilt * math.sin(tau * 0.17 * u + p[0])
        pitch = self._tilt * 0.8 * math.sin(tau * 0.13 * u + p[1])
        roll = 3.0 * math.sin(tau * 0.11 * u + p[2])
        # Hand tremor: a few millimetres at a few hertz.
        x = 12.0 * math.sin(tau * 0.07 * u + p[3]) + 1.5 * math.sin(tau * 4.1 * u + p[4])
        y = -20.0 + 8.0 * math.sin(tau * 0.05 * u + p[5]) + 1.5 * math.sin(tau * 3.7 * u + p[6])
        for prompt, begin, amplitude in self._moves:
            level = _pulse(t - begin, 0.5, 1.2, 0.5)
            if prompt is Prompt.TURN_LEFT:
                yaw += amplitude * level
            elif prompt is Prompt.TURN_RIGHT:
                yaw -= amplitude * level
            elif prompt is Prompt.LOOK_UP:
                pitch += amplitude * 0.7 * level
        return InstrumentPose(x, y, distance, yaw, pitch, roll)


def _pulse(since: float, rise: float, hold: float, fall: float) -> float:
    if since <= 0.0:
        return 0.0
    if since < rise:
        return _ease(since / rise)
    if since < rise + hold:
        return 1.0
    return 1.0 - _ease(min(1.0, (since - rise - hold) / fall))


def _ease(x: float) -> float:
    return x * x * (3.0 - 2.0 * x)
