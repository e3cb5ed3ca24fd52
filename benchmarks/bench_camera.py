"""The simulated camera and subject: render time per 640x480 frame while the subject moves,
frames per second received through cv2.VideoCapture from the MJPEG server in its own process,
and how well the real face matcher tells the synthetic identities apart.

`python -m benchmarks.bench_camera [--identities N] [--seed S] [--candidates 1,8]
[--selection-cache DIR] [--skip-separability] [--json OUT]`; heavy: run it with `nice -n 10` on
a shared machine (`--selection-cache` keeps each face's chosen shape between runs).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import numpy.typing as npt

from benchmarks.table import format_table
from fixtures.population.generate import build_population
from fixtures.population.reference import REFERENCE_DATE
from matcher.face import FaceEmbedder, FaceLandmarker, LandmarkMode, production_threshold
from simulator.subject.backdrop import Backdrop, backdrop_image
from simulator.subject.behaviour import SubjectScript
from simulator.subject.expression import Expression
from simulator.subject.identity import (
    BENCHMARKED_CANDIDATES,
    SHAPE_CANDIDATES,
    FaceIdentity,
    age_on,
    make_identity,
)
from simulator.subject.identity_selection import chosen_candidate
from simulator.subject.live_scene import LiveScene
from simulator.subject.portrait import render_card_portrait
from simulator.subject.prompts import Prompt, PromptEvent, PromptQueue
from simulator.subject.renderer import draw_subject
from simulator.subject.scene import CameraView, Lighting, SubjectPose
from simulator.subject.sensor import SensorSettings, expose
from simulator.subject.subject_model import subject_model

Image = npt.NDArray[np.uint8]
BENCHMARK = "camera"


# --- render speed ---------------------------------------------------------------------------


def render_speed(frames: int = 150, seed: int = 7) -> list[dict[str, Any]]:
    """Render time per 640x480 frame (median, p95) of a subject turning, smiling and blinking
    on cue, single-threaded OpenCV as the camera process runs; baseline: cv2.imencode of the
    same-size frame, which every served frame also pays."""
    threads = cv2.getNumThreads()
    cv2.setNumThreads(1)
    try:
        identity = make_identity(seed, "male", 38.0, "SAU")
        scene = LiveScene(identity)
        queue = PromptQueue()
        script = SubjectScript(seed, prompts=queue)
        for k, prompt in enumerate(
            (Prompt.TURN_LEFT, Prompt.SMILE, Prompt.TURN_RIGHT, Prompt.BLINK)
        ):
            queue.put(PromptEvent(prompt, seen_at=1.0 + 2.5 * k))
        scene.render(script.state_at(0.0), 0)  # build caches before timing
        times, encode = [], []
        for n in range(1, frames + 1):
            started = time.perf_counter()
            image = scene.render(script.state_at(n / 15.0), n)
            times.append(time.perf_counter() - started)
            started = time.perf_counter()
            cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, 85])
            encode.append(time.perf_counter() - started)
    finally:
        cv2.setNumThreads(threads)
    median, p95 = (float(np.percentile(times, q)) * 1000 for q in (50, 95))
    baseline = float(np.median(encode)) * 1000
    note = f"{frames} frames, subject turning/smiling/blinking, 1 OpenCV thread"
    return [
        _row("render ms per 640x480 frame (median)", median, "ms", baseline, note),
        _row("render ms per 640x480 frame (p95)", p95, "ms", baseline, "baseline: JPEG encode"),
    ]


# --- frames through VideoCapture ------------------------------------------------------------


def mjpeg_rate(seconds: float = 10.0, fps: float = 30.0) -> list[dict[str, Any]]:
    """Frames per second cv2.VideoCapture receives from `python -m simulator.camera` (its own
    process, asked for `fps`), while the subject moves."""
    with tempfile.TemporaryDirectory(prefix="hawiya-camera-") as directory:
        ready = Path(directory) / "ready.json"
        process = subprocess.Popen(
            [
                sys.executable, "-m", "simulator.camera", "--port", "0", "--face-seed", "7",
                "--fps", str(fps), "--scenario", "looks_away", "--ready-file", str(ready),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            deadline = time.monotonic() + 60.0
            while not ready.exists():
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the camera process did not start")
                time.sleep(0.05)
            url = json.loads(ready.read_text(encoding="utf-8"))["video_url"]
            capture = cv2.VideoCapture(url, cv2.CAP_FFMPEG, [cv2.CAP_PROP_READ_TIMEOUT_MSEC, 5000])
            for _ in range(5):  # let the stream settle
                capture.read()
            received, started = 0, time.monotonic()
            while time.monotonic() - started < seconds:
                ok, _ = capture.read()
                if not ok:
                    break
                received += 1
            elapsed = time.monotonic() - started
            capture.release()
        finally:
            process.terminate()
            process.wait(timeout=20)
    rate = received / elapsed
    note = f"{received} frames in {elapsed:.1f} s, camera asked for {fps:g} fps, own process"
    return [_row("MJPEG fps received via cv2.VideoCapture", rate, "fps", 15.0, note)]


# --- identity separability ------------------------------------------------------------------


@dataclass(frozen=True)
class Condition:
    name: str
    pose: SubjectPose
    expression: Expression
    lighting: Lighting


# The live probes a station might keep as its best frame: mild pose, expression and light.
PROBES = (
    Condition("frontal", SubjectPose(), Expression(), Lighting()),
    Condition(
        "turned, smiling, side light",
        SubjectPose(yaw=14.0, pitch=5.0),
        Expression(smile=0.8, mouth_open=0.1),
        Lighting(direction=(0.7, -0.3, -0.65), key=0.85, ambient=0.3),
    ),
    Condition(
        "turned other way, dim",
        SubjectPose(yaw=-12.0, pitch=-5.0, distance_mm=500.0),
        Expression(),
        Lighting(key=0.4, ambient=0.3),
    ),
    Condition(
        "talking, warm light",
        SubjectPose(yaw=6.0, roll=4.0),
        Expression(mouth_open=0.25),
        Lighting(direction=(-0.2, -0.8, -0.55), key=0.9, ambient=0.35, key_colour=(0.8, 0.92, 1.1)),
    ),
)


@dataclass(frozen=True)
class Separability:
    identities: int
    threshold: float
    genuine: npt.NDArray[np.float64]  # probe vs own card portrait
    impostor: npt.NDArray[np.float64]  # frontal probe vs another's card portrait
    failures: int  # images in which the matcher found no single face
    shape_candidates: int  # 1: the raw generator; more: the most distinctive shape of these
    # 1: the raw generator; more: each face's shape chosen among this many by the matcher's
    # template (`identity_selection`)
    selected_candidates: int = 1

    @property
    def false_match_rate(self) -> float:
        return float(np.mean(self.impostor < self.threshold))

    @property
    def genuine_match_rate(self) -> float:
        return float(np.mean(self.genuine < self.threshold))


def population_identities(
    count: int,
    seed: int,
    shape_candidates: int = SHAPE_CANDIDATES,
    selected_candidates: int = 1,
    selection_cache: Path | None = None,
) -> Iterator[FaceIdentity]:
    """`count` adults (18+) of a generated population, as they look on its reference date;
    `shape_candidates=1, selected_candidates=1` draws them with the raw generator (no choice of
    shape); `selected_candidates=K` as the simulators show them, each face chosen among K by
    the matcher's template (`identity_selection`)."""
    population = build_population(seed, max(4 * count, 50))
    taken = 0
    for person in population.persons:
        age = age_on(person.birth_date, REFERENCE_DATE)
        if age >= 18.0 and taken < count:
            taken += 1
            # As `identity_for_person` does for a record (this population is still drafts).
            choice = chosen_candidate(
                person.face_seed,
                person.sex,
                person.nationality,
                selected_candidates,
                cache_dir=selection_cache,
            )
            identity = make_identity(
                person.face_seed,
                person.sex,
                age,
                person.nationality,
                shape_candidates=shape_candidates if selected_candidates <= 1 else 1,
                shape_candidate=choice,
            )
            yield identity


def _probe(identity: FaceIdentity, condition: Condition, number: int) -> Image:
    view = CameraView(640, 480)
    frame = backdrop_image(Backdrop.BOOTH, view.width, view.height).copy()
    pose = condition.pose
    draw_subject(
        frame, subject_model(identity), pose, condition.lighting, view, condition.expression
    )
    return expose(frame, SensorSettings(seed=number), number)


def separability(
    count: int = 200,
    seed: int = 20240917,
    shape_candidates: int = SHAPE_CANDIDATES,
    selected_candidates: int = 1,
    selection_cache: Path | None = None,
) -> Separability:
    threshold = production_threshold().threshold
    embedder = FaceEmbedder()
    failures = 0
    portraits: list[npt.NDArray[np.float32] | None] = []
    probes: list[list[npt.NDArray[np.float32] | None]] = []
    with FaceLandmarker(LandmarkMode.STILL, max_faces=2) as landmarker:

        def template(image: Image) -> npt.NDArray[np.float32] | None:
            nonlocal failures
            faces = landmarker.detect(image)
            if len(faces) != 1:
                failures += 1
                return None
            return embedder.embed(image, faces[0]).vector

        identities = population_identities(
            count, seed, shape_candidates, selected_candidates, selection_cache
        )
        for index, identity in enumerate(identities):
            portraits.append(template(render_card_portrait(identity)))
            probes.append([template(_probe(identity, c, index)) for c in PROBES])
            subject_model.cache_clear()
    genuine = [
        float(np.linalg.norm(p - own))
        for own, mine in zip(portraits, probes, strict=True)
        for p in mine
        if own is not None and p is not None
    ]
    impostor = [
        float(np.linalg.norm(mine[0] - other))
        for i, mine in enumerate(probes)
        for j, other in enumerate(portraits)
        if i != j and mine[0] is not None and other is not None
    ]
    return Separability(
        len(portraits),
        threshold,
        np.array(genuine),
        np.array(impostor),
        failures,
        shape_candidates,
        selected_candidates,
    )


def separability_rows(result: Separability) -> list[dict[str, Any]]:
    n = result.identities
    at = f"at the production threshold {result.threshold:.4f}"
    if result.selected_candidates > 1:
        which = f"chosen by template among {result.selected_candidates} shapes"
        how = (
            f"SELECTED BY EMBEDDING: each face's shape the one of {result.selected_candidates} "
            "drawn from its seed whose dlib template (frontal portrait) lies farthest from the "
            "generator's committed anchors; per face alone, no pairwise selection"
        )
    elif result.shape_candidates == 1:
        which, how = "raw generator", "raw generator, no selection"
    else:
        which = f"most distinctive of {result.shape_candidates} shapes"
        how = (
            f"each face's shape the most distinctive of {result.shape_candidates} drawn from its "
            "seed (first-order template distance from the average face, per face alone; no "
            "pairwise selection)"
        )
    return [
        _row(f"false match rate, synthetic identities ({which})", result.false_match_rate,
             "fraction", None, f"{len(result.impostor)} impostor pairs of {n} identities {at}; "
             f"goal <= 0.01; {how}"),
        _row(f"genuine match rate across pose/light/expression ({which})",
             result.genuine_match_rate, "fraction", None, f"{len(result.genuine)} genuine pairs "
             f"(4 live probes vs card portrait) {at}; goal >= 0.99"),
        _row(f"impostor distance, 1st percentile ({which})",
             float(np.percentile(result.impostor, 1)), "distance", result.threshold,
             "baseline: the threshold"),
        _row(f"genuine distance, 99th percentile ({which})",
             float(np.percentile(result.genuine, 99)), "distance", result.threshold,
             f"images without exactly one face: {result.failures}"),
    ]  # fmt: skip


def _row(figure: str, value: float, unit: str, baseline: float | None, note: str) -> dict[str, Any]:
    row: dict[str, Any] = {"benchmark": BENCHMARK, "figure": figure, "value": value, "unit": unit}
    if baseline is not None:
        row["baseline"] = baseline
    row["note"] = note
    return row


def run(
    identities: int = 200,
    seed: int = 20240917,
    separable: bool = True,
    selections: tuple[int, ...] = (1, BENCHMARKED_CANDIDATES),
    selection_cache: Path | None = None,
) -> list[dict[str, Any]]:
    rows = render_speed() + mjpeg_rate()
    if separable:
        # The raw generator first (the rate before selection), then the shipped faces (each
        # chosen among shape candidates by the matcher's template).
        for candidates in sorted(set(selections)):
            result = separability(identities, seed, SHAPE_CANDIDATES, candidates, selection_cache)
            rows += separability_rows(result)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_camera")
    parser.add_argument("--identities", type=int, default=200)
    parser.add_argument("--seed", type=int, default=20240917, help="population seed")
    parser.add_argument("--skip-separability", action="store_true")
    parser.add_argument(
        "--candidates",
        default=f"1,{BENCHMARKED_CANDIDATES}",
        help="shape candidates per face to measure, comma-separated (1: the raw generator)",
    )
    parser.add_argument(
        "--selection-cache", type=Path, help="directory remembering each face's chosen shape"
    )
    parser.add_argument("--json", type=Path, help="also write the rows here")
    args = parser.parse_args(argv)
    selections = tuple(int(k) for k in args.candidates.split(","))
    rows = run(
        args.identities, args.seed, not args.skip_separability, selections, args.selection_cache
    )
    print(format_table(rows))
    text = json.dumps(rows, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
