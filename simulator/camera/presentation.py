"""What is in front of the camera: a live person following their script, nobody, or a
presentation attack. Each gives the frame at a clock time; the camera asks, never the clock."""

from __future__ import annotations

from typing import Protocol

import numpy as np
import numpy.typing as npt

from simulator.subject.behaviour import Behaviour, Scenario, SubjectScript
from simulator.subject.identity import FaceIdentity
from simulator.subject.live_scene import CameraSettings, LiveScene
from simulator.subject.prompts import PromptSource

Image = npt.NDArray[np.uint8]

# Long enough for two frames at rest even when the station's loop reads only 7-10 frames a
# second: the liveness check wants the face seen neutral after each prompt.
FAST_SETTLE_S = 0.25
# A decisive turn: FaceMesh reads some synthetic faces' turns a few degrees short, and a 25
# degree turn of those fell under the check's 20 and was asked again (5 s) in the machine-time
# runs, which measure the booth, not the person's hesitation (human pace keeps 25-35).
FAST_TURN_DEGREES = (30.0, 35.0)


class Presentation(Protocol):
    description: str

    def frame(self, t: float, frame_number: int) -> Image:
        """The picture at clock time `t` (seconds; never earlier than the last call)."""
        ...


class LivePresentation:
    """A simulated person (or nobody) following a SubjectScript."""

    def __init__(
        self,
        identity: FaceIdentity | None,
        settings: CameraSettings,
        *,
        scenario: Scenario = Scenario.COOPERATIVE,
        behaviour_seed: int | None = None,
        prompts: PromptSource | None = None,
        start: float = 0.0,
        reaction_s: float | None = None,
    ) -> None:
        if identity is None:
            scenario = Scenario.ABSENT
        seed = behaviour_seed if behaviour_seed is not None else (identity.seed if identity else 0)
        self.scene = LiveScene(identity, settings, companion=scenario is Scenario.SECOND_PERSON)
        behaviour = None
        if reaction_s is not None:
            # Prompt followed after exactly `reaction_s`, never late, never missed, turns
            # decisive; one movement finished (the head at rest a moment) before the next.
            behaviour = Behaviour(
                reaction_delay_s=(reaction_s, reaction_s),
                late_probability=0.0,
                miss_probability=0.0,
                settle_s=FAST_SETTLE_S,
                turn_degrees=FAST_TURN_DEGREES,
            )
        self.script = SubjectScript(
            seed, scenario, behaviour=behaviour, prompts=prompts, start=start
        )
        who = f"face seed {identity.seed}" if identity is not None else "nobody"
        self.description = f"{who}, {scenario.value}"

    def frame(self, t: float, frame_number: int) -> Image:
        return self.scene.render(self.script.state_at(t), frame_number)
