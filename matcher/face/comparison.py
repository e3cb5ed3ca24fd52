"""1:1 comparison of two face embeddings: the distance, the decision, and the calibrated
threshold and model it was made with, so the figures travel with every result."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from matcher.face.embedding import FaceEmbedding
from matcher.face.errors import IncompatibleEmbeddingsError
from matcher.face.messages import BilingualMessage
from matcher.face.threshold import FaceThreshold, production_threshold


@dataclass(frozen=True)
class FaceComparison:
    distance: float
    is_match: bool
    threshold: float
    model: str
    alignment: str
    fmr_target: float  # the false-match rate the threshold was calibrated for
    fnmr_at_threshold: float  # the false non-match rate measured there

    @property
    def decision(self) -> str:
        return "match" if self.is_match else "no match"


def compare_faces(
    probe: FaceEmbedding, reference: FaceEmbedding, threshold: FaceThreshold | None = None
) -> FaceComparison:
    """Match when the Euclidean distance is below the threshold (the committed calibration
    unless one is given); embeddings must come from the model and alignment it was made for."""
    calibration = production_threshold() if threshold is None else threshold
    for embedding in (probe, reference):
        if (embedding.model, embedding.alignment) != (calibration.model, calibration.alignment):
            raise IncompatibleEmbeddingsError(
                BilingualMessage(
                    en=f"A face template made by {embedding.model} ({embedding.alignment}) cannot "
                    f"be compared at a threshold calibrated for {calibration.model} "
                    f"({calibration.alignment}). Capture both faces again on this station.",
                    ar=f"لا يمكن مقارنة قالب وجه أنشأه {embedding.model} ({embedding.alignment}) "
                    f"بعتبة معايرة لـ {calibration.model} ({calibration.alignment}). "
                    "التقط صورتي الوجه مرة أخرى على هذه المحطة.",
                )
            )
    distance = float(np.linalg.norm(probe.vector.astype(np.float64) - reference.vector))
    return FaceComparison(
        distance=distance,
        is_match=distance < calibration.threshold,
        threshold=calibration.threshold,
        model=calibration.model,
        alignment=calibration.alignment,
        fmr_target=calibration.fmr_target,
        fnmr_at_threshold=calibration.fnmr,
    )
