"""Calibration of impression difficulty against FVC2002: the project's matcher scores synthetic
fingers and the FVC2002 B sets under the same FVC protocol, and the figures are set side by side.

`python -m simulator.fingerprint.calibration [--fvc DIR] [--difficulty D ...]` prints them; the
benchmark (benchmarks/bench_synthetic_fingerprints.py) reuses the same functions.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

import cv2
import numpy as np
from numpy.typing import NDArray

from fixtures.population import finger_seed
from matcher.fingerprint import (
    DECISION_THRESHOLD,
    ErrorRates,
    build_cylinders,
    compare_cylinders,
    error_rates,
    extract_minutiae,
)
from simulator.fingerprint.conditions import DEFAULT_DIFFICULTY
from simulator.fingerprint.impression import render_impression
from simulator.fingerprint.master import render_master

# Next to the repository, as the FVC sample data is shipped (../shared/data/fvc).
DEFAULT_FVC_DIR = Path(__file__).resolve().parents[3] / "shared" / "data" / "fvc"
FVC_SETS = ("fvc2002/DB1_B", "fvc2002/DB2_B")
# FVC B sets: 10 fingers, 8 impressions each, named <101..110>_<1..8>.png.
FINGERS = 10
IMPRESSIONS = 8
CALIBRATION_SEED = 2002

Fingers = list[list[NDArray[np.uint8]]]


@dataclass(frozen=True)
class SetScores:
    """Matcher scores of one set under the FVC protocol: genuine = every pair of impressions of
    a finger (28 per finger); impostor = every pair of impressions of different fingers."""

    name: str
    genuine: NDArray[np.float64]
    impostor: NDArray[np.float64]
    minutiae_per_image: float

    @property
    def rates(self) -> ErrorRates:
        return error_rates(self.genuine, self.impostor)

    @property
    def fnmr_at_threshold(self) -> float:
        """Share of genuine pairs the matcher rejects at its decision threshold."""
        return float(np.mean(self.genuine < DECISION_THRESHOLD))

    @property
    def fmr_at_threshold(self) -> float:
        """Share of impostor pairs the matcher accepts at its decision threshold."""
        return float(np.mean(self.impostor >= DECISION_THRESHOLD))

    def genuine_quantile(self, share: float) -> float:
        return float(np.quantile(self.genuine, share))


def score_fingers(name: str, fingers: Fingers) -> SetScores:
    """Extract every image with the matcher and compare the FVC protocol's pairs."""
    minutiae = [[extract_minutiae(image) for image in finger] for finger in fingers]
    cylinders = [[build_cylinders(found) for found in finger] for finger in minutiae]
    genuine = [
        compare_cylinders(finger[a], finger[b]).score
        for finger in cylinders
        for a, b in combinations(range(len(finger)), 2)
    ]
    every = [(f, i) for f, finger in enumerate(cylinders) for i in range(len(finger))]
    impostor = [
        compare_cylinders(cylinders[fa][ia], cylinders[fb][ib]).score
        for (fa, ia), (fb, ib) in combinations(every, 2)
        if fa != fb
    ]
    counts = [len(found) for finger in minutiae for found in finger]
    return SetScores(
        name=name,
        genuine=np.array(genuine, np.float64),
        impostor=np.array(impostor, np.float64),
        minutiae_per_image=float(np.mean(counts)),
    )


def load_fvc_set(fvc_dir: Path, fvc_set: str) -> Fingers:
    """The 10 x 8 images of an FVC B set, e.g. `fvc2002/DB1_B`."""
    fingers = []
    for finger in range(101, 101 + FINGERS):
        images = []
        for impression in range(1, IMPRESSIONS + 1):
            path = fvc_dir / fvc_set / f"{finger}_{impression}.png"
            image = cv2.imread(str(path), cv2.IMREAD_GRAYSCALE)
            if image is None:
                raise FileNotFoundError(f"cannot read FVC image {path}")
            images.append(np.asarray(image, np.uint8))
        fingers.append(images)
    return fingers


def synthetic_fingers(
    fingers: int = FINGERS,
    impressions: int = IMPRESSIONS,
    seed: int = CALIBRATION_SEED,
    difficulty: float = DEFAULT_DIFFICULTY,
) -> Fingers:
    """Impressions of synthetic fingers: person `seed + k`'s finger at position k mod 10 + 1."""
    result = []
    for index in range(fingers):
        position = index % 10 + 1
        master = render_master(finger_seed(seed + index, position), position)
        result.append(
            [
                render_impression(
                    master, impression_seed(master.finger_seed, k), difficulty=difficulty
                ).image
                for k in range(impressions)
            ]
        )
    return result


def impression_seed(finger: int, impression: int) -> int:
    """A distinct seed for impression `impression` (from 0) of a finger seed."""
    return finger * 1000 + impression


def format_comparison(sets: Sequence[SetScores]) -> str:
    """A plain-text table of the figures that decide the calibration."""
    header = (
        f"{'set':<28} {'EER':>6} {'FMR100':>7} {'FNMR@thr':>8} {'FMR@thr':>7} "
        f"{'gen p10':>7} {'gen p25':>7} {'gen med':>7} {'imp p99':>7} {'minutiae':>8}"
    )
    lines = [header, "-" * len(header)]
    for scores in sets:
        rates = scores.rates
        lines.append(
            f"{scores.name:<28} {rates.eer:>6.3f} {rates.fmr100:>7.3f} "
            f"{scores.fnmr_at_threshold:>8.3f} {scores.fmr_at_threshold:>7.4f} "
            f"{scores.genuine_quantile(0.1):>7.3f} "
            f"{scores.genuine_quantile(0.25):>7.3f} {scores.genuine_quantile(0.5):>7.3f} "
            f"{float(np.quantile(scores.impostor, 0.99)):>7.3f} {scores.minutiae_per_image:>8.1f}"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m simulator.fingerprint.calibration", description=__doc__
    )
    parser.add_argument("--fvc", type=Path, default=DEFAULT_FVC_DIR, help="FVC data directory")
    parser.add_argument(
        "--difficulty", type=float, nargs="*", default=[DEFAULT_DIFFICULTY], help="to compare"
    )
    parser.add_argument("--fingers", type=int, default=FINGERS)
    parser.add_argument("--seed", type=int, default=CALIBRATION_SEED)
    args = parser.parse_args(argv)
    sets = [score_fingers(name, load_fvc_set(args.fvc, name)) for name in FVC_SETS]
    for difficulty in args.difficulty:
        fingers = synthetic_fingers(args.fingers, IMPRESSIONS, args.seed, difficulty)
        sets.append(score_fingers(f"synthetic d={difficulty:g} s={args.seed}", fingers))
    print(format_comparison(sets))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
