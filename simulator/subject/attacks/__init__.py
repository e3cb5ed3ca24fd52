"""Presentation attack instruments (ISO/IEC 30107-3 terms) in front of the simulated camera:
prints (flat, bent), photos on phones and tablets, replayed sessions, cut-out eyes."""

from __future__ import annotations

from enum import StrEnum

from simulator.subject.attacks.presentations import (
    CutoutEyesAttack,
    PrintAttack,
    ReplayAttack,
    ScreenAttack,
)
from simulator.subject.identity import FaceIdentity
from simulator.subject.live_scene import CameraSettings
from simulator.subject.prompts import PromptSource


class AttackKind(StrEnum):
    PRINT_FLAT = "print_flat"
    PRINT_BENT = "print_bent"
    PHONE_PHOTO = "phone_photo"
    TABLET_PHOTO = "tablet_photo"
    REPLAY = "replay"
    CUTOUT_EYES = "cutout_eyes"


ATTACKS = tuple(AttackKind)


def attack_presentation(
    kind: AttackKind,
    victim: FaceIdentity,
    settings: CameraSettings,
    *,
    seed: int,
    prompts: PromptSource | None = None,
    start: float = 0.0,
) -> PrintAttack | ScreenAttack | ReplayAttack | CutoutEyesAttack:
    """The attack of `kind` presenting `victim`'s face; `seed` drives the attacker's moves."""
    if kind in (AttackKind.PRINT_FLAT, AttackKind.PRINT_BENT):
        return PrintAttack(
            victim,
            settings,
            bent=kind is AttackKind.PRINT_BENT,
            seed=seed,
            prompts=prompts,
            start=start,
        )
    if kind in (AttackKind.PHONE_PHOTO, AttackKind.TABLET_PHOTO):
        return ScreenAttack(
            victim,
            settings,
            tablet=kind is AttackKind.TABLET_PHOTO,
            seed=seed,
            prompts=prompts,
            start=start,
        )
    if kind is AttackKind.REPLAY:
        return ReplayAttack(victim, settings, seed=seed, prompts=prompts, start=start)
    return CutoutEyesAttack(victim, settings, seed=seed, prompts=prompts, start=start)


__all__ = ["ATTACKS", "AttackKind", "attack_presentation"]
