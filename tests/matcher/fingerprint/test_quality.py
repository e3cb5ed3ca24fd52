"""Quality: clear prints score above blank, noisy, faint, smudged or misplaced ones, and the
advice names what to do in English and Arabic."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest
from numpy.typing import NDArray

from matcher.fingerprint import (
    RECOMMENDED_MIN_QUALITY,
    FingerMinutiaeRecord,
    QualityIssue,
    decode_template,
    process_capture,
)
from tests.matcher.fingerprint.conftest import load_image

SEED = 7


@pytest.fixture(scope="module")
def clear_print(fvc_dir: Path) -> NDArray[np.uint8]:
    return load_image(fvc_dir, "fvc2002/DB1_B", 102, 1)


def _issues(image: NDArray[np.uint8]) -> set[QualityIssue]:
    return {reason.issue for reason in process_capture(image).quality.reasons}


def test_a_clear_print_scores_well_and_needs_no_advice(clear_print: NDArray[np.uint8]) -> None:
    quality = process_capture(clear_print).quality
    assert quality.score >= 70
    assert quality.reasons == ()
    assert quality.acceptable


def test_a_blank_scanner_scores_zero_and_asks_for_a_finger() -> None:
    quality = process_capture(np.full((400, 300), 235, np.uint8)).quality
    assert quality.score == 0
    assert [reason.issue for reason in quality.reasons] == [QualityIssue.NO_FINGER]
    assert "finger" in quality.reasons[0].english
    assert "إصبع" in quality.reasons[0].arabic


def test_noise_scores_below_a_print(clear_print: NDArray[np.uint8]) -> None:
    rng = np.random.default_rng(SEED)
    noise = rng.integers(0, 256, clear_print.shape).astype(np.uint8)
    assert process_capture(noise).quality.score < RECOMMENDED_MIN_QUALITY
    assert process_capture(noise).quality.score < process_capture(clear_print).quality.score


def test_quality_falls_as_the_print_degrades(clear_print: NDArray[np.uint8]) -> None:
    rng = np.random.default_rng(SEED)
    image = clear_print.astype(np.float64)
    # Faint and noisy: contrast cut to a fifth, then sensor noise.
    faint = np.clip(200 + (image - 200) * 0.2 + rng.normal(0, 12, image.shape), 0, 255)
    # Smudged: blurred across the ridges until they merge.
    smudged = cv2.GaussianBlur(clear_print, (0, 0), 4.0)
    clear = process_capture(clear_print).quality.score
    faint_score = process_capture(faint.astype(np.uint8)).quality.score
    smudged_score = process_capture(smudged).quality.score
    assert clear > faint_score
    assert clear > smudged_score
    assert smudged_score < RECOMMENDED_MIN_QUALITY


def test_a_small_contact_asks_to_press_harder(clear_print: NDArray[np.uint8]) -> None:
    small = np.full_like(clear_print, 250)
    height, width = clear_print.shape
    patch = clear_print[height // 2 - 45 : height // 2 + 45, width // 2 - 40 : width // 2 + 40]
    small[height // 2 - 45 : height // 2 + 45, width // 2 - 40 : width // 2 + 40] = patch
    quality = process_capture(small).quality
    assert QualityIssue.PRESS_HARDER in {reason.issue for reason in quality.reasons}
    assert quality.score < process_capture(clear_print).quality.score


def test_a_print_off_the_edge_asks_to_centre_the_finger(clear_print: NDArray[np.uint8]) -> None:
    height, width = clear_print.shape
    shifted = np.full((height, width), 250, np.uint8)
    # Slide the print down and right so it runs off two edges of the capture area.
    shifted[height // 3 :, width // 3 :] = clear_print[: height - height // 3, : width - width // 3]
    assert QualityIssue.CENTRE_FINGER in _issues(shifted)


def test_every_reason_has_english_and_arabic_advice(clear_print: NDArray[np.uint8]) -> None:
    blurred = cv2.GaussianBlur(clear_print, (0, 0), 4.0)
    reasons = process_capture(blurred).quality.reasons
    assert reasons
    for reason in reasons:
        assert reason.english.endswith(".")
        assert any("\u0600" <= char <= "\u06ff" for char in reason.arabic)


def test_the_capture_template_carries_quality_and_finger(clear_print: NDArray[np.uint8]) -> None:
    capture = process_capture(clear_print)
    record: FingerMinutiaeRecord = decode_template(capture.template(finger_position=2))
    view = record.views[0]
    assert view.finger_position == 2
    assert view.quality == capture.quality.score
    assert len(view.minutiae) == len(capture.minutiae)
    assert (record.image_width, record.image_height) == (clear_print.shape[1], clear_print.shape[0])
