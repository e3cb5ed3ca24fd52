"""Fingerprint benchmark on the FVC sample sets: error rates by the FVC protocol for images
(our extractor + matcher) and for the SDK's ISO templates (matcher only), speed on one core,
and how the quality score orders impressions against matcher outcomes.

    python -m benchmarks.bench_fingerprint [FVC_DIR] [--json OUT]

FVC_DIR holds sets laid out like <year>/<set>/<finger>_<impression>.png with .iso beside them
(default ../shared/data/fvc beside the repository), or is one set.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import cv2
import numpy as np
from numpy.typing import NDArray

from benchmarks.table import format_table
from matcher.fingerprint import (
    DECISION_THRESHOLD,
    RECOMMENDED_MIN_QUALITY,
    CylinderSet,
    Minutiae,
    analyse_ridges,
    assess_quality,
    build_cylinders,
    compare_cylinders,
    decode_template,
    error_rates,
)
from matcher.fingerprint.fvc_protocol import (
    Impression,
    Pair,
    all_impostor_pairs,
    genuine_pairs,
    impostor_pairs,
)

BENCHMARK = "fingerprint"
REPO = Path(__file__).resolve().parents[1]
DEFAULT_FVC_DIR = REPO.parent / "shared" / "data" / "fvc"
# NIST NBIS (mindtct + bozorth3) measured on this machine with the same protocol, EER in %.
NBIS_EER = {
    "fvc2002/DB1_B": 4.90,
    "fvc2002/DB2_B": 2.72,
    "fvc2004/DB1_B": 9.80,
    "fvc2004/DB2_B": 17.78,
}
# Sensor resolutions published with the FVC databases; every other set is 500 dpi.
RESOLUTION_DPI = {"fvc2002/DB2_B": 569}
QUALITY_BANDS = ((0, 40), (40, 60), (60, 80), (80, 101))

Row = dict[str, Any]


@dataclass
class SetScores:
    """Comparison scores of one set under the FVC protocol."""

    genuine: list[float] = field(default_factory=list)
    impostor: list[float] = field(default_factory=list)
    all_impostor: list[float] = field(default_factory=list)
    compare_seconds: list[float] = field(default_factory=list)
    build_seconds: list[float] = field(default_factory=list)


@dataclass
class ImageRun:
    """Per-impression results of running the extractor over one set."""

    minutiae: dict[Impression, Minutiae]
    quality: dict[Impression, int]
    extract_seconds: list[float]
    baseline_seconds: list[float]


def find_sets(fvc_dir: Path) -> list[Path]:
    """Every directory under fvc_dir (or fvc_dir itself) holding FVC-named impressions."""
    candidates = [fvc_dir, *sorted(path for path in fvc_dir.rglob("*") if path.is_dir())]
    return [path for path in candidates if any(path.glob("*_1.png")) or any(path.glob("*_1.iso"))]


def set_layout(set_dir: Path, suffix: str) -> tuple[list[int], int]:
    """Finger numbers and impressions per finger, from names like 101_3.png."""
    names = [path.stem.split("_") for path in set_dir.glob(f"*{suffix}")]
    fingers = sorted({int(name[0]) for name in names if len(name) == 2 and name[0].isdigit()})
    impressions = max((int(name[1]) for name in names if len(name) == 2), default=0)
    return fingers, impressions


def run_extractor(set_dir: Path) -> ImageRun:
    """Extract every impression, timing the extractor against a blur-and-threshold baseline."""
    fingers, impressions = set_layout(set_dir, ".png")
    # Keyed by <year>/<set> whatever directory the run started from.
    dpi = RESOLUTION_DPI.get(f"{set_dir.parent.name}/{set_dir.name}", 500)
    run = ImageRun({}, {}, [], [])
    for finger_index, finger in enumerate(fingers):
        for impression in range(impressions):
            image = _read(set_dir / f"{finger}_{impression + 1}.png")
            start = time.perf_counter()
            analysis = analyse_ridges(image, dpi)
            run.extract_seconds.append(time.perf_counter() - start)
            start = time.perf_counter()
            blurred = cv2.GaussianBlur(image, (5, 5), 0)
            cv2.threshold(blurred, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
            run.baseline_seconds.append(time.perf_counter() - start)
            key = (finger_index, impression)
            run.minutiae[key] = analysis.minutiae
            run.quality[key] = assess_quality(analysis, image, dpi).score
    return run


def read_templates(set_dir: Path, restore_frame: bool) -> dict[Impression, Minutiae]:
    """The SDK's templates. With restore_frame, undo the SDK's stretch of every image to its
    declared 300x400 frame, using the real image size (docs/fingerprint.md)."""
    fingers, impressions = set_layout(set_dir, ".iso")
    templates = {}
    for finger_index, finger in enumerate(fingers):
        for impression in range(impressions):
            path = set_dir / f"{finger}_{impression + 1}.iso"
            minutiae = Minutiae.from_record(decode_template(path.read_bytes()))
            image_path = path.with_suffix(".png")
            if restore_frame and image_path.exists():
                height, width = _read(image_path).shape
                minutiae = _stretch(minutiae, width, height)
            templates[(finger_index, impression)] = minutiae
    return templates


def score_set(minutiae: dict[Impression, Minutiae], with_all_impostors: bool = True) -> SetScores:
    """Scores for the FVC genuine and impostor pairs (and every cross-finger pair)."""
    fingers, impressions = _shape(minutiae)
    scores = SetScores()
    cylinders: dict[Impression, CylinderSet] = {}
    for key, value in minutiae.items():
        start = time.perf_counter()
        cylinders[key] = build_cylinders(value)
        scores.build_seconds.append(time.perf_counter() - start)

    def compare(pairs: Sequence[Pair]) -> list[float]:
        out = []
        for first, second in pairs:
            start = time.perf_counter()
            out.append(compare_cylinders(cylinders[first], cylinders[second]).score)
            scores.compare_seconds.append(time.perf_counter() - start)
        return out

    scores.genuine = compare(genuine_pairs(fingers, impressions))
    scores.impostor = compare(impostor_pairs(fingers))
    if with_all_impostors:
        scores.all_impostor = compare(all_impostor_pairs(fingers, impressions))
    return scores


def error_rate_rows(label: str, mode: str, scores: SetScores) -> list[Row]:
    """EER, FMR100, FMR1000 and ZeroFMR of one set, with the comparisons they rest on."""
    rates = error_rates(scores.genuine, scores.impostor)
    counts = f"{rates.genuine} genuine / {rates.impostor} impostor comparisons"
    rows = [
        _row(f"{label} {mode} EER", 100 * rates.eer, "%", note=counts + _nbis_note(label, mode)),
        _row(f"{label} {mode} FMR100", 100 * rates.fmr100, "%", note=counts),
        _row(f"{label} {mode} FMR1000", 100 * rates.fmr1000, "%", note=counts),
        _row(f"{label} {mode} ZeroFMR", 100 * rates.zero_fmr, "%", note=counts),
    ]
    if scores.all_impostor:
        wide = error_rates(scores.genuine, scores.all_impostor)
        rows.append(
            _row(
                f"{label} {mode} EER, all cross-finger impostors",
                100 * wide.eer,
                "%",
                note=f"{wide.genuine} genuine / {wide.impostor} impostor comparisons",
            )
        )
        fmr = float(np.mean(np.asarray(scores.all_impostor) >= DECISION_THRESHOLD))
        fnmr = float(np.mean(np.asarray(scores.genuine) < DECISION_THRESHOLD))
        rows.append(
            _row(
                f"{label} {mode} FMR at the decision threshold",
                100 * fmr,
                "%",
                note=f"threshold {DECISION_THRESHOLD}; FNMR {100 * fnmr:.2f}%",
            )
        )
    return rows


def run(fvc_dir: Path | None = None) -> list[Row]:
    """All figures for the sets under fvc_dir (default ../shared/data/fvc)."""
    cv2.setNumThreads(1)  # speed figures are per core
    fvc_dir = fvc_dir or DEFAULT_FVC_DIR
    if not fvc_dir.is_dir():
        print(f"skipping the fingerprint benchmark: no FVC data at {fvc_dir}", file=sys.stderr)
        return []
    rows: list[Row] = []
    speed = SetScores()
    extract_seconds: list[float] = []
    baseline_seconds: list[float] = []
    lower_quality: list[int] = []
    genuine_scores: list[float] = []
    cross_finger_scores: list[float] = []
    impression_quality: list[int] = []
    for set_dir in find_sets(fvc_dir):
        label = _label(fvc_dir, set_dir)
        if any(set_dir.glob("*.png")):
            print(f"  {label}: extracting and matching", file=sys.stderr, flush=True)
            images = run_extractor(set_dir)
            extract_seconds += images.extract_seconds
            baseline_seconds += images.baseline_seconds
            scores = score_set(images.minutiae)
            speed.compare_seconds += scores.compare_seconds
            speed.build_seconds += scores.build_seconds
            rows += error_rate_rows(label, "images", scores)
            fingers, impressions = _shape(images.minutiae)
            pairs = genuine_pairs(fingers, impressions)
            lower_quality += [min(images.quality[a], images.quality[b]) for a, b in pairs]
            genuine_scores += scores.genuine
            cross_finger_scores += scores.all_impostor
            impression_quality += list(images.quality.values())
        if any(set_dir.glob("*.iso")):
            print(f"  {label}: matching the ISO templates", file=sys.stderr, flush=True)
            rows += error_rate_rows(label, "templates", score_set(read_templates(set_dir, False)))
            restored = score_set(read_templates(set_dir, True), with_all_impostors=False)
            rows += error_rate_rows(label, "templates (SDK stretch undone)", restored)[:1]
    if extract_seconds:
        rows += _decision_rows(genuine_scores, cross_finger_scores)
        rows += _speed_rows(extract_seconds, baseline_seconds, speed)
        rows += _quality_rows(lower_quality, genuine_scores, impression_quality)
    return rows


def _decision_rows(genuine: list[float], cross_finger: list[float]) -> list[Row]:
    """FMR and FNMR at the decision threshold over every set's images together: the operating
    point DECISION_THRESHOLD was calibrated for."""
    impostor = np.asarray(cross_finger)
    rejected = np.asarray(genuine) < DECISION_THRESHOLD
    note = f"all sets, images; threshold {DECISION_THRESHOLD}"
    return [
        _row(
            "FMR at the decision threshold, pooled",
            100 * float(np.mean(impostor >= DECISION_THRESHOLD)),
            "%",
            note=f"{note}; {len(impostor)} cross-finger impostor comparisons",
        ),
        _row(
            "FNMR at the decision threshold, pooled",
            100 * float(rejected.mean()),
            "%",
            note=f"{note}; {len(rejected)} genuine comparisons",
        ),
    ]


def fvc_report(fvc_dir: Path, templates: bool = False) -> dict[str, Any]:
    """The JSON `hawiya bench fingerprint --fvc DIR [--templates]` writes: for each set (path
    relative to DIR) eer, fmr100, fmr1000, zerofmr as fractions (0.049 = 4.9%) and the genuine
    and impostor counts, plus extract_ms_median (images only) and matches_per_second."""
    cv2.setNumThreads(1)
    report: dict[str, Any] = {}
    extract_seconds: list[float] = []
    compare_seconds: list[float] = []
    for set_dir in find_sets(fvc_dir):
        if templates:
            minutiae = read_templates(set_dir, restore_frame=False)
        else:
            images = run_extractor(set_dir)
            minutiae = images.minutiae
            extract_seconds += images.extract_seconds
        scores = score_set(minutiae, with_all_impostors=False)
        compare_seconds += scores.compare_seconds
        rates = error_rates(scores.genuine, scores.impostor)
        report[_label(fvc_dir, set_dir)] = {
            "eer": rates.eer,
            "fmr100": rates.fmr100,
            "fmr1000": rates.fmr1000,
            "zerofmr": rates.zero_fmr,
            "genuine": rates.genuine,
            "impostor": rates.impostor,
        }
    if extract_seconds:
        report["extract_ms_median"] = 1000 * statistics.median(extract_seconds)
    if compare_seconds:
        report["matches_per_second"] = 1.0 / statistics.median(compare_seconds)
    return report


def _speed_rows(
    extract_seconds: list[float], baseline_seconds: list[float], speed: SetScores
) -> list[Row]:
    extract_ms = 1000 * np.asarray(extract_seconds)
    compare_ms = 1000 * np.asarray(speed.compare_seconds)
    return [
        _row(
            "extraction per image, median",
            float(np.median(extract_ms)),
            "ms",
            baseline=1000 * float(np.median(baseline_seconds)),
            note="baseline: cv2 GaussianBlur + Otsu threshold of the same image; one core",
        ),
        _row("extraction per image, p95", float(np.percentile(extract_ms, 95)), "ms"),
        _row(
            "template preparation (cylinders), median",
            1000 * float(np.median(speed.build_seconds)),
            "ms",
        ),
        _row("comparison, median", float(np.median(compare_ms)), "ms", note="prepared templates"),
        _row("comparisons per second", float(1000 / np.median(compare_ms)), "1/s"),
    ]


def _quality_rows(
    lower_quality: list[int], genuine_scores: list[float], impression_quality: list[int]
) -> list[Row]:
    """FNMR at the decision threshold for genuine pairs grouped by their lower quality score:
    if the score means anything, low bands fail more."""
    lower = np.asarray(lower_quality)
    rejected = np.asarray(genuine_scores) < DECISION_THRESHOLD
    rows = []
    for low, high in QUALITY_BANDS:
        band = (lower >= low) & (lower < high)
        if band.any():
            rows.append(
                _row(
                    f"FNMR, genuine pairs whose lower quality is {low}-{min(high, 101) - 1}",
                    100 * float(rejected[band].mean()),
                    "%",
                    note=f"{int(band.sum())} pairs over all sets, threshold {DECISION_THRESHOLD}",
                )
            )
    below = float(np.mean(np.asarray(impression_quality) < RECOMMENDED_MIN_QUALITY))
    rows.append(_row(f"impressions with quality below {RECOMMENDED_MIN_QUALITY}", 100 * below, "%"))
    return rows


def _shape(minutiae: dict[Impression, Minutiae]) -> tuple[int, int]:
    return 1 + max(finger for finger, _ in minutiae), 1 + max(shot for _, shot in minutiae)


def _stretch(minutiae: Minutiae, width: int, height: int) -> Minutiae:
    """Map minutiae from the record's frame onto a width x height image (an affine stretch:
    directions are stretched with the positions)."""
    sx, sy = width / minutiae.width, height / minutiae.height
    # ISO angles are counter-clockwise as seen (y down): direction (cos, -sin) in pixels.
    angle = np.arctan2(np.sin(minutiae.angle) * sy, np.cos(minutiae.angle) * sx) % (2 * np.pi)
    return Minutiae(
        x=(minutiae.x * sx).astype(np.float32),
        y=(minutiae.y * sy).astype(np.float32),
        angle=angle.astype(np.float32),
        kind=minutiae.kind,
        quality=minutiae.quality,
        width=width,
        height=height,
        resolution_ppcm=minutiae.resolution_ppcm,
    )


def _read(path: Path) -> NDArray[np.uint8]:
    image = cv2.imread(str(path), cv2.IMREAD_GRAYSCALE)
    if image is None:
        raise FileNotFoundError(f"cannot read the image {path}")
    return np.asarray(image, dtype=np.uint8)


def _label(fvc_dir: Path, set_dir: Path) -> str:
    relative = set_dir.relative_to(fvc_dir).as_posix()
    return relative if relative != "." else set_dir.name


def _nbis_note(label: str, mode: str) -> str:
    anchor = NBIS_EER.get(label) if mode == "images" else None
    return f"; NBIS mindtct+bozorth3 on the images: {anchor:.2f}%" if anchor is not None else ""


def _row(
    figure: str, value: float, unit: str, baseline: float | None = None, note: str = ""
) -> Row:
    row: Row = {"benchmark": BENCHMARK, "figure": figure, "value": value, "unit": unit}
    if baseline is not None:
        row["baseline"] = baseline
    if note:
        row["note"] = note
    return row


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_fingerprint")
    parser.add_argument(
        "fvc_dir",
        nargs="?",
        type=Path,
        default=DEFAULT_FVC_DIR,
        help=f"FVC sets (default {DEFAULT_FVC_DIR})",
    )
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    args = parser.parse_args(argv)
    fvc_dir = args.fvc_dir if args.fvc_dir.is_absolute() else (Path.cwd() / args.fvc_dir)
    rows = run(fvc_dir.resolve())
    if not rows:
        return 0
    # The table layout every benchmark shares (`python -m benchmarks`).
    print(format_table(rows))
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
