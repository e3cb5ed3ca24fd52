"""A person's face as numbers, drawn from their face seed with priors from sex, age and
nationality: the shape scores, skin, hair, facial hair, eyes, glasses, headwear and clothing.

Same seed and demographics, same identity, on every machine. Nothing here draws pixels.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from pathlib import Path

import cv2
import numpy as np
import numpy.typing as npt

from fixtures.records import Person
from simulator.subject.face_shape import SHAPE_AXES, distinctive_scores, sex_and_age_offsets
from simulator.subject.seeding import Stream, random_stream

BgrColour = tuple[float, float, float]  # 0-255 floats


class Headwear(StrEnum):
    NONE = "none"
    GHUTRA = "ghutra"  # white
    SHEMAGH = "shemagh"  # red and white check
    HIJAB = "hijab"
    CAP = "cap"  # taqiyah / kufi


class HairStyle(StrEnum):
    SHORT = "short"
    SHAVED = "shaved"
    RECEDING = "receding"
    LONG = "long"


class FacialHair(StrEnum):
    NONE = "none"
    STUBBLE = "stubble"
    MOUSTACHE = "moustache"
    GOATEE = "goatee"  # moustache and chin beard
    FULL_BEARD = "full_beard"


class GlassesShape(StrEnum):
    RECTANGULAR = "rectangular"
    ROUND = "round"
    OVAL = "oval"


class Clothing(StrEnum):
    THOBE = "thobe"  # white, high collar
    SHIRT = "shirt"
    ABAYA = "abaya"  # black


@dataclass(frozen=True)
class Glasses:
    shape: GlassesShape
    lens_width_mm: float
    lens_height_mm: float
    frame_colour: BgrColour
    frame_thickness_mm: float


@dataclass(frozen=True)
class FaceIdentity:
    """Everything that makes one simulated face, independent of pose, light and camera."""

    seed: int
    sex: str  # "male" | "female"
    age: float  # years
    nationality: str  # ISO 3166-1 alpha-3
    shape: tuple[float, ...]  # one standard score per SHAPE_AXES entry, demographics included
    bump_seed: int  # seeds the identity's own small, smooth irregularities of shape
    scale: float  # overall head size relative to the base mesh
    skin: BgrColour
    skin_redness: float  # 0-1, flushed cheeks, nose and lips
    skin_roughness: float  # 0-1, amplitude of pores and mottling
    lip_colour: BgrColour
    eye_colour: BgrColour
    brow_colour: BgrColour
    brow_thickness: float  # mm at the thickest
    brow_arch: float  # mm the middle rises above the ends
    brow_lift: float  # mm above the base position
    brow_density: float  # 0-1
    hair_style: HairStyle
    hair_colour: BgrColour
    hairline_mm: float  # height of the hairline above the nasion
    facial_hair: FacialHair
    facial_hair_density: float  # 0-1
    facial_hair_colour: BgrColour
    glasses: Glasses | None
    headwear: Headwear
    headwear_colour: BgrColour
    clothing: Clothing
    clothing_colour: BgrColour
    wrinkles: float  # 0-1, from age
    moles: tuple[tuple[float, float, float], ...]  # (u mm, v mm, radius mm) on the head map
    eyeliner: float  # 0 none, 1 a thick line of kohl round the eyes
    under_eye_shadow: float  # 0-1, darker skin under the eyes
    lid_crease: float = 0.0  # 0 hooded (no visible crease) to 1 a deep, well-marked crease
    lid_crease_mm: float = 6.0  # height of the crease above the lid margin
    nasolabial_fold: float = 0.0  # 0-1, depth of the fold from the nose wing to the mouth
    brow_tail: float = 0.0  # mm the outer end of the brow sits lower (+) or higher (-)

    def shape_score(self, axis: str) -> float:
        return self.shape[SHAPE_AXES.index(axis)]


# Skin in CIELAB (L* range, a* range, b* range) by where people come from (typical
# colorimetric ranges for these populations; the seed picks within them).
_SKIN_LAB: dict[str, tuple[tuple[float, float], tuple[float, float], tuple[float, float]]] = {
    "arab": ((48.0, 72.0), (9.0, 16.0), (15.0, 24.0)),
    "south_asian": ((36.0, 62.0), (10.0, 16.0), (15.0, 24.0)),
    "southeast_asian": ((52.0, 70.0), (8.0, 13.0), (18.0, 26.0)),
    "east_african": ((25.0, 46.0), (8.0, 14.0), (10.0, 20.0)),
    "mixed": ((30.0, 78.0), (7.0, 16.0), (10.0, 24.0)),
}
_REGION = {
    "SAU": "arab",
    "YEM": "arab",
    "JOR": "arab",
    "SYR": "arab",
    "EGY": "arab",
    "IND": "south_asian",
    "PAK": "south_asian",
    "BGD": "south_asian",
    "NPL": "south_asian",
    "LKA": "south_asian",
    "PHL": "southeast_asian",
    "IDN": "southeast_asian",
    "SDN": "east_african",
    "ETH": "east_african",
    "KEN": "east_african",
    "USA": "mixed",
}
# Share of women who wear a hijab, by nationality (rough, for variety only).
_HIJAB_SHARE = {
    "SAU": 0.9,
    "YEM": 0.9,
    "SDN": 0.8,
    "EGY": 0.75,
    "JOR": 0.7,
    "SYR": 0.7,
    "PAK": 0.7,
    "BGD": 0.65,
    "IDN": 0.7,
    "IND": 0.25,
    "ETH": 0.3,
    "KEN": 0.2,
}
_CAP_SHARE = {"PAK": 0.2, "BGD": 0.2, "IND": 0.1, "YEM": 0.15, "SDN": 0.15, "EGY": 0.05}
_HIJAB_COLOURS: tuple[BgrColour, ...] = (
    (25.0, 22.0, 22.0),
    (25.0, 22.0, 22.0),
    (25.0, 22.0, 22.0),
    (70.0, 50.0, 40.0),
    (110.0, 90.0, 150.0),
    (150.0, 120.0, 90.0),
    (90.0, 110.0, 130.0),
    (60.0, 40.0, 110.0),
    (180.0, 175.0, 170.0),
    (80.0, 100.0, 60.0),
)
_SHIRT_COLOURS: tuple[BgrColour, ...] = (
    (200.0, 160.0, 120.0),
    (230.0, 230.0, 230.0),
    (60.0, 60.0, 60.0),
    (140.0, 90.0, 40.0),
    (90.0, 120.0, 150.0),
    (60.0, 90.0, 60.0),
    (150.0, 150.0, 160.0),
    (50.0, 50.0, 120.0),
)
_GLASSES_FRAMES: tuple[BgrColour, ...] = (
    (20.0, 20.0, 20.0),
    (30.0, 45.0, 70.0),
    (150.0, 150.0, 150.0),
    (60.0, 140.0, 180.0),
    (40.0, 30.0, 30.0),
)


# Shape candidates drawn per face, of which the most distinctive by
# `face_shape.distinctiveness` is kept (1: no selection, the raw generator). Shipped at 1: with
# 4, on top of the 1.4x wider axes, too many faces came out as caricatures (squashed faces,
# slit eyes, skin through the hijab); the option stays for measuring (benchmarks.bench_camera).
SHAPE_CANDIDATES = 1


def age_on(birth_date: date, day: date) -> float:
    """Age in years (fractional) on `day`."""
    return (day - birth_date).days / 365.2425


# Shape candidates per population face, of which `identity_selection` keeps the one whose
# dlib template lies farthest from the generator's committed anchors (1: the raw generator).
# Only faces of population records are chosen so; `make_identity` alone stays raw.
# Off by default: choosing costs 3-10 s per person in every process that shows them (card,
# camera, portal), which the rehearsal and the tests cannot afford, and even 4 candidates
# leave 8.9% false matches (docs/simulated-subject.md). Benchmarks measure it with 4.
SELECTED_CANDIDATES = 1
BENCHMARKED_CANDIDATES = 4


def identity_for_person(
    person: Person,
    on: date,
    *,
    candidates: int | None = None,
    selection_cache: Path | None = None,
) -> FaceIdentity:
    """The face of a population record as it looks on `on` (age cues follow the date). The
    shape is the one chosen among `candidates` (default `SELECTED_CANDIDATES`) by the real
    matcher's template, once per face seed, sex and nationality, so every age of the person
    keeps it; `selection_cache` is a directory where that choice is remembered."""
    wanted = SELECTED_CANDIDATES if candidates is None else candidates
    choice = 0
    if wanted > 1:
        # Imported here: the selection renders faces, and the renderer imports this module.
        from simulator.subject.identity_selection import chosen_candidate

        choice = chosen_candidate(
            person.face_seed, person.sex, person.nationality, wanted, cache_dir=selection_cache
        )
    return make_identity(
        person.face_seed,
        person.sex,
        age_on(person.birth_date, on),
        person.nationality,
        shape_candidate=choice,
    )


def candidate_shape_scores(seed: int, candidate: int) -> npt.NDArray[np.float64]:
    """Shape scores of candidate `candidate` (>= 1) of a seed, from a sub-stream of its own so
    that the raw draw (candidate 0), the scale and every other trait stay as they were."""
    rng = random_stream(seed, Stream.SHAPE, candidate)
    scores: npt.NDArray[np.float64] = np.clip(rng.standard_normal(len(SHAPE_AXES)), -2.5, 2.5)
    return scores


def lab_to_bgr(lab: tuple[float, float, float]) -> BgrColour:
    pixel = np.array([[lab]], dtype=np.float32)
    bgr = cv2.cvtColor(pixel, cv2.COLOR_Lab2BGR)[0, 0] * 255.0
    return (float(bgr[0]), float(bgr[1]), float(bgr[2]))


def _mix(a: BgrColour, b: BgrColour, share: float) -> BgrColour:
    return (
        a[0] + (b[0] - a[0]) * share,
        a[1] + (b[1] - a[1]) * share,
        a[2] + (b[2] - a[2]) * share,
    )


def make_identity(
    seed: int,
    sex: str,
    age: float,
    nationality: str,
    *,
    shape_candidates: int = SHAPE_CANDIDATES,
    shape_candidate: int = 0,
) -> FaceIdentity:
    """Draw an identity. Every trait has its own random stream, so adding a trait later never
    changes the others. `shape_candidates=1` gives the raw generator, without choosing the most
    distinctive of several shapes; `shape_candidate=j` takes the shape of candidate j of the
    seed instead (`candidate_shape_scores`), as `identity_for_person` does once it has chosen."""
    if shape_candidates < 1:
        raise ValueError(f"shape_candidates must be at least 1, got {shape_candidates}")
    male = sex == "male"
    region = _REGION.get(nationality, "mixed")
    adult = age >= 16.0

    shape_rng = random_stream(seed, Stream.SHAPE)
    scores = distinctive_scores(shape_rng, shape_candidates)
    if shape_candidate < 0:
        raise ValueError(f"shape_candidate must not be negative, got {shape_candidate}")
    if shape_candidate > 0:  # chosen by `identity_selection`; 0 is the raw draw
        scores = candidate_shape_scores(seed, shape_candidate)
    offsets = sex_and_age_offsets(male, age)
    shape = tuple(float(s + o) for s, o in zip(scores, offsets, strict=True))
    bump_seed = int(random_stream(seed, Stream.SHAPE_BUMPS).integers(0, 2**31))
    growth = min(1.0, 0.8 + 0.2 * max(age, 4.0) / 16.0)
    scale = growth * (1.03 if male else 0.96) * float(1.0 + 0.025 * shape_rng.standard_normal())

    skin_rng = random_stream(seed, Stream.SKIN)
    l_range, a_range, b_range = _SKIN_LAB[region]
    lab = (
        float(skin_rng.uniform(*l_range)),
        float(skin_rng.uniform(*a_range)),
        float(skin_rng.uniform(*b_range)),
    )
    skin = lab_to_bgr(lab)
    lip_lab = (lab[0] * 0.82, lab[1] + 10.0 + 4.0 * float(skin_rng.random()), lab[2] * 0.7)
    lip_colour = lab_to_bgr(lip_lab)
    if not male and adult and skin_rng.random() < 0.35:  # lipstick
        shade = float(skin_rng.uniform(0.3, 0.7))
        lip_colour = _mix(lip_colour, (60.0, 40.0, 150.0), shade)
    skin_redness = float(skin_rng.uniform(0.1, 0.6))
    skin_roughness = float(np.clip(0.3 + 0.2 * skin_rng.standard_normal() + age / 150.0, 0.1, 1))

    hair_rng = random_stream(seed, Stream.HAIR)
    dark = float(hair_rng.uniform(0.0, 1.0))
    hair_colour: BgrColour = (12.0 + 25 * dark, 14.0 + 30 * dark, 18.0 + 45 * dark)
    if region in ("mixed", "southeast_asian") and hair_rng.random() < 0.2:
        hair_colour = (30.0, 60.0, 100.0)  # brown
    grey = float(np.clip((age - 35.0) / 35.0 + 0.15 * hair_rng.standard_normal(), 0.0, 0.9))
    hair_colour = _mix(hair_colour, (175.0, 178.0, 182.0), grey)
    if male:
        receding = adult and hair_rng.random() < min(0.6, max(0.0, (age - 25.0) / 50.0))
        hair_style = HairStyle.RECEDING if receding else HairStyle.SHORT
        if hair_rng.random() < 0.08:
            hair_style = HairStyle.SHAVED
    else:
        hair_style = HairStyle.LONG
    hairline = float(hair_rng.uniform(50.0, 64.0)) + (
        8.0 if hair_style is HairStyle.RECEDING else 0
    )
    brow_colour = _mix(hair_colour, (10.0, 10.0, 12.0), 0.3)
    brow_thickness = float(hair_rng.uniform(4.5, 11.0) if male else hair_rng.uniform(3.0, 6.5))
    brow_arch = float(hair_rng.uniform(0.0, 3.5) if male else hair_rng.uniform(2.0, 6.0))
    brow_lift = float(hair_rng.uniform(-3.0, 3.5))
    brow_density = float(hair_rng.uniform(0.55, 1.0))

    beard_rng = random_stream(seed, Stream.FACIAL_HAIR)
    facial_hair = FacialHair.NONE
    if male and age >= 17.0:
        styles = [
            FacialHair.NONE,
            FacialHair.STUBBLE,
            FacialHair.MOUSTACHE,
            FacialHair.GOATEE,
            FacialHair.FULL_BEARD,
        ]
        weights = [0.1, 0.15, 0.15, 0.3, 0.3] if region == "arab" else [0.3, 0.2, 0.2, 0.1, 0.2]
        facial_hair = styles[int(beard_rng.choice(len(styles), p=weights))]
    facial_hair_density = float(beard_rng.uniform(0.55, 1.0))
    beard_grey = float(np.clip(grey + 0.1 * beard_rng.standard_normal(), 0, 0.95))
    facial_hair_colour = _mix((14.0, 16.0, 20.0), (180.0, 182.0, 186.0), beard_grey)

    eye_rng = random_stream(seed, Stream.EYES)
    eye_colour: BgrColour = (20.0, 40.0, 70.0)  # dark brown
    pick = float(eye_rng.random())
    if pick < 0.35:
        eye_colour = (30.0, 60.0, 100.0)  # brown
    elif region in ("arab", "mixed") and pick > 0.9:
        eye_colour = (70.0, 110.0, 100.0)  # hazel / green
    elif region == "mixed" and pick > 0.8:
        eye_colour = (140.0, 110.0, 80.0)  # blue-grey

    glasses_rng = random_stream(seed, Stream.GLASSES)
    glasses = None
    if adult and glasses_rng.random() < 0.15 + 0.25 * max(0.0, (age - 40.0) / 40.0):
        glasses = Glasses(
            shape=[GlassesShape.RECTANGULAR, GlassesShape.ROUND, GlassesShape.OVAL][
                int(glasses_rng.integers(3))
            ],
            lens_width_mm=float(glasses_rng.uniform(46.0, 56.0)),
            lens_height_mm=float(glasses_rng.uniform(30.0, 42.0)),
            frame_colour=_GLASSES_FRAMES[int(glasses_rng.integers(len(_GLASSES_FRAMES)))],
            frame_thickness_mm=float(glasses_rng.uniform(1.2, 3.5)),
        )

    wear_rng = random_stream(seed, Stream.HEADWEAR)
    headwear = Headwear.NONE
    headwear_colour: BgrColour = (235.0, 238.0, 240.0)
    draw = float(wear_rng.random())
    if male and nationality == "SAU" and age >= 12.0:
        if draw < 0.35:
            headwear = Headwear.GHUTRA
        elif draw < 0.7:
            headwear = Headwear.SHEMAGH
        elif draw < 0.78:
            headwear = Headwear.CAP
    elif male and draw < _CAP_SHARE.get(nationality, 0.0):
        headwear = Headwear.CAP
    elif not male and age >= 12.0 and draw < _HIJAB_SHARE.get(nationality, 0.1):
        headwear = Headwear.HIJAB
        headwear_colour = _HIJAB_COLOURS[int(wear_rng.integers(len(_HIJAB_COLOURS)))]

    clothes_rng = random_stream(seed, Stream.CLOTHING)
    if male and (nationality == "SAU" or clothes_rng.random() < 0.1):
        clothing, clothing_colour = Clothing.THOBE, (236.0, 238.0, 240.0)
    elif not male and (nationality == "SAU" or headwear is Headwear.HIJAB):
        clothing, clothing_colour = Clothing.ABAYA, (22.0, 20.0, 20.0)
    else:
        clothing = Clothing.SHIRT
        clothing_colour = _SHIRT_COLOURS[int(clothes_rng.integers(len(_SHIRT_COLOURS)))]

    marks_rng = random_stream(seed, Stream.MARKS)
    moles = tuple(
        (
            float(marks_rng.uniform(-60.0, 60.0)),
            float(marks_rng.uniform(-30.0, 105.0)),
            float(marks_rng.uniform(0.6, 1.6)),
        )
        for _ in range(int(marks_rng.integers(0, 5)))
    )
    wrinkles = float(np.clip((age - 28.0) / 45.0, 0.0, 1.0))
    makeup = random_stream(seed, Stream.MAKEUP)
    kohl_share = 0.55 if region == "arab" else 0.3
    eyeliner = (
        float(makeup.uniform(0.3, 1.0))
        if not male and adult and makeup.random() < kohl_share
        else 0.0
    )
    under_eye_shadow = float(np.clip(makeup.uniform(0.0, 0.7) + 0.3 * wrinkles, 0.0, 1.0))

    features = random_stream(seed, Stream.FEATURES)
    east_asian_lids = 0.5 if region == "southeast_asian" else 0.0
    lid_crease = float(np.clip(features.uniform(0.0, 1.0) - east_asian_lids, 0.0, 1.0))
    lid_crease_mm = float(features.uniform(4.5, 9.0))
    nasolabial_fold = float(np.clip(features.uniform(0.0, 0.6) + 0.5 * wrinkles, 0.0, 1.0))
    brow_tail = float(features.uniform(-2.0, 3.0))

    return FaceIdentity(
        seed=seed,
        sex=sex,
        age=age,
        nationality=nationality,
        shape=shape,
        bump_seed=bump_seed,
        scale=scale,
        skin=skin,
        skin_redness=skin_redness,
        skin_roughness=skin_roughness,
        lip_colour=lip_colour,
        eye_colour=eye_colour,
        brow_colour=brow_colour,
        brow_thickness=brow_thickness,
        brow_arch=brow_arch,
        brow_lift=brow_lift,
        brow_density=brow_density,
        hair_style=hair_style,
        hair_colour=hair_colour,
        hairline_mm=hairline,
        facial_hair=facial_hair,
        facial_hair_density=facial_hair_density,
        facial_hair_colour=facial_hair_colour,
        glasses=glasses,
        headwear=headwear,
        headwear_colour=headwear_colour,
        clothing=clothing,
        clothing_colour=clothing_colour,
        wrinkles=wrinkles,
        moles=moles,
        eyeliner=eyeliner,
        under_eye_shadow=under_eye_shadow,
        lid_crease=lid_crease,
        lid_crease_mm=lid_crease_mm,
        nasolabial_fold=nasolabial_fold,
        brow_tail=brow_tail,
    )
