"""The camera's own marks on a frame: exposure (gain), optical softness and sensor noise.

Noise is drawn from the camera seed and the frame number, so frame n of a seed is always the
same. A few noise fields are made once and shifted per frame: drawing fresh Gaussian noise for
every 640x480 frame would cost more than the rest of the sensor together.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import cv2
import numpy as np
import numpy.typing as npt

from simulator.subject.seeding import Stream, random_stream

Image = npt.NDArray[np.uint8]

_NOISE_FIELDS = 4


@dataclass(frozen=True)
class SensorSettings:
    exposure: float = 1.0  # gain: 2.0 is one stop brighter
    blur_sigma_px: float = 0.6  # lens and demosaicing softness
    noise_sigma: float = 2.5  # grey levels
    seed: int = 0


@lru_cache(maxsize=4)
def _noise_fields(width: int, height: int, seed: int) -> npt.NDArray[np.int16]:
    rng = random_stream(seed, Stream.CAMERA_NOISE)
    fields = rng.standard_normal((_NOISE_FIELDS, height + 16, width + 16, 3)).astype(np.float32)
    scaled: npt.NDArray[np.int16] = np.round(fields * 16.0).astype(np.int16)  # unit spread x 16
    scaled.setflags(write=False)
    return scaled


def expose(image: Image, settings: SensorSettings, frame_number: int) -> Image:
    """The frame as the sensor delivers it (a new array)."""
    out = image
    if settings.blur_sigma_px > 0:
        out = np.asarray(cv2.GaussianBlur(out, (0, 0), settings.blur_sigma_px), np.uint8)
    if settings.exposure != 1.0:
        out = np.asarray(cv2.convertScaleAbs(out, alpha=settings.exposure), np.uint8)
    if settings.noise_sigma > 0:
        height, width = out.shape[:2]
        fields = _noise_fields(width, height, settings.seed)
        rng = random_stream(settings.seed, Stream.CAMERA_NOISE, frame_number)
        k, dy, dx = (int(v) for v in rng.integers(0, (_NOISE_FIELDS, 16, 16)))
        noise = fields[k, dy : dy + height, dx : dx + width]
        gain = max(1, round(settings.noise_sigma))
        # Noise fields hold 16 x unit spread: shift right by 4 after multiplying by sigma.
        noisy = out.astype(np.int16) + ((noise * np.int16(gain)) >> 4)
        out = np.clip(noisy, 0, 255).astype(np.uint8)
    elif out is image:
        out = image.copy()
    return out
