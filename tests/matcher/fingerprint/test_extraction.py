"""Minutiae extraction: a synthetic minutia of known place, type and direction, and FVC images."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from numpy.typing import NDArray

from matcher.fingerprint import MinutiaType, analyse_ridges, extract_minutiae
from matcher.fingerprint.minutiae_detection import detect_minutiae
from tests.matcher.fingerprint.conftest import load_image

PERIOD = 9.0
CENTRE_X, CENTRE_Y = 128, 126  # 126 = 14 periods: the singular point sits on a ridge centre


def phase_spiral(offset: float, turn: int, size: int = 256) -> NDArray[np.uint8]:
    """Parallel horizontal ridges with one phase singularity: exactly one minutia at the centre.

    The side the singularity's spiral turns towards holds one ridge more, so the fork opens
    that way; the phase offset decides whether a ridge (ending) or a valley (bifurcation)
    starts there.
    """
    y, x = np.mgrid[0:size, 0:size].astype(np.float64)
    phase = 2 * np.pi * y / PERIOD + turn * np.arctan2(y - CENTRE_Y, x - CENTRE_X) + offset
    return np.asarray(np.clip(128 - 90 * np.cos(phase), 0, 255), dtype=np.uint8)


@pytest.mark.parametrize(
    ("offset", "turn", "kind", "direction_degrees"),
    [
        # A ridge starts at the centre and runs right: an ending pointing into it, at 0 degrees.
        (0.0, 1, MinutiaType.RIDGE_ENDING, 0.0),
        # A ridge from the left forks at the centre, branches to the right: 0 degrees.
        (np.pi, 1, MinutiaType.BIFURCATION, 0.0),
        # Mirrored: the fork opens to the left.
        (0.0, -1, MinutiaType.BIFURCATION, 180.0),
        (np.pi, -1, MinutiaType.RIDGE_ENDING, 180.0),
    ],
)
def test_a_synthetic_minutia_is_found_with_its_type_and_direction(
    offset: float, turn: int, kind: MinutiaType, direction_degrees: float
) -> None:
    minutiae = extract_minutiae(phase_spiral(offset, turn))
    assert len(minutiae) == 1, "the straight ridges elsewhere hold no minutiae"
    assert np.hypot(minutiae.x[0] - CENTRE_X, minutiae.y[0] - CENTRE_Y) <= 0.6 * PERIOD
    assert minutiae.kind[0] == kind
    error = np.degrees(np.angle(np.exp(1j * (minutiae.angle[0] - np.radians(direction_degrees)))))
    assert abs(error) <= 15.0


def test_plain_parallel_ridges_hold_no_minutiae() -> None:
    y = np.mgrid[0:256, 0:256][0].astype(np.float64)
    image = np.clip(128 - 90 * np.cos(2 * np.pi * y / PERIOD), 0, 255).astype(np.uint8)
    assert len(extract_minutiae(image)) == 0


@pytest.mark.parametrize(
    ("fvc_set", "finger", "impression"),
    [("fvc2002/DB1_B", 101, 1), ("fvc2004/DB2_B", 103, 2)],
)
def test_fvc_impressions_give_a_plausible_number_of_minutiae_inside_the_print(
    fvc_dir: Path, fvc_set: str, finger: int, impression: int
) -> None:
    image = load_image(fvc_dir, fvc_set, finger, impression)
    analysis = analyse_ridges(image)
    minutiae = analysis.minutiae
    # Plain impressions at 500 dpi hold some 20-70 minutiae (the SDK templates: 6-81).
    assert 15 <= len(minutiae) <= 90
    assert np.all((minutiae.x >= 0) & (minutiae.x < image.shape[1]))
    assert np.all((minutiae.y >= 0) & (minutiae.y < image.shape[0]))
    assert set(np.unique(minutiae.kind)) <= {1, 2}
    assert np.all((minutiae.quality >= 1) & (minutiae.quality <= 100))
    # Ridge period at 500 dpi is about 0.45-0.5 mm, 8-11 pixels.
    assert 7.0 <= analysis.period.median <= 12.0
    ox, oy = analysis.foreground.origin
    mask = analysis.foreground.pixel_mask
    rows = minutiae.y.astype(int) - oy
    cols = minutiae.x.astype(int) - ox
    assert np.all(mask[rows, cols]), "every minutia lies on the segmented print"


def test_extraction_is_deterministic(fvc_dir: Path) -> None:
    image = load_image(fvc_dir, "fvc2002/DB2_B", 104, 3)
    first = extract_minutiae(image)
    second = extract_minutiae(image.copy())
    assert len(first) > 0
    for field in ("x", "y", "angle", "kind", "quality"):
        assert np.array_equal(getattr(first, field), getattr(second, field)), field


def test_a_blank_image_has_no_minutiae() -> None:
    assert len(extract_minutiae(np.full((300, 300), 230, np.uint8))) == 0


@pytest.mark.parametrize("shape", [(10, 300), (300,), (300, 300, 2)])
def test_unusable_arrays_are_refused_with_a_reason(shape: tuple[int, ...]) -> None:
    with pytest.raises(ValueError, match="fingerprint image"):
        extract_minutiae(np.zeros(shape, np.uint8))


def test_ridges_that_cross_without_forking_give_endings_and_no_error() -> None:
    # A smeared capture can skeletonise into ridges that cross without any fork; detection once
    # indexed the empty list of bifurcations there and raised IndexError.
    skeleton = np.zeros((120, 120), np.uint8)
    for row in (30, 50, 70, 90):
        skeleton[row, 20:100] = 1
    skeleton[55:85, 60] = 1  # crosses the ridge of row 70: a junction of four branches
    found = detect_minutiae(
        skeleton, np.ones((120, 120), bool), np.zeros((120, 120), np.float32), PERIOD
    )
    assert len(found.x) == 10
    assert np.all(found.kind == MinutiaType.RIDGE_ENDING)
