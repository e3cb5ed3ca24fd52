"""Synthetic fingerprints: how fast masters and impressions render, and how hard the impressions
are for the project's matcher beside the FVC2002 B sets measured in the same run.

`python -m benchmarks.bench_synthetic_fingerprints [--fvc DIR] [--fingers N] [--json OUT]`.
The same figures decide the default difficulty (simulator.fingerprint.calibration).
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from benchmarks.table import format_table
from fixtures.population import finger_seed
from matcher.fingerprint import DECISION_THRESHOLD
from simulator.fingerprint import (
    DEFAULT_DIFFICULTY,
    MASTER_HEIGHT,
    MASTER_WIDTH,
    render_impression,
    render_master,
)
from simulator.fingerprint.calibration import (
    DEFAULT_FVC_DIR,
    FVC_SETS,
    SetScores,
    load_fvc_set,
    score_fingers,
    synthetic_fingers,
)
from simulator.fingerprint.ridge_growth import ORIENTATION_BINS, PERIOD_BINS

BENCHMARK = "synthetic fingerprints"


def run(
    fvc_dir: Path = DEFAULT_FVC_DIR,
    fingers: int = 50,  # issue 4: 50 synthetic fingers x 8 impressions beside FVC
    masters: int = 8,
    impressions: int = 40,
    seed: int = 2002,
) -> list[dict[str, Any]]:
    """Render timings (median of `masters` masters and `impressions` impressions after one
    warm-up each), then the FVC protocol on `fingers` synthetic fingers x 8 impressions at the
    default difficulty and on each FVC2002 B set found under `fvc_dir`."""
    rows = _speed_rows(masters, impressions, seed)
    synthetic = score_fingers("synthetic", synthetic_fingers(fingers, 8, seed, DEFAULT_DIFFICULTY))
    fvc = [
        score_fingers(name, load_fvc_set(fvc_dir, name))
        for name in FVC_SETS
        if (fvc_dir / name).is_dir()
    ]
    rows.extend(_difficulty_rows(synthetic, fvc, fingers, seed))
    return rows


def _speed_rows(masters: int, impressions: int, seed: int) -> list[dict[str, Any]]:
    render_master(finger_seed(seed, 1), 1)  # builds the filter bank once per process
    master_times = [
        _milliseconds(partial(render_master, finger_seed(seed + k, 2), 2))
        for k in range(1, masters + 1)
    ]
    master = render_master(finger_seed(seed, 2), 2)
    render_impression(master, 0)
    impression_times = [
        _milliseconds(partial(render_impression, master, k)) for k in range(1, impressions + 1)
    ]
    bank_ms = _gabor_bank_pass_ms()
    remap_ms = _remap_pass_ms(master.ridges)
    return [
        {
            "benchmark": BENCHMARK,
            "figure": "master render (median)",
            "value": round(statistics.median(master_times), 1),
            "unit": "ms",
            "baseline": round(bank_ms, 1),
            "note": (
                f"{masters} masters {MASTER_WIDTH}x{MASTER_HEIGHT}; baseline: one cv2.filter2D "
                f"pass of the {ORIENTATION_BINS}x{len(PERIOD_BINS)} Gabor bank over the canvas"
            ),
        },
        {
            "benchmark": BENCHMARK,
            "figure": "impression render (median)",
            "value": round(statistics.median(impression_times), 1),
            "unit": "ms",
            "baseline": round(remap_ms, 2),
            "note": (
                f"{impressions} impressions 388x374; baseline: one cv2.remap + GaussianBlur of "
                "the image"
            ),
        },
    ]


def _difficulty_rows(
    synthetic: SetScores, fvc: list[SetScores], fingers: int, seed: int
) -> list[dict[str, Any]]:
    fvc_eer = statistics.mean(s.rates.eer for s in fvc) if fvc else None
    fvc_median = statistics.mean(s.genuine_quantile(0.5) for s in fvc) if fvc else None
    rows: list[dict[str, Any]] = []
    for scores in fvc:
        rows.append(
            {
                "benchmark": BENCHMARK,
                "figure": f"{scores.name} EER",
                "value": round(100 * scores.rates.eer, 2),
                "unit": "%",
                "note": (
                    f"{scores.rates.genuine} genuine / {scores.rates.impostor} impostor pairs, "
                    f"genuine median score {scores.genuine_quantile(0.5):.3f}"
                ),
            }
        )
    rows.append(
        {
            "benchmark": BENCHMARK,
            "figure": f"synthetic EER (difficulty {DEFAULT_DIFFICULTY:g})",
            "value": round(100 * synthetic.rates.eer, 2),
            "unit": "%",
            "baseline": round(100 * fvc_eer, 2) if fvc_eer is not None else None,
            "note": (
                f"{fingers} fingers x 8, seed {seed}; {synthetic.rates.genuine} genuine / "
                f"{synthetic.rates.impostor} impostor pairs; baseline: mean FVC2002 B EER"
            ),
        }
    )
    fvc_impostors = np.concatenate([s.impostor for s in fvc]) if fvc else None
    rows.append(
        {
            "benchmark": BENCHMARK,
            "figure": "synthetic impostor pairs at the threshold",
            "value": round(100 * synthetic.fmr_at_threshold, 3),
            "unit": "%",
            "baseline": (
                round(100 * float(np.mean(fvc_impostors >= DECISION_THRESHOLD)), 3)
                if fvc_impostors is not None
                else None
            ),
            "note": (
                f"{int(np.sum(synthetic.impostor >= DECISION_THRESHOLD))} of "
                f"{synthetic.rates.impostor} pairs score >= {DECISION_THRESHOLD} (the matcher's "
                "decision threshold), impostor p99 "
                f"{float(np.quantile(synthetic.impostor, 0.99)):.4f}; baseline: the FVC2002 B "
                "sets' impostor pairs pooled (goal: no more often than FVC's)"
            ),
        }
    )
    rows.append(
        {
            "benchmark": BENCHMARK,
            "figure": "synthetic genuine median score",
            "value": round(synthetic.genuine_quantile(0.5), 3),
            "unit": "score",
            "baseline": round(fvc_median, 3) if fvc_median is not None else None,
            "note": "baseline: mean of the FVC2002 B sets' genuine medians (lower is harder)",
        }
    )
    return rows


def _milliseconds(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return 1000 * (time.perf_counter() - started)


def _gabor_bank_pass_ms() -> float:
    """One spatial pass of the growth's filter bank over a master canvas (cv2.filter2D)."""
    canvas = np.random.default_rng(0).standard_normal((MASTER_HEIGHT, MASTER_WIDTH))
    canvas = canvas.astype(np.float32)
    kernels = [
        cv2.getGaborKernel((25, 25), 0.45 * period, np.pi * k / ORIENTATION_BINS, period, 1.0, 0)
        for k in range(ORIENTATION_BINS)
        for period in PERIOD_BINS
    ]
    return _milliseconds(lambda: [cv2.filter2D(canvas, -1, kernel) for kernel in kernels])


def _remap_pass_ms(ridges: np.ndarray[Any, np.dtype[np.float32]]) -> float:
    """The least an impression must do: resample the master onto the image, and blur it."""
    ys, xs = np.mgrid[0:374, 0:388].astype(np.float32)

    def resample() -> object:
        moved = cv2.remap(ridges, xs * 0.9 + 10, ys * 0.9 + 20, cv2.INTER_LINEAR)
        return cv2.GaussianBlur(moved, (0, 0), 0.7)

    resample()
    return min(_milliseconds(resample) for _ in range(5))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--fvc", type=Path, default=DEFAULT_FVC_DIR)
    parser.add_argument("--fingers", type=int, default=10)
    parser.add_argument("--seed", type=int, default=2002)
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    args = parser.parse_args()
    rows = run(args.fvc, args.fingers, seed=args.seed)
    print(format_table(rows))
    text = json.dumps(rows, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
