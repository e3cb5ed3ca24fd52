"""A subject told to settle (the rehearsal's machine-time person): a prompt that comes while
the head is still turned is followed only once the head is back and at rest a moment."""

from __future__ import annotations

from simulator.subject.behaviour import Behaviour, SubjectScript
from simulator.subject.prompts import Prompt, PromptEvent, PromptQueue

FAST = Behaviour(
    reaction_delay_s=(0.25, 0.25), late_probability=0.0, miss_probability=0.0, settle_s=0.25
)


def _pitch_and_yaw(behaviour: Behaviour) -> list[tuple[float, float, float]]:
    queue = PromptQueue()
    script = SubjectScript(4, behaviour=behaviour, prompts=queue)
    queue.put(PromptEvent(Prompt.TURN_LEFT, seen_at=0.5))
    queue.put(PromptEvent(Prompt.LOOK_UP, seen_at=1.4))  # the head is turned at 1.4 s
    return [
        (t, state.pose.yaw, state.pose.pitch)
        for t in (i / 100 for i in range(50, 400))
        for state in [script.state_at(t)]
    ]


def test_the_head_comes_back_to_rest_before_looking_up() -> None:
    track = _pitch_and_yaw(FAST)
    up_from = next(t for t, _, pitch in track if pitch > 5.0)
    rest = [t for t, yaw, pitch in track if 1.4 < t < up_from and abs(yaw) < 3.0]
    assert rest, "never at rest between the turn and the look up"
    assert up_from - rest[0] >= 0.2


def test_without_settling_the_look_up_begins_while_the_head_turns_back() -> None:
    track = _pitch_and_yaw(
        Behaviour(reaction_delay_s=(0.25, 0.25), late_probability=0.0, miss_probability=0.0)
    )
    up_from = next(t for t, _, pitch in track if pitch > 5.0)
    yaw_then = next(yaw for t, yaw, _ in track if t >= up_from)
    assert abs(yaw_then) > 5.0
