"""Presentation attacks in front of the simulated camera: every kind shows the victim's face,
moves as an attacker would, and is the same for the same seed."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from matcher.face import FaceLandmarker, measure_eyes_and_mouth
from simulator.subject.attacks import AttackKind, attack_presentation
from simulator.subject.identity import FaceIdentity, make_identity
from simulator.subject.live_scene import CameraSettings
from simulator.subject.prompts import Prompt, PromptEvent, PromptQueue
from simulator.subject.scene import CameraView

SETTINGS = CameraSettings(view=CameraView(640, 480))
TIMES = (0.0, 2.5, 5.0, 7.5, 10.0, 12.5)


@pytest.fixture(scope="module")
def victim() -> FaceIdentity:
    return make_identity(31337, "female", 27.0, "EGY")


@pytest.mark.parametrize("kind", list(AttackKind))
def test_each_attack_shows_a_face_and_moves(
    kind: AttackKind, victim: FaceIdentity, landmarker: FaceLandmarker
) -> None:
    attack = attack_presentation(kind, victim, SETTINGS, seed=4)
    frames = [attack.frame(t, n) for n, t in enumerate(TIMES)]
    assert all(f.shape == (480, 640, 3) for f in frames)
    moving = [np.abs(a.astype(int) - b.astype(int)).mean() for a, b in itertools.pairwise(frames)]
    assert min(moving) > 1.0  # tilting, coming closer: no two moments alike
    faces = [len(landmarker.detect(f)) for f in frames]
    assert sum(count >= 1 for count in faces) >= len(frames) // 2, faces


@pytest.mark.parametrize("kind", [AttackKind.PRINT_BENT, AttackKind.REPLAY])
def test_an_attack_is_the_same_for_the_same_seed(kind: AttackKind, victim: FaceIdentity) -> None:
    first = attack_presentation(kind, victim, SETTINGS, seed=9)
    second = attack_presentation(kind, victim, SETTINGS, seed=9)
    other = attack_presentation(kind, victim, SETTINGS, seed=10)
    assert np.array_equal(first.frame(3.0, 45), second.frame(3.0, 45))
    assert not np.array_equal(first.frame(6.0, 90), other.frame(6.0, 90))


def test_an_attacker_turns_the_print_when_asked_to_turn(victim: FaceIdentity) -> None:
    queue = PromptQueue()
    attack = attack_presentation(AttackKind.PRINT_FLAT, victim, SETTINGS, seed=4, prompts=queue)
    still = attack_presentation(AttackKind.PRINT_FLAT, victim, SETTINGS, seed=4)
    queue.put(PromptEvent(Prompt.TURN_LEFT, seen_at=1.0))
    assert isinstance(attack, type(still))
    turned = [attack.holding.pose_at(t).yaw for t in np.arange(0.0, 4.0, 0.1)]  # type: ignore[union-attr]
    idle = [still.holding.pose_at(t).yaw for t in np.arange(0.0, 4.0, 0.1)]  # type: ignore[union-attr]
    assert max(turned) > max(idle) + 15.0


def test_cut_out_eyes_blink_with_the_attackers_eyes(
    victim: FaceIdentity, landmarker: FaceLandmarker
) -> None:
    queue = PromptQueue()
    attack = attack_presentation(AttackKind.CUTOUT_EYES, victim, SETTINGS, seed=4, prompts=queue)
    queue.put(PromptEvent(Prompt.BLINK, seen_at=0.0))
    ratios = []
    # The attacker reacts within 0.3-0.9 s, or late (up to 2.9 s).
    for n, t in enumerate(np.arange(0.2, 3.2, 1 / 20)):
        faces = landmarker.detect(attack.frame(float(t), n))
        if faces:
            ratios.append(measure_eyes_and_mouth(faces[0]).eye_aspect_ratio)
    assert len(ratios) > 20
    assert min(ratios) < 0.6 * max(ratios)  # the real eyes behind the print closed
