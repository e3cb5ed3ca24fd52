"""Fingerprint image quality 0-100 with reasons a person can act on.

Not NFIQ 2 (whose trained model and feature set are not reproduced here): a transparent score
from measured features, checked against the matcher's outcomes on the FVC sets in
docs/fingerprint.md. Low scores come with advice in English and Arabic.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import cv2
import numpy as np
from numpy.typing import NDArray

from matcher.fingerprint.extraction import RidgeAnalysis
from matcher.fingerprint.segmentation import BLOCK

# A capture below this is worth retaking: on the FVC sets, genuine comparisons involving an
# impression under 40 failed four times in five at the decision threshold, against one in ten
# when both impressions scored 80 or more (docs/fingerprint.md).
RECOMMENDED_MIN_QUALITY = 40

_MM_PER_INCH = 25.4
# Component scales: the value that earns full marks (or, for variation, loses them).
_FULL_CLEAR_AREA_MM2 = 150.0  # a quarter of FVC impressions have less clear area than this
_CLARITY_RANGE = (0.45, 0.80)
_COHERENCE_RANGE = (0.30, 0.70)
_PERIOD_VARIATION_RANGE = (0.06, 0.18)
_FULL_CONTRAST = 15.0  # grey levels of band-pass ridge contrast
_FULL_MINUTIAE = 20
_WEIGHTS = {
    "clear_area": 0.35,
    "clarity": 0.25,
    "coherence": 0.10,
    "frequency": 0.10,
    "contrast": 0.10,
    "minutiae": 0.10,
}
# Clarity: local correlation of the image with its Gabor-enhanced version. A block above this
# holds ridges the filters could follow.
_CLEAR_BLOCK = 0.7


class QualityIssue(StrEnum):
    """What went wrong with a capture, most serious first."""

    NO_FINGER = "no_finger"
    CENTRE_FINGER = "centre_finger"
    PRESS_HARDER = "press_harder"
    TOO_WET = "too_wet"
    TOO_DRY = "too_dry"
    SMUDGED = "smudged"
    FEW_MINUTIAE = "few_minutiae"


_ADVICE: dict[QualityIssue, tuple[str, str]] = {
    QualityIssue.NO_FINGER: (
        "No finger was found on the scanner. Place your finger flat on the glass.",
        "لم يُعثر على إصبع على الماسح. ضع إصبعك مسطحاً على الزجاج.",
    ),
    QualityIssue.CENTRE_FINGER: (
        "Part of the finger is outside the scanner. Centre the finger on the glass.",
        "جزء من الإصبع خارج الماسح. ضع الإصبع في منتصف الزجاج.",
    ),
    QualityIssue.PRESS_HARDER: (
        "Too little of the finger touches the scanner. Press the finger flat and a little harder.",
        "جزء صغير فقط من الإصبع يلامس الماسح. اضغط بالإصبع مسطحاً وبقوة أكبر قليلاً.",
    ),
    QualityIssue.TOO_WET: (
        "The finger is too wet or pressed too hard: the ridges run together. Wipe the finger "
        "dry and press lightly.",
        "الإصبع رطب جداً أو مضغوط بقوة زائدة فتداخلت الخطوط. جفّف الإصبع واضغط برفق.",
    ),
    QualityIssue.TOO_DRY: (
        "The finger is too dry: the ridges are faint and broken. Breathe on the fingertip or "
        "rub it lightly, then try again.",
        "الإصبع جاف جداً فظهرت الخطوط باهتة ومتقطعة. "
        "انفخ على طرف الإصبع أو افركه برفق ثم أعد المحاولة.",
    ),
    QualityIssue.SMUDGED: (
        "The print is smudged. Hold the finger still, and ask the operator to clean the glass.",
        "البصمة غير واضحة. ثبّت الإصبع دون حركة، واطلب من الموظف تنظيف الزجاج.",
    ),
    QualityIssue.FEW_MINUTIAE: (
        "Too few ridge details were found. Try again, or use another finger.",
        "عُثر على تفاصيل قليلة جداً في البصمة. أعد المحاولة أو استخدم إصبعاً آخر.",
    ),
}


@dataclass(frozen=True)
class QualityReason:
    """One problem with a capture and what the person should do, in English and Arabic."""

    issue: QualityIssue
    english: str
    arabic: str


@dataclass(frozen=True)
class QualityFeatures:
    """The measurements the score is made of."""

    area_mm2: float  # foreground (finger contact) area
    clear_area_mm2: float  # foreground whose ridges the enhancement could follow
    clarity: float  # mean local correlation of image and enhanced image, 0-1
    coherence: float  # mean orientation coherence over the foreground, 0-1
    period_variation: float  # median absolute deviation of the ridge period / its median
    contrast: float  # median band-pass ridge contrast, grey levels
    ridge_share: float  # share of the foreground darker than mid-grey: ~0.5 when healthy
    centre_offset: tuple[float, float]  # foreground centroid minus image centre, in image sizes
    cut_edges: tuple[str, ...]  # image edges ("top", ...) the print runs along for a third or more
    minutiae: int


@dataclass(frozen=True)
class QualityAssessment:
    """Score 0-100 (higher is better), the reasons for a low one, and the measurements."""

    score: int
    reasons: tuple[QualityReason, ...]
    features: QualityFeatures

    @property
    def acceptable(self) -> bool:
        return self.score >= RECOMMENDED_MIN_QUALITY and not self.reasons


def assess_quality(
    analysis: RidgeAnalysis, image: NDArray[np.uint8], resolution_dpi: int
) -> QualityAssessment:
    """Quality of the image `analysis` was computed from."""
    features = measure_features(analysis, image, resolution_dpi)
    return QualityAssessment(score=_score(features), reasons=_reasons(features), features=features)


def measure_features(
    analysis: RidgeAnalysis, image: NDArray[np.uint8], resolution_dpi: int
) -> QualityFeatures:
    """Measure what the score and the advice are built from."""
    foreground = analysis.foreground
    mask = foreground.block_mask
    mm_per_pixel = _MM_PER_INCH / max(resolution_dpi, 1)
    block_mm2 = (BLOCK * mm_per_pixel) ** 2
    blocks = int(mask.sum())
    if blocks == 0:
        return QualityFeatures(0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, (0.0, 0.0), (), 0)
    clarity_map = _clarity_map(foreground.ridges, analysis.enhanced, (mask.shape[0], mask.shape[1]))
    periods = analysis.period.block_period[mask]
    median_period = float(np.median(periods))
    ox, oy = foreground.origin
    crop_height, crop_width = foreground.pixel_mask.shape
    crop = image[oy : oy + crop_height, ox : ox + crop_width]
    inside = crop[foreground.pixel_mask[: crop.shape[0], : crop.shape[1]]].astype(np.float64)
    low, high = np.percentile(inside, [10, 90])
    height, width = image.shape
    rows, cols = np.nonzero(mask)
    centre_y = (oy + (rows.mean() + 0.5) * BLOCK) / height - 0.5
    centre_x = (ox + (cols.mean() + 0.5) * BLOCK) / width - 0.5
    return QualityFeatures(
        area_mm2=blocks * block_mm2,
        clear_area_mm2=float((clarity_map[mask] > _CLEAR_BLOCK).sum()) * block_mm2,
        clarity=float(clarity_map[mask].mean()),
        coherence=float(analysis.orientation.coherence[mask].mean()),
        period_variation=float(np.median(np.abs(periods - median_period)) / median_period),
        contrast=float(np.median(foreground.block_contrast[mask])),
        ridge_share=float(np.mean(inside < (low + high) / 2)),
        centre_offset=(float(centre_x), float(centre_y)),
        cut_edges=_cut_edges(foreground.block_mask, foreground.origin, (height, width)),
        minutiae=len(analysis.minutiae),
    )


def _clarity_map(
    ridges: NDArray[np.float32], enhanced: NDArray[np.float32], shape: tuple[int, int]
) -> NDArray[np.float32]:
    """Per block, the correlation between the normalised image and its enhanced version."""
    rows, cols = shape

    def block_mean(values: NDArray[np.float32]) -> NDArray[np.float32]:
        small = cv2.resize(values, (cols, rows), interpolation=cv2.INTER_AREA)
        return np.asarray(cv2.GaussianBlur(small, (0, 0), 1.0), dtype=np.float32)

    product = block_mean(ridges * enhanced)
    energy = block_mean(ridges * ridges) * block_mean(enhanced * enhanced)
    clarity: NDArray[np.float32] = product / np.sqrt(energy + 1e-6)
    return clarity


def _cut_edges(
    block_mask: NDArray[np.bool_], origin: tuple[int, int], image_shape: tuple[int, int]
) -> tuple[str, ...]:
    """The image edges the print runs along for a third of their length or more: the finger
    continues beyond the capture area there."""
    height, width = image_shape
    ox, oy = origin
    rows, cols = block_mask.shape
    block_rows = -(-height // BLOCK)
    block_cols = -(-width // BLOCK)
    full = np.zeros((block_rows, block_cols), bool)
    r0, c0 = oy // BLOCK, ox // BLOCK
    full[r0 : r0 + rows, c0 : c0 + cols] = block_mask[: block_rows - r0, : block_cols - c0]
    edges = {"top": full[0, :], "bottom": full[-1, :], "left": full[:, 0], "right": full[:, -1]}
    return tuple(name for name, edge in edges.items() if edge.mean() >= 1 / 3)


def _score(features: QualityFeatures) -> int:
    if features.area_mm2 == 0:
        return 0
    components = {
        "clear_area": features.clear_area_mm2 / _FULL_CLEAR_AREA_MM2,
        "clarity": _ramp(features.clarity, *_CLARITY_RANGE),
        "coherence": _ramp(features.coherence, *_COHERENCE_RANGE),
        "frequency": 1.0 - _ramp(features.period_variation, *_PERIOD_VARIATION_RANGE),
        "contrast": features.contrast / _FULL_CONTRAST,
        "minutiae": features.minutiae / _FULL_MINUTIAE,
    }
    # A weighted geometric mean: one failing component pulls the score down whatever the rest.
    log_score = sum(
        weight * np.log(np.clip(components[name], 0.01, 1.0)) for name, weight in _WEIGHTS.items()
    )
    return round(100 * float(np.exp(log_score)))


def _off_centre(features: QualityFeatures) -> bool:
    """The print is cut by an edge it has drifted towards, or sits far from the centre. A
    finger longer than the glass runs off top and bottom alike and stays centred: that is fine."""
    offset_x, offset_y = features.centre_offset
    towards = {"top": -offset_y, "bottom": offset_y, "left": -offset_x, "right": offset_x}
    drifted = any(towards[edge] > 0.12 for edge in features.cut_edges)
    return drifted or max(abs(offset_x), abs(offset_y)) > 0.25


def _ramp(value: float, low: float, high: float) -> float:
    return float(np.clip((value - low) / (high - low), 0.0, 1.0))


def _reasons(features: QualityFeatures) -> tuple[QualityReason, ...]:
    issues: list[QualityIssue] = []
    if features.area_mm2 < 20:
        issues.append(QualityIssue.NO_FINGER)
    else:
        if _off_centre(features):
            issues.append(QualityIssue.CENTRE_FINGER)
        if features.area_mm2 < 90:
            issues.append(QualityIssue.PRESS_HARDER)
        unclear = features.clarity < 0.65 or features.clear_area_mm2 < 60
        if unclear and features.ridge_share > 0.6:
            issues.append(QualityIssue.TOO_WET)
        elif unclear and features.ridge_share < 0.3:
            issues.append(QualityIssue.TOO_DRY)
        elif unclear:
            issues.append(QualityIssue.SMUDGED)
        if features.minutiae < 12 and not issues:
            issues.append(QualityIssue.FEW_MINUTIAE)
    return tuple(QualityReason(issue, *_ADVICE[issue]) for issue in issues)
