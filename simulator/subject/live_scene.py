"""A camera's view of the booth: backdrop, the subject (and anyone walking by), the light, and
the sensor's marks. `LiveScene.render(state, frame_number)` makes one frame."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from simulator.subject.backdrop import Backdrop, backdrop_image
from simulator.subject.behaviour import SubjectState
from simulator.subject.identity import FaceIdentity, make_identity
from simulator.subject.renderer import Layer, SubjectRender, draw_subject
from simulator.subject.scene import CameraView
from simulator.subject.sensor import SensorSettings, expose
from simulator.subject.subject_model import SubjectModel, subject_model

Image = npt.NDArray[np.uint8]


@dataclass(frozen=True)
class CameraSettings:
    view: CameraView = field(default_factory=CameraView)
    sensor: SensorSettings = field(default_factory=SensorSettings)
    backdrop: Backdrop = Backdrop.BOOTH
    backdrop_seed: int = 0


def companion_identity(identity: FaceIdentity) -> FaceIdentity:
    """Someone else who comes along: derived from the subject's seed, never the same face."""
    seed = (identity.seed * 2654435761 + 97) % (2**31)
    sex = "female" if identity.sex == "male" else "male"
    return make_identity(seed, sex, 30.0 + identity.age % 20.0, identity.nationality)


class LiveScene:
    """Renders frames of one subject; the subject's model is built once (about a second).

    `companion`: the scenario brings a second person, whose model is built here too; otherwise
    it is built only if one ever comes (a frame late by that second), which saves every other
    subject a second model."""

    def __init__(
        self,
        identity: FaceIdentity | None,
        settings: CameraSettings | None = None,
        *,
        companion: bool = False,
    ):
        self.settings = settings or CameraSettings()
        self.identity = identity
        self._model = subject_model(identity) if identity is not None else None
        self._companion: SubjectModel | None = None
        if companion and identity is not None:
            self._companion = subject_model(companion_identity(identity))
        self.last_render: SubjectRender | None = None
        self._torso: Image | None = None
        self._torso_key: object = None

    def render(self, state: SubjectState, frame_number: int) -> Image:
        view = self.settings.view
        self.last_render = None
        if state.companion is not None and self.identity is not None:
            if self._companion is None:
                self._companion = subject_model(companion_identity(self.identity))
            frame = self._backdrop()
            draw_subject(frame, self._companion, state.companion, state.lighting, view)
            if state.present and self._model is not None:
                self.last_render = draw_subject(
                    frame, self._model, state.pose, state.lighting, view, state.expression
                )
        elif state.present and self._model is not None:
            frame = self._with_torso(state).copy()
            self.last_render = draw_subject(
                frame, self._model, state.pose, state.lighting, view, state.expression, Layer.HEAD
            )
        else:
            frame = self._backdrop()
        return expose(frame, self.settings.sensor, frame_number)

    def _backdrop(self) -> Image:
        view = self.settings.view
        return backdrop_image(
            self.settings.backdrop, view.width, view.height, self.settings.backdrop_seed
        ).copy()

    def _with_torso(self, state: SubjectState) -> Image:
        """The backdrop with the torso drawn: kept while the body and the light stay put (the
        head moves far more often than the shoulders)."""
        pose = state.pose
        key = (pose.x_mm, pose.y_mm, pose.distance_mm, pose.body_yaw, state.lighting)
        if self._torso_key != key or self._torso is None:
            assert self._model is not None
            frame = self._backdrop()
            draw_subject(
                frame, self._model, pose, state.lighting, self.settings.view, layer=Layer.BODY
            )
            frame.setflags(write=False)
            self._torso, self._torso_key = frame, key
        return self._torso
