"""Synthetic fingerprints (SFinGe-style): a master ridge pattern per finger from its seed, and
impressions of it under named conditions, each with its true minutiae.
See docs/synthetic-fingerprints.md.
"""

from simulator.fingerprint.conditions import (
    DEFAULT_DIFFICULTY,
    ImpressionConditions,
    draw_conditions,
)
from simulator.fingerprint.impression import SyntheticImpression, render_impression
from simulator.fingerprint.master import (
    MASTER_HEIGHT,
    MASTER_WIDTH,
    MasterFingerprint,
    render_master,
)
from simulator.fingerprint.master_cache import DEFAULT_CACHE_SIZE, MasterCache, MissingFingerError
from simulator.fingerprint.pattern_class import PatternClass, class_frequencies, draw_pattern_class
from simulator.fingerprint.sensor import FVC2002_DB1, FVC2002_DB2, ImageFormat

__all__ = [
    "DEFAULT_CACHE_SIZE",
    "DEFAULT_DIFFICULTY",
    "FVC2002_DB1",
    "FVC2002_DB2",
    "MASTER_HEIGHT",
    "MASTER_WIDTH",
    "ImageFormat",
    "ImpressionConditions",
    "MasterCache",
    "MasterFingerprint",
    "MissingFingerError",
    "PatternClass",
    "SyntheticImpression",
    "class_frequencies",
    "draw_conditions",
    "draw_pattern_class",
    "render_impression",
    "render_master",
]
