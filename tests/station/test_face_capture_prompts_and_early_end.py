"""The face-capture core with the real liveness check: a challenge asked again reaches the
person as a new request, and a filmed screen (its moire) or a held-up print (its edges) ends the
session rather than the challenge deadlines. The attack is drawn in-process on a synthetic clock."""

from __future__ import annotations

import random

import numpy as np

from matcher.liveness import Challenge, LivenessUpdate
from matcher.liveness.messages import HELD_UP, SCREEN
from simulator.subject.attacks import AttackKind, attack_presentation
from simulator.subject.attacks.presentations import PrintAttack, ScreenAttack
from simulator.subject.identity import make_identity
from simulator.subject.live_scene import CameraSettings
from simulator.subject.prompts import Prompt, PromptEvent, PromptQueue
from station.customer_display.model import DisplayUpdate
from station.enrollment.adapters import reason_codes
from station.enrollment.face_capture import FaceCapture, FaceDecision
from tests.station.face_sources import ClockedFrames, Image, PromptedDisplay, StillFrames

# Phone photo of seed 2: the moire share passes twice the limit before the first deadline.
ATTACK_SEED = 2


class AttackFrames(ClockedFrames):
    """A presentation attack in front of a camera that delivers a frame whenever asked."""

    def __init__(self, presentation: PrintAttack | ScreenAttack, max_frames: int = 600) -> None:
        super().__init__(max_frames)
        self.presentation = presentation

    def render(self, t: float, number: int) -> Image:
        return self.presentation.frame(t, number)


class AttackerWatchingDisplay(PromptedDisplay):
    def __init__(self, prompts: PromptQueue, frames: AttackFrames) -> None:
        super().__init__()
        self.prompts = prompts
        self.frames = frames

    def show(self, update: DisplayUpdate) -> None:
        super().show(update)
        prompt = Prompt(update.challenge) if update.challenge else Prompt.CLEAR
        self.prompts.put(PromptEvent(prompt, seen_at=self.frames.now_s))


def _asked(challenge: Challenge | None) -> LivenessUpdate:
    return LivenessUpdate(challenge, True, 5.0, 1, None, (), False)


def test_a_challenge_asked_again_is_cleared_first_so_it_is_seen_anew() -> None:
    display = PromptedDisplay()
    capture = FaceCapture(
        StillFrames(np.zeros((8, 8, 3), np.uint8), 0), display, rng=random.Random(1)
    )

    capture._show_prompt(_asked(Challenge.BLINK))
    capture._show_prompt(_asked(Challenge.BLINK))  # the deadline passed: asked once more
    capture._show_prompt(_asked(Challenge.SMILE))

    assert display.challenges_shown == ["blink", None, "blink", "smile"]


def test_a_filmed_screen_ends_the_session_on_an_image_cue() -> None:
    prompts = PromptQueue()
    victim = make_identity(5 + ATTACK_SEED, "male", 35.0, "SAU")
    attack = attack_presentation(
        AttackKind.PHONE_PHOTO, victim, CameraSettings(), seed=ATTACK_SEED, prompts=prompts
    )
    assert isinstance(attack, ScreenAttack)
    frames = AttackFrames(attack)
    display = AttackerWatchingDisplay(prompts, frames)
    capture = FaceCapture(frames, display, rng=random.Random(ATTACK_SEED))

    outcome = capture.run(None)

    assert outcome.decision is FaceDecision.NOT_LIVE
    assert outcome.liveness is not None
    # The phone shows both image cues: its colour moire and its bezel moving with the face;
    # whichever is decisive first ends the session.
    moire = outcome.liveness.passive.colour_moire
    edges = outcome.liveness.passive.held_up_edges
    assert {reason.en for reason in outcome.liveness_reasons} <= {SCREEN.en, HELD_UP.en}
    if SCREEN.en in {reason.en for reason in outcome.liveness_reasons}:
        assert not moire.passed
        assert moire.frames >= 12
    else:
        assert not edges.passed
        assert edges.frames >= 10  # the early rule: 10 decided samples
    # Ended on the cue: the first challenge was never asked a second time.
    asked = [c for c in display.challenges_shown if c is not None]
    assert len(asked) == 1
    assert len(outcome.liveness.challenges) == len(capture.challenges)


def test_a_held_up_print_ends_the_session_on_its_edges_before_the_first_deadline() -> None:
    prompts = PromptQueue()
    victim = make_identity(6, "female", 35.0, "SAU")
    attack = attack_presentation(
        AttackKind.PRINT_FLAT, victim, CameraSettings(), seed=1, prompts=prompts
    )
    assert isinstance(attack, PrintAttack)
    frames = AttackFrames(attack)
    display = AttackerWatchingDisplay(prompts, frames)
    capture = FaceCapture(frames, display, rng=random.Random(1))

    outcome = capture.run(None)

    assert outcome.decision is FaceDecision.NOT_LIVE
    assert [reason.en for reason in outcome.liveness_reasons] == [HELD_UP.en]
    assert outcome.liveness is not None
    edges = outcome.liveness.passive.held_up_edges
    assert not edges.passed
    assert edges.frames >= 10  # the early rule: 10 decided samples
    # Decided within the first prompt's time (look 1.2 s + deadline 5 s), nothing asked twice.
    assert frames.now_s < 1.2 + 5.0
    assert [c for c in display.challenges_shown if c is not None] == [str(capture.challenges[0])]
    codes = reason_codes(outcome)
    assert codes[: len(capture.challenges)] == tuple(f"challenge_{c}" for c in capture.challenges)
    assert "held_up" in codes
