"""Each active check on landmark signals over time: done after the prompt passes; not done
stays pending (the session's deadline fails it); too early or a turn the other way fails."""

from __future__ import annotations

from collections.abc import Iterable

import pytest

from matcher.liveness import Challenge, LivenessSettings
from matcher.liveness.active import ChallengeCheck, FrameSignals, Neutral, Verdict

NEUTRAL = Neutral(yaw=1.0, pitch=-1.0, eye_aspect_ratio=0.22, mouth_width=0.88)
STEP = 1 / 15


def _frame(t: float, *, yaw: float = 1.0, pitch: float = -1.0, ear: float = 0.22,
           mouth: float = 0.88) -> FrameSignals:  # fmt: skip
    return FrameSignals(t, yaw, pitch, ear, mouth)


def _run(challenge: Challenge, frames: Iterable[FrameSignals]) -> ChallengeCheck:
    check = ChallengeCheck(challenge, prompted_at=0.0, neutral=NEUTRAL, settings=LivenessSettings())
    for frame in frames:
        if check.observe(frame) is not Verdict.PENDING:
            break
    return check


def _ramp(t0: float, **target: float) -> list[FrameSignals]:
    """Neutral until t0, then the target values from t0 for a second."""
    frames = [_frame(k * STEP) for k in range(int(t0 / STEP))]
    frames += [_frame(t0 + k * STEP, **target) for k in range(15)]
    return frames


PERFORMED = {
    Challenge.TURN_LEFT: {"yaw": 27.0},  # yaw > 0: the person's own left
    Challenge.TURN_RIGHT: {"yaw": -27.0},
    Challenge.LOOK_UP: {"pitch": 15.0},
    Challenge.SMILE: {"mouth": 1.02},
}


@pytest.mark.parametrize("challenge", list(PERFORMED))
def test_a_performed_challenge_passes_with_its_reaction_time(challenge: Challenge) -> None:
    check = _run(challenge, _ramp(0.8, **PERFORMED[challenge]))
    assert check.verdict is Verdict.PASSED
    assert check.done_at == pytest.approx(0.8, abs=STEP)


def test_a_blink_passes_once_the_eyes_open_again() -> None:
    frames = [*_ramp(0.6), _frame(0.7, ear=0.05), _frame(0.75, ear=0.04), _frame(0.8, ear=0.21)]
    check = _run(Challenge.BLINK, frames)
    assert check.verdict is Verdict.PASSED
    assert check.done_at == 0.8


def test_eyes_still_shut_are_not_yet_a_blink() -> None:
    check = _run(Challenge.BLINK, [*_ramp(0.6), _frame(0.7, ear=0.05)])
    assert check.verdict is Verdict.PENDING


def test_a_blink_already_under_way_at_the_prompt_does_not_count() -> None:
    frames = [_frame(0.0, ear=0.05), _frame(0.05, ear=0.05), _frame(0.12, ear=0.22)]
    assert _run(Challenge.BLINK, frames).verdict is Verdict.PENDING


@pytest.mark.parametrize("challenge", list(Challenge))
def test_nothing_done_stays_pending(challenge: Challenge) -> None:
    frames = [_frame(k * STEP) for k in range(90)]
    assert _run(challenge, frames).verdict is Verdict.PENDING


@pytest.mark.parametrize("challenge", [Challenge.TURN_LEFT, Challenge.SMILE, Challenge.LOOK_UP])
def test_an_action_faster_than_a_reaction_is_too_early(challenge: Challenge) -> None:
    # Straight at the prompt, done 70 ms later: a recording already moving, not a person.
    frames = [_frame(0.0), _frame(0.07, **PERFORMED[challenge])]
    frames.append(_frame(0.13, **PERFORMED[challenge]))  # a smile counts on its second frame
    check = _run(challenge, frames)
    assert check.verdict is Verdict.TOO_EARLY
    assert check.done_at == 0.07


def test_a_head_already_turned_at_the_prompt_must_come_back_first() -> None:
    frames = [_frame(k * STEP, yaw=28.0) for k in range(20)]
    assert _run(Challenge.TURN_LEFT, frames).verdict is Verdict.PENDING
    frames += [_frame(1.5, yaw=2.0), _frame(2.0, yaw=26.0)]
    assert _run(Challenge.TURN_LEFT, frames).verdict is Verdict.PASSED


@pytest.mark.parametrize(
    ("challenge", "turn"),
    [
        (Challenge.TURN_LEFT, -27.0),  # turned right when asked left: another session's order
        (Challenge.TURN_RIGHT, 27.0),
        (Challenge.BLINK, 27.0),
        (Challenge.SMILE, -27.0),
        (Challenge.LOOK_UP, 27.0),
    ],
)
def test_a_turn_not_asked_for_fails(challenge: Challenge, turn: float) -> None:
    assert _run(challenge, _ramp(0.8, yaw=turn)).verdict is Verdict.CONTRARY


def test_a_smile_is_not_judged_while_the_head_is_turned() -> None:
    frames = _ramp(0.5, yaw=16.0, mouth=1.05)  # wider mouth only because of the turn
    assert _run(Challenge.SMILE, frames).verdict is Verdict.PENDING


def test_a_blink_just_after_the_smile_prompt_is_neither_a_smile_nor_a_replay() -> None:
    # FaceMesh reads the mouth up to 0.15 wider while the lids close: a blink 70 ms after
    # the prompt is no smile under way; the smile that follows passes.
    blink = [_frame(0.07, ear=0.12, mouth=1.02), _frame(0.13, ear=0.05, mouth=1.03)]
    frames = [_frame(0.0), *blink, _frame(0.2)]
    assert _run(Challenge.SMILE, frames).verdict is Verdict.PENDING
    frames += [_frame(0.6 + k * STEP, mouth=1.02) for k in range(3)]
    check = _run(Challenge.SMILE, frames)
    assert check.verdict is Verdict.PASSED
    assert check.done_at == 0.6


def test_one_frame_of_a_wider_mouth_is_no_smile() -> None:
    frames = [_frame(0.0), _frame(0.07, mouth=1.02), *_ramp(0.2)[4:]]
    assert _run(Challenge.SMILE, frames).verdict is Verdict.PENDING
