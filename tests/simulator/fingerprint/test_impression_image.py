"""Impression images: FVC2002 DB1's format, dark ridges on a light background, the master's
ridge period, and the named skin and sensor conditions doing what they say."""

from __future__ import annotations

import numpy as np
import pytest

from simulator.fingerprint import (
    FVC2002_DB2,
    ImpressionConditions,
    MasterFingerprint,
    render_impression,
)
from tests.simulator.fingerprint.ridge_measure import dominant_period


def test_an_impression_is_fvc2002_db1_sized_8_bit_grey(master: MasterFingerprint) -> None:
    impression = render_impression(master, 1)
    assert impression.image.dtype == np.uint8
    assert impression.image.shape == (374, 388)
    assert impression.resolution_dpi == 500
    assert (impression.minutiae.width, impression.minutiae.height) == (388, 374)


def test_another_image_format_can_be_asked_for(master: MasterFingerprint) -> None:
    impression = render_impression(master, 1, image_format=FVC2002_DB2)
    assert impression.image.shape == (560, 296)


def test_ridges_are_dark_on_a_light_background(master: MasterFingerprint) -> None:
    impression = render_impression(master, 2, ImpressionConditions.ideal())
    image, contact = impression.image.astype(float), impression.contact
    assert image[~contact].mean() > 200
    assert image[contact].mean() < image[~contact].mean() - 40
    # Ridges and valleys both: the darkest tenth is far darker than the lightest.
    low, high = np.percentile(image[contact], [10, 90])
    assert high - low > 120


def test_the_impression_shows_the_masters_ridge_period(master: MasterFingerprint) -> None:
    impression = render_impression(master, 3, ImpressionConditions.ideal())
    centre_y, centre_x = (np.array(impression.image.shape) - 1) // 2
    patch = impression.image[centre_y - 64 : centre_y + 64, centre_x - 64 : centre_x + 64]
    assert dominant_period(patch) == pytest.approx(master.period.base, rel=0.1)


def _ridge_share(master: MasterFingerprint, conditions: ImpressionConditions) -> float:
    """Share of the contact area printed dark (ink)."""
    impression = render_impression(master, 4, conditions)
    return float(np.mean(impression.image[impression.contact] < 128))


def test_wet_skin_prints_thicker_ridges_than_dry_skin(master: MasterFingerprint) -> None:
    dry = _ridge_share(master, ImpressionConditions(moisture=-0.8))
    normal = _ridge_share(master, ImpressionConditions())
    wet = _ridge_share(master, ImpressionConditions(moisture=0.8))
    assert dry < normal - 0.1
    assert wet > normal + 0.1


def test_heavy_pressure_prints_darker_than_light_pressure(master: MasterFingerprint) -> None:
    light = render_impression(master, 4, ImpressionConditions(pressure=0.1))
    heavy = render_impression(master, 4, ImpressionConditions(pressure=0.9))
    assert heavy.image[heavy.contact].mean() < light.image[light.contact].mean() - 15


def test_noise_and_smudges_change_the_image(master: MasterFingerprint) -> None:
    clean = render_impression(master, 5, ImpressionConditions(noise=0.0))
    noisy = render_impression(master, 5, ImpressionConditions(noise=12.0))
    smudged = render_impression(master, 5, ImpressionConditions(noise=0.0, smudges=3))
    # Pixel-to-pixel steps on the background: smooth shading alone, or shading plus noise.
    background = ~clean.contact[:, 1:] & ~clean.contact[:, :-1]
    clean_steps = np.diff(clean.image.astype(float), axis=1)[background]
    noisy_steps = np.diff(noisy.image.astype(float), axis=1)[background]
    assert np.std(noisy_steps) > 10 > 3 * np.std(clean_steps)
    changed = np.abs(smudged.image.astype(int) - clean.image.astype(int)) > 30
    assert changed.mean() > 0.01
