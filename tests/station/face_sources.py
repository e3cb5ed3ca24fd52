"""Frame sources for the face tests, each a `FrameSource` as the camera is.

`RenderedSubject` draws the simulated person in-process on a synthetic clock (one frame every
1/15 s of its own time, however long a frame takes to draw), and `PromptedDisplay` passes the
challenges the station publishes to that person, seen at the frame time they were shown: the
whole session is deterministic and never waits for the wall clock.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import numpy as np
import numpy.typing as npt

from simulator.subject.behaviour import Scenario, SubjectScript
from simulator.subject.identity import FaceIdentity
from simulator.subject.live_scene import LiveScene
from simulator.subject.prompts import Prompt, PromptEvent, PromptQueue
from station.customer_display.model import DisplayUpdate
from station.devices.camera import CameraFrame

Image = npt.NDArray[np.uint8]
FRAME_INTERVAL_S = 1 / 15


class ClockedFrames:
    """A camera that delivers a frame whenever asked, each 1/15 s later on its own clock;
    subclasses say what the frame at a time shows."""

    def __init__(self, max_frames: int) -> None:
        self.max_frames = max_frames
        self.now_s = 0.0
        self._latest: CameraFrame | None = None

    def render(self, t: float, number: int) -> Image:
        raise NotImplementedError

    def latest(self) -> CameraFrame | None:
        return self._latest

    def wait_for_frame(self, after: int, timeout_s: float) -> CameraFrame | None:
        number = (self._latest.number if self._latest else 0) + 1
        if number > self.max_frames:
            return None
        self.now_s = number * FRAME_INTERVAL_S
        self._latest = CameraFrame(self.render(self.now_s, number), self.now_s, number)
        return self._latest


class RenderedSubject(ClockedFrames):
    """The simulated person in front of a camera that delivers a frame whenever asked."""

    def __init__(
        self,
        identity: FaceIdentity,
        behaviour_seed: int,
        scenario: Scenario = Scenario.COOPERATIVE,
        max_frames: int = 1000,
    ) -> None:
        super().__init__(max_frames)
        self.prompts = PromptQueue()
        self.scene = LiveScene(identity, companion=scenario is Scenario.SECOND_PERSON)
        self.script = SubjectScript(behaviour_seed, scenario, prompts=self.prompts)

    def render(self, t: float, number: int) -> Image:
        return self.scene.render(self.script.state_at(t), number)


class PromptedDisplay:
    """A `DisplayPublisher` that records every update and shows challenges to `subject`."""

    def __init__(self, subject: RenderedSubject | None = None) -> None:
        self.subject = subject
        self.updates: list[DisplayUpdate] = []
        self._lock = threading.Lock()

    def show(self, update: DisplayUpdate) -> None:
        with self._lock:
            self.updates.append(update)
        if self.subject is not None:
            prompt = Prompt(update.challenge) if update.challenge else Prompt.CLEAR
            self.subject.prompts.put(PromptEvent(prompt, seen_at=self.subject.now_s))

    @property
    def challenges_shown(self) -> list[str | None]:
        return [update.challenge for update in self.updates]


class StillFrames:
    """The same picture again and again, `step_s` apart, then (after `frames`) nothing more."""

    def __init__(
        self,
        image: Image,
        frames: int,
        step_s: float = FRAME_INTERVAL_S,
        on_frame: Callable[[int], None] | None = None,
    ) -> None:
        self.image = image
        self.frames = frames
        self.step_s = step_s
        self.on_frame = on_frame
        self._latest: CameraFrame | None = None

    def latest(self) -> CameraFrame | None:
        return self._latest

    def wait_for_frame(self, after: int, timeout_s: float) -> CameraFrame | None:
        number = (self._latest.number if self._latest else 0) + 1
        if number > self.frames:
            return None  # as a camera gone quiet does, at once rather than after the timeout
        if self.on_frame is not None:
            self.on_frame(number)
        self._latest = CameraFrame(self.image, number * self.step_s, number)
        return self._latest
