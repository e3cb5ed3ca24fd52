"""Makes `simulator/assets/identity_anchors.npz`: where the raw face generator's faces land in
dlib's template space, for `identity_selection` to choose each face away from.

Run once, after a change to the generator or the matcher: `python -m
simulator.subject.make_identity_anchors [--persons N] [--seed S] [--anchors M]`. Deterministic:
the faces are the raw draws (candidate 0, at `CANONICAL_AGE`) of the first N adults of our own
generated population of seed S (not the population the benchmark measures), rendered and
embedded with the production matcher; the anchors are their mean template, or with M > 1 the
centres of M clusters (k-means++ from a fixed seed). Nothing from outside the project.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import numpy.typing as npt
from scipy.cluster.vq import kmeans2  # type: ignore[import-untyped]

from fixtures.population.generate import build_population
from fixtures.population.reference import REFERENCE_DATE
from matcher.face import MODEL_NAME
from simulator.subject.identity import age_on
from simulator.subject.identity_selection import ANCHORS_PATH, CANONICAL_AGE, CandidateJudge
from simulator.subject.subject_model import subject_model

ANCHOR_POPULATION_SEED = 1337
ANCHOR_PERSONS = 100


def raw_templates(population_seed: int, persons: int) -> npt.NDArray[np.float32]:
    """(n, 128) templates of the raw draws of the first `persons` adults on the population's
    reference date (faces the matcher could not read are left out)."""
    judge = CandidateJudge()
    population = build_population(population_seed, max(4 * persons, 50))
    adults = [p for p in population.persons if age_on(p.birth_date, REFERENCE_DATE) >= 18.0]
    found = []
    for person in adults[:persons]:
        template = judge.candidate_templates(person.face_seed, person.sex, person.nationality, 1)
        if template[0] is not None:
            found.append(template[0])
        subject_model.cache_clear()  # 14 MB each
    return np.array(found, dtype=np.float32)


def anchors_from(templates: npt.NDArray[np.float32], count: int) -> npt.NDArray[np.float32]:
    """The mean template (count 1) or `count` k-means centres, rows in a fixed order."""
    if count <= 1:
        mean: npt.NDArray[np.float32] = templates.mean(axis=0, keepdims=True).astype(np.float32)
        return mean
    centres, _ = kmeans2(
        templates.astype(np.float64), count, minit="++", seed=np.random.default_rng(0)
    )
    ordered = np.asarray(centres, dtype=np.float32)
    result: npt.NDArray[np.float32] = ordered[np.lexsort(ordered.T[::-1])]
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m simulator.subject.make_identity_anchors")
    parser.add_argument("--seed", type=int, default=ANCHOR_POPULATION_SEED)
    parser.add_argument("--persons", type=int, default=ANCHOR_PERSONS)
    parser.add_argument("--anchors", type=int, default=1)
    parser.add_argument("--out", type=Path, default=ANCHORS_PATH)
    args = parser.parse_args(argv)
    templates = raw_templates(args.seed, args.persons)
    anchors = anchors_from(templates, args.anchors)
    np.savez_compressed(
        args.out,
        anchors=anchors,
        model=np.array(MODEL_NAME),
        population_seed=np.array(args.seed),
        faces=np.array(len(templates)),
        canonical_age=np.array(CANONICAL_AGE),
    )
    print(f"{len(anchors)} anchors from {len(templates)} faces -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
