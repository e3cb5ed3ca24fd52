"""The ID card's portrait (ICAO 9303 DG2) and the portal's reference photo of an identity:
frontal, neutral, evenly lit, on a plain light backdrop, framed as ICAO asks (the head about
three quarters of the picture's height, the eyes a little above the middle).

Rendered at twice the size and reduced, so edges are smooth as in a photograph.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import cache, lru_cache

import cv2
import numpy as np
import numpy.typing as npt

from matcher.face import FaceLandmarker, LandmarkMode, estimate_head_pose
from simulator.subject.backdrop import Backdrop, backdrop_image
from simulator.subject.expression import NEUTRAL
from simulator.subject.identity import FaceIdentity
from simulator.subject.renderer import draw_subject
from simulator.subject.scene import EVEN_LIGHT, CameraView, Lighting, SubjectPose
from simulator.subject.sensor import SensorSettings, expose
from simulator.subject.subject_model import subject_model

Image = npt.NDArray[np.uint8]

PORTRAIT_SIZE = (480, 600)  # width, height: ICAO's 35x45 mm photo at about 350 dpi
_DISTANCE_MM = 1200.0  # a portrait lens: little perspective
_HEAD_HEIGHT_MM = 235.0  # chin to crown, with hair or headwear
_HEAD_SHARE = 0.74  # of the picture's height
_EYES_FROM_TOP = 0.44  # the eye line, as a share of the height from the top
_SUPERSAMPLE = 2


@dataclass(frozen=True)
class PortraitStyle:
    lighting: Lighting
    backdrop_tint: tuple[float, float, float]  # multiplies the plain backdrop
    yaw: float
    pitch: float


CARD_PORTRAIT = PortraitStyle(EVEN_LIGHT, (1.0, 1.0, 1.0), 0.0, 0.0)
# The portal's photo was taken elsewhere: a little warmer light, a whiter wall, a hair off
# straight.
REFERENCE_PHOTO = PortraitStyle(
    Lighting(direction=(0.1, -0.3, -1.0), key=0.52, ambient=0.6, key_colour=(0.94, 0.98, 1.02)),
    (1.04, 1.03, 1.03),
    1.2,
    -0.8,
)


def render_portrait(
    identity: FaceIdentity,
    style: PortraitStyle = CARD_PORTRAIT,
    size: tuple[int, int] = PORTRAIT_SIZE,
) -> Image:
    """The portrait as BGR uint8 of `size` (width, height)."""
    return portrait_with_landmarks(identity, style, size)[0].copy()


@lru_cache(maxsize=8)
def portrait_with_landmarks(
    identity: FaceIdentity,
    style: PortraitStyle = CARD_PORTRAIT,
    size: tuple[int, int] = PORTRAIT_SIZE,
) -> tuple[Image, npt.NDArray[np.float64]]:
    """The portrait and where its 468 FaceMesh points are, in its pixels (ground truth).
    Cached: treat both arrays as read-only."""
    width, height = size
    big_w, big_h = width * _SUPERSAMPLE, height * _SUPERSAMPLE
    px_per_mm = _HEAD_SHARE * big_h / (_HEAD_HEIGHT_MM * identity.scale)
    focal = px_per_mm * _DISTANCE_MM
    # The nasion sits between the eyes: put it on the eye line, centred.
    view = CameraView(big_w, big_h, focal, (big_w / 2, _EYES_FROM_TOP * big_h))
    tinted = backdrop_image(Backdrop.PLAIN, big_w, big_h) * np.array(style.backdrop_tint)
    backdrop = np.clip(tinted, 0, 255).astype(np.uint8)
    model = subject_model(identity)
    yaw, pitch = style.yaw, style.pitch
    landmarks = np.zeros((468, 2))
    for _ in range(_POSE_ROUNDS):
        frame = backdrop.copy()
        pose = SubjectPose(yaw=yaw, pitch=pitch, distance_mm=_DISTANCE_MM)
        drawn = draw_subject(frame, model, pose, style.lighting, view, NEUTRAL)
        if drawn is not None:
            landmarks = drawn.landmarks / _SUPERSAMPLE
        small = np.asarray(
            cv2.resize(frame, (width, height), interpolation=cv2.INTER_AREA), np.uint8
        )
        # As a photographer would: "chin down a little", until the head reads level.
        seen = _seen_pose(small)
        if seen is None or (abs(seen[0] - style.yaw) < 1.5 and abs(seen[1] - style.pitch) < 1.5):
            break
        yaw -= seen[0] - style.yaw
        pitch -= seen[1] - style.pitch
    sensor = SensorSettings(blur_sigma_px=0.0, noise_sigma=1.0, seed=identity.seed)
    image = expose(small, sensor, 0)
    image.setflags(write=False)
    landmarks.setflags(write=False)
    return image, landmarks


_POSE_ROUNDS = 3
_landmarker_lock = threading.Lock()


@cache
def _portrait_landmarker() -> FaceLandmarker:
    return FaceLandmarker(LandmarkMode.STILL, max_faces=1)


def _seen_pose(image: Image) -> tuple[float, float] | None:
    """(yaw, pitch) the matcher reads from the portrait, or None if it finds no face."""
    with _landmarker_lock:
        faces = _portrait_landmarker().detect(image)
    if not faces:
        return None
    pose = estimate_head_pose(faces[0])
    return pose.yaw, pose.pitch


def render_card_portrait(identity: FaceIdentity) -> Image:
    """The portrait issue #5 puts on the card (DG2)."""
    return render_portrait(identity, CARD_PORTRAIT)


def render_reference_photo(identity: FaceIdentity) -> Image:
    """The photo the portal holds for the person: same face, another sitting."""
    return render_portrait(identity, REFERENCE_PHOTO)


def portrait_jpeg(image: Image, quality: int = 90) -> bytes:
    ok, encoded = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, quality])
    if not ok:
        raise ValueError("the portrait could not be encoded as JPEG")
    return bytes(encoded.tobytes())
