"""`reaction_s` on the admin endpoint: the person follows every prompt after exactly that
delay, never late, never missing one, and settles between movements (a rehearsal measuring
machine time); without it, a person's varied timing."""

from __future__ import annotations

from fastapi.testclient import TestClient

from simulator.camera.mjpeg_server import CameraConfig, CameraServer
from simulator.camera.presentation import FAST_SETTLE_S, LivePresentation
from simulator.subject.behaviour import Behaviour


def _behaviour_after(body: dict[str, object]) -> Behaviour:
    server = CameraServer(CameraConfig())
    with TestClient(server.app) as client:
        answer = client.put("/admin/subject", json=body)
    assert answer.status_code == 200, answer.text
    presentation = server.producer.presentation
    assert isinstance(presentation, LivePresentation)
    return presentation.script.behaviour


def test_a_fixed_reaction_is_never_late_nor_missed() -> None:
    behaviour = _behaviour_after({"face_seed": 3, "reaction_s": 0.25})
    assert behaviour.reaction_delay_s == (0.25, 0.25)
    assert behaviour.late_probability == 0.0
    assert behaviour.miss_probability == 0.0
    assert behaviour.settle_s == FAST_SETTLE_S


def test_without_it_the_person_keeps_human_timing() -> None:
    behaviour = _behaviour_after({"face_seed": 3})
    assert behaviour.reaction_delay_s == (0.3, 0.9)
    assert behaviour.miss_probability > 0.0
    assert behaviour.settle_s is None


def test_a_negative_reaction_is_refused() -> None:
    server = CameraServer(CameraConfig())
    with TestClient(server.app) as client:
        answer = client.put("/admin/subject", json={"face_seed": 3, "reaction_s": -1})
    assert answer.status_code == 422
