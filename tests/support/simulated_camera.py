"""`python -m simulator.camera` as a child process, for tests that treat it as the station does:
a camera somewhere at a URL, which can be killed and started again on the same port."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import TracebackType

START_SECONDS = 60.0  # importing the vision stack on a loaded 2-core machine


class SimulatedCamera:
    """Start with `start()` (waits for the ready file, with a deadline), `kill()` to make the
    camera vanish mid-stream, `start()` again to bring it back on the same port."""

    def __init__(self, work_dir: Path, *arguments: str) -> None:
        self.work_dir = work_dir
        self.arguments = arguments
        self.port = 0
        self.video_url = ""
        self.base_url = ""
        self.process: subprocess.Popen[bytes] | None = None
        self.log_path = work_dir / "camera.log"
        self._starts = 0

    def start(self, within: float = START_SECONDS) -> SimulatedCamera:
        self._starts += 1
        ready = self.work_dir / f"camera-{self._starts}.json"
        command = [sys.executable, "-m", "simulator.camera", "--port", str(self.port)]
        command += [*self.arguments, "--ready-file", str(ready)]
        # stderr to a file: a pipe nobody reads could fill and stall the camera.
        self.log_path = self.work_dir / f"camera-{self._starts}.log"
        with self.log_path.open("wb") as log_file:
            self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=log_file)
        deadline = time.monotonic() + within
        while True:
            if self.process.poll() is not None:
                error = self.log_path.read_text(encoding="utf-8", errors="replace")
                raise RuntimeError(f"the simulated camera exited: {error}")
            if time.monotonic() > deadline:
                self.kill()
                raise TimeoutError(f"the simulated camera was not ready within {within:.0f} s")
            try:
                urls = json.loads(ready.read_text(encoding="utf-8"))
                break
            except (FileNotFoundError, json.JSONDecodeError):  # not yet, or half written
                time.sleep(0.05)
        self.port = int(urls["port"])
        self.video_url = str(urls["video_url"])
        self.base_url = str(urls["base_url"])
        return self

    def kill(self) -> None:
        """SIGKILL: the camera vanishes as an unplugged one does, without a goodbye."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=20)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()

    def __enter__(self) -> SimulatedCamera:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()
