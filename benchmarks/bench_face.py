"""Face verification on LFW (the folds in ../shared/data/lfw): k-fold accuracy, EER and FNMR at
FMR 1e-3 and 1e-4 over every cross-identity image pair, against dlib's own alignment.

`python -m benchmarks.bench_face [--lfw DIR] [--json OUT] [--write-threshold FILE] [--explore]`.
Landmarks and embeddings are cached under .hawiya/cache/face-lfw (the first run takes about
40 minutes on one shared core, later ones under a minute); nothing derived from the photos
leaves that directory except the aggregate figures.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import cv2
import dlib
import face_recognition_models
import mediapipe
import numpy as np
import numpy.typing as npt

from benchmarks.table import format_table
from matcher.face.alignment import DLIB_MATCHED, MESH_CORNERS, FivePointScheme, face_chip
from matcher.face.embedding import MODEL_NAME, FaceEmbedder, template_vector
from matcher.face.error_rates import (
    PairDistances,
    all_pair_distances,
    equal_error_rate,
    false_match_rate,
    false_non_match_rate,
    k_fold_accuracy,
    threshold_at_fmr,
)
from matcher.face.landmarks import FaceLandmarker, FaceLandmarks, LandmarkMode
from matcher.face.threshold import FaceThreshold

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_LFW = REPO_ROOT.parent / "shared" / "data" / "lfw"
CACHE_DIR = REPO_ROOT / ".hawiya" / "cache" / "face-lfw"
# Bump when what is cached changes meaning (landmark choice, chip geometry).
CACHE_VERSION = 2
FMR_TARGET = 1e-3
TIMED_IMAGES = 20

Array = npt.NDArray[Any]


@dataclass(frozen=True)
class Lfw:
    root: Path
    images: tuple[str, ...]  # "Name/Name_0001.jpg", sorted
    pair_a: npt.NDArray[np.int_]  # protocol pairs as indices into `images`
    pair_b: npt.NDArray[np.int_]
    same: npt.NDArray[np.bool_]
    fold: npt.NDArray[np.int_]
    cache: Path

    @property
    def identities(self) -> list[str]:
        return [image.split("/", 1)[0] for image in self.images]


def image_name(person: str, number: str) -> str:
    return f"{person}/{person}_{int(number):04d}.jpg"


def read_lfw(root: Path, cache: Path = CACHE_DIR) -> Lfw:
    """pairs.txt: a `folds<TAB>n` header, then per fold n same-person lines `name i j` and n
    different-person lines `name1 i name2 j`; the images are every .jpg under images/."""
    lines = (root / "pairs.txt").read_text(encoding="utf-8").split("\n")
    folds, per_fold = (int(v) for v in lines[0].split())
    images = tuple(
        sorted(p.relative_to(root / "images").as_posix() for p in (root / "images").glob("*/*.jpg"))
    )
    index = {name: i for i, name in enumerate(images)}
    rows: list[tuple[int, int, bool, int]] = []
    body = [line.split() for line in lines[1:] if line.strip()]
    if len(body) != folds * 2 * per_fold:
        raise ValueError(
            f"{root / 'pairs.txt'}: expected {folds * 2 * per_fold} pairs, found {len(body)}"
        )
    for number, fields in enumerate(body):
        if len(fields) == 3:
            a, b, same = image_name(fields[0], fields[1]), image_name(fields[0], fields[2]), True
        else:
            a, b, same = image_name(fields[0], fields[1]), image_name(fields[2], fields[3]), False
        rows.append((index[a], index[b], same, number // (2 * per_fold)))
    table = np.array(rows, dtype=np.int64)
    return Lfw(root, images, table[:, 0], table[:, 1], table[:, 2].astype(bool), table[:, 3], cache)


def _cache_key(lfw: Lfw, what: str) -> str:
    digest = hashlib.sha256()
    for name in lfw.images:
        digest.update(f"{name}:{(lfw.root / 'images' / name).stat().st_size}\n".encode())
    versions = f"{what}|v{CACHE_VERSION}|mediapipe {mediapipe.__version__}|dlib {dlib.__version__}"
    digest.update(versions.encode())
    return digest.hexdigest()


def _cached(
    lfw: Lfw, name: str, compute: Callable[[], dict[str, Array]], recipe: str = ""
) -> dict[str, Array]:
    """Arrays stored under `name`, recomputed when the images, versions or `recipe` changed."""
    path = lfw.cache / f"{name}.npz"
    key = _cache_key(lfw, f"{name}|{recipe}")
    if path.exists():
        with np.load(path) as stored:
            if str(stored["key"]) == key:
                return {k: stored[k] for k in stored.files if k != "key"}
    arrays = compute()
    lfw.cache.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial.npz")
    np.savez(partial, key=np.array(key), **arrays)
    partial.replace(path)
    return arrays


def _progress(label: str, before: int, done: int, total: int) -> None:
    if done // 250 > before // 250 or done == total:
        print(f"  {label}: {done}/{total}", file=sys.stderr, flush=True)


def _central(faces: list[FaceLandmarks], width: int, height: int) -> FaceLandmarks:
    # LFW centres the person the label names; others may stand behind.
    return min(faces, key=lambda f: abs(f.center[0] - width / 2) + abs(f.center[1] - height / 2))


def _read(lfw: Lfw, name: str) -> Array:
    image = cv2.imread(str(lfw.root / "images" / name))
    if image is None:
        raise FileNotFoundError(lfw.root / "images" / name)
    return image


def landmark_pass(lfw: Lfw) -> dict[str, Array]:
    """FaceMesh (478 points) and dlib's HOG detector + 5-point predictor for every image."""

    def compute() -> dict[str, Array]:
        count = len(lfw.images)
        mesh = np.zeros((count, 478, 3), dtype=np.float32)
        mesh_found = np.zeros(count, dtype=bool)
        dlib_points = np.zeros((count, 5, 2), dtype=np.float32)
        dlib_found = np.zeros(count, dtype=bool)
        detector = dlib.get_frontal_face_detector()
        predictor = dlib.shape_predictor(
            face_recognition_models.pose_predictor_five_point_model_location()
        )
        boxes: dict[int, Any] = {}
        with FaceLandmarker(LandmarkMode.STILL, max_faces=2) as landmarker:
            for i, name in enumerate(lfw.images):
                image = _read(lfw, name)
                height, width = image.shape[:2]
                faces = landmarker.detect(image)
                if faces:
                    mesh[i] = _central(faces, width, height).points
                    mesh_found[i] = True
                rgb = cv2.cvtColor(image, cv2.COLOR_BGR2RGB)
                rects = list(detector(rgb, 1))
                if rects:
                    box = min(
                        rects,
                        key=lambda r: (
                            abs(r.center().x - width / 2) + abs(r.center().y - height / 2)
                        ),
                    )
                    boxes[i] = box
                    dlib_found[i] = True
                    shape = predictor(rgb, box)
                    dlib_points[i] = [(p.x, p.y) for p in shape.parts()]
                _progress("landmarks", i, i + 1, count)
            # Where HOG finds no face, the predictor runs in the median box: LFW's deep-funnelled
            # images put the face in about the same place.
            median_box = dlib.rectangle(
                *(
                    int(np.median([getattr(b, s)() for b in boxes.values()]))
                    for s in ("left", "top", "right", "bottom")
                )
            )
            for i in np.flatnonzero(~dlib_found):
                rgb = cv2.cvtColor(_read(lfw, lfw.images[i]), cv2.COLOR_BGR2RGB)
                dlib_points[i] = [(p.x, p.y) for p in predictor(rgb, median_box).parts()]
        return {
            "mesh": mesh,
            "mesh_found": mesh_found,
            "dlib_points": dlib_points,
            "dlib_found": dlib_found,
        }

    return _cached(lfw, "landmarks", compute)


@dataclass(frozen=True)
class Alignment:
    name: str
    five_points: Callable[[int], Array]  # image index -> (5, 2)
    recipe: str  # what the points are made from, for the cache key


def mesh_alignment(scheme: FivePointScheme, marks: dict[str, Array]) -> Alignment:
    def points(i: int) -> Array:
        if not marks["mesh_found"][i]:  # FaceMesh found no face: dlib's points stand in
            return np.asarray(marks["dlib_points"][i], dtype=np.float64)
        return np.array(
            [marks["mesh"][i][list(g), :2].mean(axis=0) for g in scheme.groups], dtype=np.float64
        )

    return Alignment(scheme.name, points, recipe=repr(scheme.groups))


def dlib_alignment(marks: dict[str, Array]) -> Alignment:
    return Alignment(
        "dlib-5-point",
        lambda i: np.asarray(marks["dlib_points"][i], dtype=np.float64),
        recipe="HOG upsampled once, else the median box; shape_predictor_5_face_landmarks",
    )


def _batches(count: int, size: int) -> Iterator[range]:
    for start in range(0, count, size):
        yield range(start, min(start + size, count))


def embedding_pass(lfw: Lfw, alignment: Alignment, embedder: FaceEmbedder) -> dict[str, Array]:
    """Raw embeddings of every image's chip and of its mirror image."""

    def compute() -> dict[str, Array]:
        count = len(lfw.images)
        plain = np.zeros((count, 128), dtype=np.float32)
        mirrored = np.zeros((count, 128), dtype=np.float32)
        for batch in _batches(count, 16):
            chips = [face_chip(_read(lfw, lfw.images[i]), alignment.five_points(i)) for i in batch]
            vectors = embedder.embed_chips(
                chips + [np.ascontiguousarray(c[:, ::-1]) for c in chips]
            )
            plain[batch.start : batch.stop] = vectors[: len(chips)]
            mirrored[batch.start : batch.stop] = vectors[len(chips) :]
            _progress(f"embeddings {alignment.name}", batch.start, batch.stop, count)
        return {"plain": plain, "mirrored": mirrored}

    return _cached(lfw, f"embeddings-{alignment.name}", compute, alignment.recipe)


@dataclass(frozen=True)
class Evaluation:
    name: str
    accuracy: float
    accuracy_std: float
    folds: int
    eer: float
    threshold: float  # at FMR 1e-3
    fnmr_1e3: float
    fmr_at_threshold: float
    threshold_1e4: float
    fnmr_1e4: float
    genuine_pairs: int
    impostor_pairs: int
    protocol_pairs: int


def evaluate(name: str, vectors: Array, lfw: Lfw) -> Evaluation:
    pairs: PairDistances = all_pair_distances(vectors, lfw.identities)
    protocol = np.linalg.norm(vectors[lfw.pair_a] - vectors[lfw.pair_b], axis=1).astype(np.float32)
    folds = k_fold_accuracy(protocol, lfw.same, lfw.fold)
    # Rounded down to the 4 decimals the threshold file keeps, so the FMR can only fall, and
    # the rates below are those of the threshold as written.
    threshold = math.floor(threshold_at_fmr(pairs.impostor, FMR_TARGET) * 1e4) / 1e4
    threshold_1e4 = math.floor(threshold_at_fmr(pairs.impostor, 1e-4) * 1e4) / 1e4
    return Evaluation(
        name=name,
        accuracy=folds.mean,
        accuracy_std=folds.std,
        folds=len(folds.per_fold),
        eer=equal_error_rate(pairs.genuine, pairs.impostor).rate,
        threshold=threshold,
        fnmr_1e3=false_non_match_rate(pairs.genuine, threshold),
        fmr_at_threshold=false_match_rate(pairs.impostor, threshold),
        threshold_1e4=threshold_1e4,
        fnmr_1e4=false_non_match_rate(pairs.genuine, threshold_1e4),
        genuine_pairs=int(pairs.genuine.size),
        impostor_pairs=int(pairs.impostor.size),
        protocol_pairs=int(protocol.size),
    )


def time_per_image(lfw: Lfw, embedder: FaceEmbedder) -> tuple[float, float]:
    """Median ms per image: (FaceMesh + production embedding, dlib HOG + 5-point + embedding)."""
    names = lfw.images[:: max(1, len(lfw.images) // TIMED_IMAGES)][:TIMED_IMAGES]
    detector = dlib.get_frontal_face_detector()
    predictor = dlib.shape_predictor(
        face_recognition_models.pose_predictor_five_point_model_location()
    )
    ours: list[float] = []
    theirs: list[float] = []
    with FaceLandmarker(LandmarkMode.STILL, max_faces=2) as landmarker:
        for name in names:
            image = _read(lfw, name)
            start = time.perf_counter()
            faces = landmarker.detect(image)
            if faces:
                embedder.embed(image, faces[0])
                ours.append(time.perf_counter() - start)
            start = time.perf_counter()
            rgb = cv2.cvtColor(image, cv2.COLOR_BGR2RGB)
            rects = detector(rgb, 1)
            if rects:
                embedder.embed_chips(
                    [dlib.get_face_chip(rgb, predictor(rgb, rects[0]), size=150, padding=0.25)]
                )
                theirs.append(time.perf_counter() - start)
    return statistics.median(ours) * 1000, statistics.median(theirs) * 1000


@dataclass(frozen=True)
class FaceBenchmark:
    production: Evaluation
    baseline: Evaluation
    explored: tuple[Evaluation, ...]
    images: int
    identities: int
    images_without_mesh_face: int
    images_without_hog_face: int
    ms_per_image: float
    ms_per_image_baseline: float


def measure(lfw_dir: Path, *, explore: bool = False, cache: Path = CACHE_DIR) -> FaceBenchmark:
    lfw = read_lfw(lfw_dir, cache)
    marks = landmark_pass(lfw)
    embedder = FaceEmbedder()  # the production settings: what threshold.json is calibrated for
    production = embedding_pass(lfw, mesh_alignment(embedder.scheme, marks), embedder)
    baseline = embedding_pass(lfw, dlib_alignment(marks), embedder)
    explored: list[Evaluation] = []
    if explore:
        # What each step adds: raw vectors, unit length, then the mirrored chip averaged in.
        for name, raw in (
            (MESH_CORNERS.name, embedding_pass(lfw, mesh_alignment(MESH_CORNERS, marks), embedder)),
            (DLIB_MATCHED.name, embedding_pass(lfw, mesh_alignment(DLIB_MATCHED, marks), embedder)),
            ("dlib-5-point", baseline),
        ):
            explored.append(evaluate(name, raw["plain"], lfw))
            explored.append(evaluate(name + "+l2", template_vector(raw["plain"]), lfw))
            flipped = template_vector(raw["plain"], raw["mirrored"])
            explored.append(evaluate(name + "+flip+l2", flipped, lfw))
    vectors = template_vector(
        production["plain"], production["mirrored"] if embedder.flip_average else None
    )
    ms, ms_baseline = time_per_image(lfw, embedder)
    return FaceBenchmark(
        production=evaluate(embedder.alignment, vectors, lfw),
        baseline=evaluate("dlib-5-point", baseline["plain"], lfw),
        explored=tuple(explored),
        images=len(lfw.images),
        identities=len(set(lfw.identities)),
        images_without_mesh_face=int(np.count_nonzero(~marks["mesh_found"])),
        images_without_hog_face=int(np.count_nonzero(~marks["dlib_found"])),
        ms_per_image=ms,
        ms_per_image_baseline=ms_baseline,
    )


def rows(result: FaceBenchmark) -> list[dict[str, Any]]:
    ours, base = result.production, result.baseline
    pairs = f"{ours.genuine_pairs:,} genuine / {ours.impostor_pairs:,} impostor image pairs"
    out: list[dict[str, Any]] = [
        {
            "figure": "accuracy",
            "value": 100 * ours.accuracy,
            "unit": "%",
            "baseline": 100 * base.accuracy,
            "note": f"{ours.folds}-fold x {ours.protocol_pairs // ours.folds} pairs, threshold "
            "from the other folds; baseline dlib 5-point alignment",
        },
        {
            "figure": "accuracy std over folds",
            "value": 100 * ours.accuracy_std,
            "unit": "%",
            "baseline": 100 * base.accuracy_std,
        },
        {
            "figure": "EER",
            "value": 100 * ours.eer,
            "unit": "%",
            "baseline": 100 * base.eer,
            "note": pairs,
        },
        {
            "figure": "FNMR at FMR 1e-3",
            "value": 100 * ours.fnmr_1e3,
            "unit": "%",
            "baseline": 100 * base.fnmr_1e3,
            "note": pairs,
        },
        {
            "figure": "FNMR at FMR 1e-4",
            "value": 100 * ours.fnmr_1e4,
            "unit": "%",
            "baseline": 100 * base.fnmr_1e4,
            "note": pairs,
        },
        {
            "figure": "threshold at FMR 1e-3",
            "value": ours.threshold,
            "unit": "distance",
            "baseline": base.threshold,
            "note": f"measured FMR {ours.fmr_at_threshold:.2e}",
        },
        {
            "figure": "images",
            "value": result.images,
            "unit": "images",
            "note": f"{result.identities:,} identities",
        },
        {
            "figure": "images without a FaceMesh face",
            "value": result.images_without_mesh_face,
            "unit": "images",
            "note": "dlib's points stand in for them",
        },
        {
            "figure": "landmarks + embedding per image",
            "value": result.ms_per_image,
            "unit": "ms",
            "baseline": result.ms_per_image_baseline,
            "note": f"median of {TIMED_IMAGES}; baseline dlib HOG + 5-point + 1 embedding",
        },
    ]
    for e in result.explored:
        out.append(
            {
                "figure": f"accuracy {e.name}",
                "value": 100 * e.accuracy,
                "unit": "%",
                "note": f"EER {100 * e.eer:.2f}%, FNMR {100 * e.fnmr_1e3:.2f}% at FMR 1e-3, "
                f"{100 * e.fnmr_1e4:.2f}% at 1e-4",
            }
        )
    return [{"benchmark": "face", **row} for row in out]


def run(lfw: Path = DEFAULT_LFW, *, explore: bool = False) -> list[dict[str, Any]]:
    if not (lfw / "pairs.txt").exists():
        print(
            f"face benchmark skipped: no LFW folds at {lfw} (pairs.txt and images/)",
            file=sys.stderr,
        )
        return []
    return rows(measure(lfw, explore=explore))


def summary(result: FaceBenchmark) -> dict[str, Any]:
    """The JSON `hawiya bench face --json` writes; rates are fractions, not percentages."""
    ours, base = result.production, result.baseline
    return {
        "accuracy": ours.accuracy,
        "accuracy_std": ours.accuracy_std,
        "folds": ours.folds,
        "protocol_pairs": ours.protocol_pairs,
        "eer": ours.eer,
        "fnmr_at_fmr_1e-3": ours.fnmr_1e3,
        "fnmr_at_fmr_1e-4": ours.fnmr_1e4,
        "threshold": ours.threshold,
        "threshold_fmr": FMR_TARGET,
        "genuine_pairs": ours.genuine_pairs,
        "impostor_pairs": ours.impostor_pairs,
        "images": result.images,
        "identities": result.identities,
        "images_without_face": result.images_without_mesh_face,
        "model": MODEL_NAME,
        "alignment": ours.name,
        "ms_per_image": result.ms_per_image,
        "baseline": {
            "alignment": base.name,
            "accuracy": base.accuracy,
            "eer": base.eer,
            "fnmr_at_fmr_1e-3": base.fnmr_1e3,
            "fnmr_at_fmr_1e-4": base.fnmr_1e4,
            "threshold": base.threshold,
            "ms_per_image": result.ms_per_image_baseline,
        },
        "explored": [
            {
                "alignment": e.name,
                "accuracy": e.accuracy,
                "eer": e.eer,
                "fnmr_at_fmr_1e-3": e.fnmr_1e3,
                "fnmr_at_fmr_1e-4": e.fnmr_1e4,
            }
            for e in result.explored
        ],
    }


def calibrated_threshold(result: FaceBenchmark) -> FaceThreshold:
    ours = result.production
    return FaceThreshold(
        threshold=ours.threshold,
        model=MODEL_NAME,
        alignment=ours.name,
        fmr_target=FMR_TARGET,
        fmr=ours.fmr_at_threshold,
        fnmr=ours.fnmr_1e3,
        genuine_pairs=ours.genuine_pairs,
        impostor_pairs=ours.impostor_pairs,
        dataset=f"LFW deep-funnelled, View 2 folds 1-{ours.folds}: every pair of the "
        f"{result.images:,} images of {result.identities:,} people the folds use",
        calibrated_on=datetime.now(UTC).date().isoformat(),
        command="python -m benchmarks.bench_face --write-threshold matcher/face/threshold.json",
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.bench_face", description=__doc__.split("\n")[0]
    )
    parser.add_argument(
        "--lfw", type=Path, default=DEFAULT_LFW, help=f"LFW folds (default {DEFAULT_LFW})"
    )
    parser.add_argument("--json", type=Path, help="write the figures here (rates as fractions)")
    parser.add_argument(
        "--write-threshold", type=Path, help="write the calibrated threshold file here"
    )
    parser.add_argument("--explore", action="store_true", help="also score the alignment variants")
    parser.add_argument(
        "--cache", type=Path, default=CACHE_DIR, help=f"embedding cache (default {CACHE_DIR})"
    )
    args = parser.parse_args(argv)
    if not (args.lfw / "pairs.txt").exists():
        print(
            f"face benchmark skipped: no LFW folds at {args.lfw} (pairs.txt and images/)",
            file=sys.stderr,
        )
        return 0
    result = measure(args.lfw, explore=args.explore, cache=args.cache)
    print(format_table(rows(result)))
    if args.json:
        args.json.write_text(json.dumps(summary(result), indent=2) + "\n", encoding="utf-8")
    if args.write_threshold:
        args.write_threshold.write_text(calibrated_threshold(result).to_json(), encoding="utf-8")
        print(f"wrote {args.write_threshold}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
