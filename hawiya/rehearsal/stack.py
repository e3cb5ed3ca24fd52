"""The booth the rehearsal drives: portal, pcscd, scanner and camera as processes of their own
(each in its own process group, stopped with it), the customer display in this process, and
the card as one short-lived process per citizen."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from hawiya.booth import BoothError, service, wait_for_portal
from hawiya.provision import BoothState
from simulator.pcsc_daemon import PcscDaemon, PcscdConfig, PcscdError, socket_in_use
from station.customer_display.server import CustomerDisplayServer
from station.devices.camera import Camera, CameraFrame


@dataclass(frozen=True)
class Booth:
    state: BoothState
    portal_url: str
    scanner_url: str
    camera_url: str  # base URL (admin endpoints)
    video_url: str
    display: CustomerDisplayServer
    log_dir: Path
    seed: int

    def hawiya(self, *arguments: str) -> list[str]:
        return [
            sys.executable,
            "-m",
            "hawiya",
            "--state-dir",
            str(self.state.state_dir),
            *arguments,
        ]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _ready_file(
    path: Path, process: subprocess.Popen[bytes], name: str, timeout: float
) -> dict[str, object]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.is_file():
            with contextlib.suppress(ValueError):
                data: dict[str, object] = json.loads(path.read_text(encoding="utf-8"))
                return data
        if process.poll() is not None:
            raise BoothError(f"{name} exited with status {process.returncode}")
        time.sleep(0.05)
    raise BoothError(f"{name} wrote no ready file in {timeout:.0f} s")


def wait_for_pcscd_socket(timeout: float) -> None:
    """Only one pcscd per machine: wait while another one (another booth, a test) holds it."""
    deadline = time.monotonic() + timeout
    while socket_in_use():
        if time.monotonic() > deadline:
            raise BoothError(
                "another pcscd holds /run/pcscd/pcscd.comm (another booth or test): stop it, "
                "wait for it, or rehearse without cards (--scenarios compliant_manual)"
            )
        time.sleep(1.0)


@contextmanager
def running_booth(
    state: BoothState, *, seed: int, need_pcscd: bool, pcscd_wait_s: float
) -> Iterator[Booth]:
    log_dir = state.state_dir / "logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    run_dir = state.state_dir / "run"
    run_dir.mkdir(exist_ok=True)
    for stale in run_dir.glob("*.json"):
        stale.unlink()
    python = sys.executable
    base = [python, "-m", "hawiya", "--state-dir", str(state.state_dir)]
    with ExitStack() as stack:
        display = CustomerDisplayServer()
        display.start()
        stack.callback(display.stop)
        if need_pcscd:
            wait_for_pcscd_socket(pcscd_wait_s)
            daemon = PcscDaemon(PcscdConfig(state.state_dir / "pcsc"))
            try:
                daemon.start()
            except PcscdError as error:
                raise BoothError(str(error)) from error
            stack.callback(daemon.stop)
        port = free_port()
        portal_url = f"https://127.0.0.1:{port}"
        stack.enter_context(
            service(
                "portal",
                [*base, "portal", "serve"],
                log_dir=log_dir,
                env={
                    "HAWIYA_PORTAL_DB_URL": state.db_url,
                    "HAWIYA_PORTAL_PKI_DIR": str(state.pki_dir),
                    "HAWIYA_PORTAL_PORT": str(port),
                    "HAWIYA_PORTAL_STATE_DIR": str(state.state_dir),
                    # The simulated citizen's phone reads its SMS from the outbox.
                    "HAWIYA_PORTAL_SIMULATION_ENDPOINTS": "1",
                },
            )
        )
        scanner_file = run_dir / "scanner.json"
        scanner = stack.enter_context(
            service(
                "scanner",
                [
                    *base, "simulator", "scanner", "--port", "0",
                    "--population-db", state.db_url, "--pki-dir", str(state.pki_dir),
                    "--ready-file", str(scanner_file), "--seed", str(seed),
                ],
                log_dir=log_dir,
            )
        )  # fmt: skip
        camera_file = run_dir / "camera.json"
        camera = stack.enter_context(
            service(
                "camera",
                [
                    *base, "simulator", "camera", "--port", "0", "--db", state.db_url,
                    "--seed", str(seed), "--display-url", display.events_url,
                    "--ready-file", str(camera_file),
                ],
                log_dir=log_dir,
            )
        )  # fmt: skip
        wait_for_portal(state, portal_url, timeout=90.0)
        scanner_ready = _ready_file(scanner_file, scanner, "scanner", 90.0)
        camera_ready = _ready_file(camera_file, camera, "camera", 90.0)
        yield Booth(
            state=state,
            portal_url=portal_url,
            scanner_url=str(scanner_ready["base_url"]),
            camera_url=str(camera_ready["base_url"]),
            video_url=str(camera_ready["video_url"]),
            display=display,
            log_dir=log_dir,
            seed=seed,
        )


@contextmanager
def inserted_card(booth: Booth, holder: str, scenario: str, name: str) -> Iterator[None]:
    """The citizen's card in the reader (slot 0) for the block; pulled out after it."""
    state = booth.state
    with service(
        name,
        booth.hawiya(
            "simulator", "card", "--population-db", state.db_url, "--person", holder,
            "--scenario", scenario, "--slot", "0", "--pki-dir", str(state.pki_dir),
        ),
        log_dir=booth.log_dir,
        ready_line="card: inserted",
        ready_timeout=60.0,
    ):  # fmt: skip
        yield


class OnDemandCamera:
    """The booth camera, opened for the face step only: the simulated camera renders only
    while someone watches, and the two cores are better spent on the other steps."""

    def __init__(self, video_url: str) -> None:
        self.video_url = video_url
        self._camera: Camera | None = None

    @contextmanager
    def watching(self, first_frame_s: float = 30.0) -> Iterator[None]:
        camera = Camera(self.video_url)
        camera.start()
        self._camera = camera
        try:
            if camera.wait_for_frame(-1, first_frame_s) is None:
                raise BoothError(f"no picture from the camera at {self.video_url}; see camera.log")
            yield
        finally:
            self._camera = None
            camera.stop()

    def latest(self) -> CameraFrame | None:
        return None if self._camera is None else self._camera.latest()

    def wait_for_frame(self, after: int, timeout_s: float) -> CameraFrame | None:
        if self._camera is None:
            return None
        return self._camera.wait_for_frame(after, timeout_s)


def terminate_on_sigterm() -> None:
    """SIGTERM and SIGHUP unwind like Ctrl+C, so every `finally` tears its part down."""
    import signal

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, interrupt)
    os.environ.setdefault("OPENCV_FFMPEG_LOGLEVEL", "-8")
