"""Choosing each population face's shape by the real matcher: of K shape candidates drawn from
the face seed, keep the one whose dlib template lies farthest from the generator's anchors.

The raw generator's faces crowd one region of dlib's template space (issue 3: 24.5% false
matches over 60 identities at the production threshold); a face pushed away from where the
generator usually lands is, on average, farther from every other face too. The rule looks at
one person only (their own candidates against anchors committed as data), so the population
stays reproducible and nobody's face changes when another person is added. The anchors come
from `make_identity_anchors.py`, run on our own generator's faces; nothing from outside.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import threading
from dataclasses import replace
from functools import cache, lru_cache
from pathlib import Path

import numpy as np
import numpy.typing as npt

from matcher.face import FaceEmbedder, FaceLandmarker, LandmarkMode
from simulator.subject.backdrop import Backdrop, backdrop_image
from simulator.subject.expression import NEUTRAL, expression_bases
from simulator.subject.face_shape import shape_displacement
from simulator.subject.glasses import glasses_model
from simulator.subject.head_mesh import Part, head_mesh
from simulator.subject.identity import FaceIdentity, make_identity
from simulator.subject.renderer import draw_subject
from simulator.subject.scene import EVEN_LIGHT, CameraView, SubjectPose
from simulator.subject.sensor import SensorSettings, expose

# The builder's shape-dependent steps, reused so a candidate differs from the built model only
# in shape (the texture atlas, most of the build time, does not depend on shape).
from simulator.subject.subject_model import (
    SubjectModel,
    _carriage,
    _eyes,
    _occlusion,
    _specular,
    subject_model,
)

Template = npt.NDArray[np.float32]
Image = npt.NDArray[np.uint8]

ANCHORS_PATH = Path(__file__).resolve().parents[1] / "assets" / "identity_anchors.npz"
# Candidates are judged at one age, so the card (photo at issue), the portal's photo and the
# camera (years later) all get the same shape for the same person.
CANONICAL_AGE = 35.0
CACHE_FILE = "identity-selection.json"
_PORTRAIT_W, _PORTRAIT_H = 480, 600  # as the card portrait, without its supersampling
_DISTANCE_MM = 1200.0
_HEAD_HEIGHT_MM, _HEAD_SHARE, _EYES_FROM_TOP = 235.0, 0.74, 0.44


def candidate_identity(seed: int, sex: str, nationality: str, candidate: int) -> FaceIdentity:
    """Candidate `candidate` of a face as judged (at `CANONICAL_AGE`)."""
    return make_identity(seed, sex, CANONICAL_AGE, nationality, shape_candidate=candidate)


def reshaped_model(model: SubjectModel, identity: FaceIdentity) -> SubjectModel:
    """`model` with `identity`'s shape: everything else (texture, parts worn) is shared, so
    `identity` must differ from `model.identity` in shape only."""
    mesh = head_mesh()
    base = mesh.vertices.astype(np.float64)
    weight = mesh.head_weight.astype(np.float64)
    rest = base + shape_displacement(base, identity.shape, identity.bump_seed) * weight[:, None]
    rest *= identity.scale
    face_mask = (mesh.vertex_part == Part.FACE).astype(np.float64)
    return replace(
        model,
        identity=identity,
        rest=rest,
        specular=_specular(rest, mesh.vertex_part, identity),
        occlusion=_occlusion(rest, model.triangles, mesh.vertex_part, identity.headwear),
        bases=expression_bases(rest, face_mask, weight),
        eyes=_eyes(rest, identity),
        glasses=glasses_model(rest, identity.glasses),
        carriage=_carriage(rest),
    )


def frontal_portrait(model: SubjectModel) -> Image:
    """A plain frontal portrait framed like the card's, cheaply: no supersampling and no
    photographer's pose correction (the model's carriage already holds the head level)."""
    px_per_mm = _HEAD_SHARE * _PORTRAIT_H / (_HEAD_HEIGHT_MM * model.identity.scale)
    view = CameraView(
        _PORTRAIT_W,
        _PORTRAIT_H,
        px_per_mm * _DISTANCE_MM,
        (_PORTRAIT_W / 2, _EYES_FROM_TOP * _PORTRAIT_H),
    )
    frame = backdrop_image(Backdrop.PLAIN, _PORTRAIT_W, _PORTRAIT_H).copy()
    draw_subject(frame, model, SubjectPose(distance_mm=_DISTANCE_MM), EVEN_LIGHT, view, NEUTRAL)
    return expose(frame, SensorSettings(blur_sigma_px=0.0, noise_sigma=1.0, seed=0), 0)


class CandidateJudge:
    """Renders and embeds candidates with the production embedder; not thread-safe (dlib's
    network is not re-entrant), so `chosen_candidate` shares one behind a lock."""

    def __init__(self) -> None:
        self.embedder = FaceEmbedder()
        self.landmarker = FaceLandmarker(LandmarkMode.STILL, max_faces=1)

    def template(self, image: Image) -> Template | None:
        faces = self.landmarker.detect(image)
        if len(faces) != 1:
            return None
        return self.embedder.embed(image, faces[0]).vector

    def candidate_templates(
        self, seed: int, sex: str, nationality: str, candidates: int
    ) -> list[Template | None]:
        """Template of each candidate's frontal portrait (None where no face was found)."""
        first = candidate_identity(seed, sex, nationality, 0)
        built = subject_model(first)
        templates = []
        for number in range(candidates):
            identity = first if number == 0 else candidate_identity(seed, sex, nationality, number)
            model = built if number == 0 else reshaped_model(built, identity)
            templates.append(self.template(frontal_portrait(model)))
        return templates


@cache
def load_anchors(path: Path = ANCHORS_PATH) -> npt.NDArray[np.float32]:
    """(M, 128) anchor templates of the raw generator (see `make_identity_anchors.py`)."""
    with np.load(path) as data:
        anchors: npt.NDArray[np.float32] = data["anchors"].astype(np.float32)
    anchors.setflags(write=False)
    return anchors


@cache
def anchors_digest(path: Path = ANCHORS_PATH) -> str:
    """Names the anchors in cache keys: new anchors, new choices."""
    return hashlib.sha256(load_anchors(path).tobytes()).hexdigest()[:16]


def distinctiveness(template: Template, anchors: npt.NDArray[np.float32]) -> float:
    """Distance from the template to the nearest anchor."""
    return float(np.min(np.linalg.norm(anchors - template[None, :], axis=1)))


def choose(templates: list[Template | None], anchors: npt.NDArray[np.float32]) -> int:
    """Index of the candidate farthest from its nearest anchor; the raw draw (0) if the matcher
    found no face in any. Ties go to the lower index."""
    scores = [-np.inf if t is None else distinctiveness(t, anchors) for t in templates]
    if not templates or all(np.isneginf(scores)):
        return 0
    return int(np.argmax(scores))


_judge_lock = threading.Lock()


@cache
def _judge() -> CandidateJudge:
    return CandidateJudge()


def chosen_candidate(
    seed: int, sex: str, nationality: str, candidates: int, *, cache_dir: Path | None = None
) -> int:
    """Which of `candidates` shape candidates the face of (seed, sex, nationality) takes.
    Remembered in memory and, with `cache_dir`, in its `identity-selection.json` (the choice
    only: a few bytes per person of synthetic faces, no image or template)."""
    if candidates <= 1:
        return 0
    key = f"{seed}:{sex}:{nationality}:{candidates}:{anchors_digest()}"
    if cache_dir is not None:
        remembered = _read_cache(cache_dir).get(key)
        if isinstance(remembered, int) and 0 <= remembered < candidates:
            return remembered
    choice = _chosen_in_memory(seed, sex, nationality, candidates)
    if cache_dir is not None:
        _remember(cache_dir, key, choice)
    return choice


@lru_cache(maxsize=4096)
def _chosen_in_memory(seed: int, sex: str, nationality: str, candidates: int) -> int:
    with _judge_lock:
        templates = _judge().candidate_templates(seed, sex, nationality, candidates)
    return choose(templates, load_anchors())


def _read_cache(cache_dir: Path) -> dict[str, object]:
    try:
        loaded = json.loads((cache_dir / CACHE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}  # absent or damaged: choose again and rewrite
    return loaded if isinstance(loaded, dict) else {}


def _remember(cache_dir: Path, key: str, choice: int) -> None:
    cache_dir.mkdir(parents=True, exist_ok=True)
    entries = _read_cache(cache_dir)
    entries[key] = choice
    # Written whole and renamed into place, so a reader never sees half a file.
    handle, temporary = tempfile.mkstemp(dir=cache_dir, prefix=".identity-selection-")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(entries, out, sort_keys=True)
        Path(temporary).replace(cache_dir / CACHE_FILE)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
