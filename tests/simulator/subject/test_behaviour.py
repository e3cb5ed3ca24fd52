"""The subject's behaviour over a fake clock: natural blinks, following prompts with human
delays (sometimes late, sometimes not at all), and the scenarios."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from simulator.subject.behaviour import Behaviour, Scenario, SubjectScript, SubjectState
from simulator.subject.prompts import Prompt, PromptEvent, PromptQueue

STEP_S = 1 / 30  # the fake clock ticks at 30 frames per second
ON_TIME = Behaviour(late_probability=0.0, miss_probability=0.0)


def _run(
    script: SubjectScript, until: float, start: float = 0.0
) -> list[tuple[float, SubjectState]]:
    times = np.arange(start, until, STEP_S)
    return [(float(t), script.state_at(float(t))) for t in times]


def test_natural_blinks_come_every_two_to_six_seconds() -> None:
    script = SubjectScript(11)
    states = _run(script, 120.0)
    starts = script.blink_times(120.0)
    assert len(starts) >= 120 / 6.0
    gaps = np.diff(starts)
    assert gaps.min() >= 2.0
    assert gaps.max() <= 6.0
    shut = [t for t, s in states if s.expression.blink_left > 0.99]
    assert shut, "the eyes never closed fully"


@pytest.mark.parametrize(
    ("prompt", "check"),
    [
        (Prompt.TURN_LEFT, lambda s: s.pose.yaw > 20.0),
        (Prompt.TURN_RIGHT, lambda s: s.pose.yaw < -20.0),
        (Prompt.LOOK_UP, lambda s: s.pose.pitch > 12.0),
        (Prompt.SMILE, lambda s: s.expression.smile > 0.8),
        (Prompt.BLINK, lambda s: s.expression.blink_left > 0.99),
    ],
)
def test_a_prompt_is_followed_within_a_human_delay(
    prompt: Prompt, check: Callable[[SubjectState], bool]
) -> None:
    queue = PromptQueue()
    script = SubjectScript(5, behaviour=ON_TIME, prompts=queue)
    _run(script, 3.0)
    queue.put(PromptEvent(prompt, seen_at=3.0))
    states = _run(script, 6.0, start=3.0)
    (reaction,) = script.reactions
    assert reaction.starts_at is not None
    assert 3.3 <= reaction.starts_at <= 3.9
    done = [t for t, s in states if check(s)]
    assert done, f"{prompt.value} never showed"
    assert reaction.starts_at < done[0] < reaction.starts_at + 1.0


def test_before_reacting_the_head_stays_near_straight() -> None:
    queue = PromptQueue()
    script = SubjectScript(5, behaviour=ON_TIME, prompts=queue)
    queue.put(PromptEvent(Prompt.TURN_LEFT, seen_at=1.0))
    states = _run(script, 1.29)
    assert all(abs(s.pose.yaw) < 3.0 for _, s in states)


def test_late_reactions_come_one_to_three_seconds_after_the_prompt() -> None:
    queue = PromptQueue()
    late = Behaviour(late_probability=1.0, miss_probability=0.0)
    script = SubjectScript(5, behaviour=late, prompts=queue)
    queue.put(PromptEvent(Prompt.SMILE, seen_at=1.0))
    _run(script, 1.5)
    (reaction,) = script.reactions
    assert reaction.starts_at is not None
    assert 1.0 + 0.3 + 0.8 <= reaction.starts_at <= 1.0 + 0.9 + 2.0


def test_a_missed_prompt_gets_no_reaction() -> None:
    queue = PromptQueue()
    script = SubjectScript(5, behaviour=Behaviour(miss_probability=1.0), prompts=queue)
    queue.put(PromptEvent(Prompt.TURN_RIGHT, seen_at=1.0))
    states = _run(script, 4.0)
    assert script.reactions[0].starts_at is None
    assert all(abs(s.pose.yaw) < 3.0 for _, s in states)


def test_over_many_prompts_some_are_late_and_a_few_missed() -> None:
    queue = PromptQueue()
    script = SubjectScript(2024, prompts=queue)
    for k in range(400):
        queue.put(PromptEvent(Prompt.BLINK, seen_at=1.0 + 5.0 * k))
    script.state_at(2001.0)
    delays = [r.starts_at - r.seen_at for r in script.reactions if r.starts_at is not None]
    missed = sum(r.starts_at is None for r in script.reactions)
    assert 2 <= missed <= 30
    assert 5 <= sum(d > 0.9 for d in delays) <= 45
    assert min(delays) >= 0.3


def test_clear_ends_an_action_early() -> None:
    queue = PromptQueue()
    script = SubjectScript(5, behaviour=ON_TIME, prompts=queue)
    queue.put(PromptEvent(Prompt.TURN_LEFT, seen_at=1.0))
    queue.put(PromptEvent(Prompt.CLEAR, seen_at=2.2))
    states = dict(_run(script, 5.0))
    times = sorted(states)
    at_4 = states[min(times, key=lambda t: abs(t - 4.2))]
    assert abs(at_4.pose.yaw) < 3.0  # back to straight long before the 0.9-1.5 s hold ends


def test_the_same_seed_and_prompts_give_the_same_states() -> None:
    def states() -> list[SubjectState]:
        queue = PromptQueue()
        queue.put(PromptEvent(Prompt.TURN_LEFT, seen_at=1.0))
        queue.put(PromptEvent(Prompt.SMILE, seen_at=4.0))
        return [s for _, s in _run(SubjectScript(99, prompts=queue), 8.0)]

    assert states() == states()


def test_time_must_not_go_backwards() -> None:
    script = SubjectScript(1)
    script.state_at(2.0)
    with pytest.raises(ValueError, match="backwards"):
        script.state_at(1.0)


def test_a_leaving_subject_walks_out_of_view() -> None:
    states = _run(SubjectScript(8, Scenario.LEAVES), 15.0)
    assert states[0][1].present
    assert not states[-1][1].present
    assert max(abs(s.pose.x_mm) for _, s in states) > 500.0


def test_a_second_person_walks_into_view_and_out_again() -> None:
    states = _run(SubjectScript(8, Scenario.SECOND_PERSON), 30.0)
    visiting = [s.companion for _, s in states if s.companion is not None]
    assert visiting
    assert min(abs(c.x_mm) for c in visiting) < 400.0
    assert any(s.companion is None for _, s in states[len(states) // 2 :])


def test_the_light_changes_in_the_lighting_scenario() -> None:
    states = _run(SubjectScript(8, Scenario.LIGHTING_CHANGES), 20.0)
    keys = {round(s.lighting.key, 2) for _, s in states}
    assert len(keys) >= 3
    steady = _run(SubjectScript(8), 20.0)
    assert len({s.lighting for _, s in steady}) == 1


def test_a_distracted_subject_looks_away() -> None:
    states = _run(SubjectScript(8, Scenario.LOOKS_AWAY), 30.0)
    assert (
        max(abs(s.pose.yaw) for _, s in states) > 40.0 or min(s.pose.pitch for _, s in states) < -20
    )


def test_nobody_in_the_absent_scenario() -> None:
    assert not any(s.present for _, s in _run(SubjectScript(8, Scenario.ABSENT), 5.0))
