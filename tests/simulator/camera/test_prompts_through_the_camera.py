"""End to end: the station's customer display asks the person to turn left (SSE), the
simulated person does, and the station's side sees it in the MJPEG stream."""

from __future__ import annotations

import time

import cv2
import numpy as np

from matcher.face import FaceLandmarker, LandmarkMode, estimate_head_pose
from simulator.camera.choice import SubjectChoice
from simulator.camera.mjpeg_server import CameraConfig, CameraServer
from station.customer_display import DisplayScreen, DisplayUpdate
from station.customer_display.server import CustomerDisplayServer


def test_the_subject_turns_when_the_display_asks() -> None:
    config = CameraConfig(width=640, height=480, fps=15.0)
    # Behaviour seed 3 reacts on time to its first prompt (no miss, no late start).
    choice = SubjectChoice(face_seed=12, sex="male", nationality="EGY", behaviour_seed=3)
    with (
        CustomerDisplayServer() as display,
        CameraServer(config, choice) as camera,
    ):
        capture = cv2.VideoCapture(
            camera.video_url, cv2.CAP_FFMPEG, [cv2.CAP_PROP_READ_TIMEOUT_MSEC, 3000]
        )
        with FaceLandmarker(LandmarkMode.VIDEO, max_faces=1) as tracker:
            ok, frame = capture.read()
            assert ok
            before = estimate_head_pose(tracker.detect(np.asarray(frame, np.uint8))[0]).yaw
            # Already asking when the subject starts watching: turning left is its first prompt.
            display.show(
                DisplayUpdate(DisplayScreen.FACE, challenge="turn_left", challenge_deadline_s=4.0)
            )
            camera.watch_display(display.events_url)
            deadline = time.monotonic() + 8.0
            largest = before
            while time.monotonic() < deadline and largest < before + 15.0:
                ok, frame = capture.read()
                assert ok
                faces = tracker.detect(np.asarray(frame, np.uint8))
                if faces:
                    largest = max(largest, estimate_head_pose(faces[0]).yaw)
        capture.release()
        assert camera.prompts.take(1e18) == []  # the subject took the prompt
    assert largest > before + 15.0, f"yaw went from {before:.1f} to at most {largest:.1f}"
