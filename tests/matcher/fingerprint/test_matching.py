"""1:1 matching: self matches, invariance to placement, distortion and partial overlap, and
unrelated prints staying below the decision threshold."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from matcher.fingerprint import (
    DECISION_THRESHOLD,
    Minutiae,
    TemplateFormatError,
    build_cylinders,
    compare_cylinders,
    compare_minutiae,
    compare_templates,
    decode_template,
    extract_minutiae,
)
from tests.matcher.fingerprint.conftest import load_image

SEED = 20240604


def _template(fvc_dir: Path, fvc_set: str, finger: int, impression: int) -> Minutiae:
    path = fvc_dir / fvc_set / f"{finger}_{impression}.iso"
    return Minutiae.from_record(decode_template(path.read_bytes()))


def _moved(minutiae: Minutiae, degrees: float, shift_x: float, shift_y: float) -> Minutiae:
    """The same print turned counter-clockwise (as seen) about its centre, then shifted."""
    turn = np.radians(degrees)
    cx, cy = float(minutiae.x.mean()), float(minutiae.y.mean())
    dx, dy = minutiae.x - cx, minutiae.y - cy
    # y grows downward, so a counter-clockwise turn as seen is clockwise in pixel axes.
    x = cx + np.cos(turn) * dx + np.sin(turn) * dy + shift_x
    y = cy - np.sin(turn) * dx + np.cos(turn) * dy + shift_y
    return Minutiae(
        x=x.astype(np.float32),
        y=y.astype(np.float32),
        angle=((minutiae.angle + turn) % (2 * np.pi)).astype(np.float32),
        kind=minutiae.kind,
        quality=minutiae.quality,
        width=2000,
        height=2000,
        resolution_ppcm=minutiae.resolution_ppcm,
    )


@pytest.fixture(scope="module")
def reference(fvc_dir: Path) -> Minutiae:
    return extract_minutiae(load_image(fvc_dir, "fvc2002/DB1_B", 102, 1))


def test_a_template_matches_itself_with_a_high_score(reference: Minutiae) -> None:
    result = compare_minutiae(reference, reference)
    assert result.is_match
    assert result.score >= 3 * DECISION_THRESHOLD
    assert result.paired_minutiae >= 0.9 * len(reference)


@pytest.mark.parametrize(
    ("degrees", "shift_x", "shift_y"),
    # Rotation is bounded (MAX_ROTATION, 90 degrees, as a finger on a scanner); shifts are not.
    [(0.0, 120.0, -80.0), (25.0, 0.0, 0.0), (-40.0, 300.0, 150.0), (75.0, 500.0, 500.0)],
)
def test_turned_and_shifted_copies_still_match(
    reference: Minutiae, degrees: float, shift_x: float, shift_y: float
) -> None:
    moved = _moved(reference, degrees, shift_x + 600, shift_y + 600)
    itself = compare_minutiae(reference, reference).score
    result = compare_minutiae(moved, reference)
    assert result.is_match
    assert result.score >= 0.9 * itself


def test_position_and_angle_noise_and_distortion_still_match(reference: Minutiae) -> None:
    rng = np.random.default_rng(SEED)
    count = len(reference)
    # A smooth, non-rigid bend of up to ~8 px across the print (elastic skin on the glass),
    # plus 2 px / 6 degree extraction jitter.
    bend_x = 8 * np.sin(reference.y / 90.0)
    bend_y = 6 * np.sin(reference.x / 110.0)
    distorted = Minutiae(
        x=(reference.x + bend_x + rng.normal(0, 2, count)).astype(np.float32),
        y=(reference.y + bend_y + rng.normal(0, 2, count)).astype(np.float32),
        angle=((reference.angle + rng.normal(0, np.radians(6), count)) % (2 * np.pi)).astype(
            np.float32
        ),
        kind=reference.kind,
        quality=reference.quality,
        width=reference.width,
        height=reference.height,
    )
    assert compare_minutiae(distorted, reference).is_match


def test_a_partial_print_matches_the_full_one(reference: Minutiae) -> None:
    # Keep the upper 60% of the print, as when a finger is placed high on the glass.
    cut = np.percentile(reference.y, 60)
    partial = reference.select(reference.y <= cut)
    assert len(partial) < len(reference)
    assert compare_minutiae(partial, reference).is_match


def test_a_turned_image_still_matches_after_extraction(fvc_dir: Path) -> None:
    image = load_image(fvc_dir, "fvc2002/DB2_B", 105, 1)
    height, width = image.shape
    turn = cv2.getRotationMatrix2D((width / 2, height / 2), 20, 1.0)
    turned = cv2.warpAffine(image, turn, (width, height), borderValue=(int(np.median(image)),))
    original = extract_minutiae(image, resolution_dpi=569)
    rotated = extract_minutiae(turned, resolution_dpi=569)
    assert compare_minutiae(rotated, original).is_match


def test_two_impressions_of_one_finger_match(fvc_dir: Path) -> None:
    first = extract_minutiae(load_image(fvc_dir, "fvc2002/DB1_B", 106, 1))
    second = extract_minutiae(load_image(fvc_dir, "fvc2002/DB1_B", 106, 2))
    assert compare_minutiae(first, second).is_match


def test_different_fingers_score_below_the_threshold(fvc_dir: Path) -> None:
    templates = [_template(fvc_dir, "fvc2002/DB2_B", finger, 1) for finger in range(101, 111)]
    cylinders = [build_cylinders(template) for template in templates]
    scores = [
        compare_cylinders(cylinders[a], cylinders[b]).score
        for a in range(len(cylinders))
        for b in range(a + 1, len(cylinders))
    ]
    assert max(scores) < DECISION_THRESHOLD
    genuine = compare_minutiae(templates[0], _template(fvc_dir, "fvc2002/DB2_B", 101, 2))
    assert genuine.score > max(scores)


def test_random_minutiae_do_not_match_each_other() -> None:
    rng = np.random.default_rng(SEED)

    def random_print() -> Minutiae:
        count = 40
        return Minutiae(
            x=rng.uniform(20, 280, count).astype(np.float32),
            y=rng.uniform(20, 380, count).astype(np.float32),
            angle=rng.uniform(0, 2 * np.pi, count).astype(np.float32),
            kind=rng.integers(1, 3, count).astype(np.int8),
            quality=np.full(count, 60, np.uint8),
            width=300,
            height=400,
        )

    prints = [random_print() for _ in range(6)]
    for index, first in enumerate(prints):
        for second in prints[index + 1 :]:
            assert not compare_minutiae(first, second).is_match


def test_the_score_does_not_depend_on_the_order_of_minutiae(reference: Minutiae) -> None:
    shuffled = reference.select(np.random.default_rng(SEED).permutation(len(reference)))
    other = _moved(reference, 10.0, 30.0, 0.0)
    assert compare_minutiae(shuffled, other).score == pytest.approx(
        compare_minutiae(reference, other).score, rel=1e-4
    )


def test_empty_and_tiny_templates_do_not_match(reference: Minutiae) -> None:
    empty = Minutiae.empty(300, 400)
    assert not compare_minutiae(empty, reference).is_match
    assert compare_minutiae(reference.select(np.arange(2)), reference).score < DECISION_THRESHOLD


def test_templates_compare_as_bytes_and_bad_bytes_are_refused(fvc_dir: Path) -> None:
    first = (fvc_dir / "fvc2002/DB1_B/103_1.iso").read_bytes()
    second = (fvc_dir / "fvc2002/DB1_B/103_2.iso").read_bytes()
    assert (
        compare_templates(first, second).score
        > compare_templates(first, (fvc_dir / "fvc2002/DB1_B/104_1.iso").read_bytes()).score
    )
    with pytest.raises(TemplateFormatError):
        compare_templates(first[:-3], second)
