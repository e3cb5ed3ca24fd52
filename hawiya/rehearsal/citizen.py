"""One simulated citizen at the booth: the devices set for them, the enrollment core driven
through every step with the real adapters, as an operator following the booth's rules would,
and what the citizen answered (username, password, mobile, the code from their phone).

Booth rules the operator follows here (docs/rehearsal.md):
- a presentation attack (a face the passive checks find flat or shown on a screen) ends the
  enrollment at once: another session would only give the attacker another chance; any other
  failed face session is tried again, up to the core's limit of 3;
- three no_match answers of the portal on a scarred finger: the supervisor signs in at the
  station's supervisor check and approves an exception; on a finger that simply does not
  match (the wrong one), the operator stops;
- a mobile number the portal refuses: the citizen gives their own.
"""

from __future__ import annotations

import asyncio
import random
import re
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import httpx
import structlog

from hawiya.rehearsal.people import Citizen
from hawiya.rehearsal.scenarios import Identity
from hawiya.rehearsal.stack import Booth, OnDemandCamera, inserted_card
from matcher.face import FaceVerifier
from station.birth_date import Calendar
from station.card.failures import CardFailure, CardReadError
from station.card.identity import CardIdentity
from station.card.reading import ExpiredCardError
from station.clock import system_clock
from station.customer_display.model import DisplayScreen, DisplayUpdate
from station.devices.card_reader import PcscCardReader
from station.devices.fingerprint_scanner import SbiFingerprintScanner
from station.enrollment.adapters import (
    FaceCaptureStep,
    LivenessLedger,
    PortalEnrollmentAdapter,
    reason_codes,
)
from station.enrollment.audit import AuditTrail
from station.enrollment.face_capture import FaceCaptureOutcome
from station.enrollment.fingerprint_step import FingerprintStep
from station.enrollment.lookup import LookupKind
from station.enrollment.machine import (
    RIGHT_INDEX,
    Enrollment,
    EnrollmentState,
    StopReason,
)
from station.enrollment.receipt import receipt_pdf
from station.enrollment_store import EnrollmentStore
from station.operators import OperatorSession
from station.portal.client import PortalClient
from station.ui.wizard.supervisor import SupervisorCheck

log = structlog.get_logger(__name__)

S = EnrollmentState
SCARRED_FINGERS = ("scarred_finger", "heavily_scarred_finger")
CARD_READ_S = 15.0  # pcscd notices a card within about 0.4 s; under load, give it time
# LivenessSettings.min_reaction_s is 0.2 s: an action sooner than that is refused as replayed.
FAST_REACTION_S = 0.25
MAX_HICCUPS = 3  # device or portal failures that are not the person's, per step
_WORDS = (
    "amber", "caravan", "lantern", "falcon", "cardamom", "saffron", "harbour", "meadow",
    "copper", "orchard", "monsoon", "pebble", "juniper", "compass", "velvet", "tamarind",
)  # fmt: skip


@dataclass
class CitizenResult:
    citizen: Citizen
    outcome: str = "not_started"
    step_seconds: dict[str, float] = field(default_factory=dict)
    machine_seconds: float = 0.0
    human_seconds: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    enrollment_id: str | None = None
    receipt: str | None = None
    face_sessions: list[dict[str, Any]] = field(default_factory=list)  # session_timing()
    camera_open_s: float | None = None  # the face step's camera, opened to its first frame

    @property
    def person_seconds(self) -> float:
        return self.machine_seconds + sum(self.human_seconds.values())

    @property
    def as_expected(self) -> bool:
        return self.citizen.scenario.as_expected(self.outcome)


class HumanTimeline:
    """Simulated human delays (reading, typing, placing the finger), drawn from a seeded
    generator and added to the person's time, never slept: the machine runs at its own pace."""

    # step -> (low, high) seconds per occurrence
    DELAYS: ClassVar[dict[str, tuple[float, float]]] = {
        "insert_card": (3.0, 6.0),
        "type_identity": (15.0, 30.0),  # the operator types the ID and date of birth
        "read_consent": (15.0, 35.0),
        "place_finger": (2.0, 5.0),
        "face_position": (2.0, 4.0),
        "type_username": (6.0, 14.0),
        "type_password": (8.0, 18.0),
        "type_mobile": (5.0, 10.0),
        "read_and_type_code": (8.0, 18.0),
    }
    STEP_OF: ClassVar[dict[str, str]] = {
        "insert_card": "identity",
        "type_identity": "identity",
        "read_consent": "consent",
        "place_finger": "fingerprint",
        "face_position": "face",
        "type_username": "account",
        "type_password": "account",
        "type_mobile": "account",
        "read_and_type_code": "sms_code",
    }

    def __init__(self, seed: int, enabled: bool) -> None:
        self._rng = random.Random(seed)
        self.enabled = enabled
        self.by_step: dict[str, float] = {}

    def add(self, action: str) -> None:
        low, high = self.DELAYS[action]
        seconds = self._rng.uniform(low, high)  # drawn either way: the same seed, same draws
        if self.enabled:
            step = self.STEP_OF[action]
            self.by_step[step] = self.by_step.get(step, 0.0) + seconds


def username_for(citizen: Citizen) -> str:
    given = re.sub(r"[^a-z]", "", citizen.given_name_en.lower())[:8] or "citizen"
    family = re.sub(r"[^a-z]", "", citizen.family_name_en.lower())[:6] or "k"
    return f"{given}.{family}{citizen.number:02d}"


def password_for(rng: random.Random) -> str:
    # A passphrase, as NIST SP 800-63B encourages: long, no composition rules.
    return " ".join(rng.sample(_WORDS, 4))


class Operator:
    """Drives one enrollment after another on one booth."""

    def __init__(
        self,
        booth: Booth,
        client: PortalClient,
        session: OperatorSession,
        store: EnrollmentStore,
        scanner: SbiFingerprintScanner,
        card_reader: PcscCardReader,
        admin: httpx.AsyncClient,
        portal_admin: httpx.AsyncClient,
        receipts: Path,
        *,
        verifier: FaceVerifier,
        human_delays: bool,
        supervisor: SupervisorCheck,
        supervisor_credentials: tuple[str, str],
    ) -> None:
        self.booth = booth
        self.client = client
        self.session = session
        self.store = store
        self.scanner = scanner
        self.card_reader = card_reader
        self.admin = admin
        self.portal_admin = portal_admin
        self.receipts = receipts
        self.human_delays = human_delays
        self.camera = OnDemandCamera(booth.video_url)
        self.verifier = verifier
        self.supervisor = supervisor
        self.supervisor_credentials = supervisor_credentials

    async def enroll(self, citizen: Citizen) -> CitizenResult:
        seed = self.booth.seed * 1000 + citizen.number
        timeline = HumanTimeline(seed, self.human_delays)
        arrived = time.monotonic()
        liveness = LivenessLedger()
        face = FaceCaptureStep(
            self.camera,
            self.booth.display,
            liveness,
            rng=_seeded_rngs(seed),
            verifier=self.verifier,
        )
        with ExitStack() as card_in_reader:
            # The citizen hands the card over (its process starting is not the booth's time)
            # while the scanner and camera take the person: independent processes, so at once.
            arriving = [_seconds(self._set_devices(citizen, seed))]
            if citizen.scenario.identity is not Identity.MANUAL:
                timeline.add("insert_card")
                card = self._card(citizen)
                arriving.append(_seconds(asyncio.to_thread(card_in_reader.enter_context, card)))
            # Both finish before the stack may unwind: no card process outlives a failure.
            took = await asyncio.gather(*arriving, return_exceptions=True)
            for outcome in took:
                if isinstance(outcome, BaseException):
                    raise outcome
            # Where the wall time between two citizens goes (not the booth's time).
            log.info(
                "rehearsal.citizen_ready",
                number=citizen.number,
                seconds=round(time.monotonic() - arrived, 3),
                devices_s=took[0],
                card_s=took[1] if len(took) > 1 else None,
            )
            return await self._enroll(citizen, timeline, face, liveness)

    async def _enroll(
        self,
        citizen: Citizen,
        timeline: HumanTimeline,
        face: FaceCaptureStep,
        liveness: LivenessLedger,
    ) -> CitizenResult:
        result = CitizenResult(citizen)
        enrollment = Enrollment(
            session=self.session,
            station_id=self.client.station_id,
            portal=PortalEnrollmentAdapter(self.client, liveness),
            fingerprint=FingerprintStep(self.scanner, self.client, self._token()),
            face=face,
            display=self.booth.display,
            journal=AuditTrail(self.store),
            clock=system_clock,
        )
        result.enrollment_id = enrollment.id
        try:
            await self._walk(enrollment, citizen, face, timeline, result)
        finally:
            if not enrollment.finished:
                enrollment.cancel("rehearsal_interrupted")
            self.booth.display.show(DisplayUpdate(DisplayScreen.IDLE))
        record = enrollment.record
        assert record is not None
        result.outcome = record.outcome.value + (f":{record.reason}" if record.reason else "")
        if record.outcome.value == "completed":
            result.outcome = "completed"
        result.step_seconds = {k: round(v, 3) for k, v in record.step_seconds.items()}
        result.machine_seconds = (record.ended_at - record.started_at).total_seconds()
        if _at(enrollment, S.COMPLETED):
            started = time.monotonic()
            pdf = receipt_pdf(enrollment.receipt())
            path = self.receipts / f"{citizen.number:03d}-{enrollment.portal_enrollment_id}.pdf"
            path.write_bytes(pdf)
            result.receipt = str(path)
            receipt_s = time.monotonic() - started
            result.step_seconds["receipt"] = round(receipt_s, 3)
            result.machine_seconds += receipt_s
        result.human_seconds = {k: round(v, 2) for k, v in timeline.by_step.items()}
        return result

    def _token(self) -> str:
        assert self.session.token is not None
        return self.session.token

    async def _set_devices(self, citizen: Citizen, seed: int) -> None:
        scenario = citizen.scenario
        finger = self.admin.put(
            f"{self.booth.scanner_url}/admin/subject",
            json={"id_number": citizen.id_number, "scenario": scenario.finger},
        )
        # The attacker holds up the card holder's picture; otherwise the citizen sits there.
        subject: dict[str, Any] = {
            "id_number": citizen.card_holder if scenario.attack else citizen.id_number,
            "scenario": "cooperative",
            "behaviour_seed": seed,
        }
        if scenario.attack:
            subject["attack"] = scenario.attack
        elif not self.human_delays:
            # Machine time: the person follows each prompt at once (just over the liveness
            # check's shortest human reaction), never late, never missing one.
            subject["reaction_s"] = FAST_REACTION_S
        face = self.admin.put(f"{self.booth.camera_url}/admin/subject", json=subject)
        for answer in await asyncio.gather(finger, face):
            answer.raise_for_status()

    async def _walk(
        self,
        enrollment: Enrollment,
        citizen: Citizen,
        face: FaceCaptureStep,
        timeline: HumanTimeline,
        result: CitizenResult,
    ) -> None:
        scenario = citizen.scenario
        if scenario.identity is Identity.MANUAL:
            timeline.add("type_identity")
            enrollment.enter_identity(
                citizen.id_number, citizen.birth_date.isoformat(), Calendar.GREGORIAN
            )
        else:
            await self._read_card(enrollment, result)
        if enrollment.finished:
            return
        await self._look_up(enrollment, result)
        if not _at(enrollment, S.CONSENT):
            return
        timeline.add("read_consent")
        enrollment.give_consent()
        await self._fingerprint(enrollment, citizen, timeline, result)
        if not _at(enrollment, S.FACE):
            return
        timeline.add("face_position")
        opening = time.monotonic()
        with self.camera.watching():
            result.camera_open_s = round(time.monotonic() - opening, 3)
            await self._face(enrollment, face, result)
        if not _at(enrollment, S.ACCOUNT):
            return
        await self._account(enrollment, citizen, timeline, result)
        if not _at(enrollment, S.SUBMIT):
            return
        for _ in range(MAX_HICCUPS):
            outcome = await enrollment.submit()
            if not _at(enrollment, S.SUBMIT):
                return
            result.notes.append(f"submit: {outcome.message.en}")
        enrollment.cancel("portal_unavailable")

    @contextmanager
    def _card(self, citizen: Citizen) -> Iterator[None]:
        with inserted_card(
            self.booth,
            citizen.card_holder,
            citizen.card_scenario,
            f"card-{citizen.number:03d}",
        ):
            yield

    async def _read_card(self, enrollment: Enrollment, result: CitizenResult) -> None:
        deadline = time.monotonic() + CARD_READ_S
        while True:
            try:
                card: CardIdentity = await asyncio.to_thread(self.card_reader.read)
            except ExpiredCardError as expired:
                enrollment.accept_card(expired.identity)  # genuine: the core refuses it
                return
            except CardReadError as error:
                if error.failure is CardFailure.CARD_NOT_GENUINE:
                    enrollment.refuse_card(error.detail.split(":", 1)[0] or "not_genuine")
                    return
                waiting = error.failure in (CardFailure.NO_CARD, CardFailure.CARD_REMOVED)
                if waiting and time.monotonic() < deadline:
                    await asyncio.sleep(0.1)  # pcscd has not noticed the card yet
                    continue
                result.notes.append(f"card: {error}")
                enrollment.cancel(f"card_read_failed:{error.failure.value}")
                return
            enrollment.accept_card(card)
            return

    async def _look_up(self, enrollment: Enrollment, result: CitizenResult) -> None:
        for _ in range(MAX_HICCUPS):
            outcome = await enrollment.look_up()
            if outcome.kind is not LookupKind.PORTAL_UNREACHABLE:
                break
        if _at(enrollment, S.IDENTITY):  # the typed identity was not found
            result.notes.append("lookup: not found")
            enrollment.cancel("identity_not_found")
        elif _at(enrollment, S.LOOKUP):
            result.notes.append("lookup: portal unreachable")
            enrollment.cancel("portal_unavailable")

    async def _fingerprint(
        self,
        enrollment: Enrollment,
        citizen: Citizen,
        timeline: HumanTimeline,
        result: CitizenResult,
    ) -> None:
        hiccups = 0
        while _at(enrollment, S.FINGERPRINT):
            timeline.add("place_finger")
            captures_before = enrollment.finger_captures_left(RIGHT_INDEX)
            outcome = await enrollment.capture_finger(RIGHT_INDEX)
            if outcome.needs_supervisor:
                result.notes.append(f"fingerprint: {outcome.message.en}")
                if citizen.scenario.finger in SCARRED_FINGERS:
                    await self._supervisor_exception(enrollment, result)
                else:
                    enrollment.stop(StopReason.FINGERPRINT_NOT_VERIFIED)
            elif not outcome.ok:
                result.notes.append(f"fingerprint: {outcome.message.en}")
                if enrollment.finger_captures_left(RIGHT_INDEX) == captures_before:
                    hiccups += 1  # the scanner's or the portal's fault: no try spent
                    if hiccups >= MAX_HICCUPS:
                        enrollment.cancel("scanner_unavailable")

    async def _supervisor_exception(self, enrollment: Enrollment, result: CitizenResult) -> None:
        """The booth's supervisor comes over, signs in at the station (checked by the portal,
        or by the hash cached at this station when it is down) and approves the exception."""
        username, password = self.supervisor_credentials
        verdict = await self.supervisor.check(
            username, password, operator_id=self.session.operator_id
        )
        if not verdict.approved or verdict.supervisor_id is None:
            result.notes.append(f"supervisor: {verdict.message.en}")
            enrollment.stop(StopReason.FINGERPRINT_NOT_VERIFIED)
            return
        result.notes.append(f"fingerprint: exception approved by {verdict.supervisor_id}")
        enrollment.approve_fingerprint_exception(
            verdict.supervisor_id, "heavily scarred right index: ridges lost across the core"
        )

    async def _face(
        self, enrollment: Enrollment, face: FaceCaptureStep, result: CitizenResult
    ) -> None:
        hiccups = 0
        while _at(enrollment, S.FACE) and enrollment.face_sessions_left > 0:
            before = enrollment.face_sessions_left
            previous = face.last_outcome
            outcome = await enrollment.capture_face()
            last = face.last_outcome
            codes: tuple[str, ...] = ()
            if last is not None and last is not previous:  # a session ran
                codes = reason_codes(last)
                timing = session_timing(last)
                log.info("rehearsal.face_session", number=result.citizen.number, **timing)
                result.face_sessions.append(timing)
                result.notes.append(
                    f"face session: {last.decision} {','.join(codes)} "
                    f"({last.duration_s:.1f} s, {timing['fps']} fps)"
                )
            if not _at(enrollment, S.FACE):
                return
            if enrollment.face_sessions_left == before:  # the reference photo failed
                hiccups += 1
                result.notes.append(f"face: {outcome.message.en}")
                if hiccups >= MAX_HICCUPS:
                    enrollment.cancel("reference_photo_unavailable")
                continue
            if {"flat_face", "screen", "held_up"} & set(codes):
                enrollment.stop(StopReason.FACE_NOT_LIVE)

    async def _account(
        self,
        enrollment: Enrollment,
        citizen: Citizen,
        timeline: HumanTimeline,
        result: CitizenResult,
    ) -> None:
        rng = random.Random(self.booth.seed * 7919 + citizen.number)
        username = username_for(citizen)
        password = password_for(rng)
        mobiles = [citizen.local_mobile]
        if citizen.other_mobile is not None:
            mobiles.insert(0, "0" + citizen.other_mobile.removeprefix("+966"))
        timeline.add("type_username")
        timeline.add("type_password")
        for mobile in mobiles:
            timeline.add("type_mobile")
            outcome = await enrollment.open_account(
                username=username, password=password, mobile=mobile
            )
            if not _at(enrollment, S.ACCOUNT):
                break
            fields = [name for name, _ in outcome.field_errors]
            result.notes.append(f"account refused: {','.join(fields) or outcome.message.en}")
            if fields != ["mobile"]:
                enrollment.cancel("account_refused")
                return
        if _at(enrollment, S.ACCOUNT):
            enrollment.cancel("account_refused")
            return
        code = await self._code_on_phone(citizen.mobile)
        for _ in range(citizen.scenario.wrong_codes):
            timeline.add("read_and_type_code")
            await enrollment.enter_code(_mistyped(code))
            if not _at(enrollment, S.SMS_CODE):
                return
        timeline.add("read_and_type_code")
        outcome = await enrollment.enter_code(code)
        if _at(enrollment, S.SMS_CODE):
            result.notes.append(f"code: {outcome.message.en}")
            enrollment.cancel("code_not_accepted")

    async def _code_on_phone(self, mobile: str, timeout_s: float = 10.0) -> str:
        """The newest activation code on the citizen's phone (the portal's SMS outbox)."""
        deadline = time.monotonic() + timeout_s
        while True:
            answer = await self.portal_admin.get(
                f"{self.booth.portal_url}/v1/simulation/sms-outbox", params={"to": mobile}
            )
            answer.raise_for_status()
            for message in answer.json()["messages"]:
                if message["kind"] == "activation_code":
                    found = re.search(r"\b([0-9]{6})\b", message["text"])
                    if found:
                        return found.group(1)
            if time.monotonic() > deadline:
                raise RuntimeError(f"no activation code reached {mobile} in {timeout_s:.0f} s")
            await asyncio.sleep(0.1)


def session_timing(outcome: FaceCaptureOutcome) -> dict[str, Any]:
    """Where one face session's time went: the frames the station's liveness loop processed
    per second while the camera rendered, each challenge's reaction (None: not seen done, or
    asked again after a miss), the passive cues, and the session's length."""
    timing: dict[str, Any] = {
        "decision": str(outcome.decision),
        "seconds": round(outcome.duration_s, 2),
        "frames": outcome.frames_processed,
        "fps": round(outcome.frames_processed / max(outcome.duration_s, 1e-6), 1),
        "challenges": [str(c) for c in outcome.challenges],
    }
    result = outcome.liveness
    if result is not None:
        timing["reactions_s"] = [
            None if c.reaction_s is None else round(c.reaction_s, 2) for c in result.challenges
        ]
        timing["passed"] = [c.passed for c in result.challenges]
        passive = result.passive
        timing["depth"] = round(passive.depth.value, 4)
        timing["depth_frames"] = passive.depth.frames
        timing["moire_share"] = round(passive.colour_moire.value, 3)
        timing["max_yaw"] = [round(passive.max_yaw_left, 1), round(passive.max_yaw_right, 1)]
    return timing


async def _seconds(step: Awaitable[object]) -> float:
    started = time.monotonic()
    await step
    return round(time.monotonic() - started, 3)


def _at(enrollment: Enrollment, state: EnrollmentState) -> bool:
    # A function, not an inline `is`: the state changes under each awaited step, which a type
    # checker narrowing on the attribute would not see.
    return enrollment.state is state


def _mistyped(code: str) -> str:
    # Two neighbouring digits swapped, or the last one off by one when they are the same.
    if code[4] != code[5]:
        return code[:4] + code[5] + code[4]
    return code[:5] + str((int(code[5]) + 1) % 10)


def _seeded_rngs(seed: int) -> Callable[[], random.Random]:
    """A fresh generator per face session, each from the citizen's seed and the session
    number: the challenges are the same on every run with this seed."""
    counter = iter(range(1, 100))

    def make() -> random.Random:
        return random.Random(seed * 100 + next(counter))

    return make
