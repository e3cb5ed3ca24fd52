"""Speed of the liveness loop: per-frame latency of `LivenessSession.add_frame` on 640x480
frames of a simulated subject following the prompts, OpenCV on one thread; baseline in the
same process: FaceMesh (`FaceLandmarker.detect`) alone on the same frames. Also the time from
the last challenge's frame to the decision (`result()`).

`python -m benchmarks.bench_liveness_speed [--frames N] [--json OUT]`. Rendering the frames
is not timed; only the liveness work is.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from benchmarks.table import format_table
from matcher.face import FaceLandmarker, LandmarkMode
from matcher.liveness import LivenessSession, draw_challenges
from simulator.subject.behaviour import Behaviour, SubjectScript
from simulator.subject.identity import make_identity
from simulator.subject.live_scene import LiveScene
from simulator.subject.prompts import Prompt, PromptEvent, PromptQueue

BENCHMARK = "liveness-speed"
FPS = 15.0


def speed_report(frames: int = 300, seed: int = 7) -> dict[str, Any]:
    """Sessions back to back in front of one simulated subject who follows the prompts; each
    frame is rendered (untimed), then given to the session (timed) and to a second FaceMesh
    on its own (timed, the baseline), so both see the same frames under the same load."""
    threads = cv2.getNumThreads()
    cv2.setNumThreads(1)
    try:
        identity = make_identity(seed, "male", 38.0, "SAU")
        scene = LiveScene(identity)
        queue = PromptQueue()
        script = SubjectScript(seed, behaviour=Behaviour(miss_probability=0.0), prompts=queue)
        rng = random.Random(seed)
        per_frame: list[float] = []
        baseline: list[float] = []
        decisions: list[float] = []
        outcomes: list[bool] = []
        with (
            FaceLandmarker(LandmarkMode.VIDEO) as landmarker,
            FaceLandmarker(LandmarkMode.VIDEO) as alone,
        ):
            first = scene.render(script.state_at(0.0), 0)
            landmarker.detect(first)  # load both graphs before timing
            alone.detect(first)
            session = LivenessSession(draw_challenges(rng), landmarker=landmarker)
            for n in range(1, frames + 1):
                t = n / FPS
                image = scene.render(script.state_at(t), n)
                started = time.perf_counter()
                update = session.add_frame(image, t)
                took = time.perf_counter() - started
                per_frame.append(took)
                started = time.perf_counter()
                alone.detect(image)
                baseline.append(time.perf_counter() - started)
                if update.prompt_changed:
                    word = Prompt(update.prompt.value) if update.prompt else Prompt.CLEAR
                    queue.put(PromptEvent(word, t + 0.1))
                if session.finished:
                    # The frame that completed the last challenge, then the decision.
                    started = time.perf_counter()
                    outcomes.append(session.result().live)
                    decisions.append(took + time.perf_counter() - started)
                    session = LivenessSession(draw_challenges(rng), landmarker=landmarker)
    finally:
        cv2.setNumThreads(threads)
    ms = np.array(per_frame) * 1000
    base = np.array(baseline) * 1000
    return {
        "frame_ms_median": float(np.median(ms)),
        "frame_ms_p95": float(np.percentile(ms, 95)),
        "landmarker_ms_median": float(np.median(base)),
        "landmarker_ms_p95": float(np.percentile(base, 95)),
        "decision_ms_median": float(np.median(decisions) * 1000) if decisions else None,
        "decision_ms_max": float(np.max(decisions) * 1000) if decisions else None,
        "frames": frames,
        "sessions_finished": len(outcomes),
        "sessions_live": sum(outcomes),
        "width": 640,
        "height": 480,
        "opencv_threads": 1,
    }


def run(frames: int = 300) -> list[dict[str, Any]]:
    """Rows for `python -m benchmarks`."""
    return _rows(speed_report(frames=frames))


def _rows(report: dict[str, Any]) -> list[dict[str, Any]]:
    note = f"{report['frames']} frames 640x480, 1 OpenCV thread"
    rows = [
        _row("add_frame ms (median)", report["frame_ms_median"], report["landmarker_ms_median"],
             note + "; goal < 15 ms; baseline: FaceMesh alone"),
        _row("add_frame ms (p95)", report["frame_ms_p95"], report["landmarker_ms_p95"],
             "baseline: FaceMesh alone (p95)"),
    ]  # fmt: skip
    if report["decision_ms_median"] is not None:
        rows.append(
            _row(
                "last challenge frame to decision ms (median)",
                report["decision_ms_median"],
                None,
                f"add_frame of the frame completing the last challenge + result(), "
                f"{report['sessions_finished']} sessions ({report['sessions_live']} live)",
            )
        )
    return rows


def _row(figure: str, value: float, baseline: float | None, note: str) -> dict[str, Any]:
    row: dict[str, Any] = {
        "benchmark": BENCHMARK,
        "figure": figure,
        "value": value,
        "unit": "ms",
        "note": note,
    }
    if baseline is not None:
        row["baseline"] = baseline
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--frames", type=int, default=300)
    parser.add_argument("--json", type=Path, dest="json_out")
    args = parser.parse_args()
    report = speed_report(frames=args.frames)
    print(format_table(_rows(report)))
    print(json.dumps(report, indent=2))
    if args.json_out:
        args.json_out.write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
