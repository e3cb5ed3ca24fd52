"""Draws a flat or bent card (a print, a phone, a tablet) carrying an image into a frame, with
perspective: the card is cut into vertical strips, each a plane warped by its homography.

Card coordinates: millimetres from its centre, u to the right and v down as seen from the
front; a bend bows the middle towards the camera (a print held by its edges sags that way).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import cv2
import numpy as np
import numpy.typing as npt

from matcher.face.head_pose import rotation_from_angles
from simulator.subject.attacks.holding import InstrumentPose
from simulator.subject.scene import CameraView, Lighting

Image = npt.NDArray[np.uint8]
Array = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Card:
    width_mm: float
    height_mm: float
    bend_mm: float = 0.0  # how far the middle stands out from the edges
    strips: int = 1


@dataclass(frozen=True)
class PlacedCard:
    """Where the card landed: the image positions of card points, and its mean facing."""

    rotation: Array
    translation: Array
    view: CameraView
    card: Card

    def camera_points(self, uv_mm: Array) -> Array:
        """Camera-space mm of card points (n, 2) in card millimetres."""
        u, v = uv_mm[:, 0], uv_mm[:, 1]
        half = self.card.width_mm / 2
        z = -self.card.bend_mm * (1.0 - (u / half) ** 2)
        local = np.stack([u, v, z], axis=1)
        points: Array = local @ self.rotation.T + self.translation
        return points

    def pixels(self, uv_mm: Array) -> Array:
        points = self.camera_points(uv_mm)
        cx, cy = self.view.center
        f = self.view.focal
        depth = np.maximum(points[:, 2], 1.0)
        return np.stack([f * points[:, 0] / depth + cx, f * points[:, 1] / depth + cy], axis=1)

    @property
    def normal(self) -> Array:
        normal: Array = self.rotation @ np.array([0.0, 0.0, -1.0])
        return normal

    def outline(self, count: int = 24) -> Array:
        """The card's outline in pixels (a closed polygon)."""
        w, h = self.card.width_mm / 2, self.card.height_mm / 2
        top = np.stack([np.linspace(-w, w, count), np.full(count, -h)], axis=1)
        bottom = np.stack([np.linspace(w, -w, count), np.full(count, h)], axis=1)
        return self.pixels(np.vstack([top, bottom]))


def place_card(card: Card, pose: InstrumentPose, view: CameraView) -> PlacedCard:
    rotation = rotation_from_angles(pose.yaw, pose.pitch, pose.roll)
    translation = np.array([pose.x_mm, pose.y_mm, pose.distance_mm])
    return PlacedCard(rotation, translation, view, card)


def draw_card(
    frame: Image,
    placed: PlacedCard,
    image: Image,
    lighting: Lighting | None,
    brightness: float = 1.0,
    smoothing: float = 1.0,
) -> None:
    """Warp `image` (the card's whole front) onto the frame. With `lighting` the card is lit
    (paper); without, it glows at `brightness` (a screen).

    A camera pixel averages the light over its area; warping samples points. The image is
    blurred first by `smoothing` times what fully averaging would take: below 1, fine
    patterns (a screen's pixel grid) alias into moire, as they do on a real sensor.
    """
    card = placed.card
    height, width = frame.shape[:2]
    src_h, src_w = image.shape[:2]
    outline = placed.outline(4)
    shrink = src_w / max(float(np.ptp(outline[:, 0])), 1.0)
    if shrink > 1.0 and smoothing > 0:
        image = np.asarray(cv2.GaussianBlur(image, (0, 0), smoothing * 0.5 * shrink), np.uint8)
    edges = np.linspace(-card.width_mm / 2, card.width_mm / 2, card.strips + 1)
    top, bottom = -card.height_mm / 2, card.height_mm / 2
    for left, right in itertools.pairwise(edges):
        corners_mm = np.array([[left, top], [right, top], [right, bottom], [left, bottom]])
        target = placed.pixels(corners_mm).astype(np.float32)
        col = (corners_mm[:, 0] + card.width_mm / 2) / card.width_mm * src_w
        row = (corners_mm[:, 1] + card.height_mm / 2) / card.height_mm * src_h
        source = np.stack([col, row], axis=1).astype(np.float32)
        x0, y0 = np.floor(target.min(axis=0)).astype(int)
        x1, y1 = np.ceil(target.max(axis=0)).astype(int) + 1
        x0, y0, x1, y1 = max(x0, 0), max(y0, 0), min(x1, width), min(y1, height)
        if x1 <= x0 or y1 <= y0:
            continue
        local = target - np.array([x0, y0], np.float32)
        homography = cv2.getPerspectiveTransform(source, local)
        warped = cv2.warpPerspective(image, homography, (x1 - x0, y1 - y0), flags=cv2.INTER_LINEAR)
        mask = np.zeros((y1 - y0, x1 - x0), np.uint8)
        cv2.fillConvexPoly(mask, np.round(local * 16).astype(np.int32), (255,), cv2.LINE_AA, 4)
        gain = brightness
        if lighting is not None:
            middle = np.array(
                [
                    [(left + right) / 2, 0.0],
                    [(left + right) / 2 + 1.0, 0.0],
                    [(left + right) / 2, 1.0],
                ]
            )
            a, b, c = placed.camera_points(middle)
            normal = np.cross(b - a, c - a)
            normal /= np.linalg.norm(normal)
            if normal[2] > 0:
                normal = -normal
            facing = max(0.0, float(normal @ lighting.unit_direction))
            gain = brightness * (lighting.ambient * 0.9 + lighting.key * facing)
        lit = cv2.convertScaleAbs(warped, alpha=gain)
        region = frame[y0:y1, x0:x1]
        alpha = (mask.astype(np.float32) / 255.0)[..., None]
        region[:] = (region * (1.0 - alpha) + lit * alpha).astype(np.uint8)


def draw_thumbs(
    frame: Image, placed: PlacedCard, skin: tuple[float, float, float], light: float
) -> None:
    """The attacker's thumbs over the card's lower corners (in front of it)."""
    card = placed.card
    angles = np.linspace(0.0, 2 * np.pi, 20, endpoint=False)
    for side in (-1.0, 1.0):
        center = np.array([side * card.width_mm * 0.42, card.height_mm * 0.5])
        outline = center + np.stack([11.0 * np.cos(angles), 19.0 * np.sin(angles)], axis=1)
        pixels = placed.pixels(outline)
        colour = tuple(float(np.clip(c * light, 0, 255)) for c in skin)
        cv2.fillPoly(frame, [np.round(pixels * 16).astype(np.int32)], colour, cv2.LINE_AA, 4)
        nail = (
            center
            + np.array([0.0, -9.0])
            + np.stack([6.0 * np.cos(angles), 6.0 * np.sin(angles)], axis=1)
        )
        nail_colour = tuple(float(np.clip(c * light * 1.25, 0, 255)) for c in skin)
        cv2.fillPoly(
            frame,
            [np.round(placed.pixels(nail) * 16).astype(np.int32)],
            nail_colour,
            cv2.LINE_AA,
            4,
        )
