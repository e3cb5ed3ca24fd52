"""How a simulated person behaves in front of the camera over time: natural blinks every 2-6 s,
small head sway, and the prompts of the customer display followed after a human delay
(300-900 ms), sometimes late or not at all; plus scenarios (the light changes, someone walks
into view, the person looks away or leaves).

`SubjectScript.state_at(t)` is driven by a clock the caller reads (never the wall clock here);
times must not go backwards. Same seed and same prompts at the same times: same states.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from enum import StrEnum

import numpy as np

from simulator.subject.expression import Expression
from simulator.subject.prompts import Prompt, PromptEvent, PromptSource
from simulator.subject.scene import Lighting, SubjectPose
from simulator.subject.seeding import Stream, random_stream


class Scenario(StrEnum):
    COOPERATIVE = "cooperative"
    LIGHTING_CHANGES = "lighting_changes"
    SECOND_PERSON = "second_person"
    LOOKS_AWAY = "looks_away"
    LEAVES = "leaves"
    ABSENT = "absent"  # nobody in front of the camera


@dataclass(frozen=True)
class Behaviour:
    """Timing and size of what the person does (seconds, degrees, millimetres)."""

    blink_interval_s: tuple[float, float] = (2.0, 6.0)
    reaction_delay_s: tuple[float, float] = (0.3, 0.9)
    late_probability: float = 0.05
    late_extra_s: tuple[float, float] = (0.8, 2.0)
    miss_probability: float = 0.03
    turn_degrees: tuple[float, float] = (25.0, 35.0)
    look_up_degrees: tuple[float, float] = (15.0, 22.0)
    hold_s: tuple[float, float] = (0.9, 1.5)
    sway_degrees: float = 1.5
    # Seconds at rest between one action's end and the next one's start; None: the next
    # action starts at its reaction time while the last one is still easing back (people
    # often turn back and look up in one movement).
    settle_s: float | None = None
    distance_mm: float = 420.0
    lighting: Lighting = field(default_factory=Lighting)


@dataclass(frozen=True)
class SubjectState:
    """Everything the renderer needs about the people in front of the camera at one time."""

    present: bool
    pose: SubjectPose
    expression: Expression
    lighting: Lighting
    companion: SubjectPose | None = None  # a second person in view, if any


@dataclass(frozen=True)
class Reaction:
    """What the person made of one prompt: when they saw it and when they began (None: missed)."""

    prompt: Prompt
    seen_at: float
    starts_at: float | None


@dataclass
class _Action:
    prompt: Prompt
    start: float
    amplitude: float
    rise: float
    hold: float
    fall: float
    stop: float = math.inf  # when the hold was cut short (a new action or a "clear")

    def envelope(self, t: float) -> float:
        """0 before, rising to 1, held, falling back to 0 (smooth at both ends)."""
        if t <= self.start:
            return 0.0
        up = _ease(min(1.0, (t - self.start) / max(self.rise, 1e-6)))
        fall_from = min(self.start + self.rise + self.hold, max(self.stop, self.start))
        if t <= fall_from:
            return up
        return up * (1.0 - _ease(min(1.0, (t - fall_from) / max(self.fall, 1e-6))))

    def finished(self, t: float) -> bool:
        return t > min(self.start + self.rise + self.hold, self.stop) + self.fall


def _ease(x: float) -> float:
    return x * x * (3.0 - 2.0 * x)


def _blink_amount(since: float) -> float:
    """A blink: 80 ms closing, 50 ms shut, 150 ms opening."""
    if since < 0.0 or since > 0.28:
        return 0.0
    if since < 0.08:
        return since / 0.08
    if since < 0.13:
        return 1.0
    return 1.0 - (since - 0.13) / 0.15


_LIGHTS = (
    Lighting(),
    Lighting(direction=(0.7, -0.3, -0.65), key=0.85, ambient=0.3),  # a lamp on their left
    Lighting(key=0.35, ambient=0.25),  # the room dims
    Lighting(direction=(-0.2, -0.8, -0.55), key=0.9, ambient=0.35, key_colour=(0.8, 0.92, 1.1)),
    Lighting(direction=(-0.75, -0.2, -0.6), key=0.8, ambient=0.35),
)


class SubjectScript:
    """The person's behaviour: call `state_at` with non-decreasing clock times."""

    def __init__(
        self,
        seed: int,
        scenario: Scenario = Scenario.COOPERATIVE,
        behaviour: Behaviour | None = None,
        prompts: PromptSource | None = None,
        start: float = 0.0,
    ) -> None:
        self.seed = seed
        self.scenario = scenario
        self.behaviour = behaviour or Behaviour()
        self.prompts = prompts
        self.start = start
        self.reactions: list[Reaction] = []
        self._actions: list[_Action] = []
        self._blink_rng = random_stream(seed, Stream.BLINKS)
        self._prompt_rng = random_stream(seed, Stream.PROMPTS)
        motion = random_stream(seed, Stream.HEAD_MOTION)
        self._phases = motion.uniform(0.0, 2 * math.pi, 8)
        self._blinks = [start + float(self._blink_rng.uniform(0.5, 2.5))]
        self._blink_history: list[float] = []
        events = random_stream(seed, Stream.BEHAVIOUR)
        self._events = events
        self._leave_at = start + float(events.uniform(5.0, 10.0))
        self._leave_side = 1.0 if events.random() < 0.5 else -1.0
        self._glances = self._schedule(events, (4.0, 8.0), (1.5, 3.0))
        self._visits = self._schedule(events, (2.0, 12.0), (3.0, 5.0))
        self._light_changes = self._schedule(events, (3.0, 6.0), (0.5, 0.5))
        self._last_t = -math.inf

    def _schedule(
        self, rng: np.random.Generator, gap: tuple[float, float], length: tuple[float, float]
    ) -> list[tuple[float, float, float]]:
        """(start, duration, a random number) of events over the next ten minutes."""
        out = []
        t = self.start
        while t < self.start + 600.0:
            t += float(rng.uniform(*gap))
            duration = float(rng.uniform(*length))
            out.append((t, duration, float(rng.random())))
            t += duration
        return out

    def observe(self, events: list[PromptEvent]) -> None:
        """Decide how to react to prompts just seen (in the order seen)."""
        b = self.behaviour
        for event in events:
            rng = self._prompt_rng
            missed = rng.random() < b.miss_probability
            delay = float(rng.uniform(*b.reaction_delay_s))
            if rng.random() < b.late_probability:
                delay += float(rng.uniform(*b.late_extra_s))
            amplitude_draw = float(rng.random())
            hold = float(rng.uniform(*b.hold_s))
            if missed:
                self.reactions.append(Reaction(event.prompt, event.seen_at, None))
                continue
            starts = event.seen_at + delay
            for action in self._actions:
                action.stop = min(action.stop, starts)
            if b.settle_s is not None and event.prompt is not Prompt.CLEAR:
                # Back from the last movement first: the head comes to rest, then moves.
                back = [min(a.start + a.rise + a.hold, a.stop) + a.fall for a in self._actions]
                starts = max([starts, *(end + b.settle_s for end in back if end > starts)])
            self.reactions.append(Reaction(event.prompt, event.seen_at, starts))
            if event.prompt is Prompt.CLEAR:
                continue
            self._actions.append(self._action(event.prompt, starts, amplitude_draw, hold))

    def _action(self, prompt: Prompt, start: float, draw: float, hold: float) -> _Action:
        b = self.behaviour
        if prompt in (Prompt.TURN_LEFT, Prompt.TURN_RIGHT):
            low, high = b.turn_degrees
            return _Action(prompt, start, low + (high - low) * draw, 0.45, hold, 0.5)
        if prompt is Prompt.LOOK_UP:
            low, high = b.look_up_degrees
            return _Action(prompt, start, low + (high - low) * draw, 0.4, hold, 0.45)
        if prompt is Prompt.SMILE:
            return _Action(prompt, start, 0.85 + 0.15 * draw, 0.35, hold + 0.3, 0.4)
        # A deliberate blink: one or two full blinks (0.4 s apart).
        return _Action(prompt, start, 2.0 if draw < 0.3 else 1.0, 0.0, 0.7, 0.0)

    def state_at(self, t: float) -> SubjectState:
        if t < self._last_t:
            raise ValueError(f"time went backwards: {t} after {self._last_t}")
        self._last_t = t
        if self.prompts is not None:
            self.observe(self.prompts.take(t))
        lighting = self._lighting(t)
        companion = self._companion(t)
        if self.scenario is Scenario.ABSENT:
            return SubjectState(False, SubjectPose(x_mm=5000.0), Expression(), lighting, companion)
        yaw, pitch, roll, x, y, distance = self._sway(t)
        smile = 0.0
        blink = self._natural_blink(t)
        for action in self._actions:
            level = action.envelope(t)
            if action.prompt is Prompt.TURN_LEFT:
                yaw += action.amplitude * level
            elif action.prompt is Prompt.TURN_RIGHT:
                yaw -= action.amplitude * level
            elif action.prompt is Prompt.LOOK_UP:
                pitch += action.amplitude * level
            elif action.prompt is Prompt.SMILE:
                smile = max(smile, action.amplitude * level)
            elif action.prompt is Prompt.BLINK:
                for k in range(int(action.amplitude)):
                    blink = max(blink, _blink_amount(t - action.start - 0.4 * k) ** 0.7)
        self._actions = [a for a in self._actions if not a.finished(t) or a.start > t]
        gaze_yaw = 0.0
        if self.scenario is Scenario.LOOKS_AWAY:
            away = self._glance(t)
            yaw += away[0]
            pitch += away[1]
            gaze_yaw = away[0] * 0.3
        present = True
        if self.scenario is Scenario.LEAVES and t > self._leave_at:
            walked = min(1.0, (t - self._leave_at) / 1.8)
            x += self._leave_side * 750.0 * _ease(walked)
            yaw += self._leave_side * 55.0 * _ease(min(1.0, walked * 2.0))
            present = walked < 1.0
        pose = SubjectPose(yaw=yaw, pitch=pitch, roll=roll, x_mm=x, y_mm=y, distance_mm=distance)
        expression = Expression(
            blink_right=blink,
            blink_left=blink,
            smile=smile,
            mouth_open=0.12 * smile,
            gaze_yaw=gaze_yaw,
        )
        return SubjectState(present, pose, expression, lighting, companion)

    def _sway(self, t: float) -> tuple[float, float, float, float, float, float]:
        """Slow sums of sines: a person never holds perfectly still."""
        s = self.behaviour.sway_degrees
        p = self._phases
        tau = 2 * math.pi
        t = t - self.start
        yaw = s * (0.6 * math.sin(tau * 0.11 * t + p[0]) + 0.4 * math.sin(tau * 0.27 * t + p[1]))
        pitch = (
            s
            * 0.7
            * (0.6 * math.sin(tau * 0.09 * t + p[2]) + 0.4 * math.sin(tau * 0.31 * t + p[3]))
        )
        roll = s * 0.5 * math.sin(tau * 0.13 * t + p[4])
        # The body stays put (seated or standing at the counter); the head sways on the neck.
        return yaw, pitch, roll, 0.0, -25.0, self.behaviour.distance_mm

    def _natural_blink(self, t: float) -> float:
        low, high = self.behaviour.blink_interval_s
        while self._blinks[-1] < t + 1.0:
            self._blinks.append(self._blinks[-1] + float(self._blink_rng.uniform(low, high)))
        while len(self._blinks) > 2 and self._blinks[1] < t - 1.0:
            self._blink_history = [*self._blink_history[-999:], self._blinks.pop(0)]
        return max(_blink_amount(t - start) for start in self._blinks)

    def blink_times(self, until: float) -> list[float]:
        """Start times of the natural blinks up to `until` (the last thousand)."""
        self._natural_blink(until)
        return [b for b in (*self._blink_history, *self._blinks) if b <= until]

    def _glance(self, t: float) -> tuple[float, float]:
        for start, duration, draw in self._glances:
            if start <= t <= start + duration + 0.6:
                level = _ease(min(1.0, (t - start) / 0.4)) * (
                    1.0 - _ease(min(1.0, max(0.0, t - start - duration) / 0.6))
                )
                if draw < 0.35:  # down at a phone
                    return 0.0, -30.0 * level
                side = 1.0 if draw < 0.7 else -1.0
                return side * 55.0 * level, 0.0
            if start > t:
                break
        return 0.0, 0.0

    def _companion(self, t: float) -> SubjectPose | None:
        if self.scenario is not Scenario.SECOND_PERSON:
            return None
        for start, duration, draw in self._visits:
            end = start + duration
            if start <= t <= end + 2.0:
                side = 1.0 if draw < 0.5 else -1.0
                enter = _ease(min(1.0, (t - start) / 2.0))
                leave = _ease(min(1.0, max(0.0, t - end) / 2.0))
                x = side * (950.0 - 650.0 * enter + 650.0 * leave)
                return SubjectPose(yaw=-side * 20.0, x_mm=x, y_mm=-60.0, distance_mm=1000.0)
            if start > t:
                break
        return None

    def _lighting(self, t: float) -> Lighting:
        base = self.behaviour.lighting
        if self.scenario is not Scenario.LIGHTING_CHANGES:
            return base
        current, previous, since = base, base, math.inf
        for index, (start, _, _) in enumerate(self._light_changes):
            if start > t:
                break
            previous, current = current, _LIGHTS[(index + 1) % len(_LIGHTS)]
            since = t - start
        if since >= 0.5:
            return current
        return _blend_light(previous, current, _ease(since / 0.5))


def _blend_light(a: Lighting, b: Lighting, share: float) -> Lighting:
    def mix(
        u: tuple[float, float, float], v: tuple[float, float, float]
    ) -> tuple[float, float, float]:
        return (
            u[0] + (v[0] - u[0]) * share,
            u[1] + (v[1] - u[1]) * share,
            u[2] + (v[2] - u[2]) * share,
        )

    return replace(
        a,
        direction=mix(a.direction, b.direction),
        key=a.key + (b.key - a.key) * share,
        ambient=a.ambient + (b.ambient - a.ambient) * share,
        key_colour=mix(a.key_colour, b.key_colour),
    )
