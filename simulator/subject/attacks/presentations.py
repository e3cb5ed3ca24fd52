"""Presentation attacks (ISO/IEC 30107) as the camera sees them, each moved the way an attacker
would: a printed photo (flat or bent) held up, a photo on a phone or tablet, a replayed video of
another session, and a print with the eyes cut out worn over the attacker's own face."""

from __future__ import annotations

import math

import cv2
import numpy as np
import numpy.typing as npt

from simulator.subject.attacks.artefacts import add_glare, device_front, printed_photo
from simulator.subject.attacks.card import Card, draw_card, draw_thumbs, place_card
from simulator.subject.attacks.holding import HoldingScript
from simulator.subject.backdrop import backdrop_image
from simulator.subject.behaviour import Scenario, SubjectScript
from simulator.subject.face_regions import FACE_OVAL_LOOP
from simulator.subject.identity import FaceIdentity, make_identity
from simulator.subject.live_scene import CameraSettings, LiveScene
from simulator.subject.portrait import REFERENCE_PHOTO, portrait_with_landmarks
from simulator.subject.prompts import Prompt, PromptEvent, PromptQueue, PromptSource
from simulator.subject.renderer import draw_subject
from simulator.subject.scene import CameraView, Lighting, SubjectPose
from simulator.subject.seeding import Stream, random_stream
from simulator.subject.sensor import expose
from simulator.subject.subject_model import subject_model

Image = npt.NDArray[np.uint8]

_LIGHT = Lighting()


def attacker_for(victim: FaceIdentity, seed: int) -> FaceIdentity:
    """The person holding the instrument: someone else of the same sex."""
    attacker_seed = (seed * 40503 + victim.seed * 9973 + 11) % (2**31)
    return make_identity(
        attacker_seed, victim.sex, 30.0, "EGY" if victim.nationality == "SAU" else "SAU"
    )


def _booth(settings: CameraSettings) -> Image:
    view = settings.view
    return backdrop_image(settings.backdrop, view.width, view.height, settings.backdrop_seed).copy()


def _victim_photo(victim: FaceIdentity) -> Image:
    # The attacker's copy of the victim's face: a good frontal photo (e.g. from social media).
    return portrait_with_landmarks(victim, REFERENCE_PHOTO)[0]


class PrintAttack:
    """A photo printed on paper, held up flat or bowed, in front of the attacker's face."""

    def __init__(
        self,
        victim: FaceIdentity,
        settings: CameraSettings,
        *,
        bent: bool,
        seed: int,
        prompts: PromptSource | None = None,
        start: float = 0.0,
    ) -> None:
        self.settings = settings
        self.description = (
            f"printed photo ({'bent' if bent else 'flat'}) of face seed {victim.seed}"
        )
        self.artefact = printed_photo(_victim_photo(victim))
        aspect = self.artefact.shape[0] / self.artefact.shape[1]
        width = 190.0
        self.card = Card(
            width, width * aspect, bend_mm=28.0 if bent else 0.0, strips=12 if bent else 1
        )
        self.holding = HoldingScript(seed, prompts, start, far_mm=560.0, near_mm=320.0)
        self.attacker = attacker_for(victim, seed)
        self._attacker_model = subject_model(self.attacker)

    def frame(self, t: float, frame_number: int) -> Image:
        view = self.settings.view
        frame = _booth(self.settings)
        pose = self.holding.pose_at(t)
        # The attacker's head stands behind the print, turned a little with it.
        head = SubjectPose(
            yaw=pose.yaw * 0.3,
            x_mm=pose.x_mm,
            y_mm=pose.y_mm - 10.0,
            distance_mm=pose.distance_mm + 90.0,
        )
        draw_subject(frame, self._attacker_model, head, _LIGHT, view)
        placed = place_card(self.card, pose, view)
        draw_card(frame, placed, self.artefact, _LIGHT)
        draw_thumbs(frame, placed, self.attacker.skin, _LIGHT.ambient + _LIGHT.key * 0.7)
        return expose(frame, self.settings.sensor, frame_number)


class ScreenAttack:
    """A photo of the victim shown on a phone or tablet held up to the camera."""

    def __init__(
        self,
        victim: FaceIdentity,
        settings: CameraSettings,
        *,
        tablet: bool,
        seed: int,
        prompts: PromptSource | None = None,
        start: float = 0.0,
    ) -> None:
        self.settings = settings
        device = "tablet" if tablet else "phone"
        self.description = f"photo on a {device} of face seed {victim.seed}"
        photo = _victim_photo(victim)
        if tablet:
            self.front = device_front(photo, (300, 400), 0.07)
            self.card = Card(170.0, 170.0 * self.front.shape[0] / self.front.shape[1])
        else:
            self.front = device_front(photo, (200, 420), 0.05)
            self.card = Card(74.0, 74.0 * self.front.shape[0] / self.front.shape[1])
        near = 230.0 if tablet else 170.0
        self.holding = HoldingScript(seed, prompts, start, far_mm=450.0, near_mm=near)
        self.sleeve = attacker_for(victim, seed).clothing_colour

    def frame(self, t: float, frame_number: int) -> Image:
        view = self.settings.view
        frame = _booth(self.settings)
        pose = self.holding.pose_at(t)
        placed = place_card(self.card, pose, view)
        _draw_arm(frame, placed.pixels(np.array([[0.0, self.card.height_mm / 2]]))[0], self.sleeve)
        draw_card(frame, placed, self.front, None, brightness=1.08, smoothing=0.75)
        glare_at = (0.5 + pose.yaw / 60.0, 0.3 + pose.pitch / 60.0)
        add_glare(frame, placed.outline(), glare_at, 0.55)
        return expose(frame, self.settings.sensor, frame_number)


class ReplayAttack:
    """A recording of the victim's earlier session (other prompts, other times) played on a
    tablet held up to the camera; it loops."""

    LOOP_S = 12.0

    def __init__(
        self,
        victim: FaceIdentity,
        settings: CameraSettings,
        *,
        seed: int,
        prompts: PromptSource | None = None,
        start: float = 0.0,
    ) -> None:
        self.settings = settings
        self.description = f"replayed video of face seed {victim.seed} on a tablet"
        self.victim = victim
        self.seed = seed
        self.start = start
        # The recording: a cooperative session filmed by another camera, at a lower resolution.
        self.recorded = LiveScene(victim, CameraSettings(view=CameraView(320, 240)))
        self.card = Card(200.0, 150.0)
        self.holding = HoldingScript(seed, prompts, start, far_mm=470.0, near_mm=260.0)
        self.sleeve = attacker_for(victim, seed).clothing_colour
        self._loop = -1
        self._script: SubjectScript | None = None

    def _recorded_script(self, loop: int) -> SubjectScript:
        # The session recorded: prompts at times that have nothing to do with this session.
        rng = random_stream(self.seed, Stream.ATTACK, 2)
        queue = PromptQueue()
        choices = [Prompt.BLINK, Prompt.TURN_LEFT, Prompt.TURN_RIGHT, Prompt.SMILE, Prompt.LOOK_UP]
        at = 1.5
        while at < self.LOOP_S - 2.0:
            queue.put(PromptEvent(choices[int(rng.integers(len(choices)))], at))
            at += float(rng.uniform(2.5, 4.0))
        del loop
        return SubjectScript(self.seed + 1, Scenario.COOPERATIVE, prompts=queue, start=0.0)

    def frame(self, t: float, frame_number: int) -> Image:
        elapsed = max(0.0, t - self.start)
        loop = int(elapsed // self.LOOP_S)
        if loop != self._loop or self._script is None:
            self._loop, self._script = loop, self._recorded_script(loop)
        played = self.recorded.render(
            self._script.state_at(elapsed - loop * self.LOOP_S), frame_number
        )
        front = device_front(played, (240, 180), 0.06)
        view = self.settings.view
        frame = _booth(self.settings)
        pose = self.holding.pose_at(t)
        placed = place_card(
            Card(self.card.width_mm, self.card.width_mm * front.shape[0] / front.shape[1]),
            pose,
            view,
        )
        _draw_arm(
            frame, placed.pixels(np.array([[0.0, placed.card.height_mm / 2]]))[0], self.sleeve
        )
        draw_card(frame, placed, front, None, brightness=1.1, smoothing=0.75)
        add_glare(frame, placed.outline(), (0.3 + pose.yaw / 60.0, 0.25 + pose.pitch / 60.0), 0.5)
        return expose(frame, self.settings.sensor, frame_number)


# Points whose positions tie the print to the face behind it: the eye corners (weighted, so
# the holes sit over the attacker's eyes), the nose tip and the mouth corners (so the print
# follows the head's turn).
_TIE_POINTS = [33, 133, 263, 362, 1, 61, 291]
_TIE_WEIGHTS = np.array([4.0, 4.0, 4.0, 4.0, 1.0, 1.0, 1.0])


def _tie(
    source: npt.NDArray[np.float64], target: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    """The affine map (2x3) taking `source` points onto `target`, weighted least squares."""
    ones = np.ones((len(source), 1))
    design = np.hstack([source, ones]) * np.sqrt(_TIE_WEIGHTS)[:, None]
    goal = target * np.sqrt(_TIE_WEIGHTS)[:, None]
    solution, *_ = np.linalg.lstsq(design, goal, rcond=None)
    affine: npt.NDArray[np.float64] = solution.T
    return affine


class CutoutEyesAttack:
    """A print of the victim's face with the eyes cut out, held against the attacker's face:
    the attacker's own eyes blink through the holes, and the attacker turns their head."""

    def __init__(
        self,
        victim: FaceIdentity,
        settings: CameraSettings,
        *,
        seed: int,
        prompts: PromptSource | None = None,
        start: float = 0.0,
    ) -> None:
        self.settings = settings
        self.description = f"print with cut-out eyes of face seed {victim.seed}"
        photo, landmarks = portrait_with_landmarks(victim, REFERENCE_PHOTO)
        self.print = printed_photo(photo, border_share=0.0)
        self.landmarks = np.asarray(landmarks, np.float64)
        self.alpha = _alpha_with_eye_holes(self.print.shape[:2], self.landmarks)
        self.attacker = attacker_for(victim, seed)
        self._model = subject_model(self.attacker)
        self.script = SubjectScript(seed, Scenario.COOPERATIVE, prompts=prompts, start=start)

    def frame(self, t: float, frame_number: int) -> Image:
        view = self.settings.view
        frame = _booth(self.settings)
        state = self.script.state_at(t)
        drawn = draw_subject(frame, self._model, state.pose, state.lighting, view, state.expression)
        if drawn is not None:
            affine = _tie(self.landmarks[_TIE_POINTS], drawn.landmarks[_TIE_POINTS])
            size = (view.width, view.height)
            warped = cv2.warpAffine(self.print, affine, size, flags=cv2.INTER_LINEAR)
            alpha = cv2.warpAffine(self.alpha, affine, size, flags=cv2.INTER_LINEAR)
            gain = state.lighting.ambient * 0.9 + state.lighting.key * 0.75
            lit = cv2.convertScaleAbs(warped, alpha=gain).astype(np.float32)
            share = alpha.astype(np.float32)[..., None] / 255.0
            frame[:] = (frame * (1.0 - share) + lit * share).astype(np.uint8)
        return expose(frame, self.settings.sensor, frame_number)


def _alpha_with_eye_holes(shape: tuple[int, ...], landmarks: npt.NDArray[np.float64]) -> Image:
    """Opaque over the face and head, with the eyes cut out a little larger than the eyes."""
    height, width = shape[:2]
    alpha = np.zeros((height, width), np.uint8)
    oval = landmarks[list(FACE_OVAL_LOOP)]
    center = oval.mean(axis=0)
    outline = center + (oval - center) * 1.25  # the print runs past the face's outline
    cv2.fillPoly(alpha, [np.round(outline * 16).astype(np.int32)], (255,), cv2.LINE_AA, 4)
    for opening in (
        (33, 246, 161, 160, 159, 158, 157, 173, 133, 155, 154, 153, 145, 144, 163, 7),
        (263, 466, 388, 387, 386, 385, 384, 398, 362, 382, 381, 380, 374, 373, 390, 249),
    ):
        eye = landmarks[list(opening)]
        middle = eye.mean(axis=0)
        hole = middle + (eye - middle) * np.array([1.25, 1.9])
        cv2.fillPoly(alpha, [np.round(hole * 16).astype(np.int32)], (0,), cv2.LINE_AA, 4)
    return alpha


def _draw_arm(
    frame: Image, hand: npt.NDArray[np.float64], sleeve: tuple[float, float, float]
) -> None:
    """The attacker's forearm from the bottom of the picture up to the device."""
    height, width = frame.shape[:2]
    x, y = float(hand[0]), float(hand[1])
    if y >= height:
        return
    reach = math.hypot(width / 2 - x, height - y)
    thickness = max(8, int(0.12 * reach))
    base = (int(width * 0.62), height + thickness)
    cv2.line(
        frame, base, (int(x), int(y)), tuple(float(c) * 0.8 for c in sleeve), thickness, cv2.LINE_AA
    )
