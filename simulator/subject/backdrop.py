"""What stands behind the subject: the booth (a wall with a door frame, a poster and a lamp's
falloff) or the plain light backdrop of a portrait. Made once per size and seed, then copied."""

from __future__ import annotations

from enum import StrEnum
from functools import lru_cache

import cv2
import numpy as np
import numpy.typing as npt

from simulator.subject.seeding import Stream, random_stream

Image = npt.NDArray[np.uint8]


class Backdrop(StrEnum):
    BOOTH = "booth"
    PLAIN = "plain"  # ICAO portrait: uniform, light, no shadows


@lru_cache(maxsize=8)
def backdrop_image(kind: Backdrop, width: int, height: int, seed: int = 0) -> Image:
    """The backdrop as a read-only image; copy it before drawing on it."""
    image = _plain(width, height) if kind is Backdrop.PLAIN else _booth(width, height, seed)
    image.setflags(write=False)
    return image


def _plain(width: int, height: int) -> Image:
    # Light blue-grey, a little brighter towards the top as from a soft backdrop light.
    ys = np.linspace(1.0, 0.94, height, dtype=np.float32)[:, None, None]
    colour = np.array([226.0, 222.0, 216.0], np.float32)
    image: Image = np.broadcast_to(colour * ys, (height, width, 3)).astype(np.uint8).copy()
    return image


def _booth(width: int, height: int, seed: int) -> Image:
    rng = random_stream(seed, Stream.CAMERA_NOISE, 999)
    wall = np.array([rng.uniform(150, 185), rng.uniform(160, 190), rng.uniform(165, 195)])
    xs = np.linspace(-1.0, 1.0, width, dtype=np.float32)[None, :]
    ys = np.linspace(-1.0, 1.0, height, dtype=np.float32)[:, None]
    # The ceiling lamp lights the wall unevenly.
    falloff = 1.0 - 0.18 * ((xs - 0.3) ** 2 + (ys + 0.6) ** 2)
    image = np.clip(wall[None, None, :] * falloff[..., None], 0, 255).astype(np.float32)
    noise = cv2.GaussianBlur(rng.standard_normal((height, width)).astype(np.float32), (0, 0), 3.0)
    image *= (1.0 + 0.02 * noise)[..., None]
    # A door frame on one side and a framed poster on the other.
    door_x = int(width * rng.uniform(0.04, 0.14))
    cv2.rectangle(
        image,
        (door_x, int(height * 0.05)),
        (door_x + int(width * 0.16), height),
        (wall * 0.78).tolist(),
        -1,
    )
    cv2.rectangle(
        image,
        (door_x, int(height * 0.05)),
        (door_x + int(width * 0.16), height),
        (wall * 0.55).tolist(),
        max(2, width // 160),
    )
    px, py = int(width * rng.uniform(0.7, 0.8)), int(height * rng.uniform(0.08, 0.2))
    pw, ph = int(width * 0.16), int(height * 0.26)
    poster = np.array([rng.uniform(60, 200), rng.uniform(60, 200), rng.uniform(60, 200)])
    cv2.rectangle(image, (px, py), (px + pw, py + ph), poster.tolist(), -1)
    cv2.rectangle(image, (px, py), (px + pw, py + ph), (40.0, 40.0, 40.0), max(2, width // 200))
    cv2.rectangle(
        image,
        (px + pw // 6, py + ph // 5),
        (px + 5 * pw // 6, py + ph // 2),
        (poster * 0.6).tolist(),
        -1,
    )
    booth: Image = np.clip(image, 0, 255).astype(np.uint8)
    return booth
