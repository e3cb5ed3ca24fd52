"""Choosing who stands in front of the camera: by face seed, by ID number from the population,
with a scenario or an attack; exposure; errors in English and Arabic."""

from __future__ import annotations

from pathlib import Path

import cv2
import httpx
import numpy as np
import numpy.typing as npt
import pytest

from simulator.camera.choice import SubjectChoice
from simulator.camera.mjpeg_server import CameraConfig, CameraServer
from tests.support.known_people import insert_known_people, known_people


def _snapshot(camera: CameraServer) -> npt.NDArray[np.uint8]:
    response = httpx.get(f"{camera.base_url}/snapshot.jpg", timeout=10.0)
    assert response.status_code == 200
    return np.asarray(
        cv2.imdecode(np.frombuffer(response.content, np.uint8), cv2.IMREAD_COLOR), np.uint8
    )


def test_a_face_seed_and_scenario_are_chosen_over_http(camera: CameraServer) -> None:
    response = httpx.put(
        f"{camera.base_url}/admin/subject",
        json={"face_seed": 42, "sex": "female", "nationality": "EGY", "scenario": "looks_away"},
        timeout=20.0,
    )
    assert response.status_code == 200, response.text
    assert response.json()["showing"] == "face seed 42, looks_away"
    assert httpx.get(f"{camera.base_url}/status").json()["showing"] == "face seed 42, looks_away"


def test_an_attack_is_chosen_over_http(camera: CameraServer) -> None:
    response = httpx.put(
        f"{camera.base_url}/admin/subject",
        json={"face_seed": 42, "attack": "tablet_photo"},
        timeout=20.0,
    )
    assert response.status_code == 200, response.text
    assert "tablet" in response.json()["showing"]


def test_more_exposure_brightens_the_picture(camera: CameraServer) -> None:
    camera.show(SubjectChoice(face_seed=5))
    before = _snapshot(camera).mean()
    assert httpx.put(f"{camera.base_url}/admin/camera", json={"exposure": 1.6}).status_code == 200
    after = _snapshot(camera).mean()
    httpx.put(f"{camera.base_url}/admin/camera", json={"exposure": 1.0})
    assert after > before * 1.3


@pytest.mark.parametrize(
    ("body", "english"),
    [
        ({"id_number": "1000000008", "face_seed": 3}, "not both"),
        ({"id_number": "1000000008"}, "without a population database"),
        ({"attack": "replay"}, "needs a victim"),
    ],
)
def test_a_choice_that_cannot_be_shown_is_refused_in_both_languages(
    camera: CameraServer, body: dict[str, object], english: str
) -> None:
    response = httpx.put(f"{camera.base_url}/admin/subject", json=body, timeout=10.0)
    assert response.status_code == 422
    problem = response.json()
    assert english in problem["detail"]
    assert any("\u0600" <= ch <= "\u06ff" for ch in problem["detail_ar"])


def test_a_malformed_request_is_refused(camera: CameraServer) -> None:
    response = httpx.put(f"{camera.base_url}/admin/subject", json={"face_seed": -1})
    assert response.status_code == 422


def test_a_person_is_found_by_id_number_in_the_population(tmp_path: Path) -> None:
    db_url = f"sqlite:///{tmp_path / 'population.db'}"
    insert_known_people(db_url)
    person = known_people()["eligible"]
    with CameraServer(CameraConfig(width=320, height=240, db_url=db_url)) as camera:
        response = httpx.put(
            f"{camera.base_url}/admin/subject", json={"id_number": person.id_number}, timeout=20.0
        )
        assert response.status_code == 200, response.text
        assert response.json()["showing"] == f"face seed {person.face_seed}, cooperative"
        missing = httpx.put(f"{camera.base_url}/admin/subject", json={"id_number": "1999999990"})
        assert missing.status_code == 422
        assert "no person with ID number 1999999990" in missing.json()["detail"]
