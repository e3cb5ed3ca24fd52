"""The wizard's face step with a watchable face part (the booth's `LiveFaceStep` shape): the
camera's picture beside the step, the face box and the current challenge over it while a
session runs, and the camera let go when the step is left."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import numpy as np

from matcher.liveness import Challenge, LivenessUpdate
from station.devices.camera import CameraFrame
from station.enrollment.face_capture import FaceCaptureProgress
from station.ui.widgets.half_block_preview import HalfBlockPreview, PreviewOverlay
from station.ui.wizard.face import FaceScreen, WatchableFaceStep
from tests.station.conftest import wait_for
from tests.station.enrollment.booth_parts import FaceResult, ScriptedFaces
from tests.station.wizard.conftest import SIZE, WizardBooth, on_screen, open_at, settled

CHALLENGES = (Challenge.BLINK, Challenge.TURN_LEFT)


class StillCamera:
    """A camera showing one grey picture, numbered up by each read."""

    def __init__(self) -> None:
        self.image = np.full((480, 640, 3), 128, dtype=np.uint8)
        self.number = 0

    def latest(self) -> CameraFrame | None:
        self.number += 1
        return CameraFrame(self.image, float(self.number), self.number)

    def wait_for_frame(self, after: int, timeout_s: float) -> CameraFrame | None:
        return self.latest()


class WatchableFaces(ScriptedFaces):
    """Scripted sessions that stay open until released, with a camera and watchers."""

    def __init__(self, inner: ScriptedFaces) -> None:
        super().__init__(inner.ledger, inner.clock)
        self.frames = StillCamera()
        self.listeners: list[Callable[[FaceCaptureProgress], None]] = []
        self.watching = 0
        self.cancelled = 0
        self.release = asyncio.Event()

    def watch(self, listener: Callable[[FaceCaptureProgress], None]) -> Callable[[], None]:
        self.listeners.append(listener)
        self.watching += 1

        def stop() -> None:
            self.listeners.remove(listener)
            self.watching -= 1

        return stop

    def cancel(self) -> None:
        self.cancelled += 1
        self.release.set()

    def report(self, prompt: Challenge | None) -> None:
        frame = self.frames.latest()
        assert frame is not None
        update = LivenessUpdate(prompt, True, 4.2, 1, (200, 120, 240, 260), (), False)
        for listener in list(self.listeners):
            listener(FaceCaptureProgress(frame, update, CHALLENGES, frame.number))

    async def capture_and_match(self, reference_jpeg: bytes | bytearray) -> FaceResult:
        await self.release.wait()
        return await super().capture_and_match(reference_jpeg)


def shown_overlay(preview: HalfBlockPreview) -> PreviewOverlay | None:
    return preview.overlay  # read afresh: the screen sets it between awaits


async def test_the_face_step_shows_the_camera_live_with_box_and_challenge(
    booth: WizardBooth,
) -> None:
    faces = WatchableFaces(booth.faces)
    assert isinstance(faces, WatchableFaceStep)
    async with booth.app(face=faces).run_test(size=(120, 36)) as pilot:
        await open_at(pilot, booth, "face")
        preview = pilot.app.screen.query_one("#face-preview", HalfBlockPreview)
        await wait_for(pilot, lambda: preview.frames_shown > 0, "a camera picture")
        assert faces.watching == 1
        assert preview.overlay is None  # no session yet: nothing over the picture

        await pilot.press("c")
        await wait_for(pilot, lambda: faces.listeners != [], "the watcher")
        faces.report(Challenge.TURN_LEFT)
        await wait_for(
            pilot,
            lambda: preview.overlay is not None and preview.overlay.label is not None,
            "the challenge over the picture",
        )
        overlay = shown_overlay(preview)
        assert overlay is not None
        assert overlay.face_box is not None
        assert tuple(overlay.face_box) == (200, 120, 240, 260)
        assert overlay.label is not None
        assert "Turn head to their left" in overlay.label
        screen = pilot.app.screen
        assert isinstance(screen, FaceScreen)
        challenges = str(screen.query_one("#face-challenges").render())
        assert "✓ Blink" in challenges

        faces.release.set()
        await on_screen(pilot, "wizard-account")
        await settled(pilot)
        assert faces.watching == 0, "the camera is let go once the step is left"


async def test_leaving_mid_session_cancels_it_and_lets_the_camera_go(booth: WizardBooth) -> None:
    faces = WatchableFaces(booth.faces)
    async with booth.app(face=faces).run_test(size=SIZE) as pilot:
        await open_at(pilot, booth, "face")
        await pilot.press("c")
        await wait_for(pilot, lambda: pilot.app.screen.busy, "the session to run")  # type: ignore[attr-defined]
        await pilot.press("escape")
        await pilot.press("y")
        await on_screen(pilot, "wizard-ended")
        await settled(pilot)
        assert faces.cancelled == 1
        assert faces.watching == 0
