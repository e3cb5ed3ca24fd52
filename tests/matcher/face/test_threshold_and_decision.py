"""The committed threshold file, how a broken one is reported, and the match decision."""

from __future__ import annotations

import json
from dataclasses import asdict, replace
from pathlib import Path

import numpy as np
import pytest

from matcher.face.comparison import compare_faces
from matcher.face.embedding import MODEL_NAME, FaceEmbedder, FaceEmbedding
from matcher.face.errors import IncompatibleEmbeddingsError, ThresholdFileError
from matcher.face.threshold import (
    THRESHOLD_FILE,
    FaceThreshold,
    production_threshold,
    read_threshold,
)

CALIBRATION = FaceThreshold(
    threshold=0.5,
    model=MODEL_NAME,
    alignment="mediapipe-dlib-matched+flip",
    fmr_target=1e-3,
    fmr=9.9e-4,
    fnmr=0.05,
    genuine_pairs=10_000,
    impostor_pairs=7_000_000,
    dataset="test",
    calibrated_on="2025-01-01",
    command="test",
)


def _embedding(*values: float, alignment: str = CALIBRATION.alignment) -> FaceEmbedding:
    vector = np.zeros(128, np.float32)
    vector[: len(values)] = values
    return FaceEmbedding(vector=vector, model=MODEL_NAME, alignment=alignment)


def test_the_committed_threshold_rests_on_millions_of_lfw_pairs() -> None:
    threshold = production_threshold()
    assert threshold.model == MODEL_NAME
    assert threshold.fmr_target == 1e-3
    assert threshold.fmr <= threshold.fmr_target
    assert threshold.impostor_pairs > 5_000_000
    assert threshold.genuine_pairs > 1_000
    assert 0.3 < threshold.threshold < 0.7  # dlib's own rule of thumb is 0.6
    assert 0 < threshold.fnmr < 0.2


def test_the_committed_threshold_is_for_the_production_embedder() -> None:
    assert production_threshold().alignment == FaceEmbedder().alignment


def test_a_missing_threshold_file_says_so_in_both_languages(tmp_path: Path) -> None:
    with pytest.raises(ThresholdFileError) as raised:
        read_threshold(tmp_path / "threshold.json")
    assert "missing" in raised.value.message.en
    assert "مطابقة الوجه" in raised.value.message.ar


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("{not json", "unreadable"),
        ("[1, 2]", "not a JSON object"),
        (json.dumps({"threshold": 0.5}), "missing alignment"),
        (json.dumps({**asdict(CALIBRATION), "threshold": "high"}), "bad value"),
        (json.dumps({**asdict(CALIBRATION), "threshold": -1}), "out of range"),
    ],
)
def test_a_broken_threshold_file_names_what_is_wrong(
    tmp_path: Path, content: str, reason: str
) -> None:
    path = tmp_path / "threshold.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ThresholdFileError, match=reason):
        read_threshold(path)


def test_a_written_threshold_reads_back_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "threshold.json"
    path.write_text(CALIBRATION.to_json(), encoding="utf-8")
    assert read_threshold(path) == CALIBRATION
    assert read_threshold(THRESHOLD_FILE) == production_threshold()


def test_a_distance_below_the_threshold_is_a_match_and_at_it_is_not() -> None:
    below = compare_faces(_embedding(0.0), _embedding(0.4999), CALIBRATION)
    at = compare_faces(_embedding(0.0), _embedding(0.5), CALIBRATION)
    assert below.is_match
    assert below.decision == "match"
    assert not at.is_match
    assert at.decision == "no match"
    assert at.distance == pytest.approx(0.5)


def test_every_result_carries_the_threshold_and_model_it_was_decided_with() -> None:
    result = compare_faces(_embedding(0.3, 0.4), _embedding(0.0), CALIBRATION)
    assert result.distance == pytest.approx(0.5)
    assert (result.threshold, result.model, result.alignment) == (
        0.5,
        MODEL_NAME,
        CALIBRATION.alignment,
    )
    assert (result.fmr_target, result.fnmr_at_threshold) == (1e-3, 0.05)


def test_the_committed_threshold_is_used_when_none_is_given() -> None:
    production = production_threshold()
    probe = _embedding(0.0, alignment=production.alignment)
    result = compare_faces(probe, probe)
    assert result.is_match
    assert result.threshold == production.threshold


def test_templates_of_another_alignment_are_refused() -> None:
    with pytest.raises(IncompatibleEmbeddingsError) as raised:
        compare_faces(_embedding(0.0), _embedding(0.0, alignment="dlib-5-point"), CALIBRATION)
    assert "Capture both faces again" in raised.value.message.en
    other_model = replace(CALIBRATION, model="another-model")
    with pytest.raises(IncompatibleEmbeddingsError):
        compare_faces(_embedding(0.0), _embedding(0.0), other_model)
