"""Paints an identity's texture atlas: skin with its tone, mottling, pores and flush; lips,
brows, lashes, hair and beard; wrinkles and moles; ears, neck, clothing and headwear cloth.

Everything is drawn procedurally from the identity's seed (no photographs). Colours are BGR.
"""

from __future__ import annotations

from collections.abc import Sequence

import cv2
import numpy as np
import numpy.typing as npt

from simulator.subject import face_regions as fr
from simulator.subject.head_mesh import head_mesh
from simulator.subject.identity import (
    BgrColour,
    Clothing,
    FaceIdentity,
    FacialHair,
    HairStyle,
    Headwear,
)
from simulator.subject.seeding import Stream, random_stream
from simulator.subject.texture_atlas import (
    AGAL,
    ATLAS_SIZE,
    CLOTH,
    EARS,
    HEAD,
    NECK,
    TORSO,
    AtlasRegion,
)

Image = npt.NDArray[np.float32]  # (h, w, 3) BGR 0-255
Mask = npt.NDArray[np.float32]  # (h, w) 0-1
Points = npt.NDArray[np.float64]


class HeadCanvas:
    """The head map region as a float image, with drawing in surface millimetres."""

    def __init__(self, region: AtlasRegion, colour: BgrColour) -> None:
        self.region = region
        width, height = region.size
        self.image: Image = np.empty((height, width, 3), np.float32)
        self.image[:] = colour
        self.shape = (height, width)

    def px(self, points_mm: Points) -> npt.NDArray[np.float64]:
        low = np.array(self.region.low)
        pixels: npt.NDArray[np.float64] = (np.asarray(points_mm) - low) * self.region.scale
        return pixels

    def polygon_mask(self, points_mm: Points, feather_mm: float = 0.0) -> Mask:
        mask = np.zeros(self.shape, np.float32)
        pts = np.round(self.px(points_mm) * 16).astype(np.int32)
        cv2.fillPoly(mask, [pts], (1.0,), cv2.LINE_AA, 4)
        return self.feather(mask, feather_mm)

    def feather(self, mask: Mask, feather_mm: float) -> Mask:
        if feather_mm <= 0:
            return mask
        sigma = feather_mm * self.region.scale
        blurred: Mask = np.asarray(cv2.GaussianBlur(mask, (0, 0), sigma), np.float32)
        return blurred

    def blend(self, mask: Mask, colour: BgrColour | Image, strength: float = 1.0) -> None:
        area = _extent(mask)
        if area is None:
            return
        alpha = np.clip(mask[area] * strength, 0.0, 1.0)[..., None]
        paint = np.asarray(colour, np.float32)
        if paint.ndim == 3:
            paint = paint[area]
        self.image[area] *= 1.0 - alpha
        self.image[area] += alpha * paint

    def multiply(self, mask: Mask, factor: float | BgrColour) -> None:
        """Scale colours by `factor` where `mask` is 1 (and proportionally between)."""
        area = _extent(mask)
        if area is None:
            return
        factor_array = np.asarray(factor, np.float32)
        self.image[area] *= 1.0 + mask[area][..., None] * (factor_array - 1.0)

    def gaussian_mask(self, center_mm: Sequence[float], sigma_mm: tuple[float, float]) -> Mask:
        height, width = self.shape
        cx, cy = self.px(np.array(center_mm))
        sx, sy = sigma_mm[0] * self.region.scale, sigma_mm[1] * self.region.scale
        xs = (np.arange(width, dtype=np.float32) - cx) / sx
        ys = (np.arange(height, dtype=np.float32) - cy) / sy
        mask: Mask = np.exp(-0.5 * (ys[:, None] ** 2 + xs[None, :] ** 2)).astype(np.float32)
        return mask


def _extent(mask: Mask) -> tuple[slice, slice] | None:
    """The rows and columns where `mask` is not zero: most features (lips, brows, moles) cover
    a small part of the head, and outside them blending changes nothing, bit for bit."""
    rows = np.flatnonzero(mask.any(axis=1))
    if rows.size == 0:
        return None
    cols = np.flatnonzero(mask[rows[0] : rows[-1] + 1].any(axis=0))
    return slice(int(rows[0]), int(rows[-1]) + 1), slice(int(cols[0]), int(cols[-1]) + 1)


def smooth_noise(
    rng: np.random.Generator, shape: tuple[int, int], cell_px: float
) -> npt.NDArray[np.float32]:
    """Noise of about unit spread that varies over `cell_px` pixels (bicubic upsampling)."""
    height, width = shape
    coarse = rng.standard_normal(
        (max(2, int(height / cell_px) + 2), max(2, int(width / cell_px) + 2))
    ).astype(np.float32)
    noise = np.asarray(
        cv2.resize(coarse, (width, height), interpolation=cv2.INTER_CUBIC), np.float32
    )
    return noise


def strand_noise(
    rng: np.random.Generator, shape: tuple[int, int], along_px: float, vertical: bool = True
) -> npt.NDArray[np.float32]:
    """Hair-like streaks: fine noise smeared along one direction."""
    noise = rng.standard_normal(shape).astype(np.float32)
    size = (1, int(along_px) | 1) if not vertical else (int(along_px) | 1, 1)
    kernel = np.ones(size, np.float32) / max(size)
    streaks = np.asarray(cv2.filter2D(noise, -1, kernel), np.float32)
    scaled: npt.NDArray[np.float32] = streaks / max(float(streaks.std()), 1e-6)
    return scaled


def _uv(indices: Sequence[int]) -> Points:
    surface: Points = head_mesh().surface_mm[list(indices)].astype(np.float64)
    return surface


def _darker(colour: BgrColour, factor: float) -> BgrColour:
    return (colour[0] * factor, colour[1] * factor, colour[2] * factor)


def paint_skin(canvas: HeadCanvas, identity: FaceIdentity) -> None:
    rng = random_stream(identity.seed, Stream.SKIN_TEXTURE)
    shape = canvas.shape
    rough = identity.skin_roughness
    mottling = smooth_noise(rng, shape, 24.0 * canvas.region.scale)
    hue = smooth_noise(rng, shape, 15.0 * canvas.region.scale)
    pores = cv2.GaussianBlur(rng.standard_normal(shape).astype(np.float32), (0, 0), 0.8)
    light = 1.0 + 0.03 * mottling + (0.012 + 0.03 * rough) * pores
    canvas.image *= light[..., None]
    # Warmer and cooler patches.
    canvas.image += (hue * 3.0)[..., None] * np.array([-1.0, 0.0, 1.0], np.float32)
    flush = identity.skin_redness
    redden = (1.0 - 0.06 * flush, 1.0 - 0.08 * flush, 1.0 + 0.06 * flush)
    for cheek in (fr.RIGHT_CHEEKBONE, fr.LEFT_CHEEKBONE):
        center = _uv([cheek])[0] * np.array([0.75, 1.0]) + np.array([0.0, 10.0])
        canvas.multiply(canvas.gaussian_mask(center, (14.0, 12.0)), redden)
    canvas.multiply(canvas.gaussian_mask(_uv([fr.NOSE_TIP])[0], (7.0, 6.0)), redden)
    # Darker skin around the eyes: the lid crease above, a shadow below that varies by person.
    shadow = 1.0 - 0.08 - 0.14 * identity.under_eye_shadow
    for eye in (fr.RIGHT_EYE_OPENING, fr.LEFT_EYE_OPENING):
        center = _uv(eye).mean(axis=0)
        canvas.multiply(canvas.gaussian_mask(center + np.array([0.0, 5.0]), (15.0, 5.0)), shadow)
        canvas.multiply(canvas.gaussian_mask(center + np.array([0.0, -5.0]), (14.0, 4.0)), 0.94)


def paint_lips(canvas: HeadCanvas, identity: FaceIdentity) -> None:
    outline = _uv(fr.LIPS_OUTLINE)
    mask = canvas.polygon_mask(outline, 0.5)
    rng = random_stream(identity.seed, Stream.SKIN_TEXTURE, 1)
    creases = strand_noise(rng, canvas.shape, 3.0 * canvas.region.scale, vertical=True)
    colour = np.empty(canvas.image.shape, np.float32)
    colour[:] = identity.lip_colour
    colour *= (1.0 + 0.05 * creases)[..., None]
    canvas.blend(mask, colour, 0.9)
    # The line where the lips meet.
    line = np.zeros(canvas.shape, np.float32)
    seam = np.round(canvas.px(_uv(fr.UPPER_LIP_INNER)) * 16).astype(np.int32)
    cv2.polylines(line, [seam], False, (1.0,), 2, cv2.LINE_AA, 4)
    canvas.multiply(canvas.feather(line, 0.4), 0.55)


def _brow_curve(identity: FaceIdentity, upper: Sequence[int], lower: Sequence[int]) -> Points:
    middle = (_uv(upper) + _uv(lower)) / 2  # outer end to inner end
    share = np.linspace(0.0, 1.0, len(middle))
    arch = identity.brow_arch * np.sin(np.pi * np.clip(share * 1.3, 0, 1)) - 1.0
    middle[:, 1] -= identity.brow_lift + arch
    middle[:, 1] += identity.brow_tail * (1.0 - share) ** 2  # the outer end comes first
    return middle


def paint_brows(canvas: HeadCanvas, identity: FaceIdentity) -> None:
    """A soft band along each brow's curve, thickest near the inner end, then hairs over it."""
    rng = random_stream(identity.seed, Stream.HAIR, 1)
    scale = canvas.region.scale
    female = identity.sex == "female"
    band = np.zeros(canvas.shape, np.float32)
    hairs = np.zeros(canvas.shape, np.float32)
    for upper, lower in (
        (fr.RIGHT_BROW_UPPER, fr.RIGHT_BROW_LOWER),
        (fr.LEFT_BROW_UPPER, fr.LEFT_BROW_LOWER),
    ):
        curve = _brow_curve(identity, upper, lower)
        samples = np.linspace(0, len(curve) - 1, 60)
        dense = np.stack(
            [np.interp(samples, np.arange(len(curve)), curve[:, k]) for k in range(2)], 1
        )
        share = np.linspace(0.0, 1.0, len(dense))  # 0 outer end, 1 inner end
        half = identity.brow_thickness / 2 * (0.35 + 0.65 * np.sin(np.pi * (0.12 + 0.7 * share)))
        tangent = np.gradient(dense, axis=0)
        tangent /= np.linalg.norm(tangent, axis=1, keepdims=True) + 1e-9
        normal = np.stack([tangent[:, 1], -tangent[:, 0]], axis=1)
        normal *= np.where(normal[:, 1:2] > 0, -1.0, 1.0)  # pointing up the forehead
        outline = np.vstack(
            [dense + normal * half[:, None], (dense - normal * half[:, None])[::-1]]
        )
        pts = np.round(canvas.px(outline) * 16).astype(np.int32)
        cv2.fillPoly(band, [pts], (1.0,), cv2.LINE_AA, 4)
        for _ in range(int(320 * identity.brow_density)):
            k = int(rng.integers(len(dense)))
            start = dense[k] + normal[k] * half[k] * float(rng.uniform(-0.9, 0.9))
            # Hairs near the inner end point up, the rest sweep outwards.
            direction = -tangent[k] * (1.0 - share[k]) * 1.2 + normal[k] * (0.25 + share[k])
            direction /= np.linalg.norm(direction)
            end = start + direction * float(rng.uniform(1.8, 3.2))
            p0 = np.round(canvas.px(start) * 16).astype(np.int32)
            p1 = np.round(canvas.px(end) * 16).astype(np.int32)
            cv2.line(
                hairs,
                tuple(p0.tolist()),
                tuple(p1.tolist()),
                (float(rng.uniform(0.4, 1.0)),),
                1,
                cv2.LINE_AA,
                4,
            )
    fill = 0.75 if female else 0.55 * identity.brow_density + 0.15
    band = canvas.feather(band, 0.7 if female else 1.0)
    mask = np.clip(band * fill + hairs * (0.45 if female else 0.8) * band, 0.0, 1.0)
    del scale
    canvas.blend(mask, identity.brow_colour, 0.95)


def paint_lashes(canvas: HeadCanvas, identity: FaceIdentity) -> None:
    line = np.zeros(canvas.shape, np.float32)
    upper_width = 3 if identity.sex == "female" else 2
    for lid in (fr.RIGHT_UPPER_LID, fr.LEFT_UPPER_LID):
        pts = np.round(canvas.px(_uv(lid)) * 16).astype(np.int32)
        cv2.polylines(line, [pts], False, (1.0,), upper_width, cv2.LINE_AA, 4)
    for lid in (fr.RIGHT_LOWER_LID, fr.LEFT_LOWER_LID):
        pts = np.round(canvas.px(_uv(lid)) * 16).astype(np.int32)
        cv2.polylines(line, [pts], False, (0.45,), 1, cv2.LINE_AA, 4)
    canvas.blend(canvas.feather(line, 0.25), (18.0, 16.0, 18.0), 0.9)
    if identity.eyeliner > 0:
        # Kohl: a dark line all round the eye, thicker and winged at the outer corner.
        kohl = np.zeros(canvas.shape, np.float32)
        width = max(2, round(2 + 4 * identity.eyeliner))
        for upper, lower in ((fr.RIGHT_UPPER_LID, fr.RIGHT_LOWER_LID),
                             (fr.LEFT_UPPER_LID, fr.LEFT_LOWER_LID)):  # fmt: skip
            ring = np.vstack([_uv(upper), _uv(lower)[::-1]])
            pts = np.round(canvas.px(ring) * 16).astype(np.int32)
            cv2.polylines(kohl, [pts], True, (1.0,), width, cv2.LINE_AA, 4)
            outer = _uv(upper[:1])[0]
            side = -1.0 if outer[0] < 0 else 1.0
            wing = np.array([outer, outer + np.array([side * 4.0 * identity.eyeliner, -2.0])])
            pts = np.round(canvas.px(wing) * 16).astype(np.int32)
            cv2.polylines(kohl, [pts], False, (1.0,), width, cv2.LINE_AA, 4)
        canvas.blend(canvas.feather(kohl, 0.3), (14.0, 12.0, 14.0), 0.95)


def hair_mask(canvas: HeadCanvas, identity: FaceIdentity) -> Mask:
    """Where scalp hair grows on the head map: above the hairline, over the ears to the nape."""
    height, width = canvas.shape
    u = np.arange(width, dtype=np.float32) / canvas.region.scale + canvas.region.low[0]
    v = np.arange(height, dtype=np.float32) / canvas.region.scale + canvas.region.low[1]
    rng = random_stream(identity.seed, Stream.HAIR, 2)
    line = -identity.hairline_mm + 4.0 * np.cos(u / 40.0) - 4.0
    au = np.abs(u)
    if identity.hair_style is HairStyle.RECEDING:
        line -= 14.0 * np.exp(-0.5 * ((au - 32.0) / 12.0) ** 2)  # the temples recede
    # Down the temples to sideburns in front of the ears, up over the ears, down to the nape.
    temple = np.clip((au - 55.0) / 25.0, 0.0, 1.0)
    line = line + temple * (12.0 - line)
    ear = np.clip((au - 95.0) / 10.0, 0.0, 1.0) * (1 - np.clip((au - 135.0) / 12.0, 0.0, 1.0))
    line = np.where(au > 95.0, line - ear * 4.0, line)
    nape = np.clip((au - 140.0) / 40.0, 0.0, 1.0)
    line = line + nape * (65.0 - line)
    jitter = smooth_noise(rng, (1, width), 4.0 * canvas.region.scale)[0] * 1.2
    mask = (v[:, None] < (line + jitter)[None, :]).astype(np.float32)
    return canvas.feather(mask, 1.2)


def paint_scalp_hair(canvas: HeadCanvas, identity: FaceIdentity) -> None:
    mask = hair_mask(canvas, identity)
    if identity.headwear is Headwear.HIJAB:
        # The underside of the jaw is under the hijab too.
        v = (
            np.arange(canvas.shape[0], dtype=np.float32) / canvas.region.scale
            + canvas.region.low[1]
        )
        under_chin = np.broadcast_to((v > 118.0)[:, None], canvas.shape).astype(np.float32)
        mask = np.maximum(mask, canvas.feather(under_chin, 2.0))
    if identity.headwear in (Headwear.HIJAB, Headwear.GHUTRA, Headwear.SHEMAGH):
        # Under the cloth: paint the scalp like the cloth, so no hair shows at its seams.
        canvas.blend(mask, identity.headwear_colour)
        return
    rng = random_stream(identity.seed, Stream.HAIR, 3)
    strands = strand_noise(rng, canvas.shape, 6.0 * canvas.region.scale)
    colour = np.empty(canvas.image.shape, np.float32)
    colour[:] = identity.hair_colour
    colour *= (1.0 + 0.18 * strands)[..., None]
    strength = 0.45 if identity.hair_style is HairStyle.SHAVED else 0.97
    canvas.blend(mask, colour, strength)
    if identity.headwear is Headwear.CAP:
        # The crown under the cap, in the cap's colour, so no hair shows between its stitches.
        height = canvas.shape[0]
        v = np.arange(height, dtype=np.float32) / canvas.region.scale + canvas.region.low[1]
        crown = np.broadcast_to((v < -56.0)[:, None], canvas.shape).astype(np.float32)
        canvas.blend(mask * crown, identity.headwear_colour)


def _beard_region(identity: FaceIdentity, canvas: HeadCanvas) -> Mask:
    """Cheeks below a line from the sideburns to the mouth, the jaw and under the chin."""
    height, width = canvas.shape
    u = np.arange(width, dtype=np.float32) / canvas.region.scale + canvas.region.low[0]
    v = np.arange(height, dtype=np.float32) / canvas.region.scale + canvas.region.low[1]
    au = np.abs(u)
    mouth_v = float(_uv([fr.MOUTH_RIGHT_CORNER])[0, 1])
    cheek_line = np.interp(
        au,
        [0.0, 30.0, 60.0, 95.0, 115.0],
        [mouth_v + 2.0, mouth_v - 12.0, mouth_v - 32.0, 12.0, 14.0],
    )
    inside = (v[:, None] > cheek_line[None, :]) & (au[None, :] < 112.0) & (v[:, None] < 145.0)
    return canvas.feather(inside.astype(np.float32), 2.5)


def paint_facial_hair(canvas: HeadCanvas, identity: FaceIdentity) -> None:
    style = identity.facial_hair
    if style is FacialHair.NONE:
        return
    rng = random_stream(identity.seed, Stream.FACIAL_HAIR, 1)
    upper_lip = _uv(fr.UPPER_LIP_OUTER)
    raised = upper_lip * np.array([0.85, 1.0]) + np.array([0.0, -11.0])
    moustache = np.vstack([upper_lip + np.array([0.0, -0.5]), raised[::-1]])
    moustache_mask = canvas.polygon_mask(moustache, 1.2)
    lower_lip = _uv(fr.LOWER_LIP_OUTER)
    chin_v = float(_uv([fr.CHIN])[0, 1])
    chin = np.vstack(
        [
            lower_lip[2:-2] + np.array([0.0, 1.5]),
            np.array([[18.0, chin_v + 12.0], [-18.0, chin_v + 12.0]]),
        ]
    )
    chin = chin[
        np.argsort(np.arctan2(chin[:, 1] - chin[:, 1].mean(), chin[:, 0] - chin[:, 0].mean()))
    ]
    chin_mask = canvas.polygon_mask(chin, 1.5)
    full = _beard_region(identity, canvas)
    lips = canvas.polygon_mask(_uv(fr.LIPS_OUTLINE), 0.3)
    if style is FacialHair.MOUSTACHE:
        region = moustache_mask
    elif style is FacialHair.GOATEE:
        region = np.maximum(moustache_mask, chin_mask)
        # A goatee joins the moustache at the mouth corners.
        for corner in (fr.MOUTH_RIGHT_CORNER, fr.MOUTH_LEFT_CORNER):
            c = _uv([corner])[0]
            region = np.maximum(region, canvas.gaussian_mask(c + np.array([0.0, 6.0]), (3.0, 7.0)))
    else:
        region = np.maximum(full, np.maximum(moustache_mask, chin_mask))
    region = region * (1.0 - lips)
    grain = rng.random(canvas.shape).astype(np.float32)
    if style is FacialHair.STUBBLE:
        coverage = (grain < 0.45 * identity.facial_hair_density).astype(np.float32)
        coverage = np.asarray(cv2.GaussianBlur(coverage, (0, 0), 0.6), np.float32)
        canvas.blend(region * coverage, identity.facial_hair_colour, 0.55)
        return
    strands = strand_noise(rng, canvas.shape, 2.5 * canvas.region.scale)
    density = np.clip(identity.facial_hair_density + 0.25 * strands, 0.0, 1.0)
    colour = np.empty(canvas.image.shape, np.float32)
    colour[:] = identity.facial_hair_colour
    colour *= (1.0 + 0.2 * strands)[..., None]
    canvas.blend(region * density, colour, 0.95)


def paint_wrinkles(canvas: HeadCanvas, identity: FaceIdentity) -> None:
    strength = identity.wrinkles
    if strength <= 0.05:
        return
    rng = random_stream(identity.seed, Stream.SKIN_TEXTURE, 2)
    lines = np.zeros(canvas.shape, np.float32)

    def stroke(points: Points, weight: float) -> None:
        pts = np.round(canvas.px(points) * 16).astype(np.int32)
        cv2.polylines(lines, [pts], False, (weight,), 2, cv2.LINE_AA, 4)

    brow_v = float(_uv([105])[0, 1])
    for k in range(int(2 + 3 * strength)):
        v = brow_v - 12.0 - 7.0 * k + float(rng.normal(0, 1.0))
        xs = np.linspace(-35.0, 35.0, 12)
        stroke(np.stack([xs, v + 2.0 * np.cos(xs / 25.0) + rng.normal(0, 0.4, 12)], 1), 0.8)
    for side, (outer, lower) in ((-1.0, (33, 145)), (1.0, (263, 374))):
        corner = _uv([outer])[0]
        for angle in (-25.0, 0.0, 25.0):
            direction = np.array([side * np.cos(np.radians(angle)), np.sin(np.radians(angle))])
            stroke(np.stack([corner + direction * 4.0, corner + direction * 12.0]), 0.7)
        under = _uv([lower])[0]
        stroke(under + np.array([[-9.0, 5.0], [0.0, 7.0], [9.0, 5.0]]), 0.5)
        ala = _uv([fr.RIGHT_ALA if side < 0 else fr.LEFT_ALA])[0]
        mouth = _uv([fr.MOUTH_RIGHT_CORNER if side < 0 else fr.MOUTH_LEFT_CORNER])[0]
        fold = np.stack(
            [
                ala + np.array([side * 3.0, -1.0]),
                (ala + mouth) / 2 + np.array([side * 8.0, 0.0]),
                mouth + np.array([side * 6.0, 8.0]),
            ]
        )
        stroke(fold, 1.0)
    canvas.multiply(canvas.feather(lines, 0.5), 1.0 - 0.22 * strength)


def paint_lid_creases_and_folds(canvas: HeadCanvas, identity: FaceIdentity) -> None:
    """The upper-lid crease (its height and depth differ a lot between people, and dlib's
    embedding looks hard at the eyes) and the nasolabial folds, which adults have at any age."""
    lines = np.zeros(canvas.shape, np.float32)
    if identity.lid_crease > 0.05:
        for lid in (fr.RIGHT_UPPER_LID, fr.LEFT_UPPER_LID):
            margin = _uv(lid)
            middle = margin.mean(axis=0)
            # The crease follows the lid, flatter, and fades out at the corners.
            crease = margin.copy()
            crease[:, 1] = middle[1] + 0.55 * (margin[:, 1] - middle[1]) - identity.lid_crease_mm
            crease[:, 0] = middle[0] + 1.05 * (margin[:, 0] - middle[0])
            pts = np.round(canvas.px(crease[1:-1]) * 16).astype(np.int32)
            cv2.polylines(lines, [pts], False, (identity.lid_crease,), 2, cv2.LINE_AA, 4)
    if identity.nasolabial_fold > 0.05:
        for side, ala_index, corner_index in (
            (-1.0, fr.RIGHT_ALA, fr.MOUTH_RIGHT_CORNER),
            (1.0, fr.LEFT_ALA, fr.MOUTH_LEFT_CORNER),
        ):
            ala, mouth = _uv([ala_index])[0], _uv([corner_index])[0]
            fold = np.stack(
                [
                    ala + np.array([side * 2.0, 0.0]),
                    (ala + mouth) / 2 + np.array([side * 7.0, 0.0]),
                    mouth + np.array([side * 5.0, 6.0]),
                ]
            )
            pts = np.round(canvas.px(fold) * 16).astype(np.int32)
            weight = 0.6 * identity.nasolabial_fold
            cv2.polylines(lines, [pts], False, (weight,), 2, cv2.LINE_AA, 4)
    if lines.any():
        darken = canvas.feather(lines, 0.6)
        canvas.image *= (1.0 - 0.3 * darken)[..., None]


def paint_moles(canvas: HeadCanvas, identity: FaceIdentity) -> None:
    mask = np.zeros(canvas.shape, np.float32)
    for u, v, radius in identity.moles:
        center = np.round(canvas.px(np.array([u, v])) * 16).astype(np.int32)
        cv2.circle(
            mask,
            tuple(center.tolist()),
            int(radius * canvas.region.scale * 16),
            (1.0,),
            -1,
            cv2.LINE_AA,
            4,
        )
    canvas.blend(canvas.feather(mask, 0.3), _darker(identity.skin, 0.45), 0.85)


def paint_head(identity: FaceIdentity) -> Image:
    canvas = HeadCanvas(HEAD, identity.skin)
    paint_skin(canvas, identity)
    paint_wrinkles(canvas, identity)
    paint_lid_creases_and_folds(canvas, identity)
    paint_moles(canvas, identity)
    paint_lips(canvas, identity)
    paint_facial_hair(canvas, identity)
    paint_lashes(canvas, identity)
    paint_brows(canvas, identity)
    paint_scalp_hair(canvas, identity)
    return canvas.image


def paint_ears(identity: FaceIdentity) -> Image:
    canvas = HeadCanvas(EARS, _darker(identity.skin, 0.95))
    bowl = canvas.gaussian_mask((0.0, 2.0), (6.0, 11.0))
    canvas.multiply(bowl, 0.7)
    rim = canvas.gaussian_mask((0.0, 0.0), (14.0, 26.0))
    canvas.multiply(1.0 - rim, (0.95, 0.93, 1.05))
    return canvas.image


def paint_neck(identity: FaceIdentity) -> Image:
    if identity.headwear is Headwear.HIJAB:
        # Covered: where the neck shows through a seam of the hijab, the hijab shows.
        return HeadCanvas(NECK, identity.headwear_colour).image
    canvas = HeadCanvas(NECK, _darker(identity.skin, 0.93))
    rng = random_stream(identity.seed, Stream.SKIN_TEXTURE, 3)
    canvas.image *= (1.0 + 0.03 * smooth_noise(rng, canvas.shape, 30.0))[..., None]
    return canvas.image


def paint_torso(identity: FaceIdentity) -> Image:
    canvas = HeadCanvas(TORSO, identity.clothing_colour)
    rng = random_stream(identity.seed, Stream.CLOTHING, 1)
    weave = cv2.GaussianBlur(rng.standard_normal(canvas.shape).astype(np.float32), (0, 0), 0.7)
    canvas.image *= (1.0 + 0.03 * weave)[..., None]
    folds = smooth_noise(rng, canvas.shape, 40.0)
    canvas.image *= (1.0 + 0.05 * folds)[..., None]
    width = canvas.shape[1]
    if identity.clothing is Clothing.THOBE:
        # A stand-up collar at the base of the neck and a buttoned placket below it.
        collar = np.zeros(canvas.shape, np.float32)
        y0 = int((150.0 - TORSO.low[1]) * TORSO.scale)
        cv2.rectangle(collar, (0, y0), (width, y0 + 12), (1.0,), -1)
        canvas.multiply(canvas.feather(collar, 1.0), 0.9)
        cx = int(-TORSO.low[0] * TORSO.scale)
        placket = np.zeros(canvas.shape, np.float32)
        cv2.line(placket, (cx - 9, y0 + 12), (cx - 9, y0 + 110), (1.0,), 1, cv2.LINE_AA)
        cv2.line(placket, (cx + 9, y0 + 12), (cx + 9, y0 + 110), (1.0,), 1, cv2.LINE_AA)
        for k in range(4):
            cv2.circle(placket, (cx, y0 + 25 + 25 * k), 3, (1.0,), -1, cv2.LINE_AA)
        canvas.multiply(placket, 0.8)
    elif identity.clothing is Clothing.SHIRT:
        cx = int(-TORSO.low[0] * TORSO.scale)
        y0 = int((150.0 - TORSO.low[1]) * TORSO.scale)
        collar = np.zeros(canvas.shape, np.float32)
        pts = np.array(
            [
                [cx - 70, y0],
                [cx, y0 + 70],
                [cx + 70, y0],
                [cx + 50, y0 - 5],
                [cx, y0 + 50],
                [cx - 50, y0 - 5],
            ],
            np.int32,
        )
        cv2.fillPoly(collar, [pts], (1.0,), cv2.LINE_AA)
        canvas.multiply(collar, 1.12)
        if rng.random() < 0.4:  # stripes
            stripes = (np.sin(np.arange(width, dtype=np.float32) / 3.0) > 0.6).astype(np.float32)
            canvas.multiply(np.broadcast_to(stripes, canvas.shape).copy(), 0.85)
    return canvas.image


def paint_cloth(identity: FaceIdentity) -> Image:
    """The one cloth an identity wears or grows: ghutra, shemagh, hijab, cap or long hair."""
    rng = random_stream(identity.seed, Stream.HEADWEAR, 1)
    wear = identity.headwear
    if wear is Headwear.NONE:
        canvas = HeadCanvas(CLOTH, identity.hair_colour)
        strands = strand_noise(rng, canvas.shape, 30.0)
        canvas.image *= (1.0 + 0.2 * strands)[..., None]
        return canvas.image
    canvas = HeadCanvas(CLOTH, identity.headwear_colour)
    weave = cv2.GaussianBlur(rng.standard_normal(canvas.shape).astype(np.float32), (0, 0), 0.6)
    canvas.image *= (1.0 + 0.04 * weave)[..., None]
    folds = strand_noise(rng, canvas.shape, 60.0)
    canvas.image *= (1.0 + 0.035 * cv2.GaussianBlur(folds, (0, 0), 3.0))[..., None]
    if wear is Headwear.SHEMAGH:
        height, width = canvas.shape
        cell = 12  # px: 6 mm checks at 2 px/mm
        ys, xs = np.mgrid[0:height, 0:width]
        # Houndstooth-like: red squares on a diagonal lattice, with a thin red line grid.
        diamonds = (
            (((xs // cell) + (ys // cell)) % 2 == 0)
            & ((xs % cell) < cell - 3)
            & ((ys % cell) < cell - 3)
        )
        lines = ((xs % (cell * 4)) < 2) | ((ys % (cell * 4)) < 2)
        red = np.clip(diamonds.astype(np.float32) * 0.85 + lines.astype(np.float32), 0.0, 1.0)
        canvas.blend(cv2.GaussianBlur(red, (0, 0), 0.7), (38.0, 30.0, 165.0), 0.95)
    if wear is Headwear.CAP:
        height, width = canvas.shape
        ys, xs = np.mgrid[0:height, 0:width]
        holes = ((np.sin(xs * 1.3) * np.sin(ys * 1.3)) > 0.6).astype(np.float32)
        canvas.multiply(holes, 0.85)
    return canvas.image


def paint_agal(identity: FaceIdentity) -> Image:
    canvas = HeadCanvas(AGAL, (18.0, 18.0, 20.0))
    del identity
    return canvas.image


def paint_atlas(identity: FaceIdentity) -> npt.NDArray[np.uint8]:
    """The whole texture atlas of an identity, uint8 BGR."""
    width, height = ATLAS_SIZE
    atlas = np.zeros((height, width, 3), np.uint8)
    for region, image in (
        (HEAD, paint_head(identity)),
        (EARS, paint_ears(identity)),
        (NECK, paint_neck(identity)),
        (TORSO, paint_torso(identity)),
        (CLOTH, paint_cloth(identity)),
        (AGAL, paint_agal(identity)),
    ):
        rows, cols = region.slices()
        atlas[rows, cols] = np.clip(image, 0, 255).astype(np.uint8)
    return atlas
