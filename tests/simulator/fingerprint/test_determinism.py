"""Every random choice comes from a seed: the same seeds give the same prints, bit for bit."""

from __future__ import annotations

from simulator.fingerprint import (
    ImpressionConditions,
    MasterFingerprint,
    draw_conditions,
    render_impression,
    render_master,
)
from tests.simulator.fingerprint.conftest import POSITION, SEED


def test_the_same_finger_seed_renders_the_same_master(master: MasterFingerprint) -> None:
    again = render_master(SEED, POSITION)
    assert again.ridges.tobytes() == master.ridges.tobytes()
    assert again.pattern == master.pattern
    assert again.minutiae.x.tobytes() == master.minutiae.x.tobytes()
    assert again.minutiae.angle.tobytes() == master.minutiae.angle.tobytes()


def test_another_finger_seed_renders_another_master(master: MasterFingerprint) -> None:
    other = render_master(SEED + 1, POSITION)
    assert other.ridges.tobytes() != master.ridges.tobytes()
    assert other.minutiae.x.tobytes() != master.minutiae.x.tobytes()


def test_the_same_impression_seed_renders_the_same_image(master: MasterFingerprint) -> None:
    first = render_impression(master, 77)
    second = render_impression(master, 77)
    assert first.conditions == second.conditions
    assert first.image.tobytes() == second.image.tobytes()
    assert first.minutiae.x.tobytes() == second.minutiae.x.tobytes()


def test_another_impression_seed_renders_another_image(master: MasterFingerprint) -> None:
    assert render_impression(master, 77).image.tobytes() != (
        render_impression(master, 78).image.tobytes()
    )


def test_the_seed_also_draws_the_noise_under_fixed_conditions(master: MasterFingerprint) -> None:
    conditions = ImpressionConditions(noise=6.0, moisture=-0.5, smudges=2)
    first = render_impression(master, 5, conditions)
    assert render_impression(master, 5, conditions).image.tobytes() == first.image.tobytes()
    assert render_impression(master, 6, conditions).image.tobytes() != first.image.tobytes()


def test_conditions_are_drawn_from_the_seed() -> None:
    assert draw_conditions(11) == draw_conditions(11)
    assert draw_conditions(11) != draw_conditions(12)
