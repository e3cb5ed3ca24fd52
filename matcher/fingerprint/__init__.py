"""Fingerprint algorithms: quality, minutiae extraction, ISO/IEC 19794-2 templates and 1:1
matching. Pure: grey-scale numpy images and bytes in, results out. See docs/fingerprint.md.
"""

from matcher.fingerprint.capture import FingerprintCapture, process_capture
from matcher.fingerprint.cylinders import CylinderSet, build_cylinders
from matcher.fingerprint.error_rates import ErrorRates, error_rates, threshold_for_fmr
from matcher.fingerprint.extraction import RidgeAnalysis, analyse_ridges, extract_minutiae
from matcher.fingerprint.iso_template import (
    ExtendedDataArea,
    FingerMinutiaeRecord,
    FingerView,
    IsoMinutia,
    MinutiaType,
    TemplateFormatError,
    TemplateLengthError,
    TruncatedTemplateError,
    decode_template,
    encode_template,
)
from matcher.fingerprint.matching import (
    DECISION_THRESHOLD,
    Alignment,
    MatchResult,
    compare_cylinders,
    compare_minutiae,
    compare_templates,
)
from matcher.fingerprint.minutiae import Minutiae
from matcher.fingerprint.quality import (
    RECOMMENDED_MIN_QUALITY,
    QualityAssessment,
    QualityFeatures,
    QualityIssue,
    QualityReason,
    assess_quality,
)

__all__ = [
    "DECISION_THRESHOLD",
    "RECOMMENDED_MIN_QUALITY",
    "Alignment",
    "CylinderSet",
    "ErrorRates",
    "ExtendedDataArea",
    "FingerMinutiaeRecord",
    "FingerView",
    "FingerprintCapture",
    "IsoMinutia",
    "MatchResult",
    "MinutiaType",
    "Minutiae",
    "QualityAssessment",
    "QualityFeatures",
    "QualityIssue",
    "QualityReason",
    "RidgeAnalysis",
    "TemplateFormatError",
    "TemplateLengthError",
    "TruncatedTemplateError",
    "analyse_ridges",
    "assess_quality",
    "build_cylinders",
    "compare_cylinders",
    "compare_minutiae",
    "compare_templates",
    "decode_template",
    "encode_template",
    "error_rates",
    "extract_minutiae",
    "process_capture",
    "threshold_for_fmr",
]
