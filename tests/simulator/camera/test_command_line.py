"""`python -m simulator.camera` as a process: it says where it streams, serves, and stops
cleanly on SIGTERM."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import cv2


def test_the_camera_runs_as_a_process_and_stops_on_sigterm(tmp_path: Path) -> None:
    ready = tmp_path / "camera.json"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "simulator.camera",
            "--port",
            "0",
            "--face-seed",
            "21",
            "--width",
            "320",
            "--height",
            "240",
            "--ready-file",
            str(ready),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60.0
        while not ready.exists():
            assert process.poll() is None, process.stderr.read().decode() if process.stderr else ""
            assert time.monotonic() < deadline, "the camera did not say it was ready"
            time.sleep(0.05)
        urls = json.loads(ready.read_text(encoding="utf-8"))
        capture = cv2.VideoCapture(
            urls["video_url"], cv2.CAP_FFMPEG, [cv2.CAP_PROP_READ_TIMEOUT_MSEC, 3000]
        )
        ok, frame = capture.read()
        capture.release()
        assert ok
        assert frame.shape == (240, 320, 3)
    finally:
        process.send_signal(signal.SIGTERM)
        out, _ = process.communicate(timeout=20)
    assert process.returncode == 0
    assert b"camera: stopped" in out


def test_a_bad_choice_on_the_command_line_says_why_in_both_languages(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "simulator.camera", "--port", "0", "--id-number", "1000000008"],
        capture_output=True,
        timeout=60,
    )
    assert result.returncode == 2
    message = result.stderr.decode()
    assert "without a population database" in message
    assert "قاعدة بيانات السكان" in message
