"""Spectacles as 3D polylines in front of the eyes (rims, bridge, temples), drawn after the
head with anti-aliased lines, and a faint reflection on each lens."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import cv2
import numpy as np
import numpy.typing as npt

from simulator.subject import face_regions as fr
from simulator.subject.identity import Glasses, GlassesShape

Array = npt.NDArray[np.float64]

_EXPONENT = {GlassesShape.RECTANGULAR: 5.0, GlassesShape.OVAL: 2.6, GlassesShape.ROUND: 2.0}
_BRIDGE_MM = 18.0
_LENS_AHEAD_MM = 15.0  # from the lid opening to the lens plane


@dataclass(frozen=True)
class GlassesModel:
    rims: tuple[Array, Array]  # (n, 3) closed loops: the person's right lens, then left
    bridge: Array  # (m, 3)
    temples: tuple[Array, Array]  # (2, 3) each: hinge to ear
    colour: tuple[float, float, float]
    thickness_mm: float


def glasses_model(rest: Array, glasses: Glasses | None) -> GlassesModel | None:
    if glasses is None:
        return None
    width, height = glasses.lens_width_mm, glasses.lens_height_mm
    if glasses.shape is GlassesShape.ROUND:
        height = width * 0.82
    exponent = _EXPONENT[glasses.shape]
    angles = np.linspace(0.0, 2 * np.pi, 40, endpoint=False)
    c, s = np.cos(angles), np.sin(angles)
    xs = np.sign(c) * np.abs(c) ** (2 / exponent) * width / 2
    ys = np.sign(s) * np.abs(s) ** (2 / exponent) * height / 2
    rims = []
    hinges = []
    for side, opening in ((-1.0, fr.RIGHT_EYE_OPENING), (1.0, fr.LEFT_EYE_OPENING)):
        eye = rest[list(opening)].mean(axis=0)
        center = np.array(
            [side * (width / 2 + _BRIDGE_MM / 2), eye[1] + 2.0, eye[2] - _LENS_AHEAD_MM]
        )
        # Lenses wrap a little round the face: the outer edge sits farther back.
        outward = np.clip(side * xs / (width / 2), 0.0, 1.0)
        rim = np.stack([center[0] + xs, center[1] + ys, center[2] + 5.0 * outward**2], axis=1)
        rims.append(rim)
        outer = rim[np.argmax(side * rim[:, 0])]
        hinges.append(outer + np.array([side * 2.0, -height * 0.2, 2.0]))
    inner_right = rims[0][np.argmax(rims[0][:, 0])]
    inner_left = rims[1][np.argmin(rims[1][:, 0])]
    share = np.linspace(0.0, 1.0, 8)[:, None]
    bridge = inner_right + (inner_left - inner_right) * share
    bridge[:, 1] -= 3.0 * np.sin(np.pi * share[:, 0])
    bridge[:, 2] -= 1.5 * np.sin(np.pi * share[:, 0])
    temples = tuple(
        np.stack([hinge, np.array([np.sign(hinge[0]) * 74.0, hinge[1] + 6.0, 82.0])])
        for hinge in hinges
    )
    return GlassesModel(
        rims=(rims[0], rims[1]),
        bridge=bridge,
        temples=(temples[0], temples[1]),
        colour=glasses.frame_colour,
        thickness_mm=glasses.frame_thickness_mm,
    )


def draw_glasses(
    image: npt.NDArray[np.uint8],
    glasses: GlassesModel,
    project: Callable[[Array], Array],
    sides_facing: tuple[bool, bool],
    light: float,
) -> None:
    """Draw onto `image`. `project` maps rest-frame points (n, 3) to pixels (n, 2);
    `sides_facing` says whether the person's right and left side of the head face the camera
    (the temple of a side turned away is hidden behind the head)."""
    colour = tuple(float(np.clip(c * light, 0, 255)) for c in glasses.colour)
    shine = np.zeros_like(image)
    for rim in glasses.rims:
        pixels = project(rim)
        thickness = max(1, round(glasses.thickness_mm * _px_per_mm(pixels, rim)))
        pts = np.round(pixels * 16).astype(np.int32)
        cv2.fillPoly(shine, [pts], (40, 40, 40), cv2.LINE_AA, 4)
        cv2.polylines(image, [pts], True, colour, thickness, cv2.LINE_AA, 4)
    # A faint sheen on the lenses.
    cv2.addWeighted(image, 1.0, shine, 0.18, 0.0, dst=image)
    pixels = project(glasses.bridge)
    thickness = max(1, round(glasses.thickness_mm * _px_per_mm(pixels, glasses.bridge)))
    cv2.polylines(
        image, [np.round(pixels * 16).astype(np.int32)], False, colour, thickness, cv2.LINE_AA, 4
    )
    for temple, facing in zip(glasses.temples, sides_facing, strict=True):
        if facing:
            pixels = project(temple)
            cv2.polylines(
                image,
                [np.round(pixels * 16).astype(np.int32)],
                False,
                colour,
                thickness,
                cv2.LINE_AA,
                4,
            )


def _px_per_mm(pixels: Array, points: Array) -> float:
    span_px = float(np.linalg.norm(pixels.max(axis=0) - pixels.min(axis=0)))
    span_mm = float(np.linalg.norm(points.max(axis=0) - points.min(axis=0)))
    return span_px / span_mm if span_mm > 0 else 1.0
