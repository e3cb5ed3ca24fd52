"""One liveness session: frames in order, the prompts to show, and the decision.

Flow: "look at the camera" (the neutral face and the first best-frame candidates), then each
challenge prompted in turn, once the face is back at rest, with its own deadline; the session
ends when all are done, one fails, or the overall deadline passes. Passive cues are gathered
along the way: depth from the head turns, colour moire from the face's pixels, the straight
outline of a print or device held up around the face.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import Enum

import numpy as np

from matcher.face import (
    BilingualMessage,
    FaceError,
    FaceLandmarker,
    FaceLandmarks,
    LandmarkMode,
    QualityCheck,
    QualityReport,
    as_bgr_image,
    assess_quality,
    estimate_head_pose,
    measure_eyes_and_mouth,
)
from matcher.face.errors import MANY_FACES, NO_FACE
from matcher.face.image_input import BgrImage
from matcher.liveness import messages
from matcher.liveness.active import ChallengeCheck, FrameSignals, Neutral, Verdict
from matcher.liveness.challenges import TURNS, Challenge
from matcher.liveness.depth import planar_residual
from matcher.liveness.held_up_edges import HeldUpEdges
from matcher.liveness.screen_moire import colour_moire
from matcher.liveness.settings import LivenessSettings

# Quality measures whose hints are worth showing while the check runs (lighting, focus).
_IMAGE_HINTS = (
    QualityCheck.EXPOSURE,
    QualityCheck.CLIPPING,
    QualityCheck.CONTRAST,
    QualityCheck.SHARPNESS,
)
# Turned frames kept for the depth check (the most turned ones matter; a few suffice).
_MAX_TURNED = 24
# What replaces a missed blink, smile or look-up on the retry, first free one first: the blink
# last, as the one FaceMesh fails to read on some faces.
_SPARE_ORDER = (Challenge.SMILE, Challenge.LOOK_UP, Challenge.BLINK)


@dataclass(frozen=True)
class LivenessUpdate:
    """What the station shows after a frame."""

    prompt: Challenge | None  # what to do now; None: "look at the camera"
    prompt_changed: bool  # a new prompt starts with this frame: publish it
    prompt_deadline_s: float | None  # seconds left for the prompt
    faces: int
    face_box: tuple[int, int, int, int] | None  # x, y, w, h in image pixels
    guidance: tuple[BilingualMessage, ...]
    finished: bool


@dataclass(frozen=True)
class ChallengeOutcome:
    challenge: Challenge
    passed: bool
    reaction_s: float | None  # prompt to the action seen done


@dataclass(frozen=True)
class PassiveCue:
    name: str
    value: float
    threshold: float
    passed: bool
    frames: int  # how many frames the value rests on


@dataclass(frozen=True)
class PassiveEvidence:
    depth: PassiveCue  # planar residual of the turned face (>= threshold passes)
    colour_moire: PassiveCue  # share of sampled frames with screen moire (<= threshold passes)
    max_yaw_left: float  # degrees the head reached to the person's left (relative to neutral)
    max_yaw_right: float
    # Share of decided sampled frames showing a print's or device's outline moving with the
    # face (<= threshold passes).
    held_up_edges: PassiveCue = PassiveCue("held_up_edges_share", 0.0, 1.0, True, 0)

    @property
    def passed(self) -> bool:
        return self.depth.passed and self.colour_moire.passed and self.held_up_edges.passed


@dataclass(frozen=True)
class BestFrame:
    image: BgrImage
    landmarks: FaceLandmarks
    quality: QualityReport
    timestamp_s: float


@dataclass(frozen=True)
class LivenessResult:
    live: bool
    reasons: tuple[BilingualMessage, ...]
    challenges: tuple[ChallengeOutcome, ...]
    passive: PassiveEvidence
    best_frame: BestFrame | None
    # Challenges not done by their deadline and replaced by another kind on the retry.
    missed: tuple[Challenge, ...] = ()


class _Phase(Enum):
    LOOK = "look"
    CHALLENGE = "challenge"
    DONE = "done"


@dataclass
class _Observed:
    """Per-frame landmarks worth keeping for the end of the session."""

    look_signals: list[FrameSignals] = field(default_factory=list)
    frontal: list[tuple[float, FaceLandmarks]] = field(default_factory=list)  # (|pose|, face)
    turned: list[tuple[float, FaceLandmarks]] = field(default_factory=list)  # (|yaw|, face)
    moire_values: list[float] = field(default_factory=list)
    edge_outlines: list[bool] = field(default_factory=list)  # decided held-up-edge samples
    max_left: float = 0.0
    max_right: float = 0.0


class LivenessSession:
    """Feed frames in time order with `add_frame`; read `result()` once `finished`."""

    def __init__(
        self,
        challenges: tuple[Challenge, ...] | list[Challenge],
        settings: LivenessSettings | None = None,
        landmarker: FaceLandmarker | None = None,
    ) -> None:
        if not challenges:
            raise ValueError("a liveness session needs at least one challenge")
        self.challenges = tuple(Challenge(c) for c in challenges)
        self.settings = settings or LivenessSettings()
        self._own_landmarker = landmarker is None
        self._landmarker = landmarker or FaceLandmarker(LandmarkMode.VIDEO, max_faces=2)
        self._phase = _Phase.LOOK
        self._started_at: float | None = None
        self._last_t = -math.inf
        self._look_since: float | None = None
        self._neutral: Neutral | None = None
        self._index = 0
        self._check: ChallengeCheck | None = None
        self._resting_since: float | None = None  # waiting for rest before the next prompt
        self._retries_left = self.settings.retries
        self._missed: list[Challenge] = []
        self._outcomes: list[ChallengeOutcome] = []
        self._failure: BilingualMessage | None = None
        self._observed = _Observed()
        self._held_up_edges = HeldUpEdges()
        self._frames_with_face = 0
        self._best: BestFrame | None = None
        self._best_score: tuple[int, float] = (-1, -math.inf)
        self._last_quality_at = -math.inf
        self._image_hints: tuple[BilingualMessage, ...] = ()
        self._result: LivenessResult | None = None

    @property
    def finished(self) -> bool:
        return self._phase is _Phase.DONE

    @property
    def prompt(self) -> Challenge | None:
        return self._check.challenge if self._check is not None else None

    def close(self) -> None:
        """Release the landmarker if the session made it."""
        if self._own_landmarker:
            self._landmarker.close()

    # --- frames ------------------------------------------------------------------------------

    def add_frame(self, image_bgr: BgrImage, timestamp_s: float) -> LivenessUpdate:
        """One camera frame. Never raises for a bad frame: it comes back as guidance."""
        if self.finished or not math.isfinite(timestamp_s) or timestamp_s <= self._last_t:
            return self._update(False, 0, None, ())
        self._last_t = timestamp_s
        if self._started_at is None:
            self._started_at = timestamp_s
        try:
            image = as_bgr_image(image_bgr)
            faces = self._landmarker.detect(image)
        except FaceError as error:
            return self._update(self._tick(timestamp_s), 0, None, (error.message,))
        face, guidance = self._subject(faces)
        changed = False
        if face is not None:
            changed = self._observe(image, face, timestamp_s, guidance)
        changed = self._tick(timestamp_s) or changed
        box = _box(face) if face is not None else None
        return self._update(changed, len(faces), box, tuple(guidance))

    def _subject(
        self, faces: list[FaceLandmarks]
    ) -> tuple[FaceLandmarks | None, list[BilingualMessage]]:
        """The person being checked (the largest face, if clearly nearer than anyone else)."""
        if not faces:
            return None, [NO_FACE]
        guidance: list[BilingualMessage] = []
        if len(faces) > 1:
            guidance.append(MANY_FACES)
            ratio = faces[0].inter_eye_distance / max(faces[1].inter_eye_distance, 1e-6)
            if ratio < self.settings.dominant_face_ratio:
                return None, guidance
        face = faces[0]
        if face.inter_eye_distance < self.settings.min_inter_eye_px:
            guidance.append(
                messages.move_closer(face.inter_eye_distance, self.settings.min_inter_eye_px)
            )
        return face, guidance

    def _observe(
        self, image: BgrImage, face: FaceLandmarks, t: float, guidance: list[BilingualMessage]
    ) -> bool:
        s = self.settings
        self._frames_with_face += 1
        pose = estimate_head_pose(face)
        if not (math.isfinite(pose.yaw) and math.isfinite(pose.pitch)):
            return False
        eyes = measure_eyes_and_mouth(face)
        signals = FrameSignals(t, pose.yaw, pose.pitch, eyes.eye_aspect_ratio, eyes.mouth_width)
        neutral = self._neutral
        yaw = pose.yaw - (neutral.yaw if neutral else 0.0)
        pitch = pose.pitch - (neutral.pitch if neutral else 0.0)
        obs = self._observed
        obs.max_left = max(obs.max_left, yaw)
        obs.max_right = max(obs.max_right, -yaw)
        frontal = abs(yaw) <= s.neutral_deg and abs(pitch) <= s.neutral_deg
        if self._frames_with_face % s.moire_every_n_frames == 0 and frontal:
            value = colour_moire(image, face)
            if math.isfinite(value):
                obs.moire_values.append(value)
        if self._frames_with_face % s.edges_every_n_frames == 0:
            edges = self._held_up_edges.observe(image, face, t)
            if edges.decided:
                obs.edge_outlines.append(edges.outline)
        if abs(yaw) >= s.depth_turn_deg:
            obs.turned.append((abs(yaw), face))
            if len(obs.turned) > _MAX_TURNED:
                obs.turned.sort(key=lambda item: -item[0])
                del obs.turned[_MAX_TURNED:]
        if abs(yaw) <= 5.0 and abs(pitch) <= 5.0:
            obs.frontal.append((abs(yaw) + abs(pitch), face))
            if len(obs.frontal) > 8:
                obs.frontal.sort(key=lambda item: item[0])
                del obs.frontal[8:]
        if neutral is None:
            candidate = abs(yaw) <= s.look_max_yaw_deg and abs(pitch) <= s.look_max_pitch_deg
        else:
            candidate = abs(yaw) <= 8.0 and abs(pitch) <= 8.0
        if candidate:
            self._consider_best_frame(image, face, signals)
        guidance.extend(self._image_hints)
        if self._phase is _Phase.LOOK:
            if abs(pose.yaw) <= s.look_max_yaw_deg and abs(pose.pitch) <= s.look_max_pitch_deg:
                obs.look_signals.append(signals)
                if self._look_since is None:
                    self._look_since = t
            else:
                guidance.append(messages.LOOK_STRAIGHT)
            return False
        if self._check is not None:
            verdict = self._check.observe(signals)
            if verdict is not Verdict.PENDING:
                return self._close_challenge(verdict, t)
        elif (
            self._resting_since is not None
            and neutral is not None
            and self._at_rest(signals, neutral)
        ):
            return self._start_challenge(t)
        return False

    def _at_rest(self, signals: FrameSignals, neutral: Neutral) -> bool:
        s = self.settings
        return (
            abs(signals.yaw - neutral.yaw) <= s.neutral_deg
            and abs(signals.pitch - neutral.pitch) <= s.neutral_deg / 2
            and signals.eye_aspect_ratio >= s.blink_open * neutral.eye_aspect_ratio
            and signals.mouth_width - neutral.mouth_width <= s.smile_gain / 2
        )

    def _consider_best_frame(
        self, image: BgrImage, face: FaceLandmarks, signals: FrameSignals
    ) -> None:
        """Near the person's own straight pose (some faces read a few degrees off level even
        when straight): the quality report ranks the candidates, pose included."""
        s = self.settings
        t = signals.timestamp_s
        if t - self._last_quality_at < s.best_frame_every_s:
            return
        # Not mid-blink (a lid half down can still pass the portrait's eyes-open limit) nor
        # mid-smile: the person's own open-eyed, neutral face.
        look = self._observed.look_signals
        if look:
            open_eyes = float(np.median([f.eye_aspect_ratio for f in look[-15:]]))
            rest_mouth = float(np.median([f.mouth_width for f in look[-15:]]))
            if signals.eye_aspect_ratio < s.blink_open * open_eyes:
                return
            if signals.mouth_width > rest_mouth + s.smile_gain / 2:
                return
        self._last_quality_at = t
        report = assess_quality(image, [face])
        self._image_hints = tuple(
            m.hint for m in report.measures if m.check in _IMAGE_HINTS and m.hint is not None
        )
        passed = sum(m.passed for m in report.measures)
        score = (passed, report[QualityCheck.SHARPNESS].value)
        if score > self._best_score:
            self._best_score = score
            self._best = BestFrame(np.array(image, copy=True), face, report, t)

    # --- the flow ----------------------------------------------------------------------------

    def _tick(self, t: float) -> bool:
        """Advance phases by the clock; True when a new prompt starts."""
        s = self.settings
        assert self._started_at is not None
        if self._phase is _Phase.DONE:
            return False
        if t - self._started_at > s.overall_deadline_s:
            self._fail(messages.TOO_LONG, t)
            return False
        if self._phase is _Phase.LOOK:
            look = self._observed.look_signals
            if (
                self._look_since is not None
                and t - self._look_since >= s.look_s
                and len(look) >= s.look_min_frames
            ):
                self._neutral = _neutral(look)
                self._phase = _Phase.CHALLENGE
                return self._start_challenge(t)
            if t - self._started_at > s.look_max_s:
                self._fail(messages.NOT_LOOKING, t)
            return False
        if self._resting_since is not None and t - self._resting_since > s.rest_max_s:
            return self._start_challenge(t)
        check = self._check
        if check is not None and t - check.prompted_at > s.challenge_deadline_s:
            if self._retries_left > 0:
                self._retries_left -= 1
                self._replace_missed(check.challenge)
                return self._start_challenge(t)
            self._outcomes.append(ChallengeOutcome(check.challenge, False, None))
            self._fail(messages.not_done(check.challenge), t)
        return False

    def _replace_missed(self, missed: Challenge) -> None:
        """The retry asks another kind: a movement FaceMesh cannot read on this face (a blink
        behind some glasses, measured at 0.9-1.0 of the open eye) would be missed again. A
        missed turn becomes the other turn (the depth cue needs one)."""
        sequence = list(self.challenges)
        if missed in TURNS:
            other = next(c for c in TURNS if c is not missed)
            replacement = other if other not in sequence else missed
        else:
            spare = [c for c in _SPARE_ORDER if c is not missed and c not in sequence]
            replacement = spare[0] if spare else missed
        if replacement is not missed:
            self._missed.append(missed)
        sequence[self._index] = replacement
        self.challenges = tuple(sequence)

    def _start_challenge(self, t: float) -> bool:
        assert self._neutral is not None
        challenge = self.challenges[self._index]
        self._resting_since = None
        self._check = ChallengeCheck(challenge, t, self._neutral, self.settings)
        return True

    def _close_challenge(self, verdict: Verdict, t: float) -> bool:
        check = self._check
        assert check is not None
        if verdict is Verdict.PASSED:
            reaction = (check.done_at or t) - check.prompted_at
            self._outcomes.append(ChallengeOutcome(check.challenge, True, reaction))
            self._index += 1
            self._check = None
            if self._index < len(self.challenges):
                self._resting_since = t  # the prompt clears; the next comes at rest
                return True
            self._phase = _Phase.DONE
            return True
        self._outcomes.append(ChallengeOutcome(check.challenge, False, None))
        reason = (
            messages.too_early(check.challenge)
            if verdict is Verdict.TOO_EARLY
            else messages.contrary(check.challenge)
        )
        self._fail(reason, t)
        return True

    def _fail(self, reason: BilingualMessage, t: float) -> None:
        del t
        self._failure = reason
        self._check = None
        self._resting_since = None
        self._phase = _Phase.DONE

    def _update(
        self,
        changed: bool,
        faces: int,
        box: tuple[int, int, int, int] | None,
        guidance: tuple[BilingualMessage, ...],
    ) -> LivenessUpdate:
        check = self._check
        deadline = None
        if check is not None:
            left = check.prompted_at + self.settings.challenge_deadline_s - self._last_t
            deadline = max(0.0, left)
        return LivenessUpdate(
            prompt=check.challenge if check is not None else None,
            prompt_changed=changed,
            prompt_deadline_s=deadline,
            faces=faces,
            face_box=box,
            guidance=_unique(guidance),
            finished=self.finished,
        )

    # --- the decision ------------------------------------------------------------------------

    def result(self) -> LivenessResult:
        if not self.finished:
            return LivenessResult(
                False, (messages.NOT_FINISHED,), tuple(self._outcomes), self._passive(), self._best
            )
        if self._result is None:
            reasons: list[BilingualMessage] = []
            if self._failure is not None:
                reasons.append(self._failure)
            passive = self._passive()
            if not passive.depth.passed:
                reasons.append(
                    messages.NO_TURN if passive.depth.frames == 0 else messages.FLAT_FACE
                )
            if not passive.colour_moire.passed:
                reasons.append(messages.SCREEN)
            if not passive.held_up_edges.passed:
                reasons.append(messages.HELD_UP)
            outcomes = list(self._outcomes)
            done = {o.challenge for o in outcomes}
            outcomes += [
                ChallengeOutcome(c, False, None)
                for c in self.challenges[len(outcomes) :]
                if c not in done
            ]
            self._result = LivenessResult(
                live=not reasons,
                reasons=tuple(_unique(tuple(reasons))),
                challenges=tuple(outcomes),
                passive=passive,
                best_frame=self._best,
                missed=tuple(self._missed),
            )
        return self._result

    def _passive(self) -> PassiveEvidence:
        s = self.settings
        obs = self._observed
        frontal = self._frontal_reference()
        residuals = []
        if frontal is not None:
            for _, face in obs.turned:
                value = planar_residual(frontal, face)
                if math.isfinite(value):
                    residuals.append(value)
        depth_value = float(np.median(residuals)) if residuals else math.nan
        depth = PassiveCue(
            "planar_residual",
            depth_value,
            s.min_depth_residual,
            bool(residuals) and depth_value >= s.min_depth_residual,
            len(residuals),
        )
        flagged = [v > s.max_colour_moire for v in obs.moire_values]
        share = float(np.mean(flagged)) if flagged else 0.0
        moire = PassiveCue(
            "colour_moire_share",
            share,
            s.moire_max_flagged_share,
            share <= s.moire_max_flagged_share,
            len(flagged),
        )
        outlines = obs.edge_outlines
        edge_share = float(np.mean(outlines)) if outlines else 0.0
        edges = PassiveCue(
            "held_up_edges_share",
            edge_share,
            s.edges_max_outline_share,
            len(outlines) < s.edges_min_decided or edge_share <= s.edges_max_outline_share,
            len(outlines),
        )
        return PassiveEvidence(depth, moire, obs.max_left, obs.max_right, edges)

    def _frontal_reference(self) -> FaceLandmarks | None:
        if self._best is not None:
            return self._best.landmarks
        if self._observed.frontal:
            return min(self._observed.frontal, key=lambda item: item[0])[1]
        return None


def _neutral(look: list[FrameSignals]) -> Neutral:
    # Medians: a natural blink or a twitch during the look phase does not move them.
    return Neutral(
        yaw=float(np.median([f.yaw for f in look])),
        pitch=float(np.median([f.pitch for f in look])),
        eye_aspect_ratio=float(np.median([f.eye_aspect_ratio for f in look])),
        mouth_width=float(np.median([f.mouth_width for f in look])),
    )


def _box(face: FaceLandmarks) -> tuple[int, int, int, int]:
    left, top, right, bottom = face.box
    width, height = face.image_size
    x0, y0 = max(0, round(left)), max(0, round(top))
    x1, y1 = min(width, round(right)), min(height, round(bottom))
    return x0, y0, max(0, x1 - x0), max(0, y1 - y0)


def _unique(messages_: tuple[BilingualMessage, ...]) -> tuple[BilingualMessage, ...]:
    return tuple(dict.fromkeys(messages_))
