"""The Face step in the TUI, with the real liveness check and matcher, fed by frame sources of
pre-rendered pictures or of the simulated person drawn in-process on a synthetic clock."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import numpy.typing as npt
from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.widgets import Static

from simulator.subject.identity import make_identity
from simulator.subject.portrait import render_card_portrait
from station.customer_display.model import DisplayPublisher
from station.devices.camera import FrameSource
from station.enrollment.face_capture import FaceDecision
from station.operators import OperatorSession
from station.settings import load_settings
from station.ui.app import StationApp
from station.ui.steps.face.messages import FaceProgressed
from station.ui.steps.face.screen import FaceStepScreen
from station.ui.widgets.bilingual_lines import BilingualLines
from station.ui.widgets.half_block_preview import HalfBlockPreview
from tests.station.conftest import FakeClock, FixedDeviceStatus, FixedPortal, look_up, open_lookup
from tests.station.face_sources import PromptedDisplay, RenderedSubject, StillFrames
from tests.station.test_snapshots import PERSON

SIZE = (130, 38)
SESSION_WAIT_S = 120.0  # a whole liveness session on a loaded 2-core machine


class FaceStepHost(App[None]):
    """Only the face step, with its frames, display and reference injected."""

    def __init__(
        self,
        frames: FrameSource,
        display: DisplayPublisher | None,
        reference: npt.NDArray[np.uint8] | None,
        seed: int = 11,
    ) -> None:
        super().__init__()
        self.step = FaceStepScreen(
            frames=frames,
            display=display,
            reference=reference,
            station_id="station-0001",
            challenge_rng=random.Random(seed),
        )

        self.guidance_seen: list[str] = []

    def compose(self) -> ComposeResult:
        yield Static("host")

    def on_face_progressed(self, message: FaceProgressed) -> None:
        # Bubbled up from the step, which has shown it: every guidance line, none missed.
        self.guidance_seen.extend(line.en for line in message.update.guidance)

    def on_mount(self) -> None:
        self.push_screen(self.step)


async def wait_for_outcome(pilot: Pilot[Any], step: FaceStepScreen) -> None:
    await pilot.app.workers.wait_for_complete()
    # The finished message is posted from the worker thread; let the screen take it.
    for _ in range(200):
        if step.outcome is not None:
            return
        await pilot.pause(0.01)
    raise AssertionError("the face step showed no result")


def _text(step: FaceStepScreen, selector: str) -> str:
    lines = step.query_one(selector, BilingualLines)
    return lines.message.en if lines.message else ""


async def test_a_live_person_is_shown_live_and_matched_with_the_figures() -> None:
    person = make_identity(5, "male", 35.0, "SAU")
    subject = RenderedSubject(person, behaviour_seed=3)
    app = FaceStepHost(subject, PromptedDisplay(subject), render_card_portrait(person))
    async with app.run_test(size=SIZE) as pilot:
        step = app.step
        await wait_for_outcome(pilot, step)
        await pilot.pause()
        assert step.outcome is not None
        assert step.outcome.decision is FaceDecision.MATCH, step.outcome.liveness_reasons
        assert "same person" in _text(step, "#face-headline")
        match = _text(step, "#face-match")
        assert "threshold" in match
        assert "dlib_face_recognition_resnet_model_v1" in match
        assert step.query_one("#face-headline", BilingualLines).has_class("-good")
        preview = step.query_one(HalfBlockPreview)
        assert preview.frames_shown > 0
        assert preview.size == (80, 30)


async def test_no_face_is_explained_in_words_and_the_reasons_are_listed() -> None:
    grey = np.full((480, 640, 3), 128, np.uint8)
    app = FaceStepHost(StillFrames(grey, 200, step_s=0.5), None, grey)
    async with app.run_test(size=SIZE) as pilot:
        step = app.step
        await wait_for_outcome(pilot, step)
        await pilot.pause()
        assert step.outcome is not None
        assert step.outcome.decision is FaceDecision.NOT_LIVE
        assert "Liveness check failed" in _text(step, "#face-headline")
        reasons = step.query(".face-reason").results(BilingualLines)
        assert [r.message.en for r in reasons if r.message]


async def test_a_face_far_from_the_camera_is_asked_to_come_closer() -> None:
    portrait = render_card_portrait(make_identity(5, "male", 35.0, "SAU"))
    # A third of the portrait's size: the eyes 46 px apart, where 60 are wanted.
    small = cv2.resize(portrait, None, fx=0.3, fy=0.3, interpolation=cv2.INTER_AREA)
    frame = np.full((480, 640, 3), 90, np.uint8)
    height, width = small.shape[:2]
    frame[150 : 150 + height, 250 : 250 + width] = small
    app = FaceStepHost(StillFrames(frame, 20), None, portrait)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_outcome(pilot, app.step)
    assert any("move closer" in text for text in app.guidance_seen), app.guidance_seen


async def test_escape_cancels_the_capture_and_leaves_the_step() -> None:
    grey = np.full((240, 320, 3), 128, np.uint8)
    app = FaceStepHost(StillFrames(grey, 10_000, step_s=0.01), None, grey)
    async with app.run_test(size=SIZE) as pilot:
        assert app.screen.id == "face-step"
        await pilot.press("escape")
        await pilot.app.workers.wait_for_complete()
        assert app.screen.id != "face-step"
        assert app.step._capture is not None
        assert app.step._capture.cancelled


async def test_ctrl_f_after_finding_an_eligible_person_opens_the_face_step(
    tmp_path: Path,
) -> None:
    clock = FakeClock(datetime(2025, 3, 1, 9, 0, tzinfo=UTC))
    grey = np.full((240, 320, 3), 128, np.uint8)
    app = StationApp(
        load_settings(state_dir=tmp_path),
        FixedPortal(PERSON, clock),
        clock=clock,
        device_status=FixedDeviceStatus(),
        station_id="station-0001",
        camera=StillFrames(grey, 5),
    )
    session = OperatorSession("op-test", "op-test", "Test Operator", "operator", "t", clock())
    async with app.run_test(size=SIZE) as pilot:
        await open_lookup(pilot, session)
        await pilot.press("ctrl+f")  # nobody looked up yet: nothing happens
        assert app.screen.id == "lookup-step"
        await look_up(pilot, PERSON.id_number, PERSON.birth_date.isoformat())
        await pilot.press("ctrl+f")
        await pilot.pause()
        assert app.screen.id == "face-step"
        await pilot.app.workers.wait_for_complete()
