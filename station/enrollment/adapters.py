"""Small adapters that fit the real parts to the enrollment core's ports
(`station.enrollment.ports`): the HTTPS `PortalClient` to `EnrollmentPortal`, and one face
session (`FaceCapture` on a camera) to `FaceStep`. The fingerprint step and the card reader's
identity already have the shapes the core asks for.

The two adapters of one enrollment share a `LivenessLedger`: the face step notes the checks of
the session it accepted, and the portal adapter cites them in the submission.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

import cv2
import numpy as np
import numpy.typing as npt

from matcher.face import FaceVerifier
from station.customer_display.model import DisplayPublisher
from station.devices.camera import FrameSource
from station.enrollment.evidence import EnrollmentEvidence
from station.enrollment.face_capture import FaceCapture, FaceCaptureOutcome, FaceDecision
from station.enrollment.ports import BiometricBytes
from station.portal.account_models import (
    AccountRequest,
    ExceptedFinger,
    FingerprintExceptionEvidence,
    LivenessResult,
)
from station.portal.account_models import (
    EnrollmentEvidence as PortalEvidence,
)
from station.portal.client import PortalClient
from station.portal.errors import PortalProblemError
from station.portal.models import IdentityQuery, IdentityRecord, OperatorGrant, PortalHealth

# Portrait JPEG quality: the portal accepts at most 1 MB; a 640x480 frame at 90 is ~60 kB.
_JPEG_QUALITY = 90


@dataclass(slots=True)
class LivenessLedger:
    """The named checks of the last face session the core accepted (challenges and passive
    cues), for the submission's `liveness.checks`."""

    checks: tuple[LivenessResult, ...] = ()


# --- portal ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AccountStarted:
    challenge_id: str  # the portal's enrollment id: codes and the submit are under it
    masked_mobile: str
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class CodeVerdict:
    accepted: bool
    expired: bool = False


@dataclass(frozen=True, slots=True)
class SubmitAnswer:
    enrollment_id: str
    account_id: str


class PortalEnrollmentAdapter:
    """`EnrollmentPortal` over `PortalClient`: the core's calls and evidence in, the portal's
    contract (docs/portal-api.md, "Accounts and enrollment") out."""

    def __init__(self, client: PortalClient, liveness: LivenessLedger) -> None:
        self.client = client
        self._liveness = liveness

    async def health(self) -> PortalHealth:
        return await self.client.health()

    async def sign_in(self, username: str, password: str) -> OperatorGrant:
        return await self.client.sign_in(username, password)

    async def lookup(self, token: str, query: IdentityQuery) -> IdentityRecord:
        return await self.client.lookup(token, query)

    async def aclose(self) -> None:
        await self.client.aclose()

    async def reference_photo(self, token: str, id_number: str) -> BiometricBytes:
        return bytearray(await self.client.reference_photo(token, id_number))

    async def username_available(self, token: str, username: str) -> bool:
        return (await self.client.username_available(token, username)).available

    async def start_account(
        self,
        token: str,
        *,
        id_number: str,
        username: str,
        password: str,
        mobile: str,
        email: str | None,
    ) -> AccountStarted:
        draft = await self.client.start_enrollment(
            token, AccountRequest(id_number, username, password, mobile, email)
        )
        return AccountStarted(draft.enrollment_id, draft.code.mobile_masked, draft.expires_at)

    async def verify_code(self, token: str, challenge_id: str, code: str) -> CodeVerdict:
        try:
            await self.client.verify_code(token, challenge_id, code)
        except PortalProblemError as problem:
            # A wrong code is the person's answer, not a failed call: the core counts it.
            if problem.kind == "code-incorrect":
                return CodeVerdict(accepted=False)
            if problem.kind in ("code-expired", "code-attempts-exhausted"):
                return CodeVerdict(accepted=False, expired=True)
            raise
        return CodeVerdict(accepted=True)

    async def resend_code(self, token: str, challenge_id: str) -> AccountStarted:
        status = await self.client.resend_code(token, challenge_id)
        return AccountStarted(challenge_id, status.mobile_masked, status.code_expires_at)

    async def submit(
        self, token: str, idempotency_key: str, evidence: EnrollmentEvidence
    ) -> SubmitAnswer:
        activated = await self.client.submit_enrollment(
            token,
            evidence.account_challenge_id,
            portal_evidence(evidence, self._liveness.checks),
            idempotency_key,
        )
        return SubmitAnswer(activated.enrollment_id, activated.account_id)


def portal_evidence(
    evidence: EnrollmentEvidence, checks: tuple[LivenessResult, ...]
) -> PortalEvidence:
    """The core's evidence in the portal's terms. A supervisor's fingerprint exception goes in
    place of the verification id, citing the finger's failed verifications."""
    face = evidence.face
    card = evidence.identity_source == "card"
    return PortalEvidence(
        passive_authentication_source="card" if card else "manual_entry",
        passive_authentication_result=(
            "not_performed"
            if evidence.passive_auth_valid is None
            else "passed"
            if evidence.passive_auth_valid
            else "failed"
        ),
        fingerprint_verification_id=(
            evidence.fingerprint.verification_id if evidence.fingerprint is not None else None
        ),
        fingerprint_exception=_exception_evidence(evidence),
        face_score=face.score if face.score is not None else 0.0,
        face_threshold=face.threshold,
        face_model=face.model,
        face_reference="card_portrait" if face.reference == "card_portrait" else "reference_photo",
        liveness_passed=face.live,
        liveness_checks=checks,
        portrait_jpeg=bytes(evidence.portrait_jpeg),
        consent_text_version=evidence.consent.text_version,
        consent_accepted_at=evidence.consent.given_at,
        consent_language="ar",
        operator_id=evidence.operator_id,
        station_id=evidence.station_id,
    )


def _exception_evidence(evidence: EnrollmentEvidence) -> FingerprintExceptionEvidence | None:
    exception = evidence.fingerprint_exception
    if exception is None:
        return None
    finger = ExceptedFinger(
        exception.finger_position, exception.category, exception.failed_verification_ids
    )
    # The supervisor's words go as the note, which the portal keeps up to 500 characters.
    return FingerprintExceptionEvidence(
        (finger,), exception.supervisor_id, exception.approved_at, exception.reason[:500]
    )


# --- face ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FaceSession:
    """One session as the core reads it. The matcher measures a distance (a match below the
    threshold); the portal compares a score against a threshold (a match at or above it), so
    both are given as similarities: score = 1 - distance, threshold = 1 - distance threshold."""

    live: bool
    reasons: tuple[str, ...]
    score: float | None
    threshold: float
    model: str
    decision: str
    best_frame_jpeg: bytearray | None = field(default=None, repr=False)
    best_frame: npt.NDArray[np.generic] | None = field(default=None, repr=False)


# FaceCapture's decisions in the core's words ("match" | "no_match" | "no_face" | "not_live").
_CORE_DECISION = {
    FaceDecision.MATCH: "match",
    FaceDecision.NO_MATCH: "no_match",
    FaceDecision.NOT_LIVE: "not_live",
    FaceDecision.NO_REFERENCE: "no_face",
    FaceDecision.MATCH_FAILED: "no_face",
    FaceDecision.CAMERA_LOST: "no_face",
    FaceDecision.CANCELLED: "no_face",
}
# dlib's production threshold, for the sessions that never reached a comparison.
_DEFAULT_DISTANCE_THRESHOLD = 0.3788
_DEFAULT_MODEL = "dlib_face_recognition_resnet_model_v1"


class FaceCaptureStep:
    """`FaceStep` over the camera: each `capture_and_match` is one `FaceCapture` session run in
    a worker thread, so the event loop (portal calls, the customer display) keeps going."""

    def __init__(
        self,
        frames: FrameSource,
        display: DisplayPublisher | None,
        liveness: LivenessLedger,
        *,
        rng: Callable[[], random.Random] = random.SystemRandom,
        frame_timeout_s: float = 10.0,
        verifier: FaceVerifier | None = None,
    ) -> None:
        self._frames = frames
        self._display = display
        self._liveness = liveness
        self._rng = rng
        self._frame_timeout_s = frame_timeout_s
        # One verifier for every session: loading its models costs about a second each time.
        self._verifier = verifier
        self._running: FaceCapture | None = None
        self.last_outcome: FaceCaptureOutcome | None = None

    def cancel(self) -> None:
        if self._running is not None:
            self._running.cancel()

    async def capture_and_match(self, reference_jpeg: BiometricBytes) -> FaceSession:
        reference = _decode_jpeg(reference_jpeg)
        capture = FaceCapture(
            self._frames,
            self._display,
            rng=self._rng(),
            frame_timeout_s=self._frame_timeout_s,
            verifier=self._verifier,
        )
        self._running = capture
        try:
            outcome = await asyncio.to_thread(capture.run, reference)
        finally:
            self._running = None
            if reference is not None:
                reference.fill(0)
        self.last_outcome = outcome
        session = face_session(outcome)
        if session.live and session.decision == "match":
            self._liveness.checks = liveness_checks(outcome)
        return session


def _decode_jpeg(data: BiometricBytes) -> npt.NDArray[np.uint8] | None:
    image = cv2.imdecode(np.frombuffer(bytes(data), np.uint8), cv2.IMREAD_COLOR)
    return None if image is None else np.asarray(image, dtype=np.uint8)


def face_session(outcome: FaceCaptureOutcome) -> FaceSession:
    distance_threshold = outcome.threshold or _DEFAULT_DISTANCE_THRESHOLD
    best = outcome.best_frame
    jpeg: bytearray | None = None
    frame: npt.NDArray[np.generic] | None = None
    if best is not None:
        frame = np.array(best.image, copy=True)
        ok, encoded = cv2.imencode(".jpg", frame, [cv2.IMWRITE_JPEG_QUALITY, _JPEG_QUALITY])
        jpeg = bytearray(encoded.tobytes()) if ok else None
    return FaceSession(
        live=outcome.live,
        reasons=reason_codes(outcome),
        score=None if outcome.match_distance is None else round(1.0 - outcome.match_distance, 4),
        threshold=round(1.0 - distance_threshold, 4),
        model=outcome.model or _DEFAULT_MODEL,
        decision=_CORE_DECISION[outcome.decision],
        best_frame_jpeg=jpeg,
        best_frame=frame,
    )


def reason_codes(outcome: FaceCaptureOutcome) -> tuple[str, ...]:
    """Short codes for the audit trail and the stop reason: failed challenges and cues."""
    codes: list[str] = []
    result = outcome.liveness
    if result is not None:
        codes += [f"challenge_{c.challenge}" for c in result.challenges if not c.passed]
        if not result.passive.depth.passed:
            codes.append("flat_face" if result.passive.depth.frames else "no_turn")
        if not result.passive.colour_moire.passed:
            codes.append("screen")
        if not result.passive.held_up_edges.passed:
            codes.append("held_up")
        if not result.live and not codes:
            codes.append("not_live")
    elif outcome.decision in (FaceDecision.CAMERA_LOST, FaceDecision.CANCELLED):
        codes.append(str(outcome.decision))
    if outcome.decision is FaceDecision.NO_MATCH:
        codes.append("no_match")
    elif outcome.decision is FaceDecision.MATCH_FAILED:
        codes.append("match_failed")
    return tuple(codes)


def liveness_checks(outcome: FaceCaptureOutcome) -> tuple[LivenessResult, ...]:
    result = outcome.liveness
    if result is None:
        return ()
    checks = [LivenessResult(str(c.challenge), c.passed, c.reaction_s) for c in result.challenges]
    passive = result.passive
    for cue in (passive.depth, passive.colour_moire, passive.held_up_edges):
        checks.append(LivenessResult(cue.name, cue.passed, round(cue.value, 4)))
    return tuple(checks)
